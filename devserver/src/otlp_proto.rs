//! A decoder for OTLP's protobuf `ExportTraceServiceRequest` (= `TracesData`: opentelemetry-proto's trace/v1,
//! common/v1 and resource/v1), written by hand on `protowire` like Zipkin's proto3: every field into a
//! `SpanDetail` (typed attributes of every `AnyValue` variant, events, links, status, dropped counts, flags,
//! trace state, resource, scope, schema URLs). Files and senders from before 2022 used
//! `instrumentation_library_spans` (field 1000) for `scope_spans`: read as well.
//!
//! Ids come out as the hex of whatever bytes were sent: checking that they are 16 and 8 bytes and not zero is
//! the ingest's job, since OTLP rejects such spans one by one (a partial success), not the whole request.
use crate::protowire::{hex, Reader, Result, WireError};
use spanscope_domain::span_detail::{
    AnyValue, Attribute, Event, Link, Resource, Scope, SourceFormat, SpanDetail, SpanKind, Status, StatusCode,
};

/// One decoded span: its ids (hex, unchecked), parent, name and everything else.
#[derive(Debug, Clone, PartialEq)]
pub struct OtlpSpan {
    pub trace_id: String,
    pub span_id: String,
    /// `None` when empty (a root span).
    pub parent_span_id: Option<String>,
    pub name: String,
    pub detail: SpanDetail,
}

/// Reads a length-delimited embedded message with `decode`, naming it `at` in errors from inside it.
fn embedded<T>(r: &mut Reader<'_>, at: &str, wire_type: u8, decode: impl FnOnce(&[u8]) -> Result<T>) -> Result<T> {
    let bytes = r.read_bytes(at, wire_type)?;
    decode(bytes).map_err(|e| e.within(at))
}

/// Decodes an `ExportTraceServiceRequest` (or a `TracesData`: the same message). An empty body is no spans.
pub fn decode_export_request(message: &[u8]) -> Result<Vec<OtlpSpan>> {
    let mut r = Reader::new(message);
    let mut spans = Vec::new();
    let mut index = 0;
    while let Some((field, wire_type)) = r.next_field()? {
        if field == 1 {
            let at = format!("resource_spans[{index}]");
            index += 1;
            embedded(&mut r, &at, wire_type, |b| decode_resource_spans(b, &mut spans))?;
        } else {
            r.skip(field, wire_type)?;
        }
    }
    Ok(spans)
}

fn decode_resource_spans(bytes: &[u8], out: &mut Vec<OtlpSpan>) -> Result<()> {
    // The resource and schema URL may come after the spans on the wire: collect first, then stamp them in.
    let first = out.len();
    let mut r = Reader::new(bytes);
    let (mut resource, mut schema_url) = (Resource::default(), String::new());
    let (mut scopes, mut libraries) = (0, 0);
    while let Some((field, wire_type)) = r.next_field()? {
        match field {
            1 => resource = embedded(&mut r, "resource", wire_type, decode_resource)?,
            2 => {
                let at = format!("scope_spans[{scopes}]");
                scopes += 1;
                embedded(&mut r, &at, wire_type, |b| decode_scope_spans(b, out))?;
            }
            3 => schema_url = r.read_string("schema_url", wire_type)?,
            1000 => {
                let at = format!("instrumentation_library_spans[{libraries}]");
                libraries += 1;
                embedded(&mut r, &at, wire_type, |b| decode_scope_spans(b, out))?;
            }
            _ => r.skip(field, wire_type)?,
        }
    }
    for span in &mut out[first..] {
        span.detail.resource = resource.clone();
        span.detail.resource_schema_url = schema_url.clone();
    }
    Ok(())
}

fn decode_resource(bytes: &[u8]) -> Result<Resource> {
    let mut r = Reader::new(bytes);
    let mut resource = Resource::default();
    while let Some((field, wire_type)) = r.next_field()? {
        match field {
            1 => push_attribute(&mut r, wire_type, &mut resource.attributes)?,
            2 => resource.dropped_attributes_count = r.read_u32("dropped_attributes_count", wire_type)?,
            _ => r.skip(field, wire_type)?,
        }
    }
    Ok(resource)
}

