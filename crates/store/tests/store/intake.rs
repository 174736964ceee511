use crate::common::{at, intake_of, phone, phone_intake, TestDb, IMEI, OTHER_IMEI};
use chrono::Duration;
use refurbdesk_domain::{
    assess_lock, AccountLock, ActivationLock, BatteryVerdictKind, CarrierLock, DeviceCategory,
    DeviceIdentity, LockReading, LockVerdictKind, MdmState,
};
use refurbdesk_store::{DeviceFilter, Direction, EvidenceLine, NewIntake, StoreError, TestRecord};

#[test]
fn an_intake_reads_back_exactly_as_recorded() {
    let db = TestDb::new();
    let mut store = db.open();

    let mut identity = DeviceIdentity::new(DeviceCategory::Tablet, "Xiaomi", "Pad 6 «Ü» 小米平板");
    identity.imei = Some(IMEI.to_owned());
    identity.imei_valid = Some(true);
    identity.serial = Some("Ж-001".to_owned());
    identity.color = Some("grün".to_owned());
    identity.os = Some("HyperOS".to_owned());
    identity.reasons = vec!["Ünïcödé reason".to_owned()];
    // Everything else stays None: nulls must come back as nulls.
    let mut intake = intake_of(identity, 2548, 10, "Zoë");
    intake.bench.model = "PB-8 ✓".to_owned();
    intake.slot = 8;
    intake.started_at += Duration::nanoseconds(123_456_789);
    intake.evidence.push(EvidenceLine {
        at: at(11) + Duration::nanoseconds(1),
        direction: Direction::Bench,
        line: "! RESULT 8 mic PASS \"ok\"*1F".to_owned(),
    });
    intake.tests.push(TestRecord {
        name: "mic".to_owned(),
        outcome: "skip".to_owned(),
        detail: Some("kein Mikrofon — 無".to_owned()),
    });
    intake.lock = assess_lock(&LockReading {
        activation: ActivationLock::Unknown,
        account: AccountLock::Xiaomi,
        mdm: MdmState::Unknown,
        carrier: CarrierLock::Locked,
    });

    let summary = store.record_intake(&intake).expect("recorded");
    assert!(summary.new_device);
    assert_eq!(summary.intake_id.get_version_num(), 7);
    assert_eq!(summary.device_id.get_version_num(), 7);

    let record = store
        .latest_intake(summary.device_id)
        .expect("read")
        .expect("an intake exists");
    assert_eq!(record.id, summary.intake_id);
    assert_eq!(record.device_id, summary.device_id);
    assert_eq!(record.station_id, store.station_id());
    assert_eq!(record.bench, intake.bench);
    assert_eq!(record.slot, intake.slot);
    assert_eq!(record.identity, intake.identity);
    assert_eq!(record.battery, intake.battery);
    assert_eq!(record.lock, intake.lock);
    assert_eq!(record.tests, intake.tests);
    assert_eq!(record.evidence, intake.evidence);
    assert_eq!(record.started_at, intake.started_at);
    assert_eq!(record.finished_at, intake.finished_at);
    assert_eq!(record.operator, intake.operator);
    assert_eq!(store.intake(summary.intake_id).expect("read"), Some(record));

    let device = store
        .device(summary.device_id)
        .expect("read")
        .expect("device");
    assert_eq!(device.category, DeviceCategory::Tablet);
    assert_eq!(device.make, "Xiaomi");
    assert_eq!(device.model, "Pad 6 «Ü» 小米平板");
    assert_eq!(device.model_code, None);
    assert_eq!(device.serial.as_deref(), Some("Ж-001"));
    assert_eq!(device.imei.as_deref(), Some(IMEI));
    assert_eq!(device.imei_valid, Some(true));
    assert_eq!(device.first_seen, intake.started_at);
    assert_eq!(device.station_id, store.station_id());
}

