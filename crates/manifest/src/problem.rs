//! What can be wrong with a manifest: kinds with their data, never sentences. The app tells them
//! in the reader's language from the Fluent catalogue; [`Display`](fmt::Display) here is English
//! for logs and tests only.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One thing wrong with one line of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LineProblem {
    /// The line as a text editor counts it (the header is line 1; a line whose quoted field
    /// holds a newline counts as two); in a spreadsheet, the row number it shows.
    pub line: u32,
    /// The column concerned, by its documented name (`imei`, `quoted_price`…); `None` when the
    /// problem is the whole line's (no identifier, too many fields).
    pub column: Option<String>,
    /// What is wrong, with the values needed to say it.
    pub kind: ProblemKind,
}

/// What is wrong with a line. Serialised as `{"kind": "imei_check_digit", "value": …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemKind {
    /// Neither an IMEI nor a serial number on the line.
    MissingIdentifier,
    /// The IMEI holds something other than digits (spaces and hyphens between groups are allowed).
    ImeiNotDigits { value: String },
    /// The IMEI was turned into a number in scientific notation by a spreadsheet (`3,56728E+14`):
    /// its last digits are lost.
    ImeiScientific { value: String },
    /// The IMEI has `digits` digits instead of 15.
    ImeiLength { value: String, digits: u32 },
    /// The IMEI's last digit is not the Luhn check digit of the first 14 (`expected` is).
    ImeiCheckDigit { value: String, expected: u8 },
    /// The same IMEI is on an earlier line of the file.
    DuplicateImei { value: String, first_line: u32 },
    /// The same serial number is on an earlier line of the file (compared ignoring case).
    DuplicateSerial { value: String, first_line: u32 },
    /// The identifier (IMEI or serial, see the column) is already declared in another open batch.
    /// Never produced by this crate: the app adds it after looking at its open batches.
    DuplicateInOpenBatch { value: String, batch: String },
    /// Not a device category word.
    UnknownCategory {
        value: String,
        expected: Vec<String>,
    },
    /// Not one of the declared-grade words.
    UnknownGrade {
        value: String,
        expected: Vec<String>,
    },
    /// An item of the accessories list is not an accessory word.
    UnknownAccessory {
        value: String,
        expected: Vec<String>,
    },
    /// Storage is not a whole positive number of gigabytes.
    BadStorage { value: String },
    /// The price is not an amount: letters, more than two decimals, misplaced separators.
    BadPrice { value: String },
    /// The price has one separator followed by three digits (`1,234` / `1.234`): thousands or
    /// decimals cannot be told apart, so it is not guessed.
    AmbiguousPrice { value: String },
    /// The price is below zero.
    NegativePrice { value: String },
    /// Not an ISO 4217 currency code.
    UnknownCurrency { value: String },
    /// A manifest is quoted in one currency: this line's differs from the first line's.
    MixedCurrency {
        value: String,
        expected: String,
        first_line: u32,
    },
    /// The line has more fields than the header has columns.
    TooManyFields { found: u32, expected: u32 },
}

/// Why a manifest could not be read at all, before any line is looked at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FileProblem {
    /// No bytes, or nothing but blank lines: there is no header.
    Empty,
    /// A header but no device line.
    NoLines,
    /// The header names neither an `imei` nor a `serial` column; `columns` is the header as read.
    NoIdentifierColumn { columns: Vec<String> },
    /// Two header cells name the same column (compared as the reader does: trimmed, ignoring case).
    DuplicateColumn { name: String },
    /// The bytes are not an XLSX workbook the reader can open; `detail` is the library's words.
    UnreadableXlsx { detail: String },
    /// The workbook has no worksheet.
    NoSheet,
    /// The CSV reader failed; `detail` is the library's words.
    UnreadableCsv { detail: String },
}

/// A manifest refused whole: nothing of it may be imported.
///
/// Either `file` says why it could not be read at all (and `problems` is empty), or `problems`
/// lists every bad line, in line order. The app appends its own problems (such as
/// [`ProblemKind::DuplicateInOpenBatch`]) with [`Rejected::from_problems`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Rejected {
    pub file: Option<FileProblem>,
    pub problems: Vec<LineProblem>,
}

impl Rejected {
    /// A manifest refused for `problem` with the file as a whole.
    pub fn file(problem: FileProblem) -> Self {
        Rejected {
            file: Some(problem),
            problems: Vec::new(),
        }
    }

