//! Erasure use cases on real image files, real SQLite files and simulated benches: the record
//! is `running` before the first byte, finished once with its outcome; a finding is kept as
//! data and told in English or French; a cancel stops the work and leaves it `interrupted`.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use refurbdesk_app::erase::{
    self, tell_note, BenchParams, DriveConfirmation, DriveParams, EraseStarted, Finding,
    ManualAnswerParams, ManualAnswers, ManualPlanParams, StoreJournal,
};
use refurbdesk_app::{Cancel, Door, ErrorCode, Hint, Progress, ProgressReport, Workstation};
use refurbdesk_bench::{BenchLink, ErrorCode as BenchCode, LinkConfig};
use refurbdesk_bench_sim::{embedded_scenarios, Scenario, SimBench, SimOptions};
use refurbdesk_domain::Lang;
use refurbdesk_erasure::recorded::run_on;
use refurbdesk_erasure::{
    DiskTarget, DriveFinding, DriveIdentity, Method, Outcome, Plan, ReadAt, Seed, Target, Verify,
};
use refurbdesk_station::erase::DeviceFinding;
use refurbdesk_station::{
    record_reading, run_intake, BenchEraseEnd, BenchEraseMethod, IntakeOptions,
};
use refurbdesk_store::{
    ErasureFault, ErasureResult, ErasureStatus, NewErasure, Role, StepAnswer, Store,
};

use crate::support::TestStation;

const MIB: u64 = 1 << 20;
const IPHONE_12: &str = "356728114587211";

fn image(dir: &Path, name: &str, size: u64) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, vec![0x5a_u8; size as usize]).expect("image written");
    path
}

fn image_params(target: &Path, method: Method) -> DriveParams {
    DriveParams {
        target: target.to_owned(),
        method,
        verify: Verify::Full,
        confirmation: DriveConfirmation::Image,
        device: None,
        lang: Lang::En,
    }
}

/// A progress that keeps every report.
fn recording(cancel: Cancel) -> (Progress, Arc<Mutex<Vec<ProgressReport>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    (
        Progress::new(
            move |report| sink.lock().unwrap().push(report.clone()),
            cancel,
        ),
        seen,
    )
}

#[test]
fn an_image_is_recorded_running_before_its_first_byte_then_verified() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let path = image(station.dir.path(), "laptop.img", 3 * MIB + 512);
    let (progress, seen) = recording(Cancel::new());
    let db = station.paths.database.clone();
    let mut started = Vec::new();
    let erased = erase::drive(
        &mut ws,
        &image_params(&path, Method::Random),
        &progress,
        &mut |event| {
            // The record is in the database, running, and the image is as it was.
            let EraseStarted::Drive { erasure_id, .. } = event else {
                panic!("a drive start: {event:?}");
            };
            let store = Store::open(&db).expect("a second connection");
            let record = store.erasure(*erasure_id).unwrap().expect("recorded");
            assert_eq!(record.status, ErasureStatus::Running);
            let bytes = std::fs::read(&path).unwrap();
            assert!(bytes.iter().all(|&b| b == 0x5a), "nothing written yet");
            started.push(event.clone());
        },
    )
    .expect("erased");
    assert_eq!(erased.outcome, Outcome::Verified);
    assert!(erased.failure.is_none() && erased.finding.is_none() && erased.note.is_none());
    let record = &erased.record;
    assert_eq!(record.status, ErasureStatus::Verified);
    assert_eq!(record.bytes_verified, 3 * MIB + 512);
    assert_eq!(record.target_kind, "image");
    assert!(record.tool_version.starts_with("refurbdesk-erasure "));
    let [EraseStarted::Drive {
        erasure_id,
        target_kind,
        method,
        verify,
        ..
    }] = started.as_slice()
    else {
        panic!("one start: {started:?}");
    };
    assert_eq!(*erasure_id, record.id);
    assert_eq!(
        (target_kind.as_str(), method.as_str(), verify.as_str()),
        ("image file", "random", "full")
    );
    let seen = seen.lock().unwrap();
    assert!(seen.iter().all(|report| report.task == "erase"));
    assert!(seen
        .iter()
        .any(|report| report.stage.as_deref() == Some("pass 1/1")));
    let last = seen.last().expect("reports");
    assert_eq!(last.stage.as_deref(), Some("verify"));
    assert_eq!(
        (last.done, last.total),
        (3 * MIB + 512, Some(3 * MIB + 512))
    );

    assert!(ws.store.check().expect("check runs").is_ok());
    let actions: Vec<String> = ws
        .store
        .audit_entries(0, 100)
        .unwrap()
        .into_iter()
        .filter(|entry| entry.entity == "erasure")
        .map(|entry| entry.action)
        .collect();
    assert_eq!(actions, ["erasure.started", "erasure.verified"]);
}

