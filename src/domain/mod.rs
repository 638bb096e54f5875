//! The product's intelligence, in pure Rust (std + serde only): decoding, the span tree,
//! clock skew, summaries, rows, find, critical path, statistics, dependency links and layout.
pub mod clean;
pub mod decode;
pub mod dependency_links;
mod lenient;
pub mod span;
pub mod trace_id;
pub mod tree;
pub mod v1;
