//! Reading an Android device through the adb server: who it is, how worn its battery is, and
//! what locks it. Each figure comes from one shell command whose output is kept as evidence;
//! anything a device does not let us read stays unknown, never guessed.
//!
//! The parsers are pure functions of a command's output, so each is tested on text shaped like
//! real devices' (`fixtures/adb/`).

use std::time::Duration;

use refurbdesk_domain::{
    check_imei, AccountLock, ActivationLock, BatteryReading, CarrierLock, DeviceCategory,
    DeviceIdentity, LockReading, MdmState,
};

use crate::direct::{DirectDevice, DirectError, Link};
use crate::host::{HostClient, HostError};

/// Every command a reading runs, in order (the simulator's transcripts answer these).
pub mod commands {
    pub const SERIAL: &str = "getprop ro.serialno";
    pub const MANUFACTURER: &str = "getprop ro.product.manufacturer";
    pub const MODEL: &str = "getprop ro.product.model";
    pub const DEVICE: &str = "getprop ro.product.device";
    pub const RELEASE: &str = "getprop ro.build.version.release";
    pub const CHARACTERISTICS: &str = "getprop ro.build.characteristics";
    pub const IMEI: &str = "service call iphonesubinfo 1 s16 com.android.shell";
    pub const CHARGE_FULL: &str = "cat /sys/class/power_supply/battery/charge_full";
    pub const CHARGE_FULL_DESIGN: &str = "cat /sys/class/power_supply/battery/charge_full_design";
    pub const CYCLE_COUNT: &str = "cat /sys/class/power_supply/battery/cycle_count";
    pub const DUMPSYS_BATTERY: &str = "dumpsys battery";
    pub const ACCOUNTS: &str = "dumpsys account";
    pub const SETUP_COMPLETE: &str = "settings get secure user_setup_complete";
    pub const OWNERS: &str = "dpm list-owners";
}

/// One command and what the device printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub command: String,
    pub output: String,
}

/// Everything read from one device.
#[derive(Debug, Clone, PartialEq)]
pub struct AndroidReading {
    /// The serial the adb server knows the device by (`127.0.0.1:5555` over TCP).
    pub adb_serial: String,
    pub identity: DeviceIdentity,
    pub battery: BatteryReading,
    pub lock: LockReading,
    /// Each command and its output, in the order run.
    pub exchanges: Vec<Exchange>,
}

/// Why a device was not read (and so nothing may be recorded).
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("the device {serial} has not accepted this computer for USB debugging")]
    Unauthorized { serial: String },
    #[error("no device {serial} is attached to the adb server")]
    Missing { serial: String },
    #[error("the device {serial} went away during the reading")]
    Unplugged { serial: String },
    #[error("the device {serial} did not come online (it stays {state})")]
    NotReady { serial: String, state: String },
    #[error(transparent)]
    Host(HostError),
    #[error(transparent)]
    Direct(DirectError),
}

impl From<DirectError> for ReadError {
    /// A direct connection's failure in terms of the device: one that closes was unplugged.
    fn from(error: DirectError) -> Self {
        match error {
            DirectError::Gone { device } => ReadError::Unplugged { serial: device },
            DirectError::Unauthorized { device } => ReadError::Unauthorized { serial: device },
            other => ReadError::Direct(other),
        }
    }
}

/// What a reading runs its commands through: the adb server, or our own connection.
trait Shell {
    fn run(&mut self, command: &str) -> Result<Vec<u8>, ReadError>;
    /// Whether the device is still online once the last command has run.
    fn still_online(&mut self) -> Result<bool, ReadError>;
}

struct ServerShell<'a> {
    client: &'a HostClient,
    serial: &'a str,
}

impl Shell for ServerShell<'_> {
    fn run(&mut self, command: &str) -> Result<Vec<u8>, ReadError> {
        self.client
            .shell(self.serial, command)
            .map_err(|error| failed_during_reading(self.client, error, self.serial))
    }

    fn still_online(&mut self) -> Result<bool, ReadError> {
        let state = self
            .client
            .state(self.serial)
            .map_err(|e| classify(e, self.serial, true))?;
        Ok(state == "device")
    }
}

