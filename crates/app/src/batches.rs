//! Trade-in batches: a customer's manifest imported whole or not at all, devices received by
//! scan, the batch's counts and totals, its quote dates and its audit due date.
//!
//! - Quote expiry: the quote date plus one calendar month (31 January → 28 February). An expired
//!   quote is renewed with [`requote`].
//! - Audit due date: counted in the organisation's business days ([`crate::calendar`]) from the
//!   day the first device of the batch is received: 5 business days for a batch of fewer than
//!   500 devices; for 500 or more, an estimate of 5 days plus one per started hundred devices
//!   beyond 499 (500 → 6, 1,000 → 11), marked as an estimate.
//! - Quoted total: the sum of the declared lines' quotes. Revised total: the audit's
//!   ([`audit()`], docs/tradein-audit.md): `null` while a received device is not audited yet.
//! - Closing ([`close`]) ends a batch: it receives nothing more, and its identifiers no longer
//!   count as declared in an open batch.

use std::fs;
use std::io::ErrorKind;
use std::path::PathBuf;

use base64::Engine;
use chrono::{Months, NaiveDate, Utc};
use refurbdesk_domain::{Accessory, Lang};
use refurbdesk_i18n::{FluentArgs, FluentValue};
use refurbdesk_manifest::{
    check_manifest, FileProblem, Format, LineProblem, ManifestLine, ProblemKind, Refusal, Rejected,
    Source,
};
use refurbdesk_store::{BatchLine, BatchRecord, NewBatch, ReceiptRecord, Received};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::calendar::business_calendar;
use crate::customers;
use crate::error::{shorten, Error, Hint, RecordKind, Result};
use crate::workstation::Workstation;

mod audit;

pub use audit::{
    audit, tradein_policy, AdjustmentView, AuditLine, AuditParams, AuditPolicy, AuditTotals,
    BatchAudit, ErasureFound, ExtraDevice, FoundDevice, LineState, ReceiptView, RevisionView,
    TRADEIN_POLICY_SETTING,
};

/// Batches of this many devices or more get an estimated due date.
pub const ESTIMATE_FROM_DEVICES: u32 = 500;
/// The business days an audit takes for a batch of fewer than [`ESTIMATE_FROM_DEVICES`].
pub const AUDIT_BUSINESS_DAYS: u32 = 5;

/// Where a manifest's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "from", rename_all = "snake_case")]
#[ts(export, rename = "ManifestSource")]
pub enum ManifestInput {
    /// A file on this machine.
    File {
        #[ts(type = "string")]
        path: PathBuf,
    },
    /// Bytes already read (the window's file dialog or drop), base64-encoded, with the file's
    /// name (its extension tells CSV from XLSX).
    Bytes { name: String, base64: String },
}

/// A manifest to import as a new batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportBatchParams {
    pub manifest: ManifestInput,
    /// The customer: their name, pseudonym or id.
    pub customer: String,
    /// The day the batch was quoted (`YYYY-MM-DD`); today when not given.
    #[ts(type = "string | null")]
    pub quote_date: Option<NaiveDate>,
    /// The language the problems of a refused manifest are told in.
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

/// A batch just imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ImportedBatch {
    pub id: Uuid,
    /// How many device lines were imported.
    pub lines: u32,
    pub customer_id: Uuid,
    #[ts(type = "string")]
    pub quote_date: NaiveDate,
    #[ts(type = "string")]
    pub quote_expiry: NaiveDate,
    pub currency: String,
    /// The sum of the quotes, a decimal with two places (`"1234.50"`).
    pub quoted_total: String,
    /// How the file was read (format, encoding, separator).
    pub source: Source,
}

/// A batch, named by its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchRef {
    pub batch: String,
}

/// A scan at receiving.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReceiveParams {
    pub batch: String,
    /// What the scanner typed: an IMEI or a serial number.
    pub code: String,
    /// What came in the box with the device (`charger`, `cable`…), recorded with the receipt
    /// when given (an empty list: an empty box).
    #[serde(default)]
    #[ts(optional)]
    pub accessories: Option<Vec<String>>,
}

/// What came in the box with a received device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccessoriesParams {
    pub batch: String,
    /// The device's IMEI or serial, as scanned at receiving (or the other identifier of its
    /// manifest line).
    pub code: String,
    /// The domain's words: `charger`, `cable`, `box`, `stylus`, `keyboard`, `mouse`; an empty
    /// list for an empty box.
    pub accessories: Vec<String>,
}

