//! OTLP JSON: every shared fixture decodes to the spans, links, events, typed attributes, resource, scope and
//! status it holds; hand-made files cover what the fixtures lack (arrays, key-value lists, bytes, exceptions,
//! error status, dropped counts, INTERNAL, old and tolerant spellings); the OpenTelemetry Collector's Zipkin
//! translation cases (`pkg/translator/zipkin/zipkinv2`, named where their intent is ported); round trips;
//! and the error messages a bad file gets.
use proptest::prelude::*;
use spanscope_domain::decode::{decode_trace, read_file, FileFormat};
use spanscope_domain::otel_translate::{otlp_detail, zipkin_span};
use spanscope_domain::otlp_json::{decode_otlp_json, encode_otlp_json};
use spanscope_domain::span::{Annotation, Endpoint, Kind, Span};
use spanscope_domain::span_detail::{
    AnyValue, Attribute, Event, Link, LinkType, Resource, Scope, SourceFormat, SpanDetail, SpanKind, Status, StatusCode,
};

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../../shared/fixtures/{}", env!("CARGO_MANIFEST_DIR"), path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn detail(span: &Span) -> &SpanDetail {
    span.detail.as_deref().expect("an OTLP span keeps its detail")
}

fn s(text: &str) -> AnyValue {
    AnyValue::String(text.into())
}

fn attr(key: &str, value: AnyValue) -> Attribute {
    Attribute { key: key.into(), value }
}

fn tags(span: &Span) -> Vec<String> {
    span.tags.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

/// Decoding, then writing and decoding again, gives the same spans (the fixtures' own round trip).
fn round_trips(spans: &[Span]) {
    let again = decode_otlp_json(encode_otlp_json(spans).as_bytes()).expect("the writer's output reads");
    assert_eq!(again, spans);
}

#[test]
fn the_specifications_example_is_one_server_span_with_scope_and_resource() {
    let file = read_file(&fixture("otlp/otlp-proto-example-trace.json")).unwrap();
    assert_eq!(file.format, FileFormat::OtlpJson);
    let span = &file.traces[0][0];
    // Upper-case hex ids are read as lower case.
    assert_eq!(span.trace_id, "5b8efff798038103d269b633813fc60c");
    assert_eq!((span.id.as_str(), span.parent_id.as_deref()), ("eee19b7ec3c1b174", Some("eee19b7ec3c1b173")));
    assert_eq!((span.name.as_deref(), span.kind), (Some("I'm a server span"), Some(Kind::Server)));
    assert_eq!((span.timestamp, span.duration), (Some(1_544_712_660_000_000), Some(1_000_000)));
    assert_eq!(span.local_service(), Some("my.service"));
    assert_eq!(
        tags(span),
        [
            "my.scope.attribute=some scope attribute",
            "my.span.attr=some value",
            "otel.scope.name=my.library",
            "otel.scope.version=1.0.0"
        ]
    );
    let d = detail(span);
    assert_eq!(d.format, Some(SourceFormat::Otlp));
    assert_eq!(d.kind, SpanKind::Server);
    assert_eq!((d.start_time_unix_nano, d.end_time_unix_nano), (1_544_712_660_000_000_000, 1_544_712_661_000_000_000));
    assert_eq!(d.attributes, [attr("my.span.attr", s("some value"))]);
    assert_eq!(d.resource.attributes, [attr("service.name", s("my.service"))]);
    assert_eq!(
        d.scope,
        Scope {
            name: "my.library".into(),
            version: "1.0.0".into(),
            attributes: vec![attr("my.scope.attribute", s("some scope attribute"))],
            dropped_attributes_count: 0,
        }
    );
    assert_eq!(d.status, Status::default());
    round_trips(&file.traces[0]);
}

#[test]
fn jaegers_link_fixture_keeps_every_link_with_typed_attributes() {
    let spans = decode_otlp_json(&fixture("otlp/otlp-jaeger-link-attributes.json")).unwrap();
    assert_eq!(spans.len(), 1);
    let span = &spans[0];
    // A 32-digit trace id with a zero high half is written as 16, as zipkin-go writes it.
    assert_eq!((span.trace_id.as_str(), span.id.as_str()), ("0000000000000226", "0000000000000004"));
    assert_eq!(span.local_service(), Some("query25-service"));
    assert_eq!(span.duration, Some(2));
    let d = detail(span);
    assert_eq!(d.attributes, [attr("sameplacespanattribute1", s("sameplacevalue"))]);
    let links: Vec<(&str, &str, LinkType)> =
        d.links.iter().map(|l| (l.trace_id.as_str(), l.span_id.as_str(), l.link_type)).collect();
    assert_eq!(
        links,
        [
            ("000000000000000000000000000000ff", "00000000000000ff", LinkType::ChildOf),
            ("00000000000000000000000000000001", "0000000000000002", LinkType::ChildOf),
            ("00000000000000000000000000000001", "0000000000000002", LinkType::FollowsFrom),
        ]
    );
    assert_eq!(
        d.links[0].attributes,
        [
            attr("opentracing.ref_type", s("child_of")),
            attr("sameplacelinkattribute1", s("sameplacevalue")),
            attr("sameplacelinkattribute2", AnyValue::Int(123)),
            attr("sameplacelinkattribute4", AnyValue::Bool(true)),
            attr("sameplacelinkattribute3", AnyValue::Double(72.5)),
            attr("linkblob", AnyValue::Bytes(vec![0, 0, 0x30, 0x39])),
        ]
    );
    // The Collector's otlp.link.N tags: traceId|spanId|traceState|{attributes, keys sorted}|dropped.
    assert_eq!(
        span.tags.get("otlp.link.0").map(String::as_str),
        Some(
            r#"000000000000000000000000000000ff|00000000000000ff||{"linkblob":"AAAwOQ==","opentracing.ref_type":"child_of","sameplacelinkattribute1":"sameplacevalue","sameplacelinkattribute2":123,"sameplacelinkattribute3":72.5,"sameplacelinkattribute4":true}|0"#
        )
    );
    assert_eq!(
        span.tags.get("otlp.link.2").map(String::as_str),
        Some(r#"00000000000000000000000000000001|0000000000000002||{"opentracing.ref_type":"follows_from"}|0"#)
    );
    round_trips(&spans);
}

/// A trace that went OTLP -> Zipkin (the devserver's or a Collector's Zipkin API) shows its links and events
/// again: `decode_trace` reads the Collector's translation back, as the trace page does; a plain Zipkin span
/// stays without detail.
#[test]
fn a_zipkin_answer_of_an_otlp_trace_gets_its_links_and_events_back() {
    let spans = decode_otlp_json(&fixture("otlp/otlp-jaeger-link-attributes.json")).unwrap();
    let answer = serde_json::to_vec(&spans).unwrap();
    let back = decode_trace(&answer).unwrap();
    let d = detail(&back[0]);
    let links: Vec<(&str, &str, LinkType)> =
        d.links.iter().map(|l| (l.trace_id.as_str(), l.span_id.as_str(), l.link_type)).collect();
    assert_eq!(
        links,
        [
            ("000000000000000000000000000000ff", "00000000000000ff", LinkType::ChildOf),
            ("00000000000000000000000000000001", "0000000000000002", LinkType::ChildOf),
            ("00000000000000000000000000000001", "0000000000000002", LinkType::FollowsFrom),
        ]
    );
    // The Collector's JSON keeps numbers and booleans; bytes arrive as their base64 text.
    assert!(d.links[0].attributes.contains(&attr("sameplacelinkattribute2", AnyValue::Int(123))));
    assert!(d.links[0].attributes.contains(&attr("sameplacelinkattribute4", AnyValue::Bool(true))));
    assert!(d.links[0].attributes.contains(&attr("linkblob", s("AAAwOQ=="))));

    let event = br#"[{"traceId":"a1","id":"b1","name":"get","timestamp":10,"duration":5,
        "localEndpoint":{"serviceName":"shop"},"tags":{"otel.status_code":"STATUS_CODE_ERROR","error":"true"},
        "annotations":[{"timestamp":12,"value":"exception|{\"exception.type\":\"KeyError\",\"n\":2}|0"}]},
      {"traceId":"a1","id":"b2","parentId":"b1","name":"plain","timestamp":11,"duration":1,
        "annotations":[{"timestamp":11,"value":"cache miss | retry"}],"tags":{"http.path":"/a|b"}}]"#;
    let back = decode_trace(event).unwrap();
    let d = detail(&back[0]);
    assert_eq!(d.status.code, StatusCode::Error);
    assert_eq!(d.events[0].name, "exception");
    assert_eq!(d.events[0].attributes, [attr("exception.type", s("KeyError")), attr("n", AnyValue::Int(2))]);
    assert_eq!(back[1].detail, None, "a span without the Collector's marks stays a Zipkin span");
    // read_file does the same for a Zipkin file.
    assert_eq!(read_file(event).unwrap().traces[0], back);
}

