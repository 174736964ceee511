//! Typed views of the `OK` fields of HELLO, SLOTS, STATUS, RESULTS and TESTS.
//!
//! Every field the §4 table lists for these verbs is required. Extra fields are ignored, as the
//! spec asks. IDENT, BATT and LOCK are interpreted by the domain crate, not here.

use serde::{Deserialize, Serialize};

use crate::message::{is_valid_key, Fields, TestOutcome};

/// The only protocol version this codec speaks (`proto=1`).
pub const PROTOCOL_VERSION: u32 = 1;

/// A reply field that is missing or does not hold what the verb promises.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FieldError {
    #[error(
        "the reply has no `{field}` field, which Bench Protocol v1 requires here; the bench \
         firmware must send it"
    )]
    Missing { field: String },
    #[error(
        "field `{field}` is `{value}` but {expected}; the bench sent a malformed reply and it \
         cannot be used"
    )]
    Invalid {
        field: String,
        value: String,
        expected: &'static str,
    },
}

/// Long enough to recognise a value, short enough to keep a log line readable.
const MAX_QUOTED_VALUE_CHARS: usize = 40;

fn invalid(field: &str, value: &str, expected: &'static str) -> FieldError {
    let mut shown: String = value.chars().take(MAX_QUOTED_VALUE_CHARS).collect();
    if shown.len() < value.len() {
        shown.push_str("...");
    }
    FieldError::Invalid {
        field: field.to_owned(),
        value: shown,
        expected,
    }
}

fn required<'f>(fields: &'f Fields, field: &str) -> Result<&'f str, FieldError> {
    fields.get(field).ok_or_else(|| FieldError::Missing {
        field: field.to_owned(),
    })
}

/// Plain decimal digits, no sign: what the protocol means by a number.
fn decimal(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 9 || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn count(fields: &Fields, field: &str) -> Result<u16, FieldError> {
    let text = required(fields, field)?;
    decimal(text)
        .and_then(|number| u16::try_from(number).ok())
        .filter(|&number| number >= 1)
        .ok_or_else(|| invalid(field, text, "it must be a slot count from 1 to 65535"))
}

/// Defines a wire enum with lowercase/uppercase names and its `as_str`/`parse` pair.
macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $wire:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(&self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|candidate| candidate.as_str() == s)
            }
        }
    };
}

wire_enum! {
    /// `s<i>=` in a SLOTS reply.
    SlotState { Empty => "empty", Occupied => "occupied", Busy => "busy", Fault => "fault" }
}

wire_enum! {
    /// `state=` in a STATUS reply.
    SlotActivity { Empty => "empty", Idle => "idle", Testing => "testing", Erasing => "erasing" }
}

wire_enum! {
    /// `erase=` in a STATUS reply.
    EraseState { None => "none", Running => "running", Ok => "ok", Failed => "failed" }
}

wire_enum! {
    /// A test's value in a RESULTS reply: an outcome, or still running.
    TestState { Pass => "PASS", Fail => "FAIL", Skip => "SKIP", Running => "RUNNING" }
}

impl From<TestOutcome> for TestState {
    fn from(outcome: TestOutcome) -> Self {
        match outcome {
            TestOutcome::Pass => TestState::Pass,
            TestOutcome::Fail => TestState::Fail,
            TestOutcome::Skip => TestState::Skip,
        }
    }
}

fn wire_value<T>(
    fields: &Fields,
    field: &str,
    parse: impl Fn(&str) -> Option<T>,
    expected: &'static str,
) -> Result<T, FieldError> {
    let text = required(fields, field)?;
    parse(text).ok_or_else(|| invalid(field, text, expected))
}

/// Reply to `HELLO`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hello {
    /// Kept as sent so the host can name an unsupported version; see [`Hello::is_supported`].
    pub proto: u32,
    pub vendor: String,
    pub model: String,
    pub serial: String,
    pub fw: String,
    pub slots: u16,
}

impl Hello {
    pub fn from_fields(fields: &Fields) -> Result<Self, FieldError> {
        let proto_text = required(fields, "proto")?;
        let proto = decimal(proto_text)
            .ok_or_else(|| invalid("proto", proto_text, "it must be a decimal version number"))?;
        Ok(Self {
            proto,
            vendor: required(fields, "vendor")?.to_owned(),
            model: required(fields, "model")?.to_owned(),
            serial: required(fields, "serial")?.to_owned(),
            fw: required(fields, "fw")?.to_owned(),
            slots: count(fields, "slots")?,
        })
    }

