//! The HTTP side: routes, the gate every `/ws/` request passes (auth, limits, faults) and the
//! handlers, each answering errors in the shape the real endpoint uses.

// A handler's early answer is a whole `Response`, as axum's own extractors' rejections are.
#![allow(clippy::result_large_err)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Path, Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::faults::{FaultDice, FaultKind, FaultSpec};
use crate::limits::{EndpointClass, Limits, Refusal, SimClock};
use crate::state::{Decision, ReceivedFile, RowError, SimState, Task};

/// How a simulated marketplace is set up.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// The token every request must carry as `Authorization: Basic <token>`.
    pub token: String,
    pub faults: FaultSpec,
    /// How much faster than the wall's the limits' clock runs (60: an hour in a minute).
    pub time_factor: f64,
    /// Where the state is kept between runs; none keeps it in memory.
    pub state_file: Option<PathBuf>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            token: "sim-token".to_owned(),
            faults: FaultSpec::default(),
            time_factor: 1.0,
            state_file: None,
        }
    }
}

struct Inner {
    token: String,
    clock: SimClock,
    state_file: Option<PathBuf>,
    state: Mutex<SimState>,
    limits: Mutex<Limits>,
    dice: Mutex<FaultDice>,
}

/// One simulated marketplace: its state, limits and dice.
#[derive(Clone)]
pub struct Marketplace {
    inner: Arc<Inner>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl Marketplace {
    /// Loads the state file (if any) and sets the dice.
    pub fn new(config: SimConfig) -> std::io::Result<Marketplace> {
        let state = match &config.state_file {
            Some(path) => SimState::load(path)?,
            None => SimState::default(),
        };
        Ok(Marketplace {
            inner: Arc::new(Inner {
                token: config.token,
                clock: SimClock::new(config.time_factor),
                state_file: config.state_file,
                state: Mutex::new(state),
                limits: Mutex::new(Limits::default()),
                dice: Mutex::new(FaultDice::new(config.faults)),
            }),
        })
    }

    /// A copy of the state as it is now.
    pub fn state(&self) -> SimState {
        lock(&self.inner.state).clone()
    }

    /// Replaces the whole state (what `PUT /_sim/state` does).
    pub fn replace_state(&self, state: SimState) {
        *lock(&self.inner.state) = state;
        self.save_quietly();
    }

    /// Changes the faults from now on, with fresh dice (what `PUT /_sim/faults` does).
    pub fn set_faults(&self, spec: FaultSpec) {
        *lock(&self.inner.dice) = FaultDice::new(spec);
    }

    /// Writes the state file, if there is one.
    pub fn save(&self) -> std::io::Result<()> {
        match &self.inner.state_file {
            Some(path) => lock(&self.inner.state).save(path),
            None => Ok(()),
        }
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/ws/listings", post(post_catalog))
            .route("/ws/listings/{id}", get(get_listing).post(post_listing))
            .route("/ws/tasks/{id}", get(get_task))
            .route(
                "/ws/orderlines/{id}",
                get(get_orderline).patch(patch_orderline),
            )
            .route("/ws/buyback/v1/orders", get(list_orders))
            .route("/ws/buyback/v1/orders/{id}", get(get_order))
            .route("/ws/buyback/v1/orders/{id}/validate", put(validate_order))
            .route(
                "/ws/buyback/v2/orders/{id}/counter-offers",
                put(counter_offer),
            )
            .route("/ws/buyback/v1/orders/{id}/suspend", put(suspend_order))
            .route("/_sim/state", get(get_sim_state).put(put_sim_state))
            .route("/_sim/faults", put(put_sim_faults).patch(put_sim_faults))
            .fallback(not_found)
            .layer(middleware::from_fn_with_state(self.clone(), gate))
            .with_state(self.clone())
    }

    /// Serves on `listener` until `shutdown` resolves, then saves the state. Connections still
    /// open (a hanging fault) are left to the runtime's end.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let router = self.router();
        tokio::select! {
            served = axum::serve(listener, router) => served?,
            () = shutdown => {}
        }
        self.save()
    }
}

