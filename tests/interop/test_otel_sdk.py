"""The real OpenTelemetry Python SDK exporting over OTLP/HTTP (protobuf and JSON, gzipped or not) to the
devserver: Jaeger's API v3 (`/api/v3/traces/{id}`) gives back what the SDK recorded, nothing lost (ids, typed
attributes, events, links with attributes and trace state, status, resource, scope), and Zipkin's API gives the
OpenTelemetry Collector's Zipkin translation of it."""
import json

import pytest

from conftest import otel_export


def typed(value):
    """An OTLP JSON AnyValue as [type, value], as otel_export.py describes what the SDK recorded."""
    (kind, inner), = value.items()
    if kind == "stringValue":
        return ["string", inner]
    if kind == "boolValue":
        return ["bool", inner]
    if kind == "intValue":
        return ["int", int(inner)]
    if kind == "doubleValue":
        return ["double", float(inner)]
    if kind == "arrayValue":
        return ["array", [typed(v) for v in inner.get("values", [])]]
    raise AssertionError(f"unexpected AnyValue {value}")


def attributes(key_values):
    return {kv["key"]: typed(kv["value"]) for kv in key_values or []}


def stored_spans(zipkin, trace_id):
    """The spans of a trace as API v3 answers them, each with its resource and scope."""
    answer = zipkin.get(f"/api/v3/traces/{trace_id}")
    spans = {}
    for resource_spans in answer["result"]["resourceSpans"]:
        for scope_spans in resource_spans["scopeSpans"]:
            for span in scope_spans["spans"]:
                spans[span["spanId"]] = (span, resource_spans["resource"], scope_spans["scope"])
    return spans


def assert_same(sent, stored):
    span, resource, scope = stored
    assert span["traceId"] == sent["traceId"]
    assert span.get("parentSpanId") == sent["parentSpanId"]
    assert span["name"] == sent["name"]
    assert span.get("traceState", "") == sent["traceState"]
    assert span["kind"] == sent["kind"]
    assert int(span["startTimeUnixNano"]) == sent["startTimeUnixNano"]
    assert int(span["endTimeUnixNano"]) == sent["endTimeUnixNano"]
    assert attributes(span.get("attributes")) == sent["attributes"]
    events = [
        {"name": e["name"], "timeUnixNano": int(e["timeUnixNano"]), "attributes": attributes(e.get("attributes"))}
        for e in span.get("events", [])
    ]
    assert events == sent["events"]
    links = [
        {
            "traceId": link["traceId"],
            "spanId": link["spanId"],
            "traceState": link.get("traceState", ""),
            "attributes": attributes(link.get("attributes")),
        }
        for link in span.get("links", [])
    ]
    assert links == sent["links"]
    status = span.get("status", {})
    assert {"code": status.get("code", 0), "message": status.get("message", "")} == sent["status"]
    assert attributes(resource["attributes"]) == sent["resource"]
    assert {"name": scope["name"], "version": scope.get("version", "")} == sent["scope"]


@pytest.mark.parametrize(
    "exporter,compression", [("proto", None), ("proto", "gzip"), ("json", None), ("json", "gzip")]
)
def test_the_sdks_export_comes_back_intact(devserver_factory, exporter, compression):
    zipkin = devserver_factory()
    recorded = otel_export(exporter, zipkin.url + "/v1/traces", compression)
    assert recorded["exported"], "the exporter reports success"
    sent = {s["name"]: s for s in recorded["spans"]}
    assert sorted(sent) == ["GET /checkout", "charge card", "orders publish", "validate cart"]
    root, producer = sent["GET /checkout"], sent["orders publish"]
    assert producer["traceId"] != root["traceId"]

    # API v3: what the SDK recorded, span by span.
    for trace_id in {root["traceId"], producer["traceId"]}:
        stored = stored_spans(zipkin, trace_id)
        expected = [s for s in recorded["spans"] if s["traceId"] == trace_id]
        assert sorted(stored) == sorted(s["spanId"] for s in expected)
        for span in expected:
            assert_same(span, stored[span["spanId"]])
    # The links the scenario made: to the producer in its trace, and within the trace.
    assert root["links"][0]["spanId"] == producer["spanId"]
    assert producer["traceState"] == "vendor=v1" and producer["parentSpanId"] is not None
    assert sent["charge card"]["links"][0]["spanId"] == root["spanId"]
    exception = sent["validate cart"]["events"][1]
    assert exception["name"] == "exception"
    assert exception["attributes"]["exception.type"] == ["string", "ValueError"]
    assert "Traceback" in exception["attributes"]["exception.stacktrace"][1]
    assert root["resource"]["telemetry.sdk.language"] == ["string", "python"]

    # Zipkin's API: the Collector's translation.
    trace = {s["name"]: s for s in zipkin.get(f"/api/v2/trace/{root['traceId']}")}
    assert sorted(trace) == ["charge card", "get /checkout", "validate cart"]
    server, client, internal = trace["get /checkout"], trace["charge card"], trace["validate cart"]
    assert {s["localEndpoint"]["serviceName"] for s in trace.values()} == {"checkout"}
    assert server["kind"] == "SERVER" and "parentId" not in server
    assert server["timestamp"] == (root["startTimeUnixNano"] + 500) // 1000, "µs, rounded"
    tags = server["tags"]
    assert tags["cart.express"] == "true"
    assert tags["cart.total"] == "99.5"
    assert tags["http.response.status_code"] == "200"
    assert json.loads(tags["cart.skus"]) == ["sku-1", "sku-2"]
    assert json.loads(tags["cart.quantities"]) == [1, 3]
    assert tags["host.name"] == "web-7" and tags["k8s.pod.name"] == "checkout-5d8f-abcde"
    assert tags["service.version"] == "1.2.3"
    assert tags["otel.scope.name"] == "interop.checkout" and tags["otel.scope.version"] == "0.4.2"
    link_trace, link_span, link_state, link_attributes, _ = tags["otlp.link.0"].split("|")
    assert (link_trace, link_span, link_state) == (producer["traceId"], producer["spanId"], "")
    assert json.loads(link_attributes) == {"link.count": 2, "link.kind": "producer", "link.sampled": True}
    assert client["kind"] == "CLIENT" and client["parentId"] == root["spanId"]
    assert client["remoteEndpoint"]["serviceName"] == "payments"
    assert "kind" not in internal and internal["tags"]["span.kind"] == "internal"
    assert internal["tags"]["error"] == "true"
    assert internal["tags"]["otel.status_description"] == "card declined"
    annotations = [a["value"] for a in internal["annotations"]]
    assert annotations[0].startswith("cart.loaded|{")
    assert annotations[1].startswith("exception|{") and "ValueError" in annotations[1]
    assert "error" not in tags, "only the failed span is an error"
    (produced,) = zipkin.get(f"/api/v2/trace/{producer['traceId']}")
    assert produced["kind"] == "PRODUCER"
    assert produced["parentId"] == producer["parentSpanId"]
    assert produced["tags"]["w3c.tracestate"] == "vendor=v1"
    assert zipkin.get("/api/v2/services") == ["checkout"]
    assert zipkin.get("/api/v2/spans", serviceName="checkout") == [
        "charge card",
        "get /checkout",
        "orders publish",
        "validate cart",
    ]
