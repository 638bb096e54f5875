"""OTLP/HTTP as the specification's "OTLP/HTTP" section says, with bodies made by the official protobuf classes
(opentelemetry-proto, google.rpc.Status) over raw HTTP: every protobuf field the SDK's exporter does not send
(bytes and key-value list values, dropped counts, flags, schema URLs, scope attributes), gzip, partial success
for invalid ids, 400 with a Status for bad input, 415 for other content types."""
import base64
import gzip
import json

import requests
from google.rpc import status_pb2
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2
from opentelemetry.proto.common.v1 import common_pb2
from opentelemetry.proto.trace.v1 import trace_pb2

TRACE = bytes.fromhex("4bf92f3577b34da6a3ce929d0e0e4736")
OTHER = bytes.fromhex("0af7651916cd43dd8448eb211c80319c")
START = 1_700_000_000_000_000_000
PROTOBUF = "application/x-protobuf"


def kv(key, **value):
    return common_pb2.KeyValue(key=key, value=common_pb2.AnyValue(**value))


def span(span_id, name, trace_id=TRACE, **fields):
    return trace_pb2.Span(
        trace_id=trace_id,
        span_id=span_id,
        name=name,
        kind=trace_pb2.Span.SPAN_KIND_SERVER,
        start_time_unix_nano=START,
        end_time_unix_nano=START + 2_000_000,
        **fields,
    )


def request(*spans, scope=None):
    return trace_service_pb2.ExportTraceServiceRequest(
        resource_spans=[
            trace_pb2.ResourceSpans(
                resource={"attributes": [kv("service.name", string_value="raw")], "dropped_attributes_count": 1},
                scope_spans=[
                    trace_pb2.ScopeSpans(scope=scope, spans=list(spans), schema_url="https://schema/scope")
                ],
                schema_url="https://schema/resource",
            )
        ]
    )


def post(zipkin, body, content_type=PROTOBUF, **headers):
    return requests.post(
        zipkin.url + "/v1/traces", data=body, headers={"Content-Type": content_type, **headers}, timeout=30
    )


def test_every_protobuf_field_comes_back_gzipped_or_not(devserver_factory):
    zipkin = devserver_factory()
    full = span(
        bytes.fromhex("00f067aa0ba902b7"),
        "Raw Span",
        trace_state="congo=t61rcWkgMzE",
        flags=0x101,
        attributes=[
            kv("bytes", bytes_value=b"\x00\x01\xfe"),
            kv("map", kvlist_value=common_pb2.KeyValueList(values=[kv("inner", int_value=-7)])),
            kv("list", array_value=common_pb2.ArrayValue(values=[common_pb2.AnyValue(double_value=1.5)])),
        ],
        dropped_attributes_count=2,
        events=[
            trace_pb2.Span.Event(
                time_unix_nano=START + 5, name="retry", attributes=[kv("n", int_value=2)], dropped_attributes_count=3
            )
        ],
        dropped_events_count=4,
        links=[
            trace_pb2.Span.Link(
                trace_id=OTHER,
                span_id=bytes.fromhex("b7ad6b7169203331"),
                trace_state="a=b",
                attributes=[kv("why", string_value="fan-in")],
                dropped_attributes_count=5,
                flags=0x300,
            )
        ],
        dropped_links_count=6,
        status=trace_pb2.Status(code=trace_pb2.Status.STATUS_CODE_OK),
    )
    scope = common_pb2.InstrumentationScope(
        name="raw.lib", version="9", attributes=[kv("scope.attr", bool_value=True)], dropped_attributes_count=7
    )
    body = request(full, scope=scope).SerializeToString()
    for encoded, headers in [(body, {}), (gzip.compress(body), {"Content-Encoding": "gzip"})]:
        response = post(zipkin, encoded, **headers)
        assert response.status_code == 200, response.content
        assert response.headers["Content-Type"] == PROTOBUF
        answer = trace_service_pb2.ExportTraceServiceResponse.FromString(response.content)
        assert not answer.HasField("partial_success")

    result = zipkin.get(f"/api/v3/traces/{TRACE.hex()}")["result"]
    (resource_spans,) = result["resourceSpans"]
    assert resource_spans["schemaUrl"] == "https://schema/resource"
    assert resource_spans["resource"]["droppedAttributesCount"] == 1
    (scope_spans,) = resource_spans["scopeSpans"]
    assert scope_spans["schemaUrl"] == "https://schema/scope"
    assert scope_spans["scope"] == {
        "name": "raw.lib",
        "version": "9",
        "attributes": [{"key": "scope.attr", "value": {"boolValue": True}}],
        "droppedAttributesCount": 7,
    }
    (stored,) = scope_spans["spans"]
    assert stored["name"] == "Raw Span"
    assert stored["traceState"] == "congo=t61rcWkgMzE"
    assert stored["flags"] == 0x101
    values = {a["key"]: a["value"] for a in stored["attributes"]}
    assert base64.b64decode(values["bytes"]["bytesValue"]) == b"\x00\x01\xfe"
    assert values["map"] == {"kvlistValue": {"values": [{"key": "inner", "value": {"intValue": "-7"}}]}}
    assert values["list"] == {"arrayValue": {"values": [{"doubleValue": 1.5}]}}
    assert stored["droppedAttributesCount"] == 2
    assert stored["events"] == [
        {
            "timeUnixNano": str(START + 5),
            "name": "retry",
            "attributes": [{"key": "n", "value": {"intValue": "2"}}],
            "droppedAttributesCount": 3,
        }
    ]
    assert stored["droppedEventsCount"] == 4
    (link,) = stored["links"]
    assert (link["traceId"], link["spanId"], link["traceState"]) == (OTHER.hex(), "b7ad6b7169203331", "a=b")
    assert (link["droppedAttributesCount"], link["flags"]) == (5, 0x300)
    assert stored["droppedLinksCount"] == 6
    assert stored["status"] == {"code": 1}
    # Posted twice, stored once.
    assert len(zipkin.get(f"/api/v2/trace/{TRACE.hex()}")) == 1


