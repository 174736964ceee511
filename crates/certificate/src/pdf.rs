//! The PDF file: the laid-out pages, the signed JSON embedded as an attachment, and a seal that
//! signs the file's bytes.
//!
//! The seal works the way PDF digital signatures do: a dictionary holds a `/ByteRange` and a
//! `/Contents` placeholder; the file is written once, the placeholder's position fixes the byte
//! ranges, and the Ed25519 signature of every byte outside the placeholder is written into it
//! (same length, so no offset moves). Changing any byte of the file, including the visible text,
//! breaks the seal; appending an update does too, since the ranges must end at the file's end.
//!
//! With an X.509 signer the file also carries a standard PDF signature (`pades.rs`), made last:
//! the seal then leaves out that signature's `/Contents` too (six numbers in its `/ByteRange`),
//! and that signature covers everything else, the seal included.

// writing and sealing are called only when printing; without the `print` feature
// (the WebAssembly verifier) only the readers are.
#![cfg_attr(not(feature = "print"), allow(dead_code, unused_imports))]

#[cfg(feature = "print")]
use std::io::Write;

#[cfg(feature = "print")]
use flate2::write::ZlibEncoder;
#[cfg(feature = "print")]
use flate2::Compression;
use lopdf::{Dictionary, Object};
#[cfg(feature = "print")]
use lopdf::{Stream, StringFormat};
#[cfg(feature = "print")]
use printpdf::{OffsetDateTime, PdfSaveOptions};
#[cfg(feature = "print")]
use thiserror::Error;

#[cfg(feature = "print")]
use crate::keys::Signer;
#[cfg(feature = "print")]
use crate::layout::{layout, Sheet};
use crate::pades;
#[cfg(feature = "print")]
use crate::pades::PdfSigner;
#[cfg(feature = "print")]
use crate::signed::SignedDocument;

/// The most the embedded data may inflate to: a decompression bomb stops here, while a
/// 10,000-device batch report's signed JSON (about 14 MB) fits.
const MAX_EMBEDDED_BYTES: usize = 64 << 20;

/// The attachment's file name inside every PDF.
pub const EMBEDDED_NAME: &str = "refurbdesk-document.json";
/// The seal dictionary's `/Type`.
pub const SEAL_TYPE: &str = "RefurbdeskSeal";
/// The seal dictionary's `/Filter`: who can check it, and how.
pub const SEAL_FILTER: &str = "Refurbdesk.Ed25519.ByteRange";
const RANGE_PLACEHOLDER: i64 = 9_999_999_999;
const SIGNATURE_LEN: usize = 64;
/// Prefixed to the digest the seal signs, so a seal signature can never be taken for a signature
/// of document data (which is JSON and cannot start with these bytes).
const SEAL_LABEL: &[u8] = b"refurbdesk-pdf-seal/1 sha256:";
/// zlib-rs's fast strategy: within a few per cent of level 6 on these streams, at well under
/// half the time (docs/performance.md, Certificates).
const DEFLATE_LEVEL: u32 = 2;
/// Above this many bytes of streams (a certificate has about 150 KB), streams are deflated at
/// [`LARGE_DEFLATE_LEVEL`]: a 10,000-device batch report's 30 MB shrink by a fifth more
/// (docs/performance.md, Batch report).
const LARGE_DOCUMENT_BYTES: usize = 4 << 20;
const LARGE_DEFLATE_LEVEL: u32 = 6;

#[cfg(feature = "print")]
#[derive(Debug, Error)]
pub enum PdfError {
    #[error("the PDF could not be assembled: {0}")]
    Assemble(String),
}

#[cfg(feature = "print")]
/// What the PDF's document information says.
pub struct PdfMeta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub document_id: &'a str,
    pub issued_at_unix: i64,
}

