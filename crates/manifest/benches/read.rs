//! The manifest import benchmark (issue 17, "Performance"; figures in docs/performance.md):
//! read and check a generated 100,000-line manifest, valid Luhn IMEIs throughout, as an English
//! comma UTF-8 CSV, as a French semicolon Windows-1252 CSV with decimal commas, and as XLSX.
//!
//!   cargo bench -p refurbdesk-manifest --bench read -- [--lines N] [--runs R] [--out DIR]
//!
//! The CSV files are left in DIR (default: `$CARGO_TARGET_DIR/bench-manifest`, else
//! `target/bench-manifest`) so `scripts/bench-manifest` can time pandas' `read_csv` on the very
//! same bytes in the same run. Not a timed test: it prints figures and checks only that every
//! line was read.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use refurbdesk_domain::{luhn_valid, BuybackGrade};
use refurbdesk_manifest::{read_manifest, Format};
use rust_xlsxwriter::Workbook;

struct Options {
    lines: usize,
    runs: usize,
    out: PathBuf,
}

fn options() -> Options {
    let mut options = Options {
        lines: 100_000,
        runs: 10,
        out: std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| PathBuf::from("target"), PathBuf::from)
            .join("bench-manifest"),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().expect("a value after the option");
        match arg.as_str() {
            "--lines" => options.lines = value().parse().expect("--lines N"),
            "--runs" => options.runs = value().parse().expect("--runs R"),
            "--out" => options.out = PathBuf::from(value()),
            // `cargo bench` passes --bench; filters are not used.
            _ => {}
        }
    }
    options
}

/// The `index`th IMEI of the run: a fixed TAC, a serial from the index, the Luhn check digit.
fn imei(index: usize) -> String {
    let payload = format!("35672811{:06}", index % 1_000_000);
    (0..10)
        .map(|digit| format!("{payload}{digit}"))
        .find(|candidate| luhn_valid(candidate))
        .expect("one check digit fits")
}

struct Device {
    imei: String,
    serial: String,
    model: &'static str,
    storage: u32,
    grade: BuybackGrade,
    cents: i64,
    accessories: &'static str,
}

fn device(index: usize) -> Device {
    const MODELS: [&str; 4] = ["iPhone 12", "Galaxy S21", "Pixel 7", "iPhone SE (2022)"];
    const ACCESSORIES: [&str; 3] = ["", "charger", "charger;cable"];
    Device {
        imei: imei(index),
        serial: format!("SN{index:08}"),
        model: MODELS[index % MODELS.len()],
        storage: [64, 128, 256][index % 3],
        grade: BuybackGrade::ALL[index % BuybackGrade::ALL.len()],
        cents: 5_000 + (index as i64 * 7_919) % 120_000,
        accessories: ACCESSORIES[index % ACCESSORIES.len()],
    }
}

const HEADER: [&str; 12] = [
    "imei",
    "serial",
    "category",
    "make",
    "model",
    "storage_gb",
    "declared_grade",
    "quoted_price",
    "currency",
    "accessories",
    "customer_ref",
    "note",
];

fn english_csv(lines: usize) -> Vec<u8> {
    let mut text = HEADER.join(",");
    text.push('\n');
    for index in 0..lines {
        let d = device(index);
        text.push_str(&format!(
            "{},{},phone,Maker,{},{},{},{}.{:02},EUR,{},PO-{},\"box {}, shelf B\"\n",
            d.imei,
            d.serial,
            d.model,
            d.storage,
            d.grade,
            d.cents / 100,
            d.cents % 100,
            d.accessories,
            index / 100,
            index % 40,
        ));
    }
    text.into_bytes()
}

