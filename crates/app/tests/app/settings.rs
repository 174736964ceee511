//! Use-case tests: settings.

use refurbdesk_app::settings::{self, GetSettingParams, SetSettingParams};
use refurbdesk_app::{ErrorCode, Hint, Workstation};

use crate::support::TestStation;

fn set(ws: &mut Workstation, key: &str, value: &str) -> refurbdesk_app::Result<()> {
    settings::set(
        ws,
        SetSettingParams {
            key: key.into(),
            value: value.into(),
        },
    )
    .map(|_| ())
}

fn value(ws: &Workstation, key: &str) -> Option<String> {
    settings::get(ws, GetSettingParams { key: key.into() })
        .ok()
        .map(|s| s.value)
}

#[test]
fn a_set_value_is_read_back_and_listed_and_an_unset_one_is_not_found() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let unset = settings::get(
        &ws,
        GetSettingParams {
            key: "organisation.name".into(),
        },
    )
    .expect_err("not set yet");
    assert_eq!(unset.code, ErrorCode::NotFound);
    assert_eq!(unset.message, "organisation.name is not set");

    set(&mut ws, "organisation.name", "Atelier Reconditionné SAS").unwrap();
    set(&mut ws, "channel.premium.soh_threshold_pct", "90").unwrap();
    assert_eq!(
        value(&ws, "organisation.name").as_deref(),
        Some("Atelier Reconditionné SAS")
    );
    let list = settings::list(&station.paths).unwrap();
    let name = list.iter().find(|s| s.key == "organisation.name").unwrap();
    assert_eq!(name.value.as_deref(), Some("Atelier Reconditionné SAS"));
    let logo = list.iter().find(|s| s.key == "organisation.logo").unwrap();
    assert_eq!(logo.value, None);
    // The channel's figure follows the document settings.
    assert_eq!(
        list.last().map(|s| (s.key.as_str(), s.value.as_deref())),
        Some(("channel.premium.soh_threshold_pct", Some("90")))
    );
}

#[test]
fn listing_a_station_without_a_database_creates_none() {
    let station = TestStation::new();
    let list = settings::list(&station.paths).unwrap();
    assert!(list.iter().all(|s| s.value.is_none()));
    assert!(list.iter().any(|s| s.key == "sale.warranty_months"));
    assert!(!station.paths.database.exists());
}

#[test]
fn an_unknown_key_is_a_usage_error_that_suggests_the_nearest_one() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let error = set(&mut ws, "organisation.nmae", "Atelier").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(error.message.contains("\"organisation.nmae\""), "{error}");
    assert!(
        error.message.contains("did you mean organisation.name?"),
        "{error}"
    );
    let error = set(&mut ws, "channel.premium.soh_treshold_pct", "90").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(
        error
            .message
            .contains("did you mean channel.premium.soh_threshold_pct?"),
        "{error}"
    );
    // Nothing near: the allowed keys, and no guess.
    let error = set(&mut ws, "colour", "blue").unwrap_err();
    assert!(error.message.contains("certificate.language"), "{error}");
    assert!(!error.message.contains("did you mean"), "{error}");
    assert_eq!(value(&ws, "colour"), None);
}

#[test]
fn language_and_warranty_take_only_what_documents_can_print() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let error = set(&mut ws, "certificate.language", "de").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert_eq!(
        error.message,
        "certificate.language is en or fr, not \"de\""
    );
    set(&mut ws, "certificate.language", "fr").unwrap();

    let error = set(&mut ws, "sale.warranty_months", "6").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(error.message.contains("at least 12 months"), "{error}");
    let error = set(&mut ws, "sale.warranty_months", "a year").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    set(&mut ws, "sale.warranty_months", "24").unwrap();
    assert_eq!(value(&ws, "sale.warranty_months").as_deref(), Some("24"));
    assert_eq!(value(&ws, "certificate.language").as_deref(), Some("fr"));
}

#[test]
fn channel_figures_are_percentages_with_consumed_under_the_threshold() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    for bad in ["0", "101", "ninety", ""] {
        let error = set(&mut ws, "channel.premium.soh_threshold_pct", bad).unwrap_err();
        assert_eq!(error.code, ErrorCode::Usage, "{bad}");
        assert!(error.message.contains("between 1 and 100"), "{error}");
    }
    // Back Market sells at 85 %: a consumed mark above it contradicts it.
    let error = set(&mut ws, "channel.backmarket.consumed_below_pct", "90").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(
        error
            .message
            .contains("channel.backmarket.soh_threshold_pct"),
        "{error}"
    );
    set(&mut ws, "channel.backmarket.consumed_below_pct", "75").unwrap();
    // A new channel's threshold under the default consumed mark (80 %) would be refused by
    // every intake, so it is refused here.
    let error = set(&mut ws, "channel.cheap.soh_threshold_pct", "70").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    set(&mut ws, "channel.cheap.consumed_below_pct", "60").unwrap();
    set(&mut ws, "channel.cheap.soh_threshold_pct", "70").unwrap();
    // What was accepted is what intakes read.
    let channel = refurbdesk_app::channels::sales_channel(&ws.store, Some("cheap")).unwrap();
    assert_eq!(channel.battery.soh_threshold_pct, 70.0);
    assert_eq!(channel.battery.consumed_below_pct, 60.0);
}

