//! The languages Refurbdesk speaks to people in (its users and documents are
//! French and English), and how a number reads in each.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Catalogue;

/// A language for sentences shown to people: reasons, reports, certificates.
/// Each one is a folder of catalogue files, `assets/locales/<tag>/`; a test
/// holds this list and the folders present in agreement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    #[default]
    En,
    Fr,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// The language's tag, which is also its catalogue folder's name.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// This language's catalogue.
    pub fn catalogue(self) -> &'static Catalogue {
        Catalogue::for_lang(self)
    }

    /// A number with a fixed count of decimals: `84.96` / `84,96`.
    pub fn decimal(self, value: f64, places: usize) -> String {
        self.number_text(&format!("{value:.places$}"))
    }

    /// A number already written with a decimal point, in this language's
    /// notation (`number-decimal-separator` in its catalogue).
    pub fn number_text(self, text: &str) -> String {
        let separator = COMMON.get(self, DECIMAL_SEPARATOR);
        if separator == "." {
            text.to_owned()
        } else {
            text.replace('.', separator)
        }
    }

    /// A percentage of a number written with a decimal point: `84.96%` /
    /// `84,96 %` (French sets the sign apart with a narrow no-break space).
    pub fn percent(self, text: &str) -> String {
        self.catalogue().tell(
            "number-percent",
            &[("value", self.number_text(text).as_str())],
        )
    }

    /// A list inside a sentence: "a", "a and b", "a, b and c" / "a, b et c".
    pub fn join<S: AsRef<str>>(self, words: &[S]) -> String {
        let mut text = String::new();
        self.push_list(&mut text, words.iter().map(AsRef::as_ref));
        text
    }

    /// Appends [`Lang::join`]'s list to `out` without building it first.
    pub fn push_list<'w>(self, out: &mut String, words: impl ExactSizeIterator<Item = &'w str>) {
        let and = COMMON.get(self, LIST_LAST_SEPARATOR);
        let comma = COMMON.get(self, LIST_SEPARATOR);
        let count = words.len();
        for (index, word) in words.enumerate() {
            if index > 0 {
                out.push_str(if index + 1 == count { and } else { comma });
            }
            out.push_str(word);
        }
    }

    /// "unknown" / "inconnu": a figure that was not read.
    pub fn unknown(self) -> &'static str {
        COMMON.get(self, FIGURE_UNKNOWN)
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
        Lang::ALL
            .into_iter()
            .find(|lang| lang.as_str() == word)
            .ok_or_else(|| {
                let tags: Vec<_> = Lang::ALL.iter().map(|lang| lang.as_str()).collect();
                format!(
                    "{word:?} is not a language Refurbdesk speaks; use {}",
                    tags.join(" or ")
                )
            })
    }
}

/// The words nearly every sentence uses, kept per language.
static COMMON: crate::WordTable<4> = crate::WordTable::new([
    "number-decimal-separator",
    "list-last-separator",
    "list-separator",
    "figure-unknown",
]);
const DECIMAL_SEPARATOR: usize = 0;
const LIST_LAST_SEPARATOR: usize = 1;
const LIST_SEPARATOR: usize = 2;
const FIGURE_UNKNOWN: usize = 3;
