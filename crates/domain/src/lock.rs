//! Lock intake: activation lock, account sign-in, remote management and
//! carrier lock, and whether they let the device be valued and sold.

use serde::{Deserialize, Serialize};

use crate::lang::{tell_reasons, Lang};
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
    /// The reasons in English, as recorded.
    #[serde(default)]
    pub reasons: Vec<String>,
    /// The same reasons as facts, one per sentence of `reasons`. Empty in
    /// assessments recorded before findings existed.
    #[serde(default)]
    pub findings: Vec<LockFinding>,
}

impl LockAssessment {
    /// The reasons in `lang`: told from the findings, or as recorded (in
    /// English) for an assessment that has none.
    pub fn reasons_in(&self, lang: Lang) -> Vec<String> {
        tell_reasons(&self.reasons, &self.findings, |finding| finding.text(lang))
    }
}

/// One thing the lock assessment found: a reason as data, told in a
/// language by [`LockFinding::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "finding", rename_all = "snake_case")]
pub enum LockFinding {
    ActivationLocked,
    ActivationUnread,
    /// Signed in to an account that blocks the sale.
    SignedIn {
        account: AccountLock,
    },
    AccountUnread,
    MdmEnrolled,
    MdmUnread,
    /// Nothing blocks and everything was read.
    NoLocks,
    CarrierLocked,
    CarrierUnread,
}

impl LockFinding {
    /// The finding as a sentence a customer could read, told from the
    /// catalogue (`lock-*`).
    pub fn text(self, lang: Lang) -> String {
        let catalogue = lang.catalogue();
        let id = match self {
            LockFinding::ActivationLocked => "lock-activation-locked",
            LockFinding::ActivationUnread => "lock-activation-unread",
            LockFinding::SignedIn { account } => {
                let account = account_name(account, lang);
                return catalogue.tell("lock-signed-in", &[("account", account)]);
            }
            LockFinding::AccountUnread => "lock-account-unread",
            LockFinding::MdmEnrolled => "lock-mdm-enrolled",
            LockFinding::MdmUnread => "lock-mdm-unread",
            LockFinding::NoLocks => "lock-none",
            LockFinding::CarrierLocked => "lock-carrier-locked",
            LockFinding::CarrierUnread => "lock-carrier-unread",
        };
        catalogue.tell(id, &[])
    }
}

/// Judges a lock reading. Any activation lock, account sign-in or MDM
/// enrolment blocks; otherwise anything unread of those three makes the
/// verdict unknown. A carrier lock is only ever recorded: it lowers value but
/// does not stop a sale.
pub fn assess_lock(reading: &LockReading) -> LockAssessment {
    let mut blocks = Vec::new();
    let mut unknowns = Vec::new();

    match reading.activation {
        ActivationLock::Locked => blocks.push(LockFinding::ActivationLocked),
        ActivationLock::Unknown => unknowns.push(LockFinding::ActivationUnread),
        ActivationLock::Unlocked => {}
    }

    match reading.account {
        AccountLock::None => {}
        AccountLock::Unknown => unknowns.push(LockFinding::AccountUnread),
        account => blocks.push(LockFinding::SignedIn { account }),
    }

    match reading.mdm {
        MdmState::Enrolled => blocks.push(LockFinding::MdmEnrolled),
        MdmState::Unknown => unknowns.push(LockFinding::MdmUnread),
        MdmState::None => {}
    }

    let verdict = if !blocks.is_empty() {
        LockVerdictKind::Blocked
    } else if !unknowns.is_empty() {
        LockVerdictKind::Unknown
    } else {
        LockVerdictKind::Clear
    };

    let mut findings = blocks;
    findings.append(&mut unknowns);
    if verdict == LockVerdictKind::Clear {
        findings.push(LockFinding::NoLocks);
    }
    match reading.carrier {
        CarrierLock::Locked => findings.push(LockFinding::CarrierLocked),
        CarrierLock::Unknown => findings.push(LockFinding::CarrierUnread),
        CarrierLock::Unlocked => {}
    }

    LockAssessment {
        reading: *reading,
        verdict,
        reasons: findings
            .iter()
            .map(|finding| finding.text(Lang::En))
            .collect(),
        findings,
    }
}

/// The account as named in a sentence, for the account states that block.
fn account_name(account: AccountLock, lang: Lang) -> &'static str {
    let id = match account {
        AccountLock::Icloud => "account-icloud",
        AccountLock::Google => "account-google",
        AccountLock::Samsung => "account-samsung",
        AccountLock::Xiaomi => "account-xiaomi",
        _ => "account-other",
    };
    lang.catalogue().word(id)
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
    #[test]
    fn lock_reasons_are_told_in_french_too() {
        let reading = LockReading {
            account: AccountLock::Icloud,
            mdm: MdmState::Unknown,
            carrier: CarrierLock::Locked,
            ..CLEAR
        };
        let assessment = assess_lock(&reading);
        assert_eq!(assessment.reasons_in(Lang::En), assessment.reasons);
        let french = assessment.reasons_in(Lang::Fr);
        assert_eq!(french.len(), assessment.reasons.len());
        assert!(
            french[0].starts_with("L'appareil est connecté à un compte iCloud"),
            "{french:?}"
        );
        assert!(french[1].contains("gestion à distance (MDM)"), "{french:?}");
        assert!(
            french[2].starts_with("Le verrouillage opérateur est actif"),
            "{french:?}"
        );
        let all = [
            LockFinding::ActivationLocked,
            LockFinding::ActivationUnread,
            LockFinding::SignedIn {
                account: AccountLock::Google,
            },
            LockFinding::AccountUnread,
            LockFinding::MdmEnrolled,
            LockFinding::MdmUnread,
            LockFinding::NoLocks,
            LockFinding::CarrierLocked,
            LockFinding::CarrierUnread,
        ];
        let french: std::collections::HashSet<_> =
            all.iter().map(|finding| finding.text(Lang::Fr)).collect();
        assert_eq!(
            french.len(),
            all.len(),
            "each finding has its own French sentence"
        );
        for finding in all {
            assert_ne!(finding.text(Lang::Fr), finding.text(Lang::En));
        }
    }
}
