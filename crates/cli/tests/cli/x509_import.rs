//! `cert key import-x509`: the organisation's certificate from a certificate authority, as a
//! PKCS#12 file made by the real `openssl` tool, signs the PDF files from then on — `pdfsig`
//! names it and finds the signature valid — and every file that cannot be used is refused
//! with the reason, the signing certificate left as it was.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use crate::support::{json_of, Station};

const PASSWORD: &str = "s3cret passphrase";

/// Runs `openssl` with these arguments in `dir`, failing the test with its output if it fails.
fn openssl(dir: &Path, args: &[&str]) {
    let output = Process::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("openssl is installed");
    assert!(
        output.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A certificate authority's root, and a PKCS#12 file holding the organisation's key (made
/// with `key_algorithm`, e.g. `EC` or `RSA`), its certificate signed by that root, and the root.
/// `extra` selects the file's encryption (empty: OpenSSL 3's default, PBES2 with AES-256).
fn authority_issued_p12(dir: &Path, key_args: &[&str], extra: &[&str]) -> PathBuf {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "30",
            "-subj",
            "/CN=Test Root CA/O=Test Trust",
        ],
    );
    let mut genkey = vec!["genpkey", "-out", "org.key"];
    genkey.extend_from_slice(key_args);
    openssl(dir, &genkey);
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-key",
            "org.key",
            "-out",
            "org.csr",
            "-subj",
            "/CN=Atelier Nord Signing/O=Atelier Nord SAS",
        ],
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "org.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "org.pem",
            "-days",
            "20",
        ],
    );
    let pass = format!("pass:{PASSWORD}");
    let mut export = vec![
        "pkcs12",
        "-export",
        "-inkey",
        "org.key",
        "-in",
        "org.pem",
        "-certfile",
        "ca.pem",
        "-out",
        "org.p12",
        "-passout",
        &pass,
    ];
    export.extend_from_slice(extra);
    openssl(dir, &export);
    dir.join("org.p12")
}

fn p256_p12(dir: &Path) -> PathBuf {
    authority_issued_p12(
        dir,
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        &[],
    )
}

/// A station whose organisation is named, as every certificate names its issuer.
fn station() -> Station {
    let station = Station::new();
    station
        .run(&["settings", "set", "organisation.name", "Atelier Nord SAS"])
        .assert()
        .success();
    station
}

/// Issues the erasure certificate of one verified image erasure; returns the PDF.
fn issued_pdf(station: &Station) -> PathBuf {
    let image = station.home.path().join("disk.img");
    std::fs::write(&image, vec![0x5a_u8; 1 << 20]).unwrap();
    let output = station
        .run(&[
            "erase",
            "--method",
            "zero",
            "--yes-erase-image",
            "--json",
            "--target",
        ])
        .arg(&image)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let erasure = json_of(&output.stdout);
    let output = station
        .run(&["cert", "issue", "--json", "--out"])
        .arg(station.home.path().join("out"))
        .args(["--erasure", erasure["id"].as_str().unwrap()])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    PathBuf::from(json_of(&output.stdout)["pdf"].as_str().unwrap())
}

