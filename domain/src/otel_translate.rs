//! OTLP ↔ Zipkin, as the OpenTelemetry Collector's Zipkin translator does it (contrib
//! `pkg/translator/zipkin/zipkinv2`, `from_translator.go` and `to_translator.go`): an OTLP or Jaeger span
//! becomes a Zipkin `Span` the rest of the pipeline reads unchanged, its original kept in `Span::detail`; a
//! Zipkin span gets the `SpanDetail` the Collector's Zipkin receiver would make of it, so it can be written as
//! OTLP.
//!
//! Where the Collector's defaults moved with the semantic conventions (its `pkg.translator.zipkin.*` feature
//! gates), the newer names are written and both are read: `otel.scope.*` (older `otel.library.*`),
//! `network.local.*` / `network.peer.*` / `service.peer.name` (older `net.host.*`, `net.peer.*`,
//! `peer.service`). Beyond the Collector, a CLIENT or PRODUCER span with no peer service names its remote
//! endpoint after `server.address`, as the OpenTelemetry specification's Zipkin exporter rule says.
use super::span::{Annotation, Endpoint, Kind, Span, Tags};
use super::span_detail::{
    AnyValue, Attribute, Event, Link, LinkType, Resource, Scope, SpanDetail, SpanKind, Status, StatusCode,
};

/// The local service of a span whose resource names none (the Collector's `ResourceNoServiceName`).
pub const NO_SERVICE_NAME: &str = "OTLPResourceNoServiceName";
/// The tag that says which resource attribute gave the service name when `service.name` was missing.
const SERVICE_NAME_SOURCE: &str = "otlp.service.name.source";
/// The attribute the Collector's receiver sets on a Zipkin span that had no timestamp.
const START_TIME_ABSENT: &str = "otel.zipkin.absentField.startTime";
const TRACE_STATE: &str = "w3c.tracestate";
const STATUS_CODE: &str = "otel.status_code";
const STATUS_DESCRIPTION: &str = "otel.status_description";
const SCOPE_NAME: &str = "otel.scope.name";
const SCOPE_VERSION: &str = "otel.scope.version";
const LIBRARY_NAME: &str = "otel.library.name";
const LIBRARY_VERSION: &str = "otel.library.version";
const LINK_PREFIX: &str = "otlp.link.";
/// The Collector reads at most this many `otlp.link.N` tags back.
const MAX_LINK_TAGS: usize = 128;

/// Resource attributes that give the service name when `service.name` is missing, in the Collector's order.
const SERVICE_NAME_FALLBACKS: [&str; 3] = ["faas.name", "k8s.deployment.name", "process.executable.name"];

