//! Data sources: `--load` (span lists, lists of traces, v1, OTLP), `--rebase`, `--generate` and `--demo`.
mod common;
use common::{TestServer, FIXTURES};

fn now_ms() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis()
}

#[tokio::test]
async fn loaded_fixtures_keep_their_dates_unless_rebased() {
    let yelp = format!("{FIXTURES}/zipkin/yelp.json");
    let s = TestServer::start(&["--load", &yelp]).await;
    assert_eq!(s.get_json("/api/v2/trace/a03ee8fff1dcd9b9").await.as_array().unwrap().len(), 16);
    assert_eq!(s.get_json("/api/v2/traces").await, serde_json::json!([]), "2019 is outside the last day");

    let kafka = format!("{FIXTURES}/zipkin/messaging-kafka.json");
    let s = TestServer::start(&["--rebase", "--load", &yelp, &kafka]).await;
    let traces = s.get_json("/api/v2/traces").await;
    assert_eq!(traces.as_array().unwrap().len(), 2, "both rebased into the last day");
    // The newest span of the first file ends within a few seconds of now.
    let trace = s.get_json("/api/v2/trace/a03ee8fff1dcd9b9").await;
    let end = trace
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| Some(s["timestamp"].as_u64()? + s["duration"].as_u64().unwrap_or(0)))
        .max()
        .unwrap();
    let now_us = now_ms() as u64 * 1000;
    assert!(now_us - end < 10_000_000, "ends {} µs before now", now_us - end);
}

