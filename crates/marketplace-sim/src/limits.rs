//! The marketplace's rate limits on a clock that can run faster than the wall's.
//!
//! Three budgets, as the seller API documents them: about 200 requests per 10 s, about 20 per
//! 10 s on the catalog (CSV batch) endpoint, about 2,000 SKU updates per hour. Each is a token
//! bucket; a request that finds its bucket empty gets 429 and blocks its class for 10 s.
//! Every duration is in simulated seconds: with a time factor of 60, a simulated hour lasts a
//! real minute.

use std::time::Instant;

use serde::{Deserialize, Serialize};

/// Simulated time: real time since the start, multiplied by the time factor.
#[derive(Debug, Clone, Copy)]
pub struct SimClock {
    start: Instant,
    factor: f64,
}

impl SimClock {
    pub fn new(factor: f64) -> Self {
        SimClock {
            start: Instant::now(),
            factor: if factor > 0.0 { factor } else { 1.0 },
        }
    }

    pub fn factor(&self) -> f64 {
        self.factor
    }

    /// Simulated seconds since the start.
    pub fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64() * self.factor
    }

    /// The real duration of `seconds` simulated seconds.
    pub fn real(&self, seconds: f64) -> std::time::Duration {
        std::time::Duration::from_secs_f64((seconds / self.factor).max(0.0))
    }
}

/// A token bucket over simulated seconds: `capacity` tokens, refilled evenly over `window`.
///
/// ```
/// use refurbdesk_marketplace_sim::TokenBucket;
/// let mut bucket = TokenBucket::new(20.0, 10.0);
/// for _ in 0..20 { assert!(bucket.take(1.0, 0.0)); }
/// assert!(!bucket.take(1.0, 0.0));
/// assert!(bucket.take(1.0, 0.5)); // half a second brings one token back
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenBucket {
    capacity: f64,
    per_second: f64,
    tokens: f64,
    at: f64,
}

impl TokenBucket {
    pub fn new(capacity: f64, window: f64) -> Self {
        TokenBucket {
            capacity,
            per_second: capacity / window,
            tokens: capacity,
            at: 0.0,
        }
    }

    fn refill(&mut self, now: f64) {
        if now > self.at {
            self.tokens = (self.tokens + (now - self.at) * self.per_second).min(self.capacity);
            self.at = now;
        }
    }

    /// Takes `n` tokens at `now` if there are that many.
    pub fn take(&mut self, n: f64, now: f64) -> bool {
        self.refill(now);
        if self.tokens + 1e-9 >= n {
            self.tokens -= n;
            true
        } else {
            false
        }
    }

    pub fn tokens(&mut self, now: f64) -> f64 {
        self.refill(now);
        self.tokens
    }
}

/// An endpoint class: each has its own request bucket and its own block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndpointClass {
    /// `POST /ws/listings`, the CSV catalog.
    Catalog,
    /// Every other endpoint.
    General,
}

/// The documented limits.
pub const GENERAL_PER_10S: f64 = 200.0;
pub const CATALOG_PER_10S: f64 = 20.0;
pub const SKU_UPDATES_PER_HOUR: f64 = 2000.0;
pub const BLOCK_SECONDS: f64 = 10.0;

/// Why a request was refused by the limits.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Refusal {
    /// The class is blocked after an earlier 429, for this many more simulated seconds.
    Blocked(f64),
    /// The class's request bucket is empty (a new 10 s block starts).
    Requests,
    /// The hour's SKU updates are spent (a new 10 s block starts).
    SkuUpdates,
}

/// Every bucket of one marketplace.
#[derive(Debug, Clone)]
pub struct Limits {
    general: TokenBucket,
    catalog: TokenBucket,
    skus: TokenBucket,
    general_blocked_until: f64,
    catalog_blocked_until: f64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            general: TokenBucket::new(GENERAL_PER_10S, 10.0),
            catalog: TokenBucket::new(CATALOG_PER_10S, 10.0),
            skus: TokenBucket::new(SKU_UPDATES_PER_HOUR, 3600.0),
            general_blocked_until: f64::NEG_INFINITY,
            catalog_blocked_until: f64::NEG_INFINITY,
        }
    }
}

impl Limits {
    /// Admits a request of `class` at `now`, counting one request.
    ///
    /// ```
    /// use refurbdesk_marketplace_sim::{EndpointClass, Limits, Refusal};
    /// let mut limits = Limits::default();
    /// for _ in 0..20 { limits.admit(EndpointClass::Catalog, 0.0).unwrap(); }
    /// assert_eq!(limits.admit(EndpointClass::Catalog, 0.0), Err(Refusal::Requests));
    /// assert_eq!(limits.admit(EndpointClass::Catalog, 5.0), Err(Refusal::Blocked(5.0)));
    /// assert!(limits.admit(EndpointClass::General, 5.0).is_ok());
    /// assert!(limits.admit(EndpointClass::Catalog, 10.0).is_ok());
    /// ```
    pub fn admit(&mut self, class: EndpointClass, now: f64) -> Result<(), Refusal> {
        let (bucket, blocked_until) = match class {
            EndpointClass::General => (&mut self.general, &mut self.general_blocked_until),
            EndpointClass::Catalog => (&mut self.catalog, &mut self.catalog_blocked_until),
        };
        if now < *blocked_until {
            return Err(Refusal::Blocked(*blocked_until - now));
        }
        if !bucket.take(1.0, now) {
            *blocked_until = now + BLOCK_SECONDS;
            return Err(Refusal::Requests);
        }
        Ok(())
    }

    /// Spends `n` SKU updates of the hour's budget, or blocks `class` when they are not there.
    pub fn spend_skus(&mut self, class: EndpointClass, n: f64, now: f64) -> Result<(), Refusal> {
        if self.skus.take(n, now) {
            return Ok(());
        }
        let blocked_until = match class {
            EndpointClass::General => &mut self.general_blocked_until,
            EndpointClass::Catalog => &mut self.catalog_blocked_until,
        };
        *blocked_until = now + BLOCK_SECONDS;
        Err(Refusal::SkuUpdates)
    }
}
