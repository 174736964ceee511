//! The committed manifests under fixtures/manifests/: encodings, separators, decimal commas.

use std::path::PathBuf;

use refurbdesk_domain::{Accessory, BuybackGrade, DeviceCategory};
use refurbdesk_manifest::{read_manifest, Format, Manifest, TextEncoding};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/manifests")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn read_fixture(name: &str) -> Manifest {
    let bytes = fixture(name);
    let format = Format::detect(name, &bytes);
    assert_eq!(format, Format::Csv);
    read_manifest(&bytes, format).unwrap_or_else(|rejected| panic!("{name}: {rejected}"))
}

/// The French export, whatever its encoding, reads to the same lines.
fn assert_french_lines(manifest: &Manifest) {
    assert_eq!(manifest.source.separator, Some(';'));
    assert_eq!(manifest.columns[0], "IMEI");
    assert_eq!(manifest.columns[11], "Remarque");
    let lines: Vec<u32> = manifest.lines.iter().map(|line| line.line).collect();
    // The MacBook's remark holds a newline inside quotes: it spans lines 4 and 5, so the tablet
    // is on line 6. The blank line and the line of bare separators after it are skipped.
    assert_eq!(lines, [2, 3, 4, 6]);

    let iphone = &manifest.lines[0];
    assert_eq!(iphone.quoted_price_cents, Some(123_450));
    assert_eq!(iphone.extra["Remarque"], "écran rayé");
    assert_eq!(iphone.accessories, [Accessory::Charger]);

    let pixel = &manifest.lines[1];
    assert_eq!(pixel.storage_gb, Some(128));
    assert_eq!(pixel.quoted_price_cents, Some(19_990));
    assert_eq!(pixel.accessories, [Accessory::Charger, Accessory::Cable]);
    assert_eq!(pixel.extra["Remarque"], "");

    let macbook = &manifest.lines[2];
    assert_eq!(macbook.imei, None);
    assert_eq!(macbook.serial.as_deref(), Some("C02ZX1Y2JG5H"));
    assert_eq!(macbook.category, Some(DeviceCategory::Laptop));
    assert_eq!(macbook.quoted_price_cents, Some(45_000));
    assert_eq!(macbook.extra["Remarque"], "livré sans housse\nà vérifier");

    let tablet = &manifest.lines[3];
    assert_eq!(tablet.imei.as_deref(), Some("353918056547090"));
    assert_eq!(tablet.declared_grade, Some(BuybackGrade::NotFunctionalUsed));
    assert_eq!(tablet.quoted_price_cents, Some(3_550));
    assert_eq!(tablet.currency.as_str(), "EUR");
    assert!(tablet.accessories.is_empty());
}

#[test]
fn a_windows_1252_semicolon_export_with_decimal_commas_is_read() {
    let bytes = fixture("fr-windows-1252-semicolon.csv");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is not UTF-8"
    );
    let manifest = read_fixture("fr-windows-1252-semicolon.csv");
    assert_eq!(manifest.source.encoding, Some(TextEncoding::Windows1252));
    assert_french_lines(&manifest);
}

#[test]
fn a_utf8_export_with_a_byte_order_mark_is_read() {
    let manifest = read_fixture("fr-utf8-bom-semicolon.csv");
    assert_eq!(manifest.source.encoding, Some(TextEncoding::Utf8Bom));
    assert_french_lines(&manifest);
}

#[test]
fn the_same_export_in_utf16_is_read() {
    let text = String::from_utf8(fixture("fr-utf8-bom-semicolon.csv")).expect("UTF-8");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.trim_start_matches('\u{feff}').encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let manifest = read_manifest(&bytes, Format::Csv).expect("UTF-16 reads");
    assert_eq!(manifest.source.encoding, Some(TextEncoding::Utf16));
    assert_french_lines(&manifest);
}

#[test]
fn an_english_comma_export_in_another_column_order_is_read() {
    let manifest = read_fixture("en-utf8-comma.csv");
    assert_eq!(manifest.source.encoding, Some(TextEncoding::Utf8));
    assert_eq!(manifest.source.separator, Some(','));
    let [first, second] = &manifest.lines[..] else {
        panic!("two lines: {:?}", manifest.lines)
    };
    assert_eq!(first.customer_ref.as_deref(), Some("A-1"));
    assert_eq!(first.imei.as_deref(), Some("356728114587211"));
    assert_eq!(first.quoted_price_cents, Some(123_450));
    assert_eq!(first.declared_grade, Some(BuybackGrade::FunctionalFlawless));
    assert_eq!(first.accessories, [Accessory::Charger, Accessory::Cable]);
    assert_eq!(first.extra["Pallet"], "P1");
    assert_eq!(second.declared_grade, Some(BuybackGrade::FunctionalGood));
    assert_eq!(second.quoted_price_cents, Some(19_990));
}
