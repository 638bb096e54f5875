#![cfg(not(target_arch = "wasm32"))]
//! Zipkin Lens's own test cases (zipkin-lens/src/zipkin/*.test.js), ported: span cleaning and
//! merging (`span-cleaner.test.js`), tree building (`span-node.test.js`), clock skew
//! (`clock-skew.test.js`), the trace page's rows (`trace.test.js`, `span-row.test.js`).
//! Each test names the upstream case; values are Lens's expectations restated in our types.
mod common;

use common::*;
use spanscope_domain::clean::{clean_trace, Flavor};
use spanscope_domain::clock_skew::SkewSkipped;
use spanscope_domain::rows::{visible_rows, RowOptions};
use spanscope_domain::span::{Endpoint, Kind, Span};
use spanscope_domain::trace_model::{ErrorKind, TraceModel};

/// Lens's `mergeV2ById` on spans as the API sends them.
fn lens(spans: &[Span]) -> Vec<Span> {
    clean_trace(&through_json(spans), Flavor::Lens).spans
}

fn frontend() -> Option<Endpoint> {
    Some(Endpoint {
        service_name: Some("frontend".into()),
        ipv4: Some("127.0.0.1".into()),
        port: Some(8080),
        ..Endpoint::default()
    })
}

fn backend() -> Option<Endpoint> {
    Some(Endpoint {
        service_name: Some("backend".into()),
        ipv4: Some("192.168.99.101".into()),
        port: Some(9000),
        ..Endpoint::default()
    })
}

fn sp(trace: &str, id: &str) -> Span {
    Span { trace_id: trace.into(), id: id.into(), ..Span::default() }
}

fn pad(id: &str) -> String {
    format!("{id:0>16}")
}

/// zipkin2.TestObjects' client span, already clean.
fn client_span() -> Span {
    Span {
        trace_id: pad("1"),
        id: pad("2"),
        name: Some("get".into()),
        kind: Some(Kind::Client),
        timestamp: Some(1_472_470_996_199_000),
        duration: Some(207_000),
        local_endpoint: frontend(),
        remote_endpoint: backend(),
        annotations: vec![ann(1_472_470_996_238_000, "ws"), ann(1_472_470_996_403_000, "wr")],
        tags: tags(&[("http.path", "/api"), ("clnt/finagle.version", "6.45.0")]),
        ..Span::default()
    }
}

/// Its shared server half.
fn server_span() -> Span {
    Span {
        trace_id: pad("1"),
        id: pad("2"),
        kind: Some(Kind::Server),
        timestamp: Some(1_472_470_996_308_713),
        duration: Some(10_319),
        local_endpoint: backend(),
        remote_endpoint: frontend(),
        shared: Some(true),
        ..Span::default()
    }
}

/// A span with every field set.
fn one_of_each() -> Span {
    Span {
        trace_id: "7180c278b62e8f6a216a2aea45d08fc9".into(),
        parent_id: Some(pad("1")),
        id: pad("2"),
        kind: Some(Kind::Server),
        name: Some("get".into()),
        timestamp: Some(1),
        duration: Some(3),
        local_endpoint: backend(),
        remote_endpoint: frontend(),
        annotations: vec![ann(2, "foo")],
        tags: tags(&[("http.path", "/api")]),
        shared: Some(true),
        debug: Some(true),
        detail: None,
    }
}

// ---- span-cleaner.test.js ----

// Lens span-cleaner.test.js: "should remove shared flag if set on client"
#[test]
fn clean_removes_shared_flag_set_on_a_client() {
    let cleaned = lens(&[Span { kind: Some(Kind::Client), shared: Some(true), ..sp("1", "2") }]);
    assert_eq!(cleaned.len(), 1);
    assert_eq!(cleaned[0].shared, None);
    assert_eq!(cleaned[0].kind, Some(Kind::Client));
    assert_eq!((cleaned[0].trace_id.as_str(), cleaned[0].id.as_str()), ("0000000000000001", "0000000000000002"));
}

// Lens span-cleaner.test.js: "should work on redundant data"
#[test]
fn merge_of_redundant_data_is_the_span_itself() {
    let merged = lens(&[one_of_each(), one_of_each()]);
    assert_eq!(merged, vec![one_of_each()]);
}

// Lens span-cleaner.test.js: "should merge flags" (through mergeV2ById, which merges only
// pieces with the same shared flag: here two server pieces, one of them debug)
#[test]
fn merge_keeps_debug_and_shared_flags() {
    // A parent id keeps the merged span from being a lone root, whose shared flag Lens drops.
    let a = Span { parent_id: Some("1".into()), shared: Some(true), ..sp("1", "2") };
    let b = Span { parent_id: Some("1".into()), shared: Some(true), debug: Some(true), ..sp("1", "2") };
    let merged = lens(&[a, b]);
    assert_eq!(merged.len(), 1);
    assert_eq!((merged[0].debug, merged[0].shared), (Some(true), Some(true)));
}

// Lens span-cleaner.test.js: "should merge annotations"
#[test]
fn merge_unites_annotations_in_order_without_duplicates() {
    let a = Span { annotations: vec![ann(1, "a"), ann(1, "b")], ..sp("1", "2") };
    let b = Span { annotations: vec![ann(1, "b"), ann(1, "c")], ..sp("1", "2") };
    let merged = lens(&[a, b]);
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].annotations, vec![ann(1, "a"), ann(1, "b"), ann(1, "c")]);
}

// Lens span-cleaner.test.js: "should merge tags"
#[test]
fn merge_unites_tags() {
    let a = Span { tags: tags(&[("1", "a"), ("2", "a")]), ..sp("1", "2") };
    let b = Span { tags: tags(&[("2", "a"), ("3", "a")]), ..sp("1", "2") };
    let merged = lens(&[a, b]);
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].tags, tags(&[("1", "a"), ("2", "a"), ("3", "a")]));
}

// Lens span-cleaner.test.js: "should merge local endpoint"
#[test]
fn merge_takes_the_local_endpoint_of_either_piece() {
    let merged = lens(&[sp("1", "2"), Span { local_endpoint: frontend(), ..sp("1", "2") }]);
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].local_endpoint, frontend());
}

// Lens span-cleaner.test.js: "should merge local endpoint - partial"
#[test]
fn merge_joins_partial_local_endpoints() {
    let a = Span { local_endpoint: ep("a"), ..sp("1", "2") };
    let b = Span { local_endpoint: ip("192.168.99.101"), ..sp("1", "2") };
    let merged = lens(&[a, b]);
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].local_endpoint, ep_ip("a", "192.168.99.101"));
}