#[test]
fn a_cancelled_erasure_is_recorded_interrupted_with_its_finding_told_in_each_language() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let path = image(station.dir.path(), "stop.img", 8 * MIB);
    let cancel = Cancel::new();
    let progress = {
        let stop = cancel.clone();
        // Stops as soon as the second pass reports.
        Progress::new(
            move |report| {
                if report.stage.as_deref() == Some("pass 2/3") {
                    stop.cancel();
                }
            },
            cancel.clone(),
        )
    };
    let erased = erase::drive(
        &mut ws,
        &image_params(&path, Method::Dod3),
        &progress,
        &mut |_| {},
    )
    .expect("recorded");
    assert_eq!(erased.outcome, Outcome::Interrupted);
    assert_eq!(erased.record.status, ErasureStatus::Interrupted);
    assert_eq!(erased.record.passes_completed, 1);
    let failure = erased.failure.expect("reported");
    assert_eq!(failure.code, ErrorCode::Interrupted);
    assert!(failure.message.contains("nothing is proven"), "{failure:?}");
    let expected = Finding::Drive(DriveFinding::DriveInterrupted {
        passes_completed: 1,
        passes: 3,
    });
    assert_eq!(erased.finding.as_ref(), Some(&expected));
    // The record keeps data; the words come when it is shown.
    let stored = erased.record.note.as_deref().expect("a note");
    assert_eq!(Finding::from_note(stored), Some(expected));
    assert!(erased.note.unwrap().starts_with("stopped on request"));
    assert!(tell_note(Some(stored), Lang::Fr)
        .unwrap()
        .starts_with("arrêté à la demande"));
    let again = Store::open(&station.paths.database).unwrap();
    let reread = again.erasure(erased.record.id).unwrap().unwrap();
    assert_eq!(
        reread.status,
        ErasureStatus::Interrupted,
        "stays interrupted"
    );
    assert!(again.check().unwrap().is_ok());
}

#[test]
fn what_may_not_be_erased_is_refused_before_anything_is_recorded() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let path = image(station.dir.path(), "kept.img", MIB);
    let silent = Progress::silent();

    let mut unconfirmed = image_params(&path, Method::Zero);
    unconfirmed.confirmation = DriveConfirmation::None;
    let error = erase::drive(&mut ws, &unconfirmed, &silent, &mut |_| panic!("started"))
        .expect_err("not confirmed");
    assert_eq!(error.code, ErrorCode::Refused);
    assert_eq!(
        error.hint,
        Some(Hint::ConfirmErase {
            with: refurbdesk_app::ConfirmWith::Image
        })
    );
    assert!(
        error.tell(Door::Terminal).contains("--yes-erase-image"),
        "{error:?}"
    );
    assert!(!error.tell(Door::Window).contains("--"), "{error:?}");
    // The window reads what to ask for from the details.
    let details = error.details.as_ref().expect("details");
    assert_eq!(details["confirm_with"]["kind"], "image", "{error:?}");
    assert_eq!(details["target"], path.display().to_string());

    let mut as_drive = image_params(&path, Method::Zero);
    as_drive.confirmation = DriveConfirmation::Serial {
        serial: "ABC123".into(),
    };
    let error = erase::drive(&mut ws, &as_drive, &silent, &mut |_| panic!("started"))
        .expect_err("an image is not a drive");
    assert_eq!(error.code, ErrorCode::Refused);

    let missing = image_params(&station.dir.path().join("nowhere.img"), Method::Zero);
    let error =
        erase::drive(&mut ws, &missing, &silent, &mut |_| panic!("started")).expect_err("missing");
    assert_eq!(error.code, ErrorCode::NotFound);

    let mut unknown = image_params(&path, Method::Zero);
    unknown.device = Some(IPHONE_12.into());
    let error = erase::drive(&mut ws, &unknown, &silent, &mut |_| panic!("started"))
        .expect_err("no such device");
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(error.tell(Door::Terminal).contains("`refurbdesk devices`"));
    assert!(!error.tell(Door::Window).contains("refurbdesk"));

    assert!(ws.store.running_erasures().unwrap().is_empty());
    assert!(std::fs::read(&path).unwrap().iter().all(|&b| b == 0x5a));
}

