//! `refurbdesk intake`: one slot of one bench, read and recorded.

use std::path::PathBuf;

use clap::Args;
use refurbdesk_app::intake::{self, IntakeParams};
use refurbdesk_app::DataPaths;
use refurbdesk_domain::Lang;

use super::lang_from_environment;
use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Args)]
pub struct IntakeArgs {
    /// The bench's serial port, e.g. /dev/ttyACM0
    #[arg(long, value_name = "PATH")]
    port: PathBuf,
    /// The slot holding the device (from 1)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    slot: u16,
    /// The sales channel whose battery threshold applies [default: the station.channel setting,
    /// else backmarket (85 %)]
    #[arg(long, value_name = "NAME")]
    channel: Option<String>,
    /// How long to wait for each bench answer, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 2000)]
    timeout_ms: u64,
    /// The language of the printed battery and lock reasons, en or fr (--json has the
    /// findings) [default: fr when LANG is French, else en]
    #[arg(long, value_name = "LANG")]
    lang: Option<Lang>,
}

pub fn run(args: &IntakeArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    // A timeout no bench can meet is refused before the database is touched.
    intake::check_timeout_ms(args.timeout_ms)?;
    let mut ws = super::acting_creating(paths, global)?;
    let done = intake::run(
        &mut ws,
        IntakeParams {
            port: args.port.clone(),
            slot: args.slot,
            channel: args.channel.clone(),
            timeout_ms: args.timeout_ms,
            lang: args.lang.unwrap_or_else(lang_from_environment),
        },
    )?;
    if global.json {
        println!("{}", serde_json::to_string(&done.report)?);
    } else {
        println!("recorded intake {}", done.intake_id);
        println!("{}", done.summary);
        for reason in &done.reasons {
            println!("  - {reason}");
        }
    }
    Ok(())
}