// Lens span-cleaner.test.js: "should merge remote endpoint"
#[test]
fn merge_takes_the_remote_endpoint_of_either_piece() {
    let merged = lens(&[sp("1", "2"), Span { remote_endpoint: frontend(), ..sp("1", "2") }]);
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].remote_endpoint, frontend());
}

// Lens span-cleaner.test.js: "should merge remote endpoint - partial"
#[test]
fn merge_joins_partial_remote_endpoints() {
    let a = Span { remote_endpoint: ep("a"), ..sp("1", "2") };
    let b = Span { remote_endpoint: ip("192.168.99.101"), ..sp("1", "2") };
    let merged = lens(&[a, b]);
    assert_eq!(merged.len(), 1);
    assert_eq!(merged[0].remote_endpoint, ep_ip("a", "192.168.99.101"));
}

// Lens span-cleaner.test.js: "should cleanup spans"
#[test]
fn merge_cleans_ids_names_zero_durations_self_parents_and_empty_endpoints() {
    let trace = "22222222222222222"; // longer than 64-bit
    let spans = lens(&[
        Span { parent_id: Some("a".into()), name: Some(String::new()), duration: Some(0), ..sp(trace, "3") },
        Span {
            parent_id: Some("a".into()), // self-referencing
            remote_endpoint: Some(Endpoint::default()),
            kind: Some(Kind::Server),
            timestamp: Some(1),
            duration: Some(10),
            local_endpoint: frontend(),
            ..sp(trace, "a")
        },
        Span {
            parent_id: Some("a".into()),
            timestamp: Some(2),
            kind: Some(Kind::Client),
            name: Some("unknown".into()),
            local_endpoint: frontend(),
            ..sp(trace, "b")
        },
    ]);
    let t = "00000000000000022222222222222222";
    assert_eq!(
        spans,
        vec![
            Span {
                kind: Some(Kind::Server),
                timestamp: Some(1),
                duration: Some(10),
                local_endpoint: frontend(),
                ..sp(t, &pad("a"))
            },
            Span { parent_id: Some(pad("a")), ..sp(t, &pad("3")) },
            Span {
                parent_id: Some(pad("a")),
                kind: Some(Kind::Client),
                timestamp: Some(2),
                local_endpoint: frontend(),
                ..sp(t, &pad("b"))
            },
        ]
    );
}

// Lens span-cleaner.test.js: "should prefer 128bit trace ID"
#[test]
fn merge_prefers_the_128_bit_trace_id_in_either_order() {
    let left = sp("463ac35c9f6413ad48485a3953bb6124", "3");
    let right = sp("48485a3953bb6124", "3");
    for spans in [lens(&[left.clone(), right.clone()]), lens(&[right, left])] {
        assert_eq!(spans.len(), 1);
        assert_eq!(spans[0].trace_id, "463ac35c9f6413ad48485a3953bb6124");
    }
}

// Lens span-cleaner.test.js: "should backfill missing parent id on shared span"
#[test]
fn merge_backfills_the_parent_id_of_a_shared_server() {
    let spans = lens(&[
        Span { kind: Some(Kind::Server), local_endpoint: ep("frontend"), ..sp("a", "a") },
        Span { parent_id: Some("a".into()), kind: Some(Kind::Client), local_endpoint: ep("frontend"), ..sp("a", "b") },
        Span { kind: Some(Kind::Server), local_endpoint: ep("backend"), shared: Some(true), ..sp("a", "b") },
    ]);
    let t = pad("a");
    assert_eq!(
        spans,
        vec![
            Span { kind: Some(Kind::Server), local_endpoint: ep("frontend"), ..sp(&t, &pad("a")) },
            Span {
                parent_id: Some(pad("a")),
                kind: Some(Kind::Client),
                local_endpoint: ep("frontend"),
                ..sp(&t, &pad("b"))
            },
            Span {
                parent_id: Some(pad("a")),
                kind: Some(Kind::Server),
                local_endpoint: ep("backend"),
                shared: Some(true),
                ..sp(&t, &pad("b"))
            },
        ]
    );
}

// Lens span-cleaner.test.js: "should merge mixed-length IDs"
#[test]
fn merge_gives_every_span_the_longest_trace_id() {
    let spans = lens(&[
        sp("11111111111111112222222222222222", "000000000000000a"),
        Span { parent_id: Some(pad("a")), ..sp("00000000000000002222222222222222", "000000000000000b") },
        Span { parent_id: Some(pad("b")), ..sp("2222222222222222", "000000000000000c") },
    ]);
    let t = "11111111111111112222222222222222";
    assert_eq!(
        spans,
        vec![
            sp(t, &pad("a")),
            Span { parent_id: Some(pad("a")), ..sp(t, &pad("b")) },
            Span { parent_id: Some(pad("b")), ..sp(t, &pad("c")) },
        ]
    );
}

// Lens span-cleaner.test.js: "should merge incomplete endpoints"
#[test]
fn merge_joins_endpoint_pieces_on_each_side_of_a_shared_pair() {
    let spans = lens(&[
        Span { kind: Some(Kind::Server), local_endpoint: ep("frontend"), ..sp("a", "a") },
        Span { parent_id: Some("a".into()), kind: Some(Kind::Client), local_endpoint: ep("frontend"), ..sp("a", "b") },
        Span { parent_id: Some("a".into()), local_endpoint: ip("1.2.3.4"), ..sp("a", "b") },
        Span {
            parent_id: Some("a".into()),
            kind: Some(Kind::Server),
            local_endpoint: ep("backend"),
            shared: Some(true),
            ..sp("a", "b")
        },
        Span { parent_id: Some("a".into()), local_endpoint: ip("1.2.3.5"), shared: Some(true), ..sp("a", "b") },
    ]);
    let t = pad("a");
    assert_eq!(
        spans,
        vec![
            Span { kind: Some(Kind::Server), local_endpoint: ep("frontend"), ..sp(&t, &pad("a")) },
            Span {
                parent_id: Some(pad("a")),
                kind: Some(Kind::Client),
                local_endpoint: ep_ip("frontend", "1.2.3.4"),
                ..sp(&t, &pad("b"))
            },
            Span {
                parent_id: Some(pad("a")),
                kind: Some(Kind::Server),
                local_endpoint: ep_ip("backend", "1.2.3.5"),
                shared: Some(true),
                ..sp(&t, &pad("b"))
            },
        ]
    );
}

