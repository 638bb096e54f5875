#![cfg(not(target_arch = "wasm32"))]
//! The trace pipeline on the real fixture traces, with expectations read from the JSON, then
//! the model's own answers (rows of shared halves, timing and naming, lookups, raw spans, bounds,
//! depth, services) on small hand-made traces in `hand_made`, with Jaeger UI's
//! transform-trace-data.test.js and span-ancestor-ids.test.js cases, Lens span-row.test.js cases
//! not in lens_cases.rs, and a property recomputing rows from the spans.
mod common;

use spanscope_domain::critical_path::critical_path;
use spanscope_domain::decode::decode_spans;
use spanscope_domain::find::find_rows;
use spanscope_domain::rows::{visible_rows, Connector, RowOptions};
use spanscope_domain::span::Span;
use spanscope_domain::stats::trace_stats;
use spanscope_domain::summary::summarize;
use spanscope_domain::trace_model::{ErrorKind, TraceModel};
use std::collections::HashSet;

fn spans(name: &str) -> Vec<Span> {
    let path = format!("{}/../../shared/fixtures/zipkin/{name}.json", env!("CARGO_MANIFEST_DIR"));
    decode_spans(&std::fs::read(&path).unwrap()).unwrap()
}

fn row_of(model: &TraceModel, id: &str) -> u32 {
    model.find_row_by_span_id(id).unwrap_or_else(|| panic!("no row for {id}"))
}

/// Every cleaned span is in exactly one row, and subtrees are contiguous.
fn assert_arena_invariants(model: &TraceModel) {
    let mut seen = vec![0u32; model.spans().len()];
    for r in 0..model.row_count() {
        for &s in model.row_spans(r) {
            seen[s as usize] += 1;
        }
        let row = model.row(r).unwrap();
        assert!(row.subtree_end > r && row.subtree_end <= model.row_count());
        for c in r + 1..row.subtree_end {
            assert!(model.row(c).unwrap().depth > row.depth, "row {c} inside {r}'s subtree is not deeper");
        }
    }
    assert!(seen.iter().all(|&n| n == 1), "a span is missing or repeated: {seen:?}");
}

#[test]
fn yelp_has_16_spans_6_services_and_shared_pairs_in_one_row() {
    let raw = spans("yelp");
    assert_eq!(raw.len(), 16);
    let summary = summarize(&raw);
    assert_eq!(summary.span_count, 16);
    // Six services record spans; four more are named only as a remote side. The list shows all
    // ten, as Lens's list and the trace header count them.
    assert_eq!(summary.services.len(), 10);
    assert_eq!(summary.duration, 131_848);
    assert_eq!(summary.root_service, "routing");
    assert_eq!(summary.root_name, "post /location/update/v4");
    assert_eq!(summary.error, ErrorKind::None);

    let model = TraceModel::build(raw);
    assert_arena_invariants(&model);
    assert_eq!(model.spans().len(), 16);
    assert_eq!(model.row_count(), 13, "13 distinct span ids: each shared pair is one row");
    assert_eq!(model.duration(false), 131_848);
    assert!(model.report().missing_parents.is_empty() && !model.report().headless);

    // The mobile_api -> spectre call: client and shared server in one row, named by the server.
    let r = row_of(&model, "7a778764a0d0b594");
    assert_eq!(model.row_spans(r).len(), 2);
    assert_eq!(model.row_service_name(r), "spectre");
    assert_eq!(model.row_name(r), "get");
    assert_eq!(model.row(r).unwrap().duration, 3_000, "the client's timing wins");
    // The root row is routing's server span, first in depth-first order.
    assert_eq!(model.row_service_name(0), "routing");
    // Children in timestamp order under the mobile_api server row.
    let parent = row_of(&model, "f5f268651b2a2b34");
    let kids: Vec<u32> =
        (parent + 1..model.subtree_end(parent)).filter(|&c| model.row(c).unwrap().parent == parent).collect();
    let names: Vec<&str> = kids.iter().map(|&c| model.row_name(c)).collect();
    assert_eq!(names, ["get_multi mobile_api_nonce", "set mobile_api_nonce", "get", "post"]);
}

