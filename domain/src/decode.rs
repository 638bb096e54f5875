//! Bytes to spans: a trace (`Span[]`), a list of traces (`Span[][]`, what `/traces` answers),
//! in Zipkin JSON v2 or v1 (auto-detected per span), or a file a person opened in any format the viewer
//! reads (Zipkin, OTLP JSON and JSON Lines, Jaeger JSON: `read_file`), with errors that say where and why.
//!
//! Every span goes through one union shape (`WireSpan`) holding the fields of both versions,
//! so a file mixing v1 and v2 spans decodes, and serde reads each byte once.
use super::key_count::count_keys;
use super::lenient;
use super::span::{Annotation, Endpoint, Kind, Span, Tags};
use super::v1::{convert_v1, V1Annotation, V1BinaryAnnotation, V1Span};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use std::fmt;

pub use super::decode_error::DecodeError;
pub use super::file_format::FileFormat;
use super::file_format::{detect_format, Unrecognised};
use super::jaeger_json::decode_jaeger_json;
use super::otel_translate::restore_otel_details;
use super::otlp_json::decode_otlp_documents;

/// An annotation as either version writes it (v1 adds the endpoint).
#[derive(Deserialize)]
struct WireAnnotation {
    #[serde(default, deserialize_with = "lenient::u64_or_zero")]
    timestamp: u64,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    value: String,
    #[serde(default, deserialize_with = "lenient::endpoint")]
    endpoint: Option<Endpoint>,
}

/// The union of the v1 and v2 span fields; unknown fields are ignored.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireSpan {
    #[serde(deserialize_with = "required_id")]
    trace_id: String,
    #[serde(deserialize_with = "required_id")]
    id: String,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    parent_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    name: Option<String>,
    #[serde(default, deserialize_with = "kind")]
    kind: Option<Kind>,
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    timestamp: Option<u64>,
    #[serde(default, deserialize_with = "lenient::opt_u64")]
    duration: Option<u64>,
    #[serde(default, deserialize_with = "lenient::endpoint")]
    local_endpoint: Option<Endpoint>,
    #[serde(default, deserialize_with = "lenient::endpoint")]
    remote_endpoint: Option<Endpoint>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    annotations: Vec<WireAnnotation>,
    #[serde(default, deserialize_with = "lenient::tags")]
    tags: Tags,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    debug: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    shared: Option<bool>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    binary_annotations: Vec<V1BinaryAnnotation>,
}

/// Ids are strings; a number is accepted as its decimal text would be wrong, so it is refused.
fn required_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(de::Error::custom("span id is null or empty")),
    }
}

/// A kind Zipkin does not know (or lower-case) is read leniently rather than failing the trace.
fn kind<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Kind>, D::Error> {
    struct V;
    impl<'de> de::Visitor<'de> for V {
        type Value = Option<Kind>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a span kind")
        }
        fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
            Ok(Kind::from_name(s))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(V)
        }
        // Numbers and booleans are not kinds; read them as "no kind" rather than fail.
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
    }
    d.deserialize_any(V)
}

impl WireSpan {
    /// A span is v1 when it uses a v1-only construct: binary annotations or annotations that
    /// name their endpoint. Otherwise the v2 reading is exact (and equal to v1's for bare spans).
    fn is_v1(&self) -> bool {
        !self.binary_annotations.is_empty() || self.annotations.iter().any(|a| a.endpoint.is_some())
    }

