//! A decoder for Zipkin's v1 thrift spans (`zipkinCore.thrift`, TBinaryProtocol, as `V1ThriftSpanReader`
//! reads them) into the domain's v1 span, which the domain's `V1SpanConverter` port turns into v2 spans.
use spanscope_domain::span::Endpoint;
use spanscope_domain::v1::{V1Annotation, V1BinaryAnnotation, V1Span, V1Value};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A malformed or truncated message; the text says what was wrong where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThriftError(pub String);

impl std::fmt::Display for ThriftError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Result<T> = std::result::Result<T, ThriftError>;

const STOP: u8 = 0;
const BOOL: u8 = 2;
const BYTE: u8 = 3;
const DOUBLE: u8 = 4;
const I16: u8 = 6;
const I32: u8 = 8;
const I64: u8 = 10;
const STRING: u8 = 11;
const STRUCT: u8 = 12;
const MAP: u8 = 13;
const SET: u8 = 14;
const LIST: u8 = 15;

/// Nesting deeper than this is not a Zipkin span (and would let a hostile body exhaust the stack).
const MAX_DEPTH: usize = 64;

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|e| *e <= self.buf.len())
            .ok_or_else(|| ThriftError(format!("Truncated: {n} bytes wanted at offset {}", self.pos)))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn byte(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    fn i16(&mut self) -> Result<i16> {
        Ok(i16::from_be_bytes(self.take(2)?.try_into().expect("2 bytes")))
    }

    fn i32(&mut self) -> Result<i32> {
        Ok(i32::from_be_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }

    fn i64(&mut self) -> Result<i64> {
        Ok(i64::from_be_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }

    fn length(&mut self) -> Result<usize> {
        let len = self.i32()?;
        usize::try_from(len).map_err(|_| ThriftError(format!("Malformed: negative length {len}")))
    }

    fn binary(&mut self) -> Result<&'a [u8]> {
        let len = self.length()?;
        self.take(len)
    }

    fn string(&mut self) -> Result<String> {
        Ok(String::from_utf8_lossy(self.binary()?).into_owned())
    }

    /// Returns (type, field id); the id is meaningless for STOP.
    fn field(&mut self) -> Result<(u8, i16)> {
        let ty = self.byte()?;
        if ty == STOP {
            return Ok((STOP, 0));
        }
        Ok((ty, self.i16()?))
    }

    /// A list header: (element type, count). The count is checked against the bytes left, so a
    /// hostile count cannot make us allocate.
    fn list_header(&mut self) -> Result<(u8, usize)> {
        let ty = self.byte()?;
        let n = self.length()?;
        if n > self.buf.len() - self.pos {
            return Err(ThriftError(format!(
                "Truncated: a list of {n} elements in {} bytes",
                self.buf.len() - self.pos
            )));
        }
        Ok((ty, n))
    }

    fn skip(&mut self, ty: u8, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(ThriftError("Malformed: nested too deeply".into()));
        }
        match ty {
            BOOL | BYTE => self.take(1).map(drop),
            I16 => self.take(2).map(drop),
            I32 => self.take(4).map(drop),
            DOUBLE | I64 => self.take(8).map(drop),
            STRING => self.binary().map(drop),
            STRUCT => loop {
                let (t, _) = self.field()?;
                if t == STOP {
                    return Ok(());
                }
                self.skip(t, depth + 1)?;
            },
            MAP => {
                let (k, v) = (self.byte()?, self.byte()?);
                let n = self.length()?;
                for _ in 0..n {
                    self.skip(k, depth + 1)?;
                    self.skip(v, depth + 1)?;
                }
                Ok(())
            }
            SET | LIST => {
                let (t, n) = self.list_header()?;
                for _ in 0..n {
                    self.skip(t, depth + 1)?;
                }
                Ok(())
            }
            other => Err(ThriftError(format!("Malformed: unknown thrift type {other} at offset {}", self.pos))),
        }
    }
}

fn hex16(v: i64) -> String {
    format!("{:016x}", v as u64)
}

/// Decodes a TBinaryProtocol `list<Span>`, the body older clients POST to `/api/v1/spans`.
pub fn decode_list(message: &[u8]) -> Result<Vec<V1Span>> {
    let mut r = Reader { buf: message, pos: 0 };
    let (ty, n) = r.list_header()?;
    if ty != STRUCT {
        return Err(ThriftError(format!("Malformed: expected a list of structs, found element type {ty}")));
    }
    let mut spans = Vec::with_capacity(n.min(1 << 16));
    for _ in 0..n {
        spans.push(read_span(&mut r)?);
    }
    Ok(spans)
}

