//! The page a certificate's QR code opens (`refurbdesk site serve`): `/v/{id}?d={digest}`
//! says whether the site holds that document, whether it is valid or voided (when, by whom,
//! why), shows its signed fields in the customer's language (English or French, as the PDF
//! prints them), and offers a drop zone where the customer checks a PDF in the browser. The
//! check is the Rust verifier compiled to WebAssembly (crate `refurbdesk-verifier-wasm`), run
//! by the page: the file never leaves the customer's machine.
//!
//! Nothing else of the site is reachable: there is no listing and no search, and a document is
//! shown only to whoever holds both its id (a UUID v7, not guessable) and its signature digest,
//! as the QR code carries them. An unknown id and a wrong digest get the same answer.
//!
//! The site is read through [`Registry`], so this crate knows no database: the application layer
//! gives it one over the site's PostgreSQL database.

mod page;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use refurbdesk_certificate::{PublicKeyInfo, SignedDocument, TrustedKeys};
use refurbdesk_i18n::Lang;
use serde::Deserialize;

pub use page::PageState;

/// A voided document's void, as the site holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Void {
    pub at: String,
    pub by: String,
    pub reason: String,
}

/// One document as the site holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The signed JSON as the issuing station stored it.
    pub signed_json: String,
    /// The language it was printed in: the page's language when the browser names neither.
    pub lang: Option<String>,
    pub void: Option<Void>,
    /// The document issued to replace it.
    pub replaced_by: Option<String>,
}

/// Where the page reads documents and keys. Calls may block (a database round trip); the
/// server makes them off its async threads.
pub trait Registry: Send + Sync + 'static {
    /// The document `id` (hyphenated, lower case); `None` when the site holds none.
    fn document(&self, id: &str) -> Result<Option<Published>, String>;
    /// Every published public key, with which the page and the browser check signatures.
    fn keys(&self) -> Result<Vec<PublicKeyInfo>, String>;
}

/// The file names of the in-browser verifier, as `scripts/build-verifier` leaves them.
pub const VERIFIER_WASM: &str = "refurbdesk-verifier.wasm";
pub const VERIFIER_LOADER: &str = "verifier.mjs";

/// Why the page cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "the in-browser verifier is not at {dir} ({file}: {source}); build it with \
         scripts/build-verifier, or name its folder with --verifier DIR"
    )]
    NoVerifier {
        dir: PathBuf,
        file: &'static str,
        source: std::io::Error,
    },
    #[error("cannot listen on {listen}: {source}")]
    Listen {
        listen: String,
        source: std::io::Error,
    },
    #[error("the verification page stopped: {0}")]
    Stopped(std::io::Error),
}

/// The verifier module and its loader, served to browsers as they are.
#[derive(Debug, Clone)]
pub struct Verifier {
    pub wasm: Vec<u8>,
    pub loader: Vec<u8>,
}

impl Verifier {
    /// Reads [`VERIFIER_WASM`] and [`VERIFIER_LOADER`] from `dir`.
    pub fn from_dir(dir: &Path) -> Result<Verifier, ServeError> {
        let read = |file: &'static str| {
            std::fs::read(dir.join(file)).map_err(|source| ServeError::NoVerifier {
                dir: dir.to_path_buf(),
                file,
                source,
            })
        };
        let wasm = read(VERIFIER_WASM)?;
        let loader = read(VERIFIER_LOADER)?;
        Ok(Verifier { wasm, loader })
    }
}

struct Shared {
    registry: Arc<dyn Registry>,
    verifier: Verifier,
}

/// The page's routes: `/v/{id}` and its assets; everything else is "not found".
pub fn router(registry: Arc<dyn Registry>, verifier: Verifier) -> Router {
    let shared = Arc::new(Shared { registry, verifier });
    Router::new()
        .route("/v/{id}", get(document_page))
        .route("/assets/page.js", get(page_script))
        .route("/assets/page.css", get(page_style))
        .route("/assets/verifier.mjs", get(verifier_loader))
        .route("/assets/refurbdesk-verifier.wasm", get(verifier_module))
        .fallback(not_found_anywhere)
        .with_state(shared)
}

