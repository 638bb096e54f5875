//! A decoder for Zipkin's proto3 `ListOfSpans` (`zipkin.proto`, as `Proto3ZipkinFields` reads it), written by
//! hand: the format is small and only the devserver reads it, so a code generator would be more than the code.
use crate::protowire::{hex, Reader, Result, WireError};
use spanscope_domain::span::{Annotation, Endpoint, Kind, Span};
use std::net::{Ipv4Addr, Ipv6Addr};

fn id_hex(field: &str, bytes: &[u8], sizes: &[usize]) -> Result<String> {
    if sizes.contains(&bytes.len()) {
        Ok(hex(bytes))
    } else {
        Err(WireError::malformed(field, format!("must be {sizes:?} bytes, was {}", bytes.len())))
    }
}

/// Decodes a `ListOfSpans` message (field 1, repeated `Span`). An empty message is an empty list.
pub fn decode_list(message: &[u8]) -> Result<Vec<Span>> {
    let mut reader = Reader::new(message);
    let mut spans = Vec::new();
    while let Some((field, wire_type)) = reader.next_field()? {
        if field == 1 {
            let at = format!("spans[{}]", spans.len());
            let bytes = reader.read_bytes(&at, wire_type)?;
            spans.push(decode_span(bytes).map_err(|e| e.within(&at))?);
        } else {
            reader.skip(field, wire_type)?;
        }
    }
    Ok(spans)
}

fn decode_span(bytes: &[u8]) -> Result<Span> {
    let mut r = Reader::new(bytes);
    let mut span = Span::default();
    while let Some((field, wire_type)) = r.next_field()? {
        match field {
            1 => span.trace_id = id_hex("trace_id", r.read_bytes("trace_id", wire_type)?, &[8, 16])?,
            2 => span.parent_id = Some(id_hex("parent_id", r.read_bytes("parent_id", wire_type)?, &[8])?),
            3 => span.id = id_hex("id", r.read_bytes("id", wire_type)?, &[8])?,
            4 => {
                span.kind = match r.read_varint("kind", wire_type)? {
                    1 => Some(Kind::Client),
                    2 => Some(Kind::Server),
                    3 => Some(Kind::Producer),
                    4 => Some(Kind::Consumer),
                    _ => None, // SPAN_KIND_UNSPECIFIED, or a kind newer than this decoder
                };
            }
            5 => span.name = Some(r.read_string("name", wire_type)?),
            6 => span.timestamp = Some(r.read_fixed64("timestamp", wire_type)?),
            7 => span.duration = Some(r.read_varint("duration", wire_type)?),
            8 => {
                span.local_endpoint =
                    Some(decode_endpoint(r.read_bytes("local_endpoint", wire_type)?, "local_endpoint")?)
            }
            9 => {
                span.remote_endpoint =
                    Some(decode_endpoint(r.read_bytes("remote_endpoint", wire_type)?, "remote_endpoint")?)
            }
            10 => {
                let at = format!("annotations[{}]", span.annotations.len());
                let bytes = r.read_bytes(&at, wire_type)?;
                span.annotations.push(decode_annotation(bytes).map_err(|e| e.within(&at))?);
            }
            11 => {
                let (key, value) = decode_tag(r.read_bytes("tags", wire_type)?).map_err(|e| e.within("tags"))?;
                span.tags.insert(key, value);
            }
            12 => span.debug = Some(r.read_varint("debug", wire_type)? != 0),
            13 => span.shared = Some(r.read_varint("shared", wire_type)? != 0),
            _ => r.skip(field, wire_type)?,
        }
    }
    if span.trace_id.is_empty() || span.id.is_empty() {
        return Err(WireError::malformed("", "a span lacks trace_id or id"));
    }
    Ok(span)
}

fn decode_endpoint(bytes: &[u8], at: &str) -> Result<Endpoint> {
    let mut r = Reader::new(bytes);
    let mut endpoint = Endpoint::default();
    let within = |e: WireError| e.within(at);
    while let Some((field, wire_type)) = r.next_field().map_err(within)? {
        match field {
            1 => endpoint.service_name = Some(r.read_string("service_name", wire_type).map_err(within)?),
            2 => {
                let ip: [u8; 4] = r
                    .read_bytes("ipv4", wire_type)
                    .map_err(within)?
                    .try_into()
                    .map_err(|_| WireError::malformed("ipv4", "must be 4 bytes").within(at))?;
                endpoint.ipv4 = Some(Ipv4Addr::from(ip).to_string());
            }
            3 => {
                let ip: [u8; 16] = r
                    .read_bytes("ipv6", wire_type)
                    .map_err(within)?
                    .try_into()
                    .map_err(|_| WireError::malformed("ipv6", "must be 16 bytes").within(at))?;
                endpoint.ipv6 = Some(Ipv6Addr::from(ip).to_string());
            }
            4 => endpoint.port = u16::try_from(r.read_varint("port", wire_type).map_err(within)?).ok(),
            _ => r.skip(field, wire_type).map_err(within)?,
        }
    }
    Ok(endpoint)
}

fn decode_annotation(bytes: &[u8]) -> Result<Annotation> {
    let mut r = Reader::new(bytes);
    let (mut timestamp, mut value) = (0, String::new());
    while let Some((field, wire_type)) = r.next_field()? {
        match field {
            1 => timestamp = r.read_fixed64("timestamp", wire_type)?,
            2 => value = r.read_string("value", wire_type)?,
            _ => r.skip(field, wire_type)?,
        }
    }
    Ok(Annotation { timestamp, value })
}

fn decode_tag(bytes: &[u8]) -> Result<(String, String)> {
    let mut r = Reader::new(bytes);
    let (mut key, mut value) = (String::new(), String::new());
    while let Some((field, wire_type)) = r.next_field()? {
        match field {
            1 => key = r.read_string("key", wire_type)?,
            2 => value = r.read_string("value", wire_type)?,
            _ => r.skip(field, wire_type)?,
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
        assert_eq!(
            decode_list(&message).unwrap_err().to_string(),
            "Truncated: spans[0] runs past the end of the message"
        );
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
