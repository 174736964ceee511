//! Rows to checked lines: the header's columns, then every line, collecting every problem.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

use refurbdesk_domain::{luhn_valid, Accessory, BuybackGrade, DeviceCategory};

use crate::currency::Currency;
use crate::line::{LineIdentifiers, Manifest, ManifestLine, Source};
use crate::price::{cents_of_number, parse_cents, PriceError};
use crate::problem::{FileProblem, LineProblem, ProblemKind, Refusal, Rejected};
use crate::rows::{Cell, Row};

/// The columns the reader knows, by their documented names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Imei,
    Serial,
    Category,
    Make,
    Model,
    StorageGb,
    DeclaredGrade,
    QuotedPrice,
    Currency,
    Accessories,
    CustomerRef,
}

impl Column {
    const ALL: [Column; 11] = [
        Column::Imei,
        Column::Serial,
        Column::Category,
        Column::Make,
        Column::Model,
        Column::StorageGb,
        Column::DeclaredGrade,
        Column::QuotedPrice,
        Column::Currency,
        Column::Accessories,
        Column::CustomerRef,
    ];

    fn name(self) -> &'static str {
        match self {
            Column::Imei => "imei",
            Column::Serial => "serial",
            Column::Category => "category",
            Column::Make => "make",
            Column::Model => "model",
            Column::StorageGb => "storage_gb",
            Column::DeclaredGrade => "declared_grade",
            Column::QuotedPrice => "quoted_price",
            Column::Currency => "currency",
            Column::Accessories => "accessories",
            Column::CustomerRef => "customer_ref",
        }
    }
}

/// The documented names of the columns the reader knows, in documentation order.
pub const KNOWN_COLUMNS: [&str; 11] = [
    "imei",
    "serial",
    "category",
    "make",
    "model",
    "storage_gb",
    "declared_grade",
    "quoted_price",
    "currency",
    "accessories",
    "customer_ref",
];

