#![cfg(not(target_arch = "wasm32"))]
//! What the details panel and the waterfall read off OTLP and Jaeger spans: links resolved to rows
//! of this trace, of a trace opened with it, or of another trace, and the reverse "linked from";
//! events as bar marks and exceptions; typed values laid out and filtered; the panel's words.
//! Hand-made spans built with `otel_translate::zipkin_span`, as the decoders build them.
use spanscope_domain::attribute_view::{attribute_matches, filter_attributes, value_lines, value_text, MAX_LINES};
use spanscope_domain::detail_groups::{dropped_summary, kind_label, link_type_label, resource_order};
use spanscope_domain::otel_translate::zipkin_span;
use spanscope_domain::span::Span;
use spanscope_domain::span_detail::{AnyValue, Attribute, Event, Link, LinkType, SpanDetail, SpanKind};
use spanscope_domain::span_events::{bar_marks, exception_of, BarMark};
use spanscope_domain::span_links::{linked_from_text, LinkTarget, SpanLinks};
use spanscope_domain::trace_model::TraceModel;

const TRACE: &str = "0af7651916cd43dd8448eb211c80319c";
const OTHER: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const T0: u64 = 1_700_000_000_000_000_000;

fn attr(key: &str, value: AnyValue) -> Attribute {
    Attribute { key: key.into(), value }
}

fn text(s: &str) -> AnyValue {
    AnyValue::String(s.into())
}

fn link(trace: &str, span: &str) -> Link {
    Link { trace_id: trace.into(), span_id: span.into(), ..Link::default() }
}

/// A span of `TRACE` starting `start_ms` after T0, lasting 10 ms, with links and events.
fn otel_span(id: &str, parent: Option<&str>, name: &str, start_ms: u64, links: Vec<Link>, events: Vec<Event>) -> Span {
    let start = T0 + start_ms * 1_000_000;
    let detail = SpanDetail {
        kind: SpanKind::Internal,
        start_time_unix_nano: start,
        end_time_unix_nano: start + 10_000_000,
        links,
        events,
        resource: spanscope_domain::span_detail::Resource {
            attributes: vec![attr("service.name", text("batch"))],
            dropped_attributes_count: 0,
        },
        ..SpanDetail::default()
    };
    zipkin_span(TRACE.into(), id.into(), parent.map(Into::into), name.into(), detail)
}

/// A consumer (b1) that links to two producer spans of this trace (a1, a2; a1 twice), to a span of
/// another trace, and to a span of this trace that is not in it (ff).
fn batch_trace() -> TraceModel {
    let consumer_links = vec![
        link(TRACE, "00000000000000a1"),
        link(TRACE, "00000000000000a2"),
        link(TRACE, "00000000000000A1"),
        link(OTHER, "00f067aa0ba902b7"),
        link(TRACE, "00000000000000ff"),
    ];
    TraceModel::build(vec![
        otel_span("00000000000000a1", Some("00000000000000b0"), "produce 1", 1, vec![], vec![]),
        otel_span("00000000000000a2", Some("00000000000000b0"), "produce 2", 2, vec![], vec![]),
        otel_span("00000000000000b1", Some("00000000000000b0"), "consume batch", 5, consumer_links, vec![]),
        otel_span("00000000000000b0", None, "root", 0, vec![], vec![]),
    ])
}

fn row_named(model: &TraceModel, name: &str) -> u32 {
    (0..model.row_count()).find(|&r| model.row_name(r) == name).unwrap_or_else(|| panic!("no row {name}"))
}

fn span_named(model: &TraceModel, name: &str) -> u32 {
    model.spans().iter().position(|s| s.name.as_deref() == Some(name)).unwrap() as u32
}

#[test]
fn links_resolve_to_rows_of_this_trace_and_to_other_traces() {
    let model = batch_trace();
    let links = SpanLinks::resolve(&model, &[]);
    let consumer = span_named(&model, "consume batch");
    let (p1, p2) = (row_named(&model, "produce 1"), row_named(&model, "produce 2"));
    let targets: Vec<LinkTarget> = links.of_span(consumer).iter().map(|l| l.target.clone()).collect();
    assert_eq!(
        targets,
        vec![
            LinkTarget::Row(p1),
            LinkTarget::Row(p2),
            // Ids compare as the model keeps them: lower case.
            LinkTarget::Row(p1),
            LinkTarget::OtherTrace { trace_id: OTHER.into(), span_id: "00f067aa0ba902b7".into(), nearby: false },
            LinkTarget::Absent { span_id: "00000000000000ff".into() },
        ]
    );
    assert_eq!(links.of_span(consumer).iter().map(|l| l.link).collect::<Vec<_>>(), vec![0, 1, 2, 3, 4]);
    assert_eq!(links.count_of_row(&model, row_named(&model, "consume batch")), 5);
    assert_eq!(links.count_of_row(&model, p1), 0);

    // The reverse side: p1 is linked from one span (twice, counted once), p2 from one.
    let consumer_row = row_named(&model, "consume batch");
    let into_p1 = links.linking_to(p1);
    assert_eq!(into_p1.len(), 1);
    assert_eq!((into_p1[0].from_row, into_p1[0].from_span, into_p1[0].link), (consumer_row, consumer, 0));
    assert_eq!(links.linking_to(p2).iter().map(|l| l.link).collect::<Vec<_>>(), vec![1]);
    assert!(links.linking_to(consumer_row).is_empty());
    assert_eq!(linked_from_text(into_p1.len()), "linked from 1 span");
}

