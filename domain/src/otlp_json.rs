//! OTLP JSON in and out (the "JSON Protobuf Encoding" of the OTLP specification, OTEL_JAEGER.md): one
//! `TracesData` / `ExportTraceServiceRequest`, JSON Lines of them (the Collector's file exporter), a list of
//! them, or Jaeger v3's `{"result": {...}}` answer; files before 2022 with `instrumentationLibrarySpans`;
//! Grafana Tempo's answers (`{"batches": [...]}` from `/api/traces/{id}` and Grafana's "Download traces",
//! `{"trace": {...}}` from `/api/v2/traces/{id}`).
//!
//! The reader is tolerant where the meaning stays clear: 64-bit integers as strings or numbers, enums as
//! integers or names (`2`, `SPAN_KIND_SERVER`, `server`), ids in either hex case or (when the byte length
//! fits) base64, snake_case keys, `null` for absent. Each span becomes a Zipkin `Span` through
//! `otel_translate::zipkin_span`, its OTLP original kept in `Span::detail`; the writer gives it back as it
//! came (`decode_otlp_json(encode_otlp_json(spans)) == spans`), and writes Zipkin spans as the Collector's
//! Zipkin receiver reads them.
use super::decode_error::DecodeError;
use super::file_format::FileFormat;
use super::lenient;
use super::otel_translate::{otlp_detail, otlp_hex_id, zipkin_span};
use super::span::Span;
use super::span_detail::{
    base64_decode, base64_encode, AnyValue, Attribute, Event, Link, LinkType, Resource, Scope, SpanDetail, SpanKind,
    Status, StatusCode,
};
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::io::Write;

/// Decodes OTLP JSON (any of the shapes above) into spans, in the order they appear.
pub fn decode_otlp_json(input: &[u8]) -> Result<Vec<Span>, DecodeError> {
    decode_otlp_documents(input).map(|(spans, _)| spans)
}

/// The spans, and how many documents held them (more than one: JSON Lines).
pub(crate) fn decode_otlp_documents(input: &[u8]) -> Result<(Vec<Span>, usize), DecodeError> {
    let input = input.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(input);
    let starts_as_list = input.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let mut documents = 0;
    // Sized once from the `spanId` keys (links have one too: an upper bound), as the Zipkin decoder does:
    // growing a vector of 100,000 spans step by step cost a tenth of the decode.
    let mut spans = Vec::with_capacity(super::key_count::count_keys(input, b"\"spanId\""));
    let mut api_error = None;
    let fail = |e: serde_json::Error, documents: usize| {
        let format = if documents > 0 { FileFormat::OtlpJsonLines } else { FileFormat::OtlpJson };
        DecodeError::from_serde(e).read_as(format)
    };
    if starts_as_list {
        let list: Vec<Document> = serde_json::from_slice(input).map_err(|e| fail(e, 0))?;
        for document in list {
            api_error = api_error.or(document.convert(&mut spans));
        }
        documents = 1;
    } else {
        for document in serde_json::Deserializer::from_slice(input).into_iter::<Document>() {
            let document = document.map_err(|e| fail(e, documents))?;
            api_error = api_error.or(document.convert(&mut spans));
            documents += 1;
        }
    }
    if documents == 0 {
        let message = "the input is empty; expected OTLP JSON";
        return Err(DecodeError::at_start(input, message).read_as(FileFormat::OtlpJson));
    }
    match api_error {
        Some(message) if spans.is_empty() => Err(DecodeError::at_start(input, &message).read_as(FileFormat::OtlpJson)),
        _ => Ok((spans, documents)),
    }
}

/// One `TracesData` (Tempo calls its list `batches`), or an envelope around one (Jaeger v3's `result`, Tempo
/// v2's `trace`), or Jaeger v3's error answer (`error`).
#[derive(Deserialize, Default)]
struct Document {
    #[serde(
        rename = "resourceSpans",
        alias = "resource_spans",
        alias = "batches",
        default,
        deserialize_with = "lenient::null_as_default"
    )]
    resource_spans: Vec<WireResourceSpans>,
    #[serde(default, alias = "trace")]
    result: Option<Box<Document>>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

