//! Stock labels: what a graded device is (make, model, storage, grade, battery), its IMEI and
//! serial as Code 128 barcodes and a QR code, as a one-page PDF for any printer or as ZPL for
//! Zebra thermal printers at 203 dpi. `docs/labels.md` describes both.
//!
//! - `code128.rs`: the barcode symbols, hand-written (a table and a check sum).
//! - `layout.rs`: where each line, bar and module goes, in printer dots.
//! - `pdf.rs` and `zpl.rs`: the two ways to print the one layout.
//!
//! No database here: the caller gathers the [`LabelFacts`] (from the store) and decides what
//! the QR code carries; this room only prints them.

mod code128;
mod layout;
mod pdf;
mod zpl;

use std::fmt;
use std::str::FromStr;

use refurbdesk_i18n::Lang;
use thiserror::Error;

pub use code128::{Code128, NotEncodable};
pub use layout::{Layout, DPI};

/// What a label says about one device.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelFacts {
    pub make: String,
    pub model: String,
    pub storage_gb: Option<u32>,
    /// `None`: the device has not been graded, and the label says so.
    pub grade: Option<LabelGrade>,
    /// The battery's state of health, in per cent.
    pub soh_pct: Option<f64>,
    pub imei: Option<String>,
    pub serial: Option<String>,
    /// What the QR code carries (a report's verification link, or an identifier).
    pub qr: String,
}

/// The device's latest grade, as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LabelGrade {
    /// The listing grade's code (`VERY_GOOD`).
    pub listing: String,
    /// The outcome's word (`sellable`, `repair`, `recycle`...).
    pub outcome: String,
    /// Whether the grade covers only part of the checklist.
    pub partial: bool,
}

/// A label's size in millimetres, written `WIDTHxHEIGHT` (`50x25`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LabelSize {
    pub width_mm: f32,
    pub height_mm: f32,
}

impl LabelSize {
    /// The common 50 × 25 mm stock label.
    pub const DEFAULT: LabelSize = LabelSize {
        width_mm: 50.0,
        height_mm: 25.0,
    };
    pub const WIDTH_MM: (f32, f32) = (25.0, 170.0);
    pub const HEIGHT_MM: (f32, f32) = (15.0, 300.0);
}

impl Default for LabelSize {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl FromStr for LabelSize {
    type Err = LabelError;

    fn from_str(text: &str) -> Result<Self, LabelError> {
        let bad = |reason: String| LabelError::BadSize {
            value: text.to_owned(),
            reason,
        };
        let (width, height) = text
            .trim()
            .split_once(['x', 'X', '×'])
            .ok_or_else(|| bad("write it WIDTHxHEIGHT in millimetres, e.g. 50x25".to_owned()))?;
        let number = |part: &str, what: &str| {
            part.trim()
                .parse::<f32>()
                .ok()
                .filter(|value| value.is_finite())
                .ok_or_else(|| {
                    bad(format!(
                        "the {what} {part:?} is not a number of millimetres"
                    ))
                })
        };
        let (width_mm, height_mm) = (number(width, "width")?, number(height, "height")?);
        for (value, (low, high), what) in [
            (width_mm, Self::WIDTH_MM, "width"),
            (height_mm, Self::HEIGHT_MM, "height"),
        ] {
            if !(low..=high).contains(&value) {
                return Err(bad(format!(
                    "a label's {what} is {low}–{high} mm, not {value} mm"
                )));
            }
        }
        Ok(Self {
            width_mm,
            height_mm,
        })
    }
}

impl fmt::Display for LabelSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.width_mm, self.height_mm)
    }
}

#[derive(Debug, Clone, PartialEq, Error)]
pub enum LabelError {
    #[error("the label size {value:?} cannot be used: {reason}")]
    BadSize { value: String, reason: String },
    #[error("a {width_mm}x{height_mm} mm label is too small for {what}; choose a larger size")]
    TooSmall {
        width_mm: f32,
        height_mm: f32,
        what: String,
    },
    #[error(transparent)]
    Barcode(NotEncodable),
}

/// The label's words and layout, shared by both outputs.
pub fn layout(facts: &LabelFacts, size: LabelSize, lang: Lang) -> Result<Layout, LabelError> {
    let words = Words(lang);
    let title = match facts.storage_gb {
        Some(gb) => format!(
            "{} {} · {}",
            facts.make,
            facts.model,
            words.tell("label-storage", &[("gb", &gb.to_string())])
        ),
        None => format!("{} {}", facts.make, facts.model),
    };
    let mut subtitle = words.grade(facts.grade.as_ref());
    if let Some(soh) = facts.soh_pct {
        // Whole per cent, never rounded up: 84.96 % is not printed as 85 %.
        let soh = lang.percent(&format!("{}", soh.floor() as i64));
        subtitle.push_str(" · ");
        subtitle.push_str(&words.tell("label-battery", &[("soh", &soh)]));
    }
    let mut barcodes = Vec::new();
    if let Some(imei) = facts.imei.as_deref().filter(|imei| !imei.is_empty()) {
        barcodes.push((imei, words.tell("label-imei", &[("imei", imei)])));
    }
    if let Some(serial) = facts.serial.as_deref().filter(|serial| !serial.is_empty()) {
        barcodes.push((serial, words.tell("label-serial", &[("serial", serial)])));
    }
    layout::layout(
        size.width_mm,
        size.height_mm,
        &layout::Content {
            title: &title,
            subtitle: &subtitle,
            barcodes,
            qr: &facts.qr,
        },
    )
}

