//! A decoder for Zipkin's proto3 `ListOfSpans` (`zipkin.proto`, as `Proto3ZipkinFields` reads it), written by
//! hand: the format is small and only the devserver reads it, so a code generator would be more than the code.
use spanscope_domain::span::{Annotation, Endpoint, Kind, Span};
use std::net::{Ipv4Addr, Ipv6Addr};

/// A malformed or truncated message; the text names the field and what was wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proto3Error(pub String);

impl std::fmt::Display for Proto3Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

type Result<T> = std::result::Result<T, Proto3Error>;

const VARINT: u8 = 0;
const FIXED64: u8 = 1;
const BYTES: u8 = 2;
const FIXED32: u8 = 5;

struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    fn done(&self) -> bool {
        self.pos >= self.buf.len()
    }

    fn varint(&mut self) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.buf.get(self.pos).ok_or_else(|| truncated("varint"))?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Proto3Error("Malformed: varint longer than 10 bytes".into()))
    }

    fn fixed64(&mut self) -> Result<u64> {
        let bytes = self.take(8)?;
        Ok(u64::from_le_bytes(bytes.try_into().expect("8 bytes")))
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|e| *e <= self.buf.len()).ok_or_else(|| truncated("field"))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn length_delimited(&mut self) -> Result<&'a [u8]> {
        let len = self.varint()?;
        self.take(usize::try_from(len).map_err(|_| truncated("length"))?)
    }

    /// Returns (field number, wire type).
    fn key(&mut self) -> Result<(u64, u8)> {
        let key = self.varint()?;
        Ok((key >> 3, (key & 7) as u8))
    }

    fn skip(&mut self, wire_type: u8) -> Result<()> {
        match wire_type {
            VARINT => self.varint().map(drop),
            FIXED64 => self.take(8).map(drop),
            BYTES => self.length_delimited().map(drop),
            FIXED32 => self.take(4).map(drop),
            other => Err(Proto3Error(format!("Malformed: unsupported wire type {other}"))),
        }
    }
}

fn truncated(what: &str) -> Proto3Error {
    Proto3Error(format!("Truncated: reading {what} past the end of the message"))
}

fn expect(field: &str, wire_type: u8, want: u8) -> Result<()> {
    if wire_type == want {
        Ok(())
    } else {
        Err(Proto3Error(format!("Malformed: {field} has wire type {wire_type}, expected {want}")))
    }
}

