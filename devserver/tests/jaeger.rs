//! Jaeger's side of the devserver over real HTTP and UDP: hand-built Thrift batches (binary to the
//! collector's `POST /api/traces`, compact `emitBatch` / `emitZipkinBatch` datagrams to the agent) read back
//! through the legacy Jaeger API, API v3 and Zipkin's API with known values; Jaeger's search semantics,
//! envelopes, status codes and error texts; traces ingested as Zipkin or OTLP readable as Jaeger; CORS; and
//! malformed Thrift that never panics.
mod common;
use common::thrift::{
    agent_call, batch, binary, compact, jaeger_span, log, s as string, span_ref, tag_binary, tag_bool, tag_double,
    tag_long, tag_str, SpanSpec, T,
};
use common::{gzip, TestServer};
use serde_json::{json, Value};
use spanscope_devserver::jaeger_thrift::{decode_agent_datagram, decode_binary_batch};
use std::sync::atomic::Ordering;
use std::time::Duration;

const TRACE: &str = "11223344556677880102030405060708";
const TRACE_HIGH: i64 = 0x1122_3344_5566_7788;
const TRACE_LOW: i64 = 0x0102_0304_0506_0708;

/// A start time a minute ago (µs), inside every default window.
fn t0() -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap();
    now.as_micros() as i64 - 60_000_000
}

/// Billing's trace: a server root with typed tags, an error and a log; a client child named by
/// `parentSpanId`; and an `audit` span with a CHILD_OF and a FOLLOWS_FROM to another trace.
fn billing_batch(t0: i64) -> T {
    let root = jaeger_span(SpanSpec {
        trace: (TRACE_HIGH, TRACE_LOW),
        id: 0xa,
        parent: 0,
        name: "POST /charge",
        start: t0,
        duration: 5_000,
        references: vec![],
        tags: vec![
            tag_str("span.kind", "server"),
            tag_long("http.status_code", 500),
            tag_bool("error", true),
            tag_double("ratio", 0.5),
            tag_binary("blob", &[1, 2, 3]),
        ],
        logs: vec![log(t0 + 100, vec![tag_str("event", "retry"), tag_long("attempt", 2)])],
    });
    let child = jaeger_span(SpanSpec {
        trace: (TRACE_HIGH, TRACE_LOW),
        id: 0xb,
        parent: 0xa,
        name: "charge-card",
        start: t0 + 1_000,
        duration: 2_000,
        references: vec![],
        tags: vec![tag_str("span.kind", "client"), tag_str("peer.service", "visa")],
        logs: vec![],
    });
    let audit = jaeger_span(SpanSpec {
        trace: (TRACE_HIGH, TRACE_LOW),
        id: 0xc,
        parent: 0,
        name: "audit",
        start: t0 + 4_000,
        duration: 100,
        references: vec![span_ref(0, TRACE_HIGH, TRACE_LOW, 0xa), span_ref(1, 0, 0x99, 0x98)],
        tags: vec![],
        logs: vec![],
    });
    batch("Billing", vec![tag_str("host", "h1"), tag_long("pid", 42)], vec![root, child, audit])
}

/// Two one-span Shipping traces, 10 ms and 20 ms after `t0`.
fn shipping_batch(t0: i64) -> T {
    let ship = |low: i64, start: i64| {
        jaeger_span(SpanSpec {
            trace: (0, low),
            id: low,
            parent: 0,
            name: "ship",
            start,
            duration: 100,
            references: vec![],
            tags: vec![tag_str("region", "eu")],
            logs: vec![],
        })
    };
    batch("Shipping", vec![], vec![ship(0x51, t0 + 10_000), ship(0x52, t0 + 20_000)])
}

async fn post_thrift(s: &TestServer, body: Vec<u8>) {
    let (status, text) = s.post("/api/traces", "application/x-thrift", body).await;
    assert_eq!(status, 202, "{text}");
    assert_eq!(text, "");
}

