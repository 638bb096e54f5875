//! API v3's search parameters, as v2.20's `parseFindTracesQuery` reads them: `query.serviceName`,
//! `query.operationName`, `query.startTimeMin` and `query.startTimeMax` (RFC 3339, both required, min before
//! max), `query.durationMin` / `query.durationMax` (Go durations), `query.searchDepth` (else the deprecated
//! `query.search_depth`, else `query.num_traces`; default 100) and `query.attributes` (a JSON object of
//! strings); each camelCase name also read in its older snake_case spelling. Errors are Jaeger's texts.
use crate::jaeger_params::{parse_duration, parse_rfc3339, parse_string_map, Values};
use spanscope_domain::jaeger_search::TraceQuery;

/// `defaultSearchDepth`.
const DEFAULT_SEARCH_DEPTH: usize = 100;

/// Reads a search; `Err` is the 400's message.
pub fn parse_find_traces(q: &Values) -> Result<TraceQuery, String> {
    let mut query = TraceQuery {
        service_name: q.get_either("query.serviceName", "query.service_name").0.to_owned(),
        operation_name: q.get_either("query.operationName", "query.operation_name").0.to_owned(),
        ..TraceQuery::default()
    };
    let attributes = q.get("query.attributes");
    if !attributes.is_empty() {
        query.attributes =
            parse_string_map(attributes).map_err(|e| format!("malformed parameter query.attributes: {e}"))?;
    }
    let (min, min_name) = q.get_either("query.startTimeMin", "query.start_time_min");
    let (max, max_name) = q.get_either("query.startTimeMax", "query.start_time_max");
    if min.is_empty() || max.is_empty() {
        return Err("query.startTimeMin and query.startTimeMax are required".into());
    }
    let min = parse_rfc3339(min).map_err(|e| format!("malformed parameter {min_name}: {e}"))?;
    let max = parse_rfc3339(max).map_err(|e| format!("malformed parameter {max_name}: {e}"))?;
    if min >= max {
        return Err("query.startTimeMin must be before query.startTimeMax".into());
    }
    (query.start_time_min, query.start_time_max) = (Some(min), Some(max));
    let (mut depth, mut depth_name) = q.get_either("query.searchDepth", "query.search_depth");
    if depth.is_empty() {
        (depth, depth_name) = (q.get("query.num_traces"), "query.num_traces");
    }
    query.search_depth = match depth {
        "" => DEFAULT_SEARCH_DEPTH,
        text => {
            let n: i64 = text.parse().map_err(|_| {
                format!("malformed parameter {depth_name}: strconv.Atoi: parsing {text:?}: invalid syntax")
            })?;
            usize::try_from(n).unwrap_or(0)
        }
    };
    for (canonical, deprecated, slot) in [
        ("query.durationMin", "query.duration_min", &mut query.duration_min),
        ("query.durationMax", "query.duration_max", &mut query.duration_max),
    ] {
        let (text, name) = q.get_either(canonical, deprecated);
        if !text.is_empty() {
            let ns = parse_duration(text).map_err(|e| format!("malformed parameter {name}: {e}"))?;
            *slot = (ns != 0).then_some(ns.max(0) as u64);
        }
    }
    Ok(query)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<TraceQuery, String> {
        parse_find_traces(&Values::parse(Some(raw)))
    }

    const WINDOW: &str = "query.start_time_min=2024-01-01T00:00:00Z&query.start_time_max=2024-01-02T00:00:00Z";

    #[test]
    fn both_spellings_and_the_defaults() {
        let q = parse(&format!("query.service_name=web&query.operationName=get&{WINDOW}")).unwrap();
        assert_eq!((q.service_name.as_str(), q.operation_name.as_str()), ("web", "get"));
        assert_eq!(q.start_time_min, Some(1_704_067_200_000_000_000));
        assert_eq!(q.start_time_max, Some(1_704_153_600_000_000_000));
        assert_eq!((q.search_depth, q.duration_min, q.duration_max), (100, None, None));
        let q = parse(&format!("{WINDOW}&query.num_traces=7&query.durationMin=1.5ms&query.duration_max=1s")).unwrap();
        assert_eq!((q.search_depth, q.duration_min, q.duration_max), (7, Some(1_500_000), Some(1_000_000_000)));
        let q = parse(&format!("{WINDOW}&query.searchDepth=3&query.num_traces=7")).unwrap();
        assert_eq!(q.search_depth, 3);
        let q = parse(&format!("{WINDOW}&query.attributes=%7B%22http.method%22%3A%22GET%22%7D")).unwrap();
        assert_eq!(q.attributes, [("http.method".to_string(), "GET".to_string())]);
    }

    #[test]
    fn errors_say_what_jaeger_says() {
        assert_eq!(parse("").unwrap_err(), "query.startTimeMin and query.startTimeMax are required");
        let reversed = "query.startTimeMin=2024-01-02T00:00:00Z&query.startTimeMax=2024-01-01T00:00:00Z";
        assert_eq!(parse(reversed).unwrap_err(), "query.startTimeMin must be before query.startTimeMax");
        assert!(parse("query.start_time_min=yesterday&query.start_time_max=2024-01-01T00:00:00Z")
            .unwrap_err()
            .starts_with("malformed parameter query.start_time_min: parsing time \"yesterday\""));
        assert!(parse(&format!("{WINDOW}&query.duration_min=5")).unwrap_err().contains("missing unit"));
        assert!(parse(&format!("{WINDOW}&query.search_depth=x"))
            .unwrap_err()
            .starts_with("malformed parameter query.search_depth"));
        assert!(parse(&format!("{WINDOW}&query.attributes=%5B%5D"))
            .unwrap_err()
            .starts_with("malformed parameter query.attributes"));
    }
}