// Lens span-cleaner.test.js: "should work when missing root span"
#[test]
fn merge_keeps_spans_whose_parent_is_missing() {
    let missing = pad("a");
    let spans = lens(&[
        Span {
            parent_id: Some(missing.clone()),
            kind: Some(Kind::Server),
            local_endpoint: ep_ip("backend", "1.2.3.4"),
            ..sp("a", "b")
        },
        Span {
            parent_id: Some(missing.clone()),
            kind: Some(Kind::Server),
            local_endpoint: ep("backend"),
            ..sp("a", "c")
        },
    ]);
    let t = pad("a");
    assert_eq!(
        spans,
        vec![
            Span {
                parent_id: Some(missing.clone()),
                kind: Some(Kind::Server),
                local_endpoint: ep_ip("backend", "1.2.3.4"),
                ..sp(&t, &pad("b"))
            },
            Span {
                parent_id: Some(missing),
                kind: Some(Kind::Server),
                local_endpoint: ep("backend"),
                ..sp(&t, &pad("c"))
            },
        ]
    );
}

// Lens span-cleaner.test.js: "should merge incomplete data"
#[test]
fn merge_rebuilds_a_client_flushed_in_two_pieces() {
    let late = Span {
        duration: Some(207_000),
        remote_endpoint: backend(),
        annotations: vec![ann(1_472_470_996_403_000, "wr")],
        ..sp(&pad("1"), &pad("2"))
    };
    let early = Span {
        name: Some("get".into()),
        kind: Some(Kind::Client),
        timestamp: Some(1_472_470_996_199_000),
        local_endpoint: frontend(),
        annotations: vec![ann(1_472_470_996_238_000, "ws")],
        tags: tags(&[("http.path", "/api"), ("clnt/finagle.version", "6.45.0")]),
        ..sp(&pad("1"), &pad("2"))
    };
    assert_eq!(lens(&[server_span(), late, early]), vec![client_span(), server_span()]);
}

// Lens span-cleaner.test.js: "should order and de-dupe annotations"
#[test]
fn merge_orders_and_dedupes_annotations_across_three_pieces() {
    let t = "1111111111111111";
    let spans = lens(&[
        Span { annotations: vec![ann(2, "b"), ann(2, "b"), ann(1, "a")], ..sp(t, &pad("a")) },
        sp(t, &pad("a")),
        Span { annotations: vec![ann(1, "a"), ann(3, "b")], ..sp(t, &pad("a")) },
    ]);
    assert_eq!(spans, vec![Span { annotations: vec![ann(1, "a"), ann(2, "b"), ann(3, "b")], ..sp(t, &pad("a")) }]);
}

// Lens span-cleaner.test.js: "should order root first even if skewed timestamp"
#[test]
fn merge_orders_the_root_first_even_when_a_child_starts_before_it() {
    let t = "1111111111111111";
    let spans = lens(&[
        Span { name: Some("c".into()), timestamp: Some(3), ..sp(t, &pad("1")) },
        Span { parent_id: Some(pad("1")), name: Some("b".into()), timestamp: Some(2), ..sp(t, &pad("2")) },
        Span { parent_id: Some(pad("1")), name: Some("b".into()), timestamp: Some(3), ..sp(t, &pad("3")) },
    ]);
    let ids: Vec<&str> = spans.iter().map(|s| short(&s.id)).collect();
    assert_eq!(ids, ["1", "2", "3"]);
}

// Lens span-cleaner.test.js: "should order earliest root first"
#[test]
fn merge_orders_the_client_root_before_its_shared_server() {
    let t = "1111111111111111";
    let spans = lens(&[
        Span { name: Some("server".into()), timestamp: Some(1), shared: Some(true), ..sp(t, &pad("1")) },
        Span { name: Some("client".into()), timestamp: Some(1), ..sp(t, &pad("1")) },
    ]);
    let names: Vec<&str> = spans.iter().map(|s| s.name.as_deref().unwrap()).collect();
    assert_eq!(names, ["client", "server"]);
    assert_eq!(spans[1].shared, Some(true));
}

// Lens span-cleaner.test.js: "should delete accidental shared flag"
#[test]
fn merge_deletes_an_accidental_shared_flag_on_the_yelp_root() {
    let path = format!("{}/../../shared/fixtures/zipkin/yelp.json", env!("CARGO_MANIFEST_DIR"));
    let raw = spanscope_domain::decode::decode_spans(&std::fs::read(path).unwrap()).unwrap();
    let spans = clean_trace(&raw, Flavor::Lens).spans;
    assert_eq!(spans.len(), raw.len());
    assert_eq!(spans[0].parent_id, None);
    assert_eq!(spans[0].shared, None);
}

// Lens span-cleaner.test.js: "should not delete valid shared flag on root span"
#[test]
fn merge_keeps_a_valid_shared_flag_on_a_root_server() {
    let t = "1111111111111111";
    let spans = lens(&[
        Span { kind: Some(Kind::Server), timestamp: Some(2), shared: Some(true), ..sp(t, &pad("1")) },
        Span { kind: Some(Kind::Client), timestamp: Some(1), ..sp(t, &pad("1")) },
    ]);
    assert_eq!(spans.len(), 2);
    assert_eq!(spans[0].kind, Some(Kind::Client));
    assert_eq!(spans[1].shared, Some(true));
}

// Lens span-cleaner.test.js: "should order server after client" (cleanupComparator); the
// server lacking the shared flag gets it, since it follows a client with its id. Lens's case
// sorts only: without endpoints mergeV2ById would merge the two pieces, so each has its service.
#[test]
fn merge_orders_a_server_after_its_client_and_marks_it_shared() {
    let t = "1111111111111111";
    let spans = lens(&[
        Span { parent_id: Some(pad("1")), kind: Some(Kind::Server), local_endpoint: ep("b"), ..sp(t, &pad("4")) },
        Span { parent_id: Some(pad("1")), kind: Some(Kind::Client), local_endpoint: ep("a"), ..sp(t, &pad("4")) },
    ]);
    let kinds: Vec<(Option<Kind>, Option<bool>)> = spans.iter().map(|s| (s.kind, s.shared)).collect();
    assert_eq!(kinds, [(Some(Kind::Client), None), (Some(Kind::Server), Some(true))]);
}

// ---- span-node.test.js ----

// The four cases below order spans sharing an id by `compareShared` alone (Lens's
// `spanComparator`): the unshared (client) span first whatever the timestamps.

