#![cfg(not(target_arch = "wasm32"))]
//! The search list and the trace page agree (issue 17): a result's duration, error count, span
//! count and services, read by the fast answer scanner (`search_results::summarize_answer`), equal
//! the trace page's figures for the same trace after the full pipeline (decode, clean, link,
//! correct clock skew, lay out rows: `TraceModel::build`), on generated answers and on every
//! shared fixture.
use proptest::prelude::*;
use serde_json::{json, Value};
use spanscope_domain::decode::{decode_file, decode_traces};
use spanscope_domain::search_results::summarize_answer;
use spanscope_domain::span::{Annotation, Endpoint, Kind, Span};
use spanscope_domain::summary::{summarize, summarize_model, TraceSummary};
use spanscope_domain::trace_model::TraceModel;
use spanscope_domain::waterfall_view::error_rows;

/// The figures both pages show of one trace.
#[derive(Debug, PartialEq)]
struct Figures {
    trace_id: String,
    duration: u64,
    errors: usize,
    spans: usize,
    /// Services the cleaned spans name, locally or remotely, counted, by name.
    services: Vec<(String, u32)>,
}

/// What the trace page shows: its header's duration (skew correction on, the default), its error
/// rows (what "Errors" counts and the error stepper walks), its span count and services.
fn page(model: &TraceModel) -> Figures {
    let mut services: Vec<(String, u32)> = Vec::new();
    for span in model.spans() {
        for name in [span.local_service(), span.remote_service()].into_iter().flatten() {
            match services.iter_mut().find(|(n, _)| n == name) {
                Some((_, c)) => *c += 1,
                None => services.push((name.to_owned(), 1)),
            }
        }
    }
    services.sort();
    // The header's service count is of these names.
    let named: Vec<&String> = services.iter().map(|(n, _)| n).collect();
    assert_eq!(named, model.services().iter().collect::<Vec<_>>());
    Figures {
        trace_id: model.trace_id().to_owned(),
        duration: model.duration(true),
        errors: error_rows(model).len(),
        spans: model.spans().len(),
        services,
    }
}

fn listed(s: &TraceSummary) -> Figures {
    let mut services: Vec<(String, u32)> = s.services.iter().map(|x| (x.name.clone(), x.span_count)).collect();
    services.sort();
    Figures {
        trace_id: s.trace_id.clone(),
        duration: s.duration,
        errors: s.error_count as usize,
        spans: s.span_count as usize,
        services,
    }
}

/// Asserts that every trace of `answer` lists as its page shows it, read from the answer and
/// from decoded spans alike.
fn assert_agree(answer: &[u8]) {
    let fast = summarize_answer(answer).expect("the answer reads");
    let traces = decode_traces(answer).expect("the answer decodes");
    assert_eq!(fast.len(), traces.len());
    for (summary, trace) in fast.iter().zip(traces) {
        assert_eq!(*summary, summarize(&trace));
        let model = TraceModel::build(trace);
        assert_eq!(*summary, summarize_model(&model));
        assert_eq!(listed(summary), page(&model));
        assert_eq!(summary.start, model.bounds(true).0);
        assert_eq!(summary.depth, model.depth());
        assert_eq!(summary.root_service, model.row_service_name(0));
        assert_eq!(summary.root_name, model.row_name(0));
    }
}

fn fixture(name: &str) -> Vec<u8> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/zipkin");
    std::fs::read(dir.join(name)).expect("fixture")
}

#[test]
fn every_fixture_lists_as_its_trace_page_shows_it() {
    for name in ["yelp.json", "skew.json", "messaging-kafka.json", "smartthings-mobile-web-install.json"] {
        let traces = decode_file(&fixture(name)).expect("decodes");
        assert_agree(&serde_json::to_vec(&traces).unwrap());
    }
}

/// skew.json listed at 161.7 ms (its raw spans) and opened at 99.4 ms (corrected).
#[test]
fn the_skewed_fixture_lists_at_its_corrected_duration() {
    let traces = decode_file(&fixture("skew.json")).unwrap();
    let answer = serde_json::to_vec(&traces).unwrap();
    let listed = summarize_answer(&answer).unwrap();
    let model = TraceModel::build(traces.into_iter().next().unwrap());
    assert_eq!(listed[0].duration, model.duration(true));
    assert_eq!(listed[0].duration / 100, 994, "99.4 ms");
    assert_eq!(model.duration(false) / 100, 1_617, "161.7 ms before correction");
}

