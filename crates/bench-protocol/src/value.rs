//! Values on the wire (`%XX` escapes, quoting) and the split of a body into tokens.
//!
//! Tokens are slices of the body; only decoded values allocate, and only when they are kept.

use std::fmt::{self, Write};

use crate::framing::{parse_upper_hex_pair, upper_hex_digit};

/// Bytes that may stand for themselves in a value. `%` introduces an escape and `*` would cut
/// the line at the CRC separator, so both are escaped even though they are printable.
fn is_literal(byte: u8) -> bool {
    (0x20..=0x7E).contains(&byte) && byte != b'%' && byte != b'*'
}

/// A bare token cannot be empty nor hold a space or `"`; a backslash is quoted too so that a
/// reader never has to guess whether it starts an escape.
fn needs_quotes(value: &str) -> bool {
    value.is_empty()
        || value
            .bytes()
            .any(|byte| matches!(byte, b' ' | b'"' | b'\\'))
}

/// Field value codec: %XX escaping of non-printable-ASCII bytes (UTF-8) and '%', quoting when
/// the value contains a space or '"' or '\\' or is empty.
///
/// `*` is escaped as `%2A` as well, because the framing forbids it anywhere in a body.
pub fn encode_value(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len() + 2);
    // Writing into a String cannot fail.
    let _ = write_value(&mut encoded, value);
    encoded
}

pub(crate) fn write_value(out: &mut impl Write, value: &str) -> fmt::Result {
    if needs_quotes(value) {
        write_quoted(out, value)
    } else {
        value.bytes().try_for_each(|byte| write_byte(out, byte))
    }
}

/// Always quoted: used where the grammar asks for `"message"` whatever the text.
pub(crate) fn write_quoted(out: &mut impl Write, value: &str) -> fmt::Result {
    out.write_char('"')?;
    for byte in value.bytes() {
        match byte {
            b'"' => out.write_str("\\\"")?,
            b'\\' => out.write_str("\\\\")?,
            _ => write_byte(out, byte)?,
        }
    }
    out.write_char('"')
}

fn write_byte(out: &mut impl Write, byte: u8) -> fmt::Result {
    if is_literal(byte) {
        out.write_char(char::from(byte))
    } else {
        out.write_char('%')?;
        out.write_char(upper_hex_digit(byte >> 4))?;
        out.write_char(upper_hex_digit(byte))
    }
}

/// Why a value could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValueError {
    BadPercent,
    BadEscape,
    InvalidUtf8,
}

/// A value as it appears in a token, before decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RawValue<'a> {
    Bare(&'a str),
    /// The text between the quotes, escapes still in place.
    Quoted(&'a str),
}

impl RawValue<'_> {
    pub(crate) fn decode(self) -> Result<String, ValueError> {
        match self {
            RawValue::Bare(text) => decode(text, false),
            RawValue::Quoted(text) => decode(text, true),
        }
    }
}

/// One pass for `%XX` and backslash escapes, so that `%5C%22` stays a literal `\"` and is not
/// decoded twice.
fn decode(raw: &str, quoted: bool) -> Result<String, ValueError> {
    let bytes = raw.as_bytes();
    let has_escapes = bytes
        .iter()
        .any(|&byte| byte == b'%' || (quoted && byte == b'\\'));
    if !has_escapes {
        return Ok(raw.to_owned());
    }
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'%' => {
                let (Some(&high), Some(&low)) = (bytes.get(index + 1), bytes.get(index + 2)) else {
                    return Err(ValueError::BadPercent);
                };
                decoded.push(parse_upper_hex_pair(high, low).ok_or(ValueError::BadPercent)?);
                index += 3;
            }
            b'\\' if quoted => {
                match bytes.get(index + 1) {
                    Some(&escaped @ (b'"' | b'\\')) => decoded.push(escaped),
                    _ => return Err(ValueError::BadEscape),
                }
                index += 2;
            }
            _ => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8(decoded).map_err(|_| ValueError::InvalidUtf8)
}

/// Why the body could not be cut into tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenError {
    UnterminatedQuote,
    BadEscape,
    TextAfterQuote,
    StrayQuote,
}

/// One space-separated token; `index` counts from 1 for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub(crate) index: usize,
    pub(crate) text: &'a str,
}

impl<'a> Token<'a> {
    pub(crate) fn is_quoted(&self) -> bool {
        self.text.starts_with('"')
    }

