//! The flame graph's layout (issue 21): boxes of a hand-made trace whose shares are known, the
//! aggregated mode, zoom, the skew switch, label fit and hit testing, the fixture check
//! (the widest box at depth 1 is the longest span there) and nesting as a property.
mod common;
use common::*;
use proptest::prelude::*;
use spanscope_domain::flame_graph::{
    box_label, breadcrumbs, fit_label, flame_layout, widest_at_depth, FlameHits, FlameLayout, FlameMode, FlameOptions,
};
use spanscope_domain::row_self_time::row_self_times;
use spanscope_domain::trace_model::TraceModel;

/// root 0..100 (a) → db 10..40 (b), db 50..90 (b) → cache 60..70 (c).
fn small() -> TraceModel {
    model(vec![
        timed("1", None, 1_000, 100, "a", "root"),
        timed("2", Some("1"), 1_010, 30, "b", "db"),
        timed("3", Some("1"), 1_050, 40, "b", "db"),
        timed("4", Some("3"), 1_060, 10, "c", "cache"),
    ])
}

fn layout(m: &TraceModel, mode: FlameMode, focus: Option<u32>) -> FlameLayout {
    flame_layout(m, &row_self_times(m, true), &FlameOptions { mode, focus, skew: true })
}

/// (short id, x, width, depth) of each box, rounded to 1e-9.
fn shapes(m: &TraceModel, l: &FlameLayout) -> Vec<(String, f64, f64, u32)> {
    let r = |x: f64| (x * 1e9).round() / 1e9;
    l.boxes.iter().map(|b| (row_id(m, b.row).to_owned(), r(b.x), r(b.width), b.depth)).collect()
}

#[test]
fn timeline_boxes_are_shares_of_the_trace() {
    let m = small();
    let l = layout(&m, FlameMode::Timeline, None);
    let s = |id: &str, x, w, d| (id.to_owned(), x, w, d);
    assert_eq!(shapes(&m, &l), [s("1", 0.0, 1.0, 0), s("2", 0.1, 0.3, 1), s("3", 0.5, 0.4, 1), s("4", 0.6, 0.1, 2)]);
    assert_eq!(l.levels, 3);
    assert_eq!((l.start, l.duration), (1_000, 100));
    // Self time: the root's 100 minus its children's 70; db 50..90 minus cache's 10.
    let selfs: Vec<u64> = l.boxes.iter().map(|b| b.self_time).collect();
    assert_eq!(selfs, [30, 30, 30, 10]);
    assert!((l.boxes[0].self_share() - 0.3).abs() < 1e-12);
    assert!((l.boxes[2].self_share() - 0.75).abs() < 1e-12);
    assert_eq!(box_label(&m, &l.boxes[1]), "db");
}

#[test]
fn aggregated_boxes_merge_by_service_and_name_path() {
    let m = small();
    let l = layout(&m, FlameMode::Aggregated, None);
    let s = |id: &str, x, w, d| (id.to_owned(), x, w, d);
    // Both db calls are one box 70 wide; cache under it keeps its 10.
    assert_eq!(shapes(&m, &l), [s("1", 0.0, 1.0, 0), s("2", 0.0, 0.7, 1), s("4", 0.0, 0.1, 2)]);
    assert_eq!((l.boxes[1].count, l.boxes[1].total, l.boxes[1].self_time), (2, 70, 60));
    assert_eq!(box_label(&m, &l.boxes[1]), "db ×2");
}

#[test]
fn a_loop_of_parallel_calls_is_one_box_that_still_fits_its_parent() {
    // Three 60 µs calls in parallel under a 100 µs root add up to 180: scaled to fit the root.
    let mut spans = vec![timed("1", None, 1_000, 100, "a", "root")];
    spans.extend((2..=4).map(|i| timed(&i.to_string(), Some("1"), 1_010, 60, "b", "get")));
    spans.push(timed("5", Some("1"), 1_010, 60, "b", "put"));
    let m = model(spans);
    let l = layout(&m, FlameMode::Aggregated, None);
    let r = |x: f64| (x * 1e9).round() / 1e9;
    let widths: Vec<(u32, f64, f64)> = l.boxes.iter().map(|b| (b.count, r(b.x), r(b.width))).collect();
    assert_eq!(widths, [(1, 0.0, 1.0), (3, 0.0, 0.75), (1, 0.75, 0.25)]);
}

#[test]
fn zoom_lays_out_the_subtree_in_its_own_window() {
    let m = small();
    let db = row_of(&m, "3");
    let l = layout(&m, FlameMode::Timeline, Some(db));
    let s = |id: &str, x, w, d| (id.to_owned(), x, w, d);
    assert_eq!(shapes(&m, &l), [s("3", 0.0, 1.0, 0), s("4", 0.25, 0.25, 1)]);
    assert_eq!((l.start, l.duration), (1_050, 40));
    let crumbs: Vec<&str> = breadcrumbs(&m, Some(db)).iter().map(|&r| row_id(&m, r)).collect();
    assert_eq!(crumbs, ["1", "3"]);
    assert!(breadcrumbs(&m, None).is_empty());
    let l = layout(&m, FlameMode::Aggregated, Some(db));
    assert_eq!(shapes(&m, &l), [s("3", 0.0, 1.0, 0), s("4", 0.0, 0.25, 1)]);
}

