//! The audit of a trade-in batch: for each declared device, what was declared against what was
//! found, and the quote revised under the trade-in policy (`crates/revision`), with the extra
//! devices, the missing ones and the batch's totals. See docs/tradein-audit.md.
//!
//! - A declared line is **missing** until it is received, **received** (not audited yet) until
//!   its device has been graded after its receipt, then **audited**: only then is it revised.
//! - The found facts come from the device's records: the latest grade made after the receipt,
//!   the intake that grade was made on (identity, storage, battery verdict, lock verdict, a
//!   newer operator's lock confirmation winning), the grade's failed checklist items, the
//!   accessories the auditor recorded as received with it, its latest erasure and that
//!   erasure's certificate.
//! - The revised total is `null` while any received line is not audited yet, and while nothing
//!   has been received of an open batch (a half-done total must not be read as final);
//!   `revised_so_far` always sums the revised prices of the lines audited so far. A declared device that is missing is paid nothing, so once every received
//!   line is audited the revised total is the sum of the audited lines' revised prices. Extra
//!   devices have no quote and count in neither total.
//! - The policy: the file the `tradein.policy` setting names, else the shipped
//!   tradein-default.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use refurbdesk_domain::{
    Accessory, BatteryVerdictKind, BuybackGrade, DeviceCategory, Lang, LockVerdictKind,
};
use refurbdesk_revision::{revise, Declared, Found, Revision, TradeinPolicy};
use refurbdesk_store::{
    AccessoriesRecord, AuditSources, BatchLine, DeviceRecord, GradeFacts, IntakeFacts,
    ReceiptRecord,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{customer_name, find, money, stage, BatchStage, Counts};
use crate::error::{Error, Hint, Result};
use crate::workstation::Workstation;

/// The setting naming the trade-in revision policy file batches are audited with; the shipped
/// tradein-default when not set.
pub const TRADEIN_POLICY_SETTING: &str = "tradein.policy";

/// A batch to audit, and the language its adjustments are told in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditParams {
    pub batch: String,
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

/// Where a declared line stands in the audit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum LineState {
    /// Not received.
    Missing,
    /// Received, not graded since: no revision yet.
    Received,
    /// Graded after its receipt: revised.
    Audited,
}

/// The scan that received a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiptView {
    pub receipt_id: Uuid,
    pub code: String,
    #[ts(type = "string")]
    pub received_at: DateTime<Utc>,
    /// Who scanned it.
    pub operator: String,
}

/// What the records say about a received device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FoundDevice {
    /// `None` when no device with the scanned identifier has been through intake yet.
    pub device_id: Option<Uuid>,
    pub category: Option<String>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub imei: Option<String>,
    pub serial: Option<String>,
    /// As the intake read it; `None` when not known.
    pub storage_gb: Option<u32>,
    /// The grade made after the receipt (the latest), if any.
    pub grade_id: Option<Uuid>,
    #[ts(type = "string | null")]
    pub graded_at: Option<DateTime<Utc>>,
    /// The trade-in grade of that grade (`FUNCTIONAL_GOOD`…).
    pub buyback_grade: Option<String>,
    /// The marketplace grade of that grade (`VERY_GOOD`…).
    pub listing_grade: Option<String>,
    /// The lock verdict (`clear`, `blocked`, `unknown`): the intake's, or an operator's later
    /// confirmation.
    pub lock: Option<String>,
    /// The battery verdict (`pass`, `replace`, `consumed`, `unknown`, `absent`).
    pub battery: Option<String>,
    /// The functional checklist items that failed, by id.
    pub failed: Vec<String>,
    /// The accessories received with the device (the newest record).
    pub accessories: Vec<String>,
    /// Whether the auditor recorded the accessories at all: when not, none are counted as
    /// received.
    pub accessories_recorded: bool,
}

/// The device's latest erasure and its certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ErasureFound {
    pub erasure_id: Uuid,
    pub method: String,
    pub status: String,
    #[ts(type = "string | null")]
    pub finished_at: Option<DateTime<Utc>>,
    /// The erasure certificate (not void) issued for it, if any.
    pub certificate_id: Option<Uuid>,
}

