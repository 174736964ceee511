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
        .invoke_handler(tauri::generate_handler![
            commands::station_info,
            commands::station_history,
            commands::start_simulated_station,
            commands::stop_station,
            commands::documents_issue,
            commands::documents_report,
            commands::documents_destroy,
            commands::documents_verify,
            commands::documents_void,
            commands::documents_list,
            commands::documents_export,
            commands::documents_keys,
            commands::documents_rotate_key,
            commands::documents_export_key,
            commands::grade_open_questions,
            commands::grade_record,
            commands::policy_check,
            commands::erase_drive,
            commands::erase_bench,
            commands::erase_manual_plan,
            commands::erase_manual_answer,
            commands::erase_list,
            commands::erase_cancel,
            commands::settings_list,
            commands::settings_get,
            commands::settings_set,
            commands::operators_list,
            commands::operators_add,
            commands::operators_disable,
            commands::operators_enable,
            commands::devices_list,
            commands::devices_show,
            commands::qa_draw,
            commands::qa_list,
            commands::qa_verify,
            commands::audit_verify,
            commands::db_check,
            commands::db_backup,
            commands::db_restore,
            commands::intake_run,
            commands::label_print,
            commands::documents_export_cancel,
            commands::stats_dashboard,
            commands::serial_ports,
            commands::session_status,
            commands::session_login,
            commands::session_create_first_admin,
            commands::session_info,
            commands::session_lock,
            commands::session_set_pin,
            commands::lock_confirm,
            commands::lock_history,
            commands::documents_open,
            commands::photos_add,
            commands::photos_list,
            commands::photos_read,
        ])
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
