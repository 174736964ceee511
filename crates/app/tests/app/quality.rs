//! Use-case tests: what the quality screen needs. The device list with each device's latest
//! grade and its search box, the dashboard's figures, stopping a running export, and the serial
//! ports the settings screen offers; on real SQLite stations.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::{Duration, TimeZone, Utc};
use refurbdesk_app::devices::{self, DevicesParams, ListingGrade};
use refurbdesk_app::documents::{self, ExportParams, ReportParams};
use refurbdesk_app::grade::{self, Answer, CosmeticLevel, GradeParams, Outcome, Zone};
use refurbdesk_app::stats::{self, DashboardParams};
use refurbdesk_app::{ports, ErrorCode, Progress, Running, Workstation};
use refurbdesk_domain::Lang;
use refurbdesk_store::NewIntake;

use crate::support::{Phone, TestStation};

/// Three phones: (IMEI, serial, state of health, operator, minutes after 9:00 on 14 March 2025).
const PHONES: [(&str, &str, u32, &str, i64); 3] = [
    ("356728114587211", "F2LXK0AAA", 90, "ana", 0),
    ("490154203237518", "F2LXK0BBB", 72, "ana", 10),
    ("352099001761481", "F2LXK0CCC", 88, "bob", 24 * 60),
];

const MANUAL_ITEMS: [&str; 10] = [
    "powers_on_off",
    "charges",
    "touch",
    "screen_dead_pixels",
    "screen_burn_in",
    "biometrics",
    "all_features",
    "liquid_indicators",
    "housing_complete",
    "genuine_parts",
];

fn nine() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 9, 0, 0)
        .single()
        .expect("valid date")
}

fn intake(imei: &str, serial: &str, soh: u32, operator: &str, minute: i64) -> NewIntake {
    Phone {
        serial: Some(serial.to_owned()),
        full_mah: soh * 100,
        tests: vec![
            ("wifi", "pass", None),
            ("camera_rear", if soh == 90 { "fail" } else { "pass" }, None),
        ],
        operator: operator.to_owned(),
        started: nine() + Duration::minutes(minute),
        ..Phone::new(imei)
    }
    .intake()
}

fn graded(device: &str) -> GradeParams {
    GradeParams {
        device: device.to_owned(),
        checks: MANUAL_ITEMS
            .iter()
            .map(|item| (item.to_string(), Answer::Pass))
            .collect(),
        cosmetic: [Zone::Screen, Zone::Back, Zone::Frame]
            .into_iter()
            .map(|zone| (zone, CosmeticLevel::Flawless))
            .collect::<BTreeMap<_, _>>(),
        photos: Vec::new(),
        policy: None,
        partial: false,
        explain: false,
        lang: Lang::En,
    }
}

/// The three phones read; the first two graded.
fn station() -> (TestStation, Workstation) {
    let station = TestStation::new();
    let mut ws = station.open(None);
    for (imei, serial, soh, operator, minute) in PHONES {
        ws.store
            .record_intake(&intake(imei, serial, soh, operator, minute))
            .expect("intake recorded");
    }
    for (imei, ..) in &PHONES[..2] {
        grade::record(&mut ws, graded(imei)).expect("graded");
    }
    (station, ws)
}

fn imeis(page: &devices::DevicesPage) -> Vec<&str> {
    page.rows
        .iter()
        .map(|row| row.imei.as_deref().unwrap_or_default())
        .collect()
}

#[test]
fn the_list_shows_each_devices_latest_grade_and_filters_on_it() {
    let (_station, ws) = station();
    let all = devices::list(&ws, DevicesParams::default()).unwrap();
    assert_eq!(imeis(&all), [PHONES[2].0, PHONES[1].0, PHONES[0].0]);
    // Each row carries the grade the device screen shows.
    for row in &all.rows {
        let shown = devices::show(
            &ws,
            devices::DeviceShowParams {
                device: row.id.to_string(),
                lang: Lang::En,
            },
        )
        .unwrap();
        assert_eq!(
            row.outcome,
            shown.grade.as_ref().map(|g| g.outcome.clone()),
            "{row:?}"
        );
        assert_eq!(
            row.listing_grade,
            shown.grade.as_ref().map(|g| g.grade.clone())
        );
    }
    assert_eq!(all.rows[0].outcome, None, "never graded");
    // The camera failed on the first phone, the battery is weak on the second: both repair.
    assert_eq!(all.rows[1].outcome.as_deref(), Some("repair"));
    assert_eq!(all.rows[2].outcome.as_deref(), Some("repair"));

    let repair = devices::list(
        &ws,
        DevicesParams {
            outcome: Some(Outcome::Repair),
            ..DevicesParams::default()
        },
    )
    .unwrap();
    assert_eq!(imeis(&repair), [PHONES[1].0, PHONES[0].0]);
    let sellable = devices::list(
        &ws,
        DevicesParams {
            outcome: Some(Outcome::Sellable),
            ..DevicesParams::default()
        },
    )
    .unwrap();
    assert!(sellable.rows.is_empty());
    let grade: ListingGrade = all.rows[1]
        .listing_grade
        .as_deref()
        .unwrap()
        .parse()
        .unwrap();
    let by_grade = devices::list(
        &ws,
        DevicesParams {
            grade: Some(grade),
            by: Some("ana".into()),
            ..DevicesParams::default()
        },
    )
    .unwrap();
    assert!(imeis(&by_grade).contains(&PHONES[1].0), "{by_grade:?}");
    assert!(!imeis(&by_grade).contains(&PHONES[2].0));

    // Paging with the grade filter: one row a page, the cursor carries on.
    let first = devices::list(
        &ws,
        DevicesParams {
            outcome: Some(Outcome::Repair),
            limit: 1,
            ..DevicesParams::default()
        },
    )
    .unwrap();
    assert_eq!(imeis(&first), [PHONES[1].0]);
    let second = devices::list(
        &ws,
        DevicesParams {
            outcome: Some(Outcome::Repair),
            limit: 1,
            after: first.next_after,
            ..DevicesParams::default()
        },
    )
    .unwrap();
    assert_eq!(imeis(&second), [PHONES[0].0]);
}