#[test]
fn yelp_rows_collapse_and_expand() {
    let model = TraceModel::build(spans("yelp"));
    let all = visible_rows(&model, &RowOptions::default());
    assert_eq!(all.rows.len(), 13);
    assert_eq!(all.duration, 131_848);
    assert_eq!(all.rows[0].connector, Connector::None);
    assert_eq!(all.rows[0].offset, 0);
    let collapsed: HashSet<u32> = [0].into();
    let one = visible_rows(&model, &RowOptions { collapsed: Some(&collapsed), ..RowOptions::default() });
    assert_eq!(one.rows.len(), 1);
    assert!(one.rows[0].collapsed);
    // Focus on mobile_api's server row: only its subtree, time measured from its start.
    let f = row_of(&model, "f5f268651b2a2b34");
    let focused = visible_rows(&model, &RowOptions { focus: Some(f), ..RowOptions::default() });
    assert_eq!(focused.rows.len() as u32, model.subtree_end(f) - f);
    assert_eq!(focused.rows[0].depth, 0);
    assert_eq!(focused.rows[0].offset, 0);
    let last = focused.rows.last().unwrap();
    assert_eq!(last.connector, Connector::Elbow);
}

#[test]
fn skew_correction_puts_the_server_inside_its_client() {
    let model = TraceModel::build(spans("skew"));
    assert_arena_invariants(&model);
    let r = row_of(&model, "74280ae0c10d8062");
    let spans_of_row = model.row_spans(r);
    let client = *spans_of_row.iter().find(|&&s| model.span(s).unwrap().shared.is_none()).unwrap();
    let server = *spans_of_row.iter().find(|&&s| model.span(s).unwrap().shared == Some(true)).unwrap();
    let dur = |s: u32| model.span(s).unwrap().duration.unwrap();
    // As reported, the server starts ~65 ms before its client.
    assert!(model.span_start(server, false).unwrap() < model.span_start(client, false).unwrap());
    // Corrected: starts after the client and ends before it.
    let (cs, ss) = (model.span_start(client, true).unwrap(), model.span_start(server, true).unwrap());
    assert!(ss > cs, "server {ss} should start after client {cs}");
    assert!(ss + dur(server) < cs + dur(client));
    // The server and the async span on its host moved; the client did not.
    let moved: Vec<&str> = model.skew().moved.iter().map(|m| model.span(m.span).unwrap().id.as_str()).collect();
    assert_eq!(moved.len(), 2);
    assert!(moved.contains(&"43210ae0c10d1234"));
    assert!(model.skew().moved.iter().all(|m| m.delta == model.skew().moved[0].delta));
    // The switch: rows measured with and without correction differ.
    let on = visible_rows(&model, &RowOptions { skew: true, ..RowOptions::default() });
    let off = visible_rows(&model, &RowOptions::default());
    assert_ne!(on, off);
}

#[test]
fn messaging_kafka_has_three_error_spans() {
    let raw = spans("messaging-kafka");
    let summary = summarize(&raw);
    assert_eq!(summary.error_count, 3);
    assert_eq!(summary.error, ErrorKind::Critical);
    let model = TraceModel::build(raw);
    assert_arena_invariants(&model);
    let errors: Vec<&str> = (0..model.row_count())
        .filter(|&r| model.row(r).unwrap().error == ErrorKind::Critical)
        .map(|r| model.span(model.row(r).unwrap().span).unwrap().id.as_str())
        .collect();
    let mut errors = errors;
    errors.sort();
    assert_eq!(errors, ["2f77d5b0b8e0de35", "4a64a63e4b58e665", "568b33e6af8a225a"]);
    // Find: the tag value, then the empty error tag by key.
    assert_eq!(find_rows(&model, "some error").len(), 2);
    assert_eq!(find_rows(&model, "error").len(), 3);
    let sends = find_rows(&model, "SEND");
    assert!(sends.windows(2).all(|w| w[0].row < w[1].row), "matches in row order");
    assert_eq!(sends.len(), 9);
    assert_eq!(find_rows(&model, "568b33e6af8a225a").len(), 1);
    assert_eq!(find_rows(&model, "kafka").len(), 16, "remote service names match");
}

#[test]
fn smartthings_keeps_all_1041_spans_and_merges_the_84_server_pieces_as_lens_shows_them() {
    let raw = spans("smartthings-mobile-web-install");
    assert_eq!(raw.len(), 1041);
    assert_eq!(raw.iter().filter(|s| s.timestamp.is_none()).count(), 84);
    let summary = summarize(&raw);
    assert_eq!(summary.services.len(), 16);
    let model = TraceModel::build(raw);
    assert_arena_invariants(&model);
    assert_eq!(model.raw_span_count(), 1041);
    // Each of the 84 timestamp-less pieces (no kind, the id and service of a shared server, not
    // of its client) is a late fragment of that server: merged into it, it adds no row. Lens
    // shows 663 rows; one 0 ms row per piece made 747.
    assert_eq!(model.row_count(), 663);
    assert!(model.spans().iter().all(|s| s.timestamp.is_some()));
    assert!(model.rows().iter().all(|r| r.has_timestamp));
    let server = model.spans().iter().position(|s| s.id == "a0dc23f22c4fee3f" && s.shared == Some(true)).unwrap();
    let pieces = model.raw_spans_of(server as u32);
    assert_eq!(pieces.len(), 2, "the server and its piece");
    assert!(pieces.iter().any(|p| p.timestamp.is_none() && p.kind.is_none()));
    // Rows below keep their levels (the e2e deep link opens this span at aria-level 9).
    let deep = model.find_row_by_span_id("73faa40841b988ef").unwrap();
    assert_eq!(model.row(deep).unwrap().depth, 8);
    assert!((300_000_000..310_000_000).contains(&model.duration(false)));
    let rows = visible_rows(&model, &RowOptions::default());
    assert_eq!(rows.rows.len() as u32, model.row_count());
}

