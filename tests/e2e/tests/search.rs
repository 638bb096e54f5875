//! The search page as a person uses it, in headless Chromium against the devserver: criteria become
//! the URL and the results match what the server holds (asked over HTTP here), a Lens link repeats
//! its search, back restores the previous one, sorting and filters work without a request, the
//! scatter plot opens a trace, and the error, empty and disabled states say what happened.
use fantoccini::actions::{InputSource, KeyAction, KeyActions, MouseActions, PointerAction};
use fantoccini::elements::Element;
use serde_json::Value;
use spanscope_e2e::{fixture, http_get, Browser, Devserver};
use std::collections::BTreeSet;
use std::io::Write;

/// `--load` every shared Zipkin fixture, shifted so the newest trace ends now.
async fn fixture_server(extra: &[&str]) -> Devserver {
    let files: Vec<String> = ["yelp.json", "skew.json", "messaging-kafka.json", "smartthings-mobile-web-install.json"]
        .iter()
        .map(|f| fixture(&format!("zipkin/{f}")).to_string_lossy().into_owned())
        .collect();
    let mut args: Vec<&str> = vec!["--load"];
    args.extend(files.iter().map(String::as_str));
    args.push("--rebase");
    args.extend_from_slice(extra);
    Devserver::start(&args).await
}

/// Trace ids of a `/api/v2/traces` answer.
async fn api_trace_ids(server: &Devserver, query: &str) -> BTreeSet<String> {
    let (status, _, body) = http_get(&server.origin, &format!("/api/v2/traces?{query}")).await;
    assert_eq!(status, 200, "{body}");
    let traces: Vec<Vec<Value>> = serde_json::from_str(&body).expect("Span[][]");
    traces.iter().map(|t| t[0]["traceId"].as_str().unwrap().to_string()).collect()
}