// Lens span-cleaner.test.js: "should merge when missing endpoints"
#[test]
fn merge_joins_pieces_without_endpoints_but_not_with_the_shared_server() {
    let spans = lens(&[
        Span { tags: tags(&[("span.kind", "SERVER"), ("service", "frontend")]), ..sp("a", "a") },
        Span {
            parent_id: Some("a".into()),
            timestamp: Some(1),
            tags: tags(&[("span.kind", "CLIENT"), ("service", "frontend")]),
            ..sp("a", "b")
        },
        Span {
            parent_id: Some("a".into()),
            kind: Some(Kind::Server),
            local_endpoint: ep("backend"),
            shared: Some(true),
            ..sp("a", "b")
        },
        Span { parent_id: Some("a".into()), duration: Some(10), ..sp("a", "b") },
    ]);
    let t = pad("a");
    assert_eq!(
        spans,
        vec![
            Span { tags: tags(&[("span.kind", "SERVER"), ("service", "frontend")]), ..sp(&t, &pad("a")) },
            Span {
                parent_id: Some(pad("a")),
                timestamp: Some(1),
                duration: Some(10),
                tags: tags(&[("span.kind", "CLIENT"), ("service", "frontend")]),
                ..sp(&t, &pad("b"))
            },
            Span {
                parent_id: Some(pad("a")),
                kind: Some(Kind::Server),
                local_endpoint: ep("backend"),
                shared: Some(true),
                ..sp(&t, &pad("b"))
            },
        ]
    );
}

fn two_servers_on_different_ips(last_piece: Span) -> Vec<Span> {
    lens(&[
        Span { kind: Some(Kind::Server), local_endpoint: ep("frontend"), ..sp("a", "a") },
        Span {
            parent_id: Some("a".into()),
            kind: Some(Kind::Client),
            timestamp: Some(1),
            local_endpoint: ep("frontend"),
            ..sp("a", "b")
        },
        Span {
            parent_id: Some("a".into()),
            kind: Some(Kind::Server),
            local_endpoint: ep_ip("backend", "1.2.3.4"),
            shared: Some(true),
            ..sp("a", "b")
        },
        Span {
            parent_id: Some("a".into()),
            kind: Some(Kind::Server),
            local_endpoint: ep_ip("backend", "1.2.3.5"),
            shared: Some(true),
            ..sp("a", "b")
        },
        last_piece,
    ])
}

fn expected_two_servers() -> Vec<Span> {
    let t = pad("a");
    let server = |ip: &str| Span {
        parent_id: Some(pad("a")),
        kind: Some(Kind::Server),
        local_endpoint: ep_ip("backend", ip),
        shared: Some(true),
        ..sp(&t, &pad("b"))
    };
    vec![
        Span { kind: Some(Kind::Server), local_endpoint: ep("frontend"), ..sp(&t, &pad("a")) },
        Span {
            parent_id: Some(pad("a")),
            kind: Some(Kind::Client),
            timestamp: Some(1),
            duration: Some(10),
            local_endpoint: ep("frontend"),
            ..sp(&t, &pad("b"))
        },
        server("1.2.3.4"),
        server("1.2.3.5"),
    ]
}

// Lens span-cleaner.test.js: "should not merge shared spans on different IPs"
#[test]
fn merge_keeps_shared_servers_on_different_ips_apart() {
    let late = Span { parent_id: Some("a".into()), duration: Some(10), local_endpoint: ep("frontend"), ..sp("a", "b") };
    assert_eq!(two_servers_on_different_ips(late), expected_two_servers());
}

// Lens span-cleaner.test.js: "should put random data on first span with endpoint"
#[test]
fn merge_puts_late_data_without_parent_or_endpoint_on_the_client() {
    let late = Span { duration: Some(10), ..sp("a", "b") };
    assert_eq!(two_servers_on_different_ips(late), expected_two_servers());
}

// Lens span-cleaner.test.js: "should order spans by shared, timestamp then name"
#[test]
fn merge_orders_unshared_before_shared_then_by_timestamp() {
    let t = "1111111111111111";
    let p = Some(pad("1"));
    let spans = lens(&[
        Span { parent_id: p.clone(), name: Some("c".into()), timestamp: Some(3), ..sp(t, &pad("2")) },
        Span { parent_id: p.clone(), name: Some("b".into()), timestamp: Some(2), ..sp(t, "3") },
        Span {
            parent_id: p.clone(),
            name: Some("a".into()),
            timestamp: Some(1),
            shared: Some(true),
            ..sp(t, &pad("4"))
        },
        Span { parent_id: p, name: Some("a".into()), timestamp: Some(2), ..sp(t, &pad("4")) },
    ]);
    let got: Vec<String> =
        spans.iter().map(|s| format!("{}-{}-{}", short(&s.id), s.shared == Some(true), s.timestamp.unwrap())).collect();
    // "unshared is first even if later!"
    assert_eq!(got, ["4-false-2", "4-true-1", "3-false-2", "2-false-3"]);
}

// Lens span-node.test.js: "should construct a trace tree" (by parent id, not input order)
#[test]
fn tree_is_built_by_parent_id_not_input_order() {
    let m = model(vec![
        span("d", Some("c"), None, None),
        span("c", Some("b"), None, None),
        span("b", Some("a"), None, None),
        span("a", None, None, None),
    ]);
    assert_eq!(row_ids(&m), ["a", "b", "c", "d"]);
    assert_eq!(depths(&m), [0, 1, 2, 3]);
    let a = span_index(&m, "a", false);
    assert_eq!(m.tree().root, Some(a));
    assert_eq!(tree_children(&m, a), ["b"]);
    assert_eq!(tree_children(&m, span_index(&m, "b", false)), ["c"]);
}

// Lens span-node.test.js: "should dedupe while constructing a trace tree"
#[test]
fn identical_spans_become_one_node() {
    let m = model(vec![span("a", None, None, None), span("a", None, None, None), span("a", None, None, None)]);
    assert_eq!(m.spans().len(), 1);
    assert_eq!(m.raw_span_count(), 3);
    assert_eq!(row_ids(&m), ["a"]);
    assert!(m.tree().children(0).is_empty());
}

// Lens span-node.test.js: "should allocate spans missing parents to root"
#[test]
fn extra_roots_hang_under_the_first_root() {
    let m = model(vec![
        span("b", None, Some(1), None),
        span("c", Some("b"), Some(2), None),
        span("d", Some("b"), Some(3), None),
        span("e", None, Some(4), None),
        span("f", None, Some(5), None),
    ]);
    let b = span_index(&m, "b", false);
    assert_eq!(m.tree().root, Some(b));
    assert_eq!(tree_children(&m, b), ["c", "d", "e", "f"]);
    assert_eq!(row_ids(&m), ["b", "c", "d", "e", "f"]);
    assert_eq!(depths(&m), [0, 1, 1, 1, 1]);
    let extra: Vec<&str> = m.report().extra_roots.iter().map(|&i| short(&m.spans()[i as usize].id)).collect();
    assert_eq!(extra, ["e", "f"]);
}

// Lens span-node.test.js: "should construct a trace missing a root span"
#[test]
fn headless_trace_keeps_every_span_at_the_top() {
    let m = model(vec![
        span("b", Some("a"), None, None),
        span("c", Some("a"), None, None),
        span("d", Some("a"), None, None),
    ]);
    assert_eq!(m.tree().root, None);
    assert!(m.report().headless);
    assert_eq!(row_ids(&m), ["b", "c", "d"]);
    assert_eq!(depths(&m), [0, 0, 0]);
    assert_eq!(m.report().missing_parents.len(), 3);
}

