//! The engine on real image files: what ends up on disk, what the
//! verification catches, how faults and interruptions end.

use std::fs::OpenOptions;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::{assert_every_byte, image, Fail, FaultyTarget, MIB};
use refurbdesk_erasure::{
    erase, DiskTarget, EraseError, Event, FaultKind, Method, Outcome, Pattern, Phase, Plan, Seed,
    Target, Verify,
};

/// An odd size: several chunks, a partial last MiB and a tail that is not a
/// whole page, so the direct and buffered paths are both used.
const ODD_SIZE: u64 = 5 * MIB + 4096 * 3 + 100;

fn plan(method: Method, verify: Verify) -> Plan {
    Plan {
        method,
        verify,
        seed: Some(Seed([0x42; 32])),
        sample_seed: Seed([0x17; 32]),
    }
}

fn run(target: &mut dyn Target, plan: &Plan) -> (refurbdesk_erasure::Report, Vec<Event>) {
    let mut events = Vec::new();
    let never = AtomicBool::new(false);
    let report = erase(target, plan, &never, &mut |event| {
        events.push(event.clone())
    });
    (report, events)
}

#[test]
fn every_byte_matches_each_method_after_erasure() {
    let dir = tempfile::tempdir().expect("tempdir");
    for method in Method::ALL {
        let path = image(&dir, &format!("{method}.img"), ODD_SIZE);
        let mut target = DiskTarget::open(&path).expect("image opens");
        let plan = plan(method, Verify::Full);
        let (report, events) = run(&mut target, &plan);
        assert_eq!(
            report.outcome,
            Outcome::Verified,
            "{method}: {:?}",
            report.faults
        );
        let passes = method.passes().len() as u64;
        assert_eq!(report.bytes_written, passes * ODD_SIZE, "{method}");
        assert_eq!(report.bytes_verified, ODD_SIZE, "{method}");
        assert_eq!(report.passes_completed as u64, passes);
        assert!(report.faults.is_empty());
        let written: Vec<u32> = events
            .iter()
            .filter_map(|event| match event {
                Event::PassWritten { pass, .. } => Some(*pass),
                _ => None,
            })
            .collect();
        assert_eq!(written, (1..=passes as u32).collect::<Vec<_>>());
        drop(target);
        let last = *method.passes().last().expect("a pass");
        assert_every_byte(&path, last, report.seed);
        match method {
            Method::Zero => assert_eq!(report.seed, None, "zero has no seed"),
            _ => assert_eq!(report.seed, Some(Seed([0x42; 32]))),
        }
    }
}

#[test]
fn the_random_stream_depends_on_the_seed_and_is_not_the_old_data() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "random.img", 2 * MIB);
    let mut target = DiskTarget::open(&path).expect("opens");
    let fresh = Plan::new(Method::Random, Verify::Full).expect("seeds");
    let (report, _) = run(&mut target, &fresh);
    assert_eq!(report.outcome, Outcome::Verified);
    drop(target);
    let mut head = [0u8; 4096];
    std::fs::File::open(&path)
        .expect("opens")
        .read_exact_at(&mut head, 0)
        .expect("reads");
    assert!(head.iter().any(|&b| b != 0x5a) && head.iter().any(|&b| b != 0));
    assert_every_byte(&path, Pattern::Stream, fresh.seed);
}

#[test]
fn a_block_changed_between_write_and_verify_fails_the_erasure() {
    let dir = tempfile::tempdir().expect("tempdir");
    for method in [Method::Zero, Method::Dod3] {
        let path = image(&dir, &format!("tampered-{method}.img"), ODD_SIZE);
        let mut target = DiskTarget::open(&path).expect("opens");
        let plan = plan(method, Verify::Full);
        let passes = plan.passes();
        let tamper_at = 3 * MIB + 3 * 4096 + 17;
        let never = AtomicBool::new(false);
        let report = erase(&mut target, &plan, &never, &mut |event| {
            if let Event::PassWritten { pass, .. } = event {
                if *pass == passes {
                    // Another writer changes one byte after the last pass.
                    let file = OpenOptions::new().write(true).open(&path).expect("opens");
                    file.write_all_at(&[0xaa], tamper_at).expect("writes");
                    file.sync_all().expect("syncs");
                }
            }
        });
        assert_eq!(report.outcome, Outcome::Failed, "{method}");
        assert_eq!(report.mismatched_blocks, 1, "{method}");
        assert_eq!(report.fault_count, 1);
        let fault = &report.faults[0];
        assert_eq!(fault.kind, FaultKind::Mismatch);
        assert_eq!(
            fault.offset,
            tamper_at / 4096 * 4096,
            "the page holding the byte"
        );
        assert_eq!(fault.length, 4096);
        assert_eq!(fault.pass, passes);
        assert!(
            fault.detail.contains(&format!("byte {tamper_at}")) && fault.detail.contains("0xaa"),
            "{}",
            fault.detail
        );
        assert_eq!(report.bytes_verified, ODD_SIZE, "the rest is still checked");
    }
}

