//! Search-result summaries, read off the same model the trace page shows (Lens's
//! `zipkin-lens/src/zipkin/trace.js`, `traceSummary`, which also summarises the cleaned,
//! skew-corrected tree): spans are cleaned and merged (`clean`), linked, corrected for clock skew
//! (`clock_skew`) and laid out in rows (`trace_model`), and the list shows that model's figures.
//! A list built from the raw spans disagreed with the page it opens (a demo trace listed at
//! 44.353 ms with 3 errors opened at 20.403 ms with 2): now there is one definition of each
//! figure, [`summarize_model`]; `quick` reads the same figures off an ordinary trace without
//! building the model. Duration is last end − first start over all spans, corrected; errors are
//! the rows the page marks as failed.
mod quick;
mod trace_summary;

pub use quick::SummarySpan;
pub use trace_summary::{ServiceSummary, TraceSummary};

use super::sorting;
use super::span::Span;
use super::trace_model::{ErrorKind, TraceModel};

/// Summarises one trace as its trace page shows it: an ordinary trace straight from its spans
/// (`quick`), any other through a model built from a copy.
pub fn summarize(spans: &[Span]) -> TraceSummary {
    quick::quick_summary(spans).unwrap_or_else(|| summarize_model(&TraceModel::build(spans.to_vec())))
}

/// [`summarize`] for spans it owns (no copy when a model is needed).
pub fn summarize_owned(spans: Vec<Span>) -> TraceSummary {
    quick::quick_summary(&spans).unwrap_or_else(|| summarize_model(&TraceModel::build(spans)))
}

/// [`summarize`] for spans of another shape (the answer scanner's borrowed ones): `to_spans`
/// builds real spans only when the trace needs the model.
pub fn summarize_with<S: SummarySpan>(spans: &[S], to_spans: impl FnOnce() -> Vec<Span>) -> TraceSummary {
    quick::quick_summary(spans).unwrap_or_else(|| summarize_model(&TraceModel::build(to_spans())))
}

/// The figures of a built model. O(spans + rows); never panics.
pub fn summarize_model(model: &TraceModel) -> TraceSummary {
    // Lens's `groupedTimestamps`: every span counts for its local and its remote service, so a
    // database or broker that records nothing is listed (and found by the service filter), as
    // the trace header counts it (`TraceModel::services`).
    let names = model.services();
    let mut per_service: Vec<ServiceSummary> = vec![ServiceSummary::default(); names.len()];
    for span in model.spans() {
        let d = span.duration.unwrap_or(0);
        for name in [span.local_service(), span.remote_service()].into_iter().flatten() {
            let Ok(k) = names.binary_search_by(|n| n.as_str().cmp(name)) else { continue };
            if let Some(entry) = per_service.get_mut(k) {
                entry.span_count += 1;
                entry.total_duration = entry.total_duration.saturating_add(d);
                entry.max_duration = entry.max_duration.max(d);
            }
        }
    }
    let mut services: Vec<ServiceSummary> = per_service
        .into_iter()
        .zip(names)
        .filter(|(s, _)| s.span_count > 0)
        .map(|(s, name)| ServiceSummary { name: name.clone(), ..s })
        .collect();
    sorting::sort_by(&mut services, |a, b| b.max_duration.cmp(&a.max_duration).then_with(|| a.name.cmp(&b.name)));
    let mut error = ErrorKind::None;
    let mut error_count = 0;
    for row in model.rows() {
        if row.error != ErrorKind::None {
            error_count += 1;
            error = error.max(row.error);
        }
    }
    let (start, _) = model.bounds(true);
    TraceSummary {
        trace_id: model.trace_id().to_owned(),
        start,
        duration: model.duration(true),
        span_count: model.spans().len() as u32,
        depth: model.depth(),
        services,
        error,
        error_count,
        // "unknown" without rows, as the title.
        root_service: model.row_service_name(0).to_owned(),
        root_name: model.row_name(0).to_owned(),
    }
}