/// One adjustment of a revision, with its words in the language asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AdjustmentView {
    /// The policy rule (`grade.step`, `accessory.mandatory`…).
    pub rule: String,
    /// What it takes off, in cents, after the floor.
    #[ts(type = "number")]
    pub amount_cents: u64,
    /// What the rule asked for before the floor.
    #[ts(type = "number")]
    pub asked_cents: u64,
    /// `amount_cents` as a decimal with two places.
    pub amount: String,
    /// The policy amount applied, as the policy writes it (`{ percent = 15 }`).
    pub basis: Option<String>,
    /// What the rule compared.
    pub inputs: BTreeMap<String, String>,
    pub requote: bool,
    /// The sentence, in the language asked for.
    pub text: String,
}

/// A declared device's quote as revised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RevisionView {
    #[ts(type = "number")]
    pub quoted_cents: u64,
    #[ts(type = "number")]
    pub revised_cents: u64,
    pub quoted: String,
    pub revised: String,
    /// `accept`, `readjusted`, `return` or `hold`.
    pub disposition: String,
    /// The quote must be made again (another model or less storage, under a policy that says so).
    pub requote: bool,
    pub adjustments: Vec<AdjustmentView>,
    /// The revision as computed (rules, amounts, inputs), which the signed batch report keeps
    /// and tells in its own language; not sent to the window.
    #[serde(skip)]
    #[ts(skip)]
    pub computed: Option<Revision>,
}

/// One declared line: declared vs found, and the revision once audited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditLine {
    pub declared: BatchLine,
    pub state: LineState,
    pub receipt: Option<ReceiptView>,
    pub found: Option<FoundDevice>,
    pub erasure: Option<ErasureFound>,
    /// `None` until the line is audited.
    pub revision: Option<RevisionView>,
}

/// A device received that the manifest does not declare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExtraDevice {
    pub receipt: ReceiptView,
    pub found: Option<FoundDevice>,
    pub erasure: Option<ErasureFound>,
}

/// The policy a batch was revised with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditPolicy {
    pub name: String,
    pub version: String,
    pub sha256: String,
}

/// A batch's counts and totals, as far as the audit has gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditTotals {
    pub declared: u32,
    pub received: u32,
    pub missing: u32,
    pub extra: u32,
    /// Received lines graded since their receipt.
    pub audited: u32,
    /// Received lines not audited yet.
    pub unaudited: u32,
    /// Audited lines by disposition.
    pub accepted: u32,
    pub readjusted: u32,
    pub returned: u32,
    pub held: u32,
    /// Audited lines to quote again.
    pub requote: u32,
    pub currency: String,
    /// The sum of every declared line's quote (`"1234.50"`).
    pub quoted_total: String,
    /// The final revised total: `None` while any received line is not audited. Missing devices
    /// count 0 (nothing is paid for a device not received).
    pub revised_total: Option<String>,
    /// The sum of the revised prices of the lines audited so far.
    pub revised_so_far: String,
    /// The sum of the quotes of the lines audited so far, to compare with `revised_so_far`.
    pub quoted_audited: String,
}

/// A batch's audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchAudit {
    pub batch_id: Uuid,
    pub customer_id: Uuid,
    pub customer: String,
    pub stage: BatchStage,
    #[ts(type = "string | null")]
    pub closed_at: Option<DateTime<Utc>>,
    pub policy: AuditPolicy,
    /// Every declared line, in manifest order.
    pub lines: Vec<AuditLine>,
    /// The devices received that the manifest does not declare, in scan order.
    pub extra: Vec<ExtraDevice>,
    pub totals: AuditTotals,
}

/// The trade-in revision policy batches are audited with: the file the `tradein.policy`
/// setting names, else the shipped tradein-default.
pub fn tradein_policy(ws: &Workstation) -> Result<TradeinPolicy> {
    let file = ws.store.setting(TRADEIN_POLICY_SETTING)?.map(PathBuf::from);
    crate::policy::load_tradein(file.as_deref())
}