impl Document {
    /// Appends the document's spans; gives the message of an API error answer, if it is one.
    fn convert(self, out: &mut Vec<Span>) -> Option<String> {
        for resource_spans in self.resource_spans {
            resource_spans.convert(out);
        }
        let inner = self.result.and_then(|inner| inner.convert(out));
        let error = self.error.map(|e| {
            let message = e.get("message").and_then(|m| m.as_str()).map(str::to_owned);
            format!("the file is an error answer, not traces: {}", message.unwrap_or_else(|| e.to_string()))
        });
        error.or(inner)
    }
}

#[derive(Deserialize)]
struct WireResourceSpans {
    #[serde(default)]
    resource: Option<WireResource>,
    #[serde(rename = "scopeSpans", alias = "scope_spans", default, deserialize_with = "lenient::null_as_default")]
    scope_spans: Vec<WireScopeSpans>,
    #[serde(
        rename = "instrumentationLibrarySpans",
        alias = "instrumentation_library_spans",
        default,
        deserialize_with = "lenient::null_as_default"
    )]
    library_spans: Vec<WireScopeSpans>,
    #[serde(rename = "schemaUrl", alias = "schema_url", default, deserialize_with = "lenient::string_or_empty")]
    schema_url: String,
}

impl WireResourceSpans {
    fn convert(self, out: &mut Vec<Span>) {
        let resource = self
            .resource
            .map(|r| Resource { attributes: r.attributes.0, dropped_attributes_count: r.dropped_attributes_count })
            .unwrap_or_default();
        for scope_spans in self.scope_spans.into_iter().chain(self.library_spans) {
            let scope = scope_spans.scope.or(scope_spans.library).map(WireScope::into_scope).unwrap_or_default();
            out.reserve(scope_spans.spans.len());
            for span in scope_spans.spans {
                out.push(span.convert(&resource, &self.schema_url, &scope, &scope_spans.schema_url));
            }
        }
    }
}

#[derive(Deserialize)]
struct WireResource {
    #[serde(default)]
    attributes: Attributes,
    #[serde(
        rename = "droppedAttributesCount",
        alias = "dropped_attributes_count",
        default,
        deserialize_with = "count"
    )]
    dropped_attributes_count: u32,
}

#[derive(Deserialize)]
struct WireScopeSpans {
    #[serde(default)]
    scope: Option<WireScope>,
    #[serde(rename = "instrumentationLibrary", alias = "instrumentation_library", default)]
    library: Option<WireScope>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    spans: Vec<WireSpan>,
    #[serde(rename = "schemaUrl", alias = "schema_url", default, deserialize_with = "lenient::string_or_empty")]
    schema_url: String,
}

#[derive(Deserialize)]
struct WireScope {
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    name: String,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    version: String,
    #[serde(default)]
    attributes: Attributes,
    #[serde(
        rename = "droppedAttributesCount",
        alias = "dropped_attributes_count",
        default,
        deserialize_with = "count"
    )]
    dropped_attributes_count: u32,
}

impl WireScope {
    fn into_scope(self) -> Scope {
        Scope {
            name: self.name,
            version: self.version,
            attributes: self.attributes.0,
            dropped_attributes_count: self.dropped_attributes_count,
        }
    }
}

#[derive(Deserialize)]
struct WireSpan {
    #[serde(rename = "traceId", alias = "trace_id", deserialize_with = "required_id")]
    trace_id: String,
    #[serde(rename = "spanId", alias = "span_id", deserialize_with = "required_id")]
    span_id: String,
    #[serde(rename = "parentSpanId", alias = "parent_span_id", default, deserialize_with = "lenient::string_or_empty")]
    parent_span_id: String,
    #[serde(rename = "traceState", alias = "trace_state", default, deserialize_with = "lenient::string_or_empty")]
    trace_state: String,
    #[serde(default, deserialize_with = "count")]
    flags: u32,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    name: String,
    #[serde(default, deserialize_with = "span_kind")]
    kind: SpanKind,
    #[serde(
        rename = "startTimeUnixNano",
        alias = "start_time_unix_nano",
        default,
        deserialize_with = "lenient::u64_or_zero"
    )]
    start_time_unix_nano: u64,
    #[serde(
        rename = "endTimeUnixNano",
        alias = "end_time_unix_nano",
        default,
        deserialize_with = "lenient::u64_or_zero"
    )]
    end_time_unix_nano: u64,
    #[serde(default)]
    attributes: Attributes,
    #[serde(
        rename = "droppedAttributesCount",
        alias = "dropped_attributes_count",
        default,
        deserialize_with = "count"
    )]
    dropped_attributes_count: u32,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    events: Vec<WireEvent>,
    #[serde(rename = "droppedEventsCount", alias = "dropped_events_count", default, deserialize_with = "count")]
    dropped_events_count: u32,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    links: Vec<WireLink>,
    #[serde(rename = "droppedLinksCount", alias = "dropped_links_count", default, deserialize_with = "count")]
    dropped_links_count: u32,
    #[serde(default)]
    status: Option<WireStatus>,
}

