//! Issue 25: a misbehaving backend cannot crash or freeze the page. A small raw server in the test answers as a
//! hostile or broken Zipkin would; each case asserts what the page says and that the app keeps working after it.
use spanscope_e2e::{read_request_line, Browser, Devserver};
use std::io::Write;
use tokio::io::AsyncWriteExt;

/// A server that answers every request with `head` (status line and headers, CORS open) and `body`, then closes
/// the connection, whatever the head announced. Returns its origin.
async fn serve_raw(head: &'static str, body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                if read_request_line(&mut stream).await.is_none() {
                    return;
                }
                let head = format!("{head}\r\nAccess-Control-Allow-Origin: *\r\nConnection: close\r\n\r\n");
                let _ = stream.write_all(head.as_bytes()).await;
                let _ = stream.write_all(&body).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    origin
}

/// The devserver serving the UI, its config pointing the API at `api`.
async fn ui_against(api: &str) -> (Devserver, tempfile::NamedTempFile) {
    let mut config = tempfile::NamedTempFile::new().unwrap();
    write!(config, r#"{{"apiBaseUrl": "{api}"}}"#).unwrap();
    let path = config.path().to_str().unwrap().to_string();
    (Devserver::start(&["--config", &path]).await, config)
}

// "A trace response announcing Content-Length: 3000000000 with a 1 KB body panics the Wasm module ... the page
// stays on 'Downloading the trace...' for ever."
#[tokio::test]
async fn a_body_far_shorter_than_announced_is_named_and_the_app_keeps_working() {
    let api =
        serve_raw("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 3000000000", vec![b' '; 1024])
            .await;
    let (server, _config) = ui_against(&api).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/traces/00000000000000a1")).await;
    // Browsers deliver none or part of a body that breaks off: the count is what arrived.
    browser.wait_for_text("of the 3000000000 bytes the server announced").await;
    browser.wait_for_text("Unexpected answer from Zipkin").await;
    // The app is alive: its own navigation still renders a page.
    browser.by_role("link", "Find a trace").await.click().await.unwrap();
    browser.by_role("heading", "Find a trace").await;
    browser.close().await;
}

/// The devserver serving the UI with `spans` (Zipkin v2 JSON) loaded and moved to now.
async fn ui_with(spans: serde_json::Value) -> (Devserver, tempfile::NamedTempFile) {
    let mut file = tempfile::NamedTempFile::with_suffix(".json").unwrap();
    write!(file, "{spans}").unwrap();
    let path = file.path().to_str().unwrap().to_string();
    (Devserver::start(&["--load", &path, "--rebase"]).await, file)
}

// "A span name of 5,000 characters pushes the waterfall off the screen (header 1,115 px tall, 0 rows visible)."
#[tokio::test]
async fn a_five_thousand_character_name_leaves_the_waterfall_on_screen() {
    let name = "w".repeat(5_000);
    let spans = serde_json::json!([
        {"traceId": "00000000000000c1", "id": "00000000000000c1", "name": name, "timestamp": 1_700_000_000_000_000u64,
         "duration": 5_000, "localEndpoint": {"serviceName": "shop"}},
        {"traceId": "00000000000000c1", "id": "00000000000000c2", "parentId": "00000000000000c1", "name": "child",
         "timestamp": 1_700_000_000_001_000u64, "duration": 1_000, "localEndpoint": {"serviceName": "db"}},
    ]);
    let (server, _file) = ui_with(spans).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/traces/00000000000000c1")).await;
    browser.by_role("treegrid", "Waterfall").await;
    let heading = browser.eval("document.querySelector('h1').getBoundingClientRect().height").await;
    assert!(heading.as_f64().unwrap() < 60.0, "the title is clamped to two lines: {heading} px");
    // The child's row is inside the window (1600 x 1000 in the harness), not pushed below it.
    let child_bottom = browser
        .eval(
            "(() => { const r = [...document.querySelectorAll('[role=row]')].find(r => r.textContent.includes('child'));
               return r ? r.getBoundingClientRect().bottom : null })()",
        )
        .await;
    let bottom = child_bottom.as_f64().expect("the child row is drawn");
    let viewport = browser.eval("window.innerHeight").await.as_f64().unwrap();
    assert!(bottom <= viewport, "child row at {bottom} px in a {viewport} px window");
    // The whole name is still there for whoever needs it.
    let title = browser.eval("document.querySelector('h1').title.length").await;
    assert_eq!(title.as_u64(), Some(("shop: ".len() + 5_000) as u64));
    browser.close().await;
}

// "One 1,000-character service name shrinks the dependency graph's fitted zoom to 14%: truncate labels."
#[tokio::test]
async fn a_thousand_character_service_draws_a_cut_label() {
    let long = "s".repeat(1_000);
    let spans = serde_json::json!([
        {"traceId": "00000000000000d1", "id": "00000000000000d1", "name": "get", "kind": "SERVER",
         "timestamp": 1_700_000_000_000_000u64, "duration": 5_000, "localEndpoint": {"serviceName": "web"}},
        {"traceId": "00000000000000d1", "id": "00000000000000d2", "parentId": "00000000000000d1", "name": "call",
         "kind": "SERVER", "shared": false, "timestamp": 1_700_000_000_001_000u64, "duration": 1_000,
         "localEndpoint": {"serviceName": long}},
    ]);
    let (server, _file) = ui_with(spans).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/dependency")).await;
    // The node keeps the whole name as its accessible name; its drawn label is cut.
    browser.by_role("button", &format!("Service {long}")).await;
    let drawn = browser
        .eval("[...document.querySelectorAll('svg text')].map(t => t.textContent).filter(t => t.startsWith('sss'))")
        .await;
    assert_eq!(drawn, serde_json::json!([format!("{}…", "s".repeat(39))]));
    browser.close().await;
}
