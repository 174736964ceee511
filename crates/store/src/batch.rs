//! Recording many intakes in one transaction: for imports, for a station
//! catching up after an outage, and for the benchmark. Each intake is
//! recognised, recorded and audited exactly as [`Store::record_intake`]
//! does; only the commit and the bench bookkeeping are shared.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::error::StoreError;
use crate::intake::{
    find_or_create_device, insert_intake, upsert_bench, upsert_bench_seen, validate, IntakeSummary,
    NewIntake, SerializedIntake,
};
use crate::operators::authorize;
use crate::roles::Action;
use crate::store::Store;

/// A bench met earlier in the batch, whose later sightings are folded into
/// one update at the end.
struct BenchInBatch<'a> {
    id: Uuid,
    latest: &'a NewIntake,
    last_seen: DateTime<Utc>,
    seen_again: bool,
}

impl Store {
    /// Records `intakes` in order, in one transaction: all of them or, if
    /// any is refused, none (the error names the refused intake's position
    /// when it was refused before the transaction began).
    ///
    /// The result is what calling [`Store::record_intake`] on each in turn
    /// would leave, except that a bench used by several intakes of the batch
    /// gets one `bench.updated` audit entry for the batch instead of one per
    /// intake. Every device, intake and operator check is audited and
    /// chained exactly as for a single intake.
    pub fn record_intakes(
        &mut self,
        intakes: &[NewIntake],
    ) -> Result<Vec<IntakeSummary>, StoreError> {
        if intakes.is_empty() {
            return Ok(Vec::new());
        }
        let serialized = intakes
            .iter()
            .enumerate()
            .map(|(index, intake)| {
                validate(intake)
                    .and_then(|()| SerializedIntake::new(intake))
                    .map_err(|error| at_position(index, error))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let station_id = self.station_id;
        self.write("record a batch of intakes", |tx| {
            // The write lock is held for the whole batch, so an operator
            // allowed once stays allowed until the commit.
            let mut authorized: HashSet<&str> = HashSet::new();
            let mut benches: Vec<BenchInBatch<'_>> = Vec::new();
            let mut bench_index: HashMap<&str, usize> = HashMap::new();
            let mut summaries = Vec::with_capacity(intakes.len());
            for (intake, serialized) in intakes.iter().zip(&serialized) {
                if !authorized.contains(intake.operator.as_str()) {
                    authorize(tx, &intake.operator, Action::Intake)?;
                    authorized.insert(&intake.operator);
                }
                let bench_id = match bench_index.get(intake.bench.serial.as_str()) {
                    Some(&index) => {
                        let bench = &mut benches[index];
                        bench.latest = intake;
                        bench.last_seen = bench.last_seen.max(intake.finished_at);
                        bench.seen_again = true;
                        bench.id
                    }
                    None => {
                        let id = upsert_bench(tx, station_id, intake)?;
                        bench_index.insert(&intake.bench.serial, benches.len());
                        benches.push(BenchInBatch {
                            id,
                            latest: intake,
                            last_seen: intake.finished_at,
                            seen_again: false,
                        });
                        id
                    }
                };
                let (device_id, new_device) = find_or_create_device(tx, station_id, intake)?;
                let intake_id =
                    insert_intake(tx, station_id, bench_id, device_id, intake, serialized)?;
                summaries.push(IntakeSummary {
                    intake_id,
                    device_id,
                    new_device,
                });
            }
            for bench in benches.iter().filter(|bench| bench.seen_again) {
                upsert_bench_seen(
                    tx,
                    station_id,
                    &bench.latest.bench,
                    &bench.latest.operator,
                    bench.latest.started_at,
                    bench.last_seen,
                )?;
            }
            Ok(summaries)
        })
    }
}

/// Points a validation error at the intake it is about.
fn at_position(index: usize, error: StoreError) -> StoreError {
    match error {
        StoreError::InvalidIntake { field, reason } => StoreError::InvalidIntake {
            field: format!("intakes[{index}].{field}"),
            reason,
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use refurbdesk_domain::{
        assess_battery, assess_lock, AccountLock, ActivationLock, BatteryPolicy, BatteryReading,
        CarrierLock, CycleLimits, DeviceCategory, DeviceIdentity, LockReading, MdmState,
    };

    use crate::intake::{BenchInfo, Direction, EvidenceLine, NewIntake, TestRecord};
    use crate::store::{Store, MIGRATIONS};

    fn intake(imei: &str, minute: i64) -> NewIntake {
        let at = Utc
            .with_ymd_and_hms(2025, 3, 14, 9, 0, 0)
            .single()
            .expect("valid date")
            + chrono::Duration::minutes(minute);
        let mut identity = DeviceIdentity::new(DeviceCategory::Phone, "Apple", "iPhone 12");
        identity.imei = Some(imei.to_owned());
        let battery = assess_battery(
            &BatteryReading {
                present: Some(true),
                design_mah: Some(2815),
                full_mah: Some(2400),
                ..BatteryReading::default()
            },
            &identity,
            &BatteryPolicy::default(),
            CycleLimits::embedded(),
        );
        let lock = assess_lock(&LockReading {
            activation: ActivationLock::Unlocked,
            account: AccountLock::None,
            mdm: MdmState::None,
            carrier: CarrierLock::Unlocked,
        });
        NewIntake {
            bench: BenchInfo {
                serial: "PB8-0001".to_owned(),
                vendor: "Acme".to_owned(),
                model: "PB-8".to_owned(),
                fw: "1.0".to_owned(),
                port: "/dev/ttyACM0".to_owned(),
            },
            slot: 1,
            identity,
            battery,
            lock,
            tests: vec![TestRecord {
                name: "wifi".to_owned(),
                outcome: "pass".to_owned(),
                detail: None,
            }],
            evidence: (0..3)
                .map(|n| EvidenceLine {
                    at,
                    direction: Direction::Bench,
                    line: format!("{n} OK*00"),
                })
                .collect(),
            started_at: at,
            finished_at: at + chrono::Duration::seconds(60),
            operator: "ana".to_owned(),
        }
    }

    /// Version 4 rebuilds the test and evidence tables; intakes recorded
    /// before must still match the digests their audit entries hold.
    #[test]
    fn upgrading_to_version_4_keeps_every_intake_and_its_digest() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("station.db");
        let mut old = Store::open_with_migrations(&path, &MIGRATIONS[..3]).expect("opens at v3");
        let first = old.record_intake(&intake("356728114587211", 0)).expect("1");
        let second = old.record_intake(&intake("490154203237518", 5)).expect("2");
        let before = (
            old.intake(first.intake_id).expect("read"),
            old.intake(second.intake_id).expect("read"),
        );
        drop(old);

        let store = Store::open(&path).expect("upgrades");
        assert!(store.schema_version().expect("version") >= 4);
        let after = (
            store.intake(first.intake_id).expect("read"),
            store.intake(second.intake_id).expect("read"),
        );
        assert_eq!(after, before);
        assert_eq!(after.0.map(|i| i.evidence.len()), Some(3));
        let report = store.check().expect("check");
        assert!(report.is_ok(), "{report:?}");

        let raw = rusqlite::Connection::open(&path).expect("raw");
        for table in ["intake_tests", "intake_evidence"] {
            let sql: String = raw
                .query_row(
                    "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = ?1",
                    [table],
                    |row| row.get(0),
                )
                .expect("table exists");
            assert!(sql.ends_with("STRICT, WITHOUT ROWID"), "{sql}");
            let error = raw
                .execute(&format!("DELETE FROM {table}"), [])
                .expect_err("still append-only");
            assert!(error.to_string().contains("history"), "{error}");
        }
    }
}
