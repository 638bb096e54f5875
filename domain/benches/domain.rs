//! Host benchmarks of the domain pipeline against the budgets of issue 4 (a 100,000-span trace:
//! decode ≤ 250 ms, decoded spans → visible rows ≤ 100 ms, rows after a collapse ≤ 5 ms;
//! 1,000 summaries of 50-span traces ≤ 20 ms; issue 18: the same trace as OTLP JSON decodes within 1.5x of
//! Zipkin JSON; issue 21: the flame graph lays out 100,000 spans within 200 ms and zooms within
//! 50 ms; table sort and filter apply at 100,000 are reported). Run: `cargo bench --no-default-features`.
//! Traces come from a small deterministic builder below (same bytes every run).
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use spanscope_domain::critical_path::critical_path;
use spanscope_domain::decode::{decode_spans, read_file};
use spanscope_domain::dependency_links::{link_traces, DependencyLink};
use spanscope_domain::find::find_rows;
use spanscope_domain::flame_graph::{flame_layout, FlameMode, FlameOptions};
use spanscope_domain::graph_layout::{layout_graph, LayoutOptions};
use spanscope_domain::jaeger_json::encode_jaeger_json;
use spanscope_domain::otlp_json::encode_otlp_json;
use spanscope_domain::row_self_time::row_self_times;
use spanscope_domain::rows::{visible_rows, RowOptions};
use spanscope_domain::search_results::summarize_answer;
use spanscope_domain::sibling_runs::SiblingRuns;
use spanscope_domain::span::{Annotation, Endpoint, Kind, Span};
use spanscope_domain::span_filter::{apply_filters, SpanFilter};
use spanscope_domain::span_table::{sort_rows, Column};
use spanscope_domain::stats::trace_stats;
use spanscope_domain::summary::summarize;
use spanscope_domain::trace_model::TraceModel;
use std::collections::HashSet;
use std::hint::black_box;
use std::time::Duration;

/// A tiny deterministic generator (64-bit LCG).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn endpoint(service: u64, rng: &mut Lcg) -> Endpoint {
    Endpoint {
        service_name: Some(format!("service-{service:02}")),
        ipv4: Some(format!("10.{}.{}.{}", service, rng.below(250), rng.below(250))),
        port: Some(8000 + service as u16),
        ..Endpoint::default()
    }
}

