//! Thrift's compact protocol (`TCompactProtocol`): zigzag varints, field ids as deltas from the previous
//! field's, booleans inside the field header, little-endian doubles. What `jaeger-client` libraries send to
//! the agent's UDP port 6831.
use crate::thrift_protocol::{FieldType, MessageHeader, Result, ThriftError, ThriftRead, MAX_DEPTH};

const PROTOCOL_ID: u8 = 0x82;
const VERSION: u8 = 1;

/// Reads a compact-protocol message held in memory.
pub struct CompactReader<'a> {
    buf: &'a [u8],
    pos: usize,
    /// The id of the last field read in the current struct (ids are sent as deltas from it).
    last_field_id: i16,
    /// The outer structs' last field ids.
    outer_field_ids: Vec<i16>,
    /// A boolean field's value, which came inside its header.
    pending_bool: Option<bool>,
}

impl<'a> CompactReader<'a> {
    pub fn new(buf: &'a [u8]) -> CompactReader<'a> {
        CompactReader { buf, pos: 0, last_field_id: 0, outer_field_ids: Vec::new(), pending_bool: None }
    }

    fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

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

    fn read_u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }

    /// An unsigned LEB128 varint of at most `max_bytes` bytes.
    fn varint(&mut self, max_bytes: usize) -> Result<u64> {
        let start = self.pos;
        let mut value = 0u64;
        for i in 0..max_bytes {
            let b = self.read_u8()?;
            value |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(ThriftError(format!("Malformed: a varint longer than {max_bytes} bytes at offset {start}")))
    }

    fn zigzag(n: u64) -> i64 {
        ((n >> 1) as i64) ^ -((n & 1) as i64)
    }

    fn field_type(&self, code: u8) -> Result<FieldType> {
        Ok(match code {
            1 | 2 => FieldType::Bool,
            3 => FieldType::Byte,
            4 => FieldType::I16,
            5 => FieldType::I32,
            6 => FieldType::I64,
            7 => FieldType::Double,
            8 => FieldType::Binary,
            9 => FieldType::List,
            10 => FieldType::Set,
            11 => FieldType::Map,
            12 => FieldType::Struct,
            other => {
                return Err(ThriftError(format!(
                    "Malformed: unknown compact type {other} at offset {}",
                    self.pos.saturating_sub(1)
                )))
            }
        })
    }

    /// A count of elements that each take at least `per` bytes, checked against what is left.
    fn count(&mut self, n: u64, per: usize) -> Result<usize> {
        match usize::try_from(n) {
            Ok(n) if n.saturating_mul(per) <= self.remaining() => Ok(n),
            _ => Err(ThriftError(format!("Truncated: {n} elements in {} bytes", self.remaining()))),
        }
    }
}

impl ThriftRead for CompactReader<'_> {
    fn struct_begin(&mut self) -> Result<()> {
        if self.outer_field_ids.len() > MAX_DEPTH {
            return Err(ThriftError(format!("Malformed: nested deeper than {MAX_DEPTH} at offset {}", self.pos)));
        }
        self.outer_field_ids.push(self.last_field_id);
        self.last_field_id = 0;
        Ok(())
    }

    fn struct_end(&mut self) -> Result<()> {
        self.last_field_id = self.outer_field_ids.pop().unwrap_or(0);
        Ok(())
    }

    fn field(&mut self) -> Result<Option<(FieldType, i16)>> {
        let header = self.read_u8()?;
        if header == 0 {
            return Ok(None);
        }
        let code = header & 0x0f;
        let ty = self.field_type(code)?;
        let delta = i16::from(header >> 4);
        let id = if delta != 0 { self.last_field_id.wrapping_add(delta) } else { self.i16()? };
        self.last_field_id = id;
        if ty == FieldType::Bool {
            self.pending_bool = Some(code == 1);
        }
        Ok(Some((ty, id)))
    }

    fn bool(&mut self) -> Result<bool> {
        match self.pending_bool.take() {
            Some(b) => Ok(b),
            None => Ok(self.read_u8()? == 1),
        }
    }

    fn byte(&mut self) -> Result<i8> {
        Ok(self.read_u8()? as i8)
    }

    fn i16(&mut self) -> Result<i16> {
        Ok(Self::zigzag(self.varint(5)?) as i16)
    }

    fn i32(&mut self) -> Result<i32> {
        Ok(Self::zigzag(self.varint(5)?) as i32)
    }

    fn i64(&mut self) -> Result<i64> {
        Ok(Self::zigzag(self.varint(10)?))
    }

