//! Spanscope: a Zipkin trace viewer. `domain` is pure Rust; `api` turns HTTP into domain values;
//! `ui` is the Leptos app. Without the `ui` feature only the pure parts compile (host tests, devserver).
pub mod api;

#[cfg(feature = "ui")]
pub mod ui;
