//! Jaeger's trace search, as Jaeger v2.20's in-memory store decides it (`internal/storage/v2/memory`,
//! `tenant.go`): a trace matches when one of its spans meets every criterion at once, the service being its
//! resource's `service.name`. Attributes match by their text (pdata's `AsString`) in the span's attributes,
//! its scope's, its resource's, an event's (a Jaeger log's fields) or a link's; `resource.K` asks the resource
//! only; `error`, `span.status`, `span.kind`, `scope.name` and `scope.version` ask the status, kind and scope.
//! Both of Jaeger's query APIs (the legacy `/api/traces` and API v3) search with it.
use super::otel_translate::otlp_detail;
use super::span::Span;
use super::span_detail::{Attribute, SpanDetail, SpanKind, StatusCode};
use std::borrow::Cow;

/// A search (`tracestore.TraceQueryParams`); empty names and `None` bounds mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceQuery {
    pub service_name: String,
    pub operation_name: String,
    /// Span start bounds, inclusive, in nanoseconds since the epoch.
    pub start_time_min: Option<u64>,
    pub start_time_max: Option<u64>,
    /// Span duration bounds, inclusive, in nanoseconds.
    pub duration_min: Option<u64>,
    pub duration_max: Option<u64>,
    /// `tags` / `query.attributes`: key and value text, all required.
    pub attributes: Vec<(String, String)>,
    /// How many traces at most.
    pub search_depth: usize,
}

/// The keys that ask a span's status, kind or scope rather than its attributes.
const ERROR: &str = "error";
const SPAN_STATUS: &str = "span.status";
const SPAN_KIND: &str = "span.kind";
const SCOPE_NAME: &str = "scope.name";
const SCOPE_VERSION: &str = "scope.version";
const RESOURCE_PREFIX: &str = "resource.";

/// A resource's service: its `service.name`, "" when it has none.
pub fn service_name(detail: &SpanDetail) -> Cow<'_, str> {
    match detail.resource.attributes.iter().find(|a| a.key == "service.name") {
        Some(a) => Cow::Owned(a.value.to_display_string()),
        None => Cow::Borrowed(""),
    }
}

/// A kind as Jaeger names it in operation lists: lower case, "" for unspecified.
pub fn kind_name(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Unspecified => "",
        SpanKind::Internal => "internal",
        SpanKind::Server => "server",
        SpanKind::Client => "client",
        SpanKind::Producer => "producer",
        SpanKind::Consumer => "consumer",
    }
}

/// Go's `strconv.ParseBool` (the `error` key's reading, and Jaeger's boolean parameters).
pub fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn has(attributes: &[Attribute], key: &str, value: &str) -> bool {
    // pdata maps keep one value per key: the last one given wins.
    attributes.iter().rev().find(|a| a.key == key).is_some_and(|a| a.value.to_display_string() == value)
}

impl TraceQuery {
    /// Whether one span (`name` is its operation, `detail` everything else) meets every criterion.
    pub fn span_matches(&self, name: &str, detail: &SpanDetail) -> bool {
        if !self.service_name.is_empty() && service_name(detail) != self.service_name {
            return false;
        }
        if !self.operation_name.is_empty() && name != self.operation_name {
            return false;
        }
        let start = detail.start_time_unix_nano;
        if self.start_time_min.is_some_and(|min| start < min) || self.start_time_max.is_some_and(|max| start > max) {
            return false;
        }
        let duration = detail.end_time_unix_nano.saturating_sub(start);
        if self.duration_min.is_some_and(|min| duration < min) || self.duration_max.is_some_and(|max| duration > max) {
            return false;
        }
        self.attributes.iter().all(|(key, value)| attribute_matches(key, value, detail))
    }

    /// Whether a trace (its spans, in any order) matches: some span matches on its own.
    pub fn trace_matches(&self, spans: &[Span]) -> bool {
        spans.iter().any(|span| {
            let detail = match &span.detail {
                Some(d) => Cow::Borrowed(&**d),
                None => Cow::Owned(otlp_detail(span)),
            };
            self.span_matches(span.name.as_deref().unwrap_or(""), &detail)
        })
    }
}

