//! The postMessage protocol between a host page and an embedded Spanscope: which origins may talk to
//! the frame, what a host message must look like to be obeyed, and the messages the frame sends back.
//! Everything here is pure so each rule is tested on the host; `ui::embed` only moves the bytes.
//!
//! ```
//! use spanscope_domain::embed_message::{origin_allowed, parse_host_message, HostMessage};
//!
//! let allowed = vec!["https://grafana.example".to_string()];
//! assert!(origin_allowed("https://grafana.example", &allowed));
//! assert!(!origin_allowed("https://evil.example", &allowed));
//! let message = parse_host_message(r#"{"type":"spanscope:selectSpan","spanId":"00F1"}"#).unwrap();
//! assert_eq!(message, HostMessage::SelectSpan { span_id: "00000000000000f1".into() });
//! ```
use super::embed_flags::ThemeChoice;
use serde_json::{json, Map, Value};

/// The protocol version the frame announces in `spanscope:ready`.
pub const PROTOCOL_VERSION: u32 = 1;

/// Every message type of the protocol starts with this, so other tools' messages to the frame
/// (browser extensions, dashboard frameworks) are told apart and ignored silently.
const PREFIX: &str = "spanscope:";

/// The longest `name` of a shown trace kept for display.
const MAX_NAME_CHARS: usize = 200;

/// A message from the host page that Spanscope obeys.
#[derive(Debug, Clone, PartialEq)]
pub enum HostMessage {
    /// Show these spans (JSON v2 or v1: a span list or a list of traces), as the trace viewer does
    /// for a file. `json` is that JSON text, ready for `decode::decode_file`.
    ShowTrace { json: String, name: Option<String> },
    /// Select this span (16 lower-case hex, as Zipkin normalises span ids).
    SelectSpan { span_id: String },
    /// Use this theme until told otherwise (never stored).
    SetTheme { theme: ThemeChoice },
}

/// Why a message was not obeyed.
#[derive(Debug, Clone, PartialEq)]
pub enum MessageError {
    /// Not a `spanscope:` message at all: not for us, ignored without an answer.
    NotOurs,
    /// A `spanscope:` message of a type this version does not know.
    UnknownType(String),
    /// A known type with a missing or wrong field; the text says which and what was expected.
    Invalid(String),
}

impl std::fmt::Display for MessageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MessageError::NotOurs => write!(f, "not a Spanscope message (its type does not start with {PREFIX})"),
            MessageError::UnknownType(t) => write!(
                f,
                "unknown message type {t:?}; expected spanscope:showTrace, spanscope:selectSpan or spanscope:setTheme"
            ),
            MessageError::Invalid(why) => f.write_str(why),
        }
    }
}

/// Whether a message from `origin` may drive the frame. `allowed` is config.json's `allowedOrigins`:
/// `"*"` allows any origin, an empty list allows none (postMessage is off). Entries are compared as
/// browsers serialise origins (`https://host:port`, lower case, no trailing slash), so
/// `"https://Grafana.example/"` in the file still matches.
pub fn origin_allowed(origin: &str, allowed: &[String]) -> bool {
    let origin = origin.trim();
    if origin.is_empty() {
        return false;
    }
    allowed.iter().any(|entry| {
        let entry = entry.trim();
        entry == "*" || entry.trim_end_matches('/').eq_ignore_ascii_case(origin)
    })
}

/// Where the frame's own messages (`ready`, `spanSelected`) may go: the parent's origin when it is
/// known and allowed, `*` when it is unknown but any origin is allowed, and nowhere otherwise: a
/// page that may not drive the frame does not learn what it shows either.
pub fn report_target(parent_origin: Option<&str>, allowed: &[String]) -> Option<String> {
    match parent_origin.map(str::trim).filter(|o| !o.is_empty() && *o != "null") {
        Some(origin) => origin_allowed(origin, allowed).then(|| origin.to_string()),
        None => allowed.iter().any(|a| a.trim() == "*").then(|| "*".to_string()),
    }
}