/// `ScopeSpans`, or the older `InstrumentationLibrarySpans` (same field numbers; its library has only a
/// name and a version, which `decode_scope` reads as a scope's).
fn decode_scope_spans(bytes: &[u8], out: &mut Vec<OtlpSpan>) -> Result<()> {
    let first = out.len();
    let mut r = Reader::new(bytes);
    let (mut scope, mut schema_url) = (Scope::default(), String::new());
    let mut index = 0;
    while let Some((field, wire_type)) = r.next_field()? {
        match field {
            1 => scope = embedded(&mut r, "scope", wire_type, decode_scope)?,
            2 => {
                let at = format!("spans[{index}]");
                index += 1;
                out.push(embedded(&mut r, &at, wire_type, decode_span)?);
            }
            3 => schema_url = r.read_string("schema_url", wire_type)?,
            _ => r.skip(field, wire_type)?,
        }
    }
    for span in &mut out[first..] {
        span.detail.scope = scope.clone();
        span.detail.scope_schema_url = schema_url.clone();
    }
    Ok(())
}

fn decode_scope(bytes: &[u8]) -> Result<Scope> {
    let mut r = Reader::new(bytes);
    let mut scope = Scope::default();
    while let Some((field, wire_type)) = r.next_field()? {
        match field {
            1 => scope.name = r.read_string("name", wire_type)?,
            2 => scope.version = r.read_string("version", wire_type)?,
            3 => push_attribute(&mut r, wire_type, &mut scope.attributes)?,
            4 => scope.dropped_attributes_count = r.read_u32("dropped_attributes_count", wire_type)?,
            _ => r.skip(field, wire_type)?,
        }
    }
    Ok(scope)
}

fn span_kind(value: u64) -> SpanKind {
    match value {
        1 => SpanKind::Internal,
        2 => SpanKind::Server,
        3 => SpanKind::Client,
        4 => SpanKind::Producer,
        5 => SpanKind::Consumer,
        _ => SpanKind::Unspecified, // 0, or a kind newer than this decoder
    }
}

fn decode_span(bytes: &[u8]) -> Result<OtlpSpan> {
    let mut r = Reader::new(bytes);
    let mut span = OtlpSpan {
        trace_id: String::new(),
        span_id: String::new(),
        parent_span_id: None,
        name: String::new(),
        detail: SpanDetail { format: Some(SourceFormat::Otlp), ..SpanDetail::default() },
    };
    let d = &mut span.detail;
    while let Some((field, wire_type)) = r.next_field()? {
        match field {
            1 => span.trace_id = hex(r.read_bytes("trace_id", wire_type)?),
            2 => span.span_id = hex(r.read_bytes("span_id", wire_type)?),
            3 => d.trace_state = r.read_string("trace_state", wire_type)?,
            4 => {
                let parent = r.read_bytes("parent_span_id", wire_type)?;
                span.parent_span_id = (!parent.is_empty()).then(|| hex(parent));
            }
            5 => span.name = r.read_string("name", wire_type)?,
            6 => d.kind = span_kind(r.read_varint("kind", wire_type)?),
            7 => d.start_time_unix_nano = r.read_fixed64("start_time_unix_nano", wire_type)?,
            8 => d.end_time_unix_nano = r.read_fixed64("end_time_unix_nano", wire_type)?,
            9 => push_attribute(&mut r, wire_type, &mut d.attributes)?,
            10 => d.dropped_attributes_count = r.read_u32("dropped_attributes_count", wire_type)?,
            11 => {
                let at = format!("events[{}]", d.events.len());
                d.events.push(embedded(&mut r, &at, wire_type, decode_event)?);
            }
            12 => d.dropped_events_count = r.read_u32("dropped_events_count", wire_type)?,
            13 => {
                let at = format!("links[{}]", d.links.len());
                d.links.push(embedded(&mut r, &at, wire_type, decode_link)?);
            }
            14 => d.dropped_links_count = r.read_u32("dropped_links_count", wire_type)?,
            15 => d.status = embedded(&mut r, "status", wire_type, decode_status)?,
            16 => d.flags = r.read_fixed32("flags", wire_type)?,
            _ => r.skip(field, wire_type)?,
        }
    }
    Ok(span)
}

fn decode_event(bytes: &[u8]) -> Result<Event> {
    let mut r = Reader::new(bytes);
    let mut event = Event::default();
    while let Some((field, wire_type)) = r.next_field()? {
        match field {
            1 => event.time_unix_nano = r.read_fixed64("time_unix_nano", wire_type)?,
            2 => event.name = r.read_string("name", wire_type)?,
            3 => push_attribute(&mut r, wire_type, &mut event.attributes)?,
            4 => event.dropped_attributes_count = r.read_u32("dropped_attributes_count", wire_type)?,
            _ => r.skip(field, wire_type)?,
        }
    }
    Ok(event)
}

