//! The site's check: each station's audit chain verified as that station wrote it, and every
//! replicated record compared with the digest its latest entry holds, naming the station and
//! the record that no longer matches.

use postgres::fallible_iterator::FallibleIterator;
use refurbdesk_store::{replicated_digest, AuditProblem, AuditReport, ChainWalk, ReplicaEntry};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Site, SiteError};

/// One station's chain on the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationChain {
    pub station_id: Uuid,
    /// Entries verified before the first problem (all of them when `problem` is `None`).
    pub entries_verified: i64,
    /// The first entry found wrong, as a sentence naming it.
    pub problem: Option<String>,
    /// Its seq.
    pub problem_seq: Option<i64>,
}

/// What is wrong with a replicated record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteMismatchKind {
    /// The record differs from what its latest entry recorded.
    Changed,
    /// The latest entry recorded the record, but the site does not hold it.
    Missing,
    /// The site holds a record no entry of its station names.
    Unaudited,
}

/// A record of a station that does not match its station's audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteMismatch {
    pub station_id: Uuid,
    pub entity: String,
    pub entity_id: String,
    pub kind: SiteMismatchKind,
    /// The entry it was compared with.
    pub seq: Option<i64>,
}

impl std::fmt::Display for SiteMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let Self {
            station_id,
            entity,
            entity_id,
            kind,
            seq,
        } = self;
        let seq = seq.unwrap_or_default();
        match kind {
            SiteMismatchKind::Changed => write!(
                f,
                "station {station_id}: {entity} {entity_id} differs from what its audit entry \
                 {seq} recorded: it was changed on the site"
            ),
            SiteMismatchKind::Missing => write!(
                f,
                "station {station_id}: {entity} {entity_id}, recorded by its audit entry {seq}, \
                 is missing from the site"
            ),
            SiteMismatchKind::Unaudited => write!(
                f,
                "station {station_id}: {entity} {entity_id} has no audit entry on the site"
            ),
        }
    }
}

/// The whole check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteCheck {
    pub site: String,
    pub stations: Vec<StationChain>,
    pub records_checked: i64,
    pub mismatches: Vec<SiteMismatch>,
}

impl SiteCheck {
    pub fn ok(&self) -> bool {
        self.mismatches.is_empty() && self.stations.iter().all(|chain| chain.problem.is_none())
    }
}

/// One station's audit chain as the site holds it, walked as the station's own `audit verify`
/// walks it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteChainReport {
    pub station_id: Uuid,
    /// The seq of the station's last entry the site applied (its high-water mark).
    pub mark: i64,
    /// `{"status": "intact", "entries"}` or `{"status": "broken", "entries_verified",
    /// "problem": {"kind", "seq", ...}}`, as the station's own report.
    #[serde(flatten)]
    pub report: AuditReport,
}

impl SiteChainReport {
    /// The chain's state as [`SiteCheck`] lists it.
    fn as_station_chain(&self) -> StationChain {
        let station = self.station_id;
        match &self.report {
            AuditReport::Intact { entries } => StationChain {
                station_id: station,
                entries_verified: *entries as i64,
                problem: None,
                problem_seq: None,
            },
            AuditReport::Broken {
                entries_verified,
                problem,
            } => StationChain {
                station_id: station,
                entries_verified: *entries_verified as i64,
                problem: Some(format!("station {station}: {problem}")),
                problem_seq: Some(problem.seq()),
            },
        }
    }
}

/// Every station's audit chain on the site.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteAudit {
    /// The site's URL, without its password.
    pub site: String,
    /// Each station that ever pushed, by id.
    pub stations: Vec<SiteChainReport>,
}

impl SiteAudit {
    /// Whether every chain holds.
    pub fn ok(&self) -> bool {
        self.stations.iter().all(|chain| chain.report.is_intact())
    }
}

impl Site {
    /// Verifies every station's chain and every record.
    pub fn check(&mut self) -> Result<SiteCheck, SiteError> {
        let audit = self.verify_chains()?;
        let (records_checked, mismatches) = self.check_records()?;
        Ok(SiteCheck {
            site: self.shown.clone(),
            stations: audit
                .stations
                .iter()
                .map(SiteChainReport::as_station_chain)
                .collect(),
            records_checked,
            mismatches,
        })
    }

    /// Walks every station's audit chain as the site holds it: `seq` from 1 without gaps,
    /// each entry's hash recomputed, each `prev_hash` the hash before it (the station's own
    /// walk, [`ChainWalk`]), and the chain reaching the station's mark (entries cut from its
    /// end are named too).
    pub fn verify_chains(&mut self) -> Result<SiteAudit, SiteError> {
        self.require_schema()?;
        let stations: Vec<Uuid> = self
            .client
            .query(
                "SELECT station_id FROM site_stations ORDER BY station_id",
                &[],
            )
            .map_err(|error| self.error(error))?
            .into_iter()
            .map(|row| row.get(0))
            .collect();
        let mut chains = Vec::with_capacity(stations.len());
        for station in stations {
            chains.push(self.verify_chain(station)?);
        }
        Ok(SiteAudit {
            site: self.shown.clone(),
            stations: chains,
        })
    }

