//! Money: integer cents, never floats. A policy's amounts are either a fixed
//! sum in cents or a whole percentage of the quoted price.

use std::fmt;

use refurbdesk_domain::Lang;
use serde::{Deserialize, Serialize};

/// What a rule of the policy takes off (or, for the floor, keeps): a fixed sum
/// or a share of the quoted price. Written `{ cents = 2500 }` or
/// `{ percent = 15 }` in the policy.
///
/// ```
/// use refurbdesk_revision::Amount;
///
/// assert_eq!(Amount::Cents(2500).of(30_000), 2500);
/// assert_eq!(Amount::Percent(15).of(30_000), 4500);
/// // A percentage is rounded down to the cent, in the customer's favour.
/// assert_eq!(Amount::Percent(15).of(999), 149);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Amount {
    /// A fixed sum, in cents of the policy's currency.
    Cents(u64),
    /// A whole percentage (0 to 100) of the quoted price.
    Percent(u32),
}

impl Amount {
    /// Nothing.
    pub const ZERO: Amount = Amount::Cents(0);

    /// The sum this amount is for a quote of `quoted_cents`, in cents: a percentage is
    /// rounded down to the cent.
    pub fn of(self, quoted_cents: u64) -> u64 {
        match self {
            Amount::Cents(cents) => cents,
            Amount::Percent(percent) => {
                (u128::from(quoted_cents) * u128::from(percent.min(100)) / 100) as u64
            }
        }
    }

    /// Whether the amount is nothing whatever the quote.
    pub fn is_zero(self) -> bool {
        matches!(self, Amount::Cents(0) | Amount::Percent(0))
    }

    /// The amount as a person reads it in `lang`: "25.00 EUR" / "25,00 EUR", "15%" / "15 %".
    pub fn tell(self, lang: Lang, currency: &str) -> String {
        match self {
            Amount::Cents(cents) => money(lang, cents, currency),
            Amount::Percent(percent) => lang.percent(&percent.to_string()),
        }
    }
}

impl fmt::Display for Amount {
    /// As written in the policy: `{ cents = 2500 }`, `{ percent = 15 }`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Amount::Cents(cents) => write!(f, "{{ cents = {cents} }}"),
            Amount::Percent(percent) => write!(f, "{{ percent = {percent} }}"),
        }
    }
}

/// A sum of cents as a person reads it in `lang`: "1234.50 EUR" / "1234,50 EUR"
/// (`revision-money` in the catalogue).
///
/// ```
/// use refurbdesk_domain::Lang;
/// use refurbdesk_revision::money;
///
/// assert_eq!(money(Lang::En, 123_450, "EUR"), "1234.50 EUR");
/// assert_eq!(money(Lang::Fr, 5, "EUR"), "0,05\u{a0}EUR");
/// ```
pub fn money(lang: Lang, cents: u64, currency: &str) -> String {
    let figure = lang.number_text(&format!("{}.{:02}", cents / 100, cents % 100));
    lang.catalogue().tell(
        "revision-money",
        &[("amount", figure.as_str()), ("currency", currency)],
    )
}
