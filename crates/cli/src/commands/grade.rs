//! `refurbdesk grade`: grade a device's latest intake with the technician's
//! checklist answers and cosmetic levels under a versioned policy, record
//! the grade, and print it with its reasons (and, with `--explain`, the
//! whole rule trace).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;
use refurbdesk_app::DataPaths;
use refurbdesk_domain::Lang;
use refurbdesk_grading::{
    parse_checks, parse_cosmetic, Answer, BenchTest, CosmeticLevel, Grade, GradeError, GradeInput,
    Grader, Photo, Policy, RuleTrace, TestOutcome, Zone,
};
use refurbdesk_store::{
    ChecklistAnswer, DeviceRecord, GradeRecord, IntakeRecord, NewGrade, StoreError, ZonePhoto,
    ZoneRecord,
};
use serde::Serialize;
use uuid::Uuid;

use super::grade_ask::Missing;
use super::policy::load_policy;
use super::{lang_from_environment, open_workstation, store_failure};
use crate::exit::{Exit, Failure};
use crate::GlobalArgs;

#[derive(Debug, Args)]
pub struct GradeArgs {
    /// The device: an IMEI, a serial, an intake id or a device id; its latest intake is graded
    #[arg(long, value_name = "REF")]
    device: String,
    /// Cosmetic level per zone: flawless, micro, light, visible or cracked (repeatable)
    #[arg(long, value_name = "ZONE=LEVEL,...")]
    cosmetic: Vec<String>,
    /// Checklist answers: pass, fail or na per item id (repeatable)
    #[arg(long = "check", value_name = "ITEM=ANSWER,...")]
    checks: Vec<String>,
    /// A photo of an inspected zone, kept with its SHA-256 (repeatable)
    #[arg(long = "photo", value_name = "ZONE=PATH")]
    photos: Vec<String>,
    /// The grading policy [default: the shipped backmarket-default policy]
    #[arg(long, value_name = "FILE")]
    policy: Option<PathBuf>,
    /// Grade what is known even with manual items or zones unanswered, and say so
    #[arg(long)]
    partial: bool,
    /// Also print the rule trace: every rule, whether it fired and on which inputs
    #[arg(long)]
    explain: bool,
    /// Ask on the terminal, in --lang, every checklist item and zone still unanswered
    #[arg(long, conflicts_with = "partial")]
    ask: bool,
    /// The language of the questions and printed reasons, en or fr (--json has both)
    /// [default: fr when LANG is French, else en]
    #[arg(long, value_name = "LANG")]
    lang: Option<Lang>,
}

/// What `--json` prints: the grade, where it was recorded, and what it was
/// graded from.
#[derive(Serialize)]
struct GradeReport<'a> {
    grade_id: Uuid,
    device_id: Uuid,
    intake_id: Uuid,
    #[serde(flatten)]
    grade: &'a Grade,
    /// The earlier grade of the same intake whose answers were carried over.
    carried_over_from: Option<Uuid>,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<&'a [RuleTrace]>,
}

/// The technician's input: answers, levels and photos.
#[derive(Default)]
struct Answers {
    checks: BTreeMap<String, Answer>,
    levels: BTreeMap<Zone, CosmeticLevel>,
    photos: BTreeMap<Zone, Vec<Photo>>,
}

