//! The OTLP trace the browser tests open, written as an SDK's exporter writes it: a checkout server
//! span (typed attributes of every kind, 300 more to filter, an error status, a cache event and an
//! exception with a stack trace), two producer spans, and a batch consumer on another service that
//! links to both producers and to a span of another trace.
#![allow(dead_code)]

pub const TRACE: &str = "5b8efff798038103d269b633813fc60c";
pub const OTHER_TRACE: &str = "0af7651916cd43dd8448eb211c80319c";
/// 2024-03-01 12:00:00 UTC in ns.
pub const T0: u64 = 1_709_294_400_000_000_000;
pub const STACK: &str = "java.lang.IllegalStateException: card <b>declined</b>\n\tat shop.Payments.charge(Payments.java:42)\n\tat shop.Checkout.post(Checkout.java:17)";

fn s(v: &str) -> String {
    format!(r#"{{"stringValue":{}}}"#, serde_json::to_string(v).unwrap())
}

fn kv(key: &str, value: &str) -> String {
    format!(r#"{{"key":"{key}","value":{value}}}"#)
}

fn ns(ms: u64) -> String {
    format!("\"{}\"", T0 + ms * 1_000_000)
}

/// The trace as OTLP JSON, as an SDK's exporter writes it.
pub fn otlp_json() -> String {
    let settings: Vec<String> =
        (0..300).map(|i| kv(&format!("app.setting.{i:03}"), &format!(r#"{{"intValue":"{i}"}}"#))).collect();
    let checkout_attributes = [
        kv("http.request.method", &s("POST")),
        kv("http.response.status_code", r#"{"intValue":"502"}"#),
        kv("retry.ratio", r#"{"doubleValue":0.25}"#),
        kv("cache.hit", r#"{"boolValue":false}"#),
        kv("order.tags", &format!(r#"{{"arrayValue":{{"values":[{},{{"intValue":"7"}}]}}}}"#, s("gift"))),
        kv("payload", r#"{"bytesValue":"aGVsbG8="}"#),
        kv(
            "payment",
            &format!(
                r#"{{"kvlistValue":{{"values":[{},{}]}}}}"#,
                kv("provider", &s("acme")),
                kv("attempts", r#"{"intValue":"2"}"#)
            ),
        ),
    ]
    .into_iter()
    .chain(settings)
    .collect::<Vec<_>>()
    .join(",");
    let exception = [
        kv("exception.type", &s("java.lang.IllegalStateException")),
        kv("exception.message", &s("card <b>declined</b>")),
        kv("exception.stacktrace", &s(STACK)),
        kv("thread.name", &s("http-7")),
    ]
    .join(",");
    let span = |id: &str, parent: &str, name: &str, kind: u8, start: u64, end: u64, rest: &str| {
        format!(
            r#"{{"traceId":"{TRACE}","spanId":"{id}","parentSpanId":"{parent}","name":"{name}","kind":{kind},
               "startTimeUnixNano":{},"endTimeUnixNano":{}{rest}}}"#,
            ns(start),
            ns(end)
        )
    };
    let checkout = span(
        "00000000000000c1",
        "",
        "POST /checkout",
        2,
        0,
        40,
        &format!(
            r#","attributes":[{checkout_attributes}],"status":{{"code":2,"message":"payment declined"}},
               "events":[{{"timeUnixNano":{},"name":"cache miss","attributes":[{}]}},
                         {{"timeUnixNano":{},"name":"exception","attributes":[{exception}]}}]"#,
            ns(5),
            kv("cache.key", &s("cart:42")),
            ns(30)
        ),
    );
    let producer = |id: &str, start: u64| span(id, "00000000000000c1", "send order", 4, start, start + 3, "");
    let link = |trace: &str, id: &str, attrs: &str| {
        format!(r#"{{"traceId":"{trace}","spanId":"{id}","attributes":[{attrs}]}}"#)
    };
    let consumer = span(
        "00000000000000b1",
        "00000000000000c1",
        "process orders",
        5,
        20,
        35,
        &format!(
            r#","links":[{},{},{}],"droppedAttributesCount":3"#,
            link(TRACE, "00000000000000a1", &kv("batch.index", r#"{"intValue":"0"}"#)),
            link(TRACE, "00000000000000a2", ""),
            link(OTHER_TRACE, "00f067aa0ba902b7", &kv("messaging.system", &s("kafka")))
        ),
    );
    let resource =
        |service: &str, extra: &str| format!(r#"{{"attributes":[{}{extra}]}}"#, kv("service.name", &s(service)));
    format!(
        r#"{{"resourceSpans":[
          {{"resource":{},"scopeSpans":[{{"scope":{{"name":"io.opentelemetry.servlet","version":"2.1.0"}},
             "spans":[{checkout},{},{}]}}]}},
          {{"resource":{},"scopeSpans":[{{"scope":{{"name":"io.opentelemetry.kafka"}},"spans":[{consumer}]}}]}}
        ]}}"#,
        resource(
            "checkout",
            &format!(",{},{}", kv("telemetry.sdk.name", &s("opentelemetry")), kv("host.name", &s("node-7")))
        ),
        producer("00000000000000a1", 10),
        producer("00000000000000a2", 12),
        resource("billing", &format!(",{}", kv("k8s.pod.name", &s("billing-5f9c"))))
    )
}
