//! Devices read through a real adb server from simulated phones shaped like real ones.

use refurbdesk_adb::android::{read_device, ReadError};
use refurbdesk_domain::{AccountLock, ActivationLock, DeviceCategory, MdmState};

use crate::support::{sim, AdbServer};

fn read(fixture: &str) -> Result<refurbdesk_adb::android::AndroidReading, ReadError> {
    let server = AdbServer::start();
    let device = sim(fixture);
    let serial = server.connect(&device);
    read_device(&server.client(), &serial)
}

#[test]
fn a_healthy_samsung_reads_whole() {
    let reading = read("samsung-s21-healthy.txt").expect("read");
    let id = &reading.identity;
    assert_eq!(id.category, DeviceCategory::Phone);
    assert_eq!(
        (id.make.as_str(), id.model.as_str()),
        ("Samsung", "SM-G991B")
    );
    assert_eq!(id.model_code.as_deref(), Some("o1s"));
    assert_eq!(id.serial.as_deref(), Some("R5CR20ABCDE"));
    assert_eq!(id.imei.as_deref(), Some("356728114587211"));
    assert_eq!(id.imei_valid, Some(true));
    assert_eq!(id.os_version.as_deref(), Some("13"));
    let battery = &reading.battery;
    assert_eq!(
        (battery.full_mah, battery.design_mah),
        (Some(3880), Some(4000))
    );
    assert_eq!(battery.cycles, Some(212));
    assert_eq!(battery.present, Some(true));
    assert_eq!(battery.temp_c, Some(28.4));
    assert_eq!(battery.voltage_mv, Some(4012));
    let lock = reading.lock;
    assert_eq!(lock.account, AccountLock::None);
    assert_eq!(lock.activation, ActivationLock::Unlocked);
    assert_eq!(lock.mdm, MdmState::None);
    // Every command is kept with its output, the serial read first and last.
    assert_eq!(reading.exchanges.len(), 15);
    assert_eq!(reading.exchanges[0].command, "getprop ro.serialno");
    assert_eq!(reading.exchanges[14].output, "R5CR20ABCDE\n");
}

#[test]
fn a_worn_pixel_reads_its_capacity_and_no_imei() {
    let reading = read("pixel6-worn.txt").expect("read");
    assert_eq!(reading.identity.make, "Google");
    assert_eq!(reading.identity.model, "Pixel 6");
    assert_eq!(
        reading.identity.imei, None,
        "Android 14 refuses it: unknown"
    );
    assert_eq!(reading.identity.imei_valid, None);
    assert_eq!(reading.battery.full_mah, Some(3050));
    assert_eq!(reading.battery.design_mah, Some(4614));
    assert_eq!(reading.battery.cycles, Some(1150));
}

#[test]
fn a_xiaomi_signed_in_to_google_is_account_and_activation_locked() {
    let reading = read("xiaomi-google-locked.txt").expect("read");
    assert_eq!(reading.identity.make, "Xiaomi");
    assert_eq!(reading.lock.account, AccountLock::Google);
    assert_eq!(reading.lock.activation, ActivationLock::Locked);
    assert_eq!(reading.lock.mdm, MdmState::None);
}

#[test]
fn a_device_with_an_owner_is_mdm_enrolled() {
    let reading = read("samsung-a52-mdm.txt").expect("read");
    assert_eq!(reading.lock.mdm, MdmState::Enrolled);
    assert_eq!(reading.lock.account, AccountLock::None);
}

#[test]
fn unreadable_battery_files_leave_the_battery_unknown() {
    let reading = read("moto-g60-battery-unreadable.txt").expect("read");
    assert_eq!(reading.identity.make, "Motorola");
    assert_eq!(reading.battery.full_mah, None);
    assert_eq!(reading.battery.design_mah, None);
    assert_eq!(reading.battery.cycles, None);
    assert_eq!(
        reading.battery.present,
        Some(true),
        "dumpsys still says it is there"
    );
}

#[test]
fn a_device_unplugged_mid_read_gives_no_reading() {
    let error = read("samsung-s21-unplugged.txt").expect_err("no reading");
    assert!(matches!(error, ReadError::Unplugged { .. }), "{error}");
}

#[test]
fn a_device_the_server_does_not_know_is_missing() {
    let server = AdbServer::start();
    let error = read_device(&server.client(), "R5CR20NOWHERE").expect_err("missing");
    assert!(matches!(error, ReadError::Missing { .. }), "{error}");
}

#[test]
fn lock_indications_unread_stay_unknown() {
    use refurbdesk_adb::android::lock_reading;
    let unread = lock_reading(None, None, None);
    assert_eq!(unread.account, AccountLock::Unknown);
    assert_eq!(unread.activation, ActivationLock::Unknown);
    assert_eq!(unread.mdm, MdmState::Unknown);
    // Signed out but setup not finished: it may be waiting at the reset protection check.
    let pending = lock_reading(Some(AccountLock::None), Some(false), Some(MdmState::None));
    assert_eq!(pending.activation, ActivationLock::Unknown);
    let samsung = lock_reading(Some(AccountLock::Samsung), Some(true), Some(MdmState::None));
    assert_eq!(samsung.activation, ActivationLock::Locked);
}