    pub fn to_fields(&self) -> Fields {
        Fields::new()
            .with("proto", &self.proto.to_string())
            .with("vendor", &self.vendor)
            .with("model", &self.model)
            .with("serial", &self.serial)
            .with("fw", &self.fw)
            .with("slots", &self.slots.to_string())
    }

    /// Whether this host can talk to the bench (`proto=1`).
    pub fn is_supported(&self) -> bool {
        self.proto == PROTOCOL_VERSION
    }
}

impl TryFrom<&Fields> for Hello {
    type Error = FieldError;
    fn try_from(fields: &Fields) -> Result<Self, Self::Error> {
        Self::from_fields(fields)
    }
}

/// Reply to `SLOTS`: `states[i]` is slot `i + 1`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotsReply {
    pub n: u16,
    pub states: Vec<SlotState>,
}

impl SlotsReply {
    pub fn from_fields(fields: &Fields) -> Result<Self, FieldError> {
        let n = count(fields, "n")?;
        let states = (1..=n)
            .map(|slot| {
                wire_value(
                    fields,
                    &format!("s{slot}"),
                    SlotState::parse,
                    "it must be empty, occupied, busy or fault",
                )
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { n, states })
    }

    pub fn to_fields(&self) -> Fields {
        let mut fields = Fields::new().with("n", &self.n.to_string());
        for (index, state) in self.states.iter().enumerate() {
            fields.insert(&format!("s{}", index + 1), state.as_str());
        }
        fields
    }
}

impl TryFrom<&Fields> for SlotsReply {
    type Error = FieldError;
    fn try_from(fields: &Fields) -> Result<Self, Self::Error> {
        Self::from_fields(fields)
    }
}

/// Reply to `STATUS <slot>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusReply {
    pub state: SlotActivity,
    pub erase: EraseState,
    /// 0..=100
    pub progress: u8,
}

impl StatusReply {
    pub fn from_fields(fields: &Fields) -> Result<Self, FieldError> {
        Ok(Self {
            state: wire_value(
                fields,
                "state",
                SlotActivity::parse,
                "it must be empty, idle, testing or erasing",
            )?,
            erase: wire_value(
                fields,
                "erase",
                EraseState::parse,
                "it must be none, running, ok or failed",
            )?,
            progress: wire_value(
                fields,
                "progress",
                |text| {
                    decimal(text)
                        .filter(|&percent| percent <= 100)
                        .and_then(|percent| u8::try_from(percent).ok())
                },
                "it must be a percentage from 0 to 100",
            )?,
        })
    }

    pub fn to_fields(&self) -> Fields {
        Fields::new()
            .with("state", self.state.as_str())
            .with("erase", self.erase.as_str())
            .with("progress", &self.progress.to_string())
    }
}

impl TryFrom<&Fields> for StatusReply {
    type Error = FieldError;
    fn try_from(fields: &Fields) -> Result<Self, Self::Error> {
        Self::from_fields(fields)
    }
}

/// Reply to `RESULTS <slot>`: every test run on the device since it was placed, in wire order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultsReply(pub Vec<(String, TestState)>);

