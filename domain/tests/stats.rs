#![cfg(not(target_arch = "wasm32"))]
//! Self times and the trace statistics table on small hand-made traces with known figures: an
//! RPC whose client and shared server count separately, the skew switch, untimed spans and spans
//! without duration, unnamed spans, ties in the sort and an empty trace; Lens trace.test.js's
//! per-service span counts ported. Jaeger UI's own compute-span-self-time.test.ts and
//! tableValues.test.js cases are in jaeger_cases.rs. A property checks self times against a
//! microsecond-by-microsecond count.
mod common;

use common::*;
use spanscope_domain::span::{Kind, Span};
use spanscope_domain::stats::{self_times, trace_stats, SpanStats};
use spanscope_domain::trace_model::TraceModel;

/// (service, operation, count, total, min, max, self) of a table row.
fn figures(s: &SpanStats) -> (&str, &str, u64, u64, u64, u64, u64) {
    (&s.service, &s.operation, s.count, s.total, s.min, s.max, s.self_time)
}

/// Self time by (short id, shared).
fn self_of(m: &TraceModel, id: &str, shared: bool, skew: bool) -> u64 {
    self_times(m, skew)[span_index(m, id, shared) as usize]
}

/// r (front, 1000+100) ─ b: client front [1010, 1070], server back ─ c (back work).
/// `server_ts` places the server (back's clock may be behind).
fn rpc(server_ts: u64) -> TraceModel {
    model(vec![
        kind(
            Span { local_endpoint: ep_ip("front", "10.0.0.1"), ..timed("r", None, 1_000, 100, "front", "get") },
            Kind::Server,
        ),
        kind(
            Span { local_endpoint: ep_ip("front", "10.0.0.1"), ..timed("b", Some("r"), 1_010, 60, "front", "call") },
            Kind::Client,
        ),
        kind(
            shared(Span {
                local_endpoint: ep_ip("back", "10.0.0.2"),
                ..timed("b", Some("r"), server_ts, 40, "back", "serve")
            }),
            Kind::Server,
        ),
        Span { local_endpoint: ep_ip("back", "10.0.0.2"), ..timed("c", Some("b"), server_ts + 5, 20, "back", "work") },
    ])
}

#[test]
fn a_client_and_its_server_each_have_a_self_time() {
    // r 100 − b's 60 = 40; the client 60 − its server's 40 = 20 (network and queueing); the
    // server 40 − c's 20 = 20; c is a leaf.
    let m = rpc(1_020);
    assert_eq!(self_of(&m, "r", false, true), 40);
    assert_eq!(self_of(&m, "b", false, true), 20);
    assert_eq!(self_of(&m, "b", true, true), 20);
    assert_eq!(self_of(&m, "c", false, true), 20);
    // The self times add up to the root's duration when nothing overflows.
    assert_eq!(self_times(&m, true).iter().sum::<u64>(), 100);
}

#[test]
fn the_tables_of_an_rpc() {
    let st = trace_stats(&rpc(1_020), true);
    let by_service: Vec<_> = st.by_service.iter().map(figures).collect();
    assert_eq!(by_service, [("front", "", 2, 160, 60, 100, 60), ("back", "", 2, 60, 20, 40, 40)]);
    let by_op: Vec<_> = st.by_operation.iter().map(figures).collect();
    assert_eq!(
        by_op,
        [
            ("front", "get", 1, 100, 100, 100, 40),
            ("front", "call", 1, 60, 60, 60, 20),
            ("back", "serve", 1, 40, 40, 40, 20),
            ("back", "work", 1, 20, 20, 20, 20),
        ]
    );
    assert_eq!(st.by_service[0].avg(), 80.0);
    assert_eq!(st.by_service[1].avg(), 30.0);
}

#[test]
fn the_skew_switch_decides_whether_the_server_covers_its_client() {
    // back's clock is 120 µs behind: as reported the server [900, 940] lies before its client
    // [1010, 1070] and covers none of it. Corrected (latency (60 − 40) / 2 = 10, skew
    // 900 − 10 − 1010 = −120) it is [1020, 1060].
    let m = rpc(900);
    assert_eq!(self_of(&m, "b", false, false), 60);
    assert_eq!(self_of(&m, "b", false, true), 20);
    // The server and its child move together, so the server's own self time does not change.
    assert_eq!((self_of(&m, "b", true, false), self_of(&m, "b", true, true)), (20, 20));
    let front_self =
        |skew: bool| trace_stats(&m, skew).by_service.iter().find(|s| s.service == "front").unwrap().self_time;
    assert_eq!((front_self(false), front_self(true)), (100, 60));
}

