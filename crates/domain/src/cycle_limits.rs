//! Charge-cycle marks per device family, read from a data table so a new
//! model family is a table edit, not a code change.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::device::DeviceIdentity;
use crate::grade::Texts;
use crate::lang::Lang;

const EMBEDDED_TABLE: &str = include_str!("../../../assets/battery-cycle-limits.toml");

/// Where a cycle count stops being normal for a family of batteries.
///
/// A mark is kept in intake records (inside a battery finding) and in signed reports. Marks
/// recorded before families had ids hold their words instead (`label`, `label_fr`); they read
/// back as [`CycleMark::labels`] keyed by language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredMark")]
pub struct CycleMark {
    /// Counts above this (not at it) are noted.
    pub cycles: u32,
    /// The battery family, e.g. `iphone-15-and-later`: its words are the catalogue's
    /// `battery-family-<family>`, completing "… above the 500-cycle mark for …".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// The words of a mark recorded before families had ids, by language tag.
    #[serde(default, skip_serializing_if = "Texts::is_empty")]
    pub labels: Texts,
}

/// A mark as any build wrote it: a family id, or the older `label` and `label_fr`.
#[derive(Deserialize)]
struct StoredMark {
    cycles: u32,
    #[serde(default)]
    family: Option<String>,
    #[serde(default)]
    labels: Texts,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    label_fr: Option<String>,
}

impl From<StoredMark> for CycleMark {
    fn from(stored: StoredMark) -> Self {
        let mut labels = stored.labels;
        for (lang, label) in [(Lang::En, stored.label), (Lang::Fr, stored.label_fr)] {
            if let Some(label) = label {
                labels.entry(lang.as_str().to_owned()).or_insert(label);
            }
        }
        CycleMark {
            cycles: stored.cycles,
            family: stored.family,
            labels,
        }
    }
}

impl CycleMark {
    /// The catalogue message naming a battery family.
    pub fn message_id(family: &str) -> String {
        format!("battery-family-{family}")
    }

    /// The family as it reads in a sentence in `lang`: the catalogue's words, or those an
    /// older record holds (English where it has none in `lang`).
    pub fn label_in(&self, lang: Lang) -> &str {
        if let Some(family) = &self.family {
            return lang.catalogue().word(&Self::message_id(family));
        }
        self.labels
            .get(lang.as_str())
            .or_else(|| self.labels.get(Lang::En.as_str()))
            .map_or("", String::as_str)
    }
}

/// The charge-cycle table: ordered rules, first match wins, else the default.
#[derive(Debug, Clone, PartialEq)]
pub struct CycleLimits {
    default: CycleMark,
    rules: Vec<CycleRule>,
}

#[derive(Debug, Clone, PartialEq)]
struct CycleRule {
    /// Lowercased, as are all criteria below, because benches disagree on case.
    make: Option<String>,
    model_prefixes: Vec<String>,
    model_codes: Vec<String>,
    model_code_prefixes: Vec<String>,
    mark: CycleMark,
}

