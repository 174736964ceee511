//! Realistic example documents, one of each kind, for tests, benchmarks and layout previews.
//! `n` varies the identities so that many samples are distinct devices.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use refurbdesk_domain::{BatteryFinding, LockFinding};
use uuid::Uuid;

use crate::document::*;

fn at(n: u64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, 9, 30, 0).unwrap() + Duration::seconds(n as i64 * 37)
}

fn id(kind: u8, n: u64) -> Uuid {
    Uuid::from_u128(
        (u128::from(kind) << 120) | u128::from(n) | 0x0000_0000_0000_7000_8000_0000_0000_0000,
    )
}

pub fn organisation() -> Organisation {
    Organisation {
        name: "Atelier Reconditionné SAS".to_owned(),
        address: Some("12 rue de l'Industrie, 69007 Lyon, France".to_owned()),
        phone: Some("+33 4 72 00 00 00".to_owned()),
        location: Some("Lyon — atelier 2".to_owned()),
    }
}

fn technician(n: u64) -> Person {
    Person {
        name: format!("Amélie Durand-{}", n % 7),
        title: Some("Technicienne reconditionnement".to_owned()),
        organisation: Some(organisation().name),
        location: organisation().location,
        phone: organisation().phone,
    }
}

fn manager() -> Person {
    Person {
        name: "Jérôme Lefèvre".to_owned(),
        title: Some("Responsable qualité".to_owned()),
        organisation: Some(organisation().name),
        location: None,
        phone: None,
    }
}

fn envelope(kind: u8, n: u64, body: Body) -> Document {
    Document {
        format: FORMAT.to_owned(),
        id: id(kind, n),
        issued_at: at(n) + Duration::minutes(20),
        issuer: organisation(),
        station_id: id(9, 1),
        issued_by: manager(),
        body,
    }
}

/// A verified random overwrite of a laptop SSD.
pub fn erasure_certificate(n: u64) -> Document {
    let size: u64 = 256_060_514_304;
    let started = at(n);
    let duration = 412.7 + (n % 50) as f64;
    envelope(
        1,
        n,
        Body::ErasureCertificate(ErasureCertificate {
            performed_by: technician(n),
            media: Media {
                make: Some("Samsung".to_owned()),
                model: Some("MZ7LN256HAJQ-000L7".to_owned()),
                serial: Some(format!("S3TANX0K{:06}", n)),
                imei: None,
                property_number: Some(format!("AR-{:07}", 40_000 + n)),
                media_type: "ssd".to_owned(),
                source: Some("Reprise entreprise, lot B-2026-118".to_owned()),
                classification: Some("Confidentiel entreprise".to_owned()),
                data_backed_up: Some(false),
                size_bytes: Some(size),
                target: Some(format!(
                    "/dev/disk/by-id/ata-SAMSUNG_MZ7LN256HAJQ-000L7_S3TANX0K{:06}",
                    n
                )),
                file_name: None,
                head_sha256: None,
            },
            sanitization: Sanitization {
                method_type: MethodType::Clear,
                method: "random".to_owned(),
                passes: 1,
                tool: "Refurbdesk".to_owned(),
                tool_version: "0.1.0".to_owned(),
                verification: "full".to_owned(),
                verification_result: "verified".to_owned(),
            },
            destination: "Réemploi : reconditionné pour la revente".to_owned(),
            validated_by: manager(),
            validated_at: started + Duration::minutes(20),
            run: ErasureRun {
                erasure_id: id(2, n),
                device_id: Some(id(3, n)),
                station_id: id(9, 1),
                target_kind: "block".to_owned(),
                passes_completed: 1,
                seed: Some(format!("{:064x}", u128::from(n) * 0x9e37_79b9_7f4a_7c15)),
                bytes_written: size,
                bytes_verified: size,
                fault_count: 0,
                faults: Vec::new(),
                started_at: started,
                finished_at: started + Duration::milliseconds((duration * 1000.0) as i64),
                duration_s: duration,
                throughput_mib_s: size as f64 / 1_048_576.0 / duration,
                detail: None,
                bench: None,
                manual: None,
            },
            replaces: None,
        }),
    )
}

