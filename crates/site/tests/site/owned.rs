use chrono::TimeZone;
use refurbdesk_site::Site;
use refurbdesk_store::{Role, SigningKeyRecord};

use crate::support::{site, Station};

fn as_role(url: &str, role: &str, password: &str) -> String {
    url.replacen("postgres@", &format!("{role}:{password}@"), 1)
}

#[test]
fn operators_settings_and_every_stations_keys_come_down_to_an_attached_station() {
    let (url, mut admin) = site();
    let name = format!("down-{}", std::process::id());
    let role = admin.add_station(&name).expect("role");
    let mut one = Station::new();
    let mut two = Station::new();
    let key = SigningKeyRecord {
        key_id: "station-one-2025".to_owned(),
        algorithm: "Ed25519".to_owned(),
        public_key: "9f1c".repeat(16),
        fingerprint: "SHA256:one".to_owned(),
        created_at: chrono::Utc
            .with_ymd_and_hms(2025, 3, 1, 8, 0, 0)
            .single()
            .expect("date"),
    };
    one.store
        .publish_signing_key(&key, "ana")
        .expect("key published at one");
    one.intakes(1, 1);
    one.push(&mut admin);
    admin
        .set_setting("organisation.name", "Refurb & Co", "admin")
        .expect("site setting");
    admin
        .set_operator("maria", Role::QualityManager, false)
        .expect("site operator");

    // Station two pulls with its own role: it reads what the site owns and the other
    // station's published key, nothing else of station one.
    let mut as_two = Site::connect(&as_role(&url, &role.role, &role.password)).expect("two");
    let owned = as_two.pull().expect("pull");
    assert_eq!(
        owned.settings,
        [("organisation.name".to_owned(), "Refurb & Co".to_owned())]
    );
    assert_eq!(owned.operators.len(), 1);
    assert_eq!(owned.keys.len(), 1);
    let applied = two
        .store
        .apply_site_pull(as_two.shown(), &owned, "admin")
        .expect("applied");
    assert_eq!(
        (
            applied.settings_changed,
            applied.operators_changed,
            applied.keys_added
        ),
        (1, 1, 1)
    );
    assert_eq!(
        two.store.setting("organisation.name").expect("setting"),
        Some("Refurb & Co".to_owned())
    );
    let maria = two
        .store
        .list_operators()
        .expect("operators")
        .into_iter()
        .find(|operator| operator.name == "maria")
        .expect("maria came down");
    assert_eq!(maria.role, Role::QualityManager);
    let keys = two.store.signing_keys().expect("keys");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].public_key, key.public_key);
    assert_eq!(keys[0].created_at, key.created_at);
    let attached = two
        .store
        .site_attachment()
        .expect("attachment")
        .expect("attached");
    assert!(
        attached.site.contains("***"),
        "no password: {}",
        attached.site
    );

    // A second pull changes nothing; a change on the site comes down with the next one. The
    // station's operators are the site's now: one of them (any role) refreshes it.
    let owned = as_two.pull().expect("pull");
    let again = two
        .store
        .apply_site_pull(as_two.shown(), &owned, "maria")
        .expect("applied");
    assert_eq!(
        (
            again.settings_changed,
            again.operators_changed,
            again.keys_added
        ),
        (0, 0, 0)
    );
    admin
        .set_operator("maria", Role::Auditor, true)
        .expect("site operator changed");
    let owned = as_two.pull().expect("pull");
    let changed = two
        .store
        .apply_site_pull(as_two.shown(), &owned, "maria")
        .expect("applied");
    assert_eq!(changed.operators_changed, 1);
    let maria = two
        .store
        .list_operators()
        .expect("operators")
        .into_iter()
        .find(|operator| operator.name == "maria")
        .expect("maria");
    assert_eq!((maria.role, maria.disabled), (Role::Auditor, true));

    // What came down is audited at the station and replicates up like any change.
    two.push(&mut as_two);
    let check = admin.check().expect("check");
    assert!(check.ok(), "{check:?}");
}