impl ResultsReply {
    /// Every field is a test, so an unknown value is an error rather than an ignored extra.
    pub fn from_fields(fields: &Fields) -> Result<Self, FieldError> {
        fields
            .iter()
            .map(|(test, value)| {
                if !is_valid_key(test) {
                    return Err(invalid(
                        test,
                        value,
                        "test names must match [a-z][a-z0-9_]*",
                    ));
                }
                TestState::parse(value)
                    .map(|state| (test.to_owned(), state))
                    .ok_or_else(|| invalid(test, value, "it must be PASS, FAIL, SKIP or RUNNING"))
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    pub fn get(&self, test: &str) -> Option<TestState> {
        self.0
            .iter()
            .find(|(name, _)| name == test)
            .map(|(_, state)| *state)
    }

    pub fn to_fields(&self) -> Fields {
        self.0
            .iter()
            .map(|(test, state)| (test.as_str(), state.as_str()))
            .collect()
    }
}

impl TryFrom<&Fields> for ResultsReply {
    type Error = FieldError;
    fn try_from(fields: &Fields) -> Result<Self, Self::Error> {
        Self::from_fields(fields)
    }
}

/// Reply to `TESTS <slot>`, from `names=a,b,c`; `names=""` means no test is available.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestsReply(pub Vec<String>);

impl TestsReply {
    pub fn from_fields(fields: &Fields) -> Result<Self, FieldError> {
        let names = required(fields, "names")?;
        if names.is_empty() {
            return Ok(Self(Vec::new()));
        }
        names
            .split(',')
            .map(|name| {
                if is_valid_key(name) {
                    Ok(name.to_owned())
                } else {
                    Err(invalid(
                        "names",
                        names,
                        "it must be a comma-separated list of test names matching \
                         [a-z][a-z0-9_]*",
                    ))
                }
            })
            .collect::<Result<_, _>>()
            .map(Self)
    }

    pub fn to_fields(&self) -> Fields {
        Fields::new().with("names", &self.0.join(","))
    }
}

impl TryFrom<&Fields> for TestsReply {
    type Error = FieldError;
    fn try_from(fields: &Fields) -> Result<Self, Self::Error> {
        Self::from_fields(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs.iter().copied().collect()
    }

    #[test]
    fn hello_reads_the_spec_example() {
        let hello = Hello::from_fields(&fields(&[
            ("proto", "1"),
            ("vendor", "Acme"),
            ("model", "PB-8"),
            ("serial", "PB8-0042"),
            ("fw", "1.4.2"),
            ("slots", "8"),
        ]))
        .expect("valid HELLO");
        assert_eq!(
            hello,
            Hello {
                proto: 1,
                vendor: "Acme".into(),
                model: "PB-8".into(),
                serial: "PB8-0042".into(),
                fw: "1.4.2".into(),
                slots: 8,
            }
        );
        assert!(hello.is_supported());
        assert_eq!(Hello::from_fields(&hello.to_fields()), Ok(hello));
    }

    #[test]
    fn hello_keeps_a_newer_protocol_version_but_flags_it() {
        let hello = Hello::from_fields(&fields(&[
            ("proto", "2"),
            ("vendor", "Acme"),
            ("model", "PB-9"),
            ("serial", "x"),
            ("fw", "2.0"),
            ("slots", "4"),
            ("future_field", "whatever"),
        ]))
        .expect("extra fields are ignored");
        assert_eq!(hello.proto, 2);
        assert!(!hello.is_supported());
    }

    #[test]
    fn hello_errors_name_the_field() {
        let complete = [
            ("proto", "1"),
            ("vendor", "Acme"),
            ("model", "PB-8"),
            ("serial", "PB8-0042"),
            ("fw", "1.4.2"),
            ("slots", "8"),
        ];
        for skipped in 0..complete.len() {
            let partial: Vec<_> = complete
                .iter()
                .enumerate()
                .filter(|(index, _)| *index != skipped)
                .map(|(_, pair)| *pair)
                .collect();
            assert_eq!(
                Hello::from_fields(&fields(&partial)),
                Err(FieldError::Missing {
                    field: complete[skipped].0.into()
                })
            );
        }
        for (field, bad) in [
            ("slots", "0"),
            ("slots", "-1"),
            ("slots", "70000"),
            ("proto", "one"),
        ] {
            let mut with_bad = fields(&complete);
            with_bad.insert(field, bad);
            let error = Hello::from_fields(&with_bad).expect_err("bad value");
            assert!(
                matches!(&error, FieldError::Invalid { field: named, .. } if named == field),
                "{error}"
            );
            assert!(error.to_string().contains(field), "{error}");
        }
    }

    #[test]
    fn slots_reads_every_slot_in_order() {
        let reply = SlotsReply::from_fields(&fields(&[
            ("n", "3"),
            ("s2", "busy"),
            ("s1", "empty"),
            ("s3", "fault"),
        ]))
        .expect("valid SLOTS");
        assert_eq!(reply.n, 3);
        assert_eq!(
            reply.states,
            vec![SlotState::Empty, SlotState::Busy, SlotState::Fault]
        );
        assert_eq!(SlotsReply::from_fields(&reply.to_fields()), Ok(reply));
    }

    #[test]
    fn slots_requires_each_slot_and_known_states() {
        assert_eq!(
            SlotsReply::from_fields(&fields(&[("n", "2"), ("s1", "empty")])),
            Err(FieldError::Missing { field: "s2".into() })
        );
        assert!(matches!(
            SlotsReply::from_fields(&fields(&[("n", "1"), ("s1", "broken")])),
            Err(FieldError::Invalid { field, .. }) if field == "s1"
        ));
        assert!(matches!(
            SlotsReply::from_fields(&fields(&[("n", "0")])),
            Err(FieldError::Invalid { field, .. }) if field == "n"
        ));
    }

    #[test]
    fn status_reads_state_erase_and_progress() {
        let reply = StatusReply::from_fields(&fields(&[
            ("state", "erasing"),
            ("erase", "running"),
            ("progress", "42"),
        ]))
        .expect("valid STATUS");
        assert_eq!(
            reply,
            StatusReply {
                state: SlotActivity::Erasing,
                erase: EraseState::Running,
                progress: 42
            }
        );
        assert_eq!(StatusReply::from_fields(&reply.to_fields()), Ok(reply));
    }

    #[test]
    fn status_rejects_out_of_range_progress_and_unknown_states() {
        let base = [("state", "idle"), ("erase", "none"), ("progress", "0")];
        for (field, bad) in [
            ("progress", "101"),
            ("progress", "4.5"),
            ("state", "IDLE"),
            ("erase", "done"),
        ] {
            let mut with_bad = fields(&base);
            with_bad.insert(field, bad);
            assert!(
                matches!(StatusReply::from_fields(&with_bad), Err(FieldError::Invalid { field: named, .. }) if named == field),
                "{field}={bad}"
            );
        }
        assert_eq!(
            StatusReply::from_fields(&fields(&[("state", "idle"), ("erase", "none")])),
            Err(FieldError::Missing {
                field: "progress".into()
            })
        );
    }

    #[test]
    fn results_keep_wire_order_and_accept_running() {
        let reply = ResultsReply::from_fields(&fields(&[
            ("wifi", "PASS"),
            ("camera_rear", "FAIL"),
            ("touch", "RUNNING"),
            ("flash", "SKIP"),
        ]))
        .expect("valid RESULTS");
        assert_eq!(
            reply.0,
            vec![
                ("wifi".to_owned(), TestState::Pass),
                ("camera_rear".to_owned(), TestState::Fail),
                ("touch".to_owned(), TestState::Running),
                ("flash".to_owned(), TestState::Skip),
            ]
        );
        assert_eq!(reply.get("touch"), Some(TestState::Running));
        assert_eq!(reply.get("mic"), None);
        assert_eq!(ResultsReply::from_fields(&reply.to_fields()), Ok(reply));
        assert_eq!(
            ResultsReply::from_fields(&Fields::new()),
            Ok(ResultsReply(Vec::new()))
        );
    }

    #[test]
    fn results_reject_unknown_states_naming_the_test() {
        let error = ResultsReply::from_fields(&fields(&[("wifi", "PASS"), ("mic", "pass")]))
            .expect_err("lowercase is not a state");
        assert!(matches!(&error, FieldError::Invalid { field, .. } if field == "mic"));
        assert!(error.to_string().contains("`mic`"), "{error}");
    }

    #[test]
    fn tests_split_names() {
        let reply = TestsReply::from_fields(&fields(&[("names", "wifi,camera_rear,touch")]))
            .expect("valid TESTS");
        assert_eq!(reply.0, vec!["wifi", "camera_rear", "touch"]);
        assert_eq!(TestsReply::from_fields(&reply.to_fields()), Ok(reply));
        assert_eq!(
            TestsReply::from_fields(&fields(&[("names", "")])),
            Ok(TestsReply(Vec::new()))
        );
    }

    #[test]
    fn tests_reject_empty_or_malformed_names() {
        for bad in ["wifi,,touch", "wifi,", "Wifi", "wifi, touch"] {
            assert!(
                matches!(TestsReply::from_fields(&fields(&[("names", bad)])), Err(FieldError::Invalid { field, .. }) if field == "names"),
                "{bad}"
            );
        }
        assert_eq!(
            TestsReply::from_fields(&Fields::new()),
            Err(FieldError::Missing {
                field: "names".into()
            })
        );
    }

    #[test]
    fn test_state_follows_test_outcome() {
        for outcome in TestOutcome::ALL {
            assert_eq!(TestState::from(outcome).as_str(), outcome.as_str());
        }
    }
}
