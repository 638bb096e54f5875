//! The critical path: the chain of work that determined the trace's end-to-end latency, as
//! Jaeger UI (`TracePage/CriticalPath/index.tsx`) and Grafana define it: walk back from a span's
//! end through the child that finished last before that point, recurse into it, then continue
//! from that child's start; time not covered by such a child is the span's own contribution.
//! Children are first clipped to their parent's window (Jaeger's "sanitize overflowing
//! children"). Works on rows (a client and its shared server half are one unit), iteratively.
//! A consumer under a producer is left out with its subtree: it runs after the message is sent
//! and does not block the producer (Jaeger's `isBlockingSpan`).
use super::sorting;
use super::span::Kind;
use super::trace_model::TraceModel;

/// A stretch of time attributed to one row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CriticalSection {
    pub row: u32,
    /// µs since epoch.
    pub start: u64,
    pub end: u64,
}

/// The critical path of a trace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CriticalPath {
    /// Sections in time order.
    pub sections: Vec<CriticalSection>,
    /// Each row on the path with its total contribution in µs, in row order.
    pub contributions: Vec<(u32, u64)>,
}

impl CriticalPath {
    /// The contribution of `row` (0 when not on the path).
    pub fn contribution(&self, row: u32) -> u64 {
        self.contributions
            .binary_search_by_key(&row, |(r, _)| *r)
            .ok()
            .and_then(|i| self.contributions.get(i))
            .map_or(0, |(_, c)| *c)
    }
}

struct Frame {
    row: u32,
    win_start: u64,
    cursor: u64,
    /// (row, clipped start, clipped end), sorted by end, latest first.
    children: Vec<(u32, u64, u64)>,
    next: usize,
}

/// Whether some span of the row has this kind.
fn row_has_kind(model: &TraceModel, row: u32, kind: Kind) -> bool {
    model.row_spans(row).iter().any(|&s| model.span(s).is_some_and(|s| s.kind == Some(kind)))
}

fn clipped_children(model: &TraceModel, row: u32, win: (u64, u64), skew: bool) -> Vec<(u32, u64, u64)> {
    let mut out = Vec::new();
    let end = model.subtree_end(row);
    let producer = row_has_kind(model, row, Kind::Producer);
    let mut c = row + 1;
    while c < end {
        let Some(r) = model.row(c) else { break };
        let blocking = !(producer && row_has_kind(model, c, Kind::Consumer));
        if r.has_timestamp && blocking {
            let (s, e) = (r.start_us(skew), r.end_us(skew));
            if s <= win.1 {
                let s = s.max(win.0);
                out.push((c, s, e.min(win.1).max(s)));
            }
        }
        c = r.subtree_end.max(c + 1);
    }
    sorting::sort_by(&mut out, |a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)));
    out
}

/// The critical path from the root row (for a headless trace, from the top-level row that ends
/// last). Empty when the trace has no timed row.
pub fn critical_path(model: &TraceModel, skew: bool) -> CriticalPath {
    let mut top = None;
    let mut r = 0;
    while r < model.row_count() {
        let Some(row) = model.row(r) else { break };
        if row.has_timestamp && top.is_none_or(|(_, e)| row.end_us(skew) > e) {
            top = Some((r, row.end_us(skew)));
        }
        r = row.subtree_end.max(r + 1);
    }
    let Some((root, _)) = top else {
        return CriticalPath::default();
    };
    let Some(rr) = model.row(root) else {
        return CriticalPath::default();
    };
    let win = (rr.start_us(skew), rr.end_us(skew));
    let mut sections = Vec::new();
    let mut stack = vec![Frame {
        row: root,
        win_start: win.0,
        cursor: win.1,
        children: clipped_children(model, root, win, skew),
        next: 0,
    }];
    while let Some(f) = stack.last_mut() {
        // The child that finished last before the cursor; later-ending ones never qualify again
        // because the cursor only moves back.
        let mut chosen = None;
        while let Some(&(c, s, e)) = f.children.get(f.next) {
            f.next += 1;
            if e <= f.cursor {
                chosen = Some((c, s, e));
                break;
            }
        }
        match chosen {
            Some((c, s, e)) => {
                if e < f.cursor {
                    sections.push(CriticalSection { row: f.row, start: e, end: f.cursor });
                }
                f.cursor = s.max(f.win_start);
                let children = clipped_children(model, c, (s, e), skew);
                stack.push(Frame { row: c, win_start: s, cursor: e, children, next: 0 });
            }
            None => {
                if f.win_start < f.cursor {
                    sections.push(CriticalSection { row: f.row, start: f.win_start, end: f.cursor });
                }
                stack.pop();
            }
        }
    }
    sections.reverse();
    let mut contributions: Vec<(u32, u64)> = sections.iter().map(|s| (s.row, s.end - s.start)).collect();
    sorting::sort(&mut contributions);
    contributions.dedup_by(|b, a| {
        if a.0 == b.0 {
            a.1 += b.1;
            true
        } else {
            false
        }
    });
    CriticalPath { sections, contributions }
}
