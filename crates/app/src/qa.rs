//! Verification sampling: a share of verified erasures, drawn at random per technician and per
//! week, is re-checked by another operator — a drive or image read back in full against its
//! recorded method, a phone by a recorded manual check. A failed re-check puts the technician's
//! erasures since their last passed sample back in the queue.
//!
//! A draw is replayable: its seed is recorded, and each group's picks are the erasures whose
//! SHA-256 of (seed, erasure id) ranks lowest, so the same seed over the same population picks
//! the same erasures.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use refurbdesk_erasure::{
    reverify, DiskTarget, Event, Method, Outcome, Plan, Seed, Target, Verify,
};
use refurbdesk_store::{NewQaDraw, NewQaResult, QaCandidate, QaCheckKind, QaSample, StoreError};

/// A re-check's result: `pass` or `fail`.
pub use refurbdesk_store::QaResult;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, ErrorCode, Result};
use crate::progress::{Progress, ProgressReport};
use crate::workstation::Workstation;

/// The setting that holds the share of verified erasures drawn, in percent.
pub const SHARE_SETTING: &str = "qa.sample_pct";
/// The share drawn when the setting is not set.
pub const DEFAULT_SHARE_PCT: f64 = 5.0;

/// A draw: a fresh seed, or a recorded one to replay a draw elsewhere.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QaDrawParams {
    /// 64 hex digits; a fresh one when absent.
    pub seed: Option<String>,
}

/// What a draw considered and picked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QaDrawn {
    /// `None` when there was nothing to draw from (nothing is recorded then).
    pub draw_id: Option<Uuid>,
    pub seed: String,
    pub share_pct: f64,
    /// Verified erasures no earlier draw had considered.
    pub considered: u32,
    pub samples: Vec<QaSampleView>,
}

/// One erasure in the queue, or checked already.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QaSampleView {
    pub sample_id: Uuid,
    pub erasure_id: Uuid,
    /// The operator who erased.
    pub technician: String,
    /// ISO week of the erasure, e.g. `2026-W49`.
    pub week: String,
    /// `drawn`, or `flagged` after a failed sample of the same technician.
    pub reason: String,
    pub flagged_by: Option<Uuid>,
    pub queued_at: DateTime<Utc>,
    /// `pass` or `fail`; `None` while waiting.
    pub result: Option<String>,
    /// `readback` or `manual`.
    pub check_kind: Option<String>,
    pub verified_by: Option<String>,
    pub verified_at: Option<DateTime<Utc>>,
    pub note: Option<String>,
    /// How the erasure is checked: `readback` for drives and images, `manual` for phones.
    pub needs: String,
    /// The erased media as recorded.
    pub target: String,
    pub method: String,
}

/// A technician's record of re-checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QaTechnicianRate {
    pub technician: String,
    pub passed: u32,
    pub failed: u32,
    pub waiting: u32,
    /// Passed over checked, in percent; `None` before the first check.
    pub pass_rate_pct: Option<f64>,
}

/// The queue, the checked samples and each technician's pass rate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QaList {
    /// Waiting, oldest first.
    pub queue: Vec<QaSampleView>,
    /// Checked, newest first.
    pub checked: Vec<QaSampleView>,
    pub technicians: Vec<QaTechnicianRate>,
}

/// How the sample is re-checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum QaCheck {
    /// Read the drive or image back in full against the recorded method.
    Target {
        #[ts(type = "string")]
        path: PathBuf,
    },
    /// A person checked the device (a phone or tablet) and says so.
    Manual {
        #[ts(type = "\"pass\" | \"fail\"")]
        result: QaResult,
    },
}

/// Re-check one queued erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QaVerifyParams {
    pub erasure: Uuid,
    pub check: QaCheck,
    pub note: Option<String>,
}

/// The recorded re-check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QaVerified {
    pub sample: QaSampleView,
    /// Bytes read back, for a read-back check.
    #[ts(type = "number | null")]
    pub bytes_verified: Option<u64>,
    /// What a failure put back in the queue.
    pub flagged: Vec<QaSampleView>,
}

