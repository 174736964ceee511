//! `refurbdesk site`: the site database (PostgreSQL) this station replicates into: create its
//! schema, push the station's records, and see how far behind the station is.

use std::time::Duration;

use clap::{Args, Subcommand};
use refurbdesk_app::site::{
    self, SiteAudit, SiteCheck, SiteCheckVerdict, SiteParams, SitePushParams,
};
use refurbdesk_app::{Cancel, DataPaths, Progress, Workstation};

use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum SiteCommand {
    /// Create the site database's schema, or upgrade it (refused when it is newer than this
    /// Refurbdesk's)
    Init,
    /// Send this station's records the site does not hold yet, in order; with --once, catch up
    /// and exit, otherwise keep pushing every --every seconds until Ctrl-C
    Push(PushArgs),
    /// How far this station is behind the site, per table, with the last push and last error
    Status,
    /// Create the PostgreSQL role of station NAME (a site admin's act) and print its connection
    /// settings, password included, this once
    AddStation(StationArgs),
    /// Disable station NAME's role: it can no longer log in or write; its rows stay
    RemoveStation(StationArgs),
    /// Attach this station to the site and take what the site owns: operators and roles,
    /// organisation-wide settings, every station's published signing keys
    Pull,
    /// Set an organisation-wide setting on the site (a site admin's act); stations take it
    /// at their next pull
    Set(SetArgs),
    /// Add an operator to the site, or change its role (a site admin's act); stations take it
    /// at their next pull
    Operator(OperatorArgs),
    /// One device across every station of the site, by IMEI or serial, with every intake
    Device(DeviceArgs),
    /// Serve the page a certificate's QR code opens (`/v/ID?d=DIGEST`): the document's state on
    /// the site, its signed fields in English or French, and an in-browser check of the PDF
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// HOST:PORT to listen on (port 0 picks a free one; the address is printed when ready)
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    listen: String,
    /// The folder holding refurbdesk-verifier.wasm and verifier.mjs (scripts/build-verifier)
    #[arg(long, value_name = "DIR")]
    verifier: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// The setting, e.g. organisation.name
    key: String,
    value: String,
}

#[derive(Debug, Args)]
pub struct OperatorArgs {
    name: String,
    /// technician, auditor, quality_manager or admin
    role: refurbdesk_app::operators::Role,
    /// The operator may no longer act, at any station
    #[arg(long)]
    disabled: bool,
}

#[derive(Debug, Args)]
pub struct DeviceArgs {
    /// The device's IMEI or serial number
    imei_or_serial: String,
}

#[derive(Debug, Args)]
pub struct StationArgs {
    /// The station's name: letters, digits, - or _
    name: String,
}

#[derive(Debug, Args)]
pub struct PushArgs {
    /// Catch up once and exit
    #[arg(long)]
    once: bool,
    /// Seconds between pushes when not --once
    #[arg(long, value_name = "SECONDS", default_value_t = 5)]
    every: u64,
    /// Audit entries per transaction on the site
    #[arg(long, value_name = "N")]
    batch: Option<u32>,
}

