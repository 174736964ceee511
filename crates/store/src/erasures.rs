//! Erasure records: what was erased, how, by whom, and what proves it.
//! Written under full durability, since a certificate rests on them.
//!
//! Three kinds share one table: drives and image files overwritten and read
//! back by the erasure engine; phones and tablets erased by a bench
//! (`ERASE slot factory_reset|crypto_erase`), verified when the bench
//! reports `done=ok`; and phones and tablets reset by hand, verified when the
//! operator confirmed every required step of the checklist.
//!
//! An erasure is recorded `running` before anything is erased and finished
//! once. A `running` record whose process has gone (a crash, a power cut, a
//! kill) is marked `interrupted` the next time the store is opened, so no
//! record can stay "in progress" forever or be mistaken for a finished one.

use std::fmt;

use chrono::{DateTime, Utc};
use refurbdesk_domain::{DeviceIdentity, EvidenceLine};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{
    id_text, optional_text_column, parse_timestamp, parse_uuid, text_column, timestamp,
};
use crate::error::{corrupt, StoreError};
use crate::operators::authorize;
use crate::roles::Action;
use crate::store::{Store, SYSTEM_OPERATOR};

/// Where an erasure stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErasureStatus {
    /// Started and not finished; its process should be alive.
    Running,
    /// Every pass written and the read-back matched.
    Verified,
    /// A write or read failed, or the read-back differed.
    Failed,
    /// Stopped before the end (Ctrl-C, crash, power cut): proves nothing.
    Interrupted,
}

impl ErasureStatus {
    pub const ALL: [ErasureStatus; 4] = [
        ErasureStatus::Running,
        ErasureStatus::Verified,
        ErasureStatus::Failed,
        ErasureStatus::Interrupted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErasureStatus::Running => "running",
            ErasureStatus::Verified => "verified",
            ErasureStatus::Failed => "failed",
            ErasureStatus::Interrupted => "interrupted",
        }
    }

    pub(crate) fn from_word(word: &str) -> Option<ErasureStatus> {
        ErasureStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == word)
    }
}

impl fmt::Display for ErasureStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One fault of an erasure: a refused write or read, or a mismatch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErasureFault {
    /// `write`, `flush`, `read` or `mismatch`.
    pub kind: String,
    pub pass: u32,
    pub offset: u64,
    pub length: u64,
    pub detail: String,
}

/// An erasure about to start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewErasure {
    /// The device path or image file path.
    pub target: String,
    /// `image` or `block`.
    pub target_kind: String,
    /// `zero`, `random` or `dod3`.
    pub method: String,
    pub passes: u32,
    pub seed: Option<String>,
    /// `full` or `sample:PCT`.
    pub verify: String,
    pub verify_seed: Option<String>,
    pub tool_version: String,
    pub operator: String,
    /// The drive's identity as the erasure engine read it.
    pub drive: serde_json::Value,
    pub drive_model: Option<String>,
    pub drive_serial: Option<String>,
    pub size_bytes: u64,
    pub device_id: Option<Uuid>,
    pub started_at: DateTime<Utc>,
}

/// How an erasure ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasureResult {
    /// Anything but `running`.
    pub status: ErasureStatus,
    pub passes_completed: u32,
    pub bytes_written: u64,
    pub bytes_verified: u64,
    pub errors: Vec<ErasureFault>,
    pub fault_count: u64,
    pub note: Option<String>,
    pub finished_at: DateTime<Utc>,
    pub duration_s: f64,
    pub throughput_mib_s: f64,
}

/// Which erasures [`Store::list_erasures`] returns; every field left `None` matches all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErasureFilter {
    pub device_id: Option<Uuid>,
    pub status: Option<ErasureStatus>,
    /// The operator's name, in any case.
    pub operator: Option<String>,
    /// Started at or after.
    pub since: Option<DateTime<Utc>>,
    /// At most this many, newest first.
    pub limit: Option<usize>,
}

/// An erasure as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErasureRecord {
    pub id: Uuid,
    pub station_id: Uuid,
    pub device_id: Option<Uuid>,
    pub target: String,
    pub target_kind: String,
    pub method: String,
    pub passes: u32,
    pub seed: Option<String>,
    pub verify: String,
    pub verify_seed: Option<String>,
    pub status: ErasureStatus,
    pub passes_completed: u32,
    pub bytes_written: u64,
    pub bytes_verified: u64,
    pub errors: Vec<ErasureFault>,
    pub fault_count: u64,
    pub note: Option<String>,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub duration_s: Option<f64>,
    pub throughput_mib_s: Option<f64>,
    pub tool_version: String,
    pub operator: String,
    pub drive: serde_json::Value,
    pub drive_model: Option<String>,
    pub drive_serial: Option<String>,
    pub size_bytes: u64,
    pub pid: u32,
    pub process_tag: String,
    /// What a phone or tablet erasure records beyond the columns above;
    /// `None` for drives and images.
    pub details: Option<ErasureDetails>,
}

/// What a phone or tablet erasure records beyond the common columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ErasureDetails {
    Bench(BenchErasureDetails),
    Manual(ManualResetDetails),
}

/// The bench and slot a device was erased in, as the bench's HELLO named it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchSlot {
    pub serial: String,
    pub vendor: String,
    pub model: String,
    pub fw: String,
    pub port: String,
    pub slot: u16,
}

/// How the outcome of a bench erasure became known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeSource {
    /// The bench's `! ERASE slot done=ok|failed` event.
    Event,
    /// `STATUS slot`, asked after the done event was lost; the bench's
    /// detail, which only the event carries, is lost with it.
    Status,
}

/// A bench erasure's own record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchErasureDetails {
    pub bench: BenchSlot,
    /// The last percentage the bench reported; 100 once it reported `done=ok`.
    pub progress: Option<u8>,
    /// What the bench said with `done=` (a failure's reason), if anything.
    pub detail: Option<String>,
    /// `None` while running, and when the bench never told the outcome.
    pub outcome_from: Option<OutcomeSource>,
    /// The ERASE request, its answer, the ERASE events and any STATUS
    /// exchanges, in order.
    pub evidence: Vec<EvidenceLine>,
}

/// A manual factory reset's own record: the checklist as shown and every
/// answer given to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualResetDetails {
    /// The version of the checklist file the steps came from.
    pub checklist_version: String,
    /// The checklist's platform: `ios`, `android`, `samsung`, `xiaomi`, ...
    pub platform: String,
    /// The language the steps were shown in: `en` or `fr`.
    pub lang: String,
    /// `interactive` (answered one by one at a terminal) or `answers_file`.
    pub answered_by: String,
    pub steps: Vec<ResetStep>,
}