/// A server with Billing and Shipping (over the collector) and a Zipkin trace frontend → backend.
async fn loaded() -> (TestServer, i64) {
    let s = TestServer::start(&[]).await;
    let t0 = t0();
    post_thrift(&s, binary(&billing_batch(t0))).await;
    post_thrift(&s, binary(&shipping_batch(t0))).await;
    s.post_v2(&json!([
        {"traceId": "00000000000000f1", "id": "0000000000000001", "name": "get /", "kind": "SERVER",
         "timestamp": t0 + 30_000, "duration": 900, "localEndpoint": {"serviceName": "frontend"}},
        {"traceId": "00000000000000f1", "id": "0000000000000002", "parentId": "0000000000000001", "name": "query",
         "kind": "SERVER", "timestamp": t0 + 30_100, "duration": 500, "localEndpoint": {"serviceName": "backend"}}
    ]))
    .await;
    (s, t0)
}

fn tag<'a>(span: &'a Value, key: &str) -> &'a Value {
    span["tags"].as_array().unwrap().iter().find(|t| t["key"] == key).unwrap_or_else(|| panic!("no tag {key}: {span}"))
}

fn span_named<'a>(trace: &'a Value, name: &str) -> &'a Value {
    trace["spans"].as_array().unwrap().iter().find(|s| s["operationName"] == name).expect(name)
}

#[tokio::test]
async fn a_collector_batch_reads_back_through_all_three_apis() {
    let (s, t0) = loaded().await;

    // The legacy API: Jaeger JSON as Jaeger UI reads it.
    let answer = s.get_json(&format!("/api/traces/{TRACE}")).await;
    assert_eq!((answer["total"].clone(), answer["errors"].clone()), (json!(0), Value::Null));
    let trace = &answer["data"][0];
    assert_eq!(trace["traceID"], TRACE);
    assert_eq!(
        trace["processes"]["p1"],
        json!({"serviceName": "Billing", "tags": [
            {"key": "host", "type": "string", "value": "h1"}, {"key": "pid", "type": "int64", "value": 42}]})
    );
    let root = span_named(trace, "POST /charge");
    assert_eq!((root["spanID"].clone(), root["startTime"].clone()), (json!("000000000000000a"), json!(t0)));
    assert_eq!((root["duration"].clone(), root["references"].clone()), (json!(5_000), json!([])));
    assert_eq!(tag(root, "http.status_code")["value"], 500);
    assert_eq!(tag(root, "ratio"), &json!({"key": "ratio", "type": "float64", "value": 0.5}));
    assert_eq!(tag(root, "blob"), &json!({"key": "blob", "type": "binary", "value": "AQID"}));
    assert_eq!(tag(root, "span.kind")["value"], "server");
    assert_eq!(tag(root, "error")["value"], true);
    assert_eq!(
        root["logs"],
        json!([{"timestamp": t0 + 100, "fields": [
            {"key": "event", "type": "string", "value": "retry"}, {"key": "attempt", "type": "int64", "value": 2}]}])
    );
    let parent_ref = json!({"refType": "CHILD_OF", "traceID": TRACE, "spanID": "000000000000000a"});
    assert_eq!(span_named(trace, "charge-card")["references"], json!([parent_ref]));
    assert_eq!(
        span_named(trace, "audit")["references"],
        json!([parent_ref, {"refType": "FOLLOWS_FROM", "traceID": "0000000000000099", "spanID": "0000000000000098"}])
    );

    // Zipkin's API: the Collector's translation, normalised as Zipkin stores it.
    let zipkin = s.get_json(&format!("/api/v2/trace/{TRACE}")).await;
    let by_id = |id: &str| zipkin.as_array().unwrap().iter().find(|s| s["id"] == id).unwrap().clone();
    let (root, child) = (by_id("000000000000000a"), by_id("000000000000000b"));
    assert_eq!((root["name"].clone(), root["kind"].clone()), (json!("post /charge"), json!("SERVER")));
    assert_eq!(root["localEndpoint"]["serviceName"], "billing");
    assert_eq!(root["tags"]["http.status_code"], "500");
    assert_eq!(root["annotations"][0]["timestamp"], t0 + 100);
    assert_eq!((child["parentId"].clone(), child["kind"].clone()), (json!("000000000000000a"), json!("CLIENT")));
    assert_eq!(child["remoteEndpoint"]["serviceName"], "visa");
    assert_eq!(by_id("000000000000000c")["parentId"], "000000000000000a");

    // API v3: OTLP JSON.
    let v3 = s.get_json(&format!("/api/v3/traces/{TRACE}")).await;
    let rs = &v3["result"]["resourceSpans"][0];
    assert_eq!(rs["resource"]["attributes"][0], json!({"key": "service.name", "value": {"stringValue": "Billing"}}));
    let spans = rs["scopeSpans"][0]["spans"].as_array().unwrap();
    let root = spans.iter().find(|s| s["name"] == "POST /charge").unwrap();
    assert_eq!((root["kind"].clone(), root["status"]["code"].clone()), (json!(2), json!(2)));
    assert_eq!(root["traceId"], TRACE);
    assert_eq!(root["events"][0]["name"], "retry");
    let audit = spans.iter().find(|s| s["name"] == "audit").unwrap();
    assert_eq!(audit["links"][0]["spanId"], "0000000000000098");
}

