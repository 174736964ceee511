//! Reads at site level, `refurbdesk --site URL audit verify | devices | cert list`, against a
//! real PostgreSQL server (started by refurbdesk-pg-test, shared by this binary) and stations
//! that pushed into it.

use refurbdesk_pg_test::PgServer;

use crate::support::{json_of, Phone, Station};

/// A station with phones read (IMEI, minute), pushed into the site at `url`.
fn station_pushed(url: &str, phones: &[(&'static str, i64)]) -> Station {
    station_pushed_with(
        url,
        phones
            .iter()
            .map(|&(imei, minute)| Phone {
                imei,
                minute,
                ..Phone::default()
            })
            .collect(),
    )
}

/// A station with these phones read, pushed into the site at `url`.
fn station_pushed_with(url: &str, phones: Vec<Phone>) -> Station {
    let station = Station::new();
    let mut store = station.store();
    for phone in phones {
        store
            .record_intake(&phone.intake())
            .expect("intake recorded");
    }
    drop(store);
    station
        .run(&["site", "push", "--once", "--site", url])
        .assert()
        .success();
    station
}

/// A fresh site database with its schema.
fn site() -> String {
    let url = PgServer::shared().fresh_database();
    Station::new()
        .run(&["site", "init", "--site", &url])
        .assert()
        .success();
    url
}

#[test]
fn site_audit_verify_names_the_station_and_entry_edited_on_the_site() {
    let url = site();
    let one = station_pushed(&url, &[("356728114587211", 0), ("490154203237518", 5)]);
    let two = station_pushed(&url, &[("353918051234563", 10)]);
    let (station_one, station_two) = (
        one.store().station_id().to_string(),
        two.store().station_id().to_string(),
    );

    // Untouched: every chain verifies, exit 0, in words and in JSON.
    let intact = one
        .run(&["--site", &url, "audit", "verify"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&intact.get_output().stdout).into_owned();
    for station in [&station_one, &station_two] {
        assert!(
            text.contains(&format!("station {station}: audit log intact")),
            "{text}"
        );
    }
    let intact = one
        .run(&["--site", &url, "audit", "verify", "--json"])
        .assert()
        .success();
    let report = json_of(&intact.get_output().stdout);
    assert_eq!(report["ok"], true);
    assert_eq!(report["stations"].as_array().map(Vec::len), Some(2));
    assert!(report["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .all(|chain| chain["status"] == "intact" && chain["entries"] == chain["mark"]));

    // Station two's entry 3 rewritten on the site by its superuser.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
    client
        .execute(
            "UPDATE audit_log SET operator = 'mallory' WHERE station_id = $1::text::uuid AND seq = 3",
            &[&station_two],
        )
        .expect("tampered");

    let broken = one
        .run(&["--site", &url, "audit", "verify"])
        .assert()
        .code(1);
    let text = String::from_utf8_lossy(&broken.get_output().stdout).into_owned();
    assert!(
        text.contains(&format!("station {station_one}: audit log intact")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "station {station_two}: audit log broken after 2 good entries: audit entry 3"
        )),
        "{text}"
    );
    let stderr = String::from_utf8_lossy(&broken.get_output().stderr).into_owned();
    let last = stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("refurbdesk: ")
            && last.contains(&format!("station {station_two}: audit entry 3"))
            && !last.contains(&station_one),
        "{stderr}"
    );

    let broken = one
        .run(&["--site", &url, "audit", "verify", "--json"])
        .assert()
        .code(1);
    let report = json_of(&broken.get_output().stdout);
    assert_eq!(report["ok"], false);
    let chain = report["stations"]
        .as_array()
        .expect("stations")
        .iter()
        .find(|chain| chain["station_id"] == station_two.as_str())
        .expect("station two")
        .clone();
    assert_eq!(chain["status"], "broken");
    assert_eq!(chain["entries_verified"], 2);
    assert_eq!(chain["problem"]["kind"], "altered");
    assert_eq!(chain["problem"]["seq"], 3);

    // The station's own log is untouched: its local walk still holds.
    two.run(&["audit", "verify"]).assert().success();
}

/// The IMEIs of a `devices --json` list, in order.
fn imeis(list: &serde_json::Value) -> Vec<String> {
    list.as_array()
        .expect("an array")
        .iter()
        .map(|row| row["imei"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn site_devices_lists_each_device_once_across_stations_with_the_local_filters_and_pages() {
    let url = site();
    let (a, b, c) = ("356728114587211", "490154203237518", "353918051234563");
    // Station one reads A, then B with a worn battery; station two reads C, then A again.
    let one = station_pushed_with(
        &url,
        vec![
            Phone {
                imei: a,
                minute: 0,
                ..Phone::default()
            },
            Phone {
                imei: b,
                minute: 5,
                full_mah: 2300,
                ..Phone::default()
            },
        ],
    );
    let two = station_pushed_with(
        &url,
        vec![
            Phone {
                imei: c,
                minute: 10,
                ..Phone::default()
            },
            Phone {
                imei: a,
                minute: 20,
                operator: "bob",
                ..Phone::default()
            },
        ],
    );
    let station_two = two.store().station_id().to_string();
    let list = |args: &[&str]| {
        let mut line = vec!["--site", url.as_str(), "devices", "--json"];
        line.extend_from_slice(args);
        let output = one.run(&line).assert().success();
        json_of(&output.get_output().stdout)
    };

    // One device per IMEI, each as its latest intake at any station left it, newest first.
    let all = list(&[]);
    assert_eq!(imeis(&all), [a, c, b]);
    let first = &all[0];
    assert_eq!(first["intake_count"], 2);
    assert_eq!(first["last_operator"], "bob");
    assert_eq!(first["station_id"], station_two.as_str());
    assert_eq!(first["device_key"], format!("imei:{a}").as_str());
    assert_eq!(all[2]["battery_verdict"], "replace");
    // The station's own list knows its own devices only.
    let local = one.run(&["devices", "--json"]).assert().success();
    assert_eq!(imeis(&json_of(&local.get_output().stdout)), [b, a]);

    // The local filters, applied to the latest intake at any station.
    assert_eq!(imeis(&list(&["--by", "bob"])), [a]);
    assert_eq!(imeis(&list(&["--by", "ana"])), [c, b]);
    assert_eq!(imeis(&list(&["--battery", "replace"])), [b]);
    assert_eq!(
        imeis(&list(&["--battery", "pass", "--lock", "clear"])),
        [a, c]
    );
    assert_eq!(imeis(&list(&["--since", "2025-03-14T09:08:00Z"])), [a, c]);
    assert_eq!(imeis(&list(&["--imei", c])), [c]);
    assert!(imeis(&list(&["--outcome", "sellable"])).is_empty());

    // Keyset pages, as the local list: one row more read, the next page's --after on stderr.
    let page = one
        .run(&["--site", &url, "devices", "--json", "--limit", "2"])
        .assert()
        .success();
    let rows = json_of(&page.get_output().stdout);
    assert_eq!(imeis(&rows), [a, c]);
    let after = rows[1]["last_intake_id"].as_str().expect("id").to_owned();
    let stderr = String::from_utf8_lossy(&page.get_output().stderr).into_owned();
    assert!(stderr.contains(&format!("--after {after}")), "{stderr}");
    let next = one
        .run(&[
            "--site", &url, "devices", "--json", "--limit", "2", "--after", &after,
        ])
        .assert()
        .success();
    assert_eq!(imeis(&json_of(&next.get_output().stdout)), [b]);
    assert!(next.get_output().stderr.is_empty());
    assert_eq!(imeis(&list(&["--offset", "1", "--limit", "1"])), [c]);
    let unknown = one
        .run(&[
            "--site",
            &url,
            "devices",
            "--after",
            "01900000-0000-7000-8000-000000000000",
        ])
        .assert()
        .code(4);
    let stderr = String::from_utf8_lossy(&unknown.get_output().stderr).into_owned();
    assert!(stderr.contains("holds no intake"), "{stderr}");

    // The table: the local columns, then the station of the latest intake.
    let table = one.run(&["--site", &url, "devices"]).assert().success();
    let text = String::from_utf8_lossy(&table.get_output().stdout).into_owned();
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("LAST INTAKE") && header.ends_with("STATION"),
        "{text}"
    );
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|line| line.contains(a) && line.ends_with(&station_two)),
        "{text}"
    );
}

/// `station` names its organisation, erases an image file, issues its certificate and pushes
/// to the site at `url`; the issued document as `cert issue --json` tells it.
fn certificate_issued_and_pushed(station: &Station, url: &str) -> serde_json::Value {
    station
        .run(&[
            "settings",
            "set",
            "organisation.name",
            "Atelier Exemple SAS",
        ])
        .assert()
        .success();
    let image = station.home.path().join("disk.img");
    std::fs::write(&image, vec![0x5a_u8; 1 << 20]).expect("image");
    let erasure = station
        .run(&[
            "erase",
            "--method",
            "zero",
            "--yes-erase-image",
            "--json",
            "--target",
        ])
        .arg(&image)
        .assert()
        .success();
    let erasure = json_of(&erasure.get_output().stdout)["id"]
        .as_str()
        .expect("erasure id")
        .to_owned();
    let issued = station
        .run(&["cert", "issue", "--erasure", &erasure, "--json", "--out"])
        .arg(station.home.path().join("out"))
        .assert()
        .success();
    station
        .run(&["site", "push", "--once", "--site", url])
        .assert()
        .success();
    json_of(&issued.get_output().stdout)
}

#[test]
fn site_cert_list_lists_every_stations_documents_with_the_sites_void_state() {
    let url = site();
    let one = station_pushed(&url, &[]);
    let two = station_pushed(&url, &[("353918051234563", 0)]);
    let id = certificate_issued_and_pushed(&one, &url)["id"]
        .as_str()
        .expect("id")
        .to_owned();

    // Station two, which issued nothing, lists station one's certificate from the site, in the
    // local list's shape.
    let local = one.run(&["cert", "list", "--json"]).assert().success();
    let local = json_of(&local.get_output().stdout);
    let listed = two
        .run(&["--site", &url, "cert", "list", "--json"])
        .assert()
        .success();
    let listed = json_of(&listed.get_output().stdout);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    let station_one = one.store().station_id().to_string();
    assert_eq!(listed[0]["station_id"], station_one.as_str());
    for field in local[0].as_object().expect("an object").keys() {
        assert_eq!(listed[0][field], local[0][field], "{field}");
    }
    assert_eq!(listed[0]["voided"], false);

    // Voided at station one: the site's list says so once pushed.
    one.run(&["cert", "void", &id, "--reason", "wrong customer"])
        .assert()
        .success();
    one.run(&["site", "push", "--once", "--site", &url])
        .assert()
        .success();
    let text = two
        .run(&["--site", &url, "cert", "list"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&text.get_output().stdout).into_owned();
    assert!(
        text.contains(&id)
            && text.contains(&format!("station {station_one}"))
            && text.contains("VOID: wrong customer"),
        "{text}"
    );
    // By device: the erased image names no device of the site.
    two.run(&[
        "--site",
        &url,
        "cert",
        "list",
        "--device",
        "353918051234563",
    ])
    .assert()
    .success();
    two.run(&[
        "--site",
        &url,
        "cert",
        "list",
        "--device",
        "000000000000000",
    ])
    .assert()
    .code(4);
    let since = two
        .run(&[
            "--site",
            &url,
            "cert",
            "list",
            "--json",
            "--since",
            "2999-01-01",
        ])
        .assert()
        .success();
    assert_eq!(json_of(&since.get_output().stdout), serde_json::json!([]));
}

#[test]
fn site_cert_export_writes_every_stations_files_as_issued_and_refuses_one_changed_on_the_site() {
    let url = site();
    let one = station_pushed(&url, &[]);
    let two = station_pushed(&url, &[]);
    let issued = certificate_issued_and_pushed(&one, &url);
    let id = issued["id"].as_str().expect("id").to_owned();
    let pdf = std::fs::read(issued["pdf"].as_str().expect("pdf path")).expect("the issued PDF");

    // Station two, which issued nothing, exports station one's files from the site: the very
    // bytes station one issued, which station one's keys verify.
    let out = two.home.path().join("export");
    let exported = two
        .run(&["--site", &url, "cert", "export", "--all", "--json", "--out"])
        .arg(&out)
        .assert()
        .success();
    let exported = json_of(&exported.get_output().stdout);
    assert_eq!(exported["count"], 1, "{exported}");
    assert_eq!(exported["documents"][0]["id"], id.as_str());
    let written = out.join(format!("erasure-certificate-{id}.pdf"));
    assert_eq!(std::fs::read(&written).expect("the exported PDF"), pdf);
    assert!(out.join(format!("erasure-certificate-{id}.json")).is_file());
    one.run(&["cert", "verify"])
        .arg(&written)
        .assert()
        .success();

    // Zipped, and filtered by date: none since the year 2999.
    let zipped = two
        .run(&[
            "--site", &url, "cert", "export", "--all", "--zip", "--json", "--out",
        ])
        .arg(two.home.path().join("zipped"))
        .assert()
        .success();
    let zipped = json_of(&zipped.get_output().stdout);
    assert!(
        zipped["zip"]
            .as_str()
            .is_some_and(|zip| zip.ends_with(".zip")),
        "{zipped}"
    );
    let none = two
        .run(&[
            "--site",
            &url,
            "cert",
            "export",
            "--since",
            "2999-01-01",
            "--json",
            "--out",
        ])
        .arg(two.home.path().join("none"))
        .assert()
        .success();
    assert_eq!(json_of(&none.get_output().stdout)["count"], 0);
    // Printing again in another language needs the issuing station's key: refused at site level.
    two.run(&[
        "--site", &url, "cert", "export", "--all", "--lang", "fr", "--out",
    ])
    .arg(two.home.path().join("fr"))
    .assert()
    .code(2);

    // One byte of the PDF changed on the site: the export stops naming the document, and writes
    // no archive.
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
    let station_one = one.store().station_id().to_string();
    let changed = client
        .execute(
            "UPDATE records SET record = jsonb_set(record, '{pdf}',
                 to_jsonb(overlay(record ->> 'pdf' placing 'ff' from 201 for 2)))
             WHERE station_id = $1::text::uuid AND entity = 'certificate' AND entity_id = $2",
            &[&station_one, &id],
        )
        .expect("the site's row is changed");
    assert_eq!(changed, 1);
    let refused_dir = two.home.path().join("refused");
    let refused = two
        .run(&["--site", &url, "cert", "export", "--all", "--zip", "--out"])
        .arg(&refused_dir)
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&id) && stderr.contains(&station_one) && stderr.contains("check"),
        "{stderr}"
    );
    let left: Vec<_> = std::fs::read_dir(&refused_dir)
        .map(|entries| entries.flatten().collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "an unfinished archive was left: {left:?}");
}
