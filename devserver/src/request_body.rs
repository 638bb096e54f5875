//! Request bodies read under limits before any handler runs: a Content-Length over `--max-body-bytes` is a
//! 413 at once (without waiting for a body that may never come), a body that grows past it a 413 as soon as
//! it does, and one that takes longer than `--body-timeout` a 408. Bodies held at once, all connections
//! together, stay under `--max-buffered-bytes`: past it a request gets a 503 rather than the server's memory
//! (512 connections times a 128 MiB body each would be 64 GiB). Handlers then take the buffered bytes, and
//! the body's share of the budget is given back when the handler is done with them.
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::BodyExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The limits every request body is read under.
#[derive(Debug, Clone)]
pub struct BodyLimits {
    pub max_bytes: usize,
    pub timeout: Duration,
    /// What all bodies being read or handled may hold together, in KiB (`--max-buffered-bytes`).
    pub buffered_kib: Arc<Semaphore>,
}

impl BodyLimits {
    pub fn new(max_bytes: usize, timeout: Duration, max_buffered_bytes: usize) -> BodyLimits {
        let kib = (max_buffered_bytes / 1024).clamp(1, Semaphore::MAX_PERMITS);
        BodyLimits { max_bytes, timeout, buffered_kib: Arc::new(Semaphore::new(kib)) }
    }
}

/// What a body read to its end under the limits came to.
enum Buffered {
    /// The bytes, and their share of the budget.
    Whole(Vec<u8>, Option<OwnedSemaphorePermit>),
    TooLarge,
    /// The budget of all bodies together is spent.
    Busy,
    Broken(String),
}

/// An answer after which the connection closes: the rest of the body is never read.
fn closing(status: StatusCode, message: String) -> Response {
    let mut response = crate::respond::text(status, message);
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

async fn read_limited(body: Body, limits: &BodyLimits, capacity: usize) -> Buffered {
    let mut body = body;
    let max_bytes = limits.max_bytes;
    // The announced length is a hint, not a promise: a small reservation, grown as bytes arrive.
    let mut bytes = Vec::with_capacity(capacity.min(1 << 20));
    let mut share: Option<OwnedSemaphorePermit> = None;
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(frame) => frame,
            Err(e) => return Buffered::Broken(format!("Cannot read the request body: {e}")),
        };
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > max_bytes {
                return Buffered::TooLarge;
            }
            // The share grows with the bytes held, a KiB at a time (rounded up).
            let held_kib = (bytes.len() + data.len()).div_ceil(1024);
            let have_kib = share.as_ref().map_or(0, OwnedSemaphorePermit::num_permits);
            if held_kib > have_kib {
                let Ok(more) = limits.buffered_kib.clone().try_acquire_many_owned((held_kib - have_kib) as u32) else {
                    return Buffered::Busy;
                };
                match share.as_mut() {
                    Some(permit) => permit.merge(more),
                    None => share = Some(more),
                }
            }
            bytes.extend_from_slice(&data);
        }
    }
    Buffered::Whole(bytes, share)
}

/// Middleware: reads the body under the limits, then hands the request on with the bytes read.
pub async fn buffer(State(limits): State<Arc<BodyLimits>>, request: Request, next: Next) -> Response {
    let too_large = || {
        closing(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("Request body larger than {} bytes (--max-body-bytes)", limits.max_bytes),
        )
    };
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > limits.max_bytes as u64) {
        return too_large();
    }
    let (parts, body) = request.into_parts();
    let capacity = announced.unwrap_or(0) as usize;
    match tokio::time::timeout(limits.timeout, read_limited(body, &limits, capacity)).await {
        Ok(Buffered::Whole(bytes, share)) => {
            let response = next.run(Request::from_parts(parts, Body::from(bytes))).await;
            drop(share);
            response
        }
        Ok(Buffered::TooLarge) => too_large(),
        Ok(Buffered::Busy) => {
            let mut response = closing(
                StatusCode::SERVICE_UNAVAILABLE,
                "Request bodies held at once are past --max-buffered-bytes; retry shortly".into(),
            );
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            response
        }
        Ok(Buffered::Broken(message)) => closing(StatusCode::BAD_REQUEST, message),
        Err(_) => closing(
            StatusCode::REQUEST_TIMEOUT,
            format!("Request body not received within {:?} (--body-timeout)", limits.timeout),
        ),
    }
}