/// A cycle table that cannot be used.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum TableError {
    #[error("the battery cycle table is not valid: {0}; fix the TOML at the place shown")]
    Syntax(#[from] toml::de::Error),
    #[error(
        "the battery cycle table's {place} sets cycles = 0; \
         a mark must be at least 1 cycle — fix that value"
    )]
    ZeroCycles { place: String },
    #[error("the battery cycle table's {place} names family {family:?}, which the message catalogue does not word; add `battery-family-{family} = …` to assets/locales/<lang>/domain.ftl")]
    UnknownFamily { place: String, family: String },
    #[error("the battery cycle table's {place} has an empty entry in {list}; remove it, since an empty prefix matches every device")]
    EmptyCriterion { place: String, list: &'static str },
    #[error("the battery cycle table's {place} has no make and no model criteria, so it matches every device; put that value in [default] instead")]
    MatchesEverything { place: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    default: RawMark,
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMark {
    cycles: u32,
    family: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    make: Option<String>,
    #[serde(default)]
    model_prefixes: Vec<String>,
    #[serde(default)]
    model_codes: Vec<String>,
    #[serde(default)]
    model_code_prefixes: Vec<String>,
    cycles: u32,
    family: String,
}

impl CycleLimits {
    /// The table shipped with Refurbdesk (`assets/battery-cycle-limits.toml`).
    pub fn embedded() -> &'static CycleLimits {
        static EMBEDDED: OnceLock<CycleLimits> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            // A test proves the shipped table parses; should it ever not, a
            // conservative single default beats taking the app down.
            CycleLimits::from_toml(EMBEDDED_TABLE).unwrap_or_else(|_| CycleLimits {
                default: CycleMark {
                    cycles: 500,
                    family: Some("typical-lithium-ion".to_owned()),
                    labels: Texts::new(),
                },
                rules: Vec::new(),
            })
        })
    }

    /// Parses and checks a table in the format of the shipped one.
    pub fn from_toml(text: &str) -> Result<Self, TableError> {
        let raw: RawTable = toml::from_str(text)?;
        let default = checked_mark(raw.default.cycles, raw.default.family, "[default]")?;
        let rules = raw
            .rule
            .into_iter()
            .enumerate()
            .map(|(index, rule)| checked_rule(rule, &format!("rule {}", index + 1)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CycleLimits { default, rules })
    }

    /// The mark that applies to this device: the first matching rule's,
    /// else the default.
    pub fn mark_for(&self, identity: &DeviceIdentity) -> &CycleMark {
        self.rules
            .iter()
            .find(|rule| rule.matches(identity))
            .map_or(&self.default, |rule| &rule.mark)
    }

    /// The cycle count above which this device's battery is noted.
    pub fn limit_for(&self, identity: &DeviceIdentity) -> u32 {
        self.mark_for(identity).cycles
    }
}

fn checked_mark(cycles: u32, family: String, place: &str) -> Result<CycleMark, TableError> {
    if cycles == 0 {
        return Err(TableError::ZeroCycles {
            place: place.to_owned(),
        });
    }
    let family = family.trim().to_owned();
    if family.is_empty() || !Lang::En.catalogue().has(&CycleMark::message_id(&family)) {
        return Err(TableError::UnknownFamily {
            place: place.to_owned(),
            family,
        });
    }
    Ok(CycleMark {
        cycles,
        family: Some(family),
        labels: Texts::new(),
    })
}

fn checked_rule(raw: RawRule, place: &str) -> Result<CycleRule, TableError> {
    let mark = checked_mark(raw.cycles, raw.family, place)?;
    let make = match raw.make.map(|make| make.trim().to_lowercase()) {
        Some(make) if make.is_empty() => {
            return Err(TableError::EmptyCriterion {
                place: place.to_owned(),
                list: "make",
            })
        }
        other => other,
    };
    let model_prefixes = normalized_criteria(raw.model_prefixes, place, "model_prefixes")?;
    let model_codes = normalized_criteria(raw.model_codes, place, "model_codes")?;
    let model_code_prefixes =
        normalized_criteria(raw.model_code_prefixes, place, "model_code_prefixes")?;
    if make.is_none()
        && model_prefixes.is_empty()
        && model_codes.is_empty()
        && model_code_prefixes.is_empty()
    {
        return Err(TableError::MatchesEverything {
            place: place.to_owned(),
        });
    }
    Ok(CycleRule {
        make,
        model_prefixes,
        model_codes,
        model_code_prefixes,
        mark,
    })
}

fn normalized_criteria(
    entries: Vec<String>,
    place: &str,
    list: &'static str,
) -> Result<Vec<String>, TableError> {
    entries
        .into_iter()
        .map(|entry| {
            let entry = entry.trim().to_lowercase();
            if entry.is_empty() {
                Err(TableError::EmptyCriterion {
                    place: place.to_owned(),
                    list,
                })
            } else {
                Ok(entry)
            }
        })
        .collect()
}

