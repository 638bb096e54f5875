//! Ingest normalisation: what Zipkin's `Span.Builder` (and `Endpoint.Builder`) do to every span on the way in
//! (ZIPKIN.md §3). Ids must already be lower-case hex; everything else is coerced, never rejected.
use spanscope_domain::span::{Endpoint, Kind, Span};
use std::net::{IpAddr, Ipv4Addr};

/// Why a span was refused; the text is what the 400 answer says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidSpan(pub String);

impl std::fmt::Display for InvalidSpan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Counts leading zeros of a lower-hex id, or refuses it as Zipkin's `validateHexAndReturnZeroPrefix` does.
fn zero_prefix(id: &str) -> Result<usize, InvalidSpan> {
    if !id.bytes().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)) {
        return Err(InvalidSpan(format!("{id} should be lower-hex encoded with no prefix")));
    }
    Ok(id.bytes().take_while(|&c| c == b'0').count())
}

fn pad_left(id: &str, width: usize) -> String {
    format!("{id:0>width$}")
}

/// Zipkin's `Span.normalizeTraceId`: 16 or 32 lower-hex, padded; a 32-char id with a zero high half becomes 16.
pub fn normalize_trace_id(trace_id: &str) -> Result<String, InvalidSpan> {
    let len = trace_id.len();
    if len == 0 {
        return Err(InvalidSpan("traceId is empty".into()));
    }
    if len > 32 {
        return Err(InvalidSpan("traceId.length > 32".into()));
    }
    let zeros = zero_prefix(trace_id)?;
    if zeros == len {
        return Err(InvalidSpan("traceId is all zeros".into()));
    }
    Ok(match len {
        32 if zeros >= 16 => trace_id[16..].to_string(),
        16 | 32 => trace_id.to_string(),
        n if n < 16 => pad_left(trace_id, 16),
        _ => pad_left(trace_id, 32),
    })
}

/// Zipkin's `Span.Builder.id(String)`.
fn normalize_span_id(id: &str) -> Result<String, InvalidSpan> {
    if id.is_empty() {
        return Err(InvalidSpan("id is empty".into()));
    }
    if id.len() > 16 {
        return Err(InvalidSpan("id.length > 16".into()));
    }
    if zero_prefix(id)? == 16 {
        return Err(InvalidSpan("id is all zeros".into()));
    }
    Ok(pad_left(id, 16))
}

/// Zipkin's `Span.Builder.parentId(String)`: all zeros means no parent.
fn normalize_parent_id(id: &str) -> Result<Option<String>, InvalidSpan> {
    if id.is_empty() {
        return Err(InvalidSpan("parentId is empty".into()));
    }
    if id.len() > 16 {
        return Err(InvalidSpan("parentId.length > 16".into()));
    }
    if zero_prefix(id)? == id.len() {
        return Ok(None);
    }
    Ok(Some(pad_left(id, 16)))
}

fn lower_non_empty(name: Option<String>) -> Option<String> {
    name.filter(|n| !n.is_empty()).map(|n| n.to_lowercase())
}

/// Zipkin's `Endpoint.Builder`: lower-cased service name, IPs parsed (invalid ones dropped, IPv4-mapped IPv6
/// becomes IPv4), port 0 absent; an endpoint with nothing left is absent.
pub fn normalize_endpoint(endpoint: Option<Endpoint>) -> Option<Endpoint> {
    let e = endpoint?;
    let mut ipv4 = e.ipv4.as_deref().and_then(|ip| ip.parse::<Ipv4Addr>().ok()).map(|ip| ip.to_string());
    let mut ipv6 = None;
    if let Some(Ok(ip)) = e.ipv6.as_deref().map(|ip| ip.parse::<IpAddr>()) {
        match ip {
            IpAddr::V4(v4) => ipv4 = ipv4.or(Some(v4.to_string())),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => ipv4 = ipv4.or(Some(v4.to_string())),
                None => ipv6 = Some(v6.to_string()),
            },
        }
    }
    let out = Endpoint { service_name: lower_non_empty(e.service_name), ipv4, ipv6, port: e.port.filter(|p| *p != 0) };
    (out != Endpoint::default()).then_some(out)
}

