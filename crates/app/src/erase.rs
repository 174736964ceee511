//! (being moved here from crates/cli)