#[test]
fn a_sampled_verification_reads_the_share_asked_and_always_both_ends() {
    let dir = tempfile::tempdir().expect("tempdir");
    let size = 64 * MIB;
    let path = image(&dir, "sampled.img", size);
    let mut target = DiskTarget::open(&path).expect("opens");
    let plan = plan(Method::Zero, Verify::Sample { percent: 10.0 });
    let (report, _) = run(&mut target, &plan);
    assert_eq!(report.outcome, Outcome::Verified);
    assert!(
        report.bytes_verified * 10 >= size,
        "{}",
        report.bytes_verified
    );
    assert!(report.bytes_verified < size / 2, "a sample, not everything");
    assert_eq!(report.sample_seed, Some(Seed([0x17; 32])));

    // A change in the last MiB is always caught by a sample.
    for tamper_at in [100, size - 10] {
        let never = AtomicBool::new(false);
        let report = erase(&mut target, &plan, &never, &mut |event| {
            if matches!(event, Event::PassWritten { .. }) {
                let file = OpenOptions::new().write(true).open(&path).expect("opens");
                file.write_all_at(&[1], tamper_at).expect("writes");
                file.sync_all().expect("syncs");
            }
        });
        assert_eq!(report.outcome, Outcome::Failed, "byte {tamper_at}");
        assert_eq!(report.faults[0].offset, tamper_at / 4096 * 4096);
    }
}

#[test]
fn a_write_error_mid_pass_fails_with_its_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "bad-sector.img", ODD_SIZE);
    let bad = 4 * MIB + 8192;
    let mut target = FaultyTarget {
        inner: DiskTarget::open(&path).expect("opens"),
        fail: Fail::WriteAt(bad + 5),
    };
    let (report, events) = run(&mut target, &plan(Method::Dod3, Verify::Full));
    assert_eq!(report.outcome, Outcome::Failed);
    assert_eq!(report.faults.len(), 1);
    let fault = &report.faults[0];
    assert_eq!(fault.kind, FaultKind::Write);
    assert_eq!((fault.offset, fault.length, fault.pass), (bad, 4096, 1));
    assert!(
        fault.detail.contains(&format!("byte {bad}")),
        "{}",
        fault.detail
    );
    assert_eq!(report.passes_completed, 0);
    assert_eq!(
        report.bytes_written,
        4 * MIB,
        "the chunk before the bad one"
    );
    assert_eq!(
        report.bytes_verified, 0,
        "no verification after a failed pass"
    );
    assert!(!events
        .iter()
        .any(|e| matches!(e, Event::PassWritten { .. })));
}

#[test]
fn a_read_error_during_verification_fails_with_its_offset() {
    let dir = tempfile::tempdir().expect("tempdir");
    // The first 4 MiB block is read on this thread, the second on the helper.
    for bad in [2 * MIB + 4096 * 7, 4 * MIB + 4096 * 2] {
        let path = image(&dir, &format!("unreadable-{bad}.img"), ODD_SIZE);
        let mut target = FaultyTarget {
            inner: DiskTarget::open(&path).expect("opens"),
            fail: Fail::ReadAt(bad),
        };
        let (report, _) = run(&mut target, &plan(Method::Zero, Verify::Full));
        assert_eq!(report.outcome, Outcome::Failed, "byte {bad}");
        assert_eq!(report.fault_count, 1, "byte {bad}");
        let fault = &report.faults[0];
        assert_eq!((fault.kind, fault.offset), (FaultKind::Read, bad));
        assert!(
            fault.detail.contains(&format!("byte {bad}")),
            "{}",
            fault.detail
        );
        assert_eq!(
            report.bytes_written, ODD_SIZE,
            "the pass itself went through"
        );
        assert!(report.bytes_verified < ODD_SIZE);
    }
}

