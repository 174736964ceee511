//! Use-case tests: trade-in customers and batches on a real SQLite file, with manifests written
//! by the tests.

use chrono::{NaiveDate, Utc};
use refurbdesk_app::batches::{
    self, BatchRef, BatchStage, ImportBatchParams, ManifestInput, ReceiveParams, RequoteParams,
    ScanOutcome,
};
use refurbdesk_app::customers::{self, AddCustomerParams, ForgetCustomerParams};
use refurbdesk_app::{audit, db, ErrorCode, Workstation};
use refurbdesk_domain::{luhn_valid, BusinessCalendar, Country, Lang};

use crate::support::TestStation;

/// A valid IMEI from a 14-digit body: the check digit that passes Luhn.
fn imei(body: u64) -> String {
    let body = format!("{body:014}");
    (0..10)
        .map(|digit| format!("{body}{digit}"))
        .find(|candidate| luhn_valid(candidate))
        .expect("one check digit passes")
}

fn add_customer(ws: &mut Workstation, name: &str) -> customers::CustomerRecord {
    customers::add(
        ws,
        AddCustomerParams {
            name: name.into(),
            email: Some("achats@example.fr".into()),
            phone: Some("+33 1 23 45 67 89".into()),
            address: Some("1 rue de la Paix, 75002 Paris".into()),
            vat: Some("FR40303265045".into()),
        },
    )
    .unwrap()
}

fn import(
    station: &TestStation,
    ws: &mut Workstation,
    file: &str,
    text: &str,
    lang: Lang,
) -> refurbdesk_app::Result<batches::ImportedBatch> {
    let path = station.dir.path().join(file);
    std::fs::write(&path, text).unwrap();
    batches::import(
        ws,
        ImportBatchParams {
            manifest: ManifestInput::File { path },
            customer: "Acme Leasing".into(),
            quote_date: Some(NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()),
            lang,
        },
    )
}

fn scan(ws: &mut Workstation, batch: &str, code: &str) -> batches::Receipt {
    batches::receive(
        ws,
        ReceiveParams {
            batch: batch.into(),
            code: code.into(),
            accessories: None,
        },
    )
    .unwrap()
}

fn assert_clean(station: &TestStation) {
    let ws = Workstation::open_existing(station.paths.clone(), None).unwrap();
    let verified = audit::verify(&ws).unwrap();
    assert!(verified.ok, "{verified:?}");
    let checked = db::check(&ws).unwrap();
    assert!(checked.ok, "{:?}", checked.report);
}

