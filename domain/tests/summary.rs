#![cfg(not(target_arch = "wasm32"))]
//! Search-result summaries on small hand-made traces with known answers, each computed twice: by
//! `summarize` over spans and by the search page's scanner (`summarize_answer`) over the same
//! spans as a `/api/v2/traces` answer, which must agree. Ports Zipkin Lens's trace.test.js
//! `traceSummary` and `traceSummaries` cases that concern the figures (not their formatting).
//! Properties: figures equal counting by hand, and agree with the trace page's model.
mod common;

use common::*;
use spanscope_domain::search_results::summarize_answer;
use spanscope_domain::span::{Endpoint, Kind, Span};
use spanscope_domain::summary::{summarize, summarize_model, ServiceSummary, TraceSummary};
use spanscope_domain::trace_model::ErrorKind;

/// The summary of one trace, checked to be the same through the answer scanner.
fn sum(spans: &[Span]) -> TraceSummary {
    let direct = summarize(spans);
    let answer = serde_json::to_vec(&[spans]).expect("spans serialise");
    let scanned = summarize_answer(&answer).expect("the scanner reads what serde wrote");
    assert_eq!(scanned, std::slice::from_ref(&direct), "the scanner disagrees with summarize");
    direct
}

/// (name, span count, total, max) of each service, in summary order.
fn services(s: &TraceSummary) -> Vec<(&str, u32, u64, u64)> {
    s.services.iter().map(|x| (x.name.as_str(), x.span_count, x.total_duration, x.max_duration)).collect()
}

fn frontend() -> Option<Endpoint> {
    Some(Endpoint { service_name: Some("frontend".into()), ipv4: Some("172.17.0.13".into()), ..Endpoint::default() })
}

fn backend() -> Option<Endpoint> {
    Some(Endpoint { service_name: Some("backend".into()), ipv4: Some("172.17.0.9".into()), ..Endpoint::default() })
}

fn sp(trace: &str, id: &str, parent: Option<&str>, ts: Option<u64>, dur: Option<u64>) -> Span {
    Span {
        trace_id: trace.into(),
        id: id.into(),
        parent_id: parent.map(Into::into),
        timestamp: ts,
        duration: dur,
        ..Span::default()
    }
}

/// Lens trace.test.js `httpTrace`: a server, its client call and the call's shared server.
fn http_trace() -> Vec<Span> {
    let t = "bb1f0e21882325b8";
    vec![
        Span {
            kind: Some(Kind::Client),
            name: Some("get".into()),
            local_endpoint: frontend(),
            ..sp(t, "c8c50ebd2abc179e", Some(t), Some(1_541_138_169_297_572), Some(111_121))
        },
        Span {
            kind: Some(Kind::Server),
            name: Some("get /".into()),
            local_endpoint: frontend(),
            remote_endpoint: Some(Endpoint {
                ipv4: Some("110.170.201.178".into()),
                port: Some(63678),
                ..Endpoint::default()
            }),
            ..sp(t, t, None, Some(1_541_138_169_255_688), Some(168_731))
        },
        Span {
            kind: Some(Kind::Server),
            name: Some("get /api".into()),
            local_endpoint: backend(),
            shared: Some(true),
            ..sp(t, "c8c50ebd2abc179e", Some(t), Some(1_541_138_169_377_997), Some(26_326))
        },
    ]
}

// Lens trace.test.js traceSummary: "should classify durations local to the endpoint" and
// traceSummaries: "should get service summaries, ordered descending by max span duration"
#[test]
fn lens_http_trace_services_by_longest_span() {
    let s = sum(&http_trace());
    assert_eq!(services(&s), [("frontend", 2, 168_731 + 111_121, 168_731), ("backend", 1, 26_326, 26_326)]);
}

// Lens trace.test.js traceSummary: "calculates timestamp and duration", "should get span count"
// and traceSummaries: "should pass on the trace id" (the server skewed right is not corrected:
// it ends before the root does)
#[test]
fn lens_http_trace_timestamp_duration_count_and_id() {
    let s = sum(&http_trace());
    assert_eq!((s.start, s.duration), (1_541_138_169_255_688, 168_731));
    assert_eq!(s.span_count, 3);
    assert_eq!(s.trace_id, "bb1f0e21882325b8");
    assert_eq!((s.root_service.as_str(), s.root_name.as_str()), ("frontend", "get /"));
    // Two distinct ids: the shared server adds no level.
    assert_eq!(s.depth, 2);
    assert_eq!((s.error, s.error_count), (ErrorKind::None, 0));
}

