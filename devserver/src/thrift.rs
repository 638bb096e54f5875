//! A decoder for Zipkin's v1 thrift spans (`zipkinCore.thrift`, as `V1ThriftSpanReader` reads them) into the
//! domain's v1 span, which the domain's `V1SpanConverter` port turns into v2 spans. Written against
//! `ThriftRead`: TBinaryProtocol for `POST /api/v1/spans`, and the compact protocol too, for the Jaeger
//! agent's `emitZipkinBatch`.
use crate::thrift_binary::BinaryReader;
use crate::thrift_protocol::{read_struct_list, FieldType, Result, ThriftError, ThriftRead};
use spanscope_domain::span::Endpoint;
use spanscope_domain::v1::{V1Annotation, V1BinaryAnnotation, V1Span, V1Value};
use std::net::{Ipv4Addr, Ipv6Addr};

fn hex16(v: i64) -> String {
    format!("{:016x}", v as u64)
}

/// Decodes a TBinaryProtocol `list<Span>`, the body older clients POST to `/api/v1/spans`.
pub fn decode_list(message: &[u8]) -> Result<Vec<V1Span>> {
    read_span_list(&mut BinaryReader::new(message))
}

/// Reads a `list<Span>` in any protocol.
pub fn read_span_list<R: ThriftRead>(r: &mut R) -> Result<Vec<V1Span>> {
    let (ty, n) = r.list_begin()?;
    if ty != FieldType::Struct {
        return Err(ThriftError(format!("Malformed: expected a list of structs, found elements of {ty:?}")));
    }
    let mut spans = Vec::with_capacity(n.min(1 << 16));
    for _ in 0..n {
        spans.push(read_span(r)?);
    }
    Ok(spans)
}

fn read_span<R: ThriftRead>(r: &mut R) -> Result<V1Span> {
    let mut span = V1Span::default();
    let (mut trace_id, mut trace_id_high, mut id) = (0i64, 0i64, 0i64);
    r.struct_begin()?;
    while let Some((ty, field)) = r.field()? {
        match (ty, field) {
            (FieldType::I64, 1) => trace_id = r.i64()?,
            (FieldType::Binary, 3) => span.name = Some(r.string()?),
            (FieldType::I64, 4) => id = r.i64()?,
            (FieldType::I64, 5) => {
                let parent = r.i64()?;
                span.parent_id = (parent != 0).then(|| hex16(parent));
            }
            (FieldType::List, 6) => {
                span.annotations.extend(read_struct_list(r, read_annotation)?.into_iter().flatten())
            }
            (FieldType::List, 8) => {
                span.binary_annotations.extend(read_struct_list(r, read_binary_annotation)?.into_iter().flatten())
            }
            (FieldType::Bool, 9) => span.debug = Some(r.bool()?),
            (FieldType::I64, 10) => span.timestamp = u64::try_from(r.i64()?).ok().filter(|t| *t > 0),
            (FieldType::I64, 11) => span.duration = u64::try_from(r.i64()?).ok().filter(|d| *d > 0),
            (FieldType::I64, 12) => trace_id_high = r.i64()?,
            (t, _) => r.skip(t)?,
        }
    }
    r.struct_end()?;
    if trace_id == 0 && trace_id_high == 0 {
        return Err(ThriftError("Malformed: a span has no trace_id".into()));
    }
    span.trace_id =
        if trace_id_high != 0 { format!("{}{}", hex16(trace_id_high), hex16(trace_id)) } else { hex16(trace_id) };
    span.id = hex16(id);
    Ok(span)
}

fn read_annotation<R: ThriftRead>(r: &mut R) -> Result<Option<V1Annotation>> {
    let (mut timestamp, mut value, mut endpoint) = (0i64, None, None);
    r.struct_begin()?;
    while let Some((ty, field)) = r.field()? {
        match (ty, field) {
            (FieldType::I64, 1) => timestamp = r.i64()?,
            (FieldType::Binary, 2) => value = Some(r.string()?),
            (FieldType::Struct, 3) => endpoint = read_endpoint(r)?,
            (t, _) => r.skip(t)?,
        }
    }
    r.struct_end()?;
    // V1ThriftSpanReader drops an annotation without timestamp or value.
    Ok(match (u64::try_from(timestamp).ok().filter(|t| *t > 0), value) {
        (Some(timestamp), Some(value)) => Some(V1Annotation { timestamp, value, endpoint }),
        _ => None,
    })
}

