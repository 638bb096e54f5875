//! Jaeger's span model (`jaeger.thrift`'s Span, Process, Log and SpanRef, which Jaeger JSON spells out too)
//! turned into the domain's `Span`, as the OpenTelemetry Collector's Jaeger translator reads it (contrib
//! `pkg/translator/jaeger`, `jaegerproto_to_traces.go`): process tags are the resource, `span.kind`,
//! `error` / `otel.status_code` / `otel.status_description`, `w3c.tracestate` and `otel.scope.*` (older
//! `otel.library.*`) tags become kind, status, trace state and scope; logs become events named by their `event`
//! field. A span's parent is its first same-trace CHILD_OF reference, else its first same-trace FOLLOWS_FROM
//! (Jaeger UI's rule); every other reference is a link carrying its type, as `opentracing.ref_type` too (the
//! Collector's attribute). Jaeger JSON (`jaeger_json`) and the devserver's Thrift ingest both read through here,
//! so a span means the same whichever way it came.
use super::otel_translate::{zipkin_span, NO_SERVICE_NAME};
use super::span::Span;
use super::span_detail::{
    AnyValue, Attribute, Event, Link, LinkType, Resource, Scope, SourceFormat, SpanDetail, SpanKind, Status, StatusCode,
};

/// `SpanRefType`: how a span refers to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefType {
    ChildOf,
    FollowsFrom,
}

/// A `SpanRef`; an empty trace id means the span's own trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JaegerReference {
    pub ref_type: RefType,
    pub trace_id: String,
    pub span_id: String,
}

impl JaegerReference {
    fn is_child_of(&self) -> bool {
        self.ref_type == RefType::ChildOf
    }
}

/// A `Log`: a timestamp (µs since the epoch) and typed fields.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JaegerLog {
    pub timestamp: u64,
    pub fields: Vec<Attribute>,
}

/// A Jaeger span with its tags already typed; ids as text (hex, or whatever a file held).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct JaegerSpan {
    pub trace_id: String,
    pub span_id: String,
    /// The old `parentSpanID` (thrift's `parentSpanId`): the parent when no reference names one; empty or
    /// all zeros means none.
    pub parent_span_id: String,
    pub operation_name: String,
    pub references: Vec<JaegerReference>,
    pub flags: u64,
    /// µs since the epoch.
    pub start_time: u64,
    /// µs.
    pub duration: u64,
    pub tags: Vec<Attribute>,
    pub logs: Vec<JaegerLog>,
    pub warnings: Vec<String>,
}

/// A process as a resource: `service.name` from the service (none for the Collector's "no service"
/// stand-in), then the process tags.
pub fn process_resource(service_name: &str, tags: impl IntoIterator<Item = Attribute>) -> Resource {
    let mut attributes = Vec::new();
    if !service_name.is_empty() && service_name != NO_SERVICE_NAME {
        attributes.push(Attribute { key: "service.name".into(), value: AnyValue::String(service_name.to_owned()) });
    }
    attributes.extend(tags);
    Resource { attributes, dropped_attributes_count: 0 }
}

impl JaegerSpan {
    /// The span in the model, with `resource` (its process) and everything Jaeger sent behind
    /// `Span::detail`. Ids that are hex are lower-cased; others are kept as they came.
    pub fn into_span(self, resource: Resource) -> Span {
        let trace_id = read_id(&self.trace_id);
        let mut attributes = self.tags;
        let mut scope = Scope::default();
        if let Some(name) = take_text(&mut attributes, &["otel.scope.name", "otel.library.name"]) {
            scope.name = name;
        }
        if let Some(version) = take_text(&mut attributes, &["otel.scope.version", "otel.library.version"]) {
            scope.version = version;
        }
        let kind = take(&mut attributes, "span.kind").map(|k| span_kind(&k.to_display_string())).unwrap_or_default();
        let status = read_status(&mut attributes);
        let trace_state = take_text(&mut attributes, &["w3c.tracestate"]).unwrap_or_default();
        let (parent, links) = parent_and_links(&trace_id, &self.references, &self.parent_span_id);
        let events = self.logs.into_iter().map(log_event).collect();
        let start = self.start_time.saturating_mul(1000);
        let detail = SpanDetail {
            format: Some(SourceFormat::Jaeger),
            kind,
            status,
            start_time_unix_nano: start,
            end_time_unix_nano: start.saturating_add(self.duration.saturating_mul(1000)),
            attributes,
            events,
            links,
            trace_state,
            flags: self.flags.min(u64::from(u32::MAX)) as u32,
            resource,
            scope,
            warnings: self.warnings,
            ..SpanDetail::default()
        };
        zipkin_span(trace_id, read_id(&self.span_id), parent, self.operation_name, detail)
    }
}

/// Removes the attribute `key` (every copy: the Collector reads tags into a map, where the last one wins),
/// giving its last value.
fn take(attributes: &mut Vec<Attribute>, key: &str) -> Option<AnyValue> {
    let mut found = None;
    attributes.retain_mut(|a| {
        if a.key != key {
            return true;
        }
        found = Some(std::mem::take(&mut a.value));
        false
    });
    found
}

fn take_text(attributes: &mut Vec<Attribute>, keys: &[&str]) -> Option<String> {
    keys.iter().fold(None, |found, key| {
        let value = take(attributes, key).map(|v| v.to_display_string());
        found.or(value)
    })
}