    /// A manifest refused for these line problems, sorted by line (stable within a line).
    pub fn from_problems(mut problems: Vec<LineProblem>) -> Self {
        problems.sort_by_key(|problem| problem.line);
        Rejected {
            file: None,
            problems,
        }
    }
}

/// A refused manifest as [`check_manifest`](crate::check_manifest) gives it: the problems, and
/// the well-formed identifiers of every device line (empty when the file could not be read at
/// all), for the caller's own checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub rejected: Rejected,
    pub identifiers: Vec<crate::LineIdentifiers>,
}

impl From<Rejected> for Refusal {
    fn from(rejected: Rejected) -> Self {
        Refusal {
            rejected,
            identifiers: Vec::new(),
        }
    }
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            return write!(f, "manifest refused: {file}");
        }
        write!(f, "manifest refused, {} problem(s):", self.problems.len())?;
        for problem in &self.problems {
            write!(f, "\n{problem}")?;
        }
        Ok(())
    }
}

impl fmt::Display for LineProblem {
    /// `line 3, column imei: …`, as the issue shows problems (English, for logs and tests).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column {column}: {}", self.line, self.kind),
            None => write!(f, "line {}: {}", self.line, self.kind),
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProblemKind::MissingIdentifier => f.write_str("neither an IMEI nor a serial number"),
            ProblemKind::ImeiNotDigits { value } => {
                write!(f, "IMEI {value:?} holds characters other than digits")
            }
            ProblemKind::ImeiScientific { value } => write!(
                f,
                "IMEI {value:?} was turned into a number by a spreadsheet and lost its last digits"
            ),
            ProblemKind::ImeiLength { value, digits } => {
                write!(f, "IMEI {value:?} has {digits} digits, not 15")
            }
            ProblemKind::ImeiCheckDigit { value, expected } => write!(
                f,
                "IMEI {value} fails its Luhn check digit (expected {expected})"
            ),
            ProblemKind::DuplicateImei { value, first_line } => {
                write!(f, "IMEI {value} is already on line {first_line}")
            }
            ProblemKind::DuplicateSerial { value, first_line } => {
                write!(f, "serial number {value} is already on line {first_line}")
            }
            ProblemKind::DuplicateInOpenBatch { value, batch } => {
                write!(f, "{value} is already declared in open batch {batch}")
            }
            ProblemKind::UnknownCategory { value, expected } => write!(
                f,
                "{value:?} is not a device category; use one of: {}",
                expected.join(", ")
            ),
            ProblemKind::UnknownGrade { value, expected } => write!(
                f,
                "{value:?} is not a declared grade; use one of: {}",
                expected.join(", ")
            ),
            ProblemKind::UnknownAccessory { value, expected } => write!(
                f,
                "{value:?} is not an accessory; use one of: {}",
                expected.join(", ")
            ),
            ProblemKind::BadStorage { value } => {
                write!(f, "{value:?} is not a whole number of gigabytes")
            }
            ProblemKind::BadPrice { value } => write!(f, "{value:?} is not a price"),
            ProblemKind::AmbiguousPrice { value } => write!(
                f,
                "{value:?} could be thousands or decimals; write 1234 or 1234,00"
            ),
            ProblemKind::NegativePrice { value } => write!(f, "price {value:?} is below zero"),
            ProblemKind::UnknownCurrency { value } => {
                write!(f, "{value:?} is not an ISO 4217 currency code")
            }
            ProblemKind::MixedCurrency {
                value,
                expected,
                first_line,
            } => write!(
                f,
                "currency {value} differs from {expected} on line {first_line}; a manifest has one currency"
            ),
            ProblemKind::TooManyFields { found, expected } => write!(
                f,
                "{found} fields where the header has {expected} columns"
            ),
        }
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileProblem::Empty => f.write_str("the file is empty"),
            FileProblem::NoLines => f.write_str("the file has a header but no device line"),
            FileProblem::NoIdentifierColumn { columns } => write!(
                f,
                "the header has neither an imei nor a serial column (it has: {})",
                columns.join(", ")
            ),
            FileProblem::DuplicateColumn { name } => {
                write!(f, "the header names column {name} twice")
            }
            FileProblem::UnreadableXlsx { detail } => {
                write!(f, "not a readable XLSX workbook: {detail}")
            }
            FileProblem::NoSheet => f.write_str("the workbook has no worksheet"),
            FileProblem::UnreadableCsv { detail } => write!(f, "unreadable CSV: {detail}"),
        }
    }
}
