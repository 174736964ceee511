//! The standard PDF signature through the real binary: `cert issue` makes a PDF that poppler's
//! `pdfsig` finds signed, valid and wholly covered; `cert key show` and `cert key export --x509`
//! tell and write the certificate; a tampered file fails both `cert verify` and `pdfsig`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const ORGANISATION: &str = "Atelier Reconditionné SAS";

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

/// Issues the erasure certificate of one verified image erasure; returns the PDF.
fn issued_pdf(home: &Path) -> PathBuf {
    refurbdesk(home)
        .args(["settings", "set", "organisation.name", ORGANISATION])
        .assert()
        .success();
    let image = home.join("disk.img");
    std::fs::write(&image, vec![0x5a_u8; 1 << 20]).unwrap();
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
    let issued = json_of(
        refurbdesk(home)
            .args(["cert", "issue", "--json", "--out"])
            .arg(home.join("out"))
            .args(["--erasure", erasure["id"].as_str().unwrap()]),
    );
    PathBuf::from(issued["pdf"].as_str().unwrap())
}

fn pdfsig(path: &Path) -> String {
    let output = std::process::Command::new("pdfsig")
        .arg(path)
        .output()
        .expect("pdfsig is installed (poppler-utils)");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

#[test]
fn an_issued_certificate_carries_a_pdf_signature_readers_find_valid() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    refurbdesk(home)
        .args(["cert", "key", "show"])
        .assert()
        .success()
        .stdout(predicates::str::contains("no PDF signing certificate yet"));
    let pdf = issued_pdf(home);
    let report = pdfsig(&pdf);
    assert!(
        report.contains("Signature Validation: Signature is Valid."),
        "{report}"
    );
    assert!(report.contains("Total document signed"), "{report}");
    assert!(
        report.contains("Signature Type: ETSI.CAdES.detached"),
        "{report}"
    );
    assert!(
        report.contains(&format!("Common Name: {ORGANISATION}")),
        "{report}"
    );
    refurbdesk(home)
        .arg("cert")
        .arg("verify")
        .arg(&pdf)
        .assert()
        .success();

    let keys = json_of(refurbdesk(home).args(["cert", "key", "show", "--json"]));
    let certificate = &keys["pdf_certificate"];
    assert_eq!(certificate["self_signed"], true);
    assert!(
        certificate["subject"]
            .as_str()
            .unwrap()
            .contains(ORGANISATION),
        "{certificate}"
    );
    let fingerprint = certificate["fingerprint"].as_str().unwrap().to_owned();
    refurbdesk(home)
        .args(["cert", "key", "show"])
        .assert()
        .success()
        .stdout(predicates::str::contains(format!(
            "fingerprint {fingerprint}"
        )))
        .stdout(predicates::str::contains("self-signed"));
    let secret = Path::new(keys["keys_dir"].as_str().unwrap()).join("pdf-certificate.key");
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&secret).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", secret.display());
    }

    let pem = home.join("org-certificate.pem");
    let exported = json_of(
        refurbdesk(home)
            .args(["cert", "key", "export", "--x509", "--json", "--out"])
            .arg(&pem),
    );
    assert_eq!(exported["fingerprint"], fingerprint.as_str());
    let text = std::fs::read_to_string(&pem).unwrap();
    assert!(text.starts_with("-----BEGIN CERTIFICATE-----"), "{text}");
    assert!(!text.contains("PRIVATE KEY"));
}

#[test]
fn an_update_appended_to_a_certificate_fails_cert_verify_and_pdfsig() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let pdf = issued_pdf(home);
    let mut bytes = std::fs::read(&pdf).unwrap();
    bytes.extend_from_slice(
        b"\n1 0 obj\n<< /Length 40 >>\nstream\nBT /F1 24 Tf 72 720 Td (Forged) Tj ET\nendstream\nendobj\n",
    );
    let forged = home.join("forged.pdf");
    std::fs::write(&forged, &bytes).unwrap();
    refurbdesk(home)
        .arg("cert")
        .arg("verify")
        .arg(&forged)
        .assert()
        .failure();
    let report = pdfsig(&forged);
    assert!(
        !report.contains("Total document signed") || !report.contains("Signature is Valid."),
        "{report}"
    );
}
