//! Browser tests of the trace view over an OTLP trace whose contents are known (`sample`): grouped
//! typed details, the attribute filter, events and exceptions, links and "linked from".
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::Router;
use spanscope::ui::pages::{TraceSource, TraceView};
use spanscope::ui::shared::Shared;
use spanscope_domain::otlp_json::decode_otlp_json;
use spanscope_domain::trace_model::TraceModel;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

mod dom;
mod sample;
use dom::{container, details, fact, find, find_all, provide_shell_context, row, set_query, table_row, text, until};
use sample::{otlp_json, OTHER_TRACE, STACK};

wasm_bindgen_test_configure!(run_in_browser);

fn model() -> Shared<TraceModel> {
    let spans = decode_otlp_json(otlp_json().as_bytes()).expect("the test trace decodes");
    Shared::new(TraceModel::build(spans))
}

fn mount(root: &HtmlElement) -> leptos::mount::UnmountHandle<impl Mountable> {
    let model = model();
    leptos::mount::mount_to(root.clone(), move || {
        provide_shell_context();
        view! { <Router><TraceView model=model.clone() source=TraceSource::Server/></Router> }
    })
}

/// Mounts the view with `query` and waits for the details of the selected span.
async fn open_with(query: &str) -> (HtmlElement, Element, leptos::mount::UnmountHandle<impl Mountable>) {
    set_query(query);
    let root = container();
    let handle = mount(&root);
    let panel = until("span details", || details(&root)).await;
    (root, panel, handle)
}

fn group(panel: &Element, label: &str) -> Element {
    find(panel, &format!("section[aria-label='{label}']")).unwrap_or_else(|| panic!("no group {label}"))
}

#[wasm_bindgen_test]
async fn details_group_typed_attributes_resource_scope_and_status() {
    let (_root, panel, handle) = open_with("?span=00000000000000c1").await;
    assert_eq!(text(&find(&panel, "h2").unwrap()), "checkout: POST /checkout");
    assert_eq!(text(&find(&panel, "h3").unwrap()), "Server span");
    assert_eq!(fact(&panel, "Read from").as_deref(), Some("OTLP"));

    let status = group(&panel, "Status");
    assert_eq!(text(&find(&status, "p").unwrap()), "Error: payment declined");
    assert!(status.class_list().contains("status-error"));

    // Span attributes: key, type, value, and a copy button named after the key.
    let attrs = "table[aria-label='Span attributes']";
    let cell = |key: &str| table_row(&panel, attrs, key).unwrap_or_else(|| panic!("no attribute {key}"));
    assert_eq!(cell("http.request.method")[1..3], ["string".to_string(), "POST".to_string()]);
    assert_eq!(cell("http.response.status_code")[1..3], ["int".to_string(), "502".to_string()]);
    assert_eq!(cell("retry.ratio")[1..3], ["double".to_string(), "0.25".to_string()]);
    assert_eq!(cell("cache.hit")[1..3], ["bool".to_string(), "false".to_string()]);
    assert_eq!(cell("payload")[1..3], ["bytes".to_string(), "aGVsbG8=".to_string()], "bytes as base64");
    // Composites are their members, each typed, not one flattened string.
    assert_eq!(cell("order.tags")[1], "array");
    let members = |key: &str| -> Vec<String> {
        let tr = find_all(&find(&panel, attrs).unwrap(), "tbody tr")
            .into_iter()
            .find(|tr| find(tr, "th").is_some_and(|th| text(&th) == key))
            .unwrap();
        find_all(&tr, ".value-members li").iter().map(|li| text(li)).collect()
    };
    assert_eq!(members("order.tags"), vec!["[0] string gift", "[1] int 7"]);
    assert_eq!(cell("payment")[1], "kvlist");
    assert_eq!(members("payment"), vec!["provider string acme", "attempts int 2"]);
    assert!(find(&panel, "button[aria-label='Copy payment']").is_some(), "each value has a copy button");

    // Resource: where it ran, service first; scope: name and version.
    let resource = group(&panel, "Resource");
    let keys: Vec<String> = find_all(&resource, "tbody th").iter().map(text).collect();
    assert_eq!(keys, vec!["service.name", "host.name", "telemetry.sdk.name"]);
    let scope = group(&panel, "Scope");
    assert_eq!(fact(&scope, "Name").as_deref(), Some("io.opentelemetry.servlet"));
    assert_eq!(fact(&scope, "Version").as_deref(), Some("2.1.0"));
    // Zipkin's annotation and tag tables are not shown for an OTLP span: its groups say it all.
    assert!(find(&panel, "table[aria-label=Tags]").is_none());
    drop(handle);
}

