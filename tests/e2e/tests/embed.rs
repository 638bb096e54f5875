//! Spanscope embedded and deployed, in headless Chromium: a host page on another origin frames it and
//! drives it by postMessage (a trace with no backend, selection both ways, theme); a page on an origin
//! that is not allowed is ignored; embed flags hide what they say and survive navigation and reloads;
//! `dist/` served under `/tools/traces/` works; under the strict Content-Security-Policy nothing is refused.
use serde_json::{json, Value};
use spanscope_e2e::{fixture, http_get, repo_root, serve_http, Browser, Devserver};
use std::collections::HashSet;
use tokio::net::TcpListener;

const YELP: &str = "a03ee8fff1dcd9b9";

fn yelp_spans() -> Vec<Value> {
    serde_json::from_slice(&std::fs::read(fixture("zipkin/yelp.json")).unwrap()).unwrap()
}

/// A page on an origin of its own (another port): a tiny HTTP server answering every GET with one
/// HTML page. Stopped when dropped.
struct HostPage {
    origin: String,
    task: tokio::task::JoinHandle<()>,
}

impl HostPage {
    /// Binds first, so the origin can go into Spanscope's config before the page exists.
    async fn bind() -> (TcpListener, String) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        (listener, origin)
    }

    /// Serves a dashboard that frames `frame_url` and records every message the frame posts in
    /// `window.received` (`{origin, data}`), the way a host integration would listen.
    fn serve(listener: TcpListener, origin: String, frame_url: &str) -> HostPage {
        let html = format!(
            r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>Host dashboard</title></head><body>
<h1>Host dashboard</h1>
<iframe id="spanscope" title="Spanscope" src="{frame_url}" width="1300" height="760"></iframe>
<script>
window.received = [];
addEventListener('message', (e) => {{
  if (e.source === document.getElementById('spanscope').contentWindow) window.received.push({{ origin: e.origin, data: e.data }});
}});
</script></body></html>"#
        );
        let task = serve_http(listener, move |_| (200, "text/html; charset=utf-8", html.clone().into_bytes()));
        HostPage { origin, task }
    }
}

impl Drop for HostPage {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// A config.json for the devserver (`--config`), in a temporary file.
fn config_file(name: &str, config: Value) -> String {
    let path = std::env::temp_dir().join(format!("spanscope-embed-{name}-{}.json", std::process::id()));
    std::fs::write(&path, config.to_string()).unwrap();
    path.to_string_lossy().into_owned()
}

/// The devserver with the yelp fixture (shifted to now), plus `extra` flags.
async fn server(extra: &[&str]) -> Devserver {
    let yelp = fixture("zipkin/yelp.json").to_string_lossy().into_owned();
    let mut args = vec!["--load", yelp.as_str(), "--rebase"];
    args.extend_from_slice(extra);
    Devserver::start(&args).await
}

/// The messages the frame posted so far whose `type` is `kind`, oldest first (in the host page).
async fn received(browser: &Browser, kind: &str) -> Vec<Value> {
    let script = "return window.received.map(m => m.data).filter(d => d && d.type === arguments[0]);";
    match browser.client.execute(script, vec![json!(kind)]).await.unwrap() {
        Value::Array(items) => items,
        _ => Vec::new(),
    }
}

/// Waits (in the host page) for the `count`-th message of type `kind` and answers it.
async fn wait_for_message(browser: &Browser, kind: &str, count: usize) -> Value {
    browser
        .wait_for(&format!("message #{count} of type {kind}"), || async {
            received(browser, kind).await.get(count - 1).cloned()
        })
        .await
}

/// Posts `message` to the frame from the host page.
async fn post_to_frame(browser: &Browser, message: Value, frame_origin: &str) {
    let script = "document.getElementById('spanscope').contentWindow.postMessage(arguments[0], arguments[1]);";
    browser.client.execute(script, vec![message, json!(frame_origin)]).await.unwrap();
}

/// A query parameter of the current document's URL (in whichever frame the session is in).
async fn url_param(browser: &Browser, name: &str) -> Option<String> {
    let script = "return new URL(location.href).searchParams.get(arguments[0]);";
    browser.client.execute(script, vec![json!(name)]).await.ok()?.as_str().map(str::to_string)
}

/// The search result link of a trace (found by role, told apart by where it goes).
async fn result_link(browser: &Browser, trace_id: &str) -> fantoccini::elements::Element {
    browser.by_role("table", "Traces").await;
    let suffix = format!("/traces/{trace_id}");
    browser
        .wait_for("the result link", || async {
            for link in browser.all_by_role("link").await {
                if link.attr("href").await.ok().flatten().is_some_and(|h| h.ends_with(&suffix)) {
                    return Some(link);
                }
            }
            None
        })
        .await
}

async fn selected_row(browser: &Browser) -> Option<String> {
    let name =
        browser.eval("document.querySelector('[role=row][aria-selected=true]')?.getAttribute('aria-label')").await;
    name.as_str().map(str::to_string)
}

#[tokio::test]
async fn a_host_page_shows_a_trace_by_message_and_hears_the_selection() {
    let (listener, host_origin) = HostPage::bind().await;
    let config = config_file("host", json!({ "allowedOrigins": [host_origin.clone()] }));
    let spanscope = server(&["--config", &config]).await;
    let frame_url = spanscope.ui("/traceViewer?embed=1&hideMinimap=1");
    let host = HostPage::serve(listener, host_origin.clone(), &frame_url);
    let browser = Browser::start().await;
    browser.goto(&host.origin).await;
    browser.by_role("heading", "Host dashboard").await;

    // The frame says it listens, to the host's origin only.
    let ready = wait_for_message(&browser, "spanscope:ready", 1).await;
    assert_eq!(ready["version"], 1);
    let origins: HashSet<String> = browser
        .eval("window.received.map(m => m.origin)")
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap().to_string())
        .collect();
    assert_eq!(origins, HashSet::from([spanscope.origin.clone()]));

