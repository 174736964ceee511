//! `refurbdesk batch import | receive | status | list | requote`: trade-in batches
//! (`refurbdesk_app::batches`).

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Subcommand;
use refurbdesk_app::batches::{
    self, BatchRef, BatchStatus, ImportBatchParams, ManifestInput, ReceiveParams, RequoteParams,
    ScanOutcome,
};
use refurbdesk_app::{DataPaths, Workstation};
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
}

pub fn run(command: &BatchCommand, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    match command {
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
        BatchCommand::Receive { batch, scan } => {
            let mut ws = super::acting(paths, global)?;
            let receipt = batches::receive(
                &mut ws,
                ReceiveParams {
                    batch: batch.clone(),
                    code: scan.clone(),
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
    println!(
        "totals    quoted {} {}, revised {}",
        status.quoted_total,
        status.currency,
        status.revised_total.as_deref().unwrap_or("not yet")
    );
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
