//! The trade-in revision crate on real policy texts: each rule with hand-computed sums, rules
//! combined, the floor and the lock, the policy check's problems by line, and properties that
//! hold for any device and any valid policy.

mod common;
mod policy_check;
mod properties;
mod rules;