#[test]
fn critical_path_covers_the_root_without_overlap() {
    for name in ["yelp", "skew", "messaging-kafka", "smartthings-mobile-web-install"] {
        let model = TraceModel::build(spans(name));
        for skew in [false, true] {
            let cp = critical_path(&model, skew);
            assert!(!cp.sections.is_empty(), "{name}");
            let root = model.row(cp.sections[0].row).unwrap();
            let _ = root;
            for w in cp.sections.windows(2) {
                assert!(w[0].end <= w[1].start, "{name}: sections overlap");
            }
            let total: u64 = cp.contributions.iter().map(|(_, c)| c).sum();
            let top = model.row(0).unwrap();
            assert!(total <= top.duration.max(model.duration(skew)), "{name}");
        }
    }
    // yelp: the root's whole duration is accounted for, and the longest call chain is on it.
    let model = TraceModel::build(spans("yelp"));
    let cp = critical_path(&model, false);
    let total: u64 = cp.contributions.iter().map(|(_, c)| c).sum();
    assert_eq!(total, 131_848);
    assert!(cp.contribution(row_of(&model, "668ed78ad94b35a1")) > 0);
}

#[test]
fn statistics_add_up() {
    let model = TraceModel::build(spans("yelp"));
    let stats = trace_stats(&model, false);
    assert_eq!(stats.by_service.iter().map(|s| s.count).sum::<u64>(), 16);
    assert_eq!(stats.by_operation.iter().map(|s| s.count).sum::<u64>(), 16);
    let spectre = stats.by_service.iter().find(|s| s.service == "spectre").unwrap();
    assert_eq!(
        (spectre.count, spectre.total, spectre.min, spectre.max, spectre.self_time),
        (1, 1490, 1490, 1490, 1490)
    );
    for s in &stats.by_service {
        assert!(s.self_time <= s.total && s.min <= s.max);
    }
    // The mobile_api client of spectre: 3,000 µs, of which the server covers 1,490.
    let mobile = stats.by_operation.iter().find(|s| s.service == "mobile_api" && s.operation == "get").unwrap();
    assert_eq!(mobile.self_time, 3_000 - 1_490);
}

/// `TraceModel` on small hand-made traces whose answer is known.
mod hand_made {
    use super::common::*;
    use spanscope_domain::span::{Endpoint, Kind, Span};
    use spanscope_domain::trace_model::{span_error, ErrorKind, TraceModel, NO_SERVICE};
    use spanscope_domain::tree::NONE;

    /// r (front server) ─ b: client on front [1010, 1090], shared server on back [1020, 1080];
    /// the client's own child x (front, 1060) and the server's child y (back, 1030).
    fn rpc() -> TraceModel {
        model(vec![
            kind(timed("r", None, 1_000, 100, "front", "get /"), Kind::Server),
            kind(timed("b", Some("r"), 1_010, 80, "front", "call"), Kind::Client),
            kind(shared(timed("b", Some("r"), 1_020, 60, "back", "serve")), Kind::Server),
            Span { local_endpoint: ep("front"), ..timed("x", Some("b"), 1_060, 20, "front", "log") },
            Span { local_endpoint: ep("back"), ..timed("y", Some("b"), 1_030, 20, "back", "query") },
        ])
    }

    #[test]
    fn an_empty_model_answers_everything_with_nothing() {
        let m = model(vec![]);
        assert_eq!((m.trace_id(), m.row_count(), m.spans().len(), m.raw_span_count()), ("", 0, 0, 0));
        assert_eq!((m.bounds(false), m.bounds(true), m.duration(true), m.depth()), ((0, 0), (0, 0), 0, 0));
        assert!(m.services().is_empty() && m.raw_spans().is_empty() && m.row_spans(0).is_empty());
        assert_eq!((m.row_service_name(0), m.row_name(0)), ("unknown", "unknown"));
        assert_eq!((m.find_row_by_span_id("a"), m.row_of_span(0), m.subtree_end(3)), (None, None, 3));
        assert_eq!(m.ancestors(0).count(), 0);
        assert_eq!((m.span_start(0, true), m.span_service(0)), (None, NO_SERVICE));
    }

