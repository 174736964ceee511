//! Replication of one station into the site: its audit entries after the site's mark, in
//! batches. Each batch is one transaction on the site that locks the station's row, checks that
//! the batch continues the chain the site holds (`seq` and `prev_hash`), stages entries and
//! records with binary `COPY`, inserts them (`ON CONFLICT DO NOTHING` for entries; a record
//! replaced only by a later entry), counts them per entity and moves the mark. A batch is
//! applied whole or not at all, so a push cut short anywhere resumes from the mark.

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::Type;
use refurbdesk_store::{ReplicaItem, Store};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{classify, Site, SiteError};

/// How a push runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PushOptions {
    /// Audit entries per batch (one transaction on the site each).
    pub batch: u32,
}

impl Default for PushOptions {
    fn default() -> Self {
        PushOptions { batch: 2_000 }
    }
}

/// Where a push is, after each batch it applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushProgress {
    /// The station's mark on the site now.
    pub mark: i64,
    /// The station's last entry when the push began.
    pub head: i64,
    /// Entries applied by this push so far.
    pub entries: u64,
}

/// What one push did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushReport {
    pub site: String,
    pub station_id: Uuid,
    /// The mark the push started from.
    pub from_mark: i64,
    /// The mark it left.
    pub to_mark: i64,
    /// Audit entries applied.
    pub entries: u64,
    /// Records sent with them (inserted or replaced on the site).
    pub records: u64,
    /// Batches applied (one transaction each).
    pub batches: u64,
}

/// What the site holds about one station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationState {
    pub station_id: Uuid,
    /// The seq of its last entry applied on the site.
    pub mark: i64,
    /// RFC 3339, UTC.
    pub last_push_at: Option<String>,
    pub last_error: Option<String>,
    pub last_error_at: Option<String>,
    /// Entries applied per entity.
    pub entities: Vec<(String, i64)>,
}

const ENTRY_COLUMNS: &str = "station_id, seq, id, at, operator, action, entity, entity_id, \
                             before_digest, after_digest, prev_hash, hash";