#[test]
fn an_operator_who_may_not_erase_is_refused_before_anything_is_written() {
    let station = TestStation::new();
    {
        let mut ws = station.open(None);
        let admin = ws.actor().expect("bootstrap admin");
        ws.store.add_operator("boss", Role::Admin, &admin).unwrap();
        let boss = ws.store.resolve_actor(Some("boss"), "boss").unwrap();
        ws.store.add_operator("olga", Role::Auditor, &boss).unwrap();
    }
    let mut ws = station.open(Some("olga"));
    let path = image(station.dir.path(), "kept.img", MIB);
    let error = erase::drive(
        &mut ws,
        &image_params(&path, Method::Zero),
        &Progress::silent(),
        &mut |_| panic!("must not start"),
    )
    .expect_err("an auditor may not erase");
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(std::fs::read(&path).unwrap().iter().all(|&b| b == 0x5a));
}

/// An image file whose read-back differs at one byte, like a drive that lies.
struct Lying {
    inner: DiskTarget,
    at: u64,
}

impl Target for Lying {
    fn describe(&self) -> String {
        self.inner.describe()
    }
    fn len(&self) -> u64 {
        self.inner.len()
    }
    fn write_at(&mut self, offset: u64, data: &[u8]) -> io::Result<()> {
        self.inner.write_at(offset, data)
    }
    fn read_at(&mut self, offset: u64, data: &mut [u8]) -> io::Result<()> {
        self.inner.read_at(offset, data)?;
        if offset <= self.at && self.at < offset + data.len() as u64 {
            data[(self.at - offset) as usize] ^= 0xff;
        }
        Ok(())
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
    fn concurrent_reader(&self) -> Option<Box<dyn ReadAt + Send>> {
        None
    }
}

#[test]
fn the_store_journal_finishes_a_failed_erasure_once_with_its_first_fault_as_a_finding() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let path = image(station.dir.path(), "liar.img", 2 * MIB);
    let mut target = Lying {
        inner: DiskTarget::open(&path).unwrap(),
        at: MIB + 10,
    };
    let identity = DriveIdentity::image(&path, 2 * MIB);
    let plan = Plan {
        method: Method::Zero,
        verify: Verify::Full,
        seed: None,
        sample_seed: Seed([6; 32]),
    };
    let actor = ws.actor().unwrap();
    let mut journal = StoreJournal {
        store: &mut ws.store,
        operator: &actor.name,
        device_id: None,
    };
    let recorded = run_on(
        &mut journal,
        &mut target,
        &identity,
        &plan,
        &AtomicBool::new(false),
        &mut |_| {},
        &mut |_| {},
    )
    .expect("recorded");
    let record = recorded.record;
    assert_eq!(record.status, ErasureStatus::Failed);
    assert_eq!(record.errors[0].kind, "mismatch");
    let Some(Finding::Drive(DriveFinding::DriveFailed {
        fault_count,
        first: Some(first),
    })) = Finding::from_note(record.note.as_deref().unwrap())
    else {
        panic!("a failure finding: {:?}", record.note);
    };
    assert_eq!(fault_count, record.fault_count);
    assert_eq!(first.offset, record.errors[0].offset);
    let told = tell_note(record.note.as_deref(), Lang::En).unwrap();
    assert_eq!(
        told,
        format!("{fault_count} fault(s); the first: {}", first.detail)
    );
    assert!(tell_note(record.note.as_deref(), Lang::Fr)
        .unwrap()
        .contains("défaut(s)"));
    // Finished once: a second end is refused by the store.
    let finish_again = ws.store.finish_erasure(
        record.id,
        &ErasureResult {
            status: ErasureStatus::Verified,
            passes_completed: 1,
            bytes_written: 2 * MIB,
            bytes_verified: 2 * MIB,
            errors: Vec::new(),
            fault_count: 0,
            note: None,
            finished_at: chrono::Utc::now(),
            duration_s: 1.0,
            throughput_mib_s: 1.0,
        },
        &actor.name,
    );
    assert!(
        finish_again.is_err(),
        "a failed erasure never becomes verified"
    );
}