#[test]
fn a_customer_is_added_listed_and_forgotten_without_breaking_the_chain() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    let customer = add_customer(&mut ws, "Acme Leasing");
    assert_eq!(customer.name, "Acme Leasing");
    assert!(customer.pseudonym.starts_with("customer-"));
    let twice = customers::add(
        &mut ws,
        AddCustomerParams {
            name: "ACME leasing".into(),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(twice.code, ErrorCode::Refused);
    let bad_email = customers::add(
        &mut ws,
        AddCustomerParams {
            name: "Other".into(),
            email: Some("nobody".into()),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert_eq!(bad_email.code, ErrorCode::Usage);

    // A batch refers to the customer by id; it stays after the customer is forgotten.
    let batch = import(
        &station,
        &mut ws,
        "lot.csv",
        &format!(
            "imei,model,quoted_price\n{},iPhone 12,100\n",
            imei(35672811458721)
        ),
        Lang::En,
    )
    .unwrap();

    let forgotten = customers::forget(
        &mut ws,
        ForgetCustomerParams {
            customer: customer.id.to_string(),
        },
    )
    .unwrap();
    assert_eq!(forgotten.name, customer.pseudonym);
    assert_eq!(forgotten.email, None);
    assert_eq!(forgotten.address, None);
    assert_eq!(forgotten.vat, None);
    assert!(forgotten.forgotten_at.is_some());
    let listed = customers::list(&ws).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].name, customer.pseudonym);
    // The name no longer finds them; the pseudonym does.
    assert_eq!(
        customers::find(&ws, "Acme Leasing").unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        customers::find(&ws, &customer.pseudonym).unwrap().id,
        customer.id
    );
    let status = batches::status(
        &ws,
        &BatchRef {
            batch: batch.id.to_string(),
        },
    )
    .unwrap();
    assert_eq!(status.customer, customer.pseudonym);
    // Forgetting again changes nothing.
    customers::forget(
        &mut ws,
        ForgetCustomerParams {
            customer: customer.pseudonym.clone(),
        },
    )
    .unwrap();
    drop(ws);
    assert_clean(&station);

    // The request is in the audit log.
    let conn = rusqlite::Connection::open(&station.paths.database).unwrap();
    let logged: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'customer.forgotten' AND entity_id = ?1",
            [customer.id.to_string()],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(logged, 1);
    let kept: i64 = conn
        .query_row(
            "SELECT count(*) FROM customer_contacts WHERE name = 'Acme Leasing'",
            [],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(kept, 0);
}

#[test]
fn a_batch_is_imported_received_by_scan_counted_and_requoted() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    add_customer(&mut ws, "Acme Leasing");
    let (a, b, c) = (
        imei(35672811458721),
        imei(49015420323751),
        imei(35332509123456),
    );
    let manifest = format!(
        "IMEI;Serial;Make;Model;Storage_GB;Declared_Grade;Quoted_Price;Accessories\n\
         {a};;Apple;iPhone 12;128;FUNCTIONAL_GOOD;1 234,50;charger\n\
         {b};;Google;Pixel 7;128;FUNCTIONAL_USED;99;\n\
         ;C02XK1ABJG5H;Apple;MacBook Air;256;FUNCTIONAL_FLAWLESS;450,25;\"charger;cable\"\n\
         {c};;Samsung;Galaxy S21;;NOT_FUNCTIONAL_CRACKED;10;\n\n"
    );
    let imported = import(&station, &mut ws, "lot-12.csv", &manifest, Lang::En).unwrap();
    assert_eq!(imported.lines, 4);
    assert_eq!(imported.quoted_total, "1793.75");
    assert_eq!(imported.currency, "EUR");
    assert_eq!(
        imported.quote_date,
        NaiveDate::from_ymd_opt(2026, 1, 31).unwrap()
    );
    assert_eq!(
        imported.quote_expiry,
        NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()
    );
    let batch = imported.id.to_string();

    let fresh = batches::status(
        &ws,
        &BatchRef {
            batch: batch.clone(),
        },
    )
    .unwrap();
    assert_eq!(fresh.stage, BatchStage::Awaiting);
    assert_eq!((fresh.declared, fresh.received, fresh.missing), (4, 0, 4));
    assert_eq!(fresh.due_date, None);
    assert!(fresh.quote_expired, "quoted in January 2026, expired since");

    let first = scan(&mut ws, &batch, &a);
    assert_eq!(first.outcome, ScanOutcome::Matched);
    assert_eq!(first.device.as_ref().unwrap().line, 2);
    // The serial, typed in lower case by a scanner, matches its line.
    let mac = scan(&mut ws, &batch, "  c02xk1abjg5h\r");
    assert_eq!(mac.outcome, ScanOutcome::Matched);
    assert_eq!(
        mac.device.as_ref().unwrap().model.as_deref(),
        Some("MacBook Air")
    );
    // An IMEI with group spaces is the same IMEI: received already, nothing new recorded.
    let spaced = format!("{} {} {}", &a[..2], &a[2..8], &a[8..]);
    let again = scan(&mut ws, &batch, &spaced);
    assert_eq!(again.outcome, ScanOutcome::AlreadyReceived);
    assert_eq!(again.received_at, first.received_at);
    let extra = scan(&mut ws, &batch, "SN-NOT-DECLARED");
    assert_eq!(extra.outcome, ScanOutcome::Extra);
    assert_eq!(
        scan(&mut ws, &batch, "SN-NOT-DECLARED").outcome,
        ScanOutcome::AlreadyReceived
    );

    let status = batches::status(
        &ws,
        &BatchRef {
            batch: batch.clone(),
        },
    )
    .unwrap();
    assert_eq!(status.stage, BatchStage::Receiving);
    assert_eq!(
        (
            status.declared,
            status.received,
            status.missing,
            status.extra,
            status.audited
        ),
        (4, 2, 2, 1, 0)
    );
    assert_eq!(status.quoted_total, "1793.75");
    assert_eq!(status.revised_total, None);
    let missing: Vec<_> = status
        .missing_devices
        .iter()
        .map(|line| line.line)
        .collect();
    assert_eq!(missing, [3, 5]);
    assert_eq!(status.extra_devices[0].code, "SN-NOT-DECLARED");
    let today = Utc::now().date_naive();
    assert_eq!(status.received_on, Some(today));
    assert_eq!(
        status.due_date,
        Some(BusinessCalendar::new(Country::France).add_business_days(today, 5))
    );
    assert!(!status.due_estimated);
    let json = serde_json::to_value(&status).unwrap();
    for key in [
        "declared",
        "received",
        "missing",
        "extra",
        "audited",
        "quoted_total",
        "revised_total",
    ] {
        assert!(json.get(key).is_some(), "{key}");
    }

    let listed = batches::list(&ws).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].received, listed[0].extra), (2, 1));
    assert_eq!(listed[0].customer, "Acme Leasing");

    let earlier = batches::requote(
        &mut ws,
        RequoteParams {
            batch: batch.clone(),
            date: NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(),
        },
    )
    .unwrap_err();
    assert_eq!(earlier.code, ErrorCode::Usage);
    let renewed = batches::requote(
        &mut ws,
        RequoteParams {
            batch: batch.clone(),
            date: today,
        },
    )
    .unwrap();
    assert_eq!(renewed.quote_date, today);
    assert!(!renewed.quote_expired);
    assert_eq!(renewed.quote_expiry, batches::quote_expiry(today));
    drop(ws);
    assert_clean(&station);
}

