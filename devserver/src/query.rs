//! Query parameters and their validation, as Zipkin's `QueryRequest` builds them (ZIPKIN.md §1): names
//! lower-cased, empty meaning "any", `annotationQuery` split on ` and `, and the same 400 messages.
use std::collections::HashMap;

/// A bad argument: answered with 400 and this text, as Zipkin's `BodyIsExceptionMessage` does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRequest(pub String);

impl std::fmt::Display for BadRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The decoded query string; like Armeria's `@Param`, the first occurrence of a name wins.
#[derive(Debug, Clone, Default)]
pub struct Params(HashMap<String, String>);

impl Params {
    /// Parses `a=1&b=x%20y` (form encoding: `+` is a space).
    pub fn parse(raw: Option<&str>) -> Params {
        let mut map = HashMap::new();
        for (k, v) in form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
            map.entry(k.into_owned()).or_insert_with(|| v.into_owned());
        }
        Params(map)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// A parameter Zipkin declares without a default: missing is a 400.
    pub fn required(&self, name: &str) -> Result<&str, BadRequest> {
        self.get(name).ok_or_else(|| BadRequest(format!("Mandatory parameter/header is missing: {name}")))
    }

    /// An optional whole number; present but empty or not a number is a 400, as Armeria's conversion is.
    pub fn number(&self, name: &str) -> Result<Option<i64>, BadRequest> {
        match self.get(name).map(str::trim) {
            None => Ok(None),
            Some(v) => v
                .parse::<i64>()
                .map(Some)
                .map_err(|_| BadRequest(format!("{name} must be a whole number, was \"{v}\""))),
        }
    }
}

/// A validated `/api/v2/traces` query (Zipkin's `QueryRequest`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryRequest {
    pub service_name: Option<String>,
    pub remote_service_name: Option<String>,
    pub span_name: Option<String>,
    /// Terms in order; a bare word has an empty value (matches an annotation value or a tag key).
    pub annotation_query: Vec<(String, String)>,
    pub min_duration: Option<i64>,
    pub max_duration: Option<i64>,
    /// Milliseconds since epoch.
    pub end_ts: i64,
    /// Milliseconds.
    pub lookback: i64,
    pub limit: usize,
}

/// Milliseconds since the epoch, now.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

fn lower_or_none(name: Option<&str>) -> Option<String> {
    name.map(str::to_lowercase).filter(|n| !n.is_empty())
}

/// `QueryRequest.Builder.parseAnnotationQuery`: terms split on ` and `; a bare word does not override a
/// `key=value` term for the same key, while the last `key=value` wins.
pub fn parse_annotation_query(raw: Option<&str>) -> Vec<(String, String)> {
    let mut terms: Vec<(String, String)> = Vec::new();
    let Some(raw) = raw.filter(|r| !r.is_empty()) else { return terms };
    for term in raw.split(" and ") {
        match term.find('=') {
            None => {
                let key = term.trim().to_string();
                if !terms.iter().any(|(k, _)| *k == key) {
                    terms.push((key, String::new()));
                }
            }
            Some(at) => {
                let key = term[..at].trim().to_string();
                let value = term[at + 1..].trim().to_string();
                match terms.iter_mut().find(|(k, _)| *k == key) {
                    Some(existing) => existing.1 = value,
                    None => terms.push((key, value)),
                }
            }
        }
    }
    terms
}

impl QueryRequest {
    /// Reads and validates the parameters of `/api/v2/traces`.
    pub fn from_params(params: &Params, default_lookback: i64) -> Result<QueryRequest, BadRequest> {
        let limit = match params.get("limit").map(str::trim) {
            None => 10,
            Some(v) => {
                v.parse::<i32>().map_err(|_| BadRequest(format!("limit must be a whole number, was \"{v}\"")))?
            }
        };
        let end_ts = params.number("endTs")?.unwrap_or_else(now_millis);
        let lookback = params.number("lookback")?.unwrap_or(default_lookback);
        let min_duration = params.number("minDuration")?;
        let max_duration = params.number("maxDuration")?;
        let span_name = lower_or_none(params.get("spanName")).filter(|n| n != "all");
        if end_ts <= 0 {
            return Err(BadRequest("endTs <= 0".into()));
        }
        if limit <= 0 {
            return Err(BadRequest("limit <= 0".into()));
        }
        if lookback <= 0 {
            return Err(BadRequest("lookback <= 0".into()));
        }
        match (min_duration, max_duration) {
            (Some(min), _) if min <= 0 => return Err(BadRequest("minDuration <= 0".into())),
            (Some(min), Some(max)) if max < min => return Err(BadRequest("maxDuration < minDuration".into())),
            (None, Some(_)) => return Err(BadRequest("maxDuration is only valid with minDuration".into())),
            _ => {}
        }
        Ok(QueryRequest {
            service_name: lower_or_none(params.get("serviceName")),
            remote_service_name: lower_or_none(params.get("remoteServiceName")),
            span_name,
            annotation_query: parse_annotation_query(params.get("annotationQuery")),
            min_duration,
            max_duration,
            end_ts,
            lookback,
            limit: limit as usize,
        })
    }

    /// The search window in microseconds, inclusive at both ends (`QueryRequest.test`).
    pub fn window_micros(&self) -> (i128, i128) {
        let end = i128::from(self.end_ts) * 1000;
        (end - i128::from(self.lookback) * 1000, end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(raw: &str) -> Result<QueryRequest, BadRequest> {
        QueryRequest::from_params(&Params::parse(Some(raw)), 86_400_000)
    }

    #[test]
    fn names_are_lower_cased_and_empty_or_all_means_any() {
        let q = query("serviceName=FrontEnd&remoteServiceName=&spanName=all&endTs=5").unwrap();
        assert_eq!(q.service_name.as_deref(), Some("frontend"));
        assert_eq!((q.remote_service_name, q.span_name), (None, None));
        assert_eq!((q.limit, q.lookback), (10, 86_400_000));
    }

    #[test]
    fn bad_arguments_have_zipkins_messages() {
        assert_eq!(query("endTs=0").unwrap_err().0, "endTs <= 0");
        assert_eq!(query("limit=0").unwrap_err().0, "limit <= 0");
        assert_eq!(query("lookback=-1").unwrap_err().0, "lookback <= 0");
        assert_eq!(query("maxDuration=5").unwrap_err().0, "maxDuration is only valid with minDuration");
        assert_eq!(query("minDuration=0").unwrap_err().0, "minDuration <= 0");
        assert_eq!(query("minDuration=5&maxDuration=4").unwrap_err().0, "maxDuration < minDuration");
        assert!(query("limit=ten").unwrap_err().0.contains("limit"));
        assert!(query("limit=").unwrap_err().0.contains("limit"));
        assert!(query("endTs=").unwrap_err().0.contains("endTs"));
    }

    #[test]
    fn annotation_queries_split_on_and() {
        assert_eq!(
            parse_annotation_query(Some("error and http.method=GET and cache.hit=true and error=x and error")),
            vec![
                ("error".to_string(), "x".to_string()),
                ("http.method".into(), "GET".into()),
                ("cache.hit".into(), "true".into())
            ]
        );
        assert_eq!(parse_annotation_query(Some("a or b")), vec![("a or b".to_string(), String::new())]);
    }
}
