//! `refurbdesk label` on the real binary: a device read by the simulated station and graded,
//! its PDF label scanned back with poppler and ZBar, its ZPL sent to a real TCP listener, and
//! the exit codes of what goes wrong.

use std::io::Read;
use std::net::TcpListener;
use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const IMEI: &str = "356728114587211";
const SERIAL: &str = "F17XK2ABCDEF";

fn refurbdesk(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("refurbdesk").unwrap();
    cmd.env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env("REFURBDESK_DB", home.join("station.db"))
        .env("REFURBDESK_LOG", "off")
        .env_remove("REFURBDESK_OPERATOR")
        .env_remove("REFURBDESK_KEYS_DIR");
    cmd
}

fn json_of(cmd: &mut Command) -> Value {
    let output = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&output).unwrap()
}

/// The simulated benches' devices read and recorded; the spec's iPhone 12 graded (partially:
/// the bench failed its rear camera, and only the screen is inspected).
fn station_with_graded_phone(home: &Path) {
    refurbdesk(home)
        .args(["station", "--simulate", "--until-idle"])
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success();
    refurbdesk(home)
        .args(["grade", "--device", IMEI, "--partial"])
        .args(["--cosmetic", "screen=micro"])
        .assert()
        .success();
}

/// Every symbol ZBar finds on the first page of a PDF at 300 dpi, sorted.
fn scan(pdf: &Path) -> Vec<String> {
    let png = pdf.with_extension("scan");
    assert!(Process::new("pdftoppm")
        .args(["-r", "300", "-png", "-singlefile", "-f", "1", "-l", "1"])
        .arg(pdf)
        .arg(&png)
        .status()
        .expect("pdftoppm (poppler-utils) is installed by scripts/test")
        .success());
    let output = Process::new("zbarimg")
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

#[test]
fn a_pdf_label_scans_as_the_imei_the_serial_and_the_report_link() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    station_with_graded_phone(home);
    let pdf = home.join("label.pdf");
    refurbdesk(home)
        .args(["label", "--device", IMEI, "--pdf"])
        .arg(&pdf)
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote the 50x25 label"));
    assert_eq!(
        scan(&pdf),
        [
            format!("CODE-128:{IMEI}"),
            format!("CODE-128:{SERIAL}"),
            format!("QR-Code:{IMEI}"),
        ]
    );

    // With a signed report, the label's QR code is the report's own.
    refurbdesk(home)
        .args([
            "settings",
            "set",
            "organisation.name",
            "Atelier Exemple SAS",
        ])
        .assert()
        .success();
    let report = json_of(
        refurbdesk(home)
            .args(["cert", "report", "--device", IMEI, "--json", "--out"])
            .arg(home.join("reports")),
    );
    let report_qr = scan(Path::new(report["pdf"].as_str().unwrap()))
        .into_iter()
        .find(|symbol| symbol.starts_with("QR-Code:"))
        .expect("the report has a QR code");
    let printed = json_of(
        refurbdesk(home)
            .args([
                "label", "--device", SERIAL, "--lang", "fr", "--json", "--pdf",
            ])
            .arg(&pdf),
    );
    assert_eq!(printed["qr_source"], "report");
    assert_eq!(printed["report_id"], report["id"]);
    assert_eq!(printed["lang"], "fr");
    assert_eq!(
        scan(&pdf),
        [
            format!("CODE-128:{IMEI}"),
            format!("CODE-128:{SERIAL}"),
            report_qr,
        ]
    );
}

#[test]
fn a_zpl_label_reaches_the_printer_port_and_matches_the_zpl_file() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    station_with_graded_phone(home);
    let printer = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = printer.local_addr().unwrap().to_string();
    let received = std::thread::spawn(move || {
        let (mut connection, _) = printer.accept().unwrap();
        let mut job = String::new();
        connection.read_to_string(&mut job).unwrap();
        job
    });
    refurbdesk(home)
        .args(["label", "--device", IMEI, "--size", "60x30", "--printer"])
        .arg(&address)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "sent the 60x30 label of {IMEI} to {address}"
        )));
    let job = received.join().unwrap();
    // 60 × 30 mm at 203 dpi is 480 × 240 dots.
    assert!(job.starts_with("^XA\n^CI28\n^PW480\n^LL240\n"), "{job}");
    assert!(job.trim_end().ends_with("^XZ"), "{job}");
    assert!(job.contains(&format!("^FD{IMEI}^FS")), "{job}");
    assert!(job.contains(&format!("^FD{SERIAL}^FS")), "{job}");
    assert!(job.contains(&format!("^FDMA,{IMEI}^FS")), "{job}");

    let zpl = home.join("label.zpl");
    refurbdesk(home)
        .args(["label", "--device", IMEI, "--size", "60x30", "--zpl"])
        .arg(&zpl)
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&zpl).unwrap(), job);
}

#[test]
fn bad_sizes_unknown_devices_and_silent_printers_exit_with_their_codes() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    station_with_graded_phone(home);
    let pdf = home.join("label.pdf");
    for size in ["50by25", "10x25", "25x15"] {
        refurbdesk(home)
            .args(["label", "--device", IMEI, "--size", size, "--pdf"])
            .arg(&pdf)
            .assert()
            .code(2)
            .stderr(predicate::str::contains(size));
    }
    refurbdesk(home)
        .args(["label", "--device", "nope", "--pdf"])
        .arg(&pdf)
        .assert()
        .code(4)
        .stderr(predicate::str::contains("\"nope\""));
    // Exactly one destination.
    refurbdesk(home)
        .args(["label", "--device", IMEI])
        .assert()
        .code(2);
    refurbdesk(home)
        .args(["label", "--device", IMEI, "--zpl", "a.zpl", "--pdf"])
        .arg(&pdf)
        .assert()
        .code(2);
    assert!(!pdf.exists());

    let address = {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().to_string()
    };
    refurbdesk(home)
        .args(["label", "--device", IMEI, "--printer", &address])
        .assert()
        .code(3)
        .stderr(predicate::str::contains(format!(
            "the label printer at {address} cannot be reached"
        )));
    refurbdesk(home)
        .args(["label", "--device", IMEI, "--printer", "printer:port"])
        .assert()
        .code(2);
}