#[wasm_bindgen_test]
async fn the_filter_finds_one_key_among_hundreds() {
    let (_root, panel, handle) = open_with("?span=00000000000000c1").await;
    let attrs = "table[aria-label='Span attributes'] tbody tr";
    assert_eq!(find_all(&panel, attrs).len(), 307);
    let input: HtmlInputElement = find(&panel, "input[type=search]").unwrap().unchecked_into();
    let label = find(&panel, &format!("label[for='{}']", input.id())).unwrap();
    assert_eq!(text(&label), "Filter attributes");
    input.set_value("setting.123");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    until("one attribute left", || (find_all(&panel, attrs).len() == 1).then_some(())).await;
    assert_eq!(table_row(&panel, "table[aria-label='Span attributes']", "app.setting.123").unwrap()[2], "123");
    assert!(text(&panel).contains("1 of "), "the filter says how many match");
    // A key inside a key-value list finds its attribute.
    input.set_value("PROVIDER");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    until("the payment list", || {
        let rows = find_all(&panel, attrs);
        (rows.len() == 1 && text(&find(&rows[0], "th").unwrap()) == "payment").then_some(())
    })
    .await;
    input.set_value("no such key");
    input.dispatch_event(&web_sys::Event::new("input").unwrap()).unwrap();
    until("no match", || text(&panel).contains("No attribute matches the filter").then_some(())).await;
    drop(handle);
}

#[wasm_bindgen_test]
async fn events_are_drawn_on_the_bar_and_listed_with_their_attributes() {
    let (root, panel, handle) = open_with("?span=00000000000000c1").await;
    let events = group(&panel, "Events");
    let items = find_all(&events, "li.event");
    assert_eq!(items.len(), 2);
    assert!(text(&items[0]).starts_with("cache miss +5ms ("), "{}", text(&items[0]));
    assert_eq!(table_row(&items[0], "table[aria-label='Event attributes']", "cache.key").unwrap()[2], "cart:42");
    // On the bar: one mark per event, named by the event (not the Zipkin annotation's JSON).
    let checkout = row(&root, "checkout: POST /checkout");
    let marks: Vec<String> =
        find_all(&checkout, ".wf-marker").iter().map(|m| m.get_attribute("title").unwrap_or_default()).collect();
    assert_eq!(marks.len(), 2, "{marks:?}");
    assert_eq!(marks[0], "cache miss at +5ms");
    assert!(
        marks[1].starts_with("exception: java.lang.IllegalStateException: card <b>declined</b> at +30ms"),
        "{marks:?}"
    );
    assert!(find(&checkout, ".wf-marker.exception").is_some(), "the exception is marked as an error");
    drop(handle);
}

#[wasm_bindgen_test]
async fn an_exception_is_an_error_with_a_readable_stack_trace() {
    let (_root, panel, handle) = open_with("?span=00000000000000c1").await;
    let exception = find(&panel, "[role=group][aria-label^='Exception']").expect("the exception is shown");
    assert_eq!(
        exception.get_attribute("aria-label").as_deref(),
        Some("Exception: java.lang.IllegalStateException: card <b>declined</b>")
    );
    let stack = find(&exception, "pre[aria-label='Stack trace']").unwrap();
    // The text exactly, line breaks and tabs kept; the markup in it stays text.
    assert_eq!(text(&stack), STACK);
    assert!(find(&exception, "b").is_none(), "no element was made from the span's text");
    assert!(find(&exception, "button[aria-label='Copy stack trace']").is_some());
    // The exception's own keys are not repeated below it; the others are.
    let rest = find(&exception.parent_element().unwrap(), "table[aria-label='Event attributes']").unwrap();
    let keys: Vec<String> = find_all(&rest, "tbody th").iter().map(text).collect();
    assert_eq!(keys, vec!["thread.name"]);
    drop(handle);
}

