//! The quality manager's list of devices, each as its latest intake left it, newest first; and one
//! device in full, as the device screen shows it.

use chrono::{DateTime, Utc};
use refurbdesk_domain::{BatteryVerdictKind, Lang, LockVerdictKind};
/// The grading words the list filters on.
pub use refurbdesk_grading::{ListingGrade, Outcome};
use refurbdesk_store::{DeviceCursor, DeviceFilter, GradeRecord, IntakeRecord};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use crate::documents::DocumentSummary;
use crate::error::{Error, Result};
use crate::workstation::Workstation;

/// Filters apply to each device's latest intake: a device that once needed a battery but passed
/// on re-test is listed under battery `pass`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DevicesParams {
    /// What a person typed in the search box: an IMEI, else a serial. The engine tries it as an
    /// IMEI first, then as a serial.
    #[serde(default)]
    pub query: Option<String>,
    pub imei: Option<String>,
    pub serial: Option<String>,
    /// `pass`, `replace`, `consumed`, `unknown` or `absent`.
    #[ts(type = "string | null")]
    pub battery: Option<BatteryVerdictKind>,
    /// `clear`, `blocked` or `unknown`.
    #[ts(type = "string | null")]
    pub lock: Option<LockVerdictKind>,
    /// Latest intake started at or after this moment.
    pub since: Option<DateTime<Utc>>,
    /// Latest intake run by this operator.
    pub by: Option<String>,
    /// The outcome of the device's latest grade: `sellable`, `repair`, `recycle`, `hold` or
    /// `blocked`. A device never graded does not match.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub outcome: Option<Outcome>,
    /// The listing grade of the device's latest grade: `PREMIUM` … `STALLONE`.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub grade: Option<ListingGrade>,
    /// At most this many devices; 0 lists them all.
    pub limit: u32,
    /// Skip this many devices first (after `after`, if both are given).
    pub offset: u32,
    /// Start right after the device whose latest intake is this one (the `last_intake_id` of
    /// the last device of the previous page): as fast however deep the page.
    pub after: Option<Uuid>,
}

/// One line of the device list: the device and its latest intake, as the store reads it.
pub use refurbdesk_store::DeviceRow;

/// One page of the device list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DevicesPage {
    pub rows: Vec<DeviceRow>,
    /// When more devices match than the page holds, the `after` that gives the next page
    /// (`None`: this page ends the list).
    pub next_after: Option<Uuid>,
}

/// The devices matching the filters, newest latest intake first. A `query` is tried as an IMEI,
/// then, when no device has that IMEI, as a serial.
pub fn list(ws: &Workstation, params: DevicesParams) -> Result<DevicesPage> {
    let after = params.after.map(|id| cursor_after(ws, id)).transpose()?;
    let query = params
        .query
        .as_deref()
        .map(str::trim)
        .filter(|query| !query.is_empty())
        .map(str::to_owned);
    let filter = DeviceFilter {
        imei: params.imei,
        serial: params.serial,
        battery_verdict: params.battery,
        lock_verdict: params.lock,
        since: params.since,
        operator: params.by,
        outcome: params.outcome.map(|outcome| outcome.as_str().to_owned()),
        listing_grade: params.grade.map(|grade| grade.as_str().to_owned()),
        // One row more than asked tells whether more exist, without counting them all.
        limit: (params.limit > 0).then_some(params.limit.saturating_add(1)),
        offset: params.offset,
        after,
    };
    let rows: Vec<DeviceRow> = match query {
        None => ws.store.list_devices(&filter)?,
        Some(query) => {
            let by_imei = ws.store.list_devices(&DeviceFilter {
                imei: Some(query.clone()),
                ..filter.clone()
            })?;
            if by_imei.is_empty() && filter.imei.is_none() {
                ws.store.list_devices(&DeviceFilter {
                    serial: Some(query),
                    ..filter
                })?
            } else {
                by_imei
            }
        }
    };
    let more = params.limit > 0 && rows.len() > params.limit as usize;
    let rows: Vec<DeviceRow> = rows
        .into_iter()
        .take(if more {
            params.limit as usize
        } else {
            usize::MAX
        })
        .map(|row| DeviceRow {
            // Shown as people read it: rounded down, never better than its verdict.
            soh_pct: row.soh_pct.map(refurbdesk_domain::soh_pct_shown),
            ..row
        })
        .collect();
    let next_after = rows.last().filter(|_| more).map(|last| last.last_intake_id);
    Ok(DevicesPage { rows, next_after })
}

