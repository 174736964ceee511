//! `batch report | export | certificates` on the 30-device batch `tradein.rs` audits: the
//! report refused while devices are unaudited, then issued, recorded and verified (read back
//! with pdftotext), the audit exported as CSV and XLSX and read back, the certificates zipped.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

type Cli = fn(&Path, &str) -> Command;

fn json(cmd: &mut Command) -> Value {
    let output = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&output)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&output)))
}

/// Before any received device is audited, the report is refused, naming the lines left.
pub(crate) fn refused_while_unaudited(home: &Path, batch: &str, refurbdesk: Cli) {
    refurbdesk(home, "aude")
        .args(["batch", "report", batch, "--out"])
        .arg(home.join("reports"))
        .assert()
        .code(7)
        .stderr(predicate::str::contains(
            "29 received devices not audited yet",
        ));
    assert!(!home.join("reports").exists(), "nothing is written");
}

/// Once every received device is audited (revised total 6437.00 of 7260.00).
pub(crate) fn issued_exported_and_zipped(home: &Path, batch: &str, refurbdesk: Cli) {
    refurbdesk(home, "ada")
        .args([
            "settings",
            "set",
            "organisation.name",
            "Atelier Reprise SAS",
        ])
        .assert()
        .success();
    // Certificates for three erased devices of the batch.
    let audit = json(refurbdesk(home, "aude").args(["batch", "audit", batch, "--json"]));
    let erasures: Vec<String> = audit["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|line| line["erasure"]["erasure_id"].as_str().map(str::to_owned))
        .take(3)
        .collect();
    assert_eq!(erasures.len(), 3, "{audit}");
    let mut certificates = Vec::new();
    for erasure in &erasures {
        let issued = json(
            refurbdesk(home, "tom")
                .args(["cert", "issue", "--erasure", erasure, "--json", "--out"])
                .arg(home.join("certs")),
        );
        certificates.push(issued["id"].as_str().unwrap().to_owned());
    }

    // A technician may not issue a batch report; the batch auditor may.
    refurbdesk(home, "tom")
        .args(["batch", "report", batch, "--out"])
        .arg(home.join("reports"))
        .assert()
        .code(7);
    let output = refurbdesk(home, "aude")
        .args(["batch", "report", batch, "--lang", "en", "--out"])
        .arg(home.join("reports"))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let pdf = PathBuf::from(String::from_utf8(output).unwrap().trim());
    assert!(pdf.exists(), "{}", pdf.display());
    refurbdesk(home, "aude")
        .arg("cert")
        .arg("verify")
        .arg(&pdf)
        .assert()
        .success()
        .stdout(predicate::str::contains("valid: batch_report"));
    let text = Process::new("pdftotext")
        .args(["-raw", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("poppler-utils");
    let text = String::from_utf8(text.stdout).unwrap();
    let flat: String = text.split_whitespace().collect();
    for expected in [
        "Trade-in Batch Audit Report",
        "Flotte Mobile SAS",
        "7260.00 EUR",
        "6437.00 EUR",
        "Returned to the customer",
        "Not received",
        "Missing the charger, which a laptop must come with: −25.00 EUR",
        batch,
        &certificates[0],
        &certificates[2],
    ] {
        let squeezed: String = expected.split_whitespace().collect();
        assert!(
            flat.contains(&squeezed),
            "{expected:?} missing from:\n{text}"
        );
    }
    // Recorded with the other documents.
    let listed = json(refurbdesk(home, "aude").args(["cert", "list", "--json"]));
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|document| document["kind"] == "batch_report"));

    // CSV: one row per declared line, then the extra device; the sums add up.
    let csv_path = home.join("audit.csv");
    refurbdesk(home, "aude")
        .args(["batch", "export", batch, "--format", "csv", "--out"])
        .arg(&csv_path)
        .assert()
        .success()
        .stdout(predicate::str::contains("31 rows"));
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "line");
    assert_eq!(headers.len(), 24);
    let column = |name: &str| headers.iter().position(|header| header == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 31);
    let cents = |text: &str| -> u64 {
        let (units, decimals) = text.split_once('.').unwrap();
        units.parse::<u64>().unwrap() * 100 + decimals.parse::<u64>().unwrap()
    };
    let quoted: u64 = rows
        .iter()
        .filter(|row| !row[column("quoted")].is_empty())
        .map(|row| cents(&row[column("quoted")]))
        .sum();
    let revised: u64 = rows
        .iter()
        .filter(|row| !row[column("revised")].is_empty())
        .map(|row| cents(&row[column("revised")]))
        .sum();
    assert_eq!((quoted, revised), (726_000, 643_700));
    assert_eq!(&rows[30][column("status")], "extra");
    assert_eq!(
        rows.iter()
            .filter(|row| &row[column("status")] == "missing")
            .count(),
        1
    );
    assert!(rows
        .iter()
        .any(|row| row[column("adjustments")].contains("[accessory.mandatory]")));

    // XLSX: the same rows, money as numbers.
    let xlsx_path = home.join("audit.xlsx");
    refurbdesk(home, "aude")
        .args([
            "batch", "export", batch, "--format", "xlsx", "--lang", "fr", "--out",
        ])
        .arg(&xlsx_path)
        .assert()
        .success();
    use calamine::{open_workbook, Data, Reader, Xlsx};
    let mut workbook: Xlsx<_> = open_workbook(&xlsx_path).unwrap();
    let range = workbook.worksheet_range("batch").unwrap();
    assert_eq!(range.height(), 32);
    let revised_col = column("revised");
    let total: f64 = range
        .rows()
        .skip(1)
        .filter_map(|row| match &row[revised_col] {
            Data::Float(value) => Some(*value),
            _ => None,
        })
        .sum();
    assert!((total - 6437.0).abs() < 0.001, "{total}");
    assert!(range
        .rows()
        .any(|row| row[column("adjustments")].to_string().contains("chargeur")));

    // Every certificate of the batch's devices, in one archive.
    let gathered = json(
        refurbdesk(home, "aude")
            .args(["batch", "certificates", batch, "--zip", "--json", "--out"])
            .arg(home.join("zip")),
    );
    assert_eq!(gathered["count"], 3);
    let archive = std::fs::File::open(gathered["zip"].as_str().unwrap()).unwrap();
    let mut archive = zip::ZipArchive::new(archive).unwrap();
    let mut names: Vec<String> = archive
        .file_names()
        .map(|name| name.unwrap().into_owned())
        .collect();
    names.sort();
    let mut expected: Vec<String> = certificates
        .iter()
        .map(|id| format!("erasure-certificate-{id}.pdf"))
        .collect();
    expected.sort();
    assert_eq!(names, expected);
    let mut first = Vec::new();
    archive
        .by_name(&names[0])
        .unwrap()
        .read_to_end(&mut first)
        .unwrap();
    assert!(first.starts_with(b"%PDF-"));
}
