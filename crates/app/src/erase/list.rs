//! The erasures recorded at this workstation, newest first, filtered by device, status,
//! operator and start; each with the certificates issued for it.

use chrono::{DateTime, Utc};
use refurbdesk_store::{CertificateFilter, ErasureFilter, ErasureRecord, ErasureStatus};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::error::{Error, Result};
use crate::workstation::Workstation;

/// How many erasures a list shows when no limit is given.
pub const DEFAULT_LIMIT: usize = 100;

/// Which erasures to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ListErasuresParams {
    /// Only this device's erasures: an IMEI, a serial, an intake id or a device id.
    pub device: Option<String>,
    /// Only erasures in this state: `running`, `verified`, `failed` or `interrupted`.
    pub status: Option<String>,
    /// Only erasures by this operator (any case).
    pub operator: Option<String>,
    /// Only erasures started at or after this moment.
    pub since: Option<DateTime<Utc>>,
    /// At most this many, newest first: [`DEFAULT_LIMIT`] when unset, all when 0.
    pub limit: Option<usize>,
}

/// One erasure as a list shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ErasureListing {
    /// The id `refurbdesk cert issue --erasure` takes.
    pub id: Uuid,
    pub status: String,
    pub method: String,
    /// `image`, `block`, `bench` or `manual`.
    pub target_kind: String,
    /// The drive, image file or bench slot erased.
    pub target: String,
    pub device_id: Option<Uuid>,
    pub operator: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    #[ts(type = "number")]
    pub bytes_verified: u64,
    /// The documents issued for it, oldest first.
    pub certificates: Vec<Uuid>,
}

/// The words a status filter takes.
pub fn status_words() -> Vec<&'static str> {
    ErasureStatus::ALL
        .iter()
        .map(|status| status.as_str())
        .collect()
}

fn status(word: &str) -> Result<ErasureStatus> {
    let word = word.trim();
    ErasureStatus::ALL
        .into_iter()
        .find(|status| status.as_str().eq_ignore_ascii_case(word))
        .ok_or_else(|| {
            Error::usage(format!(
                "an erasure's status is {}, not {:?}",
                status_words().join(", "),
                crate::error::shorten(word)
            ))
        })
}

/// The erasures matching `params`, newest first.
pub fn list(ws: &Workstation, params: &ListErasuresParams) -> Result<Vec<ErasureListing>> {
    let status = params.status.as_deref().map(status).transpose()?;
    let device_id = super::named_device(&ws.store, params.device.as_deref())?;
    let limit = match params.limit {
        None => Some(DEFAULT_LIMIT),
        Some(0) => None,
        Some(limit) => Some(limit),
    };
    let filter = ErasureFilter {
        device_id,
        status,
        operator: params
            .operator
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned),
        since: params.since,
        limit,
    };
    ws.store
        .list_erasures(&filter)?
        .into_iter()
        .map(|record| listing(ws, record))
        .collect()
}

fn listing(ws: &Workstation, record: ErasureRecord) -> Result<ErasureListing> {
    let certificates = ws
        .store
        .list_certificates(&CertificateFilter {
            erasure_id: Some(record.id),
            ..CertificateFilter::default()
        })?
        .into_iter()
        .map(|certificate| certificate.id)
        .collect();
    Ok(ErasureListing {
        id: record.id,
        status: record.status.to_string(),
        method: record.method,
        target_kind: record.target_kind,
        target: record.target,
        device_id: record.device_id,
        operator: record.operator,
        started_at: record.started_at,
        finished_at: record.finished_at,
        bytes_verified: record.bytes_verified,
        certificates,
    })
}

/// An erasure id as typed: a UUID, else a usage error that says where ids come from.
pub fn parse_erasure_id(text: &str) -> Result<Uuid> {
    Uuid::parse_str(text.trim()).map_err(|_| {
        Error::usage(format!(
            "{:?} is not an erasure id: an erasure's id is the UUID shown when the erasure \
             finished (like 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b)",
            crate::error::shorten(text)
        ))
        .with_hint(crate::error::Hint::ListRecords {
            what: crate::error::RecordKind::Erasures,
        })
    })
}
