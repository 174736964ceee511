//! What the simulated marketplace holds, kept in a JSON file between runs (`--state FILE`).
//! `GET /_sim/state` shows it and `PUT /_sim/state` replaces it: the test door.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::faults::FaultKind;

/// A seller's listing: its SKU and what buyers see.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Listing {
    pub listing_id: String,
    pub sku: String,
    pub quantity: i64,
    pub price: Option<String>,
    pub comment: Option<String>,
    pub warranty_delay: Option<u32>,
    /// How many times a change was applied to it (single or catalog).
    pub updates: u64,
}

/// An order line of a sale, waiting for the shipped device's IMEI or serial number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Orderline {
    pub id: String,
    pub listing_sku: Option<String>,
    pub imei: Option<String>,
    pub serial_number: Option<String>,
    /// How many PATCHes set a value (at most one may, ever).
    pub sets: u64,
    /// How many PATCHes were refused.
    pub refusals: u64,
}

/// A file received with a counter-offer or a suspension, kept as its digest.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReceivedFile {
    pub name: String,
    pub content_type: Option<String>,
    pub size: u64,
    pub sha256: String,
    /// It starts with `%PDF-`.
    pub pdf: bool,
}

/// A counter-offer or a suspension as it was received.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Decision {
    pub price: Option<String>,
    pub comment: Option<String>,
    pub reasons: Vec<String>,
    pub files: Vec<ReceivedFile>,
}

/// A trade-in (buyback) order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BuybackOrder {
    #[serde(rename = "orderPublicId")]
    pub id: String,
    pub status: String,
    /// The product as the customer declared it.
    pub product: String,
    pub imei: Option<String>,
    /// The price the customer was quoted, e.g. "120.00".
    pub price: String,
    pub counter_offers: Vec<Decision>,
    pub suspensions: Vec<Decision>,
    pub validations: u64,
}

/// A catalog upload: its rows were applied when it arrived; it reports done after a while.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Task {
    pub id: u64,
    pub rows: u64,
    pub errors: Vec<RowError>,
    /// Simulated second at which it reports done (0 once reloaded from a file).
    pub done_at: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RowError {
    pub line: u64,
    pub sku: String,
    pub message: String,
}

/// Counters for the tests and the benchmark.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Stats {
    /// Requests under /ws/ received, whatever became of them.
    pub requests: u64,
    pub unauthorized: u64,
    /// 429s from the limits (injected ones are counted under `faults`).
    pub rate_limited: u64,
    pub faults: BTreeMap<FaultKind, u64>,
    pub listing_updates: u64,
    pub catalog_uploads: u64,
    pub catalog_rows: u64,
    /// The last request's headers that the seller API asks for.
    pub last_user_agent: Option<String>,
    pub last_accept_language: Option<String>,
}

/// The marketplace's whole state.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimState {
    pub listings: BTreeMap<String, Listing>,
    pub orderlines: BTreeMap<String, Orderline>,
    pub buyback_orders: BTreeMap<String, BuybackOrder>,
    pub tasks: BTreeMap<u64, Task>,
    pub next_task_id: u64,
    pub next_listing_id: u64,
    pub stats: Stats,
}

impl SimState {
    /// Reads the state file; a missing file is an empty marketplace.
    pub fn load(path: &Path) -> std::io::Result<SimState> {
        match std::fs::read(path) {
            Ok(bytes) => {
                let mut state: SimState = serde_json::from_slice(&bytes)
                    .map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidData, error))?;
                for task in state.tasks.values_mut() {
                    task.done_at = 0.0;
                }
                Ok(state)
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(SimState::default()),
            Err(error) => Err(error),
        }
    }

    /// Writes the state file whole (a temporary file renamed over it).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let bytes = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, bytes)?;
        std::fs::rename(&temporary, path)
    }

    /// The listing named by its id or, failing that, its SKU.
    pub fn listing_mut(&mut self, id_or_sku: &str) -> Option<&mut Listing> {
        if self.listings.contains_key(id_or_sku) {
            return self.listings.get_mut(id_or_sku);
        }
        self.listings
            .values_mut()
            .find(|listing| listing.sku == id_or_sku)
    }

    /// SKU → listing id, for a catalog's many rows.
    pub fn sku_index(&self) -> std::collections::HashMap<String, String> {
        self.listings
            .iter()
            .map(|(id, listing)| (listing.sku.clone(), id.clone()))
            .collect()
    }

    /// The listing of `sku` (through `index`), created when the catalog names a new one.
    pub fn listing_for_sku(
        &mut self,
        index: &mut std::collections::HashMap<String, String>,
        sku: &str,
    ) -> &mut Listing {
        let id = match index.get(sku) {
            Some(id) => id.clone(),
            None => {
                self.next_listing_id += 1;
                let id = format!("{}", 100_000 + self.next_listing_id);
                self.listings.insert(
                    id.clone(),
                    Listing {
                        listing_id: id.clone(),
                        sku: sku.to_owned(),
                        ..Listing::default()
                    },
                );
                index.insert(sku.to_owned(), id.clone());
                id
            }
        };
        self.listings
            .get_mut(&id)
            .expect("the listing was just found or made")
    }
}
