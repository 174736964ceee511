//! The checks that stand between an operator's command and the overwrite:
//! a drive that is mounted, used as swap, part of LVM/RAID/encryption or
//! holding the running system is refused; a drive must be confirmed with its
//! serial and an image file with `--yes-erase-image`; and the target is
//! opened exclusively, so a second erasure of it is refused while one runs.

use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use crate::error::{EraseError, Expected};
use crate::mounts::InUse;
use crate::sysfs::{BlockDisk, DriveIdentity, Found, Sysfs};
use crate::target::{kind_of, DiskTarget, Target, TargetKind};

/// What the operator typed to confirm the erasure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmation {
    /// `--yes-erase SERIAL`: must match the drive's serial (or, for a device
    /// without one, its kernel name).
    Serial(String),
    /// `--yes-erase-image`: only for regular files.
    Image,
    None,
}

/// The parts of the running system the checks look at.
#[derive(Debug, Clone)]
pub struct System {
    pub sysfs: Sysfs,
    pub in_use: InUse,
    /// Device numbers of the file system holding `/`.
    pub root_dev: Option<(u32, u32)>,
}

impl System {
    /// The running system: `/sys`, `/proc` and the device of `/`.
    pub fn read() -> Result<System, EraseError> {
        let in_use = InUse::read(Path::new("/proc")).map_err(|source| EraseError::Io {
            action: "could not read the mount table",
            path: PathBuf::from("/proc/self/mountinfo"),
            source,
        })?;
        let root_dev = std::fs::metadata("/")
            .ok()
            .map(|meta| split_dev(meta.dev()));
        Ok(System {
            sysfs: Sysfs::system(),
            in_use,
            root_dev,
        })
    }

    /// The physical disks beneath `/`: found by the device number of `/`,
    /// or, when that is anonymous (btrfs, overlay), by the source of its mount.
    pub fn system_disks(&self) -> Vec<String> {
        let by_dev =
            self.root_dev
                .and_then(|dev| self.sysfs.find_dev(dev))
                .map(|found| match found {
                    Found::Disk(disk) => disk.name,
                    Found::Partition { name, .. } => name,
                });
        let by_source = self.in_use.root().and_then(|mount| {
            let source = Path::new(&mount.source);
            let source = source.canonicalize().unwrap_or_else(|_| source.to_owned());
            source
                .strip_prefix("/dev")
                .ok()
                .map(|name| name.display().to_string())
        });
        let mut disks: Vec<String> = by_dev
            .into_iter()
            .chain(by_source)
            .flat_map(|name| self.sysfs.physical_disks(&name))
            .collect();
        disks.sort();
        disks.dedup();
        disks
    }
}

/// Checks a whole disk against the running system and the confirmation.
pub fn check_disk(
    system: &System,
    disk: &BlockDisk,
    identity: &DriveIdentity,
    path: &Path,
    confirmation: &Confirmation,
) -> Result<(), EraseError> {
    for (name, dev) in disk.all_devices() {
        let node = format!("/dev/{name}");
        if let Some(mount) = system
            .in_use
            .mounts
            .iter()
            .find(|mount| (mount.major, mount.minor) == dev || same_path(&mount.source, &node))
        {
            return Err(EraseError::Mounted {
                path: path.to_owned(),
                device: node,
                mount_point: mount.mount_point.clone(),
            });
        }
        if system
            .in_use
            .swaps
            .iter()
            .any(|swap| same_path(swap, &node))
        {
            return Err(EraseError::Busy {
                path: path.to_owned(),
                reason: format!(
                    "is in use as swap ({node}); turn it off with swapoff {node} first"
                ),
            });
        }
    }
    if system.system_disks().contains(&disk.name) {
        return Err(EraseError::SystemDrive {
            path: path.to_owned(),
            reason: "holds / (the running system)".to_owned(),
        });
    }
    let holders = system.sysfs.holders(disk);
    if !holders.is_empty() {
        return Err(EraseError::Busy {
            path: path.to_owned(),
            reason: format!(
                "is used by {} (LVM, RAID or disk encryption); take it out of there first",
                holders.join(", ")
            ),
        });
    }
    check_serial(identity, path, confirmation)
}

