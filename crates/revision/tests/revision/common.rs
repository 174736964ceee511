//! A laptop declared and found alike, to change one thing at a time.

use refurbdesk_domain::{Accessory, BuybackGrade, DeviceCategory, DeviceIdentity, LockVerdictKind};
use refurbdesk_revision::{Declared, Found, TradeinPolicy, DEFAULT_TRADEIN_POLICY_TOML};

/// A quote of 200.00 EUR.
pub const QUOTE: u64 = 20_000;

pub fn laptop_declared() -> Declared {
    Declared {
        category: DeviceCategory::Laptop,
        make: Some("Dell".into()),
        model: "Latitude 7490".into(),
        storage_gb: Some(256),
        grade: Some(BuybackGrade::FunctionalGood),
        accessories: vec![Accessory::Charger],
    }
}

/// The laptop as declared: clear lock, battery passing, nothing failed, charger in the box.
pub fn laptop_found() -> Found {
    let mut identity = DeviceIdentity::new(DeviceCategory::Laptop, "Dell", "Latitude 7490");
    identity.storage_gb = Some(256);
    let mut found = Found::from_identity(&identity);
    found.grade = Some(BuybackGrade::FunctionalGood);
    found.lock = LockVerdictKind::Clear;
    found.battery = Some(refurbdesk_domain::BatteryVerdictKind::Pass);
    found.accessories = vec![Accessory::Charger];
    found
}

pub fn shipped() -> &'static TradeinPolicy {
    TradeinPolicy::embedded_default()
}

/// The shipped policy with `old` replaced by `new` (which must occur once).
pub fn shipped_edited(old: &str, new: &str) -> String {
    assert_eq!(
        DEFAULT_TRADEIN_POLICY_TOML.matches(old).count(),
        1,
        "{old:?}"
    );
    DEFAULT_TRADEIN_POLICY_TOML.replacen(old, new, 1)
}

/// The shipped policy edited, loaded.
pub fn policy_with(old: &str, new: &str) -> TradeinPolicy {
    TradeinPolicy::from_toml(&shipped_edited(old, new)).expect("the edited policy is valid")
}