/// The accessories recorded for a received device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccessoriesRecorded {
    pub batch_id: Uuid,
    pub receipt_id: Uuid,
    pub code: String,
    /// The declared line, `None` for an extra device.
    pub line: Option<u32>,
    pub accessories: Vec<String>,
    #[ts(type = "string")]
    pub recorded_at: chrono::DateTime<Utc>,
}

/// A batch to close.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CloseParams {
    pub batch: String,
    /// Close it although received devices are not audited yet, for this reason (kept with the
    /// closure).
    #[serde(default)]
    #[ts(optional)]
    pub force_reason: Option<String>,
}

/// What a scan matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ScanOutcome {
    /// A declared device, received now.
    Matched,
    /// A device the manifest does not declare, recorded as an extra device.
    Extra,
    /// Received before: nothing new was recorded.
    AlreadyReceived,
}

/// The result of a scan, with the batch's counts after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Receipt {
    pub outcome: ScanOutcome,
    pub batch_id: Uuid,
    /// The code as recorded (an IMEI's spaces and hyphens removed).
    pub code: String,
    /// The declared device it matched.
    pub device: Option<BatchLine>,
    /// When the device was received (earlier, for [`ScanOutcome::AlreadyReceived`]).
    #[ts(type = "string")]
    pub received_at: chrono::DateTime<Utc>,
    pub declared: u32,
    pub received: u32,
    pub missing: u32,
    pub extra: u32,
}

/// Where a batch stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum BatchStage {
    /// Nothing received yet.
    Awaiting,
    /// Some declared devices still missing.
    Receiving,
    /// Every declared device received.
    Received,
    /// Closed (its report issued).
    Closed,
}

/// A batch's counts, totals and dates, and the devices missing and extra.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchStatus {
    pub id: Uuid,
    pub customer_id: Uuid,
    /// The customer's name, or their pseudonym once forgotten.
    pub customer: String,
    pub stage: BatchStage,
    #[ts(type = "string")]
    pub quote_date: NaiveDate,
    #[ts(type = "string")]
    pub quote_expiry: NaiveDate,
    /// The quote has expired (today is after its expiry): results cannot be sent until the
    /// batch is re-quoted.
    pub quote_expired: bool,
    /// The day the first device was received.
    #[ts(type = "string | null")]
    pub received_on: Option<NaiveDate>,
    /// When the audit is due, in business days from `received_on`.
    #[ts(type = "string | null")]
    pub due_date: Option<NaiveDate>,
    /// The due date is an estimate (a batch of 500 devices or more).
    pub due_estimated: bool,
    pub declared: u32,
    pub received: u32,
    pub missing: u32,
    pub extra: u32,
    /// Received declared devices graded since they were received.
    pub audited: u32,
    /// Received declared devices not audited yet.
    pub unaudited: u32,
    pub currency: String,
    /// The sum of the declared quotes, a decimal with two places (`"1234.50"`).
    pub quoted_total: String,
    /// The revised total: `null` while any received declared device is not audited yet (see
    /// docs/tradein-audit.md); missing devices count 0.
    pub revised_total: Option<String>,
    /// The revised prices of the devices audited so far, summed.
    pub revised_so_far: String,
    /// When the batch was closed.
    #[ts(type = "string | null")]
    pub closed_at: Option<chrono::DateTime<Utc>>,
    /// The declared devices not received yet, in manifest order.
    pub missing_devices: Vec<BatchLine>,
    /// The devices received that the manifest does not declare.
    pub extra_devices: Vec<ReceiptRecord>,
    /// The marketplace trade-in order the batch was pulled from, whose verdict it sends.
    pub marketplace_order: Option<String>,
}

/// One batch in the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchSummary {
    pub id: Uuid,
    pub customer: String,
    pub stage: BatchStage,
    #[ts(type = "string")]
    pub quote_date: NaiveDate,
    #[ts(type = "string")]
    pub quote_expiry: NaiveDate,
    pub quote_expired: bool,
    #[ts(type = "string")]
    pub imported_at: chrono::DateTime<Utc>,
    pub source_name: String,
    pub declared: u32,
    pub received: u32,
    pub missing: u32,
    pub extra: u32,
    pub currency: String,
    pub quoted_total: String,
}

/// A new quote date for a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RequoteParams {
    pub batch: String,
    #[ts(type = "string")]
    pub date: NaiveDate,
}

