//! What a device is: its category and the identity a bench reads from it.

use serde::{Deserialize, Serialize};

use crate::lang::Lang;
use crate::word_enum;

word_enum! {
    /// The kind of device on the bench, as sent in `IDENT category=`.
    DeviceCategory, "device category" {
        Phone => "phone",
        Tablet => "tablet",
        Laptop => "laptop",
        Desktop => "desktop",
        Monitor => "monitor",
    }
}

impl DeviceCategory {
    /// Whether a device of this kind is incomplete without a battery.
    /// Desktops and monitors run from the mains, so a missing battery is
    /// their normal state rather than a defect.
    pub fn needs_battery(self) -> bool {
        match self {
            DeviceCategory::Phone | DeviceCategory::Tablet | DeviceCategory::Laptop => true,
            DeviceCategory::Desktop | DeviceCategory::Monitor => false,
        }
    }

    /// The category as it reads inside a sentence ("a phone").
    pub fn with_article(self) -> &'static str {
        self.with_article_in(Lang::En)
    }

    /// The category as it reads inside a sentence in `lang` ("un téléphone"):
    /// `device-category-<word>` in the catalogue.
    pub fn with_article_in(self, lang: Lang) -> &'static str {
        let id = match self {
            DeviceCategory::Phone => "device-category-phone",
            DeviceCategory::Tablet => "device-category-tablet",
            DeviceCategory::Laptop => "device-category-laptop",
            DeviceCategory::Desktop => "device-category-desktop",
            DeviceCategory::Monitor => "device-category-monitor",
        };
        lang.catalogue().word(id)
    }

    /// The category's noun alone in `lang`: "phone", "ordinateur portable".
    pub fn noun_in(self, lang: Lang) -> &'static str {
        let with_article = self.with_article_in(lang);
        with_article
            .split_once(' ')
            .map_or(with_article, |(_, noun)| noun)
    }
}

/// Who the device is: everything an `IDENT` reading reports, plus the
/// findings about it (such as an IMEI that fails its check digit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceIdentity {
    pub category: DeviceCategory,
    pub make: String,
    pub model: String,
    pub model_code: Option<String>,
    pub serial: Option<String>,
    pub imei: Option<String>,
    /// `None` when the device reported no IMEI, so "not checked" is never
    /// mistaken for "invalid".
    pub imei_valid: Option<bool>,
    pub imei2: Option<String>,
    pub storage_gb: Option<u32>,
    pub ram_gb: Option<u32>,
    pub color: Option<String>,
    pub os: Option<String>,
    pub os_version: Option<String>,
    /// Plain-English findings about the identity, e.g. an IMEI failing Luhn.
    #[serde(default)]
    pub reasons: Vec<String>,
}

impl DeviceIdentity {
    /// An identity with only the required fields set and nothing else known.
    pub fn new(
        category: DeviceCategory,
        make: impl Into<String>,
        model: impl Into<String>,
    ) -> Self {
        DeviceIdentity {
            category,
            make: make.into(),
            model: model.into(),
            model_code: None,
            serial: None,
            imei: None,
            imei_valid: None,
            imei2: None,
            storage_gb: None,
            ram_gb: None,
            color: None,
            os: None,
            os_version: None,
            reasons: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_words_round_trip_through_from_str_display_and_serde() {
        for (category, word) in DeviceCategory::ALL.iter().zip(DeviceCategory::WORDS) {
            assert_eq!(category.as_str(), *word);
            assert_eq!(category.to_string(), *word);
            assert_eq!(word.parse::<DeviceCategory>(), Ok(*category));
            let json = serde_json::to_string(category).expect("category serializes");
            assert_eq!(json, format!("\"{word}\""));
            let back: DeviceCategory = serde_json::from_str(&json).expect("category deserializes");
            assert_eq!(back, *category);
        }
    }

    #[test]
    fn unknown_category_word_is_rejected_with_the_accepted_words() {
        for bad in ["Phone", "watch", "", " phone"] {
            let error = bad.parse::<DeviceCategory>().expect_err(bad);
            assert_eq!(error.word, bad);
            let message = error.to_string();
            assert!(
                message.contains("phone, tablet, laptop, desktop, monitor"),
                "{message}"
            );
        }
    }

    #[test]
    fn category_nouns_drop_only_the_article() {
        assert_eq!(DeviceCategory::Phone.noun_in(Lang::En), "phone");
        assert_eq!(
            DeviceCategory::Laptop.noun_in(Lang::Fr),
            "ordinateur portable"
        );
        assert_eq!(DeviceCategory::Tablet.noun_in(Lang::Fr), "tablette");
        for category in DeviceCategory::ALL {
            assert_eq!(category.noun_in(Lang::En), category.as_str());
        }
    }

    #[test]
    fn only_mains_powered_categories_may_lack_a_battery() {
        let cases = [
            (DeviceCategory::Phone, true),
            (DeviceCategory::Tablet, true),
            (DeviceCategory::Laptop, true),
            (DeviceCategory::Desktop, false),
            (DeviceCategory::Monitor, false),
        ];
        for (category, needs) in cases {
            assert_eq!(category.needs_battery(), needs, "{category}");
        }
    }

    #[test]
    fn identity_serializes_with_snake_case_fields_and_defaults_reasons() {
        let identity = DeviceIdentity::new(DeviceCategory::Phone, "Apple", "iPhone 12");
        let json = serde_json::to_value(&identity).expect("identity serializes");
        assert_eq!(json["category"], "phone");
        assert!(json.get("model_code").is_some());
        let mut without_reasons = json.clone();
        without_reasons
            .as_object_mut()
            .expect("identity is a JSON object")
            .remove("reasons");
        let back: DeviceIdentity = serde_json::from_value(without_reasons).expect("deserializes");
        assert_eq!(back, identity);
    }
}