/// A batch's audit: each declared line declared vs found and, once audited, revised under the
/// trade-in policy, with its adjustments told in `lang`; the extra devices; the totals.
pub fn audit(ws: &Workstation, params: &AuditParams) -> Result<BatchAudit> {
    let batch = find(ws, &params.batch)?;
    let policy = tradein_policy(ws)?;
    if policy.currency != batch.currency {
        return Err(Error::data(format!(
            "batch {} is quoted in {}, but the trade-in policy {} {} prices in {}: its fixed sums \
             cannot revise these quotes; name a policy in {} in the {TRADEIN_POLICY_SETTING} setting",
            batch.id,
            batch.currency,
            policy.id.name,
            policy.id.version,
            policy.currency,
            batch.currency
        ))
        .with_hint(Hint::SetSetting {
            key: TRADEIN_POLICY_SETTING.to_owned(),
            example: "policies/tradein.toml".to_owned(),
        }));
    }
    let lines = ws.store.batch_lines(batch.id)?;
    let receipts = ws.store.batch_receipts(batch.id)?;
    let accessories = ws.store.batch_accessories(batch.id)?;
    let counts = Counts::of(&lines, &receipts);
    let lang = params.lang;

    // Every record the audit reads, in a handful of queries for the whole batch.
    let mut references: Vec<&str> = Vec::new();
    // The first scan of each declared line (scan order).
    let mut received: HashMap<u32, &ReceiptRecord> = HashMap::new();
    for receipt in &receipts {
        if let Some(line) = receipt.line {
            received.entry(line).or_insert(receipt);
        }
    }
    for line in &lines {
        if let Some(receipt) = received.get(&line.line) {
            references.extend(line.imei.as_deref());
            references.extend(line.serial.as_deref());
            references.push(&receipt.code);
        }
    }
    for receipt in receipts.iter().filter(|receipt| receipt.line.is_none()) {
        references.push(&receipt.code);
    }
    let sources = ws.store.audit_sources(&references)?;

    let mut audited_lines = Vec::with_capacity(lines.len());
    for line in lines {
        let Some(receipt) = received.get(&line.line).copied() else {
            audited_lines.push(AuditLine {
                declared: line,
                state: LineState::Missing,
                receipt: None,
                found: None,
                erasure: None,
                revision: None,
            });
            continue;
        };
        let device = line_device(&sources, &line, &receipt.code);
        let records = Records::of(ws, &sources, device, receipt, accessories.get(&receipt.id))?;
        let revision = match &records.grade {
            Some(grade) => Some(revise_line(
                &line,
                &records,
                grade,
                &policy,
                &batch.currency,
                lang,
            )),
            None => None,
        };
        audited_lines.push(AuditLine {
            state: if revision.is_some() {
                LineState::Audited
            } else {
                LineState::Received
            },
            declared: line,
            receipt: Some(receipt_view(receipt)),
            found: Some(records.found_view()),
            erasure: records.erasure(&sources),
            revision,
        });
    }

    let mut extra = Vec::new();
    for receipt in receipts.iter().filter(|receipt| receipt.line.is_none()) {
        let device = find_device(&sources, &receipt.code);
        let records = Records::of(ws, &sources, device, receipt, accessories.get(&receipt.id))?;
        extra.push(ExtraDevice {
            receipt: receipt_view(receipt),
            found: Some(records.found_view()),
            erasure: records.erasure(&sources),
        });
    }

    let totals = totals(
        &audited_lines,
        &counts,
        &batch.currency,
        batch.quoted_cents,
        batch.closed_at.is_some(),
    );
    Ok(BatchAudit {
        batch_id: batch.id,
        customer_id: batch.customer_id,
        customer: customer_name(ws, batch.customer_id)?,
        stage: stage(&batch, &counts),
        closed_at: batch.closed_at,
        policy: AuditPolicy {
            name: policy.id.name.clone(),
            version: policy.id.version.clone(),
            sha256: policy.id.sha256.clone(),
        },
        lines: audited_lines,
        extra,
        totals,
    })
}

/// The counts and totals; the revised total is final once every received line is audited and
/// something was received (or the batch is closed).
fn totals(
    lines: &[AuditLine],
    counts: &Counts,
    currency: &str,
    quoted_cents: i64,
    closed: bool,
) -> AuditTotals {
    let mut totals = AuditTotals {
        declared: counts.declared,
        received: counts.received,
        missing: counts.missing,
        extra: counts.extra,
        audited: 0,
        unaudited: 0,
        accepted: 0,
        readjusted: 0,
        returned: 0,
        held: 0,
        requote: 0,
        currency: currency.to_owned(),
        quoted_total: money(quoted_cents),
        revised_total: None,
        revised_so_far: String::new(),
        quoted_audited: String::new(),
    };
    let (mut revised, mut quoted) = (0u64, 0u64);
    for line in lines {
        match (&line.state, &line.revision) {
            (LineState::Received, _) => totals.unaudited += 1,
            (LineState::Audited, Some(revision)) => {
                totals.audited += 1;
                revised += revision.revised_cents;
                quoted += revision.quoted_cents;
                if revision.requote {
                    totals.requote += 1;
                }
                match revision.disposition.as_str() {
                    "accept" => totals.accepted += 1,
                    "readjusted" => totals.readjusted += 1,
                    "return" => totals.returned += 1,
                    _ => totals.held += 1,
                }
            }
            _ => {}
        }
    }
    let cents = |sum: u64| money(i64::try_from(sum).unwrap_or(i64::MAX));
    totals.revised_so_far = cents(revised);
    totals.quoted_audited = cents(quoted);
    if totals.unaudited == 0 && (totals.received > 0 || closed) {
        totals.revised_total = Some(cents(revised));
    }
    totals
}

