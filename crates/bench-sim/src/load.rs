//! A generated load for benchmarks: many slots whose devices come and go all the time, served as
//! ordinary Protocol v1 benches of eight slots each (`[churn]` scenarios).

use std::fmt;
use std::str::FromStr;

use crate::scenario::{Scenario, ScenarioError};

/// Slots per generated bench (the last one may have fewer).
pub const LOAD_SLOTS_PER_BENCH: u16 = 8;

/// How many times a slot's tile changes in one cycle of a churn scenario: the device is placed
/// (the station starts its intake), recorded, then taken out (the slot is empty again).
pub const CHANGES_PER_CYCLE: u32 = 3;

/// Many slots changing state many times a second, e.g. `64x10`: 64 slots (eight benches of
/// eight), each changing state ten times a second. Each slot's device is placed, read and taken
/// out again every `3 / changes_per_second` seconds; it stays in for two thirds of that.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadSpec {
    pub slots: u16,
    pub changes_per_second: f64,
}

/// Why a load could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("load {text:?}: {problem}; write SLOTSxCHANGES, e.g. 64x10 (64 slots, each changing state 10 times a second)")]
pub struct LoadSpecError {
    text: String,
    problem: String,
}

/// Most slots a load may have (sixty-four benches of eight).
const MAX_LOAD_SLOTS: u16 = 512;
/// Most changes a second per slot: a cycle must leave the station time to read the device.
const MAX_CHANGES_PER_SECOND: f64 = 30.0;

impl FromStr for LoadSpec {
    type Err = LoadSpecError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = |problem: &str| LoadSpecError {
            text: text.to_owned(),
            problem: problem.to_owned(),
        };
        let (slots, rate) = text
            .trim()
            .split_once(['x', 'X'])
            .ok_or_else(|| fail("no 'x' between the slots and the changes a second"))?;
        let slots: u16 = slots
            .trim()
            .parse()
            .map_err(|_| fail("the number of slots is not a whole number"))?;
        if slots == 0 || slots > MAX_LOAD_SLOTS {
            return Err(fail(&format!("the slots must be 1 to {MAX_LOAD_SLOTS}")));
        }
        let changes_per_second: f64 = rate
            .trim()
            .parse()
            .map_err(|_| fail("the changes a second are not a number"))?;
        if !(changes_per_second > 0.0 && changes_per_second <= MAX_CHANGES_PER_SECOND) {
            return Err(fail(&format!(
                "the changes a second must be above 0 and at most {MAX_CHANGES_PER_SECOND}"
            )));
        }
        Ok(LoadSpec {
            slots,
            changes_per_second,
        })
    }
}

impl fmt::Display for LoadSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.slots, self.changes_per_second)
    }
}

/// Device profiles the generated benches hold, in turn: make, model, design and full capacity.
const PROFILES: [(&str, &str, u32, u32); 4] = [
    ("Apple", "iPhone 12", 2815, 2421),
    ("Samsung", "Galaxy S21", 4000, 3640),
    ("Google", "Pixel 7", 4355, 3610),
    ("Apple", "iPhone 14", 3279, 3050),
];

impl LoadSpec {
    /// The environment variable that turns the built-in simulated benches into this load
    /// (benchmarks only; see docs/performance.md).
    pub const ENV: &'static str = "REFURBDESK_SIM_LOAD";

    /// The load named by [`LoadSpec::ENV`], if it is set and not empty.
    pub fn from_env() -> Result<Option<LoadSpec>, LoadSpecError> {
        match std::env::var(Self::ENV) {
            Ok(text) if !text.trim().is_empty() => text.parse().map(Some),
            _ => Ok(None),
        }
    }

    /// One cycle of a slot (placed, read, taken out), in milliseconds.
    pub fn period_ms(&self) -> u64 {
        (f64::from(CHANGES_PER_CYCLE) * 1000.0 / self.changes_per_second).round() as u64
    }

    /// How long the device stays in its slot each cycle: two thirds of it, so that the station
    /// has time to read and record it before it goes.
    pub fn in_ms(&self) -> u64 {
        (self.period_ms() * 2 / 3).max(1)
    }