#[cfg(feature = "print")]
/// Lays out, embeds, writes and seals one document.
pub fn write_pdf(
    sheet: &Sheet,
    meta: &PdfMeta<'_>,
    signed: &SignedDocument,
    signer: &Signer,
    pdf_signer: Option<&PdfSigner>,
) -> Result<Vec<u8>, PdfError> {
    let mut pdf = layout(sheet, meta.title);
    let info = &mut pdf.metadata.info;
    info.document_title = meta.title.to_owned();
    info.author = meta.author.to_owned();
    info.subject = meta.subject.to_owned();
    info.identifier = meta.document_id.to_owned();
    info.creator = format!("Refurbdesk {}", env!("CARGO_PKG_VERSION"));
    info.producer = info.creator.clone();
    let issued = OffsetDateTime::from_unix_timestamp(meta.issued_at_unix)
        .map_err(|error| PdfError::Assemble(error.to_owned()))?;
    info.creation_date = issued;
    info.modification_date = issued;
    info.metadata_date = issued;

    // printpdf's own pass compresses at the slowest level; streams are deflated below instead.
    let options = PdfSaveOptions {
        optimize: false,
        ..PdfSaveOptions::default()
    };
    let mut doc = pdf.to_lopdf_document(&options, &mut Vec::new());
    doc.version = "1.7".to_owned();

    let json = signed.to_json();
    let mut params = Dictionary::new();
    params.set("Size", json.len() as i64);
    let mut file_dict = Dictionary::new();
    file_dict.set("Type", Object::Name(b"EmbeddedFile".to_vec()));
    file_dict.set("Subtype", Object::Name(b"application/json".to_vec()));
    file_dict.set("Params", params);
    let file_id = doc.add_object(Stream::new(file_dict, json));
    let mut ef = Dictionary::new();
    ef.set("F", file_id);
    let mut filespec = Dictionary::new();
    filespec.set("Type", Object::Name(b"Filespec".to_vec()));
    filespec.set("F", Object::string_literal(EMBEDDED_NAME));
    filespec.set("UF", Object::string_literal(EMBEDDED_NAME));
    filespec.set("EF", ef);
    filespec.set(
        "Desc",
        Object::string_literal("Signed document data (RFC 8785 JSON, Ed25519)"),
    );
    filespec.set("AFRelationship", Object::Name(b"Data".to_vec()));
    let filespec_id = doc.add_object(filespec);

    let mut seal = Dictionary::new();
    seal.set("Type", Object::Name(SEAL_TYPE.as_bytes().to_vec()));
    seal.set("Filter", Object::Name(SEAL_FILTER.as_bytes().to_vec()));
    seal.set("KeyId", Object::string_literal(signer.key_id()));
    seal.set("DocumentId", Object::string_literal(meta.document_id));
    let range_len = if pdf_signer.is_some() { 6 } else { 4 };
    let mut range = vec![Object::Integer(RANGE_PLACEHOLDER); range_len];
    range[0] = Object::Integer(0);
    seal.set("ByteRange", range);
    seal.set(
        "Contents",
        Object::String(vec![0; SIGNATURE_LEN], StringFormat::Hexadecimal),
    );
    let seal_id = doc.add_object(seal);

    let mut embedded = Dictionary::new();
    embedded.set(
        "Names",
        vec![
            Object::string_literal(EMBEDDED_NAME),
            Object::Reference(filespec_id),
        ],
    );
    let mut names = Dictionary::new();
    names.set("EmbeddedFiles", embedded);
    let catalog = doc
        .catalog_mut()
        .map_err(|error| PdfError::Assemble(error.to_string()))?;
    catalog.set("Names", names);
    catalog.set("AF", vec![Object::Reference(filespec_id)]);
    catalog.set(SEAL_TYPE, Object::Reference(seal_id));
    // Viewers open the attachments pane, where the signed data is.
    catalog.set("PageMode", Object::Name(b"UseAttachments".to_vec()));
    if let Some(pdf_signer) = pdf_signer {
        let signed_at =
            chrono::DateTime::from_timestamp(meta.issued_at_unix, 0).unwrap_or_default();
        pades::add_field(&mut doc, pdf_signer, signed_at).map_err(PdfError::Assemble)?;
    }

    // A long document (a batch report of hundreds of pages) is worth zlib's default level:
    // about a fifth smaller for a few tenths of a second, where a certificate keeps the fast one.
    let stream_bytes: usize = doc
        .objects
        .values()
        .map(|object| match object {
            Object::Stream(stream) => stream.content.len(),
            _ => 0,
        })
        .sum();
    let level = if stream_bytes > LARGE_DOCUMENT_BYTES {
        LARGE_DEFLATE_LEVEL
    } else {
        DEFLATE_LEVEL
    };
    for object in doc.objects.values_mut() {
        if let Object::Stream(stream) = object {
            deflate(stream, level).map_err(|error| PdfError::Assemble(error.to_string()))?;
        }
    }

    let mut bytes = Vec::new();
    doc.save_to(&mut bytes)
        .map_err(|error| PdfError::Assemble(error.to_string()))?;
    let pdf_signature = match pdf_signer {
        Some(_) => Some(pades::reserve(&mut bytes).map_err(PdfError::Assemble)?),
        None => None,
    };
    seal_bytes(&mut bytes, signer, pdf_signature)?;
    if let (Some(pdf_signer), Some(contents)) = (pdf_signer, pdf_signature) {
        pades::sign(&mut bytes, contents, pdf_signer)
            .map_err(|error| PdfError::Assemble(error.to_string()))?;
    }
    Ok(bytes)
}

