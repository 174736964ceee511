//! The laptop agent: a laptop under test reads its own battery, DMI identity and drives
//! (`refurbdesk agent`, run on the laptop) into an intake file, which the workstation records as
//! an intake like a bench's (`intake --import`), its battery judged by the station's channel.

use std::path::PathBuf;

use refurbdesk_agent::serve::{self, Notice, ServeError, ServeOptions};
use refurbdesk_agent::{FileError, LaptopReading};
use refurbdesk_domain::{
    assess_battery, assess_lock, AccountLock, ActivationLock, CarrierLock, CycleLimits,
    DeviceCategory, DeviceIdentity, Direction, EvidenceLine, Lang, LockReading, MdmState,
};
use refurbdesk_station::{BenchIdentity, IntakeReading};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::channels::sales_channel;
use crate::error::{tell, Error, ErrorCode, Result};
use crate::intake::IntakeDone;
use crate::progress::Cancel;
use crate::workstation::Workstation;

pub use refurbdesk_agent::serve::DEFAULT_BENCH_SERIAL;
pub use refurbdesk_agent::{FORMAT as AGENT_FORMAT, SYSFS};

/// The serial every laptop agent's intake records as its bench.
pub const AGENT_BENCH: &str = "laptop-agent";

/// Where the agent reads and what it writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgentParams {
    /// The sysfs tree to read: `/sys` on the laptop, a fixture tree in tests.
    pub sysfs_root: PathBuf,
    /// The intake file to write.
    pub out: PathBuf,
}

/// What the agent wrote, in a few words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgentWritten {
    pub file: String,
    pub make: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub battery: Option<String>,
    pub design_mwh: Option<u32>,
    pub full_mwh: Option<u32>,
    pub design_mah: Option<u32>,
    pub full_mah: Option<u32>,
    pub cycles: Option<u32>,
    pub drives: usize,
    pub storage_gb: Option<u32>,
    /// How many of the files looked for could not be read (their values are unknown).
    pub unreadable: usize,
}

/// Reads the laptop and writes its intake file. Needs no database: it runs on the laptop.
pub fn write_intake_file(params: &AgentParams) -> Result<AgentWritten> {
    let reading = refurbdesk_agent::read(&params.sysfs_root);
    let text = serde_json::to_string_pretty(&reading)
        .map_err(|error| Error::from_error(ErrorCode::Data, &error))?;
    std::fs::write(&params.out, text + "\n").map_err(|error| {
        Error::from_error(ErrorCode::Data, &error)
            .context(format!("cannot write {}", params.out.display()))
    })?;
    let (make, model, _) = reading.make_model();
    let battery = reading.battery_reading();
    Ok(AgentWritten {
        file: params.out.display().to_string(),
        make,
        model,
        serial: reading.dmi.product_serial.clone(),
        battery: reading.battery.as_ref().map(|b| b.name.clone()),
        design_mwh: battery.design_mwh,
        full_mwh: battery.full_mwh,
        design_mah: battery.design_mah,
        full_mah: battery.full_mah,
        cycles: battery.cycles,
        drives: reading.drives.len(),
        storage_gb: reading.storage_gb(),
        unreadable: reading.unreadable.len(),
    })
}

/// Which intake file to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportParams {
    /// The file `refurbdesk agent --out` wrote on the laptop.
    #[ts(type = "string")]
    pub file: PathBuf,
    /// The sales channel whose battery threshold applies; the station's when `None`.
    pub channel: Option<String>,
    /// The language of the reasons and errors.
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

/// Records the laptop's intake file as the workstation's operator: identity from DMI, the
/// battery judged by the channel's policy, locks unknown (a laptop's firmware and accounts are
/// not read over sysfs), every file read kept as evidence.
pub fn import(ws: &mut Workstation, params: ImportParams) -> Result<IntakeDone> {
    let laptop =
        LaptopReading::load(&params.file).map_err(|error| file_error(error, params.lang))?;
    let actor = ws.actor()?;
    if let Some(reading_id) = laptop.reading_id {
        let line = reading_line(reading_id);
        if let Some(intake_id) = ws.store.intake_with_evidence_line(AGENT_BENCH, &line)? {
            return Err(Error::refused(tell(
                params.lang,
                "agent-already-recorded",
                &[
                    ("file", &params.file.display().to_string()),
                    ("intake", &intake_id.to_string()),
                ],
            ))
            .with_details(serde_json::json!({
                "intake_id": intake_id,
                "reading_id": reading_id,
            })));
        }
    }
    let policy = sales_channel(&ws.store, params.channel.as_deref())?.battery;
    let reading = intake_reading(&laptop, &params.file, &policy).ok_or_else(|| {
        Error::data(tell(
            params.lang,
            "agent-no-identity",
            &[("file", &params.file.display().to_string())],
        ))
    })?;
    crate::intake::record(ws, &reading, &actor.name, params.lang)
}

