//! The generator's promises: exact sizes, determinism, a sound tree, and the realism the UI relies on
//! (shared pairs, errors, skew, messaging, tags).
use spanscope_domain::span::{Kind, Span};
use spanscope_tracegen::{generate_trace, generate_traces, TraceSet, TraceShape, Traffic, CLOCK_SKEW_MICROS};
use std::collections::{HashMap, HashSet};

fn shape(spans: usize, seed: u64) -> TraceShape {
    TraceShape { spans, seed, ..TraceShape::default() }
}

#[test]
fn sizes_are_exact_and_seeds_repeat() {
    for n in [1, 2, 3, 50, 1_000, 10_000] {
        assert_eq!(generate_trace(&shape(n, 3)).len(), n, "{n}");
    }
    assert_eq!(generate_trace(&shape(500, 9)), generate_trace(&shape(500, 9)));
    assert_ne!(generate_trace(&shape(500, 9)), generate_trace(&shape(500, 10)));
}

#[test]
fn a_hundred_thousand_spans_are_quick_and_sound() {
    let started = std::time::Instant::now();
    let spans = generate_trace(&shape(100_000, 1));
    assert_eq!(spans.len(), 100_000);
    assert!(started.elapsed().as_secs() < 20);
    assert_tree(&spans);
}

/// One trace id, one root, parents present and before children, shared servers next to their clients.
fn assert_tree(spans: &[Span]) {
    let trace_id = &spans[0].trace_id;
    assert!(spans.iter().all(|s| &s.trace_id == trace_id));
    assert_eq!(spans.iter().filter(|s| s.parent_id.is_none()).count(), 1);
    let mut seen = HashSet::new();
    for s in spans {
        if let Some(p) = &s.parent_id {
            assert!(seen.contains(p), "parent {p} of {} comes first", s.id);
        }
        if s.shared == Some(true) {
            assert_eq!(s.kind, Some(Kind::Server));
            assert!(seen.contains(&s.id), "the client half precedes its shared server");
        }
        seen.insert(s.id.clone());
        assert!(s.timestamp.unwrap() > 0 && s.duration.unwrap() > 0);
    }
}

#[test]
fn depth_is_bounded_and_deepen_makes_chains() {
    let depth_of = |spans: &[Span]| {
        let mut depth: HashMap<&str, usize> = HashMap::new();
        let mut max = 0;
        for s in spans {
            let d = s.parent_id.as_deref().map_or(1, |p| depth[p] + 1) + usize::from(s.shared == Some(true));
            depth.entry(&s.id).or_insert(d);
            max = max.max(d);
        }
        max
    };
    let bushy = generate_trace(&TraceShape { spans: 2_000, max_depth: 6, ..TraceShape::default() });
    assert!(depth_of(&bushy) <= 6, "{}", depth_of(&bushy));
    let chain = generate_trace(&TraceShape { spans: 3_000, max_depth: 10_000, deepen: 1.0, ..TraceShape::default() });
    assert_eq!(chain.len(), 3_000);
    assert!(depth_of(&chain) > 500, "{}", depth_of(&chain));
}

#[test]
fn traces_look_like_production() {
    let spans = generate_trace(&shape(10_000, 5));
    assert_tree(&spans);
    let services: HashSet<&str> = spans.iter().filter_map(|s| s.local_service()).collect();
    assert!(services.len() >= 12, "{services:?}");
    let remotes: HashSet<&str> = spans.iter().filter_map(|s| s.remote_service()).collect();
    for r in ["postgres", "redis", "kafka"] {
        assert!(remotes.contains(r), "{r}");
    }
    for kind in [Kind::Client, Kind::Server, Kind::Producer, Kind::Consumer] {
        assert!(spans.iter().any(|s| s.kind == Some(kind)), "{kind:?}");
    }
    for tag in ["http.method", "http.status_code", "sql.query", "kafka.topic", "error"] {
        assert!(spans.iter().any(|s| s.tags.contains_key(tag)), "{tag}");
    }
    assert!(spans.iter().any(|s| !s.annotations.is_empty()));
    // The skewed host: a server span that starts before its client, on a different IP.
    let by_id: HashMap<(&str, bool), &Span> =
        spans.iter().map(|s| ((s.id.as_str(), s.shared == Some(true)), s)).collect();
    let skewed = spans.iter().filter(|s| s.shared == Some(true)).any(|server| {
        let client = by_id[&(server.id.as_str(), false)];
        server.timestamp < client.timestamp
            && server.local_endpoint.as_ref().unwrap().ipv4 != client.local_endpoint.as_ref().unwrap().ipv4
            && client.timestamp.unwrap() - server.timestamp.unwrap() < CLOCK_SKEW_MICROS
    });
    assert!(skewed);
}

#[test]
fn search_sets_have_about_the_asked_size_and_some_errors() {
    let traces = generate_traces(&TraceSet { traces: 1_000, ..TraceSet::default() });
    assert_eq!(traces.len(), 1_000);
    let mean = traces.iter().map(Vec::len).sum::<usize>() / traces.len();
    assert!((45..=55).contains(&mean), "{mean}");
    let with_errors = traces.iter().filter(|t| t.iter().any(|s| s.tags.contains_key("error"))).count();
    assert!((10..=120).contains(&with_errors), "{with_errors} of 1000 traces have errors");
    let ids: HashSet<&str> = traces.iter().map(|t| t[0].trace_id.as_str()).collect();
    assert_eq!(ids.len(), 1_000);
    // Newest first, one second apart.
    assert!(traces[0][0].timestamp > traces[1][0].timestamp);
}

#[test]
fn demo_traffic_repeats_by_seed() {
    let mut a = Traffic::new(4, 14);
    let mut b = Traffic::new(4, 14);
    for i in 0..20 {
        assert_eq!(a.next_trace(1_700_000_000_000_000 + i), b.next_trace(1_700_000_000_000_000 + i));
    }
    assert_eq!(a.next_trace_of(1, 10_000).len(), 10_000);
}
