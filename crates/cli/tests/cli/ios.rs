//! `refurbdesk intake --ios` where libimobiledevice's tools are not installed: the error names
//! the package, and nothing is recorded. (Reading the tools' recorded outputs is tested in
//! crates/adb and crates/app on fixtures/ios.)

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
