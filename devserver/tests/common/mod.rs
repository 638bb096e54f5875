//! Shared test helpers: start a devserver on an ephemeral port and talk to it over real HTTP.
#![allow(dead_code)]
pub mod child;
pub mod otlp;
pub mod thrift;
use clap::Parser;
use spanscope_devserver::cli::Args;
use std::net::SocketAddr;

/// The shared fixtures, beside the repository (never copied into it).
pub const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures");

/// A devserver running inside the test, stopped when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    /// The Jaeger agent's UDP address and counters, when started with `--jaeger-agent`.
    pub agent: Option<(SocketAddr, std::sync::Arc<spanscope_devserver::jaeger_ingest::AgentCounters>)>,
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl TestServer {
    /// Starts a server with these extra flags on 127.0.0.1:0.
    pub async fn start(flags: &[&str]) -> TestServer {
        let mut argv = vec!["spanscope-devserver", "--addr", "127.0.0.1:0"];
        argv.extend_from_slice(flags);
        let args = Args::try_parse_from(argv).expect("flags parse");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = spanscope_devserver::server::start(args, async move {
            let _ = rx.await;
        })
        .await
        .expect("server starts");
        let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        TestServer { addr: server.addr, agent: server.jaeger_agent, client, stop: Some(tx) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request")
    }

    /// GET returning (status, body text).
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let r = self.get(path).await;
        let status = r.status().as_u16();
        (status, r.text().await.unwrap())
    }

    /// GET expecting 200 and a JSON body.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let (status, body) = self.get_text(path).await;
        assert_eq!(status, 200, "GET {path}: {body}");
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path}: {e}: {body}"))
    }

    /// POST a body with a content type, returning (status, body text).
    pub async fn post(&self, path: &str, content_type: &str, body: Vec<u8>) -> (u16, String) {
        let r = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        let status = r.status().as_u16();
        (status, r.text().await.unwrap())
    }

    /// POST raw bytes with a content type and, optionally, a content encoding: (status, content type, body).
    pub async fn post_bytes(
        &self,
        path: &str,
        content_type: &str,
        content_encoding: Option<&str>,
        body: Vec<u8>,
    ) -> (u16, String, Vec<u8>) {
        let mut request = self.client.post(self.url(path)).header("content-type", content_type).body(body);
        if let Some(encoding) = content_encoding {
            request = request.header("content-encoding", encoding);
        }
        let r = request.send().await.expect("request");
        let status = r.status().as_u16();
        let content_type = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        (status, content_type, r.bytes().await.unwrap().to_vec())
    }

    /// POST JSON v2 spans, expecting 202.
    pub async fn post_v2(&self, spans: &serde_json::Value) {
        let (status, body) = self.post("/api/v2/spans", "application/json", serde_json::to_vec(spans).unwrap()).await;
        assert_eq!(status, 202, "{body}");
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
    }
}

/// Gzips a body, as a client sending `Content-Encoding: gzip` does.
pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A v2 span as JSON, for building scenarios.
pub fn span(
    trace: &str,
    id: &str,
    parent: Option<&str>,
    service: &str,
    name: &str,
    ts: u64,
    dur: u64,
) -> serde_json::Value {
    let mut s = serde_json::json!({
        "traceId": trace, "id": id, "name": name, "timestamp": ts, "duration": dur,
        "localEndpoint": {"serviceName": service}
    });
    if let Some(p) = parent {
        s["parentId"] = p.into();
    }
    s
}

/// Sorts a trace's spans by (id, kind, shared) so traces compare regardless of span order.
pub fn sorted(trace: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut spans = trace.as_array().expect("a span list").clone();
    spans.sort_by_key(|s| serde_json::to_string(s).unwrap());
    spans
}

/// The ids of each trace in a `/traces` answer, in order.
pub fn trace_ids(traces: &serde_json::Value) -> Vec<String> {
    traces.as_array().unwrap().iter().map(|t| t[0]["traceId"].as_str().unwrap().to_string()).collect()
}
