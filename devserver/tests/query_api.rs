//! The query API's semantics (ZIPKIN.md §1; Zipkin's `QueryRequest`, `InMemoryStorage`, `ZipkinQueryApiV2`),
//! over real HTTP against a server started on an ephemeral port.
mod common;
use common::{span, trace_ids, TestServer};
use serde_json::json;

const T0: u64 = 1_700_000_000_000_000; // µs
const T0_MS: u64 = T0 / 1000;

/// Three traces at T0, T0+1s, T0+2s with distinct shapes.
async fn scenario() -> TestServer {
    let s = TestServer::start(&["--autocomplete-keys", "http.method,env"]).await;
    let mut a_client = span(
        "000000000000000a",
        "000000000000000b",
        Some("000000000000000a"),
        "FrontEnd",
        "GET /Checkout",
        T0 + 10,
        500,
    );
    a_client["kind"] = "CLIENT".into();
    a_client["remoteEndpoint"] = json!({"serviceName": "Backend"});
    a_client["tags"] = json!({"http.method": "GET", "env": "prod"});
    let mut a_server =
        span("000000000000000a", "000000000000000b", Some("000000000000000a"), "backend", "checkout", T0 + 20, 400);
    a_server["kind"] = "SERVER".into();
    a_server["shared"] = true.into();
    a_server["annotations"] = json!([{"timestamp": T0 + 30, "value": "cache.miss"}]);
    a_server["tags"] = json!({"error": "", "sql.query": "select"});
    s.post_v2(&json!([
        span("000000000000000a", "000000000000000a", None, "frontend", "root-a", T0, 1000),
        a_client,
        a_server
    ]))
    .await;
    s.post_v2(&json!([
        span("000000000000000c", "000000000000000c", None, "frontend", "root-c", T0 + 1_000_000, 2_000_000),
        span(
            "000000000000000c",
            "000000000000000d",
            Some("000000000000000c"),
            "backend",
            "slow",
            T0 + 1_000_100,
            1_500_000
        ),
    ]))
    .await;
    let mut e = span("000000000000000e", "000000000000000e", None, "backend", "lonely", T0 + 2_000_000, 50);
    e["tags"] = json!({"http.method": "POST", "env": "dev"});
    s.post_v2(&json!([e, {"traceId": "000000000000000e", "id": "000000000000000f", "parentId": "000000000000000e", "name": "untimed",
        "localEndpoint": {"serviceName": "worker"}}]))
    .await;
    s
}

fn q(extra: &str) -> String {
    format!("/api/v2/traces?endTs={}&lookback=10000{}", T0_MS + 3000, extra)
}

