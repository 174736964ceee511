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
        Self::start_with(name, None)
    }

    /// A phone that asks hosts to authenticate, trusting the keys of `adb_keys`.
    fn start_with(name: &str, adb_keys: Option<&Path>) -> SimPhone {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("refurbdesk"));
        command
            .args(["sim", "adb", "--port", "0", "--device"])
            .arg(fixture(name));
        if let Some(keys) = adb_keys {
            command.arg("--adb-keys").arg(keys);
        }
        let mut child = command
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

/// `refurbdesk station --usb --json` on this station's database, with the adb server given and
/// the machine's own USB buses left out; its JSON lines on a pipe.
fn direct_station(station: &Station, server: &AdbServer) -> Child {
    direct_station_at(station, server.port, None)
}

/// [`direct_station`] with the adb server's port (nothing need listen there) and a folder of
/// programs put first on the PATH (libimobiledevice's tools, for one).
pub(crate) fn direct_station_at(
    station: &Station,
    adb_port: u16,
    path_first: Option<&Path>,
) -> Child {
    let path = match path_first {
        Some(folder) => format!(
            "{}:{}",
            folder.display(),
            std::env::var("PATH").unwrap_or_default()
        ),
        None => std::env::var("PATH").unwrap_or_default(),
    };
    Command::new(assert_cmd::cargo::cargo_bin("refurbdesk"))
        .args(["station", "--usb", "--json"])
        .env("PATH", path)
        .env("XDG_DATA_HOME", station.home.path().join("share"))
        .env("HOME", station.home.path())
        .env("USER", "os-user")
        .env_remove("REFURBDESK_OPERATOR")
        .env_remove("REFURBDESK_PIN")
        .env_remove("REFURBDESK_ADB_SERVER")
        .env("LANG", "C")
        .env("REFURBDESK_DB", &station.db)
        .env("ANDROID_ADB_SERVER_PORT", adb_port.to_string())
        .env("REFURBDESK_DIRECT_USB_BUSES", "off")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("refurbdesk station starts")
}

/// A guard, not a measure: a station that never says what a test awaits is stopped after two
/// minutes, and the test fails on its closed output instead of hanging.
pub(crate) struct Watchdog {
    finished: std::sync::mpsc::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl Watchdog {
    pub(crate) fn new(child: &Child) -> Watchdog {
        let pid = child.id().to_string();
        let (finished, guard) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if guard
                .recv_timeout(std::time::Duration::from_secs(120))
                .is_err()
            {
                let _ = Command::new("kill").arg(&pid).status();
            }
        });
        Watchdog { finished, thread }
    }

    pub(crate) fn done(self) {
        let _ = self.finished.send(());
        let _ = self.thread.join();
    }
}

/// The next station event on `lines` that `wanted` accepts .
pub(crate) fn next_event(
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
    wanted: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    for line in lines.by_ref() {
        let line = line.expect("station output");
        let event: serde_json::Value = serde_json::from_str(&line).expect("a JSON line");
        if wanted(&event) {
            return event;
        }
    }
    panic!("the station stopped before the event awaited");
}

#[test]
fn the_station_shows_phones_as_direct_slots_records_each_once_and_empties_a_slot_unplugged() {
    let station = Station::new();
    let server = AdbServer::start();
    let unauthorised = SimPhone::start("samsung-s10-unauthorized.txt");
    let mut phone = SimPhone::start("samsung-s21-healthy.txt");
    server.connect(&unauthorised);
    server.connect(&phone);
    let mut child = direct_station(&station, &server);
    let pid = child.id().to_string();
    let watchdog = Watchdog::new(&child);
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();

    let ready = next_event(&mut lines, |e| {
        e["event"] == "bench_ready" && e["port"] == "usb"
    });
    assert_eq!(ready["serial"], "usb");
    let prompt = next_event(&mut lines, |e| {
        e["event"] == "slot_changed" && e["port"] == "usb" && e["phase"] == "failed"
    });
    assert!(
        prompt["message"]
            .as_str()
            .is_some_and(|m| m.contains("accept the USB debugging prompt on the phone")),
        "{prompt}"
    );
    let recorded = next_event(&mut lines, |e| {
        e["event"] == "intake_recorded" && e["port"] == "usb"
    });
    assert_eq!(recorded["bench"], "usb");
    assert_eq!(recorded["report"]["device"]["serial"], "R5CR20ABCDE");
    assert_eq!(recorded["report"]["battery"]["verdict"], "pass");
    assert_ne!(recorded["slot"], prompt["slot"], "one slot per phone");

    // The phone is unplugged: its slot empties, and nothing more is recorded.
    let _ = phone.child.kill();
    let _ = phone.child.wait();
    let _ = server.adb(&["disconnect", &phone.address]);
    let slot = recorded["slot"].clone();
    next_event(&mut lines, |e| {
        e["event"] == "slot_changed"
            && e["port"] == "usb"
            && e["slot"] == slot
            && e["phase"] == "empty"
    });

    let _ = Command::new("kill").arg(&pid).status();
    let summary = next_event(&mut lines, |e| e["event"] == "summary");
    let _ = child.wait();
    watchdog.done();
    assert_eq!(summary["summary"]["recorded"], 1, "{summary}");
    assert_eq!(intakes(&station), 1, "the phone recorded once");
}

