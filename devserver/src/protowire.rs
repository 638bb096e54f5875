//! The protobuf wire format, by hand: a reader that names the field it was reading when input is malformed or
//! truncated, and the few writers the devserver's answers need. Zipkin's proto3 (`proto3`) and OTLP
//! (`otlp_proto`) decode on it; both formats are small enough that a code generator would be more than the code.

pub const VARINT: u8 = 0;
pub const FIXED64: u8 = 1;
pub const BYTES: u8 = 2;
pub const FIXED32: u8 = 5;

/// What went wrong, and where: `field` is a path such as `resource_spans[0].scope_spans[1].spans[3].name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WireError {
    pub truncated: bool,
    pub field: String,
    pub problem: String,
}

impl WireError {
    pub fn malformed(field: &str, problem: impl Into<String>) -> WireError {
        WireError { truncated: false, field: field.to_string(), problem: problem.into() }
    }

    fn truncated(field: &str) -> WireError {
        WireError { truncated: true, field: field.to_string(), problem: "runs past the end of the message".into() }
    }

    /// The same error seen from the enclosing message: `outer` (e.g. `spans[3]`) is prefixed to the path.
    pub fn within(mut self, outer: &str) -> WireError {
        self.field = if self.field.is_empty() { outer.to_string() } else { format!("{outer}.{}", self.field) };
        self
    }
}

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = if self.truncated { "Truncated" } else { "Malformed" };
        if self.field.is_empty() {
            write!(f, "{kind}: {}", self.problem)
        } else {
            write!(f, "{kind}: {} {}", self.field, self.problem)
        }
    }
}

pub type Result<T> = std::result::Result<T, WireError>;

/// Reads one message's fields in order: `next_field` gives (number, wire type), then one of the `read_*`
/// methods (which check the wire type) or `skip` consumes the value.
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// The next field's (number, wire type), or `None` at the end of the message.
    pub fn next_field(&mut self) -> Result<Option<(u64, u8)>> {
        if self.pos >= self.buf.len() {
            return Ok(None);
        }
        let key = self.varint("field key")?;
        let number = key >> 3;
        if number == 0 {
            return Err(WireError::malformed("", "field number 0 (not a protobuf message)"));
        }
        Ok(Some((number, (key & 7) as u8)))
    }

    fn varint(&mut self, field: &str) -> Result<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = *self.buf.get(self.pos).ok_or_else(|| WireError::truncated(field))?;
            self.pos += 1;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(WireError::malformed(field, "is a varint longer than 10 bytes"))
    }

    fn take(&mut self, field: &str, n: usize) -> Result<&'a [u8]> {
        let end =
            self.pos.checked_add(n).filter(|e| *e <= self.buf.len()).ok_or_else(|| WireError::truncated(field))?;
        let out = &self.buf[self.pos..end];
        self.pos = end;
        Ok(out)
    }

    fn expect(field: &str, wire_type: u8, want: u8) -> Result<()> {
        if wire_type == want {
            Ok(())
        } else {
            Err(WireError::malformed(field, format!("has wire type {wire_type}, expected {want}")))
        }
    }

    /// A varint field (int32, int64, uint32, uint64, bool, enum).
    pub fn read_varint(&mut self, field: &str, wire_type: u8) -> Result<u64> {
        Self::expect(field, wire_type, VARINT)?;
        self.varint(field)
    }

    /// A `uint32` field; a value past 32 bits is malformed.
    pub fn read_u32(&mut self, field: &str, wire_type: u8) -> Result<u32> {
        let value = self.read_varint(field, wire_type)?;
        u32::try_from(value).map_err(|_| WireError::malformed(field, format!("is {value}, past 32 bits")))
    }

    pub fn read_fixed64(&mut self, field: &str, wire_type: u8) -> Result<u64> {
        Self::expect(field, wire_type, FIXED64)?;
        Ok(u64::from_le_bytes(self.take(field, 8)?.try_into().expect("8 bytes")))
    }

    pub fn read_fixed32(&mut self, field: &str, wire_type: u8) -> Result<u32> {
        Self::expect(field, wire_type, FIXED32)?;
        Ok(u32::from_le_bytes(self.take(field, 4)?.try_into().expect("4 bytes")))
    }

    /// A length-delimited field: bytes, a string or an embedded message.
    pub fn read_bytes(&mut self, field: &str, wire_type: u8) -> Result<&'a [u8]> {
        Self::expect(field, wire_type, BYTES)?;
        let len = self.varint(field)?;
        self.take(field, usize::try_from(len).map_err(|_| WireError::truncated(field))?)
    }

    pub fn read_string(&mut self, field: &str, wire_type: u8) -> Result<String> {
        let bytes = self.read_bytes(field, wire_type)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| WireError::malformed(field, "is not UTF-8"))
    }

    /// Skips a field this decoder does not read (unknown fields are ignored, as protobuf requires).
    pub fn skip(&mut self, number: u64, wire_type: u8) -> Result<()> {
        let field = format!("field {number}");
        match wire_type {
            VARINT => self.varint(&field).map(drop),
            FIXED64 => self.take(&field, 8).map(drop),
            BYTES => self.read_bytes(&field, wire_type).map(drop),
            FIXED32 => self.take(&field, 4).map(drop),
            other => Err(WireError::malformed(&field, format!("has unsupported wire type {other}"))),
        }
    }
}

