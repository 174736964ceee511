//! Opening the database: connection settings, schema migrations with a
//! backup before any upgrade, the station row, and the write transaction
//! that every change goes through.

use std::path::{Path, PathBuf};
use std::thread;
use std::time::Duration;

use chrono::Utc;
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};
use rusqlite_migration::{Migrations, M};
use uuid::Uuid;

use crate::audit::{self, AuditWrite, Entity};
use crate::checkpoint::{pages_written, Checkpointer};
use crate::codec::{id_text, parse_uuid, timestamp};
use crate::error::StoreError;
use crate::maintenance::backup_connection;

/// The schema migrations, oldest first; the schema version is the number
/// applied. Never edit one that has shipped: add a new one.
pub(crate) const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/0001_initial.sql"),
    include_str!("../migrations/0002_grades.sql"),
    include_str!("../migrations/0003_erasures.sql"),
    include_str!("../migrations/0004_scale.sql"),
    include_str!("../migrations/0005_device_erasures.sql"),
    include_str!("../migrations/0006_certificates.sql"),
    include_str!("../migrations/0007_compact_intakes.sql"),
    include_str!("../migrations/0008_one_serial_index.sql"),
    include_str!("../migrations/0009_verification_sampling.sql"),
    include_str!("../migrations/0010_operator_pins.sql"),
    include_str!("../migrations/0011_photos.sql"),
    include_str!("../migrations/0012_overrides_replacements.sql"),
    include_str!("../migrations/0013_batches.sql"),
    include_str!("../migrations/0014_batch_audit.sql"),
    include_str!("../migrations/0015_outbox.sql"),
    include_str!("../migrations/0016_batch_reports.sql"),
    include_str!("../migrations/0017_marketplace_stock.sql"),
    include_str!("../migrations/0018_site_attachment.sql"),
    include_str!("../migrations/0019_shipments.sql"),
];

/// The newest schema version this build can read and write.
pub const SCHEMA_VERSION: u32 = MIGRATIONS.len() as u32;

/// SQLite waits this long for a lock before reporting the database busy.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// SQLite's page cache per connection, in KiB. It fills only as pages are
/// read, so a station with a small file never uses it all. At a million
/// devices the indexes that recording probes at random places (IMEI,
/// serial, each device's latest intake, the device rows) are about 500 MiB;
/// with 64 MiB most probes were a read from the OS, and recording ran at
/// 8,400-8,900 intakes/s against about 10,100 with 256 MiB
/// (`docs/performance.md`).
pub const DEFAULT_PAGE_CACHE_KIB: i64 = 256 * 1024;

/// The page cache of connections opened from now on, in KiB ([`set_page_cache_kib`]).
static PAGE_CACHE_KIB: std::sync::atomic::AtomicI64 =
    std::sync::atomic::AtomicI64::new(DEFAULT_PAGE_CACHE_KIB);

/// Sets the SQLite page cache of every connection this process opens from now on, in KiB
/// (at least 2 MiB, SQLite's own default). The default, [`DEFAULT_PAGE_CACHE_KIB`], is sized for
/// recording at a million devices; a process that records a few intakes a minute and must stay
/// small all day (the desktop window) takes less, since the cache keeps every page it reads
/// until the connection closes.
pub fn set_page_cache_kib(kib: i64) {
    PAGE_CACHE_KIB.store(kib.max(2 * 1024), std::sync::atomic::Ordering::Relaxed);
}

/// The page cache connections are opened with, in KiB.
pub fn page_cache_kib() -> i64 {
    PAGE_CACHE_KIB.load(std::sync::atomic::Ordering::Relaxed)
}
/// Bytes per database page, for new files. An intake row is 2 to 3 kB (its
/// JSON, test results and evidence lines): with SQLite's default of 4096 a
/// page holds one and a third of it is empty, and recording writes a page
/// per intake; 8192 holds three.
const PAGE_SIZE: i64 = 8192;
/// Pages the write-ahead log may hold before the committing connection
/// copies it into the database itself (256 MiB at 8 KiB a page). Each
/// store's checkpointer thread normally does it long before
/// (`checkpoint.rs`); this bounds the log if that thread cannot keep up.
const WAL_AUTOCHECKPOINT_PAGES: i64 = 32_000;
/// The log file is cut back to this size after a checkpoint empties it, so
/// an import does not leave hundreds of megabytes behind.
const WAL_SIZE_LIMIT_BYTES: i64 = 64 << 20;
/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 64;

