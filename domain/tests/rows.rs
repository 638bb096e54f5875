#![cfg(not(target_arch = "wasm32"))]
//! The waterfall's visible rows on small hand-made traces: order, depth, connectors, offsets,
//! collapse, focus, the skew switch, untimed rows, colours and errors; Zipkin Lens's
//! buildTimelineTree.test.ts (connectors) and Jaeger UI's duck.test.js (collapse all, one level)
//! cases ported; a property compares every visible row with the model's figures.
mod common;

use common::*;
use spanscope_domain::rows::{expandable_rows, view_window, visible_rows, Connector, RowOptions, VisibleRows};
use spanscope_domain::span::{Kind, Span};
use spanscope_domain::trace_model::{ErrorKind, TraceModel, NO_SERVICE};
use std::collections::HashSet;

/// a ─┬─ b ─┬─ c
///    │     └─ d
///    └─ e ─── f
fn tree() -> TraceModel {
    model(vec![
        timed("a", None, 1_000, 100, "alpha", "root"),
        timed("b", Some("a"), 1_010, 50, "beta", "b"),
        timed("c", Some("b"), 1_020, 10, "gamma", "c"),
        Span { tags: tags(&[("error", "")]), ..timed("d", Some("b"), 1_040, 15, "beta", "d") },
        timed("e", Some("a"), 1_070, 40, "alpha", "e"),
        Span { annotations: vec![ann(1_085, "error")], ..timed("f", Some("e"), 1_080, 10, "delta", "f") },
    ])
}

fn view(m: &TraceModel, collapsed: &[u32], focus: Option<u32>, skew: bool) -> VisibleRows {
    let set: HashSet<u32> = collapsed.iter().copied().collect();
    visible_rows(m, &RowOptions { collapsed: Some(&set), focus, skew, ..Default::default() })
}

fn ids<'a>(m: &'a TraceModel, v: &VisibleRows) -> Vec<&'a str> {
    v.rows.iter().map(|r| row_id(m, r.row)).collect()
}

#[test]
fn all_rows_in_depth_first_order_with_connectors() {
    let m = tree();
    let v = view(&m, &[], None, true);
    assert_eq!(ids(&m, &v), ["a", "b", "c", "d", "e", "f"]);
    let shape: Vec<(u32, Connector, bool)> = v.rows.iter().map(|r| (r.depth, r.connector, r.has_children)).collect();
    assert_eq!(
        shape,
        [
            (0, Connector::None, true),
            (1, Connector::Tee, true),
            (2, Connector::Tee, false),
            (2, Connector::Elbow, false),
            (1, Connector::Elbow, true),
            (2, Connector::Elbow, false),
        ]
    );
    assert_eq!((v.start, v.duration), (1_000, 110));
    let timing: Vec<(u64, u64)> = v.rows.iter().map(|r| (r.offset, r.duration)).collect();
    assert_eq!(timing, [(0, 100), (10, 50), (20, 10), (40, 15), (70, 40), (80, 10)]);
    assert!(v.rows.iter().all(|r| r.has_timestamp && !r.collapsed));
}

#[test]
fn colours_are_service_indices_and_errors_are_kept() {
    let m = tree();
    assert_eq!(m.services(), ["alpha", "beta", "delta", "gamma"]);
    let v = view(&m, &[], None, true);
    let colours: Vec<u32> = v.rows.iter().map(|r| r.color).collect();
    assert_eq!(colours, [0, 1, 3, 1, 0, 2]);
    let errors: Vec<ErrorKind> = v.rows.iter().map(|r| r.error).collect();
    let (none, critical, transient) = (ErrorKind::None, ErrorKind::Critical, ErrorKind::Transient);
    assert_eq!(errors, [none, none, none, critical, none, transient]);
    let no_service = model(vec![span("a", None, Some(1), Some(1))]);
    assert_eq!(view(&no_service, &[], None, true).rows[0].color, NO_SERVICE);
}

