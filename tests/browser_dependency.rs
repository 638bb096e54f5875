//! Browser tests of the dependency page's time range, mounted in a real DOM with the browser's
//! `fetch` answering no links: an absolute range is shown and typed in the app-wide time zone, with
//! the offset of each instant.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::Router;
use spanscope::ui::pages::DependencyPage;
use spanscope_domain::dependency_graph::range::format_local;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

mod dom;
use dom::{container, provide_shell_context, set_query, until};

wasm_bindgen_test_configure!(run_in_browser);

/// 2023-07-14 02:00 and 03:00 UTC, in ms: summer time where there is one.
const START: u64 = 1_689_300_000_000;
const END: u64 = START + 3_600_000;

/// Replaces `window.fetch` with one that answers every request with an empty list; returns the
/// real one, to put back.
fn stub_fetch() -> JsValue {
    let w = window();
    let original = js_sys::Reflect::get(&w, &"fetch".into()).unwrap();
    let stub = js_sys::Function::new_with_args(
        "url",
        "return Promise.resolve(new Response('[]', { status: 200, headers: { 'Content-Type': 'application/json' } }));",
    );
    js_sys::Reflect::set(&w, &"fetch".into(), &stub).unwrap();
    original
}

/// The input whose `<label>` reads `name`.
fn input(root: &Element, name: &str) -> HtmlInputElement {
    let labels = root.query_selector_all("label[for]").unwrap();
    let label = (0..labels.length())
        .filter_map(|i| labels.item(i).and_then(|n| n.dyn_into::<Element>().ok()))
        .find(|l| l.text_content().as_deref() == Some(name))
        .unwrap_or_else(|| panic!("no input labelled {name}"));
    document().get_element_by_id(&label.get_attribute("for").unwrap()).unwrap().unchecked_into()
}

fn local_offset_at(ms: u64) -> i64 {
    -(js_sys::Date::new(&JsValue::from_f64(ms as f64)).get_timezone_offset() as i64)
}

fn mount(root: &HtmlElement) -> leptos::mount::UnmountHandle<impl Mountable> {
    leptos::mount::mount_to(root.clone(), || {
        provide_shell_context();
        view! { <Router><DependencyPage/></Router> }
    })
}

#[wasm_bindgen_test]
async fn an_absolute_range_is_shown_and_read_in_the_time_zone_preference() {
    let real_fetch = stub_fetch();
    let storage = window().local_storage().unwrap().unwrap();
    set_query(&format!("?startTime={START}&endTime={END}"));

    storage.set_item("spanscope.timeZone", "local").unwrap();
    let root = container();
    let handle = mount(&root);
    let from = until("the range inputs", || {
        root.query_selector("#dep-start").unwrap().map(|_| input(&root, "From")).filter(|i| !i.value().is_empty())
    })
    .await;
    assert_eq!(from.value(), format_local(START, local_offset_at(START)));
    drop(handle);

    storage.set_item("spanscope.timeZone", "utc").unwrap();
    let root = container();
    let handle = mount(&root);
    let from = until("the range inputs", || {
        root.query_selector("#dep-start").unwrap().map(|_| input(&root, "From")).filter(|i| !i.value().is_empty())
    })
    .await;
    assert_eq!(from.value(), "2023-07-14T02:00");
    assert_eq!(input(&root, "To").value(), "2023-07-14T03:00");
    assert_eq!(root.query_selector(".dep-zone").unwrap().unwrap().text_content().as_deref(), Some("(UTC)"));
    let empty = until("the empty range", || root.query_selector("[aria-label='No dependencies']").unwrap()).await;
    assert!(
        empty.text_content().unwrap().contains("2023-07-14 02:00 to 2023-07-14 03:00"),
        "{:?}",
        empty.text_content()
    );

    // A range typed in UTC is read in UTC: 05:00 to 06:00 UTC.
    let (from, to) = (input(&root, "From"), input(&root, "To"));
    from.set_value("2023-07-14T05:00");
    from.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    to.set_value("2023-07-14T06:00");
    to.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    let apply: HtmlElement =
        root.query_selector("form[aria-label='Time range'] button[type=submit]").unwrap().unwrap().unchecked_into();
    apply.click();
    let wanted = format!("startTime={}&endTime={}", START + 3 * 3_600_000, START + 4 * 3_600_000);
    until("the typed range in the URL", || window().location().search().unwrap().contains(&wanted).then_some(())).await;

    storage.remove_item("spanscope.timeZone").unwrap();
    drop(handle);
    js_sys::Reflect::set(&window(), &"fetch".into(), &real_fetch).unwrap();
}