    #[test]
    fn a_client_and_its_shared_server_are_one_row() {
        let m = rpc();
        assert_eq!(row_ids(&m), ["r", "b", "y", "x"]);
        assert_eq!(depths(&m), [0, 1, 2, 2]);
        let b = row_of(&m, "b");
        let (client, server) = (span_index(&m, "b", false), span_index(&m, "b", true));
        assert_eq!(m.row_spans(b), [client, server]);
        assert_eq!((m.row_of_span(client), m.row_of_span(server)), (Some(b), Some(b)));
        let row = m.row(b).unwrap();
        // The client's span, timing and duration; the server's name and service.
        assert_eq!((row.span, row.timing_span, row.start, row.duration), (client, client, [1_010, 1_010], 80));
        assert_eq!((m.row_name(b), m.row_service_name(b)), ("serve", "back"));
        assert_eq!(m.services(), ["back", "front"]);
        assert_eq!(row.service, 0);
        assert_eq!((m.span_service(client), m.span_service(server)), (1, 0));
    }

    #[test]
    fn the_rows_children_come_from_both_halves_in_time_order() {
        // y hangs under the server (its host), x under the client; the row sorts them by start.
        let m = rpc();
        let b = row_of(&m, "b");
        assert_eq!(tree_children(&m, span_index(&m, "b", true)), ["y"]);
        assert_eq!(tree_children(&m, span_index(&m, "b", false)), ["b", "x"]);
        let row = m.row(b).unwrap();
        assert_eq!((row.child_count, row.subtree_end, row.parent, row.is_last_child), (2, 4, 0, true));
        let (y, x) = (m.row(row_of(&m, "y")).unwrap(), m.row(row_of(&m, "x")).unwrap());
        assert_eq!((y.parent, y.is_last_child, x.parent, x.is_last_child), (b, false, b, true));
        assert_eq!(m.row(0).unwrap().parent, NONE);
        assert_arena_invariants(&m);
    }

    #[test]
    fn a_client_without_timing_takes_its_servers() {
        let m = model(vec![
            kind(timed("r", None, 1_000, 100, "front", "get /"), Kind::Server),
            kind(
                Span { name: Some("call".into()), local_endpoint: ep("front"), ..span("b", Some("r"), None, None) },
                Kind::Client,
            ),
            kind(shared(timed("b", Some("r"), 1_020, 60, "back", "serve")), Kind::Server),
        ]);
        let row = m.row(row_of(&m, "b")).unwrap();
        assert_eq!(
            (row.timing_span, row.start, row.duration, row.has_timestamp),
            (span_index(&m, "b", true), [1_020, 1_020], 60, true)
        );
    }

    #[test]
    fn an_unnamed_server_leaves_the_clients_name() {
        let mut server = kind(shared(timed("b", Some("r"), 1_020, 60, "back", "serve")), Kind::Server);
        server.name = None;
        let m = model(vec![
            kind(timed("r", None, 1_000, 100, "front", "get /"), Kind::Server),
            kind(timed("b", Some("r"), 1_010, 80, "front", "call"), Kind::Client),
            server,
        ]);
        assert_eq!(m.row_name(row_of(&m, "b")), "call");
    }

    #[test]
    fn a_top_level_row_without_timestamp_starts_with_the_trace() {
        // Headless: both spans are top-level; the untimed one is first (missing timestamps sort
        // first) and is drawn at the trace's start, 1000.
        let m = model(vec![timed("b", Some("x"), 1_000, 10, "svc", "b"), span("a", Some("x"), None, Some(5))]);
        assert!(m.report().headless);
        assert_eq!(row_ids(&m), ["a", "b"]);
        let a = m.row(0).unwrap();
        assert_eq!((a.start, a.has_timestamp, a.duration, a.depth), ([1_000, 1_000], false, 5, 0));
        assert_eq!(m.report().missing_parents.len(), 2);
    }

    #[test]
    fn rows_are_found_by_short_long_upper_case_or_padded_ids() {
        let m = rpc();
        let b = row_of(&m, "b");
        for id in ["b", "B", " 000000000000000b ", "00b"] {
            assert_eq!(m.find_row_by_span_id(id), Some(b), "{id:?}");
        }
        assert_eq!(m.find_row_by_span_id("c"), None);
        assert_eq!(m.find_row_by_span_id(""), None);
    }

