//! `refurbdesk settings`: the organisation's details and printing options every document reads.

use anyhow::anyhow;
use clap::Subcommand;
use refurbdesk_app::documents::setting;
use refurbdesk_app::DataPaths;
use serde_json::json;

use super::{open_existing, open_workstation, store_failure};
use crate::exit::{Exit, Failure};
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum SettingsCommand {
    /// Show every setting, set or not
    List,
    /// Print one setting's value (exit 4 when it is not set)
    Get { key: String },
    /// Set a setting (quality managers and admins)
    Set { key: String, value: String },
}

pub fn run(
    command: &SettingsCommand,
    global: &GlobalArgs,
    paths: &DataPaths,
) -> Result<(), Failure> {
    match command {
        SettingsCommand::List => {
            let values = if paths.database.exists() {
                open_existing(paths)?.settings().map_err(store_failure)?
            } else {
                Vec::new()
            };
            let mut keys: Vec<String> = setting::ALL.iter().map(|key| (*key).to_owned()).collect();
            for (key, _) in &values {
                if !keys.contains(key) {
                    keys.push(key.clone());
                }
            }
            let value_of = |key: &str| {
                values
                    .iter()
                    .find(|(k, _)| k == key)
                    .map(|(_, v)| v.clone())
            };
            if global.json {
                let map: serde_json::Map<String, serde_json::Value> = keys
                    .iter()
                    .map(|key| (key.clone(), json!(value_of(key))))
                    .collect();
                println!("{}", serde_json::to_string(&map)?);
            } else {
                for key in &keys {
                    match value_of(key) {
                        Some(value) => println!("{key} = {value}"),
                        None => println!("{key} (not set)"),
                    }
                }
            }
            Ok(())
        }
        SettingsCommand::Get { key } => {
            let value = open_existing(paths)?.setting(key).map_err(store_failure)?;
            match value {
                Some(value) => {
                    if global.json {
                        println!(
                            "{}",
                            serde_json::to_string(&json!({"key": key, "value": value}))?
                        );
                    } else {
                        println!("{value}");
                    }
                    Ok(())
                }
                None => Err(Failure::new(Exit::NotFound, anyhow!("{key} is not set"))),
            }
        }
        SettingsCommand::Set { key, value } => {
            if let Err(reason) = setting::check(key, value) {
                return Err(Failure::new(Exit::Usage, anyhow!("{reason}")));
            }
            let (mut store, actor) = open_workstation(global, paths)?;
            store
                .set_setting(key, value, &actor.name)
                .map_err(|error| match error {
                    refurbdesk_store::StoreError::InvalidSetting { .. } => {
                        Failure::new(Exit::Usage, error)
                    }
                    other => store_failure(other),
                })?;
            if global.json {
                println!(
                    "{}",
                    serde_json::to_string(&json!({"key": key, "value": value}))?
                );
            } else {
                println!("{key} = {value}");
            }
            Ok(())
        }
    }
}
