//! Who is at the station, proven: operators' PINs, logging in, and the rule that once an
//! operator has a PIN nobody records under their name without it.
//!
//! A PIN is kept as an Argon2id hash (PHC string, salt from the operating system). Every PIN
//! given is recorded, right or wrong; after [`MAX_WRONG_PINS`] wrong ones in a row the operator
//! is locked out for [`LOCKOUT_MINUTES`] minutes, counted from the last wrong one (attempts while
//! locked out are recorded and refused without looking at the PIN, and do not extend the lock).
//! Once the lock has passed, one more wrong PIN locks the operator again; a right one starts the
//! count afresh.
//!
//! While no operator has a PIN the station works as before: the name a door gives (or the
//! operating-system user, the bootstrap admin of an empty station) is enough, and [`status`]
//! says so, so the window can open at once and invite creating the first admin with a PIN.
//!
//! A [`Workstation`] carries the operator whose PIN it has checked ([`login`] sets it);
//! [`Workstation::actor`] refuses to record as an operator who has a PIN and was not checked.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use refurbdesk_station::OnDuty;
use refurbdesk_store::{Operator, PinAttempt, Role, StoreError};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Hint, RecordKind, Result};
use crate::operators::{AddOperatorParams, OperatorInfo};
use crate::workstation::{os_user, Workstation};

/// The setting that says after how many idle minutes the window locks its session.
pub const IDLE_LOCK_SETTING: &str = "session.idle_lock_minutes";
/// The idle time after which the window locks, when the setting is not set.
pub const DEFAULT_IDLE_LOCK_MINUTES: u32 = 15;
/// The longest idle time the setting accepts (a working day).
pub const MAX_IDLE_LOCK_MINUTES: u32 = 480;
/// The shortest PIN accepted, in characters.
pub const MIN_PIN_CHARS: usize = 4;
/// The longest PIN accepted, in characters.
pub const MAX_PIN_CHARS: usize = 64;
/// Wrong PINs in a row after which an operator is locked out.
pub const MAX_WRONG_PINS: u32 = 5;
/// How long a lock-out lasts, from the last wrong PIN.
pub const LOCKOUT_MINUTES: i64 = 15;

/// The screens of the window, each opened by some roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Screen {
    Station,
    Device,
    Batches,
    Quality,
    Settings,
}

impl Screen {
    /// The screens a role opens, in the navigation bar's order.
    pub fn for_role(role: Role) -> Vec<Screen> {
        use Screen::*;
        match role {
            Role::Technician => vec![Station, Device, Batches],
            Role::Auditor => vec![Device, Batches, Quality],
            Role::QualityManager => vec![Station, Device, Batches, Quality, Settings],
            Role::Admin => vec![Station, Device, Batches, Quality, Settings],
        }
    }
}

/// Who is at the station and what they may open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionInfo {
    /// The operator's name as registered (or the operating-system user acting as bootstrap admin).
    pub operator: String,
    #[ts(type = "\"technician\" | \"auditor\" | \"quality_manager\" | \"admin\"")]
    pub role: Role,
    /// The operator as registered; `None` for the bootstrap admin of a station with no operators.
    pub info: Option<OperatorInfo>,
    /// True while no operator is registered and the operating-system user acts as admin.
    pub bootstrap: bool,
    /// Whether this operator has a PIN (and gave it, to be here).
    pub has_pin: bool,
    /// The screens the role opens.
    pub screens: Vec<Screen>,
    /// Minutes without input after which the window locks.
    pub idle_lock_minutes: u32,
}

/// Whether the station asks for PINs, and who it opens as when it does not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionStatus {
    /// Whether any operator has a PIN. When one has, the window opens on the log-in screen.
    pub any_pin: bool,
    /// While no operator has a PIN: who the station acts as without one (the named operator, or
    /// the operating-system user as bootstrap admin), if that name may act.
    pub open_as: Option<SessionInfo>,
    /// True while no admin has a PIN: the window invites creating (or securing) the first admin.
    pub invite_first_admin: bool,
    /// Minutes without input after which the window locks.
    pub idle_lock_minutes: u32,
}

/// An operator's name and PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LoginParams {
    pub name: String,
    /// The PIN; empty or absent for an operator who has none.
    #[serde(default)]
    pub pin: Option<String>,
    /// The language refusals are told in (the window's); English when absent.
    #[serde(default)]
    #[ts(optional, type = "\"en\" | \"fr\"")]
    pub lang: Option<refurbdesk_domain::Lang>,
}