#[test]
fn jaegers_multi_service_fixture_has_five_resources_and_unnamed_events() {
    let file = read_file(&fixture("otlp/otlp-jaeger-multi-service.json")).unwrap();
    assert_eq!(file.traces.len(), 1);
    let spans = &file.traces[0];
    let shown: Vec<(&str, &str, Option<&str>, Option<Kind>)> =
        spans.iter().map(|s| (s.id.as_str(), s.name.as_deref().unwrap(), s.local_service(), s.kind)).collect();
    assert_eq!(
        shown,
        [
            ("0000000000000004", "example-operation-2", Some("example-service-2"), None),
            ("0000000000000005", "example-operation-1", Some("example-service-3"), None),
            ("0000000000000003", "example-operation-1", Some("example-service-1"), None),
            ("0000000000000006", "example-operation-3", Some("example-service-1"), Some(Kind::Server)),
            ("0000000000000007", "example-operation-4", Some("example-service-1"), Some(Kind::Client)),
        ]
    );
    for span in spans {
        assert_eq!(span.trace_id, "0000000000000011");
        assert_eq!(span.parent_id, None);
        assert_eq!((span.timestamp, span.duration), (Some(1_485_449_191_639_875), Some(100)));
        let events = &detail(span).events;
        assert_eq!(events.len(), 2);
        assert!(events.iter().all(|e| e.name.is_empty() && e.time_unix_nano == 1_485_449_191_639_875_000));
        // An event with no name nor attributes is an annotation with an empty value, as the Collector writes.
        assert_eq!(span.annotations, vec![Annotation { timestamp: 1_485_449_191_639_875, value: String::new() }; 2]);
    }
    round_trips(spans);
}

#[test]
fn the_file_exporters_json_lines_are_one_trace_of_internal_spans_in_two_scopes() {
    let file = read_file(&fixture("otlp/otlp-multi.jsonl")).unwrap();
    assert_eq!(file.format, FileFormat::OtlpJsonLines);
    assert_eq!(file.traces.len(), 1);
    let spans = &file.traces[0];
    let shown: Vec<(&str, Option<&str>, &str, &str)> = spans
        .iter()
        .map(|s| (s.id.as_str(), s.parent_id.as_deref(), s.name.as_deref().unwrap(), detail(s).scope.name.as_str()))
        .collect();
    assert_eq!(
        shown,
        [
            ("26f5ef9dbb885479", Some("49b8e9efa1e8a3b1"), "ohboy.do", "ohboy"),
            ("e76628f4e6dde174", Some("49b8e9efa1e8a3b1"), "ohboy.do", "ohboy"),
            ("49b8e9efa1e8a3b1", Some("eff3153be6b1fb93"), "info", "widgets"),
            // An empty parentSpanId is no parent.
            ("eff3153be6b1fb93", None, "main", "widgets"),
        ]
    );
    let main = &spans[3];
    // INTERNAL: no Zipkin kind, and the Collector's span.kind=internal tag.
    assert_eq!((main.kind, detail(main).kind), (None, SpanKind::Internal));
    assert_eq!(
        tags(main),
        [
            "otel.scope.name=widgets",
            "otel.scope.version=1.2.3",
            "span.kind=internal",
            "telemetry.sdk.language=nodejs",
            "telemetry.sdk.name=opentelemetry",
            "telemetry.sdk.version=1.22.0",
        ]
    );
    // 1711138246940000000 to 1711138247116321958 ns: 176,321.958 µs, rounded.
    assert_eq!((main.timestamp, main.duration), (Some(1_711_138_246_940_000), Some(176_322)));
    assert_eq!(detail(main).resource.attributes.len(), 4);
}

