//! `refurbdesk marketplace configure` and `refurbdesk sync`: the marketplace connection and its
//! outbox (docs/marketplace.md).

use std::io::Read;

use clap::{Args, Subcommand};
use refurbdesk_app::marketplace::{self, ConfigureMarketplaceParams, MarketplaceSettings};
use refurbdesk_app::marketplace_orders::{self, Verdict, VerdictParams};
use refurbdesk_app::sync::{self, SyncParams, SyncReport};
use refurbdesk_app::{DataPaths, Workstation};

use crate::exit::{Exit, Failure};
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum MarketplaceCommand {
    /// Record the marketplace's URL and who we are to it; the token is read from
    /// REFURBDESK_MARKETPLACE_TOKEN or standard input, kept in a 0600 file, never shown
    Configure(ConfigureArgs),
    /// Send the verdict on a trade-in order pulled from the marketplace, once its batch is
    /// audited: validate, counter-offer (the revised total and the signed batch report) or
    /// suspend (e.g. an account-locked device); queued in the outbox, sent by `sync`
    Verdict(VerdictArgs),
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum VerdictWord {
    Validate,
    CounterOffer,
    Suspend,
}

#[derive(Debug, Args)]
pub struct VerdictArgs {
    /// The batch made from the order (its id, as `batch list` shows)
    batch: String,
    #[arg(value_enum)]
    verdict: VerdictWord,
    /// Told to the customer (at most 200 characters)
    #[arg(long, value_name = "TEXT")]
    comment: Option<String>,
    /// Why (a counter-offer or a suspension needs one; repeat for more)
    #[arg(long = "reason", value_name = "TEXT")]
    reasons: Vec<String>,
    /// Where the batch report PDF is written
    #[arg(long, value_name = "DIR", default_value = ".")]
    out: std::path::PathBuf,
}

#[derive(Debug, Args)]
pub struct ConfigureArgs {
    /// The seller API's base URL, e.g. https://www.backmarket.fr
    #[arg(long, value_name = "URL")]
    url: String,
    #[arg(long, value_name = "C")]
    company: String,
    #[arg(long, value_name = "I")]
    integration: String,
    #[arg(long, value_name = "E")]
    email: String,
    /// Accept-Language, e.g. fr-fr
    #[arg(long, value_name = "LANG", default_value = "fr-fr")]
    lang: String,
    /// The marketplace's clock speed (a simulator's --time-factor; 1 for the real one)
    #[arg(long, value_name = "N", default_value_t = 1.0)]
    time_factor: f64,
    /// How a listing's SKU is made, from {model}, {storage}, {colour} and {grade}; the default
    /// is {model}-{storage}-{colour}-{grade}
    #[arg(long, value_name = "TEMPLATE")]
    sku_template: Option<String>,
}

#[derive(Debug, Args)]
pub struct SyncArgs {
    #[command(subcommand)]
    command: Option<SyncCommand>,
    /// Send what is due, then exit: 0 the outbox is empty, 3 the marketplace could not be
    /// reached, 1 entries remain failed after the marketplace refused them
    #[arg(long)]
    once: bool,
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// The outbox: counts and open entries (pending, in flight, failed with the marketplace's message)
    Status,
    /// Make a failed or waiting entry due now (quality managers and admins; audited)
    Retry { id: String },
    /// Give up an entry not sent yet (quality managers and admins; audited)
    Cancel { id: String },
}

pub fn run_marketplace(
    command: &MarketplaceCommand,
    global: &GlobalArgs,
    paths: &DataPaths,
) -> Result<(), Failure> {
    let args = match command {
        MarketplaceCommand::Configure(args) => args,
        MarketplaceCommand::Verdict(args) => return run_verdict(args, global, paths),
    };
    let token = match std::env::var("REFURBDESK_MARKETPLACE_TOKEN") {
        Ok(token) if !token.trim().is_empty() => token,
        _ => {
            let mut token = String::new();
            std::io::stdin().read_to_string(&mut token)?;
            token
        }
    };
    let mut ws = super::acting_creating(paths, global)?;
    let configured = marketplace::configure(
        &mut ws,
        &ConfigureMarketplaceParams {
            settings: MarketplaceSettings {
                url: args.url.clone(),
                company: args.company.clone(),
                integration: args.integration.clone(),
                email: args.email.clone(),
                lang: args.lang.clone(),
                time_factor: args.time_factor,
                sku_template: args.sku_template.clone(),
            },
            token,
        },
    )?;
    if global.json {
        println!("{}", serde_json::to_string(&configured)?);
    } else {
        println!(
            "marketplace {} as {} (token in {})",
            configured.url, configured.user_agent, configured.token_file
        );
        if configured.stocked > 0 {
            println!(
                "{} device{} graded sellable before now joined the stock; `refurbdesk sync` sends their listings' quantities",
                configured.stocked,
                if configured.stocked == 1 { "" } else { "s" }
            );
        }
    }
    Ok(())
}

fn run_verdict(args: &VerdictArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let mut ws = super::acting(paths, global)?;
    let queued = marketplace_orders::verdict(
        &mut ws,
        &VerdictParams {
            batch: args.batch.clone(),
            verdict: match args.verdict {
                VerdictWord::Validate => Verdict::Validate,
                VerdictWord::CounterOffer => Verdict::CounterOffer,
                VerdictWord::Suspend => Verdict::Suspend,
            },
            comment: args.comment.clone(),
            reasons: args.reasons.clone(),
            out: args.out.clone(),
        },
    )?;
    if global.json {
        println!("{}", serde_json::to_string(&queued)?);
    } else {
        println!(
            "order {} ({:?}) queued as outbox entry {}{}{}",
            queued.order,
            queued.verdict,
            queued.entry,
            queued
                .price
                .as_deref()
                .map(|price| format!(", price {price}"))
                .unwrap_or_default(),
            queued
                .report
                .as_deref()
                .map(|pdf| format!(", report {pdf}"))
                .unwrap_or_default()
        );
        let certificates = queued.files.len() - usize::from(queued.report.is_some());
        if certificates > 0 {
            println!("with {certificates} erasure or destruction certificate(s) of the batch");
        }
    }
    Ok(())
}

pub fn run_sync(args: &SyncArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    match &args.command {
        Some(SyncCommand::Status) => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let status = marketplace::status(&ws)?;
            if global.json {
                println!("{}", serde_json::to_string(&status)?);
            } else {
                println!(
                    "{}: {} pending, {} in flight, {} failed, {} sent, {} cancelled",
                    status
                        .url
                        .as_deref()
                        .unwrap_or("marketplace not configured"),
                    status.pending,
                    status.in_flight,
                    status.failed,
                    status.sent,
                    status.cancelled
                );
                for entry in &status.entries {
                    println!(
                        "{}  {:<9} {} {} (attempts {}){}",
                        entry.id,
                        entry.state,
                        entry.kind,
                        entry.resource,
                        entry.attempts,
                        entry
                            .last_error
                            .as_deref()
                            .map(|error| format!(": {error}"))
                            .unwrap_or_default()
                    );
                }
            }
            Ok(())
        }
        Some(SyncCommand::Retry { id }) | Some(SyncCommand::Cancel { id }) => {
            let mut ws = super::acting(paths, global)?;
            let entry = match &args.command {
                Some(SyncCommand::Retry { .. }) => marketplace::retry(&mut ws, id)?,
                _ => marketplace::cancel(&mut ws, id)?,
            };
            if global.json {
                println!("{}", serde_json::to_string(&entry)?);
            } else {
                println!(
                    "{} {} {}: {}",
                    entry.id, entry.kind, entry.resource, entry.state
                );
            }
            Ok(())
        }
        None => {
            let mut ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let params = SyncParams::default();
            loop {
                let report = sync::sync_once(&mut ws, &params)?;
                print_report(&report, global.json)?;
                if args.once {
                    return exit_of(&report);
                }
                std::thread::sleep(std::time::Duration::from_secs(5));
            }
        }
    }
}

fn print_report(report: &SyncReport, json: bool) -> Result<(), Failure> {
    if json {
        println!("{}", serde_json::to_string(report)?);
    } else {
        println!(
            "{} sent, {} already there, {} refused, {} waiting, {} failed, {} new trade-in batches ({} requests, {} catalog uploads)",
            report.sent,
            report.already_there,
            report.refused,
            report.waiting,
            report.failed,
            report.new_batches.len(),
            report.requests,
            report.catalog_uploads
        );
    }
    Ok(())
}

fn exit_of(report: &SyncReport) -> Result<(), Failure> {
    if report.failed > 0 {
        return Err(Failure::new(
            Exit::CheckFailed,
            anyhow::anyhow!(
                "{} outbox entries failed after the marketplace refused them",
                report.failed
            ),
        ));
    }
    if report.waiting > 0 || report.unreachable {
        return Err(Failure::new(
            Exit::BenchUnreachable,
            anyhow::anyhow!(
                "the marketplace could not be reached; {} entries wait: {}",
                report.waiting,
                report.unreachable_error.as_deref().unwrap_or("no answer")
            ),
        ));
    }
    Ok(())
}
