//! The quality manager's dashboard: how the batteries, grades, bench tests and technicians of a
//! period did, as plain figures a window draws as charts.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, Result};
use crate::workstation::Workstation;

/// The period the dashboard covers: intakes started and grades given in `[since, until)`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DashboardParams {
    /// 30 days before `until` when unset.
    #[serde(default)]
    pub since: Option<DateTime<Utc>>,
    /// Now when unset.
    #[serde(default)]
    pub until: Option<DateTime<Utc>>,
}

/// The period a dashboard covers when none is given.
pub const DEFAULT_DAYS: i64 = 30;

/// A word (a verdict, a grade, an outcome) and how many records carry it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WordCount {
    pub word: String,
    pub count: u32,
}

/// Intakes whose state of health fell in `[from_pct, from_pct + soh_width_pct)`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SohBucket {
    pub from_pct: u32,
    pub count: u32,
}

/// One bench test: how often it ran, failed and was skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TestRate {
    pub name: String,
    pub runs: u32,
    pub failed: u32,
    pub skipped: u32,
}

/// Devices one technician read on one day (UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TechnicianDay {
    pub operator: String,
    /// `YYYY-MM-DD`.
    pub day: String,
    pub devices: u32,
}

/// What the dashboard draws.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Dashboard {
    pub since: DateTime<Utc>,
    pub until: DateTime<Utc>,
    pub intakes: u32,
    pub devices: u32,
    /// State-of-health distribution, lowest bucket first; empty buckets left out.
    pub soh: Vec<SohBucket>,
    pub soh_width_pct: u32,
    pub battery_verdicts: Vec<WordCount>,
    pub lock_verdicts: Vec<WordCount>,
    /// Listing grades of the grades given.
    pub grades: Vec<WordCount>,
    pub outcomes: Vec<WordCount>,
    /// Every bench test by name.
    pub tests: Vec<TestRate>,
    /// By day, then technician.
    pub per_technician_day: Vec<TechnicianDay>,
}

/// The dashboard's figures for the period asked (the last 30 days by default).
pub fn dashboard(ws: &Workstation, params: DashboardParams) -> Result<Dashboard> {
    let until = params.until.unwrap_or_else(Utc::now);
    let since = params.since.unwrap_or(until - Duration::days(DEFAULT_DAYS));
    if since >= until {
        return Err(Error::usage(format!(
            "the period starts at {since} and ends at {until}: its start must come before its end"
        )));
    }
    let figures = ws.store.dashboard(since, until)?;
    let words = |counts: Vec<refurbdesk_store::WordCount>| {
        counts
            .into_iter()
            .map(|count| WordCount {
                word: count.word,
                count: count.count,
            })
            .collect()
    };
    Ok(Dashboard {
        since,
        until,
        intakes: figures.intakes,
        devices: figures.devices,
        soh: figures
            .soh
            .into_iter()
            .map(|bucket| SohBucket {
                from_pct: bucket.from_pct,
                count: bucket.count,
            })
            .collect(),
        soh_width_pct: figures.soh_width_pct,
        battery_verdicts: words(figures.battery_verdicts),
        lock_verdicts: words(figures.lock_verdicts),
        grades: words(figures.grades),
        outcomes: words(figures.outcomes),
        tests: figures
            .tests
            .into_iter()
            .map(|test| TestRate {
                name: test.name,
                runs: test.runs,
                failed: test.failed,
                skipped: test.skipped,
            })
            .collect(),
        per_technician_day: figures
            .per_operator_day
            .into_iter()
            .map(|day| TechnicianDay {
                operator: day.operator,
                day: day.day,
                devices: day.devices,
            })
            .collect(),
    })
}