// Lens span-node.test.js: "should skip on cycle" (a span that names itself as parent)
#[test]
fn a_span_naming_itself_as_parent_is_the_root() {
    let m = model(vec![span("b", Some("b"), None, None)]);
    assert_eq!(m.spans(), &[Span { trace_id: pad("a").replace('a', "1"), id: pad("b"), ..Span::default() }]);
    assert_eq!(m.self_parents(), &[0]);
    assert_eq!(m.tree().root, Some(0));
    assert!(m.tree().children(0).is_empty());
}

// Lens span-node.test.js: "should order children by timestamp" (missing timestamp first)
#[test]
fn children_are_ordered_by_timestamp_missing_first() {
    let m = model(vec![
        span("1", None, None, None),
        span("a", Some("1"), Some(2), None),
        span("b", Some("1"), Some(1), None),
        span("c", Some("1"), None, None),
    ]);
    assert_eq!(tree_children(&m, span_index(&m, "1", false)), ["c", "b", "a"]);
    assert_eq!(row_ids(&m), ["1", "c", "b", "a"]);
}

// Lens span-node.test.js: "should order children by timestamp when IPs change"
#[test]
fn a_local_span_on_the_shared_servers_ip_is_its_child_and_another_ip_is_not() {
    let svc = |ip_addr: &str| ep_ip("my-service", ip_addr);
    let m = model(vec![
        Span {
            kind: Some(Kind::Server),
            shared: Some(true),
            local_endpoint: svc("10.2.3.4"),
            ..span("c", Some("a"), Some(1), None)
        },
        Span { kind: Some(Kind::Client), local_endpoint: svc("169.2.3.4"), ..span("b", Some("c"), Some(2), None) },
        Span { local_endpoint: svc("10.2.3.4"), ..span("a", Some("c"), Some(3), None) },
    ]);
    let top: Vec<&str> = m.tree().top.iter().map(|&i| short(&m.spans()[i as usize].id)).collect();
    assert_eq!(top, ["c", "b"]);
    assert_eq!(tree_children(&m, span_index(&m, "c", true)), ["a"]);
    // Breadth first, as SpanNode.traverse reads it: the input order.
    let bfs: Vec<&str> = m.tree().breadth_first().iter().map(|&i| short(&m.spans()[i as usize].id)).collect();
    assert_eq!(bfs, ["c", "b", "a"]);
    assert_eq!(row_ids(&m), ["c", "a", "b"]);
}

// Lens span-node.test.js: "should remove incorrect shared flag on only root span"
#[test]
fn a_lone_shared_root_loses_its_flag_and_keeps_its_shared_children() {
    let srv = |s: Span, svc: &str| Span { kind: Some(Kind::Server), shared: Some(true), local_endpoint: ep(svc), ..s };
    let m = model(vec![
        srv(span("a", None, Some(1), None), "routing"),
        srv(span("b", Some("a"), Some(2), None), "routing"),
        srv(span("c", Some("a"), Some(3), None), "yelp_main/biz"),
    ]);
    let root = m.tree().root.expect("a root");
    assert_eq!(short(&m.spans()[root as usize].id), "a");
    assert_eq!(m.spans()[root as usize].shared, None);
    assert_eq!(tree_children(&m, root), ["b", "c"]);
    assert_eq!(row_ids(&m), ["a", "b", "c"]);
}

// ---- clock-skew.test.js ----

fn skew_frontend() -> Option<Endpoint> {
    ep_ip("frontend", "172.17.0.13")
}

fn skew_backend() -> Option<Endpoint> {
    ep_ip("backend", "172.17.0.9")
}

/// A client root and its server. Lens's cases call `getClockSkew` on a parent/child pair whose
/// client has a missing parent; the model skips headless traces, so here the client is the root.
fn rpc(
    client: (u64, Option<u64>),
    server: (u64, Option<u64>),
    server_ep: Option<Endpoint>,
    is_shared: bool,
) -> TraceModel {
    model(vec![
        Span { kind: Some(Kind::Client), local_endpoint: skew_frontend(), ..span("3", None, Some(client.0), client.1) },
        Span {
            kind: Some(Kind::Server),
            local_endpoint: server_ep,
            shared: is_shared.then_some(true),
            ..span("3", None, Some(server.0), server.1)
        },
    ])
}

/// (client delta, server delta) of an `rpc` model.
fn deltas(m: &TraceModel) -> (i64, i64) {
    (m.skew().delta_of(span_index(m, "3", false)), m.skew().delta_of(span_index(m, "3", true)))
}

// Lens clock-skew.test.js: "clock skew should only correct across different hosts"
#[test]
fn skew_is_not_corrected_on_the_same_host() {
    let m = rpc((20, Some(20)), (10, Some(10)), skew_frontend(), true);
    assert_eq!(deltas(&m), (0, 0));
    assert!(m.skew().moved.is_empty());
    assert_eq!(m.skew().skipped, None);
}

// Lens clock-skew.test.js: "clock skew should only exist when client is behind server"
#[test]
fn no_skew_when_the_server_starts_after_the_client() {
    let m = rpc((20, Some(20)), (30, Some(10)), skew_backend(), true);
    assert_eq!(deltas(&m), (0, 0));
}

// Lens clock-skew.test.js: "clock skew should be attributed to the server endpoint" and
// "skew includes half the difference of client and server duration": skew = 10 − 20 − (20 − 10)/2
// = −15, so the server moves 15 µs later, to the middle of its client.
#[test]
fn skew_moves_the_server_to_the_middle_of_its_client() {
    let m = rpc((20, Some(20)), (10, Some(10)), skew_backend(), true);
    assert_eq!(deltas(&m), (0, 15));
    let server = span_index(&m, "3", true);
    assert_eq!(m.span_start(server, true), Some(25));
    assert_eq!(m.span_start(server, false), Some(10));
    assert_eq!(m.skew().moved.len(), 1);
    assert_eq!((m.skew().moved[0].span, m.skew().moved[0].delta), (server, 15));
}

// Lens clock-skew.test.js: "clock skew should be attributed to the server endpoint even if missing
// shared flag" (cleaning marks a server after its client shared)
#[test]
fn skew_is_found_when_the_server_lacks_the_shared_flag() {
    let m = rpc((20, Some(20)), (10, Some(10)), skew_backend(), false);
    assert_eq!(deltas(&m), (0, 15));
}

