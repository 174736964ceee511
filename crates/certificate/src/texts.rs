//! Every word a document prints, from the message catalogue
//! (`assets/locales/<lang>/certificate.ftl`, ids `cert-<key with dashes>`), and
//! the way numbers, sizes and dates are written in each language.

use chrono::{DateTime, Utc};
use refurbdesk_i18n::Catalogue;

use crate::document::Lang;

/// The catalogue id of a document key: `doc.issued_at` is `cert-doc-issued-at`.
pub fn message_id(key: &str) -> String {
    let mut id = String::with_capacity(key.len() + 5);
    id.push_str("cert-");
    id.extend(key.chars().map(|c| match c {
        '.' | '_' => '-',
        c => c.to_ascii_lowercase(),
    }));
    id
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

    fn catalogue(&self) -> &'static Catalogue {
        self.lang.catalogue()
    }

    /// The text for `key`; a missing key prints as `[key]` so a test catches it.
    pub fn t(&self, key: &str) -> String {
        self.tell(key, &[])
    }

    /// The text for `key` with its arguments (`{ $months }`).
    pub fn tell(&self, key: &str, args: &[(&str, &str)]) -> String {
        let id = message_id(key);
        if self.catalogue().has(&id) {
            self.catalogue().tell(&id, args)
        } else {
            format!("[{key}]")
        }
    }

    /// The text for a code under a prefix (`method.zero`), or the code itself when the table
    /// has no words for it (a new method must still print, if less nicely).
    pub fn code(&self, prefix: &str, code: &str) -> String {
        let key = format!("{prefix}.{code}");
        if self.catalogue().has(&message_id(&key)) {
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

    /// Words that are not ours (a bench's, a person's), quoted the language's way and never
    /// translated: “no focus” / « no focus ».
    pub fn quoted(&self, words: &str) -> String {
        self.tell("quoted", &[("words", words.trim())])
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
        let separator = self.catalogue().word("number-group-separator");
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
        self.lang.decimal(value, places)
    }

    /// Bytes, exact, with a binary unit for reading: `4,294,967,296 bytes (4.00 GiB)`.
    pub fn bytes(&self, value: u64) -> String {
        const UNITS: [&str; 5] = [
            "cert-unit-bytes",
            "cert-unit-kib",
            "cert-unit-mib",
            "cert-unit-gib",
            "cert-unit-tib",
        ];
        let pick = |unit: usize| self.catalogue().word(UNITS[unit]);
        let exact = format!("{} {}", self.integer(value), pick(0));
        let mut scaled = value as f64;
        let mut unit = 0;
        while scaled >= 1024.0 && unit < UNITS.len() - 1 {
            scaled /= 1024.0;
            unit += 1;
        }
        if unit == 0 {
            exact
        } else {
            format!("{exact} ({} {})", self.decimal(scaled, 2), pick(unit))
        }
    }

    pub fn datetime(&self, value: &DateTime<Utc>) -> String {
        value.format("%Y-%m-%d %H:%M:%S UTC").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_document_text_is_in_every_language() {
        let english = Catalogue::for_lang(Lang::En);
        let ids: Vec<_> = english
            .ids()
            .into_iter()
            .filter(|id| id.starts_with("cert-"))
            .collect();
        assert!(ids.len() > 200, "only {} document texts", ids.len());
        for lang in Lang::ALL {
            for id in &ids {
                let told = lang.catalogue().tell(id, &[]);
                assert!(!told.trim().is_empty(), "{id} has no {lang} text");
            }
        }
        let fr = Texts::new(Lang::Fr);
        assert_eq!(fr.t("doc.issued_at"), "Émis le");
        assert_eq!(
            fr.tell("doc.page", &[("n", "2"), ("m", "3")]),
            "Page 2 sur 3"
        );
        assert_eq!(message_id("grade.VERY_GOOD"), "cert-grade-very-good");
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
