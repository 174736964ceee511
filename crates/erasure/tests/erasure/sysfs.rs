//! Identity, safety refusals and purge detection against the sysfs trees
//! and tool output in `fixtures/sysfs/` (the purge paths cannot run here).

use std::path::{Path, PathBuf};

use refurbdesk_erasure::mounts::{parse_mountinfo, parse_swaps, InUse};
use refurbdesk_erasure::purge::{
    assess, parse_hdparm_identify, parse_nvme_id_ctrl, probe_command, Probe, PurgeAction, Tools,
};
use refurbdesk_erasure::safety::{check_disk, check_serial, Confirmation, System};
use refurbdesk_erasure::{EraseError, Sysfs, Transport};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/sysfs")
        .join(name)
}

fn workstation() -> System {
    let root = fixture("workstation");
    let read = |file: &str| std::fs::read_to_string(root.join("proc").join(file)).expect("fixture");
    System {
        sysfs: Sysfs::at(&root),
        in_use: InUse {
            mounts: parse_mountinfo(&read("mountinfo")),
            swaps: parse_swaps(&read("swaps")),
        },
        root_dev: Some((253, 0)),
    }
}

fn tools() -> Tools {
    Tools {
        nvme: Some(PathBuf::from("/usr/sbin/nvme")),
        hdparm: Some(PathBuf::from("/usr/sbin/hdparm")),
    }
}

fn check(system: &System, name: &str, confirmation: Confirmation) -> Result<(), EraseError> {
    let disk = system.sysfs.disk(name).expect("fixture disk");
    let path = PathBuf::from(format!("/dev/{name}"));
    let identity = system.sysfs.identity(&disk, &path);
    check_disk(system, &disk, &identity, &path, &confirmation)
}

#[test]
fn identities_come_from_sysfs() {
    let sysfs = Sysfs::at(fixture("nvme-sanitize"));
    let disk = sysfs.disk("nvme0n1").expect("nvme disk");
    let nvme = sysfs.identity(&disk, Path::new("/dev/nvme0n1"));
    assert_eq!(nvme.serial.as_deref(), Some("S5GXNF0R123456A"));
    assert_eq!(nvme.model.as_deref(), Some("Samsung SSD 980 PRO 1TB"));
    assert_eq!(nvme.firmware.as_deref(), Some("5B2QGXA7"));
    assert_eq!(nvme.transport, Transport::Nvme);
    assert_eq!(nvme.rotational, Some(false));
    assert_eq!(nvme.size_bytes, 1_953_525_168 * 512);
    assert_eq!(disk.partitions, vec![("nvme0n1p1".to_owned(), (259, 1))]);
    assert_eq!(sysfs.nvme_controller(&disk).as_deref(), Some("nvme0"));

    let sata = Sysfs::at(fixture("sata-frozen"));
    let sda = sata.identity(&sata.disk("sda").expect("sda"), Path::new("/dev/sda"));
    assert_eq!(
        sda.serial.as_deref(),
        Some("2231E6A1B2C3"),
        "from VPD page 0x80"
    );
    assert_eq!(
        (sda.vendor.as_deref(), sda.transport),
        (Some("ATA"), Transport::Sata)
    );

    let system = workstation();
    let usb = system.sysfs.disk("sdb").expect("sdb");
    let usb = system.sysfs.identity(&usb, Path::new("/dev/sdb"));
    assert_eq!(
        usb.transport,
        Transport::Usb,
        "a SCSI disk behind a USB bridge"
    );
    assert_eq!(usb.rotational, Some(true));
    let lo = system.sysfs.identity(
        &system.sysfs.disk("loop0").expect("loop0"),
        Path::new("/dev/loop0"),
    );
    assert_eq!(
        (lo.transport, lo.serial.as_deref()),
        (Transport::Loop, None)
    );
    assert_eq!(
        lo.confirmation_token(),
        Some("loop0"),
        "no serial: the kernel name stands in"
    );
    assert_eq!(lo.backing_file.as_deref(), Some("/var/tmp/old-laptop.img"));
}

