//! Lock intake: activation lock, account sign-in, remote management and
//! carrier lock, and whether they let the device be valued and sold.

use serde::{Deserialize, Serialize};

use crate::word_enum;

word_enum! {
    /// Activation lock (Find My, Factory Reset Protection and the like).
    ActivationLock, "activation lock state" {
        Locked => "locked",
        Unlocked => "unlocked",
        Unknown => "unknown",
    }
}

word_enum! {
    /// The account the device is signed in to, if any.
    AccountLock, "account state" {
        None => "none",
        Icloud => "icloud",
        Google => "google",
        Samsung => "samsung",
        Xiaomi => "xiaomi",
        Other => "other",
        Unknown => "unknown",
    }
}

word_enum! {
    /// Enrolment in mobile device management.
    MdmState, "MDM state" {
        Enrolled => "enrolled",
        None => "none",
        Unknown => "unknown",
    }
}

word_enum! {
    /// Whether the device only works with one network.
    CarrierLock, "carrier lock state" {
        Locked => "locked",
        Unlocked => "unlocked",
        Unknown => "unknown",
    }
}

word_enum! {
    /// Whether locks allow the device to be valued and sold.
    LockVerdictKind, "lock verdict" {
        /// Nothing stops the sale.
        Clear => "clear",
        /// A lock stops the sale until the owner removes it.
        Blocked => "blocked",
        /// Nothing blocks, but something could not be read.
        Unknown => "unknown",
    }
}

/// What a `LOCK` reading says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockReading {
    pub activation: ActivationLock,
    pub account: AccountLock,
    pub mdm: MdmState,
    pub carrier: CarrierLock,
}

/// The lock verdict and the reasons behind it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockAssessment {
    pub reading: LockReading,
    pub verdict: LockVerdictKind,
    #[serde(default)]
    pub reasons: Vec<String>,
}

const BLOCKED_UNTIL_CUSTOMER: &str = "cannot be valued or sold until the customer removes it";

/// Judges a lock reading. Any activation lock, account sign-in or MDM
/// enrolment blocks; otherwise anything unread of those three makes the
/// verdict unknown. A carrier lock is only ever recorded: it lowers value but
/// does not stop a sale.
pub fn assess_lock(reading: &LockReading) -> LockAssessment {
    let mut blocks = Vec::new();
    let mut unknowns = Vec::new();

    match reading.activation {
        ActivationLock::Locked => blocks.push(
            "Activation lock is on (Find My or Factory Reset Protection) — cannot be valued or sold \
             until the customer turns it off."
                .to_owned(),
        ),
        ActivationLock::Unknown => unknowns.push(
            "The activation lock state could not be read — an operator must confirm it is off."
                .to_owned(),
        ),
        ActivationLock::Unlocked => {}
    }

    match account_name(reading.account) {
        Some(account) => blocks.push(format!(
            "Device is signed in to {account} — {BLOCKED_UNTIL_CUSTOMER}."
        )),
        None if reading.account == AccountLock::Unknown => unknowns.push(
            "Whether the device is signed in to an account could not be read — an operator must \
             confirm it is signed out."
                .to_owned(),
        ),
        None => {}
    }

    match reading.mdm {
        MdmState::Enrolled => blocks.push(
            "Device is enrolled in remote management (MDM) — cannot be valued or sold until the \
             organisation that manages it releases it."
                .to_owned(),
        ),
        MdmState::Unknown => unknowns.push(
            "Remote management (MDM) enrolment could not be read — an operator must confirm the \
             device is not enrolled."
                .to_owned(),
        ),
        MdmState::None => {}
    }

    let verdict = if !blocks.is_empty() {
        LockVerdictKind::Blocked
    } else if !unknowns.is_empty() {
        LockVerdictKind::Unknown
    } else {
        LockVerdictKind::Clear
    };

    let mut reasons = blocks;
    reasons.append(&mut unknowns);
    if verdict == LockVerdictKind::Clear {
        reasons
            .push("No activation lock, account sign-in or remote management was found.".to_owned());
    }
    match reading.carrier {
        CarrierLock::Locked => reasons.push(
            "Carrier lock is on: the device works only with its original network. This is recorded \
             for pricing and does not block the sale."
                .to_owned(),
        ),
        CarrierLock::Unknown => reasons.push(
            "The carrier lock state could not be read; this is recorded for information and does \
             not block the sale."
                .to_owned(),
        ),
        CarrierLock::Unlocked => {}
    }

    LockAssessment {
        reading: *reading,
        verdict,
        reasons,
    }
}