#[test]
fn collapsing_hides_the_subtree_only() {
    let m = tree();
    let b = row_of(&m, "b");
    let v = view(&m, &[b], None, true);
    assert_eq!(ids(&m, &v), ["a", "b", "e", "f"]);
    assert!(v.rows[1].collapsed && v.rows[1].has_children);
    assert!(!v.rows[0].collapsed);
    // The window stays the whole trace.
    assert_eq!((v.start, v.duration), (1_000, 110));
    // Collapsing the root hides everything else; a collapsed leaf is not collapsed.
    assert_eq!(ids(&m, &view(&m, &[0], None, true)), ["a"]);
    let leaf = row_of(&m, "c");
    let v = view(&m, &[leaf], None, true);
    assert_eq!(v.rows.len(), 6);
    assert!(!v.rows[leaf as usize].collapsed);
}

#[test]
fn a_collapsed_row_inside_a_collapsed_row_stays_hidden_and_reappears_collapsed() {
    let m = tree();
    let (b, e) = (row_of(&m, "b"), row_of(&m, "e"));
    assert_eq!(ids(&m, &view(&m, &[0, b, e], None, true)), ["a"]);
    let v = view(&m, &[b, e], None, true);
    assert_eq!(ids(&m, &v), ["a", "b", "e"]);
    assert!(v.rows[1].collapsed && v.rows[2].collapsed);
}

#[test]
fn expandable_rows_are_those_with_children() {
    let m = tree();
    let mut got: Vec<&str> = expandable_rows(&m).into_iter().map(|r| row_id(&m, r)).collect();
    got.sort();
    assert_eq!(got, ["a", "b", "e"]);
    assert_eq!(ids(&m, &view(&m, &expandable_rows(&m).into_iter().collect::<Vec<_>>(), None, true)), ["a"]);
}

#[test]
fn focus_shows_a_subtree_measured_from_its_start() {
    let m = tree();
    let b = row_of(&m, "b");
    let v = view(&m, &[], Some(b), true);
    assert_eq!(ids(&m, &v), ["b", "c", "d"]);
    let shape: Vec<(u32, Connector, u64)> = v.rows.iter().map(|r| (r.depth, r.connector, r.offset)).collect();
    assert_eq!(shape, [(0, Connector::None, 0), (1, Connector::Tee, 10), (1, Connector::Elbow, 30)]);
    assert_eq!((v.start, v.duration), (1_010, 50));
    assert_eq!(view_window(&m, Some(b), true), (1_010, 1_060));
}

#[test]
fn focus_window_includes_children_overflowing_the_focused_row() {
    let m = local_overflow();
    let b = row_of(&m, "b");
    assert_eq!(view_window(&m, Some(b), false), (1_005, 1_080));
    let v = view(&m, &[], Some(b), false);
    let offsets: Vec<u64> = v.rows.iter().map(|r| r.offset).collect();
    assert_eq!(offsets, [5, 0]);
}

fn local_overflow() -> TraceModel {
    // c starts before and ends after its parent b.
    model(vec![
        timed("a", None, 1_000, 100, "svc", "a"),
        timed("b", Some("a"), 1_010, 20, "svc", "b"),
        timed("c", Some("b"), 1_005, 75, "svc", "c"),
    ])
}

#[test]
fn focus_and_collapse_combine() {
    let m = tree();
    let b = row_of(&m, "b");
    let v = view(&m, &[b], Some(b), true);
    assert_eq!(ids(&m, &v), ["b"]);
    assert!(v.rows[0].collapsed);
    // The window is still the focused subtree's, though its children are hidden.
    assert_eq!((v.start, v.duration), (1_010, 50));
}

#[test]
fn focus_on_a_leaf_or_a_missing_row() {
    let m = tree();
    let c = row_of(&m, "c");
    let v = view(&m, &[], Some(c), true);
    assert_eq!(ids(&m, &v), ["c"]);
    assert_eq!((v.start, v.duration, v.rows[0].offset, v.rows[0].depth), (1_020, 10, 0, 0));
    // A focus that is not a row is no focus.
    let all = view(&m, &[], Some(99), true);
    assert_eq!(all.rows.len(), 6);
    assert_eq!(view_window(&m, Some(99), true), m.bounds(true));
}

#[test]
fn an_empty_model_has_no_rows() {
    let m = model(vec![]);
    assert_eq!(view(&m, &[], None, true), VisibleRows::default());
    assert_eq!(view(&m, &[], Some(0), false), VisibleRows::default());
    assert!(expandable_rows(&m).is_empty());
}

