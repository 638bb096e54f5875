//! Search criteria in the terms both Jaeger APIs search by (OTEL_JAEGER.md; Jaeger's `query_parser.go`
//! and `apiv3/query_parser.go`): one service, an operation, `key=value` tags, Go durations, a start-time
//! window (the server ignores a lookback, so it is turned into start and end here) and a limit. What
//! Jaeger cannot search by (a remote service, bare annotation words, all services at once) is refused
//! with the reason, never dropped. Pure, so it is tested on the host.
use spanscope_domain::search_criteria::split_annotation_query;
use spanscope_domain::search_url::{parse_duration, SearchCriteria, SearchError};

/// One Jaeger search, in µs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JaegerSearch {
    pub service: String,
    pub operation: Option<String>,
    /// `key=value` terms in the order given, each key once (Jaeger takes a map).
    pub tags: Vec<(String, String)>,
    pub min_duration_us: Option<u64>,
    pub max_duration_us: Option<u64>,
    pub start_us: u64,
    pub end_us: u64,
    pub limit: u32,
}

impl JaegerSearch {
    /// The search for `criteria` at `now_ms`, with the configured lookback and limit where the criteria
    /// name none.
    pub fn from_criteria(
        c: &SearchCriteria,
        now_ms: u64,
        default_lookback_ms: u64,
        default_limit: u32,
    ) -> Result<JaegerSearch, SearchError> {
        let server = "Jaeger";
        let service =
            c.service_name.clone().filter(|s| !s.is_empty()).ok_or(SearchError::ServiceRequired { server })?;
        if c.remote_service_name.is_some() {
            return Err(SearchError::Unsupported { criterion: "remote service", server });
        }
        let (terms, words) = split_annotation_query(c.annotation_query.as_deref().unwrap_or(""));
        if !words.is_empty() {
            return Err(SearchError::Unsupported { criterion: "annotation words (only key=value tags)", server });
        }
        let mut tags: Vec<(String, String)> = Vec::new();
        for term in terms {
            match tags.iter_mut().find(|(k, _)| *k == term.key) {
                // Jaeger's tags are a map: a key given twice could never match both values.
                Some(_) => return Err(SearchError::Unsupported { criterion: "one tag key with two values", server }),
                None => tags.push((term.key, term.value)),
            }
        }
        let duration = |field: &'static str, v: &Option<String>| match v {
            None => Ok(None),
            Some(s) => parse_duration(s).map(Some).ok_or_else(|| SearchError::BadDuration { field, value: s.clone() }),
        };
        let min_duration_us = duration("minDuration", &c.min_duration)?;
        let max_duration_us = duration("maxDuration", &c.max_duration)?;
        if let (Some(a), Some(b)) = (min_duration_us, max_duration_us) {
            if a > b {
                return Err(SearchError::MinAboveMax);
            }
        }
        let end_ms = c.end_ts.unwrap_or(now_ms);
        let lookback_ms = c.lookback.as_ref().map_or(default_lookback_ms, |l| l.length_ms(end_ms)).max(1);
        Ok(JaegerSearch {
            service,
            operation: c.span_name.clone().filter(|s| !s.is_empty()),
            tags,
            min_duration_us,
            max_duration_us,
            start_us: end_ms.saturating_sub(lookback_ms).saturating_mul(1000),
            end_us: end_ms.saturating_mul(1000),
            limit: c.limit.unwrap_or(default_limit).max(1),
        })
    }

    /// The tags as the JSON object string both APIs take (`{"http.status_code":"500"}`); `None` without tags.
    pub fn tags_json(&self) -> Option<String> {
        if self.tags.is_empty() {
            return None;
        }
        let map: serde_json::Map<String, serde_json::Value> =
            self.tags.iter().map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone()))).collect();
        Some(serde_json::Value::Object(map).to_string())
    }
}

/// µs as a Go duration (`time.ParseDuration` reads `1500us`).
pub fn go_duration(us: u64) -> String {
    spanscope_domain::jaeger_ui_link::duration_text(us)
}

#[cfg(test)]
mod tests {
    use super::*;
    use spanscope_domain::search_url::parse_search;

    #[test]
    fn a_lookback_becomes_a_window_in_microseconds() {
        let c = parse_search("serviceName=api&spanName=GET+%2F&annotationQuery=error%3Dtrue+and+http.status_code%3D500&minDuration=10ms&lookback=1h&endTs=7200000&limit=5");
        let s = JaegerSearch::from_criteria(&c, 99, 900_000, 10).unwrap();
        assert_eq!(s.service, "api");
        assert_eq!(s.operation.as_deref(), Some("GET /"));
        assert_eq!(s.tags, vec![("error".into(), "true".into()), ("http.status_code".into(), "500".into())]);
        assert_eq!((s.min_duration_us, s.max_duration_us), (Some(10_000), None));
        assert_eq!((s.start_us, s.end_us, s.limit), (3_600_000_000, 7_200_000_000, 5));
        assert_eq!(s.tags_json().as_deref(), Some(r#"{"error":"true","http.status_code":"500"}"#));
        // Defaults: now, the configured lookback and limit.
        let d = JaegerSearch::from_criteria(&parse_search("serviceName=api"), 1_000_000, 900_000, 10).unwrap();
        assert_eq!((d.start_us, d.end_us, d.limit, d.tags_json()), (100_000_000, 1_000_000_000, 10, None));
    }

    #[test]
    fn what_jaeger_cannot_search_by_is_refused() {
        let refuse = |q: &str| JaegerSearch::from_criteria(&parse_search(q), 1, 1, 1).unwrap_err().to_string();
        assert_eq!(refuse("lookback=1h"), "Jaeger searches one service at a time: choose a service");
        assert_eq!(
            refuse("serviceName=a&remoteServiceName=b"),
            "Jaeger cannot search by remote service; remove it from the search"
        );
        assert!(refuse("serviceName=a&annotationQuery=error").contains("annotation words"));
        assert!(refuse("serviceName=a&annotationQuery=k%3D1+and+k%3D2").contains("two values"));
        assert_eq!(refuse("serviceName=a&minDuration=2s&maxDuration=1s"), "minDuration is larger than maxDuration");
        // A maximum alone is a Jaeger search (Zipkin's needs a minimum).
        let max_alone = JaegerSearch::from_criteria(&parse_search("serviceName=a&maxDuration=1s"), 1, 1, 1).unwrap();
        assert_eq!(max_alone.max_duration_us, Some(1_000_000));
        assert_eq!(
            (go_duration(1_000_000), go_duration(10_000), go_duration(15)),
            ("1s".into(), "10ms".into(), "15us".into())
        );
    }
}
