#![cfg(not(target_arch = "wasm32"))]
//! Zipkin Lens span-cleaner.test.js cases that our cleaner (clean.rs, owned elsewhere) fails
//! today, kept here ignored so the fix can switch them on: Lens's final order (`spanComparator`)
//! puts, among spans sharing an id, the unshared (client) span first whatever the timestamps;
//! ours sorts by timestamp first, so a shared server without timestamp lands before its client.
mod common;

use common::*;
use spanscope_domain::clean::{clean_trace, Flavor};
use spanscope_domain::span::{Kind, Span};

fn lens(spans: &[Span]) -> Vec<Span> {
    clean_trace(&through_json(spans), Flavor::Lens).spans
}

fn sp(trace: &str, id: &str) -> Span {
    Span { trace_id: trace.into(), id: id.into(), ..Span::default() }
}

fn pad(id: &str) -> String {
    format!("{id:0>16}")
}

// Lens span-cleaner.test.js: "should merge when missing endpoints"
#[ignore = "known bug (clean.rs): final order puts a timed span after untimed ones with its id; Lens orders the unshared one first"]
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
#[ignore = "known bug (clean.rs): final order puts a timed span after untimed ones with its id; Lens orders the unshared one first"]
#[test]
fn merge_keeps_shared_servers_on_different_ips_apart() {
    let late = Span { parent_id: Some("a".into()), duration: Some(10), local_endpoint: ep("frontend"), ..sp("a", "b") };
    assert_eq!(two_servers_on_different_ips(late), expected_two_servers());
}

// Lens span-cleaner.test.js: "should put random data on first span with endpoint"
#[ignore = "known bug (clean.rs): final order puts a timed span after untimed ones with its id; Lens orders the unshared one first"]
#[test]
fn merge_puts_late_data_without_parent_or_endpoint_on_the_client() {
    let late = Span { duration: Some(10), ..sp("a", "b") };
    assert_eq!(two_servers_on_different_ips(late), expected_two_servers());
}

// Lens span-cleaner.test.js: "should order spans by shared, timestamp then name"
#[ignore = "known bug (clean.rs): the shared half (ts 1) is ordered before its unshared span (ts 2)"]
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