#[test]
fn the_denormalised_columns_match_the_assessment() {
    let db = TestDb::new();
    let mut store = db.open();
    let intake = phone_intake(Some(IMEI), None, 0);
    store.record_intake(&intake).expect("recorded");
    let (verdict, soh, cycles, lock): (String, Option<f64>, Option<i64>, String) = db
        .raw()
        .query_row(
            "SELECT battery_verdict, soh_pct, cycles, lock_verdict FROM intakes",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .expect("row");
    assert_eq!(verdict, intake.battery.verdict.as_str());
    assert_eq!(soh, intake.battery.soh_pct);
    assert_eq!(cycles, Some(611));
    assert_eq!(lock, "clear");
}

#[test]
fn a_re_intake_appends_to_the_same_device() {
    let db = TestDb::new();
    let mut store = db.open();
    let first = store
        .record_intake(&phone_intake(Some(IMEI), Some("F17XK2ABCDEF"), 0))
        .expect("first");
    let second = store
        .record_intake(&intake_of(
            phone(Some(IMEI), Some("F17XK2ABCDEF")),
            2000,
            60,
            "ana",
        ))
        .expect("second");
    assert!(first.new_device);
    assert!(!second.new_device);
    assert_eq!(first.device_id, second.device_id);
    assert_ne!(first.intake_id, second.intake_id);

    let history = store.intakes_for_device(first.device_id).expect("history");
    assert_eq!(
        history.iter().map(|i| i.id).collect::<Vec<_>>(),
        [first.intake_id, second.intake_id]
    );
    // The first intake is untouched by the second.
    assert_eq!(history[0].battery.reading.full_mah, Some(2421));
    assert_eq!(history[1].battery.reading.full_mah, Some(2000));
    let latest = store
        .latest_intake(first.device_id)
        .expect("read")
        .expect("some");
    assert_eq!(latest.id, second.intake_id);

    let devices: i64 = db
        .raw()
        .query_row("SELECT COUNT(*) FROM devices", [], |row| row.get(0))
        .expect("count");
    assert_eq!(devices, 1);
}

#[test]
fn latest_means_latest_started_even_when_recorded_late() {
    let db = TestDb::new();
    let mut store = db.open();
    let newer = store
        .record_intake(&phone_intake(Some(IMEI), None, 120))
        .expect("newer");
    let older = store
        .record_intake(&phone_intake(Some(IMEI), None, 5))
        .expect("older, recorded late");
    let latest = store
        .latest_intake(newer.device_id)
        .expect("read")
        .expect("some");
    assert_eq!(latest.id, newer.intake_id);
    let history = store.intakes_for_device(newer.device_id).expect("history");
    assert_eq!(history[0].id, older.intake_id);
}

#[test]
fn devices_are_recognised_by_imei_then_by_make_and_serial() {
    let db = TestDb::new();
    let mut store = db.open();

    let a = store
        .record_intake(&phone_intake(Some(IMEI), None, 0))
        .expect("a");
    let b = store
        .record_intake(&phone_intake(Some(OTHER_IMEI), None, 1))
        .expect("b");
    assert_ne!(
        a.device_id, b.device_id,
        "different IMEIs are different devices"
    );

    let mut laptop = DeviceIdentity::new(DeviceCategory::Laptop, "Lenovo", "ThinkPad T14");
    laptop.serial = Some("PF-12345".to_owned());
    let c = store
        .record_intake(&intake_of(laptop.clone(), 2421, 2, "ana"))
        .expect("c");
    let c_again = store
        .record_intake(&intake_of(laptop.clone(), 2421, 3, "ana"))
        .expect("c again");
    assert_eq!(c.device_id, c_again.device_id);

    let mut other_make = laptop.clone();
    other_make.make = "Dell".to_owned();
    let d = store
        .record_intake(&intake_of(other_make, 2421, 4, "ana"))
        .expect("d");
    assert_ne!(
        d.device_id, c.device_id,
        "the same serial under another make is another device"
    );

    // An invalid IMEI still identifies the device, as read.
    let bad_imei = "356728114587212";
    let e = store
        .record_intake(&phone_intake(Some(bad_imei), None, 5))
        .expect("e");
    let e_again = store
        .record_intake(&phone_intake(Some(bad_imei), None, 6))
        .expect("e again");
    assert_eq!(e.device_id, e_again.device_id);
    let e_device = store.device(e.device_id).expect("read").expect("device");
    assert_eq!(e_device.imei_valid, Some(false));
}

#[test]
fn a_device_without_imei_or_serial_is_new_every_time() {
    let db = TestDb::new();
    let mut store = db.open();
    let monitor = DeviceIdentity::new(DeviceCategory::Monitor, "Dell", "U2419H");
    let first = store
        .record_intake(&intake_of(monitor.clone(), 2421, 0, "ana"))
        .expect("first");
    let second = store
        .record_intake(&intake_of(monitor, 2421, 1, "ana"))
        .expect("second");
    assert!(first.new_device && second.new_device);
    assert_ne!(first.device_id, second.device_id);

    // Blank identifiers are no identifiers.
    let blank = phone(Some(""), Some("  "));
    let third = store
        .record_intake(&intake_of(blank.clone(), 2421, 2, "ana"))
        .expect("third");
    let fourth = store
        .record_intake(&intake_of(blank, 2421, 3, "ana"))
        .expect("fourth");
    assert_ne!(third.device_id, fourth.device_id);
}

#[test]
fn the_schema_itself_keeps_imeis_and_make_serials_unique() {
    let db = TestDb::new();
    let store = db.open();
    let station = store.station_id().to_string();
    let raw = db.raw();
    let insert = |id: &str, make: &str, serial: Option<&str>, imei: Option<&str>| {
        raw.execute(
            "INSERT INTO devices (id, category, make, model, serial, imei, first_seen, station_id)
             VALUES (?1, 'phone', ?2, 'm', ?3, ?4, '2025-01-01T00:00:00.000000000Z', ?5)",
            rusqlite::params![id, make, serial, imei, station],
        )
    };
    insert("1", "Apple", Some("S1"), Some(IMEI)).expect("first");
    assert!(
        insert("2", "Samsung", None, Some(IMEI)).is_err(),
        "duplicate IMEI"
    );
    assert!(
        insert("3", "Apple", Some("S1"), None).is_err(),
        "duplicate make+serial"
    );
    insert("4", "Samsung", Some("S1"), None).expect("same serial, other make");
    insert("5", "Apple", None, None).expect("no identifiers");
    insert("6", "Apple", None, None).expect("no identifiers, again");
}

#[test]
fn an_identifier_learnt_later_is_filled_in_not_replaced() {
    let db = TestDb::new();
    let mut store = db.open();
    // First seen with its serial only (IMEI unreadable), then with both.
    let first = store
        .record_intake(&phone_intake(None, Some("F17XK2ABCDEF"), 0))
        .expect("first");
    let second = store
        .record_intake(&phone_intake(Some(IMEI), Some("F17XK2ABCDEF"), 1))
        .expect("second");
    assert_eq!(first.device_id, second.device_id);
    let device = store
        .device(first.device_id)
        .expect("read")
        .expect("device");
    assert_eq!(device.imei.as_deref(), Some(IMEI));
    assert_eq!(device.imei_valid, Some(true));
    assert_eq!(
        store.find_device(IMEI).expect("find").map(|d| d.id),
        Some(first.device_id)
    );

    // Seen by IMEI only, then with a serial too.
    let third = store
        .record_intake(&phone_intake(Some(OTHER_IMEI), None, 2))
        .expect("third");
    store
        .record_intake(&phone_intake(Some(OTHER_IMEI), Some("G99"), 3))
        .expect("fourth");
    let device = store
        .device(third.device_id)
        .expect("read")
        .expect("device");
    assert_eq!(device.serial.as_deref(), Some("G99"));
    assert!(
        store.check().expect("check").is_ok(),
        "fill-ins are audited"
    );
}

#[test]
fn a_serial_already_owned_by_another_imei_is_refused_whole() {
    let db = TestDb::new();
    let mut store = db.open();
    let owner = store
        .record_intake(&phone_intake(Some(IMEI), Some("F17XK2ABCDEF"), 0))
        .expect("owner");
    let audit_before = store.audit_entries(0, 1000).expect("entries").len();

    let mut clash = phone_intake(Some(OTHER_IMEI), Some("F17XK2ABCDEF"), 1);
    clash.bench.serial = "NEW-BENCH".to_owned();
    let error = store.record_intake(&clash).expect_err("conflict");
    match &error {
        StoreError::IdentityConflict {
            existing_device,
            existing_imei,
            ..
        } => {
            assert_eq!(*existing_device, owner.device_id);
            assert_eq!(existing_imei, IMEI);
        }
        other => panic!("expected IdentityConflict, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains(OTHER_IMEI) && message.contains("F17XK2ABCDEF"),
        "{message}"
    );

    // Nothing of the refused intake was written, not even its new bench.
    assert_eq!(
        store.audit_entries(0, 1000).expect("entries").len(),
        audit_before
    );
    let benches: i64 = db
        .raw()
        .query_row("SELECT COUNT(*) FROM benches", [], |row| row.get(0))
        .expect("count");
    assert_eq!(benches, 1);
}

#[test]
fn find_device_accepts_imei_serial_intake_id_and_device_id() {
    let db = TestDb::new();
    let mut store = db.open();
    let phone_one = store
        .record_intake(&phone_intake(Some(IMEI), Some("F17XK2ABCDEF"), 0))
        .expect("one");
    let phone_two = store
        .record_intake(&phone_intake(Some(OTHER_IMEI), Some("C02XYZ"), 1))
        .expect("two");

    let found = |reference: &str| store.find_device(reference).expect("find").map(|d| d.id);
    assert_eq!(found(IMEI), Some(phone_one.device_id));
    assert_eq!(
        found(&format!("  {OTHER_IMEI} ")),
        Some(phone_two.device_id)
    );
    assert_eq!(found("F17XK2ABCDEF"), Some(phone_one.device_id));
    assert_eq!(
        found(&phone_two.intake_id.to_string()),
        Some(phone_two.device_id)
    );
    assert_eq!(
        found(&phone_one.device_id.to_string()),
        Some(phone_one.device_id)
    );
    assert_eq!(found("000000000000000"), None);
    assert_eq!(found(&uuid::Uuid::now_v7().to_string()), None);
    assert_eq!(found(""), None);
}

#[test]
fn a_serial_shared_by_two_makes_is_ambiguous() {
    let db = TestDb::new();
    let mut store = db.open();
    for (minute, make) in ["Dell", "HP"].into_iter().enumerate() {
        let mut identity = DeviceIdentity::new(DeviceCategory::Desktop, make, "Tower");
        identity.serial = Some("SHARED1".to_owned());
        store
            .record_intake(&intake_of(identity, 2421, minute as i64, "ana"))
            .expect("recorded");
    }
    let error = store.find_device("SHARED1").expect_err("ambiguous");
    assert!(
        matches!(&error, StoreError::AmbiguousReference { count: 2, .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("IMEI"), "{error}");
}

/// Turns a valid intake into an invalid one.
type Spoil = fn(&mut NewIntake);

#[test]
fn invalid_intakes_are_refused_naming_the_field() {
    let db = TestDb::new();
    let mut store = db.open();
    let cases: [(Spoil, &str); 5] = [
        (
            |i: &mut NewIntake| i.tests[1].outcome = "PASS".to_owned(),
            "tests[1].outcome",
        ),
        (|i: &mut NewIntake| i.slot = 0, "slot"),
        (
            |i: &mut NewIntake| i.finished_at = i.started_at - Duration::seconds(1),
            "finished_at",
        ),
        (|i: &mut NewIntake| i.operator = " ".to_owned(), "operator"),
        (
            |i: &mut NewIntake| i.bench.serial = String::new(),
            "bench.serial",
        ),
    ];
    for (spoil, field) in cases {
        let mut intake = phone_intake(Some(IMEI), None, 0);
        spoil(&mut intake);
        let error = store.record_intake(&intake).expect_err(field);
        assert!(
            matches!(&error, StoreError::InvalidIntake { field: f, .. } if f == field),
            "{error:?}"
        );
        assert!(error.to_string().contains(field), "{error}");
    }
    assert!(store
        .list_devices(&DeviceFilter::default())
        .expect("list")
        .is_empty());
}

#[test]
fn recorded_intakes_cannot_be_changed_through_sql() {
    let db = TestDb::new();
    let mut store = db.open();
    store
        .record_intake(&phone_intake(Some(IMEI), None, 0))
        .expect("recorded");
    let raw = db.raw();
    let error = raw
        .execute("UPDATE intakes SET operator = 'mallory'", [])
        .expect_err("intakes are append-only");
    assert!(error.to_string().contains("record a new intake"), "{error}");
    let error = raw
        .execute("UPDATE intakes SET evidence_json = '[]'", [])
        .expect_err("the evidence is part of the intake");
    assert!(error.to_string().contains("record a new intake"), "{error}");
    // The line-by-line view of the evidence is read-only.
    assert!(raw.execute("DELETE FROM intake_evidence", []).is_err());
    assert!(raw.execute("DELETE FROM audit_log", []).is_err());
    let lines: i64 = raw
        .query_row("SELECT COUNT(*) FROM intake_evidence", [], |row| row.get(0))
        .expect("count");
    assert_eq!(lines, 2);
}

#[test]
fn list_devices_filters_on_the_latest_intake_newest_first() {
    let db = TestDb::new();
    let mut store = db.open();

    // Device A: passed, then worn out on re-test by "ben".
    let a = store
        .record_intake(&intake_of(phone(Some(IMEI), Some("SA")), 2421, 0, "ana"))
        .expect("a1");
    store
        .record_intake(&intake_of(phone(Some(IMEI), Some("SA")), 1000, 30, "ben"))
        .expect("a2");
    // Device B: replace-battery verdict, activation locked.
    let mut b_intake = intake_of(phone(Some(OTHER_IMEI), Some("SB")), 2300, 10, "ana");
    b_intake.lock = assess_lock(&LockReading {
        activation: ActivationLock::Locked,
        account: AccountLock::None,
        mdm: MdmState::None,
        carrier: CarrierLock::Unlocked,
    });
    let b = store.record_intake(&b_intake).expect("b");
    // Device C: no identifiers, passed.
    let monitor = DeviceIdentity::new(DeviceCategory::Laptop, "HP", "EliteBook");
    let c = store
        .record_intake(&intake_of(monitor, 2600, 20, "ana"))
        .expect("c");

    let ids = |filter: DeviceFilter| -> Vec<uuid::Uuid> {
        store
            .list_devices(&filter)
            .expect("list")
            .into_iter()
            .map(|row| row.id)
            .collect()
    };

    assert_eq!(
        ids(DeviceFilter::default()),
        [a.device_id, c.device_id, b.device_id]
    );

    let all = store.list_devices(&DeviceFilter::default()).expect("list");
    let row_a = &all[0];
    assert_eq!(row_a.intake_count, 2);
    assert_eq!(row_a.last_operator, "ben");
    assert_eq!(row_a.last_intake_at, at(30));
    assert_eq!(row_a.battery_verdict, BatteryVerdictKind::Consumed);
    assert_eq!(row_a.lock_verdict, LockVerdictKind::Clear);
    assert_eq!(row_a.imei.as_deref(), Some(IMEI));
    assert_eq!(row_a.serial.as_deref(), Some("SA"));
    assert_eq!(row_a.make, "Apple");
    assert_eq!(row_a.model, "iPhone 12");
    assert_eq!(row_a.category, DeviceCategory::Phone);
    let soh = row_a.soh_pct.expect("soh");
    assert!((soh - 1000.0 * 100.0 / 2815.0).abs() < 1e-9, "{soh}");

    assert_eq!(
        ids(DeviceFilter {
            battery_verdict: Some(BatteryVerdictKind::Pass),
            ..DeviceFilter::default()
        }),
        [c.device_id],
        "A passed once but its latest intake did not"
    );
    assert_eq!(
        ids(DeviceFilter {
            battery_verdict: Some(BatteryVerdictKind::Replace),
            ..DeviceFilter::default()
        }),
        [b.device_id]
    );
    assert_eq!(
        ids(DeviceFilter {
            lock_verdict: Some(LockVerdictKind::Blocked),
            ..DeviceFilter::default()
        }),
        [b.device_id]
    );
    assert_eq!(
        ids(DeviceFilter {
            imei: Some(OTHER_IMEI.to_owned()),
            ..DeviceFilter::default()
        }),
        [b.device_id]
    );
    assert_eq!(
        ids(DeviceFilter {
            serial: Some("SA".to_owned()),
            ..DeviceFilter::default()
        }),
        [a.device_id]
    );
    assert_eq!(
        ids(DeviceFilter {
            since: Some(at(15)),
            ..DeviceFilter::default()
        }),
        [a.device_id, c.device_id]
    );
    assert_eq!(
        ids(DeviceFilter {
            operator: Some("ben".to_owned()),
            ..DeviceFilter::default()
        }),
        [a.device_id]
    );
    assert_eq!(
        ids(DeviceFilter {
            operator: Some("ana".to_owned()),
            since: Some(at(15)),
            ..DeviceFilter::default()
        }),
        [c.device_id]
    );
    assert_eq!(
        ids(DeviceFilter {
            limit: Some(1),
            offset: 1,
            ..DeviceFilter::default()
        }),
        [c.device_id]
    );
    assert_eq!(
        ids(DeviceFilter {
            offset: 2,
            ..DeviceFilter::default()
        }),
        [b.device_id]
    );
    assert!(ids(DeviceFilter {
        imei: Some("nope".to_owned()),
        ..DeviceFilter::default()
    })
    .is_empty());
}

#[test]
fn a_cursor_pages_through_the_list_as_offsets_do() {
    let db = TestDb::new();
    let mut store = db.open();
    // Seven devices, two of them re-tested later (so they move up), and two
    // intakes started at the same moment (ordered by id).
    let imeis: Vec<String> = (0..7).map(|n| format!("35000000000000{n}")).collect();
    for (minute, imei) in imeis.iter().enumerate() {
        let minute = if minute == 6 { 5 } else { minute as i64 };
        store
            .record_intake(&intake_of(phone(Some(imei), None), 2421, minute, "ana"))
            .expect("first intake");
    }
    for (minute, imei) in [(10, &imeis[1]), (11, &imeis[4])] {
        store
            .record_intake(&intake_of(phone(Some(imei), None), 1000, minute, "ben"))
            .expect("re-test");
    }
    let all = store.list_devices(&DeviceFilter::default()).expect("list");
    assert_eq!(all.len(), 7);

    for size in [1, 2, 3, 7] {
        let mut paged = Vec::new();
        let mut after = None;
        loop {
            let page = store
                .list_devices(&DeviceFilter {
                    limit: Some(size),
                    after,
                    ..DeviceFilter::default()
                })
                .expect("page");
            let Some(last) = page.last() else { break };
            after = Some(last.cursor());
            paged.extend(page);
        }
        assert_eq!(paged, all, "pages of {size}");
    }

    // With filters, and with an offset after the cursor.
    let by_ana = DeviceFilter {
        operator: Some("ana".to_owned()),
        ..DeviceFilter::default()
    };
    let ana = store.list_devices(&by_ana).expect("list");
    assert_eq!(ana.len(), 5);
    let rest = store
        .list_devices(&DeviceFilter {
            after: Some(ana[1].cursor()),
            offset: 1,
            limit: Some(2),
            ..by_ana.clone()
        })
        .expect("page");
    assert_eq!(rest, ana[3..5]);
    // A cursor past the end gives an empty page, not an error.
    let oldest = all.last().expect("a row").cursor();
    assert!(store
        .list_devices(&DeviceFilter {
            after: Some(oldest),
            ..DeviceFilter::default()
        })
        .expect("page")
        .is_empty());
}

#[test]
fn a_bench_is_registered_once_and_keeps_its_latest_port() {
    let db = TestDb::new();
    let mut store = db.open();
    let mut first = phone_intake(Some(IMEI), None, 0);
    first.bench.port = "/dev/ttyACM0".to_owned();
    let mut second = phone_intake(Some(IMEI), None, 10);
    second.bench.port = "/dev/ttyACM1".to_owned();
    second.bench.fw = "1.5.0".to_owned();
    let one = store.record_intake(&first).expect("first");
    store.record_intake(&second).expect("second");

    let (count, port, fw, last_seen): (i64, String, String, String) = db
        .raw()
        .query_row(
            "SELECT COUNT(*), last_port, fw, last_seen FROM benches",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
        )
        .expect("bench");
    assert_eq!(count, 1);
    assert_eq!(port, "/dev/ttyACM1");
    assert_eq!(fw, "1.5.0");
    assert!(last_seen.starts_with("2025-03-14T09:11:35"), "{last_seen}");
    // Each intake keeps the bench as it was then.
    let old = store.intake(one.intake_id).expect("read").expect("some");
    assert_eq!(old.bench.fw, "1.4.2");
    assert_eq!(old.bench.port, "/dev/ttyACM0");
}
