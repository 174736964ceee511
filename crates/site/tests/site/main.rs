//! The site database against a real PostgreSQL server (Debian's `postgresql`, started by
//! `refurbdesk-pg-test`) and real station stores in temporary folders.

mod check;
mod devices;
mod owned;
mod replication;
mod schema;
mod security;
mod support;
mod tls;
