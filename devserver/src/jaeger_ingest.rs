//! Jaeger's ingest, as an all-in-one takes it (OTEL_JAEGER.md): the collector's `POST /api/traces`
//! (`application/x-thrift` or `application/vnd.apache.thrift.binary`: one binary-protocol `Batch`, gzip too;
//! 202 with an empty body, 400 with a text naming the problem, as the OpenTelemetry Collector's Jaeger
//! receiver that Jaeger v2 runs answers) and the agent's UDP port (`--jaeger-agent`: compact-protocol
//! `emitBatch` datagrams; bad ones are counted and logged, never fatal). Spans keep their Jaeger original,
//! like OTLP's, so all three query APIs give them back.
use crate::inflate::gunzip;
use crate::ingest::{autocomplete_keys, content_type, prepare};
use crate::jaeger_thrift::{decode_agent_datagram, decode_binary_batch};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use spanscope_domain::span::Span;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::net::UdpSocket;

/// The media types the Collector's Jaeger receiver accepts for Thrift over HTTP.
const THRIFT_TYPES: [&str; 2] = ["application/x-thrift", "application/vnd.apache.thrift.binary"];

/// Normalises and stores decoded spans; `Err` names the first span Zipkin's rules refuse (none is stored then).
fn store(state: &AppState, spans: Vec<Span>) -> Result<usize, String> {
    let keys = autocomplete_keys(state);
    let mut prepared = Vec::with_capacity(spans.len());
    for span in spans {
        let describe = format!("span {} ({:?})", span.id, span.name.as_deref().unwrap_or(""));
        prepared.push(prepare(span, &keys).map_err(|e| format!("{describe}: {e}"))?);
    }
    let count = prepared.len();
    state.store.write().expect("store lock").accept(prepared);
    Ok(count)
}

/// `POST /api/traces`.
pub async fn post_traces(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let media_type = content_type(&headers);
    let media_type = media_type.split(';').next().unwrap_or("").trim().to_owned();
    if !THRIFT_TYPES.contains(&media_type.as_str()) {
        return refuse(StatusCode::BAD_REQUEST, format!("Unsupported content type: {media_type}"));
    }
    let gzipped = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("gzip"));
    let inflated_limit = state.max_inflated_bytes;
    let turn = state.ingest_slot().await;
    let result = tokio::task::spawn_blocking(move || -> Result<usize, (StatusCode, String)> {
        let body = if gzipped {
            gunzip(&body, inflated_limit).map_err(|e| (e.status(), format!("Unable to process request body: {e}")))?
        } else {
            body.to_vec()
        };
        let spans = decode_binary_batch(&body)
            .map_err(|e| (StatusCode::BAD_REQUEST, format!("Unable to process request body: {e}")))?;
        store(&state, spans).map_err(|e| (StatusCode::BAD_REQUEST, format!("Cannot store the Jaeger batch: {e}")))
    })
    .await;
    drop(turn);
    match result {
        Ok(Ok(_)) => StatusCode::ACCEPTED.into_response(),
        Ok(Err((status, message))) => refuse(status, message),
        Err(e) => crate::respond::text(StatusCode::INTERNAL_SERVER_ERROR, format!("Cannot submit Jaeger batch: {e}")),
    }
}

fn refuse(status: StatusCode, message: String) -> Response {
    eprintln!("jaeger collector: {} {}", status.as_u16(), message.lines().next().unwrap_or(""));
    crate::respond::text(status, message)
}

/// What the agent has received so far (logged with every error, readable by tests).
#[derive(Debug, Default)]
pub struct AgentCounters {
    pub datagrams: AtomicU64,
    pub spans: AtomicU64,
    pub errors: AtomicU64,
}

/// The largest datagram a Jaeger client sends (its UDP sender's limit, 65000 bytes) fits with room to spare.
const MAX_DATAGRAM: usize = 65_535;

/// Decodes and stores one datagram; `Err` says why it was dropped.
pub fn accept_datagram(state: &AppState, datagram: &[u8]) -> Result<usize, String> {
    let spans = decode_agent_datagram(datagram).map_err(|e| e.to_string())?;
    store(state, spans)
}

/// Serves the agent's UDP port until the task is dropped: every datagram is decoded and stored; a bad one
/// is counted and logged, and the next one is read as if nothing happened.
pub async fn serve_agent(socket: UdpSocket, state: AppState, counters: Arc<AgentCounters>) {
    let mut buf = vec![0u8; MAX_DATAGRAM];
    loop {
        let (len, from) = match socket.recv_from(&mut buf).await {
            Ok(received) => received,
            Err(e) => {
                // Linux reports an earlier send's ICMP error on the next receive: not fatal either.
                counters.errors.fetch_add(1, Ordering::Relaxed);
                eprintln!("jaeger agent: receive failed: {e}");
                continue;
            }
        };
        counters.datagrams.fetch_add(1, Ordering::Relaxed);
        let datagram = buf[..len].to_vec();
        let worker = state.clone();
        let outcome = tokio::task::spawn_blocking(move || accept_datagram(&worker, &datagram)).await;
        match outcome {
            Ok(Ok(spans)) => {
                counters.spans.fetch_add(spans as u64, Ordering::Relaxed);
            }
            Ok(Err(why)) => {
                let errors = counters.errors.fetch_add(1, Ordering::Relaxed) + 1;
                eprintln!("jaeger agent: dropped a {len}-byte datagram from {from} ({errors} so far): {why}");
            }
            Err(e) => {
                counters.errors.fetch_add(1, Ordering::Relaxed);
                eprintln!("jaeger agent: {e}");
            }
        }
    }
}
