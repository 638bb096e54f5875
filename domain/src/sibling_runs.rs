//! Repeated siblings: runs of consecutive children of one row with the same service and span
//! name (500 `db: select` in a loop), which the waterfall can fold into one row "×500, total
//! 1.200s, p50 2ms". Found once per model in one pass over every row's children; the page suggests
//! folding when some run is `SUGGEST_AT` long or longer.
use super::percentile::p50_p99;
use super::sorting;
use super::time_format::format_duration;
use super::trace_model::{ErrorKind, TraceModel};

/// Shortest run that folds: two or three alike are easier read than a summary.
pub const MIN_RUN: u32 = 3;
/// A run this long makes the page suggest folding.
pub const SUGGEST_AT: u32 = 50;

/// One run of alike siblings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The first sibling's row.
    pub first: u32,
    /// The last sibling's row.
    pub last: u32,
    /// One past the last sibling's subtree: where the row after the folded run is.
    pub end: u32,
    pub count: u32,
    /// Sum of the siblings' durations, µs.
    pub total: u64,
    pub p50: u64,
    /// Earliest start and latest end of the siblings, µs since epoch, without and with skew.
    pub extent: [(u64, u64); 2],
    /// The worst error of the siblings (not of their subtrees).
    pub error: ErrorKind,
}

impl Run {
    /// "×500, total 1.200s, p50 2ms".
    pub fn label(&self) -> String {
        format!(
            "×{}, total {}, p50 {}",
            self.count,
            format_duration(self.total as f64),
            format_duration(self.p50 as f64)
        )
    }
}

/// Every run of a model, by first row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiblingRuns {
    runs: Vec<Run>,
}

impl SiblingRuns {
    /// O(rows).
    pub fn new(model: &TraceModel) -> SiblingRuns {
        let mut runs = Vec::new();
        let mut members: Vec<u32> = Vec::new();
        for (p, row) in model.rows().iter().enumerate() {
            if row.child_count < MIN_RUN {
                continue;
            }
            members.clear();
            let mut c = p as u32 + 1;
            while c < row.subtree_end {
                let Some(child) = model.row(c) else { break };
                if let Some(&head) = members.first() {
                    if !alike(model, head, c) {
                        push_run(model, &members, &mut runs);
                        members.clear();
                    }
                }
                members.push(c);
                c = child.subtree_end.max(c + 1);
            }
            push_run(model, &members, &mut runs);
        }
        sorting::sort_by_key(&mut runs, |r| r.first);
        SiblingRuns { runs }
    }

    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// The run starting at row `first`.
    pub fn run_at(&self, first: u32) -> Option<&Run> {
        self.runs.binary_search_by_key(&first, |r| r.first).ok().and_then(|i| self.runs.get(i))
    }

    /// The first rows of the runs that, folded, hide `row` (it lies after their first member, inside
    /// the run): what selecting `row` must open. O(runs), for a click.
    pub fn runs_hiding(&self, row: u32) -> Vec<u32> {
        self.runs.iter().filter(|r| r.first < row && row < r.end).map(|r| r.first).collect()
    }

    /// The longest run's length (0 without runs).
    pub fn longest(&self) -> u32 {
        self.runs.iter().map(|r| r.count).max().unwrap_or(0)
    }

    /// Whether the page should suggest folding.
    pub fn suggest_folding(&self) -> bool {
        self.longest() >= SUGGEST_AT
    }
}

fn alike(model: &TraceModel, a: u32, b: u32) -> bool {
    let service = |r: u32| model.row(r).map(|x| x.service);
    service(a) == service(b) && model.row_name(a) == model.row_name(b)
}

fn push_run(model: &TraceModel, members: &[u32], runs: &mut Vec<Run>) {
    let (Some(&first), Some(&last)) = (members.first(), members.last()) else { return };
    if (members.len() as u32) < MIN_RUN {
        return;
    }
    let rows: Vec<_> = members.iter().filter_map(|&m| model.row(m)).collect();
    let extent = |skew: bool| {
        let lo = rows.iter().map(|r| r.start_us(skew)).min().unwrap_or(0);
        let hi = rows.iter().map(|r| r.end_us(skew)).max().unwrap_or(lo);
        (lo, hi.max(lo))
    };
    let (p50, _) = p50_p99(rows.iter().map(|r| r.duration).collect());
    runs.push(Run {
        first,
        last,
        end: model.subtree_end(last),
        count: members.len() as u32,
        total: rows.iter().fold(0u64, |t, r| t.saturating_add(r.duration)),
        p50,
        extent: [extent(false), extent(true)],
        error: rows.iter().map(|r| r.error).max().unwrap_or_default(),
    });
}
