//! Browser tests of `/traceViewer`, the page that opens trace files: OTLP JSON Lines with two
//! traces offers a choice (id, root, spans, duration, start) and the way back; files that cannot be
//! read (truncated, another format, empty, binary) say what they were read as and where they broke.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::Router;
use spanscope::ui::open_json::{OpenedFile, OpenedFileSlot};
use spanscope::ui::pages::TraceViewerPage;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

mod dom;
mod sample;
use dom::{container, find, find_all, provide_shell_context, set_query, text, until};
use sample::{otlp_json, OTHER_TRACE, TRACE};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the page as the shell does, with `bytes` as the file `name` the person opened.
fn open(name: &str, bytes: Vec<u8>) -> (HtmlElement, leptos::mount::UnmountHandle<impl Mountable>) {
    let root = container();
    let file = OpenedFile { name: name.to_string(), bytes: Arc::new(bytes), from_host: false };
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_shell_context();
        provide_context(OpenedFileSlot(RwSignal::new(Some(Ok(file.clone())))));
        view! { <Router><TraceViewerPage/></Router> }
    });
    (root, handle)
}

/// The OTLP sample, and the same trace under another id, as JSON Lines (one `TracesData` a line).
fn two_traces() -> Vec<u8> {
    let one = serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&otlp_json()).unwrap()).unwrap();
    let other = one.replace(TRACE, OTHER_TRACE).replace("POST /checkout", "GET /cart");
    format!("{one}\n{other}\n").into_bytes()
}

fn cells(row: &Element) -> Vec<String> {
    find_all(row, "td").iter().map(text).collect()
}

#[wasm_bindgen_test]
async fn a_file_of_two_traces_lists_them_and_opens_the_one_chosen() {
    set_query("");
    let (root, handle) = open("export.jsonl", two_traces());
    let table = until("the list of traces", || find(&root, "table[aria-label='Traces in the file']")).await;
    assert_eq!(text(&find(&root, "h1").unwrap()), "2 traces in export.jsonl");
    assert!(text(&root).contains("Read as OTLP JSON Lines."), "{}", text(&root));
    let rows = find_all(&table, "tbody tr");
    assert_eq!(rows.len(), 2);
    let first = cells(&rows[0]);
    assert_eq!(first[0], "checkout: POST /checkout");
    assert_eq!(first[1], TRACE);
    assert_eq!(first[2], "4", "four spans");
    assert_eq!(first[3], "40ms");
    assert!(first[4].starts_with("2024-03-0"), "the start, in the chosen zone: {}", first[4]);
    assert_eq!(first[5], "1", "one error row");
    assert_eq!(cells(&rows[1])[0..2], ["checkout: GET /cart".to_string(), OTHER_TRACE.to_string()]);

    // A button per trace, so the keyboard reaches each; choosing puts the trace in the URL.
    let choose: HtmlElement = find(&rows[1], "button").unwrap().unchecked_into();
    choose.click();
    let title = until("the chosen trace", || find(&root, "section[aria-label='Trace summary'] h1")).await;
    assert_eq!(text(&title), "checkout: GET /cart");
    assert!(window().location().search().unwrap().contains(&format!("trace={OTHER_TRACE}")));
    assert!(text(&root).contains("From the file export.jsonl (read as OTLP JSON Lines)"));

    let back: HtmlElement =
        until("the way back", || find(&root, "nav[aria-label='Traces in the file'] button")).await.unchecked_into();
    assert_eq!(text(&back), "← All 2 traces in export.jsonl");
    back.click();
    let table = until("the list again", || find(&root, "table[aria-label='Traces in the file']")).await;

    // In the first trace, the consumer's link to a span of the second trace opens it from the file.
    let choose: HtmlElement = find(&find_all(&table, "tbody tr")[0], "button").unwrap().unchecked_into();
    choose.click();
    until("the first trace", || find(&root, "[role=row]")).await;
    dom::row(&root, "billing: process orders").click();
    let links = until("the consumer's links", || find(&root, "section[aria-label='Links']")).await;
    let hrefs: Vec<String> = find_all(&links, "a").iter().filter_map(|a| a.get_attribute("href")).collect();
    assert_eq!(hrefs.len(), 3);
    assert!(hrefs[2].ends_with(&format!("/traceViewer?trace={OTHER_TRACE}&span=00f067aa0ba902b7")), "{hrefs:?}");
    let other: HtmlElement = find_all(&links, "a")[2].clone().unchecked_into();
    other.click();
    let title = until("the other trace", || {
        let h = find(&root, "section[aria-label='Trace summary'] h1")?;
        (text(&h) == "checkout: GET /cart").then_some(h)
    })
    .await;
    assert_eq!(text(&title), "checkout: GET /cart");
    drop(handle);
}

/// The alert a file that cannot be opened gets, once it is shown.
async fn problem(name: &str, bytes: &[u8]) -> String {
    set_query("");
    let (root, handle) = open(name, bytes.to_vec());
    let alert = until("the problem", || find(&root, "[role=alert][aria-label='The file could not be opened']")).await;
    let said = text(&alert);
    assert!(said.starts_with(&format!("{name} could not be opened")), "{said}");
    assert!(said.contains("Choose another file with Open JSON"), "{said}");
    drop(handle);
    said
}

#[wasm_bindgen_test]
async fn a_bad_file_says_what_it_was_read_as_and_where_it_broke() {
    let json = otlp_json();
    let truncated = &json.as_bytes()[..json.len() / 2];
    let said = problem("cut.json", truncated).await;
    assert!(said.contains("Read as OTLP JSON, it broke at line "), "{said}");
    assert!(said.contains("EOF"), "the parser's reason: {said}");

    let said = problem("zipkin.json", br#"[{"traceId":"a","id":}]"#).await;
    assert!(said.contains("Read as Zipkin JSON, it broke at line 1, column 22:"), "{said}");

    let said =
        problem("jaeger.json", b"{\"data\": [{\"traceID\": \"1\",\n  \"spans\": [{\"spanID\": \"5\",}]}]}").await;
    assert!(
        said.contains("Read as Jaeger JSON, it broke at line 2, column 28:") && said.contains("trailing comma"),
        "{said}"
    );

    let said = problem("empty.json", b"").await;
    assert!(said.contains("Its format could not be told from its content:") && said.contains("empty"), "{said}");

    let said = problem("trace.pb", &[0x0a, 0x8c, 0x01, 0x12, 0x00, 0xff, 0x01, 0x02]).await;
    assert!(said.contains("binary"), "{said}");

    let said = problem("other.json", br#"{"hello":"world"}"#).await;
    assert!(said.contains("JSON of no trace format"), "{said}");
}
