//! What a grade is made of and what it says: the technician's checklist answers, the cosmetic
//! level of each zone, the outcome, the marketplace and trade-in grades, the CTIA-style code and
//! the reasons behind them. Plain words (the `word_enum!` macro) the grading engine decides with,
//! the store keeps and both doors show; the engine that decides lives in `refurbdesk-grading`.
//!
//! Each scale is declared best first, so the derived order reads "worse is greater".

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use refurbdesk_i18n::WordTable;
use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::word_enum;

word_enum! {
    #[derive(PartialOrd, Ord)]
    /// A technician's answer to a checklist item.
    Answer, "checklist answer" {
        /// The check succeeded.
        Pass => "pass",
        /// The check failed.
        Fail => "fail",
        /// The check does not apply to this device (no fingerprint reader…).
        Na => "na",
    }
}

word_enum! {
    #[derive(PartialOrd, Ord)]
    /// How worn a zone is, best first: the derived order reads "worse is
    /// greater", which the grade engine relies on.
    CosmeticLevel, "cosmetic level" {
        /// No mark at all.
        Flawless => "flawless",
        /// Micro-scratches, invisible at 20 cm.
        Micro => "micro",
        /// Light marks, invisible at 50 cm.
        Light => "light",
        /// Scratches or dents visible at a glance.
        Visible => "visible",
        /// Cracked glass or housing.
        Cracked => "cracked",
    }
}

impl CosmeticLevel {
    /// What the level means, as a noun phrase for sentences ("the screen
    /// has …"): "micro-scratches invisible at 20 cm".
    pub fn describe(self) -> &'static str {
        self.describe_in(Lang::En)
    }

    /// [`CosmeticLevel::describe`] in `lang` ("l'écran présente …"):
    /// `cosmetic-level-<word>` in the catalogue.
    pub fn describe_in(self, lang: Lang) -> &'static str {
        // In declaration order; a test checks each against its word.
        static WORDS: WordTable<5> = WordTable::new([
            "cosmetic-level-flawless",
            "cosmetic-level-micro",
            "cosmetic-level-light",
            "cosmetic-level-visible",
            "cosmetic-level-cracked",
        ]);
        WORDS.get(lang, self as usize)
    }
}

word_enum! {
    #[derive(PartialOrd, Ord)]
    /// A part of a device inspected on its own.
    Zone, "cosmetic zone" {
        Screen => "screen",
        Back => "back",
        Frame => "frame",
        Lid => "lid",
        Deck => "deck",
        Keyboard => "keyboard",
        Bottom => "bottom",
        Housing => "housing",
        Stand => "stand",
    }
}

impl Zone {
    /// The zone's message id in the catalogue: `zone-<word>`.
    fn message_id(self) -> &'static str {
        match self {
            Zone::Screen => "zone-screen",
            Zone::Back => "zone-back",
            Zone::Frame => "zone-frame",
            Zone::Lid => "zone-lid",
            Zone::Deck => "zone-deck",
            Zone::Keyboard => "zone-keyboard",
            Zone::Bottom => "zone-bottom",
            Zone::Housing => "zone-housing",
            Zone::Stand => "zone-stand",
        }
    }

    /// How a reason names the zone: "screen" in English, where the sentence
    /// brings the article ("marks on the screen and back"); "l'écran" in
    /// French, where each noun takes its own ("sur l'écran et le dos").
    pub fn name_in(self, lang: Lang) -> &'static str {
        // In declaration order; a test checks each against its word.
        static WORDS: WordTable<9> = WordTable::new([
            "zone-screen",
            "zone-back",
            "zone-frame",
            "zone-lid",
            "zone-deck",
            "zone-keyboard",
            "zone-bottom",
            "zone-housing",
            "zone-stand",
        ]);
        WORDS.get(lang, self as usize)
    }

    /// The zone as a table names it: "Screen" / "Écran".
    pub fn title_in(self, lang: Lang) -> String {
        let name = self.name_in(lang);
        let noun = ["l'", "le ", "la "]
            .iter()
            .find_map(|article| name.strip_prefix(article))
            .unwrap_or(name);
        let mut chars = noun.chars();
        chars
            .next()
            .map(|first| first.to_uppercase().chain(chars).collect())
            .unwrap_or_default()
    }

    /// The zone as an item still to inspect: "the screen zone" /
    /// "inspection de l'écran" (`zone-<word>.to-inspect`).
    pub fn to_inspect_in(self, lang: Lang) -> String {
        lang.catalogue()
            .word(&format!("{}.to-inspect", self.message_id()))
            .to_owned()
    }
}