/// Validates a message's data (as JSON text: a host may post an object or a JSON string).
pub fn parse_host_message(text: &str) -> Result<HostMessage, MessageError> {
    // From bytes, as every JSON read in the app is: one copy of serde_json's parser in the wasm.
    let value: Value = serde_json::from_slice(text.as_bytes()).map_err(|_| MessageError::NotOurs)?;
    // Some hosts post JSON text rather than an object: read the object inside.
    let value = match value {
        Value::String(inner) => serde_json::from_slice(inner.as_bytes()).map_err(|_| MessageError::NotOurs)?,
        other => other,
    };
    let Value::Object(map) = value else {
        return Err(MessageError::NotOurs);
    };
    let Some(kind) = map.get("type").and_then(Value::as_str).and_then(|t| t.strip_prefix(PREFIX)) else {
        return Err(MessageError::NotOurs);
    };
    match kind {
        "showTrace" => show_trace(&map),
        "selectSpan" => select_span(&map),
        "setTheme" => match map.get("theme").and_then(Value::as_str).and_then(ThemeChoice::parse) {
            Some(theme) => Ok(HostMessage::SetTheme { theme }),
            None => Err(MessageError::Invalid(
                "spanscope:setTheme needs \"theme\": \"light\", \"dark\" or \"system\"".into(),
            )),
        },
        other => Err(MessageError::UnknownType(format!("{PREFIX}{other}"))),
    }
}

fn show_trace(map: &Map<String, Value>) -> Result<HostMessage, MessageError> {
    let name = map
        .get("name")
        .and_then(Value::as_str)
        .map(|n| n.trim().chars().take(MAX_NAME_CHARS).collect::<String>())
        .filter(|n| !n.is_empty());
    let json = match (map.get("spans"), map.get("json")) {
        (Some(Value::Array(spans)), _) if spans.is_empty() => {
            return Err(MessageError::Invalid("spanscope:showTrace: \"spans\" is empty".into()))
        }
        (Some(spans @ Value::Array(_)), _) => spans.to_string(),
        (Some(_), _) => {
            return Err(MessageError::Invalid(
                "spanscope:showTrace: \"spans\" must be an array of spans (or of traces)".into(),
            ))
        }
        (None, Some(Value::String(text))) if !text.trim().is_empty() => text.clone(),
        (None, Some(_)) => {
            return Err(MessageError::Invalid("spanscope:showTrace: \"json\" must be non-empty JSON text".into()))
        }
        (None, None) => {
            return Err(MessageError::Invalid(
                "spanscope:showTrace needs \"spans\" (an array) or \"json\" (the spans as JSON text)".into(),
            ))
        }
    };
    Ok(HostMessage::ShowTrace { json, name })
}

fn select_span(map: &Map<String, Value>) -> Result<HostMessage, MessageError> {
    let raw = map.get("spanId").and_then(Value::as_str).map(str::trim).unwrap_or_default();
    if raw.is_empty() || raw.len() > 16 || !raw.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(MessageError::Invalid(
            "spanscope:selectSpan needs \"spanId\": a span id of 1 to 16 hex characters".into(),
        ));
    }
    // Zipkin left-pads short ids and lower-cases them; the model holds ids in that form.
    Ok(HostMessage::SelectSpan { span_id: format!("{:0>16}", raw.to_ascii_lowercase()) })
}

/// `{"type":"spanscope:ready","version":1}`: the frame listens now.
pub fn ready_message() -> String {
    json!({ "type": "spanscope:ready", "version": PROTOCOL_VERSION }).to_string()
}

/// `{"type":"spanscope:spanSelected","traceId":…,"spanId":…}`; `spanId` is `null` when the
/// selection was cleared.
pub fn span_selected_message(trace_id: &str, span_id: Option<&str>) -> String {
    json!({ "type": "spanscope:spanSelected", "traceId": trace_id, "spanId": span_id }).to_string()
}

