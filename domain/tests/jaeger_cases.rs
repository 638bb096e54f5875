#![cfg(not(target_arch = "wasm32"))]
//! Jaeger UI's own test cases, ported: the critical path (`TracePage/CriticalPath/index.test.js`
//! with `testCases/test1..9.js`, `findLastFinishingChildSpan.test.js`,
//! `sanitizeOverFlowingChildren.test.js`), self time (`utils/compute-span-self-time.test.ts`),
//! the trace statistics table (`TraceStatistics/tableValues.test.js`), and timestamp repair and
//! orphans (`model/transform-trace-data.test.js`).
//!
//! Jaeger spans become Zipkin local spans (no kind, distinct ids, one service per Jaeger
//! process), so every row is one span and Jaeger's span names map to our hex ids as written in
//! each test. Jaeger lists critical sections from the end backwards; ours are in time order.
//! Jaeger's statistics are in milliseconds rounded to two places; ours are exact microseconds.
mod common;

use common::*;
use spanscope_domain::critical_path::critical_path;
use spanscope_domain::span::{Kind, Span};
use spanscope_domain::stats::{self_times, trace_stats, SpanStats};
use spanscope_domain::trace_model::TraceModel;

/// A Jaeger span: (id, parent, start, duration), all in one service.
type J<'a> = (&'a str, Option<&'a str>, u64, u64);

fn jaeger(spans: &[J]) -> TraceModel {
    model(spans.iter().map(|&(id, parent, start, dur)| timed(id, parent, start, dur, "svc", id)).collect())
}

/// The critical path as (row's span id, start, end), in time order.
fn sections(m: &TraceModel) -> Vec<(&str, u64, u64)> {
    critical_path(m, true).sections.iter().map(|s| (row_id(m, s.row), s.start, s.end)).collect()
}

fn contribution(m: &TraceModel, id: &str) -> u64 {
    critical_path(m, true).contribution(row_of(m, id))
}

/// Jaeger test1: span C (c) with children D (d) and E (e).
fn test1() -> TraceModel {
    jaeger(&[("e", Some("c"), 50, 10), ("c", None, 1, 100), ("d", Some("c"), 20, 20)])
}

/// Jaeger test2: span X (f) with overlapping children A (a) and C (c).
fn test2() -> TraceModel {
    jaeger(&[("f", None, 1, 100), ("a", Some("f"), 10, 40), ("c", Some("f"), 20, 40)])
}

// Jaeger CriticalPath/index.test.js "should find criticalPathSections correctly": test1
#[test]
fn jaeger_test1_two_sequential_children() {
    let m = test1();
    assert_eq!(sections(&m), [("c", 1, 20), ("d", 20, 40), ("c", 40, 50), ("e", 50, 60), ("c", 60, 101)]);
}

// Jaeger CriticalPath/index.test.js "should find criticalPathSections correctly": test2
#[test]
fn jaeger_test2_overlapping_children_only_the_last_finishing_counts() {
    let m = test2();
    assert_eq!(sections(&m), [("f", 1, 20), ("c", 20, 60), ("f", 60, 101)]);
    assert_eq!(contribution(&m, "a"), 0);
}

// Jaeger CriticalPath/index.test.js "should find criticalPathSections correctly": test3
// (traceWithSingleChildLongerThanParentAndStartsAfterParent.json: the child is dropped)
#[test]
fn jaeger_test3_a_child_starting_after_its_parent_ends_is_dropped() {
    let m = jaeger(&[("6c3cf93508f205", None, 100, 40), ("2dc4b796e2127e32", Some("6c3cf93508f205"), 200, 300)]);
    assert_eq!(sections(&m), [("6c3cf93508f205", 100, 140)]);
}

// Jaeger CriticalPath/index.test.js "should find criticalPathSections correctly": test4 (child
// and grandchild after the parent: both dropped)
#[test]
fn jaeger_test4_child_and_grandchild_after_the_parent_are_dropped() {
    let m = jaeger(&[("a", None, 1, 30), ("b", Some("a"), 40, 40), ("c", Some("b"), 50, 10)]);
    assert_eq!(sections(&m), [("a", 1, 31)]);
}

