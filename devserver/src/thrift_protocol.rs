//! What the Thrift readers share: the field types (named by the binary protocol's codes, which the compact
//! reader maps its own onto), the error, and `ThriftRead`, the reading interface that the message decoders
//! (`thrift` for Zipkin's spans, `jaeger_thrift` for Jaeger's batches) are written against, so that each
//! reads the binary (`thrift_binary`) and the compact (`thrift_compact`) protocol alike.

/// A malformed or truncated message; the text says what was wrong where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThriftError(pub String);

impl std::fmt::Display for ThriftError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub type Result<T> = std::result::Result<T, ThriftError>;

/// Thrift's field types, by their binary-protocol codes (`TType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    Bool,
    Byte,
    Double,
    I16,
    I32,
    I64,
    /// `string` and `binary`: both length-prefixed bytes.
    Binary,
    Struct,
    Map,
    Set,
    List,
}

impl FieldType {
    /// The type of a binary-protocol code; `None` for STOP and unknown codes.
    pub fn from_binary_code(code: u8) -> Option<FieldType> {
        Some(match code {
            2 => FieldType::Bool,
            3 => FieldType::Byte,
            4 => FieldType::Double,
            6 => FieldType::I16,
            8 => FieldType::I32,
            10 => FieldType::I64,
            11 => FieldType::Binary,
            12 => FieldType::Struct,
            13 => FieldType::Map,
            14 => FieldType::Set,
            15 => FieldType::List,
            _ => return None,
        })
    }
}

/// Nesting deeper than this is no span of Zipkin's or Jaeger's (and would let a hostile message exhaust the
/// stack).
pub const MAX_DEPTH: usize = 64;

/// A message's header (`TMessage`): the called method and the call's type (1 call, 4 oneway).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageHeader {
    pub name: String,
    pub message_type: u8,
    pub seq_id: i32,
}

/// Reading one protocol. A struct is read as `struct_begin`, `field` until it gives `None` (STOP), each
/// field's value by its type (or `skip`), then `struct_end`. Counts of lists and maps are checked against the
/// bytes left (every element takes at least one byte in both protocols, bar compact booleans, checked too),
/// so a hostile count never makes a reader allocate or loop past the message.
pub trait ThriftRead {
    fn struct_begin(&mut self) -> Result<()>;
    fn struct_end(&mut self) -> Result<()>;
    /// The next field's type and id, `None` at STOP. An unknown type is an error (it cannot be skipped).
    fn field(&mut self) -> Result<Option<(FieldType, i16)>>;
    fn bool(&mut self) -> Result<bool>;
    fn byte(&mut self) -> Result<i8>;
    fn i16(&mut self) -> Result<i16>;
    fn i32(&mut self) -> Result<i32>;
    fn i64(&mut self) -> Result<i64>;
    fn double(&mut self) -> Result<f64>;
    fn binary(&mut self) -> Result<&[u8]>;
    /// A list's or set's element type and count.
    fn list_begin(&mut self) -> Result<(FieldType, usize)>;
    /// A map's key type, value type and count (the types are `None` for an empty compact map).
    fn map_begin(&mut self) -> Result<(Option<FieldType>, Option<FieldType>, usize)>;
    /// A message header (the envelope of an RPC call).
    fn message_begin(&mut self) -> Result<MessageHeader>;
    /// Where the reader is, for messages.
    fn position(&self) -> usize;

    fn string(&mut self) -> Result<String> {
        Ok(String::from_utf8_lossy(self.binary()?).into_owned())
    }

    /// Reads past a value of type `ty`, nested structures included.
    fn skip(&mut self, ty: FieldType) -> Result<()> {
        skip_at(self, ty, 0)
    }
}

fn skip_at<R: ThriftRead + ?Sized>(r: &mut R, ty: FieldType, depth: usize) -> Result<()> {
    if depth > MAX_DEPTH {
        return Err(ThriftError(format!("Malformed: nested deeper than {MAX_DEPTH} at offset {}", r.position())));
    }
    match ty {
        FieldType::Bool => r.bool().map(drop),
        FieldType::Byte => r.byte().map(drop),
        FieldType::I16 => r.i16().map(drop),
        FieldType::I32 => r.i32().map(drop),
        FieldType::I64 => r.i64().map(drop),
        FieldType::Double => r.double().map(drop),
        FieldType::Binary => r.binary().map(drop),
        FieldType::Struct => {
            r.struct_begin()?;
            while let Some((t, _)) = r.field()? {
                skip_at(r, t, depth + 1)?;
            }
            r.struct_end()
        }
        FieldType::Map => {
            let (k, v, n) = r.map_begin()?;
            if let (Some(k), Some(v)) = (k, v) {
                for _ in 0..n {
                    skip_at(r, k, depth + 1)?;
                    skip_at(r, v, depth + 1)?;
                }
            }
            Ok(())
        }
        FieldType::Set | FieldType::List => {
            let (t, n) = r.list_begin()?;
            for _ in 0..n {
                skip_at(r, t, depth + 1)?;
            }
            Ok(())
        }
    }
}

/// Reads a list of structs with `read` (elements of another type are skipped): the shape of every list in
/// Zipkin's and Jaeger's spans.
pub fn read_struct_list<R: ThriftRead, T>(r: &mut R, mut read: impl FnMut(&mut R) -> Result<T>) -> Result<Vec<T>> {
    let (ty, n) = r.list_begin()?;
    let mut out = Vec::with_capacity(n.min(1 << 12));
    for _ in 0..n {
        if ty == FieldType::Struct {
            out.push(read(r)?);
        } else {
            r.skip(ty)?;
        }
    }
    Ok(out)
}