// Lens trace.test.js traceSummary: "should backfill incomplete duration as zero instead of
// undefined"
#[test]
fn lens_a_span_without_duration_counts_zero() {
    let t = "2480ccca8df0fca5";
    let s = sum(&[
        Span {
            kind: Some(Kind::Client),
            local_endpoint: frontend(),
            ..sp(t, t, None, Some(1_541_138_169_297_572), Some(111_121))
        },
        Span { local_endpoint: backend(), ..sp(t, "bf396325699c84bf", Some(t), Some(1_541_138_169_377_997), None) },
    ]);
    assert_eq!(services(&s), [("frontend", 1, 111_121, 111_121), ("backend", 1, 0, 0)]);
    assert_eq!(s.duration, 111_121);
}

// Lens trace.test.js traceSummary: "should throw error on trace missing timestamp". Lens throws;
// here a trace without any timestamp is summarised as starting at 0 and lasting 0.
#[test]
fn lens_a_trace_without_timestamps_has_no_start() {
    let s = sum(&[sp("1e223ff1f80f1c69", "bf396325699c84bf", None, None, None)]);
    assert_eq!((s.start, s.duration, s.span_count), (0, 0, 1));
    assert_eq!(s.trace_id, "1e223ff1f80f1c69");
    assert_eq!((s.root_service.as_str(), s.root_name.as_str()), ("unknown", "unknown"));
}

// Lens trace.test.js traceSummaries: "should render empty serviceSummaries when spans lack
// localEndpoint"
#[test]
fn lens_spans_without_local_endpoints_have_no_services() {
    let t = "0b3ba16a811130ed";
    let remote = |ip: &str| Some(Endpoint { ipv4: Some(ip.into()), port: Some(64529), ..Endpoint::default() });
    let s = sum(&[
        Span {
            kind: Some(Kind::Server),
            name: Some("get".into()),
            remote_endpoint: remote("127.0.0.1"),
            shared: Some(true),
            ..sp(t, "37c9d5cfc985592b", Some(t), Some(1_587_434_790_009_238), Some(10_803))
        },
        Span {
            kind: Some(Kind::Client),
            name: Some("get".into()),
            ..sp(t, "37c9d5cfc985592b", Some(t), Some(1_587_434_789_956_001), Some(74_362))
        },
        Span {
            kind: Some(Kind::Server),
            name: Some("get".into()),
            remote_endpoint: Some(Endpoint { ipv6: Some("::1".into()), port: Some(64528), ..Endpoint::default() }),
            ..sp(t, t, None, Some(1_587_434_789_934_510), Some(103_410))
        },
    ]);
    assert!(s.services.is_empty());
    assert_eq!((s.span_count, s.depth, s.duration), (3, 2, 103_410));
    // The root's remote endpoint has an address but no service name.
    assert_eq!((s.root_service.as_str(), s.root_name.as_str()), ("unknown", "get"));
}

#[test]
fn duration_is_last_end_minus_first_start_not_the_roots() {
    // The child outlives the root (an asynchronous call): 1000 → 1150.
    let s = sum(&[timed("a", None, 1_000, 100, "svc", "a"), timed("b", Some("a"), 1_050, 100, "svc", "b")]);
    assert_eq!((s.start, s.duration), (1_000, 150));
    assert_eq!(services(&s), [("svc", 2, 200, 100)]);
}

#[test]
fn a_zero_timestamp_is_no_timestamp() {
    // Zipkin writes 0 for "unknown": it does not start the trace at the epoch. The title is the
    // trace page's top row.
    let s = sum(&[
        Span { timestamp: Some(0), ..timed("a", None, 1, 10, "early", "zero") },
        timed("b", None, 2_000, 10, "late", "real"),
    ]);
    assert_eq!((s.start, s.duration), (2_000, 10));
    assert_eq!((s.root_service.as_str(), s.root_name.as_str()), ("early", "zero"));
}

#[test]
fn the_title_is_the_top_row_an_rpc_named_by_its_server_half() {
    // The shared server half of the root call started "earlier" on a skewed clock; the root is
    // still that call, not the later parentless span, wherever it is listed. The call's client
    // and server halves are one row, which the page titles with the server's service and name.
    let s = sum(&[
        timed("c", None, 1_200, 10, "batch", "later root"),
        kind(timed("a", None, 1_000, 100, "front", "call"), Kind::Client),
        kind(shared(timed("a", None, 890, 80, "back", "serve")), Kind::Server),
    ]);
    assert_eq!((s.root_service.as_str(), s.root_name.as_str()), ("back", "serve"));
    assert_eq!((s.start, s.duration, s.span_count), (890, 320, 3));
}

