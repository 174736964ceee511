//! `refurbdesk cert issue --reissue --reason TEXT`: a new certificate for an erasure that already
//! has one names the one it replaces (on the document, in English and French, and in
//! `cert list --json`); the first stays valid and `cert verify` on it names its replacement.

use std::path::Path;

use crate::inputs::{erase_image, json_of, refurbdesk, run, settings_set};

fn pdftotext(path: &Path) -> String {
    let output = std::process::Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext runs (poppler-utils)");
    assert!(output.status.success());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_reissued_certificate_names_the_one_it_replaces_which_stays_valid() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    assert_eq!(settings_set(home, "organisation.name", "Atelier SAS").0, 0);
    let erasure = erase_image(home, "disk.img");
    let out = home.join("out");
    let issue = |extra: &[&str]| {
        let mut cmd = refurbdesk(home);
        cmd.args(["cert", "issue", "--json", "--erasure", &erasure, "--out"])
            .arg(&out)
            .args(extra);
        cmd
    };
    let first = json_of(&mut issue(&[]));
    let first_id = first["id"].as_str().unwrap().to_owned();
    assert_eq!(first["replaces"], serde_json::Value::Null);

    // Without --reissue the refusal stands, and its advice names the way to reissue.
    let (code, line) = run(&mut issue(&[]));
    assert_eq!(code, 7, "{line}");
    assert!(line.contains(&first_id), "{line}");
    assert!(line.contains("--reissue --reason"), "{line}");
    // --reissue needs --reason, and a blank reason is no reason.
    let output = issue(&["--reissue"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--reason <TEXT>"), "{stderr}");
    let (code, line) = run(&mut issue(&["--reissue", "--reason", "  "]));
    assert_eq!(code, 2, "{line}");
    assert!(line.contains("reason"), "{line}");
    let (code, _) = run(&mut issue(&["--reason", "typo"]));
    assert_eq!(code, 2, "--reason alone");

    let second = json_of(&mut issue(&[
        "--reissue",
        "--reason",
        "wrong asset tag",
        "--lang",
        "fr",
    ]));
    let second_id = second["id"].as_str().unwrap().to_owned();
    assert_eq!(second["replaces"], first_id.as_str());
    let text = pdftotext(Path::new(second["pdf"].as_str().unwrap()));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Remplace le certificat"), "{flat}");
    assert!(flat.contains(&first_id), "{flat}");
    assert!(flat.contains("wrong asset tag"), "{flat}");

    // The list names both links; the first is not void.
    let listed = json_of(refurbdesk(home).args(["cert", "list", "--json"]));
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    let find = |id: &str| {
        listed
            .iter()
            .find(|entry| entry["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(find(&first_id)["replaced_by"], second_id.as_str());
    assert_eq!(find(&first_id)["voided"], false);
    assert_eq!(find(&second_id)["replaces"], first_id.as_str());

    // cert verify on the first: valid, and it lists its replacement.
    let first_pdf = first["pdf"].as_str().unwrap();
    let output = refurbdesk(home)
        .args(["cert", "verify", first_pdf])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let said = String::from_utf8_lossy(&output);
    assert!(said.starts_with("valid: "), "{said}");
    assert!(
        said.contains(&format!("replaced by certificate {second_id}"))
            && said.contains("wrong asset tag"),
        "{said}"
    );
    let verified = json_of(refurbdesk(home).args(["cert", "verify", "--json", first_pdf]));
    assert_eq!(verified["valid"], true);
    assert_eq!(verified["replaced_by"]["id"], second_id.as_str());
    let verified = json_of(refurbdesk(home).args([
        "cert",
        "verify",
        "--json",
        second["pdf"].as_str().unwrap(),
    ]));
    assert_eq!(verified["replaces"], first_id.as_str());

    // A third replaces the second (the head of the chain), in English words.
    let third = json_of(&mut issue(&[
        "--reissue",
        "--reason",
        "customer asked for English",
        "--lang",
        "en",
    ]));
    assert_eq!(third["replaces"], second_id.as_str());
    let text = pdftotext(Path::new(third["pdf"].as_str().unwrap()));
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("Replaces certificate"), "{flat}");
    assert!(flat.contains(&second_id), "{flat}");

    refurbdesk(home).args(["db", "check"]).assert().success();
    refurbdesk(home)
        .args(["audit", "verify"])
        .assert()
        .success();
}

#[test]
fn reissuing_an_erasure_without_a_certificate_is_a_usage_error() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let erasure = erase_image(home, "disk.img");
    let (code, line) = run(refurbdesk(home).args([
        "cert",
        "issue",
        "--erasure",
        &erasure,
        "--reissue",
        "--reason",
        "why not",
    ]));
    assert_eq!(code, 2, "{line}");
    assert!(line.contains("no valid certificate to replace"), "{line}");
}