// Jaeger CriticalPath/index.test.js "should find criticalPathSections correctly": test5 (a
// consumer under a producer does not block it: its subtree is left out)
#[test]
fn jaeger_test5_a_consumer_does_not_block_its_producer() {
    let m = model(vec![
        kind(timed("a", None, 1, 30, "svc", "a"), Kind::Producer),
        kind(timed("b", Some("a"), 10, 10, "svc", "b"), Kind::Consumer),
        timed("c", Some("b"), 12, 2, "svc", "c"),
    ]);
    assert_eq!(sections(&m), [("a", 1, 31)]);
    assert_eq!((contribution(&m, "b"), contribution(&m, "c")), (0, 0));
}

// Jaeger CriticalPath/index.test.js "should find criticalPathSections correctly": test6 (the
// child overflows its parent's end and the grandchild starts before the child: both clipped)
#[test]
fn jaeger_test6_overflowing_child_and_early_grandchild_are_clipped() {
    let m = jaeger(&[("a", None, 1, 29), ("b", Some("a"), 15, 20), ("c", Some("b"), 10, 15)]);
    assert_eq!(sections(&m), [("a", 1, 15), ("c", 15, 25), ("b", 25, 30)]);
}

// Jaeger CriticalPath/index.test.js "should find criticalPathSections correctly": test7
#[test]
fn jaeger_test7_nested_overflowing_children_are_clipped_to_the_root() {
    let m = jaeger(&[("a", None, 1, 29), ("b", Some("a"), 15, 20), ("c", Some("b"), 20, 20)]);
    assert_eq!(sections(&m), [("a", 1, 15), ("b", 15, 20), ("c", 20, 30)]);
}

// Jaeger CriticalPath/index.test.js "should find criticalPathSections correctly": test8 (a child
// longer than its parent on both sides covers all of it)
#[test]
fn jaeger_test8_a_child_covering_its_parent_takes_the_whole_path() {
    let m = jaeger(&[("a", None, 10, 20), ("b", Some("a"), 5, 30)]);
    assert_eq!(sections(&m), [("b", 10, 30)]);
    assert_eq!(contribution(&m, "a"), 0);
}

// Jaeger CriticalPath/index.test.js "should find criticalPathSections correctly": test9 (a child
// ending before its parent starts is dropped)
#[test]
fn jaeger_test9_a_child_ending_before_its_parent_starts_is_dropped() {
    let m = jaeger(&[("a", None, 10, 20), ("b", Some("a"), 1, 4)]);
    assert_eq!(sections(&m), [("a", 10, 30)]);
}

// Jaeger findLastFinishingChildSpan.test.js "Should find lfc of a span correctly": C's last
// finishing child is E; before E's start (50) it is D. Seen as contributions on the path.
#[test]
fn jaeger_lfc_test1_last_finishing_child_then_the_one_before_its_start() {
    let m = test1();
    assert_eq!(contribution(&m, "e"), 10);
    assert_eq!(contribution(&m, "d"), 20);
    assert_eq!(contribution(&m, "c"), 19 + 10 + 41);
    let cp = critical_path(&m, true);
    let order: Vec<&str> = cp.contributions.iter().map(|&(r, _)| row_id(&m, r)).collect();
    assert_eq!(order, ["c", "d", "e"], "contributions are in row order");
}

// Jaeger findLastFinishingChildSpan.test.js "Should find lfc of a span correctly with test2":
// X's last finishing child is C; nothing finishes before C's start (20).
#[test]
fn jaeger_lfc_test2_no_child_finishes_before_the_chosen_ones_start() {
    let m = test2();
    assert_eq!(contribution(&m, "c"), 40);
    assert_eq!(contribution(&m, "f"), 19 + 41);
}

// Jaeger sanitizeOverFlowingChildren.test.js: "child starts before parent and ends after - both
// truncated" (test6: B becomes 15 long, C starts at 15 and is 10 long), "child starts before
// parent - child start truncated" (test7: B 15, C 10), "child starts before parent - child start
// adjusted" (test8: B starts at 10, 20 long)
#[test]
fn jaeger_sanitize_clipped_durations_show_in_contributions() {
    let t6 = jaeger(&[("a", None, 1, 29), ("b", Some("a"), 15, 20), ("c", Some("b"), 10, 15)]);
    assert_eq!((contribution(&t6, "b") + contribution(&t6, "c"), contribution(&t6, "c")), (15, 10));
    let t7 = jaeger(&[("a", None, 1, 29), ("b", Some("a"), 15, 20), ("c", Some("b"), 20, 20)]);
    assert_eq!((contribution(&t7, "b") + contribution(&t7, "c"), contribution(&t7, "c")), (15, 10));
    let t8 = jaeger(&[("a", None, 10, 20), ("b", Some("a"), 5, 30)]);
    assert_eq!(contribution(&t8, "b"), 20);
    // Clipping is for the path only: the rows keep their reported timing.
    let b = t8.row(row_of(&t8, "b")).unwrap();
    assert_eq!((b.start_us(true), b.duration), (5, 30));
}