#[test]
fn untimed_rows_sit_at_their_parents_offset() {
    let m = model(vec![
        timed("a", None, 1_000, 100, "svc", "a"),
        timed("b", Some("a"), 1_030, 20, "svc", "b"),
        span("c", Some("b"), None, Some(5)),
        span("d", Some("c"), None, None),
    ]);
    let v = view(&m, &[], None, true);
    let got: Vec<(&str, u64, u64, bool)> =
        v.rows.iter().map(|r| (row_id(&m, r.row), r.offset, r.duration, r.has_timestamp)).collect();
    assert_eq!(got, [("a", 0, 100, true), ("b", 30, 20, true), ("c", 30, 5, false), ("d", 30, 0, false)]);
}

#[test]
fn headless_rows_are_all_top_level() {
    let m = model(vec![
        timed("b", Some("x"), 1_020, 10, "svc", "b"),
        timed("a", Some("x"), 1_000, 10, "svc", "a"),
        timed("c", Some("a"), 1_005, 2, "svc", "c"),
    ]);
    let v = view(&m, &[], None, true);
    let got: Vec<(&str, u32, Connector)> = v.rows.iter().map(|r| (row_id(&m, r.row), r.depth, r.connector)).collect();
    assert_eq!(got, [("a", 0, Connector::None), ("c", 1, Connector::Elbow), ("b", 0, Connector::None)]);
    assert_eq!((v.start, v.duration), (1_000, 30));
}

/// A client root on one host calling a server whose clock is 120 µs behind.
fn skewed() -> TraceModel {
    model(vec![
        Span {
            kind: Some(Kind::Client),
            local_endpoint: ep_ip("front", "10.0.0.1"),
            ..timed("a", None, 1_000, 100, "front", "call")
        },
        Span {
            kind: Some(Kind::Server),
            shared: Some(true),
            local_endpoint: ep_ip("back", "10.0.0.2"),
            ..timed("a", None, 890, 80, "back", "serve")
        },
        Span { local_endpoint: ep_ip("back", "10.0.0.2"), ..timed("c", Some("a"), 900, 30, "back", "work") },
    ])
}

#[test]
fn the_skew_switch_changes_offsets_and_the_window() {
    let m = skewed();
    // Latency (100 − 80) / 2 = 10; skew 890 − 10 − 1000 = −120: the server host moves +120.
    let on = view(&m, &[], None, true);
    let off = view(&m, &[], None, false);
    assert_eq!(ids(&m, &on), ["a", "c"]);
    assert_eq!((on.start, on.duration), (1_000, 100));
    assert_eq!((off.start, off.duration), (890, 210));
    let offsets = |v: &VisibleRows| v.rows.iter().map(|r| r.offset).collect::<Vec<_>>();
    assert_eq!(offsets(&on), [0, 20]);
    assert_eq!(offsets(&off), [110, 10]);
    // The row keeps the client's duration either way.
    assert_eq!(on.rows[0].duration, 100);
}

#[test]
fn a_ten_thousand_deep_chain_collapses_and_focuses() {
    let n = 10_000u64;
    let id = |i: u64| format!("{:x}", i + 1);
    let spans: Vec<Span> = (0..n)
        .map(|i| timed(&id(i), (i > 0).then(|| id(i - 1)).as_deref(), 1_000 + i, 2 * (n - i), "svc", "op"))
        .collect();
    let m = model(spans);
    assert_eq!(ids(&m, &view(&m, &[0], None, true)), ["1"]);
    let all = view(&m, &[], None, true);
    assert_eq!(all.rows.len() as u64, n);
    assert!(all.rows.iter().enumerate().all(|(i, r)| r.depth == i as u32 && r.offset == i as u64));
    assert!(all.rows[1..].iter().all(|r| r.connector == Connector::Elbow));
    let mid = 5_000u32;
    let f = view(&m, &[mid + 10], Some(mid), true);
    assert_eq!(f.rows.len(), 11);
    assert_eq!((f.start, f.duration), (1_000 + 5_000, 2 * (n - 5_000)));
    let last = f.rows.last().unwrap();
    assert_eq!((last.row, last.depth, last.offset, last.collapsed), (mid + 10, 10, 10, true));
}