/// The share to draw, from the setting.
fn share_pct(ws: &Workstation) -> Result<f64> {
    match ws.store.setting(SHARE_SETTING)? {
        None => Ok(DEFAULT_SHARE_PCT),
        Some(text) => check_share(&text).map_err(|message| Error::new(ErrorCode::Data, message)),
    }
}

/// Whether `text` is a share a draw can take: above 0, at most 100.
pub fn check_share(text: &str) -> std::result::Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(share) if share > 0.0 && share <= 100.0 => Ok(share),
        _ => Err(format!(
            "{SHARE_SETTING} is a percentage above 0 and at most 100 (e.g. 5), not {text:?}"
        )),
    }
}

/// Draws from the verified erasures no earlier draw considered: in each technician's week,
/// the share set (rounded up, so every week with an erasure has at least one sample).
pub fn draw(ws: &mut Workstation, params: QaDrawParams) -> Result<QaDrawn> {
    let actor = ws.actor()?;
    let share = share_pct(ws)?;
    let seed = match params.seed {
        Some(text) => Seed::from_str(text.trim()).map_err(|error| {
            Error::usage(format!(
                "the seed {text:?} cannot be used: {error}; give the 64 hex digits a draw printed"
            ))
        })?,
        None => Seed::generate()
            .map_err(|error| Error::new(ErrorCode::Data, format!("no random seed: {error}")))?,
    };
    let population = ws.store.qa_candidates()?;
    let picked = pick(&population, share, &seed);
    if population.is_empty() {
        return Ok(QaDrawn {
            draw_id: None,
            seed: seed.to_hex(),
            share_pct: share,
            considered: 0,
            samples: Vec::new(),
        });
    }
    let (draw_id, samples) = ws.store.record_qa_draw(&NewQaDraw {
        drawn_by: actor.name,
        share_pct: share,
        seed: seed.to_hex(),
        population: population.clone(),
        picked,
    })?;
    Ok(QaDrawn {
        draw_id: Some(draw_id),
        seed: seed.to_hex(),
        share_pct: share,
        considered: population.len() as u32,
        samples: samples
            .iter()
            .map(|sample| view(ws, sample))
            .collect::<Result<_>>()?,
    })
}

/// The erasures a draw with `seed` picks from `population`: in each (technician, week) group,
/// the `share` rounded up, lowest SHA-256(seed ‖ erasure id) first.
pub fn pick(population: &[QaCandidate], share: f64, seed: &Seed) -> Vec<Uuid> {
    // (technician, week) → each erasure with its rank.
    type Ranked = Vec<([u8; 32], Uuid)>;
    let mut groups: BTreeMap<(&str, &str), Ranked> = BTreeMap::new();
    for candidate in population {
        let mut hasher = Sha256::new();
        hasher.update(seed.0);
        hasher.update(candidate.erasure_id.as_bytes());
        groups
            .entry((candidate.technician.as_str(), candidate.week.as_str()))
            .or_default()
            .push((hasher.finalize().into(), candidate.erasure_id));
    }
    let mut picked = Vec::new();
    for mut group in groups.into_values() {
        group.sort();
        let wanted = ((group.len() as f64) * share / 100.0).ceil().max(1.0) as usize;
        picked.extend(group.into_iter().take(wanted).map(|(_, id)| id));
    }
    picked
}

/// The queue, the checked samples and each technician's pass rate.
pub fn list(ws: &Workstation) -> Result<QaList> {
    let mut queue = Vec::new();
    let mut checked = Vec::new();
    let mut rates: BTreeMap<String, QaTechnicianRate> = BTreeMap::new();
    for sample in ws.store.qa_samples()? {
        let rate = rates
            .entry(sample.technician.clone())
            .or_insert_with(|| QaTechnicianRate {
                technician: sample.technician.clone(),
                passed: 0,
                failed: 0,
                waiting: 0,
                pass_rate_pct: None,
            });
        match sample.result {
            None => rate.waiting += 1,
            Some(QaResult::Pass) => rate.passed += 1,
            Some(QaResult::Fail) => rate.failed += 1,
        }
        let shown = view(ws, &sample)?;
        if sample.result.is_none() {
            queue.push(shown);
        } else {
            checked.push(shown);
        }
    }
    let technicians = rates
        .into_values()
        .map(|mut rate| {
            let checked = rate.passed + rate.failed;
            rate.pass_rate_pct =
                (checked > 0).then(|| 100.0 * f64::from(rate.passed) / f64::from(checked));
            rate
        })
        .collect();
    Ok(QaList {
        queue,
        checked,
        technicians,
    })
}

