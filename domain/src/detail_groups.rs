//! The words the details panel uses for what an OTLP or Jaeger span carries: its kind (all five
//! OTLP kinds), status, a link's type, what the SDK dropped, and which resource attributes say
//! where the span ran (listed first: `service.*`, host, k8s, cloud, container, process).
use super::sorting;
use super::span_detail::{Attribute, LinkType, SourceFormat, SpanDetail, SpanKind, StatusCode};

/// "Server", "Internal", ... as a heading says it; "Unspecified" for OTLP's 0.
pub fn kind_label(kind: SpanKind) -> &'static str {
    match kind {
        SpanKind::Unspecified => "Unspecified",
        SpanKind::Internal => "Internal",
        SpanKind::Server => "Server",
        SpanKind::Client => "Client",
        SpanKind::Producer => "Producer",
        SpanKind::Consumer => "Consumer",
    }
}

pub fn status_label(code: StatusCode) -> &'static str {
    match code {
        StatusCode::Unset => "Unset",
        StatusCode::Ok => "OK",
        StatusCode::Error => "Error",
    }
}

/// A link's type as the details say it: Jaeger's reference names, or "Link" for an OTLP link.
pub fn link_type_label(link_type: LinkType) -> &'static str {
    match link_type {
        LinkType::Link => "Link",
        LinkType::ChildOf => "CHILD_OF",
        LinkType::FollowsFrom => "FOLLOWS_FROM",
    }
}

pub fn format_label(format: Option<SourceFormat>) -> &'static str {
    match format {
        Some(SourceFormat::Otlp) => "OTLP",
        Some(SourceFormat::Jaeger) => "Jaeger",
        None => "Zipkin",
    }
}

/// What the SDK dropped before sending, as one sentence ("2 attributes, 1 event"); `None` when
/// nothing was.
pub fn dropped_summary(detail: &SpanDetail) -> Option<String> {
    let event_attributes: u64 = detail.events.iter().map(|e| u64::from(e.dropped_attributes_count)).sum();
    let link_attributes: u64 = detail.links.iter().map(|l| u64::from(l.dropped_attributes_count)).sum();
    let parts: Vec<String> = [
        (u64::from(detail.dropped_attributes_count), "attribute", "attributes"),
        (u64::from(detail.dropped_events_count), "event", "events"),
        (u64::from(detail.dropped_links_count), "link", "links"),
        (event_attributes, "event attribute", "event attributes"),
        (link_attributes, "link attribute", "link attributes"),
        (u64::from(detail.resource.dropped_attributes_count), "resource attribute", "resource attributes"),
        (u64::from(detail.scope.dropped_attributes_count), "scope attribute", "scope attributes"),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// Resource attributes in the order the panel lists them: where the span ran first (service,
/// host, k8s, cloud, container, process, in that order), the rest as they came.
pub fn resource_order(attributes: &[Attribute]) -> Vec<&Attribute> {
    const FIRST: [&str; 7] = ["service.", "host.", "k8s.", "cloud.", "container.", "process.", "deployment."];
    let rank = |a: &Attribute| FIRST.iter().position(|p| a.key.starts_with(p)).unwrap_or(FIRST.len());
    let mut ordered: Vec<&Attribute> = attributes.iter().collect();
    // Stable: keys of one group keep their order.
    sorting::sort_by(&mut ordered, |a, b| rank(a).cmp(&rank(b)));
    ordered
}
