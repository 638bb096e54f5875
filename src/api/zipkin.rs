//! The Zipkin v2 query API (ZIPKIN.md §1) as typed calls. Each answers domain values or an
//! [`ApiError`]; request URLs are built here and nowhere else.
use super::error::ApiError;
use super::http::fetch_bytes;
use serde::de::DeserializeOwned;
use spanscope_domain::search_url::percent_encode;
use web_sys::AbortController;

/// Where the API lives: `apiBaseUrl` from config.json, or this page's origin.
#[derive(Debug, Clone, PartialEq)]
pub struct ZipkinClient {
    api_root: String,
}

impl ZipkinClient {
    /// `api_base_url` is an origin (`https://zipkin.example`), a path (`/zipkin`), or empty for
    /// this page's origin; `/api/v2` is appended.
    pub fn new(api_base_url: &str) -> ZipkinClient {
        let base = api_base_url.trim_end_matches('/');
        let base = if base.is_empty() {
            web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
        } else {
            base.to_string()
        };
        ZipkinClient { api_root: format!("{base}/api/v2") }
    }

    /// The full URL of an endpoint with its query parameters, percent-encoded.
    pub fn url(&self, endpoint: &str, params: &[(&str, &str)]) -> String {
        let mut url = format!("{}/{}", self.api_root, endpoint.trim_start_matches('/'));
        for (i, (key, value)) in params.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&percent_encode(key));
            url.push('=');
            url.push_str(&percent_encode(value));
        }
        url
    }

    /// `GET /services`: every service name.
    pub async fn services(&self) -> Result<Vec<String>, ApiError> {
        self.get_json(&self.url("services", &[]), None).await
    }

    /// `GET /spans?serviceName=`: span names of one service.
    pub async fn span_names(&self, service: &str) -> Result<Vec<String>, ApiError> {
        self.get_json(&self.url("spans", &[("serviceName", service)]), None).await
    }

    /// `GET /remoteServices?serviceName=`: services the given one calls or is called by.
    pub async fn remote_services(&self, service: &str) -> Result<Vec<String>, ApiError> {
        self.get_json(&self.url("remoteServices", &[("serviceName", service)]), None).await
    }

    /// `GET /autocompleteKeys`: tag keys the server indexes.
    pub async fn autocomplete_keys(&self) -> Result<Vec<String>, ApiError> {
        self.get_json(&self.url("autocompleteKeys", &[]), None).await
    }

    /// `GET /autocompleteValues?key=`: known values of an indexed tag key.
    pub async fn autocomplete_values(&self, key: &str) -> Result<Vec<String>, ApiError> {
        self.get_json(&self.url("autocompleteValues", &[("key", key)]), None).await
    }

    /// Raw bytes of any GET, for callers that decode through the domain themselves
    /// (a trace, search results) and report their own progress.
    pub async fn get_bytes(&self, url: &str, controller: Option<AbortController>) -> Result<Vec<u8>, ApiError> {
        fetch_bytes(url, None, controller).await
    }

    /// A GET whose JSON body is decoded into `T`; a body that is not is a [`ApiError::BadBody`].
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        url: &str,
        controller: Option<AbortController>,
    ) -> Result<T, ApiError> {
        let bytes = fetch_bytes(url, None, controller).await?;
        serde_json::from_slice(&bytes).map_err(|e| ApiError::BadBody {
            url: url.to_string(),
            message: format!("not the JSON Zipkin sends ({e})"),
        })
    }
}
