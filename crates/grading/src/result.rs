//! What grading produces: the outcome, the marketplace and trade-in grades,
//! the CTIA-style code pair, and the reasons behind them.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use refurbdesk_domain::Lang;
use refurbdesk_i18n::WordTable;
use serde::{Deserialize, Serialize};

use crate::checklist::ItemResult;
use crate::cosmetic::{CosmeticLevel, Zone};
use crate::words::word_enum;

word_enum! {
    /// What happens to the device next, least severe first. When several
    /// rules set an outcome the most severe wins, so a blocked lock always
    /// wins over everything else.
    Outcome, "outcome" {
        /// Ready to list.
        Sellable => "sellable",
        /// Fixable before sale: a battery to replace, a failed test, a crack.
        Repair => "repair",
        /// Beyond economic repair.
        Recycle => "recycle",
        /// An operator must confirm something unknown, such as the lock state.
        Hold => "hold",
        /// An account or MDM lock: cannot be valued until the owner removes it.
        Blocked => "blocked",
    }
}

word_enum! {
    /// The marketplace listing grade, best first. For `repair`, the grade
    /// the device will have once repaired.
    ListingGrade, "listing grade" {
        Premium => "PREMIUM",
        Excellent => "EXCELLENT",
        VeryGood => "VERY_GOOD",
        Good => "GOOD",
        Fair => "FAIR",
        Stallone => "STALLONE",
    }
}

impl ListingGrade {
    /// The grade as people write it: "Very good".
    pub fn title(self) -> &'static str {
        self.title_in(Lang::En)
    }

    /// The grade as people write it in `lang`: "Very good" / "Très bon état"
    /// (`listing-grade-<word>` in the catalogue).
    pub fn title_in(self, lang: Lang) -> &'static str {
        // In declaration order; a test checks each against its word.
        static WORDS: WordTable<6> = WordTable::new([
            "listing-grade-premium",
            "listing-grade-excellent",
            "listing-grade-very-good",
            "listing-grade-good",
            "listing-grade-fair",
            "listing-grade-stallone",
        ]);
        WORDS.get(lang, self as usize)
    }
}

word_enum! {
    /// The trade-in (buy-back) aesthetic grade, best first.
    BuybackGrade, "trade-in grade" {
        FunctionalFlawless => "FUNCTIONAL_FLAWLESS",
        FunctionalGood => "FUNCTIONAL_GOOD",
        FunctionalUsed => "FUNCTIONAL_USED",
        FunctionalCracked => "FUNCTIONAL_CRACKED",
        NotFunctionalUsed => "NOT_FUNCTIONAL_USED",
        NotFunctionalCracked => "NOT_FUNCTIONAL_CRACKED",
    }
}

word_enum! {
    /// How well the device works, best first; the worst a fired rule says wins.
    Functional, "functional level" {
        /// Everything works.
        Full => "full",
        /// Works, but needs a service part: a battery, a charger.
        Serviceable => "serviceable",
        /// Works with a defect: a failed test.
        Defective => "defective",
        /// Does not work (no power, liquid damage).
        NotWorking => "not_working",
        /// Cannot be used by anyone but its owner.
        Locked => "locked",
    }
}

impl Functional {
    /// Whether the trade-in grade counts the device as functional.
    pub fn counts_as_functional(self) -> bool {
        self <= Functional::Serviceable
    }
}

word_enum! {
    /// The cosmetic letter of the CTIA-style code.
    CtiaCosmetic, "CTIA cosmetic letter" {
        /// Like new: flawless or micro-scratches.
        A => "A",
        /// Light wear.
        B => "B",
        /// Visible wear.
        C => "C",
        /// Cracked.
        D => "D",
    }
}

impl CtiaCosmetic {
    pub fn from_level(level: CosmeticLevel) -> CtiaCosmetic {
        match level {
            CosmeticLevel::Flawless | CosmeticLevel::Micro => CtiaCosmetic::A,
            CosmeticLevel::Light => CtiaCosmetic::B,
            CosmeticLevel::Visible => CtiaCosmetic::C,
            CosmeticLevel::Cracked => CtiaCosmetic::D,
        }
    }
}

/// A CTIA-style functional/cosmetic pair: a digit for function (0 fully
/// functional … 4 locked) and a letter for looks (A like new … D cracked).
/// Written "2/B".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CtiaCode {
    pub functional: u8,
    pub cosmetic: CtiaCosmetic,
}

impl CtiaCode {
    pub fn new(functional: Functional, worst: CosmeticLevel) -> CtiaCode {
        CtiaCode {
            functional: functional as u8,
            cosmetic: CtiaCosmetic::from_level(worst),
        }
    }
}

