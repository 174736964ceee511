use refurbdesk_site::{Site, SiteError, SCHEMA_VERSION};

use crate::support::{raw, site, Station};
use refurbdesk_pg_test::PgServer;

#[test]
fn init_creates_the_schema_once_and_again_changes_nothing() {
    let url = PgServer::shared().fresh_database();
    let mut site = Site::connect(&url).expect("connects");
    assert_eq!(site.schema_version().expect("version"), 0);
    let first = site.init().expect("init");
    assert_eq!((first.from_version, first.to_version), (0, SCHEMA_VERSION));
    let again = site.init().expect("init again");
    assert_eq!(
        (again.from_version, again.to_version),
        (SCHEMA_VERSION, SCHEMA_VERSION)
    );
    assert_eq!(site.schema_version().expect("version"), SCHEMA_VERSION);
}

#[test]
fn a_newer_schema_is_refused_by_init_and_push() {
    let (url, _) = site();
    raw(&url)
        .execute(
            "INSERT INTO site_schema (version) VALUES ($1)",
            &[&(SCHEMA_VERSION + 1)],
        )
        .expect("a newer build's mark");
    let mut site = Site::connect(&url).expect("connects");
    assert!(matches!(
        site.init(),
        Err(SiteError::NewerSchema { found, .. }) if found == SCHEMA_VERSION + 1
    ));
    let station = Station::new();
    let refused = site.push(&station.store, Default::default(), &mut |_| true);
    assert!(
        matches!(refused, Err(SiteError::NewerSchema { .. })),
        "{refused:?}"
    );
}

#[test]
fn a_site_without_schema_is_refused_by_push() {
    let url = PgServer::shared().fresh_database();
    let mut site = Site::connect(&url).expect("connects");
    let station = Station::new();
    let refused = site.push(&station.store, Default::default(), &mut |_| true);
    assert!(
        matches!(refused, Err(SiteError::NotInitialised { .. })),
        "{refused:?}"
    );
}

#[test]
fn an_unreachable_site_is_told_as_such_without_its_password() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a port")
        .port();
    // Nobody listens on the port once the listener is dropped.
    let url = format!("postgres://station:s3cret@127.0.0.1:{port}/site");
    let error = Site::connect(&url).err().expect("refused");
    assert!(matches!(error, SiteError::Unreachable { .. }), "{error:?}");
    assert!(!error.to_string().contains("s3cret"), "{error}");
}
