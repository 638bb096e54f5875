//! Chrome DevTools Protocol commands sent through ChromeDriver's `goog/cdp/execute` endpoint, so the benchmark
//! observes the browser from outside the app (heap sizes, garbage collection, real input, scripts that run
//! before the app's own) over the same WebDriver session the e2e harness opens.
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
use serde_json::{json, Value};

#[derive(Debug)]
struct CdpCommand {
    method: String,
    params: Value,
}

impl WebDriverCompatibleCommand for CdpCommand {
    fn endpoint(&self, base_url: &url::Url, session_id: Option<&str>) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!("session/{}/goog/cdp/execute", session_id.unwrap_or_default()))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({ "cmd": self.method, "params": self.params }).to_string()))
    }
}

/// Sends one CDP command and answers its result object.
pub async fn cdp(client: &Client, method: &str, params: Value) -> Result<Value, String> {
    client.issue_cmd(CdpCommand { method: method.to_string(), params }).await.map_err(|e| format!("CDP {method}: {e}"))
}

/// Registers a script that runs before any of the page's own scripts on every later navigation;
/// answers its identifier (for `remove_script`).
pub async fn add_script(client: &Client, source: &str) -> Result<String, String> {
    let r = cdp(client, "Page.addScriptToEvaluateOnNewDocument", json!({ "source": source })).await?;
    Ok(r["identifier"].as_str().unwrap_or_default().to_string())
}

pub async fn remove_script(client: &Client, identifier: &str) {
    let _ = cdp(client, "Page.removeScriptToEvaluateOnNewDocument", json!({ "identifier": identifier })).await;
}

/// JS heap in use after a full garbage collection, in bytes: V8's own heap plus the ArrayBuffer backing
/// stores it reports separately (where the response bytes live), so nothing the app keeps escapes the count.
pub struct JsHeap {
    pub used: f64,
    pub backing_stores: f64,
}

pub async fn js_heap_after_gc(client: &Client) -> Result<JsHeap, String> {
    cdp(client, "HeapProfiler.collectGarbage", json!({})).await?;
    let usage = cdp(client, "Runtime.getHeapUsage", json!({})).await?;
    Ok(JsHeap {
        used: usage["usedSize"].as_f64().unwrap_or(f64::NAN),
        backing_stores: usage["backingStorageSize"].as_f64().unwrap_or(0.0),
    })
}

/// The browser's product string, e.g. `Chrome/156.0.8078.79` (headless reports `HeadlessChrome`).
pub async fn browser_version(client: &Client) -> String {
    match cdp(client, "Browser.getVersion", json!({})).await {
        Ok(v) => v["product"].as_str().unwrap_or("unknown").to_string(),
        Err(e) => format!("unknown ({e})"),
    }
}

/// A real (trusted) mouse event at viewport coordinates, as the input pipeline delivers a person's mouse.
pub async fn mouse(client: &Client, kind: &str, x: f64, y: f64, buttons: u32) -> Result<(), String> {
    let button = if kind == "mouseMoved" && buttons == 0 { "none" } else { "left" };
    cdp(
        client,
        "Input.dispatchMouseEvent",
        json!({ "type": kind, "x": x, "y": y, "button": button, "buttons": buttons, "clickCount": 1 }),
    )
    .await
    .map(|_| ())
}

/// A real mouse-wheel event at viewport coordinates.
pub async fn wheel(client: &Client, x: f64, y: f64, delta_y: f64) -> Result<(), String> {
    cdp(
        client,
        "Input.dispatchMouseEvent",
        json!({ "type": "mouseWheel", "x": x, "y": y, "deltaX": 0, "deltaY": delta_y }),
    )
    .await
    .map(|_| ())
}