/// One step of a manual reset and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResetStep {
    pub id: String,
    /// The instruction exactly as the operator was shown it.
    pub text: String,
    /// A required step must be answered `yes` for the reset to be verified.
    pub required: bool,
    pub answer: Option<StepAnswer>,
    pub answered_at: Option<DateTime<Utc>>,
    pub operator: Option<String>,
}

/// An operator's answer to one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepAnswer {
    /// Done, and seen to be done.
    Yes,
    /// Tried, and it did not work (or could not be done).
    No,
    /// Not done.
    Skipped,
}

impl StepAnswer {
    pub fn as_str(self) -> &'static str {
        match self {
            StepAnswer::Yes => "yes",
            StepAnswer::No => "no",
            StepAnswer::Skipped => "skipped",
        }
    }
}

impl fmt::Display for StepAnswer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A bench erasure about to be asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewBenchErasure {
    /// The recorded device in the slot (its intake identified it).
    pub device_id: Uuid,
    pub bench: BenchSlot,
    /// `factory_reset` or `crypto_erase`.
    pub method: String,
    /// The device as the bench identified it just before the erase.
    pub identity: DeviceIdentity,
    pub tool_version: String,
    pub operator: String,
    pub started_at: DateTime<Utc>,
}

/// How a bench erasure ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BenchErasureResult {
    /// Anything but `running`; `verified` only when the bench reported `done=ok`.
    pub status: ErasureStatus,
    pub progress: Option<u8>,
    pub detail: Option<String>,
    pub outcome_from: Option<OutcomeSource>,
    /// Why it failed or was interrupted, in words.
    pub note: Option<String>,
    pub evidence: Vec<EvidenceLine>,
    pub finished_at: DateTime<Utc>,
}

/// One step of a manual reset as it will be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedStep {
    pub id: String,
    pub text: String,
    pub required: bool,
}

/// A manual factory reset about to be guided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewManualReset {
    pub device_id: Uuid,
    /// The device as its latest intake identified it.
    pub identity: DeviceIdentity,
    pub checklist_version: String,
    pub platform: String,
    pub lang: String,
    /// `interactive` or `answers_file`.
    pub answered_by: String,
    /// In the order they are asked; at least one required.
    pub steps: Vec<PlannedStep>,
    pub tool_version: String,
    pub operator: String,
    pub started_at: DateTime<Utc>,
}

/// An operator's answer to the next step of a manual reset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepConfirmation {
    pub step: String,
    pub answer: StepAnswer,
    pub answered_at: DateTime<Utc>,
    pub operator: String,
}

/// How a manual reset ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManualResetResult {
    /// Anything but `running`; `verified` only when every required step was
    /// answered `yes`.
    pub status: ErasureStatus,
    pub note: Option<String>,
    pub finished_at: DateTime<Utc>,
}

const TARGET_KINDS: [&str; 2] = ["image", "block"];
const METHODS: [&str; 3] = ["zero", "random", "dod3"];
const BENCH_METHODS: [&str; 2] = ["factory_reset", "crypto_erase"];
const MANUAL_METHOD: &str = "manual_factory_reset";
const FAULT_KINDS: [&str; 4] = ["write", "flush", "read", "mismatch"];
const ANSWERED_BY: [&str; 2] = ["interactive", "answers_file"];
const LANGS: [&str; 2] = ["en", "fr"];

/// The columns an erasure starts with.
struct StartRow<'a> {
    device_id: Option<Uuid>,
    target: &'a str,
    target_kind: &'a str,
    method: &'a str,
    passes: u32,
    seed: Option<&'a str>,
    verify: &'a str,
    verify_seed: Option<&'a str>,
    started_at: DateTime<Utc>,
    tool_version: &'a str,
    operator: &'a str,
    drive_json: String,
    drive_model: Option<&'a str>,
    drive_serial: Option<&'a str>,
    size_bytes: u64,
    details_json: Option<String>,
}

/// The columns an erasure ends with.
struct FinishRow {
    status: ErasureStatus,
    passes_completed: u32,
    bytes_written: u64,
    bytes_verified: u64,
    errors_json: String,
    fault_count: u64,
    note: Option<String>,
    finished_at: DateTime<Utc>,
    duration_s: Option<f64>,
    throughput_mib_s: Option<f64>,
    /// `None` keeps the details as they are.
    details_json: Option<String>,
}

/// Which kind of erasure an operation expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Drive,
    Bench,
    Manual,
}

impl Kind {
    fn of(target_kind: &str) -> Option<Kind> {
        match target_kind {
            "image" | "block" => Some(Kind::Drive),
            "bench" => Some(Kind::Bench),
            "manual" => Some(Kind::Manual),
            _ => None,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Drive => "a drive or image erasure",
            Kind::Bench => "a bench erasure",
            Kind::Manual => "a manual factory reset",
        }
    }
}

impl Store {
    /// Records that an erasure is starting, durably, before anything is
    /// overwritten. The record names this process, so a later open can tell
    /// if it died.
    pub fn start_erasure(&mut self, erasure: &NewErasure) -> Result<Uuid, StoreError> {
        validate_new(erasure)?;
        let drive = serde_json::to_string(&erasure.drive)
            .map_err(|error| invalid("drive", format!("cannot be stored as JSON: {error}")))?;
        self.begin(StartRow {
            device_id: erasure.device_id,
            target: &erasure.target,
            target_kind: &erasure.target_kind,
            method: &erasure.method,
            passes: erasure.passes,
            seed: erasure.seed.as_deref(),
            verify: &erasure.verify,
            verify_seed: erasure.verify_seed.as_deref(),
            started_at: erasure.started_at,
            tool_version: &erasure.tool_version,
            operator: &erasure.operator,
            drive_json: drive,
            drive_model: erasure.drive_model.as_deref(),
            drive_serial: erasure.drive_serial.as_deref(),
            size_bytes: erasure.size_bytes,
            details_json: None,
        })
    }