fn decode_link(bytes: &[u8]) -> Result<Link> {
    let mut r = Reader::new(bytes);
    let mut link = Link::default();
    while let Some((field, wire_type)) = r.next_field()? {
        match field {
            1 => link.trace_id = hex(r.read_bytes("trace_id", wire_type)?),
            2 => link.span_id = hex(r.read_bytes("span_id", wire_type)?),
            3 => link.trace_state = r.read_string("trace_state", wire_type)?,
            4 => push_attribute(&mut r, wire_type, &mut link.attributes)?,
            5 => link.dropped_attributes_count = r.read_u32("dropped_attributes_count", wire_type)?,
            6 => link.flags = r.read_fixed32("flags", wire_type)?,
            _ => r.skip(field, wire_type)?,
        }
    }
    Ok(link)
}

fn decode_status(bytes: &[u8]) -> Result<Status> {
    let mut r = Reader::new(bytes);
    let mut status = Status::default();
    while let Some((field, wire_type)) = r.next_field()? {
        match field {
            2 => status.message = r.read_string("message", wire_type)?,
            3 => {
                status.code = match r.read_varint("code", wire_type)? {
                    1 => StatusCode::Ok,
                    2 => StatusCode::Error,
                    _ => StatusCode::Unset,
                }
            }
            _ => r.skip(field, wire_type)?, // 1 is the reserved `deprecated_code`
        }
    }
    Ok(status)
}

/// Reads one `KeyValue` field into `into`, naming it `attributes[i]` in errors.
fn push_attribute(r: &mut Reader<'_>, wire_type: u8, into: &mut Vec<Attribute>) -> Result<()> {
    let at = format!("attributes[{}]", into.len());
    into.push(embedded(r, &at, wire_type, |b| decode_key_value(b, 0))?);
    Ok(())
}

/// How deep arrays and key-value lists may nest: a hostile message must not exhaust the stack.
const MAX_NESTING: usize = 64;

fn decode_key_value(bytes: &[u8], depth: usize) -> Result<Attribute> {
    let mut r = Reader::new(bytes);
    let mut attribute = Attribute { key: String::new(), value: AnyValue::Empty };
    while let Some((field, wire_type)) = r.next_field()? {
        match field {
            1 => attribute.key = r.read_string("key", wire_type)?,
            2 => attribute.value = embedded(&mut r, "value", wire_type, |b| decode_any_value(b, depth))?,
            _ => r.skip(field, wire_type)?,
        }
    }
    Ok(attribute)
}

/// `AnyValue`, a oneof: the last variant on the wire wins, as protobuf's rule for oneofs says.
fn decode_any_value(bytes: &[u8], depth: usize) -> Result<AnyValue> {
    if depth >= MAX_NESTING {
        return Err(WireError::malformed("", format!("nests arrays or key-value lists deeper than {MAX_NESTING}")));
    }
    let mut r = Reader::new(bytes);
    let mut value = AnyValue::Empty;
    while let Some((field, wire_type)) = r.next_field()? {
        value = match field {
            1 => AnyValue::String(r.read_string("string_value", wire_type)?),
            2 => AnyValue::Bool(r.read_varint("bool_value", wire_type)? != 0),
            3 => AnyValue::Int(r.read_varint("int_value", wire_type)? as i64),
            4 => AnyValue::Double(f64::from_bits(r.read_fixed64("double_value", wire_type)?)),
            5 => AnyValue::Array(embedded(&mut r, "array_value", wire_type, |b| decode_array(b, depth + 1))?),
            6 => AnyValue::KeyValueList(embedded(&mut r, "kvlist_value", wire_type, |b| decode_kv_list(b, depth + 1))?),
            7 => AnyValue::Bytes(r.read_bytes("bytes_value", wire_type)?.to_vec()),
            _ => {
                r.skip(field, wire_type)?;
                continue;
            }
        };
    }
    Ok(value)
}

fn decode_array(bytes: &[u8], depth: usize) -> Result<Vec<AnyValue>> {
    let mut r = Reader::new(bytes);
    let mut values = Vec::new();
    while let Some((field, wire_type)) = r.next_field()? {
        if field == 1 {
            let at = format!("values[{}]", values.len());
            values.push(embedded(&mut r, &at, wire_type, |b| decode_any_value(b, depth))?);
        } else {
            r.skip(field, wire_type)?;
        }
    }
    Ok(values)
}

fn decode_kv_list(bytes: &[u8], depth: usize) -> Result<Vec<Attribute>> {
    let mut r = Reader::new(bytes);
    let mut values = Vec::new();
    while let Some((field, wire_type)) = r.next_field()? {
        if field == 1 {
            let at = format!("values[{}]", values.len());
            values.push(embedded(&mut r, &at, wire_type, |b| decode_key_value(b, depth))?);
        } else {
            r.skip(field, wire_type)?;
        }
    }
    Ok(values)
}
