//! Firmware purge (NIST SP 800-88 "Purge"): which erase a drive's own
//! firmware offers — NVMe Sanitize (block erase, crypto erase, overwrite) or
//! Format with crypto erase, ATA Security Erase (normal or enhanced) — and
//! the exact `nvme` / `hdparm` commands that run it; or why it cannot run
//! (behind a USB bridge, frozen, locked, unsupported, tool missing).
//!
//! The transport comes from sysfs, the capabilities from the drive's identify
//! data as the tools print it (`nvme id-ctrl -o json`, `hdparm -I`). Not yet
//! proven on hardware: the decisions and commands are tested against sysfs
//! trees and tool output in `fixtures/sysfs/`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::sysfs::{DriveIdentity, Transport};

/// The password set for the duration of an ATA Security Erase. The erase
/// clears it; if the erase is cut short the drive stays locked with it and
/// `hdparm --user-master u --security-disable refurbdesk /dev/sdX` unlocks it.
pub const ATA_PASSWORD: &str = "refurbdesk";

/// A firmware erase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurgeAction {
    NvmeSanitizeBlockErase,
    NvmeSanitizeCryptoErase,
    NvmeSanitizeOverwrite,
    NvmeFormatCryptoErase,
    AtaSecurityErase,
    AtaEnhancedSecurityErase,
}

/// One offered purge: the commands to run in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeCommand {
    pub action: PurgeAction,
    pub steps: Vec<Vec<String>>,
    /// What to watch for while it runs.
    pub note: String,
}

/// What purge the drive allows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeAssessment {
    pub transport: Transport,
    /// Best first.
    pub offered: Vec<PurgeCommand>,
    /// Why nothing (or nothing more) is offered.
    pub refused: Vec<String>,
}

/// NVMe controller capabilities that matter for purging.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct NvmeCaps {
    pub sanitize_crypto: bool,
    pub sanitize_block: bool,
    pub sanitize_overwrite: bool,
    pub format: bool,
    pub format_crypto: bool,
}

/// The ATA security feature set as `hdparm -I` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct AtaSecurity {
    pub supported: bool,
    pub enabled: bool,
    pub locked: bool,
    pub frozen: bool,
    pub enhanced_erase: bool,
    /// The drive's own estimate for SECURITY ERASE UNIT, in minutes.
    pub erase_minutes: Option<u32>,
    pub enhanced_erase_minutes: Option<u32>,
}

/// What the identify data said.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Probe {
    Nvme(NvmeCaps),
    Ata(AtaSecurity),
}

/// Where the purge tools are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tools {
    pub nvme: Option<PathBuf>,
    pub hdparm: Option<PathBuf>,
}

