//! Logging to stderr and to a rotating file in the data directory.

use std::path::Path;

use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{fmt, EnvFilter, Layer};

/// How many daily log files are kept before the oldest is deleted.
const KEPT_LOG_FILES: usize = 14;

/// How many log lines may wait for the file writer's thread. The library's default is 128,000, and
/// its queue is allocated and written in full up front: 4 MiB resident in every process, where the
/// desktop window's whole memory target is 250 MB. Lines are written as they come, so a few
/// thousand cover any burst; past that, lines are dropped rather than the caller made to wait (as
/// with the default).
const LOG_LINES_IN_FLIGHT: usize = 4096;

/// Keeps the file writer alive; logs written after it is dropped are lost, so hold it for the program's life.
pub struct LogGuard {
    _file: Option<WorkerGuard>,
}

/// Colour codes only for a person at a terminal: never into a file, a pipe or a CI log, and
/// never when `NO_COLOR` is set to anything (https://no-color.org).
pub fn colour_on_stderr() -> bool {
    use std::io::IsTerminal;
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|value| !value.is_empty());
    !no_color && std::io::stderr().is_terminal()
}

/// Sets up logging once per process. `REFURBDESK_LOG` (or `RUST_LOG`) chooses the level, `stderr_default`
/// applies when neither is set. The file always gets `info` and above, because a support case needs it
/// after the fact. A log directory that cannot be opened only costs the file, never the program.
pub fn init(log_dir: &Path, file_prefix: &str, stderr_default: &str) -> LogGuard {
    let stderr_filter = std::env::var("REFURBDESK_LOG")
        .or_else(|_| std::env::var("RUST_LOG"))
        .ok()
        .and_then(|spec| EnvFilter::try_new(spec).ok())
        .unwrap_or_else(|| EnvFilter::new(stderr_default));
    let stderr_layer = fmt::layer()
        .with_writer(std::io::stderr)
        .with_ansi(colour_on_stderr())
        .with_target(false)
        .with_filter(stderr_filter);

    let file = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(file_prefix)
        .filename_suffix("log")
        .max_log_files(KEPT_LOG_FILES)
        .build(log_dir)
        .ok();
    let (file_layer, guard) = match file {
        Some(appender) => {
            let (writer, guard) = NonBlockingBuilder::default()
                .buffered_lines_limit(LOG_LINES_IN_FLIGHT)
                .finish(appender);
            let layer = fmt::layer()
                .with_ansi(false)
                .with_writer(writer)
                .with_filter(EnvFilter::new("info"));
            (Some(layer), Some(guard))
        }
        None => (None, None),
    };

    // A second init in the same process (tests) keeps the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(stderr_layer)
        .with(file_layer)
        .try_init();
    LogGuard { _file: guard }
}
