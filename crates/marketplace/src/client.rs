//! Requests to the seller API: building them (auth, language, user agent, JSON), pacing them by
//! the token buckets, and reading their answers into data or one [`SendError`].

use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::header::{
    HeaderMap, HeaderValue, ACCEPT, ACCEPT_LANGUAGE, AUTHORIZATION, CONTENT_TYPE,
};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use crate::errors::error_message;
use crate::limits::{EndpointClass, RateLimits};

/// Who we are to the marketplace and where it is.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Credentials {
    /// The base URL, e.g. `https://www.backmarket.fr` (a path under it is kept).
    pub url: String,
    pub company: String,
    pub integration: String,
    pub email: String,
    /// `Accept-Language`, e.g. `fr-fr`.
    pub lang: String,
    /// The API token, sent as `Authorization: Basic <token>`; never shown.
    pub token: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("url", &self.url)
            .field("company", &self.company)
            .field("integration", &self.integration)
            .field("email", &self.email)
            .field("lang", &self.lang)
            .field("token", &"(hidden)")
            .finish()
    }
}

impl Credentials {
    /// `BM-<Company>-<Integration>;<email>`, as the seller API asks.
    ///
    /// ```
    /// use refurbdesk_marketplace::Credentials;
    /// let credentials = Credentials {
    ///     url: "https://preprod.backmarket.fr".into(),
    ///     company: "Refurbix".into(),
    ///     integration: "Refurbdesk".into(),
    ///     email: "ops@refurbix.example".into(),
    ///     lang: "fr-fr".into(),
    ///     token: "secret".into(),
    /// };
    /// assert_eq!(credentials.user_agent(), "BM-Refurbix-Refurbdesk;ops@refurbix.example");
    /// assert!(!format!("{credentials:?}").contains("secret"));
    /// ```
    pub fn user_agent(&self) -> String {
        format!("BM-{}-{};{}", self.company, self.integration, self.email)
    }
}

/// How a request went wrong, in the terms a sender decides on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SendError {
    /// No connection could be made: the request surely did not arrive.
    #[error("the marketplace cannot be reached: {0}")]
    Unreachable(String),
    /// The request left but no full answer came back (timeout, dropped connection): it may have
    /// been applied. Read back before sending it again.
    #[error("the marketplace did not answer in full: {0}")]
    Uncertain(String),
    /// 429: wait this long.
    #[error("the marketplace asks to slow down ({0:?})")]
    RateLimited(Duration),
    /// 5xx: the marketplace failed; it applied nothing (or read back).
    #[error("the marketplace failed (HTTP {status}): {message}")]
    Server { status: u16, message: String },
    /// 4xx: the marketplace refused the request; sending it again will not help.
    #[error("the marketplace refused it (HTTP {status}): {message}")]
    Refused { status: u16, message: String },
}

impl SendError {
    /// Whether the same request may succeed later.
    pub fn is_transient(&self) -> bool {
        !matches!(self, SendError::Refused { .. })
    }
}

/// A listing as the marketplace has it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub listing_id: String,
    pub sku: String,
    pub quantity: i64,
    #[serde(default)]
    pub price: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub warranty_delay: Option<u32>,
}

/// What to change on a listing; what is `None` stays as it is.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListingUpdate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    /// A decimal amount, e.g. "249.00".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Months, at least 12 when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warranty_delay: Option<u32>,
}

/// One row of a catalog upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogRow {
    pub sku: String,
    pub update: ListingUpdate,
}

/// A catalog task as the marketplace reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TaskState {
    Running,
    Failed,
    Done,
}

/// Whether an order line takes the device's IMEI or its serial number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeviceIdentity {
    Imei(String),
    SerialNumber(String),
}

/// An order line's identity as the marketplace has it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orderline {
    pub id: String,
    #[serde(default)]
    pub imei: Option<String>,
    #[serde(default)]
    pub serial_number: Option<String>,
}

/// A trade-in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BuybackOrder {
    #[serde(rename = "orderPublicId")]
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub product: Option<String>,
    #[serde(default)]
    pub imei: Option<String>,
    #[serde(default)]
    pub price: Option<String>,
}

/// A file sent with a counter-offer or a suspension (the audit report PDF).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    pub name: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// A counter-offer or a suspension.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decision {
    /// The revised price for a counter-offer, e.g. "95.00".
    pub price: Option<String>,
    /// At most 200 characters.
    pub comment: Option<String>,
    pub reasons: Vec<String>,
    pub files: Vec<Attachment>,
}

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    /// How long one request may take, answer included.
    pub timeout: Duration,
    /// The marketplace's clock speed: 1 for the real one; the simulator's `--time-factor`.
    pub time_factor: f64,
}

