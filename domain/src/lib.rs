//! The product's intelligence, in pure Rust (std, serde and memchr only): decoding, the span tree,
//! clock skew, summaries, rows, find, critical path, statistics, dependency links and layout.
//! The crate depends on no UI crate (its Cargo.toml), so the compiler keeps it pure.
//!
//! The pipeline a trace page runs once per trace, then cheaply on every interaction:
//!
//! ```
//! use spanscope_domain::{decode, rows, trace_model::TraceModel};
//! use std::collections::HashSet;
//! use std::sync::Arc;
//!
//! let bytes = br#"[
//!   {"traceId":"a","id":"1","name":"get /","kind":"SERVER","timestamp":1000,"duration":500,
//!    "localEndpoint":{"serviceName":"frontend"}},
//!   {"traceId":"a","id":"2","parentId":"1","name":"query","kind":"CLIENT","timestamp":1100,
//!    "duration":200,"localEndpoint":{"serviceName":"frontend"},"remoteEndpoint":{"serviceName":"db"}}
//! ]"#;
//! // bytes -> spans (v2 or v1; `decode_traces` for /traces, `decode_file` for a dropped file)
//! let spans = decode::decode_spans(bytes).expect("a trace");
//! // spans -> model: cleaned, linked, skew-corrected, laid out as rows in depth-first order
//! let model = Arc::new(TraceModel::build(spans));
//! // model + view state (collapsed rows, focus, skew switch) -> the rows to draw
//! let collapsed: HashSet<u32> = HashSet::new();
//! let view = rows::visible_rows(&model, &rows::RowOptions { collapsed: Some(&collapsed), skew: true, ..Default::default() });
//! assert_eq!(view.rows.len(), 2);
//! assert_eq!(model.row_service_name(view.rows[1].row), "db"); // a leaf client shows its callee
//! assert_eq!(view.rows[1].offset, 100); // µs from the window start; view.duration is 500
//! // Pixels: `time_scale::TimeScale::new(view.start as f64, view.duration as f64, width_px)`.
//! // Also: `find::find_rows`, `critical_path::critical_path`, `stats::trace_stats`,
//! // `summary::summarize_model` (a search result: the model's figures), `dependency_links::link_traces`,
//! // `graph_layout::layout_graph`, `search_url::{parse_search, to_query, api_query}`.
//! ```
pub mod annotation_markers;
pub mod attribute_view;
pub mod clean;
pub mod clock_skew;
pub mod critical_path;
pub mod decode;
pub mod decode_error;
pub mod dependency_graph;
pub mod dependency_links;
pub mod detail_groups;
pub mod embed_flags;
pub mod embed_message;
pub mod error_tally;
pub mod fast_hash;
pub mod file_format;
pub mod find;
pub mod flame_graph;
pub mod graph_layout;
pub mod jaeger_dependencies;
pub mod jaeger_json;
pub mod jaeger_model;
pub mod jaeger_search;
pub mod jaeger_ui_link;
mod key_count;
mod lenient;
pub mod minimap_window;
pub mod otel_translate;
pub mod otlp_json;
pub mod percentile;
pub mod rect;
pub mod root_cause;
pub mod row_address;
pub mod row_navigation;
pub mod row_self_time;
pub mod rows;
pub mod scatter;
pub mod search_criteria;
pub mod search_results;
pub mod search_url;
pub mod service_palette;
pub mod sibling_runs;
pub mod sorting;
pub mod span;
pub mod span_detail;
pub mod span_events;
pub mod span_filter;
pub mod span_links;
pub mod span_table;
pub mod stats;
pub mod summary;
pub mod tags;
pub mod text_pattern;
pub mod time_format;
pub mod time_scale;
pub mod trace_download;
pub mod trace_groups;
pub mod trace_id;
pub mod trace_model;
pub mod trace_url;
pub mod tree;
pub mod v1;
pub mod waterfall_geometry;
pub mod waterfall_view;
