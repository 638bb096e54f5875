//! Browser tests of the pages on both Jaeger backends, mounted in a real DOM with the browser's `fetch`
//! answering as a Jaeger does (Jaeger JSON in the legacy `{data}` envelope, OTLP JSON in API v3's
//! `{result}`, made from one hand-written trace with the domain's encoder): the search page offers
//! Jaeger's controls and lists its traces, the trace page shows spans, tags and logs, a wrong backend is
//! named, and Jaeger UI's URLs open the right page.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use spanscope::api::backend_kind::BackendKind;
use spanscope::api::config::Config;
use spanscope::ui::pages::{DependencyPage, JaegerLinkPage, SearchPage, TracePage};
use spanscope_domain::jaeger_json::decode_jaeger_json;
use spanscope_domain::otlp_json::encode_otlp_json;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlSelectElement};

mod dom;
use dom::{container, details, find, find_all, provide_shell_context_with, row, table_row, text, until};

wasm_bindgen_test_configure!(run_in_browser);

const START_US: u64 = 1_700_000_000_000_000;

/// A trace of the tutorial's Flask app: `hello` (server, `http.method=GET`) calling `db` (client, a log
/// `event=query` with `db.statement`), both in service `flask-app`; `id` is 16 hex digits.
fn jaeger_trace(id: &str, offset_us: u64) -> String {
    let start = START_US + offset_us;
    format!(
        r#"{{"traceID":"{id}","processes":{{"p1":{{"serviceName":"flask-app","tags":[{{"key":"hostname","type":"string","value":"box"}}]}}}},
            "spans":[
              {{"traceID":"{id}","spanID":"{id}","operationName":"hello","references":[],"startTime":{start},"duration":5000,
                "tags":[{{"key":"span.kind","type":"string","value":"server"}},{{"key":"http.method","type":"string","value":"GET"}}],
                "logs":[],"processID":"p1"}},
              {{"traceID":"{id}","spanID":"00000000000000d1","operationName":"db","references":[{{"refType":"CHILD_OF","traceID":"{id}","spanID":"{id}"}}],
                "startTime":{},"duration":2000,"tags":[{{"key":"span.kind","type":"string","value":"client"}}],
                "logs":[{{"timestamp":{},"fields":[{{"key":"event","type":"string","value":"query"}},{{"key":"db.statement","type":"string","value":"SELECT 1"}}]}}],
                "processID":"p1"}}]}}"#,
        start + 1000,
        start + 1500
    )
}

const TRACE_A: &str = "00000000000000a1";
const TRACE_B: &str = "00000000000000b2";

