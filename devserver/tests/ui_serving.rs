//! Serving the UI: redirects, content types, SPA fallback, `<base href>` rewriting, config.json, cache headers.
mod common;
use common::TestServer;
use std::path::PathBuf;

/// A fake trunk `dist/`: an index with a base tag, a hashed wasm and js file.
fn fake_dist(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("spanscope-dist-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("assets")).unwrap();
    std::fs::write(
        dir.join("index.html"),
        r#"<!DOCTYPE html><html><head><base href="/" /><script type="module" src="spanscope-1a2b.js"></script></head><body></body></html>"#,
    )
    .unwrap();
    std::fs::write(dir.join("spanscope-1a2b_bg.wasm"), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join("spanscope-1a2b.js"), b"export default 1;").unwrap();
    std::fs::write(dir.join("assets/style-9f.css"), b"body{}").unwrap();
    dir
}

fn header<'a>(r: &'a reqwest::Response, name: &str) -> &'a str {
    r.headers().get(name).map(|v| v.to_str().unwrap()).unwrap_or("")
}

#[tokio::test]
async fn root_and_bare_base_redirect_to_the_base_path() {
    let dist = fake_dist("redirect");
    let s = TestServer::start(&["--dist", dist.to_str().unwrap()]).await;
    for path in ["/", "/zipkin"] {
        let r = s.get(path).await;
        assert!(matches!(r.status().as_u16(), 302 | 307), "{path}: {}", r.status());
        assert_eq!(header(&r, "location"), "/zipkin/");
    }
}

#[tokio::test]
async fn files_have_their_content_types_and_cache_headers() {
    let dist = fake_dist("types");
    let s = TestServer::start(&["--dist", dist.to_str().unwrap()]).await;
    let r = s.get("/zipkin/spanscope-1a2b_bg.wasm").await;
    assert_eq!(r.status(), 200);
    assert_eq!(header(&r, "content-type"), "application/wasm");
    assert_eq!(header(&r, "cache-control"), "public, max-age=31536000, immutable");
    assert_eq!(r.bytes().await.unwrap().as_ref(), b"\0asm\x01\0\0\0");

    let r = s.get("/zipkin/spanscope-1a2b.js").await;
    assert!(header(&r, "content-type").starts_with("text/javascript"));
    let r = s.get("/zipkin/assets/style-9f.css").await;
    assert!(header(&r, "content-type").starts_with("text/css"));

    let r = s.get("/zipkin/").await;
    assert_eq!(r.status(), 200);
    assert!(header(&r, "content-type").starts_with("text/html"));
    assert_eq!(header(&r, "cache-control"), "no-cache");
    assert!(r.text().await.unwrap().contains(r#"<base href="/zipkin/" />"#));
}

#[tokio::test]
async fn app_routes_fall_back_to_index_html() {
    let dist = fake_dist("fallback");
    let s = TestServer::start(&["--dist", dist.to_str().unwrap()]).await;
    for path in ["/zipkin/traces/a03ee8fff1dcd9b9", "/zipkin/dependency?startTime=1&endTime=2", "/zipkin/index.html"] {
        let r = s.get(path).await;
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(header(&r, "cache-control"), "no-cache");
        let body = r.text().await.unwrap();
        assert!(body.contains("spanscope-1a2b.js") && body.contains(r#"<base href="/zipkin/" />"#), "{path}");
    }
    // Nothing outside the dist folder leaks through.
    let (status, body) = s.get_text("/zipkin/..%2F..%2Fetc%2Fpasswd").await;
    assert_eq!(status, 200);
    assert!(body.contains("<base href"));
}

#[tokio::test]
async fn a_custom_base_path_rewrites_the_base_tag() {
    let dist = fake_dist("base");
    let s = TestServer::start(&["--dist", dist.to_str().unwrap(), "--base-path", "/tracing/ui/"]).await;
    let r = s.get("/").await;
    assert_eq!(header(&r, "location"), "/tracing/ui/");
    let (status, body) = s.get_text("/tracing/ui/traces/abc").await;
    assert_eq!(status, 200);
    assert!(body.contains(r#"<base href="/tracing/ui/" />"#), "{body}");
    let (status, _) = s.get_text("/tracing/ui/spanscope-1a2b.js").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn config_json_is_served_raw_or_as_empty_object() {
    let dist = fake_dist("config");
    let s = TestServer::start(&["--dist", dist.to_str().unwrap()]).await;
    let r = s.get("/zipkin/config.json").await;
    assert_eq!(r.status(), 200);
    assert!(header(&r, "content-type").starts_with("application/json"));
    assert_eq!(header(&r, "cache-control"), "no-cache");
    assert_eq!(r.text().await.unwrap(), "{}");

    // Deliberately malformed: the UI must see exactly these bytes.
    let config = dist.join("bad-config.json");
    std::fs::write(&config, b"{\"environment\": \"staging\", oops").unwrap();
    let s = TestServer::start(&["--dist", dist.to_str().unwrap(), "--config", config.to_str().unwrap()]).await;
    let (status, body) = s.get_text("/zipkin/config.json").await;
    assert_eq!(status, 200);
    assert_eq!(body, "{\"environment\": \"staging\", oops");
}

#[test]
fn the_binary_prints_its_address_first_and_serves_there() {
    use std::io::{BufRead, BufReader, Read, Write};
    let dist = fake_dist("binary");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_spanscope-devserver"))
        .args(["--addr", "127.0.0.1:0", "--dist", dist.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let addr = first.strip_prefix("listening on http://").expect(&first).to_string();
    assert!(!addr.ends_with(":0"), "{first}");
    assert_eq!(lines.next().unwrap().unwrap(), format!("Spanscope UI at http://{addr}/zipkin/"));

    let mut stream = std::net::TcpStream::connect(&addr).unwrap();
    write!(stream, "GET /zipkin/spanscope-1a2b_bg.wasm HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    child.kill().unwrap();
    let _ = child.wait();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.to_ascii_lowercase().contains("content-type: application/wasm"), "{response}");
}
