//! The station: follow benches (real ports, the built-in simulator, or scenario files), intake every
//! device placed on them under the station's sales channel, and record each reading.
//!
//! The terminal (`refurbdesk station`) and the window both start it here, so the battery policy
//! (the channel's threshold) and the operator rules are the same whichever door opened it.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use refurbdesk_domain::Lang;
use refurbdesk_station::{run_station_with, StationConfig, StationHandle};
pub use refurbdesk_station::{OnDuty, SlotPhase, StationEvent, StationSummary, AWAITING_OPERATOR};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use ts_rs::TS;

use crate::channels::sales_channel;
use crate::error::{Error, ErrorCode, Result};
use crate::session::WindowSession;
use crate::workstation::Workstation;

mod direct;
pub use crate::replication::PUSH_INTERVAL as REPLICATION_INTERVAL;
pub use direct::{DIRECT_PORT, POLL_INTERVAL as DIRECT_POLL_INTERVAL};
mod view;
pub use view::{
    fold_events, forward_each_event, one_message_per_event_from_env, BenchTile, BenchTileState,
    SlotDevice, SlotTile, StationBatch, StationFeed, StationView, TileGrade, BATCHING_SWITCH,
    CHANGES_WAIT,
};

/// What to start the station on.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StationParams {
    /// Benches' serial ports, one per bench.
    pub ports: Vec<PathBuf>,
    /// Also start the built-in simulated benches.
    pub simulate: bool,
    /// Simulate a bench from each of these scenario files (implies `simulate`).
    pub scenarios: Vec<PathBuf>,
    /// Faults the simulated benches inject: `none`, `all`, or e.g. `crc=0.05,drop=0.02`.
    pub faults: Option<String>,
    /// Seed of the simulated benches' fault dice.
    #[ts(type = "number")]
    pub seed: u64,
    /// The sales channel whose battery threshold applies; the `station.channel` setting when
    /// absent, else Back Market.
    pub channel: Option<String>,
    /// Stop once every occupied slot is settled and nothing happened for two seconds.
    pub until_idle: bool,
    /// Also show the devices on the workstation's own USB ports as slots (port `usb`): Android
    /// phones read through the adb server, and the phones it cannot read, with what to do.
    pub usb: bool,
    /// The adb server as host:port; when `None`, 127.0.0.1 on `ANDROID_ADB_SERVER_PORT` or 5037.
    pub adb_server: Option<String>,
    /// The site database to replicate to in the background (the terminal's `--site`); when
    /// `None`, `REFURBDESK_SITE` or the site the station was attached to, if any. Never sent by
    /// the window: a connection with its password does not cross into the webview.
    #[serde(skip)]
    #[ts(skip)]
    pub site: Option<String>,
}

impl StationParams {
    /// The station the window opens with `--simulate`: the built-in benches and the devices on
    /// the workstation's own USB ports (shown once one is seen), the station's own channel,
    /// running until stopped.
    pub fn simulated() -> Self {
        Self {
            simulate: true,
            usb: true,
            ..Self::default()
        }
    }

    /// The station a window starts: the benches on the serial ports the [`PORTS_SETTING`] names,
    /// the built-in simulated benches too when `simulate`, and the devices on the workstation's
    /// own USB ports; the station's own channel, running until stopped.
    pub fn for_window(paths: &crate::DataPaths, simulate: bool) -> Result<Self> {
        Ok(Self {
            ports: configured_ports(paths)?,
            simulate,
            usb: true,
            ..Self::default()
        })
    }

    /// These params, or, when they name no bench at all ([`Self::names_no_bench`]), the
    /// benches on the ports [`PORTS_SETTING`] names: what the terminal's `station` runs on
    /// without arguments, as the window does.
    pub fn or_configured_ports(mut self, paths: &crate::DataPaths) -> Result<Self> {
        if self.names_no_bench() {
            self.ports = configured_ports(paths)?;
        }
        Ok(self)
    }

    /// Whether these params name no bench at all: no port, no simulator, no USB.
    fn names_no_bench(&self) -> bool {
        self.ports.is_empty() && !self.simulate && self.scenarios.is_empty() && !self.usb
    }

