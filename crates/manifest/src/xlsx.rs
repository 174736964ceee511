//! The first worksheet of an XLSX workbook as rows, numbered as the spreadsheet shows them.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::problem::{FileProblem, Rejected};
use crate::rows::{Cell, Row};

pub(crate) fn xlsx_rows(bytes: &[u8]) -> Result<Vec<Row>, Rejected> {
    let unreadable = |detail: String| Rejected::file(FileProblem::UnreadableXlsx { detail });
    let mut workbook =
        Xlsx::new(Cursor::new(bytes)).map_err(|error| unreadable(error.to_string()))?;
    let range = workbook
        .worksheet_range_at(0)
        .ok_or(Rejected::file(FileProblem::NoSheet))?
        .map_err(|error| unreadable(error.to_string()))?;
    let Some((first_row, first_column)) = range.start() else {
        return Ok(Vec::new());
    };
    // Cells left of the used range are blank; keep column positions as the sheet has them.
    let offset = first_column as usize;
    Ok(range
        .rows()
        .enumerate()
        .map(|(index, cells)| Row {
            line: first_row
                .saturating_add(u32::try_from(index).unwrap_or(u32::MAX))
                .saturating_add(1),
            cells: std::iter::repeat_with(|| Cell::Text(String::new()))
                .take(offset)
                .chain(cells.iter().map(cell))
                .collect(),
        })
        .collect())
}

fn cell(data: &Data) -> Cell {
    match data {
        Data::Int(value) => Cell::Text(value.to_string()),
        Data::Float(value) => Cell::Number(*value),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => {
            Cell::Text(text.clone())
        }
        Data::Bool(value) => Cell::Text(if *value { "TRUE" } else { "FALSE" }.to_owned()),
        Data::DateTime(value) => Cell::Text(value.to_string()),
        Data::Error(error) => Cell::Text(error.to_string()),
        Data::Empty => Cell::Text(String::new()),
    }
}
