//! One module per subcommand: clap arguments → a parameter struct → a `refurbdesk_app` function →
//! printing. Each returns `Result<(), Failure>`; no command decides anything the window would need.

pub mod agent;
pub mod audit;
pub mod batch;
mod batch_docs;
pub mod cert;
pub mod customer;
pub mod db;
pub mod devices;
pub mod erase;
pub mod grade;
mod grade_ask;
pub mod intake;
pub mod label;
pub mod lock;
pub mod marketplace;
pub mod operator;
pub mod photo;
pub mod policy;
pub mod qa;
pub mod settings;
pub mod ship;
pub mod sim;
pub mod site;
pub mod station;
pub mod usb;

use refurbdesk_domain::Lang;

/// French when the environment's language is French, English otherwise.
pub(crate) fn lang_from_environment() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .filter(|value| value.starts_with("fr"))
        .map_or(Lang::En, |_| Lang::Fr)
}

/// The environment variable a script sets to give the acting operator's PIN.
pub(crate) const PIN_ENV: &str = "REFURBDESK_PIN";

/// The workstation for a command that records on what the database already holds (a grade, a
/// certificate, a lock confirmation), open as the operator the command line names, with their
/// PIN checked when they have one: from `REFURBDESK_PIN`, else asked on the terminal (without
/// echo). Without either, the command is refused before it does anything. A missing database
/// is "not found": such a command never creates one.
pub(crate) fn acting(
    paths: &refurbdesk_app::DataPaths,
    global: &crate::GlobalArgs,
) -> Result<refurbdesk_app::Workstation, crate::exit::Failure> {
    let mut ws =
        refurbdesk_app::Workstation::open_existing(paths.clone(), global.operator.clone())?;
    unlock(&mut ws)?;
    Ok(ws)
}

/// As [`acting`], for a command that creates data from nothing (an intake, a station run, an
/// erasure, a destruction, an operator, a setting): it creates the database when there is none,
/// and says so on stderr.
pub(crate) fn acting_creating(
    paths: &refurbdesk_app::DataPaths,
    global: &crate::GlobalArgs,
) -> Result<refurbdesk_app::Workstation, crate::exit::Failure> {
    let (mut ws, created) =
        refurbdesk_app::Workstation::open_or_create(paths.clone(), global.operator.clone())?;
    if created {
        eprintln!(
            "refurbdesk: created a new database at {}",
            paths.database.display()
        );
    }
    unlock(&mut ws)?;
    Ok(ws)
}

/// Gives the acting operator's PIN to `ws`, if they have one it has not checked.
pub(crate) fn unlock(ws: &mut refurbdesk_app::Workstation) -> Result<(), crate::exit::Failure> {
    use refurbdesk_app::session::{self, LoginParams};
    let Some(name) = session::pin_needed(ws)? else {
        return Ok(());
    };
    let pin = read_pin(&name)?;
    session::login(
        ws,
        LoginParams {
            name,
            pin: Some(pin),
            lang: Some(lang_from_environment()),
        },
    )?;
    Ok(())
}

/// The PIN of operator `name`: from `REFURBDESK_PIN`, else asked on the terminal without echo;
/// refused when standard input is not a terminal and the variable is not set.
pub(crate) fn read_pin(name: &str) -> Result<String, crate::exit::Failure> {
    match std::env::var(PIN_ENV) {
        Ok(pin) => Ok(pin),
        Err(_) if std::io::IsTerminal::is_terminal(&std::io::stdin()) => {
            Ok(rpassword::prompt_password(format!("PIN for {name}: "))?)
        }
        Err(_) => Err(refurbdesk_app::Error::refused(format!(
            "operator {name:?} has a PIN; this command records under their name, so it needs \
             the PIN, and standard input is not a terminal to ask for it and {PIN_ENV} is not set"
        ))
        .into()),
    }
}

/// A new PIN, typed twice: asked on the terminal without echo, or read as two lines from
/// standard input when it is not a terminal.
pub(crate) fn read_new_pin(name: &str) -> Result<(String, String), crate::exit::Failure> {
    use std::io::BufRead;
    if std::io::IsTerminal::is_terminal(&std::io::stdin()) {
        let pin = rpassword::prompt_password(format!("new PIN for {name}: "))?;
        let repeat = rpassword::prompt_password(format!("new PIN for {name}, again: "))?;
        return Ok((pin, repeat));
    }
    let mut lines = std::io::stdin().lock().lines();
    let mut next = || -> Result<String, crate::exit::Failure> {
        match lines.next() {
            Some(line) => Ok(line?.trim_end_matches('\r').to_owned()),
            None => Err(refurbdesk_app::Error::usage(
                "standard input ended before the PIN was given twice: give it on two lines",
            )
            .into()),
        }
    };
    let pin = next()?;
    let repeat = next()?;
    Ok((pin, repeat))
}
