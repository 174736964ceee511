//! Signed documents as issued, the destructions they certify, the organisation's public keys
//! and the workstation's settings.
//!
//! The store keeps a document exactly as signed and printed and enforces what may be issued:
//! an erasure certificate only for an erasure that finished and verified, a void only by a
//! quality manager and only once. Signing itself happens outside (crates/certificate).

use chrono::{DateTime, Utc};
use refurbdesk_domain::{DestroyedMedia, DestructionMethod, EvidenceFile, Witness};
use rusqlite::{Connection, OptionalExtension, Row};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{id_text, parse_timestamp, parse_uuid, timestamp};
use crate::error::StoreError;
use crate::operators::authorize;
use crate::roles::Action;
use crate::store::Store;

/// A public signing key, as published to the store so every station can verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningKeyRecord {
    pub key_id: String,
    pub algorithm: String,
    pub public_key: String,
    pub fingerprint: String,
    pub created_at: DateTime<Utc>,
}

/// A signed document ready to be recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewCertificate {
    pub id: Uuid,
    /// `erasure_certificate`, `destruction_certificate`, `device_report` or `batch_report`.
    pub kind: String,
    pub erasure_id: Option<Uuid>,
    pub destruction_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub lang: String,
    /// The key that signed it; recorded with the certificate if the store does not know it yet.
    pub key: SigningKeyRecord,
    pub signed_json: String,
    pub pdf: Vec<u8>,
    pub pdf_sha256: String,
    pub issued_at: DateTime<Utc>,
    pub issued_by: String,
}

/// A recorded document, without its PDF bytes (see [`Store::certificate_pdf`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CertificateRecord {
    pub id: Uuid,
    pub station_id: Uuid,
    pub kind: String,
    pub erasure_id: Option<Uuid>,
    pub destruction_id: Option<Uuid>,
    pub device_id: Option<Uuid>,
    pub lang: String,
    pub key_id: String,
    pub signed_json: String,
    pub pdf_sha256: String,
    pub issued_at: DateTime<Utc>,
    pub issued_by: String,
    pub void: Option<VoidRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoidRecord {
    pub at: DateTime<Utc>,
    pub by: String,
    pub reason: String,
}

/// Which documents [`Store::list_certificates`] returns; unset fields match all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateFilter {
    pub device_id: Option<Uuid>,
    pub erasure_id: Option<Uuid>,
    pub since: Option<DateTime<Utc>>,
    pub kind: Option<String>,
}

/// A physical destruction about to be recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDestruction {
    pub device_id: Option<Uuid>,
    /// The media's description (make, model, serial, media type, size...).
    pub media: DestroyedMedia,
    pub media_serial: Option<String>,
    pub method: DestructionMethod,
    pub method_details: Option<String>,
    pub destroyed_at: DateTime<Utc>,
    pub operator: String,
    pub witness: Witness,
    pub evidence: Vec<EvidenceFile>,
    pub destination: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DestructionRecord {
    pub id: Uuid,
    pub station_id: Uuid,
    pub device_id: Option<Uuid>,
    pub media: DestroyedMedia,
    pub method: DestructionMethod,
    pub method_details: Option<String>,
    pub destroyed_at: DateTime<Utc>,
    pub operator: String,
    pub witness: Witness,
    pub evidence: Vec<EvidenceFile>,
    pub destination: String,
    pub recorded_at: DateTime<Utc>,
}

const KINDS: [&str; 4] = [
    "erasure_certificate",
    "destruction_certificate",
    "device_report",
    "batch_report",
];

const CERTIFICATE_COLUMNS: &str =
    "id, station_id, kind, erasure_id, destruction_id, device_id, lang,
    key_id, signed_json, pdf_sha256, issued_at, issued_by, voided_at, voided_by, void_reason";

fn invalid(field: &str, reason: impl Into<String>) -> StoreError {
    StoreError::InvalidCertificate {
        field: field.to_owned(),
        reason: reason.into(),
    }
}

fn optional_uuid(row: &Row<'_>, column: &str) -> Result<Option<Uuid>, StoreError> {
    let text: Option<String> = row.get(column)?;
    text.map(|text| parse_uuid(&text, column)).transpose()
}

