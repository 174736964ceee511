//! An Android phone on a plain USB cable (or on wireless debugging), read through the adb server
//! and recorded as an intake like a bench's: the same identity, battery and lock verdicts, the
//! same report. The adb server is the "bench" (`direct-adb`), the phone's adb serial its port.
//!
//! When no adb server runs (or when asked), the phone is read **directly**: the station opens
//! the phone's ADB interface on USB (or a TCP connection, for wireless debugging) and
//! authenticates with the workstation's ADB key, the one Google's adb keeps in
//! `~/.android/adbkey` (made on first use), so a phone that trusts this computer's adb trusts
//! the station too. A phone that does not know the key shows its "Allow USB debugging?" prompt,
//! and the reading waits for the owner's answer.

use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use chrono::Utc;
use refurbdesk_adb::android::{read_device, read_direct, AndroidReading, ReadError};
use refurbdesk_adb::direct::{DirectDevice, TcpLink, Timeouts, UsbLink};
use refurbdesk_adb::host::{HostClient, HostError, DEFAULT_SERVER_PORT};
use refurbdesk_adb::key::{default_key_path, AdbKey};
use refurbdesk_adb::usb::{self, DirectKind};
use refurbdesk_domain::{assess_battery, assess_lock, CycleLimits, Direction, EvidenceLine, Lang};
use refurbdesk_station::{BenchIdentity, IntakeReading};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::channels::sales_channel;
use crate::error::{tell, Error, ErrorCode, Result};
use crate::intake::{check_timeout_ms, IntakeDone};
use crate::workstation::Workstation;

/// The environment variable adb's own tools read for the server's port.
pub const ADB_PORT_ENV: &str = "ANDROID_ADB_SERVER_PORT";

/// The serial every direct ADB intake records as its bench.
pub const DIRECT_ADB_BENCH: &str = "direct-adb";

/// Which phone to read, through which adb server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdbIntakeParams {
    /// The phone's serial as the adb server lists it (`adb devices`), e.g. R5CR20ABCDE or
    /// 192.168.1.20:5555.
    pub serial: String,
    /// The adb server as host:port; when `None`, 127.0.0.1 on `ANDROID_ADB_SERVER_PORT` or 5037.
    pub server: Option<String>,
    /// The sales channel whose battery threshold applies; the station's when `None`.
    pub channel: Option<String>,
    /// How long to wait for each answer of the adb server, in milliseconds.
    #[ts(type = "number")]
    pub timeout_ms: u64,
    /// Read the phone directly, without the adb server, even when one runs. With `false`, the
    /// phone is read directly only when no adb server answers on the default address.
    #[serde(default)]
    pub direct: bool,
    /// The workstation's ADB key for direct reading; `None` is where adb keeps its own
    /// (`$ANDROID_USER_HOME/adbkey`, else `~/.android/adbkey`), made there on first use.
    #[serde(default)]
    pub key: Option<String>,
    /// How long a direct reading waits for the phone's owner to accept the prompt, in
    /// milliseconds.
    #[serde(default = "default_prompt_ms")]
    #[ts(type = "number")]
    pub prompt_ms: u64,
    /// The language of the reasons and errors.
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

/// How long a direct reading waits for the prompt to be accepted unless told otherwise.
pub const DEFAULT_PROMPT_MS: u64 = 30_000;

fn default_prompt_ms() -> u64 {
    DEFAULT_PROMPT_MS
}

/// The adb server to talk to: `explicit` (host:port) if given, else 127.0.0.1 on the port adb's
/// own tools use (`ANDROID_ADB_SERVER_PORT`, else 5037).
pub fn server_address(explicit: Option<&str>, lang: Lang) -> Result<SocketAddr> {
    let bad = |value: &str| Error::usage(tell(lang, "adb-bad-server", &[("value", value)]));
    match explicit.map(str::trim).filter(|s| !s.is_empty()) {
        Some(value) => value
            .to_socket_addrs()
            .ok()
            .and_then(|mut addresses| addresses.next())
            .ok_or_else(|| bad(value)),
        None => {
            let port = match std::env::var(ADB_PORT_ENV) {
                Ok(value) => value
                    .trim()
                    .parse::<u16>()
                    .map_err(|_| bad(&format!("{ADB_PORT_ENV}={value}")))?,
                Err(_) => DEFAULT_SERVER_PORT,
            };
            Ok(SocketAddr::from(([127, 0, 0, 1], port)))
        }
    }
}