/// Lower-case hex of some bytes (how ids are written everywhere else).
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes.iter().fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

/// Appends a varint.
pub fn write_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn write_key(out: &mut Vec<u8>, number: u64, wire_type: u8) {
    write_varint(out, number << 3 | u64::from(wire_type));
}

/// Appends a varint field (skipped when zero, as proto3 writes defaults).
pub fn write_varint_field(out: &mut Vec<u8>, number: u64, value: u64) {
    if value != 0 {
        write_key(out, number, VARINT);
        write_varint(out, value);
    }
}

/// Appends a length-delimited field (skipped when empty).
pub fn write_bytes_field(out: &mut Vec<u8>, number: u64, bytes: &[u8]) {
    if !bytes.is_empty() {
        write_key(out, number, BYTES);
        write_varint(out, bytes.len() as u64);
        out.extend_from_slice(bytes);
    }
}

/// Appends a `fixed64` field (skipped when zero).
pub fn write_fixed64_field(out: &mut Vec<u8>, number: u64, value: u64) {
    if value != 0 {
        write_key(out, number, FIXED64);
        out.extend_from_slice(&value.to_le_bytes());
    }
}

/// Appends a `fixed32` field (skipped when zero).
pub fn write_fixed32_field(out: &mut Vec<u8>, number: u64, value: u32) {
    if value != 0 {
        write_key(out, number, FIXED32);
        out.extend_from_slice(&value.to_le_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_fields_read_back() {
        let mut out = Vec::new();
        write_varint_field(&mut out, 1, 300);
        write_bytes_field(&mut out, 2, b"hi");
        write_varint_field(&mut out, 3, 0);
        write_bytes_field(&mut out, 4, b"");
        assert_eq!(out, [8, 0xac, 2, 18, 2, b'h', b'i']);
        let mut r = Reader::new(&out);
        let (n, w) = r.next_field().unwrap().unwrap();
        assert_eq!((n, r.read_varint("a", w).unwrap()), (1, 300));
        let (n, w) = r.next_field().unwrap().unwrap();
        assert_eq!((n, r.read_string("b", w).unwrap()), (2, "hi".to_string()));
        assert_eq!(r.next_field().unwrap(), None);
    }

    #[test]
    fn errors_name_the_field_and_its_path() {
        let mut r = Reader::new(&[18, 5, b'a']);
        let (_, w) = r.next_field().unwrap().unwrap();
        let e = r.read_bytes("name", w).unwrap_err().within("spans[2]");
        assert_eq!(e.to_string(), "Truncated: spans[2].name runs past the end of the message");
        let mut r = Reader::new(&[8, 1]);
        let (_, w) = r.next_field().unwrap().unwrap();
        assert_eq!(r.read_bytes("name", w).unwrap_err().to_string(), "Malformed: name has wire type 0, expected 2");
        let mut r = Reader::new(&[8, 0x80, 0x80, 0x80, 0x80, 0x80]);
        r.next_field().unwrap();
        assert_eq!(
            r.read_u32("count", 0).unwrap_err().to_string(),
            "Truncated: count runs past the end of the message"
        );
        assert_eq!(
            Reader::new(&[0]).next_field().unwrap_err().to_string(),
            "Malformed: field number 0 (not a protobuf message)"
        );
        assert_eq!(hex(&[0, 0xab, 0x10]), "00ab10");
    }
}
