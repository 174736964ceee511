//! The erasure itself: every pass of the method written over the whole
//! target and flushed to the medium, then the last pass read back (all of
//! it, or a sample) and compared with what was written. Progress goes out as
//! events; a write error, a read error or a block that does not match ends
//! in a failed report that names the offset.
//!
//! Memory stays fixed whatever the size of the target: at most six
//! [`CHUNK`]-sized buffers (24 MiB) are alive at once (four read buffers and
//! two generated ones during the verification of the stream). The seeded stream is generated
//! on a second thread while the first one does the I/O.

use std::ops::ControlFlow;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::buffer::{AlignedBuf, ALIGN};
use crate::error::EraseError;
use crate::method::{Method, Pattern, Seed, Verify};
use crate::sample::{Extent, Extents, CHUNK};
use crate::stream::{fill, is_constant};
use crate::target::Target;

/// At most this many faults are kept in a report; the rest are only counted.
pub const MAX_FAULTS: usize = 64;

/// Progress events are sent at most this often (and always at the end of a phase).
const PROGRESS_INTERVAL: Duration = Duration::from_millis(200);

const MIB: f64 = 1024.0 * 1024.0;

/// Blocks read ahead of the checker during verification.
const READ_AHEAD: usize = 2;

/// What to write and how to check it, with the seeds that make it repeatable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub method: Method,
    pub verify: Verify,
    /// The stream's key; present when the method writes the stream.
    pub seed: Option<Seed>,
    /// Picks the blocks of a sampled verification.
    pub sample_seed: Seed,
}

impl Plan {
    /// A plan with fresh seeds from the operating system.
    pub fn new(method: Method, verify: Verify) -> Result<Plan, EraseError> {
        let seed = if method.uses_seed() {
            Some(Seed::generate().map_err(EraseError::Seed)?)
        } else {
            None
        };
        let sample_seed = Seed::generate().map_err(EraseError::Seed)?;
        Ok(Plan {
            method,
            verify,
            seed,
            sample_seed,
        })
    }

    pub fn passes(&self) -> u32 {
        self.method.passes().len() as u32
    }

    /// The seed of the sampled verification, when the verification samples.
    pub fn recorded_sample_seed(&self) -> Option<Seed> {
        matches!(self.verify, Verify::Sample { .. }).then_some(self.sample_seed)
    }
}

/// Which half of the erasure is running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Write,
    Verify,
}

/// How far the erasure has come.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub phase: Phase,
    /// The pass being written, from 1 (during verification: the last pass).
    pub pass: u32,
    pub passes: u32,
    /// Bytes done and to do in this phase (this pass, or the verification).
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Average rate of this phase so far.
    pub rate_bytes_per_s: f64,
    /// Seconds until the whole erasure (all passes and the verification)
    /// ends at the current rate; unknown until some bytes are done.
    pub eta_s: Option<f64>,
}

/// What the engine tells its observer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum Event {
    Progress(Progress),
    /// A pass was written over the whole target and flushed to the medium;
    /// the next pass or the verification starts after the observer returns.
    PassWritten {
        pass: u32,
        passes: u32,
        bytes: u64,
    },
    /// The verification read everything it was going to read.
    Verified {
        bytes: u64,
        mismatched_blocks: u64,
    },
}

/// How an erasure ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Every pass written and the last one read back as written.
    Verified,
    /// A write, flush or read failed, or the read-back differed.
    Failed,
    /// Stopped on request (Ctrl-C) before the end: nothing is proven.
    Interrupted,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Verified => "verified",
            Outcome::Failed => "failed",
            Outcome::Interrupted => "interrupted",
        }
    }
}

/// What went wrong where.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// The target refused a write.
    Write,
    /// Flushing a pass to the medium failed.
    Flush,
    /// The target refused a read during verification.
    Read,
    /// A block read back differs from what the last pass wrote.
    Mismatch,
}

/// One failure, with the byte range it concerns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    pub kind: FaultKind,
    /// The pass being written (or, for the verification, the last pass).
    pub pass: u32,
    pub offset: u64,
    pub length: u64,
    pub detail: String,
}

