//! Browser tests of issue 21's views on a real fixture (smartthings-mobile-web-install, 1,041 spans,
//! two of them tagged error=404) and a hand-made loop: the views as tabs, what the flame graph draws
//! and lists, the span table's order, span filters, root cause and folded repeats. The expected
//! answers come from the domain (tested on the host); here the page must show them.
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use leptos_router::components::Router;
use spanscope::ui::pages::{TraceSource, TraceView};
use spanscope::ui::shared::Shared;
use spanscope_domain::decode::decode_spans;
use spanscope_domain::row_self_time::row_self_times;
use spanscope_domain::time_format::format_duration;
use spanscope_domain::trace_model::{ErrorKind, TraceModel};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlCanvasElement, HtmlElement};

mod dom;
use dom::{container, details, fact, find, find_all, provide_shell_context, set_query, text, tick, until};

wasm_bindgen_test_configure!(run_in_browser);

const SMARTTHINGS: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/zipkin/smartthings-mobile-web-install.json"));

fn fixture() -> TraceModel {
    TraceModel::build(decode_spans(SMARTTHINGS.as_bytes()).expect("the fixture decodes"))
}

fn mount(root: &HtmlElement, model: TraceModel) -> leptos::mount::UnmountHandle<impl Mountable> {
    let model = Shared::new(model);
    leptos::mount::mount_to(root.clone(), move || {
        provide_shell_context();
        view! { <Router><TraceView model=model.clone() source=TraceSource::Server/></Router> }
    })
}

fn tab(root: &HtmlElement, name: &str) -> HtmlElement {
    find_all(root, "[role=tab]")
        .into_iter()
        .find(|t| text(t) == name)
        .and_then(|t| t.dyn_into::<HtmlElement>().ok())
        .unwrap_or_else(|| panic!("no tab {name}"))
}

