//! Driving one page under measurement: navigations with the probe (probe.js) in place, waiting for what it
//! observed, timing interactions, and reading heap sizes — the Rust side of the probe.
use crate::cdp;
use fantoccini::elements::Element;
use serde_json::{json, Value};
use spanscope_e2e::Browser;
use std::future::Future;
use std::time::{Duration, Instant};

pub const PROBE: &str = include_str!("probe.js");

pub struct Page<'a> {
    pub browser: &'a Browser,
}

/// An interaction's time from its input event to the end of the frame that painted the DOM's last change.
#[derive(Debug)]
pub struct Interaction {
    /// None when the DOM did not change at all.
    pub ms: Option<f64>,
    /// To the end of the first frame after the input (what a keystroke that changes no DOM costs).
    pub next_frame_ms: Option<f64>,
    /// Frames that painted a change (more than one: the app finished its work over several frames).
    #[allow(dead_code)]
    pub changed_frames: u64,
}

/// Heap after a full GC, in bytes.
pub struct Heap {
    pub js: f64,
    pub wasm: f64,
}

impl<'a> Page<'a> {
    /// Installs the probe for every later navigation of this browser session.
    pub async fn install(browser: &'a Browser) -> Result<Page<'a>, String> {
        cdp::add_script(&browser.client, PROBE).await?;
        Ok(Page { browser })
    }

    /// A fresh navigation: through about:blank, so the document (and `performance.timeOrigin`) is new
    /// even when the URL is the same as before.
    pub async fn open(&self, url: &str) -> Result<(), String> {
        let client = &self.browser.client;
        client.goto("about:blank").await.map_err(|e| format!("navigate: {e}"))?;
        client.goto(url).await.map_err(|e| format!("navigate to {url}: {e}"))
    }

    /// Evaluates a JS expression (the probe is `__bench`) and answers its JSON value.
    pub async fn js(&self, expression: &str) -> Result<Value, String> {
        self.browser
            .client
            .execute(&format!("return ({expression});"), vec![])
            .await
            .map_err(|e| format!("script {expression:.60}: {e}"))
    }

    /// Waits until the probe has seen `name` painted; answers the time (ms since navigation start).
    pub async fn first_painted(&self, name: &str, timeout: Duration) -> Option<f64> {
        let started = Instant::now();
        let expression = format!("window.__bench && __bench.first.{name} && __bench.first.{name}.painted");
        while started.elapsed() < timeout {
            if let Ok(Value::Number(n)) = self.js(&expression).await {
                return n.as_f64();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        None
    }

    /// Times one interaction: arms the probe on `trigger` (an event type captured before the app sees it,
    /// or "now" when `act` is itself the JS that acts), performs `act`, then waits for the DOM to settle.
    pub async fn interaction<F, Fut>(&self, trigger: &str, act: F) -> Result<Interaction, String>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(), String>>,
    {
        self.js(&format!("__bench.arm({trigger:?})")).await?;
        act().await?;
        let r = self
            .browser
            .client
            .execute_async("__bench.result(arguments[arguments.length - 1])", vec![])
            .await
            .map_err(|e| format!("waiting for the interaction to settle: {e}"))?;
        if r["started"] != json!(true) {
            return Err(format!("the {trigger} event never reached the page"));
        }
        Ok(Interaction {
            ms: r["ms"].as_f64(),
            next_frame_ms: r["nextFrameMs"].as_f64(),
            changed_frames: r["changedFrames"].as_u64().unwrap_or(0),
        })
    }

    /// An interaction done by JS inside the page (scrolling), timed from the moment it is done.
    pub async fn scripted_interaction(&self, script: &str) -> Result<Interaction, String> {
        let r = self
            .browser
            .client
            .execute_async(
                &format!(
                    "const done = arguments[arguments.length - 1]; __bench.arm('now'); {script}; __bench.result(done);"
                ),
                vec![],
            )
            .await
            .map_err(|e| format!("scripted interaction: {e}"))?;
        Ok(Interaction {
            ms: r["ms"].as_f64(),
            next_frame_ms: r["nextFrameMs"].as_f64(),
            changed_frames: r["changedFrames"].as_u64().unwrap_or(0),
        })
    }

    /// Clicks an element as a person would (WebDriver's click: pointer moves there, presses, releases).
    pub async fn click(&self, element: &Element) -> Result<(), String> {
        element.clone().click().await.map(|_| ()).map_err(|e| format!("click: {e}"))
    }

    /// JS heap after a full garbage collection (V8 heap plus ArrayBuffer backing stores other than the wasm
    /// memory, which V8 may count there too) and the wasm linear memory.
    pub async fn heap(&self) -> Result<Heap, String> {
        let js = cdp::js_heap_after_gc(&self.browser.client).await?;
        let wasm = self.js("__bench.wasmBytes()").await?.as_f64().unwrap_or(0.0);
        eprintln!(
            "bench: heap: V8 {:.1} MB, array buffers {:.1} MB, wasm memory {:.1} MB",
            js.used / 1_048_576.0,
            js.backing_stores / 1_048_576.0,
            wasm / 1_048_576.0
        );
        let backing_besides_wasm = if js.backing_stores >= wasm { js.backing_stores - wasm } else { js.backing_stores };
        Ok(Heap { js: js.used + backing_besides_wasm, wasm })
    }

    /// The viewport rectangle of the first element matching a CSS selector: (x, y, width, height).
    pub async fn rect(&self, selector: &str) -> Option<(f64, f64, f64, f64)> {
        let r = self
            .js(&format!(
                "(() => {{ const e = document.querySelector({selector:?}); if (!e) return null; \
                 const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }})()"
            ))
            .await
            .ok()?;
        let a = r.as_array()?;
        Some((a[0].as_f64()?, a[1].as_f64()?, a[2].as_f64()?, a[3].as_f64()?))
    }
}
