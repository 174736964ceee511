//! The batch audit report: a trade-in batch as the customer declared it against what the
//! auditor found, device by device, with the revised quote's reasons, the totals and the
//! erasure certificates issued for the batch's devices.
//!
//! The report is built from [`BatchReport`] facts the caller gathers (no database here), signed
//! and sealed like every other document, and printed as a summary page followed by the
//! per-device table, which flows over as many pages as the batch needs (its header repeated on
//! each page).

use chrono::{DateTime, NaiveDate, Utc};
use refurbdesk_revision::{money, Disposition, Revision};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::sheet::Block;
use crate::texts::Texts;

/// What a batch report states. Codes (categories, grades, lock verdicts, accessories) are
/// stored as the words the product uses (`laptop`, `FUNCTIONAL_GOOD`, `blocked`, `charger`) and
/// told in the document's language when printed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchReport {
    pub batch_id: Uuid,
    /// The customer as the report names them: their name, or their pseudonym once their
    /// personal data was forgotten.
    pub customer: String,
    /// The manifest's file name as imported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<String>,
    pub quote_date: NaiveDate,
    pub quote_expiry: NaiveDate,
    /// When the audit is due, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audit_due: Option<NaiveDate>,
    /// The revision policy the quotes were revised under.
    pub policy_name: String,
    pub policy_version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_sha256: Option<String>,
    pub currency: String,
    /// Every declared line, in the manifest's order.
    pub lines: Vec<BatchLine>,
    /// Devices received that no line declared.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extras: Vec<ExtraDevice>,
    pub totals: BatchTotals,
}

/// One declared device and what became of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchLine {
    /// The manifest's line number (the header is line 1).
    pub line: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_ref: Option<String>,
    pub declared: DeclaredFacts,
    /// When the device was scanned in; `None`: never received (missing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub received_at: Option<DateTime<Utc>>,
    /// What the audit found; `None` when the device was not received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub found: Option<FoundFacts>,
    /// The manifest's quote, in cents of the batch's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quoted_cents: Option<u64>,
    /// The quote revised under the policy; `None` until the device is audited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revision: Option<Revision>,
    /// The erasure (or destruction) certificates issued for the device.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<Uuid>,
}

/// A manifest line's declaration.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DeclaredFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imei: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub serial: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub make: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_gb: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accessories: Vec<String>,
}

/// What the audit found on a received device.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FoundFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub make: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_gb: Option<u32>,
    /// The trade-in grade; `None` when not graded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
    /// `clear`, `blocked` or `unknown`; `None` when not read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accessories: Vec<String>,
}

/// A device received that the manifest did not declare.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExtraDevice {
    /// The IMEI or serial scanned.
    pub code: String,
    pub received_at: DateTime<Utc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub make: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<Uuid>,
}

/// The batch's counts and sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct BatchTotals {
    pub declared: u32,
    pub received: u32,
    pub missing: u32,
    pub extra: u32,
    pub audited: u32,
    /// The sum of every declared line's quote.
    pub quoted_cents: u64,
    /// The sum of the audited lines' revised prices (a missing device is paid nothing).
    pub revised_cents: u64,
}

impl BatchTotals {
    /// The totals the lines and extras add up to.
    pub fn of(lines: &[BatchLine], extras: &[ExtraDevice]) -> BatchTotals {
        let mut totals = BatchTotals {
            declared: lines.len() as u32,
            extra: extras.len() as u32,
            ..BatchTotals::default()
        };
        for line in lines {
            totals.quoted_cents += line.quoted_cents.unwrap_or(0);
            if line.received_at.is_some() {
                totals.received += 1;
            } else {
                totals.missing += 1;
            }
            if let Some(revision) = &line.revision {
                totals.audited += 1;
                totals.revised_cents += revision.revised_cents;
            }
        }
        totals
    }
}

impl BatchReport {
    /// Every certificate the report lists, with the manifest line of its device (`None` for
    /// an extra device).
    pub fn certificates(&self) -> impl Iterator<Item = (Option<u32>, Uuid)> + '_ {
        self.lines
            .iter()
            .flat_map(|line| line.certificates.iter().map(|id| (Some(line.line), *id)))
            .chain(
                self.extras
                    .iter()
                    .flat_map(|extra| extra.certificates.iter().map(|id| (None, *id))),
            )
    }
}

fn date(value: &NaiveDate) -> String {
    value.format("%Y-%m-%d").to_string()
}

