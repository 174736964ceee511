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
    assert_eq!(init["to_version"], 5);

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

#[test]
fn a_station_killed_mid_push_resumes_with_nothing_lost_and_nothing_twice() {
    let (station, url) = station_and_site();
    station
        .run(&["site", "init", "--site", &url])
        .assert()
        .success();
    station
        .run(&["site", "push", "--once", "--site", &url])
        .assert()
        .success();
    let pushed = station.store().audit_head().expect("head");
    {
        let mut store = station.store();
        for minute in 10..16 {
            let imei: &'static str = Box::leak(format!("35391805123{minute:04}").into_boxed_str());
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
    }
    let head = station.store().audit_head().expect("head");

    // The site holds its records table so that the push's first batch stops inside its
    // transaction (its entries staged and inserted, not committed); the station process is
    // killed there.
    let mut holder = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
    let mut hold = holder.transaction().expect("transaction");
    hold.batch_execute("LOCK TABLE records IN SHARE MODE")
        .expect("locks");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("refurbdesk"))
        .args(["site", "push", "--once", "--batch", "4", "--site", &url])
        .env("HOME", station.home.path())
        .env("XDG_DATA_HOME", station.home.path().join("share"))
        .env("USER", "os-user")
        .env("LANG", "C")
        .env("REFURBDESK_DB", &station.db)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("the push starts");
    let mut watcher = postgres::Client::connect(&url, postgres::NoTls).expect("connects");
    let waited_since = std::time::Instant::now();
    loop {
        let waiting: i64 = watcher
            .query_one(
                "SELECT count(*) FROM pg_stat_activity
                 WHERE datname = current_database() AND application_name = 'refurbdesk'
                   AND wait_event_type = 'Lock'",
                &[],
            )
            .expect("activity")
            .get(0);
        if waiting == 1 {
            break;
        }
        assert!(
            child.try_wait().expect("child").is_none(),
            "the push ended before it reached the held table"
        );
        assert!(
            waited_since.elapsed() < std::time::Duration::from_secs(60),
            "the push never reached the held table"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // SIGKILL, mid-transaction.
    child.kill().expect("killed");
    let status = child.wait().expect("reaped");
    assert!(!status.success());
    hold.rollback().expect("released");
    let entries: i64 = watcher
        .query_one("SELECT count(*) FROM audit_log", &[])
        .expect("count")
        .get(0);
    assert_eq!(entries, pushed, "the killed batch left nothing behind");

    // The station starts again and pushes: from the last mark committed, to the end.
    let resumed = station
        .run(&[
            "site", "push", "--once", "--batch", "4", "--json", "--site", &url,
        ])
        .assert()
        .success();
    let resumed = json_of(&resumed.get_output().stdout);
    assert_eq!(resumed["from_mark"], pushed);
    assert_eq!(resumed["to_mark"], head);
    assert_eq!(resumed["entries"], head - pushed);
    for (sql, expected) in [
        ("SELECT count(*) FROM audit_log", head),
        ("SELECT count(DISTINCT id) FROM audit_log", head),
        ("SELECT sum(entries)::bigint FROM site_marks", head),
        ("SELECT count(*) FROM records WHERE entity = 'intake'", 8),
    ] {
        let found: i64 = watcher.query_one(sql, &[]).expect(sql).get(0);
        assert_eq!(found, expected, "{sql}");
    }
    station
        .run(&["--site", &url, "db", "check"])
        .assert()
        .success();
}

#[test]
fn an_attached_station_takes_the_sites_settings_and_refuses_changing_them_here() {
    let (station, url) = station_and_site();
    station
        .run(&["site", "init", "--site", &url])
        .assert()
        .success();
    station
        .run(&[
            "site",
            "set",
            "organisation.name",
            "Refurb & Co",
            "--site",
            &url,
        ])
        .assert()
        .success();
    // A station's own setting is not the site's.
    station
        .run(&[
            "site",
            "set",
            "session.idle_lock_minutes",
            "10",
            "--site",
            &url,
        ])
        .assert()
        .code(2);
    // Attaching hands the station's operators to the site: a technician may not do it, an
    // admin may, and after that anyone may take the site's changes.
    for (name, role) in [("os-user", "admin"), ("tom", "technician")] {
        station
            .run(&["operator", "add", name, "--role", role])
            .assert()
            .success();
    }
    let refused = station
        .run(&["--operator", "tom", "site", "pull", "--site", &url])
        .assert()
        .code(7);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("manage operators"), "{stderr}");
    assert!(station.store().site_attachment().expect("read").is_none());
    let pulled = station
        .run(&["site", "pull", "--json", "--site", &url])
        .assert()
        .success();
    let pulled = json_of(&pulled.get_output().stdout);
    assert_eq!(pulled["settings_changed"], 1);
    let again = station
        .run(&[
            "--operator",
            "tom",
            "site",
            "pull",
            "--json",
            "--site",
            &url,
        ])
        .assert()
        .success();
    assert_eq!(json_of(&again.get_output().stdout)["settings_changed"], 0);
    let got = station
        .run(&["settings", "get", "organisation.name"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&got.get_output().stdout).trim(),
        "Refurb & Co"
    );

    let refused = station
        .run(&["settings", "set", "organisation.name", "Elsewhere"])
        .assert()
        .code(7);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    let port = url
        .split(':')
        .nth(2)
        .and_then(|rest| rest.split('/').next());
    assert!(
        stderr.contains("site database") && stderr.contains(port.expect("port")),
        "{stderr}"
    );
    assert!(stderr.contains("refurbdesk site set"), "{stderr}");
    station
        .run(&["operator", "add", "bob", "--role", "technician"])
        .assert()
        .code(7);
    // Station-local settings stay the station's.
    station
        .run(&["settings", "set", "session.idle_lock_minutes", "10"])
        .assert()
        .success();
}

#[test]
fn a_station_verifies_another_stations_certificate_with_the_sites_keys_and_voids() {
    let url = PgServer::shared().fresh_database();
    let (one, two) = (Station::new(), Station::new());
    // Both databases exist (a pull needs one).
    drop((one.store(), two.store()));
    one.run(&["site", "init", "--site", &url])
        .assert()
        .success();
    for (key, value) in [
        ("organisation.name", "Atelier Reconditionné SAS"),
        ("organisation.address", "12 rue de l'Industrie, 69007 Lyon"),
        ("organisation.phone", "+33 4 72 00 00 00"),
    ] {
        one.run(&["site", "set", key, value, "--site", &url])
            .assert()
            .success();
    }
    for station in [&one, &two] {
        station
            .run(&["site", "pull", "--site", &url])
            .assert()
            .success();
    }
    // Station one erases an image and certifies it with the organisation the site gave it.
    let image = one.home.path().join("disk.img");
    std::fs::write(&image, vec![0x5a_u8; 1 << 20]).expect("image");
    let erasure = one
        .run(&[
            "erase",
            "--method",
            "random",
            "--yes-erase-image",
            "--json",
            "--target",
        ])
        .arg(&image)
        .assert()
        .success();
    let erasure = json_of(&erasure.get_output().stdout);
    let erasure = erasure["id"].as_str().expect("erasure id").to_owned();
    let out = one.home.path().join("out");
    let issued = one
        .run(&["cert", "issue", "--erasure", &erasure, "--json", "--out"])
        .arg(&out)
        .assert()
        .success();
    let issued = json_of(&issued.get_output().stdout);
    let id = issued["id"].as_str().expect("id").to_owned();
    let pdf = issued["pdf"].as_str().expect("pdf").to_owned();
    one.run(&["site", "push", "--once", "--site", &url])
        .assert()
        .success();

    // Station two does not know station one's key until it pulls the site's.
    two.run(&["cert", "verify", &pdf]).assert().code(1);
    let pulled = two
        .run(&["site", "pull", "--json", "--site", &url])
        .assert()
        .success();
    assert_eq!(json_of(&pulled.get_output().stdout)["keys_added"], 1);
    two.run(&["cert", "verify", &pdf]).assert().success();

    // Voided at station one: station two learns it from the site.
    one.run(&["cert", "void", &id, "--reason", "wrong customer"])
        .assert()
        .success();
    one.run(&["site", "push", "--once", "--site", &url])
        .assert()
        .success();
    let voided = two
        .run(&["--site", &url, "cert", "verify", &pdf])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&voided.get_output().stderr).into_owned();
    assert!(
        stderr.contains("voided") && stderr.contains("wrong customer"),
        "{stderr}"
    );
}
