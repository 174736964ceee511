//! Devices on the workstation's own USB ports as station slots: one more source of slots beside
//! the benches, reported with the same events under the port [`DIRECT_PORT`] (a bench whose
//! serial is also `usb`), so a screen shows them as any slot (`slot-usb-1`, `slot-usb-2`…).
//!
//! Discovery polls, every [`POLL_INTERVAL`], the adb server's device list (`host:devices`) and,
//! less often ([`USB_POLL_EVERY`] polls), the Apple devices usbmuxd sees (libimobiledevice's
//! `idevice_id -l`) and the USB buses through libusb, which finds the phones neither can read
//! (USB debugging off, Apple devices without the tools, no permission). Polling rather
//! than hotplug alone: the adb server has no hotplug to follow over its host protocol, and a
//! listing every second is what `adb devices` costs. Where libusb has hotplug, a device arriving
//! on or leaving the buses also wakes a full listing (buses and usbmuxd) at once
//! ([`usb::watch`]), so an iPhone or a phone without debugging shows without waiting for the
//! slower poll. Each device keeps its slot number while it
//! stays plugged; a slot freed by an unplugged device is given to the next device.
//!
//! A phone with USB debugging accepted is read as `refurbdesk intake --adb` reads it, an iPhone
//! or iPad as `refurbdesk intake --ios` does (its lock verdict stays unknown until an operator
//! confirms it), each on a blocking thread of its own (a slow phone never holds up another slot), and recorded through
//! the same step ([`crate::intake::record_in`]). A phone unplugged during its reading records
//! nothing: the reading sees it go (its serial is read first and last), and a device that
//! leaves the adb server's list stops its reading before anything is recorded.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use refurbdesk_adb::android::{read_device, ReadError};
use refurbdesk_adb::host::{DeviceEntry, HostClient};
use refurbdesk_adb::usb::{self, DirectKind, UsbListing};
use refurbdesk_domain::{BatteryPolicy, Lang};
use refurbdesk_station::{
    OnDuty, SlotPhase, SlotSource, SourceContext, StationEvent, AWAITING_OPERATOR,
};
use refurbdesk_store::Store;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::error::tell;

/// The port (and bench serial) direct devices are shown under.
pub const DIRECT_PORT: &str = "usb";

/// How often the adb server is asked for its devices.
pub const POLL_INTERVAL: Duration = Duration::from_secs(1);

/// The USB buses are listed once every this many polls (libusb opens each device to read its
/// serial number, which is not free).
pub const USB_POLL_EVERY: u32 = 3;

/// How often a phone that fails to be read is tried again while it stays plugged.
pub const READ_ATTEMPTS: u32 = 3;

/// How long each answer of the adb server may take.
const ADB_TIMEOUT: Duration = Duration::from_secs(5);

/// What the direct slots need.
pub(crate) struct DirectOptions {
    pub server: SocketAddr,
    /// Also list the USB buses (off in tests, where the machine's own devices would show).
    pub usb_buses: bool,
    pub poll: Duration,
    pub policy: BatteryPolicy,
    pub operator: OnDuty,
    pub store: Arc<Mutex<Store>>,
}

/// The direct slots as a station source.
pub(crate) fn source(options: DirectOptions) -> SlotSource {
    Box::new(move |context: SourceContext| tokio::spawn(follow(options, context)))
}

/// What a device on the USB ports calls for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sight {
    /// An Android phone whose owner accepted this computer: read it (its adb serial).
    Read { serial: String },
    /// An Apple device usbmuxd lists: read it with libimobiledevice's tools (its UDID).
    ReadIos { udid: String },
    /// An Android phone with USB debugging and no adb server: read it ourselves over USB.
    ReadDirect { bus: u8, address: u8 },
    /// Something the operator must do before it can be read; the slot shows it as a fault.
    Blocked { note: String },
    /// Coming online: the slot shows it as being identified.
    Waiting { note: String },
}