/// A marketplace served on a thread of its own; dropping it stops the server.
pub struct RunningSim {
    pub addr: SocketAddr,
    marketplace: Marketplace,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl RunningSim {
    /// `http://127.0.0.1:PORT`
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn marketplace(&self) -> &Marketplace {
        &self.marketplace
    }

    /// Stops the server and saves its state.
    pub fn stop(mut self) -> std::io::Result<()> {
        self.stop_now()
    }

    fn stop_now(&mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.thread.take() {
            Some(thread) => thread
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the simulator panicked"))),
            None => Ok(()),
        }
    }
}

impl Drop for RunningSim {
    fn drop(&mut self) {
        let _ = self.stop_now();
    }
}

/// Binds `addr` (port 0: any free port) and serves on a thread with its own runtime.
pub fn spawn(config: SimConfig, addr: SocketAddr) -> std::io::Result<RunningSim> {
    let marketplace = Marketplace::new(config)?;
    let listener = std::net::TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = marketplace.clone();
    let thread = std::thread::Builder::new()
        .name("marketplace-sim".to_owned())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()?;
            let result = runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener)?;
                served
                    .serve(listener, async move {
                        let _ = stopped.await;
                    })
                    .await
            });
            runtime.shutdown_background();
            result
        })?;
    Ok(RunningSim {
        addr,
        marketplace,
        stop: Some(stop),
        thread: Some(thread),
    })
}

// ----- error shapes: each endpoint family answers in its own, as the real API does -----

/// `{"error": {"code": …, "message": …}}` (listings).
fn error_object(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": code, "message": message}})),
    )
        .into_response()
}

/// `{"errors": [{"field": …, "message": …}]}` (catalog and tasks).
fn error_list(status: StatusCode, field: &str, message: &str) -> Response {
    (
        status,
        Json(json!({"errors": [{"field": field, "message": message}]})),
    )
        .into_response()
}

/// RFC 7807 problem+json (buyback).
fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    let body =
        json!({"type": "about:blank", "title": title, "status": status.as_u16(), "detail": detail});
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

/// A bare string (order lines, and a 500 from the front).
fn bare(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        message.to_owned(),
    )
        .into_response()
}

fn too_many(marketplace: &Marketplace, seconds: f64) -> Response {
    let real = marketplace.inner.clock.real(seconds).as_secs_f64();
    let mut response = (
        StatusCode::TOO_MANY_REQUESTS,
        Json(json!({"detail": format!("Request was throttled. Expected available in {} seconds.", seconds.ceil())})),
    )
        .into_response();
    let retry = HeaderValue::from_str(&format!("{}", real.ceil().max(1.0)))
        .expect("a number is a header value");
    response.headers_mut().insert(header::RETRY_AFTER, retry);
    response
}

/// A response whose body fails after the headers: the client sees its connection dropped.
fn dropped() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::other("connection dropped (simulated)"))
    });
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from_stream(failing))
        .expect("a plain response builds")
}

// ----- the gate -----

