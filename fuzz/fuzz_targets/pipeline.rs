//! Fuzzes the whole trace pipeline: bytes -> decode -> model (clean, tree, skew) -> rows, and
//! every view computed from the model; and the search page's scanner from bytes to summaries.
//! Files are read as a dropped file is (`read_file`: Zipkin, OTLP JSON / JSON Lines or Jaeger JSON, the
//! format from the content), their OTel details drawn (links, events) and written back in every download
//! format. Nothing may panic or loop on any input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use spanscope_domain::{
    critical_path, decode, dependency_links, find, rows, search_results, span_events, span_links, stats, summary,
    trace_download, trace_model,
};
use std::collections::HashSet;

fuzz_target!(|data: &[u8]| {
    let _ = search_results::summarize_answer(data);
    let _ = decode::decode_spans(data);
    let _ = decode::decode_traces(data);
    let Ok(file) = decode::read_file(data) else { return };
    for spans in file.traces {
        let _ = summary::summarize(&spans);
        for format in trace_download::DownloadFormat::ALL {
            let written = trace_download::encode_trace(&spans, format);
            let _ = decode::read_file(&written);
        }
        for span in &spans {
            let _ = span_events::bar_marks(span);
        }
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
        let _ = span_links::SpanLinks::resolve(&model, &[]);
        let _ = find::find_rows(&model, "a");
        let _ = find::find_rows(&model, "error=");
    }
});