#[tokio::test]
async fn lists_of_traces_and_v1_files_load() {
    // A `/traces` answer saved to a file (Span[][]), and a v1 file.
    let yelp = std::fs::read_to_string(format!("{FIXTURES}/zipkin/yelp.json")).unwrap();
    let skew = std::fs::read_to_string(format!("{FIXTURES}/zipkin/skew.json")).unwrap();
    let dir = std::env::temp_dir().join(format!("spanscope-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let list = dir.join("traces.json");
    std::fs::write(&list, format!("[{yelp},{skew}]")).unwrap();
    let v1 = format!("{FIXTURES}/zipkin/derived/yelp.v1.json");
    let s = TestServer::start(&["--load", list.to_str().unwrap()]).await;
    assert_eq!(s.get_json("/api/v2/trace/1e223ff1f80f1c69").await.as_array().unwrap().len(), 4);
    let s = TestServer::start(&["--load", &v1]).await;
    assert_eq!(s.get_json("/api/v2/trace/a03ee8fff1dcd9b9").await.as_array().unwrap().len(), 16);
    let (code, _) = s.get_text("/api/v2/services").await;
    assert_eq!(code, 200);
}

#[tokio::test]
async fn a_missing_or_broken_file_stops_startup_with_its_name() {
    let args =
        clap::Parser::try_parse_from(["x", "--addr", "127.0.0.1:0", "--load", "/nonexistent/spans.json"]).unwrap();
    let err = spanscope_devserver::server::start(args, async {}).await.err().expect("refused");
    assert!(err.to_string().contains("/nonexistent/spans.json"), "{err}");
}

#[tokio::test]
async fn generate_stores_repeatable_traces() {
    let a = TestServer::start(&["--generate", "5000", "--generate", "20x30", "--seed", "7"]).await;
    let b = TestServer::start(&["--generate", "5000", "--generate", "20x30", "--seed", "7"]).await;
    let traces = a.get_json("/api/v2/traces?limit=100&lookback=3600000").await;
    assert_eq!(traces.as_array().unwrap().len(), 31);
    let sizes: Vec<usize> = traces.as_array().unwrap().iter().map(|t| t.as_array().unwrap().len()).collect();
    assert!(sizes.contains(&5000), "{sizes:?}");
    let ids = |t: &serde_json::Value| {
        let mut ids = common::trace_ids(t);
        ids.sort();
        ids
    };
    assert_eq!(
        ids(&traces),
        ids(&b.get_json("/api/v2/traces?limit=100&lookback=3600000").await),
        "same seed, same traces"
    );
    assert!(clap::Parser::try_parse_from(["x", "--generate", "lots"])
        .map(|_: spanscope_devserver::cli::Args| ())
        .is_err());
}

#[tokio::test]
async fn the_demo_fills_the_last_minutes_and_keeps_adding() {
    let s = TestServer::start(&["--demo", "--seed", "2"]).await;
    // The backfill runs beside the server: wait for it.
    // The backfill runs beside the server: wait for it (the last backfilled trace ends about now).
    let mut services = serde_json::json!([]);
    for _ in 0..600 {
        services = s.get_json("/api/v2/services").await;
        let recent = s.get_json(&format!("/api/v2/traces?endTs={}&lookback=60000&limit=1", now_ms())).await;
        if services.as_array().unwrap().len() >= 12 && !recent.as_array().unwrap().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(services.as_array().unwrap().len() >= 12, "{services}");
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    let recent = s.get_json(&format!("/api/v2/traces?endTs={}&lookback=5000&limit=50", now_ms())).await;
    assert!(!recent.as_array().unwrap().is_empty(), "live traffic arrived in the last 5 s");
    let keys = s.get_json("/api/v2/autocompleteKeys").await;
    assert!(keys.as_array().unwrap().len() >= 2);
    let errors = s.get_json("/api/v2/traces?annotationQuery=error&limit=1000").await;
    assert!(!errors.as_array().unwrap().is_empty(), "some traces fail");
    let big = s.get_json("/api/v2/traces?minDuration=1&limit=1000").await;
    assert!(big.as_array().unwrap().iter().any(|t| t.as_array().unwrap().len() == 10_000));

    // OpenTelemetry-shaped batches, one a minute: the consumer's links lead to its producers' spans.
    let batches =
        s.get_json("/api/v2/traces?serviceName=shipping-service&spanName=orders.created%20process&limit=100").await;
    let batches = batches.as_array().unwrap();
    assert!((10..=17).contains(&batches.len()), "{} batches in 15 minutes", batches.len());
    let trace_id = batches[0][0]["traceId"].as_str().unwrap();
    let otlp = s.get_json(&format!("/api/v3/traces/{trace_id}")).await;
    let spans: Vec<&serde_json::Value> = otlp["result"]["resourceSpans"][0]["scopeSpans"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|scope| scope["spans"].as_array().unwrap())
        .collect();
    let consumer = spans.iter().find(|s| s["name"] == "orders.created process").expect("the batch span");
    assert_eq!(consumer["kind"], 5);
    let links = consumer["links"].as_array().unwrap();
    assert!((2..=5).contains(&links.len()), "{links:?}");
    for link in links {
        let producer_trace = s.get_json(&format!("/api/v3/traces/{}", link["traceId"].as_str().unwrap())).await;
        let producer = producer_trace["result"]["resourceSpans"][0]["scopeSpans"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|scope| scope["spans"].as_array().unwrap())
            .find(|s| s["spanId"] == link["spanId"])
            .expect("the linked span is stored");
        assert_eq!(producer["kind"], 4, "a PRODUCER span");
    }
    assert!(spans.iter().any(|s| s["kind"] == 1), "an INTERNAL span");
    let failed = spans.iter().find(|s| s["status"]["code"] == 2).expect("an error status");
    assert_eq!(failed["events"][0]["name"], "exception");
}

#[tokio::test]
async fn otlp_files_load_with_their_detail_and_rebase_as_one() {
    let file = format!("{FIXTURES}/otlp/otlp-jaeger-link-attributes.json");
    let s = TestServer::start(&["--rebase", "--load", &file]).await;
    let zipkin = s.get_json("/api/v2/trace/0000000000000226").await;
    let span = &zipkin[0];
    assert_eq!(span["localEndpoint"]["serviceName"], "query25-service");
    assert!(span["tags"]["otlp.link.0"]
        .as_str()
        .unwrap()
        .starts_with("000000000000000000000000000000ff|00000000000000ff|"));
    let answer = s.get_json("/api/v3/traces/00000000000000000000000000000226").await;
    let otlp = &answer["result"]["resourceSpans"][0]["scopeSpans"][0]["spans"][0];
    assert_eq!(otlp["name"], "query25-operation");
    let link = &otlp["links"][0];
    assert_eq!(
        (link["traceId"].as_str(), link["spanId"].as_str()),
        (Some("000000000000000000000000000000ff"), Some("00000000000000ff"))
    );
    assert_eq!(
        link["attributes"][1],
        serde_json::json!({"key": "sameplacelinkattribute1", "value": {"stringValue": "sameplacevalue"}})
    );
    // Rebased: the OTLP nanoseconds moved with the Zipkin microseconds (2 µs long, ending about now).
    let start: u64 = otlp["startTimeUnixNano"].as_str().unwrap().parse().unwrap();
    let end: u64 = otlp["endTimeUnixNano"].as_str().unwrap().parse().unwrap();
    assert_eq!(start, span["timestamp"].as_u64().unwrap() * 1_000);
    assert_eq!(end - start, 2_000);
    assert!(now_ms() as u64 * 1_000_000 - end < 10_000_000_000, "ends near now");
}