/// Reads the phone and records the reading as the workstation's operator. An unauthorised
/// phone, one that is not there, or one unplugged during the reading records nothing. Blocking.
pub fn run(ws: &mut Workstation, params: AdbIntakeParams) -> Result<IntakeDone> {
    check_timeout_ms(params.timeout_ms)?;
    check_prompt_ms(params.prompt_ms, params.lang)?;
    let address = server_address(params.server.as_deref(), params.lang)?;
    let actor = ws.actor()?;
    let policy = sales_channel(&ws.store, params.channel.as_deref())?.battery;
    let started_at = Utc::now();
    if params.direct {
        return run_direct(ws, &params, &actor.name, &policy);
    }
    let client = HostClient::new(address, Duration::from_millis(params.timeout_ms));
    let version = match client.version() {
        Ok(version) => version,
        // No server where one is expected by default: the phone is read directly.
        Err(HostError::NoServer { .. }) if params.server.is_none() => {
            return run_direct(ws, &params, &actor.name, &policy);
        }
        Err(error) => return Err(host_error(&error, address, params.lang)),
    };
    let android = read_device(&client, &params.serial)
        .map_err(|error| read_error(error, address, params.lang))?;
    let bench = server_bench(address, version);
    let reading = intake_reading(android, bench, started_at, &policy);
    crate::intake::record(ws, &reading, &actor.name, params.lang)
}

/// A prompt wait of at least a second and at most ten minutes.
fn check_prompt_ms(prompt_ms: u64, lang: Lang) -> Result<()> {
    if !(1_000..=600_000).contains(&prompt_ms) {
        return Err(Error::usage(tell(
            lang,
            "adb-bad-prompt-wait",
            &[("value", &prompt_ms.to_string())],
        )));
    }
    Ok(())
}

/// The bench a reading through the adb server records.
fn server_bench(address: SocketAddr, version: u32) -> (String, String) {
    (format!("adb server {address}"), version.to_string())
}

/// The workstation's ADB key: `explicit`, else where adb keeps its own; made on first use.
pub fn workstation_key(explicit: Option<&str>, lang: Lang) -> Result<AdbKey> {
    let path = match explicit.map(str::trim).filter(|s| !s.is_empty()) {
        Some(path) => PathBuf::from(path),
        None => {
            default_key_path().ok_or_else(|| Error::usage(tell(lang, "adb-no-key-place", &[])))?
        }
    };
    let (key, made) = AdbKey::load_or_create(&path, &key_name()).map_err(|error| {
        Error::new(
            ErrorCode::Data,
            tell(
                lang,
                "adb-key-failed",
                &[
                    ("path", &path.display().to_string()),
                    ("reason", &error.to_string()),
                ],
            ),
        )
    })?;
    if made {
        tracing::info!(path = %path.display(), "made the workstation's ADB key");
    }
    Ok(key)
}

/// The name a phone shows beside the workstation's key: `refurbdesk@HOST`.
fn key_name() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .ok()
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "workstation".to_string());
    format!("refurbdesk@{host}")
}

/// Where a direct reading reaches the phone: a TCP address (wireless debugging), `usb:BUS-ADDR`,
/// or the USB serial number of a phone with USB debugging on the buses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DirectTarget {
    Tcp(SocketAddr),
    Usb { bus: u8, address: u8 },
}

/// Finds the phone `serial` names.
pub fn direct_target(serial: &str, lang: Lang) -> Result<DirectTarget> {
    let serial = serial.trim();
    if let Some(rest) = serial.strip_prefix("usb:") {
        let parsed = rest
            .split_once('-')
            .and_then(|(b, a)| Some((b.parse().ok()?, a.parse().ok()?)));
        return parsed
            .map(|(bus, address)| DirectTarget::Usb { bus, address })
            .ok_or_else(|| Error::usage(tell(lang, "adb-bad-usb", &[("value", serial)])));
    }
    let tcp = serial.strip_prefix("tcp:").unwrap_or(serial);
    if let Ok(address) = tcp.parse::<SocketAddr>() {
        return Ok(DirectTarget::Tcp(address));
    }
    let listing = usb::list();
    let found = listing.devices.iter().find(|device| {
        device.kind == DirectKind::AndroidAdb && device.serial.as_deref() == Some(serial)
    });
    match found {
        Some(device) => Ok(DirectTarget::Usb {
            bus: device.bus,
            address: device.address,
        }),
        None => Err(Error::not_found(tell(
            lang,
            "adb-direct-missing",
            &[("serial", serial)],
        ))),
    }
}