    /// Writes how a running erasure ended. A finished erasure cannot be
    /// finished again (nor changed in any other way).
    pub fn finish_erasure(
        &mut self,
        id: Uuid,
        result: &ErasureResult,
        operator: &str,
    ) -> Result<ErasureRecord, StoreError> {
        check_finished_status(result.status)?;
        for (index, fault) in result.errors.iter().enumerate() {
            if !FAULT_KINDS.contains(&fault.kind.as_str()) {
                return Err(invalid(
                    &format!("errors[{index}].kind"),
                    format!("is {:?}; use write, flush, read or mismatch", fault.kind),
                ));
            }
        }
        let errors = serde_json::to_string(&result.errors)
            .map_err(|error| invalid("errors", format!("cannot be stored as JSON: {error}")))?;
        self.conclude(id, Kind::Drive, operator, |_| {
            Ok(FinishRow {
                status: result.status,
                passes_completed: result.passes_completed,
                bytes_written: result.bytes_written,
                bytes_verified: result.bytes_verified,
                errors_json: errors.clone(),
                fault_count: result.fault_count,
                note: result.note.clone(),
                finished_at: result.finished_at,
                duration_s: finite(result.duration_s),
                throughput_mib_s: finite(result.throughput_mib_s),
                details_json: None,
            })
        })
    }

    /// Records that a bench is about to be asked to erase the device in one
    /// of its slots, durably, before the `ERASE` request is sent. The device
    /// must be recorded (an intake identified it) and not already being
    /// erased by a live process.
    pub fn start_bench_erasure(&mut self, erasure: &NewBenchErasure) -> Result<Uuid, StoreError> {
        required_text(
            "operator",
            &erasure.operator,
            "name the operator who starts the erasure",
        )?;
        required_text(
            "bench.serial",
            &erasure.bench.serial,
            "give the serial from the bench's HELLO",
        )?;
        if erasure.bench.slot == 0 {
            return Err(invalid(
                "bench.slot",
                "is 0; slots are numbered from 1".to_owned(),
            ));
        }
        if !BENCH_METHODS.contains(&erasure.method.as_str()) {
            return Err(invalid(
                "method",
                format!(
                    "is {:?}; a bench erases with factory_reset or crypto_erase",
                    erasure.method
                ),
            ));
        }
        let details = ErasureDetails::Bench(BenchErasureDetails {
            bench: erasure.bench.clone(),
            progress: None,
            detail: None,
            outcome_from: None,
            evidence: Vec::new(),
        });
        let target = format!("{}/slot {}", erasure.bench.serial, erasure.bench.slot);
        self.begin(StartRow {
            device_id: Some(erasure.device_id),
            target: &target,
            target_kind: "bench",
            method: &erasure.method,
            passes: 1,
            seed: None,
            verify: "bench",
            verify_seed: None,
            started_at: erasure.started_at,
            tool_version: &erasure.tool_version,
            operator: &erasure.operator,
            drive_json: identity_json(&erasure.identity)?,
            drive_model: Some(&erasure.identity.model),
            drive_serial: erasure.identity.serial.as_deref(),
            size_bytes: storage_bytes(&erasure.identity),
            details_json: Some(details_json(&details)?),
        })
    }

    /// Writes how a bench erasure ended, with the bench's last progress,
    /// detail and the protocol lines as evidence.
    pub fn finish_bench_erasure(
        &mut self,
        id: Uuid,
        result: &BenchErasureResult,
        operator: &str,
    ) -> Result<ErasureRecord, StoreError> {
        check_finished_status(result.status)?;
        if result.status == ErasureStatus::Verified && result.outcome_from.is_none() {
            return Err(invalid(
                "status",
                "cannot be verified without the bench's outcome (outcome_from); a bench erasure is verified only when the bench reported done=ok".to_owned(),
            ));
        }
        if result.progress.is_some_and(|percent| percent > 100) {
            return Err(invalid("progress", "is above 100 %".to_owned()));
        }
        self.conclude(id, Kind::Bench, operator, |details| {
            let Some(ErasureDetails::Bench(mut bench)) = details else {
                return Err(corrupt(
                    "erasures.details_json",
                    "a bench erasure without its bench details",
                ));
            };
            bench.progress = result.progress;
            bench.detail = result.detail.clone();
            bench.outcome_from = result.outcome_from;
            bench.evidence = result.evidence.clone();
            Ok(FinishRow {
                status: result.status,
                passes_completed: u32::from(result.outcome_from.is_some()),
                bytes_written: 0,
                bytes_verified: 0,
                errors_json: "[]".to_owned(),
                fault_count: 0,
                note: result.note.clone(),
                finished_at: result.finished_at,
                duration_s: None,
                throughput_mib_s: None,
                details_json: Some(details_json(&ErasureDetails::Bench(bench))?),
            })
        })
    }

