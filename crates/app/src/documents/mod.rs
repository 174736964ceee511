//! From the store's records to signed documents and back: gathers the facts a certificate or
//! report states, signs and prints it with the organisation's key, and records it. The CLI and
//! the desktop shell both issue documents through here.
//!
//! The use cases — [`issue`], [`destroy`], [`report`], [`verify`], [`verify_qr`], [`void`], [`list`],
//! [`export`], [`show_keys`], [`rotate_key`] and [`export_key`] — are plain functions over a
//! [`Workstation`](crate::Workstation) (or the [`DataPaths`](crate::DataPaths) of one, for those
//! that also work without a database) and a params struct.

mod batch;
mod batch_export;
mod cases;
mod export;
mod files;
mod keys;
mod open;
mod qr;

pub use batch::{
    batch_certificates, batch_export, batch_report, BatchCertificates, BatchCertificatesParams,
    BatchExportParams, BatchExported, BatchReportParams, SheetFormat,
};
pub use batch_export::COLUMNS as BATCH_EXPORT_COLUMNS;
pub use cases::{
    check_destroy, destroy, issue, list, report, verify, void, DestroyParams, DocumentSummary,
    IssueParams, ListParams, ReplacedBy, ReportParams, Verification, VerifyParams, VoidParams,
};
pub use export::{export, export_cancel, export_running, ExportCancel, ExportParams, ExportResult};
pub(crate) use export::{write_export, ExportedFiles};
pub use files::write_file_atomically;
pub use keys::{
    export_certificate, export_key, import_x509, rotate_key, show_keys, ExportKeyParams,
    ExportedCertificate, ExportedKey, ImportX509Params, KeyInfo, Keys, PdfCertificate, RotatedKey,
};
pub use open::{documents_dir, file, DocumentFile, DocumentFileParams};
pub use qr::{verify_qr, QrVerification, VerifyQrParams};

use std::collections::BTreeMap;
use std::path::Path;

