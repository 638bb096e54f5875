//! A small Thrift writer for tests: values as a tree, written in the binary or the compact protocol, and
//! builders for Jaeger's `Batch`, `Span`, `Tag`, `Log`, `SpanRef` and the agent's `emitBatch` call.

/// A Thrift value.
#[derive(Debug, Clone)]
pub enum T {
    Bool(bool),
    I32(i32),
    I64(i64),
    Double(f64),
    Str(String),
    Bin(Vec<u8>),
    /// Fields by id, in the order written.
    Struct(Vec<(i16, T)>),
    /// Elements (all of one type; an empty list is written as a list of structs).
    List(Vec<T>),
}

pub fn s(text: &str) -> T {
    T::Str(text.to_string())
}

impl T {
    fn binary_type(&self) -> u8 {
        match self {
            T::Bool(_) => 2,
            T::I32(_) => 8,
            T::I64(_) => 10,
            T::Double(_) => 4,
            T::Str(_) | T::Bin(_) => 11,
            T::Struct(_) => 12,
            T::List(_) => 15,
        }
    }

    fn compact_type(&self) -> u8 {
        match self {
            T::Bool(true) => 1,
            T::Bool(false) => 2,
            T::I32(_) => 5,
            T::I64(_) => 6,
            T::Double(_) => 7,
            T::Str(_) | T::Bin(_) => 8,
            T::List(_) => 9,
            T::Struct(_) => 12,
        }
    }
}

/// A list's element type in the binary protocol (structs for an empty list).
fn element_type(items: &[T]) -> u8 {
    items.first().map_or(12, T::binary_type)
}

/// The value in TBinaryProtocol.
pub fn binary(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    write_binary(value, &mut out);
    out
}

fn write_binary(value: &T, out: &mut Vec<u8>) {
    match value {
        T::Bool(b) => out.push(u8::from(*b)),
        T::I32(v) => out.extend(v.to_be_bytes()),
        T::I64(v) => out.extend(v.to_be_bytes()),
        T::Double(v) => out.extend(v.to_be_bytes()),
        T::Str(text) => {
            out.extend((text.len() as i32).to_be_bytes());
            out.extend(text.as_bytes());
        }
        T::Bin(bytes) => {
            out.extend((bytes.len() as i32).to_be_bytes());
            out.extend(bytes);
        }
        T::Struct(fields) => {
            for (id, field) in fields {
                out.push(field.binary_type());
                out.extend(id.to_be_bytes());
                write_binary(field, out);
            }
            out.push(0);
        }
        T::List(items) => {
            out.push(element_type(items));
            out.extend((items.len() as i32).to_be_bytes());
            items.iter().for_each(|item| write_binary(item, out));
        }
    }
}

/// The value in TCompactProtocol.
pub fn compact(value: &T) -> Vec<u8> {
    let mut out = Vec::new();
    write_compact(value, &mut out);
    out
}