#[test]
fn the_system_drive_under_lvm_is_found_and_refused() {
    let system = workstation();
    assert_eq!(system.system_disks(), vec!["sda".to_owned()]);
    let error = check(
        &system,
        "sda",
        Confirmation::Serial("S6PNNS0T100001A".into()),
    )
    .expect_err("the system drive");
    // sda1 is mounted at /boot/efi, which is found first.
    assert!(
        matches!(error, EraseError::Mounted { ref mount_point, .. } if mount_point == "/boot/efi"),
        "{error}"
    );

    // Even with nothing of it mounted directly, the drive under / is refused.
    let mut unmounted = workstation();
    unmounted
        .in_use
        .mounts
        .retain(|mount| mount.mount_point != "/boot/efi");
    let error = check(
        &unmounted,
        "sda",
        Confirmation::Serial("S6PNNS0T100001A".into()),
    )
    .expect_err("the system drive");
    assert!(matches!(error, EraseError::SystemDrive { .. }), "{error}");
    assert!(
        error.to_string().contains("holds / (the running system)"),
        "{error}"
    );
}

#[test]
fn mounted_swap_and_stacked_drives_are_refused_with_the_reason() {
    let system = workstation();
    let mounted =
        check(&system, "sdb", Confirmation::Serial("575834314138".into())).expect_err("mounted");
    assert!(mounted.is_refusal());
    let text = mounted.to_string();
    assert!(
        text.contains("/dev/sdb1 is mounted at /media/usb stick") && text.contains("umount"),
        "{text}"
    );

    let swap = check(&system, "sdc", Confirmation::Serial("Z9A4XK7Q".into())).expect_err("swap");
    assert!(swap.to_string().contains("swapoff /dev/sdc2"), "{swap}");

    let raid = check(
        &system,
        "sdd",
        Confirmation::Serial("WD-WCC6Y1234567".into()),
    )
    .expect_err("raid member");
    assert!(raid.to_string().contains("used by md0"), "{raid}");

    check(&system, "sde", Confirmation::Serial("BTLA812345678".into()))
        .expect("a free drive, confirmed, passes");
}

#[test]
fn a_drive_must_be_confirmed_with_its_own_serial() {
    let system = workstation();
    let missing = check(&system, "sde", Confirmation::None).expect_err("unconfirmed");
    assert!(
        matches!(missing, EraseError::NotConfirmed { .. }),
        "{missing}"
    );
    assert!(
        matches!(
            &missing,
            EraseError::NotConfirmed {
                expected: refurbdesk_erasure::Expected::Serial,
                because: None,
                ..
            }
        ),
        "{missing}"
    );
    assert!(missing.to_string().contains("serial number"), "{missing}");

    let wrong = check(&system, "sde", Confirmation::Serial("Z9A4XK7Q".into()))
        .expect_err("another drive's serial");
    let text = wrong.to_string();
    assert!(matches!(wrong, EraseError::SerialMismatch { .. }));
    assert!(
        text.contains("\"Z9A4XK7Q\"") && text.contains("whose serial is \"BTLA812345678\""),
        "{text}"
    );

    let image_flag = check(&system, "sde", Confirmation::Image).expect_err("not an image");
    assert!(
        image_flag.to_string().contains("block device"),
        "{image_flag}"
    );

    let lo = system.sysfs.identity(
        &system.sysfs.disk("loop0").expect("loop0"),
        Path::new("/dev/loop0"),
    );
    check_serial(
        &lo,
        Path::new("/dev/loop0"),
        &Confirmation::Serial("loop0".into()),
    )
    .expect("kernel name confirms a loop device");
}

