//! Links between spans (OTLP links, Jaeger references that did not become the parent), resolved
//! against the trace on screen: each link points at a row of this trace, at a span of this trace
//! that no row shows, or at another trace (one of the same file, or one to ask the server for);
//! and each row knows which spans link to it ("linked from 3 spans"), the side Jaeger UI does not
//! show. Built once per trace in O(spans + links); a trace without links costs one pass.
use super::clean::{normalize_span_id, normalize_trace_id};
use super::fast_hash::FastMap;
use super::sorting;
use super::span_detail::Link;
use super::trace_model::TraceModel;

/// Where a link points, as the trace on screen can show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// A row of this trace (the first row showing the span's id).
    Row(u32),
    /// A span of this trace that no row shows (it was never sent, or dropped).
    Absent { span_id: String },
    /// A span of another trace: ids normalised as the model keeps them. `nearby` when that trace
    /// is one of the traces opened with this one (the same file), so it opens from there.
    OtherTrace { trace_id: String, span_id: String, nearby: bool },
}

/// One link of a span, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingLink {
    /// The cleaned span the link belongs to.
    pub span: u32,
    /// Its index in that span's `detail.links`.
    pub link: u32,
    pub target: LinkTarget,
}

/// A span of this trace that links to a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncomingLink {
    /// The row linked to.
    pub row: u32,
    /// The span that links to it, and the row showing that span.
    pub from_span: u32,
    pub from_row: u32,
    /// The first of that span's links to the row (index in its `detail.links`).
    pub link: u32,
}

/// Every link of a trace, resolved, and the reverse index. See the module documentation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpanLinks {
    /// By span, then link index.
    outgoing: Vec<OutgoingLink>,
    /// By row, then linking row and span; one entry per linking span.
    incoming: Vec<IncomingLink>,
}

impl SpanLinks {
    /// Resolves every link of `model`'s spans. `nearby_traces` are the ids of the traces opened
    /// with this one (any spelling: they are normalised). Never panics.
    pub fn resolve(model: &TraceModel, nearby_traces: &[String]) -> SpanLinks {
        let has_links = model.spans().iter().any(|s| s.detail.as_ref().is_some_and(|d| !d.links.is_empty()));
        if !has_links {
            return SpanLinks::default();
        }
        let this_trace = normalize_trace_id(model.trace_id());
        let nearby: Vec<String> = nearby_traces.iter().map(|t| normalize_trace_id(t)).collect();
        // The first row showing each span id (rows are in display order).
        let mut first_row: FastMap<&str, u32> = FastMap::default();
        for row in 0..model.row_count() {
            if let Some(id) = model.row_span_id(row) {
                first_row.entry(id).or_insert(row);
            }
        }
        let mut outgoing = Vec::new();
        let mut incoming = Vec::new();
        for (span, s) in model.spans().iter().enumerate() {
            let Some(detail) = s.detail.as_deref() else { continue };
            let from_row = model.row_of_span(span as u32);
            for (link, l) in detail.links.iter().enumerate() {
                let target = resolve_one(l, &this_trace, &nearby, &first_row);
                if let (LinkTarget::Row(row), Some(from_row)) = (&target, from_row) {
                    incoming.push(IncomingLink { row: *row, from_span: span as u32, from_row, link: link as u32 });
                }
                outgoing.push(OutgoingLink { span: span as u32, link: link as u32, target });
            }
        }
        // One entry per (row, linking span): a span linking twice to a row is one span linking to it.
        sorting::sort_by(&mut incoming, |a, b| {
            (a.row, a.from_row, a.from_span, a.link).cmp(&(b.row, b.from_row, b.from_span, b.link))
        });
        incoming.dedup_by_key(|i| (i.row, i.from_span));
        SpanLinks { outgoing, incoming }
    }

    /// Whether the trace has no links at all.
    pub fn is_empty(&self) -> bool {
        self.outgoing.is_empty()
    }

    /// The links of cleaned span `span`, in its order.
    pub fn of_span(&self, span: u32) -> &[OutgoingLink] {
        let start = self.outgoing.partition_point(|l| l.span < span);
        let end = self.outgoing.partition_point(|l| l.span <= span);
        self.outgoing.get(start..end).unwrap_or(&[])
    }

    /// How many links the spans of row `row` have (what the waterfall's link mark counts).
    pub fn count_of_row(&self, model: &TraceModel, row: u32) -> usize {
        model.row_spans(row).iter().map(|&s| self.of_span(s).len()).sum()
    }

    /// The spans of this trace that link to row `row`, by their rows: "linked from N spans".
    pub fn linking_to(&self, row: u32) -> &[IncomingLink] {
        let start = self.incoming.partition_point(|l| l.row < row);
        let end = self.incoming.partition_point(|l| l.row <= row);
        self.incoming.get(start..end).unwrap_or(&[])
    }
}

fn resolve_one(link: &Link, this_trace: &str, nearby: &[String], first_row: &FastMap<&str, u32>) -> LinkTarget {
    let trace_id = normalize_trace_id(link.trace_id.trim());
    let span_id = normalize_span_id(link.span_id.trim());
    // A link with no trace id (Jaeger references may omit it) points into its own trace.
    if trace_id == this_trace || link.trace_id.trim().is_empty() {
        return match first_row.get(span_id.as_str()) {
            Some(&row) => LinkTarget::Row(row),
            None => LinkTarget::Absent { span_id },
        };
    }
    let nearby = nearby.contains(&trace_id);
    LinkTarget::OtherTrace { trace_id, span_id, nearby }
}

/// "linked from 1 span", "linked from 3 spans".
pub fn linked_from_text(count: usize) -> String {
    format!("linked from {count} span{}", if count == 1 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linked_from_counts_in_words() {
        assert_eq!(linked_from_text(1), "linked from 1 span");
        assert_eq!(linked_from_text(3), "linked from 3 spans");
    }
}
