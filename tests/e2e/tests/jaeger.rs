//! Spanscope as the UI of a Jaeger, in headless Chromium against the devserver's Jaeger query APIs (the
//! same store answers both): with `"backend": "jaeger"` (API v3) and `"jaeger-legacy"`, the search page
//! finds the tutorial app's traces by service, operation and tag, the trace page shows their spans, tags
//! and logs, and Jaeger UI's URLs open the right page.
use spanscope_e2e::{http_get, serve_http, Browser, Devserver};
use std::io::Write;

/// Two traces of the tutorial's Flask app, as Jaeger JSON: `hello` (GET, 200) calling `redis` with a
/// `log_kv` log, and `checkout` (POST, 500, an error) alone.
fn tutorial_traces() -> String {
    let start = 1_700_000_000_000_000u64;
    let process =
        r#"{"serviceName":"flask-app","tags":[{"key":"jaeger.version","type":"string","value":"Python-4.8.0"}]}"#;
    format!(
        r#"{{"data":[
          {{"traceID":"00000000000000a1","processes":{{"p1":{process}}},"spans":[
            {{"traceID":"00000000000000a1","spanID":"00000000000000a1","operationName":"hello","references":[],
              "startTime":{start},"duration":8000,"processID":"p1","logs":[],
              "tags":[{{"key":"span.kind","type":"string","value":"server"}},{{"key":"http.method","type":"string","value":"GET"}},
                      {{"key":"http.status_code","type":"int64","value":200}}]}},
            {{"traceID":"00000000000000a1","spanID":"00000000000000a2","operationName":"redis GET","processID":"p1",
              "references":[{{"refType":"CHILD_OF","traceID":"00000000000000a1","spanID":"00000000000000a1"}}],
              "startTime":{},"duration":3000,"tags":[{{"key":"span.kind","type":"string","value":"client"}}],
              "logs":[{{"timestamp":{},"fields":[{{"key":"event","type":"string","value":"cache miss"}},
                                                  {{"key":"cache.key","type":"string","value":"greeting"}}]}}]}}]}},
          {{"traceID":"00000000000000b1","processes":{{"p1":{process}}},"spans":[
            {{"traceID":"00000000000000b1","spanID":"00000000000000b1","operationName":"checkout","references":[],
              "startTime":{},"duration":20000,"processID":"p1","logs":[],
              "tags":[{{"key":"span.kind","type":"string","value":"server"}},{{"key":"http.method","type":"string","value":"POST"}},
                      {{"key":"http.status_code","type":"int64","value":500}},{{"key":"error","type":"bool","value":true}}]}}]}}
        ]}}"#,
        start + 2000,
        start + 2500,
        start + 60_000_000
    )
}

