//! Use-case tests: verification sampling, on real image files erased through the app and a real
//! SQLite file.

use std::path::{Path, PathBuf};

use refurbdesk_app::erase::{self, DriveConfirmation, DriveParams, Method, Verify};
use refurbdesk_app::operators::{self, AddOperatorParams, Role};
use refurbdesk_app::qa::{self, QaCheck, QaDrawParams, QaResult, QaVerifyParams};
use refurbdesk_app::settings::{self, SetSettingParams};
use refurbdesk_app::{ErrorCode, Progress, Workstation};
use refurbdesk_domain::Lang;
use uuid::Uuid;

use crate::support::TestStation;

const MIB: usize = 1 << 20;

fn register(station: &TestStation) {
    let mut ws = station.open(Some("ada"));
    for (name, role) in [
        ("ada", Role::Admin),
        ("tom", Role::Technician),
        ("tia", Role::Technician),
        ("quinn", Role::QualityManager),
    ] {
        operators::add(
            &mut ws,
            AddOperatorParams {
                name: name.into(),
                role,
            },
        )
        .expect("registered");
    }
}

/// Erases a fresh image file as `operator`; returns the file and the erasure id.
fn erased(station: &TestStation, operator: &str, name: &str, method: Method) -> (PathBuf, Uuid) {
    let path = station.dir.path().join(name);
    std::fs::write(&path, vec![0x5a_u8; MIB]).expect("image written");
    let mut ws = station.open(Some(operator));
    let done = erase::drive(
        &mut ws,
        &DriveParams {
            target: path.clone(),
            method,
            verify: Verify::Full,
            confirmation: DriveConfirmation::Image,
            device: None,
            lang: Lang::En,
        },
        &Progress::silent(),
        &mut |_| {},
    )
    .expect("erased");
    assert!(done.failure.is_none());
    (path, done.record.id)
}

fn read_back(
    ws: &mut Workstation,
    erasure: Uuid,
    path: &Path,
) -> refurbdesk_app::Result<qa::QaVerified> {
    qa::verify(
        ws,
        QaVerifyParams {
            erasure,
            check: QaCheck::Target {
                path: path.to_owned(),
            },
            note: Some("bench 3".into()),
        },
        &Progress::silent(),
    )
}

