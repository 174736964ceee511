//! What the kernel says about a block device, read from sysfs: its kernel
//! name and partitions, who holds it, and its identity (model, serial,
//! transport, rotational, size). The sysfs root is a parameter, so the same
//! code reads the fixture trees in `fixtures/sysfs/` in tests.

use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::target::TargetKind;

/// How a drive is attached, which decides what firmware erase can reach it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Transport {
    Nvme,
    Sata,
    /// SAS or another SCSI disk not behind USB.
    Scsi,
    /// Any drive behind a USB bridge.
    Usb,
    Virtio,
    Loop,
    Mmc,
    /// A regular image file.
    Image,
    Unknown,
}

impl Transport {
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Nvme => "nvme",
            Transport::Sata => "sata",
            Transport::Scsi => "scsi",
            Transport::Usb => "usb",
            Transport::Virtio => "virtio",
            Transport::Loop => "loop",
            Transport::Mmc => "mmc",
            Transport::Image => "image",
            Transport::Unknown => "unknown",
        }
    }
}

/// Who and what the erased target is, as recorded with the erasure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DriveIdentity {
    pub kind: TargetKind,
    /// The path the operator gave.
    pub path: String,
    /// Kernel name of a block device (`sda`, `nvme0n1`, `loop3`).
    pub name: Option<String>,
    pub vendor: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    pub firmware: Option<String>,
    pub transport: Transport,
    pub rotational: Option<bool>,
    pub size_bytes: u64,
    pub logical_block_size: Option<u32>,
    /// For a loop device, the file behind it.
    pub backing_file: Option<String>,
}

impl DriveIdentity {
    /// The identity of an image file.
    pub fn image(path: &Path, size_bytes: u64) -> DriveIdentity {
        DriveIdentity {
            kind: TargetKind::Image,
            path: path.display().to_string(),
            name: None,
            vendor: None,
            model: None,
            serial: None,
            firmware: None,
            transport: Transport::Image,
            rotational: None,
            size_bytes,
            logical_block_size: None,
            backing_file: None,
        }
    }

    /// What `--yes-erase` must repeat: the serial, or for a device that has
    /// none (a loop device, some virtual disks) its kernel name.
    pub fn confirmation_token(&self) -> Option<&str> {
        self.serial.as_deref().or(self.name.as_deref())
    }

    /// "Samsung SSD 980 1TB, nvme, 1000204886016 bytes" for messages.
    pub fn summary(&self) -> String {
        let model = [self.vendor.as_deref(), self.model.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        let model = if model.is_empty() {
            self.name.clone().unwrap_or_else(|| self.path.clone())
        } else {
            model
        };
        format!(
            "{model}, {}, {} bytes",
            self.transport.as_str(),
            self.size_bytes
        )
    }
}

/// A whole disk as sysfs shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockDisk {
    pub name: String,
    /// `<sysfs>/block/<name>`.
    pub dir: PathBuf,
    pub dev: (u32, u32),
    /// Partition names with their device numbers.
    pub partitions: Vec<(String, (u32, u32))>,
}

impl BlockDisk {
    /// The disk and each partition: (name, device numbers).
    pub fn all_devices(&self) -> impl Iterator<Item = (&str, (u32, u32))> {
        std::iter::once((self.name.as_str(), self.dev)).chain(
            self.partitions
                .iter()
                .map(|(name, dev)| (name.as_str(), *dev)),
        )
    }
}

/// What a device number is: a whole disk, or a partition of one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Disk(BlockDisk),
    Partition { name: String, disk: BlockDisk },
}

/// A sysfs tree, normally `/sys`.
#[derive(Debug, Clone)]
pub struct Sysfs {
    root: PathBuf,
}

impl Sysfs {
    pub fn system() -> Sysfs {
        Sysfs::at("/sys")
    }

