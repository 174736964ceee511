//! Fault injection: what goes wrong, how often, and for how many requests.
//!
//! The grammar (also in docs/marketplace.md):
//!
//! ```text
//! SPEC  := "none" | ITEM ("," ITEM)*
//! ITEM  := KIND ":" PROB ["*" COUNT] | "seed:" N | "slow-ms:" N | "hang-ms:" N
//! KIND  := "500" | "429" | "slow" | "drop" | "timeout-after-apply" | "duplicate"
//! ```
//!
//! Each request under `/ws/` rolls the seeded dice once and suffers at most one fault, picked by
//! the probabilities in the order written, over the kinds whose budget is not spent (the kinds
//! without one add up to at most 1). `*COUNT` stops a kind after COUNT injections, so
//! `500:1*3,429:1*2` answers the first three requests with 500 and the next two with 429.
//! `timeout-after-apply` and `duplicate` only strike requests that change something.
//!
//! ```
//! use refurbdesk_marketplace_sim::{FaultKind, FaultSpec};
//! let spec: FaultSpec = "500:0.2,slow:0.1,timeout-after-apply:1*1,seed:7".parse().unwrap();
//! assert_eq!(spec.seed, 7);
//! assert_eq!(spec.rules.len(), 3);
//! assert_eq!(spec.rules[2].kind, FaultKind::TimeoutAfterApply);
//! assert_eq!(spec.rules[2].count, Some(1));
//! assert!("500:0.7,drop:0.5".parse::<FaultSpec>().is_err());
//! ```

use std::fmt;
use std::str::FromStr;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

/// What a fault does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// Answers 500 without applying anything.
    #[serde(rename = "500")]
    ServerError,
    /// Answers 429 without applying anything (and without the 10 s block).
    #[serde(rename = "429")]
    TooManyRequests,
    /// Waits `slow-ms` before handling the request.
    Slow,
    /// Drops the connection without applying anything.
    Drop,
    /// Applies the change, then hangs `hang-ms` and drops the connection.
    TimeoutAfterApply,
    /// Applies the request twice (a delivery repeated on the way), answering the second.
    Duplicate,
}

impl FaultKind {
    pub const ALL: [FaultKind; 6] = [
        FaultKind::ServerError,
        FaultKind::TooManyRequests,
        FaultKind::Slow,
        FaultKind::Drop,
        FaultKind::TimeoutAfterApply,
        FaultKind::Duplicate,
    ];

    /// Its word in a spec.
    pub fn word(self) -> &'static str {
        match self {
            FaultKind::ServerError => "500",
            FaultKind::TooManyRequests => "429",
            FaultKind::Slow => "slow",
            FaultKind::Drop => "drop",
            FaultKind::TimeoutAfterApply => "timeout-after-apply",
            FaultKind::Duplicate => "duplicate",
        }
    }

    /// Whether it strikes only requests that change something.
    pub fn only_changes(self) -> bool {
        matches!(self, FaultKind::TimeoutAfterApply | FaultKind::Duplicate)
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// One kind of fault with its probability and an optional budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    pub kind: FaultKind,
    pub probability: f64,
    pub count: Option<u64>,
}

/// The faults to inject, parsed from the `--faults` grammar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultSpec {
    pub rules: Vec<FaultRule>,
    pub seed: u64,
    /// How long a `slow` request waits, in real milliseconds.
    pub slow_ms: u64,
    /// How long a `timeout-after-apply` request hangs before its connection drops.
    pub hang_ms: u64,
}

impl Default for FaultSpec {
    fn default() -> Self {
        FaultSpec {
            rules: Vec::new(),
            seed: 0,
            slow_ms: 1500,
            hang_ms: 30_000,
        }
    }
}

/// Why a fault spec was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FaultSpecError {
    #[error("fault item '{0}' is not KIND:PROBABILITY")]
    Item(String),
    #[error("unknown fault '{0}' (500, 429, slow, drop, timeout-after-apply, duplicate)")]
    Kind(String),
    #[error("'{0}' is not a probability between 0 and 1")]
    Probability(String),
    #[error("'{0}' is not a whole number")]
    Number(String),
    #[error("the probabilities of the kinds without a count add up to {0}, more than 1")]
    Sum(String),
}

