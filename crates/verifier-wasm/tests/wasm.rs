//! The WebAssembly module gives the answers the Rust verifier gives on the host, on the same
//! files: documents issued by the certificate crate, intact and tampered. Node runs the module
//! through `js/verifier.mjs`, the loader the verification page uses.
//!
//! Needs the module built: `scripts/build-verifier` (the test command runs it first).

use std::path::{Path, PathBuf};
use std::process::Command;

use refurbdesk_certificate::{issue, samples, Lang, PrintOptions, Signer};
use refurbdesk_verifier_wasm::verify_to_json;
use serde_json::Value;

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"))
}

/// The module's answers for `files`, one per file, in order.
fn in_the_module(keys: &Path, files: &[PathBuf]) -> Vec<Value> {
    let module = target_dir().join("verifier/refurbdesk-verifier.wasm");
    assert!(
        module.is_file(),
        "no module at {}: run scripts/build-verifier first",
        module.display()
    );
    let output = Command::new("node")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/run.mjs"))
        .arg(&module)
        .arg(keys)
        .args(files)
        .output()
        .expect("node runs (scripts/lib.sh installs it)");
    assert!(
        output.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON answer a line"))
        .collect()
}

/// `value` with every number as JavaScript holds it (a double): the module's answer went
/// through `JSON.parse`, which writes `3227.0` as `3227`.
fn numbers_as_js(value: &Value) -> Value {
    match value {
        Value::Number(number) => number
            .as_f64()
            .and_then(serde_json::Number::from_f64)
            .map_or(Value::Null, Value::Number),
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_js).collect()),
        Value::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(key, value)| (key.clone(), numbers_as_js(value)))
                .collect(),
        ),
        other => other.clone(),
    }
}

#[test]
fn the_module_answers_as_the_rust_verifier_on_intact_and_tampered_files() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let signer = Signer::ephemeral([42; 32]);
    let stranger = Signer::ephemeral([7; 32]);
    let keys = serde_json::to_vec(&[signer.info().clone()]).expect("keys as JSON");
    let keys_file = dir.path().join("keys.json");
    std::fs::write(&keys_file, &keys).expect("keys written");

    let options = PrintOptions::default();
    let erasure = issue(
        &samples::erasure_certificate(1),
        Lang::Fr,
        &signer,
        &options,
    )
    .expect("an erasure certificate");
    let report =
        issue(&samples::device_report(2), Lang::En, &signer, &options).expect("a device report");
    let foreign = issue(
        &samples::erasure_certificate(3),
        Lang::En,
        &stranger,
        &options,
    )
    .expect("a certificate from a key not trusted");
    let mut flipped = erasure.pdf.clone();
    let middle = flipped.len() / 2;
    flipped[middle] ^= 0x01;
    let mut appended = erasure.pdf.clone();
    appended.extend_from_slice(b"\n% an update appended after sealing\n");
    let mut data_changed: Value = serde_json::from_slice(&report.json).expect("the JSON export");
    data_changed["document"]["issuer"]["name"] = Value::from("Someone Else SAS");

    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("erasure.pdf", erasure.pdf.clone(), "valid"),
        ("report.pdf", report.pdf.clone(), "valid"),
        ("report.json", report.json.clone(), "valid"),
        ("flipped.pdf", flipped, "invalid"),
        ("appended.pdf", appended, "invalid"),
        ("foreign.pdf", foreign.pdf.clone(), "unknown_key"),
        (
            "changed.json",
            serde_json::to_vec(&data_changed).expect("JSON"),
            "signature",
        ),
        (
            "garbage.bin",
            b"not a document at all".to_vec(),
            "not_a_document",
        ),
    ];
    let mut files = Vec::new();
    for (name, bytes, _) in &cases {
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("a sample written");
        files.push(path);
    }
    let answers = in_the_module(&keys_file, &files);
    assert_eq!(answers.len(), cases.len());
    for ((name, bytes, expected), in_browser) in cases.iter().zip(&answers) {
        let on_host: Value = serde_json::from_str(&verify_to_json(bytes, &keys)).expect("JSON");
        assert_eq!(
            numbers_as_js(in_browser),
            numbers_as_js(&on_host),
            "{name}: the module and the host differ"
        );
        match *expected {
            "valid" => assert_eq!(on_host["valid"], true, "{name}: {on_host}"),
            "invalid" => assert_eq!(on_host["valid"], false, "{name}: {on_host}"),
            code => {
                assert_eq!(on_host["valid"], false, "{name}: {on_host}");
                assert_eq!(on_host["code"], code, "{name}: {on_host}");
            }
        }
    }
    // What the page compares with the QR code's link: the document's id and digest.
    let first = &answers[0];
    assert_eq!(first["id"], erasure.signed.document["id"]);
    assert_eq!(first["digest"], erasure.signed.signature_digest());
    assert_eq!(first["kind"], "erasure_certificate");

    // Keys that are not a list of keys are said so, not taken as "no keys".
    let bad: Value =
        serde_json::from_str(&verify_to_json(&erasure.pdf, b"{\"key\": 1}")).expect("JSON");
    assert_eq!(bad["code"], "bad_keys", "{bad}");
}
