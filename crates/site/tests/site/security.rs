use refurbdesk_site::{Site, SiteError};

use crate::support::{raw, site, Station};

/// The site's URL as the station role logs in with it.
fn as_role(url: &str, role: &str, password: &str) -> String {
    url.replacen("postgres@", &format!("{role}:{password}@"), 1)
}

/// A role name no other test (nor another test binary on the server) uses.
fn unique(name: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{name}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

#[test]
fn a_station_role_writes_its_own_rows_and_is_refused_anothers() {
    let (url, mut admin) = site();
    let one_role = admin.add_station(&unique("bench-one")).expect("role one");
    let two_role = admin.add_station(&unique("bench-two")).expect("role two");
    let mut one = Station::new();
    let mut two = Station::new();
    one.intakes(1, 3);
    two.intakes(10, 3);
    let one_url = as_role(&url, &one_role.role, &one_role.password);
    let two_url = as_role(&url, &two_role.role, &two_role.password);
    one.push(&mut Site::connect(&one_url).expect("one connects"));
    two.push(&mut Site::connect(&two_url).expect("two connects"));
    assert!(admin.check().expect("check").ok());

    // Station two pushing with station one's role: refused by the server.
    let mut wrong = Site::connect(&one_url).expect("connects");
    let refused = wrong.push(&two.store, Default::default(), &mut |_| true);
    assert!(
        matches!(&refused, Err(SiteError::Database { message, .. }) if message.contains("may not write")),
        "{refused:?}"
    );

    let mut client = raw(&one_url);
    let other = two.store.station_id();
    let own = one.store.station_id();
    // Another station's rows are not even visible, so not changed.
    let changed = client
        .execute(
            "UPDATE records SET record = '{}' WHERE station_id = $1",
            &[&other],
        )
        .expect("runs");
    assert_eq!(changed, 0);
    let seen: i64 = client
        .query_one("SELECT count(*) FROM audit_log", &[])
        .expect("count")
        .get(0);
    assert_eq!(seen, one.store.audit_head().expect("head"));
    // Inserting in another station's name is refused.
    let forged = client.execute(
        "INSERT INTO records (station_id, entity, entity_id, seq, record)
         VALUES ($1, 'device', 'forged', 1, '{}')",
        &[&other],
    );
    assert!(forged.is_err(), "{forged:?}");
    // No audit entry is updated or deleted, not even the station's own.
    for statement in [
        "UPDATE audit_log SET operator = 'mallory' WHERE station_id = $1",
        "DELETE FROM audit_log WHERE station_id = $1",
        "DELETE FROM records WHERE station_id = $1",
    ] {
        let refused = client.execute(statement, &[&own]);
        let code = refused
            .as_ref()
            .err()
            .and_then(|error| error.code())
            .cloned();
        assert_eq!(
            code,
            Some(postgres::error::SqlState::INSUFFICIENT_PRIVILEGE),
            "{statement}: {refused:?}"
        );
    }
    assert!(admin.check().expect("check").ok());
}

#[test]
fn a_removed_station_can_no_longer_log_in_and_its_rows_stay() {
    let (url, mut admin) = site();
    let name = unique("bench-gone");
    let role = admin.add_station(&name).expect("role");
    let mut station = Station::new();
    station.intakes(1, 2);
    let role_url = as_role(&url, &role.role, &role.password);
    station.push(&mut Site::connect(&role_url).expect("connects"));
    assert_eq!(admin.remove_station(&name).expect("removed"), role.role);
    assert!(Site::connect(&role_url).is_err(), "the role may not log in");
    assert_eq!(
        admin.mark(station.store.station_id()).expect("mark"),
        station.store.audit_head().expect("head")
    );
    assert!(matches!(
        admin.remove_station(&name),
        Err(SiteError::UnknownStation { .. })
    ));
    assert!(matches!(
        admin.add_station("no spaces"),
        Err(SiteError::StationName { .. })
    ));
}
