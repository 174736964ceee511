//! The organisation's signing key: show it, rotate it (publishing the new one), export it; and
//! the X.509 certificate the standard PDF signature is made with: show it, export it.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use refurbdesk_certificate::{PublicKeyInfo, X509Info};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::cases::existing_store;
use super::files::write_file_atomically;
use super::{key_record, trusted_keys};
use crate::error::Error;
use crate::paths::DataPaths;
use crate::workstation::Workstation;

/// A public signing key, as published and kept for verification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeyInfo {
    pub key_id: String,
    pub algorithm: String,
    /// 32 bytes, hex.
    pub public_key: String,
    /// SHA-256 of the public key, hex; printed on every document.
    pub fingerprint: String,
    pub created_at: DateTime<Utc>,
    /// When it stopped signing new documents; `None` while active.
    pub retired_at: Option<DateTime<Utc>>,
}

impl KeyInfo {
    /// The fingerprint in groups of four, as documents print it.
    pub fn fingerprint_grouped(&self) -> String {
        self.fingerprint
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl From<PublicKeyInfo> for KeyInfo {
    fn from(key: PublicKeyInfo) -> Self {
        Self {
            key_id: key.key_id,
            algorithm: key.algorithm,
            public_key: key.public_key,
            fingerprint: key.fingerprint,
            created_at: key.created_at,
            retired_at: key.retired_at,
        }
    }
}

/// The workstation's keys. Fields in alphabetical order, as the CLI has always printed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Keys {
    /// The key new documents are signed with; `None` until the first document is issued.
    pub active: Option<KeyInfo>,
    /// The folder the organisation's keys are kept in.
    pub keys_dir: String,
    /// The X.509 certificate PDF files are signed with (the signature PDF readers show);
    /// `None` until the first document is issued or a certificate is imported.
    pub pdf_certificate: Option<PdfCertificate>,
    /// Every key this workstation trusts: its keys folder and those published to its database.
    pub trusted: Vec<KeyInfo>,
}

/// The X.509 certificate that signs PDF files, as a person reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PdfCertificate {
    /// RFC 4514, e.g. `CN=Atelier Nord,O=Atelier Nord`.
    pub subject: String,
    pub issuer: String,
    /// SHA-256 of the certificate, hex.
    pub fingerprint: String,
    pub not_before: DateTime<Utc>,
    /// When it expires: import a new one before then.
    pub not_after: DateTime<Utc>,
    /// Made by Refurbdesk for the organisation, not issued by a certificate authority: PDF
    /// readers show the signature valid but its signer not trusted.
    pub self_signed: bool,
}

impl From<X509Info> for PdfCertificate {
    fn from(info: X509Info) -> Self {
        Self {
            subject: info.subject,
            issuer: info.issuer,
            fingerprint: info.fingerprint,
            not_before: info.not_before,
            not_after: info.not_after,
            self_signed: info.self_signed,
        }
    }
}

/// The active key and every key the workstation trusts; works without a database.
pub fn show_keys(paths: &DataPaths) -> Result<Keys, Error> {
    let store = existing_store(paths)?;
    let keyring = refurbdesk_certificate::Keyring::new(&paths.keys_dir);
    let active = keyring.active()?;
    let trusted = trusted_keys(store.as_ref(), &paths.keys_dir)?;
    Ok(Keys {
        active: active.map(KeyInfo::from),
        keys_dir: paths.keys_dir.display().to_string(),
        pdf_certificate: keyring.pdf_certificate()?.map(PdfCertificate::from),
        trusted: trusted.iter().cloned().map(KeyInfo::from).collect(),
    })
}

/// A rotation: the key retired (if there was one) and the one now signing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RotatedKey {
    pub active: KeyInfo,
    pub retired: Option<KeyInfo>,
}

/// Starts signing with a new key and publishes it to the database; documents signed before
/// keep verifying with the old public key.
pub fn rotate_key(ws: &mut Workstation) -> Result<RotatedKey, Error> {
    let actor = ws.actor()?;
    let (retired, active) = ws.keyring().rotate()?;
    ws.store
        .publish_signing_key(&key_record(&active), &actor.name)?;
    Ok(RotatedKey {
        active: active.into(),
        retired: retired.map(KeyInfo::from),
    })
}

/// Where to write the active public key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportKeyParams {
    #[ts(type = "string")]
    pub out: PathBuf,
}

/// The public key written for customers. Fields in alphabetical order, as the CLI has always
/// printed them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportedKey {
    pub file: String,
    pub key_id: String,
}

