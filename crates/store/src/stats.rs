//! Figures for the quality manager's dashboard, each one SQL aggregate over
//! a window of time: the battery health of the intakes, the grades given, the
//! bench tests that failed, and how many devices each technician read a day.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::codec::timestamp;
use crate::error::StoreError;
use crate::store::Store;

/// A word and how many records carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordCount {
    pub word: String,
    pub count: u32,
}

/// Intakes whose state of health fell in `[from_pct, from_pct + width)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SohBucket {
    pub from_pct: u32,
    pub count: u32,
}

/// One bench test: how often it ran and how often it failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestTally {
    pub name: String,
    pub runs: u32,
    pub failed: u32,
    pub skipped: u32,
}

/// Devices one operator read on one day (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorDay {
    pub operator: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    pub devices: u32,
}

/// Everything the dashboard draws, for intakes started and grades given in
/// `[since, until)`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DashboardFigures {
    pub intakes: u32,
    pub devices: u32,
    /// Buckets of `soh_width_pct` points, lowest first; empty ones left out.
    pub soh: Vec<SohBucket>,
    pub soh_width_pct: u32,
    pub battery_verdicts: Vec<WordCount>,
    pub lock_verdicts: Vec<WordCount>,
    /// Listing grades of the grades given.
    pub grades: Vec<WordCount>,
    pub outcomes: Vec<WordCount>,
    /// By test name.
    pub tests: Vec<TestTally>,
    /// By day, then operator.
    pub per_operator_day: Vec<OperatorDay>,
}

/// The width of a state-of-health bucket, in percentage points.
pub const SOH_BUCKET_PCT: u32 = 5;

impl Store {
    /// The dashboard's figures for `[since, until)`.
    pub fn dashboard(
        &self,
        since: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<DashboardFigures, StoreError> {
        let window = [timestamp(since), timestamp(until)];
        let counts = |sql: &str| -> Result<Vec<WordCount>, StoreError> {
            let mut statement = self.conn.prepare_cached(sql)?;
            let rows = statement.query_map(rusqlite::params_from_iter(&window), |row| {
                Ok(WordCount {
                    word: row.get(0)?,
                    count: row.get(1)?,
                })
            })?;
            Ok(rows.collect::<Result<_, _>>()?)
        };
        let (intakes, devices) = self.conn.query_row(
            "SELECT COUNT(*), COUNT(DISTINCT device_id) FROM intakes
             WHERE started_at >= ?1 AND started_at < ?2",
            rusqlite::params_from_iter(&window),
            |row| Ok((row.get::<_, u32>(0)?, row.get::<_, u32>(1)?)),
        )?;
        let soh = {
            let mut statement = self.conn.prepare_cached(
                "SELECT CAST(soh_pct / ?3 AS INTEGER) * ?3 AS bucket, COUNT(*) FROM intakes
                 WHERE started_at >= ?1 AND started_at < ?2 AND soh_pct IS NOT NULL
                 GROUP BY bucket ORDER BY bucket",
            )?;
            let rows = statement.query_map(
                rusqlite::params![window[0], window[1], SOH_BUCKET_PCT],
                |row| {
                    Ok(SohBucket {
                        from_pct: row.get(0)?,
                        count: row.get(1)?,
                    })
                },
            )?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let tests = {
            let mut statement = self.conn.prepare_cached(
                "SELECT t.value ->> 0 AS name, COUNT(*),
                        SUM(t.value ->> 1 = 'fail'), SUM(t.value ->> 1 = 'skip')
                 FROM intakes i, json_each(i.tests_json) t
                 WHERE i.started_at >= ?1 AND i.started_at < ?2
                 GROUP BY name ORDER BY name",
            )?;
            let rows = statement.query_map(rusqlite::params_from_iter(&window), |row| {
                Ok(TestTally {
                    name: row.get(0)?,
                    runs: row.get(1)?,
                    failed: row.get(2)?,
                    skipped: row.get(3)?,
                })
            })?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        let per_operator_day = {
            let mut statement = self.conn.prepare_cached(
                "SELECT operator, substr(started_at, 1, 10) AS day, COUNT(DISTINCT device_id)
                 FROM intakes WHERE started_at >= ?1 AND started_at < ?2
                 GROUP BY day, operator ORDER BY day, operator",
            )?;
            let rows = statement.query_map(rusqlite::params_from_iter(&window), |row| {
                Ok(OperatorDay {
                    operator: row.get(0)?,
                    day: row.get(1)?,
                    devices: row.get(2)?,
                })
            })?;
            rows.collect::<Result<Vec<_>, _>>()?
        };
        Ok(DashboardFigures {
            intakes,
            devices,
            soh,
            soh_width_pct: SOH_BUCKET_PCT,
            battery_verdicts: counts(
                "SELECT battery_verdict, COUNT(*) FROM intakes
                 WHERE started_at >= ?1 AND started_at < ?2
                 GROUP BY battery_verdict ORDER BY battery_verdict",
            )?,
            lock_verdicts: counts(
                "SELECT lock_verdict, COUNT(*) FROM intakes
                 WHERE started_at >= ?1 AND started_at < ?2
                 GROUP BY lock_verdict ORDER BY lock_verdict",
            )?,
            grades: counts(
                "SELECT listing_grade, COUNT(*) FROM grades
                 WHERE graded_at >= ?1 AND graded_at < ?2
                 GROUP BY listing_grade ORDER BY listing_grade",
            )?,
            outcomes: counts(
                "SELECT outcome, COUNT(*) FROM grades
                 WHERE graded_at >= ?1 AND graded_at < ?2
                 GROUP BY outcome ORDER BY outcome",
            )?,
            tests,
            per_operator_day,
        })
    }
}
