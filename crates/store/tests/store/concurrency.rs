use std::collections::HashSet;
use std::sync::{Arc, Barrier};
use std::thread;

use crate::common::{intake_of, phone, TestDb};
use refurbdesk_store::{AuditReport, Store};

const PER_THREAD: usize = 200;

/// A valid-looking IMEI unique to (thread, index); validity does not matter
/// to recognition, only identity does.
fn imei(thread: usize, index: usize) -> String {
    format!("35{thread:03}{index:010}")
}

#[test]
fn two_stores_on_one_file_lose_no_writes() {
    let db = TestDb::new();
    // Created up front so both threads open an existing, migrated file,
    // as the app and the CLI would.
    drop(db.open());
    let start = Arc::new(Barrier::new(2));

    let workers: Vec<_> = (0..2)
        .map(|worker| {
            let path = db.path.clone();
            let start = Arc::clone(&start);
            thread::spawn(move || {
                let mut store = Store::open(&path).expect("store opens");
                start.wait();
                let mut devices = Vec::with_capacity(PER_THREAD);
                for index in 0..PER_THREAD {
                    // Every fifth intake re-tests a device this thread saw
                    // before, so recognition runs under contention too.
                    let number = if index % 5 == 4 { index - 1 } else { index };
                    let identity = phone(Some(&imei(worker, number)), None);
                    let summary = store
                        .record_intake(&intake_of(identity, 2421, index as i64, "ana"))
                        .expect("intake recorded despite the other writer");
                    devices.push(summary.device_id);
                }
                devices
            })
        })
        .collect();
    let devices: Vec<_> = workers
        .into_iter()
        .flat_map(|worker| worker.join().expect("worker finished"))
        .collect();

    let store = db.open();
    let intakes: i64 = db
        .raw()
        .query_row("SELECT COUNT(*) FROM intakes", [], |row| row.get(0))
        .expect("count");
    assert_eq!(intakes, 2 * PER_THREAD as i64);
    let distinct: HashSet<_> = devices.iter().collect();
    assert_eq!(distinct.len(), 2 * (PER_THREAD - PER_THREAD / 5));

    let entries = store.audit_entries(0, 100_000).expect("entries");
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.action == "intake.recorded")
            .count(),
        2 * PER_THREAD
    );
    assert_eq!(
        store.verify_audit().expect("verify"),
        AuditReport::Intact {
            entries: entries.len() as u64
        }
    );
    assert!(store.check().expect("check").is_ok());
}

#[test]
fn a_write_waits_out_a_lock_held_longer_than_the_busy_timeout() {
    let db = TestDb::new();
    let mut store = db.open();
    let holder = db.raw();
    holder
        .execute_batch("BEGIN IMMEDIATE;")
        .expect("lock taken");
    let hold_for = std::time::Duration::from_millis(6_500);
    let started = std::time::Instant::now();
    let release = thread::spawn(move || {
        thread::sleep(hold_for);
        holder.execute_batch("COMMIT;").expect("lock released");
    });

    let summary = store
        .record_intake(&intake_of(phone(Some(&imei(0, 0)), None), 2421, 0, "ana"))
        .expect("the write is retried past the 5 s busy timeout");
    assert!(started.elapsed() >= hold_for, "{:?}", started.elapsed());
    release.join().expect("holder thread");
    assert!(store.intake(summary.intake_id).expect("read").is_some());
}
