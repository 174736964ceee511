//! `refurbdesk`: the workstation on the command line. Every subcommand shares the global options
//! (`--db`, `--operator`, `--json`), prints machine-readable JSON on stdout with `--json` and messages on
//! stderr, and ends with a code from the table in `exit.rs` / docs/cli.md.

mod commands;
mod exit;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use refurbdesk_app::DataPaths;

use crate::exit::{Exit, Failure};

#[derive(Debug, Parser)]
#[command(
    name = "refurbdesk",
    version = refurbdesk_app::VERSION,
    about = "Refurbdesk: intake, grading, erasure and certificates for refurbished devices",
    propagate_version = true,
    arg_required_else_help = true
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

/// Options every subcommand accepts, anywhere on the line.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// The station's SQLite database [default: the data directory's refurbdesk.sqlite]
    #[arg(long, global = true, env = "REFURBDESK_DB", value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// The operator the command acts as
    #[arg(long, global = true, env = "REFURBDESK_OPERATOR", value_name = "NAME")]
    pub operator: Option<String>,
    /// Print one JSON document on stdout; messages go to stderr
    #[arg(long, global = true)]
    pub json: bool,
    /// The site database (PostgreSQL) for `site` commands and site-level reads, as
    /// postgres://USER@HOST/DATABASE; its password is never shown
    #[arg(
        long,
        global = true,
        env = "REFURBDESK_SITE",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub site: Option<String>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read one device from a bench slot (identity, battery, locks, tests) and record it
    Intake(commands::intake::IntakeArgs),
    /// Run the headless station: follow benches, intake every device placed, record each reading
    Station(commands::station::StationArgs),
    /// Simulators for development and tests
    #[cfg(feature = "simulate")]
    #[command(subcommand)]
    Sim(commands::sim::SimCommand),
    /// Register, list, disable and enable the operators who work at this station
    #[command(subcommand)]
    Operator(commands::operator::OperatorCommand),
    /// Confirm a device's unknown account/MDM lock verdict as clear or blocked
    #[command(subcommand)]
    Lock(commands::lock::LockCommand),
    /// Verify the audit log's hash chain
    #[command(subcommand)]
    Audit(commands::audit::AuditCommand),
    /// Verification sampling: draw verified erasures for an independent re-check, list the
    /// queue, record each re-check
    #[command(subcommand)]
    Qa(commands::qa::QaCommand),
    /// Back up, restore and check the station's database
    #[command(subcommand)]
    Db(commands::db::DbCommand),
    /// List devices as their latest intake left them, newest first, with filters
    Devices(commands::devices::DevicesArgs),
    /// Overwrite and verify a drive or image file, and record the erasure
    Erase(commands::erase::EraseArgs),
    /// Grade a device's latest intake from its checklist and cosmetic zones, and record it
    Grade(commands::grade::GradeArgs),
    /// Check a grading policy file, or print the shipped one
    #[command(subcommand)]
    Policy(commands::policy::PolicyCommand),
    /// Issue, verify, void and export signed certificates and device reports
    #[command(subcommand)]
    Cert(Box<commands::cert::CertCommand>),
    /// Print a device's stock label (PDF, ZPL file or label printer) with its barcodes and QR code
    Label(commands::label::LabelArgs),
    /// The organisation's name, address and printing options used on every document
    #[command(subcommand)]
    Settings(commands::settings::SettingsCommand),
    /// Show where this workstation keeps its database, logs and signing keys
    Paths,
    /// Add and list photos of a device's cosmetic zones
    #[command(subcommand)]
    Photo(commands::photo::PhotoCommand),
    /// Trade-in customers: add, list, forget
    #[command(subcommand)]
    Customer(commands::customer::CustomerCommand),
    /// Trade-in batches: import a manifest, receive by scan, status, list, re-quote
    #[command(subcommand)]
    Batch(commands::batch::BatchCommand),
    /// The marketplace connection: its URL, who we are to it, the token
    #[command(subcommand)]
    Marketplace(commands::marketplace::MarketplaceCommand),
    /// Ship a sellable, erased device for a marketplace order line (its IMEI goes to the line)
    Ship(commands::ship::ShipArgs),
    /// Send the outbox to the marketplace (--once: what is due, then exit); status, retry, cancel
    Sync(commands::marketplace::SyncArgs),
    /// The site database (PostgreSQL) every station replicates into: init, push, status
    #[command(subcommand)]
    Site(commands::site::SiteCommand),
    /// Devices on the USB ports: phones to read over ADB, Apple devices, benches
    #[command(subcommand)]
    Usb(commands::usb::UsbCommand),
    /// On a laptop under test: read its battery, identity and drives into an intake file
    Agent(commands::agent::AgentArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let paths = match DataPaths::resolve(cli.global.db.as_deref()) {
        Ok(paths) => paths,
        Err(error) => return report(refurbdesk_app::Error::from(error).into()),
    };
    // Without a log directory the command still runs; logging degrades to stderr only. The
    // database's folder is made only by a command that creates the database.
    let _ = std::fs::create_dir_all(&paths.log_dir);
    let _log = refurbdesk_app::logging::init(&paths.log_dir, "refurbdesk-cli", "warn");
    tracing::debug!(?cli, "starting");

    match run(&cli, &paths) {
        Ok(()) => ExitCode::from(Exit::Ok.code()),
        Err(failure) => report(failure),
    }
}

