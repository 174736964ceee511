//! The one error type at the application boundary: a small code both front ends act on, a
//! message that says what happened, and a hint that says what to do next — told by the door
//! (terminal or window) the person is standing at.
//!
//! Engine errors are converted here, once: each engine error's kind decides the code, so the
//! CLI's exit codes and the window's error banners never disagree.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of failure this is. The CLI maps each code to its exit status (docs/cli.md); the
/// window shows it as the error's category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// A check ran and found a problem (audit chain broken, certificate altered or voided).
    CheckFailed,
    /// The request is wrong: an unknown option value, a malformed reference, a bad setting.
    Usage,
    /// The bench, or other station hardware such as a label printer, could not be reached or
    /// did not answer after retries.
    BenchUnreachable,
    /// What the request needs is not there: empty slot, unknown device or record, missing file.
    NotFound,
    /// Required input is missing (manual checklist items, zones not inspected).
    Incomplete,
    /// An erasure failed: a block read back wrong, the bench reported failure, or a required
    /// step of a manual reset was not confirmed.
    EraseFailed,
    /// Refused on purpose: safety, role or state.
    Refused,
    /// A file or database could not be read, written or understood.
    Data,
    /// Stopped by the person (Ctrl-C, Cancel) or cut short by the device.
    Interrupted,
}

/// A door-neutral piece of advice; each front end tells it in its own terms (a command to type
/// in the terminal, a screen to open in the window).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum Hint {
    /// Give a setting a value.
    SetSetting { key: String, example: String },
    /// Register an operator (with the role given, if one is needed).
    RegisterOperator { name: Option<String> },
    /// Name the station's database.
    ChooseDatabase,
    /// Look up the ids of the records of this kind.
    ListRecords { what: RecordKind },
    /// Read the device again on its bench, so that its latest intake is current.
    IntakeAgain,
    /// Advice that reads the same in any door.
    Say { text: String },
    /// Check a grading policy file for every problem, by line.
    CheckPolicy { file: String },
    /// Check the database's records (a stored record could not be read).
    CheckDatabase,
    /// Give the grading answers still missing (checklist items, zone levels), or grade a
    /// partial result on purpose.
    AnswerGrading { items: bool, zones: bool },
    /// Give a zone a cosmetic level (a photo of it came without one).
    GiveZoneLevel { zone: String },
    /// Replace an existing file on purpose.
    ReplaceFile,
    /// Confirm that this target may be destroyed.
    ConfirmErase { with: ConfirmWith },
    /// Reset this phone or tablet by hand, step by step (the bench cannot erase it).
    ResetByHand { device: String },
    /// Put back a backup of the station's database (an admin's act).
    RestoreBackup,
    /// Act as an operator with this role ("an admin").
    ActAs { role: String },
    /// Give this operator's PIN (the terminal reads it, the window logs in).
    GivePin { operator: String },
    /// Register the station's first operator, an admin (none is registered yet).
    RegisterFirstAdmin { name: String },
    /// Issue a new certificate that replaces this one, with a reason (the first stays valid).
    ReissueCertificate { certificate: String },
    /// Name the site database (a PostgreSQL URL).
    NameSite,
    /// Create or upgrade the site database's schema (a site admin's act).
    InitSite,
    /// Change it on the site database this station is attached to (a site admin's act).
    ChangeOnSite { site: String },
}

/// What confirms an erasure's target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ConfirmWith {
    /// The drive's serial number.
    Serial,
    /// The kernel name of a device that reports no serial.
    KernelName { name: String },
    /// The statement that the target is an image file.
    Image,
}

/// The kinds of record a hint can point to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum RecordKind {
    Devices,
    Erasures,
    Certificates,
    Operators,
    Customers,
    Batches,
}

/// Where a person reads a hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door {
    /// The `refurbdesk` command line.
    Terminal,
    /// The desktop window.
    Window,
}

