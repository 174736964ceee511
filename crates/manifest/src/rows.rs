//! Rows as read from either format, before any check.

use std::borrow::Cow;

/// A cell: text from a CSV or a spreadsheet's text cell, or a spreadsheet's number cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    /// The cell as text, trimmed; a whole number without decimals (`356728114587211`, `64`).
    pub(crate) fn text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(text) => Cow::Borrowed(text.trim()),
            Cell::Number(value) => Cow::Owned(number_text(*value)),
        }
    }

    pub(crate) fn is_blank(&self) -> bool {
        match self {
            Cell::Text(text) => text.trim().is_empty(),
            Cell::Number(_) => false,
        }
    }
}

/// Rust prints floats in full without an exponent; whole numbers lose their `.0`.
fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e17 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// A record and the line (or spreadsheet row) it starts on.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row {
    pub line: u32,
    pub cells: Vec<Cell>,
}

impl Row {
    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}
