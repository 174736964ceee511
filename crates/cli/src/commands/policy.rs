//! `refurbdesk policy`: check a grading or trade-in revision policy file, or
//! print a shipped one to start a policy of your own from. The checking is
//! `refurbdesk_app::policy`.

use std::path::PathBuf;

use clap::Subcommand;
use refurbdesk_app::policy::{self, PolicyCheckParams};

use crate::exit::Failure;

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Check a policy (grading, or trade-in with kind = "tradein"): unknown keys, bad values,
    /// rules that never fire or contradict, by line
    Check {
        /// The policy file (TOML)
        file: PathBuf,
    },
    /// Print the shipped default policy (backmarket-default), to copy and edit
    Default {
        /// The shipped trade-in revision policy (tradein-default) instead
        #[arg(long)]
        tradein: bool,
    },
}

pub fn run(command: &PolicyCommand, json: bool) -> Result<(), Failure> {
    match command {
        PolicyCommand::Default { tradein } => {
            if *tradein {
                print!("{}", policy::tradein_default_text());
            } else {
                print!("{}", policy::default_text());
            }
            Ok(())
        }
        PolicyCommand::Check { file } => {
            let report = policy::check(PolicyCheckParams { file: file.clone() })?;
            let name = &report.file;
            if json {
                println!("{}", serde_json::to_string(&report)?);
            } else if report.valid {
                match &report.policy {
                    Some(id) => println!("{name}: valid ({id}, {} rules)", report.rules),
                    None => println!("{name}: valid"),
                }
            } else {
                for problem in &report.problems {
                    println!(
                        "{name}:{}:{}: {}",
                        problem.line, problem.column, problem.message
                    );
                }
            }
            // Warnings go to stderr, so `--json` keeps one document on stdout.
            for warning in &report.warnings {
                eprintln!(
                    "{name}:{}:{}: warning: {}",
                    warning.line, warning.column, warning.message
                );
            }
            match report.refusal() {
                Some(error) => Err(error.into()),
                None => Ok(()),
            }
        }
    }
}
