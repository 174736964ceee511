//! The QR code a document carries, and reading it back.
//!
//! Without a verification URL the code holds plain text a phone shows as it is, in codes rather
//! than words of a language:
//!
//! ```text
//! REFURBDESK erasure_certificate
//! id=0192f3c4-…
//! digest=3f2a9c0d1e7b5a64
//! ```
//!
//! [`decode`] finds the code in a PDF (its embedded image, one pixel per module) or in a PNG
//! (a scan or a photo of a page), and [`QrReference::parse`] reads the document id and signature
//! digest from that text, from the older `refurbdesk:verify?id=…&sig=…` link, or from a
//! verification URL.

use std::fmt;

use uuid::Uuid;

use crate::document::Document;
use crate::signed::SignedDocument;

/// The first word of the plain-text payload.
pub const OFFLINE_PREFIX: &str = "REFURBDESK";

/// The plain text a QR code carries when no verification URL is set.
pub fn offline_payload(document: &Document, signed: &SignedDocument) -> String {
    format!(
        "{OFFLINE_PREFIX} {}\nid={}\ndigest={}",
        document.kind(),
        document.id,
        signed.signature_digest()
    )
}

/// What a QR code names: a document and, when it says, its signature digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrReference {
    pub id: Uuid,
    /// The first 16 hex digits of the SHA-256 of the signature (see
    /// [`SignedDocument::signature_digest`]) when the code names it as `digest=`, `sig=` or
    /// `d=`; `None` otherwise (a URL template may hold it elsewhere, or not at all).
    pub digest: Option<String>,
    /// The kind, when the code says (the plain-text payload does).
    pub kind: Option<String>,
}

impl QrReference {
    /// Reads the reference from a QR code's text; `None` if it names no document.
    pub fn parse(text: &str) -> Option<QrReference> {
        let id = find_uuid(text)?;
        let kind = text
            .strip_prefix(OFFLINE_PREFIX)
            .and_then(|rest| rest.lines().next())
            .map(|kind| kind.trim().to_owned())
            .filter(|kind| !kind.is_empty());
        // `digest=` (plain text), `sig=` (the older link) or a URL's `digest=`/`d=` parameter.
        let digest = text
            .split(['&', '?', '\n', '#', ';'])
            .filter_map(|part| part.trim().split_once('='))
            .filter(|(key, _)| matches!(*key, "digest" | "sig" | "d"))
            .map(|(_, value)| value.trim())
            .find(|value| value.len() == 16 && value.chars().all(|c| c.is_ascii_hexdigit()))
            .map(str::to_ascii_lowercase);
        Some(QrReference { id, digest, kind })
    }
}

fn find_uuid(text: &str) -> Option<Uuid> {
    let bytes = text.as_bytes();
    (0..bytes.len().saturating_sub(35)).find_map(|start| {
        let candidate = text.get(start..start + 36)?;
        let shaped = candidate.char_indices().all(|(index, c)| match index {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
        shaped.then(|| Uuid::parse_str(candidate).ok()).flatten()
    })
}

/// Why no QR code could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrError {
    /// Neither a PDF nor a PNG image.
    NotAnImage,
    /// A PDF or an image that could not be read.
    Unreadable(String),
    /// Read, but no QR code was found in it.
    NoCode,
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QrError::NotAnImage => f.write_str("the file is neither a PDF nor a PNG image"),
            QrError::Unreadable(why) => write!(f, "the file cannot be read: {why}"),
            QrError::NoCode => f.write_str("no QR code was found in the file"),
        }
    }
}

impl std::error::Error for QrError {}

