//! Jaeger's legacy HTTP JSON API, the one Jaeger UI has always read, as Jaeger v2.20's query service answers
//! it (`jaegerquery/internal/http_handler.go`, OTEL_JAEGER.md): `/api/services`, `/api/services/{service}/
//! operations`, `/api/operations`, `/api/traces` (search, or `traceID=` repeated), `/api/traces/{traceID}` and
//! `/api/dependencies`, every answer in `{data, total, limit, offset, errors}`, errors as
//! `{"errors": [{"code", "msg"}]}` with the status Jaeger gives (400 for a bad parameter, 404 for an unknown
//! trace, 500 for a search depth the store refuses). Searches follow `jaeger_search`; traces come back as
//! they were received, in Jaeger JSON.
use crate::jaeger_params::{parse_duration, parse_int, parse_string_map, parse_trace_id, Values};
use crate::query::now_millis;
use crate::respond::{go_http_error, json};
use crate::state::AppState;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use serde_json::{json, Value};
use spanscope_domain::jaeger_dependencies::jaeger_dependencies;
use spanscope_domain::jaeger_json::encode_jaeger_traces;
use spanscope_domain::jaeger_search::{parse_bool, TraceQuery};
use spanscope_domain::span::Span;

/// `defaultQueryLimit`.
const DEFAULT_LIMIT: i64 = 100;
/// `defaultTraceQueryLookbackDuration`: a search without `start` looks back two days.
const DEFAULT_SEARCH_LOOKBACK_NS: u64 = 2 * 24 * 3600 * 1_000_000_000;
/// `defaultDependencyLookbackDuration`: a day.
const DEFAULT_DEPENDENCY_LOOKBACK_MS: i64 = 24 * 3600 * 1000;
/// The memory store's refusal of a non-positive search depth (answered with 500, as Jaeger does).
pub const BAD_SEARCH_DEPTH: &str = "search depth must be greater than 0 and less than max traces";

/// The legacy routes, to be nested at `/api`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/services", get(services))
        .route("/services/{service}/operations", get(service_operations))
        .route("/operations", get(operations))
        .route("/traces", get(search))
        .route("/traces/{trace_id}", get(trace))
        .route("/dependencies", get(dependencies))
}

/// `structuredResponse` with `data` (Jaeger sets `total` for name lists only).
fn answer(data: Value, total: usize, errors: Value) -> Response {
    let body = json!({"data": data, "total": total, "limit": 0, "offset": 0, "errors": errors});
    json(StatusCode::OK, serde_json::to_vec(&body).expect("JSON encodes"))
}

/// `handleError`: `{"data": null, ..., "errors": [{"code", "msg"}]}` with the status.
fn error(status: StatusCode, message: &str) -> Response {
    let body = json!({"data": null, "total": 0, "limit": 0, "offset": 0,
        "errors": [{"code": status.as_u16(), "msg": message}]});
    go_http_error(status, &body.to_string())
}

/// A refused request: its status and message, answered by `error`.
struct Refusal(StatusCode, String);

impl Refusal {
    fn bad_request(message: impl Into<String>) -> Refusal {
        Refusal(StatusCode::BAD_REQUEST, message.into())
    }

    fn answer(&self) -> Response {
        error(self.0, &self.1)
    }
}

/// `newParseError`'s wording.
fn bad_param(name: &str, why: &str) -> Refusal {
    Refusal::bad_request(format!("unable to parse param '{name}': {why}"))
}

/// Runs store work off the async workers.
async fn blocking(work: impl FnOnce() -> Response + Send + 'static) -> Response {
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| error(StatusCode::INTERNAL_SERVER_ERROR, &format!("query failed: {e}")))
}

pub async fn services(State(state): State<AppState>) -> Response {
    let names = state.store.read().expect("store lock").jaeger_service_names();
    let total = names.len();
    answer(json!(names), total, Value::Null)
}

/// `getOperationsLegacy`: the service's operation names, each once.
pub async fn service_operations(State(state): State<AppState>, Path(service): Path<String>) -> Response {
    let operations = state.store.read().expect("store lock").jaeger_operations(&service, None);
    let mut names: Vec<String> = operations.into_iter().map(|(name, _)| name).collect();
    names.dedup();
    let total = names.len();
    answer(json!(names), total, Value::Null)
}

