//! Labels read back the way a scanner reads them: the PDF rasterised by poppler (`pdftoppm`)
//! and decoded by ZBar (`zbarimg`, Debian's zbar-tools), both installed by scripts/test.

use std::path::Path;
use std::process::Command;

use refurbdesk_i18n::Lang;
use refurbdesk_label::{render_pdf, LabelFacts, LabelGrade, LabelSize};

const REPORT_LINK: &str =
    "refurbdesk:verify?id=0193a4b2-7c1d-7e2f-8a3b-4c5d6e7f8091&sig=9f86d081884c7d65";

fn phone(qr: &str) -> LabelFacts {
    LabelFacts {
        make: "Apple".into(),
        model: "iPhone 12".into(),
        storage_gb: Some(128),
        grade: Some(LabelGrade {
            listing: "VERY_GOOD".into(),
            outcome: "sellable".into(),
            partial: false,
        }),
        soh_pct: Some(86.0),
        imei: Some("356728114587211".into()),
        serial: Some("F17XK2ABCDEF".into()),
        qr: qr.into(),
    }
}

/// Every symbol ZBar finds in the PDF's page at 300 dpi, as `TYPE:data` lines.
fn decode(pdf: &[u8], dir: &Path) -> Vec<String> {
    let file = dir.join("label.pdf");
    std::fs::write(&file, pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-r", "300", "-png", "-singlefile"])
        .arg(&file)
        .arg(dir.join("label"))
        .status()
        .expect("pdftoppm (poppler-utils) is installed by scripts/test");
    assert!(status.success());
    let output = Command::new("zbarimg")
        .args(["-q", "--nodbus"])
        .arg(dir.join("label.png"))
        .output()
        .expect("zbarimg (zbar-tools) is installed by scripts/test");
    let mut symbols: Vec<String> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    symbols.sort();
    symbols
}

fn pdftotext(pdf: &[u8], dir: &Path) -> String {
    let file = dir.join("text.pdf");
    std::fs::write(&file, pdf).unwrap();
    let output = Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_50_by_25_label_scans_as_its_imei_serial_and_report_link() {
    let dir = tempfile::tempdir().unwrap();
    for lang in Lang::ALL {
        let pdf = render_pdf(&phone(REPORT_LINK), LabelSize::DEFAULT, lang).unwrap();
        let symbols = decode(&pdf, dir.path());
        assert_eq!(
            symbols,
            [
                "CODE-128:356728114587211".to_owned(),
                "CODE-128:F17XK2ABCDEF".to_owned(),
                format!("QR-Code:{REPORT_LINK}"),
            ],
            "{lang:?}"
        );
    }
    let text = pdftotext(
        &render_pdf(&phone(REPORT_LINK), LabelSize::DEFAULT, Lang::Fr).unwrap(),
        dir.path(),
    );
    for words in [
        "Apple iPhone 12 · 128 Go",
        "Très bon état",
        "Batterie 86",
        "IMEI 356728114587211",
        "N/S F17XK2ABCDEF",
    ] {
        assert!(text.contains(words), "{words:?} missing from:\n{text}");
    }
}

#[test]
fn the_page_is_the_label_size() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_pdf(
        &phone("356728114587211"),
        "62x29".parse().unwrap(),
        Lang::En,
    )
    .unwrap();
    let file = dir.path().join("size.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let output = Command::new("pdfinfo").arg(&file).output().unwrap();
    let info = String::from_utf8(output.stdout).unwrap();
    // 62 × 29 mm is 175.75 × 82.2 points.
    let page = info
        .lines()
        .find_map(|line| line.strip_prefix("Page size:"))
        .unwrap_or_default()
        .trim();
    assert!(
        page.starts_with("175.7") && page.contains("x 82.2"),
        "{info}"
    );
    let symbols = decode(&pdf, dir.path());
    assert_eq!(
        symbols,
        [
            "CODE-128:356728114587211",
            "CODE-128:F17XK2ABCDEF",
            "QR-Code:356728114587211"
        ]
    );
}

#[test]
fn a_label_with_only_a_serial_and_a_larger_size_scans_too() {
    let dir = tempfile::tempdir().unwrap();
    let facts = LabelFacts {
        imei: None,
        grade: None,
        soh_pct: None,
        storage_gb: None,
        serial: Some("C02XG0FDJGH5".into()),
        qr: "C02XG0FDJGH5".into(),
        ..phone("")
    };
    let pdf = render_pdf(&facts, "100x50".parse().unwrap(), Lang::En).unwrap();
    assert_eq!(
        decode(&pdf, dir.path()),
        ["CODE-128:C02XG0FDJGH5", "QR-Code:C02XG0FDJGH5"]
    );
    assert!(pdftotext(&pdf, dir.path()).contains("Not graded"));
}
