//! The client's side of the marketplace's limits: a token bucket per endpoint class, kept a little
//! under the marketplace's own so that a sender that waits for its tokens never meets a 429, and
//! backoff with jitter for when something fails anyway. Pure arithmetic over an injected clock
//! (seconds as `f64`), so it is tested without waiting.

use std::time::Duration;

/// A token bucket: `capacity` tokens, refilled evenly over `window` seconds.
///
/// ```
/// use refurbdesk_marketplace::TokenBucket;
/// let mut bucket = TokenBucket::new(20.0, 10.0, 0.0);
/// assert_eq!(bucket.take(20.0, 0.0), 0.0);
/// // the next token comes back in half a second: that is the wait
/// assert_eq!(bucket.take(1.0, 0.0), 0.5);
/// // once taken, tokens are owed: the next one waits a further half second
/// assert_eq!(bucket.take(1.0, 0.0), 1.0);
/// assert_eq!(bucket.take(1.0, 1.0), 0.5);
/// ```
#[derive(Debug, Clone)]
pub struct TokenBucket {
    capacity: f64,
    per_second: f64,
    tokens: f64,
    at: f64,
}

impl TokenBucket {
    /// Full at `now`.
    pub fn new(capacity: f64, window: f64, now: f64) -> TokenBucket {
        TokenBucket {
            capacity,
            per_second: capacity / window,
            tokens: capacity,
            at: now,
        }
    }

    pub fn capacity(&self) -> f64 {
        self.capacity
    }

    fn refill(&mut self, now: f64) {
        if now > self.at {
            self.tokens = (self.tokens + (now - self.at) * self.per_second).min(self.capacity);
            self.at = now;
        }
    }

    /// Takes `n` tokens, going into debt if need be, and says how many seconds from `now` the
    /// caller must wait before it may send (0 when the tokens were there).
    pub fn take(&mut self, n: f64, now: f64) -> f64 {
        self.refill(now);
        self.tokens -= n;
        if self.tokens >= 0.0 {
            0.0
        } else {
            -self.tokens / self.per_second
        }
    }

    /// Seconds until `n` tokens are there, without taking them.
    pub fn wait_for(&mut self, n: f64, now: f64) -> f64 {
        self.refill(now);
        if self.tokens >= n {
            0.0
        } else {
            (n - self.tokens) / self.per_second
        }
    }

    /// Empties the bucket (after a 429: the marketplace's count was not ours).
    pub fn drain(&mut self, now: f64) {
        self.refill(now);
        self.tokens = self.tokens.min(0.0);
    }
}

/// The endpoint classes the marketplace counts apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndpointClass {
    /// `POST /ws/listings`, the CSV catalog: about 20 requests per 10 s.
    Catalog,
    /// Every other endpoint: about 200 requests per 10 s.
    General,
}

/// The three budgets of one seller account, a safety margin under the marketplace's.
#[derive(Debug, Clone)]
pub struct RateLimits {
    pub general: TokenBucket,
    pub catalog: TokenBucket,
    /// About 2,000 SKU updates per hour, single or in a catalog.
    pub skus: TokenBucket,
}

/// The share of each documented limit the client allows itself.
pub const MARGIN: f64 = 0.9;

impl RateLimits {
    /// The documented limits times [`MARGIN`], full at `now`.
    ///
    /// ```
    /// use refurbdesk_marketplace::{EndpointClass, RateLimits};
    /// let mut limits = RateLimits::documented(0.0);
    /// // a catalog of 1,800 rows fits the hour's SKU budget at once; the next one waits
    /// assert_eq!(limits.reserve(EndpointClass::Catalog, 1800, 0.0), 0.0);
    /// let wait = limits.reserve(EndpointClass::Catalog, 1800, 0.0);
    /// assert!((wait - 3600.0).abs() < 1e-6, "{wait}");
    /// ```
    pub fn documented(now: f64) -> RateLimits {
        RateLimits {
            general: TokenBucket::new(200.0 * MARGIN, 10.0, now),
            catalog: TokenBucket::new(20.0 * MARGIN, 10.0, now),
            skus: TokenBucket::new(2000.0 * MARGIN, 3600.0, now),
        }
    }

    /// Reserves one request of `class` carrying `skus` SKU updates; returns the seconds to wait.
    pub fn reserve(&mut self, class: EndpointClass, skus: u64, now: f64) -> f64 {
        let request = match class {
            EndpointClass::General => self.general.take(1.0, now),
            EndpointClass::Catalog => self.catalog.take(1.0, now),
        };
        let skus = if skus > 0 {
            self.skus.take(skus as f64, now)
        } else {
            0.0
        };
        request.max(skus)
    }

    /// The most SKU updates one catalog may carry: what the hour's bucket holds.
    pub fn max_catalog_rows(&self) -> u64 {
        self.skus.capacity() as u64
    }
}

/// Exponential backoff with full jitter: attempt `n` waits a random share of
/// `min(max, base × 2ⁿ)`.
///
/// ```
/// use std::time::Duration;
/// use refurbdesk_marketplace::Backoff;
/// let backoff = Backoff { base: Duration::from_secs(1), max: Duration::from_secs(60) };
/// assert_eq!(backoff.ceiling(0), Duration::from_secs(1));
/// assert_eq!(backoff.ceiling(3), Duration::from_secs(8));
/// assert_eq!(backoff.ceiling(30), Duration::from_secs(60));
/// assert_eq!(backoff.delay(3, 0.5), Duration::from_secs(4));
/// assert_eq!(backoff.delay(3, 0.0), Duration::ZERO);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    pub base: Duration,
    pub max: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_secs(2),
            max: Duration::from_secs(15 * 60),
        }
    }
}

impl Backoff {
    pub fn ceiling(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.min(30));
        self.base.saturating_mul(factor).min(self.max)
    }

    /// The wait before attempt `attempt` (0-based), with `jitter` drawn uniformly from [0, 1).
    pub fn delay(&self, attempt: u32, jitter: f64) -> Duration {
        self.ceiling(attempt).mul_f64(jitter.clamp(0.0, 1.0))
    }

    /// [`Backoff::delay`] with jitter from the thread's random numbers.
    pub fn random_delay(&self, attempt: u32) -> Duration {
        self.delay(attempt, rand::random::<f64>())
    }
}