#[test]
fn an_old_record_with_a_sentence_for_a_note_is_shown_as_written_and_still_checks() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let actor = ws.actor().unwrap();
    // Written the way Refurbdesk wrote notes before findings: English prose.
    let id = ws
        .store
        .start_erasure(&NewErasure {
            target: "/old/disk.img".into(),
            target_kind: "image".into(),
            method: "zero".into(),
            passes: 1,
            seed: None,
            verify: "full".into(),
            verify_seed: None,
            tool_version: "refurbdesk-erasure 0.0.9".into(),
            operator: actor.name.clone(),
            drive: serde_json::json!({"kind": "image"}),
            drive_model: None,
            drive_serial: None,
            size_bytes: MIB,
            device_id: None,
            started_at: chrono::Utc::now(),
        })
        .unwrap();
    let prose = "1 fault(s); the first: writing pass 1 failed at byte 4096: Input/output error";
    ws.store
        .finish_erasure(
            id,
            &ErasureResult {
                status: ErasureStatus::Failed,
                passes_completed: 0,
                bytes_written: 4096,
                bytes_verified: 0,
                errors: vec![ErasureFault {
                    kind: "write".into(),
                    pass: 1,
                    offset: 4096,
                    length: 4096,
                    detail: "writing pass 1 failed at byte 4096: Input/output error".into(),
                }],
                fault_count: 1,
                note: Some(prose.into()),
                finished_at: chrono::Utc::now(),
                duration_s: 1.0,
                throughput_mib_s: 0.0,
            },
            &actor.name,
        )
        .unwrap();
    drop(ws);
    let ws = station.open(None);
    let record = ws.store.erasure(id).unwrap().unwrap();
    assert_eq!(
        record.note.as_deref(),
        Some(prose),
        "rows stay as they were"
    );
    assert_eq!(Finding::from_note(prose), None);
    assert_eq!(tell_note(Some(prose), Lang::Fr).as_deref(), Some(prose));
    assert!(ws.store.check().unwrap().is_ok());
}

/// Set in the environment of the child process that gets killed.
const CHILD_ENV: &str = "REFURBDESK_APP_ERASE_TEST_CHILD";

/// Not a test on its own: the body of the process that
/// `a_killed_erasure_is_marked_interrupted_on_the_next_open` kills.
#[test]
#[ignore = "run as a child process by a_killed_erasure_is_marked_interrupted_on_the_next_open"]
fn child_erasing_until_killed() {
    let Ok(dir) = std::env::var(CHILD_ENV) else {
        return;
    };
    let dir = PathBuf::from(dir);
    let paths = refurbdesk_app::DataPaths::under(dir.join("data"), Some(&dir.join("station.db")));
    let mut ws = Workstation::open(paths, None).expect("opens");
    // Slowed down so the parent certainly kills it mid-pass.
    let progress = Progress::new(
        |_| std::thread::sleep(Duration::from_millis(50)),
        Cancel::new(),
    );
    let _ = erase::drive(
        &mut ws,
        &image_params(&dir.join("victim.img"), Method::Random),
        &progress,
        &mut |_| {},
    );
}

#[test]
fn a_killed_erasure_is_marked_interrupted_on_the_next_open() {
    let dir = tempfile::tempdir().unwrap();
    image(dir.path(), "victim.img", 64 * MIB);
    let db = dir.path().join("station.db");
    drop(Store::open(&db).expect("created"));
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "erase::child_erasing_until_killed",
            "--ignored",
            "--nocapture",
        ])
        .env(CHILD_ENV, dir.path())
        .spawn()
        .expect("child starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    let running = loop {
        let store = Store::open(&db).expect("opens");
        if let Some(record) = store.running_erasures().unwrap().into_iter().next() {
            break record;
        }
        assert!(Instant::now() < deadline, "the child never started erasing");
        assert!(child.try_wait().unwrap().is_none(), "child ended early");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(running.pid, child.id());
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");

    let store = Store::open(&db).expect("reopens");
    let record = store.erasure(running.id).unwrap().unwrap();
    assert_eq!(record.status, ErasureStatus::Interrupted);
    assert!(store.running_erasures().unwrap().is_empty());
    assert!(store.check().unwrap().is_ok());
}

fn fixture(name: &str) -> Scenario {
    let (_, text) = embedded_scenarios()
        .iter()
        .find(|(file, _)| *file == name)
        .expect("fixture exists");
    // Without the timeline, devices stay where the test expects them.
    let cut = text.find("[[timeline]]").unwrap_or(text.len());
    Scenario::from_toml(&text[..cut], name).unwrap()
}

