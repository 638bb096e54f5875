#![cfg(not(target_arch = "wasm32"))]
//! The linker reproduces Zipkin's own `/dependencies` answers for the fixture traces.
use spanscope_domain::decode::{decode_file, decode_spans};
use spanscope_domain::dependency_links::{link_trace, link_traces, merge_links, DependencyLink};

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/../../shared/fixtures/{}", env!("CARGO_MANIFEST_DIR"), path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

fn golden(name: &str) -> Vec<DependencyLink> {
    serde_json::from_slice(&fixture(&format!("zipkin/derived/{name}.dependencies.json"))).unwrap()
}

#[test]
fn every_fixture_matches_zipkins_linker_exactly() {
    for name in ["yelp", "skew", "messaging-kafka", "smartthings-mobile-web-install"] {
        let spans = decode_spans(&fixture(&format!("zipkin/{name}.json"))).unwrap();
        assert_eq!(link_trace(&spans), golden(name), "{name}");
    }
}

#[test]
fn v1_yelp_links_like_v2() {
    let v1 = decode_file(&fixture("zipkin/derived/yelp.v1.json")).unwrap();
    assert_eq!(v1.len(), 1);
    assert_eq!(link_trace(&v1[0]), golden("yelp"));
}

#[test]
fn many_traces_are_summed_and_sorted() {
    let yelp = decode_spans(&fixture("zipkin/yelp.json")).unwrap();
    let kafka = decode_spans(&fixture("zipkin/messaging-kafka.json")).unwrap();
    let links = link_traces([yelp.as_slice(), kafka.as_slice(), yelp.as_slice()]);
    let mut expected = merge_links(golden("yelp").into_iter().chain(golden("messaging-kafka")).chain(golden("yelp")));
    expected.sort_by(|a, b| (&a.parent, &a.child).cmp(&(&b.parent, &b.child)));
    assert_eq!(links, expected);
    let mm = links.iter().find(|l| l.parent == "yelp-main" && l.child == "memcache").unwrap();
    assert_eq!(mm.call_count, 6);
    assert!(links.windows(2).all(|w| (&w[0].parent, &w[0].child) < (&w[1].parent, &w[1].child)));
}

#[test]
fn error_counts_follow_the_error_tags() {
    let kafka = decode_spans(&fixture("zipkin/messaging-kafka.json")).unwrap();
    let total: u64 = link_trace(&kafka).iter().map(|l| l.error_count).sum();
    let golden_total: u64 = golden("messaging-kafka").iter().map(|l| l.error_count).sum();
    assert_eq!(total, golden_total);
}
