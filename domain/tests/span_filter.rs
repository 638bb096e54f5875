//! Span filters (issue 21) on hand-made traces with known answers (the cases of Grafana's
//! `filter-spans.test.ts`, `filterSpansNewTraceViewHeader`, ported), on the shared fixtures, and
//! as properties: AND is intersection, a test and its negation split the rows.
mod common;
use common::*;
use proptest::prelude::*;
use spanscope_domain::span::Kind;
use spanscope_domain::span_filter::{apply_filters, parse_filters, FilterError, SpanFilter};
use spanscope_domain::trace_model::{ErrorKind, TraceModel};

/// Grafana's two spans: span0's strings end in 0 or 1, span2's in 1 or 2 (so they overlap).
fn grafana_spans() -> TraceModel {
    let s0 = timed("10", None, 1_000, 3_050, "serviceName0", "operationName0");
    let s0 = tagged(kind(s0, Kind::Client), &[("tagKey0", "tagValue0"), ("tagKey1", "tagValue1")]);
    let s2 = timed("12", None, 2_000, 5_000, "serviceName2", "operationName2");
    let s2 = tagged(kind(s2, Kind::Server), &[("tagKey2", "tagValue1"), ("tagKey1", "tagValue2"), ("error", "")]);
    model(vec![s0, s2])
}

/// Span ids (short) of the rows matching all `filters`.
fn matching(m: &TraceModel, filters: &[&str]) -> Vec<String> {
    let filters: Vec<SpanFilter> = filters.iter().map(|f| SpanFilter::parse(f).expect(f)).collect();
    apply_filters(m, &filters).rows.iter().map(|&r| row_id(m, r).to_owned()).collect()
}

#[test]
fn grafana_service_and_span_name_cases() {
    let m = grafana_spans();
    assert_eq!(matching(&m, &["service=serviceName0"]), ["10"]);
    assert_eq!(matching(&m, &["service=serviceName2"]), ["12"]);
    assert_eq!(matching(&m, &["service!=serviceName2"]), ["10"]);
    assert_eq!(matching(&m, &["name=operationName0"]), ["10"]);
    assert_eq!(matching(&m, &["name!=operationName2"]), ["10"]);
    // Substring and regex (ours): both names contain "operation".
    assert_eq!(matching(&m, &["name~OPERATION"]), ["10", "12"]);
    assert_eq!(matching(&m, &["name~/name[2-9]$/"]), ["12"]);
    assert_eq!(matching(&m, &["service~/^service/"]), ["10", "12"]);
}

#[test]
fn grafana_duration_cases() {
    let m = grafana_spans();
    assert_eq!(matching(&m, &["duration>2ms"]), ["10", "12"]);
    assert_eq!(matching(&m, &["duration>3.05ms"]), ["12"], "a bound is exclusive with >");
    assert_eq!(matching(&m, &["duration>=3.05ms"]), ["10", "12"]);
    assert_eq!(matching(&m, &["duration>=3.05ms", "duration<4ms"]), ["10"]);
    assert_eq!(matching(&m, &["duration<4ms"]), ["10"]);
    assert_eq!(matching(&m, &["duration<=5ms"]), ["10", "12"]);
    assert_eq!(matching(&m, &["duration<=5000us"]), ["10", "12"]);
}

#[test]
fn grafana_tag_cases() {
    let m = grafana_spans();
    assert_eq!(matching(&m, &["tagKey1"]), ["10", "12"]);
    assert_eq!(matching(&m, &["tagKey0"]), ["10"]);
    assert_eq!(matching(&m, &["tagKey2"]), ["12"]);
    // Grafana's `tagKey2 !=` with no value: the spans without the key.
    assert_eq!(matching(&m, &["!tagKey2"]), ["10"]);
    assert_eq!(matching(&m, &["!tagKey1"]), Vec::<String>::new());
    assert_eq!(matching(&m, &["tagKey1=tagValue1"]), ["10"]);
    assert_eq!(matching(&m, &["tagKey1!=tagValue1"]), ["12"]);
    // Several tag filters: all must hold on the same row.
    assert_eq!(matching(&m, &["tagKey1", "tagKey0"]), ["10"]);
    assert_eq!(matching(&m, &["tagKey1=tagValue1", "tagKey0=tagValue0"]), ["10"]);
    assert_eq!(matching(&m, &["tagKey0", "tagKey2"]), Vec::<String>::new());
    assert_eq!(matching(&m, &["tagKey0=tagValue0", "tagKey2"]), Vec::<String>::new());
    assert_eq!(matching(&m, &["tagKey1~/value[12]/"]), ["10", "12"]);
}

