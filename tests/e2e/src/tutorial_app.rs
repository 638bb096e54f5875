//! The tutorial's real Flask app (tests/interop/jaeger_tutorial_app.py: `jaeger-client` 4.8 and
//! `Flask-OpenTracing` 2.0) reporting to a devserver's Jaeger agent over UDP, so the browser tests look at
//! spans a real Jaeger client sent rather than at JSON written by hand.
use super::http::http_get;
use super::paths::repo_root;
use serde_json::Value;
use std::time::{Duration, Instant};

/// One request the app served, as it printed it: its trace and span ids (16 hex digits) and the greeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TutorialRequest {
    pub trace_id: String,
    /// Flask-OpenTracing's server span, `hello`, tagged `user.name`.
    pub root: String,
    /// `format-greeting`, a child of `root`, tagged `greeting.length` with a `string-format` log.
    pub child: String,
    pub greeting: String,
}

/// Runs the app against the devserver at `origin` whose agent listens on UDP `agent_port`, then waits until
/// every trace it printed is searchable (the agent stores datagrams in the background); answers the requests
/// in the order the app served them ("Ada", then "Grace").
pub async fn report_tutorial_traces(origin: &str, agent_port: u16) -> Vec<TutorialRequest> {
    let root = repo_root();
    // The interop layer's virtualenv: `scripts/bootstrap.sh clients` (make test-e2e) installs it.
    let python = root.join(".tools/venv/bin/python");
    assert!(python.exists(), "install the tracing clients first (scripts/bootstrap.sh clients): {}", python.display());
    let done = tokio::time::timeout(
        Duration::from_secs(120),
        tokio::process::Command::new(python)
            .arg(root.join("tests/interop/jaeger_tutorial_app.py"))
            .arg(agent_port.to_string())
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("the tutorial app finished within 120 s")
    .expect("run the tutorial app");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert!(done.status.success(), "the tutorial app failed: {stderr}");
    let printed: Value = serde_json::from_slice(&done.stdout).expect("the app prints JSON");
    let requests: Vec<TutorialRequest> = printed
        .as_array()
        .expect("a list of requests")
        .iter()
        .map(|r| {
            let field = |name: &str| r[name].as_str().unwrap_or_else(|| panic!("{name} in {r}")).to_string();
            TutorialRequest {
                trace_id: field("trace_id"),
                root: field("root"),
                child: field("child"),
                greeting: field("greeting"),
            }
        })
        .collect();
    let mut wanted: Vec<&str> = requests.iter().map(|r| r.trace_id.as_str()).collect();
    wanted.sort_unstable();
    let started = Instant::now();
    loop {
        let (status, _, body) = http_get(origin, "/api/traces?service=tutorial-app&limit=20").await;
        let mut found: Vec<String> = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v["data"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .filter_map(|t| t["traceID"].as_str().map(str::to_string))
            .collect();
        found.sort_unstable();
        if status == 200 && found == wanted {
            return requests;
        }
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "the app's traces {wanted:?} are not searchable: {status} {body}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