// ---- compute-span-self-time.test.ts ----
// Zipkin reads timestamp 0 as "none", so every case is shifted by 1,000 µs.

fn self_time_of(parent: (u64, u64), children: &[(u64, u64)]) -> u64 {
    let base = 1_000;
    let mut spans = vec![timed("1", None, base + parent.0, parent.1, "svc", "p")];
    for (k, &(s, d)) in children.iter().enumerate() {
        spans.push(timed(&format!("{:x}", k + 16), Some("1"), base + s, d, "svc", "c"));
    }
    let m = model(spans);
    self_times(&m, false)[span_index(&m, "1", false) as usize]
}

// Jaeger compute-span-self-time.test.ts: "returns full duration for a leaf span"
#[test]
fn self_time_leaf_is_its_duration() {
    assert_eq!(self_time_of((0, 100), &[]), 100);
}

// Jaeger compute-span-self-time.test.ts: "subtracts a single child that fits within parent"
#[test]
fn self_time_subtracts_a_child_inside() {
    assert_eq!(self_time_of((0, 100), &[(10, 40)]), 60);
}

// Jaeger compute-span-self-time.test.ts: "handles two non-overlapping children"
#[test]
fn self_time_two_disjoint_children() {
    assert_eq!(self_time_of((0, 100), &[(10, 20), (50, 20)]), 60);
}

// Jaeger compute-span-self-time.test.ts: "handles overlapping children (parallel RPCs)"
#[test]
fn self_time_overlapping_children_count_once() {
    assert_eq!(self_time_of((0, 100), &[(10, 50), (30, 50)]), 30);
}

// Jaeger compute-span-self-time.test.ts: "clamps child that extends past parent end"
#[test]
fn self_time_clamps_a_child_past_the_end() {
    assert_eq!(self_time_of((0, 100), &[(50, 100)]), 50);
}

// Jaeger compute-span-self-time.test.ts: "skips child that starts after parent ends"
#[test]
fn self_time_ignores_a_child_after_the_end() {
    assert_eq!(self_time_of((0, 100), &[(120, 30)]), 100);
}

// Jaeger compute-span-self-time.test.ts: "skips child fully covered by previous child"
#[test]
fn self_time_nested_children_count_once() {
    assert_eq!(self_time_of((0, 100), &[(10, 60), (20, 30)]), 40);
}

// Jaeger compute-span-self-time.test.ts: "handles child starting at parent start"
#[test]
fn self_time_a_child_covering_all_leaves_zero() {
    assert_eq!(self_time_of((0, 100), &[(0, 100)]), 0);
}

// Jaeger compute-span-self-time.test.ts: "handles two children starting at parent start, one
// extending past"
#[test]
fn self_time_two_children_from_the_start_one_past_the_end() {
    assert_eq!(self_time_of((0, 100), &[(0, 60), (0, 120)]), 0);
}

// Jaeger compute-span-self-time.test.ts: "handles three short children with partial overlaps"
#[test]
fn self_time_three_children_partial_overlaps() {
    assert_eq!(self_time_of((0, 100), &[(10, 30), (30, 30), (70, 20)]), 30);
}

// Jaeger compute-span-self-time.test.ts: "returns zero (not negative) when children fully cover
// parent"
#[test]
fn self_time_never_negative() {
    assert_eq!(self_time_of((10, 40), &[(0, 100)]), 0);
}

// ---- TraceStatistics/tableValues.test.js ----

fn stat(s: &SpanStats) -> (&str, &str, u64, u64, u64, u64, u64) {
    (s.service.as_str(), s.operation.as_str(), s.count, s.total, s.min, s.max, s.self_time)
}