    browser.client.enter_frame(0).await.unwrap();
    browser.by_role("status", "Waiting for the page around this one to send a trace").await;
    browser.client.enter_parent_frame().await.unwrap();

    // A trace with no backend: the yelp fixture's spans, posted as they are.
    let spans = yelp_spans();
    post_to_frame(
        &browser,
        json!({ "type": "spanscope:showTrace", "spans": spans, "name": "checkout incident" }),
        &spanscope.origin,
    )
    .await;
    browser.client.enter_frame(0).await.unwrap();
    browser.by_role("treegrid", "Waterfall").await;
    let distinct: HashSet<&str> = spans.iter().filter_map(|s| s["id"].as_str()).collect();
    browser
        .wait_for("one row per span id", || async {
            (browser.all_by_role("row").await.len() == distinct.len()).then_some(())
        })
        .await;
    let summary = browser.by_role("region", "Trace summary").await.text().await.unwrap();
    assert!(summary.contains(YELP), "the trace header shows the sent trace: {summary}");
    // Embedded: no header or navigation, and the minimap flag held.
    assert!(browser.try_by_role("navigation", "Main").await.is_none(), "no app header in the frame");
    assert!(browser.try_by_role("link", "Spanscope").await.is_none());
    assert!(browser.try_by_role("img", "Minimap").await.is_none(), "hideMinimap=1");
    assert!(browser.eval("location.search").await.as_str().unwrap().contains("embed=1"), "flags kept in the URL");

    // A click selects a row; the host hears which span.
    let rows = browser.all_by_role("row").await;
    rows[2].click().await.unwrap();
    let chosen = browser.wait_for("a selected span in the URL", || url_param(&browser, "span")).await;
    assert!(distinct.contains(chosen.as_str()), "{chosen} is a span of the trace");
    browser.client.enter_parent_frame().await.unwrap();
    let selected = wait_for_message(&browser, "spanscope:spanSelected", 1).await;
    assert_eq!(selected["traceId"], YELP);
    assert_eq!(selected["spanId"], chosen.as_str());

    // The host selects another span (short and upper-case, as people type ids) and sets the theme.
    let other =
        distinct.iter().find(|id| **id != chosen && id.starts_with("0f")).copied().unwrap_or("0facde7c9130fd93");
    post_to_frame(
        &browser,
        json!({ "type": "spanscope:selectSpan", "spanId": other.trim_start_matches('0').to_uppercase() }),
        &spanscope.origin,
    )
    .await;
    let echoed = wait_for_message(&browser, "spanscope:spanSelected", 2).await;
    assert_eq!(echoed["spanId"], other);
    post_to_frame(&browser, json!({ "type": "spanscope:setTheme", "theme": "dark" }), &spanscope.origin).await;
    // A malformed request is answered with the reason, not obeyed.
    post_to_frame(&browser, json!({ "type": "spanscope:selectSpan", "spanId": "not hex" }), &spanscope.origin).await;
    let error = wait_for_message(&browser, "spanscope:error", 1).await;
    assert!(error["message"].as_str().unwrap().contains("spanId"), "{error}");

