//! One module per subcommand: clap arguments → a parameter struct → a `refurbdesk_app` function →
//! printing. Each returns `Result<(), Failure>`; no command decides anything the window would need.

pub mod audit;
pub mod cert;
pub mod db;
pub mod devices;
pub mod erase;
pub mod grade;
mod grade_ask;
pub mod intake;
pub mod label;
pub mod operator;
pub mod policy;
pub mod qa;
pub mod settings;
pub mod sim;
pub mod station;

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