/// The report's blocks: the summary (batch, totals, dispositions), then the per-device
/// table, the extra devices and the certificates.
pub(crate) fn blocks(t: &Texts, report: &BatchReport) -> Vec<Block> {
    let lang = t.lang;
    let currency = report.currency.as_str();
    let cash = |cents: u64| money(lang, cents, currency);
    let totals = &report.totals;
    let mut blocks = vec![
        Block::Paragraph(t.t("batch_report.statement")),
        Block::Heading(t.t("section.batch")),
    ];
    let mut batch = vec![
        (t.t("batch.id"), report.batch_id.to_string()),
        (t.t("batch.customer"), report.customer.clone()),
        (t.t("batch.quote_date"), date(&report.quote_date)),
        (t.t("batch.quote_expiry"), date(&report.quote_expiry)),
    ];
    if let Some(due) = &report.audit_due {
        batch.push((t.t("batch.audit_due"), date(due)));
    }
    let received: Vec<&DateTime<Utc>> = report
        .lines
        .iter()
        .filter_map(|line| line.received_at.as_ref())
        .chain(report.extras.iter().map(|extra| &extra.received_at))
        .collect();
    if let (Some(first), Some(last)) = (received.iter().min(), received.iter().max()) {
        batch.push((
            t.t("batch.received"),
            t.tell(
                "batch.received_value",
                &[("first", &t.datetime(first)), ("last", &t.datetime(last))],
            ),
        ));
    }
    batch.push((
        t.t("batch.policy"),
        format!("{} {}", report.policy_name, report.policy_version),
    ));
    batch.push((t.t("batch.currency"), report.currency.clone()));
    if let Some(manifest) = &report.manifest {
        batch.push((t.t("batch.manifest"), manifest.clone()));
    }
    if let Some(sha) = &report.policy_sha256 {
        batch.push((t.t("batch.policy_sha256"), sha.clone()));
    }
    blocks.push(Block::Grid(batch));

    blocks.push(Block::Heading(t.t("section.batch_totals")));
    let mut counts = vec![
        (t.t("batch.declared"), t.integer(u64::from(totals.declared))),
        (
            t.t("batch.received_count"),
            t.integer(u64::from(totals.received)),
        ),
        (t.t("batch.missing"), t.integer(u64::from(totals.missing))),
        (t.t("batch.extra"), t.integer(u64::from(totals.extra))),
        (t.t("batch.audited"), t.integer(u64::from(totals.audited))),
    ];
    // Dispositions, in the policy's order, only those that occur.
    for disposition in [
        Disposition::Accept,
        Disposition::Readjusted,
        Disposition::Return,
        Disposition::Hold,
    ] {
        let count = report
            .lines
            .iter()
            .filter(|line| {
                line.revision
                    .as_ref()
                    .is_some_and(|revision| revision.disposition == disposition)
            })
            .count();
        if count > 0 {
            counts.push((disposition.tell(lang), t.integer(count as u64)));
        }
    }
    blocks.push(Block::Grid(counts));
    let difference = totals.quoted_cents.saturating_sub(totals.revised_cents);
    blocks.push(Block::Fields(vec![
        (t.t("batch.quoted_total"), cash(totals.quoted_cents)),
        (t.t("batch.revised_total"), cash(totals.revised_cents)),
        (t.t("batch.difference"), format!("−{}", cash(difference))),
    ]));
    if totals.audited < totals.received {
        blocks.push(Block::Paragraph(t.tell(
            "batch.not_all_audited",
            &[(
                "count",
                &t.integer(u64::from(totals.received - totals.audited)),
            )],
        )));
    }

    // The summary is the first page; the devices follow on as many pages as they need.
    blocks.push(Block::PageBreak);
    blocks.push(Block::Heading(
        t.tell("section.batch_devices", &[("currency", currency)]),
    ));
    blocks.push(Block::Table {
        columns: vec![
            t.t("batch.col_line"),
            t.t("batch.col_declared"),
            t.t("batch.col_found"),
            t.t("batch.col_quoted"),
            t.t("batch.col_revised"),
            t.t("batch.col_reasons"),
        ],
        widths: vec![0.06, 0.24, 0.24, 0.09, 0.09, 0.28],
        rows: report
            .lines
            .iter()
            .map(|line| device_row(t, line, currency))
            .collect(),
    });

    if !report.extras.is_empty() {
        blocks.push(Block::Heading(t.t("section.batch_extras")));
        blocks.push(Block::Table {
            columns: vec![
                t.t("batch.col_code"),
                t.t("batch.col_device"),
                t.t("batch.col_received_at"),
            ],
            widths: vec![0.3, 0.4, 0.3],
            rows: report
                .extras
                .iter()
                .map(|extra| {
                    vec![
                        extra.code.clone(),
                        make_model(t, &extra.make, &extra.model),
                        t.datetime(&extra.received_at),
                    ]
                })
                .collect(),
        });
    }

    blocks.push(Block::Heading(t.t("section.batch_certificates")));
    let certificates: Vec<(Option<u32>, Uuid)> = report.certificates().collect();
    if certificates.is_empty() {
        blocks.push(Block::Paragraph(t.t("batch.no_certificates")));
    } else {
        // Two to a row: a 10,000-device batch lists as many certificates.
        let line_word = |line: Option<u32>| match line {
            Some(line) => line.to_string(),
            None => t.t("batch.extra_short"),
        };
        blocks.push(Block::Table {
            columns: vec![
                t.t("batch.col_line"),
                t.t("batch.col_certificate"),
                t.t("batch.col_line"),
                t.t("batch.col_certificate"),
            ],
            widths: vec![0.07, 0.43, 0.07, 0.43],
            rows: certificates
                .chunks(2)
                .map(|pair| {
                    let mut row = Vec::with_capacity(4);
                    for (line, id) in pair {
                        row.push(line_word(*line));
                        row.push(id.to_string());
                    }
                    row.resize(4, String::new());
                    row
                })
                .collect(),
        });
    }
    blocks
}

