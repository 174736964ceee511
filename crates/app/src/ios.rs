//! An iPhone or iPad on a USB cable, read through libimobiledevice's tools (`ideviceinfo`,
//! `idevicediagnostics`, Debian's `libimobiledevice-utils`) and recorded as an intake like a
//! bench's. Find My cannot be read reliably over USB: the lock verdict stays `unknown` until an
//! operator confirms it (`lock confirm`).

use std::process::Command;

use chrono::Utc;
use refurbdesk_adb::ios::{parse_battery, parse_info, IosParseError};
use refurbdesk_domain::{assess_battery, assess_lock, CycleLimits, Direction, EvidenceLine, Lang};
use refurbdesk_station::{BenchIdentity, IntakeReading};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::channels::sales_channel;
use crate::error::{tell, Error, ErrorCode, Result};
use crate::intake::IntakeDone;
use crate::workstation::Workstation;

/// The serial every iOS intake records as its bench.
pub const DIRECT_IOS_BENCH: &str = "direct-ios";

/// The Debian package holding the tools.
pub const IOS_TOOLS_PACKAGE: &str = "libimobiledevice-utils";

/// Which device to read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IosIntakeParams {
    /// The device's UDID (`idevice_id -l`).
    pub udid: String,
    /// The sales channel whose battery threshold applies; the station's when `None`.
    pub channel: Option<String>,
    /// The language of the reasons and errors.
    #[ts(type = "\"en\" | \"fr\"")]
    pub lang: Lang,
}

/// Runs one tool and returns what it printed; a missing tool names the package to install.
fn tool(name: &str, args: &[&str], lang: Lang) -> Result<Vec<u8>> {
    let output = Command::new(name).args(args).output().map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            Error::new(
                ErrorCode::BenchUnreachable,
                tell(
                    lang,
                    "ios-no-tools",
                    &[("tool", name), ("package", IOS_TOOLS_PACKAGE)],
                ),
            )
        } else {
            Error::from_error(ErrorCode::BenchUnreachable, &error)
        }
    })?;
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr).trim().to_owned();
        let said = if said.is_empty() {
            String::from_utf8_lossy(&output.stdout).trim().to_owned()
        } else {
            said
        };
        return Err(Error::not_found(tell(
            lang,
            "ios-tool-failed",
            &[("tool", name), ("reason", &crate::error::shorten(&said))],
        )));
    }
    Ok(output.stdout)
}

/// Reads the device with libimobiledevice's tools and records it as the workstation's operator.
/// Blocking.
pub fn run(ws: &mut Workstation, params: IosIntakeParams) -> Result<IntakeDone> {
    let actor = ws.actor()?;
    let policy = sales_channel(&ws.store, params.channel.as_deref())?.battery;
    let reading = read(&params.udid, &policy, params.lang)?;
    crate::intake::record(ws, &reading, &actor.name, params.lang)
}

/// Reads one device through libimobiledevice's tools into an intake reading (not recorded).
pub(crate) fn read(
    udid: &str,
    policy: &refurbdesk_domain::BatteryPolicy,
    lang: Lang,
) -> Result<IntakeReading> {
    let started_at = Utc::now();
    let info_out = tool("ideviceinfo", &["-u", udid, "-x"], lang)?;
    let battery_out = tool(
        "idevicediagnostics",
        &["-u", udid, "ioregentry", "AppleSmartBattery"],
        lang,
    )?;
    intake_reading(udid, &info_out, &battery_out, started_at, policy).map_err(|error| {
        Error::data(tell(
            lang,
            "ios-unreadable",
            &[("udid", udid), ("reason", &error.to_string())],
        ))
    })
}

/// The UDIDs of the Apple devices usbmuxd sees on USB (`idevice_id -l`, one per line); `None`
/// when the tool is not installed or fails (no usbmuxd), so the caller knows it cannot tell.
pub(crate) fn list_udids() -> Option<Vec<String>> {
    let output = Command::new("idevice_id").arg("-l").output().ok()?;
    if !output.status.success() {
        return None;
    }
    Some(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|line| line.split_whitespace().next())
            .map(str::to_owned)
            .collect(),
    )
}

pub fn intake_reading(
    udid: &str,
    info_out: &[u8],
    battery_out: &[u8],
    started_at: chrono::DateTime<Utc>,
    policy: &refurbdesk_domain::BatteryPolicy,
) -> std::result::Result<IntakeReading, IosParseError> {
    let info = parse_info(info_out)?;
    let identity = info.identity()?;
    let battery = parse_battery(battery_out)?;
    let at = Utc::now();
    let mut evidence = Vec::new();
    for (command, output) in [
        (format!("ideviceinfo -u {udid} -x"), info_out),
        (
            format!("idevicediagnostics -u {udid} ioregentry AppleSmartBattery"),
            battery_out,
        ),
    ] {
        evidence.push(EvidenceLine {
            at,
            direction: Direction::Host,
            line: command,
        });
        evidence.extend(
            String::from_utf8_lossy(output)
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|line| EvidenceLine {
                    at,
                    direction: Direction::Bench,
                    line: line.to_owned(),
                }),
        );
    }
    let battery = assess_battery(
        &battery.reading(),
        &identity,
        policy,
        CycleLimits::embedded(),
    );
    let lock = assess_lock(&info.lock());
    Ok(IntakeReading {
        bench: BenchIdentity {
            serial: DIRECT_IOS_BENCH.to_owned(),
            vendor: "libimobiledevice".to_owned(),
            model: "usbmux".to_owned(),
            fw: info
                .activation_state
                .map(|s| format!("ActivationState={s}"))
                .unwrap_or_default(),
            port: format!("ios:{udid}"),
        },
        slot: 1,
        identity,
        battery,
        lock,
        tests: Vec::new(),
        evidence,
        started_at,
        finished_at: at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use refurbdesk_domain::{BatteryPolicy, BatteryVerdictKind, LockVerdictKind};

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures/ios")
                .join(name),
        )
        .expect("fixture")
    }

    fn reading(device: &str) -> IntakeReading {
        intake_reading(
            "00008030-001A2B3C4D5E802E",
            &fixture(&format!("{device}-info.plist")),
            &fixture(&format!("{device}-battery.plist")),
            Utc::now(),
            &BatteryPolicy::default(),
        )
        .expect("readable")
    }

    #[test]
    fn recorded_iphones_get_battery_verdicts_and_an_unknown_lock() {
        let older = reading("iphone11-ios15");
        // 2552 of 3110 mAh: 82 %, under the default 85 %.
        assert_eq!(older.battery.soh_pct.map(f64::floor), Some(82.0));
        assert_ne!(older.battery.verdict, BatteryVerdictKind::Pass);
        assert_eq!(older.lock.verdict, LockVerdictKind::Unknown);
        assert_eq!(older.bench.port, "ios:00008030-001A2B3C4D5E802E");
        assert_eq!(older.bench.fw, "ActivationState=Activated");
        assert!(older
            .evidence
            .iter()
            .any(|e| e.line == "<integer>2552</integer>"));
        let newer = reading("iphone15-ios17");
        // 3298 of 3349 mAh, not MaxCapacity's 100 read as mAh.
        assert_eq!(newer.battery.verdict, BatteryVerdictKind::Pass);
        assert_eq!(newer.identity.model, "iPhone15,4");
        assert_eq!(newer.lock.verdict, LockVerdictKind::Unknown);
    }
}
