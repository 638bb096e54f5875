//! Jaeger JSON in and out (what Jaeger's query API answers and Jaeger UI downloads; OTEL_JAEGER.md):
//! `{data: [trace, ...]}`, `{data: trace}`, a list of traces, one trace, or one of those per line.
//!
//! Each span is read into `jaeger_model`'s `JaegerSpan` and becomes a Zipkin `Span` there, its Jaeger original
//! kept in `Span::detail` in OTLP's terms, as the OpenTelemetry Collector's Jaeger translator reads it (see
//! `jaeger_model` for the mapping). Typed tags keep their types (`binary` as bytes, where the Collector writes
//! base64 text). Ids that are not hex (Jaeger UI's own fixtures have them) are kept as they came.
//!
//! The writer is the Collector's `traces_to_jaegerproto.go` in Jaeger UI's JSON shape, so a trace read from
//! Jaeger JSON reads back the same (`decode_jaeger_json(encode_jaeger_json(spans)) == spans`).
use super::decode_error::DecodeError;
use super::file_format::FileFormat;
use super::jaeger_model::{process_resource, JaegerLog, JaegerReference, JaegerSpan, RefType};
use super::lenient;
use super::otel_translate::{otlp_detail, NO_SERVICE_NAME};
use super::span::Span;
use super::span_detail::{
    base64_decode, base64_encode, AnyValue, Attribute, Link, LinkType, Resource, SpanDetail, SpanKind, StatusCode,
};
use super::trace_groups::group_by_trace_id;
use serde::de::{self, Deserializer, Visitor};
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

/// Decodes Jaeger JSON (any of the shapes above) into spans, trace after trace.
pub fn decode_jaeger_json(input: &[u8]) -> Result<Vec<Span>, DecodeError> {
    let input = input.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(input);
    let fail = |e: serde_json::Error| DecodeError::from_serde(e).read_as(FileFormat::JaegerJson);
    let invalid = |why: String| DecodeError::at_start(input, &why).read_as(FileFormat::JaegerJson);
    let starts_as_list = input.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    let mut spans = Vec::new();
    let mut documents = 0;
    let mut api_errors: Vec<String> = Vec::new();
    if starts_as_list {
        let traces: Vec<WireTrace> = serde_json::from_slice(input).map_err(fail)?;
        traces.into_iter().try_for_each(|t| t.convert(&mut spans)).map_err(invalid)?;
        documents = 1;
    } else {
        for document in serde_json::Deserializer::from_slice(input).into_iter::<WireDocument>() {
            let document = document.map_err(fail)?;
            api_errors.extend(document.error_messages());
            document.convert(&mut spans).map_err(invalid)?;
            documents += 1;
        }
    }
    if spans.is_empty() && !api_errors.is_empty() {
        let message = format!("the file is an error answer, not traces: {}", api_errors.join("; "));
        return Err(DecodeError::at_start(input, &message).read_as(FileFormat::JaegerJson));
    }
    if documents == 0 {
        return Err(
            DecodeError::at_start(input, "the input is empty; expected Jaeger JSON").read_as(FileFormat::JaegerJson)
        );
    }
    Ok(spans)
}

/// One line of a file: an API answer (`{data: ...}`) or a bare trace.
#[derive(Deserialize)]
struct WireDocument {
    #[serde(default)]
    data: Option<OneOrMany>,
    /// An API answer's `errors: [{code, msg}]`.
    #[serde(default)]
    errors: Option<Value>,
    #[serde(flatten)]
    trace: WireTrace,
}

impl WireDocument {
    fn error_messages(&self) -> Vec<String> {
        let Some(Value::Array(errors)) = &self.errors else { return Vec::new() };
        errors
            .iter()
            .map(|e| match e.get("msg").and_then(Value::as_str) {
                Some(msg) => msg.to_owned(),
                None => e.to_string(),
            })
            .collect()
    }

    fn convert(self, out: &mut Vec<Span>) -> Result<(), String> {
        if let Some(OneOrMany(traces)) = self.data {
            traces.into_iter().try_for_each(|t| t.convert(out))?;
        }
        self.trace.convert(out)
    }
}

