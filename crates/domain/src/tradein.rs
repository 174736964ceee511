//! Trade-in vocabulary shared by the manifest reader, the quote revision rules and the store:
//! the accessories a customer declares, and which of them a device category cannot go without.
//!
//! ```
//! use refurbdesk_domain::{Accessory, DeviceCategory};
//!
//! assert_eq!("charger".parse::<Accessory>(), Ok(Accessory::Charger));
//! assert_eq!(Accessory::mandatory_for(DeviceCategory::Laptop), &[Accessory::Charger]);
//! assert!(Accessory::mandatory_for(DeviceCategory::Phone).is_empty());
//! ```

use crate::DeviceCategory;

crate::word_enum! {
    #[derive(PartialOrd, Ord)]
    /// Something that travels with a device: what a manifest's `accessories` column lists
    /// (`charger;cable`) and what the auditor finds in the box.
    Accessory, "accessory" {
        /// A power supply: a laptop's charger, a phone's wall plug.
        Charger => "charger",
        /// A cable: USB, power or video.
        Cable => "cable",
        /// The original box.
        Box => "box",
        /// A stylus or pen.
        Stylus => "stylus",
        /// A keyboard sold with a desktop or tablet.
        Keyboard => "keyboard",
        /// A mouse sold with a desktop.
        Mouse => "mouse",
    }
}

impl Accessory {
    /// What a device of `category` must come with, or its quote is readjusted: computers need
    /// their charger or power supply, monitors their cable (Back Market's trade-in terms).
    pub fn mandatory_for(category: DeviceCategory) -> &'static [Accessory] {
        match category {
            DeviceCategory::Laptop => &[Accessory::Charger],
            DeviceCategory::Desktop | DeviceCategory::Monitor => &[Accessory::Cable],
            DeviceCategory::Phone | DeviceCategory::Tablet => &[],
        }
    }
}