#[tokio::test]
async fn name_lists_are_sorted_lower_case_and_scoped_to_a_service() {
    let s = scenario().await;
    assert_eq!(s.get_json("/api/v2/services").await, json!(["backend", "frontend", "worker"]));
    assert_eq!(s.get_json("/api/v2/spans?serviceName=FRONTEND").await, json!(["get /checkout", "root-a", "root-c"]));
    assert_eq!(s.get_json("/api/v2/remoteServices?serviceName=frontend").await, json!(["backend"]));
    assert_eq!(s.get_json("/api/v2/remoteServices?serviceName=backend").await, json!([]));
    assert_eq!(s.get_json("/api/v2/spans?serviceName=").await, json!([]));
    assert_eq!(s.get_json("/api/v2/spans?serviceName=nobody").await, json!([]));
    let (status, body) = s.get_text("/api/v2/spans").await;
    assert_eq!((status, body.as_str()), (400, "Mandatory parameter/header is missing: serviceName"));
    let (status, _) = s.get_text("/api/v2/remoteServices").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn name_lists_are_cacheable_past_three_services() {
    let s = scenario().await;
    let r = s.get("/api/v2/services").await;
    assert!(r.headers().get("cache-control").is_none(), "3 services: not cached yet");
    s.post_v2(&json!([span("0000000000000aaa", "0000000000000aaa", None, "fourth", "x", T0, 1)])).await;
    let r = s.get("/api/v2/services").await;
    assert_eq!(r.headers()["cache-control"], "max-age=300, must-revalidate");
    assert_eq!(r.headers()["content-type"], "application/json");
    let r = s.get("/api/v2/spans?serviceName=backend").await;
    assert_eq!(r.headers()["cache-control"], "max-age=300, must-revalidate");
}

#[tokio::test]
async fn traces_come_newest_first_and_limit_counts_traces() {
    let s = scenario().await;
    let all = s.get_json(&q("")).await;
    assert_eq!(trace_ids(&all), ["000000000000000e", "000000000000000c", "000000000000000a"]);
    assert_eq!(all[2].as_array().unwrap().len(), 3);
    assert_eq!(trace_ids(&s.get_json(&q("&limit=2")).await), ["000000000000000e", "000000000000000c"]);
    // The default limit is 10 and the default lookback one day: "now" finds nothing from 2023.
    assert_eq!(s.get_json("/api/v2/traces").await, json!([]));
}

#[tokio::test]
async fn the_window_is_inclusive_at_both_ends_and_uses_the_root_timestamp() {
    let s = scenario().await;
    // endTs exactly at trace a's root (ms): included; one ms earlier: excluded.
    let at = |end: u64, lookback: u64| format!("/api/v2/traces?endTs={end}&lookback={lookback}");
    assert_eq!(trace_ids(&s.get_json(&at(T0_MS, 1)).await), ["000000000000000a"]);
    assert_eq!(s.get_json(&at(T0_MS - 1, 1)).await, json!([]));
    // The window's start equal to the root's timestamp: included.
    assert_eq!(trace_ids(&s.get_json(&at(T0_MS + 1000, 1000)).await), ["000000000000000c", "000000000000000a"]);
    // Starting 1 ms after root a: excluded even though its child spans are later.
    assert_eq!(trace_ids(&s.get_json(&at(T0_MS + 1000, 999)).await), ["000000000000000c"]);
}

#[tokio::test]
async fn service_remote_service_and_span_name_match_lower_cased() {
    let s = scenario().await;
    assert_eq!(trace_ids(&s.get_json(&q("&serviceName=FrontEnd")).await), ["000000000000000c", "000000000000000a"]);
    assert_eq!(trace_ids(&s.get_json(&q("&serviceName=worker")).await), ["000000000000000e"]);
    assert_eq!(trace_ids(&s.get_json(&q("&remoteServiceName=BACKEND")).await), ["000000000000000a"]);
    assert_eq!(trace_ids(&s.get_json(&q("&spanName=SLOW")).await), ["000000000000000c"]);
    assert_eq!(s.get_json(&q("&spanName=all")).await.as_array().unwrap().len(), 3);
    assert_eq!(s.get_json(&q("&serviceName=&spanName=")).await.as_array().unwrap().len(), 3);
    // Other criteria apply to the spans of the named service only.
    assert_eq!(s.get_json(&q("&serviceName=frontend&spanName=slow")).await, json!([]));
    assert_eq!(trace_ids(&s.get_json(&q("&serviceName=backend&spanName=slow")).await), ["000000000000000c"]);
    assert_eq!(s.get_json(&q("&serviceName=nobody")).await, json!([]));
}

#[tokio::test]
async fn annotation_query_matches_tags_annotations_and_tag_keys() {
    let s = scenario().await;
    let aq = |expr: &str| q(&format!("&annotationQuery={}", expr.replace(' ', "%20").replace('=', "%3D")));
    assert_eq!(trace_ids(&s.get_json(&aq("http.method=GET")).await), ["000000000000000a"]);
    assert_eq!(trace_ids(&s.get_json(&aq("http.method=POST")).await), ["000000000000000e"]);
    assert_eq!(trace_ids(&s.get_json(&aq("cache.miss")).await), ["000000000000000a"], "an annotation value");
    assert_eq!(trace_ids(&s.get_json(&aq("error")).await), ["000000000000000a"], "a tag key, empty value");
    assert_eq!(trace_ids(&s.get_json(&aq("error and http.method=GET")).await), ["000000000000000a"]);
    assert_eq!(s.get_json(&aq("error and http.method=POST")).await, json!([]));
    assert_eq!(s.get_json(&aq("http.method=get")).await, json!([]), "values are exact");
    // Scoped to the service: the frontend span has http.method, the backend span has the error.
    assert_eq!(s.get_json(&q("&serviceName=backend&annotationQuery=http.method%3DGET")).await, json!([]));
    assert_eq!(trace_ids(&s.get_json(&q("&serviceName=backend&annotationQuery=error")).await), ["000000000000000a"]);
}

#[tokio::test]
async fn durations_match_any_span_of_the_service() {
    let s = scenario().await;
    assert_eq!(trace_ids(&s.get_json(&q("&minDuration=1500000")).await), ["000000000000000c"]);
    assert_eq!(trace_ids(&s.get_json(&q("&minDuration=1500000&maxDuration=1500000")).await), ["000000000000000c"]);
    assert_eq!(trace_ids(&s.get_json(&q("&minDuration=400&maxDuration=450")).await), ["000000000000000a"]);
    assert_eq!(s.get_json(&q("&serviceName=frontend&minDuration=400&maxDuration=450")).await, json!([]));
    assert_eq!(
        trace_ids(&s.get_json(&q("&serviceName=backend&minDuration=1")).await),
        ["000000000000000e", "000000000000000c", "000000000000000a"]
    );
}

#[tokio::test]
async fn bad_arguments_answer_400_in_plain_text() {
    let s = scenario().await;
    for (query, message) in [
        ("endTs=0", "endTs <= 0"),
        ("limit=0", "limit <= 0"),
        ("lookback=0", "lookback <= 0"),
        ("minDuration=0", "minDuration <= 0"),
        ("maxDuration=10", "maxDuration is only valid with minDuration"),
        ("minDuration=10&maxDuration=5", "maxDuration < minDuration"),
    ] {
        let r = s.get(&format!("/api/v2/traces?{query}")).await;
        assert_eq!(r.status(), 400, "{query}");
        assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain"));
        assert_eq!(r.text().await.unwrap(), message, "{query}");
    }
    let (status, body) = s.get_text("/api/v2/traces?limit=lots").await;
    assert_eq!(status, 400);
    assert!(body.contains("limit"), "{body}");
}

#[tokio::test]
async fn a_trace_is_found_by_its_id_with_untimed_spans() {
    let s = scenario().await;
    let trace = s.get_json("/api/v2/trace/000000000000000e").await;
    assert_eq!(trace.as_array().unwrap().len(), 2, "the untimed span is returned");
    // Short ids are left-padded; 32-char ids with a zero high half are the 64-bit id.
    assert_eq!(s.get_json("/api/v2/trace/e").await, trace);
    assert_eq!(s.get_json(&format!("/api/v2/trace/{}000000000000000e", "0".repeat(16))).await, trace);
    let (status, body) = s.get_text("/api/v2/trace/00000000000000ff").await;
    assert_eq!((status, body.as_str()), (404, "00000000000000ff not found"));
    let (status, body) = s.get_text("/api/v2/trace/000000000000000E").await;
    assert_eq!(status, 400);
    assert!(body.contains("lower-hex"), "{body}");
    let (status, body) = s.get_text(&format!("/api/v2/trace/{}", "a".repeat(33))).await;
    assert_eq!((status, body.as_str()), (400, "traceId.length > 32"));
}

#[tokio::test]
async fn spans_without_timestamps_are_never_searchable() {
    let s = TestServer::start(&[]).await;
    s.post_v2(&json!([{"traceId": "0000000000000bad", "id": "0000000000000bad", "name": "untimed",
        "localEndpoint": {"serviceName": "ghost"}}]))
        .await;
    assert_eq!(s.get_json("/api/v2/traces?lookback=9000000000000&limit=100").await, json!([]));
    assert_eq!(s.get_json("/api/v2/traces?serviceName=ghost&lookback=9000000000000").await, json!([]));
    assert_eq!(s.get_json("/api/v2/trace/0000000000000bad").await.as_array().unwrap().len(), 1);
    assert_eq!(s.get_json("/api/v2/services").await, json!(["ghost"]));
}

#[tokio::test]
async fn trace_many_returns_the_named_traces() {
    let s = scenario().await;
    let both = s.get_json("/api/v2/traceMany?traceIds=000000000000000a,000000000000000c,0000000000000fff").await;
    let mut ids = trace_ids(&both);
    ids.sort();
    assert_eq!(ids, ["000000000000000a", "000000000000000c"]);
    for (query, message) in [
        ("traceIds=", "traceIds parameter is empty"),
        ("traceIds=000000000000000a", "Use /api/v2/trace/{traceId} endpoint to retrieve a single trace"),
        ("traceIds=000000000000000a,a", "redundant traceId: a"),
    ] {
        let (status, body) = s.get_text(&format!("/api/v2/traceMany?{query}")).await;
        assert_eq!((status, body.as_str()), (400, message), "{query}");
    }
    let (status, _) = s.get_text("/api/v2/traceMany").await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn autocomplete_offers_configured_keys_and_their_values() {
    let s = scenario().await;
    let r = s.get("/api/v2/autocompleteKeys").await;
    assert_eq!(r.headers()["cache-control"], "max-age=300, must-revalidate");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&r.text().await.unwrap()).unwrap(),
        json!(["env", "http.method"])
    );
    assert_eq!(s.get_json("/api/v2/autocompleteValues?key=http.method").await, json!(["GET", "POST"]));
    assert_eq!(s.get_json("/api/v2/autocompleteValues?key=sql.query").await, json!([]), "not a configured key");
    assert_eq!(s.get_json("/api/v2/autocompleteValues?key=nope").await, json!([]));
    assert_eq!(s.get_text("/api/v2/autocompleteValues?key=").await, (400, "key was empty".to_string()));
    assert_eq!(s.get_text("/api/v2/autocompleteValues").await.0, 400);
    let plain = TestServer::start(&[]).await;
    assert_eq!(plain.get_json("/api/v2/autocompleteKeys").await, json!([]));
}

