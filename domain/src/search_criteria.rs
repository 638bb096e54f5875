//! The search form's model: the criteria as a person types them (strings, tag terms, a lookback
//! choice or a custom range), checked and turned into [`SearchCriteria`] for the URL, and back.
//! The URL format itself (Lens's names and units) lives in [`super::search_url`]; this module adds
//! what the form needs on top: tag terms split out of `annotationQuery`, tag suggestions, field
//! problems worded for people, and the advice an empty result gives.
use super::search_url::{parse_duration, parse_search, Lookback, SearchCriteria, FIXED_LOOKBACKS};

/// A `key=value` term of Zipkin's `annotationQuery`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TagTerm {
    pub key: String,
    pub value: String,
}

impl TagTerm {
    /// Reads `key=value` (spaces around either side trimmed); `None` without `=` or a key.
    pub fn parse(text: &str) -> Option<TagTerm> {
        let (key, value) = text.split_once('=')?;
        let key = key.trim();
        (!key.is_empty()).then(|| TagTerm { key: key.to_owned(), value: value.trim().to_owned() })
    }

    /// The term as Zipkin reads it.
    pub fn to_query_term(&self) -> String {
        format!("{}={}", self.key, self.value)
    }
}

/// Splits an `annotationQuery` on ` and ` (Zipkin's only operator, `QueryRequest.parseAnnotationQuery`):
/// the `key=value` terms become tags, everything else (bare words: an annotation value or a tag key)
/// stays raw text, rejoined with ` and `.
pub fn split_annotation_query(query: &str) -> (Vec<TagTerm>, String) {
    let mut tags: Vec<TagTerm> = Vec::new();
    let mut raw: Vec<&str> = Vec::new();
    for term in query.split(" and ").map(str::trim).filter(|t| !t.is_empty()) {
        match TagTerm::parse(term) {
            Some(tag) if !tags.contains(&tag) => tags.push(tag),
            Some(_) => {}
            None => raw.push(term),
        }
    }
    (tags, raw.join(" and "))
}

/// Joins tags and raw terms into one `annotationQuery`; `None` when there is nothing to ask for.
/// Duplicate terms are sent once.
pub fn join_annotation_query(tags: &[TagTerm], raw: &str) -> Option<String> {
    let mut terms: Vec<String> = tags.iter().map(TagTerm::to_query_term).collect();
    for term in raw.split(" and ").map(str::trim).filter(|t| !t.is_empty()) {
        if !terms.iter().any(|t| t == term) {
            terms.push(term.to_owned());
        }
    }
    (!terms.is_empty()).then(|| terms.join(" and "))
}

/// What the tag input is asking for, given what has been typed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagPhase {
    /// No `=` yet: suggest keys matching this prefix.
    Key(String),
    /// After `key=`: suggest values of `key` matching the prefix.
    Value { key: String, prefix: String },
}

/// The phase of the tag input's text.
pub fn tag_phase(text: &str) -> TagPhase {
    match text.split_once('=') {
        Some((key, prefix)) => TagPhase::Value { key: key.trim().to_owned(), prefix: prefix.trim_start().to_owned() },
        None => TagPhase::Key(text.trim().to_owned()),
    }
}

/// The candidates that match `typed`, case-insensitively: those starting with it first, then those
/// containing it, each group in its given order; at most `max`. An empty `typed` matches all.
pub fn matching_suggestions(candidates: &[String], typed: &str, max: usize) -> Vec<String> {
    let needle = typed.to_lowercase();
    let (mut starts, mut contains): (Vec<&String>, Vec<&String>) = (Vec::new(), Vec::new());
    for c in candidates {
        let lower = c.to_lowercase();
        if lower.starts_with(&needle) {
            starts.push(c);
        } else if lower.contains(&needle) {
            contains.push(c);
        }
    }
    starts.into_iter().chain(contains).take(max).cloned().collect()
}

/// The lookback choices a form offers: Lens's presets, then a custom range.
pub const CUSTOM_RANGE: &str = "range";

/// A person-readable name of a lookback preset (`15m` → "Last 15 minutes").
pub fn lookback_label(value: &str) -> String {
    let split = value.find(|c: char| !c.is_ascii_digit()).unwrap_or(value.len());
    let (n, unit) = value.split_at(split);
    let unit = match (unit, n == "1") {
        ("m", true) => "minute",
        ("m", false) => "minutes",
        ("h", true) => "hour",
        ("h", false) => "hours",
        ("d", true) => "day",
        ("d", false) => "days",
        _ => return value.to_owned(),
    };
    if n == "1" {
        format!("Last {unit}")
    } else {
        format!("Last {n} {unit}")
    }
}