#[tokio::test]
async fn names_come_as_sent_with_their_kinds() {
    let (s, _) = loaded().await;
    let services = s.get_json("/api/services").await;
    assert_eq!(services["data"], json!(["Billing", "Shipping", "backend", "frontend"]));
    assert_eq!((services["total"].clone(), services["errors"].clone()), (json!(4), Value::Null));
    let legacy = s.get_json("/api/services/Billing/operations").await;
    assert_eq!(
        (legacy["data"].clone(), legacy["total"].clone()),
        (json!(["POST /charge", "audit", "charge-card"]), json!(3))
    );
    assert_eq!(s.get_json("/api/services/billing/operations").await["data"], json!([]));
    assert_eq!(
        s.get_json("/api/operations?service=Billing").await["data"],
        json!([{"name": "POST /charge", "spanKind": "server"}, {"name": "audit", "spanKind": ""},
               {"name": "charge-card", "spanKind": "client"}])
    );
    assert_eq!(
        s.get_json("/api/operations?service=Billing&spanKind=server").await["data"],
        json!([{"name": "POST /charge", "spanKind": "server"}])
    );
    assert_eq!(
        s.get_json("/api/operations?service=frontend").await["data"],
        json!([{"name": "get /", "spanKind": "server"}])
    );
    let (status, body) = s.get_text("/api/operations").await;
    assert_eq!(status, 400);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["errors"],
        json!([{"code": 400, "msg": "parameter 'service' is required"}])
    );

    assert_eq!(
        s.get_json("/api/v3/services").await,
        json!({"services": ["Billing", "Shipping", "backend", "frontend"]})
    );
    assert_eq!(
        s.get_json("/api/v3/operations?service=Billing").await,
        json!({"operations": [{"name": "POST /charge", "spanKind": "server"}, {"name": "audit", "spanKind": "internal"},
                              {"name": "charge-card", "spanKind": "client"}]})
    );
    assert_eq!(
        s.get_json("/api/v3/operations?service=Billing&span_kind=client").await,
        json!({"operations": [{"name": "charge-card", "spanKind": "client"}]})
    );
    assert_eq!(s.get_json("/api/v3/operations?service=nobody").await, json!({}));
}

/// The trace ids of a legacy search answer.
async fn legacy_search(s: &TestServer, query: &str) -> Vec<String> {
    let answer = s.get_json(&format!("/api/traces?{query}")).await;
    assert_eq!((answer["total"].clone(), answer["errors"].clone()), (json!(0), Value::Null), "{query}");
    answer["data"].as_array().unwrap().iter().map(|t| t["traceID"].as_str().unwrap().to_string()).collect()
}

