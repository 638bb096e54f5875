//! Spanscope: a Zipkin trace viewer. `domain` is pure Rust; `api` turns HTTP into domain values;
//! `ui` is the Leptos app. Without the `ui` feature only the pure parts compile (host tests, devserver).
pub mod api;
// A crate of its own (domain/Cargo.toml says why), at its old path so `spanscope::domain::...` holds.
pub use spanscope_domain::domain;

#[cfg(feature = "ui")]
pub mod ui;
