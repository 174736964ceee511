//! The first worksheet of an XLSX workbook, row by row, numbered as the spreadsheet shows them.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::check::Checker;
use crate::problem::{FileProblem, Rejected};
use crate::rows::{Cell, Row};

pub(crate) fn check_xlsx(bytes: &[u8], checker: &mut Checker) -> Result<(), Rejected> {
    let unreadable = |detail: String| Rejected::file(FileProblem::UnreadableXlsx { detail });
    let mut workbook =
        Xlsx::new(Cursor::new(bytes)).map_err(|error| unreadable(error.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or(Rejected::file(FileProblem::NoSheet))?
        .map_err(|error| unreadable(error.to_string()))?;
    let Some((first_row, first_column)) = range.start() else {
        return Ok(());
    };
    // Cells left of the used range are blank; keep column positions as the sheet has them.
    let offset = first_column as usize;
    let mut cells = Vec::new();
    for (index, row) in range.rows().enumerate() {
        cells.clear();
        cells.extend((0..offset).map(|_| Cell::Text(Cow::Borrowed(""))));
        cells.extend(row.iter().map(cell));
        let line = first_row
            .saturating_add(u32::try_from(index).unwrap_or(u32::MAX))
            .saturating_add(1);
        checker.row(Row {
            line,
            cells: &cells,
        })?;
    }
    Ok(())
}

fn cell(data: &Data) -> Cell<'_> {
    match data {
        Data::Int(value) => Cell::Text(Cow::Owned(value.to_string())),
        Data::Float(value) => Cell::Number(*value),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            Cell::Text(Cow::Borrowed(text))
        }
        Data::Bool(value) => Cell::Text(Cow::Borrowed(if *value { "TRUE" } else { "FALSE" })),
        Data::DateTime(value) => Cell::Text(Cow::Owned(value.to_string())),
        Data::Error(error) => Cell::Text(Cow::Owned(error.to_string())),
        Data::Empty => Cell::Text(Cow::Borrowed("")),
    }
}
