//! Browser tests of the search page's result view, mounted in a real DOM with the browser's
//! `fetch` answering three hand-made traces: the sort and filters shown are the URL's, through
//! back and forward, and changing them changes the URL.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::Router;
use spanscope::ui::pages::SearchPage;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement, HtmlSelectElement};

mod dom;
use dom::{container, provide_shell_context, sleep, until};

wasm_bindgen_test_configure!(run_in_browser);

/// One trace: a `frontend` root named `root`, lasting `ms`, calling `backend` when `calls`.
fn trace(id: u8, root: &str, ms: u64, calls: bool) -> String {
    let start = 1_700_000_000_000_000u64 + u64::from(id) * 1_000_000;
    let mut spans = vec![format!(
        r#"{{"traceId":"{id:016x}","id":"{id:016x}","name":"{root}","timestamp":{start},"duration":{},
           "localEndpoint":{{"serviceName":"frontend"}}}}"#,
        ms * 1000
    )];
    if calls {
        spans.push(format!(
            r#"{{"traceId":"{id:016x}","parentId":"{id:016x}","id":"{:016x}","name":"work","timestamp":{},
               "duration":100,"localEndpoint":{{"serviceName":"backend"}}}}"#,
            u64::from(id) + 0x100,
            start + 10
        ));
    }
    format!("[{}]", spans.join(","))
}

/// alpha (3 ms, frontend only), bravo (1 ms) and charlie (2 ms), both calling backend.
fn traces() -> String {
    format!("[{},{},{}]", trace(1, "alpha", 3, false), trace(2, "bravo", 1, true), trace(3, "charlie", 2, true))
}

/// Replaces `window.fetch` with one that answers the search with `traces()` and every other
/// request with an empty list; returns the real one, for [`restore_fetch`].
fn stub_fetch() -> JsValue {
    let w = window();
    let original = js_sys::Reflect::get(&w, &"fetch".into()).unwrap();
    let body = serde_json::to_string(&traces()).unwrap();
    let stub = js_sys::Function::new_with_args(
        "url",
        &format!(
            "const u = String(url);
             const body = u.includes('/traces?') ? {body} : u.includes('/services') ? '[\"backend\",\"frontend\"]' : '[]';
             return Promise.resolve(new Response(body, {{ status: 200, headers: {{ 'Content-Type': 'application/json' }} }}));"
        ),
    );
    js_sys::Reflect::set(&w, &"fetch".into(), &stub).unwrap();
    original
}

fn restore_fetch(original: &JsValue) {
    js_sys::Reflect::set(&window(), &"fetch".into(), original).unwrap();
}

fn elements(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<Element>().ok())).collect()
}

/// The form control whose `<label>` reads `name`.
fn control<T: JsCast>(root: &Element, name: &str) -> T {
    let label = elements(root, "label[for]")
        .into_iter()
        .find(|l| l.text_content().as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no control labelled {name}"));
    let id = label.get_attribute("for").unwrap();
    document().get_element_by_id(&id).unwrap().unchecked_into()
}

/// The root span names of the result rows, top to bottom.
fn shown(root: &Element) -> Vec<String> {
    elements(root, "table[aria-label=Traces] tbody tr .root-name")
        .iter()
        .map(|e| e.text_content().unwrap_or_default())
        .collect()
}

async fn until_shown(root: &Element, wanted: &[&str]) {
    let wanted: Vec<String> = wanted.iter().map(|s| s.to_string()).collect();
    let mut last = Vec::new();
    for _ in 0..150 {
        last = shown(root);
        if last == wanted {
            return;
        }
        sleep(20).await;
    }
    panic!("rows {last:?}, wanted {wanted:?}");
}

fn search() -> String {
    window().location().search().unwrap()
}

fn set_url(push: bool, query: &str) {
    let history = window().history().unwrap();
    let url = format!("{}{query}", window().location().pathname().unwrap());
    if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url)).unwrap();
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url)).unwrap();
    }
}

fn mount(root: &HtmlElement) -> leptos::mount::UnmountHandle<impl Mountable> {
    leptos::mount::mount_to(root.clone(), || {
        provide_shell_context();
        view! { <Router><SearchPage/></Router> }
    })
}

