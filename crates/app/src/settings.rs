//! The station's settings: the organisation's details and printing options every document reads,
//! and the sales channels' battery thresholds. [`set`] is the one place a value is checked
//! before it is stored.

use refurbdesk_domain::BatteryPolicy;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::calendar;
use crate::channels::{DEFAULT_CHANNEL, STATION_CHANNEL_SETTING};
use crate::documents::setting;
use crate::error::{shorten, Error, ErrorCode, Hint, Result};
use crate::paths::DataPaths;
use crate::session::IDLE_LOCK_SETTING;
use crate::workstation::{open_store, Workstation};
use refurbdesk_store::Store;

const THRESHOLD_SUFFIX: &str = "soh_threshold_pct";
const CONSUMED_SUFFIX: &str = "consumed_below_pct";

/// One setting and its value, `None` when it is not set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Setting {
    pub key: String,
    pub value: Option<String>,
}

/// Which setting to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GetSettingParams {
    pub key: String,
}

/// A setting to give a value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetSettingParams {
    pub key: String,
    pub value: String,
}

/// A setting's value as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SettingValue {
    pub key: String,
    pub value: String,
}

/// Every setting documents read, set or not, then any other setting the database holds (the
/// sales channels'), in that order. A station without a database yet lists them all unset (and
/// no database is created).
pub fn list(paths: &DataPaths) -> Result<Vec<Setting>> {
    let values = if paths.database.exists() {
        open_store(paths)?.settings()?
    } else {
        Vec::new()
    };
    let mut list: Vec<Setting> = setting::ALL
        .iter()
        .map(|key| Setting {
            key: (*key).to_owned(),
            value: None,
        })
        .collect();
    for (key, value) in values {
        match list.iter_mut().find(|entry| entry.key == key) {
            Some(entry) => entry.value = Some(value),
            None => list.push(Setting {
                key,
                value: Some(value),
            }),
        }
    }
    Ok(list)
}

/// One setting's value; not found when it is not set.
pub fn get(ws: &Workstation, params: GetSettingParams) -> Result<SettingValue> {
    match ws.store.setting(&params.key)? {
        Some(value) => Ok(SettingValue {
            key: params.key,
            value,
        }),
        None => Err(Error::not_found(format!("{} is not set", params.key))),
    }
}

/// Checks the value against what the setting allows, then stores it as the acting operator
/// (quality managers and admins; the change is audited).
pub fn set(ws: &mut Workstation, params: SetSettingParams) -> Result<SettingValue> {
    crate::site::refuse_site_owned_setting(&ws.store, &params.key)?;
    check(Some(&ws.store), &params.key, &params.value)?;
    let actor = ws.actor()?;
    ws.store
        .set_setting(&params.key, &params.value, &actor.name)
        .map_err(|error| match error {
            refurbdesk_store::StoreError::InvalidSetting { .. } => {
                Error::from_error(ErrorCode::Usage, &error)
            }
            other => other.into(),
        })?;
    Ok(SettingValue {
        key: params.key,
        value: params.value,
    })
}

/// Checks a setting before any database is opened or created: with no database yet, against
/// the settings a new one starts with (the default channel only), so that a refused first
/// command leaves no database behind. With a database, [`set`] checks it against its settings.
pub fn check_before_opening(paths: &DataPaths, params: &SetSettingParams) -> Result<()> {
    if paths.database.exists() {
        return Ok(());
    }
    check(None, &params.key, &params.value)
}

/// Whether `value` may be stored under `key` on its own (the site's settings, checked before
/// they go to the site).
pub(crate) fn check_value(key: &str, value: &str) -> Result<()> {
    check(None, key, value)
}

