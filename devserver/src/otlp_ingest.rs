//! OTLP/HTTP trace ingest, `POST /v1/traces`, as the OTLP specification's "OTLP/HTTP" section says: binary
//! protobuf (`application/x-protobuf`) or JSON (`application/json`), gzipped or not; 200 with an
//! `ExportTraceServiceResponse` in the request's encoding, its `partial_success` set when some spans were
//! rejected (invalid ids); 400 with a `google.rpc.Status` for a body that cannot be decoded; 415 for another
//! content type or encoding. Stored spans keep their OTLP original (`Span::detail`), while Zipkin's API
//! answers with the Collector's translation of them (`otel_translate::zipkin_span`).
use crate::inflate::{gunzip, InflateError};
use crate::ingest::{autocomplete_keys, content_type, prepare};
use crate::otlp_proto::{decode_export_request, OtlpSpan};
use crate::protowire::{write_bytes_field, write_varint_field};
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::Response;
use spanscope_domain::otel_translate::zipkin_span;
use spanscope_domain::otlp_json::decode_otlp_json;
use spanscope_domain::span::Span;

/// The two encodings OTLP/HTTP defines; an answer is written in the request's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Protobuf,
    Json,
}

impl Encoding {
    const PROTOBUF: &'static str = "application/x-protobuf";
    const JSON: &'static str = "application/json";

    /// From the media type, parameters (`; charset=utf-8`) aside.
    fn of(headers: &HeaderMap) -> Option<Encoding> {
        let content_type = content_type(headers);
        match content_type.split(';').next().unwrap_or("").trim() {
            Self::PROTOBUF => Some(Encoding::Protobuf),
            Self::JSON => Some(Encoding::Json),
            _ => None,
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Encoding::Protobuf => Self::PROTOBUF,
            Encoding::Json => Self::JSON,
        }
    }
}

/// `google.rpc.Code.INVALID_ARGUMENT`, the code the Collector puts in a 400's Status.
const INVALID_ARGUMENT: u64 = 3;
/// How many rejected spans' reasons the partial success's message lists.
const REASONS_LISTED: usize = 3;

/// What became of a request's spans.
#[derive(Debug, Default, PartialEq, Eq)]
struct Outcome {
    rejected: usize,
    /// Why, for the first few rejected spans.
    reasons: Vec<String>,
}

impl Outcome {
    fn reject(&mut self, reason: String) {
        self.rejected += 1;
        if self.reasons.len() < REASONS_LISTED {
            self.reasons.push(reason);
        }
    }

    /// The partial success's `error_message`: the count, then the first reasons.
    fn message(&self) -> String {
        let more = if self.rejected > self.reasons.len() { "; ..." } else { "" };
        format!("{} spans rejected: {}{more}", self.rejected, self.reasons.join("; "))
    }
}

/// Why an id of a protobuf span is invalid (OTLP: a trace id is 16 bytes, a span id 8, neither all zeros;
/// a parent is empty or 8 bytes), `None` when all are valid. Checked before the Zipkin translation, which
/// would shorten a trace id with a zero high half.
fn invalid_ids(span: &OtlpSpan) -> Option<String> {
    let check = |what: &str, hex: &str, bytes: usize| -> Option<String> {
        if hex.len() != bytes * 2 {
            Some(format!("{what} must be {bytes} bytes, was {}", hex.len() / 2))
        } else if hex.bytes().all(|b| b == b'0') {
            Some(format!("{what} is all zeros"))
        } else {
            None
        }
    };
    check("trace_id", &span.trace_id, 16)
        .or_else(|| check("span_id", &span.span_id, 8))
        .or_else(|| span.parent_span_id.as_deref().and_then(|p| check("parent_span_id", p, 8)))
        .map(|problem| format!("span {:?} (span_id {}): {problem}", span.name, span.span_id))
}

