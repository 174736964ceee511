//! A factory reset by hand, where no bench can erase the device: the operator goes through the
//! checklist of the device's platform (`assets/erasure/manual-reset.toml`), in English or French,
//! and every answer is recorded with its time and operator as it is given. The reset is
//! `verified` only when every required step was answered yes; a required step answered no or
//! skipped fails it, naming the step; an operator who stops part way leaves it `interrupted`.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use chrono::Utc;
use refurbdesk_domain::{DeviceCategory, DeviceIdentity};
use refurbdesk_store::{
    ErasureRecord, ErasureStatus, ManualResetResult, NewManualReset, PlannedStep, StepAnswer,
    StepConfirmation, Store, StoreError,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::{DeviceFinding, TOOL_VERSION};

/// The checklists shipped with the app.
pub const MANUAL_RESET_TOML: &str = include_str!("../../../../assets/erasure/manual-reset.toml");

/// Every step is written in each of Refurbdesk's languages.
pub use refurbdesk_domain::Lang;

/// A text in each language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    pub en: String,
    pub fr: String,
}

impl Texts {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }
}

/// One step of a checklist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetStepSpec {
    pub id: String,
    #[serde(default = "required_by_default")]
    pub required: bool,
    pub en: String,
    pub fr: String,
}

fn required_by_default() -> bool {
    true
}

impl ResetStepSpec {
    pub fn text(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Fr => &self.fr,
        }
    }
}

/// The checklist of one platform.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetPlatform {
    pub id: String,
    pub name: Texts,
    /// Makes this checklist is chosen for, compared without case; `*` for any make no other
    /// platform names.
    pub makes: Vec<String>,
    #[serde(rename = "step")]
    pub steps: Vec<ResetStepSpec>,
}

/// Every platform's checklist, from `manual-reset.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResetChecklist {
    /// Recorded with every reset; changes whenever a step does.
    pub version: String,
    #[serde(rename = "platform")]
    pub platforms: Vec<ResetPlatform>,
}

/// A checklist file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChecklistError {
    #[error("the manual reset checklist {source_name} is not valid TOML of the expected shape: {message}")]
    Parse {
        source_name: String,
        message: String,
    },
    #[error("the manual reset checklist {source_name} is not usable: {problem}")]
    Invalid {
        source_name: String,
        problem: String,
    },
}

impl ResetChecklist {
    /// The checklists built into the app.
    pub fn shipped() -> Result<&'static ResetChecklist, ChecklistError> {
        static SHIPPED: OnceLock<Result<ResetChecklist, ChecklistError>> = OnceLock::new();
        SHIPPED
            .get_or_init(|| {
                ResetChecklist::from_toml(MANUAL_RESET_TOML, "assets/erasure/manual-reset.toml")
            })
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses and checks a checklist file: unique ids, both languages for every text, at least
    /// one required step per platform, at most one platform for any make.
    pub fn from_toml(text: &str, source_name: &str) -> Result<ResetChecklist, ChecklistError> {
        let checklist: ResetChecklist =
            toml::from_str(text).map_err(|error| ChecklistError::Parse {
                source_name: source_name.to_owned(),
                message: error.to_string(),
            })?;
        checklist.problem().map_or(Ok(checklist), |problem| {
            Err(ChecklistError::Invalid {
                source_name: source_name.to_owned(),
                problem,
            })
        })
    }

    fn problem(&self) -> Option<String> {
        if self.version.trim().is_empty() {
            return Some("version is empty".to_owned());
        }
        if self.platforms.is_empty() {
            return Some("it has no [[platform]]".to_owned());
        }
        let mut platform_ids = HashSet::new();
        let mut makes = HashSet::new();
        for platform in &self.platforms {
            let id = &platform.id;
            if id.trim().is_empty() || !platform_ids.insert(id.as_str()) {
                return Some(format!("platform id {id:?} is empty or used twice"));
            }
            if platform.name.en.trim().is_empty() || platform.name.fr.trim().is_empty() {
                return Some(format!("platform {id} needs a name in en and fr"));
            }
            if platform.makes.is_empty() {
                return Some(format!(
                    "platform {id} names no make (use \"*\" for any other)"
                ));
            }
            for make in &platform.makes {
                if !makes.insert(make.to_lowercase()) {
                    return Some(format!("make {make:?} belongs to two platforms"));
                }
            }
            if !platform.steps.iter().any(|step| step.required) {
                return Some(format!("platform {id} has no required step"));
            }
            let mut step_ids = HashSet::new();
            for step in &platform.steps {
                if step.id.trim().is_empty() || !step_ids.insert(step.id.as_str()) {
                    return Some(format!(
                        "platform {id}: step id {:?} is empty or used twice",
                        step.id
                    ));
                }
                if step.en.trim().is_empty() || step.fr.trim().is_empty() {
                    return Some(format!(
                        "platform {id}: step {} needs its text in en and fr",
                        step.id
                    ));
                }
            }
        }
        None
    }

