//! Search criteria <-> URL query, with Lens's parameter names and units (ZIPKIN.md §6;
//! `zipkin-lens/src/components/DiscoverPage/DiscoverPageContent.tsx` and `lookback.ts`), so
//! every old Lens link parses, plus the `/api/v2/traces` query built from criteria and "now".
//!
//! URL: `serviceName`, `remoteServiceName`, `spanName`, `annotationQuery`, `minDuration`,
//! `maxDuration` (as typed: `10s`, `10ms`, `10us`, bare = µs), `lookback` (`1m`…`7d`, `millis`
//! with `millis=`, `range` with `startTs=`, or a bare number of ms as older links have),
//! `endTs` (ms), `limit`; `spanKind` (`server`, `client`, `producer`, `consumer`, `internal`), which only
//! Jaeger answers. Also the dependency page's `startTime`/`endTime` (ms).

/// The time window of a search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookback {
    /// One of Lens's presets (`15m`, `1h`, `2d`, …): the value as written and its length in ms.
    Fixed { value: String, ms: u64 },
    /// A custom length in ms (`lookback=millis&millis=…`, or a bare number).
    Millis(u64),
    /// An explicit range (`lookback=range&startTs=…`), start in ms since epoch.
    Range { start_ms: u64 },
}

/// Lens's preset lookbacks and their lengths in ms.
pub const FIXED_LOOKBACKS: [(&str, u64); 12] = [
    ("1m", 60_000),
    ("5m", 300_000),
    ("15m", 900_000),
    ("30m", 1_800_000),
    ("1h", 3_600_000),
    ("2h", 7_200_000),
    ("3h", 10_800_000),
    ("6h", 21_600_000),
    ("12h", 43_200_000),
    ("1d", 86_400_000),
    ("2d", 172_800_000),
    ("7d", 604_800_000),
];

impl Lookback {
    /// The preset with this name (`15m`), if Lens has it.
    pub fn fixed(value: &str) -> Option<Lookback> {
        FIXED_LOOKBACKS
            .iter()
            .find(|(v, _)| *v == value)
            .map(|(v, ms)| Lookback::Fixed { value: (*v).to_owned(), ms: *ms })
    }

    /// The window length in ms, given its end.
    pub fn length_ms(&self, end_ms: u64) -> u64 {
        match self {
            Lookback::Fixed { ms, .. } | Lookback::Millis(ms) => *ms,
            Lookback::Range { start_ms } => end_ms.saturating_sub(*start_ms),
        }
    }
}

/// What the search page searches for; every field optional, as in a URL.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchCriteria {
    pub service_name: Option<String>,
    pub remote_service_name: Option<String>,
    pub span_name: Option<String>,
    /// A span kind (`server`, …): Jaeger lists the operations of one kind; Zipkin cannot ask.
    pub span_kind: Option<String>,
    /// Zipkin's `annotationQuery`: terms joined by ` and ` (`key=value` or a bare word).
    pub annotation_query: Option<String>,
    /// As typed (`10ms`); see `parse_duration`.
    pub min_duration: Option<String>,
    pub max_duration: Option<String>,
    pub lookback: Option<Lookback>,
    /// End of the window, ms since epoch; absent means "now".
    pub end_ts: Option<u64>,
    pub limit: Option<u32>,
}

/// A duration as Lens reads it: digits with an optional unit `s`, `ms` or `us` (bare = µs).
/// Also accepts `μs` and a decimal point (`1.5s`), which people type. Returns µs.
pub fn parse_duration(s: &str) -> Option<u64> {
    let s = s.trim();
    let split = s.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    if num.is_empty() || num.starts_with('.') {
        return None;
    }
    let factor = match unit.trim() {
        "" | "us" | "μs" | "µs" => 1.0,
        "ms" => 1_000.0,
        "s" => 1_000_000.0,
        _ => return None,
    };
    if num.contains('.') {
        let v: f64 = num.parse().ok()?;
        let us = v * factor;
        (us.is_finite() && us < 1.8e19).then_some(us.round() as u64)
    } else {
        num.parse::<u64>().ok()?.checked_mul(factor as u64)
    }
}

/// `%XX` and `+` decoding of one query component; invalid escapes are kept literally.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(v) => {
                        out.push(v);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Encodes a query component (`URLSearchParams` style: space as `+`).