#[test]
fn a_bad_manifest_is_refused_whole_with_every_problem_by_line_in_the_language_asked() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    add_customer(&mut ws, "Acme Leasing");
    let good = imei(35672811458721);
    let mut bad = good.clone();
    let last = bad.pop().unwrap().to_digit(10).unwrap();
    bad.push(char::from_digit((last + 1) % 10, 10).unwrap());
    let manifest = format!(
        "imei,serial,declared_grade,quoted_price\n\
         {good},,FUNCTIONAL_GOOD,100\n\
         {bad},,FUNCTIONAL_GOOD,100\n\
         ,,MINT,abc\n"
    );
    let error = import(&station, &mut ws, "bad.csv", &manifest, Lang::En).unwrap_err();
    assert_eq!(error.code, ErrorCode::Data);
    let lines: Vec<&str> = error.message.lines().collect();
    assert!(
        lines[0].starts_with("the manifest bad.csv was not imported: 4 problems"),
        "{}",
        error.message
    );
    assert!(
        lines[1].starts_with("line 3, column imei: IMEI "),
        "{}",
        lines[1]
    );
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("line 4: neither an IMEI")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("line 4, column declared_grade: \"MINT\"")),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("line 4, column quoted_price:")),
        "{lines:?}"
    );
    let details = error.details.as_ref().unwrap();
    assert_eq!(details["problems"].as_array().unwrap().len(), 4);
    assert_eq!(details["problems"][0]["line"], 3);

    let french = import(&station, &mut ws, "bad.csv", &manifest, Lang::Fr).unwrap_err();
    assert!(
        french
            .message
            .starts_with("le manifeste bad.csv n'a pas été importé : 4 problèmes"),
        "{}",
        french.message
    );
    assert!(
        french.message.contains("\nligne 3, colonne imei : l'IMEI "),
        "{}",
        french.message
    );
    assert!(batches::list(&ws).unwrap().is_empty(), "nothing imported");

    // An identifier already declared in an open batch refuses the second manifest.
    let first = import(
        &station,
        &mut ws,
        "first.csv",
        &format!("imei,serial\n{good},\n,SN-1\n"),
        Lang::En,
    )
    .unwrap();
    let error = import(
        &station,
        &mut ws,
        "second.csv",
        &format!(
            "serial;imei\nOTHER;{}\nsn-1;\n\n;{good}\n",
            imei(49015420323751)
        ),
        Lang::En,
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::Data);
    let lines: Vec<&str> = error.message.lines().collect();
    assert_eq!(lines.len(), 3, "{}", error.message);
    assert_eq!(
        lines[1],
        format!(
            "line 3, column serial: sn-1 is already declared in open batch {}",
            first.id
        )
    );
    assert_eq!(
        lines[2],
        format!(
            "line 5, column imei: {good} is already declared in open batch {}",
            first.id
        )
    );
    assert_eq!(batches::list(&ws).unwrap().len(), 1);

    let empty = import(&station, &mut ws, "empty.csv", "", Lang::En).unwrap_err();
    assert_eq!(empty.code, ErrorCode::Data);
    assert_eq!(
        empty.message,
        "the manifest empty.csv was not imported: the file is empty"
    );
}

#[test]
fn a_batch_of_500_devices_or_more_has_an_estimated_due_date() {
    assert_eq!(batches::audit_business_days(1), (5, false));
    assert_eq!(batches::audit_business_days(499), (5, false));
    assert_eq!(batches::audit_business_days(500), (6, true));
    assert_eq!(batches::audit_business_days(599), (6, true));
    assert_eq!(batches::audit_business_days(600), (7, true));
    assert_eq!(batches::money(123_450), "1234.50");
    assert_eq!(batches::money(5), "0.05");
}

