//! The Refurbdesk desktop window: a thin Tauri shell. It exposes engine use cases as typed commands
//! and forwards engine progress as events; no domain rule lives here.

mod calls;
mod commands;
mod station;

use refurbdesk_app::station::StationParams;
use refurbdesk_app::DataPaths;
use tauri::Manager;

/// Starts the desktop app. Data goes where `REFURBDESK_DB` says, else to the user's data directory.
pub fn run() {
    // First, while this is the only thread: WebKit reads it as the window opens.
    #[cfg(target_os = "linux")]
    software_rendering_without_gpu();
    #[cfg(target_os = "linux")]
    fewer_malloc_arenas();
    #[cfg(target_os = "linux")]
    compact_javascript_heap();
    refurbdesk_app::use_desktop_page_cache();
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
        .on_page_load(|_webview, payload| {
            #[cfg(target_os = "linux")]
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                // The page's assets were decompressed and served: hand that memory back now.
                trim_freed_memory();
            }
            #[cfg(not(target_os = "linux"))]
            let _ = payload;
        })
        .setup(move |app| {
            #[cfg(target_os = "linux")]
            webkit_memory(app);
            #[cfg(target_os = "linux")]
            keep_returning_freed_memory();
            // Off the main thread: opening the database (and migrating it) and starting the
            // benches run while the window and its page load, instead of before. Without
            // `--simulate`, the station starts on the benches the settings name, if any; else
            // the station screen offers to start one.
            let app = app.handle().clone();
            std::thread::spawn(move || {
                let params = if simulate {
                    Ok(StationParams::simulated())
                } else {
                    let paths = app.state::<DataPaths>();
                    StationParams::for_window(&paths, false)
                };
                let started = match params {
                    Ok(params) if simulate || !params.ports.is_empty() => {
                        station::start(&app, params).map(|_| ())
                    }
                    Ok(_) => Ok(()),
                    Err(error) => Err(error.for_window()),
                };
                if let Err(error) = started {
                    tracing::error!(error = %error.message, "the station did not start");
                }
            });
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

/// glibc gives each thread that allocates under contention an arena of its own (up to eight per
/// core) and keeps what those arenas freed: under the station's load the app's many threads (tokio,
/// the benches, SQLite) held memory that no tile needed. Two arenas are plenty for a desktop app.
/// `MALLOC_ARENA_MAX`, set before WebKit starts its processes, gives them the same limit (glibc reads
/// it as a process starts; this process is already running, so it is told through `mallopt`). A value
/// already in the environment is kept. Figures in docs/performance.md ("Desktop window").
///
/// And glibc's thresholds are fixed at 128 KiB (`MALLOC_MMAP_THRESHOLD_`, `MALLOC_TRIM_THRESHOLD_`):
/// by default each large block freed raises them, up to 32 MiB for mapping and twice that for
/// trimming, so a heap kept what a burst of tile changes had freed. Fixed, a freed large block goes
/// back to the system at once and the heap's free top is trimmed past 128 KiB. Under the 64-slot
/// load the three processes held 232–236 MiB instead of 234–241 (five alternating pairs of runs;
/// the web process most of the difference), key → painted p95 within the machine's noise.
#[cfg(target_os = "linux")]
fn fewer_malloc_arenas() {
    /// A setting from the environment if it is there, else `default`, set there for WebKit's
    /// processes; then told to this process's allocator, which read the environment before.
    fn setting(name: &str, default: i32, option: libc::c_int) {
        let value = match std::env::var(name)
            .ok()
            .and_then(|value| value.parse::<i32>().ok())
        {
            Some(value) => value,
            None => {
                std::env::set_var(name, default.to_string());
                default
            }
        };
        // SAFETY: mallopt only adjusts glibc's allocator settings; it is called while this is
        // the only thread, before any other starts allocating.
        unsafe {
            libc::mallopt(option, value);
        }
    }
    setting("MALLOC_ARENA_MAX", 2, libc::M_ARENA_MAX);
    setting("MALLOC_MMAP_THRESHOLD_", 128 * 1024, libc::M_MMAP_THRESHOLD);
    setting("MALLOC_TRIM_THRESHOLD_", 128 * 1024, libc::M_TRIM_THRESHOLD);
}

/// How often the app hands the memory its threads have freed back to the system.
#[cfg(target_os = "linux")]
const TRIM_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5);

/// glibc keeps what the app frees inside its heaps for the next allocation, and gives back only a
/// heap's free top. After the window's start (the page's assets decompressed and served, the
/// database opened and migrated, the first benches read) that left about 2 MiB the app never used
/// again (docs/performance.md, "Desktop window"). `malloc_trim` returns every free page of every
/// heap, walking the free lists only (the live data stays where it is).
#[cfg(target_os = "linux")]
fn trim_freed_memory() {
    // SAFETY: malloc_trim takes glibc's own arena locks and releases only free pages.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(target_os = "linux")]
fn keep_returning_freed_memory() {
    let spawned = std::thread::Builder::new()
        .name("memory-trim".into())
        .spawn(|| loop {
            std::thread::sleep(TRIM_INTERVAL);
            trim_freed_memory();
        });
    if let Err(error) = spawned {
        tracing::warn!(%error, "freed memory will not be handed back to the system");
    }
}

/// JavaScriptCore's "mini VM" mode for the web process (read from the environment WebKit passes on
/// to it): the JavaScript heap grows by a smaller factor before each collection. The station screen
/// makes a new benches array for every batch, and with the default heuristics (sized for a browser
/// on a 24 GiB machine) the web process held about 100 MiB of anonymous memory after 25 s of the
/// 64-slot load; with this, about 70 MiB (docs/performance.md, "Desktop window").
///
/// JavaScriptCore's JIT compilers are off too (`JSC_useJIT=false`): the page runs in the
/// interpreter. The window's script is a small React app that updates tiles, not a long
/// computation; under the 64-slot load the key → paint latency stayed within the machine's noise
/// (p95 58–81 ms against 54–91 ms with the JIT, five alternating pairs of runs) with 3 % fewer tile
/// changes shown a second,
/// while the JIT's code and compilers took 10 MiB after a cold start and 0–20 MiB under the load
/// (docs/performance.md, "Desktop window").
///
/// And the heap collects after every 4 MiB allocated (`JSC_largeHeapSize`; the default is 32 MiB,
/// sized for web pages): the page's live data is about 5 MiB, and under the 64-slot load its
/// garbage, not its data, was what the heap's size followed. With it the web process held 47–56
/// MiB of anonymous memory under the load instead of 67–74, with no latency cost (docs/performance.md).
/// Each variable already in the environment is kept.
#[cfg(target_os = "linux")]
fn compact_javascript_heap() {
    for (name, value) in [
        ("JSC_forceMiniVMMode", "true"),
        ("JSC_useJIT", "false"),
        ("JSC_largeHeapSize", "4194304"),
    ] {
        if std::env::var_os(name).is_none() {
            std::env::set_var(name, value);
        }
    }
}

/// WebKit's caches sized for a single-page app: `DocumentViewer` keeps no back/forward pages and the
/// smallest memory cache (the window loads its page once, from the binary), instead of the web
/// browser's model that wry's context starts with.
#[cfg(target_os = "linux")]
fn webkit_memory(app: &tauri::App) {
    use tauri::Manager;
    use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
    for window in app.webview_windows().into_values() {
        let _ = window.with_webview(|webview| {
            if let Some(context) = webview.inner().context() {
                context.set_cache_model(CacheModel::DocumentViewer);
            }
        });
    }
}
