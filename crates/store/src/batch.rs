//! Recording many intakes in one transaction: for imports, for a station
//! catching up after an outage, and for the benchmark. Each intake is
//! recognised, recorded and audited exactly as [`Store::record_intake`]
//! does; only the commit and the bench bookkeeping are shared.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::audit::Chain;
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
        let serialized = serialize_all(intakes)?;
        let station_id = self.station_id;
        let summaries = self.write("record a batch of intakes", |tx| {
            let mut chain = Chain::head(tx)?;
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
                        let id = upsert_bench(tx, &mut chain, station_id, intake)?;
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
                let (device_id, new_device) =
                    find_or_create_device(tx, &mut chain, station_id, intake)?;
                let intake_id = insert_intake(
                    tx, &mut chain, station_id, bench_id, device_id, intake, serialized,
                )?;
                summaries.push(IntakeSummary {
                    intake_id,
                    device_id,
                    new_device,
                });
            }
            for bench in benches.iter().filter(|bench| bench.seen_again) {
                upsert_bench_seen(
                    tx,
                    &mut chain,
                    station_id,
                    &bench.latest.bench,
                    &bench.latest.operator,
                    bench.latest.started_at,
                    bench.last_seen,
                )?;
            }
            Ok(summaries)
        })?;
        self.intakes_written(summaries.len());
        Ok(summaries)
    }
}

/// Below this many intakes a batch is serialized on the calling thread: a
/// thread costs more than it saves.
const SERIALIZE_ALONE_BELOW: usize = 64;

/// Validates and serializes every intake of a batch, the second half on a
/// second thread: this JSON is a tenth of the time a batch takes, and the
/// transaction that follows can only use one core. The first error, in
/// batch order, is the one reported.
fn serialize_all(intakes: &[NewIntake]) -> Result<Vec<SerializedIntake>, StoreError> {
    let serialize = |offset: usize, part: &[NewIntake]| {
        part.iter()
            .enumerate()
            .map(|(index, intake)| {
                validate(intake)
                    .and_then(|()| SerializedIntake::new(intake))
                    .map_err(|error| at_position(offset + index, error))
            })
            .collect::<Result<Vec<_>, _>>()
    };
    if intakes.len() < SERIALIZE_ALONE_BELOW {
        return serialize(0, intakes);
    }
    let middle = intakes.len() / 2;
    let (first, second) = intakes.split_at(middle);
    let (first, second) = std::thread::scope(|scope| {
        let second = scope.spawn(|| serialize(middle, second));
        let first = serialize(0, first);
        // A panic while serializing is a bug; carry it to the caller.
        let second = second
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (first, second)
    });
    let mut all = first?;
    all.extend(second?);
    Ok(all)
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
    use crate::intake::legacy::{self, dump, sample};
    use crate::store::{Store, MIGRATIONS};

    /// Version 4 rebuilt the test and evidence tables and version 7 moved
    /// their rows into the intake: intakes recorded at version 3 keep every
    /// row and still match the digests their audit entries hold.
    #[test]
    fn upgrading_from_version_3_keeps_every_intake_and_its_digest() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("station.db");
        let mut old = Store::open_with_migrations(&path, &MIGRATIONS[..3]).expect("opens at v3");
        let first = legacy::record_intake(&mut old, &sample("356728114587211", 0));
        let second = legacy::record_intake(&mut old, &sample("490154203237518", 5));
        drop(old);
        let rows = |path: &std::path::Path| {
            let raw = rusqlite::Connection::open(path).expect("raw");
            (
                dump(&raw, "SELECT * FROM intake_tests ORDER BY intake_id, seq"),
                dump(
                    &raw,
                    "SELECT * FROM intake_evidence ORDER BY intake_id, seq",
                ),
            )
        };
        let before = rows(&path);

        let store = Store::open(&path).expect("upgrades");
        assert_eq!(rows(&path), before);
        for (summary, minute) in [(first, 0), (second, 5)] {
            let imei = if minute == 0 {
                "356728114587211"
            } else {
                "490154203237518"
            };
            let read = store
                .intake(summary.intake_id)
                .expect("read")
                .expect("there");
            assert_eq!(read.evidence, sample(imei, minute).evidence);
            assert_eq!(read.tests, sample(imei, minute).tests);
        }
        let report = store.check().expect("check");
        assert!(report.is_ok(), "{report:?}");
    }
}
