//! `refurbdesk batch import | receive | accessories | status | audit | close | list | requote`:
//! trade-in batches
//! (`refurbdesk_app::batches`).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use refurbdesk_app::batches::{
    self, AccessoriesParams, AuditParams, BatchAudit, BatchRef, BatchStatus, CloseParams,
    ImportBatchParams, LineState, ManifestInput, ReceiveParams, RequoteParams, ScanOutcome,
};
use refurbdesk_app::{DataPaths, Workstation};
use refurbdesk_domain::Lang;
use serde_json::json;

use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum BatchCommand {
    /// Import a customer's manifest (CSV or XLSX) as a new batch, all lines or none; prints
    /// the batch id (exit 8 with every problem by line when the manifest is refused)
    Import {
        /// The manifest file
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The customer: their name, pseudonym or id
        #[arg(long, value_name = "NAME")]
        customer: String,
        /// The day the batch was quoted [default: today]
        #[arg(long, value_name = "YYYY-MM-DD")]
        quote_date: Option<NaiveDate>,
    },
    /// Record a scanned IMEI or serial at the batch's receiving
    Receive {
        #[arg(value_name = "BATCH")]
        batch: String,
        /// What the scanner typed
        #[arg(long, value_name = "CODE")]
        scan: String,
        /// What came in the box, e.g. charger;cable ("" for an empty box)
        #[arg(long, value_name = "LIST")]
        accessories: Option<String>,
    },
    /// Record what came in the box with a received device (the newest record counts)
    Accessories {
        #[arg(value_name = "BATCH")]
        batch: String,
        /// The device's IMEI or serial
        #[arg(value_name = "CODE")]
        code: String,
        /// The accessories, e.g. charger,cable ("" for an empty box)
        #[arg(long, value_name = "LIST")]
        has: String,
    },
    /// Show the audit: each declared device declared vs found, its revised price and the
    /// adjustments with their reasons; the extra devices; the totals
    Audit {
        #[arg(value_name = "BATCH")]
        batch: String,
        /// The language of the adjustments' reasons, en or fr
        /// [default: fr when LANG is French, else en]
        #[arg(long, value_name = "LANG")]
        lang: Option<Lang>,
    },
    /// Close a batch: it receives nothing more (refused while received devices are not
    /// audited, unless --force gives the reason)
    Close {
        #[arg(value_name = "BATCH")]
        batch: String,
        /// Close it although received devices are not audited yet, for this reason
        #[arg(long, value_name = "REASON")]
        force: Option<String>,
    },
    /// Show a batch's counts, totals, dates and missing and extra devices
    Status {
        #[arg(value_name = "BATCH")]
        batch: String,
    },
    /// List the batches, newest first
    List,
    /// Renew an expired quote from a new date (the expiry becomes one month later)
    Requote {
        #[arg(value_name = "BATCH")]
        batch: String,
        #[arg(long, value_name = "YYYY-MM-DD")]
        date: NaiveDate,
    },
    /// Issue the batch's signed audit report (every received device audited); prints the PDF's
    /// path
    Report(super::batch_docs::ReportArgs),
    /// Write the batch's audit as CSV or XLSX, one row per declared line then per extra device
    Export(super::batch_docs::ExportArgs),
    /// Write every erasure and destruction certificate of the batch's devices, or one ZIP
    Certificates(super::batch_docs::CertificatesArgs),
}