impl WireSpan {
    fn convert(self, resource: &Resource, resource_schema_url: &str, scope: &Scope, scope_schema_url: &str) -> Span {
        let parent = (!self.parent_span_id.is_empty()).then(|| read_id(self.parent_span_id, 8));
        let detail = SpanDetail {
            format: Some(super::span_detail::SourceFormat::Otlp),
            kind: self.kind,
            status: self.status.map(|s| Status { code: s.code, message: s.message }).unwrap_or_default(),
            start_time_unix_nano: self.start_time_unix_nano,
            end_time_unix_nano: self.end_time_unix_nano,
            attributes: self.attributes.0,
            dropped_attributes_count: self.dropped_attributes_count,
            events: self.events.into_iter().map(WireEvent::into_event).collect(),
            dropped_events_count: self.dropped_events_count,
            links: self.links.into_iter().map(WireLink::into_link).collect(),
            dropped_links_count: self.dropped_links_count,
            trace_state: self.trace_state,
            flags: self.flags,
            resource: resource.clone(),
            resource_schema_url: resource_schema_url.to_owned(),
            scope: scope.clone(),
            scope_schema_url: scope_schema_url.to_owned(),
            warnings: Vec::new(),
        };
        zipkin_span(read_id(self.trace_id, 16), read_id(self.span_id, 8), parent, self.name, detail)
    }
}

#[derive(Deserialize)]
struct WireEvent {
    #[serde(rename = "timeUnixNano", alias = "time_unix_nano", default, deserialize_with = "lenient::u64_or_zero")]
    time_unix_nano: u64,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    name: String,
    #[serde(default)]
    attributes: Attributes,
    #[serde(
        rename = "droppedAttributesCount",
        alias = "dropped_attributes_count",
        default,
        deserialize_with = "count"
    )]
    dropped_attributes_count: u32,
}

impl WireEvent {
    fn into_event(self) -> Event {
        Event {
            time_unix_nano: self.time_unix_nano,
            name: self.name,
            attributes: self.attributes.0,
            dropped_attributes_count: self.dropped_attributes_count,
        }
    }
}

#[derive(Deserialize)]
struct WireLink {
    #[serde(rename = "traceId", alias = "trace_id", default, deserialize_with = "lenient::string_or_empty")]
    trace_id: String,
    #[serde(rename = "spanId", alias = "span_id", default, deserialize_with = "lenient::string_or_empty")]
    span_id: String,
    #[serde(rename = "traceState", alias = "trace_state", default, deserialize_with = "lenient::string_or_empty")]
    trace_state: String,
    #[serde(default)]
    attributes: Attributes,
    #[serde(
        rename = "droppedAttributesCount",
        alias = "dropped_attributes_count",
        default,
        deserialize_with = "count"
    )]
    dropped_attributes_count: u32,
    #[serde(default, deserialize_with = "count")]
    flags: u32,
}

impl WireLink {
    fn into_link(self) -> Link {
        let attributes = self.attributes.0;
        Link {
            trace_id: read_id(self.trace_id, 16),
            span_id: read_id(self.span_id, 8),
            trace_state: self.trace_state,
            link_type: LinkType::from_attributes(&attributes),
            attributes,
            dropped_attributes_count: self.dropped_attributes_count,
            flags: self.flags,
        }
    }
}

#[derive(Deserialize)]
struct WireStatus {
    #[serde(default, deserialize_with = "status_code")]
    code: StatusCode,
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    message: String,
}