/// Takes in the devices of `slots` through a real intake, so they are recorded devices.
fn take_in(ws: &mut Workstation, link: &Path, slots: &[u16]) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let (bench, _) = BenchLink::connect(link, LinkConfig::default())
            .await
            .expect("link");
        for slot in slots {
            let reading = run_intake(&bench, *slot, &IntakeOptions::default())
                .await
                .expect("intake");
            record_reading(&mut ws.store, &reading, "ana").expect("recorded");
        }
        bench.close().await;
    });
}

fn bench_params(link: &Path, slot: u16, method: BenchEraseMethod) -> BenchParams {
    BenchParams {
        port: link.to_owned(),
        slot,
        method,
        device: None,
        timeout_ms: 2000,
        lang: Lang::En,
    }
}

#[test]
fn a_phone_is_erased_through_its_bench_slot_and_a_refusal_offers_the_reset_by_hand() {
    let station = TestStation::new();
    let link = station.dir.path().join("bench");
    let _bench = SimBench::start(fixture("phones-pb8.toml"), &link, SimOptions::default()).unwrap();
    let mut ws = station.open(None);
    take_in(&mut ws, &link, &[1, 2]);

    let (progress, seen) = recording(Cancel::new());
    let mut started = None;
    let erased = erase::bench(
        &mut ws,
        &bench_params(&link, 1, BenchEraseMethod::FactoryReset),
        &progress,
        &mut |event| started = Some(event.clone()),
    )
    .expect("erased");
    assert_eq!(erased.record.status, ErasureStatus::Verified);
    assert!(matches!(erased.end, BenchEraseEnd::Verified { .. }));
    assert!(erased.failure.is_none() && erased.note.is_none());
    assert_eq!(erased.progress, Some(100));
    let Some(EraseStarted::Bench {
        erasure_id, slot, ..
    }) = started
    else {
        panic!("a bench start: {started:?}");
    };
    assert_eq!((erasure_id, slot), (erased.record.id, 1));
    let seen = seen.lock().unwrap();
    assert_eq!(seen[0].stage.as_deref(), Some("started"));
    assert!(seen.iter().all(|report| report.total == Some(100)));
    let erasing: Vec<u64> = seen
        .iter()
        .filter(|report| report.stage.as_deref() == Some("erasing"))
        .map(|report| report.done)
        .collect();
    assert!(
        erasing.windows(2).all(|pair| pair[0] <= pair[1]),
        "{erasing:?}"
    );
    assert!(erasing.last().is_some_and(|&done| done > 0), "{erasing:?}");
    drop(seen);

    // The bench cannot crypto-erase this phone: nothing erased, and the reset by hand offered.
    let refused = erase::bench(
        &mut ws,
        &bench_params(&link, 1, BenchEraseMethod::CryptoErase),
        &Progress::silent(),
        &mut |_| {},
    )
    .expect("recorded");
    assert_eq!(refused.record.status, ErasureStatus::Failed);
    let Some(Finding::Device(DeviceFinding::BenchRefused { code, .. })) = &refused.finding else {
        panic!("a refusal: {:?}", refused.finding);
    };
    assert_eq!(*code, BenchCode::Unsupported);
    assert!(refused
        .note
        .as_deref()
        .unwrap()
        .contains("nothing was erased"));
    let failure = refused.failure.expect("reported");
    assert_eq!(failure.code, ErrorCode::Refused);
    assert_eq!(
        failure.hint,
        Some(Hint::ResetByHand {
            device: IPHONE_12.to_owned()
        })
    );
    assert!(failure
        .tell(Door::Terminal)
        .contains(&format!("refurbdesk erase --manual --device {IPHONE_12}")));
    assert!(!failure.tell(Door::Window).contains("refurbdesk"));

    // Slot 2's bench reports a failure, in French when asked.
    let mut french = bench_params(&link, 2, BenchEraseMethod::FactoryReset);
    french.lang = Lang::Fr;
    let failed =
        erase::bench(&mut ws, &french, &Progress::silent(), &mut |_| {}).expect("recorded");
    assert_eq!(
        failed.failure.as_ref().unwrap().code,
        ErrorCode::EraseFailed
    );
    let note = failed.note.unwrap();
    assert!(note.starts_with("le banc a signalé l'échec"), "{note}");
    assert!(note.contains("Activation Lock"), "{note}");
    assert!(ws.store.check().unwrap().is_ok());
}

