//! The trace view as a person uses it, on the shared fixtures: shared pairs in one row, clock skew
//! on and off, jumping between errors, a large trace with missing timestamps, deep links, find,
//! the keyboard, and the failure states, in headless Chromium against the devserver.
use serde_json::Value;
use spanscope_e2e::{fixture, Browser, Devserver};
use std::collections::{HashMap, HashSet};

const YELP: &str = "a03ee8fff1dcd9b9";
const SKEW: &str = "1e223ff1f80f1c69";
const KAFKA: &str = "0562809467078eab";
const SMARTTHINGS: &str = "14b60fd9ae504820";

fn fixture_spans(name: &str) -> Vec<Value> {
    serde_json::from_slice(&std::fs::read(fixture(name)).unwrap()).unwrap()
}

async fn server_with_fixtures() -> Devserver {
    let files = ["yelp.json", "skew.json", "messaging-kafka.json", "smartthings-mobile-web-install.json"]
        .map(|f| fixture(&format!("zipkin/{f}")).to_string_lossy().into_owned());
    let mut args: Vec<&str> = vec!["--load"];
    args.extend(files.iter().map(String::as_str));
    Devserver::start(&args).await
}

/// Opens a trace and waits for its waterfall rows.
async fn open(browser: &Browser, server: &Devserver, path: &str) -> fantoccini::elements::Element {
    browser.goto(&server.ui(path)).await;
    let grid = browser.by_role("treegrid", "Waterfall").await;
    browser.wait_for("waterfall rows", || async { (!browser.all_by_role("row").await.is_empty()).then_some(()) }).await;
    grid
}

async fn row_count(grid: &fantoccini::elements::Element) -> usize {
    grid.attr("aria-rowcount").await.unwrap().unwrap_or_default().parse().unwrap_or(0)
}

async fn selected_row_name(browser: &Browser) -> Option<String> {
    let name =
        browser.eval("document.querySelector('[role=row][aria-selected=true]')?.getAttribute('aria-label')").await;
    name.as_str().map(str::to_string)
}

#[tokio::test]
async fn yelp_shows_each_shared_client_server_pair_in_one_row() {
    let spans = fixture_spans("zipkin/yelp.json");
    let distinct_ids: HashSet<&str> = spans.iter().filter_map(|s| s["id"].as_str()).collect();
    assert!(distinct_ids.len() < spans.len(), "the fixture has shared pairs");
    let server = server_with_fixtures().await;
    let browser = Browser::start().await;
    let grid = open(&browser, &server, &format!("/traces/{YELP}")).await;
    assert_eq!(row_count(&grid).await, distinct_ids.len(), "one row per span id: shared halves share a row");
    let summary = browser.by_role("region", "Trace summary").await.text().await.unwrap();
    // Local and remote service names, as Lens counts them: six report spans, four more are only called.
    assert!(summary.contains("Services\n10"), "ten services: {summary}");
    // Every row is named "service: span name, duration".
    for row in browser.all_by_role("row").await {
        let name = browser.name_of(&row).await;
        assert!(name.contains(": ") && name.contains(", "), "row name {name:?}");
    }
    browser.close().await;
}

