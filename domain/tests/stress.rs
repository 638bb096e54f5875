#![cfg(not(target_arch = "wasm32"))]
//! A 10,000-deep chain and a 100,000-wide fan-out go through every function without stack
//! overflow (everything is iterative) and with the expected shape.
use spanscope_domain::critical_path::critical_path;
use spanscope_domain::decode::{decode_file, decode_spans};
use spanscope_domain::dependency_links::link_trace;
use spanscope_domain::find::find_rows;
use spanscope_domain::rows::{expandable_rows, visible_rows, RowOptions};
use spanscope_domain::span::{Endpoint, Kind, Span};
use spanscope_domain::stats::trace_stats;
use spanscope_domain::summary::summarize;
use spanscope_domain::trace_model::TraceModel;
use std::collections::HashSet;

fn ep(service: String, ip: &str) -> Option<Endpoint> {
    Some(Endpoint { service_name: Some(service), ipv4: Some(ip.into()), ..Endpoint::default() })
}

fn id(i: usize) -> String {
    format!("{:016x}", i + 1)
}

/// Each span calls the next: CLIENT on service k, SERVER on service k+1 (different ids), 10,000 deep.
fn chain(n: usize) -> Vec<Span> {
    (0..n)
        .map(|i| Span {
            trace_id: "00000000000000aa".into(),
            id: id(i),
            parent_id: (i > 0).then(|| id(i - 1)),
            name: Some(format!("op{}", i % 7)),
            kind: Some(if i % 2 == 0 { Kind::Server } else { Kind::Client }),
            timestamp: Some(1_000_000 + i as u64),
            duration: Some((2 * n - i) as u64),
            local_endpoint: ep(format!("svc{}", (i + 1) / 2 % 50), &format!("10.0.{}.{}", i / 250 % 250, i % 250)),
            ..Span::default()
        })
        .collect()
}

/// One root with `n` children.
fn fan_out(n: usize) -> Vec<Span> {
    let mut spans = vec![Span {
        trace_id: "00000000000000bb".into(),
        id: id(0),
        name: Some("root".into()),
        timestamp: Some(1_000_000),
        duration: Some(n as u64 * 10),
        local_endpoint: ep("root".into(), "10.0.0.1"),
        ..Span::default()
    }];
    spans.extend((1..=n).map(|i| Span {
        trace_id: "00000000000000bb".into(),
        id: id(i),
        parent_id: Some(id(0)),
        name: Some("child".into()),
        kind: Some(Kind::Client),
        timestamp: Some(1_000_000 + i as u64 * 10),
        duration: Some(5),
        local_endpoint: ep("root".into(), "10.0.0.1"),
        remote_endpoint: ep(format!("backend{}", i % 100), "10.0.0.2"),
        tags: if i % 1000 == 0 { [("error".to_string(), String::new())].into() } else { Default::default() },
        ..Span::default()
    }));
    spans
}

fn everything(spans: Vec<Span>) -> TraceModel {
    let json = serde_json::to_vec(&spans).unwrap();
    let decoded = decode_spans(&json).unwrap();
    assert_eq!(decoded.len(), spans.len());
    assert_eq!(decode_file(&json).unwrap().len(), 1);
    let summary = summarize(&decoded);
    assert_eq!(summary.span_count as usize, spans.len());
    let _ = link_trace(&decoded);
    let model = TraceModel::build(decoded);
    for skew in [false, true] {
        let all = visible_rows(&model, &RowOptions { skew, ..RowOptions::default() });
        assert_eq!(all.rows.len() as u32, model.row_count());
        let collapsed = expandable_rows(&model);
        let few = visible_rows(&model, &RowOptions { collapsed: Some(&collapsed), skew, ..RowOptions::default() });
        assert_eq!(few.rows.len(), 1, "collapse all leaves the root");
        let _ = visible_rows(&model, &RowOptions { focus: Some(model.row_count() / 2), skew, ..RowOptions::default() });
        let cp = critical_path(&model, skew);
        assert!(!cp.sections.is_empty());
        let _ = trace_stats(&model, skew);
    }
    let _ = find_rows(&model, "op3");
    let last = model.row_count() - 1;
    assert_eq!(model.ancestors(last).count() as u32, model.row(last).unwrap().depth);
    model
}

