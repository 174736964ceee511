//! A device builder for grading tests: real domain assessments from real
//! readings, every manual item answered and every zone flawless unless a
//! test says otherwise.

#![allow(dead_code)]

use std::collections::BTreeMap;

use refurbdesk_domain::{
    assess_battery, assess_lock, AccountLock, ActivationLock, BatteryPolicy, BatteryReading,
    CarrierLock, CycleLimits, DeviceCategory, DeviceIdentity, LockReading, MdmState,
};
use refurbdesk_grading::{
    zones_for, Answer, BenchTest, Checklists, CosmeticLevel, GradeInput, ItemKind, TestOutcome,
    Zone,
};

#[derive(Debug, Clone)]
pub struct Device {
    pub identity: DeviceIdentity,
    pub battery: BatteryReading,
    pub lock: LockReading,
    pub tests: Vec<BenchTest>,
    pub answers: BTreeMap<String, Answer>,
    pub cosmetic: BTreeMap<Zone, CosmeticLevel>,
    pub partial: bool,
}

pub const CLEAR: LockReading = LockReading {
    activation: ActivationLock::Unlocked,
    account: AccountLock::None,
    mdm: MdmState::None,
    carrier: CarrierLock::Unlocked,
};

/// A device in perfect order: battery at 95 % where one is needed (none
/// otherwise), no lock, every manual item passed, every zone flawless.
pub fn device(category: DeviceCategory) -> Device {
    let (make, model) = match category {
        DeviceCategory::Phone => ("Apple", "iPhone 15"),
        DeviceCategory::Tablet => ("Apple", "iPad (9th generation)"),
        DeviceCategory::Laptop => ("Lenovo", "ThinkPad T480"),
        DeviceCategory::Desktop => ("Dell", "OptiPlex 7070"),
        DeviceCategory::Monitor => ("Dell", "U2419H"),
    };
    let mut identity = DeviceIdentity::new(category, make, model);
    if matches!(category, DeviceCategory::Phone | DeviceCategory::Tablet) {
        identity.imei = Some("356728114587211".to_owned());
        identity.imei_valid = Some(true);
    }
    let battery = if category.needs_battery() {
        reading_at(95.0)
    } else {
        BatteryReading {
            present: Some(false),
            ..BatteryReading::default()
        }
    };
    let template = Checklists::embedded().for_category(category);
    let answers = template
        .items()
        .iter()
        .filter(|item| item.kind == ItemKind::Manual)
        .map(|item| (item.id.to_string(), Answer::Pass))
        .collect();
    let cosmetic = zones_for(category)
        .iter()
        .map(|zone| (*zone, CosmeticLevel::Flawless))
        .collect();
    Device {
        identity,
        battery,
        lock: CLEAR,
        tests: Vec::new(),
        answers,
        cosmetic,
        partial: false,
    }
}

/// A battery reading whose computed health is exactly `pct` to 0.01.
pub fn reading_at(pct: f64) -> BatteryReading {
    BatteryReading {
        present: Some(true),
        design_mah: Some(10_000),
        full_mah: Some((pct * 100.0).round() as u32),
        cycles: Some(300),
        source: Some("gasgauge".to_owned()),
        ..BatteryReading::default()
    }
}

impl Device {
    pub fn soh(mut self, pct: f64) -> Device {
        let cycles = self.battery.cycles;
        self.battery = reading_at(pct);
        self.battery.cycles = cycles;
        self
    }

    pub fn battery(mut self, reading: BatteryReading) -> Device {
        self.battery = reading;
        self
    }

    pub fn zone(mut self, zone: Zone, level: CosmeticLevel) -> Device {
        self.cosmetic.insert(zone, level);
        self
    }

    pub fn answer(mut self, id: &str, answer: Answer) -> Device {
        self.answers.insert(id.to_owned(), answer);
        self
    }

    pub fn unanswered(mut self, id: &str) -> Device {
        self.answers.remove(id);
        self
    }

    pub fn uninspected(mut self, zone: Zone) -> Device {
        self.cosmetic.remove(&zone);
        self
    }

    pub fn test(mut self, name: &str, outcome: TestOutcome) -> Device {
        self.tests.push(BenchTest {
            name: name.to_owned(),
            outcome,
        });
        self
    }

    pub fn lock(mut self, change: impl FnOnce(&mut LockReading)) -> Device {
        change(&mut self.lock);
        self
    }

    pub fn model(mut self, model: &str) -> Device {
        self.identity.model = model.to_owned();
        self
    }

    pub fn imei_valid(mut self, valid: bool) -> Device {
        self.identity.imei_valid = Some(valid);
        self
    }

    pub fn partial(mut self) -> Device {
        self.partial = true;
        self
    }

    pub fn input(&self) -> GradeInput {
        GradeInput {
            identity: self.identity.clone(),
            battery: assess_battery(
                &self.battery,
                &self.identity,
                &BatteryPolicy::default(),
                CycleLimits::embedded(),
            ),
            lock: assess_lock(&self.lock),
            tests: self.tests.clone(),
            answers: self.answers.clone(),
            cosmetic: self.cosmetic.clone(),
            partial: self.partial,
        }
    }
}