    /// Whether the USB buses are listed for direct slots: off when the test switch
    /// [`DIRECT_BUSES_SWITCH`] is `off` (a test's station must not show the machine's own
    /// devices).
    fn usb_buses() -> bool {
        std::env::var(DIRECT_BUSES_SWITCH).map_or(true, |v| v != "off")
    }
}

/// Test switch: with this variable set to `off`, direct slots come from the adb server only,
/// not from the USB buses.
pub const DIRECT_BUSES_SWITCH: &str = "REFURBDESK_DIRECT_USB_BUSES";

/// What a started station says about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StationStarted {
    /// How many benches it follows.
    pub benches: usize,
    /// The operator intakes are recorded under as it starts; `None` for a window's station while
    /// nobody is logged in (intakes wait for someone to log in).
    pub operator: Option<String>,
    pub database: String,
    /// The sales channel and its battery threshold, as the verdicts will use them.
    pub channel: String,
    pub soh_threshold_pct: f64,
    pub consumed_below_pct: f64,
    /// The site database the station replicates to in the background (without its password),
    /// when it has one.
    pub site: Option<String>,
}

/// A running station: its controls and the stream of what happens.
pub struct RunningStation {
    pub started: StationStarted,
    pub control: StationControl,
    /// Everything the station reports, in order; ends when the station stops.
    pub events: mpsc::UnboundedReceiver<StationEvent>,
}

/// Stops a running station and waits for its summary.
pub struct StationControl {
    handle: StationHandle,
    task: JoinHandle<StationSummary>,
    replication: Option<crate::replication::Replication>,
    #[cfg(feature = "simulate")]
    _simulated: Option<crate::SimulatedBenches>,
}

impl StationControl {
    /// Asks the station to stop; recorded intakes are kept, intakes under way record nothing.
    pub fn stop(&self) {
        self.handle.stop();
    }

    /// Stops the background replication to the site, if any, and waits for a push under way.
    fn stop_replication(&mut self) {
        if let Some(replication) = self.replication.take() {
            replication.stop();
        }
    }

    /// A handle that stops the station from elsewhere (a signal handler, another task).
    pub fn stopper(&self) -> StationHandle {
        self.handle.clone()
    }

    /// Waits for the station to end (stopped, or idle with `until_idle`) and says what it did.
    /// The simulated benches, if any, stop with it.
    pub async fn finish(mut self) -> Result<StationSummary> {
        let finished = (&mut self.task).await;
        // Replication ends with the station; what it had not pushed yet goes with the next run
        // (or `site push`), from the site's mark.
        self.stop_replication();
        finished.map_err(|error| {
            Error::new(
                ErrorCode::Data,
                format!("the station stopped unexpectedly: {error}"),
            )
        })
    }
}

/// What can be refused before a database is opened or created: a station with no bench, and a
/// sales channel that cannot exist yet because there is no database to define it in. So a
/// refused first run leaves no empty database behind.
pub fn check_before_opening(paths: &crate::DataPaths, params: &StationParams) -> Result<()> {
    if params.names_no_bench() {
        return Err(Error::usage(
            "the station needs at least one bench: name its port, set station.ports, or start the \
             simulated benches",
        ));
    }
    if !paths.database.exists() {
        if let Some(name) = params.channel.as_deref() {
            if name != crate::channels::DEFAULT_CHANNEL {
                return Err(crate::channels::ChannelError::Unknown(name.to_owned()).into());
            }
        }
    }
    Ok(())
}

/// Starts the station on the workstation's store, recording every intake under the operator it
/// acts as. Must be called inside a Tokio runtime: the station's tasks run on it.
pub fn start(workstation: Workstation, params: StationParams) -> Result<RunningStation> {
    let actor = workstation.actor()?;
    start_on_duty(workstation, params, OnDuty::new(Some(actor.name)))
}

