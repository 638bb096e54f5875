//! The app shell as a person meets it: navigation, the trace-id box, the theme switch,
//! configuration problems and an unreachable backend, in headless Chromium against the devserver.
use spanscope_e2e::{Browser, Devserver};
use std::io::Write;

#[tokio::test]
async fn root_redirects_to_the_app_and_navigation_is_present() {
    let server = Devserver::start(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&format!("{}/", server.origin)).await;
    let nav = browser.by_role("navigation", "Main").await;
    assert!(browser.path_and_query().await.starts_with("/zipkin/"));
    let links = nav.text().await.unwrap();
    assert!(links.contains("Find a trace") && links.contains("Dependencies"), "nav: {links}");

    browser.by_role("link", "Dependencies").await.click().await.unwrap();
    browser.by_role("heading", "Dependencies").await;
    assert_eq!(browser.path_and_query().await, "/zipkin/dependency");

    // A deep link to an SPA route loads the app (the server falls back to index.html).
    browser.goto(&server.ui("/no/such/page")).await;
    browser.by_role("heading", "Page not found").await;
    browser.close().await;
}

#[tokio::test]
async fn trace_id_box_rejects_xyz_and_opens_a_valid_id() {
    let server = Devserver::start(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/")).await;
    let input = browser.by_role("textbox", "Trace ID").await;
    input.send_keys("xyz\n").await.unwrap();
    let alert = browser
        .wait_for("the trace-id message", || async {
            let box_ = browser.by_role("search", "Go to trace").await;
            let text = box_.text().await.ok()?;
            text.contains("hex digits").then_some(text)
        })
        .await;
    assert!(alert.contains("only hex digits"), "{alert}");
    assert_eq!(browser.path_and_query().await, "/zipkin/");

    input.clear().await.unwrap();
    input.send_keys("  A03EE8FFF1DCD9B9\n").await.unwrap();
    browser
        .wait_for("the trace route", || async {
            (browser.path_and_query().await == "/zipkin/traces/a03ee8fff1dcd9b9").then_some(())
        })
        .await;
    browser.close().await;
}

#[tokio::test]
async fn theme_switch_changes_the_page_colours_and_is_remembered() {
    let server = Devserver::start(&[]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/")).await;
    let theme = browser.by_role("combobox", "Theme").await;
    let background = || async { browser.eval("getComputedStyle(document.body).backgroundColor").await };

    theme.select_by_value("light").await.unwrap();
    browser.wait_for("light", || async { (background().await == "rgb(255, 255, 255)").then_some(()) }).await;
    theme.select_by_value("dark").await.unwrap();
    browser.wait_for("dark", || async { (background().await != "rgb(255, 255, 255)").then_some(()) }).await;
    let dark = background().await;

    browser.client.refresh().await.unwrap();
    browser.by_role("combobox", "Theme").await;
    browser.wait_for("dark after reload", || async { (background().await == dark).then_some(()) }).await;
    browser.close().await;
}

#[tokio::test]
async fn a_malformed_config_names_the_bad_key_and_the_app_carries_on() {
    let mut config = tempfile::NamedTempFile::new().unwrap();
    write!(config, r#"{{"queryLimit": "ten", "environment": "staging"}}"#).unwrap();
    let path = config.path().to_str().unwrap().to_string();
    let server = Devserver::start(&["--config", &path]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/")).await;
    let problems = browser.by_role("alert", "Configuration problems").await;
    let text = problems.text().await.unwrap();
    assert!(text.contains("\"queryLimit\""), "{text}");
    // The rest of the file still applies, and the page works.
    browser.wait_for_text("staging").await;
    browser.by_role("navigation", "Main").await;

    let mut broken = tempfile::NamedTempFile::new().unwrap();
    write!(broken, "{{ not json").unwrap();
    let path = broken.path().to_str().unwrap().to_string();
    let server = Devserver::start(&["--config", &path]).await;
    browser.goto(&server.ui("/")).await;
    let problems = browser.by_role("alert", "Configuration problems").await;
    assert!(problems.text().await.unwrap().contains("not valid JSON"));
    browser.close().await;
}

#[tokio::test]
async fn an_unreachable_backend_gets_a_specific_message() {
    let mut config = tempfile::NamedTempFile::new().unwrap();
    // Nothing listens on port 9 (discard) on this machine.
    write!(config, r#"{{"apiBaseUrl": "http://127.0.0.1:9"}}"#).unwrap();
    let path = config.path().to_str().unwrap().to_string();
    let server = Devserver::start(&["--config", &path]).await;
    let browser = Browser::start().await;
    browser.goto(&server.ui("/")).await;
    let alert = browser.by_role("alert", "Zipkin API unreachable").await;
    let text = alert.text().await.unwrap();
    assert!(text.contains("http://127.0.0.1:9/api/v2/services"), "{text}");
    assert!(text.contains("CORS"), "a cross-origin failure mentions CORS: {text}");
    browser.by_role("button", "Retry").await;
    browser.close().await;
}
