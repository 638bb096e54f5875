#![cfg(not(target_arch = "wasm32"))]
//! Clock-skew correction on small hand-made traces with known offsets: propagation below a
//! skewed server (same host only, through spans on other hosts), a second hop measured on
//! corrected times, zero and odd latencies, one-way spans, annotations, missing endpoints and
//! the trace bounds either way; a property on one generated RPC against Lens's getClockSkew
//! figure. Lens's own clock-skew.test.js cases are in lens_cases.rs.
mod common;

use common::*;
use spanscope_domain::clock_skew::{SkewMove, SkewSkipped};
use spanscope_domain::span::{Kind, Span};
use spanscope_domain::trace_model::TraceModel;

/// A client span on a host.
fn client(id: &str, parent: Option<&str>, ts: u64, dur: u64, service: &str, host: &str) -> Span {
    Span { kind: Some(Kind::Client), local_endpoint: ep_ip(service, host), ..timed(id, parent, ts, dur, service, id) }
}

/// The shared server half of `id`.
fn server(id: &str, parent: Option<&str>, ts: u64, dur: u64, service: &str, host: &str) -> Span {
    Span {
        kind: Some(Kind::Server),
        shared: Some(true),
        local_endpoint: ep_ip(service, host),
        ..timed(id, parent, ts, dur, service, id)
    }
}

/// A local span on a host.
fn local(id: &str, parent: &str, ts: u64, dur: u64, service: &str, host: &str) -> Span {
    Span { local_endpoint: ep_ip(service, host), ..timed(id, Some(parent), ts, dur, service, id) }
}

/// The correction of span `id` (its shared half when `shared`).
fn delta(m: &TraceModel, id: &str, shared: bool) -> i64 {
    m.skew().delta_of(span_index(m, id, shared))
}

/// (short id, shared, delta) of every moved span, in cleaned order.
fn moved(m: &TraceModel) -> Vec<(&str, bool, i64)> {
    m.skew()
        .moved
        .iter()
        .map(|&SkewMove { span, delta }| {
            let s = m.span(span).unwrap();
            (short(&s.id), s.shared == Some(true), delta)
        })
        .collect()
}

/// front (10.0.0.1) calls back (10.0.0.2), whose clock is 120 µs behind; below the server,
/// c runs on back, d on a cache host (10.0.0.3) and e, under d, on back again.
fn skewed_subtree() -> TraceModel {
    model(vec![
        client("a", None, 1_000, 100, "front", "10.0.0.1"),
        server("a", None, 890, 80, "back", "10.0.0.2"),
        local("c", "a", 900, 30, "back", "10.0.0.2"),
        local("d", "c", 905, 10, "cache", "10.0.0.3"),
        local("e", "d", 908, 4, "back", "10.0.0.2"),
    ])
}

#[test]
fn a_skewed_server_moves_with_everything_below_it_on_its_host() {
    // Latency (100 − 80) / 2 = 10; skew = 890 − 10 − 1000 = −120: back's spans move 120 later.
    // d is on another host and stays; e, below d, is on back again and moves (Lens's adjust
    // passes the skew down through d unchanged).
    let m = skewed_subtree();
    assert_eq!(m.skew().skipped, None);
    assert_eq!((delta(&m, "a", false), delta(&m, "a", true)), (0, 120));
    assert_eq!((delta(&m, "c", false), delta(&m, "d", false), delta(&m, "e", false)), (120, 0, 120));
    let server = span_index(&m, "a", true);
    assert_eq!(m.span_start(server, true), Some(1_010));
    assert_eq!(m.span_start(server, false), Some(890));
    assert_eq!(m.span_start(span_index(&m, "e", false), true), Some(1_028));
    let mut got = moved(&m);
    got.sort();
    assert_eq!(got, [("a", true, 120), ("c", false, 120), ("e", false, 120)]);
}

#[test]
fn the_trace_bounds_follow_the_switch() {
    let m = skewed_subtree();
    assert_eq!(m.bounds(false), (890, 1_100));
    assert_eq!(m.duration(false), 210);
    // Corrected, back's spans are inside the root client's [1000, 1100]; d on the cache host keeps
    // its reported 905 (no client/server pair tells its clock), so it still starts the trace.
    assert_eq!(m.bounds(true), (905, 1_100));
    assert_eq!(m.duration(true), 195);
}

