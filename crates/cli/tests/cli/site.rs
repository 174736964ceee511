//! `refurbdesk site init | push | status` and `refurbdesk --site URL db check` against a real
//! PostgreSQL server (started by refurbdesk-pg-test, shared by this binary).

use refurbdesk_pg_test::PgServer;

use crate::support::{json_of, Phone, Station};

/// A station with two phones read, and a fresh site database.
fn station_and_site() -> (Station, String) {
    let station = Station::new();
    let mut store = station.store();
    for (minute, imei) in [(0, "356728114587211"), (5, "490154203237518")] {
        store
            .record_intake(
                &Phone {
                    imei,
                    minute,
                    ..Phone::default()
                }
                .intake(),
            )
            .expect("intake recorded");
    }
    (station, PgServer::shared().fresh_database())
}

#[test]
fn init_push_and_status_round_trip_and_a_second_push_sends_nothing() {
    let (station, url) = station_and_site();
    let init = station
        .run(&["site", "init", "--site", &url, "--json"])
        .assert()
        .success();
    let init = json_of(&init.get_output().stdout);
    assert_eq!(init["from_version"], 0);
    assert_eq!(init["to_version"], 2);

    // The site named by the environment, as a station's service would.
    let first = station
        .run(&["site", "push", "--once", "--json"])
        .env("REFURBDESK_SITE", &url)
        .assert()
        .success();
    let first = json_of(&first.get_output().stdout);
    let head = station.store().audit_head().expect("head");
    assert_eq!(first["entries"], head);
    assert_eq!(first["to_mark"], head);
    assert_eq!(
        first["records"], 6,
        "two devices, two intakes, the bench, the station"
    );

    let second = station
        .run(&["site", "push", "--once", "--json", "--site", &url])
        .assert()
        .success();
    let second = json_of(&second.get_output().stdout);
    assert_eq!(second["entries"], 0);
    assert_eq!(second["from_mark"], head);

    let status = station
        .run(&["site", "status", "--json", "--site", &url])
        .assert()
        .success();
    let status = json_of(&status.get_output().stdout);
    assert_eq!(status["reachable"], true);
    assert_eq!(status["behind"], 0);
    assert_eq!(status["mark"], head);
    let intake = status["tables"]
        .as_array()
        .expect("tables")
        .iter()
        .find(|table| table["entity"] == "intake")
        .expect("the intakes' row");
    assert_eq!(
        (intake["on_station"].as_i64(), intake["behind"].as_i64()),
        (Some(2), Some(0))
    );

    let check = station
        .run(&["--site", &url, "db", "check"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&check.get_output().stdout).into_owned();
    assert!(text.contains("audit chain intact"), "{text}");
}

#[test]
fn an_unreachable_site_fails_the_push_and_status_tells_the_lag_and_the_error() {
    let (station, _) = station_and_site();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a port")
        .port();
    let url = format!("postgres://station:s3cret@127.0.0.1:{port}/site");
    let push = station
        .run(&["site", "push", "--once", "--site", &url])
        .assert()
        .code(8);
    let stderr = String::from_utf8_lossy(&push.get_output().stderr).into_owned();
    assert!(stderr.contains("cannot be reached"), "{stderr}");
    assert!(!stderr.contains("s3cret"), "{stderr}");

    let status = station
        .run(&["site", "status", "--json", "--site", &url])
        .assert()
        .success();
    let status = json_of(&status.get_output().stdout);
    let head = station.store().audit_head().expect("head");
    assert_eq!(status["reachable"], false);
    assert_eq!(status["behind"], head);
    assert!(status["last_error"]
        .as_str()
        .is_some_and(|error| error.contains("cannot be reached")));
    assert!(!status.to_string().contains("s3cret"));

    // The station records on, unchanged.
    station
        .store()
        .record_intake(
            &Phone {
                imei: "353918051234563",
                minute: 30,
                ..Phone::default()
            }
            .intake(),
        )
        .expect("recorded while the site is down");
}

#[test]
fn a_record_edited_on_the_site_is_named_by_db_check_with_its_station() {
    let (station, url) = station_and_site();
    station
        .run(&["site", "init", "--site", &url])
        .assert()
        .success();
    station
        .run(&["site", "push", "--once", "--site", &url])
        .assert()
        .success();
    let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
    let device: String = client
        .query_one(
            "UPDATE records SET record = jsonb_set(record, '{imei}', '\"000000000000000\"')
             WHERE entity = 'device' AND record ->> 'imei' = '490154203237518'
             RETURNING entity_id",
            &[],
        )
        .expect("tampered")
        .get(0);
    let check = station
        .run(&["--site", &url, "db", "check", "--json"])
        .assert()
        .code(1);
    let report = json_of(&check.get_output().stdout);
    assert_eq!(report["ok"], false);
    let mismatch = &report["mismatches"][0];
    assert_eq!(mismatch["entity"], "device");
    assert_eq!(mismatch["entity_id"], device.as_str());
    assert_eq!(mismatch["kind"], "changed");
    let station_id = station.store().station_id().to_string();
    assert_eq!(mismatch["station_id"], station_id.as_str());
    let stderr = String::from_utf8_lossy(&check.get_output().stderr).into_owned();
    assert!(
        stderr.contains(&station_id) && stderr.contains(&device),
        "{stderr}"
    );
}

#[test]
fn site_commands_without_a_site_say_how_to_name_one() {
    let (station, url) = station_and_site();
    let refused = station.run(&["site", "status"]).assert().code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("REFURBDESK_SITE"), "{stderr}");
    // A database with no schema yet: told to init it.
    let refused = station
        .run(&["site", "push", "--once", "--site", &url])
        .assert()
        .code(7);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("refurbdesk site init"), "{stderr}");
}

#[test]
fn add_station_prints_a_role_the_station_pushes_with_and_remove_station_disables_it() {
    let (station, url) = station_and_site();
    station
        .run(&["site", "init", "--site", &url])
        .assert()
        .success();
    let name = format!("cli-{}", std::process::id());
    let added = station
        .run(&["site", "add-station", &name, "--site", &url, "--json"])
        .assert()
        .success();
    let added = json_of(&added.get_output().stdout);
    let role = added["role"].as_str().expect("role").to_owned();
    let password = added["password"].as_str().expect("password").to_owned();
    assert_eq!(password.len(), 48);
    let role_url = url.replacen("postgres@", &format!("{role}:{password}@"), 1);
    station
        .run(&["site", "push", "--once", "--site", &role_url])
        .assert()
        .success();
    station
        .run(&["site", "remove-station", &name, "--site", &url])
        .assert()
        .success();
    let refused = station
        .run(&["site", "push", "--once", "--site", &role_url])
        .assert()
        .code(8);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(!stderr.contains(&password), "{stderr}");
    station
        .run(&["site", "remove-station", &name, "--site", &url])
        .assert()
        .code(4);
}
