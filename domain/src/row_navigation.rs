//! Keyboard movement through the waterfall's visible rows (an ARIA treegrid): next and previous
//! row, first and last, a page at a time, parent and first child, and collapsing, expanding or
//! toggling on the way. It works on positions in the visible list, so rows inside a collapsed
//! subtree (absent from that list) are stepped over. The keys are the WAI-ARIA treegrid
//! pattern's row keys, with Enter and Space as the toggle; the caller measures a page.
use crate::rows::VisibleRow;
use crate::trace_model::TraceModel;

/// A navigation key of the waterfall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NavKey {
    Next,
    Previous,
    First,
    Last,
    PageDown,
    PageUp,
    /// → : expand a collapsed row, or go to the first child of an expanded one.
    Expand,
    /// ← : collapse an expanded row, or go to the parent.
    Collapse,
    /// Enter or Space: collapse or expand.
    Toggle,
}

/// What a key does to the waterfall.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowMove {
    /// Select the row at this position of the visible list.
    Select(usize),
    /// Collapse (`true`) or expand (`false`) this model row.
    SetCollapsed(u32, bool),
    /// Flip this model row between collapsed and expanded.
    Toggle(u32),
    /// The key is handled but changes nothing (e.g. → on a leaf).
    Stay,
}

impl NavKey {
    /// The key for a DOM `KeyboardEvent.key`, or `None` when the waterfall leaves it alone.
    pub fn from_key(key: &str) -> Option<NavKey> {
        Some(match key {
            "ArrowDown" => NavKey::Next,
            "ArrowUp" => NavKey::Previous,
            "Home" => NavKey::First,
            "End" => NavKey::Last,
            "PageDown" => NavKey::PageDown,
            "PageUp" => NavKey::PageUp,
            "ArrowRight" => NavKey::Expand,
            "ArrowLeft" => NavKey::Collapse,
            "Enter" | " " => NavKey::Toggle,
            _ => return None,
        })
    }
}

/// The rows a page key moves by: as many whole rows as the viewport holds, at least one.
pub fn rows_per_page(viewport_px: f64, row_px: f64) -> usize {
    let rows = (viewport_px / row_px).floor();
    if rows.is_finite() && rows >= 1.0 {
        rows as usize
    } else {
        1
    }
}