    browser.client.enter_frame(0).await.unwrap();
    assert_eq!(url_param(&browser, "span").await.as_deref(), Some(other));
    let row = browser.wait_for("the host's span selected", || selected_row(&browser)).await;
    let details = browser.by_role("region", "Span details").await.text().await.unwrap();
    assert!(details.contains(other), "details of {other} ({row}): {details}");
    browser
        .wait_for("the dark theme", || async {
            (browser.eval("document.documentElement.getAttribute('data-theme')").await == "dark").then_some(())
        })
        .await;
    let stored = browser.eval("localStorage.getItem('spanscope.theme')").await;
    assert!(stored.is_null(), "a forced theme is not stored: {stored}");

    // A trace that does not read: the frame says why, and the host is told too (issue 25).
    browser.client.enter_parent_frame().await.unwrap();
    post_to_frame(&browser, json!({ "type": "spanscope:showTrace", "json": "[{\"traceId\":" }), &spanscope.origin)
        .await;
    let error = wait_for_message(&browser, "spanscope:error", 2).await;
    let message = error["message"].as_str().unwrap();
    assert!(message.starts_with("spanscope:showTrace: read as Zipkin JSON: line 1, column"), "{message}");
    browser.client.enter_frame(0).await.unwrap();
    browser.wait_for_text("Trace from the host page could not be opened").await;
    browser.close().await;
}

#[tokio::test]
async fn messages_from_an_origin_not_allowed_do_nothing() {
    let (allowed_listener, allowed_origin) = HostPage::bind().await;
    let (other_listener, other_origin) = HostPage::bind().await;
    let config = config_file("origins", json!({ "allowedOrigins": [allowed_origin.clone()] }));
    let spanscope = server(&["--config", &config]).await;
    let frame_url = spanscope.ui("/?embed=1");
    let stranger = HostPage::serve(other_listener, other_origin, &frame_url);
    let allowed = HostPage::serve(allowed_listener, allowed_origin, &frame_url);
    let browser = Browser::start().await;

    browser.goto(&stranger.origin).await;
    browser.client.enter_frame(0).await.unwrap();
    browser.by_role("heading", "Find a trace").await;
    browser.by_role("link", "Open in Spanscope").await;
    browser.client.enter_parent_frame().await.unwrap();
    for message in [
        json!({ "type": "spanscope:showTrace", "spans": yelp_spans() }),
        json!({ "type": "spanscope:setTheme", "theme": "dark" }),
    ] {
        post_to_frame(&browser, message, &spanscope.origin).await;
    }
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let heard = browser.eval("window.received").await;
    assert_eq!(heard, json!([]), "a page that may not drive the frame hears nothing, not even ready");
    browser.client.enter_frame(0).await.unwrap();
    browser.by_role("heading", "Find a trace").await;
    assert!(browser.try_by_role("treegrid", "Waterfall").await.is_none(), "the trace was not shown");
    assert!(!browser.eval("location.pathname").await.as_str().unwrap().contains("traceViewer"));
    assert!(browser.eval("document.documentElement.getAttribute('data-theme')").await.is_null());

    // The same frame obeys the same message from the allowed origin.
    browser.goto(&allowed.origin).await;
    wait_for_message(&browser, "spanscope:ready", 1).await;
    post_to_frame(&browser, json!({ "type": "spanscope:showTrace", "spans": yelp_spans() }), &spanscope.origin).await;
    browser.client.enter_frame(0).await.unwrap();
    browser.by_role("treegrid", "Waterfall").await;
    browser.close().await;
}