/// The laptop's reading as an intake; `None` when DMI gave neither make nor model.
fn intake_reading(
    laptop: &LaptopReading,
    file: &std::path::Path,
    policy: &refurbdesk_domain::BatteryPolicy,
) -> Option<IntakeReading> {
    let (make, model, model_code) = laptop.make_model();
    let mut identity = DeviceIdentity::new(DeviceCategory::Laptop, make?, model?);
    identity.model_code = model_code;
    identity.serial = laptop.dmi.product_serial.clone();
    identity.storage_gb = laptop.storage_gb();
    let battery = assess_battery(
        &laptop.battery_reading(),
        &identity,
        policy,
        CycleLimits::embedded(),
    );
    let lock = assess_lock(&LockReading {
        activation: ActivationLock::Unknown,
        account: AccountLock::Unknown,
        mdm: MdmState::Unknown,
        carrier: CarrierLock::Unknown,
    });
    let at = laptop.read_at;
    // The reading's id first: a second import of the same file finds it (`import`).
    let mut evidence: Vec<EvidenceLine> = laptop
        .reading_id
        .map(|id| EvidenceLine {
            at,
            direction: Direction::Bench,
            line: reading_line(id),
        })
        .into_iter()
        .collect();
    evidence.extend(laptop.evidence.iter().map(|e| EvidenceLine {
        at,
        direction: Direction::Bench,
        line: format!("{}={}", e.file, e.value),
    }));
    evidence.extend(laptop.unreadable.iter().map(|file| EvidenceLine {
        at,
        direction: Direction::Bench,
        line: format!("{file}: unreadable"),
    }));
    Some(IntakeReading {
        bench: BenchIdentity {
            serial: AGENT_BENCH.to_owned(),
            vendor: "Refurbdesk".to_owned(),
            model: "laptop agent".to_owned(),
            fw: laptop.format.clone(),
            port: format!("file:{}", file.display()),
        },
        slot: 1,
        identity,
        battery,
        lock,
        tests: Vec::new(),
        evidence,
        started_at: at,
        finished_at: at,
    })
}

/// The evidence line that names an agent reading among an intake's evidence.
fn reading_line(reading_id: uuid::Uuid) -> String {
    format!("agent reading_id={reading_id}")
}

/// Where the agent serves the laptop as a bench.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServeParams {
    /// The serial port: `/dev/ttyUSB0`, `/dev/ttyACM0`, or a pseudo-terminal in tests.
    pub port: PathBuf,
    /// The sysfs tree to read: `/sys` on the laptop, a fixture tree in tests.
    pub sysfs_root: PathBuf,
    /// The serial the bench gives in its `HELLO` reply ([`DEFAULT_BENCH_SERIAL`] by default).
    pub bench_serial: String,
}

/// What the agent serves, as told when it starts and at each `HELLO`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ServeEvent {
    /// The port is open: the laptop is served as slot 1.
    Serving {
        port: String,
        bench_serial: String,
        make: Option<String>,
        model: Option<String>,
        serial: Option<String>,
        unreadable: usize,
    },
    /// A workstation said `HELLO`: sysfs was read again.
    Hello {
        make: Option<String>,
        model: Option<String>,
        unreadable: usize,
    },
    /// The port went away (cable out); the agent waits for it.
    PortLost { error: String },
    /// The port is back.
    PortBack,
}

/// What the agent did, once stopped.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServeStopped {
    pub port: String,
    /// Host lines answered.
    pub answered: u64,
    /// `HELLO`s, each of which read sysfs again.
    pub hellos: u64,
    /// Times the port went away and was waited for.
    pub port_lost: u64,
}

/// Serves the laptop as a one-slot Bench Protocol v1 bench on the serial port until `cancel`
/// is set. Needs no database: it runs on the laptop; the workstation at the other end of the
/// cable reads it as any bench. Blocking.
pub fn serve_serial(
    params: &ServeParams,
    cancel: &Cancel,
    mut event: impl FnMut(&ServeEvent),
) -> Result<ServeStopped> {
    let options = ServeOptions {
        port: params.port.clone(),
        sysfs_root: params.sysfs_root.clone(),
        bench_serial: params.bench_serial.clone(),
    };
    let port = params.port.display().to_string();
    let stop = cancel.flag();
    let stats = serve::serve(&options, &stop, |notice| {
        let told = match notice {
            Notice::Serving { reading } => {
                let (make, model, _) = reading.make_model();
                ServeEvent::Serving {
                    port: port.clone(),
                    bench_serial: params.bench_serial.clone(),
                    make,
                    model,
                    serial: reading.dmi.product_serial.clone(),
                    unreadable: reading.unreadable.len(),
                }
            }
            Notice::Hello { reading } => {
                let (make, model, _) = reading.make_model();
                ServeEvent::Hello {
                    make,
                    model,
                    unreadable: reading.unreadable.len(),
                }
            }
            Notice::PortLost { error } => ServeEvent::PortLost {
                error: error.to_string(),
            },
            Notice::PortBack => ServeEvent::PortBack,
        };
        event(&told);
    })
    .map_err(|error| match &error {
        ServeError::Open { .. } => Error::from_error(ErrorCode::BenchUnreachable, &error),
    })?;
    Ok(ServeStopped {
        port,
        answered: stats.answered,
        hellos: stats.hellos,
        port_lost: stats.port_lost,
    })
}

fn file_error(error: FileError, lang: Lang) -> Error {
    match &error {
        FileError::Io { path, source } if source.kind() == std::io::ErrorKind::NotFound => {
            Error::not_found(tell(
                lang,
                "agent-no-file",
                &[("file", &path.display().to_string())],
            ))
        }
        _ => Error::data(tell(
            lang,
            "agent-bad-file",
            &[("reason", &error.to_string())],
        )),
    }
}
