//! The use cases, called directly on real SQLite files and simulated benches: one test binary
//! for the whole application layer, one module per room.

mod support;

mod audit;
mod batches;
mod db;
mod devices;
mod documents;
mod erase;
mod grade;
mod intake;
mod label;
mod locks;
mod operators;
mod photos;
mod qa;
mod quality;
mod session;
mod settings;
mod station;
mod tradein_policy;
mod window;
