//! What the browser tests share: a fresh element to mount into, the context the app shell gives
//! its pages, waiting (a fixed pause, or until a probe answers), putting a query in the
//! page's URL, and reading the trace view (its rows, details, facts and tables). Each `tests/browser_*.rs` is its own
//! crate and uses a part of this, so the rest is unused there.
#![allow(dead_code)]

use leptos::prelude::provide_context;
use spanscope::api::backend::Backend;
use spanscope::api::config::Config;
use spanscope::ui::time_zone::TimeZonePreference;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use web_sys::{window, Element, HtmlElement};

/// A new `<div>` at the end of the body.
pub fn container() -> HtmlElement {
    let doc = window().unwrap().document().unwrap();
    let div: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

/// What the app shell provides to the pages below it, with the default configuration: the
/// backend, the configuration and the time-zone preference. Call inside the mounted closure.
pub fn provide_shell_context() {
    provide_shell_context_with(Config::default());
}

/// [`provide_shell_context`] with a configuration of the test's own (another backend, say).
pub fn provide_shell_context_with(config: Config) {
    provide_context(Backend::from_config(&config));
    provide_context(Arc::new(config));
    TimeZonePreference::provide();
}

/// Waits `ms` milliseconds (timers, effects and the router's navigation run meanwhile).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// One short pause: long enough for a render after a signal changed.
pub async fn tick() {
    sleep(20).await;
}

/// Waits (up to 3 s) until `probe` answers, and returns its answer.
pub async fn until<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    for _ in 0..150 {
        if let Some(v) = probe() {
            return v;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for {what}");
}

/// Puts `query` in the page's URL in place of the current entry (pages read their state there).
pub fn set_query(query: &str) {
    let window = window().unwrap();
    let url = format!("{}{query}", window.location().pathname().unwrap());
    window.history().unwrap().replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url)).unwrap();
}

pub fn find(root: &Element, selector: &str) -> Option<Element> {
    root.query_selector(selector).unwrap()
}

/// Every element under `root` that `selector` matches, in document order.
pub fn find_all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).filter_map(|i| list.item(i).and_then(|n| n.dyn_into::<Element>().ok())).collect()
}

pub fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

/// The value next to the term `term` in a definition list under `root`.
pub fn fact(root: &Element, term: &str) -> Option<String> {
    find_all(root, "dt")
        .into_iter()
        .find(|dt| text(dt) == term)
        .and_then(|dt| dt.next_element_sibling())
        .map(|dd| text(&dd))
}

/// The cells of the table row whose header cell reads `name`, in the table `table` matches.
pub fn table_row(root: &Element, table: &str, name: &str) -> Option<Vec<String>> {
    find_all(&find(root, table)?, "tbody tr").into_iter().find_map(|tr| {
        let cells: Vec<String> = find_all(&tr, "th, td").iter().map(text).collect();
        (cells.first().map(String::as_str) == Some(name)).then_some(cells)
    })
}

/// The trace view's details panel, when a row is selected.
pub fn details(root: &Element) -> Option<Element> {
    find(root, "section[aria-label='Span details']")
}

/// The waterfall row whose accessible name starts with `label_start`.
pub fn row(root: &Element, label_start: &str) -> HtmlElement {
    find_all(root, "[role=row]")
        .into_iter()
        .filter_map(|r| r.dyn_into::<HtmlElement>().ok())
        .find(|r| r.get_attribute("aria-label").is_some_and(|l| l.starts_with(label_start)))
        .unwrap_or_else(|| panic!("no row labelled {label_start}…"))
}
