//! The Refurbdesk desktop window: a thin Tauri shell. It exposes engine use cases as typed commands
//! and forwards engine progress as events; no domain rule lives here.

mod calls;
mod commands;
mod station;

use refurbdesk_app::station::StationParams;
use refurbdesk_app::DataPaths;

/// Starts the desktop app. Data goes where `REFURBDESK_DB` says, else to the user's data directory.
pub fn run() {
    let database_override = std::env::var_os("REFURBDESK_DB").map(std::path::PathBuf::from);
    let paths = match DataPaths::resolve(database_override.as_deref()) {
        Ok(paths) => paths,
        Err(error) => {
            eprintln!("refurbdesk-desktop: {error}");
            std::process::exit(8);
        }
    };
    let _ = paths.create_dirs();
    let _log = refurbdesk_app::logging::init(&paths.log_dir, "refurbdesk-desktop", "info");
    tracing::info!(version = refurbdesk_app::VERSION, database = %paths.database.display(), "desktop starting");

    // `--simulate` starts the station on the built-in simulated benches as the window opens.
    let simulate = std::env::args().skip(1).any(|arg| arg == "--simulate");
    let result = tauri::Builder::default()
        // Used from the Rust side only (`documents_open`); the window's capabilities grant none
        // of its commands.
        .plugin(tauri_plugin_opener::init())
        .manage(paths)
        .manage(station::StationState::default())
        .manage(calls::RunningErase::default())
        .manage(commands::RunningExport::default())
        // Every command of build.rs's COMMANDS list (src/commands.rs), and no other.
        .invoke_handler(include!(concat!(env!("OUT_DIR"), "/handlers.rs")))
        .setup(move |app| {
            if simulate {
                if let Err(error) = station::start(app.handle(), StationParams::simulated()) {
                    tracing::error!(error = %error.message, "simulated station did not start");
                }
            }
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(error) = result {
        tracing::error!(%error, "desktop stopped");
        eprintln!(
            "refurbdesk-desktop: the window could not run: {error}. \
             Without a display, use the terminal station: refurbdesk station --simulate"
        );
        std::process::exit(9);
    }
}
