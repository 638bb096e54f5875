#![cfg(not(target_arch = "wasm32"))]
//! Row keys: every row has its own address in links (`?span=`, `?focus=`), also when several
//! rows show spans with one id, and a plain span id still opens the first of them.
mod common;
use spanscope_domain::decode::decode_spans;
use spanscope_domain::trace_model::TraceModel;
use std::collections::{HashMap, HashSet};

/// A root, one ordinary child, and three servers that reuse span id 3 from three services
/// (not fragments of one span: their local endpoints differ, so cleaning keeps them apart).
fn duplicate_ids() -> TraceModel {
    let json = br#"[
      {"traceId":"a","id":"1","name":"get /","kind":"SERVER","timestamp":1000,"duration":1000,
       "localEndpoint":{"serviceName":"frontend"}},
      {"traceId":"a","id":"3","parentId":"1","name":"from b","kind":"SERVER","timestamp":1300,"duration":100,
       "localEndpoint":{"serviceName":"b"}},
      {"traceId":"a","id":"2","parentId":"1","name":"query","kind":"CLIENT","timestamp":1100,"duration":100,
       "localEndpoint":{"serviceName":"frontend"},"remoteEndpoint":{"serviceName":"db"}},
      {"traceId":"a","id":"3","parentId":"1","name":"from a","kind":"SERVER","timestamp":1200,"duration":100,
       "localEndpoint":{"serviceName":"a"}},
      {"traceId":"a","id":"3","parentId":"1","name":"from c","kind":"SERVER","timestamp":1400,"duration":100,
       "localEndpoint":{"serviceName":"c"}}
    ]"#;
    TraceModel::build(decode_spans(json).unwrap())
}

fn row_named(model: &TraceModel, name: &str) -> u32 {
    (0..model.row_count()).find(|&r| model.row_name(r) == name).unwrap_or_else(|| panic!("no row {name}"))
}

const THREE: &str = "0000000000000003";

#[test]
fn rows_that_share_a_span_id_have_keys_of_their_own() {
    let m = duplicate_ids();
    assert_eq!(m.row_count(), 5, "each server that reuses id 3 is a row");
    let (a, b, c) = (row_named(&m, "from a"), row_named(&m, "from b"), row_named(&m, "from c"));
    // Rows are in timestamp order under the root: a, then b, then c.
    assert!(a < b && b < c);
    for r in [a, b, c] {
        assert_eq!(m.row_span_id(r), Some(THREE));
    }
    // The first keeps the plain id (so old links and the embed bridge's span ids find it); the
    // others carry their occurrence.
    assert_eq!(m.row_key(a).as_deref(), Some(THREE));
    assert_eq!(m.row_key(b).as_deref(), Some("0000000000000003~2"));
    assert_eq!(m.row_key(c).as_deref(), Some("0000000000000003~3"));
    assert_eq!(m.row_key(row_named(&m, "query")).as_deref(), Some("0000000000000002"));
    assert_eq!(m.row_key(m.row_count()), None);
}

#[test]
fn a_key_finds_its_row_and_only_its_row() {
    let m = duplicate_ids();
    let (a, b, c) = (row_named(&m, "from a"), row_named(&m, "from b"), row_named(&m, "from c"));
    assert_eq!(m.row_of_key(THREE), Some(a));
    assert_eq!(m.row_of_key("0000000000000003~2"), Some(b));
    assert_eq!(m.row_of_key("0000000000000003~3"), Some(c));
    // Ids compare as the cleaned spans hold them: left-padded, lower case; `~1` is the first.
    assert_eq!(m.row_of_key("3"), Some(a));
    assert_eq!(m.row_of_key("3~1"), Some(a));
    assert_eq!(m.row_of_key(" 3~2 "), Some(b));
    assert_eq!(m.row_of_key("0000000000000003~3".to_uppercase().as_str()), Some(c));
    // No fourth row with id 3, no row 0, and nothing that is not a key.
    for bad in ["3~4", "3~0", "3~", "~2", "", "zz", "3~x", "3~2~2", "3~-1", "3~99999999999"] {
        assert_eq!(m.row_of_key(bad), None, "{bad:?}");
    }
    // Every row's key leads back to it: selection and ArrowDown never land on a twin.
    for r in 0..m.row_count() {
        assert_eq!(m.row_of_key(&m.row_key(r).unwrap()), Some(r), "row {r}");
    }
}

