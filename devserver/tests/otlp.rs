//! OTLP in and out (issue 18): `POST /v1/traces` with hand-made protobuf and JSON bodies, gzipped or not, the
//! OTLP/HTTP answers (200 with an `ExportTraceServiceResponse`, partial success, 400 with a Status, 415), and
//! `GET /api/v3/traces/{id}` giving back what was sent while Zipkin's API answers with the Collector's
//! translation.
mod common;
use common::otlp::*;
use common::{gzip, TestServer};
use serde_json::{json, Value};
use spanscope_devserver::otlp_proto::{decode_export_request, OtlpSpan};
use spanscope_devserver::protowire::Reader;
use spanscope_domain::span_detail::{
    AnyValue, Attribute, Event, Link, Resource, Scope, SourceFormat, SpanDetail, SpanKind, Status, StatusCode,
};

const TRACE: &str = "5b8efff798038103d269b633813fc60c";
const OTHER_TRACE: &str = "0af7651916cd43dd8448eb211c80319c";
const START: u64 = 1_700_000_000_123_456_789;

fn attribute(key: &str, value: AnyValue) -> Attribute {
    Attribute { key: key.into(), value }
}

/// A request using every field of trace/v1, common/v1 and resource/v1: a server span with attributes of
/// every `AnyValue` variant, an exception event, a link, an error status, dropped counts, flags and trace
/// state under a resource and scope with schema URLs; then an older-style `instrumentation_library_spans`
/// with an INTERNAL child. An unknown field is skipped.
fn full_request() -> Vec<u8> {
    let server = Message::new()
        .bytes(1, &unhex(TRACE))
        .bytes(2, &unhex("eee19b7ec3c1b174"))
        .string(3, "vendor=a")
        .bytes(4, &[])
        .fixed32(16, 0x301)
        .string(5, "GET /Cart")
        .varint(6, 2)
        .fixed64(7, START)
        .fixed64(8, START + 2_500_000)
        .message(9, kv("text", string_value("héllo")))
        .message(9, kv("yes", bool_value(true)))
        .message(9, kv("no", bool_value(false)))
        .message(9, kv("count", int_value(-5)))
        .message(9, kv("ratio", double_value(2.5)))
        .message(9, kv("raw", bytes_value(&[0, 1, 254])))
        .message(9, kv("list", array_value(vec![string_value("a"), int_value(7), bool_value(true)])))
        .message(9, kv("map", kvlist_value(vec![kv("inner", double_value(0.5)), kv("deep", array_value(vec![]))])))
        .message(9, Message::new().string(1, "nothing").message(2, Message::new()))
        .varint(10, 3)
        .message(
            11,
            Message::new()
                .fixed64(1, START + 1_000)
                .string(2, "exception")
                .message(3, kv("exception.type", string_value("ValueError")))
                .message(3, kv("exception.stacktrace", string_value("Traceback:\n  line 1")))
                .varint(4, 1),
        )
        .varint(12, 4)
        .message(
            13,
            Message::new()
                .bytes(1, &unhex(OTHER_TRACE))
                .bytes(2, &unhex("b7ad6b7169203331"))
                .string(3, "linked=1")
                .message(4, kv("messaging.message.id", string_value("m-1")))
                .varint(5, 2)
                .fixed32(6, 0x100),
        )
        .varint(14, 5)
        .message(15, Message::new().string(2, "it broke").varint(3, 2))
        .varint(99, 1);
    let resource = Message::new()
        .message(1, kv("service.name", string_value("Checkout")))
        .message(1, kv("k8s.pod.name", string_value("checkout-1")))
        .varint(2, 6);
    let scope = Message::new()
        .string(1, "io.example.http")
        .string(2, "1.2.3")
        .message(3, kv("scope.attr", int_value(9)))
        .varint(4, 7);
    let scope_spans = Message::new().message(1, scope).message(2, server).string(3, "https://schema/scope");
    let library = Message::new().string(1, "io.example.legacy").string(2, "0.9");
    let internal = span(TRACE, "00000000000000aa", "compute", 1, START + 10).bytes(4, &unhex("eee19b7ec3c1b174"));
    let library_spans = Message::new().message(1, library).message(2, internal);
    let resource_spans = Message::new()
        .message(2, scope_spans)
        .message(1000, library_spans)
        .string(3, "https://schema/resource")
        .message(1, resource); // after its spans: the decoder must still stamp it on them
    Message::new().message(1, resource_spans).0
}