    pub fn platform(&self, id: &str) -> Option<&ResetPlatform> {
        self.platforms.iter().find(|platform| platform.id == id)
    }

    /// The checklist for a make: the platform that names it, else the one for any make.
    pub fn platform_for(&self, make: &str) -> Option<&ResetPlatform> {
        let named = self.platforms.iter().find(|platform| {
            platform
                .makes
                .iter()
                .any(|candidate| candidate.eq_ignore_ascii_case(make.trim()))
        });
        named.or_else(|| {
            self.platforms
                .iter()
                .find(|platform| platform.makes.iter().any(|candidate| candidate == "*"))
        })
    }

    pub fn platform_ids(&self) -> Vec<&str> {
        self.platforms
            .iter()
            .map(|platform| platform.id.as_str())
            .collect()
    }
}

/// A manual reset ready to be guided: the device, the checklist and its steps in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ManualResetPlan {
    pub device_id: Uuid,
    pub identity: DeviceIdentity,
    pub checklist_version: String,
    pub platform: String,
    pub platform_name: String,
    pub lang: Lang,
    pub steps: Vec<PlannedStep>,
}

/// Why a manual reset did not start, or could not be recorded.
#[derive(Debug, thiserror::Error)]
pub enum ManualResetError {
    #[error("device {device_id} has no intake; record one first, so the reset names the device it erased")]
    NoIntake { device_id: Uuid },
    #[error(
        "the {device} is {category}: a factory reset is for phones and tablets; erase a \
         computer's drive instead"
    )]
    NotAPhone {
        device: String,
        category: &'static str,
    },
    #[error(
        "there is no manual reset checklist for platform {platform:?}; the platforms are {known}"
    )]
    UnknownPlatform { platform: String, known: String },
    #[error("there is no manual reset checklist for {make} devices; name its platform ({known})")]
    NoPlatform { make: String, known: String },
    #[error(transparent)]
    Checklist(#[from] ChecklistError),
    #[error(
        "the answers do not answer {}: every step of the {platform} checklist needs yes, no or \
         skipped; nothing was recorded",
        .missing.join(", ")
    )]
    Incomplete {
        platform: String,
        missing: Vec<String>,
    },
    #[error(
        "the answers name {} which the {platform} checklist does not have (its steps are {known}); \
         nothing was recorded",
        .unknown.join(", ")
    )]
    UnknownSteps {
        platform: String,
        unknown: Vec<String>,
        known: String,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Finds the device's checklist and writes its steps in `lang`. Nothing is recorded.
pub fn plan_manual_reset(
    store: &Store,
    device_id: Uuid,
    platform: Option<&str>,
    lang: Lang,
) -> Result<ManualResetPlan, ManualResetError> {
    let checklist = ResetChecklist::shipped()?;
    let intake = store
        .latest_intake(device_id)?
        .ok_or(ManualResetError::NoIntake { device_id })?;
    let identity = intake.identity;
    if !matches!(
        identity.category,
        DeviceCategory::Phone | DeviceCategory::Tablet
    ) {
        return Err(ManualResetError::NotAPhone {
            device: format!("{} {}", identity.make, identity.model),
            category: identity.category.with_article(),
        });
    }
    let known = || checklist.platform_ids().join(", ");
    let chosen = match platform {
        Some(id) => checklist
            .platform(id)
            .ok_or_else(|| ManualResetError::UnknownPlatform {
                platform: id.to_owned(),
                known: known(),
            })?,
        None => {
            checklist
                .platform_for(&identity.make)
                .ok_or_else(|| ManualResetError::NoPlatform {
                    make: identity.make.clone(),
                    known: known(),
                })?
        }
    };
    Ok(ManualResetPlan {
        device_id,
        identity,
        checklist_version: checklist.version.clone(),
        platform: chosen.id.clone(),
        platform_name: chosen.name.get(lang).to_owned(),
        lang,
        steps: chosen
            .steps
            .iter()
            .map(|step| PlannedStep {
                id: step.id.clone(),
                text: step.text(lang).to_owned(),
                required: step.required,
            })
            .collect(),
    })
}

/// One step as the operator is asked it.
#[derive(Debug, Clone, Copy)]
pub struct StepPrompt<'a> {
    /// From 1.
    pub number: usize,
    pub count: usize,
    pub step: &'a PlannedStep,
}

