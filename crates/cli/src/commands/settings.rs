//! `refurbdesk settings`: the organisation's details and printing options every document reads.

use clap::Subcommand;
use refurbdesk_app::settings::{self, GetSettingParams, SetSettingParams};
use refurbdesk_app::{DataPaths, Workstation};
use serde_json::json;

use crate::exit::Failure;
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
            let list = settings::list(paths)?;
            if global.json {
                let map: serde_json::Map<String, serde_json::Value> = list
                    .into_iter()
                    .map(|setting| (setting.key, json!(setting.value)))
                    .collect();
                println!("{}", serde_json::to_string(&map)?);
            } else {
                for setting in &list {
                    match &setting.value {
                        Some(value) => println!("{} = {value}", setting.key),
                        None => println!("{} (not set)", setting.key),
                    }
                }
            }
        }
        SettingsCommand::Get { key } => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let setting = settings::get(&ws, GetSettingParams { key: key.clone() })?;
            if global.json {
                println!("{}", serde_json::to_string(&setting)?);
            } else {
                println!("{}", setting.value);
            }
        }
        SettingsCommand::Set { key, value } => {
            let params = SetSettingParams {
                key: key.clone(),
                value: value.clone(),
            };
            // A refused setting creates no database.
            settings::check_before_opening(paths, &params)?;
            let mut ws = super::acting_creating(paths, global)?;
            let setting = settings::set(&mut ws, params)?;
            if global.json {
                println!("{}", serde_json::to_string(&setting)?);
            } else {
                println!("{} = {}", setting.key, setting.value);
            }
        }
    }
    Ok(())
}