#[tokio::test]
async fn embed_flags_hide_what_they_say_and_survive_navigation_under_another_base_path() {
    let spanscope = server(&["--base-path", "/tools/traces"]).await;
    let base = format!("{}/tools/traces", spanscope.origin);
    let browser = Browser::start().await;

    // Results only, in a frame's clothes.
    browser.goto(&format!("{base}/?serviceName=yelp-main&lookback=1h&embed=1&hideSearchForm=1")).await;
    let link = browser.by_role("link", "Open in Spanscope").await;
    assert_eq!(link.attr("target").await.unwrap().as_deref(), Some("_blank"));
    let open_href = link.attr("href").await.unwrap().unwrap();
    assert_eq!(open_href, format!("{base}/?serviceName=yelp-main&lookback=1h"), "same page, no embed flags");
    browser.by_role("table", "Traces").await;
    assert!(browser.try_by_role("search", "Search criteria").await.is_none(), "hideSearchForm=1");
    assert!(browser.try_by_role("navigation", "Main").await.is_none(), "embed=1 hides the header");

    // In-app navigation keeps the flags: a result opens its trace, still embedded.
    result_link(&browser, YELP).await.click().await.unwrap();
    browser.by_role("treegrid", "Waterfall").await;
    let url = browser.path_and_query().await;
    assert!(url.starts_with(&format!("/tools/traces/traces/{YELP}?")), "{url}");
    browser
        .wait_for("the flags back in the URL", || async {
            let url = browser.path_and_query().await;
            (url.contains("embed=1") && url.contains("hideSearchForm=1")).then_some(())
        })
        .await;
    assert!(browser.try_by_role("navigation", "Main").await.is_none());
    browser.by_role("img", "Minimap").await;
    // Selecting keeps them too, and a reload is still embedded.
    browser.all_by_role("row").await[1].click().await.unwrap();
    browser.wait_for("a span in the URL", || url_param(&browser, "span")).await;
    assert!(browser.path_and_query().await.contains("embed=1"));
    browser.client.refresh().await.unwrap();
    browser.by_role("treegrid", "Waterfall").await;
    browser.wait_for("the selection restored", || selected_row(&browser)).await;
    assert!(browser.try_by_role("navigation", "Main").await.is_none(), "still embedded after a reload");
    let open_href = browser.by_role("link", "Open in Spanscope").await.attr("href").await.unwrap().unwrap();
    assert!(open_href.starts_with(&format!("{base}/traces/{YELP}?")), "{open_href}");
    assert!(open_href.contains("span=") && !open_href.contains("embed"), "{open_href}");

    // The trace-page flags, Jaeger's name for embed mode, and a forced theme that is not stored.
    browser.goto(&format!("{base}/traces/{YELP}?uiEmbed=v0&hideTraceHeader=1&hideMinimap=1&theme=dark")).await;
    browser.by_role("treegrid", "Waterfall").await;
    assert!(browser.try_by_role("region", "Trace summary").await.is_none(), "hideTraceHeader=1");
    assert!(browser.try_by_role("img", "Minimap").await.is_none(), "hideMinimap=1");
    assert!(browser.try_by_role("navigation", "Main").await.is_none(), "uiEmbed=v0");
    assert_eq!(browser.eval("document.documentElement.getAttribute('data-theme')").await, "dark");
    assert!(browser.eval("localStorage.getItem('spanscope.theme')").await.is_null());

    // The same dist/, not embedded, under /tools/traces: header, navigation between pages, config found.
    browser.goto(&format!("{base}/traces/{YELP}")).await;
    browser.by_role("treegrid", "Waterfall").await;
    browser.by_role("region", "Trace summary").await;
    browser.by_role("navigation", "Main").await;
    assert!(browser.try_by_role("link", "Open in Spanscope").await.is_none());
    assert!(browser.try_by_role("alert", "Configuration problems").await.is_none());
    browser.by_role("link", "Dependencies").await.click().await.unwrap();
    browser
        .wait_for("the dependency page", || async {
            browser.path_and_query().await.starts_with("/tools/traces/dependency").then_some(())
        })
        .await;
    browser.by_role("link", "Find a trace").await.click().await.unwrap();
    browser.by_role("search", "Search criteria").await;
    assert_eq!(browser.path_and_query().await, "/tools/traces/");
    browser.close().await;
}