/// Everything an erasure did, for its record and its certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub outcome: Outcome,
    pub method: Method,
    pub verify: Verify,
    pub seed: Option<Seed>,
    pub sample_seed: Option<Seed>,
    pub passes: u32,
    /// Passes written over the whole target and flushed.
    pub passes_completed: u32,
    pub size_bytes: u64,
    /// Bytes written, over all passes.
    pub bytes_written: u64,
    /// Bytes read back and compared.
    pub bytes_verified: u64,
    /// The first [`MAX_FAULTS`] faults, in the order they were found.
    pub faults: Vec<Fault>,
    /// Every fault found, including those not kept.
    pub fault_count: u64,
    /// 4 KiB blocks that read back differently from what was written.
    pub mismatched_blocks: u64,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    pub write_seconds: f64,
    pub verify_seconds: f64,
}

impl Report {
    pub fn duration_s(&self) -> f64 {
        (self.finished_at - self.started_at)
            .to_std()
            .map_or(0.0, |d| d.as_secs_f64())
    }

    /// Bytes written and read back per second over the whole erasure, in MiB/s.
    pub fn throughput_mib_s(&self) -> f64 {
        rate_mib_s(self.bytes_written + self.bytes_verified, self.duration_s())
    }

    /// Write rate over all passes, in MiB/s.
    pub fn write_mib_s(&self) -> f64 {
        rate_mib_s(self.bytes_written, self.write_seconds)
    }

    /// Read-back rate of the verification, in MiB/s.
    pub fn verify_mib_s(&self) -> f64 {
        rate_mib_s(self.bytes_verified, self.verify_seconds)
    }
}

fn rate_mib_s(bytes: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        bytes as f64 / MIB / seconds
    } else {
        0.0
    }
}

/// Why a phase stopped early.
enum Stop {
    Cancelled,
    Failed,
}

/// Runs the erasure `plan` over `target`. Returns when it is verified, has
/// failed, or `cancel` was set (checked between blocks). `on_event` is
/// called on this thread, so it may touch the target between passes.
pub fn erase(
    target: &mut dyn Target,
    plan: &Plan,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(&Event),
) -> Report {
    execute(target, plan, cancel, on_event, true)
}

/// Checks a target erased earlier with `plan` (the same seeds, as recorded)
/// without writing anything: the verification alone, for re-checking a
/// drive before it ships.
pub fn reverify(
    target: &mut dyn Target,
    plan: &Plan,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(&Event),
) -> Report {
    execute(target, plan, cancel, on_event, false)
}

fn execute(
    target: &mut dyn Target,
    plan: &Plan,
    cancel: &AtomicBool,
    on_event: &mut dyn FnMut(&Event),
    write: bool,
) -> Report {
    let size = target.len();
    let verify_extents = Extents::for_verify(size, plan.verify, plan.sample_seed);
    let mut run = Run {
        target,
        plan,
        cancel,
        on_event,
        size,
        write,
        verify_total: verify_extents.total_bytes(),
        report: Report {
            outcome: Outcome::Failed,
            method: plan.method,
            verify: plan.verify,
            seed: if plan.method.uses_seed() {
                plan.seed
            } else {
                None
            },
            sample_seed: plan.recorded_sample_seed(),
            passes: plan.passes(),
            passes_completed: 0,
            size_bytes: size,
            bytes_written: 0,
            bytes_verified: 0,
            faults: Vec::new(),
            fault_count: 0,
            mismatched_blocks: 0,
            started_at: Utc::now(),
            finished_at: Utc::now(),
            write_seconds: 0.0,
            verify_seconds: 0.0,
        },
    };
    let outcome = run.all(verify_extents);
    run.report.outcome = match outcome {
        Err(Stop::Cancelled) => Outcome::Interrupted,
        Err(Stop::Failed) => Outcome::Failed,
        Ok(()) if run.report.fault_count > 0 => Outcome::Failed,
        Ok(()) => Outcome::Verified,
    };
    run.report.finished_at = Utc::now();
    run.report
}

struct Run<'a> {
    target: &'a mut dyn Target,
    plan: &'a Plan,
    cancel: &'a AtomicBool,
    on_event: &'a mut dyn FnMut(&Event),
    size: u64,
    /// False when only verifying a target erased earlier.
    write: bool,
    verify_total: u64,
    report: Report,
}

