//! An erasure with its record around it, kept by any [`Journal`]: the start is recorded before
//! the first byte is written, the end after the last, and a journal that cannot record the
//! start stops the erasure before anything is overwritten. (The application's journal over the
//! real store is tested in `crates/app/tests/app/erase.rs`.)

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::{image, Fail, FaultyTarget, MIB};
use refurbdesk_erasure::recorded::{run, run_on, Journal, Start};
use refurbdesk_erasure::safety::{prepare, Confirmation, System};
use refurbdesk_erasure::{
    DiskTarget, DriveFinding, DriveIdentity, Event, FaultKind, Method, Outcome, Pattern, Plan,
    Report, Seed, Verify,
};
use uuid::Uuid;

fn plan(method: Method) -> Plan {
    Plan {
        method,
        verify: Verify::Full,
        seed: Some(Seed([5; 32])),
        sample_seed: Seed([6; 32]),
    }
}

/// A journal in a list, which looks at the image file whenever it is asked to write.
struct Notebook {
    image: PathBuf,
    /// `started` fails when set.
    refuse: bool,
    entries: Vec<String>,
    untouched_at_start: Option<bool>,
}

impl Notebook {
    fn new(image: &Path) -> Self {
        Self {
            image: image.to_owned(),
            refuse: false,
            entries: Vec::new(),
            untouched_at_start: None,
        }
    }
}

#[derive(Debug, PartialEq)]
struct Refused;

impl Journal for Notebook {
    type Record = (Uuid, Outcome);
    type Error = Refused;

    fn started(&mut self, start: &Start<'_>) -> Result<Uuid, Refused> {
        let bytes = std::fs::read(&self.image).expect("image reads");
        self.untouched_at_start = Some(bytes.iter().all(|&b| b == 0x5a));
        if self.refuse {
            return Err(Refused);
        }
        self.entries.push(format!(
            "started {} {} {}",
            start.plan.method,
            start.size_bytes,
            start.identity.kind.as_str()
        ));
        assert!(start.tool_version.starts_with("refurbdesk-erasure "));
        Ok(Uuid::from_u128(7))
    }

    fn finished(&mut self, id: Uuid, report: &Report) -> Result<(Uuid, Outcome), Refused> {
        self.entries
            .push(format!("finished {}", report.outcome.as_str()));
        Ok((id, report.outcome))
    }
}

#[test]
fn the_start_is_recorded_before_the_first_byte_and_the_end_after_the_last() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "laptop.img", 3 * MIB + 512);
    let system = System::read().expect("system readable");
    let mut prepared = prepare(&path, &Confirmation::Image, &system).expect("image may be erased");
    let mut journal = Notebook::new(&path);
    let never = AtomicBool::new(false);
    let mut started = None;
    let mut events = 0;
    let recorded = run(
        &mut journal,
        &mut prepared,
        &plan(Method::Random),
        &never,
        &mut |id| started = Some(id),
        &mut |_| events += 1,
    )
    .expect("erasure runs");
    assert_eq!(journal.untouched_at_start, Some(true));
    assert_eq!(started, Some(Uuid::from_u128(7)));
    assert!(events > 0);
    assert_eq!(recorded.record, (Uuid::from_u128(7), Outcome::Verified));
    assert_eq!(recorded.report.finding(), None);
    assert_eq!(
        journal.entries,
        [
            format!("started random {} image", 3 * MIB + 512),
            "finished verified".to_owned()
        ]
    );
    drop(prepared);
    crate::common::assert_every_byte(&path, Pattern::Stream, Some(Seed([5; 32])));
}

#[test]
fn a_journal_that_cannot_record_the_start_stops_the_erasure_before_anything_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "kept.img", MIB);
    let mut target = DiskTarget::open(&path).expect("opens");
    let identity = DriveIdentity::image(&path, MIB);
    let mut journal = Notebook::new(&path);
    journal.refuse = true;
    let error = run_on(
        &mut journal,
        &mut target,
        &identity,
        &plan(Method::Zero),
        &AtomicBool::new(false),
        &mut |_| panic!("must not start"),
        &mut |_| panic!("must not write"),
    )
    .expect_err("refused");
    assert_eq!(error, Refused);
    assert!(journal.entries.is_empty());
    drop(target);
    crate::common::assert_every_byte(&path, Pattern::Fill(0x5a), None);
}

#[test]
fn a_failed_erasure_is_finished_with_its_first_fault_as_a_finding() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "bad.img", 2 * MIB);
    let mut target = FaultyTarget {
        inner: DiskTarget::open(&path).expect("opens"),
        fail: Fail::WriteAt(MIB),
    };
    let identity = DriveIdentity::image(&path, 2 * MIB);
    let mut journal = Notebook::new(&path);
    let recorded = run_on(
        &mut journal,
        &mut target,
        &identity,
        &plan(Method::Zero),
        &AtomicBool::new(false),
        &mut |_| {},
        &mut |_| {},
    )
    .expect("runs");
    assert_eq!(recorded.record.1, Outcome::Failed);
    assert_eq!(journal.entries.last().unwrap(), "finished failed");
    match recorded.report.finding() {
        Some(DriveFinding::DriveFailed {
            fault_count: 1,
            first: Some(first),
        }) => {
            assert_eq!((first.kind, first.offset), (FaultKind::Write, MIB));
            assert!(first.detail.contains(&format!("byte {MIB}")), "{first:?}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_cancelled_erasure_is_finished_interrupted_with_the_passes_it_completed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "stop.img", 8 * MIB);
    let mut target = DiskTarget::open(&path).expect("opens");
    let identity = DriveIdentity::image(&path, 8 * MIB);
    let mut journal = Notebook::new(&path);
    let cancel = AtomicBool::new(false);
    let recorded = run_on(
        &mut journal,
        &mut target,
        &identity,
        &plan(Method::Dod3),
        &cancel,
        &mut |_| {},
        &mut |event| {
            if matches!(event, Event::PassWritten { pass: 1, .. }) {
                cancel.store(true, Ordering::Relaxed);
            }
        },
    )
    .expect("runs");
    assert_eq!(recorded.record.1, Outcome::Interrupted);
    assert_eq!(
        recorded.report.finding(),
        Some(DriveFinding::DriveInterrupted {
            passes_completed: 1,
            passes: 3
        })
    );
}