pub fn percent_encode(s: &str) -> String {
    encode_bytes(s, "+")
}

/// Encodes one path segment (a trace id in `/trace/{id}`): `/`, `?`, `#` and `%` are escaped so
/// the value can never add a segment, start the query or end the path, and space is `%20`
/// because `+` is a literal plus in a path. A segment of dots alone (`..`) is still resolved by
/// URL parsers however it is escaped; trace ids are hex (`trace_id::normalize_trace_id`).
pub fn percent_encode_path_segment(s: &str) -> String {
    encode_bytes(s, "%20")
}

/// Every byte but the unreserved ones (and `*`) as `%XX`, space as `space`.
fn encode_bytes(s: &str, space: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => out.push(b as char),
            b' ' => out.push_str(space),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Splits `?a=b&c=d` (leading `?` optional) into decoded pairs, in order.
pub fn query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

fn non_empty(v: String) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Reads search criteria from a URL query. Unknown parameters are ignored; a malformed number
/// leaves its field unset rather than failing the whole link.
pub fn parse_search(query: &str) -> SearchCriteria {
    let mut c = SearchCriteria::default();
    let (mut lookback, mut millis, mut start_ts) = (None, None, None);
    for (k, v) in query_pairs(query) {
        match k.as_str() {
            "serviceName" => c.service_name = non_empty(v),
            "remoteServiceName" => c.remote_service_name = non_empty(v),
            "spanName" => c.span_name = non_empty(v).filter(|s| s != "all"),
            "spanKind" => c.span_kind = non_empty(v).map(|k| k.to_ascii_lowercase()),
            "annotationQuery" => c.annotation_query = non_empty(v),
            "minDuration" => c.min_duration = non_empty(v),
            "maxDuration" => c.max_duration = non_empty(v),
            "lookback" => lookback = non_empty(v),
            "millis" => millis = v.trim().parse::<u64>().ok(),
            "startTs" => start_ts = v.trim().parse::<u64>().ok(),
            "endTs" => c.end_ts = v.trim().parse::<u64>().ok().filter(|t| *t > 0),
            "limit" => c.limit = v.trim().parse::<u32>().ok().filter(|l| *l > 0),
            _ => {}
        }
    }
    c.lookback = match lookback.as_deref() {
        None => None,
        Some("millis") => millis.filter(|m| *m > 0).map(Lookback::Millis),
        Some("range") => start_ts.map(|start_ms| Lookback::Range { start_ms }),
        Some(other) => {
            Lookback::fixed(other).or_else(|| other.parse::<u64>().ok().filter(|m| *m > 0).map(Lookback::Millis))
        }
    };
    c
}

/// Writes criteria as a URL query (without `?`), Lens's names, fixed order; empty fields
/// omitted.
pub fn to_query(c: &SearchCriteria) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let mut put = |k: &'static str, v: &Option<String>| {
        if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
            pairs.push((k, v.clone()));
        }
    };
    put("serviceName", &c.service_name);
    put("remoteServiceName", &c.remote_service_name);
    put("spanName", &c.span_name);
    put("spanKind", &c.span_kind);
    put("annotationQuery", &c.annotation_query);
    put("minDuration", &c.min_duration);
    put("maxDuration", &c.max_duration);
    match &c.lookback {
        Some(Lookback::Fixed { value, .. }) => pairs.push(("lookback", value.clone())),
        Some(Lookback::Millis(ms)) => {
            pairs.push(("lookback", "millis".into()));
            pairs.push(("millis", ms.to_string()));
        }
        Some(Lookback::Range { start_ms }) => {
            pairs.push(("lookback", "range".into()));
            pairs.push(("startTs", start_ms.to_string()));
        }
        None => {}
    }
    if let Some(e) = c.end_ts {
        pairs.push(("endTs", e.to_string()));
    }
    if let Some(l) = c.limit {
        pairs.push(("limit", l.to_string()));
    }
    pairs.iter().map(|(k, v)| format!("{k}={}", percent_encode(v))).collect::<Vec<_>>().join("&")
}