/// Where the page after the device whose latest intake is `id` starts.
fn cursor_after(ws: &Workstation, id: Uuid) -> Result<DeviceCursor> {
    let intake = ws.store.intake(id)?.ok_or_else(|| {
        Error::not_found(format!(
            "the page cannot start after intake {id}: there is no such intake in {}; pass the \
             last_intake_id of the last device of the previous page",
            ws.paths.database.display()
        ))
    })?;
    Ok(DeviceCursor {
        last_intake_at: intake.started_at,
        last_intake_id: intake.id,
    })
}

/// Which device to show, and in which language its reasons are told.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeviceShowParams {
    /// An IMEI, a serial, an intake id or a device id.
    pub device: String,
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

/// Everything the device screen shows: who the device is, what its latest intake found, its
/// latest grade, its erasures, its documents and its history, newest last.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeviceDetail {
    pub identity: IdentityView,
    pub intake: Option<IntakeView>,
    pub grade: Option<GradeView>,
    pub erasures: Vec<ErasureView>,
    pub documents: Vec<DocumentSummary>,
    pub history: Vec<HistoryEntry>,
    /// Every operator's confirmation of an unknown lock verdict, newest first: who, when, what
    /// and how it was checked.
    pub lock_confirmations: Vec<crate::locks::LockConfirmationRecord>,
    /// Photos of the device's cosmetic zones, in the order they were taken.
    pub photos: Vec<crate::photos::PhotoRecord>,
    /// The order line it shipped for, once it has.
    pub shipment: Option<crate::ship::Shipment>,
}

/// Who the device is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IdentityView {
    pub device_id: Uuid,
    /// `phone`, `tablet`, `laptop`, `desktop` or `monitor`.
    pub category: String,
    pub make: String,
    pub model: String,
    pub model_code: Option<String>,
    pub serial: Option<String>,
    pub imei: Option<String>,
    /// `None` when the device reported no IMEI.
    pub imei_valid: Option<bool>,
    pub storage_gb: Option<u32>,
    pub first_seen: DateTime<Utc>,
}

/// What the latest intake found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IntakeView {
    pub intake_id: Uuid,
    pub started_at: DateTime<Utc>,
    pub operator: String,
    pub bench_serial: String,
    pub slot: u16,
    pub battery: BatteryView,
    pub lock: LockView,
    /// Each bench test: its name, `pass`, `fail` or `skip`, and the bench's own words.
    pub tests: Vec<TestView>,
    /// Findings about the identity (an IMEI failing its check digit).
    pub identity_reasons: Vec<String>,
}

/// The battery as read and judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct BatteryView {
    pub present: Option<bool>,
    pub design_mah: Option<u32>,
    pub full_mah: Option<u32>,
    pub design_mwh: Option<u32>,
    pub full_mwh: Option<u32>,
    pub cycles: Option<u32>,
    /// The cycle mark for the device's family.
    pub cycle_limit: Option<u32>,
    /// Rounded down to one decimal, so the figure never contradicts the verdict.
    pub soh_pct: Option<f64>,
    /// `pass`, `replace`, `consumed`, `unknown` or `absent`.
    pub verdict: String,
    /// Why, in the language asked for.
    pub reasons: Vec<String>,
}

/// The account and MDM locks as read and judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LockView {
    pub activation: String,
    pub account: String,
    pub mdm: String,
    pub carrier: String,
    /// `clear`, `blocked` or `unknown`.
    pub verdict: String,
    pub reasons: Vec<String>,
}

/// One bench test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TestView {
    pub name: String,
    pub outcome: String,
    /// The bench's own free text, shown as its words.
    pub detail: Option<String>,
}