/// A sum in the table, whose column names the currency: `1234.50` / `1234,50`.
fn amount(lang: refurbdesk_domain::Lang, cents: u64) -> String {
    lang.number_text(&format!("{}.{:02}", cents / 100, cents % 100))
}

fn make_model(t: &Texts, make: &Option<String>, model: &Option<String>) -> String {
    let words: Vec<&str> = [make.as_deref(), model.as_deref()]
        .into_iter()
        .flatten()
        .filter(|word| !word.trim().is_empty())
        .collect();
    if words.is_empty() {
        t.t("value.not_specified")
    } else {
        words.join(" ")
    }
}

fn storage(t: &Texts, gb: Option<u32>) -> Option<String> {
    gb.map(|gb| t.tell("batch.storage", &[("gb", &gb.to_string())]))
}

fn accessories(t: &Texts, words: &[String]) -> String {
    if words.is_empty() {
        return t.t("batch.no_accessories");
    }
    words
        .iter()
        .map(|word| t.code("accessory", word))
        .collect::<Vec<_>>()
        .join(", ")
}

fn device_row(t: &Texts, line: &BatchLine, currency: &str) -> Vec<String> {
    let lang = t.lang;
    let declared = &line.declared;
    let number = line.line.to_string();
    let mut declared_cell = Vec::new();
    if let Some(reference) = &line.customer_ref {
        declared_cell.push(format!("{} {reference}", t.t("batch.customer_ref")));
    }
    if let Some(imei) = &declared.imei {
        declared_cell.push(format!("IMEI {imei}"));
    }
    if let Some(serial) = &declared.serial {
        declared_cell.push(format!("{} {serial}", t.t("batch.serial")));
    }
    let mut model = make_model(t, &declared.make, &declared.model);
    if let Some(storage) = storage(t, declared.storage_gb) {
        model = format!("{model} · {storage}");
    }
    declared_cell.push(model);
    if let Some(grade) = &declared.grade {
        declared_cell.push(t.code("buyback", grade));
    }
    // Accessories only where there are some to compare: most phones come without any.
    if !declared.accessories.is_empty() {
        declared_cell.push(accessories(t, &declared.accessories));
    }

    let (found_cell, revised, mut reasons) = match (&line.received_at, &line.found) {
        (None, _) => (
            t.t("batch.not_received"),
            "—".to_owned(),
            vec![t.t("batch.missing_reason")],
        ),
        (Some(_), found) => {
            let mut cell = Vec::new();
            if let Some(found) = found {
                let mut model = make_model(t, &found.make, &found.model);
                if let Some(storage) = storage(t, found.storage_gb) {
                    model = format!("{model} · {storage}");
                }
                cell.push(model);
                cell.push(match &found.grade {
                    Some(grade) => t.code("buyback", grade),
                    None => t.t("batch.not_graded"),
                });
                if let Some(lock) = &found.lock {
                    cell.push(format!(
                        "{} {}",
                        t.t("batch.lock"),
                        t.code("lock_verdict", lock)
                    ));
                }
                if !found.accessories.is_empty() || !declared.accessories.is_empty() {
                    cell.push(accessories(t, &found.accessories));
                }
            } else {
                cell.push(t.t("batch.received_only"));
            }
            match &line.revision {
                Some(revision) => {
                    let mut reasons = vec![revision.disposition.tell(lang)];
                    reasons.extend(
                        revision
                            .adjustments
                            .iter()
                            .map(|adjustment| format!("• {}", adjustment.tell(lang, currency))),
                    );
                    (
                        cell.join("\n"),
                        amount(lang, revision.revised_cents),
                        reasons,
                    )
                }
                None => (
                    cell.join("\n"),
                    "—".to_owned(),
                    vec![t.t("batch.not_audited")],
                ),
            }
        }
    };
    if line
        .revision
        .as_ref()
        .is_some_and(|revision| revision.requote)
    {
        reasons.push(t.t("batch.requote"));
    }
    vec![
        number,
        declared_cell.join("\n"),
        found_cell,
        line.quoted_cents
            .map(|cents| amount(lang, cents))
            .unwrap_or_else(|| "—".to_owned()),
        revised,
        reasons.join("\n"),
    ]
}
