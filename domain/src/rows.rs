//! The waterfall's visible rows: given a model, a collapsed set, an optional focus subtree and
//! the skew switch, which rows show and how each is drawn (depth, connector, offset, duration,
//! colour, error). One pass over the visible rows only: a collapsed row's subtree is skipped by
//! jumping to its `subtree_end` (the arena is in depth-first order), so recomputing after a
//! collapse costs O(visible rows), as Jaeger's `generateRowStates.ts` intends. With folding on,
//! a run of alike siblings (`sibling_runs`) shows as one row standing for all of them.
use super::sibling_runs::SiblingRuns;
use super::trace_model::{ErrorKind, TraceModel};
use super::tree::NONE;
use std::collections::HashSet;

/// What the view asks for.
#[derive(Debug, Clone, Default)]
pub struct RowOptions<'a> {
    /// Rows whose children are hidden.
    pub collapsed: Option<&'a HashSet<u32>>,
    /// Show only this row's subtree, and measure time from its start.
    pub focus: Option<u32>,
    /// Use clock-skew-corrected times.
    pub skew: bool,
    /// Fold runs of alike siblings (the toolbar's fold switch)…
    pub fold: Option<&'a SiblingRuns>,
    /// …except the runs starting at these rows, which the user opened.
    pub unfolded: Option<&'a HashSet<u32>>,
}

/// The tree connector drawn before a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Connector {
    /// A top-level row (or the focused row): no connector.
    None,
    /// A child with siblings after it: `├`.
    Tee,
    /// The last child: `└`.
    Elbow,
}

/// One row as the waterfall draws it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct VisibleRow {
    /// Row index in the model.
    pub row: u32,
    /// Indentation level (relative to the focused row when focused).
    pub depth: u32,
    pub connector: Connector,
    pub has_children: bool,
    pub collapsed: bool,
    /// Start offset from the view's start, µs.
    pub offset: u64,
    /// Duration, µs (0 when unknown).
    pub duration: u64,
    /// Stable colour index: the service's index in `TraceModel::services` (`u32::MAX`: none).
    pub color: u32,
    pub error: ErrorKind,
    /// False when no span of the row had a timestamp (drawn at its parent's start).
    pub has_timestamp: bool,
    /// 0 for a plain row; n when the row stands for a folded run of n alike siblings (then offset
    /// and duration span the whole run, and the row after it follows the run's last subtree).
    pub folded: u32,
}

/// The rows to draw and the time window they are measured in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VisibleRows {
    pub rows: Vec<VisibleRow>,
    /// Start of the window in µs since epoch (offsets are from here).
    pub start: u64,
    /// Length of the window in µs.
    pub duration: u64,
}

/// The window a view measures time in: the whole trace, or the focused subtree's extent.
pub fn view_window(model: &TraceModel, focus: Option<u32>, skew: bool) -> (u64, u64) {
    match focus.and_then(|f| model.row(f).map(|_| f)) {
        None => model.bounds(skew),
        Some(f) => {
            let end = model.subtree_end(f);
            let mut lo = u64::MAX;
            let mut hi = 0;
            for r in model.rows().get(f as usize..end as usize).unwrap_or(&[]) {
                lo = lo.min(r.start_us(skew));
                hi = hi.max(r.end_us(skew));
            }
            if lo == u64::MAX {
                model.bounds(skew)
            } else {
                (lo, hi.max(lo))
            }
        }
    }
}

/// Computes the visible rows. O(visible rows) (plus the focused subtree's extent when focused).
pub fn visible_rows(model: &TraceModel, opts: &RowOptions) -> VisibleRows {
    let (range_start, range_end, base_depth) = match opts.focus.and_then(|f| model.row(f).map(|r| (f, r))) {
        Some((f, r)) => (f, r.subtree_end, r.depth),
        None => (0, model.row_count(), 0),
    };
    let (start, end) = view_window(model, opts.focus, opts.skew);
    let mut out = Vec::new();
    let mut i = range_start;
    while i < range_end {
        let Some(r) = model.row(i) else { break };
        let run = opts
            .fold
            .and_then(|runs| runs.run_at(i))
            .filter(|run| i != range_start && run.end <= range_end && !opts.unfolded.is_some_and(|u| u.contains(&i)));
        if let Some(run) = run {
            let (lo, hi) = run.extent[usize::from(opts.skew)];
            let last_is_last_child = model.row(run.last).is_some_and(|l| l.is_last_child);
            out.push(VisibleRow {
                row: i,
                depth: r.depth.saturating_sub(base_depth),
                connector: if last_is_last_child { Connector::Elbow } else { Connector::Tee },
                has_children: false,
                collapsed: false,
                offset: lo.saturating_sub(start),
                duration: hi.saturating_sub(lo),
                color: r.service,
                error: run.error,
                has_timestamp: r.has_timestamp,
                folded: run.count,
            });
            i = run.end.max(i + 1);
            continue;
        }
        let collapsed = r.child_count > 0 && opts.collapsed.is_some_and(|c| c.contains(&i));
        let is_top = r.parent == NONE || i == range_start;
        out.push(VisibleRow {
            row: i,
            depth: r.depth.saturating_sub(base_depth),
            connector: if is_top {
                Connector::None
            } else if r.is_last_child {
                Connector::Elbow
            } else {
                Connector::Tee
            },
            has_children: r.child_count > 0,
            collapsed,
            offset: r.start_us(opts.skew).saturating_sub(start),
            duration: r.duration,
            color: r.service,
            error: r.error,
            has_timestamp: r.has_timestamp,
            folded: 0,
        });
        i = if collapsed { r.subtree_end.max(i + 1) } else { i + 1 };
    }
    VisibleRows { rows: out, start, duration: end.saturating_sub(start) }
}

/// Rows that have children: what "collapse all" puts in the collapsed set.
pub fn expandable_rows(model: &TraceModel) -> HashSet<u32> {
    (0..model.row_count()).filter(|&i| model.row(i).is_some_and(|r| r.child_count > 0)).collect()
}
