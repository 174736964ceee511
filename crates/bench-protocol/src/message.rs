//! Message bodies: the data model, the strict parser and the formatter.

use std::fmt::{self, Write};

use serde::{Deserialize, Serialize};

use crate::framing::{first_forbidden_byte, frame, FrameError};
use crate::value::{write_quoted, write_value, RawValue, Token, TokenError, Tokens, ValueError};

/// Highest tag a host may use.
pub const MAX_TAG: u16 = 9999;

/// Parsed message
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Message {
    Request {
        tag: u16,
        verb: String,
        args: Vec<String>,
    },
    /// tag None means "?" (bench could not trust the tag; only valid with ERR BAD_CRC)
    Response {
        tag: Option<u16>,
        body: ResponseBody,
    },
    Event(Event),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseBody {
    Ok(Fields),
    Err {
        code: ErrorCode,
        message: Option<String>,
    },
}

/// Ordered key=value fields; values decoded (quotes removed, escapes and %XX resolved; invalid
/// UTF-8 after %XX decoding is a parse error). Duplicate keys: parse error.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    pub fn new() -> Self {
        Self(Vec::new())
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(existing, _)| existing == key)
            .map(|(_, value)| value.as_str())
    }

    /// Replaces the value of an existing key in place, so keys stay unique and keep their order.
    pub fn insert(&mut self, key: &str, value: &str) {
        match self.0.iter_mut().find(|(existing, _)| existing == key) {
            Some((_, existing_value)) => {
                existing_value.clear();
                existing_value.push_str(value);
            }
            None => self.0.push((key.to_owned(), value.to_owned())),
        }
    }

    /// Builder form of [`Fields::insert`].
    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.insert(key, value);
        self
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(key, value)| (key.as_str(), value.as_str()))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn contains_key(&self, key: &str) -> bool {
        self.0.iter().any(|(existing, _)| existing == key)
    }
}

impl<'a> FromIterator<(&'a str, &'a str)> for Fields {
    fn from_iter<I: IntoIterator<Item = (&'a str, &'a str)>>(pairs: I) -> Self {
        let mut fields = Fields::new();
        for (key, value) in pairs {
            fields.insert(key, value);
        }
        fields
    }
}

/// `ERR` codes of §6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadCrc,
    UnknownVerb,
    BadArgs,
    NoSlot,
    Empty,
    Busy,
    Unsupported,
    Device,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 8] = [
        ErrorCode::BadCrc,
        ErrorCode::UnknownVerb,
        ErrorCode::BadArgs,
        ErrorCode::NoSlot,
        ErrorCode::Empty,
        ErrorCode::Busy,
        ErrorCode::Unsupported,
        ErrorCode::Device,
    ];

    /// Wire name, e.g. `BAD_CRC`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorCode::BadCrc => "BAD_CRC",
            ErrorCode::UnknownVerb => "UNKNOWN_VERB",
            ErrorCode::BadArgs => "BAD_ARGS",
            ErrorCode::NoSlot => "NO_SLOT",
            ErrorCode::Empty => "EMPTY",
            ErrorCode::Busy => "BUSY",
            ErrorCode::Unsupported => "UNSUPPORTED",
            ErrorCode::Device => "DEVICE",
        }
    }

    /// Parses a wire name; `None` for anything else (case-sensitive).
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|code| code.as_str() == s)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Inserted {
        slot: u16,
    },
    Removed {
        slot: u16,
    },
    Result {
        slot: u16,
        test: String,
        outcome: TestOutcome,
        detail: Option<String>,
    },
    /// `progress` is 0..=100.
    EraseProgress {
        slot: u16,
        progress: u8,
    },
    EraseDone {
        slot: u16,
        ok: bool,
        detail: Option<String>,
    },
    Fault {
        slot: u16,
        message: String,
    },
    Reset,
}

/// wire: PASS FAIL SKIP
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TestOutcome {
    Pass,
    Fail,
    Skip,
}

impl TestOutcome {
    pub const ALL: [TestOutcome; 3] = [TestOutcome::Pass, TestOutcome::Fail, TestOutcome::Skip];

    pub fn as_str(&self) -> &'static str {
        match self {
            TestOutcome::Pass => "PASS",
            TestOutcome::Fail => "FAIL",
            TestOutcome::Skip => "SKIP",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|outcome| outcome.as_str() == s)
    }
}

