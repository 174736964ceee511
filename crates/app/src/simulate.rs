//! Simulated benches for the demo station and tests: the fixture scenarios built into the binary, each
//! served on its own pseudo-terminal.

use std::path::PathBuf;

use refurbdesk_bench_sim::{
    embedded_scenarios, LoadSpec, LoadSpecError, Scenario, SimBench, SimError, SimOptions,
};

/// The start of the name of each station's folder of simulated ports, in the temporary folder.
const FOLDER_PREFIX: &str = "refurbdesk-benches-";
/// The file in that folder that holds the owning process's id.
const PID_FILE: &str = "pid";

/// Removes the folders of simulated ports whose owning process is gone (killed before it could
/// remove its own). A folder is kept while its process runs, and when its owner cannot be told
/// (no pid file, nor a pid in its name); a folder that cannot be removed (another user's) stays.
pub(crate) fn remove_stale_folders(temp: &std::path::Path) {
    // Without /proc no owner can be told alive, so nothing is removed.
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(temp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(FOLDER_PREFIX)) else {
            continue;
        };
        let path = entry.path();
        if !entry.file_type().is_ok_and(|kind| kind.is_dir()) {
            continue;
        }
        // Folders from before the pid file carry the pid in their name.
        let owner = std::fs::read_to_string(path.join(PID_FILE))
            .ok()
            .and_then(|text| text.trim().parse::<u32>().ok())
            .or_else(|| rest.split('-').next()?.parse::<u32>().ok());
        let Some(pid) = owner else {
            continue;
        };
        if pid != std::process::id() && !process_runs(pid) {
            match std::fs::remove_dir_all(&path) {
                Ok(()) => {
                    tracing::info!(folder = %path.display(), pid, "removed the simulated ports of a station that is gone")
                }
                Err(error) => {
                    tracing::debug!(folder = %path.display(), %error, "cannot remove a stale folder of simulated ports")
                }
            }
        }
    }
}

/// Whether a process with this id runs (Linux: it has a `/proc` entry).
fn process_runs(pid: u32) -> bool {
    std::path::Path::new("/proc").join(pid.to_string()).exists()
}

/// Running simulated benches; dropping this stops them and removes their links.
pub struct SimulatedBenches {
    benches: Vec<SimBench>,
    dir: PathBuf,
}

impl Drop for SimulatedBenches {
    fn drop(&mut self) {
        // Stop the benches before their links go, then leave no folder behind.
        self.benches.clear();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Why the simulated benches could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimulateError {
    #[error("cannot create a folder for the simulated benches' ports: {0}")]
    Dir(#[from] std::io::Error),
    #[error("the built-in scenario {name} is invalid: {source}")]
    Scenario {
        name: String,
        #[source]
        source: refurbdesk_bench_sim::ScenarioError,
    },
    #[error(transparent)]
    Sim(#[from] SimError),
    /// `REFURBDESK_SIM_LOAD` (benchmarks only) does not name a load.
    #[error(transparent)]
    Load(#[from] LoadSpecError),
}

impl SimulatedBenches {
    /// Starts one bench per scenario (the built-in fixtures when `scenarios` is empty, or, for
    /// benchmarks, the generated load that `REFURBDESK_SIM_LOAD` names, e.g. `64x10`).
    pub fn start(scenarios: Vec<Scenario>, options: SimOptions) -> Result<Self, SimulateError> {
        let load = if scenarios.is_empty() {
            LoadSpec::from_env()?
        } else {
            None
        };
        let scenarios = if let Some(load) = load {
            load.scenarios().map_err(|source| SimulateError::Scenario {
                name: format!("load {load}"),
                source,
            })?
        } else if scenarios.is_empty() {
            embedded_scenarios()
                .iter()
                .map(|(name, text)| {
                    Scenario::from_toml(text, name).map_err(|source| SimulateError::Scenario {
                        name: name.to_string(),
                        source,
                    })
                })
                .collect::<Result<Vec<_>, _>>()?
        } else {
            scenarios
        };
        // Stations killed before they could tidy up left their folders of dangling links.
        remove_stale_folders(&std::env::temp_dir());
        // A fresh folder of our own for the ports' links (pid and time keep two stations apart).
        let dir = std::env::temp_dir().join(format!(
            "{FOLDER_PREFIX}{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(dir.join(PID_FILE), std::process::id().to_string())?;
        let mut benches = Vec::with_capacity(scenarios.len());
        for (index, scenario) in scenarios.into_iter().enumerate() {
            let link = dir.join(format!("bench{}", index + 1));
            let options = SimOptions {
                // Each bench rolls its own dice, so two benches never fail in lockstep.
                seed: options.seed.wrapping_add(index as u64),
                ..options.clone()
            };
            benches.push(SimBench::start(scenario, &link, options)?);
        }
        Ok(Self { benches, dir })
    }

    /// The port paths to open, one per bench.
    pub fn ports(&self) -> Vec<PathBuf> {
        self.benches
            .iter()
            .map(|b| b.link().to_path_buf())
            .collect()
    }
}
