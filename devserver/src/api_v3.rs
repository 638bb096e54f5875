//! Jaeger v2's OTLP query API (`/api/v3`, OTEL_JAEGER.md), the part the devserver serves so far:
//! `GET /api/v3/traces/{trace_id}` gives a stored trace back as OTLP JSON, `{"result": {"resourceSpans": ...}}`,
//! spans that came over OTLP as they were sent, Zipkin ones as the Collector's Zipkin receiver reads them.
//! Errors are Jaeger's `{"error": {"httpCode", "message"}}`. The other v3 endpoints join this router.
use crate::normalize::normalize_trace_id;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use spanscope_domain::otlp_json::encode_otlp_json;

/// The API v3 routes, to be nested at `/api/v3`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/traces/{trace_id}", get(trace))
}

fn json(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// Jaeger's error answer: `{"error": {"httpCode": 404, "message": "..."}}`.
fn error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({"error": {"httpCode": status.as_u16(), "message": message}});
    json(status, serde_json::to_vec(&body).expect("JSON encodes"))
}

/// `GET /api/v3/traces/{trace_id}` (Jaeger's optional `startTime` / `endTime` narrow a storage scan; the
/// store finds a trace by id alone, so they are accepted and not needed).
pub async fn trace(State(state): State<AppState>, Path(trace_id): Path<String>) -> Response {
    // OTLP's hex ids are case-insensitive; the store keeps them lower-case.
    let trace_id = match normalize_trace_id(&trace_id.trim().to_ascii_lowercase()) {
        Ok(id) => id,
        Err(e) => return error(StatusCode::BAD_REQUEST, &format!("malformed trace_id: {e}")),
    };
    let answer = tokio::task::spawn_blocking(move || {
        let spans = state.store.read().expect("store lock").trace_spans(&trace_id);
        if spans.is_empty() {
            return error(StatusCode::NOT_FOUND, "trace not found");
        }
        let traces_data = encode_otlp_json(&spans);
        let mut body = Vec::with_capacity(traces_data.len() + 12);
        body.extend_from_slice(b"{\"result\":");
        body.extend_from_slice(traces_data.as_bytes());
        body.push(b'}');
        json(StatusCode::OK, body)
    })
    .await;
    answer.unwrap_or_else(|e| error(StatusCode::INTERNAL_SERVER_ERROR, &format!("query failed: {e}")))
}
