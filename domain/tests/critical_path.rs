#![cfg(not(target_arch = "wasm32"))]
//! The critical path on small hand-made traces with known answers: shared client/server rows,
//! ties, touching and overlapping children, skew, untimed and zero-length spans, headless
//! traces and a 10,000-deep chain; Jaeger UI's cpspan.test.ts 15,000-span chain; and a property:
//! on generated traces the sections tile the top row's window.
mod common;

use common::*;
use spanscope_domain::critical_path::{critical_path, CriticalPath};
use spanscope_domain::span::{Kind, Span};
use spanscope_domain::trace_model::TraceModel;

/// (row's span id, start, end) in time order.
fn sections(m: &TraceModel, skew: bool) -> Vec<(&str, u64, u64)> {
    critical_path(m, skew).sections.iter().map(|s| (row_id(m, s.row), s.start, s.end)).collect()
}

/// Local spans in one service: (id, parent, start, duration).
fn local(spans: &[(&str, Option<&str>, u64, u64)]) -> TraceModel {
    model(spans.iter().map(|&(id, p, s, d)| timed(id, p, s, d, "svc", id)).collect())
}

/// The sections tile the root row's window exactly: contiguous, in order, no gaps.
fn assert_tiles_root(m: &TraceModel, cp: &CriticalPath, skew: bool) {
    let root = m.row(cp.sections[0].row).unwrap();
    let (mut at, end) = (root.start_us(skew), root.end_us(skew));
    for s in &cp.sections {
        assert_eq!(s.start, at, "gap or overlap at {at}");
        assert!(s.end > s.start, "empty section");
        at = s.end;
    }
    assert_eq!(at, end);
    let total: u64 = cp.contributions.iter().map(|c| c.1).sum();
    assert_eq!(total, end - root.start_us(skew));
}

#[test]
fn empty_and_untimed_traces_have_no_path() {
    assert_eq!(critical_path(&model(vec![]), true), CriticalPath::default());
    let untimed = model(vec![span("a", None, None, Some(5)), span("b", Some("a"), None, Some(3))]);
    assert_eq!(critical_path(&untimed, true), CriticalPath::default());
    assert_eq!(critical_path(&untimed, false).contribution(0), 0);
}

#[test]
fn a_single_span_is_its_own_path() {
    let m = local(&[("a", None, 1_000, 250)]);
    assert_eq!(sections(&m, true), [("a", 1_000, 1_250)]);
    assert_eq!(critical_path(&m, true).contributions, [(0, 250)]);
}

#[test]
fn a_zero_duration_root_has_no_section() {
    // Zipkin reads duration 0 as unknown: the root is a point in time and covers nothing.
    let m = model(vec![span("a", None, Some(1_000), Some(0)), span("b", Some("a"), Some(1_000), Some(0))]);
    let cp = critical_path(&m, true);
    assert!(cp.sections.is_empty());
    assert!(cp.contributions.is_empty());
}

#[test]
fn a_child_without_timestamp_is_not_on_the_path() {
    let m = model(vec![timed("a", None, 1_000, 100, "svc", "a"), span("b", Some("a"), None, Some(80))]);
    assert_eq!(sections(&m, true), [("a", 1_000, 1_100)]);
    assert_eq!(critical_path(&m, true).contribution(row_of(&m, "b")), 0);
}

#[test]
fn a_child_with_zero_duration_takes_no_time() {
    let m = model(vec![timed("a", None, 1_000, 100, "svc", "a"), span("b", Some("a"), Some(1_050), None)]);
    assert_eq!(sections(&m, true), [("a", 1_000, 1_050), ("a", 1_050, 1_100)]);
    assert_eq!(critical_path(&m, true).contributions, [(0, 100)]);
}

#[test]
fn touching_children_are_both_on_the_path() {
    // Jaeger's findLastFinishingChildSpan asks for a child ending strictly before the returning
    // child's start, so it would drop b here and charge a with [1000, 1050); b ends exactly when
    // c starts, so c waited for b: b is on the path.
    let m = local(&[("a", None, 1_000, 100), ("b", Some("a"), 1_010, 40), ("c", Some("a"), 1_050, 40)]);
    assert_eq!(
        sections(&m, true),
        [("a", 1_000, 1_010), ("b", 1_010, 1_050), ("c", 1_050, 1_090), ("a", 1_090, 1_100)]
    );
}

