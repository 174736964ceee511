//! Grading a device: the questions still open for its latest intake, and grading that intake
//! under a versioned policy from the bench's results, the technician's checklist answers and the
//! cosmetic level of each zone, then recording the grade with what it was decided from.
//!
//! Both doors ask the same questions ([`open_questions`], in English or French) and grade through
//! the same [`record`]; a terminal reads the answers line by line, the window with buttons.

mod outcome;
mod questions;

use std::collections::BTreeMap;
use std::path::PathBuf;

use refurbdesk_domain::Lang;
use refurbdesk_grading::{
    AnswerSource, BenchTest, GradeError, GradeInput, Grader, Photo, TestOutcome,
};
use refurbdesk_store::{
    ChecklistAnswer, DeviceRecord, GradeRecord, IntakeRecord, NewChecklistOverride, NewGrade,
    Store, StoreError, ZonePhoto, ZoneRecord,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{tell, Error, ErrorCode, Hint, RecordKind, Result};
use crate::Workstation;

pub use outcome::{
    BenchOverride, CarriedOver, GradeOutcome, GradeReason, GradeReport, GradeTrace, GradedDevice,
    TracedCondition,
};
pub use questions::{
    answer_word, level_word, open_questions, questions, GivenAnswer, OpenQuestions,
    OpenQuestionsParams, Question, QuestionKind, QuestionWords,
};
/// The grading words a door parses and prints (answers, levels, zones, outcomes).
pub use refurbdesk_grading::{
    parse_checks, parse_cosmetic, Answer, CosmeticLevel, InputError, Outcome, Zone,
};

/// A photo of an inspected zone, by path; it is read and kept with its SHA-256.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ZonePhotoParam {
    #[ts(type = "string")]
    pub zone: Zone,
    #[ts(type = "string")]
    pub path: PathBuf,
}

/// What to grade and with which answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct GradeParams {
    /// The device: an IMEI, a serial, an intake id or a device id; its latest intake is graded.
    pub device: String,
    /// Checklist answers by item id; they replace the answers carried over.
    #[serde(default)]
    #[ts(type = "Record<string, \"pass\" | \"fail\" | \"na\">")]
    pub checks: BTreeMap<String, Answer>,
    /// The cosmetic level of each inspected zone; they replace the levels carried over.
    #[serde(default)]
    #[ts(
        type = "Record<string, \"flawless\" | \"micro\" | \"light\" | \"visible\" | \"cracked\">"
    )]
    pub cosmetic: BTreeMap<Zone, CosmeticLevel>,
    /// Photos of inspected zones.
    #[serde(default)]
    pub photos: Vec<ZonePhotoParam>,
    /// The grading policy file; the shipped backmarket-default policy when absent.
    #[serde(default)]
    #[ts(type = "string | null")]
    pub policy: Option<PathBuf>,
    /// Grade what is known even with manual items or zones unanswered, and say so.
    #[serde(default)]
    pub partial: bool,
    /// Also return the rule trace: every rule, whether it fired and on which inputs.
    #[serde(default)]
    pub explain: bool,
    /// The language of the reasons' `text`.
    #[serde(default)]
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

impl From<GradeError> for Error {
    fn from(error: GradeError) -> Self {
        grade_error(error, Lang::En)
    }
}

/// A grading engine's refusal, told in `lang`.
pub(crate) fn grade_error(error: GradeError, lang: Lang) -> Error {
    match &error {
        GradeError::Incomplete { items, zones } => {
            let mut missing = Vec::new();
            if !items.is_empty() {
                missing.push(tell(
                    lang,
                    "error-grade-items-missing",
                    &[("items", &items.join(", "))],
                ));
            }
            if !zones.is_empty() {
                let names: Vec<&str> = zones.iter().map(|zone| zone.as_str()).collect();
                missing.push(tell(
                    lang,
                    "error-grade-zones-missing",
                    &[("zones", &names.join(", "))],
                ));
            }
            Error::new(
                ErrorCode::Incomplete,
                tell(
                    lang,
                    "error-grade-incomplete",
                    &[("missing", &missing.join("; "))],
                ),
            )
            .with_hint(Hint::AnswerGrading {
                items: !items.is_empty(),
                zones: !zones.is_empty(),
            })
            .with_details(serde_json::json!({ "items": items, "zones": zones }))
        }
        GradeError::Checklist(_) | GradeError::ZoneNotOnCategory { .. } => {
            Error::from_error(ErrorCode::Usage, &error)
        }
    }
}