impl fmt::Display for TestOutcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// True when `key` matches `[a-z][a-z0-9_]*`, the shape of field keys and test names.
pub fn is_valid_key(key: &str) -> bool {
    let mut bytes = key.bytes();
    bytes.next().is_some_and(|first| first.is_ascii_lowercase())
        && bytes.all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'_')
}

/// Verbs are not listed exhaustively here (a bench answers `UNKNOWN_VERB` to those it lacks),
/// but they must look like one: `[A-Z][A-Z0-9_]*`, and not `OK`/`ERR`, which mark responses.
fn is_valid_verb(verb: &str) -> bool {
    let mut bytes = verb.bytes();
    verb != "OK"
        && verb != "ERR"
        && bytes.next().is_some_and(|first| first.is_ascii_uppercase())
        && bytes.all(|byte| byte.is_ascii_uppercase() || byte.is_ascii_digit() || byte == b'_')
}

/// What was wrong with a body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    #[error("the body is empty")]
    Empty,
    #[error(
        "byte {position} is not printable ASCII or is `*`; unframe the line first and \
         escape such bytes as %XX"
    )]
    ForbiddenByte { position: usize },
    #[error("the body starts with a space; the first token must start at byte 0")]
    LeadingSpace,
    #[error("the body ends with a space; nothing may follow the last token")]
    TrailingSpace,
    #[error("the line ends where {expected} was expected")]
    MissingToken { expected: &'static str },
    #[error("unexpected token; expected {expected}")]
    StrayToken { expected: &'static str },
    #[error("a tag must be a decimal number from 0 to 9999 (or `?` / `!`)")]
    BadTag,
    #[error("a verb must be uppercase letters, digits and `_`, starting with a letter")]
    BadVerb,
    #[error("the `?` tag is only allowed in `? ERR BAD_CRC`")]
    UntrustedTagMisused,
    #[error(
        "unknown ERR code; expected one of BAD_CRC, UNKNOWN_VERB, BAD_ARGS, NO_SLOT, EMPTY, \
         BUSY, UNSUPPORTED, DEVICE"
    )]
    UnknownErrorCode,
    #[error("unknown event; expected INSERTED, REMOVED, RESULT, ERASE, FAULT or RESET")]
    UnknownEvent,
    #[error("a slot must be a decimal number from 1 to 65535")]
    BadSlot,
    #[error("a test name must match [a-z][a-z0-9_]*")]
    BadTestName,
    #[error("a test outcome must be PASS, FAIL or SKIP")]
    BadOutcome,
    #[error("progress must be a decimal number from 0 to 100")]
    BadProgress,
    #[error("done must be `ok` or `failed`")]
    BadEraseOutcome,
    #[error("an ERASE event needs exactly one of `progress=` or `done=`")]
    EraseNeedsProgressOrDone,
    #[error("a detail is only allowed after `done=`, not with `progress=`")]
    DetailWithProgress,
    #[error("expected a quoted string")]
    ExpectedQuoted,
    #[error("expected a key=value field")]
    NotAField,
    #[error("a key must match [a-z][a-z0-9_]*")]
    BadKey,
    #[error("this key already appeared earlier in the line; each key may appear once")]
    DuplicateKey,
    #[error("an empty value must be written as \"\"")]
    EmptyBareValue,
    #[error("`%` must be followed by two uppercase hex digits (a literal `%` is %25)")]
    BadPercent,
    #[error("inside quotes only \\\" and \\\\ are escapes")]
    BadEscape,
    #[error("the %XX bytes of this value are not valid UTF-8")]
    InvalidUtf8,
    #[error("the quoted string is not closed")]
    UnterminatedQuote,
    #[error("a closing quote must be followed by a space or the end of the line")]
    TextAfterQuote,
    #[error("a `\"` may only open a token or follow the first `=` of a field")]
    StrayQuote,
}

impl From<ValueError> for ParseErrorKind {
    fn from(error: ValueError) -> Self {
        match error {
            ValueError::BadPercent => ParseErrorKind::BadPercent,
            ValueError::BadEscape => ParseErrorKind::BadEscape,
            ValueError::InvalidUtf8 => ParseErrorKind::InvalidUtf8,
        }
    }
}

impl From<TokenError> for ParseErrorKind {
    fn from(error: TokenError) -> Self {
        match error {
            TokenError::UnterminatedQuote => ParseErrorKind::UnterminatedQuote,
            TokenError::BadEscape => ParseErrorKind::BadEscape,
            TokenError::TextAfterQuote => ParseErrorKind::TextAfterQuote,
            TokenError::StrayQuote => ParseErrorKind::StrayQuote,
        }
    }
}

