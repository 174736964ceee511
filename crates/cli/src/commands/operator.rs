//! `refurbdesk operator`: who may work at this station, and in which role.
//!
//! Changes act as `--operator` (or `REFURBDESK_OPERATOR`, else the OS user),
//! who must be an admin; while no operator exists at all, the OS user acts
//! as admin so that the first one can be added. The store enforces the
//! roles; this module only maps its refusals onto exit codes.

use anyhow::anyhow;
use clap::{Args, Subcommand};
use refurbdesk_app::DataPaths;
use refurbdesk_store::{Operator, Role, StoreError};

use super::{open_existing, open_workstation, store_failure};
use crate::exit::{Exit, Failure};
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
            let store = open_existing(paths)?;
            let operators = store.list_operators().map_err(store_failure)?;
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
            let (mut store, actor) = open_workstation(global, paths)?;
            if actor.bootstrap {
                eprintln!(
                    "no operators are registered yet, so {} acts as admin to add the first one; \
                     afterwards pass --operator NAME (or set REFURBDESK_OPERATOR) to act as a \
                     registered operator",
                    actor.name
                );
            }
            let operator = store
                .add_operator(&args.name, args.role, &actor)
                .map_err(|error| operator_failure(error, &args.name))?;
            done(global, &operator, "added")
        }
        OperatorCommand::Disable(args) | OperatorCommand::Enable(args) => {
            let disable = matches!(command, OperatorCommand::Disable(_));
            let (mut store, actor) = open_workstation(global, paths)?;
            let changed = if disable {
                store.disable_operator(&args.name, &actor)
            } else {
                store.enable_operator(&args.name, &actor)
            }
            .map_err(|error| operator_failure(error, &args.name))?;
            done(
                global,
                &changed,
                if disable { "disabled" } else { "enabled" },
            )
        }
    }
}

fn done(global: &GlobalArgs, operator: &Operator, what: &str) -> Result<(), Failure> {
    if global.json {
        println!("{}", serde_json::to_string(operator)?);
    } else {
        println!("{what} operator {} ({})", operator.name, operator.role);
    }
    Ok(())
}

/// Refusals about the operator being changed are refusals (7), an unknown
/// target is "not found" (4), a name that cannot be used is a usage error
/// (2); the rest is as for every command.
fn operator_failure(error: StoreError, target: &str) -> Failure {
    let exit = match &error {
        StoreError::UnknownOperator { name } if name.eq_ignore_ascii_case(target) => Exit::NotFound,
        StoreError::OperatorExists { .. }
        | StoreError::LastAdmin { .. }
        | StoreError::FirstOperatorMustBeAdmin { .. } => Exit::Refused,
        StoreError::InvalidOperatorName { .. } => Exit::Usage,
        _ => return store_failure(error),
    };
    Failure::new(exit, anyhow!(error))
}

fn print_table(operators: &[Operator]) {
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
