//! Issue 25: one odd field from a backend or a file fails nothing around it (what `lenient.rs` promises): a
//! boolean duration, a structured tag value, a negative call count are read as absent (or as their JSON text)
//! and the rest of the trace, the search answer and the graph is shown.
use spanscope_domain::decode::decode_spans;
use spanscope_domain::dependency_links::DependencyLink;
use spanscope_domain::search_results::summarize_answer;

const ODD_SPAN: &str = r#"{"traceId":"a1","id":"b1","name":"get","timestamp":1000,"duration":true,
  "localEndpoint":{"serviceName":"shop","port":[1]},"tags":{"obj":{"x":1},"list":[1,"two"],"ok":"yes"}}"#;

#[test]
fn a_boolean_duration_and_structured_tags_do_not_fail_the_trace() {
    let spans = decode_spans(format!("[{ODD_SPAN}]").as_bytes()).unwrap();
    assert_eq!(spans[0].duration, None);
    assert_eq!(spans[0].local_endpoint.as_ref().and_then(|e| e.port), None);
    let tags: Vec<(&str, &str)> = spans[0].tags.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(tags, [("list", r#"[1,"two"]"#), ("obj", r#"{"x":1}"#), ("ok", "yes")]);
}

#[test]
fn one_odd_span_does_not_fail_the_search_answer() {
    let good = r#"{"traceId":"c1","id":"d1","name":"put","timestamp":2000,"duration":5,"localEndpoint":{"serviceName":"cart"}}"#;
    let summaries = summarize_answer(format!("[[{ODD_SPAN}],[{good}]]").as_bytes()).unwrap();
    let ids: Vec<&str> = summaries.iter().map(|s| s.trace_id.as_str()).collect();
    assert_eq!(ids, ["00000000000000a1", "00000000000000c1"]);
    assert_eq!(summaries[1].duration, 5);
}

#[test]
fn a_negative_call_count_does_not_fail_the_graph() {
    let links: Vec<DependencyLink> = serde_json::from_str(
        r#"[{"parent":"a","child":"b","callCount":-1},{"parent":"b","child":"c","callCount":3,"errorCount":"x"}]"#,
    )
    .unwrap();
    assert_eq!(
        links,
        [
            DependencyLink { parent: "a".into(), child: "b".into(), call_count: 0, error_count: 0 },
            DependencyLink { parent: "b".into(), child: "c".into(), call_count: 3, error_count: 0 },
        ]
    );
}
