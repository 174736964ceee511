//! Erasure throughput against its peers, on the same targets in one run:
//! a 4 GiB image file and a loop device (with direct I/O to its backing
//! file, as a real drive would be) over another 4 GiB file.
//!
//! For each target, in five rounds (the table shows medians): `dd if=/dev/zero
//! bs=4M oflag=direct` against the engine's `zero` pass (including its final
//! flush), then `dd bs=4M iflag=direct` against the engine's verification of
//! those zeros (`reverify`), each pair in alternating order; then the engine's
//! `random` erasure with full verification for reference. On the loop device, when
//! installed, `nwipe --autonuke --nogui --method=zero --verify=last`. Ends
//! with the peak resident memory of this process, which ran every erasure.
//!
//! Run by hand, as root for the loop device:
//! `cargo bench -p refurbdesk-erasure --bench throughput -- [--size-gib N] [--dir DIR] [--no-loop] [--no-nwipe]`

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use refurbdesk_erasure::{
    erase, reverify, DiskTarget, Method, Outcome, Plan, Seed, Target, Verify,
};

const MIB: f64 = 1024.0 * 1024.0;

struct Options {
    size_gib: u64,
    dir: PathBuf,
    use_loop: bool,
    use_nwipe: bool,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        size_gib: 4,
        dir: PathBuf::from("/var/tmp/refurbdesk-erasure-bench"),
        use_loop: true,
        use_nwipe: true,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--size-gib" => {
                options.size_gib = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .ok_or("--size-gib needs a whole number of GiB")?
            }
            "--dir" => {
                options.dir = args
                    .next()
                    .map(PathBuf::from)
                    .ok_or("--dir needs a folder")?
            }
            "--no-loop" => options.use_loop = false,
            "--no-nwipe" => options.use_nwipe = false,
            // cargo bench passes --bench; nothing else is expected.
            "--bench" => {}
            other => {
                return Err(format!(
                    "unknown option {other}; see the header of benches/throughput.rs"
                ))
            }
        }
    }
    Ok(options)
}

fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("throughput: {message}");
            std::process::exit(2);
        }
    };
    if let Err(message) = run(&options) {
        eprintln!("throughput: {message}");
        std::process::exit(1);
    }
}

/// One measured target.
struct Row {
    target: String,
    dd_write: f64,
    zero_write: f64,
    dd_read: f64,
    zero_verify: f64,
    random_write: f64,
    random_verify: f64,
}

fn run(options: &Options) -> Result<(), String> {
    std::fs::create_dir_all(&options.dir)
        .map_err(|e| format!("cannot create {}: {e}", options.dir.display()))?;
    let size = options.size_gib << 30;
    let image = options.dir.join("image.img");
    allocate(&image, size)?;
    let mut rows = vec![measure(&image, size)?];
    let mut nwipe = None;
    if options.use_loop {
        let backing = options.dir.join("loop-backing.img");
        allocate(&backing, size)?;
        match attach(&backing) {
            Ok(device) => {
                let measured = measure(&device, size);
                if measured.is_ok() && options.use_nwipe {
                    nwipe = run_nwipe(&device, size, &options.dir);
                }
                let _ = Command::new("losetup").arg("-d").arg(&device).status();
                rows.push(measured?);
            }
            Err(reason) => println!("loop device skipped: {reason}"),
        }
        let _ = std::fs::remove_file(&backing);
    }
    let _ = std::fs::remove_file(&image);

    println!();
    println!("| target (medians) | dd write (MiB/s) | zero write (MiB/s) | ratio | dd read (MiB/s) | zero verify (MiB/s) | ratio | random write (MiB/s) | random verify (MiB/s) |");
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for row in &rows {
        println!(
            "| {} | {:.0} | {:.0} | {:.2} | {:.0} | {:.0} | {:.2} | {:.0} | {:.0} |",
            row.target,
            row.dd_write,
            row.zero_write,
            row.zero_write / row.dd_write,
            row.dd_read,
            row.zero_verify,
            row.zero_verify / row.dd_read,
            row.random_write,
            row.random_verify
        );
    }
    if let Some((seconds, ours)) = nwipe {
        println!();
        println!(
            "nwipe --method=zero --verify=last on the loop device: {seconds:.1} s in all (its zero pass, \
             its blanking pass and its verification: see the times in its log); refurbdesk zero + \
             full verification of the same {:.0} MiB: {ours:.1} s",
            size as f64 / MIB
        );
    }
    println!();
    println!(
        "peak RSS of this process (every erasure above ran in it): {} KiB",
        peak_rss_kib().unwrap_or(0)
    );
    Ok(())
}

