//! The one seam between the pages and the server that holds the traces: services, name lists,
//! tag suggestions, search, one trace by id, dependencies, and what the server can answer
//! ([`Capabilities`]). Pages hold a [`Backend`] (provided as context by the app shell) and never
//! learn which server it is, nor any of its URLs.
//!
//! An enum, not a trait object: the backends are few and all known when building (Zipkin, Jaeger's
//! API v3 and its legacy API), so `async fn`s on an enum need no `async-trait` boxing or `dyn Future`
//! in wasm, the context stays a plain `Clone` value, and adding a variant makes the compiler point at
//! every method that must answer for it.
//!
//! A server that answers like another API than the configured one (a Zipkin setting pointed at a
//! Jaeger, or the other way round) is named: its answers' shape says so, or, when the configured API
//! just is not there (404, an HTML page), the other APIs' service lists are asked for.
use super::answer::Answer;
use super::backend_kind::BackendKind;
use super::capabilities::Capabilities;
use super::config::Config;
use super::error::ApiError;
use super::jaeger::JaegerClient;
use super::jaeger_legacy::JaegerLegacyClient;
use super::jaeger_search::JaegerSearch;
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
    Jaeger(JaegerClient),
    JaegerLegacy(JaegerLegacyClient),
}

/// A search the backend accepted, ready to send (built from criteria by [`Backend::search_request`]).
#[derive(Debug, Clone, PartialEq)]
pub enum SearchRequest {
    Zipkin { url: String },
    Jaeger(JaegerSearch),
}

impl Backend {
    /// The backend `config.json` names, at its `apiBaseUrl`.
    pub fn from_config(config: &Config) -> Backend {
        Backend::of_kind(config.backend, &config.api_base_url)
    }

    fn of_kind(kind: BackendKind, api_base_url: &str) -> Backend {
        match kind {
            BackendKind::Zipkin => Backend::Zipkin(ZipkinClient::new(api_base_url)),
            BackendKind::Jaeger => Backend::Jaeger(JaegerClient::new(api_base_url)),
            BackendKind::JaegerLegacy => Backend::JaegerLegacy(JaegerLegacyClient::new(api_base_url)),
        }
    }

    pub fn kind(&self) -> BackendKind {
        match self {
            Backend::Zipkin(_) => BackendKind::Zipkin,
            Backend::Jaeger(_) => BackendKind::Jaeger,
            Backend::JaegerLegacy(_) => BackendKind::JaegerLegacy,
        }
    }