fn expected_resource() -> Resource {
    Resource {
        attributes: vec![
            attribute("service.name", AnyValue::String("Checkout".into())),
            attribute("k8s.pod.name", AnyValue::String("checkout-1".into())),
        ],
        dropped_attributes_count: 6,
    }
}

#[test]
fn every_field_of_a_request_decodes() {
    let spans = decode_export_request(&full_request()).unwrap();
    let expected_server = OtlpSpan {
        trace_id: TRACE.into(),
        span_id: "eee19b7ec3c1b174".into(),
        parent_span_id: None,
        name: "GET /Cart".into(),
        detail: SpanDetail {
            format: Some(SourceFormat::Otlp),
            kind: SpanKind::Server,
            status: Status { code: StatusCode::Error, message: "it broke".into() },
            start_time_unix_nano: START,
            end_time_unix_nano: START + 2_500_000,
            attributes: vec![
                attribute("text", AnyValue::String("héllo".into())),
                attribute("yes", AnyValue::Bool(true)),
                attribute("no", AnyValue::Bool(false)),
                attribute("count", AnyValue::Int(-5)),
                attribute("ratio", AnyValue::Double(2.5)),
                attribute("raw", AnyValue::Bytes(vec![0, 1, 254])),
                attribute(
                    "list",
                    AnyValue::Array(vec![AnyValue::String("a".into()), AnyValue::Int(7), AnyValue::Bool(true)]),
                ),
                attribute(
                    "map",
                    AnyValue::KeyValueList(vec![
                        attribute("inner", AnyValue::Double(0.5)),
                        attribute("deep", AnyValue::Array(vec![])),
                    ]),
                ),
                attribute("nothing", AnyValue::Empty),
            ],
            dropped_attributes_count: 3,
            events: vec![Event {
                time_unix_nano: START + 1_000,
                name: "exception".into(),
                attributes: vec![
                    attribute("exception.type", AnyValue::String("ValueError".into())),
                    attribute("exception.stacktrace", AnyValue::String("Traceback:\n  line 1".into())),
                ],
                dropped_attributes_count: 1,
            }],
            dropped_events_count: 4,
            links: vec![Link {
                trace_id: OTHER_TRACE.into(),
                span_id: "b7ad6b7169203331".into(),
                trace_state: "linked=1".into(),
                attributes: vec![attribute("messaging.message.id", AnyValue::String("m-1".into()))],
                dropped_attributes_count: 2,
                flags: 0x100,
                ..Link::default()
            }],
            dropped_links_count: 5,
            trace_state: "vendor=a".into(),
            flags: 0x301,
            resource: expected_resource(),
            resource_schema_url: "https://schema/resource".into(),
            scope: Scope {
                name: "io.example.http".into(),
                version: "1.2.3".into(),
                attributes: vec![attribute("scope.attr", AnyValue::Int(9))],
                dropped_attributes_count: 7,
            },
            scope_schema_url: "https://schema/scope".into(),
            warnings: vec![],
        },
    };
    assert_eq!(spans.len(), 2);
    assert_eq!(spans[0], expected_server);
    let internal = &spans[1];
    assert_eq!(
        (internal.span_id.as_str(), internal.parent_span_id.as_deref(), internal.name.as_str()),
        ("00000000000000aa", Some("eee19b7ec3c1b174"), "compute")
    );
    assert_eq!(internal.detail.kind, SpanKind::Internal);
    assert_eq!(
        (internal.detail.scope.name.as_str(), internal.detail.scope.version.as_str()),
        ("io.example.legacy", "0.9")
    );
    assert_eq!(internal.detail.resource, expected_resource());
    assert_eq!(internal.detail.scope_schema_url, "");
}