impl Hint {
    pub fn say(text: impl Into<String>) -> Self {
        Hint::Say { text: text.into() }
    }

    /// The hint as the person at `door` should read it.
    pub fn tell(&self, door: Door) -> String {
        match (self, door) {
            (Hint::SetSetting { key, example }, Door::Terminal) => {
                format!("run `refurbdesk settings set {key} {example}`")
            }
            (Hint::SetSetting { key, .. }, Door::Window) => {
                format!("open Settings and fill in {key}")
            }
            (Hint::RegisterOperator { name }, Door::Terminal) => format!(
                "ask an admin to run `refurbdesk operator add {} --role ROLE` (ROLE is \
                 technician, auditor, quality_manager or admin)",
                name.as_deref().unwrap_or("NAME")
            ),
            (Hint::RegisterOperator { .. }, Door::Window) => {
                "ask an admin to add the operator under Settings → Operators".to_owned()
            }
            (Hint::RegisterFirstAdmin { name }, Door::Terminal) => format!(
                "register the first operator, an admin, with `refurbdesk operator add {name} \
                 --role admin`, then act as them"
            ),
            (Hint::RegisterFirstAdmin { .. }, Door::Window) => {
                "add the first operator, an admin, under Settings → Operators".to_owned()
            }
            (Hint::ChooseDatabase, Door::Terminal) => {
                "pass --db FILE (or set REFURBDESK_DB) to name the station's database".to_owned()
            }
            (Hint::ChooseDatabase, Door::Window) => {
                "start Refurbdesk with REFURBDESK_DB naming the station's database".to_owned()
            }
            (Hint::ListRecords { what }, Door::Terminal) => match what {
                RecordKind::Devices => "`refurbdesk devices` lists them".to_owned(),
                RecordKind::Erasures => {
                    "`refurbdesk erase list` lists them with their ids".to_owned()
                }
                RecordKind::Certificates => "`refurbdesk cert list` shows them".to_owned(),
                RecordKind::Operators => "`refurbdesk operator list` shows them".to_owned(),
                RecordKind::Customers => {
                    "`refurbdesk customer list` shows them with their ids".to_owned()
                }
                RecordKind::Batches => {
                    "`refurbdesk batch list` shows them with their ids".to_owned()
                }
            },
            (Hint::ListRecords { what }, Door::Window) => match what {
                RecordKind::Devices => "the Devices screen lists them".to_owned(),
                RecordKind::Erasures => "each device's Erasure panel lists them".to_owned(),
                RecordKind::Certificates => "the Certificates screen lists them".to_owned(),
                RecordKind::Operators => "Settings → Operators lists them".to_owned(),
                RecordKind::Customers => "the Batches screen lists the customers".to_owned(),
                RecordKind::Batches => "the Batches screen lists them".to_owned(),
            },
            (Hint::IntakeAgain, Door::Terminal) => {
                "read it on a bench first with `refurbdesk intake` or `refurbdesk station`"
                    .to_owned()
            }
            (Hint::IntakeAgain, Door::Window) => {
                "place it on a bench so the station reads it".to_owned()
            }
            (Hint::Say { text }, _) => text.clone(),
            (Hint::CheckPolicy { file }, Door::Terminal) => {
                format!("then check it again with `refurbdesk policy check {file}`")
            }
            (Hint::CheckPolicy { file }, Door::Window) => {
                format!("fix the policy {file}, then choose it again")
            }
            (Hint::CheckDatabase, Door::Terminal) => "run `refurbdesk db check`".to_owned(),
            (Hint::CheckDatabase, Door::Window) => {
                "check the database under Settings → Database".to_owned()
            }
            (Hint::AnswerGrading { items, zones }, Door::Terminal) => {
                let mut how = Vec::new();
                if *items {
                    how.push("--check ITEM=pass|fail|na");
                }
                if *zones {
                    how.push("--cosmetic ZONE=flawless|micro|light|visible|cracked");
                }
                how.push("--ask puts each question");
                format!(
                    "answer them ({}), or add --partial to grade what is known",
                    how.join("; ")
                )
            }
            (Hint::AnswerGrading { .. }, Door::Window) => {
                "answer them, or grade what is known as a partial grade".to_owned()
            }
            (Hint::GiveZoneLevel { zone }, Door::Terminal) => {
                format!("add --cosmetic {zone}=LEVEL")
            }
            (Hint::GiveZoneLevel { zone }, Door::Window) => {
                format!("choose a level for the {zone} zone")
            }
            (Hint::ReplaceFile, Door::Terminal) => "pass --force to replace it".to_owned(),
            (Hint::ReplaceFile, Door::Window) => {
                "confirm that the file is to be replaced".to_owned()
            }
            (Hint::ConfirmErase { with }, Door::Terminal) => match with {
                ConfirmWith::Serial => "pass --yes-erase SERIAL, the drive's serial number \
                     (lsblk -d -o NAME,MODEL,SERIAL shows it)"
                    .to_owned(),
                ConfirmWith::KernelName { name } => format!("pass --yes-erase {name}"),
                ConfirmWith::Image => "pass --yes-erase-image".to_owned(),
            },
            (Hint::ConfirmErase { with }, Door::Window) => match with {
                ConfirmWith::Serial => "type the drive's serial number to confirm".to_owned(),
                ConfirmWith::KernelName { name } => format!("type {name} to confirm"),
                ConfirmWith::Image => "tick \"this is an image file\" to confirm".to_owned(),
            },
            (Hint::ResetByHand { device }, Door::Terminal) => format!(
                "to reset it by hand, step by step: `refurbdesk erase --manual --device {device}`"
            ),
            (Hint::ResetByHand { .. }, Door::Window) => {
                "reset it by hand, step by step, from the device's Erasure panel".to_owned()
            }
            (Hint::RestoreBackup, Door::Terminal) => {
                "an admin restores one with `refurbdesk db restore FILE`".to_owned()
            }
            (Hint::RestoreBackup, Door::Window) => {
                "ask an admin to restore a backup of the station's database".to_owned()
            }
            (Hint::ActAs { role }, Door::Terminal) => format!("pass --operator NAME of {role}"),
            (Hint::ActAs { role }, Door::Window) => format!("sign in as {role}"),
            (Hint::GivePin { operator }, Door::Terminal) => format!(
                "run the command at a terminal to be asked for {operator}'s PIN, or set \
                 REFURBDESK_PIN"
            ),
            (Hint::ReissueCertificate { .. }, Door::Terminal) => {
                "to issue a new one that replaces it (it stays valid), add --reissue --reason TEXT"
                    .to_owned()
            }
            (Hint::ReissueCertificate { .. }, Door::Window) => {
                "to issue a new one that replaces it (it stays valid), reissue it and say why"
                    .to_owned()
            }
            (Hint::GivePin { operator }, Door::Window) => {
                format!("log in as {operator} with their PIN")
            }
            (Hint::NameSite, Door::Terminal) => {
                "pass --site postgres://USER@HOST/DATABASE (or set REFURBDESK_SITE)".to_owned()
            }
            (Hint::NameSite, Door::Window) => {
                "start Refurbdesk with REFURBDESK_SITE naming the site database".to_owned()
            }
            (Hint::InitSite, Door::Terminal) => {
                "a site admin creates or upgrades it with `refurbdesk site init --site URL`"
                    .to_owned()
            }
            (Hint::InitSite, Door::Window) => {
                "ask the site's admin to create or upgrade the site database".to_owned()
            }
            (Hint::ChangeOnSite { site }, Door::Terminal) => format!(
                "a site admin changes it with `refurbdesk site set KEY VALUE --site {site}` (or \
                 `refurbdesk site operator NAME ROLE --site {site}`); `refurbdesk site pull` \
                 brings it here"
            ),
            (Hint::ChangeOnSite { site }, Door::Window) => {
                format!("ask the admin of the site database {site} to change it there")
            }
        }
    }
}

