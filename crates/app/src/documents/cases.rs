//! Issuing, verifying, voiding and listing documents.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use refurbdesk_certificate::document::{Body, Replaces};
use refurbdesk_certificate::{verify_bytes, Document, Lang, TrustedKeys, VerifyError};
use refurbdesk_domain::{DestroyedMedia, DestructionMethod, EvidenceFile, Witness};
use refurbdesk_store::{CertificateFilter, CertificateRecord, NewDestruction, Store};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::files::{create_out_dir, file_stem, write_file_atomically};
use super::{sha256_hex, store_error, trusted_keys, DocumentError, Documents, Links, MediaDetails};
use crate::error::{Error, ErrorCode, Hint};
use crate::paths::DataPaths;
use crate::workstation::Workstation;

/// An issued or listed document, as both doors show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DocumentSummary {
    pub id: Uuid,
    /// `erasure_certificate`, `destruction_certificate` or `device_report`.
    pub kind: String,
    /// Where its PDF was written, for a document just issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub pdf: Option<String>,
    pub lang: String,
    pub key_id: String,
    pub pdf_sha256: String,
    pub issued_at: DateTime<Utc>,
    pub issued_by: String,
    pub erasure_id: Option<Uuid>,
    pub destruction_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub voided: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub void_reason: Option<String>,
    /// The certificate this one was issued to replace (it stays valid).
    #[serde(default)]
    #[ts(optional = nullable)]
    pub replaces: Option<Uuid>,
    /// The certificate issued later to replace this one, which stays valid.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub replaced_by: Option<Uuid>,
}

impl DocumentSummary {
    pub(crate) fn of(record: &CertificateRecord, pdf: Option<&Path>) -> Self {
        Self {
            id: record.id,
            kind: record.kind.clone(),
            pdf: pdf.map(|path| path.display().to_string()),
            lang: record.lang.clone(),
            key_id: record.key_id.clone(),
            pdf_sha256: record.pdf_sha256.clone(),
            issued_at: record.issued_at,
            issued_by: record.issued_by.clone(),
            erasure_id: record.erasure_id,
            destruction_id: record.destruction_id,
            device_id: record.device_id,
            voided: record.void.is_some(),
            void_reason: record.void.as_ref().map(|void| void.reason.clone()),
            replaces: None,
            replaced_by: None,
        }
    }

    /// The same summary with the replacements the store knows of.
    pub(crate) fn with_replacements(mut self, store: &Store) -> Result<Self, Error> {
        self.replaces = store
            .certificate_replaces(self.id)?
            .map(|replacement| replacement.replaces_id);
        self.replaced_by = store
            .certificate_replaced_by(self.id)?
            .map(|replacement| replacement.certificate_id);
        Ok(self)
    }
}

/// Issue the signed erasure certificate of a finished, verified erasure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IssueParams {
    /// The erasure's id.
    pub erasure: Uuid,
    /// The folder the PDF is written into (created if missing).
    #[ts(type = "string")]
    pub out: PathBuf,
    /// The document's language; the `certificate.language` setting when unset.
    #[ts(type = "\"en\" | \"fr\" | null")]
    pub lang: Option<Lang>,
    /// The organisation's asset tag of the media.
    pub property_number: Option<String>,
    /// Where the media came from (customer, trade-in batch).
    pub source: Option<String>,
    /// The data's confidentiality category, as the customer declared it.
    pub classification: Option<String>,
    /// Whether the data was backed up before erasure.
    pub backed_up: Option<bool>,
    /// Where the media goes next; the `certificate.destination` setting when unset.
    pub destination: Option<String>,
    /// Why a new certificate is issued for an erasure that already has a valid one: the new
    /// one names the one it replaces, which stays valid. Without it, a second certificate is
    /// refused.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub reissue_reason: Option<String>,
}