/// A shredded hard disk with two evidence photos.
pub fn destruction_certificate(n: u64) -> Document {
    envelope(
        4,
        n,
        Body::DestructionCertificate(DestructionCertificate {
            destruction_id: id(5, n),
            device_id: None,
            performed_by: technician(n),
            witness: Person {
                name: "Claire Martin".to_owned(),
                title: Some("Auditrice client".to_owned()),
                organisation: Some("Banque Régionale du Rhône".to_owned()),
                location: None,
                phone: None,
            },
            media: Media {
                make: Some("Seagate".to_owned()),
                model: Some("ST500LM030".to_owned()),
                serial: Some(format!("WCJ{:06}", n)),
                imei: None,
                property_number: None,
                media_type: "hdd".to_owned(),
                source: Some("Reprise entreprise, lot B-2026-118".to_owned()),
                classification: Some("Secret bancaire".to_owned()),
                data_backed_up: None,
                size_bytes: Some(500_107_862_016),
                target: None,
                file_name: None,
                head_sha256: None,
            },
            method: "shred".to_owned(),
            method_details: Some("Broyeur HSM Powerline HDS 230, particules ≤ 20 mm".to_owned()),
            destroyed_at: at(n),
            destination: "Recyclage DEEE (filière agréée)".to_owned(),
            evidence: vec![
                Evidence {
                    file_name: "IMG_2031.jpg".to_owned(),
                    sha256: "5f7a9d0c2b1e4f3a6d8c7b9e0a1f2d3c4b5a69788776655443322110ffeeddcc"
                        .to_owned(),
                    size_bytes: 2_481_993,
                },
                Evidence {
                    file_name: "VID_2032.mp4".to_owned(),
                    sha256: "0b1c2d3e4f5a69788796a5b4c3d2e1f00112233445566778899aabbccddeeff0"
                        .to_owned(),
                    size_bytes: 18_220_412,
                },
            ],
            validated_by: manager(),
            validated_at: at(n) + Duration::minutes(30),
        }),
    )
}

/// A graded, erased iPhone.
pub fn device_report(n: u64) -> Document {
    let check = |name: &str, outcome: &str, detail: Option<&str>| CheckFact {
        name: name.to_owned(),
        outcome: outcome.to_owned(),
        detail: detail.map(str::to_owned),
        labels: BTreeMap::new(),
    };
    let labelled = |check: CheckFact, english: &str, french: &str| CheckFact {
        labels: BTreeMap::from([
            ("en".to_owned(), english.to_owned()),
            ("fr".to_owned(), french.to_owned()),
        ]),
        ..check
    };
    envelope(
        6,
        n,
        Body::DeviceReport(DeviceReport {
            device: DeviceIdentity {
                device_id: id(3, n),
                category: "phone".to_owned(),
                make: "Apple".to_owned(),
                model: "iPhone 13".to_owned(),
                model_code: Some("A2633".to_owned()),
                serial: Some(format!("F2LXK{:07}", n)),
                imei: Some("356728114587211".to_owned()),
                imei_valid: Some(true),
                storage_gb: Some(128),
                first_seen: at(n),
            },
            intake_id: Some(id(7, n)),
            intake_at: Some(at(n)),
            battery: Some(BatteryFacts {
                present: Some(true),
                design_mah: Some(3227.0),
                full_mah: Some(2808.0),
                design_mwh: None,
                full_mwh: None,
                cycles: Some(412),
                soh_pct: Some(87.0),
                verdict: "pass".to_owned(),
                reasons: Vec::new(),
                findings: vec![BatteryFinding::Healthy {
                    soh_pct: 87.0,
                    threshold_pct: 85.0,
                }],
            }),
            lock: Some(LockFacts {
                activation: Some("unlocked".to_owned()),
                account: Some("none".to_owned()),
                mdm: Some("none".to_owned()),
                carrier: Some("unlocked".to_owned()),
                verdict: "clear".to_owned(),
                reasons: Vec::new(),
                findings: vec![LockFinding::NoLocks],
            }),
            tests: vec![
                labelled(check("wifi", "pass", None), "Wi-Fi", "Wi-Fi"),
                labelled(check("bluetooth", "pass", None), "Bluetooth", "Bluetooth"),
                labelled(check("microphone", "pass", None), "microphone", "micro"),
                labelled(
                    check("camera_rear", "pass", None),
                    "rear camera",
                    "appareil photo arrière",
                ),
                // The bench's own words, which documents quote as such in every language.
                labelled(
                    check("speaker", "fail", Some("crackle above 80 % volume")),
                    "speaker",
                    "haut-parleur",
                ),
            ],
            grade: Some(GradeFacts {
                grade_id: id(8, n),
                graded_at: at(n) + Duration::minutes(9),
                operator: "amelie".to_owned(),
                outcome: "repair".to_owned(),
                listing_grade: "VERY_GOOD".to_owned(),
                buyback_grade: "FUNCTIONAL_GOOD".to_owned(),
                policy_name: "backmarket-default".to_owned(),
                policy_version: "2026.11".to_owned(),
                policy_sha256: "9c1e5b0d7a3f2e4c6b8a9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c"
                    .to_owned(),
                partial: false,
                reasons: BTreeMap::from([
                    ("en".to_owned(), vec![
                        "These checks did not pass: speaker. They will be repaired before sale. (functional.failed)".to_owned(),
                    ]),
                    ("fr".to_owned(), vec![
                        "Ces contrôles ont échoué : haut-parleur. Ces défauts seront réparés avant la vente. (functional.failed)".to_owned(),
                    ]),
                ]),
                checklist: vec![
                    labelled(
                        check("powers_on_off", "pass", None),
                        "power on and off",
                        "allumage et extinction",
                    ),
                    labelled(check("charges", "pass", None), "charges", "charge"),
                    labelled(check("buttons", "pass", None), "buttons", "boutons"),
                    labelled(
                        check("no_oxidation", "pass", None),
                        "no oxidation",
                        "aucune oxydation",
                    ),
                ],
                cosmetic: vec![
                    labelled(
                        check(
                            "screen",
                            "light",
                            Some("photos/screen-1.jpg sha256:2f4c9a0b7e1d3c5a"),
                        ),
                        "Screen",
                        "Écran",
                    ),
                    labelled(check("back", "flawless", None), "Back", "Dos"),
                ],
            }),
            erasures: vec![ErasureSummary {
                erasure_id: id(2, n),
                method: "factory_reset".to_owned(),
                status: "verified".to_owned(),
                target: "PB8-0042/slot 3".to_owned(),
                bytes_verified: 0,
                finished_at: Some(at(n) + Duration::minutes(15)),
            }],
            warranty_months: Some(12),
        }),
    )
}