fn french_csv(lines: usize) -> Vec<u8> {
    let mut text = HEADER.join(";");
    text.push_str("\r\n");
    for index in 0..lines {
        let d = device(index);
        let euros = d.cents / 100;
        let euros = if euros >= 1000 {
            format!("{} {:03}", euros / 1000, euros % 1000)
        } else {
            euros.to_string()
        };
        text.push_str(&format!(
            "{};{};phone;Maker;{};{} Go;{};{},{:02};EUR;\"{}\";PO-{};écran rayé, carton {}\r\n",
            d.imei,
            d.serial,
            d.model,
            d.storage,
            d.grade,
            euros,
            d.cents % 100,
            d.accessories,
            index / 100,
            index % 40,
        ));
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(&text);
    assert!(!unmappable, "Latin-1 text only");
    bytes.into_owned()
}

fn xlsx(lines: usize) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, name) in HEADER.iter().enumerate() {
        sheet.write_string(0, column as u16, *name).expect("cell");
    }
    for index in 0..lines {
        let d = device(index);
        let row = index as u32 + 1;
        sheet
            .write_number(row, 0, d.imei.parse::<f64>().expect("digits"))
            .and_then(|s| s.write_string(row, 1, &d.serial))
            .and_then(|s| s.write_string(row, 2, "phone"))
            .and_then(|s| s.write_string(row, 3, "Maker"))
            .and_then(|s| s.write_string(row, 4, d.model))
            .and_then(|s| s.write_number(row, 5, f64::from(d.storage)))
            .and_then(|s| s.write_string(row, 6, d.grade.as_str()))
            .and_then(|s| s.write_number(row, 7, d.cents as f64 / 100.0))
            .and_then(|s| s.write_string(row, 8, "EUR"))
            .and_then(|s| s.write_string(row, 9, d.accessories))
            .and_then(|s| s.write_string(row, 10, format!("PO-{}", index / 100)))
            .and_then(|s| s.write_string(row, 11, format!("box {}, shelf B", index % 40)))
            .expect("cells");
    }
    workbook.save_to_buffer().expect("workbook")
}

fn time(name: &str, bytes: &[u8], format: Format, options: &Options) {
    let mut times: Vec<Duration> = Vec::with_capacity(options.runs);
    for _ in 0..options.runs {
        let start = Instant::now();
        let manifest = read_manifest(bytes, format).unwrap_or_else(|rejected| {
            panic!(
                "{name}: {}",
                rejected
                    .to_string()
                    .lines()
                    .take(5)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        times.push(start.elapsed());
        assert_eq!(manifest.lines.len(), options.lines, "{name}");
        std::hint::black_box(manifest);
    }
    times.sort();
    let ms = |duration: Duration| duration.as_secs_f64() * 1000.0;
    let median = times[times.len() / 2];
    println!(
        "{name:<34} {:>9.1} KiB  median {:>7.1} ms  min {:>7.1} ms  max {:>7.1} ms  {:>6.2} M lines/s",
        bytes.len() as f64 / 1024.0,
        ms(median),
        ms(times[0]),
        ms(times[times.len() - 1]),
        options.lines as f64 / median.as_secs_f64() / 1e6,
    );
}

fn main() {
    let options = options();
    std::fs::create_dir_all(&options.out).expect("the output folder");
    let english = english_csv(options.lines);
    let french = french_csv(options.lines);
    let workbook = xlsx(options.lines);
    for (name, bytes) in [
        ("en-utf8-comma.csv", &english),
        ("fr-windows-1252-semicolon.csv", &french),
        ("manifest.xlsx", &workbook),
    ] {
        std::fs::write(options.out.join(name), bytes).expect("writes the manifest");
    }
    println!(
        "read_manifest, {} lines, {} runs each (files in {}):",
        options.lines,
        options.runs,
        options.out.display()
    );
    time(
        "CSV, UTF-8, comma, decimal point",
        &english,
        Format::Csv,
        &options,
    );
    time(
        "CSV, Windows-1252, ;, decimal comma",
        &french,
        Format::Csv,
        &options,
    );
    time("XLSX, number cells", &workbook, Format::Xlsx, &options);
}