    // Jaeger utils/span-ancestor-ids.test.js: "returns all ancestor span IDs from parent to root",
    // "handles single-level parent relationship", "returns an empty array if span has no
    // parentSpan", "returns an empty array if given falsy span" (a row that does not exist) and
    // "stops traversal when parent span is not available" (a span whose parent is missing)
    #[test]
    fn ancestors_are_nearest_first() {
        let m = model(vec![
            timed("a", None, 1_000, 100, "svc", "a"),
            timed("b", Some("a"), 1_010, 80, "svc", "b"),
            timed("c", Some("b"), 1_020, 60, "svc", "c"),
            timed("d", Some("c"), 1_030, 40, "svc", "d"),
        ]);
        let up = |r: u32| m.ancestors(r).map(|a| row_id(&m, a)).collect::<Vec<_>>();
        assert_eq!(up(row_of(&m, "d")), ["c", "b", "a"]);
        assert_eq!(up(row_of(&m, "b")), ["a"]);
        assert!(up(0).is_empty());
        assert!(up(99).is_empty());
        assert_eq!(m.depth(), 4);
        let headless =
            model(vec![timed("e", Some("ff"), 1_000, 10, "svc", "e"), timed("f", Some("e"), 1_001, 5, "svc", "f")]);
        assert!(headless.report().headless);
        assert!(headless.ancestors(0).next().is_none());
        assert_eq!(headless.ancestors(1).collect::<Vec<_>>(), [0]);
    }

    #[test]
    fn fragments_of_one_span_are_one_span_and_keep_their_raw_pieces() {
        // A client flushed twice: its start first, its duration later.
        let first = Span {
            annotations: vec![ann(1_000, "cs")],
            ..kind(timed("a", None, 1_000, 0, "svc", "call"), Kind::Client)
        };
        let mut first = first;
        first.duration = None;
        let second = Span {
            timestamp: None,
            annotations: vec![ann(1_100, "cr")],
            ..kind(timed("a", None, 1_000, 100, "svc", "call"), Kind::Client)
        };
        let m = model(vec![first.clone(), second.clone()]);
        assert_eq!((m.spans().len(), m.raw_span_count(), m.row_count()), (1, 2, 1));
        let merged = &m.spans()[0];
        assert_eq!((merged.timestamp, merged.duration, merged.annotations.len()), (Some(1_000), Some(100), 2));
        // The raw pieces are the inputs as given, in input order.
        let raw: Vec<(Option<u64>, Option<u64>)> =
            m.raw_spans_of(0).iter().map(|s| (s.timestamp, s.duration)).collect();
        assert_eq!(raw, [(Some(1_000), None), (None, Some(100))]);
        assert_eq!(m.raw_spans().len(), 2);
        assert_eq!(m.raw_spans()[1].annotations, second.annotations);
    }

    #[test]
    fn an_untouched_span_is_its_own_raw_span_and_a_padded_one_is_kept_as_given() {
        // Ids already 16 hex: cleaning changes nothing, and the raw span is the cleaned one
        // itself, not a copy.
        let canonical =
            Span { trace_id: "0000000000000001".into(), ..timed("000000000000000a", None, 1_000, 10, "svc", "a") };
        let m = model(vec![canonical]);
        let raw = m.raw_spans_of(0);
        assert!(raw.len() == 1 && std::ptr::eq(raw[0], &m.spans()[0]));
        assert!(m.raw_spans_of(7).is_empty());
        // A short id is padded in the model; the raw span keeps it as it came.
        let m = model(vec![timed("a", None, 1_000, 10, "svc", "a")]);
        assert_eq!((m.spans()[0].id.as_str(), m.raw_spans_of(0)[0].id.as_str()), ("000000000000000a", "a"));
        assert_eq!(m.raw_spans()[0].trace_id, "1");
    }

    #[test]
    fn the_trace_is_measured_over_all_spans_not_the_root() {
        // b starts before and ends after the root: the trace is [990, 1150].
        let m = model(vec![timed("a", None, 1_000, 100, "svc", "a"), timed("b", Some("a"), 990, 160, "svc", "b")]);
        assert_eq!((m.bounds(false), m.duration(false)), ((990, 1_150), 160));
        assert_eq!(m.row(0).unwrap().duration, 100);
    }