fn read_span(r: &mut Reader) -> Result<V1Span> {
    let mut span = V1Span::default();
    let (mut trace_id, mut trace_id_high, mut id) = (0i64, 0i64, 0i64);
    loop {
        let (ty, field) = r.field()?;
        match (ty, field) {
            (STOP, _) => break,
            (I64, 1) => trace_id = r.i64()?,
            (STRING, 3) => span.name = Some(r.string()?),
            (I64, 4) => id = r.i64()?,
            (I64, 5) => {
                let parent = r.i64()?;
                span.parent_id = (parent != 0).then(|| hex16(parent));
            }
            (LIST, 6) => {
                let (t, n) = r.list_header()?;
                for _ in 0..n {
                    if t != STRUCT {
                        r.skip(t, 1)?;
                    } else if let Some(a) = read_annotation(r)? {
                        span.annotations.push(a);
                    }
                }
            }
            (LIST, 8) => {
                let (t, n) = r.list_header()?;
                for _ in 0..n {
                    if t != STRUCT {
                        r.skip(t, 1)?;
                    } else if let Some(b) = read_binary_annotation(r)? {
                        span.binary_annotations.push(b);
                    }
                }
            }
            (BOOL, 9) => span.debug = Some(r.byte()? == 1),
            (I64, 10) => span.timestamp = u64::try_from(r.i64()?).ok().filter(|t| *t > 0),
            (I64, 11) => span.duration = u64::try_from(r.i64()?).ok().filter(|d| *d > 0),
            (I64, 12) => trace_id_high = r.i64()?,
            (t, _) => r.skip(t, 1)?,
        }
    }
    if trace_id == 0 && trace_id_high == 0 {
        return Err(ThriftError("Malformed: a span has no trace_id".into()));
    }
    span.trace_id =
        if trace_id_high != 0 { format!("{}{}", hex16(trace_id_high), hex16(trace_id)) } else { hex16(trace_id) };
    span.id = hex16(id);
    Ok(span)
}

fn read_annotation(r: &mut Reader) -> Result<Option<V1Annotation>> {
    let (mut timestamp, mut value, mut endpoint) = (0i64, None, None);
    loop {
        let (ty, field) = r.field()?;
        match (ty, field) {
            (STOP, _) => break,
            (I64, 1) => timestamp = r.i64()?,
            (STRING, 2) => value = Some(r.string()?),
            (STRUCT, 3) => endpoint = read_endpoint(r)?,
            (t, _) => r.skip(t, 2)?,
        }
    }
    // V1ThriftSpanReader drops an annotation without timestamp or value.
    Ok(match (u64::try_from(timestamp).ok().filter(|t| *t > 0), value) {
        (Some(timestamp), Some(value)) => Some(V1Annotation { timestamp, value, endpoint }),
        _ => None,
    })
}

fn read_binary_annotation(r: &mut Reader) -> Result<Option<V1BinaryAnnotation>> {
    let (mut key, mut value, mut kind, mut endpoint) = (None, None, -1, None);
    loop {
        let (ty, field) = r.field()?;
        match (ty, field) {
            (STOP, _) => break,
            (STRING, 1) => key = Some(r.string()?),
            (STRING, 2) => value = Some(r.binary()?.to_vec()),
            (I32, 3) => kind = r.i32()?,
            (STRUCT, 4) => endpoint = read_endpoint(r)?,
            (t, _) => r.skip(t, 2)?,
        }
    }
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

fn read_endpoint(r: &mut Reader) -> Result<Option<Endpoint>> {
    let mut endpoint = Endpoint::default();
    loop {
        let (ty, field) = r.field()?;
        match (ty, field) {
            (STOP, _) => break,
            (I32, 1) => {
                let ip = r.i32()?;
                endpoint.ipv4 = (ip != 0).then(|| Ipv4Addr::from(ip as u32).to_string());
            }
            (I16, 2) => {
                let port = r.i16()? as u16;
                endpoint.port = (port != 0).then_some(port);
            }
            (STRING, 3) => endpoint.service_name = Some(r.string()?),
            (STRING, 4) => {
                let bytes = r.binary()?;
                if let Ok(ip) = <[u8; 16]>::try_from(bytes) {
                    endpoint.ipv6 = Some(Ipv6Addr::from(ip).to_string());
                }
            }
            (t, _) => r.skip(t, 3)?,
        }
    }
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