/// Local spans in one service, each 10 µs later than the one before: (id, parent).
fn chain_of(spans: &[(&str, Option<&str>)]) -> TraceModel {
    let n = spans.len() as u64;
    model(
        spans
            .iter()
            .enumerate()
            .map(|(i, &(id, p))| timed(id, p, 1_000 + 10 * i as u64, 10 * (n - i as u64), "svc", id))
            .collect(),
    )
}

/// (depth, connector) of every row with nothing collapsed.
fn shape(m: &TraceModel) -> Vec<(u32, Connector)> {
    view(m, &[], None, true).rows.iter().map(|r| (r.depth, r.connector)).collect()
}

use Connector::{Elbow, Tee};
const TOP: Connector = Connector::None;

// Lens buildTimelineTree.test.ts: "should build a timeline tree (case 1)". Lens draws a column
// per level; a row's own column (its depth − 1) is MIDDLE for a child with siblings after it
// (Tee here) and END for the last child (Elbow).
#[test]
fn lens_timeline_case_1_nested_children() {
    let m = chain_of(&[
        ("a", None),
        ("b", Some("a")),
        ("c", Some("b")),
        ("d", Some("c")),
        ("e", Some("b")),
        ("f", Some("e")),
        ("g", Some("a")),
    ]);
    assert_eq!(row_ids(&m), ["a", "b", "c", "d", "e", "f", "g"]);
    assert_eq!(shape(&m), [(0, TOP), (1, Tee), (2, Tee), (3, Elbow), (2, Elbow), (3, Elbow), (1, Elbow)]);
}

// Lens buildTimelineTree.test.ts: "should build a timeline tree (case 2)" (two top-level trees:
// here a headless trace whose spans' parent x is missing)
#[test]
fn lens_timeline_case_2_two_top_level_trees() {
    let m = chain_of(&[("a", Some("x")), ("b", Some("a")), ("c", Some("x")), ("d", Some("c"))]);
    assert_eq!(shape(&m), [(0, TOP), (1, Elbow), (0, TOP), (1, Elbow)]);
}

// Lens buildTimelineTree.test.ts: "should build a timeline tree (case 3)"
#[test]
fn lens_timeline_case_3_siblings() {
    let m = chain_of(&[("a", None), ("b", Some("a")), ("c", Some("a")), ("d", Some("a"))]);
    assert_eq!(shape(&m), [(0, TOP), (1, Tee), (1, Tee), (1, Elbow)]);
}

// Lens buildTimelineTree.test.ts: "should build a timeline tree (case 4)"
#[test]
fn lens_timeline_case_4_grandchildren_then_a_child() {
    let m = chain_of(&[
        ("a", None),
        ("b", Some("a")),
        ("c", Some("b")),
        ("d", Some("b")),
        ("e", Some("b")),
        ("f", Some("a")),
    ]);
    assert_eq!(shape(&m), [(0, TOP), (1, Tee), (2, Tee), (2, Tee), (2, Elbow), (1, Elbow)]);
}

// Lens buildTimelineTree.test.ts: "should build a timeline tree (case 5)"
#[test]
fn lens_timeline_case_5_one_row() {
    assert_eq!(shape(&chain_of(&[("a", None)])), [(0, TOP)]);
}

// Lens buildTimelineTree.test.ts: "should build a timeline tree (case 6)" (a lone top-level row,
// then one with a child)
#[test]
fn lens_timeline_case_6_a_lone_top_level_row() {
    let m = chain_of(&[("a", Some("x")), ("b", Some("x")), ("c", Some("b"))]);
    assert_eq!(shape(&m), [(0, TOP), (0, TOP), (1, Elbow)]);
}

/// Jaeger duck.test.js "expands and collapses all spans": 0 ─┬─ 1 ── 2
///                                                            ├─ 3 ── 4
///                                                            └─ 5
fn jaeger_collapse_tree() -> TraceModel {
    chain_of(&[("a", None), ("b", Some("a")), ("c", Some("b")), ("d", Some("a")), ("e", Some("d")), ("f", Some("a"))])
}

// Jaeger TraceTimelineViewer/duck.test.js: "collapse all" (the rows with children: 0, 1 and 3)
#[test]
fn jaeger_collapse_all_is_every_row_with_children() {
    let m = jaeger_collapse_tree();
    let mut all: Vec<u32> = expandable_rows(&m).into_iter().collect();
    all.sort();
    assert_eq!(all, [0, 1, 3]);
    assert_eq!(ids(&m, &view(&m, &all, None, true)), ["a"]);
}