    fn double(&mut self) -> Result<f64> {
        Ok(f64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }

    fn binary(&mut self) -> Result<&[u8]> {
        let len = self.varint(5)?;
        let len = usize::try_from(len).map_err(|_| ThriftError(format!("Malformed: length {len}")))?;
        self.take(len)
    }

    fn list_begin(&mut self) -> Result<(FieldType, usize)> {
        let header = self.read_u8()?;
        let ty = self.field_type(header & 0x0f)?;
        let short = header >> 4;
        let n = if short == 15 { self.varint(5)? } else { u64::from(short) };
        Ok((ty, self.count(n, 1)?))
    }

    fn map_begin(&mut self) -> Result<(Option<FieldType>, Option<FieldType>, usize)> {
        let n = self.varint(5)?;
        if n == 0 {
            return Ok((None, None, 0));
        }
        let types = self.read_u8()?;
        let (k, v) = (self.field_type(types >> 4)?, self.field_type(types & 0x0f)?);
        Ok((Some(k), Some(v), self.count(n, 2)?))
    }

    fn message_begin(&mut self) -> Result<MessageHeader> {
        let protocol = self.read_u8()?;
        if protocol != PROTOCOL_ID {
            return Err(ThriftError(format!(
                "Malformed: not a compact protocol message (first byte {protocol:#04x}, expected {PROTOCOL_ID:#04x})"
            )));
        }
        let version_and_type = self.read_u8()?;
        if version_and_type & 0x1f != VERSION {
            return Err(ThriftError(format!("Malformed: compact protocol version {}", version_and_type & 0x1f)));
        }
        let message_type = (version_and_type >> 5) & 0x07;
        let seq_id = self.varint(5)? as i32;
        let name = self.string()?;
        Ok(MessageHeader { name, message_type, seq_id })
    }

    fn position(&self) -> usize {
        self.pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_ids_are_deltas_and_nested_structs_start_afresh() {
        // struct { 1: i64 = -2 (zigzag 3), 3: struct { 1: bool true }, 20: i32 = 5 (long form) }
        let bytes = [0x16, 3, 0x2c, 0x11, 0, 0x05, 40, 10, 0];
        let mut r = CompactReader::new(&bytes);
        r.struct_begin().unwrap();
        assert_eq!(r.field().unwrap(), Some((FieldType::I64, 1)));
        assert_eq!(r.i64().unwrap(), -2);
        assert_eq!(r.field().unwrap(), Some((FieldType::Struct, 3)));
        r.struct_begin().unwrap();
        assert_eq!(r.field().unwrap(), Some((FieldType::Bool, 1)));
        assert!(r.bool().unwrap());
        assert_eq!(r.field().unwrap(), None);
        r.struct_end().unwrap();
        assert_eq!(r.field().unwrap(), Some((FieldType::I32, 20)));
        assert_eq!(r.i32().unwrap(), 5);
        assert_eq!(r.field().unwrap(), None);
    }

    #[test]
    fn lists_doubles_and_the_message_header() {
        // A list of 2 strings, a double 1.5, then a oneway message header.
        let mut bytes = vec![0x28, 1, b'a', 2, b'b', b'c'];
        bytes.extend(1.5f64.to_le_bytes());
        bytes.extend([0x82, 0x81, 7, 9]);
        bytes.extend(b"emitBatch");
        let mut r = CompactReader::new(&bytes);
        assert_eq!(r.list_begin().unwrap(), (FieldType::Binary, 2));
        assert_eq!((r.string().unwrap(), r.string().unwrap()), ("a".into(), "bc".into()));
        assert_eq!(r.double().unwrap(), 1.5);
        assert_eq!(r.message_begin().unwrap(), MessageHeader { name: "emitBatch".into(), message_type: 4, seq_id: 7 });
    }

    #[test]
    fn hostile_input_is_an_error() {
        assert!(CompactReader::new(&[0xf8, 0xff, 0xff, 0xff, 0x0f])
            .list_begin()
            .unwrap_err()
            .0
            .starts_with("Truncated"));
        assert!(CompactReader::new(&[0xff; 12]).i64().unwrap_err().0.contains("varint longer"));
        assert!(CompactReader::new(&[0x1d]).field().unwrap_err().0.contains("unknown compact type 13"));
        assert!(CompactReader::new(&[0x80, 0x81]).message_begin().unwrap_err().0.contains("not a compact"));
        let deep = [0x1c; 200];
        assert!(CompactReader::new(&deep).skip(FieldType::Struct).unwrap_err().0.contains("nested deeper"));
    }
}