#[cfg(feature = "print")]
fn deflate(stream: &mut Stream, level: u32) -> std::io::Result<()> {
    if stream.dict.get(b"Filter").is_ok() || stream.content.len() < 64 {
        return Ok(());
    }
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::new(level));
    encoder.write_all(&stream.content)?;
    let compressed = encoder.finish()?;
    if compressed.len() < stream.content.len() {
        stream
            .dict
            .set("Filter", Object::Name(b"FlateDecode".to_vec()));
        stream.set_content(compressed);
    }
    Ok(())
}

/// Where the seal's pieces sit in a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SealSpan {
    /// The `[...]` of `/ByteRange`, brackets included.
    pub range_start: usize,
    pub range_end: usize,
    /// The `<...>` of `/Contents`, angle brackets included.
    pub contents_start: usize,
    pub contents_end: usize,
    /// The PDF signature's `/Contents`, which the seal leaves out too (it is made after).
    pub pdf_signature: Option<(usize, usize)>,
}

pub(crate) fn find_unique(haystack: &[u8], needle: &[u8]) -> Result<usize, usize> {
    let mut found = memchr::memmem::find_iter(haystack, needle);
    match (found.next(), found.next()) {
        (Some(index), None) => Ok(index),
        (None, _) => Err(0),
        (Some(_), Some(_)) => Err(2),
    }
}

#[cfg(feature = "print")]
fn seal_bytes(
    bytes: &mut [u8],
    signer: &Signer,
    pdf_signature: Option<(usize, usize)>,
) -> Result<(), PdfError> {
    let placeholder = match pdf_signature {
        None => format!("[0 {RANGE_PLACEHOLDER} {RANGE_PLACEHOLDER} {RANGE_PLACEHOLDER}]"),
        Some(_) => format!("[0{}]", format!(" {RANGE_PLACEHOLDER}").repeat(5)),
    };
    let range_start = find_unique(bytes, placeholder.as_bytes())
        .map_err(|_| PdfError::Assemble("the seal's byte range placeholder is missing".into()))?;
    let range_end = range_start + placeholder.len();
    let contents = format!("<{}>", "00".repeat(SIGNATURE_LEN));
    let contents_start = find_unique(bytes, contents.as_bytes())
        .map_err(|_| PdfError::Assemble("the seal's signature placeholder is missing".into()))?;
    let contents_end = contents_start + contents.len();
    let span = SealSpan {
        range_start,
        range_end,
        contents_start,
        contents_end,
        pdf_signature,
    };
    let mut holes = vec![(contents_start, contents_end)];
    holes.extend(pdf_signature);
    holes.sort_unstable();
    let ranges = byte_range(&holes, bytes.len());
    // Same width as the placeholder: pad inside the brackets, as PDF signers do.
    let padded = format!(
        "{}{}]",
        &ranges[..ranges.len() - 1],
        " ".repeat(placeholder.len() - ranges.len())
    );
    bytes[range_start..range_end].copy_from_slice(padded.as_bytes());
    let signature = signer.sign(&sealed_message(bytes, &span));
    let hex = hex::encode(signature);
    bytes[contents_start + 1..contents_end - 1].copy_from_slice(hex.as_bytes());
    Ok(())
}