/// The value of a query parameter of the page's URL.
async fn url_param(browser: &Browser, name: &str) -> Option<String> {
    let url = browser.client.current_url().await.unwrap();
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// Trace ids of the result rows' links, in page order (waits for the results table).
async fn result_ids(browser: &Browser) -> Vec<String> {
    browser.by_role("table", "Traces").await;
    let mut ids = Vec::new();
    for link in browser.all_by_role("link").await {
        if let Some(href) = link.attr("href").await.unwrap() {
            if let Some(id) = href.strip_prefix("/zipkin/traces/") {
                ids.push(id.to_string());
            }
        }
    }
    ids
}

/// Waits until the result rows are exactly `expected` (in order).
async fn wait_for_ids(browser: &Browser, expected: &[String]) {
    browser
        .wait_for(&format!("result rows {expected:?}"), || async {
            let now = result_ids(browser).await;
            (now == expected).then_some(())
        })
        .await
}

/// Waits until the table shows `want` result rows.
async fn wait_for_row_count(browser: &Browser, want: usize) {
    let what = format!("{want} result rows");
    browser.wait_for(&what, || async { (result_ids(browser).await.len() == want).then_some(()) }).await
}

/// The results' count line ("4 traces", "2 of 4 traces").
async fn count_text(browser: &Browser) -> String {
    let region = browser.by_role("region", "Search results").await;
    let status = region.find(fantoccini::Locator::Css("[role=status]")).await.unwrap();
    status.text().await.unwrap()
}

async fn select(el: &Element, value: &str) {
    el.select_by_value(value).await.unwrap();
}

/// How many `/api/v2/traces` requests this page has made.
async fn traces_requests(browser: &Browser) -> u64 {
    browser
        .eval("performance.getEntriesByType('resource').filter(e => e.name.includes('/api/v2/traces')).length")
        .await
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn criteria_become_the_url_and_results_match_the_server() {
    let server = fixture_server(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/")).await;
    browser.by_role("search", "Search criteria").await;
    // The services come from the server.
    let service = browser.by_role("combobox", "Service").await;
    browser
        .wait_for("services listed", || async {
            service.text().await.ok().filter(|t| t.contains("servicea") && t.contains("yelp-main"))
        })
        .await;
    select(&service, "servicea").await;
    // Span names arrive for the chosen service.
    let span_name = browser.by_role("combobox", "Span name").await;
    browser.wait_for("span names", || async { span_name.text().await.ok().filter(|t| t.contains("get")) }).await;
    select(&browser.by_role("combobox", "Lookback").await, "1h").await;
    let limit = browser.by_role("textbox", "Limit").await;
    limit.clear().await.unwrap();
    // Enter in a field runs the search.
    limit.send_keys("5\n").await.unwrap();

    browser.wait_for("the search in the URL", || async { url_param(&browser, "serviceName").await }).await;
    assert!(browser.path_and_query().await.starts_with("/zipkin/?"), "Lens's URL shape");
    assert_eq!(url_param(&browser, "serviceName").await.as_deref(), Some("servicea"));
    assert_eq!(url_param(&browser, "lookback").await.as_deref(), Some("1h"));
    assert_eq!(url_param(&browser, "limit").await.as_deref(), Some("5"));
    let end_ts = url_param(&browser, "endTs").await.expect("a search pins its end time");

    let expected =
        api_trace_ids(&server, &format!("serviceName=servicea&endTs={end_ts}&lookback=3600000&limit=5")).await;
    assert_eq!(expected.len(), 2, "the fixtures hold two servicea traces: {expected:?}");
    let shown: BTreeSet<String> = browser
        .wait_for("two result rows", || async {
            let ids = result_ids(&browser).await;
            (ids.len() == 2).then_some(ids)
        })
        .await
        .into_iter()
        .collect();
    assert_eq!(shown, expected);
    assert!(count_text(&browser).await.starts_with("2 traces"));
    // Each row says what the trace is: its root service and span count, as the server's spans give them.
    let table = browser.by_role("table", "Traces").await.text().await.unwrap();
    assert!(table.contains("servicea") && table.contains("serviceb"), "{table}");

    // A tag term typed with suggestions goes into annotationQuery.
    let tags = browser.by_role("combobox", "Tags").await;
    tags.send_keys("http.path=/api\n").await.unwrap();
    browser.by_role("button", "Remove tag http.path=/api").await;
    browser.by_role("button", "Search").await.click().await.unwrap();
    browser
        .wait_for("annotationQuery in the URL", || async {
            url_param(&browser, "annotationQuery").await.filter(|q| q == "http.path=/api")
        })
        .await;
    browser.close().await;
}

#[tokio::test]
async fn a_lens_link_reproduces_its_search_and_back_restores_the_previous_one() {
    let server = fixture_server(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/?serviceName=yelp-main&lookback=1h&limit=7")).await;
    let expected: Vec<String> =
        api_trace_ids(&server, "serviceName=yelp-main&lookback=3600000&limit=7").await.into_iter().collect();
    assert_eq!(expected, vec!["a03ee8fff1dcd9b9".to_string()]);
    wait_for_ids(&browser, &expected).await;
    // The form shows the link's criteria.
    let service = browser.by_role("combobox", "Service").await;
    assert_eq!(service.prop("value").await.unwrap().as_deref(), Some("yelp-main"));
    let lookback = browser.by_role("combobox", "Lookback").await;
    assert_eq!(lookback.prop("value").await.unwrap().as_deref(), Some("1h"));
    assert_eq!(browser.by_role("textbox", "Limit").await.prop("value").await.unwrap().as_deref(), Some("7"));

    // A new search, then back: the old search and its form are restored.
    select(&service, "servicea").await;
    browser.by_role("button", "Search").await.click().await.unwrap();
    browser.wait_for("servicea results", || async { (result_ids(&browser).await.len() == 2).then_some(()) }).await;
    browser.client.back().await.unwrap();
    wait_for_ids(&browser, &expected).await;
    browser
        .wait_for("the form restored", || async {
            let service = browser.try_by_role("combobox", "Service").await?;
            (service.prop("value").await.ok()??.as_str() == "yelp-main").then_some(())
        })
        .await;
    browser.close().await;
}

#[tokio::test]
async fn sorting_and_filters_need_no_new_request() {
    let server = fixture_server(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/?lookback=1h&limit=10")).await;
    let all = browser
        .wait_for("four traces", || async {
            let ids = result_ids(&browser).await;
            (ids.len() == 4).then_some(ids)
        })
        .await;
    let server_ids: Vec<String> = api_trace_ids(&server, "lookback=3600000&limit=10").await.into_iter().collect();
    assert_eq!(all.iter().cloned().collect::<BTreeSet<_>>(), server_ids.into_iter().collect());
    let requests = traces_requests(&browser).await;
    assert_eq!(requests, 1);

    let sort = browser.by_role("combobox", "Sort").await;
    select(&sort, "spans").await;
    browser
        .wait_for("the 1041-span trace first", || async {
            (result_ids(&browser).await.first().map(String::as_str) == Some("14b60fd9ae504820")).then_some(())
        })
        .await;
    select(&sort, "oldest").await;
    let oldest = browser
        .wait_for("oldest first", || async {
            let ids = result_ids(&browser).await;
            (ids.iter().rev().cloned().collect::<Vec<_>>() == all).then_some(ids)
        })
        .await;
    assert_eq!(oldest.len(), 4);
    assert_eq!(url_param(&browser, "sort").await.as_deref(), Some("oldest"));

    // Text filter: only the yelp trace mentions yelp.
    let filter = browser.by_role("searchbox", "Filter results").await;
    filter.send_keys("yelp").await.unwrap();
    wait_for_ids(&browser, &["a03ee8fff1dcd9b9".to_string()]).await;
    assert!(count_text(&browser).await.starts_with("1 trace of 4"), "{}", count_text(&browser).await);
    filter.clear().await.unwrap();
    filter.send_keys(" ").await.unwrap();
    browser.wait_for("all back", || async { (result_ids(&browser).await.len() == 4).then_some(()) }).await;

    // A service badge filters to the traces that service takes part in, and the plot follows.
    browser.by_role("button", "Only traces with serviceb").await.click().await.unwrap();
    browser.wait_for("two serviceb traces", || async { (result_ids(&browser).await.len() == 2).then_some(()) }).await;
    let dots = browser.all_by_role("link").await;
    let mut plotted = 0;
    for d in dots {
        if browser.name_of(&d).await.starts_with("Plot: ") {
            plotted += 1;
        }
    }
    assert_eq!(plotted, 2, "the plot follows the filter");
    assert_eq!(url_param(&browser, "filterService").await.as_deref(), Some("serviceb"));
    assert_eq!(traces_requests(&browser).await, 1, "filters and sorting never ask the server");
    browser.close().await;
}

#[tokio::test]
async fn the_scatter_plot_shows_a_trace_on_hover_and_opens_it() {
    let server = fixture_server(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/?serviceName=yelp-main&lookback=1h")).await;
    browser.by_role("region", "Duration over start time").await;
    let dot = browser.by_role("link", "Plot: routing: post /location/update/v4").await;
    let hover = MouseActions::new("mouse".into()).then(PointerAction::MoveToElement {
        element: dot.clone(),
        duration: None,
        x: 0.0,
        y: 0.0,
    });
    browser.client.perform_actions(hover).await.unwrap();
    let tip = browser.by_role("tooltip", "").await;
    assert!(tip.text().await.unwrap().contains("a03ee8fff1dcd9b9"));
    dot.click().await.unwrap();
    browser
        .wait_for("the trace page", || async {
            (browser.path_and_query().await == "/zipkin/traces/a03ee8fff1dcd9b9").then_some(())
        })
        .await;
    browser.close().await;
}

#[tokio::test]
async fn a_failing_backend_shows_the_status_and_message_with_a_retry() {
    let server = fixture_server(&["--fail-rate", "1"]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/?serviceName=servicea&lookback=1h")).await;
    let alert = browser
        .wait_for("the search's error", || async {
            for el in browser.all_by_role("alert").await {
                let text = el.text().await.unwrap_or_default();
                if text.contains("/api/v2/traces") {
                    return Some(text);
                }
            }
            None
        })
        .await;
    assert!(alert.contains("HTTP 500"), "{alert}");
    assert!(alert.contains("injected failure"), "the server's own message: {alert}");
    let before = traces_requests(&browser).await;
    let retries = browser.all_by_role("button").await;
    let mut clicked = false;
    for b in retries {
        if browser.name_of(&b).await == "Retry" {
            b.click().await.unwrap();
            clicked = true;
        }
    }
    assert!(clicked, "a Retry button");
    browser.wait_for("a retried request", || async { (traces_requests(&browser).await > before).then_some(()) }).await;
    browser.close().await;
}

#[tokio::test]
async fn an_empty_result_says_what_to_widen_and_bad_criteria_never_reach_the_server() {
    let server = fixture_server(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/?serviceName=servicea&minDuration=100s&lookback=5m")).await;
    let empty = browser.by_role("region", "No traces found").await;
    let text = empty.text().await.unwrap();
    assert!(text.contains("longer lookback") && text.contains("duration"), "{text}");

    browser.goto(&server.ui("/?maxDuration=1s&lookback=1h")).await;
    let alert = browser.by_role("alert", "This search cannot run").await;
    assert!(alert.text().await.unwrap().contains("maxDuration is only valid with minDuration"));
    assert_eq!(traces_requests(&browser).await, 0);

    // The form refuses a bad duration inline and keeps the URL as it was.
    browser.goto(&server.ui("/")).await;
    let min = browser.by_role("textbox", "Min duration").await;
    min.send_keys("fast\n").await.unwrap();
    browser.wait_for_text("is not a duration").await;
    assert_eq!(browser.path_and_query().await, "/zipkin/");
    assert_eq!(min.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    browser.close().await;
}

#[tokio::test]
async fn search_disabled_shows_a_notice_and_trace_ids_still_open() {
    let mut config = tempfile::NamedTempFile::new().unwrap();
    write!(config, r#"{{"searchEnabled": false}}"#).unwrap();
    let path = config.path().to_str().unwrap().to_string();
    let server = fixture_server(&["--config", &path]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/?serviceName=servicea")).await;
    let notice = browser.by_role("region", "Search is turned off").await;
    assert!(notice.text().await.unwrap().contains("Trace ID"));
    assert!(browser.try_by_role("search", "Search criteria").await.is_none());
    assert_eq!(traces_requests(&browser).await, 0);
    browser.by_role("textbox", "Trace ID").await.send_keys("a03ee8fff1dcd9b9\n").await.unwrap();
    browser
        .wait_for("the trace route", || async {
            (browser.path_and_query().await == "/zipkin/traces/a03ee8fff1dcd9b9").then_some(())
        })
        .await;
    browser.close().await;
}

#[tokio::test]
async fn demo_traffic_search_matches_the_server() {
    let server = Devserver::start(&["--demo", "--seed", "7"]).await;
    let browser = Browser::start().await;
    // A window that ended a minute ago: live demo traffic cannot change its answer between the
    // page's request and the test's.
    let now_ms = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let end_ts = now_ms - 60_000;
    browser.goto(&server.ui(&format!("/?serviceName=web-gateway&lookback=1h&endTs={end_ts}&limit=20"))).await;
    let shown = browser
        .wait_for("results", || async {
            let ids = result_ids(&browser).await;
            (!ids.is_empty()).then_some(ids)
        })
        .await;
    let request = browser
        .eval("performance.getEntriesByType('resource').map(e => e.name).find(n => n.includes('/api/v2/traces'))")
        .await;
    // Ask the server exactly what the page asked, and compare.
    let url = request.as_str().expect("the page's request");
    assert!(url.contains(&format!("endTs={end_ts}")), "{url}");
    let query = url.split_once('?').unwrap().1;
    let expected = api_trace_ids(&server, query).await;
    assert!(expected.len() <= 20);
    assert!(count_text(&browser).await.starts_with(&format!("{} traces", expected.len())));
    // The first screenful is shown; the rest come as the list scrolls.
    browser.eval("document.querySelector('main').scrollTo(0, 1e9)").await;
    let all = browser
        .wait_for("every result", || async {
            let ids = result_ids(&browser).await;
            (ids.len() == expected.len()).then_some(ids)
        })
        .await;
    assert!(shown.len() <= all.len());
    assert_eq!(all.into_iter().collect::<BTreeSet<_>>(), expected);
    browser.close().await;
}

/// Rows come a screenful at a time: "Show more" (a button, so the keyboard gets them too) and
/// scrolling to the end both add rows, and a new filter starts over at the first screenful.
#[tokio::test]
async fn rows_come_as_the_list_scrolls() {
    let server = Devserver::start(&["--generate", "50x200"]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/?lookback=7d&limit=200")).await;
    wait_for_row_count(&browser, 10).await;
    // The keyboard route: focus "Show more" without scrolling it into reach, then Enter.
    let more = browser.by_role("button", "Show 25 more (190 not shown)").await;
    browser.client.execute("arguments[0].focus({ preventScroll: true })", vec![serde_json::json!(more)]).await.unwrap();
    let enter = KeyActions::new("keyboard".into())
        .then(KeyAction::Down { value: '\u{E007}' })
        .then(KeyAction::Up { value: '\u{E007}' });
    browser.client.perform_actions(enter).await.unwrap();
    wait_for_row_count(&browser, 35).await;
    // Focus stays on the button, whose count follows.
    let focused = "document.activeElement ? document.activeElement.textContent : ''";
    let on_button = || async { browser.eval(focused).await.as_str()?.starts_with("Show 25 more (165").then_some(()) };
    browser.wait_for("focus on the updated button", on_button).await;
    // Scrolling the end of the list into view brings the next rows without a press.
    browser.eval("document.querySelector('main').scrollTo(0, 1e9)").await;
    wait_for_row_count(&browser, 60).await;
    // A filter that changes the list starts it over at the first screenful.
    browser.eval("document.querySelector('main').scrollTo(0, 0)").await;
    let filter = browser.by_role("searchbox", "Filter results").await;
    filter.send_keys("payment-service").await.unwrap();
    let kept = browser
        .wait_for("the filtered count", || async {
            let text = count_text(&browser).await;
            text.split_once(" traces of 200").and_then(|(n, _)| n.parse::<usize>().ok())
        })
        .await;
    assert!(kept > 10 && kept < 200, "the generated traces reach payment-service in some traces only: {kept}");
    wait_for_row_count(&browser, 10).await;
    // The URL follows the text once typing pauses.
    let typed = || async { url_param(&browser, "filter").await.filter(|f| f == "payment-service") };
    browser.wait_for("the filter in the URL", typed).await;
    browser.close().await;
}

/// The issue's budget: 1,000 results of 50-span traces on screen ≤ 300 ms after the response, and
/// a filter keystroke never blocking the page for more than 50 ms. Prints what it measured; the
/// hard assertions apply to a release build (`SPANSCOPE_BUDGET=1`), a debug build is far slower.
#[tokio::test]
async fn a_thousand_results_render_within_budget() {
    let server = Devserver::start(&["--generate", "50x1000"]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/?lookback=7d&limit=1000")).await;
    browser
        .wait_for("1000 results", || async { count_text(&browser).await.starts_with("1000 traces").then_some(()) })
        .await;
    let render = browser
        .wait_for("the render measure", || async {
            let v = browser
                .eval("(performance.getEntriesByName('spanscope:search:render')[0] || {}).duration || null")
                .await;
            v.as_f64()
        })
        .await;
    let phases = browser
        .eval(
            "['spanscope:search:start', 'spanscope:search:response', 'spanscope:search:summarized', 'spanscope:search:painted']\
             .map(n => (performance.getEntriesByName(n)[0] || {}).startTime | 0)",
        )
        .await;
    println!("search phases (ms since navigation: start, response, summarized, painted): {phases}");
    let observer = "window.__long = []; new PerformanceObserver(l => window.__long.push(...l.getEntries().map(e => e.duration))).observe({type: 'longtask'});";
    browser.client.execute(observer, vec![]).await.unwrap();
    let filter = browser.by_role("searchbox", "Filter results").await;
    for key in ["s", "e", "r", "v", "i", "c", "e"] {
        filter.send_keys(key).await.unwrap();
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let longest = browser.eval("Math.max(0, ...window.__long)").await.as_f64().unwrap_or(0.0);
    println!("search budget: render {render:.0} ms after the response (≤ 300), longest task while filtering {longest:.0} ms (≤ 50)");
    if std::env::var_os("SPANSCOPE_BUDGET").is_some() {
        assert!(render <= 300.0, "render took {render} ms");
        assert!(longest <= 50.0, "a keystroke blocked for {longest} ms");
    }
    browser.close().await;
}
