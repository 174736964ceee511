//! Cosmetic inspection: the zones of each kind of device, the level of wear
//! found on each, and photos kept with their SHA-256.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use refurbdesk_domain::DeviceCategory;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

pub use refurbdesk_domain::{CosmeticLevel, Zone};

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
