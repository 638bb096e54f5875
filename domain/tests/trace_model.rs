#![cfg(not(target_arch = "wasm32"))]
//! The trace pipeline on the real fixture traces, with expectations read from the JSON.
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
