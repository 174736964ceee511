//! `refurbdesk agent`: run on a laptop under test, reads its battery, DMI identity and drives
//! from sysfs and writes the intake file the workstation records with `intake --import`, or
//! serves the laptop as a one-slot bench on a serial port (`--serve-serial`).

use std::path::PathBuf;

use clap::Args;
use refurbdesk_app::agent::{self, AgentParams, ServeEvent, ServeParams};
use refurbdesk_app::progress::Cancel;

use crate::exit::Failure;

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("to").required(true).args(["out", "serve_serial"])))]
pub struct AgentArgs {
    /// The sysfs tree to read
    #[arg(long, value_name = "DIR", default_value = agent::SYSFS)]
    sysfs_root: PathBuf,
    /// The intake file to write (JSON), to be recorded at the workstation with
    /// `refurbdesk intake --import FILE`
    #[arg(long, value_name = "FILE.json")]
    out: Option<PathBuf>,
    /// Serve the laptop as a one-slot Bench Protocol v1 bench on this serial port (a USB-serial
    /// cable to the workstation) until Ctrl-C, instead of writing a file
    #[arg(long, value_name = "PORT")]
    serve_serial: Option<PathBuf>,
    /// The bench serial given in the HELLO reply (with --serve-serial)
    #[arg(long, value_name = "S", requires = "serve_serial", default_value = agent::DEFAULT_BENCH_SERIAL)]
    bench_serial: String,
}

pub fn run(args: &AgentArgs, json: bool) -> Result<(), Failure> {
    let Some(out) = &args.out else {
        return serve(args, json);
    };
    let written = agent::write_intake_file(&AgentParams {
        sysfs_root: args.sysfs_root.clone(),
        out: out.clone(),
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

/// `--serve-serial`: one line on stderr per event (`--json`: one JSON object per line on
/// stdout), then what was done once Ctrl-C or SIGTERM stops it.
fn serve(args: &AgentArgs, json: bool) -> Result<(), Failure> {
    let Some(port) = &args.serve_serial else {
        return Ok(());
    };
    let cancel = Cancel::new();
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, cancel.flag())?;
    }
    let params = ServeParams {
        port: port.clone(),
        sysfs_root: args.sysfs_root.clone(),
        bench_serial: args.bench_serial.clone(),
    };
    let stopped = agent::serve_serial(&params, &cancel, |event| {
        if json {
            if let Ok(line) = serde_json::to_string(event) {
                println!("{line}");
                use std::io::Write;
                let _ = std::io::stdout().flush();
            }
            return;
        }
        let or_unknown = |v: &Option<String>| v.clone().unwrap_or_else(|| "unknown".to_owned());
        match event {
            ServeEvent::Serving {
                port,
                bench_serial,
                make,
                model,
                unreadable,
                ..
            } => eprintln!(
                "serving {} {} as bench {bench_serial}, slot 1, on {port} ({unreadable} file(s) \
                 unreadable; Ctrl-C stops)",
                or_unknown(make),
                or_unknown(model)
            ),
            ServeEvent::Hello { unreadable, .. } => {
                eprintln!(
                    "a workstation said HELLO: sysfs read again ({unreadable} file(s) unreadable)"
                )
            }
            ServeEvent::PortLost { error } => {
                eprintln!("the port went away ({error}); waiting for it to come back")
            }
            ServeEvent::PortBack => eprintln!("the port is back"),
        }
    })?;
    if json {
        println!("{}", serde_json::to_string(&stopped)?);
    } else {
        eprintln!(
            "stopped: {} lines answered, {} HELLO(s), port lost {} time(s)",
            stopped.answered, stopped.hellos, stopped.port_lost
        );
    }
    Ok(())
}
