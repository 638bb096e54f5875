//! Jaeger's answers read into domain values, for both of its APIs (OTEL_JAEGER.md): the legacy API's
//! `{data, errors}` envelope around names, operations, traces (Jaeger JSON) and dependency links, and API
//! v3's `{services}`, `{operations}`, `{result}` (OTLP JSON), `{dependencies}` and `{error}`. Search
//! answers go through the domain's decoders and summarizer, so a result lists what its trace page shows.
//! Pure, so every shape is tested on the host.
use super::answer_shape::first_key;
use serde::Deserialize;
use serde_json::Value;
use spanscope_domain::decode::group_by_trace;
use spanscope_domain::dependency_links::DependencyLink;
use spanscope_domain::jaeger_json::decode_jaeger_json;
use spanscope_domain::otlp_json::decode_otlp_json;
use spanscope_domain::span::Span;
use spanscope_domain::summary::{summarize_owned, TraceSummary};

/// The message of a Jaeger error envelope (`{"errors":[{"code","msg"}]}` or `{"error":{"httpCode","message"}}`),
/// or `None` when `body` is not one.
pub fn error_envelope_message(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    if let Some(Value::Array(errors)) = value.get("errors") {
        let messages: Vec<String> = errors
            .iter()
            .map(|e| e.get("msg").and_then(Value::as_str).map_or_else(|| e.to_string(), str::to_owned))
            .collect();
        return (!messages.is_empty()).then(|| messages.join("; "));
    }
    let error = value.get("error")?;
    match error.get("message").and_then(Value::as_str) {
        Some(message) => Some(message.to_owned()),
        None => error.as_str().map(str::to_owned),
    }
}

/// A legacy answer's `data`, or its errors' messages when it has no data.
fn legacy_data<T: serde::de::DeserializeOwned + Default>(body: &[u8]) -> Result<T, String> {
    #[derive(Deserialize)]
    struct Envelope<T> {
        data: Option<T>,
    }
    let envelope: Envelope<T> = serde_json::from_slice(body).map_err(|e| not_jaeger_json("legacy API", &e))?;
    match envelope.data {
        Some(data) => Ok(data),
        None => match error_envelope_message(body) {
            Some(message) => Err(format!("Jaeger answered with an error: {message}")),
            None => Ok(T::default()),
        },
    }
}

fn not_jaeger_json(api: &str, e: &serde_json::Error) -> String {
    format!("not the JSON Jaeger's {api} sends ({e})")
}

/// An operation as both APIs list it.
#[derive(Deserialize)]
struct Operation {
    name: String,
}

/// Names in order, each once (an operation is listed once per span kind).
fn unique_names(operations: Vec<Operation>) -> Vec<String> {
    let mut names: Vec<String> = Vec::with_capacity(operations.len());
    for op in operations {
        if !names.contains(&op.name) {
            names.push(op.name);
        }
    }
    names
}

/// `GET /api/services` and `/api/services/{service}/operations`: `{data: [name]}`.
pub fn legacy_names(body: &[u8]) -> Result<Vec<String>, String> {
    legacy_data::<Vec<String>>(body)
}

/// `GET /api/operations?service=&spanKind=`: `{data: [{name, spanKind}]}`.
pub fn legacy_operations(body: &[u8]) -> Result<Vec<String>, String> {
    legacy_data::<Vec<Operation>>(body).map(unique_names)
}

/// `GET /api/traces?…`: `{data: [trace]}` (Jaeger JSON), one summary per trace.
pub fn legacy_search(body: &[u8]) -> Result<Vec<TraceSummary>, String> {
    legacy_error(body)?;
    summaries(decode_jaeger_json(body).map_err(|e| e.to_string())?)
}

/// `GET /api/traces/{id}`: `{data: [trace]}`.
pub fn legacy_trace(body: &[u8]) -> Result<Vec<Span>, String> {
    legacy_error(body)?;
    decode_jaeger_json(body).map_err(|e| e.to_string())
}

/// A dependency link as both APIs write it; v3's `callCount` is a proto3 JSON uint64, so a string.
#[derive(Deserialize)]
struct WireLink {
    parent: String,
    child: String,
    #[serde(rename = "callCount", default)]
    call_count: Value,
}

impl WireLink {
    fn into_link(self) -> DependencyLink {
        let call_count = match &self.call_count {
            Value::Number(n) => n.as_u64().unwrap_or(0),
            Value::String(s) => s.trim().parse().unwrap_or(0),
            _ => 0,
        };
        DependencyLink { parent: self.parent, child: self.child, call_count, error_count: 0 }
    }
}

/// `GET /api/dependencies?endTs=&lookback=`: `{data: [{parent, child, callCount}]}`.
pub fn legacy_dependencies(body: &[u8]) -> Result<Vec<DependencyLink>, String> {
    legacy_data::<Vec<WireLink>>(body).map(|links| links.into_iter().map(WireLink::into_link).collect())
}