/// Decodes a body into translated spans; spans with invalid ids go to `outcome`. Errors are the 400's message.
fn decode(encoding: Encoding, body: &[u8], outcome: &mut Outcome) -> Result<Vec<Span>, String> {
    match encoding {
        Encoding::Protobuf => {
            let decoded = decode_export_request(body)
                .map_err(|e| format!("Cannot decode ExportTraceServiceRequest from protobuf: {e}"))?;
            let mut spans = Vec::with_capacity(decoded.len());
            for span in decoded {
                match invalid_ids(&span) {
                    Some(reason) => outcome.reject(reason),
                    None => spans.push(zipkin_span(
                        span.trace_id,
                        span.span_id,
                        span.parent_span_id,
                        span.name,
                        span.detail,
                    )),
                }
            }
            Ok(spans)
        }
        Encoding::Json => {
            decode_otlp_json(body).map_err(|e| format!("Cannot decode ExportTraceServiceRequest from JSON: {e}"))
        }
    }
}

/// Decodes, checks and stores a request's spans; `Err` is the 400's message.
fn ingest(state: &AppState, encoding: Encoding, body: &[u8]) -> Result<Outcome, String> {
    let mut outcome = Outcome::default();
    // An empty request is a success (the specification: "SHOULD respond with success").
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(outcome);
    }
    let spans = decode(encoding, body, &mut outcome)?;
    let keys = autocomplete_keys(state);
    let mut prepared = Vec::with_capacity(spans.len());
    for span in spans {
        let describe = format!("span {:?} (span_id {})", span.name.as_deref().unwrap_or(""), span.id);
        // What Zipkin refuses (ids that are not hex or all zeros) is rejected span by span.
        match prepare(span, &keys) {
            Ok(p) => prepared.push(p),
            Err(e) => outcome.reject(format!("{describe}: {e}")),
        }
    }
    state.store.write().expect("store lock").accept(prepared);
    Ok(outcome)
}

fn respond(status: StatusCode, encoding: Encoding, body: Vec<u8>) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(encoding.media_type()));
    response
}

/// `ExportTraceServiceResponse`: empty on full success (the specification says `partial_success` MUST be
/// unset then), else `{partial_success: {rejected_spans, error_message}}`.
fn export_response(encoding: Encoding, outcome: &Outcome) -> Vec<u8> {
    let success = outcome.rejected == 0;
    match encoding {
        Encoding::Json if success => b"{}".to_vec(),
        Encoding::Json => serde_json::to_vec(&serde_json::json!({
            // int64 is a decimal string in proto3's JSON mapping.
            "partialSuccess": {"rejectedSpans": outcome.rejected.to_string(), "errorMessage": outcome.message()}
        }))
        .expect("JSON encodes"),
        Encoding::Protobuf if success => Vec::new(),
        Encoding::Protobuf => {
            let mut partial = Vec::new();
            write_varint_field(&mut partial, 1, outcome.rejected as u64);
            write_bytes_field(&mut partial, 2, outcome.message().as_bytes());
            let mut out = Vec::new();
            write_bytes_field(&mut out, 1, &partial);
            out
        }
    }
}

/// A `google.rpc.Status` {code, message}, the body of every OTLP/HTTP 4xx answer.
fn status_body(encoding: Encoding, code: u64, message: &str) -> Vec<u8> {
    match encoding {
        Encoding::Json => serde_json::to_vec(&serde_json::json!({"code": code, "message": message})).expect("JSON"),
        Encoding::Protobuf => {
            let mut out = Vec::new();
            write_varint_field(&mut out, 1, code);
            write_bytes_field(&mut out, 2, message.as_bytes());
            out
        }
    }
}

fn failure(status: StatusCode, encoding: Encoding, message: String) -> Response {
    eprintln!("otlp: {} {}", status.as_u16(), message.lines().next().unwrap_or(""));
    respond(status, encoding, status_body(encoding, INVALID_ARGUMENT, &message))
}