pub fn run(args: &GradeArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    // Everything on the command line is checked before the database is touched.
    let given = given_answers(args)?;
    let policy = match &args.policy {
        Some(file) => load_policy(file)?,
        None => Policy::embedded_default().clone(),
    };

    let (mut store, actor) = open_workstation(global, paths)?;
    let device = find_device(&store, &args.device)?;
    let intake = store
        .latest_intake(device.id)
        .map_err(store_failure)?
        .ok_or_else(|| {
            Failure::new(
                Exit::NotFound,
                anyhow::anyhow!(
                    "device {} ({} {}) has no intake to grade; run `refurbdesk intake` first",
                    device.id,
                    device.make,
                    device.model
                ),
            )
        })?;

    // Answers recorded for this same intake are kept; the line overrides them.
    let previous = store
        .latest_grade(device.id)
        .map_err(store_failure)?
        .filter(|grade| grade.intake_id == intake.id);
    let mut answers = match &previous {
        Some(grade) => carried_over(grade)?,
        None => Answers::default(),
    };
    answers.checks.extend(given.checks);
    answers.levels.extend(given.levels);
    for (zone, photos) in given.photos {
        answers.photos.entry(zone).or_default().extend(photos);
    }
    if let Some(zone) = answers
        .photos
        .keys()
        .find(|zone| !answers.levels.contains_key(zone))
    {
        return Err(Failure::new(
            Exit::Usage,
            anyhow::anyhow!(
                "a photo of the {zone} zone was given, but the zone has no level; add --cosmetic {zone}=LEVEL"
            ),
        ));
    }
    if let Some(grade) = &previous {
        eprintln!(
            "carrying over the answers of grade {} (graded {} by {}); answers on the command line replace them",
            grade.id,
            grade.graded_at.format("%Y-%m-%d %H:%M"),
            grade.operator
        );
    }

    let lang = args.lang.unwrap_or_else(lang_from_environment);
    let tests = bench_tests(&intake)?;
    if args.ask {
        let missing = Missing::find(
            intake.identity.category,
            &tests,
            &answers.checks,
            &answers.levels,
            lang,
        );
        missing.ask(
            lang,
            &mut std::io::stdin().lock(),
            &mut std::io::stderr(),
            &mut answers.checks,
            &mut answers.levels,
        )?;
    }

    let input = GradeInput {
        identity: intake.identity.clone(),
        battery: intake.battery.clone(),
        lock: intake.lock.clone(),
        tests,
        answers: answers.checks.clone(),
        cosmetic: answers.levels.clone(),
        partial: args.partial,
    };
    let grader = Grader::new(&policy);
    let (grade, trace) = if args.explain {
        let (grade, trace) = grader.explain(&input).map_err(grade_failure)?;
        (grade, Some(trace))
    } else {
        (grader.grade(&input).map_err(grade_failure)?, None)
    };

    let new_grade = NewGrade {
        intake_id: intake.id,
        operator: actor.name.clone(),
        answers: answers
            .checks
            .iter()
            .map(|(item, answer)| ChecklistAnswer {
                item: item.clone(),
                answer: answer.to_string(),
            })
            .collect(),
        zones: answers
            .levels
            .iter()
            .map(|(zone, level)| ZoneRecord {
                zone: zone.to_string(),
                level: level.to_string(),
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
        outcome: grade.outcome.to_string(),
        listing_grade: grade.grade.to_string(),
        buyback_grade: grade.buyback_grade.to_string(),
        ctia_code: grade.ctia.to_string(),
        partial: grade.partial,
        reasons: serde_json::to_value(&grade.reasons)?,
        inputs: serde_json::to_value(&input)?,
    };
    let summary = store.record_grade(&new_grade).map_err(store_failure)?;

    if global.json {
        let report = GradeReport {
            grade_id: summary.grade_id,
            device_id: device.id,
            intake_id: intake.id,
            grade: &grade,
            carried_over_from: previous.as_ref().map(|grade| grade.id),
            trace: trace.as_deref(),
        };
        println!("{}", serde_json::to_string(&report)?);
    } else {
        print_grade(&device, &intake, &grade, summary.grade_id, lang);
        if let Some(trace) = &trace {
            print_trace(&grade, trace);
        }
    }
    Ok(())
}

/// Reads `--check`, `--cosmetic` and `--photo`; a mistake there is a usage error.
fn given_answers(args: &GradeArgs) -> Result<Answers, Failure> {
    let usage = |error: refurbdesk_grading::InputError| Failure::new(Exit::Usage, error);
    let mut answers = Answers::default();
    for text in &args.checks {
        parse_checks(text, &mut answers.checks).map_err(usage)?;
    }
    for text in &args.cosmetic {
        parse_cosmetic(text, &mut answers.levels).map_err(usage)?;
    }
    for text in &args.photos {
        let Some((zone, path)) = text.split_once('=') else {
            return Err(Failure::new(
                Exit::Usage,
                anyhow::anyhow!("--photo {text:?} is not ZONE=PATH; write e.g. --photo screen=/photos/screen.jpg"),
            ));
        };
        let zone: Zone = zone.trim().parse().map_err(|error| {
            Failure::new(Exit::Usage, anyhow::anyhow!("--photo {text:?}: {error}"))
        })?;
        let photo = Photo::from_file(Path::new(path.trim()))
            .map_err(|error| Failure::new(Exit::Data, error))?;
        answers.photos.entry(zone).or_default().push(photo);
    }
    Ok(answers)
}

fn find_device(store: &refurbdesk_store::Store, reference: &str) -> Result<DeviceRecord, Failure> {
    match store.find_device(reference) {
        Ok(Some(device)) => Ok(device),
        Ok(None) => Err(Failure::new(
            Exit::NotFound,
            anyhow::anyhow!(
                "no device matches {reference:?}; give an IMEI, a serial, an intake id or a device id (`refurbdesk devices` lists them)"
            ),
        )),
        Err(error @ StoreError::AmbiguousReference { .. }) => Err(Failure::new(Exit::Usage, error)),
        Err(error) => Err(store_failure(error)),
    }
}

/// The answers, levels and photos of an earlier grade of the same intake.
fn carried_over(grade: &GradeRecord) -> Result<Answers, Failure> {
    let damaged = |what: String| {
        Failure::new(
            Exit::Data,
            anyhow::anyhow!(
                "grade {} in the database holds {what}; run `refurbdesk db check`",
                grade.id
            ),
        )
    };
    let mut answers = Answers::default();
    for answer in &grade.answers {
        let parsed: Answer = answer
            .answer
            .parse()
            .map_err(|error| damaged(format!("an unreadable answer: {error}")))?;
        answers.checks.insert(answer.item.clone(), parsed);
    }
    for zone in &grade.zones {
        let name: Zone = zone
            .zone
            .parse()
            .map_err(|error| damaged(format!("an unreadable zone: {error}")))?;
        let level: CosmeticLevel = zone
            .level
            .parse()
            .map_err(|error| damaged(format!("an unreadable level: {error}")))?;
        answers.levels.insert(name, level);
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
    Ok(answers)
}

fn bench_tests(intake: &IntakeRecord) -> Result<Vec<BenchTest>, Failure> {
    intake
        .tests
        .iter()
        .map(|test| {
            let outcome: TestOutcome = test.outcome.parse().map_err(|error| {
                Failure::new(
                    Exit::Data,
                    anyhow::anyhow!(
                        "intake {} holds test {:?} with an unreadable outcome: {error}; run `refurbdesk db check`",
                        intake.id,
                        test.name
                    ),
                )
            })?;
            Ok(BenchTest {
                name: test.name.clone(),
                outcome,
            })
        })
        .collect()
}

fn grade_failure(error: GradeError) -> Failure {
    match error {
        GradeError::Incomplete { items, zones } => {
            let mut missing = Vec::new();
            if !items.is_empty() {
                missing.push(format!(
                    "checklist items not answered: {} (--check ITEM=pass|fail|na)",
                    items.join(", ")
                ));
            }
            if !zones.is_empty() {
                let zones: Vec<&str> = zones.iter().map(|zone| zone.as_str()).collect();
                missing.push(format!(
                    "zones not inspected: {} (--cosmetic ZONE=flawless|micro|light|visible|cracked)",
                    zones.join(", ")
                ));
            }
            Failure::new(
                Exit::Incomplete,
                anyhow::anyhow!(
                    "cannot grade yet: {}; answer them (--ask puts each question), or add --partial \
                     to grade what is known",
                    missing.join("; ")
                ),
            )
        }
        GradeError::Checklist(_) | GradeError::ZoneNotOnCategory { .. } => {
            Failure::new(Exit::Usage, error)
        }
    }
}

fn print_grade(
    device: &DeviceRecord,
    intake: &IntakeRecord,
    grade: &Grade,
    grade_id: Uuid,
    lang: Lang,
) {
    let id = device
        .imei
        .as_ref()
        .map(|imei| format!("IMEI {imei}"))
        .or_else(|| {
            device
                .serial
                .as_ref()
                .map(|serial| format!("serial {serial}"))
        })
        .unwrap_or_else(|| format!("device {}", device.id));
    println!(
        "{} {} {} ({id}), intake of {}",
        device.category,
        device.make,
        device.model,
        intake.started_at.format("%Y-%m-%d %H:%M")
    );
    let once = if grade.outcome == refurbdesk_grading::Outcome::Repair {
        " (once repaired)"
    } else {
        ""
    };
    println!("outcome:   {}", grade.outcome);
    println!("grade:     {}{once}", grade.grade);
    println!("trade-in:  {}", grade.buyback_grade);
    println!("CTIA:      {}", grade.ctia);
    println!("policy:    {}", grade.policy);
    if grade.partial {
        let mut missing: Vec<String> = grade.unanswered_items.clone();
        missing.extend(
            grade
                .uninspected_zones
                .iter()
                .map(|zone| format!("zone {zone}")),
        );
        println!("partial:   not yet checked: {}", missing.join(", "));
    }
    println!("reasons:");
    for reason in &grade.reasons {
        println!("  - [{}] {}", reason.rule, reason.text_in(lang));
    }
    println!("recorded grade {grade_id}");
}

fn print_trace(grade: &Grade, trace: &[RuleTrace]) {
    println!();
    println!("rule trace ({}), in policy order:", grade.policy);
    for step in trace {
        let state = if step.fired { "fired" } else { "-----" };
        let effects = step
            .effects
            .as_ref()
            .map(|effects| format!(" -> {effects}"))
            .unwrap_or_default();
        println!("  [{state}] {} (line {}){effects}", step.rule, step.line);
        if step.conditions.is_empty() {
            println!("            (no conditions: always fires)");
        }
        for condition in &step.conditions {
            let mark = if condition.held { "yes" } else { "no " };
            println!(
                "            {mark} {}   [{}]",
                condition.condition, condition.input
            );
        }
    }
}
