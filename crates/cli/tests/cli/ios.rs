//! Apple devices over USB: `refurbdesk intake --ios` where libimobiledevice's tools are not
//! installed (the error names the package, nothing is recorded), and the station reading an
//! iPhone in a direct slot through the tools, which replay recorded outputs (fixtures/ios) as no
//! real iPhone is on this machine's cable. (Parsing the outputs is tested in crates/adb and
//! crates/app.)

use crate::support::Station;

#[test]
fn without_libimobiledevice_the_intake_names_the_package_to_install() {
    let station = Station::new();
    let empty = tempfile::tempdir().unwrap();
    station
        .run(&[
            "intake",
            "--ios",
            "00008030-001A2B3C4D5E802E",
            "--lang",
            "en",
        ])
        .env("PATH", empty.path())
        .assert()
        .code(3)
        .stderr(predicates::str::contains("ideviceinfo is not installed"))
        .stderr(predicates::str::contains("libimobiledevice-utils"));
    station
        .run(&["intake", "--ios", "X", "--adb", "Y"])
        .assert()
        .code(2);
}

/// libimobiledevice's three tools as a workstation with one iPhone 15 on its cable would run
/// them, answering from the recorded outputs in fixtures/ios; `idevice_id -l` lists the UDIDs
/// written in `udids` (emptied to unplug the phone).
fn tools(dir: &std::path::Path) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/ios");
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let udids = dir.join("udids");
    for (name, body) in [
        ("idevice_id", format!("cat '{}'", udids.display())),
        (
            "ideviceinfo",
            format!(
                "cat '{}'",
                fixtures.join("iphone15-ios17-info.plist").display()
            ),
        ),
        (
            "idevicediagnostics",
            format!(
                "cat '{}'",
                fixtures.join("iphone15-ios17-battery.plist").display()
            ),
        ),
    ] {
        let path = bin.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    bin
}

#[test]
fn the_station_reads_an_iphone_on_its_cable_in_a_direct_slot_and_empties_it_unplugged() {
    use std::io::{BufRead, BufReader};

    use crate::adb::{direct_station_at, next_event, Watchdog};

    const UDID: &str = "00008120-000A1B2C3D4E5F6A";
    let station = Station::new();
    let dir = tempfile::tempdir().unwrap();
    let bin = tools(dir.path());
    std::fs::write(dir.path().join("udids"), format!("{UDID}\n")).unwrap();
    // No adb server listens there: the station goes on without Android phones.
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = direct_station_at(&station, closed_port, Some(&bin));
    let pid = child.id().to_string();
    let watchdog = Watchdog::new(&child);
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();

    let recorded = next_event(&mut lines, |e| {
        e["event"] == "intake_recorded" && e["port"] == "usb"
    });
    let report = &recorded["report"];
    assert_eq!(report["device"]["serial"], "HX9Q2W3E4R", "{report}");
    // Find My cannot be read over USB: unknown until an operator confirms.
    assert_eq!(report["lock"]["verdict"], "unknown", "{report}");
    assert_eq!(report["battery"]["verdict"], "pass", "{report}");

    // Unplugged: usbmuxd no longer lists it, its slot empties.
    std::fs::write(dir.path().join("udids"), "").unwrap();
    let slot = recorded["slot"].clone();
    next_event(&mut lines, |e| {
        e["event"] == "slot_changed"
            && e["port"] == "usb"
            && e["slot"] == slot
            && e["phase"] == "empty"
    });

    let _ = std::process::Command::new("kill").arg(&pid).status();
    let summary = next_event(&mut lines, |e| e["event"] == "summary");
    let _ = child.wait();
    watchdog.done();
    assert_eq!(summary["summary"]["recorded"], 1, "{summary}");
    let intakes: i64 = station
        .raw()
        .query_row("SELECT count(*) FROM intakes", [], |r| r.get(0))
        .unwrap();
    assert_eq!(intakes, 1, "the iPhone recorded once");
}
