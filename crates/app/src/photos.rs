//! Optional photos of a device's cosmetic zones: added from a file (the terminal) or from the
//! bytes the window read, checked to be a PNG or JPEG by their first bytes and at most 10 MiB,
//! kept in the station's database with their SHA-256 (audited), listed with the device, and read
//! back for the window's thumbnails.

use std::fs;
use std::io::{ErrorKind, Read};
use std::path::PathBuf;

use base64::Engine;
use refurbdesk_domain::Zone;
use refurbdesk_grading::zones_for;
use refurbdesk_store::{NewPhoto, PHOTO_MAX_BYTES};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, ErrorCode, Hint, RecordKind, Result};
use crate::grade::find_device;
use crate::workstation::Workstation;

/// A recorded photo (without its bytes).
pub use refurbdesk_store::PhotoRecord;

/// The most bytes a photo may have: 10 MiB.
pub const MAX_BYTES: usize = PHOTO_MAX_BYTES;

/// Where a photo's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "from", rename_all = "snake_case")]
#[ts(export)]
pub enum PhotoSource {
    /// A file on this machine.
    File {
        #[ts(type = "string")]
        path: PathBuf,
    },
    /// Bytes already read (the window's file input), base64-encoded, with the file's name.
    Bytes { name: String, base64: String },
}

/// A photo of one zone of a device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AddPhotoParams {
    /// An IMEI, a serial, an intake id or a device id.
    pub device: String,
    /// The zone's word: `screen`, `back`, `frame` for a phone…
    pub zone: String,
    pub photo: PhotoSource,
}

/// Records a photo of a zone of a device (someone who may grade). The zone must be one of the
/// device's category; the bytes must be a PNG or a JPEG of at most 10 MiB.
pub fn add(ws: &mut Workstation, params: AddPhotoParams) -> Result<PhotoRecord> {
    let actor = ws.actor()?;
    let device = find_device(&ws.store, &params.device)?;
    let zones = zones_for(device.category);
    let zone = params
        .zone
        .trim()
        .parse::<Zone>()
        .ok()
        .filter(|zone| zones.contains(zone))
        .ok_or_else(|| {
            let words: Vec<&str> = zones.iter().map(|zone| zone.as_str()).collect();
            Error::usage(format!(
                "{:?} is not a zone of the {} {} ({}); its zones are {}",
                params.zone,
                device.make,
                device.model,
                device.category.as_str(),
                words.join(", ")
            ))
        })?;
    let (name, bytes) = read_source(&params.photo)?;
    let media_type = media_type(&name, &bytes)?;
    let file_name = std::path::Path::new(&name)
        .file_name()
        .map(|base| base.to_string_lossy().into_owned())
        .unwrap_or(name);
    Ok(ws.store.record_photo(
        &NewPhoto {
            device_id: device.id,
            zone: zone.as_str().to_owned(),
            file_name,
            media_type: media_type.to_owned(),
            bytes,
        },
        &actor,
    )?)
}

/// Whose photos to list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PhotoListParams {
    /// An IMEI, a serial, an intake id or a device id.
    pub device: String,
}

/// A device's photos, in the order they were taken.
pub fn list(ws: &Workstation, params: &PhotoListParams) -> Result<Vec<PhotoRecord>> {
    let device = find_device(&ws.store, &params.device)?;
    Ok(ws.store.photos(device.id)?)
}

/// Which photo to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PhotoReadParams {
    pub id: Uuid,
}

/// A photo with its bytes, as a `data:` URL the window shows as an image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PhotoData {
    pub photo: PhotoRecord,
    pub data_url: String,
}

/// A photo's bytes, checked against the SHA-256 recorded with them.
pub fn read(ws: &Workstation, params: &PhotoReadParams) -> Result<PhotoData> {
    let (photo, bytes) = ws.store.photo_bytes(params.id)?.ok_or_else(|| {
        Error::not_found(format!(
            "there is no photo {} in {}",
            params.id,
            ws.paths.database.display()
        ))
        .with_hint(Hint::ListRecords {
            what: RecordKind::Devices,
        })
    })?;
    if crate::documents::sha256_hex(&bytes) != photo.sha256 {
        return Err(Error::data(format!(
            "photo {} ({}) is not the photo recorded: its SHA-256 differs",
            photo.id, photo.file_name
        ))
        .with_hint(Hint::CheckDatabase));
    }
    let data_url = format!(
        "data:{};base64,{}",
        photo.media_type,
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    );
    Ok(PhotoData { photo, data_url })
}

/// The photo's name and bytes, refused when larger than the limit.
fn read_source(source: &PhotoSource) -> Result<(String, Vec<u8>)> {
    match source {
        PhotoSource::File { path } => {
            let name = path.display().to_string();
            let cannot = |error: std::io::Error| {
                let code = if error.kind() == ErrorKind::NotFound {
                    ErrorCode::NotFound
                } else {
                    ErrorCode::Data
                };
                Error::new(code, format!("cannot read the photo {name}: {error}"))
            };
            let file = fs::File::open(path).map_err(cannot)?;
            let mut bytes = Vec::new();
            // One byte past the limit is enough to know it is too large.
            file.take(MAX_BYTES as u64 + 1)
                .read_to_end(&mut bytes)
                .map_err(cannot)?;
            too_large(&name, bytes.len())?;
            Ok((name, bytes))
        }
        PhotoSource::Bytes { name, base64 } => {
            // Base64 takes 4 characters for 3 bytes: refuse before decoding a huge text.
            too_large(name, base64.len() / 4 * 3)?;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(base64.trim())
                .map_err(|error| {
                    Error::data(format!(
                        "the bytes sent for the photo {name} are not base64: {error}"
                    ))
                })?;
            too_large(name, bytes.len())?;
            Ok((name.clone(), bytes))
        }
    }
}

fn too_large(name: &str, size: usize) -> Result<()> {
    if size > MAX_BYTES {
        return Err(Error::usage(format!(
            "the photo {name} is larger than {} MiB; export it smaller (a JPEG of a few \
             megapixels shows a zone well)",
            MAX_BYTES / (1024 * 1024)
        )));
    }
    Ok(())
}

/// `image/png` or `image/jpeg`, as the file's first bytes say, whatever its name.
fn media_type(name: &str, bytes: &[u8]) -> Result<&'static str> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    const JPEG: &[u8] = b"\xff\xd8\xff";
    if bytes.is_empty() {
        return Err(Error::usage(format!("the photo {name} is empty")));
    }
    if bytes.starts_with(PNG) {
        Ok("image/png")
    } else if bytes.starts_with(JPEG) {
        Ok("image/jpeg")
    } else {
        Err(Error::usage(format!(
            "{name} is not a PNG or JPEG photo (its first bytes are neither's); save or export \
             it as PNG or JPEG"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_bytes_decide_the_type_not_the_name() {
        assert_eq!(
            media_type("a.jpg", b"\x89PNG\r\n\x1a\nrest").unwrap(),
            "image/png"
        );
        assert_eq!(
            media_type("a.png", b"\xff\xd8\xff\xe0rest").unwrap(),
            "image/jpeg"
        );
        let error = media_type("notes.png", b"GIF89a").unwrap_err();
        assert_eq!(error.code, ErrorCode::Usage);
        assert!(error.message.contains("notes.png"), "{}", error.message);
        assert!(media_type("empty.png", b"")
            .unwrap_err()
            .message
            .contains("empty"));
    }
}