/// Every device seen, by a key that stays the same while it stays plugged: `adb:SERIAL` for
/// what the adb server lists, `ios:UDID` for what usbmuxd lists, `usb:BUS-ADDRESS` for what only
/// libusb sees.
pub(crate) fn sights(
    adb: Option<&[DeviceEntry]>,
    ios: Option<&[String]>,
    buses: Option<&UsbListing>,
    lang: Lang,
) -> BTreeMap<String, Sight> {
    let mut seen = BTreeMap::new();
    for udid in ios.unwrap_or_default() {
        seen.insert(format!("ios:{udid}"), Sight::ReadIos { udid: udid.clone() });
    }
    for entry in adb.unwrap_or_default() {
        let sight = match entry.state.as_str() {
            "device" => Sight::Read {
                serial: entry.serial.clone(),
            },
            "unauthorized" => Sight::Blocked {
                note: tell(lang, "usb-slot-unauthorized", &[]),
            },
            state => Sight::Waiting {
                note: tell(lang, "usb-slot-waiting", &[("state", state)]),
            },
        };
        seen.insert(format!("adb:{}", entry.serial), sight);
    }
    for device in buses.map(|l| l.devices.as_slice()).unwrap_or_default() {
        let vendor = device.vendor.unwrap_or("USB");
        let note = if device.permission_denied && device.vendor.is_some() {
            tell(
                lang,
                "usb-slot-permission",
                &[("rule", crate::direct_usb::UDEV_RULE)],
            )
        } else {
            match device.kind {
                // The adb server lists it (under its serial) when one runs.
                DirectKind::AndroidAdb if adb.is_some() => continue,
                // Without one, the station talks to the phone itself.
                DirectKind::AndroidAdb => {
                    seen.insert(
                        format!("usb:{}-{}", device.bus, device.address),
                        Sight::ReadDirect {
                            bus: device.bus,
                            address: device.address,
                        },
                    );
                    continue;
                }
                // usbmuxd lists it (under its UDID) when libimobiledevice's tools are here.
                DirectKind::AppleUsbmux if ios.is_some() => continue,
                DirectKind::AppleUsbmux => tell(lang, "usb-slot-apple", &[]),
                DirectKind::PhoneWithoutDebugging => {
                    tell(lang, "usb-slot-no-debugging", &[("vendor", vendor)])
                }
                DirectKind::CdcAcmBench | DirectKind::Other => continue,
            }
        };
        seen.insert(
            format!("usb:{}-{}", device.bus, device.address),
            Sight::Blocked { note },
        );
    }
    seen
}

/// One device in its slot.
struct Direct {
    slot: u16,
    /// What the slot last showed (phase and note), not to say it twice.
    shown: Option<(SlotPhase, Option<String>)>,
    reading: Option<JoinHandle<()>>,
    recorded: bool,
    attempts: u32,
    /// Read no more until it is plugged again (failed every attempt, or not recorded).
    given_up: bool,
}

/// How a reading ended.
enum Outcome {
    Recorded(Box<crate::intake::IntakeDone>),
    /// Unplugged, or gone from the adb server, during the reading: nothing recorded.
    Removed(String),
    Unauthorized,
    /// Read, but the database did not take it.
    Unrecorded(String),
    Failed(String),
}

struct Follower {
    options: DirectOptions,
    out: mpsc::UnboundedSender<StationEvent>,
    devices: BTreeMap<String, Direct>,
    announced: bool,
    server_missing_told: bool,
    buses: Option<UsbListing>,
    /// The UDIDs usbmuxd listed last; `None` without libimobiledevice's tools.
    ios: Option<Vec<String>>,
    polls: u32,
}

async fn follow(options: DirectOptions, context: SourceContext) {
    let SourceContext { out, mut stop } = context;
    let (done_tx, mut done_rx) = mpsc::unbounded_channel::<(String, Outcome)>();
    let (wake_tx, mut wake_rx) = mpsc::unbounded_channel::<()>();
    let _hotplug = options
        .usb_buses
        .then(|| {
            usb::watch(move || {
                let _ = wake_tx.send(());
            })
        })
        .flatten();
    let mut ticker = tokio::time::interval(options.poll);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut follower = Follower {
        options,
        out,
        devices: BTreeMap::new(),
        announced: false,
        server_missing_told: false,
        buses: None,
        ios: None,
        polls: 0,
    };
    loop {
        tokio::select! {
            _ = ticker.tick() => follower.poll(&done_tx).await,
            Some(()) = wake_rx.recv() => {
                // One listing for a burst of events (a phone shows several interfaces).
                while wake_rx.try_recv().is_ok() {}
                follower.polls = 0;
                follower.poll(&done_tx).await;
            }
            Some((key, outcome)) = done_rx.recv() => follower.on_done(&key, outcome),
            _ = stop.changed() => {
                if *stop.borrow() { break; }
            }
        }
    }
    for device in follower.devices.values_mut() {
        if let Some(task) = device.reading.take() {
            task.abort();
        }
    }
}