#[test]
fn a_span_of_another_service_on_the_servers_host_hangs_under_the_client_and_stays() {
    // As in Zipkin's SpanNode, a span goes under the shared server only when their endpoints
    // (service and address) agree; w names the server's id but another service, so its parent
    // is the client, which passes no skew down: w keeps its reported time.
    let m = model(vec![
        client("a", None, 1_000, 100, "front", "10.0.0.1"),
        server("a", None, 890, 80, "back", "10.0.0.2"),
        local("w", "a", 900, 10, "worker", "10.0.0.2"),
    ]);
    assert_eq!(tree_children(&m, span_index(&m, "a", false)), ["a", "w"]);
    assert_eq!((delta(&m, "a", true), delta(&m, "w", false)), (120, 0));
}

#[test]
fn annotations_move_with_their_span() {
    let mut spans = vec![client("a", None, 1_000, 100, "front", "10.0.0.1")];
    spans.push(Span { annotations: vec![ann(895, "retry")], ..server("a", None, 890, 80, "back", "10.0.0.2") });
    let m = model(spans);
    let s = span_index(&m, "a", true);
    assert_eq!(m.annotation_time(s, 895, true), 1_015);
    assert_eq!(m.annotation_time(s, 895, false), 895);
    // The client's clock is the reference: its annotations never move.
    assert_eq!(m.annotation_time(span_index(&m, "a", false), 1_005, true), 1_005);
}

/// A root server on front calling back (skewed 120 µs behind), whose call to db is as reported
/// *after* its client on raw times but before it once back is corrected.
fn two_hops() -> TraceModel {
    model(vec![
        Span {
            kind: Some(Kind::Server),
            local_endpoint: ep_ip("front", "10.0.0.1"),
            ..timed("r", None, 1_000, 200, "front", "r")
        },
        client("b", Some("r"), 1_010, 100, "front", "10.0.0.1"),
        server("b", Some("r"), 900, 80, "back", "10.0.0.2"),
        client("x", Some("b"), 910, 40, "back", "10.0.0.2"),
        server("x", Some("b"), 1_025, 20, "db", "10.0.0.3"),
    ])
}

#[test]
fn a_second_hop_is_measured_on_corrected_times() {
    // Hop 1: latency (100 − 80) / 2 = 10, skew 900 − 10 − 1010 = −120: back moves +120, so the
    // client x starts at 1030. Hop 2: db's 1025 is before that; latency (40 − 20) / 2 = 10, skew
    // 1025 − 10 − 1030 = −15: db moves +15 (not +120: it is another host). On raw times db
    // started after x (1025 > 910) and would not have been corrected at all.
    let m = two_hops();
    assert_eq!(delta(&m, "r", false), 0);
    assert_eq!((delta(&m, "b", false), delta(&m, "b", true)), (0, 120));
    assert_eq!((delta(&m, "x", false), delta(&m, "x", true)), (120, 15));
    assert_eq!(m.span_start(span_index(&m, "x", true), true), Some(1_040));
    assert_eq!(m.bounds(true), (1_000, 1_200));
}

#[test]
fn a_server_starting_with_its_client_and_as_long_is_not_moved() {
    // Equal durations: latency 0; skew 1000 − 0 − 1000 = 0, which is no skew.
    let m = model(vec![
        client("a", None, 1_000, 100, "front", "10.0.0.1"),
        server("a", None, 1_000, 100, "back", "10.0.0.2"),
    ]);
    assert!(m.skew().moved.is_empty());
    assert_eq!(m.skew().skipped, None);
}

#[test]
fn an_odd_duration_difference_rounds_the_latency_down() {
    // Lens halves 101 − 80 = 21 to 10.5 µs and moves the server by 110.5; microseconds are whole
    // here, so the latency is 10 and the server moves 110.
    let m =
        model(vec![client("a", None, 1_000, 101, "front", "10.0.0.1"), server("a", None, 900, 80, "back", "10.0.0.2")]);
    assert_eq!(delta(&m, "a", true), 110);
}

#[test]
fn a_one_way_server_at_its_clients_start_moves_1us_later() {
    // No server duration: one-way. Latency 1000 − 1000 = 0 is not positive, so the server is
    // pushed the minimum 1 µs after its client (Lens: skew = latency − 1).
    let mut s = server("a", None, 1_000, 0, "back", "10.0.0.2");
    s.duration = None;
    let m = model(vec![client("a", None, 1_000, 100, "front", "10.0.0.1"), s]);
    assert_eq!(delta(&m, "a", true), 1);
    assert_eq!(m.span_start(span_index(&m, "a", true), true), Some(1_001));
}

