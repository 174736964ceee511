//! An Android phone on a plain USB cable (or on wireless debugging), read through the adb server
//! and recorded as an intake like a bench's: the same identity, battery and lock verdicts, the
//! same report. The adb server is the "bench" (`direct-adb`), the phone's adb serial its port.

use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

use chrono::Utc;
use refurbdesk_adb::android::{read_device, AndroidReading, ReadError};
use refurbdesk_adb::host::{HostClient, HostError, DEFAULT_SERVER_PORT};
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
    /// The language of the reasons and errors.
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
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
    let address = server_address(params.server.as_deref(), params.lang)?;
    let actor = ws.actor()?;
    let policy = sales_channel(&ws.store, params.channel.as_deref())?.battery;
    let client = HostClient::new(address, Duration::from_millis(params.timeout_ms));
    let started_at = Utc::now();
    let version = client
        .version()
        .map_err(|error| host_error(&error, address, params.lang))?;
    let android = read_device(&client, &params.serial)
        .map_err(|error| read_error(error, address, params.lang))?;
    let reading = intake_reading(android, address, version, started_at, &policy);
    crate::intake::record(ws, &reading, &actor.name, params.lang)
}

/// A phone's reading as an intake: judged like a bench's, each command and each line of its
/// output kept as evidence, no bench tests.
pub(crate) fn intake_reading(
    android: AndroidReading,
    address: SocketAddr,
    server_version: u32,
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
            model: format!("adb server {address}"),
            fw: server_version.to_string(),
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
    let device = SimDevice::start(transcript, SocketAddr::from(([127, 0, 0, 1], params.port)))
        .map_err(|error| {
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