/// Where an endpoint's address, port and service come from: the newer key first, then the older.
struct EndpointKeys {
    address: [&'static str; 2],
    port: [&'static str; 2],
}
const LOCAL_KEYS: EndpointKeys =
    EndpointKeys { address: ["network.local.address", "net.host.ip"], port: ["network.local.port", "net.host.port"] };
const REMOTE_KEYS: EndpointKeys =
    EndpointKeys { address: ["network.peer.address", "net.peer.ip"], port: ["network.peer.port", "net.peer.port"] };
const PEER_SERVICE_KEYS: [&str; 2] = ["service.peer.name", "peer.service"];

/// A Zipkin span from an OTLP (or Jaeger) span: ids lower-cased (a 32-digit trace id with a zero high half
/// written as 16, as zipkin-go writes it; ids that are not hex kept as they came), every Zipkin field filled
/// as the Collector fills it, and `detail` kept behind `Span::detail`.
pub fn zipkin_span(
    trace_id: String,
    span_id: String,
    parent_span_id: Option<String>,
    name: String,
    detail: SpanDetail,
) -> Span {
    let (service, mut tags) = flattened_tags(&detail);
    if !detail.trace_state.is_empty() {
        tags.insert(TRACE_STATE.to_owned(), detail.trace_state.clone());
    }
    let kind = zipkin_kind(detail.kind);
    if detail.kind == SpanKind::Internal {
        tags.insert("span.kind".to_owned(), "internal".to_owned());
    }
    let local_endpoint = take_endpoint(&mut tags, Some(service), &LOCAL_KEYS);
    let peer = take_first(&mut tags, &PEER_SERVICE_KEYS).or_else(|| {
        // The specification's rule for a caller whose peer names no service; the tag stays, it is not moved.
        matches!(kind, Some(Kind::Client | Kind::Producer)).then(|| tags.get("server.address").cloned()).flatten()
    });
    let remote_endpoint = take_endpoint(&mut tags, peer, &REMOTE_KEYS);
    write_status(&detail.status, &mut tags);
    for (i, link) in detail.links.iter().enumerate() {
        tags.insert(format!("{LINK_PREFIX}{i}"), link_tag(link));
    }
    tags.remove(START_TIME_ABSENT);
    let annotations = detail
        .events
        .iter()
        .map(|e| Annotation { timestamp: round_to_micros(e.time_unix_nano), value: annotation_value(e) })
        .collect();
    Span {
        trace_id: zipkin_trace_id(trace_id),
        id: lower_hex(span_id),
        parent_id: parent_span_id.filter(|p| !is_empty_id(p)).map(lower_hex),
        name: Some(name).filter(|n| !n.is_empty()),
        kind,
        timestamp: zipkin_timestamp(detail.start_time_unix_nano),
        duration: zipkin_duration(detail.start_time_unix_nano, detail.end_time_unix_nano),
        local_endpoint,
        remote_endpoint,
        annotations,
        tags,
        debug: None,
        shared: None,
        detail: Some(Box::new(detail)),
    }
}

/// Gives back their OTLP detail to Zipkin spans that carry what the OpenTelemetry Collector's Zipkin exporter
/// writes of an OTLP span (`otlp.link.N` tags, `otel.status_code`, `otel.scope.*` / `otel.library.*`, events
/// as `name|{attributes}|dropped` annotations), read as the Collector's receiver reads them (`otlp_detail`): so
/// a trace that went OTLP -> Zipkin shows its links, events with attributes, status and scope as an OTLP file
/// does. Spans without those marks stay plain Zipkin spans (their page looks as it always has).
pub fn restore_otel_details(spans: &mut [Span]) {
    for span in spans.iter_mut().filter(|s| s.detail.is_none() && carries_otel_translation(s)) {
        span.detail = Some(Box::new(detail_from_zipkin(span)));
    }
}

fn carries_otel_translation(span: &Span) -> bool {
    let marked_tag = span
        .tags
        .keys()
        .any(|k| k.starts_with(LINK_PREFIX) || [STATUS_CODE, SCOPE_NAME, LIBRARY_NAME].contains(&k.as_str()));
    marked_tag || span.annotations.iter().any(|a| is_event_annotation(&a.value))
}

/// `name|{...}|dropped`: the Collector's spelling of an event with attributes or dropped attributes.
fn is_event_annotation(value: &str) -> bool {
    let Some((_, rest)) = value.split_once('|') else { return false };
    let Some((json, dropped)) = rest.rsplit_once('|') else { return false };
    json.starts_with('{') && json.ends_with('}') && !dropped.is_empty() && dropped.bytes().all(|b| b.is_ascii_digit())
}

/// The span as OTLP: its own detail when it came from OTLP or Jaeger, else what the Collector's Zipkin
/// receiver makes of a Zipkin span (tags back into attributes, resource and scope; annotations into events;
/// `otlp.link.N` tags into links; status from `otel.status_code` and any `error` tag, as Zipkin reads it).
pub fn otlp_detail(span: &Span) -> SpanDetail {
    match &span.detail {
        Some(detail) => (**detail).clone(),
        None => detail_from_zipkin(span),
    }
}

/// A trace id as Zipkin writes it: lower-case hex, 16 digits when the high half is zero; not hex: as it came.
pub fn zipkin_trace_id(id: String) -> String {
    let id = lower_hex(id);
    match id.strip_prefix("0000000000000000") {
        Some(low) if id.len() == 32 && is_hex(&id) => low.to_owned(),
        _ => id,
    }
}

/// An id as OTLP writes it: hex ids left-padded with zeros to `digits` (32 for a trace, 16 for a span);
/// an id that is not hex is written as it came.
pub fn otlp_hex_id(id: &str, digits: usize) -> String {
    if is_hex(id) && id.len() < digits {
        let mut out = "0".repeat(digits - id.len());
        out.push_str(&id.to_ascii_lowercase());
        out
    } else if is_hex(id) {
        id.to_ascii_lowercase()
    } else {
        id.to_owned()
    }
}

fn is_hex(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Lower-cases a hex id (in place when it is already lower case); an id that is not hex stays as it is.
fn lower_hex(id: String) -> String {
    if is_hex(&id) && id.bytes().any(|b| b.is_ascii_uppercase()) {
        id.to_ascii_lowercase()
    } else {
        id
    }
}

/// OTLP's "no parent": an empty id or all zeros.
fn is_empty_id(id: &str) -> bool {
    id.bytes().all(|b| b == b'0')
}

fn zipkin_kind(kind: SpanKind) -> Option<Kind> {
    match kind {
        SpanKind::Server => Some(Kind::Server),
        SpanKind::Client => Some(Kind::Client),
        SpanKind::Producer => Some(Kind::Producer),
        SpanKind::Consumer => Some(Kind::Consumer),
        SpanKind::Internal | SpanKind::Unspecified => None,
    }
}

/// Nanoseconds to the nearest microsecond (zipkin-go rounds when it writes JSON).
pub fn round_to_micros(ns: u64) -> u64 {
    ns / 1000 + u64::from(ns % 1000 >= 500)
}

/// No timestamp for a start before one second past the epoch (the Collector leaves it unset when the start's
/// Unix seconds are zero: its receiver's stand-in for "absent").
fn zipkin_timestamp(start_ns: u64) -> Option<u64> {
    (start_ns >= 1_000_000_000).then(|| round_to_micros(start_ns))
}

/// End minus start in µs, rounded, a positive sub-microsecond duration as 1 (zipkin-go); no end, or an end
/// before the start (zipkin-go refuses a negative duration), gives none.
fn zipkin_duration(start_ns: u64, end_ns: u64) -> Option<u64> {
    if end_ns == 0 || end_ns < start_ns {
        return None;
    }
    let ns = end_ns - start_ns;
    match ns {
        0 => None,
        1..=999 => Some(1),
        _ => Some(round_to_micros(ns)),
    }
}

/// The service name and the tags every span of a resource and scope starts with (resource attributes, scope
/// attributes, scope name and version), overridden by the span's own attributes, values as display strings.
fn flattened_tags(detail: &SpanDetail) -> (String, Tags) {
    let resource = &detail.resource.attributes;
    let scope = &detail.scope;
    let mut pairs: Vec<(String, String)> =
        Vec::with_capacity(resource.len() + scope.attributes.len() + 2 + detail.attributes.len());
    let mut service = None;
    for a in resource {
        if a.key == "service.name" {
            service = Some(a.value.to_display_string());
        } else {
            pairs.push((a.key.clone(), a.value.to_display_string()));
        }
    }
    if service.is_none() && !resource.is_empty() {
        for fallback in SERVICE_NAME_FALLBACKS {
            if let Some(i) = pairs.iter().position(|(k, _)| k == fallback) {
                service = Some(pairs.remove(i).1);
                pairs.push((SERVICE_NAME_SOURCE.to_owned(), fallback.to_owned()));
                break;
            }
        }
    }
    pairs.extend(scope.attributes.iter().map(|a| (a.key.clone(), a.value.to_display_string())));
    if !scope.name.is_empty() {
        pairs.push((SCOPE_NAME.to_owned(), scope.name.clone()));
    }
    if !scope.version.is_empty() {
        pairs.push((SCOPE_VERSION.to_owned(), scope.version.clone()));
    }
    pairs.extend(detail.attributes.iter().map(|a| (a.key.clone(), a.value.to_display_string())));
    (service.unwrap_or_else(|| NO_SERVICE_NAME.to_owned()), Tags::from_pairs(pairs))
}

/// Removes the first of `keys` present (and every other one: they say the same under an older name).
fn take_first(tags: &mut Tags, keys: &[&str]) -> Option<String> {
    keys.iter().fold(None, |found, key| {
        let value = tags.remove(key);
        found.or(value)
    })
}

/// An endpoint from a service name and the address and port tags (moved out of the tags, as the Collector
/// drops them as redundant); none when it would have neither a service nor an address. An address that is
/// not an IP (a host name, a socket path) stays a tag.
fn take_endpoint(tags: &mut Tags, service: Option<String>, keys: &EndpointKeys) -> Option<Endpoint> {
    let address = keys
        .address
        .iter()
        .find_map(|k| tags.get(k).and_then(|v| v.parse::<std::net::IpAddr>().ok()).map(|ip| (*k, ip)));
    if let Some((key, _)) = address {
        tags.remove(key);
    }
    let port = take_first(tags, &keys.port).and_then(|p| p.trim().parse::<u16>().ok()).filter(|p| *p != 0);
    let service = service.filter(|s| !s.is_empty());
    if service.is_none() && address.is_none() {
        return None;
    }
    let (ipv4, ipv6) = match address.map(|(_, ip)| ip) {
        Some(std::net::IpAddr::V4(ip)) => (Some(ip.to_string()), None),
        Some(std::net::IpAddr::V6(ip)) => (None, Some(ip.to_string())),
        None => (None, None),
    };
    Some(Endpoint { service_name: service, ipv4, ipv6, port })
}

/// `error=true` only on an error status (any other `error` tag is removed: Zipkin reads every `error` tag as
/// a failure); `otel.status_code` and `otel.status_description` unless the status is unset.
fn write_status(status: &Status, tags: &mut Tags) {
    if status.code == StatusCode::Error {
        tags.insert("error".to_owned(), "true".to_owned());
    } else {
        tags.remove("error");
    }
    let code = match status.code {
        StatusCode::Unset => return,
        StatusCode::Ok => "STATUS_CODE_OK",
        StatusCode::Error => "STATUS_CODE_ERROR",
    };
    tags.insert(STATUS_CODE.to_owned(), code.to_owned());
    if !status.message.is_empty() {
        tags.insert(STATUS_DESCRIPTION.to_owned(), status.message.clone());
    }
}

/// Attributes as one JSON object (keys sorted, as Go's encoder writes a map).
fn attributes_json(attributes: &[Attribute]) -> String {
    let map: serde_json::Map<String, serde_json::Value> =
        attributes.iter().map(|a| (a.key.clone(), a.value.to_json())).collect();
    serde_json::Value::Object(map).to_string()
}

/// An event as the Collector writes an annotation: its name alone, or `name|{attributes}|dropped`.
fn annotation_value(event: &Event) -> String {
    if event.attributes.is_empty() && event.dropped_attributes_count == 0 {
        event.name.clone()
    } else {
        format!("{}|{}|{}", event.name, attributes_json(&event.attributes), event.dropped_attributes_count)
    }
}

/// A link as the Collector writes it into an `otlp.link.N` tag: `traceId|spanId|traceState|{attributes}|dropped`,
/// ids in full-length hex (empty for an all-zero id).
fn link_tag(link: &Link) -> String {
    let id = |id: &str, digits| if is_empty_id(id) { String::new() } else { otlp_hex_id(id, digits) };
    format!(
        "{}|{}|{}|{}|{}",
        id(&link.trace_id, 32),
        id(&link.span_id, 16),
        link.trace_state,
        attributes_json(&link.attributes),
        link.dropped_attributes_count
    )
}

/// Resource attribute names the Collector's receiver moves from Zipkin tags to the resource (semantic
/// conventions v1.6.1's resource attributes, here by namespace, and OpenCensus' resource keys).
fn is_resource_key(key: &str) -> bool {
    const PREFIXES: [&str; 12] = [
        "cloud.",
        "aws.ecs.",
        "aws.eks.",
        "aws.log.",
        "container.",
        "device.",
        "host.",
        "k8s.",
        "os.",
        "process.",
        "telemetry.",
        "webengine.",
    ];
    const NAMES: [&str; 13] = [
        "service.name",
        "service.namespace",
        "service.instance.id",
        "service.version",
        "deployment.environment",
        "faas.name",
        "faas.id",
        "faas.version",
        "faas.instance",
        "faas.max_memory",
        "opencensus.starttime",
        "opencensus.exporterversion",
        "opencensus.resourcetype",
    ];
    PREFIXES.iter().any(|p| key.starts_with(p)) || NAMES.contains(&key)
}

fn string_attribute(key: &str, value: String) -> Attribute {
    Attribute { key: key.to_owned(), value: AnyValue::String(value) }
}

/// The OTLP kind of a Zipkin span, as the Collector's Zipkin receiver reads it: Zipkin's kind, else INTERNAL
/// when a `span.kind` tag says `internal` (Zipkin has no such kind), else unspecified.
pub fn zipkin_span_kind(span: &Span) -> SpanKind {
    match span.kind {
        Some(Kind::Client) => SpanKind::Client,
        Some(Kind::Server) => SpanKind::Server,
        Some(Kind::Producer) => SpanKind::Producer,
        Some(Kind::Consumer) => SpanKind::Consumer,
        None if span.tags.get("span.kind").is_some_and(|k| k == "internal") => SpanKind::Internal,
        None => SpanKind::Unspecified,
    }
}

/// What the Collector's Zipkin receiver makes of a Zipkin span (without its `ParseStringTags` option: tag
/// values stay strings).
fn detail_from_zipkin(span: &Span) -> SpanDetail {
    let mut tags = span.tags.clone();
    let trace_state = tags.remove(TRACE_STATE).unwrap_or_default();
    let kind = zipkin_span_kind(span);
    if span.kind.is_none() {
        tags.remove("span.kind");
    }
    let status = read_status(&mut tags);
    let links = read_link_tags(&mut tags);

    let mut resource = Resource::default();
    let source = tags.remove(SERVICE_NAME_SOURCE);
    if let Some(service) = span.local_service().filter(|s| !s.is_empty()) {
        let key = source.as_deref().unwrap_or("service.name");
        resource.attributes.push(string_attribute(key, service.to_owned()));
    }
    let mut scope = Scope::default();
    if let Some(name) = take_first(&mut tags, &[SCOPE_NAME, LIBRARY_NAME]) {
        scope.name = name;
    }
    if let Some(version) = take_first(&mut tags, &[SCOPE_VERSION, LIBRARY_VERSION]) {
        scope.version = version;
    }
    let mut attributes = Vec::with_capacity(tags.len() + 5);
    for (key, value) in tags {
        if is_resource_key(&key) {
            if !resource.attributes.iter().any(|a| a.key == key) {
                resource.attributes.push(Attribute { key, value: AnyValue::String(value) });
            }
        } else {
            attributes.push(Attribute { key, value: AnyValue::String(value) });
        }
    }
    endpoint_attributes(span.local_endpoint.as_ref(), None, &LOCAL_KEYS, &mut attributes);
    endpoint_attributes(span.remote_endpoint.as_ref(), Some(PEER_SERVICE_KEYS[0]), &REMOTE_KEYS, &mut attributes);

    let duration_ns = span.duration.unwrap_or(0).saturating_mul(1000);
    let (start, end) = match span.timestamp {
        Some(ts) => {
            let start = ts.saturating_mul(1000);
            (start, start.saturating_add(duration_ns))
        }
        None => {
            attributes.push(Attribute { key: START_TIME_ABSENT.to_owned(), value: AnyValue::Bool(true) });
            (0, duration_ns)
        }
    };
    SpanDetail {
        format: None,
        kind,
        status,
        start_time_unix_nano: start,
        end_time_unix_nano: end,
        attributes,
        events: span.annotations.iter().map(event_from_annotation).collect(),
        links,
        trace_state,
        resource,
        scope,
        ..SpanDetail::default()
    }
}

/// An endpoint's address, port and (remote) service as attributes, under the newer convention names.
fn endpoint_attributes(
    endpoint: Option<&Endpoint>,
    service_key: Option<&str>,
    keys: &EndpointKeys,
    out: &mut Vec<Attribute>,
) {
    let Some(e) = endpoint else { return };
    if let (Some(key), Some(service)) = (service_key, e.service_name.as_ref().filter(|s| !s.is_empty())) {
        out.push(string_attribute(key, service.clone()));
    }
    if let Some(ip) = e.ipv6.as_ref().or(e.ipv4.as_ref()) {
        out.push(string_attribute(keys.address[0], ip.clone()));
    }
    if let Some(port) = e.port.filter(|p| *p > 0) {
        out.push(Attribute { key: keys.port[0].to_owned(), value: AnyValue::Int(i64::from(port)) });
    }
}

/// The status the tags say: `otel.status_code` (the Collector's `STATUS_CODE_*` names, and the specification's
/// `OK` / `ERROR` that the SDKs' Zipkin exporters write) with its description, then an `error` tag.
fn read_status(tags: &mut Tags) -> Status {
    let mut status = Status::default();
    if let Some(code) = tags.remove(STATUS_CODE) {
        let name = code.strip_prefix("STATUS_CODE_").unwrap_or(&code);
        status.code = if name.eq_ignore_ascii_case("error") {
            StatusCode::Error
        } else if name.eq_ignore_ascii_case("ok") {
            StatusCode::Ok
        } else {
            StatusCode::Unset
        };
        if let Some(message) = tags.remove(STATUS_DESCRIPTION) {
            status.message = message;
        }
    }
    // The Collector reads only `error=true` as an error; Zipkin (and Lens) read any `error` tag as a failure,
    // its value as the message (Brave writes `error=<exception message>`). Read the Zipkin way, so a Zipkin
    // trace written as OTLP and opened again still shows its errors.
    if let Some(value) = tags.remove("error") {
        status.code = StatusCode::Error;
        if status.message.is_empty() && value != "true" {
            status.message = value;
        }
    }
    status
}

/// `otlp.link.0`, `otlp.link.1`, ... until one is missing; a tag with fewer than five parts is dropped.
fn read_link_tags(tags: &mut Tags) -> Vec<Link> {
    let mut links = Vec::new();
    for i in 0..MAX_LINK_TAGS {
        let Some(value) = tags.remove(&format!("{LINK_PREFIX}{i}")) else { break };
        let parts: Vec<&str> = value.split('|').collect();
        let [trace_id, span_id, trace_state, .., dropped] = parts[..] else { continue };
        if parts.len() < 5 {
            continue;
        }
        let attributes = json_attributes(&parts[3..parts.len() - 1].join("|"));
        links.push(Link {
            trace_id: lower_hex(trace_id.to_owned()),
            span_id: lower_hex(span_id.to_owned()),
            trace_state: trace_state.to_owned(),
            link_type: LinkType::from_attributes(&attributes),
            attributes,
            dropped_attributes_count: dropped.parse().unwrap_or(0),
            flags: 0,
        });
    }
    links
}

/// An annotation as an event: `name|{attributes}|dropped` as the Collector writes it, else the whole value is
/// the name (the Collector fails the batch on attributes that are not JSON; a viewer keeps the text).
fn event_from_annotation(a: &Annotation) -> Event {
    let time_unix_nano = a.timestamp.saturating_mul(1000);
    let parts: Vec<&str> = a.value.split('|').collect();
    if let [name, .., dropped] = parts[..] {
        let json = parts[1..parts.len() - 1].join("|");
        if parts.len() >= 3 && json.starts_with('{') {
            if let Ok(serde_json::Value::Object(_)) = serde_json::from_str::<serde_json::Value>(&json) {
                return Event {
                    time_unix_nano,
                    name: name.to_owned(),
                    attributes: json_attributes(&json),
                    dropped_attributes_count: dropped.parse().unwrap_or(0),
                };
            }
        }
    }
    Event { time_unix_nano, name: a.value.clone(), ..Event::default() }
}

/// A JSON object's string, number and boolean members as attributes (whole numbers as ints), as the Collector
/// reads them back; other members are skipped.
fn json_attributes(json: &str) -> Vec<Attribute> {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(json) else {
        return Vec::new();
    };
    map.into_iter()
        .filter_map(|(key, value)| {
            let value = match value {
                serde_json::Value::String(s) => AnyValue::String(s),
                serde_json::Value::Bool(b) => AnyValue::Bool(b),
                serde_json::Value::Number(n) => match (n.as_i64(), n.as_f64()) {
                    (Some(i), _) => AnyValue::Int(i),
                    (None, Some(d)) if d.fract() == 0.0 && d.abs() < 9.2e18 => AnyValue::Int(d as i64),
                    (None, Some(d)) => AnyValue::Double(d),
                    (None, None) => return None,
                },
                _ => return None,
            };
            Some(Attribute { key, value })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_lower_cased_and_shortened_as_zipkin_writes_them() {
        assert_eq!(zipkin_trace_id("0000000000000000ABCDEF0123456789".into()), "abcdef0123456789");
        assert_eq!(zipkin_trace_id("5B8EFFF798038103D269B633813FC60C".into()), "5b8efff798038103d269b633813fc60c");
        assert_eq!(zipkin_trace_id("trace-123".into()), "trace-123");
        assert_eq!(otlp_hex_id("abc", 16), "0000000000000abc");
        assert_eq!(otlp_hex_id("span-6", 16), "span-6");
    }

    #[test]
    fn durations_round_as_zipkin_go_does() {
        assert_eq!(zipkin_duration(1_000_000_000, 1_000_000_400), Some(1));
        assert_eq!(zipkin_duration(1_000_000_000, 1_000_001_499), Some(1));
        assert_eq!(zipkin_duration(1_000_000_000, 1_000_001_500), Some(2));
        assert_eq!(zipkin_duration(5, 4), None);
        assert_eq!(zipkin_duration(5, 0), None);
        assert_eq!(zipkin_timestamp(999_999_999), None);
        assert_eq!(zipkin_timestamp(1_544_712_660_000_000_500), Some(1_544_712_660_000_001));
    }

    fn attr(key: &str, value: AnyValue) -> Attribute {
        Attribute { key: key.into(), value }
    }

    #[test]
    fn an_otlp_span_fills_every_zipkin_field_as_the_collector_does() {
        let detail = SpanDetail {
            kind: SpanKind::Client,
            status: Status { code: StatusCode::Error, message: "boom".into() },
            start_time_unix_nano: 1_700_000_000_000_000_000,
            end_time_unix_nano: 1_700_000_000_250_000_000,
            attributes: vec![
                attr("peer.service", AnyValue::String("db".into())),
                attr("network.peer.address", AnyValue::String("10.0.0.9".into())),
                attr("network.peer.port", AnyValue::Int(5432)),
                attr("rows", AnyValue::Array(vec![AnyValue::Int(1), AnyValue::Bool(true)])),
                attr("error", AnyValue::String("ignored".into())),
            ],
            events: vec![
                Event { time_unix_nano: 1_700_000_000_100_000_000, name: "retry".into(), ..Event::default() },
                Event {
                    time_unix_nano: 1_700_000_000_200_000_400,
                    name: "exception".into(),
                    attributes: vec![attr("exception.type", AnyValue::String("E".into()))],
                    dropped_attributes_count: 1,
                },
            ],
            links: vec![Link {
                trace_id: "0af7651916cd43dd8448eb211c80319c".into(),
                span_id: "b7ad6b7169203331".into(),
                attributes: vec![attr("k", AnyValue::Double(0.5))],
                ..Link::default()
            }],
            trace_state: "rojo=00f067aa0ba902b7".into(),
            resource: Resource {
                attributes: vec![
                    attr("service.name", AnyValue::String("api".into())),
                    attr("host.name", AnyValue::String("h1".into())),
                ],
                ..Resource::default()
            },
            scope: Scope { name: "lib".into(), version: "1.2".into(), ..Scope::default() },
            ..SpanDetail::default()
        };
        let span = zipkin_span(
            "0000000000000000ABCDEF0123456789".into(),
            "00F067AA0BA902B7".into(),
            Some(String::new()),
            "query".into(),
            detail.clone(),
        );
        assert_eq!(
            (span.trace_id.as_str(), span.id.as_str(), span.parent_id.as_deref()),
            ("abcdef0123456789", "00f067aa0ba902b7", None)
        );
        assert_eq!(
            (span.kind, span.timestamp, span.duration),
            (Some(Kind::Client), Some(1_700_000_000_000_000), Some(250_000))
        );
        assert_eq!(span.local_service(), Some("api"));
        let remote = span.remote_endpoint.clone().unwrap();
        assert_eq!(
            (remote.service_name.as_deref(), remote.ipv4.as_deref(), remote.port),
            (Some("db"), Some("10.0.0.9"), Some(5432))
        );
        let tags: Vec<String> = span.tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(
            tags,
            [
                "error=true",
                "host.name=h1",
                "otel.scope.name=lib",
                "otel.scope.version=1.2",
                "otel.status_code=STATUS_CODE_ERROR",
                "otel.status_description=boom",
                r#"otlp.link.0=0af7651916cd43dd8448eb211c80319c|b7ad6b7169203331||{"k":0.5}|0"#,
                "rows=[1,true]",
                "w3c.tracestate=rojo=00f067aa0ba902b7",
            ]
        );
        let annotations: Vec<(u64, &str)> = span.annotations.iter().map(|a| (a.timestamp, a.value.as_str())).collect();
        assert_eq!(
            annotations,
            [(1_700_000_000_100_000, "retry"), (1_700_000_000_200_000, r#"exception|{"exception.type":"E"}|1"#)]
        );
        assert_eq!(span.detail.as_deref(), Some(&detail));
        assert_eq!(otlp_detail(&span), detail);
    }

    #[test]
    fn a_zipkin_span_reads_as_the_collector_receiver_reads_it() {
        let span = Span {
            trace_id: "a".into(),
            id: "b".into(),
            kind: None,
            timestamp: Some(10),
            duration: Some(5),
            local_endpoint: Some(Endpoint { service_name: Some("api".into()), ipv4: Some("1.2.3.4".into()), ..Endpoint::default() }),
            remote_endpoint: Some(Endpoint { service_name: Some("db".into()), port: Some(80), ..Endpoint::default() }),
            annotations: vec![Annotation { timestamp: 12, value: r#"ev|{"n":2,"s":"x|y"}|3"#.into() }],
            tags: [
                ("span.kind".to_string(), "internal".to_string()),
                ("otel.status_code".into(), "ERROR".into()),
                ("otel.status_description".into(), "bad".into()),
                ("otel.library.name".into(), "lib".into()),
                ("host.name".into(), "h1".into()),
                ("otlp.link.0".into(), r#"0af7651916cd43dd8448eb211c80319c|b7ad6b7169203331|t=1|{"opentracing.ref_type":"follows_from"}|2"#.into()),
                ("http.path".into(), "/".into()),
            ]
            .into(),
            ..Span::default()
        };
        let d = otlp_detail(&span);
        assert_eq!(d.kind, SpanKind::Internal);
        assert_eq!(d.status, Status { code: StatusCode::Error, message: "bad".into() });
        assert_eq!((d.start_time_unix_nano, d.end_time_unix_nano), (10_000, 15_000));
        assert_eq!(d.scope.name, "lib");
        assert_eq!(
            d.resource.attributes,
            [attr("service.name", AnyValue::String("api".into())), attr("host.name", AnyValue::String("h1".into()))]
        );
        assert_eq!(
            d.attributes,
            [
                attr("http.path", AnyValue::String("/".into())),
                attr("network.local.address", AnyValue::String("1.2.3.4".into())),
                attr("service.peer.name", AnyValue::String("db".into())),
                attr("network.peer.port", AnyValue::Int(80)),
            ]
        );
        assert_eq!(d.events.len(), 1);
        assert_eq!(
            (d.events[0].name.as_str(), d.events[0].time_unix_nano, d.events[0].dropped_attributes_count),
            ("ev", 12_000, 3)
        );
        assert_eq!(d.events[0].attributes, [attr("n", AnyValue::Int(2)), attr("s", AnyValue::String("x|y".into()))]);
        assert_eq!(d.links[0].link_type, LinkType::FollowsFrom);
        assert_eq!((d.links[0].trace_state.as_str(), d.links[0].dropped_attributes_count), ("t=1", 2));
    }
}
