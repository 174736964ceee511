//! Cosmetic inspection: the zones of each kind of device, the level of wear
//! found on each, and photos kept with their SHA-256.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use refurbdesk_domain::{DeviceCategory, Lang};
use refurbdesk_i18n::WordTable;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::words::word_enum;

word_enum! {
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

const PHONE_ZONES: &[Zone] = &[Zone::Screen, Zone::Back, Zone::Frame];
const LAPTOP_ZONES: &[Zone] = &[
    Zone::Lid,
    Zone::Deck,
    Zone::Keyboard,
    Zone::Screen,
    Zone::Bottom,
];
const DESKTOP_ZONES: &[Zone] = &[Zone::Housing];
const MONITOR_ZONES: &[Zone] = &[Zone::Screen, Zone::Housing, Zone::Stand];

/// The zones inspected on a device of this category, in inspection order.
pub fn zones_for(category: DeviceCategory) -> &'static [Zone] {
    match category {
        DeviceCategory::Phone | DeviceCategory::Tablet => PHONE_ZONES,
        DeviceCategory::Laptop => LAPTOP_ZONES,
        DeviceCategory::Desktop => DESKTOP_ZONES,
        DeviceCategory::Monitor => MONITOR_ZONES,
    }
}

/// A photo of a zone: where it is and what its bytes were when recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// The absolute path the photo was read from.
    pub path: String,
    /// SHA-256 of the file's bytes, 64 lowercase hex digits.
    pub sha256: String,
}

/// A photo that could not be read.
#[derive(Debug, Error)]
#[error("cannot read the photo {}: {source}; check the path and that the file is readable", path.display())]
pub struct PhotoError {
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl Photo {
    /// Reads the file at `path` and records its absolute path and SHA-256.
    pub fn from_file(path: &Path) -> Result<Photo, PhotoError> {
        let error = |source| PhotoError {
            path: path.to_owned(),
            source,
        };
        let absolute = std::fs::canonicalize(path).map_err(error)?;
        let mut file = File::open(&absolute).map_err(error)?;
        let mut hasher = Sha256::new();
        // Photos can be large: hash in pieces rather than reading them whole.
        let mut buffer = [0_u8; 64 * 1024];
        loop {
            let read = file.read(&mut buffer).map_err(error)?;
            if read == 0 {
                break;
            }
            hasher.update(&buffer[..read]);
        }
        Ok(Photo {
            path: absolute.to_string_lossy().into_owned(),
            sha256: hex::encode(hasher.finalize()),
        })
    }

    /// Whether the file at [`Photo::path`] still has the recorded bytes.
    pub fn still_matches(&self) -> Result<bool, PhotoError> {
        Ok(Photo::from_file(Path::new(&self.path))?.sha256 == self.sha256)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_level_and_zone_is_told_with_its_own_catalogue_word() {
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
    fn levels_order_from_best_to_worst() {
        use CosmeticLevel::*;
        assert!(Flawless < Micro && Micro < Light && Light < Visible && Visible < Cracked);
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
    }

    #[test]
    fn each_category_has_its_zones() {
        use Zone::*;
        let cases = [
            (DeviceCategory::Phone, vec![Screen, Back, Frame]),
            (DeviceCategory::Tablet, vec![Screen, Back, Frame]),
            (
                DeviceCategory::Laptop,
                vec![Lid, Deck, Keyboard, Screen, Bottom],
            ),
            (DeviceCategory::Desktop, vec![Housing]),
            (DeviceCategory::Monitor, vec![Screen, Housing, Stand]),
        ];
        for (category, zones) in cases {
            assert_eq!(zones_for(category), zones.as_slice(), "{category}");
        }
    }

    #[test]
    fn a_photo_is_kept_with_the_sha256_of_its_bytes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("screen.jpg");
        std::fs::write(&path, b"abc").expect("write photo");
        let photo = Photo::from_file(&path).expect("photo reads");
        // The SHA-256 test vector for "abc" (FIPS 180-2).
        assert_eq!(
            photo.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(Path::new(&photo.path).is_absolute());
        assert!(photo.still_matches().expect("rereads"));
        std::fs::write(&path, b"abd").expect("swap photo");
        assert!(!photo.still_matches().expect("rereads"));
    }

    #[test]
    fn a_missing_photo_names_its_path() {
        let error = Photo::from_file(Path::new("/no/such/dir/back.jpg")).expect_err("missing");
        assert!(
            error.to_string().contains("/no/such/dir/back.jpg"),
            "{error}"
        );
    }
}