#[tokio::test]
async fn clock_skew_switch_moves_the_server_side_span_and_stays_in_the_url() {
    let server = server_with_fixtures().await;
    let browser = Browser::start().await;
    open(&browser, &server, &format!("/traces/{SKEW}")).await;
    let summary = browser.by_role("region", "Trace summary").await;
    assert!(summary.text().await.unwrap().contains("adjusted"), "skew indicator shown");
    let bar_left = || async {
        browser
            .eval(
                "(() => { const r = [...document.querySelectorAll('[role=row]')]
                    .find(r => r.getAttribute('aria-label').startsWith('serviceb: ') && r.getAttribute('aria-level') !== '1'
                           && !r.querySelector('[aria-label=Collapse],[aria-label=Expand]'));
                  return r ? r.querySelector('.wf-bar').style.left : null; })()",
            )
            .await
    };
    let corrected = bar_left().await;
    assert!(corrected.is_string(), "the serviceb local span row is drawn: {corrected}");
    let switch = browser.by_role("button", "Clock-skew correction").await;
    assert_eq!(switch.attr("aria-pressed").await.unwrap().as_deref(), Some("true"));
    switch.click().await.unwrap();
    browser
        .wait_for("skew=off in the URL", || async { browser.path_and_query().await.contains("skew=off").then_some(()) })
        .await;
    let raw = browser
        .wait_for("the span to move", || async {
            let v = bar_left().await;
            (v != corrected).then_some(v)
        })
        .await;
    // Uncorrected, the server half starts before its client: its child sits further left.
    let pct = |v: &Value| v.as_str().unwrap_or("0").trim_end_matches('%').parse::<f64>().unwrap();
    assert!(pct(&raw) < pct(&corrected), "uncorrected {raw} should be left of corrected {corrected}");
    browser.client.refresh().await.unwrap();
    browser.by_role("treegrid", "Waterfall").await;
    let switch = browser.by_role("button", "Clock-skew correction").await;
    assert_eq!(switch.attr("aria-pressed").await.unwrap().as_deref(), Some("false"), "kept in the URL");
    browser.close().await;
}

#[tokio::test]
async fn messaging_trace_errors_are_reachable_by_jump_to_error() {
    let server = server_with_fixtures().await;
    let browser = Browser::start().await;
    open(&browser, &server, &format!("/traces/{KAFKA}")).await;
    let next = browser.by_role("button", "Next error").await;
    let mut seen = Vec::new();
    for _ in 0..4 {
        next.click().await.unwrap();
        let before = seen.len();
        let name = browser
            .wait_for("a selected error row", || async {
                let n = selected_row_name(&browser).await?;
                (seen.len() == before && !seen.contains(&n) || seen.len() == 3).then_some(n)
            })
            .await;
        seen.push(name);
    }
    assert!(seen[..3].iter().all(|n| n.ends_with(", error")), "{seen:?}");
    assert_eq!(seen.iter().take(3).collect::<HashSet<_>>().len(), 3, "three distinct error rows: {seen:?}");
    assert_eq!(seen[3], seen[0], "wraps around after the last error");
    let details = browser.by_role("region", "Span details").await.text().await.unwrap();
    assert!(details.contains("error"), "the details show the error tag: {details}");
    browser.close().await;
}

#[tokio::test]
async fn a_large_trace_with_missing_timestamps_renders_a_bounded_dom() {
    let server = server_with_fixtures().await;
    let browser = Browser::start().await;
    let grid = open(&browser, &server, &format!("/traces/{SMARTTHINGS}")).await;
    assert!(row_count(&grid).await > 500, "hundreds of rows in the tree");
    let in_dom = browser.eval("document.querySelectorAll('[role=row]').length").await.as_u64().unwrap();
    assert!(in_dom > 10 && in_dom < 200, "virtualised: {in_dom} rows in the DOM");
    let summary = browser.by_role("region", "Trace summary").await.text().await.unwrap();
    assert!(summary.contains("1041") || summary.contains("1,041") || summary.contains("Spans"), "{summary}");
    // Scroll to the very end: the last row is drawn.
    browser
        .eval(
            "(() => { const g = document.querySelector('[role=treegrid]'); g.scrollTop = g.scrollHeight; return 1 })()",
        )
        .await;
    let total = row_count(&grid).await;
    browser
        .wait_for("the last row", || async {
            let last = browser.eval("Math.max(...[...document.querySelectorAll('[role=row]')].map(r => +r.getAttribute('aria-rowindex')))").await;
            (last.as_u64() == Some(total as u64)).then_some(())
        })
        .await;
    browser.close().await;
}