#[tokio::test]
async fn dependencies_need_an_end_and_count_calls_and_errors() {
    let s = scenario().await;
    let deps = s.get_json(&format!("/api/v2/dependencies?endTs={}&lookback=10000", T0_MS + 3000)).await;
    assert_eq!(deps, json!([{"parent": "frontend", "child": "backend", "callCount": 1, "errorCount": 1}]));
    assert_eq!(s.get_json(&format!("/api/v2/dependencies?endTs={}", T0_MS - 1)).await, json!([]));
    assert_eq!(s.get_text("/api/v2/dependencies").await.0, 400);
    assert_eq!(s.get_text("/api/v2/dependencies?endTs=0").await, (400, "endTs <= 0".to_string()));
    assert_eq!(s.get_text("/api/v2/dependencies?endTs=5&lookback=0").await, (400, "lookback <= 0".to_string()));
}

#[tokio::test]
async fn the_api_is_also_mounted_under_the_base_path() {
    let dist = std::env::temp_dir().join(format!("spanscope-empty-dist-{}", std::process::id()));
    std::fs::create_dir_all(&dist).unwrap();
    let s = TestServer::start(&["--dist", dist.to_str().unwrap()]).await;
    s.post_v2(&json!([span("000000000000000a", "000000000000000a", None, "svc", "op", T0, 1)])).await;
    assert_eq!(s.get_json("/zipkin/api/v2/services").await, json!(["svc"]));
    assert_eq!(s.get_json("/zipkin/api/v2/trace/000000000000000a").await.as_array().unwrap().len(), 1);
    assert_eq!(s.get_text("/zipkin/api/v2/trace/000000000000000b").await.0, 404);
    // Zipkin mounts it there even without the UI.
    let bare = TestServer::start(&[]).await;
    assert_eq!(bare.get_json("/zipkin/api/v2/services").await, json!([]));
}

