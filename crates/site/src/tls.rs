//! TLS to the site database, with libpq's words so a site's URL means what it means to `psql`:
//! `sslmode=disable|prefer|require|verify-ca|verify-full` and `sslrootcert=FILE` (PEM), in a
//! `postgres://` URL's query or among `key=value` settings.
//!
//! | sslmode | encrypted | the server's certificate |
//! | --- | --- | --- |
//! | `disable` | never | — |
//! | `prefer` (the default) | when the server offers it | not checked |
//! | `require` | always | not checked, unless `sslrootcert` names a CA: then as `verify-ca` |
//! | `verify-ca` | always | signed by the CA of `sslrootcert` (else the system's CAs) |
//! | `verify-full` | always | as `verify-ca`, and issued for the host connected to |
//!
//! The client is rustls on ring, as the marketplace adapter's: no OpenSSL is linked. The
//! PostgreSQL client knows only `disable`, `prefer` and `require` and no `sslrootcert`, so both
//! are taken out of the URL here and the certificate check is rustls's.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};

use crate::SiteError;

/// How the connection is protected (`sslmode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    fn from_word(word: &str) -> Option<SslMode> {
        Some(match word {
            "disable" => SslMode::Disable,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            _ => return None,
        })
    }

    /// What the PostgreSQL client is told: it encrypts, rustls checks.
    pub(crate) fn client_mode(self) -> postgres::config::SslMode {
        match self {
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => {
                postgres::config::SslMode::Require
            }
        }
    }
}

/// The TLS settings a site's address names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsSettings {
    pub mode: SslMode,
    /// The CA certificates (PEM) the server's certificate must chain to.
    pub root_cert: Option<PathBuf>,
}

/// Takes `sslmode` and `sslrootcert` out of a site's address; returns the rest, which the
/// PostgreSQL client parses, and the TLS settings.
pub fn split(url: &str) -> Result<(String, TlsSettings), SiteError> {
    let mut mode = None;
    let mut root_cert = None;
    let mut take = |key: &str, value: &str| -> Result<bool, SiteError> {
        match key {
            "sslmode" => {
                mode = Some(SslMode::from_word(value).ok_or_else(|| {
                    SiteError::Url(format!(
                        "sslmode={value} is not one of disable, prefer, require, verify-ca, \
                         verify-full"
                    ))
                })?);
                Ok(true)
            }
            "sslrootcert" => {
                root_cert = Some(PathBuf::from(value));
                Ok(true)
            }
            _ => Ok(false),
        }
    };
    let rest = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        match url.split_once('?') {
            None => url.to_owned(),
            Some((base, query)) => {
                let mut kept = Vec::new();
                for pair in query.split('&').filter(|pair| !pair.is_empty()) {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    if !take(key, &percent_decode(value))? {
                        kept.push(pair);
                    }
                }
                if kept.is_empty() {
                    base.to_owned()
                } else {
                    format!("{base}?{}", kept.join("&"))
                }
            }
        }
    } else {
        let mut kept = Vec::new();
        for word in url.split_whitespace() {
            let (key, value) = word.split_once('=').unwrap_or((word, ""));
            if !take(key.trim(), value.trim_matches('\''))? {
                kept.push(word);
            }
        }
        kept.join(" ")
    };
    let mode = match (mode, &root_cert) {
        (Some(mode), _) => mode,
        // libpq: a root certificate given without a mode verifies the chain.
        (None, Some(_)) => SslMode::VerifyCa,
        (None, None) => SslMode::Prefer,
    };
    Ok((rest, TlsSettings { mode, root_cert }))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%' && i + 2 < bytes.len())
            .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
            .flatten()
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn roots(root_cert: Option<&Path>) -> Result<RootCertStore, SiteError> {
    let mut store = RootCertStore::empty();
    match root_cert {
        Some(path) => {
            let unreadable = |detail: String| {
                SiteError::Tls(format!(
                    "the CA certificate file {} (sslrootcert) {detail}",
                    path.display()
                ))
            };
            let certificates = CertificateDer::pem_file_iter(path)
                .map_err(|error| unreadable(format!("cannot be read: {error}")))?;
            for certificate in certificates {
                let certificate = certificate
                    .map_err(|error| unreadable(format!("holds a bad certificate: {error}")))?;
                store
                    .add(certificate)
                    .map_err(|error| unreadable(format!("holds an unusable CA: {error}")))?;
            }
            if store.is_empty() {
                return Err(unreadable("holds no PEM certificate".to_owned()));
            }
        }
        None => {
            for certificate in rustls_native_certs::load_native_certs().certs {
                let _ = store.add(certificate);
            }
            if store.is_empty() {
                return Err(SiteError::Tls(
                    "no CA certificates were found on this system to verify the site's \
                     certificate; name its CA with sslrootcert=FILE"
                        .to_owned(),
                ));
            }
        }
    }
    Ok(store)
}

/// The rustls configuration for these settings; `None` for `disable`.
pub(crate) fn client_config(settings: &TlsSettings) -> Result<Option<ClientConfig>, SiteError> {
    let provider = provider();
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|error| SiteError::Tls(error.to_string()))?;
    let mode = match (settings.mode, &settings.root_cert) {
        (SslMode::Require, Some(_)) => SslMode::VerifyCa,
        (mode, _) => mode,
    };
    let config = match mode {
        SslMode::Disable => return Ok(None),
        SslMode::Prefer | SslMode::Require => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
            .with_no_client_auth(),
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let webpki = WebPkiServerVerifier::builder_with_provider(
                Arc::new(roots(settings.root_cert.as_deref())?),
                provider,
            )
            .build()
            .map_err(|error| SiteError::Tls(error.to_string()))?;
            if mode == SslMode::VerifyFull {
                builder.with_webpki_verifier(webpki).with_no_client_auth()
            } else {
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(Arc::new(ChainOnly(webpki)))
                    .with_no_client_auth()
            }
        }
    };
    Ok(Some(config))
}

/// `prefer` and `require` as libpq has them: encrypted, the certificate not checked.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain to a trusted CA is checked, the host name is not.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tls_words_come_out_of_a_url_and_the_rest_stays() {
        let (rest, tls) = split(
            "postgres://st:pw@db.example:5432/site?sslmode=verify-full&application_name=x&sslrootcert=%2Fetc%2Fsite%2Fca.pem",
        )
        .unwrap();
        assert_eq!(
            rest,
            "postgres://st:pw@db.example:5432/site?application_name=x"
        );
        assert_eq!(tls.mode, SslMode::VerifyFull);
        assert_eq!(tls.root_cert, Some(PathBuf::from("/etc/site/ca.pem")));

        let (rest, tls) = split("postgres://db.example/site?sslmode=disable").unwrap();
        assert_eq!(
            (rest.as_str(), tls.mode),
            ("postgres://db.example/site", SslMode::Disable)
        );

        let (rest, tls) = split("host=db.example dbname=site sslrootcert=/ca.pem user=st").unwrap();
        assert_eq!(rest, "host=db.example dbname=site user=st");
        assert_eq!(
            tls.mode,
            SslMode::VerifyCa,
            "a CA without a mode verifies, as libpq"
        );

        let (_, tls) = split("postgres://db.example/site").unwrap();
        assert_eq!(
            tls,
            TlsSettings {
                mode: SslMode::Prefer,
                root_cert: None
            }
        );
    }

    #[test]
    fn an_unknown_sslmode_is_refused_naming_the_words() {
        let error = split("postgres://db.example/site?sslmode=allow-all").unwrap_err();
        assert!(error.to_string().contains("verify-full"), "{error}");
    }
}