    /// The token as a standalone value (a request argument, a message or detail).
    /// `None` for a `key="..."` token, which is a field, not a value.
    pub(crate) fn as_value(&self) -> Option<RawValue<'a>> {
        if self.is_quoted() {
            Some(RawValue::Quoted(strip_quotes(self.text)))
        } else if self.text.contains('"') {
            None
        } else {
            Some(RawValue::Bare(self.text))
        }
    }

    /// The token as `key=value`, key unchecked. `None` when there is no `=` outside quotes.
    pub(crate) fn as_field(&self) -> Option<(&'a str, RawValue<'a>)> {
        if self.is_quoted() {
            return None;
        }
        let (key, value) = self.text.split_once('=')?;
        // The tokenizer only lets a quote open right after the first `=`.
        if value.starts_with('"') {
            Some((key, RawValue::Quoted(strip_quotes(value))))
        } else {
            Some((key, RawValue::Bare(value)))
        }
    }
}

/// `text` starts and ends with `"` (the tokenizer guarantees it), so this cuts one byte off each
/// end; the fallback only keeps the function total.
fn strip_quotes(text: &str) -> &str {
    text.strip_prefix('"')
        .and_then(|inner| inner.strip_suffix('"'))
        .unwrap_or(text)
}

/// Cuts a body into tokens. Copy, so that peeking is a cheap clone.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tokens<'a> {
    body: &'a str,
    position: usize,
    index: usize,
}

impl<'a> Tokens<'a> {
    pub(crate) fn new(body: &'a str) -> Self {
        Self {
            body,
            position: 0,
            index: 0,
        }
    }

    /// The part of the body not yet tokenized.
    pub(crate) fn remaining(&self) -> &'a str {
        self.body.get(self.position..).unwrap_or("")
    }

    /// Index the next token will have (for "the line ends where X was expected").
    pub(crate) fn next_index(&self) -> usize {
        self.index + 1
    }

    /// `Err` carries the partial token up to where the problem was found.
    pub(crate) fn next_token(&mut self) -> Result<Option<Token<'a>>, (Token<'a>, TokenError)> {
        let bytes = self.body.as_bytes();
        let mut cursor = self.position;
        while bytes.get(cursor) == Some(&b' ') {
            cursor += 1;
        }
        if cursor >= bytes.len() {
            self.position = cursor;
            return Ok(None);
        }
        let start = cursor;
        self.index += 1;
        // Every cut below is at an ASCII byte or at the end, hence on a char boundary.
        let failure = |end: usize, error: TokenError| {
            let end = end.min(bytes.len());
            (
                Token {
                    index: self.index,
                    text: &self.body[start..end],
                },
                error,
            )
        };
        while let Some(&byte) = bytes.get(cursor) {
            match byte {
                b' ' => break,
                b'"' => {
                    let opens_value = cursor == start
                        || (bytes[cursor - 1] == b'=' && !bytes[start..cursor - 1].contains(&b'='));
                    if !opens_value {
                        return Err(failure(cursor + 1, TokenError::StrayQuote));
                    }
                    cursor = closing_quote_end(bytes, cursor + 1)
                        .map_err(|(end, error)| failure(end, error))?;
                    if bytes.get(cursor).is_some_and(|&next| next != b' ') {
                        return Err(failure(cursor + 1, TokenError::TextAfterQuote));
                    }
                    break;
                }
                _ => cursor += 1,
            }
        }
        self.position = cursor;
        Ok(Some(Token {
            index: self.index,
            text: &self.body[start..cursor],
        }))
    }
}

