//! Why an erasure could not start, each phrased so
//! the operator knows what happened and what to do next. An erasure that ran
//! and failed (a write error, a block that did not verify) is not an error
//! here: it is a [`crate::Report`] with status `failed` and its faults.

use std::path::PathBuf;

use thiserror::Error;

#[derive(Debug, Error)]
pub enum EraseError {
    #[error("{} does not exist; check the path (lsblk lists the drives)", path.display())]
    NotFound { path: PathBuf },

    #[error("{} cannot be erased: {reason}", path.display())]
    NotErasable { path: PathBuf, reason: String },

    #[error(
        "{} is in use by {holder}; wait for it to finish, or stop what holds it, and try again",
        path.display()
    )]
    InUse { path: PathBuf, holder: String },

    #[error(
        "refused: {device} is mounted at {mount_point}{}; unmount it (umount {mount_point}) and make \
         sure it is the drive you mean to erase",
        if device == &path.display().to_string() { String::new() } else { format!(" (it is part of {})", path.display()) }
    )]
    Mounted {
        path: PathBuf,
        device: String,
        mount_point: String,
    },

    #[error(
        "refused: {} {reason}; Refurbdesk never erases the drive it is running from",
        path.display()
    )]
    SystemDrive { path: PathBuf, reason: String },

    #[error("refused: {} {reason}", path.display())]
    Busy { path: PathBuf, reason: String },

    #[error(
        "refused: erasing {} destroys everything on it; confirm it with {expected}{}",
        path.display(),
        because.map_or_else(String::new, |because| format!(" ({because})"))
    )]
    NotConfirmed {
        path: PathBuf,
        /// What confirms this target; each front end says how to give it.
        expected: Expected,
        /// Why the confirmation given does not fit, when one was given.
        because: Option<&'static str>,
    },

    #[error(
        "refused: the confirmation {given:?} does not match {}, whose {token} is {actual:?} ({drive}); \
         check that this is the drive you mean, then confirm with its {token}",
        path.display()
    )]
    SerialMismatch {
        path: PathBuf,
        given: String,
        actual: String,
        drive: String,
        /// "serial", or "kernel name" for a device that reports no serial.
        token: &'static str,
    },

    #[error("refused: {} is empty (0 bytes); there is nothing to erase", path.display())]
    Empty { path: PathBuf },

    #[error(
        "{action} {}: {source}; check the path and that you may write to it (erasing a drive needs root)",
        path.display()
    )]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("could not draw a random seed from the operating system: {0}; try again")]
    Seed(getrandom::Error),
}

impl EraseError {
    /// Whether the erasure was refused on purpose (a safety rule or a missing
    /// confirmation) rather than failing.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            EraseError::InUse { .. }
                | EraseError::Mounted { .. }
                | EraseError::SystemDrive { .. }
                | EraseError::Busy { .. }
                | EraseError::NotConfirmed { .. }
                | EraseError::SerialMismatch { .. }
                | EraseError::NotErasable { .. }
                | EraseError::Empty { .. }
        )
    }
}

/// What confirms that a target may be destroyed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected {
    /// The drive's serial number.
    Serial,
    /// The device's kernel name, for a device that reports no serial.
    KernelName { name: String },
    /// The statement that the target is an image file.
    Image,
}

impl std::fmt::Display for Expected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Expected::Serial => f.write_str("the drive's serial number"),
            Expected::KernelName { name } => write!(
                f,
                "its kernel name {name} (it reports no serial, so its name stands in)"
            ),
            Expected::Image => f.write_str("the statement that it is an image file"),
        }
    }
}
