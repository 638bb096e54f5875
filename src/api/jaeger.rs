//! Jaeger v2's API v3 (OTEL_JAEGER.md) as typed calls over the browser's fetch: names, operations,
//! searches and traces in OTLP JSON, dependencies where the server has them. URLs come from
//! [`JaegerUrls`], answers are read by `jaeger_answers`; pages reach it through [`super::backend::Backend`].
use super::answer::Answer;
use super::backend_kind::BackendKind;
use super::error::ApiError;
use super::http::{fetch_bytes, fetch_bytes_with_progress, get_decoded};
use super::jaeger_answers::{v3_dependencies, v3_operations, v3_search, v3_services, v3_trace};
use super::jaeger_search::JaegerSearch;
use super::jaeger_urls::JaegerUrls;
use super::zipkin::spelled_out_base;
use spanscope_domain::dependency_links::DependencyLink;
use spanscope_domain::search_url::DependencyWindow;
use spanscope_domain::span::Span;
use spanscope_domain::summary::TraceSummary;
use web_sys::AbortController;

const KIND: BackendKind = BackendKind::Jaeger;

/// Where the API lives: `apiBaseUrl` from config.json, or this page's origin.
#[derive(Debug, Clone, PartialEq)]
pub struct JaegerClient {
    urls: JaegerUrls,
}

impl JaegerClient {
    pub fn new(api_base_url: &str) -> JaegerClient {
        JaegerClient { urls: JaegerUrls::new(&spelled_out_base(api_base_url)) }
    }

    pub fn urls(&self) -> &JaegerUrls {
        &self.urls
    }

    /// `GET /services`.
    pub async fn services(&self) -> Result<Vec<String>, ApiError> {
        get_decoded(&self.urls.services(), None, KIND, v3_services).await
    }

    /// `GET /operations?service=[&span_kind=]`: operation names, each once.
    pub async fn operations(&self, service: &str, span_kind: Option<&str>) -> Result<Vec<String>, ApiError> {
        get_decoded(&self.urls.operations(service, span_kind), None, KIND, v3_operations).await
    }

    /// `GET /traces?query.…`; "no traces" is a 404 to Jaeger, an empty result here.
    pub async fn search(
        &self,
        search: &JaegerSearch,
        controller: Option<AbortController>,
    ) -> Result<Answer<Vec<TraceSummary>>, ApiError> {
        let url = self.urls.traces(search);
        match fetch_bytes(&url, None, controller).await {
            Ok(bytes) => Ok(Answer::new(url, bytes, KIND, v3_search)),
            Err(ApiError::Status { status: 404, looks_like: Some(BackendKind::Jaeger), .. }) => {
                Ok(Answer::new(url, Vec::new(), KIND, |_| Ok(Vec::new())))
            }
            Err(e) => Err(e),
        }
    }

    /// `GET /traces/{id}`, reporting the bytes received so far.
    pub async fn trace(
        &self,
        id: &str,
        controller: Option<AbortController>,
        on_progress: &dyn Fn(u64),
    ) -> Result<Answer<Vec<Span>>, ApiError> {
        let url = self.urls.trace(id);
        let bytes = fetch_bytes_with_progress(&url, controller, on_progress).await?;
        Ok(Answer::new(url, bytes, KIND, v3_trace))
    }

    /// `GET /dependencies` for a window. Jaeger added it after v2.20: an older one answers 404 (Go's
    /// router, no error envelope), which is said as such rather than as a failure.
    pub async fn dependencies(
        &self,
        window: DependencyWindow,
        controller: Option<AbortController>,
    ) -> Result<Vec<DependencyLink>, ApiError> {
        match get_decoded(&self.urls.dependencies(window), controller, KIND, v3_dependencies).await {
            Err(ApiError::Status { status: 404 | 405, looks_like: None, .. }) => Err(ApiError::Unsupported {
                what: "dependencies endpoint in its API v3".into(),
                advice: "This Jaeger answered 404 to /api/v3/dependencies, which Jaeger added after v2.20. \
                         Its legacy API has the graph: set \"backend\": \"jaeger-legacy\" in config.json \
                         (every Jaeger v1, and v2 up to 2.20)."
                    .into(),
            }),
            other => other,
        }
    }
}