/// An image file (a phone's dumped flash) overwritten on the workstation: named by its file
/// name and the hash of its first MiB, the device it came from, and no rows that do not apply.
pub fn image_erasure_certificate(n: u64) -> Document {
    let mut document = erasure_certificate(n);
    if let Body::ErasureCertificate(body) = &mut document.body {
        body.media = Media {
            make: Some("Xiaomi".to_owned()),
            model: Some("Redmi Note 12".to_owned()),
            serial: None,
            imei: Some("356728114587211".to_owned()),
            property_number: None,
            media_type: "image_file".to_owned(),
            source: None,
            classification: None,
            data_backed_up: None,
            size_bytes: Some(64 << 20),
            target: None,
            file_name: Some(format!("redmi-{n}.img")),
            head_sha256: Some(
                "30e14955ebf1352266dc2ff8067e68104607e750abb9d3b36582b8af909fcb58".to_owned(),
            ),
        };
        body.run.target_kind = "image".to_owned();
        body.run.bytes_written = 64 << 20;
        body.run.bytes_verified = 64 << 20;
    }
    document
}

/// A phone erased by the bench's own crypto-erase, with what the bench said.
pub fn bench_erasure_certificate(n: u64) -> Document {
    let mut document = erasure_certificate(n);
    if let Body::ErasureCertificate(body) = &mut document.body {
        body.media = Media {
            make: Some("Apple".to_owned()),
            model: Some("iPhone 13".to_owned()),
            serial: Some(format!("F2LXK{:07}", n)),
            imei: Some("356728114587211".to_owned()),
            media_type: "phone".to_owned(),
            size_bytes: Some(128_000_000_000),
            target: None,
            ..body.media.clone()
        };
        body.sanitization.method_type = MethodType::Purge;
        body.sanitization.method = "crypto_erase".to_owned();
        body.sanitization.verification = "bench".to_owned();
        body.run.target_kind = "bench".to_owned();
        body.run.seed = None;
        body.run.bytes_written = 0;
        body.run.bytes_verified = 0;
        body.run.throughput_mib_s = 0.0;
        body.run.bench = Some(BenchRun {
            vendor: "Refurbdesk".to_owned(),
            model: "PB8".to_owned(),
            serial: "PB8-0042".to_owned(),
            slot: 3,
            said: Some("keys destroyed, no focus".to_owned()),
        });
    }
    document
}

