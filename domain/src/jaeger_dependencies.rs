//! Jaeger's service dependencies, as v2.20's in-memory store counts them (`tenant.go`, `getDependencies`):
//! in every trace that started after the window's start and ended before its end, each span whose parent is
//! in the trace is one call from the parent's service to the span's (a service calling itself included);
//! the query handler then sums the calls per (parent, child). Zipkin's `DependencyLinker` reads RPC kinds
//! instead: the two can differ, and each API answers as its server would.
use super::jaeger_search::service_name;
use super::otel_translate::otlp_detail;
use super::span::Span;
use std::collections::{BTreeMap, HashMap};

/// One edge of the graph (`ui.DependencyLink`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JaegerDependency {
    pub parent: String,
    pub child: String,
    pub call_count: u64,
}

/// A trace's first start and last end, in nanoseconds.
pub fn trace_bounds(spans: &[Span]) -> (u64, u64) {
    let mut bounds: Option<(u64, u64)> = None;
    for span in spans {
        let (start, end) = match &span.detail {
            Some(d) => (d.start_time_unix_nano, d.end_time_unix_nano),
            None => {
                let start = span.timestamp.unwrap_or(0).saturating_mul(1000);
                (start, start.saturating_add(span.duration.unwrap_or(0).saturating_mul(1000)))
            }
        };
        bounds = Some(match bounds {
            None => (start, end),
            Some((s, e)) => (s.min(start), e.max(end)),
        });
    }
    bounds.unwrap_or((0, 0))
}

/// The links of `traces` that lie inside `(start, end)` (nanoseconds, both exclusive, as Go's `After` and
/// `Before` are), sorted by parent and child; only links that involve `service` when it is not empty (the
/// handler's filter).
pub fn jaeger_dependencies<'a>(
    traces: impl IntoIterator<Item = &'a [Span]>,
    start: u64,
    end: u64,
    service: &str,
) -> Vec<JaegerDependency> {
    let mut counts: BTreeMap<(String, String), u64> = BTreeMap::new();
    for spans in traces {
        let (first, last) = trace_bounds(spans);
        if first <= start || last >= end {
            continue;
        }
        let services: Vec<String> = spans
            .iter()
            .map(|s| match &s.detail {
                Some(d) => service_name(d).into_owned(),
                None => service_name(&otlp_detail(s)).into_owned(),
            })
            .collect();
        // The first span with an id gives its service, as the store's lookup finds the first.
        let mut by_id: HashMap<&str, usize> = HashMap::new();
        for (i, span) in spans.iter().enumerate() {
            by_id.entry(span.id.as_str()).or_insert(i);
        }
        for (i, span) in spans.iter().enumerate() {
            let Some(parent) = span.parent_id.as_deref() else { continue };
            let Some(&p) = by_id.get(parent) else { continue };
            *counts.entry((services[p].clone(), services[i].clone())).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .filter(|((parent, child), _)| service.is_empty() || parent == service || child == service)
        .map(|((parent, child), call_count)| JaegerDependency { parent, child, call_count })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(id: &str, parent: Option<&str>, service: &str, ts: u64) -> Span {
        serde_json::from_value(serde_json::json!({
            "traceId": "a", "id": id, "parentId": parent, "timestamp": ts, "duration": 10,
            "localEndpoint": {"serviceName": service}
        }))
        .unwrap()
    }

    #[test]
    fn every_parent_child_pair_is_a_call_self_calls_included() {
        let trace = vec![
            span("1", None, "web", 100),
            span("2", Some("1"), "web", 101),
            span("3", Some("2"), "db", 102),
            span("4", Some("2"), "db", 103),
            span("5", Some("9"), "cache", 104),
        ];
        let links = jaeger_dependencies([trace.as_slice()], 0, u64::MAX, "");
        let shown: Vec<(&str, &str, u64)> =
            links.iter().map(|l| (l.parent.as_str(), l.child.as_str(), l.call_count)).collect();
        assert_eq!(shown, [("web", "db", 2), ("web", "web", 1)]);
        assert_eq!(jaeger_dependencies([trace.as_slice()], 0, u64::MAX, "db").len(), 1);
        assert!(jaeger_dependencies([trace.as_slice()], 0, u64::MAX, "cache").is_empty());
    }

    #[test]
    fn only_traces_wholly_inside_the_window_count() {
        let trace = vec![span("1", None, "web", 100), span("2", Some("1"), "db", 105)];
        // The trace runs from 100 µs to 115 µs.
        assert_eq!(trace_bounds(&trace), (100_000, 115_000));
        assert_eq!(jaeger_dependencies([trace.as_slice()], 99_999, 115_001, "").len(), 1);
        assert!(jaeger_dependencies([trace.as_slice()], 100_000, 115_001, "").is_empty());
        assert!(jaeger_dependencies([trace.as_slice()], 99_999, 115_000, "").is_empty());
    }
}
