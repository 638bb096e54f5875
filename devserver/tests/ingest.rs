//! Ingest (ZIPKIN.md §3; Zipkin's `ZipkinHttpCollector`): every wire format, gzip, nulls, 202/400, and round
//! trips against Zipkin's own answers in `shared/fixtures/zipkin/derived/`.
mod common;
use common::{gzip, sorted, span, TestServer, FIXTURES};
use serde_json::{json, Value};

const YELP: &str = "a03ee8fff1dcd9b9";

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(format!("{FIXTURES}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn fixture_json(path: &str) -> Value {
    serde_json::from_slice(&fixture(path)).unwrap()
}

async fn assert_yelp_round_trip(endpoint: &str, content_type: &str, body: Vec<u8>) {
    let s = TestServer::start(&[]).await;
    let (status, reply) = s.post(endpoint, content_type, body).await;
    assert_eq!((status, reply.as_str()), (202, ""), "{endpoint} {content_type}");
    let trace = s.get_json(&format!("/api/v2/trace/{YELP}")).await;
    let expected = fixture_json("zipkin/derived/yelp.v2.normalized.json");
    assert_eq!(sorted(&trace), sorted(&expected), "{endpoint} {content_type}");
}

#[tokio::test]
async fn yelp_v1_json_reads_back_as_zipkin_normalises_it() {
    assert_yelp_round_trip("/api/v1/spans", "application/json", fixture("zipkin/derived/yelp.v1.json")).await;
}

#[tokio::test]
async fn yelp_thrift_reads_back_as_zipkin_normalises_it() {
    assert_yelp_round_trip("/api/v1/spans", "application/x-thrift", fixture("zipkin/derived/yelp.thrift")).await;
}

#[tokio::test]
async fn yelp_proto3_reads_back_as_zipkin_normalises_it() {
    assert_yelp_round_trip("/api/v2/spans", "application/x-protobuf", fixture("zipkin/derived/yelp.proto3")).await;
}

#[tokio::test]
async fn yelp_v2_json_reads_back_as_zipkin_normalises_it() {
    assert_yelp_round_trip("/api/v2/spans", "application/json", fixture("zipkin/yelp.json")).await;
    // Zipkin's own output posted again is unchanged.
    assert_yelp_round_trip("/api/v2/spans", "application/json", fixture("zipkin/derived/yelp.v2.normalized.json"))
        .await;
}

#[tokio::test]
async fn gzip_bodies_are_accepted_and_bad_gzip_is_a_400() {
    let s = TestServer::start(&[]).await;
    let r = s
        .client
        .post(s.url("/api/v2/spans"))
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(gzip(&fixture("zipkin/yelp.json")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    assert_eq!(s.get_json(&format!("/api/v2/trace/{YELP}")).await.as_array().unwrap().len(), 16);
    let r = s
        .client
        .post(s.url("/api/v1/spans"))
        .header("content-type", "application/x-thrift")
        .header("content-encoding", "gzip")
        .body(gzip(&fixture("zipkin/derived/yelp.thrift")))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 202);
    let r = s
        .client
        .post(s.url("/api/v2/spans"))
        .header("content-encoding", "gzip")
        .body(b"[not gzip]".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(r.text().await.unwrap(), "Cannot gunzip spans");
}

#[tokio::test]
async fn dependencies_of_each_fixture_equal_zipkins_answers() {
    for name in ["yelp", "skew", "messaging-kafka", "smartthings-mobile-web-install"] {
        let s = TestServer::start(&[]).await;
        let (status, body) = s.post("/api/v2/spans", "application/json", fixture(&format!("zipkin/{name}.json"))).await;
        assert_eq!(status, 202, "{name}: {body}");
        // The fixtures are years old: a window from the epoch to now covers them.
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis();
        let got = s.get_json(&format!("/api/v2/dependencies?endTs={now}&lookback={now}")).await;
        let want = fixture_json(&format!("zipkin/derived/{name}.dependencies.json"));
        let key = |v: &Value| {
            let mut links = v.as_array().unwrap().clone();
            links.sort_by_key(|l| (l["parent"].to_string(), l["child"].to_string()));
            links
        };
        assert_eq!(key(&got), key(&want), "{name}");
    }
}

#[tokio::test]
async fn success_is_202_with_an_empty_body_even_for_an_empty_list() {
    let s = TestServer::start(&[]).await;
    for body in [&b"[]"[..], b""] {
        let (status, reply) = s.post("/api/v2/spans", "application/json", body.to_vec()).await;
        assert_eq!((status, reply.as_str()), (202, ""));
    }
    let (status, _) = s.post("/api/v1/spans", "application/x-thrift", vec![12, 0, 0, 0, 0]).await;
    assert_eq!(status, 202);
    let (status, _) = s.post("/api/v2/spans", "application/x-protobuf", vec![]).await;
    assert_eq!(status, 202);
}

#[tokio::test]
async fn explicit_nulls_are_absent_fields() {
    let s = TestServer::start(&[]).await;
    let body = json!([{"traceId": "000000000000000a", "id": "000000000000000a", "parentId": null, "name": "op", "kind": null,
        "timestamp": 1_700_000_000_000_000u64, "duration": null, "localEndpoint": {"serviceName": "svc", "ipv4": null, "port": null},
        "remoteEndpoint": null, "annotations": null, "tags": null, "debug": null, "shared": null}]);
    s.post_v2(&body).await;
    assert_eq!(
        s.get_json("/api/v2/trace/000000000000000a").await,
        json!([{"traceId": "000000000000000a", "id": "000000000000000a", "name": "op", "timestamp": 1_700_000_000_000_000u64,
            "localEndpoint": {"serviceName": "svc"}}])
    );
}

#[tokio::test]
async fn ingest_normalises_names_ids_and_flags() {
    let s = TestServer::start(&[]).await;
    s.post_v2(&json!([
        {"traceId": "a", "id": "b", "parentId": "b", "name": "GET /Users", "kind": "CLIENT", "shared": true, "timestamp": 0, "duration": 0,
         "localEndpoint": {"serviceName": "FrontEnd"}, "remoteEndpoint": {"serviceName": "UserService"}},
        {"traceId": format!("{}{}", "0".repeat(16), "000000000000000a"), "id": "c", "parentId": "b", "kind": "SERVER", "shared": true,
         "timestamp": 5, "localEndpoint": {"serviceName": "UserService"}}
    ]))
    .await;
    let trace = s.get_json("/api/v2/trace/000000000000000a").await;
    let spans = sorted(&trace);
    assert_eq!(
        spans[0],
        json!({"traceId": "000000000000000a", "id": "000000000000000b", "name": "get /users", "kind": "CLIENT",
            "localEndpoint": {"serviceName": "frontend"}, "remoteEndpoint": {"serviceName": "userservice"}})
    );
    assert_eq!(spans[1]["traceId"], "000000000000000a");
    assert_eq!(spans[1]["shared"], true);
    assert_eq!(spans[1]["parentId"], "000000000000000b");
}

#[tokio::test]
async fn exact_duplicates_are_stored_once_and_partial_spans_are_kept() {
    let s = TestServer::start(&[]).await;
    let whole = span("000000000000000a", "000000000000000a", None, "svc", "op", 1_700_000_000_000_000, 10);
    s.post_v2(&json!([whole.clone(), whole.clone()])).await;
    s.post_v2(&json!([whole])).await;
    let partial = json!({"traceId": "000000000000000a", "id": "000000000000000a", "annotations": [{"timestamp": 1_700_000_000_000_005u64, "value": "late"}]});
    s.post_v2(&json!([partial])).await;
    assert_eq!(s.get_json("/api/v2/trace/000000000000000a").await.as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn malformed_bodies_are_400s_that_say_what_was_wrong() {
    let s = TestServer::start(&[]).await;
    let cases: [(&str, &str, Vec<u8>, &str); 8] = [
        ("/api/v2/spans", "application/json", b"{\"traceId\":\"a\"}".to_vec(), "Expected a JSON_V2 encoded list"),
        ("/api/v2/spans", "application/json", fixture("zipkin/derived/yelp.v1.json"), "but received: JSON_V1"),
        ("/api/v2/spans", "application/json", fixture("zipkin/derived/yelp.proto3"), "but received: PROTO3"),
        ("/api/v1/spans", "application/json", fixture("zipkin/yelp.json"), "but received: JSON_V2"),
        ("/api/v1/spans", "application/json", fixture("zipkin/derived/yelp.thrift"), "but received: THRIFT"),
        (
            "/api/v2/spans",
            "application/json",
            b"[{\"traceId\":\"a\",".to_vec(),
            "Malformed reading List<Span> from json",
        ),
        ("/api/v2/spans", "application/x-protobuf", vec![10, 50, 1, 2], "Truncated"),
        (
            "/api/v2/spans",
            "application/json",
            br#"[{"traceId":"000000000000000A","id":"000000000000000a"}]"#.to_vec(),
            "lower-hex",
        ),
    ];
    for (endpoint, content_type, body, message) in cases {
        let (status, reply) = s.post(endpoint, content_type, body).await;
        assert_eq!(status, 400, "{endpoint} {content_type}: {reply}");
        assert!(reply.contains(message), "{endpoint} {content_type}: {reply:?} lacks {message:?}");
    }
    // Nothing was stored by the failed posts.
    assert_eq!(s.get_json("/api/v2/services").await, json!([]));
}