/// An id as the model keeps it: hex lower-cased; base64 (proto3's own JSON mapping, which some tools write)
/// when it decodes to exactly `bytes` bytes; anything else kept as it came.
fn read_id(id: String, bytes: usize) -> String {
    if id.bytes().all(|b| b.is_ascii_hexdigit()) {
        if id.bytes().any(|b| b.is_ascii_uppercase()) {
            return id.to_ascii_lowercase();
        }
        return id;
    }
    match base64_decode(&id) {
        Some(decoded) if decoded.len() == bytes => decoded.iter().map(|b| format!("{b:02x}")).collect(),
        _ => id,
    }
}

fn required_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let id = lenient::string_or_empty(d)?;
    if id.is_empty() {
        return Err(de::Error::custom("a span's traceId and spanId must not be empty"));
    }
    Ok(id)
}

/// A dropped count or flags: a number or decimal string, capped at u32's range.
fn count<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
    Ok(lenient::u64_or_zero(d)?.min(u64::from(u32::MAX)) as u32)
}

/// An enum as its number or its name (with or without the proto prefix, any case); unknown is the default.
fn enum_value<'de, D: Deserializer<'de>, T: Default>(
    d: D,
    prefix: &'static str,
    by_number: fn(u64) -> Option<T>,
    by_name: fn(&str) -> Option<T>,
) -> Result<T, D::Error> {
    struct V<T> {
        prefix: &'static str,
        by_number: fn(u64) -> Option<T>,
        by_name: fn(&str) -> Option<T>,
    }
    impl<'de, T: Default> Visitor<'de> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an enum number or name")
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<T, E> {
            Ok((self.by_number)(v).unwrap_or_default())
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
            Ok(T::default())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<T, E> {
            Ok(if v >= 0.0 && v.fract() == 0.0 { (self.by_number)(v as u64).unwrap_or_default() } else { T::default() })
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
            let v = v.trim();
            if let Ok(n) = v.parse::<u64>() {
                return self.visit_u64(n);
            }
            let upper = v.to_ascii_uppercase();
            Ok((self.by_name)(upper.strip_prefix(self.prefix).unwrap_or(&upper)).unwrap_or_default())
        }
        fn visit_unit<E: de::Error>(self) -> Result<T, E> {
            Ok(T::default())
        }
    }
    d.deserialize_any(V { prefix, by_number, by_name })
}

fn span_kind<'de, D: Deserializer<'de>>(d: D) -> Result<SpanKind, D::Error> {
    const NAMES: [&str; 6] = ["UNSPECIFIED", "INTERNAL", "SERVER", "CLIENT", "PRODUCER", "CONSUMER"];
    enum_value(
        d,
        "SPAN_KIND_",
        |n| SpanKind::ALL.get(n as usize).copied(),
        |name| NAMES.iter().position(|n| *n == name).and_then(|i| SpanKind::ALL.get(i).copied()),
    )
}

fn status_code<'de, D: Deserializer<'de>>(d: D) -> Result<StatusCode, D::Error> {
    const CODES: [StatusCode; 3] = [StatusCode::Unset, StatusCode::Ok, StatusCode::Error];
    const NAMES: [&str; 3] = ["UNSET", "OK", "ERROR"];
    enum_value(
        d,
        "STATUS_CODE_",
        |n| CODES.get(n as usize).copied(),
        |name| NAMES.iter().position(|n| *n == name).and_then(|i| CODES.get(i).copied()),
    )
}

/// A list of `{key, value}` attributes (`null` reads as none).
#[derive(Default)]
struct Attributes(Vec<Attribute>);

impl<'de> Deserialize<'de> for Attributes {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let list: Option<Vec<WireKeyValue>> = Option::deserialize(d)?;
        Ok(Attributes(
            list.unwrap_or_default().into_iter().map(|kv| Attribute { key: kv.key, value: kv.value.0 }).collect(),
        ))
    }
}

#[derive(Deserialize)]
struct WireKeyValue {
    #[serde(default, deserialize_with = "lenient::string_or_empty")]
    key: String,
    #[serde(default)]
    value: WireValue,
}

/// An `AnyValue` object: the variant its one key names; no key (or `null`) is `Empty`.
#[derive(Default)]
struct WireValue(AnyValue);

#[derive(Deserialize)]
#[serde(field_identifier)]
enum ValueField {
    #[serde(rename = "stringValue", alias = "string_value")]
    String,
    #[serde(rename = "boolValue", alias = "bool_value")]
    Bool,
    #[serde(rename = "intValue", alias = "int_value")]
    Int,
    #[serde(rename = "doubleValue", alias = "double_value")]
    Double,
    #[serde(rename = "bytesValue", alias = "bytes_value")]
    Bytes,
    #[serde(rename = "arrayValue", alias = "array_value")]
    Array,
    #[serde(rename = "kvlistValue", alias = "kvlist_value")]
    KeyValueList,
    #[serde(other)]
    Other,
}

