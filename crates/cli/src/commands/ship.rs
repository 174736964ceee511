//! `refurbdesk ship`: a device leaves for a marketplace order line; the line's IMEI (or serial)
//! and the listing's new quantity go to the marketplace through the outbox
//! (`refurbdesk_app::ship`).

use clap::Args;
use refurbdesk_app::ship::{self, ShipParams};
use refurbdesk_app::DataPaths;

use crate::exit::Failure;
use crate::GlobalArgs;

#[derive(Debug, Args)]
pub struct ShipArgs {
    /// The device: an IMEI, a serial or a device id
    #[arg(long, value_name = "REF")]
    device: String,
    /// The marketplace's order line id the device ships for
    #[arg(long, value_name = "ID")]
    order_line: String,
}

pub fn run(args: &ShipArgs, global: &GlobalArgs, paths: &DataPaths) -> Result<(), Failure> {
    let mut ws = super::acting(paths, global)?;
    let shipment = ship::ship(
        &mut ws,
        ShipParams {
            device: args.device.clone(),
            order_line: args.order_line.clone(),
        },
    )?;
    if global.json {
        println!("{}", serde_json::to_string(&shipment)?);
        return Ok(());
    }
    println!(
        "shipped {} {} for order line {} (shipment {})",
        shipment.make, shipment.model, shipment.order_line, shipment.id
    );
    let field = match shipment.identity_field.as_str() {
        "imei" => "IMEI",
        _ => "serial number",
    };
    println!(
        "the order line is given the {field} {}; `refurbdesk sync` sends it",
        shipment.identity_value
    );
    if let (Some(listing), Some(quantity)) = (&shipment.listing, shipment.listing_quantity) {
        println!("listing {listing} goes down to {quantity}");
    }
    Ok(())
}