#[test]
fn kind_status_and_numbers() {
    let m = grafana_spans();
    assert_eq!(matching(&m, &["kind=server"]), ["12"]);
    assert_eq!(matching(&m, &["kind!=server"]), ["10"]);
    assert_eq!(matching(&m, &["status=error"]), ["12"], "an error tag, even empty, is an error");
    assert_eq!(matching(&m, &["status=ok"]), ["10"]);
    assert_eq!(matching(&m, &["status!=ok"]), ["12"]);

    let http = |id: &str, code: &str| tagged(timed(id, None, 1, 1, "api", "get"), &[("http.status_code", code)]);
    let m = model(vec![http("1", "200"), http("2", "404"), http("3", "503"), http("4", "n/a")]);
    assert_eq!(matching(&m, &["http.status_code>=500"]), ["3"]);
    assert_eq!(matching(&m, &["http.status_code>200"]), ["2", "3"]);
    assert_eq!(matching(&m, &["http.status_code<404"]), ["1"], "a value that is no number never compares");
    assert_eq!(matching(&m, &["http.status_code<=404", "http.status_code>=404"]), ["2"]);
    assert_eq!(matching(&m, &["http.status_code=n/a"]), ["4"]);
}

#[test]
fn a_client_and_its_server_half_are_one_row_for_filters() {
    // The client carries the tag, the shared server half the service: one row passes both tests.
    let client = tagged(kind(timed("a", None, 10, 50, "frontend", "get"), Kind::Client), &[("peer", "x")]);
    let server = shared(kind(timed("a", None, 12, 40, "backend", "get /api"), Kind::Server));
    let m = model(vec![client, server]);
    assert_eq!(m.row_count(), 1);
    assert_eq!(matching(&m, &["service=backend", "peer=x"]), ["a"]);
    assert_eq!(matching(&m, &["service=frontend"]), ["a"], "a local service of any of the row's spans counts");
    assert_eq!(matching(&m, &["name=get /api"]), ["a"]);
}

#[test]
fn filters_read_back_as_written_and_bad_ones_say_why() {
    for text in [
        "service=frontend",
        "service!=db",
        "name~/^get /",
        "duration>=2ms",
        "duration<1s",
        "duration>1500us",
        "kind=consumer",
        "status=error",
        "http.status_code>=500",
        "error",
        "!error",
        "tag.service=a",
        "http.url~/users/",
    ] {
        let f = SpanFilter::parse(text).expect(text);
        assert_eq!(f.to_string(), text);
        assert_eq!(SpanFilter::parse(&f.to_string()), Ok(f));
    }
    assert_eq!(SpanFilter::parse("tag.service=a"), Ok(SpanFilter::parse("tag.service=a").unwrap()));
    assert!(matches!(SpanFilter::parse("tag.service=a"), Ok(SpanFilter::Tag(k, _)) if k == "service"));
    let (ok, refused) = parse_filters(["", "duration>fast", "kind=rpc", "status=maybe", "n>x", "name>3", "name~/(/"]);
    assert!(ok.is_empty());
    let reasons: Vec<String> = refused.iter().map(|(_, e)| e.to_string()).collect();
    assert_eq!(
        reasons,
        [
            "empty filter",
            "\"fast\" is not a duration (try 2ms, 1.5s, 300us)",
            "\"rpc\" is not a kind (client, server, producer, consumer)",
            "\"maybe\" is not a status (error, ok)",
            "\"x\" is not a number",
            "name does not take >",
            "a ( is not closed",
        ]
    );
    assert_eq!(SpanFilter::parse("!"), Err(FilterError::Empty));
}

#[test]
fn count_label_and_next_previous_wrap() {
    let spans: Vec<_> = (1..=12u64)
        .map(|i| {
            let parent = if i == 1 { None } else { Some("1") };
            timed(&format!("{i:x}"), parent, i, 100 - i, if i % 4 == 0 { "db" } else { "api" }, "op")
        })
        .collect();
    let m = model(spans);
    let found = apply_filters(&m, &[SpanFilter::parse("service=db").unwrap()]);
    assert_eq!(found.count_label(), "3 of 12 spans");
    let (a, b, c) = (found.rows[0], found.rows[1], found.rows[2]);
    assert_eq!(found.step(None, true), Some(a));
    assert_eq!(found.step(None, false), Some(c));
    assert_eq!(found.step(Some(a), true), Some(b));
    assert_eq!(found.step(Some(c), true), Some(a), "wraps forward");
    assert_eq!(found.step(Some(a), false), Some(c), "wraps back");
    assert_eq!(found.step(Some(a + 1), false), Some(a), "from a row that is no match");
    assert_eq!(found.position(b), Some(2));
    assert!(found.is_match(b) && !found.is_match(0));
    let none = apply_filters(&m, &[]);
    assert!(!none.active && none.is_match(0) && none.count_label().is_empty());
    assert_eq!(apply_filters(&m, &[SpanFilter::parse("service=nope").unwrap()]).step(None, true), None);
}

