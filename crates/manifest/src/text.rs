//! A CSV's bytes to text and rows: encoding, separator, records with their editor line numbers.

use std::borrow::Cow;

use encoding_rs::{Encoding, WINDOWS_1252};

use crate::line::TextEncoding;
use crate::problem::{FileProblem, Rejected};
use crate::rows::{Cell, Row};

/// Decodes a CSV: UTF-8 (its BOM dropped), UTF-16 with a BOM, else Windows-1252, which maps every
/// byte to a character, so decoding never fails.
pub(crate) fn decode(bytes: &[u8]) -> (Cow<'_, str>, TextEncoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match std::str::from_utf8(rest) {
            Ok(text) => (Cow::Borrowed(text), TextEncoding::Utf8Bom),
            Err(_) => (
                WINDOWS_1252.decode_without_bom_handling(rest).0,
                TextEncoding::Windows1252,
            ),
        };
    }
    if let Some((encoding, bom_length)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        return (text, TextEncoding::Utf16);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), TextEncoding::Utf8),
        Err(_) => (
            WINDOWS_1252.decode_without_bom_handling(bytes).0,
            TextEncoding::Windows1252,
        ),
    }
}

/// The separator of the header line: whichever of `,`, `;` and tab appears most often outside
/// quotes on the first non-blank line; `,` when none does (a one-column manifest).
pub(crate) fn detect_separator(text: &str) -> char {
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0)];
    let mut quoted = false;
    let mut seen_text = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => {
                if seen_text {
                    break;
                }
            }
            _ if quoted => {}
            _ => {
                if let Some(count) = counts.iter_mut().find(|(sep, _)| *sep == c) {
                    count.1 += 1;
                }
            }
        }
        if !c.is_whitespace() {
            seen_text = true;
        }
    }
    // Highest count wins; on a tie the earlier of `,` `;` tab.
    let mut best = counts[0];
    for candidate in &counts[1..] {
        if candidate.1 > best.1 {
            best = *candidate;
        }
    }
    best.0
}

/// Every record of the CSV text with the line it starts on, blank records included (the
/// caller skips them).
pub(crate) fn csv_rows(text: &str, separator: char) -> Result<Vec<Row>, Rejected> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut lines = LineCounter::new(text.as_bytes());
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {
                let start = record.position().map_or(0, |position| position.byte());
                rows.push(Row {
                    line: lines.line_of_record_at(start),
                    cells: record
                        .iter()
                        .map(|field| Cell::Text(field.to_owned()))
                        .collect(),
                });
            }
            Ok(false) => return Ok(rows),
            Err(error) => {
                return Err(Rejected::file(FileProblem::UnreadableCsv {
                    detail: error.to_string(),
                }))
            }
        }
    }
}

/// Editor line numbers of records. The csv crate's own line count is off after a CRLF, a blank
/// line or a newline inside quotes: its record positions point at the line ending before a
/// record. So count the `\n`s before the record's first byte ourselves, moving forward only.
struct LineCounter<'t> {
    text: &'t [u8],
    offset: usize,
    line: u32,
}

impl<'t> LineCounter<'t> {
    fn new(text: &'t [u8]) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The line of the record the csv reader placed at byte `position` (records come in order).
    fn line_of_record_at(&mut self, position: u64) -> u32 {
        let mut start = usize::try_from(position)
            .unwrap_or(usize::MAX)
            .clamp(self.offset, self.text.len());
        // A record never starts with a line ending: the csv reader skips empty lines.
        while matches!(self.text.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        let newlines = self.text[self.offset..start]
            .iter()
            .filter(|byte| **byte == b'\n')
            .count();
        self.line = self
            .line
            .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.offset = start;
        self.line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_header_lines() {
        assert_eq!(detect_separator("imei,model\n1;2;3;4"), ',');
        assert_eq!(detect_separator("imei;model;\"a,b,c\"\n"), ';');
        assert_eq!(detect_separator("\n\nimei\tmodel\n"), '\t');
        assert_eq!(detect_separator("imei\n"), ',');
        assert_eq!(detect_separator("\"x\ny;z\";a,b;c\n"), ';');
    }

    #[test]
    fn bytes_that_are_not_utf8_are_windows_1252() {
        assert_eq!(
            decode(b"caf\xe9"),
            (Cow::Owned("café".to_owned()), TextEncoding::Windows1252)
        );
        assert_eq!(
            decode("café".as_bytes()),
            (Cow::Borrowed("café"), TextEncoding::Utf8)
        );
        assert_eq!(
            decode(b"\xEF\xBB\xBFcaf\xC3\xA9"),
            (Cow::Borrowed("café"), TextEncoding::Utf8Bom)
        );
        assert_eq!(
            decode(b"\xFF\xFEc\0a\0f\0\xE9\0"),
            (Cow::Owned("café".to_owned()), TextEncoding::Utf16)
        );
    }
}