word_enum! {
    #[derive(PartialOrd, Ord)]
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
    #[derive(PartialOrd, Ord)]
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
    #[derive(PartialOrd, Ord)]
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
    #[derive(PartialOrd, Ord)]
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
    #[derive(PartialOrd, Ord)]
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

/// A CTIA-style code that is not a digit from 0 to 4, a slash and a letter from A to D.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a CTIA-style code; write a digit from 0 to 4, a slash and a letter from A to D, e.g. 2/B")]
pub struct CtiaCodeError(pub String);

impl std::str::FromStr for CtiaCode {
    type Err = CtiaCodeError;

    /// Reads the code as it is written: `2/B`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || CtiaCodeError(text.to_owned());
        let (digit, letter) = text.split_once('/').ok_or_else(error)?;
        let functional: u8 = digit.parse().map_err(|_| error())?;
        if usize::from(functional) >= Functional::ALL.len() || digit.len() != 1 {
            return Err(error());
        }
        Ok(CtiaCode {
            functional,
            cosmetic: letter.parse().map_err(|_| error())?,
        })
    }
}

/// What a rule looked at: input name (`soh_pct`, `zone.back`, `failed`) to
/// its value as text. Names and fixed words are borrowed, not copied.
pub type Inputs = BTreeMap<Cow<'static, str>, Cow<'static, str>>;

/// Sentences by language tag (`"en"`, `"fr"`…) as they were told when something was recorded:
/// a language is a key, not a field, so a catalogue for one more language needs no new field.
pub type Texts = BTreeMap<String, String>;

/// One reason behind a grade: the rule that fired, the inputs it looked at,
/// and a sentence a customer could be shown, by language, as told from the
/// catalogue (or the policy's own sentences) when the grade was made. The
/// rule id is stable across languages.
///
/// Grades recorded before the sentences were keyed by language hold `text`
/// (English) and `text_fr`; they read back as `texts["en"]` and `texts["fr"]`.
/// A reason is always written in the new shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "StoredReason")]
pub struct Reason {
    pub rule: String,
    pub inputs: Inputs,
    /// The sentence by language tag: English (`en`) always; every other
    /// language the catalogue or the policy words it in.
    pub texts: Texts,
}

/// A reason as any build wrote it: `texts`, or the older `text` and `text_fr`.
#[derive(Deserialize)]
struct StoredReason {
    rule: String,
    #[serde(default)]
    inputs: Inputs,
    #[serde(default)]
    texts: Texts,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    text_fr: Option<String>,
}

impl From<StoredReason> for Reason {
    fn from(stored: StoredReason) -> Self {
        let mut texts = stored.texts;
        for (lang, text) in [(Lang::En, stored.text), (Lang::Fr, stored.text_fr)] {
            if let Some(text) = text {
                texts.entry(lang.as_str().to_owned()).or_insert(text);
            }
        }
        Reason {
            rule: stored.rule,
            inputs: stored.inputs,
            texts,
        }
    }
}

impl Reason {
    /// The sentence in `lang`, or the English one when there is none in `lang`.
    pub fn text_in(&self, lang: Lang) -> &str {
        self.texts
            .get(lang.as_str())
            .or_else(|| self.texts.get(Lang::En.as_str()))
            .map_or("", String::as_str)
    }

    /// The English sentence.
    pub fn text(&self) -> &str {
        self.text_in(Lang::En)
    }