/// `arrayValue` and `kvlistValue` wrap their members in `values`.
#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct WireValues<T> {
    #[serde(default = "Vec::new", deserialize_with = "lenient::null_as_default")]
    values: Vec<T>,
}

#[derive(Deserialize)]
struct LenientString(#[serde(deserialize_with = "lenient::opt_string")] Option<String>);

#[derive(Deserialize)]
struct LenientBool(#[serde(deserialize_with = "lenient::opt_bool")] Option<bool>);

impl<'de> Deserialize<'de> for WireValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an AnyValue object")
            }
            fn visit_unit<E: de::Error>(self) -> Result<WireValue, E> {
                Ok(WireValue(AnyValue::Empty))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<WireValue, A::Error> {
                let mut value = AnyValue::Empty;
                while let Some(field) = map.next_key::<ValueField>()? {
                    let read = match field {
                        ValueField::String => map.next_value::<LenientString>()?.0.map(AnyValue::String),
                        ValueField::Bool => map.next_value::<LenientBool>()?.0.map(AnyValue::Bool),
                        ValueField::Int => map.next_value::<WireInt>()?.0.map(AnyValue::Int),
                        ValueField::Double => map.next_value::<WireDouble>()?.0.map(AnyValue::Double),
                        ValueField::Bytes => {
                            map.next_value::<LenientString>()?.0.map(|text| match base64_decode(&text) {
                                Some(bytes) => AnyValue::Bytes(bytes),
                                // Not base64: the text is worth more than nothing.
                                None => AnyValue::String(text),
                            })
                        }
                        ValueField::Array => map
                            .next_value::<Option<WireValues<WireValue>>>()?
                            .map(|a| AnyValue::Array(a.values.into_iter().map(|v| v.0).collect())),
                        ValueField::KeyValueList => map.next_value::<Option<WireValues<WireKeyValue>>>()?.map(|l| {
                            AnyValue::KeyValueList(
                                l.values.into_iter().map(|kv| Attribute { key: kv.key, value: kv.value.0 }).collect(),
                            )
                        }),
                        ValueField::Other => {
                            map.next_value::<de::IgnoredAny>()?;
                            None
                        }
                    };
                    if let Some(read) = read {
                        value = read;
                    }
                }
                Ok(WireValue(value))
            }
        }
        d.deserialize_any(V)
    }
}

/// An `intValue`: a decimal string (the specification) or a number; what is neither is no value.
struct WireInt(Option<i64>);