/// Whether `value` may be stored under `key`, with the other settings as they stand (none, when
/// there is no database yet).
fn check(store: Option<&Store>, key: &str, value: &str) -> Result<()> {
    if setting::ALL.contains(&key) {
        return check_document_setting(key, value).map_err(Error::usage);
    }
    if key == STATION_CHANNEL_SETTING {
        return check_station_channel(store, value);
    }
    if key == crate::qa::SHARE_SETTING {
        return crate::qa::check_share(value)
            .map(|_| ())
            .map_err(Error::usage);
    }
    if key == crate::label::PRINTER_SETTING {
        return crate::label::check_printer_setting(value).map_err(Error::usage);
    }
    if key == crate::station::PORTS_SETTING {
        return crate::station::check_ports_setting(value).map_err(Error::usage);
    }
    if key == IDLE_LOCK_SETTING {
        return crate::session::check_idle_lock_minutes(value).map_err(Error::usage);
    }
    if key == calendar::COUNTRY_SETTING || key == calendar::CLOSED_DAYS_SETTING {
        return calendar::check_setting(key, value).map_err(Error::usage);
    }
    if key == crate::batches::TRADEIN_POLICY_SETTING {
        // A trade-in revision policy the check accepts, or the batch audit could not run.
        return crate::policy::load_tradein(Some(std::path::Path::new(value))).map(|_| ());
    }
    if let Some((channel, suffix)) = channel_key(key) {
        return check_channel_figure(store, channel, suffix, value);
    }
    let shown = shorten(key);
    let mut message = format!(
        "there is no setting {shown:?}; the settings are {}, {STATION_CHANNEL_SETTING}, {}, \
         {IDLE_LOCK_SETTING}, {}, {}, {}, {}, {}, \
         channel.NAME.{THRESHOLD_SUFFIX} and channel.NAME.{CONSUMED_SUFFIX}",
        setting::ALL.join(", "),
        crate::station::PORTS_SETTING,
        crate::label::PRINTER_SETTING,
        crate::qa::SHARE_SETTING,
        calendar::COUNTRY_SETTING,
        calendar::CLOSED_DAYS_SETTING,
        crate::batches::TRADEIN_POLICY_SETTING
    );
    if let Some(closest) = closest_key(key) {
        message.push_str(&format!("; did you mean {closest}?"));
    }
    Err(Error::usage(message))
}

/// The longest organisation name a document prints on one line.
pub const MAX_ORGANISATION_NAME_CHARS: usize = 80;
/// The largest logo file accepted, in bytes (2 MB).
pub const MAX_LOGO_BYTES: u64 = 2 * 1024 * 1024;
/// The placeholders a `certificate.verify_url` template may hold.
pub const VERIFY_URL_PLACEHOLDERS: [&str; 3] = ["{id}", "{digest}", "{key}"];

fn check_document_setting(key: &str, value: &str) -> Result<(), String> {
    let shown = shorten(value);
    match key {
        setting::LANGUAGE if value != "en" && value != "fr" => {
            Err(format!("{key} is en or fr, not {shown:?}"))
        }
        setting::WARRANTY_MONTHS => setting::warranty_months(value).map(|_| ()),
        setting::ORGANISATION_NAME => check_organisation_name(value),
        setting::ORGANISATION_LOGO => check_logo(value),
        setting::VERIFY_URL => check_verify_url(value),
        setting::SIGNATURE_LINE if value != "true" && value != "false" => Err(format!(
            "{key} is true (certificates leave room for a handwritten signature) or false \
             (the default), not {shown:?}"
        )),
        _ => Ok(()),
    }
}

fn check_organisation_name(value: &str) -> Result<(), String> {
    let key = setting::ORGANISATION_NAME;
    let name = value.trim();
    if name.is_empty() {
        return Err(format!(
            "{key} cannot be empty: every certificate names its issuer"
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(format!(
            "{key} is printed on one line and cannot hold a line break or other control character"
        ));
    }
    let count = name.chars().count();
    if count > MAX_ORGANISATION_NAME_CHARS {
        return Err(format!(
            "{key} is {count} characters long, but a document prints it on one line of at most \
             {MAX_ORGANISATION_NAME_CHARS} characters; shorten it (the address goes in \
             organisation.address)"
        ));
    }
    Ok(())
}

/// A logo is an existing PNG file of at most [`MAX_LOGO_BYTES`] whose image decodes to a usable
/// size; an empty value clears the logo.
fn check_logo(value: &str) -> Result<(), String> {
    let key = setting::ORGANISATION_LOGO;
    let path = value.trim();
    if path.is_empty() {
        return Ok(());
    }
    let shown = shorten(path);
    let refuse = |reason: String| Err(format!("{key} cannot be {shown:?}: {reason}"));
    let metadata = match std::fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return refuse("there is no such file; give the path of a PNG file".to_owned())
        }
        Err(error) => return refuse(format!("the file cannot be read ({error})")),
    };
    if !metadata.is_file() {
        return refuse("it is not a file; give the path of a PNG file".to_owned());
    }
    if metadata.len() > MAX_LOGO_BYTES {
        return refuse(format!(
            "the file is {} bytes, and a logo is at most {MAX_LOGO_BYTES} bytes (2 MB); \
             give a smaller PNG file",
            metadata.len()
        ));
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) => return refuse(format!("the file cannot be read ({error})")),
    };
    const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
    if !bytes.starts_with(&PNG_SIGNATURE) {
        return refuse(
            "it is not a PNG file (it does not start with the PNG signature)".to_owned(),
        );
    }
    match refurbdesk_certificate::Logo::from_png(&bytes) {
        Ok(_) => Ok(()),
        Err(reason) => refuse(format!("the PNG image cannot be used ({reason})")),
    }
}