// Lens clock-skew.test.js: "skew on one-way spans assumes latency is at least 1us"
#[test]
fn one_way_skew_puts_the_server_1us_after_the_client() {
    let m = rpc((20, None), (10, None), skew_backend(), true);
    assert_eq!(deltas(&m), (0, 11));
    assert_eq!(m.span_start(span_index(&m, "3", true), true), Some(21));
}

// Lens clock-skew.test.js: "skew on async server spans assumes latency is at least 1us"
#[test]
fn async_server_longer_than_its_client_starts_1us_after_it() {
    let m = rpc((20, Some(5)), (10, Some(10)), skew_backend(), true);
    assert_eq!(deltas(&m), (0, 11));
}

// Lens clock-skew.test.js: "IPs should not match unless both sides have an IP": a server without
// an address has no host to correct, so nothing moves even though the client has an address.
#[test]
fn a_server_without_an_address_is_not_moved() {
    let m = rpc((20, Some(20)), (10, Some(10)), ep("backend"), true);
    assert_eq!(deltas(&m), (0, 0));
}

// Lens clock-skew.test.js: "IPs should match when ipv4 or ipv6 match": one host with both
// addresses on the server and only the IPv6 one on the client is one host: no correction.
#[test]
fn hosts_matching_by_ipv6_are_one_host() {
    let both = Some(Endpoint {
        service_name: Some("backend".into()),
        ipv4: Some("192.168.99.101".into()),
        ipv6: Some("2001:db8::c001".into()),
        ..Endpoint::default()
    });
    let v6 = Some(Endpoint {
        service_name: Some("frontend".into()),
        ipv6: Some("2001:db8::c001".into()),
        ..Endpoint::default()
    });
    let m = model(vec![
        Span { kind: Some(Kind::Client), local_endpoint: v6, ..span("3", None, Some(20), Some(20)) },
        Span {
            kind: Some(Kind::Server),
            local_endpoint: both,
            shared: Some(true),
            ..span("3", None, Some(10), Some(10))
        },
    ]);
    assert_eq!(deltas(&m), (0, 0));
}

fn skew_fixture() -> Vec<Span> {
    let path = format!("{}/../../shared/fixtures/zipkin/skew.json", env!("CARGO_MANIFEST_DIR"));
    spanscope_domain::decode::decode_spans(&std::fs::read(path).unwrap()).unwrap()
}

// Lens clock-skew.test.js: "should correct skew" (children happen after their parent, in order)
#[test]
fn skew_fixture_is_corrected_so_children_follow_parents() {
    let m = TraceModel::build(skew_fixture());
    let tree = m.tree();
    let mut queue = tree.top.clone();
    let mut checked = 0;
    while let Some(p) = queue.pop() {
        let kids = tree.children(p);
        let mut last = None;
        for &c in kids {
            let (ps, cs) = (m.span_start(p, true).unwrap(), m.span_start(c, true).unwrap());
            assert!(cs > ps, "child {c} at {cs} should start after parent {p} at {ps}");
            if let Some(l) = last {
                assert!(cs > l, "siblings out of order");
            }
            last = Some(cs);
            checked += 1;
            queue.push(c);
        }
    }
    assert_eq!(checked, 3);
    // Exact values: latency (94539 − 93577) / 2 = 481, skew 1470150004008761 − 481 −
    // 1470150004074202 = −65922; the server and the local span on its host move by +65922.
    let moved: Vec<(&str, bool, i64)> = m
        .skew()
        .moved
        .iter()
        .map(|mv| (short(&m.spans()[mv.span as usize].id), m.spans()[mv.span as usize].shared == Some(true), mv.delta))
        .collect();
    let mut moved = moved;
    moved.sort();
    assert_eq!(moved, [("43210ae0c10d1234", false, 65_922), ("74280ae0c10d8062", true, 65_922)]);
    let server = span_index(&m, "74280ae0c10d8062", true);
    assert_eq!(m.span_start(server, true), Some(1_470_150_004_074_683));
}

// Lens clock-skew.test.js: "should skip when headless"
#[test]
fn skew_is_skipped_when_headless() {
    let headless: Vec<Span> = skew_fixture().into_iter().filter(|s| s.parent_id.is_some()).collect();
    let m = TraceModel::build(headless);
    assert_eq!(m.skew().skipped, Some(SkewSkipped::Headless));
    assert!(m.skew().moved.is_empty());
    assert!(m.skew().delta.iter().all(|&d| d == 0));
}

// Lens clock-skew.test.js: "should skip on duplicate root"
#[test]
fn skew_is_skipped_with_a_second_root() {
    let mut spans = skew_fixture();
    let trace_id = spans[0].trace_id.clone();
    spans.push(Span { trace_id, id: "cafebabe".into(), name: Some("curtain".into()), ..Span::default() });
    let m = TraceModel::build(spans);
    assert_eq!(m.skew().skipped, Some(SkewSkipped::SeveralRoots));
    assert!(m.skew().moved.is_empty());
}

// ---- trace.test.js (detailedTraceSummary) ----

fn http_trace() -> Vec<Span> {
    let fe = skew_frontend();
    let be = skew_backend();
    vec![
        Span {
            trace_id: "bb1f0e21882325b8".into(),
            parent_id: Some("bb1f0e21882325b8".into()),
            id: "c8c50ebd2abc179e".into(),
            kind: Some(Kind::Client),
            name: Some("get".into()),
            timestamp: Some(1_541_138_169_297_572),
            duration: Some(111_121),
            local_endpoint: fe.clone(),
            annotations: vec![ann(1_541_138_169_337_695, "ws"), ann(1_541_138_169_368_570, "wr")],
            tags: tags(&[("http.method", "GET"), ("http.path", "/api")]),
            ..Span::default()
        },
        Span {
            trace_id: "bb1f0e21882325b8".into(),
            id: "bb1f0e21882325b8".into(),
            kind: Some(Kind::Server),
            name: Some("get /".into()),
            timestamp: Some(1_541_138_169_255_688),
            duration: Some(168_731),
            local_endpoint: fe,
            remote_endpoint: Some(Endpoint {
                ipv4: Some("110.170.201.178".into()),
                port: Some(63678),
                ..Endpoint::default()
            }),
            tags: tags(&[("http.method", "GET"), ("http.path", "/")]),
            ..Span::default()
        },
        Span {
            trace_id: "bb1f0e21882325b8".into(),
            parent_id: Some("bb1f0e21882325b8".into()),
            id: "c8c50ebd2abc179e".into(),
            kind: Some(Kind::Server),
            name: Some("get /api".into()),
            timestamp: Some(1_541_138_169_377_997), // skewed right, which cannot be corrected
            duration: Some(26_326),
            local_endpoint: be,
            remote_endpoint: Some(Endpoint {
                ipv4: Some("172.17.0.13".into()),
                port: Some(63679),
                ..Endpoint::default()
            }),
            shared: Some(true),
            ..Span::default()
        },
    ]
}