/// What the seal signs: a label and the SHA-256 of every byte of the file but the signature's
/// placeholder. Hashing once and signing the digest spares Ed25519's two passes over the file.
pub(crate) fn sealed_message(bytes: &[u8], span: &SealSpan) -> Vec<u8> {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    let mut holes = vec![(span.contents_start, span.contents_end)];
    holes.extend(span.pdf_signature);
    holes.sort_unstable();
    let mut at = 0;
    for (start, end) in holes {
        hasher.update(&bytes[at..start]);
        at = end;
    }
    hasher.update(&bytes[at..]);
    let mut message = SEAL_LABEL.to_vec();
    message.extend_from_slice(&hasher.finalize());
    message
}

#[cfg(feature = "print")]
/// A `/ByteRange` (offset and length pairs) covering `len` bytes but the sorted `holes`.
fn byte_range(holes: &[(usize, usize)], len: usize) -> String {
    let mut ranges = String::from("[");
    let mut at = 0;
    for (start, end) in holes.iter().copied().chain([(len, len)]) {
        if at > 0 {
            ranges.push(' ');
        }
        ranges.push_str(&format!("{at} {}", start - at));
        at = end;
    }
    ranges.push(']');
    ranges
}

/// Finds the seal in a file and checks that its byte ranges cover the whole file but the
/// signature. Returns the span, the signature and the key id the seal names.
/// Whether the file carries a Refurbdesk seal at all (whole or damaged).
pub(crate) fn has_seal(bytes: &[u8]) -> bool {
    let marker = format!("/Filter/{SEAL_FILTER}");
    bytes
        .windows(marker.len())
        .any(|window| window == marker.as_bytes())
}

pub(crate) fn read_seal(bytes: &[u8]) -> Result<(SealSpan, [u8; 64], String), String> {
    let marker = format!("/Filter/{SEAL_FILTER}");
    let marker_at = match find_unique(bytes, marker.as_bytes()) {
        Ok(index) => index,
        Err(0) => return Err("the file carries no Refurbdesk seal".to_owned()),
        Err(_) => return Err("the file carries more than one seal".to_owned()),
    };
    // The seal dictionary is small: look for its entries near the marker.
    let dict_start = bytes[..marker_at]
        .windows(2)
        .rposition(|window| window == b"<<")
        .ok_or("the seal dictionary is damaged")?;
    let dict_end = dict_start
        + bytes[dict_start..]
            .windows(2)
            .position(|window| window == b">>")
            .ok_or("the seal dictionary is damaged")?;
    let dict = &bytes[dict_start..dict_end];
    let range_at = find_unique(dict, b"/ByteRange[").map_err(|_| "the seal has no byte range")?;
    let range_start = dict_start + range_at + b"/ByteRange".len();
    let range_end = range_start
        + bytes[range_start..]
            .iter()
            .position(|b| *b == b']')
            .ok_or("the seal's byte range is damaged")?
        + 1;
    let numbers: Vec<usize> = std::str::from_utf8(&bytes[range_start + 1..range_end - 1])
        .map_err(|_| "the seal's byte range is damaged")?
        .split_ascii_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .map_err(|_| "the seal's byte range is damaged")?;
    // Offset and length pairs, from the file's start to its end, leaving out the seal's
    // signature and, in files that carry one, the PDF signature's `/Contents`.
    if !matches!(numbers.len(), 4 | 6) || numbers[0] != 0 {
        return Err("the seal's byte range is damaged".to_owned());
    }
    let mut holes = Vec::new();
    let mut at = 0usize;
    for pair in numbers.chunks(2) {
        let (offset, len) = (pair[0], pair[1]);
        if offset < at || offset.checked_add(len).is_none_or(|end| end > bytes.len()) {
            return Err("the seal's byte range is damaged".to_owned());
        }
        if offset > at {
            holes.push((at, offset));
        }
        at = offset + len;
    }
    if at != bytes.len() || holes.len() != numbers.len() / 2 - 1 {
        return Err(
            "the seal does not cover the whole file: bytes were added or removed after sealing"
                .to_owned(),
        );
    }
    let is_seal = |(start, end): (usize, usize)| {
        end - start == SIGNATURE_LEN * 2 + 2 && range_start < start && end <= dict_end + 2
    };
    let (contents_start, contents_end) = holes
        .iter()
        .copied()
        .find(|hole| is_seal(*hole))
        .ok_or("the seal's byte range does not point at its own signature")?;
    let pdf_signature = holes
        .iter()
        .copied()
        .find(|hole| *hole != (contents_start, contents_end));
    if let Some((start, end)) = pdf_signature {
        if !pades::is_signature_contents(bytes, start, end) {
            return Err("the seal leaves out bytes that are not a PDF signature".to_owned());
        }
    }
    let contents = &bytes[contents_start..contents_end];
    if contents.len() != SIGNATURE_LEN * 2 + 2
        || contents[0] != b'<'
        || contents[contents.len() - 1] != b'>'
    {
        return Err("the seal's byte range does not point at its signature".to_owned());
    }
    if !(range_start < contents_start && contents_end <= dict_end + 2) {
        return Err("the seal's byte range does not point at its own signature".to_owned());
    }
    let signature: [u8; 64] = hex::decode(&contents[1..contents.len() - 1])
        .ok()
        .and_then(|bytes| bytes.try_into().ok())
        .ok_or("the seal's signature is damaged")?;
    let key_at = find_unique(dict, b"/KeyId(").map_err(|_| "the seal names no key")?;
    let key_start = key_at + b"/KeyId(".len();
    let key_len = dict[key_start..]
        .iter()
        .position(|b| *b == b')')
        .ok_or("the seal's key id is damaged")?;
    let key_id = String::from_utf8_lossy(&dict[key_start..key_start + key_len]).into_owned();
    let span = SealSpan {
        range_start,
        range_end,
        contents_start,
        contents_end,
        pdf_signature,
    };
    Ok((span, signature, key_id))
}

