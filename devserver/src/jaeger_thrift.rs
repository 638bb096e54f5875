//! Jaeger's Thrift messages (jaeger-idl `jaeger.thrift` and `agent.thrift`) into the domain's spans: a
//! `Batch {process, spans}` in either protocol (the collector's `POST /api/traces` body is a bare binary
//! `Batch`), and the agent's UDP datagram, a compact-protocol oneway call of `Agent.emitBatch(Batch)` or
//! `Agent.emitZipkinBatch(list<zipkincore.Span>)`. Spans go through the domain's `jaeger_model`, the mapping
//! Jaeger JSON uses too, after the ids are written as Jaeger writes them (16 hex digits, 32 with a high half)
//! and `parentSpanId` is made a CHILD_OF reference unless one already names it (`model.MaybeAddParentSpanID`,
//! as Jaeger's `converter/thrift/jaeger/to_domain.go` does).
use crate::thrift::read_span_list;
use crate::thrift_compact::CompactReader;
use crate::thrift_protocol::{read_struct_list, FieldType, Result, ThriftError, ThriftRead};
use spanscope_domain::jaeger_model::{process_resource, JaegerLog, JaegerReference, JaegerSpan, RefType};
use spanscope_domain::span::Span;
use spanscope_domain::span_detail::{AnyValue, Attribute, Resource};
use spanscope_domain::v1::convert_v1;

/// A Thrift call's message type: a call (1) or a oneway call (4), which is what the agent receives.
const CALL: u8 = 1;
const ONEWAY: u8 = 4;

/// Reads a `Batch` struct: every span with the batch's process as its resource.
pub fn read_batch<R: ThriftRead>(r: &mut R) -> Result<Vec<Span>> {
    let mut resource = Resource::default();
    let mut spans = Vec::new();
    let mut has_process = false;
    r.struct_begin()?;
    while let Some((ty, id)) = r.field()? {
        match (ty, id) {
            (FieldType::Struct, 1) => {
                resource = read_process(r)?;
                has_process = true;
            }
            (FieldType::List, 2) => spans = read_struct_list(r, read_span)?,
            (t, _) => r.skip(t)?,
        }
    }
    r.struct_end()?;
    if !has_process && !spans.is_empty() {
        return Err(ThriftError("Malformed: a Batch without its required process".into()));
    }
    // The process may come after the spans on the wire: the resource is stamped in once both are read.
    Ok(spans.into_iter().map(|s| s.into_span(resource.clone())).collect())
}

/// Decodes the body of the collector's `POST /api/traces` (`application/x-thrift`): one binary `Batch`.
pub fn decode_binary_batch(body: &[u8]) -> Result<Vec<Span>> {
    let mut r = crate::thrift_binary::BinaryReader::new(body);
    let spans = read_batch(&mut r)?;
    if r.remaining() != 0 {
        return Err(ThriftError(format!("Malformed: {} bytes after the Batch", r.remaining())));
    }
    Ok(spans)
}

/// Decodes an agent datagram: a compact `emitBatch` or `emitZipkinBatch` call.
pub fn decode_agent_datagram(datagram: &[u8]) -> Result<Vec<Span>> {
    let mut r = CompactReader::new(datagram);
    let header = r.message_begin()?;
    if header.message_type != ONEWAY && header.message_type != CALL {
        return Err(ThriftError(format!("Malformed: message type {} is not a call", header.message_type)));
    }
    let zipkin = match header.name.as_str() {
        "emitBatch" => false,
        "emitZipkinBatch" => true,
        other => {
            return Err(ThriftError(format!(
                "unknown method {other:?} (the agent takes emitBatch and emitZipkinBatch)"
            )))
        }
    };
    let mut spans = Vec::new();
    r.struct_begin()?;
    while let Some((ty, id)) = r.field()? {
        match (zipkin, ty, id) {
            (false, FieldType::Struct, 1) => spans = read_batch(&mut r)?,
            (true, FieldType::List, 1) => spans = read_span_list(&mut r)?.iter().flat_map(convert_v1).collect(),
            (_, t, _) => r.skip(t)?,
        }
    }
    r.struct_end()?;
    Ok(spans)
}

fn read_process<R: ThriftRead>(r: &mut R) -> Result<Resource> {
    let (mut service, mut tags) = (String::new(), Vec::new());
    r.struct_begin()?;
    while let Some((ty, id)) = r.field()? {
        match (ty, id) {
            (FieldType::Binary, 1) => service = r.string()?,
            (FieldType::List, 2) => tags = read_struct_list(r, read_tag)?,
            (t, _) => r.skip(t)?,
        }
    }
    r.struct_end()?;
    Ok(process_resource(&service, tags))
}

