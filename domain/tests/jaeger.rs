//! Jaeger JSON: every shared fixture decodes to the spans, parents, links, events, typed tags, processes and
//! status it holds; Jaeger's golden OTLP → Jaeger pair agrees through the model (both files give the same
//! spans, and writing the OTLP side gives the Jaeger side); every file shape Jaeger UI opens; round trips;
//! error messages.
use proptest::prelude::*;
use serde_json::{json, Value};
use spanscope_domain::decode::{read_file, FileFormat};
use spanscope_domain::jaeger_json::{decode_jaeger_json, encode_jaeger_json};
use spanscope_domain::otlp_json::decode_otlp_json;
use spanscope_domain::span::{Endpoint, Kind, Span};
use spanscope_domain::span_detail::{
    AnyValue, Attribute, Event, LinkType, SourceFormat, SpanDetail, SpanKind, Status, StatusCode,
};

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../../shared/fixtures/{}", env!("CARGO_MANIFEST_DIR"), path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn detail(span: &Span) -> &SpanDetail {
    span.detail.as_deref().expect("a Jaeger span keeps its detail")
}

fn s(text: &str) -> AnyValue {
    AnyValue::String(text.into())
}

fn attr(key: &str, value: AnyValue) -> Attribute {
    Attribute { key: key.into(), value }
}

fn round_trips(spans: &[Span]) {
    let again = decode_jaeger_json(encode_jaeger_json(spans).as_bytes()).expect("the writer's output reads");
    assert_eq!(again, spans);
}

