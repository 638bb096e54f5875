//! Span ingest (`ZipkinHttpCollector`): `POST /api/v2/spans` (JSON v2, proto3) and `POST /api/v1/spans`
//! (JSON v1, thrift), gzip bodies, 202 with an empty body, 400 naming what was wrong.
use crate::inflate::gunzip;
use crate::normalize::{normalize_span, InvalidSpan};
use crate::state::AppState;
use crate::store::PreparedSpan;
use crate::{proto3, thrift};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use spanscope_domain::span::Span;
use spanscope_domain::v1::{convert_v1, V1Span};

/// The wire formats, named as Zipkin's `SpanBytesDecoder` names them in its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    JsonV1,
    JsonV2,
    Thrift,
    Proto3,
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::JsonV1 => "JSON_V1",
            Format::JsonV2 => "JSON_V2",
            Format::Thrift => "THRIFT",
            Format::Proto3 => "PROTO3",
        })
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// What the bytes look like (`SpanBytesDecoderDetector`): `None` when they are no span list at all.
pub fn detect(body: &[u8]) -> Option<Format> {
    let first = *body.first()?;
    if first == 10 && body.get(1).is_some_and(|b| *b != 0) {
        return Some(Format::Proto3);
    }
    if first == 12 || first == 11 {
        return Some(Format::Thrift);
    }
    if first != b'[' {
        return None;
    }
    if contains(body, b"Endpoint\"") || contains(body, b"\"tags\"") {
        Some(Format::JsonV2)
    } else if contains(body, b"yAnnotations\"") {
        Some(Format::JsonV1)
    } else {
        None // a JSON list that could be either (e.g. only names): decoded as the endpoint expects
    }
}

/// Decodes a body in `format`; errors are the 400 text.
pub fn decode(format: Format, body: &[u8]) -> Result<Vec<Span>, String> {
    Ok(match format {
        Format::JsonV2 => serde_json::from_slice::<Vec<Span>>(body)
            .map_err(|e| format!("Malformed reading List<Span> from json: {e}"))?,
        Format::Proto3 => proto3::decode_list(body).map_err(|e| format!("{e} reading List<Span> from proto3"))?,
        Format::JsonV1 => {
            let v1: Vec<V1Span> =
                serde_json::from_slice(body).map_err(|e| format!("Malformed reading List<Span> from json v1: {e}"))?;
            v1.iter().flat_map(convert_v1).collect()
        }
        Format::Thrift => {
            let v1 = thrift::decode_list(body).map_err(|e| format!("{e} reading List<Span> from TBinary"))?;
            v1.iter().flat_map(convert_v1).collect()
        }
    })
}

/// Normalises a received span (ZIPKIN.md §3) and prepares it for the store; a span that came with a `detail`
/// (OTLP, Jaeger) keeps its original beside the normalised JSON.
pub fn prepare(span: Span, autocomplete_keys: &[String]) -> Result<PreparedSpan, InvalidSpan> {
    let original = span.detail.is_some().then(|| span.clone());
    let prepared = PreparedSpan::new(&normalize_span(span)?, autocomplete_keys);
    Ok(match original {
        Some(original) => prepared.with_original(original),
        None => prepared,
    })
}

/// The autocomplete keys the store indexes, read once per batch.
pub fn autocomplete_keys(state: &AppState) -> Vec<String> {
    state.store.read().expect("store lock").settings().autocomplete_keys.clone()
}

/// Whether the body is gzipped (`Content-Encoding: gzip`).
fn gzipped(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("gzip"))
}

/// Gunzips, checks the format against the endpoint's, decodes and stores.
async fn accept(state: AppState, headers: HeaderMap, body: Bytes, expected: Format) -> Response {
    let gzipped = gzipped(&headers);
    let inflated_limit = state.max_inflated_bytes;
    let turn = state.ingest_slot().await;
    let result = tokio::task::spawn_blocking(move || -> Result<(), (StatusCode, String)> {
        let body = if gzipped && !body.is_empty() {
            Bytes::from(gunzip(&body, inflated_limit).map_err(|e| (e.status(), e.to_string()))?)
        } else {
            body
        };
        decode_and_store(&state, &body, expected).map_err(|message| (StatusCode::BAD_REQUEST, message))
    })
    .await;
    drop(turn);
    match result {
        Ok(Ok(())) => StatusCode::ACCEPTED.into_response(),
        Ok(Err((status, message))) => {
            // A client library that sends what Zipkin refuses is worth a line in the log.
            eprintln!("ingest: {} {}", status.as_u16(), message.lines().next().unwrap_or(""));
            crate::respond::text(status, message)
        }
        Err(e) => crate::respond::text(StatusCode::INTERNAL_SERVER_ERROR, format!("Cannot store spans: {e}")),
    }
}

/// Checks the format against the endpoint's, decodes and stores; errors are the 400 text.
fn decode_and_store(state: &AppState, body: &[u8], expected: Format) -> Result<(), String> {
    if body.is_empty() || body == b"[]" {
        return Ok(());
    }
    match detect(body) {
        None if !body.starts_with(b"[") => {
            return Err(format!("Expected a {expected} encoded list, but received neither json, proto3 nor thrift"))
        }
        Some(seen) if seen != expected => {
            return Err(format!("Expected a {expected} encoded list, but received: {seen}"));
        }
        _ => {}
    }
    let spans = decode(expected, body)?;
    let keys = autocomplete_keys(state);
    let prepared = spans
        .into_iter()
        .map(|s| prepare(s, &keys))
        .collect::<Result<Vec<_>, InvalidSpan>>()
        .map_err(|e| format!("Malformed reading List<Span>: {e}"))?;
    state.store.write().expect("store lock").accept(prepared);
    Ok(())
}

/// The request's content type, lower-cased ("" when absent).
pub fn content_type(headers: &HeaderMap) -> String {
    headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase()
}

/// `POST /api/v2/spans`: proto3 when the content type says so, JSON v2 otherwise.
pub async fn post_v2(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let format =
        if content_type(&headers).starts_with("application/x-protobuf") { Format::Proto3 } else { Format::JsonV2 };
    accept(state, headers, body, format).await
}

/// `POST /api/v1/spans`: thrift when the content type says so, JSON v1 otherwise.
pub async fn post_v1(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let format =
        if content_type(&headers).starts_with("application/x-thrift") { Format::Thrift } else { Format::JsonV1 };
    accept(state, headers, body, format).await
}

/// Normalises and stores spans that did not come over HTTP (`--load`, `--generate`, `--demo`); spans Zipkin
/// would refuse are skipped. Returns how many were offered to the store.
pub fn store_spans(state: &AppState, spans: Vec<Span>) -> usize {
    let keys = autocomplete_keys(state);
    let prepared: Vec<PreparedSpan> = spans.into_iter().filter_map(|s| prepare(s, &keys).ok()).collect();
    let count = prepared.len();
    let mut store = state.store.write().expect("store lock");
    let budget = store.settings().max_spans;
    store.accept(prepared);
    if count > budget {
        // Past the budget in one go (`--generate 1000000`): say why the store holds fewer.
        eprintln!("{count} spans at once, past --max-spans {budget}: the oldest traces were evicted, these included");
    }
    count
}