    #[test]
    fn services_include_remote_ones_sorted_by_name() {
        // The leaf client's row shows its remote service; both are colours.
        let m = model(vec![
            timed("a", None, 1_000, 100, "web", "a"),
            Span {
                kind: Some(Kind::Client),
                remote_endpoint: Some(Endpoint { service_name: Some("db".into()), ..Endpoint::default() }),
                ..timed("b", Some("a"), 1_010, 20, "web", "select")
            },
            Span { local_endpoint: None, ..timed("c", Some("a"), 1_040, 5, "", "anonymous") },
        ]);
        assert_eq!(m.services(), ["db", "web"]);
        let rows: Vec<(&str, u32)> =
            (0..m.row_count()).map(|r| (m.row_service_name(r), m.row(r).unwrap().service)).collect();
        assert_eq!(rows, [("web", 1), ("db", 0), ("unknown", NO_SERVICE)]);
        assert_eq!(m.service_name(0), Some("db"));
        assert_eq!(m.service_name(NO_SERVICE), None);
    }

    #[test]
    fn a_span_naming_itself_as_parent_is_reported_and_is_the_root() {
        let m = model(vec![timed("a", Some("a"), 1_000, 10, "svc", "a"), timed("b", Some("a"), 1_002, 5, "svc", "b")]);
        assert_eq!(m.self_parents(), [0]);
        assert_eq!(row_ids(&m), ["a", "b"]);
        assert!(!m.report().headless);
        assert_eq!(m.trace_id(), "0000000000000001");
    }

    #[test]
    fn an_error_tag_among_many_tags_is_still_critical() {
        // Over 16 tags the lookup is by key in the map instead of a scan; the answer is the same.
        let many: Vec<(String, String)> = (0..20).map(|i| (format!("k{i:02}"), "v".to_owned())).collect();
        let mut s = timed("a", None, 1_000, 10, "svc", "a");
        s.tags = many.iter().cloned().collect();
        assert_eq!(span_error(&s), ErrorKind::None);
        s.tags.insert("error".into(), String::new());
        assert_eq!(span_error(&s), ErrorKind::Critical);
        s.tags.insert("k00".into(), "error".into());
        s.annotations = vec![ann(1_001, "error")];
        assert_eq!(span_error(&s), ErrorKind::Critical);
        s.tags = many.iter().cloned().collect();
        assert_eq!(span_error(&s), ErrorKind::Transient);
    }

    // ---- Jaeger UI model/transform-trace-data.test.js ----
    // Jaeger's root d4dc… (rootOperation, start + 50) and its two children (start, start + 100),
    // in one service; Jaeger's "missingSpanId" and "orphan" ids are hex here.

    fn jaeger_children() -> Vec<Span> {
        vec![
            timed("41f71485ed2593e4", Some("d4dcb46e95b781f5"), 1_000, 34, "serviceName", "someOperationName"),
            timed("4f623fd33c213cba", Some("d4dcb46e95b781f5"), 1_100, 34, "serviceName", "anotherOperationName"),
        ]
    }

    fn jaeger_root(parent: Option<&str>) -> Span {
        timed("d4dcb46e95b781f5", parent, 1_050, 34, "serviceName", "rootOperation")
    }

    // Jaeger transform-trace-data.test.js: "should detect orphan spans when parent span is missing"
    // and "should handle orphan spans as root spans" (the root keeps its two children; with no
    // parentless span the trace is headless here)
    #[test]
    fn jaeger_a_root_whose_parent_is_missing_is_the_one_orphan() {
        let mut spans = jaeger_children();
        spans.push(jaeger_root(Some("00000000000000ff")));
        let m = model(spans);
        let orphans: Vec<&str> = m.report().missing_parents.iter().map(|&i| short(&m.span(i).unwrap().id)).collect();
        assert_eq!(orphans, ["d4dcb46e95b781f5"]);
        assert!(m.report().headless);
        assert_eq!(m.tree().top.len(), 1);
        assert_eq!((m.row_name(0), m.row(0).unwrap().child_count), ("rootOperation", 2));
    }

    // Jaeger transform-trace-data.test.js: "should detect multiple orphan spans" (they hang under
    // the root here, as in Lens)
    #[test]
    fn jaeger_two_orphans_under_a_root() {
        let mut spans = jaeger_children();
        spans.push(jaeger_root(None));
        spans.push(timed("0a", Some("e1"), 1_000, 34, "serviceName", "orphanOp1"));
        spans.push(timed("0b", Some("e2"), 1_200, 34, "serviceName", "orphanOp2"));
        let m = model(spans);
        let mut orphans: Vec<&str> =
            m.report().missing_parents.iter().map(|&i| short(&m.span(i).unwrap().id)).collect();
        orphans.sort();
        assert_eq!(orphans, ["a", "b"]);
        assert!(!m.report().headless);
        assert_eq!(m.row(0).unwrap().child_count, 4);
    }

