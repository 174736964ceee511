//! Which faults a simulated bench injects, how often, and the seeded dice that decide each one.

use std::fmt;
use std::str::FromStr;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use refurbdesk_bench_protocol::crc8;
use serde::{Deserialize, Serialize};

/// A way a bench can misbehave on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// The line goes out with a wrong CRC.
    Crc,
    /// A response is not sent (what it acknowledges still happens).
    Drop,
    /// A response goes out 2500 ms late, past the host's 2 s timeout.
    Delay,
    /// A response or event goes out twice.
    Dup,
    /// A line of random bytes, at least one of them not printable ASCII.
    Garbage,
    /// A line of 600 to 2000 printable bytes, over the line limit.
    Long,
    /// A repeated RESULT event, or an unknown `x_vendor=` field, before or in a response.
    Events,
    /// The bench reboots: `! RESET`, in-flight requests and results forgotten.
    Reset,
    /// The bench is unplugged, then plugged back after 300 ms.
    Unplug,
}

impl FaultKind {
    pub const ALL: [FaultKind; 9] = [
        FaultKind::Crc,
        FaultKind::Drop,
        FaultKind::Delay,
        FaultKind::Dup,
        FaultKind::Garbage,
        FaultKind::Long,
        FaultKind::Events,
        FaultKind::Reset,
        FaultKind::Unplug,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            FaultKind::Crc => "crc",
            FaultKind::Drop => "drop",
            FaultKind::Delay => "delay",
            FaultKind::Dup => "dup",
            FaultKind::Garbage => "garbage",
            FaultKind::Long => "long",
            FaultKind::Events => "events",
            FaultKind::Reset => "reset",
            FaultKind::Unplug => "unplug",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == text)
    }

    /// The rate a bare name (or `all`) stands for: frequent enough to show up in a short run,
    /// rare enough that a host still gets work done.
    pub fn default_rate(&self) -> f64 {
        match self {
            FaultKind::Crc => 0.05,
            FaultKind::Drop => 0.02,
            FaultKind::Delay => 0.02,
            FaultKind::Dup => 0.05,
            FaultKind::Garbage => 0.05,
            FaultKind::Long => 0.02,
            FaultKind::Events => 0.1,
            FaultKind::Reset => 0.005,
            FaultKind::Unplug => 0.002,
        }
    }

    /// Position in [`FaultKind::ALL`], which lists the kinds in declaration order.
    fn index(&self) -> usize {
        *self as usize
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A `--faults` value that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultSpecError {
    #[error("the fault list is empty; write `none`, `all`, or kinds such as `crc=0.05,drop`")]
    Empty,
    #[error(
        "fault item `{item}` names no fault kind; the kinds are crc, drop, delay, dup, garbage, \
         long, events, reset and unplug (or `none`, `all`)"
    )]
    UnknownKind { item: String },
    #[error(
        "fault item `{item}` has a rate that is not a number from 0 to 1; write it like crc=0.05"
    )]
    BadRate { item: String },
    #[error("fault item `{item}` gives a kind a second time; list each kind once")]
    Repeated { item: String },
}

/// How often each fault kind happens, per outgoing line. Parsed from `none`, `all` or a comma
/// list such as `crc=0.05,drop,unplug=0.01` (a bare name takes its default rate).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FaultSpec {
    rates: [f64; FaultKind::ALL.len()],
}

impl FaultSpec {
    /// No fault at all.
    pub fn none() -> Self {
        Self {
            rates: [0.0; FaultKind::ALL.len()],
        }
    }

    /// Every kind at its default rate.
    pub fn all() -> Self {
        Self {
            rates: FaultKind::ALL.map(|kind| kind.default_rate()),
        }
    }

    pub fn rate(&self, kind: FaultKind) -> f64 {
        self.rates[kind.index()]
    }

    /// The same spec with one kind at `rate` (clamped into 0..=1; NaN counts as 0).
    pub fn with_rate(mut self, kind: FaultKind, rate: f64) -> Self {
        self.rates[kind.index()] = if rate.is_nan() {
            0.0
        } else {
            rate.clamp(0.0, 1.0)
        };
        self
    }

