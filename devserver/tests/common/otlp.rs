//! Hand-made OTLP protobuf bodies: a message builder over the wire format (every field written, zeros too,
//! so tests can send exactly what they mean) and the `AnyValue` / `KeyValue` shapes of common/v1.
use spanscope_devserver::protowire::{write_varint, BYTES, FIXED32, FIXED64, VARINT};

/// A protobuf message under construction.
#[derive(Debug, Clone, Default)]
pub struct Message(pub Vec<u8>);

impl Message {
    pub fn new() -> Message {
        Message::default()
    }

    fn key(mut self, field: u64, wire_type: u8) -> Message {
        write_varint(&mut self.0, field << 3 | u64::from(wire_type));
        self
    }

    pub fn varint(self, field: u64, value: u64) -> Message {
        let mut m = self.key(field, VARINT);
        write_varint(&mut m.0, value);
        m
    }

    pub fn fixed64(self, field: u64, value: u64) -> Message {
        let mut m = self.key(field, FIXED64);
        m.0.extend_from_slice(&value.to_le_bytes());
        m
    }

    pub fn fixed32(self, field: u64, value: u32) -> Message {
        let mut m = self.key(field, FIXED32);
        m.0.extend_from_slice(&value.to_le_bytes());
        m
    }

    pub fn bytes(self, field: u64, value: &[u8]) -> Message {
        let mut m = self.key(field, BYTES);
        write_varint(&mut m.0, value.len() as u64);
        m.0.extend_from_slice(value);
        m
    }

    pub fn string(self, field: u64, value: &str) -> Message {
        self.bytes(field, value.as_bytes())
    }

    pub fn message(self, field: u64, value: Message) -> Message {
        self.bytes(field, &value.0)
    }
}

/// Bytes from hex (ids).
pub fn unhex(hex: &str) -> Vec<u8> {
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

pub fn string_value(s: &str) -> Message {
    Message::new().string(1, s)
}
pub fn bool_value(b: bool) -> Message {
    Message::new().varint(2, u64::from(b))
}
pub fn int_value(i: i64) -> Message {
    Message::new().varint(3, i as u64)
}
pub fn double_value(d: f64) -> Message {
    Message::new().fixed64(4, d.to_bits())
}
pub fn array_value(values: Vec<Message>) -> Message {
    Message::new().message(5, values.into_iter().fold(Message::new(), |m, v| m.message(1, v)))
}
pub fn kvlist_value(values: Vec<Message>) -> Message {
    Message::new().message(6, values.into_iter().fold(Message::new(), |m, v| m.message(1, v)))
}
pub fn bytes_value(b: &[u8]) -> Message {
    Message::new().bytes(7, b)
}

/// A `KeyValue`.
pub fn kv(key: &str, value: Message) -> Message {
    Message::new().string(1, key).message(2, value)
}

/// An `ExportTraceServiceRequest` of one resource with one scope: `service.name` = `service`, these spans.
pub fn request(service: &str, spans: Vec<Message>) -> Vec<u8> {
    let resource = Message::new().message(1, kv("service.name", string_value(service)));
    let scope_spans = spans.into_iter().fold(Message::new(), |m, s| m.message(2, s));
    Message::new().message(1, Message::new().message(1, resource).message(2, scope_spans)).0
}

/// A minimal span: ids, name, kind and times.
pub fn span(trace_id: &str, span_id: &str, name: &str, kind: u64, start_ns: u64) -> Message {
    Message::new()
        .bytes(1, &unhex(trace_id))
        .bytes(2, &unhex(span_id))
        .string(5, name)
        .varint(6, kind)
        .fixed64(7, start_ns)
        .fixed64(8, start_ns + 1_500_000)
}
