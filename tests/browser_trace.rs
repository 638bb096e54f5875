//! Browser tests of the trace view, mounted in a real DOM over a small hand-made trace whose
//! figures are known: a root on `frontend`, its client call, and the `backend` server half whose
//! clock runs 5 ms early (so clock-skew correction moves it by +5.1 ms).
//!
//! Times are only really checked where the browser's zone is not UTC (run with
//! `TZ=Europe/Berlin` to see summer and winter offsets differ); the UTC preference is checked
//! everywhere by the switch the header shows.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::Router;
use spanscope::ui::pages::{TraceSource, TraceView};
use spanscope::ui::shared::Shared;
use spanscope_domain::decode::decode_spans;
use spanscope_domain::time_format::{format_offset, format_timestamp};
use spanscope_domain::trace_model::TraceModel;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::HtmlElement;

mod dom;
use dom::{container, details, fact, find, provide_shell_context, row, set_query, table_row, text, until};

wasm_bindgen_test_configure!(run_in_browser);

/// 2023-07-14 02:00:00 UTC in µs: summer time where there is one, so its offset differs from a
/// winter day's.
const T: u64 = 1_689_300_000_000_000;

fn trace_json() -> String {
    format!(
        r#"[
  {{"traceId":"00000000000000a1","id":"0000000000000001","name":"get /","kind":"SERVER",
    "timestamp":{root},"duration":1000,
    "localEndpoint":{{"serviceName":"frontend","ipv4":"10.0.0.1"}},"tags":{{"http.path":"/home"}}}},
  {{"traceId":"00000000000000a1","parentId":"0000000000000001","id":"0000000000000002","name":"get /api",
    "kind":"CLIENT","timestamp":{client},"duration":800,
    "localEndpoint":{{"serviceName":"frontend","ipv4":"10.0.0.1"}},"remoteEndpoint":{{"serviceName":"backend"}}}},
  {{"traceId":"00000000000000a1","parentId":"0000000000000002","id":"0000000000000003","name":"get /api",
    "kind":"SERVER","timestamp":{server},"duration":600,
    "localEndpoint":{{"serviceName":"backend","ipv4":"10.0.0.2"}},"tags":{{"http.status_code":"200"}}}}
]"#,
        root = T,
        client = T + 100,
        server = T - 4_900,
    )
}

fn model() -> Shared<TraceModel> {
    Shared::new(TraceModel::build(decode_spans(trace_json().as_bytes()).expect("the test trace decodes")))
}

/// Mounts the trace view as the app does: configuration and time-zone preference as context,
/// under a router (the view's state lives in the URL).
fn mount(root: &HtmlElement) -> leptos::mount::UnmountHandle<impl Mountable> {
    let model = model();
    leptos::mount::mount_to(root.clone(), move || {
        provide_shell_context();
        view! { <Router><TraceView model=model.clone() source=TraceSource::Server/></Router> }
    })
}

const MU: &str = "\u{3bc}s";

#[wasm_bindgen_test]
async fn rows_show_each_span_by_service_and_name() {
    set_query("");
    let root = container();
    let handle = mount(&root);
    let rows = until("three rows", || {
        let n = root.query_selector_all("[role=row]").unwrap().length();
        (n == 3).then_some(n)
    })
    .await;
    assert_eq!(rows, 3);
    let root_row = row(&root, "frontend: get /,");
    assert_eq!(text(&find(&root_row, ".wf-service").unwrap()), "frontend");
    assert_eq!(text(&find(&root_row, ".wf-name").unwrap()), "get /");
    assert_eq!(root_row.get_attribute("aria-label").unwrap(), "frontend: get /, 1ms");
    assert_eq!(
        row(&root, "backend: get /api").get_attribute("aria-label").unwrap(),
        format!("backend: get /api, 600{MU}")
    );
    assert!(details(&root).is_none(), "no row is selected yet");
    drop(handle);
}

#[wasm_bindgen_test]
async fn selecting_a_row_shows_its_tags_and_durations() {
    set_query("");
    let root = container();
    let handle = mount(&root);
    until("rows", || (root.query_selector_all("[role=row]").unwrap().length() == 3).then_some(())).await;
    row(&root, "frontend: get /,").click();
    let panel = until("span details", || details(&root)).await;
    assert_eq!(text(&find(&panel, "h2").unwrap()), "frontend: get /");
    assert_eq!(fact(&panel, "Duration").as_deref(), Some("1ms"));
    // 1000 µs minus the client call's 800 µs.
    assert_eq!(fact(&panel, "Self time").as_deref(), Some(format!("200{MU}").as_str()));
    assert_eq!(fact(&panel, "Span ID").map(|t| t.starts_with("0000000000000001")), Some(true));
    let tag = table_row(&panel, "table[aria-label=Tags]", "http.path").expect("the http.path tag is listed");
    assert_eq!(tag[1], "/home");
    assert!(window().location().search().unwrap().contains("span=0000000000000001"), "the selection is in the URL");
    drop(handle);
}

