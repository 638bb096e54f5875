#![cfg(not(target_arch = "wasm32"))]
//! Property tests on generated traces: every span appears exactly once in the rows, a subtree
//! is a contiguous range, collapsing and expanding restores the rows, and no input panics.
use proptest::prelude::*;
use spanscope_domain::critical_path::critical_path;
use spanscope_domain::decode::decode_file;
use spanscope_domain::dependency_links::link_trace;
use spanscope_domain::find::find_rows;
use spanscope_domain::rows::{visible_rows, RowOptions};
use spanscope_domain::span::{Annotation, Endpoint, Kind, Span};
use spanscope_domain::stats::trace_stats;
use spanscope_domain::summary::summarize;
use spanscope_domain::trace_model::TraceModel;
use spanscope_domain::tree::NONE;
use std::collections::HashSet;

/// Spans drawn from small pools so duplicates, shared pairs, missing parents and cycles occur.
fn arb_span() -> impl Strategy<Value = Span> {
    let id = 0u8..24;
    (
        id.clone(),
        proptest::option::of(id),
        proptest::option::of(prop_oneof![
            Just(Kind::Client),
            Just(Kind::Server),
            Just(Kind::Producer),
            Just(Kind::Consumer)
        ]),
        proptest::option::of(0u64..2_000),
        proptest::option::of(0u64..500),
        proptest::option::of((0u8..4, 0u8..3)),
        any::<bool>(),
        proptest::option::of(0u8..3),
    )
        .prop_map(|(id, parent, kind, ts, dur, ep, shared, err)| Span {
            trace_id: "a".into(),
            id: format!("{id:x}"),
            parent_id: parent.map(|p| format!("{p:x}")),
            name: Some(format!("op{}", id % 5)),
            kind,
            timestamp: ts.map(|t| t + 1_000_000),
            duration: dur,
            local_endpoint: ep.map(|(s, ip)| Endpoint {
                service_name: Some(format!("svc{s}")),
                ipv4: Some(format!("10.0.0.{ip}")),
                ..Endpoint::default()
            }),
            annotations: if id % 3 == 0 {
                vec![Annotation { timestamp: 1_000_100, value: "error".into() }]
            } else {
                vec![]
            },
            tags: match err {
                Some(0) => [("error".to_string(), String::new())].into(),
                Some(_) => [("http.path".to_string(), "/x".to_string())].into(),
                None => Default::default(),
            },
            shared: shared.then_some(true),
            ..Span::default()
        })
}

fn check_arena(model: &TraceModel) -> Result<(), TestCaseError> {
    let n = model.row_count();
    let mut seen = vec![0u32; model.spans().len()];
    for r in 0..n {
        for &s in model.row_spans(r) {
            seen[s as usize] += 1;
        }
        let row = model.row(r).unwrap();
        prop_assert!(row.subtree_end > r && row.subtree_end <= n);
        // Every row inside the range descends from r: its parent is inside [r, c).
        for c in r + 1..row.subtree_end {
            let p = model.row(c).unwrap().parent;
            prop_assert!(p != NONE && p >= r && p < c);
        }
        // The row right after the range is not below r.
        if let Some(next) = model.row(row.subtree_end) {
            prop_assert!(next.depth <= row.depth);
        }
    }
    prop_assert!(seen.iter().all(|&k| k == 1), "a span is missing or repeated");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn every_span_once_and_subtrees_contiguous(spans in proptest::collection::vec(arb_span(), 0..60)) {
        let model = TraceModel::build(spans);
        check_arena(&model)?;
        for skew in [false, true] {
            let cp = critical_path(&model, skew);
            for w in cp.sections.windows(2) {
                prop_assert!(w[0].end <= w[1].start);
            }
            let stats = trace_stats(&model, skew);
            prop_assert_eq!(stats.by_service.iter().map(|s| s.count).sum::<u64>(), model.spans().len() as u64);
        }
        let found = find_rows(&model, "op1");
        prop_assert!(found.windows(2).all(|w| w[0].row < w[1].row));
    }

    #[test]
    fn collapse_then_expand_restores_rows(
        spans in proptest::collection::vec(arb_span(), 1..60),
        picks in proptest::collection::vec(0u32..80, 0..6),
        extra in 0u32..80,
        skew in any::<bool>(),
    ) {
        let model = TraceModel::build(spans);
        let n = model.row_count().max(1);
        let base: HashSet<u32> = picks.iter().map(|p| p % n).collect();
        let x = extra % n;
        prop_assume!(!base.contains(&x));
        let before = visible_rows(&model, &RowOptions { collapsed: Some(&base), skew, ..RowOptions::default() });
        let mut more = base.clone();
        more.insert(x);
        let collapsed = visible_rows(&model, &RowOptions { collapsed: Some(&more), skew, ..RowOptions::default() });
        // Collapsing x hides exactly the rows of x's subtree that were visible.
        let end = model.subtree_end(x);
        let expected: Vec<u32> = before.rows.iter().map(|r| r.row).filter(|&r| !(r > x && r < end)).collect();
        let got: Vec<u32> = collapsed.rows.iter().map(|r| r.row).collect();
        prop_assert_eq!(got, expected);
        more.remove(&x);
        let after = visible_rows(&model, &RowOptions { collapsed: Some(&more), skew, ..RowOptions::default() });
        prop_assert_eq!(after, before);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(traces) = decode_file(&bytes) {
            for t in traces {
                let _ = summarize(&t);
                let _ = link_trace(&t);
                let m = TraceModel::build(t);
                let _ = visible_rows(&m, &RowOptions::default());
            }
        }
    }

    #[test]
    fn generated_json_round_trips(spans in proptest::collection::vec(arb_span(), 0..40)) {
        let json = serde_json::to_vec(&spans).unwrap();
        let traces = decode_file(&json).unwrap();
        prop_assert_eq!(traces.into_iter().flatten().collect::<Vec<_>>(), spans);
    }
}
