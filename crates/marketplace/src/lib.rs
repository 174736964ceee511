//! The Back Market seller API adapter (docs/marketplace.md): requests with the headers the API
//! asks for, error bodies of every shape turned into one message, SKUs from a template, a token
//! bucket per endpoint class, backoff with jitter, and sends made safe to repeat by reading the
//! marketplace's state back first (the API has no idempotency keys).

mod client;
mod errors;
mod limits;
mod sku;
mod sync;

pub use client::{
    catalog_csv, Attachment, BuybackOrder, CatalogRow, Client, ClientOptions, Credentials,
    Decision, DeviceIdentity, Listing, ListingUpdate, Orderline, SendError, TaskState,
};
pub use errors::error_message;
pub use limits::{Backoff, EndpointClass, RateLimits, TokenBucket, MARGIN};
pub use sku::{SkuFacts, SkuTemplate, SkuTemplateError};
pub use sync::{
    ensure_identity, ensure_listing, ensure_order_decision, send_catalog, CatalogReport,
    OrderDecision, Outcome,
};