impl Tools {
    /// Looks for `nvme` and `hdparm` on `PATH`.
    pub fn find() -> Tools {
        let path = std::env::var_os("PATH").unwrap_or_default();
        let find = |name: &str| {
            std::env::split_paths(&path)
                .map(|dir| dir.join(name))
                .find(|candidate| is_executable(candidate))
        };
        Tools {
            nvme: find("nvme"),
            hdparm: find("hdparm"),
        }
    }
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

/// The command that reads the capabilities, for drives that can purge at all.
/// `controller` is the NVMe controller (`nvme0`) of an NVMe namespace.
pub fn probe_command(identity: &DriveIdentity, controller: Option<&str>) -> Option<Vec<String>> {
    let name = identity.name.as_deref()?;
    match identity.transport {
        Transport::Nvme => Some(argv(&[
            "nvme",
            "id-ctrl",
            &format!("/dev/{}", controller.unwrap_or(name)),
            "--output-format=json",
        ])),
        Transport::Sata => Some(argv(&["hdparm", "-I", &format!("/dev/{name}")])),
        _ => None,
    }
}

/// Reads `nvme id-ctrl --output-format=json`.
pub fn parse_nvme_id_ctrl(json: &str) -> Result<NvmeCaps, String> {
    let value: serde_json::Value = serde_json::from_str(json)
        .map_err(|error| format!("nvme id-ctrl output is not JSON: {error}"))?;
    let field = |name: &str| {
        value
            .get(name)
            .and_then(serde_json::Value::as_u64)
            .ok_or_else(|| format!("nvme id-ctrl output has no numeric field {name:?}"))
    };
    let sanicap = field("sanicap")?;
    let oacs = field("oacs")?;
    let fna = field("fna")?;
    Ok(NvmeCaps {
        sanitize_crypto: sanicap & 0b001 != 0,
        sanitize_block: sanicap & 0b010 != 0,
        sanitize_overwrite: sanicap & 0b100 != 0,
        // OACS bit 1: Format NVM; FNA bit 2: cryptographic erase on format.
        format: oacs & 0b10 != 0,
        format_crypto: oacs & 0b10 != 0 && fna & 0b100 != 0,
    })
}

/// Reads the "Security:" section of `hdparm -I`; `None` if it has none.
pub fn parse_hdparm_identify(text: &str) -> Option<AtaSecurity> {
    let mut lines = text
        .lines()
        .skip_while(|line| !line.starts_with("Security:"));
    lines.next()?;
    let mut security = AtaSecurity::default();
    // The section's lines are indented; the next heading is not.
    for line in lines.take_while(|line| line.starts_with(char::is_whitespace) || line.is_empty()) {
        let words: Vec<&str> = line.split_whitespace().collect();
        let negated = words.first() == Some(&"not");
        let rest = if negated { &words[1..] } else { &words[..] };
        match rest {
            ["supported"] => security.supported = !negated,
            ["enabled"] => security.enabled = !negated,
            ["locked"] => security.locked = !negated,
            ["frozen"] => security.frozen = !negated,
            ["supported:", "enhanced", "erase"] => security.enhanced_erase = !negated,
            _ if line.contains("SECURITY ERASE UNIT") => {
                for part in line.split('.') {
                    let minutes = part
                        .split_whitespace()
                        .next()
                        .and_then(|word| word.strip_suffix("min"))
                        .and_then(|n| n.trim_start_matches('>').parse().ok());
                    if part.contains("ENHANCED SECURITY ERASE UNIT") {
                        security.enhanced_erase_minutes = minutes;
                    } else if part.contains("SECURITY ERASE UNIT") {
                        security.erase_minutes = minutes;
                    }
                }
            }
            _ => {}
        }
    }
    Some(security)
}

/// Decides what purge the drive allows and builds its commands.
pub fn assess(
    identity: &DriveIdentity,
    controller: Option<&str>,
    tools: &Tools,
    probe: Option<Probe>,
) -> PurgeAssessment {
    let mut assessment = PurgeAssessment {
        transport: identity.transport,
        offered: Vec::new(),
        refused: Vec::new(),
    };
    let name = identity.name.clone().unwrap_or_default();
    match identity.transport {
        Transport::Usb => assessment.refused.push(
            "the drive is behind a USB bridge, which does not pass NVMe admin or ATA security \
             commands reliably; connect it to a SATA or NVMe port, or erase it by overwriting"
                .to_owned(),
        ),
        Transport::Nvme => {
            if tools.nvme.is_none() {
                assessment.refused.push(
                    "the nvme tool is missing; install it (apt-get install nvme-cli)".to_owned(),
                );
            }
            match probe {
                Some(Probe::Nvme(caps)) => {
                    nvme_commands(&mut assessment, &name, controller.unwrap_or(&name), caps)
                }
                _ => assessment.refused.push(
                    "the controller's capabilities are unknown; read them with nvme id-ctrl first"
                        .to_owned(),
                ),
            }
        }
        Transport::Sata => {
            if tools.hdparm.is_none() {
                assessment.refused.push(
                    "the hdparm tool is missing; install it (apt-get install hdparm)".to_owned(),
                );
            }
            match probe {
                Some(Probe::Ata(security)) => ata_commands(&mut assessment, &name, security),
                _ => assessment.refused.push(
                    "the drive's security feature set is unknown; read it with hdparm -I first"
                        .to_owned(),
                ),
            }
        }
        Transport::Scsi => assessment
            .refused
            .push("SAS/SCSI sanitize is not supported yet; erase it by overwriting".to_owned()),
        Transport::Virtio
        | Transport::Loop
        | Transport::Image
        | Transport::Mmc
        | Transport::Unknown => assessment.refused.push(format!(
            "a {} target has no firmware erase Refurbdesk can drive; erase it by overwriting",
            identity.transport.as_str()
        )),
    }
    // Offered commands are useless without the tool that runs them.
    let tool_missing = match identity.transport {
        Transport::Nvme => tools.nvme.is_none(),
        Transport::Sata => tools.hdparm.is_none(),
        _ => false,
    };
    if tool_missing {
        assessment.offered.clear();
    }
    assessment
}

fn nvme_commands(
    assessment: &mut PurgeAssessment,
    namespace: &str,
    controller: &str,
    caps: NvmeCaps,
) {
    let ctrl = format!("/dev/{controller}");
    let sanitize = |action: PurgeAction, sanact: &str| PurgeCommand {
        action,
        steps: vec![
            argv(&["nvme", "sanitize", &ctrl, &format!("--sanact={sanact}")]),
            argv(&["nvme", "sanitize-log", &ctrl, "--output-format=json"]),
        ],
        note: "sanitize covers every namespace of the controller and goes on in the background, \
               even across a reset; poll sanitize-log until its progress reaches 65535"
            .to_owned(),
    };
    if caps.sanitize_block {
        assessment
            .offered
            .push(sanitize(PurgeAction::NvmeSanitizeBlockErase, "2"));
    }
    if caps.sanitize_crypto {
        assessment
            .offered
            .push(sanitize(PurgeAction::NvmeSanitizeCryptoErase, "4"));
    }
    if caps.sanitize_overwrite {
        assessment
            .offered
            .push(sanitize(PurgeAction::NvmeSanitizeOverwrite, "3"));
    }
    if caps.format_crypto {
        assessment.offered.push(PurgeCommand {
            action: PurgeAction::NvmeFormatCryptoErase,
            steps: vec![argv(&[
                "nvme",
                "format",
                &format!("/dev/{namespace}"),
                "--ses=2",
                "--force",
            ])],
            note: "format with crypto erase replaces the namespace's key; keep the LBA format as it is"
                .to_owned(),
        });
    }
    if assessment.offered.is_empty() {
        assessment.refused.push(
            "the controller supports neither Sanitize nor Format with crypto erase".to_owned(),
        );
    }
}

fn ata_commands(assessment: &mut PurgeAssessment, name: &str, security: AtaSecurity) {
    let dev = format!("/dev/{name}");
    if !security.supported {
        assessment
            .refused
            .push("the drive does not support the ATA security feature set".to_owned());
        return;
    }
    if security.frozen {
        assessment.refused.push(
            "the drive's security is frozen (the firmware locks it at power-on); suspend and resume \
             the machine, or unplug and replug the drive's power, then check again"
                .to_owned(),
        );
        return;
    }
    if security.locked || security.enabled {
        assessment.refused.push(format!(
            "the drive already has a security password set{}; remove it first (hdparm \
             --user-master u --security-disable PASSWORD {dev})",
            if security.locked {
                " and is locked"
            } else {
                ""
            }
        ));
        return;
    }
    let erase = |action: PurgeAction, flag: &str, minutes: Option<u32>| PurgeCommand {
        action,
        steps: vec![
            argv(&[
                "hdparm",
                "--user-master",
                "u",
                "--security-set-pass",
                ATA_PASSWORD,
                &dev,
            ]),
            argv(&["hdparm", "--user-master", "u", flag, ATA_PASSWORD, &dev]),
        ],
        note: format!(
            "the drive estimates {}; do not cut its power meanwhile, or it stays locked with \
             password {ATA_PASSWORD}",
            minutes.map_or_else(|| "no duration".to_owned(), |m| format!("{m} minutes"))
        ),
    };
    if security.enhanced_erase {
        assessment.offered.push(erase(
            PurgeAction::AtaEnhancedSecurityErase,
            "--security-erase-enhanced",
            security.enhanced_erase_minutes,
        ));
    }
    assessment.offered.push(erase(
        PurgeAction::AtaSecurityErase,
        "--security-erase",
        security.erase_minutes,
    ));
}

fn argv(words: &[&str]) -> Vec<String> {
    words.iter().map(|word| (*word).to_owned()).collect()
}