/// The preset nearest to (and not shorter than) `ms`, for a config default such as 15 minutes;
/// the longest preset when `ms` exceeds them all.
pub fn preset_for_ms(ms: u64) -> &'static str {
    FIXED_LOOKBACKS.iter().find(|(_, len)| *len >= ms).map_or("7d", |(v, _)| v)
}

/// The form as typed: everything a string, so half-typed values survive re-renders.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchForm {
    pub service_name: String,
    pub remote_service_name: String,
    pub span_name: String,
    /// Empty for any kind.
    pub span_kind: String,
    pub tags: Vec<TagTerm>,
    /// Raw annotation query terms (bare words, or anything typed by hand).
    pub raw_query: String,
    pub min_duration: String,
    pub max_duration: String,
    /// A preset (`15m`) or [`CUSTOM_RANGE`]. A custom `millis` lookback from an old link keeps
    /// its window as a range.
    pub lookback: String,
    /// Custom range ends, ms since epoch (the UI shows and edits them in the chosen time zone).
    pub range_start_ms: Option<u64>,
    pub range_end_ms: Option<u64>,
    pub limit: String,
    /// The server takes a maximum duration without a minimum (Jaeger does; Zipkin refuses it).
    pub max_alone_allowed: bool,
}

/// One field the form cannot send, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The URL parameter name of the field (`minDuration`, `limit`, `startTs`, …).
    pub field: &'static str,
    pub message: String,
}

impl SearchForm {
    /// The form showing `criteria`, with the configured defaults where the URL says nothing.
    /// `now_ms` places a `millis` lookback (from an old link) as a range.
    pub fn from_criteria(c: &SearchCriteria, default_lookback_ms: u64, default_limit: u32, now_ms: u64) -> SearchForm {
        let (tags, raw_query) = split_annotation_query(c.annotation_query.as_deref().unwrap_or(""));
        let end = c.end_ts.unwrap_or(now_ms);
        let (lookback, range_start_ms, range_end_ms) = match &c.lookback {
            Some(Lookback::Fixed { value, .. }) => (value.clone(), None, None),
            Some(Lookback::Millis(ms)) => (CUSTOM_RANGE.to_owned(), Some(end.saturating_sub(*ms)), Some(end)),
            Some(Lookback::Range { start_ms }) => (CUSTOM_RANGE.to_owned(), Some(*start_ms), Some(end)),
            None => (preset_for_ms(default_lookback_ms).to_owned(), None, None),
        };
        SearchForm {
            service_name: c.service_name.clone().unwrap_or_default(),
            remote_service_name: c.remote_service_name.clone().unwrap_or_default(),
            span_name: c.span_name.clone().unwrap_or_default(),
            span_kind: c.span_kind.clone().unwrap_or_default(),
            tags,
            raw_query,
            min_duration: c.min_duration.clone().unwrap_or_default(),
            max_duration: c.max_duration.clone().unwrap_or_default(),
            lookback,
            range_start_ms,
            range_end_ms,
            limit: c.limit.unwrap_or(default_limit).to_string(),
            max_alone_allowed: false,
        }
    }

    /// The problems that keep this form from being sent (empty when it can be).
    pub fn problems(&self) -> Vec<FieldProblem> {
        let mut out = Vec::new();
        let mut problem = |field: &'static str, message: String| out.push(FieldProblem { field, message });
        let min = self.min_duration.trim();
        let max = self.max_duration.trim();
        let min_us = parse_duration(min);
        let max_us = parse_duration(max);
        if !min.is_empty() && min_us.is_none() {
            problem("minDuration", format!("\"{min}\" is not a duration; try 100ms, 1.5s or 250us"));
        }
        if !max.is_empty() && max_us.is_none() {
            problem("maxDuration", format!("\"{max}\" is not a duration; try 100ms, 1.5s or 250us"));
        }
        if !max.is_empty() && min.is_empty() && !self.max_alone_allowed {
            problem("minDuration", "Zipkin needs a minimum duration when a maximum is given".to_owned());
        }
        if let (Some(a), Some(b)) = (min_us, max_us) {
            if a > b {
                problem("maxDuration", "the maximum is shorter than the minimum".to_owned());
            }
        }
        match self.limit.trim().parse::<u32>() {
            Ok(n) if n > 0 => {}
            _ => problem("limit", "the limit must be a whole number above 0".to_owned()),
        }
        if self.lookback == CUSTOM_RANGE {
            match (self.range_start_ms, self.range_end_ms) {
                (None, _) => problem("startTs", "choose when the range starts".to_owned()),
                (_, None) => problem("endTs", "choose when the range ends".to_owned()),
                (Some(s), Some(e)) if s >= e => problem("endTs", "the range must end after it starts".to_owned()),
                _ => {}
            }
        } else if FIXED_LOOKBACKS.iter().all(|(v, _)| *v != self.lookback) {
            problem("lookback", format!("\"{}\" is not a lookback this page knows", self.lookback));
        }
        out
    }