/// The latest grade.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GradeView {
    pub grade_id: Uuid,
    pub intake_id: Uuid,
    pub graded_at: DateTime<Utc>,
    pub operator: String,
    pub outcome: String,
    pub grade: String,
    pub buyback_grade: String,
    pub partial: bool,
    /// Each reason in the language asked for, followed by its rule id.
    pub reasons: Vec<String>,
    /// Checklist answers given by a person: item id → `pass`, `fail` or `na`.
    pub answers: std::collections::BTreeMap<String, String>,
    /// Zone → cosmetic level.
    pub zones: std::collections::BTreeMap<String, String>,
}

/// One erasure of the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ErasureView {
    pub erasure_id: Uuid,
    pub method: String,
    /// `running`, `completed`, `failed`, `interrupted`…
    pub status: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub operator: String,
    #[ts(type = "number")]
    pub size_bytes: u64,
}

/// What happened to the device, one line per record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// `intake`, `grade`, `erasure`, `document`, `lock` (a confirmed lock verdict), `photo`,
    /// `shipment` or `override` (a technician's answer over a bench test that failed).
    pub kind: String,
    /// The record's id.
    pub id: Uuid,
    pub operator: String,
    /// The record's result in words of the domain: a verdict pair, a grade, a status, a kind.
    pub summary: String,
}

/// The device a reference names, with its latest intake, grade, erasures, documents and
/// history.
pub fn show(ws: &Workstation, params: DeviceShowParams) -> Result<DeviceDetail> {
    let device = crate::grade::find_device_in(&ws.store, &params.device, params.lang)?;
    let intakes = ws.store.intakes_for_device(device.id)?;
    let grades = ws.store.grades_for_device(device.id)?;
    let erasures = ws.store.erasures_for_device(device.id)?;
    let documents = crate::documents::list(
        ws,
        &crate::documents::ListParams {
            device: Some(device.id.to_string()),
            since: None,
        },
    )?;
    let lock_confirmations = ws.store.lock_confirmations(device.id)?;
    let photos = ws.store.photos(device.id)?;
    let shipment = ws
        .store
        .shipment_of_device(device.id)?
        .map(|record| crate::ship::view(record, &device));
    let latest = intakes.iter().max_by_key(|intake| intake.started_at);
    let storage_gb = latest.and_then(|intake| intake.identity.storage_gb);

    let mut history: Vec<HistoryEntry> = Vec::new();
    history.extend(intakes.iter().map(|intake| HistoryEntry {
        at: intake.started_at,
        kind: "intake".into(),
        id: intake.id,
        operator: intake.operator.clone(),
        summary: format!(
            "{} / {}",
            intake.battery.verdict.as_str(),
            intake.lock.verdict.as_str()
        ),
    }));
    history.extend(grades.iter().map(|grade| HistoryEntry {
        at: grade.graded_at,
        kind: "grade".into(),
        id: grade.id,
        operator: grade.operator.to_string(),
        summary: format!("{} {}", grade.outcome, grade.listing_grade),
    }));
    history.extend(erasures.iter().map(|erasure| HistoryEntry {
        at: erasure.started_at,
        kind: "erasure".into(),
        id: erasure.id,
        operator: erasure.operator.clone(),
        summary: format!("{} {}", erasure.method, erasure.status.as_str()),
    }));
    history.extend(documents.iter().map(|document| HistoryEntry {
        at: document.issued_at,
        kind: "document".into(),
        id: document.id,
        operator: document.issued_by.clone(),
        summary: document.kind.clone(),
    }));
    history.extend(
        lock_confirmations
            .iter()
            .rev()
            .map(|confirmation| HistoryEntry {
                at: confirmation.confirmed_at,
                kind: "lock".into(),
                id: confirmation.id,
                operator: confirmation.operator.clone(),
                summary: format!("{}: {}", confirmation.verdict.as_str(), confirmation.note),
            }),
    );
    history.extend(shipment.iter().map(|shipment| HistoryEntry {
        at: shipment.shipped_at,
        kind: "shipment".into(),
        id: shipment.id,
        operator: shipment.operator.clone(),
        summary: format!("{} {}", shipment.order_line, shipment.identity_value),
    }));
    history.extend(photos.iter().map(|photo| HistoryEntry {
        at: photo.taken_at,
        kind: "photo".into(),
        id: photo.id,
        operator: photo.operator.clone(),
        summary: format!("{}: {}", photo.zone, photo.file_name),
    }));
    // A technician's answer over a failed bench test, with who and when.
    let catalogue = refurbdesk_i18n::Catalogue::for_lang(params.lang);
    history.extend(
        ws.store
            .checklist_overrides(device.id)?
            .iter()
            .map(|over| HistoryEntry {
                at: over.recorded_at,
                kind: "override".into(),
                id: over.id,
                operator: over.operator.clone(),
                summary: catalogue.tell(
                    "grade-override-history",
                    &[
                        ("item", over.item.as_str()),
                        ("answer", over.answer.as_str()),
                        ("operator", over.operator.as_str()),
                    ],
                ),
            }),
    );
    history.sort_by_key(|entry| entry.at);

    Ok(DeviceDetail {
        identity: IdentityView {
            device_id: device.id,
            category: device.category.as_str().to_owned(),
            make: device.make,
            model: device.model,
            model_code: device.model_code,
            serial: device.serial,
            imei: device.imei,
            imei_valid: device.imei_valid,
            storage_gb,
            first_seen: device.first_seen,
        },
        intake: latest.map(|intake| intake_view(intake, params.lang)),
        grade: grades
            .iter()
            .max_by_key(|grade| grade.graded_at)
            .map(|grade| grade_view(grade, params.lang)),
        erasures: erasures
            .iter()
            .map(|erasure| ErasureView {
                erasure_id: erasure.id,
                method: erasure.method.clone(),
                status: erasure.status.as_str().to_owned(),
                started_at: erasure.started_at,
                finished_at: erasure.finished_at,
                operator: erasure.operator.clone(),
                size_bytes: erasure.size_bytes,
            })
            .collect(),
        documents,
        history,
        lock_confirmations,
        photos,
        shipment,
    })
}