    /// Records that a manual factory reset is starting, with every step it
    /// will ask, before the first is shown.
    pub fn start_manual_reset(&mut self, reset: &NewManualReset) -> Result<Uuid, StoreError> {
        required_text(
            "operator",
            &reset.operator,
            "name the operator who guides the reset",
        )?;
        required_text("platform", &reset.platform, "name the checklist's platform")?;
        required_text(
            "checklist_version",
            &reset.checklist_version,
            "give the checklist file's version",
        )?;
        if !LANGS.contains(&reset.lang.as_str()) {
            return Err(invalid(
                "lang",
                format!("is {:?}; use en or fr", reset.lang),
            ));
        }
        if !ANSWERED_BY.contains(&reset.answered_by.as_str()) {
            return Err(invalid(
                "answered_by",
                format!(
                    "is {:?}; use interactive or answers_file",
                    reset.answered_by
                ),
            ));
        }
        if !reset.steps.iter().any(|step| step.required) {
            return Err(invalid(
                "steps",
                "hold no required step; a reset nobody has to confirm proves nothing".to_owned(),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        for (index, step) in reset.steps.iter().enumerate() {
            required_text(
                &format!("steps[{index}].id"),
                &step.id,
                "give every step an id",
            )?;
            required_text(
                &format!("steps[{index}].text"),
                &step.text,
                "give every step its instruction",
            )?;
            if !seen.insert(step.id.as_str()) {
                return Err(invalid(
                    &format!("steps[{index}].id"),
                    format!("{:?} appears twice; step ids must be unique", step.id),
                ));
            }
        }
        let details = ErasureDetails::Manual(ManualResetDetails {
            checklist_version: reset.checklist_version.clone(),
            platform: reset.platform.clone(),
            lang: reset.lang.clone(),
            answered_by: reset.answered_by.clone(),
            steps: reset
                .steps
                .iter()
                .map(|step| ResetStep {
                    id: step.id.clone(),
                    text: step.text.clone(),
                    required: step.required,
                    answer: None,
                    answered_at: None,
                    operator: None,
                })
                .collect(),
        });
        let target = format!("manual/{}", reset.platform);
        self.begin(StartRow {
            device_id: Some(reset.device_id),
            target: &target,
            target_kind: "manual",
            method: MANUAL_METHOD,
            passes: 1,
            seed: None,
            verify: "operator",
            verify_seed: None,
            started_at: reset.started_at,
            tool_version: &reset.tool_version,
            operator: &reset.operator,
            drive_json: identity_json(&reset.identity)?,
            drive_model: Some(&reset.identity.model),
            drive_serial: reset.identity.serial.as_deref(),
            size_bytes: storage_bytes(&reset.identity),
            details_json: Some(details_json(&details)?),
        })
    }

    /// Records the answer to the next unanswered step of a running manual
    /// reset, with its time and operator. Steps are answered in order, once.
    pub fn confirm_reset_step(
        &mut self,
        id: Uuid,
        confirmation: &StepConfirmation,
    ) -> Result<ErasureRecord, StoreError> {
        required_text(
            "operator",
            &confirmation.operator,
            "name the operator who answers",
        )?;
        let station_id = self.station_id;
        self.with_full_durability(|store| {
            store.write("record a manual reset step", |tx| {
                authorize(tx, &confirmation.operator, Action::Erase)?;
                let (before, details) = running_of_kind(tx, id, Kind::Manual)?;
                let Some(ErasureDetails::Manual(mut manual)) = details else {
                    return Err(corrupt("erasures.details_json", "a manual reset without its steps"));
                };
                let Some(next) = manual.steps.iter_mut().find(|step| step.answer.is_none()) else {
                    return Err(invalid(
                        "step",
                        format!("{:?} cannot be answered: every step of reset {id} is answered already; finish it", confirmation.step),
                    ));
                };
                if next.id != confirmation.step {
                    return Err(invalid(
                        "step",
                        format!("is {:?}, but the next step to answer is {:?}; steps are answered in order", confirmation.step, next.id),
                    ));
                }
                next.answer = Some(confirmation.answer);
                next.answered_at = Some(confirmation.answered_at);
                next.operator = Some(confirmation.operator.clone());
                tx.execute(
                    "UPDATE erasures SET details_json = ?2 WHERE id = ?1",
                    rusqlite::params![id_text(id), details_json(&ErasureDetails::Manual(manual.clone()))?],
                )?;
                audit::append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator: &confirmation.operator,
                        action: "erasure.step_answered",
                        entity: Entity::Erasure,
                        entity_id: id,
                        before: Some(before.clone()),
                        after: audit::record_digest(tx, Entity::Erasure, id)?,
                    },
                )?;
                read_erasure(tx, id)?
                    .ok_or_else(|| corrupt("erasures", "a running manual reset vanished"))
            })
        })
    }

    /// Writes how a manual reset ended. It can be `verified` only if every
    /// required step was answered `yes`.
    pub fn finish_manual_reset(
        &mut self,
        id: Uuid,
        result: &ManualResetResult,
        operator: &str,
    ) -> Result<ErasureRecord, StoreError> {
        check_finished_status(result.status)?;
        self.conclude(id, Kind::Manual, operator, |details| {
            let Some(ErasureDetails::Manual(manual)) = details else {
                return Err(corrupt("erasures.details_json", "a manual reset without its steps"));
            };
            if result.status == ErasureStatus::Verified {
                if let Some(step) = manual
                    .steps
                    .iter()
                    .find(|step| step.required && step.answer != Some(StepAnswer::Yes))
                {
                    let answered = step.answer.map_or("unanswered", StepAnswer::as_str);
                    return Err(invalid(
                        "status",
                        format!(
                            "cannot be verified: required step {:?} is {answered}; a manual reset is verified only when every required step was confirmed",
                            step.id
                        ),
                    ));
                }
            }
            Ok(FinishRow {
                status: result.status,
                passes_completed: u32::from(result.status == ErasureStatus::Verified),
                bytes_written: 0,
                bytes_verified: 0,
                errors_json: "[]".to_owned(),
                fault_count: 0,
                note: result.note.clone(),
                finished_at: result.finished_at,
                duration_s: None,
                throughput_mib_s: None,
                details_json: None,
            })
        })
    }

    /// The erasure with this id.
    pub fn erasure(&self, id: Uuid) -> Result<Option<ErasureRecord>, StoreError> {
        read_erasure(&self.conn, id)
    }

    /// The erasures of a device, oldest first.
    pub fn erasures_for_device(&self, device_id: Uuid) -> Result<Vec<ErasureRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT * FROM erasures WHERE device_id = ?1 ORDER BY started_at, id",
        )?;
        let mut rows = statement.query([id_text(device_id)])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            found.push(erasure_from_row(row)?);
        }
        Ok(found)
    }

    /// The erasures that match `filter`, newest first, at most `filter.limit` of them (all when
    /// it is `None`).
    pub fn list_erasures(&self, filter: &ErasureFilter) -> Result<Vec<ErasureRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT * FROM erasures
             WHERE (?1 IS NULL OR device_id = ?1) AND (?2 IS NULL OR status = ?2)
               AND (?3 IS NULL OR operator = ?3 COLLATE NOCASE) AND (?4 IS NULL OR started_at >= ?4)
             ORDER BY started_at DESC, id DESC
             LIMIT ?5",
        )?;
        let limit = filter
            .limit
            .map(|limit| i64::try_from(limit).unwrap_or(i64::MAX))
            .unwrap_or(-1);
        let mut rows = statement.query(rusqlite::params![
            filter.device_id.map(id_text),
            filter.status.map(ErasureStatus::as_str),
            filter.operator,
            filter.since.map(timestamp),
            limit,
        ])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            found.push(erasure_from_row(row)?);
        }
        Ok(found)
    }

    /// Erasures recorded as running on this station, oldest first.
    pub fn running_erasures(&self) -> Result<Vec<ErasureRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT * FROM erasures WHERE status = 'running' AND station_id = ?1 ORDER BY started_at, id",
        )?;
        let mut rows = statement.query([id_text(self.station_id)])?;
        let mut found = Vec::new();
        while let Some(row) = rows.next()? {
            found.push(erasure_from_row(row)?);
        }
        Ok(found)
    }

    /// Marks `interrupted` every running erasure of this station whose
    /// process is gone, and returns their ids. Called on every open.
    pub fn interrupt_stale_erasures(&mut self) -> Result<Vec<Uuid>, StoreError> {
        if !has_erasures_table(&self.conn)? {
            return Ok(Vec::new());
        }
        let stale: Vec<ErasureRecord> = self
            .running_erasures()?
            .into_iter()
            .filter(|record| !ProcessTag::parse(record.pid, &record.process_tag).is_alive())
            .collect();
        if stale.is_empty() {
            return Ok(Vec::new());
        }
        let station_id = self.station_id;
        self.with_full_durability(|store| {
            store.write("mark abandoned erasures interrupted", |tx| {
                let mut marked = Vec::new();
                for record in &stale {
                    // Checked again under the write lock: another program may
                    // have finished or marked it meanwhile.
                    let still_running: Option<i64> = tx
                        .query_row(
                            "SELECT 1 FROM erasures WHERE id = ?1 AND status = 'running'",
                            [id_text(record.id)],
                            |row| row.get(0),
                        )
                        .optional()?;
                    if still_running.is_none() {
                        continue;
                    }
                    let before = running_digest(tx, record.id)?;
                    let now = Utc::now();
                    let duration = (now - record.started_at).to_std().map_or(0.0, |d| d.as_secs_f64());
                    tx.execute(
                        "UPDATE erasures SET status = 'interrupted', finished_at = ?2, duration_s = ?3,
                             note = ?4 WHERE id = ?1",
                        rusqlite::params![
                            id_text(record.id),
                            timestamp(now),
                            duration,
                            abandoned_note(record),
                        ],
                    )?;
                    audit::append(
                        tx,
                        station_id,
                        AuditWrite {
                            operator: SYSTEM_OPERATOR,
                            action: "erasure.interrupted",
                            entity: Entity::Erasure,
                            entity_id: record.id,
                            before: Some(before),
                            after: audit::record_digest(tx, Entity::Erasure, record.id)?,
                        },
                    )?;
                    marked.push(record.id);
                }
                Ok(marked)
            })
        })
    }

    /// Inserts a running erasure and its audit entry, under full durability.
    fn begin(&mut self, row: StartRow<'_>) -> Result<Uuid, StoreError> {
        if row.size_bytes > i64::MAX as u64 {
            return Err(invalid(
                "size_bytes",
                format!("({}) is larger than any drive", row.size_bytes),
            ));
        }
        let station_id = self.station_id;
        let tag = ProcessTag::current();
        self.with_full_durability(|store| {
            store.write("record the start of an erasure", |tx| {
                authorize(tx, row.operator, Action::Erase)?;
                if let Some(device_id) = row.device_id {
                    let known: Option<i64> = tx
                        .query_row("SELECT 1 FROM devices WHERE id = ?1", [id_text(device_id)], |r| r.get(0))
                        .optional()?;
                    if known.is_none() {
                        return Err(invalid(
                            "device_id",
                            format!("{device_id} is not a recorded device; record an intake for it first or leave it out"),
                        ));
                    }
                    // A phone is erased once at a time; a drive's own lock
                    // (flock, O_EXCL) already keeps two erasures of it apart.
                    if row.details_json.is_some() {
                        if let Some(busy) = live_erasure_of_device(tx, device_id)? {
                            return Err(invalid(
                                "device_id",
                                format!("{device_id} is already being erased (erasure {busy}, still running in a live process); wait for it to end"),
                            ));
                        }
                    }
                }
                let id = Uuid::now_v7();
                tx.execute(
                    "INSERT INTO erasures (id, station_id, device_id, target, target_kind, method, passes,
                         seed, verify, verify_seed, status, started_at, tool_version, operator,
                         drive_json, drive_model, drive_serial, size_bytes, pid, process_tag,
                         details_json)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, 'running', ?11, ?12, ?13,
                         ?14, ?15, ?16, ?17, ?18, ?19, ?20)",
                    rusqlite::params![
                        id_text(id),
                        id_text(station_id),
                        row.device_id.map(id_text),
                        row.target,
                        row.target_kind,
                        row.method,
                        row.passes,
                        row.seed,
                        row.verify,
                        row.verify_seed,
                        timestamp(row.started_at),
                        row.tool_version,
                        row.operator,
                        row.drive_json,
                        row.drive_model,
                        row.drive_serial,
                        row.size_bytes as i64,
                        tag.pid,
                        tag.to_string(),
                        row.details_json,
                    ],
                )?;
                audit::append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator: row.operator,
                        action: "erasure.started",
                        entity: Entity::Erasure,
                        entity_id: id,
                        before: None,
                        after: audit::record_digest(tx, Entity::Erasure, id)?,
                    },
                )?;
                Ok(id)
            })
        })
    }

    /// Finishes a running erasure of the expected kind: `finish` turns its
    /// current details into the row to write.
    fn conclude(
        &mut self,
        id: Uuid,
        kind: Kind,
        operator: &str,
        finish: impl Fn(Option<ErasureDetails>) -> Result<FinishRow, StoreError>,
    ) -> Result<ErasureRecord, StoreError> {
        let station_id = self.station_id;
        self.with_full_durability(|store| {
            store.write("record the end of an erasure", |tx| {
                authorize(tx, operator, Action::Erase)?;
                let (before, details) = running_of_kind(tx, id, kind)?;
                let started_at: String = tx.query_row(
                    "SELECT started_at FROM erasures WHERE id = ?1",
                    [id_text(id)],
                    |row| row.get(0),
                )?;
                let row = finish(details)?;
                // Drive erasures measure their own duration; the others last
                // from the record's start to its end.
                let duration = row.duration_s.or_else(|| {
                    parse_timestamp(&started_at, "erasures.started_at")
                        .ok()
                        .and_then(|start| (row.finished_at - start).to_std().ok())
                        .map(|elapsed| elapsed.as_secs_f64())
                });
                tx.execute(
                    "UPDATE erasures SET status = ?2, passes_completed = ?3, bytes_written = ?4,
                         bytes_verified = ?5, errors_json = ?6, fault_count = ?7, note = ?8,
                         finished_at = ?9, duration_s = ?10, throughput_mib_s = ?11,
                         details_json = COALESCE(?12, details_json)
                     WHERE id = ?1",
                    rusqlite::params![
                        id_text(id),
                        row.status.as_str(),
                        row.passes_completed,
                        row.bytes_written as i64,
                        row.bytes_verified as i64,
                        row.errors_json,
                        row.fault_count as i64,
                        row.note,
                        timestamp(row.finished_at),
                        duration,
                        row.throughput_mib_s,
                        row.details_json,
                    ],
                )?;
                audit::append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator,
                        action: finish_action(row.status),
                        entity: Entity::Erasure,
                        entity_id: id,
                        before: Some(before),
                        after: audit::record_digest(tx, Entity::Erasure, id)?,
                    },
                )?;
                read_erasure(tx, id)?
                    .ok_or_else(|| corrupt("erasures", "a finished erasure vanished"))
            })
        })
    }
}