/// Why a use case did not do what was asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct Error {
    pub code: ErrorCode,
    /// What happened, in a sentence a person can act on.
    pub message: String,
    /// What to do next, told by the front end in its own terms.
    pub hint: Option<Hint>,
    /// Machine-readable facts (the lines of a rejected file, the id of an existing record).
    #[ts(type = "unknown")]
    pub details: Option<serde_json::Value>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            hint: None,
            details: None,
        }
    }

    /// An error whose message is `error` and its causes, the way they chain.
    pub fn from_error(code: ErrorCode, error: &(dyn std::error::Error + 'static)) -> Self {
        Self::new(code, chain(error))
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Usage, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::NotFound, message)
    }

    pub fn refused(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Refused, message)
    }

    pub fn data(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Data, message)
    }

    pub fn with_hint(mut self, hint: Hint) -> Self {
        self.hint = Some(hint);
        self
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }

    /// Prefixes the message with where it happened ("cannot write /x.pdf: …").
    pub fn context(mut self, context: impl std::fmt::Display) -> Self {
        self.message = format!("{context}: {}", self.message);
        self
    }

    /// The message followed by the hint as `door` tells it.
    pub fn tell(&self, door: Door) -> String {
        match &self.hint {
            Some(hint) => format!("{}; {}", self.message, hint.tell(door)),
            None => self.message.clone(),
        }
    }

    /// What the window receives: `{code, message, hint}` with the hint in the window's terms.
    pub fn for_window(&self) -> WindowError {
        WindowError {
            code: self.code,
            message: self.message.clone(),
            hint: self.hint.as_ref().map(|hint| hint.tell(Door::Window)),
            hint_data: self.hint.clone().map(Box::new),
            details: self.details.clone(),
        }
    }
}