impl Default for ClientOptions {
    fn default() -> Self {
        ClientOptions {
            timeout: Duration::from_secs(30),
            time_factor: 1.0,
        }
    }
}

/// The seller API client: one per account, shared by reference.
pub struct Client {
    http: reqwest::Client,
    base: String,
    options: ClientOptions,
    start: Instant,
    limits: Mutex<RateLimits>,
    requests: std::sync::atomic::AtomicU64,
}

/// Makes ring rustls's crypto, once per process (reqwest is built without a provider of its own).
fn install_crypto() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

impl Client {
    pub fn new(credentials: &Credentials, options: ClientOptions) -> Result<Client, SendError> {
        install_crypto();
        let mut headers = HeaderMap::new();
        let invalid = |what: &str| SendError::Refused {
            status: 0,
            message: format!("the {what} cannot be sent in an HTTP header"),
        };
        let mut authorization = HeaderValue::from_str(&format!("Basic {}", credentials.token))
            .map_err(|_| invalid("token"))?;
        authorization.set_sensitive(true);
        headers.insert(AUTHORIZATION, authorization);
        headers.insert(
            ACCEPT_LANGUAGE,
            HeaderValue::from_str(&credentials.lang).map_err(|_| invalid("language"))?,
        );
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let http = reqwest::Client::builder()
            .user_agent(credentials.user_agent())
            .default_headers(headers)
            .timeout(options.timeout)
            .connect_timeout(options.timeout.min(Duration::from_secs(10)))
            .build()
            .map_err(|error| SendError::Unreachable(error.to_string()))?;
        Ok(Client {
            http,
            base: credentials.url.trim_end_matches('/').to_owned(),
            limits: Mutex::new(RateLimits::documented(0.0)),
            start: Instant::now(),
            options,
            requests: std::sync::atomic::AtomicU64::new(0),
        })
    }

    /// How many requests this client sent.
    pub fn requests_sent(&self) -> u64 {
        self.requests.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The marketplace's time now, in its seconds since this client started.
    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * self.options.time_factor
    }

    fn real(&self, seconds: f64) -> Duration {
        Duration::from_secs_f64((seconds / self.options.time_factor).max(0.0))
    }

    /// The most rows one catalog upload carries.
    pub fn max_catalog_rows(&self) -> u64 {
        self.limits
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .max_catalog_rows()
    }

    /// Waits for the tokens of one request.
    async fn pace(&self, class: EndpointClass, skus: u64) {
        let wait = {
            let mut limits = self
                .limits
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            limits.reserve(class, skus, self.now())
        };
        if wait > 0.0 {
            tokio::time::sleep(self.real(wait)).await;
        }
    }

    fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, format!("{}{}", self.base, path))
    }

    /// Sends, paced, and reads the answer: JSON on 2xx, a [`SendError`] otherwise.
    async fn send(
        &self,
        class: EndpointClass,
        skus: u64,
        request: RequestBuilder,
    ) -> Result<Value, SendError> {
        self.pace(class, skus).await;
        self.requests
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let response = request.send().await.map_err(|error| {
            if error.is_connect() {
                SendError::Unreachable(describe(&error))
            } else {
                SendError::Uncertain(describe(&error))
            }
        })?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.trim().parse::<f64>().ok());
        let body = response
            .bytes()
            .await
            .map_err(|error| SendError::Uncertain(describe(&error)))?;
        if status.is_success() {
            if body.is_empty() {
                return Ok(Value::Null);
            }
            return serde_json::from_slice(&body).map_err(|error| SendError::Server {
                status: status.as_u16(),
                message: format!("the answer is not JSON: {error}"),
            });
        }
        let message = error_message(status.as_u16(), &body);
        if status == StatusCode::TOO_MANY_REQUESTS {
            let now = self.now();
            let mut limits = self
                .limits
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            match class {
                EndpointClass::General => limits.general.drain(now),
                EndpointClass::Catalog => limits.catalog.drain(now),
            }
            // Retry-After is in real seconds; without it, the documented 10 s block.
            let wait = retry_after
                .map(Duration::from_secs_f64)
                .unwrap_or_else(|| self.real(10.0));
            return Err(SendError::RateLimited(wait));
        }
        if status.is_server_error() {
            return Err(SendError::Server {
                status: status.as_u16(),
                message,
            });
        }
        Err(SendError::Refused {
            status: status.as_u16(),
            message,
        })
    }

    // ----- listings -----

    pub async fn listing(&self, listing_id: &str) -> Result<Listing, SendError> {
        let value = self
            .send(
                EndpointClass::General,
                0,
                self.request(
                    Method::GET,
                    &format!("/ws/listings/{}", path_part(listing_id)),
                ),
            )
            .await?;
        parse(value)
    }

    /// `POST /ws/listings/{id}`: changes one listing (by id or SKU).
    pub async fn update_listing(
        &self,
        listing_id: &str,
        update: &ListingUpdate,
    ) -> Result<Listing, SendError> {
        if update.warranty_delay.is_some_and(|months| months < 12) {
            return Err(SendError::Refused {
                status: 0,
                message: "warranty_delay must be at least 12 months".to_owned(),
            });
        }
        let request = self
            .request(
                Method::POST,
                &format!("/ws/listings/{}", path_part(listing_id)),
            )
            .header(CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(update).expect("an update serialises"));
        parse(self.send(EndpointClass::General, 1, request).await?)
    }

    /// `POST /ws/listings` with a CSV catalog; returns the task's id.
    pub async fn upload_catalog(&self, rows: &[CatalogRow]) -> Result<u64, SendError> {
        let body = json!({
            "encoding": "utf-8",
            "delimiter": ",",
            "quotechar": "\"",
            "header": true,
            "catalog": catalog_csv(rows),
        });
        let request = self
            .request(Method::POST, "/ws/listings")
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string());
        let value = self
            .send(EndpointClass::Catalog, rows.len() as u64, request)
            .await?;
        value
            .get("bodymessage")
            .and_then(|id| id.as_u64().or_else(|| id.as_str()?.parse().ok()))
            .ok_or_else(|| SendError::Server {
                status: 200,
                message: format!("no task id in the answer: {value}"),
            })
    }

    /// `GET /ws/tasks/{id}`: 0 and 2 running, 8 failed, 9 done; with the row errors.
    pub async fn task(&self, id: u64) -> Result<(TaskState, Vec<String>), SendError> {
        let value = self
            .send(
                EndpointClass::General,
                0,
                self.request(Method::GET, &format!("/ws/tasks/{id}")),
            )
            .await?;
        let state = match value.get("action_status").and_then(Value::as_i64) {
            Some(8) => TaskState::Failed,
            Some(9) => TaskState::Done,
            _ => TaskState::Running,
        };
        let errors = value
            .pointer("/result/errors")
            .and_then(Value::as_array)
            .map(|errors| {
                errors
                    .iter()
                    .map(|error| {
                        let sku = error.get("sku").and_then(Value::as_str).unwrap_or_default();
                        let message = error_message(400, error.to_string().as_bytes());
                        format!("{sku}: {message}")
                    })
                    .collect()
            })
            .unwrap_or_default();
        Ok((state, errors))
    }

    // ----- order lines -----

    pub async fn orderline(&self, id: &str) -> Result<Orderline, SendError> {
        let value = self
            .send(
                EndpointClass::General,
                0,
                self.request(Method::GET, &format!("/ws/orderlines/{}", path_part(id))),
            )
            .await?;
        parse(value)
    }

    /// `PATCH /ws/orderlines/{id}` with `imei` or `serial_number`; once set, never changed.
    pub async fn set_orderline_identity(
        &self,
        id: &str,
        identity: &DeviceIdentity,
    ) -> Result<Orderline, SendError> {
        let body = match identity {
            DeviceIdentity::Imei(imei) => json!({"imei": imei}),
            DeviceIdentity::SerialNumber(serial) => json!({"serial_number": serial}),
        };
        let request = self
            .request(Method::PATCH, &format!("/ws/orderlines/{}", path_part(id)))
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string());
        parse(self.send(EndpointClass::General, 0, request).await?)
    }

    // ----- buyback -----

    /// Every trade-in order with `status`, page after page.
    pub async fn buyback_orders(&self, status: &str) -> Result<Vec<BuybackOrder>, SendError> {
        let mut orders = Vec::new();
        let mut page = 1;
        loop {
            let path = format!(
                "/ws/buyback/v1/orders?status={}&page={page}&page_size=50",
                path_part(status)
            );
            let value = self
                .send(EndpointClass::General, 0, self.request(Method::GET, &path))
                .await?;
            let results: Vec<BuybackOrder> = parse(
                value
                    .get("results")
                    .cloned()
                    .unwrap_or(Value::Array(Vec::new())),
            )?;
            let more = value.get("next").is_some_and(|next| !next.is_null());
            orders.extend(results);
            if !more {
                return Ok(orders);
            }
            page += 1;
        }
    }

    pub async fn buyback_order(&self, id: &str) -> Result<BuybackOrder, SendError> {
        let path = format!("/ws/buyback/v1/orders/{}", path_part(id));
        parse(
            self.send(EndpointClass::General, 0, self.request(Method::GET, &path))
                .await?,
        )
    }

    /// `PUT /ws/buyback/v1/orders/{id}/validate`.
    pub async fn validate_order(&self, id: &str) -> Result<BuybackOrder, SendError> {
        let path = format!("/ws/buyback/v1/orders/{}/validate", path_part(id));
        parse(
            self.send(EndpointClass::General, 0, self.request(Method::PUT, &path))
                .await?,
        )
    }

    /// `PUT /ws/buyback/v2/orders/{id}/counter-offers`, multipart with the audit report.
    pub async fn counter_offer(
        &self,
        id: &str,
        decision: &Decision,
    ) -> Result<BuybackOrder, SendError> {
        let path = format!("/ws/buyback/v2/orders/{}/counter-offers", path_part(id));
        let request = self.request(Method::PUT, &path).multipart(form(decision)?);
        parse(self.send(EndpointClass::General, 0, request).await?)
    }

    /// `PUT /ws/buyback/v1/orders/{id}/suspend`, multipart with reasons and files.
    pub async fn suspend_order(
        &self,
        id: &str,
        decision: &Decision,
    ) -> Result<BuybackOrder, SendError> {
        let path = format!("/ws/buyback/v1/orders/{}/suspend", path_part(id));
        let request = self.request(Method::PUT, &path).multipart(form(decision)?);
        parse(self.send(EndpointClass::General, 0, request).await?)
    }
}

