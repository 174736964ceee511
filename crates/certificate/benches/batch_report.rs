//! The signed audit report of a 10,000-device trade-in batch (issue 17, "Performance"): built
//! from its facts, laid out over hundreds of pages, signed, sealed and written, then verified.
//! Target: at most 10 s and 3 MB.
//!
//! `cargo bench -p refurbdesk-certificate --bench batch_report -- [--devices N] [--lang en|fr]
//! [--keep FILE]`

use std::time::Instant;

use refurbdesk_certificate::{
    issue, samples, verify_bytes, Lang, PrintOptions, Signer, TrustedKeys,
};

const LIMIT_SECONDS: f64 = 10.0;
const LIMIT_BYTES: usize = 3 * 1024 * 1024;

fn main() {
    let mut devices: u64 = 10_000;
    let mut lang = Lang::En;
    let mut keep: Option<std::path::PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--devices" => {
                devices = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 1)
                    .expect("--devices needs a number above 1")
            }
            "--lang" => {
                lang = match args.next().as_deref() {
                    Some("fr") => Lang::Fr,
                    Some("en") => Lang::En,
                    other => panic!("--lang en|fr, not {other:?}"),
                }
            }
            "--keep" => keep = Some(args.next().expect("--keep FILE").into()),
            "--bench" => {} // cargo bench passes it to every harness = false binary
            other => {
                panic!("unknown argument {other:?}; use --devices N, --lang en|fr, --keep FILE")
            }
        }
    }
    let signer = Signer::ephemeral([7; 32]);
    let started = Instant::now();
    let document = samples::batch_report(devices);
    let facts = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let issued = issue(&document, lang, &signer, &PrintOptions::default()).expect("issued");
    let path = keep.unwrap_or_else(|| {
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("batch-report.pdf")
    });
    std::fs::write(&path, &issued.pdf).expect("the PDF written");
    let seconds = started.elapsed().as_secs_f64();
    let size = issued.pdf.len();
    let pages = memchr::memmem::find_iter(&issued.pdf, b"/Type /Page\n")
        .count()
        .max(memchr::memmem::find_iter(&issued.pdf, b"/Type/Page/").count());
    println!("# batch_report: {devices} devices ({lang}), sample facts built in {facts:.2} s");
    println!(
        "report: built, signed, sealed and written in {seconds:.2} s (limit {LIMIT_SECONDS} s); \
         {size} bytes = {:.2} MiB (limit 3 MiB); signed JSON {} bytes; {}",
        size as f64 / 1_048_576.0,
        issued.json.len(),
        if pages > 0 {
            format!("{pages} pages")
        } else {
            "pages: see pdfinfo".to_owned()
        }
    );
    println!("written to {}", path.display());
    let started = Instant::now();
    let mut trusted = TrustedKeys::new();
    trusted.add(signer.info().clone());
    verify_bytes(&issued.pdf, &trusted).expect("the report verifies");
    println!("verified in {:.2} s", started.elapsed().as_secs_f64());
    let mut missed = Vec::new();
    if seconds > LIMIT_SECONDS {
        missed.push(format!("{seconds:.2} s > {LIMIT_SECONDS} s"));
    }
    if size > LIMIT_BYTES {
        missed.push(format!("{size} bytes > {LIMIT_BYTES}"));
    }
    if !missed.is_empty() {
        eprintln!("over the limit: {}", missed.join(", "));
        std::process::exit(1);
    }
}