/// Issues the erasure certificate of `params.erasure` and writes its PDF into `params.out`.
///
/// An erasure that did not finish and verify is refused before any key is created or anything
/// signed.
pub fn issue(ws: &mut Workstation, params: &IssueParams) -> Result<DocumentSummary, Error> {
    let actor = ws.actor()?;
    ws.store
        .check_certifiable_erasure(params.erasure)
        .map_err(store_error)?;
    let details = MediaDetails {
        property_number: params.property_number.clone(),
        source: params.source.clone(),
        classification: params.classification.clone(),
        data_backed_up: params.backed_up,
        destination: params.destination.clone(),
    };
    let reissue_reason =
        match params.reissue_reason.as_deref().map(str::trim) {
            Some("") => return Err(Error::usage(
                "the reason for issuing the certificate again is empty; say why it is issued again",
            )),
            other => other,
        };
    // One valid certificate per erasure: a second one is refused, naming the first, unless it
    // is issued again on purpose, with a reason; it then replaces the latest valid one.
    let valid: Vec<CertificateRecord> = ws
        .store
        .list_certificates(&refurbdesk_store::CertificateFilter {
            erasure_id: Some(params.erasure),
            kind: Some("erasure_certificate".to_owned()),
            ..Default::default()
        })?
        .into_iter()
        .filter(|record| record.void.is_none())
        .collect();
    let mut replaces = None;
    if let Some(existing) = valid.first() {
        let Some(reason) = reissue_reason else {
            return Err(Error::refused(format!(
                "erasure {} already has a certificate: {} (issued {} by {}, file {}.pdf); \
                 export it again for its PDF, void it (a quality manager's act) before \
                 issuing a new one, or issue one that replaces it",
                params.erasure,
                existing.id,
                existing.issued_at.format("%Y-%m-%d %H:%M"),
                existing.issued_by,
                super::files::file_stem(existing),
            ))
            .with_hint(Hint::ReissueCertificate {
                certificate: existing.id.to_string(),
            })
            .with_details(serde_json::json!({
                "certificate_id": existing.id,
                "file": format!("{}.pdf", super::files::file_stem(existing)),
            })));
        };
        // The latest valid certificate not replaced yet: the head of the chain.
        let mut head = None;
        for record in valid.iter().rev() {
            if ws.store.certificate_replaced_by(record.id)?.is_none() {
                head = Some(record.id);
                break;
            }
        }
        let head = head.unwrap_or(existing.id);
        replaces = Some(Replaces {
            certificate_id: head,
            reason: reason.to_owned(),
        });
    } else if reissue_reason.is_some() {
        return Err(Error::usage(format!(
            "erasure {} has no valid certificate to replace; issue its first certificate \
             without reissuing",
            params.erasure
        )));
    }
    let erasure = ws.store.erasure(params.erasure).map_err(store_error)?;
    let mut documents = Documents::new(&mut ws.store, &ws.paths.keys_dir);
    let mut document = documents.erasure_certificate(params.erasure, &actor.name, &details)?;
    if let Body::ErasureCertificate(certificate) = &mut document.body {
        certificate.replaces = replaces;
    }
    let links = Links {
        erasure_id: Some(params.erasure),
        destruction_id: None,
        device_id: erasure.and_then(|erasure| erasure.device_id),
    };
    issue_and_write(&mut documents, &document, links, &params.out, params.lang)
}

/// Issue a device's signed audit report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReportParams {
    /// The device: an IMEI, a serial or a device id.
    pub device: String,
    #[ts(type = "string")]
    pub out: PathBuf,
    #[ts(type = "\"en\" | \"fr\" | null")]
    pub lang: Option<Lang>,
}

/// Issues the audit report of a device (identity, battery, locks, grade, erasures) and writes
/// its PDF into `params.out`.
pub fn report(ws: &mut Workstation, params: &ReportParams) -> Result<DocumentSummary, Error> {
    let actor = ws.actor()?;
    let mut documents = Documents::new(&mut ws.store, &ws.paths.keys_dir);
    let document = documents.device_report(&params.device, &actor.name)?;
    let device_id = match &document.body {
        Body::DeviceReport(report) => Some(report.device.device_id),
        _ => None,
    };
    let links = Links {
        device_id,
        ..Links::default()
    };
    issue_and_write(&mut documents, &document, links, &params.out, params.lang)
}

