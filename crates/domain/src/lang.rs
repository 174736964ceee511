//! The languages Refurbdesk speaks to people in (its users and documents are
//! French and English), and how a number reads in each.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A language for sentences shown to people: reasons, reports, certificates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// A number with a fixed count of decimals: `84.96` / `84,96`.
    pub fn decimal(self, value: f64, places: usize) -> String {
        self.number_text(&format!("{value:.places$}"))
    }

    /// A number already written with a decimal point, in this language's
    /// notation (French uses a decimal comma).
    pub fn number_text(self, text: &str) -> String {
        match self {
            Lang::En => text.to_owned(),
            Lang::Fr => text.replace('.', ","),
        }
    }

    /// A percentage of a number written with a decimal point: `84.96%` /
    /// `84,96 %` (French sets the sign apart with a narrow no-break space).
    pub fn percent(self, text: &str) -> String {
        match self {
            Lang::En => format!("{text}%"),
            Lang::Fr => format!("{}\u{202f}%", self.number_text(text)),
        }
    }
}

/// Reasons to show: each finding told by `tell`, or, for a record made
/// before findings existed (it has none), the English words it holds.
pub fn tell_reasons<T>(
    words: &[String],
    findings: &[T],
    tell: impl Fn(&T) -> String,
) -> Vec<String> {
    if findings.is_empty() {
        words.to_vec()
    } else {
        findings.iter().map(tell).collect()
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(word: &str) -> Result<Self, Self::Err> {
        match word {
            "en" => Ok(Lang::En),
            "fr" => Ok(Lang::Fr),
            other => Err(format!(
                "{other:?} is not a document language; use en or fr"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_each_language_writes_them() {
        assert_eq!(Lang::En.percent("84.96"), "84.96%");
        assert_eq!(Lang::Fr.percent("84.96"), "84,96\u{202f}%");
        assert_eq!(Lang::Fr.decimal(2.5, 1), "2,5");
        assert_eq!("fr".parse::<Lang>(), Ok(Lang::Fr));
        assert!("de".parse::<Lang>().unwrap_err().contains("use en or fr"));
    }
}
