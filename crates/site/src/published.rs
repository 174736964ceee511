//! Documents as the site holds them, for those who read them off the site: the verification
//! page (`refurbdesk site serve`) reads one document by its id and the published keys, nothing
//! else; `--site URL cert export` reads each listed document's files.

use refurbdesk_store::SiteKey;
use uuid::Uuid;

use crate::{Site, SiteError, SiteVoid};

/// A document as the site holds it, for the page a certificate's QR code opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedDocument {
    /// The station that issued it.
    pub station_id: Uuid,
    /// The signed JSON exactly as the station stored it (its signature is checked by the page).
    pub signed_json: String,
    /// The language it was printed in (`en`, `fr`).
    pub lang: Option<String>,
    /// Set when the certificate was voided.
    pub void: Option<SiteVoid>,
    /// The document issued to replace it, if any.
    pub replaced_by: Option<String>,
}

impl Site {
    /// The document `id` (a document id as the station wrote it), issued at any station; `None`
    /// when the site holds no such document.
    pub fn published_document(&mut self, id: &str) -> Result<Option<PublishedDocument>, SiteError> {
        self.require_schema()?;
        let row = self
            .client
            .query_opt(
                "SELECT c.station_id, c.record ->> 'signed_json', c.record ->> 'voided_at',
                        c.record ->> 'voided_by', c.record ->> 'void_reason',
                        (SELECT r.record ->> 'certificate_id' FROM records r
                         WHERE r.station_id = c.station_id AND r.entity = 'certificate_replacement'
                           AND r.record ->> 'replaces_id' = c.entity_id LIMIT 1),
                        c.record ->> 'lang'
                 FROM records c
                 WHERE c.entity = 'certificate' AND c.entity_id = $1
                 ORDER BY c.seq DESC LIMIT 1",
                &[&id],
            )
            .map_err(|error| self.error(error))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let station_id: Uuid = row.get(0);
        let Some(signed_json) = row.get::<_, Option<String>>(1) else {
            return Err(SiteError::Database {
                site: self.shown.clone(),
                message: format!(
                    "the site's record of document {id} (station {station_id}) has no signed_json"
                ),
            });
        };
        let void = row.get::<_, Option<String>>(2).map(|voided_at| SiteVoid {
            station_id,
            voided_at,
            voided_by: row.get::<_, Option<String>>(3).unwrap_or_default(),
            reason: row.get::<_, Option<String>>(4).unwrap_or_default(),
        });
        Ok(Some(PublishedDocument {
            station_id,
            signed_json,
            void,
            replaced_by: row.get(5),
            lang: row.get(6),
        }))
    }

    /// Every station's published public keys, one row per key.
    pub fn published_keys(&mut self) -> Result<Vec<SiteKey>, SiteError> {
        self.require_schema()?;
        Ok(self
            .client
            .query(
                "SELECT DISTINCT ON (key_id) key_id, algorithm, public_key, fingerprint, created_at
                 FROM site_published_keys() ORDER BY key_id, created_at",
                &[],
            )
            .map_err(|error| self.error(error))?
            .into_iter()
            .map(|row| SiteKey {
                key_id: row.get(0),
                algorithm: row.get(1),
                public_key: row.get(2),
                fingerprint: row.get(3),
                created_at: row.get(4),
            })
            .collect())
    }
}

/// A document's files as its station pushed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFiles {
    /// The PDF as issued.
    pub pdf: Vec<u8>,
    /// The signed JSON (the `.json` export).
    pub signed_json: String,
    /// The PDF's SHA-256 as the station recorded it when it issued the document.
    pub pdf_sha256: String,
}

impl Site {
    /// The files of document `id` issued at `station_id`; `None` when the site holds none.
    pub fn document_files(
        &mut self,
        station_id: Uuid,
        id: &str,
    ) -> Result<Option<DocumentFiles>, SiteError> {
        self.require_schema()?;
        let row = self
            .client
            .query_opt(
                "SELECT record ->> 'pdf', record ->> 'signed_json', record ->> 'pdf_sha256'
                 FROM records
                 WHERE station_id = $1 AND entity = 'certificate' AND entity_id = $2",
                &[&station_id, &id],
            )
            .map_err(|error| self.error(error))?;
        let Some(row) = row else {
            return Ok(None);
        };
        let damaged = |what: &str| SiteError::Database {
            site: self.shown.clone(),
            message: format!("the site's record of document {id} (station {station_id}) {what}"),
        };
        let pdf = row
            .get::<_, Option<String>>(0)
            .ok_or_else(|| damaged("has no PDF"))?;
        let pdf = hex::decode(pdf).map_err(|_| damaged("holds a PDF that is not hex"))?;
        Ok(Some(DocumentFiles {
            pdf,
            signed_json: row
                .get::<_, Option<String>>(1)
                .ok_or_else(|| damaged("has no signed_json"))?,
            pdf_sha256: row
                .get::<_, Option<String>>(2)
                .ok_or_else(|| damaged("has no pdf_sha256"))?,
        }))
    }
}