/// Run on open: a failure to tidy up must not stop the store from opening.
pub(crate) fn interrupt_stale_on_open(store: &mut Store) {
    match store.interrupt_stale_erasures() {
        Ok(marked) if !marked.is_empty() => {
            tracing::warn!(count = marked.len(), ids = ?marked, "erasures left running by a process that is gone were marked interrupted");
        }
        Ok(_) => {}
        Err(error) => tracing::warn!(%error, "could not check for abandoned erasures"),
    }
}

fn has_erasures_table(conn: &Connection) -> Result<bool, StoreError> {
    let count: i64 = conn.query_row(
        "SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = 'erasures'",
        [],
        |row| row.get(0),
    )?;
    Ok(count > 0)
}

fn finish_action(status: ErasureStatus) -> &'static str {
    match status {
        ErasureStatus::Running => "erasure.started",
        ErasureStatus::Verified => "erasure.verified",
        ErasureStatus::Failed => "erasure.failed",
        ErasureStatus::Interrupted => "erasure.interrupted",
    }
}

/// The digest of an erasure that must still be running, for the audit entry.
fn running_digest(tx: &Connection, id: Uuid) -> Result<String, StoreError> {
    running_of(tx, id).map(|(digest, _, _)| digest)
}

/// A running erasure's digest, kind and details.
fn running_of(
    tx: &Connection,
    id: Uuid,
) -> Result<(String, String, Option<ErasureDetails>), StoreError> {
    let found: Option<(String, String, Option<String>)> = tx
        .query_row(
            "SELECT status, target_kind, details_json FROM erasures WHERE id = ?1",
            [id_text(id)],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )
        .optional()?;
    match found {
        None => Err(StoreError::UnknownErasure { id }),
        Some((status, kind, details)) if status == "running" => {
            let digest = audit::record_digest(tx, Entity::Erasure, id)?
                .ok_or(StoreError::UnknownErasure { id })?;
            Ok((digest, kind, parse_details(details)?))
        }
        Some((status, _, _)) => Err(StoreError::ErasureFinished { id, status }),
    }
}