/// `GET /api/v3/services`: `{services: [name]}` (an empty list may be left out: `{}`).
pub fn v3_services(body: &[u8]) -> Result<Vec<String>, String> {
    #[derive(Deserialize)]
    struct Services {
        #[serde(default)]
        services: Option<Vec<String>>,
    }
    v3_parse::<Services>(body).map(|s| s.services.unwrap_or_default())
}

/// `GET /api/v3/operations?service=&span_kind=`: `{operations: [{name, spanKind}]}`.
pub fn v3_operations(body: &[u8]) -> Result<Vec<String>, String> {
    #[derive(Deserialize)]
    struct Operations {
        #[serde(default)]
        operations: Option<Vec<Operation>>,
    }
    v3_parse::<Operations>(body).map(|o| unique_names(o.operations.unwrap_or_default()))
}

/// `GET /api/v3/traces?…`: every matching trace merged into one `{result: {resourceSpans}}`, regrouped
/// into one summary per trace.
pub fn v3_search(body: &[u8]) -> Result<Vec<TraceSummary>, String> {
    summaries(v3_trace(body)?)
}

/// `GET /api/v3/traces/{id}`: `{result: {resourceSpans}}`.
pub fn v3_trace(body: &[u8]) -> Result<Vec<Span>, String> {
    if let Some(message) = v3_error(body) {
        return Err(format!("Jaeger answered with an error: {message}"));
    }
    decode_otlp_json(body).map_err(|e| e.to_string())
}

/// `GET /api/v3/dependencies?start_time=&end_time=` (Jaeger after v2.20): `{dependencies: [{parent, child, callCount}]}`.
pub fn v3_dependencies(body: &[u8]) -> Result<Vec<DependencyLink>, String> {
    #[derive(Deserialize)]
    struct Dependencies {
        #[serde(default)]
        dependencies: Option<Vec<WireLink>>,
    }
    v3_parse::<Dependencies>(body)
        .map(|d| d.dependencies.unwrap_or_default().into_iter().map(WireLink::into_link).collect())
}

/// The message of an API v3 `{"error": …}` answer (told by its first key, so a trace is not parsed twice).
fn v3_error(body: &[u8]) -> Option<String> {
    (first_key(body) == Some("error")).then(|| error_envelope_message(body)).flatten()
}

/// A legacy answer that is an error envelope (`data` null, `errors` set); traces are not parsed twice:
/// an error answer is small.
fn legacy_error(body: &[u8]) -> Result<(), String> {
    const ERROR_ANSWERS_ARE_SMALLER: usize = 64 * 1024;
    if body.len() <= ERROR_ANSWERS_ARE_SMALLER {
        legacy_data::<Value>(body)?;
    }
    Ok(())
}

fn v3_parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    if let Some(message) = v3_error(body) {
        return Err(format!("Jaeger answered with an error: {message}"));
    }
    serde_json::from_slice(body).map_err(|e| not_jaeger_json("API v3", &e))
}

