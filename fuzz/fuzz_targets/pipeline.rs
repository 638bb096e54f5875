//! Fuzzes the whole trace pipeline: bytes -> decode -> model (clean, tree, skew) -> rows, and
//! every view computed from the model; and the search page's scanner from bytes to summaries.
//! Nothing may panic or loop on any input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use spanscope_domain::{
    critical_path, decode, dependency_links, find, rows, search_results, stats, summary, trace_model,
};
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let _ = search_results::summarize_answer(data);
    let _ = decode::decode_spans(data);
    let _ = decode::decode_traces(data);
    let Ok(traces) = decode::decode_file(data) else { return };
    for spans in traces {
        let _ = summary::summarize(&spans);
        let _ = dependency_links::link_trace(&spans);
        let model = trace_model::TraceModel::build(spans);
        for skew in [false, true] {
            let all = rows::visible_rows(&model, &rows::RowOptions { skew, ..Default::default() });
            let collapsed: HashSet<u32> = all.rows.iter().step_by(3).map(|r| r.row).collect();
            let focus = all.rows.get(all.rows.len() / 2).map(|r| r.row);
            let _ = rows::visible_rows(&model, &rows::RowOptions { collapsed: Some(&collapsed), focus, skew });
            let _ = critical_path::critical_path(&model, skew);
            let _ = stats::trace_stats(&model, skew);
        }
        let _ = find::find_rows(&model, "a");
        let _ = find::find_rows(&model, "error=");
    }
});