/// A mistake in typed answers is a usage error; the typed pieces it echoes are cut when long.
impl From<InputError> for Error {
    fn from(error: InputError) -> Self {
        use crate::error::shorten;
        let error = match error {
            InputError::NotAPair {
                piece,
                shape,
                example,
            } => InputError::NotAPair {
                piece: shorten(&piece),
                shape,
                example,
            },
            InputError::Empty {
                text,
                what,
                shape,
                example,
            } => InputError::Empty {
                text: shorten(&text),
                what,
                shape,
                example,
            },
            InputError::BadValue { piece, message } => InputError::BadValue {
                piece: shorten(&piece),
                message: shorten(&message),
            },
            other => other,
        };
        Error::from_error(ErrorCode::Usage, &error)
    }
}

/// The device a reference names.
pub(crate) fn find_device(store: &Store, reference: &str) -> Result<DeviceRecord> {
    find_device_in(store, reference, Lang::En)
}

/// The device a reference names; not finding it is told in `lang`.
pub(crate) fn find_device_in(store: &Store, reference: &str, lang: Lang) -> Result<DeviceRecord> {
    match store.find_device(reference) {
        Ok(Some(device)) => Ok(device),
        Ok(None) => Err(Error::not_found(tell(
            lang,
            "error-device-not-found",
            &[(
                "reference",
                &format!("{:?}", crate::error::shorten(reference)),
            )],
        ))
        .with_hint(Hint::ListRecords {
            what: RecordKind::Devices,
        })),
        Err(error @ StoreError::AmbiguousReference { .. }) => {
            Err(Error::from_error(ErrorCode::Usage, &error))
        }
        Err(error) => Err(error.into()),
    }
}

/// A device's latest intake, the one graded.
fn latest_intake(store: &Store, device: &DeviceRecord, lang: Lang) -> Result<IntakeRecord> {
    store.latest_intake(device.id)?.ok_or_else(|| {
        Error::not_found(tell(
            lang,
            "error-device-no-intake",
            &[
                ("device", &device.id.to_string()),
                ("model", &format!("{} {}", device.make, device.model)),
            ],
        ))
        .with_hint(Hint::IntakeAgain)
    })
}

/// The technician's input: answers, levels and photos.
#[derive(Debug, Default)]
struct Answers {
    checks: BTreeMap<String, Answer>,
    levels: BTreeMap<Zone, CosmeticLevel>,
    photos: BTreeMap<Zone, Vec<Photo>>,
}

/// The earlier grade of the same intake, whose answers are carried over.
fn previous_grade(store: &Store, intake: &IntakeRecord) -> Result<Option<GradeRecord>> {
    Ok(store
        .latest_grade(intake.device_id)?
        .filter(|grade| grade.intake_id == intake.id))
}

/// The answers, levels and photos of an earlier grade of the same intake (the store reads them
/// back typed; a row holding a word no build wrote is reported by the store as damaged).
fn carried_over(grade: &GradeRecord) -> Answers {
    let mut answers = Answers::default();
    for answer in &grade.answers {
        answers.checks.insert(answer.item.clone(), answer.answer);
    }
    for zone in &grade.zones {
        let name = zone.zone;
        answers.levels.insert(name, zone.level);
        if !zone.photos.is_empty() {
            answers.photos.insert(
                name,
                zone.photos
                    .iter()
                    .map(|photo| Photo {
                        path: photo.path.clone(),
                        sha256: photo.sha256.clone(),
                    })
                    .collect(),
            );
        }
    }
    answers
}

/// The bench's test results as the intake recorded them.
fn bench_tests(intake: &IntakeRecord) -> Result<Vec<BenchTest>> {
    intake
        .tests
        .iter()
        .map(|test| {
            let outcome: TestOutcome = test.outcome.parse().map_err(|error| {
                Error::data(format!(
                    "intake {} holds test {:?} with an unreadable outcome: {error}",
                    intake.id, test.name
                ))
                .with_hint(Hint::CheckDatabase)
            })?;
            Ok(BenchTest {
                name: test.name.clone(),
                outcome,
            })
        })
        .collect()
}