fn pdfsig(path: &Path) -> String {
    let output = Process::new("pdfsig")
        .arg(path)
        .output()
        .expect("pdfsig is installed (poppler-utils)");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn pdf_certificate(station: &Station) -> serde_json::Value {
    let output = station
        .run(&["cert", "key", "show", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    json_of(&output.stdout)["pdf_certificate"].clone()
}

#[test]
fn an_authority_issued_certificate_signs_the_pdf_files_from_then_on() {
    let station = station();
    let before = issued_pdf(&station);
    assert_eq!(pdf_certificate(&station)["self_signed"], true);

    let p12 = p256_p12(station.home.path());
    let output = station
        .run(&["cert", "key", "import-x509", "--json"])
        .arg(&p12)
        .env("REFURBDESK_P12_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let imported = json_of(&output.stdout);
    assert_eq!(imported["self_signed"], false, "{imported}");
    assert!(
        imported["issuer"]
            .as_str()
            .unwrap()
            .contains("Test Root CA"),
        "{imported}"
    );
    assert_eq!(pdf_certificate(&station), imported);
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains(PASSWORD),
        "the password is never echoed"
    );

    let after = issued_pdf(&station);
    let report = pdfsig(&after);
    assert!(
        report.contains("Signature Validation: Signature is Valid."),
        "{report}"
    );
    assert!(report.contains("Total document signed"), "{report}");
    assert!(
        report.contains("Common Name: Atelier Nord Signing"),
        "{report}"
    );
    station
        .run(&["cert", "verify"])
        .arg(&after)
        .assert()
        .success();
    // The document signed before keeps its own, self-signed signature.
    let report = pdfsig(&before);
    assert!(
        report.contains("Signature Validation: Signature is Valid."),
        "{report}"
    );
    assert!(!report.contains("Atelier Nord Signing"), "{report}");
    station
        .run(&["cert", "verify"])
        .arg(&before)
        .assert()
        .success();
}

#[test]
fn a_legacy_triple_des_file_is_read_with_the_password_from_standard_input() {
    let station = station();
    let p12 = authority_issued_p12(
        station.home.path(),
        &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        &[
            "-certpbe",
            "PBE-SHA1-3DES",
            "-keypbe",
            "PBE-SHA1-3DES",
            "-macalg",
            "sha1",
        ],
    );
    station
        .run(&["cert", "key", "import-x509"])
        .arg(&p12)
        .write_stdin(format!("{PASSWORD}\n"))
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "CN=Atelier Nord Signing issued by O=Test Trust,CN=Test Root CA",
        ));
    assert_eq!(pdf_certificate(&station)["self_signed"], false);
}

#[test]
fn an_unusable_file_is_refused_with_its_reason_and_changes_nothing() {
    let station = station();
    issued_pdf(&station);
    let before = pdf_certificate(&station);
    let dir = station.home.path();

    let p12 = p256_p12(dir);
    station
        .run(&["cert", "key", "import-x509"])
        .arg(&p12)
        .env("REFURBDESK_P12_PASSWORD", "not the password")
        .assert()
        .code(8)
        .stderr(predicates::str::contains("the password is wrong"));

    let rsa_dir = dir.join("rsa");
    std::fs::create_dir(&rsa_dir).unwrap();
    let rsa = authority_issued_p12(
        &rsa_dir,
        &["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
        &[],
    );
    station
        .run(&["cert", "key", "import-x509"])
        .arg(&rsa)
        .env("REFURBDESK_P12_PASSWORD", PASSWORD)
        .assert()
        .code(8)
        .stderr(predicates::str::contains("it is an RSA key"))
        .stderr(predicates::str::contains("P-256"));

    let not_p12 = dir.join("org.pem");
    station
        .run(&["cert", "key", "import-x509"])
        .arg(&not_p12)
        .env("REFURBDESK_P12_PASSWORD", PASSWORD)
        .assert()
        .code(8)
        .stderr(predicates::str::contains("not a PKCS#12 file"));

    station
        .run(&["cert", "key", "import-x509"])
        .arg(dir.join("missing.p12"))
        .env("REFURBDESK_P12_PASSWORD", PASSWORD)
        .assert()
        .code(4)
        .stderr(predicates::str::contains("missing.p12"));

    assert_eq!(pdf_certificate(&station), before);
}

#[test]
fn only_an_admin_may_change_the_signing_certificate() {
    let station = station();
    station
        .run(&["operator", "add", "boss", "--role", "admin"])
        .assert()
        .success();
    station
        .run(&[
            "--operator",
            "boss",
            "operator",
            "add",
            "tom",
            "--role",
            "technician",
        ])
        .assert()
        .success();
    let p12 = p256_p12(station.home.path());
    station
        .run(&["--operator", "tom", "cert", "key", "import-x509"])
        .arg(&p12)
        .env("REFURBDESK_P12_PASSWORD", PASSWORD)
        .assert()
        .code(7);
    assert!(pdf_certificate(&station).is_null());
    station
        .run(&["--operator", "boss", "cert", "key", "import-x509"])
        .arg(&p12)
        .env("REFURBDESK_P12_PASSWORD", PASSWORD)
        .assert()
        .success();
    assert_eq!(pdf_certificate(&station)["self_signed"], false);
}