/// A quote's expiry: one calendar month after its date (the last day of a shorter month).
///
/// ```
/// use chrono::NaiveDate;
/// use refurbdesk_app::batches::quote_expiry;
/// let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(quote_expiry(day(2026, 3, 10)), day(2026, 4, 10));
/// assert_eq!(quote_expiry(day(2026, 1, 31)), day(2026, 2, 28));
/// ```
pub fn quote_expiry(quote_date: NaiveDate) -> NaiveDate {
    quote_date
        .checked_add_months(Months::new(1))
        .unwrap_or(NaiveDate::MAX)
}

/// The business days an audit of `devices` devices takes, and whether that is an estimate.
///
/// ```
/// use refurbdesk_app::batches::audit_business_days;
/// assert_eq!(audit_business_days(499), (5, false));
/// assert_eq!(audit_business_days(500), (6, true));
/// assert_eq!(audit_business_days(1_000), (11, true));
/// ```
pub fn audit_business_days(devices: u32) -> (u32, bool) {
    if devices < ESTIMATE_FROM_DEVICES {
        (AUDIT_BUSINESS_DAYS, false)
    } else {
        let beyond = devices - (ESTIMATE_FROM_DEVICES - 1);
        (AUDIT_BUSINESS_DAYS + beyond.div_ceil(100), true)
    }
}

/// Cents as a decimal with two places: `123450` → `"1234.50"`.
pub fn money(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02}", cents / 100, cents % 100)
}

/// Imports a manifest as a new batch of `customer` (someone who may run batches): every line or
/// none. A manifest with any problem, including an identifier already declared in another open
/// batch, is refused with every problem told as `line N, column C: what is wrong` in the
/// language asked for (a data error whose details list the problems).
pub fn import(ws: &mut Workstation, params: ImportBatchParams) -> Result<ImportedBatch> {
    let customer = customers::find(ws, &params.customer)?;
    let actor = ws.actor()?;
    let (name, bytes) = read_input(&params.manifest)?;
    let format = Format::detect(&name, &bytes);
    let manifest = match check_manifest(&bytes, format) {
        Ok(manifest) => {
            let duplicates = open_duplicates(
                ws,
                manifest
                    .lines
                    .iter()
                    .map(|line| (line.line, line.imei.as_deref(), line.serial.as_deref())),
            )?;
            if !duplicates.is_empty() {
                let rejected = Rejected::from_problems(duplicates);
                return Err(refused_manifest(&name, &rejected, params.lang));
            }
            manifest
        }
        // Refused for its lines: the identifiers already declared in an open batch are
        // problems too, listed with the others in the one refusal.
        Err(Refusal {
            rejected,
            identifiers,
        }) if rejected.file.is_none() => {
            let mut problems = rejected.problems;
            problems.extend(open_duplicates(
                ws,
                identifiers
                    .iter()
                    .map(|ids| (ids.line, ids.imei.as_deref(), ids.serial.as_deref())),
            )?);
            let rejected = Rejected::from_problems(problems);
            return Err(refused_manifest(&name, &rejected, params.lang));
        }
        Err(refusal) => return Err(refused_manifest(&name, &refusal.rejected, params.lang)),
    };
    let quote_date = params.quote_date.unwrap_or_else(|| Utc::now().date_naive());
    let currency = manifest
        .lines
        .first()
        .map(|line| line.currency.as_str().to_owned())
        .unwrap_or_else(|| "EUR".to_owned());
    let new = NewBatch {
        customer_id: customer.id,
        quote_date,
        quote_expiry: quote_expiry(quote_date),
        source_name: file_name(&name),
        source_sha256: crate::documents::sha256_hex(&bytes),
        currency,
        lines: manifest.lines.into_iter().map(batch_line).collect(),
    };
    let batch = ws.store.import_batch(&new, &actor)?;
    Ok(ImportedBatch {
        id: batch.id,
        lines: batch.declared,
        customer_id: batch.customer_id,
        quote_date: batch.quote_date,
        quote_expiry: batch.quote_expiry,
        currency: batch.currency,
        quoted_total: money(batch.quoted_cents),
        source: manifest.source,
    })
}

