//! ISO 4217 currency codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The active ISO 4217 alphabetic codes (list of 2024), sorted for a binary search.
const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD",
    "CAD", "CDF", "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE",
    "CZK", "DJF", "DKK", "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL",
    "GHS", "GIP", "GMD", "GNF", "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR",
    "IQD", "IRR", "ISK", "JMD", "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD",
    "KYD", "KZT", "LAK", "LBP", "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK",
    "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN", "MXV", "MYR", "MZN", "NAD", "NGN", "NIO",
    "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON",
    "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD",
    "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD",
    "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES", "VND", "VUV",
    "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
];

/// An ISO 4217 currency code, upper case: what a manifest's `currency` column holds.
///
/// ```
/// use refurbdesk_manifest::Currency;
///
/// assert_eq!("eur".parse::<Currency>().unwrap().as_str(), "EUR");
/// assert!("EUROS".parse::<Currency>().is_err());
/// assert_eq!(Currency::default().as_str(), "EUR");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency(String);

/// A code that is not an ISO 4217 currency.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an ISO 4217 currency code")]
pub struct UnknownCurrency(pub String);

impl Currency {
    /// The three upper-case letters.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// EUR: the currency of a line whose manifest has no `currency` column or an empty cell.
impl Default for Currency {
    fn default() -> Self {
        Currency("EUR".to_owned())
    }
}

impl FromStr for Currency {
    type Err = UnknownCurrency;

    /// Accepts a code in any case, surrounding spaces trimmed.
    fn from_str(code: &str) -> Result<Self, Self::Err> {
        let upper = code.trim().to_ascii_uppercase();
        if ISO_4217.binary_search(&upper.as_str()).is_ok() {
            Ok(Currency(upper))
        } else {
            Err(UnknownCurrency(code.to_owned()))
        }
    }
}

impl TryFrom<String> for Currency {
    type Error = UnknownCurrency;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        code.parse()
    }
}

impl From<Currency> for String {
    fn from(currency: Currency) -> String {
        currency.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_of_three_letter_codes() {
        assert!(ISO_4217.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(ISO_4217
            .iter()
            .all(|code| code.len() == 3 && code.bytes().all(|b| b.is_ascii_uppercase())));
    }
}