#[test]
fn jaegers_transform_input_keeps_its_duplicate_span_and_names_the_peer() {
    let spans = decode_otlp_json(&fixture("otlp/otlp2jaeger-in.json")).unwrap();
    assert_eq!(spans.len(), 2);
    assert_eq!(spans[0], spans[1]);
    let span = &spans[0];
    // peer.service and net.peer.ip move into the remote endpoint (the Collector drops them as tags).
    assert_eq!(
        span.remote_endpoint,
        Some(Endpoint {
            service_name: Some("telemetrygen-client".into()),
            ipv4: Some("1.2.3.4".into()),
            ..Endpoint::default()
        })
    );
    assert_eq!(tags(span), ["otel.scope.name=telemetrygen"]);
    let d = detail(span);
    assert_eq!(d.resource_schema_url, "https://opentelemetry.io/schemas/1.4.0");
    assert_eq!(d.attributes, [attr("net.peer.ip", s("1.2.3.4")), attr("peer.service", s("telemetrygen-client"))]);
    round_trips(&spans);
}

/// A hand-made file with what the fixtures lack.
const EVERYTHING: &str = r#"{"resourceSpans":[{
  "resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}},
                            {"key":"host.name","value":{"stringValue":"node-7"}}],"droppedAttributesCount":1},
  "scopeSpans":[{"scope":{"name":"io.opentelemetry.http","version":"2.1"},"schemaUrl":"https://s/1.21",
    "spans":[{
      "traceId":"0af7651916cd43dd8448eb211c80319c","spanId":"b7ad6b7169203331","parentSpanId":"00f067aa0ba902b7",
      "traceState":"rojo=00f067aa0ba902b7","flags":257,"name":"POST /pay","kind":3,
      "startTimeUnixNano":"1700000000000000000","endTimeUnixNano":"1700000000250000000",
      "attributes":[
        {"key":"http.request.method","value":{"stringValue":"POST"}},
        {"key":"retries","value":{"intValue":"3"}},
        {"key":"ratio","value":{"doubleValue":0.25}},
        {"key":"cached","value":{"boolValue":false}},
        {"key":"payload","value":{"bytesValue":"3q2+7w=="}},
        {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"intValue":"2"}]}}},
        {"key":"limits","value":{"kvlistValue":{"values":[{"key":"max","value":{"intValue":"10"}},
                                                        {"key":"nested","value":{"arrayValue":{"values":[{"boolValue":true}]}}}]}}},
        {"key":"server.address","value":{"stringValue":"payments.internal"}},
        {"key":"network.peer.address","value":{"stringValue":"10.1.2.3"}},
        {"key":"network.peer.port","value":{"intValue":8443}}],
      "droppedAttributesCount":2,
      "events":[
        {"timeUnixNano":"1700000000100000000","name":"retry"},
        {"timeUnixNano":"1700000000200000000","name":"exception","attributes":[
          {"key":"exception.type","value":{"stringValue":"java.net.SocketTimeoutException"}},
          {"key":"exception.message","value":{"stringValue":"Read timed out"}},
          {"key":"exception.stacktrace","value":{"stringValue":"java.net.SocketTimeoutException: Read timed out\n\tat Pay.call(Pay.java:42)"}}],
         "droppedAttributesCount":1}],
      "droppedEventsCount":4,
      "links":[{"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7","traceState":"k=v",
                "attributes":[{"key":"messaging.batch","value":{"intValue":"1"}}],"droppedAttributesCount":3,"flags":1}],
      "droppedLinksCount":5,
      "status":{"code":2,"message":"upstream timed out"}}]}]}]}"#;