/// Record a physical destruction and issue its certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DestroyParams {
    /// `shred`, `punch`, `degauss`, `crush` or `disintegrate`.
    pub method: String,
    /// The witness's name.
    pub witness: String,
    pub witness_title: Option<String>,
    pub witness_organisation: Option<String>,
    /// The device the media came from (IMEI, serial or device id), if recorded.
    pub device: Option<String>,
    pub make: Option<String>,
    pub model: Option<String>,
    /// The media's serial number.
    pub serial: Option<String>,
    /// `hdd`, `ssd`, `nvme`, `flash`, `phone`, `tablet`, `drive`…
    pub media_type: String,
    #[ts(type = "number | null")]
    pub size: Option<u64>,
    pub property_number: Option<String>,
    pub source: Option<String>,
    pub classification: Option<String>,
    /// The machine and its setting (e.g. "HSM Powerline, 20 mm particles").
    pub details: Option<String>,
    /// Photos or videos of the destruction, kept by their SHA-256.
    #[ts(type = "Array<string>")]
    pub evidence: Vec<PathBuf>,
    /// Where the remains go (e.g. "WEEE recycling").
    pub destination: String,
    #[ts(type = "string")]
    pub out: PathBuf,
    #[ts(type = "\"en\" | \"fr\" | null")]
    pub lang: Option<Lang>,
}

/// Records a destruction and issues its certificate, writing the PDF into `params.out`.
///
/// The method is checked and every evidence file hashed before anything is recorded: a missing
/// photo stops the destruction from being recorded at all.
pub fn destroy(ws: &mut Workstation, params: &DestroyParams) -> Result<DocumentSummary, Error> {
    let method = destruction_method(params)?;
    let mut evidence = Vec::new();
    for file in &params.evidence {
        let bytes = fs::read(file).map_err(|error| evidence_error(file, error))?;
        evidence.push(EvidenceFile {
            file_name: file
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sha256: sha256_hex(&bytes),
            size_bytes: bytes.len() as u64,
        });
    }
    let actor = ws.actor()?;
    let device = match &params.device {
        Some(reference) => Some(
            ws.store
                .find_device(reference)?
                .ok_or_else(|| DocumentError::UnknownDevice(crate::error::shorten(reference)))?,
        ),
        None => None,
    };
    let serial = params
        .serial
        .clone()
        .or_else(|| device.as_ref().and_then(|device| device.serial.clone()));
    let media = DestroyedMedia {
        make: params
            .make
            .clone()
            .or_else(|| device.as_ref().map(|device| device.make.clone())),
        model: params
            .model
            .clone()
            .or_else(|| device.as_ref().map(|device| device.model.clone())),
        serial: serial.clone(),
        imei: device.as_ref().and_then(|device| device.imei.clone()),
        media_type: Some(params.media_type.clone()),
        size_bytes: params.size,
        property_number: params.property_number.clone(),
        source: params.source.clone(),
        classification: params.classification.clone(),
        data_backed_up: None,
    };
    let device_id = device.as_ref().map(|device| device.id);
    let destruction_id = ws.store.record_destruction(&NewDestruction {
        device_id,
        media,
        media_serial: serial,
        method,
        method_details: params.details.clone(),
        destroyed_at: Utc::now(),
        operator: actor.name.clone(),
        witness: Witness {
            name: params.witness.clone(),
            title: params.witness_title.clone(),
            organisation: params.witness_organisation.clone(),
        },
        evidence,
        destination: params.destination.clone(),
    })?;
    let mut documents = Documents::new(&mut ws.store, &ws.paths.keys_dir);
    let document = documents.destruction_certificate(destruction_id, &actor.name)?;
    let links = Links {
        erasure_id: None,
        destruction_id: Some(destruction_id),
        device_id,
    };
    issue_and_write(&mut documents, &document, links, &params.out, params.lang)
}