/// Starts a window's station on the workstation the window opened ([`WindowSession::open`]): it
/// records each intake under the operator logged in to the window as it is recorded (while no
/// operator has a PIN, the one the window acts as); while nobody is, readings wait in their
/// slots and are recorded once someone logs in. Must be called inside a Tokio runtime.
pub fn start_for_window(
    session: &WindowSession,
    workstation: Workstation,
    params: StationParams,
) -> Result<RunningStation> {
    session.refresh_on_duty(&workstation);
    start_on_duty(workstation, params, session.on_duty())
}

fn start_on_duty(
    workstation: Workstation,
    params: StationParams,
    on_duty: OnDuty,
) -> Result<RunningStation> {
    let Workstation { paths, store, .. } = &workstation;
    let workstation_paths = paths.clone();
    let channel = sales_channel(store, params.channel.as_deref())?;

    // The simulated benches, when this build has them, add their ports.
    #[cfg_attr(not(feature = "simulate"), allow(unused_mut))]
    let mut ports = params.ports.clone();
    #[cfg(feature = "simulate")]
    let simulated = simulated_benches(&params)?;
    #[cfg(feature = "simulate")]
    if let Some(benches) = &simulated {
        ports.extend(benches.ports());
    }
    #[cfg(not(feature = "simulate"))]
    if params.simulate || !params.scenarios.is_empty() {
        return Err(Error::usage(
            "this build of Refurbdesk has no simulated benches; name the benches' ports",
        ));
    }
    if ports.is_empty() && !params.usb {
        return Err(Error::usage(
            "the station needs at least one bench: name its port, or start the simulated benches",
        ));
    }

    let started = StationStarted {
        benches: ports.len(),
        operator: on_duty.current(),
        database: paths.database.display().to_string(),
        channel: channel.name.clone(),
        soh_threshold_pct: channel.battery.soh_threshold_pct,
        consumed_below_pct: channel.battery.consumed_below_pct,
        site: None,
    };
    let mut config = StationConfig::new(ports, String::new());
    config.operator = on_duty;
    config.until_idle = params.until_idle;
    config.intake.battery_policy = channel.battery;

    let (events_tx, events) = mpsc::unbounded_channel();
    let (handle, stop) = StationHandle::new();
    let store = Arc::new(Mutex::new(workstation.store));
    let mut sources = Vec::new();
    if params.usb {
        sources.push(direct::source(direct::DirectOptions {
            server: crate::adb::server_address(params.adb_server.as_deref(), Lang::En)?,
            usb_buses: StationParams::usb_buses(),
            poll: direct::POLL_INTERVAL,
            policy: config.intake.battery_policy.clone(),
            operator: config.operator.clone(),
            store: store.clone(),
        }));
    }
    let task = tokio::spawn(run_station_with(config, store, events_tx, stop, sources));
    let replication = crate::replication::Replication::start(
        &workstation_paths,
        params.site.as_deref(),
        crate::replication::PUSH_INTERVAL,
    );
    Ok(RunningStation {
        started: StationStarted {
            site: replication
                .as_ref()
                .map(|replication| replication.site.clone()),
            ..started
        },
        control: StationControl {
            handle,
            task,
            replication,
            #[cfg(feature = "simulate")]
            _simulated: simulated,
        },
        events,
    })
}

#[cfg(feature = "simulate")]
fn simulated_benches(params: &StationParams) -> Result<Option<crate::SimulatedBenches>> {
    use refurbdesk_bench_sim::{FaultSpec, Scenario, SimOptions};

    if !params.simulate && params.scenarios.is_empty() {
        return Ok(None);
    }
    let scenarios = params
        .scenarios
        .iter()
        .map(|path| Scenario::load(path))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|error| Error::from_error(ErrorCode::Data, &error))?;
    let faults = match &params.faults {
        Some(text) => text
            .parse::<FaultSpec>()
            .map_err(|error| Error::usage(format!("faults {text:?}: {error}")))?,
        None => FaultSpec::none(),
    };
    let options = SimOptions {
        faults,
        seed: params.seed,
        ..SimOptions::default()
    };
    Ok(Some(crate::SimulatedBenches::start(scenarios, options)?))
}

