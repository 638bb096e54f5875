//! The OpenTelemetry-shaped demo batch: the consumer's links point at the producers' spans in their own
//! traces, the detail carries events, an exception with a stack trace, an error status, resources and scopes,
//! and the Zipkin fields are the Collector's translation of it.
use spanscope_domain::span::{Kind, Span};
use spanscope_domain::span_detail::{AnyValue, SpanDetail, SpanKind, StatusCode};
use spanscope_tracegen::otel::{BATCH_SPAN, ORDERS_TOPIC};
use spanscope_tracegen::otel_batch;

const END: u64 = 1_700_000_000_000_000;

fn detail(span: &Span) -> &SpanDetail {
    span.detail.as_deref().expect("an OTel-shaped span keeps its detail")
}

fn string_attr<'a>(attributes: &'a [spanscope_domain::span_detail::Attribute], key: &str) -> Option<&'a str> {
    attributes.iter().find(|a| a.key == key).and_then(|a| match &a.value {
        AnyValue::String(s) => Some(s.as_str()),
        _ => None,
    })
}

#[test]
fn the_batch_consumer_links_to_every_producer_span_in_its_own_trace() {
    let batch = otel_batch(7, END, 3);
    assert_eq!(batch.producer_traces.len(), 3);
    let consumer = &batch.consumer_trace[0];
    assert_eq!(consumer.name.as_deref(), Some(BATCH_SPAN));
    assert_eq!(consumer.kind, Some(Kind::Consumer));
    assert_eq!(consumer.parent_id, None);
    let links = &detail(consumer).links;
    assert_eq!(links.len(), 3);
    let consumer_start = detail(consumer).start_time_unix_nano;
    for (link, producer_trace) in links.iter().zip(&batch.producer_traces) {
        let producer = producer_trace.iter().find(|s| s.kind == Some(Kind::Producer)).unwrap();
        assert_eq!((link.trace_id.as_str(), link.span_id.as_str()), (producer.trace_id.as_str(), producer.id.as_str()));
        assert_ne!(link.trace_id, consumer.trace_id, "the producers are other traces");
        assert_eq!(link.trace_id.len(), 32);
        assert_eq!(string_attr(&link.attributes, "messaging.message.id").map(|m| m.starts_with("order-")), Some(true));
        assert!(detail(producer).end_time_unix_nano < consumer_start, "produced before consumed");
        assert_eq!(string_attr(&detail(producer).attributes, "messaging.destination.name"), Some(ORDERS_TOPIC));
        // The producer's trace: a SERVER root and the PRODUCER span under it.
        assert_eq!(producer_trace[0].kind, Some(Kind::Server));
        assert_eq!(producer.parent_id.as_deref(), Some(producer_trace[0].id.as_str()));
    }
    assert_eq!(links[0].trace_state, "shop=priority:high");
    // The Collector's translation writes each link as a tag.
    let tag = consumer.tags.get("otlp.link.0").unwrap();
    assert!(tag.starts_with(&format!("{}|{}|shop=priority:high|{{", links[0].trace_id, links[0].span_id)), "{tag}");
    assert!(consumer.tags.contains_key("otlp.link.2"));
    // Events, with attributes, and the last of them before the span ends.
    let events = &detail(consumer).events;
    assert_eq!(events.iter().map(|e| e.name.as_str()).collect::<Vec<_>>(), ["batch.received", "offsets.committed"]);
    assert_eq!(events[0].attributes[0].value, AnyValue::Int(3));
    assert!(events[1].time_unix_nano <= detail(consumer).end_time_unix_nano);
    assert_eq!(consumer.annotations.len(), 2);
    assert_eq!(consumer.timestamp.unwrap() + consumer.duration.unwrap(), END);
}

#[test]
fn the_consumer_trace_has_an_internal_step_an_exception_and_a_retry_linked_to_it() {
    let batch = otel_batch(11, END, 4);
    let trace = &batch.consumer_trace;
    assert!(trace.iter().all(|s| s.trace_id == trace[0].trace_id));
    assert!(trace[1..].iter().all(|s| s.parent_id.as_deref() == Some(trace[0].id.as_str())));

    let internal = trace.iter().find(|s| detail(s).kind == SpanKind::Internal).expect("an INTERNAL span");
    assert_eq!(internal.kind, None, "Zipkin has no INTERNAL kind");
    assert_eq!(internal.tags.get("span.kind").unwrap(), "internal");
    let types: Vec<&str> = detail(internal).attributes.iter().map(|a| a.value.type_name()).collect();
    for t in ["int", "array", "string", "bool", "double", "kvlist"] {
        assert!(types.contains(&t), "{t} in {types:?}");
    }
    assert_eq!(internal.tags.get("shipment.count").unwrap(), "4");

    let failed = trace.iter().find(|s| detail(s).status.code == StatusCode::Error).expect("a failed call");
    assert_eq!(failed.kind, Some(Kind::Client));
    assert_eq!(failed.remote_service(), Some("carrier-api"));
    assert_eq!(failed.tags.get("error").unwrap(), "true");
    assert!(detail(failed).status.message.contains("503"));
    let exception = &detail(failed).events[0];
    assert_eq!(exception.name, "exception");
    assert_eq!(string_attr(&exception.attributes, "exception.type"), Some("requests.exceptions.HTTPError"));
    let stack = string_attr(&exception.attributes, "exception.stacktrace").unwrap();
    assert!(stack.starts_with("Traceback (most recent call last):\n  File \"/app/shipping/batch.py\""), "{stack}");

    let retry = trace.iter().find(|s| detail(s).links.iter().any(|l| l.span_id == failed.id)).expect("a retry");
    assert_eq!(retry.detail.as_ref().unwrap().links[0].trace_id, failed.trace_id, "a link within the trace");
    assert!(retry.timestamp > failed.timestamp);
    assert!(!retry.tags.contains_key("error"));

    // Resources and scopes as an OTel SDK reports them.
    let resource = &detail(&trace[0]).resource.attributes;
    assert_eq!(string_attr(resource, "service.name"), Some("shipping-service"));
    for key in ["service.version", "host.name", "k8s.pod.name", "k8s.namespace.name", "telemetry.sdk.language"] {
        assert!(string_attr(resource, key).is_some(), "{key}");
    }
    assert_eq!(trace[0].local_service(), Some("shipping-service"));
    assert_eq!(trace[0].tags.get("k8s.pod.name").unwrap(), "shipping-service-5c4b7f9d8-q7m2n");
    assert_eq!(detail(failed).scope.name, "opentelemetry.instrumentation.requests");
    let producer = &batch.producer_traces[0][1];
    assert_eq!(producer.local_service(), Some("order-service"));
    assert_eq!(detail(producer).scope.name, "io.opentelemetry.kafka-clients-2.6");
    assert_eq!(producer.remote_service(), Some("kafka"));
}

#[test]
fn batches_repeat_by_seed() {
    let a = otel_batch(3, END, 2);
    let b = otel_batch(3, END, 2);
    assert_eq!(a.consumer_trace, b.consumer_trace);
    assert_eq!(a.producer_traces, b.producer_traces);
    assert_ne!(otel_batch(4, END, 2).consumer_trace, a.consumer_trace);
}