    fn verify_chain(&mut self, station: Uuid) -> Result<SiteChainReport, SiteError> {
        let shown = self.shown.clone();
        let e = |error| crate::classify(&shown, error);
        // One snapshot: a push committing meanwhile is seen whole (mark and entries) or not.
        let mut tx = self
            .client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(e)?;
        let head = tx
            .query_one(
                "SELECT s.mark, (SELECT COALESCE(max(seq), 0) FROM audit_log a
                                 WHERE a.station_id = s.station_id)
                 FROM site_stations s WHERE s.station_id = $1",
                &[&station],
            )
            .map_err(e)?;
        let (mark, max_seq): (i64, i64) = (head.get(0), head.get(1));
        let mut rows = tx
            .query_raw(
                "SELECT seq, id::text, at, operator, action, entity, entity_id, before_digest,
                        after_digest, prev_hash, hash
                 FROM audit_log WHERE station_id = $1 ORDER BY seq",
                &[&station],
            )
            .map_err(e)?;
        let station_text = station.hyphenated().to_string();
        let mut walk = ChainWalk::new(max_seq);
        let mut broken = None;
        while let Some(row) = rows.next().map_err(e)? {
            let entry = ReplicaEntry {
                seq: row.get(0),
                id: row.get(1),
                at: row.get(2),
                station_id: station_text.clone(),
                operator: row.get(3),
                action: row.get(4),
                entity: row.get(5),
                entity_id: row.get(6),
                before_digest: row.get(7),
                after_digest: row.get(8),
                prev_hash: row.get(9),
                hash: row.get(10),
            };
            if let Some(report) = walk.step(entry) {
                broken = Some(report);
                break;
            }
        }
        drop(rows);
        tx.commit().map_err(e)?;
        let report = match broken {
            Some(report) => report,
            // The site applied entries up to its mark: fewer now means some were cut from the
            // end, which the hashes alone cannot show.
            None if (walk.verified() as i64) < mark => AuditReport::Broken {
                entries_verified: walk.verified(),
                problem: AuditProblem::Truncated {
                    seq: walk.verified() as i64 + 1,
                    last_seq: mark,
                },
            },
            None => walk.finish(),
        };
        Ok(SiteChainReport {
            station_id: station,
            mark,
            report,
        })
    }

    fn check_records(&mut self) -> Result<(i64, Vec<SiteMismatch>), SiteError> {
        let shown = self.shown.clone();
        let e = |error| crate::classify(&shown, error);
        let mut tx = self.client.transaction().map_err(e)?;
        let mut mismatches = Vec::new();
        let mut checked = 0;
        {
            let mut rows = tx
                .query_raw(
                    "SELECT r.station_id, r.entity, r.entity_id, r.record, a.seq, a.after_digest
                     FROM records r
                     LEFT JOIN LATERAL (
                         SELECT seq, after_digest FROM audit_log a
                         WHERE a.station_id = r.station_id AND a.entity = r.entity
                           AND a.entity_id = r.entity_id
                         ORDER BY seq DESC LIMIT 1
                     ) a ON true
                     ORDER BY r.station_id, r.entity, r.entity_id",
                    std::iter::empty::<&str>(),
                )
                .map_err(e)?;
            while let Some(row) = rows.next().map_err(e)? {
                checked += 1;
                let station_id: Uuid = row.get(0);
                let entity: String = row.get(1);
                let entity_id: String = row.get(2);
                let record: serde_json::Value = row.get(3);
                let seq: Option<i64> = row.get(4);
                let logged: Option<String> = row.get(5);
                let kind = match seq {
                    None => Some(SiteMismatchKind::Unaudited),
                    Some(_) if logged != replicated_digest(&entity, &record) => {
                        Some(SiteMismatchKind::Changed)
                    }
                    Some(_) => None,
                };
                if let Some(kind) = kind {
                    mismatches.push(SiteMismatch {
                        station_id,
                        entity,
                        entity_id,
                        kind,
                        seq,
                    });
                }
            }
        }
        {
            // The latest entry of each record that says it exists, where the site has no
            // record (entities whose records stay at the station aside).
            let excluded: Vec<String> = refurbdesk_store::NOT_REPLICATED
                .iter()
                .map(|entity| (*entity).to_owned())
                .collect();
            let rows = tx
                .query(
                    "SELECT a.station_id, a.entity, a.entity_id, a.seq FROM audit_log a
                     WHERE a.after_digest IS NOT NULL
                       AND a.entity <> ALL($1)
                       AND a.seq = (SELECT max(b.seq) FROM audit_log b
                                    WHERE b.station_id = a.station_id AND b.entity = a.entity
                                      AND b.entity_id = a.entity_id)
                       AND NOT EXISTS (SELECT 1 FROM records r
                                       WHERE r.station_id = a.station_id
                                         AND r.entity = a.entity AND r.entity_id = a.entity_id)
                     ORDER BY a.station_id, a.seq",
                    &[&excluded],
                )
                .map_err(e)?;
            for row in rows {
                mismatches.push(SiteMismatch {
                    station_id: row.get(0),
                    entity: row.get(1),
                    entity_id: row.get(2),
                    kind: SiteMismatchKind::Missing,
                    seq: Some(row.get(3)),
                });
            }
        }
        tx.commit().map_err(e)?;
        Ok((checked, mismatches))
    }
}
