//! The audit of a whole trade-in batch on the real binary: 30 declared devices (25 phones, 5
//! laptops), 29 of them and one extra placed on a simulated 30-slot bench (crates/bench-sim on a
//! real pseudo-terminal), taken in by the headless station, received by scan with what came in
//! the box, graded, erased; then the audit's counts, each line's adjustments and the revised
//! total checked against figures worked out by hand below from the default trade-in policy
//! (assets/policies/tradein-default.toml: 15 % of the quote per grade step, 25.00 EUR per
//! missing mandatory accessory, a declared mouse 5.00 EUR, a battery to replace 30.00 EUR, less
//! storage 20 %, a blocked lock returns the device). Then closing: refused while devices are
//! unaudited, refused to a technician, and a closed batch receives nothing more.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use refurbdesk_bench_sim::{Scenario, SimBench, SimOptions};
use serde_json::Value;

fn refurbdesk(home: &Path, operator: &str) -> Command {
    let mut cmd = Command::cargo_bin("refurbdesk").unwrap();
    cmd.env("XDG_DATA_HOME", home.join("share"))
        .env("HOME", home)
        .env("USER", "os-user")
        .env("REFURBDESK_DB", home.join("station.sqlite"))
        .env("REFURBDESK_LOG", "off")
        .env("REFURBDESK_OPERATOR", operator)
        .env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("REFURBDESK_PIN")
        .write_stdin("");
    cmd
}

fn json(cmd: &mut Command) -> Value {
    let output = cmd.assert().success().get_output().stdout.clone();
    serde_json::from_slice(&output)
        .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&output)))
}

/// A 15-digit IMEI whose last digit is its Luhn check digit.
fn imei(n: u32) -> String {
    let payload = format!("35000000000{n:03}");
    (0..10)
        .map(|check| format!("{payload}{check}"))
        .find(|imei| refurbdesk_domain::luhn_valid(imei))
        .unwrap()
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Phone,
    Laptop,
}

/// One device of the test: what the manifest declares and what the bench and the grader find.
struct Device {
    /// The bench slot; `None` for the declared device that never arrives.
    slot: Option<u16>,
    kind: Kind,
    code: String,
    /// The manifest's line; `None` for the extra device.
    declared: Option<Declared>,
    storage_found: u32,
    locked: bool,
    /// Full charge in mAh of a 2815 mAh design (2700: 95.9 %, pass; 2300: 81.7 %, replace).
    full_mah: u32,
    /// The worst cosmetic level the grader sees.
    cosmetic: &'static str,
    /// What came in the box, and whether it is told at the scan or afterwards.
    accessories: Option<(&'static str, bool)>,
}

struct Declared {
    grade: &'static str,
    storage: u32,
    quote: &'static str,
    accessories: &'static str,
}

fn phone(n: u32, grade: &'static str, quote: &'static str, cosmetic: &'static str) -> Device {
    Device {
        slot: Some(n as u16),
        kind: Kind::Phone,
        code: imei(n),
        declared: Some(Declared {
            grade,
            storage: 128,
            quote,
            accessories: "",
        }),
        storage_found: 128,
        locked: false,
        full_mah: 2700,
        cosmetic,
        accessories: None,
    }
}

fn laptop(n: u32, declared: &'static str, found: Option<(&'static str, bool)>) -> Device {
    Device {
        slot: Some(n as u16),
        kind: Kind::Laptop,
        code: format!("LT{n:05}"),
        declared: Some(Declared {
            grade: "FUNCTIONAL_GOOD",
            storage: 256,
            quote: "400.00",
            accessories: declared,
        }),
        storage_found: 256,
        locked: false,
        full_mah: 0,
        cosmetic: "light",
        accessories: found,
    }
}