#[test]
fn boxes_follow_the_skew_switch() {
    let m = fixture_model("skew");
    assert!(!m.skew().moved.is_empty(), "the skew fixture moves a span");
    for skew in [false, true] {
        let l = flame_layout(&m, &row_self_times(&m, skew), &FlameOptions { skew, ..FlameOptions::default() });
        let (start, duration) = m.bounds(skew);
        assert_eq!((l.start, l.duration), (start, duration - start));
        for b in &l.boxes {
            let row = m.row(b.row).unwrap();
            let expected = (row.start_us(skew) - start) as f64 / (duration - start) as f64;
            assert!((b.x - expected.clamp(0.0, 1.0)).abs() < 1e-12, "skew {skew}: row {}", b.row);
        }
    }
}

#[test]
fn the_widest_box_at_depth_one_is_the_longest_span_there() {
    // Issue 21's browser check, on the host: smartthings-mobile-web-install.
    let m = fixture_model("smartthings-mobile-web-install");
    let l = layout(&m, FlameMode::Timeline, None);
    assert_eq!(l.boxes.len(), m.row_count() as usize);
    let widest = l.boxes.iter().filter(|b| b.depth == 1).max_by(|a, b| a.width.total_cmp(&b.width)).unwrap();
    let longest = m.rows().iter().filter(|r| r.depth == 1).map(|r| r.duration).max().unwrap();
    assert_eq!(widest.total, longest);
    let listed = widest_at_depth(&l, 1, 3);
    assert_eq!(l.boxes[listed[0]].total, longest);
    assert!(listed.windows(2).all(|w| l.boxes[w[0]].width >= l.boxes[w[1]].width));
    assert!(l.levels > 3);
}

#[test]
fn labels_fit_their_box_or_are_cut_with_an_ellipsis() {
    // 7 px a char, 4 px padding each side.
    assert_eq!(fit_label("get /users", 100.0, 7.0, 4.0).as_deref(), Some("get /users"));
    assert_eq!(fit_label("get /users", 50.0, 7.0, 4.0).as_deref(), Some("get /…"));
    assert_eq!(fit_label("get /users", 22.0, 7.0, 4.0).as_deref(), Some("g…"));
    assert_eq!(fit_label("get /users", 20.0, 7.0, 4.0), None);
    assert_eq!(fit_label("ünïcödé", 57.0, 7.0, 4.0).as_deref(), Some("ünïcödé"), "chars, not bytes");
    assert_eq!(fit_label("x", f64::NAN, 7.0, 4.0), None);
    assert_eq!(fit_label("x", 100.0, 0.0, 4.0), None);
}

#[test]
fn hit_testing_finds_the_box_under_the_pointer() {
    let m = small();
    let l = layout(&m, FlameMode::Timeline, None);
    let hits = FlameHits::new(&l);
    // A 1,000 px canvas with 20 px levels.
    let at = |x: f64, y: f64| hits.box_at_px(&l, x, y, 1_000.0, 20.0).map(|i| row_id(&m, l.boxes[i].row));
    assert_eq!(at(10.0, 5.0), Some("1"));
    assert_eq!(at(250.0, 25.0), Some("2"));
    assert_eq!(at(700.0, 30.0), Some("3"));
    assert_eq!(at(450.0, 30.0), None, "between the two db calls");
    assert_eq!(at(650.0, 45.0), Some("4"));
    assert_eq!(at(650.0, 65.0), None, "below the deepest level");
    assert_eq!(at(-1.0, 5.0), None);
    // Overlapping siblings: the one drawn last wins.
    let m = model(vec![
        timed("1", None, 1_000, 100, "a", "root"),
        timed("2", Some("1"), 1_000, 80, "b", "x"),
        timed("3", Some("1"), 1_020, 30, "b", "y"),
    ]);
    let l = layout(&m, FlameMode::Timeline, None);
    let hits = FlameHits::new(&l);
    let at = |x: f64| hits.box_at(&l, x, 1, 0.0).map(|i| row_id(&m, l.boxes[i].row));
    assert_eq!((at(0.1), at(0.3), at(0.7), at(0.9)), (Some("2"), Some("3"), Some("2"), None));
}

proptest! {
    #[test]
    fn boxes_nest_inside_their_parents(spans in arb_rpc_spans(14, 18, 4, Some(7), 1..50), merged in any::<bool>()) {
        let m = TraceModel::build(spans);
        let mode = if merged { FlameMode::Aggregated } else { FlameMode::Timeline };
        let l = layout(&m, mode, None);
        for b in &l.boxes {
            prop_assert!(b.x >= 0.0 && b.width >= 0.0 && b.x + b.width <= 1.0 + 1e-9, "{b:?}");
        }
        if merged {
            for (i, b) in l.boxes.iter().enumerate().filter(|(_, b)| b.depth > 0) {
                prop_assert!((b.parent as usize) < i, "a parent comes first");
                let p = &l.boxes[b.parent as usize];
                prop_assert_eq!(p.depth + 1, b.depth);
                prop_assert!(b.x >= p.x - 1e-9 && b.x + b.width <= p.x + p.width + 1e-9, "{b:?} in {p:?}");
            }
            let merged_rows: u32 = l.boxes.iter().map(|b| b.count).sum();
            prop_assert_eq!(merged_rows, m.row_count());
        } else {
            prop_assert_eq!(l.boxes.len(), m.row_count() as usize);
            for b in l.boxes.iter().filter(|b| b.depth > 0) {
                prop_assert_eq!(Some(b.parent), m.row(b.row).map(|r| r.parent));
            }
        }
    }
}