#[test]
fn a_trace_opened_with_this_one_is_nearby_and_a_trace_without_links_costs_nothing() {
    let model = batch_trace();
    // Another spelling of the other trace's id: upper case.
    let links = SpanLinks::resolve(&model, &[OTHER.to_uppercase()]);
    let consumer = span_named(&model, "consume batch");
    assert!(links.of_span(consumer).iter().any(|l| matches!(&l.target,
        LinkTarget::OtherTrace { trace_id, nearby: true, .. } if trace_id == OTHER)));

    let plain = TraceModel::build(vec![otel_span("00000000000000c1", None, "alone", 0, vec![], vec![])]);
    let none = SpanLinks::resolve(&plain, &[]);
    assert!(none.is_empty());
    assert!(none.of_span(0).is_empty() && none.linking_to(0).is_empty());
}

#[test]
fn many_spans_linking_to_one_are_each_listed_in_row_order() {
    let mut spans = vec![otel_span("0000000000000001", None, "producer", 0, vec![], vec![])];
    for i in 2..=4u64 {
        let links = vec![link(TRACE, "0000000000000001")];
        spans.push(otel_span(
            &format!("{i:016x}"),
            Some("0000000000000001"),
            &format!("consumer {i}"),
            i,
            links,
            vec![],
        ));
    }
    let model = TraceModel::build(spans);
    let links = SpanLinks::resolve(&model, &[]);
    let producer = row_named(&model, "producer");
    let from: Vec<&str> = links.linking_to(producer).iter().map(|l| model.row_name(l.from_row)).collect();
    assert_eq!(from, vec!["consumer 2", "consumer 3", "consumer 4"]);
    assert_eq!(linked_from_text(from.len()), "linked from 3 spans");
}

fn exception_event(at_ms: u64) -> Event {
    Event {
        time_unix_nano: T0 + at_ms * 1_000_000 + 400,
        name: "exception".into(),
        attributes: vec![
            attr("exception.type", text("java.lang.IllegalStateException")),
            attr("exception.message", text("queue closed")),
            attr("exception.stacktrace", text("java.lang.IllegalStateException: queue closed\n\tat Q.take(Q.java:12)")),
            attr("exception.escaped", AnyValue::Bool(true)),
            attr("thread.id", AnyValue::Int(7)),
        ],
        dropped_attributes_count: 0,
    }
}