async fn gate(State(marketplace): State<Marketplace>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    if !path.starts_with("/ws/") {
        return next.run(request).await;
    }
    let inner = &marketplace.inner;
    let changes = request.method() != Method::GET;
    let (authorization, user_agent, language) = {
        let headers = request.headers();
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|value| value.to_str().ok())
                .map(str::to_owned)
        };
        (
            text(header::AUTHORIZATION),
            text(header::USER_AGENT),
            text(header::ACCEPT_LANGUAGE),
        )
    };
    {
        let mut state = lock(&inner.state);
        state.stats.requests += 1;
        state.stats.last_user_agent = user_agent;
        state.stats.last_accept_language = language;
    }
    if authorization.as_deref() != Some(format!("Basic {}", inner.token).as_str()) {
        lock(&inner.state).stats.unauthorized += 1;
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"detail": "Invalid token."})),
        )
            .into_response();
    }
    let class = if request.method() == Method::POST && path == "/ws/listings" {
        EndpointClass::Catalog
    } else {
        EndpointClass::General
    };
    let now = inner.clock.now();
    let admitted = lock(&inner.limits).admit(class, now);
    if let Err(refusal) = admitted {
        lock(&inner.state).stats.rate_limited += 1;
        let seconds = match refusal {
            Refusal::Blocked(left) => left,
            _ => crate::limits::BLOCK_SECONDS,
        };
        return too_many(&marketplace, seconds);
    }
    let fault = lock(&inner.dice).roll(changes);
    let (slow_ms, hang_ms) = {
        let dice = lock(&inner.dice);
        (dice.spec().slow_ms, dice.spec().hang_ms)
    };
    if let Some(kind) = fault {
        *lock(&inner.state).stats.faults.entry(kind).or_insert(0) += 1;
        tracing::debug!(%kind, %path, "fault injected");
    }
    let response = match fault {
        None => next.run(request).await,
        Some(FaultKind::ServerError) => {
            bare(StatusCode::INTERNAL_SERVER_ERROR, "Internal Server Error")
        }
        Some(FaultKind::TooManyRequests) => too_many(&marketplace, 1.0),
        Some(FaultKind::Drop) => dropped(),
        Some(FaultKind::Slow) => {
            tokio::time::sleep(Duration::from_millis(slow_ms)).await;
            next.run(request).await
        }
        Some(FaultKind::TimeoutAfterApply) => {
            let _applied = next.run(request).await;
            marketplace.save_quietly();
            tokio::time::sleep(Duration::from_millis(hang_ms)).await;
            dropped()
        }
        Some(FaultKind::Duplicate) => {
            let (parts, body) = request.into_parts();
            let bytes = match axum::body::to_bytes(body, 16 << 20).await {
                Ok(bytes) => bytes,
                Err(_) => return bare(StatusCode::BAD_REQUEST, "Unreadable body"),
            };
            let copy = |bytes: Bytes| {
                let mut builder = Request::builder()
                    .method(parts.method.clone())
                    .uri(parts.uri.clone())
                    .version(parts.version);
                if let Some(headers) = builder.headers_mut() {
                    *headers = parts.headers.clone();
                }
                // The route's path parameters travel in the extensions.
                if let Some(extensions) = builder.extensions_mut() {
                    *extensions = parts.extensions.clone();
                }
                builder
                    .body(Body::from(bytes))
                    .expect("a copy of a request builds")
            };
            let _first = next.clone().run(copy(bytes.clone())).await;
            next.run(copy(bytes)).await
        }
    };
    if changes {
        marketplace.save_quietly();
    }
    response
}

impl Marketplace {
    fn save_quietly(&self) {
        if let Err(error) = self.save() {
            tracing::warn!(%error, "the simulator could not save its state");
        }
    }

    /// Spends SKU updates of the hour, or answers the 429 that blocks the class.
    fn spend_skus(&self, class: EndpointClass, n: u64) -> Result<(), Response> {
        let now = self.inner.clock.now();
        let spent = lock(&self.inner.limits).spend_skus(class, n as f64, now);
        spent.map_err(|_| {
            lock(&self.inner.state).stats.rate_limited += 1;
            too_many(self, crate::limits::BLOCK_SECONDS)
        })
    }
}

async fn not_found() -> Response {
    error_object(StatusCode::NOT_FOUND, "not_found", "No such endpoint.")
}

// ----- listings -----

fn listing_json(listing: &crate::state::Listing) -> Value {
    json!({
        "listing_id": listing.listing_id,
        "sku": listing.sku,
        "quantity": listing.quantity,
        "price": listing.price,
        "comment": listing.comment,
        "warranty_delay": listing.warranty_delay,
    })
}

async fn get_listing(State(marketplace): State<Marketplace>, Path(id): Path<String>) -> Response {
    let mut state = lock(&marketplace.inner.state);
    match state.listing_mut(&id) {
        Some(listing) => Json(listing_json(listing)).into_response(),
        None => error_object(
            StatusCode::NOT_FOUND,
            "listing_not_found",
            &format!("Listing {id} does not exist."),
        ),
    }
}