#[test]
fn the_audit_uses_the_tradein_policy_setting_and_a_batch_closes_only_when_audited_or_forced() {
    let station = TestStation::new();
    let mut ws = station.open(None);
    add_customer(&mut ws, "Acme Leasing");
    let a = imei(35672811458721);
    let manifest = format!(
        "imei,serial,category,make,model,declared_grade,quoted_price,currency\n\
         {a},,phone,Apple,iPhone 12,FUNCTIONAL_GOOD,120,EUR\n\
         ,SN-1,laptop,Dell,Latitude 7490,FUNCTIONAL_GOOD,300,EUR\n"
    );
    let batch = import(&station, &mut ws, "lot.csv", &manifest, Lang::En)
        .unwrap()
        .id
        .to_string();
    let audit_of = |ws: &Workstation| {
        batches::audit(
            ws,
            &batches::AuditParams {
                batch: batch.clone(),
                lang: Lang::Fr,
            },
        )
    };
    let audit = audit_of(&ws).unwrap();
    assert_eq!(audit.policy.name, "tradein-default");
    assert_eq!(audit.totals.revised_total, None, "nothing received yet");

    // A policy file the check refuses cannot be set; one it accepts is used.
    let set = |ws: &mut Workstation, value: &str| {
        refurbdesk_app::settings::set(
            ws,
            refurbdesk_app::settings::SetSettingParams {
                key: batches::TRADEIN_POLICY_SETTING.into(),
                value: value.into(),
            },
        )
    };
    let bad = station.dir.path().join("bad.toml");
    std::fs::write(&bad, "[policy]\nkind = \"tradein\"\n").unwrap();
    assert_eq!(
        set(&mut ws, bad.to_str().unwrap()).unwrap_err().code,
        ErrorCode::Data
    );
    let own = station.dir.path().join("own.toml");
    let text = refurbdesk_app::policy::tradein_default_text()
        .replace("name = \"tradein-default\"", "name = \"acme-tradein\"");
    std::fs::write(&own, &text).unwrap();
    set(&mut ws, own.to_str().unwrap()).unwrap();
    assert_eq!(audit_of(&ws).unwrap().policy.name, "acme-tradein");
    // A policy in another currency cannot revise these quotes.
    std::fs::write(
        &own,
        text.replace("currency = \"EUR\"", "currency = \"CHF\""),
    )
    .unwrap();
    let refused = audit_of(&ws).unwrap_err();
    assert_eq!(refused.code, ErrorCode::Data);
    assert!(refused.message.contains("CHF"), "{}", refused.message);
    std::fs::write(&own, &text).unwrap();

    // Received, never taken in: unaudited, found nothing yet.
    let receipt = batches::receive(
        &mut ws,
        ReceiveParams {
            batch: batch.clone(),
            code: a.clone(),
            accessories: Some(vec!["charger; box".into()]),
        },
    )
    .unwrap();
    assert_eq!(receipt.outcome, ScanOutcome::Matched);
    let audit = audit_of(&ws).unwrap();
    let line = &audit.lines[0];
    assert_eq!(line.state, batches::LineState::Received);
    let found = line.found.as_ref().unwrap();
    assert_eq!(found.device_id, None);
    assert_eq!(found.accessories, ["charger", "box"]);
    assert_eq!(audit.lines[1].state, batches::LineState::Missing);
    assert_eq!(audit.totals.unaudited, 1);
    assert_eq!(audit.totals.revised_total, None);
    assert_eq!(audit.totals.revised_so_far, "0.00");
    assert_eq!(
        batches::record_accessories(
            &mut ws,
            batches::AccessoriesParams {
                batch: batch.clone(),
                code: a.clone(),
                accessories: vec!["charger".into(), "plug".into()],
            },
        )
        .unwrap_err()
        .code,
        ErrorCode::Usage
    );
    assert_eq!(
        batches::record_accessories(
            &mut ws,
            batches::AccessoriesParams {
                batch: batch.clone(),
                code: "SN-1".into(),
                accessories: vec![],
            },
        )
        .unwrap_err()
        .code,
        ErrorCode::NotFound,
        "not received"
    );

    // Closing: refused while a received device is unaudited, unless forced with a reason.
    let close = |ws: &mut Workstation, reason: Option<&str>| {
        batches::close(
            ws,
            batches::CloseParams {
                batch: batch.clone(),
                force_reason: reason.map(str::to_owned),
            },
        )
    };
    assert_eq!(close(&mut ws, None).unwrap_err().code, ErrorCode::Refused);
    assert_eq!(
        close(&mut ws, Some("  ")).unwrap_err().code,
        ErrorCode::Refused
    );
    let closed = close(&mut ws, Some("the customer withdrew the batch")).unwrap();
    assert_eq!(closed.stage, BatchStage::Closed);
    assert!(closed.closed_at.is_some());
    assert_eq!(closed.unaudited, 1);
    assert_eq!(
        closed.revised_total, None,
        "still not final: one device unaudited"
    );
    assert_eq!(
        close(&mut ws, Some("again")).unwrap_err().code,
        ErrorCode::Refused
    );
    drop(ws);
    assert_clean(&station);
}
