//! View arithmetic for the waterfall that is not a row pass: which slice of rows a scroll
//! position shows (virtualisation) and where to scroll to bring a row into view, collapse sets
//! (all, to a depth, revealing a row), and stepping through a sorted list of rows (errors, find
//! matches) with wrap-around.
use super::rows::VisibleRows;
use super::trace_model::{ErrorKind, TraceModel};
use std::collections::HashSet;
use std::ops::Range;

/// The visible-row indices a viewport shows, with `overscan` extra rows on each side so a fast
/// scroll does not flash blank rows. Always within `0..total`.
pub fn slice_window(scroll_top: f64, viewport_px: f64, row_px: f64, total: usize, overscan: usize) -> Range<usize> {
    if total == 0 || !(row_px > 0.0) {
        return 0..0;
    }
    let first = (scroll_top.max(0.0) / row_px).floor() as usize;
    let count = (viewport_px.max(0.0) / row_px).ceil() as usize + 1;
    let start = first.saturating_sub(overscan).min(total);
    let end = first.saturating_add(count).saturating_add(overscan).min(total);
    start..end.max(start)
}

/// The scroll position that brings the row at visible position `pos` into a viewport now
/// scrolled to `scroll_top`, or `None` when the whole row is already in view. A row brought in
/// lands a third of the way down, so the rows around it show too.
pub fn scroll_to_show(pos: usize, row_px: f64, scroll_top: f64, viewport_px: f64) -> Option<f64> {
    let top = pos as f64 * row_px;
    if top >= scroll_top && top + row_px <= scroll_top + viewport_px {
        return None;
    }
    Some((top - viewport_px / 3.0).max(0.0))
}

/// The collapsed set that shows rows down to `depth` levels (0: only top-level rows).
pub fn collapse_to_depth(model: &TraceModel, depth: u32) -> HashSet<u32> {
    (0..model.row_count()).filter(|&i| model.row(i).is_some_and(|r| r.child_count > 0 && r.depth >= depth)).collect()
}

/// Expands every ancestor of `row` so it becomes visible. Answers whether anything changed.
pub fn reveal(model: &TraceModel, collapsed: &mut HashSet<u32>, row: u32) -> bool {
    let mut changed = false;
    for a in model.ancestors(row) {
        changed |= collapsed.remove(&a);
    }
    changed
}

/// Rows with an error (tag or annotation), in row order.
pub fn error_rows(model: &TraceModel) -> Vec<u32> {
    (0..model.row_count()).filter(|&i| model.row(i).is_some_and(|r| r.error != ErrorKind::None)).collect()
}

/// The next (or previous) entry of the ascending list `rows` after `current`, wrapping around;
/// the first (or last) when there is no current row.
pub fn step(rows: &[u32], current: Option<u32>, forward: bool) -> Option<u32> {
    let (first, last) = (rows.first().copied()?, rows.last().copied()?);
    let Some(cur) = current else { return Some(if forward { first } else { last }) };
    if forward {
        let i = rows.partition_point(|&r| r <= cur);
        Some(rows.get(i).copied().unwrap_or(first))
    } else {
        let i = rows.partition_point(|&r| r < cur);
        Some(if i == 0 { last } else { rows.get(i - 1).copied().unwrap_or(last) })
    }
}

/// Position of model row `row` in the visible list (rows are in ascending row order).
pub fn position_of(rows: &VisibleRows, row: u32) -> Option<usize> {
    rows.rows.binary_search_by_key(&row, |r| r.row).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slice_window_stays_in_bounds() {
        assert_eq!(slice_window(0.0, 100.0, 24.0, 1000, 5), 0..11);
        assert_eq!(slice_window(2400.0, 100.0, 24.0, 1000, 5), 95..111);
        assert_eq!(slice_window(1e9, 100.0, 24.0, 1000, 5), 1000..1000);
        assert_eq!(slice_window(0.0, 100.0, 0.0, 1000, 5), 0..0);
        assert_eq!(slice_window(f64::NAN, 100.0, 24.0, 3, 5), 0..3);
    }

    #[test]
    fn scrolls_only_when_the_row_is_not_wholly_in_view() {
        // 24 px rows, a 240 px viewport at the top: rows 0..=9 are in view.
        assert_eq!(scroll_to_show(0, 24.0, 0.0, 240.0), None);
        assert_eq!(scroll_to_show(9, 24.0, 0.0, 240.0), None);
        // Row 10 is below: it lands a third of the way down (240 - 80).
        assert_eq!(scroll_to_show(10, 24.0, 0.0, 240.0), Some(160.0));
        // Half hidden at the top counts as out of view; near the start the position stops at 0.
        assert_eq!(scroll_to_show(1, 24.0, 30.0, 240.0), Some(0.0));
        assert_eq!(scroll_to_show(100, 24.0, 2_400.0, 240.0), None);
        assert_eq!(scroll_to_show(99, 24.0, 2_400.0, 240.0), Some(2_296.0));
    }

    #[test]
    fn step_wraps_both_ways() {
        let rows = [3, 7, 9];
        assert_eq!(step(&rows, None, true), Some(3));
        assert_eq!(step(&rows, None, false), Some(9));
        assert_eq!(step(&rows, Some(3), true), Some(7));
        assert_eq!(step(&rows, Some(5), true), Some(7));
        assert_eq!(step(&rows, Some(9), true), Some(3));
        assert_eq!(step(&rows, Some(3), false), Some(9));
        assert_eq!(step(&rows, Some(8), false), Some(7));
        assert_eq!(step(&[], Some(1), true), None);
    }
}
