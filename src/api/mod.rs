//! Everything that talks to a trace server: the [`backend::Backend`] the pages use, one client
//! per query API (Zipkin v2, Jaeger API v3, Jaeger's legacy API) with its URLs and answer readers, the runtime configuration, and failures as an
//! [`error::ApiError`] that says what went wrong. URLs, answers, capabilities, configuration parsing and
//! error wording are pure (host-tested); the fetch layer needs the browser (`ui` feature).
pub mod answer;
pub mod answer_shape;
pub mod backend_kind;
pub mod body_size;
pub mod capabilities;
pub mod config;
pub mod error;
pub mod jaeger_answers;
pub mod jaeger_legacy_urls;
pub mod jaeger_search;
pub mod jaeger_urls;
pub mod zipkin_urls;

#[cfg(feature = "ui")]
pub mod backend;
#[cfg(feature = "ui")]
pub mod http;
#[cfg(feature = "ui")]
pub mod jaeger;
#[cfg(feature = "ui")]
pub mod jaeger_legacy;
#[cfg(feature = "ui")]
pub mod zipkin;
