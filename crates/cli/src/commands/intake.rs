//! `refurbdesk intake`: one slot of one bench, read and recorded.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use refurbdesk_app::DataPaths;
use refurbdesk_bench::{BenchLink, LinkConfig};
use refurbdesk_domain::Lang;
use refurbdesk_station::{record_reading, run_intake, IntakeOptions, IntakeReport};

use super::{intake_failure, lang_from_environment, link_failure, open_workstation, store_failure};
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
    let (mut store, actor) = open_workstation(global, paths)?;
    let options = IntakeOptions {
        battery_policy: super::channel_policy(&store, args.channel.as_deref())?,
        ..IntakeOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let config = LinkConfig {
        request_timeout: Duration::from_millis(args.timeout_ms),
        ..LinkConfig::default()
    };
    let reading = runtime.block_on(async {
        let (link, _hello) = BenchLink::connect(&args.port, config)
            .await
            .map_err(link_failure)?;
        let reading = run_intake(&link, args.slot, &options)
            .await
            .map_err(intake_failure);
        link.close().await;
        reading
    })?;
    let summary =
        record_reading(&mut store, &reading, &actor.name).map_err(|e| store_failure(e.source))?;
    let report = IntakeReport::new(&reading, Some((summary.intake_id, summary.device_id)));
    if global.json {
        println!("{}", serde_json::to_string(&report)?);
    } else {
        let lang = args.lang.unwrap_or_else(lang_from_environment);
        println!("recorded intake {}", summary.intake_id);
        println!("{}", report.summary_line());
        for reason in report
            .device
            .reasons
            .iter()
            .chain(&reading.battery.reasons_in(lang))
            .chain(&reading.lock.reasons_in(lang))
        {
            println!("  - {reason}");
        }
    }
    Ok(())
}