/// The status the tags say, removing the tags that said it: a true `error` tag (boolean, or the text `true`
/// that Jaeger UI's own fixtures use) is the ultimate truth, else `otel.status_code`; the description goes
/// with a status that is set (the Collector takes it with any `otel.status_code`; an unset status with a
/// message could not be written back).
fn read_status(attributes: &mut Vec<Attribute>) -> Status {
    let truthy = |v: &AnyValue| match v {
        AnyValue::Bool(b) => *b,
        AnyValue::String(s) => s.eq_ignore_ascii_case("true"),
        _ => false,
    };
    let mut code = StatusCode::Unset;
    // The last `error` tag decides (a map's reading); any other value stays an attribute where it was.
    if attributes.iter().rev().find(|a| a.key == "error").is_some_and(|a| truthy(&a.value)) {
        take(attributes, "error");
        code = StatusCode::Error;
    }
    if let Some(value) = take(attributes, "otel.status_code") {
        if code == StatusCode::Unset {
            let text = value.to_display_string().to_ascii_uppercase();
            code = match text.strip_prefix("STATUS_CODE_").unwrap_or(&text) {
                "OK" => StatusCode::Ok,
                "ERROR" => StatusCode::Error,
                _ => StatusCode::Unset,
            };
        }
    }
    let message = if code == StatusCode::Unset {
        String::new()
    } else {
        take(attributes, "otel.status_description").map(|v| v.to_display_string()).unwrap_or_default()
    };
    Status { code, message }
}

fn span_kind(name: &str) -> SpanKind {
    match name.to_ascii_lowercase().as_str() {
        "client" => SpanKind::Client,
        "server" => SpanKind::Server,
        "producer" => SpanKind::Producer,
        "consumer" => SpanKind::Consumer,
        "internal" => SpanKind::Internal,
        _ => SpanKind::Unspecified,
    }
}

/// Jaeger's ids as the model keeps them: hex lower-cased, anything else as it came.
pub fn read_id(id: &str) -> String {
    if id.bytes().all(|b| b.is_ascii_hexdigit()) {
        id.to_ascii_lowercase()
    } else {
        id.to_owned()
    }
}

/// The parent (first same-trace CHILD_OF, else first same-trace FOLLOWS_FROM, else the old `parentSpanID`)
/// and the links: every reference but the CHILD_OF one that named the parent.
fn parent_and_links(
    trace_id: &str,
    references: &[JaegerReference],
    parent_span_id: &str,
) -> (Option<String>, Vec<Link>) {
    let same_trace = |r: &&JaegerReference| r.trace_id.is_empty() || read_id(&r.trace_id) == trace_id;
    let child_of = references.iter().position(|r| same_trace(&r) && r.is_child_of());
    let follows_from = references.iter().find(|r| same_trace(r) && !r.is_child_of());
    let parent = match (child_of, follows_from) {
        (Some(i), _) => Some(read_id(&references[i].span_id)),
        (None, Some(r)) => Some(read_id(&r.span_id)),
        (None, None) => {
            (!parent_span_id.is_empty() && !parent_span_id.bytes().all(|b| b == b'0')).then(|| read_id(parent_span_id))
        }
    };
    let links = references
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != child_of)
        .map(|(_, r)| {
            let (link_type, name) =
                if r.is_child_of() { (LinkType::ChildOf, "child_of") } else { (LinkType::FollowsFrom, "follows_from") };
            Link {
                trace_id: if r.trace_id.is_empty() { trace_id.to_owned() } else { read_id(&r.trace_id) },
                span_id: read_id(&r.span_id),
                attributes: vec![Attribute {
                    key: "opentracing.ref_type".into(),
                    value: AnyValue::String(name.into()),
                }],
                link_type,
                ..Link::default()
            }
        })
        .collect();
    (parent, links)
}

/// A log as an event: its `event` field is the name (removed from the attributes).
fn log_event(log: JaegerLog) -> Event {
    let mut attributes = log.fields;
    let name = take_text(&mut attributes, &["event"]).unwrap_or_default();
    Event { time_unix_nano: log.timestamp.saturating_mul(1000), name, attributes, dropped_attributes_count: 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(list: &[(&str, &str, &str)]) -> Vec<JaegerReference> {
        list.iter()
            .map(|(t, tr, s)| JaegerReference {
                ref_type: if *t == "FOLLOWS_FROM" { RefType::FollowsFrom } else { RefType::ChildOf },
                trace_id: tr.to_string(),
                span_id: s.to_string(),
            })
            .collect()
    }

    #[test]
    fn the_parent_is_the_first_same_trace_child_of_else_follows_from() {
        let (parent, links) = parent_and_links(
            "1",
            &refs(&[("CHILD_OF", "ff", "9"), ("CHILD_OF", "1", "2"), ("FOLLOWS_FROM", "1", "2")]),
            "",
        );
        assert_eq!(parent.as_deref(), Some("2"));
        let shown: Vec<(&str, &str, LinkType)> =
            links.iter().map(|l| (l.trace_id.as_str(), l.span_id.as_str(), l.link_type)).collect();
        assert_eq!(shown, [("ff", "9", LinkType::ChildOf), ("1", "2", LinkType::FollowsFrom)]);
        let (parent, links) = parent_and_links("1", &refs(&[("FOLLOWS_FROM", "1", "3")]), "");
        assert_eq!((parent.as_deref(), links.len()), (Some("3"), 1));
        assert_eq!(parent_and_links("1", &[], "0000000000000004").0.as_deref(), Some("0000000000000004"));
        assert_eq!(parent_and_links("1", &[], "0").0, None);
    }
}