/// A realistic trace of about `n` spans: RPCs as client + shared server pairs, local spans,
/// tags and annotations; shaped as a tree with fan-out and depth like real services.
fn trace(n: usize, seed: u64, trace_no: u64) -> Vec<Span> {
    let mut rng = Lcg(seed);
    let trace_id = format!("{:016x}{:016x}", seed, trace_no + 1);
    let mut spans: Vec<Span> = Vec::with_capacity(n);
    // (span id, service, start, duration) of spans that can have children
    let mut parents: Vec<(String, u64, u64, u64)> = Vec::new();
    let root_id = format!("{:016x}", trace_no * 1_000_000 + 1);
    let root_dur = 5_000_000;
    spans.push(Span {
        trace_id: trace_id.clone(),
        id: root_id.clone(),
        name: Some("get /api/root".into()),
        kind: Some(Kind::Server),
        timestamp: Some(1_700_000_000_000_000),
        duration: Some(root_dur),
        local_endpoint: Some(endpoint(0, &mut rng)),
        tags: [("http.method".to_string(), "GET".to_string()), ("http.path".to_string(), "/api/root".to_string())]
            .into(),
        ..Span::default()
    });
    parents.push((root_id, 0, 1_700_000_000_000_000, root_dur));
    let mut next_id = trace_no * 1_000_000 + 2;
    while spans.len() < n {
        // Prefer recent parents so the tree gets deep as well as wide.
        let k = parents.len() as u64;
        let pick = if rng.below(4) == 0 { rng.below(k) } else { k - 1 - rng.below(k.min(8)) };
        let (pid, psvc, pstart, pdur) = parents[pick as usize].clone();
        let id = format!("{next_id:016x}");
        next_id += 1;
        let start = pstart + rng.below(pdur / 2 + 1);
        let dur = (pdur / 3).max(2) - rng.below(pdur / 6 + 1).min(pdur / 3);
        let dur = dur.max(1);
        let tags = [
            ("http.method".to_string(), "POST".to_string()),
            ("http.path".to_string(), format!("/api/v1/items/{}", rng.below(10_000))),
            ("http.status_code".to_string(), if rng.below(50) == 0 { "500".into() } else { "200".into() }),
            ("component".to_string(), "spanscope-bench".to_string()),
        ];
        if rng.below(3) == 0 || spans.len() + 1 >= n {
            // A local span in the parent's service.
            spans.push(Span {
                trace_id: trace_id.clone(),
                id: id.clone(),
                parent_id: Some(pid),
                name: Some(format!("local-work-{}", rng.below(20))),
                timestamp: Some(start),
                duration: Some(dur),
                local_endpoint: Some(endpoint(psvc, &mut rng)),
                tags: tags.into_iter().take(2).collect(),
                ..Span::default()
            });
            parents.push((id, psvc, start, dur));
        } else {
            let callee = 1 + rng.below(40);
            let client = Span {
                trace_id: trace_id.clone(),
                id: id.clone(),
                parent_id: Some(pid.clone()),
                name: Some(format!("post /api/v1/op{}", rng.below(30))),
                kind: Some(Kind::Client),
                timestamp: Some(start),
                duration: Some(dur),
                local_endpoint: Some(endpoint(psvc, &mut rng)),
                remote_endpoint: Some(endpoint(callee, &mut rng)),
                annotations: vec![Annotation { timestamp: start + 1, value: "wire send".into() }],
                tags: tags.clone().into(),
                ..Span::default()
            };
            let server = Span {
                trace_id: trace_id.clone(),
                id: id.clone(),
                parent_id: Some(pid),
                name: client.name.clone(),
                kind: Some(Kind::Server),
                timestamp: Some(start + dur / 10),
                duration: Some(dur - dur / 5),
                local_endpoint: Some(endpoint(callee, &mut rng)),
                tags: tags.into(),
                shared: Some(true),
                ..Span::default()
            };
            spans.push(client);
            spans.push(server);
            parents.push((id, callee, start + dur / 10, dur - dur / 5));
        }
    }
    spans.truncate(n);
    spans
}

fn bench_big_trace(c: &mut Criterion) {
    let spans = trace(100_000, 42, 0);
    let json = serde_json::to_vec(&spans).expect("serialise");
    eprintln!("100k-span trace: {:.1} MB of JSON", json.len() as f64 / 1e6);
    let mut g = c.benchmark_group("trace_100k");
    g.sample_size(10).measurement_time(Duration::from_secs(8)).warm_up_time(Duration::from_secs(1));
    // Freeing 100,000 spans is not decoding (the page frees them only when it leaves the trace), so
    // the spans are dropped outside the timed part.
    g.bench_function("decode", |b| b.iter_with_large_drop(|| decode_spans(black_box(&json)).expect("decode")));
    // Issue 18: the same trace as OTLP JSON and as Jaeger JSON, read as a dropped file is (format from content,
    // then the format's decoder, then grouped by trace); OTLP's budget is 1.5x the Zipkin decode above.
    for (name, file) in
        [("decode_otlp_json", encode_otlp_json(&spans)), ("decode_jaeger_json", encode_jaeger_json(&spans))]
    {
        eprintln!("100k-span trace as {name}: {:.1} MB", file.len() as f64 / 1e6);
        g.bench_function(name, |b| b.iter_with_large_drop(|| read_file(black_box(file.as_bytes())).expect("reads")));
    }
    g.bench_function("spans_to_visible_rows", |b| {
        b.iter_batched(
            || spans.clone(),
            |s| {
                let model = TraceModel::build(s);
                let rows = visible_rows(&model, &RowOptions { skew: true, ..RowOptions::default() });
                (model, rows)
            },
            BatchSize::LargeInput,
        )
    });
    let model = TraceModel::build(spans.clone());
    // Collapse a row near the top (hides a large subtree) and one deep row.
    let big = (1..model.row_count()).max_by_key(|&r| model.subtree_end(r) - r).unwrap_or(0);
    let collapsed: HashSet<u32> = [big, model.row_count() / 2].into();
    g.bench_function("rows_after_collapse", |b| {
        b.iter(|| visible_rows(&model, &RowOptions { collapsed: Some(black_box(&collapsed)), ..RowOptions::default() }))
    });
    g.bench_function("rows_all_expanded", |b| b.iter(|| visible_rows(&model, &RowOptions::default())));
    g.bench_function("critical_path", |b| b.iter(|| critical_path(&model, true)));
    g.bench_function("statistics", |b| b.iter(|| trace_stats(&model, true)));
    g.bench_function("find", |b| b.iter(|| find_rows(&model, black_box("op17"))));
    bench_views(&mut g, &model, big);
    g.finish();
}