fn utf8(field: &str, bytes: &[u8]) -> Result<String> {
    String::from_utf8(bytes.to_vec()).map_err(|_| Proto3Error(format!("Malformed: {field} is not UTF-8")))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn id_hex(field: &str, bytes: &[u8], sizes: &[usize]) -> Result<String> {
    if sizes.contains(&bytes.len()) {
        Ok(hex(bytes))
    } else {
        Err(Proto3Error(format!("Malformed: {field} must be {sizes:?} bytes, was {}", bytes.len())))
    }
}

/// Decodes a `ListOfSpans` message (field 1, repeated `Span`). An empty message is an empty list.
pub fn decode_list(message: &[u8]) -> Result<Vec<Span>> {
    let mut reader = Reader::new(message);
    let mut spans = Vec::new();
    while !reader.done() {
        let (field, wire_type) = reader.key()?;
        if field == 1 {
            expect("spans", wire_type, BYTES)?;
            spans.push(decode_span(reader.length_delimited()?)?);
        } else {
            reader.skip(wire_type)?;
        }
    }
    Ok(spans)
}

fn decode_span(bytes: &[u8]) -> Result<Span> {
    let mut r = Reader::new(bytes);
    let mut span = Span::default();
    while !r.done() {
        let (field, wire_type) = r.key()?;
        match field {
            1 => {
                expect("trace_id", wire_type, BYTES)?;
                span.trace_id = id_hex("trace_id", r.length_delimited()?, &[8, 16])?;
            }
            2 => {
                expect("parent_id", wire_type, BYTES)?;
                span.parent_id = Some(id_hex("parent_id", r.length_delimited()?, &[8])?);
            }
            3 => {
                expect("id", wire_type, BYTES)?;
                span.id = id_hex("id", r.length_delimited()?, &[8])?;
            }
            4 => {
                expect("kind", wire_type, VARINT)?;
                span.kind = match r.varint()? {
                    1 => Some(Kind::Client),
                    2 => Some(Kind::Server),
                    3 => Some(Kind::Producer),
                    4 => Some(Kind::Consumer),
                    _ => None, // SPAN_KIND_UNSPECIFIED, or a kind newer than this decoder
                };
            }
            5 => {
                expect("name", wire_type, BYTES)?;
                span.name = Some(utf8("name", r.length_delimited()?)?);
            }
            6 => {
                expect("timestamp", wire_type, FIXED64)?;
                span.timestamp = Some(r.fixed64()?);
            }
            7 => {
                expect("duration", wire_type, VARINT)?;
                span.duration = Some(r.varint()?);
            }
            8 => {
                expect("local_endpoint", wire_type, BYTES)?;
                span.local_endpoint = Some(decode_endpoint(r.length_delimited()?)?);
            }
            9 => {
                expect("remote_endpoint", wire_type, BYTES)?;
                span.remote_endpoint = Some(decode_endpoint(r.length_delimited()?)?);
            }
            10 => {
                expect("annotations", wire_type, BYTES)?;
                span.annotations.push(decode_annotation(r.length_delimited()?)?);
            }
            11 => {
                expect("tags", wire_type, BYTES)?;
                let (key, value) = decode_tag(r.length_delimited()?)?;
                span.tags.insert(key, value);
            }
            12 => {
                expect("debug", wire_type, VARINT)?;
                span.debug = Some(r.varint()? != 0);
            }
            13 => {
                expect("shared", wire_type, VARINT)?;
                span.shared = Some(r.varint()? != 0);
            }
            _ => r.skip(wire_type)?,
        }
    }
    if span.trace_id.is_empty() || span.id.is_empty() {
        return Err(Proto3Error("Malformed: a span lacks trace_id or id".into()));
    }
    Ok(span)
}

fn decode_endpoint(bytes: &[u8]) -> Result<Endpoint> {
    let mut r = Reader::new(bytes);
    let mut endpoint = Endpoint::default();
    while !r.done() {
        let (field, wire_type) = r.key()?;
        match field {
            1 => {
                expect("service_name", wire_type, BYTES)?;
                endpoint.service_name = Some(utf8("service_name", r.length_delimited()?)?);
            }
            2 => {
                expect("ipv4", wire_type, BYTES)?;
                let ip: [u8; 4] = r
                    .length_delimited()?
                    .try_into()
                    .map_err(|_| Proto3Error("Malformed: ipv4 must be 4 bytes".into()))?;
                endpoint.ipv4 = Some(Ipv4Addr::from(ip).to_string());
            }
            3 => {
                expect("ipv6", wire_type, BYTES)?;
                let ip: [u8; 16] = r
                    .length_delimited()?
                    .try_into()
                    .map_err(|_| Proto3Error("Malformed: ipv6 must be 16 bytes".into()))?;
                endpoint.ipv6 = Some(Ipv6Addr::from(ip).to_string());
            }
            4 => {
                expect("port", wire_type, VARINT)?;
                endpoint.port = u16::try_from(r.varint()?).ok();
            }
            _ => r.skip(wire_type)?,
        }
    }
    Ok(endpoint)
}

fn decode_annotation(bytes: &[u8]) -> Result<Annotation> {
    let mut r = Reader::new(bytes);
    let (mut timestamp, mut value) = (0, String::new());
    while !r.done() {
        let (field, wire_type) = r.key()?;
        match field {
            1 => {
                expect("annotation timestamp", wire_type, FIXED64)?;
                timestamp = r.fixed64()?;
            }
            2 => {
                expect("annotation value", wire_type, BYTES)?;
                value = utf8("annotation value", r.length_delimited()?)?;
            }
            _ => r.skip(wire_type)?,
        }
    }
    Ok(Annotation { timestamp, value })
}

fn decode_tag(bytes: &[u8]) -> Result<(String, String)> {
    let mut r = Reader::new(bytes);
    let (mut key, mut value) = (String::new(), String::new());
    while !r.done() {
        let (field, wire_type) = r.key()?;
        match field {
            1 => {
                expect("tag key", wire_type, BYTES)?;
                key = utf8("tag key", r.length_delimited()?)?;
            }
            2 => {
                expect("tag value", wire_type, BYTES)?;
                value = utf8("tag value", r.length_delimited()?)?;
            }
            _ => r.skip(wire_type)?,
        }
    }
    Ok((key, value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncated_input_is_an_error_not_a_panic() {
        let message = [10u8, 20, 10, 8, 1, 2, 3];
        assert!(decode_list(&message).unwrap_err().0.starts_with("Truncated"));
        for len in 0..message.len() {
            let _ = decode_list(&message[..len]);
        }
        assert_eq!(decode_list(&[]).unwrap(), vec![]);
    }

    #[test]
    fn a_minimal_span_decodes() {
        // span { trace_id: 8 bytes, id: 8 bytes, kind: SERVER, name: "get" }
        let mut span = vec![10, 8, 0, 0, 0, 0, 0, 0, 0, 1, 26, 8, 0, 0, 0, 0, 0, 0, 0, 2, 32, 2, 42, 3];
        span.extend_from_slice(b"get");
        let mut message = vec![10, span.len() as u8];
        message.extend(span);
        let spans = decode_list(&message).unwrap();
        assert_eq!(spans[0].trace_id, "0000000000000001");
        assert_eq!(spans[0].id, "0000000000000002");
        assert_eq!(spans[0].kind, Some(Kind::Server));
        assert_eq!(spans[0].name.as_deref(), Some("get"));
    }
}
