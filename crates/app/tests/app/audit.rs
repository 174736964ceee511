//! Use-case tests: audit.

use refurbdesk_app::audit;
use refurbdesk_app::settings::{self, SetSettingParams};
use refurbdesk_app::{DataPaths, Door, ErrorCode, Hint, Workstation};

use crate::support::TestStation;

/// The admin of [`station_with_history`]; the name is in every audit entry it made.
pub const ADMIN: &str = "auditmark";

/// A station with an admin, [`ADMIN`], who set a few settings, one of them to `marker`.
pub fn station_with_history(marker: &str) -> TestStation {
    let station = TestStation::new();
    refurbdesk_app::operators::add(
        &mut station.open(None),
        refurbdesk_app::operators::AddOperatorParams {
            name: ADMIN.into(),
            role: refurbdesk_app::operators::Role::Admin,
        },
    )
    .unwrap();
    let mut ws = station.open(Some(ADMIN));
    for (key, value) in [
        ("organisation.name", marker),
        ("organisation.phone", "+33 1 23 45 67 89"),
        ("sale.warranty_months", "12"),
    ] {
        settings::set(
            &mut ws,
            SetSettingParams {
                key: key.into(),
                value: value.into(),
            },
        )
        .unwrap();
    }
    station
}

/// A backup of the station's database: one self-contained file, with no write-ahead log beside
/// it, and the paths of a station that uses it.
pub fn backup_copy(station: &TestStation, name: &str) -> DataPaths {
    let file = station.dir.path().join(name);
    refurbdesk_app::db::backup(
        &station.paths,
        refurbdesk_app::db::BackupParams {
            file: file.clone(),
            force: false,
        },
    )
    .unwrap();
    DataPaths::under(station.dir.path().join("data"), Some(&file))
}

/// Changes every copy of `from` in a database file with no write-ahead log to `to` (same
/// length), behind the store's back, as someone editing the file would.
pub fn edit_file(path: &std::path::Path, from: &str, to: &str) {
    assert_eq!(from.len(), to.len());
    let mut bytes = std::fs::read(path).unwrap();
    let mut found = 0;
    let mut at = 0;
    while let Some(pos) = bytes[at..]
        .windows(from.len())
        .position(|w| w == from.as_bytes())
    {
        let start = at + pos;
        bytes[start..start + from.len()].copy_from_slice(to.as_bytes());
        found += 1;
        at = start + from.len();
    }
    assert!(found > 0, "{from:?} is in the file");
    std::fs::write(path, bytes).unwrap();
}

fn open_existing(station: &TestStation) -> Workstation {
    Workstation::open_existing(station.paths.clone(), None).unwrap()
}

#[test]
fn an_intact_chain_verifies_with_its_entry_count() {
    let station = station_with_history("Atelier Marker 0001");
    let verified = audit::verify(&open_existing(&station)).unwrap();
    assert!(verified.ok);
    assert!(verified.failure().is_none());
    assert_eq!(verified.database, station.paths.database);
    assert!(
        verified
            .report
            .to_string()
            .starts_with("audit log intact: "),
        "{}",
        verified.report
    );
}

#[test]
fn an_edited_entry_breaks_the_chain_and_the_failure_says_to_go_back_to_a_backup() {
    let station = station_with_history("Atelier Marker 0001");
    let copy = backup_copy(&station, "copy.sqlite");
    // Only the audit entries name their action.
    edit_file(&copy.database, "setting.changed", "setting.chenged");
    let verified = audit::verify(&Workstation::open_existing(copy, None).unwrap()).unwrap();
    assert!(!verified.ok);
    let error = verified.failure().expect("the chain is broken");
    assert_eq!(error.code, ErrorCode::CheckFailed);
    assert!(error.message.contains("does not verify"), "{error}");
    assert_eq!(error.hint, Some(Hint::RestoreBackup));
    assert!(error
        .tell(Door::Terminal)
        .contains("refurbdesk db restore FILE"));
}

#[test]
fn a_missing_database_is_not_found_and_not_created() {
    let station = TestStation::new();
    let error = Workstation::open_existing(station.paths.clone(), None)
        .err()
        .expect("no database");
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(!station.paths.database.exists());
}
