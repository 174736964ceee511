//! TLS to the site as libpq's sslmode words say, against a real server with `ssl=on` and a test
//! CA (refurbdesk-pg-test, certificates made by Debian's openssl).

use refurbdesk_pg_test::PgServer;
use refurbdesk_site::{Site, SiteError};

use crate::support::raw;

/// Whether the site's own connection to `database` is encrypted, as the server sees it.
fn encrypted(server: &PgServer, database: &str) -> bool {
    let mut client = raw(&server.url("postgres"));
    let rows = client
        .query(
            "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
             WHERE a.application_name = 'refurbdesk' AND a.datname = $1",
            &[&database],
        )
        .expect("pg_stat_ssl");
    assert_eq!(rows.len(), 1, "one site connection to {database}");
    rows[0].get(0)
}

#[test]
fn the_site_connection_encrypts_and_checks_the_certificate_as_sslmode_says() {
    let server = PgServer::start_tls();
    let ca = server.ca_file().expect("a TLS server has a CA");
    let not_the_ca = ca.with_file_name("server.crt");
    let url = server.fresh_database();
    let database = url.rsplit('/').next().unwrap().to_owned();
    let port = server.port();
    let at =
        |host: &str, query: &str| format!("postgres://postgres@{host}:{port}/{database}?{query}");

    // verify-full: the chain to the CA and the name the certificate was issued for.
    let full = format!("sslmode=verify-full&sslrootcert={}", ca.display());
    let mut site = Site::connect(&at("localhost", &full)).expect("verify-full to localhost");
    site.init().expect("init over TLS");
    assert!(encrypted(&server, &database));
    drop(site);
    match Site::connect(&at("127.0.0.1", &full)) {
        Err(SiteError::Unreachable { message, .. }) => {
            assert!(message.contains("certificate"), "{message}")
        }
        other => panic!(
            "a certificate for localhost reached as 127.0.0.1: {:?}",
            other.err()
        ),
    }

    // verify-ca: the chain only.
    let site = Site::connect(&at(
        "127.0.0.1",
        &format!("sslmode=verify-ca&sslrootcert={}", ca.display()),
    ))
    .expect("verify-ca to 127.0.0.1");
    assert!(encrypted(&server, &database));
    drop(site);
    let wrong = format!("sslmode=verify-ca&sslrootcert={}", not_the_ca.display());
    assert!(
        matches!(
            Site::connect(&at("127.0.0.1", &wrong)),
            Err(SiteError::Unreachable { .. })
        ),
        "a certificate its CA file did not sign is refused"
    );

    // require and the default prefer encrypt without checking; disable does not encrypt.
    for query in ["sslmode=require", ""] {
        let site = Site::connect(&at("127.0.0.1", query)).expect("encrypted, unchecked");
        assert!(encrypted(&server, &database), "{query:?}");
        drop(site);
    }
    let site = Site::connect(&at("127.0.0.1", "sslmode=disable")).expect("plain");
    assert!(!encrypted(&server, &database));
    drop(site);

    // A CA file that is not there is the settings' fault, said as such.
    match Site::connect(&at(
        "localhost",
        "sslmode=verify-full&sslrootcert=/nonexistent/ca.pem",
    )) {
        Err(SiteError::Tls(message)) => {
            assert!(message.contains("/nonexistent/ca.pem"), "{message}")
        }
        other => panic!("a missing CA file: {:?}", other.err()),
    }
}
