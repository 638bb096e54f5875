#![cfg(not(target_arch = "wasm32"))]
//! Find-in-trace on small hand-made traces: each field a query can hit, which field is reported
//! when several match, `key=value` tag terms, case folding (ASCII and not), shared halves, and
//! Jaeger UI's filter-spans.test.js cases that apply to Zipkin spans; a property compares the
//! rows found with find's rules written plainly.
mod common;

use common::*;
use spanscope_domain::find::{find_rows, FindMatch, MatchField};
use spanscope_domain::span::{Endpoint, Kind, Span};
use spanscope_domain::trace_model::TraceModel;

/// a (frontend, GET /checkout) ─┬─ b: client frontend → payments, served as POST /charge
///                              │   └─ c (payments, db query: retry, error)
///                              ├─ d (frontend, render checkout.html: cache miss)
///                              └─ e (Zürich, Ärger prüfen)
fn shop() -> TraceModel {
    model(vec![
        Span {
            kind: Some(Kind::Server),
            tags: tags(&[("http.method", "GET"), ("http.path", "/checkout")]),
            ..timed("a", None, 1_000, 100, "frontend", "GET /checkout")
        },
        Span {
            kind: Some(Kind::Client),
            remote_endpoint: Some(Endpoint { service_name: Some("payments".into()), ..Endpoint::default() }),
            ..timed("b", Some("a"), 1_010, 40, "frontend", "charge")
        },
        Span {
            kind: Some(Kind::Server),
            tags: tags(&[("card.brand", "Visa")]),
            ..shared(timed("b", Some("a"), 1_015, 30, "payments", "POST /charge"))
        },
        Span {
            annotations: vec![ann(1_020, "retry")],
            tags: tags(&[("error", ""), ("peer", "payments-db")]),
            ..timed("c", Some("b"), 1_018, 20, "payments", "db query")
        },
        Span {
            annotations: vec![ann(1_065, "cache miss")],
            tags: tags(&[("template", "checkout.html")]),
            ..timed("d", Some("a"), 1_060, 20, "frontend", "render")
        },
        timed("e", Some("a"), 1_085, 10, "Zürich", "Ärger prüfen"),
    ])
}

/// (row's span id, field) of each match.
fn found<'a>(m: &'a TraceModel, q: &str) -> Vec<(&'a str, MatchField)> {
    find_rows(m, q).into_iter().map(|FindMatch { row, field }| (row_id(m, row), field)).collect()
}

use MatchField::*;

#[test]
fn the_rows_are_as_drawn() {
    let m = shop();
    assert_eq!(row_ids(&m), ["a", "b", "c", "d", "e"]);
}

#[test]
fn an_empty_or_blank_query_matches_nothing() {
    let m = shop();
    assert!(find_rows(&m, "").is_empty());
    assert!(find_rows(&m, "  \t ").is_empty());
    assert!(find_rows(&model(vec![]), "a").is_empty());
}

#[test]
fn service_names_local_and_remote() {
    let m = shop();
    // b's client names payments only as its remote service; its server half is on payments.
    assert_eq!(found(&m, "payments"), [("b", Service), ("c", Service)]);
    assert_eq!(found(&m, "FRONT"), [("a", Service), ("b", Service), ("d", Service)]);
}

#[test]
fn the_first_matching_field_is_reported() {
    let m = shop();
    // c has "payments" in its service and in a tag value: the service is reported. a has
    // "checkout" in its name and a tag value: the name. d has it only in a tag value.
    assert_eq!(found(&m, "checkout"), [("a", SpanName), ("d", TagValue)]);
    assert_eq!(found(&m, "payments-db"), [("c", TagValue)]);
}

#[test]
fn span_names_of_either_half_of_a_row() {
    let m = shop();
    assert_eq!(found(&m, "charge"), [("b", SpanName)]);
    // Only the shared server is called POST.
    assert_eq!(found(&m, "post"), [("b", SpanName)]);
    assert_eq!(found(&m, "db QUERY"), [("c", SpanName)]);
}

#[test]
fn span_ids_padded_and_in_any_case() {
    let m = shop();
    assert_eq!(found(&m, "000000000000000c"), [("c", SpanId)]);
    assert_eq!(found(&m, "000000000000000C"), [("c", SpanId)]);
    // Both halves of b have its id; the row is found once.
    assert_eq!(found(&m, "00000000000000b"), [("b", SpanId)]);
}

#[test]
fn tag_keys_tag_values_and_annotations() {
    let m = shop();
    assert_eq!(found(&m, "http.method"), [("a", TagKey)]);
    assert_eq!(found(&m, "card"), [("b", TagKey)]);
    assert_eq!(found(&m, "visa"), [("b", TagValue)]);
    assert_eq!(found(&m, "retry"), [("c", Annotation)]);
    assert_eq!(found(&m, "cache miss"), [("d", Annotation)]);
    // The empty-valued error tag is found by its key.
    assert_eq!(found(&m, "error"), [("c", TagKey)]);
}

