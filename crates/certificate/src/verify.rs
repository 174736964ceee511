//! Offline verification of a PDF or a `.json` export: the byte-range seal over the file, the
//! standard PDF signature when the file carries one, the signature over the embedded data, and
//! that both were made by the same trusted key.

use ed25519_dalek::{Signature, Verifier};
use thiserror::Error;

use crate::document::Document;
use crate::keys::TrustedKeys;
use crate::pdf::{embedded_json, has_seal, read_seal, sealed_message};
use crate::signed::{SignatureError, SignedDocument};

/// Why a file does not verify. Every variant means "do not trust this file".
#[derive(Debug, Error, PartialEq, Eq)]
pub enum VerifyError {
    #[error("not a Refurbdesk document: {0}")]
    NotADocument(String),
    #[error("no embedded data: {0}")]
    NoEmbeddedData(String),
    #[error("the PDF's seal is broken: {0}")]
    Seal(String),
    #[error("the PDF signature that PDF readers check is broken: {0}")]
    PdfSignature(String),
    #[error("file signature mismatch: the PDF's bytes were changed after it was sealed")]
    FileMismatch,
    #[error("unknown key {0}: the file was sealed by a key that is not trusted here; verify it against the organisation's published public key")]
    UnknownKey(String),
    #[error("{0}")]
    Signature(#[from] SignatureError),
}

/// A file that verified.
#[derive(Debug, Clone)]
pub struct Verified {
    pub signed: SignedDocument,
    pub document: Document,
    /// The key that sealed the file's bytes (PDF); `None` for a `.json` file. It differs from
    /// the data's key when a document signed before a key rotation is printed again.
    pub sealed_by: Option<String>,
}

impl Verified {
    pub fn key_id(&self) -> &str {
        &self.signed.signature.key_id
    }
}

/// Verifies a PDF or a `.json` export, telling them apart by content: a PDF has its `%PDF-`
/// header in its first 1024 bytes, a JSON export starts with `{`. Anything else is said to be
/// neither, rather than failing as JSON at its first byte.
pub fn verify_bytes(bytes: &[u8], trusted: &TrustedKeys) -> Result<Verified, VerifyError> {
    let head = &bytes[..bytes.len().min(1024)];
    if head.windows(5).any(|window| window == b"%PDF-") {
        verify_pdf(bytes, trusted)
    } else if looks_like_json(bytes) {
        verify_json(bytes, trusted)
    } else {
        Err(VerifyError::NotADocument(
            "the file is neither a PDF nor a JSON export of a signed document".to_owned(),
        ))
    }
}

/// Whether the first character that is not white space (after a UTF-8 byte-order mark) is `{`.
fn looks_like_json(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    bytes
        .iter()
        .find(|byte| !byte.is_ascii_whitespace())
        .is_some_and(|byte| *byte == b'{')
}

pub fn verify_json(bytes: &[u8], trusted: &TrustedKeys) -> Result<Verified, VerifyError> {
    let signed: SignedDocument = serde_json::from_slice(bytes).map_err(|error| {
        VerifyError::NotADocument(format!(
            "not a signed document (JSON line {}, column {}: {error})",
            error.line(),
            error.column()
        ))
    })?;
    signed.verify(trusted)?;
    let document = typed(&signed)?;
    Ok(Verified {
        signed,
        document,
        sealed_by: None,
    })
}

pub fn verify_pdf(bytes: &[u8], trusted: &TrustedKeys) -> Result<Verified, VerifyError> {
    if !has_seal(bytes) {
        return Err(VerifyError::NotADocument(
            "this PDF carries no Refurbdesk seal: it was not issued by Refurbdesk, or its seal \
             was removed"
                .to_owned(),
        ));
    }
    let (span, signature, seal_key) = read_seal(bytes).map_err(VerifyError::Seal)?;
    let info = trusted
        .get(&seal_key)
        .ok_or_else(|| VerifyError::UnknownKey(seal_key.clone()))?;
    let key = info
        .verifying_key()
        .map_err(|_| VerifyError::UnknownKey(seal_key.clone()))?;
    key.verify(
        &sealed_message(bytes, &span),
        &Signature::from_bytes(&signature),
    )
    .map_err(|_| VerifyError::FileMismatch)?;
    if let Some(contents) = span.pdf_signature {
        crate::pades::verify(bytes, contents).map_err(VerifyError::PdfSignature)?;
    }
    let json = embedded_json(bytes).map_err(VerifyError::NoEmbeddedData)?;
    let mut verified = verify_json(&json, trusted)?;
    verified.sealed_by = Some(seal_key);
    Ok(verified)
}

fn typed(signed: &SignedDocument) -> Result<Document, VerifyError> {
    serde_json::from_value(signed.document.clone()).map_err(|error| {
        VerifyError::NotADocument(format!(
            "the signed data is not a document Refurbdesk knows ({error})"
        ))
    })
}
