//! Erasures with their record in a real store file: the record is `running`
//! before the first byte is written, and ends verified, failed or
//! interrupted — also when the erasing process is killed.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common::{image, Fail, FaultyTarget, MIB};
use refurbdesk_erasure::recorded::{run, run_on, Request};
use refurbdesk_erasure::safety::{prepare, Confirmation, System};
use refurbdesk_erasure::{DiskTarget, EraseError, Event, Method, Plan, Seed, Verify};
use refurbdesk_store::{Durability, ErasureStatus, Role, Store, StoreError};

fn plan(method: Method) -> Plan {
    Plan {
        method,
        verify: Verify::Full,
        seed: Some(Seed([5; 32])),
        sample_seed: Seed([6; 32]),
    }
}

#[test]
fn a_verified_erasure_is_recorded_with_everything_a_certificate_needs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "laptop.img", 3 * MIB + 512);
    let mut store = Store::open(&dir.path().join("station.db")).expect("store opens");
    let system = System::read().expect("system readable");
    let mut prepared = prepare(&path, &Confirmation::Image, &system).expect("image may be erased");
    let plan = plan(Method::Random);
    let never = AtomicBool::new(false);
    let mut seen_running = None;
    let recorded = run(
        &mut store,
        &mut prepared,
        &Request {
            plan: &plan,
            operator: "ana",
            device_id: None,
        },
        &never,
        &mut |id| seen_running = Some(id),
        &mut |_| {},
    )
    .expect("erasure runs");
    let record = recorded.record;
    assert_eq!(seen_running, Some(record.id));
    assert_eq!(record.status, ErasureStatus::Verified);
    assert_eq!(record.method, "random");
    assert_eq!(record.passes, 1);
    assert_eq!(
        record.seed.as_deref(),
        Some(Seed([5; 32]).to_hex().as_str())
    );
    assert_eq!(record.verify, "full");
    assert_eq!(record.bytes_written, 3 * MIB + 512);
    assert_eq!(record.bytes_verified, 3 * MIB + 512);
    assert_eq!(record.size_bytes, 3 * MIB + 512);
    assert_eq!(record.target_kind, "image");
    assert_eq!(
        record.target,
        path.canonicalize()
            .expect("canonical")
            .display()
            .to_string()
    );
    assert!(record.tool_version.starts_with("refurbdesk-erasure "));
    assert_eq!(record.operator, "ana");
    assert!(record.finished_at.is_some() && record.duration_s.is_some());
    assert!(record.throughput_mib_s.is_some_and(|t| t > 0.0));
    assert_eq!(record.drive["transport"], "image");
    assert!(record.errors.is_empty());
    assert_eq!(
        store.durability().expect("durability"),
        Durability::Normal,
        "full durability only for the writes"
    );

    let check = store.check().expect("check runs");
    assert!(check.is_ok(), "{check:?}");
    let actions: Vec<String> = store
        .audit_entries(0, 100)
        .expect("audit")
        .into_iter()
        .filter(|entry| entry.entity == "erasure")
        .map(|entry| entry.action)
        .collect();
    assert_eq!(actions, ["erasure.started", "erasure.verified"]);
}

#[test]
fn a_failed_erasure_records_its_faults_and_stays_failed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "bad.img", 2 * MIB);
    let mut store = Store::open(&dir.path().join("station.db")).expect("store opens");
    let mut target = FaultyTarget {
        inner: DiskTarget::open(&path).expect("opens"),
        fail: Fail::WriteAt(MIB),
    };
    let identity = refurbdesk_erasure::DriveIdentity::image(&path, 2 * MIB);
    let plan = plan(Method::Zero);
    let never = AtomicBool::new(false);
    let recorded = run_on(
        &mut store,
        &mut target,
        &identity,
        &Request {
            plan: &plan,
            operator: "ana",
            device_id: None,
        },
        &never,
        &mut |_| {},
        &mut |_| {},
    )
    .expect("runs");
    let record = recorded.record;
    assert_eq!(record.status, ErasureStatus::Failed);
    assert_eq!(record.errors.len(), 1);
    assert_eq!(
        (record.errors[0].kind.as_str(), record.errors[0].offset),
        ("write", MIB)
    );
    assert!(record
        .note
        .as_deref()
        .is_some_and(|n| n.contains(&format!("byte {MIB}"))));

    let again = store
        .finish_erasure(
            record.id,
            &refurbdesk_erasure::recorded::result_of(&recorded.report),
            "ana",
        )
        .expect_err("a finished erasure cannot be finished again");
    assert!(
        matches!(again, StoreError::ErasureFinished { .. }),
        "{again}"
    );
}

