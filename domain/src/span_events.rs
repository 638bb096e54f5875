//! What is drawn on a span's bar and listed among its events: Zipkin annotations, or for a span read
//! from OTLP or Jaeger its events (their names, not the `name|{attributes}|dropped` text the Zipkin
//! translation writes into annotations), and which of them are exceptions: OpenTelemetry's
//! `exception` event (`exception.type`, `exception.message`, `exception.stacktrace`) or
//! OpenTracing's `error` log (`error.kind`, `message`, `stack`) as Jaeger clients write it.
use super::otel_translate::round_to_micros;
use super::span::Span;
use super::span_detail::{AnyValue, Event};

/// One mark on a bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarMark {
    /// µs since epoch, before clock-skew correction (`TraceModel::annotation_time` corrects it).
    pub timestamp: u64,
    /// What the mark's tooltip says.
    pub label: String,
    pub exception: bool,
}

/// An exception event's parts, as text (any typed value written as the Zipkin view writes it).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Exception {
    pub type_name: String,
    pub message: String,
    pub stacktrace: String,
    /// `exception.escaped`, when the event says.
    pub escaped: Option<bool>,
}

impl Exception {
    /// One line naming it: `type: message`, either part alone when the other is missing.
    pub fn headline(&self) -> String {
        match (self.type_name.is_empty(), self.message.is_empty()) {
            (false, false) => format!("{}: {}", self.type_name, self.message),
            (false, true) => self.type_name.clone(),
            (true, false) => self.message.clone(),
            (true, true) => "exception".to_owned(),
        }
    }

    /// Whether `key` is one of the attributes the exception view shows (the rest are listed as usual).
    pub fn is_own_key(key: &str) -> bool {
        matches!(
            key,
            "exception.type"
                | "exception.message"
                | "exception.stacktrace"
                | "exception.escaped"
                | "error.kind"
                | "message"
                | "stack"
        )
    }
}

/// The exception an event reports, if it is one: OpenTelemetry's `exception` event (or any event
/// carrying `exception.*` attributes), or an OpenTracing `error` log with a kind, message or stack.
pub fn exception_of(event: &Event) -> Option<Exception> {
    let text = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| event.attributes.iter().find(|a| a.key == *k))
            .map(|a| a.value.to_display_string())
            .unwrap_or_default()
    };
    let otel = event.name == "exception" || event.attributes.iter().any(|a| a.key.starts_with("exception."));
    let tracing = event.name == "error"
        && event.attributes.iter().any(|a| matches!(a.key.as_str(), "error.kind" | "message" | "stack"));
    if !otel && !tracing {
        return None;
    }
    let escaped = event.attributes.iter().find(|a| a.key == "exception.escaped").and_then(|a| match &a.value {
        AnyValue::Bool(b) => Some(*b),
        AnyValue::String(s) => s.parse().ok(),
        _ => None,
    });
    Some(Exception {
        type_name: text(&["exception.type", "error.kind"]),
        message: text(&["exception.message", "message"]),
        stacktrace: text(&["exception.stacktrace", "stack"]),
        escaped,
    })
}

/// An event's name as shown: `(unnamed event)` for none (Jaeger's storage fixtures have them).
pub fn event_name(event: &Event) -> &str {
    if event.name.is_empty() {
        "(unnamed event)"
    } else {
        &event.name
    }
}

/// The marks of one span, in its order: its events when it came from OTLP or Jaeger, else its
/// annotations.
pub fn bar_marks(span: &Span) -> Vec<BarMark> {
    match span.detail.as_deref() {
        Some(detail) => detail
            .events
            .iter()
            .map(|e| {
                let exception = exception_of(e);
                let label = match &exception {
                    Some(x) => format!("{}: {}", event_name(e), x.headline()),
                    None => event_name(e).to_owned(),
                };
                BarMark { timestamp: round_to_micros(e.time_unix_nano), label, exception: exception.is_some() }
            })
            .collect(),
        None => span
            .annotations
            .iter()
            .map(|a| BarMark { timestamp: a.timestamp, label: a.value.clone(), exception: false })
            .collect(),
    }
}