#[test]
fn ten_thousand_deep_chain() {
    let model = everything(chain(10_000));
    assert_eq!(model.row_count(), 10_000);
    assert_eq!(model.depth(), 10_000);
    assert_eq!(summarize(&chain(10_000)).depth, 10_000);
    // The critical path runs down the whole chain.
    let cp = critical_path(&model, false);
    assert_eq!(cp.contributions.len(), 10_000);
    let collapsed: HashSet<u32> = [5_000].into();
    let rows = visible_rows(&model, &RowOptions { collapsed: Some(&collapsed), ..RowOptions::default() });
    assert_eq!(rows.rows.len(), 5_001);
}

#[test]
fn hundred_thousand_wide_fan_out() {
    let model = everything(fan_out(100_000));
    assert_eq!(model.row_count(), 100_001);
    assert_eq!(model.depth(), 2);
    assert_eq!(find_rows(&model, "backend42").len(), 1_000);
    let summary = summarize(&fan_out(100_000));
    assert_eq!(summary.error_count, 100);
    let links = link_trace(&fan_out(100_000));
    assert_eq!(links.len(), 100);
    assert_eq!(links.iter().map(|l| l.call_count).sum::<u64>(), 100_000);
}

#[test]
fn cycles_and_self_parents_are_broken_deterministically() {
    // a -> b -> c -> a, plus a self-parent, plus a root.
    let mk = |i: &str, p: Option<&str>, ts: u64| Span {
        trace_id: "1".into(),
        id: i.into(),
        parent_id: p.map(Into::into),
        timestamp: Some(ts),
        duration: Some(1),
        ..Span::default()
    };
    let spans = vec![
        mk("r", None, 1),
        mk("a", Some("c"), 2),
        mk("b", Some("a"), 3),
        mk("c", Some("b"), 4),
        mk("s", Some("s"), 5),
    ];
    let model = TraceModel::build(spans.clone());
    assert_eq!(model.row_count(), 5);
    assert_eq!(model.report().cycles_broken.len(), 1);
    assert_eq!(model.self_parents().len(), 1);
    let mut reversed = spans;
    reversed.reverse();
    let again = TraceModel::build(reversed);
    let names = |m: &TraceModel| {
        (0..m.row_count())
            .map(|r| (m.span(m.row(r).unwrap().span).unwrap().id.clone(), m.row(r).unwrap().depth))
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&model), names(&again), "same tree whatever the input order");
}

#[test]
fn headless_and_missing_parents_are_counted() {
    let mk = |i: &str, p: &str| Span {
        trace_id: "1".into(),
        id: i.into(),
        parent_id: Some(p.into()),
        timestamp: Some(5),
        ..Span::default()
    };
    let model = TraceModel::build(vec![mk("a", "x"), mk("b", "a"), mk("c", "y")]);
    assert!(model.report().headless);
    assert_eq!(model.report().missing_parents.len(), 2);
    assert_eq!(model.row_count(), 3);
    let rows = visible_rows(&model, &RowOptions::default());
    assert_eq!(rows.rows.iter().filter(|r| r.depth == 0).count(), 2);
    assert_eq!(model.skew().skipped, Some(spanscope_domain::clock_skew::SkewSkipped::Headless));
    assert!(TraceModel::build(Vec::new()).rows().is_empty());
}

#[test]
fn extreme_numbers_do_not_overflow() {
    let big = u64::MAX - 3;
    let json = format!(
        r#"[{{"traceId":"a","id":"1","kind":"CLIENT","timestamp":{big},"duration":{big},"localEndpoint":{{"serviceName":"a","ipv4":"1.1.1.1"}}}},
           {{"traceId":"a","id":"1","kind":"SERVER","shared":true,"timestamp":1,"duration":{big},"localEndpoint":{{"serviceName":"b","ipv4":"2.2.2.2"}}}},
           {{"traceId":"a","id":"2","parentId":"1","timestamp":{big},"duration":{big},"localEndpoint":{{"serviceName":"b","ipv4":"2.2.2.2"}}}},
           {{"traceId":"a","id":"3","parentId":"1","timestamp":9223372036854775807,"duration":{big}}}]"#
    );
    let spans = decode_spans(json.as_bytes()).unwrap();
    let _ = summarize(&spans);
    let _ = link_trace(&spans);
    let model = TraceModel::build(spans);
    for skew in [false, true] {
        let _ = visible_rows(&model, &RowOptions { skew, ..RowOptions::default() });
        let _ = critical_path(&model, skew);
        let _ = trace_stats(&model, skew);
    }
}