#[test]
fn key_value_terms_match_a_tag_exactly() {
    let m = shop();
    assert_eq!(found(&m, "http.method=GET"), [("a", TagValue)]);
    assert_eq!(found(&m, " card.brand = Visa "), [("b", TagValue)]);
    // The value is compared exactly: not case-folded, not a substring.
    assert!(found(&m, "http.method=get").is_empty());
    assert!(found(&m, "http.method=GE").is_empty());
    // An empty value matches a tag whose value is empty.
    assert_eq!(found(&m, "error="), [("c", TagValue)]);
    // Without a key it is plain text, and no field contains "=get".
    assert!(found(&m, "=GET").is_empty());
}

#[test]
fn case_folding_beyond_ascii() {
    let m = shop();
    assert_eq!(found(&m, "ÄRGER"), [("e", SpanName)]);
    assert_eq!(found(&m, "zürich"), [("e", Service)]);
    assert_eq!(found(&m, "PRÜFEN"), [("e", SpanName)]);
    assert!(found(&m, "zurich").is_empty());
}

#[test]
fn a_whole_name_whose_lower_case_is_longer_is_found() {
    // "İ" (2 bytes) lower-cases to "i̇" (3): the query "İstanbul" lower-cased is a byte longer
    // than the name as written, which must not rule the name out before it is lower-cased too.
    let m = model(vec![timed("a", None, 1_000, 10, "svc", "İstanbul")]);
    assert_eq!(found(&m, "İstanbul"), [("a", SpanName)]);
    assert_eq!(found(&m, "i̇stanbul"), [("a", SpanName)]);
    assert_eq!(found(&m, "İst"), [("a", SpanName)]);
    // ASCII text shorter than the query still matches nothing.
    assert!(found(&m, "svc-and-more").is_empty());
}

#[test]
fn a_query_longer_than_every_field_matches_nothing() {
    let m = shop();
    assert!(found(&m, "checkout.html and then some more text").is_empty());
}

// ---- Jaeger UI utils/filter-spans.test.js ----
// Jaeger's span0 has strings ending in 0 or 1, span2 strings ending in 1 or 2; tags become
// Zipkin tags and log field values annotations. Process tags, log field keys and `-key`
// exclusions have no Zipkin counterpart in find and are not ported.

fn jaeger_spans() -> TraceModel {
    model(vec![
        timed("f", None, 1_000, 100, "root", "root"),
        Span {
            tags: tags(&[("tagKey0", "tagValue0"), ("tagKey1", "tagValue1")]),
            annotations: vec![ann(1_011, "logFieldValue0"), ann(1_012, "logFieldValue1")],
            ..timed("10", Some("f"), 1_010, 20, "serviceName0", "operationName0")
        },
        Span {
            tags: tags(&[("tagKey2", "tagValue1"), ("tagKey1", "tagValue2")]),
            annotations: vec![ann(1_021, "logFieldValue1"), ann(1_022, "logFieldValue2")],
            ..timed("12", Some("f"), 1_020, 20, "serviceName2", "operationName2")
        },
    ])
}

fn jaeger_found<'a>(m: &'a TraceModel, q: &str) -> Vec<&'a str> {
    find_rows(m, q).into_iter().map(|f| row_id(m, f.row)).collect()
}

// Jaeger filter-spans.test.js: "should return spans whose operationName match a filter"
#[test]
fn jaeger_operation_names() {
    let m = jaeger_spans();
    assert_eq!(jaeger_found(&m, "operationName"), ["10", "12"]);
    assert_eq!(jaeger_found(&m, "operationName0"), ["10"]);
    assert_eq!(jaeger_found(&m, "operationName2"), ["12"]);
}

// Jaeger filter-spans.test.js: "should return spans whose serviceName match a filter"
#[test]
fn jaeger_service_names() {
    let m = jaeger_spans();
    assert_eq!(jaeger_found(&m, "serviceName"), ["10", "12"]);
    assert_eq!(jaeger_found(&m, "serviceName0"), ["10"]);
    assert_eq!(jaeger_found(&m, "serviceName2"), ["12"]);
}

// Jaeger filter-spans.test.js: "should return spans whose tags' kv.key match a filter"
#[test]
fn jaeger_tag_keys() {
    let m = jaeger_spans();
    assert_eq!(jaeger_found(&m, "tagKey1"), ["10", "12"]);
    assert_eq!(jaeger_found(&m, "tagKey0"), ["10"]);
    assert_eq!(jaeger_found(&m, "tagKey2"), ["12"]);
}

