use refurbdesk_site::SiteMismatchKind;
use refurbdesk_store::{AuditProblem, AuditReport};

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

#[test]
fn the_sites_audit_walk_names_the_station_and_entry_and_an_end_cut_off() {
    let (url, mut site) = site();
    let mut one = Station::new();
    let mut two = Station::new();
    one.intakes(1, 3);
    two.intakes(10, 3);
    one.push(&mut site);
    two.push(&mut site);
    let audit = site.verify_chains().expect("walk");
    assert!(audit.ok(), "{audit:?}");
    assert_eq!(audit.stations.len(), 2);
    let head = one.store.audit_head().expect("head");
    for chain in &audit.stations {
        assert_eq!(
            chain.report,
            AuditReport::Intact {
                entries: head as u64
            }
        );
        assert_eq!(chain.mark, head);
    }

    // Station one's entry 4 edited, station two's last two entries deleted, by the superuser.
    let (station_one, station_two) = (one.store.station_id(), two.store.station_id());
    let mut client = raw(&url);
    let id: String = client
        .query_one(
            "UPDATE audit_log SET at = '2020-01-01T00:00:00.000000Z'
             WHERE station_id = $1 AND seq = 4 RETURNING id::text",
            &[&station_one],
        )
        .expect("edited")
        .get(0);
    client
        .execute(
            "DELETE FROM audit_log WHERE station_id = $1 AND seq > $2",
            &[&station_two, &(head - 2)],
        )
        .expect("cut");

    let audit = site.verify_chains().expect("walk");
    assert!(!audit.ok());
    let report = |station| {
        &audit
            .stations
            .iter()
            .find(|chain| chain.station_id == station)
            .expect("the station's chain")
            .report
    };
    assert_eq!(
        report(station_one),
        &AuditReport::Broken {
            entries_verified: 3,
            problem: AuditProblem::Altered { seq: 4, id },
        }
    );
    assert_eq!(
        report(station_two),
        &AuditReport::Broken {
            entries_verified: (head - 2) as u64,
            problem: AuditProblem::Truncated {
                seq: head - 1,
                last_seq: head,
            },
        }
    );
    // The site's check lists the same breaks.
    let check = site.check().expect("check");
    let seqs: Vec<_> = check
        .stations
        .iter()
        .map(|chain| (chain.station_id, chain.problem_seq))
        .collect();
    assert!(seqs.contains(&(station_one, Some(4))), "{seqs:?}");
    assert!(seqs.contains(&(station_two, Some(head - 1))), "{seqs:?}");
}