/// The label as a one-page PDF of exactly `size`.
pub fn render_pdf(facts: &LabelFacts, size: LabelSize, lang: Lang) -> Result<Vec<u8>, LabelError> {
    let layout = layout(facts, size, lang)?;
    let title = format!("{} {}", facts.make, facts.model);
    Ok(pdf::write(&layout, size, &title))
}

/// The label as ZPL II for a 203 dpi Zebra printer: one `^XA … ^XZ` format.
pub fn render_zpl(facts: &LabelFacts, size: LabelSize, lang: Lang) -> Result<String, LabelError> {
    Ok(zpl::write(&layout(facts, size, lang)?))
}

/// Words from the catalogue (`assets/locales/<lang>/label.ftl` and the grades' words).
struct Words(Lang);

impl Words {
    fn tell(&self, id: &str, args: &[(&str, &str)]) -> String {
        self.0.catalogue().tell(id, args)
    }

    /// "Very good"; the outcome instead of a sale grade for a device not to be sold as
    /// it is; "Not graded" before any grade.
    fn grade(&self, grade: Option<&LabelGrade>) -> String {
        let Some(grade) = grade else {
            return self.tell("label-not-graded", &[]);
        };
        let catalogue = self.0.catalogue();
        if grade.outcome != "sellable" {
            let id = format!("label-outcome-{}", grade.outcome.replace('_', "-"));
            return if catalogue.has(&id) {
                self.tell(&id, &[])
            } else {
                grade.outcome.clone()
            };
        }
        let id = format!(
            "listing-grade-{}",
            grade.listing.to_ascii_lowercase().replace('_', "-")
        );
        let word = if catalogue.has(&id) {
            self.tell(&id, &[])
        } else {
            grade.listing.clone()
        };
        let id = if grade.partial {
            "label-grade-partial"
        } else {
            "label-grade"
        };
        self.tell(id, &[("grade", &word)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn phone() -> LabelFacts {
        LabelFacts {
            make: "Apple".into(),
            model: "iPhone 12".into(),
            storage_gb: Some(128),
            grade: Some(LabelGrade {
                listing: "VERY_GOOD".into(),
                outcome: "sellable".into(),
                partial: false,
            }),
            soh_pct: Some(86.96),
            imei: Some("356728114587211".into()),
            serial: Some("F17XK2ABCDEF".into()),
            qr: "356728114587211".into(),
        }
    }

    #[test]
    fn sizes_are_width_x_height_in_millimetres_within_bounds() {
        assert_eq!(
            "50x25".parse::<LabelSize>().unwrap(),
            LabelSize {
                width_mm: 50.0,
                height_mm: 25.0
            }
        );
        assert_eq!(
            "101.6X50.8".parse::<LabelSize>().unwrap().to_string(),
            "101.6x50.8"
        );
        for bad in [
            "50", "50x", "x25", "fiftyx25", "10x25", "50x400", "NaNx25", "-50x25",
        ] {
            let error = bad.parse::<LabelSize>().unwrap_err();
            assert!(
                error.to_string().contains(&format!("{bad:?}")),
                "{bad}: {error}"
            );
        }
    }

    #[test]
    fn the_words_follow_the_language_and_the_grade() {
        let facts = phone();
        let en = layout(&facts, LabelSize::DEFAULT, Lang::En).unwrap();
        let texts: Vec<&str> = en.texts.iter().map(|text| text.text.as_str()).collect();
        assert_eq!(texts[0], "Apple iPhone 12 · 128 GB");
        assert_eq!(texts[1], "Very good · Battery 86%");
        assert_eq!(texts[2], "IMEI 356728114587211");
        assert_eq!(texts[3], "S/N F17XK2ABCDEF");
        let fr = layout(&facts, LabelSize::DEFAULT, Lang::Fr).unwrap();
        assert_eq!(fr.texts[0].text, "Apple iPhone 12 · 128 Go");
        assert!(
            fr.texts[1].text.contains("Très bon état"),
            "{}",
            fr.texts[1].text
        );
        assert!(
            fr.texts[1].text.contains("Batterie 86"),
            "{}",
            fr.texts[1].text
        );
        // On the smallest usual label, nothing had to be shortened.
        for text in en.texts.iter().chain(&fr.texts) {
            assert!(!text.text.ends_with("..."), "{}", text.text);
        }

        let ungraded = LabelFacts {
            grade: None,
            ..phone()
        };
        let layout_en = layout(&ungraded, LabelSize::DEFAULT, Lang::En).unwrap();
        assert!(layout_en.texts[1].text.starts_with("Not graded"));
        let recycled = LabelFacts {
            grade: Some(LabelGrade {
                listing: "FAIR".into(),
                outcome: "recycle".into(),
                partial: false,
            }),
            ..phone()
        };
        let layout_en = layout(&recycled, LabelSize::DEFAULT, Lang::En).unwrap();
        assert!(layout_en.texts[1].text.starts_with("Recycle"));
    }
}