fn intake_view(intake: &IntakeRecord, lang: Lang) -> IntakeView {
    let battery = &intake.battery;
    let lock = &intake.lock;
    IntakeView {
        intake_id: intake.id,
        started_at: intake.started_at,
        operator: intake.operator.clone(),
        bench_serial: intake.bench.serial.clone(),
        slot: intake.slot,
        battery: BatteryView {
            present: battery.reading.present,
            design_mah: battery.reading.design_mah,
            full_mah: battery.reading.full_mah,
            design_mwh: battery.reading.design_mwh,
            full_mwh: battery.reading.full_mwh,
            cycles: battery.reading.cycles,
            cycle_limit: battery.cycle_limit,
            // Down, never up: 84.96 % below an 85 % threshold must not show as 85.0.
            soh_pct: battery.soh_pct_display(),
            verdict: battery.verdict.as_str().to_owned(),
            reasons: battery.reasons_in(lang),
        },
        lock: LockView {
            activation: lock.reading.activation.as_str().to_owned(),
            account: lock.reading.account.as_str().to_owned(),
            mdm: lock.reading.mdm.as_str().to_owned(),
            carrier: lock.reading.carrier.as_str().to_owned(),
            verdict: lock.verdict.as_str().to_owned(),
            reasons: lock.reasons_in(lang),
        },
        tests: intake
            .tests
            .iter()
            .map(|test| TestView {
                name: test.name.clone(),
                outcome: test.outcome.to_string(),
                detail: test.detail.clone(),
            })
            .collect(),
        identity_reasons: intake.identity.reasons.clone(),
    }
}

fn grade_view(grade: &GradeRecord, lang: Lang) -> GradeView {
    GradeView {
        grade_id: grade.id,
        intake_id: grade.intake_id,
        graded_at: grade.graded_at,
        operator: grade.operator.clone(),
        outcome: grade.outcome.to_string(),
        grade: grade.listing_grade.to_string(),
        buyback_grade: grade.buyback_grade.to_string(),
        partial: grade.partial,
        reasons: grade
            .reasons
            .iter()
            .map(|reason| format!("{} ({})", reason.text_in(lang), reason.rule))
            .collect(),
        answers: grade
            .answers
            .iter()
            .map(|answer| (answer.item.clone(), answer.answer.to_string()))
            .collect(),
        zones: grade
            .zones
            .iter()
            .map(|zone| (zone.zone.to_string(), zone.level.to_string()))
            .collect(),
    }
}