/// Why criteria cannot be sent as a search (the server would answer 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchError {
    BadDuration {
        field: &'static str,
        value: String,
    },
    MaxWithoutMin,
    MinAboveMax,
    /// A criterion this server cannot search by (Zipkin: span kind; Jaeger: remote service, bare
    /// annotation words); refused rather than silently dropped, so results never claim a filter they lack.
    Unsupported {
        criterion: &'static str,
        server: &'static str,
    },
    /// Jaeger searches one service at a time.
    ServiceRequired {
        server: &'static str,
    },
}

impl std::fmt::Display for SearchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SearchError::BadDuration { field, value } => {
                write!(f, "{field} \"{value}\" is not a duration (examples: 100ms, 2s, 500us)")
            }
            SearchError::MaxWithoutMin => write!(f, "maxDuration is only valid with minDuration"),
            SearchError::MinAboveMax => write!(f, "minDuration is larger than maxDuration"),
            SearchError::ServiceRequired { server } => {
                write!(f, "{server} searches one service at a time: choose a service")
            }
            SearchError::Unsupported { criterion, server } => {
                write!(f, "{server} cannot search by {criterion}; remove it from the search")
            }
        }
    }
}

impl std::error::Error for SearchError {}

/// The `/api/v2/traces` query (without `?`) for criteria, "now" and the configured defaults:
/// durations in µs, `endTs` and `lookback` in ms (Lens's `buildApiQuery`).
pub fn api_query(
    c: &SearchCriteria,
    now_ms: u64,
    default_lookback_ms: u64,
    default_limit: u32,
) -> Result<String, SearchError> {
    let dur = |field: &'static str, v: &Option<String>| -> Result<Option<u64>, SearchError> {
        match v {
            None => Ok(None),
            Some(s) => parse_duration(s).map(Some).ok_or_else(|| SearchError::BadDuration { field, value: s.clone() }),
        }
    };
    let min = dur("minDuration", &c.min_duration)?;
    let max = dur("maxDuration", &c.max_duration)?;
    match (min, max) {
        (None, Some(_)) => return Err(SearchError::MaxWithoutMin),
        (Some(a), Some(b)) if a > b => return Err(SearchError::MinAboveMax),
        _ => {}
    }
    let end = c.end_ts.unwrap_or(now_ms);
    let lookback = c.lookback.as_ref().map_or(default_lookback_ms, |l| l.length_ms(end)).max(1);
    let mut pairs: Vec<(&str, String)> = Vec::new();
    for (k, v) in [
        ("serviceName", &c.service_name),
        ("remoteServiceName", &c.remote_service_name),
        ("spanName", &c.span_name),
        ("annotationQuery", &c.annotation_query),
    ] {
        if let Some(v) = v.as_ref().filter(|v| !v.is_empty()) {
            pairs.push((k, v.clone()));
        }
    }
    if let Some(m) = min {
        pairs.push(("minDuration", m.to_string()));
    }
    if let Some(m) = max {
        pairs.push(("maxDuration", m.to_string()));
    }
    pairs.push(("endTs", end.to_string()));
    pairs.push(("lookback", lookback.to_string()));
    pairs.push(("limit", c.limit.unwrap_or(default_limit).max(1).to_string()));
    Ok(pairs.iter().map(|(k, v)| format!("{k}={}", percent_encode(v))).collect::<Vec<_>>().join("&"))
}

/// The dependency page's window (`/dependency?startTime=ms&endTime=ms`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DependencyWindow {
    pub start_ms: u64,
    pub end_ms: u64,
}

/// Reads `startTime`/`endTime`; a missing end is "now", a missing start is one day earlier.
pub fn parse_dependency_window(query: &str, now_ms: u64) -> DependencyWindow {
    let (mut start, mut end) = (None, None);
    for (k, v) in query_pairs(query) {
        match k.as_str() {
            "startTime" => start = v.trim().parse::<u64>().ok(),
            "endTime" => end = v.trim().parse::<u64>().ok(),
            _ => {}
        }
    }
    let end_ms = end.unwrap_or(now_ms);
    let start_ms = start.filter(|s| *s < end_ms).unwrap_or(end_ms.saturating_sub(86_400_000));
    DependencyWindow { start_ms, end_ms }
}

impl DependencyWindow {
    /// The page URL query.
    pub fn to_query(&self) -> String {
        format!("startTime={}&endTime={}", self.start_ms, self.end_ms)
    }