#[test]
fn ctrl_c_leaves_the_erasure_interrupted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "stop.img", 8 * MIB);
    let mut store = Store::open(&dir.path().join("station.db")).expect("store opens");
    let mut target = DiskTarget::open(&path).expect("opens");
    let identity = refurbdesk_erasure::DriveIdentity::image(&path, 8 * MIB);
    let plan = plan(Method::Dod3);
    let cancel = AtomicBool::new(false);
    let recorded = run_on(
        &mut store,
        &mut target,
        &identity,
        &Request {
            plan: &plan,
            operator: "ana",
            device_id: None,
        },
        &cancel,
        &mut |_| {},
        &mut |event| {
            if matches!(event, Event::PassWritten { pass: 1, .. }) {
                cancel.store(true, Ordering::Relaxed);
            }
        },
    )
    .expect("runs");
    assert_eq!(recorded.record.status, ErasureStatus::Interrupted);
    assert_eq!(recorded.record.passes_completed, 1);
    assert_eq!(recorded.record.bytes_verified, 0);
    drop(store);
    let store = Store::open(&dir.path().join("station.db")).expect("reopens");
    let again = store
        .erasure(recorded.record.id)
        .expect("reads")
        .expect("exists");
    assert_eq!(
        again.status,
        ErasureStatus::Interrupted,
        "stays interrupted"
    );
}

#[test]
fn an_operator_who_may_not_erase_is_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = image(&dir, "kept.img", MIB);
    let mut store = Store::open(&dir.path().join("station.db")).expect("store opens");
    let admin = store
        .resolve_actor(Some("root"), "root")
        .expect("bootstrap admin");
    store
        .add_operator("boss", Role::Admin, &admin)
        .expect("admin added");
    let boss = store
        .resolve_actor(Some("boss"), "boss")
        .expect("boss acts");
    store
        .add_operator("olga", Role::Auditor, &boss)
        .expect("auditor added");
    let mut target = DiskTarget::open(&path).expect("opens");
    let identity = refurbdesk_erasure::DriveIdentity::image(&path, MIB);
    let plan = plan(Method::Zero);
    let error = run_on(
        &mut store,
        &mut target,
        &identity,
        &Request {
            plan: &plan,
            operator: "olga",
            device_id: None,
        },
        &AtomicBool::new(false),
        &mut |_| panic!("must not start"),
        &mut |_| panic!("must not write"),
    )
    .expect_err("an auditor may not erase");
    assert!(
        matches!(error, EraseError::Store(StoreError::NotAllowed { .. })),
        "{error}"
    );
    drop(target);
    common::assert_every_byte(&path, refurbdesk_erasure::Pattern::Fill(0x5a), None);
}

/// Set in the environment of the child process that gets killed.
const CHILD_ENV: &str = "REFURBDESK_ERASURE_TEST_CHILD";

/// Not a test on its own: the body of the process that
/// `a_killed_erasure_is_marked_interrupted_on_the_next_open` kills.
#[test]
#[ignore = "run as a child process by a_killed_erasure_is_marked_interrupted_on_the_next_open"]
fn child_erasing_until_killed() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let dir = Path::new(&dir);
    let mut store = Store::open(&dir.join("station.db")).expect("store opens");
    let path = dir.join("victim.img");
    let mut target = DiskTarget::open(&path).expect("opens");
    let identity = refurbdesk_erasure::DriveIdentity::image(&path, target_len(&path));
    let plan = plan(Method::Random);
    // Slowed down so the parent certainly kills it mid-pass.
    let _ = run_on(
        &mut store,
        &mut target,
        &identity,
        &Request {
            plan: &plan,
            operator: "ana",
            device_id: None,
        },
        &AtomicBool::new(false),
        &mut |_| {},
        &mut |_| std::thread::sleep(Duration::from_millis(50)),
    );
}

fn target_len(path: &Path) -> u64 {
    std::fs::metadata(path).expect("metadata").len()
}

#[test]
fn a_killed_erasure_is_marked_interrupted_on_the_next_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    image(&dir, "victim.img", 64 * MIB);
    let db = dir.path().join("station.db");
    drop(Store::open(&db).expect("store is created"));
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "child_erasing_until_killed",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD_ENV, dir.path())
        .spawn()
        .expect("child starts");

    // Wait until the child's record is running, then kill it without warning.
    let deadline = Instant::now() + Duration::from_secs(60);
    let running = loop {
        let store = Store::open(&db).expect("store opens");
        let running = store.running_erasures().expect("reads");
        if let Some(record) = running.into_iter().next() {
            break record;
        }
        assert!(Instant::now() < deadline, "the child never started erasing");
        assert!(
            child.try_wait().expect("child state").is_none(),
            "child ended early"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(running.pid, child.id());
    child.kill().expect("SIGKILL");
    child.wait().expect("child reaped");

    let store = Store::open(&db).expect("reopens");
    let record = store.erasure(running.id).expect("reads").expect("exists");
    assert_eq!(record.status, ErasureStatus::Interrupted);
    assert!(record.finished_at.is_some());
    assert!(
        record
            .note
            .as_deref()
            .is_some_and(|n| n.contains(&format!("pid {}", running.pid))),
        "{:?}",
        record.note
    );
    assert!(store.running_erasures().expect("reads").is_empty());
    let check = store.check().expect("check runs");
    assert!(check.is_ok(), "{check:?}");
    let last = store
        .audit_entries(0, 100)
        .expect("audit")
        .pop()
        .expect("entries");
    assert_eq!(
        (last.action.as_str(), last.operator.as_str()),
        ("erasure.interrupted", "system")
    );
}