#[test]
fn a_client_without_an_endpoint_has_no_reference_clock() {
    let mut c = client("a", None, 1_000, 100, "front", "10.0.0.1");
    c.local_endpoint = None;
    let m = model(vec![c, server("a", None, 890, 80, "back", "10.0.0.2")]);
    assert!(m.skew().moved.is_empty());
    assert_eq!(delta(&m, "a", true), 0);
}

#[test]
fn a_client_with_a_name_but_no_address_is_another_host() {
    // ipsMatch: the client has no IPv4 but the server has one, so they are not one host and the
    // server is corrected; its child on the server's address moves with it.
    let mut c = client("a", None, 1_000, 100, "front", "10.0.0.1");
    c.local_endpoint = ep("front");
    let m =
        model(vec![c, server("a", None, 890, 80, "back", "10.0.0.2"), local("c", "a", 900, 30, "back", "10.0.0.2")]);
    assert_eq!((delta(&m, "a", true), delta(&m, "c", false)), (120, 120));
}

#[test]
fn a_local_root_calling_out_is_no_client_and_nothing_moves() {
    // Skew is only seen from a CLIENT parent to a SERVER child: a local parent is not one.
    let m = model(vec![
        Span { local_endpoint: ep_ip("front", "10.0.0.1"), ..timed("a", None, 1_000, 100, "front", "a") },
        Span {
            kind: Some(Kind::Server),
            local_endpoint: ep_ip("back", "10.0.0.2"),
            ..timed("b", Some("a"), 890, 80, "back", "b")
        },
    ]);
    assert!(m.skew().moved.is_empty());
}

#[test]
fn an_empty_trace_has_no_root_to_correct_from() {
    let m = model(vec![]);
    assert_eq!(m.skew().skipped, Some(SkewSkipped::Headless));
    assert!(m.skew().delta.is_empty() && m.skew().moved.is_empty());
    assert_eq!(m.skew().delta_of(0), 0);
}

#[test]
fn a_headless_rpc_is_left_as_reported() {
    // The client's parent is missing: no root, so no reference clock (Lens: "skipping clock skew
    // adjustment due to missing root span").
    let m = model(vec![
        client("a", Some("f"), 1_000, 100, "front", "10.0.0.1"),
        server("a", Some("f"), 890, 80, "back", "10.0.0.2"),
    ]);
    assert_eq!(m.skew().skipped, Some(SkewSkipped::Headless));
    assert_eq!(delta(&m, "a", true), 0);
    assert_eq!(m.bounds(true), m.bounds(false));
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 400, ..Default::default() })]

    /// A root client on front, its shared server on back (or on front itself), and local spans
    /// under the server on either host: the server and the spans on its host move by Lens's
    /// getClockSkew figure for the pair, the rest stay.
    #[test]
    fn one_rpc_moves_as_lens_computes(
        client_ts in 500u64..1_500,
        client_dur in proptest::option::of(1u64..300),
        server_ts in 500u64..1_500,
        server_dur in proptest::option::of(1u64..300),
        same_host in proptest::prelude::any::<bool>(),
        kids in proptest::collection::vec((proptest::prelude::any::<bool>(), 0u64..100), 0..4),
    ) {
        let back = if same_host { "10.0.0.1" } else { "10.0.0.2" };
        let mut spans = vec![
            Span { duration: client_dur, ..client("a", None, client_ts, 1, "front", "10.0.0.1") },
            Span { duration: server_dur, ..server("a", None, server_ts, 1, "back", back) },
        ];
        for (k, &(on_back, at)) in kids.iter().enumerate() {
            // The endpoint (service and address) decides the tree parent: the server's, or the
            // client's.
            let (service, host) = if on_back { ("back", back) } else { ("front", "10.0.0.1") };
            spans.push(local(&format!("b{k}"), "a", server_ts + at, 5, service, host));
        }
        let m = model(spans);
        let (cts, sts) = (client_ts as i64, server_ts as i64);
        let (cd, sd) = (client_dur.unwrap_or(0) as i64, server_dur.unwrap_or(0) as i64);
        let expected = if same_host || sts > cts {
            0
        } else if cd == 0 || sd == 0 || cd < sd {
            // One-way, or the client finished first: the server goes 1 µs after the client.
            cts - sts + 1
        } else {
            cts + (cd - sd) / 2 - sts
        };
        proptest::prop_assert_eq!(delta(&m, "a", false), 0);
        proptest::prop_assert_eq!(delta(&m, "a", true), expected);
        for (k, &(on_back, _)) in kids.iter().enumerate() {
            let want = if on_back || same_host { expected } else { 0 };
            proptest::prop_assert_eq!(delta(&m, &format!("b{k}"), false), want, "child {}", k);
        }
    }
}
