//! Every word a document prints, in English and French, from `assets/certificates/texts.toml`,
//! and the way numbers, sizes and dates are written in each language.

use std::collections::HashMap;
use std::sync::OnceLock;

use chrono::{DateTime, Utc};

use crate::document::Lang;

const TEXTS_TOML: &str = include_str!("../../../assets/certificates/texts.toml");

fn table() -> &'static HashMap<String, [String; 2]> {
    static TABLE: OnceLock<HashMap<String, [String; 2]>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let parsed: HashMap<String, HashMap<String, String>> =
            toml::from_str(TEXTS_TOML).expect("assets/certificates/texts.toml parses");
        parsed
            .into_iter()
            .map(|(key, texts)| {
                let en = texts.get("en").cloned().unwrap_or_default();
                let fr = texts.get("fr").cloned().unwrap_or_default();
                (key, [en, fr])
            })
            .collect()
    })
}

/// Words in one language.
#[derive(Debug, Clone, Copy)]
pub struct Texts {
    pub lang: Lang,
}

impl Texts {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// The text for `key`; a missing key prints as `[key]` so a test catches it.
    pub fn t(&self, key: &str) -> String {
        match table().get(key) {
            Some([en, fr]) => match self.lang {
                Lang::En => en.clone(),
                Lang::Fr => fr.clone(),
            },
            None => format!("[{key}]"),
        }
    }

    /// The text for a code under a prefix (`method.zero`), or the code itself when the table
    /// has no words for it (a new method must still print, if less nicely).
    pub fn code(&self, prefix: &str, code: &str) -> String {
        let key = format!("{prefix}.{code}");
        if table().contains_key(&key) {
            self.t(&key)
        } else {
            code.to_owned()
        }
    }

    /// A code told in words, followed by the code itself when the words
    /// differ from it: "Très bon état (VERY_GOOD)". Marketplace codes stay
    /// visible, since they are what other systems and people quote.
    pub fn code_with_word(&self, prefix: &str, code: &str) -> String {
        let words = self.code(prefix, code);
        if words == code {
            words
        } else {
            format!("{words} ({code})")
        }
    }

    pub fn or_unset(&self, value: Option<&str>) -> String {
        match value {
            Some(text) if !text.trim().is_empty() => text.to_owned(),
            _ => self.t("value.not_specified"),
        }
    }

    pub fn yes_no(&self, value: Option<bool>) -> String {
        match value {
            Some(true) => self.t("value.yes"),
            Some(false) => self.t("value.no"),
            None => self.t("value.unknown"),
        }
    }

    /// An integer with thin grouping: `4,294,967,296` / `4 294 967 296`.
    pub fn integer(&self, value: u64) -> String {
        let digits = value.to_string();
        let separator = match self.lang {
            Lang::En => ",",
            Lang::Fr => "\u{202f}",
        };
        let mut out = String::new();
        for (index, ch) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                out.push_str(separator);
            }
            out.push(ch);
        }
        out
    }

    pub fn decimal(&self, value: f64, places: usize) -> String {
        let text = format!("{value:.places$}");
        match self.lang {
            Lang::En => text,
            Lang::Fr => text.replace('.', ","),
        }
    }

    /// Bytes, exact, with a binary unit for reading: `4,294,967,296 bytes (4.00 GiB)`.
    pub fn bytes(&self, value: u64) -> String {
        let units: [(&str, &str); 5] = [
            ("bytes", "octets"),
            ("KiB", "Kio"),
            ("MiB", "Mio"),
            ("GiB", "Gio"),
            ("TiB", "Tio"),
        ];
        let pick = |unit: (&'static str, &'static str)| match self.lang {
            Lang::En => unit.0,
            Lang::Fr => unit.1,
        };
        let exact = format!("{} {}", self.integer(value), pick(units[0]));
        let mut scaled = value as f64;
        let mut unit = 0;
        while scaled >= 1024.0 && unit < units.len() - 1 {
            scaled /= 1024.0;
            unit += 1;
        }
        if unit == 0 {
            exact
        } else {
            format!(
                "{exact} ({} {})",
                self.decimal(scaled, 2),
                pick(units[unit])
            )
        }
    }

    pub fn datetime(&self, value: &DateTime<Utc>) -> String {
        value.format("%Y-%m-%d %H:%M:%S UTC").to_string()
    }

    /// Every key of the table, for tests.
    #[cfg(test)]
    pub fn keys() -> impl Iterator<Item = &'static String> {
        table().keys()
    }

    #[cfg(test)]
    pub fn both(key: &str) -> Option<&'static [String; 2]> {
        table().get(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages() {
        for key in Texts::keys() {
            let [en, fr] = Texts::both(key).unwrap();
            assert!(!en.trim().is_empty(), "{key} has no English text");
            assert!(!fr.trim().is_empty(), "{key} has no French text");
        }
    }

    #[test]
    fn numbers_follow_the_language() {
        let en = Texts::new(Lang::En);
        let fr = Texts::new(Lang::Fr);
        assert_eq!(en.integer(4_294_967_296), "4,294,967,296");
        assert_eq!(
            fr.integer(4_294_967_296),
            "4\u{202f}294\u{202f}967\u{202f}296"
        );
        assert_eq!(en.integer(999), "999");
        assert_eq!(en.bytes(4 << 30), "4,294,967,296 bytes (4.00 GiB)");
        assert_eq!(fr.bytes(1536), "1\u{202f}536 octets (1,50 Kio)");
        assert_eq!(en.bytes(512), "512 bytes");
        assert_eq!(fr.decimal(1234.567, 1), "1234,6");
    }

    #[test]
    fn unknown_codes_print_as_themselves() {
        let en = Texts::new(Lang::En);
        assert_eq!(en.code("method", "zero"), en.t("method.zero"));
        assert_eq!(en.code("method", "future_method"), "future_method");
        assert_eq!(en.t("no.such.key"), "[no.such.key]");
    }
}