/// testTraceNormal.json: api-gateway (p2) calls customers-service (p1), which runs two queries.
fn trace_normal() -> TraceModel {
    let gw = "api-gateway";
    let cs = "customers-service";
    let q = "HikariProxyPreparedStatement.executeQuery";
    model(vec![
        Span {
            tags: tags(&[("database", "jdbc:hsqldb:mem:testdb"), ("sql", "select * from pet")]),
            ..timed("622a5079b565623e", Some("e821b549888cbc3b"), 1_579_070_675_085_840, 52, cs, q)
        },
        kind(
            timed(
                "e821b549888cbc3b",
                Some("22be69e72cbcde0b"),
                1_579_070_675_084_200,
                1739,
                cs,
                "GET /owners/8/pets/10",
            ),
            Kind::Server,
        ),
        Span {
            tags: tags(&[("database", "jdbc:hsqldb:mem:testdb"), ("sql", "select * from test")]),
            ..timed("4085dddb47429851", Some("e821b549888cbc3b"), 1_579_070_675_085_059, 21, cs, q)
        },
        kind(
            timed(
                "22be69e72cbcde0b",
                Some("150c193cf155b46b"),
                1_579_070_675_083_820,
                2499,
                gw,
                "GET /owners/8/pets/10",
            ),
            Kind::Client,
        ),
        kind(
            timed("150c193cf155b46b", None, 1_579_070_675_083_000, 4902, gw, "GET /api/customer/owners/8/pets/10"),
            Kind::Server,
        ),
    ])
}

// Jaeger tableValues.test.js: "get values only first nameSelector is selected (Service Name)"
// (count 2, total 7.4, min 2.5, max 4.9, self 3.16 ms; then count 3, total 1.81, min 0.02, max
// 1.74, self 1.74 ms)
#[test]
fn jaeger_table_by_service() {
    let st = trace_stats(&trace_normal(), false);
    let got: Vec<_> = st.by_service.iter().map(stat).collect();
    assert_eq!(
        got,
        [
            ("api-gateway", "", 2, 7401, 2499, 4902, 2403 + 760),
            ("customers-service", "", 3, 1812, 21, 1739, 1666 + 52 + 21),
        ]
    );
    assert_eq!(st.by_service[0].avg(), 3700.5);
    assert_eq!(st.by_service[1].avg(), 604.0);
}

// Jaeger tableValues.test.js: "get values two dropdowns are selected (Service Name, Operation
// Name" (4.9/2.4, 2.5/0.76, 1.74/1.67, and the two queries 0.07/0.07 ms)
#[test]
fn jaeger_table_by_service_and_operation() {
    let st = trace_stats(&trace_normal(), false);
    let got: Vec<_> = st.by_operation.iter().map(stat).collect();
    assert_eq!(
        got,
        [
            ("api-gateway", "GET /api/customer/owners/8/pets/10", 1, 4902, 4902, 4902, 2403),
            ("api-gateway", "GET /owners/8/pets/10", 1, 2499, 2499, 2499, 760),
            ("customers-service", "GET /owners/8/pets/10", 1, 1739, 1739, 1739, 1666),
            ("customers-service", "HikariProxyPreparedStatement.executeQuery", 2, 73, 21, 52, 73),
        ]
    );
}

/// spansAmongEachOther*.json: a server with many overlapping queries.
fn among_each_other(extra: &[(&str, u64, u64)]) -> TraceModel {
    let q = "HikariProxyPreparedStatement.executeQuery";
    let srv = "6f9bbe751e5fd944";
    let mut spans = vec![
        kind(
            timed(
                "6962df17f54c3741",
                Some("9afcdf2e24e8d70a"),
                1_573_131_432_955_376,
                2977,
                "api-gateway",
                "GET /owners",
            ),
            Kind::Client,
        ),
        kind(
            timed("9afcdf2e24e8d70a", None, 1_573_131_432_955_000, 3720, "api-gateway", "GET /api/customer/owners"),
            Kind::Server,
        ),
        kind(
            timed(srv, Some("6962df17f54c3741"), 1_573_131_432_956_016, 1696, "customers-service", "GET /owners"),
            Kind::Server,
        ),
    ];
    let queries = [
        ("a68c6983a6d81a2", 956_855, 19),
        ("cbcdc46290379f7a", 956_857, 14),
        ("b33418a95acab83f", 956_854, 20),
        ("4308efcfd216cbb0", 956_857, 15),
        ("d0ae415b55555eb0", 956_857, 15),
        ("38b37689f26c5b9e", 956_857, 15),
        ("427f5b436c6ef2cb", 956_857, 14),
        ("22a6dbf5f149e280", 956_856, 17),
        ("d293d7d80690ce74", 956_849, 31),
    ];
    for &(id, ts, dur) in queries.iter().chain(extra) {
        spans.push(timed(id, Some(srv), 1_573_131_432_000_000 + ts, dur, "customers-service", q));
    }
    model(spans)
}

