//! The site's devices: each station's device rows matched into one site device by IMEI, else by
//! make and serial (schema version 3, kept by the server as rows are pushed), with every intake
//! of every station that read it.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::{Site, SiteError};

/// One device of the site, however many stations read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteDevice {
    /// `imei:<IMEI>`, `serial:<make>:<serial>`, or `row:<station>:<device id>` for a device
    /// with neither.
    pub device_key: String,
    pub category: String,
    pub make: String,
    pub model: String,
    pub imei: Option<String>,
    pub serial: Option<String>,
    /// When the first station that pushed it first saw it (as that station wrote it).
    pub first_seen: String,
    pub first_station: Uuid,
    /// Each station's device row that is this device.
    pub rows: Vec<SiteDeviceRow>,
    /// Every intake of this device at any station, oldest first.
    pub intakes: Vec<SiteIntake>,
}

/// A station's device row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteDeviceRow {
    pub station_id: Uuid,
    pub device_id: String,
}

/// One intake as the site holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteIntake {
    pub station_id: Uuid,
    pub intake_id: String,
    pub started_at: Option<String>,
    pub finished_at: Option<String>,
    pub operator: Option<String>,
}

impl Site {
    /// The site devices with this IMEI or this serial (a serial may be two makes' devices),
    /// each with its rows and intakes at every station: one query, one round trip.
    pub fn find_devices(&mut self, imei_or_serial: &str) -> Result<Vec<SiteDevice>, SiteError> {
        self.require_schema()?;
        let wanted = imei_or_serial.trim();
        let rows = self
            .client
            .query(
                "SELECT d.device_key, d.category, d.make, d.model, d.imei, d.serial, d.first_seen,
                        d.first_station,
                        COALESCE((SELECT json_agg(json_build_object(
                                             'station_id', m.station_id, 'device_id', m.device_id)
                                         ORDER BY m.station_id, m.device_id)
                                  FROM site_device_rows m WHERE m.device_key = d.device_key),
                                 '[]'),
                        COALESCE((SELECT json_agg(json_build_object(
                                             'station_id', i.station_id, 'intake_id', i.intake_id,
                                             'started_at', i.started_at,
                                             'finished_at', i.finished_at, 'operator', i.operator)
                                         ORDER BY i.started_at, i.station_id, i.intake_id)
                                  FROM site_intakes i WHERE i.device_key = d.device_key),
                                 '[]')
                 FROM (SELECT * FROM site_devices WHERE imei = $1
                       UNION
                       SELECT * FROM site_devices WHERE serial = $1) d
                 ORDER BY d.device_key",
                &[&wanted],
            )
            .map_err(|error| self.error(error))?;
        fn part<T: serde::de::DeserializeOwned>(
            site: &str,
            value: serde_json::Value,
            what: &str,
        ) -> Result<T, SiteError> {
            serde_json::from_value(value).map_err(|error| SiteError::Database {
                site: site.to_owned(),
                message: format!("the site's {what} of a device do not read: {error}"),
            })
        }
        let mut devices = Vec::with_capacity(rows.len());
        for row in rows {
            devices.push(SiteDevice {
                device_key: row.get(0),
                category: row.get(1),
                make: row.get(2),
                model: row.get(3),
                imei: row.get(4),
                serial: row.get(5),
                first_seen: row.get(6),
                first_station: row.get(7),
                rows: part(&self.shown, row.get(8), "device rows")?,
                intakes: part(&self.shown, row.get(9), "intakes")?,
            });
        }
        Ok(devices)
    }
}

/// A certificate's void as the site holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteVoid {
    /// The station that issued (and voided) it.
    pub station_id: Uuid,
    pub voided_at: String,
    pub voided_by: String,
    pub reason: String,
}

impl Site {
    /// Whether the certificate `id`, issued at any station, is voided on the site: `None` when
    /// the site holds it valid or does not hold it.
    pub fn certificate_void(&mut self, id: &str) -> Result<Option<SiteVoid>, SiteError> {
        self.require_schema()?;
        let row = self
            .client
            .query_opt(
                "SELECT station_id, record ->> 'voided_at', record ->> 'voided_by',
                        record ->> 'void_reason'
                 FROM records
                 WHERE entity = 'certificate' AND entity_id = $1
                   AND record ->> 'voided_at' IS NOT NULL
                 ORDER BY seq DESC LIMIT 1",
                &[&id],
            )
            .map_err(|error| self.error(error))?;
        Ok(row.map(|row| SiteVoid {
            station_id: row.get(0),
            voided_at: row.get(1),
            voided_by: row.get::<_, Option<String>>(2).unwrap_or_default(),
            reason: row.get::<_, Option<String>>(3).unwrap_or_default(),
        }))
    }
}

