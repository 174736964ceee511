//! `refurbdesk lock confirm`: an operator confirms a device's `unknown` lock verdict as clear or
//! blocked, with a note saying how it was checked; the confirmation is recorded and the device
//! graded again with it (`refurbdesk_app::locks`).

use std::path::PathBuf;

use clap::{ArgGroup, Args, Subcommand};
use refurbdesk_app::locks::{self, ConfirmedLock, LockConfirmParams, LockConfirmed, Regrade};
use refurbdesk_app::DataPaths;
use refurbdesk_domain::Lang;

use super::lang_from_environment;
use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum LockCommand {
    /// Confirm a device's unknown lock verdict as clear or blocked, then grade it again
    Confirm(ConfirmArgs),
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("state").required(true).args(["clear", "blocked"])))]
pub struct ConfirmArgs {
    /// The device: an IMEI, a serial, an intake id or a device id; its latest intake is confirmed
    #[arg(long, value_name = "REF")]
    device: String,
    /// No lock stops the sale (checked with the owner, the vendor or the MDM console)
    #[arg(long)]
    clear: bool,
    /// A lock stops the sale until the owner removes it
    #[arg(long)]
    blocked: bool,
    /// How the lock state was checked
    #[arg(long, value_name = "TEXT")]
    note: String,
    /// The grading policy of the re-grade [default: the shipped backmarket-default policy]
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// The language of the re-grade's printed reasons, en or fr
    /// [default: fr when LANG is French, else en]
    #[arg(long, value_name = "LANG")]
    lang: Option<Lang>,
}

pub fn run(command: &LockCommand, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    match command {
        LockCommand::Confirm(args) => {
            let mut ws = super::acting(paths, global)?;
            let confirmed = locks::confirm(
                &mut ws,
                LockConfirmParams {
                    device: args.device.clone(),
                    lock: if args.blocked {
                        ConfirmedLock::Blocked
                    } else {
                        ConfirmedLock::Clear
                    },
                    note: args.note.clone(),
                    policy: args.policy.clone(),
                    lang: args.lang.unwrap_or_else(lang_from_environment),
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&confirmed)?);
            } else {
                print_confirmed(&confirmed);
            }
            Ok(())
        }
    }
}

fn print_confirmed(confirmed: &LockConfirmed) {
    let confirmation = &confirmed.confirmation;
    println!(
        "lock confirmed {} by {} at {} (confirmation {})",
        confirmation.verdict,
        confirmation.operator,
        confirmation.confirmed_at.format("%Y-%m-%d %H:%M UTC"),
        confirmation.id
    );
    match &confirmed.regrade {
        Regrade::Graded { grade } => {
            let report = &grade.report;
            println!(
                "graded again: outcome {}, grade {}{} (grade {})",
                report.outcome,
                report.grade,
                if report.partial { ", partial" } else { "" },
                report.grade_id
            );
            for reason in &report.reasons {
                println!("  - {}", reason.text);
            }
        }
        Regrade::Incomplete { items, zones } => {
            let mut missing = Vec::new();
            if !items.is_empty() {
                missing.push(format!("checklist items {}", items.join(", ")));
            }
            if !zones.is_empty() {
                missing.push(format!("zones {}", zones.join(", ")));
            }
            println!(
                "not graded yet: {} still need an answer; `refurbdesk grade --device {}` \
                 will use this confirmation",
                missing.join(" and "),
                confirmation.device_id
            );
        }
    }
}
