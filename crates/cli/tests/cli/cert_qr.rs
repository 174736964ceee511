//! `refurbdesk cert verify --qr`: the QR code of a printed certificate, read from its PDF or from
//! a scan of the page (rendered by poppler), names the document this workstation issued.

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

/// A station with its organisation named, one image file erased and its certificate issued.
fn issued_certificate(home: &Path) -> (String, PathBuf) {
    refurbdesk(home)
        .args([
            "settings",
            "set",
            "organisation.name",
            "Atelier Reconditionné SAS",
        ])
        .assert()
        .success();
    let image = home.join("disk.img");
    std::fs::write(&image, vec![0x5a_u8; MIB]).unwrap();
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
            .args(["cert", "issue", "--json", "--lang", "en", "--erasure"])
            .arg(erasure["id"].as_str().unwrap())
            .arg("--out")
            .arg(home.join("out")),
    );
    (
        issued["id"].as_str().unwrap().to_owned(),
        PathBuf::from(issued["pdf"].as_str().unwrap()),
    )
}

/// The first page rendered at 300 dpi, as a scanner would give it.
fn scan(pdf: &Path) -> PathBuf {
    let stem = pdf.with_file_name("scan");
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "300", "-singlefile", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(&stem)
        .status()
        .expect("pdftoppm (poppler-utils) is installed by scripts/test");
    assert!(status.success());
    pdf.with_file_name("scan.png")
}

#[test]
fn the_qr_code_of_a_pdf_or_a_scan_names_the_certificate_and_it_verifies() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let (id, pdf) = issued_certificate(home);
    let png = scan(&pdf);
    // Plain text, not a link a phone cannot open: ZBar reads what the code says.
    let zbar = std::process::Command::new("zbarimg")
        .args(["--quiet", "--raw"])
        .arg(&png)
        .output()
        .expect("zbarimg (zbar-tools) is installed by scripts/test");
    let said = String::from_utf8(zbar.stdout).unwrap();
    assert!(
        said.starts_with(&format!("REFURBDESK erasure_certificate\nid={id}\ndigest=")),
        "{said}"
    );
    for file in [&pdf, &png] {
        refurbdesk(home)
            .args(["cert", "verify", "--qr"])
            .arg(file)
            .assert()
            .success()
            .stdout(
                predicate::str::starts_with(format!(
                    "QR code: REFURBDESK erasure_certificate id={id} digest="
                ))
                .and(predicate::str::contains(format!(
                    "valid: erasure_certificate {id} signed by key"
                )))
                .and(predicate::str::contains("the QR code's digest matches")),
            );
    }
    let found = json_of(
        refurbdesk(home)
            .args(["cert", "verify", "--json", "--qr"])
            .arg(&png),
    );
    assert_eq!(found["verification"]["valid"], true);
    assert_eq!(found["verification"]["id"], id.as_str());
    assert_eq!(found["digest_checked"], true);
    assert_eq!(found["qr_text"], said.trim_end());
}

#[test]
fn a_code_from_another_workstation_a_picture_without_one_or_no_database_is_said_so() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let (id, pdf) = issued_certificate(home);
    let png = scan(&pdf);

    // Another station with a database of its own: it never issued this document.
    let other = tempfile::tempdir().unwrap();
    let other = other.path();
    refurbdesk(other)
        .args(["settings", "set", "organisation.name", "Autre atelier"])
        .assert()
        .success();
    refurbdesk(other)
        .args(["cert", "verify", "--qr"])
        .arg(&png)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "invalid: no document {id} was issued at this workstation"
        )));

    // A station without a database cannot look the document up (and does not create one).
    let empty = tempfile::tempdir().unwrap();
    refurbdesk(empty.path())
        .args(["cert", "verify", "--qr"])
        .arg(&pdf)
        .assert()
        .code(4)
        .stderr(predicate::str::contains(format!(
            "names document {id}, but this workstation has no database"
        )));
    assert!(!empty.path().join("station.db").exists());

    // A picture with no code in it, and a file that is no picture.
    // (a corner of the page, far from the code)
    let blank = home.join("blank");
    let status = std::process::Command::new("pdftoppm")
        .args([
            "-png", "-r", "72", "-x", "0", "-y", "700", "-W", "120", "-H", "120",
        ])
        .arg("-singlefile")
        .arg(&pdf)
        .arg(&blank)
        .status()
        .unwrap();
    assert!(status.success());
    let blank = blank.with_extension("png");
    refurbdesk(home)
        .args(["cert", "verify", "--qr"])
        .arg(&blank)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("no QR code was found"));
    refurbdesk(home)
        .args(["cert", "verify", "--qr"])
        .arg(home.join("disk.img"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("neither a PDF nor a PNG image"));
    // A file and --qr at once is a usage error.
    refurbdesk(home)
        .args(["cert", "verify", "--qr"])
        .arg(&png)
        .arg(&pdf)
        .assert()
        .code(2);
}
