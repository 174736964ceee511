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
