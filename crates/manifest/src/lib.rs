//! Reads the manifests trade-in customers send with a batch: CSV or XLSX bytes in, checked typed
//! lines out, or every problem of every bad line, each with its line number and column.
//!
//! Pure: no files, no database. The app reads the file, calls [`read_manifest`], checks the
//! identifiers against its open batches (adding [`ProblemKind::DuplicateInOpenBatch`] problems of
//! the same type) and stores the lines. Problems are kinds with their data, not sentences: the
//! app tells them in the reader's language. The format is described for customers in
//! `docs/manifests.md`.
//!
//! - CSV: `,`, `;` or tab, detected from the header line; UTF-8 with or without a BOM, UTF-16
//!   with a BOM, else Windows-1252; quoted fields, newlines inside quotes; blank lines skipped.
//! - XLSX: the first worksheet, its first non-blank row the header; number cells stay numbers.
//! - Header names are trimmed and compared ignoring case (spaces and hyphens read as `_`); any
//!   order; unknown columns are kept per line in [`ManifestLine::extra`].
//! - A manifest with any bad line is [`Rejected`] whole.
//!
//! ```
//! use refurbdesk_manifest::{read_manifest, Format, ProblemKind};
//! use refurbdesk_domain::{Accessory, BuybackGrade};
//!
//! let csv = "IMEI;Model;Declared_Grade;Quoted_Price;Accessories\n\
//!            356728114587211;iPhone 12;FUNCTIONAL_GOOD;1 234,50;charger\n\
//!            490154203237518;Pixel 7;FUNCTIONAL_USED;99;\"charger;cable\"\n";
//! let manifest = read_manifest(csv.as_bytes(), Format::Csv).unwrap();
//! assert_eq!(manifest.lines.len(), 2);
//! let first = &manifest.lines[0];
//! assert_eq!(first.line, 2);
//! assert_eq!(first.imei.as_deref(), Some("356728114587211"));
//! assert_eq!(first.declared_grade, Some(BuybackGrade::FunctionalGood));
//! assert_eq!(first.quoted_price_cents, Some(123_450));
//! assert_eq!(first.currency.as_str(), "EUR");
//! assert_eq!(manifest.lines[1].accessories, [Accessory::Charger, Accessory::Cable]);
//!
//! let bad = "imei,declared_grade\n356728114587212,FUNCTIONAL_GOOD\n,MINT\n";
//! let rejected = read_manifest(bad.as_bytes(), Format::Csv).unwrap_err();
//! assert_eq!(rejected.problems.len(), 3);
//! assert_eq!(
//!     rejected.problems[0].kind,
//!     ProblemKind::ImeiCheckDigit { value: "356728114587212".into(), expected: 1 }
//! );
//! assert_eq!(
//!     rejected.problems[0].to_string(),
//!     "line 2, column imei: IMEI 356728114587212 fails its Luhn check digit (expected 1)"
//! );
//! assert_eq!(rejected.problems[1].kind, ProblemKind::MissingIdentifier);
//! assert_eq!(rejected.problems[2].column.as_deref(), Some("declared_grade"));
//! ```

mod check;
mod currency;
mod line;
mod price;
mod problem;
mod rows;
mod text;
mod xlsx;

pub use check::KNOWN_COLUMNS;
pub use currency::{Currency, UnknownCurrency};
pub use line::{Format, LineIdentifiers, Manifest, ManifestLine, Source, TextEncoding};
pub use problem::{FileProblem, LineProblem, ProblemKind, Refusal, Rejected};

/// How every XLSX (a ZIP archive) begins.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

impl Format {
    /// The format a file name's extension names (`.csv`, `.tsv`, `.txt`, `.xlsx`, `.xlsm`, any
    /// case), if any.
    ///
    /// ```
    /// use refurbdesk_manifest::Format;
    /// assert_eq!(Format::from_file_name("Lot 12.XLSX"), Some(Format::Xlsx));
    /// assert_eq!(Format::from_file_name("lot.csv"), Some(Format::Csv));
    /// assert_eq!(Format::from_file_name("lot"), None);
    /// ```
    pub fn from_file_name(name: &str) -> Option<Format> {
        let (_, extension) = name.rsplit_once('.')?;
        match extension.to_ascii_lowercase().as_str() {
            "csv" | "tsv" | "txt" => Some(Format::Csv),
            "xlsx" | "xlsm" => Some(Format::Xlsx),
            _ => None,
        }
    }

    /// The format of the bytes: XLSX when they start as a ZIP archive does, else CSV.
    ///
    /// ```
    /// use refurbdesk_manifest::Format;
    /// assert_eq!(Format::sniff(b"PK\x03\x04..."), Format::Xlsx);
    /// assert_eq!(Format::sniff(b"imei,model\n"), Format::Csv);
    /// ```
    pub fn sniff(bytes: &[u8]) -> Format {
        if bytes.starts_with(ZIP_MAGIC) {
            Format::Xlsx
        } else {
            Format::Csv
        }
    }

    /// The format of a file: its extension's when it names one, else sniffed from its bytes.
    pub fn detect(file_name: &str, bytes: &[u8]) -> Format {
        Format::from_file_name(file_name).unwrap_or_else(|| Format::sniff(bytes))
    }
}

/// Reads and checks a whole manifest.
///
/// Returns every line, typed, when all are good; otherwise [`Rejected`] with every problem of
/// every line (or the one reason the file could not be read at all). Identifiers are checked
/// against each other here; against other batches, by the caller (see [`check_manifest`]).
pub fn read_manifest(bytes: &[u8], format: Format) -> Result<Manifest, Rejected> {
    check_manifest(bytes, format).map_err(|refusal| refusal.rejected)
}

/// [`read_manifest`], and when the manifest is refused for its lines, the well-formed
/// identifiers of every device line too, so the caller can check them against its own records
/// (another open batch) and list those problems with the others in one refusal.
///
/// ```
/// use refurbdesk_manifest::{check_manifest, Format};
/// let bad = "imei,serial,declared_grade\n356728114587211,A1,MINT\n356728114587212,B2,\n";
/// let refusal = check_manifest(bad.as_bytes(), Format::Csv).unwrap_err();
/// assert_eq!(refusal.rejected.problems.len(), 2);
/// let ids: Vec<_> = refusal
///     .identifiers
///     .iter()
///     .map(|ids| (ids.line, ids.imei.as_deref(), ids.serial.as_deref()))
///     .collect();
/// assert_eq!(ids, [(2, Some("356728114587211"), Some("A1")), (3, None, Some("B2"))]);
/// ```
pub fn check_manifest(bytes: &[u8], format: Format) -> Result<Manifest, Refusal> {
    let mut checker = check::Checker::new();
    let source = match format {
        Format::Csv => {
            let (text, encoding) = text::decode(bytes);
            let separator = text::detect_separator(&text);
            text::check_csv(&text, separator, &mut checker)?;
            Source {
                format,
                encoding: Some(encoding),
                separator: Some(separator),
            }
        }
        Format::Xlsx => {
            xlsx::check_xlsx(bytes, &mut checker)?;
            Source {
                format,
                encoding: None,
                separator: None,
            }
        }
    };
    checker.finish(source)
}