#[test]
fn a_bench_erase_that_cannot_start_records_nothing_and_says_what_to_do() {
    let station = TestStation::new();
    let link = station.dir.path().join("bench");
    let _bench = SimBench::start(fixture("phones-pb8.toml"), &link, SimOptions::default()).unwrap();
    let mut ws = station.open(None);
    take_in(&mut ws, &link, &[1]);
    let error = erase::bench(
        &mut ws,
        &bench_params(&link, 3, BenchEraseMethod::FactoryReset),
        &Progress::silent(),
        &mut |_| panic!("started"),
    )
    .expect_err("slot 3 was never taken in");
    assert_eq!(error.code, ErrorCode::NotFound);
    assert_eq!(error.hint, Some(Hint::IntakeAgain));
    assert!(!error.message.contains("refurbdesk"), "{error:?}");
    assert!(error.tell(Door::Terminal).contains("refurbdesk intake"));

    let gone = station.dir.path().join("no-such-bench");
    let error = erase::bench(
        &mut ws,
        &bench_params(&gone, 1, BenchEraseMethod::FactoryReset),
        &Progress::silent(),
        &mut |_| panic!("started"),
    )
    .expect_err("no bench");
    assert_eq!(error.code, ErrorCode::BenchUnreachable);
    assert!(ws.store.running_erasures().unwrap().is_empty());
    let count = ws
        .store
        .audit_entries(0, 1000)
        .unwrap()
        .iter()
        .filter(|entry| entry.entity == "erasure")
        .count();
    assert_eq!(count, 0, "nothing recorded");
}

#[test]
fn a_cancel_while_the_bench_erases_leaves_the_erase_interrupted() {
    let station = TestStation::new();
    let link = station.dir.path().join("bench");
    let slow = SimOptions {
        speed: 0.05,
        ..SimOptions::default()
    };
    let _bench = SimBench::start(fixture("phones-pb8.toml"), &link, slow).unwrap();
    let mut ws = station.open(None);
    take_in(&mut ws, &link, &[1]);
    let cancel = Cancel::new();
    let progress = {
        let stop = cancel.clone();
        Progress::new(
            move |report| {
                if report.stage.as_deref() == Some("erasing") {
                    stop.cancel();
                }
            },
            cancel.clone(),
        )
    };
    let erased = erase::bench(
        &mut ws,
        &bench_params(&link, 1, BenchEraseMethod::FactoryReset),
        &progress,
        &mut |_| {},
    )
    .expect("recorded");
    assert_eq!(erased.record.status, ErasureStatus::Interrupted);
    assert_eq!(erased.failure.unwrap().code, ErrorCode::Interrupted);
    assert!(erased.note.unwrap().contains("may still be erasing"));
}

fn manual_params(lang: Lang, answers: ManualAnswers) -> ManualAnswerParams {
    ManualAnswerParams {
        plan: ManualPlanParams {
            device: IPHONE_12.to_owned(),
            platform: None,
            lang,
        },
        answers,
    }
}

/// A workstation in which the iPhone 12 of the fixture's slot 1 was taken in.
fn with_a_phone(station: &TestStation) -> Workstation {
    let link = station.dir.path().join("intake-bench");
    let bench = SimBench::start(fixture("phones-pb8.toml"), &link, SimOptions::default()).unwrap();
    let mut ws = station.open(None);
    take_in(&mut ws, &link, &[1]);
    drop(bench);
    ws
}

#[test]
fn a_manual_plan_gives_the_steps_and_the_words_in_the_language_asked() {
    let station = TestStation::new();
    let ws = with_a_phone(&station);
    let plan = erase::manual_plan(
        &ws,
        &ManualPlanParams {
            device: IPHONE_12.into(),
            platform: None,
            lang: Lang::Fr,
        },
    )
    .expect("a plan");
    assert_eq!(plan.platform, "ios");
    assert!(plan.steps[0].text.starts_with("Retirez la carte SIM"));
    assert_eq!(plan.words.required, "obligatoire");
    assert!(plan
        .introduction
        .starts_with("Réinitialisation manuelle — Apple"));
    assert!(plan
        .introduction
        .contains(&format!("({} steps, checklist", plan.steps.len())));
    let english = erase::manual_plan(
        &ws,
        &ManualPlanParams {
            device: IPHONE_12.into(),
            platform: Some("samsung".into()),
            lang: Lang::En,
        },
    )
    .expect("a named platform");
    assert_eq!(english.platform, "samsung");
    assert_eq!(
        english.words.question,
        "Done? [y]es / [n]o / [s]kip / [q]uit: "
    );
    assert_eq!(erase::parse_answer(" Oui\n"), Some(Some(StepAnswer::Yes)));
    assert_eq!(erase::parse_answer("q"), Some(None));
    assert_eq!(erase::parse_answer("peut-être"), None);
    assert!(
        ws.store.running_erasures().unwrap().is_empty(),
        "nothing recorded"
    );
}