/// Attempts at a write transaction before giving up with [`StoreError::Busy`];
/// each attempt already waited out [`BUSY_TIMEOUT`].
const WRITE_ATTEMPTS: u32 = 4;
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
/// Opening retries for longer than a write (about six seconds in all): a
/// program that cannot open its database cannot do anything else.
const OPEN_ATTEMPTS: u32 = 8;

/// Intakes recorded through one connection between two checks of the
/// planner statistics. The check itself costs well under a millisecond; it
/// analyses only tables that grew or shrank tenfold.
const OPTIMIZE_EVERY_INTAKES: usize = 1_000;

/// Audit log name for writes the store makes on its own behalf.
pub(crate) const SYSTEM_OPERATOR: &str = "system";

/// How hard SQLite works to keep a committed write through a power cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Durability {
    /// `synchronous=NORMAL`: in WAL mode a crash cannot corrupt the database,
    /// but a power cut may lose the last commits.
    Normal,
    /// `synchronous=FULL`: each commit is on disk before it returns. For
    /// erasure and certificate records, which must never be lost.
    Full,
}

impl Durability {
    fn pragma_value(self) -> &'static str {
        match self {
            Durability::Normal => "NORMAL",
            Durability::Full => "FULL",
        }
    }
}

/// The station's database. One per open connection; several may be open on
/// the same file at once (the desktop app and the CLI), from any threads.
pub struct Store {
    pub(crate) conn: Connection,
    pub(crate) path: PathBuf,
    pub(crate) station_id: Uuid,
    durability: Durability,
    /// Intakes recorded through this connection since its query planner
    /// statistics were last brought up to date.
    intakes_since_optimize: usize,
    /// Copies the log into the database off this connection's thread.
    checkpointer: Checkpointer,
    /// `pages_written` after the last commit.
    pages_written: i32,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.path)
            .field("station_id", &self.station_id)
            .field("durability", &self.durability)
            .finish()
    }
}

impl Store {
    /// Opens the database at `path`, creating it if missing and upgrading
    /// its schema if it is older than this build (after copying it to
    /// `<file>.before-v<N>.bak`, N being the version upgraded to).
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        Self::open_with_migrations(path, MIGRATIONS)
    }

    /// Some steps of opening a file another program is creating at the same
    /// moment (switching it to WAL, its first read) report "busy" at once,
    /// without waiting out the busy timeout; every step is safe to repeat,
    /// so the whole open is tried again after a growing pause.
    pub(crate) fn open_with_migrations(
        path: &Path,
        migrations: &'static [&'static str],
    ) -> Result<Store, StoreError> {
        let mut pause = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            match Self::open_once(path, migrations) {
                Err(error) if error.is_busy() && attempt < OPEN_ATTEMPTS => {
                    tracing::debug!(path = %path.display(), attempt, %error, "database busy while opening, retrying");
                    thread::sleep(pause);
                    pause *= 2;
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    fn open_once(path: &Path, migrations: &'static [&'static str]) -> Result<Store, StoreError> {
        let mut conn = connect(path)?;
        migrate(&mut conn, path, migrations).map_err(|error| name_file(path, "open", error))?;
        // After any migration (new indexes have no statistics yet) and
        // whenever the tables grew or shrank tenfold since they were last
        // analysed.
        optimize(&conn, "open");
        let station_id =
            ensure_station(&mut conn).map_err(|error| name_file(path, "open", error))?;
        let checkpointer = Checkpointer::start(connect(path)?, path)?;
        tracing::debug!(path = %path.display(), station = %station_id, "store opened");
        let mut store = Store {
            conn,
            path: path.to_owned(),
            station_id,
            durability: Durability::Normal,
            intakes_since_optimize: 0,
            checkpointer,
            pages_written: 0,
        };
        // An erasure whose process died must not stay "running" for ever.
        crate::erasures::interrupt_stale_on_open(&mut store);
        Ok(store)
    }

    /// The station this database belongs to, made on first open.
    pub fn station_id(&self) -> Uuid {
        self.station_id
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version recorded in the file.
    /// This connection's SQLite page cache setting as SQLite reports it (negative: KiB).
    pub fn pragma_cache_size(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .pragma_query_value(None, "cache_size", |row| row.get(0))?)
    }

    pub fn schema_version(&self) -> Result<u32, StoreError> {
        Ok(user_version(&self.conn)?)
    }

    /// The durability SQLite is actually using right now.
    pub fn durability(&self) -> Result<Durability, StoreError> {
        let level: i64 = self
            .conn
            .pragma_query_value(None, "synchronous", |row| row.get(0))?;
        // 2 is FULL and 3 is EXTRA; anything lower is at most NORMAL.
        Ok(if level >= 2 {
            Durability::Full
        } else {
            Durability::Normal
        })
    }

    /// Sets the durability for the writes that follow on this `Store`.
    pub fn set_durability(&mut self, durability: Durability) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "synchronous", durability.pragma_value())?;
        self.durability = durability;
        Ok(())
    }

    /// Runs `work` with every commit flushed to disk before it returns, then
    /// goes back to the durability that was in force, even if `work` failed.
    pub fn with_full_durability<T>(
        &mut self,
        work: impl FnOnce(&mut Store) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let previous = self.durability;
        self.set_durability(Durability::Full)?;
        let outcome = work(self);
        let restored = self.set_durability(previous);
        let value = outcome?;
        restored?;
        Ok(value)
    }

    /// Counts intakes just committed, and refreshes the planner statistics
    /// once enough have been recorded that they may be stale: a station left
    /// open for days, or an import of many batches, keeps its list and
    /// lookups on the right indexes.
    pub(crate) fn intakes_written(&mut self, count: usize) {
        self.intakes_since_optimize += count;
        if self.intakes_since_optimize >= OPTIMIZE_EVERY_INTAKES {
            self.intakes_since_optimize = 0;
            optimize(&self.conn, "after intakes");
        }
    }

    /// Runs `work` in one `BEGIN IMMEDIATE` transaction and commits it. If
    /// another connection holds the write lock past the busy timeout, the
    /// whole transaction is retried with growing pauses, so `work` must be
    /// safe to run again.
    pub(crate) fn write<T>(
        &mut self,
        operation: &'static str,
        work: impl FnMut(&Transaction<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let value = write_transaction(&mut self.conn, operation, work)
            .map_err(|error| name_file(&self.path, operation, error))?;
        let written = pages_written(&self.conn);
        self.checkpointer
            .committed(i64::from(written.wrapping_sub(self.pages_written)));
        self.pages_written = written;
        Ok(value)
    }
}