/// A trade-in batch of `devices` declared devices, audited under the default revision policy:
/// phones and laptops, some graded below their declaration, some laptops without their
/// charger, one locked phone, the last line never received, one extra device received, and
/// an erasure certificate for every audited device.
pub fn batch_report(devices: u64) -> Document {
    use refurbdesk_domain::{
        Accessory, BuybackGrade, DeviceCategory, DeviceIdentity, LockVerdictKind,
    };
    use refurbdesk_revision::{revise, Declared, Found, TradeinPolicy};

    let policy = TradeinPolicy::embedded_default();
    let grades = [
        BuybackGrade::FunctionalFlawless,
        BuybackGrade::FunctionalGood,
        BuybackGrade::FunctionalUsed,
        BuybackGrade::FunctionalCracked,
    ];
    let mut lines = Vec::with_capacity(devices as usize);
    for n in 0..devices {
        let laptop = n % 3 == 2;
        let (category, make, model, storage, quoted) = if laptop {
            (DeviceCategory::Laptop, "Dell", "Latitude 7490", 256, 21_000)
        } else {
            (
                DeviceCategory::Phone,
                "Apple",
                "iPhone 12",
                128,
                25_000 + (n % 5) * 1_000,
            )
        };
        let declared_grade = grades[(n % 2) as usize];
        let declared = Declared {
            category,
            make: Some(make.to_owned()),
            model: model.to_owned(),
            storage_gb: Some(storage),
            grade: Some(declared_grade),
            accessories: if laptop {
                vec![Accessory::Charger]
            } else {
                Vec::new()
            },
        };
        let imei = (!laptop).then(|| format!("35{:013}", 209_900_000_000 + n));
        let serial = laptop.then(|| format!("CN0{:07}", 4_000_000 + n));
        let facts = DeclaredFacts {
            imei: imei.clone(),
            serial: serial.clone(),
            category: Some(category.as_str().to_owned()),
            make: Some(make.to_owned()),
            model: Some(model.to_owned()),
            storage_gb: Some(storage),
            grade: Some(declared_grade.as_str().to_owned()),
            accessories: declared
                .accessories
                .iter()
                .map(|a| a.as_str().to_owned())
                .collect(),
        };
        let missing = n + 1 == devices && devices > 1;
        let mut line = BatchLine {
            line: n as u32 + 2,
            customer_ref: Some(format!("PO-7781/{}", n + 1)),
            declared: facts,
            received_at: None,
            found: None,
            quoted_cents: Some(quoted),
            revision: None,
            certificates: Vec::new(),
        };
        if !missing {
            let mut identity = DeviceIdentity::new(category, make, model);
            identity.storage_gb = Some(storage);
            let mut found = Found::from_identity(&identity);
            // Every seventh device one grade below its declaration.
            found.grade = Some(if n % 7 == 3 {
                grades[(n % 2) as usize + 1]
            } else {
                declared_grade
            });
            found.lock = if n == 4 {
                LockVerdictKind::Blocked
            } else {
                LockVerdictKind::Clear
            };
            // Every fourth laptop came without its charger.
            if laptop && n % 4 != 1 {
                found.accessories = vec![Accessory::Charger];
            }
            let revision = revise(&declared, &found, quoted, policy);
            line.received_at = Some(at(n) + Duration::days(2));
            line.found = Some(FoundFacts {
                device_id: Some(id(3, n)),
                make: Some(found.make.clone()),
                model: Some(found.model.clone()),
                storage_gb: found.storage_gb,
                grade: found.grade.map(|grade| grade.as_str().to_owned()),
                lock: Some(found.lock.as_str().to_owned()),
                accessories: found
                    .accessories
                    .iter()
                    .map(|a| a.as_str().to_owned())
                    .collect(),
            });
            line.revision = Some(revision);
            line.certificates = vec![id(1, n)];
        }
        lines.push(line);
    }
    let extras = vec![ExtraDevice {
        code: "356938035643809".to_owned(),
        received_at: at(devices) + Duration::days(2),
        device_id: Some(id(3, devices + 1)),
        make: Some("Samsung".to_owned()),
        model: Some("Galaxy S21".to_owned()),
        certificates: Vec::new(),
    }];
    let totals = BatchTotals::of(&lines, &extras);
    envelope(
        6,
        devices,
        Body::BatchReport(BatchReport {
            batch_id: id(7, devices),
            customer: "Banque Régionale du Rhône".to_owned(),
            manifest: Some("lot-B-2026-118.csv".to_owned()),
            quote_date: at(0).date_naive(),
            quote_expiry: at(0).date_naive() + Duration::days(30),
            audit_due: Some(at(0).date_naive() + Duration::days(9)),
            policy_name: policy.id.name.clone(),
            policy_version: policy.id.version.clone(),
            policy_sha256: None,
            currency: policy.currency.clone(),
            lines,
            extras,
            totals,
        }),
    )
}

/// One of each kind.
pub fn all(n: u64) -> Vec<Document> {
    vec![
        erasure_certificate(n),
        destruction_certificate(n),
        device_report(n),
    ]
}
