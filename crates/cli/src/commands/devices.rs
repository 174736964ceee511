//! `refurbdesk devices`: the quality manager's list of devices, each as its
//! latest intake left it, newest first.

use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;
use refurbdesk_app::devices::{self, DeviceRow, DevicesParams, ListingGrade, Outcome};
use refurbdesk_app::site::{self, SiteParams};
use refurbdesk_app::{DataPaths, Workstation};
use refurbdesk_domain::{BatteryVerdictKind, LockVerdictKind};
use unicode_width::UnicodeWidthStr;
use uuid::Uuid;

use crate::exit::Failure;
use crate::GlobalArgs;

/// Filters apply to each device's latest intake: a device that once needed a
/// battery but passed on re-test is listed under `--battery pass`.
#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// Only the device with this IMEI
    #[arg(long, value_name = "IMEI")]
    imei: Option<String>,
    /// Only devices with this serial number
    #[arg(long, value_name = "SERIAL")]
    serial: Option<String>,
    /// Battery verdict: pass, replace, consumed, unknown or absent
    #[arg(long, value_name = "VERDICT")]
    battery: Option<BatteryVerdictKind>,
    /// Lock verdict: clear, blocked or unknown
    #[arg(long, value_name = "VERDICT")]
    lock: Option<LockVerdictKind>,
    /// Latest intake started on or after this day (YYYY-MM-DD, UTC) or moment (RFC 3339)
    #[arg(long, value_name = "DATE", value_parser = parse_since)]
    since: Option<DateTime<Utc>>,
    /// Latest intake run by this operator (--operator is who runs this command)
    #[arg(long = "by", value_name = "NAME")]
    by: Option<String>,
    /// Outcome of the device's latest grade: sellable, repair, recycle, hold or blocked
    #[arg(long, value_name = "OUTCOME")]
    outcome: Option<Outcome>,
    /// Listing grade of the device's latest grade: PREMIUM, EXCELLENT, VERY_GOOD, GOOD, FAIR or STALLONE
    #[arg(long, value_name = "GRADE")]
    grade: Option<ListingGrade>,
    /// At most this many devices; 0 lists them all
    #[arg(long, value_name = "N", default_value_t = 100)]
    limit: u32,
    /// Skip this many devices first (after --after, if both are given)
    #[arg(long, value_name = "N", default_value_t = 0)]
    offset: u32,
    /// Start right after the device whose latest intake is this one: pass the
    /// last_intake_id of the last device shown to get the next page, as fast
    /// however deep the page
    #[arg(long, value_name = "INTAKE_ID")]
    after: Option<Uuid>,
}

fn parse_since(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(day.and_time(chrono::NaiveTime::MIN).and_utc());
    }
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "{text:?} is not a date; write a day as 2025-03-14 or a moment as \
                 2025-03-14T09:30:00Z"
            )
        })
}

pub fn run(args: &DevicesArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let params = DevicesParams {
        query: None,
        imei: args.imei.clone(),
        serial: args.serial.clone(),
        battery: args.battery,
        lock: args.lock,
        since: args.since,
        by: args.by.clone(),
        outcome: args.outcome,
        grade: args.grade,
        limit: args.limit,
        offset: args.offset,
        after: args.after,
    };
    // With --site, every station's devices, as the site holds them.
    if let Some(url) = &global.site {
        let page = site::devices(
            &SiteParams {
                url: Some(url.clone()),
            },
            params,
        )?;
        let rows: Vec<DeviceRow> = page.rows.iter().map(|line| line.row.clone()).collect();
        let stations: Vec<String> = page
            .rows
            .iter()
            .map(|line| line.station_id.to_string())
            .collect();
        return print(global, &page.rows, &rows, Some(&stations), page.next_after);
    }
    let ws = Workstation::open_existing(paths.clone(), global.operator.clone())?;
    let page = devices::list(&ws, params)?;
    print(global, &page.rows, &page.rows, None, page.next_after)
}

