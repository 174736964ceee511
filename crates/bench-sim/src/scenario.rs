//! Scenario files: which bench, which device sits in which slot, what each one answers, and
//! when devices arrive or leave. The format is documented in `fixtures/benches/README.md`.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use refurbdesk_bench_protocol::responses::{Hello, TestState, TestsReply, PROTOCOL_VERSION};
use refurbdesk_bench_protocol::{
    encode_message, is_valid_key, Event, Fields, Message, ResponseBody, TestOutcome, MAX_TAG,
};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use toml::Spanned;

/// A scenario file that cannot be used, located so its author can fix it.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error(
        "cannot read the bench scenario {path}: {source}; check that the file exists and is \
         readable"
    )]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{origin}:{line}:{column}: `{field}`: {problem}; fix that entry of the bench scenario"
    )]
    Invalid {
        origin: String,
        /// 1-based.
        line: usize,
        /// 1-based, in characters.
        column: usize,
        /// Dotted path such as `device.ident.storage_gb`.
        field: String,
        problem: String,
    },
}

/// `[bench]`: what the bench says about itself in its `HELLO` reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BenchIdentity {
    pub vendor: String,
    pub model: String,
    pub serial: String,
    pub fw: String,
    pub slots: u16,
}

impl BenchIdentity {
    /// The `HELLO` reply this bench gives.
    pub fn hello(&self) -> Hello {
        Hello {
            proto: PROTOCOL_VERSION,
            vendor: self.vendor.clone(),
            model: self.model.clone(),
            serial: self.serial.clone(),
            fw: self.fw.clone(),
            slots: self.slots,
        }
    }
}

/// `[timing]`, in scenario milliseconds (divided by [`crate::SimOptions::speed`] at run time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timing {
    /// Time to answer a request the bench handles by itself (HELLO, PING, SLOTS, TESTS,
    /// RESULTS, STATUS).
    pub response_ms: u64,
    /// Time to answer a request that needs the device (IDENT, BATT, LOCK, RUN, ERASE). Differing
    /// from `response_ms` is what makes answers come back out of order.
    pub device_ms: u64,
    /// Duration of a test that does not give its own `ms`.
    pub test_ms: u64,
    /// Duration of an erase whose `[erase]` table does not give its own `ms`.
    pub erase_ms: u64,
}

const DEFAULT_RESPONSE_MS: u64 = 2;
const DEFAULT_TEST_MS: u64 = 40;
const DEFAULT_ERASE_MS: u64 = 200;
/// Spec §7: a bench answers every request within 1000 ms.
const MAX_ANSWER_MS: u64 = 1000;

/// Declares a table of wire fields: every field optional (absent = not sent), sent in the
/// order written here, which is the order of the spec's §4 table.
macro_rules! wire_fields {
    ($(#[$meta:meta])* $name:ident { $($field:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            $(
                #[serde(default, skip_serializing_if = "Option::is_none")]
                pub $field: Option<String>,
            )+
        }

        impl $name {
            /// The keys this table may hold, in wire order.
            pub const KEYS: &'static [&'static str] = &[$(stringify!($field)),+];

            /// The `OK` fields of the reply, exactly as written in the scenario.
            pub fn to_fields(&self) -> Fields {
                let mut fields = Fields::new();
                $(
                    if let Some(value) = &self.$field {
                        fields.insert(stringify!($field), value);
                    }
                )+
                fields
            }
        }
    };
}

wire_fields! {
    /// `ident = { ... }`: the `IDENT` reply.
    IdentFields {
        category, make, model, model_code, serial, imei, imei2, storage_gb, ram_gb, color, os,
        os_version,
    }
}

wire_fields! {
    /// `battery = { ... }`: the `BATT` reply.
    BatteryFields {
        present, design_mah, full_mah, design_mwh, full_mwh, cycles, soh_pct, temp_c,
        voltage_mv, source,
    }
}

wire_fields! {
    /// `lock = { ... }`: the `LOCK` reply.
    LockFields { activation, account, mdm, carrier }
}

/// One test the bench can run on a device, and how it ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestSpec {
    pub name: String,
    pub outcome: TestOutcome,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Overrides `[timing] test_ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<u64>,
}

/// The two erase methods of `ERASE <slot> <method>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EraseMethod {
    FactoryReset,
    CryptoErase,
}

impl EraseMethod {
    pub const ALL: [EraseMethod; 2] = [EraseMethod::FactoryReset, EraseMethod::CryptoErase];

    pub fn as_str(&self) -> &'static str {
        match self {
            EraseMethod::FactoryReset => "factory_reset",
            EraseMethod::CryptoErase => "crypto_erase",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|method| method.as_str() == text)
    }
}