#[tokio::test]
async fn strict_trace_ids_keep_128_bit_traces_apart_unless_disabled() {
    let high_a = format!("{}{}", "1".repeat(16), "2".repeat(16));
    let high_b = format!("{}{}", "3".repeat(16), "2".repeat(16));
    let spans = json!([
        span(&high_a, "000000000000000a", None, "svc", "a", T0, 1),
        span(&high_b, "000000000000000b", None, "svc", "b", T0, 1)
    ]);
    let strict = TestServer::start(&[]).await;
    strict.post_v2(&spans).await;
    assert_eq!(strict.get_json(&format!("/api/v2/trace/{high_a}")).await.as_array().unwrap().len(), 1);
    assert_eq!(strict.get_json(&format!("/api/v2/traces?endTs={}", T0_MS)).await.as_array().unwrap().len(), 2);
    let loose = TestServer::start(&["--strict-trace-id", "false"]).await;
    loose.post_v2(&spans).await;
    assert_eq!(loose.get_json(&format!("/api/v2/trace/{high_a}")).await.as_array().unwrap().len(), 2);
    assert_eq!(loose.get_json(&format!("/api/v2/traces?endTs={}", T0_MS)).await.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_oldest_traces_are_evicted_past_the_span_budget() {
    let s = TestServer::start(&["--max-spans", "4"]).await;
    for (i, id) in ["0000000000000001", "0000000000000002", "0000000000000003"].iter().enumerate() {
        let ts = T0 + i as u64 * 1000;
        s.post_v2(&json!([
            span(id, id, None, "svc", "op", ts, 1),
            span(id, "00000000000000aa", Some(id), "svc", "child", ts + 1, 1)
        ]))
        .await;
    }
    // The third trace pushed the count to 6 > 4: the oldest trace went.
    assert_eq!(s.get_text("/api/v2/trace/0000000000000001").await.0, 404);
    assert_eq!(s.get_json("/api/v2/trace/0000000000000002").await.as_array().unwrap().len(), 2);
    assert_eq!(s.get_json("/api/v2/trace/0000000000000003").await.as_array().unwrap().len(), 2);
    // Names of evicted spans go with them.
    s.post_v2(&json!([span("0000000000000004", "0000000000000004", None, "other", "op", T0 + 9000, 1)])).await;
    assert_eq!(s.get_text("/api/v2/trace/0000000000000002").await.0, 404);
    assert_eq!(s.get_json("/api/v2/services").await, json!(["other", "svc"]));
}

#[tokio::test]
async fn cors_allows_any_origin_but_only_zipkins_request_headers() {
    let s = scenario().await;
    let preflight = |headers: &'static str| {
        s.client
            .request(reqwest::Method::OPTIONS, s.url("/api/v2/services"))
            .header("origin", "http://dashboard.example")
            .header("access-control-request-method", "GET")
            .header("access-control-request-headers", headers)
            .send()
    };
    let r = preflight("content-type").await.unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let allowed = r.headers()["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(allowed.contains("content-type") && allowed.contains("x-grpc-web"), "{allowed}");
    assert!(r.headers()["access-control-allow-methods"].to_str().unwrap().contains("POST"));
    let r = preflight("authorization").await.unwrap();
    let allowed = r.headers()["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(!allowed.contains("authorization"), "a browser must refuse this: {allowed}");
    let r = s.client.get(s.url("/api/v2/services")).header("origin", "http://x").send().await.unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");

    let limited = TestServer::start(&["--allowed-origins", "http://good.example"]).await;
    let r = limited
        .client
        .get(limited.url("/api/v2/services"))
        .header("origin", "http://good.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "http://good.example");
    let r = limited
        .client
        .get(limited.url("/api/v2/services"))
        .header("origin", "http://evil.example")
        .send()
        .await
        .unwrap();
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn faults_delay_and_fail_the_query_api_only() {
    let s = TestServer::start(&["--fail-rate", "1", "--latency", "150"]).await;
    let started = std::time::Instant::now();
    let (status, body) = s.get_text("/api/v2/services").await;
    assert!(started.elapsed() >= std::time::Duration::from_millis(150));
    assert_eq!(status, 500);
    assert!(body.contains("injected failure"), "{body}");
    // Ingest is not the query API.
    s.post_v2(&json!([span("000000000000000a", "000000000000000a", None, "svc", "op", T0, 1)])).await;
    let half = TestServer::start(&["--fail-rate", "0.5"]).await;
    let mut failures = 0;
    for _ in 0..40 {
        if half.get_text("/api/v2/services").await.0 == 500 {
            failures += 1;
        }
    }
    assert!((8..=32).contains(&failures), "{failures} of 40");
}
