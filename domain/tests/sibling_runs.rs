//! Folded repeated siblings (issue 21): which runs fold, their summary, the folded visible rows
//! (with the URL switch's unfold set and a focus), the suggestion at 50, and as a property that
//! folding only hides the members after each run's first and their subtrees.
mod common;
use common::*;
use proptest::prelude::*;
use spanscope_domain::rows::{visible_rows, RowOptions, VisibleRows};
use spanscope_domain::sibling_runs::{SiblingRuns, SUGGEST_AT};
use spanscope_domain::trace_model::TraceModel;
use std::collections::HashSet;

/// root → 5 × db select (10 µs apart, 2..6 µs), cache get, 2 × db select; the third select has a child.
fn looped() -> TraceModel {
    let mut spans = vec![timed("1", None, 1_000, 1_000, "api", "get")];
    for i in 0..5u64 {
        spans.push(timed(&format!("{:x}", 0x10 + i), Some("1"), 1_010 + i * 10, 2 + i, "db", "select"));
    }
    spans.push(timed("a1", Some("12"), 1_031, 1, "db", "parse"));
    spans.push(timed("20", Some("1"), 1_100, 5, "cache", "get"));
    spans.push(timed("30", Some("1"), 1_200, 5, "db", "select"));
    spans.push(timed("31", Some("1"), 1_300, 5, "db", "select"));
    model(spans)
}

fn ids(m: &TraceModel, v: &VisibleRows) -> Vec<(String, u32)> {
    v.rows.iter().map(|r| (row_id(m, r.row).to_owned(), r.folded)).collect()
}

#[test]
fn a_run_of_alike_siblings_folds_into_one_row() {
    let m = looped();
    let runs = SiblingRuns::new(&m);
    assert_eq!(runs.runs().len(), 1, "the trailing pair is too short to fold");
    let run = &runs.runs()[0];
    assert_eq!((row_id(&m, run.first), row_id(&m, run.last), run.count, run.total, run.p50), ("10", "14", 5, 20, 4));
    assert_eq!(run.label(), "×5, total 20μs, p50 4μs");
    assert_eq!(run.extent[1], (1_010, 1_056));
    let opts = RowOptions { skew: true, fold: Some(&runs), ..Default::default() };
    let v = visible_rows(&m, &opts);
    let s = |id: &str, n: u32| (id.to_owned(), n);
    assert_eq!(ids(&m, &v), [s("1", 0), s("10", 5), s("20", 0), s("30", 0), s("31", 0)]);
    assert_eq!((v.rows[1].offset, v.rows[1].duration), (10, 46), "the folded row spans the run");
    // Opening the run shows its rows again, the nested child too.
    let open: HashSet<u32> = [run.first].into();
    let v = visible_rows(&m, &RowOptions { unfolded: Some(&open), ..opts.clone() });
    assert_eq!(v.rows.len(), m.row_count() as usize);
    // Focused on the first member, its subtree alone shows; nothing folds.
    let v = visible_rows(&m, &RowOptions { focus: Some(run.first), ..opts });
    assert_eq!(ids(&m, &v), [s("10", 0)]);
    assert!(!runs.suggest_folding());
    // Selecting a hidden member (or the child of one) opens the run; its first row is never hidden.
    assert_eq!(runs.runs_hiding(row_of(&m, "a1")), [run.first]);
    assert_eq!(runs.runs_hiding(row_of(&m, "14")), [run.first]);
    assert!(runs.runs_hiding(run.first).is_empty() && runs.runs_hiding(row_of(&m, "20")).is_empty());
}

#[test]
fn fifty_alike_siblings_make_the_page_suggest_folding() {
    let mut spans = vec![timed("1", None, 1_000, 100_000, "api", "get")];
    spans.extend(
        (0..SUGGEST_AT as u64).map(|i| timed(&format!("{:x}", 0x100 + i), Some("1"), 1_001 + i, 2, "db", "select")),
    );
    let m = model(spans);
    let runs = SiblingRuns::new(&m);
    assert_eq!((runs.longest(), runs.suggest_folding()), (SUGGEST_AT, true));
    let v = visible_rows(&m, &RowOptions { skew: true, fold: Some(&runs), ..Default::default() });
    assert_eq!(ids(&m, &v).last().map(|r| r.1), Some(SUGGEST_AT));
    assert_eq!(v.rows.len(), 2);
}

#[test]
fn fixture_runs_are_alike_consecutive_siblings() {
    let m = fixture_model("smartthings-mobile-web-install");
    let runs = SiblingRuns::new(&m);
    assert!(!runs.runs().is_empty());
    for run in runs.runs() {
        let mut r = run.first;
        for _ in 0..run.count {
            let row = m.row(r).unwrap();
            assert_eq!(row.parent, m.row(run.first).unwrap().parent);
            assert_eq!((row.service, m.row_name(r)), (m.row(run.first).unwrap().service, m.row_name(run.first)));
            r = row.subtree_end;
        }
        assert_eq!(r, run.end);
    }
}

proptest! {
    #[test]
    fn folding_hides_only_the_later_members_of_each_run(spans in arb_rpc_spans(16, 20, 2, Some(3), 1..60)) {
        let m = TraceModel::build(spans);
        let runs = SiblingRuns::new(&m);
        let plain = visible_rows(&m, &RowOptions { skew: true, ..Default::default() });
        let folded = visible_rows(&m, &RowOptions { skew: true, fold: Some(&runs), ..Default::default() });
        let hidden: HashSet<u32> = runs.runs().iter().flat_map(|r| r.first + 1..r.end).collect();
        let expected: Vec<u32> = plain.rows.iter().map(|r| r.row).filter(|r| !hidden.contains(r)).collect();
        prop_assert_eq!(folded.rows.iter().map(|r| r.row).collect::<Vec<_>>(), expected);
        for r in &folded.rows {
            prop_assert_eq!(r.folded, runs.run_at(r.row).map_or(0, |run| run.count));
        }
    }
}