/// One summary per trace of `spans`, in order of first appearance.
fn summaries(spans: Vec<Span>) -> Result<Vec<TraceSummary>, String> {
    Ok(group_by_trace(spans).into_iter().map(summarize_owned).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> Vec<u8> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures");
        std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    /// A Jaeger JSON trace `id` of `spans` (operation, span id, parent) in service `svc`.
    fn jaeger_trace(id: &str, svc: &str, spans: &[(&str, &str, Option<&str>)]) -> String {
        let spans: Vec<String> = spans
            .iter()
            .enumerate()
            .map(|(i, (op, span, parent))| {
                let refs = parent
                    .map_or(String::new(), |p| format!(r#"{{"refType":"CHILD_OF","traceID":"{id}","spanID":"{p}"}}"#));
                format!(
                    r#"{{"traceID":"{id}","spanID":"{span}","operationName":"{op}","references":[{refs}],
                        "startTime":{},"duration":{},"tags":[],"logs":[],"processID":"p1"}}"#,
                    1_700_000_000_000_000u64 + i as u64 * 10,
                    1000 - i as u64 * 100
                )
            })
            .collect();
        format!(
            r#"{{"traceID":"{id}","spans":[{}],"processes":{{"p1":{{"serviceName":"{svc}","tags":[]}}}}}}"#,
            spans.join(",")
        )
    }

    #[test]
    fn legacy_names_and_operations() {
        assert_eq!(
            legacy_names(br#"{"data":["b","a"],"total":2,"limit":0,"offset":0,"errors":null}"#),
            Ok(vec!["b".into(), "a".into()])
        );
        assert_eq!(legacy_names(br#"{"data":null,"total":0}"#), Ok(vec![]));
        let ops = br#"{"data":[{"name":"GET /","spanKind":"server"},{"name":"db","spanKind":"client"},{"name":"GET /","spanKind":"client"}]}"#;
        assert_eq!(legacy_operations(ops), Ok(vec!["GET /".into(), "db".into()]));
        assert_eq!(
            legacy_names(br#"{"data":null,"errors":[{"code":500,"msg":"storage down"}]}"#),
            Err("Jaeger answered with an error: storage down".into())
        );
        assert!(legacy_names(b"[\"zipkin\"]").unwrap_err().starts_with("not the JSON Jaeger's legacy API sends"));
    }

    #[test]
    fn a_legacy_search_gives_one_summary_per_trace_from_the_summarizer() {
        let body = format!(
            r#"{{"data":[{},{}],"total":2,"limit":0,"offset":0,"errors":null}}"#,
            jaeger_trace("00000000000000aa", "frontend", &[("GET /", "01", None), ("db", "02", Some("01"))]),
            jaeger_trace("00000000000000bb", "worker", &[("job", "03", None)])
        );
        let found = legacy_search(body.as_bytes()).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0], summarize_owned(decode_jaeger_json(body.as_bytes()).unwrap()[..2].to_vec()));
        assert_eq!(found[0].trace_id, "00000000000000aa");
        assert_eq!(found[1].trace_id, "00000000000000bb");
        assert_eq!(legacy_search(br#"{"data":[],"total":0,"limit":0,"offset":0,"errors":null}"#), Ok(vec![]));
    }

    #[test]
    fn a_legacy_trace_and_its_not_found_answer() {
        let body = fixture("jaeger/jaeger-ui-json-all-types.json");
        let spans = legacy_trace(&body).unwrap();
        assert_eq!(spans, decode_jaeger_json(&body).unwrap());
        assert!(!spans.is_empty());
        assert_eq!(
            legacy_trace(
                br#"{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]}"#
            ),
            Err("Jaeger answered with an error: trace not found".into())
        );
    }

    #[test]
    fn dependencies_of_both_apis() {
        let legacy = br#"{"data":[{"parent":"a","child":"b","callCount":3}],"total":1}"#;
        let link = DependencyLink { parent: "a".into(), child: "b".into(), call_count: 3, error_count: 0 };
        assert_eq!(legacy_dependencies(legacy), Ok(vec![link.clone()]));
        let v3 = br#"{"dependencies":[{"parent":"a","child":"b","callCount":"3","source":"traces"}]}"#;
        assert_eq!(v3_dependencies(v3), Ok(vec![link]));
        assert_eq!(v3_dependencies(b"{}"), Ok(vec![]));
    }

    #[test]
    fn v3_names_and_operations() {
        assert_eq!(v3_services(br#"{"services":["frontend","redis"]}"#), Ok(vec!["frontend".into(), "redis".into()]));
        assert_eq!(v3_services(b"{}"), Ok(vec![]));
        let ops =
            br#"{"operations":[{"name":"HTTP GET","spanKind":"server"},{"name":"HTTP GET","spanKind":"client"}]}"#;
        assert_eq!(v3_operations(ops), Ok(vec!["HTTP GET".into()]));
        assert_eq!(
            v3_services(br#"{"error":{"httpCode":500,"message":"storage down"}}"#),
            Err("Jaeger answered with an error: storage down".into())
        );
    }

    #[test]
    fn a_v3_search_regroups_the_merged_answer_into_traces() {
        // Jaeger's own multi-service OTLP trace, and the OTLP specification's example, in one result.
        let first = fixture("otlp/otlp-jaeger-multi-service.json");
        let second = fixture("otlp/otlp-proto-example-trace.json");
        let merged = |a: &[u8], b: &[u8]| {
            let a: Value = serde_json::from_slice(a).unwrap();
            let b: Value = serde_json::from_slice(b).unwrap();
            let mut spans = a["resourceSpans"].as_array().unwrap().clone();
            spans.extend(b["resourceSpans"].as_array().unwrap().iter().cloned());
            serde_json::to_vec(&serde_json::json!({"result": {"resourceSpans": spans}})).unwrap()
        };
        let body = merged(&first, &second);
        let found = v3_search(&body).unwrap();
        let expected: Vec<TraceSummary> =
            group_by_trace(decode_otlp_json(&body).unwrap()).into_iter().map(summarize_owned).collect();
        assert_eq!(found, expected);
        assert_eq!(found.len(), 2);
        assert_ne!(found[0].trace_id, found[1].trace_id);
        assert_eq!(v3_trace(&first), decode_otlp_json(&first).map_err(|e| e.to_string()));
        assert_eq!(
            v3_trace(br#"{"error":{"httpCode":404,"message":"trace not found"}}"#),
            Err("Jaeger answered with an error: trace not found".into())
        );
    }

    #[test]
    fn error_envelopes_of_both_apis() {
        assert_eq!(
            error_envelope_message(br#"{"data":null,"errors":[{"code":400,"msg":"parameter 'service' is required"}]}"#),
            Some("parameter 'service' is required".into())
        );
        assert_eq!(
            error_envelope_message(
                br#"{"error":{"httpCode":400,"message":"malformed parameter query.start_time_min"}}"#
            ),
            Some("malformed parameter query.start_time_min".into())
        );
        assert_eq!(error_envelope_message(b"plain text"), None);
        assert_eq!(error_envelope_message(br#"{"data":[]}"#), None);
    }
}
