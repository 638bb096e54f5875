//! Jaeger API v3's URLs (OTEL_JAEGER.md; Jaeger's `apiv3/http_gateway.go` and `query_parser.go`), one
//! function per endpoint. The snake_case parameter names are the ones every v2 release reads (v2.19
//! added camelCase ones and kept these); times are RFC 3339 with nanoseconds, durations Go durations.
//! Pure, so every URL is tested on the host; the fetching (`jaeger.rs`) needs the browser.
use super::jaeger_search::{go_duration, JaegerSearch};
use spanscope_domain::search_url::{percent_encode, percent_encode_path_segment, DependencyWindow};
use spanscope_domain::time_format::format_rfc3339_utc;

/// The root of one Jaeger's API v3 (`…/api/v3`) and the URL of each endpoint under it.
#[derive(Debug, Clone, PartialEq)]
pub struct JaegerUrls {
    api_root: String,
}

impl JaegerUrls {
    /// `base` is an origin (`https://jaeger.example`) or a path (`/jaeger`); `/api/v3` is appended.
    pub fn new(base: &str) -> JaegerUrls {
        JaegerUrls { api_root: format!("{}/api/v3", base.trim_end_matches('/')) }
    }

    /// `GET /services`.
    pub fn services(&self) -> String {
        format!("{}/services", self.api_root)
    }

    /// `GET /operations?service=[&span_kind=]`.
    pub fn operations(&self, service: &str, span_kind: Option<&str>) -> String {
        let mut url = format!("{}/operations?service={}", self.api_root, percent_encode(service));
        if let Some(kind) = span_kind.filter(|k| !k.is_empty()) {
            url.push_str(&format!("&span_kind={}", percent_encode(kind)));
        }
        url
    }

    /// `GET /traces?query.…` for a search.
    pub fn traces(&self, s: &JaegerSearch) -> String {
        let mut pairs: Vec<(&str, String)> = vec![("query.service_name", percent_encode(&s.service))];
        if let Some(op) = &s.operation {
            pairs.push(("query.operation_name", percent_encode(op)));
        }
        if let Some(tags) = s.tags_json() {
            pairs.push(("query.attributes", percent_encode(&tags)));
        }
        // RFC 3339 in UTC holds no character a query must escape (no `+` offset to be read as a space).
        pairs.push(("query.start_time_min", format_rfc3339_utc(s.start_us)));
        pairs.push(("query.start_time_max", format_rfc3339_utc(s.end_us)));
        if let Some(us) = s.min_duration_us {
            pairs.push(("query.duration_min", go_duration(us)));
        }
        if let Some(us) = s.max_duration_us {
            pairs.push(("query.duration_max", go_duration(us)));
        }
        pairs.push(("query.num_traces", s.limit.to_string()));
        let query: Vec<String> = pairs.into_iter().map(|(k, v)| format!("{k}={v}")).collect();
        format!("{}/traces?{}", self.api_root, query.join("&"))
    }

    /// `GET /traces/{trace_id}`: the id is one escaped path segment, whatever it holds.
    pub fn trace(&self, id: &str) -> String {
        format!("{}/traces/{}", self.api_root, percent_encode_path_segment(id))
    }

    /// `GET /dependencies?start_time=&end_time=` (Jaeger after v2.20; older ones answer 404).
    pub fn dependencies(&self, window: DependencyWindow) -> String {
        format!(
            "{}/dependencies?start_time={}&end_time={}",
            self.api_root,
            format_rfc3339_utc(window.start_ms.saturating_mul(1000)),
            format_rfc3339_utc(window.end_ms.saturating_mul(1000))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use spanscope_domain::search_url::parse_search;

    fn urls() -> JaegerUrls {
        JaegerUrls::new("https://jaeger.example/")
    }

    #[test]
    fn names_and_operations() {
        assert_eq!(JaegerUrls::new("").services(), "/api/v3/services");
        assert_eq!(JaegerUrls::new("/jaeger").services(), "/jaeger/api/v3/services");
        assert_eq!(urls().operations("my svc&x", None), "https://jaeger.example/api/v3/operations?service=my+svc%26x");
        assert_eq!(
            urls().operations("api", Some("server")),
            "https://jaeger.example/api/v3/operations?service=api&span_kind=server"
        );
    }

    #[test]
    fn a_search_sends_rfc3339_times_and_go_durations() {
        let c = parse_search(
            "serviceName=front+end&spanName=GET+%2Fa&annotationQuery=error%3Dtrue&minDuration=1.5ms&maxDuration=2s\
             &lookback=1h&endTs=1700003600000&limit=20",
        );
        let search = JaegerSearch::from_criteria(&c, 0, 900_000, 10).unwrap();
        assert_eq!(
            urls().traces(&search),
            "https://jaeger.example/api/v3/traces?query.service_name=front+end&query.operation_name=GET+%2Fa\
             &query.attributes=%7B%22error%22%3A%22true%22%7D\
             &query.start_time_min=2023-11-14T22:13:20.000000000Z&query.start_time_max=2023-11-14T23:13:20.000000000Z\
             &query.duration_min=1500us&query.duration_max=2s&query.num_traces=20"
        );
        let plain = JaegerSearch::from_criteria(&parse_search("serviceName=a"), 1_000, 1_000, 10).unwrap();
        assert_eq!(
            urls().traces(&plain),
            "https://jaeger.example/api/v3/traces?query.service_name=a&query.start_time_min=1970-01-01T00:00:00.000000000Z\
             &query.start_time_max=1970-01-01T00:00:01.000000000Z&query.num_traces=10"
        );
    }

    #[test]
    fn a_trace_id_stays_one_path_segment_and_dependencies_ask_for_the_window() {
        assert_eq!(urls().trace("a03ee8fff1dcd9b9"), "https://jaeger.example/api/v3/traces/a03ee8fff1dcd9b9");
        assert_eq!(urls().trace("abc/../services"), "https://jaeger.example/api/v3/traces/abc%2F..%2Fservices");
        let window = DependencyWindow { start_ms: 1_000, end_ms: 5_000 };
        assert_eq!(
            urls().dependencies(window),
            "https://jaeger.example/api/v3/dependencies?start_time=1970-01-01T00:00:01.000000000Z\
             &end_time=1970-01-01T00:00:05.000000000Z"
        );
    }
}
