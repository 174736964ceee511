//! Found vs declared: each difference the policy prices becomes an adjustment naming its rule,
//! its amount and its inputs; the revised price is the quote less their sum.

use std::collections::BTreeMap;

use refurbdesk_domain::{
    Accessory, BatteryVerdictKind, BuybackGrade, DeviceCategory, DeviceIdentity, Lang,
    LockVerdictKind,
};
use refurbdesk_i18n::{FluentArgs, FluentValue};
use serde::{Deserialize, Serialize};

use crate::money::{money, Amount};
use crate::policy::{LockAction, Mismatch, PolicyId, TradeinPolicy};

/// What the customer declared for one device: a manifest line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declared {
    pub category: DeviceCategory,
    pub make: Option<String>,
    pub model: String,
    pub storage_gb: Option<u32>,
    /// `None` when the manifest gave no grade: the grade is then not compared.
    pub grade: Option<BuybackGrade>,
    pub accessories: Vec<Accessory>,
}

/// What the audit found on the device, from its records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Found {
    pub category: DeviceCategory,
    pub make: String,
    pub model: String,
    /// `None` when not known: storage is then not compared.
    pub storage_gb: Option<u32>,
    /// The grade's trade-in grade; `None` when not graded: the grade is then not compared.
    pub grade: Option<BuybackGrade>,
    pub lock: LockVerdictKind,
    /// `None` when the battery was not assessed.
    pub battery: Option<BatteryVerdictKind>,
    /// The functional checklist items that failed, by id (`touch`, `camera_rear`…).
    pub failed: Vec<String>,
    pub accessories: Vec<Accessory>,
}

impl Found {
    /// What an identity says (category, make, model, storage), with the lock verdict
    /// `unknown`, nothing graded, no battery verdict, nothing failed and no accessory found:
    /// set the rest from the device's records.
    pub fn from_identity(identity: &DeviceIdentity) -> Found {
        Found {
            category: identity.category,
            make: identity.make.clone(),
            model: identity.model.clone(),
            storage_gb: identity.storage_gb,
            grade: None,
            lock: LockVerdictKind::Unknown,
            battery: None,
            failed: Vec::new(),
            accessories: Vec::new(),
        }
    }
}

refurbdesk_domain::word_enum! {
    /// The rule an adjustment comes from, as [`TradeinPolicy::RULES`] names them.
    RevisionRule, "trade-in revision rule" {
        GradeStep => "grade.step",
        AccessoryMandatory => "accessory.mandatory",
        AccessoryOptional => "accessory.optional",
        BatteryReplace => "battery.replace",
        BatteryConsumed => "battery.consumed",
        FunctionFailed => "function.failed",
        LockBlocked => "lock.blocked",
        LockUnknown => "lock.unknown",
        MismatchModel => "mismatch.model",
        MismatchStorage => "mismatch.storage",
    }
}

refurbdesk_domain::word_enum! {
    /// What becomes of the device and its quote.
    Disposition, "disposition" {
        /// Found as declared: the quote stands.
        Accept => "accept",
        /// The quote is lowered, or flagged to be made again.
        Readjusted => "readjusted",
        /// Locked: sent back to the customer, nothing paid.
        Return => "return",
        /// Locked: kept until the customer unlocks it, nothing paid meanwhile.
        Hold => "hold",
    }
}

/// One difference the policy prices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Adjustment {
    pub rule: RevisionRule,
    /// What comes off the quote, in cents, after the floor.
    pub amount_cents: u64,
    /// What the rule asked for before the floor limited it (equal to `amount_cents` unless
    /// the floor was reached).
    pub asked_cents: u64,
    /// The policy's amount the rule applied (per step, per accessory…); `None` for a lock
    /// (the whole price) and a re-quote (nothing).
    pub basis: Option<Amount>,
    /// The catalogue message that tells it (`assets/locales/<lang>/revision.ftl`).
    pub message_id: String,
    /// What the rule compared: `declared` and `found`, `steps`, `accessory`, `item`…
    pub inputs: BTreeMap<String, String>,
    /// The quote cannot stand: the device is another model or has less storage than
    /// declared, and the policy says to quote it again.
    pub requote: bool,
}

