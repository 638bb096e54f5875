//! The dependency page (issue 6): the 4,271-link fixture laid out and drawn after the response arrives, and the
//! cost of each frame while panning (drag) and zooming (wheel). The links come from the shared fixture, handed
//! to the app's `fetch` by the probe (the devserver computes links from traces and cannot hold a link list).
use crate::cdp;
use crate::measure::{Budget, Figure, Measure};
use crate::page::Page;
use crate::servers::GeneratedServer;
use std::time::Duration;

const GROUP: &str = "dependencies 4,271 links";
const DEPENDENCIES: &str = "/api/v2/dependencies";

pub async fn measure(page: &Page<'_>, server: &GeneratedServer, runs: usize) -> Vec<Measure> {
    let drawn = "response → graph drawn (painted)";
    let fixture = spanscope_e2e::fixture("dependencies/dependencies-large.json");
    let Ok(body) = std::fs::read_to_string(&fixture) else {
        return vec![Measure::new(
            GROUP,
            drawn,
            "ms",
            Figure::Missing(format!("n/a (no {})", fixture.display())),
            Budget::at_most(500.0),
        )];
    };
    let overrides = format!(
        "window.__benchOverrides = [{{ match: {}, body: {} }}];",
        serde_json::to_string(DEPENDENCIES).unwrap_or_default(),
        serde_json::to_string(&body).unwrap_or_default()
    );
    let client = &page.browser.client;
    let script = match cdp::add_script(client, &overrides).await {
        Ok(id) => id,
        Err(e) => {
            return vec![Measure::new(
                GROUP,
                drawn,
                "ms",
                Figure::Missing(format!("n/a ({e})")),
                Budget::at_most(500.0),
            )]
        }
    };
    let out = measure_with_links(page, server, runs).await;
    cdp::remove_script(client, &script).await;
    out
}

async fn measure_with_links(page: &Page<'_>, server: &GeneratedServer, runs: usize) -> Vec<Measure> {
    let url = server.ui("dependency");
    let timeout = Duration::from_secs(30);
    let drawn = "response → graph drawn (painted)";
    eprintln!("bench: dependencies: warm-up load");
    let _ = page.open(&url).await;
    if page.first_painted("dependencyDrawn", timeout).await.is_none() {
        let why = if page.js("__bench.served[\"/api/v2/dependencies\"] !== undefined").await
            == Ok(serde_json::Value::Bool(true))
        {
            "n/a (links served; no spanscope:dependency:drawn mark)"
        } else {
            "n/a (page not present)"
        };
        return vec![
            Measure::new(GROUP, drawn, "ms", Figure::Missing(why.into()), Budget::at_most(500.0)),
            Measure::new(GROUP, "pan: frame cost", "ms", Figure::Missing(why.into()), Budget::at_most(16.0)),
            Measure::new(GROUP, "zoom: frame cost", "ms", Figure::Missing(why.into()), Budget::at_most(16.0)),
        ];
    }
    let (mut after, mut nav, mut mark) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        eprintln!("bench: dependencies: load {}/{runs}", run + 1);
        if page.open(&url).await.is_err() {
            continue;
        }
        let Some(painted) = page.first_painted("dependencyDrawn", timeout).await else { continue };
        nav.push(painted);
        let served = page.js(&format!("__bench.served[{DEPENDENCIES:?}]")).await.ok().and_then(|v| v.as_f64());
        let marked = page
            .js("(performance.getEntriesByName('spanscope:dependency:drawn')[0] || {}).startTime")
            .await
            .ok()
            .and_then(|v| v.as_f64());
        if let Some(served) = served {
            after.push(painted - served);
            if let Some(m) = marked {
                mark.push(m - served);
            }
        }
    }
    let runs_or = |v: Vec<f64>| if v.is_empty() { Figure::Missing("n/a".into()) } else { Figure::Runs(v) };
    let mut out = vec![
        Measure::new(GROUP, drawn, "ms", runs_or(after), Budget::at_most(500.0))
            .note("issue 6; from the response handed to fetch to the frame after the app's drawn mark"),
        Measure::new(GROUP, "response → app's drawn mark", "ms", runs_or(mark), None),
        Measure::new(GROUP, "navigation → graph drawn", "ms", runs_or(nav), None),
    ];
    let (pan, zoom) = pan_and_zoom(page).await;
    out.push(
        Measure::new(GROUP, "pan: frame cost", "ms", pan, Budget::at_most(16.0))
            .note("issue 6; each frame that handled a drag move"),
    );
    out.push(
        Measure::new(GROUP, "zoom: frame cost", "ms", zoom, Budget::at_most(16.0))
            .note("issue 6; each frame that handled a wheel event"),
    );
    out
}