fn run(cli: &Cli, paths: &DataPaths) -> Result<(), Failure> {
    match &cli.command {
        Command::Intake(args) => commands::intake::run(args, &cli.global, paths),
        Command::Station(args) => commands::station::run(args, &cli.global, paths),
        #[cfg(feature = "simulate")]
        Command::Sim(command) => commands::sim::run(command, cli.global.json),
        Command::Operator(command) => commands::operator::run(command, &cli.global, paths),
        Command::Lock(command) => commands::lock::run(command, &cli.global, paths),
        Command::Audit(command) => commands::audit::run(command, &cli.global, paths),
        Command::Qa(command) => commands::qa::run(command, &cli.global, paths),
        Command::Db(command) => commands::db::run(command, &cli.global, paths),
        Command::Devices(args) => commands::devices::run(args, &cli.global, paths),
        Command::Erase(args) => commands::erase::run(args, &cli.global, paths),
        Command::Grade(args) => commands::grade::run(args, &cli.global, paths),
        Command::Policy(command) => commands::policy::run(command, cli.global.json),
        Command::Cert(command) => commands::cert::run(command, &cli.global, paths),
        Command::Label(args) => commands::label::run(args, &cli.global, paths),
        Command::Photo(command) => commands::photo::run(command, &cli.global, paths),
        Command::Customer(command) => commands::customer::run(command, &cli.global, paths),
        Command::Batch(command) => commands::batch::run(command, &cli.global, paths),
        Command::Marketplace(command) => {
            commands::marketplace::run_marketplace(command, &cli.global, paths)
        }
        Command::Ship(args) => commands::ship::run(args, &cli.global, paths),
        Command::Sync(args) => commands::marketplace::run_sync(args, &cli.global, paths),
        Command::Site(command) => commands::site::run(command, &cli.global, paths),
        Command::Usb(command) => commands::usb::run(command, cli.global.json),
        Command::Agent(args) => commands::agent::run(args, cli.global.json),
        Command::Settings(command) => commands::settings::run(command, &cli.global, paths),
        Command::Paths => {
            if cli.global.json {
                println!("{}", serde_json::to_string_pretty(paths)?);
            } else {
                println!("data directory: {}", paths.data_dir.display());
                println!("database:       {}", paths.database.display());
                println!("logs:           {}", paths.log_dir.display());
                println!("signing keys:   {}", paths.keys_dir.display());
            }
            Ok(())
        }
    }
}

fn report(failure: Failure) -> ExitCode {
    // The message goes to stderr once, below; the log file keeps it for support at info level.
    tracing::info!(error = %failure.error, code = failure.exit.code(), "command failed");
    eprintln!("refurbdesk: {:#}", failure.error);
    ExitCode::from(failure.exit.code())
}
