use refurbdesk_pg_test::PgServer;
use refurbdesk_site::{PushOptions, Site, SiteError};
use refurbdesk_store::Store;

use crate::support::{count, imei, raw, site, Station};

#[test]
fn pushing_twice_sends_nothing_twice_and_a_third_push_sends_only_what_is_new() {
    let (url, mut site) = site();
    let mut station = Station::new();
    station.intakes(1, 20);
    let head = station.store.audit_head().expect("head");
    assert!(head >= 40, "a device and an intake entry each: {head}");

    let first = station.push(&mut site);
    assert_eq!((first.from_mark, first.to_mark), (0, head));
    assert_eq!(first.entries, head as u64);
    let mut client = raw(&url);
    assert_eq!(count(&mut client, "SELECT count(*) FROM audit_log"), head);
    let records = count(&mut client, "SELECT count(*) FROM records");
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM records WHERE entity = 'intake'"
        ),
        20
    );
    assert_eq!(
        count(
            &mut client,
            "SELECT count(*) FROM records WHERE entity = 'device'"
        ),
        20
    );

    let second = station.push(&mut site);
    assert_eq!((second.entries, second.records, second.batches), (0, 0, 0));
    assert_eq!(count(&mut client, "SELECT count(*) FROM audit_log"), head);
    assert_eq!(count(&mut client, "SELECT count(*) FROM records"), records);

    station.intakes(21, 3);
    let third = station.push(&mut site);
    let new_head = station.store.audit_head().expect("head");
    assert_eq!((third.from_mark, third.to_mark), (head, new_head));
    assert_eq!(third.entries, (new_head - head) as u64);
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM audit_log"),
        new_head
    );
    assert_eq!(
        count(&mut client, "SELECT sum(entries)::bigint FROM site_marks"),
        new_head,
        "the per-table marks count every entry once"
    );
    // The evidence travelled with its intake, as recorded.
    let evidence: String = client
        .query_one(
            "SELECT r.record ->> 'evidence_json' FROM records r
             JOIN records d ON d.entity = 'device' AND d.entity_id = r.record ->> 'device_id'
             WHERE r.entity = 'intake' AND d.record ->> 'imei' = $1",
            &[&imei(22)],
        )
        .expect("the intake of the 22nd phone")
        .get(0);
    assert!(evidence.contains(r#"\"quoted\" \\ é"#), "{evidence}");
    assert!(site.check().expect("check").ok());
}

#[test]
fn three_stations_into_one_site_stopped_mid_push_lose_nothing_and_repeat_nothing() {
    // A server of its own: stopping the shared one would fail the other tests.
    let server = PgServer::start();
    let url = server.fresh_database();
    let mut site = Site::connect(&url).expect("connects");
    site.init().expect("init");
    let mut one = Station::new();
    let mut two = Station::new();
    let mut three = Station::new();
    one.intakes(1, 30);
    two.intakes(100, 10);
    three.intakes(200, 10);
    two.push(&mut site);
    three.push(&mut site);
    let head = one.store.audit_head().expect("head");

    let mut batches = 0;
    let cut = site.push(&one.store, PushOptions { batch: 7 }, &mut |_| {
        batches += 1;
        if batches == 2 {
            server.stop();
        }
        true
    });
    assert!(
        matches!(cut, Err(SiteError::Unreachable { .. })),
        "the third batch finds no server: {cut:?}"
    );
    // The stations work on while the site is down.
    one.intakes(31, 2);
    two.intakes(110, 3);
    three.intakes(210, 1);
    assert!(one.store.audit_head().expect("head") > head);

    server.start_again();
    let mut site = Site::connect(&url).expect("connects again");
    let head_now = one.store.audit_head().expect("head");
    let resumed = site
        .push(&one.store, PushOptions { batch: 7 }, &mut |_| true)
        .expect("push resumes");
    assert_eq!(
        resumed.from_mark, 14,
        "two batches of 7 were committed before the stop"
    );
    assert_eq!(resumed.to_mark, head_now);
    assert_eq!(resumed.entries, (head_now - 14) as u64);
    two.push(&mut site);
    three.push(&mut site);

    let mut client = raw(&url);
    for (station, intakes) in [(&one, 32), (&two, 13), (&three, 11)] {
        let id = station.store.station_id();
        let head = station.store.audit_head().expect("head");
        let one_of = |client: &mut postgres::Client, sql: &str| -> i64 {
            client.query_one(sql, &[&id]).expect("count").get(0)
        };
        assert_eq!(
            one_of(
                &mut client,
                "SELECT count(*) FROM audit_log WHERE station_id = $1"
            ),
            head,
            "every entry once"
        );
        assert_eq!(
            one_of(
                &mut client,
                "SELECT count(DISTINCT id) FROM audit_log WHERE station_id = $1"
            ),
            head
        );
        assert_eq!(
            one_of(
                &mut client,
                "SELECT sum(entries)::bigint FROM site_marks WHERE station_id = $1"
            ),
            head,
            "the per-table marks count every entry once"
        );
        assert_eq!(
            one_of(
                &mut client,
                "SELECT count(*) FROM records WHERE station_id = $1 AND entity = 'intake'"
            ),
            intakes
        );
        assert_eq!(site.mark(id).expect("mark"), head);
    }
    let check = site.check().expect("check");
    assert!(check.ok(), "{check:?}");
    assert_eq!(check.stations.len(), 3);
}

#[test]
fn two_stations_replicate_into_one_site_each_with_its_own_chain_and_mark() {
    let (url, mut site) = site();
    let mut one = Station::new();
    let mut two = Station::new();
    one.intakes(100, 5);
    // The same phones, read again at the second station, and one of its own.
    two.intakes(102, 4);
    one.push(&mut site);
    two.push(&mut site);
    one.intakes(200, 1);
    one.push(&mut site);

    let mut client = raw(&url);
    assert_eq!(count(&mut client, "SELECT count(*) FROM site_stations"), 2);
    for station in [&one, &two] {
        let id = station.store.station_id();
        let head = station.store.audit_head().expect("head");
        let held: i64 = client
            .query_one(
                "SELECT count(*) FROM audit_log WHERE station_id = $1",
                &[&id],
            )
            .expect("count")
            .get(0);
        assert_eq!(held, head);
        assert_eq!(site.mark(id).expect("mark"), head);
    }
    // Both stations' intakes of IMEI 102..105 are kept.
    let readings: i64 = client
        .query_one(
            "SELECT count(*) FROM records WHERE entity = 'device' AND record ->> 'imei' = $1",
            &[&imei(103)],
        )
        .expect("count")
        .get(0);
    assert_eq!(readings, 2);
    let check = site.check().expect("check");
    assert!(check.ok(), "{check:?}");
    assert_eq!(check.stations.len(), 2);
}

#[test]
fn a_record_changed_at_the_station_replaces_the_older_one_on_the_site() {
    let (url, mut site) = site();
    let mut station = Station::new();
    station
        .store
        .set_setting("organisation.name", "Refurb & Co", "ana")
        .expect("setting");
    station.push(&mut site);
    station
        .store
        .set_setting("organisation.name", "Refurb & Co SAS", "ana")
        .expect("setting changed");
    station.push(&mut site);
    let mut client = raw(&url);
    let values: Vec<String> = client
        .query(
            "SELECT record ->> 'value' FROM records WHERE entity = 'setting'",
            &[],
        )
        .expect("settings")
        .into_iter()
        .map(|row| row.get(0))
        .collect();
    assert_eq!(values, ["Refurb & Co SAS"]);
    assert!(site.check().expect("check").ok());
}

#[test]
fn a_station_whose_log_does_not_continue_the_sites_is_refused() {
    let (_, mut site) = site();
    let mut station = Station::new();
    station.intakes(1, 2);
    let copy = station.dir.path().join("earlier.sqlite");
    station.store.backup_to(&copy).expect("backup");
    station.intakes(3, 2);
    station.push(&mut site);

    // The earlier copy goes its own way: the same station id, other entries after the copy.
    let mut earlier = Store::open(&copy).expect("copy opens");
    let intakes: Vec<_> = (50..60).map(crate::support::phone_intake).collect();
    earlier.record_intakes(&intakes).expect("recorded");
    let refused = site.push(&earlier, Default::default(), &mut |_| true);
    assert!(
        matches!(refused, Err(SiteError::Diverged { .. })),
        "{refused:?}"
    );
}