/// Like [`running_digest`], refusing an erasure of another kind than `kind`.
fn running_of_kind(
    tx: &Connection,
    id: Uuid,
    kind: Kind,
) -> Result<(String, Option<ErasureDetails>), StoreError> {
    let (digest, target_kind, details) = running_of(tx, id)?;
    match Kind::of(&target_kind) {
        Some(found) if found == kind => Ok((digest, details)),
        found => Err(invalid(
            "id",
            format!(
                "names {}, not {}; finish each erasure with the operation of its kind",
                found.map_or("an erasure of an unknown kind", Kind::describe),
                kind.describe()
            ),
        )),
    }
}

/// A running erasure of the device whose process is alive, if any.
fn live_erasure_of_device(tx: &Connection, device_id: Uuid) -> Result<Option<Uuid>, StoreError> {
    let mut statement = tx.prepare_cached(
        "SELECT id, pid, process_tag FROM erasures WHERE device_id = ?1 AND status = 'running'",
    )?;
    let running: Vec<(String, i64, String)> = statement
        .query_map([id_text(device_id)], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })?
        .collect::<Result<_, _>>()?;
    for (id, pid, tag) in running {
        if ProcessTag::parse(pid as u32, &tag).is_alive() {
            return Ok(Some(parse_uuid(&id, "erasures.id")?));
        }
    }
    Ok(None)
}

/// Why an erasure whose process died proves nothing, for its kind.
fn abandoned_note(record: &ErasureRecord) -> String {
    match Kind::of(&record.target_kind) {
        Some(Kind::Bench) => format!(
            "the process following the bench erase (pid {}) ended before the bench reported \
             the outcome (crash, power cut or kill); nothing is proven — erase the device again",
            record.pid
        ),
        Some(Kind::Manual) => format!(
            "the process guiding the manual reset (pid {}) ended before every step was \
             answered (crash, power cut or kill); nothing is proven — go through the reset again",
            record.pid
        ),
        _ => format!(
            "the erasing process (pid {}) ended without finishing (crash, power cut or kill); \
             nothing is proven — erase the drive again from the start",
            record.pid
        ),
    }
}

fn check_finished_status(status: ErasureStatus) -> Result<(), StoreError> {
    if status == ErasureStatus::Running {
        return Err(invalid(
            "status",
            "of a finished erasure cannot be running; use verified, failed or interrupted"
                .to_owned(),
        ));
    }
    Ok(())
}

fn required_text(field: &str, value: &str, what_to_do: &str) -> Result<(), StoreError> {
    if value.trim().is_empty() {
        return Err(invalid(field, format!("is empty; {what_to_do}")));
    }
    Ok(())
}

fn identity_json(identity: &DeviceIdentity) -> Result<String, StoreError> {
    serde_json::to_string(identity)
        .map_err(|error| invalid("identity", format!("cannot be stored as JSON: {error}")))
}

fn details_json(details: &ErasureDetails) -> Result<String, StoreError> {
    serde_json::to_string(details)
        .map_err(|error| invalid("details", format!("cannot be stored as JSON: {error}")))
}

fn parse_details(text: Option<String>) -> Result<Option<ErasureDetails>, StoreError> {
    text.map(|text| {
        serde_json::from_str(&text).map_err(|error| corrupt("erasures.details_json", error))
    })
    .transpose()
}

/// A phone's storage as its bench reports it (decimal gigabytes), in bytes;
/// 0 when not known.
fn storage_bytes(identity: &DeviceIdentity) -> u64 {
    identity
        .storage_gb
        .map_or(0, |gb| u64::from(gb) * 1_000_000_000)
}

fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

fn invalid(field: &str, reason: String) -> StoreError {
    StoreError::InvalidErasure {
        field: field.to_owned(),
        reason,
    }
}