#[derive(Debug, Default, Deserialize)]
struct ListingUpdate {
    quantity: Option<Value>,
    price: Option<Value>,
    comment: Option<String>,
    warranty_delay: Option<Value>,
}

/// An update's quantity, price and warranty, checked.
type Checked = (Option<i64>, Option<String>, Option<u32>);

/// Checks one update (single or a catalog row); the message says what is wrong.
fn check_update(
    quantity: Option<&Value>,
    price: Option<&Value>,
    comment: Option<&str>,
    warranty_delay: Option<&Value>,
) -> Result<Checked, String> {
    let number = |value: &Value| match value {
        Value::Number(n) => n.as_i64(),
        Value::String(text) => text.trim().parse().ok(),
        _ => None,
    };
    let quantity = match quantity {
        None | Some(Value::Null) => None,
        Some(value) => match number(value) {
            Some(n) if n >= 0 => Some(n),
            _ => return Err(format!("quantity must be a whole number ≥ 0, not {value}")),
        },
    };
    let price = match price {
        None | Some(Value::Null) => None,
        Some(value) => {
            let text = match value {
                Value::String(text) => text.trim().to_owned(),
                other => other.to_string(),
            };
            match text.parse::<f64>() {
                Ok(p) if p > 0.0 => Some(text),
                _ => return Err(format!("price must be a positive amount, not {value}")),
            }
        }
    };
    if comment.is_some_and(|comment| comment.chars().count() > 1000) {
        return Err("comment is longer than 1000 characters".to_owned());
    }
    let warranty_delay = match warranty_delay {
        None | Some(Value::Null) => None,
        Some(value) => match number(value) {
            Some(n) if n >= 12 => Some(n as u32),
            _ => {
                return Err(format!(
                    "warranty_delay must be at least 12 months, not {value}"
                ))
            }
        },
    };
    Ok((quantity, price, warranty_delay))
}

async fn post_listing(
    State(marketplace): State<Marketplace>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let update: ListingUpdate = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(error) => {
            return error_object(StatusCode::BAD_REQUEST, "invalid_json", &error.to_string())
        }
    };
    let checked = check_update(
        update.quantity.as_ref(),
        update.price.as_ref(),
        update.comment.as_deref(),
        update.warranty_delay.as_ref(),
    );
    let (quantity, price, warranty_delay) = match checked {
        Ok(checked) => checked,
        Err(message) => return error_object(StatusCode::BAD_REQUEST, "invalid_value", &message),
    };
    if !lock(&marketplace.inner.state)
        .listings
        .values()
        .any(|l| l.listing_id == id || l.sku == id)
    {
        return error_object(
            StatusCode::NOT_FOUND,
            "listing_not_found",
            &format!("Listing {id} does not exist."),
        );
    }
    if let Err(response) = marketplace.spend_skus(EndpointClass::General, 1) {
        return response;
    }
    let mut state = lock(&marketplace.inner.state);
    state.stats.listing_updates += 1;
    let listing = state.listing_mut(&id).expect("the listing was just found");
    if let Some(quantity) = quantity {
        listing.quantity = quantity;
    }
    if price.is_some() {
        listing.price = price;
    }
    if update.comment.is_some() {
        listing.comment = update.comment;
    }
    if warranty_delay.is_some() {
        listing.warranty_delay = warranty_delay;
    }
    listing.updates += 1;
    Json(listing_json(listing)).into_response()
}

#[derive(Debug, Deserialize)]
struct CatalogUpload {
    catalog: Option<String>,
    delimiter: Option<String>,
    quotechar: Option<String>,
    encoding: Option<String>,
}