#[test]
fn the_station_channel_must_be_a_channel_with_a_threshold() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let error = set(&mut ws, "station.channel", "premium").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(error.message.contains("\"premium\""), "{error}");
    assert_eq!(
        error.hint,
        Some(Hint::SetSetting {
            key: "channel.premium.soh_threshold_pct".into(),
            example: "85".into()
        })
    );
    set(&mut ws, "station.channel", "backmarket").unwrap();
    set(&mut ws, "channel.premium.soh_threshold_pct", "90").unwrap();
    set(&mut ws, "station.channel", "premium").unwrap();
    let channel = refurbdesk_app::channels::sales_channel(&ws.store, None).unwrap();
    assert_eq!(channel.name, "premium");
}

#[test]
fn only_quality_managers_and_admins_change_settings() {
    use refurbdesk_app::operators::{self, AddOperatorParams, Role};
    let station = TestStation::new();
    for (by, name, role) in [
        (None, "boss", Role::Admin),
        (Some("boss"), "tim", Role::Technician),
    ] {
        operators::add(
            &mut station.open(by),
            AddOperatorParams {
                name: name.into(),
                role,
            },
        )
        .unwrap();
    }
    let mut tim = station.open(Some("tim"));
    let error = set(&mut tim, "organisation.name", "Atelier").unwrap_err();
    assert_eq!(error.code, ErrorCode::Refused);
    // A bad value is refused for what it is, whoever asks.
    let error = set(&mut tim, "certificate.language", "de").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    let mut boss = station.open(Some("boss"));
    set(&mut boss, "organisation.name", "Atelier").unwrap();
}

fn icon() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/icons/32x32.png")
}

#[test]
fn a_logo_is_an_existing_png_of_at_most_2_mb_that_decodes() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.png");
    let error = set(&mut ws, "organisation.logo", missing.to_str().unwrap()).unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(error.message.contains("no such file"), "{error}");

    let jpeg = dir.path().join("logo.jpg");
    std::fs::write(&jpeg, b"\xff\xd8\xff\xe0 not a png").unwrap();
    let error = set(&mut ws, "organisation.logo", jpeg.to_str().unwrap()).unwrap_err();
    assert!(error.message.contains("not a PNG file"), "{error}");

    // The PNG signature, then nothing a decoder can read.
    let truncated = dir.path().join("truncated.png");
    std::fs::write(&truncated, &std::fs::read(icon()).unwrap()[..40]).unwrap();
    let error = set(&mut ws, "organisation.logo", truncated.to_str().unwrap()).unwrap_err();
    assert!(error.message.contains("cannot be used"), "{error}");

    let big = dir.path().join("big.png");
    let mut bytes = std::fs::read(icon()).unwrap();
    bytes.resize(3 * 1024 * 1024, 0);
    std::fs::write(&big, bytes).unwrap();
    let error = set(&mut ws, "organisation.logo", big.to_str().unwrap()).unwrap_err();
    assert!(
        error.message.contains("at most 2097152 bytes (2 MB)"),
        "{error}"
    );
    assert_eq!(value(&ws, "organisation.logo"), None);

    set(&mut ws, "organisation.logo", icon().to_str().unwrap()).unwrap();
    // An empty value clears the logo.
    set(&mut ws, "organisation.logo", "").unwrap();
}

#[test]
fn the_organisation_name_fits_one_printed_line() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    for bad in ["", "   ", "Two\nlines"] {
        let error = set(&mut ws, "organisation.name", bad).unwrap_err();
        assert_eq!(error.code, ErrorCode::Usage, "{bad:?}");
    }
    let error = set(&mut ws, "organisation.name", &"A".repeat(10_000)).unwrap_err();
    assert!(error.message.contains("10000 characters"), "{error}");
    assert!(error.message.contains("at most 80 characters"), "{error}");
    set(&mut ws, "organisation.name", &"É".repeat(80)).unwrap();
}

#[test]
fn the_verify_url_is_an_http_template_with_known_placeholders() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    for bad in [
        "ftp://example.com/{id}",
        "example.com/{id}",
        "https:///{id}",
        "https://example.com/{serial}",
        "https://example.com/verify",
        "https://example.com/a b/{id}",
        "javascript:alert(1)",
    ] {
        let error = set(&mut ws, "certificate.verify_url", bad).unwrap_err();
        assert_eq!(error.code, ErrorCode::Usage, "{bad}");
        assert!(error.message.contains("{id}, {digest}, {key}"), "{error}");
    }
    set(
        &mut ws,
        "certificate.verify_url",
        "https://verify.example.com/c/{id}?sig={digest}&key={key}",
    )
    .unwrap();
    set(
        &mut ws,
        "certificate.verify_url",
        "http://10.0.0.2:8080/{id}",
    )
    .unwrap();
}

