//! One module per route.
mod dependency;
mod jaeger_link;
mod not_found;
mod search;
pub mod trace;
mod trace_viewer;

pub use dependency::DependencyPage;
pub use jaeger_link::JaegerLinkPage;
pub use not_found::NotFoundPage;
pub use search::SearchPage;
pub use trace::source::TraceSource;
pub use trace::view::TraceView;
pub use trace::TracePage;
pub use trace_viewer::TraceViewerPage;
