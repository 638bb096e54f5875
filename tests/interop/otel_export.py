"""Exports one scenario with the real OpenTelemetry Python SDK to an OTLP/HTTP endpoint, then prints what the
SDK recorded as JSON, the ground truth the tests compare the devserver's answers with.

    python otel_export.py proto|json ENDPOINT [gzip]

`proto` is opentelemetry-exporter-otlp-proto-http, `json` is opentelemetry-exporter-otlp-json-http (its pins
conflict with the proto exporter's, so run.sh keeps it in a virtualenv of its own and runs this script there).

The scenario: a producer span in a trace of its own, under a remote parent whose context carries a trace
state; a checkout trace whose SERVER root links to it (with link attributes) and carries attributes of every
type; a CLIENT child linked to its parent in the same trace; an INTERNAL child with events, a recorded
exception and an error status with a message.
The resource has service.name, service.version, host.name, k8s attributes and typed values; the tracer has a
scope name, version, schema URL and attributes.
"""
import json
import random
import sys

from opentelemetry import trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import (
    Link,
    NonRecordingSpan,
    SpanContext,
    SpanKind,
    Status,
    StatusCode,
    TraceFlags,
    TraceState,
)

RESOURCE = {
    "service.name": "checkout",
    "service.version": "1.2.3",
    "service.namespace": "shop",
    "host.name": "web-7",
    "k8s.pod.name": "checkout-5d8f-abcde",
    "k8s.namespace.name": "shop",
    "process.pid": 4242,
    "deployment.canary": True,
    "deployment.weight": 0.25,
}
SCOPE = ("interop.checkout", "0.4.2", "https://opentelemetry.io/schemas/1.26.0")


def exporter(kind, endpoint, compression):
    if kind == "proto":
        from opentelemetry.exporter.otlp.proto.http import Compression
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        chosen = Compression.Gzip if compression == "gzip" else Compression.NoCompression
    else:
        from opentelemetry.exporter.otlp.common.http import Compression
        from opentelemetry.exporter.otlp.json.http.trace_exporter import OTLPSpanExporter

        chosen = Compression.GZIP if compression == "gzip" else Compression.NONE
    return OTLPSpanExporter(endpoint=endpoint, compression=chosen)


def record():
    """Runs the scenario into an in-memory exporter; returns the finished spans."""
    memory = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create(RESOURCE))
    provider.add_span_processor(SimpleSpanProcessor(memory))
    tracer = provider.get_tracer(SCOPE[0], SCOPE[1], schema_url=SCOPE[2], attributes={"scope.owner": "interop"})

    # The producer continues a trace propagated to it (traceparent and tracestate headers).
    upstream = SpanContext(
        random.getrandbits(128),
        random.getrandbits(64),
        is_remote=True,
        trace_flags=TraceFlags(TraceFlags.SAMPLED),
        trace_state=TraceState([("vendor", "v1")]),
    )
    with tracer.start_as_current_span(
        "orders publish", context=trace.set_span_in_context(NonRecordingSpan(upstream)), kind=SpanKind.PRODUCER,
        attributes={"messaging.system": "kafka"},
    ) as producer:
        produced = producer.get_span_context()
    root_attributes = {
        "http.request.method": "GET",
        "http.response.status_code": 200,
        "cart.express": True,
        "cart.total": 99.5,
        "cart.skus": ["sku-1", "sku-2"],
        "cart.quantities": [1, 3],
        "cart.gift_flags": [True, False],
        "cart.prices": [19.5, 80.0],
    }
    links = [Link(produced, attributes={"link.kind": "producer", "link.count": 2, "link.sampled": True})]
    with tracer.start_as_current_span(
        "GET /checkout", context=trace.set_span_in_context(trace.INVALID_SPAN), kind=SpanKind.SERVER,
        attributes=root_attributes, links=links,
    ) as root:
        with tracer.start_as_current_span(
            "charge card", kind=SpanKind.CLIENT,
            attributes={"peer.service": "payments", "server.address": "payments.shop", "server.port": 8443},
            links=[Link(root.get_span_context(), attributes={"link.kind": "same-trace"})],
        ):
            pass
        with tracer.start_as_current_span("validate cart", kind=SpanKind.INTERNAL) as validate:
            validate.add_event("cart.loaded", {"items": 3, "cached": False, "ratio": 0.75, "ids": ["a", "b"]})
            try:
                raise ValueError("card number fails the Luhn check")
            except ValueError as error:
                validate.record_exception(error, attributes={"cart.id": "c-17"})
            validate.set_status(Status(StatusCode.ERROR, "card declined"))
    provider.shutdown()
    return memory.get_finished_spans()


def typed(value):
    """An attribute value as [type, value], the shape the tests compare."""
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", value]
    if isinstance(value, float):
        return ["double", value]
    if isinstance(value, str):
        return ["string", value]
    return ["array", [typed(v) for v in value]]


def attributes(mapping):
    return {key: typed(value) for key, value in (mapping or {}).items()}


def describe(span):
    context = span.get_span_context()
    return {
        "traceId": f"{context.trace_id:032x}",
        "spanId": f"{context.span_id:016x}",
        "parentSpanId": f"{span.parent.span_id:016x}" if span.parent else None,
        "traceState": context.trace_state.to_header(),
        "name": span.name,
        # OTLP's numbering: SDK kinds are 0 internal .. 4 consumer.
        "kind": span.kind.value + 1,
        "startTimeUnixNano": span.start_time,
        "endTimeUnixNano": span.end_time,
        "attributes": attributes(span.attributes),
        "events": [
            {"name": e.name, "timeUnixNano": e.timestamp, "attributes": attributes(e.attributes)} for e in span.events
        ],
        "links": [
            {
                "traceId": f"{link.context.trace_id:032x}",
                "spanId": f"{link.context.span_id:016x}",
                # What the exporters send: neither writes a link's trace state (their _encode_links leaves it
                # out), so what arrives has none even when the linked context had one.
                "traceState": "",
                "attributes": attributes(link.attributes),
            }
            for link in span.links
        ],
        "status": {"code": span.status.status_code.value, "message": span.status.description or ""},
        "resource": attributes(span.resource.attributes),
        "scope": {"name": span.instrumentation_scope.name, "version": span.instrumentation_scope.version},
    }


def main():
    kind, endpoint = sys.argv[1], sys.argv[2]
    compression = sys.argv[3] if len(sys.argv) > 3 else None
    spans = record()
    result = exporter(kind, endpoint, compression).export(spans)
    json.dump({"exported": result == SpanExportResult.SUCCESS, "spans": [describe(s) for s in spans]}, sys.stdout)


if __name__ == "__main__":
    main()