#[test]
fn children_ending_together_pick_the_earlier_row() {
    let m = local(&[("a", None, 1_000, 100), ("b", Some("a"), 1_010, 40), ("c", Some("a"), 1_020, 30)]);
    assert_eq!(sections(&m, true), [("a", 1_000, 1_010), ("b", 1_010, 1_050), ("a", 1_050, 1_100)]);
    assert_eq!(critical_path(&m, true).contribution(row_of(&m, "c")), 0);
}

#[test]
fn a_child_ending_after_the_cursor_never_comes_back() {
    // d finishes last; before d's start (1065) b (ends 1070) does not fit but c (ends 1060) does.
    let m = local(&[
        ("a", None, 1_000, 100),
        ("b", Some("a"), 1_010, 60),
        ("c", Some("a"), 1_020, 40),
        ("d", Some("a"), 1_065, 15),
    ]);
    assert_eq!(
        sections(&m, true),
        [("a", 1_000, 1_020), ("c", 1_020, 1_060), ("a", 1_060, 1_065), ("d", 1_065, 1_080), ("a", 1_080, 1_100)]
    );
    assert_tiles_root(&m, &critical_path(&m, true), true);
}

#[test]
fn recursion_goes_through_grandchildren() {
    let m = local(&[
        ("a", None, 1_000, 100),
        ("b", Some("a"), 1_010, 80),
        ("c", Some("b"), 1_020, 20),
        ("d", Some("b"), 1_050, 30),
        ("e", Some("d"), 1_055, 10),
    ]);
    assert_eq!(
        sections(&m, true),
        [
            ("a", 1_000, 1_010),
            ("b", 1_010, 1_020),
            ("c", 1_020, 1_040),
            ("b", 1_040, 1_050),
            ("d", 1_050, 1_055),
            ("e", 1_055, 1_065),
            ("d", 1_065, 1_080),
            ("b", 1_080, 1_090),
            ("a", 1_090, 1_100),
        ]
    );
    let cp = critical_path(&m, true);
    let contrib: Vec<(&str, u64)> = cp.contributions.iter().map(|&(r, c)| (row_id(&m, r), c)).collect();
    assert_eq!(contrib, [("a", 20), ("b", 30), ("c", 20), ("d", 20), ("e", 10)]);
    assert_tiles_root(&m, &cp, true);
}

/// A root server, a call whose client and shared server are one row, and work in the server.
fn rpc_trace(server_ts: u64) -> TraceModel {
    model(vec![
        kind(
            Span { local_endpoint: ep_ip("front", "10.0.0.1"), ..timed("a", None, 1_000, 100, "front", "get") },
            Kind::Server,
        ),
        Span {
            kind: Some(Kind::Client),
            local_endpoint: ep_ip("front", "10.0.0.1"),
            ..timed("b", Some("a"), 1_010, 80, "front", "call")
        },
        Span {
            kind: Some(Kind::Server),
            shared: Some(true),
            local_endpoint: ep_ip("back", "10.0.0.2"),
            ..timed("b", Some("a"), server_ts, 60, "back", "serve")
        },
        Span { local_endpoint: ep_ip("back", "10.0.0.2"), ..timed("c", Some("b"), server_ts + 10, 30, "back", "work") },
    ])
}

#[test]
fn a_client_and_its_shared_server_are_one_unit() {
    let m = rpc_trace(1_020);
    assert_eq!(row_ids(&m), ["a", "b", "c"]);
    // The row spans the client's [1010, 1090]; the server's child is the row's child.
    assert_eq!(
        sections(&m, true),
        [("a", 1_000, 1_010), ("b", 1_010, 1_030), ("c", 1_030, 1_060), ("b", 1_060, 1_090), ("a", 1_090, 1_100)]
    );
}

