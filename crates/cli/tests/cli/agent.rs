//! `refurbdesk agent` on fixture sysfs trees of laptops, and the workstation recording the intake
//! files it writes with `refurbdesk intake --import`, into a real SQLite file; and the agent
//! serving the laptop as a one-slot bench on a serial line (two real pseudo-terminals joined as
//! a cable), read by the workstation's `intake --port`.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command as StdCommand, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::termios::{cfmakeraw, tcgetattr, tcsetattr, SetArg};
use serde_json::Value;

use crate::support::{json_of, Station};

fn tree(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/sysfs")
        .join(name)
}

/// The agent's intake file of the laptop `name`, written in the station's folder.
fn agent_file(station: &Station, name: &str) -> (PathBuf, serde_json::Value) {
    let file = station.home.path().join(format!("{name}.json"));
    let out = station
        .run(&["--json", "agent", "--out"])
        .arg(&file)
        .arg("--sysfs-root")
        .arg(tree(name))
        .assert()
        .success();
    (file, json_of(&out.get_output().stdout))
}

#[test]
fn laptops_read_by_the_agent_are_recorded_with_their_battery_judged_at_the_workstation() {
    let station = Station::new();
    let (energy, written) = agent_file(&station, "laptop-energy");
    assert_eq!(written["make"], "LENOVO");
    assert_eq!(written["model"], "ThinkPad T14 Gen 1");
    assert_eq!(written["design_mwh"], 50500);
    assert_eq!(written["storage_gb"], 512);
    // The agent needs no database: it runs on the laptop.
    assert!(!station.db.exists());

    let out = station
        .run(&["--json", "intake", "--import"])
        .arg(&energy)
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["bench"]["serial"], "laptop-agent");
    assert_eq!(v["device"]["category"], "laptop");
    assert_eq!(v["device"]["make"], "LENOVO");
    assert_eq!(v["device"]["model"], "ThinkPad T14 Gen 1");
    assert_eq!(v["device"]["serial"], "PF2ABCDE");
    assert_eq!(v["battery"]["design_mwh"], 50500);
    assert_eq!(v["battery"]["full_mwh"], 41210);
    assert_eq!(v["battery"]["cycles"], 318);
    // 41.21 of 50.5 Wh is 81.6 %: under Back Market's 85 %, over its consumed 80 %.
    assert_eq!(v["battery"]["verdict"], "replace");
    // A laptop's accounts and firmware locks are not read: unknown, for an operator to confirm.
    assert_eq!(v["lock"]["verdict"], "unknown");

    let (charge, _) = agent_file(&station, "laptop-charge");
    let out = station
        .run(&["--json", "intake", "--import"])
        .arg(&charge)
        .assert()
        .success();
    let v = json_of(&out.get_output().stdout);
    assert_eq!(v["battery"]["design_mah"], 4000);
    assert_eq!(v["battery"]["full_mah"], 3100);
    assert_eq!(v["battery"]["cycles"], serde_json::Value::Null);
    assert_eq!(v["battery"]["verdict"], "consumed");
    assert_eq!(v["device"]["serial"], serde_json::Value::Null);

    let (none, written) = agent_file(&station, "laptop-no-battery");
    assert_eq!(written["battery"], serde_json::Value::Null);
    let out = station
        .run(&["--json", "intake", "--import"])
        .arg(&none)
        .assert()
        .success();
    assert_eq!(
        json_of(&out.get_output().stdout)["battery"]["verdict"],
        "absent"
    );

    let evidence: i64 = station
        .raw()
        .query_row("SELECT count(*) FROM intake_evidence", [], |r| r.get(0))
        .unwrap();
    assert!(evidence >= 40, "every file read kept: {evidence}");

    station
        .run(&[
            "intake",
            "--import",
            "/nonexistent/laptop.json",
            "--lang",
            "en",
        ])
        .assert()
        .code(4)
        .stderr(predicates::str::contains("there is no intake file"));
    std::fs::write(station.home.path().join("bad.json"), "{\"format\": 1}").unwrap();
    station
        .run(&["intake", "--import"])
        .arg(station.home.path().join("bad.json"))
        .assert()
        .code(8);
}