fn read_binary_annotation<R: ThriftRead>(r: &mut R) -> Result<Option<V1BinaryAnnotation>> {
    let (mut key, mut value, mut kind, mut endpoint) = (None, None, -1, None);
    r.struct_begin()?;
    while let Some((ty, field)) = r.field()? {
        match (ty, field) {
            (FieldType::Binary, 1) => key = Some(r.string()?),
            (FieldType::Binary, 2) => value = Some(r.binary()?.to_vec()),
            (FieldType::I32, 3) => kind = r.i32()?,
            (FieldType::Struct, 4) => endpoint = read_endpoint(r)?,
            (t, _) => r.skip(t)?,
        }
    }
    r.struct_end()?;
    let (Some(key), Some(value)) = (key, value) else { return Ok(None) };
    // Only strings become tags, and only `true` booleans on ca/sa/ma become addresses (V1ThriftSpanReader).
    Ok(match kind {
        6 => Some(V1BinaryAnnotation {
            key,
            value: V1Value::Str(String::from_utf8_lossy(&value).into_owned()),
            endpoint,
        }),
        0 if value == [1] && endpoint.is_some() && matches!(key.as_str(), "ca" | "sa" | "ma") => {
            Some(V1BinaryAnnotation { key, value: V1Value::Bool(true), endpoint })
        }
        _ => None,
    })
}

fn read_endpoint<R: ThriftRead>(r: &mut R) -> Result<Option<Endpoint>> {
    let mut endpoint = Endpoint::default();
    r.struct_begin()?;
    while let Some((ty, field)) = r.field()? {
        match (ty, field) {
            (FieldType::I32, 1) => {
                let ip = r.i32()?;
                endpoint.ipv4 = (ip != 0).then(|| Ipv4Addr::from(ip as u32).to_string());
            }
            (FieldType::I16, 2) => {
                let port = r.i16()? as u16;
                endpoint.port = (port != 0).then_some(port);
            }
            (FieldType::Binary, 3) => endpoint.service_name = Some(r.string()?),
            (FieldType::Binary, 4) => {
                let bytes = r.binary()?;
                if let Ok(ip) = <[u8; 16]>::try_from(bytes) {
                    endpoint.ipv6 = Some(Ipv6Addr::from(ip).to_string());
                }
            }
            (t, _) => r.skip(t)?,
        }
    }
    r.struct_end()?;
    Ok((endpoint != Endpoint::default()).then_some(endpoint))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_inputs_fail_without_panicking() {
        assert!(decode_list(&[]).is_err());
        assert!(decode_list(&[12, 0x7f, 0xff, 0xff, 0xff]).unwrap_err().0.starts_with("Truncated"));
        assert!(decode_list(&[12, 0, 0, 0, 1, 10, 0, 1]).is_err());
        let deep: Vec<u8> =
            [12u8, 0, 0, 0, 1].into_iter().chain(std::iter::repeat_n([12u8, 0, 99], 200).flatten()).collect();
        // (the span's unknown field 99 holds a struct whose field 99 holds a struct...)
        assert!(decode_list(&deep).is_err());
    }

    #[test]
    fn a_minimal_span_decodes() {
        // list<struct>(1) { 1: i64 trace_id = 1, 4: i64 id = 2, 3: string name = "get" }
        let mut m = vec![12, 0, 0, 0, 1];
        m.extend([10, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
        m.extend([10, 0, 4, 0, 0, 0, 0, 0, 0, 0, 2]);
        m.extend([11, 0, 3, 0, 0, 0, 3, b'g', b'e', b't']);
        m.push(0);
        let spans = decode_list(&m).unwrap();
        assert_eq!(spans[0].trace_id, "0000000000000001");
        assert_eq!(spans[0].id, "0000000000000002");
        assert_eq!(spans[0].name.as_deref(), Some("get"));
    }
}