/// A PIN to set, typed twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetPinParams {
    /// The operator whose PIN this is (case does not matter).
    pub name: String,
    pub pin: String,
    /// The same PIN again.
    pub repeat: String,
}

/// The PIN set, and for whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PinSet {
    pub operator: OperatorInfo,
    /// True when it replaced an earlier PIN.
    pub changed: bool,
    /// Who set it.
    pub set_by: String,
}

/// The first admin of a station, with a PIN.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct FirstAdminParams {
    pub name: String,
    pub pin: String,
    pub repeat: String,
}

/// Proof, held by a door for the length of a session, that an operator gave their PIN (or has
/// none) in this process. Only [`login`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    name: String,
}

impl Verified {
    pub fn operator(&self) -> &str {
        &self.name
    }
}

/// A window's session: who logged in and when they last did something. The window locks it
/// after the idle time the setting gives.
#[derive(Debug, Clone)]
pub struct Session {
    verified: Verified,
    last_active: DateTime<Utc>,
}

impl Session {
    /// The session of the operator `ws` has checked; `None` if it has checked nobody.
    pub fn of(ws: &Workstation) -> Option<Session> {
        ws.verified.clone().map(|verified| Session {
            verified,
            last_active: Utc::now(),
        })
    }

    pub fn operator(&self) -> &str {
        self.verified.operator()
    }

    /// Notes activity at `now`, unless the session has been idle for longer than
    /// `idle_lock_minutes`: then it is locked (refused) and the operator logs in again.
    pub fn touch(&mut self, now: DateTime<Utc>, idle_lock_minutes: u32) -> Result<()> {
        if now - self.last_active > Duration::minutes(i64::from(idle_lock_minutes)) {
            return Err(Error::refused(format!(
                "the session of {} was locked after {idle_lock_minutes} minutes without activity",
                self.verified.name
            ))
            .with_hint(Hint::GivePin {
                operator: self.verified.name.clone(),
            }));
        }
        self.last_active = now;
        Ok(())
    }

    /// A workstation for the next call of this session, unless it has been idle for longer than
    /// the `session.idle_lock_minutes` setting allows (then it is locked: refused, and stays so).
    pub fn resume(&mut self, paths: crate::DataPaths) -> Result<Workstation> {
        let ws = self.open(paths)?;
        let idle = idle_lock_minutes(&ws)?;
        self.touch(Utc::now(), idle)?;
        Ok(ws)
    }

    /// A workstation for one call of this session: acting as its operator, already checked.
    pub fn open(&self, paths: crate::DataPaths) -> Result<Workstation> {
        let mut ws = Workstation::open(paths, Some(self.verified.name.clone()))?;
        ws.verified = Some(self.verified.clone());
        Ok(ws)
    }
}

/// The window's session: at most one operator logged in, and the operator the window's station
/// records under ([`WindowSession::on_duty`]), who is the same person: nobody while the window
/// is locked. While no operator has a PIN the window acts, as the CLI does, as the operator the
/// environment names (or the operating-system user, the bootstrap admin).
#[derive(Debug)]
pub struct WindowSession {
    current: std::sync::Mutex<Option<Session>>,
    on_duty: OnDuty,
}

impl Default for WindowSession {
    fn default() -> Self {
        Self {
            current: std::sync::Mutex::new(None),
            on_duty: OnDuty::new(None),
        }
    }
}

