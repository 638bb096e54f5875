//! "Go to root cause": the span a reader should look at first, with the chain from the root to it
//! and a sentence saying why it was picked. For errors: follow failures down to the deepest span
//! that failed first, i.e. among error spans with no failing span below them (where an error
//! starts rather than passes up), the one that started earliest. Critical errors (an `error` tag)
//! are followed; recovered ones (an `error` annotation) only when nothing failed outright. For
//! latency: the span with the most self time on the critical path (`critical_path`).
use super::critical_path::critical_path;
use super::span_table::row_tag;
use super::time_format::format_duration;
use super::trace_model::{ErrorKind, TraceModel};
use super::tree::NONE;

/// A picked row, how to reach it and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootCause {
    pub row: u32,
    /// Rows from the top of the trace down to `row` (inclusive).
    pub chain: Vec<u32>,
    pub reason: String,
}

fn chain_to(model: &TraceModel, row: u32) -> Vec<u32> {
    let mut chain: Vec<u32> = model.ancestors(row).collect();
    chain.reverse();
    chain.push(row);
    chain
}

/// The error root cause, `None` when no row failed. O(rows).
pub fn error_root_cause(model: &TraceModel, skew: bool) -> Option<RootCause> {
    let rows = model.rows();
    let level = if rows.iter().any(|r| r.error == ErrorKind::Critical) {
        ErrorKind::Critical
    } else if rows.iter().any(|r| r.error == ErrorKind::Transient) {
        ErrorKind::Transient
    } else {
        return None;
    };
    let failing = |r: &super::trace_model::Row| r.error >= level;
    // Rows are in pre-order, so walking back visits every child before its parent.
    let mut failure_below = vec![false; rows.len()];
    for (i, r) in rows.iter().enumerate().rev() {
        let mark = failing(r) || failure_below[i];
        if mark && r.parent != NONE {
            if let Some(slot) = failure_below.get_mut(r.parent as usize) {
                *slot = true;
            }
        }
    }
    let origins: Vec<u32> =
        (0..rows.len() as u32).filter(|&i| failing(&rows[i as usize]) && !failure_below[i as usize]).collect();
    // Earliest start; among equals the deepest, then the first in row order.
    let &row = origins.iter().min_by_key(|&&i| {
        let r = &rows[i as usize];
        (r.start_us(skew), std::cmp::Reverse(r.depth), i)
    })?;
    let failing_count = rows.iter().filter(|r| failing(r)).count();
    let what = match (level, row_tag(model, row, "error")) {
        (ErrorKind::Critical, Some(v)) if !v.trim().is_empty() => format!("it failed (error: {})", v.trim()),
        (ErrorKind::Critical, _) => "it failed".to_owned(),
        _ => "it recorded an error it recovered from".to_owned(),
    };
    let offset = format_duration(rows[row as usize].start_us(skew).saturating_sub(model.bounds(skew).0) as f64);
    let reason = if origins.len() == 1 {
        format!(
            "{what} and no span below it failed: of the {failing_count} failing span{}, it is the only one where an error starts.",
            plural(failing_count)
        )
    } else {
        format!(
            "{what} with no failing span below it, and it started first (+{offset}) of the {} spans where an error starts ({failing_count} failing spans in all).",
            origins.len()
        )
    };
    Some(RootCause { row, chain: chain_to(model, row), reason })
}

/// The latency root cause: the row contributing the most of its own time to the critical path,
/// `None` for a trace without timed rows.
pub fn latency_root_cause(model: &TraceModel, skew: bool) -> Option<RootCause> {
    let path = critical_path(model, skew);
    let &(row, own) = path.contributions.iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
    let trace = model.duration(skew);
    let share = if trace == 0 { 0.0 } else { own as f64 * 100.0 / trace as f64 };
    let reason = format!(
        "it spends {} of its own time on the critical path ({share:.0}% of the trace's {}), more than any other of the {} span{} on it.",
        format_duration(own as f64),
        format_duration(trace as f64),
        path.contributions.len(),
        plural(path.contributions.len()),
    );
    Some(RootCause { row, chain: chain_to(model, row), reason })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}
