//! The insert half of the 100,000-line manifest import (issue 17): writes a manifest of N device
//! lines (valid IMEIs, a serial, model, grade, price, accessories) and times, on a fresh station
//! database that already holds one open batch of N other devices (so the duplicate check looks
//! through real rows):
//!
//! - `parse`: `refurbdesk_manifest::read_manifest` alone (the manifest crate measures it in
//!   detail, with pandas as its peer);
//! - `import`: the whole use case, `batches::import`: read the file, parse, validate every line,
//!   check every IMEI and serial against the open batches, insert in one transaction with its
//!   audit entry (the digest covers every line);
//! - `insert`: `import` minus `parse`, what this half adds.
//!
//! The target is ≤ 2 s for `import` at 100,000 lines. Not run in CI:
//!
//! ```sh
//! cargo bench -p refurbdesk-app --bench batch_import            # 100,000 lines, 3 runs
//! cargo bench -p refurbdesk-app --bench batch_import -- 10000 5 # lines, runs
//! ```

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use refurbdesk_app::batches::{self, ImportBatchParams, ManifestInput};
use refurbdesk_app::customers::{self, AddCustomerParams};
use refurbdesk_app::{DataPaths, Workstation};
use refurbdesk_domain::{luhn_valid, Lang};
use refurbdesk_manifest::{read_manifest, Format};

fn imei(body: u64) -> String {
    let body = format!("{body:014}");
    (0..10)
        .map(|digit| format!("{body}{digit}"))
        .find(|candidate| luhn_valid(candidate))
        .expect("one check digit passes")
}

/// A manifest of `lines` devices whose IMEIs start at `first`.
fn manifest(lines: u64, first: u64) -> String {
    let mut text = String::with_capacity(lines as usize * 100);
    text.push_str(
        "imei;serial;category;make;model;storage_gb;declared_grade;quoted_price;accessories\n",
    );
    let grades = [
        "FUNCTIONAL_GOOD",
        "FUNCTIONAL_USED",
        "FUNCTIONAL_FLAWLESS",
        "NOT_FUNCTIONAL_USED",
    ];
    for n in 0..lines {
        let _ = writeln!(
            text,
            "{};SN{:010};phone;Apple;iPhone 12;128;{};{},{:02};charger",
            imei(35_000_000_000_000 + first + n),
            first + n,
            grades[(n % 4) as usize],
            100 + n % 400,
            n % 100
        );
    }
    text
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|arg| !arg.starts_with("--"))
        .collect();
    let lines: u64 = args.first().map_or(Ok(100_000), |n| n.parse())?;
    let runs: usize = args.get(1).map_or(Ok(3), |n| n.parse())?;
    let dir = tempfile::tempdir()?;
    let text = manifest(lines, 0);
    let file = dir.path().join("manifest.csv");
    std::fs::write(&file, &text)?;
    let other = dir.path().join("other.csv");
    std::fs::write(&other, manifest(lines, lines))?;
    println!(
        "batch import: {lines} lines, {:.1} MB manifest, {runs} runs",
        text.len() as f64 / 1e6
    );

    let mut parse = Vec::new();
    let mut import = Vec::new();
    for run in 0..runs {
        let started = Instant::now();
        let parsed = read_manifest(text.as_bytes(), Format::Csv).map_err(|e| e.to_string())?;
        parse.push(started.elapsed());
        assert_eq!(parsed.lines.len() as u64, lines);

        let database = dir.path().join(format!("station-{run}.sqlite"));
        let paths = DataPaths::under(dir.path().join("data"), Some(&database));
        paths.create_dirs()?;
        let mut ws = Workstation::open(paths, None)?;
        customers::add(
            &mut ws,
            AddCustomerParams {
                name: "Bench Leasing".into(),
                ..Default::default()
            },
        )?;
        let params = |path: &std::path::Path| ImportBatchParams {
            manifest: ManifestInput::File {
                path: path.to_owned(),
            },
            customer: "Bench Leasing".into(),
            quote_date: None,
            lang: Lang::En,
        };
        // One open batch of other devices, so every identifier is looked up among real rows.
        batches::import(&mut ws, params(&other))?;
        let started = Instant::now();
        let imported = batches::import(&mut ws, params(&file))?;
        import.push(started.elapsed());
        assert_eq!(u64::from(imported.lines), lines);
    }
    let median = |times: &mut Vec<Duration>| {
        times.sort();
        times[times.len() / 2]
    };
    let (parse, import) = (median(&mut parse), median(&mut import));
    println!("parse   {:>8.3} s (median)", parse.as_secs_f64());
    println!(
        "import  {:>8.3} s (median; target ≤ 2 s at 100,000 lines)",
        import.as_secs_f64()
    );
    println!(
        "insert  {:>8.3} s (import − parse: validation against open batches, insert, audit)",
        import.saturating_sub(parse).as_secs_f64()
    );
    Ok(())
}