#[test]
fn the_search_box_finds_a_device_by_imei_or_by_serial() {
    let (_station, ws) = station();
    let search = |query: &str| {
        devices::list(
            &ws,
            DevicesParams {
                query: Some(query.to_owned()),
                ..DevicesParams::default()
            },
        )
        .unwrap()
    };
    assert_eq!(imeis(&search(PHONES[1].0)), [PHONES[1].0]);
    assert_eq!(imeis(&search(&format!(" {} ", PHONES[2].1))), [PHONES[2].0]);
    assert!(search("nothing-like-this").rows.is_empty());
    // Blank is no search at all.
    assert_eq!(search("  ").rows.len(), 3);
}

#[test]
fn the_dashboard_counts_the_period_asked() {
    let (_station, ws) = station();
    let day = stats::dashboard(
        &ws,
        DashboardParams {
            since: Some(nine()),
            until: Some(nine() + Duration::hours(1)),
        },
    )
    .unwrap();
    assert_eq!((day.intakes, day.devices), (2, 2), "bob's came a day later");
    assert_eq!(day.soh_width_pct, 5);
    let soh: Vec<(u32, u32)> = day.soh.iter().map(|b| (b.from_pct, b.count)).collect();
    assert_eq!(soh, [(70, 1), (90, 1)]);
    let tests: Vec<(&str, u32, u32)> = day
        .tests
        .iter()
        .map(|t| (t.name.as_str(), t.runs, t.failed))
        .collect();
    assert_eq!(tests, [("camera_rear", 2, 1), ("wifi", 2, 0)]);
    let per_day: Vec<(&str, &str, u32)> = day
        .per_technician_day
        .iter()
        .map(|d| (d.operator.as_str(), d.day.as_str(), d.devices))
        .collect();
    assert_eq!(per_day, [("ana", "2025-03-14", 2)]);

    // Grades are counted when they were given: now.
    let now = stats::dashboard(&ws, DashboardParams::default()).unwrap();
    assert_eq!(now.intakes, 0, "the intakes are older than 30 days");
    let outcomes: Vec<(&str, u32)> = now
        .outcomes
        .iter()
        .map(|c| (c.word.as_str(), c.count))
        .collect();
    assert_eq!(outcomes, [("repair", 2)]);
    assert_eq!(now.grades.iter().map(|c| c.count).sum::<u32>(), 2);

    let backwards = stats::dashboard(
        &ws,
        DashboardParams {
            since: Some(nine()),
            until: Some(nine() - Duration::days(1)),
        },
    )
    .unwrap_err();
    assert_eq!(backwards.code, ErrorCode::Usage);
}

#[test]
fn a_running_export_stops_when_cancelled_from_elsewhere() {
    let (station, mut ws) = station();
    let actor = ws.actor().unwrap();
    ws.store
        .set_setting("organisation.name", "Atelier Exemple SAS", &actor.name)
        .unwrap();
    let issued = station.dir.path().join("issued");
    for (imei, ..) in &PHONES[..2] {
        documents::report(
            &mut ws,
            &ReportParams {
                device: (*imei).to_owned(),
                out: issued.clone(),
                lang: Some(Lang::En),
            },
        )
        .unwrap();
    }
    let params = ExportParams {
        device: None,
        since: None,
        all: true,
        out: station.dir.path().join("export"),
        zip: false,
        lang: None,
    };

    // Nothing running: nothing to cancel.
    let running = Arc::new(Running::default());
    assert!(!documents::export_cancel(&running).cancelled);

    // The window's cancel arrives while the first document is being reported.
    let answers = Arc::new(Mutex::new(Vec::new()));
    let progress = {
        let running = running.clone();
        let answers = answers.clone();
        Progress::new(
            move |_| {
                answers
                    .lock()
                    .unwrap()
                    .push(documents::export_cancel(&running).cancelled)
            },
            refurbdesk_app::Cancel::new(),
        )
    };
    let error = documents::export_running(&mut ws, &params, &progress, &running).unwrap_err();
    assert_eq!(error.code, ErrorCode::Interrupted);
    assert!(error.message.contains("after 1 of 2"), "{error}");
    assert_eq!(*answers.lock().unwrap(), [true]);

    // Once it ended, a new export runs to its end.
    let done = documents::export_running(&mut ws, &params, &Progress::silent(), &running).unwrap();
    assert_eq!(done.count, 2);
    assert!(!documents::export_cancel(&running).cancelled);
}

#[test]
fn serial_ports_are_listed_by_device_path() {
    let ports = ports::list().expect("the machine's ports are listed");
    let mut names: Vec<&str> = ports.iter().map(|port| port.name.as_str()).collect();
    assert!(
        names.iter().all(|name| name.starts_with("/dev/")),
        "{names:?}"
    );
    let listed = names.clone();
    names.sort();
    assert_eq!(names, listed);
}
