//! Jaeger UI's URLs read as Spanscope's, so links that Grafana, alerts and runbooks hold for a Jaeger UI
//! open the same page here: `/search?service=&operation=&tags=&lookback=&limit=&minDuration=&maxDuration=
//! &start=&end=` (Jaeger UI's `SearchTracePage/url.tsx` and `SearchForm.tsx`), `/trace/{id}` with `uiFind`
//! (and the embed flags `embed_flags` already reads), `/trace/{a}...{b}` (a comparison) and `/dependencies`.
//!
//! ```
//! use spanscope_domain::jaeger_ui_link::{jaeger_ui_target, JaegerUiTarget};
//!
//! let to = jaeger_ui_target("/search", "service=api&tags=%7B%22error%22%3A%22true%22%7D&lookback=2h");
//! assert_eq!(to, Some(JaegerUiTarget::Page("/?serviceName=api&annotationQuery=error%3Dtrue&lookback=2h".into())));
//! ```
use super::search_url::{percent_encode, query_pairs, to_query, Lookback, SearchCriteria};
use super::trace_url::trace_path;

/// Where a Jaeger UI URL leads in Spanscope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JaegerUiTarget {
    /// An in-app path and query (without the router base) showing the same thing.
    Page(String),
    /// Jaeger UI's trace comparison of two traces, which Spanscope does not have yet.
    Comparison { a: String, b: String },
}

/// The Spanscope page for a Jaeger UI `path` (below the base path) and `query`; `None` for a path that
/// is not one of Jaeger UI's.
pub fn jaeger_ui_target(path: &str, query: &str) -> Option<JaegerUiTarget> {
    let path = path.trim_end_matches('/');
    if path == "/search" {
        return Some(search_target(query));
    }
    if path == "/dependencies" {
        return Some(JaegerUiTarget::Page("/dependency".into()));
    }
    let rest = path.strip_prefix("/trace/")?;
    if rest.is_empty() || rest.contains('/') {
        return None;
    }
    let id = super::search_url::percent_decode(rest);
    if let Some((a, b)) = id.split_once("...") {
        return Some(JaegerUiTarget::Comparison { a: a.to_owned(), b: b.to_owned() });
    }
    let find = query_pairs(query).into_iter().find(|(k, _)| k == "uiFind").map(|(_, v)| v);
    let page = match find.filter(|f| !f.trim().is_empty()) {
        Some(find) => format!("{}?find={}", trace_path(&id), percent_encode(&find)),
        None => trace_path(&id),
    };
    Some(JaegerUiTarget::Page(page))
}

/// `/search?…`: the search, or the trace page when the link names exactly one `traceID`.
fn search_target(query: &str) -> JaegerUiTarget {
    let pairs = query_pairs(query);
    let ids: Vec<&str> = pairs.iter().filter(|(k, _)| k == "traceID").map(|(_, v)| v.trim()).collect();
    if let [id] = ids.as_slice() {
        if !id.is_empty() {
            return JaegerUiTarget::Page(trace_path(id));
        }
    }
    let query = to_query(&criteria_from_jaeger_ui(query));
    JaegerUiTarget::Page(if query.is_empty() { "/".into() } else { format!("/?{query}") })
}

/// Jaeger UI's search parameters as search criteria. Unknown or malformed values leave their field
/// unset, as a Lens link's do.
pub fn criteria_from_jaeger_ui(query: &str) -> SearchCriteria {
    let mut c = SearchCriteria::default();
    let (mut lookback, mut start_us, mut end_us) = (None, None, None);
    let mut tags: Vec<(String, String)> = Vec::new();
    let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
    for (k, v) in query_pairs(query) {
        match k.as_str() {
            "service" => c.service_name = text(&v),
            // Jaeger UI writes "all" for any operation, as Lens does for span names.
            "operation" => c.span_name = text(&v).filter(|o| o != "all"),
            "spanKind" => c.span_kind = text(&v).map(|k| k.to_ascii_lowercase()),
            "tags" => tags.extend(tags_param(&v)),
            // Older links: `tag=key:value`, repeated.
            "tag" => {
                if let Some((key, value)) = v.split_once(':') {
                    tags.push((key.trim().to_owned(), value.trim().to_owned()));
                }
            }
            "minDuration" => c.min_duration = text(&v).and_then(|d| go_duration_us(&d)).map(duration_text),
            "maxDuration" => c.max_duration = text(&v).and_then(|d| go_duration_us(&d)).map(duration_text),
            "limit" => c.limit = v.trim().parse::<u32>().ok().filter(|l| *l > 0),
            "lookback" => lookback = text(&v),
            "start" => start_us = v.trim().parse::<u64>().ok(),
            "end" => end_us = v.trim().parse::<u64>().ok().filter(|e| *e > 0),
            _ => {}
        }
    }
    tags.retain(|(k, _)| !k.is_empty());
    if !tags.is_empty() {
        c.annotation_query = Some(tags.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(" and "));
    }
    c.end_ts = end_us.map(|us| us / 1000);
    c.lookback = match lookback.as_deref() {
        // A custom window: start and end as the link gives them.
        Some("custom") => start_us.map(|us| Lookback::Range { start_ms: us / 1000 }),
        Some(value) => lookback_of(value),
        None => start_us.zip(end_us).map(|(start, _)| Lookback::Range { start_ms: start / 1000 }),
    };
    c
}