/// How an erase method ends on a device.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EraseOutcome {
    Ok,
    Failed,
    /// The bench answers `ERR UNSUPPORTED`; also what a method missing from the table means.
    #[default]
    Unsupported,
}

/// `erase = { ... }`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EraseSpec {
    #[serde(default)]
    pub factory_reset: EraseOutcome,
    #[serde(default)]
    pub crypto_erase: EraseOutcome,
    /// Overrides `[timing] erase_ms`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ms: Option<u64>,
    /// Sent with `done=failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Lines of this device's erases that are lost on purpose, every time.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<EraseWireFault>,
}

impl EraseSpec {
    pub fn outcome(&self, method: EraseMethod) -> EraseOutcome {
        match method {
            EraseMethod::FactoryReset => self.factory_reset,
            EraseMethod::CryptoErase => self.crypto_erase,
        }
    }

    pub fn has_fault(&self, fault: EraseWireFault) -> bool {
        self.faults.contains(&fault)
    }
}

/// A line of an erase that a scenario loses on purpose. The random faults of
/// [`crate::FaultSpec`] may hit any line; these hit exactly the one a host's
/// recovery path needs, so a test of that path cannot pass by luck.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EraseWireFault {
    /// The `OK` to `ERASE` is not sent; the erase starts all the same.
    DropAck,
    /// The `! ERASE slot done=...` event is not sent.
    DropDone,
    /// The `! ERASE slot done=...` event goes out with a wrong CRC.
    CorruptDone,
}

/// `battery_verdict` of an `expect` table (the default policy: pass at 85 %, consumed below 80 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedBatteryVerdict {
    Pass,
    Replace,
    Consumed,
    Unknown,
    Absent,
}

/// `lock_verdict` of an `expect` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpectedLockVerdict {
    Clear,
    Blocked,
    Unknown,
}

/// `expect = { ... }`: what a correct host concludes from this device. The simulator never
/// reads it; tests of the host side do.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectations {
    /// Absent when the device sends no IMEI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imei_valid: Option<bool>,
    /// Rounded to one decimal; absent when no figure is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soh_pct: Option<f64>,
    /// True when the bench's `soh_pct` differs from the capacity pair by more than 3 points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub soh_disagreement: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub battery_verdict: Option<ExpectedBatteryVerdict>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_verdict: Option<ExpectedLockVerdict>,
}

/// `[[device]]`: one device profile and the slot it belongs to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceProfile {
    pub slot: u16,
    /// In the slot when the bench starts; otherwise it arrives through the timeline or
    /// [`crate::SimBench::insert`].
    pub present: bool,
    pub ident: IdentFields,
    /// `None`: the bench cannot read the battery (`BATT` answers `ERR UNSUPPORTED`).
    pub battery: Option<BatteryFields>,
    /// `None`: the bench cannot read the locks (`LOCK` answers `ERR UNSUPPORTED`).
    pub lock: Option<LockFields>,
    /// In file order, which is the order of the `TESTS` reply.
    pub tests: Vec<TestSpec>,
    /// `None`: the bench cannot erase this device.
    pub erase: Option<EraseSpec>,
    pub expect: Option<Expectations>,
}

impl DeviceProfile {
    pub fn test(&self, name: &str) -> Option<&TestSpec> {
        self.tests.iter().find(|test| test.name == name)
    }

    /// The `TESTS` reply.
    pub fn tests_reply(&self) -> TestsReply {
        TestsReply(self.tests.iter().map(|test| test.name.clone()).collect())
    }
}

/// What a timeline step does to its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineAction {
    Insert,
    Remove,
}

/// `[[timeline]]`: a device placed or taken out at a given time after the bench starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineStep {
    pub at_ms: u64,
    pub action: TimelineAction,
    pub slot: u16,
}

/// `[churn]`: every device of the bench is taken out and put back, over and over, for as long as
/// the bench runs (a load for benchmarks). Device `i` of `n` (file order) starts its cycles at
/// `i × period_ms / n`, so the slots' events spread over the period instead of coming together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Churn {
    /// One cycle of a slot: its device is put in (`! INSERTED`) at the start of the cycle.
    pub period_ms: u64,
    /// How long the device stays in each cycle before it is taken out (`! REMOVED`).
    pub in_ms: u64,
}

impl Churn {
    /// When the device at `index` of `count` starts its first cycle, in scenario milliseconds.
    pub fn offset_ms(&self, index: usize, count: usize) -> u64 {
        if count == 0 {
            return 0;
        }
        self.period_ms * index as u64 / count as u64
    }
}

/// A validated bench scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    origin: String,
    bench: BenchIdentity,
    timing: Timing,
    devices: Vec<DeviceProfile>,
    /// Sorted by `at_ms`; steps at the same time keep their file order.
    timeline: Vec<TimelineStep>,
    churn: Option<Churn>,
}