fn legacy_answer(traces: &[String]) -> String {
    format!(r#"{{"data":[{}],"total":0,"limit":0,"offset":0,"errors":null}}"#, traces.join(","))
}

/// The same traces as API v3 answers them: every span merged into one OTLP document.
fn v3_answer(traces: &[String]) -> String {
    let spans = decode_jaeger_json(legacy_answer(traces).as_bytes()).expect("the test traces decode");
    format!(r#"{{"result":{}}}"#, encode_otlp_json(&spans))
}

/// Replaces `window.fetch` with one that answers the first route whose text the URL contains (status
/// and body), and 404 `404 page not found` (Go's router) otherwise; every URL asked is recorded in
/// `window.__requests`. Returns the real fetch, for [`restore_fetch`].
fn stub_fetch(routes: &[(&str, u16, String)]) -> JsValue {
    let w = window();
    let original = js_sys::Reflect::get(&w, &"fetch".into()).unwrap();
    let table: Vec<serde_json::Value> =
        routes.iter().map(|(part, status, body)| serde_json::json!([part, status, body])).collect();
    let stub = js_sys::Function::new_with_args(
        "url",
        &format!(
            "const u = String(url);
             (window.__requests = window.__requests || []).push(u);
             const hit = {}.find(r => u.includes(r[0]));
             const [status, body] = hit ? [hit[1], hit[2]] : [404, '404 page not found'];
             return Promise.resolve(new Response(body, {{ status, headers: {{ 'Content-Type': 'application/json' }} }}));",
            serde_json::Value::Array(table)
        ),
    );
    js_sys::Reflect::set(&w, &"__requests".into(), &js_sys::Array::new()).unwrap();
    js_sys::Reflect::set(&w, &"fetch".into(), &stub).unwrap();
    original
}

fn restore_fetch(original: &JsValue) {
    js_sys::Reflect::set(&window(), &"fetch".into(), original).unwrap();
}

/// Every URL the page asked for so far.
fn requests() -> Vec<String> {
    let list: js_sys::Array = js_sys::Reflect::get(&window(), &"__requests".into()).unwrap().unchecked_into();
    list.iter().filter_map(|v| v.as_string()).collect()
}

async fn until_requested(part: &str) -> String {
    until(&format!("a request for {part}"), || requests().into_iter().find(|u| u.contains(part))).await
}

fn config(backend: BackendKind) -> Config {
    Config { backend, ..Config::default() }
}

/// Puts `path_and_query` in the page's URL in place of the current entry; returns the URL it replaced.
fn go_to(path_and_query: &str) -> String {
    let location = window().location();
    let before = format!("{}{}", location.pathname().unwrap(), location.search().unwrap());
    window().history().unwrap().replace_state_with_url(&JsValue::NULL, "", Some(path_and_query)).unwrap();
    before
}

fn labels(root: &Element) -> Vec<String> {
    find_all(root, "label[for]").iter().map(text).collect()
}

fn control<T: JsCast>(root: &Element, name: &str) -> T {
    let label = find_all(root, "label[for]")
        .into_iter()
        .find(|l| text(l) == name)
        .unwrap_or_else(|| panic!("no control labelled {name}"));
    document().get_element_by_id(&label.get_attribute("for").unwrap()).unwrap().unchecked_into()
}

fn result_roots(root: &Element) -> Vec<String> {
    find_all(root, "table[aria-label=Traces] tbody tr .root-name").iter().map(text).collect()
}

fn mount_search(root: &HtmlElement, backend: BackendKind) -> leptos::mount::UnmountHandle<impl Mountable> {
    leptos::mount::mount_to(root.clone(), move || {
        provide_shell_context_with(config(backend));
        view! { <Router><SearchPage/></Router> }
    })
}

#[wasm_bindgen_test]
async fn the_v3_search_page_offers_jaegers_controls_and_lists_its_traces() {
    let traces = [jaeger_trace(TRACE_A, 0), jaeger_trace(TRACE_B, 10_000)];
    let real = stub_fetch(&[
        ("/api/v3/services", 200, r#"{"services":["flask-app","redis"]}"#.into()),
        ("/api/v3/operations", 200, r#"{"operations":[{"name":"hello","spanKind":"server"}]}"#.into()),
        ("/api/v3/traces?", 200, v3_answer(&traces)),
    ]);
    let before = go_to("?serviceName=flask-app&annotationQuery=http.method%3DGET&lookback=1h&limit=5");
    let root = container();
    let handle = mount_search(&root, BackendKind::Jaeger);

    until("two results", || (result_roots(&root).len() == 2).then_some(())).await;
    assert_eq!(result_roots(&root), vec!["hello", "hello"]);
    let search = until_requested("/api/v3/traces?").await;
    assert!(
        search.contains("query.service_name=flask-app&query.attributes=%7B%22http.method%22%3A%22GET%22%7D"),
        "{search}"
    );
    assert!(search.contains("&query.start_time_min=") && search.ends_with("&query.num_traces=5"), "{search}");
    // Jaeger's controls; what it cannot search by is not offered.
    let shown = labels(&root);
    for wanted in ["Service", "Span kind", "Operation", "Min duration", "Max duration", "Lookback", "Limit"] {
        assert!(shown.iter().any(|l| l == wanted), "no {wanted} among {shown:?}");
    }
    assert!(!shown.iter().any(|l| l == "Remote service" || l == "Annotation query" || l == "Span name"), "{shown:?}");
    // A span kind narrows the operation list, asked for by kind.
    let kind: HtmlSelectElement = control(&root, "Span kind");
    kind.set_value("server");
    kind.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    until_requested("/api/v3/operations?service=flask-app&span_kind=server").await;

    drop(handle);
    restore_fetch(&real);
    go_to(&before);
}

#[wasm_bindgen_test]
async fn v3s_no_traces_404_is_an_empty_result() {
    let real = stub_fetch(&[
        ("/api/v3/services", 200, r#"{"services":["flask-app"]}"#.into()),
        ("/api/v3/traces?", 404, r#"{"error":{"httpCode":404,"message":"No traces found"}}"#.into()),
    ]);
    let before = go_to("?serviceName=flask-app&lookback=15m");
    let root = container();
    let handle = mount_search(&root, BackendKind::Jaeger);
    let empty = until("the empty result", || find(&root, "section[aria-label='No traces found']")).await;
    assert_eq!(text(&find(&empty, "h2").unwrap()), "No traces found");
    assert!(find(&root, ".error-view").is_none());
    drop(handle);
    restore_fetch(&real);
    go_to(&before);
}

#[wasm_bindgen_test]
async fn the_legacy_search_page_sends_microseconds_and_lists_its_traces() {
    let real = stub_fetch(&[
        ("/api/services/flask-app/operations", 200, r#"{"data":["hello","db"]}"#.into()),
        ("/api/operations?", 200, r#"{"data":[{"name":"hello","spanKind":"server"}]}"#.into()),
        ("/api/services", 200, r#"{"data":["flask-app"],"total":1}"#.into()),
        ("/api/traces?", 200, legacy_answer(&[jaeger_trace(TRACE_A, 0)])),
    ]);
    let before = go_to(
        "?serviceName=flask-app&spanName=hello&maxDuration=1s&lookback=range&startTs=1700000000000&endTs=1700000060000",
    );
    let root = container();
    let handle = mount_search(&root, BackendKind::JaegerLegacy);
    until("one result", || (result_roots(&root) == ["hello"]).then_some(())).await;
    let search = until_requested("/api/traces?").await;
    assert!(
        search.ends_with(
            "/api/traces?service=flask-app&operation=hello&start=1700000000000000&end=1700000060000000&maxDuration=1s&limit=10"
        ),
        "{search}"
    );
    // Operations of the service fill the list (a maximum duration alone was a Jaeger search, above).
    until_requested("/api/services/flask-app/operations").await;
    let operation: HtmlSelectElement = control(&root, "Operation");
    until("the operations listed", || (operation.length() == 3).then_some(())).await;
    assert_eq!(operation.value(), "hello");
    drop(handle);
    restore_fetch(&real);
    go_to(&before);
}

fn mount_trace(root: &HtmlElement, backend: BackendKind) -> leptos::mount::UnmountHandle<impl Mountable> {
    leptos::mount::mount_to(root.clone(), move || {
        provide_shell_context_with(config(backend));
        view! {
            <Router>
                <Routes fallback=|| "no route">
                    <Route path=path!("/traces/:id") view=TracePage/>
                </Routes>
            </Router>
        }
    })
}

/// Opens trace A on `backend` (its trace endpoint answering `body`) and checks its spans, tags and logs.
async fn the_trace_page_shows_spans_tags_and_logs(backend: BackendKind, endpoint: &str, body: String) {
    let real = stub_fetch(&[(endpoint, 200, body)]);
    let before = go_to(&format!("/traces/{TRACE_A}"));
    let root = container();
    let handle = mount_trace(&root, backend);
    until("the waterfall", || find(&root, "[role=row]")).await;
    let hello = row(&root, "flask-app: hello");
    let db = row(&root, "flask-app: db");
    assert!(db.get_attribute("aria-label").is_some());
    hello.click();
    let panel = until("span details", || details(&root)).await;
    let attrs = "table[aria-label='Span attributes']";
    assert_eq!(table_row(&panel, attrs, "http.method").expect("the http.method tag")[2], "GET");
    db.click();
    let panel = until("the db span's details", || {
        details(&root).filter(|p| find(p, "h2").is_some_and(|h| text(&h).contains("db")))
    })
    .await;
    let events = find(&panel, "section[aria-label='Events']").expect("the log is listed as an event");
    let item = find(&events, "li.event").expect("one event");
    assert!(text(&item).starts_with("query"), "{}", text(&item));
    let statement = table_row(&item, "table[aria-label='Event attributes']", "db.statement").unwrap();
    assert_eq!(statement[2], "SELECT 1");
    assert_eq!(until_requested(endpoint).await.rsplit('/').next(), Some(TRACE_A));
    drop(handle);
    restore_fetch(&real);
    go_to(&before);
}

#[wasm_bindgen_test]
async fn the_trace_page_on_jaeger_v3() {
    let body = v3_answer(&[jaeger_trace(TRACE_A, 0)]);
    the_trace_page_shows_spans_tags_and_logs(BackendKind::Jaeger, &format!("/api/v3/traces/{TRACE_A}"), body).await;
}

#[wasm_bindgen_test]
async fn the_trace_page_on_jaegers_legacy_api() {
    let body = legacy_answer(&[jaeger_trace(TRACE_A, 0)]);
    the_trace_page_shows_spans_tags_and_logs(BackendKind::JaegerLegacy, &format!("/api/traces/{TRACE_A}"), body).await;
}

#[wasm_bindgen_test]
async fn an_unknown_trace_on_the_legacy_api_is_not_found() {
    let real = stub_fetch(&[
        (
            "/api/traces/",
            404,
            r#"{"data":null,"total":0,"limit":0,"offset":0,"errors":[{"code":404,"msg":"trace not found"}]}"#.into(),
        ),
        ("/api/services", 200, r#"{"data":["flask-app"]}"#.into()),
    ]);
    let before = go_to("/traces/00000000000000ff");
    let root = container();
    let handle = mount_trace(&root, BackendKind::JaegerLegacy);
    let alert = until("not found", || find(&root, "[aria-label='Trace not found']")).await;
    assert!(text(&alert).contains("Jaeger has no trace 00000000000000ff"), "{}", text(&alert));
    drop(handle);
    restore_fetch(&real);
    go_to(&before);
}

/// The search page on `backend` against a server with only `routes`: the alert's title and detail.
async fn wrong_backend_message(backend: BackendKind, routes: &[(&str, u16, String)]) -> (String, String) {
    let real = stub_fetch(routes);
    // No search in the URL: the service list is the page's only request.
    let before = go_to("?");
    let root = container();
    let handle = mount_search(&root, backend);
    let alert = until("the alert", || find(&root, ".error-view")).await;
    let said = (text(&find(&alert, "h2").unwrap()), text(&find(&alert, ".error-detail").unwrap()));
    assert_eq!(find_all(&root, ".error-view").len(), 1);
    drop(handle);
    restore_fetch(&real);
    go_to(&before);
    said
}

#[wasm_bindgen_test]
async fn a_zipkin_setting_pointed_at_a_jaeger_is_told_which_backend_to_set() {
    // Jaeger v2: no /api/v2 at all, its API v3 answers.
    let (title, detail) =
        wrong_backend_message(BackendKind::Zipkin, &[("/api/v3/services", 200, r#"{"services":["a"]}"#.into())]).await;
    assert_eq!(title, "This server looks like Jaeger's API v3, not Zipkin's API v2");
    assert!(detail.contains(r#"Set "backend": "jaeger" in config.json (it is "zipkin" now)"#), "{detail}");
    // Jaeger v1 behind a proxy that answers every path with Jaeger UI's page.
    let page = "<!doctype html><html><head><title>Jaeger UI</title></head><body></body></html>".to_string();
    let (title, _) = wrong_backend_message(
        BackendKind::Zipkin,
        &[("/api/services", 200, r#"{"data":["a"],"total":1}"#.into()), ("/api/v2/", 200, page)],
    )
    .await;
    assert_eq!(title, "This server looks like Jaeger's legacy HTTP API, not Zipkin's API v2");
}

#[wasm_bindgen_test]
async fn a_jaeger_setting_pointed_at_a_zipkin_or_the_other_jaeger_api_is_told_too() {
    let (title, detail) =
        wrong_backend_message(BackendKind::Jaeger, &[("/api/v2/services", 200, r#"["frontend"]"#.into())]).await;
    assert_eq!(title, "This server looks like Zipkin's API v2, not Jaeger's API v3");
    assert!(detail.contains(r#"Set "backend": "zipkin""#), "{detail}");
    // A Jaeger v1 answers /api/v3/services with its envelope-less 404, and its legacy API answers.
    let (title, _) = wrong_backend_message(
        BackendKind::Jaeger,
        &[("/api/v3/", 404, "404 page not found".into()), ("/api/services", 200, r#"{"data":["a"]}"#.into())],
    )
    .await;
    assert_eq!(title, "This server looks like Jaeger's legacy HTTP API, not Jaeger's API v3");
    // The legacy setting given API v3's answer shape says so at once.
    let (title, _) =
        wrong_backend_message(BackendKind::JaegerLegacy, &[("/api/services", 200, r#"{"services":["a"]}"#.into())])
            .await;
    assert_eq!(title, "This server looks like Jaeger's API v3, not Jaeger's legacy HTTP API");
}

/// Mounts the Jaeger UI routes at `path_and_query` and waits until the URL is `wanted`.
async fn jaeger_ui_link_leads_to(path_and_query: &str, wanted: &str) {
    let before = go_to(path_and_query);
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), || {
        provide_shell_context_with(Config::default());
        view! {
            <Router>
                <Routes fallback=|| "landed">
                    <Route path=path!("/search") view=JaegerLinkPage/>
                    <Route path=path!("/trace/:id") view=JaegerLinkPage/>
                    <Route path=path!("/dependencies") view=JaegerLinkPage/>
                </Routes>
            </Router>
        }
    });
    let here = || {
        let l = window().location();
        format!("{}{}", l.pathname().unwrap(), l.search().unwrap())
    };
    until(&format!("{path_and_query} to lead to {wanted} (at {})", here()), || (here() == wanted).then_some(())).await;
    drop(handle);
    go_to(&before);
}

#[wasm_bindgen_test]
async fn jaeger_ui_urls_open_the_right_page() {
    jaeger_ui_link_leads_to("/trace/00000000000000a1?uiFind=db", "/traces/00000000000000a1?find=db").await;
    jaeger_ui_link_leads_to(
        "/search?service=flask-app&operation=hello&tags=%7B%22http.method%22%3A%22GET%22%7D&lookback=24h&limit=20",
        "/?serviceName=flask-app&spanName=hello&annotationQuery=http.method%3DGET&lookback=1d&limit=20",
    )
    .await;
    jaeger_ui_link_leads_to("/dependencies", "/dependency").await;
}

#[wasm_bindgen_test]
async fn a_jaeger_ui_comparison_says_it_is_not_available_and_links_both_traces() {
    let before = go_to("/trace/00000000000000a1...00000000000000b2");
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), || {
        provide_shell_context_with(Config::default());
        view! { <Router><Routes fallback=|| "none"><Route path=path!("/trace/:id") view=JaegerLinkPage/></Routes></Router> }
    });
    let notice = until("the notice", || find(&root, "[aria-label='Trace comparison']")).await;
    assert_eq!(text(&find(&notice, "h1").unwrap()), "Trace comparison is not available yet");
    let links: Vec<String> = find_all(&notice, "a").iter().filter_map(|a| a.get_attribute("href")).collect();
    assert_eq!(links, vec!["/traces/00000000000000a1", "/traces/00000000000000b2"]);
    drop(handle);
    go_to(&before);
}

fn mount_dependencies(root: &HtmlElement, backend: BackendKind) -> leptos::mount::UnmountHandle<impl Mountable> {
    leptos::mount::mount_to(root.clone(), move || {
        provide_shell_context_with(config(backend));
        view! { <Router><DependencyPage/></Router> }
    })
}

#[wasm_bindgen_test]
async fn the_dependency_graph_reads_the_legacy_api_and_v3_without_it_says_so() {
    let real = stub_fetch(&[(
        "/api/dependencies?",
        200,
        r#"{"data":[{"parent":"flask-app","child":"redis","callCount":7}],"total":1}"#.into(),
    )]);
    let before = go_to("?startTime=1700000000000&endTime=1700003600000");
    let root = container();
    let handle = mount_dependencies(&root, BackendKind::JaegerLegacy);
    assert!(until_requested("/api/dependencies?")
        .await
        .ends_with("/api/dependencies?endTs=1700003600000&lookback=3600000"));
    until("the graph's services", || {
        (text(&root).contains("flask-app") && text(&root).contains("redis")).then_some(())
    })
    .await;
    assert!(find(&root, ".error-view").is_none());
    drop(handle);

    // Jaeger up to v2.20 has no /api/v3/dependencies: Go's router answers 404 without an envelope.
    let root = container();
    let handle = mount_dependencies(&root, BackendKind::Jaeger);
    let alert = until("the message", || find(&root, ".error-view")).await;
    assert_eq!(text(&find(&alert, "h2").unwrap()), "Jaeger has no dependencies endpoint in its API v3");
    assert!(text(&alert).contains(r#"set "backend": "jaeger-legacy""#), "{}", text(&alert));
    assert!(until_requested("/api/v3/dependencies?")
        .await
        .contains("start_time=2023-11-14T22:13:20.000000000Z&end_time="));
    drop(handle);
    restore_fetch(&real);
    go_to(&before);
}
