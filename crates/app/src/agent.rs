//! The laptop agent: a laptop under test reads its own battery, DMI identity and drives
//! (`refurbdesk agent`, run on the laptop) into an intake file, which the workstation records as
//! an intake like a bench's (`intake --import`), its battery judged by the station's channel.

use std::path::PathBuf;

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
use crate::workstation::Workstation;

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
    let mut evidence: Vec<EvidenceLine> = laptop
        .evidence
        .iter()
        .map(|e| EvidenceLine {
            at,
            direction: Direction::Bench,
            line: format!("{}={}", e.file, e.value),
        })
        .collect();
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