/// A small trace where every figure differs between raw spans and the page: a client and its
/// shared server on another host whose clock is 50 µs behind (the page moves the server), both
/// failed (one row), plus a late piece of the server (no kind, no timestamp: merged into it).
#[test]
fn a_skewed_failed_call_lists_as_one_failed_row_at_the_corrected_duration() {
    let answer = br#"[[
      {"traceId":"1","id":"1","kind":"SERVER","timestamp":100,"duration":100,"localEndpoint":{"serviceName":"web","ipv4":"10.0.0.1"}},
      {"traceId":"1","id":"2","parentId":"1","kind":"CLIENT","timestamp":110,"duration":80,"localEndpoint":{"serviceName":"web","ipv4":"10.0.0.1"},"tags":{"error":"boom"}},
      {"traceId":"1","id":"2","parentId":"1","kind":"SERVER","shared":true,"timestamp":70,"duration":60,"localEndpoint":{"serviceName":"db","ipv4":"10.0.0.2"},"tags":{"error":""}},
      {"traceId":"1","id":"2","parentId":"1","name":"query","localEndpoint":{"serviceName":"db","ipv4":"10.0.0.2"}}
    ]]"#;
    let s = summarize_answer(answer).unwrap().remove(0);
    // Raw: 70..200 = 130 µs. Corrected: the server moves to 120 (latency (80 − 60) / 2 = 10 after
    // the client's 110), so 100..200.
    assert_eq!(s.duration, 100);
    assert_eq!(s.error_count, 1);
    assert_eq!(s.span_count, 3);
    let services: Vec<(&str, u32)> = s.services.iter().map(|x| (x.name.as_str(), x.span_count)).collect();
    assert_eq!(services, [("web", 2), ("db", 1)], "no span names a remote service");
    assert_agree(answer);
}

/// Spans from small pools so fragments, shared pairs, pieces, missing parents, cycles and
/// clock skew all occur; ids sometimes short or upper-case (cleaning pads and lower-cases them).
fn arb_span() -> impl Strategy<Value = Span> {
    (
        (0u8..12, proptest::option::of(0u8..12), 0u8..3),
        proptest::option::of(prop_oneof![
            Just(Kind::Client),
            Just(Kind::Server),
            Just(Kind::Producer),
            Just(Kind::Consumer)
        ]),
        (proptest::option::of(0u64..400), proptest::option::of(0u64..200)),
        (proptest::option::of((0u8..4, 0u8..3, proptest::option::of(0u16..3))), proptest::option::of(0u8..4)),
        (any::<bool>(), 0u8..4, proptest::option::of(0u8..4)),
    )
        .prop_map(|((id, parent, id_style), kind, (ts, dur), (local, remote), (shared, err, name))| {
            let write = |n: u8| match id_style {
                0 => format!("{n:016x}"),
                1 => format!("{n:x}"),
                _ => format!("{n:X}"),
            };
            Span {
                trace_id: "00000000000000ab".into(),
                id: write(id),
                parent_id: parent.map(write),
                name: name.map(|n| ["get", "post", "unknown", ""][n as usize].to_owned()),
                kind,
                timestamp: ts.map(|t| if t == 0 { 0 } else { t + 1_000_000 }),
                duration: dur,
                local_endpoint: local.map(|(s, ip, port)| Endpoint {
                    service_name: Some(format!("svc{s}")),
                    ipv4: Some(format!("10.0.0.{ip}")),
                    port: port.map(|p| 8000 + p),
                    ..Endpoint::default()
                }),
                remote_endpoint: remote
                    .map(|r| Endpoint { service_name: Some(format!("svc{r}")), ..Endpoint::default() }),
                annotations: if err == 1 {
                    vec![Annotation { timestamp: 1_000_050, value: "error".into() }]
                } else {
                    vec![Annotation { timestamp: 1_000_010, value: "ws".into() }]
                },
                tags: match err {
                    2 => [("error".to_string(), String::new())].into(),
                    3 => [("http.path".to_string(), "/x".to_string())].into(),
                    _ => Default::default(),
                },
                shared: shared.then_some(true),
                ..Span::default()
            }
        })
}