/// Reads the phone over our own connection and records it.
fn run_direct(
    ws: &mut Workstation,
    params: &AdbIntakeParams,
    operator: &str,
    policy: &refurbdesk_domain::BatteryPolicy,
) -> Result<IntakeDone> {
    let started_at = Utc::now();
    let key = workstation_key(params.key.as_deref(), params.lang)?;
    let target = direct_target(&params.serial, params.lang)?;
    let timeouts = Timeouts {
        answer: Duration::from_millis(params.timeout_ms),
        prompt: Duration::from_millis(params.prompt_ms),
    };
    let android = read_direct_target(&target, &key, timeouts, params.lang)
        .map_err(|failure| failure.error)?;
    let reading = intake_reading(android, direct_bench(), started_at, policy);
    crate::intake::record(ws, &reading, operator, params.lang)
}

/// The bench a direct reading records.
pub(crate) fn direct_bench() -> (String, String) {
    (
        "direct (no adb server)".to_string(),
        env!("CARGO_PKG_VERSION").to_string(),
    )
}

/// Why a direct reading gave nothing.
pub(crate) struct DirectFailure {
    pub error: Error,
    /// The phone's owner has not accepted the key (yet).
    pub unauthorized: bool,
    /// The phone went away during the reading.
    pub removed: bool,
}

/// Connects to the phone at `target`, authenticates and reads it. Blocking.
pub(crate) fn read_direct_target(
    target: &DirectTarget,
    key: &AdbKey,
    timeouts: Timeouts,
    lang: Lang,
) -> std::result::Result<AndroidReading, DirectFailure> {
    let name = key_name();
    let unreachable = |device: String, reason: String| DirectFailure {
        error: Error::new(
            ErrorCode::BenchUnreachable,
            tell(
                lang,
                "adb-direct-unreachable",
                &[("device", &device), ("reason", &reason)],
            ),
        ),
        unauthorized: false,
        removed: false,
    };
    let failed = |error: ReadError| DirectFailure {
        unauthorized: matches!(error, ReadError::Unauthorized { .. }),
        removed: matches!(error, ReadError::Unplugged { .. }),
        error: direct_read_error(error, lang),
    };
    match target {
        DirectTarget::Tcp(address) => {
            let link = TcpLink::connect(*address, timeouts.answer)
                .map_err(|error| unreachable(format!("tcp:{address}"), error.to_string()))?;
            let mut device =
                DirectDevice::connect(link, key, &name, timeouts).map_err(|e| failed(e.into()))?;
            read_direct(&mut device).map_err(failed)
        }
        DirectTarget::Usb { bus, address } => {
            let link = UsbLink::open(*bus, *address)
                .map_err(|error| unreachable(format!("usb:{bus}-{address}"), error.to_string()))?;
            let mut device =
                DirectDevice::connect(link, key, &name, timeouts).map_err(|e| failed(e.into()))?;
            read_direct(&mut device).map_err(failed)
        }
    }
}

/// A direct reading's failure, told as the server's are (no server address to name).
fn direct_read_error(error: ReadError, lang: Lang) -> Error {
    match error {
        ReadError::Direct(direct) => Error::new(
            ErrorCode::BenchUnreachable,
            tell(
                lang,
                "adb-direct-failed",
                &[("reason", &direct.to_string())],
            ),
        ),
        other => read_error(other, SocketAddr::from(([127, 0, 0, 1], 0)), lang),
    }
}

/// A phone's reading as an intake: judged like a bench's, each command and each line of its
/// output kept as evidence, no bench tests.
pub(crate) fn intake_reading(
    android: AndroidReading,
    (bench_model, bench_fw): (String, String),
    started_at: chrono::DateTime<Utc>,
    policy: &refurbdesk_domain::BatteryPolicy,
) -> IntakeReading {
    let at = Utc::now();
    let mut evidence = Vec::new();
    for exchange in &android.exchanges {
        evidence.push(EvidenceLine {
            at,
            direction: Direction::Host,
            line: format!("shell:{}", exchange.command),
        });
        evidence.extend(exchange.output.lines().map(|line| EvidenceLine {
            at,
            direction: Direction::Bench,
            line: line.trim_end_matches('\r').to_string(),
        }));
    }
    let battery = assess_battery(
        &android.battery,
        &android.identity,
        policy,
        CycleLimits::embedded(),
    );
    let lock = assess_lock(&android.lock);
    IntakeReading {
        bench: BenchIdentity {
            serial: DIRECT_ADB_BENCH.to_string(),
            vendor: "Android Debug Bridge".to_string(),
            model: bench_model,
            fw: bench_fw,
            port: format!("adb:{}", android.adb_serial),
        },
        slot: 1,
        identity: android.identity,
        battery,
        lock,
        tests: Vec::new(),
        evidence,
        started_at,
        finished_at: Utc::now(),
    }
}

