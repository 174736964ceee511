//! `refurbdesk policy`: check a grading policy file, or print the shipped
//! one to start a policy of your own from.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use refurbdesk_grading::{check_policy, Checklists, Policy, PolicyCheck, DEFAULT_POLICY_TOML};
use serde::Serialize;

use crate::exit::{Exit, Failure};

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Check a policy: unknown keys, bad values, rules that never fire or contradict, by line
    Check {
        /// The policy file (TOML)
        file: PathBuf,
    },
    /// Print the shipped default policy (backmarket-default), to copy and edit
    Default,
}

#[derive(Serialize)]
struct CheckReport<'a> {
    file: String,
    valid: bool,
    #[serde(flatten)]
    check: &'a PolicyCheck,
}

pub fn run(command: &PolicyCommand, json: bool) -> Result<(), Failure> {
    match command {
        PolicyCommand::Default => {
            print!("{DEFAULT_POLICY_TOML}");
            Ok(())
        }
        PolicyCommand::Check { file } => {
            let text = read(file)?;
            let check = check_policy(&text, Checklists::embedded());
            let name = file.display().to_string();
            if json {
                let report = CheckReport {
                    file: name.clone(),
                    valid: check.is_valid(),
                    check: &check,
                };
                println!("{}", serde_json::to_string(&report)?);
            } else if check.is_valid() {
                match &check.policy {
                    Some(id) => println!("{name}: valid ({id}, {} rules)", check.rules),
                    None => println!("{name}: valid"),
                }
            } else {
                for problem in &check.problems {
                    println!(
                        "{name}:{}:{}: {}",
                        problem.line, problem.column, problem.message
                    );
                }
            }
            if check.is_valid() {
                Ok(())
            } else {
                let count = check.problems.len();
                Err(Failure::new(
                    Exit::Data,
                    anyhow::anyhow!(
                        "{name} has {count} problem{}; fix {} and check again",
                        if count == 1 { "" } else { "s" },
                        if count == 1 { "it" } else { "them" }
                    ),
                ))
            }
        }
    }
}

fn read(file: &Path) -> Result<String, Failure> {
    std::fs::read_to_string(file).map_err(|error| {
        Failure::new(
            Exit::Data,
            anyhow::anyhow!(
                "cannot read the policy {}: {error}; check the path and that the file is readable text",
                file.display()
            ),
        )
    })
}

/// Loads a policy for grading; a policy with any problem is refused with
/// the whole list, each as FILE:LINE: message.
pub fn load_policy(file: &Path) -> Result<Policy, Failure> {
    let text = read(file)?;
    Policy::from_toml(&text).map_err(|error| {
        let name = file.display();
        let list: Vec<String> = error
            .problems
            .iter()
            .map(|problem| format!("  {name}:{}: {}", problem.line, problem.message))
            .collect();
        Failure::new(
            Exit::Data,
            anyhow::anyhow!(
                "the policy {name} cannot be used; `refurbdesk policy check {name}` found:\n{}",
                list.join("\n")
            ),
        )
    })
}
