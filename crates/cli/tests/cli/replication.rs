//! A running station replicates into its site in the background: attached once by an admin's
//! `site pull`, it pushes while it works and once more as it stops, with no `site push` run.

use refurbdesk_pg_test::PgServer;

use crate::support::{json_of, Station};

#[test]
fn an_attached_station_pushes_what_it_records_while_it_runs() {
    let url = PgServer::shared().fresh_database();
    let station = Station::new();
    drop(station.store());
    station
        .run(&["site", "init", "--site", &url])
        .assert()
        .success();
    station
        .run(&["site", "pull", "--site", &url])
        .assert()
        .success();
    // The connection is kept for the station, readable by its owner only.
    let kept = station.db.with_file_name("site.conn");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(&kept).expect("site.conn").permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);

    // No --site and no REFURBDESK_SITE: the station finds its site by itself.
    let run = station
        .run(&["station", "--simulate", "--until-idle"])
        .env_remove("REFURBDESK_SITE")
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&run.get_output().stdout).into_owned();
    assert!(stdout.contains("replicating to the site"), "{stdout}");
    assert!(
        !stdout.contains(&password_of(&url)),
        "no password shown: {stdout}"
    );

    let head = station.store().audit_head().expect("head");
    assert!(
        head > 12,
        "the station recorded its benches' devices ({head})"
    );
    let status = station
        .run(&["site", "status", "--json", "--site", &url])
        .assert()
        .success();
    let status = json_of(&status.get_output().stdout);
    assert_eq!(status["mark"], head, "{status}");
    assert_eq!(status["behind"], 0, "{status}");
}

#[test]
fn a_running_station_takes_the_sites_changes_without_a_pull() {
    let url = PgServer::shared().fresh_database();
    let station = Station::new();
    drop(station.store());
    station
        .run(&["site", "init", "--site", &url])
        .assert()
        .success();
    station
        .run(&["site", "pull", "--site", &url])
        .assert()
        .success();
    // A site admin registers the floor's operators (the one this station runs as among them)
    // and names the organisation, after the station was attached.
    station
        .run(&["site", "operator", "os-user", "admin", "--site", &url])
        .assert()
        .success();
    station
        .run(&["site", "operator", "amelie", "technician", "--site", &url])
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
    let before = station
        .run(&["operator", "list", "--json"])
        .assert()
        .success();
    assert!(
        !String::from_utf8_lossy(&before.get_output().stdout).contains("amelie"),
        "not yet at the station"
    );

    // The station runs (finding its site by itself) and takes them, with no `site pull`.
    station
        .run(&["station", "--simulate", "--until-idle"])
        .env_remove("REFURBDESK_SITE")
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success();
    let operators = station
        .run(&["operator", "list", "--json"])
        .assert()
        .success();
    let operators = json_of(&operators.get_output().stdout);
    let amelie = operators
        .as_array()
        .and_then(|all| all.iter().find(|operator| operator["name"] == "amelie"))
        .unwrap_or_else(|| panic!("amelie at the station: {operators}"));
    assert_eq!(amelie["role"], "technician");
    let name = station
        .run(&["settings", "get", "organisation.name"])
        .assert()
        .success();
    assert_eq!(
        String::from_utf8_lossy(&name.get_output().stdout).trim(),
        "Refurb & Co"
    );
}

/// The password in a `postgres://user:password@host/db` URL (empty when it has none).
fn password_of(url: &str) -> String {
    url.split("://")
        .nth(1)
        .and_then(|rest| rest.split('@').next())
        .and_then(|credentials| credentials.split_once(':'))
        .map(|(_, password)| password.to_owned())
        .filter(|password| !password.is_empty())
        .unwrap_or_else(|| "\u{0}".to_owned())
}