#[test]
fn fixture_error_filter_finds_the_failing_rows_of_smartthings() {
    // smartthings-mobile-web-install has two spans tagged error=404, a client and its server,
    // both with id 71687cb74971c332.
    let m = fixture_model("smartthings-mobile-web-install");
    let by_tag = matching(&m, &["error"]);
    assert!(!by_tag.is_empty());
    assert!(by_tag.iter().all(|id| id == "71687cb74971c332"), "{by_tag:?}");
    assert_eq!(matching(&m, &["error=404"]), by_tag);
    assert_eq!(matching(&m, &["status=error"]), by_tag);
    let critical: Vec<String> = (0..m.row_count())
        .filter(|&r| m.row(r).unwrap().error == ErrorKind::Critical)
        .map(|r| row_id(&m, r).to_owned())
        .collect();
    assert_eq!(by_tag, critical);
    let found = apply_filters(&m, &[SpanFilter::parse("error=404").unwrap()]);
    assert_eq!(found.count_label(), format!("{} of {} spans", by_tag.len(), m.row_count()));
    // The busiest pair of the fixture (platformapi "get", 136 spans): a name filter finds rows of it.
    let gets = matching(&m, &["service=platformapi", "name=get"]);
    assert!(gets.len() >= 2, "{}", gets.len());
}

fn arb_filter() -> impl Strategy<Value = String> {
    prop_oneof![
        (0u8..4).prop_map(|h| format!("service=svc{h}")),
        (0u8..4).prop_map(|h| format!("service!=svc{h}")),
        Just("kind=server".to_string()),
        Just("kind=client".to_string()),
        (0u64..8).prop_map(|d| format!("duration>={d}us")),
        (0u64..8).prop_map(|d| format!("duration<{d}us")),
        Just("name~/^s/".to_string()),
    ]
}

proptest! {
    #[test]
    fn and_is_intersection_and_negation_splits(
        spans in arb_rpc_spans(12, 16, 4, Some(5), 1..40),
        a in arb_filter(),
        b in arb_filter(),
        h in 0u8..4,
    ) {
        let m = TraceModel::build(spans);
        let parse = |t: &str| SpanFilter::parse(t).unwrap();
        let both = apply_filters(&m, &[parse(&a), parse(&b)]).rows;
        let only_a = apply_filters(&m, &[parse(&a)]);
        let only_b = apply_filters(&m, &[parse(&b)]);
        let expected: Vec<u32> = only_a.rows.iter().copied().filter(|r| only_b.rows.contains(r)).collect();
        prop_assert_eq!(both, expected);
        // Jaeger UI's TraceSpanView "renders only rows matching the selected service filter": the rows
        // `service=` leaves all show that service, and `service!=` takes exactly the others.
        let is = apply_filters(&m, &[parse(&format!("service=svc{h}"))]).rows;
        let svc = format!("svc{h}");
        prop_assert!(is.iter().all(|&r| m.row_service_name(r) == svc
            || m.row_spans(r).iter().any(|&s| m.service_name(m.span_service(s)) == Some(svc.as_str()))));
        let is_not = apply_filters(&m, &[parse(&format!("service!=svc{h}"))]).rows;
        prop_assert_eq!(is.len() + is_not.len(), m.row_count() as usize);
        prop_assert!(is.iter().all(|r| !is_not.contains(r)));
        // Stepping forward from the first match visits every match once, then wraps.
        let mut at = only_a.step(None, true);
        for &expected in &only_a.rows {
            prop_assert_eq!(at, Some(expected));
            at = only_a.step(at, true);
        }
        prop_assert_eq!(at, only_a.rows.first().copied());
    }

    #[test]
    fn any_text_parses_or_is_refused_without_panicking(text in "\\PC{0,40}", hay in "\\PC{0,60}") {
        if let Ok(f) = SpanFilter::parse(&text) {
            let m = model(vec![tagged(timed("1", None, 1, 2, "s", &hay), &[("k", &hay)])]);
            let _ = f.matches(&m, 0);
            prop_assert_eq!(SpanFilter::parse(&f.to_string()).map(|g| g.to_string()), Ok(f.to_string()));
        }
    }
}
