//! One search: criteria from the URL → the backend's search → summaries. Only summaries are kept
//! (no tree, no skew: that waits until a trace is opened), and the phases are marked with the
//! Performance API (`spanscope:search:*`) so benchmarks can read them from the browser.
use crate::api::backend::Backend;
use crate::api::config::Config;
use crate::api::error::ApiError;
use crate::ui::browser::{mark, now_ms};
use spanscope_domain::search_criteria::is_search_query;
use spanscope_domain::search_results::ResultSet;
use spanscope_domain::search_url::parse_search;
use std::sync::Arc;
use web_sys::AbortController;

/// What a search came to.
#[derive(Clone)]
pub enum Outcome {
    /// The URL asks for no search (a bare `/zipkin/`), as Lens waits for one.
    Idle,
    /// The URL's criteria cannot be sent (the server would answer 400); the reason.
    Invalid(String),
    Failed(ApiError),
    /// The answer, the time the search ran (ms), and the limit it asked for.
    Found {
        set: Arc<ResultSet>,
        now_ms: u64,
        limit: u32,
    },
}

/// Runs the search the URL query `key` describes; `controller` aborts it when a newer one starts.
pub async fn run_search(backend: &Backend, config: &Config, key: &str, controller: Option<AbortController>) -> Outcome {
    if !is_search_query(key) {
        return Outcome::Idle;
    }
    let criteria = parse_search(key);
    let now_ms = now_ms();
    let request = match backend.search_request(&criteria, now_ms, config.default_lookback, config.query_limit) {
        Ok(r) => r,
        Err(e) => return Outcome::Invalid(e.to_string()),
    };
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        p.clear_marks();
        p.clear_measures();
    }
    mark("spanscope:search:start");
    let answer = match backend.search(&request, controller).await {
        Ok(a) => a,
        Err(e) => return Outcome::Failed(e),
    };
    mark("spanscope:search:response");
    let summaries = match answer.decode() {
        Ok(s) => s,
        Err(e) => return Outcome::Failed(e),
    };
    let set = ResultSet::new(summaries);
    mark("spanscope:search:summarized");
    Outcome::Found { set: Arc::new(set), now_ms, limit: criteria.limit.unwrap_or(config.query_limit) }
}