/// Rate and ETA bookkeeping for one phase.
struct Meter {
    started: Instant,
    last_sent: Option<Instant>,
}

impl Run<'_> {
    fn all(&mut self, verify_extents: Extents) -> Result<(), Stop> {
        let passes = self.plan.method.passes();
        let to_write = if self.write { passes } else { &[] };
        for (index, pattern) in to_write.iter().enumerate() {
            let started = Instant::now();
            let written = self.write_pass(index as u32 + 1, *pattern);
            self.report.write_seconds += started.elapsed().as_secs_f64();
            written?;
            self.report.passes_completed += 1;
            (self.on_event)(&Event::PassWritten {
                pass: index as u32 + 1,
                passes: passes.len() as u32,
                bytes: self.size,
            });
        }
        let last = passes.last().copied().unwrap_or(Pattern::Fill(0));
        let started = Instant::now();
        let verified = self.verify(last, verify_extents);
        self.report.verify_seconds = started.elapsed().as_secs_f64();
        verified?;
        (self.on_event)(&Event::Verified {
            bytes: self.report.bytes_verified,
            mismatched_blocks: self.report.mismatched_blocks,
        });
        Ok(())
    }

    fn write_pass(&mut self, pass: u32, pattern: Pattern) -> Result<(), Stop> {
        let mut meter = Meter::new();
        let mut done = 0u64;
        let seed = self.plan.seed;
        let extents = Extents::sequential(self.size);
        let outcome = with_pattern(pattern, seed, extents, |extent, data| {
            if self.cancel.load(Ordering::Relaxed) {
                return ControlFlow::Break(Stop::Cancelled);
            }
            if let Err(error) = self.target.write_at(extent.offset, data) {
                self.locate_write_error(pass, extent, data, error);
                return ControlFlow::Break(Stop::Failed);
            }
            done += extent.len as u64;
            self.report.bytes_written += extent.len as u64;
            self.progress(&mut meter, Phase::Write, pass, done, self.size, false);
            ControlFlow::Continue(())
        });
        outcome?;
        if let Err(error) = self.target.flush() {
            self.add_fault(Fault {
                kind: FaultKind::Flush,
                pass,
                offset: 0,
                length: self.size,
                detail: format!("flushing pass {pass} to the medium failed: {error}"),
            });
            return Err(Stop::Failed);
        }
        self.progress(&mut meter, Phase::Write, pass, done, self.size, true);
        Ok(())
    }

    /// Writes a failed chunk again page by page to name the first page the
    /// target refuses; a chunk that then goes through was a passing hiccup.
    fn locate_write_error(
        &mut self,
        pass: u32,
        extent: Extent,
        data: &[u8],
        error: std::io::Error,
    ) {
        for (index, page) in data.chunks(ALIGN).enumerate() {
            let offset = extent.offset + (index * ALIGN) as u64;
            if let Err(page_error) = self.target.write_at(offset, page) {
                self.add_fault(Fault {
                    kind: FaultKind::Write,
                    pass,
                    offset,
                    length: page.len() as u64,
                    detail: format!("writing pass {pass} failed at byte {offset}: {page_error}"),
                });
                return;
            }
        }
        self.add_fault(Fault {
            kind: FaultKind::Write,
            pass,
            offset: extent.offset,
            length: extent.len as u64,
            detail: format!(
                "writing pass {pass} failed at bytes {}..{}: {error} (page-by-page retry went through, \
                 but the drive is unreliable)",
                extent.offset,
                extent.offset + extent.len as u64
            ),
        });
    }

    /// Reads in up to two lanes — this thread takes the even blocks and, when
    /// the target offers a second reader, a helper thread the odd ones — while
    /// a checker thread compares each block in order with what the pass wrote
    /// (generated one block ahead on a third thread for the stream). Two reads
    /// in flight and the comparison off the reading thread keep the read-back
    /// at least as fast as a plain sequential read of the target.
    fn verify(&mut self, pattern: Pattern, extents: Extents) -> Result<(), Stop> {
        let mut meter = Meter::new();
        let pass = self.plan.passes();
        let total = self.verify_total;
        let seed = self.plan.seed;
        let second = self.target.concurrent_reader();
        let lanes = if second.is_some() { 2 } else { 1 };
        let buffers_per_lane = if lanes == 2 { 2 } else { READ_AHEAD + 1 };
        let stop = AtomicBool::new(false);
        let read_bytes = AtomicU64::new(0);
        let (stop, read_bytes) = (&stop, &read_bytes);
        let checker_extents = extents.clone();
        let (outcome, tally) = std::thread::scope(|scope| {
            let (main_lane, (main_tx, main_free_rx)) = Lane::new(buffers_per_lane);
            let second_lane = second.map(|mut reader| {
                let (lane, (tx, free_rx)) = Lane::new(buffers_per_lane);
                let lane_extents = extents.clone();
                scope.spawn(move || {
                    for extent in lane_extents.skip(1).step_by(2) {
                        if stop.load(Ordering::Relaxed) {
                            return;
                        }
                        let Ok(mut buf) = free_rx.recv() else {
                            return;
                        };
                        let data = &mut buf[..extent.len];
                        let block = match reader.read_at(extent.offset, data) {
                            Ok(()) => {
                                read_bytes.fetch_add(extent.len as u64, Ordering::Relaxed);
                                Ok((extent, buf))
                            }
                            Err(error) => {
                                let offset = data
                                    .chunks_mut(ALIGN)
                                    .enumerate()
                                    .find_map(|(index, page)| {
                                        let at = extent.offset + (index * ALIGN) as u64;
                                        reader.read_at(at, page).err().map(|_| at)
                                    })
                                    .unwrap_or(extent.offset);
                                Err(ReadFailure {
                                    offset,
                                    length: ALIGN.min(extent.len) as u64,
                                    error: error.to_string(),
                                })
                            }
                        };
                        let failed = block.is_err();
                        if tx.send(block).is_err() || failed {
                            return;
                        }
                    }
                });
                lane
            });
            let checker = scope.spawn(move || {
                let mut lanes_in_order = [Some(main_lane), second_lane];
                let count = lanes_in_order.iter().flatten().count();
                let mut tally = Tally::default();
                let mut index = 0usize;
                let _ = with_pattern(pattern, seed, checker_extents, |extent, expected| {
                    let Some(lane) = lanes_in_order[index % count].as_mut() else {
                        return ControlFlow::Break(());
                    };
                    index += 1;
                    let (read_extent, actual) = match lane.blocks_rx.recv() {
                        Ok(Ok(block)) => block,
                        Ok(Err(failure)) => {
                            tally.read_failure = Some(failure);
                            stop.store(true, Ordering::Relaxed);
                            return ControlFlow::Break(());
                        }
                        Err(_) => return ControlFlow::Break(()),
                    };
                    // Every lane walks a clone of one sequence.
                    debug_assert_eq!(read_extent, extent);
                    let actual_bytes = &actual[..extent.len];
                    if actual_bytes != expected {
                        tally.mismatches(pass, pattern, extent.offset, actual_bytes, expected);
                    }
                    tally.bytes += extent.len as u64;
                    let _ = lane.free_tx.send(actual);
                    ControlFlow::Continue(())
                });
                // Whatever still reads must stop: the checker takes no more.
                stop.store(true, Ordering::Relaxed);
                tally
            });
            let mut outcome = Ok(());
            for extent in extents.step_by(lanes) {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                if self.cancel.load(Ordering::Relaxed) {
                    outcome = Err(Stop::Cancelled);
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
                let Ok(mut buf) = main_free_rx.recv() else {
                    break;
                };
                let read = &mut buf[..extent.len];
                if let Err(error) = self.target.read_at(extent.offset, read) {
                    let offset =
                        locate_read_error(&mut *self.target, extent, read).unwrap_or(extent.offset);
                    self.add_fault(Fault {
                        kind: FaultKind::Read,
                        pass,
                        offset,
                        length: ALIGN.min(extent.len) as u64,
                        detail: format!("reading back failed at byte {offset}: {error}"),
                    });
                    outcome = Err(Stop::Failed);
                    stop.store(true, Ordering::Relaxed);
                    break;
                }
                let done =
                    read_bytes.fetch_add(extent.len as u64, Ordering::Relaxed) + extent.len as u64;
                if main_tx.send(Ok((extent, buf))).is_err() {
                    break;
                }
                self.progress(&mut meter, Phase::Verify, pass, done, total, false);
            }
            // The other lane finishes its blocks unless something stopped it.
            drop(main_tx);
            let tally = checker.join().unwrap_or_default();
            (outcome, tally)
        });
        self.report.bytes_verified += tally.bytes;
        self.report.mismatched_blocks += tally.mismatched_blocks;
        self.report.fault_count += tally.fault_count;
        for fault in tally.faults {
            tracing::warn!(offset = fault.offset, length = fault.length, detail = %fault.detail, target = %self.target.describe(), "erasure mismatch");
            if self.report.faults.len() < MAX_FAULTS {
                self.report.faults.push(fault);
            }
        }
        let outcome = match (outcome, tally.read_failure) {
            (Ok(()), Some(failure)) => {
                self.add_fault(Fault {
                    kind: FaultKind::Read,
                    pass,
                    offset: failure.offset,
                    length: failure.length,
                    detail: format!(
                        "reading back failed at byte {}: {}",
                        failure.offset, failure.error
                    ),
                });
                Err(Stop::Failed)
            }
            (Ok(()), None) if tally.bytes != total => {
                // Never report verified on a check that did not cover everything.
                self.add_fault(Fault {
                    kind: FaultKind::Read,
                    pass,
                    offset: tally.bytes,
                    length: total - tally.bytes,
                    detail: format!(
                        "the verification stopped after {} of {total} bytes without a reason; run it again",
                        tally.bytes
                    ),
                });
                Err(Stop::Failed)
            }
            (outcome, _) => outcome,
        };
        outcome?;
        self.progress(
            &mut meter,
            Phase::Verify,
            pass,
            self.report.bytes_verified,
            total,
            true,
        );
        Ok(())
    }

    fn add_fault(&mut self, fault: Fault) {
        tracing::warn!(kind = ?fault.kind, offset = fault.offset, detail = %fault.detail, target = %self.target.describe(), "erasure fault");
        self.report.fault_count += 1;
        if self.report.faults.len() < MAX_FAULTS {
            self.report.faults.push(fault);
        }
    }

    fn progress(
        &mut self,
        meter: &mut Meter,
        phase: Phase,
        pass: u32,
        done: u64,
        total: u64,
        last: bool,
    ) {
        let now = Instant::now();
        if !last
            && meter
                .last_sent
                .is_some_and(|at| now - at < PROGRESS_INTERVAL)
        {
            return;
        }
        meter.last_sent = Some(now);
        let elapsed = (now - meter.started).as_secs_f64();
        let rate = if elapsed > 0.0 {
            done as f64 / elapsed
        } else {
            0.0
        };
        let passes = self.plan.passes();
        let remaining = match phase {
            Phase::Write => {
                (total - done) + u64::from(passes - pass) * self.size + self.verify_total
            }
            Phase::Verify => total - done,
        };
        let eta_s = (rate > 0.0).then(|| remaining as f64 / rate);
        (self.on_event)(&Event::Progress(Progress {
            phase,
            pass,
            passes,
            bytes_done: done,
            bytes_total: total,
            rate_bytes_per_s: rate,
            eta_s,
        }));
    }
}

