//! Browser tests of the app shell's components, mounted in a real DOM in headless Chromium.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::Router;
use spanscope::ui::theme::ThemeSwitch;
use spanscope::ui::trace_id_box::TraceIdBox;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};

mod dom;
use dom::{container, tick};

wasm_bindgen_test_configure!(run_in_browser);

/// The element with `role` whose accessible label (aria-label or `<label for>`) is `name`.
fn labelled(root: &HtmlElement, selector: &str) -> web_sys::Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no element matches {selector}"))
}

#[wasm_bindgen_test]
async fn trace_id_box_rejects_non_hex_with_a_message() {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), || view! { <Router><TraceIdBox/></Router> });
    let form = labelled(&root, "form[role=search][aria-label='Go to trace']");
    let input: HtmlInputElement = labelled(&root, "#trace-id-input").unchecked_into();
    let label = labelled(&root, "label[for=trace-id-input]");
    assert_eq!(label.text_content().unwrap(), "Trace ID");

    input.set_value("xyz");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    let submit: HtmlElement = form.query_selector("button[type=submit]").unwrap().unwrap().unchecked_into();
    submit.click();
    tick().await;

    let alert = labelled(&root, "[role=alert]");
    assert!(alert.text_content().unwrap().contains("hex digits"), "message: {:?}", alert.text_content());
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    // No navigation happened: the page is still where the test runner put it.
    assert!(!window().location().pathname().unwrap().contains("/traces/"));
    drop(handle);
}

#[wasm_bindgen_test]
async fn trace_id_box_accepts_a_padded_upper_case_id() {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), || view! { <Router><TraceIdBox/></Router> });
    let input: HtmlInputElement = labelled(&root, "#trace-id-input").unchecked_into();
    input.set_value("  A03EE8FFF1DCD9B9 ");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    let submit: HtmlElement = root.query_selector("button[type=submit]").unwrap().unwrap().unchecked_into();
    submit.click();
    tick().await;
    assert_eq!(labelled(&root, "[role=alert]").text_content().unwrap(), "");
    assert!(window().location().pathname().unwrap().ends_with("/traces/a03ee8fff1dcd9b9"));
    window().history().unwrap().back().unwrap();
    drop(handle);
}

#[wasm_bindgen_test]
async fn theme_switch_applies_and_remembers_the_theme() {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), || view! { <ThemeSwitch/> });
    let select: HtmlSelectElement = labelled(&root, "label.theme-switch select").unchecked_into();
    assert_eq!(
        root.query_selector("label.theme-switch").unwrap().unwrap().text_content().unwrap().starts_with("Theme"),
        true
    );

    select.set_value("dark");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    let html = document().document_element().unwrap();
    assert_eq!(html.get_attribute("data-theme").as_deref(), Some("dark"));
    let stored = window().local_storage().unwrap().unwrap().get_item("spanscope.theme").unwrap();
    assert_eq!(stored.as_deref(), Some("dark"));

    select.set_value("system");
    select.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    tick().await;
    assert_eq!(html.get_attribute("data-theme"), None);
    drop(handle);
}
