//! Synthetic but realistic intakes, shared by the crash writer, the crash
//! test and the store benchmark (each includes this file with `#[path]`).
//!
//! Every intake carries its own size in its first evidence line
//! ([`counts_line`]), so a reader can tell a complete intake from one whose
//! test or evidence rows went missing.

#![allow(dead_code)]

use chrono::{DateTime, Duration, Utc};
use refurbdesk_domain::{
    assess_battery, assess_lock, AccountLock, ActivationLock, BatteryPolicy, BatteryReading,
    CarrierLock, CycleLimits, DeviceCategory, DeviceIdentity, LockReading, MdmState,
};
use refurbdesk_store::{BenchInfo, Direction, EvidenceLine, NewIntake, TestRecord};

/// A small, fast, seedable generator (SplitMix64): the same seed gives the
/// same run, so a failure can be replayed from the seed it prints.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const MARKER: &str = "synthetic tests=";

/// The first evidence line of a synthetic intake, stating how many test
/// results and evidence lines (this one included) it was written with.
pub fn counts_line(tests: usize, evidence: usize) -> String {
    format!("{MARKER}{tests} evidence={evidence}")
}

/// Reads back what [`counts_line`] wrote: `(tests, evidence)`.
pub fn parse_counts_line(line: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix(MARKER)?;
    let (tests, evidence) = rest.split_once(" evidence=")?;
    Some((tests.parse().ok()?, evidence.parse().ok()?))
}

/// The IMEI of synthetic device number `n`: 15 digits, unique per `n`.
pub fn imei(n: u64) -> String {
    format!("35{:013}", n % 10_000_000_000_000)
}

/// The serial of synthetic device number `n`.
pub fn serial(n: u64) -> String {
    format!("SN{n:010}")
}

const TEST_NAMES: [&str; 8] = [
    "wifi",
    "bluetooth",
    "camera_rear",
    "camera_front",
    "speaker",
    "microphone",
    "touch",
    "buttons",
];

/// What one synthetic intake looks like.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Test results recorded.
    pub tests: usize,
    /// Evidence lines, the counts line included (at least 1).
    pub evidence: usize,
    /// Whether the serial is read along with the IMEI.
    pub with_serial: bool,
}

impl Shape {
    /// A random size, up to `max_tests` tests and `max_evidence` lines.
    pub fn random(rng: &mut Rng, max_tests: usize, max_evidence: usize) -> Shape {
        Shape {
            tests: rng.below(max_tests as u64 + 1) as usize,
            evidence: 1 + rng.below(max_evidence.max(1) as u64) as usize,
            with_serial: rng.chance(50),
        }
    }
}

/// An intake of synthetic phone number `device` on bench `bench`, started
/// at `started_at`, with battery health and locks drawn from `rng` in
/// roughly the proportions of a real intake line (most pass, a few need a
/// battery or are locked).
pub fn intake(
    rng: &mut Rng,
    device: u64,
    bench: u32,
    operator: &str,
    started_at: DateTime<Utc>,
    shape: Shape,
) -> NewIntake {
    let mut identity = DeviceIdentity::new(DeviceCategory::Phone, "Apple", "iPhone 12");
    identity.model_code = Some("iPhone13,2".to_owned());
    identity.imei = Some(imei(device));
    identity.imei_valid = Some(refurbdesk_domain::luhn_valid(&imei(device)));
    identity.serial = shape.with_serial.then(|| serial(device));
    identity.storage_gb = Some(128);

    let design_mah = 2815;
    let health_pct = match rng.below(100) {
        0..=69 => 86 + rng.below(14),
        70..=89 => 80 + rng.below(5),
        90..=96 => 50 + rng.below(30),
        _ => 0,
    };
    let reading = if health_pct == 0 {
        BatteryReading {
            present: Some(rng.chance(50)),
            ..BatteryReading::default()
        }
    } else {
        BatteryReading {
            present: Some(true),
            design_mah: Some(design_mah),
            full_mah: Some(design_mah * health_pct as u32 / 100),
            cycles: Some(rng.below(1200) as u32),
            source: Some("gasgauge".to_owned()),
            ..BatteryReading::default()
        }
    };
    let battery = assess_battery(
        &reading,
        &identity,
        &BatteryPolicy::default(),
        CycleLimits::embedded(),
    );
    let lock = assess_lock(&LockReading {
        activation: match rng.below(100) {
            0..=2 => ActivationLock::Locked,
            3..=4 => ActivationLock::Unknown,
            _ => ActivationLock::Unlocked,
        },
        account: AccountLock::None,
        mdm: MdmState::None,
        carrier: CarrierLock::Unlocked,
    });

    let tests = (0..shape.tests)
        .map(|index| {
            let outcome = match rng.below(20) {
                0 => "fail",
                1 => "skip",
                _ => "pass",
            };
            TestRecord {
                name: TEST_NAMES[index % TEST_NAMES.len()].to_owned(),
                outcome: outcome.to_owned(),
                detail: (outcome == "fail").then(|| "no answer from the device".to_owned()),
            }
        })
        .collect();
    let evidence_count = shape.evidence.max(1);
    let mut evidence = Vec::with_capacity(evidence_count);
    evidence.push(EvidenceLine {
        at: started_at,
        direction: Direction::Host,
        line: counts_line(shape.tests, evidence_count),
    });
    for index in 1..evidence_count {
        let at = started_at + Duration::milliseconds(index as i64 * 40);
        evidence.push(if index % 2 == 1 {
            EvidenceLine {
                at,
                direction: Direction::Host,
                line: format!("{index} TEST 1 {}*5c", TEST_NAMES[index % TEST_NAMES.len()]),
            }
        } else {
            EvidenceLine {
                at,
                direction: Direction::Bench,
                line: format!("{} OK result=pass duration_ms=412*a7", index - 1),
            }
        });
    }

    NewIntake {
        bench: BenchInfo {
            serial: format!("PB8-{bench:04}"),
            vendor: "Acme".to_owned(),
            model: "PB-8".to_owned(),
            fw: "1.4.2".to_owned(),
            port: format!("/dev/ttyACM{}", bench % 8),
        },
        slot: 1 + (device % 8) as u16,
        identity,
        battery,
        lock,
        tests,
        evidence,
        started_at,
        finished_at: started_at + Duration::seconds(95),
        operator: operator.to_owned(),
    }
}