impl fmt::Display for CtiaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.functional, self.cosmetic)
    }
}

/// Which policy decided.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PolicyId {
    pub name: String,
    pub version: String,
    /// SHA-256 of the policy file's text, to tell an edited copy from the
    /// original even when someone forgot to change the version.
    pub sha256: String,
}

impl fmt::Display for PolicyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.name, self.version)
    }
}

/// What a rule looked at: input name (`soh_pct`, `zone.back`, `failed`) to
/// its value as text. Names and fixed words are borrowed, not copied.
pub type Inputs = BTreeMap<Cow<'static, str>, Cow<'static, str>>;

/// One reason behind a grade: the rule that fired, the inputs it looked at,
/// and a sentence a customer could be shown, in English and, when the policy
/// has it, in French, as told from the catalogue (or the policy's own
/// sentences) when the grade was made. The rule id is stable across languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub rule: String,
    pub inputs: Inputs,
    pub text: String,
    /// Absent from grades made before French reasons existed, and for rules
    /// of a policy that has no `reason_fr`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text_fr: Option<String>,
}

impl Reason {
    /// The sentence in `lang`, or the English one when there is no other.
    pub fn text_in(&self, lang: Lang) -> &str {
        match (lang, &self.text_fr) {
            (Lang::Fr, Some(text)) => text,
            _ => &self.text,
        }
    }
}

/// A grade with everything it was decided from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    pub outcome: Outcome,
    /// The listing grade.
    pub grade: ListingGrade,
    pub buyback_grade: BuybackGrade,
    pub ctia: CtiaCode,
    pub functional: Functional,
    /// Fired rules in policy order, then the grade's description.
    pub reasons: Vec<Reason>,
    pub policy: PolicyId,
    /// The version of the message catalogue the reasons were told with
    /// (`refurbdesk_i18n::version()`); absent from grades made before it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub catalogue: Option<String>,
    /// Whether items or zones were left unanswered on purpose.
    pub partial: bool,
    /// The manual items still unanswered (only when partial).
    pub unanswered_items: Vec<String>,
    /// The zones not inspected (only when partial).
    pub uninspected_zones: Vec<Zone>,
    /// The checklist as filled in, in template order.
    pub checklist: Vec<ItemResult>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_listing_grade_is_told_with_its_own_catalogue_word() {
        for lang in Lang::ALL {
            for grade in ListingGrade::ALL {
                let id = format!(
                    "listing-grade-{}",
                    grade.as_str().to_ascii_lowercase().replace('_', "-")
                );
                assert_eq!(
                    grade.title_in(lang),
                    lang.catalogue().word(&id),
                    "{lang} {id}"
                );
            }
        }
    }

    #[test]
    fn scales_order_worse_as_greater() {
        assert!(Outcome::Sellable < Outcome::Repair);
        assert!(Outcome::Repair < Outcome::Recycle);
        assert!(Outcome::Recycle < Outcome::Hold);
        assert!(Outcome::Hold < Outcome::Blocked);
        assert!(ListingGrade::Premium < ListingGrade::Stallone);
        assert!(Functional::Serviceable.counts_as_functional());
        assert!(!Functional::Defective.counts_as_functional());
    }

    #[test]
    fn words_are_the_marketplace_words() {
        assert_eq!(
            ListingGrade::WORDS,
            [
                "PREMIUM",
                "EXCELLENT",
                "VERY_GOOD",
                "GOOD",
                "FAIR",
                "STALLONE"
            ]
        );
        assert_eq!(
            serde_json::to_string(&BuybackGrade::NotFunctionalCracked).expect("serializes"),
            "\"NOT_FUNCTIONAL_CRACKED\""
        );
        assert_eq!(
            Outcome::WORDS,
            ["sellable", "repair", "recycle", "hold", "blocked"]
        );
    }

    #[test]
    fn ctia_code_pairs_function_digit_with_looks_letter() {
        let code = CtiaCode::new(Functional::Defective, CosmeticLevel::Light);
        assert_eq!(code.to_string(), "2/B");
        assert_eq!(
            CtiaCode::new(Functional::Full, CosmeticLevel::Micro).to_string(),
            "0/A"
        );
        assert_eq!(
            CtiaCode::new(Functional::Locked, CosmeticLevel::Cracked).to_string(),
            "4/D"
        );
        let json = serde_json::to_value(code).expect("serializes");
        assert_eq!(json["functional"], 2);
        assert_eq!(json["cosmetic"], "B");
    }
}