    /// Only `kind`, at `rate`.
    pub fn only(kind: FaultKind, rate: f64) -> Self {
        Self::none().with_rate(kind, rate)
    }

    pub fn is_none(&self) -> bool {
        self.rates.iter().all(|&rate| rate == 0.0)
    }
}

impl Default for FaultSpec {
    fn default() -> Self {
        Self::none()
    }
}

impl FromStr for FaultSpec {
    type Err = FaultSpecError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.is_empty() {
            return Err(FaultSpecError::Empty);
        }
        let mut spec = FaultSpec::none();
        let mut given = [false; FaultKind::ALL.len()];
        for item in text.split(',').map(str::trim) {
            match item {
                "none" => spec = FaultSpec::none(),
                "all" => spec = FaultSpec::all(),
                "" => return Err(FaultSpecError::Empty),
                _ => {
                    let (name, rate) = match item.split_once('=') {
                        Some((name, rate)) => (name.trim(), Some(rate.trim())),
                        None => (item, None),
                    };
                    let kind =
                        FaultKind::parse(name).ok_or_else(|| FaultSpecError::UnknownKind {
                            item: item.to_owned(),
                        })?;
                    let rate = match rate {
                        None => kind.default_rate(),
                        Some(rate) => rate
                            .parse::<f64>()
                            .ok()
                            .filter(|rate| (0.0..=1.0).contains(rate))
                            .ok_or_else(|| FaultSpecError::BadRate {
                                item: item.to_owned(),
                            })?,
                    };
                    if std::mem::replace(&mut given[kind.index()], true) {
                        return Err(FaultSpecError::Repeated {
                            item: item.to_owned(),
                        });
                    }
                    spec = spec.with_rate(kind, rate);
                }
            }
        }
        Ok(spec)
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_none() {
            return f.write_str("none");
        }
        let mut first = true;
        for kind in FaultKind::ALL {
            let rate = self.rate(kind);
            if rate > 0.0 {
                if !first {
                    f.write_str(",")?;
                }
                first = false;
                write!(f, "{kind}={rate}")?;
            }
        }
        Ok(())
    }
}

impl TryFrom<String> for FaultSpec {
    type Error = FaultSpecError;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        text.parse()
    }
}

impl From<FaultSpec> for String {
    fn from(spec: FaultSpec) -> Self {
        spec.to_string()
    }
}

/// Garbage lines stay short: their point is the bad byte, not the length.
const GARBAGE_BYTES: std::ops::RangeInclusive<usize> = 4..=48;
const LONG_LINE_BYTES: std::ops::RangeInclusive<usize> = 600..=2000;

/// The seeded source of every fault decision and of the bytes faults make up, so that a seed
/// replays the same misbehaviour.
pub(crate) struct FaultDice {
    spec: FaultSpec,
    rng: ChaCha8Rng,
}

impl FaultDice {
    pub(crate) fn new(spec: FaultSpec, seed: u64) -> Self {
        Self {
            spec,
            rng: ChaCha8Rng::seed_from_u64(seed),
        }
    }

    /// Decides whether `kind` strikes this time. Kinds at rate 0 draw nothing, so enabling one
    /// kind does not reshuffle the others' sequence more than it must.
    pub(crate) fn roll(&mut self, kind: FaultKind) -> bool {
        let rate = self.spec.rate(kind);
        rate > 0.0 && self.rng.random::<f64>() < rate
    }

    pub(crate) fn coin(&mut self) -> bool {
        self.rng.random::<bool>()
    }

    pub(crate) fn pick(&mut self, count: usize) -> usize {
        if count <= 1 {
            0
        } else {
            self.rng.random_range(0..count)
        }
    }

    /// Random bytes and a `\n`; one of them is forced outside printable ASCII so the line can
    /// never pass as a valid frame.
    pub(crate) fn garbage_line(&mut self) -> Vec<u8> {
        let len = self.rng.random_range(GARBAGE_BYTES);
        let mut line: Vec<u8> = (0..len)
            .map(|_| {
                let byte: u8 = self.rng.random();
                if byte == b'\n' {
                    0x00
                } else {
                    byte
                }
            })
            .collect();
        let bad_at = self.rng.random_range(0..len);
        let bad_byte = match self.rng.random_range(0u8..=1) {
            0 => self.rng.random_range(0x80u8..=0xFF),
            _ => self.rng.random_range(0x00u8..=0x09),
        };
        line[bad_at] = bad_byte;
        line.push(b'\n');
        line
    }

