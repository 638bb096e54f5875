//! The dependency page as a person uses it, in headless Chromium against the devserver: the links
//! shown equal Zipkin's own answers for the fixture traces; Jaeger's 4,271-link sample (served by a
//! tiny server inside the test, the UI pointed at it by `apiBaseUrl`) draws on a canvas and stays
//! interactive; filter, selection panel and "Find traces" work; Lens links, empty ranges, backend
//! errors and `dependency.enabled: false` say what they should.
use serde_json::Value;
use spanscope_e2e::{fixture, serve_http, Browser, Devserver};
use std::collections::BTreeSet;
use std::io::Write;

/// (caller, callee, calls, errors) as Zipkin's JSON says.
type Row = (String, String, u64, u64);

fn expected_rows(relative: &str) -> BTreeSet<Row> {
    let bytes = std::fs::read(fixture(relative)).expect("fixture");
    let links: Vec<Value> = serde_json::from_slice(&bytes).expect("links JSON");
    links
        .iter()
        .map(|l| {
            (
                l["parent"].as_str().unwrap_or_default().to_string(),
                l["child"].as_str().unwrap_or_default().to_string(),
                l["callCount"].as_u64().unwrap_or(0),
                l["errorCount"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

fn number(cell: &str) -> u64 {
    cell.replace(',', "").parse().unwrap_or(u64::MAX)
}

async fn link_rows(browser: &Browser) -> BTreeSet<Row> {
    browser
        .table_rows("Dependency links")
        .await
        .iter()
        .filter(|cells| cells.len() >= 4)
        .map(|c| (c[0].clone(), c[1].clone(), number(&c[2]), number(&c[3])))
        .collect()
}

async fn wait_until_path(browser: &Browser, prefix: &str) -> String {
    browser
        .wait_for(&format!("a URL starting with {prefix}"), || async {
            let p = browser.path_and_query().await;
            p.starts_with(prefix).then_some(p)
        })
        .await
}

#[tokio::test]
async fn table_shows_exactly_the_links_zipkin_derives_from_each_fixture() {
    let browser = Browser::start().await;
    for name in ["yelp", "messaging-kafka", "skew", "smartthings-mobile-web-install"] {
        let trace = fixture(&format!("zipkin/{name}.json")).to_string_lossy().into_owned();
        let server = Devserver::start(&["--load", &trace, "--rebase"]).await;
        let expected = expected_rows(&format!("zipkin/derived/{name}.dependencies.json"));
        assert!(!expected.is_empty());
        browser.goto(&server.ui("/dependency?view=table")).await;
        browser.by_role("table", "Dependency links").await;
        let shown = browser
            .wait_for(&format!("{name}: the links in the table"), || async {
                let rows = link_rows(&browser).await;
                (rows.len() == expected.len()).then_some(rows)
            })
            .await;
        assert_eq!(shown, expected, "{name}: the table differs from Zipkin's DependencyLinker");
        // The graph view of the same data draws every service.
        browser.by_role("button", "Graph").await.click().await.unwrap();
        let services: BTreeSet<&str> = expected.iter().flat_map(|r| [r.0.as_str(), r.1.as_str()]).collect();
        for service in services {
            browser.by_role("button", &format!("Service {service}")).await;
        }
    }
    browser.close().await;
}

/// Serves `body` as `/api/v2/dependencies` to any origin until the test ends; answers its origin.
async fn serve_dependencies(body: Vec<u8>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let origin = format!("http://{}", listener.local_addr().expect("addr"));
    serve_http(listener, move |line| {
        if line.starts_with("GET /api/v2/dependencies?") {
            (200, "application/json", body.clone())
        } else {
            (404, "text/plain", b"not here".to_vec())
        }
    });
    origin
}

#[tokio::test]
async fn four_thousand_links_draw_on_a_canvas_and_stay_interactive() {
    let large = std::fs::read(fixture("dependencies/dependencies-large.json")).expect("fixture");
    let links: Vec<Value> = serde_json::from_slice(&large).unwrap();
    let callers_of_50 = links.iter().filter(|l| l["child"] == "Service50").count();
    let callees_of_50 = links.iter().filter(|l| l["parent"] == "Service50").count();
    let api = serve_dependencies(large).await;
    let mut config = tempfile::NamedTempFile::new().unwrap();
    write!(config, r#"{{"apiBaseUrl": "{api}"}}"#).unwrap();
    let path = config.path().to_str().unwrap().to_string();
    let server = Devserver::start(&["--config", &path]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/dependency")).await;

    browser.wait_for_text("1,238 services · 4,271 links").await;
    let canvas = browser.by_role("img", "Dependency graph of 1238 services and 4271 links").await;
    assert_eq!(canvas.tag_name().await.unwrap(), "canvas");
    // Painted, not just present: the mark is set after the first frame and pixels are not blank.
    browser
        .wait_for("the drawn mark", || async {
            let n = browser.eval("performance.getEntriesByName('spanscope:dependency:drawn').length").await;
            (n.as_u64() == Some(1)).then_some(())
        })
        .await;
    // Printed for a person (budgets are `make bench`'s): fetched -> laid out -> first drawn.
    let phases = browser
        .eval(
            "['fetched', 'laid-out', 'drawn'].map(p => { const e = performance.getEntriesByName('spanscope:dependency:' + p);
               return e.length ? Math.round(e[0].startTime) : null; })",
        )
        .await;
    eprintln!("dependencies-large marks (ms since navigation): fetched, laid-out, drawn = {phases}");
    let painted = browser
        .eval(
            "(() => { const c = document.querySelector('canvas'); const d = c.getContext('2d')
               .getImageData(0, 0, c.width, c.height).data; let n = 0;
               for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; })()",
        )
        .await;
    assert!(painted.as_u64().unwrap_or(0) > 2000, "canvas pixels painted: {painted}");

    // Zoom by keyboard and by wheel; both change the zoom level shown.
    let level = || async {
        browser
            .eval("document.querySelector('[aria-label=\"Zoom level\"]').textContent")
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    };
    let fitted = level().await;
    let frame = browser.by_role("application", "Dependency graph").await;
    frame.send_keys("+").await.unwrap();
    browser.wait_for("zoom in by key", || async { (level().await != fitted).then_some(()) }).await;
    browser.by_role("button", "Fit to screen").await.click().await.unwrap();
    browser.wait_for("fit again", || async { (level().await == fitted).then_some(()) }).await;
    browser
        .eval(
            "(() => { const f = document.querySelector('[role=application]'); const r = f.getBoundingClientRect();
               f.dispatchEvent(new WheelEvent('wheel', {deltaY: -300, clientX: r.left + r.width / 2,
               clientY: r.top + r.height / 2, bubbles: true, cancelable: true})); return true; })()",
        )
        .await;
    browser.wait_for("zoom in by wheel", || async { (level().await != fitted).then_some(()) }).await;

    // Filter to the busiest service, Enter selects it: the panel lists its callers and callees.
    let filter = browser.by_role("combobox", "Service").await;
    filter.send_keys("Service50").await.unwrap();
    browser.wait_for_text(&format!("{} of 4,271 links around 1 matching service", callers_of_50 + callees_of_50)).await;
    filter.send_keys("\n").await.unwrap();
    browser.by_role("heading", "Service50").await;
    let callers = browser
        .wait_for("the callers table", || async {
            let rows = browser.table_rows("Callers of Service50").await;
            (!rows.is_empty()).then_some(rows)
        })
        .await;
    assert_eq!(callers.len(), callers_of_50);
    assert_eq!(browser.table_rows("Callees of Service50").await.len(), callees_of_50);
    assert!(browser.path_and_query().await.contains("filter=Service50"));
    assert!(browser.path_and_query().await.contains("service=Service50"));

    // A peer in the panel selects that service.
    let first_callee = browser.table_rows("Callees of Service50").await[0][0].clone();
    let peers = browser.all_by_role("button").await;
    let mut clicked = false;
    for b in peers {
        if browser.name_of(&b).await == first_callee {
            b.click().await.unwrap();
            clicked = true;
            break;
        }
    }
    assert!(clicked);
    browser.by_role("heading", &first_callee).await;
    browser.close().await;
}

#[tokio::test]
async fn filter_selection_panel_and_find_traces_on_yelp() {
    let trace = fixture("zipkin/yelp.json").to_string_lossy().into_owned();
    let server = Devserver::start(&["--load", &trace, "--rebase"]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/dependency")).await;
    browser.wait_for_text("8 services · 8 links").await;
    browser.by_role("group", "Services").await;
    let yelp_main = browser.by_role("button", "Service yelp-main").await;
    // A click on the drawn service goes through the graph's hit-test.
    yelp_main.click().await.unwrap();
    browser.by_role("heading", "yelp-main").await;
    assert!(browser.path_and_query().await.contains("service=yelp-main"));
    let callers = browser.table_rows("Callers of yelp-main").await;
    assert_eq!(callers, vec![vec!["unknown".to_string(), "5".into(), "0".into(), "0%".into()]]);
    let callees: Vec<(String, String)> =
        browser.table_rows("Callees of yelp-main").await.into_iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    assert_eq!(
        callees,
        vec![("memcache".into(), "3".into()), ("mobile_api".into(), "2".into()), ("mysql".into(), "2".into())]
    );

    // Focus on mobile_api, one hop: its four links; two hops add yelp-main's other links.
    let filter = browser.by_role("combobox", "Service").await;
    filter.send_keys("mobile_api").await.unwrap();
    browser.wait_for_text("4 of 8 links around 1 matching service").await;
    browser.by_role("combobox", "Neighbours").await.select_by_value("2").await.unwrap();
    browser.wait_for_text("7 of 8 links around 1 matching service").await;
    browser.by_role("button", "Table").await.click().await.unwrap();
    browser.by_role("table", "Dependency links").await;
    let rows = link_rows(&browser).await;
    assert_eq!(rows.len(), 7);
    assert!(!rows.iter().any(|r| r.1 == "yelp_main/api_proxy"), "unknown -> api_proxy is 3 hops away");

    // A link's details, then Find traces for the service.
    browser.by_role("button", "Details of yelp-main → mysql").await.click().await.unwrap();
    browser.by_role("heading", "yelp-main → mysql").await;
    let panel = browser.by_role("complementary", "Details").await;
    let text = panel.text().await.unwrap();
    assert!(text.contains("Calls\n2") || text.contains("Calls 2"), "{text}");
    browser.by_role("button", "Show yelp-main").await.click().await.unwrap();
    browser.by_role("heading", "yelp-main").await;
    browser.by_role("button", "Find traces").await.click().await.unwrap();
    let url = wait_until_path(&browser, "/zipkin/?serviceName=yelp-main").await;
    assert!(url.contains("lookback=1d"), "the search keeps the window: {url}");
    browser.close().await;
}

#[tokio::test]
async fn lens_links_empty_ranges_and_custom_ranges() {
    let trace = fixture("zipkin/yelp.json").to_string_lossy().into_owned();
    let server = Devserver::start(&["--load", &trace, "--rebase"]).await;
    let browser = Browser::start().await;
    // A Lens link to a window in 2001: nothing there, and the page says what to do.
    browser.goto(&server.ui("/dependency?startTime=1000000000000&endTime=1000003600000")).await;
    let empty = browser.by_role("status", "No dependencies").await;
    assert!(empty.text().await.unwrap().contains("no service-to-service calls"));
    assert_eq!(
        browser.eval("document.getElementById('dep-range-select').value").await.as_str(),
        Some("custom"),
        "an absolute window shows as a custom range"
    );
    browser.by_role("button", "Widen to last 6 hours").await.click().await.unwrap();
    browser.wait_for_text("8 services · 8 links").await;
    assert!(browser.path_and_query().await.ends_with("/dependency?lookback=6h"));

    // A Lens link around now shows the links; back returns to the widened preset.
    let now = browser.eval("Date.now()").await.as_u64().unwrap();
    browser.goto(&server.ui(&format!("/dependency?startTime={}&endTime={}", now - 3_600_000, now + 60_000))).await;
    browser.wait_for_text("8 services · 8 links").await;
    browser.client.back().await.unwrap();
    wait_until_path(&browser, "/zipkin/dependency?lookback=6h").await;
    browser.wait_for_text("8 services · 8 links").await;
    browser.close().await;
}

#[tokio::test]
async fn a_failing_backend_shows_the_status_and_its_message() {
    let server = Devserver::start(&["--fail-rate", "1"]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/dependency")).await;
    let alert = browser.by_role("alert", "HTTP 500").await;
    let text = alert.text().await.unwrap();
    assert!(text.contains("injected failure"), "the server's message is shown: {text}");
    assert!(text.contains("/api/v2/dependencies"), "{text}");
    browser.by_role("button", "Retry").await;
    browser.close().await;
}

#[tokio::test]
async fn disabling_the_page_hides_its_navigation_entry() {
    let mut config = tempfile::NamedTempFile::new().unwrap();
    write!(config, r#"{{"dependency": {{"enabled": false}}}}"#).unwrap();
    let path = config.path().to_str().unwrap().to_string();
    let server = Devserver::start(&["--config", &path]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/")).await;
    let nav = browser.by_role("navigation", "Main").await;
    let links = nav.text().await.unwrap();
    assert!(links.contains("Find a trace"), "the navigation is there: {links}");
    assert!(!links.contains("Dependencies"), "no Dependencies entry: {links}");
    browser.close().await;
}