/// Checks a destruction before any database is opened or created, so that a refused first
/// command leaves no database behind: the method, and that every evidence file can be read.
pub fn check_destroy(params: &DestroyParams) -> Result<(), Error> {
    destruction_method(params)?;
    for file in &params.evidence {
        fs::File::open(file).map_err(|error| evidence_error(file, error))?;
    }
    Ok(())
}

fn destruction_method(params: &DestroyParams) -> Result<DestructionMethod, Error> {
    params.method.parse().map_err(|_| {
        Error::usage(format!(
            "{:?} is not a destruction method; use {}",
            crate::error::shorten(&params.method),
            DestructionMethod::WORDS.join(", ")
        ))
    })
}

fn evidence_error(file: &Path, error: std::io::Error) -> Error {
    Error::from_error(ErrorCode::NotFound, &error)
        .context(format!("cannot read the evidence file {}", file.display()))
}

/// Signs, prints and records `document`, then writes its PDF into `out`.
fn issue_and_write(
    documents: &mut Documents<'_>,
    document: &Document,
    links: Links,
    out: &Path,
    lang: Option<Lang>,
) -> Result<DocumentSummary, Error> {
    let lang = match lang {
        Some(lang) => lang,
        None => documents.default_lang()?,
    };
    create_out_dir(out)?;
    let issued = documents.issue(document, lang, links)?;
    let path = out.join(format!("{}.pdf", file_stem(&issued.record)));
    write_file_atomically(&path, &issued.pdf)?;
    DocumentSummary::of(&issued.record, Some(&path)).with_replacements(documents.store())
}

/// Verify a certificate or report offline, from its PDF or JSON file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VerifyParams {
    /// The document's PDF or JSON file.
    #[ts(type = "string")]
    pub file: PathBuf,
    /// Trust only this public key (a `.pub.json` file or 64 hex digits) instead of the
    /// workstation's keys.
    #[ts(type = "string | null")]
    pub pubkey: Option<PathBuf>,
}

/// What verifying a document found: valid, or the problem that makes it invalid (altered,
/// signed by an unknown key, voided…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Verification {
    pub valid: bool,
    pub id: Option<Uuid>,
    pub kind: Option<String>,
    /// The key that signed the document's data.
    pub key_id: Option<String>,
    /// The key that sealed the PDF's bytes; `None` for a JSON file.
    pub sealed_by: Option<String>,
    pub problem: Option<String>,
    /// The certificate this one replaces, as its signed data names it.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub replaces: Option<Uuid>,
    /// The certificate issued later to replace this one (from the workstation's database),
    /// with when, by whom and why; this one stays valid.
    #[serde(default)]
    #[ts(optional = nullable)]
    pub replaced_by: Option<ReplacedBy>,
}

/// A certificate that replaces the one verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReplacedBy {
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub by: String,
    pub reason: String,
}

/// Verifies a document file against the workstation's trusted keys (or only `params.pubkey`),
/// and, when the workstation has a database, against its voids. A file verifies without any
/// database.
///
/// An invalid document is a result, not an error: the error is kept for a file that cannot be
/// read, a key file that cannot be used or a database that cannot be opened.
pub fn verify(paths: &DataPaths, params: &VerifyParams) -> Result<Verification, Error> {
    let bytes = fs::read(&params.file).map_err(|error| {
        Error::from_error(ErrorCode::NotFound, &error)
            .context(format!("cannot read {}", params.file.display()))
    })?;
    let store = existing_store(paths)?;
    let trusted = match &params.pubkey {
        Some(file) => TrustedKeys::from_file(file)?,
        None => trusted_keys(store.as_ref(), &paths.keys_dir)?,
    };
    let verified = match verify_bytes(&bytes, &trusted) {
        Ok(verified) => verified,
        Err(error) => {
            let problem = match &error {
                VerifyError::UnknownKey(_) | VerifyError::Signature(_) if trusted.is_empty() => {
                    format!("{error} (this workstation has no keys yet)")
                }
                _ => error.to_string(),
            };
            return Ok(Verification {
                valid: false,
                id: None,
                kind: None,
                key_id: None,
                sealed_by: None,
                problem: Some(problem),
                replaces: None,
                replaced_by: None,
            });
        }
    };
    let mut verification = Verification {
        valid: true,
        id: Some(verified.document.id),
        kind: Some(verified.document.kind().to_string()),
        key_id: Some(verified.key_id().to_owned()),
        sealed_by: verified.sealed_by.clone(),
        problem: None,
        replaces: replaces_of(&verified.document),
        replaced_by: None,
    };
    if let Some(store) = &store {
        verification.replaced_by = replaced_by(store, verified.document.id)?;
        if let Some(void) = store
            .certificate(verified.document.id)?
            .and_then(|record| record.void)
        {
            verification.valid = false;
            verification.problem = Some(format!(
                "voided on {} by {}: {}",
                void.at.format("%Y-%m-%d %H:%M UTC"),
                void.by,
                void.reason
            ));
        }
    }
    Ok(verification)
}

