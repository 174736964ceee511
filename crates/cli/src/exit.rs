//! The one table of exit codes every subcommand follows (documented in docs/cli.md).

use refurbdesk_app::{Door, Error as AppError, ErrorCode};

/// Why a command stopped. Each kind of failure has its own code so scripts can react without parsing text.
// The table is a published contract (docs/cli.md); a code exists before the command that first uses it.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Done.
    Ok = 0,
    /// A check ran and found a problem (audit chain broken, certificate altered).
    CheckFailed = 1,
    /// The command line is wrong (clap also uses 2).
    Usage = 2,
    /// The bench, or other station hardware such as a label printer, could not be reached or did
    /// not answer after retries.
    BenchUnreachable = 3,
    /// What the command needs is not there: slot empty, device removed (during an intake or a
    /// bench erase), unknown device or record.
    NotFound = 4,
    /// Required input is missing (manual checklist items not answered).
    Incomplete = 5,
    /// An erasure failed: a block read back wrong, the bench reported `done=failed`, or a required
    /// step of a manual reset was not confirmed.
    VerificationFailed = 6,
    /// Refused on purpose: safety, role or state (mounted drive, unverified erasure, not allowed,
    /// a bench that cannot erase this device).
    Refused = 7,
    /// A file or database could not be read, written or understood.
    Data = 8,
    /// Interrupted by Ctrl-C (128 + SIGINT), or an erasure cut short and recorded `interrupted`
    /// (a bench that restarted, a manual reset stopped part way).
    Interrupted = 130,
}

impl Exit {
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// An error that knows its exit code; anything else that reaches `main` counts as [`Exit::Data`].
#[derive(Debug)]
pub struct Failure {
    pub exit: Exit,
    pub error: anyhow::Error,
}

impl Failure {
    pub fn new(exit: Exit, error: impl Into<anyhow::Error>) -> Self {
        Self {
            exit,
            error: error.into(),
        }
    }
}

impl Exit {
    /// The exit status of an application error: the one table docs/cli.md publishes.
    pub fn of(code: ErrorCode) -> Self {
        match code {
            ErrorCode::CheckFailed => Exit::CheckFailed,
            ErrorCode::Usage => Exit::Usage,
            ErrorCode::BenchUnreachable => Exit::BenchUnreachable,
            ErrorCode::NotFound => Exit::NotFound,
            ErrorCode::Incomplete => Exit::Incomplete,
            ErrorCode::EraseFailed => Exit::VerificationFailed,
            ErrorCode::Refused => Exit::Refused,
            ErrorCode::Data => Exit::Data,
            ErrorCode::Interrupted => Exit::Interrupted,
        }
    }
}

/// An application error reaches the terminal with its hint told in the terminal's terms.
impl From<AppError> for Failure {
    fn from(error: AppError) -> Self {
        Self::new(
            Exit::of(error.code),
            anyhow::anyhow!(error.tell(Door::Terminal)),
        )
    }
}

// Anything else that reaches `main` counts as [`Exit::Data`].
macro_rules! data_failure {
    ($($error:ty),* $(,)?) => {$(
        impl From<$error> for Failure {
            fn from(error: $error) -> Self {
                Self::new(Exit::Data, error)
            }
        }
    )*};
}
data_failure!(
    anyhow::Error,
    std::io::Error,
    serde_json::Error,
    tokio::task::JoinError,
);