#[wasm_bindgen_test]
async fn sort_and_filters_follow_the_url_through_back_and_forward() {
    let real_fetch = stub_fetch();
    // Two entries of one search: shortest first unfiltered, then longest first with backend only.
    set_url(false, "?serviceName=frontend&sort=shortest");
    set_url(true, "?serviceName=frontend&sort=longest&filterService=backend");
    let root = container();
    let handle = mount(&root);

    until_shown(&root, &["charlie", "bravo"]).await;
    let sort: HtmlSelectElement = control(&root, "Sort");
    let service: HtmlSelectElement = control(&root, "Only service");
    assert_eq!(sort.value(), "longest");
    assert_eq!(service.value(), "backend");

    window().history().unwrap().back().unwrap();
    until_shown(&root, &["bravo", "charlie", "alpha"]).await;
    assert_eq!(sort.value(), "shortest");
    assert_eq!(service.value(), "");

    window().history().unwrap().forward().unwrap();
    until_shown(&root, &["charlie", "bravo"]).await;
    assert_eq!(sort.value(), "longest");
    assert_eq!(service.value(), "backend");

    // A change is written to the URL (the search and the other filter kept).
    sort.set_value("shortest");
    sort.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    until_shown(&root, &["bravo", "charlie"]).await;
    assert_eq!(search(), "?serviceName=frontend&sort=shortest&filterService=backend");

    // Typed text filters at once and reaches the URL when typing pauses.
    let filter: HtmlInputElement = control(&root, "Filter results");
    filter.set_value("char");
    filter.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    until_shown(&root, &["charlie"]).await;
    until("the filter in the URL", || search().ends_with("&filter=char").then_some(())).await;
    assert_eq!(filter.value(), "char");

    // The earlier entry, from before the text was typed, shows its own (empty) text filter.
    window().history().unwrap().back().unwrap();
    until_shown(&root, &["bravo", "charlie", "alpha"]).await;
    assert_eq!(filter.value(), "");

    // Text typed there, then forward before typing pauses: the later entry shows its own view, and
    // the unwritten text is not written over it.
    filter.set_value("alp");
    filter.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    until_shown(&root, &["alpha"]).await;
    window().history().unwrap().forward().unwrap();
    until_shown(&root, &["charlie"]).await;
    sleep(600).await;
    assert_eq!(search(), "?serviceName=frontend&sort=shortest&filterService=backend&filter=char");
    assert_eq!(filter.value(), "char");
    assert_eq!(shown(&root), ["charlie"]);

    // A service badge in a row toggles the service filter, through the URL.
    let badge: HtmlElement = elements(&root, "button.service-badge[aria-pressed=true]")
        .into_iter()
        .find(|b| b.get_attribute("data-service").as_deref() == Some("backend"))
        .expect("charlie's backend badge is pressed")
        .unchecked_into();
    badge.click();
    until("the service filter gone from the URL", || (!search().contains("filterService")).then_some(())).await;
    until("no service picked", || service.value().is_empty().then_some(())).await;
    until_shown(&root, &["charlie"]).await;

    drop(handle);
    restore_fetch(&real_fetch);
}

// Issue 25: "failed /spans and /remoteServices calls leave their dropdowns silently empty: say so and offer retry".
#[wasm_bindgen_test]
async fn a_name_list_that_fails_says_so_and_retries() {
    let w = window();
    let real_fetch = js_sys::Reflect::get(&w, &"fetch".into()).unwrap();
    // The span names fail until `window.spansHealed` is set; everything else answers.
    let stub = js_sys::Function::new_with_args(
        "url",
        "const u = String(url);
         if (u.includes('/spans?') && !window.spansHealed)
           return Promise.resolve(new Response('boom', { status: 500, statusText: 'Internal Server Error' }));
         const body = u.includes('/spans?') ? '[\"get /cart\",\"put /cart\"]'
           : u.includes('/services') ? '[\"backend\",\"frontend\"]' : '[]';
         return Promise.resolve(new Response(body, { status: 200, headers: { 'Content-Type': 'application/json' } }));",
    );
    js_sys::Reflect::set(&w, &"fetch".into(), &stub).unwrap();
    set_url(false, "?serviceName=frontend");
    let root = container();
    let handle = mount(&root);

    let problem = until("the span name list's failure", || {
        elements(&root, ".field-problem[role=alert]")
            .into_iter()
            .find_map(|e| e.text_content())
            .filter(|t| !t.is_empty())
    })
    .await;
    assert_eq!(problem, "Could not list them: HTTP 500 Internal Server Error Retry");
    js_sys::Reflect::set(&w, &"spansHealed".into(), &JsValue::TRUE).unwrap();
    let retry: HtmlElement = elements(&root, ".field-problem button").remove(0).unchecked_into();
    retry.click();
    let span_name: HtmlSelectElement = control(&root, "Span name");
    until("the span names after the retry", || (span_name.length() == 3).then_some(())).await;
    assert_eq!(span_name.item(1).and_then(|o| o.text_content()).as_deref(), Some("get /cart"));
    assert!(elements(&root, ".field-problem[role=alert]").is_empty(), "the message goes once the list came");

    drop(handle);
    js_sys::Reflect::set(&w, &"fetch".into(), &real_fetch).unwrap();
}