#[test]
fn an_untimed_child_covers_nothing_but_keeps_its_own_self_time() {
    // b has a duration but no timestamp: it cannot be placed, so a keeps all 100 µs; b is a
    // leaf, so its whole 30 µs are its own (Jaeger compute-span-self-time.test.ts: "returns full
    // duration for a leaf span" holds without a timestamp too).
    let m = model(vec![
        timed("a", None, 1_000, 100, "svc", "a"),
        Span { duration: Some(30), ..span("b", Some("a"), None, None) },
    ]);
    assert_eq!(self_times(&m, true), [100, 30]);
    let st = trace_stats(&m, true);
    assert_eq!(figures(&st.by_service[0]), ("svc", "", 1, 100, 100, 100, 100));
    assert_eq!(figures(&st.by_service[1]), ("unknown", "", 1, 30, 30, 30, 30));
}

#[test]
fn an_untimed_parent_subtracts_its_timed_children_unclipped() {
    // a (no timestamp, 100 µs) cannot clip its children; b [1000, 1030] and c [1020, 1050]
    // cover 50 µs together, so 50 are a's own.
    let m = model(vec![
        Span { duration: Some(100), ..span("a", None, None, None) },
        timed("b", Some("a"), 1_000, 30, "svc", "b"),
        timed("c", Some("a"), 1_020, 30, "svc", "c"),
    ]);
    assert_eq!(self_of(&m, "a", false, true), 50);
    // Children covering more than its duration leave it 0, never negative.
    let m = model(vec![
        Span { duration: Some(10), ..span("a", None, None, None) },
        timed("b", Some("a"), 1_000, 30, "svc", "b"),
    ]);
    assert_eq!(self_of(&m, "a", false, false), 0);
}

#[test]
fn a_span_without_duration_counts_as_zero() {
    // b (no duration) takes no time: a's self time is whole, b's minimum and total are 0.
    let m = model(vec![timed("a", None, 1_000, 100, "svc", "a"), span("b", Some("a"), Some(1_050), None)]);
    assert_eq!(self_times(&m, false), [100, 0]);
    let st = trace_stats(&m, false);
    assert_eq!(figures(&st.by_service[0]), ("svc", "", 1, 100, 100, 100, 100));
    assert_eq!(figures(&st.by_operation[1]), ("unknown", "unknown", 1, 0, 0, 0, 0));
}

#[test]
fn one_name_in_two_services_is_two_operations() {
    let m = model(vec![
        timed("a", None, 1_000, 100, "alpha", "get"),
        timed("b", Some("a"), 1_010, 30, "beta", "get"),
        timed("c", Some("a"), 1_050, 50, "beta", "get"),
    ]);
    let st = trace_stats(&m, true);
    let by_op: Vec<_> = st.by_operation.iter().map(figures).collect();
    // a: 100 − (30 + 50) = 20.
    assert_eq!(by_op, [("alpha", "get", 1, 100, 100, 100, 20), ("beta", "get", 2, 80, 30, 50, 80)]);
    assert_eq!(st.by_operation[1].avg(), 40.0);
}

#[test]
fn minimum_and_maximum_do_not_depend_on_order() {
    // The first span met is neither the shortest nor the longest.
    let m = model(vec![
        timed("a", None, 1_000, 200, "root", "root"),
        timed("b", Some("a"), 1_010, 50, "svc", "op"),
        timed("c", Some("a"), 1_070, 10, "svc", "op"),
        timed("d", Some("a"), 1_090, 90, "svc", "op"),
    ]);
    let st = trace_stats(&m, true);
    let svc = st.by_service.iter().find(|s| s.service == "svc").unwrap();
    assert_eq!((svc.count, svc.total, svc.min, svc.max), (3, 150, 10, 90));
}

#[test]
fn equal_totals_sort_by_name() {
    let m = model(vec![
        timed("a", None, 1_000, 100, "root", "r"),
        timed("b", Some("a"), 1_010, 20, "zeta", "z"),
        timed("c", Some("a"), 1_040, 20, "alpha", "y"),
        timed("d", Some("a"), 1_070, 20, "mu", "x"),
    ]);
    let st = trace_stats(&m, true);
    let names: Vec<&str> = st.by_service.iter().map(|s| s.service.as_str()).collect();
    assert_eq!(names, ["root", "alpha", "mu", "zeta"]);
    let ops: Vec<&str> = st.by_operation.iter().map(|s| s.operation.as_str()).collect();
    assert_eq!(ops, ["r", "y", "x", "z"]);
}