#[test]
fn a_headless_trace_is_named_by_its_earliest_span() {
    let s = sum(&[
        timed("b", Some("x"), 1_020, 10, "late", "b"),
        Span { remote_endpoint: ep("db"), local_endpoint: None, ..timed("a", Some("x"), 1_000, 10, "", "query") },
    ]);
    // The earliest span has no local service: the page's top row (and so the list) calls its
    // service unknown, though db is named as its remote side.
    assert_eq!((s.root_service.as_str(), s.root_name.as_str()), ("unknown", "query"));
    // Services are local and remote names, as the header counts them.
    assert_eq!(services(&s), [("db", 1, 10, 10), ("late", 1, 10, 10)]);
}

#[test]
fn empty_names_are_unknown() {
    let s = sum(&[Span { name: Some(String::new()), ..timed("a", None, 1_000, 10, "", "") }]);
    assert_eq!((s.root_service.as_str(), s.root_name.as_str()), ("unknown", "unknown"));
}

#[test]
fn a_repeated_span_counts_once_but_a_shared_half_or_another_service_does_not_repeat() {
    let s = sum(&[
        timed("a", None, 1_000, 100, "front", "a"),
        timed("a", None, 1_000, 100, "front", "a"),
        kind(timed("b", Some("a"), 1_010, 50, "front", "call"), Kind::Client),
        kind(shared(timed("b", Some("a"), 1_020, 30, "back", "serve")), Kind::Server),
        // Same id, not shared, but reported by another service: a span of its own.
        timed("b", Some("a"), 1_025, 5, "sidecar", "proxy"),
    ]);
    assert_eq!(s.span_count, 4);
    assert_eq!(services(&s), [("front", 2, 150, 100), ("back", 1, 30, 30), ("sidecar", 1, 5, 5)]);
}

#[test]
fn errors_tag_beats_annotation_and_each_span_counts_once() {
    let s = sum(&[
        timed("a", None, 1_000, 100, "svc", "a"),
        Span { annotations: vec![ann(1_015, "error")], ..timed("b", Some("a"), 1_010, 10, "svc", "b") },
        Span {
            annotations: vec![ann(1_035, "error")],
            tags: tags(&[("error", "")]),
            ..timed("c", Some("a"), 1_030, 10, "svc", "c")
        },
    ]);
    assert_eq!((s.error, s.error_count), (ErrorKind::Critical, 2));
    let transient = sum(&[Span { annotations: vec![ann(1_005, "error")], ..timed("a", None, 1_000, 10, "svc", "a") }]);
    assert_eq!((transient.error, transient.error_count), (ErrorKind::Transient, 1));
    // Other annotations and a tag *value* "error" are no error.
    let none = sum(&[Span {
        annotations: vec![ann(1_005, "errored?")],
        tags: tags(&[("outcome", "error")]),
        ..timed("a", None, 1_000, 10, "svc", "a")
    }]);
    assert_eq!((none.error, none.error_count), (ErrorKind::None, 0));
}

#[test]
fn depth_counts_levels_of_ids() {
    let chain = sum(&[
        timed("a", None, 1_000, 100, "svc", "a"),
        timed("b", Some("a"), 1_010, 50, "svc", "b"),
        timed("c", Some("b"), 1_020, 10, "svc", "c"),
        timed("d", Some("a"), 1_070, 10, "svc", "d"),
    ]);
    assert_eq!(chain.depth, 3);
    // A span naming itself as parent is a root, not a loop.
    let self_parent = sum(&[timed("a", Some("a"), 1_000, 10, "svc", "a"), timed("b", Some("a"), 1_001, 5, "svc", "b")]);
    assert_eq!(self_parent.depth, 2);
    assert_eq!(self_parent.root_name, "a");
    // A missing parent ends the chain: b under the unknown x is one level, c under b two.
    let headless = sum(&[timed("b", Some("x"), 1_000, 10, "svc", "b"), timed("c", Some("b"), 1_001, 5, "svc", "c")]);
    assert_eq!(headless.depth, 2);
}

#[test]
fn a_parent_cycle_counts_each_member_once() {
    let s = sum(&[
        timed("r", None, 1_000, 100, "svc", "r"),
        timed("a", Some("b"), 1_010, 10, "svc", "a"),
        timed("b", Some("a"), 1_020, 10, "svc", "b"),
    ]);
    // The page cuts the circle and shows its two spans as a chain: three levels in its header.
    assert_eq!(s.depth, 3);
    assert_eq!(
        s.depth,
        common::model(vec![
            timed("r", None, 1_000, 100, "svc", "r"),
            timed("a", Some("b"), 1_010, 10, "svc", "a"),
            timed("b", Some("a"), 1_020, 10, "svc", "b"),
        ])
        .depth()
    );
    assert_eq!(s.span_count, 3);
}

