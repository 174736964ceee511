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

impl Lang {
    /// A list inside a sentence: "a", "a and b", "a, b and c" / "a, b et c".
    pub fn join<S: AsRef<str>>(self, words: &[S]) -> String {
        let mut text = String::new();
        self.push_list(&mut text, words.iter().map(AsRef::as_ref));
        text
    }

    /// Appends [`Lang::join`]'s list to `out` without building it first.
    pub fn push_list<'w>(self, out: &mut String, words: impl ExactSizeIterator<Item = &'w str>) {
        let and = match self {
            Lang::En => " and ",
            Lang::Fr => " et ",
        };
        let count = words.len();
        for (index, word) in words.enumerate() {
            if index > 0 {
                out.push_str(if index + 1 == count { and } else { ", " });
            }
            out.push_str(word);
        }
    }

    /// "unknown" / "inconnu": a figure that was not read.
    pub fn unknown(self) -> &'static str {
        match self {
            Lang::En => "unknown",
            Lang::Fr => "inconnu",
        }
    }
}

/// A threshold as people write it, with a decimal point: 85.0 as "85",
/// 82.5 as "82.5".
pub fn bare_number(value: f64) -> String {
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// `value`, which is below `limit`, with just enough decimals (with a decimal
/// point) that it also reads as below it: 84.96 must not be shown as "85.0"
/// beside a limit of 85. `None` when even four decimals round up to the limit.
pub fn number_below(value: f64, limit: f64) -> Option<String> {
    (1..=4usize)
        .map(|decimals| format!("{value:.decimals$}"))
        .find(|shown| shown.parse::<f64>().is_ok_and(|shown| shown < limit))
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
                "{other:?} is not a language Refurbdesk speaks; use en or fr"
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

    #[test]
    fn lists_and_thresholds_read_naturally() {
        assert_eq!(Lang::En.join::<&str>(&[]), "");
        assert_eq!(Lang::En.join(&["screen"]), "screen");
        assert_eq!(
            Lang::En.join(&["screen", "back", "frame"]),
            "screen, back and frame"
        );
        assert_eq!(Lang::Fr.join(&["l'écran", "le dos"]), "l'écran et le dos");
        assert_eq!(bare_number(85.0), "85");
        assert_eq!(bare_number(82.5), "82.5");
        assert_eq!(number_below(82.34, 85.0).as_deref(), Some("82.3"));
        assert_eq!(number_below(84.96, 85.0).as_deref(), Some("84.96"));
        assert_eq!(number_below(84.999_99, 85.0), None);
    }
}
