//! Injected faults for testing the UI's loading and error states: `--latency MS` delays and `--fail-rate R`
//! fails (500, text body) the query API. The failures follow a seeded generator, so a test run repeats.
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

/// The configured faults and the generator state.
#[derive(Debug)]
pub struct Faults {
    pub latency: Duration,
    pub fail_rate: f64,
    state: AtomicU64,
}

impl Faults {
    pub fn new(latency_ms: u64, fail_rate: f64, seed: u64) -> Faults {
        Faults {
            latency: Duration::from_millis(latency_ms),
            fail_rate: fail_rate.clamp(0.0, 1.0),
            state: AtomicU64::new(seed),
        }
    }

    /// A uniform number in [0, 1) from a splitmix64 step (lock-free; good enough to pick failures).
    fn next_unit(&self) -> f64 {
        let mut z = self.state.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed).wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn active(&self) -> bool {
        !self.latency.is_zero() || self.fail_rate > 0.0
    }
}

/// Middleware: delays, then maybe fails, then runs the handler.
pub async fn inject(State(faults): State<Arc<Faults>>, request: Request, next: Next) -> Response {
    if !faults.latency.is_zero() {
        tokio::time::sleep(faults.latency).await;
    }
    if faults.fail_rate > 0.0 && faults.next_unit() < faults.fail_rate {
        return crate::respond::text(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("injected failure (--fail-rate {}) for {}", faults.fail_rate, request.uri().path()),
        );
    }
    next.run(request).await
}