pub fn run(command: &BatchCommand, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    match command {
        BatchCommand::Report(args) => return super::batch_docs::report(args, global, paths),
        BatchCommand::Export(args) => return super::batch_docs::export(args, global, paths),
        BatchCommand::Certificates(args) => {
            return super::batch_docs::certificates(args, global, paths)
        }
        BatchCommand::Import {
            file,
            customer,
            quote_date,
        } => {
            let mut ws = super::acting(paths, global)?;
            let imported = batches::import(
                &mut ws,
                ImportBatchParams {
                    manifest: ManifestInput::File { path: file.clone() },
                    customer: customer.clone(),
                    quote_date: *quote_date,
                    lang: super::lang_from_environment(),
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&imported)?);
            } else {
                println!("{}", imported.id);
            }
        }
        BatchCommand::Receive {
            batch,
            scan,
            accessories,
        } => {
            let mut ws = super::acting(paths, global)?;
            let receipt = batches::receive(
                &mut ws,
                ReceiveParams {
                    batch: batch.clone(),
                    code: scan.clone(),
                    accessories: accessories.as_deref().map(|list| vec![list.to_owned()]),
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&receipt)?);
            } else {
                let what = match (&receipt.outcome, &receipt.device) {
                    (ScanOutcome::Matched, Some(device)) => format!(
                        "received: line {} {}",
                        device.line,
                        [device.make.as_deref(), device.model.as_deref()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(" ")
                    ),
                    (ScanOutcome::Extra, _) => {
                        "received: not in the manifest (extra device)".into()
                    }
                    _ => format!(
                        "already received at {}; nothing recorded",
                        receipt.received_at.format("%Y-%m-%d %H:%M UTC")
                    ),
                };
                println!(
                    "{} {what} ({} of {} received, {} missing, {} extra)",
                    receipt.code,
                    receipt.received,
                    receipt.declared,
                    receipt.missing,
                    receipt.extra
                );
            }
        }
        BatchCommand::Status { batch } => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let status = batches::status(
                &ws,
                &BatchRef {
                    batch: batch.clone(),
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&status)?);
            } else {
                print_status(&status);
            }
        }
        BatchCommand::Accessories { batch, code, has } => {
            let mut ws = super::acting(paths, global)?;
            let recorded = batches::record_accessories(
                &mut ws,
                AccessoriesParams {
                    batch: batch.clone(),
                    code: code.clone(),
                    accessories: vec![has.clone()],
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&recorded)?);
            } else {
                println!(
                    "{}: {}",
                    recorded.code,
                    if recorded.accessories.is_empty() {
                        "no accessories".to_owned()
                    } else {
                        recorded.accessories.join(", ")
                    }
                );
            }
        }
        BatchCommand::Audit { batch, lang } => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let audit = batches::audit(
                &ws,
                &AuditParams {
                    batch: batch.clone(),
                    lang: lang.unwrap_or_else(super::lang_from_environment),
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&audit)?);
            } else {
                print_audit(&audit);
            }
        }
        BatchCommand::Close { batch, force } => {
            let mut ws = super::acting(paths, global)?;
            let status = batches::close(
                &mut ws,
                CloseParams {
                    batch: batch.clone(),
                    force_reason: force.clone(),
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&status)?);
            } else {
                println!(
                    "batch {} closed: revised total {}",
                    status.id,
                    status
                        .revised_total
                        .as_deref()
                        .map(|total| format!("{total} {}", status.currency))
                        .unwrap_or_else(|| format!(
                            "not final ({} {} so far, {} not audited)",
                            status.revised_so_far, status.currency, status.unaudited
                        ))
                );
            }
        }
        BatchCommand::List => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let list = batches::list(&ws)?;
            if global.json {
                println!("{}", serde_json::to_string(&list)?);
            } else if list.is_empty() {
                println!("no batches");
            } else {
                for batch in &list {
                    println!(
                        "{}  {}  {:?}  {} declared, {} received, {} missing, {} extra  {} {}  \
                         quoted {}{}",
                        batch.id,
                        batch.customer,
                        batch.stage,
                        batch.declared,
                        batch.received,
                        batch.missing,
                        batch.extra,
                        batch.quoted_total,
                        batch.currency,
                        batch.quote_date,
                        if batch.quote_expired {
                            " (expired)"
                        } else {
                            ""
                        }
                    );
                }
            }
        }
        BatchCommand::Requote { batch, date } => {
            let mut ws = super::acting(paths, global)?;
            let status = batches::requote(
                &mut ws,
                RequoteParams {
                    batch: batch.clone(),
                    date: *date,
                },
            )?;
            if global.json {
                println!(
                    "{}",
                    json!({"id": status.id, "quote_date": status.quote_date,
                           "quote_expiry": status.quote_expiry})
                );
            } else {
                println!(
                    "batch {} re-quoted on {}, valid until {}",
                    status.id, status.quote_date, status.quote_expiry
                );
            }
        }
    }
    Ok(())
}

