//! `refurbdesk photo add` and `photo list` on the real binary: a phone read by the simulated
//! station, a real PNG file kept in the station's database, and the exit codes of what goes wrong.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const IMEI: &str = "356728114587211";

fn refurbdesk(home: &Path) -> Command {
    let mut cmd = Command::cargo_bin("refurbdesk").unwrap();
    cmd.env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env("REFURBDESK_DB", home.join("station.db"))
        .env("REFURBDESK_LOG", "off")
        .env_remove("REFURBDESK_OPERATOR")
        .env_remove("REFURBDESK_KEYS_DIR");
    cmd
}

fn json_of(cmd: &mut Command) -> Value {
    let output = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&output).unwrap()
}

/// The app's own icon: a real PNG file.
fn png() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/icons/32x32.png")
}

#[test]
fn a_zone_photo_is_added_listed_and_refused_when_not_png_or_jpeg() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    refurbdesk(home)
        .args(["station", "--simulate", "--until-idle"])
        .timeout(std::time::Duration::from_secs(120))
        .assert()
        .success();

    let added = json_of(
        refurbdesk(home)
            .args([
                "photo", "add", "--device", IMEI, "--zone", "screen", "--json",
            ])
            .arg(png()),
    );
    assert_eq!(added["zone"], "screen");
    assert_eq!(added["media_type"], "image/png");
    assert_eq!(added["file_name"], "32x32.png");
    assert_eq!(added["size_bytes"], std::fs::metadata(png()).unwrap().len());
    assert_eq!(added["sha256"].as_str().unwrap().len(), 64);

    refurbdesk(home)
        .args(["photo", "list", "--device", IMEI])
        .assert()
        .success()
        .stdout(predicate::str::contains("screen").and(predicate::str::contains("32x32.png")));
    let listed = json_of(refurbdesk(home).args(["photo", "list", "--device", IMEI, "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["id"], added["id"]);

    // Not a PNG or JPEG, whatever its name: usage, naming the file.
    let gif = home.join("scratch.png");
    std::fs::write(&gif, b"GIF89a\x01\x00\x01\x00").unwrap();
    refurbdesk(home)
        .args(["photo", "add", "--device", IMEI, "--zone", "back"])
        .arg(&gif)
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("scratch.png")
                .and(predicate::str::contains("not a PNG or JPEG")),
        );
    // Not a zone of a phone.
    refurbdesk(home)
        .args(["photo", "add", "--device", IMEI, "--zone", "keyboard"])
        .arg(png())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("screen, back, frame"));
    // No such file, no such device.
    refurbdesk(home)
        .args(["photo", "add", "--device", IMEI, "--zone", "back"])
        .arg(home.join("missing.jpg"))
        .assert()
        .code(4)
        .stderr(predicate::str::contains("missing.jpg"));
    refurbdesk(home)
        .args(["photo", "list", "--device", "000000000000000"])
        .assert()
        .code(4);
    let listed = json_of(refurbdesk(home).args(["photo", "list", "--device", IMEI, "--json"]));
    assert_eq!(
        listed.as_array().unwrap().len(),
        1,
        "nothing refused was kept"
    );
}