fn server_self(m: &TraceModel) -> u64 {
    self_times(m, false)[span_index(m, "6f9bbe751e5fd944", false) as usize]
}

// Jaeger tableValues.test.js: "spans among each other" (1.67 ms: the queries cover 31 µs)
#[test]
fn jaeger_table_spans_among_each_other() {
    assert_eq!(server_self(&among_each_other(&[])), 1696 - 31);
}

// Jaeger tableValues.test.js: "spans among each other grouped" (1.63 ms)
#[test]
fn jaeger_table_spans_among_each_other_grouped() {
    let extra = [("1", 956_897, 40), ("2", 956_897, 40), ("3", 956_897, 40)];
    assert_eq!(server_self(&among_each_other(&extra)), 1696 - 31 - 40);
}

// Jaeger tableValues.test.js: "spans among each other and two other children" (1.56 ms)
#[test]
fn jaeger_table_spans_among_each_other_and_two_other_children() {
    let extra = [
        ("1", 956_897, 40),
        ("2", 956_897, 40),
        ("3", 956_897, 40),
        ("9f0a544e33b693c2", 957_522, 46),
        ("c045fb92504eb97f", 957_658, 19),
    ];
    let m = among_each_other(&extra);
    assert_eq!(server_self(&m), 1696 - 31 - 40 - 46 - 19);
    let st = trace_stats(&m, false);
    let cs = st.by_operation.iter().find(|s| s.operation == "GET /owners" && s.service == "customers-service").unwrap();
    assert_eq!(cs.self_time, 1560);
}

// Jaeger tableValues.test.js: "span is longer as parent" (spanLongerAsParent.json: 1.22 ms for
// the p2 "GET /owners/8/pets/10", whose children overflow its end)
#[test]
fn jaeger_table_span_longer_than_parent() {
    let b = 1_573_196_810_000_000;
    let op = "GET /owners/8/pets/10";
    let q = "HikariProxyPreparedStatement.executeQuery";
    let m = model(vec![
        timed("afa59bdef0fc2561", Some("4b52eb0cabcb50a"), b + 403_381, 415, "p1", q),
        timed("d72e44f0b9a0a6ce", Some("4b52eb0cabcb50a"), b + 404_366, 143, "p1", q),
        timed("4b52eb0cabcb50a", Some("6745965d0b964193"), b + 398_782, 7229, "p1", op),
        timed("a0000000000000", Some("6745965d0b964193"), b + 398_782, 7229, "p1", op),
        timed("01", Some("6745965d0b964193"), b + 406_080, 1500, "p1", op),
        timed("02", Some("6745965d0b964193"), b + 406_440, 3500, "p1", op),
        timed("6745965d0b964193", Some("ab496a7591486ffd"), b + 397_636, 9521, "p2", op),
        timed("ab496a7591486ffd", None, b + 396_000, 12_887, "p2", "GET /api/customer/owners/8/pets/10"),
    ]);
    let selfs = self_times(&m, false);
    // Children cover [398782, 406011] and [406080, 407157] (clipped): 7229 + 1077 µs.
    assert_eq!(selfs[span_index(&m, "6745965d0b964193", false) as usize], 9521 - 7229 - 1077);
    assert_eq!(selfs[span_index(&m, "ab496a7591486ffd", false) as usize], 12_887 - 9521);
    assert_eq!(selfs[span_index(&m, "4b52eb0cabcb50a", false) as usize], 7229 - 415 - 143);
}

