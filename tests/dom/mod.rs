//! What the browser tests share: a fresh element to mount into, the context the app shell gives
//! its pages, waiting (a fixed pause, or until a probe answers) and putting a query in the
//! page's URL. Each `tests/browser_*.rs` is its own
//! crate and uses a part of this, so the rest is unused there.
#![allow(dead_code)]

use leptos::prelude::provide_context;
use spanscope::api::backend::Backend;
use spanscope::api::config::Config;
use spanscope::ui::time_zone::TimeZonePreference;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use web_sys::{window, HtmlElement};

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
    let config = Config::default();
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