/// `POST /v1/traces`.
pub async fn post_traces(State(state): State<AppState>, headers: HeaderMap, body: Bytes) -> Response {
    let Some(encoding) = Encoding::of(&headers) else {
        // No encoding of the request to answer in: the Status goes as protobuf, OTLP's default.
        let message = format!(
            "unsupported content type {:?}; supported: {}, {}",
            content_type(&headers),
            Encoding::PROTOBUF,
            Encoding::JSON
        );
        return failure(StatusCode::UNSUPPORTED_MEDIA_TYPE, Encoding::Protobuf, message);
    };
    let content_encoding = headers
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().unwrap_or("?").trim().to_ascii_lowercase())
        .unwrap_or_default();
    let gzipped = match content_encoding.as_str() {
        "gzip" | "x-gzip" => true,
        "" | "identity" => false,
        other => {
            let message = format!("unsupported content encoding {other:?}; supported: gzip");
            return failure(StatusCode::UNSUPPORTED_MEDIA_TYPE, encoding, message);
        }
    };
    let inflated_limit = state.max_inflated_bytes;
    let turn = state.ingest_slot().await;
    let result = tokio::task::spawn_blocking(move || {
        let body = if gzipped {
            gunzip(&body, inflated_limit).map_err(|e| match e {
                InflateError::Corrupt => (StatusCode::BAD_REQUEST, format!("{e}: the body is not gzip")),
                InflateError::TooLarge(_) => (e.status(), e.to_string()),
            })?
        } else {
            body.to_vec()
        };
        ingest(&state, encoding, &body).map_err(|message| (StatusCode::BAD_REQUEST, message))
    })
    .await;
    drop(turn);
    match result {
        Ok(Ok(outcome)) => {
            if outcome.rejected > 0 {
                eprintln!("otlp: 200, {}", outcome.message());
            }
            respond(StatusCode::OK, encoding, export_response(encoding, &outcome))
        }
        Ok(Err((status, message))) => failure(status, encoding, message),
        Err(e) => failure(StatusCode::INTERNAL_SERVER_ERROR, encoding, format!("Cannot store spans: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_written_in_the_requests_encoding() {
        let none = Outcome::default();
        assert_eq!(export_response(Encoding::Json, &none), b"{}");
        assert_eq!(export_response(Encoding::Protobuf, &none), b"");
        let mut some = Outcome::default();
        for i in 0..5 {
            some.reject(format!("r{i}"));
        }
        assert_eq!(some.message(), "5 spans rejected: r0; r1; r2; ...");
        let json: serde_json::Value = serde_json::from_slice(&export_response(Encoding::Json, &some)).unwrap();
        assert_eq!(json, serde_json::json!({"partialSuccess": {"rejectedSpans": "5", "errorMessage": some.message()}}));
        let mut expected = vec![10, 2 + 2 + some.message().len() as u8, 8, 5, 18, some.message().len() as u8];
        expected.extend_from_slice(some.message().as_bytes());
        assert_eq!(export_response(Encoding::Protobuf, &some), expected);
        assert_eq!(status_body(Encoding::Protobuf, 3, "bad"), [8, 3, 18, 3, b'b', b'a', b'd']);
    }

    #[test]
    fn ids_are_checked_as_otlp_defines_them() {
        let span = |trace: &str, id: &str, parent: Option<&str>| OtlpSpan {
            trace_id: trace.into(),
            span_id: id.into(),
            parent_span_id: parent.map(String::from),
            name: "op".into(),
            detail: Default::default(),
        };
        let trace = "0af7651916cd43dd8448eb211c80319c";
        assert_eq!(invalid_ids(&span(trace, "b7ad6b7169203331", None)), None);
        assert_eq!(invalid_ids(&span(trace, "b7ad6b7169203331", Some("00f067aa0ba902b7"))), None);
        assert_eq!(
            invalid_ids(&span("0af7651916cd43dd", "b7ad6b7169203331", None)).as_deref(),
            Some("span \"op\" (span_id b7ad6b7169203331): trace_id must be 16 bytes, was 8")
        );
        assert!(invalid_ids(&span(&"0".repeat(32), "b7ad6b7169203331", None))
            .unwrap()
            .ends_with("trace_id is all zeros"));
        assert!(invalid_ids(&span(trace, "", None)).unwrap().ends_with("span_id must be 8 bytes, was 0"));
        assert!(invalid_ids(&span(trace, "b7ad6b7169203331", Some("01")))
            .unwrap()
            .ends_with("parent_span_id must be 8 bytes, was 1"));
    }
}