/// Re-checks a queued erasure as the workstation's operator, who must not be the one who erased.
/// A read-back that is cancelled records nothing.
pub fn verify(
    ws: &mut Workstation,
    params: QaVerifyParams,
    progress: &Progress,
) -> Result<QaVerified> {
    let actor = ws.actor()?;
    let sample = ws.store.open_qa_sample(params.erasure)?.ok_or_else(|| {
        Error::not_found(format!(
            "erasure {} is not waiting in the verification queue; list the queue to see which are",
            params.erasure
        ))
    })?;
    if sample.technician.eq_ignore_ascii_case(&actor.name) {
        return Err(Error::refused(format!(
            "{} erased {} and may not verify it: the re-check must be independent; another operator checks it",
            actor.name, sample.erasure_id
        )));
    }
    let erasure = ws.store.erasure(sample.erasure_id)?.ok_or_else(|| {
        Error::new(
            ErrorCode::Data,
            format!(
                "the queued erasure {} is missing from the database",
                sample.erasure_id
            ),
        )
    })?;
    let manual_only = erasure.details.is_some();
    let (result, kind, bytes_verified) = match (&params.check, manual_only) {
        (QaCheck::Manual { result }, true) => (*result, QaCheckKind::Manual, None),
        (QaCheck::Manual { .. }, false) => {
            return Err(Error::usage(format!(
                "erasure {} was of a drive or image ({}): read it back with its target instead of a manual result",
                erasure.id, erasure.target
            )))
        }
        (QaCheck::Target { .. }, true) => {
            return Err(Error::usage(format!(
                "erasure {} was of a phone or tablet: there is no media to read back; record the result of a manual check",
                erasure.id
            )))
        }
        (QaCheck::Target { path }, false) => {
            let (result, bytes) = read_back(&erasure, path, progress)?;
            (result, QaCheckKind::Readback, Some(bytes))
        }
    };
    let outcome = ws
        .store
        .record_qa_result(&NewQaResult {
            sample_id: sample.id,
            result,
            check_kind: kind,
            verifier: actor.name,
            note: params.note,
        })
        .map_err(|error| match error {
            StoreError::SelfVerification { .. } => Error::from_error(ErrorCode::Refused, &error),
            other => other.into(),
        })?;
    Ok(QaVerified {
        sample: view(ws, &outcome.sample)?,
        bytes_verified,
        flagged: outcome
            .flagged
            .iter()
            .map(|sample| view(ws, sample))
            .collect::<Result<_>>()?,
    })
}

/// Reads the media back in full against the recorded method and seed.
fn read_back(
    erasure: &refurbdesk_store::ErasureRecord,
    path: &std::path::Path,
    progress: &Progress,
) -> Result<(QaResult, u64)> {
    let method = Method::from_str(&erasure.method)
        .map_err(|error| Error::new(ErrorCode::Data, format!("erasure {}: {error}", erasure.id)))?;
    let seed = erasure
        .seed
        .as_deref()
        .map(Seed::from_str)
        .transpose()
        .map_err(|error| {
            Error::new(
                ErrorCode::Data,
                format!("erasure {}: its recorded seed: {error}", erasure.id),
            )
        })?;
    let mut target =
        DiskTarget::open(path).map_err(|error| Error::from_error(ErrorCode::Usage, &error))?;
    if target.len() != erasure.size_bytes {
        return Err(Error::usage(format!(
            "{} holds {} bytes but erasure {} was of {} ({} bytes): this is not the media that was erased",
            path.display(),
            target.len(),
            erasure.id,
            erasure.target,
            erasure.size_bytes
        )));
    }
    let plan = Plan {
        method,
        verify: Verify::Full,
        seed,
        // A full read-back picks no blocks.
        sample_seed: Seed([0; 32]),
    };
    let cancel = progress.cancel.flag();
    let report = reverify(&mut target, &plan, &cancel, &mut |event| {
        if let Event::Progress(step) = event {
            progress.report(ProgressReport {
                task: "qa".to_owned(),
                done: step.bytes_done,
                total: Some(step.bytes_total),
                stage: Some("verify".to_owned()),
            });
        }
    });
    match report.outcome {
        Outcome::Verified => Ok((QaResult::Pass, report.bytes_verified)),
        Outcome::Failed => Ok((QaResult::Fail, report.bytes_verified)),
        Outcome::Interrupted => Err(Error::new(
            ErrorCode::Interrupted,
            "the read-back was stopped before the end; nothing was recorded, the sample still waits",
        )),
    }
}