/// The signed envelope embedded in a PDF, read back.
pub(crate) fn embedded_json(bytes: &[u8]) -> Result<Vec<u8>, String> {
    let doc = lopdf::Document::load_mem(bytes)
        .map_err(|error| format!("the file is not a readable PDF ({error})"))?;
    let missing = || "no embedded data: the PDF carries no signed Refurbdesk document".to_owned();
    let catalog = doc.catalog().map_err(|_| missing())?;
    let names =
        deref_dict(&doc, catalog.get(b"Names").map_err(|_| missing())?).ok_or_else(missing)?;
    let embedded = deref_dict(&doc, names.get(b"EmbeddedFiles").map_err(|_| missing())?)
        .ok_or_else(missing)?;
    let list = embedded
        .get(b"Names")
        .and_then(Object::as_array)
        .map_err(|_| missing())?;
    let mut entries = list.chunks(2);
    let filespec = entries
        .find(|pair| {
            pair.first()
                .and_then(|name| name.as_str().ok())
                .is_some_and(|name| name == EMBEDDED_NAME.as_bytes())
        })
        .and_then(|pair| pair.get(1))
        .and_then(|spec| deref_dict(&doc, spec))
        .ok_or_else(missing)?;
    let ef = deref_dict(&doc, filespec.get(b"EF").map_err(|_| missing())?).ok_or_else(missing)?;
    let file = ef.get(b"F").map_err(|_| missing())?;
    let (_, object) = doc.dereference(file).map_err(|_| missing())?;
    let stream = object.as_stream().map_err(|_| missing())?;
    stream
        .decompressed_content_with_limit(MAX_EMBEDDED_BYTES)
        .or_else(|_| {
            if stream.dict.get(b"Filter").is_err() {
                Ok(stream.content.clone())
            } else {
                Err(())
            }
        })
        .map_err(|()| "the embedded data cannot be decompressed".to_owned())
}

fn deref_dict<'a>(doc: &'a lopdf::Document, object: &'a Object) -> Option<&'a Dictionary> {
    doc.dereference(object).ok()?.1.as_dict().ok()
}