fn devices() -> Vec<Device> {
    let mut devices = Vec::new();
    // Lines 2–15: 14 phones as declared (light marks are FUNCTIONAL_GOOD).
    for n in 1..=14 {
        devices.push(phone(n, "FUNCTIONAL_GOOD", "200.00", "light"));
    }
    // Lines 16–19: declared flawless, found with light marks (GOOD): one step.
    for n in 15..=18 {
        devices.push(phone(n, "FUNCTIONAL_FLAWLESS", "250.00", "light"));
    }
    // Lines 20–21: declared good, visible scratches (USED): one step.
    for n in 19..=20 {
        devices.push(phone(n, "FUNCTIONAL_GOOD", "180.00", "visible"));
    }
    // Line 22: declared good, cracked (FUNCTIONAL_CRACKED): two steps.
    devices.push(phone(21, "FUNCTIONAL_GOOD", "180.00", "cracked"));
    // Line 23: Activation Lock on.
    devices.push(Device {
        locked: true,
        ..phone(22, "FUNCTIONAL_GOOD", "220.00", "light")
    });
    // Line 24: the battery holds 81.7 %: replace.
    devices.push(Device {
        full_mah: 2300,
        ..phone(23, "FUNCTIONAL_GOOD", "200.00", "light")
    });
    // Line 25: declared with 256 GB, has 128 GB.
    let mut less_storage = phone(24, "FUNCTIONAL_GOOD", "300.00", "light");
    if let Some(declared) = less_storage.declared.as_mut() {
        declared.storage = 256;
    }
    devices.push(less_storage);
    // Line 26: declared, never received.
    devices.push(Device {
        slot: None,
        ..phone(25, "FUNCTIONAL_GOOD", "200.00", "light")
    });
    // Lines 27–31: laptops declared with their charger.
    devices.push(laptop(26, "charger", Some(("charger", true))));
    devices.push(laptop(27, "charger", Some(("charger;cable", true))));
    devices.push(laptop(28, "charger;mouse", Some(("charger", true))));
    devices.push(laptop(29, "charger", Some(("cable", true))));
    devices.push(laptop(30, "charger;box", Some(("box", false))));
    // Not in the manifest: slot 31.
    devices.push(Device {
        slot: Some(31),
        declared: None,
        ..phone(31, "FUNCTIONAL_GOOD", "0", "light")
    });
    devices
}

const PHONE_TESTS: &[&str] = &[
    "wifi",
    "bluetooth",
    "cellular",
    "mic",
    "speaker",
    "earpiece",
    "camera_front",
    "camera_rear",
    "flash",
    "buttons",
    "display",
    "proximity",
    "vibration",
];
const LAPTOP_TESTS: &[&str] = &[
    "wifi",
    "bluetooth",
    "trackpad",
    "webcam",
    "mic",
    "speaker",
    "ports",
    "display",
];

fn scenario(devices: &[Device]) -> Scenario {
    let mut text = String::from(
        "[bench]\nvendor = \"Acme\"\nmodel = \"TI-32\"\nserial = \"TI32-0001\"\nfw = \"1.0\"\n\
         slots = 32\n\n[timing]\nresponse_ms = 1\ndevice_ms = 1\ntest_ms = 2\nerase_ms = 8\n",
    );
    for device in devices {
        let Some(slot) = device.slot else { continue };
        text.push_str(&format!("\n[[device]]\nslot = {slot}\n[device.ident]\n"));
        let tests = match device.kind {
            Kind::Phone => {
                text.push_str(&format!(
                    "category = \"phone\"\nmake = \"Apple\"\nmodel = \"iPhone 12\"\n\
                     imei = \"{}\"\nstorage_gb = \"{}\"\n[device.battery]\npresent = \"yes\"\n\
                     design_mah = \"2815\"\nfull_mah = \"{}\"\ncycles = \"300\"\n",
                    device.code, device.storage_found, device.full_mah
                ));
                PHONE_TESTS
            }
            Kind::Laptop => {
                text.push_str(&format!(
                    "category = \"laptop\"\nmake = \"Lenovo\"\nmodel = \"ThinkPad T480\"\n\
                     serial = \"{}\"\nstorage_gb = \"{}\"\n[device.battery]\npresent = \"yes\"\n\
                     design_mwh = \"50000\"\nfull_mwh = \"47000\"\ncycles = \"200\"\n",
                    device.code, device.storage_found
                ));
                LAPTOP_TESTS
            }
        };
        text.push_str(&format!(
            "[device.lock]\nactivation = \"{}\"\naccount = \"none\"\nmdm = \"none\"\n\
             carrier = \"unlocked\"\n[device.tests]\n",
            if device.locked { "locked" } else { "unlocked" }
        ));
        for test in tests {
            text.push_str(&format!("{test} = \"PASS\"\n"));
        }
        text.push_str("[device.erase]\nfactory_reset = \"ok\"\ncrypto_erase = \"ok\"\n");
    }
    Scenario::from_toml(&text, "tradein-30.toml").unwrap()
}