    /// The criteria to put in the URL, searching up to `now_ms` for a preset lookback (as Lens
    /// does, so a copied URL repeats the very same window). Fails with the form's problems.
    pub fn to_criteria(&self, now_ms: u64) -> Result<SearchCriteria, Vec<FieldProblem>> {
        let problems = self.problems();
        if !problems.is_empty() {
            return Err(problems);
        }
        let text = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let (lookback, end_ts) = if self.lookback == CUSTOM_RANGE {
            // problems() guarantees both ends.
            let start_ms = self.range_start_ms.unwrap_or(0);
            (Some(Lookback::Range { start_ms }), self.range_end_ms)
        } else {
            (Lookback::fixed(&self.lookback), Some(now_ms))
        };
        Ok(SearchCriteria {
            service_name: text(&self.service_name),
            remote_service_name: text(&self.remote_service_name),
            span_name: text(&self.span_name),
            span_kind: text(&self.span_kind),
            annotation_query: join_annotation_query(&self.tags, &self.raw_query),
            min_duration: text(&self.min_duration),
            max_duration: text(&self.max_duration),
            lookback,
            end_ts,
            limit: self.limit.trim().parse().ok(),
        })
    }
}

/// Whether a URL query asks for a search at all (a bare `/zipkin/` does not: Lens waits for one).
pub fn is_search_query(query: &str) -> bool {
    parse_search(query) != SearchCriteria::default()
}

