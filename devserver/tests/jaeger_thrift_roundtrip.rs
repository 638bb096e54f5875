//! A property of the Thrift readers: any Jaeger batch (ids of both widths, every tag type, logs, references,
//! a process with tags), written in the binary protocol (the collector's body) or the compact one (the
//! agent's `emitBatch`), decodes to the spans that the domain's `jaeger_model` makes of the same batch.
mod common;
use common::thrift::{
    agent_call, batch, binary, jaeger_span, log, span_ref, tag_binary, tag_bool, tag_double, tag_long, tag_str,
    SpanSpec, T,
};
use proptest::prelude::*;
use spanscope_devserver::jaeger_thrift::{decode_agent_datagram, decode_binary_batch};
use spanscope_domain::jaeger_model::{process_resource, JaegerLog, JaegerReference, JaegerSpan, RefType};
use spanscope_domain::span_detail::{AnyValue, Attribute};

#[derive(Debug, Clone)]
enum Tag {
    Str(String, String),
    Double(String, f64),
    Bool(String, bool),
    Long(String, i64),
    Binary(String, Vec<u8>),
}

impl Tag {
    fn thrift(&self) -> T {
        match self {
            Tag::Str(k, v) => tag_str(k, v),
            Tag::Double(k, v) => tag_double(k, *v),
            Tag::Bool(k, v) => tag_bool(k, *v),
            Tag::Long(k, v) => tag_long(k, *v),
            Tag::Binary(k, v) => tag_binary(k, v),
        }
    }

    fn attribute(&self) -> Attribute {
        let (key, value) = match self {
            Tag::Str(k, v) => (k, AnyValue::String(v.clone())),
            Tag::Double(k, v) => (k, AnyValue::Double(*v)),
            Tag::Bool(k, v) => (k, AnyValue::Bool(*v)),
            Tag::Long(k, v) => (k, AnyValue::Int(*v)),
            Tag::Binary(k, v) => (k, AnyValue::Bytes(v.clone())),
        };
        Attribute { key: key.clone(), value }
    }
}

fn tag() -> impl Strategy<Value = Tag> {
    // Keys from a small set, so that the special ones (span.kind, error, otel.*) come up too.
    let key = prop::sample::select(vec!["k", "http.method", "span.kind", "error", "otel.status_code", "event", "é"])
        .prop_map(String::from);
    prop_oneof![
        (key.clone(), "[a-z]{0,6}").prop_map(|(k, v)| Tag::Str(k, v)),
        (key.clone(), -1e6f64..1e6).prop_map(|(k, v)| Tag::Double(k, v)),
        (key.clone(), any::<bool>()).prop_map(|(k, v)| Tag::Bool(k, v)),
        (key.clone(), any::<i64>()).prop_map(|(k, v)| Tag::Long(k, v)),
        (key, prop::collection::vec(any::<u8>(), 0..5)).prop_map(|(k, v)| Tag::Binary(k, v)),
    ]
}

#[derive(Debug, Clone)]
struct Spec {
    high: i64,
    low: i64,
    id: i64,
    parent: i64,
    name: String,
    start: i64,
    duration: i64,
    refs: Vec<(i32, i64, i64, i64)>,
    tags: Vec<Tag>,
    logs: Vec<(i64, Vec<Tag>)>,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop_oneof![Just(0i64), any::<i64>()],
        any::<i64>(),
        any::<i64>(),
        prop_oneof![Just(0i64), any::<i64>()],
        "[a-zA-Z /]{0,8}",
        0i64..4_000_000_000_000_000,
        0i64..10_000_000,
        prop::collection::vec((0i32..2, prop_oneof![Just(0i64), any::<i64>()], any::<i64>(), any::<i64>()), 0..3),
        prop::collection::vec(tag(), 0..6),
        prop::collection::vec((0i64..4_000_000_000_000_000, prop::collection::vec(tag(), 0..3)), 0..3),
    )
        .prop_map(|(high, low, id, parent, name, start, duration, refs, tags, logs)| Spec {
            high,
            low,
            id,
            parent,
            name,
            start,
            duration,
            refs,
            tags,
            logs,
        })
}

fn trace_hex(high: i64, low: i64) -> String {
    if high == 0 {
        format!("{:016x}", low as u64)
    } else {
        format!("{:016x}{:016x}", high as u64, low as u64)
    }
}

impl Spec {
    fn thrift(&self) -> T {
        jaeger_span(SpanSpec {
            trace: (self.high, self.low),
            id: self.id,
            parent: self.parent,
            name: &self.name,
            start: self.start,
            duration: self.duration,
            references: self.refs.iter().map(|(t, h, l, s)| span_ref(*t, *h, *l, *s)).collect(),
            tags: self.tags.iter().map(Tag::thrift).collect(),
            logs: self.logs.iter().map(|(ts, fields)| log(*ts, fields.iter().map(Tag::thrift).collect())).collect(),
        })
    }

    /// The model Jaeger's converter makes of the span: `parentSpanId` as a leading CHILD_OF unless a reference
    /// already names it.
    fn model(&self) -> JaegerSpan {
        let trace_id = trace_hex(self.high, self.low);
        let mut references: Vec<JaegerReference> = self
            .refs
            .iter()
            .map(|(t, h, l, s)| JaegerReference {
                ref_type: if *t == 1 { RefType::FollowsFrom } else { RefType::ChildOf },
                trace_id: trace_hex(*h, *l),
                span_id: format!("{:016x}", *s as u64),
            })
            .collect();
        let parent = format!("{:016x}", self.parent as u64);
        if self.parent != 0 && !references.iter().any(|r| r.trace_id == trace_id && r.span_id == parent) {
            references
                .insert(0, JaegerReference { ref_type: RefType::ChildOf, trace_id: trace_id.clone(), span_id: parent });
        }
        JaegerSpan {
            trace_id,
            span_id: format!("{:016x}", self.id as u64),
            operation_name: self.name.clone(),
            references,
            flags: 1,
            start_time: self.start as u64,
            duration: self.duration as u64,
            tags: self.tags.iter().map(Tag::attribute).collect(),
            logs: self
                .logs
                .iter()
                .map(|(ts, fields)| JaegerLog {
                    timestamp: *ts as u64,
                    fields: fields.iter().map(Tag::attribute).collect(),
                })
                .collect(),
            ..JaegerSpan::default()
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_batch_decodes_alike_in_both_protocols(
        service in "[a-zA-Z-]{0,8}",
        process_tags in prop::collection::vec(tag(), 0..3),
        specs in prop::collection::vec(spec(), 0..4),
    ) {
        let thrift = batch(&service, process_tags.iter().map(Tag::thrift).collect(), specs.iter().map(Spec::thrift).collect());
        let resource = process_resource(&service, process_tags.iter().map(Tag::attribute));
        let expected: Vec<_> = specs.iter().map(|s| s.model().into_span(resource.clone())).collect();
        prop_assert_eq!(&decode_binary_batch(&binary(&thrift)).unwrap(), &expected);
        prop_assert_eq!(&decode_agent_datagram(&agent_call("emitBatch", vec![(1, thrift)])).unwrap(), &expected);
    }
}