#[test]
fn a_hand_made_client_span_keeps_every_type_and_count() {
    let spans = decode_otlp_json(EVERYTHING.as_bytes()).unwrap();
    let span = &spans[0];
    let d = detail(span);
    assert_eq!(d.kind, SpanKind::Client);
    assert_eq!(d.status, Status { code: StatusCode::Error, message: "upstream timed out".into() });
    assert_eq!((d.dropped_attributes_count, d.dropped_events_count, d.dropped_links_count), (2, 4, 5));
    assert_eq!(
        (d.flags, d.trace_state.as_str(), d.scope_schema_url.as_str()),
        (257, "rojo=00f067aa0ba902b7", "https://s/1.21")
    );
    assert_eq!(d.resource.dropped_attributes_count, 1);
    let types: Vec<(&str, &str)> = d.attributes.iter().map(|a| (a.key.as_str(), a.value.type_name())).collect();
    assert_eq!(
        types,
        [
            ("http.request.method", "string"),
            ("retries", "int"),
            ("ratio", "double"),
            ("cached", "bool"),
            ("payload", "bytes"),
            ("tags", "array"),
            ("limits", "kvlist"),
            ("server.address", "string"),
            ("network.peer.address", "string"),
            ("network.peer.port", "int"),
        ]
    );
    assert_eq!(d.attributes[4].value, AnyValue::Bytes(vec![0xde, 0xad, 0xbe, 0xef]));
    assert_eq!(d.attributes[5].value, AnyValue::Array(vec![s("a"), AnyValue::Int(2)]));
    assert_eq!(
        d.attributes[6].value,
        AnyValue::KeyValueList(vec![
            attr("max", AnyValue::Int(10)),
            attr("nested", AnyValue::Array(vec![AnyValue::Bool(true)])),
        ])
    );
    let exception = &d.events[1];
    assert_eq!((exception.name.as_str(), exception.dropped_attributes_count), ("exception", 1));
    assert_eq!(
        exception.attributes[2].value,
        s("java.net.SocketTimeoutException: Read timed out\n\tat Pay.call(Pay.java:42)")
    );
    assert_eq!(
        d.links,
        [Link {
            trace_id: "4bf92f3577b34da6a3ce929d0e0e4736".into(),
            span_id: "00f067aa0ba902b7".into(),
            trace_state: "k=v".into(),
            attributes: vec![attr("messaging.batch", AnyValue::Int(1))],
            dropped_attributes_count: 3,
            flags: 1,
            link_type: LinkType::Link,
        }]
    );

    // The Zipkin view, as the Collector's translator writes it.
    assert_eq!(span.kind, Some(Kind::Client));
    assert_eq!((span.timestamp, span.duration), (Some(1_700_000_000_000_000), Some(250_000)));
    // No peer service: a client's remote endpoint is named after server.address (the specification's rule),
    // its address and port from network.peer.*.
    assert_eq!(
        span.remote_endpoint,
        Some(Endpoint {
            service_name: Some("payments.internal".into()),
            ipv4: Some("10.1.2.3".into()),
            port: Some(8443),
            ..Endpoint::default()
        })
    );
    assert_eq!(
        tags(span),
        [
            "cached=false",
            "error=true",
            "host.name=node-7",
            "http.request.method=POST",
            r#"limits={"max":10,"nested":[true]}"#,
            "otel.scope.name=io.opentelemetry.http",
            "otel.scope.version=2.1",
            "otel.status_code=STATUS_CODE_ERROR",
            "otel.status_description=upstream timed out",
            r#"otlp.link.0=4bf92f3577b34da6a3ce929d0e0e4736|00f067aa0ba902b7|k=v|{"messaging.batch":1}|3"#,
            "payload=3q2+7w==",
            "ratio=0.25",
            "retries=3",
            "server.address=payments.internal",
            r#"tags=["a",2]"#,
            "w3c.tracestate=rojo=00f067aa0ba902b7",
        ]
    );
    assert_eq!(span.annotations[0], Annotation { timestamp: 1_700_000_000_100_000, value: "retry".into() });
    assert_eq!(
        span.annotations[1].value,
        r#"exception|{"exception.message":"Read timed out","exception.stacktrace":"java.net.SocketTimeoutException: Read timed out\n\tat Pay.call(Pay.java:42)","exception.type":"java.net.SocketTimeoutException"}|1"#
    );
    round_trips(&spans);
}

#[test]
fn old_and_tolerant_spellings_read_the_same() {
    // instrumentationLibrarySpans (before 2022), snake_case keys, enum names, numbers for int64, base64 ids.
    let old = br#"{"resource_spans":[{"resource":{"attributes":[{"key":"service.name","value":{"string_value":"svc"}}]},
      "instrumentationLibrarySpans":[{"instrumentationLibrary":{"name":"lib","version":"0.1"},
        "spans":[{"trace_id":"CvdlGRbNQ92ESOshHIAxnA==","span_id":"t61rcWkgMzE=","name":"op","kind":"SPAN_KIND_CONSUMER",
                  "start_time_unix_nano":1700000000000000000,"end_time_unix_nano":"1700000000000001000",
                  "attributes":[{"key":"n","value":{"int_value":5}}],"status":{"code":"STATUS_CODE_OK"}}]}]}]}"#;
    let span = &decode_otlp_json(old).unwrap()[0];
    assert_eq!((span.trace_id.as_str(), span.id.as_str()), ("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"));
    assert_eq!((span.kind, span.duration), (Some(Kind::Consumer), Some(1)));
    let d = detail(span);
    assert_eq!((d.scope.name.as_str(), d.scope.version.as_str()), ("lib", "0.1"));
    assert_eq!(d.status.code, StatusCode::Ok);
    assert_eq!(d.attributes, [attr("n", AnyValue::Int(5))]);
    assert_eq!(span.tags.get("otel.status_code").map(String::as_str), Some("STATUS_CODE_OK"));
    assert_eq!(span.local_service(), Some("svc"));

    // Jaeger v3's answer wraps the TracesData in `result`.
    let wrapped = format!(r#"{{"result":{EVERYTHING}}}"#);
    assert_eq!(decode_otlp_json(wrapped.as_bytes()).unwrap(), decode_otlp_json(EVERYTHING.as_bytes()).unwrap());
    let file = read_file(wrapped.as_bytes()).unwrap();
    assert_eq!((file.format, file.traces.len()), (FileFormat::OtlpJson, 1));
    // ... and its error answer is said as such.
    let err = read_file(br#"{"error":{"httpCode":404,"message":"trace not found"}}"#).unwrap_err();
    assert_eq!(
        err.to_string(),
        "read as OTLP JSON: line 1, column 1: the file is an error answer, not traces: trace not found"
    );
    // An empty TracesData is no trace, not an error.
    assert_eq!(read_file(b"{}").unwrap().traces, Vec::<Vec<Span>>::new());
}

/// Grafana's "Download traces" (Tempo's data source, `transformToOTLP`): `batches` of `instrumentationLibrarySpans`,
/// times as milliseconds times 1e6 (floats when the millisecond has a fraction), an integer kind and status,
/// zero-padded trace ids; Tempo's own `/api/traces/{id}` says `batches` too, and `/api/v2/traces/{id}` wraps
/// a TracesData in `trace`.
#[test]
fn grafana_and_tempo_answers_read_as_otlp() {
    let grafana = br#"{"batches":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}}],
      "droppedAttributesCount":0},"instrumentationLibrarySpans":[{"instrumentationLibrary":{"name":"io.opentelemetry","version":""},
      "spans":[{"traceId":"0000000000000000a1b2c3d4e5f60718","spanId":"1a2b3c4d5e6f7081","parentSpanId":"","traceState":"",
        "name":"GET /cart","kind":2,"startTimeUnixNano":1700000000123456800.0,"endTimeUnixNano":1700000000173456800,
        "attributes":[{"key":"http.status_code","value":{"intValue":500}},{"key":"cache","value":{"boolValue":false}}],
        "droppedAttributesCount":0,"droppedEventsCount":0,"droppedLinksCount":0,"status":{"code":2,"message":"boom"},
        "events":[{"timeUnixNano":1700000000150000000,"attributes":[{"key":"exception.type","value":{"stringValue":"E"}}],
          "droppedAttributesCount":0,"name":"exception"}],
        "links":[{"traceId":"0000000000000000ffffffffffffffff","spanId":"0000000000000001","attributes":[],"droppedAttributesCount":0}]}]}]}]}"#;
    let file = read_file(grafana).unwrap();
    assert_eq!((file.format, file.traces.len()), (FileFormat::OtlpJson, 1));
    let span = &file.traces[0][0];
    assert_eq!((span.trace_id.as_str(), span.id.as_str()), ("a1b2c3d4e5f60718", "1a2b3c4d5e6f7081"));
    assert_eq!((span.name.as_deref(), span.kind, span.duration), (Some("GET /cart"), Some(Kind::Server), Some(50_000)));
    assert_eq!(span.local_service(), Some("shop"));
    let d = detail(span);
    assert_eq!((d.status.code, d.status.message.as_str()), (StatusCode::Error, "boom"));
    assert_eq!(d.attributes, [attr("http.status_code", AnyValue::Int(500)), attr("cache", AnyValue::Bool(false))]);
    assert_eq!(d.scope.name, "io.opentelemetry");
    assert_eq!((d.events[0].name.as_str(), d.events[0].time_unix_nano), ("exception", 1_700_000_000_150_000_000));
    assert_eq!(
        (d.links[0].trace_id.as_str(), d.links[0].span_id.as_str()),
        ("0000000000000000ffffffffffffffff", "0000000000000001")
    );

    let v2 = format!(r#"{{"trace":{EVERYTHING},"status":"COMPLETE"}}"#);
    assert_eq!(decode_otlp_json(v2.as_bytes()).unwrap(), decode_otlp_json(EVERYTHING.as_bytes()).unwrap());
    assert_eq!(read_file(v2.as_bytes()).unwrap().format, FileFormat::OtlpJson);
}

