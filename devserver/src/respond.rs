//! The response helpers the handlers and middleware share, kept below them all so none imports another for
//! them: plain-text answers (as Zipkin's `BodyIsExceptionMessage` writes errors), JSON answers, and errors
//! as Go's `http.Error` writes Jaeger's.
use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;

/// A plain-text answer with this status.
pub fn text(status: StatusCode, message: impl Into<String>) -> Response {
    let mut response = Response::new(Body::from(message.into()));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    response
}

/// An error as Go's `http.Error` writes one, which Jaeger's handlers use for their JSON error bodies: the
/// body and a newline, as `text/plain; charset=utf-8` with `X-Content-Type-Options: nosniff`.
pub fn go_http_error(status: StatusCode, body: &str) -> Response {
    let mut response = text(status, format!("{body}\n"));
    response.headers_mut().insert("x-content-type-options", HeaderValue::from_static("nosniff"));
    response
}

/// A JSON answer with this status.
pub fn json(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}
