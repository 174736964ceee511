//! Cells as read from either format, borrowed from the reader where they can be, before any check.

use std::borrow::Cow;

/// A cell: text from a CSV or a spreadsheet's text cell, or a spreadsheet's number cell.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell<'a> {
    Text(Cow<'a, str>),
    Number(f64),
}

impl Cell<'_> {
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

/// A record's cells and the line (or spreadsheet row) it starts on.
pub(crate) struct Row<'r, 'a> {
    pub line: u32,
    pub cells: &'r [Cell<'a>],
}

impl Row<'_, '_> {
    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_blank)
    }
}
