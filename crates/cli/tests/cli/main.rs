//! The `refurbdesk` command line, driven as a user drives it: the real binary on real files.
//!
//! One test binary with a module per area, so the build links the CLI tests once rather than
//! once per file.

mod adb;
mod agent;
mod basics;
mod batches;
mod cert;
mod cert_qr;
mod erase;
mod erase_devices;
mod grade;
mod inputs;
mod intake;
mod ios;
mod label;
mod login;
mod marketplace;
mod messages;
mod no_database;
mod overrides;
mod pades;
mod photo;
mod qa;
mod reissue;
mod replication;
mod site;
mod site_reads;
mod station_doors;
mod store_commands;
mod support;
mod tradein;
mod tradein_documents;
mod tradein_policy;
mod usb;
mod x509_import;