impl Follower {
    async fn poll(&mut self, done: &mpsc::UnboundedSender<(String, Outcome)>) {
        let slow_poll = self.polls.is_multiple_of(USB_POLL_EVERY);
        let list_buses = self.options.usb_buses && slow_poll;
        self.polls = self.polls.wrapping_add(1);
        let server = self.options.server;
        let listed = tokio::task::spawn_blocking(move || {
            let adb = HostClient::new(server, ADB_TIMEOUT).devices();
            let buses = list_buses.then(usb::list);
            let ios = slow_poll.then(crate::ios::list_udids);
            (adb, buses, ios)
        })
        .await;
        let Ok((adb, buses, ios)) = listed else {
            return;
        };
        if let Some(buses) = buses {
            self.buses = Some(buses);
        }
        if let Some(ios) = ios {
            self.ios = ios;
        }
        let adb = match adb {
            Ok(list) => {
                self.server_missing_told = false;
                Some(list)
            }
            Err(error) => {
                if !self.server_missing_told {
                    self.server_missing_told = true;
                    tracing::info!(%error, "direct USB slots: no adb server to list phones");
                }
                None
            }
        };
        let seen = sights(
            adb.as_deref(),
            self.ios.as_deref(),
            self.buses.as_ref(),
            Lang::En,
        );

        // Gone: its reading stops before anything is recorded, its slot is empty.
        let gone: Vec<String> = self
            .devices
            .keys()
            .filter(|key| !seen.contains_key(*key))
            .cloned()
            .collect();
        for key in gone {
            if let Some(mut device) = self.devices.remove(&key) {
                if let Some(task) = device.reading.take() {
                    task.abort();
                }
                self.show(&mut device, SlotPhase::Empty, None);
            }
        }

        for (key, sight) in seen {
            if !self.announced {
                self.announced = true;
                let _ = self.out.send(StationEvent::BenchReady {
                    port: DIRECT_PORT.to_owned(),
                    serial: DIRECT_PORT.to_owned(),
                    vendor: "Refurbdesk".to_owned(),
                    model: "direct USB".to_owned(),
                    slots: 0,
                });
            }
            let slot = self.slot_for(&key);
            let mut device = self.devices.remove(&key).unwrap_or(Direct {
                slot,
                shown: None,
                reading: None,
                recorded: false,
                attempts: 0,
                given_up: false,
            });
            match sight {
                Sight::Read { serial } => {
                    let busy = device.reading.is_some();
                    if !busy && !device.recorded && !device.given_up {
                        self.start_reading(&key, &mut device, Target::Adb(serial), done);
                    }
                }
                Sight::ReadIos { udid } => {
                    let busy = device.reading.is_some();
                    if !busy && !device.recorded && !device.given_up {
                        self.start_reading(&key, &mut device, Target::Ios(udid), done);
                    }
                }
                Sight::ReadDirect { bus, address } => {
                    let busy = device.reading.is_some();
                    if !busy && !device.recorded && !device.given_up {
                        let target = Target::Direct { bus, address };
                        self.start_reading(&key, &mut device, target, done);
                    }
                }
                Sight::Blocked { note } => {
                    device.recorded = false;
                    self.show(&mut device, SlotPhase::Failed, Some(note));
                }
                Sight::Waiting { note } => {
                    device.recorded = false;
                    self.show(&mut device, SlotPhase::Identifying, Some(note));
                }
            }
            self.devices.insert(key, device);
        }
    }