#[test]
fn events_are_the_marks_of_an_otel_span_and_exceptions_are_told_apart() {
    let events = vec![
        Event {
            time_unix_nano: T0 + 2_000_600,
            name: "cache miss".into(),
            attributes: vec![attr("key", text("a"))],
            ..Event::default()
        },
        Event { time_unix_nano: T0 + 3_000_000, ..Event::default() },
        exception_event(4),
    ];
    let span = otel_span("0000000000000001", None, "work", 0, vec![], events.clone());
    // The Zipkin translation wrote `name|{attributes}|dropped` into annotations; the marks use the names.
    assert_eq!(span.annotations[0].value, r#"cache miss|{"key":"a"}|0"#);
    let base = T0 / 1000;
    assert_eq!(
        bar_marks(&span),
        vec![
            BarMark { timestamp: base + 2_001, label: "cache miss".into(), exception: false },
            BarMark { timestamp: base + 3_000, label: "(unnamed event)".into(), exception: false },
            BarMark {
                timestamp: base + 4_000,
                label: "exception: java.lang.IllegalStateException: queue closed".into(),
                exception: true
            },
        ]
    );
    let x = exception_of(&events[2]).expect("an exception");
    assert_eq!(x.type_name, "java.lang.IllegalStateException");
    assert_eq!(x.message, "queue closed");
    assert!(x.stacktrace.contains("\n\tat Q.take(Q.java:12)"));
    assert_eq!(x.escaped, Some(true));
    assert_eq!(exception_of(&events[0]), None);

    // OpenTracing's error log, as Jaeger clients write it.
    let log = Event {
        name: "error".into(),
        attributes: vec![attr("error.kind", text("Timeout")), attr("stack", text("at a\nat b"))],
        ..Event::default()
    };
    let x = exception_of(&log).expect("an OpenTracing error log");
    assert_eq!((x.headline().as_str(), x.stacktrace.as_str()), ("Timeout", "at a\nat b"));

    // A Zipkin span's marks are its annotations, as before.
    let zipkin = Span {
        annotations: vec![spanscope_domain::span::Annotation { timestamp: 5, value: "ws".into() }],
        ..Span::default()
    };
    assert_eq!(bar_marks(&zipkin), vec![BarMark { timestamp: 5, label: "ws".into(), exception: false }]);
}

#[test]
fn composite_values_are_shown_as_nested_typed_values() {
    let value = AnyValue::KeyValueList(vec![
        attr("retries", AnyValue::Int(3)),
        attr(
            "hosts",
            AnyValue::Array(vec![
                text("a"),
                AnyValue::Array(vec![AnyValue::Bool(true)]),
                AnyValue::Bytes(b"hi".to_vec()),
            ]),
        ),
        attr("ratio", AnyValue::Double(0.5)),
    ]);
    assert_eq!(value_text(&value), "3 keys");
    let lines: Vec<(u32, String, &str, String)> =
        value_lines(&value).into_iter().map(|l| (l.depth, l.label, l.type_name, l.text)).collect();
    let expect = |d, l: &str, t, x: &str| (d, l.to_string(), t, x.to_string());
    assert_eq!(
        lines,
        vec![
            expect(1, "retries", "int", "3"),
            expect(1, "hosts", "array", "3 values"),
            expect(2, "[0]", "string", "a"),
            expect(2, "[1]", "array", "1 value"),
            expect(3, "[0]", "bool", "true"),
            expect(2, "[2]", "bytes", "aGk="),
            expect(1, "ratio", "double", "0.5"),
        ]
    );
    assert!(value_lines(&text("scalar")).is_empty());
    assert_eq!(value_text(&AnyValue::Empty), "(empty)");
    assert_eq!(value_text(&text("")), "(empty string)");
}

#[test]
fn a_huge_or_deep_value_is_cut_without_recursion() {
    let big = AnyValue::Array((0..2_000).map(AnyValue::Int).collect());
    let lines = value_lines(&big);
    assert_eq!(lines.len(), MAX_LINES + 1);
    assert_eq!(lines[MAX_LINES].text, format!("… {} more", 2_000 - MAX_LINES));
    // 100,000 levels deep: an iterative walk has no stack to overflow.
    let mut deep = AnyValue::Int(1);
    for _ in 0..100_000 {
        deep = AnyValue::Array(vec![deep]);
    }
    assert_eq!(value_lines(&deep).len(), MAX_LINES + 1);
    let deep = attr("deep", deep);
    assert!(attribute_matches(&deep, "1"));
    assert!(!attribute_matches(&deep, "2"));
    // The decoders never build such a value (serde_json stops at 128 levels); dropping one would
    // recurse, so the test forgets it.
    std::mem::forget(deep);
}

#[test]
fn the_filter_finds_a_key_among_hundreds_and_inside_lists() {
    let mut attributes: Vec<Attribute> =
        (0..300).map(|i| attr(&format!("app.setting.{i:03}"), AnyValue::Int(i))).collect();
    attributes.push(attr("http.request.method", text("GET")));
    attributes.push(attr("db", AnyValue::KeyValueList(vec![attr("Statement", text("select 1"))])));
    let keys = |q: &str| filter_attributes(&attributes, q).iter().map(|a| a.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys("HTTP.request"), vec!["http.request.method"]);
    assert_eq!(keys("statement"), vec!["db"], "a nested key");
    assert_eq!(keys("select"), vec!["db"], "a nested value");
    assert_eq!(keys("setting.29"), (290..300).map(|i| format!("app.setting.{i:03}")).collect::<Vec<_>>());
    assert_eq!(keys("  ").len(), 302);
    assert!(keys("nothing like it").is_empty());
}

#[test]
fn the_panel_words_for_kinds_links_drops_and_resources() {
    assert_eq!(kind_label(SpanKind::Internal), "Internal");
    assert_eq!(kind_label(SpanKind::Consumer), "Consumer");
    assert_eq!(link_type_label(LinkType::FollowsFrom), "FOLLOWS_FROM");
    let mut detail = SpanDetail { dropped_attributes_count: 2, dropped_links_count: 1, ..SpanDetail::default() };
    detail.events.push(Event { dropped_attributes_count: 1, ..Event::default() });
    assert_eq!(dropped_summary(&detail).as_deref(), Some("2 attributes, 1 link, 1 event attribute"));
    assert_eq!(dropped_summary(&SpanDetail::default()), None);
    let resource = vec![
        attr("telemetry.sdk.name", text("opentelemetry")),
        attr("k8s.pod.name", text("pod-1")),
        attr("service.name", text("checkout")),
        attr("host.name", text("node-3")),
        attr("service.version", text("1.2")),
    ];
    let order: Vec<&str> = resource_order(&resource).iter().map(|a| a.key.as_str()).collect();
    assert_eq!(order, vec!["service.name", "service.version", "host.name", "k8s.pod.name", "telemetry.sdk.name"]);
}
