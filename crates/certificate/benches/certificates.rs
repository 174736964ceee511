//! 10,000 signed erasure certificates for distinct devices, each a sealed PDF with its signed
//! JSON inside, written to files on disk; side by side with typst rendering an equivalent
//! certificate from the same data in the same run (issue 7, "Performance").
//!
//! `cargo bench -p refurbdesk-certificate --bench certificates -- [--count N] [--peer-count N]
//! [--peer-workers N] [--no-peer] [--keep DIR]`
//!
//! The peer runs in target/tools/typst-venv (created with `python3 -m venv` and `pip install
//! typst` on first use); when it cannot be installed the bench says so and skips it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use refurbdesk_certificate::{
    issue, qr_payload, samples, verify_bytes, Lang, PrintOptions, SignedDocument, Signer,
    TrustedKeys,
};

/// Issue 7: each PDF at most 40 KB, 10,000 of them in at most 20 s.
const LIMIT_BYTES: usize = 40 * 1024;
const TARGET_SECONDS_PER_10K: f64 = 20.0;

struct Options {
    count: u64,
    peer_count: Option<u64>,
    peer: bool,
    /// typst worker processes; the machine's cores unless given, like our threads.
    peer_workers: Option<usize>,
    /// Keep the PDFs (ours in DIR/refurbdesk, typst's in DIR/typst) to look at them.
    keep: Option<PathBuf>,
}

fn options() -> Options {
    let mut options = Options {
        count: 10_000,
        peer_count: None,
        peer: true,
        peer_workers: None,
        keep: None,
    };
    let mut args = std::env::args().skip(1);
    let number = |value: Option<String>, flag: &str| -> u64 {
        value
            .and_then(|n| n.parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or_else(|| panic!("{flag} needs a positive number"))
    };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--count" => options.count = number(args.next(), "--count"),
            "--peer-count" => options.peer_count = Some(number(args.next(), "--peer-count")),
            "--no-peer" => options.peer = false,
            "--peer-workers" => {
                options.peer_workers = Some(number(args.next(), "--peer-workers") as usize)
            }
            "--keep" => options.keep = Some(args.next().expect("--keep DIR").into()),
            "--bench" => {} // cargo bench passes it to every harness = false binary
            other => panic!(
                "unknown argument {other:?}; use --count N, --peer-count N, --peer-workers N, \
                 --no-peer, --keep DIR"
            ),
        }
    }
    options
}

/// The most memory this process has held (kB), from the kernel's own count.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// What one side of the comparison measured.
struct Run {
    count: usize,
    seconds: f64,
    mean_ms: f64,
    p99_ms: f64,
    min: usize,
    mean_size: usize,
    max: usize,
}

impl Run {
    fn rate(&self) -> f64 {
        self.count as f64 / self.seconds
    }

    fn from(seconds: f64, mut latencies_ms: Vec<f64>, sizes: &[usize]) -> Run {
        latencies_ms.sort_by(f64::total_cmp);
        let count = sizes.len();
        Run {
            count,
            seconds,
            mean_ms: latencies_ms.iter().sum::<f64>() / count as f64,
            p99_ms: latencies_ms[((count - 1) as f64 * 0.99).round() as usize],
            min: *sizes.iter().min().expect("at least one document"),
            mean_size: sizes.iter().sum::<usize>() / count,
            max: *sizes.iter().max().expect("at least one document"),
        }
    }
}