// Jaeger filter-spans.test.js: "should return spans whose tags' kv.value match a filter"
#[test]
fn jaeger_tag_values() {
    let m = jaeger_spans();
    assert_eq!(jaeger_found(&m, "tagValue1"), ["10", "12"]);
    assert_eq!(jaeger_found(&m, "tagValue0"), ["10"]);
    assert_eq!(jaeger_found(&m, "tagValue2"), ["12"]);
}

// Jaeger filter-spans.test.js: "should return spans whose logs have a field whose kv.value match
// a filter" (log fields are Zipkin annotations)
#[test]
fn jaeger_log_values_are_annotations() {
    let m = jaeger_spans();
    assert_eq!(jaeger_found(&m, "logFieldValue1"), ["10", "12"]);
    assert_eq!(jaeger_found(&m, "logFieldValue0"), ["10"]);
    assert_eq!(jaeger_found(&m, "logFieldValue2"), ["12"]);
}

// Jaeger filter-spans.test.js: "should return spans whose spanID exactly match a filter" (the
// word "spanID" is no id; a whole id finds its span only)
#[test]
fn jaeger_span_ids() {
    let m = jaeger_spans();
    assert!(jaeger_found(&m, "spanID").is_empty());
    assert_eq!(jaeger_found(&m, "0000000000000010"), ["10"]);
    assert_eq!(jaeger_found(&m, "0000000000000012"), ["12"]);
}

// Jaeger filter-spans.test.js: "should return no spans when logs is null"
#[test]
fn jaeger_no_annotations_no_match() {
    let m = model(vec![timed("10", None, 1_000, 10, "serviceName0", "operationName0")]);
    assert!(jaeger_found(&m, "logFieldValue1").is_empty());
}

// Jaeger filter-spans.test.js: "should return an empty set if no spans match the filter"
#[test]
fn jaeger_nothing_matches() {
    let m = jaeger_spans();
    assert!(jaeger_found(&m, "processTagKey1").is_empty());
}

/// Generated traces whose names, services, tags and annotations come from small pools with
/// mixed case and letters whose lower case is longer ("İ") or differs ("ẞ").
fn arb_trace() -> impl proptest::strategy::Strategy<Value = Vec<Span>> {
    use proptest::prelude::*;
    const WORDS: [&str; 6] = ["İstanbul", "Straße", "GET /api", "db", "ERROR", "k=v"];
    let one = (0u8..10, proptest::option::of(0u8..10), 0usize..6, 0usize..6, 0usize..6, 0usize..6, any::<bool>())
        .prop_map(|(id, parent, name, svc, tag, note, is_shared)| Span {
            name: Some(WORDS[name].into()),
            local_endpoint: ep(WORDS[svc]),
            tags: tags(&[(WORDS[tag], WORDS[(tag + 1) % 6])]),
            annotations: vec![ann(1_001, WORDS[note])],
            shared: is_shared.then_some(true),
            ..timed(&format!("{id:x}"), parent.map(|p| format!("{p:x}")).as_deref(), 1_000, 10, "", "")
        });
    proptest::collection::vec(one, 1..20)
}

/// Whether one span has the query, by the rules find documents, written plainly.
fn has(s: &Span, q: &str) -> bool {
    let q = q.trim();
    if let Some((k, v)) = q.split_once('=').map(|(k, v)| (k.trim(), v.trim())).filter(|(k, _)| !k.is_empty()) {
        return s.tags.get(k).is_some_and(|x| x == v);
    }
    let q = q.to_lowercase();
    let mut fields: Vec<&str> = vec![s.id.as_str()];
    fields.extend(s.local_service());
    fields.extend(s.remote_service());
    fields.extend(s.name.as_deref());
    fields.extend(s.tags.keys().map(String::as_str));
    fields.extend(s.tags.values().map(String::as_str));
    fields.extend(s.annotations.iter().map(|a| a.value.as_str()));
    fields.iter().any(|f| f.to_lowercase().contains(&q))
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 300, ..Default::default() })]

    /// The rows found are exactly those with a span that has the query, in row order.
    #[test]
    fn found_rows_are_the_rows_with_the_query(spans in arb_trace(), q in 0usize..10) {
        let query = ["İstanbul", "i̇stanbul", "STRASSE", "straße", "get /API", "error", "db=", "k=v", "k", " Db "][q];
        let m = model(spans);
        let got: Vec<u32> = find_rows(&m, query).iter().map(|f| f.row).collect();
        let want: Vec<u32> =
            (0..m.row_count()).filter(|&r| m.row_spans(r).iter().any(|&i| has(m.span(i).unwrap(), query))).collect();
        proptest::prop_assert_eq!(got, want, "query {:?}", query);
    }
}