impl Adjustment {
    /// The adjustment as a sentence in `lang`, its sums in `currency`.
    pub fn tell(&self, lang: Lang, currency: &str) -> String {
        let mut args = FluentArgs::new();
        for (name, value) in &self.inputs {
            match value.parse::<u64>() {
                Ok(number) if name == "steps" => args.set(name.as_str(), FluentValue::from(number)),
                _ => args.set(name.as_str(), FluentValue::from(value.as_str())),
            }
        }
        if let Some(word) = self.inputs.get("accessory") {
            let id = format!("revision-accessory-{word}");
            if lang.catalogue().has(&id) {
                args.set("accessory", FluentValue::from(lang.catalogue().word(&id)));
            }
        }
        if let Some(category) = self
            .inputs
            .get("category")
            .and_then(|word| word.parse::<DeviceCategory>().ok())
        {
            args.set(
                "category",
                FluentValue::from(category.with_article_in(lang)),
            );
            if let Some(item) = self.inputs.get("item") {
                let id = format!("checklist-{category}-{}", item.replace('_', "-"));
                if lang.catalogue().has(&id) {
                    args.set("item", FluentValue::from(lang.catalogue().word(&id)));
                }
            }
        }
        args.set(
            "amount",
            FluentValue::from(money(lang, self.amount_cents, currency)),
        );
        if let Some(basis) = self.basis {
            args.set("basis", FluentValue::from(basis.tell(lang, currency)));
        }
        let sentence = lang.catalogue().tell_args(&self.message_id, &args);
        if self.asked_cents > self.amount_cents {
            lang.catalogue().tell(
                "revision-floor-reached",
                &[
                    ("sentence", sentence.as_str()),
                    ("asked", &money(lang, self.asked_cents, currency)),
                ],
            )
        } else {
            sentence
        }
    }
}

/// A device's quote revised under a policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Revision {
    pub policy: PolicyId,
    pub currency: String,
    pub quoted_cents: u64,
    /// The quote less every adjustment; never below the policy's floor unless locked, never
    /// negative, never above the quote.
    pub revised_cents: u64,
    /// In the order the rules apply; their amounts add up to `quoted_cents - revised_cents`.
    pub adjustments: Vec<Adjustment>,
    pub disposition: Disposition,
    /// The quote must be made again (another model, or less storage, under a policy that
    /// says `requote`): the revised price only prices the other differences.
    pub requote: bool,
}

impl Revision {
    /// Every adjustment as a sentence in `lang`.
    pub fn tell(&self, lang: Lang) -> Vec<String> {
        self.adjustments
            .iter()
            .map(|adjustment| adjustment.tell(lang, &self.currency))
            .collect()
    }
}

