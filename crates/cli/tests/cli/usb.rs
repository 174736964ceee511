//! `refurbdesk usb list` on whatever USB buses this machine has (none, in a container).

use crate::support::{json_of, Station};

#[test]
fn usb_list_prints_one_json_object_and_exits_zero_with_or_without_buses() {
    let station = Station::new();
    let out = station.run(&["usb", "list", "--json"]).assert().success();
    let v = json_of(&out.get_output().stdout);
    let devices = v["devices"].as_array().expect("a devices array");
    for device in devices {
        let kind = device["kind"].as_str().expect("a kind");
        assert!(
            [
                "android_adb",
                "apple_usbmux",
                "cdc_acm_bench",
                "phone_without_debugging",
                "other"
            ]
            .contains(&kind),
            "{device}"
        );
        assert_eq!(device["vendor_id"].as_str().map(str::len), Some(4));
    }
    assert!(v.get("unavailable").is_some() && v.get("permission_fix").is_some());
    // Without buses it says why; it never creates a database.
    if devices.is_empty() && !v["unavailable"].is_null() {
        assert!(v["unavailable"].as_str().unwrap().contains("/dev/bus/usb"));
    }
    assert!(!station.db.exists());
    station.run(&["usb", "list"]).assert().success();
}