def test_spans_with_invalid_ids_are_a_partial_success(devserver_factory):
    zipkin = devserver_factory()
    body = request(
        span(bytes.fromhex("0000000000000001"), "good"),
        span(bytes.fromhex("0000000000000002"), "short trace", trace_id=TRACE[:8]),
        span(bytes(8), "zero span id"),
    ).SerializeToString()
    response = post(zipkin, body)
    assert response.status_code == 200
    partial = trace_service_pb2.ExportTraceServiceResponse.FromString(response.content).partial_success
    assert partial.rejected_spans == 2
    assert "trace_id must be 16 bytes, was 8" in partial.error_message
    assert "span_id is all zeros" in partial.error_message
    assert [s["name"] for s in zipkin.get(f"/api/v2/trace/{TRACE.hex()}")] == ["good"]

    as_json = {"resourceSpans": [{"scopeSpans": [{"spans": [
        {"traceId": OTHER.hex(), "spanId": "00000000000000a1", "name": "fine"},
        {"traceId": "0" * 32, "spanId": "00000000000000a2", "name": "zero trace id"},
    ]}]}]}
    response = post(zipkin, json.dumps(as_json), content_type="application/json")
    assert (response.status_code, response.headers["Content-Type"]) == (200, "application/json")
    partial = response.json()["partialSuccess"]
    assert partial["rejectedSpans"] == "1"
    assert "zero trace id" in partial["errorMessage"]


def test_bad_input_is_a_400_with_a_status_and_other_content_types_a_415(devserver_factory):
    zipkin = devserver_factory()
    body = request(span(bytes.fromhex("0000000000000001"), "cut")).SerializeToString()
    response = post(zipkin, body[:-5])
    assert (response.status_code, response.headers["Content-Type"]) == (400, PROTOBUF)
    status = status_pb2.Status.FromString(response.content)
    assert status.code == 3  # INVALID_ARGUMENT
    assert status.message.startswith("Cannot decode ExportTraceServiceRequest from protobuf: Truncated: resource_spans[0]")

    response = post(zipkin, b'{"resourceSpans": [{', content_type="application/json")
    assert (response.status_code, response.headers["Content-Type"]) == (400, "application/json")
    assert response.json()["code"] == 3
    assert "read as OTLP JSON" in response.json()["message"]

    response = post(zipkin, b"\x1f\x8b not really gzip", **{"Content-Encoding": "gzip"})
    assert response.status_code == 400
    assert "gunzip" in status_pb2.Status.FromString(response.content).message

    response = post(zipkin, b"spans", content_type="text/plain")
    assert response.status_code == 415
    assert "unsupported content type" in status_pb2.Status.FromString(response.content).message
    assert zipkin.get("/api/v2/services") == []