/// Drags across the largest canvas or svg in the page, then turns the wheel over it, with real input;
/// answers the cost of each frame that handled input.
async fn pan_and_zoom(page: &Page<'_>) -> (Figure, Figure) {
    let client = &page.browser.client;
    let found = page
        .js(
            "(() => { const all = [...document.querySelectorAll('main canvas, main svg')]; \
             const area = (e) => { const r = e.getBoundingClientRect(); return r.width * r.height; }; \
             const big = all.sort((a, b) => area(b) - area(a))[0]; if (!big) return null; \
             big.setAttribute('data-bench-graph', ''); big.scrollIntoView({ block: 'center' }); const r = big.getBoundingClientRect(); \
             return [r.x + r.width / 2, r.y + r.height / 2, r.width]; })()",
        )
        .await
        .ok()
        .and_then(|v| v.as_array().map(|a| a.iter().filter_map(|x| x.as_f64()).collect::<Vec<f64>>()));
    let Some([cx, cy, width]) = found.as_deref().map(|v| [v[0], v[1], v[2]]) else {
        let why = Figure::Missing("n/a (no graph canvas or svg)".into());
        return (why.clone(), why);
    };
    let frame_costs = |costs: serde_json::Value| {
        let v: Vec<f64> = costs.as_array().map(|a| a.iter().filter_map(|x| x.as_f64()).collect()).unwrap_or_default();
        if v.is_empty() {
            Figure::Missing("n/a (no frame handled the input)".into())
        } else {
            Figure::Runs(v)
        }
    };
    let fingerprint = || async { page.js("__bench.fingerprint()").await.unwrap_or_default() };
    let before_pan = fingerprint().await;
    eprintln!("bench: dependencies: pan");
    let _ = page.js("__bench.startFrames()").await;
    let step = (width / 4.0 / 40.0).max(2.0);
    // One way only: a drag that came back to its start would leave the same picture.
    let mut ok = cdp::mouse(client, "mouseMoved", cx, cy, 0).await.is_ok();
    ok &= cdp::mouse(client, "mousePressed", cx, cy, 1).await.is_ok();
    for i in 1..=40 {
        let dx = i as f64 * step;
        ok &= cdp::mouse(client, "mouseMoved", cx + dx, cy + dx / 2.0, 1).await.is_ok();
        tokio::time::sleep(Duration::from_millis(16)).await;
    }
    ok &= cdp::mouse(client, "mouseReleased", cx + 40.0 * step, cy + 20.0 * step, 0).await.is_ok();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut pan = frame_costs(page.js("__bench.stopFrames()").await.unwrap_or_default());
    let before_zoom = fingerprint().await;
    if before_zoom == before_pan {
        pan = Figure::Missing("n/a (dragging did not move the graph)".into());
    }
    eprintln!("bench: dependencies: zoom");
    let _ = page.js("__bench.startFrames()").await;
    let mut zoomed_in = None;
    for i in 0..30 {
        if i == 15 {
            zoomed_in = Some(fingerprint().await);
        }
        ok &= cdp::wheel(client, cx, cy, if i < 15 { -100.0 } else { 100.0 }).await.is_ok();
        tokio::time::sleep(Duration::from_millis(16)).await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let mut zoom = frame_costs(page.js("__bench.stopFrames()").await.unwrap_or_default());
    if zoomed_in.as_ref() == Some(&before_zoom) {
        zoom = Figure::Missing("n/a (the wheel did not zoom the graph)".into());
    }
    if !ok {
        let why = Figure::Missing("n/a (input could not be sent)".into());
        return (why.clone(), why);
    }
    (pan, zoom)
}
