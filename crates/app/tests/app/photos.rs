//! Use-case tests: photos of a device's cosmetic zones, kept in a real SQLite file.

use std::path::PathBuf;

use base64::Engine;
use refurbdesk_app::devices::{self, DeviceShowParams};
use refurbdesk_app::photos::{self, AddPhotoParams, PhotoListParams, PhotoReadParams, PhotoSource};
use refurbdesk_app::ErrorCode;
use refurbdesk_domain::Lang;

use crate::support::{Phone, TestStation};

const IMEI: &str = "356728114587211";

/// The app's own icon: a real PNG file.
fn png() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/icons/32x32.png")
}

fn station() -> TestStation {
    let station = TestStation::new();
    let mut ws = station.open(None);
    ws.store.record_intake(&Phone::new(IMEI).intake()).unwrap();
    station
}

fn add(zone: &str, photo: PhotoSource) -> AddPhotoParams {
    AddPhotoParams {
        device: IMEI.into(),
        zone: zone.into(),
        photo,
    }
}

#[test]
fn a_photo_is_kept_with_its_digest_listed_shown_and_read_back() {
    let station = station();
    let mut ws = station.open(None);
    let bytes = std::fs::read(png()).unwrap();

    let from_file = photos::add(&mut ws, add("screen", PhotoSource::File { path: png() })).unwrap();
    assert_eq!(from_file.zone, "screen");
    assert_eq!(from_file.file_name, "32x32.png");
    assert_eq!(from_file.media_type, "image/png");
    assert_eq!(from_file.size_bytes, bytes.len() as u64);
    assert_eq!(
        from_file.sha256,
        refurbdesk_app::documents::sha256_hex(&bytes)
    );
    assert_eq!(from_file.operator, refurbdesk_app::os_user());

    // The window sends bytes; a JPEG is known by its first bytes whatever its name says.
    let jpeg = [&b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"[..], &[0u8; 64]].concat();
    let from_window = photos::add(
        &mut ws,
        add(
            "back",
            PhotoSource::Bytes {
                name: "back.png".into(),
                base64: base64::engine::general_purpose::STANDARD.encode(&jpeg),
            },
        ),
    )
    .unwrap();
    assert_eq!(from_window.media_type, "image/jpeg");

    let listed = photos::list(
        &ws,
        &PhotoListParams {
            device: IMEI.into(),
        },
    )
    .unwrap();
    assert_eq!(listed, vec![from_file.clone(), from_window.clone()]);
    let shown = devices::show(
        &ws,
        DeviceShowParams {
            device: IMEI.into(),
            lang: Lang::En,
        },
    )
    .unwrap();
    assert_eq!(shown.photos, listed);
    assert!(shown
        .history
        .iter()
        .any(|entry| entry.kind == "photo" && entry.summary == "screen: 32x32.png"));

    let read = photos::read(&ws, &PhotoReadParams { id: from_file.id }).unwrap();
    let encoded = read
        .data_url
        .strip_prefix("data:image/png;base64,")
        .unwrap();
    assert_eq!(
        base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap(),
        bytes
    );

    // Audited, and the database check covers the bytes.
    let actions: Vec<String> = ws
        .store
        .audit_entries(0, 100)
        .unwrap()
        .into_iter()
        .map(|entry| entry.action)
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|action| *action == "photo.added")
            .count(),
        2
    );
    assert!(ws.store.check().unwrap().is_ok());
}

#[test]
fn only_png_or_jpeg_of_at_most_10_mib_of_a_zone_of_the_device_is_kept() {
    let station = station();
    let mut ws = station.open(None);
    let dir = station.dir.path();

    let gif = dir.join("scratch.gif");
    std::fs::write(&gif, b"GIF89a\x01\x00\x01\x00").unwrap();
    let error = photos::add(
        &mut ws,
        add("screen", PhotoSource::File { path: gif.clone() }),
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(
        error.message.contains(&gif.display().to_string()),
        "{}",
        error.message
    );
    assert!(
        error.message.contains("not a PNG or JPEG"),
        "{}",
        error.message
    );

    let large = dir.join("large.png");
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.resize(10 * 1024 * 1024 + 1, 0);
    std::fs::write(&large, &bytes).unwrap();
    let error = photos::add(
        &mut ws,
        add(
            "screen",
            PhotoSource::File {
                path: large.clone(),
            },
        ),
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(
        error.message.contains("large.png") && error.message.contains("10 MiB"),
        "{}",
        error.message
    );
    // Exactly 10 MiB is kept.
    bytes.truncate(10 * 1024 * 1024);
    std::fs::write(&large, &bytes).unwrap();
    photos::add(&mut ws, add("frame", PhotoSource::File { path: large })).unwrap();

    let missing = dir.join("missing.jpg");
    let error =
        photos::add(&mut ws, add("screen", PhotoSource::File { path: missing })).unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(error.message.contains("missing.jpg"), "{}", error.message);

    // A laptop's lid is not a phone's zone.
    let error = photos::add(&mut ws, add("lid", PhotoSource::File { path: png() })).unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(
        error.message.contains("screen, back, frame"),
        "{}",
        error.message
    );

    let bad = PhotoSource::Bytes {
        name: "x.png".into(),
        base64: "not base64!".into(),
    };
    assert_eq!(
        photos::add(&mut ws, add("screen", bad)).unwrap_err().code,
        ErrorCode::Data
    );

    let kept = photos::list(
        &ws,
        &PhotoListParams {
            device: IMEI.into(),
        },
    )
    .unwrap();
    assert_eq!(kept.len(), 1, "only the 10 MiB photo");
}