impl Scenario {
    /// Parses and validates a scenario. `origin` names the text in errors (a file name).
    pub fn from_toml(text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let raw: RawScenario = toml::from_str(text).map_err(|error| {
            let span = error.span().unwrap_or(0..0);
            let field = field_at(text, span.start, error.message());
            invalid(text, origin, span, field, error.message().trim_end())
        })?;
        raw.validate(text, origin)
    }

    /// Reads and validates a scenario file; errors name the file.
    pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
        let text = std::fs::read_to_string(path).map_err(|source| ScenarioError::Read {
            path: path.to_owned(),
            source,
        })?;
        Scenario::from_toml(&text, &path.display().to_string())
    }

    /// Where the scenario came from, as given to [`Scenario::from_toml`].
    pub fn origin(&self) -> &str {
        &self.origin
    }

    pub fn bench(&self) -> &BenchIdentity {
        &self.bench
    }

    pub fn timing(&self) -> &Timing {
        &self.timing
    }

    /// Every profile, in file order, whether or not it starts in its slot.
    pub fn devices(&self) -> &[DeviceProfile] {
        &self.devices
    }

    /// The profile that belongs to `slot`.
    pub fn device(&self, slot: u16) -> Option<&DeviceProfile> {
        self.devices.iter().find(|device| device.slot == slot)
    }

    pub fn timeline(&self) -> &[TimelineStep] {
        &self.timeline
    }

    /// The endless out-and-back of every device, when the scenario has a `[churn]` table.
    pub fn churn(&self) -> Option<Churn> {
        self.churn
    }

    /// A one-slot bench holding `device` in its slot from the start, with the default timing:
    /// a bench described by a program rather than a file (the laptop agent serving itself).
    /// `origin` names it in logs.
    pub fn one_slot(origin: &str, bench: BenchIdentity, mut device: DeviceProfile) -> Scenario {
        device.slot = 1;
        device.present = true;
        Scenario {
            origin: origin.to_owned(),
            bench: BenchIdentity { slots: 1, ..bench },
            timing: Timing {
                response_ms: DEFAULT_RESPONSE_MS,
                device_ms: DEFAULT_RESPONSE_MS * 3,
                test_ms: DEFAULT_TEST_MS,
                erase_ms: DEFAULT_ERASE_MS,
            },
            devices: vec![device],
            timeline: Vec::new(),
            churn: None,
        }
    }

    /// The same bench under another serial number, so that many copies can run side by side.
    pub fn with_serial(mut self, serial: String) -> Scenario {
        self.bench.serial = serial;
        self
    }
}

/// 1-based line and character column of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |newline| newline + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

fn invalid(
    text: &str,
    origin: &str,
    span: Range<usize>,
    field: impl Into<String>,
    problem: impl Into<String>,
) -> ScenarioError {
    let (line, column) = line_column(text, span.start);
    ScenarioError::Invalid {
        origin: origin.to_owned(),
        line,
        column,
        field: field.into(),
        problem: problem.into(),
    }
}

/// Names the field a toml error is about. toml reports where, not which key, so this reads the
/// key path back from the text: the enclosing `[table]`, the inline tables open on that line and
/// the key being assigned (or the key the message names, for missing and unknown fields).
fn field_at(text: &str, offset: usize, message: &str) -> String {
    let offset = floor_char_boundary(text, offset);
    let line_start = text[..offset].rfind('\n').map_or(0, |newline| newline + 1);
    let mut path: Vec<String> = enclosing_table(text, offset).into_iter().collect();
    let (open_tables, current_key) = inline_key_path(&text[line_start..offset]);
    path.extend(open_tables);
    match named_field(message) {
        Some((named, NamedAs::Missing)) => {
            path.extend(current_key);
            path.push(named);
        }
        Some((named, NamedAs::Present)) => path.push(named),
        None => path.extend(current_key),
    }
    if path.is_empty() {
        "(top level)".to_owned()
    } else {
        path.join(".")
    }
}

fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The name in the last `[name]` or `[[name]]` header at or before `offset`.
fn enclosing_table(text: &str, offset: usize) -> Option<String> {
    let mut table = None;
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if line_start > offset {
            break;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            let name = trimmed.trim_start_matches('[');
            if let Some(end) = name.find(']') {
                table = Some(name[..end].trim().to_owned());
            }
        }
        line_start += line.len();
    }
    table
}

enum NamedAs {
    /// "missing field `x`": the error points at the table that lacks it.
    Missing,
    /// "unknown field `x`", "duplicate key `x`": the error points at the key itself.
    Present,
}

fn named_field(message: &str) -> Option<(String, NamedAs)> {
    let kind = if message.contains("missing field") {
        NamedAs::Missing
    } else if message.contains("unknown field") || message.contains("duplicate") {
        NamedAs::Present
    } else {
        return None;
    };
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    Some((message[start..end].to_owned(), kind))
}