// ---- the Collector's translation cases (from_translator_test.go / to_translator_test.go) ----

fn one_span(detail: SpanDetail) -> Span {
    zipkin_span("0102030405060708090a0b0c0d0e0f10".into(), "0102030405060708".into(), None, "operationA".into(), detail)
}

// TestInternalTracesToZipkinSpans "oneSpanOk", "oneSpanError", "oneSpanUnset": the status tags, and the error tag
// only on an error status (a boolean-like error attribute on another status is removed).
#[test]
fn collector_status_tags_for_ok_error_and_unset() {
    let with = |code, message: &str| SpanDetail {
        status: Status { code, message: message.into() },
        attributes: vec![attr("error", AnyValue::Bool(false))],
        resource: Resource { attributes: vec![attr("resource-attr", s("resource-attr-val-1"))], ..Resource::default() },
        ..SpanDetail::default()
    };
    assert_eq!(
        tags(&one_span(with(StatusCode::Ok, ""))),
        ["otel.status_code=STATUS_CODE_OK", "resource-attr=resource-attr-val-1"]
    );
    assert_eq!(
        tags(&one_span(with(StatusCode::Error, "error message"))),
        [
            "error=true",
            "otel.status_code=STATUS_CODE_ERROR",
            "otel.status_description=error message",
            "resource-attr=resource-attr-val-1"
        ]
    );
    assert_eq!(tags(&one_span(with(StatusCode::Unset, ""))), ["resource-attr=resource-attr-val-1"]);
    // zipkinOneSpan: a resource without service.name gives the Collector's stand-in service; ids as two halves.
    let span = one_span(with(StatusCode::Unset, ""));
    assert_eq!(span.local_service(), Some("OTLPResourceNoServiceName"));
    assert_eq!((span.trace_id.as_str(), span.id.as_str()), ("0102030405060708090a0b0c0d0e0f10", "0102030405060708"));
}