async fn post_catalog(State(marketplace): State<Marketplace>, body: Bytes) -> Response {
    let upload: CatalogUpload = match serde_json::from_slice(&body) {
        Ok(upload) => upload,
        Err(error) => return error_list(StatusCode::BAD_REQUEST, "body", &error.to_string()),
    };
    let Some(catalog) = upload.catalog else {
        return error_list(
            StatusCode::BAD_REQUEST,
            "catalog",
            "This field is required.",
        );
    };
    if upload.encoding.as_deref().is_some_and(|encoding| {
        !encoding.eq_ignore_ascii_case("utf-8") && !encoding.eq_ignore_ascii_case("utf8")
    }) {
        return error_list(
            StatusCode::BAD_REQUEST,
            "encoding",
            "Only utf-8 is accepted.",
        );
    }
    let single_byte = |text: Option<&str>, default: u8| match text {
        None => Some(default),
        Some(text) if text.len() == 1 => Some(text.as_bytes()[0]),
        Some(_) => None,
    };
    let (Some(delimiter), Some(quote)) = (
        single_byte(upload.delimiter.as_deref(), b','),
        single_byte(upload.quotechar.as_deref(), b'"'),
    ) else {
        return error_list(
            StatusCode::BAD_REQUEST,
            "delimiter",
            "One character is expected.",
        );
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .quote(quote)
        .from_reader(catalog.as_bytes());
    let headers = match reader.headers() {
        Ok(headers) => headers.clone(),
        Err(error) => return error_list(StatusCode::BAD_REQUEST, "catalog", &error.to_string()),
    };
    let column = |name: &str| headers.iter().position(|header| header.trim() == name);
    let Some(sku_column) = column("sku") else {
        return error_list(
            StatusCode::BAD_REQUEST,
            "catalog",
            "The catalog has no sku column.",
        );
    };
    let (quantity_column, price_column, comment_column, warranty_column) = (
        column("quantity"),
        column("price"),
        column("comment"),
        column("warranty_delay"),
    );
    let mut rows = Vec::new();
    for record in reader.records() {
        match record {
            Ok(record) => rows.push(record),
            Err(error) => {
                return error_list(StatusCode::BAD_REQUEST, "catalog", &error.to_string())
            }
        }
    }
    if rows.is_empty() {
        return error_list(
            StatusCode::BAD_REQUEST,
            "catalog",
            "The catalog has no rows.",
        );
    }
    if let Err(response) = marketplace.spend_skus(EndpointClass::Catalog, rows.len() as u64) {
        return response;
    }
    let now = marketplace.inner.clock.now();
    let mut state = lock(&marketplace.inner.state);
    let mut index = state.sku_index();
    let mut errors = Vec::new();
    for (number, record) in rows.iter().enumerate() {
        let line = number as u64 + 2;
        let cell = |column: Option<usize>| {
            column
                .and_then(|column| record.get(column))
                .map(str::trim)
                .filter(|text| !text.is_empty())
        };
        let sku = cell(Some(sku_column)).unwrap_or_default().to_owned();
        if sku.is_empty() {
            errors.push(RowError {
                line,
                sku,
                message: "sku is empty".to_owned(),
            });
            continue;
        }
        let quantity = cell(quantity_column).map(|text| Value::String(text.to_owned()));
        let price = cell(price_column).map(|text| Value::String(text.to_owned()));
        let warranty = cell(warranty_column).map(|text| Value::String(text.to_owned()));
        let comment = cell(comment_column);
        match check_update(
            quantity.as_ref(),
            price.as_ref(),
            comment,
            warranty.as_ref(),
        ) {
            Ok((quantity, price, warranty_delay)) => {
                let listing = state.listing_for_sku(&mut index, &sku);
                if let Some(quantity) = quantity {
                    listing.quantity = quantity;
                }
                if price.is_some() {
                    listing.price = price;
                }
                if let Some(comment) = comment {
                    listing.comment = Some(comment.to_owned());
                }
                if warranty_delay.is_some() {
                    listing.warranty_delay = warranty_delay;
                }
                listing.updates += 1;
            }
            Err(message) => errors.push(RowError { line, sku, message }),
        }
    }
    state.next_task_id += 1;
    let id = state.next_task_id;
    state.stats.catalog_uploads += 1;
    state.stats.catalog_rows += rows.len() as u64;
    state.tasks.insert(
        id,
        Task {
            id,
            rows: rows.len() as u64,
            errors,
            // A catalog takes a simulated second and one more per thousand rows.
            done_at: now + 1.0 + rows.len() as f64 / 1000.0,
        },
    );
    Json(json!({"bodymessage": id, "statuscode": 200})).into_response()
}

async fn get_task(State(marketplace): State<Marketplace>, Path(id): Path<String>) -> Response {
    let now = marketplace.inner.clock.now();
    let state = lock(&marketplace.inner.state);
    let Some(task) = id.parse::<u64>().ok().and_then(|id| state.tasks.get(&id)) else {
        return error_list(
            StatusCode::NOT_FOUND,
            "id",
            &format!("Task {id} does not exist."),
        );
    };
    // 0 queued, 2 running, 8 failed (no row applied), 9 done.
    let status = if now < task.done_at {
        if now < task.done_at - 0.5 {
            0
        } else {
            2
        }
    } else if task.errors.len() as u64 == task.rows {
        8
    } else {
        9
    };
    Json(json!({
        "id": task.id,
        "action_status": status,
        "result": {"rows": task.rows, "errors": task.errors},
    }))
    .into_response()
}

// ----- order lines -----

fn orderline_json(line: &crate::state::Orderline) -> Value {
    json!({"id": line.id, "imei": line.imei, "serial_number": line.serial_number})
}

async fn get_orderline(State(marketplace): State<Marketplace>, Path(id): Path<String>) -> Response {
    let state = lock(&marketplace.inner.state);
    match state.orderlines.get(&id) {
        Some(line) => Json(orderline_json(line)).into_response(),
        None => bare(StatusCode::NOT_FOUND, "Not found."),
    }
}

#[derive(Debug, Deserialize)]
struct OrderlinePatch {
    imei: Option<String>,
    serial_number: Option<String>,
}

async fn patch_orderline(
    State(marketplace): State<Marketplace>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let Ok(patch) = serde_json::from_slice::<OrderlinePatch>(&body) else {
        return bare(StatusCode::BAD_REQUEST, "JSON parse error.");
    };
    let mut state = lock(&marketplace.inner.state);
    let Some(line) = state.orderlines.get_mut(&id) else {
        return bare(StatusCode::NOT_FOUND, "Not found.");
    };
    let (field, value, current) = match (&patch.imei, &patch.serial_number) {
        (Some(imei), None) => ("imei", imei.clone(), &mut line.imei),
        (None, Some(serial)) => ("serial_number", serial.clone(), &mut line.serial_number),
        _ => {
            line.refusals += 1;
            return bare(
                StatusCode::BAD_REQUEST,
                "Send either imei or serial_number.",
            );
        }
    };
    if field == "imei" && (value.len() != 15 || !value.bytes().all(|b| b.is_ascii_digit())) {
        line.refusals += 1;
        return bare(
            StatusCode::BAD_REQUEST,
            &format!("{value} is not a valid IMEI."),
        );
    }
    if current.is_some() {
        line.refusals += 1;
        return bare(
            StatusCode::BAD_REQUEST,
            &format!("The {field} of order line {id} is already set and cannot be changed."),
        );
    }
    *current = Some(value);
    line.sets += 1;
    Json(orderline_json(line)).into_response()
}

// ----- buyback -----

fn order_json(order: &crate::state::BuybackOrder) -> Value {
    json!({
        "orderPublicId": order.id,
        "status": order.status,
        "product": order.product,
        "imei": order.imei,
        "price": order.price,
        "counterOffers": order.counter_offers.len(),
    })
}

#[derive(Debug, Deserialize)]
struct OrdersQuery {
    status: Option<String>,
    page: Option<usize>,
    page_size: Option<usize>,
}

async fn list_orders(
    State(marketplace): State<Marketplace>,
    Query(query): Query<OrdersQuery>,
) -> Response {
    let state = lock(&marketplace.inner.state);
    let page = query.page.unwrap_or(1).max(1);
    let size = query.page_size.unwrap_or(10).clamp(1, 50);
    let matching: Vec<&crate::state::BuybackOrder> = state
        .buyback_orders
        .values()
        .filter(|order| {
            query
                .status
                .as_deref()
                .is_none_or(|status| order.status == status)
        })
        .collect();
    let count = matching.len();
    let results: Vec<Value> = matching
        .iter()
        .skip((page - 1) * size)
        .take(size)
        .map(|order| order_json(order))
        .collect();
    let link = |page: usize| {
        let mut url = format!("/ws/buyback/v1/orders?page={page}&page_size={size}");
        if let Some(status) = &query.status {
            url.push_str(&format!("&status={status}"));
        }
        url
    };
    let next = (page * size < count).then(|| link(page + 1));
    let previous = (page > 1).then(|| link(page - 1));
    Json(json!({"count": count, "next": next, "previous": previous, "results": results}))
        .into_response()
}

async fn get_order(State(marketplace): State<Marketplace>, Path(id): Path<String>) -> Response {
    let state = lock(&marketplace.inner.state);
    match state.buyback_orders.get(&id) {
        Some(order) => Json(order_json(order)).into_response(),
        None => problem(
            StatusCode::NOT_FOUND,
            "Not Found",
            &format!("Order {id} does not exist."),
        ),
    }
}

/// The order, if it is waiting for the seller's verdict (RECEIVED).
fn received_order<'a>(
    state: &'a mut SimState,
    id: &str,
) -> Result<&'a mut crate::state::BuybackOrder, Response> {
    let Some(order) = state.buyback_orders.get_mut(id) else {
        return Err(problem(
            StatusCode::NOT_FOUND,
            "Not Found",
            &format!("Order {id} does not exist."),
        ));
    };
    if order.status != "RECEIVED" {
        return Err(problem(
            StatusCode::BAD_REQUEST,
            "Invalid status",
            &format!("Order {id} is {}; only a RECEIVED order can be validated, counter-offered or suspended.", order.status),
        ));
    }
    Ok(order)
}

