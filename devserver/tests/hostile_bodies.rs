//! Hostile request bodies (issue 25): gzip bombs refused with 413 before they inflate, an announced
//! Content-Length over the limit refused at once, and the span budget held within one batch on every
//! ingest route; each answer timed and the server's memory read afterwards.
mod common;
use common::child::ChildServer;
use common::thrift::{agent_call, batch, binary, jaeger_span, SpanSpec};
use std::collections::BTreeSet;
use std::io::Write;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// About `megabytes` MB of zeros as ~1 KB gzip members, concatenated (one multi-member stream, which the
/// server reads whole): a 1 GB bomb in about 1 MB, built in milliseconds.
fn gzip_bomb(megabytes: usize) -> Vec<u8> {
    let member = common::gzip(&vec![0u8; 1 << 20]);
    member.repeat(megabytes)
}

fn now_micros() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_micros() as u64
}

/// Every ingest route with a content type it accepts.
const ROUTES: [(&str, &str); 5] = [
    ("/api/v2/spans", "application/json"),
    ("/api/v2/spans", "application/x-protobuf"),
    ("/api/v1/spans", "application/x-thrift"),
    ("/v1/traces", "application/x-protobuf"),
    ("/api/traces", "application/x-thrift"),
];

#[test]
fn a_gzip_bomb_is_a_413_on_every_route_without_inflating_it() {
    let server = ChildServer::start(&["--max-inflated-bytes", "16MiB"]);
    let bomb = gzip_bomb(1024);
    assert!(bomb.len() < 2 << 20, "{} bytes", bomb.len());
    let before = server.rss_mb();
    for (route, content_type) in ROUTES {
        let answer = server.post(route, &[("Content-Type", content_type), ("Content-Encoding", "gzip")], &bomb);
        assert_eq!(answer.status, 413, "{route} {content_type}: {answer:?}");
        assert!(answer.elapsed < Duration::from_secs(3), "{route}: {answer:?}");
        server.assert_rss_within(before, 80.0);
    }
    // At its peak the server held the 1 MB body and at most 16 MiB inflated, never the gigabyte.
    let peak = server.peak_rss_mb();
    assert!(peak < before + 80.0, "peak RSS {peak:.0} MB from {before:.0} MB");
    let answer =
        server.post("/api/v2/spans", &[("Content-Type", "application/json"), ("Content-Encoding", "gzip")], &bomb);
    assert!(answer.body.contains("16777216"), "the limit is named: {answer:?}");
    // A gzipped body under the limit is still taken.
    let spans = format!(
        r#"[{{"traceId":"a1","id":"b1","name":"get","timestamp":{},"duration":5,"localEndpoint":{{"serviceName":"svc"}}}}]"#,
        now_micros()
    );
    let ok = server.post(
        "/api/v2/spans",
        &[("Content-Type", "application/json"), ("Content-Encoding", "gzip")],
        &common::gzip(spans.as_bytes()),
    );
    assert_eq!(ok.status, 202, "{ok:?}");
    server.assert_answering();
    // With the default limit (128 MiB) the same megabyte is refused as well, having inflated 128 MiB at most.
    let default = ChildServer::start(&[]);
    let before = default.rss_mb();
    let answer =
        default.post("/v1/traces", &[("Content-Type", "application/json"), ("Content-Encoding", "gzip")], &bomb);
    assert_eq!(answer.status, 413, "{answer:?}");
    assert!(answer.body.contains("134217728"), "{answer:?}");
    assert!(answer.elapsed < Duration::from_secs(10), "{answer:?}");
    default.assert_rss_within(before, 80.0);
    let peak = default.peak_rss_mb();
    assert!(peak < before + 128.0 + 80.0, "default limits: peak RSS {peak:.0} MB from {before:.0} MB");
}

