//! Erasing phones through a simulated bench on a real pseudo-terminal, recorded in a real SQLite
//! file: what the bench reports is what is recorded, a lost line is recovered through STATUS, and
//! anything that cuts the erase short leaves it interrupted, never verified.

use std::time::Duration;

use refurbdesk_bench::{BenchLink, LinkConfig};
use refurbdesk_bench_protocol::ErrorCode;
use refurbdesk_bench_sim::{FaultKind, FaultSpec, Scenario, SimBench, SimOptions};
use refurbdesk_station::erase::DeviceFinding;
use refurbdesk_station::{
    erase_on_bench, record_reading, run_intake, BenchEraseEnd, BenchEraseError, BenchEraseEvent,
    BenchEraseMethod, BenchEraseOptions, BenchEraseOutcome, BenchEraseRequest, IntakeOptions,
    Interruption,
};
use refurbdesk_store::{ErasureDetails, ErasureStatus, OutcomeSource, Store};

/// Three phones and an empty slot. `FAULTS` (slot 3's lost lines) is filled in per test.
const BENCH: &str = r#"
[bench]
vendor = "Acme"
model = "PB-4"
serial = "PB4-0007"
fw = "2.0.1"
slots = 4

[timing]
response_ms = 2
device_ms = 4
test_ms = 10
erase_ms = 200

[[device]]
slot = 1
ident = { category = "phone", make = "Apple", model = "iPhone 12", serial = "F17XK2ABCDEF", imei = "356728114587211", storage_gb = "128" }
tests = { wifi = "PASS" }
erase = { factory_reset = "ok", crypto_erase = "unsupported" }

[[device]]
slot = 2
ident = { category = "phone", make = "Apple", model = "iPhone 13", serial = "G6TZQ1WXNR2P", imei = "354432115294032" }
tests = { wifi = "PASS" }
erase = { factory_reset = "failed", detail = "Activation Lock: the owner must remove the device from their account" }

[[device]]
slot = 3
ident = { category = "phone", make = "Samsung", model = "Galaxy S21 5G", serial = "R5CR20ABCDE", imei = "352602117043189" }
tests = { wifi = "PASS" }
erase = { factory_reset = "ok", crypto_erase = "failed", detail = "key store locked", faults = FAULTS }

[[device]]
slot = 4
present = false
ident = { category = "phone", make = "Google", model = "Pixel 7", serial = "2A131FDH3000XY", imei = "358240051111110" }
"#;

fn scenario(slot3_faults: &str) -> Scenario {
    Scenario::from_toml(&BENCH.replace("FAULTS", slot3_faults), "erase-bench").expect("valid")
}

/// The record's note holds the finding as data, and the outcome carries the same.
fn assert_recorded(outcome: &BenchEraseOutcome, expected: &DeviceFinding) {
    assert_eq!(outcome.finding.as_ref(), Some(expected));
    let note = outcome.record.note.as_deref().expect("a note");
    assert_eq!(
        DeviceFinding::from_note(note).as_ref(),
        Some(expected),
        "{note}"
    );
    let json: serde_json::Value = serde_json::from_str(note).expect("the note is JSON");
    assert!(json["finding"].is_string(), "{json}");
}

fn quick_link() -> LinkConfig {
    LinkConfig {
        request_timeout: Duration::from_millis(300),
        ..LinkConfig::default()
    }
}

fn quick_erase() -> BenchEraseOptions {
    BenchEraseOptions {
        status_poll: Duration::from_millis(500),
        erase_timeout: Duration::from_secs(20),
        max_sends: 3,
    }
}

struct Rig {
    _dir: tempfile::TempDir,
    bench: SimBench,
    link: BenchLink,
    store: Store,
}

/// A bench serving `scenario`, a store in which the phones of `recorded` slots were taken in by a
/// real intake on a fault-free copy of the bench, and a link to the bench under test.
async fn rig(scenario: Scenario, options: SimOptions, recorded: &[u16]) -> Rig {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("station.sqlite")).expect("store opens");
    if !recorded.is_empty() {
        let intake_bench = SimBench::start(
            scenario.clone(),
            &dir.path().join("intake-bench"),
            SimOptions::default(),
        )
        .expect("intake bench starts");
        let (link, _) = BenchLink::connect(intake_bench.link(), quick_link())
            .await
            .expect("intake link");
        for slot in recorded {
            let reading = run_intake(&link, *slot, &IntakeOptions::default())
                .await
                .expect("intake");
            record_reading(&mut store, &reading, "ana").expect("recorded");
        }
        link.close().await;
    }
    let bench = SimBench::start(scenario, &dir.path().join("bench"), options).expect("starts");
    let (link, _) = BenchLink::connect(bench.link(), quick_link())
        .await
        .expect("link");
    Rig {
        _dir: dir,
        bench,
        link,
        store,
    }
}

