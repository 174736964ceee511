//! A batch's audit as a spreadsheet: one row per declared line (then one per extra device)
//! with what was declared, what was found, each adjustment and the revised price, as CSV or
//! XLSX. Built from the same facts as the signed batch report, so both say the same.

use std::path::Path;

use refurbdesk_certificate::document::{BatchLine, BatchReport, ExtraDevice};
use refurbdesk_certificate::Lang;

use crate::error::{Error, ErrorCode};

/// The columns, in order: stable names a spreadsheet or a script can rely on (docs/cli.md).
pub const COLUMNS: [&str; 24] = [
    "line",
    "customer_ref",
    "imei",
    "serial",
    "category",
    "declared_make",
    "declared_model",
    "declared_storage_gb",
    "declared_grade",
    "declared_accessories",
    "received_at",
    "device_id",
    "found_make",
    "found_model",
    "found_storage_gb",
    "found_grade",
    "found_lock",
    "found_accessories",
    "status",
    "currency",
    "quoted",
    "revised",
    "adjustments",
    "certificates",
];

/// One cell: text, or a number a spreadsheet can add up.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    /// A sum of money in cents, written as a decimal with two places.
    Cents(u64),
    Integer(u64),
    Empty,
}

impl Cell {
    fn text(value: Option<&str>) -> Cell {
        match value {
            Some(text) if !text.is_empty() => Cell::Text(text.to_owned()),
            _ => Cell::Empty,
        }
    }

