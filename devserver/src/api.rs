//! The query API handlers (`ZipkinQueryApiV2`): name lists, `/traces`, `/trace/{id}`, `/traceMany`,
//! `/dependencies` and autocomplete, with Zipkin's status codes, plain-text errors and cache headers.
use crate::normalize::normalize_trace_id;
use crate::query::{BadRequest, Params, QueryRequest};
use crate::respond::text;
use crate::state::AppState;
use crate::store::TraceJson;
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Zipkin's `QUERY_NAMES_MAX_AGE` default (seconds).
const NAMES_MAX_AGE: &str = "max-age=300, must-revalidate";

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        text(StatusCode::BAD_REQUEST, self.0)
    }
}

fn json_bytes(body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// `ZipkinQueryApiV2.maybeCacheNames`: sorted names, cacheable once the service list is past 3 entries.
fn names(cache: bool, mut values: Vec<String>) -> Response {
    values.sort();
    let mut response = json_bytes(serde_json::to_vec(&values).expect("strings encode"));
    if cache {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(NAMES_MAX_AGE));
    }
    response
}

/// Writes `[span,...]` from stored JSON without re-encoding.
fn write_trace(out: &mut Vec<u8>, spans: &TraceJson<'_>) {
    out.push(b'[');
    for (i, span) in spans.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(span.as_bytes());
    }
    out.push(b']');
}

fn write_traces(traces: &[TraceJson<'_>]) -> Vec<u8> {
    let size: usize = traces.iter().flat_map(|t| t.iter().map(|s| s.len() + 1)).sum::<usize>() + 2 * traces.len() + 2;
    let mut out = Vec::with_capacity(size);
    out.push(b'[');
    for (i, trace) in traces.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_trace(&mut out, trace);
    }
    out.push(b']');
    out
}

/// Runs store work off the async workers: a big trace or a dependency pass must not stall other requests.
async fn blocking<T>(work: impl FnOnce() -> T + Send + 'static) -> Response
where
    T: IntoResponse + Send + 'static,
{
    match tokio::task::spawn_blocking(work).await {
        Ok(answer) => answer.into_response(),
        Err(e) => text(StatusCode::INTERNAL_SERVER_ERROR, format!("query failed: {e}")),
    }
}

pub async fn services(State(state): State<AppState>) -> Response {
    let names_list = state.store.read().expect("store lock").service_names();
    names(names_list.len() > 3, names_list)
}

pub async fn span_names(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let service = match params.required("serviceName") {
        Ok(s) => s.to_string(),
        Err(e) => return e.into_response(),
    };
    let store = state.store.read().expect("store lock");
    let list = if service.is_empty() { Vec::new() } else { store.span_names(&service) };
    names(store.service_names().len() > 3, list)
}

pub async fn remote_services(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let service = match params.required("serviceName") {
        Ok(s) => s.to_string(),
        Err(e) => return e.into_response(),
    };
    let store = state.store.read().expect("store lock");
    let list = if service.is_empty() { Vec::new() } else { store.remote_service_names(&service) };
    names(store.service_names().len() > 3, list)
}

pub async fn traces(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let request = match QueryRequest::from_params(&params, state.default_lookback) {
        Ok(r) => r,
        Err(e) => return e.into_response(),
    };
    blocking(move || {
        let store = state.store.read().expect("store lock");
        json_bytes(write_traces(&store.search(&request)))
    })
    .await
}

pub async fn trace(State(state): State<AppState>, Path(trace_id): Path<String>) -> Response {
    let trace_id = match normalize_trace_id(trace_id.trim()) {
        Ok(id) => id,
        Err(e) => return text(StatusCode::BAD_REQUEST, e.0),
    };
    blocking(move || {
        let store = state.store.read().expect("store lock");
        let spans = store.trace(&trace_id);
        if spans.is_empty() {
            return text(StatusCode::NOT_FOUND, format!("{trace_id} not found"));
        }
        let mut out = Vec::with_capacity(spans.iter().map(|s| s.len() + 1).sum::<usize>() + 2);
        write_trace(&mut out, &spans);
        json_bytes(out)
    })
    .await
}

pub async fn trace_many(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let raw_ids = match params.required("traceIds") {
        Ok(s) => s.to_string(),
        Err(e) => return e.into_response(),
    };
    if raw_ids.is_empty() {
        return text(StatusCode::BAD_REQUEST, "traceIds parameter is empty");
    }
    let mut ids: Vec<String> = Vec::new();
    for raw_id in raw_ids.split(',') {
        let id = match normalize_trace_id(raw_id) {
            Ok(id) => id,
            Err(e) => return text(StatusCode::BAD_REQUEST, e.0),
        };
        if ids.contains(&id) {
            return text(StatusCode::BAD_REQUEST, format!("redundant traceId: {raw_id}"));
        }
        ids.push(id);
    }
    if ids.len() == 1 {
        return text(StatusCode::BAD_REQUEST, "Use /api/v2/trace/{traceId} endpoint to retrieve a single trace");
    }
    blocking(move || {
        let store = state.store.read().expect("store lock");
        json_bytes(write_traces(&store.traces(&ids)))
    })
    .await
}

pub async fn dependencies(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let end_ts = match params.required("endTs").and_then(|_| params.number("endTs")) {
        Ok(Some(v)) => v,
        Ok(None) => return BadRequest("endTs <= 0".into()).into_response(),
        Err(e) => return e.into_response(),
    };
    let lookback = match params.number("lookback") {
        Ok(v) => v.unwrap_or(state.default_lookback),
        Err(e) => return e.into_response(),
    };
    if end_ts <= 0 {
        return BadRequest("endTs <= 0".into()).into_response();
    }
    if lookback <= 0 {
        return BadRequest("lookback <= 0".into()).into_response();
    }
    blocking(move || match crate::links::dependencies(&state.store, &state.link_cache, end_ts, lookback) {
        Ok(links) => json_bytes(serde_json::to_vec(&links).expect("links encode")),
        Err(message) => text(StatusCode::INTERNAL_SERVER_ERROR, message),
    })
    .await
}

pub async fn autocomplete_keys(State(state): State<AppState>) -> Response {
    names(true, state.store.read().expect("store lock").settings().autocomplete_keys.clone())
}

pub async fn autocomplete_values(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let params = Params::parse(raw.as_deref());
    let key = match params.required("key") {
        Ok(k) => k.to_string(),
        Err(e) => return e.into_response(),
    };
    if key.is_empty() {
        return text(StatusCode::BAD_REQUEST, "key was empty");
    }
    let values = state.store.read().expect("store lock").autocomplete_values(&key);
    names(values.len() > 3, values)
}