#[tokio::test]
async fn dist_has_no_absolute_asset_urls() {
    let dist =
        std::env::var_os("SPANSCOPE_DIST").map(std::path::PathBuf::from).unwrap_or_else(|| repo_root().join("dist"));
    let html = std::fs::read_to_string(dist.join("index.html")).expect("build the UI first (make dist)");
    let mut urls = Vec::new();
    for attr in ["href=\"", "src=\"", "data-js=\"", "data-wasm=\""] {
        for part in html.split(attr).skip(1) {
            urls.push(part.split('"').next().unwrap_or_default().to_string());
        }
    }
    assert!(urls.len() >= 5, "the page names its assets: {urls:?}");
    for url in &urls {
        // `<base href>` is the one absolute path: servers rewrite it (the devserver does; see the README).
        let base_tag = html.contains(&format!("<base href=\"{url}\""));
        assert!(base_tag || url.starts_with("./"), "asset URL {url} must be relative to <base href>");
    }
    assert!(!html.contains("<script>") && !html.contains("<script type=\"module\">"), "no inline script");
    assert!(!html.contains("<style") && !html.contains("style=\""), "no inline style");
}

/// Opens `path` of the CSP-protected UI in a same-origin frame whose window records every
/// `securitypolicyviolation`: the listener goes on the frame's window before its document loads (the
/// initial window is reused for a same-origin page), so violations during start-up count too.
async fn open_probed_frame(browser: &Browser, url: &str) {
    let script = r#"
        const f = document.createElement('iframe');
        f.width = 1300; f.height = 800; f.src = arguments[0];
        document.body.appendChild(f);
        window.violations = [];
        f.contentWindow.__probed = true;
        f.contentWindow.addEventListener('securitypolicyviolation', (e) =>
          window.violations.push(e.violatedDirective + ' blocked ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber));
    "#;
    browser.client.execute(script, vec![json!(url)]).await.unwrap();
}

async fn violations(browser: &Browser) -> Vec<String> {
    match browser.eval("window.violations").await {
        Value::Array(items) => items.iter().map(|v| v.as_str().unwrap_or_default().to_string()).collect(),
        other => panic!("no probe: {other}"),
    }
}

#[tokio::test]
async fn under_the_strict_csp_the_app_runs_and_nothing_is_refused() {
    let config = config_file("csp", json!({ "allowedOrigins": ["https://dashboards.example"] }));
    let spanscope = server(&["--csp", "--config", &config]).await;
    let (status, head, _) = http_get(&spanscope.origin, "/zipkin/traces/abc").await;
    assert_eq!(status, 200);
    let policy =
        head.lines().find_map(|l| l.strip_prefix("content-security-policy: ")).expect("the CSP header").to_string();
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval'") && policy.contains("style-src 'self';"),
        "{policy}"
    );
    assert!(!policy.contains("unsafe-inline"), "{policy}");

    let browser = Browser::start().await;
    // A same-origin document without the app (config.json) hosts the probed frame.
    browser.goto(&spanscope.ui("/config.json")).await;
    open_probed_frame(&browser, &spanscope.ui("/?serviceName=yelp-main&lookback=1h")).await;
    browser.client.enter_frame(0).await.unwrap();
    // Search results and plot, a trace (waterfall, minimap, details), the theme, dependencies.
    browser.by_role("table", "Traces").await;
    browser.by_role("region", "Duration over start time").await;
    result_link(&browser, YELP).await.click().await.unwrap();
    browser.by_role("treegrid", "Waterfall").await;
    browser.by_role("img", "Minimap").await;
    browser.all_by_role("row").await[1].click().await.unwrap();
    browser.by_role("region", "Span details").await;
    browser.by_role("combobox", "Theme").await.select_by_value("dark").await.unwrap();
    browser.by_role("button", "Statistics").await.click().await.unwrap();
    browser.by_role("link", "Dependencies").await.click().await.unwrap();
    browser.by_role("application", "Dependency graph").await;
    browser.by_role("button", "Service ").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    browser.client.enter_parent_frame().await.unwrap();
    let probed = browser.eval("document.querySelector('iframe').contentWindow.__probed === true").await;
    assert_eq!(probed, true, "the listener was on the app's window from the start");
    assert_eq!(violations(&browser).await, Vec::<String>::new(), "CSP violations");

    // The probe does see a violation when there is one: an inline style attribute is refused.
    browser.client.enter_frame(0).await.unwrap();
    browser.eval("(document.body.setAttribute('style', 'outline: 1px solid red'), true)").await;
    browser.client.enter_parent_frame().await.unwrap();
    let seen = browser
        .wait_for("the deliberate violation", || async {
            let v = violations(&browser).await;
            (!v.is_empty()).then_some(v)
        })
        .await;
    assert!(seen[0].starts_with("style-src"), "{seen:?}");
    browser.close().await;
}