/// A read that failed on the second lane, for the report.
struct ReadFailure {
    offset: u64,
    length: u64,
    error: String,
}

type Block = Result<(Extent, AlignedBuf), ReadFailure>;

/// The checker's side of one reading lane: blocks arrive, buffers go back.
struct Lane {
    blocks_rx: mpsc::Receiver<Block>,
    free_tx: mpsc::Sender<AlignedBuf>,
}

/// The reader's side of a lane: where blocks go, where buffers come from.
type ReaderSide = (mpsc::SyncSender<Block>, mpsc::Receiver<AlignedBuf>);

impl Lane {
    fn new(buffers: usize) -> (Lane, ReaderSide) {
        let (blocks_tx, blocks_rx) = mpsc::sync_channel(buffers);
        let (free_tx, free_rx) = mpsc::channel();
        for _ in 0..buffers {
            // The receiver is alive here; a failed send cannot happen.
            let _ = free_tx.send(AlignedBuf::new(CHUNK));
        }
        (Lane { blocks_rx, free_tx }, (blocks_tx, free_rx))
    }
}

/// What the checker thread found.
#[derive(Default)]
struct Tally {
    read_failure: Option<ReadFailure>,
    bytes: u64,
    mismatched_blocks: u64,
    fault_count: u64,
    /// At most [`MAX_FAULTS`], runs of adjacent pages merged.
    faults: Vec<Fault>,
}

