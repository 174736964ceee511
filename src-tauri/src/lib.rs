//! The Refurbdesk desktop window: a thin Tauri shell. It exposes engine use cases as typed commands
//! and forwards engine progress as events; no domain rule lives here.

mod calls;
mod commands;
mod station;

use refurbdesk_app::station::StationParams;
use refurbdesk_app::DataPaths;

/// Starts the desktop app. Data goes where `REFURBDESK_DB` says, else to the user's data directory.
pub fn run() {
    // First, while this is the only thread: WebKit reads it as the window opens.
    #[cfg(target_os = "linux")]
    software_rendering_without_gpu();
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
                // Off the main thread: opening the database (and migrating it) and starting the
                // benches run while the window and its page load, instead of before.
                let app = app.handle().clone();
                std::thread::spawn(move || {
                    if let Err(error) = station::start(&app, StationParams::simulated()) {
                        tracing::error!(error = %error.message, "simulated station did not start");
                    }
                });
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

/// Without a GPU, WebKitGTK's accelerated compositing renders every frame through Mesa's software
/// rasteriser (llvmpipe), which costs the frames: under the benchmark's 64-slot load the page got
/// 1.4 frames a second with it and 9.9 without (docs/performance.md, "Desktop window"). So where
/// the machine has no GPU render node, compositing is turned off. A `WEBKIT_DISABLE_COMPOSITING_MODE`
/// already set is left as it is; `REFURBDESK_COMPOSITING=on` keeps compositing on regardless.
#[cfg(target_os = "linux")]
fn software_rendering_without_gpu() {
    const WEBKIT: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if std::env::var_os(WEBKIT).is_some()
        || std::env::var("REFURBDESK_COMPOSITING").is_ok_and(|value| value == "on")
    {
        return;
    }
    let has_gpu = std::fs::read_dir("/dev/dri")
        .map(|entries| {
            entries
                .flatten()
                .any(|entry| entry.file_name().to_string_lossy().starts_with("renderD"))
        })
        .unwrap_or(false);
    if !has_gpu {
        std::env::set_var(WEBKIT, "1");
    }
}
