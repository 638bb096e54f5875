//! The one seam between the pages and the server that holds the traces: services, name lists,
//! tag suggestions, search, one trace by id, dependencies, and what the server can answer
//! ([`Capabilities`]). Pages hold a [`Backend`] (provided as context by the app shell) and never
//! learn which server it is, nor any of its URLs.
//!
//! An enum, not a trait object: the backends are few and all known when building (Zipkin now;
//! Jaeger's v3 and legacy APIs and OTLP later), so `async fn`s on an enum need no `async-trait`
//! boxing or `dyn Future` in wasm, the context stays a plain `Clone` value, and adding a variant
//! makes the compiler point at every method that must answer for it.
use super::answer::Answer;
use super::capabilities::Capabilities;
use super::config::Config;
use super::error::ApiError;
use super::zipkin::ZipkinClient;
use spanscope_domain::decode::decode_trace;
use spanscope_domain::dependency_links::DependencyLink;
use spanscope_domain::search_results::summarize_answer;
use spanscope_domain::search_url::{DependencyWindow, SearchCriteria, SearchError};
use spanscope_domain::span::Span;
use spanscope_domain::summary::TraceSummary;
use web_sys::AbortController;

/// The server the pages talk to.
#[derive(Debug, Clone, PartialEq)]
pub enum Backend {
    Zipkin(ZipkinClient),
}

/// A search the backend accepted, ready to send (built from criteria by [`Backend::search_request`]).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchRequest {
    url: String,
}

impl Backend {
    /// The backend `config.json` names (only Zipkin so far), at its `apiBaseUrl`.
    pub fn from_config(config: &Config) -> Backend {
        Backend::Zipkin(ZipkinClient::new(&config.api_base_url))
    }

    /// The server's product name, for messages ("Zipkin has no trace …").
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Zipkin(_) => "Zipkin",
        }
    }

    pub fn capabilities(&self) -> Capabilities {
        match self {
            Backend::Zipkin(_) => Capabilities::ZIPKIN,
        }
    }

    /// Every service name.
    pub async fn services(&self) -> Result<Vec<String>, ApiError> {
        match self {
            Backend::Zipkin(c) => c.services().await,
        }
    }

    /// Span names of one service.
    pub async fn span_names(&self, service: &str) -> Result<Vec<String>, ApiError> {
        match self {
            Backend::Zipkin(c) => c.span_names(service).await,
        }
    }

    /// Services the given one calls or is called by.
    pub async fn remote_services(&self, service: &str) -> Result<Vec<String>, ApiError> {
        match self {
            Backend::Zipkin(c) => c.remote_services(service).await,
        }
    }

    /// Tag keys the server indexes.
    pub async fn autocomplete_keys(&self) -> Result<Vec<String>, ApiError> {
        match self {
            Backend::Zipkin(c) => c.autocomplete_keys().await,
        }
    }

    /// Known values of an indexed tag key.
    pub async fn autocomplete_values(&self, key: &str) -> Result<Vec<String>, ApiError> {
        match self {
            Backend::Zipkin(c) => c.autocomplete_values(key).await,
        }
    }

    /// The request for search criteria at `now_ms`, with the configured lookback and limit where
    /// the criteria name none; criteria the server would refuse are refused here, with the reason.
    pub fn search_request(
        &self,
        criteria: &SearchCriteria,
        now_ms: u64,
        default_lookback_ms: u64,
        default_limit: u32,
    ) -> Result<SearchRequest, SearchError> {
        match self {
            Backend::Zipkin(c) => {
                Ok(SearchRequest { url: c.urls().traces(criteria, now_ms, default_lookback_ms, default_limit)? })
            }
        }
    }

    /// Runs a search; the answer decodes to one summary per trace found.
    pub async fn search(
        &self,
        request: &SearchRequest,
        controller: Option<AbortController>,
    ) -> Result<Answer<Vec<TraceSummary>>, ApiError> {
        match self {
            Backend::Zipkin(c) => {
                let bytes = c.search(&request.url, controller).await?;
                Ok(Answer::new(request.url.clone(), bytes, summarize_answer))
            }
        }
    }

    /// Downloads trace `id`, calling `on_progress` with the bytes received so far; the answer
    /// decodes to its spans.
    pub async fn trace(
        &self,
        id: &str,
        controller: Option<AbortController>,
        on_progress: &dyn Fn(u64),
    ) -> Result<Answer<Vec<Span>>, ApiError> {
        match self {
            Backend::Zipkin(c) => {
                let (url, bytes) = c.trace(id, controller, on_progress).await?;
                Ok(Answer::new(url, bytes, |b| decode_trace(b).map_err(|e| e.to_string())))
            }
        }
    }

    /// Calls between services in a window, one link per caller and callee.
    pub async fn dependencies(
        &self,
        window: DependencyWindow,
        controller: Option<AbortController>,
    ) -> Result<Vec<DependencyLink>, ApiError> {
        match self {
            Backend::Zipkin(c) => c.dependencies(window, controller).await,
        }
    }
}
