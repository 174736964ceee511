//! Verifying a document from its QR code: a scan or photo of a printed page (PNG), or the PDF.
//! The code names a document and its signature digest; the document itself is the one this
//! workstation issued and keeps in its database, verified as a file is.

use std::fs;
use std::path::PathBuf;

use refurbdesk_certificate::qr::{self, QrReference};
use refurbdesk_certificate::{verify_bytes, SignedDocument};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cases::{existing_store, Verification};
use super::trusted_keys;
use crate::error::{Error, ErrorCode, Hint};
use crate::paths::DataPaths;

/// Verify the document a QR code names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VerifyQrParams {
    /// A PNG image of the code (a scan or photo of the page), or the document's PDF.
    #[ts(type = "string")]
    pub image: PathBuf,
}

/// What the QR code said, and what verifying the document it names found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QrVerification {
    /// The code's text, as read.
    pub qr_text: String,
    /// Whether the code carried a signature digest that was compared with the document's
    /// (a verification URL without `{digest}` carries none).
    pub digest_checked: bool,
    pub verification: Verification,
}

/// Reads the QR code in `params.image` and verifies the document it names, as kept in this
/// workstation's database, against its trusted keys, its voids and the code's digest. A code
/// that names a document the database does not hold, or with another digest, is an invalid
/// result; an image without a code, or no database to look in, is an error.
pub fn verify_qr(paths: &DataPaths, params: &VerifyQrParams) -> Result<QrVerification, Error> {
    let bytes = fs::read(&params.image).map_err(|error| {
        Error::from_error(ErrorCode::NotFound, &error)
            .context(format!("cannot read {}", params.image.display()))
    })?;
    let texts = qr::decode(&bytes).map_err(|error| {
        let code = match error {
            qr::QrError::NoCode => ErrorCode::NotFound,
            _ => ErrorCode::Usage,
        };
        Error::new(code, format!("{}: {error}", params.image.display()))
    })?;
    let Some((qr_text, reference)) = texts
        .iter()
        .find_map(|text| QrReference::parse(text).map(|reference| (text.clone(), reference)))
    else {
        return Err(Error::new(
            ErrorCode::NotFound,
            format!(
                "the QR code in {} names no document: {:?}",
                params.image.display(),
                crate::error::shorten(&texts[0])
            ),
        ));
    };
    let store = existing_store(paths)?.ok_or_else(|| {
        Error::new(
            ErrorCode::NotFound,
            format!(
                "the QR code names document {}, but this workstation has no database to look it \
                 up in",
                reference.id
            ),
        )
        .with_hint(Hint::ChooseDatabase)
    })?;
    let invalid = |problem: String, digest_checked: bool| QrVerification {
        qr_text: qr_text.clone(),
        digest_checked,
        verification: Verification {
            valid: false,
            id: Some(reference.id),
            kind: reference.kind.clone(),
            key_id: None,
            sealed_by: None,
            problem: Some(problem),
            replaces: None,
            replaced_by: None,
        },
    };
    let Some(record) = store.certificate(reference.id)? else {
        return Ok(invalid(
            format!(
                "no document {} was issued at this workstation",
                reference.id
            ),
            false,
        ));
    };
    let trusted = trusted_keys(Some(&store), &paths.keys_dir)?;
    // The PDF exactly as issued when the database keeps it, else the signed data.
    let bytes = match store.certificate_pdf(record.id)? {
        Some(pdf) => pdf,
        None => record.signed_json.clone().into_bytes(),
    };
    let verified = match verify_bytes(&bytes, &trusted) {
        Ok(verified) => verified,
        Err(error) => return Ok(invalid(error.to_string(), false)),
    };
    let digest = SignedDocument::signature_digest(&verified.signed);
    let digest_checked = match &reference.digest {
        Some(said) if *said != digest => {
            return Ok(invalid(
                format!(
                    "the QR code's signature digest {said} is not that of document {} ({digest})",
                    record.id
                ),
                true,
            ));
        }
        Some(_) => true,
        // A URL may hold the digest in a form of its own: found anywhere in it, it counts.
        None => qr_text.to_ascii_lowercase().contains(&digest),
    };
    let mut verification = Verification {
        valid: true,
        id: Some(verified.document.id),
        kind: Some(verified.document.kind().to_string()),
        key_id: Some(verified.key_id().to_owned()),
        sealed_by: verified.sealed_by.clone(),
        problem: None,
        replaces: super::cases::replaces_of(&verified.document),
        replaced_by: super::cases::replaced_by(&store, verified.document.id)?,
    };
    if let Some(void) = record.void {
        verification.valid = false;
        verification.problem = Some(format!(
            "voided on {} by {}: {}",
            void.at.format("%Y-%m-%d %H:%M UTC"),
            void.by,
            void.reason
        ));
    }
    Ok(QrVerification {
        qr_text,
        digest_checked,
        verification,
    })
}