async fn validate_order(
    State(marketplace): State<Marketplace>,
    Path(id): Path<String>,
) -> Response {
    let mut state = lock(&marketplace.inner.state);
    match received_order(&mut state, &id) {
        Ok(order) => {
            order.status = "VALIDATED".to_owned();
            order.validations += 1;
            Json(order_json(order)).into_response()
        }
        Err(response) => response,
    }
}

/// Reads a decision from a multipart body: `price`, `comment`, `reasons[]`, `files[]`.
async fn decision_from_multipart(mut multipart: Multipart) -> Result<Decision, Response> {
    let mut decision = Decision::default();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(error) => {
                return Err(problem(
                    StatusCode::BAD_REQUEST,
                    "Malformed multipart",
                    &error.to_string(),
                ))
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let bytes = field.bytes().await.map_err(|error| {
            problem(
                StatusCode::BAD_REQUEST,
                "Malformed multipart",
                &error.to_string(),
            )
        })?;
        let text = || String::from_utf8_lossy(&bytes).into_owned();
        match name.as_str() {
            "price" => decision.price = Some(text()),
            "comment" => decision.comment = Some(text()),
            "reasons[]" | "reasons" => decision.reasons.push(text()),
            "files[]" | "files" => decision.files.push(ReceivedFile {
                name: file_name.unwrap_or_default(),
                content_type,
                size: bytes.len() as u64,
                sha256: hex::encode(Sha256::digest(&bytes)),
                pdf: bytes.starts_with(b"%PDF-"),
            }),
            _ => {}
        }
    }
    Ok(decision)
}