fn encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

#[tokio::test]
async fn legacy_search_follows_jaegers_rules() {
    let (s, t0) = loaded().await;
    let billing = vec![TRACE.to_string()];
    let none: Vec<String> = vec![];
    let tags = |json: &str| format!("service=Billing&tags={}", encode(json));
    assert_eq!(legacy_search(&s, "service=Billing").await, billing);
    assert_eq!(legacy_search(&s, "service=billing").await, none, "service names are exact");
    assert_eq!(legacy_search(&s, "service=Billing&operation=audit").await, billing);
    assert_eq!(legacy_search(&s, &tags(r#"{"http.status_code":"500"}"#)).await, billing);
    assert_eq!(legacy_search(&s, &tags(r#"{"http.status_code":"200"}"#)).await, none);
    assert_eq!(legacy_search(&s, &tags(r#"{"host":"h1"}"#)).await, billing, "a process tag");
    assert_eq!(legacy_search(&s, &tags(r#"{"attempt":"2"}"#)).await, billing, "a log field");
    assert_eq!(legacy_search(&s, &tags(r#"{"ratio":"0.5","blob":"AQID"}"#)).await, billing);
    assert_eq!(legacy_search(&s, "service=Billing&tag=error:true").await, billing, "the error status");
    assert_eq!(legacy_search(&s, "service=Billing&tag=peer.service:visa&tag=span.kind:client").await, billing);
    // Every criterion must hold in one span.
    assert_eq!(
        legacy_search(&s, &format!("{}&operation=charge-card", tags(r#"{"http.status_code":"500"}"#))).await,
        none
    );
    assert_eq!(legacy_search(&s, "service=Billing&minDuration=4ms").await, billing);
    assert_eq!(legacy_search(&s, "service=Billing&minDuration=5.001ms").await, none);
    assert_eq!(
        legacy_search(&s, "service=Billing&minDuration=50us&maxDuration=150us").await,
        billing,
        "the audit span"
    );
    assert_eq!(legacy_search(&s, "service=Billing&operation=audit&maxDuration=99us").await, none);
    assert_eq!(legacy_search(&s, &format!("service=Billing&start={}", t0 + 4_500)).await, none);
    assert_eq!(legacy_search(&s, &format!("service=Billing&start={}", t0 + 4_000)).await, billing);
    assert_eq!(legacy_search(&s, &format!("service=Billing&end={}", t0 - 1)).await, none);
    assert_eq!(legacy_search(&s, &format!("service=Billing&end={t0}&lookback=1h")).await, billing);
    // Newest first, `limit` at most.
    assert_eq!(legacy_search(&s, "service=Shipping").await, ["0000000000000052", "0000000000000051"]);
    assert_eq!(legacy_search(&s, "service=Shipping&limit=1").await, ["0000000000000052"]);
    // A Zipkin trace is searched as the Collector reads it.
    assert_eq!(legacy_search(&s, "service=backend&operation=query&tag=span.kind:server").await, ["00000000000000f1"]);

    // By id: an unknown id is reported in `errors`, the answer still a 200.
    let answer = s.get_json(&format!("/api/traces?traceID={TRACE}&traceID=ff")).await;
    assert_eq!(answer["data"][0]["traceID"], TRACE);
    assert_eq!(answer["errors"], json!([{"msg": "trace not found", "traceID": "00000000000000ff"}]));
}

/// A request's status, content type and parsed body.
async fn get_error(s: &TestServer, path: &str) -> (u16, String, Value) {
    let r = s.get(path).await;
    let status = r.status().as_u16();
    let content_type = r.headers()["content-type"].to_str().unwrap().to_string();
    let body = r.text().await.unwrap();
    assert!(body.ends_with('\n'), "http.Error ends its body with a newline: {body:?}");
    (status, content_type, serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}")))
}

#[tokio::test]
async fn legacy_errors_have_jaegers_envelope_status_and_text() {
    let (s, _) = loaded().await;
    let (status, content_type, body) = get_error(&s, "/api/traces/00000000000000ff").await;
    assert_eq!((status, content_type.as_str()), (404, "text/plain; charset=utf-8"));
    assert_eq!(
        body,
        json!({"data": null, "total": 0, "limit": 0, "offset": 0, "errors": [{"code": 404, "msg": "trace not found"}]})
    );
    let cases = [
        ("/api/traces/xyz", 400, "strconv.ParseUint: parsing \"xyz\": invalid syntax"),
        (
            "/api/traces/ff?start=soon",
            400,
            "unable to parse param 'start': strconv.ParseInt: parsing \"soon\": invalid syntax",
        ),
        (
            "/api/traces/ff?raw=maybe",
            400,
            "unable to parse param 'raw': strconv.ParseBool: parsing \"maybe\": invalid syntax",
        ),
        ("/api/traces", 400, "parameter 'service' is required"),
        (
            "/api/traces?service=a&minDuration=5",
            400,
            "unable to parse param 'minDuration': time: missing unit in duration \"5\"",
        ),
        (
            "/api/traces?service=a&start=x",
            400,
            "unable to parse param 'start': strconv.ParseInt: parsing \"x\": invalid syntax",
        ),
        (
            "/api/traces?service=a&minDuration=2s&maxDuration=1s",
            400,
            "'maxDuration' should be greater than 'minDuration'",
        ),
        ("/api/traces?service=a&tag=novalue", 400, "malformed 'tag' parameter, expecting key:value, received: novalue"),
        ("/api/traces?service=a&limit=ten", 400, "strconv.ParseInt: parsing \"ten\": invalid syntax"),
        (
            "/api/traces?traceID=xyz",
            400,
            "cannot parse traceID param: strconv.ParseUint: parsing \"xyz\": invalid syntax",
        ),
        ("/api/traces?service=a&limit=0", 500, "search depth must be greater than 0 and less than max traces"),
        (
            "/api/dependencies?endTs=x",
            400,
            "unable to parse param 'endTs': strconv.ParseInt: parsing \"x\": invalid syntax",
        ),
    ];
    for (path, want_status, message) in cases {
        let (status, _, body) = get_error(&s, path).await;
        assert_eq!(status, want_status, "{path}");
        assert_eq!(body["errors"], json!([{"code": want_status, "msg": message}]), "{path}");
    }
    let (_, _, body) = get_error(&s, "/api/traces?service=a&tags=%7Bnot").await;
    let message = body["errors"][0]["msg"].as_str().unwrap();
    assert!(message.starts_with("malformed 'tags' parameter, cannot unmarshal JSON: "), "{message}");
}

#[tokio::test]
async fn dependencies_count_every_parent_child_pair() {
    let (s, _) = loaded().await;
    let now = spanscope_devserver::query::now_millis();
    let answer = s.get_json(&format!("/api/dependencies?endTs={now}&lookback=3600000")).await;
    assert_eq!(
        answer["data"],
        json!([{"parent": "Billing", "child": "Billing", "callCount": 2},
               {"parent": "frontend", "child": "backend", "callCount": 1}])
    );
    let filtered = s.get_json(&format!("/api/dependencies?endTs={now}&service=backend")).await;
    assert_eq!(filtered["data"], json!([{"parent": "frontend", "child": "backend", "callCount": 1}]));
    // A window that ends before the traces do holds none of them.
    let early = s.get_json(&format!("/api/dependencies?endTs={}&lookback=3600000", now - 70_000)).await;
    assert_eq!(early["data"], json!([]));
}

fn rfc3339(us: i64) -> String {
    let secs = us.div_euclid(1_000_000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil from days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:06}000Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        us.rem_euclid(1_000_000)
    )
}

/// The trace ids in a v3 answer, in order of first appearance.
fn v3_trace_ids(answer: &Value) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    for rs in answer["result"]["resourceSpans"].as_array().unwrap() {
        for ss in rs["scopeSpans"].as_array().unwrap() {
            for span in ss["spans"].as_array().unwrap() {
                let id = span["traceId"].as_str().unwrap().to_string();
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
    }
    ids
}

#[tokio::test]
async fn api_v3_search_answers_otlp_or_a_404() {
    let (s, t0) = loaded().await;
    let window =
        format!("query.start_time_min={}&query.start_time_max={}", rfc3339(t0 - 1_000_000), rfc3339(t0 + 1_000_000));
    let search = |q: String| format!("/api/v3/traces?{window}&{q}");
    let answer = s.get_json(&search("query.service_name=Billing".into())).await;
    assert_eq!(v3_trace_ids(&answer), [TRACE]);
    let spans = &answer["result"]["resourceSpans"][0]["scopeSpans"][0]["spans"];
    assert_eq!(spans.as_array().unwrap().len(), 3);
    let attributes = encode(r#"{"http.status_code":"500"}"#);
    let answer = s.get_json(&search(format!("query.serviceName=Billing&query.attributes={attributes}"))).await;
    assert_eq!(v3_trace_ids(&answer), [TRACE]);
    let answer = s.get_json(&search("query.service_name=Shipping&query.num_traces=1".into())).await;
    assert_eq!(v3_trace_ids(&answer), ["00000000000000000000000000000052"]);
    let answer = s
        .get_json(&search(
            "query.service_name=Billing&query.duration_min=4ms&query.operation_name=POST%20/charge".into(),
        ))
        .await;
    assert_eq!(v3_trace_ids(&answer), [TRACE]);

    let (status, _, body) = get_error(&s, &search("query.service_name=Billing&query.duration_min=6ms".into())).await;
    assert_eq!((status, body), (404, json!({"error": {"httpCode": 404, "message": "No traces found"}})));
    let (status, _, body) = get_error(&s, "/api/v3/traces?query.service_name=Billing").await;
    assert_eq!(
        (status, body),
        (400, json!({"error": {"httpCode": 400, "message": "query.startTimeMin and query.startTimeMax are required"}}))
    );
    let (status, _, body) = get_error(&s, "/api/v3/traces/00000000000000ff").await;
    assert_eq!((status, body), (404, json!({"error": {"httpCode": 404, "message": "No traces found"}})));
    let (status, _, body) = get_error(&s, &format!("/api/v3/traces/{TRACE}?start_time=yesterday")).await;
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().starts_with("malformed parameter start_time: parsing time"));
}

#[tokio::test]
async fn traces_ingested_as_zipkin_or_otlp_read_as_jaeger() {
    let (s, _) = loaded().await;
    let answer = s.get_json("/api/traces/f1").await;
    let trace = &answer["data"][0];
    assert_eq!(trace["traceID"], "00000000000000f1");
    let query = span_named(trace, "query");
    assert_eq!(
        query["references"],
        json!([{"refType": "CHILD_OF", "traceID": "00000000000000f1", "spanID": "0000000000000001"}])
    );
    assert_eq!(tag(query, "span.kind")["value"], "server");
    let process = &trace["processes"][query["processID"].as_str().unwrap()];
    assert_eq!(process["serviceName"], "backend");

    let start = t0() as u64 * 1000;
    let otlp = json!({"resourceSpans": [{"resource": {"attributes": [
        {"key": "service.name", "value": {"stringValue": "Checkout"}}]},
        "scopeSpans": [{"scope": {"name": "otel-lib"}, "spans": [{
            "traceId": "0af7651916cd43dd8448eb211c80319c", "spanId": "b7ad6b7169203331", "name": "PlaceOrder",
            "kind": 2, "startTimeUnixNano": start.to_string(), "endTimeUnixNano": (start + 3_000_000).to_string(),
            "attributes": [{"key": "order.items", "value": {"intValue": "3"}}]}]}]}]});
    let (status, _, body) =
        s.post_bytes("/v1/traces", "application/json", None, serde_json::to_vec(&otlp).unwrap()).await;
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let answer = s.get_json("/api/traces?service=Checkout&tags=%7B%22order.items%22%3A%223%22%7D").await;
    let span = &answer["data"][0]["spans"][0];
    assert_eq!(answer["data"][0]["traceID"], "0af7651916cd43dd8448eb211c80319c");
    assert_eq!((span["operationName"].clone(), span["duration"].clone()), (json!("PlaceOrder"), json!(3_000)));
    assert_eq!(tag(span, "order.items"), &json!({"key": "order.items", "type": "int64", "value": 3}));
    assert_eq!(tag(span, "otel.scope.name")["value"], "otel-lib");
}

#[tokio::test]
async fn the_collector_refuses_what_it_cannot_read() {
    let s = TestServer::start(&[]).await;
    let body = binary(&billing_batch(t0()));
    let (status, text) = s.post("/api/traces", "application/json", body.clone()).await;
    assert_eq!((status, text.as_str()), (400, "Unsupported content type: application/json"));
    let (status, text) = s.post("/api/traces", "application/x-thrift", body[..body.len() / 2].to_vec()).await;
    assert_eq!(status, 400);
    assert!(text.starts_with("Unable to process request body: Truncated"), "{text}");
    let (status, text) = s.post("/api/traces", "application/x-thrift", vec![0x63, 0x6f, 0x6d]).await;
    assert_eq!(
        (status, text.as_str()),
        (400, "Unable to process request body: Malformed: unknown thrift type 99 at offset 0")
    );
    // The other media type the Collector's receiver takes, gzipped.
    let r = s
        .client
        .post(s.url("/api/traces"))
        .header("content-type", "application/vnd.apache.thrift.binary")
        .header("content-encoding", "gzip")
        .body(gzip(&body))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 202);
    assert_eq!(s.get_json("/api/services").await["data"], json!(["Billing"]));
}

#[tokio::test]
async fn jaeger_apis_answer_cors_like_zipkins() {
    let (s, _) = loaded().await;
    for path in ["/api/traces?service=Billing", "/api/services", "/api/v3/services", "/zipkin/api/services"] {
        let r = s.client.get(s.url(path)).header("origin", "http://ui.example").send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        assert_eq!(r.headers()["access-control-allow-origin"], "*", "{path}");
    }
    let preflight = s
        .client
        .request(reqwest::Method::OPTIONS, s.url("/api/v3/traces"))
        .header("origin", "http://ui.example")
        .header("access-control-request-method", "GET")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status().as_u16(), 200);
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
    let limited = TestServer::start(&["--allowed-origins", "http://ok.example"]).await;
    let r =
        limited.client.get(limited.url("/api/services")).header("origin", "http://evil.example").send().await.unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

/// Polls until `path` answers 200 (the agent stores datagrams in the background).
async fn eventually(s: &TestServer, path: &str) -> Value {
    for _ in 0..100 {
        let (status, body) = s.get_text(path).await;
        if status == 200 {
            return serde_json::from_str(&body).unwrap();
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("{path} never answered 200");
}

#[tokio::test]
async fn the_agent_takes_compact_emit_batch_and_survives_garbage() {
    let s = TestServer::start(&["--jaeger-agent", "127.0.0.1:0"]).await;
    let (agent, counters) = s.agent.clone().expect("an agent");
    let socket = tokio::net::UdpSocket::bind("127.0.0.1:0").await.unwrap();
    socket.send_to(b"not thrift at all", agent).await.unwrap();
    socket.send_to(&agent_call("emitBatch", vec![(1, billing_batch(t0()))]), agent).await.unwrap();
    let answer = eventually(&s, &format!("/api/traces/{TRACE}")).await;
    let trace = &answer["data"][0];
    assert_eq!(trace["processes"]["p1"]["serviceName"], "Billing");
    assert_eq!(tag(span_named(trace, "POST /charge"), "http.status_code")["value"], 500);
    assert_eq!(span_named(trace, "charge-card")["references"][0]["spanID"], "000000000000000a");
    assert_eq!(counters.datagrams.load(Ordering::Relaxed), 2);
    assert_eq!(counters.errors.load(Ordering::Relaxed), 1);
    assert_eq!(counters.spans.load(Ordering::Relaxed), 3);

    // Zipkin's thrift spans through the agent (`emitZipkinBatch`, compact too).
    let endpoint = T::Struct(vec![(3, string("legacy-svc"))]);
    let zipkin_span = T::Struct(vec![
        (1, T::I64(0x77)),
        (3, string("Lookup")),
        (4, T::I64(0x78)),
        (6, T::List(vec![T::Struct(vec![(1, T::I64(t0())), (2, string("sr")), (3, endpoint)])])),
        (10, T::I64(t0())),
        (11, T::I64(300)),
    ]);
    socket.send_to(&agent_call("emitZipkinBatch", vec![(1, T::List(vec![zipkin_span]))]), agent).await.unwrap();
    let zipkin = eventually(&s, "/api/v2/trace/0000000000000077").await;
    assert_eq!(zipkin[0]["name"], "lookup");
    assert_eq!(zipkin[0]["localEndpoint"]["serviceName"], "legacy-svc");
    assert_eq!((zipkin[0]["kind"].clone(), zipkin[0]["duration"].clone()), (json!("SERVER"), json!(300)));
}

#[test]
fn a_compact_and_a_binary_batch_decode_alike() {
    let batch = billing_batch(1_700_000_000_000_000);
    let from_binary = decode_binary_batch(&binary(&batch)).unwrap();
    let from_agent = decode_agent_datagram(&agent_call("emitBatch", vec![(1, batch.clone())])).unwrap();
    assert_eq!(from_binary, from_agent);
    assert_eq!(from_binary.len(), 3);
    let root = &from_binary[0];
    assert_eq!((root.trace_id.as_str(), root.id.as_str()), (TRACE, "000000000000000a"));
    let detail = root.detail.as_ref().unwrap();
    assert_eq!(detail.start_time_unix_nano, 1_700_000_000_000_000_000);
    assert_eq!(detail.end_time_unix_nano, 1_700_000_000_005_000_000);
    // The bare struct would fail as a datagram (no message header) and the other way round.
    assert!(decode_agent_datagram(&binary(&batch)).is_err());
    assert!(decode_binary_batch(&compact(&batch)).is_err());
    assert!(decode_agent_datagram(&agent_call("emitSomething", vec![])).unwrap_err().0.contains("unknown method"));
}

#[test]
fn mutated_and_random_thrift_never_panics() {
    // Every byte of a full batch (binary) and a full datagram (compact) replaced by a few values, every cut,
    // and pseudo-random garbage: errors or spans, never a panic or a runaway allocation.
    let batch = billing_batch(1_700_000_000_000_000);
    let body = binary(&batch);
    let datagram = agent_call("emitBatch", vec![(1, batch)]);
    for (message, decode) in
        [(&body, decode_binary_batch as fn(&[u8]) -> _), (&datagram, decode_agent_datagram as fn(&[u8]) -> _)]
    {
        for at in 0..message.len() {
            for value in [0x00, 0x01, 0x0f, 0x7f, 0x80, 0xff] {
                let mut mutated = message.clone();
                mutated[at] = value;
                let _ = decode(&mutated);
            }
            let _ = decode(&message[..at]);
        }
    }
    let mut state = 0x2545_f491_4f6c_dd1du64;
    for len in 0..3_000 {
        let mut garbage: Vec<u8> = (0..len % 400)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let _ = decode_binary_batch(&garbage);
        if garbage.len() > 2 {
            // A valid header in front, so the garbage reaches the struct readers.
            garbage.splice(0..2, [0x82, 0x81]);
        }
        let _ = decode_agent_datagram(&garbage);
    }
}