#[test]
fn skew_correction_moves_work_onto_the_path() {
    // The server's clock is 110 µs behind: as reported, its child ends before the client starts.
    let m = rpc_trace(900);
    assert_eq!(sections(&m, false), [("a", 1_000, 1_010), ("b", 1_010, 1_090), ("a", 1_090, 1_100)]);
    // Corrected: latency (80 − 60) / 2 = 10, skew 900 − 10 − 1010 = −120; c moves to [1030, 1060].
    assert_eq!(
        sections(&m, true),
        [("a", 1_000, 1_010), ("b", 1_010, 1_030), ("c", 1_030, 1_060), ("b", 1_060, 1_090), ("a", 1_090, 1_100)]
    );
}

#[test]
fn a_client_to_server_call_blocks_but_a_consumer_does_not() {
    let produce = |consumer_kind: Kind| {
        model(vec![
            timed("a", None, 1_000, 100, "svc", "root"),
            kind(timed("b", Some("a"), 1_010, 20, "svc", "send"), Kind::Producer),
            kind(timed("c", Some("b"), 1_020, 60, "worker", "receive"), consumer_kind),
        ])
    };
    let consumer = produce(Kind::Consumer);
    assert_eq!(sections(&consumer, true), [("a", 1_000, 1_010), ("b", 1_010, 1_030), ("a", 1_030, 1_100)]);
    // The same shape with a server under the producer is ordinary blocking work (clipped to b).
    let server = produce(Kind::Server);
    assert_eq!(
        sections(&server, true),
        [("a", 1_000, 1_010), ("b", 1_010, 1_020), ("c", 1_020, 1_030), ("a", 1_030, 1_100)]
    );
}

#[test]
fn headless_trace_starts_from_the_top_row_ending_last() {
    let m = local(&[("a", Some("x"), 1_000, 50), ("b", Some("x"), 1_020, 100), ("c", Some("b"), 1_030, 10)]);
    assert!(m.report().headless);
    assert_eq!(sections(&m, true), [("b", 1_020, 1_030), ("c", 1_030, 1_040), ("b", 1_040, 1_120)]);
    assert_eq!(critical_path(&m, true).contribution(row_of(&m, "a")), 0);
}

#[test]
fn extra_roots_under_the_root_are_clipped_to_it() {
    // e is a second root: it hangs under a and, starting after a ends, is not on a's path.
    let m = local(&[("a", None, 1_000, 100), ("b", Some("a"), 1_010, 20), ("e", None, 1_200, 10)]);
    assert_eq!(sections(&m, true), [("a", 1_000, 1_010), ("b", 1_010, 1_030), ("a", 1_030, 1_100)]);
}

#[test]
fn a_ten_thousand_deep_chain_is_walked_without_recursion() {
    // Span i is [base + i, base + 2n − i]: each child starts 1 µs in and ends 1 µs early.
    let n = 10_000u64;
    let base = 1_000_000;
    let id = |i: u64| format!("{:x}", i + 1);
    let spans: Vec<Span> = (0..n)
        .map(|i| timed(&id(i), (i > 0).then(|| id(i - 1)).as_deref(), base + i, 2 * (n - i), "svc", "op"))
        .collect();
    let m = model(spans);
    let cp = critical_path(&m, true);
    assert_eq!(cp.sections.len() as u64, 2 * n - 1);
    assert_eq!(cp.sections[0], spanscope_domain::critical_path::CriticalSection { row: 0, start: base, end: base + 1 });
    let leaf = &cp.sections[n as usize - 1];
    assert_eq!((leaf.row as u64, leaf.start, leaf.end), (n - 1, base + n - 1, base + n + 1));
    assert_eq!(cp.sections.last().unwrap().end, base + 2 * n);
    assert_eq!(cp.contributions.len() as u64, n);
    assert!(cp.contributions.iter().all(|&(_, c)| c == 2));
    assert_tiles_root(&m, &cp, true);
}