fn check_comment(decision: &Decision) -> Result<(), Response> {
    if decision
        .comment
        .as_deref()
        .is_some_and(|comment| comment.chars().count() > 200)
    {
        return Err(problem(
            StatusCode::BAD_REQUEST,
            "Invalid comment",
            "comment: ensure this field has no more than 200 characters.",
        ));
    }
    if decision.reasons.is_empty() {
        return Err(problem(
            StatusCode::BAD_REQUEST,
            "Invalid reasons",
            "reasons: at least one reason is required.",
        ));
    }
    Ok(())
}

async fn counter_offer(
    State(marketplace): State<Marketplace>,
    Path(id): Path<String>,
    multipart: Multipart,
) -> Response {
    let decision = match decision_from_multipart(multipart).await {
        Ok(decision) => decision,
        Err(response) => return response,
    };
    if let Err(response) = check_comment(&decision) {
        return response;
    }
    match decision
        .price
        .as_deref()
        .map(|price| price.trim().parse::<f64>())
    {
        Some(Ok(price)) if price >= 0.0 => {}
        _ => {
            return problem(
                StatusCode::BAD_REQUEST,
                "Invalid price",
                "price: a positive amount is required.",
            )
        }
    }
    let mut state = lock(&marketplace.inner.state);
    match received_order(&mut state, &id) {
        Ok(order) => {
            order.status = "COUNTER_PROPOSAL".to_owned();
            order.counter_offers.push(decision);
            Json(order_json(order)).into_response()
        }
        Err(response) => response,
    }
}