use chrono::Utc;
use refurbdesk_certificate::document::{
    BatteryFacts, BenchRun, Body, CheckFact, DestructionCertificate, DeviceIdentity, DeviceReport,
    ErasureCertificate, ErasureRun, ErasureSummary, Evidence, Fault, GradeFacts, LockFacts,
    ManualRun, Media, MethodType, Organisation, Person, Sanitization, FORMAT,
};
use refurbdesk_certificate::{
    reprint, Document, IssueError, KeyError, Keyring, Lang, PrintOptions, SignedDocument, Signer,
    TrustedKeys,
};
use refurbdesk_grading::{ChecklistItem, Checklists, Reason};
use refurbdesk_store::{
    CertificateRecord, DestructionRecord, ErasureDetails, ErasureRecord, ErasureStatus,
    NewCertificate, SigningKeyRecord, Store, StoreError,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use thiserror::Error;
use uuid::Uuid;

use crate::error::{ErrorCode, Hint, RecordKind};

/// Settings every document reads (`refurbdesk settings set KEY VALUE`).
pub mod setting {
    pub const ORGANISATION_NAME: &str = "organisation.name";
    pub const ORGANISATION_ADDRESS: &str = "organisation.address";
    pub const ORGANISATION_PHONE: &str = "organisation.phone";
    pub const ORGANISATION_LOCATION: &str = "organisation.location";
    /// A PNG file printed above the organisation's name.
    pub const ORGANISATION_LOGO: &str = "organisation.logo";
    /// Where sanitized media goes next, printed on erasure certificates.
    pub const DESTINATION: &str = "certificate.destination";
    /// A URL template for the QR code: `{id}`, `{digest}`, `{key}`.
    pub const VERIFY_URL: &str = "certificate.verify_url";
    /// `en` or `fr`: the language documents are printed in unless told otherwise.
    pub const LANGUAGE: &str = "certificate.language";
    /// Months of warranty given with a sold device, printed on device
    /// reports; 12 when unset, the marketplace's minimum.
    pub const WARRANTY_MONTHS: &str = "sale.warranty_months";
    /// `true` or `false` (the default): whether certificates leave room for a handwritten
    /// signature line.
    pub const SIGNATURE_LINE: &str = "certificate.signature_line";
    pub const ALL: [&str; 10] = [
        ORGANISATION_NAME,
        ORGANISATION_ADDRESS,
        ORGANISATION_PHONE,
        ORGANISATION_LOCATION,
        ORGANISATION_LOGO,
        DESTINATION,
        VERIFY_URL,
        LANGUAGE,
        WARRANTY_MONTHS,
        SIGNATURE_LINE,
    ];

    /// The marketplace sells refurbished devices with at least this warranty.
    pub const MINIMUM_WARRANTY_MONTHS: u32 = 12;

    /// Whether certificates leave room for a signature line: the stored `true`, else not.
    pub fn signature_line(value: Option<&str>) -> bool {
        value.map(str::trim) == Some("true")
    }

    pub(crate) fn warranty_months(value: &str) -> Result<u32, String> {
        match value.trim().parse::<u32>() {
            Ok(months) if months >= MINIMUM_WARRANTY_MONTHS => Ok(months),
            Ok(months) => Err(format!(
                "{WARRANTY_MONTHS} is {months}, but the marketplace asks for a warranty of at least \
                 {MINIMUM_WARRANTY_MONTHS} months; set {MINIMUM_WARRANTY_MONTHS} or more"
            )),
            Err(_) => Err(format!(
                "{WARRANTY_MONTHS} is a whole number of months (12 or more), not {:?}",
                crate::error::shorten(value)
            )),
        }
    }
}

#[derive(Debug, Error)]
pub enum DocumentError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Key(#[from] KeyError),
    #[error(transparent)]
    Issue(#[from] IssueError),
    /// Told with a [`Hint::SetSetting`] for `organisation.name`.
    #[error("the organisation's name is not set, and every certificate names its issuer")]
    NoOrganisation,
    /// Told with a [`Hint::ListRecords`] of erasures.
    #[error("there is no erasure {0}")]
    UnknownErasure(Uuid),
    #[error("erasure {id} ended as {status}: only an erasure that finished and verified is certified; erase the media again")]
    NotCertifiable { id: Uuid, status: String },
    #[error("there is no device matching {0:?}; use an IMEI, a serial or a device id")]
    UnknownDevice(String),
    #[error("the logo {path} (setting organisation.logo) cannot be used: {reason}; give a PNG file or clear the setting")]
    Logo { path: String, reason: String },
    #[error("there is no destruction {0}")]
    UnknownDestruction(Uuid),
    /// A setting's stored value cannot be used; told with a [`Hint::SetSetting`] for `key`.
    #[error("{reason}")]
    BadSetting { key: &'static str, reason: String },
    #[error("the stored document {id} cannot be read: {reason}")]
    Stored { id: Uuid, reason: String },
}

/// Each document error gets its code here, once; advice that names a setting or a list of
/// records travels as a [`Hint`], told by the door.
impl From<DocumentError> for crate::Error {
    fn from(error: DocumentError) -> Self {
        let error = match error {
            DocumentError::Store(store) => return store_error(store),
            other => other,
        };
        let code = match &error {
            DocumentError::Store(_) => ErrorCode::Data,
            DocumentError::NotCertifiable { .. } | DocumentError::NoOrganisation => {
                ErrorCode::Refused
            }
            DocumentError::UnknownErasure(_)
            | DocumentError::UnknownDevice(_)
            | DocumentError::UnknownDestruction(_) => ErrorCode::NotFound,
            DocumentError::Key(_)
            | DocumentError::Issue(_)
            | DocumentError::Logo { .. }
            | DocumentError::BadSetting { .. }
            | DocumentError::Stored { .. } => ErrorCode::Data,
        };
        let hint = match &error {
            DocumentError::NoOrganisation => Some(Hint::SetSetting {
                key: setting::ORGANISATION_NAME.to_owned(),
                example: "\"Your company\"".to_owned(),
            }),
            DocumentError::UnknownErasure(_) => Some(Hint::ListRecords {
                what: RecordKind::Erasures,
            }),
            DocumentError::BadSetting { key, .. } => Some(Hint::SetSetting {
                key: (*key).to_owned(),
                example: setting_example(key).to_owned(),
            }),
            _ => None,
        };
        let error = crate::Error::from_error(code, &error);
        match hint {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    }
}

impl From<KeyError> for crate::Error {
    fn from(error: KeyError) -> Self {
        crate::Error::from_error(ErrorCode::Data, &error)
    }
}

/// A value to show in the advice to fix the setting `key`.
fn setting_example(key: &str) -> &'static str {
    match key {
        setting::WARRANTY_MONTHS => "12",
        setting::LANGUAGE => "en",
        _ => "VALUE",
    }
}

/// A store error met while working with documents: the records a document names are "not
/// found" when missing, and an uncertifiable erasure or a second void is refused.
pub(crate) fn store_error(error: StoreError) -> crate::Error {
    match &error {
        StoreError::NotCertifiable { .. } | StoreError::AlreadyVoided { .. } => {
            crate::Error::from_error(ErrorCode::Refused, &error)
        }
        StoreError::UnknownErasure { .. } => crate::Error::from_error(ErrorCode::NotFound, &error),
        StoreError::UnknownCertificate { id } => {
            crate::Error::not_found(format!("there is no certificate {id} in this database"))
                .with_hint(Hint::ListRecords {
                    what: RecordKind::Certificates,
                })
        }
        _ => error.into(),
    }
}

/// How an erasure certificate describes its media, beyond what the erasure recorded.
#[derive(Debug, Clone, Default)]
pub struct MediaDetails {
    pub property_number: Option<String>,
    pub source: Option<String>,
    pub classification: Option<String>,
    pub data_backed_up: Option<bool>,
    /// Overrides the `certificate.destination` setting.
    pub destination: Option<String>,
}

/// The issuing side of a workstation: its store, its keys and its print settings.
pub struct Documents<'a> {
    pub store: &'a mut Store,
    pub keyring: Keyring,
}

/// One issued document as recorded.
#[derive(Debug, Clone)]
pub struct IssuedDocument {
    pub record: CertificateRecord,
    pub pdf: Vec<u8>,
    pub json: Vec<u8>,
}

/// A path's last part: `/tmp/x/disk.img` → `disk.img`.
fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.to_owned())
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl<'a> Documents<'a> {
    pub fn new(store: &'a mut Store, keys_dir: &Path) -> Self {
        Self {
            store,
            keyring: Keyring::new(keys_dir),
        }
    }

    /// The language documents print in by default (the `certificate.language` setting).
    pub fn default_lang(&self) -> Result<Lang, DocumentError> {
        Ok(self
            .store
            .setting(setting::LANGUAGE)?
            .and_then(|word| word.parse().ok())
            .unwrap_or_default())
    }

    pub fn print_options(&self) -> Result<PrintOptions, DocumentError> {
        let logo = match self
            .store
            .setting(setting::ORGANISATION_LOGO)?
            .filter(|path| !path.trim().is_empty())
        {
            Some(path) => {
                let logo_error = |reason: String| DocumentError::Logo {
                    path: path.clone(),
                    reason,
                };
                let bytes = std::fs::read(&path).map_err(|error| logo_error(error.to_string()))?;
                Some(refurbdesk_certificate::Logo::from_png(&bytes).map_err(logo_error)?)
            }
            None => None,
        };
        // The standard PDF signature names the organisation; its certificate is made on first use.
        let pdf_signer = self.keyring.pdf_signer(&self.organisation()?.name)?;
        // A boolean setting (its validation lives with the other settings); unset is false.
        let signature_line = self
            .store
            .setting(setting::SIGNATURE_LINE)?
            .is_some_and(|value| {
                matches!(
                    value.trim().to_ascii_lowercase().as_str(),
                    "true" | "yes" | "on" | "1"
                )
            });
        Ok(PrintOptions {
            verify_url_template: self.store.setting(setting::VERIFY_URL)?,
            logo,
            pdf_signer: Some(pdf_signer),
            signature_line,
        })
    }

    fn organisation(&self) -> Result<Organisation, DocumentError> {
        let name = self
            .store
            .setting(setting::ORGANISATION_NAME)?
            .filter(|name| !name.trim().is_empty())
            .ok_or(DocumentError::NoOrganisation)?;
        Ok(Organisation {
            name,
            address: self.store.setting(setting::ORGANISATION_ADDRESS)?,
            phone: self.store.setting(setting::ORGANISATION_PHONE)?,
            location: self.store.setting(setting::ORGANISATION_LOCATION)?,
        })
    }

    /// A person of the organisation, by operator name, titled with their role.
    fn person(&self, name: &str, organisation: &Organisation) -> Result<Person, DocumentError> {
        let role = self
            .store
            .list_operators()?
            .into_iter()
            .find(|operator| operator.name.eq_ignore_ascii_case(name))
            .map(|operator| operator.role.as_str().to_owned());
        Ok(Person {
            name: name.to_owned(),
            title: role,
            organisation: Some(organisation.name.clone()),
            location: organisation.location.clone(),
            phone: organisation.phone.clone(),
        })
    }

    fn envelope(&self, issued_by: &str, body: Body) -> Result<Document, DocumentError> {
        let issuer = self.organisation()?;
        let issued_by = self.person(issued_by, &issuer)?;
        Ok(Document {
            format: FORMAT.to_owned(),
            id: Uuid::now_v7(),
            issued_at: Utc::now(),
            issuer,
            station_id: self.store.station_id(),
            issued_by,
            body,
        })
    }

    /// The erasure certificate of a finished, verified erasure.
    pub fn erasure_certificate(
        &self,
        erasure_id: Uuid,
        issued_by: &str,
        details: &MediaDetails,
    ) -> Result<Document, DocumentError> {
        let erasure = self
            .store
            .erasure(erasure_id)?
            .ok_or(DocumentError::UnknownErasure(erasure_id))?;
        if erasure.status != ErasureStatus::Verified {
            return Err(DocumentError::NotCertifiable {
                id: erasure_id,
                status: erasure.status.to_string(),
            });
        }
        let organisation = self.organisation()?;
        let device = match erasure.device_id {
            Some(id) => self.store.device(id)?,
            None => None,
        };
        let drive = &erasure.drive;
        let text = |key: &str| drive.get(key).and_then(Value::as_str).map(str::to_owned);
        let (media_type, verification, method_type) = match erasure.target_kind.as_str() {
            "image" => (
                "image_file".to_owned(),
                erasure.verify.clone(),
                MethodType::Clear,
            ),
            "block" => (
                drive_media_type(drive),
                erasure.verify.clone(),
                MethodType::Clear,
            ),
            "bench" => (
                device_category(device.as_ref()),
                "bench".to_owned(),
                if erasure.method == "crypto_erase" {
                    MethodType::Purge
                } else {
                    MethodType::Clear
                },
            ),
            _ => (
                device_category(device.as_ref()),
                "operator_confirmation".to_owned(),
                MethodType::Clear,
            ),
        };
        let image = erasure.target_kind == "image";
        let media = Media {
            make: device
                .as_ref()
                .map(|device| device.make.clone())
                .or_else(|| text("vendor")),
            model: device
                .as_ref()
                .map(|device| device.model.clone())
                .or_else(|| erasure.drive_model.clone()),
            serial: erasure
                .drive_serial
                .clone()
                .or_else(|| device.as_ref().and_then(|device| device.serial.clone())),
            imei: device.as_ref().and_then(|device| device.imei.clone()),
            property_number: details.property_number.clone(),
            media_type,
            source: details.source.clone(),
            classification: details.classification.clone(),
            data_backed_up: details.data_backed_up,
            size_bytes: (erasure.size_bytes > 0).then_some(erasure.size_bytes),
            // An image file is named by its file name: its folders on this workstation mean
            // nothing to the reader.
            target: (!image).then(|| erasure.target.clone()),
            file_name: image.then(|| file_name(&erasure.target)),
            head_sha256: image.then(|| text("head_sha256")).flatten(),
        };
        let destination = match &details.destination {
            Some(destination) => destination.clone(),
            None => self
                .store
                .setting(setting::DESTINATION)?
                .filter(|destination| !destination.trim().is_empty())
                .unwrap_or_else(|| refurbdesk_certificate::DEFAULT_DESTINATION.to_owned()),
        };
        let run = erasure_run(&erasure);
        let performed_by = self.person(&erasure.operator, &organisation)?;
        let validated_by = self.person(issued_by, &organisation)?;
        let body = Body::ErasureCertificate(ErasureCertificate {
            performed_by,
            media,
            sanitization: Sanitization {
                method_type,
                method: erasure.method.clone(),
                passes: erasure.passes,
                tool: "Refurbdesk".to_owned(),
                tool_version: erasure.tool_version.clone(),
                verification,
                verification_result: "verified".to_owned(),
            },
            destination,
            validated_by,
            validated_at: Utc::now(),
            run,
            replaces: None,
        });
        self.envelope(issued_by, body)
    }

    /// The destruction certificate of a recorded destruction.
    pub fn destruction_certificate(
        &self,
        destruction_id: Uuid,
        issued_by: &str,
    ) -> Result<Document, DocumentError> {
        let destruction = self
            .store
            .destruction(destruction_id)?
            .ok_or(DocumentError::UnknownDestruction(destruction_id))?;
        let organisation = self.organisation()?;
        let body = Body::DestructionCertificate(destruction_body(
            &destruction,
            self.person(&destruction.operator, &organisation)?,
            self.person(issued_by, &organisation)?,
        ));
        self.envelope(issued_by, body)
    }

    /// The audit report of a device, from its latest intake, grade and erasures.
    pub fn device_report(
        &self,
        reference: &str,
        issued_by: &str,
    ) -> Result<Document, DocumentError> {
        let device = self
            .store
            .find_device(reference)?
            .ok_or_else(|| DocumentError::UnknownDevice(crate::error::shorten(reference)))?;
        let intake = self.store.latest_intake(device.id)?;
        let grade = self.store.latest_grade(device.id)?;
        let erasures = self.store.erasures_for_device(device.id)?;
        // Tests, items and zones are recorded by id; the report also names
        // them in words, from the checklist of the device's category.
        let checklist = Checklists::embedded().for_category(device.category);
        let storage_gb = intake
            .as_ref()
            .and_then(|intake| intake.identity.storage_gb);
        let battery = intake.as_ref().map(|intake| {
            let battery = &intake.battery;
            let reading = &battery.reading;
            BatteryFacts {
                present: reading.present,
                design_mah: reading.design_mah.map(f64::from),
                full_mah: reading.full_mah.map(f64::from),
                design_mwh: reading.design_mwh.map(f64::from),
                full_mwh: reading.full_mwh.map(f64::from),
                cycles: reading.cycles,
                soh_pct: battery.soh_pct,
                verdict: word(&battery.verdict),
                // Facts where the intake has them, so the document prints in
                // any language; an older intake's English words otherwise.
                reasons: words_without_findings(&battery.reasons, &battery.findings),
                findings: battery.findings.clone(),
            }
        });
        let lock = intake.as_ref().map(|intake| {
            let lock = &intake.lock;
            LockFacts {
                activation: Some(word(&lock.reading.activation)),
                account: Some(word(&lock.reading.account)),
                mdm: Some(word(&lock.reading.mdm)),
                carrier: Some(word(&lock.reading.carrier)),
                verdict: word(&lock.verdict),
                reasons: words_without_findings(&lock.reasons, &lock.findings),
                findings: lock.findings.clone(),
            }
        });
        let tests = intake
            .as_ref()
            .map(|intake| {
                intake
                    .tests
                    .iter()
                    .map(|test| {
                        let item = checklist.item_for_test(&test.name);
                        CheckFact {
                            name: test.name.clone(),
                            outcome: test.outcome.clone(),
                            detail: test.detail.clone(),
                            labels: item.map(item_labels).unwrap_or_default(),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        let grade = grade.map(|grade| GradeFacts {
            grade_id: grade.id,
            graded_at: grade.graded_at,
            operator: grade.operator.clone(),
            outcome: grade.outcome.to_string(),
            listing_grade: grade.listing_grade.to_string(),
            buyback_grade: grade.buyback_grade.to_string(),
            policy_name: grade.policy_name.clone(),
            policy_version: grade.policy_version.clone(),
            policy_sha256: grade.policy_sha256.clone(),
            partial: grade.partial,
            reasons: reason_texts(&grade.reasons),
            checklist: grade
                .answers
                .iter()
                .map(|answer| {
                    let item = checklist.item(&answer.item);
                    CheckFact {
                        name: answer.item.clone(),
                        outcome: answer.answer.to_string(),
                        detail: None,
                        labels: item.map(item_labels).unwrap_or_default(),
                    }
                })
                .collect(),
            cosmetic: grade
                .zones
                .iter()
                .map(|zone| CheckFact {
                    name: zone.zone.to_string(),
                    outcome: zone.level.to_string(),
                    detail: (!zone.photos.is_empty()).then(|| {
                        zone.photos
                            .iter()
                            .map(|photo| format!("{} sha256:{}", photo.path, photo.sha256))
                            .collect::<Vec<_>>()
                            .join("\n")
                    }),
                    labels: Lang::ALL
                        .iter()
                        .map(|lang| (lang.as_str().to_owned(), zone.zone.title_in(*lang)))
                        .collect(),
                })
                .collect(),
        });
        let body = Body::DeviceReport(DeviceReport {
            device: DeviceIdentity {
                device_id: device.id,
                category: word(&device.category),
                make: device.make.clone(),
                model: device.model.clone(),
                model_code: device.model_code.clone(),
                serial: device.serial.clone(),
                imei: device.imei.clone(),
                imei_valid: device.imei_valid,
                storage_gb,
                first_seen: device.first_seen,
            },
            intake_id: intake.as_ref().map(|intake| intake.id),
            intake_at: intake.as_ref().map(|intake| intake.started_at),
            battery,
            lock,
            tests,
            grade,
            erasures: erasures
                .iter()
                .map(|erasure| ErasureSummary {
                    erasure_id: erasure.id,
                    method: erasure.method.clone(),
                    status: erasure.status.to_string(),
                    target: erasure.target.clone(),
                    bytes_verified: erasure.bytes_verified,
                    finished_at: erasure.finished_at,
                })
                .collect(),
            warranty_months: Some(self.warranty_months()?),
        });
        self.envelope(issued_by, body)
    }

    /// The warranty printed on device reports (`sale.warranty_months`).
    fn warranty_months(&self) -> Result<u32, DocumentError> {
        match self.store.setting(setting::WARRANTY_MONTHS)? {
            Some(value) => {
                setting::warranty_months(&value).map_err(|reason| DocumentError::BadSetting {
                    key: setting::WARRANTY_MONTHS,
                    reason,
                })
            }
            None => Ok(setting::MINIMUM_WARRANTY_MONTHS),
        }
    }

    /// The store documents are recorded in.
    pub fn store(&self) -> &Store {
        self.store
    }

    /// The active signer, creating the organisation's first key on first use.
    pub fn signer(&self) -> Result<Signer, DocumentError> {
        Ok(self.keyring.signer()?)
    }

    /// Signs, prints and records a document.
    pub fn issue(
        &mut self,
        document: &Document,
        lang: Lang,
        links: Links,
    ) -> Result<IssuedDocument, DocumentError> {
        let signer = self.signer()?;
        let issued =
            refurbdesk_certificate::issue(document, lang, &signer, &self.print_options()?)?;
        // The signed data holds every name the page prints; the catalogue's words are covered.
        let missing =
            refurbdesk_certificate::missing_glyphs(&String::from_utf8_lossy(&issued.json));
        if !missing.is_empty() {
            let shown: String = missing.iter().take(12).collect();
            tracing::warn!(
                "document {}: no installed font draws {shown:?}, which print as empty boxes;                  install Noto Sans CJK (Debian package fonts-noto-cjk) or name a font file that                  has them in REFURBDESK_FALLBACK_FONT",
                document.id
            );
        }
        let key = signer.info();
        let new = NewCertificate {
            id: document.id,
            kind: document.kind().as_str().to_owned(),
            erasure_id: links.erasure_id,
            destruction_id: links.destruction_id,
            device_id: links.device_id,
            lang: lang.as_str().to_owned(),
            key: key_record(key),
            signed_json: String::from_utf8_lossy(&issued.json).into_owned(),
            pdf: issued.pdf.clone(),
            pdf_sha256: sha256_hex(&issued.pdf),
            issued_at: document.issued_at,
            issued_by: document.issued_by.name.clone(),
        };
        // A reissued certificate is recorded with the one it replaces, in one transaction.
        let record = match &document.body {
            Body::ErasureCertificate(ErasureCertificate {
                replaces: Some(replaces),
                ..
            }) => self.store.record_replacement_certificate(
                &new,
                replaces.certificate_id,
                &replaces.reason,
            )?,
            _ => self.store.record_certificate(&new)?,
        };
        Ok(IssuedDocument {
            record,
            pdf: issued.pdf,
            json: issued.json,
        })
    }

    /// A recorded document's files: the PDF as issued when `lang` is its own language (or
    /// unset), else a copy printed in `lang` and sealed with the current key.
    pub fn files(
        &self,
        record: &CertificateRecord,
        lang: Option<Lang>,
    ) -> Result<(Vec<u8>, Vec<u8>), DocumentError> {
        let stored_error = |reason: String| DocumentError::Stored {
            id: record.id,
            reason,
        };
        let json = record.signed_json.clone().into_bytes();
        let wanted = lang.map(|lang| lang.as_str().to_owned());
        if wanted.is_none() || wanted.as_deref() == Some(record.lang.as_str()) {
            let pdf = self
                .store
                .certificate_pdf(record.id)?
                .ok_or_else(|| stored_error("its PDF is missing".to_owned()))?;
            return Ok((pdf, json));
        }
        let signed: SignedDocument =
            serde_json::from_slice(&json).map_err(|error| stored_error(error.to_string()))?;
        let pdf = reprint(
            &signed,
            lang.unwrap_or_default(),
            &self.signer()?,
            &self.print_options()?,
        )?;
        Ok((pdf, json))
    }

    /// Every public key this workstation trusts: its keys folder and the keys published to
    /// the database (by this or another station).
    pub fn trusted_keys(&self) -> Result<TrustedKeys, DocumentError> {
        trusted_keys(Some(self.store), self.keyring.dir())
    }
}

/// The public keys a workstation trusts: its keys folder, plus those published to its database
/// when it has one (a file verifies without any database).
pub fn trusted_keys(store: Option<&Store>, keys_dir: &Path) -> Result<TrustedKeys, DocumentError> {
    let mut trusted = Keyring::new(keys_dir).trusted()?;
    if let Some(store) = store {
        for key in store.signing_keys()? {
            if trusted.get(&key.key_id).is_none() {
                trusted.add(refurbdesk_certificate::PublicKeyInfo {
                    key_id: key.key_id,
                    algorithm: key.algorithm,
                    public_key: key.public_key,
                    fingerprint: key.fingerprint,
                    created_at: key.created_at,
                    retired_at: None,
                });
            }
        }
    }
    Ok(trusted)
}

/// A public key as the store publishes it.
pub fn key_record(key: &refurbdesk_certificate::PublicKeyInfo) -> SigningKeyRecord {
    SigningKeyRecord {
        key_id: key.key_id.clone(),
        algorithm: key.algorithm.clone(),
        public_key: key.public_key.clone(),
        fingerprint: key.fingerprint.clone(),
        created_at: key.created_at,
    }
}

/// What a recorded document is about.
#[derive(Debug, Clone, Copy, Default)]
pub struct Links {
    pub erasure_id: Option<Uuid>,
    pub destruction_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
}

/// A serialisable enum's word (`pass`, `phone`, ...).
fn word<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(word)) => word,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn words_without_findings<T>(words: &[String], findings: &[T]) -> Vec<String> {
    if findings.is_empty() {
        words.to_vec()
    } else {
        Vec::new()
    }
}

/// The recorded grade reasons as printed, by language: each sentence (the English one where a
/// reason has none in that language) followed by its rule id. English always; another language
/// when any reason was told in it (grades made before the policy had French sentences were not).
fn reason_texts(reasons: &[Reason]) -> BTreeMap<String, Vec<String>> {
    Lang::ALL
        .iter()
        .filter(|lang| **lang == Lang::En || reasons.iter().any(|reason| reason.has(**lang)))
        .map(|lang| {
            let told = reasons
                .iter()
                .map(|reason| format!("{} ({})", reason.text_in(*lang), reason.rule))
                .collect();
            (lang.as_str().to_owned(), told)
        })
        .collect()
}

/// A checklist item's label in every language, as the catalogue (or its file) words it.
fn item_labels(item: &ChecklistItem) -> BTreeMap<String, String> {
    Lang::ALL
        .iter()
        .map(|lang| (lang.as_str().to_owned(), item.label_in(*lang).to_owned()))
        .collect()
}

fn drive_media_type(drive: &Value) -> String {
    let transport = drive.get("transport").and_then(Value::as_str).unwrap_or("");
    match (transport, drive.get("rotational").and_then(Value::as_bool)) {
        ("nvme", _) => "nvme",
        (_, Some(true)) => "hdd",
        (_, Some(false)) => "ssd",
        _ => "drive",
    }
    .to_owned()
}

fn device_category(device: Option<&refurbdesk_store::DeviceRecord>) -> String {
    device
        .map(|device| word(&device.category))
        .unwrap_or_else(|| "flash".to_owned())
}

fn erasure_run(erasure: &ErasureRecord) -> ErasureRun {
    // Facts, told in the document's language when printed; the bench's own words stay its own.
    let bench = match &erasure.details {
        Some(ErasureDetails::Bench(bench)) => Some(BenchRun {
            vendor: bench.bench.vendor.clone(),
            model: bench.bench.model.clone(),
            serial: bench.bench.serial.clone(),
            slot: bench.bench.slot,
            said: bench.detail.clone(),
        }),
        _ => None,
    };
    let manual = match &erasure.details {
        Some(ErasureDetails::Manual(manual)) => Some(ManualRun {
            platform: manual.platform.clone(),
            checklist_version: manual.checklist_version.clone(),
            steps_confirmed: u32::try_from(manual.steps.len()).unwrap_or(u32::MAX),
        }),
        _ => None,
    };
    let finished_at = erasure.finished_at.unwrap_or(erasure.started_at);
    ErasureRun {
        erasure_id: erasure.id,
        device_id: erasure.device_id,
        station_id: erasure.station_id,
        target_kind: erasure.target_kind.clone(),
        passes_completed: erasure.passes_completed,
        seed: erasure.seed.clone(),
        bytes_written: erasure.bytes_written,
        bytes_verified: erasure.bytes_verified,
        fault_count: erasure.fault_count,
        faults: erasure
            .errors
            .iter()
            .map(|fault| Fault {
                kind: fault.kind.clone(),
                pass: fault.pass,
                offset: fault.offset,
                length: fault.length,
                detail: fault.detail.clone(),
            })
            .collect(),
        started_at: erasure.started_at,
        finished_at,
        duration_s: erasure.duration_s.unwrap_or(0.0),
        throughput_mib_s: erasure.throughput_mib_s.unwrap_or(0.0),
        detail: None,
        bench,
        manual,
    }
}

fn destruction_body(
    destruction: &DestructionRecord,
    performed_by: Person,
    validated_by: Person,
) -> DestructionCertificate {
    let media = &destruction.media;
    let witness = &destruction.witness;
    let evidence = destruction
        .evidence
        .iter()
        .map(|file| Evidence {
            file_name: file.file_name.clone(),
            sha256: file.sha256.clone(),
            size_bytes: file.size_bytes,
        })
        .collect();
    DestructionCertificate {
        destruction_id: destruction.id,
        device_id: destruction.device_id,
        performed_by,
        witness: Person {
            name: witness.name.clone(),
            title: witness.title.clone(),
            organisation: witness.organisation.clone(),
            location: None,
            phone: None,
        },
        media: Media {
            make: media.make.clone(),
            model: media.model.clone(),
            serial: media.serial.clone(),
            imei: media.imei.clone(),
            property_number: media.property_number.clone(),
            media_type: media
                .media_type
                .clone()
                .unwrap_or_else(|| "drive".to_owned()),
            source: media.source.clone(),
            classification: media.classification.clone(),
            data_backed_up: media.data_backed_up,
            size_bytes: media.size_bytes,
            target: None,
            file_name: None,
            head_sha256: None,
        },
        method: destruction.method.as_str().to_owned(),
        method_details: destruction.method_details.clone(),
        destroyed_at: destruction.destroyed_at,
        destination: destruction.destination.clone(),
        evidence,
        validated_by,
        validated_at: Utc::now(),
    }
}
