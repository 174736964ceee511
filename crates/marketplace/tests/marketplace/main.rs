//! The adapter against the real simulator on a real TCP port.

mod buyback;
mod faults;
mod listings;
mod support;