fn certificate_from_row(row: &Row<'_>) -> Result<CertificateRecord, StoreError> {
    let voided_at: Option<String> = row.get("voided_at")?;
    let void = match voided_at {
        Some(at) => Some(VoidRecord {
            at: parse_timestamp(&at, "certificates.voided_at")?,
            by: row.get("voided_by")?,
            reason: row.get("void_reason")?,
        }),
        None => None,
    };
    Ok(CertificateRecord {
        id: parse_uuid(&row.get::<_, String>("id")?, "certificates.id")?,
        station_id: parse_uuid(
            &row.get::<_, String>("station_id")?,
            "certificates.station_id",
        )?,
        kind: row.get("kind")?,
        erasure_id: optional_uuid(row, "erasure_id")?,
        destruction_id: optional_uuid(row, "destruction_id")?,
        device_id: optional_uuid(row, "device_id")?,
        lang: row.get("lang")?,
        key_id: row.get("key_id")?,
        signed_json: row.get("signed_json")?,
        pdf_sha256: row.get("pdf_sha256")?,
        issued_at: parse_timestamp(
            &row.get::<_, String>("issued_at")?,
            "certificates.issued_at",
        )?,
        issued_by: row.get("issued_by")?,
        void,
    })
}

fn read_certificate(conn: &Connection, id: Uuid) -> Result<Option<CertificateRecord>, StoreError> {
    let mut statement = conn.prepare_cached(&format!(
        "SELECT {CERTIFICATE_COLUMNS} FROM certificates WHERE id = ?1"
    ))?;
    let mut rows = statement.query([id_text(id)])?;
    match rows.next()? {
        Some(row) => certificate_from_row(row).map(Some),
        None => Ok(None),
    }
}

/// Inserts a public key, or checks that the one already recorded under its id is the same.
pub(crate) fn publish_key(
    tx: &Connection,
    station_id: Uuid,
    key: &SigningKeyRecord,
    operator: &str,
) -> Result<(), StoreError> {
    let known: Option<String> = tx
        .query_row(
            "SELECT public_key FROM signing_keys WHERE key_id = ?1",
            [&key.key_id],
            |row| row.get(0),
        )
        .optional()?;
    match known {
        Some(public_key) if public_key == key.public_key => Ok(()),
        Some(_) => Err(StoreError::KeyConflict {
            key_id: key.key_id.clone(),
        }),
        None => {
            let entity_id = Uuid::now_v7();
            tx.execute(
                "INSERT INTO signing_keys (id, key_id, algorithm, public_key, fingerprint, created_at, station_id)
                 VALUES (?7, ?1, ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    key.key_id,
                    key.algorithm,
                    key.public_key,
                    key.fingerprint,
                    timestamp(key.created_at),
                    id_text(station_id),
                    id_text(entity_id),
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator,
                    action: "signing_key.published",
                    entity: Entity::SigningKey,
                    entity_id,
                    before: None,
                    after: audit::record_digest(tx, Entity::SigningKey, entity_id)?,
                },
            )?;
            Ok(())
        }
    }
}

impl Store {
    /// Records a signed document. An erasure certificate is refused unless its erasure
    /// finished and verified; a destruction certificate needs its destruction recorded.
    pub fn record_certificate(
        &mut self,
        certificate: &NewCertificate,
    ) -> Result<CertificateRecord, StoreError> {
        self.record_certificate_inner(certificate, None)
    }

    /// Records a signed document that replaces `replaces` (a certificate of the same erasure),
    /// with the reason, in one transaction. The replaced certificate stays valid and is
    /// replaced at most once; only a certificate that is neither void nor replaced already can
    /// be replaced.
    pub fn record_replacement_certificate(
        &mut self,
        certificate: &NewCertificate,
        replaces: Uuid,
        reason: &str,
    ) -> Result<CertificateRecord, StoreError> {
        if reason.trim().is_empty() {
            return Err(invalid(
                "reason",
                "is empty; say why the certificate is issued again",
            ));
        }
        self.record_certificate_inner(certificate, Some((replaces, reason)))
    }