/// Scans one line up to the error: the keys of the inline tables still open there, and the key
/// whose value the error is in.
fn inline_key_path(line_prefix: &str) -> (Vec<String>, Option<String>) {
    let mut open: Vec<Option<String>> = Vec::new();
    let mut current: Option<String> = None;
    let mut word = String::new();
    let mut last_word = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for character in line_prefix.chars() {
        if let Some(closing) = quote {
            if escaped {
                escaped = false;
            } else if character == '\\' && closing == '"' {
                escaped = true;
            } else if character == closing {
                quote = None;
                last_word = std::mem::take(&mut word);
            } else {
                word.push(character);
            }
            continue;
        }
        match character {
            '"' | '\'' => {
                word.clear();
                quote = Some(character);
            }
            '=' => {
                let key = if word.is_empty() {
                    std::mem::take(&mut last_word)
                } else {
                    std::mem::take(&mut word)
                };
                current = Some(key);
            }
            '{' | '[' => {
                open.push(current.take());
                word.clear();
            }
            '}' | ']' => {
                open.pop();
                current = None;
                word.clear();
            }
            ',' => {
                current = None;
                word.clear();
            }
            '#' => break,
            character if character.is_whitespace() => {
                if !word.is_empty() {
                    last_word = std::mem::take(&mut word);
                }
            }
            character => word.push(character),
        }
    }
    (open.into_iter().flatten().collect(), current)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScenario {
    bench: RawBench,
    #[serde(default)]
    timing: RawTiming,
    #[serde(default, rename = "device")]
    devices: Vec<RawDevice>,
    #[serde(default)]
    timeline: Vec<RawStep>,
    churn: Option<Spanned<RawChurn>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChurn {
    period_ms: u64,
    in_ms: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBench {
    vendor: String,
    model: String,
    serial: String,
    fw: String,
    slots: Spanned<u16>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTiming {
    response_ms: Option<Spanned<u64>>,
    device_ms: Option<Spanned<u64>>,
    test_ms: Option<u64>,
    erase_ms: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDevice {
    slot: Spanned<u16>,
    #[serde(default = "present_by_default")]
    present: bool,
    ident: IdentFields,
    battery: Option<BatteryFields>,
    lock: Option<LockFields>,
    #[serde(default)]
    tests: TestList,
    erase: Option<EraseSpec>,
    expect: Option<Expectations>,
}

fn present_by_default() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    at_ms: u64,
    action: TimelineAction,
    slot: Spanned<u16>,
}

/// The `tests` table, kept in file order (a plain map would sort it).
#[derive(Default)]
struct TestList(Vec<TestSpec>);

impl<'de> Deserialize<'de> for TestList {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(TestListVisitor)
    }
}

struct TestListVisitor;

impl<'de> Visitor<'de> for TestListVisitor {
    type Value = TestList;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("a table of test names, e.g. { wifi = \"PASS\" }")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TestList, A::Error> {
        let mut tests = Vec::new();
        while let Some(name) = map.next_key::<String>()? {
            if !is_valid_key(&name) {
                return Err(de::Error::custom(format!(
                    "test name `{name}` must match [a-z][a-z0-9_]* (lowercase, digits, `_`)"
                )));
            }
            let behaviour: Spanned<TestBehaviour> = map.next_value()?;
            let position = behaviour.span().start;
            let behaviour = behaviour.into_inner();
            tests.push((
                position,
                TestSpec {
                    name,
                    outcome: behaviour.outcome,
                    detail: behaviour.detail,
                    ms: behaviour.ms,
                },
            ));
        }
        // toml hands tables over sorted by key; the spans give back the order of the file.
        tests.sort_by_key(|(position, _)| *position);
        Ok(TestList(tests.into_iter().map(|(_, test)| test).collect()))
    }
}

/// A test's value: `"PASS"` or `{ outcome = "FAIL", detail = "...", ms = 120 }`.
struct TestBehaviour {
    outcome: TestOutcome,
    detail: Option<String>,
    ms: Option<u64>,
}

#[derive(Deserialize)]
enum OutcomeWord {
    #[serde(rename = "PASS")]
    Pass,
    #[serde(rename = "FAIL")]
    Fail,
    #[serde(rename = "SKIP")]
    Skip,
}

impl From<OutcomeWord> for TestOutcome {
    fn from(word: OutcomeWord) -> Self {
        match word {
            OutcomeWord::Pass => TestOutcome::Pass,
            OutcomeWord::Fail => TestOutcome::Fail,
            OutcomeWord::Skip => TestOutcome::Skip,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TestTable {
    outcome: OutcomeWord,
    detail: Option<String>,
    ms: Option<u64>,
}

impl<'de> Deserialize<'de> for TestBehaviour {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TestBehaviourVisitor)
    }
}

struct TestBehaviourVisitor;

impl<'de> Visitor<'de> for TestBehaviourVisitor {
    type Value = TestBehaviour;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(
            "\"PASS\", \"FAIL\", \"SKIP\" or a table { outcome = \"FAIL\", detail = \"...\", ms = 120 }",
        )
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<TestBehaviour, E> {
        let outcome = TestOutcome::parse(text)
            .ok_or_else(|| E::invalid_value(de::Unexpected::Str(text), &"PASS, FAIL or SKIP"))?;
        Ok(TestBehaviour {
            outcome,
            detail: None,
            ms: None,
        })
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<TestBehaviour, A::Error> {
        let table = TestTable::deserialize(de::value::MapAccessDeserializer::new(map))?;
        Ok(TestBehaviour {
            outcome: table.outcome.into(),
            detail: table.detail,
            ms: table.ms,
        })
    }
}

/// The longest value a RESULTS reply can hold for a test, for the line-length check.
const LONGEST_TEST_STATE: TestState = TestState::Running;

impl RawScenario {
    fn validate(self, text: &str, origin: &str) -> Result<Scenario, ScenarioError> {
        let fail = |span: Range<usize>, field: &str, problem: String| {
            invalid(text, origin, span, field, problem)
        };
        let slots = *self.bench.slots.get_ref();
        if slots == 0 {
            return Err(fail(
                self.bench.slots.span(),
                "bench.slots",
                "a bench has at least one slot".to_owned(),
            ));
        }
        let bench = BenchIdentity {
            vendor: self.bench.vendor,
            model: self.bench.model,
            serial: self.bench.serial,
            fw: self.bench.fw,
            slots,
        };
        let timing = self.timing.validate(&fail)?;
        let hello = Message::Response {
            tag: Some(MAX_TAG),
            body: ResponseBody::Ok(bench.hello().to_fields()),
        };
        if let Err(error) = encode_message(&hello) {
            return Err(fail(
                0..0,
                "bench",
                format!("the HELLO reply does not fit on one line ({error})"),
            ));
        }

        let mut devices: Vec<DeviceProfile> = Vec::with_capacity(self.devices.len());
        let mut slot_spans: Vec<(u16, Range<usize>)> = Vec::new();
        for raw in self.devices {
            let slot = *raw.slot.get_ref();
            let span = raw.slot.span();
            if slot == 0 || slot > slots {
                return Err(fail(
                    span,
                    "device.slot",
                    format!("slot {slot} does not exist: the bench has slots 1 to {slots}"),
                ));
            }
            if let Some((_, first)) = slot_spans.iter().find(|(taken, _)| *taken == slot) {
                let (first_line, _) = line_column(text, first.start);
                return Err(fail(
                    span,
                    "device.slot",
                    format!(
                        "slot {slot} already has a device (line {first_line}); give each device \
                         its own slot"
                    ),
                ));
            }
            let device = DeviceProfile {
                slot,
                present: raw.present,
                ident: raw.ident,
                battery: raw.battery,
                lock: raw.lock,
                tests: raw.tests.0,
                erase: raw.erase,
                expect: raw.expect,
            };
            if let Err((field, problem)) = check_lines_fit(&device) {
                return Err(fail(span, &format!("device.{field}"), problem));
            }
            slot_spans.push((slot, span));
            devices.push(device);
        }

        let mut steps: Vec<(RawStep, usize)> = self
            .timeline
            .into_iter()
            .enumerate()
            .map(|(index, step)| (step, index))
            .collect();
        steps.sort_by_key(|(step, index)| (step.at_ms, *index));
        let mut present: Vec<u16> = devices
            .iter()
            .filter(|device| device.present)
            .map(|device| device.slot)
            .collect();
        let mut timeline = Vec::with_capacity(steps.len());
        for (step, _) in steps {
            let slot = *step.slot.get_ref();
            let span = step.slot.span();
            if !devices.iter().any(|device| device.slot == slot) {
                return Err(fail(
                    span,
                    "timeline.slot",
                    format!("no [[device]] belongs to slot {slot}, so nothing can move there"),
                ));
            }
            let is_present = present.contains(&slot);
            match (step.action, is_present) {
                (TimelineAction::Insert, true) => {
                    return Err(fail(
                        span,
                        "timeline.slot",
                        format!(
                            "at {} ms slot {slot} already holds its device; remove it first or \
                             set present = false on the device",
                            step.at_ms
                        ),
                    ))
                }
                (TimelineAction::Remove, false) => {
                    return Err(fail(
                        span,
                        "timeline.slot",
                        format!(
                            "at {} ms slot {slot} is empty, so there is nothing to remove",
                            step.at_ms
                        ),
                    ))
                }
                (TimelineAction::Insert, false) => present.push(slot),
                (TimelineAction::Remove, true) => present.retain(|&taken| taken != slot),
            }
            timeline.push(TimelineStep {
                at_ms: step.at_ms,
                action: step.action,
                slot,
            });
        }

        let churn = match self.churn {
            None => None,
            Some(raw) => {
                let span = raw.span();
                let RawChurn { period_ms, in_ms } = raw.into_inner();
                if in_ms == 0 || in_ms >= period_ms {
                    return Err(fail(
                        span,
                        "churn.in_ms",
                        format!(
                            "in_ms = {in_ms} must be above 0 and below period_ms = {period_ms}: \
                             each cycle puts the device in and takes it out again"
                        ),
                    ));
                }
                if !timeline.is_empty() {
                    return Err(fail(
                        span,
                        "churn",
                        "a scenario with [churn] moves every device itself; remove its \
                         [[timeline]] steps"
                            .to_owned(),
                    ));
                }
                if devices.is_empty() {
                    return Err(fail(
                        span,
                        "churn",
                        "[churn] needs at least one [[device]] to move".to_owned(),
                    ));
                }
                Some(Churn { period_ms, in_ms })
            }
        };

        Ok(Scenario {
            origin: origin.to_owned(),
            bench,
            timing,
            devices,
            timeline,
            churn,
        })
    }
}

impl RawTiming {
    fn validate(
        self,
        fail: &impl Fn(Range<usize>, &str, String) -> ScenarioError,
    ) -> Result<Timing, ScenarioError> {
        let within_answer_limit = |value: &Option<Spanned<u64>>, field: &str| match value {
            Some(ms) if *ms.get_ref() > MAX_ANSWER_MS => Err(fail(
                ms.span(),
                field,
                format!(
                    "{} ms is over the {MAX_ANSWER_MS} ms in which a bench must answer (spec §7)",
                    ms.get_ref()
                ),
            )),
            _ => Ok(()),
        };
        within_answer_limit(&self.response_ms, "timing.response_ms")?;
        within_answer_limit(&self.device_ms, "timing.device_ms")?;
        let response_ms = self
            .response_ms
            .map_or(DEFAULT_RESPONSE_MS, |ms| *ms.get_ref());
        let device_ms = self
            .device_ms
            .map_or_else(|| (response_ms * 3).min(MAX_ANSWER_MS), |ms| *ms.get_ref());
        Ok(Timing {
            response_ms,
            device_ms,
            test_ms: self.test_ms.unwrap_or(DEFAULT_TEST_MS),
            erase_ms: self.erase_ms.unwrap_or(DEFAULT_ERASE_MS),
        })
    }
}

/// Every line the bench may send about this device must fit the 512-byte limit; checking here
/// turns an over-long fixture value into a located error instead of a reply the bench cannot send.
fn check_lines_fit(device: &DeviceProfile) -> Result<(), (&'static str, String)> {
    let reply = |fields: Fields| Message::Response {
        tag: Some(MAX_TAG),
        body: ResponseBody::Ok(fields),
    };
    let slot = u16::MAX;
    let mut candidates: Vec<(&'static str, Message)> = vec![
        ("ident", reply(device.ident.to_fields())),
        ("tests", reply(device.tests_reply().to_fields())),
        (
            "tests",
            reply(
                device
                    .tests
                    .iter()
                    .map(|test| (test.name.as_str(), LONGEST_TEST_STATE.as_str()))
                    .collect(),
            ),
        ),
    ];
    if let Some(battery) = &device.battery {
        candidates.push(("battery", reply(battery.to_fields())));
    }
    if let Some(lock) = &device.lock {
        candidates.push(("lock", reply(lock.to_fields())));
    }
    for test in &device.tests {
        candidates.push((
            "tests",
            Message::Event(Event::Result {
                slot,
                test: test.name.clone(),
                outcome: test.outcome,
                detail: test.detail.clone(),
            }),
        ));
    }
    if let Some(erase) = &device.erase {
        candidates.push((
            "erase",
            Message::Event(Event::EraseDone {
                slot,
                ok: false,
                detail: erase.detail.clone(),
            }),
        ));
    }
    for (field, message) in candidates {
        if let Err(error) = encode_message(&message) {
            return Err((
                field,
                format!("what the bench would send for it does not fit on one line: {error}"),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
[bench]
vendor = "Acme"
model = "PB-2"
serial = "PB2-1"
fw = "1.0"
slots = 2

[[device]]
slot = 1
ident = { category = "phone", make = "Apple", model = "iPhone 12" }
tests = { wifi = "PASS", camera_rear = { outcome = "FAIL", detail = "no focus", ms = 5 }, audio = "SKIP" }
"#;

    fn error_of(text: &str) -> (usize, usize, String, String) {
        match Scenario::from_toml(text, "test.toml") {
            Err(ScenarioError::Invalid {
                line,
                column,
                field,
                problem,
                ..
            }) => (line, column, field, problem),
            other => panic!("expected an Invalid error, got {other:?}"),
        }
    }

    #[test]
    fn minimal_scenario_gets_default_timing_and_keeps_test_order() {
        let scenario = Scenario::from_toml(MINIMAL, "test.toml").expect("valid");
        assert_eq!(
            *scenario.timing(),
            Timing {
                response_ms: 2,
                device_ms: 6,
                test_ms: 40,
                erase_ms: 200
            }
        );
        let device = scenario.device(1).expect("slot 1");
        assert!(device.present);
        let names: Vec<_> = device.tests.iter().map(|test| test.name.as_str()).collect();
        assert_eq!(names, ["wifi", "camera_rear", "audio"]);
        assert_eq!(
            device.test("camera_rear"),
            Some(&TestSpec {
                name: "camera_rear".into(),
                outcome: TestOutcome::Fail,
                detail: Some("no focus".into()),
                ms: Some(5)
            })
        );
        assert_eq!(device.battery, None);
        assert_eq!(scenario.device(2), None);
    }

    #[test]
    fn ident_fields_go_out_in_spec_order_and_only_when_given() {
        let ident = IdentFields {
            imei: Some("1".into()),
            category: Some("phone".into()),
            model: Some("X".into()),
            ..IdentFields::default()
        };
        let keys: Vec<_> = ident
            .to_fields()
            .iter()
            .map(|(key, _)| key.to_owned())
            .collect();
        assert_eq!(keys, ["category", "model", "imei"]);
    }

    #[test]
    fn wrong_type_names_line_column_and_field() {
        let text = MINIMAL.replace("slots = 2", "slots = \"two\"");
        let (line, column, field, problem) = error_of(&text);
        assert_eq!((line, column), (7, 9));
        assert_eq!(field, "bench.slots");
        assert!(problem.contains("string"), "{problem}");
    }

    #[test]
    fn field_inside_an_inline_table_is_named_with_its_parents() {
        let text = MINIMAL.replace(
            "model = \"iPhone 12\"",
            "model = \"iPhone 12\", storage_gb = 128",
        );
        let (line, _, field, _) = error_of(&text);
        assert_eq!(line, 11);
        assert_eq!(field, "device.ident.storage_gb");
    }

    #[test]
    fn unknown_and_missing_fields_are_named() {
        let text = MINIMAL.replace("make = \"Apple\"", "maker = \"Apple\"");
        let (line, _, field, problem) = error_of(&text);
        assert_eq!(line, 11);
        assert_eq!(field, "device.ident.maker");
        assert!(problem.contains("unknown field"), "{problem}");

        let text = MINIMAL.replace("fw = \"1.0\"\n", "");
        let (_, _, field, problem) = error_of(&text);
        assert_eq!(field, "bench.fw");
        assert!(problem.contains("missing"), "{problem}");
    }

    #[test]
    fn bad_outcome_is_located_in_the_tests_table() {
        let text = MINIMAL.replace("wifi = \"PASS\"", "wifi = \"pass\"");
        let (line, column, field, problem) = error_of(&text);
        assert_eq!(line, 12);
        assert_eq!(column, 18);
        assert_eq!(field, "device.tests.wifi");
        assert!(problem.contains("PASS, FAIL or SKIP"), "{problem}");
    }

    #[test]
    fn bad_test_name_is_rejected() {
        let text = MINIMAL.replace("audio = \"SKIP\"", "Audio = \"SKIP\"");
        let (line, _, _, problem) = error_of(&text);
        assert_eq!(line, 12);
        assert!(problem.contains("`Audio`"), "{problem}");
    }

    #[test]
    fn slot_checks_point_at_the_slot() {
        let text = MINIMAL.replace("slot = 1", "slot = 3");
        let (line, column, field, problem) = error_of(&text);
        assert_eq!((line, column, field.as_str()), (10, 8, "device.slot"));
        assert!(problem.contains("slots 1 to 2"), "{problem}");

        let text = format!("{MINIMAL}\n[[device]]\nslot = 1\nident = {{}}\n");
        let (line, _, field, problem) = error_of(&text);
        assert_eq!((line, field.as_str()), (15, "device.slot"));
        assert!(problem.contains("line 10"), "{problem}");

        let text = MINIMAL.replace("slots = 2", "slots = 0");
        let (line, _, field, _) = error_of(&text);
        assert_eq!((line, field.as_str()), (7, "bench.slots"));
    }

    #[test]
    fn timeline_is_sorted_and_checked_against_presence() {
        let text = format!(
            "{MINIMAL}\n[[timeline]]\nat_ms = 50\naction = \"insert\"\nslot = 1\n\
             [[timeline]]\nat_ms = 10\naction = \"remove\"\nslot = 1\n"
        );
        let scenario = Scenario::from_toml(&text, "t").expect("remove at 10 then insert at 50");
        let times: Vec<_> = scenario.timeline().iter().map(|step| step.at_ms).collect();
        assert_eq!(times, [10, 50]);

        let text = format!("{MINIMAL}\n[[timeline]]\nat_ms = 10\naction = \"insert\"\nslot = 1\n");
        let (line, _, field, problem) = error_of(&text);
        assert_eq!((line, field.as_str()), (17, "timeline.slot"));
        assert!(problem.contains("already holds"), "{problem}");

        let text = format!("{MINIMAL}\n[[timeline]]\nat_ms = 10\naction = \"insert\"\nslot = 2\n");
        let (_, _, _, problem) = error_of(&text);
        assert!(problem.contains("no [[device]]"), "{problem}");
    }

    #[test]
    fn churn_is_read_and_checked() {
        let text = format!("{MINIMAL}\n[churn]\nperiod_ms = 300\nin_ms = 200\n");
        let scenario = Scenario::from_toml(&text, "test.toml").expect("valid churn");
        let churn = scenario.churn().expect("churn");
        assert_eq!((churn.period_ms, churn.in_ms), (300, 200));
        assert_eq!(
            [
                churn.offset_ms(0, 3),
                churn.offset_ms(1, 3),
                churn.offset_ms(2, 3)
            ],
            [0, 100, 200]
        );
        assert_eq!(
            Scenario::from_toml(MINIMAL, "test.toml")
                .expect("valid")
                .churn(),
            None
        );

        let text = format!("{MINIMAL}\n[churn]\nperiod_ms = 300\nin_ms = 300\n");
        let (_, _, field, problem) = error_of(&text);
        assert_eq!(field, "churn.in_ms");
        assert!(problem.contains("below period_ms"), "{problem}");

        let text = format!(
            "{MINIMAL}\n[[timeline]]\nat_ms = 10\naction = \"remove\"\nslot = 1\n\
             [churn]\nperiod_ms = 300\nin_ms = 100\n"
        );
        let (_, _, field, problem) = error_of(&text);
        assert_eq!(field, "churn");
        assert!(problem.contains("timeline"), "{problem}");
    }

    #[test]
    fn answer_times_over_the_spec_limit_are_rejected() {
        let text = MINIMAL.replace("slots = 2\n", "slots = 2\n[timing]\nresponse_ms = 1500\n");
        let (line, _, field, problem) = error_of(&text);
        assert_eq!((line, field.as_str()), (9, "timing.response_ms"));
        assert!(problem.contains("1000 ms"), "{problem}");
    }

    #[test]
    fn values_too_long_for_a_line_are_rejected_at_load() {
        let long = "x".repeat(600);
        let text = MINIMAL.replace("make = \"Apple\"", &format!("make = \"{long}\""));
        let (line, _, field, problem) = error_of(&text);
        assert_eq!((line, field.as_str()), (10, "device.ident"));
        assert!(problem.contains("512"), "{problem}");
    }

    #[test]
    fn error_message_names_origin_position_and_field() {
        let text = MINIMAL.replace("slots = 2", "slots = \"two\"");
        let error = Scenario::from_toml(&text, "benches/x.toml").expect_err("invalid");
        let message = error.to_string();
        assert!(
            message.starts_with("benches/x.toml:7:9: `bench.slots`"),
            "{message}"
        );
    }

    #[test]
    fn with_serial_changes_only_the_serial() {
        let scenario = Scenario::from_toml(MINIMAL, "t").expect("valid");
        let copy = scenario.clone().with_serial("PB2-2".into());
        assert_eq!(copy.bench().serial, "PB2-2");
        assert_eq!(copy.devices(), scenario.devices());
        assert_eq!(copy.bench().vendor, scenario.bench().vendor);
    }

    #[test]
    fn key_path_scanner_follows_inline_tables() {
        assert_eq!(
            inline_key_path("a = { b = 1, c = { d = "),
            (vec!["a".to_owned(), "c".to_owned()], Some("d".to_owned()))
        );
        assert_eq!(
            inline_key_path("a = { b = \"x = {\", c = "),
            (vec!["a".to_owned()], Some("c".to_owned()))
        );
        assert_eq!(
            inline_key_path("slots = "),
            (vec![], Some("slots".to_owned()))
        );
    }

    #[test]
    fn line_column_counts_characters() {
        let text = "é = 1\nab = 2";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, text.find('=').unwrap_or(0)), (1, 3));
        assert_eq!(line_column(text, text.find('b').unwrap_or(0)), (2, 2));
    }
}