#[test]
fn an_empty_trace_has_empty_tables() {
    let m = model(vec![]);
    assert!(self_times(&m, true).is_empty());
    assert_eq!(trace_stats(&m, true), Default::default());
    assert_eq!(SpanStats::default().avg(), 0.0);
}

#[test]
fn a_child_reaching_past_its_parent_is_clipped_on_both_sides() {
    // b [990, 1030] is clipped to a's [1000, 1100] and covers 30; c [1080, 1150] covers 20.
    let m = local_spans(&[("a", None, 1_000, 100), ("b", Some("a"), 990, 40), ("c", Some("a"), 1_080, 70)]);
    assert_eq!(self_of(&m, "a", false, false), 50);
}

#[test]
fn grandchildren_do_not_reduce_the_grandparent() {
    // Self time subtracts children only: c inside b is b's business.
    let m = local_spans(&[("a", None, 1_000, 100), ("b", Some("a"), 1_010, 50), ("c", Some("b"), 1_020, 10)]);
    assert_eq!(self_times(&m, true), [50, 40, 10]);
}

/// Local spans in one service: (id, parent, start, duration).
fn local_spans(spans: &[(&str, Option<&str>, u64, u64)]) -> TraceModel {
    model(spans.iter().map(|&(id, p, s, d)| timed(id, p, s, d, "svc", id)).collect())
}

// ---- Lens trace.test.js detailedTraceSummary: serviceNameAndSpanCounts ----
// Lens's trace header counts spans per local service; the statistics table's count column is
// that figure.

/// (service, count) of the per-service table, by name as Lens lists them.
fn service_counts(m: &TraceModel) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> =
        trace_stats(m, true).by_service.iter().map(|s| (s.service.clone(), s.count)).collect();
    v.sort();
    v
}

// Lens trace.test.js: "should derive summary info" (serviceNameAndSpanCounts: backend 1,
// frontend 2: the shared server counts for backend, the client for frontend)
#[test]
fn lens_http_trace_counts_spans_per_local_service() {
    let m = model(vec![
        Span {
            kind: Some(Kind::Client),
            local_endpoint: ep_ip("frontend", "172.17.0.13"),
            ..timed("c8c50ebd2abc179e", Some("bb1f0e21882325b8"), 1_541_138_169_297_572, 111_121, "frontend", "get")
        },
        Span {
            kind: Some(Kind::Server),
            local_endpoint: ep_ip("frontend", "172.17.0.13"),
            ..timed("bb1f0e21882325b8", None, 1_541_138_169_255_688, 168_731, "frontend", "get /")
        },
        Span {
            kind: Some(Kind::Server),
            shared: Some(true),
            local_endpoint: ep_ip("backend", "172.17.0.9"),
            ..timed("c8c50ebd2abc179e", Some("bb1f0e21882325b8"), 1_541_138_169_377_997, 26_326, "backend", "get /api")
        },
    ]);
    assert_eq!(service_counts(&m), [("backend".to_owned(), 1), ("frontend".to_owned(), 2)]);
}

// Lens trace.test.js: "should count spans for any endpoint" (a client whose remote endpoint is
// its own service counts once, for its local service)
#[test]
fn lens_a_client_calling_its_own_service_counts_once() {
    let m = model(vec![
        Span {
            kind: Some(Kind::Client),
            local_endpoint: ep_ip("frontend", "172.17.0.13"),
            remote_endpoint: ep_ip("frontend", "172.17.0.13"),
            ..timed("2480ccca8df0fca5", None, 1, 0, "frontend", "")
        },
        Span {
            local_endpoint: ep_ip("backend", "172.17.0.9"),
            ..timed("bf396325699c84bf", Some("2480ccca8df0fca5"), 2, 0, "backend", "foo")
        },
    ]);
    assert_eq!(service_counts(&m), [("backend".to_owned(), 1), ("frontend".to_owned(), 1)]);
}