fn first_service_self(spans: &[J]) -> u64 {
    // The first span is Jaeger's p1, alone in its service; the rest are p2.
    let m = model(
        spans
            .iter()
            .enumerate()
            .map(|(k, &(id, parent, s, d))| timed(id, parent, s, d, if k == 0 { "p1" } else { "p2" }, id))
            .collect(),
    );
    let st = trace_stats(&m, false);
    st.by_service.iter().find(|s| s.service == "p1").unwrap().self_time
}

const ROOT: &str = "6c3cf93508f205";

// Jaeger tableValues.test.js: "span with two overlapping children longer than their parent and a
// third short child span" (0.03 ms)
#[test]
fn jaeger_table_overlapping_children_longer_than_parent() {
    let spans = [
        (ROOT, None, 100, 40),
        ("4570ab68826f43f9", Some(ROOT), 115, 10),
        ("2dc4b796e2127e32", Some(ROOT), 200, 300),
        ("5d423585b4c63d48", Some(ROOT), 300, 100),
    ];
    assert_eq!(first_service_self(&spans), 30);
}

// Jaeger tableValues.test.js: "span with two children that do not overlap and one is longer than
// its parent" (0.03 ms)
#[test]
fn jaeger_table_two_non_overlapping_children() {
    let spans =
        [(ROOT, None, 100, 40), ("2dc4b796e2127e32", Some(ROOT), 110, 10), ("5d423585b4c63d48", Some(ROOT), 500, 100)];
    assert_eq!(first_service_self(&spans), 30);
}

const T: u64 = 1_679_437_737_490_189;

// Jaeger tableValues.test.js: "span with two overlapping children where one is longer than its
// parent" (0 ms after rounding; 3 µs exactly)
#[test]
fn jaeger_table_overlapping_children() {
    let spans =
        [(ROOT, None, T, 36), ("5d423585b4c63d48", Some(ROOT), T + 3, 40), ("2dc4b796e2127e32", Some(ROOT), T + 5, 8)];
    assert_eq!(first_service_self(&spans), 3);
}

// Jaeger tableValues.test.js: "span with single child span longer than its parent" (0.04 ms)
#[test]
fn jaeger_table_single_child_after_the_parent() {
    let spans = [(ROOT, None, 100, 40), ("2dc4b796e2127e32", Some(ROOT), 200, 300)];
    assert_eq!(first_service_self(&spans), 40);
}

// Jaeger tableValues.test.js: "span with three children shorter than their parent, two of which
// overlap" (0.01 ms; 5 µs exactly)
#[test]
fn jaeger_table_three_short_children() {
    let spans = [
        (ROOT, None, T, 36),
        ("2dc4b796e2127e32", Some(ROOT), T + 3, 10),
        ("5d423585b4c63d48", Some(ROOT), T + 9, 8),
        ("4570ab68826f43f9", Some(ROOT), T + 16, 18),
    ];
    assert_eq!(first_service_self(&spans), 5);
}

// Jaeger tableValues.test.js: "span with two children started at trace start time" (0 ms)
#[test]
fn jaeger_table_two_children_at_trace_start() {
    let spans =
        [(ROOT, None, T, 36), ("2dc4b796e2127e32", Some(ROOT), T, 79_182), ("5d423585b4c63d48", Some(ROOT), T, 12)];
    assert_eq!(first_service_self(&spans), 0);
}

// ---- model/transform-trace-data.test.js ----

const REAL_START: u64 = 1_784_570_820_629_325;

// Jaeger transform-trace-data.test.js: "should clamp spans with no usable startTime to their
// parent instead of stretching the timeline" (Zipkin's timestamp 0 is "none" too)
#[test]
fn untimed_children_are_drawn_at_their_parents_start() {
    let m = model(vec![
        timed("d4dcb46e95b781f5", None, REAL_START, 1000, "svc", "root"),
        Span { timestamp: Some(0), ..timed("1", Some("d4dcb46e95b781f5"), 0, 200, "svc", "zero") },
        Span { timestamp: None, ..timed("2", Some("d4dcb46e95b781f5"), 0, 300, "svc", "missing") },
    ]);
    assert_eq!(m.bounds(true), (REAL_START, REAL_START + 1000));
    assert_eq!(m.duration(true), 1000);
    for id in ["1", "2"] {
        let r = m.row(row_of(&m, id)).unwrap();
        assert!(!r.has_timestamp);
        assert_eq!(r.start, [REAL_START, REAL_START]);
    }
}