pub fn run(command: &SiteCommand, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let site = SiteParams {
        url: global.site.clone(),
    };
    match command {
        SiteCommand::Init => {
            let done = site::init(&site)?;
            if global.json {
                println!("{}", serde_json::to_string(&done)?);
            } else if done.from_version == done.to_version {
                println!(
                    "site database {} is at schema version {}",
                    done.site, done.to_version
                );
            } else {
                println!(
                    "site database {}: schema version {} → {}",
                    done.site, done.from_version, done.to_version
                );
            }
            Ok(())
        }
        SiteCommand::Push(args) => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let params = SitePushParams {
                site,
                batch: args.batch,
            };
            let cancel = Cancel::new();
            super::erase::watch_ctrl_c(&cancel)?;
            let progress = Progress::new(|_| {}, cancel.clone());
            if args.once {
                let done = site::push(&ws, &params, &progress)?;
                if global.json {
                    println!("{}", serde_json::to_string(&done)?);
                } else {
                    println!(
                        "pushed {} audit entries and {} records to {} in {} batches \
                         (the site now holds entries 1..{} of station {})",
                        done.entries,
                        done.records,
                        done.site,
                        done.batches,
                        done.to_mark,
                        done.station_id
                    );
                }
                return Ok(());
            }
            let json = global.json;
            site::push_continuously(
                &ws,
                &params,
                Duration::from_secs(args.every),
                &progress,
                &mut |outcome| match outcome {
                    Ok(done) if json => {
                        if let Ok(line) = serde_json::to_string(done) {
                            println!("{line}");
                        }
                    }
                    Ok(done) => {
                        if done.entries > 0 {
                            println!(
                                "pushed {} audit entries and {} records (site holds 1..{})",
                                done.entries, done.records, done.to_mark
                            );
                        }
                    }
                    // The station carries on; the next turn tries again.
                    Err(error) => eprintln!("refurbdesk: {error} (trying again)"),
                },
            )?;
            Ok(())
        }
        SiteCommand::AddStation(args) => {
            let added = site::add_station(&site, &args.name)?;
            if global.json {
                println!("{}", serde_json::to_string(&added)?);
            } else {
                println!(
                    "station {} logs in to {} as PostgreSQL role {} with password {}",
                    added.station_name, added.site, added.role, added.password
                );
                println!(
                    "on that station: REFURBDESK_SITE=postgres://{}:{}@HOST/DATABASE \
                     (the password is not shown again)",
                    added.role, added.password
                );
            }
            Ok(())
        }
        SiteCommand::RemoveStation(args) => {
            let removed = site::remove_station(&site, &args.name)?;
            if global.json {
                println!("{}", serde_json::to_string(&removed)?);
            } else {
                println!(
                    "station {}'s role {} is disabled on {}; its rows stay",
                    removed.station_name, removed.role, removed.site
                );
            }
            Ok(())
        }
        SiteCommand::Pull => {
            let mut ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let pulled = site::pull(&mut ws, &site)?;
            if global.json {
                println!("{}", serde_json::to_string(&pulled)?);
            } else {
                println!(
                    "attached to {}: {} settings, {} operators and {} signing keys owned by the \
                     site; {} settings and {} operators changed here, {} keys added",
                    pulled.site,
                    pulled.settings,
                    pulled.operators,
                    pulled.keys,
                    pulled.settings_changed,
                    pulled.operators_changed,
                    pulled.keys_added
                );
            }
            Ok(())
        }
        SiteCommand::Set(args) => {
            let set = site::set_site_setting(&site, &args.key, &args.value)?;
            if global.json {
                println!("{}", serde_json::to_string(&set)?);
            } else {
                println!(
                    "{} = {} on {}; stations take it at their next pull",
                    set.key, set.value, set.site
                );
            }
            Ok(())
        }
        SiteCommand::Operator(args) => {
            let set = site::set_site_operator(&site, &args.name, args.role, args.disabled)?;
            if global.json {
                println!("{}", serde_json::to_string(&set)?);
            } else {
                println!(
                    "operator {} is {}{} on {}; stations take it at their next pull",
                    set.name,
                    set.role.as_str(),
                    if set.disabled { " (disabled)" } else { "" },
                    set.site
                );
            }
            Ok(())
        }
        SiteCommand::Device(args) => {
            let devices = site::find_devices(&site, &args.imei_or_serial)?;
            if global.json {
                println!("{}", serde_json::to_string(&devices)?);
                return Ok(());
            }
            if devices.is_empty() {
                println!("no device of the site has this IMEI or serial");
            }
            for device in &devices {
                println!(
                    "{} {} {} ({}), seen at {} station(s)",
                    device.device_key,
                    device.make,
                    device.model,
                    device.category,
                    device.rows.len()
                );
                for intake in &device.intakes {
                    println!(
                        "  intake {} at station {}, {} by {}",
                        intake.intake_id,
                        intake.station_id,
                        intake.started_at.as_deref().unwrap_or("?"),
                        intake.operator.as_deref().unwrap_or("?")
                    );
                }
            }
            Ok(())
        }
        SiteCommand::Serve(args) => {
            let params = refurbdesk_app::site_page::ServeParams {
                listen: args.listen.clone(),
                verifier: args.verifier.clone(),
            };
            let json = global.json;
            refurbdesk_app::site_page::serve(&site, &params, |address| {
                if json {
                    println!(
                        "{}",
                        serde_json::json!({ "listening": address.to_string() })
                    );
                } else {
                    println!("verification page on http://{address}/v/ID?d=DIGEST (Ctrl-C stops)");
                }
                // Whoever started the server (a test, a service manager) reads the address now.
                use std::io::Write as _;
                let _ = std::io::stdout().flush();
            })?;
            Ok(())
        }
        SiteCommand::Status => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let status = site::status(&ws, &site)?;
            if global.json {
                println!("{}", serde_json::to_string(&status)?);
                return Ok(());
            }
            println!("site:     {}", status.site);
            println!("station:  {}", status.station_id);
            match &status.unreachable_because {
                None => println!("reachable: yes"),
                Some(why) => println!("reachable: no ({why}); figures as last known here"),
            }
            println!(
                "entries:  {} on the station, {} on the site, {} behind",
                status.head, status.mark, status.behind
            );
            println!(
                "last push: {}",
                status.last_push_at.as_deref().unwrap_or("never")
            );
            if let Some(error) = &status.last_error {
                println!(
                    "last error: {error} ({})",
                    status.last_error_at.as_deref().unwrap_or("?")
                );
            }
            println!("{:<26} {:>10} {:>8}", "table", "entries", "behind");
            for table in &status.tables {
                println!(
                    "{:<26} {:>10} {:>8}",
                    table.entity, table.on_station, table.behind
                );
            }
            Ok(())
        }
    }
}

