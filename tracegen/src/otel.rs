//! OpenTelemetry-shaped demo traces: what an OTel-instrumented shop sends over OTLP, built as `SpanDetail`s
//! and translated as the Collector does (`otel_translate::zipkin_span`), so a store keeps the detail and the
//! Zipkin view shows the translation.
//!
//! One batch is a few orders, each its own trace (`order-service` serves `POST /orders` and publishes to
//! Kafka), and the trace of `shipping-service`'s batch consumer that processes them: a CONSUMER span linked to
//! every producer span (in those other traces), with events; an INTERNAL allocation step with attributes of
//! every type; a carrier call that fails with an exception event (type, message, Python stack trace) and an
//! error status; its retry, linked to the failed attempt in the same trace; a database write. Resources carry
//! `service.version`, `host.name`, `k8s.*` and the SDK's attributes; scopes name the instrumentation library.
use crate::rng::Rng;
use spanscope_domain::otel_translate::zipkin_span;
use spanscope_domain::span::Span;
use spanscope_domain::span_detail::{
    AnyValue, Attribute, Event, Link, Resource, Scope, SourceFormat, SpanDetail, SpanKind, Status, StatusCode,
};

/// The topic the orders go through.
pub const ORDERS_TOPIC: &str = "orders.created";
/// The batch consumer's span name.
pub const BATCH_SPAN: &str = "orders.created process";

/// A batch: the producers' traces (one per order, oldest first) and the consumer's trace.
#[derive(Debug, Clone)]
pub struct OtelBatch {
    pub producer_traces: Vec<Vec<Span>>,
    pub consumer_trace: Vec<Span>,
}

fn attr(key: &str, value: AnyValue) -> Attribute {
    Attribute { key: key.to_string(), value }
}

fn text(key: &str, value: &str) -> Attribute {
    attr(key, AnyValue::String(value.to_string()))
}

fn int(key: &str, value: i64) -> Attribute {
    attr(key, AnyValue::Int(value))
}

/// Where spans come from: the resource and the instrumentation scope.
struct Origin {
    resource: Resource,
    scope: Scope,
}

fn resource(service: &str, version: &str, language: &str, pod: &str, node: &str, rng: &mut Rng) -> Resource {
    Resource {
        attributes: vec![
            text("service.name", service),
            text("service.namespace", "shop"),
            text("service.version", version),
            text("service.instance.id", &format!("{:032x}", u128::from(rng.next_u64()) << 64 | 0xfeed)),
            text("deployment.environment.name", "production"),
            text("host.name", node),
            text("host.arch", "amd64"),
            text("k8s.namespace.name", "shop"),
            text("k8s.pod.name", pod),
            text("k8s.node.name", node),
            text("k8s.deployment.name", service),
            int("process.pid", rng.between(1, 4_000) as i64),
            text("telemetry.sdk.name", "opentelemetry"),
            text("telemetry.sdk.language", language),
            text("telemetry.sdk.version", if language == "java" { "1.44.1" } else { "1.29.0" }),
        ],
        dropped_attributes_count: 0,
    }
}

fn scope(name: &str, version: &str) -> Scope {
    Scope { name: name.to_string(), version: version.to_string(), ..Scope::default() }
}

/// One span's ids and detail before translation.
struct Draft {
    trace_id: String,
    id: u64,
    parent: Option<u64>,
    name: String,
    detail: SpanDetail,
}

impl Draft {
    #[allow(clippy::too_many_arguments)]
    fn new(
        origin: &Origin,
        trace_id: &str,
        id: u64,
        parent: Option<u64>,
        name: &str,
        kind: SpanKind,
        start_ns: u64,
        end_ns: u64,
        attributes: Vec<Attribute>,
    ) -> Draft {
        Draft {
            trace_id: trace_id.to_string(),
            id,
            parent,
            name: name.to_string(),
            detail: SpanDetail {
                format: Some(SourceFormat::Otlp),
                kind,
                start_time_unix_nano: start_ns,
                end_time_unix_nano: end_ns,
                attributes,
                // Sampled (W3C trace flags 01); the parent's context is local (the "has is-remote" bit set).
                flags: 0x101,
                resource: origin.resource.clone(),
                scope: origin.scope.clone(),
                ..SpanDetail::default()
            },
        }
    }

    fn span_id(&self) -> String {
        format!("{:016x}", self.id)
    }

    fn link(&self, attributes: Vec<Attribute>) -> Link {
        Link { trace_id: self.trace_id.clone(), span_id: self.span_id(), attributes, flags: 0x301, ..Link::default() }
    }

    fn into_span(self) -> Span {
        let span_id = self.span_id();
        zipkin_span(self.trace_id, span_id, self.parent.map(|p| format!("{p:016x}")), self.name, self.detail)
    }
}

const MS: u64 = 1_000_000;

