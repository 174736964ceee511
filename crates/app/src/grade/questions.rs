//! The questions grading still needs answered: every required checklist item and cosmetic zone
//! that neither the bench, an earlier grade of the same intake nor the person has answered, in
//! the order a technician works (the checklist in its template's order, then the zones in
//! inspection order), worded in English or French. Nothing is recorded by asking.

use std::collections::BTreeMap;

use refurbdesk_domain::{DeviceCategory, Lang};
use refurbdesk_grading::{zones_for, Answer, BenchTest, Checklists, CosmeticLevel, Zone};
use serde::{Deserialize, Serialize};
use ts_rs::TS;
use uuid::Uuid;

use super::{
    bench_tests, carried_over, find_device_in, latest_intake, previous_grade, Answers, CarriedOver,
    GradeParams,
};
use crate::error::Result;
use crate::Workstation;

/// Which device's questions, given the answers already at hand (they are not asked).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct OpenQuestionsParams {
    /// An IMEI, a serial, an intake id or a device id; its latest intake is the one graded.
    pub device: String,
    #[serde(default)]
    #[ts(type = "Record<string, \"pass\" | \"fail\" | \"na\">")]
    pub checks: BTreeMap<String, Answer>,
    #[serde(default)]
    #[ts(
        type = "Record<string, \"flawless\" | \"micro\" | \"light\" | \"visible\" | \"cracked\">"
    )]
    pub cosmetic: BTreeMap<Zone, CosmeticLevel>,
    /// The language of the questions.
    #[serde(default)]
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

impl From<&GradeParams> for OpenQuestionsParams {
    fn from(params: &GradeParams) -> Self {
        Self {
            device: params.device.clone(),
            checks: params.checks.clone(),
            cosmetic: params.cosmetic.clone(),
            lang: params.lang,
        }
    }
}

/// What a question is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum QuestionKind {
    /// A checklist item, answered pass, fail or (where allowed) na.
    Item,
    /// A cosmetic zone, given a level.
    Zone,
}

/// One question to put to the technician.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Question {
    /// The checklist item's id, or the zone's word (`screen`).
    pub id: String,
    pub kind: QuestionKind,
    /// The question in the language asked: the item's question (its label when it has none),
    /// or the zone's title.
    pub text: String,
    /// The answers allowed, as words: `pass`, `fail`, `na`, or the cosmetic levels.
    pub answers: Vec<String>,
}

/// A question answered, ready to grade with ([`GradeParams::give`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GivenAnswer<'q> {
    Check { item: &'q str, answer: Answer },
    Cosmetic { zone: Zone, level: CosmeticLevel },
}

impl GradeParams {
    /// Adds an answer to the ones to grade with.
    pub fn give(&mut self, given: GivenAnswer<'_>) {
        match given {
            GivenAnswer::Check { item, answer } => {
                self.checks.insert(item.to_owned(), answer);
            }
            GivenAnswer::Cosmetic { zone, level } => {
                self.cosmetic.insert(zone, level);
            }
        }
    }
}

impl Question {
    /// What a typed word answers, or what to say before asking again. Both languages' words are
    /// understood whichever language asks.
    pub fn understand<'q>(
        &'q self,
        word: &str,
        words: &'q QuestionWords,
    ) -> Result<GivenAnswer<'q>, &'q str> {
        let word = word.trim().to_lowercase();
        match self.kind {
            QuestionKind::Item => match answer_word(&word) {
                Some(Answer::Na) if !self.answers.iter().any(|allowed| allowed == "na") => {
                    Err(&words.na_refused)
                }
                Some(answer) => Ok(GivenAnswer::Check {
                    item: &self.id,
                    answer,
                }),
                None => Err(&words.item_again),
            },
            QuestionKind::Zone => match (self.id.parse::<Zone>(), level_word(&word)) {
                (Ok(zone), Some(level)) => Ok(GivenAnswer::Cosmetic { zone, level }),
                _ => Err(&words.zone_again),
            },
        }
    }
}

/// The words around the questions, in the language asked: what to type, and what to say when
/// an answer is not one of the words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QuestionWords {
    pub item_prompt: String,
    pub item_again: String,
    /// Said when `na` is typed for an item that always applies.
    pub na_refused: String,
    pub zone_prompt: String,
    pub zone_again: String,
}

impl QuestionWords {
    /// The words in `lang`, from the message catalogue (`prompts.ftl`).
    pub fn of(lang: Lang) -> Self {
        let word = |id: &str| lang.catalogue().word(id).to_owned();
        Self {
            item_prompt: word("grade-ask-item-prompt"),
            item_again: word("grade-ask-item-again"),
            na_refused: word("grade-ask-na-refused"),
            zone_prompt: word("grade-ask-zone-prompt"),
            zone_again: word("grade-ask-zone-again"),
        }
    }