/// The device a declared line names: by its IMEI, else its serial, else the scanned code.
fn line_device<'s>(
    sources: &'s AuditSources,
    line: &BatchLine,
    code: &str,
) -> Option<&'s DeviceRecord> {
    [line.imei.as_deref(), line.serial.as_deref(), Some(code)]
        .into_iter()
        .flatten()
        .find_map(|reference| find_device(sources, reference))
}

/// The device an IMEI or serial names; none when several devices share a serial.
fn find_device<'s>(sources: &'s AuditSources, reference: &str) -> Option<&'s DeviceRecord> {
    sources
        .found
        .get(reference)
        .copied()
        .flatten()
        .and_then(|id| sources.devices.get(&id))
}

fn receipt_view(receipt: &ReceiptRecord) -> ReceiptView {
    ReceiptView {
        receipt_id: receipt.id,
        code: receipt.code.clone(),
        received_at: receipt.received_at,
        operator: receipt.operator.clone(),
    }
}

/// A received device's records that the audit reads.
struct Records {
    device: Option<DeviceRecord>,
    grade: Option<GradeFacts>,
    intake: Option<IntakeFacts>,
    accessories: Option<Vec<Accessory>>,
}

impl Records {
    fn of(
        ws: &Workstation,
        sources: &AuditSources,
        device: Option<&DeviceRecord>,
        receipt: &ReceiptRecord,
        accessories: Option<&AccessoriesRecord>,
    ) -> Result<Records> {
        let mut records = Records {
            device: None,
            grade: None,
            intake: None,
            accessories: accessories.map(|record| {
                record
                    .accessories
                    .iter()
                    .filter_map(|word| word.parse::<Accessory>().ok())
                    .collect()
            }),
        };
        let Some(device) = device else {
            return Ok(records);
        };
        records.grade = sources
            .grades
            .get(&device.id)
            .into_iter()
            .flatten()
            .filter(|grade| grade.graded_at >= receipt.received_at)
            .max_by_key(|grade| grade.graded_at)
            .cloned();
        let intake_id = match &records.grade {
            Some(grade) => Some(grade.intake_id),
            None => sources.latest_intake.get(&device.id).copied(),
        };
        records.intake = match intake_id {
            Some(id) => match sources.intakes.get(&id) {
                Some(intake) => Some(intake.clone()),
                // A grade made on another device's intake: read it on its own.
                None => other_intake(ws, id)?,
            },
            None => None,
        };
        records.device = Some(device.clone());
        Ok(records)
    }

    fn failed(&self) -> Vec<String> {
        let mut failed: Vec<String> = self
            .grade
            .iter()
            .flat_map(|grade| grade.failed.iter().cloned())
            .collect();
        failed.sort();
        failed.dedup();
        failed
    }

    fn found_view(&self) -> FoundDevice {
        let device = self.device.as_ref();
        FoundDevice {
            device_id: device.map(|device| device.id),
            category: device.map(|device| device.category.as_str().to_owned()),
            make: device.map(|device| device.make.clone()),
            model: device.map(|device| device.model.clone()),
            imei: device.and_then(|device| device.imei.clone()),
            serial: device.and_then(|device| device.serial.clone()),
            storage_gb: self.intake.as_ref().and_then(|intake| intake.storage_gb),
            grade_id: self.grade.as_ref().map(|grade| grade.id),
            graded_at: self.grade.as_ref().map(|grade| grade.graded_at),
            buyback_grade: self
                .grade
                .as_ref()
                .map(|grade| grade.buyback_grade.as_str().to_owned()),
            listing_grade: self
                .grade
                .as_ref()
                .map(|grade| grade.listing_grade.as_str().to_owned()),
            lock: self
                .intake
                .as_ref()
                .map(|intake| intake.lock.as_str().to_owned()),
            battery: self
                .intake
                .as_ref()
                .map(|intake| intake.battery.as_str().to_owned()),
            failed: self.failed(),
            accessories: self
                .accessories
                .iter()
                .flatten()
                .map(|accessory| accessory.as_str().to_owned())
                .collect(),
            accessories_recorded: self.accessories.is_some(),
        }
    }