#[tokio::test]
async fn a_deep_link_to_a_span_eight_levels_down_opens_it() {
    // Depth from the fixture itself: parent links by distinct span id.
    let spans = fixture_spans("zipkin/smartthings-mobile-web-install.json");
    let mut parent: HashMap<String, Option<String>> = HashMap::new();
    for s in &spans {
        parent.entry(s["id"].as_str().unwrap().to_string()).or_insert(s["parentId"].as_str().map(str::to_string));
    }
    let depth = |id: &str| {
        let (mut d, mut cur) = (0, id.to_string());
        while let Some(Some(p)) = parent.get(&cur) {
            d += 1;
            cur = p.clone();
        }
        d
    };
    let target = "73faa40841b988ef";
    assert_eq!(depth(target), 8);
    let server = server_with_fixtures().await;
    let browser = Browser::start().await;
    open(&browser, &server, &format!("/traces/{SMARTTHINGS}?span={target}")).await;
    let details = browser.by_role("region", "Span details").await;
    browser
        .wait_for("the span id in details", || async { details.text().await.ok()?.contains(target).then_some(()) })
        .await;
    let level = browser
        .wait_for("the selected row", || async {
            browser
                .eval("document.querySelector('[role=row][aria-selected=true]')?.getAttribute('aria-level')")
                .await
                .as_str()
                .map(str::to_string)
        })
        .await;
    assert_eq!(level, "9");
    // Esc closes the details and drops the span from the URL.
    browser.by_role("treegrid", "Waterfall").await.send_keys("\u{E00C}").await.unwrap();
    browser
        .wait_for("details closed", || async {
            browser.try_by_role("region", "Span details").await.is_none().then_some(())
        })
        .await;
    assert!(!browser.path_and_query().await.contains("span="));
    browser.close().await;
}

#[tokio::test]
async fn find_counts_matches_and_next_selects_them_and_the_keyboard_works() {
    let server = server_with_fixtures().await;
    let browser = Browser::start().await;
    let grid = open(&browser, &server, &format!("/traces/{YELP}")).await;
    // `/` focuses the find box.
    grid.send_keys("/").await.unwrap();
    let focused = browser.eval("document.activeElement.id").await;
    assert_eq!(focused.as_str(), Some("trace-find"));
    let find = browser.by_role("searchbox", "Find in trace").await;
    find.send_keys("get_multi").await.unwrap();
    let status = browser
        .wait_for("the match count", || async {
            let text = browser.page_text().await;
            text.contains("2 matches").then_some(text)
        })
        .await;
    assert!(!status.contains("No matches"));
    browser.by_role("button", "Next match").await.click().await.unwrap();
    let name = browser.wait_for("a selected match", || selected_row_name(&browser)).await;
    assert!(name.contains("get_multi"), "{name}");
    browser.wait_for_text("1 of 2").await;
    assert!(browser.path_and_query().await.contains("find=get_multi"), "find kept in the URL");

    // Arrow keys move the selection; ← collapses a parent, → expands it.
    grid.click().await.unwrap();
    grid.send_keys("\u{E011}").await.unwrap(); // Home
    let first = browser.wait_for("the first row selected", || selected_row_name(&browser)).await;
    grid.send_keys("\u{E015}").await.unwrap(); // ArrowDown
    browser.wait_for("selection moved", || async { (selected_row_name(&browser).await? != first).then_some(()) }).await;
    grid.send_keys("\u{E011}").await.unwrap();
    let before = row_count(&grid).await;
    grid.send_keys("\u{E012}").await.unwrap(); // ArrowLeft: collapse the root
    browser.wait_for("collapsed", || async { (row_count(&grid).await == 1).then_some(()) }).await;
    grid.send_keys("\u{E014}").await.unwrap(); // ArrowRight: expand again
    browser.wait_for("expanded", || async { (row_count(&grid).await == before).then_some(()) }).await;
    browser.close().await;
}