    // Jaeger transform-trace-data.test.js: "should not flag orphan spans when all parents exist"
    // and "should build childSpans arrays correctly" (children by start time, leaves childless)
    #[test]
    fn jaeger_no_orphans_and_children_by_start() {
        let mut spans = jaeger_children();
        spans.push(jaeger_root(None));
        let m = model(spans);
        assert!(m.report().missing_parents.is_empty());
        assert_eq!(row_ids(&m), ["d4dcb46e95b781f5", "41f71485ed2593e4", "4f623fd33c213cba"]);
        let kids: Vec<u32> = m.rows().iter().map(|r| r.child_count).collect();
        assert_eq!(kids, [2, 0, 0]);
    }

    // Jaeger transform-trace-data.test.js: "should handle multiple root spans" (Jaeger lists two
    // roots; here, as in Lens, the later root hangs under the first and is reported)
    #[test]
    fn jaeger_a_second_root_is_an_extra_root() {
        let m = model(vec![jaeger_root(None), timed("5ec0", None, 1_150, 34, "serviceName", "secondRootOp")]);
        let extra: Vec<&str> = m.report().extra_roots.iter().map(|&i| short(&m.span(i).unwrap().id)).collect();
        assert_eq!(extra, ["5ec0"]);
        assert_eq!(row_ids(&m), ["d4dcb46e95b781f5", "5ec0"]);
        assert_eq!(depths(&m), [0, 1]);
    }

    // Jaeger transform-trace-data.test.js: "should calculate depth and sort spans in DFS order"
    #[test]
    fn jaeger_depth_first_order_and_depths() {
        let m = model(vec![
            timed("1", None, 1_000, 100, "s", "root"),
            timed("c1", Some("1"), 1_010, 30, "s", "child1"),
            timed("c2", Some("1"), 1_020, 30, "s", "child2"),
            timed("9c1", Some("c1"), 1_015, 5, "s", "grandChild1"),
        ]);
        let names: Vec<&str> = (0..m.row_count()).map(|r| m.row_name(r)).collect();
        assert_eq!(names, ["root", "child1", "grandChild1", "child2"]);
        assert_eq!(depths(&m), [0, 1, 2, 1]);
        let has_children: Vec<bool> = m.rows().iter().map(|r| r.child_count > 0).collect();
        assert_eq!(has_children, [true, true, false, false]);
    }