/// A body that is not a valid Bench Protocol v1 message. The receiver drops the line and counts
/// it as bad; the message says which token broke which rule so a bench vendor can fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based index of the offending token; `None` when the body as a whole is wrong.
    pub token: Option<usize>,
    /// The offending token (shortened if long); empty when the line ended too early.
    pub text: String,
    pub kind: ParseErrorKind,
}

/// Long enough to recognise a token, short enough to keep a log line readable.
const MAX_QUOTED_TOKEN_CHARS: usize = 40;

impl ParseError {
    fn whole_body(kind: ParseErrorKind) -> Self {
        Self {
            token: None,
            text: String::new(),
            kind,
        }
    }

    fn at(token: &Token<'_>, kind: impl Into<ParseErrorKind>) -> Self {
        let mut text: String = token.text.chars().take(MAX_QUOTED_TOKEN_CHARS).collect();
        if text.len() < token.text.len() {
            text.push_str("...");
        }
        Self {
            token: Some(token.index),
            text,
            kind: kind.into(),
        }
    }

    fn missing(index: usize, expected: &'static str) -> Self {
        Self {
            token: Some(index),
            text: String::new(),
            kind: ParseErrorKind::MissingToken { expected },
        }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.token {
            Some(index) if self.text.is_empty() => write!(f, "token {index}: ")?,
            Some(index) => write!(f, "token {index} `{}`: ", self.text)?,
            None => {}
        }
        write!(f, "{}", self.kind)
    }
}

impl std::error::Error for ParseError {}

/// Parses an unframed body (output of `unframe`) into a Message. Strict: anything the spec does
/// not allow is an error (tag out of 0..=9999 or not decimal, slot 0 or non-numeric, progress >
/// 100, unknown event name, stray tokens after fields, bad quoting, bad %XX, key not matching
/// `[a-z][a-z0-9_]*`, ...). Unknown *fields* in responses/events are kept in Fields (the host
/// ignores them) — forward compatibility.
///
/// Responses and events whose form has no [`Fields`] (`ERR`, every event) may still carry extra
/// `key=value` fields after their arguments; those are checked and then dropped, since the
/// host ignores unknown fields.
pub fn parse_message(body: &str) -> Result<Message, ParseError> {
    check_body(body)?;
    let mut parser = Parser {
        tokens: Tokens::new(body),
    };
    let first = parser.expect("a tag, `?` or `!`")?;
    match first.text {
        "!" => parser.event().map(Message::Event),
        "?" => {
            let marker = parser.expect("`ERR` after the `?` tag")?;
            if marker.text != "ERR" {
                return Err(ParseError::at(&marker, ParseErrorKind::UntrustedTagMisused));
            }
            let (code_token, body) = parser.error_response()?;
            let is_bad_crc = matches!(
                body,
                ResponseBody::Err {
                    code: ErrorCode::BadCrc,
                    ..
                }
            );
            if !is_bad_crc {
                return Err(ParseError::at(
                    &code_token,
                    ParseErrorKind::UntrustedTagMisused,
                ));
            }
            Ok(Message::Response { tag: None, body })
        }
        _ => {
            let tag = parse_tag(&first)?;
            let second = parser.expect("a verb, `OK` or `ERR`")?;
            match second.text {
                "OK" => Ok(Message::Response {
                    tag: Some(tag),
                    body: ResponseBody::Ok(parser.response_fields()?),
                }),
                "ERR" => Ok(Message::Response {
                    tag: Some(tag),
                    body: parser.error_response()?.1,
                }),
                _ => parser.request(tag, &second),
            }
        }
    }
}

/// Formats a Message back to a body (not framed). parse_message(&format_message(m)) == m for
/// every valid m.
///
/// Valid means: tag at most 9999, verb `[A-Z][A-Z0-9_]*` other than OK/ERR, slots from 1,
/// progress at most 100, keys and test names matching `[a-z][a-z0-9_]*`, and a `None` tag only
/// with `BAD_CRC`. Any string is valid as a value, argument, message or detail.
pub fn format_message(msg: &Message) -> String {
    msg.to_string()
}

/// Convenience: frame(format_message(msg)).
pub fn encode_message(msg: &Message) -> Result<String, FrameError> {
    frame(&format_message(msg))
}

