//! OpenTelemetry and Jaeger files in the trace viewer, as a person uses it in headless Chromium
//! against the devserver: an OTLP file (the shared fixtures, read at test time) and a Jaeger file
//! open, their links navigate, events show their attributes, an exception its stack trace; a file
//! dropped on any page opens; a download in each format opens again as the same trace; bad files get
//! a message and the page stays usable.
use fantoccini::elements::Element;
use fantoccini::Locator;
use serde_json::Value;
use spanscope_e2e::{fixture, Browser, Devserver};
use std::io::Write;

fn fixture_json(name: &str) -> Value {
    serde_json::from_slice(&std::fs::read(fixture(name)).unwrap()).unwrap()
}

/// Opens a file with the header's Open JSON and waits for the waterfall.
async fn open_file(browser: &Browser, path: &std::path::Path) -> Element {
    // The header (and its file input) is there once the app has loaded its configuration.
    browser.by_role("navigation", "Main").await;
    let input = browser.client.find(Locator::Css("input[type=file]")).await.unwrap();
    input.send_keys(path.to_str().unwrap()).await.unwrap();
    wait_for_trace_viewer(browser).await
}

async fn wait_for_trace_viewer(browser: &Browser) -> Element {
    let grid = browser.by_role("treegrid", "Waterfall").await;
    browser.wait_for("waterfall rows", || async { (!browser.all_by_role("row").await.is_empty()).then_some(()) }).await;
    assert!(browser.path_and_query().await.starts_with("/zipkin/traceViewer"));
    grid
}

/// A temporary file holding `bytes`, named with `suffix`.
fn temp_file(suffix: &str, bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::with_suffix(suffix).unwrap();
    file.write_all(bytes).unwrap();
    file
}