/// The quality list's filters and page, as the site answers them (the station's `devices`
/// filters). Text values are compared as the stations wrote them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteDeviceQuery {
    pub imei: Option<String>,
    pub serial: Option<String>,
    /// The latest intake's battery verdict word (`pass`, `replace`…).
    pub battery_verdict: Option<String>,
    /// The latest intake's lock verdict word (`clear`, `blocked`, `unknown`).
    pub lock_verdict: Option<String>,
    /// The latest intake started at or after this moment, written as stations write their
    /// times (RFC 3339, UTC, nanoseconds: `2025-03-14T09:00:00.000000000Z`).
    pub since: Option<String>,
    /// The latest intake's operator.
    pub operator: Option<String>,
    /// The latest grade's outcome; a device never graded does not match.
    pub outcome: Option<String>,
    /// The latest grade's listing grade.
    pub listing_grade: Option<String>,
    /// `None` returns every match.
    pub limit: Option<u32>,
    pub offset: u32,
    /// Starts right after the device whose latest intake is this one (an intake id of any
    /// station): the keyset of the list, newest latest intake first.
    pub after: Option<String>,
}

/// One line of the site's quality list: a site device as its latest intake at any station left
/// it, with its latest grade at any station.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteDeviceLine {
    pub device_key: String,
    /// The station of the latest intake, and its device row there.
    pub station_id: Uuid,
    pub device_id: String,
    pub category: String,
    pub make: String,
    pub model: String,
    pub serial: Option<String>,
    pub imei: Option<String>,
    pub last_intake_id: String,
    /// As the station wrote it.
    pub last_intake_at: String,
    pub last_operator: String,
    pub battery_verdict: String,
    pub soh_pct: Option<f64>,
    pub lock_verdict: String,
    /// Intakes of this device at every station.
    pub intake_count: i64,
    pub outcome: Option<String>,
    pub listing_grade: Option<String>,
}

/// Each site device as its summary (schema version 5, kept by the server as intakes and grades
/// arrive) holds it: its latest intake at any station, its intake count, its latest grade. A
/// page is a range of one index: the order's, or a filter's with the order after it.
const SITE_DEVICE_LIST: &str = "
SELECT d.device_key, d.last_station, d.last_device_id, d.category, d.make, d.model, d.serial,
       d.imei, d.last_intake_id, d.last_started_at, d.last_operator, d.last_battery_verdict,
       d.last_soh_pct, d.last_lock_verdict, d.intake_count, d.last_outcome, d.last_listing_grade
FROM site_devices d
WHERE d.last_intake_id IS NOT NULL
  AND ($1::text IS NULL OR d.imei = $1)
  AND ($2::text IS NULL OR d.serial = $2)
  AND ($3::text IS NULL OR d.last_battery_verdict = $3)
  AND ($4::text IS NULL OR d.last_lock_verdict = $4)
  AND ($5::text IS NULL OR d.last_started_at >= $5)
  AND ($6::text IS NULL OR d.last_operator = $6)
  AND ($7::text IS NULL OR d.last_outcome = $7)
  AND ($8::text IS NULL OR d.last_listing_grade = $8)
  AND ($9::text IS NULL OR (d.last_started_at, d.last_intake_id) < ($9, $10::text))
ORDER BY d.last_started_at DESC, d.last_intake_id DESC
LIMIT $11 OFFSET $12";

impl Site {
    /// The site's quality list: each site device (one however many stations read it) as its
    /// latest intake at any station left it, newest first, filtered on that intake and on the
    /// device's latest grade at any station; paged by keyset (`after`) and `offset`.
    ///
    /// Unknown `after`: [`SiteError::UnknownIntake`].
    pub fn devices(&mut self, query: &SiteDeviceQuery) -> Result<Vec<SiteDeviceLine>, SiteError> {
        self.require_schema()?;
        let after: Option<String> = match &query.after {
            None => None,
            Some(id) => Some(
                self.client
                    .query_opt(
                        "SELECT record ->> 'started_at' FROM records
                         WHERE entity = 'intake' AND entity_id = $1
                         ORDER BY seq DESC LIMIT 1",
                        &[id],
                    )
                    .map_err(|error| self.error(error))?
                    .map(|row| row.get(0))
                    .ok_or_else(|| SiteError::UnknownIntake {
                        site: self.shown.clone(),
                        id: id.clone(),
                    })?,
            ),
        };
        let limit: Option<i64> = query.limit.map(i64::from);
        let offset = i64::from(query.offset);
        let rows = self
            .client
            .query(
                SITE_DEVICE_LIST,
                &[
                    &query.imei,
                    &query.serial,
                    &query.battery_verdict,
                    &query.lock_verdict,
                    &query.since,
                    &query.operator,
                    &query.outcome,
                    &query.listing_grade,
                    &after,
                    &query.after,
                    &limit,
                    &offset,
                ],
            )
            .map_err(|error| self.error(error))?;
        Ok(rows
            .into_iter()
            .map(|row| SiteDeviceLine {
                device_key: row.get(0),
                station_id: row.get(1),
                device_id: row.get(2),
                category: row.get(3),
                make: row.get(4),
                model: row.get(5),
                serial: row.get(6),
                imei: row.get(7),
                last_intake_id: row.get(8),
                last_intake_at: row.get(9),
                last_operator: row.get(10),
                battery_verdict: row.get(11),
                soh_pct: row.get(12),
                lock_verdict: row.get(13),
                intake_count: row.get(14),
                outcome: row.get(15),
                listing_grade: row.get(16),
            })
            .collect())
    }
}