// Jaeger TraceTimelineViewer/duck.test.js: "expand one" from all collapsed and "collapse one"
// from none give the rows with children below the top level (1 and 3): the top level and its
// children show.
#[test]
fn jaeger_one_level_collapsed_shows_two_levels() {
    let m = jaeger_collapse_tree();
    let mut one = spanscope_domain::waterfall_view::collapse_to_depth(&m, 1).into_iter().collect::<Vec<u32>>();
    one.sort();
    assert_eq!(one, [1, 3]);
    assert_eq!(ids(&m, &view(&m, &one, None, true)), ["a", "b", "d", "f"]);
    // "expand all": nothing collapsed shows every row.
    assert_eq!(ids(&m, &view(&m, &[], None, true)), ["a", "b", "c", "d", "e", "f"]);
}

/// Small generated traces: ids from a pool of 14 (shared pairs, duplicates, missing parents,
/// cycles), two hosts, missing timestamps.
fn arb_trace() -> impl proptest::strategy::Strategy<Value = Vec<Span>> {
    use proptest::prelude::*;
    let one = (
        0u8..14,
        proptest::option::of(0u8..14),
        proptest::option::of(prop_oneof![Just(Kind::Client), Just(Kind::Server)]),
        proptest::option::of(0u64..300),
        proptest::option::of(1u64..200),
        0u8..2,
        any::<bool>(),
    )
        .prop_map(|(id, parent, k, ts, dur, host, is_shared)| Span {
            kind: k,
            timestamp: ts.map(|t| t + 1_000),
            duration: dur,
            shared: is_shared.then_some(true),
            local_endpoint: ep_ip(&format!("svc{host}"), &format!("10.0.0.{host}")),
            ..span(&format!("{id:x}"), parent.map(|p| format!("{p:x}")).as_deref(), None, None)
        });
    proptest::collection::vec(one, 1..40)
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 400, ..Default::default() })]

    /// Each visible row is what the model says, written plainly: shown when inside the focused
    /// subtree with no collapsed ancestor inside it; depth from the focus; the connector from
    /// the row's place among its siblings; the offset from the window's start.
    #[test]
    fn visible_rows_follow_the_model(
        spans in arb_trace(),
        picks in proptest::collection::vec(0u32..40, 0..5),
        focus in proptest::option::of(0u32..45),
        skew in proptest::prelude::any::<bool>(),
    ) {
        let m = model(spans);
        let collapsed: HashSet<u32> = picks.into_iter().collect();
        let v = visible_rows(&m, &RowOptions { collapsed: Some(&collapsed), focus, skew, ..Default::default() });
        let focus = focus.filter(|&f| f < m.row_count());
        let (lo, hi) = focus.map_or((0, m.row_count()), |f| (f, m.subtree_end(f)));
        let base = focus.map_or(0, |f| m.row(f).unwrap().depth);
        let hidden = |r: u32| m.ancestors(r).take_while(|&a| a >= lo).any(|a| collapsed.contains(&a));
        let want: Vec<u32> = (lo..hi).filter(|&r| !hidden(r)).collect();
        let got: Vec<u32> = v.rows.iter().map(|r| r.row).collect();
        proptest::prop_assert_eq!(got, want);
        let (start, end) = view_window(&m, focus, skew);
        proptest::prop_assert_eq!((v.start, v.duration), (start, end - start));
        for vr in &v.rows {
            let r = m.row(vr.row).unwrap();
            let connector = if r.parent == spanscope_domain::tree::NONE || Some(vr.row) == focus {
                Connector::None
            } else if r.is_last_child {
                Connector::Elbow
            } else {
                Connector::Tee
            };
            proptest::prop_assert_eq!(vr.connector, connector);
            proptest::prop_assert_eq!(vr.depth, r.depth - base);
            proptest::prop_assert_eq!(vr.offset, r.start_us(skew).saturating_sub(start));
            proptest::prop_assert_eq!(vr.collapsed, r.child_count > 0 && collapsed.contains(&vr.row));
            proptest::prop_assert_eq!((vr.duration, vr.color, vr.error), (r.duration, r.service, r.error));
        }
    }
}