impl FromStr for FaultSpec {
    type Err = FaultSpecError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut spec = FaultSpec::default();
        let text = text.trim();
        if text.is_empty() || text == "none" {
            return Ok(spec);
        }
        for item in text
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
        {
            let (key, value) = item
                .split_once(':')
                .ok_or_else(|| FaultSpecError::Item(item.to_owned()))?;
            let number = |value: &str| {
                value
                    .parse::<u64>()
                    .map_err(|_| FaultSpecError::Number(value.to_owned()))
            };
            match key {
                "seed" => spec.seed = number(value)?,
                "slow-ms" => spec.slow_ms = number(value)?,
                "hang-ms" => spec.hang_ms = number(value)?,
                _ => {
                    let kind = FaultKind::ALL
                        .into_iter()
                        .find(|kind| kind.word() == key)
                        .ok_or_else(|| FaultSpecError::Kind(key.to_owned()))?;
                    let (probability, count) = match value.split_once('*') {
                        Some((probability, count)) => (probability, Some(number(count)?)),
                        None => (value, None),
                    };
                    let probability = probability
                        .parse::<f64>()
                        .ok()
                        .filter(|p| (0.0..=1.0).contains(p))
                        .ok_or_else(|| FaultSpecError::Probability(probability.to_owned()))?;
                    spec.rules.push(FaultRule {
                        kind,
                        probability,
                        count,
                    });
                }
            }
        }
        // Kinds with a budget give way once it is spent; the others share the dice.
        let sum: f64 = spec
            .rules
            .iter()
            .filter(|rule| rule.count.is_none())
            .map(|rule| rule.probability)
            .sum();
        if sum > 1.0 + 1e-9 {
            return Err(FaultSpecError::Sum(format!("{sum}")));
        }
        Ok(spec)
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rules.is_empty() {
            return f.write_str("none");
        }
        let items: Vec<String> = self
            .rules
            .iter()
            .map(|rule| match rule.count {
                Some(count) => format!("{}:{}*{count}", rule.kind, rule.probability),
                None => format!("{}:{}", rule.kind, rule.probability),
            })
            .collect();
        write!(f, "{},seed:{}", items.join(","), self.seed)
    }
}

/// The seeded dice and what is left of each rule's budget.
#[derive(Debug)]
pub struct FaultDice {
    spec: FaultSpec,
    used: Vec<u64>,
    rng: ChaCha8Rng,
}

impl FaultDice {
    pub fn new(spec: FaultSpec) -> Self {
        let rng = ChaCha8Rng::seed_from_u64(spec.seed);
        let used = vec![0; spec.rules.len()];
        FaultDice { spec, used, rng }
    }

    pub fn spec(&self) -> &FaultSpec {
        &self.spec
    }

    /// Rolls for one request; `changes` says whether it changes something.
    ///
    /// ```
    /// use refurbdesk_marketplace_sim::{FaultDice, FaultKind};
    /// let mut dice = FaultDice::new("500:1*2,duplicate:1*1".parse().unwrap());
    /// assert_eq!(dice.roll(false), Some(FaultKind::ServerError));
    /// assert_eq!(dice.roll(true), Some(FaultKind::ServerError));
    /// assert_eq!(dice.roll(false), None); // a read is never duplicated
    /// assert_eq!(dice.roll(true), Some(FaultKind::Duplicate));
    /// assert_eq!(dice.roll(true), None);
    /// ```
    pub fn roll(&mut self, changes: bool) -> Option<FaultKind> {
        if self.spec.rules.is_empty() {
            return None;
        }
        let roll: f64 = self.rng.random();
        let mut edge = 0.0;
        for (index, rule) in self.spec.rules.iter().enumerate() {
            if rule.count.is_some_and(|count| self.used[index] >= count) {
                continue;
            }
            edge += rule.probability;
            if roll < edge {
                if rule.kind.only_changes() && !changes {
                    return None;
                }
                self.used[index] += 1;
                return Some(rule.kind);
            }
        }
        None
    }
}