/// A `Tag` as a typed attribute, by its `vType` (STRING, DOUBLE, BOOL, LONG, BINARY).
fn read_tag<R: ThriftRead>(r: &mut R) -> Result<Attribute> {
    let (mut key, mut v_type) = (String::new(), 0);
    let (mut text, mut double, mut boolean, mut long, mut binary) = (String::new(), 0.0, false, 0, Vec::new());
    r.struct_begin()?;
    while let Some((ty, id)) = r.field()? {
        match (ty, id) {
            (FieldType::Binary, 1) => key = r.string()?,
            (FieldType::I32, 2) => v_type = r.i32()?,
            (FieldType::Binary, 3) => text = r.string()?,
            (FieldType::Double, 4) => double = r.double()?,
            (FieldType::Bool, 5) => boolean = r.bool()?,
            (FieldType::I64, 6) => long = r.i64()?,
            (FieldType::Binary, 7) => binary = r.binary()?.to_vec(),
            (t, _) => r.skip(t)?,
        }
    }
    r.struct_end()?;
    let value = match v_type {
        0 => AnyValue::String(text),
        1 => AnyValue::Double(double),
        2 => AnyValue::Bool(boolean),
        3 => AnyValue::Int(long),
        4 => AnyValue::Bytes(binary),
        // Jaeger's converter keeps such a tag as a string saying so.
        other => AnyValue::String(format!("Unknown VType: {other}")),
    };
    Ok(Attribute { key, value })
}

fn read_log<R: ThriftRead>(r: &mut R) -> Result<JaegerLog> {
    let mut log = JaegerLog::default();
    r.struct_begin()?;
    while let Some((ty, id)) = r.field()? {
        match (ty, id) {
            (FieldType::I64, 1) => log.timestamp = u64::try_from(r.i64()?).unwrap_or(0),
            (FieldType::List, 2) => log.fields = read_struct_list(r, read_tag)?,
            (t, _) => r.skip(t)?,
        }
    }
    r.struct_end()?;
    Ok(log)
}

/// Jaeger's trace id text: 16 hex digits when the high half is zero, else 32.
fn trace_id_hex(high: i64, low: i64) -> String {
    if high == 0 {
        format!("{:016x}", low as u64)
    } else {
        format!("{:016x}{:016x}", high as u64, low as u64)
    }
}

fn span_id_hex(id: i64) -> String {
    format!("{:016x}", id as u64)
}

fn read_reference<R: ThriftRead>(r: &mut R) -> Result<JaegerReference> {
    let (mut ref_type, mut low, mut high, mut span_id) = (0, 0, 0, 0);
    r.struct_begin()?;
    while let Some((ty, id)) = r.field()? {
        match (ty, id) {
            (FieldType::I32, 1) => ref_type = r.i32()?,
            (FieldType::I64, 2) => low = r.i64()?,
            (FieldType::I64, 3) => high = r.i64()?,
            (FieldType::I64, 4) => span_id = r.i64()?,
            (t, _) => r.skip(t)?,
        }
    }
    r.struct_end()?;
    Ok(JaegerReference {
        ref_type: if ref_type == 1 { RefType::FollowsFrom } else { RefType::ChildOf },
        trace_id: trace_id_hex(high, low),
        span_id: span_id_hex(span_id),
    })
}

fn read_span<R: ThriftRead>(r: &mut R) -> Result<JaegerSpan> {
    let mut span = JaegerSpan::default();
    let (mut low, mut high, mut span_id, mut parent) = (0, 0, 0, 0);
    r.struct_begin()?;
    while let Some((ty, id)) = r.field()? {
        match (ty, id) {
            (FieldType::I64, 1) => low = r.i64()?,
            (FieldType::I64, 2) => high = r.i64()?,
            (FieldType::I64, 3) => span_id = r.i64()?,
            (FieldType::I64, 4) => parent = r.i64()?,
            (FieldType::Binary, 5) => span.operation_name = r.string()?,
            (FieldType::List, 6) => span.references = read_struct_list(r, read_reference)?,
            (FieldType::I32, 7) => span.flags = u64::from(r.i32()? as u32),
            (FieldType::I64, 8) => span.start_time = u64::try_from(r.i64()?).unwrap_or(0),
            (FieldType::I64, 9) => span.duration = u64::try_from(r.i64()?).unwrap_or(0),
            (FieldType::List, 10) => span.tags = read_struct_list(r, read_tag)?,
            (FieldType::List, 11) => span.logs = read_struct_list(r, read_log)?,
            (t, _) => r.skip(t)?,
        }
    }
    r.struct_end()?;
    span.trace_id = trace_id_hex(high, low);
    span.span_id = span_id_hex(span_id);
    if parent != 0 {
        let parent = span_id_hex(parent);
        let named = span.references.iter().any(|r| r.span_id == parent && r.trace_id == span.trace_id);
        if !named {
            let reference =
                JaegerReference { ref_type: RefType::ChildOf, trace_id: span.trace_id.clone(), span_id: parent };
            span.references.insert(0, reference);
        }
    }
    Ok(span)
}
