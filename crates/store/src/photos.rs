//! Photos of a device's cosmetic zones: evidence kept with the device, bytes and all.

use chrono::{DateTime, Utc};
use rusqlite::Row;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::codec::{id_text, parse_timestamp, parse_uuid, text_column, timestamp};
use crate::error::{corrupt, StoreError};
use crate::operators::authorize;
use crate::roles::{Action, Actor};
use crate::store::Store;

/// The most bytes a photo may have (10 MiB); the table holds it to that.
pub const PHOTO_MAX_BYTES: usize = 10 * 1024 * 1024;

/// A photo to record. The application checks the zone, the media type and the size first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPhoto {
    pub device_id: Uuid,
    /// The zone's word (`screen`, `back`…).
    pub zone: String,
    /// The name of the file it came from, as given.
    pub file_name: String,
    /// `image/png` or `image/jpeg`.
    pub media_type: String,
    pub bytes: Vec<u8>,
}

/// A recorded photo, without its bytes (see [`Store::photo_bytes`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PhotoRecord {
    pub id: Uuid,
    pub device_id: Uuid,
    pub zone: String,
    /// When it was recorded at the station.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub taken_at: DateTime<Utc>,
    pub operator: String,
    pub file_name: String,
    pub media_type: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub size_bytes: u64,
    /// SHA-256 of the bytes, lowercase hex.
    pub sha256: String,
    pub station_id: Uuid,
}

impl Store {
    /// Records a photo of a device's zone (someone who may grade); audited as `photo.added`.
    pub fn record_photo(
        &mut self,
        new: &NewPhoto,
        acting: &Actor,
    ) -> Result<PhotoRecord, StoreError> {
        if new.bytes.is_empty() || new.bytes.len() > PHOTO_MAX_BYTES {
            return Err(corrupt(
                "photos.bytes",
                format!("a photo has 1 to {PHOTO_MAX_BYTES} bytes"),
            ));
        }
        let station_id = self.station_id;
        let sha256 = hex::encode(Sha256::digest(&new.bytes));
        self.write("record a photo", |tx| {
            authorize(tx, &acting.name, Action::Grade)?;
            let id = Uuid::now_v7();
            tx.execute(
                "INSERT INTO photos (id, device_id, zone, taken_at, operator, file_name,
                    media_type, size_bytes, sha256, bytes, station_id)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                rusqlite::params![
                    id_text(id),
                    id_text(new.device_id),
                    new.zone,
                    timestamp(Utc::now()),
                    acting.name,
                    new.file_name,
                    new.media_type,
                    new.bytes.len() as i64,
                    sha256,
                    new.bytes,
                    id_text(station_id)
                ],
            )?;
            audit::append(
                tx,
                station_id,
                AuditWrite {
                    operator: &acting.name,
                    action: "photo.added",
                    entity: Entity::Photo,
                    entity_id: id,
                    before: None,
                    after: audit::record_digest(tx, Entity::Photo, id)?,
                },
            )?;
            let mut statement = tx.prepare_cached(PHOTO_SELECT_ONE)?;
            let mut rows = statement.query([id_text(id)])?;
            match rows.next()? {
                Some(row) => photo_from_row(row),
                None => Err(corrupt("photos", "a new photo vanished")),
            }
        })
    }

    /// A device's photos, in the order they were taken.
    pub fn photos(&self, device_id: Uuid) -> Result<Vec<PhotoRecord>, StoreError> {
        let mut statement = self.conn.prepare_cached(
            "SELECT id, device_id, zone, taken_at, operator, file_name, media_type, size_bytes,
                    sha256, station_id
             FROM photos WHERE device_id = ?1 ORDER BY taken_at, id",
        )?;
        let mut rows = statement.query([id_text(device_id)])?;
        let mut list = Vec::new();
        while let Some(row) = rows.next()? {
            list.push(photo_from_row(row)?);
        }
        Ok(list)
    }

    /// A photo's record and bytes; `None` when there is no such photo.
    pub fn photo_bytes(&self, id: Uuid) -> Result<Option<(PhotoRecord, Vec<u8>)>, StoreError> {
        let mut statement = self
            .conn
            .prepare_cached("SELECT * FROM photos WHERE id = ?1")?;
        let mut rows = statement.query([id_text(id)])?;
        match rows.next()? {
            Some(row) => {
                let record = photo_from_row(row)?;
                let bytes: Vec<u8> = row.get("bytes")?;
                Ok(Some((record, bytes)))
            }
            None => Ok(None),
        }
    }
}

const PHOTO_SELECT_ONE: &str = "SELECT id, device_id, zone, taken_at, operator, file_name,
        media_type, size_bytes, sha256, station_id
    FROM photos WHERE id = ?1";

fn photo_from_row(row: &Row<'_>) -> Result<PhotoRecord, StoreError> {
    let text = |column: &str| text_column(row, column, "photos");
    let size: i64 = row.get("size_bytes")?;
    Ok(PhotoRecord {
        id: parse_uuid(&text("id")?, "photos.id")?,
        device_id: parse_uuid(&text("device_id")?, "photos.device_id")?,
        zone: text("zone")?,
        taken_at: parse_timestamp(&text("taken_at")?, "photos.taken_at")?,
        operator: text("operator")?,
        file_name: text("file_name")?,
        media_type: text("media_type")?,
        size_bytes: u64::try_from(size).map_err(|error| corrupt("photos.size_bytes", error))?,
        sha256: text("sha256")?,
        station_id: parse_uuid(&text("station_id")?, "photos.station_id")?,
    })
}