fn main() {
    let options = options();
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    // Cargo's scratch folder for benches, on the project's disk. Not /tmp: on this shared
    // machine every session's tests create and delete files there all day, and ext4 then spends
    // ~0.5-0.9 ms per new file stepping over recently deleted inodes (`recently_deleted` in a
    // profile) — a quarter of a certificate's time, measuring the neighbours rather than us.
    // A previous run's own 10,000 deletions do the same here for a while; leave a minute
    // between runs that are compared.
    let temp = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("a temporary folder");
    let keep = |side: &str| {
        let dir = options
            .keep
            .as_ref()
            .map_or_else(|| temp.path().join(side), |keep| keep.join(side));
        std::fs::create_dir_all(&dir).expect("an output folder");
        dir
    };
    let signer = Signer::ephemeral([7; 32]);
    let print = PrintOptions::default();
    println!(
        "# certificates: {} signed erasure certificates, {workers} worker threads, load average {}",
        options.count,
        load_average()
    );

    let ours_dir = keep("refurbdesk");
    let ours = refurbdesk(&options, workers, &signer, &print, &ours_dir);
    println!(
        "refurbdesk: {} in {:.2} s = {:.0}/s; per document mean {:.2} ms, p99 {:.2} ms (on a busy \
         core); PDF min {} / mean {} / max {} bytes; peak RSS {:.1} MiB",
        ours.count,
        ours.seconds,
        ours.rate(),
        ours.mean_ms,
        ours.p99_ms,
        ours.min,
        ours.mean_size,
        ours.max,
        peak_rss_kib() as f64 / 1024.0
    );
    assert!(
        ours.max <= LIMIT_BYTES,
        "a certificate is {} bytes, over the {LIMIT_BYTES}-byte limit",
        ours.max
    );
    // What was timed must also verify: the first, a middle and the last file on disk.
    let mut trusted = TrustedKeys::new();
    trusted.add(signer.info().clone());
    for n in [0, options.count / 2, options.count - 1] {
        let id = samples::erasure_certificate(n).id;
        let bytes = std::fs::read(ours_dir.join(format!("{id}.pdf"))).expect("the written PDF");
        if let Err(error) = verify_bytes(&bytes, &trusted) {
            panic!("certificate {n} ({id}) written by the bench does not verify: {error}");
        }
    }
    println!(
        "refurbdesk: certificates 0, {}, {} verify",
        options.count / 2,
        options.count - 1
    );

    let peer = if options.peer {
        let dir = keep("typst");
        let peer_workers = options.peer_workers.unwrap_or(workers);
        match typst_peer(&options, peer_workers, &signer, &print, &dir) {
            Ok(run) => Some((run, peer_workers)),
            Err(reason) => {
                println!("typst peer skipped: {reason}");
                None
            }
        }
    } else {
        None
    };
    println!("load average after: {}", load_average());

    println!();
    println!(
        "| side | documents | wall s | docs/s | mean ms | p99 ms | PDF min / mean / max bytes |"
    );
    println!("|---|---:|---:|---:|---:|---:|---|");
    let row = |name: &str, run: &Run| {
        println!(
            "| {name} | {} | {:.2} | {:.0} | {:.2} | {:.2} | {} / {} / {} |",
            run.count,
            run.seconds,
            run.rate(),
            run.mean_ms,
            run.p99_ms,
            run.min,
            run.mean_size,
            run.max
        )
    };
    row(
        &format!("refurbdesk ({workers} threads: sign + print + seal + write)"),
        &ours,
    );
    if let Some(peer) = &peer {
        row(
            &format!("typst ({} processes: compile + write, no signing)", peer.1),
            &peer.0,
        );
    }
    println!();
    let scaled_target = TARGET_SECONDS_PER_10K * options.count as f64 / 10_000.0;
    let mark = |ok: bool| if ok { "✓" } else { "✗" };
    println!(
        "target {} in <= {scaled_target:.1} s: {} ({:.2} s)",
        options.count,
        mark(ours.seconds <= scaled_target),
        ours.seconds
    );
    println!(
        "target each PDF <= {LIMIT_BYTES} bytes: {} (max {})",
        mark(ours.max <= LIMIT_BYTES),
        ours.max
    );
    if let Some(peer) = &peer {
        let ratio = ours.rate() / peer.0.rate();
        println!(
            "target throughput >= 1.0 x typst: {} ({ratio:.2} x)",
            mark(ratio >= 1.0)
        );
    }
}

