//! Per-service and per-operation statistics of one trace (Jaeger's "trace statistics" view):
//! span count, total, average, min and max duration, and self time — the part of a span's
//! duration not covered by any of its children (children clipped to the span, overlaps merged;
//! a span without timestamp cannot clip, so its timed children are only merged).
//! Computed per span (a client and its server half count separately, so a client's self time is
//! the network and queueing time around its server).
use super::sorting;
use super::trace_model::TraceModel;

/// Figures for one group (a service, or a service and span name).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpanStats {
    pub service: String,
    /// The span name for per-operation rows; empty for per-service rows.
    pub operation: String,
    pub count: u64,
    /// Sum of durations, µs (spans without duration count as 0).
    pub total: u64,
    pub min: u64,
    pub max: u64,
    /// Sum of self times, µs.
    pub self_time: u64,
}

impl SpanStats {
    /// Average duration, µs.
    pub fn avg(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.total as f64 / self.count as f64
        }
    }
}

/// Both tables, each sorted by total time (largest first), then by name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceStats {
    pub by_service: Vec<SpanStats>,
    pub by_operation: Vec<SpanStats>,
}

/// Self time of every cleaned span, µs. O(n log n): each span's children are already sorted by
/// start, so their union is one sweep.
pub fn self_times(model: &TraceModel, skew: bool) -> Vec<u64> {
    let tree = model.tree();
    (0..model.spans().len() as u32)
        .map(|i| {
            let dur = model.span(i).and_then(|s| s.duration).unwrap_or(0);
            // A span without timestamp cannot be placed, so its timed children are counted but
            // not clipped to it; a leaf keeps its whole duration either way.
            let (start, end) = match model.span_start(i, skew) {
                Some(start) => (start, start.saturating_add(dur)),
                None => (0, u64::MAX),
            };
            let mut covered = 0u64;
            let mut reach = start;
            let mut kids: Vec<(u64, u64)> = tree
                .children(i)
                .iter()
                .filter_map(|&c| {
                    let s = model.span_start(c, skew)?;
                    let e = s.saturating_add(model.span(c)?.duration.unwrap_or(0));
                    Some((s.clamp(start, end), e.clamp(start, end)))
                })
                .collect();
            sorting::sort(&mut kids);
            for (s, e) in kids {
                let s = s.max(reach);
                if e > s {
                    covered += e - s;
                    reach = e;
                }
            }
            dur.saturating_sub(covered)
        })
        .collect()
}

/// Per-service and per-operation statistics.
pub fn trace_stats(model: &TraceModel, skew: bool) -> TraceStats {
    use std::collections::BTreeMap;
    let selfs = self_times(model, skew);
    let mut by_service: BTreeMap<&str, SpanStats> = BTreeMap::new();
    let mut by_op: BTreeMap<(&str, &str), SpanStats> = BTreeMap::new();
    for (i, s) in model.spans().iter().enumerate() {
        let service = s.local_service().unwrap_or("unknown");
        let op = s.name.as_deref().unwrap_or("unknown");
        let dur = s.duration.unwrap_or(0);
        let st = selfs.get(i).copied().unwrap_or(0);
        for (entry, operation) in
            [(by_service.entry(service).or_default(), ""), (by_op.entry((service, op)).or_default(), op)]
        {
            if entry.count == 0 {
                entry.service = service.to_owned();
                entry.operation = operation.to_owned();
                entry.min = dur;
            }
            entry.count += 1;
            entry.total = entry.total.saturating_add(dur);
            entry.min = entry.min.min(dur);
            entry.max = entry.max.max(dur);
            entry.self_time = entry.self_time.saturating_add(st);
        }
    }
    let sort = |mut v: Vec<SpanStats>| {
        sorting::sort_by(&mut v, |a, b| {
            b.total.cmp(&a.total).then_with(|| (&a.service, &a.operation).cmp(&(&b.service, &b.operation)))
        });
        v
    };
    TraceStats {
        by_service: sort(by_service.into_values().collect()),
        by_operation: sort(by_op.into_values().collect()),
    }
}