fn validate_new(erasure: &NewErasure) -> Result<(), StoreError> {
    if erasure.operator.trim().is_empty() {
        return Err(invalid(
            "operator",
            "is empty; name the operator who starts the erasure".to_owned(),
        ));
    }
    if erasure.target.trim().is_empty() {
        return Err(invalid(
            "target",
            "is empty; give the device or image path".to_owned(),
        ));
    }
    if !TARGET_KINDS.contains(&erasure.target_kind.as_str()) {
        return Err(invalid(
            "target_kind",
            format!("is {:?}; use image or block", erasure.target_kind),
        ));
    }
    if !METHODS.contains(&erasure.method.as_str()) {
        return Err(invalid(
            "method",
            format!("is {:?}; use zero, random or dod3", erasure.method),
        ));
    }
    if erasure.passes == 0 {
        return Err(invalid(
            "passes",
            "is 0; every method writes at least one pass".to_owned(),
        ));
    }
    if erasure.size_bytes > i64::MAX as u64 {
        return Err(invalid(
            "size_bytes",
            format!("({}) is larger than any drive", erasure.size_bytes),
        ));
    }
    let verify_ok = erasure.verify == "full"
        || erasure
            .verify
            .strip_prefix("sample:")
            .and_then(|pct| pct.parse::<f64>().ok())
            .is_some_and(|pct| pct > 0.0 && pct <= 100.0);
    if !verify_ok {
        return Err(invalid(
            "verify",
            format!("is {:?}; use full or sample:PCT", erasure.verify),
        ));
    }
    Ok(())
}

fn read_erasure(conn: &Connection, id: Uuid) -> Result<Option<ErasureRecord>, StoreError> {
    let mut statement = conn.prepare_cached("SELECT * FROM erasures WHERE id = ?1")?;
    let mut rows = statement.query([id_text(id)])?;
    rows.next()?.map(erasure_from_row).transpose()
}

fn erasure_from_row(row: &Row<'_>) -> Result<ErasureRecord, StoreError> {
    let text = |column: &str| text_column(row, column, "erasures");
    let optional = |column: &str| optional_text_column(row, column, "erasures");
    let integer = |column: &str| -> Result<i64, StoreError> {
        row.get::<_, i64>(column)
            .map_err(|error| corrupt(format!("erasures.{column}"), error))
    };
    let real = |column: &str| -> Result<Option<f64>, StoreError> {
        row.get::<_, Option<f64>>(column)
            .map_err(|error| corrupt(format!("erasures.{column}"), error))
    };
    let status = text("status")?;
    let errors = text("errors_json")?;
    let drive = text("drive_json")?;
    Ok(ErasureRecord {
        id: parse_uuid(&text("id")?, "erasures.id")?,
        station_id: parse_uuid(&text("station_id")?, "erasures.station_id")?,
        device_id: optional("device_id")?
            .map(|id| parse_uuid(&id, "erasures.device_id"))
            .transpose()?,
        target: text("target")?,
        target_kind: text("target_kind")?,
        method: text("method")?,
        passes: integer("passes")? as u32,
        seed: optional("seed")?,
        verify: text("verify")?,
        verify_seed: optional("verify_seed")?,
        status: ErasureStatus::from_word(&status)
            .ok_or_else(|| corrupt("erasures.status", format!("unknown status {status:?}")))?,
        passes_completed: integer("passes_completed")? as u32,
        bytes_written: integer("bytes_written")? as u64,
        bytes_verified: integer("bytes_verified")? as u64,
        errors: serde_json::from_str(&errors)
            .map_err(|error| corrupt("erasures.errors_json", error))?,
        fault_count: integer("fault_count")? as u64,
        note: optional("note")?,
        started_at: parse_timestamp(&text("started_at")?, "erasures.started_at")?,
        finished_at: optional("finished_at")?
            .map(|at| parse_timestamp(&at, "erasures.finished_at"))
            .transpose()?,
        duration_s: real("duration_s")?,
        throughput_mib_s: real("throughput_mib_s")?,
        tool_version: text("tool_version")?,
        operator: text("operator")?,
        drive: serde_json::from_str(&drive)
            .map_err(|error| corrupt("erasures.drive_json", error))?,
        drive_model: optional("drive_model")?,
        drive_serial: optional("drive_serial")?,
        size_bytes: integer("size_bytes")? as u64,
        pid: integer("pid")? as u32,
        process_tag: text("process_tag")?,
        details: parse_details(optional("details_json")?)?,
    })
}

/// Names one run of one process across reboots and pid reuse: the boot it
/// ran in and the moment it started (clock ticks since boot, from
/// `/proc/PID/stat`), written `BOOT_ID/START_TICKS`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProcessTag {
    pid: u32,
    boot_id: Option<String>,
    start_ticks: Option<u64>,
}

impl ProcessTag {
    fn current() -> ProcessTag {
        let pid = std::process::id();
        ProcessTag {
            pid,
            boot_id: boot_id(),
            start_ticks: start_ticks(pid),
        }
    }

    fn parse(pid: u32, text: &str) -> ProcessTag {
        let (boot, ticks) = text.split_once('/').unwrap_or((text, ""));
        ProcessTag {
            pid,
            boot_id: Some(boot.to_owned()).filter(|b| !b.is_empty()),
            start_ticks: ticks.parse().ok(),
        }
    }

    /// Whether that very process is still running on this machine.
    fn is_alive(&self) -> bool {
        if let (Some(recorded), Some(now)) = (&self.boot_id, boot_id()) {
            if *recorded != now {
                return false;
            }
        }
        match (self.start_ticks, start_ticks(self.pid)) {
            (_, None) => false,
            (Some(recorded), Some(now)) => recorded == now,
            // Without a recorded start time, a live pid has to be trusted.
            (None, Some(_)) => true,
        }
    }
}

impl fmt::Display for ProcessTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}",
            self.boot_id.as_deref().unwrap_or(""),
            self.start_ticks.map(|t| t.to_string()).unwrap_or_default()
        )
    }
}

fn boot_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|text| text.trim().to_owned())
        .filter(|text| !text.is_empty())
}