impl fmt::Display for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Message::Request { tag, verb, args } => {
                write!(f, "{tag} {verb}")?;
                for arg in args {
                    f.write_char(' ')?;
                    write_value(f, arg)?;
                }
                Ok(())
            }
            Message::Response { tag, body } => {
                match tag {
                    Some(tag) => write!(f, "{tag}")?,
                    None => f.write_char('?')?,
                }
                match body {
                    ResponseBody::Ok(fields) => {
                        f.write_str(" OK")?;
                        for (key, value) in fields.iter() {
                            write!(f, " {key}=")?;
                            write_value(f, value)?;
                        }
                        Ok(())
                    }
                    ResponseBody::Err { code, message } => {
                        write!(f, " ERR {code}")?;
                        write_optional_quoted(f, message.as_deref())
                    }
                }
            }
            Message::Event(event) => {
                f.write_str("! ")?;
                write_event(f, event)
            }
        }
    }
}

fn write_event(f: &mut fmt::Formatter<'_>, event: &Event) -> fmt::Result {
    match event {
        Event::Inserted { slot } => write!(f, "INSERTED {slot}"),
        Event::Removed { slot } => write!(f, "REMOVED {slot}"),
        Event::Result {
            slot,
            test,
            outcome,
            detail,
        } => {
            write!(f, "RESULT {slot} ")?;
            write_value(f, test)?;
            write!(f, " {outcome}")?;
            write_optional_quoted(f, detail.as_deref())
        }
        Event::EraseProgress { slot, progress } => write!(f, "ERASE {slot} progress={progress}"),
        Event::EraseDone { slot, ok, detail } => {
            let outcome = if *ok { "ok" } else { "failed" };
            write!(f, "ERASE {slot} done={outcome}")?;
            write_optional_quoted(f, detail.as_deref())
        }
        Event::Fault { slot, message } => {
            write!(f, "FAULT {slot} ")?;
            write_quoted(f, message)
        }
        Event::Reset => f.write_str("RESET"),
    }
}

fn write_optional_quoted(f: &mut fmt::Formatter<'_>, text: Option<&str>) -> fmt::Result {
    match text {
        Some(text) => {
            f.write_char(' ')?;
            write_quoted(f, text)
        }
        None => Ok(()),
    }
}

fn check_body(body: &str) -> Result<(), ParseError> {
    let bytes = body.as_bytes();
    if bytes.is_empty() {
        return Err(ParseError::whole_body(ParseErrorKind::Empty));
    }
    if let Some(position) = first_forbidden_byte(bytes) {
        return Err(ParseError::whole_body(ParseErrorKind::ForbiddenByte {
            position,
        }));
    }
    if bytes.first() == Some(&b' ') {
        return Err(ParseError::whole_body(ParseErrorKind::LeadingSpace));
    }
    if bytes.last() == Some(&b' ') {
        return Err(ParseError::whole_body(ParseErrorKind::TrailingSpace));
    }
    Ok(())
}

/// Digits only (no sign, no spaces), at most `max_digits` of them.
fn parse_decimal(text: &str, max_digits: usize) -> Option<u32> {
    if text.is_empty() || text.len() > max_digits {
        return None;
    }
    text.bytes().try_fold(0u32, |number, byte| {
        byte.is_ascii_digit()
            .then(|| number * 10 + u32::from(byte - b'0'))
    })
}

fn parse_tag(token: &Token<'_>) -> Result<u16, ParseError> {
    parse_decimal(token.text, 4)
        .and_then(|tag| u16::try_from(tag).ok())
        .filter(|&tag| tag <= MAX_TAG)
        .ok_or_else(|| ParseError::at(token, ParseErrorKind::BadTag))
}

fn parse_slot(token: &Token<'_>) -> Result<u16, ParseError> {
    parse_decimal(token.text, 5)
        .and_then(|slot| u16::try_from(slot).ok())
        .filter(|&slot| slot >= 1)
        .ok_or_else(|| ParseError::at(token, ParseErrorKind::BadSlot))
}

fn decode_at(token: &Token<'_>, raw: RawValue<'_>) -> Result<String, ParseError> {
    raw.decode().map_err(|error| ParseError::at(token, error))
}

