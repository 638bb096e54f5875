//! Thrift's binary protocol (`TBinaryProtocol`): big-endian integers, i32 length prefixes, one type byte and
//! an i16 id per field. What Zipkin's v1 thrift spans and the Jaeger collector's `POST /api/traces` bodies use.
use crate::thrift_protocol::{FieldType, MessageHeader, Result, ThriftError, ThriftRead};

/// Reads a binary-protocol message held in memory.
pub struct BinaryReader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> BinaryReader<'a> {
    pub fn new(buf: &'a [u8]) -> BinaryReader<'a> {
        BinaryReader { buf, pos: 0 }
    }

    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
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

    fn array<const N: usize>(&mut self) -> Result<[u8; N]> {
        Ok(self.take(N)?.try_into().expect("N bytes"))
    }

    fn length(&mut self) -> Result<usize> {
        let len = self.i32()?;
        usize::try_from(len)
            .map_err(|_| ThriftError(format!("Malformed: negative length {len} at offset {}", self.pos)))
    }

    fn field_type(&mut self, code: u8) -> Result<FieldType> {
        FieldType::from_binary_code(code)
            .ok_or_else(|| ThriftError(format!("Malformed: unknown thrift type {code} at offset {}", self.pos - 1)))
    }

    /// A count of elements that each take at least `per` bytes, checked against what is left.
    fn count(&mut self, per: usize) -> Result<usize> {
        let n = self.length()?;
        if n.saturating_mul(per) > self.remaining() {
            return Err(ThriftError(format!("Truncated: {n} elements in {} bytes", self.remaining())));
        }
        Ok(n)
    }
}

impl ThriftRead for BinaryReader<'_> {
    fn struct_begin(&mut self) -> Result<()> {
        Ok(())
    }

    fn struct_end(&mut self) -> Result<()> {
        Ok(())
    }

    fn field(&mut self) -> Result<Option<(FieldType, i16)>> {
        let code = self.array::<1>()?[0];
        if code == 0 {
            return Ok(None);
        }
        let ty = self.field_type(code)?;
        Ok(Some((ty, self.i16()?)))
    }

    fn bool(&mut self) -> Result<bool> {
        Ok(self.array::<1>()?[0] == 1)
    }

    fn byte(&mut self) -> Result<i8> {
        Ok(self.array::<1>()?[0] as i8)
    }

    fn i16(&mut self) -> Result<i16> {
        Ok(i16::from_be_bytes(self.array()?))
    }

    fn i32(&mut self) -> Result<i32> {
        Ok(i32::from_be_bytes(self.array()?))
    }

    fn i64(&mut self) -> Result<i64> {
        Ok(i64::from_be_bytes(self.array()?))
    }

    fn double(&mut self) -> Result<f64> {
        Ok(f64::from_be_bytes(self.array()?))
    }

    fn binary(&mut self) -> Result<&[u8]> {
        let len = self.length()?;
        self.take(len)
    }

    fn list_begin(&mut self) -> Result<(FieldType, usize)> {
        let code = self.array::<1>()?[0];
        let ty = self.field_type(code)?;
        Ok((ty, self.count(1)?))
    }

    fn map_begin(&mut self) -> Result<(Option<FieldType>, Option<FieldType>, usize)> {
        let [k, v] = self.array::<2>()?;
        let (k, v) = (self.field_type(k)?, self.field_type(v)?);
        Ok((Some(k), Some(v), self.count(2)?))
    }

    fn message_begin(&mut self) -> Result<MessageHeader> {
        let first = self.i32()?;
        if first < 0 {
            // Strict: version and type in one word, then the name and the sequence id.
            let version = (first as u32) & 0xffff_0000;
            if version != 0x8001_0000 {
                return Err(ThriftError(format!("Malformed: bad binary protocol version {version:#x}")));
            }
            let message_type = (first & 0xff) as u8;
            let name = self.string()?;
            Ok(MessageHeader { name, message_type, seq_id: self.i32()? })
        } else {
            // Old style: the name's length first, then the name, the type byte and the sequence id.
            let name = String::from_utf8_lossy(self.take(first as usize)?).into_owned();
            let message_type = self.array::<1>()?[0];
            Ok(MessageHeader { name, message_type, seq_id: self.i32()? })
        }
    }

    fn position(&self) -> usize {
        self.pos
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_read_big_endian_with_length_prefixes() {
        let mut bytes = vec![10, 0, 3];
        bytes.extend(7i64.to_be_bytes());
        bytes.extend([11, 0, 1, 0, 0, 0, 2, b'h', b'i', 0]);
        let mut r = BinaryReader::new(&bytes);
        assert_eq!(r.field().unwrap(), Some((FieldType::I64, 3)));
        assert_eq!(r.i64().unwrap(), 7);
        assert_eq!(r.field().unwrap(), Some((FieldType::Binary, 1)));
        assert_eq!(r.string().unwrap(), "hi");
        assert_eq!(r.field().unwrap(), None);
    }

    #[test]
    fn hostile_counts_and_types_are_errors() {
        assert!(BinaryReader::new(&[12, 0x7f, 0xff, 0xff, 0xff]).list_begin().unwrap_err().0.starts_with("Truncated"));
        assert!(BinaryReader::new(&[12, 0xff, 0xff, 0xff, 0xff]).list_begin().unwrap_err().0.contains("negative"));
        assert!(BinaryReader::new(&[99, 0, 1]).field().unwrap_err().0.contains("unknown thrift type 99"));
        let deep: Vec<u8> = std::iter::repeat_n([12u8, 0, 1], 200).flatten().collect();
        assert!(BinaryReader::new(&deep).skip(FieldType::Struct).unwrap_err().0.contains("nested deeper"));
    }

    #[test]
    fn both_message_header_styles_read() {
        let mut strict = vec![0x80, 0x01, 0x00, 0x04, 0, 0, 0, 1, b'f'];
        strict.extend(9i32.to_be_bytes());
        let header = BinaryReader::new(&strict).message_begin().unwrap();
        assert_eq!(header, MessageHeader { name: "f".into(), message_type: 4, seq_id: 9 });
        let old = [0, 0, 0, 1, b'g', 1, 0, 0, 0, 2];
        let header = BinaryReader::new(&old).message_begin().unwrap();
        assert_eq!(header, MessageHeader { name: "g".into(), message_type: 1, seq_id: 2 });
    }
}