/// A model as compared: letters and digits only, lowercase ("iPhone 12" = "IPHONE-12").
fn normalised(text: &str) -> String {
    text.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether the found device is the declared model: same category, same make when both
/// are known, and the declared model is the found model (or its make and model together),
/// ignoring case, spaces and punctuation.
fn same_model(declared: &Declared, found: &Found) -> bool {
    let model = normalised(&declared.model);
    let make_matches = declared
        .make
        .as_deref()
        .is_none_or(|make| normalised(make) == normalised(&found.make));
    declared.category == found.category
        && make_matches
        && (model == normalised(&found.model)
            || model == normalised(&format!("{}{}", found.make, found.model)))
}

/// Revises `quoted_cents` for a device declared as `declared` and found as `found`, under
/// `policy`.
///
/// The rules apply in this order, each adjustment naming its rule: model, storage, grade
/// steps, each missing mandatory accessory, each missing declared optional accessory,
/// battery, each failed function, and last the lock. Percentages are of the quote. The
/// running price stops at the policy's floor (a rule that would go below it takes only
/// what is left, and says so); a locked device that is returned or held is priced 0,
/// floor or not.
///
/// ```
/// use refurbdesk_domain::*;
/// use refurbdesk_revision::*;
///
/// let declared = Declared {
///     category: DeviceCategory::Laptop,
///     make: Some("Dell".into()),
///     model: "Latitude 7490".into(),
///     storage_gb: Some(256),
///     grade: Some(BuybackGrade::FunctionalGood),
///     accessories: vec![Accessory::Charger],
/// };
/// let mut found = Found::from_identity(&DeviceIdentity::new(DeviceCategory::Laptop, "Dell", "Latitude 7490"));
/// found.lock = LockVerdictKind::Clear;
/// found.grade = Some(BuybackGrade::FunctionalUsed); // one step below the declaration
///
/// let policy = TradeinPolicy::embedded_default();
/// let revision = revise(&declared, &found, 20_000, policy);
/// // 15 % for the grade step, 25.00 for the missing charger.
/// assert_eq!(revision.revised_cents, 20_000 - 3_000 - 2_500);
/// assert_eq!(revision.disposition, Disposition::Readjusted);
/// let rules: Vec<&str> = revision.adjustments.iter().map(|a| a.rule.as_str()).collect();
/// assert_eq!(rules, ["grade.step", "accessory.mandatory"]);
/// assert_eq!(
///     revision.tell(Lang::En)[1],
///     "Missing the charger, which a laptop must come with: −25.00 EUR"
/// );
/// ```
pub fn revise(
    declared: &Declared,
    found: &Found,
    quoted_cents: u64,
    policy: &TradeinPolicy,
) -> Revision {
    let mut asked: Vec<Adjustment> = Vec::new();
    let mut add = |rule: RevisionRule,
                   basis: Option<Amount>,
                   cents: u64,
                   message_id: &str,
                   inputs: &[(&str, String)],
                   requote: bool| {
        asked.push(Adjustment {
            rule,
            amount_cents: cents,
            asked_cents: cents,
            basis,
            message_id: message_id.to_owned(),
            inputs: inputs
                .iter()
                .map(|(name, value)| ((*name).to_owned(), value.clone()))
                .collect(),
            requote,
        })
    };
    let mismatch = |mismatch: Mismatch| match mismatch {
        Mismatch::Requote => (None, 0, true),
        Mismatch::Deduct(amount) => (Some(amount), amount.of(quoted_cents), false),
    };

    if !same_model(declared, found) {
        let (basis, cents, requote) = mismatch(policy.model_mismatch);
        let describe = |make: Option<&str>, model: &str| match make {
            Some(make) if !normalised(model).starts_with(&normalised(make)) => {
                format!("{make} {model}")
            }
            _ => model.to_owned(),
        };
        add(
            RevisionRule::MismatchModel,
            basis,
            cents,
            if requote {
                "revision-model-requote"
            } else {
                "revision-model"
            },
            &[
                (
                    "declared",
                    describe(declared.make.as_deref(), &declared.model),
                ),
                ("found", describe(Some(&found.make), &found.model)),
            ],
            requote,
        );
    }

    if let (Some(declared_gb), Some(found_gb)) = (declared.storage_gb, found.storage_gb) {
        if found_gb < declared_gb {
            let (basis, cents, requote) = mismatch(policy.storage_mismatch);
            add(
                RevisionRule::MismatchStorage,
                basis,
                cents,
                if requote {
                    "revision-storage-requote"
                } else {
                    "revision-storage"
                },
                &[
                    ("declared", declared_gb.to_string()),
                    ("found", found_gb.to_string()),
                ],
                requote,
            );
        }
    }

    if let (Some(declared_grade), Some(found_grade)) = (declared.grade, found.grade) {
        let position = |grade: BuybackGrade| {
            BuybackGrade::ALL
                .iter()
                .position(|known| *known == grade)
                .unwrap_or_default() as u64
        };
        let steps = position(found_grade).saturating_sub(position(declared_grade));
        if steps > 0 {
            add(
                RevisionRule::GradeStep,
                Some(policy.grade_step),
                policy.grade_step.of(quoted_cents).saturating_mul(steps),
                "revision-grade-step",
                &[
                    ("declared", declared_grade.to_string()),
                    ("found", found_grade.to_string()),
                    ("steps", steps.to_string()),
                ],
                false,
            );
        }
    }

    let mandatory = Accessory::mandatory_for(found.category);
    for accessory in Accessory::ALL {
        if found.accessories.contains(accessory) {
            continue;
        }
        if mandatory.contains(accessory) {
            add(
                RevisionRule::AccessoryMandatory,
                Some(policy.mandatory_missing),
                policy.mandatory_missing.of(quoted_cents),
                "revision-accessory-mandatory",
                &[
                    ("accessory", accessory.to_string()),
                    ("category", found.category.to_string()),
                ],
                false,
            );
        } else if declared.accessories.contains(accessory) {
            let amount = policy.optional_amount(*accessory);
            add(
                RevisionRule::AccessoryOptional,
                Some(amount),
                amount.of(quoted_cents),
                "revision-accessory-optional",
                &[("accessory", accessory.to_string())],
                false,
            );
        }
    }

    match found.battery {
        Some(BatteryVerdictKind::Replace) => add(
            RevisionRule::BatteryReplace,
            Some(policy.battery_replace),
            policy.battery_replace.of(quoted_cents),
            "revision-battery-replace",
            &[],
            false,
        ),
        Some(BatteryVerdictKind::Consumed) => add(
            RevisionRule::BatteryConsumed,
            Some(policy.battery_consumed),
            policy.battery_consumed.of(quoted_cents),
            "revision-battery-consumed",
            &[],
            false,
        ),
        _ => {}
    }

    let mut failed: Vec<&String> = found.failed.iter().collect();
    failed.sort();
    failed.dedup();
    for item in failed {
        add(
            RevisionRule::FunctionFailed,
            Some(policy.per_failed_function),
            policy.per_failed_function.of(quoted_cents),
            "revision-function-failed",
            &[
                ("item", item.clone()),
                ("category", found.category.to_string()),
            ],
            false,
        );
    }

    // The floor stops the running price; a lock that returns or holds the device then takes
    // whatever is left.
    let floor = policy.floor.of(quoted_cents).min(quoted_cents);
    let mut running = quoted_cents;
    for adjustment in &mut asked {
        let amount = adjustment.asked_cents.min(running.saturating_sub(floor));
        adjustment.amount_cents = amount;
        running -= amount;
    }

    let lock = match found.lock {
        LockVerdictKind::Blocked => Some((RevisionRule::LockBlocked, policy.lock_blocked)),
        LockVerdictKind::Unknown => Some((RevisionRule::LockUnknown, policy.lock_unknown)),
        LockVerdictKind::Clear => None,
    };
    let mut disposition = None;
    if let Some((rule, action)) = lock {
        if action != LockAction::Ignore {
            let message_id = match (rule, action) {
                (RevisionRule::LockBlocked, LockAction::Return) => "revision-lock-blocked-return",
                (RevisionRule::LockBlocked, _) => "revision-lock-blocked-hold",
                (_, LockAction::Return) => "revision-lock-unknown-return",
                _ => "revision-lock-unknown-hold",
            };
            asked.push(Adjustment {
                rule,
                amount_cents: running,
                asked_cents: running,
                basis: None,
                message_id: message_id.to_owned(),
                inputs: BTreeMap::from([("lock".to_owned(), found.lock.to_string())]),
                requote: false,
            });
            running = 0;
            disposition = Some(if action == LockAction::Return {
                Disposition::Return
            } else {
                Disposition::Hold
            });
        }
    }

    let requote = asked.iter().any(|adjustment| adjustment.requote);
    let disposition = disposition.unwrap_or(if running < quoted_cents || requote {
        Disposition::Readjusted
    } else {
        Disposition::Accept
    });
    Revision {
        policy: policy.id.clone(),
        currency: policy.currency.clone(),
        quoted_cents,
        revised_cents: running,
        adjustments: asked,
        disposition,
        requote,
    }
}

impl Disposition {
    /// The disposition as a person reads it in `lang`: "Quote readjusted" / "Devis réajusté".
    pub fn tell(self, lang: Lang) -> String {
        lang.catalogue()
            .tell(&format!("revision-disposition-{}", self.as_str()), &[])
    }
}