impl Site {
    /// Sends every entry of `store`'s audit log the site does not hold yet, with its record,
    /// calling `after_batch` after each batch is committed; a push
    /// stops between batches when it returns false.
    pub fn push(
        &mut self,
        store: &Store,
        options: PushOptions,
        after_batch: &mut dyn FnMut(&PushProgress) -> bool,
    ) -> Result<PushReport, SiteError> {
        self.require_schema()?;
        let station = store.station_id();
        let head = store.audit_head()?;
        let shown = self.shown.clone();
        let e = |error| classify(&shown, error);
        // A station role may write for its own station only (bound by its first push).
        self.client
            .execute("SELECT site_claim_station($1)", &[&station])
            .map_err(e)?;
        self.client
            .execute(
                "INSERT INTO site_stations (station_id) VALUES ($1) ON CONFLICT DO NOTHING",
                &[&station],
            )
            .map_err(e)?;
        self.client
            .batch_execute(&format!(
                "CREATE TEMP TABLE IF NOT EXISTS stage_entries AS
                     SELECT {ENTRY_COLUMNS} FROM audit_log WITH NO DATA;
                 CREATE TEMP TABLE IF NOT EXISTS stage_records AS
                     SELECT station_id, entity, entity_id, seq, record FROM records WITH NO DATA;"
            ))
            .map_err(e)?;
        let mut report = PushReport {
            site: shown.clone(),
            station_id: station,
            from_mark: self.mark(station)?,
            to_mark: 0,
            entries: 0,
            records: 0,
            batches: 0,
        };
        report.to_mark = report.from_mark;
        loop {
            let mut tx = self.client.transaction().map_err(e)?;
            let mark: i64 = tx
                .query_one(
                    "SELECT mark FROM site_stations WHERE station_id = $1 FOR UPDATE",
                    &[&station],
                )
                .map_err(e)?
                .get(0);
            let items = store.replica_after(mark, options.batch.max(1))?;
            let Some(first) = items.first() else {
                if mark > head {
                    return Err(SiteError::Diverged {
                        station: station.to_string(),
                        site_mark: mark,
                        detail: format!("the station's log ends at entry {head}"),
                    });
                }
                break;
            };
            check_continues(&mut tx, station, mark, first).map_err(|error| match error {
                Continuity::Broken(detail) => SiteError::Diverged {
                    station: station.to_string(),
                    site_mark: mark,
                    detail,
                },
                Continuity::Site(error) => classify(&shown, error),
            })?;
            let records = stage(&mut tx, station, &items).map_err(e)?;
            let applied: i64 = tx
                .query_one(
                    &format!(
                        "WITH inserted AS (
                             INSERT INTO audit_log ({ENTRY_COLUMNS})
                             SELECT {ENTRY_COLUMNS} FROM stage_entries
                             ON CONFLICT DO NOTHING
                             RETURNING station_id, entity, seq
                         ), counted AS (
                             INSERT INTO site_marks (station_id, entity, last_seq, entries)
                             SELECT station_id, entity, max(seq), count(*) FROM inserted
                             GROUP BY station_id, entity
                             ON CONFLICT (station_id, entity) DO UPDATE
                             SET last_seq = EXCLUDED.last_seq,
                                 entries = site_marks.entries + EXCLUDED.entries
                             RETURNING entries
                         )
                         SELECT count(*) FROM inserted"
                    ),
                    &[],
                )
                .map_err(e)?
                .get(0);
            tx.execute(
                "INSERT INTO records (station_id, entity, entity_id, seq, record)
                 SELECT station_id, entity, entity_id, seq, record FROM stage_records
                 ON CONFLICT (station_id, entity, entity_id) DO UPDATE
                 SET seq = EXCLUDED.seq, record = EXCLUDED.record
                 WHERE records.seq < EXCLUDED.seq",
                &[],
            )
            .map_err(e)?;
            let last = items.last().map_or(mark, |item| item.entry.seq);
            tx.execute(
                "UPDATE site_stations
                 SET mark = $2, last_push_at = now(), last_error = NULL, last_error_at = NULL
                 WHERE station_id = $1",
                &[&station, &last],
            )
            .map_err(e)?;
            tx.batch_execute("TRUNCATE stage_entries, stage_records")
                .map_err(e)?;
            tx.commit().map_err(e)?;
            report.entries += applied as u64;
            report.records += records;
            report.batches += 1;
            report.to_mark = last;
            tracing::debug!(mark = last, applied, "site batch applied");
            let go_on = after_batch(&PushProgress {
                mark: last,
                head,
                entries: report.entries,
            });
            if !go_on {
                break;
            }
        }
        self.client
            .execute(
                "UPDATE site_stations SET last_push_at = now() WHERE station_id = $1",
                &[&station],
            )
            .map_err(e)?;
        Ok(report)
    }

    /// The station's mark on the site (0 when it never pushed).
    pub fn mark(&mut self, station: Uuid) -> Result<i64, SiteError> {
        let row = self
            .client
            .query_opt(
                "SELECT mark FROM site_stations WHERE station_id = $1",
                &[&station],
            )
            .map_err(|error| self.error(error))?;
        Ok(row.map_or(0, |row| row.get(0)))
    }

    /// Keeps a push's failure on the site, for `status` at any station (best effort: the site
    /// may be what failed).
    pub fn record_error(&mut self, station: Uuid, message: &str) -> Result<(), SiteError> {
        self.require_schema()?;
        self.client
            .execute(
                "INSERT INTO site_stations (station_id, last_error, last_error_at)
                 VALUES ($1, $2, now())
                 ON CONFLICT (station_id) DO UPDATE
                 SET last_error = EXCLUDED.last_error, last_error_at = now()",
                &[&station, &message],
            )
            .map_err(|error| self.error(error))?;
        Ok(())
    }

    /// What the site holds about a station, `None` if it never pushed.
    pub fn station_state(&mut self, station: Uuid) -> Result<Option<StationState>, SiteError> {
        self.require_schema()?;
        let Some(row) = self
            .client
            .query_opt(
                "SELECT mark,
                        to_char(last_push_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),
                        last_error,
                        to_char(last_error_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
                 FROM site_stations WHERE station_id = $1",
                &[&station],
            )
            .map_err(|error| self.error(error))?
        else {
            return Ok(None);
        };
        let entities = self
            .client
            .query(
                "SELECT entity, entries FROM site_marks WHERE station_id = $1 ORDER BY entity",
                &[&station],
            )
            .map_err(|error| self.error(error))?
            .into_iter()
            .map(|row| (row.get(0), row.get(1)))
            .collect();
        Ok(Some(StationState {
            station_id: station,
            mark: row.get(0),
            last_push_at: row.get(1),
            last_error: row.get(2),
            last_error_at: row.get(3),
            entities,
        }))
    }
}