fn print_status(status: &BatchStatus) {
    println!("batch     {}", status.id);
    println!("customer  {}", status.customer);
    println!(
        "quote     {} until {}{}",
        status.quote_date,
        status.quote_expiry,
        if status.quote_expired {
            " (expired: re-quote before sending results)"
        } else {
            ""
        }
    );
    match (status.received_on, status.due_date) {
        (Some(received), Some(due)) => println!(
            "audit due {due}{} (received from {received})",
            if status.due_estimated {
                " (estimate)"
            } else {
                ""
            }
        ),
        _ => println!("audit due 5 business days after the first device is received"),
    }
    println!(
        "devices   {} declared, {} received, {} missing, {} extra, {} audited",
        status.declared, status.received, status.missing, status.extra, status.audited
    );
    match &status.revised_total {
        Some(revised) => println!(
            "totals    quoted {} {}, revised {revised}",
            status.quoted_total, status.currency
        ),
        None => println!(
            "totals    quoted {} {}, revised not final ({} so far, {} received not audited)",
            status.quoted_total, status.currency, status.revised_so_far, status.unaudited
        ),
    }
    if let Some(closed) = status.closed_at {
        println!("closed    {}", closed.format("%Y-%m-%d %H:%M UTC"));
    }
    for line in &status.missing_devices {
        println!(
            "missing   line {}  {}  {}",
            line.line,
            line.imei
                .as_deref()
                .or(line.serial.as_deref())
                .unwrap_or(""),
            [line.make.as_deref(), line.model.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
    for receipt in &status.extra_devices {
        println!("extra     {}", receipt.code);
    }
}

/// The per-device table: declared vs found, the revised price and each adjustment's reason.
fn print_audit(audit: &BatchAudit) {
    let totals = &audit.totals;
    println!(
        "batch {}  {}  policy {} {}",
        audit.batch_id, audit.customer, audit.policy.name, audit.policy.version
    );
    for line in &audit.lines {
        let declared = &line.declared;
        let id = declared
            .imei
            .as_deref()
            .or(declared.serial.as_deref())
            .unwrap_or("");
        let model = [declared.make.as_deref(), declared.model.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let storage = |gb: Option<u32>| gb.map(|gb| format!(" {gb} GB")).unwrap_or_default();
        println!(
            "line {:<4} {id}  declared: {model}{} {}",
            declared.line,
            storage(declared.storage_gb),
            declared.declared_grade.as_deref().unwrap_or("-")
        );
        match (line.state, &line.found, &line.revision) {
            (LineState::Missing, _, _) => println!("          missing: never received"),
            (LineState::Received, found, _) => println!(
                "          received, not audited yet{}",
                found
                    .as_ref()
                    .and_then(|found| found.device_id)
                    .map(|_| "")
                    .unwrap_or(" (no intake yet)")
            ),
            (LineState::Audited, Some(found), Some(revision)) => {
                println!(
                    "          found:    {} {}{} {}  lock {}  battery {}{}",
                    found.make.as_deref().unwrap_or(""),
                    found.model.as_deref().unwrap_or(""),
                    storage(found.storage_gb),
                    found.buyback_grade.as_deref().unwrap_or("-"),
                    found.lock.as_deref().unwrap_or("-"),
                    found.battery.as_deref().unwrap_or("-"),
                    if found.accessories_recorded {
                        format!(
                            "  box: {}",
                            if found.accessories.is_empty() {
                                "nothing".to_owned()
                            } else {
                                found.accessories.join(", ")
                            }
                        )
                    } else {
                        "  box: not recorded".to_owned()
                    }
                );
                println!(
                    "          {}: quoted {} revised {} {}{}",
                    revision.disposition,
                    revision.quoted,
                    revision.revised,
                    totals.currency,
                    if revision.requote { " (re-quote)" } else { "" }
                );
                for adjustment in &revision.adjustments {
                    println!("            {} [{}]", adjustment.text, adjustment.rule);
                }
            }
            _ => {}
        }
        if let Some(erasure) = &line.erasure {
            println!(
                "          erasure {} {}{}",
                erasure.erasure_id,
                erasure.status,
                erasure
                    .certificate_id
                    .map(|id| format!(", certificate {id}"))
                    .unwrap_or_default()
            );
        }
    }
    for extra in &audit.extra {
        println!("extra     {}", extra.receipt.code);
    }
    println!(
        "devices   {} declared, {} received, {} missing, {} extra, {} audited, {} not audited",
        totals.declared,
        totals.received,
        totals.missing,
        totals.extra,
        totals.audited,
        totals.unaudited
    );
    println!(
        "audited   {} accepted, {} readjusted, {} returned, {} held, {} to re-quote",
        totals.accepted, totals.readjusted, totals.returned, totals.held, totals.requote
    );
    match &totals.revised_total {
        Some(revised) => println!(
            "totals    quoted {} {}, revised {revised}",
            totals.quoted_total, totals.currency
        ),
        None => println!(
            "totals    quoted {} {}, revised not final ({} so far for {} quoted)",
            totals.quoted_total, totals.currency, totals.revised_so_far, totals.quoted_audited
        ),
    }
}