/// A finished run is a failure when an intake failed and recorded nothing: a data failure when
/// the database did not take readings (as for every command whose writes fail), else not found
/// (the device or what it needed was not there).
pub fn judge(summary: &StationSummary) -> Result<()> {
    if summary.unrecorded > 0 {
        return Err(Error::data(format!(
            "{} reading(s) from the benches could not be written to the database, and {} intake(s) \
             failed in all; see the lines above for each slot and the database's error",
            summary.unrecorded, summary.failed
        )));
    }
    if !summary.unreachable.is_empty() {
        return Err(Error::new(
            ErrorCode::BenchUnreachable,
            format!(
                "no bench answered at {} after every attempt; check that the bench is powered \
                 and plugged in, and that the port is right",
                summary.unreachable.join(", ")
            ),
        ));
    }
    if summary.failed > 0 {
        return Err(Error::not_found(format!(
            "{} intake(s) failed and recorded nothing; see the lines above for each slot",
            summary.failed
        )));
    }
    Ok(())
}

/// The setting that names the serial ports the window's station follows, one bench on each,
/// separated by commas (`/dev/ttyUSB0,/dev/ttyUSB1`). The terminal's `station` gives its ports on
/// its command line instead.
pub const PORTS_SETTING: &str = "station.ports";

/// The serial ports [`PORTS_SETTING`] names, in its order; none when it is not set (or there is
/// no database yet). Read as the window opens, before anyone has logged in: it names ports, not
/// anything an operator records.
pub fn configured_ports(paths: &crate::DataPaths) -> Result<Vec<PathBuf>> {
    if !paths.database.exists() {
        return Ok(Vec::new());
    }
    Ok(crate::workstation::open_store(paths)?
        .setting(PORTS_SETTING)?
        .map(|value| split_ports(&value))
        .unwrap_or_default())
}

fn split_ports(value: &str) -> Vec<PathBuf> {
    value
        .split(',')
        .map(str::trim)
        .filter(|port| !port.is_empty())
        .map(PathBuf::from)
        .collect()
}

/// Whether `value` may be the [`PORTS_SETTING`]: absolute paths, each once. (A port need not be
/// there yet: a bench plugged in later shows as disconnected until it is.) Empty: no bench.
pub(crate) fn check_ports_setting(value: &str) -> std::result::Result<(), String> {
    let ports = split_ports(value);
    for (index, port) in ports.iter().enumerate() {
        if !port.is_absolute() {
            return Err(format!(
                "{PORTS_SETTING}: {:?} is not a serial port's path; write each port as a path \
                 such as /dev/ttyUSB0, separated by commas",
                port.display()
            ));
        }
        if ports[..index].contains(port) {
            return Err(format!(
                "{PORTS_SETTING}: {:?} is named twice; a port carries one bench",
                port.display()
            ));
        }
    }
    Ok(())
}

/// What a window shows about this workstation before any station runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StationInfo {
    pub version: String,
    pub database: String,
    /// Where the window writes the documents it issues, unless told otherwise.
    pub documents: String,
}

pub fn info(paths: &crate::DataPaths) -> StationInfo {
    StationInfo {
        version: crate::VERSION.to_owned(),
        database: paths.database.display().to_string(),
        documents: paths.data_dir.join("documents").display().to_string(),
    }
}

#[cfg(test)]
mod judge_tests {
    use super::*;
    use crate::ErrorCode;

    #[test]
    fn readings_the_database_did_not_take_are_a_data_failure_others_not_found() {
        let mut summary = StationSummary {
            benches: 1,
            recorded: 0,
            failed: 3,
            unrecorded: 3,
            unreachable: Vec::new(),
        };
        assert_eq!(judge(&summary).unwrap_err().code, ErrorCode::Data);
        summary.unrecorded = 0;
        assert_eq!(judge(&summary).unwrap_err().code, ErrorCode::NotFound);
        summary.unreachable = vec!["/dev/ttyUSB9".to_owned()];
        let error = judge(&summary).unwrap_err();
        assert_eq!(error.code, ErrorCode::BenchUnreachable);
        assert!(error.message.contains("/dev/ttyUSB9"), "{error}");
        summary.unreachable.clear();
        summary.failed = 0;
        assert!(judge(&summary).is_ok());
    }
}
