//! `refurbdesk cert` and `settings` on the real binary: issuing only for verified erasures,
//! offline verification of PDF and JSON, tampering, voids, key rotation, export.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const MIB: usize = 1 << 20;

fn refurbdesk(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("refurbdesk").unwrap();
    cmd.env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env("REFURBDESK_DB", home.join("station.db"))
        .env_remove("REFURBDESK_OPERATOR")
        .env_remove("REFURBDESK_KEYS_DIR");
    cmd
}

fn json_of(cmd: &mut Command) -> Value {
    let output = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&output).unwrap()
}

/// A station with its organisation set and one verified erasure of an image file.
fn station_with_erasure(home: &Path) -> String {
    for (key, value) in [
        ("organisation.name", "Atelier Reconditionné SAS"),
        ("organisation.address", "12 rue de l'Industrie, 69007 Lyon"),
        ("organisation.phone", "+33 4 72 00 00 00"),
    ] {
        refurbdesk(home)
            .args(["settings", "set", key, value])
            .assert()
            .success();
    }
    let image = home.join("disk.img");
    std::fs::write(&image, vec![0x5a_u8; 2 * MIB]).unwrap();
    let erasure = json_of(
        refurbdesk(home)
            .args([
                "erase",
                "--method",
                "random",
                "--yes-erase-image",
                "--json",
                "--target",
            ])
            .arg(&image),
    );
    assert_eq!(erasure["status"], "verified");
    erasure["id"].as_str().unwrap().to_owned()
}

fn issue(home: &Path, erasure: &str, lang: &str) -> (String, PathBuf) {
    let issued = json_of(
        refurbdesk(home)
            .args([
                "cert",
                "issue",
                "--erasure",
                erasure,
                "--lang",
                lang,
                "--json",
                "--out",
            ])
            .arg(home.join("out")),
    );
    (
        issued["id"].as_str().unwrap().to_owned(),
        PathBuf::from(issued["pdf"].as_str().unwrap()),
    )
}

fn pdftotext(path: &Path) -> String {
    // In reading order row by row, label beside its value, as a person reads the page.
    let output = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn an_erasure_certificate_is_issued_verified_and_names_its_erasure() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let erasure = station_with_erasure(home);
    let (id, pdf) = issue(home, &erasure, "fr");
    let text = pdftotext(&pdf);
    assert!(
        text.contains("Certificat d'effacement des données"),
        "{text}"
    );
    assert!(text.contains(&erasure), "the erasure id is printed");
    assert!(text.contains("Atelier Reconditionné SAS"));
    assert!(text.contains("Fichier image disque"));

    refurbdesk(home)
        .args(["cert", "verify"])
        .arg(&pdf)
        .assert()
        .success()
        .stdout(predicate::str::starts_with("valid").and(predicate::str::contains(&id)));
    let verified = json_of(
        refurbdesk(home)
            .args(["cert", "verify", "--json"])
            .arg(&pdf),
    );
    assert_eq!(verified["valid"], true);
    assert_eq!(verified["id"], id.as_str());

    // The public key alone verifies the file on a machine without the database.
    let pubkey = home.join("org.pub.json");
    refurbdesk(home)
        .args(["cert", "key", "export", "--out"])
        .arg(&pubkey)
        .assert()
        .success();
    let elsewhere = tempfile::tempdir().unwrap();
    refurbdesk(elsewhere.path())
        .args(["cert", "verify", "--pubkey"])
        .arg(&pubkey)
        .arg(&pdf)
        .assert()
        .success();
    // Without any trusted key, it does not verify.
    refurbdesk(elsewhere.path())
        .args(["cert", "verify"])
        .arg(&pdf)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown key"));
}

#[test]
fn no_certificate_for_an_erasure_that_did_not_verify() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let erasure = station_with_erasure(home);
    let conn = rusqlite::Connection::open(home.join("station.db")).unwrap();
    // A second erasure left running by a process that is gone: interrupted on the next open.
    conn.execute(
        "INSERT INTO erasures (id, station_id, target, target_kind, method, passes, verify, status,
             started_at, tool_version, operator, drive_json, size_bytes, pid, process_tag)
         SELECT '01900000-0000-7000-8000-000000000001', station_id, target, target_kind, method, passes,
             verify, 'running', started_at, tool_version, operator, drive_json, size_bytes, 999999,
             'dead-process'
         FROM erasures WHERE id = ?1",
        [&erasure],
    )
    .unwrap();
    drop(conn);
    refurbdesk(home)
        .args([
            "cert",
            "issue",
            "--erasure",
            "01900000-0000-7000-8000-000000000001",
            "--out",
        ])
        .arg(home.join("out"))
        .assert()
        .code(7)
        .stderr(predicate::str::contains(
            "only an erasure that finished and verified",
        ));
    refurbdesk(home)
        .args([
            "cert",
            "issue",
            "--erasure",
            "01900000-0000-7000-8000-0000000000ff",
            "--out",
        ])
        .arg(home.join("out"))
        .assert()
        .code(4);
    assert!(
        !home.join("out").exists() || std::fs::read_dir(home.join("out")).unwrap().count() == 0
    );
}

