//! The span table (issue 21): sorting by each column (stable, missing tag values last), grouped
//! figures with known p50/p99, saved column choice, and row self times checked against the
//! per-span ones where rows are single spans.
mod common;
use common::*;
use spanscope_domain::row_self_time::row_self_times;
use spanscope_domain::span::Kind;
use spanscope_domain::span_table::{
    columns_text, default_columns, group_rows, parse_columns, sort_rows, Column, GroupBy, GroupRow,
};
use spanscope_domain::stats::self_times;
use spanscope_domain::trace_model::TraceModel;

/// root 0..100 (api) → child 0..90 (db) → leaf 10..30 (db); root → late 92..100 (cache).
fn small() -> TraceModel {
    model(vec![
        tagged(kind(timed("1", None, 1_000, 100, "api", "get /"), Kind::Server), &[("http.status_code", "200")]),
        tagged(timed("2", Some("1"), 1_000, 90, "db", "query"), &[("rows", "10")]),
        tagged(timed("3", Some("2"), 1_010, 20, "db", "fetch"), &[("rows", "9")]),
        tagged(kind(timed("4", Some("1"), 1_092, 8, "cache", "get"), Kind::Client), &[("rows", "many")]),
    ])
}

fn sorted(m: &TraceModel, column: Column, descending: bool) -> Vec<&str> {
    let selfs = row_self_times(m, true);
    let mut rows: Vec<u32> = (0..m.row_count()).collect();
    sort_rows(m, &selfs, &mut rows, &column, descending, true);
    rows.iter().map(|&r| row_id(m, r)).collect()
}

#[test]
fn self_time_is_what_no_child_covers() {
    let m = small();
    let selfs = row_self_times(&m, true);
    let by_id: Vec<(&str, u64)> = (0..m.row_count()).map(|r| (row_id(&m, r), selfs[r as usize])).collect();
    assert_eq!(by_id, [("1", 2), ("2", 70), ("3", 20), ("4", 8)]);
    // Rows of single spans: the same as the per-span figure of the statistics view.
    let per_span = self_times(&m, true);
    for r in 0..m.row_count() {
        assert_eq!(selfs[r as usize], per_span[m.row(r).unwrap().span as usize]);
    }
}

#[test]
fn sorting_by_each_column() {
    let m = small();
    assert_eq!(sorted(&m, Column::SelfTime, true), ["2", "3", "4", "1"], "the known span first");
    assert_eq!(sorted(&m, Column::Duration, true), ["1", "2", "3", "4"]);
    assert_eq!(sorted(&m, Column::Duration, false), ["4", "3", "2", "1"]);
    assert_eq!(sorted(&m, Column::Start, false), ["1", "2", "3", "4"]);
    assert_eq!(sorted(&m, Column::Service, false), ["1", "4", "2", "3"], "api, cache, db, db (stable)");
    assert_eq!(sorted(&m, Column::Name, false), ["3", "4", "1", "2"]);
    assert_eq!(sorted(&m, Column::Kind, false), ["2", "3", "4", "1"], "no kind, client, server");
    // Tags: numbers by value (9 before 10), then text, rows without the tag last both ways.
    assert_eq!(sorted(&m, Column::Tag("rows".into()), false), ["3", "2", "4", "1"]);
    assert_eq!(sorted(&m, Column::Tag("rows".into()), true), ["4", "2", "3", "1"]);
}

#[test]
fn equal_keys_keep_their_order_so_sorts_refine() {
    let spans: Vec<_> =
        (1..=6u64).map(|i| timed(&i.to_string(), None, 1_000 + i, if i % 2 == 0 { 5 } else { 7 }, "s", "op")).collect();
    let m = model(spans);
    assert_eq!(sorted(&m, Column::Duration, false), ["2", "4", "6", "1", "3", "5"]);
    assert_eq!(sorted(&m, Column::Duration, true), ["1", "3", "5", "2", "4", "6"]);
    let errors = [("1", ""), ("2", "boom")];
    let spans: Vec<_> = errors
        .iter()
        .map(|(id, e)| {
            let s = timed(id, None, 1_000, 1, "s", "op");
            if e.is_empty() {
                s
            } else {
                tagged(s, &[("error", e)])
            }
        })
        .collect();
    let m = model(spans);
    assert_eq!(sorted(&m, Column::Status, true), ["2", "1"], "errors first when descending");
    // A stale row list sorts without panicking.
    let mut rows = vec![7, 0, 99];
    sort_rows(&m, &[], &mut rows, &Column::Service, false, true);
    assert_eq!(rows.len(), 3);
}

#[test]
fn groups_give_count_total_self_time_and_percentiles() {
    // 100 db "query" spans of 1..=100 µs, 200 µs apart, under one api root of 30,000 µs.
    let mut spans = vec![timed("1", None, 1_000, 30_000, "api", "get")];
    spans.extend((1..=100u64).map(|i| timed(&format!("{:x}", i + 1), Some("1"), 1_000 + i * 200, i, "db", "query")));
    spans.push(timed("ff", Some("1"), 25_000, 3, "db", "ping"));
    let m = model(spans);
    let selfs = row_self_times(&m, true);
    let rows: Vec<u32> = (0..m.row_count()).collect();
    let groups = group_rows(&m, &selfs, &rows, GroupBy::SpanName);
    let figures: Vec<(&str, &str, u32, u64, u64, u64)> =
        groups.iter().map(|g| (g.service.as_str(), g.name.as_str(), g.count, g.total, g.p50, g.p99)).collect();
    assert_eq!(
        figures,
        [("api", "get", 1, 30_000, 30_000, 30_000), ("db", "query", 100, 5_050, 50, 99), ("db", "ping", 1, 3, 3, 3)]
    );
    assert_eq!(groups[0].self_time, 30_000 - 5_050 - 3);
    let by_service = group_rows(&m, &selfs, &rows, GroupBy::Service);
    let db: &GroupRow = by_service.iter().find(|g| g.service == "db").unwrap();
    assert_eq!((db.count, db.total, db.name.as_str(), db.rows.len()), (101, 5_053, "", 101));
}

#[test]
fn column_choice_is_saved_as_text() {
    let mut columns = default_columns();
    columns.push(Column::Tag("http.status_code".into()));
    let text = columns_text(&columns);
    assert_eq!(text, "service,name,kind,start,duration,self,status,tag:http.status_code");
    assert_eq!(parse_columns(&text), columns);
    assert_eq!(parse_columns("self, bogus,self,tag:"), [Column::SelfTime]);
    assert_eq!(parse_columns(""), default_columns());
}

#[test]
fn fixture_table_sorted_by_self_time_starts_with_the_largest() {
    let m = fixture_model("yelp");
    let selfs = row_self_times(&m, true);
    let mut rows: Vec<u32> = (0..m.row_count()).collect();
    sort_rows(&m, &selfs, &mut rows, &Column::SelfTime, true, true);
    assert!(rows.windows(2).all(|w| selfs[w[0] as usize] >= selfs[w[1] as usize]));
    assert!(selfs.iter().zip(m.rows()).all(|(s, r)| *s <= r.duration));
    let mut sorted_ids: Vec<u32> = rows.clone();
    sorted_ids.sort_unstable();
    assert_eq!(sorted_ids, (0..m.row_count()).collect::<Vec<_>>(), "a permutation");
}