#[wasm_bindgen_test]
async fn links_select_their_span_and_a_linked_span_links_back() {
    let (root, panel, handle) = open_with("?span=00000000000000b1").await;
    assert_eq!(text(&find(&panel, "h2").unwrap()), "billing: process orders");
    assert_eq!(text(&find(&panel, "h3").unwrap()), "Consumer span");
    // The consumer's row carries the link mark, named for screen readers.
    let consumer = row(&root, "billing: process orders");
    assert!(consumer.get_attribute("aria-label").unwrap().ends_with(", 3 links"));
    let mark = find(&consumer, "[role=img]").expect("a link mark");
    assert_eq!(mark.get_attribute("aria-label").as_deref(), Some("Links to 3 spans"));
    assert!(find(&row(&root, "checkout: POST /checkout"), "[role=img]").is_none());

    let links = group(&panel, "Links");
    let anchors: Vec<HtmlElement> =
        find_all(&links, "a").into_iter().map(|a| a.unchecked_into::<HtmlElement>()).collect();
    assert_eq!(anchors.len(), 3);
    assert_eq!(text(&anchors[0]), "checkout: send order");
    // Another trace opens from the server, at the span, ids escaped.
    assert_eq!(text(&anchors[2]), format!("span 00f067aa0ba902b7 of trace {OTHER_TRACE}"));
    assert!(anchors[2]
        .get_attribute("href")
        .unwrap()
        .ends_with(&format!("/traces/{OTHER_TRACE}?span=00f067aa0ba902b7")));
    assert_eq!(
        table_row(&links, "table[aria-label='Link attributes']", "batch.index").unwrap()[1..3],
        ["int".to_string(), "0".to_string()]
    );
    assert_eq!(text(&find(&panel, ".dropped").unwrap()), "Dropped before sending: 3 attributes");

    // A link in this trace is a real URL selecting the span; a click selects it in place.
    assert!(anchors[0].get_attribute("href").unwrap().contains("span=00000000000000a1"));
    anchors[0].click();
    until("the producer selected", || {
        let panel = details(&root)?;
        (fact(&panel, "Span ID")?.starts_with("00000000000000a1")).then_some(())
    })
    .await;
    assert!(window().location().search().unwrap().contains("span=00000000000000a1"));
    let panel = details(&root).unwrap();
    let from = group(&panel, "Linked from");
    assert_eq!(text(&find(&from, "h4").unwrap()), "linked from 1 span");
    let back: HtmlElement = find(&from, "a").unwrap().unchecked_into();
    assert_eq!(text(&back), "billing: process orders");
    back.click();
    until("the consumer selected again", || {
        (text(&find(&details(&root)?, "h2")?) == "billing: process orders").then_some(())
    })
    .await;
    assert!(window().location().search().unwrap().contains("span=00000000000000b1"));
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_link_to_a_collapsed_span_expands_its_parent() {
    let (root, panel, handle) = open_with("?span=00000000000000b1").await;
    // Collapse the root: the producers' rows go away.
    let toggle: HtmlElement =
        find(&row(&root, "checkout: POST /checkout"), "button.wf-toggle").unwrap().unchecked_into();
    toggle.click();
    until("collapsed", || (find_all(&root, "[role=row]").len() == 1).then_some(())).await;
    let link: HtmlElement = find(&group(&panel, "Links"), "a").unwrap().unchecked_into();
    link.click();
    until("the producer's row shown and selected", || {
        let selected = find(&root, "[role=row][aria-selected=true]")?;
        selected.get_attribute("aria-label")?.starts_with("checkout: send order").then_some(())
    })
    .await;
    drop(handle);
}
