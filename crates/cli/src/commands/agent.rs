//! `refurbdesk agent`: run on a laptop under test, reads its battery, DMI identity and drives
//! from sysfs and writes the intake file the workstation records with `intake --import`.

use std::path::PathBuf;

use clap::Args;
use refurbdesk_app::agent::{self, AgentParams};

use crate::exit::Failure;

#[derive(Debug, Args)]
pub struct AgentArgs {
    /// The sysfs tree to read
    #[arg(long, value_name = "DIR", default_value = agent::SYSFS)]
    sysfs_root: PathBuf,
    /// The intake file to write (JSON), to be recorded at the workstation with
    /// `refurbdesk intake --import FILE`
    #[arg(long, value_name = "FILE.json")]
    out: PathBuf,
}

pub fn run(args: &AgentArgs, json: bool) -> Result<(), Failure> {
    let written = agent::write_intake_file(&AgentParams {
        sysfs_root: args.sysfs_root.clone(),
        out: args.out.clone(),
    })?;
    if json {
        println!("{}", serde_json::to_string(&written)?);
        return Ok(());
    }
    let or_unknown = |v: &Option<String>| v.clone().unwrap_or_else(|| "unknown".to_owned());
    println!("wrote {}", written.file);
    println!(
        "laptop: {} {}, serial {}",
        or_unknown(&written.make),
        or_unknown(&written.model),
        or_unknown(&written.serial)
    );
    let figure =
        |v: Option<u32>, unit: &str| v.map_or("unknown".to_owned(), |v| format!("{v} {unit}"));
    match &written.battery {
        None => println!("battery: none"),
        Some(name) if written.design_mwh.is_some() || written.full_mwh.is_some() => println!(
            "battery {name}: design {}, full {}, cycles {}",
            figure(written.design_mwh, "mWh"),
            figure(written.full_mwh, "mWh"),
            figure(written.cycles, "")
        ),
        Some(name) => println!(
            "battery {name}: design {}, full {}, cycles {}",
            figure(written.design_mah, "mAh"),
            figure(written.full_mah, "mAh"),
            figure(written.cycles, "")
        ),
    }
    println!(
        "drives: {} (fixed storage {})",
        written.drives,
        figure(written.storage_gb, "GB")
    );
    if written.unreadable > 0 {
        println!(
            "{} file(s) could not be read; their values are unknown",
            written.unreadable
        );
    }
    Ok(())
}