    /// What to type for a question of this kind.
    pub fn prompt(&self, kind: QuestionKind) -> &str {
        match kind {
            QuestionKind::Item => &self.item_prompt,
            QuestionKind::Zone => &self.zone_prompt,
        }
    }
}

/// The questions still open for a device's latest intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OpenQuestions {
    pub device_id: Uuid,
    pub intake_id: Uuid,
    /// The earlier grade of the same intake whose answers count as given.
    pub carried_over: Option<CarriedOver>,
    /// In the order to ask them.
    pub questions: Vec<Question>,
    pub words: QuestionWords,
}

/// A checklist answer as typed, in English or French (`y`, `oui`, `n`, `non`, `na`, `so` …).
pub fn answer_word(word: &str) -> Option<Answer> {
    match word {
        "pass" | "p" | "yes" | "y" | "oui" | "o" => Some(Answer::Pass),
        "fail" | "f" | "no" | "n" | "non" => Some(Answer::Fail),
        "na" | "n/a" | "so" | "sans objet" => Some(Answer::Na),
        _ => None,
    }
}

/// A cosmetic level as typed: its word, its French word, or 0 (flawless) to 4 (cracked).
pub fn level_word(word: &str) -> Option<CosmeticLevel> {
    if let Ok(level) = word.parse::<CosmeticLevel>() {
        return Some(level);
    }
    match word {
        "0" | "aucune" | "aucun" | "aucune marque" => Some(CosmeticLevel::Flawless),
        "1" | "micro-rayures" => Some(CosmeticLevel::Micro),
        "2" | "légère" | "légères" | "legere" | "légères marques" => {
            Some(CosmeticLevel::Light)
        }
        "3" | "visibles" => Some(CosmeticLevel::Visible),
        "4" | "fissuré" | "fissurée" | "fissure" | "fissure visible" => {
            Some(CosmeticLevel::Cracked)
        }
        _ => None,
    }
}

/// The required items nobody answered and the zones without a level, for a device of this
/// category with these bench results and answers, worded in `lang`.
pub fn questions(
    category: DeviceCategory,
    tests: &[BenchTest],
    answers: &BTreeMap<String, Answer>,
    levels: &BTreeMap<Zone, CosmeticLevel>,
    lang: Lang,
) -> Vec<Question> {
    let template = Checklists::embedded().for_category(category);
    // An unknown item among the answers is reported by grading itself.
    let mut questions: Vec<Question> = template
        .fill(tests, answers)
        .map(|filled| {
            filled
                .unanswered(template)
                .filter_map(|id| template.item(id))
                .map(|item| {
                    let mut allowed = vec![Answer::Pass, Answer::Fail];
                    if item.na_allowed {
                        allowed.push(Answer::Na);
                    }
                    Question {
                        id: item.id.to_string(),
                        kind: QuestionKind::Item,
                        text: item
                            .question_in(lang)
                            .unwrap_or(item.label_in(lang))
                            .to_owned(),
                        answers: allowed.iter().map(ToString::to_string).collect(),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    questions.extend(
        zones_for(category)
            .iter()
            .filter(|zone| !levels.contains_key(zone))
            .map(|zone| Question {
                id: zone.to_string(),
                kind: QuestionKind::Zone,
                text: zone.title_in(lang),
                answers: CosmeticLevel::WORDS.iter().map(|w| w.to_string()).collect(),
            }),
    );
    questions
}

/// The questions still open for the device's latest intake: after the bench's results, the
/// answers of an earlier grade of the same intake, and the answers in `params`.
pub fn open_questions(ws: &Workstation, params: OpenQuestionsParams) -> Result<OpenQuestions> {
    // Only a known, enabled operator is asked anything.
    ws.actor()?;
    let device = find_device_in(&ws.store, &params.device, params.lang)?;
    let intake = latest_intake(&ws.store, &device, params.lang)?;
    let previous = previous_grade(&ws.store, &intake)?;
    let mut answers = match &previous {
        Some(grade) => carried_over(grade),
        None => Answers::default(),
    };
    answers.checks.extend(params.checks);
    answers.levels.extend(params.cosmetic);
    let tests = bench_tests(&intake)?;
    Ok(OpenQuestions {
        device_id: device.id,
        intake_id: intake.id,
        carried_over: previous.as_ref().map(CarriedOver::from),
        questions: questions(
            intake.identity.category,
            &tests,
            &answers.checks,
            &answers.levels,
            params.lang,
        ),
        words: QuestionWords::of(params.lang),
    })
}
