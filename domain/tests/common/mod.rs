//! Small builders for hand-made traces shared by the integration tests: spans are written as
//! structs, sent through the JSON decoder (as the viewer receives them) and built into a model.
#![allow(dead_code)] // each test crate uses a different part of this module

use spanscope_domain::decode::decode_spans;
use spanscope_domain::span::{Annotation, Endpoint, Kind, Span};
use spanscope_domain::trace_model::TraceModel;

/// A span of trace "1" with an id, an optional parent and optional timing (µs).
pub fn span(id: &str, parent: Option<&str>, ts: Option<u64>, dur: Option<u64>) -> Span {
    Span {
        trace_id: "1".into(),
        id: id.into(),
        parent_id: parent.map(Into::into),
        timestamp: ts,
        duration: dur,
        ..Span::default()
    }
}

/// A timed span with a name and a local service, the usual shape of a test span.
pub fn timed(id: &str, parent: Option<&str>, ts: u64, dur: u64, service: &str, name: &str) -> Span {
    Span { name: Some(name.into()), local_endpoint: ep(service), ..span(id, parent, Some(ts), Some(dur)) }
}

/// An endpoint with only a service name.
pub fn ep(service: &str) -> Option<Endpoint> {
    Some(Endpoint { service_name: Some(service.into()), ..Endpoint::default() })
}

/// An endpoint with a service name and an IPv4 address.
pub fn ep_ip(service: &str, ip: &str) -> Option<Endpoint> {
    Some(Endpoint { service_name: Some(service.into()), ipv4: Some(ip.into()), ..Endpoint::default() })
}

/// An endpoint with only an IPv4 address.
pub fn ip(ip: &str) -> Option<Endpoint> {
    Some(Endpoint { ipv4: Some(ip.into()), ..Endpoint::default() })
}

pub fn ann(ts: u64, value: &str) -> Annotation {
    Annotation { timestamp: ts, value: value.into() }
}

pub fn kind(mut s: Span, k: Kind) -> Span {
    s.kind = Some(k);
    s
}

pub fn shared(mut s: Span) -> Span {
    s.shared = Some(true);
    s
}

/// Spans as the API would send them: written as v2 JSON and decoded again.
pub fn through_json(spans: &[Span]) -> Vec<Span> {
    let json = serde_json::to_vec(spans).expect("spans serialise");
    decode_spans(&json).expect("the decoder reads what serde wrote")
}

/// The model of these spans, built as the trace page builds it.
pub fn model(spans: Vec<Span>) -> TraceModel {
    TraceModel::build(through_json(&spans))
}

/// The model of a Zipkin v2 JSON document.
pub fn model_json(json: &str) -> TraceModel {
    TraceModel::build(decode_spans(json.as_bytes()).expect("valid test JSON"))
}

/// A span id as written in a test ("a" for "000000000000000a").
pub fn short(id: &str) -> &str {
    let t = id.trim_start_matches('0');
    if t.is_empty() {
        "0"
    } else {
        t
    }
}

/// The short id of each cleaned span, in cleaned order.
pub fn span_ids(m: &TraceModel) -> Vec<&str> {
    m.spans().iter().map(|s| short(&s.id)).collect()
}

/// The short id of each row's first span, in row (depth-first) order.
pub fn row_ids(m: &TraceModel) -> Vec<&str> {
    (0..m.row_count()).map(|r| row_id(m, r)).collect()
}

/// The short id of a row's first span.
pub fn row_id(m: &TraceModel, r: u32) -> &str {
    let row = m.row(r).expect("row exists");
    short(&m.span(row.span).expect("row span exists").id)
}

/// Depth of each row, in row order.
pub fn depths(m: &TraceModel) -> Vec<u32> {
    m.rows().iter().map(|r| r.depth).collect()
}

/// The row of a span id written short or long.
pub fn row_of(m: &TraceModel, id: &str) -> u32 {
    m.find_row_by_span_id(id).unwrap_or_else(|| panic!("no row for span {id}"))
}

/// The cleaned span index of the first span with this id and sharedness.
pub fn span_index(m: &TraceModel, id: &str, is_shared: bool) -> u32 {
    m.spans()
        .iter()
        .position(|s| short(&s.id) == short(id) && (s.shared == Some(true)) == is_shared)
        .unwrap_or_else(|| panic!("no span {id} (shared: {is_shared})")) as u32
}

/// The short ids of the parents' children in the span tree, for span `id`.
pub fn tree_children<'a>(m: &'a TraceModel, i: u32) -> Vec<&'a str> {
    m.tree().children(i).iter().map(|&c| short(&m.span(c).unwrap().id)).collect()
}

/// Every cleaned span is in exactly one row and every subtree is contiguous and deeper.
pub fn assert_arena_invariants(m: &TraceModel) {
    let mut seen = vec![0u32; m.spans().len()];
    for r in 0..m.row_count() {
        for &s in m.row_spans(r) {
            seen[s as usize] += 1;
        }
        let row = m.row(r).unwrap();
        assert!(row.subtree_end > r && row.subtree_end <= m.row_count(), "row {r}: bad subtree end");
        for c in r + 1..row.subtree_end {
            assert!(m.row(c).unwrap().depth > row.depth, "row {c} inside {r}'s subtree is not deeper");
        }
    }
    assert!(seen.iter().all(|&n| n == 1), "a span is missing or repeated: {seen:?}");
}

/// Tags from `(key, value)` pairs.
pub fn tags(pairs: &[(&str, &str)]) -> spanscope_domain::span::Tags {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// Generated RPC spans that repeat ids in every way the tree allows (duplicates, servers without
/// clients, clients and servers below missing parents, parentless servers): ids from a pool of
/// `ids`, parents from a pool of `parents` (those beyond `ids` are missing), clients and servers,
/// some marked shared, on `hosts` services, each `duration` µs long (or without a duration).
pub fn arb_rpc_spans(
    ids: u8,
    parents: u8,
    hosts: u8,
    duration: Option<u64>,
    len: std::ops::Range<usize>,
) -> impl proptest::strategy::Strategy<Value = Vec<Span>> {
    use proptest::prelude::*;
    let span = (0..ids, proptest::option::of(0..parents), any::<bool>(), any::<bool>(), 0..hosts, 0u64..50).prop_map(
        move |(id, parent, server, is_shared, host, ts)| Span {
            trace_id: "a".into(),
            id: format!("{id:x}"),
            parent_id: parent.map(|p| format!("{p:x}")),
            kind: Some(if server { Kind::Server } else { Kind::Client }),
            shared: is_shared.then_some(true),
            timestamp: Some(1_000 + ts),
            duration,
            local_endpoint: Some(Endpoint { service_name: Some(format!("svc{host}")), ..Endpoint::default() }),
            ..Span::default()
        },
    );
    proptest::collection::vec(span, len)
}

/// The model of a shared Zipkin fixture (`/work/shared/fixtures/zipkin/{name}.json`).
pub fn fixture_model(name: &str) -> TraceModel {
    let path = format!("{}/../../shared/fixtures/zipkin/{name}.json", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {path}: {e}"));
    TraceModel::build(decode_spans(&bytes).expect("a fixture decodes"))
}

/// A span with tags.
pub fn tagged(mut s: Span, pairs: &[(&str, &str)]) -> Span {
    s.tags = tags(pairs);
    s
}