/// A field token checked for key shape, non-empty bare value and uniqueness among `seen`.
fn checked_field<'a>(
    token: &Token<'a>,
    seen: impl Fn(&str) -> bool,
) -> Result<(&'a str, RawValue<'a>), ParseError> {
    let (key, raw) = token
        .as_field()
        .ok_or_else(|| ParseError::at(token, ParseErrorKind::NotAField))?;
    if !is_valid_key(key) {
        return Err(ParseError::at(token, ParseErrorKind::BadKey));
    }
    if raw == RawValue::Bare("") {
        return Err(ParseError::at(token, ParseErrorKind::EmptyBareValue));
    }
    if seen(key) {
        return Err(ParseError::at(token, ParseErrorKind::DuplicateKey));
    }
    Ok((key, raw))
}

struct Parser<'a> {
    tokens: Tokens<'a>,
}

impl<'a> Parser<'a> {
    fn next(&mut self) -> Result<Option<Token<'a>>, ParseError> {
        self.tokens
            .next_token()
            .map_err(|(token, error)| ParseError::at(&token, error))
    }

    fn peek(&self) -> Result<Option<Token<'a>>, ParseError> {
        let mut lookahead = self.tokens;
        lookahead
            .next_token()
            .map_err(|(token, error)| ParseError::at(&token, error))
    }

    fn expect(&mut self, expected: &'static str) -> Result<Token<'a>, ParseError> {
        let index = self.tokens.next_index();
        self.next()?
            .ok_or_else(|| ParseError::missing(index, expected))
    }

    fn slot(&mut self) -> Result<u16, ParseError> {
        parse_slot(&self.expect("a slot number")?)
    }

    /// A `"..."` token if one comes next.
    fn optional_quoted(&mut self) -> Result<Option<String>, ParseError> {
        match self.peek()? {
            Some(token) if token.is_quoted() => {
                self.next()?;
                decode_at(&token, RawValue::Quoted(quoted_inner(&token))).map(Some)
            }
            _ => Ok(None),
        }
    }

    fn required_quoted(&mut self, expected: &'static str) -> Result<String, ParseError> {
        let token = self.expect(expected)?;
        if !token.is_quoted() {
            return Err(ParseError::at(&token, ParseErrorKind::ExpectedQuoted));
        }
        decode_at(&token, RawValue::Quoted(quoted_inner(&token)))
    }

    /// The rest of an `OK` response: fields only.
    fn response_fields(&mut self) -> Result<Fields, ParseError> {
        // Every field is preceded by a space, so this bounds the count and spares the
        // reallocations of a growing Vec (quoted spaces only make it a little generous).
        let upper_bound = self
            .tokens
            .remaining()
            .bytes()
            .filter(|&byte| byte == b' ')
            .count();
        let mut fields = Fields(Vec::with_capacity(upper_bound));
        while let Some(token) = self.next()? {
            let (key, raw) = checked_field(&token, |key| fields.contains_key(key))?;
            let value = decode_at(&token, raw)?;
            fields.0.push((key.to_owned(), value));
        }
        Ok(fields)
    }

    /// Validates and drops trailing fields of forms that have no [`Fields`] to keep them in.
    fn ignored_fields(&mut self, mut seen: Vec<&'a str>) -> Result<(), ParseError> {
        while let Some(token) = self.next()? {
            if token.as_field().is_none() {
                return Err(ParseError::at(
                    &token,
                    ParseErrorKind::StrayToken {
                        expected: "only key=value fields after the arguments",
                    },
                ));
            }
            let (key, raw) = checked_field(&token, |key| seen.contains(&key))?;
            decode_at(&token, raw)?;
            seen.push(key);
        }
        Ok(())
    }

    /// After `ERR`: `<CODE> ["message"] [fields...]`. Returns the code token for callers that
    /// need to point at it.
    fn error_response(&mut self) -> Result<(Token<'a>, ResponseBody), ParseError> {
        let code_token = self.expect("an ERR code")?;
        let code = ErrorCode::parse(code_token.text)
            .ok_or_else(|| ParseError::at(&code_token, ParseErrorKind::UnknownErrorCode))?;
        let message = self.optional_quoted()?;
        self.ignored_fields(Vec::new())?;
        Ok((code_token, ResponseBody::Err { code, message }))
    }

    fn request(&mut self, tag: u16, verb: &Token<'a>) -> Result<Message, ParseError> {
        if !is_valid_verb(verb.text) {
            return Err(ParseError::at(verb, ParseErrorKind::BadVerb));
        }
        let mut args = Vec::new();
        while let Some(token) = self.next()? {
            let raw = token.as_value().ok_or_else(|| {
                ParseError::at(
                    &token,
                    ParseErrorKind::StrayToken {
                        expected: "a plain or fully quoted argument",
                    },
                )
            })?;
            if raw == RawValue::Bare("") {
                return Err(ParseError::at(&token, ParseErrorKind::EmptyBareValue));
            }
            args.push(decode_at(&token, raw)?);
        }
        Ok(Message::Request {
            tag,
            verb: verb.text.to_owned(),
            args,
        })
    }

    fn event(&mut self) -> Result<Event, ParseError> {
        let name = self.expect("an event name")?;
        let event = match name.text {
            "INSERTED" => Event::Inserted { slot: self.slot()? },
            "REMOVED" => Event::Removed { slot: self.slot()? },
            "RESULT" => {
                let slot = self.slot()?;
                let test = self.expect("a test name")?;
                if !is_valid_key(test.text) {
                    return Err(ParseError::at(&test, ParseErrorKind::BadTestName));
                }
                let outcome_token = self.expect("PASS, FAIL or SKIP")?;
                let outcome = TestOutcome::parse(outcome_token.text)
                    .ok_or_else(|| ParseError::at(&outcome_token, ParseErrorKind::BadOutcome))?;
                Event::Result {
                    slot,
                    test: test.text.to_owned(),
                    outcome,
                    detail: self.optional_quoted()?,
                }
            }
            "ERASE" => return self.erase_event(&name),
            "FAULT" => Event::Fault {
                slot: self.slot()?,
                message: self.required_quoted("a quoted fault message")?,
            },
            "RESET" => Event::Reset,
            _ => return Err(ParseError::at(&name, ParseErrorKind::UnknownEvent)),
        };
        self.ignored_fields(Vec::new())?;
        Ok(event)
    }

    /// `! ERASE <slot>` then fields (exactly one of `progress=`/`done=`, plus any unknown ones)
    /// and, with `done=`, one quoted detail.
    fn erase_event(&mut self, name: &Token<'a>) -> Result<Event, ParseError> {
        let slot = self.slot()?;
        let mut progress = None;
        let mut done = None;
        let mut detail: Option<(Token<'a>, String)> = None;
        let mut seen: Vec<&'a str> = Vec::new();
        while let Some(token) = self.next()? {
            if token.is_quoted() {
                if detail.is_some() {
                    return Err(ParseError::at(
                        &token,
                        ParseErrorKind::StrayToken {
                            expected: "at most one quoted detail",
                        },
                    ));
                }
                let text = decode_at(&token, RawValue::Quoted(quoted_inner(&token)))?;
                detail = Some((token, text));
                continue;
            }
            if token.as_field().is_none() {
                return Err(ParseError::at(
                    &token,
                    ParseErrorKind::StrayToken {
                        expected: "`progress=`, `done=` or a quoted detail",
                    },
                ));
            }
            let (key, raw) = checked_field(&token, |key| seen.contains(&key))?;
            seen.push(key);
            let value = decode_at(&token, raw)?;
            match key {
                "progress" => {
                    let percent = parse_decimal(&value, 3)
                        .filter(|&percent| percent <= 100)
                        .and_then(|percent| u8::try_from(percent).ok())
                        .ok_or_else(|| ParseError::at(&token, ParseErrorKind::BadProgress))?;
                    progress = Some(percent);
                }
                "done" => {
                    done = Some(match value.as_str() {
                        "ok" => true,
                        "failed" => false,
                        _ => return Err(ParseError::at(&token, ParseErrorKind::BadEraseOutcome)),
                    });
                }
                _ => {}
            }
        }
        match (progress, done, detail) {
            (Some(progress), None, None) => Ok(Event::EraseProgress { slot, progress }),
            (Some(_), None, Some((detail_token, _))) => Err(ParseError::at(
                &detail_token,
                ParseErrorKind::DetailWithProgress,
            )),
            (None, Some(ok), detail) => Ok(Event::EraseDone {
                slot,
                ok,
                detail: detail.map(|(_, text)| text),
            }),
            _ => Err(ParseError::at(
                name,
                ParseErrorKind::EraseNeedsProgressOrDone,
            )),
        }
    }
}

fn quoted_inner<'a>(token: &Token<'a>) -> &'a str {
    match token.as_value() {
        Some(RawValue::Quoted(inner)) => inner,
        _ => token.text,
    }
}
