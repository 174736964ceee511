//! Use-case tests: labels. A phone recorded through the store's API and graded through the
//! grading use case; labels written as real PDF and ZPL files, read back with poppler and ZBar,
//! and sent to a real TCP listener standing in for a printer.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

use refurbdesk_app::documents::{self, ReportParams, VoidParams};
use refurbdesk_app::grade::{self, GradeParams};
use refurbdesk_app::label::{self, LabelOutput, LabelParams, QrSource};
use refurbdesk_app::{ErrorCode, Workstation};
use refurbdesk_domain::Lang;
use refurbdesk_grading::{Answer, CosmeticLevel, Zone};

use crate::support::{Phone, TestStation};

const IMEI: &str = "356728114587211";
const SERIAL: &str = "F17XK2ABCDEF";

const MANUAL_ITEMS: [&str; 10] = [
    "powers_on_off",
    "charges",
    "touch",
    "screen_dead_pixels",
    "screen_burn_in",
    "biometrics",
    "all_features",
    "liquid_indicators",
    "housing_complete",
    "genuine_parts",
];

/// A station holding one phone read on a bench: 128 GB, battery at 91.5 %, Wi-Fi passed.
fn station_with_phone() -> TestStation {
    let station = TestStation::new();
    let phone = Phone {
        model: "iPhone 12",
        serial: Some(SERIAL.to_owned()),
        storage_gb: Some(128),
        ..Phone::new(IMEI)
    };
    let mut ws = station.open(None);
    ws.store
        .record_intake(&phone.intake())
        .expect("intake recorded");
    station
}

/// Every manual item passed, every zone flawless.
fn grade_flawless(ws: &mut Workstation) -> String {
    let outcome = grade::record(
        ws,
        GradeParams {
            device: IMEI.to_owned(),
            checks: MANUAL_ITEMS
                .iter()
                .map(|item| (item.to_string(), Answer::Pass))
                .collect(),
            cosmetic: [Zone::Screen, Zone::Back, Zone::Frame]
                .into_iter()
                .map(|zone| (zone, CosmeticLevel::Flawless))
                .collect::<BTreeMap<_, _>>(),
            photos: Vec::new(),
            policy: None,
            partial: false,
            explain: false,
            lang: Lang::En,
        },
    )
    .expect("graded");
    outcome.report.grade.as_str().to_owned()
}

fn pdf_label(file: &Path, lang: Lang) -> LabelParams {
    LabelParams {
        device: IMEI.to_owned(),
        output: LabelOutput::Pdf {
            file: file.to_path_buf(),
        },
        size: None,
        lang: Some(lang),
    }
}

