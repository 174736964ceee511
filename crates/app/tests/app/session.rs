//! Use-case tests: PINs, logging in, the lock-out, and recording only with the PIN.

use refurbdesk_app::operators::{self, AddOperatorParams, Role};
use refurbdesk_app::session::{
    self, FirstAdminParams, LoginParams, Screen, Session, SetPinParams, IDLE_LOCK_SETTING,
};
use refurbdesk_app::settings::{self, SetSettingParams};
use refurbdesk_app::{ErrorCode, Hint, Workstation};

use crate::support::TestStation;

/// A station with an admin "boss" (PIN 2468) and a technician "ana" (no PIN).
fn station_with_boss() -> TestStation {
    let station = TestStation::new();
    let mut ws = station.open(None);
    operators::add(&mut ws, add("boss", Role::Admin)).unwrap();
    let mut ws = station.open(Some("boss"));
    operators::add(&mut ws, add("ana", Role::Technician)).unwrap();
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

fn login(
    ws: &mut Workstation,
    name: &str,
    pin: &str,
) -> refurbdesk_app::Result<session::SessionInfo> {
    session::login(
        ws,
        LoginParams {
            name: name.into(),
            pin: Some(pin.into()),
            lang: None,
        },
    )
}

fn set_idle(ws: &mut Workstation, value: &str) -> refurbdesk_app::Result<()> {
    settings::set(
        ws,
        SetSettingParams {
            key: IDLE_LOCK_SETTING.into(),
            value: value.into(),
        },
    )
    .map(|_| ())
}

fn audit_actions(ws: &Workstation) -> Vec<String> {
    ws.store
        .audit_entries(0, 1000)
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect()
}

#[test]
fn a_station_without_pins_opens_as_the_bootstrap_admin_and_invites_a_first_admin() {
    let station = TestStation::new();
    let ws = station.open(None);
    let status = session::status(&ws).unwrap();
    assert!(!status.any_pin);
    assert!(status.invite_first_admin);
    assert_eq!(status.idle_lock_minutes, 15);
    let open_as = status.open_as.expect("opens without a PIN");
    assert!(open_as.bootstrap);
    assert_eq!(open_as.role, Role::Admin);
    assert_eq!(open_as.operator, refurbdesk_app::os_user());
    assert!(open_as.screens.contains(&Screen::Settings));

    // The window's invitation: the first admin, with a PIN, logged in.
    let mut ws = station.open(None);
    let first = session::create_first_admin(
        &mut ws,
        FirstAdminParams {
            name: "boss".into(),
            pin: "2468".into(),
            repeat: "2468".into(),
        },
    )
    .unwrap();
    assert_eq!(first.operator, "boss");
    assert!(first.has_pin);
    assert!(!first.bootstrap);
    let status = session::status(&station.open(None)).unwrap();
    assert!(status.any_pin);
    assert!(
        status.open_as.is_none(),
        "the window opens on the log-in screen"
    );
    assert!(!status.invite_first_admin);
    // Only once.
    let error = session::create_first_admin(
        &mut station.open(None),
        FirstAdminParams {
            name: "other".into(),
            pin: "1357".into(),
            repeat: "1357".into(),
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
}

#[test]
fn an_operator_with_a_pin_records_nothing_until_it_is_given() {
    let station = station_with_boss();
    let mut ws = station.open(Some("boss"));
    assert_eq!(session::pin_needed(&ws).unwrap(), Some("boss".into()));
    let error = set_idle(&mut ws, "20").unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(error.message.contains("has a PIN"), "{error}");
    assert_eq!(
        error.hint,
        Some(Hint::GivePin {
            operator: "boss".into()
        })
    );
    assert_eq!(ws.store.setting(IDLE_LOCK_SETTING).unwrap(), None);

    let info = login(&mut ws, "BOSS", "2468").unwrap();
    assert_eq!(info.operator, "boss", "the name as registered");
    assert_eq!(info.role, Role::Admin);
    assert!(info.has_pin);
    assert_eq!(session::pin_needed(&ws).unwrap(), None);
    set_idle(&mut ws, "20").unwrap();
    assert_eq!(session::idle_lock_minutes(&ws).unwrap(), 20);
    assert_eq!(session::status(&ws).unwrap().idle_lock_minutes, 20);

    // An operator without a PIN still acts by name, as before.
    let mut ana = station.open(Some("ana"));
    assert_eq!(session::pin_needed(&ana).unwrap(), None);
    let info = session::login(
        &mut ana,
        LoginParams {
            name: "ana".into(),
            pin: None,
            lang: None,
        },
    )
    .unwrap();
    assert!(!info.has_pin);
    assert_eq!(
        info.screens,
        vec![Screen::Station, Screen::Device, Screen::Batches]
    );
}

#[test]
fn the_idle_lock_time_is_checked_as_a_setting() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    for bad in ["0", "481", "ten", "-5", "1.5"] {
        let error = set_idle(&mut ws, bad).unwrap_err();
        assert_eq!(error.code, ErrorCode::Usage, "{bad}");
        assert!(error.message.contains("1 to 480"), "{error}");
    }
    set_idle(&mut ws, "480").unwrap();
    assert_eq!(session::idle_lock_minutes(&ws).unwrap(), 480);
}

#[test]
fn a_wrong_pin_is_refused_and_recorded_and_five_in_a_row_lock_the_operator() {
    let station = station_with_boss();
    let mut ws = station.open(Some("boss"));
    for attempt in 1..=4 {
        let error = login(&mut ws, "boss", "0000").unwrap_err();
        assert_eq!(error.code, ErrorCode::Refused);
        assert!(
            error.message.contains(&format!("{attempt} of 5 wrong")),
            "{error}"
        );
    }
    // A right PIN starts the count afresh.
    login(&mut ws, "boss", "2468").unwrap();
    let mut ws = station.open(Some("boss"));
    for _ in 1..=4 {
        login(&mut ws, "boss", "1111").unwrap_err();
    }
    let fifth = login(&mut ws, "boss", "1111").unwrap_err();
    assert!(
        fifth.message.contains("locked for 15 minutes, until"),
        "{fifth}"
    );
    assert!(fifth.details.unwrap()["locked_until"].is_string());
    // Now even the right PIN is refused, and the error says for how long.
    let locked = login(&mut ws, "boss", "2468").unwrap_err();
    assert_eq!(locked.code, ErrorCode::Refused);
    assert!(locked.message.contains("locked for 15 minutes"), "{locked}");
    assert!(ws.verified_operator().is_none());

    let actions = audit_actions(&ws);
    let count = |action: &str| actions.iter().filter(|a| *a == action).count();
    assert_eq!(count("session.pin_refused"), 9);
    assert_eq!(count("session.pin_accepted"), 1);
    assert_eq!(count("session.locked_out"), 1);
    assert_eq!(count("operator.pin_set"), 1);
    assert!(
        ws.store.check().unwrap().is_ok(),
        "every attempt is audited"
    );
}

#[test]
fn operators_set_their_own_pin_and_an_admin_sets_anyones() {
    let station = station_with_boss();
    {
        let mut boss = station.open(Some("boss"));
        login(&mut boss, "boss", "2468").unwrap();
        operators::add(&mut boss, add("ben", Role::Technician)).unwrap();
    }
    // Ana sets her own PIN by name (she has none yet); she may not set Ben's.
    let mut ana = station.open(Some("ana"));
    let set = session::set_pin(&mut ana, pin("ana", "1357")).unwrap();
    assert!(!set.changed);
    assert_eq!(set.set_by, "ana");
    let error = session::set_pin(&mut ana, pin("ben", "9999")).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(error.message.contains("may not set the PIN"), "{error}");

    // Changing it needs the old one.
    let mut ana = station.open(Some("ana"));
    let error = session::set_pin(&mut ana, pin("ana", "8642")).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    login(&mut ana, "ana", "1357").unwrap();
    assert!(
        session::set_pin(&mut ana, pin("ana", "8642"))
            .unwrap()
            .changed
    );
    login(&mut station.open(Some("ana")), "ana", "8642").unwrap();

    // Short or mistyped PINs are refused, saying what is allowed.
    let mut boss = station.open(Some("boss"));
    login(&mut boss, "boss", "2468").unwrap();
    let error = session::set_pin(&mut boss, pin("ben", "123")).unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(error.message.contains("4 to 64 characters"), "{error}");
    let error = session::set_pin(
        &mut boss,
        SetPinParams {
            name: "ben".into(),
            pin: "12345".into(),
            repeat: "12346".into(),
        },
    )
    .unwrap_err();
    assert!(error.message.contains("differ"), "{error}");
    let error = session::set_pin(&mut boss, pin("nobody", "12345")).unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    // The admin sets Ben's.
    let set = session::set_pin(&mut boss, pin("ben", "12345")).unwrap();
    assert_eq!(set.set_by, "boss");
    login(&mut station.open(Some("ben")), "ben", "12345").unwrap();

    // The hash is Argon2id, never the PIN itself.
    let hash: String = stored_hash(&station, "ben");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains("12345"));
}

/// The stored hash of an operator's PIN, read through the store.
fn stored_hash(station: &TestStation, name: &str) -> String {
    let ws = station.open(None);
    let (_, pin) = ws.store.operator_with_pin(name).unwrap().unwrap();
    pin.unwrap().pin_hash
}

#[test]
fn a_window_session_acts_as_its_operator_until_it_is_idle_too_long() {
    let station = station_with_boss();
    let mut ws = station.open(None);
    login(&mut ws, "boss", "2468").unwrap();
    let mut session = Session::of(&ws).expect("a session after logging in");
    assert_eq!(session.operator(), "boss");
    let mut call = session.open(station.paths.clone()).unwrap();
    set_idle(&mut call, "5").unwrap();
    let now = chrono::Utc::now();
    session
        .touch(now + chrono::Duration::minutes(4), 5)
        .unwrap();
    let error = session
        .touch(now + chrono::Duration::minutes(10), 5)
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(error.message.contains("5 minutes"), "{error}");
}

#[test]
fn an_unknown_or_disabled_operator_cannot_log_in() {
    let station = station_with_boss();
    let mut ws = station.open(None);
    let error = login(&mut ws, "nobody", "1234").unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    let mut boss = station.open(Some("boss"));
    login(&mut boss, "boss", "2468").unwrap();
    operators::disable(
        &mut boss,
        operators::OperatorNameParams { name: "ana".into() },
    )
    .unwrap();
    let error = session::login(
        &mut ws,
        LoginParams {
            name: "ana".into(),
            pin: None,
            lang: None,
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(error.message.contains("disabled"), "{error}");
}

#[test]
fn restoring_the_database_needs_the_admins_pin() {
    use refurbdesk_app::db::{self, BackupParams, RestoreParams};
    let station = station_with_boss();
    let file = station.dir.path().join("copy.sqlite");
    db::backup(
        &station.paths,
        BackupParams {
            file: file.clone(),
            force: false,
        },
    )
    .unwrap();
    let params = |pin: Option<&str>| RestoreParams {
        file: file.clone(),
        pin: pin.map(str::to_owned),
    };
    let error = db::restore(&station.paths, Some("boss"), params(None)).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert_eq!(
        error.hint,
        Some(Hint::GivePin {
            operator: "boss".into()
        })
    );
    let error = db::restore(&station.paths, Some("boss"), params(Some("0000"))).unwrap_err();
    assert!(error.message.contains("wrong PIN"), "{error}");
    db::restore(&station.paths, Some("boss"), params(Some("2468"))).unwrap();
}

#[test]
fn the_login_screen_tells_its_refusals_in_the_windows_language() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    session::create_first_admin(
        &mut ws,
        FirstAdminParams {
            name: "boss".into(),
            pin: "2468".into(),
            repeat: "2468".into(),
        },
    )
    .unwrap();
    let french = |name: &str, pin: &str| {
        session::login(
            &mut station.open(None),
            LoginParams {
                name: name.into(),
                pin: Some(pin.into()),
                lang: Some(refurbdesk_domain::Lang::Fr),
            },
        )
        .unwrap_err()
    };
    let error = french("nobody", "1234");
    assert_eq!(error.message, "aucun opérateur ne s'appelle \"nobody\"");
    let error = french("boss", "0000");
    assert_eq!(error.code, refurbdesk_app::ErrorCode::Refused);
    assert!(
        error
            .message
            .starts_with("code PIN erroné pour \"boss\" (1 sur "),
        "{}",
        error.message
    );
    // In English when no language is given, as before.
    let error = login(&mut station.open(None), "boss", "0000").unwrap_err();
    assert!(
        error.message.starts_with("wrong PIN for \"boss\" (2 of "),
        "{}",
        error.message
    );
}