/// Grades the device's latest intake and records the grade.
///
/// Answers recorded for the same intake are carried over and `params` replaces them; the
/// photos and the policy file are read before the database is touched. The operator must be
/// allowed to grade.
pub fn record(ws: &mut Workstation, params: GradeParams) -> Result<GradeOutcome> {
    // Everything given is checked before the database is touched.
    let mut given_photos: BTreeMap<Zone, Vec<Photo>> = BTreeMap::new();
    for photo in &params.photos {
        let read = Photo::from_file(&photo.path)
            .map_err(|error| Error::from_error(ErrorCode::Data, &error))?;
        given_photos.entry(photo.zone).or_default().push(read);
    }
    let policy = crate::policy::load_or_default(params.policy.as_deref())?;

    let actor = ws.actor()?;
    let device = find_device_in(&ws.store, &params.device, params.lang)?;
    let intake = latest_intake(&ws.store, &device, params.lang)?;

    // Answers recorded for this same intake are kept; the given ones override them.
    let previous = previous_grade(&ws.store, &intake)?;
    let mut answers = match &previous {
        Some(grade) => carried_over(grade),
        None => Answers::default(),
    };
    answers.checks.extend(params.checks);
    answers.levels.extend(params.cosmetic);
    for (zone, photos) in given_photos {
        answers.photos.entry(zone).or_default().extend(photos);
    }
    if let Some(zone) = answers
        .photos
        .keys()
        .find(|zone| !answers.levels.contains_key(zone))
    {
        return Err(Error::usage(tell(
            params.lang,
            "error-grade-photo-without-level",
            &[("zone", zone.as_str())],
        ))
        .with_hint(Hint::GiveZoneLevel {
            zone: zone.to_string(),
        }));
    }

    let input = GradeInput {
        identity: intake.identity.clone(),
        battery: intake.battery.clone(),
        // An unknown lock verdict an operator confirmed since counts as confirmed.
        lock: crate::locks::effective_lock(&ws.store, &intake)?,
        tests: bench_tests(&intake)?,
        answers: answers.checks,
        cosmetic: answers.levels,
        partial: params.partial,
    };
    let grader = Grader::new(&policy);
    let told = |error| grade_error(error, params.lang);
    let (grade, trace) = if params.explain {
        let (grade, trace) = grader.explain(&input).map_err(told)?;
        (grade, Some(trace))
    } else {
        (grader.grade(&input).map_err(told)?, None)
    };

    // A technician's pass or n/a over a bench test that failed decides, and is kept beside it.
    let overrides: Vec<BenchOverride> = grade
        .checklist
        .iter()
        .filter(|item| {
            item.bench == Some(TestOutcome::Fail) && item.source == Some(AnswerSource::Technician)
        })
        .filter_map(|item| {
            let answer = *input.answers.get(&*item.id)?;
            (answer != Answer::Fail).then(|| BenchOverride::new(&item.id, answer, params.lang))
        })
        .collect();

    let new_grade = NewGrade {
        intake_id: intake.id,
        operator: actor.name.clone(),
        answers: input
            .answers
            .iter()
            .map(|(item, answer)| ChecklistAnswer {
                item: item.clone(),
                answer: *answer,
            })
            .collect(),
        zones: input
            .cosmetic
            .iter()
            .map(|(zone, level)| ZoneRecord {
                zone: *zone,
                level: *level,
                photos: answers
                    .photos
                    .get(zone)
                    .map(|photos| {
                        photos
                            .iter()
                            .map(|photo| ZonePhoto {
                                path: photo.path.clone(),
                                sha256: photo.sha256.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
            })
            .collect(),
        policy_name: grade.policy.name.clone(),
        policy_version: grade.policy.version.clone(),
        policy_sha256: grade.policy.sha256.clone(),
        outcome: grade.outcome,
        listing_grade: grade.grade,
        buyback_grade: grade.buyback_grade,
        ctia_code: grade.ctia,
        partial: grade.partial,
        // The store keeps the engine's reasons as they are.
        reasons: grade.reasons.clone(),
        inputs: serde_json::to_value(&input)?,
        overrides: overrides
            .iter()
            .map(|over| NewChecklistOverride {
                item: over.item.clone(),
                answer: over.answer,
            })
            .collect(),
    };
    // A marketplace's listing quantities follow the grade, in the grade's own transaction.
    let stock = crate::marketplace::stocking(ws, &intake.identity, grade.outcome, grade.grade)?;
    let summary = ws.store.record_grade_stocking(&new_grade, stock.as_ref())?;

    let mut report = GradeReport::new(
        summary.grade_id,
        device.id,
        intake.id,
        &grade,
        previous.as_ref().map(|grade| grade.id),
        trace.as_deref(),
        params.lang,
    );
    report.overrides = overrides;
    Ok(GradeOutcome {
        report,
        device: GradedDevice::new(&device, &intake),
        carried_over: previous.as_ref().map(CarriedOver::from),
    })
}