    /// The slot number of `key`: its own while it stays, else the lowest one free.
    fn slot_for(&self, key: &str) -> u16 {
        if let Some(device) = self.devices.get(key) {
            return device.slot;
        }
        (1..=u16::MAX)
            .find(|n| self.devices.values().all(|d| d.slot != *n))
            .unwrap_or(u16::MAX)
    }

    fn show(&self, device: &mut Direct, phase: SlotPhase, message: Option<String>) {
        let shown = Some((phase, message.clone()));
        if device.shown == shown {
            return;
        }
        device.shown = shown;
        let _ = self.out.send(slot_changed(device.slot, phase, message));
    }

    fn start_reading(
        &self,
        key: &str,
        device: &mut Direct,
        target: Target,
        done: &mpsc::UnboundedSender<(String, Outcome)>,
    ) {
        device.attempts += 1;
        // The task moves the slot on itself; the next phase shown here must be said.
        device.shown = None;
        let slot = device.slot;
        let _ = self
            .out
            .send(slot_changed(slot, SlotPhase::Identifying, None));
        let (server, policy) = (self.options.server, self.options.policy.clone());
        let (operator, store) = (self.options.operator.clone(), self.options.store.clone());
        let (out, done, key) = (self.out.clone(), done.clone(), key.to_owned());
        device.reading = Some(tokio::spawn(async move {
            let outcome =
                read_and_record(server, target, policy, operator, store, slot, &out).await;
            let _ = done.send((key, outcome));
        }));
    }

    fn on_done(&mut self, key: &str, outcome: Outcome) {
        let Some(mut device) = self.devices.remove(key) else {
            return;
        };
        device.reading = None;
        let slot = device.slot;
        match outcome {
            Outcome::Recorded(done) => {
                device.recorded = true;
                device.shown = Some((SlotPhase::Recorded, None));
                let _ = self.out.send(StationEvent::IntakeRecorded {
                    port: DIRECT_PORT.to_owned(),
                    bench: DIRECT_PORT.to_owned(),
                    slot,
                    report: Box::new(done.report),
                });
            }
            Outcome::Removed(error) => {
                let _ = self.out.send(failed(slot, error, false, true, false));
                // Still listed (plugged straight back in): read it again at the next poll.
                device.attempts = 0;
            }
            Outcome::Unauthorized => {
                let note = tell(Lang::En, "usb-slot-unauthorized", &[]);
                self.show(&mut device, SlotPhase::Failed, Some(note));
            }
            Outcome::Unrecorded(error) => {
                device.given_up = true;
                let _ = self.out.send(failed(slot, error, false, false, true));
                device.shown = Some((SlotPhase::Failed, None));
            }
            Outcome::Failed(error) => {
                let again = device.attempts < READ_ATTEMPTS;
                let _ = self
                    .out
                    .send(failed(slot, error.clone(), again, false, false));
                if !again {
                    device.given_up = true;
                    let attempts = device.attempts.to_string();
                    let note = tell(
                        Lang::En,
                        "usb-slot-gave-up",
                        &[("attempts", &attempts), ("reason", &error)],
                    );
                    self.show(&mut device, SlotPhase::Failed, Some(note));
                }
            }
        }
        self.devices.insert(key.to_owned(), device);
    }
}

fn slot_changed(slot: u16, phase: SlotPhase, message: Option<String>) -> StationEvent {
    StationEvent::SlotChanged {
        port: DIRECT_PORT.to_owned(),
        bench: Some(DIRECT_PORT.to_owned()),
        slot,
        phase,
        message,
    }
}

fn failed(
    slot: u16,
    error: String,
    will_retry: bool,
    removed: bool,
    unrecorded: bool,
) -> StationEvent {
    StationEvent::IntakeFailed {
        port: DIRECT_PORT.to_owned(),
        bench: Some(DIRECT_PORT.to_owned()),
        slot,
        error,
        will_retry,
        removed,
        unrecorded,
    }
}

/// What a slot reads: an Android phone through the adb server, an Apple device through
/// libimobiledevice's tools.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Adb(String),
    Ios(String),
    /// A phone's ADB interface on USB, read without the adb server.
    Direct {
        bus: u8,
        address: u8,
    },
}