#[tokio::test]
async fn collapse_all_and_expand_all_restore_the_rows() {
    let server = server_with_fixtures().await;
    let browser = Browser::start().await;
    let grid = open(&browser, &server, &format!("/traces/{YELP}")).await;
    let all = row_count(&grid).await;
    browser.by_role("button", "Collapse all").await.click().await.unwrap();
    browser.wait_for("one row", || async { (row_count(&grid).await == 1).then_some(()) }).await;
    browser.by_role("button", "Expand all").await.click().await.unwrap();
    browser.wait_for("all rows", || async { (row_count(&grid).await == all).then_some(()) }).await;
    browser.by_role("button", "Critical path").await.click().await.unwrap();
    let on_path = browser
        .wait_for("rows on the critical path", || async {
            let n = browser.eval("[...document.querySelectorAll('[role=row]')].filter(r => r.getAttribute('aria-label').endsWith('on the critical path')).length").await.as_u64()?;
            (n > 0).then_some(n)
        })
        .await;
    assert!((on_path as usize) < all, "the path is a chain, not every row");
    let root =
        browser.eval("document.querySelector('[role=row][aria-rowindex=\"1\"]').getAttribute('aria-label')").await;
    assert!(root.as_str().unwrap_or_default().ends_with("on the critical path"), "the root is on the path: {root}");
    assert!(browser.path_and_query().await.contains("critical=1"));
    browser.by_role("button", "Statistics").await.click().await.unwrap();
    let stats = browser.by_role("region", "Statistics").await.text().await.unwrap();
    assert!(stats.contains("Per service") && stats.contains("Self time"), "{stats}");
    browser.by_role("button", "Service graph").await.click().await.unwrap();
    // The dependency page's graph, drawn from this trace's calls: its frame and a service's button.
    browser.by_role("application", "Service graph of this trace").await;
    browser.by_role("button", "Service yelp-main").await;
    browser.close().await;
}

#[tokio::test]
async fn a_missing_trace_and_a_failing_backend_say_what_is_wrong() {
    let server = server_with_fixtures().await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/traces/00000000000000ff")).await;
    let alert = browser.by_role("alert", "Trace not found").await;
    assert!(alert.text().await.unwrap().contains("00000000000000ff"));

    let failing = Devserver::start(&["--fail-rate", "1"]).await;
    browser.goto(&failing.ui(&format!("/traces/{YELP}"))).await;
    let alert = browser.by_role("alert", "HTTP 500").await;
    assert!(!alert.text().await.unwrap().trim().is_empty());
    browser.by_role("button", "Retry").await;
    browser.close().await;
}

#[tokio::test]
async fn a_trace_file_opens_without_a_backend_and_a_multi_trace_file_offers_a_choice() {
    let server = Devserver::start(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/")).await;
    browser.by_role("navigation", "Main").await;
    let input = browser.client.find(fantoccini::Locator::Css("input[type=file]")).await.unwrap();
    input.send_keys(fixture("zipkin/yelp.json").to_str().unwrap()).await.unwrap();
    let grid = browser.by_role("treegrid", "Waterfall").await;
    assert!(browser.path_and_query().await.starts_with("/zipkin/traceViewer"));
    assert!(row_count(&grid).await > 5);

    // Two traces in one file (v1 of yelp plus skew as a list of traces).
    let mut both = tempfile::NamedTempFile::with_suffix(".json").unwrap();
    let traces = serde_json::json!([fixture_spans("zipkin/yelp.json"), fixture_spans("zipkin/skew.json")]);
    std::io::Write::write_all(&mut both, traces.to_string().as_bytes()).unwrap();
    let input = browser.client.find(fantoccini::Locator::Css("input[type=file]")).await.unwrap();
    input.send_keys(both.path().to_str().unwrap()).await.unwrap();
    let table = browser.by_role("table", "Traces in the file").await;
    assert!(table.text().await.unwrap().contains(SKEW));
    browser.by_role("button", "servicea").await.click().await.unwrap();
    browser.by_role("treegrid", "Waterfall").await;
    assert!(browser.path_and_query().await.contains(&format!("trace={SKEW}")));
    browser.close().await;
}