    fn joined(values: &[String], separator: &str) -> Cell {
        if values.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(values.join(separator))
        }
    }

    /// As CSV writes it: money with a decimal point and two places.
    fn csv(&self) -> String {
        match self {
            Cell::Text(text) => text.clone(),
            Cell::Cents(cents) => format!("{}.{:02}", cents / 100, cents % 100),
            Cell::Integer(value) => value.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// What became of a line: `missing`, `not_audited`, or the revision's disposition
/// (`accept`, `readjusted`, `return`, `hold`); `extra` for an undeclared device.
fn status(line: &BatchLine) -> String {
    match (&line.received_at, &line.revision) {
        (None, _) => "missing".to_owned(),
        (Some(_), None) => "not_audited".to_owned(),
        (Some(_), Some(revision)) => revision.disposition.as_str().to_owned(),
    }
}

fn line_row(report: &BatchReport, line: &BatchLine, lang: Lang) -> Vec<Cell> {
    let declared = &line.declared;
    let found = line.found.as_ref();
    let ids = |values: &[uuid::Uuid]| {
        Cell::joined(
            &values.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ";",
        )
    };
    vec![
        Cell::Integer(u64::from(line.line)),
        Cell::text(line.customer_ref.as_deref()),
        Cell::text(declared.imei.as_deref()),
        Cell::text(declared.serial.as_deref()),
        Cell::text(declared.category.as_deref()),
        Cell::text(declared.make.as_deref()),
        Cell::text(declared.model.as_deref()),
        declared
            .storage_gb
            .map_or(Cell::Empty, |gb| Cell::Integer(u64::from(gb))),
        Cell::text(declared.grade.as_deref()),
        Cell::joined(&declared.accessories, ";"),
        line.received_at
            .map_or(Cell::Empty, |at| Cell::Text(at.to_rfc3339())),
        found
            .and_then(|found| found.device_id)
            .map_or(Cell::Empty, |id| Cell::Text(id.to_string())),
        Cell::text(found.and_then(|found| found.make.as_deref())),
        Cell::text(found.and_then(|found| found.model.as_deref())),
        found
            .and_then(|found| found.storage_gb)
            .map_or(Cell::Empty, |gb| Cell::Integer(u64::from(gb))),
        Cell::text(found.and_then(|found| found.grade.as_deref())),
        Cell::text(found.and_then(|found| found.lock.as_deref())),
        found.map_or(Cell::Empty, |found| Cell::joined(&found.accessories, ";")),
        Cell::Text(status(line)),
        Cell::Text(report.currency.clone()),
        line.quoted_cents.map_or(Cell::Empty, Cell::Cents),
        match (&line.received_at, &line.revision) {
            (_, Some(revision)) => Cell::Cents(revision.revised_cents),
            // A missing device is paid nothing.
            (None, None) => Cell::Cents(0),
            (Some(_), None) => Cell::Empty,
        },
        line.revision.as_ref().map_or(Cell::Empty, |revision| {
            Cell::joined(
                &revision
                    .adjustments
                    .iter()
                    .map(|adjustment| {
                        format!(
                            "{} [{}]",
                            adjustment.tell(lang, &report.currency),
                            adjustment.rule.as_str()
                        )
                    })
                    .collect::<Vec<_>>(),
                " | ",
            )
        }),
        ids(&line.certificates),
    ]
}

fn extra_row(report: &BatchReport, extra: &ExtraDevice) -> Vec<Cell> {
    let mut row = vec![Cell::Empty; COLUMNS.len()];
    let at = |name: &str| COLUMNS.iter().position(|column| *column == name).unwrap();
    row[at("imei")] = Cell::Text(extra.code.clone());
    row[at("received_at")] = Cell::Text(extra.received_at.to_rfc3339());
    row[at("device_id")] = extra
        .device_id
        .map_or(Cell::Empty, |id| Cell::Text(id.to_string()));
    row[at("found_make")] = Cell::text(extra.make.as_deref());
    row[at("found_model")] = Cell::text(extra.model.as_deref());
    row[at("status")] = Cell::Text("extra".to_owned());
    row[at("currency")] = Cell::Text(report.currency.clone());
    row[at("certificates")] = Cell::joined(
        &extra
            .certificates
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        ";",
    );
    row
}

/// Every row: the declared lines in the manifest's order, then the extra devices.
pub(crate) fn rows(report: &BatchReport, lang: Lang) -> Vec<Vec<Cell>> {
    report
        .lines
        .iter()
        .map(|line| line_row(report, line, lang))
        .chain(report.extras.iter().map(|extra| extra_row(report, extra)))
        .collect()
}

fn write_error(path: &Path, error: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::Data,
        format!("cannot write {}: {error}", path.display()),
    )
}

/// The rows as CSV (UTF-8, comma-separated, a header row), written to `path`.
pub(crate) fn write_csv(path: &Path, rows: &[Vec<Cell>]) -> Result<(), Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(COLUMNS)
        .map_err(|error| write_error(path, error))?;
    for row in rows {
        writer
            .write_record(row.iter().map(Cell::csv))
            .map_err(|error| write_error(path, error))?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| write_error(path, error))?;
    super::write_file_atomically(path, &bytes)
}

/// The rows as one XLSX worksheet: money as numbers with two decimals, so sums work.
pub(crate) fn write_xlsx(path: &Path, rows: &[Vec<Cell>], sheet_name: &str) -> Result<(), Error> {
    use rust_xlsxwriter::{Format, Workbook};
    let fail = |error: rust_xlsxwriter::XlsxError| write_error(path, error);
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("0.00");
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name).map_err(fail)?;
    for (col, name) in COLUMNS.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, *name, &bold)
            .map_err(fail)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    for (index, row) in rows.iter().enumerate() {
        let r = index as u32 + 1;
        for (col, cell) in row.iter().enumerate() {
            let c = col as u16;
            match cell {
                Cell::Text(text) => {
                    sheet.write_string(r, c, text.as_str()).map_err(fail)?;
                }
                Cell::Cents(cents) => {
                    sheet
                        .write_number_with_format(r, c, *cents as f64 / 100.0, &money)
                        .map_err(fail)?;
                }
                Cell::Integer(value) => {
                    sheet.write_number(r, c, *value as f64).map_err(fail)?;
                }
                Cell::Empty => {}
            }
        }
    }
    let bytes = workbook.save_to_buffer().map_err(fail)?;
    super::write_file_atomically(path, &bytes)
}