#[test]
fn a_certificate_needs_the_organisation_named() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let image = home.join("disk.img");
    std::fs::write(&image, vec![1u8; MIB]).unwrap();
    let erasure = json_of(
        refurbdesk(home)
            .args([
                "erase",
                "--method",
                "zero",
                "--yes-erase-image",
                "--json",
                "--target",
            ])
            .arg(&image),
    );
    refurbdesk(home)
        .args([
            "cert",
            "issue",
            "--erasure",
            erasure["id"].as_str().unwrap(),
        ])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("settings set organisation.name"));
}

#[test]
fn any_changed_byte_or_field_fails_verification() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let erasure = station_with_erasure(home);
    let (_, pdf) = issue(home, &erasure, "en");
    let bytes = std::fs::read(&pdf).unwrap();
    for position in [0, 100, bytes.len() / 3, bytes.len() / 2, bytes.len() - 30] {
        let mut tampered = bytes.clone();
        tampered[position] ^= 0x20;
        let file = home.join(format!("tampered-{position}.pdf"));
        std::fs::write(&file, &tampered).unwrap();
        refurbdesk(home)
            .args(["cert", "verify"])
            .arg(&file)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("invalid"));
    }
    // The exported JSON: a changed field is a signature mismatch.
    let out = home.join("export");
    refurbdesk(home)
        .args(["cert", "export", "--all", "--out"])
        .arg(&out)
        .assert()
        .success();
    let json_file = std::fs::read_dir(&out)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "json"))
        .unwrap();
    refurbdesk(home)
        .args(["cert", "verify"])
        .arg(&json_file)
        .assert()
        .success();
    let mut signed: Value = serde_json::from_slice(&std::fs::read(&json_file).unwrap()).unwrap();
    signed["document"]["body"]["run"]["bytes_verified"] = Value::from(1);
    std::fs::write(&json_file, serde_json::to_vec(&signed).unwrap()).unwrap();
    refurbdesk(home)
        .args(["cert", "verify"])
        .arg(&json_file)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("signature mismatch"));
    // No embedded data: a PDF that is not one of ours.
    let plain = home.join("plain.pdf");
    std::fs::write(&plain, b"%PDF-1.4\n%%EOF\n").unwrap();
    refurbdesk(home)
        .args(["cert", "verify"])
        .arg(&plain)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no Refurbdesk seal"));
}

#[test]
fn only_quality_managers_void_and_a_void_certificate_verifies_as_voided() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let erasure = station_with_erasure(home);
    let (id, pdf) = issue(home, &erasure, "en");
    refurbdesk(home)
        .args(["operator", "add", "root", "--role", "admin"])
        .assert()
        .success();
    for (name, role) in [("tim", "technician"), ("quinn", "quality_manager")] {
        refurbdesk(home)
            .args([
                "--operator",
                "root",
                "operator",
                "add",
                name,
                "--role",
                role,
            ])
            .assert()
            .success();
    }
    refurbdesk(home)
        .args([
            "--operator",
            "tim",
            "cert",
            "void",
            &id,
            "--reason",
            "wrong customer",
        ])
        .assert()
        .code(7);
    refurbdesk(home)
        .args([
            "--operator",
            "quinn",
            "cert",
            "void",
            &id,
            "--reason",
            "wrong customer",
        ])
        .assert()
        .success();
    refurbdesk(home)
        .args(["cert", "verify"])
        .arg(&pdf)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("voided").and(predicate::str::contains("wrong customer")));
    let listed = json_of(refurbdesk(home).args(["cert", "list", "--json"]));
    assert_eq!(listed[0]["voided"], true);
    refurbdesk(home)
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn old_certificates_verify_after_a_key_rotation_and_export_zips_them() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let erasure = station_with_erasure(home);
    let (_, old_pdf) = issue(home, &erasure, "en");
    let rotated = json_of(refurbdesk(home).args(["cert", "key", "rotate", "--json"]));
    assert_ne!(rotated["active"]["key_id"], rotated["retired"]["key_id"]);
    // One valid certificate per erasure: the second is of another erasure.
    let image = home.join("second.img");
    std::fs::write(&image, vec![0x5a_u8; MIB]).unwrap();
    let second = json_of(
        refurbdesk(home)
            .args([
                "erase",
                "--method",
                "zero",
                "--yes-erase-image",
                "--json",
                "--target",
            ])
            .arg(&image),
    );
    let (_, new_pdf) = issue(home, second["id"].as_str().unwrap(), "fr");
    for pdf in [&old_pdf, &new_pdf] {
        refurbdesk(home)
            .args(["cert", "verify"])
            .arg(pdf)
            .assert()
            .success();
    }
    let out = home.join("zipped");
    let exported = json_of(
        refurbdesk(home)
            .args([
                "cert", "export", "--all", "--zip", "--lang", "fr", "--json", "--out",
            ])
            .arg(&out),
    );
    assert_eq!(exported["count"], 2);
    let zip = PathBuf::from(exported["zip"].as_str().unwrap());
    let listing = std::process::Command::new("python3")
        .args([
            "-c",
            "import sys,zipfile; print('\\n'.join(zipfile.ZipFile(sys.argv[1]).namelist()))",
        ])
        .arg(&zip)
        .output()
        .unwrap();
    let names = String::from_utf8(listing.stdout).unwrap();
    assert_eq!(
        names.lines().filter(|name| name.ends_with(".pdf")).count(),
        2,
        "{names}"
    );
    assert_eq!(
        names.lines().filter(|name| name.ends_with(".json")).count(),
        2,
        "{names}"
    );
}