/// The devserver holding the tutorial's traces (moved to now), with `backend` in its config.json.
async fn jaeger_server(backend: &str) -> (Devserver, tempfile::NamedTempFile, tempfile::NamedTempFile) {
    let mut traces = tempfile::NamedTempFile::with_suffix(".json").unwrap();
    traces.write_all(tutorial_traces().as_bytes()).unwrap();
    let mut config = tempfile::NamedTempFile::with_suffix(".json").unwrap();
    write!(config, r#"{{"backend": "{backend}"}}"#).unwrap();
    let server = Devserver::start(&[
        "--load",
        traces.path().to_str().unwrap(),
        "--rebase",
        "--config",
        config.path().to_str().unwrap(),
    ])
    .await;
    (server, traces, config)
}

/// Trace ids of the result rows' links, in page order, once there are `count`.
async fn result_ids(browser: &Browser, count: usize) -> Vec<String> {
    browser.by_role("table", "Traces").await;
    browser
        .wait_for(&format!("{count} results"), || async {
            let mut ids = Vec::new();
            for link in browser.all_by_role("link").await {
                if let Some(href) = link.attr("href").await.unwrap() {
                    if let Some(id) = href.strip_prefix("/zipkin/traces/") {
                        ids.push(id.to_string());
                    }
                }
            }
            (ids.len() == count).then_some(ids)
        })
        .await
}

/// The search page finds the traces by service, operation and tag; the trace page shows spans, tags
/// and logs; Jaeger UI's links open the same pages.
async fn the_tutorials_traces_through(backend: &str) {
    let (server, _traces, _config) = jaeger_server(backend).await;
    // The API the page reads has them (asked over HTTP, as the page does).
    let api = if backend == "jaeger" { "/api/v3/services" } else { "/api/services" };
    let (status, _, body) = http_get(&server.origin, api).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("flask-app"), "{body}");

    let browser = Browser::start().await;
    browser.goto(&server.ui("/?serviceName=flask-app&lookback=1d")).await;
    let mut all = result_ids(&browser, 2).await;
    all.sort();
    assert_eq!(all, vec!["00000000000000a1", "00000000000000b1"]);
    // Jaeger's controls: span kind and operation; no remote service.
    browser.by_role("combobox", "Span kind").await;
    browser.by_role("combobox", "Operation").await;
    assert!(browser.try_by_role("combobox", "Remote service").await.is_none());

    browser.goto(&server.ui("/?serviceName=flask-app&spanName=checkout&lookback=1d")).await;
    assert_eq!(result_ids(&browser, 1).await, vec!["00000000000000b1"]);
    browser.goto(&server.ui("/?serviceName=flask-app&annotationQuery=http.method%3DGET&lookback=1d")).await;
    assert_eq!(result_ids(&browser, 1).await, vec!["00000000000000a1"]);

    // The trace page: spans, the server span's tags, the client span's log.
    browser.goto(&server.ui("/traces/00000000000000a1")).await;
    let hello = browser.by_role("row", "flask-app: hello").await;
    hello.click().await.unwrap();
    let details = browser.by_role("region", "Span details").await;
    let text = details.text().await.unwrap();
    assert!(text.contains("http.method") && text.contains("GET"), "{text}");
    browser.by_role("row", "flask-app: redis GET").await.click().await.unwrap();
    let events = browser.by_role("region", "Events").await;
    let text = events.text().await.unwrap();
    assert!(text.contains("cache miss") && text.contains("greeting"), "{text}");

    // Jaeger UI's URLs.
    let tags = "%7B%22http.status_code%22%3A%22500%22%7D";
    browser.goto(&server.ui(&format!("/search?service=flask-app&tags={tags}&lookback=2d&limit=20"))).await;
    assert_eq!(result_ids(&browser, 1).await, vec!["00000000000000b1"]);
    assert_eq!(
        browser.path_and_query().await,
        "/zipkin/?serviceName=flask-app&annotationQuery=http.status_code%3D500&lookback=2d&limit=20"
    );
    browser.goto(&server.ui("/trace/00000000000000a1?uiFind=redis")).await;
    browser.by_role("row", "flask-app: redis GET").await;
    browser
        .wait_for("the trace page's URL", || async {
            (browser.path_and_query().await == "/zipkin/traces/00000000000000a1?find=redis").then_some(())
        })
        .await;
    browser.close().await;
}

#[tokio::test]
async fn jaeger_api_v3() {
    the_tutorials_traces_through("jaeger").await;
}

#[tokio::test]
async fn jaeger_legacy_api() {
    the_tutorials_traces_through("jaeger-legacy").await;
}

#[tokio::test]
async fn a_zipkin_setting_pointed_at_a_jaeger_v2_says_which_backend_to_set() {
    // A Jaeger v2 as the page sees it: API v3 only, Go's 404 for every other path.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let jaeger = format!("http://{}", listener.local_addr().unwrap());
    let task = serve_http(listener, |line| {
        if line.starts_with("GET /api/v3/services ") {
            (200, "application/json", br#"{"services":["flask-app"]}"#.to_vec())
        } else {
            (404, "text/plain; charset=utf-8", b"404 page not found\n".to_vec())
        }
    });
    let mut config = tempfile::NamedTempFile::with_suffix(".json").unwrap();
    write!(config, r#"{{"apiBaseUrl": "{jaeger}"}}"#).unwrap();
    let server = Devserver::start(&["--config", config.path().to_str().unwrap()]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/")).await;
    let alert = browser.by_role("alert", "This server looks like Jaeger's API v3, not Zipkin's API v2").await;
    let text = alert.text().await.unwrap();
    assert!(text.contains(r#"Set "backend": "jaeger" in config.json (it is "zipkin" now)"#), "{text}");
    browser.close().await;
    task.abort();
}