fn manifest(devices: &[Device]) -> String {
    let mut text = String::from(
        "imei,serial,category,make,model,storage_gb,declared_grade,quoted_price,currency,accessories\n",
    );
    for device in devices {
        let Some(declared) = &device.declared else {
            continue;
        };
        let (imei, serial, category, make, model) = match device.kind {
            Kind::Phone => (device.code.as_str(), "", "phone", "Apple", "iPhone 12"),
            Kind::Laptop => (
                "",
                device.code.as_str(),
                "laptop",
                "Lenovo",
                "ThinkPad T480",
            ),
        };
        text.push_str(&format!(
            "{imei},{serial},{category},{make},{model},{},{},{},EUR,{}\n",
            declared.storage, declared.grade, declared.quote, declared.accessories
        ));
    }
    text
}

const PHONE_CHECKS: &str = "powers_on_off=pass,charges=pass,touch=pass,screen_dead_pixels=pass,\
screen_burn_in=pass,biometrics=pass,all_features=pass,liquid_indicators=pass,\
housing_complete=pass,genuine_parts=pass,charger_present=pass";
const LAPTOP_CHECKS: &str = "powers_on_off=pass,charges=pass,keyboard=pass,\
screen_dead_pixels=pass,screen_burn_in=pass,touch=na,biometrics=na,all_features=pass,\
liquid_indicators=pass,housing_complete=pass,keyboard_complete=pass,genuine_parts=pass,\
charger_present=pass";

/// The grader's zones: the worst level on one zone, the others micro-scratched.
fn cosmetic(device: &Device) -> String {
    match device.kind {
        Kind::Phone => format!("screen={},back=micro,frame=flawless", device.cosmetic),
        Kind::Laptop => format!(
            "lid={},deck=micro,keyboard=micro,screen=micro,bottom=micro",
            device.cosmetic
        ),
    }
}

/// One audited line's revision, by the device's code.
fn line<'a>(audit: &'a Value, code: &str) -> &'a Value {
    audit["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| {
            line["declared"]["imei"].as_str() == Some(code)
                || line["declared"]["serial"].as_str() == Some(code)
        })
        .unwrap_or_else(|| panic!("no line for {code}"))
}

