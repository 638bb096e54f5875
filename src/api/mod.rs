//! The Zipkin HTTP client and runtime configuration: turns HTTP into domain values and
//! failures into an [`error::ApiError`] that says what went wrong. URLs, configuration parsing
//! and error wording are pure (host-tested); the fetch layer needs the browser (`ui` feature).
pub mod config;
pub mod error;
pub mod zipkin_urls;

#[cfg(feature = "ui")]
pub mod http;
#[cfg(feature = "ui")]
pub mod zipkin;
