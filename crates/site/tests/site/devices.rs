use refurbdesk_domain::DeviceCategory;

use crate::support::{count, imei, phone_intake, raw, site, Station};

/// A laptop with a serial and no IMEI.
fn laptop(number: u64, serial: &str) -> refurbdesk_store::NewIntake {
    let mut intake = phone_intake(number);
    intake.identity.category = DeviceCategory::Laptop;
    intake.identity.make = "Lenovo".to_owned();
    intake.identity.model = "ThinkPad T14".to_owned();
    intake.identity.imei = None;
    intake.identity.imei_valid = None;
    intake.identity.serial = Some(serial.to_owned());
    intake
}

#[test]
fn a_device_read_at_two_stations_is_one_site_device_with_every_intake_kept() {
    let (url, mut site) = site();
    let mut one = Station::new();
    let mut two = Station::new();
    one.intakes(1, 3);
    one.store
        .record_intakes(&[laptop(40, "PF-2X9K1")])
        .expect("laptop at one");
    // The second phone and the laptop again at station two, and a phone of its own.
    two.intakes(2, 1);
    two.intakes(2, 1);
    two.intakes(9, 1);
    two.store
        .record_intakes(&[laptop(41, "PF-2X9K1")])
        .expect("laptop at two");
    one.push(&mut site);
    two.push(&mut site);

    let phones = site.find_devices(&imei(2)).expect("lookup by IMEI");
    assert_eq!(phones.len(), 1, "{phones:?}");
    let phone = &phones[0];
    assert_eq!(phone.device_key, format!("imei:{}", imei(2)));
    assert_eq!(phone.first_station, one.store.station_id());
    let stations: Vec<_> = phone.rows.iter().map(|row| row.station_id).collect();
    assert_eq!(stations.len(), 2, "one device row per station");
    assert!(stations.contains(&one.store.station_id()));
    assert!(stations.contains(&two.store.station_id()));
    assert_eq!(
        phone.intakes.len(),
        3,
        "one intake at station one, two at two"
    );
    assert_eq!(
        phone
            .intakes
            .iter()
            .filter(|intake| intake.station_id == two.store.station_id())
            .count(),
        2
    );

    let laptops = site.find_devices("PF-2X9K1").expect("lookup by serial");
    assert_eq!(laptops.len(), 1, "{laptops:?}");
    assert_eq!(laptops[0].device_key, "serial:Lenovo:PF-2X9K1");
    assert_eq!(laptops[0].intakes.len(), 2);
    assert_eq!(laptops[0].category, "laptop");

    let mut client = raw(&url);
    // Five devices on the site: phones 1, 2, 3 and 9, and the laptop; seven device rows.
    assert_eq!(count(&mut client, "SELECT count(*) FROM site_devices"), 5);
    assert_eq!(
        count(&mut client, "SELECT count(*) FROM site_device_rows"),
        7
    );
    assert_eq!(count(&mut client, "SELECT count(*) FROM site_intakes"), 8);
    // The matching leaves the replicated records as the stations wrote them.
    assert!(site.check().expect("check").ok());
    assert!(site
        .find_devices("no such device")
        .expect("lookup")
        .is_empty());
}

#[test]
fn a_site_upgraded_from_version_4_lists_its_devices_as_a_new_site_does() {
    // The same records on two sites: one made at this build's version, which kept each
    // device's summary as they arrived; one made at version 4, which had no summary, then
    // upgraded.
    let (url, mut current) = site();
    let mut one = Station::new();
    let mut two = Station::new();
    one.intakes(1, 3);
    two.intakes(2, 1);
    two.intakes(2, 1);
    two.intakes(9, 2);
    one.push(&mut current);
    two.push(&mut current);

    let old_url = refurbdesk_pg_test::PgServer::shared().fresh_database();
    let mut old = refurbdesk_site::Site::connect(&old_url).expect("connects");
    let made = old.init_to(4).expect("a version 4 site");
    assert_eq!(made.to_version, 4);
    // The records as a version 4 site received them (its own triggers matched the devices).
    let (mut from, mut to) = (raw(&url), raw(&old_url));
    for station in from
        .query("SELECT station_id, mark FROM site_stations", &[])
        .expect("stations")
    {
        let (id, mark): (uuid::Uuid, i64) = (station.get(0), station.get(1));
        to.execute(
            "INSERT INTO site_stations (station_id, mark) VALUES ($1, $2)",
            &[&id, &mark],
        )
        .expect("station copied");
    }
    for record in from
        .query(
            "SELECT station_id, entity, entity_id, seq, record FROM records ORDER BY station_id, seq",
            &[],
        )
        .expect("records")
    {
        let (station, entity, id, seq, body): (uuid::Uuid, String, String, i64, serde_json::Value) =
            (record.get(0), record.get(1), record.get(2), record.get(3), record.get(4));
        to.execute(
            "INSERT INTO records (station_id, entity, entity_id, seq, record)
             VALUES ($1, $2, $3, $4, $5)",
            &[&station, &entity, &id, &seq, &body],
        )
        .expect("record copied");
    }
    let upgraded = old.init().expect("upgraded");
    assert_eq!(
        (upgraded.from_version, upgraded.to_version),
        (4, refurbdesk_site::SCHEMA_VERSION)
    );

    let everything = refurbdesk_site::SiteDeviceQuery::default();
    let listed = current.devices(&everything).expect("the new site's list");
    assert_eq!(listed.len(), 5, "phones 1, 2, 3, 9 and 10: {listed:?}");
    let phone_two = listed
        .iter()
        .find(|line| line.imei.as_deref() == Some(imei(2).as_str()))
        .expect("phone 2");
    assert_eq!(
        phone_two.intake_count, 3,
        "one intake at station one, two at two"
    );
    assert_eq!(
        old.devices(&everything).expect("the upgraded site's list"),
        listed
    );
    // And filtered, and paged by keyset, the same.
    let page = refurbdesk_site::SiteDeviceQuery {
        limit: Some(2),
        ..Default::default()
    };
    let first = current.devices(&page).expect("first page");
    assert_eq!(old.devices(&page).expect("first page"), first);
    let next = refurbdesk_site::SiteDeviceQuery {
        after: Some(first[1].last_intake_id.clone()),
        ..page
    };
    assert_eq!(
        old.devices(&next).expect("next page"),
        current.devices(&next).expect("next page")
    );
    assert_eq!(current.devices(&next).expect("next page").len(), 2);
}