/// Records a scan at a batch's receiving (someone who may run batches): the declared device it
/// matches, else an extra device; a device scanned before is said to be so and nothing new is
/// recorded.
pub fn receive(ws: &mut Workstation, params: ReceiveParams) -> Result<Receipt> {
    let batch = find(ws, &params.batch)?;
    let code = scanned_code(&params.code)?;
    let accessories = params
        .accessories
        .as_deref()
        .map(accessory_words)
        .transpose()?;
    let actor = ws.actor()?;
    let received = ws
        .store
        .receive(batch.id, &code, &actor)?
        .ok_or_else(|| not_found(ws, &params.batch))?;
    let (outcome, receipt) = match received {
        Received::New(receipt) if receipt.line.is_some() => (ScanOutcome::Matched, receipt),
        Received::New(receipt) => (ScanOutcome::Extra, receipt),
        Received::Already(receipt) => (ScanOutcome::AlreadyReceived, receipt),
    };
    if let Some(words) = &accessories {
        ws.store
            .record_accessories(batch.id, receipt.id, words, &actor)?
            .ok_or_else(|| not_found(ws, &params.batch))?;
    }
    let lines = ws.store.batch_lines(batch.id)?;
    let receipts = ws.store.batch_receipts(batch.id)?;
    let counts = Counts::of(&lines, &receipts);
    Ok(Receipt {
        outcome,
        batch_id: batch.id,
        code: receipt.code.clone(),
        device: receipt
            .line
            .and_then(|line| lines.iter().find(|declared| declared.line == line).cloned()),
        received_at: receipt.received_at,
        declared: counts.declared,
        received: counts.received,
        missing: counts.missing,
        extra: counts.extra,
    })
}

/// A batch's counts, totals, dates, and missing and extra devices.
pub fn status(ws: &Workstation, params: &BatchRef) -> Result<BatchStatus> {
    let batch = find(ws, &params.batch)?;
    let lines = ws.store.batch_lines(batch.id)?;
    let receipts = ws.store.batch_receipts(batch.id)?;
    let counts = Counts::of(&lines, &receipts);
    let received_on = receipts
        .iter()
        .map(|receipt| receipt.received_at.date_naive())
        .min();
    let (days, due_estimated) = audit_business_days(counts.declared);
    let due_date = match received_on {
        Some(day) => Some(business_calendar(ws)?.add_business_days(day, days)),
        None => None,
    };
    let received_lines: std::collections::HashSet<u32> =
        receipts.iter().filter_map(|receipt| receipt.line).collect();
    let audited = audit(
        ws,
        &AuditParams {
            batch: batch.id.to_string(),
            lang: Lang::En,
        },
    )?
    .totals;
    Ok(BatchStatus {
        id: batch.id,
        customer_id: batch.customer_id,
        customer: customer_name(ws, batch.customer_id)?,
        stage: stage(&batch, &counts),
        quote_date: batch.quote_date,
        quote_expiry: batch.quote_expiry,
        quote_expired: Utc::now().date_naive() > batch.quote_expiry,
        received_on,
        due_date,
        due_estimated,
        declared: counts.declared,
        received: counts.received,
        missing: counts.missing,
        extra: counts.extra,
        audited: audited.audited,
        unaudited: audited.unaudited,
        currency: batch.currency.clone(),
        quoted_total: money(batch.quoted_cents),
        revised_total: audited.revised_total,
        revised_so_far: audited.revised_so_far,
        closed_at: batch.closed_at,
        missing_devices: lines
            .into_iter()
            .filter(|line| !received_lines.contains(&line.line))
            .collect(),
        extra_devices: receipts
            .into_iter()
            .filter(|receipt| receipt.line.is_none())
            .collect(),
        marketplace_order: crate::marketplace_orders::order_of(&batch.source_name)
            .map(str::to_owned),
    })
}

/// Every batch, newest first.
pub fn list(ws: &Workstation) -> Result<Vec<BatchSummary>> {
    let today = Utc::now().date_naive();
    let mut list = Vec::new();
    for batch in ws.store.batches()? {
        let receipts = ws.store.batch_receipts(batch.id)?;
        let received = receipts.iter().filter(|r| r.line.is_some()).count() as u32;
        let counts = Counts {
            declared: batch.declared,
            received,
            missing: batch.declared.saturating_sub(received),
            extra: receipts.len() as u32 - received,
        };
        list.push(BatchSummary {
            id: batch.id,
            customer: customer_name(ws, batch.customer_id)?,
            stage: stage(&batch, &counts),
            quote_date: batch.quote_date,
            quote_expiry: batch.quote_expiry,
            quote_expired: today > batch.quote_expiry,
            imported_at: batch.imported_at,
            source_name: batch.source_name.clone(),
            declared: counts.declared,
            received: counts.received,
            missing: counts.missing,
            extra: counts.extra,
            currency: batch.currency.clone(),
            quoted_total: money(batch.quoted_cents),
        });
    }
    Ok(list)
}