impl<L: Link> Shell for DirectDevice<L> {
    fn run(&mut self, command: &str) -> Result<Vec<u8>, ReadError> {
        Ok(self.shell(command)?)
    }

    // A connection that answered the last command is still online: a closed one fails it.
    fn still_online(&mut self) -> Result<bool, ReadError> {
        Ok(true)
    }
}

/// How often and how long a reading waits for a device that is still connecting.
const READY_POLLS: u32 = 50;
const READY_POLL_PAUSE: Duration = Duration::from_millis(100);

/// Reads the device `serial` through the adb server `client` talks to.
///
/// The device's serial is read first and again last: a device that went away (or was swapped)
/// in between gives [`ReadError::Unplugged`], whatever the commands between printed.
pub fn read_device(client: &HostClient, serial: &str) -> Result<AndroidReading, ReadError> {
    wait_ready(client, serial)?;
    read_through(&mut ServerShell { client, serial }, serial)
}

/// Reads a device over our own connection to it ([`DirectDevice`]), without the adb server; the
/// reading's serial is what the link reaches (`tcp:…`, `usb:…`). As [`read_device`], a device
/// that went away or was swapped during the reading gives [`ReadError::Unplugged`].
pub fn read_direct<L: Link>(device: &mut DirectDevice<L>) -> Result<AndroidReading, ReadError> {
    let serial = device.device().to_string();
    read_through(device, &serial)
}

fn read_through(shell: &mut impl Shell, serial: &str) -> Result<AndroidReading, ReadError> {
    let mut exchanges = Vec::new();
    let mut run = |command: &str| -> Result<String, ReadError> {
        let output = shell.run(command)?;
        let output = String::from_utf8_lossy(&output).into_owned();
        exchanges.push(Exchange {
            command: command.to_string(),
            output: output.clone(),
        });
        Ok(output)
    };
    let device_serial = property(&run(commands::SERIAL)?);
    let Some(device_serial) = device_serial else {
        return Err(ReadError::Unplugged {
            serial: serial.to_string(),
        });
    };
    let manufacturer = property(&run(commands::MANUFACTURER)?);
    let model = property(&run(commands::MODEL)?);
    let device = property(&run(commands::DEVICE)?);
    let release = property(&run(commands::RELEASE)?);
    let characteristics = property(&run(commands::CHARACTERISTICS)?);
    let imei = parse_parcel_string(&run(commands::IMEI)?).filter(|s| is_imei_shaped(s));
    let full = parse_micro_amp_hours(&run(commands::CHARGE_FULL)?);
    let design = parse_micro_amp_hours(&run(commands::CHARGE_FULL_DESIGN)?);
    let cycles = parse_count(&run(commands::CYCLE_COUNT)?);
    let dumpsys = parse_dumpsys_battery(&run(commands::DUMPSYS_BATTERY)?);
    let accounts = parse_accounts(&run(commands::ACCOUNTS)?);
    let setup_complete = parse_setup_complete(&run(commands::SETUP_COMPLETE)?);
    let mdm = parse_owners(&run(commands::OWNERS)?);
    let again = property(&run(commands::SERIAL)?);
    if again.as_deref() != Some(device_serial.as_str()) || !shell.still_online()? {
        return Err(ReadError::Unplugged {
            serial: serial.to_string(),
        });
    }

    let category = match characteristics.as_deref() {
        Some(c) if c.split(',').any(|part| part.trim() == "tablet") => DeviceCategory::Tablet,
        _ => DeviceCategory::Phone,
    };
    let make = manufacturer
        .as_deref()
        .map(capitalise)
        .unwrap_or_else(|| "unknown".to_string());
    let mut identity =
        DeviceIdentity::new(category, make, model.unwrap_or_else(|| "unknown".into()));
    identity.model_code = device;
    identity.serial = Some(device_serial);
    identity.os = Some("Android".to_string());
    identity.os_version = release;
    if let Some(imei) = imei {
        let (valid, reason) = check_imei(&imei);
        identity.imei_valid = Some(valid);
        identity.reasons.extend(reason);
        identity.imei = Some(imei);
    }

    let battery = BatteryReading {
        present: dumpsys.present,
        design_mah: design,
        full_mah: full,
        design_mwh: None,
        full_mwh: None,
        cycles,
        soh_pct: None,
        temp_c: dumpsys.temp_c,
        voltage_mv: dumpsys.voltage_mv,
        source: Some("android-sysfs".to_string()),
    };
    let lock = lock_reading(accounts, setup_complete, mdm);
    Ok(AndroidReading {
        adb_serial: serial.to_string(),
        identity,
        battery,
        lock,
        exchanges,
    })
}

