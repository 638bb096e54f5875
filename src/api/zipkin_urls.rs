//! The Zipkin v2 query API's URLs (ZIPKIN.md §1), one function per endpoint. Pure, so the URL of
//! every endpoint and the encoding of what goes into it are tested on the host; the fetching
//! (`zipkin.rs`) needs the browser.
use spanscope_domain::search_url::{
    api_query, percent_encode, percent_encode_path_segment, DependencyWindow, SearchCriteria, SearchError,
};

/// The root of one Zipkin's API (`…/api/v2`) and the URL of each endpoint under it.
#[derive(Debug, Clone, PartialEq)]
pub struct ZipkinUrls {
    api_root: String,
}

impl ZipkinUrls {
    /// `base` is an origin (`https://zipkin.example`) or a path (`/zipkin`); `/api/v2` is appended.
    pub fn new(base: &str) -> ZipkinUrls {
        ZipkinUrls { api_root: format!("{}/api/v2", base.trim_end_matches('/')) }
    }

    /// `GET /services`.
    pub fn services(&self) -> String {
        self.endpoint("services", &[])
    }

    /// `GET /spans?serviceName=`.
    pub fn span_names(&self, service: &str) -> String {
        self.endpoint("spans", &[("serviceName", service)])
    }

    /// `GET /remoteServices?serviceName=`.
    pub fn remote_services(&self, service: &str) -> String {
        self.endpoint("remoteServices", &[("serviceName", service)])
    }

    /// `GET /autocompleteKeys`.
    pub fn autocomplete_keys(&self) -> String {
        self.endpoint("autocompleteKeys", &[])
    }

    /// `GET /autocompleteValues?key=`.
    pub fn autocomplete_values(&self, key: &str) -> String {
        self.endpoint("autocompleteValues", &[("key", key)])
    }

    /// `GET /traces?…` for search criteria, "now" and the configured defaults; criteria the
    /// server would refuse with a 400 are refused here, with the reason.
    pub fn traces(
        &self,
        criteria: &SearchCriteria,
        now_ms: u64,
        default_lookback_ms: u64,
        default_limit: u32,
    ) -> Result<String, SearchError> {
        let query = api_query(criteria, now_ms, default_lookback_ms, default_limit)?;
        Ok(format!("{}?{query}", self.endpoint("traces", &[])))
    }

    /// `GET /trace/{traceId}`: the id is one escaped path segment, whatever it holds.
    pub fn trace(&self, id: &str) -> String {
        format!("{}/trace/{}", self.api_root, percent_encode_path_segment(id))
    }

    /// `GET /dependencies?endTs=&lookback=` for a window.
    pub fn dependencies(&self, window: DependencyWindow) -> String {
        format!("{}?{}", self.endpoint("dependencies", &[]), window.api_query())
    }

    fn endpoint(&self, path: &str, params: &[(&str, &str)]) -> String {
        let mut url = format!("{}/{path}", self.api_root);
        for (i, (key, value)) in params.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(key);
            url.push('=');
            url.push_str(&percent_encode(value));
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spanscope_domain::search_url::parse_search;

    fn urls() -> ZipkinUrls {
        ZipkinUrls::new("https://zipkin.example/")
    }

    #[test]
    fn the_root_is_the_base_with_api_v2() {
        assert_eq!(ZipkinUrls::new("").services(), "/api/v2/services");
        assert_eq!(ZipkinUrls::new("/zipkin").services(), "/zipkin/api/v2/services");
        assert_eq!(urls().services(), "https://zipkin.example/api/v2/services");
    }

    #[test]
    fn name_lists_escape_the_service_and_key() {
        assert_eq!(
            urls().span_names("my service & co"),
            "https://zipkin.example/api/v2/spans?serviceName=my+service+%26+co"
        );
        assert_eq!(
            urls().remote_services("café#1"),
            "https://zipkin.example/api/v2/remoteServices?serviceName=caf%C3%A9%231"
        );
        assert_eq!(urls().autocomplete_keys(), "https://zipkin.example/api/v2/autocompleteKeys");
        assert_eq!(
            urls().autocomplete_values("http.path=/a?b"),
            "https://zipkin.example/api/v2/autocompleteValues?key=http.path%3D%2Fa%3Fb"
        );
    }

    #[test]
    fn a_search_sends_the_criteria_in_zipkin_units() {
        let criteria = parse_search("serviceName=front+end&spanName=get+%2Fa%26b&minDuration=10ms&lookback=1h&limit=5");
        assert_eq!(
            urls().traces(&criteria, 10_000_000, 900_000, 10).unwrap(),
            "https://zipkin.example/api/v2/traces?serviceName=front+end&spanName=get+%2Fa%26b&minDuration=10000\
             &endTs=10000000&lookback=3600000&limit=5"
        );
        let defaults = urls().traces(&SearchCriteria::default(), 2_000_000, 900_000, 10).unwrap();
        assert_eq!(defaults, "https://zipkin.example/api/v2/traces?endTs=2000000&lookback=900000&limit=10");
        let max_alone = SearchCriteria { max_duration: Some("1s".into()), ..SearchCriteria::default() };
        assert_eq!(urls().traces(&max_alone, 1, 1, 1), Err(SearchError::MaxWithoutMin));
    }

    #[test]
    fn a_trace_id_stays_one_path_segment() {
        assert_eq!(urls().trace("a03ee8fff1dcd9b9"), "https://zipkin.example/api/v2/trace/a03ee8fff1dcd9b9");
        // As the router hands over `/traces/abc%2F..%2Fservices`: it must not reach /api/v2/services.
        assert_eq!(urls().trace("abc/../services"), "https://zipkin.example/api/v2/trace/abc%2F..%2Fservices");
        assert_eq!(urls().trace("a b?c#d"), "https://zipkin.example/api/v2/trace/a%20b%3Fc%23d");
        assert_eq!(urls().trace("ü"), "https://zipkin.example/api/v2/trace/%C3%BC");
    }

    #[test]
    fn dependencies_ask_for_the_window() {
        let window = DependencyWindow { start_ms: 1_000, end_ms: 5_000 };
        assert_eq!(urls().dependencies(window), "https://zipkin.example/api/v2/dependencies?endTs=5000&lookback=4000");
    }
}
