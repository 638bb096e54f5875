//! The demo's search results and trace pages agree (issue 17): trace `7dd167ca9a50fa6d` of the
//! devserver's `--demo` (seed 1, 14 services) listed as 44.353 ms with 3 errors but opened as
//! 20.403 ms with 2, because the list summarised the raw spans and the page the cleaned,
//! skew-corrected model. The traffic is rebuilt here exactly as `devserver/src/sources.rs`
//! (`demo_backfill`) draws it: three 10,000-span traces first, then request traces.
use spanscope_domain::decode::decode_traces;
use spanscope_domain::search_results::summarize_answer;
use spanscope_domain::trace_model::{ErrorKind, TraceModel};
use spanscope_tracegen::Traffic;

const DEMO_TRACE: &str = "7dd167ca9a50fa6d";

#[test]
fn the_demo_trace_lists_as_it_opens() {
    let mut traffic = Traffic::new(1, 14);
    for _ in 0..3 {
        traffic.next_trace_of(1_000_000, 10_000);
    }
    let trace = (0..5_000)
        .map(|_| traffic.next_trace(1_700_000_000_000_000))
        .find(|t| t.first().is_some_and(|s| s.trace_id == DEMO_TRACE))
        .expect("the demo draws this trace");
    let answer = serde_json::to_vec(&[&trace]).unwrap();
    let listed = summarize_answer(&answer).unwrap().remove(0);
    let model = TraceModel::build(decode_traces(&answer).unwrap().remove(0));
    // What the trace page shows: the corrected duration, and two failed rows (a client and its
    // shared server that both failed are one row).
    assert_eq!(model.duration(true), 20_403);
    assert_eq!(model.duration(false), 44_353, "the raw spans span 44.353 ms");
    let failed = model.rows().iter().filter(|r| r.error != ErrorKind::None).count();
    assert_eq!(failed, 2);
    assert_eq!((listed.duration, listed.error_count), (20_403, 2));
    assert_eq!(listed.span_count as usize, model.spans().len());
    assert_eq!(listed.trace_id, DEMO_TRACE);
}