/// The account as named in a sentence, for the account states that block.
fn account_name(account: AccountLock) -> Option<&'static str> {
    match account {
        AccountLock::Icloud => Some("an iCloud account"),
        AccountLock::Google => Some("a Google account"),
        AccountLock::Samsung => Some("a Samsung account"),
        AccountLock::Xiaomi => Some("a Xiaomi account"),
        AccountLock::Other => Some("an account"),
        AccountLock::None | AccountLock::Unknown => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAR: LockReading = LockReading {
        activation: ActivationLock::Unlocked,
        account: AccountLock::None,
        mdm: MdmState::None,
        carrier: CarrierLock::Unlocked,
    };

    #[test]
    fn fully_unlocked_device_is_clear() {
        let assessment = assess_lock(&CLEAR);
        assert_eq!(assessment.verdict, LockVerdictKind::Clear);
        assert_eq!(assessment.reading, CLEAR);
        assert_eq!(assessment.reasons.len(), 1);
    }

    #[test]
    fn each_lock_kind_blocks_with_its_own_reason() {
        let cases = [
            (LockReading { activation: ActivationLock::Locked, ..CLEAR }, "Activation lock is on"),
            (LockReading { account: AccountLock::Icloud, ..CLEAR }, "signed in to an iCloud account — cannot be valued or sold until the customer removes it"),
            (LockReading { account: AccountLock::Google, ..CLEAR }, "signed in to a Google account — cannot be valued or sold until the customer removes it"),
            (LockReading { account: AccountLock::Samsung, ..CLEAR }, "signed in to a Samsung account"),
            (LockReading { account: AccountLock::Xiaomi, ..CLEAR }, "signed in to a Xiaomi account"),
            (LockReading { account: AccountLock::Other, ..CLEAR }, "signed in to an account"),
            (LockReading { mdm: MdmState::Enrolled, ..CLEAR }, "enrolled in remote management (MDM)"),
        ];
        for (reading, reason) in cases {
            let assessment = assess_lock(&reading);
            assert_eq!(assessment.verdict, LockVerdictKind::Blocked, "{reading:?}");
            assert_eq!(assessment.reasons.len(), 1, "{:?}", assessment.reasons);
            assert!(
                assessment.reasons[0].contains(reason),
                "{:?}",
                assessment.reasons
            );
        }
    }

    #[test]
    fn every_block_gets_its_own_reason_and_beats_unknowns() {
        let reading = LockReading {
            activation: ActivationLock::Locked,
            account: AccountLock::Google,
            mdm: MdmState::Unknown,
            carrier: CarrierLock::Unlocked,
        };
        let assessment = assess_lock(&reading);
        assert_eq!(assessment.verdict, LockVerdictKind::Blocked);
        assert_eq!(assessment.reasons.len(), 3, "{:?}", assessment.reasons);
        assert!(assessment.reasons[0].contains("Activation lock"));
        assert!(assessment.reasons[1].contains("Google"));
        assert!(assessment.reasons[2].contains("operator must confirm"));
    }

    #[test]
    fn unread_states_need_an_operator_but_do_not_block() {
        let cases = [
            LockReading {
                activation: ActivationLock::Unknown,
                ..CLEAR
            },
            LockReading {
                account: AccountLock::Unknown,
                ..CLEAR
            },
            LockReading {
                mdm: MdmState::Unknown,
                ..CLEAR
            },
        ];
        for reading in cases {
            let assessment = assess_lock(&reading);
            assert_eq!(assessment.verdict, LockVerdictKind::Unknown, "{reading:?}");
            assert_eq!(assessment.reasons.len(), 1, "{:?}", assessment.reasons);
            assert!(assessment.reasons[0].contains("operator must confirm"));
        }
        let all_unknown = LockReading {
            activation: ActivationLock::Unknown,
            account: AccountLock::Unknown,
            mdm: MdmState::Unknown,
            carrier: CarrierLock::Unknown,
        };
        let assessment = assess_lock(&all_unknown);
        assert_eq!(assessment.verdict, LockVerdictKind::Unknown);
        assert_eq!(assessment.reasons.len(), 4, "{:?}", assessment.reasons);
    }

    #[test]
    fn carrier_lock_is_recorded_but_never_blocks() {
        let cases = [
            (CarrierLock::Locked, Some("Carrier lock is on")),
            (
                CarrierLock::Unknown,
                Some("carrier lock state could not be read"),
            ),
            (CarrierLock::Unlocked, None),
        ];
        for (carrier, note) in cases {
            let assessment = assess_lock(&LockReading { carrier, ..CLEAR });
            assert_eq!(assessment.verdict, LockVerdictKind::Clear, "{carrier}");
            assert_eq!(assessment.reading.carrier, carrier);
            let carrier_reason = assessment
                .reasons
                .iter()
                .find(|r| r.to_lowercase().contains("carrier"));
            match note {
                Some(text) => assert!(
                    carrier_reason.is_some_and(|r| r.contains(text)),
                    "{:?}",
                    assessment.reasons
                ),
                None => assert!(carrier_reason.is_none(), "{:?}", assessment.reasons),
            }
        }
    }

    #[test]
    fn lock_words_match_the_protocol_and_serde() {
        fn check<T>(all: &[T], words: &[&str])
        where
            T: Copy
                + std::fmt::Display
                + std::str::FromStr
                + serde::Serialize
                + PartialEq
                + std::fmt::Debug,
            <T as std::str::FromStr>::Err: std::fmt::Debug,
        {
            assert_eq!(all.len(), words.len());
            for (value, word) in all.iter().zip(words) {
                assert_eq!(value.to_string(), *word);
                assert_eq!(word.parse::<T>().expect("word parses"), *value);
                assert_eq!(
                    serde_json::to_string(value).expect("serializes"),
                    format!("\"{word}\"")
                );
            }
        }
        check(ActivationLock::ALL, &["locked", "unlocked", "unknown"]);
        check(
            AccountLock::ALL,
            &[
                "none", "icloud", "google", "samsung", "xiaomi", "other", "unknown",
            ],
        );
        check(MdmState::ALL, &["enrolled", "none", "unknown"]);
        check(CarrierLock::ALL, &["locked", "unlocked", "unknown"]);
        check(LockVerdictKind::ALL, &["clear", "blocked", "unknown"]);
        assert!("iCloud".parse::<AccountLock>().is_err());
    }
}