impl Tally {
    /// Turns differing pages into faults, one per run of adjacent pages.
    fn mismatches(
        &mut self,
        pass: u32,
        pattern: Pattern,
        base: u64,
        actual: &[u8],
        expected: &[u8],
    ) {
        for (index, (got, want)) in actual.chunks(ALIGN).zip(expected.chunks(ALIGN)).enumerate() {
            if got == want {
                continue;
            }
            self.mismatched_blocks += 1;
            let offset = base + (index * ALIGN) as u64;
            if let Some(last) = self.faults.last_mut() {
                if last.offset + last.length == offset {
                    last.length += got.len() as u64;
                    continue;
                }
            }
            self.fault_count += 1;
            if self.faults.len() >= MAX_FAULTS {
                continue;
            }
            let first = got.iter().zip(want).position(|(a, b)| a != b).unwrap_or(0);
            self.faults.push(Fault {
                kind: FaultKind::Mismatch,
                pass,
                offset,
                length: got.len() as u64,
                detail: format!(
                    "read back 0x{:02x} at byte {} where pass {pass} wrote 0x{:02x} ({pattern})",
                    got[first],
                    offset + first as u64,
                    want[first],
                ),
            });
        }
    }
}

impl Meter {
    fn new() -> Meter {
        Meter {
            started: Instant::now(),
            last_sent: None,
        }
    }
}