/// Renews a batch's quote from `date` (someone who may run batches): the expiry becomes one
/// month later. A date before the current quote date is refused.
pub fn requote(ws: &mut Workstation, params: RequoteParams) -> Result<BatchStatus> {
    let batch = find(ws, &params.batch)?;
    if params.date < batch.quote_date {
        return Err(Error::usage(format!(
            "batch {} was quoted on {}; a new quote cannot be dated {}, before it",
            batch.id, batch.quote_date, params.date
        )));
    }
    let actor = ws.actor()?;
    ws.store
        .requote_batch(batch.id, params.date, quote_expiry(params.date), &actor)?
        .ok_or_else(|| not_found(ws, &params.batch))?;
    status(
        ws,
        &BatchRef {
            batch: batch.id.to_string(),
        },
    )
}

/// Records what came in the box with a received device (someone who may run batches): the
/// newest record counts. The device is named by the code scanned at receiving or by the other
/// identifier of its manifest line.
pub fn record_accessories(
    ws: &mut Workstation,
    params: AccessoriesParams,
) -> Result<AccessoriesRecorded> {
    let batch = find(ws, &params.batch)?;
    let code = scanned_code(&params.code)?;
    let words = accessory_words(&params.accessories)?;
    let lines = ws.store.batch_lines(batch.id)?;
    let receipts = ws.store.batch_receipts(batch.id)?;
    let same = |value: &Option<String>| {
        value
            .as_deref()
            .is_some_and(|value| value.eq_ignore_ascii_case(&code))
    };
    let line = lines
        .iter()
        .find(|line| same(&line.imei) || same(&line.serial))
        .map(|line| line.line);
    let receipt = receipts
        .iter()
        .find(|receipt| {
            receipt.code.eq_ignore_ascii_case(&code) || (line.is_some() && receipt.line == line)
        })
        .ok_or_else(|| {
            Error::not_found(format!(
                "{} was not received in batch {}: receive it first",
                shorten(&code),
                batch.id
            ))
        })?;
    let actor = ws.actor()?;
    let record = ws
        .store
        .record_accessories(batch.id, receipt.id, &words, &actor)?
        .ok_or_else(|| not_found(ws, &params.batch))?;
    Ok(AccessoriesRecorded {
        batch_id: batch.id,
        receipt_id: receipt.id,
        code: receipt.code.clone(),
        line: receipt.line,
        accessories: record.accessories,
        recorded_at: record.recorded_at,
    })
}

/// Closes a batch (someone who may run batches): it receives nothing more and its identifiers
/// no longer count as declared in an open batch. Refused while received devices are not
/// audited yet, unless forced with a reason (kept with the closure); a closed batch cannot be
/// closed again.
pub fn close(ws: &mut Workstation, params: CloseParams) -> Result<BatchStatus> {
    let batch = find(ws, &params.batch)?;
    let reason = params
        .force_reason
        .as_deref()
        .map(str::trim)
        .filter(|reason| !reason.is_empty());
    let audited = audit(
        ws,
        &AuditParams {
            batch: batch.id.to_string(),
            lang: Lang::En,
        },
    )?;
    let totals = audited.totals;
    if totals.unaudited > 0 && reason.is_none() {
        return Err(Error::refused(format!(
            "batch {} still has {} received device{} not audited (graded since its receipt); \
             its revised total is not final, so it stays open",
            batch.id,
            totals.unaudited,
            if totals.unaudited == 1 { "" } else { "s" }
        ))
        .with_hint(Hint::say(
            "grade the devices still to audit, or close the batch anyway giving the reason",
        )));
    }
    let actor = ws.actor()?;
    ws.store
        .close_batch(batch.id, totals.unaudited, reason, &actor)?
        .ok_or_else(|| not_found(ws, &params.batch))?;
    // Settled: its sellable devices are the refurbisher's now and join the marketplace stock.
    let devices: Vec<uuid::Uuid> = audited
        .lines
        .iter()
        .filter_map(|line| line.found.as_ref())
        .chain(
            audited
                .extra
                .iter()
                .filter_map(|extra| extra.found.as_ref()),
        )
        .filter_map(|found| found.device_id)
        .collect();
    crate::marketplace::stock_graded(ws, Some(&devices)).map_err(|error| {
        error.context("the batch is closed, but its sellable devices could not join the stock")
    })?;
    status(
        ws,
        &BatchRef {
            batch: batch.id.to_string(),
        },
    )
}