    /// 600 to 2000 printable bytes without `*` (so no CRC tail can appear) and a `\n`.
    pub(crate) fn long_line(&mut self) -> Vec<u8> {
        let len = self.rng.random_range(LONG_LINE_BYTES);
        let mut line: Vec<u8> = (0..len)
            .map(|_| {
                let byte = self.rng.random_range(0x20u8..=0x7E);
                if byte == b'*' {
                    b'#'
                } else {
                    byte
                }
            })
            .collect();
        line.push(b'\n');
        line
    }

    /// `line` (a framed `body*XX\n`) with a CRC that is guaranteed not to match its body.
    pub(crate) fn with_wrong_crc(&mut self, line: &str) -> Vec<u8> {
        let body = line
            .strip_suffix('\n')
            .and_then(|framed| framed.get(..framed.len().saturating_sub(3)))
            .unwrap_or(line);
        let flip: u8 = self.rng.random_range(1..=255);
        let wrong = crc8(body.as_bytes()) ^ flip;
        format!("{body}*{wrong:02X}\n").into_bytes()
    }

    /// A short lowercase token for an `x_vendor=` field.
    pub(crate) fn vendor_token(&mut self) -> String {
        let value: u32 = self.rng.random();
        format!("v{value:08x}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use refurbdesk_bench_protocol::{frame, unframe, LineSplitter};

    #[test]
    fn kinds_index_their_own_rate() {
        for (position, kind) in FaultKind::ALL.into_iter().enumerate() {
            assert_eq!(kind.index(), position);
            assert_eq!(FaultKind::parse(kind.as_str()), Some(kind));
            assert_eq!(FaultSpec::only(kind, 0.5).rate(kind), 0.5);
        }
    }

    #[test]
    fn none_and_all() {
        assert_eq!("none".parse::<FaultSpec>(), Ok(FaultSpec::none()));
        let all: FaultSpec = "all".parse().expect("all");
        for kind in FaultKind::ALL {
            assert_eq!(all.rate(kind), kind.default_rate());
        }
        assert!(FaultSpec::none().is_none());
        assert!(!all.is_none());
        assert_eq!(FaultSpec::default(), FaultSpec::none());
    }

    #[test]
    fn list_with_rates_and_bare_names() {
        let spec: FaultSpec = " crc=0.5, drop ,unplug=1".parse().expect("valid");
        assert_eq!(spec.rate(FaultKind::Crc), 0.5);
        assert_eq!(spec.rate(FaultKind::Drop), 0.02);
        assert_eq!(spec.rate(FaultKind::Unplug), 1.0);
        assert_eq!(spec.rate(FaultKind::Dup), 0.0);
    }

    #[test]
    fn the_brief_example_parses_to_its_rates() {
        let text = "crc=0.05,drop=0.02,delay=0.02,dup=0.05,garbage=0.05,long=0.02,events=0.1,\
                    reset=0.005,unplug=0.002";
        assert_eq!(text.parse::<FaultSpec>(), Ok(FaultSpec::all()));
    }

    #[test]
    fn all_can_be_overridden_item_by_item() {
        let spec: FaultSpec = "all,unplug=0".parse().expect("valid");
        assert_eq!(spec.rate(FaultKind::Unplug), 0.0);
        assert_eq!(spec.rate(FaultKind::Crc), 0.05);
    }

    #[test]
    fn errors_name_the_bad_item() {
        assert_eq!(
            "crc=0.1,noise=0.2".parse::<FaultSpec>(),
            Err(FaultSpecError::UnknownKind {
                item: "noise=0.2".into()
            })
        );
        for bad in ["crc=1.5", "crc=-0.1", "crc=x", "crc=", "crc=NaN"] {
            assert_eq!(
                bad.parse::<FaultSpec>(),
                Err(FaultSpecError::BadRate { item: bad.into() }),
                "{bad}"
            );
        }
        assert_eq!(
            "dup,dup=0.3".parse::<FaultSpec>(),
            Err(FaultSpecError::Repeated {
                item: "dup=0.3".into()
            })
        );
        assert_eq!("".parse::<FaultSpec>(), Err(FaultSpecError::Empty));
        assert_eq!("crc,,dup".parse::<FaultSpec>(), Err(FaultSpecError::Empty));
        let message = FaultSpecError::UnknownKind {
            item: "noise=0.2".into(),
        }
        .to_string();
        assert!(
            message.contains("`noise=0.2`") && message.contains("garbage"),
            "{message}"
        );
    }

    #[test]
    fn display_round_trips() {
        for text in ["none", "crc=0.5", "drop=0.02,unplug=1", "all"] {
            let spec: FaultSpec = text.parse().expect("valid");
            assert_eq!(
                spec.to_string().parse::<FaultSpec>(),
                Ok(spec.clone()),
                "{text}"
            );
        }
        assert_eq!(FaultSpec::none().to_string(), "none");
        assert_eq!(FaultSpec::only(FaultKind::Dup, 1.0).to_string(), "dup=1");
    }

    #[test]
    fn rates_decide_and_the_seed_replays() {
        let mut always = FaultDice::new(FaultSpec::only(FaultKind::Crc, 1.0), 7);
        let mut never = FaultDice::new(FaultSpec::only(FaultKind::Crc, 0.0), 7);
        assert!((0..1000).all(|_| always.roll(FaultKind::Crc)));
        assert!((0..1000).all(|_| !never.roll(FaultKind::Crc)));
        assert!((0..1000).all(|_| !always.roll(FaultKind::Drop)));

        let spec = FaultSpec::only(FaultKind::Dup, 0.3);
        let draws = |seed| {
            let mut dice = FaultDice::new(spec.clone(), seed);
            (0..200)
                .map(|_| dice.roll(FaultKind::Dup))
                .collect::<Vec<_>>()
        };
        assert_eq!(draws(1), draws(1));
        assert_ne!(draws(1), draws(2));
        let hits = draws(3).into_iter().filter(|&hit| hit).count();
        assert!((30..=90).contains(&hits), "{hits} of 200 at rate 0.3");
    }

    #[test]
    fn garbage_never_frames_and_always_ends_the_line() {
        let mut dice = FaultDice::new(FaultSpec::none(), 11);
        for _ in 0..500 {
            let line = dice.garbage_line();
            assert_eq!(line.last(), Some(&b'\n'));
            let content = &line[..line.len() - 1];
            assert!(!content.contains(&b'\n'));
            assert!(content.iter().any(|byte| !(0x20..=0x7E).contains(byte)));
            assert!(unframe(content).is_err());
        }
    }

    #[test]
    fn long_lines_are_printable_and_over_the_limit() {
        let mut dice = FaultDice::new(FaultSpec::none(), 12);
        for _ in 0..100 {
            let line = dice.long_line();
            assert!((601..=2001).contains(&line.len()), "{}", line.len());
            let content = &line[..line.len() - 1];
            assert!(content
                .iter()
                .all(|byte| (0x20..=0x7E).contains(byte) && *byte != b'*'));
            let mut splitter = LineSplitter::new();
            let mut results = Vec::new();
            splitter.push(&line, |result| results.push(result.is_err()));
            assert_eq!(results, [true]);
        }
    }

    #[test]
    fn a_wrong_crc_is_always_wrong() {
        let mut dice = FaultDice::new(FaultSpec::none(), 13);
        let line = frame("3 OK present=yes design_mah=2815").expect("frames");
        for _ in 0..1000 {
            let corrupted = dice.with_wrong_crc(&line);
            assert_eq!(corrupted.len(), line.len());
            assert_eq!(
                corrupted[..line.len() - 4],
                line.as_bytes()[..line.len() - 4]
            );
            assert!(unframe(&corrupted[..corrupted.len() - 1]).is_err());
        }
    }
}