/// An [`Error`] as the desktop window receives it.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WindowError {
    pub code: ErrorCode,
    pub message: String,
    /// The hint in the window's terms, in English.
    pub hint: Option<String>,
    /// The same hint as data, which the window tells in its own language.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub hint_data: Option<Box<Hint>>,
    #[ts(type = "unknown")]
    pub details: Option<serde_json::Value>,
}

/// A message from the catalogue in `lang`: errors are told in the language of the person at the
/// door (the window's language, the command line's `--lang`).
pub fn tell(lang: refurbdesk_domain::Lang, id: &str, args: &[(&str, &str)]) -> String {
    refurbdesk_i18n::Catalogue::for_lang(lang).tell(id, args)
}

/// How many characters of a long value a message echoes back.
pub const ECHO_CHARS: usize = 60;

/// A value as a message echoes it: whole when short, else its first [`ECHO_CHARS`] characters
/// followed by `…(N characters)`, so a 10 KB argument does not flood the terminal or the window.
pub fn shorten(value: &str) -> String {
    let count = value.chars().count();
    if count <= ECHO_CHARS + 20 {
        return value.to_owned();
    }
    let head: String = value.chars().take(ECHO_CHARS).collect();
    format!("{head}…({count} characters)")
}

/// `error`, then each of its causes, joined by `: ` (as the terminal always printed them).
pub fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        // Some errors already print their cause; say it once.
        if !text.contains(&line) {
            text.push_str(": ");
            text.push_str(&line);
        }
        source = cause.source();
    }
    text
}

impl From<std::io::Error> for Error {
    fn from(error: std::io::Error) -> Self {
        let code = match error.kind() {
            std::io::ErrorKind::NotFound => ErrorCode::NotFound,
            std::io::ErrorKind::Interrupted => ErrorCode::Interrupted,
            _ => ErrorCode::Data,
        };
        Error::from_error(code, &error)
    }
}

impl From<serde_json::Error> for Error {
    fn from(error: serde_json::Error) -> Self {
        Error::from_error(ErrorCode::Data, &error)
    }
}

