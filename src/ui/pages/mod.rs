//! One module per route.
mod dependency;
mod not_found;
mod search;
pub mod trace;
mod trace_viewer;

pub use dependency::DependencyPage;
pub use not_found::NotFoundPage;
pub use search::SearchPage;
pub use trace::source::TraceSource;
pub use trace::view::TraceView;
pub use trace::TracePage;
pub use trace_viewer::TraceViewerPage;