#[test]
fn the_signature_line_is_true_or_false_and_off_by_default() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let list = settings::list(&station.paths).unwrap();
    assert!(list.iter().any(|s| s.key == "certificate.signature_line"));
    assert!(!refurbdesk_app::documents::setting::signature_line(None));
    let error = set(&mut ws, "certificate.signature_line", "yes please").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(error.message.contains("true"), "{error}");
    set(&mut ws, "certificate.signature_line", "true").unwrap();
    let stored = value(&ws, "certificate.signature_line");
    assert!(refurbdesk_app::documents::setting::signature_line(
        stored.as_deref()
    ));
}

#[test]
fn an_unknown_station_channel_lists_the_channels_that_exist() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    set(&mut ws, "channel.premium.soh_threshold_pct", "90").unwrap();
    let error = set(&mut ws, "station.channel", "premum").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(
        error
            .message
            .contains("the channels are backmarket, premium"),
        "{error}"
    );
}

#[test]
fn the_calendar_settings_are_checked_and_give_the_business_calendar() {
    use chrono::NaiveDate;
    use refurbdesk_app::calendar::business_calendar;
    use refurbdesk_domain::Country;

    let station = TestStation::new();
    let mut ws = station.open(None);
    // France with no closed day until something is set.
    let calendar = business_calendar(&ws).unwrap();
    assert_eq!(calendar.country, Country::France);
    assert!(calendar.closed_days.is_empty());

    let wrong = set(&mut ws, "calendar.country", "de").unwrap_err();
    assert_eq!(wrong.code, ErrorCode::Usage);
    assert!(
        wrong.message.contains("fr (France) or be (Belgium)"),
        "{}",
        wrong.message
    );
    let wrong = set(&mut ws, "calendar.closed_days", "2026-05-15, 15/08/2026").unwrap_err();
    assert_eq!(wrong.code, ErrorCode::Usage);
    assert!(
        wrong.message.contains("\"15/08/2026\""),
        "{}",
        wrong.message
    );
    assert_eq!(value(&ws, "calendar.closed_days"), None);

    set(&mut ws, "calendar.country", "be").unwrap();
    set(&mut ws, "calendar.closed_days", "2026-07-22, 2026-07-23").unwrap();
    let calendar = business_calendar(&ws).unwrap();
    assert_eq!(calendar.country, Country::Belgium);
    let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    // Mon 20 July + 1: 21 July is Belgium's national day, 22 and 23 are closed.
    assert_eq!(calendar.add_business_days(day(7, 20), 1), day(7, 24));
}

#[test]
fn the_window_station_follows_the_ports_setting_and_the_label_printer_is_an_address() {
    use refurbdesk_app::station::{configured_ports, StationParams};
    let station = TestStation::new();
    let mut ws = station.open(None);
    // Nothing set: the window's station has no serial bench.
    assert!(configured_ports(&station.paths).unwrap().is_empty());

    let error = set(&mut ws, "station.ports", "/dev/ttyUSB0, ttyUSB1").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(error.message.contains("\"ttyUSB1\""), "{error}");
    let error = set(&mut ws, "station.ports", "/dev/ttyUSB0,/dev/ttyUSB0").unwrap_err();
    assert!(error.message.contains("named twice"), "{error}");
    set(&mut ws, "station.ports", " /dev/ttyUSB0 , /dev/ttyACM1,").unwrap();
    let params = StationParams::for_window(&station.paths, true).unwrap();
    assert_eq!(
        params.ports,
        vec![
            std::path::PathBuf::from("/dev/ttyUSB0"),
            std::path::PathBuf::from("/dev/ttyACM1")
        ]
    );
    assert!(params.simulate && params.usb);
    assert!(
        !StationParams::for_window(&station.paths, false)
            .unwrap()
            .simulate
    );

    let error = set(&mut ws, "label.printer", "zebra:0").unwrap_err();
    assert_eq!(error.code, ErrorCode::Usage);
    assert!(error.message.starts_with("label.printer: "), "{error}");
    assert!(set(&mut ws, "label.printer", "").is_err());
    // Its shape only: the printer need not answer while it is set.
    set(&mut ws, "label.printer", "zebra-1.example.invalid:9100").unwrap();
    set(&mut ws, "label.printer", "192.0.2.7").unwrap();
    assert_eq!(value(&ws, "label.printer").as_deref(), Some("192.0.2.7"));
    let typo = set(&mut ws, "station.port", "/dev/ttyUSB0").unwrap_err();
    assert!(
        typo.message.contains("did you mean station.ports?"),
        "{typo}"
    );
}