#[test]
fn manual_answers_given_at_once_verify_or_fail_the_reset_naming_the_step() {
    let station = TestStation::new();
    let mut ws = with_a_phone(&station);
    let plan =
        erase::manual_plan(&ws, &manual_params(Lang::En, ManualAnswers::Asked).plan).unwrap();
    let mut answers: BTreeMap<String, StepAnswer> = plan
        .steps
        .iter()
        .map(|step| (step.id.clone(), StepAnswer::Yes))
        .collect();
    let verified = erase::manual_answer(
        &mut ws,
        &manual_params(
            Lang::En,
            ManualAnswers::Given {
                platform: Some("ios".into()),
                answers: answers.clone(),
            },
        ),
        &Progress::silent(),
        &mut |_| panic!("nothing is asked"),
    )
    .expect("recorded");
    assert_eq!(verified.record.status, ErasureStatus::Verified);
    assert!(verified.failure.is_none());

    answers.insert("sign_out_apple_account".into(), StepAnswer::No);
    let file = station.dir.path().join("answers.toml");
    let mut text = String::from("platform = \"ios\"\n[answers]\n");
    for (step, answer) in &answers {
        text.push_str(&format!("{step} = \"{answer}\"\n"));
    }
    std::fs::write(&file, text).unwrap();
    let failed = erase::manual_answer(
        &mut ws,
        &manual_params(Lang::Fr, ManualAnswers::File { path: file }),
        &Progress::silent(),
        &mut |_| panic!("nothing is asked"),
    )
    .expect("recorded");
    assert_eq!(failed.record.status, ErasureStatus::Failed);
    let failure = failed.failure.expect("reported");
    assert_eq!(failure.code, ErrorCode::EraseFailed);
    assert!(
        failure.message.contains("sign_out_apple_account"),
        "{failure:?}"
    );
    let Some(Finding::Device(DeviceFinding::ManualStepFailed { step, answer, .. })) =
        &failed.finding
    else {
        panic!("a failed step: {:?}", failed.finding);
    };
    assert_eq!(
        (step.as_str(), *answer),
        ("sign_out_apple_account", StepAnswer::No)
    );
    assert!(failed.note.unwrap().starts_with("l'étape obligatoire"));

    // Another platform's answers are not this device's.
    let error = erase::manual_answer(
        &mut ws,
        &manual_params(
            Lang::En,
            ManualAnswers::Given {
                platform: Some("samsung".into()),
                answers,
            },
        ),
        &Progress::silent(),
        &mut |_| None,
    )
    .expect_err("wrong checklist");
    assert_eq!(error.code, ErrorCode::Data);
    let missing = erase::manual_answer(
        &mut ws,
        &manual_params(
            Lang::En,
            ManualAnswers::File {
                path: station.dir.path().join("nowhere.toml"),
            },
        ),
        &Progress::silent(),
        &mut |_| None,
    )
    .expect_err("no file");
    assert_eq!(missing.code, ErrorCode::NotFound);
}

#[test]
fn asked_answers_are_recorded_as_given_and_a_cancel_interrupts_the_reset() {
    let station = TestStation::new();
    let mut ws = with_a_phone(&station);
    let cancel = Cancel::new();
    let (progress, seen) = recording(cancel.clone());
    let mut asked = Vec::new();
    let reset = erase::manual_answer(
        &mut ws,
        &manual_params(Lang::En, ManualAnswers::Asked),
        &progress,
        &mut |prompt| {
            asked.push(prompt.step.id.clone());
            if prompt.number == 3 {
                // Ctrl-C while the third step is shown.
                cancel.cancel();
            }
            Some(StepAnswer::Yes)
        },
    )
    .expect("recorded");
    assert_eq!(asked.len(), 3);
    assert_eq!(reset.record.status, ErasureStatus::Interrupted);
    assert_eq!(reset.failure.unwrap().code, ErrorCode::Interrupted);
    let Some(Finding::Device(DeviceFinding::ManualStopped { number, step, .. })) = &reset.finding
    else {
        panic!("stopped: {:?}", reset.finding);
    };
    assert_eq!((*number, step), (3, &asked[2]));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 3);
    assert_eq!(seen[2].stage.as_deref(), Some(asked[2].as_str()));
    assert!(seen
        .iter()
        .all(|report| report.task == "erase" && report.total == Some(8)));
    assert!(ws.store.check().unwrap().is_ok());
}