/// How long a slot's direct reading waits for the owner to accept the prompt before it says so
/// (and tries again at the next poll, the prompt still on the phone's screen).
const DIRECT_PROMPT_WAIT: Duration = Duration::from_secs(20);

/// Reads an Android phone over its USB interface with the workstation's key, without the adb
/// server.
fn read_usb_direct(
    bus: u8,
    address: u8,
    policy: &BatteryPolicy,
) -> Result<refurbdesk_station::IntakeReading, Outcome> {
    let started_at = Utc::now();
    let key = crate::adb::workstation_key(None, Lang::En)
        .map_err(|error| Outcome::Failed(error.message))?;
    let target = crate::adb::DirectTarget::Usb { bus, address };
    let timeouts = refurbdesk_adb::direct::Timeouts {
        answer: ADB_TIMEOUT,
        prompt: DIRECT_PROMPT_WAIT,
    };
    match crate::adb::read_direct_target(&target, &key, timeouts, Lang::En) {
        Ok(android) => Ok(crate::adb::intake_reading(
            android,
            crate::adb::direct_bench(),
            started_at,
            policy,
        )),
        Err(failure) if failure.unauthorized => Err(Outcome::Unauthorized),
        Err(failure) if failure.removed => Err(Outcome::Removed(failure.error.message)),
        Err(failure) => Err(Outcome::Failed(failure.error.message)),
    }
}

/// Reads an Apple device with libimobiledevice's tools; a device no longer listed by usbmuxd
/// when the reading ends was unplugged during it, and nothing of it is kept.
fn read_ios(
    udid: &str,
    policy: &BatteryPolicy,
) -> Result<refurbdesk_station::IntakeReading, Outcome> {
    let reading = crate::ios::read(udid, policy, Lang::En).map_err(|error| {
        if still_listed(udid) {
            Outcome::Failed(error.message)
        } else {
            Outcome::Removed(format!("{udid} was unplugged during its reading"))
        }
    })?;
    if !still_listed(udid) {
        return Err(Outcome::Removed(format!(
            "{udid} was unplugged during its reading"
        )));
    }
    Ok(reading)
}

fn still_listed(udid: &str) -> bool {
    crate::ios::list_udids().is_some_and(|udids| udids.iter().any(|listed| listed == udid))
}