impl<'de> Deserialize<'de> for WireInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireInt;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a 64-bit integer")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<WireInt, E> {
                Ok(WireInt(Some(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<WireInt, E> {
                Ok(WireInt(i64::try_from(v).ok()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<WireInt, E> {
                Ok(WireInt((v.fract() == 0.0 && v.abs() < 9.2e18).then_some(v as i64)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireInt, E> {
                Ok(WireInt(v.trim().parse().ok()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<WireInt, E> {
                Ok(WireInt(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<WireInt, E> {
                Ok(WireInt(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// A `doubleValue`: a number, or proto3's strings `"NaN"`, `"Infinity"`, `"-Infinity"` (or a decimal).
struct WireDouble(Option<f64>);

impl<'de> Deserialize<'de> for WireDouble {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = WireDouble;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a double")
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<WireDouble, E> {
                Ok(WireDouble(Some(v)))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<WireDouble, E> {
                Ok(WireDouble(Some(v as f64)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<WireDouble, E> {
                Ok(WireDouble(Some(v as f64)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<WireDouble, E> {
                Ok(WireDouble(match v.trim() {
                    "NaN" => Some(f64::NAN),
                    "Infinity" => Some(f64::INFINITY),
                    "-Infinity" => Some(f64::NEG_INFINITY),
                    other => other.parse().ok(),
                }))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<WireDouble, E> {
                Ok(WireDouble(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<WireDouble, E> {
                Ok(WireDouble(None))
            }
        }
        d.deserialize_any(V)
    }
}

// ---- writing ----

/// The spans as one OTLP JSON `TracesData`: grouped by resource, then scope, in order of first appearance;
/// spans read from OTLP as they came, others (Zipkin) as the Collector's Zipkin receiver reads them.
pub fn encode_otlp_json(spans: &[Span]) -> String {
    let mut out = Vec::with_capacity(spans.len() * 512 + 32);
    out.extend_from_slice(b"{\"resourceSpans\":[");
    for (i, resource) in group_by_resource(spans).iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_resource_spans(&mut out, resource);
    }
    out.extend_from_slice(b"]}");
    // Every piece written is JSON text built from `str`s, so the bytes are UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

struct ResourceGroup<'a> {
    resource: Resource,
    schema_url: String,
    scopes: Vec<ScopeGroup<'a>>,
}

struct ScopeGroup<'a> {
    scope: Scope,
    schema_url: String,
    spans: Vec<(&'a Span, Cow<'a, SpanDetail>)>,
}

fn group_by_resource(spans: &[Span]) -> Vec<ResourceGroup<'_>> {
    let mut groups: Vec<ResourceGroup> = Vec::new();
    // Resources and scopes are compared through their JSON text, which a hash map can index.
    let mut resource_index: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut scope_index: HashMap<(usize, Vec<u8>), usize> = HashMap::new();
    let mut last: Option<(usize, usize)> = None;
    for span in spans {
        let detail = match &span.detail {
            Some(d) => Cow::Borrowed(&**d),
            None => Cow::Owned(otlp_detail(span)),
        };
        // Spans of one resource and scope usually come together: compare with the last group first.
        if let Some((r, s)) = last {
            let group = &mut groups[r];
            let scope = &mut group.scopes[s];
            if group.resource == detail.resource
                && group.schema_url == detail.resource_schema_url
                && scope.scope == detail.scope
                && scope.schema_url == detail.scope_schema_url
            {
                scope.spans.push((span, detail));
                continue;
            }
        }
        let mut key = Vec::new();
        write_resource(&mut key, &detail.resource);
        key.extend_from_slice(detail.resource_schema_url.as_bytes());
        let r = *resource_index.entry(key).or_insert_with(|| {
            groups.push(ResourceGroup {
                resource: detail.resource.clone(),
                schema_url: detail.resource_schema_url.clone(),
                scopes: Vec::new(),
            });
            groups.len() - 1
        });
        let mut key = Vec::new();
        write_scope(&mut key, &detail.scope);
        key.extend_from_slice(detail.scope_schema_url.as_bytes());
        let group = &mut groups[r];
        let s = *scope_index.entry((r, key)).or_insert_with(|| {
            group.scopes.push(ScopeGroup {
                scope: detail.scope.clone(),
                schema_url: detail.scope_schema_url.clone(),
                spans: Vec::new(),
            });
            group.scopes.len() - 1
        });
        group.scopes[s].spans.push((span, detail));
        last = Some((r, s));
    }
    groups
}

fn write_str(out: &mut Vec<u8>, s: &str) {
    // Writing a str into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// `,"key":` (no comma before the first member of an object).
fn write_key(out: &mut Vec<u8>, key: &str) {
    if !matches!(out.last(), Some(b'{')) {
        out.push(b',');
    }
    out.push(b'"');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
}

fn write_string_member(out: &mut Vec<u8>, key: &str, value: &str) {
    if !value.is_empty() {
        write_key(out, key);
        write_str(out, value);
    }
}

/// A number member (proto3 JSON omits zeros); 64-bit values as decimal strings, as OTLP JSON writes them.
fn write_u64_member(out: &mut Vec<u8>, key: &str, value: u64, quoted: bool) {
    if value != 0 {
        write_key(out, key);
        if quoted {
            let _ = write!(out, "\"{value}\"");
        } else {
            let _ = write!(out, "{value}");
        }
    }
}

fn write_resource_spans(out: &mut Vec<u8>, group: &ResourceGroup) {
    out.push(b'{');
    write_key(out, "resource");
    write_resource(out, &group.resource);
    write_key(out, "scopeSpans");
    out.push(b'[');
    for (i, scope) in group.scopes.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.push(b'{');
        write_key(out, "scope");
        write_scope(out, &scope.scope);
        write_key(out, "spans");
        out.push(b'[');
        for (j, (span, detail)) in scope.spans.iter().enumerate() {
            if j > 0 {
                out.push(b',');
            }
            write_span(out, span, detail);
        }
        out.push(b']');
        write_string_member(out, "schemaUrl", &scope.schema_url);
        out.push(b'}');
    }
    out.push(b']');
    write_string_member(out, "schemaUrl", &group.schema_url);
    out.push(b'}');
}

fn write_resource(out: &mut Vec<u8>, resource: &Resource) {
    out.push(b'{');
    write_attributes_member(out, "attributes", &resource.attributes);
    write_u64_member(out, "droppedAttributesCount", u64::from(resource.dropped_attributes_count), false);
    out.push(b'}');
}

fn write_scope(out: &mut Vec<u8>, scope: &Scope) {
    out.push(b'{');
    write_string_member(out, "name", &scope.name);
    write_string_member(out, "version", &scope.version);
    write_attributes_member(out, "attributes", &scope.attributes);
    write_u64_member(out, "droppedAttributesCount", u64::from(scope.dropped_attributes_count), false);
    out.push(b'}');
}

fn write_span(out: &mut Vec<u8>, span: &Span, d: &SpanDetail) {
    out.push(b'{');
    write_string_member(out, "traceId", &otlp_hex_id(&span.trace_id, 32));
    write_string_member(out, "spanId", &otlp_hex_id(&span.id, 16));
    if let Some(parent) = &span.parent_id {
        write_string_member(out, "parentSpanId", &otlp_hex_id(parent, 16));
    }
    write_string_member(out, "traceState", &d.trace_state);
    write_u64_member(out, "flags", u64::from(d.flags), false);
    write_key(out, "name");
    write_str(out, span.name.as_deref().unwrap_or(""));
    let kind = match d.kind {
        SpanKind::Unspecified => 0,
        SpanKind::Internal => 1,
        SpanKind::Server => 2,
        SpanKind::Client => 3,
        SpanKind::Producer => 4,
        SpanKind::Consumer => 5,
    };
    write_u64_member(out, "kind", kind, false);
    write_u64_member(out, "startTimeUnixNano", d.start_time_unix_nano, true);
    write_u64_member(out, "endTimeUnixNano", d.end_time_unix_nano, true);
    write_attributes_member(out, "attributes", &d.attributes);
    write_u64_member(out, "droppedAttributesCount", u64::from(d.dropped_attributes_count), false);
    if !d.events.is_empty() {
        write_key(out, "events");
        write_list(out, &d.events, |out, e| {
            out.push(b'{');
            write_u64_member(out, "timeUnixNano", e.time_unix_nano, true);
            write_string_member(out, "name", &e.name);
            write_attributes_member(out, "attributes", &e.attributes);
            write_u64_member(out, "droppedAttributesCount", u64::from(e.dropped_attributes_count), false);
            out.push(b'}');
        });
    }
    write_u64_member(out, "droppedEventsCount", u64::from(d.dropped_events_count), false);
    if !d.links.is_empty() {
        write_key(out, "links");
        write_list(out, &d.links, |out, l| {
            out.push(b'{');
            write_string_member(out, "traceId", &otlp_hex_id(&l.trace_id, 32));
            write_string_member(out, "spanId", &otlp_hex_id(&l.span_id, 16));
            write_string_member(out, "traceState", &l.trace_state);
            write_attributes_member(out, "attributes", &l.attributes);
            write_u64_member(out, "droppedAttributesCount", u64::from(l.dropped_attributes_count), false);
            write_u64_member(out, "flags", u64::from(l.flags), false);
            out.push(b'}');
        });
    }
    write_u64_member(out, "droppedLinksCount", u64::from(d.dropped_links_count), false);
    if d.status != Status::default() {
        write_key(out, "status");
        out.push(b'{');
        let code = match d.status.code {
            StatusCode::Unset => 0,
            StatusCode::Ok => 1,
            StatusCode::Error => 2,
        };
        write_u64_member(out, "code", code, false);
        write_string_member(out, "message", &d.status.message);
        out.push(b'}');
    }
    out.push(b'}');
}

fn write_list<T>(out: &mut Vec<u8>, items: &[T], write_item: impl Fn(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_item(out, item);
    }
    out.push(b']');
}

fn write_attributes_member(out: &mut Vec<u8>, key: &str, attributes: &[Attribute]) {
    if !attributes.is_empty() {
        write_key(out, key);
        write_key_values(out, attributes);
    }
}

fn write_key_values(out: &mut Vec<u8>, attributes: &[Attribute]) {
    write_list(out, attributes, |out, a| {
        out.extend_from_slice(b"{\"key\":");
        write_str(out, &a.key);
        out.extend_from_slice(b",\"value\":");
        write_value(out, &a.value);
        out.push(b'}');
    });
}

fn write_value(out: &mut Vec<u8>, value: &AnyValue) {
    out.push(b'{');
    match value {
        AnyValue::String(s) => {
            write_key(out, "stringValue");
            write_str(out, s);
        }
        AnyValue::Bool(b) => {
            write_key(out, "boolValue");
            out.extend_from_slice(if *b { b"true" } else { b"false" });
        }
        AnyValue::Int(i) => {
            write_key(out, "intValue");
            let _ = write!(out, "\"{i}\"");
        }
        AnyValue::Double(d) => {
            write_key(out, "doubleValue");
            if d.is_nan() {
                out.extend_from_slice(b"\"NaN\"");
            } else if d.is_infinite() {
                out.extend_from_slice(if *d > 0.0 { b"\"Infinity\"" } else { b"\"-Infinity\"" });
            } else {
                let _ = serde_json::to_writer(&mut *out, d);
            }
        }
        AnyValue::Bytes(bytes) => {
            write_key(out, "bytesValue");
            write_str(out, &base64_encode(bytes));
        }
        AnyValue::Array(values) => {
            write_key(out, "arrayValue");
            out.extend_from_slice(b"{\"values\":");
            write_list(out, values, write_value);
            out.push(b'}');
        }
        AnyValue::KeyValueList(pairs) => {
            write_key(out, "kvlistValue");
            out.extend_from_slice(b"{\"values\":");
            write_key_values(out, pairs);
            out.push(b'}');
        }
        AnyValue::Empty => {}
    }
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_as_hex_or_base64_when_the_length_fits() {
        assert_eq!(read_id("5B8EFFF798038103D269B633813FC60C".into(), 16), "5b8efff798038103d269b633813fc60c");
        assert_eq!(read_id("W47/95gDgQPSabYzgT/GDA==".into(), 16), "5b8efff798038103d269b633813fc60c");
        assert_eq!(read_id("7uGbfsPBsXQ=".into(), 8), "eee19b7ec3c1b174");
        // Base64 of the wrong length, or no base64 at all: kept as it came.
        assert_eq!(read_id("7uGbfsPBsXQ=".into(), 16), "7uGbfsPBsXQ=");
        assert_eq!(read_id("span-6".into(), 8), "span-6");
    }

    #[test]
    fn values_of_every_type_are_read_leniently() {
        let text = br#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"01","spanId":"02","attributes":[
            {"key":"s","value":{"stringValue":"x"}},{"key":"b","value":{"boolValue":"true"}},
            {"key":"i","value":{"intValue":"-9007199254740993"}},{"key":"n","value":{"int_value":7}},
            {"key":"d","value":{"doubleValue":"NaN"}},{"key":"y","value":{"bytesValue":"aGk="}},
            {"key":"a","value":{"arrayValue":{"values":[{"intValue":1},{}]}}},
            {"key":"k","value":{"kvlistValue":{"values":[{"key":"z","value":{"boolValue":false}}]}}},
            {"key":"e","value":null},{"key":"u","value":{"futureValue":1}}]}]}]}]}"#;
        let spans = decode_otlp_json(text).unwrap();
        let attributes = &spans[0].detail.as_ref().unwrap().attributes;
        let types: Vec<String> = attributes.iter().map(|a| format!("{}:{}", a.key, a.value.type_name())).collect();
        assert_eq!(
            types,
            [
                "s:string", "b:bool", "i:int", "n:int", "d:double", "y:bytes", "a:array", "k:kvlist", "e:empty",
                "u:empty"
            ]
        );
        assert_eq!(attributes[2].value, AnyValue::Int(-9007199254740993));
        assert_eq!(attributes[5].value, AnyValue::Bytes(b"hi".to_vec()));
        assert_eq!(attributes[6].value, AnyValue::Array(vec![AnyValue::Int(1), AnyValue::Empty]));
    }
}
