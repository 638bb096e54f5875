//! Request bodies read under limits before any handler runs: a Content-Length over `--max-body-bytes` is a
//! 413 at once (without waiting for a body that may never come), a body that grows past it a 413 as soon as
//! it does, and one that takes longer than `--body-timeout` a 408. Handlers then take the buffered bytes.
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::BodyExt;
use std::sync::Arc;
use std::time::Duration;

/// The limits every request body is read under.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimits {
    pub max_bytes: usize,
    pub timeout: Duration,
}

/// What a body read to its end under the limits came to.
enum Buffered {
    Whole(Vec<u8>),
    TooLarge,
    Broken(String),
}

/// An answer after which the connection closes: the rest of the body is never read.
fn closing(status: StatusCode, message: String) -> Response {
    let mut response = crate::respond::text(status, message);
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

async fn read_limited(body: Body, max_bytes: usize, capacity: usize) -> Buffered {
    let mut body = body;
    // The announced length is a hint, not a promise: a small reservation, grown as bytes arrive.
    let mut bytes = Vec::with_capacity(capacity.min(1 << 20));
    while let Some(frame) = body.frame().await {
        let frame = match frame {
            Ok(frame) => frame,
            Err(e) => return Buffered::Broken(format!("Cannot read the request body: {e}")),
        };
        if let Ok(data) = frame.into_data() {
            if bytes.len() + data.len() > max_bytes {
                return Buffered::TooLarge;
            }
            bytes.extend_from_slice(&data);
        }
    }
    Buffered::Whole(bytes)
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
    match tokio::time::timeout(limits.timeout, read_limited(body, limits.max_bytes, capacity)).await {
        Ok(Buffered::Whole(bytes)) => next.run(Request::from_parts(parts, Body::from(bytes))).await,
        Ok(Buffered::TooLarge) => too_large(),
        Ok(Buffered::Broken(message)) => closing(StatusCode::BAD_REQUEST, message),
        Err(_) => closing(
            StatusCode::REQUEST_TIMEOUT,
            format!("Request body not received within {:?} (--body-timeout)", limits.timeout),
        ),
    }
}