/// A span written as clients write them: sometimes with a lower-case kind, explicit nulls,
/// `"shared": false`, an `error` tag whose value is `null` (no tag, for the decoder), an
/// out-of-range port or an unknown field.
fn quirky_json(span: &Span, quirks: u8) -> Value {
    let mut v = serde_json::to_value(span).unwrap();
    let o = v.as_object_mut().unwrap();
    if quirks & 1 != 0 {
        if let Some(k) = o.get("kind").and_then(Value::as_str).map(str::to_lowercase) {
            o.insert("kind".into(), Value::String(k));
        }
    }
    if quirks & 2 != 0 {
        o.entry("parentId").or_insert(Value::Null);
        o.entry("remoteEndpoint").or_insert(Value::Null);
        o.entry("shared").or_insert(json!(false));
    }
    if quirks & 4 != 0 {
        let tags = o.entry("tags").or_insert(json!({}));
        if let Some(t) = tags.as_object_mut() {
            t.entry("error").or_insert(Value::Null);
        }
    }
    if quirks & 8 != 0 {
        if let Some(ep) = o.get_mut("localEndpoint").and_then(Value::as_object_mut) {
            ep.insert("port".into(), json!(70_000));
        }
    }
    if quirks & 16 != 0 {
        o.insert("debug".into(), json!(false));
        o.insert("extra".into(), json!({"a": [1, -2.5e3, {"b": null}], "c": "}]"}));
    }
    v
}

/// An ordinary trace, the kind the summary reads without building a model: canonical ids, a
/// root, each span below an earlier one, some calls as a client with its shared server (on
/// another host, sometimes starting before the client: clock skew), errors on either half.
fn arb_ordinary_trace() -> impl Strategy<Value = Vec<Span>> {
    proptest::collection::vec(
        (any::<prop::sample::Index>(), 0u8..4, 0u64..300, 1u64..200, 0u8..6, 0u8..4, any::<bool>()),
        0..16,
    )
    .prop_map(|calls| {
        let ep = |s: u8| {
            Some(Endpoint {
                service_name: Some(format!("svc{s}")),
                ipv4: Some(format!("10.0.1.{s}")),
                ..Endpoint::default()
            })
        };
        let error = |e: u8| if e == 1 { [("error".to_string(), String::new())].into() } else { Default::default() };
        let mut spans = vec![Span {
            trace_id: "00000000000000cd".into(),
            id: format!("{:016x}", 1),
            name: Some("get /".into()),
            kind: Some(Kind::Server),
            timestamp: Some(1_000_000),
            duration: Some(1_000),
            local_endpoint: ep(0),
            ..Span::default()
        }];
        for (k, (parent, service, at, dur, shape, err, name)) in calls.into_iter().enumerate() {
            let parent = spans[parent.index(spans.len())].clone();
            let id = format!("{:016x}", k + 2);
            let ts = parent.timestamp.unwrap_or(1_000_000) + at;
            let local = parent.local_endpoint.clone();
            let base = Span {
                trace_id: "00000000000000cd".into(),
                id: id.clone(),
                parent_id: Some(parent.id.clone()),
                name: name.then(|| format!("op{service}")),
                timestamp: Some(ts),
                duration: Some(dur),
                local_endpoint: local,
                tags: error(err),
                ..Span::default()
            };
            match shape {
                // A local span.
                0 | 1 => spans.push(base),
                // A leaf client without a server (an uninstrumented callee).
                2 => spans.push(Span { kind: Some(Kind::Client), remote_endpoint: ep(service), ..base }),
                // A client and its shared server, on time or skewed (the server's clock behind).
                _ => {
                    let skew = if shape == 5 { 150 } else { 0 };
                    spans.push(Span { kind: Some(Kind::Client), ..base.clone() });
                    spans.push(Span {
                        kind: Some(Kind::Server),
                        shared: Some(true),
                        timestamp: Some((ts + 1).saturating_sub(skew)),
                        duration: Some(dur.saturating_sub(2).max(1)),
                        local_endpoint: ep(service),
                        tags: error(err / 2),
                        ..base
                    });
                }
            }
        }
        spans
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn the_fast_summaries_agree_with_the_trace_pages(
        traces in proptest::collection::vec(proptest::collection::vec((arb_span(), 0u8..32), 0..24), 1..4),
    ) {
        let answer: Vec<Vec<Value>> =
            traces.iter().map(|t| t.iter().map(|(s, q)| quirky_json(s, *q)).collect()).collect();
        assert_agree(&serde_json::to_vec(&answer).unwrap());
    }

    #[test]
    fn ordinary_traces_list_as_their_trace_pages(traces in proptest::collection::vec(arb_ordinary_trace(), 1..4)) {
        assert_agree(&serde_json::to_vec(&traces).unwrap());
    }
}
