//! Use-case tests: operators.

use refurbdesk_app::operators::{self, AddOperatorParams, OperatorNameParams, Role};
use refurbdesk_app::{Door, ErrorCode, Hint, Workstation};

use crate::support::TestStation;

fn add(ws: &mut Workstation, name: &str, role: Role) -> refurbdesk_app::Result<()> {
    operators::add(
        ws,
        AddOperatorParams {
            name: name.into(),
            role,
        },
    )
    .map(|_| ())
}

fn named(name: &str) -> OperatorNameParams {
    OperatorNameParams { name: name.into() }
}

#[test]
fn the_first_operator_is_an_admin_added_by_the_os_user() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    assert!(operators::list(&ws).unwrap().is_empty());
    let error = add(&mut ws, "ana", Role::Technician).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(
        error
            .message
            .contains("the first operator must be an admin"),
        "{error}"
    );

    let added = operators::add(
        &mut ws,
        AddOperatorParams {
            name: "boss".into(),
            role: Role::Admin,
        },
    )
    .unwrap();
    assert_eq!(added.bootstrap_admin, Some(refurbdesk_app::os_user()));
    assert_eq!(added.operator.name, "boss");
    assert_eq!(added.operator.role, Role::Admin);
    assert!(!added.operator.disabled);

    // From now on an operator must be named, and one who is not registered is told how to be.
    let mut nobody = station.open(Some("nobody"));
    let error = add(&mut nobody, "ana", Role::Technician).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert_eq!(
        error.hint,
        Some(Hint::RegisterOperator {
            name: Some("nobody".into())
        })
    );
    assert!(
        error
            .tell(Door::Terminal)
            .contains("`refurbdesk operator add nobody --role ROLE`"),
        "{}",
        error.tell(Door::Terminal)
    );
    assert!(!error.for_window().hint.unwrap().contains("refurbdesk"));

    let mut boss = station.open(Some("boss"));
    let added = operators::add(
        &mut boss,
        AddOperatorParams {
            name: "ana".into(),
            role: Role::Technician,
        },
    )
    .unwrap();
    assert_eq!(added.bootstrap_admin, None);
    let names: Vec<String> = operators::list(&boss)
        .unwrap()
        .into_iter()
        .map(|o| o.name)
        .collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"ana".to_owned()) && names.contains(&"boss".to_owned()));
}

#[test]
fn refusals_about_the_operator_changed_have_their_own_codes() {
    let station = TestStation::new();
    add(&mut station.open(None), "boss", Role::Admin).unwrap();
    let mut boss = station.open(Some("boss"));
    add(&mut boss, "ana", Role::Technician).unwrap();

    let error = add(&mut boss, "ANA", Role::Auditor).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(error.message.contains("already exists"), "{error}");
    let error = add(&mut boss, "  ", Role::Auditor).unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    let error = operators::disable(&mut boss, named("zed")).unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(
        error.message.contains("\"zed\" is not registered"),
        "{error}"
    );
    let error = operators::disable(&mut boss, named("boss")).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(error.message.contains("last enabled admin"), "{error}");

    let mut ana = station.open(Some("ana"));
    let error = add(&mut ana, "eve", Role::Admin).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(
        error.message.contains("may not manage operators"),
        "{error}"
    );
}

#[test]
fn a_disabled_operator_cannot_act_until_enabled_again() {
    let station = TestStation::new();
    add(&mut station.open(None), "boss", Role::Admin).unwrap();
    let mut boss = station.open(Some("boss"));
    add(&mut boss, "ana", Role::QualityManager).unwrap();

    let disabled = operators::disable(&mut boss, named("Ana")).unwrap();
    assert!(disabled.disabled);
    assert_eq!(disabled.role, Role::QualityManager);
    let mut ana = station.open(Some("ana"));
    let error = operators::enable(&mut ana, named("ana")).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(error.message.contains("\"ana\" is disabled"), "{error}");
    assert!(!error.message.contains("refurbdesk"), "{error}");

    let enabled = operators::enable(&mut boss, named("ana")).unwrap();
    assert!(!enabled.disabled);
    // Ana acts again: she is refused for her role now, not for being disabled.
    let error = add(&mut station.open(Some("ana")), "x", Role::Auditor).unwrap_err();
    assert!(
        error.message.contains("may not manage operators"),
        "{error}"
    );
    let listed = operators::list(&boss).unwrap();
    assert!(listed.iter().all(|o| !o.disabled));
}
