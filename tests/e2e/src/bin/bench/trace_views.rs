//! Issue 21's views on the loaded 100,000-span trace, each as input event → frame painted: opening
//! the flame graph tab (its first draw), zooming it by a click on a box, opening the span table and
//! sorting it by a header click, and applying a span filter typed into the filter bar.
use crate::cdp;
use crate::measure::{Budget, Figure, Measure};
use crate::page::Page;

/// (name, budget in ms): the flame graph figures; the others are reported.
const VIEWS: [(&str, Option<f64>); 5] = [
    ("flame graph: open the tab (first draw)", Some(200.0)),
    ("flame graph: zoom (click a box)", Some(50.0)),
    ("span table: open the tab", None),
    ("span table: sort (header click)", None),
    ("span filter: apply (Enter)", None),
];

fn record(group: &str, (name, budget): (&str, Option<f64>), result: Result<Vec<f64>, String>) -> Measure {
    let figure = match result {
        Ok(v) if !v.is_empty() => Figure::Runs(v),
        Ok(_) => Figure::Missing("n/a (no runs)".into()),
        Err(why) => Figure::Missing(why),
    };
    Measure::new(group, name, "ms", figure, budget.and_then(Budget::at_most))
        .note("issue 21; input event → frame painted")
}

/// The rows when the page never got this far.
pub fn missing(group: &str, why: &str) -> Vec<Measure> {
    VIEWS.iter().map(|v| record(group, *v, Err(why.to_string()))).collect()
}

pub async fn measure(page: &Page<'_>, group: &str, runs: usize) -> Vec<Measure> {
    eprintln!("bench: trace 100k: flame graph, span table, span filter");
    let (open_flame, zoom) = flame_graph(page, runs).await;
    let (open_table, sort) = span_table(page, runs).await;
    let filter = span_filter(page, runs).await;
    [open_flame, zoom, open_table, sort, filter].into_iter().zip(VIEWS).map(|(r, v)| record(group, v, r)).collect()
}

async fn open_tab(page: &Page<'_>, name: &str) -> Result<f64, String> {
    let tab = page.browser.try_by_role("tab", name).await.ok_or(format!("n/a (no tab {name:?})"))?;
    let r = page.interaction("pointerdown", || page.click(&tab)).await?;
    r.ms.ok_or(format!("n/a (the {name} tab changed nothing)"))
}

async fn flame_graph(page: &Page<'_>, runs: usize) -> (Result<Vec<f64>, String>, Result<Vec<f64>, String>) {
    let mut opened = Vec::new();
    let mut zooms = Vec::new();
    for run in 0..runs {
        // Back to the waterfall first, so each run is a first draw (on the first run it is already open).
        let _ = open_tab(page, "Timeline").await;
        match open_tab(page, "Flame graph").await {
            Ok(ms) => opened.push(ms),
            Err(e) => return (Err(e), Err("n/a".into())),
        }
        let Some((x, y, w, _)) = page.rect(".flame-graph canvas").await else {
            return (Ok(opened), Err("n/a (no flame graph canvas)".into()));
        };
        // A box on the second level (20 px levels), a different place each run.
        let (px, py) = (x + w * (0.3 + 0.1 * run as f64), y + 30.0);
        let client = &page.browser.client;
        let _ = cdp::mouse(client, "mouseMoved", px, py, 0).await;
        let _ = cdp::mouse(client, "mousePressed", px, py, 1).await;
        match page.interaction("pointerup", || cdp::mouse(client, "mouseReleased", px, py, 0)).await {
            Ok(r) => zooms.extend(r.ms),
            Err(e) => return (Ok(opened), Err(format!("n/a ({e})"))),
        }
        if let Some(whole) = page.browser.try_by_role("button", "Whole trace").await {
            let _ = page.interaction("pointerdown", || page.click(&whole)).await;
        }
    }
    (Ok(opened), Ok(zooms))
}

async fn span_table(page: &Page<'_>, runs: usize) -> (Result<Vec<f64>, String>, Result<Vec<f64>, String>) {
    let _ = open_tab(page, "Timeline").await;
    let opened = open_tab(page, "Span table").await.map(|ms| vec![ms]);
    let mut sorts = Vec::new();
    for _ in 0..runs {
        let Some(header) = page.browser.try_by_role("button", "Duration").await else {
            return (opened, Err("n/a (no Duration column header)".into()));
        };
        match page.interaction("pointerdown", || page.click(&header)).await {
            Ok(r) => sorts.extend(r.ms),
            Err(e) => return (opened, Err(format!("n/a ({e})"))),
        }
    }
    let _ = open_tab(page, "Timeline").await;
    (opened, Ok(sorts))
}

async fn span_filter(page: &Page<'_>, runs: usize) -> Result<Vec<f64>, String> {
    let input = page.browser.try_by_role("textbox", "Add a span filter").await.ok_or("n/a (no span filter box)")?;
    let mut times = Vec::new();
    for run in 0..runs {
        let text = format!("service=service-{:02}\u{e007}", 1 + run);
        let r = page
            .interaction("keydown", || async { input.send_keys(&text).await.map_err(|e| format!("type: {e}")) })
            .await?;
        times.push(r.ms.ok_or("n/a (the filter changed nothing)")?);
        if let Some(remove) =
            page.browser.try_by_role("button", &format!("Remove filter service=service-{:02}", 1 + run)).await
        {
            let _ = page.interaction("pointerdown", || page.click(&remove)).await;
        }
    }
    Ok(times)
}
