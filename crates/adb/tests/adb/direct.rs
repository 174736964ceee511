//! Reading a phone without the adb server: our own half of the device protocol, with the
//! workstation's key, against simulated phones that ask for it as real ones do.

use std::time::Duration;

use refurbdesk_adb::android::{read_direct, ReadError};
use refurbdesk_adb::direct::{Authentication, DirectDevice, DirectError, TcpLink, Timeouts};
use refurbdesk_adb::key::{AdbKey, AndroidPublicKey, KeyError};
use refurbdesk_adb::sim::SimDevice;

use crate::support::{key, secure_sim, sim};

fn link(device: &SimDevice) -> TcpLink {
    TcpLink::connect(device.address(), Duration::from_secs(5)).expect("the sim accepts")
}

fn quick() -> Timeouts {
    Timeouts {
        answer: Duration::from_secs(5),
        prompt: Duration::from_millis(400),
    }
}

#[test]
fn a_phone_that_asks_nothing_is_read_like_through_the_server() {
    let device = sim("samsung-s21-healthy.txt");
    let station = key("station-adbkey");
    let mut phone =
        DirectDevice::connect(link(&device), &station, "bench@station", quick()).expect("online");
    assert_eq!(phone.authentication(), Authentication::NotAsked);
    assert_eq!(phone.banner().get("ro.product.model"), Some("SM-G991B"));

    let reading = read_direct(&mut phone).expect("read");
    assert_eq!(reading.adb_serial, format!("tcp:{}", device.address()));
    assert_eq!(reading.identity.model, "SM-G991B");
    assert_eq!(reading.identity.serial.as_deref(), Some("R5CR20ABCDE"));
    assert_eq!(reading.battery.cycles, Some(212));
    // Every command of a reading, the serial twice.
    assert_eq!(reading.exchanges.len(), 15);
    assert_eq!(device.stats().commands_answered, 15);
}

#[test]
fn a_phone_that_trusts_the_key_lets_it_sign_in_without_a_prompt() {
    let station = key("station-adbkey");
    let device = secure_sim("samsung-s10-unauthorized.txt", &[&station]);
    let mut phone =
        DirectDevice::connect(link(&device), &station, "bench@station", quick()).expect("online");
    assert_eq!(phone.authentication(), Authentication::Signature);
    assert_eq!(device.signed_in(), 1);
    assert!(device.offered_keys().is_empty(), "no prompt was raised");
    let output = phone.shell("getprop ro.product.model").expect("shell");
    assert!(!output.is_empty());
}

#[test]
fn a_phone_whose_owner_accepts_the_prompt_trusts_the_key_from_then_on() {
    let station = key("station-adbkey");
    let device = secure_sim("samsung-s21-healthy.txt", &[]);
    let phone =
        DirectDevice::connect(link(&device), &station, "bench@station", quick()).expect("online");
    assert_eq!(phone.authentication(), Authentication::Accepted);
    assert_eq!(
        device.offered_keys(),
        vec![station.public_key_line("bench@station")]
    );
    drop(phone);

    // The next connection signs in with the same key, with no prompt.
    let mut again =
        DirectDevice::connect(link(&device), &station, "bench@station", quick()).expect("online");
    assert_eq!(again.authentication(), Authentication::Signature);
    assert_eq!(device.offered_keys().len(), 1);
    let reading = read_direct(&mut again).expect("read");
    assert_eq!(reading.identity.model, "SM-G991B");
}

#[test]
fn a_phone_whose_owner_never_answers_is_unauthorised_and_nothing_is_read() {
    let station = key("station-adbkey");
    let stranger = key("stranger-adbkey");
    // The phone trusts another computer only.
    let device = secure_sim("samsung-s10-unauthorized.txt", &[&stranger]);
    let started = std::time::Instant::now();
    let error = DirectDevice::connect(link(&device), &station, "bench@station", quick())
        .err()
        .expect("refused");
    assert!(matches!(error, DirectError::Unauthorized { .. }), "{error}");
    assert!(
        error
            .to_string()
            .contains("accept the USB debugging prompt on the phone"),
        "{error}"
    );
    // It waited for the owner as long as it was told, no longer.
    assert!(started.elapsed() < Duration::from_secs(4));
    assert_eq!(device.offered_keys().len(), 1);
    assert_eq!(device.signed_in(), 0);
    assert_eq!(device.stats().commands_answered, 0);

    let reading_error: ReadError = error.into();
    assert!(matches!(reading_error, ReadError::Unauthorized { .. }));
}

#[test]
fn a_phone_unplugged_during_a_direct_reading_records_nothing() {
    let device = sim("samsung-s21-unplugged.txt");
    let station = key("station-adbkey");
    let mut phone =
        DirectDevice::connect(link(&device), &station, "bench@station", quick()).expect("online");
    let error = read_direct(&mut phone).expect_err("unplugged");
    assert!(matches!(error, ReadError::Unplugged { .. }), "{error}");
    assert!(device.stats().unplugged);
}

#[test]
fn a_phone_that_goes_silent_times_out_with_what_it_was_doing() {
    // A listener that accepts and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = silent.local_addr().unwrap();
    let link = TcpLink::connect(address, Duration::from_secs(1)).unwrap();
    let station = key("station-adbkey");
    let error = DirectDevice::connect(
        link,
        &station,
        "bench@station",
        Timeouts {
            answer: Duration::from_millis(300),
            prompt: Duration::from_secs(1),
        },
    )
    .err()
    .expect("silent");
    assert!(
        matches!(
            error,
            DirectError::Timeout {
                waiting_for: "connecting",
                ..
            }
        ),
        "{error}"
    );
    assert!(error.to_string().contains(&address.to_string()), "{error}");
}

#[test]
fn a_key_is_made_where_adb_keeps_it_and_read_back_by_openssl() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".android").join("adbkey");
    let (made, created) = AdbKey::load_or_create(&path, "bench@station").expect("made");
    assert!(created);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let public = std::fs::read_to_string(dir.path().join(".android/adbkey.pub")).unwrap();
    assert_eq!(public.trim_end(), made.public_key_line("bench@station"));
    let parsed = AndroidPublicKey::parse(&public).expect("the .pub line parses");
    assert_eq!(parsed.name(), "bench@station");

    let (loaded, created) = AdbKey::load_or_create(&path, "other@name").expect("loaded");
    assert!(!created);
    assert_eq!(
        loaded.public_key_line("x"),
        made.public_key_line("x"),
        "the same key read back"
    );
    let token = [0x5a; 20];
    assert!(parsed.verifies(&token, &loaded.sign_token(&token).unwrap()));

    // OpenSSL reads it as a 2048-bit RSA private key.
    let openssl = std::process::Command::new("openssl")
        .args(["pkey", "-in"])
        .arg(&path)
        .args(["-noout", "-text"])
        .output()
        .expect("openssl runs");
    assert!(openssl.status.success());
    assert!(String::from_utf8_lossy(&openssl.stdout).contains("2048 bit"));
}

#[test]
fn a_file_that_is_not_a_key_is_named_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("adbkey");
    std::fs::write(&path, "not a key\n").unwrap();
    let error = AdbKey::load_or_create(&path, "x").expect_err("refused");
    assert!(matches!(error, KeyError::NotAKey { .. }), "{error}");
    assert!(error.to_string().contains(&path.display().to_string()));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a key\n");
}