#[test]
fn a_reset_stopped_part_way_in_the_window_is_recorded_interrupted_with_its_answers() {
    let station = TestStation::new();
    let mut ws = with_a_phone(&station);
    let plan =
        erase::manual_plan(&ws, &manual_params(Lang::En, ManualAnswers::Asked).plan).unwrap();
    let given: BTreeMap<String, StepAnswer> = plan
        .steps
        .iter()
        .take(2)
        .map(|step| (step.id.clone(), StepAnswer::Yes))
        .collect();
    let reset = erase::manual_answer(
        &mut ws,
        &manual_params(
            Lang::En,
            ManualAnswers::Stopped {
                platform: Some("ios".into()),
                answers: given,
            },
        ),
        &Progress::silent(),
        &mut |_| panic!("nothing is asked"),
    )
    .expect("recorded");
    assert_eq!(reset.record.status, ErasureStatus::Interrupted);
    assert_eq!(reset.failure.unwrap().code, ErrorCode::Interrupted);
    let Some(Finding::Device(DeviceFinding::ManualStopped { number, step, .. })) = &reset.finding
    else {
        panic!("stopped: {:?}", reset.finding);
    };
    assert_eq!((*number, step), (3, &plan.steps[2].id));
    let details = serde_json::to_string(&reset.record.details).unwrap();
    for answered in &plan.steps[..2] {
        assert!(details.contains(&answered.id), "{details}");
    }
    assert!(ws.store.running_erasures().unwrap().is_empty());
    assert!(ws.store.check().unwrap().is_ok());

    // A step the checklist does not have is refused before anything is recorded.
    let before = erase::list(&ws, &Default::default()).unwrap().len();
    let error = erase::manual_answer(
        &mut ws,
        &manual_params(
            Lang::En,
            ManualAnswers::Stopped {
                platform: None,
                answers: [("format_the_moon".to_owned(), StepAnswer::Yes)].into(),
            },
        ),
        &Progress::silent(),
        &mut |_| None,
    )
    .expect_err("unknown step");
    assert_eq!(error.code, ErrorCode::Data);
    assert!(error.message.contains("format_the_moon"), "{error:?}");
    assert_eq!(erase::list(&ws, &Default::default()).unwrap().len(), before);
}

#[test]
fn erasures_are_listed_newest_first_with_filters_and_their_ids_parsed_with_advice() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let mut ids = Vec::new();
    for name in ["a.img", "b.img", "c.img"] {
        let path = image(station.dir.path(), name, MIB);
        let (progress, _) = recording(Cancel::new());
        let erased = erase::drive(
            &mut ws,
            &image_params(&path, Method::Zero),
            &progress,
            &mut |_| {},
        )
        .expect("erased");
        ids.push(erased.record.id);
    }
    let listed = |params: erase::ListErasuresParams| {
        erase::list(&ws, &params)
            .unwrap()
            .into_iter()
            .map(|erasure| erasure.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(
        listed(Default::default()),
        [ids[2], ids[1], ids[0]],
        "newest first"
    );
    let two = erase::ListErasuresParams {
        limit: Some(2),
        ..Default::default()
    };
    assert_eq!(listed(two), [ids[2], ids[1]]);
    let verified = erase::ListErasuresParams {
        status: Some("Verified".into()),
        operator: Some(ws.actor().unwrap().name.to_uppercase()),
        ..Default::default()
    };
    assert_eq!(listed(verified).len(), 3);
    let failed = erase::ListErasuresParams {
        status: Some("failed".into()),
        ..Default::default()
    };
    assert!(listed(failed).is_empty());

    let error = erase::list(
        &ws,
        &erase::ListErasuresParams {
            status: Some("done".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(error
        .message
        .contains("running, verified, failed, interrupted"));

    assert_eq!(
        erase::parse_erasure_id(&ids[0].to_string()).unwrap(),
        ids[0]
    );
    let error = erase::parse_erasure_id("not-a-uuid").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert_eq!(
        error.hint,
        Some(Hint::ListRecords {
            what: refurbdesk_app::RecordKind::Erasures
        })
    );
    assert!(error.tell(Door::Terminal).contains("refurbdesk erase list"));
}