    /// The `/api/v2/dependencies` query.
    pub fn api_query(&self) -> String {
        format!("endTs={}&lookback={}", self.end_ms, self.end_ms.saturating_sub(self.start_ms).max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_like_lens() {
        assert_eq!(parse_duration("10"), Some(10));
        assert_eq!(parse_duration("10us"), Some(10));
        assert_eq!(parse_duration("10ms"), Some(10_000));
        assert_eq!(parse_duration("10s"), Some(10_000_000));
        assert_eq!(parse_duration("1.5s"), Some(1_500_000));
        assert_eq!(parse_duration("ms"), None);
        assert_eq!(parse_duration("10h"), None);
    }

    #[test]
    fn lens_links_parse_and_round_trip() {
        let q = "?serviceName=frontend&spanName=get+%2Fapi&annotationQuery=error+and+http.path%3D%2Fa&minDuration=10ms&lookback=15m&endTs=1571896375322&limit=20";
        let c = parse_search(q);
        assert_eq!(c.service_name.as_deref(), Some("frontend"));
        assert_eq!(c.span_name.as_deref(), Some("get /api"));
        assert_eq!(c.annotation_query.as_deref(), Some("error and http.path=/a"));
        assert_eq!(c.lookback, Lookback::fixed("15m"));
        assert_eq!(c.end_ts, Some(1_571_896_375_322));
        assert_eq!(c.limit, Some(20));
        assert_eq!(parse_search(&to_query(&c)), c);
        let api = api_query(&c, 0, 86_400_000, 10).unwrap();
        assert_eq!(
            api,
            "serviceName=frontend&spanName=get+%2Fapi&annotationQuery=error+and+http.path%3D%2Fa&minDuration=10000&endTs=1571896375322&lookback=900000&limit=20"
        );
    }

    #[test]
    fn millis_range_and_bare_lookbacks() {
        assert_eq!(parse_search("lookback=millis&millis=5000&endTs=9").lookback, Some(Lookback::Millis(5000)));
        let r = parse_search("lookback=range&startTs=1000&endTs=5000");
        assert_eq!(r.lookback, Some(Lookback::Range { start_ms: 1000 }));
        assert!(api_query(&r, 0, 1, 10).unwrap().contains("endTs=5000&lookback=4000"));
        assert_eq!(parse_search("lookback=3600000").lookback, Some(Lookback::Millis(3_600_000)));
        assert_eq!(parse_search("spanName=all").span_name, None);
    }

    #[test]
    fn defaults_and_errors() {
        let c = SearchCriteria::default();
        assert_eq!(api_query(&c, 1_000_000, 86_400_000, 10).unwrap(), "endTs=1000000&lookback=86400000&limit=10");
        let bad = SearchCriteria { max_duration: Some("1s".into()), ..SearchCriteria::default() };
        assert_eq!(api_query(&bad, 1, 1, 1), Err(SearchError::MaxWithoutMin));
        let bad = SearchCriteria { min_duration: Some("fast".into()), ..SearchCriteria::default() };
        assert!(matches!(api_query(&bad, 1, 1, 1), Err(SearchError::BadDuration { .. })));
    }

    #[test]
    fn dependency_window() {
        let w = parse_dependency_window("startTime=1000&endTime=5000", 0);
        assert_eq!(w, DependencyWindow { start_ms: 1000, end_ms: 5000 });
        assert_eq!(w.api_query(), "endTs=5000&lookback=4000");
        assert_eq!(parse_dependency_window("", 100_000_000).start_ms, 100_000_000 - 86_400_000);
    }

    #[test]
    fn path_segments_cannot_escape_their_segment() {
        assert_eq!(percent_encode_path_segment("abc/../services"), "abc%2F..%2Fservices");
        assert_eq!(percent_encode_path_segment("a b+c"), "a%20b%2Bc");
        assert_eq!(percent_encode_path_segment("x?y#z%2F"), "x%3Fy%23z%252F");
        assert_eq!(percent_encode_path_segment("é"), "%C3%A9");
        assert_eq!(percent_encode_path_segment("a03ee8fff1dcd9b9"), "a03ee8fff1dcd9b9");
        // The query form differs only in the space.
        assert_eq!(percent_encode("a b/c"), "a+b%2Fc");
    }
}
