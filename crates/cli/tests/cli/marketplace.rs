//! `refurbdesk sim marketplace`: the simulated seller API served by the real binary on a real port.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::support::Station;

fn http(addr: &str, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("the simulator listens");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    answer
}

#[test]
fn the_simulated_marketplace_serves_checks_auth_and_keeps_its_state() {
    let station = Station::new();
    let state = station.home.path().join("market.json");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("refurbdesk"))
        .args([
            "sim",
            "marketplace",
            "--port",
            "0",
            "--json",
            "--token",
            "t0k",
        ])
        .arg("--state")
        .arg(&state)
        .env("HOME", station.home.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let serving: Value = serde_json::from_str(&first).expect("a JSON line");
    let url = serving["serving"].as_str().expect("its URL").to_owned();
    let addr = url.trim_start_matches("http://").to_owned();

    let refused = http(
        &addr,
        "GET /ws/listings/1 HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n",
    );
    assert!(refused.starts_with("HTTP/1.1 401"), "{refused}");
    assert!(refused.contains("Invalid token."), "{refused}");
    let missing = http(
        &addr,
        "GET /ws/listings/1 HTTP/1.1\r\nHost: sim\r\nAuthorization: Basic t0k\r\nAccept-Language: fr-fr\r\nConnection: close\r\n\r\n",
    );
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
    assert!(missing.contains("\"error\""), "{missing}");
    let door = http(
        &addr,
        "GET /_sim/state HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n",
    );
    assert!(door.starts_with("HTTP/1.1 200"), "{door}");
    assert!(
        door.contains("\"last_accept_language\":\"fr-fr\""),
        "{door}"
    );

    let terminated = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(terminated.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    let stopped: Value = serde_json::from_str(rest.trim()).expect("the counters");
    assert_eq!(stopped["requests"], 2);
    let kept: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(kept["stats"]["unauthorized"], 1);
}

#[test]
fn a_bad_fault_spec_is_a_usage_error() {
    let station = Station::new();
    station
        .run(&[
            "sim",
            "marketplace",
            "--port",
            "0",
            "--faults",
            "500:0.7,drop:0.5",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("more than 1"));
    station
        .run(&["sim", "marketplace", "--port", "0", "--faults", "fire:0.1"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown fault 'fire'"));
}

// ----- marketplace configure, sync -----

mod sync {
    use std::net::SocketAddr;
    use std::process::{Command, Stdio};

    use refurbdesk_marketplace_sim::{
        spawn, FaultSpec, Listing, Orderline, RunningSim, SimConfig, SimState,
    };
    use refurbdesk_store::{NewOutboxEntry, Store};
    use serde_json::{json, Value};

    use crate::support::{json_of, Station};

    const TOKEN: &str = "s3cret-token";

    fn market(faults: &str) -> RunningSim {
        let sim = spawn(
            SimConfig {
                token: TOKEN.to_owned(),
                faults: faults.parse::<FaultSpec>().unwrap(),
                time_factor: 60.0,
                state_file: None,
            },
            SocketAddr::from(([127, 0, 0, 1], 0)),
        )
        .unwrap();
        let mut state = SimState::default();
        for n in 0..30 {
            let id = format!("{}", 1000 + n);
            state.listings.insert(
                id.clone(),
                Listing {
                    listing_id: id,
                    sku: format!("SKU-{n}"),
                    ..Listing::default()
                },
            );
        }
        state.orderlines.insert(
            "OL-1".to_owned(),
            Orderline {
                id: "OL-1".to_owned(),
                ..Orderline::default()
            },
        );
        sim.marketplace().replace_state(state);
        sim
    }

    fn configure(station: &Station, url: &str) {
        station
            .run(&[
                "marketplace",
                "configure",
                "--url",
                url,
                "--company",
                "Refurbix",
                "--integration",
                "Refurbdesk",
                "--email",
                "ops@refurbix.example",
                "--lang",
                "fr-fr",
                "--time-factor",
                "60",
            ])
            .env("REFURBDESK_MARKETPLACE_TOKEN", TOKEN)
            .assert()
            .success()
            .stdout(predicates::str::contains(TOKEN).not());
    }

    fn enqueue(station: &Station, entries: &[Value]) -> Vec<uuid::Uuid> {
        let mut store = Store::open(&station.db).unwrap();
        entries
            .iter()
            .map(|payload| {
                let kind = if payload.get("orderline").is_some() {
                    "orderline_identity"
                } else {
                    "listing_quantity"
                };
                let resource = format!(
                    "{kind}:{}",
                    payload.get("listing").or(payload.get("orderline")).unwrap()
                );
                store
                    .enqueue_outbox(&NewOutboxEntry {
                        kind: kind.to_owned(),
                        resource,
                        payload: payload.clone(),
                    })
                    .unwrap()
            })
            .collect()
    }

    fn status(station: &Station) -> Value {
        let output = station.run(&["sync", "status", "--json"]).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        json_of(&output.stdout)
    }

    use predicates::prelude::PredicateBooleanExt;

    #[test]
    fn sync_sends_the_outbox_once_and_keeps_the_token_private() {
        let sim = market("none");
        let station = Station::new();
        configure(&station, &sim.url());
        let token_file = station.db.parent().unwrap().join("marketplace.token");
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &std::fs::metadata(&token_file).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o600);
        enqueue(
            &station,
            &[
                json!({"listing": "SKU-1", "quantity": 1}),
                json!({"listing": "SKU-1", "quantity": 2}),
                json!({"listing": "SKU-2", "quantity": 1}),
                json!({"orderline": "OL-1", "imei": "356938035643809"}),
            ],
        );
        let output = station.run(&["sync", "--once", "--json"]).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        let report = json_of(&output.stdout);
        assert_eq!(report["sent"], 4);
        let state = sim.marketplace().state();
        assert_eq!(
            state.listings["1001"].quantity, 2,
            "in order: the later entry last"
        );
        assert_eq!(state.listings["1002"].quantity, 1);
        assert_eq!(state.orderlines["OL-1"].sets, 1);
        assert_eq!(
            state.stats.last_user_agent.as_deref(),
            Some("BM-Refurbix-Refurbdesk;ops@refurbix.example")
        );
        let status = status(&station);
        assert_eq!(
            (status["sent"].as_u64(), status["pending"].as_u64()),
            (Some(4), Some(0))
        );
        // Nothing left: a second run sends nothing.
        station.run(&["sync", "--once"]).assert().success();
        assert_eq!(sim.marketplace().state().stats.listing_updates, 3);
        // The token is in no output and no log.
        let logs = station.home.path().join("share/refurbdesk/logs");
        for entry in std::fs::read_dir(&logs).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            assert!(!text.contains(TOKEN), "{}", entry.path().display());
        }
    }

    #[test]
    fn a_marketplace_down_keeps_the_changes_queued_until_it_returns() {
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let station = Station::new();
        configure(&station, &format!("http://127.0.0.1:{port}"));
        enqueue(
            &station,
            &[
                json!({"listing": "SKU-3", "quantity": 5}),
                json!({"listing": "SKU-4", "quantity": 1}),
            ],
        );
        station
            .run(&["sync", "--once"])
            .assert()
            .code(3)
            .stderr(predicates::str::contains("could not be reached"));
        let waiting = status(&station);
        assert_eq!(waiting["pending"], 2);
        assert!(waiting["entries"][0]["last_error"]
            .as_str()
            .unwrap()
            .contains("cannot be reached"));

        let sim = market("none");
        configure(&station, &sim.url());
        // The postponed entries are made due by an operator's retry (audited).
        for entry in waiting["entries"].as_array().unwrap() {
            station
                .run(&["sync", "retry", entry["id"].as_str().unwrap()])
                .assert()
                .success();
        }
        station.run(&["sync", "--once"]).assert().success();
        let state = sim.marketplace().state();
        assert_eq!(state.listings["1003"].quantity, 5);
        assert_eq!(state.listings["1004"].quantity, 1);
    }

    #[test]
    fn a_refusal_fails_the_entry_with_the_marketplace_s_message_until_cancelled() {
        let sim = market("none");
        let station = Station::new();
        configure(&station, &sim.url());
        enqueue(
            &station,
            &[json!({"listing": "NO-SUCH-SKU", "quantity": 1})],
        );
        station.run(&["sync", "--once"]).assert().code(1);
        let failed = status(&station);
        assert_eq!(failed["failed"], 1);
        let entry = &failed["entries"][0];
        assert_eq!(entry["state"], "failed");
        assert_eq!(entry["last_error"], "Listing NO-SUCH-SKU does not exist.");
        station
            .run(&["sync", "cancel", entry["id"].as_str().unwrap()])
            .assert()
            .success();
        station.run(&["sync", "--once"]).assert().success();
        assert_eq!(status(&station)["cancelled"], 1);
    }

    #[test]
    fn many_listing_updates_go_through_the_catalog_path() {
        let sim = market("none");
        let station = Station::new();
        configure(&station, &sim.url());
        let entries: Vec<Value> = (0..25)
            .map(|n| json!({"listing": format!("SKU-{n}"), "quantity": n + 1}))
            .collect();
        enqueue(&station, &entries);
        let output = station.run(&["sync", "--once", "--json"]).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        let report = json_of(&output.stdout);
        assert_eq!(report["catalog_uploads"], 1);
        assert_eq!(report["sent"], 25);
        let state = sim.marketplace().state();
        assert_eq!(state.stats.catalog_rows, 25);
        assert_eq!(state.stats.listing_updates, 0);
        assert_eq!(state.listings["1024"].quantity, 25);
    }

    #[test]
    fn a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice() {
        // The first change is applied, then its answer hangs: the worker is killed while waiting.
        let sim = market("timeout-after-apply:1*1,hang-ms:60000");
        let station = Station::new();
        configure(&station, &sim.url());
        enqueue(
            &station,
            &[
                json!({"listing": "SKU-7", "quantity": 3}),
                json!({"listing": "SKU-8", "quantity": 4}),
            ],
        );
        let mut worker = Command::new(assert_cmd::cargo::cargo_bin("refurbdesk"))
            .args(["sync", "--once"])
            .env("REFURBDESK_DB", &station.db)
            .env("HOME", station.home.path())
            .env("XDG_DATA_HOME", station.home.path().join("share"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the marketplace has applied the change (the worker now waits for its answer).
        while sim.marketplace().state().stats.listing_updates == 0 {
            assert!(
                worker.try_wait().unwrap().is_none(),
                "the worker ended early"
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        worker.kill().unwrap();
        worker.wait().unwrap();
        let stuck = status(&station);
        assert_eq!(stuck["in_flight"], 1, "{stuck}");

        station.run(&["sync", "--once"]).assert().success();
        let state = sim.marketplace().state();
        assert_eq!(state.listings["1007"].quantity, 3);
        assert_eq!(
            state.listings["1007"].updates, 1,
            "read back, not sent again"
        );
        assert_eq!(state.listings["1008"].quantity, 4);
        let done = status(&station);
        assert_eq!(
            (done["sent"].as_u64(), done["in_flight"].as_u64()),
            (Some(2), Some(0))
        );
    }

    /// A phone of 128 GB in black read on the bench (IMEI `imei`), recorded as intake does.
    fn bench_phone(station: &Station, imei: &'static str, minute: i64) {
        let mut intake = crate::support::Phone {
            imei,
            minute,
            ..crate::support::Phone::default()
        }
        .intake();
        intake.identity.storage_gb = Some(128);
        intake.identity.color = Some("Black".to_owned());
        station.store().record_intake(&intake).unwrap();
    }

    fn grade(station: &Station, imei: &str, extra: &[&str]) {
        station
            .run(&["grade", "--device", imei, "--check", crate::grade::ALL_PASS])
            .args(["--cosmetic", "screen=flawless,back=flawless,frame=flawless"])
            .args(extra)
            .assert()
            .success();
    }

    const PREMIUM: &str = "IPHONE-12-128GB-BLACK-PREMIUM";

    #[test]
    fn grading_a_device_sellable_raises_its_listing_once_and_unsellable_lowers_it() {
        let sim = market("none");
        let mut seeded = sim.marketplace().state();
        seeded.listings.insert(
            "2001".to_owned(),
            Listing {
                listing_id: "2001".to_owned(),
                sku: PREMIUM.to_owned(),
                ..Listing::default()
            },
        );
        sim.marketplace().replace_state(seeded);
        let station = Station::new();
        bench_phone(&station, "356728114587211", 0);
        bench_phone(&station, "356938035643809", 5);
        bench_phone(&station, "356938035643817", 10);

        // No marketplace yet: a grade sends nothing.
        grade(&station, "356728114587211", &[]);
        assert_eq!(status(&station)["entries"].as_array().unwrap().len(), 0);

        // Configured: the device graded before joins the stock then.
        configure(&station, &sim.url());
        assert_eq!(station.store().stocked(PREMIUM).unwrap(), 1);
        grade(&station, "356938035643809", &[]);
        grade(&station, "356938035643817", &[]);
        // Regraded the same: it stays in its listing, no quantity changes.
        grade(&station, "356938035643817", &[]);
        let queued = status(&station);
        let quantities: Vec<(Value, Value)> = queued["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|entry| (entry["resource"].clone(), entry["kind"].clone()))
            .collect();
        assert_eq!(
            quantities,
            vec![
                (
                    json!(format!("listing:{PREMIUM}")),
                    json!("listing_quantity")
                );
                3
            ]
        );
        assert_eq!(station.store().stocked(PREMIUM).unwrap(), 3);

        station.run(&["sync", "--once"]).assert().success();
        let door = super::http(
            sim.url().trim_start_matches("http://"),
            "GET /_sim/state HTTP/1.1\r\nHost: sim\r\nConnection: close\r\n\r\n",
        );
        let body: Value = serde_json::from_str(door.split("\r\n\r\n").nth(1).unwrap()).unwrap();
        assert_eq!(body["listings"]["2001"]["quantity"], 3, "{body}");
        assert_eq!(body["listings"]["2001"]["updates"], 3, "each quantity once");

        // A later grade finds the liquid indicators tripped: it leaves the listing.
        let tripped =
            crate::grade::ALL_PASS.replace("liquid_indicators=pass", "liquid_indicators=fail");
        station
            .run(&["grade", "--device", "356938035643817", "--check", &tripped])
            .assert()
            .success();
        station.run(&["sync", "--once"]).assert().success();
        station.run(&["sync", "--once"]).assert().success();
        let state = sim.marketplace().state();
        assert_eq!(state.listings["2001"].quantity, 2);
        assert_eq!(state.listings["2001"].updates, 4, "nothing sent twice");
        assert_eq!(status(&station)["sent"], 4);
    }

    fn order(id: &str, imei: &str, price: &str) -> refurbdesk_marketplace_sim::BuybackOrder {
        refurbdesk_marketplace_sim::BuybackOrder {
            id: id.to_owned(),
            status: "RECEIVED".to_owned(),
            product: "iPhone 12 128 GB".to_owned(),
            imei: Some(imei.to_owned()),
            price: price.to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn trade_in_orders_become_batches_once_and_their_verdicts_reach_the_marketplace() {
        let sim = market("none");
        let mut seeded = sim.marketplace().state();
        for order in [
            order("BB-1", "356728114587211", "200.00"),
            order("BB-2", "356938035643809", "150.00"),
        ] {
            seeded.buyback_orders.insert(order.id.clone(), order);
        }
        sim.marketplace().replace_state(seeded);
        let station = Station::new();
        configure(&station, &sim.url());
        station
            .run(&[
                "settings",
                "set",
                "organisation.name",
                "Atelier Reprise SAS",
            ])
            .assert()
            .success();

        let output = station.run(&["sync", "--once", "--json"]).output().unwrap();
        assert!(output.status.success(), "{output:?}");
        let pulled = json_of(&output.stdout);
        assert_eq!(pulled["orders_received"], 2);
        let batches: Vec<String> = pulled["new_batches"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| id.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(batches.len(), 2);
        // Pulled again: the orders were taken in already.
        let again = json_of(
            &station
                .run(&["sync", "--once", "--json"])
                .output()
                .unwrap()
                .stdout,
        );
        assert_eq!(again["new_batches"], json!([]));
        assert_eq!(station.store().batches().unwrap().len(), 2);

        // The devices arrive: read on the bench (the second one locked to its owner's
        // account), received against their order's batch, graded.
        station
            .store()
            .record_intake(&crate::support::Phone::default().intake())
            .unwrap();
        station
            .store()
            .record_intake(
                &crate::support::Phone {
                    imei: "356938035643809",
                    activation: refurbdesk_domain::ActivationLock::Locked,
                    minute: 5,
                    ..crate::support::Phone::default()
                }
                .intake(),
            )
            .unwrap();
        for (batch, imei) in batches.iter().zip(["356728114587211", "356938035643809"]) {
            station
                .run(&["batch", "receive", batch, "--scan", imei])
                .assert()
                .success();
            station
                .run(&["grade", "--device", imei, "--check", crate::grade::ALL_PASS])
                .args(["--cosmetic", "screen=visible,back=flawless,frame=flawless"])
                .assert()
                .success();
        }

        let reports = station.home.path().join("reports");
        // BB-1's phone was erased and its certificate issued: it travels with the verdict.
        let erasure = erase(&station, "356728114587211");
        station
            .run(&["cert", "issue", "--erasure", &erasure, "--out"])
            .arg(station.home.path())
            .assert()
            .success();
        let countered = json_of(
            &station
                .run(&[
                    "marketplace",
                    "verdict",
                    &batches[0],
                    "counter-offer",
                    "--json",
                ])
                .args([
                    "--reason",
                    "screen scratched",
                    "--comment",
                    "Revised after our audit",
                ])
                .arg("--out")
                .arg(&reports)
                .output()
                .unwrap()
                .stdout,
        );
        assert_eq!(countered["order"], "BB-1");
        let price = countered["price"]
            .as_str()
            .expect("the revised price")
            .to_owned();
        assert!(countered["report"].as_str().unwrap().ends_with(".pdf"));
        let files = countered["files"].as_array().unwrap();
        assert_eq!(
            files.len(),
            2,
            "the report and the erasure certificate: {countered}"
        );
        assert!(files[1]
            .as_str()
            .unwrap()
            .contains(&format!("batch-{}-certificates", batches[0])));
        let suspended = station
            .run(&["marketplace", "verdict", &batches[1], "suspend", "--json"])
            .args(["--reason", "account-locked device"])
            .arg("--out")
            .arg(&reports)
            .output()
            .unwrap();
        assert!(suspended.status.success(), "{suspended:?}");
        // A verdict without a reason is refused before anything is queued.
        station
            .run(&["marketplace", "verdict", &batches[1], "suspend"])
            .assert()
            .code(2);

        // The trade-in device graded sellable is still the customer's: it is not in stock
        // while its batch is open, so the verdicts alone are sent.
        station.run(&["sync", "--once"]).assert().success();
        assert_eq!(status(&station)["sent"], 2);
        assert_eq!(
            station.store().stock_candidates(None).unwrap().len(),
            1,
            "one sellable device, waiting for its batch to close"
        );
        let raw_stock: i64 = station
            .raw()
            .query_row("SELECT COUNT(*) FROM marketplace_stock", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(raw_stock, 0);

        // Settled: closing the batch puts it in stock. Exit 1: the marketplace has no listing
        // for its SKU yet (failed with its message; the seller creates the listing).
        station
            .run(&["batch", "close", &batches[0]])
            .assert()
            .success();
        let raw_stock: i64 = station
            .raw()
            .query_row("SELECT COUNT(*) FROM marketplace_stock", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(raw_stock, 1);
        station.run(&["sync", "--once"]).assert().code(1);
        let after = status(&station);
        assert_eq!(after["failed"], 1, "{after}");
        assert_eq!(after["entries"][0]["kind"], "listing_quantity");
        assert!(after["entries"][0]["last_error"]
            .as_str()
            .unwrap()
            .ends_with("does not exist."));
        let state = sim.marketplace().state();
        let first = &state.buyback_orders["BB-1"];
        assert_eq!(first.status, "COUNTER_PROPOSAL");
        assert_eq!(first.counter_offers.len(), 1);
        assert_eq!(
            first.counter_offers[0].price.as_deref(),
            Some(price.as_str())
        );
        assert_eq!(first.counter_offers[0].files.len(), 2);
        assert!(
            first.counter_offers[0].files.iter().all(|file| file.pdf),
            "the signed report and the erasure certificate"
        );
        let second = &state.buyback_orders["BB-2"];
        assert_eq!(second.status, "SUSPENDED");
        assert_eq!(
            second.suspensions[0].reasons,
            vec!["account-locked device".to_owned()]
        );
        // A later pull does not take them in again (they are no longer RECEIVED anyway).
        assert_eq!(station.store().batches().unwrap().len(), 2);
    }

    /// Erases a phone by a manual reset whose every step was seen done (verified); returns the
    /// erasure's id.
    fn erase(station: &Station, imei: &str) -> String {
        let answers = station.home.path().join("reset-answers.toml");
        let steps = [
            "remove_sim",
            "unpair_watch",
            "no_mdm_profile",
            "sign_out_apple_account",
            "find_my_off",
            "erase_all",
            "hello_screen",
            "no_activation_lock",
        ];
        let mut text = String::from("platform = \"ios\"\n[answers]\n");
        for step in steps {
            text.push_str(&format!("{step} = \"yes\"\n"));
        }
        std::fs::write(&answers, text).unwrap();
        let output = station
            .run(&["erase", "--json", "--manual", "--device", imei, "--answers"])
            .arg(&answers)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        json_of(&output.stdout)["id"].as_str().unwrap().to_owned()
    }

    fn ship(station: &Station, imei: &str, line: &str) -> std::process::Output {
        station
            .run(&["ship", "--json", "--device", imei, "--order-line", line])
            .output()
            .unwrap()
    }

    fn refusal(output: &std::process::Output) -> String {
        assert_eq!(output.status.code(), Some(7), "{output:?}");
        String::from_utf8_lossy(&output.stderr).into_owned()
    }

    #[test]
    fn a_shipped_device_gives_its_order_line_its_imei_once_and_leaves_its_listing() {
        let sim = market("none");
        let mut seeded = sim.marketplace().state();
        seeded.listings.insert(
            "2001".to_owned(),
            Listing {
                listing_id: "2001".to_owned(),
                sku: PREMIUM.to_owned(),
                ..Listing::default()
            },
        );
        for line in ["OL-2", "OL-3"] {
            seeded.orderlines.insert(
                line.to_owned(),
                Orderline {
                    id: line.to_owned(),
                    ..Orderline::default()
                },
            );
        }
        sim.marketplace().replace_state(seeded);
        let station = Station::new();
        let (sold, other) = ("356938035643809", "356938035643817");
        bench_phone(&station, sold, 0);
        bench_phone(&station, other, 5);

        // Without a marketplace there is no order line to ship for.
        grade(&station, sold, &[]);
        let output = ship(&station, sold, "OL-1");
        assert_eq!(output.status.code(), Some(2), "{output:?}");
        assert!(String::from_utf8_lossy(&output.stderr).contains("no marketplace is configured"));

        configure(&station, &sim.url());
        grade(&station, sold, &[]);
        grade(&station, other, &[]);
        assert_eq!(station.store().stocked(PREMIUM).unwrap(), 2);

        // Sellable but never erased: refused, nothing recorded or queued.
        let queued_before = status(&station)["entries"].as_array().unwrap().len();
        let message = refusal(&ship(&station, sold, "OL-1"));
        assert!(message.contains("no verified erasure"), "{message}");
        assert_eq!(
            status(&station)["entries"].as_array().unwrap().len(),
            queued_before
        );

        let _ = erase(&station, sold);
        let output = ship(&station, sold, "OL-1");
        assert!(output.status.success(), "{output:?}");
        let shipped = json_of(&output.stdout);
        assert_eq!(shipped["order_line"], "OL-1");
        assert_eq!(shipped["identity_field"], "imei");
        assert_eq!(shipped["identity_value"], sold);
        assert_eq!(shipped["listing"], PREMIUM);
        assert_eq!(shipped["listing_quantity"], 1);
        assert_eq!(shipped["queued"], 2);
        assert_eq!(station.store().stocked(PREMIUM).unwrap(), 1);

        // A device ships once, and a line is given one device only.
        let message = refusal(&ship(&station, sold, "OL-2"));
        assert!(
            message.contains("already shipped for order line OL-1"),
            "{message}"
        );
        let _ = erase(&station, other);
        let message = refusal(&ship(&station, other, "OL-1"));
        assert!(
            message.contains("order line OL-1 already shipped"),
            "{message}"
        );

        // An unsellable device does not ship.
        let tripped =
            crate::grade::ALL_PASS.replace("liquid_indicators=pass", "liquid_indicators=fail");
        station
            .run(&["grade", "--device", other, "--check", &tripped])
            .assert()
            .success();
        let message = refusal(&ship(&station, other, "OL-3"));
        assert!(message.contains("not sellable"), "{message}");

        // A shipped device graded again does not come back into the stock.
        grade(&station, sold, &[]);
        assert_eq!(station.store().stocked(PREMIUM).unwrap(), 0);

        station.run(&["sync", "--once"]).assert().success();
        station.run(&["sync", "--once"]).assert().success();
        let state = sim.marketplace().state();
        let line = &state.orderlines["OL-1"];
        assert_eq!(line.imei.as_deref(), Some(sold));
        assert_eq!(
            (line.sets, line.refusals),
            (1, 0),
            "set once, never refused"
        );
        assert_eq!(state.orderlines["OL-2"].imei, None);
        assert_eq!(state.listings["2001"].quantity, 0);
        assert_eq!(status(&station)["pending"], 0);

        // The shipment is evidence: chained in the audit log, which still verifies.
        station.run(&["audit", "verify"]).assert().success();
        let raw = station.raw();
        let entries: i64 = raw
            .query_row(
                "SELECT COUNT(*) FROM audit_log WHERE entity = 'shipment'",
                [],
                |row| row.get(0),
            )
            .unwrap();
        assert_eq!(entries, 1);
        assert!(raw
            .execute("UPDATE shipments SET orderline = 'OL-9'", [])
            .is_err());
    }
}
