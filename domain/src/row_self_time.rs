//! Self time per row: the part of a row's duration no child row covers (children clipped to the
//! row, overlaps merged). A row is what every trace view shows as one unit (a client and its shared
//! server half), so the flame graph, the span table and the root-cause finder measure rows, where
//! `stats::self_times` measures spans. O(n log n): each row is visited once as a child.
use super::sorting;
use super::trace_model::TraceModel;

/// Self time of every row, µs, indexed by row.
pub fn row_self_times(model: &TraceModel, skew: bool) -> Vec<u64> {
    let mut out = Vec::with_capacity(model.row_count() as usize);
    let mut kids: Vec<(u64, u64)> = Vec::new();
    for (r, row) in model.rows().iter().enumerate() {
        let (start, end) = (row.start_us(skew), row.end_us(skew));
        kids.clear();
        let mut c = r as u32 + 1;
        while c < row.subtree_end {
            let Some(child) = model.row(c) else { break };
            // An untimed child is drawn at its parent's start but covers nothing it can prove.
            if child.has_timestamp {
                let (s, e) = (child.start_us(skew), child.end_us(skew));
                kids.push((s.clamp(start, end), e.clamp(start, end)));
            }
            c = child.subtree_end.max(c + 1);
        }
        // Children come in start order unless skew correction moved one; sort only then.
        if kids.windows(2).any(|w| w[0] > w[1]) {
            sorting::sort(&mut kids);
        }
        let mut covered = 0u64;
        let mut reach = start;
        for &(s, e) in &kids {
            let s = s.max(reach);
            if e > s {
                covered += e - s;
                reach = e;
            }
        }
        out.push(row.duration.saturating_sub(covered));
    }
    out
}
