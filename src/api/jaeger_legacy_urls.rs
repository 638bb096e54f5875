//! The URLs of Jaeger's legacy HTTP JSON API, the one Jaeger UI has always used (OTEL_JAEGER.md;
//! Jaeger's `http_handler.go` and `query_parser.go`): start and end in µs, Go durations, tags as a JSON
//! object, dependencies in ms. The server ignores `lookback`, so none is sent. Pure, so every URL is
//! tested on the host; the fetching (`jaeger_legacy.rs`) needs the browser.
use super::jaeger_search::{go_duration, JaegerSearch};
use spanscope_domain::search_url::{percent_encode, percent_encode_path_segment, DependencyWindow};

/// The root of one Jaeger's legacy API (`…/api`) and the URL of each endpoint under it.
#[derive(Debug, Clone, PartialEq)]
pub struct JaegerLegacyUrls {
    api_root: String,
}

impl JaegerLegacyUrls {
    /// `base` is an origin (`https://jaeger.example`) or a path (`/jaeger`); `/api` is appended.
    pub fn new(base: &str) -> JaegerLegacyUrls {
        JaegerLegacyUrls { api_root: format!("{}/api", base.trim_end_matches('/')) }
    }

    /// `GET /services`.
    pub fn services(&self) -> String {
        format!("{}/services", self.api_root)
    }

    /// `GET /services/{service}/operations`, or `GET /operations?service=&spanKind=` for one kind.
    pub fn operations(&self, service: &str, span_kind: Option<&str>) -> String {
        match span_kind.filter(|k| !k.is_empty()) {
            None => format!("{}/services/{}/operations", self.api_root, percent_encode_path_segment(service)),
            Some(kind) => format!(
                "{}/operations?service={}&spanKind={}",
                self.api_root,
                percent_encode(service),
                percent_encode(kind)
            ),
        }
    }

    /// `GET /traces?service=&operation=&tags=&start=&end=&minDuration=&maxDuration=&limit=`.
    pub fn traces(&self, s: &JaegerSearch) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("service", s.service.clone())];
        if let Some(op) = &s.operation {
            pairs.push(("operation", op.clone()));
        }
        if let Some(tags) = s.tags_json() {
            pairs.push(("tags", tags));
        }
        pairs.push(("start", s.start_us.to_string()));
        pairs.push(("end", s.end_us.to_string()));
        if let Some(us) = s.min_duration_us {
            pairs.push(("minDuration", go_duration(us)));
        }
        if let Some(us) = s.max_duration_us {
            pairs.push(("maxDuration", go_duration(us)));
        }
        pairs.push(("limit", s.limit.to_string()));
        let query: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={}", percent_encode(&v))).collect();
        format!("{}/traces?{}", self.api_root, query.join("&"))
    }

    /// `GET /traces/{id}`: the id is one escaped path segment, whatever it holds.
    pub fn trace(&self, id: &str) -> String {
        format!("{}/traces/{}", self.api_root, percent_encode_path_segment(id))
    }

    /// `GET /dependencies?endTs=&lookback=` (both ms).
    pub fn dependencies(&self, window: DependencyWindow) -> String {
        format!("{}/dependencies?{}", self.api_root, window.api_query())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spanscope_domain::search_url::parse_search;

    fn urls() -> JaegerLegacyUrls {
        JaegerLegacyUrls::new("http://jaeger:16686/")
    }

    #[test]
    fn names_and_operations() {
        assert_eq!(JaegerLegacyUrls::new("").services(), "/api/services");
        assert_eq!(urls().operations("a/b c", None), "http://jaeger:16686/api/services/a%2Fb%20c/operations");
        assert_eq!(
            urls().operations("a b", Some("client")),
            "http://jaeger:16686/api/operations?service=a+b&spanKind=client"
        );
    }

    #[test]
    fn a_search_sends_microseconds_go_durations_and_a_tags_object() {
        let c = parse_search(
            "serviceName=frontend&spanName=HTTP+GET&annotationQuery=http.status_code%3D500&minDuration=250ms\
             &lookback=15m&endTs=1700000900000&limit=3",
        );
        let search = JaegerSearch::from_criteria(&c, 0, 3_600_000, 10).unwrap();
        assert_eq!(
            urls().traces(&search),
            "http://jaeger:16686/api/traces?service=frontend&operation=HTTP+GET\
             &tags=%7B%22http.status_code%22%3A%22500%22%7D&start=1700000000000000&end=1700000900000000\
             &minDuration=250ms&limit=3"
        );
    }

    #[test]
    fn a_trace_and_dependencies() {
        assert_eq!(urls().trace("00ff"), "http://jaeger:16686/api/traces/00ff");
        assert_eq!(urls().trace("a?b"), "http://jaeger:16686/api/traces/a%3Fb");
        let window = DependencyWindow { start_ms: 1_000, end_ms: 86_401_000 };
        assert_eq!(
            urls().dependencies(window),
            "http://jaeger:16686/api/dependencies?endTs=86401000&lookback=86400000"
        );
    }
}