pub async fn operations(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let q = Values::parse(raw.as_deref());
    let service = q.get("service");
    if service.is_empty() {
        return error(StatusCode::BAD_REQUEST, "parameter 'service' is required");
    }
    let kind = Some(q.get("spanKind")).filter(|k| !k.is_empty());
    let operations = state.store.read().expect("store lock").jaeger_operations(service, kind);
    let total = operations.len();
    let data: Vec<Value> = operations.into_iter().map(|(name, kind)| json!({"name": name, "spanKind": kind})).collect();
    answer(json!(data), total, Value::Null)
}

/// What `/api/traces` asks: a search, or traces by id (`traceID=`, repeatable).
struct SearchRequest {
    query: TraceQuery,
    trace_ids: Vec<String>,
}

/// `parseTraceQueryParams` and `validateQuery`; `Err` is the 400 answer.
fn parse_search(q: &Values) -> Result<SearchRequest, Refusal> {
    let now_ns = u64::try_from(now_millis()).unwrap_or(0).saturating_mul(1_000_000);
    let time = |name: &str, default: u64| -> Result<u64, Refusal> {
        match q.get(name) {
            "" => Ok(default),
            text => parse_int(text)
                .map(|us| u64::try_from(us).unwrap_or(0).saturating_mul(1000))
                .map_err(|e| bad_param(name, &e)),
        }
    };
    let start = time("start", now_ns.saturating_sub(DEFAULT_SEARCH_LOOKBACK_NS))?;
    let end = time("end", now_ns)?;
    let mut attributes: Vec<(String, String)> = Vec::new();
    let mut set = |key: String, value: String| match attributes.iter_mut().find(|(k, _)| *k == key) {
        Some(existing) => existing.1 = value,
        None => attributes.push((key, value)),
    };
    for tag in q.all("tag") {
        let Some((key, value)) = tag.split_once(':') else {
            let message = format!("malformed 'tag' parameter, expecting key:value, received: {tag}");
            return Err(Refusal::bad_request(message));
        };
        set(key.to_owned(), value.to_owned());
    }
    for tags in q.all("tags") {
        let map = parse_string_map(tags)
            .map_err(|e| Refusal::bad_request(format!("malformed 'tags' parameter, cannot unmarshal JSON: {e}")))?;
        map.into_iter().for_each(|(k, v)| set(k, v));
    }
    let limit = match q.get("limit") {
        "" => DEFAULT_LIMIT,
        text => parse_int(text)
            .ok()
            .filter(|l| i32::try_from(*l).is_ok())
            .ok_or_else(|| Refusal::bad_request(format!("strconv.ParseInt: parsing {text:?}: invalid syntax")))?,
    };
    let duration = |name: &str| -> Result<Option<u64>, Refusal> {
        match q.get(name) {
            "" => Ok(None),
            // Go compares with zero meaning "no bound"; a negative bound keeps its effect on max only.
            text => {
                parse_duration(text).map(|ns| (ns != 0).then_some(ns.max(0) as u64)).map_err(|e| bad_param(name, &e))
            }
        }
    };
    let (duration_min, duration_max) = (duration("minDuration")?, duration("maxDuration")?);
    let mut trace_ids = Vec::new();
    for id in q.all("traceID") {
        let id = parse_trace_id(id).map_err(|e| Refusal::bad_request(format!("cannot parse traceID param: {e}")))?;
        trace_ids.push(id);
    }
    let service = q.get("service");
    if trace_ids.is_empty() && service.is_empty() {
        return Err(Refusal::bad_request("parameter 'service' is required"));
    }
    if let (Some(min), Some(max)) = (duration_min, duration_max) {
        if max < min {
            return Err(Refusal::bad_request("'maxDuration' should be greater than 'minDuration'"));
        }
    }
    let query = TraceQuery {
        service_name: service.to_owned(),
        operation_name: q.get("operation").to_owned(),
        start_time_min: Some(start),
        start_time_max: Some(end),
        duration_min,
        duration_max,
        attributes,
        search_depth: usize::try_from(limit).unwrap_or(0),
    };
    Ok(SearchRequest { query, trace_ids })
}