    pub fn at(root: impl Into<PathBuf>) -> Sysfs {
        Sysfs { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Every whole disk under `block/`.
    pub fn disks(&self) -> Vec<BlockDisk> {
        let Ok(entries) = fs::read_dir(self.root.join("block")) else {
            return Vec::new();
        };
        let mut names: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names.iter().filter_map(|name| self.disk(name)).collect()
    }

    /// The whole disk with this kernel name.
    pub fn disk(&self, name: &str) -> Option<BlockDisk> {
        let dir = self.root.join("block").join(name);
        let dev = parse_dev(&read_attr(&dir.join("dev"))?)?;
        let mut partitions = Vec::new();
        if let Ok(entries) = fs::read_dir(&dir) {
            for entry in entries.filter_map(Result::ok) {
                let path = entry.path();
                if path.join("partition").is_file() {
                    if let Some(part_dev) = read_attr(&path.join("dev")).and_then(|d| parse_dev(&d))
                    {
                        partitions
                            .push((entry.file_name().to_string_lossy().into_owned(), part_dev));
                    }
                }
            }
        }
        partitions.sort();
        Some(BlockDisk {
            name: name.to_owned(),
            dir,
            dev,
            partitions,
        })
    }

    /// The disk or partition with these device numbers.
    pub fn find_dev(&self, dev: (u32, u32)) -> Option<Found> {
        for disk in self.disks() {
            if disk.dev == dev {
                return Some(Found::Disk(disk));
            }
            if let Some((name, _)) = disk.partitions.iter().find(|(_, d)| *d == dev) {
                return Some(Found::Partition {
                    name: name.clone(),
                    disk: disk.clone(),
                });
            }
        }
        None
    }

    /// The whole disk with the kernel name `name`, or the one holding the
    /// partition of that name.
    pub fn disk_of(&self, name: &str) -> Option<BlockDisk> {
        if let Some(disk) = self.disk(name) {
            return Some(disk);
        }
        self.disks()
            .into_iter()
            .find(|disk| disk.partitions.iter().any(|(part, _)| part == name))
    }

    /// The physical disks beneath a device: itself if it is one, the disk of
    /// a partition, and for device-mapper or RAID devices the disks of each
    /// of their `slaves`, recursively.
    pub fn physical_disks(&self, name: &str) -> Vec<String> {
        let mut found = Vec::new();
        self.collect_physical(name, &mut found, 0);
        found.sort();
        found.dedup();
        found
    }

    fn collect_physical(&self, name: &str, found: &mut Vec<String>, depth: u32) {
        // Stacks are shallow; the bound only guards against a looping tree.
        if depth > 8 {
            return;
        }
        let Some(disk) = self.disk_of(name) else {
            return;
        };
        let slaves = list_dir(&disk.dir.join("slaves"));
        if slaves.is_empty() {
            found.push(disk.name);
        } else {
            for slave in slaves {
                self.collect_physical(&slave, found, depth + 1);
            }
        }
    }

    /// Devices (device-mapper, RAID) built on the disk or its partitions.
    pub fn holders(&self, disk: &BlockDisk) -> Vec<String> {
        let mut holders = list_dir(&disk.dir.join("holders"));
        for (part, _) in &disk.partitions {
            holders.extend(list_dir(&disk.dir.join(part).join("holders")));
        }
        holders
    }

    /// The loop devices whose backing file is `file` (compared canonically).
    pub fn loops_backed_by(&self, file: &Path) -> Vec<String> {
        let Ok(wanted) = file.canonicalize() else {
            return Vec::new();
        };
        self.disks()
            .into_iter()
            .filter(|disk| {
                read_attr(&disk.dir.join("loop/backing_file"))
                    .map(PathBuf::from)
                    .is_some_and(|backing| backing == wanted)
            })
            .map(|disk| disk.name)
            .collect()
    }

    /// The identity of a whole disk, from what sysfs offers.
    pub fn identity(&self, disk: &BlockDisk, path: &Path) -> DriveIdentity {
        let dir = &disk.dir;
        let device = dir.join("device");
        let attr = |relative: &str| read_attr(&dir.join(relative)).filter(|v| !v.is_empty());
        let serial = attr("device/serial")
            .or_else(|| read_vpd_serial(&device.join("vpd_pg80")))
            .or_else(|| attr("serial"));
        DriveIdentity {
            kind: TargetKind::Block,
            path: path.display().to_string(),
            name: Some(disk.name.clone()),
            vendor: attr("device/vendor"),
            model: attr("device/model"),
            serial,
            firmware: attr("device/firmware_rev").or_else(|| attr("device/rev")),
            transport: self.transport(disk),
            rotational: attr("queue/rotational").map(|v| v == "1"),
            size_bytes: attr("size")
                .and_then(|v| v.parse::<u64>().ok())
                .map_or(0, |sectors| sectors * 512),
            logical_block_size: attr("queue/logical_block_size").and_then(|v| v.parse().ok()),
            backing_file: attr("loop/backing_file"),
        }
    }

    /// How the disk is attached, from where its sysfs node lives.
    pub fn transport(&self, disk: &BlockDisk) -> Transport {
        let name = disk.name.as_str();
        let real = disk
            .dir
            .canonicalize()
            .unwrap_or_else(|_| disk.dir.clone())
            .display()
            .to_string();
        let vendor = read_attr(&disk.dir.join("device/vendor")).unwrap_or_default();
        if real.contains("/usb") {
            Transport::Usb
        } else if name.starts_with("nvme") {
            Transport::Nvme
        } else if name.starts_with("loop") {
            Transport::Loop
        } else if name.starts_with("mmcblk") {
            Transport::Mmc
        } else if name.starts_with("vd") || real.contains("/virtio") {
            Transport::Virtio
        } else if real.contains("/ata") || vendor == "ATA" {
            Transport::Sata
        } else if disk.dir.join("device").exists() {
            Transport::Scsi
        } else {
            Transport::Unknown
        }
    }

    /// The NVMe controller (`nvme0`) of a namespace (`nvme0n1`).
    pub fn nvme_controller(&self, disk: &BlockDisk) -> Option<String> {
        let device = disk.dir.join("device").canonicalize().ok()?;
        let name = device.file_name()?.to_string_lossy().into_owned();
        name.starts_with("nvme").then_some(name)
    }
}

/// A sysfs attribute's text, trimmed; `None` if missing or unreadable.
pub(crate) fn read_attr(path: &Path) -> Option<String> {
    let bytes = fs::read(path).ok()?;
    Some(String::from_utf8_lossy(&bytes).trim().to_owned())
}

/// The unit serial number VPD page (0x80): a 4-byte header, then the serial.
fn read_vpd_serial(path: &Path) -> Option<String> {
    let bytes = fs::read(path).ok()?;
    let length = usize::from(*bytes.get(3)?);
    let serial = bytes.get(4..(4 + length).min(bytes.len()))?;
    let text = String::from_utf8_lossy(serial).trim().to_owned();
    (!text.is_empty()).then_some(text)
}

fn parse_dev(text: &str) -> Option<(u32, u32)> {
    let (major, minor) = text.trim().split_once(':')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

fn list_dir(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}