fn allocate(path: &Path, size: u64) -> Result<(), String> {
    let file = std::fs::File::create(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    file.set_len(size)
        .map_err(|e| format!("cannot size {}: {e}", path.display()))?;
    // Real blocks, not a sparse file, so every writer pays the same allocation.
    let status = Command::new("fallocate")
        .arg("-l")
        .arg(size.to_string())
        .arg(path)
        .status();
    if !status.is_ok_and(|s| s.success()) {
        println!(
            "fallocate failed on {}; the file stays sparse",
            path.display()
        );
    }
    Ok(())
}

fn attach(file: &Path) -> Result<PathBuf, String> {
    let output = Command::new("losetup")
        // Direct I/O from the loop device to its file, so writes reach the
        // disk like on a real drive instead of piling up in the page cache.
        .args(["--find", "--show", "--direct-io=on"])
        .arg(file)
        .output()
        .map_err(|e| format!("losetup cannot run: {e}"))?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).trim().to_owned());
    }
    Ok(PathBuf::from(
        String::from_utf8_lossy(&output.stdout).trim(),
    ))
}

/// Rounds of dd and of the zero erasure, run in turns so neither always
/// goes first; the table shows the median, the log every sample.
const ROUNDS: usize = 5;

/// MiB/s samples of one measure.
#[derive(Default)]
struct Samples(Vec<f64>);

impl Samples {
    fn median(&self) -> f64 {
        let mut sorted = self.0.clone();
        sorted.sort_by(f64::total_cmp);
        sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
    }

    fn spread(&self) -> String {
        let min = self.0.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self.0.iter().copied().fold(0.0, f64::max);
        format!("{min:.0}–{max:.0}")
    }
}

fn measure(target: &Path, size: u64) -> Result<Row, String> {
    let count = (size / (4 << 20)).to_string();
    let mb = size as f64 / MIB;
    println!("== {} ({mb:.0} MiB)", target.display());
    let of = format!("of={}", target.display());
    let input = format!("if={}", target.display());
    let (mut dd_write, mut zero_write, mut dd_read, mut zero_verify) = (
        Samples::default(),
        Samples::default(),
        Samples::default(),
        Samples::default(),
    );
    for round in 0..ROUNDS {
        let dd_write_once = |samples: &mut Samples| -> Result<(), String> {
            samples.0.push(
                mb / timed("dd write", || {
                    dd(&[
                        "if=/dev/zero",
                        &of,
                        "bs=4M",
                        &format!("count={count}"),
                        "oflag=direct",
                        "conv=notrunc",
                    ])
                })?,
            );
            Ok(())
        };
        let dd_read_once = |samples: &mut Samples| -> Result<(), String> {
            samples.0.push(
                mb / timed("dd read", || {
                    dd(&[&input, "of=/dev/null", "bs=4M", "iflag=direct"])
                })?,
            );
            Ok(())
        };
        // Writes: dd and the zero erasure in turns; reads: dd and a
        // re-verification of the zeros in turns, each right after a write.
        if round % 2 == 0 {
            dd_write_once(&mut dd_write)?;
            zero_write.0.push(engine(target, Method::Zero)?.0);
            dd_read_once(&mut dd_read)?;
            zero_verify.0.push(engine_reverify(target)?);
        } else {
            zero_write.0.push(engine(target, Method::Zero)?.0);
            dd_write_once(&mut dd_write)?;
            zero_verify.0.push(engine_reverify(target)?);
            dd_read_once(&mut dd_read)?;
        }
    }
    println!(
        "   spread over {ROUNDS} rounds (MiB/s): dd write {}, zero write {}, dd read {}, zero verify {}",
        dd_write.spread(),
        zero_write.spread(),
        dd_read.spread(),
        zero_verify.spread()
    );
    let (random_write, random_verify) = engine(target, Method::Random)?;
    Ok(Row {
        target: target.display().to_string(),
        dd_write: dd_write.median(),
        zero_write: zero_write.median(),
        dd_read: dd_read.median(),
        zero_verify: zero_verify.median(),
        random_write,
        random_verify,
    })
}