#[derive(Debug, Deserialize)]
struct SuspendBody {
    #[serde(default)]
    reasons: Vec<String>,
    comment: Option<String>,
}

async fn suspend_order(
    State(marketplace): State<Marketplace>,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("multipart/"));
    let decision = if multipart {
        let multipart = match Multipart::from_request(request, &()).await {
            Ok(multipart) => multipart,
            Err(rejection) => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "Malformed multipart",
                    &rejection.body_text(),
                )
            }
        };
        match decision_from_multipart(multipart).await {
            Ok(decision) => decision,
            Err(response) => return response,
        }
    } else {
        let bytes = match axum::body::to_bytes(request.into_body(), 16 << 20).await {
            Ok(bytes) => bytes,
            Err(error) => {
                return problem(
                    StatusCode::BAD_REQUEST,
                    "Unreadable body",
                    &error.to_string(),
                )
            }
        };
        match serde_json::from_slice::<SuspendBody>(&bytes) {
            Ok(body) => Decision {
                comment: body.comment,
                reasons: body.reasons,
                ..Decision::default()
            },
            Err(error) => {
                return problem(StatusCode::BAD_REQUEST, "Invalid JSON", &error.to_string())
            }
        }
    };
    if let Err(response) = check_comment(&decision) {
        return response;
    }
    let mut state = lock(&marketplace.inner.state);
    match received_order(&mut state, &id) {
        Ok(order) => {
            order.status = "SUSPENDED".to_owned();
            order.suspensions.push(decision);
            Json(order_json(order)).into_response()
        }
        Err(response) => response,
    }
}

// ----- the test door -----

async fn get_sim_state(State(marketplace): State<Marketplace>) -> Response {
    let state = marketplace.state();
    let mut value = serde_json::to_value(&state).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut value {
        map.insert(
            "sim_seconds".to_owned(),
            json!(marketplace.inner.clock.now()),
        );
        map.insert(
            "time_factor".to_owned(),
            json!(marketplace.inner.clock.factor()),
        );
        let faults = lock(&marketplace.inner.dice).spec().to_string();
        map.insert("fault_spec".to_owned(), json!(faults));
    }
    Json(value).into_response()
}

async fn put_sim_state(State(marketplace): State<Marketplace>, body: Bytes) -> Response {
    match serde_json::from_slice::<SimState>(&body) {
        Ok(state) => {
            *lock(&marketplace.inner.state) = state;
            marketplace.save_quietly();
            StatusCode::NO_CONTENT.into_response()
        }
        Err(error) => bare(StatusCode::BAD_REQUEST, &error.to_string()),
    }
}

async fn put_sim_faults(State(marketplace): State<Marketplace>, body: String) -> Response {
    match body.parse::<FaultSpec>() {
        Ok(spec) => {
            *lock(&marketplace.inner.dice) = FaultDice::new(spec);
            StatusCode::NO_CONTENT.into_response()
        }
        Err(error) => bare(StatusCode::BAD_REQUEST, &error.to_string()),
    }
}
