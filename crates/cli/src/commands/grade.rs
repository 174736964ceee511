//! `refurbdesk grade`: grade a device's latest intake with the technician's
//! checklist answers and cosmetic levels under a versioned policy, record
//! the grade, and print it with its reasons (and, with `--explain`, the
//! whole rule trace). The grading itself is `refurbdesk_app::grade`.

use std::path::PathBuf;

use clap::Args;
use refurbdesk_app::grade::{self, CarriedOver, GradeOutcome, GradeParams, ZonePhotoParam};
use refurbdesk_app::grade::{parse_checks, parse_cosmetic, Outcome, Zone};
use refurbdesk_app::DataPaths;
use refurbdesk_domain::Lang;

use super::grade_ask;
use super::lang_from_environment;
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

pub fn run(args: &GradeArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    // The command line is read before the database is touched.
    let mut params = grade_params(args)?;
    let mut ws = super::acting(paths, global)?;

    let mut told_carry_over = false;
    if args.ask {
        let open = grade::open_questions(&ws, (&params).into())?;
        if let Some(previous) = &open.carried_over {
            tell_carry_over(previous);
            told_carry_over = true;
        }
        grade_ask::ask(
            &open,
            &mut std::io::stdin().lock(),
            &mut std::io::stderr(),
            &mut params,
        )?;
    }

    let outcome = grade::record(&mut ws, params)?;
    if let Some(previous) = outcome.carried_over.as_ref().filter(|_| !told_carry_over) {
        tell_carry_over(previous);
    }
    if global.json {
        println!("{}", serde_json::to_string(&outcome.report)?);
    } else {
        // An answer over a failed bench test is said before the grade it decided.
        for over in &outcome.report.overrides {
            println!("{}", over.text);
        }
        print_grade(&outcome);
        if outcome.report.trace.is_some() {
            print_trace(&outcome);
        }
    }
    Ok(())
}

fn tell_carry_over(previous: &CarriedOver) {
    eprintln!(
        "carrying over the answers of grade {} (graded {} by {}); answers on the command line replace them",
        previous.grade_id,
        previous.graded_at.format("%Y-%m-%d %H:%M"),
        previous.operator
    );
}

/// Reads `--check`, `--cosmetic` and `--photo`; a mistake there is a usage error.
fn grade_params(args: &GradeArgs) -> Result<GradeParams, Failure> {
    let usage = |error: refurbdesk_app::grade::InputError| {
        Failure::from(refurbdesk_app::Error::from(error))
    };
    let mut params = GradeParams {
        device: args.device.clone(),
        checks: Default::default(),
        cosmetic: Default::default(),
        photos: Vec::new(),
        policy: args.policy.clone(),
        partial: args.partial,
        explain: args.explain,
        lang: args.lang.unwrap_or_else(lang_from_environment),
    };
    for text in &args.checks {
        parse_checks(text, &mut params.checks).map_err(usage)?;
    }
    for text in &args.cosmetic {
        parse_cosmetic(text, &mut params.cosmetic).map_err(usage)?;
    }
    for text in &args.photos {
        let Some((zone, path)) = text.split_once('=') else {
            return Err(Failure::new(
                Exit::Usage,
                anyhow::anyhow!(
                    "--photo {:?} is not ZONE=PATH; write e.g. --photo screen=/photos/screen.jpg",
                    refurbdesk_app::error::shorten(text)
                ),
            ));
        };
        let zone: Zone = zone.trim().parse().map_err(|error| {
            let text = refurbdesk_app::error::shorten(text);
            Failure::new(Exit::Usage, anyhow::anyhow!("--photo {text:?}: {error}"))
        })?;
        params.photos.push(ZonePhotoParam {
            zone,
            path: PathBuf::from(path.trim()),
        });
    }
    Ok(params)
}

fn print_grade(outcome: &GradeOutcome) {
    let device = &outcome.device;
    let grade = &outcome.report;
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
        device.intake_started_at.format("%Y-%m-%d %H:%M")
    );
    let once = if grade.outcome == Outcome::Repair {
        " (once repaired)"
    } else {
        ""
    };
    println!("outcome:   {}", grade.outcome);
    if grade.partial {
        // An upper bound, not a grade: nothing unchecked is asserted.
        println!("grade:     at best {}{once} (partial)", grade.grade);
    } else {
        println!("grade:     {}{once}", grade.grade);
    }
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
    // Each reason's `text` is in the language asked (--lang).
    for reason in &grade.reasons {
        println!("  - [{}] {}", reason.rule, reason.text);
    }
    println!("recorded grade {}", grade.grade_id);
}

fn print_trace(outcome: &GradeOutcome) {
    let grade = &outcome.report;
    let Some(trace) = &grade.trace else {
        return;
    };
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