/// A document issued at a station, as the site holds it (its PDF left on the site).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SiteCertificate {
    /// The station that issued it.
    pub station_id: Uuid,
    pub id: String,
    pub kind: String,
    pub lang: String,
    pub key_id: String,
    pub pdf_sha256: String,
    /// As the station wrote it.
    pub issued_at: String,
    pub issued_by: String,
    pub erasure_id: Option<String>,
    pub destruction_id: Option<String>,
    pub device_id: Option<String>,
    pub voided_at: Option<String>,
    pub void_reason: Option<String>,
    /// The certificate this one was issued to replace, and the one issued to replace it.
    pub replaces: Option<String>,
    pub replaced_by: Option<String>,
}

impl Site {
    /// Every station's issued documents, oldest first, with their void state and replacements
    /// as the site holds them: of the site device `device_key` only (each station's row of it)
    /// when given, issued at or after `since` (written as stations write their times) when
    /// given.
    pub fn certificates(
        &mut self,
        device_key: Option<&str>,
        since: Option<&str>,
    ) -> Result<Vec<SiteCertificate>, SiteError> {
        self.require_schema()?;
        let rows = self
            .client
            .query(
                "SELECT c.station_id, c.entity_id, c.record ->> 'kind', c.record ->> 'lang',
                        c.record ->> 'key_id', c.record ->> 'pdf_sha256',
                        c.record ->> 'issued_at', c.record ->> 'issued_by',
                        c.record ->> 'erasure_id', c.record ->> 'destruction_id',
                        c.record ->> 'device_id', c.record ->> 'voided_at',
                        c.record ->> 'void_reason',
                        (SELECT r.record ->> 'replaces_id' FROM records r
                         WHERE r.station_id = c.station_id AND r.entity = 'certificate_replacement'
                           AND r.record ->> 'certificate_id' = c.entity_id LIMIT 1),
                        (SELECT r.record ->> 'certificate_id' FROM records r
                         WHERE r.station_id = c.station_id AND r.entity = 'certificate_replacement'
                           AND r.record ->> 'replaces_id' = c.entity_id LIMIT 1)
                 FROM records c
                 WHERE c.entity = 'certificate'
                   AND ($1::text IS NULL OR EXISTS (
                       SELECT 1 FROM site_device_rows m
                       WHERE m.device_key = $1 AND m.station_id = c.station_id
                         AND m.device_id = c.record ->> 'device_id'))
                   AND ($2::text IS NULL OR c.record ->> 'issued_at' >= $2)
                 ORDER BY c.record ->> 'issued_at', c.entity_id",
                &[&device_key, &since],
            )
            .map_err(|error| self.error(error))?;
        Ok(rows
            .into_iter()
            .map(|row| SiteCertificate {
                station_id: row.get(0),
                id: row.get(1),
                kind: row.get::<_, Option<String>>(2).unwrap_or_default(),
                lang: row.get::<_, Option<String>>(3).unwrap_or_default(),
                key_id: row.get::<_, Option<String>>(4).unwrap_or_default(),
                pdf_sha256: row.get::<_, Option<String>>(5).unwrap_or_default(),
                issued_at: row.get::<_, Option<String>>(6).unwrap_or_default(),
                issued_by: row.get::<_, Option<String>>(7).unwrap_or_default(),
                erasure_id: row.get(8),
                destruction_id: row.get(9),
                device_id: row.get(10),
                voided_at: row.get(11),
                void_reason: row.get(12),
                replaces: row.get(13),
                replaced_by: row.get(14),
            })
            .collect())
    }
}