impl WindowSession {
    fn held(&self) -> std::sync::MutexGuard<'_, Option<Session>> {
        self.current
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A workstation for one call of the window: as the operator logged in (unless their
    /// session has been idle too long: then it locks, and the call is refused). With nobody
    /// logged in, as the operator `env_operator` names under the CLI's rules while no operator
    /// has a PIN; once one has, the window is locked: reading works, recording is refused.
    pub fn open(
        &self,
        paths: &crate::DataPaths,
        env_operator: Option<String>,
    ) -> Result<Workstation> {
        let mut current = self.held();
        if let Some(active) = current.as_mut() {
            return active.resume(paths.clone()).inspect_err(|_| {
                *current = None;
                self.on_duty.set(None);
            });
        }
        let mut ws = Workstation::open(paths.clone(), env_operator)?;
        ws.locked = ws.store.any_pin()?;
        Ok(ws)
    }

    /// Logs in on a fresh workstation with `case` ([`login`] or [`create_first_admin`]); when it
    /// succeeds, the operator it checked is logged in to the window and on duty at its station.
    pub fn log_in<T>(
        &self,
        paths: &crate::DataPaths,
        case: impl FnOnce(&mut Workstation) -> Result<T>,
    ) -> Result<T> {
        let mut ws = Workstation::open(paths.clone(), None)?;
        let value = case(&mut ws)?;
        let session = Session::of(&ws);
        self.on_duty.set(
            session
                .as_ref()
                .map(|session| session.operator().to_owned()),
        );
        *self.held() = session;
        Ok(value)
    }

    /// Locks the window (the lock button, logging out, the idle time): nobody acts, and the
    /// station records nothing, until someone logs in.
    pub fn lock(&self) {
        *self.held() = None;
        self.on_duty.set(None);
    }

    /// Whether an operator is logged in (their session may still lock at its next call).
    pub fn logged_in(&self) -> bool {
        self.held().is_some()
    }

    /// The operator the window's station records under.
    pub fn on_duty(&self) -> OnDuty {
        self.on_duty.clone()
    }

    /// Puts on duty whom the window acts as now: the operator logged in; with nobody, while no
    /// operator has a PIN, the one `ws` (opened as the environment says) acts as; else nobody.
    pub(crate) fn refresh_on_duty(&self, ws: &Workstation) {
        let operator = match self.held().as_ref() {
            Some(session) => Some(session.operator().to_owned()),
            None => ws.actor().ok().map(|actor| actor.name),
        };
        self.on_duty.set(operator);
    }
}

/// Why a locked window records nothing.
pub(crate) fn nobody_logged_in() -> Error {
    Error::refused(
        "nobody is logged in to this window; nothing is recorded until an operator logs in",
    )
    .with_hint(Hint::ActAs {
        role: "an operator".to_owned(),
    })
}

/// Whether the station asks for PINs, and who it opens as while it does not.
pub fn status(ws: &Workstation) -> Result<SessionStatus> {
    let any_pin = ws.store.any_pin()?;
    let idle_lock_minutes = idle_lock_minutes(ws)?;
    let open_as = if any_pin {
        None
    } else {
        match ws.store.resolve_actor(ws.operator.as_deref(), &os_user()) {
            Ok(actor) if actor.bootstrap => Some(SessionInfo {
                operator: actor.name,
                role: actor.role,
                info: None,
                bootstrap: true,
                has_pin: false,
                screens: Screen::for_role(actor.role),
                idle_lock_minutes,
            }),
            Ok(actor) => ws
                .store
                .operator_with_pin(&actor.name)?
                .map(|(operator, _)| session_info(operator, false, idle_lock_minutes)),
            Err(StoreError::UnknownOperator { .. } | StoreError::DisabledOperator { .. }) => None,
            Err(error) => return Err(error.into()),
        }
    };
    let admins_with_pin = ws
        .store
        .list_operators()?
        .into_iter()
        .filter(|operator| operator.role == Role::Admin && !operator.disabled)
        .try_fold(0_u32, |count, operator| {
            let has = ws
                .store
                .operator_with_pin(&operator.name)?
                .is_some_and(|(_, pin)| pin.is_some());
            Ok::<_, StoreError>(count + u32::from(has))
        })?;
    Ok(SessionStatus {
        any_pin,
        open_as,
        invite_first_admin: admins_with_pin == 0,
        idle_lock_minutes,
    })
}

/// Who `ws` has checked (logged in), with their role and screens; `None` if nobody.
pub fn current(ws: &Workstation) -> Result<Option<SessionInfo>> {
    let Some(verified) = &ws.verified else {
        return Ok(None);
    };
    let idle_lock_minutes = idle_lock_minutes(ws)?;
    Ok(ws
        .store
        .operator_with_pin(&verified.name)?
        .map(|(operator, pin)| session_info(operator, pin.is_some(), idle_lock_minutes)))
}

/// Checks an operator's PIN and, when it is right, makes `ws` act as them. A wrong PIN is
/// refused and recorded; so is any attempt while the operator is locked out. An operator who
/// has no PIN logs in by name alone.
pub fn login(ws: &mut Workstation, params: LoginParams) -> Result<SessionInfo> {
    let idle_lock_minutes = idle_lock_minutes(ws)?;
    let name = params.name.trim();
    let lang = params.lang.unwrap_or_default();
    let quoted = |name: &str| format!("{name:?}");
    let Some((operator, pin)) = ws.store.operator_with_pin(name)? else {
        return Err(Error::refused(crate::error::tell(
            lang,
            "error-login-no-operator",
            &[("name", &quoted(&crate::error::shorten(name)))],
        ))
        .with_hint(Hint::RegisterOperator {
            name: Some(name.to_owned()),
        }));
    };
    if operator.disabled {
        return Err(Error::refused(crate::error::tell(
            lang,
            "error-login-disabled",
            &[("name", &quoted(&operator.name))],
        )));
    }
    let given = params.pin.as_deref().unwrap_or("");
    let has_pin = match pin {
        None => false,
        Some(pin) => {
            check_pin(ws, &operator, &pin.pin_hash, given, Utc::now(), lang)?;
            true
        }
    };
    ws.operator = Some(operator.name.clone());
    ws.verified = Some(Verified {
        name: operator.name.clone(),
    });
    Ok(session_info(operator, has_pin, idle_lock_minutes))
}

/// The operator `ws` acts as, if they have a PIN that `ws` has not checked yet: the door asks
/// for it, then calls [`login`]. `None` when nothing needs asking (no PIN, already checked, or a
/// name that cannot act anyway, which recording will refuse with its own reason).
pub fn pin_needed(ws: &Workstation) -> Result<Option<String>> {
    let actor = match ws.store.resolve_actor(ws.operator.as_deref(), &os_user()) {
        Ok(actor) => actor,
        Err(StoreError::UnknownOperator { .. } | StoreError::DisabledOperator { .. }) => {
            return Ok(None)
        }
        Err(error) => return Err(error.into()),
    };
    if actor.bootstrap || is_verified(ws, &actor.name) {
        return Ok(None);
    }
    Ok(match ws.store.operator_with_pin(&actor.name)? {
        Some((operator, Some(_))) => Some(operator.name),
        _ => None,
    })
}

/// Sets or changes an operator's PIN. Operators set their own (after giving the old one, if
/// they had one); an admin may set anyone's. The change is audited.
pub fn set_pin(ws: &mut Workstation, params: SetPinParams) -> Result<PinSet> {
    check_new_pin(&params.pin, &params.repeat)?;
    let actor = ws.actor()?;
    let had = match ws.store.operator_with_pin(&params.name)? {
        Some((_, pin)) => pin.is_some(),
        None => {
            return Err(
                Error::not_found(format!("there is no operator named {:?}", params.name))
                    .with_hint(Hint::ListRecords {
                        what: RecordKind::Operators,
                    }),
            )
        }
    };
    let hash = hash_pin(&params.pin)?;
    let operator = ws
        .store
        .set_pin(&params.name, &hash, &actor)
        .map_err(|error| match error {
            StoreError::NotAllowed { .. } => Error::refused(format!(
                "operator {:?} may not set the PIN of {:?}; operators set their own, and an \
                 admin may set anyone's",
                actor.name, params.name
            ))
            .with_hint(Hint::ActAs {
                role: Role::Admin.with_article(),
            }),
            other => other.into(),
        })?;
    // Who sets their own PIN has, in effect, just given it.
    if actor.name.eq_ignore_ascii_case(&operator.name) {
        ws.verified = Some(Verified {
            name: operator.name.clone(),
        });
    }
    Ok(PinSet {
        operator: operator.into(),
        changed: had,
        set_by: actor.name,
    })
}

/// Registers the first admin of a station that has no operators, with a PIN, and logs them in.
pub fn create_first_admin(ws: &mut Workstation, params: FirstAdminParams) -> Result<SessionInfo> {
    check_new_pin(&params.pin, &params.repeat)?;
    if !ws.store.list_operators()?.is_empty() {
        return Err(Error::refused(
            "this station already has operators; an admin adds more and sets their PINs",
        )
        .with_hint(Hint::ActAs {
            role: Role::Admin.with_article(),
        }));
    }
    crate::operators::add(
        ws,
        AddOperatorParams {
            name: params.name.clone(),
            role: Role::Admin,
        },
    )?;
    ws.operator = Some(params.name.clone());
    set_pin(
        ws,
        SetPinParams {
            name: params.name.clone(),
            pin: params.pin.clone(),
            repeat: params.repeat,
        },
    )?;
    login(
        ws,
        LoginParams {
            name: params.name,
            pin: Some(params.pin),
            lang: None,
        },
    )
}

/// The idle time after which the window locks, from the setting (checked when it was set).
pub fn idle_lock_minutes(ws: &Workstation) -> Result<u32> {
    Ok(ws
        .store
        .setting(IDLE_LOCK_SETTING)?
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(DEFAULT_IDLE_LOCK_MINUTES))
}

/// Whether `value` may be the idle lock time: whole minutes, 1 to [`MAX_IDLE_LOCK_MINUTES`].
pub(crate) fn check_idle_lock_minutes(value: &str) -> Result<(), String> {
    match value.trim().parse::<u32>() {
        Ok(minutes) if (1..=MAX_IDLE_LOCK_MINUTES).contains(&minutes) => Ok(()),
        _ => Err(format!(
            "{IDLE_LOCK_SETTING} is a whole number of minutes from 1 to {MAX_IDLE_LOCK_MINUTES}, \
             not {value:?}"
        )),
    }
}

/// Refuses to record as an operator who has a PIN that `ws` has not checked.
pub(crate) fn require_verified(ws: &Workstation, name: &str) -> Result<()> {
    if is_verified(ws, name) {
        return Ok(());
    }
    match ws.store.operator_with_pin(name)? {
        Some((operator, Some(_))) => Err(Error::refused(format!(
            "operator {:?} has a PIN, and it was not given; nothing is recorded under their \
             name without it",
            operator.name
        ))
        .with_hint(Hint::GivePin {
            operator: operator.name,
        })),
        _ => Ok(()),
    }
}

fn is_verified(ws: &Workstation, name: &str) -> bool {
    ws.verified
        .as_ref()
        .is_some_and(|verified| verified.name.eq_ignore_ascii_case(name))
}

fn session_info(operator: Operator, has_pin: bool, idle_lock_minutes: u32) -> SessionInfo {
    SessionInfo {
        operator: operator.name.clone(),
        role: operator.role,
        bootstrap: false,
        has_pin,
        screens: Screen::for_role(operator.role),
        info: Some(operator.into()),
        idle_lock_minutes,
    }
}

/// Checks `given` against the operator's hash at `now`, minding and recording the lock-out.
fn check_pin(
    ws: &mut Workstation,
    operator: &Operator,
    hash: &str,
    given: &str,
    now: DateTime<Utc>,
    lang: refurbdesk_domain::Lang,
) -> Result<()> {
    let name = format!("{:?}", operator.name);
    let minutes = LOCKOUT_MINUTES.to_string();
    let wrong = ws.store.wrong_pins(operator.id)?;
    if let Some(until) = locked_until(wrong.in_a_row, wrong.last_at) {
        if now < until {
            ws.store
                .record_pin_attempt(operator, PinAttempt::Locked, now)?;
            return Err(Error::refused(crate::error::tell(
                lang,
                "error-login-locked",
                &[
                    ("name", &name),
                    ("minutes", &minutes),
                    ("count", &wrong.in_a_row.to_string()),
                    ("until", &until.format("%H:%M").to_string()),
                ],
            ))
            .with_details(serde_json::json!({ "locked_until": until })));
        }
    }
    if pin_matches(hash, given)? {
        ws.store.record_pin_attempt(operator, PinAttempt::Ok, now)?;
        return Ok(());
    }
    ws.store
        .record_pin_attempt(operator, PinAttempt::Wrong, now)?;
    let in_a_row = wrong.in_a_row + 1;
    let error = if in_a_row >= MAX_WRONG_PINS {
        let until = now + Duration::minutes(LOCKOUT_MINUTES);
        Error::refused(crate::error::tell(
            lang,
            "error-login-wrong-pin-locked",
            &[
                ("name", &name),
                ("count", &in_a_row.to_string()),
                ("minutes", &minutes),
                ("until", &until.format("%H:%M").to_string()),
            ],
        ))
        .with_details(serde_json::json!({ "locked_until": until, "wrong_in_a_row": in_a_row }))
    } else {
        Error::refused(crate::error::tell(
            lang,
            "error-login-wrong-pin",
            &[
                ("name", &name),
                ("count", &in_a_row.to_string()),
                ("max", &MAX_WRONG_PINS.to_string()),
                ("minutes", &minutes),
            ],
        ))
        .with_details(serde_json::json!({ "wrong_in_a_row": in_a_row }))
    };
    Err(error)
}

/// When a lock-out after `in_a_row` wrong PINs, the last at `last_at`, ends; `None` if there is
/// none.
pub fn locked_until(in_a_row: u32, last_at: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    (in_a_row >= MAX_WRONG_PINS)
        .then_some(last_at)
        .flatten()
        .map(|last| last + Duration::minutes(LOCKOUT_MINUTES))
}

/// Whether a new PIN is acceptable and typed the same twice.
pub fn check_new_pin(pin: &str, repeat: &str) -> Result<()> {
    let chars = pin.chars().count();
    if !(MIN_PIN_CHARS..=MAX_PIN_CHARS).contains(&chars) {
        return Err(Error::usage(format!(
            "a PIN has {MIN_PIN_CHARS} to {MAX_PIN_CHARS} characters (digits, letters or \
             punctuation), and this one has {chars}"
        )));
    }
    if pin.chars().any(char::is_control) {
        return Err(Error::usage(
            "a PIN has digits, letters or punctuation, and no control characters",
        ));
    }
    if pin.trim() != pin {
        return Err(Error::usage("a PIN neither starts nor ends with a space"));
    }
    if pin != repeat {
        return Err(Error::usage(
            "the PIN and its repetition differ; type the same PIN twice",
        ));
    }
    Ok(())
}

fn hash_pin(pin: &str) -> Result<String> {
    let mut salt = [0_u8; 16];
    getrandom::fill(&mut salt).map_err(|error| {
        Error::data(format!(
            "the operating system gave no random bytes for the PIN's salt: {error}"
        ))
    })?;
    let salt = SaltString::encode_b64(&salt)
        .map_err(|error| Error::data(format!("cannot encode the PIN's salt: {error}")))?;
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| Error::data(format!("cannot hash the PIN: {error}")))
}

