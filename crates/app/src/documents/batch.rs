//! A trade-in batch's documents: the signed batch audit report, the CSV or XLSX export of the
//! same audit, and every certificate of the batch's devices in one folder or one ZIP.
//!
//! All three start from the batch's audit ([`crate::batches::audit`]) turned into the report's
//! facts ([`BatchReport`]), so the report, the spreadsheet and the archive agree.

use std::path::PathBuf;

use refurbdesk_certificate::document::{
    BatchLine, BatchReport, BatchTotals, Body, DeclaredFacts, ExtraDevice, FoundFacts,
};
use refurbdesk_certificate::Lang;
use refurbdesk_store::{BatchRecord, CertificateFilter};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::batch_export::{rows, write_csv, write_xlsx};
use super::cases::DocumentSummary;
use super::files::{create_out_dir, file_stem, write_file_atomically};
use super::{Documents, Links};
use crate::batches::{AuditParams, BatchAudit, BatchRef, BatchStatus, FoundDevice};
use crate::error::Error;
use crate::workstation::Workstation;

/// Issue a batch's signed audit report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchReportParams {
    /// The batch's id.
    pub batch: String,
    /// The folder the PDF is written into (created if missing).
    #[ts(type = "string")]
    pub out: PathBuf,
    /// The report's language; the `certificate.language` setting when unset.
    #[ts(type = "\"en\" | \"fr\" | null")]
    pub lang: Option<Lang>,
}

/// Issues the audit report of a batch whose every received device is audited, records it with
/// the other issued documents and writes its PDF into `params.out`.
///
/// A batch with received devices not audited yet is refused, naming their lines.
pub fn batch_report(
    ws: &mut Workstation,
    params: &BatchReportParams,
) -> Result<DocumentSummary, Error> {
    let actor = ws.actor()?;
    let facts = facts(ws, &params.batch)?;
    let unaudited: Vec<String> = facts
        .lines
        .iter()
        .filter(|line| line.received_at.is_some() && line.revision.is_none())
        .map(|line| line.line.to_string())
        .collect();
    if !unaudited.is_empty() {
        let shown: Vec<&str> = unaudited.iter().take(20).map(String::as_str).collect();
        return Err(Error::refused(format!(
            "batch {} has {} received devices not audited yet (manifest lines {}{}); grade \
             them before issuing the batch's report",
            facts.batch_id,
            unaudited.len(),
            shown.join(", "),
            if unaudited.len() > shown.len() {
                ", …"
            } else {
                ""
            }
        ))
        .with_details(serde_json::json!({
            "batch_id": facts.batch_id,
            "unaudited_lines": unaudited,
        })));
    }
    let mut documents = Documents::new(&mut ws.store, &ws.paths.keys_dir);
    let lang = match params.lang {
        Some(lang) => lang,
        None => documents.default_lang()?,
    };
    let document = documents.envelope(&actor.name, Body::BatchReport(facts))?;
    create_out_dir(&params.out)?;
    let issued = documents.issue(&document, lang, Links::default())?;
    let path = params
        .out
        .join(format!("{}.pdf", file_stem(&issued.record)));
    write_file_atomically(&path, &issued.pdf)?;
    DocumentSummary::of(&issued.record, Some(&path)).with_replacements(documents.store())
}

/// A spreadsheet's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SheetFormat {
    Csv,
    Xlsx,
}

/// Export a batch's audit as a spreadsheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchExportParams {
    pub batch: String,
    pub format: SheetFormat,
    /// The file to write (its folder must exist).
    #[ts(type = "string")]
    pub out: PathBuf,
    /// The language the adjustments' reasons are told in; the `certificate.language` setting
    /// when unset.
    #[ts(type = "\"en\" | \"fr\" | null")]
    pub lang: Option<Lang>,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchExported {
    pub batch_id: Uuid,
    pub path: String,
    pub format: SheetFormat,
    /// Data rows (the header row not counted): declared lines, then extra devices.
    pub rows: u32,
}

/// Writes a batch's audit to `params.out`, one row per declared line then one per extra
/// device: declared, found, status, quoted and revised prices, adjustments with their rules,
/// certificates (docs/cli.md lists the columns).
pub fn batch_export(ws: &Workstation, params: &BatchExportParams) -> Result<BatchExported, Error> {
    let facts = facts(ws, &params.batch)?;
    let lang = match params.lang {
        Some(lang) => lang,
        None => default_lang(ws)?,
    };
    let rows = rows(&facts, lang);
    match params.format {
        SheetFormat::Csv => write_csv(&params.out, &rows)?,
        SheetFormat::Xlsx => write_xlsx(&params.out, &rows, "batch")?,
    }
    Ok(BatchExported {
        batch_id: facts.batch_id,
        path: params.out.display().to_string(),
        format: params.format,
        rows: rows.len() as u32,
    })
}

/// Gather every certificate of a batch's devices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchCertificatesParams {
    pub batch: String,
    /// The folder to write into (created if missing).
    #[ts(type = "string")]
    pub out: PathBuf,
    /// One `batch-<id>-certificates.zip` there instead of loose files.
    pub zip: bool,
}

/// What was gathered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatchCertificates {
    pub batch_id: Uuid,
    #[ts(type = "number")]
    pub count: usize,
    /// Each certificate's file name (in the folder or the archive).
    pub files: Vec<String>,
    pub out: String,
    /// The archive, when zipped.
    pub zip: Option<String>,
}

