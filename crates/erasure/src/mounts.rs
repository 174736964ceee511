//! What the running system is using: mounts from `/proc/self/mountinfo`
//! and swap areas from `/proc/swaps`, parsed so the safety checks can refuse
//! a drive that is in use.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// One line of mountinfo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mount {
    pub major: u32,
    pub minor: u32,
    pub mount_point: String,
    pub fs_type: String,
    /// The mount source, e.g. `/dev/sda1` (btrfs and some others show an
    /// anonymous device number, so the source is checked too).
    pub source: String,
}

/// Parses mountinfo text; lines that do not parse are skipped (the kernel
/// format is stable, but a partial read must not stop the check).
pub fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines().filter_map(parse_mount_line).collect()
}

fn parse_mount_line(line: &str) -> Option<Mount> {
    // 36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
    let (left, right) = line.split_once(" - ")?;
    let fields: Vec<&str> = left.split(' ').collect();
    let (major, minor) = fields.get(2)?.split_once(':')?;
    let mount_point = unescape(fields.get(4)?);
    let mut right = right.split(' ');
    let fs_type = right.next()?.to_owned();
    let source = unescape(right.next()?);
    Some(Mount {
        major: major.parse().ok()?,
        minor: minor.parse().ok()?,
        mount_point,
        fs_type,
        source,
    })
}

/// Undoes the kernel's octal escapes (`\040` for a space, `\011`, `\012`, `\134`).
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let octal = bytes.get(index + 1..index + 4).and_then(|digits| {
            digits.iter().all(|d| (b'0'..=b'7').contains(d)).then(|| {
                digits
                    .iter()
                    .fold(0u32, |acc, d| acc * 8 + u32::from(d - b'0'))
            })
        });
        match (bytes[index], octal) {
            (b'\\', Some(value)) if value <= 0xff => {
                out.push(value as u8);
                index += 4;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The files or devices listed in `/proc/swaps`.
pub fn parse_swaps(text: &str) -> Vec<String> {
    text.lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .map(unescape)
        .collect()
}

/// The mounts and swap areas of the running system, read now.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InUse {
    pub mounts: Vec<Mount>,
    pub swaps: Vec<String>,
}

impl InUse {
    /// Reads them from a proc file system mounted at `proc_root` (`/proc`).
    pub fn read(proc_root: &Path) -> std::io::Result<InUse> {
        let mounts = parse_mountinfo(&std::fs::read_to_string(proc_root.join("self/mountinfo"))?);
        // A kernel without swap support has no /proc/swaps: then nothing swaps.
        let swaps = std::fs::read_to_string(proc_root.join("swaps"))
            .map(|text| parse_swaps(&text))
            .unwrap_or_default();
        Ok(InUse { mounts, swaps })
    }

    /// The mount point of `/`'s device, as major and minor numbers.
    pub fn root(&self) -> Option<&Mount> {
        self.mounts
            .iter()
            .rev()
            .find(|mount| mount.mount_point == "/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &str = "\
22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard
40 27 8:17 / /media/usb\\040stick rw,nosuid shared:7 master:1 - vfat /dev/sdb1 rw
41 27 0:45 / /srv rw,relatime - btrfs /dev/sdc2 rw
this line is not mountinfo
";

    #[test]
    fn mountinfo_lines_give_device_numbers_and_unescaped_paths() {
        let mounts = parse_mountinfo(MOUNTINFO);
        assert_eq!(mounts.len(), 4);
        assert_eq!((mounts[1].major, mounts[1].minor), (254, 0));
        assert_eq!(mounts[1].mount_point, "/");
        assert_eq!(mounts[2].mount_point, "/media/usb stick");
        assert_eq!(mounts[2].source, "/dev/sdb1");
        assert_eq!(mounts[2].fs_type, "vfat");
        assert_eq!(mounts[3].source, "/dev/sdc2");
        let in_use = InUse {
            mounts,
            swaps: vec![],
        };
        assert_eq!(in_use.root().map(|m| m.source.as_str()), Some("/dev/vda"));
    }

    #[test]
    fn swaps_list_their_sources() {
        let text = "Filename\tType\tSize\tUsed\tPriority\n/dev/sda2 partition 8388604 0 -2\n/swap\\040file file 1024 0 -3\n";
        assert_eq!(parse_swaps(text), vec!["/dev/sda2", "/swap file"]);
    }

    #[test]
    fn the_running_system_parses() {
        let in_use = InUse::read(Path::new("/proc")).expect("/proc is readable");
        assert!(in_use.root().is_some(), "every system has a / mount");
    }
}