    fn erasure(&self, sources: &AuditSources) -> Option<ErasureFound> {
        let device = self.device.as_ref()?;
        let erasure = sources
            .erasures
            .get(&device.id)?
            .iter()
            .max_by_key(|erasure| erasure.started_at)?;
        Some(ErasureFound {
            erasure_id: erasure.id,
            method: erasure.method.clone(),
            status: erasure.status.as_str().to_owned(),
            finished_at: erasure.finished_at,
            certificate_id: erasure.certificate_id,
        })
    }
}

/// An intake that is not among the batch's devices' own, read on its own.
fn other_intake(ws: &Workstation, id: Uuid) -> Result<Option<IntakeFacts>> {
    let Some(intake) = ws.store.intake(id)? else {
        return Ok(None);
    };
    let lock = ws
        .store
        .lock_confirmation(intake.id)?
        .map(|confirmation| confirmation.verdict)
        .unwrap_or(intake.lock.verdict);
    Ok(Some(IntakeFacts {
        id: intake.id,
        storage_gb: intake.identity.storage_gb,
        battery: intake.battery.verdict,
        lock,
    }))
}

/// What a manifest line declares, as the revision compares it; what the manifest leaves out is
/// taken as found (nothing to compare).
fn declared(line: &BatchLine, found: &Found) -> Declared {
    Declared {
        category: line
            .category
            .as_deref()
            .and_then(|word| word.parse::<DeviceCategory>().ok())
            .unwrap_or(found.category),
        make: line.make.clone(),
        model: line.model.clone().unwrap_or_else(|| found.model.clone()),
        storage_gb: line.storage_gb,
        grade: line
            .declared_grade
            .as_deref()
            .and_then(|word| word.parse::<BuybackGrade>().ok()),
        accessories: line
            .accessories
            .iter()
            .filter_map(|word| word.parse::<Accessory>().ok())
            .collect(),
    }
}

fn revise_line(
    line: &BatchLine,
    records: &Records,
    grade: &GradeFacts,
    policy: &TradeinPolicy,
    currency: &str,
    lang: Lang,
) -> RevisionView {
    let device = records
        .device
        .as_ref()
        .expect("a graded device has its record");
    let found = Found {
        category: device.category,
        make: device.make.clone(),
        model: device.model.clone(),
        storage_gb: records.intake.as_ref().and_then(|intake| intake.storage_gb),
        grade: Some(grade.buyback_grade),
        lock: records
            .intake
            .as_ref()
            .map(|intake| intake.lock)
            .unwrap_or(LockVerdictKind::Unknown),
        battery: records
            .intake
            .as_ref()
            .map(|intake| intake.battery)
            .filter(|verdict| *verdict != BatteryVerdictKind::Unknown),
        failed: records.failed(),
        accessories: records.accessories.clone().unwrap_or_default(),
    };
    let quoted = line.quoted_cents.unwrap_or(0).max(0) as u64;
    let revision = revise(&declared(line, &found), &found, quoted, policy);
    revision_view(&revision, currency, lang)
}

fn revision_view(revision: &Revision, currency: &str, lang: Lang) -> RevisionView {
    let cents = |sum: u64| money(i64::try_from(sum).unwrap_or(i64::MAX));
    RevisionView {
        quoted_cents: revision.quoted_cents,
        revised_cents: revision.revised_cents,
        quoted: cents(revision.quoted_cents),
        revised: cents(revision.revised_cents),
        disposition: revision.disposition.as_str().to_owned(),
        requote: revision.requote,
        adjustments: revision
            .adjustments
            .iter()
            .map(|adjustment| AdjustmentView {
                rule: adjustment.rule.as_str().to_owned(),
                amount_cents: adjustment.amount_cents,
                asked_cents: adjustment.asked_cents,
                amount: cents(adjustment.amount_cents),
                basis: adjustment.basis.map(|basis| basis.to_string()),
                inputs: adjustment.inputs.clone(),
                requote: adjustment.requote,
                text: adjustment.tell(lang, currency),
            })
            .collect(),
        computed: Some(revision.clone()),
    }
}
