//! What OpenTelemetry (OTLP) and Jaeger carry beyond Zipkin's span, kept as it came: typed attributes, events,
//! links, status, resource, scope, dropped counts, Jaeger references and process tags (OTEL_JAEGER.md).
//!
//! A span read from OTLP or Jaeger is a Zipkin `Span` like any other (the OpenTelemetry Collector's Zipkin
//! translation fills its fields, so the tree, search, statistics and critical path need nothing new) plus one
//! `SpanDetail` behind `Span::detail`: the lossless original, from which the details panel draws typed values and
//! the encoders write OTLP or Jaeger JSON back. A Zipkin span has none (and costs one pointer).

/// The format a span was read from, so a download can offer it back and the details can name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SourceFormat {
    Otlp,
    Jaeger,
}

/// OTLP's `SpanKind` (all five, and unspecified); Zipkin's `kind` has no INTERNAL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SpanKind {
    #[default]
    Unspecified,
    Internal,
    Server,
    Client,
    Producer,
    Consumer,
}

impl SpanKind {
    /// Every kind, at the index of its OTLP number (0 unspecified ... 5 consumer).
    pub const ALL: [SpanKind; 6] = [
        SpanKind::Unspecified,
        SpanKind::Internal,
        SpanKind::Server,
        SpanKind::Client,
        SpanKind::Producer,
        SpanKind::Consumer,
    ];
}

/// OTLP's `Status.code`: 0 unset, 1 ok, 2 error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StatusCode {
    #[default]
    Unset,
    Ok,
    Error,
}

/// A span's status: its code and the message that came with it (OTLP sends a message only with an error).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Status {
    pub code: StatusCode,
    pub message: String,
}

/// OTLP's `AnyValue`, every variant as such (never flattened to a string here: `to_display_string` does that
/// for the Zipkin view). Jaeger's typed tags map onto it: string, bool, int64, float64, binary.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum AnyValue {
    String(String),
    Bool(bool),
    Int(i64),
    Double(f64),
    /// `bytesValue` (base64 on the wire) / Jaeger `binary`: the decoded bytes.
    Bytes(Vec<u8>),
    Array(Vec<AnyValue>),
    KeyValueList(Vec<Attribute>),
    /// An `AnyValue` with no variant set (OTLP allows it: an empty value).
    #[default]
    Empty,
}

/// One key and its typed value: an attribute, a resource attribute, a Jaeger tag or log field.
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    pub key: String,
    pub value: AnyValue,
}

/// OTLP's `InstrumentationScope` (`instrumentationLibrary` in files before 2022).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scope {
    pub name: String,
    pub version: String,
    pub attributes: Vec<Attribute>,
    pub dropped_attributes_count: u32,
}

/// The resource a span came from: its attributes (`service.name`, host, k8s, ...) or Jaeger's process tags.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Resource {
    pub attributes: Vec<Attribute>,
    pub dropped_attributes_count: u32,
}

/// A timestamped event in a span (OTLP `Span.Event`, Jaeger log: its name is the `event` field).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Event {
    pub time_unix_nano: u64,
    pub name: String,
    pub attributes: Vec<Attribute>,
    pub dropped_attributes_count: u32,
}

/// How a link came to be: an OTLP link, or a Jaeger reference that did not become the span's parent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum LinkType {
    /// An OTLP link with no `opentracing.ref_type` attribute.
    #[default]
    Link,
    /// Jaeger's CHILD_OF (or an OTLP link with `opentracing.ref_type=child_of`).
    ChildOf,
    /// Jaeger's FOLLOWS_FROM (or `opentracing.ref_type=follows_from`).
    FollowsFrom,
}

/// A pointer from this span to another span, in this trace or another (OTLP `Span.Link`, Jaeger reference).
/// Ids are lower-case hex as the rest of the model keeps them (or kept opaque when they were not hex).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Link {
    pub trace_id: String,
    pub span_id: String,
    pub trace_state: String,
    pub attributes: Vec<Attribute>,
    pub dropped_attributes_count: u32,
    pub flags: u32,
    pub link_type: LinkType,
}

/// Everything of an OTLP or Jaeger span that Zipkin's model cannot hold, kept losslessly.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SpanDetail {
    pub format: Option<SourceFormat>,
    pub kind: SpanKind,
    pub status: Status,
    /// Nanosecond times as OTLP sent them (Zipkin's `timestamp`/`duration` are µs); Jaeger's µs times × 1000.
    pub start_time_unix_nano: u64,
    pub end_time_unix_nano: u64,
    pub attributes: Vec<Attribute>,
    pub dropped_attributes_count: u32,
    pub events: Vec<Event>,
    pub dropped_events_count: u32,
    pub links: Vec<Link>,
    pub dropped_links_count: u32,
    pub trace_state: String,
    pub flags: u32,
    pub resource: Resource,
    pub resource_schema_url: String,
    pub scope: Scope,
    pub scope_schema_url: String,
    /// Jaeger's per-span `warnings` (shown in the details; not part of OTLP).
    pub warnings: Vec<String>,
}