/// Issue 21's views on the 100k-span model. The first flame graph draw computes the rows' self
/// times and the layout; a zoom reuses the self times and lays out the subtree of the row with the
/// largest subtree below the root.
fn bench_views(g: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>, model: &TraceModel, big: u32) {
    let timeline = FlameOptions { mode: FlameMode::Timeline, focus: None, skew: true };
    g.bench_function("flame_graph_layout", |b| {
        b.iter(|| flame_layout(model, &row_self_times(model, true), black_box(&timeline)))
    });
    let selfs = row_self_times(model, true);
    let merged = FlameOptions { mode: FlameMode::Aggregated, ..timeline };
    g.bench_function("flame_graph_merged", |b| b.iter(|| flame_layout(model, &selfs, black_box(&merged))));
    let zoom = FlameOptions { focus: Some(big), ..timeline };
    g.bench_function("flame_graph_zoom", |b| b.iter(|| flame_layout(model, &selfs, black_box(&zoom))));
    let all: Vec<u32> = (0..model.row_count()).collect();
    for (name, column) in [("table_sort_self_time", Column::SelfTime), ("table_sort_name", Column::Name)] {
        g.bench_function(name, |b| {
            b.iter_batched(
                || all.clone(),
                |mut rows| {
                    sort_rows(model, &selfs, &mut rows, &column, true, true);
                    rows
                },
                BatchSize::LargeInput,
            )
        });
    }
    let filters: Vec<SpanFilter> = ["name~/op1[0-9]$/", "service~service-0", "duration>=10us", "http.status_code>=200"]
        .into_iter()
        .map(|f| SpanFilter::parse(f).expect("a valid filter"))
        .collect();
    eprintln!("filters match {}", apply_filters(model, &filters).count_label());
    g.bench_function("filter_apply", |b| b.iter(|| apply_filters(model, black_box(&filters))));
    g.bench_function("sibling_runs", |b| b.iter(|| SiblingRuns::new(model)));
}

fn bench_search_results(c: &mut Criterion) {
    let traces: Vec<Vec<Span>> = (0..1_000).map(|t| trace(50, 7 + t, t)).collect();
    let mut g = c.benchmark_group("search_1000x50");
    g.sample_size(20);
    g.bench_function("summaries", |b| b.iter(|| traces.iter().map(|t| summarize(t)).collect::<Vec<_>>()));
    // What the search page runs on a response: the answer's bytes to 1,000 summaries.
    let answer = serde_json::to_vec(&traces).expect("serialise");
    g.bench_function("answer_to_summaries", |b| b.iter(|| summarize_answer(black_box(&answer)).expect("reads")));
    g.bench_function("dependency_links", |b| b.iter(|| link_traces(traces.iter().map(Vec::as_slice))));
    g.finish();
}

fn bench_graph(c: &mut Criterion) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/dependencies/dependencies-large.json");
    let Ok(bytes) = std::fs::read(path) else { return };
    let links: Vec<DependencyLink> = serde_json::from_slice(&bytes).expect("links");
    let mut g = c.benchmark_group("dependencies_4271");
    g.sample_size(10);
    g.bench_function("graph_layout", |b| b.iter(|| layout_graph(black_box(&links), &LayoutOptions::default())));
    g.finish();
}

criterion_group!(benches, bench_big_trace, bench_search_results, bench_graph);
criterion_main!(benches);