#[test]
fn every_row_of_a_large_trace_with_shared_ids_has_a_distinct_key() {
    // 300 span ids, each reused by servers of three services (as instrumentations that copy the
    // caller's id do): 900 rows that share ids three by three under one root.
    let mut json = String::from(
        r#"[{"traceId":"a","id":"ffff","name":"root","kind":"SERVER","timestamp":1000,"duration":100000,
        "localEndpoint":{"serviceName":"frontend"}}"#,
    );
    for id in 1..=300u32 {
        for (n, service) in ["a", "b", "c"].iter().enumerate() {
            let ts = 1_000 + id * 10 + n as u32;
            json.push_str(&format!(
                r#",{{"traceId":"a","id":"{id:x}","parentId":"ffff","name":"{service}{id}","kind":"SERVER",
                "timestamp":{ts},"duration":5,"localEndpoint":{{"serviceName":"{service}"}}}}"#
            ));
        }
    }
    json.push(']');
    let m = TraceModel::build(decode_spans(json.as_bytes()).unwrap());
    assert_eq!(m.row_count(), 901);
    let mut rows_by_id: HashMap<&str, Vec<u32>> = HashMap::new();
    for r in 0..m.row_count() {
        rows_by_id.entry(m.row_span_id(r).unwrap()).or_default().push(r);
    }
    let shared: Vec<&Vec<u32>> = rows_by_id.values().filter(|rows| rows.len() > 1).collect();
    assert_eq!(shared.len(), 300);
    assert!(shared.iter().all(|rows| rows.len() == 3));
    let keys: HashSet<String> = (0..m.row_count()).map(|r| m.row_key(r).unwrap()).collect();
    assert_eq!(keys.len(), m.row_count() as usize);
    for rows in shared {
        let id = m.row_span_id(rows[0]).unwrap();
        // In start order: a's server, then b's, then c's.
        assert!(m.row_name(rows[0]).starts_with('a') && m.row_name(rows[2]).starts_with('c'));
        assert_eq!(m.row_key(rows[0]).unwrap(), id);
        assert_eq!(m.row_key(rows[1]).unwrap(), format!("{id}~2"));
        assert_eq!(m.row_key(rows[2]).unwrap(), format!("{id}~3"));
        assert_eq!(m.row_of_key(&format!("{id}~3")), Some(rows[2]));
        assert_eq!(m.find_row_by_span_id(id), Some(rows[0]), "a plain id is the first row");
    }
    for r in 0..m.row_count() {
        assert_eq!(m.row_of_key(&m.row_key(r).unwrap()), Some(r));
    }
}

proptest::proptest! {
    #[test]
    fn keys_are_distinct_and_lead_back_to_their_rows(spans in common::arb_rpc_spans(4, 5, 3, Some(10), 0..24)) {
        let m = TraceModel::build(spans);
        let keys: Vec<String> = (0..m.row_count()).map(|r| m.row_key(r).unwrap()).collect();
        proptest::prop_assert_eq!(keys.iter().collect::<HashSet<_>>().len(), keys.len());
        for (r, key) in keys.iter().enumerate() {
            proptest::prop_assert_eq!(m.row_of_key(key), Some(r as u32));
            let id = m.row_span_id(r as u32).unwrap();
            // A plain key exactly when no earlier row shows the id.
            proptest::prop_assert_eq!(key == id, m.find_row_by_span_id(id) == Some(r as u32));
        }
    }
}