/// Finds the `"` that closes a quoted string whose content starts at `from`, and returns the
/// position just after it.
fn closing_quote_end(bytes: &[u8], from: usize) -> Result<usize, (usize, TokenError)> {
    let mut cursor = from;
    while let Some(&byte) = bytes.get(cursor) {
        match byte {
            b'"' => return Ok(cursor + 1),
            b'\\' => match bytes.get(cursor + 1) {
                Some(b'"' | b'\\') => cursor += 2,
                _ => return Err((cursor + 2, TokenError::BadEscape)),
            },
            _ => cursor += 1,
        }
    }
    Err((bytes.len(), TokenError::UnterminatedQuote))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(body: &str) -> Result<Vec<&str>, (String, TokenError)> {
        let mut tokens = Tokens::new(body);
        let mut out = Vec::new();
        loop {
            match tokens.next_token() {
                Ok(Some(token)) => out.push(token.text),
                Ok(None) => return Ok(out),
                Err((token, error)) => return Err((token.text.to_owned(), error)),
            }
        }
    }

    #[test]
    fn encode_leaves_plain_values_bare() {
        assert_eq!(encode_value("Acme"), "Acme");
        assert_eq!(encode_value("iPhone13,2"), "iPhone13,2");
        assert_eq!(encode_value("a=b"), "a=b");
    }

    #[test]
    fn encode_quotes_spaces_quotes_backslashes_and_empty() {
        assert_eq!(encode_value("iPhone 12"), "\"iPhone 12\"");
        assert_eq!(encode_value("say \"hi\""), "\"say \\\"hi\\\"\"");
        assert_eq!(encode_value("C:\\x"), "\"C:\\\\x\"");
        assert_eq!(encode_value(""), "\"\"");
    }

    #[test]
    fn encode_escapes_percent_star_and_non_ascii() {
        assert_eq!(encode_value("100%"), "100%25");
        assert_eq!(encode_value("a*b"), "a%2Ab");
        assert_eq!(encode_value("caf\u{e9}"), "caf%C3%A9");
        assert_eq!(encode_value("tab\there"), "tab%09here");
        assert_eq!(encode_value("caf\u{e9} au lait"), "\"caf%C3%A9 au lait\"");
        assert_eq!(encode_value("\u{7f}"), "%7F");
    }

    #[test]
    fn decode_resolves_percent_escapes_in_both_forms() {
        assert_eq!(RawValue::Bare("caf%C3%A9").decode(), Ok("caf\u{e9}".into()));
        assert_eq!(
            RawValue::Quoted("100%25 sure").decode(),
            Ok("100% sure".into())
        );
        assert_eq!(RawValue::Bare("%41").decode(), Ok("A".into()));
    }

    #[test]
    fn decode_resolves_backslashes_only_inside_quotes() {
        assert_eq!(
            RawValue::Quoted("a\\\"b\\\\c").decode(),
            Ok("a\"b\\c".into())
        );
        assert_eq!(RawValue::Bare("a\\b").decode(), Ok("a\\b".into()));
    }

    #[test]
    fn decode_does_not_decode_twice() {
        assert_eq!(RawValue::Quoted("%5C%22").decode(), Ok("\\\"".into()));
        assert_eq!(RawValue::Bare("%2541").decode(), Ok("%41".into()));
    }

    #[test]
    fn decode_rejects_malformed_escapes() {
        assert_eq!(RawValue::Bare("50%").decode(), Err(ValueError::BadPercent));
        assert_eq!(RawValue::Bare("%4").decode(), Err(ValueError::BadPercent));
        assert_eq!(
            RawValue::Bare("%c3%a9").decode(),
            Err(ValueError::BadPercent)
        );
        assert_eq!(RawValue::Bare("%ZZ").decode(), Err(ValueError::BadPercent));
        assert_eq!(
            RawValue::Quoted("a\\nb").decode(),
            Err(ValueError::BadEscape)
        );
        assert_eq!(RawValue::Bare("%C3").decode(), Err(ValueError::InvalidUtf8));
        assert_eq!(RawValue::Bare("%FF").decode(), Err(ValueError::InvalidUtf8));
    }

    #[test]
    fn tokens_split_on_runs_of_spaces() {
        assert_eq!(tokens("1  OK   a=b"), Ok(vec!["1", "OK", "a=b"]));
        assert_eq!(tokens(""), Ok(vec![]));
    }

    #[test]
    fn quoted_strings_may_hold_spaces_and_escaped_quotes() {
        assert_eq!(
            tokens(r#"2 OK model="iPhone 12" note="say \"hi\" \\ ok" x=1"#),
            Ok(vec![
                "2",
                "OK",
                "model=\"iPhone 12\"",
                r#"note="say \"hi\" \\ ok""#,
                "x=1"
            ])
        );
        assert_eq!(
            tokens(r#"! FAULT 2 "no power""#),
            Ok(vec!["!", "FAULT", "2", "\"no power\""])
        );
    }

    #[test]
    fn quote_errors_are_located() {
        assert_eq!(
            tokens(r#"1 OK a="open"#),
            Err(("a=\"open".into(), TokenError::UnterminatedQuote))
        );
        assert_eq!(
            tokens(r#"1 OK a="x"y"#),
            Err(("a=\"x\"y".into(), TokenError::TextAfterQuote))
        );
        assert_eq!(
            tokens(r#"1 OK a=b"c""#),
            Err(("a=b\"".into(), TokenError::StrayQuote))
        );
        assert_eq!(
            tokens(r#"1 OK a=b="c""#),
            Err(("a=b=\"".into(), TokenError::StrayQuote))
        );
        assert_eq!(
            tokens(r#"1 OK a="x\y""#),
            Err(("a=\"x\\y".into(), TokenError::BadEscape))
        );
    }

    #[test]
    fn fields_and_values_are_recognised() {
        let token = |text| Token { index: 1, text };
        assert_eq!(
            token("model=\"iPhone 12\"").as_field(),
            Some(("model", RawValue::Quoted("iPhone 12")))
        );
        assert_eq!(
            token("a=b=c").as_field(),
            Some(("a", RawValue::Bare("b=c")))
        );
        assert_eq!(token("PASS").as_field(), None);
        assert_eq!(token("\"a=b\"").as_field(), None);
        assert_eq!(token("\"a b\"").as_value(), Some(RawValue::Quoted("a b")));
        assert_eq!(token("a=\"b\"").as_value(), None);
        assert_eq!(token("3").as_value(), Some(RawValue::Bare("3")));
    }
}
