//! The standard PDF signature, checked by a real PDF reader: poppler's `pdfsig` finds it, finds
//! it valid and covering the whole file, and stops finding it valid after every tamper the
//! Refurbdesk seal catches. Files from before it (seal only) still verify.

use std::path::Path;
use std::process::Command;
use std::time::SystemTime;

use refurbdesk_certificate::pades::certificate_info;
use refurbdesk_certificate::{
    issue, samples, verify_bytes, Lang, PdfSigner, PrintOptions, Signer, TrustedKeys,
};

struct Pdfsig {
    success: bool,
    text: String,
}

fn pdfsig(path: &Path) -> Pdfsig {
    let output = Command::new("pdfsig")
        .arg(path)
        .output()
        .unwrap_or_else(|error| panic!("pdfsig is missing ({error}); install poppler-utils"));
    Pdfsig {
        success: output.status.success(),
        text: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

/// Whether pdfsig accepts the file's one signature as valid over the whole document.
fn valid_and_total(result: &Pdfsig) -> bool {
    result.success
        && result
            .text
            .contains("Signature Validation: Signature is Valid.")
        && result.text.contains("Total document signed")
}

fn signer() -> Signer {
    Signer::ephemeral([42; 32])
}

fn trusted(signer: &Signer) -> TrustedKeys {
    let mut trusted = TrustedKeys::new();
    trusted.add(signer.info().clone());
    trusted
}

fn options(organisation: &str) -> PrintOptions {
    PrintOptions {
        pdf_signer: Some(PdfSigner::self_signed(organisation, SystemTime::now()).unwrap()),
        ..PrintOptions::default()
    }
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn pdfsig_finds_a_valid_signature_over_the_whole_file_and_the_seal_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let signer = signer();
    let organisation = samples::organisation().name;
    let options = options(&organisation);
    for (n, document) in samples::all(3).iter().enumerate() {
        for lang in [Lang::En, Lang::Fr] {
            let issued = issue(document, lang, &signer, &options).unwrap();
            verify_bytes(&issued.pdf, &trusted(&signer)).unwrap();
            let path = write(dir.path(), &format!("{n}-{lang:?}.pdf"), &issued.pdf);
            let result = pdfsig(&path);
            assert!(valid_and_total(&result), "{}", result.text);
            assert!(
                result.text.contains("ETSI.CAdES.detached"),
                "{}",
                result.text
            );
            assert!(
                result.text.contains("Signature Type: ETSI.CAdES.detached"),
                "{}",
                result.text
            );
            assert!(
                result.text.contains("Signing Hash Algorithm: SHA-256"),
                "{}",
                result.text
            );
            assert!(result.text.contains(&organisation), "{}", result.text);
            // A self-signed certificate is not one the reader trusts: expected, documented.
            assert!(
                result.text.contains("Certificate issuer isn't Trusted")
                    || result.text.contains("Certificate issuer is unknown"),
                "{}",
                result.text
            );
        }
    }
}

#[test]
fn every_tamper_the_seal_catches_also_breaks_the_pdf_signature() {
    let dir = tempfile::tempdir().unwrap();
    let signer = signer();
    let document = samples::erasure_certificate(1);
    let issued = issue(&document, Lang::En, &signer, &options("Atelier Test")).unwrap();
    let pdf = issued.pdf;

    let mut tampered: Vec<(&str, Vec<u8>)> = Vec::new();
    // A byte in the first page's content stream (compressed text).
    let stream_at = memmem(&pdf, b"stream\n").unwrap() + 20;
    let mut bytes = pdf.clone();
    bytes[stream_at] ^= 0x01;
    tampered.push(("page content", bytes));
    // A byte in the embedded JSON (left uncompressed only if small, so find its stream).
    let mut bytes = pdf.clone();
    let json_at = memmem(&pdf, b"/EmbeddedFile").unwrap();
    let json_stream = json_at + memmem(&pdf[json_at..], b"stream").unwrap() + 40;
    bytes[json_stream] ^= 0x01;
    tampered.push(("embedded JSON", bytes));
    // The catalogue, in plain text: how viewers open the file.
    let mut bytes = pdf.clone();
    let mode_at = memmem(&pdf, b"/UseAttachments").unwrap();
    bytes[mode_at + 1] = b'X';
    tampered.push(("page mode", bytes));
    // An incremental update that replaces the first page's content.
    let mut bytes = pdf.clone();
    bytes.extend_from_slice(
        b"\n5 0 obj\n<< /Length 44 >>\nstream\nBT /F1 24 Tf 72 720 Td (Forged text) Tj ET\nendstream\nendobj\n",
    );
    tampered.push(("appended update", bytes));
    // The seal's own signature.
    let mut bytes = pdf.clone();
    let seal_at = memmem(&pdf, b"/Filter/Refurbdesk.Ed25519.ByteRange").unwrap();
    let contents_at = seal_at + memmem(&pdf[seal_at..], b"/Contents<").unwrap() + 12;
    bytes[contents_at] = if bytes[contents_at] == b'0' {
        b'1'
    } else {
        b'0'
    };
    tampered.push(("seal signature", bytes));

    for (what, bytes) in tampered {
        assert!(
            verify_bytes(&bytes, &trusted(&signer)).is_err(),
            "cert verify accepted a changed {what}"
        );
        let result = pdfsig(&write(dir.path(), "tampered.pdf", &bytes));
        assert!(
            !valid_and_total(&result),
            "pdfsig accepted a changed {what}: {}",
            result.text
        );
    }
}

#[test]
fn a_changed_pdf_signature_is_caught_by_pdfsig_and_by_cert_verify() {
    let dir = tempfile::tempdir().unwrap();
    let signer = signer();
    let issued = issue(
        &samples::device_report(2),
        Lang::Fr,
        &signer,
        &options("Atelier Test"),
    )
    .unwrap();
    let mut bytes = issued.pdf.clone();
    let at = memmem(&bytes, b"/SubFilter/ETSI.CAdES.detached").unwrap();
    let sig_dict = bytes[..at]
        .windows(2)
        .rposition(|window| window == b"<<")
        .unwrap();
    let contents = sig_dict + memmem(&bytes[sig_dict..], b"/Contents<").unwrap();
    // A digit of the ECDSA signature, the last field of the CMS structure before the padding.
    let data_end = contents + memmem(&bytes[contents..], b"0000000000").unwrap();
    let contents = data_end - 8;
    bytes[contents] = if bytes[contents] == b'a' { b'b' } else { b'a' };
    let result = pdfsig(&write(dir.path(), "changed-signature.pdf", &bytes));
    assert!(!valid_and_total(&result), "{}", result.text);
    // The seal leaves that hole out, but `cert verify` checks the PDF signature too.
    let error = verify_bytes(&bytes, &trusted(&signer)).unwrap_err();
    assert!(
        matches!(error, refurbdesk_certificate::VerifyError::PdfSignature(_)),
        "{error}"
    );
    // Putting a non-hex byte in the hole the seal leaves out is refused by the seal too.
    bytes[contents] = b'z';
    assert!(verify_bytes(&bytes, &trusted(&signer)).is_err());
}

#[test]
fn files_without_the_pdf_signature_still_verify() {
    let dir = tempfile::tempdir().unwrap();
    let signer = signer();
    let issued = issue(
        &samples::erasure_certificate(4),
        Lang::En,
        &signer,
        &PrintOptions::default(),
    )
    .unwrap();
    verify_bytes(&issued.pdf, &trusted(&signer)).unwrap();
    let result = pdfsig(&write(dir.path(), "seal-only.pdf", &issued.pdf));
    assert!(
        result.text.contains("does not contain any signatures"),
        "{}",
        result.text
    );
}

#[test]
fn a_self_signed_certificate_names_the_organisation_and_round_trips_through_pem() {
    let signer = PdfSigner::self_signed("Atelier Éléphant & Fils", SystemTime::now()).unwrap();
    let info = signer.info();
    assert!(
        info.subject.contains("CN=Atelier Éléphant & Fils"),
        "{}",
        info.subject
    );
    assert!(info.self_signed);
    assert_eq!(info.fingerprint.len(), 64);
    assert!(info.not_after > info.not_before);
    let pem = signer.certificates_pem().unwrap();
    assert_eq!(certificate_info(&pem).unwrap(), info);
    let again = PdfSigner::from_pem(&pem, &signer.key_pem().unwrap()).unwrap();
    assert_eq!(again.info(), info);
    let other = PdfSigner::self_signed("Other", SystemTime::now()).unwrap();
    assert!(PdfSigner::from_pem(&pem, &other.key_pem().unwrap()).is_err());
}

fn memmem(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}
