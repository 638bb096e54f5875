//! Spanscope: a Zipkin trace viewer. `domain` is pure Rust; `api` and `ui` are the browser half.
pub mod domain;

#[cfg(feature = "ui")]
pub mod api;
#[cfg(feature = "ui")]
pub mod ui;
