//! A simulated Back Market seller API, for the marketplace adapter's tests, its benchmark and
//! demonstrations (`refurbdesk sim marketplace`; docs/marketplace.md).
//!
//! It implements the endpoints the adapter uses with the real API's auth check (`Authorization:
//! Basic <token>`), its rate limits per endpoint class (a 429 then a 10 s block), its varied error
//! bodies (`{"error":{…}}`, `{"errors":[…]}`, problem+json, a bare string) and a state kept in a
//! JSON file, plus seeded faults ([`FaultSpec`]) and a clock that runs `time_factor` times faster
//! than the wall's for every limit. `GET /_sim/state` shows the state, `PUT /_sim/state` replaces
//! it and `PUT /_sim/faults` changes the faults: the test door, which the real API does not have.

mod faults;
mod limits;
mod server;
mod state;

pub use faults::{FaultDice, FaultKind, FaultRule, FaultSpec, FaultSpecError};
pub use limits::{
    EndpointClass, Limits, Refusal, SimClock, TokenBucket, BLOCK_SECONDS, CATALOG_PER_10S,
    GENERAL_PER_10S, SKU_UPDATES_PER_HOUR,
};
pub use server::{spawn, Marketplace, RunningSim, SimConfig};
pub use state::{
    BuybackOrder, Decision, Listing, Orderline, ReceivedFile, RowError, SimState, Stats, Task,
};

/// The buyback order statuses, as the seller API names them.
pub const BUYBACK_STATUSES: [&str; 10] = [
    "NEW",
    "PENDING",
    "TO_SEND",
    "SENT",
    "RECEIVED",
    "COUNTER_PROPOSAL",
    "VALIDATED",
    "PAID",
    "MONEY_TRANSFERED",
    "SUSPENDED",
];