/// The certificate a document replaces, as its signed data names it.
pub(crate) fn replaces_of(document: &Document) -> Option<Uuid> {
    match &document.body {
        Body::ErasureCertificate(certificate) => certificate
            .replaces
            .as_ref()
            .map(|replaces| replaces.certificate_id),
        _ => None,
    }
}

/// The certificate issued later to replace `id`, when the database knows one.
pub(crate) fn replaced_by(store: &Store, id: Uuid) -> Result<Option<ReplacedBy>, Error> {
    Ok(store
        .certificate_replaced_by(id)?
        .map(|replacement| ReplacedBy {
            id: replacement.certificate_id,
            at: replacement.recorded_at,
            by: replacement.operator,
            reason: replacement.reason,
        }))
}

/// The workstation's database when it has one; never creates it.
pub(crate) fn existing_store(paths: &DataPaths) -> Result<Option<Store>, Error> {
    if paths.database.exists() {
        Ok(Some(Workstation::open_existing(paths.clone(), None)?.store))
    } else {
        Ok(None)
    }
}

/// Void a certificate: it stays listed and verifies as voided.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct VoidParams {
    /// The certificate's id.
    pub id: Uuid,
    /// Why it is void (kept with it and told whenever it is verified).
    pub reason: String,
}

/// Voids a certificate (quality managers only; a void is final).
pub fn void(ws: &mut Workstation, params: &VoidParams) -> Result<DocumentSummary, Error> {
    let actor = ws.actor()?;
    let record = ws
        .store
        .void_certificate(params.id, &params.reason, &actor.name)
        .map_err(store_error)?;
    Ok(DocumentSummary::of(&record, None))
}

/// Which documents to list.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListParams {
    /// Only this device's documents (an IMEI, a serial or a device id).
    pub device: Option<String>,
    /// Only those issued at or after this moment.
    pub since: Option<DateTime<Utc>>,
}

/// The documents issued at this workstation, matching `params`.
pub fn list(ws: &Workstation, params: &ListParams) -> Result<Vec<DocumentSummary>, Error> {
    let filter = certificate_filter(&ws.store, params.device.as_deref(), params.since)?;
    ws.store
        .list_certificates(&filter)?
        .iter()
        .map(|record| DocumentSummary::of(record, None).with_replacements(&ws.store))
        .collect()
}

/// The store's filter for a device reference and a moment.
pub(crate) fn certificate_filter(
    store: &Store,
    device: Option<&str>,
    since: Option<DateTime<Utc>>,
) -> Result<CertificateFilter, Error> {
    let device_id = match device {
        Some(reference) => Some(
            store
                .find_device(reference)?
                .ok_or_else(|| {
                    Error::not_found(format!(
                        "there is no device matching {:?}",
                        crate::error::shorten(reference)
                    ))
                })?
                .id,
        ),
        None => None,
    };
    Ok(CertificateFilter {
        device_id,
        since,
        ..CertificateFilter::default()
    })
}