/// A grey image, one byte per pixel, row by row (0 black, 255 white).
struct Grey {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

/// The texts of every QR code found in a PDF (its embedded images) or a PNG image.
pub fn decode(bytes: &[u8]) -> Result<Vec<String>, QrError> {
    let images = if bytes.starts_with(b"%PDF") {
        pdf_images(bytes)?
    } else if bytes.starts_with(b"\x89PNG") {
        // A page scanned at 600 dpi is some 35 million pixels.
        let logo =
            crate::sheet::Logo::decode_png(bytes, 40_000_000).map_err(QrError::Unreadable)?;
        vec![Grey {
            width: logo.width,
            height: logo.height,
            pixels: logo
                .rgb
                .chunks_exact(3)
                .map(|p| ((u16::from(p[0]) * 3 + u16::from(p[1]) * 6 + u16::from(p[2])) / 10) as u8)
                .collect(),
        }]
    } else {
        return Err(QrError::NotAnImage);
    };
    let texts: Vec<String> = images.iter().flat_map(read_codes).collect();
    if texts.is_empty() {
        Err(QrError::NoCode)
    } else {
        Ok(texts)
    }
}

fn read_codes(image: &Grey) -> Vec<String> {
    // A PDF's QR image has one pixel per module: the detector wants a few per module.
    let scale = if image.width.max(image.height) < 200 {
        8
    } else {
        1
    };
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        image.width * scale,
        image.height * scale,
        |x, y| image.pixels[(y / scale) * image.width + x / scale],
    );
    prepared
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

/// The 8-bit grey and RGB images a PDF embeds.
fn pdf_images(bytes: &[u8]) -> Result<Vec<Grey>, QrError> {
    let doc = lopdf::Document::load_mem(bytes).map_err(|e| QrError::Unreadable(e.to_string()))?;
    let mut images = Vec::new();
    for object in doc.objects.values() {
        let lopdf::Object::Stream(stream) = object else {
            continue;
        };
        let dict = &stream.dict;
        let is_image = dict
            .get(b"Subtype")
            .and_then(|subtype| subtype.as_name())
            .is_ok_and(|name| name == b"Image");
        let number = |key: &[u8]| {
            dict.get(key)
                .and_then(|value| value.as_i64())
                .ok()
                .and_then(|value| usize::try_from(value).ok())
        };
        let (Some(width), Some(height)) = (number(b"Width"), number(b"Height")) else {
            continue;
        };
        if !is_image || number(b"BitsPerComponent") != Some(8) || width * height > 25_000_000 {
            continue;
        }
        let Ok(data) = stream
            .decompressed_content()
            .or_else(|_| Ok::<_, lopdf::Error>(stream.content.clone()))
        else {
            continue;
        };
        let pixels = if data.len() == width * height {
            data
        } else if data.len() == width * height * 3 {
            data.chunks_exact(3)
                .map(|p| ((u16::from(p[0]) * 3 + u16::from(p[1]) * 6 + u16::from(p[2])) / 10) as u8)
                .collect()
        } else {
            continue;
        };
        images.push(Grey {
            width,
            height,
            pixels,
        });
    }
    Ok(images)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_of_payload_names_its_document() {
        let id = "0192f3c4-5d6e-7f80-9a1b-2c3d4e5f6a7b";
        let plain = format!("REFURBDESK erasure_certificate\nid={id}\ndigest=3F2A9C0D1E7B5A64");
        let reference = QrReference::parse(&plain).unwrap();
        assert_eq!(reference.id.to_string(), id);
        assert_eq!(reference.digest.as_deref(), Some("3f2a9c0d1e7b5a64"));
        assert_eq!(reference.kind.as_deref(), Some("erasure_certificate"));
        let link = format!("refurbdesk:verify?id={id}&sig=3f2a9c0d1e7b5a64");
        assert_eq!(
            QrReference::parse(&link).unwrap().digest.as_deref(),
            Some("3f2a9c0d1e7b5a64")
        );
        let url = format!("https://verify.example.fr/c/{id}?d=3f2a9c0d1e7b5a64");
        assert_eq!(
            QrReference::parse(&url).unwrap().digest.as_deref(),
            Some("3f2a9c0d1e7b5a64")
        );
        let bare = format!("https://verify.example.fr/c/{id}");
        assert_eq!(QrReference::parse(&bare).unwrap().digest, None);
        assert_eq!(QrReference::parse("hello"), None);
    }
}