    /// The benches of this load as scenario text: `LD8-0001`, `LD8-0002`, … with eight slots
    /// each, every slot holding a phone with a valid IMEI, a battery, clear locks and two quick
    /// tests, moved by `[churn]`.
    pub fn scenario_texts(&self) -> Vec<(String, String)> {
        let mut texts = Vec::new();
        let mut left = self.slots;
        let mut bench = 0u16;
        while left > 0 {
            bench += 1;
            let slots = left.min(LOAD_SLOTS_PER_BENCH);
            left -= slots;
            let serial = format!("LD8-{bench:04}");
            let mut text = format!(
                "[bench]\nvendor = \"Refurbdesk\"\nmodel = \"LD-8 (simulated load)\"\n\
                 serial = \"{serial}\"\nfw = \"1.0.0\"\nslots = {slots}\n\n\
                 [timing]\nresponse_ms = 1\ndevice_ms = 2\ntest_ms = 5\nerase_ms = 100\n\n\
                 [churn]\nperiod_ms = {}\nin_ms = {}\n",
                self.period_ms(),
                self.in_ms()
            );
            for slot in 1..=slots {
                let (make, model, design, full) = PROFILES[usize::from(slot - 1) % PROFILES.len()];
                let imei = luhn_complete(&format!(
                    "35672811{:06}",
                    u32::from(bench) * 100 + u32::from(slot)
                ));
                text.push_str(&format!(
                    "\n[[device]]\nslot = {slot}\n\
                     ident = {{ category = \"phone\", make = \"{make}\", model = \"{model}\", \
                     serial = \"LD{bench:04}S{slot:02}\", imei = \"{imei}\", storage_gb = \"128\" }}\n\
                     battery = {{ present = \"yes\", design_mah = \"{design}\", full_mah = \"{full}\", \
                     cycles = \"300\", source = \"gasgauge\" }}\n\
                     lock = {{ activation = \"unlocked\", account = \"none\", mdm = \"none\", \
                     carrier = \"unlocked\" }}\n\
                     tests = {{ power = \"PASS\", display = \"PASS\" }}\n"
                ));
            }
            texts.push((format!("load-{serial}.toml"), text));
        }
        texts
    }

    /// The benches of this load, validated like any scenario file.
    pub fn scenarios(&self) -> Result<Vec<Scenario>, ScenarioError> {
        self.scenario_texts()
            .iter()
            .map(|(name, text)| Scenario::from_toml(text, name))
            .collect()
    }
}

/// `digits` followed by its Luhn check digit.
fn luhn_complete(digits: &str) -> String {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(index, byte)| {
            let digit = u32::from(byte - b'0');
            if index % 2 == 0 {
                let doubled = digit * 2;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                digit
            }
        })
        .sum();
    format!("{digits}{}", (10 - sum % 10) % 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_load_reads_as_slots_and_changes_a_second() {
        let load: LoadSpec = "64x10".parse().expect("64x10");
        assert_eq!(load.slots, 64);
        assert_eq!(load.changes_per_second, 10.0);
        assert_eq!((load.period_ms(), load.in_ms()), (300, 200));
        assert_eq!(load.to_string(), "64x10");
        assert_eq!(
            " 8X2.5 ".parse::<LoadSpec>().expect("8x2.5").period_ms(),
            1200
        );
        for bad in [
            "64", "x10", "0x10", "64x0", "64x-1", "64xfast", "9999x10", "64x100",
        ] {
            let error = bad.parse::<LoadSpec>().expect_err(bad).to_string();
            assert!(error.contains("e.g. 64x10"), "{bad}: {error}");
        }
    }

    #[test]
    fn sixty_four_slots_are_eight_benches_of_eight_distinct_valid_phones() {
        let load: LoadSpec = "64x10".parse().expect("64x10");
        let scenarios = load.scenarios().expect("generated scenarios validate");
        assert_eq!(scenarios.len(), 8);
        let mut imeis = std::collections::BTreeSet::new();
        for (index, scenario) in scenarios.iter().enumerate() {
            assert_eq!(scenario.bench().serial, format!("LD8-{:04}", index + 1));
            assert_eq!(scenario.bench().slots, 8);
            assert_eq!(
                scenario.churn().map(|c| (c.period_ms, c.in_ms)),
                Some((300, 200))
            );
            assert_eq!(scenario.devices().len(), 8);
            for device in scenario.devices() {
                let imei = device.ident.imei.clone().expect("an IMEI");
                assert_eq!(imei.len(), 15);
                assert!(
                    refurbdesk_domain::luhn_valid(&imei),
                    "{imei} passes the domain's Luhn check"
                );
                assert!(imeis.insert(imei), "IMEIs are distinct");
            }
        }
        assert_eq!(luhn_complete("35672811458721"), "356728114587211");
        let odd: LoadSpec = "10x1".parse().expect("10x1");
        let slots: Vec<u16> = odd
            .scenarios()
            .expect("valid")
            .iter()
            .map(|s| s.bench().slots)
            .collect();
        assert_eq!(slots, [8, 2]);
    }
}
