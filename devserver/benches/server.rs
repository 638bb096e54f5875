//! The devserver's budgets (issue 3), measured over real HTTP against the release binary in its own process:
//! ingest rate (spans/s), `/traces?limit=10` latency with 500,000 spans stored, the server's RSS, and
//! `/trace/{id}` of a 100,000-span trace. Prints a table and writes `target/bench-devserver.json`.
//!
//! Run: `cargo bench -p spanscope-devserver --bench server`.
use spanscope_tracegen::{generate_trace, generate_traces, TraceSet, TraceShape};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const TRACES: usize = 10_000;
const SPANS_PER_TRACE: usize = 50;
const TRACES_PER_POST: usize = 20;
const CONNECTIONS: usize = 4;
const QUERIES: usize = 200;

fn now_micros() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_micros() as u64
}

fn rss_mb(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i].as_secs_f64() * 1000.0
}

struct Row {
    name: &'static str,
    value: f64,
    unit: &'static str,
    budget: &'static str,
    pass: Option<bool>,
}

#[tokio::main]
async fn main() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spanscope-devserver"))
        .args(["--addr", "127.0.0.1:0", "--max-spans", "500000"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("devserver starts");
    let pid = child.id();
    let first = BufReader::new(child.stdout.take().unwrap()).lines().next().unwrap().unwrap();
    let base = first.strip_prefix("listening on ").expect("address line").to_string();
    let client = reqwest::Client::new();

    eprintln!("generating {TRACES} traces of ~{SPANS_PER_TRACE} spans...");
    let traces = generate_traces(&TraceSet {
        traces: TRACES,
        spans_per_trace: SPANS_PER_TRACE,
        seed: 11,
        newest_micros: now_micros() - 60_000_000,
        spacing_micros: 5_000_000,
        ..TraceSet::default()
    });
    // Top up to exactly 500,000 spans with one more trace (the set's sizes vary by ±20%).
    let mut traces = traces;
    let generated: usize = traces.iter().map(Vec::len).sum();
    if generated < 500_000 {
        traces.push(generate_trace(&TraceShape {
            spans: 500_000 - generated,
            seed: 12,
            start_micros: now_micros() - 30_000_000,
            ..TraceShape::default()
        }));
    }
    let bodies: Vec<(usize, Vec<u8>)> = traces
        .chunks(TRACES_PER_POST)
        .map(|chunk| {
            let spans: Vec<_> = chunk.iter().flatten().collect();
            (spans.len(), serde_json::to_vec(&spans).unwrap())
        })
        .collect();
    let total_spans: usize = bodies.iter().map(|b| b.0).sum();
    drop(traces);

    eprintln!("posting {total_spans} spans in {} requests over {CONNECTIONS} connections...", bodies.len());
    let started = Instant::now();
    let bodies = std::sync::Arc::new(bodies);
    let mut tasks = Vec::new();
    for worker in 0..CONNECTIONS {
        let (client, base, bodies) = (client.clone(), base.clone(), bodies.clone());
        tasks.push(tokio::spawn(async move {
            for (_, body) in bodies.iter().skip(worker).step_by(CONNECTIONS) {
                let r = client
                    .post(format!("{base}/api/v2/spans"))
                    .header("content-type", "application/json")
                    .body(body.clone())
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 202);
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let ingest_secs = started.elapsed().as_secs_f64();
    let ingest_rate = total_spans as f64 / ingest_secs;
    drop(bodies);

    let mut latencies = Vec::with_capacity(QUERIES);
    let mut answered = 0;
    for _ in 0..QUERIES {
        let started = Instant::now();
        let body = client.get(format!("{base}/api/v2/traces?limit=10")).send().await.unwrap().bytes().await.unwrap();
        latencies.push(started.elapsed());
        answered = serde_json::from_slice::<Vec<serde_json::Value>>(&body).unwrap().len();
    }
    assert_eq!(answered, 10, "the search finds the stored traces");
    latencies.sort();
    let mut filtered = Vec::with_capacity(QUERIES);
    for i in 0..QUERIES {
        let service = ["user-service", "payment-service", "inventory-service", "email-worker"][i % 4];
        let started = Instant::now();
        client
            .get(format!("{base}/api/v2/traces?limit=10&serviceName={service}&annotationQuery=error"))
            .send()
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap();
        filtered.push(started.elapsed());
    }
    filtered.sort();
    let services_started = Instant::now();
    client.get(format!("{base}/api/v2/services")).send().await.unwrap().bytes().await.unwrap();
    let services_ms = services_started.elapsed().as_secs_f64() * 1000.0;
    let deps_started = Instant::now();
    let end_ms = now_micros() / 1000;
    client.get(format!("{base}/api/v2/dependencies?endTs={end_ms}")).send().await.unwrap().bytes().await.unwrap();
    let deps_cold_ms = deps_started.elapsed().as_secs_f64() * 1000.0;
    let deps_started = Instant::now();
    client.get(format!("{base}/api/v2/dependencies?endTs={end_ms}")).send().await.unwrap().bytes().await.unwrap();
    let deps_warm_ms = deps_started.elapsed().as_secs_f64() * 1000.0;
    let stored_rss = rss_mb(pid);

    eprintln!("storing and fetching one 100,000-span trace...");
    let big = generate_trace(&TraceShape {
        spans: 100_000,
        seed: 5,
        start_micros: now_micros() - 600_000_000,
        ..TraceShape::default()
    });
    let big_id = big[0].trace_id.clone();
    let big_body = serde_json::to_vec(&big).unwrap();
    drop(big);
    let r = client.post(format!("{base}/api/v2/spans")).body(big_body).send().await.unwrap();
    assert_eq!(r.status(), 202);
    let mut big_fetch = Vec::new();
    let mut big_bytes = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let body = client.get(format!("{base}/api/v2/trace/{big_id}")).send().await.unwrap().bytes().await.unwrap();
        big_fetch.push(started.elapsed());
        big_bytes = body.len();
    }
    big_fetch.sort();
    let final_rss = rss_mb(pid);
    child.kill().ok();
    child.wait().ok();

    let rows = [
        Row {
            name: "devserver ingest (HTTP, JSON v2)",
            value: ingest_rate,
            unit: "spans/s",
            budget: ">= 100000",
            pass: Some(ingest_rate >= 100_000.0),
        },
        Row {
            name: "devserver /traces?limit=10 p50 @ 500k spans",
            value: percentile(&latencies, 0.5),
            unit: "ms",
            budget: "<= 20",
            pass: Some(percentile(&latencies, 0.5) <= 20.0),
        },
        Row {
            name: "devserver /traces?limit=10 p90",
            value: percentile(&latencies, 0.9),
            unit: "ms",
            budget: "",
            pass: None,
        },
        Row {
            name: "devserver /traces service+error p50",
            value: percentile(&filtered, 0.5),
            unit: "ms",
            budget: "",
            pass: None,
        },
        Row { name: "devserver /services", value: services_ms, unit: "ms", budget: "", pass: None },
        Row {
            name: "devserver /dependencies 500k spans, cold",
            value: deps_cold_ms,
            unit: "ms",
            budget: "",
            pass: None,
        },
        Row {
            name: "devserver /dependencies 500k spans, cached",
            value: deps_warm_ms,
            unit: "ms",
            budget: "",
            pass: None,
        },
        Row {
            name: "devserver RSS @ 500k spans",
            value: stored_rss,
            unit: "MB",
            budget: "<= 1024",
            pass: Some(stored_rss <= 1024.0),
        },
        Row {
            name: "devserver /trace/{id} 100k spans p50",
            value: percentile(&big_fetch, 0.5),
            unit: "ms",
            budget: "",
            pass: None,
        },
        Row { name: "devserver RSS after the 100k trace", value: final_rss, unit: "MB", budget: "", pass: None },
    ];
    println!("{:<48} {:>12} {:<8} {:<10} result", "measure", "figure", "unit", "budget");
    for r in &rows {
        let result = match r.pass {
            Some(true) => "pass",
            Some(false) => "MISSED",
            None => "",
        };
        println!("{:<48} {:>12.1} {:<8} {:<10} {}", r.name, r.value, r.unit, r.budget, result);
    }
    println!(
        "({total_spans} spans in {} traces ingested in {ingest_secs:.2} s; the 100k-span trace is {:.1} MB of JSON)",
        TRACES + 1,
        big_bytes as f64 / 1e6
    );

    let json: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| serde_json::json!({"name": r.name, "value": r.value, "unit": r.unit, "budget": r.budget, "pass": r.pass}))
        .collect();
    let out = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/bench-devserver.json");
    if let Some(dir) = std::path::Path::new(out).parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    match std::fs::write(out, serde_json::to_vec_pretty(&json).unwrap()) {
        Ok(()) => eprintln!("wrote {out}"),
        Err(e) => eprintln!("could not write {out}: {e}"),
    }
}
