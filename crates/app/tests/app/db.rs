//! Use-case tests: db.

use refurbdesk_app::db::{self, BackupParams, RestoreParams};
use refurbdesk_app::operators::{self, AddOperatorParams, Role};
use refurbdesk_app::settings::{self, GetSettingParams, SetSettingParams};
use refurbdesk_app::{Door, ErrorCode, Hint, Workstation};

use crate::audit::{backup_copy, edit_file, station_with_history, ADMIN};
use crate::support::TestStation;

fn backup(
    station: &TestStation,
    name: &str,
    force: bool,
) -> refurbdesk_app::Result<db::BackupDone> {
    db::backup(
        &station.paths,
        BackupParams {
            file: station.dir.path().join(name),
            force,
        },
    )
}

fn organisation(station: &TestStation) -> String {
    let ws = Workstation::open_existing(station.paths.clone(), None).unwrap();
    settings::get(
        &ws,
        GetSettingParams {
            key: "organisation.name".into(),
        },
    )
    .unwrap()
    .value
}

#[test]
fn a_backup_is_one_file_and_is_not_written_over_unless_asked() {
    let station = TestStation::new();
    let error = backup(&station, "copy.sqlite", false).unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound, "no database yet");
    assert!(!station.paths.database.exists());

    let station = station_with_history("Atelier Marker 0001");
    let done = backup(&station, "copy.sqlite", false).unwrap();
    assert_eq!(done.database, station.paths.database);
    assert_eq!(
        done.bytes,
        std::fs::metadata(station.dir.path().join("copy.sqlite"))
            .unwrap()
            .len()
    );
    let error = backup(&station, "copy.sqlite", false).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(error.message.contains("already exists"), "{error}");
    backup(&station, "copy.sqlite", true).unwrap();
}

#[test]
fn a_restore_puts_back_the_history_of_the_backup_and_keeps_the_replaced_file() {
    let station = station_with_history("Atelier Marker 0001");
    backup(&station, "copy.sqlite", false).unwrap();
    let mut ws = station.open(Some(ADMIN));
    settings::set(
        &mut ws,
        SetSettingParams {
            key: "organisation.name".into(),
            value: "Renamed".into(),
        },
    )
    .unwrap();
    drop(ws);
    assert_eq!(organisation(&station), "Renamed");

    let done = db::restore(
        &station.paths,
        Some(ADMIN),
        RestoreParams {
            file: station.dir.path().join("copy.sqlite"),
            pin: None,
        },
    )
    .unwrap();
    assert!(done.audit_entries >= 3, "{done:?}");
    assert!(done.replaced_copy.as_ref().is_some_and(|p| p.exists()));
    assert_eq!(organisation(&station), "Atelier Marker 0001");
}

#[test]
fn only_an_admin_restores_and_a_broken_backup_is_refused() {
    let station = station_with_history("Atelier Marker 0001");
    operators::add(
        &mut station.open(Some(ADMIN)),
        AddOperatorParams {
            name: "tim".into(),
            role: Role::Technician,
        },
    )
    .unwrap();
    backup(&station, "copy.sqlite", false).unwrap();
    let params = || RestoreParams {
        file: station.dir.path().join("copy.sqlite"),
        pin: None,
    };
    let error = db::restore(&station.paths, Some("tim"), params()).unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    assert!(error.message.contains("only an admin may"), "{error}");
    assert_eq!(
        error.hint,
        Some(Hint::ActAs {
            role: "an admin".into()
        })
    );
    assert!(error
        .tell(Door::Terminal)
        .ends_with("pass --operator NAME of an admin"));

    let error = db::restore(
        &station.paths,
        Some(ADMIN),
        RestoreParams {
            file: station.dir.path().join("absent.sqlite"),
            pin: None,
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);

    // A backup whose history was edited is a failed check, and the live file stays as it was.
    edit_file(
        &station.dir.path().join("copy.sqlite"),
        "setting.changed",
        "setting.chenged",
    );
    let before = std::fs::read(&station.paths.database).unwrap();
    let error = db::restore(&station.paths, Some(ADMIN), params()).unwrap_err();
    assert_eq!(error.code, ErrorCode::CheckFailed);
    assert!(error.message.contains("does not verify"), "{error}");
    assert_eq!(std::fs::read(&station.paths.database).unwrap(), before);
}

#[test]
fn check_passes_a_sound_file_and_fails_one_edited_behind_the_store() {
    let station = station_with_history("Atelier Marker 0001");
    let checked =
        db::check(&Workstation::open_existing(station.paths.clone(), None).unwrap()).unwrap();
    assert!(checked.ok, "{:?}", checked.report);
    assert!(checked.failure().is_none());

    let copy = backup_copy(&station, "copy.sqlite");
    edit_file(&copy.database, "+33 1 23 45 67 89", "+33 1 23 45 67 80");
    let checked = db::check(&Workstation::open_existing(copy, None).unwrap()).unwrap();
    assert!(!checked.ok);
    let error = checked.failure().expect("a problem");
    assert_eq!(error.code, ErrorCode::CheckFailed);
    assert_eq!(error.hint, Some(Hint::RestoreBackup));
}
