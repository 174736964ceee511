//! Turning a finished reading into a stored intake.

use refurbdesk_store::{BenchInfo, IntakeSummary, NewIntake, Store, StoreError, TestRecord};

use crate::intake::IntakeReading;

#[derive(Debug, thiserror::Error)]
#[error("the intake of slot {slot} could not be recorded: {source}")]
pub struct RecordError {
    pub slot: u16,
    #[source]
    pub source: StoreError,
}

/// Records a reading in one transaction (the store appends an audit entry with it).
pub fn record_reading(
    store: &mut Store,
    reading: &IntakeReading,
    operator: &str,
) -> Result<IntakeSummary, RecordError> {
    let intake = NewIntake {
        bench: BenchInfo {
            serial: reading.bench.serial.clone(),
            vendor: reading.bench.vendor.clone(),
            model: reading.bench.model.clone(),
            fw: reading.bench.fw.clone(),
            port: reading.bench.port.clone(),
        },
        slot: reading.slot,
        identity: reading.identity.clone(),
        battery: reading.battery.clone(),
        lock: reading.lock.clone(),
        tests: reading
            .tests
            .iter()
            .map(|t| TestRecord {
                name: t.name.clone(),
                outcome: t.outcome.as_str().to_ascii_lowercase(),
                detail: t.detail.clone(),
            })
            .collect(),
        // The link's evidence lines are the store's type: kept as they are.
        evidence: reading.evidence.clone(),
        started_at: reading.started_at,
        finished_at: reading.finished_at,
        operator: operator.to_string(),
    };
    store.record_intake(&intake).map_err(|source| RecordError {
        slot: reading.slot,
        source,
    })
}