#[test]
fn services_with_equal_longest_spans_are_by_name() {
    let s = sum(&[
        timed("a", None, 1_000, 100, "root", "a"),
        timed("b", Some("a"), 1_010, 20, "zeta", "b"),
        timed("c", Some("a"), 1_040, 20, "alpha", "c"),
        timed("d", Some("a"), 1_070, 5, "alpha", "d"),
    ]);
    assert_eq!(services(&s), [("root", 1, 100, 100), ("alpha", 2, 25, 20), ("zeta", 1, 20, 20)]);
}

#[test]
fn an_empty_trace() {
    let s = summarize(&[]);
    assert_eq!(
        s,
        TraceSummary {
            root_service: "unknown".into(),
            root_name: "unknown".into(),
            services: Vec::<ServiceSummary>::new(),
            ..TraceSummary::default()
        }
    );
}

/// Small generated traces: ids from a pool of 12, three services, shared halves, zero and
/// missing timestamps, error tags and annotations, names with quotes and non-ASCII letters.
fn arb_trace() -> impl proptest::strategy::Strategy<Value = Vec<Span>> {
    use proptest::prelude::*;
    let one = (
        0u8..12,
        proptest::option::of(0u8..12),
        proptest::option::of(prop_oneof![Just(0u64), 1_000u64..1_400]),
        proptest::option::of(0u64..300),
        0u8..4,
        any::<bool>(),
        0u8..4,
        0u8..3,
    )
        .prop_map(|(id, parent, ts, dur, svc, is_shared, err, name)| Span {
            name: Some(["get \"/\"", "größe", ""][name as usize].into()),
            timestamp: ts,
            duration: dur,
            shared: is_shared.then_some(true),
            local_endpoint: (svc < 3).then(|| ep(["a", "b", "ç"][svc as usize])).flatten(),
            remote_endpoint: (svc == 3).then(|| ep("remote")).flatten(),
            tags: if err == 0 { tags(&[("error", "")]) } else { tags(&[("k", "error")]) },
            annotations: if err == 1 { vec![ann(1_001, "error")] } else { vec![] },
            ..span(&format!("{id:x}"), parent.map(|p| format!("{p:x}")).as_deref(), None, None)
        });
    proptest::collection::vec(one, 1..30)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]

    /// The answer scanner agrees with `summarize` (checked inside `sum`), and both are the trace
    /// page's own figures (`summarize_model` over the model the page builds), on messy traces:
    /// repeated ids, shared halves, zero and missing timestamps, cycles, remote-only services.
    #[test]
    fn summaries_are_the_trace_pages_figures(spans in arb_trace()) {
        let s = sum(&spans);
        proptest::prop_assert_eq!(&s, &summarize_model(&model(spans)));
        proptest::prop_assert!(s.services.windows(2).all(|w| (w[1].max_duration, &w[0].name) <= (w[0].max_duration, &w[1].name)));
    }
}

/// Generated traces in which every (id, sharedness) pair is unique and no client is marked
/// shared: the traces whose summary the search list can compute without cleaning.
fn arb_clean_trace() -> impl proptest::strategy::Strategy<Value = Vec<Span>> {
    use proptest::prelude::*;
    let one = (
        0u8..8,
        proptest::option::of(0u8..8),
        proptest::option::of(prop_oneof![Just(Kind::Client), Just(Kind::Server)]),
        proptest::option::of(1_000u64..1_300),
        proptest::option::of(1u64..200),
        0u8..2,
        any::<bool>(),
    )
        .prop_map(|(id, parent, k, ts, dur, host, is_shared)| Span {
            kind: k,
            timestamp: ts,
            duration: dur,
            shared: is_shared.then_some(true),
            local_endpoint: ep_ip(&format!("svc{host}"), &format!("10.0.0.{host}")),
            ..span(&format!("{id:x}"), parent.map(|p| format!("{p:x}")).as_deref(), None, None)
        });
    proptest::collection::vec(one, 1..12).prop_filter("unique (id, shared), no shared client", |v| {
        let mut seen = std::collections::HashSet::new();
        v.iter()
            .all(|s| !(s.shared == Some(true) && s.kind == Some(Kind::Client)) && seen.insert((s.id.clone(), s.shared)))
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, ..Default::default() })]

    /// The search list and the trace page agree on ordinary traces (the quick path): duration and
    /// span count as the header shows them, and every other figure.
    #[test]
    fn the_summary_agrees_with_the_trace_page(spans in arb_clean_trace()) {
        let s = sum(&spans);
        let m = model(spans);
        // The page's header: corrected duration (the switch starts on), cleaned spans.
        proptest::prop_assert_eq!(s.duration, m.duration(true));
        proptest::prop_assert_eq!(s.span_count as usize, m.spans().len());
        proptest::prop_assert_eq!(&s, &summarize_model(&m));
    }
}