fn dd(args: &[&str]) -> Result<(), String> {
    let status = Command::new("dd")
        .args(args)
        .stderr(Stdio::null())
        .status()
        .map_err(|e| format!("dd cannot run: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("dd {} failed: {status}", args.join(" ")))
    }
}

fn timed(label: &str, work: impl FnOnce() -> Result<(), String>) -> Result<f64, String> {
    let started = Instant::now();
    work()?;
    let seconds = started.elapsed().as_secs_f64();
    println!("   {label}: {seconds:.2} s");
    Ok(seconds)
}

/// Runs an erasure with full verification; write and verify rates in MiB/s.
fn engine(target: &Path, method: Method) -> Result<(f64, f64), String> {
    let mut disk = DiskTarget::open(target).map_err(|e| e.to_string())?;
    let plan = Plan {
        method,
        verify: Verify::Full,
        seed: Some(Seed([0x33; 32])),
        sample_seed: Seed([0x44; 32]),
    };
    let report = erase(&mut disk, &plan, &AtomicBool::new(false), &mut |_| {});
    if report.outcome != Outcome::Verified {
        return Err(format!(
            "{method} erasure of {} ended {:?}: {:?}",
            disk.describe(),
            report.outcome,
            report.faults
        ));
    }
    println!(
        "   refurbdesk {method}: write {:.2} s, verify {:.2} s (direct I/O: {})",
        report.write_seconds,
        report.verify_seconds,
        disk.direct_io()
    );
    Ok((report.write_mib_s(), report.verify_mib_s()))
}

/// Re-reads a zeroed target with the engine's verification alone; MiB/s.
fn engine_reverify(target: &Path) -> Result<f64, String> {
    let mut disk = DiskTarget::open(target).map_err(|e| e.to_string())?;
    let plan = Plan {
        method: Method::Zero,
        verify: Verify::Full,
        seed: None,
        sample_seed: Seed([0; 32]),
    };
    let report = reverify(&mut disk, &plan, &AtomicBool::new(false), &mut |_| {});
    if report.outcome != Outcome::Verified {
        return Err(format!(
            "re-verifying {} ended {:?}",
            disk.describe(),
            report.outcome
        ));
    }
    println!("   refurbdesk verify: {:.2} s", report.verify_seconds);
    Ok(report.verify_mib_s())
}

/// nwipe's time on the device, and ours (zero + full verify) for the same job.
fn run_nwipe(device: &Path, size: u64, dir: &Path) -> Option<(f64, f64)> {
    let log = dir.join("nwipe.log");
    let started = Instant::now();
    let status = Command::new("nwipe")
        .args(["--autonuke", "--nogui", "--method=zero", "--verify=last"])
        .arg(format!("--logfile={}", log.display()))
        .arg(device)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    let seconds = started.elapsed().as_secs_f64();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => {
            println!("nwipe ended with {status}; see {}", log.display());
            return None;
        }
        Err(error) => {
            println!("nwipe not run ({error}); apt-get install nwipe to compare");
            return None;
        }
    }
    println!(
        "   nwipe zero verify=last: {seconds:.2} s (log: {})",
        log.display()
    );
    let mut disk = DiskTarget::open(device).ok()?;
    let plan = Plan {
        method: Method::Zero,
        verify: Verify::Full,
        seed: None,
        sample_seed: Seed([0; 32]),
    };
    let started = Instant::now();
    let report = erase(&mut disk, &plan, &AtomicBool::new(false), &mut |_| {});
    let ours = started.elapsed().as_secs_f64();
    (report.outcome == Outcome::Verified && report.size_bytes == size).then_some((seconds, ours))
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|kib| kib.parse().ok())
}
