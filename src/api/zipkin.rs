//! The Zipkin v2 query API (ZIPKIN.md §1) as typed calls over the browser's fetch. Each answers
//! domain values, raw bytes for the caller to decode with progress, or an [`ApiError`]; the URLs
//! come from [`ZipkinUrls`]. Pages reach it through [`super::backend::Backend`].
use super::backend_kind::BackendKind;
use super::error::ApiError;
use super::http::{fetch_bytes, fetch_bytes_with_progress, get_decoded};
use super::zipkin_urls::ZipkinUrls;
use serde::de::DeserializeOwned;
use spanscope_domain::dependency_links::DependencyLink;
use spanscope_domain::search_url::DependencyWindow;
use web_sys::AbortController;

/// Where the API lives: `apiBaseUrl` from config.json, or this page's origin.
#[derive(Debug, Clone, PartialEq)]
pub struct ZipkinClient {
    urls: ZipkinUrls,
}

impl ZipkinClient {
    /// `api_base_url` is an origin (`https://zipkin.example`), a path (`/zipkin`), or empty for
    /// this page's origin (spelled out, so error messages show where the request went).
    pub fn new(api_base_url: &str) -> ZipkinClient {
        ZipkinClient { urls: ZipkinUrls::new(&spelled_out_base(api_base_url)) }
    }

    /// The URLs this client requests.
    pub fn urls(&self) -> &ZipkinUrls {
        &self.urls
    }

    /// `GET /services`: every service name.
    pub async fn services(&self) -> Result<Vec<String>, ApiError> {
        get_json(&self.urls.services(), None).await
    }

    /// `GET /spans?serviceName=`: span names of one service.
    pub async fn span_names(&self, service: &str) -> Result<Vec<String>, ApiError> {
        get_json(&self.urls.span_names(service), None).await
    }

    /// `GET /remoteServices?serviceName=`: services the given one calls or is called by.
    pub async fn remote_services(&self, service: &str) -> Result<Vec<String>, ApiError> {
        get_json(&self.urls.remote_services(service), None).await
    }

    /// `GET /autocompleteKeys`: tag keys the server indexes.
    pub async fn autocomplete_keys(&self) -> Result<Vec<String>, ApiError> {
        get_json(&self.urls.autocomplete_keys(), None).await
    }

    /// `GET /autocompleteValues?key=`: known values of an indexed tag key.
    pub async fn autocomplete_values(&self, key: &str) -> Result<Vec<String>, ApiError> {
        get_json(&self.urls.autocomplete_values(key), None).await
    }

    /// `GET /traces?…` (a URL from [`ZipkinUrls::traces`]) as bytes, summarized by the caller.
    pub async fn search(&self, url: &str, controller: Option<AbortController>) -> Result<Vec<u8>, ApiError> {
        fetch_bytes(url, None, controller).await
    }

    /// `GET /trace/{id}` as bytes, reporting the bytes received so far.
    pub async fn trace(
        &self,
        id: &str,
        controller: Option<AbortController>,
        on_progress: &dyn Fn(u64),
    ) -> Result<(String, Vec<u8>), ApiError> {
        let url = self.urls.trace(id);
        let bytes = fetch_bytes_with_progress(&url, controller, on_progress).await?;
        Ok((url, bytes))
    }

    /// `GET /dependencies` for a window: one link per caller and callee.
    pub async fn dependencies(
        &self,
        window: DependencyWindow,
        controller: Option<AbortController>,
    ) -> Result<Vec<DependencyLink>, ApiError> {
        get_json(&self.urls.dependencies(window), controller).await
    }
}

/// `apiBaseUrl` as requests use it: without a trailing `/`, and this page's origin when empty (so error
/// messages show where a request went).
pub fn spelled_out_base(api_base_url: &str) -> String {
    let base = api_base_url.trim_end_matches('/');
    if base.is_empty() {
        web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
    } else {
        base.to_string()
    }
}

/// `POST` of a JSON v2 span list to a Zipkin collector (`archivePostUrl`, another Zipkin's
/// `/api/v2/spans`): configured by URL, so whichever backend the trace came from.
pub async fn post_spans(url: &str, spans_json: &[u8]) -> Result<(), ApiError> {
    fetch_bytes(url, Some((spans_json, "application/json")), None).await.map(|_| ())
}

/// A GET whose JSON body is decoded into `T`; another API's answer is a [`ApiError::WrongBackend`], any
/// other body that is not `T` a [`ApiError::BadBody`].
async fn get_json<T: DeserializeOwned>(url: &str, controller: Option<AbortController>) -> Result<T, ApiError> {
    get_decoded(url, controller, BackendKind::Zipkin, zipkin_json::<T>).await
}

fn zipkin_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("not the JSON Zipkin sends ({e})"))
}