/// Applies every ingest rule of ZIPKIN.md §3 to one decoded span.
pub fn normalize_span(mut span: Span) -> Result<Span, InvalidSpan> {
    span.trace_id = normalize_trace_id(&span.trace_id)?;
    span.id = normalize_span_id(&span.id)?;
    span.parent_id = match span.parent_id.as_deref() {
        Some(p) => normalize_parent_id(p)?,
        None => None,
    };
    if span.parent_id.as_deref() == Some(span.id.as_str()) {
        span.parent_id = None; // "undoing circular dependency"
    }
    span.name = lower_non_empty(span.name.take());
    span.timestamp = span.timestamp.filter(|t| *t != 0);
    span.duration = span.duration.filter(|d| *d != 0);
    span.local_endpoint = normalize_endpoint(span.local_endpoint.take());
    span.remote_endpoint = normalize_endpoint(span.remote_endpoint.take());
    // Zipkin keeps annotations sorted by (timestamp, value) and without duplicates.
    span.annotations.sort();
    span.annotations.dedup();
    // `false` is Zipkin's default for both flags, so it is not written back.
    span.debug = span.debug.filter(|d| *d);
    span.shared = span.shared.filter(|s| *s);
    if span.kind == Some(Kind::Client) {
        span.shared = None; // shared is for the server side
    }
    Ok(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_ids_are_padded_and_shortened_as_zipkin_does() {
        assert_eq!(normalize_trace_id("abc").unwrap(), "0000000000000abc");
        assert_eq!(normalize_trace_id(&format!("{}{}", "0".repeat(16), "a".repeat(16))).unwrap(), "a".repeat(16));
        assert_eq!(normalize_trace_id(&"1".repeat(20)).unwrap(), format!("{}{}", "0".repeat(12), "1".repeat(20)));
        assert!(normalize_trace_id("ABC").unwrap_err().0.contains("lower-hex"));
        assert_eq!(normalize_trace_id("000").unwrap_err().0, "traceId is all zeros");
        assert_eq!(normalize_trace_id(&"a".repeat(33)).unwrap_err().0, "traceId.length > 32");
    }

    #[test]
    fn spans_are_coerced() {
        let span: Span = serde_json::from_str(
            r#"{"traceId":"1","id":"2","parentId":"2","name":"GET","timestamp":0,"duration":0,"kind":"CLIENT","shared":true,
                "debug":false,"localEndpoint":{"serviceName":"FrontEnd","ipv4":"not-an-ip","port":0},
                "remoteEndpoint":{"ipv6":"::ffff:10.0.0.1"},"annotations":[{"timestamp":2,"value":"b"},{"timestamp":1,"value":"a"},{"timestamp":2,"value":"b"}]}"#,
        )
        .unwrap();
        let span = normalize_span(span).unwrap();
        assert_eq!(span.trace_id, "0000000000000001");
        assert_eq!(span.id, "0000000000000002");
        assert_eq!(span.parent_id, None);
        assert_eq!(span.name.as_deref(), Some("get"));
        assert_eq!((span.timestamp, span.duration, span.shared, span.debug), (None, None, None, None));
        assert_eq!(
            span.local_endpoint,
            Some(Endpoint { service_name: Some("frontend".into()), ..Endpoint::default() })
        );
        assert_eq!(span.remote_endpoint.unwrap().ipv4.as_deref(), Some("10.0.0.1"));
        assert_eq!(span.annotations.len(), 2);
        assert_eq!(span.annotations[0].value, "a");
    }

    #[test]
    fn upper_case_ids_are_refused() {
        let span = Span { trace_id: "a".into(), id: "ABC".into(), ..Span::default() };
        assert!(normalize_span(span).is_err());
        let span = Span { trace_id: "a".into(), id: "b".into(), parent_id: Some("0".into()), ..Span::default() };
        assert_eq!(normalize_span(span).unwrap().parent_id, None);
    }
}
