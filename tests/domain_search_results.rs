#![cfg(not(target_arch = "wasm32"))]
//! Search results built from the real fixtures: every fixture trace summarised, then filtered,
//! sorted and plotted the way the search page does it.
use spanscope::domain::decode::decode_file;
use spanscope::domain::search_results::{scatter, PlotFrame, ResultFilter, ResultSet, SortOrder};
use spanscope::domain::summary::summarize;

fn fixture_results() -> ResultSet {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/zipkin");
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