// Lens trace.test.js: "should count spans with no timestamp or duration"
#[test]
fn lens_a_span_without_timestamp_or_duration_still_counts() {
    let root = Span {
        kind: Some(Kind::Client),
        duration: None,
        local_endpoint: ep_ip("frontend", "172.17.0.13"),
        remote_endpoint: ep_ip("frontend", "172.17.0.13"),
        ..timed("2480ccca8df0fca5", None, 1, 0, "frontend", "")
    };
    let child = Span {
        name: Some("foo".into()),
        local_endpoint: ep_ip("backend", "172.17.0.9"),
        ..span("bf396325699c84bf", Some("2480ccca8df0fca5"), None, None)
    };
    let m = model(vec![root, child]);
    assert_eq!(service_counts(&m), [("backend".to_owned(), 1), ("frontend".to_owned(), 1)]);
    let st = trace_stats(&m, true);
    assert!(st.by_service.iter().all(|s| (s.total, s.self_time) == (0, 0)));
}

/// Small generated traces: ids from a pool of 12, two services on two hosts, clients and shared
/// servers, missing timestamps and durations.
fn arb_trace() -> impl proptest::strategy::Strategy<Value = Vec<Span>> {
    use proptest::prelude::*;
    let one = (
        0u8..12,
        proptest::option::of(0u8..12),
        proptest::option::of(prop_oneof![Just(Kind::Client), Just(Kind::Server)]),
        proptest::option::of(0u64..300),
        proptest::option::of(1u64..200),
        0u8..3,
        any::<bool>(),
    )
        .prop_map(|(id, parent, k, ts, dur, host, is_shared)| Span {
            kind: k,
            timestamp: ts.map(|t| t + 1_000),
            duration: dur,
            shared: is_shared.then_some(true),
            local_endpoint: (host < 2).then(|| ep_ip(&format!("svc{host}"), &format!("10.0.0.{host}"))).flatten(),
            ..span(&format!("{id:x}"), parent.map(|p| format!("{p:x}")).as_deref(), None, None)
        });
    proptest::collection::vec(one, 1..30)
}

/// Self time counted microsecond by microsecond: the span's microseconds no child covers (for
/// a span without timestamp, its duration less the microseconds its timed children cover).
fn brute_self_time(m: &TraceModel, i: u32, skew: bool) -> u64 {
    let dur = m.span(i).unwrap().duration.unwrap_or(0);
    let kids: Vec<(u64, u64)> = m
        .tree()
        .children(i)
        .iter()
        .filter_map(|&c| m.span_start(c, skew).map(|s| (s, s + m.span(c).unwrap().duration.unwrap_or(0))))
        .collect();
    let covered = |t: u64| kids.iter().any(|&(s, e)| s <= t && t < e);
    match m.span_start(i, skew) {
        Some(start) => (start..start + dur).filter(|&t| !covered(t)).count() as u64,
        None => {
            let lo = kids.iter().map(|k| k.0).min().unwrap_or(0);
            let hi = kids.iter().map(|k| k.1).max().unwrap_or(0);
            dur.saturating_sub((lo..hi).filter(|&t| covered(t)).count() as u64)
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]

    /// Self times equal the microsecond count, and each per-service row is the sum, minimum and
    /// maximum of its spans' figures.
    #[test]
    fn self_times_and_tables_match_counting_by_hand(spans in arb_trace(), skew in proptest::prelude::any::<bool>()) {
        let m = model(spans);
        let selfs = self_times(&m, skew);
        for i in 0..m.spans().len() as u32 {
            proptest::prop_assert_eq!(selfs[i as usize], brute_self_time(&m, i, skew), "span {}", i);
        }
        let st = trace_stats(&m, skew);
        for row in &st.by_service {
            let mine: Vec<u32> = (0..m.spans().len() as u32)
                .filter(|&i| m.span(i).unwrap().local_service().unwrap_or("unknown") == row.service)
                .collect();
            let durs: Vec<u64> = mine.iter().map(|&i| m.span(i).unwrap().duration.unwrap_or(0)).collect();
            proptest::prop_assert_eq!(row.count, mine.len() as u64);
            proptest::prop_assert_eq!(row.total, durs.iter().sum::<u64>());
            proptest::prop_assert_eq!(row.min, *durs.iter().min().unwrap());
            proptest::prop_assert_eq!(row.max, *durs.iter().max().unwrap());
            proptest::prop_assert_eq!(row.self_time, mine.iter().map(|&i| selfs[i as usize]).sum::<u64>());
        }
        proptest::prop_assert!(st.by_service.windows(2).all(|w| w[0].total >= w[1].total));
    }
}
