#![cfg(not(target_arch = "wasm32"))]
//! The figures the trace header shows, as Lens's trace page shows them, so that Spanscope and
//! Lens cannot disagree on one trace: the service count and the count of spans whose parent is
//! missing.
mod common;
use spanscope_domain::decode::decode_spans;
use spanscope_domain::trace_model::TraceModel;

fn model(json: &[u8]) -> TraceModel {
    TraceModel::build(decode_spans(json).unwrap())
}

fn fixture(name: &str) -> TraceModel {
    let path = format!("{}/../../shared/fixtures/zipkin/{name}.json", env!("CARGO_MANIFEST_DIR"));
    TraceModel::build(decode_spans(&std::fs::read(path).unwrap()).unwrap())
}

/// A frontend that calls a backend (which records its server half), a database and a broker
/// (neither records anything): two local services, four service names.
const CALLS: &[u8] = br#"[
  {"traceId":"a","id":"1","name":"get /","kind":"SERVER","timestamp":1000,"duration":1000,
   "localEndpoint":{"serviceName":"frontend"}},
  {"traceId":"a","id":"2","parentId":"1","name":"get /api","kind":"CLIENT","timestamp":1100,"duration":300,
   "localEndpoint":{"serviceName":"frontend"},"remoteEndpoint":{"serviceName":"backend"}},
  {"traceId":"a","id":"2","parentId":"1","name":"get /api","kind":"SERVER","shared":true,"timestamp":1150,
   "duration":200,"localEndpoint":{"serviceName":"backend"},"remoteEndpoint":{"serviceName":"frontend"}},
  {"traceId":"a","id":"3","parentId":"2","name":"select","kind":"CLIENT","timestamp":1200,"duration":50,
   "localEndpoint":{"serviceName":"backend"},"remoteEndpoint":{"serviceName":"mysql"}},
  {"traceId":"a","id":"4","parentId":"1","name":"send","kind":"PRODUCER","timestamp":1500,"duration":10,
   "localEndpoint":{"serviceName":"frontend"},"remoteEndpoint":{"serviceName":"kafka"}}
]"#;

// Lens trace.js (`detailedTraceSummary`): every row's `serviceNames` (span-row.js `newSpanRow`:
// local and remote names of each of its spans) is counted, and the header's "Services" is the
// number of distinct names (`serviceNameAndSpanCounts.length`).
#[test]
fn the_service_count_is_of_local_and_remote_names() {
    let m = model(CALLS);
    assert_eq!(m.service_count(), 4);
    assert_eq!(m.services(), ["backend", "frontend", "kafka", "mysql"]);
}

// Lens's yelp trace: its header says 10 services; only 6 of them record spans (blt, memcache,
// mysql and yelp-main.mobile_api are remote names only).
#[test]
fn yelp_has_ten_services_as_lens_counts_them() {
    let m = fixture("yelp");
    assert_eq!(m.service_count(), 10);
    let local: std::collections::BTreeSet<&str> = m.spans().iter().filter_map(|s| s.local_service()).collect();
    assert_eq!(local.len(), 6);
    for remote_only in ["blt", "memcache", "mysql", "yelp-main.mobile_api"] {
        assert!(m.services().iter().any(|s| s == remote_only) && !local.contains(remote_only), "{remote_only}");
    }
}

// The broker of messaging-kafka.json records nothing, yet it is one of the trace's services.
#[test]
fn a_broker_that_records_nothing_is_a_service() {
    let m = fixture("messaging-kafka");
    assert_eq!(m.services(), ["kafka", "servicea", "serviceb"]);
    assert_eq!(m.service_count(), 3);
    assert_eq!(fixture("smartthings-mobile-web-install").service_count(), 16);
}

/// Spans of the cleaned trace whose parent id names no span of it, a shared server counting
/// only when its client is missing too (it hangs under its client, not under its parent id):
/// what "N spans reference a parent that is not in the trace" promises, computed without the
/// tree.
fn spans_missing_a_parent(m: &TraceModel) -> usize {
    let ids: std::collections::HashSet<&str> = m.spans().iter().map(|s| s.id.as_str()).collect();
    let has_client = |id: &str| m.spans().iter().any(|s| s.id == id && s.shared != Some(true));
    m.spans()
        .iter()
        .filter(|s| s.parent_id.as_deref().is_some_and(|p| !ids.contains(p)))
        .filter(|s| s.shared != Some(true) || !has_client(&s.id))
        .count()
}

fn without(json: &[u8], drop: impl Fn(&serde_json::Value) -> bool) -> TraceModel {
    let spans: Vec<serde_json::Value> = serde_json::from_slice(json).unwrap();
    let kept: Vec<serde_json::Value> = spans.into_iter().filter(|s| !drop(s)).collect();
    model(&serde_json::to_vec(&kept).unwrap())
}

