//! The product's intelligence, in pure Rust (std + serde only): decoding, the span tree,
//! clock skew, summaries, rows, find, critical path, statistics, dependency links and layout.
pub mod clean;
pub mod clock_skew;
pub mod critical_path;
pub mod decode;
pub mod dependency_links;
pub mod find;
pub mod graph_layout;
mod lenient;
pub mod rows;
pub mod search_url;
pub mod span;
pub mod stats;
pub mod summary;
pub mod time_scale;
pub mod trace_id;
pub mod trace_model;
pub mod tree;
pub mod v1;
