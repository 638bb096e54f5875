//! Plain-text answers, as Zipkin's `BodyIsExceptionMessage` writes errors: the one response helper the
//! handlers and middleware share, kept below them all so none imports another for it.
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
