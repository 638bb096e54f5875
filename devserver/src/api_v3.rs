//! Jaeger v2's API v3 over HTTP, as v2.20's gateway answers it (`apiv3/http_gateway.go`, `query_parser.go`;
//! OTEL_JAEGER.md): `GET /api/v3/services`, `/api/v3/operations?service=&spanKind=`, `/api/v3/traces?query.*`
//! (the v2.19 camelCase names and the older snake_case ones) and `/api/v3/traces/{trace_id}`. Traces are OTLP
//! JSON in `{"result": {"resourceSpans": [...]}}` (every match merged into one), spans that came over OTLP or
//! Jaeger as they were sent, Zipkin ones as the Collector's Zipkin receiver reads them. No trace is a 404,
//! `"No traces found"`; errors are `{"error": {"httpCode", "message"}}`. Empty lists are left out, as gogo's
//! `jsonpb` writes them (`{}` for no services).
use crate::api_v3_query::parse_find_traces;
use crate::jaeger_api::BAD_SEARCH_DEPTH;
use crate::jaeger_params::{parse_rfc3339, parse_trace_id, Values};
use crate::respond::{go_http_error, json};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use spanscope_domain::jaeger_search::kind_name;
use spanscope_domain::otlp_json::encode_otlp_json;
use spanscope_domain::span::Span;
use spanscope_domain::span_detail::SpanKind;

/// The API v3 routes, to be nested at `/api/v3`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/services", get(services))
        .route("/operations", get(operations))
        .route("/traces", get(find_traces))
        .route("/traces/{trace_id}", get(trace))
}

/// Jaeger's error answer: `{"error": {"httpCode": 404, "message": "..."}}`, written by Go's `http.Error`.
pub fn error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({"error": {"httpCode": status.as_u16(), "message": message}});
    go_http_error(status, &body.to_string())
}

/// `tryParamError`'s message.
fn bad_param(name: &str, why: &str) -> Response {
    error(StatusCode::BAD_REQUEST, &format!("malformed parameter {name}: {why}"))
}

/// `returnTraces`: 404 for none, else every span in one `TracesData`.
fn traces_answer(spans: &[Span]) -> Response {
    if spans.is_empty() {
        return error(StatusCode::NOT_FOUND, "No traces found");
    }
    let traces_data = encode_otlp_json(spans);
    let mut body = Vec::with_capacity(traces_data.len() + 12);
    body.extend_from_slice(b"{\"result\":");
    body.extend_from_slice(traces_data.as_bytes());
    body.push(b'}');
    json(StatusCode::OK, body)
}

async fn blocking(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| error(StatusCode::INTERNAL_SERVER_ERROR, &format!("query failed: {e}")))
}

/// `GET /api/v3/services` → `{"services": [...]}`.
pub async fn services(State(state): State<AppState>) -> Response {
    let names = state.store.read().expect("store lock").jaeger_service_names();
    let body = if names.is_empty() { serde_json::json!({}) } else { serde_json::json!({"services": names}) };
    json(StatusCode::OK, body.to_string().into_bytes())
}

/// `GET /api/v3/operations?service=&spanKind=` → `{"operations": [{"name", "spanKind"}]}`; an operation of
/// no kind is named `internal` here (the gateway's rule), while `spanKind=` filters on the stored kind.
pub async fn operations(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let q = Values::parse(raw.as_deref());
    let (kind, _) = q.get_either("spanKind", "span_kind");
    let kind = Some(kind).filter(|k| !k.is_empty());
    let operations = state.store.read().expect("store lock").jaeger_operations(q.get("service"), kind);
    let list: Vec<serde_json::Value> = operations
        .into_iter()
        .map(|(name, kind)| {
            let kind = if kind.is_empty() { kind_name(SpanKind::Internal) } else { kind };
            serde_json::json!({"name": name, "spanKind": kind})
        })
        .collect();
    let body = if list.is_empty() { serde_json::json!({}) } else { serde_json::json!({"operations": list}) };
    json(StatusCode::OK, body.to_string().into_bytes())
}

/// `GET /api/v3/traces?query.*`.
pub async fn find_traces(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let query = match parse_find_traces(&Values::parse(raw.as_deref())) {
        Ok(q) => q,
        Err(message) => return error(StatusCode::BAD_REQUEST, &message),
    };
    if query.search_depth == 0 {
        return error(StatusCode::INTERNAL_SERVER_ERROR, BAD_SEARCH_DEPTH);
    }
    blocking(move || {
        let spans: Vec<Span> =
            state.store.read().expect("store lock").jaeger_search(&query).into_iter().flatten().collect();
        traces_answer(&spans)
    })
    .await
}

/// `GET /api/v3/traces/{trace_id}` (hex; `startTime` / `endTime` are checked as RFC 3339 but not needed: the
/// store finds a trace by id alone).
pub async fn trace(State(state): State<AppState>, Path(trace_id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let trace_id = match parse_trace_id(&trace_id) {
        Ok(id) => id,
        Err(e) => return bad_param("trace_id", &e),
    };
    let q = Values::parse(raw.as_deref());
    for (canonical, deprecated) in [("startTime", "start_time"), ("endTime", "end_time")] {
        let (value, name) = q.get_either(canonical, deprecated);
        if !value.is_empty() {
            if let Err(e) = parse_rfc3339(value) {
                return bad_param(name, &e);
            }
        }
    }
    blocking(move || traces_answer(&state.store.read().expect("store lock").trace_spans(&trace_id))).await
}