#[test]
fn an_announced_length_over_the_limit_is_a_413_at_once() {
    let server = ChildServer::start(&["--max-body-bytes", "1MiB"]);
    let before = server.rss_mb();
    for (route, content_type) in ROUTES {
        let request = format!(
            "POST {route} HTTP/1.1\r\nHost: t\r\nContent-Type: {content_type}\r\nContent-Length: 1000000000\r\n\r\n[]"
        );
        let answer = server.exchange(request.as_bytes());
        assert_eq!(answer.status, 413, "{route}: {answer:?}");
        assert!(answer.elapsed < Duration::from_secs(1), "{route}: {answer:?}");
    }
    // The default limit (128 MiB) refuses a gigabyte as fast.
    let default = ChildServer::start(&[]);
    let request = "POST /api/v2/spans HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 1000000000\r\n\r\n[]";
    let answer = default.exchange(request.as_bytes());
    assert_eq!(answer.status, 413, "{answer:?}");
    assert!(answer.elapsed < Duration::from_secs(1), "{answer:?}");
    // A chunked body that grows past the limit is refused too.
    let mut chunked = b"POST /api/v2/spans HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n".to_vec();
    for _ in 0..3 {
        chunked.extend_from_slice(format!("{:x}\r\n", 512 * 1024).as_bytes());
        chunked.extend_from_slice(&vec![b' '; 512 * 1024]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let answer = server.exchange(&chunked);
    assert_eq!(answer.status, 413, "{answer:?}");
    server.assert_answering();
    server.assert_rss_within(before, 20.0);
}

/// The trace ids `/api/v2/traces` finds in the last hour.
fn stored_trace_ids(server: &ChildServer) -> BTreeSet<String> {
    let answer = server.get("/api/v2/traces?lookback=3600000&limit=100000");
    assert_eq!(answer.status, 200, "{answer:?}");
    let traces: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    let mut ids = BTreeSet::new();
    for trace in traces.as_array().unwrap() {
        for span in trace.as_array().unwrap() {
            ids.insert(span["traceId"].as_str().unwrap().to_string());
        }
    }
    ids
}

/// Trace ids `1..=count` as the store writes them, the last ones the newest.
fn ids(range: std::ops::RangeInclusive<u64>) -> BTreeSet<String> {
    range.map(|i| format!("{i:016x}")).collect()
}

/// One single-span trace per id, trace `i` starting `i` milliseconds after `t0` (so higher ids are newer).
fn zipkin_batch(count: u64, t0: u64) -> Vec<u8> {
    let spans: Vec<_> = (1..=count)
        .map(|i| common::span(&format!("{i:016x}"), &format!("{i:016x}"), None, "svc", "op", t0 + i * 1000, 10))
        .collect();
    serde_json::to_vec(&spans).unwrap()
}

fn otlp_batch(count: u64, t0: u64) -> Vec<u8> {
    let spans = (1..=count)
        .map(|i| common::otlp::span(&format!("{:032x}", i), &format!("{i:016x}"), "op", 2, (t0 + i * 1000) * 1000))
        .collect();
    common::otlp::request("svc", spans)
}

fn jaeger_batch(count: u64, t0: u64) -> common::thrift::T {
    let spans = (1..=count)
        .map(|i| {
            jaeger_span(SpanSpec {
                trace: (0, i as i64),
                id: i as i64,
                parent: 0,
                name: "op",
                start: (t0 + i * 1000) as i64,
                duration: 10,
                references: vec![],
                tags: vec![],
                logs: vec![],
            })
        })
        .collect();
    batch("svc", vec![], spans)
}

#[test]
fn one_batch_past_the_span_budget_keeps_the_newest_traces_on_every_route() {
    let t0 = now_micros() - 600_000_000;
    let cases: [(&str, &str, Vec<u8>); 3] = [
        ("/api/v2/spans", "application/json", zipkin_batch(300, t0)),
        ("/v1/traces", "application/x-protobuf", otlp_batch(300, t0)),
        ("/api/traces", "application/x-thrift", binary(&jaeger_batch(300, t0))),
    ];
    for (route, content_type, body) in cases {
        let server = ChildServer::start(&["--max-spans", "100"]);
        let before = server.rss_mb();
        let started = Instant::now();
        let answer = server.post(route, &[("Content-Type", content_type)], &body);
        assert!(answer.status == 202 || answer.status == 200, "{route}: {answer:?}");
        assert!(started.elapsed() < Duration::from_secs(3), "{route}: {answer:?}");
        let kept = stored_trace_ids(&server);
        // OTLP's 32-digit ids with a zero high half read back as 16 digits, as Zipkin shortens them.
        assert!(
            kept == ids(201..=300),
            "{route}: the 100 newest traces, and nothing else: {} kept, from {:?} to {:?}",
            kept.len(),
            kept.first(),
            kept.last()
        );
        server.assert_rss_within(before, 30.0);
    }
    // The agent: one datagram of 30 spans into a budget of 10.
    let server = ChildServer::start(&["--max-spans", "10", "--jaeger-agent", "127.0.0.1:0"]);
    server.send_datagram(&agent_call("emitBatch", vec![(1, jaeger_batch(30, t0))]));
    let deadline = Instant::now() + Duration::from_secs(3);
    let mut kept = BTreeSet::new();
    while Instant::now() < deadline && kept.is_empty() {
        std::thread::sleep(Duration::from_millis(50));
        kept = stored_trace_ids(&server);
    }
    assert_eq!(kept, ids(21..=30));
}

#[test]
fn bodies_held_at_once_stay_under_the_buffered_budget() {
    let server = ChildServer::start(&["--max-body-bytes", "1MiB", "--max-buffered-bytes", "2MiB"]);
    let before = server.rss_mb();
    let head =
        "POST /api/v2/spans HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n";
    // Two unfinished bodies of 900 KB each hold most of the budget...
    let held: Vec<_> = (0..2)
        .map(|_| {
            let mut stream = server.connect();
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(&vec![b' '; 900_000]).unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    // ...so a third is told to come back, at once.
    let mut third = head.as_bytes().to_vec();
    third.extend_from_slice(&vec![b' '; 1_000_000]);
    let answer = server.exchange(&third);
    assert_eq!(answer.status, 503, "{answer:?}");
    assert!(answer.body.contains("--max-buffered-bytes"), "{answer:?}");
    assert!(answer.head.to_ascii_lowercase().contains("retry-after: 1"), "{answer:?}");
    assert!(answer.elapsed < Duration::from_secs(1), "{answer:?}");
    // Once they are done (here: given up), their share is back.
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    let mut body = b"[".to_vec();
    body.extend_from_slice(&vec![b' '; 900_000]);
    body.push(b']');
    let answer = server.post("/api/v2/spans", &[("Content-Type", "application/json")], &body);
    assert_eq!(answer.status, 202, "{answer:?}");
    server.assert_rss_within(before, 30.0);
}

#[test]
fn concurrent_gzip_bombs_inflate_a_few_at_a_time() {
    // Room for two 64 MiB inflations at once: eight bombs sent together take turns.
    let server =
        std::sync::Arc::new(ChildServer::start(&["--max-inflated-bytes", "64MiB", "--max-buffered-bytes", "128MiB"]));
    let before = server.rss_mb();
    let bomb = std::sync::Arc::new(gzip_bomb(1024));
    let senders: Vec<_> = (0..8)
        .map(|_| {
            let (server, bomb) = (server.clone(), bomb.clone());
            std::thread::spawn(move || {
                server.post(
                    "/api/v2/spans",
                    &[("Content-Type", "application/json"), ("Content-Encoding", "gzip")],
                    &bomb,
                )
            })
        })
        .collect();
    for sender in senders {
        let answer = sender.join().unwrap();
        assert_eq!(answer.status, 413, "{answer:?}");
        assert!(answer.elapsed < Duration::from_secs(10), "{answer:?}");
    }
    // Eight at once would have peaked near 8 x 64 MiB.
    let peak = server.peak_rss_mb();
    assert!(peak < before + 2.0 * 64.0 + 80.0, "peak RSS {peak:.0} MB from {before:.0} MB");
    server.assert_rss_within(before, 80.0);
}