pub(crate) fn write_transaction<T>(
    conn: &mut Connection,
    operation: &'static str,
    mut work: impl FnMut(&Transaction<'_>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut pause = FIRST_BACKOFF;
    for attempt in 1..=WRITE_ATTEMPTS {
        let outcome = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)
            .and_then(|tx| {
                let value = work(&tx)?;
                tx.commit()?;
                Ok(value)
            });
        match outcome {
            Err(error) if error.is_busy() && attempt < WRITE_ATTEMPTS => {
                tracing::warn!(operation, attempt, "database busy, retrying");
                thread::sleep(pause);
                pause *= 2;
            }
            Err(error) if error.is_busy() => {
                return Err(StoreError::Busy {
                    operation,
                    attempts: WRITE_ATTEMPTS,
                })
            }
            other => return other,
        }
    }
    Err(StoreError::Busy {
        operation,
        attempts: WRITE_ATTEMPTS,
    })
}

/// Opens a connection with the settings every Refurbdesk connection uses.
pub(crate) fn connect(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open(path).map_err(|source| StoreError::Open {
        path: path.to_owned(),
        source,
    })?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // The first real read is where SQLite notices a file is not a database.
    user_version(&conn).map_err(|error| classify_open_error(path, error))?;
    // Only takes effect on a file not yet written; older files keep theirs.
    conn.pragma_update(None, "page_size", PAGE_SIZE)?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
        .map_err(|error| classify_open_error(path, error))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(path = %path.display(), mode, "database did not switch to WAL mode");
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", Durability::Normal.pragma_value())?;
    // SQLite's default 2 MiB page cache no longer holds the indexes a write
    // touches once a station has hundreds of thousands of devices; every
    // miss is then a read from the OS. Negative means KiB.
    conn.pragma_update(None, "cache_size", -page_cache_kib())?;
    // Recording an intake alone uses about twenty distinct statements; the
    // default cache of 16 would prepare some of them again every time.
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
    conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT_BYTES)?;
    Ok(conn)
}

/// Brings SQLite's planner statistics (`sqlite_stat1`) up to date where they
/// are missing or stale: a table with an index never analysed (as after a
/// migration adds one), or one that grew or shrank tenfold since. Without
/// them the planner guesses, and can pick an index that makes the device
/// list walk most of a million intakes. Each table is sampled (SQLite's
/// analysis limit), so this stays in the tens of milliseconds even on a
/// station with millions of intakes. Statistics only steer the planner:
/// failing to refresh them (the database busy for longer than the timeout)
/// is logged, not an error.
pub(crate) fn optimize(conn: &Connection, when: &'static str) {
    // 0x10000: look at every table, not only those this connection queried;
    // 0x10: sample with the analysis limit; 0x2: analyse what needs it.
    if let Err(error) = conn.execute_batch("PRAGMA optimize=0x10012;") {
        tracing::warn!(%error, when, "could not refresh the query planner's statistics");
    }
}