/// Waits while the device is still connecting; refuses an unauthorised or absent one.
fn wait_ready(client: &HostClient, serial: &str) -> Result<(), ReadError> {
    let mut state = String::new();
    for poll in 0..READY_POLLS {
        state = client
            .state(serial)
            .map_err(|e| classify(e, serial, false))?;
        match state.as_str() {
            "device" => return Ok(()),
            "unauthorized" => {
                return Err(ReadError::Unauthorized {
                    serial: serial.to_string(),
                })
            }
            // Connecting, authorising, offline for a moment: ask again.
            _ if poll + 1 < READY_POLLS => std::thread::sleep(READY_POLL_PAUSE),
            _ => {}
        }
    }
    Err(ReadError::NotReady {
        serial: serial.to_string(),
        state,
    })
}

/// A command that failed during a reading: if the device is no longer there (or no longer
/// online), it was unplugged, whatever the failure looked like (a refusal, a reset connection).
fn failed_during_reading(client: &HostClient, error: HostError, serial: &str) -> ReadError {
    if error.is_unauthorized() || matches!(error, HostError::NoServer { .. }) {
        return classify(error, serial, true);
    }
    match client.state(serial) {
        Ok(state) if state == "device" => ReadError::Host(error),
        Ok(_) => ReadError::Unplugged {
            serial: serial.to_string(),
        },
        Err(again) if again.is_device_missing() => ReadError::Unplugged {
            serial: serial.to_string(),
        },
        Err(_) => ReadError::Host(error),
    }
}

/// A host error in terms of the device: during a reading, a device that disappears was unplugged.
fn classify(error: HostError, serial: &str, reading: bool) -> ReadError {
    let serial = serial.to_string();
    if error.is_unauthorized() {
        ReadError::Unauthorized { serial }
    } else if error.is_device_missing() {
        if reading {
            ReadError::Unplugged { serial }
        } else {
            ReadError::Missing { serial }
        }
    } else {
        ReadError::Host(error)
    }
}

/// The lock indications, each unknown unless read:
/// - an account of Google, Samsung or Xiaomi signed in locks the device after a reset
///   (Factory Reset Protection, Reactivation Lock, Mi Cloud): account and activation locked;
/// - no such account with setup complete: no activation lock;
/// - setup not complete: the device may be waiting at the reset protection check, unknown;
/// - a device or profile owner is a management (MDM) enrolment.
pub fn lock_reading(
    accounts: Option<AccountLock>,
    setup_complete: Option<bool>,
    mdm: Option<MdmState>,
) -> LockReading {
    let account = accounts.unwrap_or(AccountLock::Unknown);
    let activation = match (account, setup_complete) {
        (AccountLock::Unknown, _) => ActivationLock::Unknown,
        (AccountLock::None, Some(true)) => ActivationLock::Unlocked,
        (AccountLock::None, _) => ActivationLock::Unknown,
        _ => ActivationLock::Locked,
    };
    LockReading {
        activation,
        account,
        mdm: mdm.unwrap_or(MdmState::Unknown),
        carrier: CarrierLock::Unknown,
    }
}