fn query() -> String {
    window().location().search().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn views_are_tabs_reachable_by_keyboard_with_the_current_one_in_the_url() {
    set_query("");
    let root = container();
    let handle = mount(&root, fixture());
    until("the waterfall", || find(&root, "[role=treegrid]")).await;
    let names: Vec<String> = find_all(&root, "[role=tab]").iter().map(text).collect();
    assert_eq!(names, ["Timeline", "Flame graph", "Span table"]);
    assert_eq!(tab(&root, "Timeline").get_attribute("aria-selected").as_deref(), Some("true"));
    let panel = find(&root, "[role=tabpanel]").unwrap();
    assert_eq!(panel.get_attribute("aria-labelledby").as_deref(), Some("trace-tab-waterfall"));
    // → moves to the flame graph, and the URL says so.
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("ArrowRight");
    init.set_bubbles(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    tab(&root, "Timeline").dispatch_event(&event).unwrap();
    until("the flame graph", || find(&root, "section[aria-label='Flame graph']")).await;
    assert!(query().contains("tab=flame"), "{}", query());
    assert_eq!(tab(&root, "Flame graph").get_attribute("aria-selected").as_deref(), Some("true"));
    assert_eq!(tab(&root, "Flame graph").get_attribute("tabindex").as_deref(), Some("0"));
    assert_eq!(tab(&root, "Timeline").get_attribute("tabindex").as_deref(), Some("-1"));
    assert!(find(&root, "[role=treegrid]").is_none(), "one view at a time");
    drop(handle);
}

#[wasm_bindgen_test]
async fn the_flame_graph_lists_and_draws_the_longest_span_below_the_top_widest() {
    set_query("?tab=flame");
    let model = fixture();
    let longest = (0..model.row_count())
        .filter(|&r| model.row(r).unwrap().depth == 1)
        .max_by_key(|&r| model.row(r).unwrap().duration)
        .unwrap();
    let expected = format!(
        "{}: {}, {}",
        model.row_service_name(longest),
        model.row_name(longest),
        format_duration(model.row(longest).unwrap().duration as f64)
    );
    let (start, _) = model.bounds(true);
    let x_share = (model.row(longest).unwrap().start_us(true) - start) as f64 / model.duration(true) as f64;
    let w_share = model.row(longest).unwrap().duration as f64 / model.duration(true) as f64;
    let root = container();
    let handle = mount(&root, model);
    let first = until("the widest list", || find(&root, ".flame-widest li")).await;
    assert_eq!(text(&first), expected);
    let canvas: HtmlCanvasElement = find(&root, ".flame-graph canvas").unwrap().unchecked_into();
    let rows = fixture().row_count();
    assert!(canvas.get_attribute("aria-label").unwrap().starts_with(&format!("Flame graph: {rows} boxes on ")));
    tick().await;
    // A pixel in the middle of that box, on the second level (20 px levels), is painted.
    let ctx: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").unwrap().unwrap().unchecked_into();
    let x = (x_share + w_share / 2.0) * canvas.width() as f64;
    let pixel = ctx.get_image_data(x, 25.0, 1.0, 1.0).unwrap().data();
    assert!(pixel[3] > 0, "the box is drawn at x={x}");
    drop(handle);
}

#[wasm_bindgen_test]
async fn the_span_table_sorted_by_self_time_puts_the_known_span_first() {
    set_query("?tab=table");
    let model = fixture();
    let selfs = row_self_times(&model, true);
    let top = (0..model.row_count()).max_by_key(|&r| (selfs[r as usize], std::cmp::Reverse(r))).unwrap();
    let expected_name = model.row_name(top).to_string();
    let expected_self = format_duration(selfs[top as usize] as f64);
    let root = container();
    let handle = mount(&root, model);
    let first = until("table rows", || find(&root, ".st-row")).await;
    let cells: Vec<String> = find_all(&first, "[role=cell]").iter().map(text).collect();
    assert_eq!(cells[1], expected_name);
    assert_eq!(cells[5], expected_self);
    let self_header =
        find_all(&root, "[role=columnheader]").into_iter().find(|h| text(h).contains("Self time")).unwrap();
    assert_eq!(self_header.get_attribute("aria-sort").as_deref(), Some("descending"));
    // Virtualised: far fewer rows in the DOM than the trace has.
    let drawn = find_all(&root, ".st-row").len();
    assert!(drawn > 5 && drawn < 100, "{drawn} rows drawn");
    drop(handle);
}

#[wasm_bindgen_test]
async fn a_filter_error_404_matches_the_error_spans_and_hides_the_rest() {
    let model = fixture();
    let errors: Vec<u32> =
        (0..model.row_count()).filter(|&r| model.row(r).unwrap().error == ErrorKind::Critical).collect();
    let total = model.row_count();
    set_query("?filter=error%3D404&only=1");
    let root = container();
    let handle = mount(&root, model);
    let count = until("the count", || find(&root, ".filter-count").filter(|c| !text(c).is_empty())).await;
    assert_eq!(
        text(&count),
        format!("{} of {} spans", errors.len(), spanscope_domain::dependency_graph::table::format_count(total as u64))
    );
    let pills: Vec<String> = find_all(&root, ".filter-pill-text").iter().map(text).collect();
    assert_eq!(pills, ["error=404"]);
    let rows = until("only the matches", || {
        let rows = find_all(&root, "[role=treegrid] [role=row]");
        (rows.len() == errors.len()).then_some(rows)
    })
    .await;
    assert!(rows.iter().all(|r| r.get_attribute("aria-label").unwrap().contains(", error")));
    // Removing the pill brings every row back (as many as fit) and clears the count.
    let remove: HtmlElement = find(&root, ".filter-pill-remove").unwrap().unchecked_into();
    remove.click();
    until("no filter", || find(&root, ".filter-pill").is_none().then_some(())).await;
    assert!(!query().contains("filter="));
    drop(handle);
}

#[wasm_bindgen_test]
async fn go_to_root_cause_selects_the_404_and_says_why() {
    set_query("");
    let root = container();
    let handle = mount(&root, fixture());
    let button: HtmlElement = until("the root cause button", || {
        find_all(&root, "button").into_iter().find(|b| text(b) == "Go to root cause")
    })
    .await
    .unchecked_into();
    button.click();
    let panel = until("span details", || details(&root)).await;
    assert_eq!(fact(&panel, "Span ID").map(|t| t.starts_with("71687cb74971c332")), Some(true));
    let report = until("the reason", || find(&root, ".root-cause")).await;
    assert!(text(&report).contains("error: 404"), "{}", text(&report));
    assert!(!find_all(&report, ".root-cause-chain li").is_empty());
    drop(handle);
}

#[wasm_bindgen_test]
async fn sixty_alike_siblings_are_suggested_for_folding_and_fold_into_one_row() {
    let mut spans = vec![format!(
        r#"{{"traceId":"b1","id":"1","name":"get /","timestamp":1000000,"duration":100000,"localEndpoint":{{"serviceName":"api"}}}}"#
    )];
    spans.extend((0..60).map(|i| {
        format!(
            r#"{{"traceId":"b1","id":"{:x}","parentId":"1","name":"select","timestamp":{},"duration":2000,"localEndpoint":{{"serviceName":"db"}}}}"#,
            0x100 + i,
            1_000_100 + i * 1_000
        )
    }));
    let model = TraceModel::build(decode_spans(format!("[{}]", spans.join(",")).as_bytes()).unwrap());
    set_query("");
    let root = container();
    let handle = mount(&root, model);
    let hint = until("the hint", || find(&root, ".fold-hint")).await;
    assert!(text(&hint).contains("up to 60 times"), "{}", text(&hint));
    let fold: HtmlElement = find(&hint, "button").unwrap().unchecked_into();
    fold.click();
    let rows = until("two rows", || {
        let rows = find_all(&root, "[role=treegrid] [role=row]");
        (rows.len() == 2).then_some(rows)
    })
    .await;
    let label = rows[1].get_attribute("aria-label").unwrap();
    assert!(label.contains("folded ×60, total 120ms, p50 2ms"), "{label}");
    assert!(query().contains("fold=1"));
    assert!(find(&root, ".fold-hint").is_none(), "no hint once folded");
    drop(handle);
}
