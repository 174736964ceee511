//! The shape of an intake as `refurbdesk intake --json` prints it and the UI shows it.

use std::collections::BTreeMap;

use refurbdesk_bench_protocol::TestOutcome;
use refurbdesk_domain::SohSource;
use serde::Serialize;
use uuid::Uuid;

use crate::intake::IntakeReading;

/// One intake, flattened for people and scripts: fields the bench did not send are `null`.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct IntakeReport {
    pub intake_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub bench: BenchReport,
    pub slot: u16,
    pub device: DeviceReport,
    pub battery: BatteryReport,
    pub lock: LockReport,
    #[cfg_attr(
        feature = "ts",
        ts(type = "Record<string, \"pass\" | \"fail\" | \"skip\">")
    )]
    pub tests: BTreeMap<String, TestOutcome>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BenchReport {
    pub serial: String,
    pub vendor: String,
    pub model: String,
    pub port: String,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DeviceReport {
    pub category: String,
    pub make: String,
    pub model: String,
    pub model_code: Option<String>,
    pub serial: Option<String>,
    pub imei: Option<String>,
    pub imei_valid: Option<bool>,
    pub storage_gb: Option<u32>,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct BatteryReport {
    pub present: Option<bool>,
    pub design_mah: Option<u32>,
    pub full_mah: Option<u32>,
    pub design_mwh: Option<u32>,
    pub full_mwh: Option<u32>,
    pub cycles: Option<u32>,
    /// To one decimal, rounded down, for display: never better than the verdict, which was taken
    /// on `soh_pct_exact` (84.96 shows as 84.9 beside `replace`, never 85.0).
    pub soh_pct: Option<f64>,
    /// The state of health the verdict was taken on, unrounded.
    pub soh_pct_exact: Option<f64>,
    #[cfg_attr(feature = "ts", ts(type = "\"computed\" | \"device\" | null"))]
    pub soh_source: Option<SohSource>,
    pub reported_soh_pct: Option<f64>,
    pub verdict: String,
    pub reasons: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LockReport {
    pub activation: String,
    pub account: String,
    pub mdm: String,
    pub carrier: String,
    pub verdict: String,
    pub reasons: Vec<String>,
}

impl IntakeReport {
    pub fn new(reading: &IntakeReading, ids: Option<(Uuid, Uuid)>) -> Self {
        let identity = &reading.identity;
        let battery = &reading.battery;
        let lock = &reading.lock.reading;
        Self {
            intake_id: ids.map(|(intake, _)| intake),
            device_id: ids.map(|(_, device)| device),
            bench: BenchReport {
                serial: reading.bench.serial.clone(),
                vendor: reading.bench.vendor.clone(),
                model: reading.bench.model.clone(),
                port: reading.bench.port.clone(),
            },
            slot: reading.slot,
            device: DeviceReport {
                category: identity.category.as_str().to_string(),
                make: identity.make.clone(),
                model: identity.model.clone(),
                model_code: identity.model_code.clone(),
                serial: identity.serial.clone(),
                imei: identity.imei.clone(),
                imei_valid: identity.imei_valid,
                storage_gb: identity.storage_gb,
                reasons: identity.reasons.clone(),
            },
            battery: BatteryReport {
                present: battery.reading.present,
                design_mah: battery.reading.design_mah,
                full_mah: battery.reading.full_mah,
                design_mwh: battery.reading.design_mwh,
                full_mwh: battery.reading.full_mwh,
                cycles: battery.reading.cycles,
                soh_pct: battery.soh_pct_display(),
                soh_pct_exact: battery.soh_pct,
                soh_source: battery.soh_source,
                reported_soh_pct: battery.reported_soh_pct,
                verdict: battery.verdict.as_str().to_string(),
                reasons: battery.reasons.clone(),
            },
            lock: LockReport {
                activation: lock.activation.as_str().to_string(),
                account: lock.account.as_str().to_string(),
                mdm: lock.mdm.as_str().to_string(),
                carrier: lock.carrier.as_str().to_string(),
                verdict: reading.lock.verdict.as_str().to_string(),
                reasons: reading.lock.reasons.clone(),
            },
            tests: reading
                .tests
                .iter()
                .map(|t| (t.name.clone(), t.outcome))
                .collect(),
        }
    }

    /// One line for the terminal, e.g. `iPhone 12 (IMEI 356…) — battery 86.0 % pass, lock clear, 12/12 tests passed`.
    pub fn summary_line(&self) -> String {
        let id = match (&self.device.imei, &self.device.serial) {
            (Some(imei), _) => format!("IMEI {imei}"),
            (None, Some(serial)) => format!("serial {serial}"),
            (None, None) => "no IMEI or serial".to_string(),
        };
        let soh = self
            .battery
            .soh_pct
            .map(|s| format!("{s:.1} % "))
            .unwrap_or_default();
        let passed = self
            .tests
            .values()
            .filter(|o| **o == TestOutcome::Pass)
            .count();
        format!(
            "{} {} ({id}) — battery {soh}{}, lock {}, {passed}/{} tests passed",
            self.device.make,
            self.device.model,
            self.battery.verdict,
            self.lock.verdict,
            self.tests.len()
        )
    }
}