pub(crate) fn classify_open_error(path: &Path, error: rusqlite::Error) -> StoreError {
    match error.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase) => StoreError::NotADatabase {
            path: path.to_owned(),
        },
        Some(rusqlite::ErrorCode::DatabaseCorrupt) => StoreError::Damaged {
            path: path.to_owned(),
            detail: error.to_string(),
        },
        Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly {
            operation: "open the database",
            path: path.to_owned(),
        },
        _ => StoreError::Open {
            path: path.to_owned(),
            source: error,
        },
    }
}

/// An SQLite error that is about the file rather than the work (read-only, damaged) names the
/// file, so the person knows which one to fix.
pub(crate) fn name_file(path: &Path, operation: &'static str, error: StoreError) -> StoreError {
    let StoreError::Sqlite(sqlite) = &error else {
        return error;
    };
    match sqlite.sqlite_error_code() {
        Some(rusqlite::ErrorCode::ReadOnly) => StoreError::ReadOnly {
            operation,
            path: path.to_owned(),
        },
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase) => {
            StoreError::Damaged {
                path: path.to_owned(),
                detail: sqlite.to_string(),
            }
        }
        _ => error,
    }
}

pub(crate) fn user_version(conn: &Connection) -> Result<u32, rusqlite::Error> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

fn migrate(
    conn: &mut Connection,
    path: &Path,
    migrations: &'static [&'static str],
) -> Result<(), StoreError> {
    let known = migrations.len() as u32;
    // Version and tables read in one snapshot, so a migration committed by
    // another program meanwhile is seen whole or not at all.
    let (found, has_tables) = {
        let snapshot = conn.unchecked_transaction()?;
        let found = user_version(&snapshot)?;
        let tables: i64 = snapshot.query_row(
            "SELECT COUNT(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
            [],
            |row| row.get(0),
        )?;
        (found, tables > 0)
    };
    if found > known {
        return Err(StoreError::NewerSchema {
            path: path.to_owned(),
            found,
            known,
        });
    }
    if found == known {
        return Ok(());
    }
    if found == 0 && has_tables {
        return Err(StoreError::ForeignDatabase {
            path: path.to_owned(),
        });
    }

    let backup = if found > 0 {
        let backup = pre_migration_backup_path(path, known);
        backup_connection(conn, &backup)?;
        tracing::info!(from = found, to = known, backup = %backup.display(), "backed up database before upgrading it");
        Some(backup)
    } else {
        None
    };

    let steps = Migrations::new(migrations.iter().map(|sql| M::up(sql)).collect());
    conn.set_transaction_behavior(TransactionBehavior::Immediate);
    let outcome = steps.to_latest(conn);
    conn.set_transaction_behavior(TransactionBehavior::Deferred);
    match outcome {
        Ok(()) => {
            tracing::info!(from = found, to = known, path = %path.display(), "database schema upgraded");
            Ok(())
        }
        // Another program opening the same file may have upgraded it first.
        Err(_) if user_version(conn)? == known => Ok(()),
        Err(error) => Err(StoreError::Migration {
            path: path.to_owned(),
            from: found,
            to: known,
            backup,
            detail: error.to_string(),
        }),
    }
}

pub(crate) fn pre_migration_backup_path(path: &Path, version: u32) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".before-v{version}.bak"));
    PathBuf::from(name)
}

/// The local station's id, creating the row on first open.
fn ensure_station(conn: &mut Connection) -> Result<Uuid, StoreError> {
    let existing = local_station(conn)?;
    if let Some(id) = existing {
        return Ok(id);
    }
    write_transaction(conn, "create the station record", |tx| {
        // Checked again under the write lock: another program may have
        // created it since.
        if let Some(id) = local_station(tx)? {
            return Ok(id);
        }
        let id = Uuid::now_v7();
        tx.execute(
            "INSERT INTO station (id, hostname, created_at, is_local) VALUES (?1, ?2, ?3, 1)",
            rusqlite::params![id_text(id), hostname(), timestamp(Utc::now())],
        )?;
        let after = audit::record_digest(tx, Entity::Station, id)?;
        audit::append(
            tx,
            id,
            AuditWrite {
                operator: SYSTEM_OPERATOR,
                action: "station.created",
                entity: Entity::Station,
                entity_id: id,
                before: None,
                after,
            },
        )?;
        Ok(id)
    })
}

