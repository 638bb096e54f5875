//! Spanscope as the UI of a Jaeger, in headless Chromium against the devserver standing in for a Jaeger
//! all-in-one (the same store answers both query APIs): the tutorial's real Flask app reports its traces to
//! the agent's UDP port, and with `"backend": "jaeger"` (API v3) and `"jaeger-legacy"` the search page finds
//! them by service, operation and tag, the trace page shows their spans, tags and logs, and Jaeger UI's URLs
//! (`/search`, `/trace/{id}?uiFind=`, `/dependencies`) open the right page. The app's spans cover what the
//! hand-written Jaeger JSON these tests once loaded did (server and internal spans, string and integer tags,
//! a log), so no such file is kept.
use spanscope_e2e::{http_get, report_tutorial_traces, serve_http, Browser, Devserver, TutorialRequest};
use std::io::Write;

/// A devserver with an agent on an ephemeral UDP port and `backend` in its config.json, holding the
/// tutorial app's traces: its two requests, "Ada" then "Grace".
async fn tutorial_server(backend: &str) -> (Devserver, tempfile::NamedTempFile, Vec<TutorialRequest>) {
    let mut config = tempfile::NamedTempFile::with_suffix(".json").unwrap();
    write!(config, r#"{{"backend": "{backend}"}}"#).unwrap();
    let server =
        Devserver::start(&["--jaeger-agent", "127.0.0.1:0", "--config", config.path().to_str().unwrap()]).await;
    let requests = report_tutorial_traces(&server.origin, server.jaeger_agent_port.expect("the agent's port")).await;
    let greetings: Vec<&str> = requests.iter().map(|r| r.greeting.as_str()).collect();
    assert_eq!(greetings, ["Hello, Ada!", "Hello, Grace!"]);
    (server, config, requests)
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

/// The ids, sorted (the results' order is by time, and both requests ran within a millisecond or so).
fn sorted(ids: &[&str]) -> Vec<String> {
    let mut ids: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    ids.sort();
    ids
}

/// Waits until the browser's path and query are `expected`.
async fn wait_for_url(browser: &Browser, expected: &str) {
    browser
        .wait_for(&format!("the URL {expected}"), || async {
            (browser.path_and_query().await == expected).then_some(())
        })
        .await
}

/// The search page finds the app's traces by service, operation and tag; the trace page shows its spans,
/// tags and logs; Jaeger UI's links open the same pages.
async fn the_tutorials_traces_through(backend: &str) {
    let (server, _config, requests) = tutorial_server(backend).await;
    let (ada, grace) = (&requests[0], &requests[1]);
    // The API the page reads has them (asked over HTTP, as the page does).
    let api = if backend == "jaeger" { "/api/v3/services" } else { "/api/services" };
    let (status, _, body) = http_get(&server.origin, api).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains(r#""tutorial-app""#), "{body}");

    let browser = Browser::start().await;
    // By service: both requests' traces.
    browser.goto(&server.ui("/?serviceName=tutorial-app&lookback=1h")).await;
    let mut all = result_ids(&browser, 2).await;
    all.sort();
    assert_eq!(all, sorted(&[&ada.trace_id, &grace.trace_id]));
    // Jaeger's controls: span kind and operation; no remote service.
    browser.by_role("combobox", "Span kind").await;
    browser.by_role("combobox", "Operation").await;
    assert!(browser.try_by_role("combobox", "Remote service").await.is_none());
    // By operation: each trace has both of the app's.
    browser.goto(&server.ui("/?serviceName=tutorial-app&spanName=hello&lookback=1h")).await;
    let mut by_operation = result_ids(&browser, 2).await;
    by_operation.sort();
    assert_eq!(by_operation, all);
    // By tag: the server span's `user.name`; with the operation, the child's `greeting.length`
    // ("Hello, Ada!" is 11 characters, "Hello, Grace!" 13).
    browser.goto(&server.ui("/?serviceName=tutorial-app&annotationQuery=user.name%3DGrace&lookback=1h")).await;
    assert_eq!(result_ids(&browser, 1).await, [grace.trace_id.as_str()]);
    browser
        .goto(
            &server.ui(
                "/?serviceName=tutorial-app&spanName=format-greeting&annotationQuery=greeting.length%3D11&lookback=1h",
            ),
        )
        .await;
    assert_eq!(result_ids(&browser, 1).await, [ada.trace_id.as_str()]);

    // The trace page: both spans; the server span's tags; the child's tag and its `log_kv` log.
    browser.goto(&server.ui(&format!("/traces/{}", ada.trace_id))).await;
    browser.by_role("row", "tutorial-app: format-greeting").await;
    browser.by_role("row", "tutorial-app: hello").await.click().await.unwrap();
    wait_for_url(&browser, &format!("/zipkin/traces/{}?span={}", ada.trace_id, ada.root)).await;
    let text = browser.by_role("region", "Span details").await.text().await.unwrap();
    for shown in ["user.name", "Ada", "http.method", "GET", "http.url", "http://localhost/hello/Ada", "Flask"] {
        assert!(text.contains(shown), "{shown:?} not in the hello span's details:\n{text}");
    }
    browser.by_role("row", "tutorial-app: format-greeting").await.click().await.unwrap();
    wait_for_url(&browser, &format!("/zipkin/traces/{}?span={}", ada.trace_id, ada.child)).await;
    browser
        .wait_for("the child's tag in the details", || async {
            let text = browser.by_role("region", "Span details").await.text().await.unwrap();
            (text.contains("greeting.length") && text.contains("11")).then_some(())
        })
        .await;
    let text = browser.by_role("region", "Events").await.text().await.unwrap();
    assert!(text.contains("string-format") && text.contains(&ada.greeting), "{text}");

    // Jaeger UI's URLs: a search by tag, a trace with uiFind, the dependencies.
    let tags = "%7B%22user.name%22%3A%22Grace%22%7D";
    browser.goto(&server.ui(&format!("/search?service=tutorial-app&tags={tags}&lookback=1h&limit=20"))).await;
    assert_eq!(result_ids(&browser, 1).await, [grace.trace_id.as_str()]);
    assert_eq!(
        browser.path_and_query().await,
        "/zipkin/?serviceName=tutorial-app&annotationQuery=user.name%3DGrace&lookback=1h&limit=20"
    );
    browser.goto(&server.ui(&format!("/trace/{}?uiFind=format", grace.trace_id))).await;
    browser.by_role("row", "tutorial-app: format-greeting").await;
    wait_for_url(&browser, &format!("/zipkin/traces/{}?find=format", grace.trace_id)).await;
    browser.goto(&server.ui("/dependencies")).await;
    wait_for_url(&browser, "/zipkin/dependency").await;
    if backend == "jaeger" {
        // The devserver answers API v3 as Jaeger up to v2.20 does, without a dependencies endpoint: the
        // page says so and names the backend that has the graph.
        browser.wait_for_text("Jaeger has no dependencies endpoint in its API v3").await;
        browser.wait_for_text(r#"set "backend": "jaeger-legacy" in config.json"#).await;
    } else {
        // Jaeger counts a service calling itself: each request's hello -> format-greeting.
        browser.by_role("button", "Service tutorial-app").await;
        browser.by_role("button", "Table").await.click().await.unwrap();
        browser.by_role("table", "Dependency links").await;
        let rows = browser
            .wait_for("the dependency link", || async {
                let rows = browser.table_rows("Dependency links").await;
                (!rows.is_empty()).then_some(rows)
            })
            .await;
        let link: Vec<Vec<&str>> = rows.iter().map(|r| r.iter().take(4).map(String::as_str).collect()).collect();
        assert_eq!(link, [["tutorial-app", "tutorial-app", "2", "0"]]);
    }
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
