//! Use-case tests: the window's session. Its calls and its station act as the operator logged in,
//! not as the one the environment names; while the window is locked nothing is recorded.

use std::time::Duration;

use refurbdesk_app::operators::{self, AddOperatorParams, Role};
use refurbdesk_app::session::{self, LoginParams, SetPinParams, WindowSession};
use refurbdesk_app::station::{self, SlotPhase, StationEvent, StationParams, AWAITING_OPERATOR};
use refurbdesk_app::ErrorCode;
use refurbdesk_bench_sim::{embedded_scenarios, Scenario, SimBench, SimOptions};
use refurbdesk_store::DeviceFilter;

use crate::support::TestStation;

/// A station with an admin "boss" (PIN 2468), a technician "ana" (PIN 1357) and a technician
/// "ben" with no PIN.
fn station_with_pins() -> TestStation {
    let station = TestStation::new();
    let mut ws = station.open(None);
    operators::add(&mut ws, add("boss", Role::Admin)).unwrap();
    let mut ws = station.open(Some("boss"));
    operators::add(&mut ws, add("ana", Role::Technician)).unwrap();
    operators::add(&mut ws, add("ben", Role::Technician)).unwrap();
    session::set_pin(&mut ws, pin("ana", "1357")).unwrap();
    session::set_pin(&mut ws, pin("boss", "2468")).unwrap();
    station
}

fn add(name: &str, role: Role) -> AddOperatorParams {
    AddOperatorParams {
        name: name.into(),
        role,
    }
}

fn pin(name: &str, pin: &str) -> SetPinParams {
    SetPinParams {
        name: name.into(),
        pin: pin.into(),
        repeat: pin.into(),
    }
}

fn log_in(window: &WindowSession, station: &TestStation, name: &str, pin: &str) {
    window
        .log_in(&station.paths, |ws| {
            session::login(
                ws,
                LoginParams {
                    name: name.into(),
                    pin: Some(pin.into()),
                    lang: None,
                },
            )
        })
        .expect("logged in");
}

/// The phone bench of the fixtures, its devices in place from the start (no timeline).
fn phone_bench() -> Scenario {
    let (name, text) = embedded_scenarios()
        .iter()
        .find(|(file, _)| *file == "phones-pb8.toml")
        .expect("fixture exists");
    let cut = text.find("[[timeline]]").unwrap_or(text.len());
    Scenario::from_toml(&text[..cut], name).unwrap()
}

#[test]
fn a_locked_window_records_nothing_whatever_the_environment_names() {
    let station = station_with_pins();
    let window = WindowSession::default();
    // Ben has no PIN, and the environment names him: the CLI would act as him, a locked window
    // does not. Reading still works.
    let ws = window.open(&station.paths, Some("ben".into())).unwrap();
    let error = ws.actor().unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(error.message.contains("nobody is logged in"), "{error}");
    assert!(session::status(&ws).unwrap().open_as.is_none());

    // Logged in as ana, every call acts as ana, whoever the environment names.
    log_in(&window, &station, "ana", "1357");
    let ws = window.open(&station.paths, Some("boss".into())).unwrap();
    assert_eq!(ws.actor().unwrap().name, "ana");
    assert_eq!(window.on_duty().current().as_deref(), Some("ana"));

    // Locked again: nobody acts, nobody is on duty.
    window.lock();
    assert!(window.on_duty().current().is_none());
    let ws = window.open(&station.paths, Some("ben".into())).unwrap();
    assert_eq!(ws.actor().unwrap_err().code, ErrorCode::Refused);
}

#[test]
fn the_windows_station_records_under_the_operator_who_logs_in_and_waits_while_nobody_is() {
    let station = station_with_pins();
    let link = station.dir.path().join("bench");
    let _bench = SimBench::start(phone_bench(), &link, SimOptions::default()).unwrap();
    let window = WindowSession::default();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    runtime.block_on(async {
        // The window opens locked; its station starts anyway, as nobody.
        let ws = window.open(&station.paths, Some("ben".into())).unwrap();
        let params = StationParams {
            ports: vec![link.clone()],
            ..StationParams::default()
        };
        let mut running = station::start_for_window(&window, ws, params).unwrap();
        assert_eq!(running.started.operator, None);

        // Slot 1 is identified, then tested, and waits for an operator: nothing is recorded.
        next(&mut running.events, |event| {
            matches!(event, StationEvent::SlotChanged { slot: 1, phase: SlotPhase::Identifying, .. })
        })
        .await;
        next(&mut running.events, |event| {
            matches!(event, StationEvent::SlotChanged { slot: 1, phase: SlotPhase::Intake, message: None, .. })
        })
        .await;
        let waiting = next(&mut running.events, |event| {
            matches!(event, StationEvent::SlotChanged { slot: 1, phase: SlotPhase::Intake, message: Some(m), .. } if m == AWAITING_OPERATOR)
        })
        .await;
        assert!(matches!(waiting, StationEvent::SlotChanged { .. }));
        let store = station.open(None).store;
        assert!(
            store.list_devices(&DeviceFilter::default()).unwrap().is_empty(),
            "nothing recorded while nobody is logged in"
        );

        // Ana logs in: the reading is recorded, under her name.
        log_in(&window, &station, "ana", "1357");
        let recorded = next(&mut running.events, |event| {
            matches!(event, StationEvent::IntakeRecorded { slot: 1, .. })
        })
        .await;
        let StationEvent::IntakeRecorded { report, .. } = recorded else {
            unreachable!()
        };
        let device = report.device_id.expect("recorded with its device");
        let intakes = store.intakes_for_device(device).unwrap();
        assert_eq!(intakes.len(), 1);
        assert_eq!(intakes[0].operator, "ana");
        running.control.stop();
    });
}

/// The next event `wanted` picks (any failure to come within a minute fails the test).
async fn next(
    events: &mut tokio::sync::mpsc::UnboundedReceiver<StationEvent>,
    wanted: impl Fn(&StationEvent) -> bool,
) -> StationEvent {
    tokio::time::timeout(Duration::from_secs(60), async {
        loop {
            let event = events.recv().await.expect("the station runs");
            if wanted(&event) {
                return event;
            }
        }
    })
    .await
    .expect("the event comes")
}
