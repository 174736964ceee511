use crate::common::{phone_intake, TestDb, IMEI};
use refurbdesk_store::{Action, Actor, Role, Store, StoreError};

/// A store whose first admin is "root", plus that admin's actor.
fn store_with_admin(db: &TestDb) -> (Store, Actor) {
    let mut store = db.open();
    let bootstrap = store.resolve_actor(None, "root").expect("bootstrap actor");
    store
        .add_operator("root", Role::Admin, &bootstrap)
        .expect("first admin");
    let admin = store.resolve_actor(Some("root"), "whoever").expect("admin");
    (store, admin)
}

#[test]
fn with_no_operators_everyone_is_a_local_admin_named_after_the_os_user() {
    let db = TestDb::new();
    let store = db.open();
    let actor = store.resolve_actor(None, "maria").expect("bootstrap");
    assert_eq!(
        actor,
        Actor {
            name: "maria".to_owned(),
            role: Role::Admin,
            bootstrap: true,
        }
    );
    let asked = store
        .resolve_actor(Some("someone-else"), "maria")
        .expect("bootstrap ignores the request");
    assert_eq!(asked.name, "maria");
    assert!(matches!(
        store.resolve_actor(None, "  "),
        Err(StoreError::NoOperatorName)
    ));
}

#[test]
fn a_new_station_can_record_intakes_at_once() {
    let db = TestDb::new();
    let mut store = db.open();
    store
        .record_intake(&phone_intake(Some(IMEI), None, 0))
        .expect("bootstrap may intake");
}

#[test]
fn the_first_operator_must_be_an_admin() {
    let db = TestDb::new();
    let mut store = db.open();
    let bootstrap = store.resolve_actor(None, "maria").expect("bootstrap");
    let error = store
        .add_operator("ana", Role::Technician, &bootstrap)
        .expect_err("a technician first would lock everyone out");
    assert!(
        matches!(error, StoreError::FirstOperatorMustBeAdmin { .. }),
        "{error:?}"
    );
    assert!(store.list_operators().expect("list").is_empty());
}

#[test]
fn once_operators_exist_unknown_and_disabled_ones_are_refused() {
    let db = TestDb::new();
    let (mut store, admin) = store_with_admin(&db);
    store
        .add_operator("ana", Role::Technician, &admin)
        .expect("ana added");

    let error = store
        .resolve_actor(None, "maria")
        .expect_err("unknown OS user");
    assert!(matches!(&error, StoreError::UnknownOperator { name } if name == "maria"));
    let message = error.to_string();
    assert!(message.contains("\"maria\""), "{message}");
    // What to do next is the application's hint, told by each front end in its own terms.
    assert!(message.contains("is not registered"), "{message}");
    assert!(!message.contains("refurbdesk"), "{message}");

    let error = store
        .resolve_actor(Some("nobody"), "root")
        .expect_err("unknown");
    assert!(error.to_string().contains("nobody"), "{error}");

    let ana = store
        .resolve_actor(Some("ANA"), "root")
        .expect("case-insensitive");
    assert_eq!(ana.name, "ana");
    assert_eq!(ana.role, Role::Technician);
    assert!(!ana.bootstrap);

    store.disable_operator("ana", &admin).expect("disabled");
    let error = store
        .resolve_actor(Some("ana"), "root")
        .expect_err("disabled");
    assert!(matches!(&error, StoreError::DisabledOperator { name } if name == "ana"));
    assert!(error.to_string().contains("disabled"), "{error}");

    // A disabled operator's earlier actor no longer works either: the store
    // checks the name again on every write.
    let error = store
        .record_intake(&phone_intake(Some(IMEI), None, 0))
        .expect_err("ana is disabled");
    assert!(
        matches!(error, StoreError::DisabledOperator { .. }),
        "{error:?}"
    );

    store.enable_operator("ana", &admin).expect("enabled");
    store
        .record_intake(&phone_intake(Some(IMEI), None, 0))
        .expect("ana may intake again");
}

#[test]
fn a_technician_may_intake_and_an_auditor_may_not() {
    let db = TestDb::new();
    let (mut store, admin) = store_with_admin(&db);
    store
        .add_operator("ana", Role::Technician, &admin)
        .expect("ana");
    store
        .add_operator("otto", Role::Auditor, &admin)
        .expect("otto");
    store
        .add_operator("quinn", Role::QualityManager, &admin)
        .expect("quinn");

    store
        .record_intake(&phone_intake(Some(IMEI), None, 0))
        .expect("technician intake");
    let mut by_quinn = phone_intake(Some(IMEI), None, 1);
    by_quinn.operator = "quinn".to_owned();
    store
        .record_intake(&by_quinn)
        .expect("quality manager intake");

    let mut by_otto = phone_intake(Some(IMEI), None, 2);
    by_otto.operator = "otto".to_owned();
    let error = store.record_intake(&by_otto).expect_err("auditor intake");
    match &error {
        StoreError::NotAllowed {
            operator,
            role,
            action,
        } => {
            assert_eq!(operator, "otto");
            assert_eq!(*role, Role::Auditor);
            assert_eq!(*action, Action::Intake);
        }
        other => panic!("expected NotAllowed, got {other:?}"),
    }
    let message = error.to_string();
    assert!(
        message.contains("operator \"otto\" is an auditor and may not record intakes"),
        "{message}"
    );
    assert!(
        message.contains("a technician, a quality_manager or an admin may"),
        "{message}"
    );

    let mut by_stranger = phone_intake(Some(IMEI), None, 3);
    by_stranger.operator = "stranger".to_owned();
    assert!(matches!(
        store.record_intake(&by_stranger),
        Err(StoreError::UnknownOperator { .. })
    ));
    let intakes: i64 = db
        .raw()
        .query_row("SELECT COUNT(*) FROM intakes", [], |row| row.get(0))
        .expect("count");
    assert_eq!(intakes, 2);
}

