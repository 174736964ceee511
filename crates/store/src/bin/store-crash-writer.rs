//! Writes to a station database in a loop until killed (or for a number of
//! steps): single intakes, batches of intakes, and operators added, disabled
//! and enabled again. After each commit it prints one line on stdout, so the
//! crash-safety test that kills it with SIGKILL knows which writes were
//! acknowledged:
//!
//! ```text
//! intake <id> tests=<n> evidence=<m>
//! operator <name> added|disabled|enabled
//! ```
//!
//! Usage: `store-crash-writer DB SEED TAG [STEPS]`. TAG names this writer's
//! own operators, so two writers on one file never disable each other's.

#[path = "../../support/synthetic.rs"]
mod synthetic;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;
use refurbdesk_store::{NewIntake, Role, Store, StoreError};
use synthetic::{Rng, Shape};

/// The admin every writer acts as when it manages operators.
const ADMIN: &str = "crash-admin";
/// Devices are drawn from this many, so re-tests and recognition happen.
const DEVICE_POOL: u64 = 400;

struct Args {
    db: PathBuf,
    seed: u64,
    tag: String,
    steps: Option<u64>,
}

fn parse_args() -> Result<Args, String> {
    let usage = "usage: store-crash-writer DB SEED TAG [STEPS]";
    let mut args = std::env::args_os().skip(1);
    let db = args.next().map(PathBuf::from).ok_or(usage)?;
    let number = |value: Option<std::ffi::OsString>, what: &str| -> Result<Option<u64>, String> {
        value
            .map(|text| {
                text.to_str()
                    .and_then(|text| text.parse().ok())
                    .ok_or(format!("{what} {text:?} is not a whole number; {usage}"))
            })
            .transpose()
    };
    let seed = number(args.next(), "SEED")?.ok_or(usage)?;
    let tag = args
        .next()
        .and_then(|tag| tag.into_string().ok())
        .ok_or(usage)?;
    let steps = number(args.next(), "STEPS")?;
    Ok(Args {
        db,
        seed,
        tag,
        steps,
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("store-crash-writer: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &Args) -> Result<(), StoreError> {
    let mut store = Store::open(&args.db)?;
    ensure_admin(&mut store)?;
    let admin = store.resolve_actor(Some(ADMIN), ADMIN)?;
    // Technicians left by an earlier (killed) run of this writer are reused.
    let mut technicians: Vec<(String, bool)> = store
        .list_operators()?
        .into_iter()
        .filter(|operator| operator.name.starts_with(&technician_prefix(&args.tag)))
        .map(|operator| (operator.name, !operator.disabled))
        .collect();
    let mut rng = Rng::new(args.seed);
    let mut out = std::io::stdout().lock();

    let mut step = 0_u64;
    while args.steps.is_none_or(|steps| step < steps) {
        step += 1;
        match rng.below(10) {
            0 => {
                let (name, change) = if technicians.is_empty() || rng.chance(50) {
                    let name = format!("{}{:08x}", technician_prefix(&args.tag), rng.next_u64());
                    store.add_operator(&name, Role::Technician, &admin)?;
                    technicians.push((name.clone(), true));
                    (name, "added")
                } else {
                    let index = rng.below(technicians.len() as u64) as usize;
                    let (name, enabled) = &mut technicians[index];
                    if *enabled {
                        store.disable_operator(name, &admin)?;
                    } else {
                        store.enable_operator(name, &admin)?;
                    }
                    *enabled = !*enabled;
                    (name.clone(), if *enabled { "enabled" } else { "disabled" })
                };
                writeln!(out, "operator {name} {change}").map_err(stdout_gone)?;
            }
            1 | 2 => {
                let count = 2 + rng.below(7);
                let batch: Vec<NewIntake> = (0..count)
                    .map(|_| next_intake(&mut rng, &technicians))
                    .collect();
                let summaries = store.record_intakes(&batch)?;
                for (summary, intake) in summaries.iter().zip(&batch) {
                    acknowledge(&mut out, summary.intake_id, intake)?;
                }
            }
            _ => {
                let intake = next_intake(&mut rng, &technicians);
                let summary = store.record_intake(&intake)?;
                acknowledge(&mut out, summary.intake_id, &intake)?;
            }
        }
        out.flush().map_err(stdout_gone)?;
    }
    Ok(())
}

fn technician_prefix(tag: &str) -> String {
    format!("tech-{tag}-")
}

/// Makes sure the shared admin exists. Two writers starting on a new file
/// may both try; the second finds it already there, which is as good.
fn ensure_admin(store: &mut Store) -> Result<(), StoreError> {
    if store.list_operators()?.iter().any(|op| op.name == ADMIN) {
        return Ok(());
    }
    let acting = store.resolve_actor(Some(ADMIN), ADMIN)?;
    match store.add_operator(ADMIN, Role::Admin, &acting) {
        Ok(_) | Err(StoreError::OperatorExists { .. }) => Ok(()),
        Err(error) => Err(error),
    }
}

fn next_intake(rng: &mut Rng, technicians: &[(String, bool)]) -> NewIntake {
    let enabled: Vec<&str> = technicians
        .iter()
        .filter(|(_, enabled)| *enabled)
        .map(|(name, _)| name.as_str())
        .collect();
    let operator = if enabled.is_empty() || rng.chance(30) {
        ADMIN
    } else {
        enabled[rng.below(enabled.len() as u64) as usize]
    };
    let device = rng.below(DEVICE_POOL);
    let bench = rng.below(3) as u32;
    let shape = Shape::random(rng, 8, 24);
    synthetic::intake(rng, device, bench, operator, Utc::now(), shape)
}

fn acknowledge(out: &mut impl Write, id: uuid::Uuid, intake: &NewIntake) -> Result<(), StoreError> {
    writeln!(
        out,
        "intake {id} tests={} evidence={}",
        intake.tests.len(),
        intake.evidence.len()
    )
    .map_err(stdout_gone)
}

fn stdout_gone(source: std::io::Error) -> StoreError {
    StoreError::Io {
        action: "could not report progress on",
        path: PathBuf::from("stdout"),
        source,
    }
}
