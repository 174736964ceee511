//! One module per subcommand; each returns `Result<(), Failure>` and prints its own output.

pub mod audit;
pub mod cert;
pub mod db;
pub mod devices;
pub mod erase;
pub mod grade;
mod grade_ask;
pub mod intake;
pub mod operator;
pub mod policy;
pub mod settings;
pub mod sim;
pub mod station;

use refurbdesk_app::DataPaths;
use refurbdesk_bench::{ErrorCode, LinkError};
use refurbdesk_domain::Lang;
use refurbdesk_store::{Actor, Store, StoreError};

use crate::exit::{Exit, Failure};
use crate::GlobalArgs;

/// Opens the store and resolves who is acting, with the exit codes every command shares.
pub fn open_workstation(global: &GlobalArgs, paths: &DataPaths) -> Result<(Store, Actor), Failure> {
    let store = refurbdesk_app::open_store(paths).map_err(store_failure)?;
    let actor = store
        .resolve_actor(global.operator.as_deref(), &refurbdesk_app::os_user())
        .map_err(store_failure)?;
    Ok((store, actor))
}

/// Opens the workstation's database for a command that only reads or checks it: a missing file
/// is "not found" (4), never silently created as a new, empty station.
pub fn open_existing(paths: &DataPaths) -> Result<Store, Failure> {
    if !paths.database.exists() {
        return Err(Failure::new(
            Exit::NotFound,
            anyhow::anyhow!(
                "there is no database at {}; pass --db FILE (or set REFURBDESK_DB) to name the \
                 station's database",
                paths.database.display()
            ),
        ));
    }
    refurbdesk_app::open_store(paths).map_err(store_failure)
}

/// The battery policy of the sales channel named on the line, or the station's.
pub fn channel_policy(
    store: &Store,
    named: Option<&str>,
) -> Result<refurbdesk_domain::BatteryPolicy, Failure> {
    use refurbdesk_app::channels::{sales_channel, ChannelError};
    sales_channel(store, named)
        .map(|channel| channel.battery)
        .map_err(|error| match error {
            ChannelError::Store(store) => store_failure(store),
            ChannelError::Unknown(_) => Failure::new(Exit::Usage, error),
            ChannelError::Invalid { .. } => Failure::new(Exit::Data, error),
        })
}

pub fn store_failure(error: StoreError) -> Failure {
    let exit = match error {
        StoreError::NotAllowed { .. }
        | StoreError::UnknownOperator { .. }
        | StoreError::DisabledOperator { .. } => Exit::Refused,
        _ => Exit::Data,
    };
    Failure::new(exit, error)
}

fn link_failure_ref(link: &LinkError, message: String) -> Failure {
    let exit = match link {
        LinkError::Bench {
            code: ErrorCode::Empty,
            ..
        } => Exit::NotFound,
        LinkError::Bench {
            code: ErrorCode::NoSlot | ErrorCode::BadArgs,
            ..
        }
        | LinkError::InvalidRequest(_) => Exit::Usage,
        _ => Exit::BenchUnreachable,
    };
    Failure::new(exit, anyhow::anyhow!(message))
}

pub fn link_failure(error: LinkError) -> Failure {
    let message = error.to_string();
    link_failure_ref(&error, message)
}

/// French when the environment's language is French, English otherwise.
pub(crate) fn lang_from_environment() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok())
        .find(|value| !value.is_empty())
        .filter(|value| value.starts_with("fr"))
        .map_or(Lang::En, |_| Lang::Fr)
}