// Jaeger CriticalPath/utils/cpspan.test.ts: "should not overflow stack on a chain of 15000
// blocking spans" (all spans [0, 1]; here [1000, 1001], as Zipkin reads timestamp 0 as none).
// Every span covers its parent exactly, so the deepest one takes the whole microsecond.
#[test]
fn jaeger_a_chain_of_15000_equal_spans_gives_the_leaf_everything() {
    let n = 15_000u32;
    let id = |i: u32| format!("{:x}", i + 1);
    let spans: Vec<Span> =
        (0..n).map(|i| timed(&id(i), (i > 0).then(|| id(i - 1)).as_deref(), 1_000, 1, "svc", "op")).collect();
    let m = model(spans);
    assert_eq!(m.row_count(), n);
    let cp = critical_path(&m, true);
    assert_eq!(
        cp.sections,
        [spanscope_domain::critical_path::CriticalSection { row: n - 1, start: 1_000, end: 1_001 }]
    );
    assert_eq!(cp.contributions, [(n - 1, 1)]);
}

/// Small generated traces: ids from a pool of 16 (so shared pairs, duplicates, missing parents
/// and cycles occur), two hosts, all kinds.
fn arb_trace() -> impl proptest::strategy::Strategy<Value = Vec<Span>> {
    use proptest::prelude::*;
    let span = (
        0u8..16,
        proptest::option::of(0u8..16),
        proptest::option::of(prop_oneof![
            Just(Kind::Client),
            Just(Kind::Server),
            Just(Kind::Producer),
            Just(Kind::Consumer)
        ]),
        proptest::option::of(0u64..400),
        proptest::option::of(0u64..300),
        0u8..2,
        any::<bool>(),
    )
        .prop_map(|(id, parent, kind, ts, dur, host, is_shared)| Span {
            kind,
            timestamp: ts.map(|t| t + 1_000),
            duration: dur,
            shared: is_shared.then_some(true),
            local_endpoint: ep_ip(&format!("svc{host}"), &format!("10.0.0.{host}")),
            ..span(&format!("{id:x}"), parent.map(|p| format!("{p:x}")).as_deref(), None, None)
        });
    proptest::collection::vec(span, 1..40)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 500, ..Default::default() })]

    /// Whatever the trace, the path tiles the chosen top row's window: sections in order, each
    /// inside its row's window clipped to its ancestors' (Jaeger's sanitising) and that row in
    /// the top row's subtree, and the contributions add up to the window's length.
    #[test]
    fn the_path_tiles_the_top_rows_window(spans in arb_trace(), skew in proptest::prelude::any::<bool>()) {
        let m = model(spans);
        let cp = critical_path(&m, skew);
        let Some(first) = cp.sections.first() else {
            return Ok(());
        };
        // The top row is the top-level row whose subtree holds every section.
        let mut top = first.row;
        while let Some(p) = m.row(top).map(|r| r.parent).filter(|&p| p != spanscope_domain::tree::NONE) {
            top = p;
        }
        let root = m.row(top).unwrap();
        let (start, end) = (root.start_us(skew), root.end_us(skew));
        let mut at = start;
        for s in &cp.sections {
            proptest::prop_assert_eq!(s.start, at);
            proptest::prop_assert!(s.end > s.start);
            proptest::prop_assert!(s.row >= top && s.row < root.subtree_end);
            proptest::prop_assert!(m.row(s.row).unwrap().has_timestamp);
            // A section lies inside its row's window clipped to every ancestor's up to the top.
            let (mut lo, mut hi) = (0, u64::MAX);
            let mut r = s.row;
            loop {
                let row = m.row(r).unwrap();
                lo = lo.max(row.start_us(skew));
                hi = hi.min(row.end_us(skew));
                if r == top {
                    break;
                }
                r = row.parent;
            }
            proptest::prop_assert!(s.start >= lo && s.end <= hi, "{s:?} outside [{lo}, {hi}]");
            at = s.end;
        }
        proptest::prop_assert_eq!(at, end);
        let total: u64 = cp.contributions.iter().map(|c| c.1).sum();
        proptest::prop_assert_eq!(total, end - start);
        proptest::prop_assert!(cp.contributions.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
