//! `refurbdesk operator`: who may work at this station, and in which role.
//!
//! Changes act as `--operator` (or `REFURBDESK_OPERATOR`, else the OS user),
//! who must be an admin; while no operator exists at all, the OS user acts
//! as admin so that the first one can be added.

use clap::{Args, Subcommand};
use refurbdesk_app::operators::{self, AddOperatorParams, OperatorInfo, OperatorNameParams, Role};
use refurbdesk_app::session::{self, SetPinParams};
use refurbdesk_app::{DataPaths, Workstation};

use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum OperatorCommand {
    /// Register an operator (needs an admin; the very first operator must be an admin)
    Add(AddArgs),
    /// List every operator, enabled or disabled
    List,
    /// Stop an operator from acting; their records stay as they are
    Disable(NameArgs),
    /// Let a disabled operator act again
    Enable(NameArgs),
    /// Set or change an operator's PIN (your own, or anyone's as an admin): asked twice on the
    /// terminal, or read as two lines from standard input
    Pin(NameArgs),
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// The operator's name, as every record they make will show it
    name: String,
    /// technician, auditor, quality_manager or admin
    #[arg(long, value_name = "ROLE")]
    role: Role,
}

#[derive(Debug, Args)]
pub struct NameArgs {
    /// The operator's name (case does not matter)
    name: String,
}

pub fn run(
    command: &OperatorCommand,
    global: &GlobalArgs,
    paths: &DataPaths,
) -> Result<(), Failure> {
    match command {
        OperatorCommand::List => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let operators = operators::list(&ws)?;
            if global.json {
                println!("{}", serde_json::to_string(&operators)?);
            } else if operators.is_empty() {
                println!(
                    "no operators yet: until one is added, whoever runs refurbdesk acts as admin"
                );
            } else {
                print_table(&operators);
            }
            Ok(())
        }
        OperatorCommand::Add(args) => {
            let params = AddOperatorParams {
                name: args.name.clone(),
                role: args.role,
            };
            // A refused operator creates no database.
            operators::check_before_opening(paths, &params)?;
            let mut ws = super::acting_creating(paths, global)?;
            let added = operators::add(&mut ws, params)?;
            if let Some(os_user) = &added.bootstrap_admin {
                eprintln!(
                    "no operators are registered yet, so {os_user} acts as admin to add the first \
                     one; afterwards pass --operator NAME (or set REFURBDESK_OPERATOR) to act as \
                     a registered operator"
                );
            }
            done(global, &added.operator, "added")
        }
        OperatorCommand::Disable(args) => {
            let mut ws = super::acting(paths, global)?;
            let params = OperatorNameParams {
                name: args.name.clone(),
            };
            done(global, &operators::disable(&mut ws, params)?, "disabled")
        }
        OperatorCommand::Enable(args) => {
            let mut ws = super::acting(paths, global)?;
            let params = OperatorNameParams {
                name: args.name.clone(),
            };
            done(global, &operators::enable(&mut ws, params)?, "enabled")
        }
        OperatorCommand::Pin(args) => {
            // Who sets it gives their own PIN first (if they have one), then the new one twice.
            let mut ws = super::acting(paths, global)?;
            let (pin, repeat) = super::read_new_pin(&args.name)?;
            let set = session::set_pin(
                &mut ws,
                SetPinParams {
                    name: args.name.clone(),
                    pin,
                    repeat,
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&set)?);
            } else {
                println!(
                    "{} the PIN of {} ({})",
                    if set.changed { "changed" } else { "set" },
                    set.operator.name,
                    set.operator.role
                );
            }
            Ok(())
        }
    }
}

fn done(global: &GlobalArgs, operator: &OperatorInfo, what: &str) -> Result<(), Failure> {
    if global.json {
        println!("{}", serde_json::to_string(operator)?);
    } else {
        println!("{what} operator {} ({})", operator.name, operator.role);
    }
    Ok(())
}

fn print_table(operators: &[OperatorInfo]) {
    let width = operators
        .iter()
        .map(|operator| operator.name.chars().count())
        .max()
        .unwrap_or(0)
        .max("NAME".len());
    println!("{:<width$}  {:<15}  {:<8}  ADDED", "NAME", "ROLE", "STATUS");
    for operator in operators {
        println!(
            "{:<width$}  {:<15}  {:<8}  {}",
            operator.name,
            operator.role.as_str(),
            if operator.disabled {
                "disabled"
            } else {
                "enabled"
            },
            operator.created_at.format("%Y-%m-%d %H:%M UTC")
        );
    }
}