#[test]
fn an_agent_file_is_recorded_once_and_files_without_a_reading_id_as_they_come() {
    let station = Station::new();
    let (file, _) = agent_file(&station, "laptop-energy");
    let first = station
        .run(&["--json", "intake", "--import"])
        .arg(&file)
        .assert()
        .success();
    let intake_id = json_of(&first.get_output().stdout)["intake_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let intakes = |station: &Station| -> i64 {
        station
            .raw()
            .query_row("SELECT count(*) FROM intakes", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(intakes(&station), 1);

    // The second import of the same file is refused (exit 7), naming the intake; nothing new.
    let again = station
        .run(&["--json", "intake", "--import"])
        .arg(&file)
        .args(["--lang", "en"])
        .assert()
        .code(7)
        .stderr(predicates::str::contains("is already recorded, as intake"))
        .stderr(predicates::str::contains(intake_id.as_str()));
    assert!(again.get_output().stdout.is_empty());
    assert_eq!(intakes(&station), 1);
    station
        .run(&["intake", "--import"])
        .arg(&file)
        .args(["--lang", "fr"])
        .assert()
        .code(7)
        .stderr(predicates::str::contains("est déjà enregistré"));

    // A new reading of the same laptop is a new intake.
    let (second_file, _) = agent_file(&station, "laptop-energy");
    station
        .run(&["intake", "--import"])
        .arg(&second_file)
        .assert()
        .success();
    assert_eq!(intakes(&station), 2);

    // A file written before readings had an id is recorded each time, as it always was.
    let mut old: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert!(old["reading_id"].is_string(), "the agent writes the id");
    old.as_object_mut().unwrap().remove("reading_id");
    let old_file = station.home.path().join("old.json");
    std::fs::write(&old_file, old.to_string()).unwrap();
    for _ in 0..2 {
        station
            .run(&["intake", "--import"])
            .arg(&old_file)
            .assert()
            .success();
    }
    assert_eq!(intakes(&station), 4);
}

/// A null-modem cable: two pseudo-terminals whose masters a thread joins, so that what a
/// program writes on one end (a slave device path) is read on the other, both ways.
struct Cable {
    ends: [PathBuf; 2],
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
    /// Held so both terminals outlive the programs that open and close their ends.
    _slaves: [OwnedFd; 2],
}

impl Cable {
    fn new() -> Cable {
        let pair = || {
            let pty = nix::pty::openpty(None, None).expect("openpty");
            let mut termios = tcgetattr(&pty.slave).expect("tcgetattr");
            cfmakeraw(&mut termios);
            tcsetattr(&pty.slave, SetArg::TCSANOW, &termios).expect("tcsetattr");
            let path = nix::unistd::ttyname(&pty.slave).expect("ttyname");
            (File::from(pty.master), pty.slave, path)
        };
        let (mut a, slave_a, path_a) = pair();
        let (mut b, slave_b, path_b) = pair();
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut buffer = [0u8; 4096];
            while !stopping.load(Ordering::Relaxed) {
                let mut fds = [
                    PollFd::new(a.as_fd(), PollFlags::POLLIN),
                    PollFd::new(b.as_fd(), PollFlags::POLLIN),
                ];
                if poll(&mut fds, PollTimeout::from(50u16)).unwrap_or(0) == 0 {
                    continue;
                }
                let ready =
                    |fd: &PollFd| fd.revents().is_some_and(|r| r.contains(PollFlags::POLLIN));
                let (a_ready, b_ready) = (ready(&fds[0]), ready(&fds[1]));
                if a_ready {
                    if let Ok(count) = a.read(&mut buffer) {
                        let _ = b.write_all(&buffer[..count]);
                    }
                }
                if b_ready {
                    if let Ok(count) = b.read(&mut buffer) {
                        let _ = a.write_all(&buffer[..count]);
                    }
                }
            }
        });
        Cable {
            ends: [path_a, path_b],
            stop,
            thread: Some(thread),
            _slaves: [slave_a, slave_b],
        }
    }
}