/// What `key` does with the selection at `current` (a position in `rows`, `None` when no visible
/// row is selected). A moving key without a selection selects the first row; keys that act on
/// the selected row do nothing without one. Moves stop at the ends of the list.
pub fn navigate(
    model: &TraceModel,
    rows: &[VisibleRow],
    current: Option<usize>,
    key: NavKey,
    page_rows: usize,
) -> RowMove {
    let Some(last) = rows.len().checked_sub(1) else { return RowMove::Stay };
    let current = current.filter(|&p| p <= last);
    let moved = |to: fn(usize, usize, usize) -> usize| RowMove::Select(current.map_or(0, |p| to(p, last, page_rows)));
    match key {
        NavKey::Next => moved(|p, last, _| (p + 1).min(last)),
        NavKey::Previous => moved(|p, _, _| p.saturating_sub(1)),
        NavKey::PageDown => moved(|p, last, page| p.saturating_add(page).min(last)),
        NavKey::PageUp => moved(|p, _, page| p.saturating_sub(page)),
        NavKey::First => RowMove::Select(0),
        NavKey::Last => RowMove::Select(last),
        NavKey::Expand => match current.map(|p| (p, rows[p])) {
            Some((_, r)) if r.has_children && r.collapsed => RowMove::SetCollapsed(r.row, false),
            // Rows are in depth-first order, so an expanded row's first child follows it.
            Some((p, r)) if r.has_children => RowMove::Select((p + 1).min(last)),
            _ => RowMove::Stay,
        },
        NavKey::Collapse => match current.map(|p| rows[p]) {
            Some(r) if r.has_children && !r.collapsed => RowMove::SetCollapsed(r.row, true),
            Some(r) => model
                .row(r.row)
                .and_then(|m| rows.binary_search_by_key(&m.parent, |v| v.row).ok())
                .map_or(RowMove::Stay, RowMove::Select),
            None => RowMove::Stay,
        },
        NavKey::Toggle => match current.map(|p| rows[p]) {
            Some(r) if r.has_children => RowMove::Toggle(r.row),
            _ => RowMove::Stay,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::decode_spans;
    use crate::rows::{visible_rows, RowOptions};
    use std::collections::HashSet;

    /// root(1) → a(2) → a1(3), a2(4); root → b(5) → b1(6). Rows in depth-first order:
    /// 0 root, 1 a, 2 a1, 3 a2, 4 b, 5 b1.
    fn model() -> TraceModel {
        let span = |id: u32, parent: Option<u32>, ts: u64| {
            let parent = parent.map_or(String::new(), |p| format!(r#""parentId":"{p:x}","#));
            format!(
                r#"{{"traceId":"a","id":"{id:x}",{parent}"name":"s{id}","timestamp":{ts},"duration":10,
                "localEndpoint":{{"serviceName":"svc"}}}}"#
            )
        };
        let spans = [span(1, None, 100), span(2, Some(1), 101), span(3, Some(2), 102)]
            .into_iter()
            .chain([span(4, Some(2), 103), span(5, Some(1), 104), span(6, Some(5), 105)])
            .collect::<Vec<_>>()
            .join(",");
        TraceModel::build(decode_spans(format!("[{spans}]").as_bytes()).expect("spans"))
    }

    fn rows(model: &TraceModel, collapsed: &[u32]) -> Vec<VisibleRow> {
        let collapsed: HashSet<u32> = collapsed.iter().copied().collect();
        visible_rows(model, &RowOptions { collapsed: Some(&collapsed), skew: true, ..Default::default() }).rows
    }

    #[test]
    fn the_test_trace_has_the_expected_rows() {
        let m = model();
        assert_eq!(
            rows(&m, &[]).iter().map(|r| m.row_name(r.row)).collect::<Vec<_>>(),
            ["s1", "s2", "s3", "s4", "s5", "s6"]
        );
    }

    #[test]
    fn up_and_down_stop_at_the_ends() {
        let m = model();
        let r = rows(&m, &[]);
        let go = |at, key| navigate(&m, &r, at, key, 3);
        assert_eq!(go(Some(0), NavKey::Next), RowMove::Select(1));
        assert_eq!(go(Some(5), NavKey::Next), RowMove::Select(5));
        assert_eq!(go(Some(0), NavKey::Previous), RowMove::Select(0));
        assert_eq!(go(Some(3), NavKey::Previous), RowMove::Select(2));
        // No selection (or one that is not visible): the first row.
        assert_eq!(go(None, NavKey::Next), RowMove::Select(0));
        assert_eq!(go(None, NavKey::Previous), RowMove::Select(0));
        assert_eq!(go(Some(99), NavKey::Next), RowMove::Select(0));
        assert_eq!(go(Some(2), NavKey::First), RowMove::Select(0));
        assert_eq!(go(None, NavKey::Last), RowMove::Select(5));
        // An empty list handles nothing.
        assert_eq!(navigate(&m, &[], Some(0), NavKey::Next, 3), RowMove::Stay);
    }

    #[test]
    fn page_keys_move_by_a_viewport_of_rows() {
        let m = model();
        let r = rows(&m, &[]);
        // A 72 px viewport of 24 px rows holds 3 rows.
        let page = rows_per_page(72.0, 24.0);
        assert_eq!(page, 3);
        assert_eq!(navigate(&m, &r, Some(1), NavKey::PageDown, page), RowMove::Select(4));
        assert_eq!(navigate(&m, &r, Some(4), NavKey::PageDown, page), RowMove::Select(5));
        assert_eq!(navigate(&m, &r, Some(4), NavKey::PageUp, page), RowMove::Select(1));
        assert_eq!(navigate(&m, &r, Some(2), NavKey::PageUp, page), RowMove::Select(0));
        assert_eq!(navigate(&m, &r, None, NavKey::PageDown, page), RowMove::Select(0));
        assert_eq!(navigate(&m, &r, Some(0), NavKey::PageDown, usize::MAX), RowMove::Select(5));
        // Partial rows do not count; a viewport smaller than a row (or unmeasured) still moves one.
        assert_eq!(rows_per_page(95.0, 24.0), 3);
        assert_eq!(rows_per_page(10.0, 24.0), 1);
        assert_eq!(rows_per_page(600.0, 0.0), 1);
        assert_eq!(rows_per_page(f64::NAN, 24.0), 1);
    }

    #[test]
    fn a_page_is_ten_rows_on_a_long_list() {
        // A root with 29 children: 30 rows. A 240 px viewport of 24 px rows holds 10.
        let spans = (2..=30)
            .map(|id| {
                format!(
                    r#"{{"traceId":"a","id":"{id:x}","parentId":"1","name":"c{id}","timestamp":{},"duration":1}}"#,
                    100 + id
                )
            })
            .collect::<Vec<_>>()
            .join(",");
        let root = r#"{"traceId":"a","id":"1","name":"root","timestamp":100,"duration":50}"#;
        let m = TraceModel::build(decode_spans(format!("[{root},{spans}]").as_bytes()).expect("spans"));
        let r = rows(&m, &[]);
        assert_eq!(r.len(), 30);
        let page = rows_per_page(240.0, 24.0);
        assert_eq!(page, 10);
        assert_eq!(navigate(&m, &r, Some(3), NavKey::PageDown, page), RowMove::Select(13));
        assert_eq!(navigate(&m, &r, Some(13), NavKey::PageUp, page), RowMove::Select(3));
        assert_eq!(navigate(&m, &r, Some(3), NavKey::PageUp, page), RowMove::Select(0));
        assert_eq!(navigate(&m, &r, Some(25), NavKey::PageDown, page), RowMove::Select(29));
    }

    #[test]
    fn moves_step_over_collapsed_subtrees() {
        let m = model();
        // `a` (row 1) collapsed: visible rows are root, a, b, b1.
        let r = rows(&m, &[1]);
        assert_eq!(r.iter().map(|v| v.row).collect::<Vec<_>>(), [0, 1, 4, 5]);
        assert_eq!(navigate(&m, &r, Some(1), NavKey::Next, 1), RowMove::Select(2)); // a → b
        assert_eq!(navigate(&m, &r, Some(2), NavKey::Previous, 1), RowMove::Select(1)); // b → a

        // ← on b1 goes to its parent b (visible position 2), → on collapsed a expands it.
        assert_eq!(navigate(&m, &r, Some(3), NavKey::Collapse, 1), RowMove::Select(2));
        assert_eq!(navigate(&m, &r, Some(1), NavKey::Expand, 1), RowMove::SetCollapsed(1, false));
        // ← on a collapsed row goes to its parent rather than collapsing again.
        assert_eq!(navigate(&m, &r, Some(1), NavKey::Collapse, 1), RowMove::Select(0));
    }

    #[test]
    fn left_and_right_walk_the_tree() {
        let m = model();
        let r = rows(&m, &[]);
        // → on an expanded parent: its first child; on a leaf: nothing.
        assert_eq!(navigate(&m, &r, Some(1), NavKey::Expand, 1), RowMove::Select(2));
        assert_eq!(navigate(&m, &r, Some(2), NavKey::Expand, 1), RowMove::Stay);
        // ← on an expanded parent collapses it; on a leaf goes to the parent; on the root stays.
        assert_eq!(navigate(&m, &r, Some(4), NavKey::Collapse, 1), RowMove::SetCollapsed(4, true));
        assert_eq!(navigate(&m, &r, Some(3), NavKey::Collapse, 1), RowMove::Select(1));
        let root = rows(&m, &[0]);
        assert_eq!(navigate(&m, &root, Some(0), NavKey::Collapse, 1), RowMove::Stay);
        assert_eq!(navigate(&m, &r, None, NavKey::Collapse, 1), RowMove::Stay);
        // Enter or Space toggles a parent and ignores a leaf.
        assert_eq!(navigate(&m, &r, Some(0), NavKey::Toggle, 1), RowMove::Toggle(0));
        assert_eq!(navigate(&m, &r, Some(5), NavKey::Toggle, 1), RowMove::Stay);
    }

    #[test]
    fn dom_key_names() {
        assert_eq!(NavKey::from_key("ArrowDown"), Some(NavKey::Next));
        assert_eq!(NavKey::from_key("PageUp"), Some(NavKey::PageUp));
        assert_eq!(NavKey::from_key(" "), Some(NavKey::Toggle));
        assert_eq!(NavKey::from_key("Enter"), Some(NavKey::Toggle));
        assert_eq!(NavKey::from_key("a"), None);
    }
}
