//! A factory reset by hand: the steps of the device's checklist in a language, asked with the
//! same words at either door, and every answer recorded as it is given.

use std::collections::BTreeMap;
use std::path::PathBuf;

use refurbdesk_domain::Lang;
use refurbdesk_station::{
    plan_manual_reset, run_manual_reset, Answers, AnswersFile, ManualResetEnd, ManualResetPlan,
    StepPrompt,
};
use refurbdesk_store::{ErasureRecord, StepAnswer};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::finding::{tell_note, Finding};
use super::named_device;
use crate::error::{Error, ErrorCode};
use crate::progress::{Progress, ProgressReport};
use crate::workstation::Workstation;

/// Which device to reset, along which checklist, in which language.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ManualPlanParams {
    /// The recorded device (IMEI, serial, device or intake id).
    pub device: String,
    /// The checklist (`ios`, `samsung`, `xiaomi`, `huawei`, `android`) when the device's make
    /// does not choose the right one.
    pub platform: Option<String>,
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

/// One step as it is shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanStep {
    pub id: String,
    /// The instruction, in the plan's language.
    pub text: String,
    /// A required step must be answered yes for the reset to be verified.
    pub required: bool,
}

/// The words of the dialogue, in the plan's language: both doors ask the same questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Words {
    /// The title: "Manual factory reset".
    pub intro: String,
    /// How a required step is marked.
    pub required: String,
    /// How an optional step is marked.
    pub optional: String,
    /// The question after each step, with its answers.
    pub question: String,
    /// Said when an answer is not one.
    pub again: String,
}

/// The words of the dialogue in `lang`, from the message catalogue (`prompts.ftl`).
pub fn words(lang: Lang) -> Words {
    let word = |id: &str| lang.catalogue().word(id).to_owned();
    Words {
        intro: word("erase-manual-intro"),
        required: word("erase-manual-required"),
        optional: word("erase-manual-optional"),
        question: word("erase-manual-question"),
        again: word("erase-manual-again"),
    }
}

/// `Some(Some(answer))`, `Some(None)` to stop, `None` when the text is not an answer. Both
/// languages' words are understood whatever language the steps are shown in.
pub fn parse_answer(text: &str) -> Option<Option<StepAnswer>> {
    match text.trim().to_lowercase().as_str() {
        "y" | "yes" | "o" | "oui" => Some(Some(StepAnswer::Yes)),
        "n" | "no" | "non" => Some(Some(StepAnswer::No)),
        "s" | "skip" | "skipped" | "p" | "passer" => Some(Some(StepAnswer::Skipped)),
        "q" | "quit" | "quitter" => Some(None),
        _ => None,
    }
}

/// A manual reset ready to be guided. Nothing is recorded yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ManualPlan {
    pub device_id: Uuid,
    pub make: String,
    pub model: String,
    /// The version of the checklist file, recorded with the reset.
    pub checklist_version: String,
    /// The checklist's id (`ios`, `samsung`, ...).
    pub platform: String,
    /// Its name in the plan's language.
    pub platform_name: String,
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
    /// In the order they are asked.
    pub steps: Vec<PlanStep>,
    pub words: Words,
    /// The line that introduces the dialogue.
    pub introduction: String,
}

/// The steps of the device's factory reset in `params.lang`, with the words to ask them.
pub fn manual_plan(ws: &Workstation, params: &ManualPlanParams) -> Result<ManualPlan, Error> {
    let plan = plan_for(ws, params)?;
    let words = words(plan.lang);
    let introduction = format!(
        "{} — {} {} — {} ({} steps, checklist {})",
        words.intro,
        plan.identity.make,
        plan.identity.model,
        plan.platform_name,
        plan.steps.len(),
        plan.checklist_version
    );
    Ok(ManualPlan {
        device_id: plan.device_id,
        make: plan.identity.make,
        model: plan.identity.model,
        checklist_version: plan.checklist_version,
        platform: plan.platform,
        platform_name: plan.platform_name,
        lang: plan.lang,
        steps: plan
            .steps
            .into_iter()
            .map(|step| PlanStep {
                id: step.id,
                text: step.text,
                required: step.required,
            })
            .collect(),
        words,
        introduction,
    })
}

fn plan_for(ws: &Workstation, params: &ManualPlanParams) -> Result<ManualResetPlan, Error> {
    let device_id = named_device(&ws.store, Some(&params.device))?
        .ok_or_else(|| Error::usage("a manual reset needs the recorded device to reset"))?;
    Ok(plan_manual_reset(
        &ws.store,
        device_id,
        params.platform.as_deref(),
        params.lang,
    )?)
}

/// Where the answers come from.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(tag = "from", rename_all = "snake_case")]
#[ts(export)]
pub enum ManualAnswers {
    /// An answers file: `platform` (optional) and `[answers]` step = "yes" | "no" | "skipped".
    File {
        #[ts(type = "string")]
        path: PathBuf,
    },
    /// Every step's answer, given at once.
    Given {
        platform: Option<String>,
        #[ts(type = "Record<string, \"yes\" | \"no\" | \"skipped\">")]
        answers: BTreeMap<String, StepAnswer>,
    },
    /// Asked one step at a time, as each is reached.
    Asked,
    /// The answers given before the person stopped part way (the window's Quit): each is
    /// recorded in the checklist's order, and the reset ends `interrupted` at the first step
    /// they leave unanswered, so a reset begun and abandoned is on record as such.
    Stopped {
        platform: Option<String>,
        #[ts(type = "Record<string, \"yes\" | \"no\" | \"skipped\">")]
        answers: BTreeMap<String, StepAnswer>,
    },
}