    fn into_spans(self, out: &mut Vec<Span>) {
        if self.is_v1() {
            let v1 = V1Span {
                trace_id: self.trace_id,
                id: self.id,
                parent_id: self.parent_id,
                name: self.name,
                timestamp: self.timestamp,
                duration: self.duration,
                annotations: self
                    .annotations
                    .into_iter()
                    .map(|a| V1Annotation { timestamp: a.timestamp, value: a.value, endpoint: a.endpoint })
                    .collect(),
                binary_annotations: self.binary_annotations,
                debug: self.debug,
            };
            out.extend(convert_v1(&v1));
            return;
        }
        out.push(Span {
            trace_id: self.trace_id,
            id: self.id,
            parent_id: self.parent_id,
            name: self.name,
            kind: self.kind,
            timestamp: self.timestamp,
            duration: self.duration,
            local_endpoint: self.local_endpoint,
            remote_endpoint: self.remote_endpoint,
            annotations: self
                .annotations
                .into_iter()
                .map(|a| Annotation { timestamp: a.timestamp, value: a.value })
                .collect(),
            tags: self.tags,
            debug: self.debug,
            shared: self.shared,
            detail: None,
        });
    }
}

fn convert_all(wire: Vec<WireSpan>) -> Vec<Span> {
    let mut out = Vec::with_capacity(wire.len());
    for w in wire {
        w.into_spans(&mut out);
    }
    out
}

/// A span list converted while it is parsed: no intermediate list of wire spans is built,
/// which at 100,000 spans saves a 40 MB allocation and a pass.
struct SpanList(Vec<Span>);

/// Decodes a span list into a vector sized up front for an expected count: grown by doubling, a
/// 100,000-span list would briefly hold its old and new buffers (some 60 MB), and wasm memory keeps
/// its high-water mark for the page's whole life.
struct SizedSpanList(usize);

impl<'de> de::DeserializeSeed<'de> for SizedSpanList {
    type Value = SpanList;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<SpanList, D::Error> {
        d.deserialize_seq(SpanListVisitor(self.0))
    }
}

impl<'de> Deserialize<'de> for SpanList {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(SpanListVisitor(0))
    }
}

struct SpanListVisitor(usize);

impl<'de> de::Visitor<'de> for SpanListVisitor {
    type Value = SpanList;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of spans")
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<SpanList, A::Error> {
        let mut out = Vec::with_capacity(self.0.max(seq.size_hint().unwrap_or(0).min(1 << 16)));
        while let Some(w) = seq.next_element::<WireSpan>()? {
            w.into_spans(&mut out);
        }
        Ok(SpanList(out))
    }
}

/// An upper bound on the spans in a JSON span list: every span has one `"traceId"` key (v2 and
/// v1 alike). One vectorised substring search over the bytes (a byte-at-a-time scan cost a tenth
/// of the whole decode), no allocation.
fn count_trace_id_keys(input: &[u8]) -> usize {
    count_keys(input, b"\"traceId\"")
}

impl SpanList {
    /// Parses a span list, sizing its vector from a count of `traceId` keys.
    fn parse(input: &[u8]) -> Result<SpanList, serde_json::Error> {
        use de::DeserializeSeed;
        let mut de = serde_json::Deserializer::from_slice(input);
        // Never reserve more than twice the input's size: crafted input full of `"traceId"` keys
        // must not be able to ask for a huge allocation (an allocation failure aborts wasm).
        let ceiling = input.len().saturating_mul(2) / std::mem::size_of::<Span>().max(1);
        let list = SizedSpanList(count_trace_id_keys(input).min(ceiling)).deserialize(&mut de)?;
        de.end()?;
        Ok(list)
    }
}

/// Skips a UTF-8 byte-order mark, which some editors write and serde_json refuses.
fn strip_bom(input: &[u8]) -> &[u8] {
    input.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(input)
}

/// What the top level of a file holds, judged from its first two tokens.
#[derive(Debug, PartialEq)]
enum Shape {
    Empty,
    SpanList,
    TraceList,
    OneSpan,
    Other,
}