#[test]
fn only_admins_manage_operators_and_a_forged_role_does_not_help() {
    let db = TestDb::new();
    let (mut store, admin) = store_with_admin(&db);
    store
        .add_operator("ana", Role::Technician, &admin)
        .expect("ana");
    let ana = store.resolve_actor(Some("ana"), "x").expect("ana");
    let error = store
        .add_operator("eve", Role::Admin, &ana)
        .expect_err("technicians cannot add operators");
    assert!(matches!(
        error,
        StoreError::NotAllowed {
            action: Action::ManageOperators,
            ..
        }
    ));
    assert!(error.to_string().contains("an admin may"), "{error}");

    let forged = Actor {
        name: "ana".to_owned(),
        role: Role::Admin,
        bootstrap: false,
    };
    assert!(matches!(
        store.disable_operator("root", &forged),
        Err(StoreError::NotAllowed { .. })
    ));

    // The bootstrap identity ends once operators exist.
    let stale_bootstrap = Actor {
        name: "maria".to_owned(),
        role: Role::Admin,
        bootstrap: true,
    };
    assert!(matches!(
        store.add_operator("eve", Role::Admin, &stale_bootstrap),
        Err(StoreError::UnknownOperator { .. })
    ));
}

#[test]
fn operator_names_are_unique_and_sane() {
    let db = TestDb::new();
    let (mut store, admin) = store_with_admin(&db);
    store
        .add_operator("Ana", Role::Technician, &admin)
        .expect("Ana");
    assert!(matches!(
        store.add_operator("ana", Role::Auditor, &admin),
        Err(StoreError::OperatorExists { .. })
    ));
    for bad in ["", "  ", " ana2", "line\nbreak", &"x".repeat(65)] {
        assert!(
            matches!(
                store.add_operator(bad, Role::Technician, &admin),
                Err(StoreError::InvalidOperatorName { .. })
            ),
            "{bad:?}"
        );
    }
    store
        .add_operator("Zoë Ørsted", Role::Auditor, &admin)
        .expect("non-ASCII names are fine");

    let listed: Vec<(String, Role, bool)> = store
        .list_operators()
        .expect("list")
        .into_iter()
        .map(|op| (op.name, op.role, op.disabled))
        .collect();
    assert_eq!(
        listed,
        [
            ("Ana".to_owned(), Role::Technician, false),
            ("root".to_owned(), Role::Admin, false),
            ("Zoë Ørsted".to_owned(), Role::Auditor, false),
        ]
    );
    let operators = store.list_operators().expect("list");
    assert!(operators
        .iter()
        .all(|op| op.station_id == store.station_id() && op.id.get_version_num() == 7));
}

#[test]
fn the_last_enabled_admin_cannot_be_disabled() {
    let db = TestDb::new();
    let (mut store, admin) = store_with_admin(&db);
    let error = store
        .disable_operator("root", &admin)
        .expect_err("last admin");
    assert!(matches!(error, StoreError::LastAdmin { .. }), "{error:?}");

    store
        .add_operator("second", Role::Admin, &admin)
        .expect("second admin");
    let disabled = store.disable_operator("root", &admin).expect("now allowed");
    assert!(disabled.disabled);
    // root just disabled itself, so it can no longer act.
    assert!(matches!(
        store.enable_operator("root", &admin),
        Err(StoreError::DisabledOperator { .. })
    ));
    assert!(matches!(
        store.disable_operator(
            "nobody",
            &store.resolve_actor(Some("second"), "x").expect("second")
        ),
        Err(StoreError::UnknownOperator { .. })
    ));
}

#[test]
fn operator_changes_are_audited_under_the_acting_name() {
    let db = TestDb::new();
    let (mut store, admin) = store_with_admin(&db);
    store
        .add_operator("ana", Role::Technician, &admin)
        .expect("ana");
    store.disable_operator("ana", &admin).expect("disable");
    // Disabling again is a no-op and writes nothing.
    store
        .disable_operator("ana", &admin)
        .expect("disable again");

    let entries = store.audit_entries(0, 100).expect("entries");
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .map(|entry| (entry.operator.as_str(), entry.action.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("system", "station.created"),
            ("root", "operator.added"),
            ("root", "operator.added"),
            ("root", "operator.disabled"),
        ]
    );
    let disabled = &entries[3];
    assert!(disabled.before_digest.is_some());
    assert_ne!(disabled.before_digest, disabled.after_digest);
    assert!(entries[1].before_digest.is_none());
    assert!(store.check().expect("check").is_ok());
}