#[test]
fn malformed_and_truncated_requests_name_the_field() {
    let message = full_request();
    for len in 0..message.len() {
        let _ = decode_export_request(&message[..len]); // never a panic
    }
    let cut = decode_export_request(&message[..message.len() - 3]).unwrap_err().to_string();
    assert_eq!(cut, "Truncated: resource_spans[0] runs past the end of the message");
    // A span whose name field claims 10 bytes but has 2.
    let mut broken = Message::new().bytes(1, &unhex(TRACE));
    broken.0.extend_from_slice(&[5 << 3 | 2, 10, b'a', b'b']);
    let body = request("svc", vec![broken]);
    assert_eq!(
        decode_export_request(&body).unwrap_err().to_string(),
        "Truncated: resource_spans[0].scope_spans[0].spans[0].name runs past the end of the message"
    );
    let wrong_type = request("svc", vec![Message::new().varint(1, 5)]);
    assert_eq!(
        decode_export_request(&wrong_type).unwrap_err().to_string(),
        "Malformed: resource_spans[0].scope_spans[0].spans[0].trace_id has wire type 0, expected 2"
    );
    let bad_utf8 = request("svc", vec![Message::new().bytes(5, &[0xff, 0xfe])]);
    assert!(decode_export_request(&bad_utf8).unwrap_err().to_string().ends_with("spans[0].name is not UTF-8"));
    // Arrays nested past any sensible depth are refused, not recursed into.
    let deep = (0..100).fold(string_value("leaf"), |v, _| array_value(vec![v]));
    let body = request("svc", vec![span(TRACE, "0000000000000001", "x", 1, START).message(9, kv("deep", deep))]);
    assert!(decode_export_request(&body).unwrap_err().to_string().contains("deeper than 64"));
}

#[test]
fn mutated_requests_fail_without_panicking() {
    // Every byte of a full request replaced by a few values, and pseudo-random garbage: errors, never a panic
    // (and no runaway allocation from a length prefix that claims more than the message holds).
    let message = full_request();
    for at in 0..message.len() {
        for value in [0x00, 0x07, 0x80, 0xff] {
            let mut mutated = message.clone();
            mutated[at] = value;
            let _ = decode_export_request(&mutated);
        }
    }
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for len in 0..2_000 {
        let garbage: Vec<u8> = (0..len % 300)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let _ = decode_export_request(&garbage);
    }
}

/// The `ExportTracePartialSuccess` of a protobuf `ExportTraceServiceResponse`: (rejected_spans, error_message).
fn partial_success(response: &[u8]) -> Option<(u64, String)> {
    let mut r = Reader::new(response);
    let (field, wire_type) = r.next_field().unwrap()?;
    assert_eq!(field, 1);
    let mut inner = Reader::new(r.read_bytes("partial_success", wire_type).unwrap());
    let (mut rejected, mut message) = (0, String::new());
    while let Some((field, wire_type)) = inner.next_field().unwrap() {
        match field {
            1 => rejected = inner.read_varint("rejected_spans", wire_type).unwrap(),
            2 => message = inner.read_string("error_message", wire_type).unwrap(),
            _ => panic!("unexpected field {field}"),
        }
    }
    Some((rejected, message))
}

/// A protobuf `google.rpc.Status`: (code, message).
fn rpc_status(body: &[u8]) -> (u64, String) {
    let mut r = Reader::new(body);
    let (mut code, mut message) = (0, String::new());
    while let Some((field, wire_type)) = r.next_field().unwrap() {
        match field {
            1 => code = r.read_varint("code", wire_type).unwrap(),
            2 => message = r.read_string("message", wire_type).unwrap(),
            _ => r.skip(field, wire_type).unwrap(),
        }
    }
    (code, message)
}

const PROTOBUF: &str = "application/x-protobuf";