    /// Small generated traces: ids from a pool of 12 (shared pairs, fragments, duplicates,
    /// missing parents, cycles), two hosts, missing timestamps and durations.
    fn arb_trace() -> impl proptest::strategy::Strategy<Value = Vec<Span>> {
        use proptest::prelude::*;
        let one = (
            0u8..12,
            proptest::option::of(0u8..12),
            proptest::option::of(prop_oneof![Just(Kind::Client), Just(Kind::Server), Just(Kind::Producer)]),
            proptest::option::of(1_000u64..1_400),
            proptest::option::of(1u64..300),
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
        proptest::collection::vec(one, 0..30)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 400, ..Default::default() })]

        /// What the model answers about rows and spans, recomputed plainly from its spans: the
        /// bounds, each row's start and duration (first unshared span with a timestamp, else a
        /// shared half; untimed rows at their parent's start), lookups both ways, ancestors,
        /// depth and the service list.
        #[test]
        fn the_model_agrees_with_its_spans(spans in arb_trace(), skew in proptest::prelude::any::<bool>()) {
            let m = model(spans);
            let starts: Vec<(u64, u64)> = (0..m.spans().len() as u32)
                .filter_map(|i| m.span_start(i, skew).map(|s| (s, s + m.span(i).unwrap().duration.unwrap_or(0))))
                .collect();
            let bounds = if starts.is_empty() {
                (0, 0)
            } else {
                (starts.iter().map(|s| s.0).min().unwrap(), starts.iter().map(|s| s.1).max().unwrap())
            };
            proptest::prop_assert_eq!(m.bounds(skew), bounds);
            for r in 0..m.row_count() {
                let row = m.row(r).unwrap();
                let group = m.row_spans(r);
                proptest::prop_assert_eq!(group[0], row.span);
                for &s in group {
                    proptest::prop_assert_eq!(m.row_of_span(s), Some(r));
                }
                let is_shared = |s: u32| m.span(s).unwrap().shared == Some(true);
                let timed = |s: &&u32| m.span(**s).unwrap().timestamp.is_some();
                let timing = group.iter().filter(|s| !is_shared(**s)).find(timed).or_else(|| group.iter().filter(|s| is_shared(**s)).find(timed));
                match timing {
                    Some(&t) => {
                        proptest::prop_assert!(row.has_timestamp);
                        proptest::prop_assert_eq!(row.start_us(skew), m.span_start(t, skew).unwrap());
                    }
                    None => {
                        proptest::prop_assert!(!row.has_timestamp);
                        let inherited = m.row(row.parent).map_or(m.bounds(skew).0, |p| p.start_us(skew));
                        proptest::prop_assert_eq!(row.start_us(skew), inherited);
                    }
                }
                let dur = |shared: bool| group.iter().filter(|s| is_shared(**s) == shared).find_map(|&s| m.span(s).unwrap().duration);
                proptest::prop_assert_eq!(row.duration, dur(false).or(dur(true)).unwrap_or(0));
                let ancestors: Vec<u32> = m.ancestors(r).collect();
                proptest::prop_assert_eq!(ancestors.len() as u32, row.depth);
                proptest::prop_assert!(ancestors.windows(2).all(|w| m.row(w[0]).unwrap().parent == w[1]));
                let found = m.find_row_by_span_id(&m.span(row.span).unwrap().id).unwrap();
                proptest::prop_assert!(found <= r && m.row_spans(found).iter().any(|&s| m.span(s).unwrap().id == m.span(row.span).unwrap().id));
                proptest::prop_assert!(row.service == NO_SERVICE || (row.service as usize) < m.services().len());
            }
            proptest::prop_assert_eq!(m.depth(), m.rows().iter().map(|r| r.depth + 1).max().unwrap_or(0));
            proptest::prop_assert!(m.services().windows(2).all(|w| w[0] < w[1]));
            proptest::prop_assert_eq!(m.raw_spans().len(), m.raw_span_count());
        }
    }

    // ---- Lens span-row.test.js (newSpanRow) cases not in lens_cases.rs ----

    fn lens_frontend() -> Option<Endpoint> {
        Some(Endpoint {
            service_name: Some("frontend".into()),
            ipv4: Some("127.0.0.1".into()),
            port: Some(8080),
            ..Endpoint::default()
        })
    }

    fn lens_backend() -> Option<Endpoint> {
        Some(Endpoint {
            service_name: Some("backend".into()),
            ipv4: Some("192.168.99.101".into()),
            port: Some(9000),
            ..Endpoint::default()
        })
    }

    // Lens span-row.test.js: "converts root server span" (the server's own service, not its
    // caller's)
    #[test]
    fn lens_a_root_server_row_shows_its_own_service() {
        let m = model(vec![Span {
            kind: Some(Kind::Server),
            local_endpoint: lens_backend(),
            remote_endpoint: lens_frontend(),
            ..timed("2", None, 1_472_470_996_199_000, 207_000, "", "get")
        }]);
        assert_eq!((m.row_service_name(0), m.row_name(0), m.row(0).unwrap().duration), ("backend", "get", 207_000));
        assert_eq!(m.services(), ["backend", "frontend"]);
    }

    // Lens span-row.test.js: "converts when remoteEndpoint exist without kind" (only a leaf client
    // is named by its remote service)
    #[test]
    fn lens_a_leaf_without_kind_keeps_its_local_service() {
        let m = model(vec![Span {
            local_endpoint: lens_frontend(),
            remote_endpoint: lens_backend(),
            ..timed("3", Some("2"), 1_472_470_996_199_000, 207_000, "", "get")
        }]);
        assert_eq!(m.row_service_name(0), "frontend");
    }

    // Lens span-row.test.js: "converts incomplete shared server span" (only a shared timestamp:
    // the row uses it; no duration: 0)
    #[test]
    fn lens_an_incomplete_shared_server_row() {
        let mut s = Span {
            kind: Some(Kind::Server),
            shared: Some(true),
            local_endpoint: lens_backend(),
            ..timed("3", Some("2"), 1_472_470_996_199_000, 0, "", "get")
        };
        s.duration = None;
        let m = model(vec![s]);
        let row = m.row(0).unwrap();
        assert_eq!((row.start, row.duration, row.has_timestamp), ([1_472_470_996_199_000; 2], 0, true));
        assert_eq!(m.row_service_name(0), "backend");
    }

    // Lens span-row.test.js: "should not duplicate service names"
    #[test]
    fn lens_one_service_on_both_sides_is_listed_once() {
        let m = model(vec![Span {
            local_endpoint: lens_frontend(),
            remote_endpoint: lens_frontend(),
            ..span("3", None, None, None)
        }]);
        assert_eq!(m.services(), ["frontend"]);
    }
}
