//! Crash safety on real processes: a writer killed with SIGKILL at random
//! moments, a hundred times on the same file, never leaves a damaged file, a
//! broken audit chain, a half-recorded intake or a lost acknowledged write;
//! and two writer processes on one file (the desktop app and the CLI) lose
//! nothing.

#[path = "../../support/synthetic.rs"]
mod synthetic;

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use refurbdesk_store::{AuditReport, Store};
use synthetic::{parse_counts_line, Rng};
use uuid::Uuid;

const WRITER: &str = env!("CARGO_BIN_EXE_store-crash-writer");
const KILLS: usize = 100;

/// What a writer said it had committed.
#[derive(Debug, Default)]
struct Acknowledged {
    /// Intake id → (test results, evidence lines).
    intakes: HashMap<Uuid, (usize, usize)>,
    operators: HashSet<String>,
}

impl Acknowledged {
    /// Takes in one complete stdout line of the writer.
    fn take(&mut self, line: &str) {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["intake", id, tests, evidence] => {
                let count = |word: &str, key: &str| -> usize {
                    word.strip_prefix(key)
                        .and_then(|n| n.parse().ok())
                        .unwrap_or_else(|| panic!("bad writer line {line:?}"))
                };
                let id = Uuid::parse_str(id).unwrap_or_else(|_| panic!("bad id in {line:?}"));
                self.intakes
                    .insert(id, (count(tests, "tests="), count(evidence, "evidence=")));
            }
            ["operator", name, _change] => {
                self.operators.insert((*name).to_owned());
            }
            _ => panic!("the writer printed an unexpected line: {line:?}"),
        }
    }
}

/// Starts a writer; its complete stdout lines arrive on the receiver, which
/// closes when the writer's stdout does.
fn spawn_writer(db: &Path, seed: u64, tag: &str, steps: Option<u64>) -> (Child, Receiver<String>) {
    let mut command = Command::new(WRITER);
    command
        .arg(db)
        .arg(seed.to_string())
        .arg(tag)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(steps) = steps {
        command.arg(steps.to_string());
    }
    let mut child = command.spawn().expect("the crash writer starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let (send, receive) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        // A line cut short by the kill has no newline: it was never fully
        // acknowledged, so it is dropped.
        while reader.read_line(&mut line).is_ok_and(|read| read > 0) {
            if line.ends_with('\n') && send.send(line.trim_end().to_owned()).is_err() {
                break;
            }
            line.clear();
        }
    });
    (child, receive)
}

fn integrity(path: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open(path).expect("raw connection opens");
    let mut statement = conn.prepare("PRAGMA integrity_check").expect("prepare");
    let lines = statement
        .query_map([], |row| row.get::<_, String>(0))
        .expect("integrity_check runs");
    lines.collect::<Result<_, _>>().expect("integrity rows")
}

/// Checks one intake read back through the store against the counts it
/// carries in its first evidence line (and, if acknowledged, against what
/// the writer said it wrote).
fn assert_complete(store: &Store, id: Uuid, acknowledged: Option<(usize, usize)>, when: &str) {
    let intake = store
        .intake(id)
        .expect("intake reads")
        .unwrap_or_else(|| panic!("{when}: acknowledged intake {id} is missing"));
    let first = intake
        .evidence
        .first()
        .unwrap_or_else(|| panic!("{when}: intake {id} has no evidence lines at all"));
    let written = parse_counts_line(&first.line)
        .unwrap_or_else(|| panic!("{when}: intake {id} starts with {:?}", first.line));
    assert_eq!(
        (intake.tests.len(), intake.evidence.len()),
        written,
        "{when}: intake {id} is incomplete"
    );
    if let Some(acknowledged) = acknowledged {
        assert_eq!(written, acknowledged, "{when}: intake {id}");
    }
}

