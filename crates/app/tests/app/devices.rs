//! Use-case tests: devices.

use refurbdesk_app::devices::{self, DevicesParams};
use refurbdesk_app::ErrorCode;
use refurbdesk_domain::BatteryVerdictKind;
use uuid::Uuid;

use crate::intake::{params, pb8, run, PB8_SLOT1_IMEI};
use crate::support::TestStation;

fn imeis(page: &devices::DevicesPage) -> Vec<String> {
    page.rows
        .iter()
        .map(|row| row.imei.clone().unwrap_or_default())
        .collect()
}

#[test]
fn devices_are_listed_newest_first_filtered_and_paged() {
    let station = TestStation::new();
    let (_bench, link) = pb8(&station);
    let mut ws = station.open(None);
    // Slots 1 (86 %), 2 (84 %) and 3 (93 %), then slot 1 again.
    let mut order = Vec::new();
    for slot in [1, 2, 3, 1] {
        let done = run(&mut ws, params(&link, slot)).unwrap();
        order.push(done.report.device.imei.clone().unwrap());
    }
    let all = devices::list(&ws, DevicesParams::default()).unwrap();
    assert_eq!(
        imeis(&all),
        [order[3].clone(), order[2].clone(), order[1].clone()]
    );
    assert_eq!(all.rows[0].intake_count, 2);
    assert_eq!(all.next_after, None, "no limit, no next page");

    let pass = devices::list(
        &ws,
        DevicesParams {
            battery: Some(BatteryVerdictKind::Pass),
            ..DevicesParams::default()
        },
    )
    .unwrap();
    assert_eq!(imeis(&pass), [order[3].clone(), order[2].clone()]);
    let one = devices::list(
        &ws,
        DevicesParams {
            imei: Some(PB8_SLOT1_IMEI.into()),
            ..DevicesParams::default()
        },
    )
    .unwrap();
    assert_eq!(imeis(&one), [PB8_SLOT1_IMEI]);

    // A full page says where the next one starts, and that page has the rest.
    let first = devices::list(
        &ws,
        DevicesParams {
            limit: 2,
            ..DevicesParams::default()
        },
    )
    .unwrap();
    assert_eq!(first.rows.len(), 2);
    assert_eq!(first.next_after, Some(first.rows[1].last_intake_id));
    let second = devices::list(
        &ws,
        DevicesParams {
            limit: 2,
            after: first.next_after,
            ..DevicesParams::default()
        },
    )
    .unwrap();
    assert_eq!(imeis(&second), [order[1].clone()]);
    assert_eq!(second.next_after, None);
}

#[test]
fn a_page_after_an_unknown_intake_is_not_found_and_says_what_to_pass() {
    let station = TestStation::new();
    let ws = station.open(None);
    let id = Uuid::now_v7();
    let error = devices::list(
        &ws,
        DevicesParams {
            after: Some(id),
            ..DevicesParams::default()
        },
    )
    .unwrap_err();
    assert_eq!(error.code, ErrorCode::NotFound);
    assert!(
        error.message.contains(&id.to_string()) && error.message.contains("last_intake_id"),
        "{error}"
    );
}