/// `intake --adb HOST:PORT` with no adb server anywhere: the station reads the phone itself,
/// with a key it makes where adb keeps its own.
fn intake_direct(station: &Station, home: &Path, phone: &SimPhone, extra: &[&str]) -> Output {
    let unused = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .unwrap()
        .port();
    let mut cmd = station.run(&["intake", "--adb", &phone.address, "--json"]);
    cmd.args(extra)
        .env("HOME", home)
        .env_remove("ANDROID_USER_HOME")
        // The default server's port, where nothing listens.
        .env("ANDROID_ADB_SERVER_PORT", unused.to_string())
        .env_remove("REFURBDESK_ADB_SERVER");
    cmd.output().expect("refurbdesk runs")
}

#[test]
fn without_an_adb_server_a_phone_is_read_directly_once_its_owner_accepts_the_key() {
    let station = Station::new();
    let home = tempfile::tempdir().unwrap();
    let keys = home.path().join("adb_keys");
    std::fs::write(&keys, "").unwrap();
    // The phone trusts nobody yet; its owner accepts the prompt.
    let phone = SimPhone::start_with("samsung-s21-healthy.txt", Some(&keys));
    let out = intake_direct(&station, home.path(), &phone, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out.stdout);
    assert_eq!(v["bench"]["serial"], "direct-adb");
    assert_eq!(v["bench"]["model"], "direct (no adb server)");
    assert_eq!(v["bench"]["port"], format!("adb:tcp:{}", phone.address));
    assert_eq!(v["device"]["model"], "SM-G991B");
    assert_eq!(v["battery"]["verdict"], "pass");
    assert_eq!(intakes(&station), 1);

    // The key was made where adb keeps its own, and adb's own tool reads it.
    let key = home.path().join(".android/adbkey");
    assert!(key.exists());
    let public = std::fs::read_to_string(home.path().join(".android/adbkey.pub")).unwrap();
    assert!(public.contains(" refurbdesk@"), "{public}");
    let fingerprint = Command::new("openssl")
        .args(["pkey", "-noout", "-in"])
        .arg(&key)
        .status()
        .unwrap();
    assert!(fingerprint.success());

    // Forced direct, a second time: same key, same phone.
    let out = intake_direct(&station, home.path(), &phone, &["--adb-direct"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(intakes(&station), 2);
}

#[test]
fn a_phone_that_never_accepts_the_key_is_refused_and_nothing_is_recorded() {
    let station = Station::new();
    let home = tempfile::tempdir().unwrap();
    let keys = home.path().join("adb_keys");
    std::fs::write(&keys, "").unwrap();
    let phone = SimPhone::start_with("samsung-s10-unauthorized.txt", Some(&keys));
    let out = intake_direct(
        &station,
        home.path(),
        &phone,
        &["--adb-prompt-wait", "1", "--lang", "en"],
    );
    assert_eq!(
        out.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("accept the USB debugging prompt on the phone"),
        "{stderr}"
    );
    assert_eq!(intakes(&station), 0);
}

#[test]
fn a_direct_reading_names_a_bad_key_file_and_a_phone_it_cannot_find() {
    let station = Station::new();
    let home = tempfile::tempdir().unwrap();
    let bad = home.path().join("not-a-key");
    std::fs::write(&bad, "garbage\n").unwrap();
    let phone = SimPhone::start("samsung-s21-healthy.txt");
    let out = intake_direct(
        &station,
        home.path(),
        &phone,
        &[
            "--adb-direct",
            "--adb-key",
            bad.to_str().unwrap(),
            "--lang",
            "en",
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&bad.display().to_string()), "{stderr}");
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), "garbage\n");

    // A USB serial no phone on the buses has.
    let out = station
        .run(&[
            "intake",
            "--adb",
            "NO-SUCH-PHONE",
            "--adb-direct",
            "--lang",
            "en",
        ])
        .env("HOME", home.path())
        .env_remove("ANDROID_USER_HOME")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("NO-SUCH-PHONE"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(intakes(&station), 0);
}
