//! Simulated test benches that speak Bench Protocol v1 on real pseudo-terminals, with seeded faults, for development, tests, benchmarks and the demo station.
//!
//! A [`Scenario`] (a TOML file, see `fixtures/benches/README.md`) says which bench it is, which
//! device sits in which slot and what each answers. [`SimBench::start`] serves it on a PTY whose
//! slave is symlinked at a path of your choice, so a host opens it exactly as it opens
//! `/dev/ttyACM0`. Each bench runs on its own thread: no async runtime is needed to start one,
//! or thirty-two.
//!
//! Faults ([`FaultSpec`]) are decided per outgoing line by a ChaCha RNG seeded with
//! [`SimOptions::seed`], so a run can be replayed. No fault ever turns a value into another
//! valid value: a host that checks CRCs and tags gets the exact values or nothing.
//!
//! ```no_run
//! use std::path::Path;
//! use refurbdesk_bench_sim::{embedded_scenarios, Scenario, SimBench, SimOptions};
//!
//! let (name, text) = embedded_scenarios()[0];
//! let scenario = Scenario::from_toml(text, name)?;
//! let bench = SimBench::start(scenario, Path::new("/tmp/ttyBENCH0"), SimOptions::default())?;
//! // ... open /tmp/ttyBENCH0 as a serial port and send `1 HELLO*A3` ...
//! bench.stop();
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bench;
mod faults;
mod load;
mod pty;
mod responder;
mod scenario;
mod sim;

pub use faults::{FaultKind, FaultSpec, FaultSpecError};
pub use load::{LoadSpec, LoadSpecError, CHANGES_PER_CYCLE, LOAD_SLOTS_PER_BENCH};
pub use responder::{Reply, Responder};
pub use scenario::{
    BatteryFields, BenchIdentity, Churn, DeviceProfile, EraseMethod, EraseOutcome, EraseSpec,
    EraseWireFault, Expectations, ExpectedBatteryVerdict, ExpectedLockVerdict, IdentFields,
    LockFields, Scenario, ScenarioError, TestSpec, TimelineAction, TimelineStep, Timing,
};
pub use sim::{run_until, SimBench, SimError, SimOptions, SimStats};

/// The fixture scenarios of `fixtures/benches/`, built into the binary so that
/// `refurbdesk station --simulate` works from any directory: (file name, text).
pub fn embedded_scenarios() -> &'static [(&'static str, &'static str)] {
    &[
        (
            "phones-pb8.toml",
            include_str!("../../../fixtures/benches/phones-pb8.toml"),
        ),
        (
            "computers-cb4.toml",
            include_str!("../../../fixtures/benches/computers-cb4.toml"),
        ),
        (
            "edge-cases.toml",
            include_str!("../../../fixtures/benches/edge-cases.toml"),
        ),
    ]
}