fn yelp_json() -> Vec<u8> {
    std::fs::read(format!("{}/../../shared/fixtures/zipkin/yelp.json", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

// Lens span-node.test.js: "should remove incorrect shared flag on only root span": two shared
// servers whose clients were never reported, under a root that exists. Lens hangs them under the
// root; no span of this trace names a parent it lacks, so none is an orphan.
#[test]
fn a_shared_server_without_its_client_is_no_orphan_when_its_parent_is_there() {
    let m = model(
        br#"[
      {"traceId":"1","id":"a","kind":"SERVER","shared":true,"timestamp":1,"localEndpoint":{"serviceName":"routing"}},
      {"traceId":"1","id":"b","parentId":"a","kind":"SERVER","shared":true,"timestamp":2,"localEndpoint":{"serviceName":"routing"}},
      {"traceId":"1","id":"c","parentId":"a","kind":"SERVER","shared":true,"timestamp":3,"localEndpoint":{"serviceName":"yelp_main/biz"}}
    ]"#,
    );
    assert_eq!(m.row_count(), 3);
    assert_eq!(m.report().missing_parents, Vec::<u32>::new());
    assert!(!m.report().headless);
}

// yelp.json without the client half of yelp-main's call to mobile_api: the server half stays,
// its parent (the api proxy's span) is in the trace, so nothing is missing a parent.
#[test]
fn yelp_without_a_client_half_has_no_orphans() {
    let is_client_of_mobile_api = |s: &serde_json::Value| {
        s["id"] == "f5f268651b2a2b34" && s["kind"] == "CLIENT" && s["remoteEndpoint"]["serviceName"] == "mobile_api"
    };
    let m = without(&yelp_json(), is_client_of_mobile_api);
    assert_eq!(m.spans().len(), 15);
    assert_eq!(spans_missing_a_parent(&m), 0);
    assert_eq!(m.report().missing_parents.len(), 0);
}

// A client and its server half below a parent that was not reported are one orphan (the server
// hangs under its client); a server whose client and parent are both missing is one more.
#[test]
fn each_span_missing_its_parent_counts_once() {
    let m = model(
        br#"[
      {"traceId":"1","id":"1","kind":"SERVER","timestamp":1,"duration":100,"localEndpoint":{"serviceName":"a"}},
      {"traceId":"1","id":"2","parentId":"9","kind":"CLIENT","timestamp":10,"duration":20,"localEndpoint":{"serviceName":"a"}},
      {"traceId":"1","id":"2","parentId":"9","kind":"SERVER","shared":true,"timestamp":12,"duration":10,"localEndpoint":{"serviceName":"b"}},
      {"traceId":"1","id":"3","parentId":"8","kind":"SERVER","shared":true,"timestamp":40,"duration":10,"localEndpoint":{"serviceName":"c"}}
    ]"#,
    );
    let orphans: Vec<&str> = m.report().missing_parents.iter().map(|&i| m.spans()[i as usize].id.as_str()).collect();
    assert_eq!(orphans, ["0000000000000002", "0000000000000003"]);
    assert_eq!(spans_missing_a_parent(&m), 2);
    assert_eq!(m.spans().iter().filter(|s| s.parent_id.as_deref().is_some_and(|p| p.ends_with('9'))).count(), 2);
}

// Every client half of yelp dropped in turn, then every tenth span of smartthings: the warning's
// count is the number of spans whose parent is missing, whatever went missing.
#[test]
fn the_orphan_count_matches_spans_missing_a_parent_on_damaged_fixtures() {
    let yelp = yelp_json();
    let spans: Vec<serde_json::Value> = serde_json::from_slice(&yelp).unwrap();
    for k in 0..spans.len() {
        let kept: Vec<&serde_json::Value> = spans.iter().enumerate().filter(|(j, _)| *j != k).map(|(_, s)| s).collect();
        let m = model(&serde_json::to_vec(&kept).unwrap());
        assert_eq!(m.report().missing_parents.len(), spans_missing_a_parent(&m), "yelp without span {k}");
    }
    let path =
        format!("{}/../../shared/fixtures/zipkin/smartthings-mobile-web-install.json", env!("CARGO_MANIFEST_DIR"));
    let smartthings = std::fs::read(path).unwrap();
    let all: Vec<serde_json::Value> = serde_json::from_slice(&smartthings).unwrap();
    let kept: Vec<&serde_json::Value> = all.iter().enumerate().filter(|(k, _)| k % 10 != 3).map(|(_, s)| s).collect();
    let m = model(&serde_json::to_vec(&kept).unwrap());
    let missing = spans_missing_a_parent(&m);
    // The damage must leave spans without a parent, or the comparison says nothing.
    assert!(missing >= 5, "{missing}");
    assert_eq!(m.report().missing_parents.len(), missing);
}

// The toolbar's "0 errors" was drawn in the error colour: only a count above zero is an alarm.
#[test]
fn only_a_nonzero_error_count_is_an_alarm() {
    use spanscope_domain::error_tally::error_tally;
    assert_eq!(error_tally(0).text, "0 errors");
    assert!(!error_tally(0).alarm);
    assert_eq!(error_tally(1).text, "1 error");
    assert!(error_tally(1).alarm);
    assert_eq!((error_tally(3).text.as_str(), error_tally(3).alarm), ("3 errors", true));
    // messaging-kafka.json has three error spans: three error rows.
    let rows = spanscope_domain::waterfall_view::error_rows(&fixture("messaging-kafka"));
    assert!(error_tally(rows.len()).alarm);
    assert!(!error_tally(spanscope_domain::waterfall_view::error_rows(&fixture("skew")).len()).alarm);
}

proptest::proptest! {
    #[test]
    fn the_orphan_count_is_of_spans_missing_a_parent(spans in common::arb_rpc_spans(6, 8, 2, None, 1..20)) {
        let m = TraceModel::build(spans);
        let orphans = &m.report().missing_parents;
        proptest::prop_assert_eq!(orphans.len(), spans_missing_a_parent(&m));
        proptest::prop_assert!(orphans.windows(2).all(|w| w[0] < w[1]), "each once");
    }
}
