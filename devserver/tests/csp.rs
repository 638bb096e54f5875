//! `--csp`: the UI's page carries the strict policy, built from config.json; without the flag, none.
mod common;
use common::TestServer;

fn dist_with_config(name: &str, config: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("spanscope-csp-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        r#"<!DOCTYPE html><html><head><base href="/" /></head><body></body></html>"#,
    )
    .unwrap();
    std::fs::write(dir.join("app-1a.js"), b"export default 1;").unwrap();
    let config_path = dir.join("config.json");
    std::fs::write(&config_path, config).unwrap();
    (dir, config_path)
}

#[tokio::test]
async fn the_page_carries_the_strict_policy_only_when_asked() {
    let (dist, config) = dist_with_config(
        "on",
        r#"{"apiBaseUrl":"http://zipkin.internal:9411","allowedOrigins":["https://grafana.example"]}"#,
    );
    let flags = ["--dist", dist.to_str().unwrap(), "--config", config.to_str().unwrap()];
    let plain = TestServer::start(&flags).await;
    assert!(plain.get("/zipkin/").await.headers().get("content-security-policy").is_none());

    let strict = TestServer::start(&[&flags[..], &["--csp"]].concat()).await;
    for path in ["/zipkin/", "/zipkin/traces/abc"] {
        let r = strict.get(path).await;
        let policy = r.headers().get("content-security-policy").expect("a policy").to_str().unwrap().to_string();
        assert!(policy.contains("script-src 'self' 'wasm-unsafe-eval';"), "{policy}");
        assert!(policy.contains("style-src 'self';"), "{policy}");
        assert!(policy.contains("connect-src 'self' http://zipkin.internal:9411;"), "{policy}");
        assert!(policy.contains("frame-ancestors 'self' https://grafana.example;"), "{policy}");
        assert!(!policy.contains("unsafe-inline"), "{policy}");
    }
    // Caching stays as deployed: the page revalidates, hashed assets never do.
    let r = strict.get("/zipkin/").await;
    assert_eq!(r.headers()["cache-control"], "no-cache");
    let r = strict.get("/zipkin/app-1a.js").await;
    assert_eq!(r.headers()["cache-control"], "public, max-age=31536000, immutable");
}