fn rules(line: &Value) -> Vec<(String, u64)> {
    line["revision"]["adjustments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|adjustment| {
            (
                adjustment["rule"].as_str().unwrap().to_owned(),
                adjustment["amount_cents"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn rule(name: &str, cents: u64) -> (String, u64) {
    (name.to_owned(), cents)
}

#[test]
fn a_batch_of_30_devices_is_audited_against_its_declaration_and_closed() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();
    let devices = devices();
    let link = home.join("bench");
    let _bench = SimBench::start(scenario(&devices), &link, SimOptions::default()).unwrap();

    refurbdesk(home, "ada")
        .args(["operator", "add", "ada", "--role", "admin"])
        .assert()
        .success();
    for (name, role) in [("tom", "technician"), ("aude", "auditor")] {
        refurbdesk(home, "ada")
            .args(["operator", "add", name, "--role", role])
            .assert()
            .success();
    }
    refurbdesk(home, "aude")
        .args(["customer", "add", "Flotte Mobile SAS"])
        .assert()
        .success();
    let file = home.join("lot-30.csv");
    std::fs::write(&file, manifest(&devices)).unwrap();
    // Every batch write needs an auditor (or an admin): a technician is refused.
    refurbdesk(home, "tom")
        .args(["batch", "import"])
        .arg(&file)
        .args(["--customer", "Flotte Mobile SAS"])
        .assert()
        .code(7);
    let imported = json(
        refurbdesk(home, "aude")
            .args(["batch", "import"])
            .arg(&file)
            .args(["--customer", "Flotte Mobile SAS", "--json"]),
    );
    assert_eq!(imported["lines"], 30);
    // 14 × 200 + 4 × 250 + 2 × 180 + 180 + 220 + 200 + 300 + 200 (never received) + 5 × 400
    assert_eq!(imported["quoted_total"], "7260.00");
    let batch = imported["id"].as_str().unwrap().to_owned();

    // The headless station takes in every device on the bench.
    refurbdesk(home, "tom")
        .args(["station", "--port", link.to_str().unwrap(), "--until-idle"])
        .assert()
        .success();

    // Receiving: a technician may not; the auditor scans, with the box's contents.
    refurbdesk(home, "tom")
        .args(["batch", "receive", &batch, "--scan", &devices[0].code])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("auditor"));
    for device in devices.iter().filter(|device| device.slot.is_some()) {
        let mut cmd = refurbdesk(home, "aude");
        cmd.args(["batch", "receive", &batch, "--scan", &device.code]);
        if let Some((accessories, true)) = device.accessories {
            cmd.args(["--accessories", accessories]);
        }
        cmd.assert().success();
        if let Some((accessories, false)) = device.accessories {
            refurbdesk(home, "aude")
                .args(["batch", "accessories", &batch, &device.code])
                .args(["--has", accessories])
                .assert()
                .success();
        }
    }
    refurbdesk(home, "tom")
        .args(["batch", "accessories", &batch, &devices[25].code])
        .args(["--has", "charger"])
        .assert()
        .code(7);
    refurbdesk(home, "tom")
        .args(["batch", "requote", &batch, "--date", "2099-01-01"])
        .assert()
        .code(7);

    // Received, nothing audited yet: no final total, and the batch cannot close.
    let status = json(refurbdesk(home, "aude").args(["batch", "status", &batch, "--json"]));
    assert_eq!(status["received"], 29);
    assert_eq!(status["audited"], 0);
    assert_eq!(status["revised_total"], Value::Null);
    assert_eq!(status["revised_so_far"], "0.00");
    refurbdesk(home, "aude")
        .args(["batch", "close", &batch])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("29 received devices not audited"));
    crate::tradein_documents::refused_while_unaudited(home, &batch, refurbdesk);

    // Grading and erasing, at the bench.
    for device in devices.iter().filter(|device| device.slot.is_some()) {
        let checks = match device.kind {
            Kind::Phone => PHONE_CHECKS,
            Kind::Laptop => LAPTOP_CHECKS,
        };
        refurbdesk(home, "tom")
            .args(["grade", "--device", &device.code, "--check", checks])
            .args(["--cosmetic", &cosmetic(device)])
            .assert()
            .success();
        if !device.locked {
            let method = match device.kind {
                Kind::Phone => "factory_reset",
                Kind::Laptop => "crypto_erase",
            };
            refurbdesk(home, "tom")
                .args(["erase", "--port", link.to_str().unwrap()])
                .args([
                    "--slot",
                    &device.slot.unwrap().to_string(),
                    "--method",
                    method,
                ])
                .assert()
                .success();
        }
    }

    let audit = json(refurbdesk(home, "aude").args(["batch", "audit", &batch, "--json"]));
    let totals = &audit["totals"];
    assert_eq!(audit["policy"]["name"], "tradein-default");
    assert_eq!(totals["declared"], 30);
    assert_eq!(totals["received"], 29);
    assert_eq!(totals["missing"], 1);
    assert_eq!(totals["extra"], 1);
    assert_eq!(totals["audited"], 29);
    assert_eq!(totals["unaudited"], 0);
    // Accepted: phones 1–14 and the two laptops with their charger.
    assert_eq!(totals["accepted"], 16);
    // Readjusted: 4 + 2 grade steps, the crack, the battery, the storage, 3 laptops.
    assert_eq!(totals["readjusted"], 12);
    assert_eq!(totals["returned"], 1);
    assert_eq!(totals["held"], 0);
    assert_eq!(totals["requote"], 0);
    assert_eq!(totals["quoted_total"], "7260.00");

    // Each line's rules, worked out from the policy's figures.
    let accepted = line(&audit, &devices[0].code);
    assert_eq!(accepted["state"], "audited");
    assert_eq!(accepted["found"]["buyback_grade"], "FUNCTIONAL_GOOD");
    assert_eq!(accepted["revision"]["disposition"], "accept");
    assert_eq!(accepted["revision"]["revised"], "200.00");
    assert!(rules(accepted).is_empty());
    assert_eq!(accepted["erasure"]["status"], "verified");
    // FLAWLESS declared, GOOD found: one step, 15 % of 250.00 = 37.50.
    let flawless = line(&audit, &devices[14].code);
    assert_eq!(rules(flawless), [rule("grade.step", 3_750)]);
    assert_eq!(flawless["revision"]["revised"], "212.50");
    let told = flawless["revision"]["adjustments"][0]["text"]
        .as_str()
        .unwrap();
    assert!(
        told.starts_with("Declared FUNCTIONAL_FLAWLESS, found FUNCTIONAL_GOOD: one grade step")
            && told.contains("37.50"),
        "{told}"
    );
    // GOOD declared, USED found: 15 % of 180.00 = 27.00.
    let used = line(&audit, &devices[18].code);
    assert_eq!(used["found"]["buyback_grade"], "FUNCTIONAL_USED");
    assert_eq!(rules(used), [rule("grade.step", 2_700)]);
    // GOOD declared, CRACKED found: two steps, 30 % of 180.00 = 54.00.
    let cracked = line(&audit, &devices[20].code);
    assert_eq!(cracked["found"]["buyback_grade"], "FUNCTIONAL_CRACKED");
    assert_eq!(rules(cracked), [rule("grade.step", 5_400)]);
    assert_eq!(cracked["revision"]["revised"], "126.00");
    // Locked: returned, nothing paid; the lock takes whatever the other rules left.
    let locked = line(&audit, &devices[21].code);
    assert_eq!(locked["found"]["lock"], "blocked");
    assert_eq!(locked["revision"]["disposition"], "return");
    assert_eq!(locked["revision"]["revised"], "0.00");
    let locked_rules = rules(locked);
    assert_eq!(locked_rules.last().unwrap().0, "lock.blocked");
    assert_eq!(
        locked_rules.iter().map(|(_, cents)| cents).sum::<u64>(),
        22_000
    );
    assert_eq!(locked["erasure"], Value::Null);
    // The battery to replace: 30.00.
    let battery = line(&audit, &devices[22].code);
    assert_eq!(battery["found"]["battery"], "replace");
    assert_eq!(rules(battery), [rule("battery.replace", 3_000)]);
    // 128 GB of a declared 256 GB: 20 % of 300.00 = 60.00.
    let storage = line(&audit, &devices[23].code);
    assert_eq!(rules(storage), [rule("mismatch.storage", 6_000)]);
    // Never received.
    let missing = line(&audit, &devices[24].code);
    assert_eq!(missing["state"], "missing");
    assert_eq!(missing["revision"], Value::Null);
    // Laptops: with their charger, as declared.
    for n in [25, 26] {
        assert!(rules(line(&audit, &devices[n].code)).is_empty());
    }
    // The declared mouse is missing: 5.00.
    assert_eq!(
        rules(line(&audit, &devices[27].code)),
        [rule("accessory.optional", 500)]
    );
    // No charger: 25.00, whether the box held a cable or only the box.
    for n in [28, 29] {
        let laptop = line(&audit, &devices[n].code);
        assert_eq!(rules(laptop), [rule("accessory.mandatory", 2_500)]);
        assert_eq!(laptop["revision"]["revised"], "375.00");
    }
    assert_eq!(
        line(&audit, &devices[29].code)["found"]["accessories"],
        serde_json::json!(["box"])
    );
    // The extra device is listed with what was found, outside the totals.
    assert_eq!(audit["extra"][0]["receipt"]["code"], devices[30].code);
    assert_eq!(audit["extra"][0]["found"]["model"], "iPhone 12");

    // The revised total, by hand:
    //   14 × 200.00                       2800.00
    //    4 × (250.00 − 37.50)              850.00
    //    2 × (180.00 − 27.00)              306.00
    //        180.00 − 54.00                126.00
    //        locked, returned                0.00
    //        200.00 − 30.00                170.00
    //        300.00 − 60.00                240.00
    //        never received                  0.00
    //    2 × 400.00 + 395.00 + 2 × 375.00 1945.00
    //                                     -------
    //                                     6437.00
    assert_eq!(totals["revised_total"], "6437.00");
    assert_eq!(totals["revised_so_far"], "6437.00");
    let status = json(refurbdesk(home, "aude").args(["batch", "status", &batch, "--json"]));
    assert_eq!(status["audited"], 29);
    assert_eq!(status["revised_total"], "6437.00");

    // The table, in French.
    refurbdesk(home, "aude")
        .args(["batch", "audit", &batch, "--lang", "fr"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("revised 6437.00")
                .and(predicate::str::contains("[accessory.mandatory]"))
                .and(predicate::str::contains("chargeur")),
        );

    crate::tradein_documents::issued_exported_and_zipped(home, &batch, refurbdesk);

    // Closing: a technician may not; the auditor may, now that every received device is
    // audited. A closed batch receives nothing more, and its identifiers may be declared again.
    refurbdesk(home, "tom")
        .args(["batch", "close", &batch])
        .assert()
        .code(7);
    let closed = json(refurbdesk(home, "aude").args(["batch", "close", &batch, "--json"]));
    assert_eq!(closed["stage"], "closed");
    assert_eq!(closed["revised_total"], "6437.00");
    refurbdesk(home, "aude")
        .args(["batch", "receive", &batch, "--scan", &devices[24].code])
        .assert()
        .code(7)
        .stderr(predicate::str::contains("closed"));
    refurbdesk(home, "aude")
        .args(["batch", "close", &batch])
        .assert()
        .code(7);
    let again = json(
        refurbdesk(home, "aude")
            .args(["batch", "import"])
            .arg(&file)
            .args(["--customer", "Flotte Mobile SAS", "--json"]),
    );
    assert_eq!(again["lines"], 30);
    refurbdesk(home, "ada")
        .args(["audit", "verify"])
        .assert()
        .success();
}