/// Reads a failed extent again page by page; the first page that fails.
fn locate_read_error(target: &mut dyn Target, extent: Extent, buf: &mut [u8]) -> Option<u64> {
    buf.chunks_mut(ALIGN).enumerate().find_map(|(index, page)| {
        let offset = extent.offset + (index * ALIGN) as u64;
        target.read_at(offset, page).err().map(|_| offset)
    })
}

/// Calls `each` with every extent and the bytes `pattern` puts there, in
/// order. A fill pattern reuses one buffer; the stream is generated on a
/// helper thread, one block ahead, into two buffers that go back and forth.
fn with_pattern<B>(
    pattern: Pattern,
    seed: Option<Seed>,
    extents: Extents,
    mut each: impl FnMut(Extent, &[u8]) -> ControlFlow<B>,
) -> Result<(), B> {
    if is_constant(pattern) {
        let mut buf = AlignedBuf::new(CHUNK);
        fill(pattern, seed, 0, &mut buf);
        for extent in extents {
            if let ControlFlow::Break(stop) = each(extent, &buf[..extent.len]) {
                return Err(stop);
            }
        }
        return Ok(());
    }
    std::thread::scope(|scope| {
        let (filled_tx, filled_rx) = mpsc::sync_channel::<(Extent, AlignedBuf)>(2);
        let (empty_tx, empty_rx) = mpsc::channel::<AlignedBuf>();
        for _ in 0..2 {
            // The receiver is alive here; a failed send cannot happen.
            let _ = empty_tx.send(AlignedBuf::new(CHUNK));
        }
        let generator_extents = extents.clone();
        scope.spawn(move || {
            for extent in generator_extents {
                let Ok(mut buf) = empty_rx.recv() else {
                    return;
                };
                fill(pattern, seed, extent.offset, &mut buf[..extent.len]);
                if filled_tx.send((extent, buf)).is_err() {
                    return;
                }
            }
        });
        let mut outcome = Ok(());
        for (extent, buf) in filled_rx.iter() {
            if let ControlFlow::Break(stop) = each(extent, &buf[..extent.len]) {
                outcome = Err(stop);
                break;
            }
            // The generator may already have finished; then the buffer is freed.
            let _ = empty_tx.send(buf);
        }
        // Dropping both ends stops the generator if it is still running.
        drop(empty_tx);
        drop(filled_rx);
        outcome
    })
}