#[tokio::test]
async fn an_otlp_file_shows_its_links_with_their_typed_attributes_and_a_link_opens_its_trace() {
    // What the fixture holds, read from it: the span, its service, and its first link.
    let trace = fixture_json("otlp/otlp-jaeger-link-attributes.json");
    let resource = &trace["resourceSpans"][0];
    let service = resource["resource"]["attributes"][0]["value"]["stringValue"].as_str().unwrap();
    let span = &resource["scopeSpans"][0]["spans"][0];
    let name = span["name"].as_str().unwrap();
    let links = span["links"].as_array().unwrap();
    let first = &links[0];
    let int_attribute =
        first["attributes"].as_array().unwrap().iter().find(|a| a["value"].get("intValue").is_some()).unwrap();
    let (int_key, int_value) =
        (int_attribute["key"].as_str().unwrap(), int_attribute["value"]["intValue"].as_str().unwrap());
    let blob = first["attributes"].as_array().unwrap().iter().find(|a| a["value"].get("bytesValue").is_some()).unwrap();
    // Ids as the viewer keeps them: a 32-digit id with a zero high half reads as its low 16 digits.
    let linked_trace = first["traceId"].as_str().unwrap().trim_start_matches("0000000000000000").to_string();
    let linked_span = first["spanId"].as_str().unwrap();

    let server = Devserver::start(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/")).await;
    open_file(&browser, &fixture("otlp/otlp-jaeger-link-attributes.json")).await;
    // The row says it links, and its mark is named for screen readers.
    let row = browser.by_role("row", &format!("{service}: {name}")).await;
    let label = browser.name_of(&row).await;
    assert!(label.ends_with(&format!(", {} links", links.len())), "{label}");
    assert!(browser.try_by_role("img", &format!("Links to {} spans", links.len())).await.is_some());
    row.click().await.unwrap();
    let details = browser.by_role("region", "Span details").await;
    assert!(details.text().await.unwrap().contains("Read from\nOTLP"), "{}", details.text().await.unwrap());

    let group = browser.by_role("region", "Links").await;
    let text = group.text().await.unwrap();
    assert!(text.contains("CHILD_OF") && text.contains("FOLLOWS_FROM"), "{text}");
    let table = browser.by_role("table", "Link attributes").await;
    let rows = table.text().await.unwrap();
    assert!(rows.contains(&format!("{int_key} int {int_value} Copy")), "{rows}");
    assert!(rows.contains(blob["value"]["bytesValue"].as_str().unwrap()), "bytes shown as base64: {rows}");
    assert!(rows.contains("bytes"), "{rows}");

    // The link opens the other trace from the server, at the span; this devserver has none of it.
    let link = browser.by_role("link", &format!("span {linked_span} of trace {linked_trace}")).await;
    link.click().await.unwrap();
    browser
        .wait_for("the linked trace's URL", || async {
            (browser.path_and_query().await == format!("/zipkin/traces/{linked_trace}?span={linked_span}"))
                .then_some(())
        })
        .await;
    browser.by_role("alert", "Trace not found").await;
    browser.close().await;
}

#[tokio::test]
async fn a_jaeger_file_shows_follows_from_as_a_link_that_selects_its_span_and_events_with_attributes() {
    let trace = fixture_json("jaeger/jaeger-ui-json-all-types.json");
    let spans = trace["spans"].as_array().unwrap();
    let service_of = |span: &Value| {
        trace["processes"][span["processID"].as_str().unwrap()]["serviceName"].as_str().unwrap().to_string()
    };
    let linking = spans
        .iter()
        .find(|s| s["references"].as_array().unwrap().iter().any(|r| r["refType"] == "FOLLOWS_FROM"))
        .unwrap();
    let target_id = linking["references"].as_array().unwrap().iter().find(|r| r["refType"] == "FOLLOWS_FROM").unwrap()
        ["spanID"]
        .as_str()
        .unwrap();
    // The first span with that id is the row the link selects; it has the file's events.
    let target = spans.iter().find(|s| s["spanID"] == target_id).unwrap();
    let event = target["logs"][0]["fields"][0]["value"].as_str().unwrap();
    let unnamed = &target["logs"][1]["fields"][0];
    let linking_name = format!("{}: {}", service_of(linking), linking["operationName"].as_str().unwrap());
    let target_name = format!("{}: {}", service_of(target), target["operationName"].as_str().unwrap());

    let server = Devserver::start(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/")).await;
    open_file(&browser, &fixture("jaeger/jaeger-ui-json-all-types.json")).await;
    browser.by_role("row", &linking_name).await.click().await.unwrap();
    let details = browser.by_role("region", "Span details").await;
    assert!(details.text().await.unwrap().contains("Read from\nJaeger"));
    let warnings = browser.by_role("region", "Warnings").await.text().await.unwrap();
    assert!(warnings.contains(linking["warnings"][0].as_str().unwrap()), "{warnings}");
    let links = browser.by_role("region", "Links").await;
    assert!(links.text().await.unwrap().contains("FOLLOWS_FROM"));

    browser.by_role("link", &target_name).await.click().await.unwrap();
    browser
        .wait_for("the target selected", || async {
            browser.path_and_query().await.contains(&format!("span={target_id}")).then_some(())
        })
        .await;
    browser
        .wait_for("its details", || async {
            let heading = browser.try_by_role("heading", &target_name).await?;
            heading.text().await.ok()
        })
        .await;
    // It says who links to it, each a link back.
    let from = browser.by_role("region", "Linked from").await;
    // (Group headings are set in capitals.)
    let said = from.text().await.unwrap().to_lowercase();
    assert!(said.starts_with("linked from 1 span\n"), "{said}");
    assert_eq!(browser.name_of(&browser.by_role("link", &linking_name).await).await, linking_name);

    // Its events: the named one, and one whose only field is an attribute.
    let events = browser.by_role("region", "Events").await.text().await.unwrap();
    assert!(events.contains(event) && events.contains("(unnamed event)"), "{events}");
    let attributes = browser.by_role("table", "Event attributes").await.text().await.unwrap();
    let (key, value) = (unnamed["key"].as_str().unwrap(), unnamed["value"].as_str().unwrap());
    assert!(attributes.contains(key) && attributes.contains(value), "{attributes}");
    browser.close().await;
}

const STACK: &str = "java.lang.IllegalStateException: card declined\n\tat shop.Payments.charge(Payments.java:42)\n\tat shop.Checkout.post(Checkout.java:17)";

/// An OTLP JSON file made by hand: one failed span with an exception event.
fn exception_file() -> String {
    serde_json::json!({"resourceSpans": [{
        "resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "payments"}}]},
        "scopeSpans": [{"scope": {"name": "shop"}, "spans": [{
            "traceId": "5B8EFFF798038103D269B633813FC60C", "spanId": "EEE19B7EC3C1B174",
            "name": "charge card", "kind": 2,
            "startTimeUnixNano": "1709294400000000000", "endTimeUnixNano": "1709294400050000000",
            "status": {"code": 2, "message": "card declined"},
            "events": [{"timeUnixNano": "1709294400040000000", "name": "exception", "attributes": [
                {"key": "exception.type", "value": {"stringValue": "java.lang.IllegalStateException"}},
                {"key": "exception.message", "value": {"stringValue": "card declined"}},
                {"key": "exception.stacktrace", "value": {"stringValue": STACK}}
            ]}]
        }]}]
    }]})
    .to_string()
}

#[tokio::test]
async fn an_exception_is_shown_as_an_error_with_its_stack_trace() {
    let file = temp_file(".json", exception_file().as_bytes());
    let server = Devserver::start(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/")).await;
    open_file(&browser, file.path()).await;
    let row = browser.by_role("row", "payments: charge card").await;
    assert!(browser.name_of(&row).await.contains(", error"), "the error status marks the row");
    row.click().await.unwrap();
    let exception = browser.by_role("group", "Exception: java.lang.IllegalStateException: card declined").await;
    let shown = browser.eval("document.querySelector('pre[aria-label=\"Stack trace\"]').textContent").await;
    assert_eq!(shown.as_str(), Some(STACK), "the stack trace, line breaks and tabs kept");
    let status = browser.by_role("region", "Status").await.text().await.unwrap();
    assert!(status.contains("Error: card declined"), "{status}");
    assert!(exception.text().await.unwrap().contains("at shop.Payments.charge(Payments.java:42)"));
    browser.close().await;
}

#[tokio::test]
async fn a_file_dropped_on_any_page_opens_and_each_download_opens_as_the_same_trace() {
    let jsonl = std::fs::read_to_string(fixture("otlp/otlp-multi.jsonl")).unwrap();
    let server = Devserver::start(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/dependency")).await;
    browser.by_role("heading", "Dependencies").await;
    // A drop on the header, far from any drop target: the document takes it.
    browser
        .client
        .execute(
            "const dt = new DataTransfer();
             dt.items.add(new File([arguments[0]], 'collector.jsonl', {type: 'application/json'}));
             document.querySelector('header').dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
             return 1;",
            vec![Value::String(jsonl)],
        )
        .await
        .unwrap();
    wait_for_trace_viewer(&browser).await;
    let summary = browser.by_role("region", "Trace summary").await.text().await.unwrap();
    assert!(summary.contains("collector.jsonl (read as OTLP JSON Lines)"), "{summary}");
    let rows_before = row_names(&browser).await;
    assert_eq!(rows_before.len(), 4, "{rows_before:?}");

    // Capture what the download buttons save.
    browser
        .eval(
            "(() => { window.__downloads = []; const create = URL.createObjectURL;
               URL.createObjectURL = (b) => { b.text().then(t => window.__downloads.push(t)); return create(b); };
               return 1; })()",
        )
        .await;
    for (i, (format, read_as)) in
        [("Zipkin v2 JSON", "Zipkin JSON"), ("OTLP JSON", "OTLP JSON"), ("Jaeger JSON", "Jaeger JSON")]
            .into_iter()
            .enumerate()
    {
        browser.by_role("button", "Download").await.click().await.unwrap();
        browser.by_role("button", &format!("Download as {format}")).await.click().await.unwrap();
        let saved = browser
            .wait_for("the download", || async {
                browser.eval(&format!("window.__downloads[{i}] || null")).await.as_str().map(str::to_string)
            })
            .await;
        let file = temp_file(".json", saved.as_bytes());
        open_file(&browser, file.path()).await;
        let summary = browser.by_role("region", "Trace summary").await.text().await.unwrap();
        assert!(summary.contains(&format!("(read as {read_as})")), "{summary}");
        assert_eq!(row_names(&browser).await, rows_before, "{format}: the same rows");
    }
    browser.close().await;
}

/// Each row's name without its duration (Jaeger holds µs, OTLP ns: a duration may differ by 1 µs).
async fn row_names(browser: &Browser) -> Vec<String> {
    let mut names = Vec::new();
    for row in browser.all_by_role("row").await {
        let name = browser.name_of(&row).await;
        names.push(name.split(", ").next().unwrap_or_default().to_string());
    }
    names
}

#[tokio::test]
async fn bad_files_get_a_clear_message_and_the_page_stays_usable() {
    let otlp = std::fs::read(fixture("otlp/otlp-proto-example-trace.json")).unwrap();
    let truncated = temp_file(".json", &otlp[..otlp.len() / 2]);
    let empty = temp_file(".json", b"");
    let binary = temp_file(".pb", &[0x0a, 0x8c, 0x01, 0x12, 0x00, 0xff, 0x01, 0x02, 0x1f]);
    let wrong = temp_file(".json", br#"{"hello": "world"}"#);
    let server = Devserver::start(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/")).await;
    let expectations = [
        (&truncated, "Read as OTLP JSON, it broke at line "),
        (&empty, "empty"),
        (&binary, "binary"),
        (&wrong, "JSON of no trace format"),
    ];
    for (file, says) in expectations {
        browser.by_role("navigation", "Main").await;
        let input = browser.client.find(Locator::Css("input[type=file]")).await.unwrap();
        input.send_keys(file.path().to_str().unwrap()).await.unwrap();
        let name = file.path().file_name().unwrap().to_string_lossy().into_owned();
        let alert = browser
            .wait_for(&format!("the message about {name}"), || async {
                let alert = browser.try_by_role("alert", "The file could not be opened").await?;
                let text = alert.text().await.ok()?;
                text.contains(&name).then_some(text)
            })
            .await;
        assert!(alert.contains(says), "{alert}");
        assert!(alert.contains(&format!("{name} could not be opened")), "{alert}");
    }
    // Still usable: the header works, and a good file opens.
    browser.by_role("navigation", "Main").await;
    open_file(&browser, &fixture("otlp/otlp-proto-example-trace.json")).await;
    browser.close().await;
}
