//! `refurbdesk intake --adb` against `refurbdesk sim adb` through Debian's real adb server (on a
//! private port, killed afterwards), into a real SQLite file.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use crate::support::{json_of, Station};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/adb")
        .join(name)
}

/// `refurbdesk sim adb` on a free port, killed when dropped.
struct SimPhone {
    child: Child,
    address: String,
}

impl SimPhone {
    fn start(name: &str) -> SimPhone {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("refurbdesk"))
            .args(["sim", "adb", "--port", "0", "--device"])
            .arg(fixture(name))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("refurbdesk sim adb starts");
        let mut line = String::new();
        BufReader::new(child.stderr.take().expect("stderr"))
            .read_line(&mut line)
            .expect("the sim says where it listens");
        let address = line
            .split_whitespace()
            .skip_while(|word| *word != "on")
            .nth(1)
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        SimPhone { child, address }
    }
}

impl Drop for SimPhone {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Debian's adb server on a private port with its own home, killed when dropped.
struct AdbServer {
    port: u16,
    home: tempfile::TempDir,
}

impl AdbServer {
    fn start() -> AdbServer {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let server = AdbServer {
            port,
            home: tempfile::tempdir().unwrap(),
        };
        let out = server.adb(&["start-server"]);
        assert!(
            out.status.success(),
            "adb start-server (apt-get install adb)"
        );
        server
    }

    fn adb(&self, args: &[&str]) -> Output {
        Command::new("adb")
            .args(args)
            .env("ANDROID_ADB_SERVER_PORT", self.port.to_string())
            .env("HOME", self.home.path())
            .output()
            .expect("the adb tool runs (apt-get install adb)")
    }

    fn connect(&self, phone: &SimPhone) {
        let out = self.adb(&["connect", &phone.address]);
        let _ = out;
    }
}

impl Drop for AdbServer {
    fn drop(&mut self) {
        let _ = self.adb(&["kill-server"]);
    }
}

fn intakes(station: &Station) -> i64 {
    station
        .raw()
        .query_row("SELECT count(*) FROM intakes", [], |r| r.get(0))
        .unwrap()
}

fn intake_adb(
    station: &Station,
    server: &AdbServer,
    phone: &SimPhone,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    let mut cmd = station.run(&["intake", "--adb", &phone.address]);
    cmd.args(extra)
        .env("ANDROID_ADB_SERVER_PORT", server.port.to_string())
        .env_remove("REFURBDESK_ADB_SERVER");
    cmd.assert()
}

#[test]
fn a_healthy_phone_over_adb_is_recorded_like_a_bench_intake() {
    let station = Station::new();
    let server = AdbServer::start();
    let phone = SimPhone::start("samsung-s21-healthy.txt");
    server.connect(&phone);
    let out = intake_adb(&station, &server, &phone, &["--json"]).success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["bench"]["serial"], "direct-adb");
    assert_eq!(v["bench"]["port"], format!("adb:{}", phone.address));
    assert_eq!(v["device"]["category"], "phone");
    assert_eq!(v["device"]["make"], "Samsung");
    assert_eq!(v["device"]["model"], "SM-G991B");
    assert_eq!(v["device"]["serial"], "R5CR20ABCDE");
    assert_eq!(v["device"]["imei"], "356728114587211");
    assert_eq!(v["device"]["imei_valid"], true);
    assert_eq!(v["battery"]["design_mah"], 4000);
    assert_eq!(v["battery"]["full_mah"], 3880);
    assert_eq!(v["battery"]["cycles"], 212);
    assert_eq!(v["battery"]["soh_pct"], 97.0);
    assert_eq!(v["battery"]["verdict"], "pass");
    assert_eq!(v["lock"]["account"], "none");
    assert_eq!(v["lock"]["activation"], "unlocked");
    assert_eq!(v["lock"]["mdm"], "none");
    assert_eq!(v["lock"]["verdict"], "clear");
    assert!(v["intake_id"].is_string());
    assert_eq!(intakes(&station), 1);
    let evidence: i64 = station
        .raw()
        .query_row("SELECT count(*) FROM intake_evidence", [], |r| r.get(0))
        .unwrap();
    assert!(
        evidence >= 30,
        "every command and output line kept: {evidence}"
    );
}

#[test]
fn worn_locked_enrolled_and_unreadable_phones_get_their_verdicts() {
    let station = Station::new();
    let server = AdbServer::start();
    let cases = [
        ("pixel6-worn.txt", "consumed", "clear"),
        ("xiaomi-google-locked.txt", "pass", "blocked"),
        ("samsung-a52-mdm.txt", "pass", "blocked"),
        ("moto-g60-battery-unreadable.txt", "unknown", "clear"),
    ];
    for (fixture, battery, lock) in cases {
        let phone = SimPhone::start(fixture);
        server.connect(&phone);
        let out = intake_adb(&station, &server, &phone, &["--json"]).success();
        let v = json_of(&out.get_output().stdout);
        assert_eq!(v["battery"]["verdict"], battery, "{fixture}: {v}");
        assert_eq!(v["lock"]["verdict"], lock, "{fixture}: {v}");
        if fixture.starts_with("moto") {
            assert_eq!(v["battery"]["soh_pct"], serde_json::Value::Null);
            assert_eq!(v["battery"]["design_mah"], serde_json::Value::Null);
        }
        if fixture.starts_with("xiaomi") {
            assert_eq!(v["lock"]["account"], "google");
            assert_eq!(v["lock"]["activation"], "locked");
        }
        if fixture.starts_with("samsung-a52") {
            assert_eq!(v["lock"]["mdm"], "enrolled");
        }
    }
    assert_eq!(intakes(&station), 4);
}

#[test]
fn an_unauthorised_phone_says_to_accept_the_prompt_and_records_nothing() {
    let station = Station::new();
    let server = AdbServer::start();
    let phone = SimPhone::start("samsung-s10-unauthorized.txt");
    server.connect(&phone);
    intake_adb(&station, &server, &phone, &["--lang", "en"])
        .code(7)
        .stderr(predicates::str::contains(
            "accept the USB debugging prompt on the phone",
        ));
    intake_adb(&station, &server, &phone, &["--lang", "fr"])
        .code(7)
        .stderr(predicates::str::contains(
            "acceptez l'invite de débogage USB sur le téléphone",
        ));
    assert_eq!(intakes(&station), 0);
}

#[test]
fn a_phone_unplugged_mid_read_records_nothing() {
    let station = Station::new();
    let server = AdbServer::start();
    let phone = SimPhone::start("samsung-s21-unplugged.txt");
    server.connect(&phone);
    intake_adb(&station, &server, &phone, &["--lang", "en"])
        .code(4)
        .stderr(predicates::str::contains("went away during the reading"));
    assert_eq!(intakes(&station), 0);
}

#[test]
fn without_an_adb_server_the_intake_says_how_to_start_one() {
    let station = Station::new();
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    station
        .run(&["intake", "--adb", "R5CR20ABCDE", "--lang", "en"])
        .env("REFURBDESK_ADB_SERVER", format!("127.0.0.1:{port}"))
        .assert()
        .code(3)
        .stderr(predicates::str::contains("no adb server answers"));
    station
        .run(&["intake", "--adb", "R5CR20ABCDE", "--port", "/dev/ttyACM0"])
        .assert()
        .code(2);
}