fn shape(input: &[u8]) -> Shape {
    let mut tokens = input.iter().filter(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    match tokens.next() {
        None => Shape::Empty,
        Some(b'{') => Shape::OneSpan,
        Some(b'[') => match tokens.next() {
            Some(b'[') => Shape::TraceList,
            _ => Shape::SpanList,
        },
        Some(_) => Shape::Other,
    }
}

/// Decodes a list of spans (one trace, or spans of several), v2 or v1.
pub fn decode_spans(input: &[u8]) -> Result<Vec<Span>, DecodeError> {
    let input = strip_bom(input);
    match shape(input) {
        Shape::Empty => Err(DecodeError::at_start(input, "the input is empty; expected a JSON list of spans")),
        Shape::TraceList => {
            Err(DecodeError::at_start(input, "expected a list of spans, found a list of traces (Span[][])"))
        }
        Shape::OneSpan | Shape::Other => {
            Err(DecodeError::at_start(input, "expected a JSON list of spans starting with '['"))
        }
        Shape::SpanList => {
            let list = SpanList::parse(input).map_err(DecodeError::from_serde)?;
            Ok(list.0)
        }
    }
}

/// Decodes a list of traces (`Span[][]`), as `/api/v2/traces` and `/traceMany` answer.
pub fn decode_traces(input: &[u8]) -> Result<Vec<Vec<Span>>, DecodeError> {
    let input = strip_bom(input);
    match shape(input) {
        Shape::Empty => Err(DecodeError::at_start(input, "the input is empty; expected a JSON list of traces")),
        Shape::TraceList | Shape::SpanList => {
            let lists: Vec<SpanList> = serde_json::from_slice(input).map_err(DecodeError::from_serde)?;
            Ok(lists.into_iter().map(|l| l.0).collect())
        }
        Shape::OneSpan | Shape::Other => {
            Err(DecodeError::at_start(input, "expected a JSON list of traces starting with '['"))
        }
    }
}

/// A file as it was read: the format its content showed, and its traces.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedFile {
    pub format: FileFormat,
    pub traces: Vec<Vec<Span>>,
}

/// Decodes a file a person opened, in whichever format its content shows (never its name; `file_format`):
/// Zipkin JSON v2 or v1 (one trace `Span[]`, several `Span[][]`, or a single span object), OTLP JSON or
/// JSON Lines, or Jaeger JSON. Spans are grouped by trace id (normalised as Zipkin does), traces in order of
/// first appearance; an empty list gives no trace. An error names the format the file was read as.
pub fn read_file(input: &[u8]) -> Result<DecodedFile, DecodeError> {
    let input = strip_bom(input);
    let format = detect_format(input).map_err(|why| match why {
        // Bytes that are not text have no lines: the problem is the first byte.
        Unrecognised::Binary | Unrecognised::Gzip => DecodeError::at_start(b"", why.message()).at(1, 1),
        _ => DecodeError::at_start(input, why.message()),
    })?;
    let (format, spans) = match format {
        FileFormat::Zipkin => {
            let mut spans = decode_zipkin_file(input).map_err(|e| e.read_as(format))?;
            restore_otel_details(&mut spans);
            (format, spans)
        }
        FileFormat::OtlpJson | FileFormat::OtlpJsonLines => {
            let (spans, documents) = decode_otlp_documents(input)?;
            (if documents > 1 { FileFormat::OtlpJsonLines } else { FileFormat::OtlpJson }, spans)
        }
        FileFormat::JaegerJson => (format, decode_jaeger_json(input)?),
    };
    Ok(DecodedFile { format, traces: group_by_trace(spans) })
}

/// `read_file`'s traces, for callers that need not know the format.
pub fn decode_file(input: &[u8]) -> Result<Vec<Vec<Span>>, DecodeError> {
    read_file(input).map(|file| file.traces)
}

/// One trace from a Zipkin API answer as the trace page shows it: `decode_spans`, and spans that went through the
/// OpenTelemetry Collector's Zipkin translation get their OTLP detail back (`restore_otel_details`).
pub fn decode_trace(input: &[u8]) -> Result<Vec<Span>, DecodeError> {
    let mut spans = decode_spans(input)?;
    restore_otel_details(&mut spans);
    Ok(spans)
}