#[test]
fn a_destruction_and_a_device_report_are_issued() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    station_with_erasure(home);
    let photo = home.join("IMG_2031.jpg");
    std::fs::write(&photo, b"not really a jpeg").unwrap();
    let issued = json_of(
        refurbdesk(home)
            .args([
                "cert",
                "destroy",
                "--method",
                "shred",
                "--witness",
                "Claire Martin",
                "--make",
                "Seagate",
                "--model",
                "ST500LM030",
                "--serial",
                "WCJ0001",
                "--media-type",
                "hdd",
                "--json",
                "--evidence",
            ])
            .arg(&photo)
            .arg("--out")
            .arg(home.join("out")),
    );
    assert_eq!(issued["kind"], "destruction_certificate");
    let text = pdftotext(Path::new(issued["pdf"].as_str().unwrap()));
    assert!(
        text.contains("Claire Martin") && text.contains("WCJ0001"),
        "{text}"
    );
    let digest = refurbdesk_app::documents::sha256_hex(b"not really a jpeg");
    assert!(
        text.replace(char::is_whitespace, "").contains(&digest),
        "{text}"
    );
    refurbdesk(home)
        .args([
            "cert",
            "destroy",
            "--method",
            "shred",
            "--witness",
            "X",
            "--evidence",
        ])
        .arg(home.join("missing.jpg"))
        .assert()
        .code(4);

    refurbdesk(home)
        .args(["cert", "report", "--device", "nope", "--out"])
        .arg(home.join("out"))
        .assert()
        .code(4);
}

#[test]
fn a_device_read_on_a_bench_gets_its_audit_report_in_both_languages() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    station_with_erasure(home);
    refurbdesk(home)
        .args(["station", "--simulate", "--until-idle"])
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success();
    refurbdesk(home)
        .args(["grade", "--device", "356728114587211", "--partial"])
        .args(["--cosmetic", "screen=micro"])
        .assert()
        .success();
    // The marketplace asks for a warranty of 12 months at least.
    refurbdesk(home)
        .args(["settings", "set", "sale.warranty_months", "6"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("at least 12 months"));
    refurbdesk(home)
        .args(["settings", "set", "sale.warranty_months", "24"])
        .assert()
        .success();
    for (lang, title) in [
        ("en", "Device Audit Report"),
        ("fr", "Rapport d'audit de l'appareil"),
    ] {
        let issued = json_of(
            refurbdesk(home)
                .args([
                    "cert",
                    "report",
                    "--device",
                    "356728114587211",
                    "--json",
                    "--lang",
                    lang,
                    "--out",
                ])
                .arg(home.join("reports")),
        );
        assert_eq!(issued["kind"], "device_report");
        assert!(issued["device_id"].is_string());
        let pdf = PathBuf::from(issued["pdf"].as_str().unwrap());
        let text = pdftotext(&pdf);
        assert!(text.contains(title), "{text}");
        assert!(text.contains("356728114587211"), "{text}");
        // The battery's and the grade's reasons, told in the report's language.
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let french = [
            "L'état de santé de la batterie est de",
            "Cette note est partielle : tout n'a pas encore été vérifié",
            "L'écran présente des micro-rayures invisibles à 20 cm",
            "Écran Micro-rayures",
            "Garantie 24 mois à compter de la vente",
            "Étanchéité Non garantie après reconditionnement",
        ];
        let english = [
            "Battery health is",
            "This is a partial grade:",
            "The screen has micro-scratches invisible at 20 cm",
            "Screen Micro-scratches",
            "Warranty 24 months from the sale",
            "Water resistance Not guaranteed after refurbishment",
        ];
        let (told, not_told) = match lang {
            "fr" => (french, english),
            _ => (english, french),
        };
        for (told, not_told) in told.iter().zip(not_told) {
            assert!(flat.contains(told), "{told:?} missing from:\n{text}");
            assert!(!flat.contains(not_told), "{not_told:?} printed in:\n{text}");
        }
        refurbdesk(home)
            .args(["cert", "verify"])
            .arg(&pdf)
            .assert()
            .success();
    }
}