/// A `getprop` answer: the value, `None` when empty.
///
/// ```
/// use refurbdesk_adb::android::property;
/// assert_eq!(property("SM-G991B\r\n"), Some("SM-G991B".to_string()));
/// assert_eq!(property("\n"), None);
/// ```
pub fn property(output: &str) -> Option<String> {
    let value = output.trim();
    (!value.is_empty()).then(|| value.to_string())
}

/// A sysfs capacity in µAh as whole mAh; an error message or zero is unknown.
///
/// ```
/// use refurbdesk_adb::android::parse_micro_amp_hours;
/// assert_eq!(parse_micro_amp_hours("4500000\n"), Some(4500));
/// assert_eq!(parse_micro_amp_hours("cat: /sys/class/power_supply/battery/charge_full: Permission denied\n"), None);
/// assert_eq!(parse_micro_amp_hours("0\n"), None);
/// ```
pub fn parse_micro_amp_hours(output: &str) -> Option<u32> {
    let micro: u64 = output.trim().parse().ok()?;
    let milli = u32::try_from(micro / 1000).ok()?;
    (milli > 0).then_some(milli)
}

/// A whole number alone on its line (`cycle_count`), else unknown.
pub fn parse_count(output: &str) -> Option<u32> {
    output.trim().parse().ok()
}

/// What `dumpsys battery` says that the reading keeps.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct DumpsysBattery {
    pub present: Option<bool>,
    /// In °C (dumpsys says tenths of a degree).
    pub temp_c: Option<f64>,
    pub voltage_mv: Option<u32>,
    pub level_pct: Option<u32>,
}

/// Reads `dumpsys battery`'s `name: value` lines.
///
/// ```
/// use refurbdesk_adb::android::parse_dumpsys_battery;
/// let d = parse_dumpsys_battery("Current Battery Service state:\n  present: true\n  level: 81\n  voltage: 4012\n  temperature: 284\n");
/// assert_eq!(d.present, Some(true));
/// assert_eq!(d.temp_c, Some(28.4));
/// assert_eq!(d.voltage_mv, Some(4012));
/// ```
pub fn parse_dumpsys_battery(output: &str) -> DumpsysBattery {
    let mut reading = DumpsysBattery::default();
    for line in output.lines() {
        let Some((name, value)) = line.trim().split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.trim() {
            "present" => reading.present = value.parse().ok(),
            "temperature" => {
                reading.temp_c = value.parse::<i32>().ok().map(|t| f64::from(t) / 10.0)
            }
            "voltage" => reading.voltage_mv = value.parse().ok(),
            "level" => reading.level_pct = value.parse().ok(),
            _ => {}
        }
    }
    reading
}

/// The account that locks the device, from `dumpsys account`: Google before Samsung before
/// Xiaomi; accounts of other apps lock nothing (`None`); output without an account list is
/// unknown.
///
/// ```
/// use refurbdesk_adb::android::parse_accounts;
/// use refurbdesk_domain::AccountLock;
///
/// let signed_in = "User UserInfo{0:Owner:c13}:\n  Accounts: 2\n    Account {name=a@gmail.com, type=com.google}\n    Account {name=a, type=com.whatsapp}\n";
/// assert_eq!(parse_accounts(signed_in), Some(AccountLock::Google));
/// assert_eq!(parse_accounts("User UserInfo{0:Owner:c13}:\n  Accounts: 0\n"), Some(AccountLock::None));
/// assert_eq!(parse_accounts("Permission Denial: can't dump AccountsManager"), None);
/// ```
pub fn parse_accounts(output: &str) -> Option<AccountLock> {
    if !output
        .lines()
        .any(|l| l.trim_start().starts_with("Accounts:"))
    {
        return None;
    }
    let types: Vec<&str> = output
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("Account {")?;
            let start = rest.find("type=")? + "type=".len();
            let end = rest[start..]
                .find(['}', ','])
                .map_or(rest.len(), |e| start + e);
            Some(rest[start..end].trim())
        })
        .collect();
    let has = |prefixes: &[&str]| {
        types.iter().any(|t| {
            prefixes
                .iter()
                .any(|p| t == p || t.starts_with(&format!("{p}.")))
        })
    };
    Some(if has(&["com.google"]) {
        AccountLock::Google
    } else if has(&["com.osp.app.signin", "com.samsung.android.mobileservice"]) {
        AccountLock::Samsung
    } else if has(&["com.xiaomi"]) {
        AccountLock::Xiaomi
    } else {
        AccountLock::None
    })
}