/// `refurbdesk --site URL db check`: the site-wide check, printed like the station's.
pub fn db_check(global: &GlobalArgs) -> Result<(), Failure> {
    let checked = site::check(&SiteParams {
        url: global.site.clone(),
    })?;
    if global.json {
        println!("{}", serde_json::to_string(&CheckOutput::of(&checked))?);
    } else {
        print_check(&checked);
    }
    checked.into_verdict()?;
    Ok(())
}

/// `refurbdesk --site URL audit verify`: every station's chain on the site, printed like the
/// station's own `audit verify`.
pub fn audit_verify(global: &GlobalArgs) -> Result<(), Failure> {
    let audit = site::verify_audit(&SiteParams {
        url: global.site.clone(),
    })?;
    if global.json {
        println!("{}", serde_json::to_string(&AuditOutput::of(&audit))?);
    } else {
        println!("site: {}", audit.site);
        if audit.stations.is_empty() {
            println!("no station has pushed to this site yet");
        }
        for chain in &audit.stations {
            println!("station {}: {}", chain.station_id, chain.report);
        }
    }
    match site::audit_failure(&audit) {
        Some(error) => Err(error.into()),
        None => Ok(()),
    }
}

#[derive(serde::Serialize)]
struct AuditOutput<'a> {
    ok: bool,
    #[serde(flatten)]
    audit: &'a SiteAudit,
}

impl<'a> AuditOutput<'a> {
    fn of(audit: &'a SiteAudit) -> Self {
        AuditOutput {
            ok: audit.ok(),
            audit,
        }
    }
}

#[derive(serde::Serialize)]
struct CheckOutput<'a> {
    ok: bool,
    #[serde(flatten)]
    check: &'a SiteCheck,
}

impl<'a> CheckOutput<'a> {
    fn of(check: &'a SiteCheck) -> Self {
        CheckOutput {
            ok: check.ok(),
            check,
        }
    }
}

fn print_check(check: &SiteCheck) {
    println!("site: {}", check.site);
    for chain in &check.stations {
        match &chain.problem {
            None => println!(
                "station {}: audit chain intact, {} entries verified",
                chain.station_id, chain.entries_verified
            ),
            Some(problem) => println!(
                "audit chain broken after {} good entries: {problem}",
                chain.entries_verified
            ),
        }
    }
    if check.mismatches.is_empty() {
        println!(
            "records: all {} match their stations' audit logs",
            check.records_checked
        );
    } else {
        println!(
            "records: {} of {} differ from their stations' audit logs",
            check.mismatches.len(),
            check.records_checked
        );
        for mismatch in &check.mismatches {
            println!("  - {mismatch}");
        }
    }
}