#[test]
fn cancelling_mid_pass_interrupts_the_erasure() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "interrupted.img", ODD_SIZE);
    let mut target = DiskTarget::open(&path).expect("opens");
    let cancel = AtomicBool::new(false);
    let report = erase(
        &mut target,
        &plan(Method::Dod3, Verify::Full),
        &cancel,
        &mut |event| {
            if let Event::PassWritten { pass: 2, .. } = event {
                cancel.store(true, Ordering::Relaxed);
            }
        },
    );
    assert_eq!(report.outcome, Outcome::Interrupted);
    assert_eq!(report.passes_completed, 2);
    assert_eq!(report.bytes_written, 2 * ODD_SIZE);
    assert_eq!(report.bytes_verified, 0);
}

#[test]
fn progress_reports_bytes_rate_and_eta_for_every_phase() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "progress.img", ODD_SIZE);
    let mut target = DiskTarget::open(&path).expect("opens");
    let (_, events) = run(&mut target, &plan(Method::Random, Verify::Full));
    let progress: Vec<_> = events
        .iter()
        .filter_map(|event| match event {
            Event::Progress(progress) => Some(progress.clone()),
            _ => None,
        })
        .collect();
    let write_end = progress
        .iter()
        .find(|p| p.phase == Phase::Write && p.bytes_done == ODD_SIZE)
        .expect("the write phase reports its end");
    assert_eq!(write_end.bytes_total, ODD_SIZE);
    assert!(write_end.rate_bytes_per_s > 0.0);
    assert!(
        write_end.eta_s.is_some_and(|eta| eta > 0.0),
        "the verification is still ahead"
    );
    let verify_end = progress.last().expect("progress events");
    assert_eq!(verify_end.phase, Phase::Verify);
    assert_eq!(verify_end.bytes_done, verify_end.bytes_total);
    assert_eq!(verify_end.eta_s, Some(0.0));
    assert!(matches!(
        events.last(),
        Some(Event::Verified {
            mismatched_blocks: 0,
            ..
        })
    ));
}

#[test]
fn a_target_already_being_erased_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "locked.img", MIB);
    let first = DiskTarget::open(&path).expect("first erasure opens it");
    let second = DiskTarget::open(&path).expect_err("second must be refused");
    assert!(matches!(second, EraseError::InUse { .. }), "{second}");
    assert!(second.is_refusal());
    assert!(second.to_string().contains("another erasure"), "{second}");
    drop(first);
    DiskTarget::open(&path).expect("free again once the first is done");
}

#[test]
fn a_target_erased_earlier_can_be_verified_again_from_its_record() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "recheck.img", ODD_SIZE);
    let mut target = DiskTarget::open(&path).expect("opens");
    let plan = plan(Method::Random, Verify::Full);
    assert_eq!(run(&mut target, &plan).0.outcome, Outcome::Verified);

    let never = AtomicBool::new(false);
    let again = refurbdesk_erasure::reverify(&mut target, &plan, &never, &mut |_| {});
    assert_eq!(again.outcome, Outcome::Verified);
    assert_eq!((again.bytes_written, again.bytes_verified), (0, ODD_SIZE));

    let other_seed = Plan {
        seed: Some(Seed([0x43; 32])),
        ..plan.clone()
    };
    let wrong = refurbdesk_erasure::reverify(&mut target, &other_seed, &never, &mut |_| {});
    assert_eq!(
        wrong.outcome,
        Outcome::Failed,
        "another seed's stream is not on the disk"
    );
    assert_eq!(wrong.mismatched_blocks, ODD_SIZE.div_ceil(4096));
    assert_eq!(wrong.faults.len(), 1, "one run of adjacent pages");
    assert_eq!(
        (wrong.faults[0].offset, wrong.faults[0].length),
        (0, ODD_SIZE)
    );
}