enum Continuity {
    Broken(String),
    Site(postgres::Error),
}

/// The batch's first entry must follow the site's last entry of the station.
fn check_continues(
    tx: &mut postgres::Transaction<'_>,
    station: Uuid,
    mark: i64,
    first: &ReplicaItem,
) -> Result<(), Continuity> {
    if first.entry.seq != mark + 1 {
        return Err(Continuity::Broken(format!(
            "its next entry is {} (entries {}..{} are missing)",
            first.entry.seq,
            mark + 1,
            first.entry.seq - 1
        )));
    }
    if mark == 0 {
        return Ok(());
    }
    let hash: Option<String> = tx
        .query_opt(
            "SELECT hash FROM audit_log WHERE station_id = $1 AND seq = $2",
            &[&station, &mark],
        )
        .map_err(Continuity::Site)?
        .map(|row| row.get(0));
    match hash {
        Some(hash) if hash == first.entry.prev_hash => Ok(()),
        _ => Err(Continuity::Broken(format!(
            "its entry {} does not follow the site's entry {mark} (a database restored from an \
             older backup, or another station's file)",
            first.entry.seq
        ))),
    }
}

/// Copies a batch into the staging tables; returns the number of records staged.
fn stage(
    tx: &mut postgres::Transaction<'_>,
    station: Uuid,
    items: &[ReplicaItem],
) -> Result<u64, postgres::Error> {
    let sink = tx.copy_in(&format!(
        "COPY stage_entries ({ENTRY_COLUMNS}) FROM STDIN (FORMAT binary)"
    ))?;
    let mut writer = BinaryCopyInWriter::new(
        sink,
        &[
            Type::UUID,
            Type::INT8,
            Type::UUID,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
            Type::TEXT,
        ],
    );
    for item in items {
        let entry = &item.entry;
        // An id that is not a UUID cannot be in a store's log; the site refuses it whole.
        let id = Uuid::parse_str(&entry.id).unwrap_or_default();
        writer.write(&[
            &station,
            &entry.seq,
            &id,
            &entry.at,
            &entry.operator,
            &entry.action,
            &entry.entity,
            &entry.entity_id,
            &entry.before_digest,
            &entry.after_digest,
            &entry.prev_hash,
            &entry.hash,
        ])?;
    }
    writer.finish()?;

    let sink = tx.copy_in(
        "COPY stage_records (station_id, entity, entity_id, seq, record) FROM STDIN (FORMAT binary)",
    )?;
    let mut writer = BinaryCopyInWriter::new(
        sink,
        &[Type::UUID, Type::TEXT, Type::TEXT, Type::INT8, Type::JSONB],
    );
    let mut records = 0;
    for item in items {
        if let Some(record) = &item.record {
            writer.write(&[
                &station,
                &item.entry.entity,
                &item.entry.entity_id,
                &item.entry.seq,
                record,
            ])?;
            records += 1;
        }
    }
    writer.finish()?;
    Ok(records)
}
