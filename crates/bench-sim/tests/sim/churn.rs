//! `[churn]` and the generated benchmark load: devices come and go on the wire, forever, as
//! ordinary `! INSERTED` / `! REMOVED` events a host can read between.

use std::time::Duration;

use crate::common::{start, Host};
use refurbdesk_bench_protocol::Event;
use refurbdesk_bench_sim::{LoadSpec, SimOptions};

const EVENT_TIMEOUT: Duration = Duration::from_secs(5);

#[test]
fn every_slot_of_a_churn_bench_goes_out_and_comes_back_again_and_again() {
    let load: LoadSpec = "8x10".parse().expect("a load");
    let mut scenarios = load.scenarios().expect("the load's benches");
    assert_eq!(scenarios.len(), 1);
    let (_folder, bench) = start(scenarios.remove(0), SimOptions::default());
    let mut host = Host::open(bench.link());
    let hello = host.ok("HELLO");
    assert!(
        hello
            .iter()
            .any(|(key, value)| key == "slots" && value == "8"),
        "{hello:?}"
    );

    // Each slot alternates REMOVED, INSERTED, REMOVED, ... (devices start in place), and the
    // device can be read between its coming and its going.
    let mut seen: Vec<Vec<Event>> = vec![Vec::new(); 8];
    while seen.iter().any(|events| events.len() < 4) {
        let event = host.wait_event(EVENT_TIMEOUT, |event| {
            matches!(event, Event::Inserted { .. } | Event::Removed { .. })
        });
        let slot = match event {
            Event::Inserted { slot } | Event::Removed { slot } => slot,
            _ => unreachable!(),
        };
        seen[usize::from(slot - 1)].push(event);
    }
    for (index, events) in seen.iter().enumerate() {
        let slot = index as u16 + 1;
        for (n, event) in events.iter().enumerate() {
            let expected = if n % 2 == 0 {
                Event::Removed { slot }
            } else {
                Event::Inserted { slot }
            };
            assert_eq!(event, &expected, "slot {slot}: {events:?}");
        }
    }
    host.events.clear();
    let slots = host.ok("SLOTS");
    assert!(
        slots.iter().any(|(key, value)| key == "n" && value == "8"),
        "{slots:?}"
    );
    assert_eq!(
        bench.stats().faults_total(),
        0,
        "the load injects no faults by itself"
    );
}