/// Where the answers come from.
pub enum Answers<'a> {
    /// Asked one at a time, as each step is reached (a terminal). `None` means the operator
    /// stopped (Ctrl-C, end of input): the reset is then interrupted.
    Interactive(&'a mut dyn FnMut(&StepPrompt<'_>) -> Option<StepAnswer>),
    /// Given in advance, by step id (an answers file). Every step must be answered.
    Given(&'a BTreeMap<String, StepAnswer>),
}

/// How a manual reset ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "end", rename_all = "snake_case")]
pub enum ManualResetEnd {
    /// Every required step answered yes.
    Verified,
    /// This required step was answered no or skipped.
    Failed { step: String, answer: StepAnswer },
    /// The operator stopped before this step.
    Interrupted { step: String },
}

/// A finished manual reset and its record.
#[derive(Debug, Clone)]
pub struct ManualResetOutcome {
    pub end: ManualResetEnd,
    /// Why it proves nothing (also the record's note); `None` when verified.
    pub finding: Option<DeviceFinding>,
    pub record: ErasureRecord,
}

/// Guides the reset of `plan` and records it: the record is written `running` with every step,
/// then each answer as it is given (time and operator), then the outcome. Answers given in
/// advance are checked for completeness before anything is written.
pub fn run_manual_reset(
    store: &mut Store,
    plan: &ManualResetPlan,
    answers: Answers<'_>,
    operator: &str,
) -> Result<ManualResetOutcome, ManualResetError> {
    let answered_by = match &answers {
        Answers::Interactive(_) => "interactive",
        Answers::Given(given) => {
            check_given(plan, given)?;
            "answers_file"
        }
    };
    let id = store.start_manual_reset(&NewManualReset {
        device_id: plan.device_id,
        identity: plan.identity.clone(),
        checklist_version: plan.checklist_version.clone(),
        platform: plan.platform.clone(),
        lang: plan.lang.as_str().to_owned(),
        answered_by: answered_by.to_owned(),
        steps: plan.steps.clone(),
        tool_version: TOOL_VERSION.to_owned(),
        operator: operator.to_owned(),
        started_at: Utc::now(),
    })?;
    let mut answers = answers;
    let count = plan.steps.len();
    for (index, step) in plan.steps.iter().enumerate() {
        let answer = match &mut answers {
            Answers::Interactive(ask) => ask(&StepPrompt {
                number: index + 1,
                count,
                step,
            }),
            Answers::Given(given) => given.get(&step.id).copied(),
        };
        let Some(answer) = answer else {
            let finding = DeviceFinding::ManualStopped {
                number: index + 1,
                count,
                step: step.id.clone(),
            };
            return finish(
                store,
                id,
                ErasureStatus::Interrupted,
                finding,
                operator,
                ManualResetEnd::Interrupted {
                    step: step.id.clone(),
                },
            );
        };
        store.confirm_reset_step(
            id,
            &StepConfirmation {
                step: step.id.clone(),
                answer,
                answered_at: Utc::now(),
                operator: operator.to_owned(),
            },
        )?;
        if step.required && answer != StepAnswer::Yes {
            let finding = DeviceFinding::ManualStepFailed {
                number: index + 1,
                count,
                step: step.id.clone(),
                answer,
                text: step.text.clone(),
            };
            return finish(
                store,
                id,
                ErasureStatus::Failed,
                finding,
                operator,
                ManualResetEnd::Failed {
                    step: step.id.clone(),
                    answer,
                },
            );
        }
    }
    let record = store.finish_manual_reset(
        id,
        &ManualResetResult {
            status: ErasureStatus::Verified,
            note: None,
            finished_at: Utc::now(),
        },
        operator,
    )?;
    Ok(ManualResetOutcome {
        end: ManualResetEnd::Verified,
        finding: None,
        record,
    })
}

fn finish(
    store: &mut Store,
    id: Uuid,
    status: ErasureStatus,
    finding: DeviceFinding,
    operator: &str,
    end: ManualResetEnd,
) -> Result<ManualResetOutcome, ManualResetError> {
    let record = store.finish_manual_reset(
        id,
        &ManualResetResult {
            status,
            note: Some(finding.to_note()),
            finished_at: Utc::now(),
        },
        operator,
    )?;
    Ok(ManualResetOutcome {
        end,
        finding: Some(finding),
        record,
    })
}