#[test]
fn jaeger_uis_all_types_trace_keeps_types_references_logs_and_warnings() {
    let file = read_file(&fixture("jaeger/jaeger-ui-json-all-types.json")).unwrap();
    assert_eq!((file.format, file.traces.len()), (FileFormat::JaegerJson, 1));
    let spans = &file.traces[0];
    let shown: Vec<(&str, Option<&str>, &str, Option<&str>)> = spans
        .iter()
        .map(|s| (s.id.as_str(), s.parent_id.as_deref(), s.name.as_deref().unwrap(), s.local_service()))
        .collect();
    assert_eq!(
        shown,
        [
            ("0000000000000002", None, "test-general-conversion", Some("service-x")),
            ("0000000000000002", None, "some-operation", Some("service-x")),
            ("0000000000000003", Some("0000000000000002"), "some-operation", Some("service-y")),
            ("0000000000000004", Some("0000000000000002"), "reference-test", Some("service-y")),
            ("0000000000000005", Some("0000000000000004"), "preserveParentID-test", Some("service-y")),
        ]
    );
    assert!(spans.iter().all(|s| s.trace_id == "0000000000000001" && detail(s).format == Some(SourceFormat::Jaeger)));
    let first = detail(&spans[0]);
    assert_eq!(
        (first.start_time_unix_nano, first.end_time_unix_nano),
        (1_485_467_191_639_875_000, 1_485_467_191_639_880_000)
    );
    // A log's `event` field is the event's name; a log without one is an unnamed event.
    assert_eq!(
        first.events,
        [
            Event { time_unix_nano: 1_485_467_191_639_875_000, name: "some-event".into(), ..Event::default() },
            Event {
                time_unix_nano: 1_485_467_191_639_875_000,
                attributes: vec![attr("x", s("y"))],
                ..Event::default()
            },
        ]
    );
    assert_eq!(
        spans[0].annotations.iter().map(|a| a.value.as_str()).collect::<Vec<_>>(),
        ["some-event", r#"|{"x":"y"}|0"#]
    );

    let typed = &spans[1];
    let d = detail(typed);
    assert_eq!(
        d.attributes,
        [
            attr("peer.service", s("service-y")),
            attr("peer.ipv4", AnyValue::Int(23456)),
            attr("temperature", AnyValue::Double(72.5)),
            // int64 beyond 2^53 comes as a string and is read exactly.
            attr("javascript_limit", AnyValue::Int(9_223_372_036_854_775_222)),
            attr("blob", AnyValue::Bytes(vec![0, 0, 0x30, 0x39])),
        ]
    );
    // error=true is the status (and the Zipkin error tag).
    assert_eq!(d.status.code, StatusCode::Error);
    assert_eq!(typed.tags.get("error").map(String::as_str), Some("true"));
    assert_eq!(typed.remote_service(), Some("service-y"));

    // CHILD_OF another trace, CHILD_OF this trace, FOLLOWS_FROM this trace: the parent is the second, the
    // others are links with their types.
    let references = detail(&spans[3]);
    let links: Vec<(&str, &str, LinkType)> =
        references.links.iter().map(|l| (l.trace_id.as_str(), l.span_id.as_str(), l.link_type)).collect();
    assert_eq!(
        links,
        [
            ("00000000000000ff", "00000000000000ff", LinkType::ChildOf),
            ("0000000000000001", "0000000000000002", LinkType::FollowsFrom),
        ]
    );
    assert_eq!(references.links[1].attributes, [attr("opentracing.ref_type", s("follows_from"))]);
    assert_eq!(references.warnings, ["some span warning"]);
    round_trips(spans);
}

#[test]
fn a_trace_with_ids_that_are_not_hex_keeps_them_and_its_follows_from() {
    let spans = decode_jaeger_json(&fixture("jaeger/jaeger-json-follows-from-error.json")).unwrap();
    assert_eq!(spans.len(), 11);
    assert!(spans.iter().all(|s| s.trace_id == "trace-123"));
    let by_id = |id: &str| spans.iter().find(|s| s.id == id).unwrap();
    // The error tag has type bool but the text "true": still an error.
    let failed = by_id("span-2");
    assert_eq!((detail(failed).status.code, failed.kind), (StatusCode::Error, Some(Kind::Client)));
    assert!(detail(failed).attributes.is_empty());
    // Only a FOLLOWS_FROM reference: it is the parent, and a link too (the Collector keeps it as one).
    let consumer = by_id("span-7");
    assert_eq!((consumer.parent_id.as_deref(), consumer.kind), (Some("span-6"), Some(Kind::Consumer)));
    assert_eq!(detail(consumer).links.len(), 1);
    assert_eq!(
        (detail(consumer).links[0].span_id.as_str(), detail(consumer).links[0].link_type),
        ("span-6", LinkType::FollowsFrom)
    );
    assert_eq!(consumer.local_service(), Some("service2"));
    assert_eq!(
        detail(consumer).resource.attributes,
        [attr("service.name", s("service2")), attr("hostname", s("foobar.org"))]
    );
    assert_eq!(by_id("span-5").parent_id.as_deref(), Some("span-4"));
    assert_eq!(by_id("span-1").parent_id, None);
    let errors = spans.iter().filter(|s| detail(s).status.code == StatusCode::Error).count();
    assert_eq!(errors, 1);
    round_trips(&spans);
}

#[test]
fn jaegers_golden_otlp_to_jaeger_pair_agrees_through_the_model() {
    let from_otlp = decode_otlp_json(&fixture("otlp/otlp2jaeger-in.json")).unwrap();
    let from_jaeger = decode_jaeger_json(&fixture("jaeger/otlp2jaeger-out.json")).unwrap();
    assert_eq!(from_jaeger.len(), 2);
    for (o, j) in from_otlp.iter().zip(&from_jaeger) {
        // The Zipkin view is the same span.
        assert_eq!(Span { detail: None, ..o.clone() }, Span { detail: None, ..j.clone() });
        // The details differ only in what Jaeger JSON cannot hold (the source, the schema URL).
        let mut expected = detail(o).clone();
        expected.format = Some(SourceFormat::Jaeger);
        expected.resource_schema_url.clear();
        assert_eq!(detail(j), &expected);
    }
    assert_eq!(from_jaeger[0].kind, Some(Kind::Server));
    assert_eq!(
        from_jaeger[0].remote_endpoint,
        Some(Endpoint {
            service_name: Some("telemetrygen-client".into()),
            ipv4: Some("1.2.3.4".into()),
            ..Endpoint::default()
        })
    );
    // Writing the OTLP side as Jaeger JSON gives Jaeger's answer.
    let written: Value = serde_json::from_str(&encode_jaeger_json(&from_otlp)).unwrap();
    let golden: Value = serde_json::from_slice(&fixture("jaeger/otlp2jaeger-out.json")).unwrap();
    assert_eq!(written, golden);
}

#[test]
fn every_shape_jaeger_ui_opens_reads_the_same_spans() {
    let trace = json!({
        "traceID": "ABC", "processes": {"p1": {"serviceName": "svc", "tags": [{"key": "ip", "type": "string", "value": "10.0.0.1"}]}},
        "spans": [
            {"traceID": "ABC", "spanID": "1", "operationName": "root", "startTime": 10, "duration": 5, "processID": "p1",
             "tags": [{"key": "span.kind", "type": "string", "value": "server"},
                      {"key": "otel.status_code", "type": "string", "value": "ERROR"},
                      {"key": "otel.status_description", "type": "string", "value": "boom"},
                      {"key": "otel.library.name", "type": "string", "value": "lib"},
                      {"key": "w3c.tracestate", "type": "string", "value": "a=b"}]},
            // An old file: the parent in parentSpanID, the process inline.
            {"traceID": "ABC", "spanID": "2", "parentSpanID": "1", "operationName": "child", "startTime": 11, "duration": 1,
             "process": {"serviceName": "other", "tags": []}, "flags": 1}
        ]
    });
    let expected = decode_jaeger_json(trace.to_string().as_bytes()).unwrap();
    let root = detail(&expected[0]);
    assert_eq!(root.kind, SpanKind::Server);
    assert_eq!(root.status, Status { code: StatusCode::Error, message: "boom".into() });
    assert_eq!((root.scope.name.as_str(), root.trace_state.as_str()), ("lib", "a=b"));
    assert!(root.attributes.is_empty());
    assert_eq!(root.resource.attributes, [attr("service.name", s("svc")), attr("ip", s("10.0.0.1"))]);
    // Upper-case hex is read as lower case.
    assert_eq!(expected[0].trace_id, "abc");
    assert_eq!((expected[1].parent_id.as_deref(), expected[1].local_service()), (Some("1"), Some("other")));
    assert_eq!(detail(&expected[1]).flags, 1);

    let shapes = [
        json!({"data": [trace], "total": 0, "limit": 0, "offset": 0, "errors": null}).to_string(),
        json!({"data": trace}).to_string(),
        json!([trace]).to_string(),
        format!("{}\n", trace),
    ];
    for shape in &shapes {
        let file = read_file(shape.as_bytes()).unwrap();
        assert_eq!(file.format, FileFormat::JaegerJson, "{shape}");
        assert_eq!(file.traces, [expected.clone()], "{shape}");
    }
    // JSON Lines: one trace per line.
    let other =
        json!({"traceID": "def", "spans": [{"spanID": "9", "operationName": "x", "startTime": 1, "duration": 1}]});
    let lines = format!("{trace}\n{other}\n");
    let file = read_file(lines.as_bytes()).unwrap();
    assert_eq!(file.traces.len(), 2);
    // A span without its own traceID takes its trace's; a span without a process has the stand-in service.
    assert_eq!(
        (file.traces[1][0].trace_id.as_str(), file.traces[1][0].local_service()),
        ("def", Some("OTLPResourceNoServiceName"))
    );
}

#[test]
fn a_bad_jaeger_file_says_so_and_where() {
    let err = |bytes: &[u8]| read_file(bytes).unwrap_err().to_string();
    assert_eq!(
        err(b"{\"data\":[{\"traceID\":\"a\",\"spans\":[\n{\"spanID\":1,}]}]}"),
        "read as Jaeger JSON: line 2, column 13: trailing comma"
    );
    assert_eq!(
        err(br#"{"data":[{"traceID":"a","spans":[{"spanID":"1","#),
        "read as Jaeger JSON: line 1, column 47: EOF while parsing a value"
    );
    assert_eq!(
        err(br#"{"data":null,"total":0,"errors":[{"code":404,"msg":"trace not found"}]}"#),
        "read as Jaeger JSON: line 1, column 1: the file is an error answer, not traces: trace not found"
    );
    // A span with no id, or an empty one, cannot be drawn or written back (found by tests/mutated_files.rs).
    assert_eq!(
        err(b"{\"data\":[{\"traceID\":\"a\",\"spans\":[\n{\"operationName\":\"get\"}]}]}"),
        "read as Jaeger JSON: line 2, column 23: missing field `spanID`"
    );
    assert_eq!(
        err(br#"{"data":[{"traceID":"a","spans":[{"spanID":""}]}]}"#),
        "read as Jaeger JSON: line 1, column 46: spanID is null or empty"
    );
    // No trace id on the span nor on its trace.
    assert_eq!(
        err(br#"{"spans":[{"spanID":"b1"}]}"#),
        "read as Jaeger JSON: line 1, column 1: span b1 has no traceID (neither its own nor its trace's)"
    );
}

/// Random Jaeger JSON traces: references of both types to this trace and another, typed tags (with the
/// special keys now and then, and values that do not fit their type), logs with and without `event`, processes.
fn arb_jaeger_trace() -> impl Strategy<Value = Value> {
    let value = prop_oneof![
        "[a-z0-9 ]{0,6}".prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<i64>().prop_map(|i| Value::from(i.to_string())),
        (-1e6..1e6f64).prop_map(Value::from),
        Just(Value::from("AAAwOQ==")),
        Just(Value::Null),
    ];
    let key = prop_oneof![
        3 => "[a-z]{1,5}",
        1 => prop_oneof![
            Just("span.kind".to_string()),
            Just("error".to_string()),
            Just("otel.status_code".to_string()),
            Just("otel.status_description".to_string()),
            Just("otel.scope.name".to_string()),
            Just("otel.library.version".to_string()),
            Just("w3c.tracestate".to_string()),
            Just("event".to_string()),
        ],
    ];
    let value_type =
        prop_oneof![Just("string"), Just("bool"), Just("int64"), Just("float64"), Just("binary"), Just("other")];
    let tag = (key, value_type, value).prop_map(|(key, t, value)| json!({"key": key, "type": t, "value": value}));
    let tags = proptest::collection::vec(tag, 0..5);
    let reference = (any::<bool>(), any::<bool>(), 1..6u8).prop_map(|(child_of, same_trace, span)| {
        json!({"refType": if child_of { "CHILD_OF" } else { "FOLLOWS_FROM" },
               "traceID": if same_trace { "00000000000000aa" } else { "00000000000000bb" },
               "spanID": format!("{span:016x}")})
    });
    let log = (0..1_000_000u64, tags.clone())
        .prop_map(|(timestamp, fields)| json!({"timestamp": timestamp, "fields": fields}));
    let span = (
        1..6u8,
        "[a-z]{0,5}",
        proptest::collection::vec(reference, 0..4),
        (0..u32::MAX as u64, 0..1_000_000_000u64),
        tags.clone(),
        proptest::collection::vec(log, 0..3),
        prop_oneof![Just("p1"), Just("p2")],
        proptest::collection::vec("[a-z ]{1,5}", 0..2),
        0..4u64,
    )
        .prop_map(|(id, name, references, (start, duration), tags, logs, process, warnings, flags)| {
            json!({"traceID": "00000000000000aa", "spanID": format!("{id:016x}"), "operationName": name,
                   "references": references, "startTime": start, "duration": duration, "tags": tags, "logs": logs,
                   "processID": process, "warnings": if warnings.is_empty() { Value::Null } else { json!(warnings) },
                   "flags": flags})
        });
    let process =
        ("[a-z]{0,4}", tags.prop_map(|t| t.into_iter().filter(|t| t["key"] != "service.name").collect::<Vec<_>>()))
            .prop_map(|(service, tags)| json!({"serviceName": service, "tags": tags}));
    (proptest::collection::vec(span, 1..6), process.clone(), process).prop_map(
        |(spans, p1, p2)| json!({"traceID": "00000000000000aa", "spans": spans, "processes": {"p1": p1, "p2": p2}}),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// What was read from Jaeger JSON is written back so that reading it again gives the same spans.
    #[test]
    fn jaeger_spans_survive_writing_and_reading(trace in arb_jaeger_trace()) {
        let spans = decode_jaeger_json(trace.to_string().as_bytes()).unwrap();
        let text = encode_jaeger_json(&spans);
        let again = decode_jaeger_json(text.as_bytes()).unwrap();
        prop_assert_eq!(again, spans, "{}", text);
    }
}