fn request(slot: u16, method: BenchEraseMethod) -> BenchEraseRequest<'static> {
    BenchEraseRequest {
        slot,
        method,
        device_id: None,
        operator: "ana",
    }
}

/// Erases and returns the outcome with every event reported on the way; `on_progress` runs at
/// each progress event (to pull the device out, reset the bench, ...).
async fn erase(
    rig: &mut Rig,
    request: &BenchEraseRequest<'_>,
    mut on_progress: impl FnMut(&SimBench, u8),
) -> (
    Result<BenchEraseOutcome, BenchEraseError>,
    Vec<BenchEraseEvent>,
) {
    let mut events = Vec::new();
    let bench = &rig.bench;
    let outcome = erase_on_bench(
        &rig.link,
        &mut rig.store,
        request,
        &quick_erase(),
        std::future::pending(),
        &mut |event| {
            if let BenchEraseEvent::Progress { percent } = event {
                on_progress(bench, *percent);
            }
            events.push(event.clone());
        },
    )
    .await;
    (outcome, events)
}

fn progress_seen(events: &[BenchEraseEvent]) -> Vec<u8> {
    events
        .iter()
        .filter_map(|event| match event {
            BenchEraseEvent::Progress { percent } => Some(*percent),
            _ => None,
        })
        .collect()
}

fn polled(events: &[BenchEraseEvent]) -> bool {
    events
        .iter()
        .any(|event| matches!(event, BenchEraseEvent::Polling { .. }))
}