/// Reads the device on a blocking thread, waits for an operator on duty, records the reading.
async fn read_and_record(
    server: SocketAddr,
    target: Target,
    policy: BatteryPolicy,
    operator: OnDuty,
    store: Arc<Mutex<Store>>,
    slot: u16,
    out: &mpsc::UnboundedSender<StationEvent>,
) -> Outcome {
    let read = tokio::task::spawn_blocking(move || {
        let serial = match target {
            Target::Ios(udid) => return read_ios(&udid, &policy),
            Target::Direct { bus, address } => return read_usb_direct(bus, address, &policy),
            Target::Adb(serial) => serial,
        };
        let client = HostClient::new(server, ADB_TIMEOUT);
        let started_at = Utc::now();
        let version = client
            .version()
            .map_err(|error| crate::adb::host_error(&error, server, Lang::En))
            .map_err(|error| Outcome::Failed(error.message))?;
        match read_device(&client, &serial) {
            Ok(android) => Ok(crate::adb::intake_reading(
                android,
                (format!("adb server {server}"), version.to_string()),
                started_at,
                &policy,
            )),
            Err(ReadError::Unauthorized { .. }) => Err(Outcome::Unauthorized),
            Err(error @ (ReadError::Unplugged { .. } | ReadError::Missing { .. })) => {
                let error = crate::adb::read_error(error, server, Lang::En);
                Err(Outcome::Removed(error.message))
            }
            Err(error) => Err(Outcome::Failed(
                crate::adb::read_error(error, server, Lang::En).message,
            )),
        }
    })
    .await;
    let reading = match read {
        Ok(Ok(reading)) => reading,
        Ok(Err(outcome)) => return outcome,
        Err(join) => return Outcome::Failed(format!("the reading stopped: {join}")),
    };
    if operator.current().is_none() {
        let _ = out.send(slot_changed(
            slot,
            SlotPhase::Intake,
            Some(AWAITING_OPERATOR.to_owned()),
        ));
    } else {
        let _ = out.send(slot_changed(slot, SlotPhase::Intake, None));
    }
    let operator = operator.wait().await;
    let stored = tokio::task::spawn_blocking(move || {
        let mut store = store.lock().unwrap_or_else(|p| p.into_inner());
        crate::intake::record_in(&mut store, &reading, &operator, Lang::En)
    })
    .await;
    match stored {
        Ok(Ok(done)) => Outcome::Recorded(Box::new(done)),
        Ok(Err(error)) => Outcome::Unrecorded(error.message),
        Err(join) => Outcome::Unrecorded(format!("recording stopped: {join}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use refurbdesk_adb::usb::{classify, InterfaceClass, UsbDevice};

    fn entry(serial: &str, state: &str) -> DeviceEntry {
        DeviceEntry {
            serial: serial.into(),
            state: state.into(),
        }
    }

    fn device(address: u8, vendor_id: u16, interfaces: Vec<InterfaceClass>) -> UsbDevice {
        UsbDevice {
            bus: 1,
            address,
            vendor_id,
            product_id: 0x6860,
            vendor: usb::vendor_name(vendor_id),
            kind: classify(vendor_id, &interfaces),
            interfaces,
            serial: Some(format!("SER{address}")),
            product: None,
            permission_denied: false,
        }
    }

    #[test]
    fn phones_are_read_accepted_only_and_unauthorised_ones_say_what_to_do() {
        let adb = [
            entry("R5CR20", "device"),
            entry("127.0.0.1:5555", "unauthorized"),
            entry("ZY22", "offline"),
        ];
        let seen = sights(Some(&adb), None, None, Lang::En);
        assert_eq!(
            seen["adb:R5CR20"],
            Sight::Read {
                serial: "R5CR20".into()
            }
        );
        let Sight::Blocked { note } = &seen["adb:127.0.0.1:5555"] else {
            panic!("{seen:?}")
        };
        assert!(note.contains("accept the USB debugging prompt"), "{note}");
        assert!(matches!(&seen["adb:ZY22"], Sight::Waiting { note } if note.contains("offline")));
    }

    #[test]
    fn the_buses_add_the_phones_the_adb_server_cannot_read() {
        let buses = UsbListing {
            devices: vec![
                device(3, 0x04e8, vec![InterfaceClass::ADB]),
                device(4, 0x05ac, vec![InterfaceClass::APPLE_USBMUX]),
                // A Pixel offering only MTP: USB debugging is off.
                device(
                    5,
                    0x18d1,
                    vec![InterfaceClass {
                        class: 0x06,
                        subclass: 0x01,
                        protocol: 0x01,
                    }],
                ),
                device(6, 0x046d, vec![]),
            ],
            unavailable: None,
        };
        // With an adb server, the ADB phone is its (listed under its serial); a keyboard is no slot.
        let seen = sights(Some(&[]), None, Some(&buses), Lang::En);
        assert_eq!(
            seen.keys().collect::<Vec<_>>(),
            vec!["usb:1-4", "usb:1-5"],
            "{seen:?}"
        );
        assert!(
            matches!(&seen["usb:1-5"], Sight::Blocked { note } if note.contains("Google") && note.contains("USB debugging"))
        );
        // Without one, the station reads the ADB phone itself.
        let seen = sights(None, None, Some(&buses), Lang::Fr);
        assert_eq!(
            seen["usb:1-3"],
            Sight::ReadDirect { bus: 1, address: 3 },
            "{seen:?}"
        );
        // With libimobiledevice's tools, the Apple device is usbmuxd's (read under its UDID).
        let udids = ["00008101-000A1B2C3D4E001E".to_owned()];
        let seen = sights(Some(&[]), Some(&udids), Some(&buses), Lang::En);
        assert_eq!(
            seen.keys().collect::<Vec<_>>(),
            vec!["ios:00008101-000A1B2C3D4E001E", "usb:1-5"],
            "{seen:?}"
        );
        assert_eq!(
            seen["ios:00008101-000A1B2C3D4E001E"],
            Sight::ReadIos {
                udid: udids[0].clone()
            }
        );
    }
}
