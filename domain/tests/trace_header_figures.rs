#![cfg(not(target_arch = "wasm32"))]
//! The figures the trace header shows, as Lens's trace page shows them, so that Spanscope and
//! Lens cannot disagree on one trace: the service count and the count of spans whose parent is
//! missing.
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