/// The list as JSON (`json`, one array) or as a table of `rows`, with the next page's `--after`
/// on stderr when the list was cut.
fn print<T: serde::Serialize>(
    global: &GlobalArgs,
    json: &[T],
    rows: &[DeviceRow],
    stations: Option<&[String]>,
    next_after: Option<Uuid>,
) -> Result<(), Failure> {
    if global.json {
        println!("{}", serde_json::to_string(json)?);
    } else if rows.is_empty() {
        println!("no devices match");
    } else {
        print_table(rows, stations);
    }
    // The list is cut at --limit: say so, and how to see the rest (stderr, so JSON stays one
    // array).
    if let Some(next) = next_after {
        eprintln!(
            "refurbdesk: showing the first {} matching devices; more match: pass --after {next} \
             for the next page, or --limit 0 for all",
            rows.len()
        );
    }
    Ok(())
}

/// `text` padded with spaces to `width` columns as a terminal shows them (a CJK character
/// takes two).
fn pad(text: &str, width: usize) -> String {
    let shown = UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(shown)))
}

/// The table; with `stations` (the site's list), the station of each latest intake last.
fn print_table(rows: &[DeviceRow], stations: Option<&[String]>) {
    let identifier = |row: &DeviceRow| -> String {
        row.imei
            .clone()
            .or_else(|| row.serial.clone())
            .unwrap_or_else(|| "-".to_owned())
    };
    let device = |row: &DeviceRow| format!("{} {}", row.make, row.model);
    let battery = |row: &DeviceRow| match row.soh_pct {
        Some(pct) => format!("{} ({:.1}%)", row.battery_verdict, pct),
        None => row.battery_verdict.to_string(),
    };
    let grade = |row: &DeviceRow| match (&row.outcome, &row.listing_grade) {
        (Some(outcome), Some(grade)) => format!("{outcome} {grade}"),
        _ => "-".to_owned(),
    };
    let width = |header: &str, cell: &dyn Fn(&DeviceRow) -> String| {
        rows.iter()
            .map(|row| UnicodeWidthStr::width(cell(row).as_str()))
            .chain([UnicodeWidthStr::width(header)])
            .max()
            .unwrap_or(0)
    };
    let widths = [
        16,
        width("IMEI/SERIAL", &identifier),
        width("DEVICE", &device),
        width("BATTERY", &battery).max(16),
        width("LOCK", &|row| row.lock_verdict.as_str().to_owned()).max(7),
        width("BY", &|row| row.last_operator.clone()),
        width("GRADE", &grade).max(20),
    ];
    let line = |cells: [String; 7], count: String, station: Option<&str>| {
        let mut text = String::new();
        for (cell, width) in cells.iter().zip(widths) {
            text.push_str(&pad(cell, width));
            text.push_str("  ");
        }
        match station {
            Some(station) => {
                text.push_str(&pad(&count, 7));
                text.push_str("  ");
                text.push_str(station);
            }
            None => text.push_str(&count),
        }
        text
    };
    println!(
        "{}",
        line(
            [
                "LAST INTAKE",
                "IMEI/SERIAL",
                "DEVICE",
                "BATTERY",
                "LOCK",
                "BY",
                "GRADE"
            ]
            .map(str::to_owned),
            "INTAKES".to_owned(),
            stations.map(|_| "STATION")
        )
    );
    for (index, row) in rows.iter().enumerate() {
        println!(
            "{}",
            line(
                [
                    row.last_intake_at.format("%Y-%m-%d %H:%M").to_string(),
                    identifier(row),
                    device(row),
                    battery(row),
                    row.lock_verdict.as_str().to_owned(),
                    row.last_operator.clone(),
                    grade(row),
                ],
                row.intake_count.to_string(),
                stations.and_then(|stations| stations.get(index).map(String::as_str))
            )
        );
    }
}