/// Issues `count` certificates over `workers` threads, each thread taking every `workers`-th
/// device, and writes each PDF to `dir` as the export does.
fn refurbdesk(
    options: &Options,
    workers: usize,
    signer: &Signer,
    print: &PrintOptions,
    dir: &Path,
) -> Run {
    let started = Instant::now();
    let results: Vec<(Duration, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers as u64)
            .map(|first| {
                scope.spawn(move || {
                    let mut results = Vec::new();
                    for n in (first..options.count).step_by(workers) {
                        let one = Instant::now();
                        let document = samples::erasure_certificate(n);
                        let issued = issue(&document, Lang::En, signer, print)
                            .unwrap_or_else(|error| panic!("certificate {n}: {error}"));
                        std::fs::write(dir.join(format!("{}.pdf", document.id)), &issued.pdf)
                            .expect("writes the PDF");
                        results.push((one.elapsed(), issued.pdf.len()));
                    }
                    results
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| handle.join().expect("a worker finished"))
            .collect()
    });
    let seconds = started.elapsed().as_secs_f64();
    let latencies = results.iter().map(|(t, _)| t.as_secs_f64() * 1e3).collect();
    let sizes: Vec<usize> = results.iter().map(|(_, size)| *size).collect();
    Run::from(seconds, latencies, &sizes)
}

fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The venv's python with `typst` importable, installing it on first use.
fn typst_python() -> Result<PathBuf, String> {
    let venv = workspace_dir().join("target/tools/typst-venv");
    let python = venv.join("bin/python");
    let ready = |python: &Path| {
        Command::new(python)
            .args(["-c", "import typst"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    };
    if ready(&python) {
        return Ok(python);
    }
    println!("installing the typst PyPI package into {}", venv.display());
    let run = |command: &mut Command| -> Result<(), String> {
        let status = command
            .status()
            .map_err(|error| format!("{command:?}: {error}"))?;
        status
            .success()
            .then_some(())
            .ok_or(format!("{command:?} failed ({status})"))
    };
    run(Command::new("python3").args(["-m", "venv"]).arg(&venv))?;
    run(Command::new(venv.join("bin/pip")).args(["install", "--quiet", "typst"]))?;
    if ready(&python) {
        Ok(python)
    } else {
        Err("the typst package was installed but does not import".to_owned())
    }
}

/// Renders the first `peer_count` (default: `count`) of the same certificates with typst on
/// `workers` processes and reads back what render.py measured.
fn typst_peer(
    options: &Options,
    workers: usize,
    signer: &Signer,
    print: &PrintOptions,
    dir: &Path,
) -> Result<Run, String> {
    let python = typst_python()?;
    let benches = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/typst");
    // The same document JSON our PDFs embed, plus what typst cannot make itself: the signature
    // (typst cannot sign, so ours is computed here, outside typst's timing) and the QR modules.
    let mut jobs = String::new();
    for n in 0..options.peer_count.unwrap_or(options.count) {
        let document = samples::erasure_certificate(n);
        let signed = SignedDocument::sign(&document, signer).map_err(|e| e.to_string())?;
        let payload = qr_payload(print.verify_url_template.as_deref(), &document, &signed);
        let job = serde_json::json!({
            "name": document.id.to_string(),
            "data": serde_json::to_string(&document).map_err(|e| e.to_string())?,
            "key_id": signer.key_id(),
            "fingerprint": signer.info().fingerprint_grouped(),
            "digest": signed.signature_digest(),
            "qr": qr_rows(&payload)?,
        });
        jobs.push_str(&job.to_string());
        jobs.push('\n');
    }
    let mut child = Command::new(python)
        .arg(benches.join("render.py"))
        .arg(benches.join("certificate.typ"))
        .arg(workspace_dir())
        .arg(dir)
        .arg(workers.to_string())
        .env("FONT_DIR", workspace_dir().join("assets/fonts"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("render.py: {error}"))?;
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(jobs.as_bytes())
        .map_err(|error| format!("render.py's input: {error}"))?;
    let output = child
        .wait_with_output()
        .map_err(|error| format!("render.py: {error}"))?;
    if !output.status.success() {
        return Err(format!("render.py failed ({})", output.status));
    }
    // One line: seconds, then per document "latency_ms:size" pairs.
    let text = String::from_utf8_lossy(&output.stdout);
    let mut fields = text.split_whitespace();
    let seconds: f64 = fields
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("render.py printed {text:?}"))?;
    let mut latencies = Vec::new();
    let mut sizes = Vec::new();
    for field in fields {
        let (ms, size) = field
            .split_once(':')
            .and_then(|(ms, size)| Some((ms.parse::<f64>().ok()?, size.parse::<usize>().ok()?)))
            .ok_or_else(|| format!("render.py printed {field:?}"))?;
        latencies.push(ms);
        sizes.push(size);
    }
    if sizes.is_empty() {
        return Err("render.py rendered nothing".to_owned());
    }
    Ok(Run::from(seconds, latencies, &sizes))
}

/// The QR code's modules as lines of `1` (dark) and `0`: typst has no QR encoder of its own, so
/// the peer only draws them, as our layout does.
fn qr_rows(payload: &str) -> Result<String, String> {
    let code = qrcode::QrCode::with_error_correction_level(payload, qrcode::EcLevel::M)
        .map_err(|error| error.to_string())?;
    let width = code.width();
    Ok(code
        .to_colors()
        .chunks(width)
        .map(|row| {
            row.iter()
                .map(|color| {
                    if *color == qrcode::Color::Dark {
                        '1'
                    } else {
                        '0'
                    }
                })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n"))
}