impl Drop for Cable {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// `refurbdesk agent --serve-serial PORT --sysfs-root DIR --json`, once it says it serves.
fn serve(station: &Station, port: &Path, sysfs: &Path) -> (Child, BufReader<ChildStdout>) {
    let mut child = StdCommand::new(assert_cmd::cargo::cargo_bin("refurbdesk"))
        .env("XDG_DATA_HOME", station.home.path().join("share"))
        .env("HOME", station.home.path())
        .env("LANG", "C")
        .args(["--json", "agent", "--serve-serial"])
        .arg(port)
        .arg("--sysfs-root")
        .arg(sysfs)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the agent starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let serving: Value = serde_json::from_str(&first).unwrap_or_else(|error| {
        let _ = child.kill();
        let mut stderr = String::new();
        let _ = child.stderr.take().unwrap().read_to_string(&mut stderr);
        panic!("the agent did not start serving ({error}): {first:?} {stderr}")
    });
    assert_eq!(serving["event"], "serving", "{serving}");
    assert_eq!(serving["bench_serial"], "laptop-agent");
    (child, stdout)
}

/// SIGTERM ends the agent cleanly: exit 0 and its summary, the last line.
fn stop(mut child: Child, stdout: BufReader<ChildStdout>) -> Value {
    let status = StdCommand::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let lines: Vec<String> = stdout.lines().map(Result::unwrap).collect();
    let exit = child.wait().unwrap();
    assert!(exit.success(), "{exit:?}, {lines:?}");
    serde_json::from_str(lines.last().expect("a summary")).unwrap()
}

/// The workstation's bench intake of slot 1 at the cable's far end.
fn intake_from_port(station: &Station, port: &Path) -> Value {
    let out = station
        .run(&["--json", "intake", "--slot", "1", "--port"])
        .arg(port)
        .assert()
        .success();
    json_of(&out.get_output().stdout)
}

fn intake_from_file(station: &Station, name: &str) -> Value {
    let (file, _) = agent_file(station, name);
    let out = station
        .run(&["--json", "intake", "--import"])
        .arg(&file)
        .assert()
        .success();
    json_of(&out.get_output().stdout)
}

#[test]
fn a_laptop_served_on_a_serial_cable_is_recorded_as_its_agent_file_is() {
    let station = Station::new();
    let cable = Cable::new();
    let (agent, stdout) = serve(&station, &cable.ends[0], &tree("laptop-energy"));
    let served = intake_from_port(&station, &cable.ends[1]);
    let summary = stop(agent, stdout);
    assert!(summary["hellos"].as_u64().unwrap() >= 1, "{summary}");
    assert!(summary["answered"].as_u64().unwrap() >= 6, "{summary}");

    assert_eq!(served["bench"]["serial"], "laptop-agent");
    assert_eq!(served["bench"]["vendor"], "Refurbdesk");
    assert_eq!(served["slot"], 1);
    assert_eq!(served["tests"], serde_json::json!({}));
    assert_eq!(served["device"]["make"], "LENOVO");
    assert_eq!(served["battery"]["full_mwh"], 41210);
    assert_eq!(served["battery"]["verdict"], "replace");
    assert_eq!(served["lock"]["verdict"], "unknown");

    // The same laptop through its file: the same identity, battery figures and verdicts.
    let imported = intake_from_file(&station, "laptop-energy");
    assert_eq!(served["device"], imported["device"]);
    assert_eq!(served["battery"], imported["battery"]);
    assert_eq!(served["lock"], imported["lock"]);
    assert_eq!(served["device_id"], imported["device_id"], "one device");
}

#[test]
fn an_unreadable_battery_served_on_the_cable_is_recorded_unknown_never_zero() {
    let station = Station::new();
    let cable = Cable::new();
    let (agent, stdout) = serve(&station, &cable.ends[0], &tree("laptop-battery-unreadable"));
    let served = intake_from_port(&station, &cable.ends[1]);
    stop(agent, stdout);
    let battery = &served["battery"];
    assert_eq!(battery["verdict"], "unknown", "{battery}");
    for figure in [
        "design_mwh",
        "full_mwh",
        "design_mah",
        "full_mah",
        "cycles",
        "soh_pct",
    ] {
        assert_eq!(battery[figure], Value::Null, "{figure}: {battery}");
    }
    assert_eq!(served["device"]["model"], "Latitude 7490");
    let imported = intake_from_file(&station, "laptop-battery-unreadable");
    assert_eq!(served["battery"], imported["battery"]);
    assert_eq!(served["device"], imported["device"]);
}

#[test]
fn a_workstation_that_reconnects_reads_the_laptop_as_it_is_now() {
    let station = Station::new();
    let sysfs = station.home.path().join("sys");
    copy_tree(&tree("laptop-energy"), &sysfs);
    let cable = Cable::new();
    let (agent, stdout) = serve(&station, &cable.ends[0], &sysfs);
    let before = intake_from_port(&station, &cable.ends[1]);
    assert_eq!(before["battery"]["full_mwh"], 41210);
    // The battery is swapped while the agent runs; the next HELLO reads sysfs again.
    std::fs::write(
        sysfs.join("class/power_supply/BAT0/energy_full"),
        "48000000\n",
    )
    .unwrap();
    std::fs::write(sysfs.join("class/power_supply/BAT0/cycle_count"), "12\n").unwrap();
    let after = intake_from_port(&station, &cable.ends[1]);
    let summary = stop(agent, stdout);
    assert_eq!(after["battery"]["full_mwh"], 48000);
    assert_eq!(after["battery"]["cycles"], 12);
    assert_eq!(after["battery"]["verdict"], "pass");
    assert!(summary["hellos"].as_u64().unwrap() >= 2, "{summary}");

    // A port that is no serial port is refused before anything is served: exit 3, named.
    station
        .run(&["agent", "--serve-serial"])
        .arg(sysfs.join("class/dmi/id/sys_vendor"))
        .arg("--sysfs-root")
        .arg(&sysfs)
        .assert()
        .code(3)
        .stderr(predicates::str::contains("sys_vendor"))
        .stderr(predicates::str::contains("not a serial port"));
    // Serving and writing a file are one or the other.
    station
        .run(&["agent", "--serve-serial", "/dev/null", "--out"])
        .arg(station.home.path().join("x.json"))
        .assert()
        .code(2);
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}