fn attribute_matches(key: &str, value: &str, d: &SpanDetail) -> bool {
    match key {
        // Anything but a boolean text matches nothing; true asks for an error status, false for an OK one.
        ERROR => match parse_bool(value) {
            Some(true) => d.status.code == StatusCode::Error,
            Some(false) => d.status.code == StatusCode::Ok,
            None => false,
        },
        SPAN_STATUS => {
            let wanted = match value.to_ascii_uppercase().as_str() {
                "OK" => StatusCode::Ok,
                "ERROR" => StatusCode::Error,
                _ => StatusCode::Unset,
            };
            d.status.code == wanted
        }
        SPAN_KIND => {
            let wanted = match value.to_ascii_uppercase().as_str() {
                "CLIENT" => SpanKind::Client,
                "SERVER" => SpanKind::Server,
                "PRODUCER" => SpanKind::Producer,
                "CONSUMER" => SpanKind::Consumer,
                "INTERNAL" => SpanKind::Internal,
                _ => SpanKind::Unspecified,
            };
            d.kind == wanted
        }
        SCOPE_NAME => d.scope.name == value,
        SCOPE_VERSION => d.scope.version == value,
        _ => match key.strip_prefix(RESOURCE_PREFIX) {
            Some(resource_key) => has(&d.resource.attributes, resource_key, value),
            None => {
                has(&d.attributes, key, value)
                    || has(&d.scope.attributes, key, value)
                    || has(&d.resource.attributes, key, value)
                    || d.events.iter().any(|e| has(&e.attributes, key, value))
                    || d.links.iter().any(|l| has(&l.attributes, key, value))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span_detail::{AnyValue, Event, Resource, Scope, Status};

    fn attr(key: &str, value: AnyValue) -> Attribute {
        Attribute { key: key.into(), value }
    }

    fn detail() -> SpanDetail {
        SpanDetail {
            kind: SpanKind::Server,
            status: Status { code: StatusCode::Error, message: String::new() },
            start_time_unix_nano: 1_000,
            end_time_unix_nano: 3_000,
            attributes: vec![attr("http.status_code", AnyValue::Int(500)), attr("cache.hit", AnyValue::Bool(false))],
            events: vec![Event {
                name: "retry".into(),
                attributes: vec![attr("attempt", AnyValue::Int(2))],
                ..Event::default()
            }],
            resource: Resource {
                attributes: vec![
                    attr("service.name", AnyValue::String("Front".into())),
                    attr("host", AnyValue::String("h1".into())),
                ],
                dropped_attributes_count: 0,
            },
            scope: Scope { name: "flask".into(), version: "2.0".into(), ..Scope::default() },
            ..SpanDetail::default()
        }
    }

    fn query(attributes: &[(&str, &str)]) -> TraceQuery {
        TraceQuery {
            attributes: attributes.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            ..TraceQuery::default()
        }
    }

    #[test]
    fn attributes_match_by_text_anywhere_a_span_holds_them() {
        let d = detail();
        for wanted in [[("http.status_code", "500")], [("cache.hit", "false")], [("host", "h1")], [("attempt", "2")]] {
            assert!(query(&wanted).span_matches("op", &d), "{wanted:?}");
        }
        assert!(query(&[("http.status_code", "500"), ("attempt", "2")]).span_matches("op", &d));
        assert!(!query(&[("http.status_code", "200")]).span_matches("op", &d));
        assert!(!query(&[("attempt", "2"), ("missing", "x")]).span_matches("op", &d));
        assert!(query(&[("resource.host", "h1")]).span_matches("op", &d));
        assert!(!query(&[("resource.http.status_code", "500")]).span_matches("op", &d));
    }

    #[test]
    fn special_keys_ask_the_status_kind_and_scope() {
        let d = detail();
        assert!(query(&[("error", "true")]).span_matches("op", &d));
        assert!(query(&[("error", "T")]).span_matches("op", &d));
        assert!(!query(&[("error", "false")]).span_matches("op", &d));
        assert!(!query(&[("error", "yes")]).span_matches("op", &d));
        assert!(query(&[("span.status", "error")]).span_matches("op", &d));
        assert!(query(&[("span.kind", "server")]).span_matches("op", &d));
        assert!(!query(&[("span.kind", "client")]).span_matches("op", &d));
        assert!(query(&[("scope.name", "flask"), ("scope.version", "2.0")]).span_matches("op", &d));
        assert!(!query(&[("scope.name", "django")]).span_matches("op", &d));
    }

    #[test]
    fn names_times_and_durations_bound_the_same_span() {
        let d = detail();
        let q = |f: fn(&mut TraceQuery)| {
            let mut q = TraceQuery::default();
            f(&mut q);
            q.span_matches("get /", &d)
        };
        assert!(q(|q| q.service_name = "Front".into()));
        assert!(!q(|q| q.service_name = "front".into()), "service names are case-sensitive");
        assert!(q(|q| q.operation_name = "get /".into()));
        assert!(!q(|q| q.operation_name = "GET /".into()));
        assert!(q(|q| (q.start_time_min, q.start_time_max) = (Some(1_000), Some(1_000))));
        assert!(!q(|q| q.start_time_min = Some(1_001)));
        assert!(!q(|q| q.start_time_max = Some(999)));
        assert!(q(|q| (q.duration_min, q.duration_max) = (Some(2_000), Some(2_000))));
        assert!(!q(|q| q.duration_min = Some(2_001)));
        assert!(!q(|q| q.duration_max = Some(1_999)));
    }

    #[test]
    fn a_trace_matches_when_one_span_meets_everything() {
        let server = crate::otel_translate::zipkin_span("a".into(), "1".into(), None, "get /".into(), detail());
        let mut other = detail();
        other.attributes = vec![attr("db", AnyValue::String("pg".into()))];
        let client =
            crate::otel_translate::zipkin_span("a".into(), "2".into(), Some("1".into()), "query".into(), other);
        let trace = [server, client];
        assert!(query(&[("db", "pg")]).trace_matches(&trace));
        assert!(query(&[("http.status_code", "500")]).trace_matches(&trace));
        // Both criteria hold in the trace, but never in one span.
        assert!(!query(&[("db", "pg"), ("http.status_code", "500")]).trace_matches(&trace));
        let mut by_name = query(&[("db", "pg")]);
        by_name.operation_name = "get /".into();
        assert!(!by_name.trace_matches(&trace));
    }

    #[test]
    fn zipkin_spans_are_searched_as_the_collector_reads_them() {
        let span: Span = serde_json::from_str(
            r#"{"traceId":"a","id":"1","name":"get","kind":"CLIENT","timestamp":5,"duration":2,
                "localEndpoint":{"serviceName":"web"},"tags":{"http.method":"GET"}}"#,
        )
        .unwrap();
        let mut q = query(&[("http.method", "GET"), ("span.kind", "client")]);
        q.service_name = "web".into();
        q.duration_min = Some(2_000);
        assert!(q.trace_matches(std::slice::from_ref(&span)));
        q.duration_min = Some(2_001);
        assert!(!q.trace_matches(&[span]));
    }
}