/// Jaeger UI's lookbacks (`5m`, `1h`, `24h`, `2d`, `7d`, …) as Lens's presets where one has the same
/// length, else as a custom length.
fn lookback_of(value: &str) -> Option<Lookback> {
    let split = value.find(|ch: char| !ch.is_ascii_digit()).unwrap_or(value.len());
    let (n, unit) = value.split_at(split);
    let n: u64 = n.parse().ok().filter(|n| *n > 0)?;
    let unit_ms = match unit {
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        "w" => 604_800_000,
        _ => return None,
    };
    let ms = n.checked_mul(unit_ms)?;
    let preset = super::search_url::FIXED_LOOKBACKS.iter().find(|(_, len)| *len == ms);
    Some(preset.and_then(|(v, _)| Lookback::fixed(v)).unwrap_or(Lookback::Millis(ms)))
}

/// `tags={"k":"v",…}` (values of any JSON type, as text); Jaeger UI also accepted logfmt (`k=v k2="a b"`)
/// in its form, so text that is not a JSON object is read that way.
fn tags_param(value: &str) -> Vec<(String, String)> {
    if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(value) {
        return map
            .into_iter()
            .map(|(k, v)| {
                let v = match v {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                (k, v)
            })
            .collect();
    }
    logfmt_pairs(value)
}

/// `k=v k2="a b"` pairs; a key without `=` is skipped (Jaeger cannot search by a key alone).
fn logfmt_pairs(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let end_of_key = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let key = &rest[..end_of_key];
        rest = &rest[end_of_key..];
        if let Some(after) = rest.strip_prefix('=') {
            let (value, after_value) = match after.strip_prefix('"') {
                Some(quoted) => match quoted.find('"') {
                    Some(close) => (&quoted[..close], &quoted[close + 1..]),
                    None => (quoted, ""),
                },
                None => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            if !key.is_empty() {
                out.push((key.to_owned(), value.to_owned()));
            }
            rest = after_value;
        }
        rest = rest.trim_start();
    }
    out
}

/// A Go duration (`1.5s`, `250ms`, `100us`, `1m30s`, `2h`) in whole µs; `None` when it is not one.
pub fn go_duration_us(text: &str) -> Option<u64> {
    let mut rest = text.trim();
    if rest.is_empty() {
        return None;
    }
    let mut total = 0f64;
    while !rest.is_empty() {
        let num_end = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number: f64 = rest[..num_end].parse().ok()?;
        rest = &rest[num_end..];
        let unit_end = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let factor = match &rest[..unit_end] {
            "ns" => 0.001,
            "us" | "µs" | "μs" => 1.0,
            "ms" => 1_000.0,
            "s" => 1_000_000.0,
            "m" => 60_000_000.0,
            "h" => 3_600_000_000.0,
            _ => return None,
        };
        rest = &rest[unit_end..];
        total += number * factor;
    }
    (total.is_finite() && total < 1.8e19).then(|| total.round() as u64)
}

/// µs as the search form writes a duration (`2s`, `250ms`, `100us`): the largest unit that keeps it whole.
pub fn duration_text(us: u64) -> String {
    if us > 0 && us.is_multiple_of(1_000_000) {
        format!("{}s", us / 1_000_000)
    } else if us > 0 && us.is_multiple_of(1_000) {
        format!("{}ms", us / 1_000)
    } else {
        format!("{us}us")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search_url::parse_search;

    fn page(path: &str, query: &str) -> String {
        match jaeger_ui_target(path, query) {
            Some(JaegerUiTarget::Page(p)) => p,
            other => panic!("{path}?{query}: {other:?}"),
        }
    }

    #[test]
    fn a_jaeger_ui_search_becomes_the_same_search() {
        // As Jaeger UI writes it after a search: lookback with the window it computed, in µs.
        let q = "end=1700000600000000&limit=20&lookback=1h&maxDuration=2s&minDuration=1.5ms&operation=GET%20%2Fapi\
                 &service=frontend&start=1700000000000000&tags=%7B%22http.status_code%22%3A%22500%22%2C%22error%22%3Atrue%7D";
        let c = criteria_from_jaeger_ui(q);
        assert_eq!(c.service_name.as_deref(), Some("frontend"));
        assert_eq!(c.span_name.as_deref(), Some("GET /api"));
        // In key order (the JSON object is read as a map; all terms must match, so order is no meaning).
        assert_eq!(c.annotation_query.as_deref(), Some("error=true and http.status_code=500"));
        assert_eq!(c.min_duration.as_deref(), Some("1500us"));
        assert_eq!(c.max_duration.as_deref(), Some("2s"));
        assert_eq!(c.lookback, Lookback::fixed("1h"));
        assert_eq!(c.end_ts, Some(1_700_000_600_000));
        assert_eq!(c.limit, Some(20));
        // The target is Lens's URL of those criteria, which reads back the same.
        let target = page("/search", q);
        assert_eq!(parse_search(target.trim_start_matches("/?")), c);
    }

    #[test]
    fn lookbacks_map_to_presets_or_lengths() {
        assert_eq!(criteria_from_jaeger_ui("lookback=24h").lookback, Lookback::fixed("1d"));
        assert_eq!(criteria_from_jaeger_ui("lookback=5m").lookback, Lookback::fixed("5m"));
        assert_eq!(criteria_from_jaeger_ui("lookback=4h").lookback, Some(Lookback::Millis(14_400_000)));
        assert_eq!(criteria_from_jaeger_ui("lookback=1w").lookback, Lookback::fixed("7d"));
        assert_eq!(criteria_from_jaeger_ui("lookback=soon").lookback, None);
        let custom = criteria_from_jaeger_ui("lookback=custom&start=1000000&end=5000000");
        assert_eq!((custom.lookback, custom.end_ts), (Some(Lookback::Range { start_ms: 1000 }), Some(5000)));
    }

    #[test]
    fn old_tag_links_and_logfmt_tags() {
        let c = criteria_from_jaeger_ui("service=a&tag=error:true&tag=http.url:http://x/y");
        assert_eq!(c.annotation_query.as_deref(), Some("error=true and http.url=http://x/y"));
        let c = criteria_from_jaeger_ui("service=a&tags=error%3Dtrue%20http.path%3D%22%2Fa%20b%22%20lonely");
        assert_eq!(c.annotation_query.as_deref(), Some("error=true and http.path=/a b"));
        assert_eq!(criteria_from_jaeger_ui("operation=all").span_name, None);
        assert_eq!(criteria_from_jaeger_ui("spanKind=Server").span_kind.as_deref(), Some("server"));
    }

    #[test]
    fn go_durations() {
        assert_eq!(go_duration_us("250ms"), Some(250_000));
        assert_eq!(go_duration_us("1.5s"), Some(1_500_000));
        assert_eq!(go_duration_us("1m30s"), Some(90_000_000));
        assert_eq!(go_duration_us("100µs"), Some(100));
        assert_eq!(go_duration_us("1500ns"), Some(2));
        assert_eq!(go_duration_us("10"), None);
        assert_eq!(go_duration_us("fast"), None);
        assert_eq!(go_duration_us(""), None);
        assert_eq!(
            (duration_text(2_000_000), duration_text(1_500), duration_text(7)),
            ("2s".into(), "1500us".into(), "7us".into())
        );
        assert_eq!(duration_text(0), "0us");
    }

    #[test]
    fn trace_links_keep_find_and_comparisons_are_named() {
        assert_eq!(page("/trace/abc123", "uiFind=db%20call&uiEmbed=v0"), "/traces/abc123?find=db+call");
        assert_eq!(page("/trace/abc123/", ""), "/traces/abc123");
        assert_eq!(
            jaeger_ui_target("/trace/aaa...bbb", "cohort=aaa&cohort=bbb"),
            Some(JaegerUiTarget::Comparison { a: "aaa".into(), b: "bbb".into() })
        );
        assert_eq!(jaeger_ui_target("/trace/", ""), None);
        assert_eq!(jaeger_ui_target("/trace/a/b", ""), None);
        assert_eq!(jaeger_ui_target("/traces/a", ""), None);
    }

    #[test]
    fn search_by_one_trace_id_opens_it_and_bare_pages_map() {
        assert_eq!(page("/search", "traceID=00ff"), "/traces/00ff");
        assert_eq!(page("/search", ""), "/");
        assert_eq!(page("/search/", "traceID=a&traceID=b&service=x"), "/?serviceName=x");
        assert_eq!(page("/dependencies", "x=1"), "/dependency");
    }
}