    fn record_certificate_inner(
        &mut self,
        certificate: &NewCertificate,
        replaces: Option<(Uuid, &str)>,
    ) -> Result<CertificateRecord, StoreError> {
        if !KINDS.contains(&certificate.kind.as_str()) {
            return Err(invalid(
                "kind",
                format!(
                    "is {:?}; use erasure_certificate, destruction_certificate, device_report or \
                     batch_report",
                    certificate.kind
                ),
            ));
        }
        if certificate.lang != "en" && certificate.lang != "fr" {
            return Err(invalid(
                "lang",
                format!("is {:?}; use en or fr", certificate.lang),
            ));
        }
        let station_id = self.station_id;
        self.with_full_durability(|store| {
            store.write("record a certificate", |tx| {
                // A batch's audit report is the batch auditor's document.
                let action = match certificate.kind.as_str() {
                    "batch_report" => Action::RunBatch,
                    _ => Action::IssueCertificate,
                };
                authorize(tx, &certificate.issued_by, action)?;
                if let Some(erasure_id) = certificate.erasure_id {
                    certifiable_erasure(tx, erasure_id)?;
                }
                if let Some(destruction_id) = certificate.destruction_id {
                    let known: Option<i64> = tx
                        .query_row(
                            "SELECT 1 FROM destructions WHERE id = ?1",
                            [id_text(destruction_id)],
                            |row| row.get(0),
                        )
                        .optional()?;
                    if known.is_none() {
                        return Err(invalid(
                            "destruction_id",
                            format!("{destruction_id} is not a recorded destruction"),
                        ));
                    }
                }
                publish_key(tx, station_id, &certificate.key, &certificate.issued_by)?;
                tx.execute(
                    "INSERT INTO certificates (id, station_id, kind, erasure_id, destruction_id, device_id,
                         lang, key_id, signed_json, pdf, pdf_sha256, issued_at, issued_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    rusqlite::params![
                        id_text(certificate.id),
                        id_text(station_id),
                        certificate.kind,
                        certificate.erasure_id.map(id_text),
                        certificate.destruction_id.map(id_text),
                        certificate.device_id.map(id_text),
                        certificate.lang,
                        certificate.key.key_id,
                        certificate.signed_json,
                        certificate.pdf,
                        certificate.pdf_sha256,
                        timestamp(certificate.issued_at),
                        certificate.issued_by,
                    ],
                )?;
                audit::append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator: &certificate.issued_by,
                        action: "certificate.issued",
                        entity: Entity::Certificate,
                        entity_id: certificate.id,
                        before: None,
                        after: audit::record_digest(tx, Entity::Certificate, certificate.id)?,
                    },
                )?;
                if let Some((replaces_id, reason)) = replaces {
                    let replaced = read_certificate(tx, replaces_id)?
                        .ok_or(StoreError::UnknownCertificate { id: replaces_id })?;
                    if replaced.erasure_id.is_none() || replaced.erasure_id != certificate.erasure_id {
                        return Err(invalid(
                            "replaces",
                            format!("{replaces_id} is not a certificate of the same erasure"),
                        ));
                    }
                    if crate::overrides::replacement_where(tx, "replaces_id", replaces_id)?.is_some() {
                        return Err(invalid(
                            "replaces",
                            format!("{replaces_id} was already replaced; replace its replacement"),
                        ));
                    }
                    crate::overrides::insert_replacement(
                        tx,
                        station_id,
                        certificate.id,
                        replaces_id,
                        reason,
                        &certificate.issued_by,
                    )?;
                }
                read_certificate(tx, certificate.id)?.ok_or(StoreError::UnknownCertificate {
                    id: certificate.id,
                })
            })
        })
    }

    /// Checks that an erasure may be certified, without writing anything.
    pub fn check_certifiable_erasure(&self, erasure_id: Uuid) -> Result<(), StoreError> {
        certifiable_erasure(&self.conn, erasure_id)
    }

    pub fn certificate(&self, id: Uuid) -> Result<Option<CertificateRecord>, StoreError> {
        read_certificate(&self.conn, id)
    }

    /// The PDF exactly as issued.
    pub fn certificate_pdf(&self, id: Uuid) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .conn
            .query_row(
                "SELECT pdf FROM certificates WHERE id = ?1",
                [id_text(id)],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Documents matching the filter, oldest first.
    pub fn list_certificates(
        &self,
        filter: &CertificateFilter,
    ) -> Result<Vec<CertificateRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(&format!(
            "SELECT {CERTIFICATE_COLUMNS} FROM certificates
             WHERE (?1 IS NULL OR device_id = ?1) AND (?2 IS NULL OR erasure_id = ?2)
               AND (?3 IS NULL OR issued_at >= ?3) AND (?4 IS NULL OR kind = ?4)
             ORDER BY issued_at, id"
        ))?;
        let mut rows = statement.query(rusqlite::params![
            filter.device_id.map(id_text),
            filter.erasure_id.map(id_text),
            filter.since.map(timestamp),
            filter.kind,
        ])?;
        let mut records = Vec::new();
        while let Some(row) = rows.next()? {
            records.push(certificate_from_row(row)?);
        }
        Ok(records)
    }

    /// Marks a document void. Only quality managers (and admins) may; a void is final.
    pub fn void_certificate(
        &mut self,
        id: Uuid,
        reason: &str,
        operator: &str,
    ) -> Result<CertificateRecord, StoreError> {
        if reason.trim().is_empty() {
            return Err(invalid(
                "reason",
                "is empty; say why the certificate is void",
            ));
        }
        let station_id = self.station_id;
        self.with_full_durability(|store| {
            store.write("void a certificate", |tx| {
                authorize(tx, operator, Action::VoidCertificate)?;
                let current = read_certificate(tx, id)?.ok_or(StoreError::UnknownCertificate { id })?;
                if let Some(void) = current.void {
                    return Err(StoreError::AlreadyVoided {
                        id,
                        at: void.at,
                        by: void.by,
                    });
                }
                let before = audit::record_digest(tx, Entity::Certificate, id)?;
                tx.execute(
                    "UPDATE certificates SET voided_at = ?2, voided_by = ?3, void_reason = ?4 WHERE id = ?1",
                    rusqlite::params![id_text(id), timestamp(Utc::now()), operator, reason.trim()],
                )?;
                audit::append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator,
                        action: "certificate.voided",
                        entity: Entity::Certificate,
                        entity_id: id,
                        before,
                        after: audit::record_digest(tx, Entity::Certificate, id)?,
                    },
                )?;
                read_certificate(tx, id)?.ok_or(StoreError::UnknownCertificate { id })
            })
        })
    }

    /// Every public key published to this database.
    pub fn signing_keys(&self) -> Result<Vec<SigningKeyRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT key_id, algorithm, public_key, fingerprint, created_at FROM signing_keys ORDER BY created_at, key_id",
        )?;
        let mut rows = statement.query([])?;
        let mut keys = Vec::new();
        while let Some(row) = rows.next()? {
            keys.push(SigningKeyRecord {
                key_id: row.get(0)?,
                algorithm: row.get(1)?,
                public_key: row.get(2)?,
                fingerprint: row.get(3)?,
                created_at: parse_timestamp(&row.get::<_, String>(4)?, "signing_keys.created_at")?,
            });
        }
        Ok(keys)
    }

    /// Publishes a public key (after a rotation, so other stations verify with it at once).
    pub fn publish_signing_key(
        &mut self,
        key: &SigningKeyRecord,
        operator: &str,
    ) -> Result<(), StoreError> {
        let station_id = self.station_id;
        self.write("publish a signing key", |tx| {
            authorize(tx, operator, Action::IssueCertificate)?;
            publish_key(tx, station_id, key, operator)
        })
    }

    /// Records a physical destruction of media.
    pub fn record_destruction(&mut self, destruction: &NewDestruction) -> Result<Uuid, StoreError> {
        for (field, text) in [
            ("operator", &destruction.operator),
            ("destination", &destruction.destination),
        ] {
            if text.trim().is_empty() {
                return Err(invalid(field, "is empty"));
            }
        }
        let as_json = |field: &str, value: Result<String, serde_json::Error>| {
            value.map_err(|error| invalid(field, format!("cannot be stored as JSON: {error}")))
        };
        let media = as_json("media", serde_json::to_string(&destruction.media))?;
        let witness = as_json("witness", serde_json::to_string(&destruction.witness))?;
        let evidence = as_json("evidence", serde_json::to_string(&destruction.evidence))?;
        let station_id = self.station_id;
        self.with_full_durability(|store| {
            store.write("record a destruction", |tx| {
                authorize(tx, &destruction.operator, Action::Erase)?;
                let id = Uuid::now_v7();
                tx.execute(
                    "INSERT INTO destructions (id, station_id, device_id, media_json, media_serial, method,
                         method_details, destroyed_at, operator, witness_json, evidence_json, destination,
                         recorded_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
                    rusqlite::params![
                        id_text(id),
                        id_text(station_id),
                        destruction.device_id.map(id_text),
                        media,
                        destruction.media_serial,
                        destruction.method.as_str(),
                        destruction.method_details,
                        timestamp(destruction.destroyed_at),
                        destruction.operator,
                        witness,
                        evidence,
                        destruction.destination,
                        timestamp(Utc::now()),
                    ],
                )?;
                audit::append(
                    tx,
                    station_id,
                    AuditWrite {
                        operator: &destruction.operator,
                        action: "destruction.recorded",
                        entity: Entity::Destruction,
                        entity_id: id,
                        before: None,
                        after: audit::record_digest(tx, Entity::Destruction, id)?,
                    },
                )?;
                Ok(id)
            })
        })
    }

    pub fn destruction(&self, id: Uuid) -> Result<Option<DestructionRecord>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT * FROM destructions WHERE id = ?1")?;
        let mut rows = statement.query([id_text(id)])?;
        let Some(row) = rows.next()? else {
            return Ok(None);
        };
        fn json<T: serde::de::DeserializeOwned>(
            row: &Row<'_>,
            column: &str,
            id: Uuid,
        ) -> Result<T, StoreError> {
            let text: String = row.get(column)?;
            serde_json::from_str(&text).map_err(|error| StoreError::Corrupt {
                location: format!("destructions.{column} of {id}"),
                detail: error.to_string(),
            })
        }
        let method: String = row.get("method")?;
        Ok(Some(DestructionRecord {
            id,
            station_id: parse_uuid(
                &row.get::<_, String>("station_id")?,
                "destructions.station_id",
            )?,
            device_id: optional_uuid(row, "device_id")?,
            media: json(row, "media_json", id)?,
            method: method
                .parse()
                .map_err(
                    |error: refurbdesk_domain::UnknownWordError| StoreError::Corrupt {
                        location: format!("destructions.method of {id}"),
                        detail: error.to_string(),
                    },
                )?,
            method_details: row.get("method_details")?,
            destroyed_at: parse_timestamp(
                &row.get::<_, String>("destroyed_at")?,
                "destructions.destroyed_at",
            )?,
            operator: row.get("operator")?,
            witness: json(row, "witness_json", id)?,
            evidence: json(row, "evidence_json", id)?,
            destination: row.get("destination")?,
            recorded_at: parse_timestamp(
                &row.get::<_, String>("recorded_at")?,
                "destructions.recorded_at",
            )?,
        }))
    }

    /// A setting's value (`organisation.name`, ...), if set.
    pub fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// Every setting, by key.
    pub fn settings(&self) -> Result<Vec<(String, String)>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT key, value FROM settings ORDER BY key")?;
        let rows = statement.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Sets a setting. Quality managers and admins only: these words go on every certificate.
    pub fn set_setting(
        &mut self,
        key: &str,
        value: &str,
        operator: &str,
    ) -> Result<(), StoreError> {
        if key.trim().is_empty() || key.contains(char::is_whitespace) {
            return Err(StoreError::InvalidSetting {
                key: key.to_owned(),
                reason: "a setting's name is one word, like organisation.name".to_owned(),
            });
        }
        let station_id = self.station_id;
        self.write("change a setting", |tx| {
            authorize(tx, operator, Action::ManageSettings)?;
            write_setting(
                tx,
                station_id,
                SettingWrite {
                    key,
                    value,
                    at: &timestamp(Utc::now()),
                    operator,
                    unless_unchanged: false,
                },
            )?;
            Ok(())
        })
    }
}