/// A batch of `orders` orders (at least 1) whose consumer trace ends at `end_micros`; the same seed gives
/// the same traces.
pub fn otel_batch(seed: u64, end_micros: u64, orders: usize) -> OtelBatch {
    let mut rng = Rng::new(seed);
    let orders = orders.max(1);
    let end_ns = end_micros.saturating_mul(1_000);
    let orders_resource =
        resource("order-service", "2.14.1", "java", "order-service-7d9f8c6b5-x2k4p", "ip-10-0-3-17", &mut rng);
    let web = Origin {
        resource: orders_resource.clone(),
        scope: scope("io.opentelemetry.spring-webmvc-6.0", "2.10.0-alpha"),
    };
    let kafka =
        Origin { resource: orders_resource, scope: scope("io.opentelemetry.kafka-clients-2.6", "2.10.0-alpha") };

    // The consumer's trace lasts ~0.3-0.6 s; the orders came in over the few seconds before it.
    let consumer_duration = rng.between(300, 600) * MS;
    let consumer_start = end_ns.saturating_sub(consumer_duration);
    let mut producer_traces = Vec::with_capacity(orders);
    let mut producers = Vec::with_capacity(orders);
    for i in 0..orders {
        let trace_id = format!("{:016x}{:016x}", rng.id(), rng.id());
        let start = consumer_start.saturating_sub((orders - i) as u64 * rng.between(600, 1_400) * MS);
        let served = rng.between(18, 60) * MS;
        let order_id = rng.between(100_000, 999_999);
        let server = Draft::new(
            &web,
            &trace_id,
            rng.id(),
            None,
            "POST /orders",
            SpanKind::Server,
            start,
            start + served,
            vec![
                text("http.request.method", "POST"),
                text("http.route", "/orders"),
                text("url.path", "/orders"),
                text("url.scheme", "https"),
                int("http.response.status_code", 201),
                text("client.address", &format!("203.0.113.{}", rng.between(1, 250))),
                text("user_agent.original", "shop-web/5.2 (+https://shop.example)"),
                text("order.id", &order_id.to_string()),
            ],
        );
        let publish_start = start + served / 2;
        let offset = 48_210 + i as i64 * 3 + rng.between(0, 2) as i64;
        let partition = rng.between(0, 5) as i64;
        let producer = Draft::new(
            &kafka,
            &trace_id,
            rng.id(),
            Some(server.id),
            &format!("{ORDERS_TOPIC} publish"),
            SpanKind::Producer,
            publish_start,
            publish_start + rng.between(2, 9) * MS,
            vec![
                text("messaging.system", "kafka"),
                text("messaging.destination.name", ORDERS_TOPIC),
                text("messaging.operation.type", "publish"),
                text("messaging.kafka.message.key", &format!("order-{order_id}")),
                int("messaging.destination.partition.id", partition),
                int("messaging.kafka.offset", offset),
                text("peer.service", "kafka"),
                text("server.address", "kafka-0.kafka.shop.svc"),
                int("server.port", 9092),
            ],
        );
        producers.push((producer.link(vec![]), order_id, offset, partition));
        producer_traces.push(vec![server.into_span(), producer.into_span()]);
    }

    let shipping_resource =
        resource("shipping-service", "1.8.0", "python", "shipping-service-5c4b7f9d8-q7m2n", "ip-10-0-4-41", &mut rng);
    let origin =
        |library: &str, version: &str| Origin { resource: shipping_resource.clone(), scope: scope(library, version) };
    let consumer_origin = origin("opentelemetry.instrumentation.confluent_kafka", "0.50b0");
    let app = origin("shipping.batch", "1.8.0");
    let http = origin("opentelemetry.instrumentation.requests", "0.50b0");
    let db = origin("opentelemetry.instrumentation.psycopg", "0.50b0");
    let trace_id = format!("{:016x}{:016x}", rng.id(), rng.id());
    let offsets: Vec<AnyValue> = producers.iter().map(|p| AnyValue::Int(p.2)).collect();
    let mut batch = Draft::new(
        &consumer_origin,
        &trace_id,
        rng.id(),
        None,
        BATCH_SPAN,
        SpanKind::Consumer,
        consumer_start,
        end_ns,
        vec![
            text("messaging.system", "kafka"),
            text("messaging.destination.name", ORDERS_TOPIC),
            text("messaging.operation.type", "process"),
            text("messaging.consumer.group.name", "shipping"),
            int("messaging.batch.message_count", orders as i64),
            attr("messaging.kafka.offsets", AnyValue::Array(offsets)),
            text("peer.service", "kafka"),
        ],
    );
    batch.detail.links = producers
        .iter()
        .map(|(link, order_id, offset, partition)| Link {
            attributes: vec![
                text("messaging.message.id", &format!("order-{order_id}")),
                int("messaging.kafka.offset", *offset),
                int("messaging.destination.partition.id", *partition),
            ],
            ..link.clone()
        })
        .collect();
    batch.detail.links[0].trace_state = "shop=priority:high".to_string();
    let lag_ms = rng.between(200, 4_000) as f64 + 0.25;
    batch.detail.events = vec![
        Event {
            time_unix_nano: consumer_start + MS,
            name: "batch.received".to_string(),
            attributes: vec![
                int("messaging.batch.message_count", orders as i64),
                attr("queue.lag_ms", AnyValue::Double(lag_ms)),
            ],
            dropped_attributes_count: 0,
        },
        Event {
            time_unix_nano: end_ns - MS,
            name: "offsets.committed".to_string(),
            attributes: vec![int("messaging.kafka.offset", producers[orders - 1].2 + 1)],
            dropped_attributes_count: 1,
        },
    ];

    let mut cursor = consumer_start + 2 * MS;
    let allocate_end = cursor + rng.between(20, 60) * MS;
    let shipment_ids: Vec<AnyValue> =
        producers.iter().map(|p| AnyValue::String(format!("shp-{}", p.1 + 7_000_000))).collect();
    let allocate = Draft::new(
        &app,
        &trace_id,
        rng.id(),
        Some(batch.id),
        "allocate shipments",
        SpanKind::Internal,
        cursor,
        allocate_end,
        vec![
            int("shipment.count", orders as i64),
            attr("shipment.ids", AnyValue::Array(shipment_ids)),
            text("warehouse", "fra-2"),
            attr("shipment.express", AnyValue::Bool(rng.chance(0.5))),
            attr("allocation.score", AnyValue::Double(0.5 + rng.unit() / 2.0)),
            attr(
                "allocation.weights",
                AnyValue::Array(vec![AnyValue::Double(0.6), AnyValue::Double(0.3), AnyValue::Double(0.1)]),
            ),
            attr("allocation.flags", AnyValue::Array(vec![AnyValue::Bool(true), AnyValue::Bool(false)])),
            attr("allocation.limits", AnyValue::KeyValueList(vec![int("max_parcels", 40), text("carrier", "dhl")])),
        ],
    );
    cursor = allocate_end + MS;

    let attempt_end = cursor + rng.between(90, 160) * MS;
    let carrier = |method: &str, status: i64| {
        vec![
            text("http.request.method", method),
            text("url.full", "https://api.carrier.example/v2/labels"),
            text("server.address", "api.carrier.example"),
            int("server.port", 443),
            int("http.response.status_code", status),
            text("peer.service", "carrier-api"),
        ]
    };
    let mut failed = Draft::new(
        &http,
        &trace_id,
        rng.id(),
        Some(batch.id),
        "POST",
        SpanKind::Client,
        cursor,
        attempt_end,
        carrier("POST", 503),
    );
    failed.detail.attributes.push(text("error.type", "503"));
    failed.detail.status =
        Status { code: StatusCode::Error, message: "HTTPError: 503 Server Error: Service Unavailable".to_string() };
    failed.detail.events = vec![Event {
        time_unix_nano: attempt_end - MS / 2,
        name: "exception".to_string(),
        attributes: vec![
            text("exception.type", "requests.exceptions.HTTPError"),
            text(
                "exception.message",
                "503 Server Error: Service Unavailable for url: https://api.carrier.example/v2/labels",
            ),
            text("exception.stacktrace", STACKTRACE),
            attr("exception.escaped", AnyValue::Bool(false)),
        ],
        dropped_attributes_count: 0,
    }];
    cursor = attempt_end + rng.between(40, 80) * MS;

    let retry_end = cursor + rng.between(40, 90) * MS;
    let mut retry = Draft::new(
        &http,
        &trace_id,
        rng.id(),
        Some(batch.id),
        "POST",
        SpanKind::Client,
        cursor,
        retry_end,
        carrier("POST", 201),
    );
    retry.detail.attributes.push(int("http.request.resend_count", 1));
    retry.detail.links = vec![failed.link(vec![text("link.reason", "retry of a failed attempt")])];
    cursor = retry_end + MS;

    let write_end = (cursor + rng.between(3, 12) * MS).min(end_ns - 2 * MS);
    let write = Draft::new(
        &db,
        &trace_id,
        rng.id(),
        Some(batch.id),
        "INSERT shop.shipments",
        SpanKind::Client,
        cursor.min(write_end),
        write_end,
        vec![
            text("db.system", "postgresql"),
            text("db.namespace", "shop"),
            text("db.operation.name", "INSERT"),
            text("db.query.text", "INSERT INTO shipments (id, order_id, label) VALUES ($1, $2, $3)"),
            int("db.response.returned_rows", orders as i64),
            text("peer.service", "postgres"),
            text("server.address", "10.0.20.5"),
            int("server.port", 5432),
        ],
    );

    let consumer_trace = [batch, allocate, failed, retry, write].into_iter().map(Draft::into_span).collect();
    OtelBatch { producer_traces, consumer_trace }
}

/// What Python's `traceback` prints for the carrier's refusal (the `exception.stacktrace` OTel records).
const STACKTRACE: &str = r#"Traceback (most recent call last):
  File "/app/shipping/batch.py", line 88, in process_batch
    labels = carrier.create_labels(shipments)
  File "/app/shipping/carrier.py", line 41, in create_labels
    response.raise_for_status()
  File "/usr/local/lib/python3.12/site-packages/requests/models.py", line 1024, in raise_for_status
    raise HTTPError(http_error_msg, response=self)
requests.exceptions.HTTPError: 503 Server Error: Service Unavailable for url: https://api.carrier.example/v2/labels"#;
