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