impl From<crate::paths::PathsError> for Error {
    fn from(error: crate::paths::PathsError) -> Self {
        Error::from_error(ErrorCode::Data, &error).with_hint(Hint::ChooseDatabase)
    }
}

#[cfg(feature = "simulate")]
impl From<crate::simulate::SimulateError> for Error {
    fn from(error: crate::simulate::SimulateError) -> Self {
        Error::from_error(ErrorCode::Data, &error)
    }
}

impl From<refurbdesk_store::StoreError> for Error {
    fn from(error: refurbdesk_store::StoreError) -> Self {
        use refurbdesk_store::StoreError as S;
        let code = match &error {
            S::NotAllowed { .. }
            | S::UnknownOperator { .. }
            | S::DisabledOperator { .. }
            | S::BatchClosed { .. }
            | S::ShipmentRefused(_) => ErrorCode::Refused,
            S::InvalidShipment { .. } => ErrorCode::Usage,
            _ => ErrorCode::Data,
        };
        let hint = match &error {
            S::UnknownOperator { name } => Some(Hint::RegisterOperator {
                name: Some(name.clone()),
            }),
            S::DisabledOperator { .. } => Some(Hint::RegisterOperator { name: None }),
            S::UnknownCertificate { .. } => Some(Hint::ListRecords {
                what: RecordKind::Certificates,
            }),
            S::Corrupt { .. } | S::Sqlite(_) => Some(Hint::CheckDatabase),
            S::Damaged { .. } | S::NotADatabase { .. } => Some(Hint::RestoreBackup),
            _ => None,
        };
        let error = Error::from_error(code, &error);
        match hint {
            Some(hint) => error.with_hint(hint),
            None => error,
        }
    }
}

impl From<crate::channels::ChannelError> for Error {
    fn from(error: crate::channels::ChannelError) -> Self {
        use crate::channels::ChannelError as C;
        match error {
            C::Store(store) => store.into(),
            C::Unknown(ref name) => {
                Error::from_error(ErrorCode::Usage, &error).with_hint(Hint::SetSetting {
                    key: format!("channel.{name}.soh_threshold_pct"),
                    example: "85".to_owned(),
                })
            }
            C::Invalid { .. } => Error::from_error(ErrorCode::Data, &error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hint_is_told_in_the_terms_of_its_door() {
        let error =
            Error::refused("the organisation's name is not set").with_hint(Hint::SetSetting {
                key: "organisation.name".into(),
                example: "\"Your company\"".into(),
            });
        assert_eq!(
            error.tell(Door::Terminal),
            "the organisation's name is not set; run `refurbdesk settings set organisation.name \"Your company\"`"
        );
        let window = error.for_window();
        assert_eq!(window.code, ErrorCode::Refused);
        let hint = window.hint.unwrap();
        assert!(!hint.contains("refurbdesk"), "{hint}");
        assert!(hint.contains("Settings"), "{hint}");
    }

    #[test]
    fn long_values_are_cut_when_echoed() {
        assert_eq!(shorten("organisation.nmae"), "organisation.nmae");
        let long = "é".repeat(10_000);
        let short = shorten(&long);
        assert_eq!(short, format!("{}…(10000 characters)", "é".repeat(60)));
        // Just over the cut is not worth cutting.
        assert_eq!(shorten(&"a".repeat(80)), "a".repeat(80));
    }

    #[test]
    fn a_cause_is_said_once() {
        #[derive(Debug, thiserror::Error)]
        #[error("outer: {0}")]
        struct Outer(#[source] std::io::Error);
        let error = Outer(std::io::Error::other("disk full"));
        assert_eq!(chain(&error), "outer: disk full");
    }

    #[test]
    fn codes_serialise_as_snake_case_words() {
        assert_eq!(
            serde_json::to_string(&ErrorCode::BenchUnreachable).unwrap(),
            "\"bench_unreachable\""
        );
    }
}