// Lens trace.test.js: "should derive summary info" (trace id, duration, one row per span id,
// root service and name; the server skewed to the right is not moved)
#[test]
fn http_trace_has_two_rows_and_the_root_servers_duration() {
    let m = model(http_trace());
    assert_eq!(m.trace_id(), "bb1f0e21882325b8");
    assert_eq!(m.duration(true), 168_731);
    assert_eq!(m.row_count(), 2);
    assert_eq!(m.depth(), 2);
    assert_eq!(row_ids(&m), ["bb1f0e21882325b8", "c8c50ebd2abc179e"]);
    assert_eq!((m.row_service_name(0), m.row_name(0)), ("frontend", "get /"));
    // The client row shows its server's service and name (a leaf with a shared half).
    assert_eq!((m.row_service_name(1), m.row_name(1)), ("backend", "get /api"));
    assert_eq!(m.services(), ["backend", "frontend"]);
    assert!(m.skew().moved.is_empty());
}

// Lens trace.test.js: "should position incomplete spans at the correct offset" (yelp: the root
// row is at offset 0)
#[test]
fn yelp_root_row_is_at_offset_zero() {
    let path = format!("{}/../../shared/fixtures/zipkin/yelp.json", env!("CARGO_MANIFEST_DIR"));
    let raw = spanscope_domain::decode::decode_spans(&std::fs::read(path).unwrap()).unwrap();
    let m = TraceModel::build(raw);
    let rows = visible_rows(&m, &RowOptions { skew: true, ..RowOptions::default() });
    assert_eq!(rows.rows[0].offset, 0);
    assert!(rows.rows[1..].iter().all(|r| r.offset > 0), "only the root row starts at the trace start");
}

// Lens trace.test.js: "should derive summary info even when headless" (the client's duration)
#[test]
fn headless_http_trace_is_measured_by_its_client() {
    let spans: Vec<Span> = http_trace().into_iter().filter(|s| s.parent_id.is_some()).collect();
    let m = model(spans);
    assert!(m.report().headless);
    assert_eq!(m.duration(true), 111_121);
    assert_eq!(m.row_count(), 1);
    assert_eq!(m.depth(), 1);
    assert_eq!(m.services(), ["backend", "frontend"]);
    assert_eq!(m.row_spans(0).len(), 2);
    let first = m.span(m.row(0).unwrap().span).unwrap();
    assert_eq!((first.kind, first.name.as_deref()), (Some(Kind::Client), Some("get")));
}

// Lens trace.test.js: "should order spans by timestamp, root first, not by cause" (rows in
// depth-first order). Lens's case adds nodes by hand in the order e, f, 1; through mergeV2ById,
// as here, untimed and unnamed siblings end up in id order, so "1" comes before "e" (as in Lens
// when it is given spans).
#[test]
fn rows_are_depth_first() {
    let m = model(vec![
        span("a", None, Some(1), None),
        span("b", Some("a"), None, None),
        span("c", Some("a"), None, None),
        span("d", Some("a"), None, None),
        span("e", Some("b"), None, None),
        span("f", Some("b"), None, None),
        span("1", Some("b"), None, None),
        span("2", Some("1"), None, None),
    ]);
    assert_eq!(row_ids(&m), ["a", "b", "1", "2", "e", "f", "c", "d"]);
    assert_eq!(depths(&m), [0, 1, 2, 3, 2, 2, 1, 1]);
    assert_arena_invariants(&m);
}

// Lens trace.test.js: "should order rows by topologically, then timestamp when endpoints are
// inconsistent"
#[test]
fn rows_follow_timestamps_when_endpoints_are_inconsistent() {
    let sad = |ip_addr: &str, port: u16| {
        Some(Endpoint {
            service_name: Some("sad_pages".into()),
            ipv4: Some(ip_addr.into()),
            port: Some(port),
            ..Endpoint::default()
        })
    };
    let phantom = Some(Endpoint {
        service_name: Some("phantom".into()),
        ipv4: Some("10.1.1.123".into()),
        port: Some(32767),
        ..Endpoint::default()
    });
    let whelp = Some(Endpoint {
        service_name: Some("whelp-main".into()),
        ipv4: Some("169.254.0.1".into()),
        port: Some(43237),
        ..Endpoint::default()
    });
    let s = |id: &str, parent: Option<&str>, name: &str, ts: u64, dur: u64| Span {
        trace_id: "a".into(),
        name: Some(name.into()),
        ..span(id, parent, Some(ts), Some(dur))
    };
    let m = model(vec![
        Span { local_endpoint: sad("10.1.1.123", 31107), ..s("5", Some("1"), "get /header", 359_175, 108_123) },
        Span { local_endpoint: sad("10.1.1.123", 31107), ..s("4", Some("1"), "get /footer", 341_172, 16_640) },
        Span {
            kind: Some(Kind::Client),
            local_endpoint: sad("169.254.0.3", 43193),
            ..s("3", Some("1"), "get", 30_000, 123_000)
        },
        Span {
            kind: Some(Kind::Server),
            shared: Some(true),
            local_endpoint: phantom,
            ..s("2", Some("1"), "get /token", 12_137, 12_785)
        },
        Span {
            kind: Some(Kind::Client),
            local_endpoint: sad("169.254.0.2", 49647),
            ..s("2", Some("1"), "get", 11_000, 13_000)
        },
        Span {
            kind: Some(Kind::Server),
            shared: Some(true),
            local_endpoint: sad("10.1.1.123", 31107),
            ..s("1", None, "get /sad", 4_857, 525_280)
        },
        Span { kind: Some(Kind::Client), local_endpoint: whelp, ..s("1", None, "get", 1, 537_000) },
    ]);
    let starts: Vec<u64> = m.rows().iter().map(|r| r.start_us(true)).collect();
    assert_eq!(starts, [1, 11_000, 30_000, 341_172, 359_175]);
    assert_eq!(row_ids(&m), ["1", "2", "3", "4", "5"]);
}

// ---- span-row.test.js (newSpanRow) ----

fn row_of_one(s: Span) -> (String, String, u64, bool, ErrorKind) {
    let m = model(vec![s]);
    let r = m.row(0).unwrap();
    (m.row_service_name(0).to_owned(), m.row_name(0).to_owned(), r.duration, r.has_timestamp, r.error)
}