/// Accessory words as the domain writes them, checked; an unknown one is refused with the
/// words allowed.
fn accessory_words(words: &[String]) -> Result<Vec<String>> {
    let mut checked = Vec::new();
    for word in words
        .iter()
        .flat_map(|word| word.split([',', ';']))
        .map(str::trim)
        .filter(|word| !word.is_empty())
    {
        let accessory = word
            .to_ascii_lowercase()
            .parse::<Accessory>()
            .map_err(|_| {
                Error::usage(format!(
                    "{:?} is not an accessory; the accessories are {}",
                    shorten(word),
                    Accessory::ALL
                        .iter()
                        .map(|accessory| accessory.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?;
        let word = accessory.as_str().to_owned();
        if !checked.contains(&word) {
            checked.push(word);
        }
    }
    Ok(checked)
}

struct Counts {
    declared: u32,
    received: u32,
    missing: u32,
    extra: u32,
}

impl Counts {
    fn of(lines: &[BatchLine], receipts: &[ReceiptRecord]) -> Counts {
        let declared = lines.len() as u32;
        let received = receipts.iter().filter(|r| r.line.is_some()).count() as u32;
        Counts {
            declared,
            received,
            missing: declared.saturating_sub(received),
            extra: receipts.len() as u32 - received,
        }
    }
}

fn stage(batch: &BatchRecord, counts: &Counts) -> BatchStage {
    if batch.closed_at.is_some() {
        BatchStage::Closed
    } else if counts.received == 0 && counts.extra == 0 {
        BatchStage::Awaiting
    } else if counts.missing > 0 {
        BatchStage::Receiving
    } else {
        BatchStage::Received
    }
}

fn customer_name(ws: &Workstation, id: Uuid) -> Result<String> {
    Ok(ws
        .store
        .customer(id)?
        .map(|customer| customer.name)
        .unwrap_or_else(|| id.to_string()))
}

/// The batch a reference names (its id).
pub fn find(ws: &Workstation, reference: &str) -> Result<BatchRecord> {
    let reference = reference.trim();
    let id = reference.parse::<Uuid>().map_err(|_| {
        Error::usage(format!(
            "{:?} is not a batch id (a UUID such as 01937e0c-…)",
            shorten(reference)
        ))
        .with_hint(Hint::ListRecords {
            what: RecordKind::Batches,
        })
    })?;
    ws.store.batch(id)?.ok_or_else(|| not_found(ws, reference))
}

fn not_found(ws: &Workstation, reference: &str) -> Error {
    Error::not_found(format!(
        "there is no batch {:?} in {}",
        shorten(reference),
        ws.paths.database.display()
    ))
    .with_hint(Hint::ListRecords {
        what: RecordKind::Batches,
    })
}

/// What a scanner typed, trimmed; an IMEI written with spaces or hyphens between groups loses
/// them.
fn scanned_code(code: &str) -> Result<String> {
    let code = code.trim_matches(|c: char| c.is_whitespace() || c.is_control());
    if code.is_empty() {
        return Err(Error::usage(
            "the scan is empty: scan an IMEI or a serial number",
        ));
    }
    let digits: String = code.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits.len() == 15 && digits.chars().all(|c| c.is_ascii_digit()) {
        return Ok(digits);
    }
    Ok(code.to_owned())
}

/// A manifest line as the store records it, its texts moved rather than copied (a manifest can
/// have 100,000 lines).
fn batch_line(line: ManifestLine) -> BatchLine {
    BatchLine {
        line: line.line,
        imei: line.imei,
        serial: line.serial,
        category: line.category.map(|category| category.as_str().to_owned()),
        make: line.make,
        model: line.model,
        storage_gb: line.storage_gb,
        declared_grade: line.declared_grade.map(|grade| grade.as_str().to_owned()),
        quoted_cents: line.quoted_price_cents,
        accessories: line
            .accessories
            .iter()
            .map(|accessory| accessory.as_str().to_owned())
            .collect(),
        customer_ref: line.customer_ref,
        extra: line.extra,
    }
}

/// Every identifier of these manifest lines (line, IMEI, serial) already declared in an open
/// batch: two queries for the whole manifest, not two a line.
fn open_duplicates<'a>(
    ws: &Workstation,
    lines: impl Iterator<Item = (u32, Option<&'a str>, Option<&'a str>)> + Clone,
) -> Result<Vec<LineProblem>> {
    let imeis: Vec<&str> = lines.clone().filter_map(|(_, imei, _)| imei).collect();
    let serials: Vec<&str> = lines.clone().filter_map(|(_, _, serial)| serial).collect();
    let open = ws.store.open_batches_declaring(&imeis, &serials)?;
    if open.imeis.is_empty() && open.serials.is_empty() {
        return Ok(Vec::new());
    }
    let mut problems = Vec::new();
    for (line, imei, serial) in lines {
        for (column, value, declared) in [
            ("imei", imei, &open.imeis),
            ("serial", serial, &open.serials),
        ] {
            let Some(value) = value else { continue };
            if let Some(duplicate) = declared.get(value) {
                problems.push(LineProblem {
                    line,
                    column: Some(column.to_owned()),
                    kind: ProblemKind::DuplicateInOpenBatch {
                        value: value.to_owned(),
                        batch: duplicate.batch_id.to_string(),
                    },
                });
            }
        }
    }
    Ok(problems)
}

/// A problem of a refused manifest, as the window lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ToldProblem {
    pub line: u32,
    pub column: Option<String>,
    pub kind: ProblemKind,
    /// `line N, column C: what is wrong`, in the language asked for.
    pub text: String,
}

/// The error of a refused manifest: the problems told one a line after a first line that says
/// nothing was imported; its details hold `file`, `problem` (the file's, if any) and `problems`.
fn refused_manifest(name: &str, rejected: &Rejected, lang: Lang) -> Error {
    let catalogue = lang.catalogue();
    let file = file_name(name);
    if let Some(problem) = &rejected.file {
        let what = tell_file_problem(problem, lang);
        return Error::data(catalogue.tell(
            "batch-import-unreadable",
            &[("file", file.as_str()), ("what", what.as_str())],
        ))
        .with_details(serde_json::json!({ "file": file, "problem": problem, "problems": [] }));
    }
    let told: Vec<ToldProblem> = rejected
        .problems
        .iter()
        .map(|problem| ToldProblem {
            line: problem.line,
            column: problem.column.clone(),
            kind: problem.kind.clone(),
            text: tell_problem(problem, lang),
        })
        .collect();
    let mut args = FluentArgs::new();
    args.set("file", FluentValue::from(file.as_str()));
    args.set("count", FluentValue::from(told.len()));
    let mut message = catalogue.tell_args("batch-import-rejected", &args);
    for problem in &told {
        message.push('\n');
        message.push_str(&problem.text);
    }
    Error::data(message)
        .with_hint(Hint::say(
            "correct the manifest (or ask the customer to), then import it again",
        ))
        .with_details(serde_json::json!({ "file": file, "problem": null, "problems": told }))
}

/// `line N, column C: what is wrong`, in `lang`.
pub fn tell_problem(problem: &LineProblem, lang: Lang) -> String {
    let catalogue = lang.catalogue();
    let what = tell_kind(&problem.kind, lang);
    let line = problem.line.to_string();
    match &problem.column {
        Some(column) => catalogue.tell(
            "batch-problem-at-column",
            &[("line", &line), ("column", column), ("what", &what)],
        ),
        None => catalogue.tell("batch-problem-at-line", &[("line", &line), ("what", &what)]),
    }
}

fn tell_kind(kind: &ProblemKind, lang: Lang) -> String {
    let catalogue = lang.catalogue();
    let tell = |id: &str, args: &[(&str, &str)]| catalogue.tell(id, args);
    match kind {
        ProblemKind::MissingIdentifier => tell("batch-problem-missing-identifier", &[]),
        ProblemKind::ImeiNotDigits { value } => tell(
            "batch-problem-imei-not-digits",
            &[("value", &shorten(value))],
        ),
        ProblemKind::ImeiScientific { value } => tell(
            "batch-problem-imei-scientific",
            &[("value", &shorten(value))],
        ),
        ProblemKind::ImeiLength { value, digits } => tell(
            "batch-problem-imei-length",
            &[("value", &shorten(value)), ("digits", &digits.to_string())],
        ),
        ProblemKind::ImeiCheckDigit { value, expected } => tell(
            "batch-problem-imei-check-digit",
            &[("value", value), ("expected", &expected.to_string())],
        ),
        ProblemKind::DuplicateImei { value, first_line } => tell(
            "batch-problem-duplicate-imei",
            &[("value", value), ("first_line", &first_line.to_string())],
        ),
        ProblemKind::DuplicateSerial { value, first_line } => tell(
            "batch-problem-duplicate-serial",
            &[
                ("value", &shorten(value)),
                ("first_line", &first_line.to_string()),
            ],
        ),
        ProblemKind::DuplicateInOpenBatch { value, batch } => tell(
            "batch-problem-duplicate-in-open-batch",
            &[("value", &shorten(value)), ("batch", batch)],
        ),
        ProblemKind::UnknownCategory { value, expected } => tell(
            "batch-problem-unknown-category",
            &[
                ("value", &shorten(value)),
                ("expected", &expected.join(", ")),
            ],
        ),
        ProblemKind::UnknownGrade { value, expected } => tell(
            "batch-problem-unknown-grade",
            &[
                ("value", &shorten(value)),
                ("expected", &expected.join(", ")),
            ],
        ),
        ProblemKind::UnknownAccessory { value, expected } => tell(
            "batch-problem-unknown-accessory",
            &[
                ("value", &shorten(value)),
                ("expected", &expected.join(", ")),
            ],
        ),
        ProblemKind::BadStorage { value } => {
            tell("batch-problem-bad-storage", &[("value", &shorten(value))])
        }
        ProblemKind::BadPrice { value } => {
            tell("batch-problem-bad-price", &[("value", &shorten(value))])
        }
        ProblemKind::AmbiguousPrice { value } => tell(
            "batch-problem-ambiguous-price",
            &[("value", &shorten(value))],
        ),
        ProblemKind::NegativePrice { value } => tell(
            "batch-problem-negative-price",
            &[("value", &shorten(value))],
        ),
        ProblemKind::UnknownCurrency { value } => tell(
            "batch-problem-unknown-currency",
            &[("value", &shorten(value))],
        ),
        ProblemKind::MixedCurrency {
            value,
            expected,
            first_line,
        } => tell(
            "batch-problem-mixed-currency",
            &[
                ("value", &shorten(value)),
                ("expected", expected),
                ("first_line", &first_line.to_string()),
            ],
        ),
        ProblemKind::TooManyFields { found, expected } => tell(
            "batch-problem-too-many-fields",
            &[
                ("found", &found.to_string()),
                ("expected", &expected.to_string()),
            ],
        ),
    }
}

fn tell_file_problem(problem: &FileProblem, lang: Lang) -> String {
    let catalogue = lang.catalogue();
    match problem {
        FileProblem::Empty => catalogue.tell("batch-file-empty", &[]),
        FileProblem::NoLines => catalogue.tell("batch-file-no-lines", &[]),
        FileProblem::NoIdentifierColumn { columns } => catalogue.tell(
            "batch-file-no-identifier-column",
            &[("columns", &shorten(&columns.join(", ")))],
        ),
        FileProblem::DuplicateColumn { name } => {
            catalogue.tell("batch-file-duplicate-column", &[("name", &shorten(name))])
        }
        FileProblem::UnreadableXlsx { detail } => {
            catalogue.tell("batch-file-unreadable-xlsx", &[("detail", detail)])
        }
        FileProblem::NoSheet => catalogue.tell("batch-file-no-sheet", &[]),
        FileProblem::UnreadableCsv { detail } => {
            catalogue.tell("batch-file-unreadable-csv", &[("detail", detail)])
        }
    }
}

fn file_name(name: &str) -> String {
    std::path::Path::new(name)
        .file_name()
        .map(|base| base.to_string_lossy().into_owned())
        .unwrap_or_else(|| name.to_owned())
}

/// The manifest's name and bytes.
fn read_input(input: &ManifestInput) -> Result<(String, Vec<u8>)> {
    match input {
        ManifestInput::File { path } => {
            let name = path.display().to_string();
            match fs::read(path) {
                Ok(bytes) => Ok((name, bytes)),
                Err(error) if error.kind() == ErrorKind::NotFound => {
                    Err(Error::not_found(format!("there is no manifest at {name}")))
                }
                Err(error) => Err(Error::data(format!(
                    "cannot read the manifest {name}: {error}"
                ))),
            }
        }
        ManifestInput::Bytes { name, base64 } => {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(base64.trim())
                .map_err(|error| {
                    Error::usage(format!("the manifest's bytes are not base64: {error}"))
                })?;
            Ok((name.clone(), bytes))
        }
    }
}