/// `settings get secure user_setup_complete`: `1` done, `0` not done, else unknown.
pub fn parse_setup_complete(output: &str) -> Option<bool> {
    match output.trim() {
        "1" => Some(true),
        "0" => Some(false),
        _ => None,
    }
}

/// `dpm list-owners`: a device or profile owner is an MDM enrolment; `no owners` is none;
/// anything else (the command missing, an error) is unknown.
///
/// ```
/// use refurbdesk_adb::android::parse_owners;
/// use refurbdesk_domain::MdmState;
///
/// assert_eq!(parse_owners("no owners\n"), Some(MdmState::None));
/// assert_eq!(
///     parse_owners("1 owner:\nUser  0: admin=com.example.mdm/.AdminReceiver,DeviceOwner\n"),
///     Some(MdmState::Enrolled)
/// );
/// assert_eq!(parse_owners("/system/bin/sh: dpm: inaccessible or not found\n"), None);
/// ```
pub fn parse_owners(output: &str) -> Option<MdmState> {
    let text = output.trim();
    if text.eq_ignore_ascii_case("no owners") {
        return Some(MdmState::None);
    }
    let owner = text.lines().any(|line| {
        line.contains("admin=") && (line.contains("DeviceOwner") || line.contains("ProfileOwner"))
    });
    owner.then_some(MdmState::Enrolled)
}

/// The string a binder call returned, from `service call`'s parcel dump: the status word, the
/// string's length in UTF-16 units, then two units per word, low half first. A failed call (an
/// exception status, a null string) is `None`.
///
/// ```
/// use refurbdesk_adb::android::parse_parcel_string;
///
/// let dump = "Result: Parcel(\n  0x00000000: 00000000 0000000f 00350033 00370036 '........3.5.6.7.'\n  0x00000010: 00380032 00310031 00350034 00370038 '2.8.1.1.4.5.8.7.'\n  0x00000020: 00310032 00000032                   '2.1.2...        ')\n";
/// assert_eq!(parse_parcel_string(dump), Some("356728114587212".to_string()));
/// let denied = "Result: Parcel(ffffffff 00000000 '........')\n";
/// assert_eq!(parse_parcel_string(denied), None);
/// ```
pub fn parse_parcel_string(output: &str) -> Option<String> {
    let mut words = Vec::new();
    for line in output.lines() {
        let line = line.split('\'').next().unwrap_or_default();
        for token in line.split_whitespace() {
            let token = token.trim_start_matches("Parcel(").trim_end_matches(')');
            if token.len() == 8 && token.bytes().all(|b| b.is_ascii_hexdigit()) {
                words.push(u32::from_str_radix(token, 16).ok()?);
            }
        }
    }
    let (&status, rest) = words.split_first()?;
    let (&length, units) = rest.split_first()?;
    if status != 0 || length == u32::MAX {
        return None;
    }
    let units: Vec<u16> = units
        .iter()
        .flat_map(|&w| [(w & 0xffff) as u16, (w >> 16) as u16])
        .take(length as usize)
        .collect();
    if units.len() != length as usize {
        return None;
    }
    String::from_utf16(&units).ok()
}

fn is_imei_shaped(text: &str) -> bool {
    text.len() >= 14 && text.len() <= 16 && text.bytes().all(|b| b.is_ascii_digit())
}

/// `samsung` → `Samsung`; names already capitalised stay as they are.
fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
