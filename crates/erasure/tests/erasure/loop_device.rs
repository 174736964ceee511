//! The whole path on a real block device: a loop device over an image file,
//! prepared through every safety check and erased with direct I/O. Needs
//! root and `losetup`; elsewhere it says why it skipped.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::AtomicBool;

use crate::common::{assert_every_byte, image, MIB};
use refurbdesk_erasure::safety::{prepare, Confirmation, System};
use refurbdesk_erasure::{
    erase, EraseError, Method, Outcome, Pattern, Plan, Seed, TargetKind, Transport, Verify,
};

/// An attached loop device, detached again when dropped.
struct Loop {
    device: PathBuf,
}

impl Loop {
    fn attach(file: &std::path::Path) -> Result<Loop, String> {
        let output = Command::new("losetup")
            .args(["--find", "--show"])
            .arg(file)
            .output()
            .map_err(|error| format!("losetup cannot run: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "losetup failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let device = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        Ok(Loop {
            device: PathBuf::from(device),
        })
    }

    fn name(&self) -> String {
        self.device
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

impl Drop for Loop {
    fn drop(&mut self) {
        let _ = Command::new("losetup").arg("-d").arg(&self.device).status();
    }
}

#[test]
fn a_loop_device_is_checked_confirmed_and_erased() {
    let dir = tempfile::tempdir().expect("tempdir");
    let backing = image(&dir, "disk.img", 16 * MIB);
    let lo = match Loop::attach(&backing) {
        Ok(lo) => lo,
        Err(reason) => {
            eprintln!("SKIPPED a_loop_device_is_checked_confirmed_and_erased: no loop device ({reason}); run as root with util-linux");
            return;
        }
    };
    let system = System::read().expect("system readable");

    let unconfirmed =
        prepare(&lo.device, &Confirmation::None, &system).expect_err("needs confirmation");
    assert!(
        matches!(unconfirmed, EraseError::NotConfirmed { .. }),
        "{unconfirmed}"
    );
    let wrong = prepare(&lo.device, &Confirmation::Serial("loop999".into()), &system)
        .expect_err("wrong name");
    assert!(
        matches!(wrong, EraseError::SerialMismatch { .. }),
        "{wrong}"
    );
    let expected = format!("whose kernel name is \"{}\"", lo.name());
    assert!(wrong.to_string().contains(&expected), "{wrong}");
    let backing_busy =
        prepare(&backing, &Confirmation::Image, &system).expect_err("attached image");
    assert!(
        backing_busy
            .to_string()
            .contains(&format!("attached to {}", lo.device.display())),
        "{backing_busy}"
    );

    let confirm = Confirmation::Serial(lo.name());
    let mut prepared =
        prepare(&lo.device, &confirm, &system).expect("a free loop device may be erased");
    assert_eq!(prepared.identity.kind, TargetKind::Block);
    assert_eq!(prepared.identity.transport, Transport::Loop);
    assert_eq!(prepared.identity.size_bytes, 16 * MIB);
    assert!(prepared.target.direct_io(), "block devices take O_DIRECT");

    let second = prepare(&lo.device, &confirm, &system).expect_err("one erasure at a time");
    assert!(matches!(second, EraseError::InUse { .. }), "{second}");

    let plan = Plan {
        method: Method::Zero,
        verify: Verify::Full,
        seed: Some(Seed([8; 32])),
        sample_seed: Seed([9; 32]),
    };
    let report = erase(
        &mut prepared.target,
        &plan,
        &AtomicBool::new(false),
        &mut |_| {},
    );
    assert_eq!(report.outcome, Outcome::Verified, "{:?}", report.faults);
    assert_eq!(report.bytes_verified, 16 * MIB);
    drop(prepared);
    assert_every_byte(&backing, Pattern::Fill(0), None);
}