/// Writes the active public key (creating the organisation's first key if there is none) to
/// `params.out`, for customers verifying documents offline.
pub fn export_key(paths: &DataPaths, params: &ExportKeyParams) -> Result<ExportedKey, Error> {
    let keyring = refurbdesk_certificate::Keyring::new(&paths.keys_dir);
    let info = keyring.signer()?.info().clone();
    let json = serde_json::to_string_pretty(&info)?;
    write_file_atomically(&params.out, format!("{json}\n").as_bytes())?;
    Ok(ExportedKey {
        file: params.out.display().to_string(),
        key_id: info.key_id,
    })
}

/// The X.509 certificate written for customers or their PDF readers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ExportedCertificate {
    pub file: String,
    pub fingerprint: String,
    pub subject: String,
}

/// Writes the X.509 certificate PDF files are signed with (and its chain), PEM, to
/// `params.out`: a customer can add it to their PDF reader's trusted certificates.
pub fn export_certificate(
    paths: &DataPaths,
    params: &ExportKeyParams,
) -> Result<ExportedCertificate, Error> {
    let keyring = refurbdesk_certificate::Keyring::new(&paths.keys_dir);
    let (Some(pem), Some(info)) = (keyring.pdf_certificate_pem()?, keyring.pdf_certificate()?)
    else {
        return Err(Error::not_found(format!(
            "there is no X.509 certificate in {} yet: the first document issued makes one",
            paths.keys_dir.display()
        )));
    };
    write_file_atomically(&params.out, pem.as_bytes())?;
    Ok(ExportedCertificate {
        file: params.out.display().to_string(),
        fingerprint: info.fingerprint,
        subject: info.subject,
    })
}

/// A PKCS#12 file (`.p12`, `.pfx`) a certificate authority issued to the organisation, and
/// the password it was exported with.
#[derive(Clone, Deserialize, TS)]
#[ts(export)]
pub struct ImportX509Params {
    #[ts(type = "string")]
    pub file: PathBuf,
    pub password: String,
}

impl std::fmt::Debug for ImportX509Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The password never reaches a log.
        f.debug_struct("ImportX509Params")
            .field("file", &self.file)
            .finish_non_exhaustive()
    }
}

/// Signs PDF files from now on with the organisation's certificate from a certificate
/// authority, so PDF readers show who signed and trust it through the authority. An admin's
/// decision; documents signed before keep their signatures, and the Ed25519 seal that
/// `cert verify` checks is unchanged. Refused, with nothing changed, for a wrong password, a
/// key other than ECDSA P-256, or a certificate outside its validity.
pub fn import_x509(
    ws: &mut Workstation,
    params: &ImportX509Params,
) -> Result<PdfCertificate, Error> {
    use refurbdesk_store::{Action, StoreError};
    let actor = ws.actor()?;
    if !actor.role.can(Action::ManageSettings) {
        return Err(StoreError::NotAllowed {
            operator: actor.name,
            role: actor.role,
            action: Action::ManageSettings,
        }
        .into());
    }
    let file = params.file.display().to_string();
    let bytes = std::fs::read(&params.file).map_err(|error| {
        let code = if error.kind() == std::io::ErrorKind::NotFound {
            crate::error::ErrorCode::NotFound
        } else {
            crate::error::ErrorCode::Data
        };
        Error::new(code, format!("cannot read {file}: {error}"))
    })?;
    let signer = refurbdesk_certificate::PdfSigner::from_pkcs12(&bytes, &params.password)
        .map_err(|error| Error::data(format!("{file}: {error}")))?;
    let info = signer.info();
    let now = Utc::now();
    if info.not_after <= now {
        return Err(Error::data(format!(
            "{file}: its certificate ({}) expired on {}; ask the certificate authority for a new one",
            info.subject,
            info.not_after.format("%Y-%m-%d")
        )));
    }
    if info.not_before > now {
        return Err(Error::data(format!(
            "{file}: its certificate ({}) is not valid before {}; import it from that day",
            info.subject,
            info.not_before.format("%Y-%m-%d %H:%M UTC")
        )));
    }
    ws.keyring().install_pdf_signer(&signer)?;
    tracing::info!(
        operator = %actor.name,
        subject = %info.subject,
        issuer = %info.issuer,
        fingerprint = %info.fingerprint,
        "PDF files are now signed with an imported X.509 certificate"
    );
    Ok(info.into())
}
