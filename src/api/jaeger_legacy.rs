//! Jaeger's legacy HTTP JSON API, the one Jaeger UI has always used (OTEL_JAEGER.md), as typed calls
//! over the browser's fetch: names, operations, searches and traces in Jaeger JSON, dependencies. URLs
//! come from [`JaegerLegacyUrls`], answers are read by `jaeger_answers`; pages reach it through
//! [`super::backend::Backend`].
use super::answer::Answer;
use super::backend_kind::BackendKind;
use super::error::ApiError;
use super::http::{fetch_bytes, fetch_bytes_with_progress, get_decoded};
use super::jaeger_answers::{legacy_dependencies, legacy_names, legacy_operations, legacy_search, legacy_trace};
use super::jaeger_legacy_urls::JaegerLegacyUrls;
use super::jaeger_search::JaegerSearch;
use super::zipkin::spelled_out_base;
use spanscope_domain::dependency_links::DependencyLink;
use spanscope_domain::search_url::DependencyWindow;
use spanscope_domain::span::Span;
use spanscope_domain::summary::TraceSummary;
use web_sys::AbortController;

const KIND: BackendKind = BackendKind::JaegerLegacy;

/// Where the API lives: `apiBaseUrl` from config.json, or this page's origin.
#[derive(Debug, Clone, PartialEq)]
pub struct JaegerLegacyClient {
    urls: JaegerLegacyUrls,
}

impl JaegerLegacyClient {
    pub fn new(api_base_url: &str) -> JaegerLegacyClient {
        JaegerLegacyClient { urls: JaegerLegacyUrls::new(&spelled_out_base(api_base_url)) }
    }

    pub fn urls(&self) -> &JaegerLegacyUrls {
        &self.urls
    }

    /// `GET /services`.
    pub async fn services(&self) -> Result<Vec<String>, ApiError> {
        get_decoded(&self.urls.services(), None, KIND, legacy_names).await
    }

    /// Operation names of a service (`/services/{s}/operations`), or of one span kind (`/operations?…`).
    pub async fn operations(&self, service: &str, span_kind: Option<&str>) -> Result<Vec<String>, ApiError> {
        let url = self.urls.operations(service, span_kind);
        match span_kind {
            None => get_decoded(&url, None, KIND, legacy_names).await,
            Some(_) => get_decoded(&url, None, KIND, legacy_operations).await,
        }
    }

    /// `GET /traces?…` as an answer to summarize.
    pub async fn search(
        &self,
        search: &JaegerSearch,
        controller: Option<AbortController>,
    ) -> Result<Answer<Vec<TraceSummary>>, ApiError> {
        let url = self.urls.traces(search);
        let bytes = fetch_bytes(&url, None, controller).await?;
        Ok(Answer::new(url, bytes, KIND, legacy_search))
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
        Ok(Answer::new(url, bytes, KIND, legacy_trace))
    }

    /// `GET /dependencies?endTs=&lookback=`.
    pub async fn dependencies(
        &self,
        window: DependencyWindow,
        controller: Option<AbortController>,
    ) -> Result<Vec<DependencyLink>, ApiError> {
        get_decoded(&self.urls.dependencies(window), controller, KIND, legacy_dependencies).await
    }
}
