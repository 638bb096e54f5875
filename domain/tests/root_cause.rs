//! Root cause (issue 21): the deepest span that failed first, with its chain and reason, on
//! hand-made traces and the smartthings fixture; and the latency cause on the critical path.
mod common;
use common::*;
use spanscope_domain::root_cause::{error_root_cause, latency_root_cause};

fn err(s: spanscope_domain::span::Span, value: &str) -> spanscope_domain::span::Span {
    tagged(s, &[("error", value)])
}

#[test]
fn the_earliest_failure_with_no_failure_below_it_is_the_cause() {
    // root ✗ → a ✗ → a1 ✗ (starts at 30); root → b ✗ (a leaf, starts at 20); root → c ✓.
    let m = model(vec![
        err(timed("1", None, 1_000, 100, "api", "get"), "500"),
        err(timed("2", Some("1"), 1_005, 60, "auth", "check"), "500"),
        err(timed("3", Some("2"), 1_030, 10, "db", "select"), "timeout"),
        err(timed("4", Some("1"), 1_020, 10, "cache", "get"), "refused"),
        timed("5", Some("1"), 1_001, 10, "log", "write"),
    ]);
    let cause = error_root_cause(&m, true).expect("a cause");
    assert_eq!(row_id(&m, cause.row), "4");
    let chain: Vec<&str> = cause.chain.iter().map(|&r| row_id(&m, r)).collect();
    assert_eq!(chain, ["1", "4"]);
    assert_eq!(
        cause.reason,
        "it failed (error: refused) with no failing span below it, and it started first (+20μs) of the 2 spans where an error starts (4 failing spans in all)."
    );
}

#[test]
fn among_failures_starting_together_the_deepest_wins() {
    let m = model(vec![
        err(timed("1", None, 1_000, 100, "api", "get"), ""),
        err(timed("2", Some("1"), 1_010, 50, "a", "x"), ""),
        err(timed("3", Some("2"), 1_020, 10, "b", "y"), ""),
        err(timed("4", Some("1"), 1_020, 10, "c", "z"), ""),
    ]);
    let cause = error_root_cause(&m, true).unwrap();
    assert_eq!(row_id(&m, cause.row), "3");
    assert_eq!(cause.chain.iter().map(|&r| row_id(&m, r)).collect::<Vec<_>>(), ["1", "2", "3"]);
    assert!(cause.reason.starts_with("it failed with no failing span below it"), "{}", cause.reason);
}

#[test]
fn recovered_errors_count_only_when_nothing_failed_outright() {
    let mut flaky = timed("2", Some("1"), 1_010, 10, "a", "retry");
    flaky.annotations = vec![ann(1_012, "error")];
    let m = model(vec![timed("1", None, 1_000, 100, "api", "get"), flaky.clone()]);
    let cause = error_root_cause(&m, true).unwrap();
    assert_eq!(row_id(&m, cause.row), "2");
    assert_eq!(
        cause.reason,
        "it recorded an error it recovered from and no span below it failed: of the 1 failing span, it is the only one where an error starts."
    );
    let m = model(vec![
        timed("1", None, 1_000, 100, "api", "get"),
        flaky,
        err(timed("3", Some("1"), 1_050, 5, "b", "x"), ""),
    ]);
    assert_eq!(row_id(&m, error_root_cause(&m, true).unwrap().row), "3");
    assert_eq!(error_root_cause(&model(vec![timed("1", None, 1, 2, "a", "b")]), true), None);
}

#[test]
fn fixture_root_cause_of_smartthings_is_the_404() {
    let m = fixture_model("smartthings-mobile-web-install");
    let cause = error_root_cause(&m, true).unwrap();
    assert_eq!(row_id(&m, cause.row), "71687cb74971c332");
    assert_eq!(cause.chain.first().map(|&r| m.row(r).unwrap().depth), Some(0));
    assert_eq!(cause.chain.last(), Some(&cause.row));
    assert!(cause.chain.windows(2).all(|w| m.row(w[1]).unwrap().parent == w[0]), "a chain of parents");
    assert!(cause.reason.contains("error: 404"), "{}", cause.reason);
}

#[test]
fn latency_cause_is_the_most_self_time_on_the_critical_path() {
    // root 0..100 → child 0..90 → leaf 0..20: the path gives root 10, child 70, leaf 20.
    let m = model(vec![
        timed("1", None, 1_000, 100, "api", "get"),
        timed("2", Some("1"), 1_000, 90, "db", "query"),
        timed("3", Some("2"), 1_000, 20, "db", "fetch"),
    ]);
    let cause = latency_root_cause(&m, true).unwrap();
    assert_eq!(row_id(&m, cause.row), "2");
    assert_eq!(cause.chain.iter().map(|&r| row_id(&m, r)).collect::<Vec<_>>(), ["1", "2"]);
    assert_eq!(
        cause.reason,
        "it spends 70μs of its own time on the critical path (70% of the trace's 100μs), more than any other of the 3 spans on it."
    );
    assert_eq!(latency_root_cause(&model(vec![]), true), None);
}