/// One trace (`Span[]`), several (`Span[][]`) or a single span object, in v2 or v1.
fn decode_zipkin_file(input: &[u8]) -> Result<Vec<Span>, DecodeError> {
    Ok(match shape(input) {
        Shape::Empty => return Err(DecodeError::at_start(input, "the file is empty; expected JSON spans")),
        Shape::Other => return Err(DecodeError::at_start(input, "expected JSON: a list of spans or a list of traces")),
        Shape::TraceList => decode_traces(input)?.into_iter().flatten().collect(),
        Shape::SpanList => decode_spans(input)?,
        Shape::OneSpan => {
            let wire: WireSpan = serde_json::from_slice(input).map_err(DecodeError::from_serde)?;
            convert_all(vec![wire])
        }
    })
}

/// Groups spans by normalised trace id, keeping the order in which traces first appear.
pub fn group_by_trace(spans: Vec<Span>) -> Vec<Vec<Span>> {
    // Most files are one trace: it is kept as it is, without moving 100,000 spans into a new vector.
    match spans.first() {
        Some(first) if spans.iter().all(|s| s.trace_id == first.trace_id) => vec![spans],
        _ => super::trace_groups::group_by_trace_id(spans, |s| &s.trace_id),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn trace_id_keys_are_counted_but_not_inside_strings() {
        let input = br#"[{"traceId":"a","id":"1","name":"say \"traceId\""},{"traceId":"a","id":"2"}]"#;
        assert_eq!(super::count_trace_id_keys(input), 2);
        assert_eq!(super::count_trace_id_keys(b"\"traceId\""), 1);
        assert_eq!(super::count_trace_id_keys(b""), 0);
    }

    use super::*;

    #[test]
    fn error_says_where() {
        let err = decode_spans(b"[\n  {\"traceId\": \"a\", \"id\": }\n]").unwrap_err();
        assert_eq!((err.line, err.column), (2, 26));
        assert!(err.to_string().starts_with("line 2, column 26: "), "{err}");
    }

    #[test]
    fn missing_id_is_an_error() {
        let err = decode_spans(br#"[{"traceId":"a"}]"#).unwrap_err();
        assert!(err.message.contains("id"), "{err}");
    }

    #[test]
    fn empty_and_wrong_shapes() {
        assert!(decode_spans(b"  ").unwrap_err().message.contains("empty"));
        assert!(decode_spans(b"[[]]").unwrap_err().message.contains("list of traces"));
        assert!(decode_traces(b"{}").is_err());
        assert_eq!(decode_spans(b"[]").unwrap(), vec![]);
        assert_eq!(decode_traces(b"[]").unwrap(), Vec::<Vec<Span>>::new());
    }

    #[test]
    fn lenient_fields() {
        let spans = decode_spans(
            br#"[{"traceId":"a","id":"b","kind":"INTERNAL","timestamp":"12","duration":3.0,
                 "localEndpoint":{"serviceName":"x","port":99999},"remoteEndpoint":{},
                 "tags":{"n":1,"b":true,"z":null},"annotations":null,"debug":null,"shared":null}]"#,
        )
        .unwrap();
        let s = &spans[0];
        assert_eq!(s.kind, None);
        assert_eq!((s.timestamp, s.duration), (Some(12), Some(3)));
        assert_eq!(s.local_endpoint.as_ref().unwrap().port, None);
        assert_eq!(s.remote_endpoint, None);
        assert_eq!(s.tags.get("n").map(String::as_str), Some("1"));
        assert_eq!(s.tags.get("b").map(String::as_str), Some("true"));
        assert!(!s.tags.contains_key("z"));
    }

    #[test]
    fn file_groups_by_trace_id() {
        let traces =
            decode_file(br#"[{"traceId":"1","id":"a"},{"traceId":"2","id":"b"},{"traceId":"0001","id":"c"}]"#).unwrap();
        assert_eq!(traces.len(), 2);
        assert_eq!(traces[0].len(), 2);
    }
}
