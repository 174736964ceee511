//! What a read manifest is: its header as read and its checked, typed lines.

use std::collections::BTreeMap;

use refurbdesk_domain::{Accessory, BuybackGrade, DeviceCategory};
use serde::{Deserialize, Serialize};

use crate::currency::Currency;

/// A manifest whose every line passed its checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Manifest {
    /// The header cells as read (trimmed, case kept), in file order, unnamed ones included.
    pub columns: Vec<String>,
    /// One per device line, in file order; blank lines are skipped.
    pub lines: Vec<ManifestLine>,
    /// How the bytes were read.
    pub source: Source,
}

/// How a manifest's bytes were read: worth showing beside an import ("CSV, Windows-1252, `;`").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Source {
    pub format: Format,
    /// The text encoding of a CSV; `None` for XLSX.
    pub encoding: Option<TextEncoding>,
    /// The field separator detected in a CSV's header line; `None` for XLSX.
    pub separator: Option<char>,
}

/// A manifest's file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Csv,
    Xlsx,
}

/// The text encoding a CSV was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 without a byte order mark.
    Utf8,
    /// UTF-8 starting with a byte order mark (what Excel writes for "CSV UTF-8").
    Utf8Bom,
    /// UTF-16, little- or big-endian, recognised by its byte order mark.
    Utf16,
    /// Windows-1252, assumed whenever the bytes are not valid UTF-8.
    Windows1252,
}

/// One device line of a manifest, checked. Empty cells read as `None` (or an empty list).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ManifestLine {
    /// The line as a text editor counts it (header = 1), or the spreadsheet's row number.
    pub line: u32,
    /// 15 digits with a valid Luhn check digit (group spaces and hyphens removed).
    pub imei: Option<String>,
    /// As written, trimmed.
    pub serial: Option<String>,
    #[cfg_attr(
        feature = "ts",
        ts(type = "\"phone\" | \"tablet\" | \"laptop\" | \"desktop\" | \"monitor\" | null")
    )]
    pub category: Option<DeviceCategory>,
    pub make: Option<String>,
    pub model: Option<String>,
    pub storage_gb: Option<u32>,
    #[cfg_attr(
        feature = "ts",
        ts(
            type = "\"FUNCTIONAL_FLAWLESS\" | \"FUNCTIONAL_GOOD\" | \"FUNCTIONAL_USED\" | \"FUNCTIONAL_CRACKED\" | \"NOT_FUNCTIONAL_USED\" | \"NOT_FUNCTIONAL_CRACKED\" | null"
        )
    )]
    pub declared_grade: Option<BuybackGrade>,
    /// The quote in cents of [`Self::currency`] (integer money, never a float).
    pub quoted_price_cents: Option<i64>,
    /// The line's currency: its `currency` cell, else EUR.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub currency: Currency,
    /// The declared accessories, each once, in the order written.
    #[cfg_attr(
        feature = "ts",
        ts(
            type = "Array<\"charger\" | \"cable\" | \"box\" | \"stylus\" | \"keyboard\" | \"mouse\">"
        )
    )]
    pub accessories: Vec<Accessory>,
    pub customer_ref: Option<String>,
    /// The columns the reader does not know, by header name as read, with their cells as written.
    pub extra: BTreeMap<String, String>,
}

/// The identifiers of one manifest line, as far as they are well formed (an IMEI failing its
/// checks is `None`): what a refused manifest still tells its caller, so that identifiers
/// already declared elsewhere are listed with the other problems.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIdentifiers {
    pub line: u32,
    pub imei: Option<String>,
    pub serial: Option<String>,
}