/// Every erasure recorded (bench erasures always name their device).
fn erasure_count(store: &Store) -> usize {
    store
        .list_devices(&Default::default())
        .expect("devices")
        .iter()
        .map(|device| {
            store
                .erasures_for_device(device.id)
                .expect("erasures")
                .len()
        })
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_factory_reset_the_bench_reports_ok_is_verified_with_its_progress() {
    let mut rig = rig(scenario("[]"), SimOptions::default(), &[1]).await;
    let (outcome, events) = erase(
        &mut rig,
        &request(1, BenchEraseMethod::FactoryReset),
        |_, _| {},
    )
    .await;
    let outcome = outcome.expect("erased");
    assert_eq!(
        outcome.end,
        BenchEraseEnd::Verified {
            from: OutcomeSource::Event
        }
    );
    assert_eq!(progress_seen(&events), [25, 50, 75]);
    assert!(matches!(events[0], BenchEraseEvent::Started { .. }));
    assert!(!polled(&events), "nothing was lost, nothing to poll");

    let record = &outcome.record;
    assert_eq!(record.status, ErasureStatus::Verified);
    assert_eq!(record.target, "PB4-0007/slot 1");
    assert_eq!(record.target_kind, "bench");
    assert_eq!(record.method, "factory_reset");
    assert_eq!(record.drive["imei"], "356728114587211");
    assert_eq!(record.operator, "ana");
    let device = rig
        .store
        .find_device("356728114587211")
        .expect("reads")
        .expect("recorded");
    assert_eq!(record.device_id, Some(device.id));
    let Some(ErasureDetails::Bench(details)) = &record.details else {
        panic!("bench details expected");
    };
    assert_eq!(details.progress, Some(100));
    assert_eq!(details.outcome_from, Some(OutcomeSource::Event));
    let lines: Vec<&str> = details.evidence.iter().map(|l| l.line.as_str()).collect();
    assert!(
        lines.iter().any(|l| l.contains(" ERASE 1 factory_reset*")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("! ERASE 1 progress=50*")),
        "{lines:?}"
    );
    assert!(
        lines
            .last()
            .is_some_and(|l| l.starts_with("! ERASE 1 done=ok*")),
        "{lines:?}"
    );
    assert_eq!(rig.bench.stats().requests["ERASE"], 1);
    assert!(rig.store.check().expect("check").is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_erase_is_recorded_failed_with_the_bench_detail() {
    let mut rig = rig(scenario("[]"), SimOptions::default(), &[2]).await;
    let (outcome, events) = erase(
        &mut rig,
        &request(2, BenchEraseMethod::FactoryReset),
        |_, _| {},
    )
    .await;
    let outcome = outcome.expect("recorded");
    assert_eq!(
        outcome.end,
        BenchEraseEnd::Failed {
            from: OutcomeSource::Event
        }
    );
    let detail = "Activation Lock: the owner must remove the device from their account";
    assert_eq!(outcome.detail.as_deref(), Some(detail));
    assert_eq!(
        outcome.progress,
        Some(75),
        "the last progress the bench reported"
    );
    assert_eq!(progress_seen(&events), [25, 50, 75]);
    assert_eq!(outcome.record.status, ErasureStatus::Failed);
    assert_recorded(
        &outcome,
        &DeviceFinding::BenchFailed {
            method: BenchEraseMethod::FactoryReset,
            from: OutcomeSource::Event,
            detail: Some(detail.to_owned()),
        },
    );
    let Some(ErasureDetails::Bench(details)) = &outcome.record.details else {
        panic!("bench details expected");
    };
    assert_eq!(details.detail.as_deref(), Some(detail));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unsupported_method_is_refused_and_recorded_as_nothing_erased() {
    let mut rig = rig(scenario("[]"), SimOptions::default(), &[1]).await;
    let (outcome, events) = erase(
        &mut rig,
        &request(1, BenchEraseMethod::CryptoErase),
        |_, _| {},
    )
    .await;
    let outcome = outcome.expect("recorded");
    let BenchEraseEnd::Refused { code, message } = &outcome.end else {
        panic!("refused expected: {:?}", outcome.end);
    };
    assert_eq!(*code, ErrorCode::Unsupported);
    assert!(message
        .as_deref()
        .unwrap_or_default()
        .contains("crypto_erase"));
    assert!(progress_seen(&events).is_empty());
    assert_eq!(outcome.record.status, ErasureStatus::Failed);
    let expected = DeviceFinding::BenchRefused {
        slot: 1,
        method: BenchEraseMethod::CryptoErase,
        code: ErrorCode::Unsupported,
        message: message.clone(),
    };
    assert_recorded(&outcome, &expected);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_done_event_lost_to_a_corrupt_line_is_recovered_through_status() {
    let mut rig = rig(scenario(r#"["corrupt_done"]"#), SimOptions::default(), &[3]).await;
    let (outcome, events) = erase(
        &mut rig,
        &request(3, BenchEraseMethod::FactoryReset),
        |_, _| {},
    )
    .await;
    let outcome = outcome.expect("recorded");
    assert_eq!(
        outcome.end,
        BenchEraseEnd::Verified {
            from: OutcomeSource::Status
        }
    );
    assert!(polled(&events), "{events:?}");
    assert_eq!(rig.bench.stats().faults_of(FaultKind::Crc), 1);
    assert_eq!(rig.link.stats().bad_lines.total(), 1);
    let Some(ErasureDetails::Bench(details)) = &outcome.record.details else {
        panic!("bench details expected");
    };
    assert_eq!(details.outcome_from, Some(OutcomeSource::Status));
    assert!(
        details.evidence.iter().any(|l| l.line.contains("erase=ok")),
        "the STATUS answer is the evidence: {:?}",
        details.evidence
    );
    assert_eq!(rig.bench.stats().requests["ERASE"], 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_done_event_that_never_comes_is_recovered_through_status_after_the_deadline() {
    let mut rig = rig(scenario(r#"["drop_done"]"#), SimOptions::default(), &[3]).await;
    let (outcome, events) = erase(
        &mut rig,
        &request(3, BenchEraseMethod::CryptoErase),
        |_, _| {},
    )
    .await;
    let outcome = outcome.expect("recorded");
    assert_eq!(
        outcome.end,
        BenchEraseEnd::Failed {
            from: OutcomeSource::Status
        }
    );
    assert_eq!(
        outcome.detail, None,
        "only the lost event carried the detail"
    );
    assert_recorded(
        &outcome,
        &DeviceFinding::BenchFailed {
            method: BenchEraseMethod::CryptoErase,
            from: OutcomeSource::Status,
            detail: None,
        },
    );
    assert!(events.iter().any(|event| matches!(
        event,
        BenchEraseEvent::Polling { reason } if reason.contains("in time")
    )));
    assert_eq!(
        rig.link.stats().bad_lines.total(),
        0,
        "nothing corrupt: only silence"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lost_answer_to_erase_is_not_resent_but_found_through_status() {
    // A slow erase, so STATUS still shows it running when the answer is given up on.
    let options = SimOptions {
        speed: 0.1,
        ..SimOptions::default()
    };
    let mut rig = rig(scenario(r#"["drop_ack"]"#), options, &[3]).await;
    let (outcome, events) = erase(
        &mut rig,
        &request(3, BenchEraseMethod::FactoryReset),
        |_, _| {},
    )
    .await;
    let outcome = outcome.expect("recorded");
    assert_eq!(
        outcome.end,
        BenchEraseEnd::Verified {
            from: OutcomeSource::Event
        }
    );
    assert!(polled(&events), "{events:?}");
    assert!(events.contains(&BenchEraseEvent::Accepted));
    assert_eq!(
        rig.bench.stats().requests["ERASE"],
        1,
        "ERASE is never sent twice once it started"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_device_removed_mid_erase_is_interrupted_never_verified() {
    let options = SimOptions {
        speed: 0.2,
        ..SimOptions::default()
    };
    let mut rig = rig(scenario("[]"), options, &[1]).await;
    let (outcome, events) = erase(
        &mut rig,
        &request(1, BenchEraseMethod::FactoryReset),
        |bench, percent| {
            if percent == 25 {
                bench.remove(1).expect("removed");
            }
        },
    )
    .await;
    let outcome = outcome.expect("recorded");
    assert_eq!(
        outcome.end,
        BenchEraseEnd::Interrupted {
            why: Interruption::DeviceRemoved
        }
    );
    assert_eq!(progress_seen(&events), [25]);
    assert_eq!(outcome.record.status, ErasureStatus::Interrupted);
    assert_recorded(
        &outcome,
        &DeviceFinding::BenchInterrupted {
            why: Interruption::DeviceRemoved,
        },
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bench_reset_mid_erase_is_interrupted_never_verified() {
    let options = SimOptions {
        speed: 0.2,
        ..SimOptions::default()
    };
    let mut rig = rig(scenario("[]"), options, &[1]).await;
    let (outcome, _) = erase(
        &mut rig,
        &request(1, BenchEraseMethod::FactoryReset),
        |bench, percent| {
            if percent == 25 {
                bench.reset();
            }
        },
    )
    .await;
    let outcome = outcome.expect("recorded");
    assert_eq!(
        outcome.end,
        BenchEraseEnd::Interrupted {
            why: Interruption::BenchReset
        }
    );
    assert_eq!(outcome.record.status, ErasureStatus::Interrupted);
    assert_recorded(
        &outcome,
        &DeviceFinding::BenchInterrupted {
            why: Interruption::BenchReset,
        },
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bench_unplugged_mid_erase_is_interrupted_never_verified() {
    let options = SimOptions {
        speed: 0.2,
        ..SimOptions::default()
    };
    let mut rig = rig(scenario("[]"), options, &[1]).await;
    let (outcome, _) = erase(
        &mut rig,
        &request(1, BenchEraseMethod::FactoryReset),
        |bench, percent| {
            if percent == 25 {
                bench.unplug();
            }
        },
    )
    .await;
    let outcome = outcome.expect("recorded");
    assert_eq!(
        outcome.end,
        BenchEraseEnd::Interrupted {
            why: Interruption::BenchGone
        }
    );
    assert_eq!(outcome.record.status, ErasureStatus::Interrupted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_who_stops_waiting_leaves_the_erase_interrupted() {
    let options = SimOptions {
        speed: 0.1,
        ..SimOptions::default()
    };
    let mut rig = rig(scenario("[]"), options, &[1]).await;
    let outcome = erase_on_bench(
        &rig.link,
        &mut rig.store,
        &request(1, BenchEraseMethod::FactoryReset),
        &quick_erase(),
        tokio::time::sleep(Duration::from_millis(300)),
        &mut |_| {},
    )
    .await
    .expect("recorded");
    assert_eq!(
        outcome.end,
        BenchEraseEnd::Interrupted {
            why: Interruption::Cancelled
        }
    );
    assert_recorded(
        &outcome,
        &DeviceFinding::BenchInterrupted {
            why: Interruption::Cancelled,
        },
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nothing_is_recorded_for_an_empty_slot_an_unknown_device_or_the_wrong_one() {
    let mut rig = rig(scenario("[]"), SimOptions::default(), &[1]).await;
    let (empty, _) = erase(
        &mut rig,
        &request(4, BenchEraseMethod::FactoryReset),
        |_, _| {},
    )
    .await;
    assert!(
        matches!(empty, Err(BenchEraseError::SlotEmpty { slot: 4, .. })),
        "{empty:?}"
    );
    let (unknown, _) = erase(
        &mut rig,
        &request(3, BenchEraseMethod::FactoryReset),
        |_, _| {},
    )
    .await;
    let error = unknown.expect_err("slot 3 was never taken in");
    assert!(
        matches!(error, BenchEraseError::NotRecorded { .. }),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(message.contains("not a recorded device"), "{message}");
    assert!(
        !message.contains("refurbdesk "),
        "the engine names no command: {message}"
    );
    let (no_slot, _) = erase(
        &mut rig,
        &request(9, BenchEraseMethod::FactoryReset),
        |_, _| {},
    )
    .await;
    assert!(matches!(
        no_slot,
        Err(BenchEraseError::NoSuchSlot { slots: 4, .. })
    ));

    let iphone = rig
        .store
        .find_device("356728114587211")
        .expect("reads")
        .expect("recorded")
        .id;
    let mut wrong = request(2, BenchEraseMethod::FactoryReset);
    wrong.device_id = Some(iphone);
    let (wrong, _) = erase(&mut rig, &wrong, |_, _| {}).await;
    let error = wrong.expect_err("slot 2 holds another phone");
    assert!(
        matches!(error, BenchEraseError::WrongDevice { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("iPhone 13"), "{error}");

    assert_eq!(erasure_count(&rig.store), 0);
    assert_eq!(
        rig.bench.stats().requests.get("ERASE"),
        None,
        "no ERASE was ever sent"
    );
}

/// With random corrupt and lost lines, an outcome is either the bench's own or `interrupted`:
/// never verified where the bench failed, never failed where it succeeded.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_line_faults_never_record_an_outcome_the_bench_did_not_report() {
    let (mut recovered, mut told) = (0, 0);
    for seed in 1..=6u64 {
        let faults = FaultSpec::none()
            .with_rate(FaultKind::Crc, 0.2)
            .with_rate(FaultKind::Drop, 0.1)
            .with_rate(FaultKind::Dup, 0.1);
        let options = SimOptions {
            faults,
            seed,
            speed: 1.0,
        };
        let mut rig = rig(scenario("[]"), options, &[1, 2]).await;
        for (slot, truth) in [(1, ErasureStatus::Verified), (2, ErasureStatus::Failed)] {
            let (outcome, events) = erase(
                &mut rig,
                &request(slot, BenchEraseMethod::FactoryReset),
                |_, _| {},
            )
            .await;
            let outcome = match outcome {
                Ok(outcome) => outcome,
                // The link gave up on a request before anything was recorded.
                Err(BenchEraseError::Link(_)) => continue,
                Err(other) => panic!("seed {seed} slot {slot}: {other}"),
            };
            let status = outcome.record.status;
            assert!(
                status == truth || status == ErasureStatus::Interrupted,
                "seed {seed} slot {slot}: recorded {status}, the bench says {truth}"
            );
            if status == truth {
                told += 1;
                if polled(&events) {
                    recovered += 1;
                }
            }
        }
        assert!(rig.store.check().expect("check").is_ok(), "seed {seed}");
    }
    eprintln!(
        "{told} of 12 outcomes recorded as the bench told them, {recovered} after asking STATUS"
    );
    // Interrupted proves nothing but is always safe; a host that only ever said that would be
    // useless, so most erases must still come through.
    assert!(
        told >= 8,
        "only {told} of 12 erases came through the faults"
    );
}

#[test]
fn methods_read_and_print_as_the_protocol_spells_them() {
    for method in BenchEraseMethod::ALL {
        assert_eq!(method.as_str().parse::<BenchEraseMethod>(), Ok(method));
    }
    let error = "shred"
        .parse::<BenchEraseMethod>()
        .expect_err("not a method");
    assert!(error.contains("factory_reset"), "{error}");
}
