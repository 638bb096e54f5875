#![cfg(not(target_arch = "wasm32"))]
//! Search results built from the real fixtures: every fixture trace summarised, then filtered,
//! sorted and plotted the way the search page does it.
use spanscope_domain::decode::decode_file;
use spanscope_domain::scatter::{scatter, PlotFrame};
use spanscope_domain::search_results::{ResultFilter, ResultSet, SortOrder};
use spanscope_domain::summary::summarize;

fn fixture_results() -> ResultSet {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/zipkin");
    let mut summaries = Vec::new();
    for name in ["yelp.json", "skew.json", "messaging-kafka.json", "smartthings-mobile-web-install.json"] {
        let bytes = std::fs::read(dir.join(name)).expect("fixture");
        summaries.extend(decode_file(&bytes).expect("decodes").iter().map(|t| summarize(t)));
    }
    ResultSet::new(summaries)
}

#[test]
fn fixtures_sort_filter_and_plot() {
    let set = fixture_results();
    assert!(set.len() >= 4, "{} traces", set.len());
    let all = set.select(&ResultFilter::default(), SortOrder::Newest);
    assert_eq!(all.len(), set.len());
    let starts: Vec<u64> = all.iter().map(|&i| set.get(i).unwrap().start).collect();
    assert!(starts.windows(2).all(|w| w[0] >= w[1]), "newest first: {starts:?}");
    let most = set.select(&ResultFilter::default(), SortOrder::MostSpans);
    assert_eq!(set.get(most[0]).unwrap().span_count, set.summaries().iter().map(|s| s.span_count).max().unwrap());

    // The yelp trace (a03ee8fff1dcd9b9) touches yelp-main; a service filter keeps exactly the traces that do.
    let yelp = ResultFilter { service: Some("yelp-main".into()), text: String::new() };
    let picked = set.select(&yelp, SortOrder::Newest);
    assert!(!picked.is_empty());
    assert!(picked.iter().all(|&i| set.get(i).unwrap().services.iter().any(|s| s.name == "yelp-main")));
    let by_id = ResultFilter { service: None, text: "A03EE8FFF1".into() };
    let found = set.select(&by_id, SortOrder::Newest);
    assert_eq!(found.len(), 1);
    assert_eq!(set.get(found[0]).unwrap().trace_id, "a03ee8fff1dcd9b9");

    let frame = PlotFrame { width: 800.0, height: 200.0, left: 50.0, right: 10.0, top: 10.0, bottom: 20.0 };
    let plot = scatter(&set, &all, frame, 0);
    assert_eq!(plot.points.len(), all.len());
    assert!(plot.points.iter().all(|p| (50.0..=790.0).contains(&p.x) && (10.0..=180.0).contains(&p.y)));
    assert!(!plot.y_ticks.is_empty());
}

/// The fast path gives exactly what the full decoder plus `summarize` gives, on every fixture
/// and on an answer with errors, nulls, escapes and zero timestamps.
#[test]
fn summaries_straight_from_the_answer_match_the_full_pipeline() {
    use spanscope_domain::decode::decode_traces;
    use spanscope_domain::search_results::summarize_answer;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/zipkin");
    let mut parts = Vec::new();
    for name in ["yelp.json", "skew.json", "messaging-kafka.json", "smartthings-mobile-web-install.json"] {
        parts.push(std::fs::read_to_string(dir.join(name)).unwrap());
    }
    parts.push(
        r#"[{"traceId":"00000000000000aa","id":"1","name":"get \"/x\"","timestamp":0,"duration":5,
            "localEndpoint":{"serviceName":"caf\u00e9","ipv4":"10.0.0.1"},"tags":{"error":"","http.path":"/x"},
            "annotations":null,"remoteEndpoint":null},
           {"traceId":"00000000000000aa","id":"2","parentId":"1","timestamp":10,"duration":3,"shared":true,
            "annotations":[{"timestamp":11,"value":"error"}],"tags":null}]"#
            .to_owned(),
    );
    let answer = format!("[{}]", parts.join(","));
    let fast = summarize_answer(answer.as_bytes()).expect("reads the answer");
    let full: Vec<_> = decode_traces(answer.as_bytes()).unwrap().iter().map(|t| summarize(t)).collect();
    assert_eq!(fast.len(), 5);
    assert_eq!(fast, full);
    assert!(fast[4].error_count == 2);
    assert_eq!(summarize_answer(b"[]").unwrap(), vec![]);
    assert!(summarize_answer(b"{\"not\":\"traces\"}").is_err());
}
