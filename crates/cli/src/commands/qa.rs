//! `refurbdesk qa`: verification sampling. `draw` picks a share of verified erasures per technician
//! and week; `list` shows the queue and each technician's pass rate; `verify` records a re-check
//! by another operator (a drive or image read back in full, or a phone's manual check).

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};
use refurbdesk_app::qa::{self, QaCheck, QaDrawParams, QaResult, QaSampleView, QaVerifyParams};
use refurbdesk_app::{Cancel, DataPaths, Progress, Workstation};
use uuid::Uuid;

use super::erase::{progress_bar, show, watch_ctrl_c};
use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Subcommand)]
pub enum QaCommand {
    /// Draw the share set in qa.sample_pct (default 5 %) of the verified erasures no draw has
    /// considered yet, per technician and per week, into the verification queue
    Draw(DrawArgs),
    /// The verification queue, the checked samples and each technician's pass rate
    List,
    /// Record the re-check of a queued erasure (by an operator other than the one who erased)
    Verify(VerifyArgs),
}

#[derive(Debug, Args)]
pub struct DrawArgs {
    /// Replay a draw with the seed it printed (64 hex digits)
    #[arg(long, value_name = "HEX")]
    seed: Option<String>,
}

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The erasure's id, as `qa list` shows it
    erasure: Uuid,
    /// Read this drive or image file back in full against the recorded method
    #[arg(
        long,
        value_name = "PATH",
        conflicts_with = "result",
        required_unless_present = "result"
    )]
    target: Option<PathBuf>,
    /// The result of a manual check of a phone or tablet
    #[arg(long, value_enum, value_name = "pass|fail")]
    result: Option<ManualResult>,
    /// What the verifier wants on the record
    #[arg(long)]
    note: Option<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ManualResult {
    Pass,
    Fail,
}

pub fn run(command: &QaCommand, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    match command {
        QaCommand::Draw(args) => {
            let mut ws = super::acting(paths, global)?;
            let drawn = qa::draw(
                &mut ws,
                QaDrawParams {
                    seed: args.seed.clone(),
                },
            )?;
            if global.json {
                println!("{}", serde_json::to_string(&drawn)?);
            } else if drawn.draw_id.is_none() {
                println!("no verified erasure waits to be drawn; nothing was recorded");
            } else {
                println!(
                    "drew {} of {} verified erasures ({} % per technician and week, seed {})",
                    drawn.samples.len(),
                    drawn.considered,
                    drawn.share_pct,
                    drawn.seed
                );
                for sample in &drawn.samples {
                    println!("  {}", line(sample));
                }
            }
            Ok(())
        }
        QaCommand::List => {
            let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
            let list = qa::list(&ws)?;
            if global.json {
                println!("{}", serde_json::to_string(&list)?);
                return Ok(());
            }
            if list.queue.is_empty() {
                println!("the verification queue is empty");
            } else {
                println!("waiting ({}):", list.queue.len());
                for sample in &list.queue {
                    println!("  {}", line(sample));
                }
            }
            if !list.checked.is_empty() {
                println!("checked ({}):", list.checked.len());
                for sample in &list.checked {
                    println!("  {}", line(sample));
                }
            }
            for rate in &list.technicians {
                let shown = rate
                    .pass_rate_pct
                    .map_or("—".to_owned(), |pct| format!("{pct:.0} %"));
                println!(
                    "{}: {} passed, {} failed, {} waiting, pass rate {shown}",
                    rate.technician, rate.passed, rate.failed, rate.waiting
                );
            }
            Ok(())
        }
        QaCommand::Verify(args) => {
            let check = match (&args.target, args.result) {
                (Some(path), _) => QaCheck::Target { path: path.clone() },
                (None, Some(ManualResult::Pass)) => QaCheck::Manual {
                    result: QaResult::Pass,
                },
                (None, Some(ManualResult::Fail)) => QaCheck::Manual {
                    result: QaResult::Fail,
                },
                (None, None) => unreachable!("clap requires --target or --result"),
            };
            let cancel = Cancel::new();
            watch_ctrl_c(&cancel)?;
            let mut ws = super::acting(paths, global)?;
            let bar = progress_bar();
            let progress = {
                let bar = bar.clone();
                Progress::new(move |report| show(&bar, report), cancel)
            };
            let verified = qa::verify(
                &mut ws,
                QaVerifyParams {
                    erasure: args.erasure,
                    check,
                    note: args.note.clone(),
                },
                &progress,
            );
            bar.finish_and_clear();
            let verified = verified?;
            if global.json {
                println!("{}", serde_json::to_string(&verified)?);
            } else {
                println!("{}", line(&verified.sample));
                if !verified.flagged.is_empty() {
                    println!(
                        "{} erasures of {} since their last passed sample are back in the queue:",
                        verified.flagged.len(),
                        verified.sample.technician
                    );
                    for sample in &verified.flagged {
                        println!("  {}", line(sample));
                    }
                }
            }
            Ok(())
        }
    }
}

fn line(sample: &QaSampleView) -> String {
    let state = match (&sample.result, &sample.verified_by) {
        (Some(result), Some(by)) => format!("{result} (checked by {by})"),
        _ => format!("waiting ({})", sample.needs),
    };
    format!(
        "{} {} by {} in {} — {} [{}] — {state}",
        sample.erasure_id,
        sample.method,
        sample.technician,
        sample.week,
        sample.target,
        sample.reason
    )
}