/// One setting to write, audited as `setting.changed`.
pub(crate) struct SettingWrite<'a> {
    pub key: &'a str,
    pub value: &'a str,
    pub at: &'a str,
    pub operator: &'a str,
    /// Write nothing (and log nothing) when the setting already holds `value`.
    pub unless_unchanged: bool,
}

/// Writes a setting and its audit entry inside `tx`; says whether it wrote.
pub(crate) fn write_setting(
    tx: &Connection,
    station_id: Uuid,
    write: SettingWrite<'_>,
) -> Result<bool, StoreError> {
    let existing: Option<(String, String)> = tx
        .query_row(
            "SELECT id, value FROM settings WHERE key = ?1",
            [write.key],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .optional()?;
    let (id, before) = match existing {
        Some((_, current)) if write.unless_unchanged && current == write.value => return Ok(false),
        Some((id, _)) => {
            let id = parse_uuid(&id, "settings.id")?;
            (id, audit::record_digest(tx, Entity::Setting, id)?)
        }
        None => (Uuid::now_v7(), None),
    };
    tx.execute(
        "INSERT INTO settings (id, key, value, updated_at, updated_by, station_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value,
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        rusqlite::params![
            id_text(id),
            write.key,
            write.value,
            write.at,
            write.operator,
            id_text(station_id)
        ],
    )?;
    audit::append(
        tx,
        station_id,
        AuditWrite {
            operator: write.operator,
            action: "setting.changed",
            entity: Entity::Setting,
            entity_id: id,
            before,
            after: audit::record_digest(tx, Entity::Setting, id)?,
        },
    )?;
    Ok(true)
}

fn certifiable_erasure(conn: &Connection, erasure_id: Uuid) -> Result<(), StoreError> {
    let status: Option<String> = conn
        .query_row(
            "SELECT status FROM erasures WHERE id = ?1",
            [id_text(erasure_id)],
            |row| row.get(0),
        )
        .optional()?;
    match status.as_deref() {
        None => Err(StoreError::UnknownErasure { id: erasure_id }),
        Some("verified") => Ok(()),
        Some(status) => Err(StoreError::NotCertifiable {
            erasure_id,
            status: status.to_owned(),
        }),
    }
}