    /// Whether the reason has a sentence of its own in `lang`.
    pub fn has(&self, lang: Lang) -> bool {
        self.texts.contains_key(lang.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_word_is_told_with_its_own_catalogue_word() {
        for lang in Lang::ALL {
            for level in CosmeticLevel::ALL {
                let id = format!("cosmetic-level-{}", level.as_str());
                assert_eq!(
                    level.describe_in(lang),
                    lang.catalogue().word(&id),
                    "{lang} {id}"
                );
            }
            for zone in Zone::ALL {
                assert_eq!(
                    zone.name_in(lang),
                    lang.catalogue().word(zone.message_id()),
                    "{lang}"
                );
            }
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
    fn zones_are_named_in_both_languages() {
        assert_eq!(Zone::Screen.name_in(Lang::Fr), "l'écran");
        assert_eq!(Zone::Screen.title_in(Lang::Fr), "Écran");
        assert_eq!(Zone::Deck.title_in(Lang::Fr), "Repose-poignets");
        assert_eq!(Zone::Back.title_in(Lang::En), "Back");
        assert_eq!(Zone::Back.to_inspect_in(Lang::Fr), "inspection du dos");
        assert_eq!(
            Zone::Screen.to_inspect_in(Lang::Fr),
            "inspection de l'écran"
        );
        assert_eq!(Zone::Screen.to_inspect_in(Lang::En), "the screen zone");
        for zone in Zone::ALL {
            assert!(
                !zone.title_in(Lang::Fr).starts_with(['l', 'L']) || *zone == Zone::Lid,
                "{zone}"
            );
        }
    }

    #[test]
    fn scales_order_worse_as_greater() {
        use CosmeticLevel::*;
        assert!(Flawless < Micro && Micro < Light && Light < Visible && Visible < Cracked);
        assert!(Outcome::Sellable < Outcome::Repair);
        assert!(Outcome::Repair < Outcome::Recycle);
        assert!(Outcome::Recycle < Outcome::Hold);
        assert!(Outcome::Hold < Outcome::Blocked);
        assert!(ListingGrade::Premium < ListingGrade::Stallone);
        assert!(BuybackGrade::FunctionalFlawless < BuybackGrade::NotFunctionalCracked);
        assert!(Functional::Serviceable.counts_as_functional());
        assert!(!Functional::Defective.counts_as_functional());
    }

    #[test]
    fn words_are_the_marketplace_words() {
        assert_eq!(
            CosmeticLevel::WORDS,
            ["flawless", "micro", "light", "visible", "cracked"]
        );
        for level in CosmeticLevel::ALL {
            assert_eq!(level.as_str().parse::<CosmeticLevel>(), Ok(*level));
            assert_eq!(
                serde_json::to_string(level).expect("serializes"),
                format!("\"{level}\"")
            );
        }
        let error = "scratched".parse::<CosmeticLevel>().expect_err("unknown");
        assert!(error
            .to_string()
            .contains("flawless, micro, light, visible, cracked"));
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
        assert_eq!(Answer::WORDS, ["pass", "fail", "na"]);
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

    #[test]
    fn a_ctia_code_reads_back_as_written() {
        for functional in Functional::ALL {
            for level in CosmeticLevel::ALL {
                let code = CtiaCode::new(*functional, *level);
                assert_eq!(code.to_string().parse::<CtiaCode>(), Ok(code));
            }
        }
        for bad in [
            "", "2", "2/", "/B", "5/A", "2/E", "02/B", "2/b", "2/BB", "-1/A",
        ] {
            assert!(bad.parse::<CtiaCode>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_reason_written_with_text_fr_reads_back_keyed_by_language() {
        let old = r#"{"inputs":{"failed":"wifi"},"rule":"functional.failed",
            "text":"Wi-Fi failed","text_fr":"Le Wi-Fi a échoué"}"#;
        let reason: Reason = serde_json::from_str(old).expect("reads");
        assert_eq!(reason.texts["en"], "Wi-Fi failed");
        assert_eq!(reason.texts["fr"], "Le Wi-Fi a échoué");
        assert_eq!(reason.text_in(Lang::Fr), "Le Wi-Fi a échoué");
        let english_only: Reason =
            serde_json::from_str(r#"{"inputs":{},"rule":"grade.good","text":"Good"}"#)
                .expect("reads");
        assert!(!english_only.has(Lang::Fr));
        assert_eq!(english_only.text_in(Lang::Fr), "Good");

        // Written in the new shape only, and read back the same.
        let json = serde_json::to_value(&reason).expect("writes");
        assert!(
            json.get("text_fr").is_none() && json.get("text").is_none(),
            "{json}"
        );
        assert_eq!(json["texts"]["fr"], "Le Wi-Fi a échoué");
        let again: Reason = serde_json::from_value(json).expect("reads");
        assert_eq!(again, reason);
    }
}
