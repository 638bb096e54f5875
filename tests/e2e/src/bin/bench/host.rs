//! Figures of the host benchmarks that `make bench` runs before the browser: the domain's criterion benches
//! (issue 4; read from `target/criterion/*/*/new/sample.json`) and the devserver's own benchmark (issue 3;
//! `target/bench-devserver.json`). A benchmark that did not run this time shows as n/a, never as an old figure:
//! `make bench` removes both outputs first.
use crate::measure::{Budget, Figure, Judge, Measure};
use serde_json::Value;
use std::path::Path;

/// (criterion group/function, measure, budget ms) — the budgets of issue 4 first, then the other domain steps.
const DOMAIN: &[(&str, &str, Option<f64>)] = &[
    ("trace_100k/decode", "100k spans: decode", Some(250.0)),
    ("trace_100k/decode_otlp_json", "100k spans: read as OTLP JSON", None),
    ("trace_100k/decode_jaeger_json", "100k spans: read as Jaeger JSON", None),
    ("trace_100k/spans_to_visible_rows", "100k spans: decoded spans → visible rows", Some(100.0)),
    ("trace_100k/rows_after_collapse", "100k spans: rows after a collapse", Some(5.0)),
    ("search_1000x50/summaries", "1,000 summaries of 50-span traces", Some(20.0)),
    ("trace_100k/rows_all_expanded", "100k spans: rows, all expanded", None),
    ("trace_100k/critical_path", "100k spans: critical path", None),
    ("trace_100k/statistics", "100k spans: statistics", None),
    ("trace_100k/find", "100k spans: find", None),
    ("trace_100k/flame_graph_layout", "100k spans: flame graph layout (self times + boxes)", Some(200.0)),
    ("trace_100k/flame_graph_zoom", "100k spans: flame graph zoom (largest subtree)", Some(50.0)),
    ("trace_100k/flame_graph_merged", "100k spans: aggregated flame graph", Some(200.0)),
    ("trace_100k/table_sort_self_time", "100k spans: span table sort by self time", None),
    ("trace_100k/table_sort_name", "100k spans: span table sort by span name", None),
    ("trace_100k/filter_apply", "100k spans: 4 span filters applied", None),
    ("trace_100k/sibling_runs", "100k spans: repeated sibling runs", None),
    ("search_1000x50/dependency_links", "1,000 traces: dependency links", None),
    ("dependencies_4271/graph_layout", "4,271 links: graph layout", None),
];

pub fn domain(target: &Path) -> Vec<Measure> {
    let mut measures: Vec<Measure> = DOMAIN
        .iter()
        .map(|(id, name, budget)| {
            let figure = criterion_runs(&target.join("criterion").join(id).join("new/sample.json"))
                .map_or_else(|| Figure::Missing("n/a (criterion bench did not run)".into()), Figure::Runs);
            let budget = budget.and_then(Budget::at_most);
            Measure::new("host: domain", name, "ms", figure, budget)
                .note("issue 4; criterion samples (mean per iteration)")
        })
        .collect();
    measures.push(otlp_over_zipkin(&measures));
    measures
}

/// Issue 18's budget: the 100k-span trace as OTLP JSON reads within 1.5x of the same trace as Zipkin JSON
/// (ratio of the two medians).
fn otlp_over_zipkin(measures: &[Measure]) -> Measure {
    let median = |name: &str| measures.iter().find(|m| m.name == name).and_then(Measure::summary).map(|s| s.0);
    let figure = match (median("100k spans: read as OTLP JSON"), median("100k spans: decode")) {
        (Some(otlp), Some(zipkin)) if zipkin > 0.0 => Figure::Single(otlp / zipkin),
        _ => Figure::Missing("n/a (criterion bench did not run)".into()),
    };
    Measure::new("host: domain", "100k spans: OTLP JSON read ÷ Zipkin JSON decode", "×", figure, Budget::at_most(1.5))
        .note("issue 18; ratio of the two medians")
}

/// Criterion's samples as milliseconds per iteration.
fn criterion_runs(path: &Path) -> Option<Vec<f64>> {
    let sample: Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    let iters = sample["iters"].as_array()?;
    let times = sample["times"].as_array()?;
    let runs: Vec<f64> = iters.iter().zip(times).filter_map(|(i, t)| Some(t.as_f64()? / i.as_f64()? / 1e6)).collect();
    (!runs.is_empty()).then_some(runs)
}

/// The devserver benchmark's rows: `[{name, value, unit, budget: "<= 20" | ">= 100000" | "", pass}]`.
pub fn devserver(target: &Path) -> Vec<Measure> {
    let path = target.join("bench-devserver.json");
    let rows = std::fs::read(&path).ok().and_then(|b| serde_json::from_slice::<Vec<Value>>(&b).ok());
    let Some(rows) = rows else {
        return vec![Measure::new(
            "host: devserver",
            "ingest, /traces latency, RSS",
            "",
            Figure::Missing("n/a (devserver benchmark did not run)".into()),
            None,
        )];
    };
    rows.iter()
        .map(|row| {
            let name = row["name"].as_str().unwrap_or("?").trim_start_matches("devserver ");
            let unit = unit(row["unit"].as_str().unwrap_or(""));
            let figure = row["value"].as_f64().map_or(Figure::Missing("n/a".into()), Figure::Single);
            let budget = parse_budget(row["budget"].as_str().unwrap_or(""));
            Measure::new("host: devserver", name, unit, figure, budget)
                .note("issue 3; cargo bench -p spanscope-devserver")
        })
        .collect()
}

fn unit(u: &str) -> &'static str {
    match u {
        "ms" => "ms",
        "MB" => "MB",
        "spans/s" => "spans/s",
        _ => "",
    }
}

fn parse_budget(text: &str) -> Option<Budget> {
    let text = text.trim();
    let (judge, rest) = if let Some(r) = text.strip_prefix("<=") {
        (Judge::MedianAtMost, r)
    } else if let Some(r) = text.strip_prefix(">=") {
        (Judge::MedianAtLeast, r)
    } else {
        return None;
    };
    let value = rest.trim().replace([',', '_'], "").parse().ok()?;
    Some(Budget { value, judge })
}