/// Answers given in advance must answer every step of the plan, and nothing else.
fn check_given(
    plan: &ManualResetPlan,
    given: &BTreeMap<String, StepAnswer>,
) -> Result<(), ManualResetError> {
    let ids: HashSet<&str> = plan.steps.iter().map(|step| step.id.as_str()).collect();
    let unknown: Vec<String> = given
        .keys()
        .filter(|id| !ids.contains(id.as_str()))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(ManualResetError::UnknownSteps {
            platform: plan.platform.clone(),
            unknown,
            known: plan
                .steps
                .iter()
                .map(|step| step.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        });
    }
    let missing: Vec<String> = plan
        .steps
        .iter()
        .filter(|step| !given.contains_key(&step.id))
        .map(|step| step.id.clone())
        .collect();
    if !missing.is_empty() {
        return Err(ManualResetError::Incomplete {
            platform: plan.platform.clone(),
            missing,
        });
    }
    Ok(())
}

/// An answers file: `platform` (optional; must be the plan's) and `[answers]` step id → yes, no
/// or skipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswersFile {
    #[serde(default)]
    pub platform: Option<String>,
    pub answers: BTreeMap<String, StepAnswer>,
}

impl AnswersFile {
    pub fn from_toml(text: &str) -> Result<AnswersFile, String> {
        toml::from_str(text).map_err(|error| error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_checklists_load_with_both_languages_for_every_step() {
        let checklist = ResetChecklist::shipped().expect("the shipped file is valid");
        for id in ["ios", "samsung", "xiaomi", "huawei", "android"] {
            let platform = checklist
                .platform(id)
                .unwrap_or_else(|| panic!("{id} missing"));
            assert!(platform.steps.len() >= 5, "{id} has too few steps");
            for step in &platform.steps {
                assert_ne!(step.en, step.fr, "{id}.{} is not translated", step.id);
            }
        }
        // Account removal comes before the reset on every platform, or the device stays locked.
        for platform in &checklist.platforms {
            let position = |word: &str| platform.steps.iter().position(|s| s.id.contains(word));
            let reset = position("reset").or_else(|| position("erase_all"));
            let account = position("sign_out").or_else(|| position("remove_google"));
            assert!(
                account.is_some() && reset.is_some() && account < reset,
                "{}: account removal must come before the reset",
                platform.id
            );
        }
    }

    #[test]
    fn platforms_are_chosen_by_make_without_case_with_a_catch_all() {
        let checklist = ResetChecklist::shipped().expect("valid");
        let id = |make: &str| checklist.platform_for(make).map(|p| p.id.as_str());
        assert_eq!(id("Apple"), Some("ios"));
        assert_eq!(id("SAMSUNG"), Some("samsung"));
        assert_eq!(id("Redmi"), Some("xiaomi"));
        assert_eq!(id("Honor"), Some("huawei"));
        assert_eq!(id("Google"), Some("android"));
        assert_eq!(id("Fairphone"), Some("android"));
    }

    #[test]
    fn a_checklist_with_a_gap_is_refused_naming_it() {
        let base = r#"
version = "t"
[[platform]]
id = "x"
name = { en = "X", fr = "X" }
makes = ["*"]
[[platform.step]]
id = "a"
en = "Do a."
fr = "Faites a."
"#;
        assert!(ResetChecklist::from_toml(base, "t").is_ok());
        let untranslated = base.replace("fr = \"Faites a.\"", "fr = \"\"");
        let error = ResetChecklist::from_toml(&untranslated, "t").expect_err("no French");
        assert!(error.to_string().contains("en and fr"), "{error}");
        let optional = base.replace("id = \"a\"", "id = \"a\"\nrequired = false");
        let error = ResetChecklist::from_toml(&optional, "t").expect_err("nothing required");
        assert!(error.to_string().contains("no required step"), "{error}");
        let unknown = base.replace("id = \"a\"", "id = \"a\"\nlevel = 3");
        let error = ResetChecklist::from_toml(&unknown, "t").expect_err("unknown key");
        assert!(error.to_string().contains("level"), "{error}");
    }

    #[test]
    fn an_answers_file_reads_yes_no_and_skipped() {
        let file = AnswersFile::from_toml(
            "platform = \"ios\"\n[answers]\nremove_sim = \"yes\"\nunpair_watch = \"skipped\"\nerase_all = \"no\"\n",
        )
        .expect("valid");
        assert_eq!(file.platform.as_deref(), Some("ios"));
        assert_eq!(file.answers["unpair_watch"], StepAnswer::Skipped);
        assert_eq!(file.answers["erase_all"], StepAnswer::No);
        let error = AnswersFile::from_toml("[answers]\nremove_sim = \"maybe\"\n")
            .expect_err("not an answer");
        assert!(error.contains("maybe"), "{error}");
    }
}