    /// The server's product name, for messages ("Zipkin has no trace …").
    pub fn name(&self) -> &'static str {
        self.kind().name()
    }

    pub fn capabilities(&self) -> Capabilities {
        match self {
            Backend::Zipkin(_) => Capabilities::ZIPKIN,
            Backend::Jaeger(_) => Capabilities::JAEGER,
            Backend::JaegerLegacy(_) => Capabilities::JAEGER_LEGACY,
        }
    }

    /// Every service name.
    pub async fn services(&self) -> Result<Vec<String>, ApiError> {
        let answer = match self {
            Backend::Zipkin(c) => c.services().await,
            Backend::Jaeger(c) => c.services().await,
            Backend::JaegerLegacy(c) => c.services().await,
        };
        match answer {
            Err(e) => Err(self.diagnose(e).await),
            ok => ok,
        }
    }

    /// Span names (Jaeger: operations) of one service; of one span kind where the backend can tell
    /// (`Capabilities::span_kind_filter`), an empty kind meaning any.
    pub async fn span_names(&self, service: &str, span_kind: &str) -> Result<Vec<String>, ApiError> {
        let kind = Some(span_kind).filter(|k| !k.is_empty());
        match self {
            Backend::Zipkin(c) => c.span_names(service).await,
            Backend::Jaeger(c) => c.operations(service, kind).await,
            Backend::JaegerLegacy(c) => c.operations(service, kind).await,
        }
    }

    /// Services the given one calls or is called by (none where the backend cannot tell).
    pub async fn remote_services(&self, service: &str) -> Result<Vec<String>, ApiError> {
        match self {
            Backend::Zipkin(c) => c.remote_services(service).await,
            Backend::Jaeger(_) | Backend::JaegerLegacy(_) => Ok(Vec::new()),
        }
    }

    /// Tag keys the server indexes (none where it suggests none).
    pub async fn autocomplete_keys(&self) -> Result<Vec<String>, ApiError> {
        match self {
            Backend::Zipkin(c) => c.autocomplete_keys().await,
            Backend::Jaeger(_) | Backend::JaegerLegacy(_) => Ok(Vec::new()),
        }
    }

    /// Known values of an indexed tag key.
    pub async fn autocomplete_values(&self, key: &str) -> Result<Vec<String>, ApiError> {
        match self {
            Backend::Zipkin(c) => c.autocomplete_values(key).await,
            Backend::Jaeger(_) | Backend::JaegerLegacy(_) => Ok(Vec::new()),
        }
    }

    /// The request for search criteria at `now_ms`, with the configured lookback and limit where
    /// the criteria name none; criteria the server would refuse, or cannot search by, are refused
    /// here with the reason.
    pub fn search_request(
        &self,
        criteria: &SearchCriteria,
        now_ms: u64,
        default_lookback_ms: u64,
        default_limit: u32,
    ) -> Result<SearchRequest, SearchError> {
        match self {
            Backend::Zipkin(c) => {
                if criteria.span_kind.is_some() {
                    return Err(SearchError::Unsupported { criterion: "span kind", server: "Zipkin" });
                }
                Ok(SearchRequest::Zipkin {
                    url: c.urls().traces(criteria, now_ms, default_lookback_ms, default_limit)?,
                })
            }
            Backend::Jaeger(_) | Backend::JaegerLegacy(_) => Ok(SearchRequest::Jaeger(JaegerSearch::from_criteria(
                criteria,
                now_ms,
                default_lookback_ms,
                default_limit,
            )?)),
        }
    }

    /// Runs a search; the answer decodes to one summary per trace found.
    pub async fn search(
        &self,
        request: &SearchRequest,
        controller: Option<AbortController>,
    ) -> Result<Answer<Vec<TraceSummary>>, ApiError> {
        let answer = match (self, request) {
            (Backend::Zipkin(c), SearchRequest::Zipkin { url }) => c
                .search(url, controller)
                .await
                .map(|bytes| Answer::new(url.clone(), bytes, BackendKind::Zipkin, summarize_answer)),
            (Backend::Jaeger(c), SearchRequest::Jaeger(search)) => c.search(search, controller).await,
            (Backend::JaegerLegacy(c), SearchRequest::Jaeger(search)) => c.search(search, controller).await,
            // A request is built by the backend that runs it (`search_request`).
            _ => return Err(ApiError::Cancelled),
        };
        match answer {
            Err(e) => Err(self.diagnose(e).await),
            ok => ok,
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
        let answer = match self {
            Backend::Zipkin(c) => c.trace(id, controller, on_progress).await.map(|(url, bytes)| {
                Answer::new(url, bytes, BackendKind::Zipkin, |b| decode_trace(b).map_err(|e| e.to_string()))
            }),
            Backend::Jaeger(c) => c.trace(id, controller, on_progress).await,
            Backend::JaegerLegacy(c) => c.trace(id, controller, on_progress).await,
        };
        match answer {
            Err(e) => Err(self.diagnose(e).await),
            ok => ok,
        }
    }

    /// Calls between services in a window, one link per caller and callee.
    pub async fn dependencies(
        &self,
        window: DependencyWindow,
        controller: Option<AbortController>,
    ) -> Result<Vec<DependencyLink>, ApiError> {
        let answer = match self {
            Backend::Zipkin(c) => c.dependencies(window, controller).await,
            Backend::Jaeger(c) => c.dependencies(window, controller).await,
            Backend::JaegerLegacy(c) => c.dependencies(window, controller).await,
        };
        match answer {
            Err(e) => Err(self.diagnose(e).await),
            ok => ok,
        }
    }

    /// `error` as the page should see it: [`ApiError::WrongBackend`] when the server answered in
    /// another API's shape, or when the configured API is absent (404, 405, a body it cannot read)
    /// and another API's service list answers at the same base; otherwise `error` itself. The
    /// configured API's own service list is asked first, so a genuine 404 (an unknown trace) on a
    /// server that has every API (the devserver) stays what it is.
    async fn diagnose(&self, error: ApiError) -> ApiError {
        let configured = self.kind();
        match &error {
            ApiError::Status { url, looks_like: Some(looks_like), .. } if *looks_like != configured => {
                return ApiError::WrongBackend { url: url.clone(), configured, looks_like: *looks_like };
            }
            ApiError::Status { status: 404 | 405, .. } | ApiError::BadBody { .. } => {}
            _ => return error,
        }
        let own = match self {
            Backend::Zipkin(c) => c.services().await,
            Backend::Jaeger(c) => c.services().await,
            Backend::JaegerLegacy(c) => c.services().await,
        };
        match own {
            Ok(_) => return error,
            Err(ApiError::WrongBackend { looks_like, .. }) => {
                return ApiError::WrongBackend { url: self.services_url(), configured, looks_like };
            }
            Err(_) => {}
        }
        let base = self.base_url();
        for other in BackendKind::ALL.into_iter().filter(|k| *k != configured) {
            if Backend::of_kind(other, &base).services_answer().await {
                return ApiError::WrongBackend { url: self.services_url(), configured, looks_like: other };
            }
        }
        error
    }

    /// Whether this backend's service list answers, in its own shape.
    async fn services_answer(&self) -> bool {
        match self {
            Backend::Zipkin(c) => c.services().await.is_ok(),
            Backend::Jaeger(c) => c.services().await.is_ok(),
            Backend::JaegerLegacy(c) => c.services().await.is_ok(),
        }
    }

    fn services_url(&self) -> String {
        match self {
            Backend::Zipkin(c) => c.urls().services(),
            Backend::Jaeger(c) => c.urls().services(),
            Backend::JaegerLegacy(c) => c.urls().services(),
        }
    }

    /// The base all of this server's APIs hang under (the services URL without its API's path).
    fn base_url(&self) -> String {
        let services = self.services_url();
        let api_path = match self {
            Backend::Zipkin(_) => "/api/v2/services",
            Backend::Jaeger(_) => "/api/v3/services",
            Backend::JaegerLegacy(_) => "/api/services",
        };
        services.strip_suffix(api_path).unwrap_or(&services).to_string()
    }
}
