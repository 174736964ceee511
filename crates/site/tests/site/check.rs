use refurbdesk_site::SiteMismatchKind;

use crate::support::{raw, site, Station};

#[test]
fn a_record_edited_on_the_site_is_named_with_its_station() {
    let (url, mut site) = site();
    let mut one = Station::new();
    let mut two = Station::new();
    one.intakes(1, 3);
    two.intakes(10, 3);
    one.push(&mut site);
    two.push(&mut site);
    assert!(site.check().expect("check").ok());

    let mut client = raw(&url);
    let station = two.store.station_id();
    let device: String = client
        .query_one(
            "UPDATE records SET record = jsonb_set(record, '{model}', '\"iPhone 15 Pro\"')
             WHERE station_id = $1 AND entity = 'device'
               AND entity_id = (SELECT min(entity_id) FROM records
                                WHERE station_id = $1 AND entity = 'device')
             RETURNING entity_id",
            &[&station],
        )
        .expect("tampered")
        .get(0);
    let intake: String = client
        .query_one(
            "DELETE FROM records WHERE station_id = $1 AND entity = 'intake'
               AND entity_id = (SELECT max(entity_id) FROM records
                                WHERE station_id = $1 AND entity = 'intake')
             RETURNING entity_id",
            &[&station],
        )
        .expect("deleted")
        .get(0);

    let check = site.check().expect("check");
    assert!(!check.ok());
    assert_eq!(check.mismatches.len(), 2, "{:?}", check.mismatches);
    let changed = &check
        .mismatches
        .iter()
        .find(|m| m.kind == SiteMismatchKind::Changed)
        .expect("changed");
    assert_eq!(
        (
            changed.station_id,
            changed.entity.as_str(),
            changed.entity_id.as_str()
        ),
        (station, "device", device.as_str())
    );
    let missing = check
        .mismatches
        .iter()
        .find(|m| m.kind == SiteMismatchKind::Missing)
        .expect("missing");
    assert_eq!(
        (missing.station_id, missing.entity_id.as_str()),
        (station, intake.as_str())
    );
    assert!(changed.to_string().contains(&station.to_string()));
    assert!(check.stations.iter().all(|chain| chain.problem.is_none()));
}

#[test]
fn an_audit_entry_edited_on_the_site_breaks_that_stations_chain_only() {
    let (url, mut site) = site();
    let mut one = Station::new();
    let mut two = Station::new();
    one.intakes(1, 3);
    two.intakes(10, 3);
    one.push(&mut site);
    two.push(&mut site);
    let station = one.store.station_id();
    raw(&url)
        .execute(
            "UPDATE audit_log SET operator = 'mallory' WHERE station_id = $1 AND seq = 3",
            &[&station],
        )
        .expect("tampered");
    let check = site.check().expect("check");
    let broken: Vec<_> = check
        .stations
        .iter()
        .filter(|chain| chain.problem.is_some())
        .collect();
    assert_eq!(broken.len(), 1);
    assert_eq!(broken[0].station_id, station);
    assert_eq!(broken[0].problem_seq, Some(3));
    assert_eq!(broken[0].entries_verified, 2);
}