fn view(ws: &Workstation, sample: &QaSample) -> Result<QaSampleView> {
    let erasure = ws.store.erasure(sample.erasure_id)?;
    Ok(QaSampleView {
        sample_id: sample.id,
        erasure_id: sample.erasure_id,
        technician: sample.technician.clone(),
        week: sample.week.clone(),
        reason: sample.reason.clone(),
        flagged_by: sample.flagged_by,
        queued_at: sample.queued_at,
        result: sample.result.map(|result| result.as_str().to_owned()),
        check_kind: sample.check_kind.clone(),
        verified_by: sample.verified_by.clone(),
        verified_at: sample.verified_at,
        note: sample.note.clone(),
        needs: match erasure.as_ref().map(|erasure| erasure.details.is_some()) {
            Some(true) => "manual",
            _ => "readback",
        }
        .to_owned(),
        target: erasure
            .as_ref()
            .map(|e| e.target.clone())
            .unwrap_or_default(),
        method: erasure
            .as_ref()
            .map(|e| e.method.clone())
            .unwrap_or_default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn candidate(technician: &str, day: u32, n: u128) -> QaCandidate {
        let started_at = Utc.with_ymd_and_hms(2026, 11, day, 9, 0, 0).unwrap();
        QaCandidate {
            erasure_id: Uuid::from_u128(n),
            technician: technician.to_owned(),
            started_at,
            week: refurbdesk_store::iso_week(started_at),
        }
    }

    #[test]
    fn each_technician_week_gets_its_share_rounded_up_and_the_same_seed_picks_the_same() {
        // ana: 40 erasures in week 47 (Nov 16–22), 1 in week 48; ben: 3 in week 47.
        let mut population: Vec<QaCandidate> = (0..40).map(|n| candidate("ana", 17, n)).collect();
        population.push(candidate("ana", 24, 100));
        population.extend((200..203).map(|n| candidate("ben", 18, n)));
        let seed = Seed([7; 32]);
        let picked = pick(&population, 5.0, &seed);
        let of = |technician: &str, week: &str| {
            picked
                .iter()
                .filter(|id| {
                    population.iter().any(|c| {
                        c.erasure_id == **id && c.technician == technician && c.week == week
                    })
                })
                .count()
        };
        assert_eq!(of("ana", "2026-W47"), 2, "5 % of 40");
        assert_eq!(of("ana", "2026-W48"), 1, "at least one");
        assert_eq!(of("ben", "2026-W47"), 1);
        assert_eq!(picked.len(), 4);
        assert_eq!(pick(&population, 5.0, &seed), picked, "replayable");
        let other = pick(&population, 5.0, &Seed([8; 32]));
        assert_ne!(other, picked, "another seed draws others");
        assert_eq!(pick(&population, 100.0, &seed).len(), population.len());
    }

    #[test]
    fn a_share_is_above_zero_and_at_most_a_hundred() {
        assert_eq!(check_share("5"), Ok(5.0));
        assert_eq!(check_share(" 100 "), Ok(100.0));
        for bad in ["0", "-1", "150", "abc", ""] {
            assert!(
                check_share(bad).unwrap_err().contains(SHARE_SETTING),
                "{bad}"
            );
        }
    }
}
