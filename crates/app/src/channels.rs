//! Sales channels: which battery health a device needs to be sold through each one. Back Market
//! (the default) sells at 85 % of design capacity and calls under 80 % consumed; another channel's
//! figures are settings (`channel.<name>.soh_threshold_pct`, `channel.<name>.consumed_below_pct`),
//! and the station's own channel is the `station.channel` setting.

use refurbdesk_domain::BatteryPolicy;
use refurbdesk_store::{Store, StoreError};
use thiserror::Error;

/// The channel used when none is named.
pub const DEFAULT_CHANNEL: &str = "backmarket";
pub const STATION_CHANNEL_SETTING: &str = "station.channel";

#[derive(Debug, Error)]
pub enum ChannelError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("sales channel {0:?} has no battery threshold; give it one, or use {DEFAULT_CHANNEL}")]
    Unknown(String),
    #[error("setting {key} is {value:?}: {reason}")]
    Invalid {
        key: String,
        value: String,
        reason: String,
    },
}

/// The sales channel a station sells through and the battery policy that follows from it.
#[derive(Debug, Clone, PartialEq)]
pub struct SalesChannel {
    pub name: String,
    pub battery: BatteryPolicy,
}

fn percentage(store: &Store, key: &str) -> Result<Option<f64>, ChannelError> {
    let Some(value) = store.setting(key)? else {
        return Ok(None);
    };
    match value.trim().parse::<f64>() {
        Ok(pct) if (1.0..=100.0).contains(&pct) => Ok(Some(pct)),
        _ => Err(ChannelError::Invalid {
            key: key.to_owned(),
            value,
            reason: "use a percentage between 1 and 100".to_owned(),
        }),
    }
}

/// The channel named, else the station's (`station.channel`), else Back Market.
pub fn sales_channel(store: &Store, named: Option<&str>) -> Result<SalesChannel, ChannelError> {
    let name = match named {
        Some(name) => name.to_owned(),
        None => store
            .setting(STATION_CHANNEL_SETTING)?
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_CHANNEL.to_owned()),
    };
    let threshold_key = format!("channel.{name}.soh_threshold_pct");
    let consumed_key = format!("channel.{name}.consumed_below_pct");
    let defaults = BatteryPolicy::default();
    let threshold = match percentage(store, &threshold_key)? {
        Some(pct) => pct,
        None if name == DEFAULT_CHANNEL => defaults.soh_threshold_pct,
        None => return Err(ChannelError::Unknown(name)),
    };
    let consumed = percentage(store, &consumed_key)?.unwrap_or(defaults.consumed_below_pct);
    if consumed > threshold {
        return Err(ChannelError::Invalid {
            key: consumed_key,
            value: consumed.to_string(),
            reason: format!("it is above the channel's {threshold}% sales threshold"),
        });
    }
    Ok(SalesChannel {
        name,
        battery: BatteryPolicy {
            soh_threshold_pct: threshold,
            consumed_below_pct: consumed,
            ..defaults
        },
    })
}
