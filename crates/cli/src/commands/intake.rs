//! `refurbdesk intake`: one slot of one bench, or one Android phone over ADB, read and recorded.

use std::path::PathBuf;

use clap::Args;
use refurbdesk_app::adb::{self, AdbIntakeParams};
use refurbdesk_app::agent::{self, ImportParams};
use refurbdesk_app::intake::{self, IntakeDone, IntakeParams};
use refurbdesk_app::ios::{self, IosIntakeParams};
use refurbdesk_app::DataPaths;
use refurbdesk_domain::Lang;

use super::lang_from_environment;
use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Args)]
pub struct IntakeArgs {
    /// The bench's serial port, e.g. /dev/ttyACM0
    #[arg(
        long,
        value_name = "PATH",
        required_unless_present_any = ["adb", "import", "ios"],
        requires = "slot"
    )]
    port: Option<PathBuf>,
    /// The slot holding the device (from 1)
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..), requires = "port")]
    slot: Option<u16>,
    /// Read an Android phone over ADB instead of a bench slot: its serial as `adb devices`
    /// lists it (USB debugging on, this computer accepted on the phone)
    #[arg(long, value_name = "SERIAL", conflicts_with_all = ["port", "slot"])]
    adb: Option<String>,
    /// The adb server as host:port [default: 127.0.0.1 on ANDROID_ADB_SERVER_PORT, else 5037]
    #[arg(
        long,
        value_name = "HOST:PORT",
        env = "REFURBDESK_ADB_SERVER",
        requires = "adb"
    )]
    adb_server: Option<String>,
    /// Read the phone directly, without the adb server, even when one runs: over USB (its
    /// serial, or usb:BUS-ADDRESS) or TCP (HOST:PORT, wireless debugging). Without this flag the
    /// phone is read directly only when no adb server answers on the default address
    #[arg(long, requires = "adb", conflicts_with = "adb_server")]
    adb_direct: bool,
    /// The workstation's ADB key for reading directly [default: where adb keeps its own,
    /// $ANDROID_USER_HOME/adbkey, else ~/.android/adbkey; made there on first use]
    #[arg(long, value_name = "FILE", requires = "adb")]
    adb_key: Option<PathBuf>,
    /// How long reading directly waits for the phone's owner to accept the USB debugging
    /// prompt, in seconds
    #[arg(long, value_name = "SECONDS", default_value_t = 30, requires = "adb",
          value_parser = clap::value_parser!(u64).range(1..=600))]
    adb_prompt_wait: u64,
    /// Record the intake file the laptop agent wrote (`refurbdesk agent --out FILE`)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["port", "slot", "adb"])]
    import: Option<PathBuf>,
    /// Read an iPhone or iPad instead of a bench slot, with libimobiledevice's tools: its UDID
    /// as `idevice_id -l` lists it (unlocked, this computer trusted)
    #[arg(long, value_name = "UDID", conflicts_with_all = ["port", "slot", "adb", "import"])]
    ios: Option<String>,
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
    let lang = args.lang.unwrap_or_else(lang_from_environment);
    let mut ws = super::acting_creating(paths, global)?;
    let done: IntakeDone = match (&args.adb, &args.port, args.slot) {
        _ if args.ios.is_some() => ios::run(
            &mut ws,
            IosIntakeParams {
                udid: args.ios.clone().unwrap_or_default(),
                channel: args.channel.clone(),
                lang,
            },
        )?,
        _ if args.import.is_some() => agent::import(
            &mut ws,
            ImportParams {
                file: args.import.clone().unwrap_or_default(),
                channel: args.channel.clone(),
                lang,
            },
        )?,
        (Some(serial), _, _) => adb::run(
            &mut ws,
            AdbIntakeParams {
                serial: serial.clone(),
                server: args.adb_server.clone(),
                channel: args.channel.clone(),
                timeout_ms: args.timeout_ms,
                direct: args.adb_direct,
                key: args.adb_key.as_ref().map(|p| p.display().to_string()),
                prompt_ms: args.adb_prompt_wait * 1000,
                lang,
            },
        )?,
        (None, Some(port), Some(slot)) => intake::run(
            &mut ws,
            IntakeParams {
                port: port.clone(),
                slot,
                channel: args.channel.clone(),
                timeout_ms: args.timeout_ms,
                lang,
            },
        )?,
        // clap requires --adb, or --port with --slot.
        _ => unreachable!("clap checks the intake's arguments"),
    };
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