/// Writes the PDF of every valid (not voided) erasure and destruction certificate of the
/// batch's devices, declared or extra, as issued, into `params.out` or one ZIP there.
pub fn batch_certificates(
    ws: &mut Workstation,
    params: &BatchCertificatesParams,
) -> Result<BatchCertificates, Error> {
    let facts = facts(ws, &params.batch)?;
    let devices: Vec<Uuid> = facts
        .lines
        .iter()
        .filter_map(|line| line.found.as_ref().and_then(|found| found.device_id))
        .chain(facts.extras.iter().filter_map(|extra| extra.device_id))
        .collect();
    let mut records = Vec::new();
    for device in devices {
        records.extend(
            ws.store
                .list_certificates(&CertificateFilter {
                    device_id: Some(device),
                    ..CertificateFilter::default()
                })?
                .into_iter()
                .filter(|record| {
                    record.void.is_none()
                        && matches!(
                            record.kind.as_str(),
                            "erasure_certificate" | "destruction_certificate"
                        )
                }),
        );
    }
    create_out_dir(&params.out)?;
    let mut files = Vec::with_capacity(records.len());
    let mut zip = match params.zip {
        true => Some(super::export::Zip::create_named(
            &params.out,
            &format!("batch-{}-certificates.zip", facts.batch_id),
        )?),
        false => None,
    };
    for record in &records {
        let pdf = ws.store.certificate_pdf(record.id)?.ok_or_else(|| {
            Error::data(format!(
                "certificate {} is recorded without its PDF; check the database",
                record.id
            ))
        })?;
        let name = format!("{}.pdf", file_stem(record));
        match &mut zip {
            Some(zip) => zip.add(&name, &pdf)?,
            None => write_file_atomically(&params.out.join(&name), &pdf)?,
        }
        files.push(name);
    }
    let zip = zip.map(super::export::Zip::finish).transpose()?;
    Ok(BatchCertificates {
        batch_id: facts.batch_id,
        count: files.len(),
        files,
        out: params.out.display().to_string(),
        zip: zip.map(|path| path.display().to_string()),
    })
}

fn default_lang(ws: &Workstation) -> Result<Lang, Error> {
    Ok(ws
        .store
        .setting(super::setting::LANGUAGE)?
        .and_then(|word| word.parse().ok())
        .unwrap_or_default())
}

/// The report's facts, from the batch's audit and record.
pub(crate) fn facts(ws: &Workstation, batch: &str) -> Result<BatchReport, Error> {
    let reference = BatchRef {
        batch: batch.to_owned(),
    };
    let audit = crate::batches::audit(
        ws,
        &AuditParams {
            batch: batch.to_owned(),
            lang: Lang::En,
        },
    )?;
    let status = crate::batches::status(ws, &reference)?;
    let record = ws.store.batch(audit.batch_id)?;
    Ok(from_audit(&audit, &status, record.as_ref()))
}

fn found_facts(found: &FoundDevice) -> FoundFacts {
    FoundFacts {
        device_id: found.device_id,
        make: found.make.clone(),
        model: found.model.clone(),
        storage_gb: found.storage_gb,
        grade: found.buyback_grade.clone(),
        lock: found.lock.clone(),
        accessories: found.accessories.clone(),
    }
}

fn from_audit(
    audit: &BatchAudit,
    status: &BatchStatus,
    record: Option<&BatchRecord>,
) -> BatchReport {
    let lines: Vec<BatchLine> = audit
        .lines
        .iter()
        .map(|line| {
            let declared = &line.declared;
            BatchLine {
                line: declared.line,
                customer_ref: declared.customer_ref.clone(),
                declared: DeclaredFacts {
                    imei: declared.imei.clone(),
                    serial: declared.serial.clone(),
                    category: declared.category.clone(),
                    make: declared.make.clone(),
                    model: declared.model.clone(),
                    storage_gb: declared.storage_gb,
                    grade: declared.declared_grade.clone(),
                    accessories: declared.accessories.clone(),
                },
                received_at: line.receipt.as_ref().map(|receipt| receipt.received_at),
                found: line.found.as_ref().map(found_facts),
                quoted_cents: declared
                    .quoted_cents
                    .map(|cents| u64::try_from(cents).unwrap_or(0)),
                revision: line
                    .revision
                    .as_ref()
                    .and_then(|revision| revision.computed.clone()),
                certificates: line
                    .erasure
                    .as_ref()
                    .and_then(|erasure| erasure.certificate_id)
                    .into_iter()
                    .collect(),
            }
        })
        .collect();
    let extras: Vec<ExtraDevice> = audit
        .extra
        .iter()
        .map(|extra| ExtraDevice {
            code: extra.receipt.code.clone(),
            received_at: extra.receipt.received_at,
            device_id: extra.found.as_ref().and_then(|found| found.device_id),
            make: extra.found.as_ref().and_then(|found| found.make.clone()),
            model: extra.found.as_ref().and_then(|found| found.model.clone()),
            certificates: extra
                .erasure
                .as_ref()
                .and_then(|erasure| erasure.certificate_id)
                .into_iter()
                .collect(),
        })
        .collect();
    let totals = BatchTotals::of(&lines, &extras);
    BatchReport {
        batch_id: audit.batch_id,
        customer: audit.customer.clone(),
        manifest: record.map(|record| record.source_name.clone()),
        quote_date: status.quote_date,
        quote_expiry: status.quote_expiry,
        audit_due: status.due_date,
        policy_name: audit.policy.name.clone(),
        policy_version: audit.policy.version.clone(),
        policy_sha256: Some(audit.policy.sha256.clone()).filter(|sha| !sha.is_empty()),
        currency: audit.totals.currency.clone(),
        lines,
        extras,
        totals,
    }
}