fn pin_matches(hash: &str, given: &str) -> Result<bool> {
    let parsed = PasswordHash::new(hash).map_err(|error| {
        Error::new(
            ErrorCode::Data,
            format!("the stored PIN hash cannot be read: {error}; an admin sets a new PIN"),
        )
        .with_hint(Hint::CheckDatabase)
    })?;
    Ok(Argon2::default()
        .verify_password(given.as_bytes(), &parsed)
        .is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_hashed_with_argon2id_and_a_fresh_salt() {
        let first = hash_pin("4711").unwrap();
        let second = hash_pin("4711").unwrap();
        assert!(first.starts_with("$argon2id$v=19$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        assert!(pin_matches(&first, "4711").unwrap());
        assert!(!pin_matches(&first, "4712").unwrap());
        assert!(!pin_matches(&first, "").unwrap());
    }

    #[test]
    fn new_pins_are_four_to_sixty_four_characters_typed_twice() {
        assert!(check_new_pin("1234", "1234").is_ok());
        assert!(check_new_pin("pass phrase", "pass phrase").is_ok());
        let short = check_new_pin("123", "123").unwrap_err();
        assert_eq!(short.code, ErrorCode::Usage);
        assert!(short.message.contains("4 to 64 characters"), "{short}");
        assert!(check_new_pin(&"9".repeat(65), &"9".repeat(65)).is_err());
        assert!(check_new_pin("1234", "1235")
            .unwrap_err()
            .message
            .contains("differ"));
        assert!(check_new_pin("12\u{7}4", "12\u{7}4").is_err());
    }

    #[test]
    fn a_lock_out_lasts_from_the_fifth_wrong_pin() {
        let at = DateTime::parse_from_rfc3339("2026-01-02T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(locked_until(4, Some(at)), None);
        assert_eq!(
            locked_until(5, Some(at)),
            Some(at + Duration::minutes(LOCKOUT_MINUTES))
        );
        assert_eq!(locked_until(5, None), None);
    }

    #[test]
    fn an_idle_session_locks() {
        let verified = Verified { name: "ana".into() };
        let start = Utc::now();
        let mut session = Session {
            verified,
            last_active: start,
        };
        assert!(session.touch(start + Duration::minutes(14), 15).is_ok());
        assert!(session.touch(start + Duration::minutes(28), 15).is_ok());
        let error = session
            .touch(start + Duration::minutes(44), 15)
            .unwrap_err();
        assert_eq!(error.code, ErrorCode::Refused);
        assert!(error.message.contains("15 minutes"), "{error}");
    }

    #[test]
    fn roles_open_their_screens() {
        assert_eq!(
            Screen::for_role(Role::Technician),
            vec![Screen::Station, Screen::Device, Screen::Batches]
        );
        assert!(Screen::for_role(Role::Auditor).contains(&Screen::Quality));
        assert!(!Screen::for_role(Role::Auditor).contains(&Screen::Station));
        assert!(Screen::for_role(Role::Admin).contains(&Screen::Settings));
    }
}