fn local_station(conn: &Connection) -> Result<Option<Uuid>, StoreError> {
    let id: Option<String> = conn
        .query_row("SELECT id FROM station WHERE is_local = 1", [], |row| {
            row.get(0)
        })
        .optional()?;
    id.map(|id| parse_uuid(&id, "station.id")).transpose()
}

/// The machine's name as people know it; "unknown" rather than failing,
/// since it is only a label.
fn hostname() -> String {
    let from_env = ["HOSTNAME", "COMPUTERNAME"]
        .into_iter()
        .filter_map(|name| std::env::var(name).ok());
    let from_files = ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .into_iter()
        .filter_map(|file| std::fs::read_to_string(file).ok());
    from_env
        .chain(from_files)
        .map(|name| name.trim().to_owned())
        .find(|name| !name.is_empty())
        .unwrap_or_else(|| "unknown".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A second schema version, so the upgrade path can be exercised before
    /// a real one exists.
    const WITH_SECOND: &[&str] = &[
        include_str!("../migrations/0001_initial.sql"),
        "ALTER TABLE devices ADD COLUMN colour_note TEXT;",
    ];
    const BROKEN_SECOND: &[&str] = &[
        include_str!("../migrations/0001_initial.sql"),
        "ALTER TABLE devices ADD COLUMN colour_note TEXT; THIS IS NOT SQL;",
    ];

    #[test]
    fn upgrading_an_older_database_backs_it_up_first() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("station.db");
        // Only the first migration, so the file is at v1 whatever the current version.
        let station = Store::open_with_migrations(&path, &MIGRATIONS[..1])
            .expect("opens at v1")
            .station_id();

        let store = Store::open_with_migrations(&path, WITH_SECOND).expect("upgrades to v2");
        assert_eq!(store.schema_version().expect("version"), 2);
        assert_eq!(store.station_id(), station);
        drop(store);

        let backup = dir.path().join("station.db.before-v2.bak");
        assert!(backup.exists(), "backup {} is missing", backup.display());
        let copy = Connection::open(&backup).expect("backup opens");
        assert_eq!(user_version(&copy).expect("version"), 1);
        let has_column: i64 = copy
            .query_row(
                "SELECT COUNT(*) FROM pragma_table_info('devices') WHERE name = 'colour_note'",
                [],
                |row| row.get(0),
            )
            .expect("table info");
        assert_eq!(has_column, 0, "the backup must be the pre-upgrade schema");
        let mode: String = copy
            .query_row("PRAGMA journal_mode", [], |row| row.get(0))
            .expect("journal mode");
        assert_eq!(mode, "delete", "a backup must be one self-contained file");
    }

    #[test]
    fn a_failed_upgrade_leaves_the_database_as_it_was() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("station.db");
        drop(Store::open_with_migrations(&path, &MIGRATIONS[..1]).expect("opens at v1"));

        let error = Store::open_with_migrations(&path, BROKEN_SECOND).expect_err("must fail");
        let message = error.to_string();
        assert!(
            matches!(error, StoreError::Migration { from: 1, to: 2, .. }),
            "{message}"
        );
        assert!(message.contains("station.db.before-v2.bak"), "{message}");

        let store =
            Store::open_with_migrations(&path, &MIGRATIONS[..1]).expect("still opens at v1");
        assert_eq!(store.schema_version().expect("version"), 1);
    }

    #[test]
    fn every_connection_gets_the_same_settings() {
        let dir = tempfile::tempdir().expect("tempdir");
        let conn = connect(&dir.path().join("settings.db")).expect("connects");
        let pragma = |name: &str| -> String {
            conn.query_row(&format!("PRAGMA {name}"), [], |row| {
                row.get::<_, rusqlite::types::Value>(0)
            })
            .map(|value| match value {
                rusqlite::types::Value::Integer(number) => number.to_string(),
                rusqlite::types::Value::Text(text) => text,
                other => format!("{other:?}"),
            })
            .expect("pragma reads")
        };
        assert_eq!(pragma("journal_mode"), "wal");
        assert_eq!(pragma("foreign_keys"), "1");
        assert_eq!(pragma("busy_timeout"), "5000");
        assert_eq!(pragma("synchronous"), "1", "NORMAL is 1");
        assert_eq!(pragma("page_size"), "8192");
        assert_eq!(pragma("wal_autocheckpoint"), "32000");
        assert_eq!(pragma("journal_size_limit"), (64 << 20).to_string());
    }

    #[test]
    fn a_new_database_is_not_backed_up() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("fresh.db");
        drop(Store::open(&path).expect("opens"));
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(Result::ok)
            .filter(|entry| entry.file_name().to_string_lossy().ends_with(".bak"))
            .collect();
        assert!(leftovers.is_empty());
    }
}
