//! The organisation's business-day calendar, as its settings give it: `calendar.country` (`fr`,
//! the default, or `be`) and `calendar.closed_days` (extra closed days, `YYYY-MM-DD` separated by
//! commas). Every due date the product computes (a trade-in batch's audit, a warranty return)
//! counts in this one calendar.

use refurbdesk_domain::{parse_closed_days, BusinessCalendar, Country};

use crate::error::{shorten, Error, Hint, Result};
use crate::workstation::Workstation;

/// The setting naming the country whose public holidays are closed days.
pub const COUNTRY_SETTING: &str = "calendar.country";
/// The setting listing the organisation's extra closed days.
pub const CLOSED_DAYS_SETTING: &str = "calendar.closed_days";

/// Whether `value` may be stored under `key` (one of this module's settings).
pub(crate) fn check_setting(key: &str, value: &str) -> Result<(), String> {
    match key {
        COUNTRY_SETTING => country(value).map(|_| ()),
        CLOSED_DAYS_SETTING => parse_closed_days(value).map(|_| ()).map_err(|entry| {
            format!(
                "{key} lists dates as YYYY-MM-DD separated by commas (e.g. \
                 2026-05-15,2026-12-24), and {:?} is not one",
                shorten(&entry)
            )
        }),
        _ => Ok(()),
    }
}

fn country(value: &str) -> Result<Country, String> {
    value.trim().parse::<Country>().map_err(|_| {
        format!(
            "{COUNTRY_SETTING} is {} (France) or {} (Belgium), not {:?}",
            Country::France.as_str(),
            Country::Belgium.as_str(),
            shorten(value)
        )
    })
}

/// The calendar the organisation's settings describe (France with no extra closed day when
/// nothing is set).
pub fn business_calendar(ws: &Workstation) -> Result<BusinessCalendar> {
    let country = match ws.store.setting(COUNTRY_SETTING)? {
        Some(value) => country(&value).map_err(|reason| {
            Error::data(reason).with_hint(Hint::SetSetting {
                key: COUNTRY_SETTING.to_owned(),
                example: "fr".to_owned(),
            })
        })?,
        None => Country::default(),
    };
    let closed = match ws.store.setting(CLOSED_DAYS_SETTING)? {
        Some(value) => parse_closed_days(&value).map_err(|entry| {
            Error::data(format!(
                "{CLOSED_DAYS_SETTING} holds {:?}, which is not a YYYY-MM-DD date",
                shorten(&entry)
            ))
            .with_hint(Hint::SetSetting {
                key: CLOSED_DAYS_SETTING.to_owned(),
                example: "2026-05-15,2026-12-24".to_owned(),
            })
        })?,
        None => Default::default(),
    };
    Ok(BusinessCalendar::new(country).with_closed_days(closed))
}