impl CycleRule {
    fn matches(&self, identity: &DeviceIdentity) -> bool {
        if let Some(make) = &self.make {
            if identity.make.trim().to_lowercase() != *make {
                return false;
            }
        }
        let has_model_criteria = !self.model_prefixes.is_empty()
            || !self.model_codes.is_empty()
            || !self.model_code_prefixes.is_empty();
        if !has_model_criteria {
            return true;
        }
        let model = identity.model.trim().to_lowercase();
        if self
            .model_prefixes
            .iter()
            .any(|prefix| model.starts_with(prefix.as_str()))
        {
            return true;
        }
        let Some(code) = identity.model_code.as_deref() else {
            return false;
        };
        let code = code.trim().to_lowercase();
        self.model_codes.contains(&code)
            || self
                .model_code_prefixes
                .iter()
                .any(|prefix| code.starts_with(prefix.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::device::DeviceCategory;

    fn device(
        category: DeviceCategory,
        make: &str,
        model: &str,
        model_code: Option<&str>,
    ) -> DeviceIdentity {
        let mut identity = DeviceIdentity::new(category, make, model);
        identity.model_code = model_code.map(str::to_owned);
        identity
    }

    #[test]
    fn embedded_table_parses_and_is_the_table_in_use() {
        let parsed = CycleLimits::from_toml(EMBEDDED_TABLE).expect("the shipped table parses");
        assert!(
            parsed.rules.len() >= 2,
            "the shipped table has the iPhone rules"
        );
        assert_eq!(CycleLimits::embedded(), &parsed);
    }

    #[test]
    fn embedded_limits_per_family() {
        use DeviceCategory::*;
        let cases = [
            (
                Phone,
                "Apple",
                "iPhone 15",
                None,
                1000,
                "iPhone 15 and later",
            ),
            (
                Phone,
                "Apple",
                "iPhone 15 Pro Max",
                None,
                1000,
                "iPhone 15 and later",
            ),
            (
                Phone,
                "Apple",
                "iPhone 16e",
                None,
                1000,
                "iPhone 15 and later",
            ),
            (
                Phone,
                "Apple",
                "iPhone 17",
                None,
                1000,
                "iPhone 15 and later",
            ),
            (
                Phone,
                "apple",
                "IPHONE 16 PRO",
                None,
                1000,
                "iPhone 15 and later",
            ),
            // Model codes decide when the name is generic.
            (
                Phone,
                "Apple",
                "iPhone",
                Some("iPhone16,2"),
                1000,
                "iPhone 15 and later",
            ),
            (
                Phone,
                "Apple",
                "iPhone",
                Some("iPhone17,5"),
                1000,
                "iPhone 15 and later",
            ),
            (
                Phone,
                "Apple",
                "iPhone",
                Some("iPhone18,1"),
                1000,
                "iPhone 15 and later",
            ),
            (
                Phone,
                "Apple",
                "iPhone",
                Some("iPhone15,4"),
                1000,
                "iPhone 15 and later",
            ),
            // iPhone15,2 is an iPhone 14 Pro despite the "15" in its code.
            (
                Phone,
                "Apple",
                "iPhone",
                Some("iPhone15,2"),
                500,
                "iPhone 14 and older",
            ),
            (
                Phone,
                "Apple",
                "iPhone 14",
                Some("iPhone14,7"),
                500,
                "iPhone 14 and older",
            ),
            (
                Phone,
                "Apple",
                "iPhone 12",
                Some("iPhone13,2"),
                500,
                "iPhone 14 and older",
            ),
            (
                Phone,
                "Apple",
                "iPhone SE (3rd generation)",
                None,
                500,
                "iPhone 14 and older",
            ),
            (
                Tablet,
                "Apple",
                "iPad Air (5th generation)",
                None,
                1000,
                "iPad",
            ),
            (
                Laptop,
                "Apple",
                "MacBook Air (M2, 2022)",
                Some("Mac14,2"),
                1000,
                "MacBook",
            ),
            (
                Phone,
                "Samsung",
                "Galaxy S23",
                Some("SM-S911B"),
                500,
                "a typical lithium-ion battery",
            ),
            // Another make's "iPhone 15" clone must not borrow Apple's rating.
            (
                Phone,
                "Generic",
                "iPhone 15",
                None,
                500,
                "a typical lithium-ion battery",
            ),
            (
                Laptop,
                "Lenovo",
                "ThinkPad T14",
                None,
                500,
                "a typical lithium-ion battery",
            ),
        ];
        let limits = CycleLimits::embedded();
        for (category, make, model, code, cycles, label) in cases {
            let identity = device(category, make, model, code);
            let mark = limits.mark_for(&identity);
            assert_eq!(mark.cycles, cycles, "{make} {model} {code:?}");
            assert_eq!(mark.label_in(Lang::En), label, "{make} {model} {code:?}");
            assert_eq!(limits.limit_for(&identity), cycles);
        }
    }

    #[test]
    fn first_matching_rule_wins() {
        let table = r#"
            [default]
            cycles = 400
            family = "typical-lithium-ion"

            [[rule]]
            make = "Acme"
            model_prefixes = ["Rocket X"]
            cycles = 900
            family = "ipad"

            [[rule]]
            make = "Acme"
            cycles = 600
            family = "macbook"
        "#;
        let limits = CycleLimits::from_toml(table).expect("valid table");
        let rocket = device(DeviceCategory::Phone, "ACME", "Rocket X2", None);
        let other = device(DeviceCategory::Phone, "Acme", "Rocket", None);
        let stranger = device(DeviceCategory::Phone, "Zeta", "Rocket X2", None);
        assert_eq!(limits.limit_for(&rocket), 900);
        assert_eq!(limits.limit_for(&other), 600);
        assert_eq!(limits.limit_for(&stranger), 400);
    }

    #[test]
    fn broken_tables_are_rejected_with_the_place_named() {
        let cases: [(&str, &str); 6] = [
            ("[default]\ncycles = 0\nfamily = \"ipad\"\n", "[default]"),
            ("[default]\ncycles = 500\nfamily = \"toaster\"\n", "battery-family-toaster"),
            (
                "[default]\ncycles = 500\nfamily = \"ipad\"\n[[rule]]\ncycles = 900\nfamily = \"ipad\"\n",
                "rule 1",
            ),
            (
                "[default]\ncycles = 500\nfamily = \"ipad\"\n[[rule]]\nmake = \"A\"\nmodel_prefixes = [\"\"]\ncycles = 900\nfamily = \"ipad\"\n",
                "rule 1",
            ),
            // A misspelt key is an error rather than a silently ignored rule.
            (
                "[default]\ncycles = 500\nfamily = \"ipad\"\n[[rule]]\nmake = \"A\"\nmodel_prefix = [\"B\"]\ncycles = 900\nfamily = \"ipad\"\n",
                "model_prefix",
            ),
            ("[default]\ncycles = -5\nfamily = \"ipad\"\n", "cycles"),
        ];
        for (table, named) in cases {
            let error = CycleLimits::from_toml(table).expect_err(table);
            let message = error.to_string();
            assert!(message.contains(named), "{message:?} should name {named:?}");
        }
        assert!(matches!(
            CycleLimits::from_toml("not toml ["),
            Err(TableError::Syntax(_))
        ));
    }

    #[test]
    fn every_family_of_the_shipped_table_is_worded_in_every_language() {
        let limits = CycleLimits::embedded();
        let marks = std::iter::once(&limits.default).chain(limits.rules.iter().map(|r| &r.mark));
        for mark in marks {
            let family = mark.family.as_deref().expect("a family id");
            for lang in Lang::ALL {
                assert!(
                    lang.catalogue().has(&CycleMark::message_id(family)),
                    "{lang}: {family}"
                );
            }
        }
        let ipad = limits.mark_for(&device(DeviceCategory::Tablet, "Apple", "iPad Air", None));
        assert_eq!(ipad.label_in(Lang::Fr), "les iPad");
    }

    #[test]
    fn a_mark_recorded_with_its_words_reads_back_keyed_by_language() {
        let old = r#"{"cycles":500,"label":"iPhone 14 and older","label_fr":"les iPhone 14 et antérieurs"}"#;
        let mark: CycleMark = serde_json::from_str(old).expect("reads");
        assert_eq!(mark.family, None);
        assert_eq!(mark.label_in(Lang::En), "iPhone 14 and older");
        assert_eq!(mark.label_in(Lang::Fr), "les iPhone 14 et antérieurs");
        let english: CycleMark =
            serde_json::from_str(r#"{"cycles":500,"label":"MacBook"}"#).expect("reads");
        assert_eq!(english.label_in(Lang::Fr), "MacBook");
        // Written with its family id only; its words are the catalogue's.
        let new = CycleLimits::embedded().mark_for(&device(
            DeviceCategory::Laptop,
            "Lenovo",
            "ThinkPad T14",
            None,
        ));
        let json = serde_json::to_string(new).expect("writes");
        assert_eq!(json, r#"{"cycles":500,"family":"typical-lithium-ion"}"#);
        assert_eq!(
            serde_json::from_str::<CycleMark>(&json).expect("reads"),
            *new
        );
    }
}