// Jaeger transform-trace-data.test.js: "should inherit a repaired startTime transitively down a
// chain of broken spans"
#[test]
fn untimed_grandchildren_inherit_the_repaired_start() {
    let m = model(vec![
        timed("d4dcb46e95b781f5", None, REAL_START, 1000, "svc", "root"),
        span("b", Some("d4dcb46e95b781f5"), Some(0), Some(400)),
        span("c", Some("b"), None, Some(100)),
    ]);
    assert_eq!(m.row(row_of(&m, "b")).unwrap().start_us(true), REAL_START);
    assert_eq!(m.row(row_of(&m, "c")).unwrap().start_us(true), REAL_START);
    assert_eq!(m.duration(true), 1000);
}

// Jaeger transform-trace-data.test.js: "should keep and repair sibling spans that have no usable
// startTime" (untimed siblings sort first, the timed one last)
#[test]
fn untimed_siblings_are_kept_and_come_first() {
    let m = model(vec![
        timed("d4dcb46e95b781f5", None, REAL_START, 1000, "svc", "root"),
        span("1", Some("d4dcb46e95b781f5"), None, Some(10)),
        span("2", Some("d4dcb46e95b781f5"), Some(0), Some(20)),
        timed("3", Some("d4dcb46e95b781f5"), REAL_START + 500, 30, "svc", "real"),
    ]);
    assert_eq!(row_ids(&m), ["d4dcb46e95b781f5", "1", "2", "3"]);
    let starts: Vec<u64> = m.rows().iter().map(|r| r.start_us(true)).collect();
    assert_eq!(starts, [REAL_START, REAL_START, REAL_START, REAL_START + 500]);
}

// Jaeger transform-trace-data.test.js: "should fall back to 0 for a root with no usable
// startTime and propagate it to children"
#[test]
fn an_untimed_trace_is_at_zero() {
    let m = model(vec![
        span("d4dcb46e95b781f5", None, None, Some(500)),
        span("1", Some("d4dcb46e95b781f5"), Some(0), Some(100)),
    ]);
    assert_eq!(m.bounds(true), (0, 0));
    assert_eq!(m.duration(false), 0);
    assert!(m.rows().iter().all(|r| r.start == [0, 0] && !r.has_timestamp));
}

// Jaeger transform-trace-data.test.js: "should not produce a negative duration for a trace with
// spans but no root". Jaeger drops both spans of the cycle; we keep them, cut the cycle at its
// first span (which goes to the top level) and report the cut.
#[test]
fn a_two_span_cycle_is_kept_and_cut() {
    let start = 1_586_160_015_434_000;
    let m =
        model(vec![timed("a", Some("b"), start, 34_000, "svc", "a"), timed("b", Some("a"), start, 34_000, "svc", "b")]);
    assert_eq!(m.row_count(), 2);
    assert_eq!(m.report().cycles_broken.len(), 1);
    assert_eq!(m.duration(true), 34_000);
    assert_eq!(depths(&m), [0, 1]);
    assert_arena_invariants(&m);
}

// Jaeger transform-trace-data.test.js: "should detect orphan spans when parent span is missing"
// and "should not flag orphan spans when all parents exist"
#[test]
fn a_root_with_a_missing_parent_is_the_one_orphan() {
    let start = 1_586_160_015_434_000;
    let root = "d4dcb46e95b781f5";
    let kids = |m: Vec<Span>| {
        let mut v = vec![
            timed("41f71485ed2593e4", Some(root), start, 34_000, "svc", "x"),
            timed("4f623fd33c213cba", Some(root), start + 100, 34_000, "svc", "y"),
        ];
        v.extend(m);
        v
    };
    let with_missing = model(kids(vec![timed(root, Some("5"), start + 50, 34_000, "svc", "rootOperation")]));
    let orphans: Vec<&str> =
        with_missing.report().missing_parents.iter().map(|&i| short(&with_missing.spans()[i as usize].id)).collect();
    assert_eq!(orphans, [root]);
    assert_eq!(row_ids(&with_missing), [root, "41f71485ed2593e4", "4f623fd33c213cba"]);
    let complete = model(kids(vec![timed(root, None, start + 50, 34_000, "svc", "rootOperation")]));
    assert!(complete.report().missing_parents.is_empty());
    assert!(!complete.report().headless);
}