// zipkinOneSpan's annotations: "event-with-attr|{"span-event-attr":"span-event-attr-val"}|2" and "event|{}|2"
// (dropped attributes alone are enough to write the long form).
#[test]
fn collector_event_annotations_carry_attributes_and_dropped_counts() {
    let span = one_span(SpanDetail {
        events: vec![
            Event {
                time_unix_nano: 1_581_452_773_000_000_123,
                name: "event-with-attr".into(),
                attributes: vec![attr("span-event-attr", s("span-event-attr-val"))],
                dropped_attributes_count: 2,
            },
            Event {
                time_unix_nano: 1_581_452_773_000_000_123,
                name: "event".into(),
                attributes: vec![],
                dropped_attributes_count: 2,
            },
        ],
        ..SpanDetail::default()
    });
    let values: Vec<&str> = span.annotations.iter().map(|a| a.value.as_str()).collect();
    assert_eq!(values, [r#"event-with-attr|{"span-event-attr":"span-event-attr-val"}|2"#, "event|{}|2"]);
    assert_eq!(span.annotations[0].timestamp, 1_581_452_773_000_000);
    // And the receiver reads them back (to_translator's populateSpanEvents).
    let back = otlp_detail(&Span { detail: None, ..span });
    assert_eq!(back.events[0].attributes, [attr("span-event-attr", s("span-event-attr-val"))]);
    assert_eq!((back.events[1].name.as_str(), back.events[1].dropped_attributes_count), ("event", 2));
}

// extractZipkinServiceName: service.name, else faas.name, k8s.deployment.name, process.executable.name, each
// recorded in otlp.service.name.source; and the receiver puts the name back under that key.
#[test]
fn collector_service_name_fallbacks() {
    let span = one_span(SpanDetail {
        resource: Resource {
            attributes: vec![attr("k8s.deployment.name", s("cart")), attr("faas.name", s("fn-1"))],
            ..Resource::default()
        },
        ..SpanDetail::default()
    });
    assert_eq!(span.local_service(), Some("fn-1"));
    assert_eq!(tags(&span), ["k8s.deployment.name=cart", "otlp.service.name.source=faas.name"]);
    let back = otlp_detail(&Span { detail: None, ..span });
    assert_eq!(back.resource.attributes, [attr("faas.name", s("fn-1")), attr("k8s.deployment.name", s("cart"))]);
}

// TestZipkinSpansToInternalTraces (to_translator_test.go): a Zipkin span's endpoints, kind, status and
// timestamps as the receiver reads them, and TestInternalTracesToZipkinSpansAndBack: times survive both ways.
#[test]
fn collector_receiver_reads_a_zipkin_span_and_back() {
    let zipkin = Span {
        trace_id: "4d1e00c0db9010db86154a4ba6e91385".into(),
        id: "86154a4ba6e91385".into(),
        parent_id: Some("86154a4ba6e91386".into()),
        name: Some("get /".into()),
        kind: Some(Kind::Server),
        timestamp: Some(1_472_470_996_199_000),
        duration: Some(207_000),
        local_endpoint: Some(Endpoint {
            service_name: Some("frontend".into()),
            ipv4: Some("192.168.99.101".into()),
            port: Some(9000),
            ..Endpoint::default()
        }),
        remote_endpoint: Some(Endpoint {
            service_name: Some("backend".into()),
            ipv6: Some("2001:db8::c001".into()),
            port: Some(9003),
            ..Endpoint::default()
        }),
        annotations: vec![Annotation { timestamp: 1_472_470_996_238_000, value: "foo".into() }],
        tags: [("http.path".to_string(), "/api".to_string()), ("error".into(), "connection refused".into())].into(),
        ..Span::default()
    };
    let d = otlp_detail(&zipkin);
    assert_eq!(d.kind, SpanKind::Server);
    assert_eq!((d.start_time_unix_nano, d.end_time_unix_nano), (1_472_470_996_199_000_000, 1_472_470_996_406_000_000));
    // Any error tag is a failure in Zipkin's reading; its text is the message.
    assert_eq!(d.status, Status { code: StatusCode::Error, message: "connection refused".into() });
    assert_eq!(
        d.attributes,
        [
            attr("http.path", s("/api")),
            attr("network.local.address", s("192.168.99.101")),
            attr("network.local.port", AnyValue::Int(9000)),
            attr("service.peer.name", s("backend")),
            attr("network.peer.address", s("2001:db8::c001")),
            attr("network.peer.port", AnyValue::Int(9003)),
        ]
    );
    // Through OTLP JSON and back: the same Zipkin fields.
    let back = &decode_otlp_json(encode_otlp_json(std::slice::from_ref(&zipkin)).as_bytes()).unwrap()[0];
    assert_eq!((&back.trace_id, &back.id, &back.parent_id), (&zipkin.trace_id, &zipkin.id, &zipkin.parent_id));
    assert_eq!((back.kind, back.timestamp, back.duration), (zipkin.kind, zipkin.timestamp, zipkin.duration));
    assert_eq!((&back.local_endpoint, &back.remote_endpoint), (&zipkin.local_endpoint, &zipkin.remote_endpoint));
    assert_eq!(back.annotations, zipkin.annotations);
    assert_eq!(back.tags.get("http.path").map(String::as_str), Some("/api"));
    assert_eq!(back.tags.get("error").map(String::as_str), Some("true"));
    assert_eq!(back.tags.get("otel.status_description").map(String::as_str), Some("connection refused"));
}

// setTimestampsV2: a Zipkin span without a timestamp starts at 0 with otel.zipkin.absentField.startTime, and
// comes back without one.
#[test]
fn collector_absent_start_time() {
    let zipkin = Span { trace_id: "a".into(), id: "b".into(), duration: Some(5), ..Span::default() };
    let d = otlp_detail(&zipkin);
    assert_eq!((d.start_time_unix_nano, d.end_time_unix_nano), (0, 5_000));
    assert_eq!(d.attributes, [attr("otel.zipkin.absentField.startTime", AnyValue::Bool(true))]);
    let back = one_span(d);
    assert_eq!((back.timestamp, back.duration), (None, Some(5)));
    assert!(!back.tags.contains_key("otel.zipkin.absentField.startTime"));
}

// ---- error messages ----

#[test]
fn a_bad_file_says_the_format_it_was_read_as_and_where() {
    let err = |bytes: &[u8]| read_file(bytes).unwrap_err().to_string();
    assert_eq!(
        err(b"{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[\n  {\"traceId\":\"01\",\"spanId\":}]}]}]}"),
        "read as OTLP JSON: line 2, column 28: expected value"
    );
    // Truncated.
    assert_eq!(err(&EVERYTHING.as_bytes()[..300]), "read as OTLP JSON: line 4, column 82: EOF while parsing a string");
    // The second line of JSON Lines is broken.
    assert_eq!(
        err(b"{\"resourceSpans\":[]}\n{\"resourceSpans\":[{]}\n"),
        "read as OTLP JSON Lines: line 2, column 20: key must be a string"
    );
    assert_eq!(
        err(br#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"spanId":"01"}]}]}]}"#),
        "read as OTLP JSON: line 1, column 58: missing field `traceId`"
    );
    // Empty ids: a span cannot be drawn, linked or written back without them.
    assert_eq!(
        err(br#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"","spanId":"01"}]}]}]}"#),
        "read as OTLP JSON: line 1, column 56: a span's traceId and spanId must not be empty"
    );
    assert_eq!(
        err(br#"{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"0102","spanId":""}]}]}]}"#),
        "read as OTLP JSON: line 1, column 73: a span's traceId and spanId must not be empty"
    );
    assert_eq!(err(br#"[{"traceId":"a","id":}]"#), "read as Zipkin JSON: line 1, column 22: expected value");
    assert_eq!(err(b""), "line 1, column 0: the file is empty; expected JSON spans (Zipkin, OTLP or Jaeger)");
    assert_eq!(
        err(&[0x0a, 0x8b, 0x01, 0x0a, 0x00]),
        "line 1, column 1: the file is binary, not JSON (an OTLP protobuf export?); open Zipkin, OTLP or Jaeger JSON"
    );
    assert_eq!(
        err(&[0x1f, 0x8b, 0x08, 0x00]),
        "line 1, column 1: the file is gzip-compressed; decompress it and open the JSON inside"
    );
    assert_eq!(err(b"  \n  hello"), "line 2, column 3: expected JSON: Zipkin spans, OTLP JSON or Jaeger JSON");
    assert_eq!(err(br#"{"name":1}"#), "read as Zipkin JSON: line 1, column 10: missing field `traceId`");
    assert_eq!(
        err(br#"{"kitten":1}"#),
        "line 1, column 1: JSON of no trace format: expected Zipkin spans, OTLP `resourceSpans` or Jaeger `data`/`spans`"
    );
}

// ---- round trips ----

fn arb_hex(digits: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(0..16u8, digits).prop_map(|d| d.iter().map(|n| format!("{n:x}")).collect())
}

/// A trace or span id: hex of the right length, or an opaque id (not hex, not base64: Jaeger UI's kind).
fn arb_id(digits: usize) -> impl Strategy<Value = String> {
    prop_oneof![4 => arb_hex(digits), 1 => "id:[g-z]{1,8}"]
}

fn arb_value() -> impl Strategy<Value = AnyValue> {
    let leaf = prop_oneof![
        "\\PC{0,8}".prop_map(AnyValue::String),
        any::<bool>().prop_map(AnyValue::Bool),
        any::<i64>().prop_map(AnyValue::Int),
        prop_oneof![any::<f64>().prop_filter("NaN is not equal to itself", |d| !d.is_nan()), Just(f64::INFINITY)]
            .prop_map(AnyValue::Double),
        proptest::collection::vec(any::<u8>(), 0..6).prop_map(AnyValue::Bytes),
        Just(AnyValue::Empty),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(AnyValue::Array),
            proptest::collection::vec(("[a-z.]{0,6}", inner), 0..4).prop_map(|kv| AnyValue::KeyValueList(
                kv.into_iter().map(|(key, value)| Attribute { key, value }).collect()
            )),
        ]
    })
}

fn arb_attributes() -> impl Strategy<Value = Vec<Attribute>> {
    proptest::collection::vec(("\\PC{0,10}", arb_value()).prop_map(|(key, value)| Attribute { key, value }), 0..4)
}

fn arb_kind() -> impl Strategy<Value = SpanKind> {
    prop_oneof![
        Just(SpanKind::Unspecified),
        Just(SpanKind::Internal),
        Just(SpanKind::Server),
        Just(SpanKind::Client),
        Just(SpanKind::Producer),
        Just(SpanKind::Consumer)
    ]
}

fn arb_status() -> impl Strategy<Value = Status> {
    (prop_oneof![Just(StatusCode::Unset), Just(StatusCode::Ok), Just(StatusCode::Error)], "\\PC{0,6}")
        .prop_map(|(code, message)| Status { code, message })
}

fn arb_link() -> impl Strategy<Value = Link> {
    (arb_id(32), arb_id(16), "[a-z=,]{0,6}", arb_attributes(), any::<u32>(), any::<u32>(), any::<Option<bool>>())
        .prop_map(|(trace_id, span_id, trace_state, mut attributes, dropped_attributes_count, flags, ref_type)| {
            if let Some(child_of) = ref_type {
                let name = if child_of { "child_of" } else { "follows_from" };
                attributes.push(Attribute { key: "opentracing.ref_type".into(), value: AnyValue::String(name.into()) });
            }
            Link {
                trace_id,
                span_id,
                trace_state,
                link_type: LinkType::from_attributes(&attributes),
                attributes,
                dropped_attributes_count,
                flags,
            }
        })
}

fn arb_event() -> impl Strategy<Value = Event> {
    (any::<u64>(), "\\PC{0,8}", arb_attributes(), any::<u32>()).prop_map(
        |(time_unix_nano, name, attributes, dropped)| Event {
            time_unix_nano,
            name,
            attributes,
            dropped_attributes_count: dropped,
        },
    )
}

/// A span as the decoder would give it: its detail through `zipkin_span`, under a given resource and scope.
fn arb_span(resource: Resource, resource_schema_url: String, scope: Scope) -> impl Strategy<Value = Span> {
    let ids = (
        arb_id(32),
        arb_id(16),
        proptest::option::of(arb_hex(16).prop_filter("not all zeros", |p| p.contains(|c| c != '0'))),
        "\\PC{0,10}",
    );
    let body = (
        arb_kind(),
        arb_status(),
        any::<u64>(),
        any::<u64>(),
        arb_attributes(),
        any::<(u32, u32, u32, u32)>(),
        "[a-z=,]{0,6}",
    );
    let lists =
        (proptest::collection::vec(arb_event(), 0..3), proptest::collection::vec(arb_link(), 0..3), "\\PC{0,6}");
    (ids, body, lists).prop_map(move |((trace_id, span_id, parent, name), body, (events, links, scope_schema_url))| {
        let (
            kind,
            status,
            start,
            end,
            attributes,
            (dropped_attributes, dropped_events, dropped_links, flags),
            trace_state,
        ) = body;
        let detail = SpanDetail {
            format: Some(SourceFormat::Otlp),
            kind,
            status,
            start_time_unix_nano: start,
            end_time_unix_nano: end,
            attributes,
            dropped_attributes_count: dropped_attributes,
            events,
            dropped_events_count: dropped_events,
            links,
            dropped_links_count: dropped_links,
            trace_state,
            flags,
            resource: resource.clone(),
            resource_schema_url: resource_schema_url.clone(),
            scope: scope.clone(),
            scope_schema_url,
            warnings: Vec::new(),
        };
        zipkin_span(trace_id, span_id, parent, name, detail)
    })
}

/// Spans as an OTLP file holds them: resources (each its own, told apart by an index attribute), scopes in
/// each, spans in each.
fn arb_otlp_spans() -> impl Strategy<Value = Vec<Span>> {
    let scope =
        (arb_attributes(), "\\PC{0,6}", "\\PC{0,4}", any::<u32>()).prop_map(|(attributes, name, version, dropped)| {
            Scope { name, version, attributes, dropped_attributes_count: dropped }
        });
    let resource = (arb_attributes(), any::<u32>(), "\\PC{0,6}", proptest::collection::vec(scope, 1..3));
    proptest::collection::vec(resource, 1..3)
        .prop_flat_map(|resources| {
            let groups: Vec<_> = resources
                .into_iter()
                .enumerate()
                .flat_map(|(i, (mut attributes, dropped, schema_url, scopes))| {
                    attributes.push(Attribute { key: "resource.index".into(), value: AnyValue::Int(i as i64) });
                    let resource = Resource { attributes, dropped_attributes_count: dropped };
                    scopes.into_iter().enumerate().map(move |(j, mut scope)| {
                        scope.attributes.push(Attribute { key: "scope.index".into(), value: AnyValue::Int(j as i64) });
                        proptest::collection::vec(arb_span(resource.clone(), schema_url.clone(), scope), 1..3)
                    })
                })
                .collect();
            groups
        })
        .prop_map(|groups| groups.into_iter().flatten().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// Spans read from OTLP are written back losslessly: reading the writer's output gives them again.
    #[test]
    fn otlp_spans_survive_writing_and_reading(spans in arb_otlp_spans()) {
        let text = encode_otlp_json(&spans);
        let again = decode_otlp_json(text.as_bytes()).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(again, spans);
    }

    /// Zipkin spans written as OTLP read back with the same Zipkin fields (ids, names, kinds, times,
    /// endpoints, annotations, their own tags, and whether they failed).
    #[test]
    fn zipkin_spans_keep_their_zipkin_fields_through_otlp(
        spans in proptest::collection::vec(
            (arb_hex(16), arb_hex(16), proptest::option::of(arb_hex(16)), "[a-z /]{1,8}",
             proptest::option::of(prop_oneof![Just(Kind::Client), Just(Kind::Server), Just(Kind::Producer), Just(Kind::Consumer)]),
             1_000_000..2_000_000_000_000_000u64, 1..10_000_000u64, "[a-z]{1,6}",
             proptest::option::of(("[a-z]{1,6}", any::<[u8; 4]>(), 1..u16::MAX)),
             proptest::collection::vec((0..1_000u64, "[a-z ]{0,6}"), 0..3),
             proptest::collection::btree_map("[a-z]{1,4}\\.[a-z]{1,4}".prop_filter("span.kind is the kind", |k| k != "span.kind"), "[a-z0-9]{0,6}", 0..3),
             any::<bool>()),
            1..4),
    ) {
        let spans: Vec<Span> = spans
            .into_iter()
            .map(|(trace_id, id, parent, name, kind, timestamp, duration, service, remote, annotations, tags, failed)| {
                let mut tags: Vec<(String, String)> = tags.into_iter().collect();
                if failed {
                    tags.push(("error".into(), String::new()));
                }
                Span {
                    trace_id,
                    id,
                    parent_id: parent.filter(|p| p.contains(|c| c != '0')),
                    name: Some(name),
                    kind,
                    timestamp: Some(timestamp),
                    duration: Some(duration),
                    local_endpoint: Some(Endpoint { service_name: Some(service), ..Endpoint::default() }),
                    remote_endpoint: remote.map(|(service, ip, port)| Endpoint {
                        service_name: Some(service),
                        ipv4: Some(std::net::Ipv4Addr::from(ip).to_string()),
                        port: Some(port),
                        ..Endpoint::default()
                    }),
                    annotations: annotations.into_iter().map(|(at, value)| Annotation { timestamp: timestamp + at, value }).collect(),
                    tags: tags.into_iter().collect(),
                    ..Span::default()
                }
            })
            .collect();
        let again = decode_otlp_json(encode_otlp_json(&spans).as_bytes()).unwrap();
        prop_assert_eq!(again.len(), spans.len());
        // The writer groups spans by resource (here: the service), resources in order of first appearance.
        let mut services: Vec<Option<String>> = Vec::new();
        for span in &spans {
            let service = span.local_service().map(str::to_owned);
            if !services.contains(&service) {
                services.push(service);
            }
        }
        let mut spans = spans;
        spans.sort_by_key(|s| services.iter().position(|service| service.as_deref() == s.local_service()));
        for (back, span) in again.iter().zip(&spans) {
            prop_assert_eq!(&back.trace_id, &span.trace_id);
            prop_assert_eq!((&back.id, &back.parent_id, &back.name, back.kind), (&span.id, &span.parent_id, &span.name, span.kind));
            prop_assert_eq!((back.timestamp, back.duration), (span.timestamp, span.duration));
            prop_assert_eq!((&back.local_endpoint, &back.remote_endpoint), (&span.local_endpoint, &span.remote_endpoint));
            prop_assert_eq!(&back.annotations, &span.annotations);
            for (key, value) in span.tags.iter().filter(|(k, _)| *k != "error") {
                prop_assert_eq!(back.tags.get(key), Some(value));
            }
            prop_assert_eq!(back.tags.contains_key("error"), span.tags.contains_key("error"));
        }
    }
}