/// The reset to guide, and its answers.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ManualAnswerParams {
    pub plan: ManualPlanParams,
    pub answers: ManualAnswers,
}

/// A manual reset as it ended, with its record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ManualReset {
    /// The record as stored (its `details` hold every step and its answer).
    #[ts(type = "unknown")]
    pub record: ErasureRecord,
    /// How it ended: `end` (verified, failed, interrupted) and the step concerned.
    #[ts(type = "unknown")]
    pub end: ManualResetEnd,
    /// The checklist's name in the plan's language.
    pub platform_name: String,
    /// Why it proves nothing, as data; `None` when verified.
    #[ts(type = "unknown")]
    pub finding: Option<Finding>,
    /// The record's note told in the plan's language.
    pub note: Option<String>,
    /// What the door reports once it has shown the record; `None` when verified.
    pub failure: Option<Error>,
}

/// Guides the reset and records it: `running` with every step, then each answer as it is given
/// (time and operator), then the outcome. Answers given at once (or in a file) must answer
/// every step of the checklist, and nothing else, before anything is recorded. Asked answers
/// come from `ask`, one step at a time; `None` (or `progress` cancelled) stops the reset, which
/// is then recorded `interrupted`.
pub fn manual_answer(
    ws: &mut Workstation,
    params: &ManualAnswerParams,
    progress: &Progress,
    ask: &mut dyn FnMut(&StepPrompt<'_>) -> Option<StepAnswer>,
) -> Result<ManualReset, Error> {
    let given = match &params.answers {
        ManualAnswers::File { path } => Some((path.display().to_string(), read_answers(path)?)),
        ManualAnswers::Given { platform, answers } => Some((
            "the answers".to_owned(),
            AnswersFile {
                platform: platform.clone(),
                answers: answers.clone(),
            },
        )),
        ManualAnswers::Asked => None,
        ManualAnswers::Stopped { platform, answers } => Some((
            "the answers".to_owned(),
            AnswersFile {
                platform: platform.clone(),
                answers: answers.clone(),
            },
        )),
    };
    let stopped = matches!(params.answers, ManualAnswers::Stopped { .. });
    let actor = ws.actor()?;
    let plan = plan_for(ws, &params.plan)?;
    if let Some((source, answers)) = &given {
        if let Some(platform) = &answers.platform {
            if *platform != plan.platform {
                return Err(Error::data(format!(
                    "{source} answers the {platform} checklist, but this device follows the {} \
                     checklist; answer that one (or name the {platform} platform if the device \
                     really is one)",
                    plan.platform
                )));
            }
        }
    }
    let mut asking = |prompt: &StepPrompt<'_>| {
        progress.report(ProgressReport {
            task: "erase".to_owned(),
            done: prompt.number as u64 - 1,
            total: Some(prompt.count as u64),
            stage: Some(prompt.step.id.clone()),
        });
        if progress.is_cancelled() {
            return None;
        }
        ask(prompt).filter(|_| !progress.is_cancelled())
    };
    if let (true, Some((source, file))) = (stopped, &given) {
        if let Some(unknown) = file
            .answers
            .keys()
            .find(|id| !plan.steps.iter().any(|step| &step.id == *id))
        {
            return Err(Error::data(format!(
                "{source} name the step {unknown:?}, which the {} checklist does not have",
                plan.platform
            )));
        }
    }
    // Stopped answers are replayed as if asked, so the engine records each one and then the stop.
    let mut replaying = |prompt: &StepPrompt<'_>| match &given {
        Some((_, file)) => file.answers.get(&prompt.step.id).copied(),
        None => None,
    };
    let answers = match &given {
        Some(_) if stopped => Answers::Interactive(&mut replaying),
        Some((_, file)) => Answers::Given(&file.answers),
        None => Answers::Interactive(&mut asking),
    };
    let outcome = run_manual_reset(&mut ws.store, &plan, answers, &actor.name)?;
    let record = outcome.record;
    let note = tell_note(record.note.as_deref(), plan.lang);
    let shown = note.as_deref().unwrap_or("see the record");
    let failure = match &outcome.end {
        ManualResetEnd::Verified => None,
        ManualResetEnd::Failed { .. } => Some(Error::new(
            ErrorCode::EraseFailed,
            format!("the manual reset failed (record {}): {shown}", record.id),
        )),
        ManualResetEnd::Interrupted { .. } => Some(Error::new(
            ErrorCode::Interrupted,
            format!(
                "the manual reset was interrupted and recorded as such (record {}): {shown}",
                record.id
            ),
        )),
    };
    Ok(ManualReset {
        end: outcome.end,
        platform_name: plan.platform_name,
        finding: outcome.finding.map(Finding::Device),
        note,
        failure,
        record,
    })
}

fn read_answers(file: &std::path::Path) -> Result<AnswersFile, Error> {
    let text = std::fs::read_to_string(file).map_err(|error| {
        let code = if error.kind() == std::io::ErrorKind::NotFound {
            ErrorCode::NotFound
        } else {
            ErrorCode::Data
        };
        Error::new(
            code,
            format!("cannot read the answers file {}: {error}", file.display()),
        )
    })?;
    AnswersFile::from_toml(&text).map_err(|error| {
        Error::data(format!(
            "the answers file {} is not usable: {error}; write [answers] then one line per \
             step: step_id = \"yes\" (or \"no\", \"skipped\")",
            file.display()
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_question_keeps_its_trailing_space_in_every_language() {
        for lang in Lang::ALL {
            let words = words(lang);
            assert!(
                words.question.ends_with(": "),
                "{lang}: {:?}",
                words.question
            );
            assert!(!words.intro.is_empty() && !words.again.is_empty());
        }
        assert_eq!(words(Lang::Fr).required, "obligatoire");
    }
}
