//! `refurbdesk customer …` and `refurbdesk batch …` on the real binary: a customer, a manifest
//! written by the test, scans at receiving, the status, a refused manifest (exit 8), and a
//! customer forgotten with the audit log and the database check still clean.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const IPHONE: &str = "356728114587211";
const PIXEL: &str = "490154203237518";

fn refurbdesk(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("refurbdesk").unwrap();
    cmd.env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env("REFURBDESK_DB", home.join("station.db"))
        .env("REFURBDESK_LOG", "off")
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("REFURBDESK_OPERATOR")
        .env_remove("REFURBDESK_KEYS_DIR");
    cmd
}

fn json_of(cmd: &mut Command) -> Value {
    let output = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&output).unwrap()
}

#[test]
fn a_batch_is_imported_received_and_counted_and_a_forgotten_customer_leaves_the_chain_clean() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let customer = json_of(refurbdesk(home).args([
        "customer",
        "add",
        "Acme Leasing",
        "--email",
        "achats@acme.example",
        "--vat",
        "FR40303265045",
        "--json",
    ]));
    let customer_id = customer["id"].as_str().unwrap().to_owned();
    refurbdesk(home)
        .args(["customer", "list"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Acme Leasing").and(predicate::str::contains("FR40303265045")),
        );

    let manifest = home.join("lot.csv");
    std::fs::write(
        &manifest,
        format!(
            "imei;serial;model;declared_grade;quoted_price\n\
             {IPHONE};;iPhone 12;FUNCTIONAL_GOOD;120,50\n\
             {PIXEL};;Pixel 7;FUNCTIONAL_USED;80\n\
             ;SN-LAPTOP-1;MacBook Air;FUNCTIONAL_FLAWLESS;300\n"
        ),
    )
    .unwrap();
    let imported = json_of(
        refurbdesk(home)
            .arg("batch")
            .arg("import")
            .arg(&manifest)
            .args([
                "--customer",
                "acme leasing",
                "--quote-date",
                "2026-03-10",
                "--json",
            ]),
    );
    assert_eq!(imported["lines"], 3);
    assert_eq!(imported["quote_expiry"], "2026-04-10");
    let batch = imported["id"].as_str().unwrap().to_owned();

    refurbdesk(home)
        .args(["batch", "receive", &batch, "--scan", IPHONE])
        .assert()
        .success()
        .stdout(predicate::str::contains("received: line 2 iPhone 12"));
    refurbdesk(home)
        .args(["batch", "receive", &batch, "--scan", IPHONE])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("already received")
                .and(predicate::str::contains("nothing recorded")),
        );
    let extra =
        json_of(refurbdesk(home).args(["batch", "receive", &batch, "--scan", "XYZ-1", "--json"]));
    assert_eq!(extra["outcome"], "extra");

    let status = json_of(refurbdesk(home).args(["batch", "status", &batch, "--json"]));
    assert_eq!(status["declared"], 3);
    assert_eq!(status["received"], 1);
    assert_eq!(status["missing"], 2);
    assert_eq!(status["extra"], 1);
    assert_eq!(status["audited"], 0);
    assert_eq!(status["quoted_total"], "500.50");
    assert_eq!(status["revised_total"], Value::Null);
    let missing: Vec<&str> = status["missing_devices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["model"].as_str().unwrap())
        .collect();
    assert_eq!(missing, ["Pixel 7", "MacBook Air"]);
    refurbdesk(home)
        .args(["batch", "status", &batch])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("missing   line 3")
                .and(predicate::str::contains("extra     XYZ-1")),
        );

    let list = json_of(refurbdesk(home).args(["batch", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 1);
    let requoted = json_of(refurbdesk(home).args([
        "batch",
        "requote",
        &batch,
        "--date",
        "2026-04-20",
        "--json",
    ]));
    assert_eq!(requoted["quote_expiry"], "2026-05-20");

    refurbdesk(home)
        .args(["customer", "forget", &customer_id])
        .assert()
        .success()
        .stdout(predicate::str::contains("forgotten"));
    refurbdesk(home)
        .args(["customer", "list"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("Acme Leasing")
                .not()
                .and(predicate::str::contains("customer-")),
        );
    refurbdesk(home)
        .args(["audit", "verify"])
        .assert()
        .success();
    refurbdesk(home).args(["db", "check"]).assert().success();
}

#[test]
fn a_bad_manifest_exits_8_with_every_problem_by_line_and_imports_nothing() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    refurbdesk(home)
        .args(["customer", "add", "Acme Leasing"])
        .assert()
        .success();
    let manifest = home.join("bad.csv");
    std::fs::write(
        &manifest,
        "imei,declared_grade,quoted_price\n356728114587212,FUNCTIONAL_GOOD,10\n,MINT,abc\n",
    )
    .unwrap();
    refurbdesk(home)
        .arg("batch")
        .arg("import")
        .arg(&manifest)
        .args(["--customer", "Acme Leasing"])
        .assert()
        .code(8)
        .stderr(
            predicate::str::contains("the manifest bad.csv was not imported: 4 problems")
                .and(predicate::str::contains(
                    "line 2, column imei: IMEI 356728114587212",
                ))
                .and(predicate::str::contains("line 3, column declared_grade:")),
        );
    refurbdesk(home)
        .arg("batch")
        .arg("import")
        .arg(&manifest)
        .args(["--customer", "Acme Leasing"])
        .env("LANG", "fr_FR.UTF-8")
        .assert()
        .code(8)
        .stderr(predicate::str::contains("ligne 2, colonne imei : l'IMEI"));
    refurbdesk(home)
        .args(["batch", "list"])
        .assert()
        .success()
        .stdout("no batches\n");
    refurbdesk(home)
        .args(["batch", "import", "nowhere.csv", "--customer", "Nobody"])
        .assert()
        .code(4);
}

#[test]
fn a_manifest_with_bad_lines_lists_its_identifiers_already_in_an_open_batch_too() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    refurbdesk(home)
        .args(["customer", "add", "Acme Leasing"])
        .assert()
        .success();
    let first = home.join("first.csv");
    std::fs::write(&first, format!("imei,serial\n{IPHONE},\n,SN-1\n")).unwrap();
    let first = json_of(
        refurbdesk(home)
            .arg("batch")
            .arg("import")
            .arg(&first)
            .args(["--customer", "Acme Leasing", "--json"]),
    );
    let open = first["id"].as_str().unwrap().to_owned();

    // Every problem at once: the lines' own and the identifiers the open batch declares, on
    // bad lines and good ones alike.
    let second = home.join("second.csv");
    std::fs::write(
        &second,
        format!(
            "imei;serial;declared_grade;quoted_price\n\
             {IPHONE};;MINT;10\n\
             ;sn-1;;abc\n\
             {PIXEL};NEW-1;;20\n\
             356728114587212;;;\n"
        ),
    )
    .unwrap();
    let output = refurbdesk(home)
        .arg("batch")
        .arg("import")
        .arg(&second)
        .args(["--customer", "Acme Leasing"])
        .assert()
        .code(8)
        .get_output()
        .stderr
        .clone();
    let stderr = String::from_utf8(output).unwrap();
    let told: Vec<&str> = stderr
        .lines()
        .filter(|line| line.starts_with("line "))
        .collect();
    let expected = [
        "line 2, column declared_grade: \"MINT\" is not a declared grade".to_owned(),
        format!("line 2, column imei: {IPHONE} is already declared in open batch {open}"),
        "line 3, column quoted_price: \"abc\" is not a price".to_owned(),
        format!("line 3, column serial: sn-1 is already declared in open batch {open}"),
        "line 5, column imei: IMEI 356728114587212 fails its check digit".to_owned(),
    ];
    assert_eq!(told.len(), expected.len(), "{stderr}");
    for (told, expected) in told.iter().zip(&expected) {
        assert!(
            told.starts_with(expected.as_str()),
            "{told:?} ≠ {expected:?}\n{stderr}"
        );
    }
    assert!(
        stderr.contains("the manifest second.csv was not imported: 5 problems"),
        "{stderr}"
    );
    let batches = json_of(refurbdesk(home).args(["batch", "list", "--json"]));
    assert_eq!(batches.as_array().unwrap().len(), 1, "nothing imported");
}
