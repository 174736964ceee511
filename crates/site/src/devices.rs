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
    /// The site devices with this IMEI or this serial (a serial may be two makes' devices).
    pub fn find_devices(&mut self, imei_or_serial: &str) -> Result<Vec<SiteDevice>, SiteError> {
        self.require_schema()?;
        let wanted = imei_or_serial.trim();
        let rows = self
            .client
            .query(
                "SELECT device_key, category, make, model, imei, serial, first_seen, first_station
                 FROM site_devices WHERE imei = $1
                 UNION
                 SELECT device_key, category, make, model, imei, serial, first_seen, first_station
                 FROM site_devices WHERE serial = $1
                 ORDER BY device_key",
                &[&wanted],
            )
            .map_err(|error| self.error(error))?;
        let mut devices = Vec::with_capacity(rows.len());
        for row in rows {
            let key: String = row.get(0);
            let station_rows = self
                .client
                .query(
                    "SELECT station_id, device_id FROM site_device_rows WHERE device_key = $1
                     ORDER BY station_id, device_id",
                    &[&key],
                )
                .map_err(|error| self.error(error))?
                .into_iter()
                .map(|row| SiteDeviceRow {
                    station_id: row.get(0),
                    device_id: row.get(1),
                })
                .collect();
            let intakes = self
                .client
                .query(
                    "SELECT station_id, intake_id, started_at, finished_at, operator
                     FROM site_intakes WHERE device_key = $1
                     ORDER BY started_at, station_id, intake_id",
                    &[&key],
                )
                .map_err(|error| self.error(error))?
                .into_iter()
                .map(|row| SiteIntake {
                    station_id: row.get(0),
                    intake_id: row.get(1),
                    started_at: row.get(2),
                    finished_at: row.get(3),
                    operator: row.get(4),
                })
                .collect();
            devices.push(SiteDevice {
                device_key: key,
                category: row.get(1),
                make: row.get(2),
                model: row.get(3),
                imei: row.get(4),
                serial: row.get(5),
                first_seen: row.get(6),
                first_station: row.get(7),
                rows: station_rows,
                intakes,
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