fn form(decision: &Decision) -> Result<reqwest::multipart::Form, SendError> {
    if decision
        .comment
        .as_deref()
        .is_some_and(|comment| comment.chars().count() > 200)
    {
        return Err(SendError::Refused {
            status: 0,
            message: "the comment is longer than 200 characters".to_owned(),
        });
    }
    let mut form = reqwest::multipart::Form::new();
    if let Some(price) = &decision.price {
        form = form.text("price", price.clone());
    }
    if let Some(comment) = &decision.comment {
        form = form.text("comment", comment.clone());
    }
    for reason in &decision.reasons {
        form = form.text("reasons[]", reason.clone());
    }
    for file in &decision.files {
        let part = reqwest::multipart::Part::bytes(file.bytes.clone())
            .file_name(file.name.clone())
            .mime_str(&file.content_type)
            .map_err(|error| SendError::Refused {
                status: 0,
                message: error.to_string(),
            })?;
        form = form.part("files[]", part);
    }
    Ok(form)
}

/// A catalog as CSV: `sku,quantity,price,comment,warranty_delay`, quoted where needed.
///
/// ```
/// use refurbdesk_marketplace::{catalog_csv, CatalogRow, ListingUpdate};
/// let rows = [CatalogRow {
///     sku: "IPHONE-13-128-GB-BLUE-B".into(),
///     update: ListingUpdate { quantity: Some(3), comment: Some("boxed, \"like new\"".into()), ..Default::default() },
/// }];
/// assert_eq!(
///     catalog_csv(&rows),
///     "sku,quantity,price,comment,warranty_delay\nIPHONE-13-128-GB-BLUE-B,3,,\"boxed, \"\"like new\"\"\",\n"
/// );
/// ```
pub fn catalog_csv(rows: &[CatalogRow]) -> String {
    fn cell(text: &str) -> String {
        if text.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text.to_owned()
        }
    }
    let mut csv = String::from("sku,quantity,price,comment,warranty_delay\n");
    for row in rows {
        let update = &row.update;
        csv.push_str(&format!(
            "{},{},{},{},{}\n",
            cell(&row.sku),
            update.quantity.map(|q| q.to_string()).unwrap_or_default(),
            cell(update.price.as_deref().unwrap_or_default()),
            cell(update.comment.as_deref().unwrap_or_default()),
            update
                .warranty_delay
                .map(|w| w.to_string())
                .unwrap_or_default(),
        ));
    }
    csv
}

/// Percent-encodes what is not safe in a path segment or a query value.
fn path_part(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn parse<T: serde::de::DeserializeOwned>(value: Value) -> Result<T, SendError> {
    serde_json::from_value(value.clone()).map_err(|error| SendError::Server {
        status: 200,
        message: format!("unexpected answer ({error}): {value}"),
    })
}

/// reqwest's error with its causes, which say what really happened.
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