/// Everything that must hold after a writer died, whatever it was doing.
/// Intakes already checked in earlier rounds (rowid up to `checked_rowid`)
/// are covered by the audit chain and the final record check.
fn assert_sound(db: &Path, acknowledged: &Acknowledged, checked_rowid: &mut i64, when: &str) {
    assert_eq!(integrity(db), ["ok"], "{when}: integrity_check");
    let store = Store::open(db).unwrap_or_else(|error| panic!("{when}: store opens: {error}"));
    let report = store.verify_audit().expect("audit verifies");
    assert!(report.is_intact(), "{when}: {report}");

    let raw = rusqlite::Connection::open(db).expect("raw connection");
    let new: Vec<(i64, String)> = raw
        .prepare("SELECT rowid, id FROM intakes WHERE rowid > ?1 ORDER BY rowid")
        .expect("prepare")
        .query_map([*checked_rowid], |row| Ok((row.get(0)?, row.get(1)?)))
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows");
    for (rowid, id) in new {
        let id = Uuid::parse_str(&id).expect("stored id");
        assert_complete(&store, id, acknowledged.intakes.get(&id).copied(), when);
        *checked_rowid = rowid;
    }
    for (&id, &counts) in &acknowledged.intakes {
        assert_complete(&store, id, Some(counts), when);
    }

    let (intakes, audited): (i64, i64) = raw
        .query_row(
            "SELECT (SELECT COUNT(*) FROM intakes),
                    (SELECT COUNT(*) FROM audit_log WHERE action = 'intake.recorded')",
            [],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .expect("counts");
    assert_eq!(intakes, audited, "{when}: every intake has its audit entry");
    let names: HashSet<String> = store
        .list_operators()
        .expect("operators")
        .into_iter()
        .map(|operator| operator.name)
        .collect();
    for name in &acknowledged.operators {
        assert!(names.contains(name), "{when}: operator {name} was lost");
    }
}

#[test]
fn a_writer_killed_at_random_moments_leaves_a_sound_database_every_time() {
    let seed = std::env::var("CRASH_SEED")
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(7, |now| now.as_nanos() as u64)
        });
    // Printed so that a failure can be replayed with CRASH_SEED.
    eprintln!("crash test seed: {seed}");
    let mut rng = Rng::new(seed);
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("station.db");
    let mut acknowledged = Acknowledged::default();
    let mut checked_rowid = 0;
    let mut killed_while_writing = 0;

    for round in 1..=KILLS {
        let when = format!("after kill {round} (CRASH_SEED={seed})");
        let (mut child, lines) = spawn_writer(&db, rng.next_u64(), "solo", None);
        if rng.chance(10) {
            // Now and then the kill lands while the file is being opened,
            // created or migrated.
            thread::sleep(Duration::from_millis(rng.below(15)));
        } else {
            let first = lines
                .recv_timeout(Duration::from_secs(30))
                .unwrap_or_else(|_| panic!("{when}: the writer acknowledged nothing in 30 s"));
            acknowledged.take(&first);
            thread::sleep(Duration::from_micros(rng.below(25_000)));
            killed_while_writing += 1;
        }
        if let Some(status) = child.try_wait().expect("writer status") {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
            }
            panic!("{when}: the writer stopped before the kill ({status}): {stderr}");
        }
        child.kill().expect("SIGKILL delivered");
        child.wait().expect("writer reaped");
        for line in lines.iter() {
            acknowledged.take(&line);
        }
        assert_sound(&db, &acknowledged, &mut checked_rowid, &when);
    }

    eprintln!(
        "{KILLS} kills, {killed_while_writing} after the writer had committed something; \
         {} intakes and {} operators acknowledged",
        acknowledged.intakes.len(),
        acknowledged.operators.len()
    );
    assert!(killed_while_writing >= KILLS / 2, "{killed_while_writing}");
    assert!(
        acknowledged.intakes.len() >= KILLS,
        "only {} intakes were acknowledged over {KILLS} runs",
        acknowledged.intakes.len()
    );
    let store = Store::open(&db).expect("store opens");
    let report = store.check().expect("check runs");
    assert!(report.is_ok(), "CRASH_SEED={seed}: {report:?}");
}

#[test]
fn two_writer_processes_on_one_file_lose_no_writes() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let db = dir.path().join("station.db");
    // Created first, as the app and the CLI would find it.
    drop(Store::open(&db).expect("store opens"));

    let writers: Vec<_> = [("app", 11_u64), ("cli", 23)]
        .into_iter()
        .map(|(tag, seed)| spawn_writer(&db, seed, tag, Some(150)))
        .collect();
    let mut acknowledged = Acknowledged::default();
    for (child, lines) in writers {
        for line in lines.iter() {
            acknowledged.take(&line);
        }
        let output = child.wait_with_output().expect("writer finished");
        assert!(
            output.status.success(),
            "a writer failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    let mut checked_rowid = 0;
    assert_sound(&db, &acknowledged, &mut checked_rowid, "two writers");
    let store = Store::open(&db).expect("store opens");
    let raw = rusqlite::Connection::open(&db).expect("raw connection");
    let intakes: i64 = raw
        .query_row("SELECT COUNT(*) FROM intakes", [], |row| row.get(0))
        .expect("count");
    assert_eq!(
        intakes as usize,
        acknowledged.intakes.len(),
        "every intake written by either process is there, and nothing else"
    );
    assert!(
        acknowledged.intakes.len() > 200,
        "{}",
        acknowledged.intakes.len()
    );
    for tag in ["app", "cli"] {
        assert!(
            acknowledged
                .operators
                .iter()
                .any(|name| name.starts_with(&format!("tech-{tag}-"))),
            "writer {tag} added no operator"
        );
    }
    let entries = match store.verify_audit().expect("verify") {
        AuditReport::Intact { entries } => entries,
        broken => panic!("{broken}"),
    };
    assert!(entries as usize > intakes as usize);
    assert!(store.check().expect("check").is_ok());
}