/// Binds `listen` (`HOST:PORT`; port 0 picks a free one) and serves until Ctrl-C or SIGTERM,
/// telling `on_ready` the address it listens on.
pub fn serve(
    registry: Arc<dyn Registry>,
    verifier: Verifier,
    listen: &str,
    on_ready: impl FnOnce(SocketAddr),
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Stopped)?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|source| ServeError::Listen {
                listen: listen.to_owned(),
                source,
            })?;
        let address = listener.local_addr().map_err(ServeError::Stopped)?;
        on_ready(address);
        axum::serve(listener, router(registry, verifier))
            .with_graceful_shutdown(stop_signal())
            .await
            .map_err(ServeError::Stopped)
    })
}

async fn stop_signal() {
    let mut terminate =
        tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    let term = async {
        match terminate.as_mut() {
            Some(signal) => {
                signal.recv().await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
}

#[derive(Debug, Deserialize)]
struct PageQuery {
    d: Option<String>,
    lang: Option<String>,
}

/// The content security policy of every answer: only this server's own scripts, styles and
/// the verifier module (`wasm-unsafe-eval` lets the page compile it); no inline script, no
/// remote content, no framing.
const CSP: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; \
                   style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; \
                   form-action 'none'; frame-ancestors 'none'";

fn with_headers(status: StatusCode, content_type: &'static str, body: impl Into<Body>) -> Response {
    let mut response = (status, body.into()).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The page's address holds the digest: it is not passed on to other sites.
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // A void can come at any time: the page's state is never cached.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn html(status: StatusCode, body: String) -> Response {
    with_headers(status, "text/html; charset=utf-8", body)
}

/// The language of the page: `?lang=` when it names one we have, else the first of the
/// browser's languages we have (in the order it lists them), else `fallback`.
pub fn choose_lang(asked: Option<&str>, accept: Option<&str>, fallback: Lang) -> Lang {
    if let Some(lang) = asked.and_then(|asked| asked.parse::<Lang>().ok()) {
        return lang;
    }
    let mut best: Option<(f32, usize, Lang)> = None;
    for (position, item) in accept.unwrap_or_default().split(',').enumerate() {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        let primary = tag.split('-').next().unwrap_or_default();
        let Ok(lang) = primary.to_ascii_lowercase().parse::<Lang>() else {
            continue;
        };
        let weight = parts
            .filter_map(|part| part.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if weight <= 0.0 {
            continue;
        }
        if best.is_none_or(|(best_weight, _, _)| weight > best_weight) {
            best = Some((weight, position, lang));
        }
    }
    best.map_or(fallback, |(_, _, lang)| lang)
}

async fn document_page(
    State(shared): State<Arc<Shared>>,
    UrlPath(id): UrlPath<String>,
    Query(query): Query<PageQuery>,
    headers: HeaderMap,
) -> Response {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let browser_lang = |fallback| choose_lang(query.lang.as_deref(), accept.as_deref(), fallback);
    let Ok(id) = uuid::Uuid::parse_str(&id) else {
        return html(
            StatusCode::NOT_FOUND,
            page::not_found(browser_lang(Lang::En)),
        );
    };
    let Some(digest) = query
        .d
        .as_deref()
        .map(str::trim)
        .filter(|digest| is_hex(digest))
        .map(str::to_ascii_lowercase)
    else {
        return html(
            StatusCode::NOT_FOUND,
            page::not_found(browser_lang(Lang::En)),
        );
    };
    let id = id.hyphenated().to_string();
    let registry = Arc::clone(&shared.registry);
    let looked_up = {
        let id = id.clone();
        tokio::task::spawn_blocking(move || -> Result<_, String> {
            match registry.document(&id)? {
                Some(published) => Ok(Some((published, registry.keys()?))),
                None => Ok(None),
            }
        })
        .await
    };
    let (published, keys) = match looked_up {
        Ok(Ok(Some(found))) => found,
        Ok(Ok(None)) => {
            return html(
                StatusCode::NOT_FOUND,
                page::not_found(browser_lang(Lang::En)),
            )
        }
        Ok(Err(message)) => {
            tracing::error!(document = %id, "the site could not be read: {message}");
            return html(
                StatusCode::SERVICE_UNAVAILABLE,
                page::unavailable(browser_lang(Lang::En)),
            );
        }
        Err(join) => {
            tracing::error!(document = %id, "the site lookup failed: {join}");
            return html(
                StatusCode::SERVICE_UNAVAILABLE,
                page::unavailable(browser_lang(Lang::En)),
            );
        }
    };
    let printed_lang = published
        .lang
        .as_deref()
        .and_then(|lang| lang.parse::<Lang>().ok())
        .unwrap_or(Lang::En);
    let lang = browser_lang(printed_lang);
    let signed: SignedDocument = match serde_json::from_str(&published.signed_json) {
        Ok(signed) => signed,
        Err(error) => {
            tracing::error!(document = %id, "the site's signed JSON does not parse: {error}");
            return html(StatusCode::NOT_FOUND, page::not_found(lang));
        }
    };
    // The digest is the link's proof of having seen the document: without it, the same answer
    // as an unknown id, so ids cannot be probed.
    if signed.signature_digest() != digest {
        return html(StatusCode::NOT_FOUND, page::not_found(lang));
    }
    let mut trusted = TrustedKeys::new();
    for key in &keys {
        trusted.add(key.clone());
    }
    let state = match (signed.verify(&trusted), &published.void) {
        (Err(error), _) => PageState::Invalid(error.to_string()),
        (Ok(()), Some(void)) => PageState::Voided(void.clone()),
        (Ok(()), None) => PageState::Valid,
    };
    let key = trusted.get(&signed.signature.key_id).cloned();
    let body = page::document(&page::DocumentPage {
        lang,
        id: &id,
        digest: &digest,
        signed: &signed,
        key: key.as_ref(),
        keys: &keys,
        state: &state,
        replaced_by: published.replaced_by.as_deref(),
    });
    html(StatusCode::OK, body)
}

fn is_hex(text: &str) -> bool {
    !text.is_empty() && text.len() <= 128 && text.bytes().all(|byte| byte.is_ascii_hexdigit())
}

async fn not_found_anywhere(headers: HeaderMap) -> Response {
    let accept = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok());
    html(
        StatusCode::NOT_FOUND,
        page::not_found(choose_lang(None, accept, Lang::En)),
    )
}

async fn page_script() -> Response {
    with_headers(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        include_str!("../static/page.js"),
    )
}

async fn page_style() -> Response {
    with_headers(
        StatusCode::OK,
        "text/css; charset=utf-8",
        include_str!("../static/page.css"),
    )
}

async fn verifier_loader(State(shared): State<Arc<Shared>>) -> Response {
    with_headers(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        shared.verifier.loader.clone(),
    )
}

async fn verifier_module(State(shared): State<Arc<Shared>>) -> Response {
    with_headers(
        StatusCode::OK,
        "application/wasm",
        shared.verifier.wasm.clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_speaks_the_asked_language_then_the_browsers_then_the_documents() {
        assert_eq!(choose_lang(Some("fr"), Some("en"), Lang::En), Lang::Fr);
        assert_eq!(
            choose_lang(Some("xx"), Some("fr-BE,en;q=0.8"), Lang::En),
            Lang::Fr
        );
        assert_eq!(
            choose_lang(None, Some("de-DE,en;q=0.5,fr;q=0.9"), Lang::En),
            Lang::Fr
        );
        assert_eq!(
            choose_lang(None, Some("de-DE,nl;q=0.5"), Lang::Fr),
            Lang::Fr
        );
        assert_eq!(choose_lang(None, Some("fr;q=0,en"), Lang::Fr), Lang::En);
        assert_eq!(choose_lang(None, None, Lang::En), Lang::En);
    }

    #[test]
    fn a_digest_is_hex_and_short() {
        assert!(is_hex("3f2a9c0d1e7b5a64"));
        assert!(!is_hex(""));
        assert!(!is_hex("3f2a<script>"));
        assert!(!is_hex(&"a".repeat(200)));
    }
}