/// `GET /api/traces`: by ids (unknown ones become `errors` entries, the answer still a 200), else a search.
pub async fn search(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let request = match parse_search(&Values::parse(raw.as_deref())) {
        Ok(r) => r,
        Err(refusal) => return refusal.answer(),
    };
    blocking(move || {
        let store = state.store.read().expect("store lock");
        if !request.trace_ids.is_empty() {
            let mut spans: Vec<Span> = Vec::new();
            let mut errors: Vec<Value> = Vec::new();
            for id in &request.trace_ids {
                let found = store.trace_spans(id);
                if found.is_empty() {
                    errors.push(json!({"msg": "trace not found", "traceID": id}));
                }
                spans.extend(found);
            }
            let errors = if errors.is_empty() { Value::Null } else { Value::Array(errors) };
            return answer(Value::Array(encode_jaeger_traces(&spans)), 0, errors);
        }
        if request.query.search_depth == 0 {
            return error(StatusCode::INTERNAL_SERVER_ERROR, BAD_SEARCH_DEPTH);
        }
        let spans: Vec<Span> = store.jaeger_search(&request.query).into_iter().flatten().collect();
        answer(Value::Array(encode_jaeger_traces(&spans)), 0, Value::Null)
    })
    .await
}

/// `GET /api/traces/{traceID}`: 400 for an id Jaeger cannot read, 404 for one it does not have. `start` and
/// `end` (µs) narrow a storage scan in Jaeger and `raw` skips its adjusters: checked as Jaeger checks them,
/// not needed here (the store finds a trace by id, and runs no adjusters).
pub async fn trace(State(state): State<AppState>, Path(trace_id): Path<String>, RawQuery(raw): RawQuery) -> Response {
    let trace_id = match parse_trace_id(&trace_id) {
        Ok(id) => id,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e),
    };
    let q = Values::parse(raw.as_deref());
    for name in ["start", "end"] {
        if let Err(e) = Some(q.get(name)).filter(|v| !v.is_empty()).map(parse_int).transpose() {
            return bad_param(name, &e).answer();
        }
    }
    if let Some(flag) = Some(q.get("raw")).filter(|v| !v.is_empty()) {
        if parse_bool(flag).is_none() {
            return bad_param("raw", &format!("strconv.ParseBool: parsing {flag:?}: invalid syntax")).answer();
        }
    }
    blocking(move || {
        let spans = state.store.read().expect("store lock").trace_spans(&trace_id);
        if spans.is_empty() {
            return error(StatusCode::NOT_FOUND, "trace not found");
        }
        answer(Value::Array(encode_jaeger_traces(&spans)), 0, Value::Null)
    })
    .await
}

/// `GET /api/dependencies?endTs=&lookback=` (milliseconds; `service=` keeps the links that involve it).
pub async fn dependencies(State(state): State<AppState>, RawQuery(raw): RawQuery) -> Response {
    let q = Values::parse(raw.as_deref());
    let end_ms = match q.get("endTs") {
        "" => now_millis(),
        text => match parse_int(text) {
            Ok(ms) => ms,
            Err(e) => return bad_param("endTs", &e).answer(),
        },
    };
    let lookback_ms = match q.get("lookback") {
        "" => DEFAULT_DEPENDENCY_LOOKBACK_MS,
        text => match parse_int(text) {
            Ok(ms) => ms,
            Err(e) => return bad_param("lookback", &e).answer(),
        },
    };
    let to_ns = |ms: i64| u64::try_from(ms).unwrap_or(0).saturating_mul(1_000_000);
    let (start, end) = (to_ns(end_ms.saturating_sub(lookback_ms)), to_ns(end_ms));
    if start == 0 {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "start time is required");
    }
    if end < start {
        return error(StatusCode::INTERNAL_SERVER_ERROR, "end time must be greater than start time");
    }
    let service = q.get("service").to_owned();
    blocking(move || {
        let traces = state.store.read().expect("store lock").received_traces_within(start, end);
        let links = jaeger_dependencies(traces.iter().map(Vec::as_slice), start, end, &service);
        let data: Vec<Value> = links
            .into_iter()
            .map(|l| json!({"parent": l.parent, "child": l.child, "callCount": l.call_count}))
            .collect();
        answer(Value::Array(data), 0, Value::Null)
    })
    .await
}