pub(crate) fn read_error(error: ReadError, address: SocketAddr, lang: Lang) -> Error {
    let address_text = address.to_string();
    match &error {
        ReadError::Unauthorized { serial } => Error::new(
            ErrorCode::Refused,
            tell(lang, "adb-unauthorized", &[("serial", serial)]),
        ),
        ReadError::Missing { serial } => Error::not_found(tell(
            lang,
            "adb-missing",
            &[("serial", serial), ("address", &address_text)],
        )),
        ReadError::Unplugged { serial } => {
            Error::not_found(tell(lang, "adb-unplugged", &[("serial", serial)]))
        }
        ReadError::NotReady { serial, state } => Error::new(
            ErrorCode::BenchUnreachable,
            tell(
                lang,
                "adb-not-ready",
                &[("serial", serial), ("state", state)],
            ),
        ),
        ReadError::Host(host) => host_error(host, address, lang),
        ReadError::Direct(direct) => Error::new(
            ErrorCode::BenchUnreachable,
            tell(
                lang,
                "adb-direct-failed",
                &[("reason", &direct.to_string())],
            ),
        ),
    }
}

pub(crate) fn host_error(error: &HostError, address: SocketAddr, lang: Lang) -> Error {
    let address = address.to_string();
    match error {
        HostError::NoServer { .. } => Error::new(
            ErrorCode::BenchUnreachable,
            tell(lang, "adb-no-server", &[("address", &address)]),
        ),
        other => Error::new(
            ErrorCode::BenchUnreachable,
            tell(
                lang,
                "adb-server-failed",
                &[("address", &address), ("reason", &other.to_string())],
            ),
        ),
    }
}

/// A simulated phone to serve (`refurbdesk sim adb`).
#[cfg(feature = "simulate")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimAdbParams {
    /// The TCP port of 127.0.0.1 to listen on (0 picks a free one).
    pub port: u16,
    /// The device's transcript (see fixtures/adb/README.md).
    pub device: std::path::PathBuf,
    /// The phone asks hosts to authenticate and trusts the keys of this file (adb_keys form).
    pub adb_keys: Option<std::path::PathBuf>,
}

/// The simulated phone being served.
#[cfg(feature = "simulate")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimAdbServing {
    /// Where it listens, which is also its adb serial once connected (`adb connect ADDRESS`).
    pub address: String,
    pub device: std::path::PathBuf,
}

/// What a simulated phone did until it was stopped or unplugged.
#[cfg(feature = "simulate")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimAdbStopped {
    pub connections: u64,
    pub commands_answered: u64,
    pub services_refused: u64,
    /// The transcript pulled the cable (`unplug-after`).
    pub unplugged: bool,
}

/// The public keys of an `adb_keys` file; a line that is not one is refused by its number.
#[cfg(feature = "simulate")]
fn read_adb_keys(path: &std::path::Path) -> Result<Vec<refurbdesk_adb::key::AndroidPublicKey>> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        Error::from_error(ErrorCode::Data, &error)
            .context(format!("cannot read {}", path.display()))
    })?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.trim_start().starts_with('#'))
        .map(|(index, line)| {
            refurbdesk_adb::key::AndroidPublicKey::parse(line).map_err(|error| {
                Error::new(
                    ErrorCode::Data,
                    format!("line {} of {}: {error}", index + 1, path.display()),
                )
            })
        })
        .collect()
}

/// Serves a simulated phone on 127.0.0.1 until `cancel` is set or its transcript unplugs it;
/// `serving` hears once it listens. Blocking.
#[cfg(feature = "simulate")]
pub fn serve_sim(
    params: SimAdbParams,
    cancel: &crate::progress::Cancel,
    serving: impl FnOnce(&SimAdbServing),
) -> Result<SimAdbStopped> {
    use refurbdesk_adb::sim::SimDevice;
    use refurbdesk_adb::Transcript;

    let transcript = Transcript::load(&params.device)
        .map_err(|error| Error::from_error(ErrorCode::Data, &error))?;
    let address = SocketAddr::from(([127, 0, 0, 1], params.port));
    let started = match &params.adb_keys {
        None => SimDevice::start(transcript, address),
        Some(path) => SimDevice::start_with_keys(transcript, address, read_adb_keys(path)?),
    };
    let device = started.map_err(|error| {
        Error::from_error(ErrorCode::Usage, &error)
            .context(format!("cannot listen on 127.0.0.1:{}", params.port))
    })?;
    serving(&SimAdbServing {
        address: device.address().to_string(),
        device: params.device.clone(),
    });
    while !cancel.is_cancelled() && !device.finished() {
        std::thread::sleep(Duration::from_millis(50));
    }
    let stats = device.stop();
    Ok(SimAdbStopped {
        connections: stats.connections,
        commands_answered: stats.commands_answered,
        services_refused: stats.services_refused,
        unplugged: stats.unplugged,
    })
}