// Lens span-row.test.js: "should return none if annotations and tags are empty" and the
// getErrorType cases that follow: an `error` tag is critical (even empty), an `error` annotation
// alone is transient, other annotations and tag values are no error.
#[test]
fn error_kinds_follow_get_error_type() {
    let base = || span("bf396325699c84bf", None, Some(1), Some(1));
    let cases = [
        (base(), ErrorKind::None),
        (Span { annotations: vec![ann(1, "not")], tags: tags(&[("not", "error")]), ..base() }, ErrorKind::None),
        (Span { tags: tags(&[("error", "")]), ..base() }, ErrorKind::Critical),
        (Span { annotations: vec![ann(1, "not")], tags: tags(&[("error", "")]), ..base() }, ErrorKind::Critical),
        (Span { annotations: vec![ann(1, "error")], tags: tags(&[("error", "")]), ..base() }, ErrorKind::Critical),
        (Span { annotations: vec![ann(1, "error")], tags: tags(&[("not", "error")]), ..base() }, ErrorKind::Transient),
    ];
    for (i, (s, want)) in cases.into_iter().enumerate() {
        assert_eq!(row_of_one(s).4, want, "case {i}");
    }
}

// Lens span-row.test.js: "should return critical if span1 has ann=error and span2 has tag=error"
// (a row's error is the worst of its spans)
#[test]
fn a_rows_error_is_the_worst_of_its_spans() {
    let m = model(vec![
        Span {
            kind: Some(Kind::Client),
            annotations: vec![ann(2, "error")],
            local_endpoint: ep_ip("a", "1.1.1.1"),
            ..span("1", None, Some(1), Some(10))
        },
        Span {
            kind: Some(Kind::Server),
            shared: Some(true),
            tags: tags(&[("error", "")]),
            local_endpoint: ep_ip("b", "2.2.2.2"),
            ..span("1", None, Some(2), Some(5))
        },
    ]);
    assert_eq!(m.row_count(), 1);
    assert_eq!(m.row(0).unwrap().error, ErrorKind::Critical);
}

// Lens span-row.test.js: "converts client span" (prefer the local service on a span with
// children; a leaf client shows its remote one: "converts client leaf spans using its remote
// service name")
#[test]
fn a_client_row_shows_its_local_service_unless_it_is_a_leaf() {
    let client = Span {
        kind: Some(Kind::Client),
        local_endpoint: frontend(),
        remote_endpoint: backend(),
        name: Some("get".into()),
        ..span("3", None, Some(1_472_470_996_199_000), Some(207_000))
    };
    assert_eq!(row_of_one(client.clone()), ("backend".to_owned(), "get".to_owned(), 207_000, true, ErrorKind::None));
    let m = model(vec![
        client,
        Span { local_endpoint: frontend(), ..span("4", Some("3"), Some(1_472_470_996_200_000), Some(10)) },
    ]);
    assert_eq!(m.row_service_name(0), "frontend");
}

// Lens span-row.test.js: "converts incomplete client span" (duration 0 when unknown)
#[test]
fn an_unfinished_client_row_has_zero_duration() {
    let s = Span {
        kind: Some(Kind::Client),
        local_endpoint: frontend(),
        name: Some("get".into()),
        ..span("3", None, Some(1_472_470_996_199_000), None)
    };
    assert_eq!(row_of_one(s), ("frontend".to_owned(), "get".to_owned(), 0, true, ErrorKind::None));
}

// Lens span-row.test.js: "converts late remoteEndpoint to sa" (no local service: unknown)
#[test]
fn a_span_with_only_a_remote_endpoint_has_an_unknown_service() {
    let m = model(vec![Span { remote_endpoint: backend(), ..span("3", Some("2"), None, None) }]);
    assert_eq!(m.row_service_name(0), "unknown");
    assert_eq!(m.row_name(0), "unknown");
    assert_eq!(m.services(), ["backend"]);
    assert!(!m.row(0).unwrap().has_timestamp);
}

// Lens span-row.test.js: "converts span with no endpoints"
#[test]
fn a_span_with_no_endpoints_is_unknown() {
    let s = Span { name: Some("get".into()), ..span("3", None, Some(1_472_470_996_199_000), Some(207_000)) };
    assert_eq!(row_of_one(s), ("unknown".to_owned(), "get".to_owned(), 207_000, true, ErrorKind::None));
}

// Lens span-row.test.js: "when shared server span is missing its client, write its timestamp and
// duration" and "converts incomplete shared server span" (a shared timestamp is the fallback)
#[test]
fn a_shared_server_without_client_gives_the_row_its_timing() {
    let s = Span {
        kind: Some(Kind::Server),
        shared: Some(true),
        local_endpoint: backend(),
        remote_endpoint: frontend(),
        name: Some("get".into()),
        ..span("2", Some("1"), Some(1_472_470_996_199_000), Some(207_000))
    };
    let m = model(vec![s.clone()]);
    let r = m.row(0).unwrap();
    assert_eq!((r.start_us(false), r.duration, r.has_timestamp), (1_472_470_996_199_000, 207_000, true));
    assert_eq!(m.row_service_name(0), "backend");
    let incomplete = Span { duration: None, ..s };
    assert_eq!(row_of_one(incomplete).2, 0);
}

// Lens span-row.test.js: "converts local span", "converts producer span", "converts consumer
// span" (local service; consumer shows its own service, not the broker's)
#[test]
fn local_producer_and_consumer_rows_show_their_local_service() {
    let local = Span {
        name: Some("local".into()),
        local_endpoint: ep("frontend"),
        ..span("2", None, Some(1_472_470_996_199_000), Some(207_000))
    };
    assert_eq!(row_of_one(local), ("frontend".to_owned(), "local".to_owned(), 207_000, true, ErrorKind::None));
    let producer = Span {
        kind: Some(Kind::Producer),
        local_endpoint: frontend(),
        remote_endpoint: ep("kafka"),
        ..span("2", None, Some(1_472_470_996_199_000), Some(51_000))
    };
    assert_eq!(row_of_one(producer).0, "frontend");
    let consumer = Span {
        kind: Some(Kind::Consumer),
        local_endpoint: backend(),
        remote_endpoint: ep("kafka"),
        ..span("2", None, Some(1_472_470_996_199_000), Some(51_000))
    };
    assert_eq!(row_of_one(consumer), ("backend".to_owned(), "unknown".to_owned(), 51_000, true, ErrorKind::None));
}

// Lens span-row.test.js: "converts client span" with its shared server: the row prefers the
// server's name and service and the client's timing.
#[test]
fn a_shared_pair_row_takes_the_servers_name_and_the_clients_timing() {
    let m = model(vec![client_span(), Span { name: Some("get /api".into()), ..server_span() }]);
    assert_eq!(m.row_count(), 1);
    let r = m.row(0).unwrap();
    assert_eq!((r.start_us(false), r.duration), (1_472_470_996_199_000, 207_000));
    assert_eq!((m.row_service_name(0), m.row_name(0)), ("backend", "get /api"));
    assert_eq!(m.row_spans(0).len(), 2);
}