#[test]
fn nvme_sanitize_is_offered_with_its_commands() {
    let sysfs = Sysfs::at(fixture("nvme-sanitize"));
    let disk = sysfs.disk("nvme0n1").expect("disk");
    let identity = sysfs.identity(&disk, Path::new("/dev/nvme0n1"));
    let controller = sysfs.nvme_controller(&disk);
    assert_eq!(
        probe_command(&identity, controller.as_deref()),
        Some(vec![
            "nvme".into(),
            "id-ctrl".into(),
            "/dev/nvme0".into(),
            "--output-format=json".into()
        ])
    );
    let json = std::fs::read_to_string(fixture("nvme-sanitize/tool-output/nvme-id-ctrl.json"))
        .expect("fixture");
    let caps = parse_nvme_id_ctrl(&json).expect("parses");
    assert!(caps.sanitize_crypto && caps.sanitize_block && !caps.sanitize_overwrite);
    assert!(caps.format_crypto);
    let assessment = assess(
        &identity,
        controller.as_deref(),
        &tools(),
        Some(Probe::Nvme(caps)),
    );
    let actions: Vec<_> = assessment.offered.iter().map(|c| c.action).collect();
    assert_eq!(
        actions,
        [
            PurgeAction::NvmeSanitizeBlockErase,
            PurgeAction::NvmeSanitizeCryptoErase,
            PurgeAction::NvmeFormatCryptoErase
        ]
    );
    assert_eq!(
        assessment.offered[0].steps[0],
        ["nvme", "sanitize", "/dev/nvme0", "--sanact=2"]
    );
    assert_eq!(
        assessment.offered[1].steps[0],
        ["nvme", "sanitize", "/dev/nvme0", "--sanact=4"]
    );
    assert_eq!(
        assessment.offered[2].steps[0],
        ["nvme", "format", "/dev/nvme0n1", "--ses=2", "--force"]
    );
    assert!(assessment.refused.is_empty());

    let without_tool = assess(
        &identity,
        controller.as_deref(),
        &Tools::default(),
        Some(Probe::Nvme(caps)),
    );
    assert!(without_tool.offered.is_empty());
    assert!(without_tool.refused[0].contains("apt-get install nvme-cli"));
    assert!(parse_nvme_id_ctrl("{\"oacs\": 1}").is_err());
}

#[test]
fn ata_secure_erase_is_refused_while_frozen_and_offered_once_thawed() {
    let sysfs = Sysfs::at(fixture("sata-frozen"));
    let identity = sysfs.identity(&sysfs.disk("sda").expect("sda"), Path::new("/dev/sda"));
    assert_eq!(
        probe_command(&identity, None),
        Some(vec!["hdparm".into(), "-I".into(), "/dev/sda".into()])
    );
    let frozen_text =
        std::fs::read_to_string(fixture("sata-frozen/tool-output/hdparm-I.txt")).expect("fixture");
    let frozen = parse_hdparm_identify(&frozen_text).expect("has a security section");
    assert!(
        frozen.supported
            && frozen.frozen
            && !frozen.enabled
            && !frozen.locked
            && frozen.enhanced_erase
    );
    assert_eq!(
        (frozen.erase_minutes, frozen.enhanced_erase_minutes),
        (Some(2), Some(2))
    );
    let refused = assess(&identity, None, &tools(), Some(Probe::Ata(frozen)));
    assert!(refused.offered.is_empty());
    assert!(
        refused.refused[0].contains("frozen") && refused.refused[0].contains("suspend"),
        "{:?}",
        refused.refused
    );

    let thawed_text =
        std::fs::read_to_string(fixture("sata-frozen/tool-output/hdparm-I-not-frozen.txt"))
            .expect("fixture");
    let thawed = parse_hdparm_identify(&thawed_text).expect("parses");
    assert!(!thawed.frozen);
    let offered = assess(&identity, None, &tools(), Some(Probe::Ata(thawed)));
    assert_eq!(
        offered.offered[0].action,
        PurgeAction::AtaEnhancedSecurityErase
    );
    assert_eq!(
        offered.offered[0].steps,
        [
            vec![
                "hdparm",
                "--user-master",
                "u",
                "--security-set-pass",
                "refurbdesk",
                "/dev/sda"
            ],
            vec![
                "hdparm",
                "--user-master",
                "u",
                "--security-erase-enhanced",
                "refurbdesk",
                "/dev/sda"
            ],
        ]
    );
    assert_eq!(offered.offered[1].action, PurgeAction::AtaSecurityErase);
    assert!(parse_hdparm_identify("no security here").is_none());
}

#[test]
fn purge_is_refused_behind_usb_and_on_virtual_disks() {
    let system = workstation();
    let usb = system.sysfs.identity(
        &system.sysfs.disk("sdb").expect("sdb"),
        Path::new("/dev/sdb"),
    );
    let assessment = assess(&usb, None, &tools(), None);
    assert!(assessment.offered.is_empty());
    assert!(
        assessment.refused[0].contains("USB bridge"),
        "{:?}",
        assessment.refused
    );
    assert_eq!(probe_command(&usb, None), None);
    let lo = system.sysfs.identity(
        &system.sysfs.disk("loop0").expect("loop0"),
        Path::new("/dev/loop0"),
    );
    assert!(assess(&lo, None, &tools(), None).refused[0].contains("overwriting"));
}