/// What to widen when a search found nothing, most likely first.
pub fn empty_result_advice(c: &SearchCriteria, default_lookback_ms: u64) -> Vec<String> {
    let mut advice = Vec::new();
    let end = c.end_ts.unwrap_or(0);
    let window = c.lookback.as_ref().map_or(default_lookback_ms, |l| l.length_ms(end));
    if window < 604_800_000 {
        advice.push("Look further back: choose a longer lookback or a wider range.".to_owned());
    }
    if c.end_ts.is_some() {
        advice.push("Search again to include traces that arrived since this search ran.".to_owned());
    }
    if c.min_duration.is_some() || c.max_duration.is_some() {
        advice.push("Loosen or clear the minimum and maximum duration.".to_owned());
    }
    if c.annotation_query.is_some() {
        advice.push("Remove tag or annotation terms: all of them must match a span of the chosen service.".to_owned());
    }
    if c.span_name.is_some() || c.remote_service_name.is_some() {
        advice.push("Clear the span name or remote service.".to_owned());
    }
    if c.service_name.is_some() {
        advice.push("Try another service, or all services.".to_owned());
    }
    advice
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search_url::to_query;

    fn tag(k: &str, v: &str) -> TagTerm {
        TagTerm { key: k.into(), value: v.into() }
    }

    #[test]
    fn annotation_queries_split_into_tags_and_raw_terms_and_back() {
        let (tags, raw) = split_annotation_query("error and http.path=/a and  http.method = GET and retry");
        assert_eq!(tags, vec![tag("http.path", "/a"), tag("http.method", "GET")]);
        assert_eq!(raw, "error and retry");
        assert_eq!(
            join_annotation_query(&tags, &raw).as_deref(),
            Some("http.path=/a and http.method=GET and error and retry")
        );
        assert_eq!(join_annotation_query(&[], "  "), None);
        assert_eq!(join_annotation_query(&[tag("a", "1")], "a=1 and b").as_deref(), Some("a=1 and b"));
        assert_eq!(TagTerm::parse("=x"), None);
        assert_eq!(TagTerm::parse("error="), Some(tag("error", "")));
    }

    #[test]
    fn tag_input_phases_and_suggestions() {
        assert_eq!(tag_phase("http.me"), TagPhase::Key("http.me".into()));
        assert_eq!(tag_phase("http.method=G"), TagPhase::Value { key: "http.method".into(), prefix: "G".into() });
        let keys: Vec<String> = ["environment", "http.method", "http.status_code", "method"].map(String::from).into();
        assert_eq!(matching_suggestions(&keys, "meth", 10), vec!["method", "http.method"]);
        assert_eq!(matching_suggestions(&keys, "HTTP", 1), vec!["http.method"]);
        assert_eq!(matching_suggestions(&keys, "", 10).len(), 4);
    }

    #[test]
    fn lookback_labels_and_presets() {
        assert_eq!(lookback_label("1m"), "Last minute");
        assert_eq!(lookback_label("15m"), "Last 15 minutes");
        assert_eq!(lookback_label("2d"), "Last 2 days");
        assert_eq!(lookback_label("1h"), "Last hour");
        assert_eq!(preset_for_ms(900_000), "15m");
        assert_eq!(preset_for_ms(1_000_000), "30m");
        assert_eq!(preset_for_ms(u64::MAX), "7d");
    }

    #[test]
    fn a_lens_link_fills_the_form_and_the_form_gives_the_link_back() {
        let c = parse_search("serviceName=frontend&annotationQuery=error+and+http.path%3D%2Fa&minDuration=10ms&lookback=1h&endTs=5000000&limit=20");
        let form = SearchForm::from_criteria(&c, 900_000, 10, 9_000_000);
        assert_eq!(form.service_name, "frontend");
        assert_eq!(form.tags, vec![tag("http.path", "/a")]);
        assert_eq!(form.raw_query, "error");
        assert_eq!(form.lookback, "1h");
        assert_eq!(form.limit, "20");
        let again = form.to_criteria(5_000_000).unwrap();
        assert_eq!(
            to_query(&again),
            "serviceName=frontend&annotationQuery=http.path%3D%2Fa+and+error&minDuration=10ms&lookback=1h&endTs=5000000&limit=20"
        );
    }

    #[test]
    fn defaults_come_from_the_config_and_presets_end_now() {
        let form = SearchForm::from_criteria(&SearchCriteria::default(), 15 * 60_000, 10, 0);
        assert_eq!((form.lookback.as_str(), form.limit.as_str()), ("15m", "10"));
        let c = form.to_criteria(1_700_000_000_000).unwrap();
        assert_eq!(to_query(&c), "lookback=15m&endTs=1700000000000&limit=10");
    }

    #[test]
    fn custom_ranges_and_old_millis_links() {
        let c = parse_search("lookback=millis&millis=60000&endTs=100000");
        let form = SearchForm::from_criteria(&c, 1, 10, 0);
        assert_eq!(
            (form.lookback.as_str(), form.range_start_ms, form.range_end_ms),
            ("range", Some(40_000), Some(100_000))
        );
        assert_eq!(to_query(&form.to_criteria(999).unwrap()), "lookback=range&startTs=40000&endTs=100000&limit=10");
        let bad = SearchForm { range_end_ms: Some(40_000), ..form };
        assert_eq!(bad.problems()[0].field, "endTs");
    }

    #[test]
    fn problems_are_named_by_field() {
        let form = SearchForm {
            min_duration: "fast".into(),
            max_duration: "1s".into(),
            lookback: "15m".into(),
            limit: "0".into(),
            ..SearchForm::default()
        };
        let fields: Vec<_> = form.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["minDuration", "limit"]);
        let form = SearchForm {
            min_duration: "".into(),
            max_duration: "1s".into(),
            lookback: "15m".into(),
            limit: "1".into(),
            ..SearchForm::default()
        };
        assert_eq!(form.problems()[0].message, "Zipkin needs a minimum duration when a maximum is given");
        assert_eq!(SearchForm { max_alone_allowed: true, ..form.clone() }.problems(), vec![]);
        let form = SearchForm {
            min_duration: "2s".into(),
            max_duration: "1s".into(),
            lookback: "15m".into(),
            limit: "1".into(),
            ..SearchForm::default()
        };
        assert_eq!(form.problems()[0].field, "maxDuration");
        assert!(form.to_criteria(0).is_err());
    }

    #[test]
    fn search_queries_and_advice() {
        assert!(!is_search_query(""));
        assert!(!is_search_query("?foo=bar"));
        assert!(is_search_query("?lookback=15m"));
        let c = parse_search("serviceName=a&minDuration=1s&lookback=1h&endTs=1");
        let advice = empty_result_advice(&c, 0);
        assert!(advice[0].contains("lookback"));
        assert!(advice.iter().any(|a| a.contains("duration")));
        assert!(advice.iter().any(|a| a.contains("another service")));
        assert!(!advice.iter().any(|a| a.contains("tag")));
    }
}