/// Field 22 of `/proc/PID/stat`; `None` when there is no such process.
fn start_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces and parentheses; fields
    // after the last ')' are plain numbers, starting with field 3.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(22 - 3)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_finished_one_is_not() {
        let me = ProcessTag::current();
        assert!(
            me.start_ticks.is_some(),
            "/proc/self/stat gives a start time"
        );
        let reparsed = ProcessTag::parse(me.pid, &me.to_string());
        assert_eq!(reparsed, me);
        assert!(reparsed.is_alive());

        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("true runs");
        let pid = child.id();
        child.wait().expect("true ends");
        assert!(
            !ProcessTag::parse(pid, &me.to_string()).is_alive(),
            "pid {pid} has exited"
        );

        let other_boot = ProcessTag {
            boot_id: Some("another-boot".to_owned()),
            ..me.clone()
        };
        assert!(!other_boot.is_alive(), "a record from another boot is dead");
        let reused_pid = ProcessTag {
            start_ticks: me.start_ticks.map(|t| t + 1),
            ..me
        };
        assert!(
            !reused_pid.is_alive(),
            "same pid, other start time: not the same process"
        );
    }

    /// Writes an erasure exactly as schema version 4 did (its columns, its
    /// audit entries), finished or not, and returns its id.
    fn v4_erasure(store: &mut Store, target: &str, finish: Option<&str>, pid: u32) -> Uuid {
        let station_id = store.station_id;
        store
            .write("a version 4 erasure", |tx| {
                let id = Uuid::now_v7();
                tx.execute(
                    "INSERT INTO erasures (id, station_id, target, target_kind, method, passes,
                         seed, verify, status, started_at, tool_version, operator, drive_json,
                         drive_model, drive_serial, size_bytes, pid, process_tag)
                     VALUES (?1, ?2, ?3, 'image', 'random', 1, ?4, 'sample:5', 'running', ?5,
                         'refurbdesk-erasure 0.1.0', 'ana', '{\"kind\":\"image\"}', NULL, NULL,
                         4194304, ?6, '/')",
                    rusqlite::params![
                        id_text(id),
                        id_text(station_id),
                        target,
                        "ab".repeat(32),
                        timestamp(Utc::now()),
                        pid,
                    ],
                )?;
                audit::append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator: "ana",
                        action: "erasure.started",
                        entity: Entity::Erasure,
                        entity_id: id,
                        before: None,
                        after: audit::record_digest(tx, Entity::Erasure, id)?,
                    },
                )?;
                if let Some(status) = finish {
                    let before = audit::record_digest(tx, Entity::Erasure, id)?;
                    tx.execute(
                        "UPDATE erasures SET status = ?2, passes_completed = 1,
                             bytes_written = 4194304, bytes_verified = 209715, note = ?3,
                             finished_at = ?4, duration_s = 0.25, throughput_mib_s = 16.8,
                             errors_json = '[{\"kind\":\"mismatch\",\"pass\":1,\"offset\":0,\"length\":4096,\"detail\":\"x\"}]',
                             fault_count = 1
                         WHERE id = ?1",
                        rusqlite::params![id_text(id), status, format!("{status} at v4"), timestamp(Utc::now())],
                    )?;
                    audit::append(
                        tx,
                        station_id,
                        AuditWrite {
                            operator: "ana",
                            action: "erasure.failed",
                            entity: Entity::Erasure,
                            entity_id: id,
                            before,
                            after: audit::record_digest(tx, Entity::Erasure, id)?,
                        },
                    )?;
                }
                Ok(id)
            })
            .expect("written at version 4")
    }

    /// Every erasure row as JSON, without the columns version 5 added.
    fn v4_rows(conn: &Connection) -> Vec<serde_json::Value> {
        let mut statement = conn
            .prepare("SELECT * FROM erasures ORDER BY id")
            .expect("prepares");
        let rows = statement
            .query_map([], |row| Ok(crate::codec::row_to_json(row)))
            .expect("queries");
        rows.map(|row| {
            let mut row = row.expect("reads");
            if let serde_json::Value::Object(columns) = &mut row {
                columns.remove("details_json");
            }
            row
        })
        .collect()
    }

    #[test]
    fn a_version_4_database_keeps_its_erasures_and_their_digests() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("station.db");
        let mut old = Store::open_with_migrations(&path, &crate::store::MIGRATIONS[..4])
            .expect("opens at v4");
        assert_eq!(old.schema_version().expect("version"), 4);
        let mut child = std::process::Command::new("true")
            .spawn()
            .expect("true runs");
        let dead_pid = child.id();
        child.wait().expect("true ends");
        let failed = v4_erasure(&mut old, "/srv/images/a.img", Some("failed"), dead_pid);
        let verified = v4_erasure(&mut old, "/srv/images/b.img", Some("verified"), dead_pid);
        let abandoned = v4_erasure(&mut old, "/srv/images/c.img", None, dead_pid);
        let rows_before = v4_rows(&old.conn);
        let digests_before: Vec<_> = [failed, verified, abandoned]
            .iter()
            .map(|id| audit::record_digest(&old.conn, Entity::Erasure, *id).expect("digest"))
            .collect();
        assert!(old.verify_audit().expect("audit").is_intact());
        drop(old);

        let store = Store::open(&path).expect("upgrades");
        assert_eq!(
            store.schema_version().expect("version"),
            crate::SCHEMA_VERSION
        );
        assert!(
            crate::store::pre_migration_backup_path(&path, crate::SCHEMA_VERSION).exists(),
            "backed up before the upgrade"
        );
        // The finished rows come through column for column, with the digests
        // they were audited with; the abandoned one is then interrupted by
        // the open, as at version 4, and audited as such.
        let rows_after = v4_rows(&store.conn);
        assert_eq!(rows_after.len(), 3);
        assert_eq!(rows_after[..2], rows_before[..2]);
        for (id, before) in [failed, verified].iter().zip(&digests_before) {
            assert_eq!(
                &audit::record_digest(&store.conn, Entity::Erasure, *id).expect("digest"),
                before
            );
        }
        let report = store.check().expect("check");
        assert!(report.is_ok(), "{report:?}");

        let record = store.erasure(failed).expect("reads").expect("exists");
        assert_eq!(record.status, ErasureStatus::Failed);
        assert_eq!(record.target, "/srv/images/a.img");
        assert_eq!(record.errors.len(), 1);
        assert_eq!(record.details, None);
        let interrupted = store.erasure(abandoned).expect("reads").expect("exists");
        assert_eq!(interrupted.status, ErasureStatus::Interrupted);
        assert!(interrupted
            .note
            .unwrap_or_default()
            .contains("erase the drive again"));
        let last = store.audit_entries(0, 1000).expect("audit");
        assert_eq!(
            last.last()
                .map(|entry| (entry.action.as_str(), entry.entity_id.clone())),
            Some(("erasure.interrupted", abandoned.to_string()))
        );

        // The upgraded table keeps the history triggers.
        let tamper = store.conn.execute(
            "UPDATE erasures SET status = 'verified' WHERE id = ?1",
            [id_text(failed)],
        );
        assert!(tamper.expect_err("history").to_string().contains("history"));
    }
}