/// Every symbol ZBar finds on the first page of a PDF rasterised at 300 dpi, sorted.
fn scan(pdf: &Path) -> Vec<String> {
    let png = pdf.with_extension("scan");
    let status = Command::new("pdftoppm")
        .args(["-r", "300", "-png", "-singlefile", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(&png)
        .status()
        .expect("pdftoppm (poppler-utils) is installed by scripts/test");
    assert!(status.success());
    let output = Command::new("zbarimg")
        .args(["-q", "--nodbus"])
        .arg(png.with_extension("scan.png"))
        .output()
        .expect("zbarimg (zbar-tools) is installed by scripts/test");
    // zbarimg prints one symbol a line, "TYPE:data", but a QR code's data may hold line breaks
    // (a document's plain-text reference): a line without a known type continues the symbol.
    let mut symbols: Vec<String> = Vec::new();
    for line in String::from_utf8(output.stdout).unwrap().lines() {
        match symbols.last_mut() {
            Some(symbol) if !line.starts_with("QR-Code:") && !line.starts_with("CODE-128:") => {
                symbol.push('\n');
                symbol.push_str(line);
            }
            _ => symbols.push(line.to_owned()),
        }
    }
    symbols.sort();
    symbols
}

fn pdftotext(path: &Path) -> String {
    let output = Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_graded_phone_gets_a_label_whose_qr_code_follows_its_report() {
    let station = station_with_phone();
    let mut ws = station.open(None);
    let listing = grade_flawless(&mut ws);
    let dir = station.dir.path();

    // Before any report, the QR code carries the IMEI.
    let file = dir.join("label.pdf");
    let printed = label::print(&ws, &pdf_label(&file, Lang::En)).expect("printed");
    assert_eq!(printed.format, "pdf");
    assert_eq!(printed.size, "50x25");
    assert_eq!(printed.qr_source, QrSource::Imei);
    assert_eq!(printed.listing_grade.as_deref(), Some(listing.as_str()));
    assert_eq!(
        scan(&file),
        [
            format!("CODE-128:{IMEI}"),
            format!("CODE-128:{SERIAL}"),
            format!("QR-Code:{IMEI}"),
        ]
    );
    let text = pdftotext(&file);
    for words in [
        "Apple iPhone 12 · 128 GB",
        "Battery 91%",
        "S/N F17XK2ABCDEF",
    ] {
        assert!(text.contains(words), "{words:?} missing from:\n{text}");
    }

    // Once a report is signed, the QR code carries what the report's own QR code carries.
    let actor = ws.actor().unwrap();
    ws.store
        .set_setting(
            "organisation.name",
            "Atelier Reconditionné SAS",
            &actor.name,
        )
        .unwrap();
    let report = documents::report(
        &mut ws,
        &ReportParams {
            device: IMEI.to_owned(),
            out: dir.join("reports"),
            lang: Some(Lang::En),
        },
    )
    .expect("report issued");
    let report_qr = scan(Path::new(report.pdf.as_deref().unwrap()))
        .into_iter()
        .find(|symbol| symbol.starts_with("QR-Code:"))
        .expect("the report has a QR code");
    let printed = label::print(&ws, &pdf_label(&file, Lang::Fr)).expect("printed");
    assert_eq!(printed.qr_source, QrSource::Report);
    assert_eq!(printed.report_id, Some(report.id));
    assert_eq!(format!("QR-Code:{}", printed.qr), report_qr);
    assert!(printed.qr.contains(&report.id.to_string()));
    assert_eq!(
        scan(&file),
        [
            format!("CODE-128:{IMEI}"),
            format!("CODE-128:{SERIAL}"),
            report_qr.clone(),
        ]
    );
    assert!(pdftotext(&file).contains("128 Go"));

    // A void report is not pointed to.
    documents::void(
        &mut ws,
        &VoidParams {
            id: report.id,
            reason: "issued for the wrong device".into(),
        },
    )
    .expect("voided");
    let printed = label::print(&ws, &pdf_label(&file, Lang::En)).expect("printed");
    assert_eq!(printed.qr_source, QrSource::Imei);
    assert_eq!(printed.report_id, None);
}

#[test]
fn an_ungraded_device_gets_a_label_that_says_so() {
    let station = station_with_phone();
    let ws = station.open(None);
    let file = station.dir.path().join("ungraded.pdf");
    let printed = label::print(&ws, &pdf_label(&file, Lang::Fr)).expect("printed");
    assert_eq!(printed.listing_grade, None);
    assert!(pdftotext(&file).contains("Non évalué"));
}

#[test]
fn zpl_goes_raw_to_the_printer_port_and_matches_the_zpl_file() {
    let station = station_with_phone();
    let mut ws = station.open(None);
    grade_flawless(&mut ws);
    let printer = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = printer.local_addr().unwrap().to_string();
    let received = std::thread::spawn(move || {
        let (mut connection, _) = printer.accept().unwrap();
        let mut job = String::new();
        connection.read_to_string(&mut job).unwrap();
        job
    });
    let sent = label::print(
        &ws,
        &LabelParams {
            device: SERIAL.to_owned(),
            output: LabelOutput::Printer {
                address: address.clone(),
            },
            size: Some("50x25".into()),
            lang: Some(Lang::En),
        },
    )
    .expect("sent");
    let job = received.join().unwrap();
    assert_eq!(sent.destination, address);
    assert_eq!(sent.bytes, job.len() as u64);
    assert!(job.starts_with("^XA\n"), "{job}");
    assert!(job.trim_end().ends_with("^XZ"), "{job}");
    assert!(job.contains("^BCN,"), "{job}");
    assert!(job.contains(&format!("^FD{IMEI}^FS")), "{job}");
    assert!(job.contains(&format!("^FD{SERIAL}^FS")), "{job}");
    assert!(job.contains("^BQN,2,"), "{job}");
    assert!(job.contains(&format!("^FDMA,{IMEI}^FS")), "{job}");

    let file = station.dir.path().join("label.zpl");
    label::print(
        &ws,
        &LabelParams {
            device: IMEI.to_owned(),
            output: LabelOutput::Zpl { file: file.clone() },
            size: None,
            lang: Some(Lang::En),
        },
    )
    .expect("written");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), job);
}

#[test]
fn a_silent_printer_a_bad_size_and_an_unknown_device_get_their_codes() {
    let station = station_with_phone();
    let ws = station.open(None);
    // A port nothing listens on: bound, then closed.
    let address = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().to_string()
    };
    let error = label::print(
        &ws,
        &LabelParams {
            device: IMEI.to_owned(),
            output: LabelOutput::Printer {
                address: address.clone(),
            },
            size: None,
            lang: None,
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::BenchUnreachable);
    assert!(error.message.contains(&address), "{}", error.message);

    let file = station.dir.path().join("never.pdf");
    for (size, code) in [
        ("50-25", ErrorCode::Usage),
        ("5x25", ErrorCode::Usage),
        ("25x15", ErrorCode::Usage),
    ] {
        let error = label::print(
            &ws,
            &LabelParams {
                size: Some(size.into()),
                ..pdf_label(&file, Lang::En)
            },
        )
        .unwrap_err();
        assert_eq!(error.code, code, "{size}: {error}");
        assert!(error.message.contains(size), "{size}: {}", error.message);
    }
    assert!(!file.exists());

    let error = label::print(
        &ws,
        &LabelParams {
            device: "000000000000000".into(),
            ..pdf_label(&file, Lang::En)
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(error.message.contains("000000000000000"));
}
