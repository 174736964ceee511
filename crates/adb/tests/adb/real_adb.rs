//! The simulated device is protocol-true: Debian's real `adb` tool connects to it and runs shell
//! commands on it, and our host client reads it through the same server.

use crate::support::{sim, AdbServer};

#[test]
fn the_real_adb_tool_connects_and_runs_shell_commands_on_the_simulator() {
    let server = AdbServer::start();
    let device = sim("samsung-s21-healthy.txt");
    let serial = server.connect(&device);
    let waited = server.adb(&["-s", &serial, "wait-for-device"]);
    assert!(
        waited.status.success(),
        "{}",
        String::from_utf8_lossy(&waited.stderr)
    );

    let model = server.adb(&["-s", &serial, "shell", "getprop", "ro.product.model"]);
    assert!(
        model.status.success(),
        "{}",
        String::from_utf8_lossy(&model.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&model.stdout).trim(), "SM-G991B");

    let listed = String::from_utf8_lossy(&server.adb(&["devices", "-l"]).stdout).into_owned();
    assert!(
        listed.contains(&serial) && listed.contains("model:SM_G991B"),
        "{listed}"
    );

    // Our client, through the same server.
    let client = server.client();
    assert!(client.version().expect("host:version") >= 31);
    let devices = client.devices().expect("host:devices");
    assert!(
        devices
            .iter()
            .any(|d| d.serial == serial && d.state == "device"),
        "{devices:?}"
    );
    let cycles = client
        .shell(&serial, "cat /sys/class/power_supply/battery/cycle_count")
        .expect("shell");
    assert_eq!(cycles, b"212\n");
    assert_eq!(client.state(&serial).expect("get-state"), "device");
    assert!(device.stats().commands_answered >= 2);
}

#[test]
fn the_real_adb_tool_sees_an_unauthorised_device_as_unauthorized() {
    let server = AdbServer::start();
    let device = sim("samsung-s10-unauthorized.txt");
    let serial = device.address().to_string();
    // adb 29 says "failed to authenticate" or "connected", depending on how far it got.
    let _ = server.adb(&["connect", &serial]);
    let client = server.client();
    let error = refurbdesk_adb::android::read_device(&client, &serial).expect_err("refused");
    assert!(
        matches!(
            error,
            refurbdesk_adb::android::ReadError::Unauthorized { .. }
        ),
        "{error}"
    );
    let shell = server.adb(&["-s", &serial, "shell", "getprop", "ro.serialno"]);
    assert!(!shell.status.success());
    assert!(
        String::from_utf8_lossy(&shell.stderr).contains("unauthorized"),
        "{}",
        String::from_utf8_lossy(&shell.stderr)
    );
    assert_eq!(device.stats().commands_answered, 0);
}

/// Google's adb, given our fixture key, signs a phone's token; the simulated phone checks the
/// signature against our reading of our own encoding of that key. The phone's owner never
/// answers a prompt here, so only a good signature brings it online.
#[test]
fn the_real_adb_tool_signs_in_with_a_key_in_our_encoding() {
    let pem = crate::support::key_pem("station-adbkey");
    let station = crate::support::key("station-adbkey");
    let server = AdbServer::start_with_key(Some(&pem));
    let device = crate::support::secure_sim("samsung-s10-unauthorized.txt", &[&station]);
    let serial = device.address().to_string();
    let _ = server.adb(&["connect", &serial]);
    let waited = server.adb(&["-s", &serial, "wait-for-device"]);
    assert!(waited.status.success());
    let model = server.adb(&["-s", &serial, "shell", "getprop", "ro.serialno"]);
    assert!(
        model.status.success(),
        "{}",
        String::from_utf8_lossy(&model.stderr)
    );
    assert!(device.signed_in() >= 1);
    assert!(
        device.offered_keys().is_empty(),
        "adb had no need to offer its key"
    );
}

/// What Google's adb offers a phone that does not know its key is, byte for byte, our encoding
/// of the same key: a phone that accepted one accepts the other.
#[test]
fn the_real_adb_tool_offers_the_public_key_exactly_as_we_encode_it() {
    let pem = crate::support::key_pem("station-adbkey");
    let station = crate::support::key("station-adbkey");
    let server = AdbServer::start_with_key(Some(&pem));
    // The phone trusts nobody yet; its owner accepts the prompt.
    let device = crate::support::secure_sim("samsung-s21-healthy.txt", &[]);
    let serial = device.address().to_string();
    // adb 29 says "failed to authenticate" once it has offered its key, before the owner answers.
    let _ = server.adb(&["connect", &serial]);
    let waited = server.adb(&["-s", &serial, "wait-for-device"]);
    assert!(waited.status.success());
    let offered = device.offered_keys();
    assert_eq!(offered.len(), 1, "{offered:?}");
    let ours = station.public_key_line("ignored");
    let (adb_key, _adb_name) = offered[0].split_once(' ').expect("a key and a name");
    let (our_key, _) = ours.split_once(' ').unwrap();
    assert_eq!(adb_key, our_key);
}
