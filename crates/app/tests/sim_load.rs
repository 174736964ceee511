//! `REFURBDESK_SIM_LOAD` turns the simulated benches into the desktop benchmark's load. A test
//! binary of its own, since it sets an environment variable for the whole process.
#![cfg(feature = "simulate")]

use refurbdesk_app::SimulatedBenches;
use refurbdesk_bench_sim::SimOptions;

#[test]
fn the_load_variable_serves_generated_benches_and_a_bad_value_is_refused() {
    std::env::set_var("REFURBDESK_SIM_LOAD", "64x10");
    let benches = SimulatedBenches::start(Vec::new(), SimOptions::default())
        .expect("the load's benches start");
    let ports = benches.ports();
    assert_eq!(ports.len(), 8, "64 slots are eight benches of eight");
    for port in &ports {
        assert!(
            port.exists(),
            "{} links to a pseudo-terminal",
            port.display()
        );
    }
    drop(benches);
    assert!(ports.iter().all(|port| !port.exists()), "links removed");

    std::env::set_var("REFURBDESK_SIM_LOAD", "lots");
    let error = SimulatedBenches::start(Vec::new(), SimOptions::default())
        .err()
        .expect("a value that is not a load is refused")
        .to_string();
    assert!(error.contains("e.g. 64x10"), "{error}");

    std::env::remove_var("REFURBDESK_SIM_LOAD");
    let builtin = SimulatedBenches::start(Vec::new(), SimOptions::default())
        .expect("the built-in benches start");
    assert_eq!(
        builtin.ports().len(),
        3,
        "without it, the three built-in benches"
    );
}