/// An `http://` or `https://` URL naming a host, with no spaces and no placeholder other than
/// [`VERIFY_URL_PLACEHOLDERS`], among which `{id}`; an empty value clears it.
fn check_verify_url(value: &str) -> Result<(), String> {
    let key = setting::VERIFY_URL;
    let template = value.trim();
    if template.is_empty() {
        return Ok(());
    }
    let allowed = VERIFY_URL_PLACEHOLDERS.join(", ");
    let refuse = |reason: &str| {
        Err(format!(
            "{key} is an http:// or https:// address template whose placeholders are \
             {allowed} (e.g. https://example.com/verify/{{id}}?sig={{digest}}): {reason}"
        ))
    };
    let rest = match template
        .strip_prefix("https://")
        .or_else(|| template.strip_prefix("http://"))
    {
        Some(rest) => rest,
        None => return refuse("it does not start with http:// or https://"),
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    if host.is_empty() || host.contains(['{', '}']) {
        return refuse("it names no host");
    }
    if template
        .chars()
        .any(|c| c.is_whitespace() || c.is_control())
    {
        return refuse("it holds a space or a control character");
    }
    let mut rest = template;
    while let Some(open) = rest.find(['{', '}']) {
        let tail = &rest[open..];
        match VERIFY_URL_PLACEHOLDERS
            .iter()
            .find(|placeholder| tail.starts_with(**placeholder))
        {
            Some(placeholder) => rest = &tail[placeholder.len()..],
            None => return refuse("it holds a brace that is not one of the placeholders"),
        }
    }
    if !template.contains("{id}") {
        return refuse("it lacks {id}, so every certificate's code would point to the same page");
    }
    Ok(())
}

/// `channel.NAME.soh_threshold_pct` or `channel.NAME.consumed_below_pct`: the name and suffix.
fn channel_key(key: &str) -> Option<(&str, &str)> {
    let rest = key.strip_prefix("channel.")?;
    let (name, suffix) = rest.rsplit_once('.')?;
    let name_ok = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (name_ok && (suffix == THRESHOLD_SUFFIX || suffix == CONSUMED_SUFFIX)).then_some((name, suffix))
}

fn channel_known(store: Option<&Store>, name: &str) -> Result<bool> {
    if name == DEFAULT_CHANNEL {
        return Ok(true);
    }
    Ok(match store {
        Some(store) => store
            .setting(&format!("channel.{name}.{THRESHOLD_SUFFIX}"))?
            .is_some(),
        None => false,
    })
}

/// The sales channels that exist: the default and every one given a battery threshold.
fn known_channels(store: Option<&Store>) -> Result<Vec<String>> {
    let mut names = vec![DEFAULT_CHANNEL.to_owned()];
    let Some(store) = store else {
        return Ok(names);
    };
    for (key, _) in store.settings()? {
        if let Some((name, THRESHOLD_SUFFIX)) = channel_key(&key) {
            if !names.iter().any(|known| known == name) {
                names.push(name.to_owned());
            }
        }
    }
    Ok(names)
}

fn check_station_channel(store: Option<&Store>, value: &str) -> Result<()> {
    let name = value.trim();
    if channel_known(store, name)? {
        return Ok(());
    }
    let name = shorten(name);
    Err(Error::usage(format!(
        "{STATION_CHANNEL_SETTING} names a sales channel, and {name:?} has no battery \
         threshold; the channels are {}; give {name:?} a threshold first, or use one of those",
        known_channels(store)?.join(", ")
    ))
    .with_hint(Hint::SetSetting {
        key: format!("channel.{name}.{THRESHOLD_SUFFIX}"),
        example: "85".to_owned(),
    }))
}

/// A percentage between 1 and 100, read the way [`crate::channels`] reads it.
fn percentage(key: &str, value: &str) -> Result<f64> {
    match value.trim().parse::<f64>() {
        Ok(pct) if (1.0..=100.0).contains(&pct) => Ok(pct),
        _ => Err(Error::usage(format!(
            "{key} is a percentage between 1 and 100, not {:?}",
            shorten(value)
        ))),
    }
}

fn stored_percentage(store: Option<&Store>, key: &str) -> Result<Option<f64>> {
    let Some(store) = store else {
        return Ok(None);
    };
    Ok(store
        .setting(key)?
        .and_then(|value| value.trim().parse::<f64>().ok()))
}

fn check_channel_figure(
    store: Option<&Store>,
    channel: &str,
    suffix: &str,
    value: &str,
) -> Result<()> {
    let key = format!("channel.{channel}.{suffix}");
    let pct = percentage(&key, value)?;
    let defaults = BatteryPolicy::default();
    let threshold_key = format!("channel.{channel}.{THRESHOLD_SUFFIX}");
    let consumed_key = format!("channel.{channel}.{CONSUMED_SUFFIX}");
    let (threshold, consumed) = if suffix == THRESHOLD_SUFFIX {
        let consumed =
            stored_percentage(store, &consumed_key)?.unwrap_or(defaults.consumed_below_pct);
        (Some(pct), consumed)
    } else {
        let threshold = stored_percentage(store, &threshold_key)?
            .or((channel == DEFAULT_CHANNEL).then_some(defaults.soh_threshold_pct));
        (threshold, pct)
    };
    match threshold {
        Some(threshold) if consumed > threshold => Err(Error::usage(format!(
            "{consumed_key} would be {consumed}%, above the channel's {threshold}% sales \
             threshold ({threshold_key}); a consumed battery is below the sales threshold, so \
             keep {consumed_key} at or under {threshold_key}"
        ))),
        _ => Ok(()),
    }
}

/// The known key nearest to `key`, if it is near enough to be a typo.
fn closest_key(key: &str) -> Option<String> {
    let mut candidates: Vec<String> = setting::ALL.iter().map(|k| (*k).to_owned()).collect();
    candidates.push(STATION_CHANNEL_SETTING.to_owned());
    candidates.push(crate::qa::SHARE_SETTING.to_owned());
    candidates.push(IDLE_LOCK_SETTING.to_owned());
    candidates.push(crate::station::PORTS_SETTING.to_owned());
    candidates.push(crate::label::PRINTER_SETTING.to_owned());
    candidates.push(calendar::COUNTRY_SETTING.to_owned());
    candidates.push(calendar::CLOSED_DAYS_SETTING.to_owned());
    candidates.push(crate::batches::TRADEIN_POLICY_SETTING.to_owned());
    if let Some(rest) = key.strip_prefix("channel.") {
        if let Some((name, _)) = rest.rsplit_once('.') {
            for suffix in [THRESHOLD_SUFFIX, CONSUMED_SUFFIX] {
                candidates.push(format!("channel.{name}.{suffix}"));
            }
        }
    }
    candidates
        .into_iter()
        .map(|candidate| (distance(key, &candidate), candidate))
        .filter(|(d, candidate)| *d <= (candidate.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

/// Levenshtein distance, by characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
    }

    #[test]
    fn channel_keys_are_recognised_only_with_a_known_figure() {
        assert_eq!(
            channel_key("channel.premium.soh_threshold_pct"),
            Some(("premium", THRESHOLD_SUFFIX))
        );
        assert_eq!(channel_key("channel.premium.colour"), None);
        assert_eq!(channel_key("channel..soh_threshold_pct"), None);
    }
}