fn varint(mut n: u64, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn write_compact(value: &T, out: &mut Vec<u8>) {
    match value {
        T::Bool(b) => out.push(if *b { 1 } else { 2 }),
        T::I32(v) => varint(zigzag(i64::from(*v)), out),
        T::I64(v) => varint(zigzag(*v), out),
        T::Double(v) => out.extend(v.to_le_bytes()),
        T::Str(text) => {
            varint(text.len() as u64, out);
            out.extend(text.as_bytes());
        }
        T::Bin(bytes) => {
            varint(bytes.len() as u64, out);
            out.extend(bytes);
        }
        T::Struct(fields) => {
            let mut last = 0i16;
            for (id, field) in fields {
                let delta = id - last;
                if delta > 0 && delta <= 15 {
                    out.push(((delta as u8) << 4) | field.compact_type());
                } else {
                    out.push(field.compact_type());
                    varint(zigzag(i64::from(*id)), out);
                }
                last = *id;
                if !matches!(field, T::Bool(_)) {
                    write_compact(field, out);
                }
            }
            out.push(0);
        }
        T::List(items) => {
            let ty = items.first().map_or(12, |f| if matches!(f, T::Bool(_)) { 1 } else { f.compact_type() });
            if items.len() < 15 {
                out.push(((items.len() as u8) << 4) | ty);
            } else {
                out.push(0xf0 | ty);
                varint(items.len() as u64, out);
            }
            items.iter().for_each(|item| write_compact(item, out));
        }
    }
}

/// The agent's datagram: a compact oneway call of `method` with `args` (the args struct's fields).
pub fn agent_call(method: &str, args: Vec<(i16, T)>) -> Vec<u8> {
    let mut out = vec![0x82, (4 << 5) | 1];
    varint(1, &mut out);
    varint(method.len() as u64, &mut out);
    out.extend(method.as_bytes());
    write_compact(&T::Struct(args), &mut out);
    out
}

/// `Tag` of each `vType`.
pub fn tag_str(key: &str, value: &str) -> T {
    T::Struct(vec![(1, s(key)), (2, T::I32(0)), (3, s(value))])
}
pub fn tag_double(key: &str, value: f64) -> T {
    T::Struct(vec![(1, s(key)), (2, T::I32(1)), (4, T::Double(value))])
}
pub fn tag_bool(key: &str, value: bool) -> T {
    T::Struct(vec![(1, s(key)), (2, T::I32(2)), (5, T::Bool(value))])
}
pub fn tag_long(key: &str, value: i64) -> T {
    T::Struct(vec![(1, s(key)), (2, T::I32(3)), (6, T::I64(value))])
}
pub fn tag_binary(key: &str, value: &[u8]) -> T {
    T::Struct(vec![(1, s(key)), (2, T::I32(4)), (7, T::Bin(value.to_vec()))])
}

pub fn log(timestamp: i64, fields: Vec<T>) -> T {
    T::Struct(vec![(1, T::I64(timestamp)), (2, T::List(fields))])
}

/// `SpanRef`: 0 CHILD_OF, 1 FOLLOWS_FROM.
pub fn span_ref(ref_type: i32, trace_high: i64, trace_low: i64, span_id: i64) -> T {
    T::Struct(vec![(1, T::I32(ref_type)), (2, T::I64(trace_low)), (3, T::I64(trace_high)), (4, T::I64(span_id))])
}

/// A Jaeger `Span`; `extra` adds fields 6 (references), 10 (tags) and 11 (logs) as given.
pub struct SpanSpec<'a> {
    pub trace: (i64, i64),
    pub id: i64,
    pub parent: i64,
    pub name: &'a str,
    pub start: i64,
    pub duration: i64,
    pub references: Vec<T>,
    pub tags: Vec<T>,
    pub logs: Vec<T>,
}

pub fn jaeger_span(spec: SpanSpec) -> T {
    let mut fields = vec![
        (1, T::I64(spec.trace.1)),
        (2, T::I64(spec.trace.0)),
        (3, T::I64(spec.id)),
        (4, T::I64(spec.parent)),
        (5, s(spec.name)),
    ];
    if !spec.references.is_empty() {
        fields.push((6, T::List(spec.references)));
    }
    fields.extend([(7, T::I32(1)), (8, T::I64(spec.start)), (9, T::I64(spec.duration))]);
    if !spec.tags.is_empty() {
        fields.push((10, T::List(spec.tags)));
    }
    if !spec.logs.is_empty() {
        fields.push((11, T::List(spec.logs)));
    }
    T::Struct(fields)
}

/// `Batch {process: {serviceName, tags}, spans}`.
pub fn batch(service: &str, process_tags: Vec<T>, spans: Vec<T>) -> T {
    T::Struct(vec![(1, T::Struct(vec![(1, s(service)), (2, T::List(process_tags))])), (2, T::List(spans))])
}
