//! The devserver holding the benchmark's traces (`--generate`, i.e. spanscope-tracegen, deterministic by seed),
//! with the generated trace ids read from its stderr — the e2e harness's `Devserver` leaves stderr to the
//! terminal, and the ids are what the trace page needs.
use spanscope_e2e::repo_root;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct GeneratedServer {
    _child: Child,
    /// `http://127.0.0.1:PORT`
    pub origin: String,
    /// (span count, trace id) of each single trace generated (`--generate N`).
    pub traces: Vec<(usize, String)>,
    /// Ids of the trace sets generated (`--generate SxT`).
    #[allow(dead_code)]
    pub set_ids: Vec<String>,
}

impl GeneratedServer {
    /// Starts the release devserver serving `dist/` (or `$SPANSCOPE_DIST`) with these `--generate` specs.
    pub async fn start(specs: &[&str]) -> Result<GeneratedServer, String> {
        let root = repo_root();
        let binary = root.join("target/release/spanscope-devserver");
        let dist = std::env::var_os("SPANSCOPE_DIST").map(PathBuf::from).unwrap_or_else(|| root.join("dist"));
        if !binary.exists() || !dist.join("index.html").exists() {
            return Err("build the devserver and the UI first (make devserver dist)".into());
        }
        let mut command = Command::new(binary);
        command.args(["--addr", "127.0.0.1:0", "--seed", "7", "--dist"]).arg(&dist);
        for spec in specs {
            command.args(["--generate", spec]);
        }
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| format!("start devserver: {e}"))?;
        let mut out = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut err = BufReader::new(child.stderr.take().expect("stderr")).lines();
        // Traces are generated before the server listens, so all ids are on stderr by the time stdout speaks;
        // stderr stays open while the server runs, so it is drained by a task that shares what it read.
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
        let sink = seen.clone();
        tokio::spawn(async move {
            while let Ok(Some(line)) = err.next_line().await {
                sink.lock().expect("stderr lines").push(line);
            }
        });
        let origin = tokio::time::timeout(Duration::from_secs(180), async {
            while let Ok(Some(line)) = out.next_line().await {
                if let Some(addr) = line.strip_prefix("listening on ") {
                    return Some(addr.trim().to_string());
                }
            }
            None
        })
        .await
        .map_err(|_| "the devserver did not listen within 180 s".to_string())?
        .ok_or("the devserver exited before listening")?;
        tokio::spawn(async move { while let Ok(Some(_)) = out.next_line().await {} });
        tokio::time::sleep(Duration::from_millis(300)).await;
        let lines = seen.lock().expect("stderr lines").clone();
        let (traces, set_ids) = parse_ids(&lines);
        Ok(GeneratedServer { _child: child, origin, traces, set_ids })
    }

    /// The UI's URL for a path under the default base (`/zipkin`).
    pub fn ui(&self, path: &str) -> String {
        format!("{}/zipkin/{}", self.origin, path.trim_start_matches('/'))
    }

    /// The id of the generated single trace closest to `spans` spans (the devserver reports what it stored).
    pub fn trace_of(&self, spans: usize) -> Option<&str> {
        self.traces.iter().min_by_key(|(n, _)| n.abs_diff(spans)).map(|(_, id)| id.as_str())
    }
}

/// `generated trace ID (N spans)` and `generated T traces (N spans):` followed by indented ids.
fn parse_ids(lines: &[String]) -> (Vec<(usize, String)>, Vec<String>) {
    let mut traces = Vec::new();
    let mut set = Vec::new();
    for line in lines {
        if let Some(rest) = line.strip_prefix("generated trace ") {
            let mut parts = rest.split_whitespace();
            let id = parts.next().unwrap_or_default().to_string();
            let count = parts.next().unwrap_or_default().trim_start_matches('(').parse().unwrap_or(0);
            traces.push((count, id));
        } else if line.starts_with("  ") && line.trim().chars().all(|c| c.is_ascii_hexdigit()) {
            set.push(line.trim().to_string());
        }
    }
    (traces, set)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_read_from_both_kinds_of_line() {
        let lines: Vec<String> =
            ["generated trace 00ab (1000 spans)", "generated 2 traces (100 spans):", "  0c", "  0d"]
                .iter()
                .map(|s| s.to_string())
                .collect();
        let (traces, set) = super::parse_ids(&lines);
        assert_eq!(traces, vec![(1000, "00ab".to_string())]);
        assert_eq!(set, vec!["0c", "0d"]);
    }
}
