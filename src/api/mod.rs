//! Everything that talks to a trace server: the [`backend::Backend`] the pages use, one client
//! per server (Zipkin today) with its URLs, the runtime configuration, and failures as an
//! [`error::ApiError`] that says what went wrong. URLs, answers, capabilities, configuration parsing and
//! error wording are pure (host-tested); the fetch layer needs the browser (`ui` feature).
pub mod answer;
pub mod capabilities;
pub mod config;
pub mod error;
pub mod zipkin_urls;

#[cfg(feature = "ui")]
pub mod backend;
#[cfg(feature = "ui")]
pub mod http;
#[cfg(feature = "ui")]
pub mod zipkin;