/// `data` as Jaeger's API writes it (a list of traces) or as Jaeger UI also takes it (one trace).
struct OneOrMany(Vec<WireTrace>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Dispatched on the JSON's own shape rather than tried variant after variant (serde's untagged enums),
        // so that a problem inside a trace keeps its own message and position.
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a list of traces or one trace")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<OneOrMany, A::Error> {
                Vec::deserialize(de::value::SeqAccessDeserializer::new(seq)).map(OneOrMany)
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<OneOrMany, A::Error> {
                WireTrace::deserialize(de::value::MapAccessDeserializer::new(map)).map(|t| OneOrMany(vec![t]))
            }
            fn visit_unit<E: de::Error>(self) -> Result<OneOrMany, E> {
                Ok(OneOrMany(Vec::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<OneOrMany, E> {
                Ok(OneOrMany(Vec::new()))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireTrace {
    #[serde(rename = "traceID", deserialize_with = "lenient::string_or_empty")]
    trace_id: String,
    #[serde(deserialize_with = "lenient::null_as_default")]
    spans: Vec<WireSpan>,
    #[serde(deserialize_with = "lenient::null_as_default")]
    processes: HashMap<String, WireProcess>,
}

impl WireTrace {
    fn convert(self, out: &mut Vec<Span>) -> Result<(), String> {
        out.reserve(self.spans.len());
        for span in self.spans {
            let process = span.process.as_ref().or_else(|| self.processes.get(&span.process_id));
            let resource = process.map(WireProcess::resource).unwrap_or_default();
            out.push(span.convert(&self.trace_id, resource)?);
        }
        Ok(())
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireProcess {
    #[serde(rename = "serviceName", deserialize_with = "lenient::string_or_empty")]
    service_name: String,
    #[serde(deserialize_with = "lenient::null_as_default")]
    tags: Vec<WireTag>,
}

impl WireProcess {
    fn resource(&self) -> Resource {
        process_resource(&self.service_name, self.tags.iter().map(WireTag::attribute))
    }
}

/// Every field may be absent but `spanID`: a span without one cannot be drawn, linked or written back.
#[derive(Deserialize)]
struct WireSpan {
    #[serde(default, rename = "traceID", deserialize_with = "lenient::string_or_empty")]
    trace_id: String,
    #[serde(rename = "spanID", deserialize_with = "required_span_id")]
    span_id: String,
    /// Files from before references (and Jaeger UI's tests) name the parent here.
    #[serde(default, rename = "parentSpanID", deserialize_with = "lenient::string_or_empty")]
    parent_span_id: String,
    #[serde(default, rename = "operationName", deserialize_with = "lenient::string_or_empty")]
    operation_name: String,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    references: Vec<WireReference>,
    #[serde(default, deserialize_with = "lenient::u64_or_zero")]
    flags: u64,
    #[serde(default, rename = "startTime", deserialize_with = "lenient::u64_or_zero")]
    start_time: u64,
    #[serde(default, deserialize_with = "lenient::u64_or_zero")]
    duration: u64,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    tags: Vec<WireTag>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    logs: Vec<WireLog>,
    #[serde(default, rename = "processID", deserialize_with = "lenient::string_or_empty")]
    process_id: String,
    #[serde(default)]
    process: Option<WireProcess>,
    #[serde(default, deserialize_with = "lenient::null_as_default")]
    warnings: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireReference {
    #[serde(rename = "refType", deserialize_with = "lenient::string_or_empty")]
    ref_type: String,
    #[serde(rename = "traceID", deserialize_with = "lenient::string_or_empty")]
    trace_id: String,
    #[serde(rename = "spanID", deserialize_with = "lenient::string_or_empty")]
    span_id: String,
}

impl WireReference {
    /// Anything but FOLLOWS_FROM is read as CHILD_OF (Jaeger's own default reference type).
    fn model(self) -> JaegerReference {
        let ref_type =
            if self.ref_type.eq_ignore_ascii_case("FOLLOWS_FROM") { RefType::FollowsFrom } else { RefType::ChildOf };
        JaegerReference { ref_type, trace_id: self.trace_id, span_id: self.span_id }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireLog {
    #[serde(deserialize_with = "lenient::u64_or_zero")]
    timestamp: u64,
    #[serde(deserialize_with = "lenient::null_as_default")]
    fields: Vec<WireTag>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WireTag {
    #[serde(deserialize_with = "lenient::string_or_empty")]
    key: String,
    #[serde(rename = "type", deserialize_with = "lenient::string_or_empty")]
    value_type: String,
    value: TagValue,
}

/// A tag's value as JSON gave it, typed by the tag's `type` afterwards (the two come in either order).
#[derive(Default)]
enum TagValue {
    #[default]
    Null,
    Str(String),
    Bool(bool),
    Int(i64),
    Uint(u64),
    Float(f64),
    /// An object or list: kept as its JSON text.
    Json(String),
}

impl<'de> Deserialize<'de> for TagValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TagValue;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a tag value")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<TagValue, E> {
                Ok(TagValue::Str(v.to_owned()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<TagValue, E> {
                Ok(TagValue::Str(v))
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<TagValue, E> {
                Ok(TagValue::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<TagValue, E> {
                Ok(TagValue::Int(v))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<TagValue, E> {
                Ok(TagValue::Uint(v))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<TagValue, E> {
                Ok(TagValue::Float(v))
            }
            fn visit_unit<E: de::Error>(self) -> Result<TagValue, E> {
                Ok(TagValue::Null)
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<TagValue, A::Error> {
                let v = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
                Ok(TagValue::Json(v.to_string()))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<TagValue, A::Error> {
                let v = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(TagValue::Json(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl TagValue {
    fn text(&self) -> String {
        match self {
            TagValue::Null => String::new(),
            TagValue::Str(s) | TagValue::Json(s) => s.clone(),
            TagValue::Bool(b) => b.to_string(),
            TagValue::Int(i) => i.to_string(),
            TagValue::Uint(u) => u.to_string(),
            TagValue::Float(f) => f.to_string(),
        }
    }
}

impl WireTag {
    /// The tag as a typed attribute: its `type` decides (int64 beyond 2^53 comes as a string, binary as
    /// base64); a value that does not fit its type, or a tag with no type, keeps the JSON value's own type.
    fn attribute(&self) -> Attribute {
        Attribute { key: self.key.clone(), value: self.typed_value() }
    }

    fn typed_value(&self) -> AnyValue {
        let v = &self.value;
        let by_type = match self.value_type.to_ascii_lowercase().as_str() {
            "string" => Some(AnyValue::String(v.text())),
            "bool" => match v {
                TagValue::Bool(b) => Some(AnyValue::Bool(*b)),
                TagValue::Str(s) if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") => {
                    Some(AnyValue::Bool(s.eq_ignore_ascii_case("true")))
                }
                _ => None,
            },
            "int64" => match v {
                TagValue::Int(i) => Some(AnyValue::Int(*i)),
                TagValue::Uint(u) => i64::try_from(*u).ok().map(AnyValue::Int),
                TagValue::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(AnyValue::Int(*f as i64)),
                TagValue::Str(s) => s.trim().parse().ok().map(AnyValue::Int),
                _ => None,
            },
            "float64" => match v {
                TagValue::Float(f) => Some(AnyValue::Double(*f)),
                TagValue::Int(i) => Some(AnyValue::Double(*i as f64)),
                TagValue::Uint(u) => Some(AnyValue::Double(*u as f64)),
                TagValue::Str(s) => match s.trim() {
                    "NaN" => Some(AnyValue::Double(f64::NAN)),
                    "Infinity" | "+Inf" => Some(AnyValue::Double(f64::INFINITY)),
                    "-Infinity" | "-Inf" => Some(AnyValue::Double(f64::NEG_INFINITY)),
                    other => other.parse().ok().map(AnyValue::Double),
                },
                _ => None,
            },
            "binary" => match v {
                TagValue::Str(s) => base64_decode(s).map(AnyValue::Bytes),
                _ => None,
            },
            _ => None,
        };
        by_type.unwrap_or_else(|| match v {
            TagValue::Null => AnyValue::String(String::new()),
            TagValue::Str(s) | TagValue::Json(s) => AnyValue::String(s.clone()),
            TagValue::Bool(b) => AnyValue::Bool(*b),
            TagValue::Int(i) => AnyValue::Int(*i),
            TagValue::Uint(u) => i64::try_from(*u).map(AnyValue::Int).unwrap_or(AnyValue::Double(*u as f64)),
            TagValue::Float(f) => AnyValue::Double(*f),
        })
    }
}

/// A span's `spanID`: present and not empty.
fn required_span_id<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match lenient::string_or_empty(d)? {
        id if id.is_empty() => Err(serde::de::Error::custom("spanID is null or empty")),
        id => Ok(id),
    }
}

impl WireSpan {
    /// The span in the model; an error when it has no trace id (neither its own nor its trace's), which a trace
    /// cannot be without.
    fn convert(self, trace_trace_id: &str, resource: Resource) -> Result<Span, String> {
        let trace_id = if self.trace_id.is_empty() { trace_trace_id.to_owned() } else { self.trace_id };
        if trace_id.is_empty() {
            return Err(format!("span {} has no traceID (neither its own nor its trace's)", self.span_id));
        }
        let span = JaegerSpan {
            trace_id,
            span_id: self.span_id,
            parent_span_id: self.parent_span_id,
            operation_name: self.operation_name,
            references: self.references.into_iter().map(WireReference::model).collect(),
            flags: self.flags,
            start_time: self.start_time,
            duration: self.duration,
            tags: self.tags.iter().map(WireTag::attribute).collect(),
            logs: self
                .logs
                .into_iter()
                .map(|l| JaegerLog {
                    timestamp: l.timestamp,
                    fields: l.fields.iter().map(WireTag::attribute).collect(),
                })
                .collect(),
            warnings: self.warnings,
        };
        Ok(span.into_span(resource))
    }
}

// ---- writing ----

/// The spans as Jaeger JSON: `{data: [trace, ...]}` (traces by trace id in order of first appearance, each
/// with its processes), in the shape Jaeger's query API answers.
pub fn encode_jaeger_json(spans: &[Span]) -> String {
    json!({"data": encode_jaeger_traces(spans), "total": 0, "limit": 0, "offset": 0, "errors": null}).to_string()
}

/// The spans as Jaeger JSON traces (what `data` holds): by trace id in order of first appearance.
pub fn encode_jaeger_traces(spans: &[Span]) -> Vec<Value> {
    group_by_trace_id(spans, |s| &s.trace_id).iter().map(|trace| trace_json(trace)).collect()
}

fn trace_json(spans: &[&Span]) -> Value {
    let mut processes: Vec<(Value, String)> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::with_capacity(spans.len());
    for span in spans {
        let detail = match &span.detail {
            Some(d) => Cow::Borrowed(&**d),
            None => Cow::Owned(otlp_detail(span)),
        };
        let process = process_json(&detail.resource);
        let key = process.to_string();
        let next = processes.len();
        let i = *index.entry(key).or_insert_with(|| {
            processes.push((process, format!("p{}", next + 1)));
            next
        });
        out.push(span_json(span, &detail, &processes[i].1));
    }
    let trace_id = spans.first().map(|s| s.trace_id.clone()).unwrap_or_default();
    let processes: Map<String, Value> = processes.into_iter().map(|(p, id)| (id, p)).collect();
    json!({"traceID": trace_id, "spans": out, "processes": processes, "warnings": null})
}

/// A resource as a process: `service.name` is the service (the Collector's stand-in when the resource is
/// empty), the other attributes its tags.
fn process_json(resource: &Resource) -> Value {
    let service = resource.attributes.iter().find(|a| a.key == "service.name").map(|a| a.value.to_display_string());
    let service = match service {
        Some(name) => name,
        None if resource.attributes.is_empty() => NO_SERVICE_NAME.to_owned(),
        None => String::new(),
    };
    let tags: Vec<Value> = resource.attributes.iter().filter(|a| a.key != "service.name").map(tag_json).collect();
    json!({"serviceName": service, "tags": tags})
}

fn tag(key: &str, value: AnyValue) -> Value {
    tag_json(&Attribute { key: key.to_owned(), value })
}

/// A typed tag as Jaeger's JSON writes it: int64 beyond 2^53 as a string (JavaScript could not read it),
/// binary as base64; arrays and key-value lists as JSON text in a string tag (the Collector's `AsString`).
fn tag_json(a: &Attribute) -> Value {
    const JS_SAFE: i64 = 1 << 53;
    let (value_type, value) = match &a.value {
        AnyValue::String(s) => ("string", Value::String(s.clone())),
        AnyValue::Bool(b) => ("bool", Value::Bool(*b)),
        AnyValue::Int(i) if (-JS_SAFE..=JS_SAFE).contains(i) => ("int64", Value::from(*i)),
        AnyValue::Int(i) => ("int64", Value::String(i.to_string())),
        AnyValue::Double(d) => (
            "float64",
            serde_json::Number::from_f64(*d).map(Value::Number).unwrap_or_else(|| {
                Value::String(
                    if d.is_nan() {
                        "NaN"
                    } else if *d > 0.0 {
                        "Infinity"
                    } else {
                        "-Infinity"
                    }
                    .into(),
                )
            }),
        ),
        AnyValue::Bytes(b) => ("binary", Value::String(base64_encode(b))),
        other => ("string", Value::String(other.to_display_string())),
    };
    json!({"key": a.key, "type": value_type, "value": value})
}

/// A Jaeger span: references (the parent first, as the Collector puts it), tags in the Collector's order
/// (scope, attributes, `span.kind`, status, trace state), logs with their `event` field, µs times.
fn span_json(span: &Span, d: &SpanDetail, process_id: &str) -> Value {
    let mut tags = Vec::with_capacity(d.attributes.len() + 6);
    if !d.scope.name.is_empty() {
        tags.push(tag("otel.scope.name", AnyValue::String(d.scope.name.clone())));
    }
    if !d.scope.version.is_empty() {
        tags.push(tag("otel.scope.version", AnyValue::String(d.scope.version.clone())));
    }
    tags.extend(d.attributes.iter().map(tag_json));
    let kind = match d.kind {
        SpanKind::Client => Some("client"),
        SpanKind::Server => Some("server"),
        SpanKind::Producer => Some("producer"),
        SpanKind::Consumer => Some("consumer"),
        SpanKind::Internal => Some("internal"),
        SpanKind::Unspecified => None,
    };
    if let Some(kind) = kind {
        tags.push(tag("span.kind", AnyValue::String(kind.into())));
    }
    match d.status.code {
        StatusCode::Error => {
            tags.push(tag("otel.status_code", AnyValue::String("ERROR".into())));
            tags.push(tag("error", AnyValue::Bool(true)));
        }
        StatusCode::Ok => tags.push(tag("otel.status_code", AnyValue::String("OK".into()))),
        StatusCode::Unset => {}
    }
    if !d.status.message.is_empty() {
        tags.push(tag("otel.status_description", AnyValue::String(d.status.message.clone())));
    }
    if !d.trace_state.is_empty() {
        tags.push(tag("w3c.tracestate", AnyValue::String(d.trace_state.clone())));
    }
    let logs: Vec<Value> = d
        .events
        .iter()
        .map(|e| {
            let mut fields = Vec::with_capacity(e.attributes.len() + 1);
            if !e.name.is_empty() && !e.attributes.iter().any(|a| a.key == "event") {
                fields.push(tag("event", AnyValue::String(e.name.clone())));
            }
            fields.extend(e.attributes.iter().map(tag_json));
            json!({"timestamp": e.time_unix_nano / 1000, "fields": fields})
        })
        .collect();
    let start = d.start_time_unix_nano / 1000;
    let mut out = json!({
        "traceID": span.trace_id,
        "spanID": span.id,
        "operationName": span.name.clone().unwrap_or_default(),
        "references": references_json(span, d),
        "startTime": start,
        "duration": d.end_time_unix_nano.saturating_sub(d.start_time_unix_nano) / 1000,
        "tags": tags,
        "logs": logs,
        "processID": process_id,
        "warnings": if d.warnings.is_empty() { Value::Null } else { json!(d.warnings) },
    });
    if d.flags != 0 {
        out["flags"] = Value::from(d.flags);
    }
    out
}

/// References so that reading them back gives the same parent and links: the parent as a CHILD_OF first,
/// then the links in order, except that a parent which is itself a same-trace FOLLOWS_FROM link (and no link
/// is a same-trace CHILD_OF that would take its place) is written once, as that link (the Collector's rule).
fn references_json(span: &Span, d: &SpanDetail) -> Vec<Value> {
    let same_trace = |l: &Link| l.trace_id == span.trace_id;
    let reference = |ref_type: &str, trace_id: &str, span_id: &str| json!({"refType": ref_type, "traceID": trace_id, "spanID": span_id});
    let mut refs = Vec::with_capacity(d.links.len() + 1);
    if let Some(parent) = &span.parent_id {
        let written_as_link = !d.links.iter().any(|l| same_trace(l) && l.link_type == LinkType::ChildOf)
            && d.links.iter().find(|l| same_trace(l)).is_some_and(|l| &l.span_id == parent);
        if !written_as_link {
            refs.push(reference("CHILD_OF", &span.trace_id, parent));
        }
    }
    for link in &d.links {
        let ref_type = if link.link_type == LinkType::ChildOf { "CHILD_OF" } else { "FOLLOWS_FROM" };
        refs.push(reference(ref_type, &link.trace_id, &link.span_id));
    }
    refs
}