/// `{"type":"spanscope:error","message":…}`: an allowed host sent something the frame cannot obey.
pub fn error_message(error: &MessageError) -> String {
    json!({ "type": "spanscope:error", "message": error.to_string() }).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn origins_are_checked_against_the_list() {
        let allowed = list(&["https://grafana.example", "http://127.0.0.1:3000/ "]);
        assert!(origin_allowed("https://grafana.example", &allowed));
        assert!(origin_allowed("http://127.0.0.1:3000", &allowed));
        assert!(!origin_allowed("http://127.0.0.1:3001", &allowed));
        assert!(!origin_allowed("https://grafana.example.evil", &allowed));
        assert!(!origin_allowed("null", &allowed));
        assert!(!origin_allowed("", &allowed));
    }

    #[test]
    fn an_empty_list_allows_none_and_a_star_allows_any() {
        assert!(!origin_allowed("https://grafana.example", &[]));
        assert!(origin_allowed("https://anything.example", &list(&["*"])));
        assert!(!origin_allowed("", &list(&["*"])));
    }

    #[test]
    fn reports_go_only_to_an_allowed_parent() {
        let allowed = list(&["https://grafana.example"]);
        assert_eq!(
            report_target(Some("https://grafana.example"), &allowed).as_deref(),
            Some("https://grafana.example")
        );
        assert_eq!(report_target(Some("https://evil.example"), &allowed), None);
        assert_eq!(report_target(None, &allowed), None);
        assert_eq!(report_target(None, &[]), None);
        let any = list(&["*"]);
        assert_eq!(report_target(Some("https://x.example"), &any).as_deref(), Some("https://x.example"));
        assert_eq!(report_target(None, &any).as_deref(), Some("*"));
        assert_eq!(report_target(Some("null"), &any).as_deref(), Some("*"));
    }

    #[test]
    fn show_trace_takes_spans_or_json_text() {
        let m = parse_host_message(
            r#"{"type":"spanscope:showTrace","spans":[{"traceId":"a","id":"1"}],"name":" checkout "}"#,
        );
        match m {
            Ok(HostMessage::ShowTrace { json, name }) => {
                assert_eq!(name.as_deref(), Some("checkout"));
                let spans: Value = serde_json::from_str(&json).unwrap();
                assert_eq!(spans[0]["traceId"], "a");
            }
            other => panic!("{other:?}"),
        }
        let m = parse_host_message(r#"{"type":"spanscope:showTrace","json":"[{\"traceId\":\"a\",\"id\":\"1\"}]"}"#);
        assert_eq!(m, Ok(HostMessage::ShowTrace { json: r#"[{"traceId":"a","id":"1"}]"#.into(), name: None }));
    }

    #[test]
    fn show_trace_without_spans_is_explained() {
        for text in [
            r#"{"type":"spanscope:showTrace"}"#,
            r#"{"type":"spanscope:showTrace","spans":[]}"#,
            r#"{"type":"spanscope:showTrace","spans":{"traceId":"a"}}"#,
            r#"{"type":"spanscope:showTrace","json":"  "}"#,
            r#"{"type":"spanscope:showTrace","json":42}"#,
        ] {
            match parse_host_message(text) {
                Err(MessageError::Invalid(why)) => assert!(why.contains("showTrace"), "{why}"),
                other => panic!("{text}: {other:?}"),
            }
        }
    }

    #[test]
    fn select_span_normalises_the_id() {
        assert_eq!(
            parse_host_message(r#"{"type":"spanscope:selectSpan","spanId":"ABC"}"#),
            Ok(HostMessage::SelectSpan { span_id: "0000000000000abc".into() })
        );
        for bad in [r#""""#, r#""xyz""#, r#""0123456789abcdef0""#, "7", "null"] {
            let text = format!(r#"{{"type":"spanscope:selectSpan","spanId":{bad}}}"#);
            assert!(matches!(parse_host_message(&text), Err(MessageError::Invalid(_))), "{text}");
        }
    }

    #[test]
    fn set_theme_takes_the_three_themes() {
        assert_eq!(
            parse_host_message(r#"{"type":"spanscope:setTheme","theme":"dark"}"#),
            Ok(HostMessage::SetTheme { theme: ThemeChoice::Dark })
        );
        assert!(matches!(
            parse_host_message(r#"{"type":"spanscope:setTheme","theme":"pink"}"#),
            Err(MessageError::Invalid(_))
        ));
    }

    #[test]
    fn other_tools_messages_are_not_ours() {
        for text in
            ["", "42", "[]", r#"{"type":"webpackOk"}"#, r#"{"source":"react-devtools"}"#, r#"{"type":7}"#, "not json"]
        {
            assert_eq!(parse_host_message(text), Err(MessageError::NotOurs), "{text}");
        }
        assert_eq!(
            parse_host_message(r#"{"type":"spanscope:explode"}"#),
            Err(MessageError::UnknownType("spanscope:explode".into()))
        );
    }

    #[test]
    fn a_message_posted_as_json_text_is_read() {
        let text = serde_json::to_string(r#"{"type":"spanscope:setTheme","theme":"light"}"#).unwrap();
        assert_eq!(parse_host_message(&text), Ok(HostMessage::SetTheme { theme: ThemeChoice::Light }));
    }

    #[test]
    fn outgoing_messages_have_the_documented_shape() {
        let ready: Value = serde_json::from_str(&ready_message()).unwrap();
        assert_eq!(ready, json!({"type": "spanscope:ready", "version": 1}));
        let selected: Value = serde_json::from_str(&span_selected_message("t1", Some("s1"))).unwrap();
        assert_eq!(selected, json!({"type": "spanscope:spanSelected", "traceId": "t1", "spanId": "s1"}));
        let cleared: Value = serde_json::from_str(&span_selected_message("t1", None)).unwrap();
        assert_eq!(cleared["spanId"], Value::Null);
        let error: Value =
            serde_json::from_str(&error_message(&MessageError::UnknownType("spanscope:x".into()))).unwrap();
        assert_eq!(error["type"], "spanscope:error");
        assert!(error["message"].as_str().unwrap().contains("spanscope:x"));
    }
}