#[test]
fn a_draw_queues_a_share_per_technician_and_week_and_another_operator_reads_each_back() {
    let station = TestStation::new();
    register(&station);
    let toms: Vec<(PathBuf, Uuid)> = [Method::Zero, Method::Random, Method::Zero]
        .into_iter()
        .enumerate()
        .map(|(n, method)| erased(&station, "tom", &format!("tom{n}.img"), method))
        .collect();
    let (tia_path, tia_erasure) = erased(&station, "tia", "tia.img", Method::Zero);

    let mut quinn = station.open(Some("quinn"));
    // A share is checked where it is set.
    let refused = settings::set(
        &mut quinn,
        SetSettingParams {
            key: "qa.sample_pct".into(),
            value: "150".into(),
        },
    )
    .unwrap_err();
    assert_eq!(refused.code, ErrorCode::Usage);
    settings::set(
        &mut quinn,
        SetSettingParams {
            key: "qa.sample_pct".into(),
            value: "50".into(),
        },
    )
    .unwrap();

    let drawn = qa::draw(&mut quinn, QaDrawParams::default()).expect("drawn");
    assert_eq!(drawn.considered, 4);
    assert_eq!(drawn.share_pct, 50.0);
    // Half of tom's three, rounded up, and tia's only one.
    assert_eq!(
        drawn
            .samples
            .iter()
            .filter(|s| s.technician == "tom")
            .count(),
        2
    );
    assert_eq!(
        drawn
            .samples
            .iter()
            .filter(|s| s.technician == "tia")
            .count(),
        1
    );
    assert!(drawn
        .samples
        .iter()
        .all(|s| s.reason == "drawn" && s.needs == "readback"));
    // Nothing is considered twice.
    let again = qa::draw(&mut quinn, QaDrawParams::default()).unwrap();
    assert_eq!((again.considered, again.draw_id), (0, None));

    // The technician may not check their own erasure.
    let tia_sample = drawn
        .samples
        .iter()
        .find(|s| s.technician == "tia")
        .unwrap();
    assert_eq!(tia_sample.erasure_id, tia_erasure);
    let mut tia = station.open(Some("tia"));
    let own = read_back(&mut tia, tia_erasure, &tia_path).unwrap_err();
    assert_eq!(own.code, ErrorCode::Refused, "{own:?}");
    // A phone's manual result does not stand in for reading a drive back.
    let manual = qa::verify(
        &mut quinn,
        QaVerifyParams {
            erasure: tia_erasure,
            check: QaCheck::Manual {
                result: QaResult::Pass,
            },
            note: None,
        },
        &Progress::silent(),
    )
    .unwrap_err();
    assert_eq!(manual.code, ErrorCode::Usage);
    // Another media of another size is not the one erased.
    let other = station.dir.path().join("other.img");
    std::fs::write(&other, vec![0_u8; 2 * MIB]).unwrap();
    assert_eq!(
        read_back(&mut quinn, tia_erasure, &other).unwrap_err().code,
        ErrorCode::Usage
    );

    let passed = read_back(&mut quinn, tia_erasure, &tia_path).expect("read back");
    assert_eq!(passed.sample.result.as_deref(), Some("pass"));
    assert_eq!(passed.sample.verified_by.as_deref(), Some("quinn"));
    assert_eq!(passed.bytes_verified, Some(MIB as u64));
    assert!(passed.flagged.is_empty());
    assert_eq!(
        read_back(&mut quinn, tia_erasure, &tia_path)
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );

    // One of tom's drawn media was written to after the erasure: the read-back fails, and tom's
    // other verified erasures (none passed before) come back to the queue.
    let tom_samples: Vec<Uuid> = drawn
        .samples
        .iter()
        .filter(|s| s.technician == "tom")
        .map(|s| s.erasure_id)
        .collect();
    let (tom_path, tom_erasure) = toms
        .iter()
        .find(|(_, id)| *id == tom_samples[0])
        .unwrap()
        .clone();
    let mut bytes = std::fs::read(&tom_path).unwrap();
    bytes[MIB / 2] ^= 0xff;
    std::fs::write(&tom_path, bytes).unwrap();
    let failed = read_back(&mut quinn, tom_erasure, &tom_path).expect("recorded");
    assert_eq!(failed.sample.result.as_deref(), Some("fail"));
    let undrawn: Vec<Uuid> = toms
        .iter()
        .map(|(_, id)| *id)
        .filter(|id| !tom_samples.contains(id))
        .collect();
    assert_eq!(
        failed
            .flagged
            .iter()
            .map(|s| s.erasure_id)
            .collect::<Vec<_>>(),
        undrawn,
        "the one not drawn is flagged; the one already waiting is not queued twice"
    );
    assert!(failed
        .flagged
        .iter()
        .all(|s| s.reason == "flagged" && s.flagged_by == Some(failed.sample.sample_id)));

    let list = qa::list(&quinn).unwrap();
    assert_eq!(
        list.queue.len(),
        2,
        "tom's other drawn sample and the flagged one"
    );
    assert_eq!(list.checked.len(), 2);
    let tom = list
        .technicians
        .iter()
        .find(|r| r.technician == "tom")
        .unwrap();
    assert_eq!(
        (tom.passed, tom.failed, tom.waiting, tom.pass_rate_pct),
        (0, 1, 2, Some(0.0))
    );
    let tia_rate = list
        .technicians
        .iter()
        .find(|r| r.technician == "tia")
        .unwrap();
    assert_eq!(tia_rate.pass_rate_pct, Some(100.0));
    assert!(quinn.store.check().expect("checks").is_ok());
    assert!(refurbdesk_app::audit::verify(&quinn).expect("audit").ok);
}

#[test]
fn a_technician_may_not_draw_and_a_bad_seed_is_a_usage_error() {
    let station = TestStation::new();
    register(&station);
    erased(&station, "tom", "a.img", Method::Zero);
    let mut tom = station.open(Some("tom"));
    assert_eq!(
        qa::draw(&mut tom, QaDrawParams::default())
            .unwrap_err()
            .code,
        ErrorCode::Refused
    );
    let mut quinn = station.open(Some("quinn"));
    let bad = qa::draw(
        &mut quinn,
        QaDrawParams {
            seed: Some("xyz".into()),
        },
    )
    .unwrap_err();
    assert_eq!(bad.code, ErrorCode::Usage);
    assert!(
        qa::list(&quinn).unwrap().queue.is_empty(),
        "nothing recorded"
    );
}