/// Checks that the confirmation names this drive (its serial, or its kernel name without one).
pub fn check_serial(
    identity: &DriveIdentity,
    path: &Path,
    confirmation: &Confirmation,
) -> Result<(), EraseError> {
    let token = identity.confirmation_token().unwrap_or_default();
    let expected = if identity.serial.is_some() {
        Expected::Serial
    } else {
        Expected::KernelName {
            name: token.to_owned(),
        }
    };
    match confirmation {
        Confirmation::Serial(given) if given.trim() == token && !token.is_empty() => Ok(()),
        Confirmation::Serial(given) => Err(EraseError::SerialMismatch {
            path: path.to_owned(),
            given: given.clone(),
            actual: token.to_owned(),
            drive: identity.summary(),
            token: if identity.serial.is_some() {
                "serial"
            } else {
                "kernel name"
            },
        }),
        Confirmation::Image => Err(EraseError::NotConfirmed {
            path: path.to_owned(),
            expected,
            because: Some("it is a block device, not an image file"),
        }),
        Confirmation::None => Err(EraseError::NotConfirmed {
            path: path.to_owned(),
            expected,
            because: None,
        }),
    }
}

/// Checks an image file against the running system and the confirmation.
pub fn check_image(
    system: &System,
    path: &Path,
    confirmation: &Confirmation,
) -> Result<(), EraseError> {
    match confirmation {
        Confirmation::Image => {}
        Confirmation::Serial(_) | Confirmation::None => {
            return Err(EraseError::NotConfirmed {
                path: path.to_owned(),
                expected: Expected::Image,
                because: Some("it is an image file, not a drive"),
            })
        }
    }
    if let Some(device) = system.sysfs.loops_backed_by(path).first() {
        return Err(EraseError::Busy {
            path: path.to_owned(),
            reason: format!(
                "is attached to /dev/{device}; erase /dev/{device} instead, or detach it with \
                 losetup -d /dev/{device}"
            ),
        });
    }
    let display = path.display().to_string();
    if system
        .in_use
        .swaps
        .iter()
        .any(|swap| same_path(swap, &display))
    {
        return Err(EraseError::Busy {
            path: path.to_owned(),
            reason: format!("is in use as a swap file; turn it off with swapoff {display} first"),
        });
    }
    Ok(())
}

/// A target that passed every check, open and locked, with its identity.
#[derive(Debug)]
pub struct Prepared {
    pub target: DiskTarget,
    pub identity: DriveIdentity,
}

/// Runs every check on `path` and opens it for erasing.
pub fn prepare(
    path: &Path,
    confirmation: &Confirmation,
    system: &System,
) -> Result<Prepared, EraseError> {
    let kind = kind_of(path)?;
    let mut identity = match kind {
        TargetKind::Image => {
            check_image(system, path, confirmation)?;
            DriveIdentity::image(path, 0)
        }
        TargetKind::Block => {
            let rdev = std::fs::metadata(path)
                .map_err(|source| EraseError::Io {
                    action: "could not look at",
                    path: path.to_owned(),
                    source,
                })?
                .rdev();
            let disk = match system.sysfs.find_dev(split_dev(rdev)) {
                Some(Found::Disk(disk)) => disk,
                Some(Found::Partition { name, disk }) => {
                    return Err(EraseError::NotErasable {
                        path: path.to_owned(),
                        reason: format!(
                            "it is partition {name} of {0}; a certificate covers whole drives, so \
                             erase /dev/{0}",
                            disk.name
                        ),
                    })
                }
                None => {
                    return Err(EraseError::NotErasable {
                        path: path.to_owned(),
                        reason: format!(
                            "the kernel lists no block device {}:{} under {}/block",
                            split_dev(rdev).0,
                            split_dev(rdev).1,
                            system.sysfs.root().display()
                        ),
                    })
                }
            };
            let identity = system.sysfs.identity(&disk, path);
            check_disk(system, &disk, &identity, path, confirmation)?;
            identity
        }
    };
    let target = DiskTarget::open(path)?;
    if target.is_empty() {
        return Err(EraseError::Empty {
            path: path.to_owned(),
        });
    }
    identity.size_bytes = target.len();
    if kind == TargetKind::Image {
        if let Ok(canonical) = path.canonicalize() {
            identity.path = canonical.display().to_string();
        }
    }
    Ok(Prepared { target, identity })
}

/// Major and minor numbers of a Linux `dev_t`.
pub fn split_dev(dev: u64) -> (u32, u32) {
    let major = ((dev >> 32) & 0xffff_f000) | ((dev >> 8) & 0x0000_0fff);
    let minor = ((dev >> 12) & 0xffff_ff00) | (dev & 0x0000_00ff);
    (major as u32, minor as u32)
}

fn same_path(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (Path::new(a).canonicalize(), Path::new(b).canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_numbers_split_like_the_kernel_does() {
        assert_eq!(split_dev(0x0801), (8, 1));
        assert_eq!(split_dev(libc::makedev(259, 3)), (259, 3));
        assert_eq!(split_dev(libc::makedev(7, 300)), (7, 300));
    }
}