#[tokio::test]
async fn a_protobuf_export_comes_back_whole_from_api_v3_and_translated_from_zipkins_api() {
    let s = TestServer::start(&[]).await;
    let (status, content_type, body) = s.post_bytes("/v1/traces", PROTOBUF, None, full_request()).await;
    assert_eq!((status, content_type.as_str(), body.as_slice()), (200, PROTOBUF, &b""[..]));

    let answer = s.get_json(&format!("/api/v3/traces/{}", TRACE.to_uppercase())).await;
    let resource_spans = answer["result"]["resourceSpans"].as_array().unwrap();
    assert_eq!(resource_spans.len(), 1, "{answer}");
    let rs = &resource_spans[0];
    assert_eq!(rs["schemaUrl"], "https://schema/resource");
    assert_eq!(rs["resource"]["droppedAttributesCount"], 6);
    assert_eq!(rs["resource"]["attributes"][0], json!({"key": "service.name", "value": {"stringValue": "Checkout"}}));
    let scopes = rs["scopeSpans"].as_array().unwrap();
    assert_eq!(scopes.len(), 2, "two scopes: {rs}");
    let scope = &scopes[0];
    assert_eq!(scope["scope"]["name"], "io.example.http");
    assert_eq!(scope["scope"]["version"], "1.2.3");
    assert_eq!(scope["scope"]["attributes"][0], json!({"key": "scope.attr", "value": {"intValue": "9"}}));
    assert_eq!(scope["schemaUrl"], "https://schema/scope");
    let span = &scope["spans"][0];
    assert_eq!(span["traceId"], TRACE);
    assert_eq!(span["spanId"], "eee19b7ec3c1b174");
    assert_eq!(span["name"], "GET /Cart", "the name keeps its case (Zipkin's view lower-cases it)");
    assert_eq!(span["kind"], 2);
    assert_eq!(span["traceState"], "vendor=a");
    assert_eq!(span["flags"], 0x301);
    assert_eq!(span["startTimeUnixNano"], START.to_string());
    assert_eq!(span["endTimeUnixNano"], (START + 2_500_000).to_string());
    let attributes: Vec<(String, Value)> = span["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["key"].as_str().unwrap().to_string(), a["value"].clone()))
        .collect();
    assert_eq!(attributes[0], ("text".into(), json!({"stringValue": "héllo"})));
    assert_eq!(attributes[1], ("yes".into(), json!({"boolValue": true})));
    assert_eq!(attributes[2], ("no".into(), json!({"boolValue": false})));
    assert_eq!(attributes[3], ("count".into(), json!({"intValue": "-5"})));
    assert_eq!(attributes[4], ("ratio".into(), json!({"doubleValue": 2.5})));
    assert_eq!(attributes[5], ("raw".into(), json!({"bytesValue": "AAH+"})));
    assert_eq!(
        attributes[6],
        (
            "list".into(),
            json!({"arrayValue": {"values": [{"stringValue": "a"}, {"intValue": "7"}, {"boolValue": true}]}})
        )
    );
    assert_eq!(attributes[7].1["kvlistValue"]["values"][0], json!({"key": "inner", "value": {"doubleValue": 0.5}}));
    assert_eq!(attributes[8].0, "nothing");
    assert_eq!(span["droppedAttributesCount"], 3);
    assert_eq!(span["events"][0]["name"], "exception");
    assert_eq!(span["events"][0]["timeUnixNano"], (START + 1_000).to_string());
    assert_eq!(
        span["events"][0]["attributes"][1],
        json!({"key": "exception.stacktrace", "value": {"stringValue": "Traceback:\n  line 1"}})
    );
    assert_eq!(span["events"][0]["droppedAttributesCount"], 1);
    assert_eq!(span["droppedEventsCount"], 4);
    let link = &span["links"][0];
    assert_eq!((link["traceId"].as_str(), link["spanId"].as_str()), (Some(OTHER_TRACE), Some("b7ad6b7169203331")));
    assert_eq!(link["traceState"], "linked=1");
    assert_eq!(link["attributes"][0], json!({"key": "messaging.message.id", "value": {"stringValue": "m-1"}}));
    assert_eq!(link["droppedAttributesCount"], 2);
    assert_eq!(link["flags"], 0x100);
    assert_eq!(span["droppedLinksCount"], 5);
    assert_eq!(span["status"], json!({"message": "it broke", "code": 2}));
    assert_eq!(scopes[1]["scope"]["name"], "io.example.legacy");
    assert_eq!(scopes[1]["spans"][0]["kind"], 1);
    assert_eq!(scopes[1]["spans"][0]["parentSpanId"], "eee19b7ec3c1b174");

    // Zipkin's API: the Collector's translation, normalised as Zipkin stores it.
    let zipkin = s.get_json(&format!("/api/v2/trace/{TRACE}")).await;
    let server = zipkin.as_array().unwrap().iter().find(|s| s["id"] == "eee19b7ec3c1b174").unwrap();
    assert_eq!(server["name"], "get /cart");
    assert_eq!(server["kind"], "SERVER");
    assert_eq!(server["localEndpoint"]["serviceName"], "checkout");
    assert_eq!(server["timestamp"], START / 1_000 + 1, "µs, rounded");
    assert_eq!(server["duration"], 2_500);
    assert_eq!(server["tags"]["error"], "true");
    assert_eq!(server["tags"]["otel.status_code"], "STATUS_CODE_ERROR");
    assert_eq!(server["tags"]["otel.status_description"], "it broke");
    assert_eq!(server["tags"]["count"], "-5");
    assert_eq!(server["tags"]["k8s.pod.name"], "checkout-1");
    assert_eq!(server["tags"]["otel.scope.name"], "io.example.http");
    assert_eq!(server["tags"]["w3c.tracestate"], "vendor=a");
    assert_eq!(
        server["tags"]["otlp.link.0"],
        format!("{OTHER_TRACE}|b7ad6b7169203331|linked=1|{{\"messaging.message.id\":\"m-1\"}}|2")
    );
    assert!(server["annotations"][0]["value"].as_str().unwrap().starts_with("exception|{"), "{server}");
    let internal = zipkin.as_array().unwrap().iter().find(|s| s["id"] == "00000000000000aa").unwrap();
    assert!(internal.get("kind").is_none(), "INTERNAL has no Zipkin kind: {internal}");
    assert_eq!(internal["tags"]["span.kind"], "internal");
    assert_eq!(s.get_json("/api/v2/services").await, json!(["checkout"]));

    // The same export again is stored once; the API under the UI's base path answers as well.
    let (status, _, _) = s.post_bytes("/v1/traces", PROTOBUF, Some("gzip"), gzip(&full_request())).await;
    assert_eq!(status, 200);
    assert_eq!(s.get_json(&format!("/api/v2/trace/{TRACE}")).await.as_array().unwrap().len(), 2);
    let again = s.get_json(&format!("/zipkin/api/v3/traces/{TRACE}")).await;
    assert_eq!(again, answer);
}

#[tokio::test]
async fn spans_with_invalid_ids_are_rejected_one_by_one() {
    let s = TestServer::start(&[]).await;
    let body = request(
        "svc",
        vec![
            span(TRACE, "0000000000000001", "good", 2, START),
            span("0102030405060708", "0000000000000002", "short trace id", 2, START),
            span(TRACE, "0000000000000000", "zero span id", 2, START),
        ],
    );
    let (status, content_type, response) = s.post_bytes("/v1/traces", PROTOBUF, None, body).await;
    assert_eq!((status, content_type.as_str()), (200, PROTOBUF));
    let (rejected, message) = partial_success(&response).expect("a partial success");
    assert_eq!(rejected, 2);
    assert_eq!(
        message,
        "2 spans rejected: span \"short trace id\" (span_id 0000000000000002): trace_id must be 16 bytes, was 8; \
         span \"zero span id\" (span_id 0000000000000000): span_id is all zeros"
    );
    let stored = s.get_json(&format!("/api/v2/trace/{TRACE}")).await;
    assert_eq!(stored.as_array().unwrap().iter().map(|s| s["name"].clone()).collect::<Vec<_>>(), [json!("good")]);

    let json_body = json!({"resourceSpans": [{"scopeSpans": [{"spans": [
        {"traceId": OTHER_TRACE, "spanId": "00000000000000b1", "name": "fine"},
        {"traceId": "0".repeat(32), "spanId": "00000000000000b2", "name": "zero trace"},
        {"traceId": OTHER_TRACE, "spanId": "not-hex!", "name": "not hex"}
    ]}]}]});
    let (status, content_type, response) =
        s.post_bytes("/v1/traces", "application/json", None, serde_json::to_vec(&json_body).unwrap()).await;
    assert_eq!((status, content_type.as_str()), (200, "application/json"));
    let response: Value = serde_json::from_slice(&response).unwrap();
    assert_eq!(response["partialSuccess"]["rejectedSpans"], "2");
    let message = response["partialSuccess"]["errorMessage"].as_str().unwrap();
    assert!(message.starts_with("2 spans rejected: span \"zero trace\""), "{message}");
    assert!(message.contains("span \"not hex\""), "{message}");
}

#[tokio::test]
async fn a_json_export_comes_back_whole() {
    let s = TestServer::start(&[]).await;
    let sent = json!({"resourceSpans": [{
        "resource": {"attributes": [
            {"key": "service.name", "value": {"stringValue": "Cart"}},
            {"key": "host.name", "value": {"stringValue": "node-1"}}
        ]},
        "scopeSpans": [{"scope": {"name": "lib", "version": "2"}, "spans": [{
            "traceId": TRACE, "spanId": "00000000000000c1", "name": "Consume", "kind": 5,
            "startTimeUnixNano": START.to_string(), "endTimeUnixNano": (START + 9_000).to_string(),
            "attributes": [
                {"key": "n", "value": {"intValue": "42"}},
                {"key": "d", "value": {"doubleValue": 1.5}},
                {"key": "seq", "value": {"arrayValue": {"values": [{"boolValue": false}]}}}
            ],
            "events": [{"timeUnixNano": (START + 1).to_string(), "name": "got", "attributes": [
                {"key": "size", "value": {"intValue": "3"}}
            ]}],
            "links": [{"traceId": OTHER_TRACE, "spanId": "00000000000000d1", "attributes": [
                {"key": "why", "value": {"stringValue": "batch"}}
            ]}],
            "status": {"code": 2, "message": "bad"}
        }]}]
    }]});
    for encoding in [None, Some("gzip")] {
        let body = serde_json::to_vec(&sent).unwrap();
        let body = if encoding.is_some() { gzip(&body) } else { body };
        let (status, content_type, response) =
            s.post_bytes("/v1/traces", "application/json; charset=utf-8", encoding, body).await;
        assert_eq!((status, content_type.as_str(), response.as_slice()), (200, "application/json", &b"{}"[..]));
    }
    let answer = s.get_json(&format!("/api/v3/traces/{TRACE}")).await;
    let rs = &answer["result"]["resourceSpans"][0];
    assert_eq!(rs["resource"], sent["resourceSpans"][0]["resource"]);
    assert_eq!(rs["scopeSpans"][0]["scope"], json!({"name": "lib", "version": "2"}));
    let span = &rs["scopeSpans"][0]["spans"][0];
    let want = &sent["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
    for key in ["traceId", "spanId", "name", "kind", "startTimeUnixNano", "endTimeUnixNano", "attributes", "status"] {
        assert_eq!(span[key], want[key], "{key}");
    }
    assert_eq!(span["events"][0]["attributes"], want["events"][0]["attributes"]);
    assert_eq!(span["links"][0]["spanId"], "00000000000000d1");
    assert_eq!(span["links"][0]["attributes"], want["links"][0]["attributes"]);
    let zipkin = s.get_json(&format!("/api/v2/trace/{TRACE}")).await;
    assert_eq!(zipkin.as_array().unwrap().len(), 1, "posted twice, stored once");
    assert_eq!(zipkin[0]["kind"], "CONSUMER");
    assert_eq!(zipkin[0]["localEndpoint"]["serviceName"], "cart");
    assert_eq!(zipkin[0]["tags"]["host.name"], "node-1");
    assert_eq!(zipkin[0]["tags"]["seq"], "[false]");
    assert_eq!(zipkin[0]["tags"]["error"], "true");
}

#[tokio::test]
async fn bad_bodies_are_a_400_with_a_status_and_other_types_a_415() {
    let s = TestServer::start(&[]).await;
    let truncated = full_request()[..40].to_vec();
    let (status, content_type, body) = s.post_bytes("/v1/traces", PROTOBUF, None, truncated).await;
    assert_eq!((status, content_type.as_str()), (400, PROTOBUF));
    let (code, message) = rpc_status(&body);
    assert_eq!(code, 3, "INVALID_ARGUMENT");
    assert_eq!(
        message,
        "Cannot decode ExportTraceServiceRequest from protobuf: Truncated: resource_spans[0] runs past the end of the message"
    );

    let (status, content_type, body) =
        s.post_bytes("/v1/traces", "application/json", None, b"{\"resourceSpans\":[".to_vec()).await;
    assert_eq!((status, content_type.as_str()), (400, "application/json"));
    let body: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(body["code"], 3);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("Cannot decode ExportTraceServiceRequest from JSON: read as OTLP JSON: line 1"),
        "{body}"
    );

    let (status, _, body) = s.post_bytes("/v1/traces", PROTOBUF, Some("gzip"), b"not gzip".to_vec()).await;
    assert_eq!(status, 400);
    assert!(rpc_status(&body).1.contains("gunzip"), "{:?}", rpc_status(&body));

    let (status, content_type, body) = s.post_bytes("/v1/traces", "text/plain", None, b"x".to_vec()).await;
    assert_eq!((status, content_type.as_str()), (415, PROTOBUF));
    assert_eq!(
        rpc_status(&body).1,
        "unsupported content type \"text/plain\"; supported: application/x-protobuf, application/json"
    );
    let (status, content_type, _) = s.post_bytes("/v1/traces", "application/json", Some("br"), b"{}".to_vec()).await;
    assert_eq!((status, content_type.as_str()), (415, "application/json"));

    // Empty requests succeed and store nothing.
    for (content_type, body) in
        [(PROTOBUF, b"".to_vec()), ("application/json", b"{}".to_vec()), ("application/json", b"".to_vec())]
    {
        let (status, _, _) = s.post_bytes("/v1/traces", content_type, None, body).await;
        assert_eq!(status, 200, "{content_type}");
    }
    assert_eq!(s.get_json("/api/v2/services").await, json!([]));
}

#[tokio::test]
async fn api_v3_answers_zipkin_traces_as_otlp_and_errors_as_jaeger_does() {
    let s = TestServer::start(&[]).await;
    s.post_v2(&json!([{
        "traceId": "000000000000000a", "id": "000000000000000b", "name": "get", "kind": "SERVER",
        "timestamp": 1_700_000_000_000_000u64, "duration": 10, "localEndpoint": {"serviceName": "web"},
        "tags": {"http.method": "GET"}
    }]))
    .await;
    let answer = s.get_json("/api/v3/traces/000000000000000a").await;
    let rs = &answer["result"]["resourceSpans"][0];
    assert_eq!(rs["resource"]["attributes"][0], json!({"key": "service.name", "value": {"stringValue": "web"}}));
    let span = &rs["scopeSpans"][0]["spans"][0];
    assert_eq!(span["traceId"], "0000000000000000000000000000000a");
    assert_eq!(span["kind"], 2);
    assert_eq!(span["startTimeUnixNano"], "1700000000000000000");

    let (status, body) = s.get_text("/api/v3/traces/00000000000000ff").await;
    assert_eq!(status, 404);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap(),
        json!({"error": {"httpCode": 404, "message": "No traces found"}})
    );
    let (status, body) = s.get_text("/api/v3/traces/xyz").await;
    assert_eq!(status, 400);
    assert_eq!(serde_json::from_str::<Value>(&body).unwrap()["error"]["httpCode"], 400);
}