impl LinkType {
    /// How an OTLP link's `opentracing.ref_type` attribute (the Jaeger and OpenTracing bridges set it) types
    /// the link: `child_of`, `follows_from`, else a plain link.
    pub fn from_attributes(attributes: &[Attribute]) -> LinkType {
        let ref_type = attributes.iter().rev().find(|a| a.key == "opentracing.ref_type");
        match ref_type.map(|a| &a.value) {
            Some(AnyValue::String(s)) if s == "child_of" => LinkType::ChildOf,
            Some(AnyValue::String(s)) if s == "follows_from" => LinkType::FollowsFrom,
            _ => LinkType::Link,
        }
    }
}

impl AnyValue {
    /// The value as the Collector's Zipkin translation writes it into a tag: strings as they are, numbers and
    /// booleans in decimal, bytes as base64, arrays and key-value lists as JSON.
    pub fn to_display_string(&self) -> String {
        match self {
            AnyValue::String(s) => s.clone(),
            AnyValue::Bool(b) => b.to_string(),
            AnyValue::Int(i) => i.to_string(),
            AnyValue::Double(d) => format_double(*d),
            AnyValue::Bytes(b) => base64_encode(b),
            AnyValue::Empty => String::new(),
            AnyValue::Array(_) | AnyValue::KeyValueList(_) => self.to_json().to_string(),
        }
    }

    /// The value as plain JSON (`[1,"a"]`, `{"k":true}`): the Collector's form for composite values in tags.
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value;
        match self {
            AnyValue::String(s) => Value::String(s.clone()),
            AnyValue::Bool(b) => Value::Bool(*b),
            AnyValue::Int(i) => Value::from(*i),
            AnyValue::Double(d) => serde_json::Number::from_f64(*d).map(Value::Number).unwrap_or(Value::Null),
            AnyValue::Bytes(b) => Value::String(base64_encode(b)),
            AnyValue::Empty => Value::Null,
            AnyValue::Array(values) => Value::Array(values.iter().map(AnyValue::to_json).collect()),
            AnyValue::KeyValueList(pairs) => {
                Value::Object(pairs.iter().map(|a| (a.key.clone(), a.value.to_json())).collect())
            }
        }
    }

    /// The name of the variant, as the details panel labels a value's type.
    pub fn type_name(&self) -> &'static str {
        match self {
            AnyValue::String(_) => "string",
            AnyValue::Bool(_) => "bool",
            AnyValue::Int(_) => "int",
            AnyValue::Double(_) => "double",
            AnyValue::Bytes(_) => "bytes",
            AnyValue::Array(_) => "array",
            AnyValue::KeyValueList(_) => "kvlist",
            AnyValue::Empty => "empty",
        }
    }
}

/// A double as Go's `strconv.FormatFloat(f, 'f', -1, 64)` writes it (what the Collector uses): no exponent,
/// the shortest digits that read back the same.
fn format_double(d: f64) -> String {
    if d.is_finite() && d == d.trunc() && d.abs() < 1e21 {
        format!("{d:.0}")
    } else {
        d.to_string()
    }
}

/// Standard base64 with padding (RFC 4648 §4), as OTLP JSON writes `bytesValue`.
pub fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (b as u32) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Standard or URL-safe base64, padded or not; `None` when the text is not base64.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for b in text.trim_end_matches('=').bytes() {
        let v = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        } as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips_every_length() {
        for len in 0..10u8 {
            let bytes: Vec<u8> = (0..len).map(|i| i.wrapping_mul(37).wrapping_add(250)).collect();
            let text = base64_encode(&bytes);
            assert_eq!(text.len() % 4, 0);
            assert_eq!(base64_decode(&text).as_deref(), Some(&bytes[..]), "{text}");
        }
        assert_eq!(base64_encode(b"hello"), "aGVsbG8=");
        assert_eq!(base64_decode("aGVsbG8").as_deref(), Some(&b"hello"[..]));
        assert_eq!(base64_decode("not base64!"), None);
    }

    #[test]
    fn values_display_as_the_collector_writes_tags() {
        assert_eq!(AnyValue::Double(3.0).to_display_string(), "3");
        assert_eq!(AnyValue::Double(0.25).to_display_string(), "0.25");
        assert_eq!(AnyValue::Int(-7).to_display_string(), "-7");
        let list = AnyValue::KeyValueList(vec![Attribute {
            key: "k".into(),
            value: AnyValue::Array(vec![AnyValue::Int(1), AnyValue::String("a".into())]),
        }]);
        assert_eq!(list.to_display_string(), r#"{"k":[1,"a"]}"#);
    }
}
