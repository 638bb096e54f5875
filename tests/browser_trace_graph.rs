//! Browser test of the trace page's service graph: a small trace's calls, drawn by the dependency
//! page's graph (its service buttons, its edges named by their counts), and the table of calls.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use spanscope::api::config::Config;
use spanscope::ui::pages::trace::analysis::TraceServiceGraph;
use spanscope::ui::shared::Shared;
use spanscope_domain::decode::decode_spans;
use spanscope_domain::trace_model::TraceModel;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

mod dom;
use dom::{container, tick};

wasm_bindgen_test_configure!(run_in_browser);

/// `web` serves a request and calls `api` twice (the second call fails on both sides); `api` calls
/// the uninstrumented `db` once, known only from its client span's remote endpoint. Zipkin's linker
/// (`DependencyLinker`) makes that web → api: 2 calls, 1 error, and api → db: 1 call.
const TRACE: &str = r#"[
  {"traceId":"000000000000000a","id":"0000000000000001","name":"get /","kind":"SERVER",
   "timestamp":1000,"duration":100,"localEndpoint":{"serviceName":"web"}},
  {"traceId":"000000000000000a","parentId":"0000000000000001","id":"0000000000000002","name":"get /a",
   "kind":"CLIENT","timestamp":1010,"duration":30,"localEndpoint":{"serviceName":"web"}},
  {"traceId":"000000000000000a","parentId":"0000000000000001","id":"0000000000000002","name":"get /a",
   "kind":"SERVER","shared":true,"timestamp":1012,"duration":26,"localEndpoint":{"serviceName":"api"}},
  {"traceId":"000000000000000a","parentId":"0000000000000001","id":"0000000000000003","name":"get /b",
   "kind":"CLIENT","timestamp":1050,"duration":30,"localEndpoint":{"serviceName":"web"},"tags":{"error":"500"}},
  {"traceId":"000000000000000a","parentId":"0000000000000001","id":"0000000000000003","name":"get /b",
   "kind":"SERVER","shared":true,"timestamp":1052,"duration":26,"localEndpoint":{"serviceName":"api"},
   "tags":{"error":"500"}},
  {"traceId":"000000000000000a","parentId":"0000000000000002","id":"0000000000000004","name":"select",
   "kind":"CLIENT","timestamp":1014,"duration":10,"localEndpoint":{"serviceName":"api"},
   "remoteEndpoint":{"serviceName":"db"}}
]"#;

/// The text of every element matching `selector` under `root`, in document order.
fn texts(root: &HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i)).map(|n| n.text_content().unwrap_or_default()).collect()
}

#[wasm_bindgen_test]
async fn a_traces_calls_are_drawn_by_the_dependency_graph_with_their_counts() {
    let root = container();
    let model = Shared::new(TraceModel::build(decode_spans(TRACE.as_bytes()).unwrap()));
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(Arc::new(Config::default()));
        view! { <TraceServiceGraph model/> }
    });
    tick().await;

    let frame = root.query_selector("[role=application]").unwrap().expect("the graph's frame");
    let name = frame.get_attribute("aria-label").unwrap_or_default();
    assert!(name.starts_with("Service graph of this trace."), "frame name: {name}");
    // One focusable button per service, named as on the dependency page.
    let services: Vec<String> = {
        let list = root.query_selector_all("[role=group][aria-label=Services] [role=button]").unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.unchecked_into::<web_sys::Element>().get_attribute("aria-label"))
            .collect()
    };
    assert_eq!(services, ["Service api", "Service db", "Service web"]);
    // Each edge is named by its caller, callee and counts (the domain's `Scene::edge_label`).
    let mut edges = texts(&root, ".dep-edge > title");
    edges.sort();
    assert_eq!(edges, ["api → db: 1 call", "web → api: 2 calls, 1 error"]);
    // The table under the graph lists the same calls: caller, callee, calls, errors.
    let table = root.query_selector("table[aria-label='Calls between services in this trace']").unwrap().unwrap();
    let rows = table.query_selector_all("tbody tr").unwrap();
    let mut cells: Vec<Vec<String>> = (0..rows.length())
        .filter_map(|i| rows.item(i))
        .map(|row| {
            let tds = row.unchecked_into::<web_sys::Element>().query_selector_all("td").unwrap();
            (0..tds.length()).filter_map(|i| tds.item(i)).map(|n| n.text_content().unwrap_or_default()).collect()
        })
        .collect();
    cells.sort();
    assert_eq!(cells, [["api", "db", "1", "0"], ["web", "api", "2", "1"]]);

    // Focusing a service lights it, its caller and its callee, as on the dependency page.
    let node =
        |name: &str| root.query_selector(&format!("[role=button][aria-label='Service {name}']")).unwrap().unwrap();
    node("api").dispatch_event(&web_sys::Event::new("focus").unwrap()).unwrap();
    tick().await;
    let class = |name: &str| node(name).get_attribute("class").unwrap_or_default();
    assert_eq!(
        (class("api"), class("web"), class("db")),
        ("dep-node focus".into(), "dep-node caller".into(), "dep-node callee".into())
    );
    node("api").dispatch_event(&web_sys::Event::new("blur").unwrap()).unwrap();
    tick().await;
    assert_eq!(class("web"), "dep-node");
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_trace_without_calls_between_services_says_so() {
    let root = container();
    let one = r#"[{"traceId":"000000000000000b","id":"0000000000000001","name":"tick","timestamp":1,"duration":2,
                  "localEndpoint":{"serviceName":"cron"}}]"#;
    let model = Shared::new(TraceModel::build(decode_spans(one.as_bytes()).unwrap()));
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(Arc::new(Config::default()));
        view! { <TraceServiceGraph model/> }
    });
    tick().await;
    assert!(root.query_selector("[role=application]").unwrap().is_none(), "no graph is drawn");
    assert!(root.text_content().unwrap_or_default().contains("This trace has no calls between services."));
    drop(handle);
}