/// A header cell as compared: trimmed, lower case, spaces and hyphens as underscores.
fn header_key(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            ' ' | '-' => '_',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// Where each column is in a row.
struct Layout {
    known: [Option<usize>; 11],
    extra: Vec<(usize, String)>,
    width: usize,
}

impl Layout {
    fn of(header: &Row<'_, '_>) -> Result<(Layout, Vec<String>), Rejected> {
        let columns: Vec<String> = header
            .cells
            .iter()
            .map(|cell| cell.text().into_owned())
            .collect();
        let mut known = [None; 11];
        let mut extra: Vec<(usize, String)> = Vec::new();
        let mut seen: HashMap<String, ()> = HashMap::new();
        for (index, name) in columns.iter().enumerate() {
            if name.is_empty() {
                continue;
            }
            let key = header_key(name);
            if seen.insert(key.clone(), ()).is_some() {
                return Err(Rejected::file(FileProblem::DuplicateColumn {
                    name: name.clone(),
                }));
            }
            match Column::ALL.iter().position(|column| column.name() == key) {
                Some(position) => known[position] = Some(index),
                None => extra.push((index, name.clone())),
            }
        }
        if known[Column::Imei as usize].is_none() && known[Column::Serial as usize].is_none() {
            return Err(Rejected::file(FileProblem::NoIdentifierColumn { columns }));
        }
        let width = columns.len();
        Ok((
            Layout {
                known,
                extra,
                width,
            },
            columns,
        ))
    }

    fn cell<'r, 'a>(&self, row: &Row<'r, 'a>, column: Column) -> Option<&'r Cell<'a>> {
        self.known[column as usize]
            .and_then(|index| row.cells.get(index))
            .filter(|cell| !cell.is_blank())
    }
}

/// What lines remember of earlier lines: identifiers seen and the manifest's currency.
#[derive(Default)]
struct Seen {
    /// IMEIs as numbers (15 digits fit a u64), hashed faster than strings.
    imeis: HashMap<u64, u32>,
    serials: HashMap<String, u32>,
    currency: Option<(Currency, u32)>,
}

/// Checks rows one at a time as a reader yields them: the first non-blank one is the header, the
/// others device lines; blank rows are skipped.
pub(crate) struct Checker {
    header: Option<(Layout, Vec<String>)>,
    seen: Seen,
    lines: Vec<ManifestLine>,
    /// The identifiers of the lines not kept (from the first bad line on).
    identifiers: Vec<LineIdentifiers>,
    problems: Vec<LineProblem>,
}

impl Checker {
    pub(crate) fn new() -> Self {
        Checker {
            header: None,
            seen: Seen::default(),
            lines: Vec::new(),
            identifiers: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Takes the next row; a bad header refuses the file at once.
    pub(crate) fn row(&mut self, row: Row<'_, '_>) -> Result<(), Rejected> {
        if row.is_blank() {
            return Ok(());
        }
        let Some((layout, _)) = &self.header else {
            self.header = Some(Layout::of(&row)?);
            return Ok(());
        };
        let line = check_row(&row, layout, &mut self.seen, &mut self.problems);
        // Once a line is bad nothing will be imported: stop keeping lines, only their
        // well-formed identifiers (the caller checks them against its records too).
        if self.problems.is_empty() {
            self.lines.push(line);
        } else {
            self.identifiers.push(LineIdentifiers {
                line: line.line,
                imei: line.imei,
                serial: line.serial,
            });
        }
        Ok(())
    }

    /// The manifest, or every problem found with every line's well-formed identifiers.
    pub(crate) fn finish(self, source: Source) -> Result<Manifest, Refusal> {
        let Some((_, columns)) = self.header else {
            return Err(Rejected::file(FileProblem::Empty).into());
        };
        if !self.problems.is_empty() {
            let mut identifiers: Vec<LineIdentifiers> = self
                .lines
                .into_iter()
                .map(|line| LineIdentifiers {
                    line: line.line,
                    imei: line.imei,
                    serial: line.serial,
                })
                .collect();
            identifiers.extend(self.identifiers);
            return Err(Refusal {
                rejected: Rejected::from_problems(self.problems),
                identifiers,
            });
        }
        if self.lines.is_empty() {
            return Err(Rejected::file(FileProblem::NoLines).into());
        }
        Ok(Manifest {
            columns,
            lines: self.lines,
            source,
        })
    }
}

fn check_row(
    row: &Row<'_, '_>,
    layout: &Layout,
    seen: &mut Seen,
    problems: &mut Vec<LineProblem>,
) -> ManifestLine {
    let line = row.line;
    let mut problem = |column: Option<Column>, kind: ProblemKind| {
        problems.push(LineProblem {
            line,
            column: column.map(|column| column.name().to_owned()),
            kind,
        })
    };
    let text = |column: Column| layout.cell(row, column).map(Cell::text);

    if let Some(last) = row.cells.iter().rposition(|cell| !cell.is_blank()) {
        if last >= layout.width {
            problem(
                None,
                ProblemKind::TooManyFields {
                    found: count(last + 1),
                    expected: count(layout.width),
                },
            );
        }
    }

    let imei = text(Column::Imei).and_then(|value| match check_imei(&value) {
        Ok(imei) => {
            let key: u64 = imei.parse().unwrap_or_default();
            if let Some(first_line) = seen.imeis.get(&key) {
                problem(
                    Some(Column::Imei),
                    ProblemKind::DuplicateImei {
                        value: imei.clone(),
                        first_line: *first_line,
                    },
                );
            } else {
                seen.imeis.insert(key, line);
            }
            Some(imei)
        }
        Err(kind) => {
            problem(Some(Column::Imei), kind);
            None
        }
    });
    let serial = text(Column::Serial).map(|value| {
        let key = value.to_uppercase();
        if let Some(first_line) = seen.serials.get(&key) {
            problem(
                Some(Column::Serial),
                ProblemKind::DuplicateSerial {
                    value: value.clone().into_owned(),
                    first_line: *first_line,
                },
            );
        } else {
            seen.serials.insert(key, line);
        }
        value.into_owned()
    });
    if text(Column::Imei).is_none() && serial.is_none() {
        problem(None, ProblemKind::MissingIdentifier);
    }

    let category = text(Column::Category).and_then(|value| {
        word(DeviceCategory::ALL, DeviceCategory::WORDS, &value).or_else(|| {
            problem(
                Some(Column::Category),
                ProblemKind::UnknownCategory {
                    value: value.into_owned(),
                    expected: words(DeviceCategory::WORDS),
                },
            );
            None
        })
    });
    let declared_grade = text(Column::DeclaredGrade).and_then(|value| {
        word(BuybackGrade::ALL, BuybackGrade::WORDS, &value).or_else(|| {
            problem(
                Some(Column::DeclaredGrade),
                ProblemKind::UnknownGrade {
                    value: value.into_owned(),
                    expected: words(BuybackGrade::WORDS),
                },
            );
            None
        })
    });
    let storage_gb = text(Column::StorageGb).and_then(|value| {
        storage(&value).or_else(|| {
            problem(
                Some(Column::StorageGb),
                ProblemKind::BadStorage {
                    value: value.into_owned(),
                },
            );
            None
        })
    });
    let quoted_price_cents = layout.cell(row, Column::QuotedPrice).and_then(|cell| {
        let cents = match cell {
            Cell::Number(number) => cents_of_number(*number),
            Cell::Text(text) => parse_cents(text),
        };
        cents
            .map_err(|error| {
                let value = cell.text().into_owned();
                let kind = match error {
                    PriceError::Bad => ProblemKind::BadPrice { value },
                    PriceError::Ambiguous => ProblemKind::AmbiguousPrice { value },
                    PriceError::Negative => ProblemKind::NegativePrice { value },
                };
                problem(Some(Column::QuotedPrice), kind);
            })
            .ok()
    });
    let currency = match text(Column::Currency) {
        None => Currency::default(),
        Some(value) => value.parse::<Currency>().unwrap_or_else(|_| {
            problem(
                Some(Column::Currency),
                ProblemKind::UnknownCurrency {
                    value: value.into_owned(),
                },
            );
            Currency::default()
        }),
    };
    match &seen.currency {
        None => seen.currency = Some((currency, line)),
        Some((first, first_line)) if *first != currency => problem(
            Some(Column::Currency),
            ProblemKind::MixedCurrency {
                value: currency.to_string(),
                expected: first.to_string(),
                first_line: *first_line,
            },
        ),
        Some(_) => {}
    }
    let mut accessories: Vec<Accessory> = Vec::new();
    if let Some(value) = text(Column::Accessories) {
        for item in value.split([';', ',']).map(str::trim) {
            if item.is_empty() {
                continue;
            }
            match word(Accessory::ALL, Accessory::WORDS, item) {
                Some(accessory) if !accessories.contains(&accessory) => accessories.push(accessory),
                Some(_) => {}
                None => problem(
                    Some(Column::Accessories),
                    ProblemKind::UnknownAccessory {
                        value: item.to_owned(),
                        expected: words(Accessory::WORDS),
                    },
                ),
            }
        }
    }
    let owned = |column: Column| text(column).map(Cow::into_owned);
    let extra: BTreeMap<String, String> = layout
        .extra
        .iter()
        .map(|(index, name)| {
            let value = row
                .cells
                .get(*index)
                .map(|cell| cell.text().into_owned())
                .unwrap_or_default();
            (name.clone(), value)
        })
        .collect();
    ManifestLine {
        line,
        imei,
        serial,
        category,
        make: owned(Column::Make),
        model: owned(Column::Model),
        storage_gb,
        declared_grade,
        quoted_price_cents,
        currency,
        accessories,
        customer_ref: owned(Column::CustomerRef),
        extra,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The value whose word `text` is, ignoring ASCII case and reading a space or hyphen as `_`.
fn word<T: Copy>(all: &[T], words: &[&str], text: &str) -> Option<T> {
    let same = |word: &str| {
        word.len() == text.len()
            && word.bytes().zip(text.bytes()).all(|(expected, found)| {
                let found = if matches!(found, b' ' | b'-') {
                    b'_'
                } else {
                    found
                };
                expected.eq_ignore_ascii_case(&found)
            })
    };
    words
        .iter()
        .position(|word| same(word))
        .map(|index| all[index])
}

fn words(words: &[&str]) -> Vec<String> {
    words.iter().map(|word| (*word).to_owned()).collect()
}

/// `64`, `64 GB`, `64Go`: a whole positive number of gigabytes.
fn storage(text: &str) -> Option<u32> {
    let lower = text.to_lowercase();
    let digits = lower
        .strip_suffix("gb")
        .or_else(|| lower.strip_suffix("go"))
        .unwrap_or(&lower)
        .trim();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|gb| *gb > 0)
}

/// An IMEI cell to its 15 digits, spaces and hyphens between groups removed.
fn check_imei(value: &str) -> Result<String, ProblemKind> {
    if looks_scientific(value) {
        return Err(ProblemKind::ImeiScientific {
            value: value.to_owned(),
        });
    }
    let digits: String = value.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ProblemKind::ImeiNotDigits {
            value: value.to_owned(),
        });
    }
    if digits.len() != 15 {
        return Err(ProblemKind::ImeiLength {
            value: value.to_owned(),
            digits: count(digits.len()),
        });
    }
    if !luhn_valid(&digits) {
        let payload = &digits[..14];
        let expected = (0..10u8)
            .find(|digit| luhn_valid(&format!("{payload}{digit}")))
            .unwrap_or_default();
        return Err(ProblemKind::ImeiCheckDigit {
            value: digits,
            expected,
        });
    }
    Ok(digits)
}

/// `3,56728E+14`, `3.56728e14`: what a spreadsheet makes of a long number.
fn looks_scientific(value: &str) -> bool {
    let Some((mantissa, exponent)) = value.split_once(['e', 'E']) else {
        return false;
    };
    let exponent = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
    !mantissa.is_empty()
        && mantissa
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
        && !exponent.is_empty()
        && exponent.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imeis_are_checked_and_their_groups_joined() {
        assert_eq!(
            check_imei("35-672811-458721-1").as_deref(),
            Ok("356728114587211")
        );
        assert_eq!(
            check_imei("356728114587212"),
            Err(ProblemKind::ImeiCheckDigit {
                value: "356728114587212".into(),
                expected: 1
            })
        );
        assert_eq!(
            check_imei("3,56728E+14"),
            Err(ProblemKind::ImeiScientific {
                value: "3,56728E+14".into()
            })
        );
        assert_eq!(
            check_imei("3567281145872"),
            Err(ProblemKind::ImeiLength {
                value: "3567281145872".into(),
                digits: 13
            })
        );
        assert_eq!(
            check_imei("35672811458721O"),
            Err(ProblemKind::ImeiNotDigits {
                value: "35672811458721O".into()
            })
        );
    }

    #[test]
    fn storage_takes_an_optional_unit() {
        assert_eq!(storage("64"), Some(64));
        assert_eq!(storage("64 GB"), Some(64));
        assert_eq!(storage("128Go"), Some(128));
        assert_eq!(storage("0"), None);
        assert_eq!(storage("1 TB"), None);
        assert_eq!(storage("64.5"), None);
    }
}