#[wasm_bindgen_test]
async fn the_skew_switch_changes_details_and_statistics() {
    // The client call selected, the statistics open.
    set_query("?span=0000000000000002&view=stats");
    let root = container();
    let handle = mount(&root);
    let panel = until("span details", || details(&root)).await;
    let stats = || find(&root, "section[aria-label=Statistics]").expect("statistics are open");
    let frontend_self = || table_row(&stats(), "table.stats-table", "frontend").map(|cells| cells[3].clone());
    // Corrected: the backend's server half sits inside the client call (at +200 µs), so the
    // client's own time is 800 - 600 µs, and frontend's is that plus the root's 200 µs.
    assert_eq!(fact(&panel, "Self time").as_deref(), Some(format!("200{MU}").as_str()));
    assert!(fact(&panel, "Start").unwrap().starts_with(&format!("+100{MU} (")), "{:?}", fact(&panel, "Start"));
    assert_eq!(frontend_self().as_deref(), Some(format!("400{MU}").as_str()));

    let switch: HtmlElement = until("the skew switch", || {
        let buttons = root.query_selector_all("button[aria-pressed]").unwrap();
        (0..buttons.length())
            .filter_map(|i| buttons.item(i).and_then(|n| n.dyn_into::<HtmlElement>().ok()))
            .find(|b| text(b) == "Clock-skew correction")
    })
    .await;
    assert_eq!(switch.get_attribute("aria-pressed").as_deref(), Some("true"));
    switch.click();
    // Uncorrected: the server half lies 4.9 ms before its caller, outside it, so the client's
    // whole 800 µs is its own; the trace now starts at the server half, 5 ms before the client.
    until("uncorrected self time", || (fact(&panel, "Self time")? == format!("800{MU}")).then_some(())).await;
    assert!(fact(&panel, "Start").unwrap().starts_with("+5ms ("), "{:?}", fact(&panel, "Start"));
    assert_eq!(frontend_self().as_deref(), Some("1ms"));
    assert_eq!(switch.get_attribute("aria-pressed").as_deref(), Some("false"));
    assert!(window().location().search().unwrap().contains("skew=off"));

    switch.click();
    until("corrected self time", || (fact(&panel, "Self time")? == format!("200{MU}")).then_some(())).await;
    assert_eq!(frontend_self().as_deref(), Some(format!("400{MU}").as_str()));
    drop(handle);
}

/// The local offset of the instant `ms`, as the browser's zone rules say.
fn local_offset_at(ms: u64) -> i32 {
    -(js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64)).get_timezone_offset() as i32)
}

#[wasm_bindgen_test]
async fn times_use_the_offset_of_their_instant_and_the_time_zone_preference() {
    let storage = window().local_storage().unwrap().unwrap();
    let start_ms = T / 1000;

    storage.set_item("spanscope.timeZone", "local").unwrap();
    set_query("?span=0000000000000001");
    let root = container();
    let handle = mount(&root);
    let header = until("the header", || find(&root, "section[aria-label='Trace summary']")).await;
    let offset = local_offset_at(start_ms);
    let local = format!("{} ({})", format_timestamp(start_ms, offset), format_offset(offset));
    assert_eq!(fact(&header, "Start").as_deref(), Some(local.as_str()));
    let panel = until("span details", || details(&root)).await;
    assert_eq!(fact(&panel, "Start"), Some(format!("+0ms ({})", format_timestamp(start_ms, offset))));
    drop(handle);

    storage.set_item("spanscope.timeZone", "utc").unwrap();
    let root = container();
    let handle = mount(&root);
    let header = until("the header", || find(&root, "section[aria-label='Trace summary']")).await;
    assert_eq!(fact(&header, "Start").as_deref(), Some("2023-07-14 02:00:00.000 (UTC)"));
    let panel = until("span details", || details(&root)).await;
    assert_eq!(fact(&panel, "Start").as_deref(), Some("+0ms (2023-07-14 02:00:00.000)"));
    let zone: web_sys::HtmlSelectElement =
        find(&header, "label.time-zone-switch select").expect("the header offers the time zone").unchecked_into();
    assert_eq!(zone.value(), "utc");

    // Switching back to local time in the header changes the details too.
    zone.set_value("local");
    zone.dispatch_event(&web_sys::Event::new("change").unwrap()).unwrap();
    until("local times in details", || {
        (fact(&panel, "Start")? == format!("+0ms ({})", format_timestamp(start_ms, offset))).then_some(())
    })
    .await;
    storage.remove_item("spanscope.timeZone").unwrap();
    drop(handle);
}
