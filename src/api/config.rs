//! Runtime configuration from `config.json` beside `index.html`: every key Zipkin Lens reads
//! (ZIPKIN.md §6) plus Spanscope's own. Parsing is pure so it is tested on the host; a bad key
//! is reported by name and replaced by its default, so a typo never blanks the page.
use super::backend_kind::BackendKind;
use serde_json::{Map, Value};

/// Colours the dependency graph uses for edges, and whether the page exists at all.
#[derive(Debug, Clone, PartialEq)]
pub struct DependencyConfig {
    pub enabled: bool,
    /// Error rate (0..1) from which an edge is drawn as "some errors".
    pub low_error_rate: f64,
    /// Error rate (0..1) from which an edge is drawn as "many errors".
    pub high_error_rate: f64,
}

/// The whole runtime configuration, with Lens's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Shown in the header so people know which Zipkin they look at (e.g. "production").
    pub environment: String,
    /// Default result limit of a search.
    pub query_limit: u32,
    /// Default search lookback in milliseconds.
    pub default_lookback: u64,
    /// `false` hides the search form; trace-id lookup keeps working.
    pub search_enabled: bool,
    /// A logs link per trace; `{traceId}` is replaced by the trace id.
    pub logs_url: Option<String>,
    pub support_url: Option<String>,
    /// Where "Archive" POSTs a trace's spans (another Zipkin's `/api/v2/spans`).
    pub archive_post_url: Option<String>,
    /// Where an archived trace can be viewed; `{traceId}` is replaced.
    pub archive_url: Option<String>,
    pub dependency: DependencyConfig,
    /// Which query API the server at `api_base_url` speaks (`backend`: `zipkin`, `jaeger`, `jaeger-legacy`).
    pub backend: BackendKind,
    /// A trace server on another origin (e.g. `https://zipkin.example.com`); empty means this page's origin.
    pub api_base_url: String,
    /// Origins allowed to drive an embedded Spanscope by postMessage; `*` allows any.
    pub allowed_origins: Vec<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            environment: String::new(),
            query_limit: 10,
            default_lookback: 15 * 60 * 1000,
            search_enabled: true,
            logs_url: None,
            support_url: None,
            archive_post_url: None,
            archive_url: None,
            dependency: DependencyConfig { enabled: true, low_error_rate: 0.5, high_error_rate: 0.75 },
            backend: BackendKind::Zipkin,
            api_base_url: String::new(),
            allowed_origins: Vec::new(),
        }
    }
}

impl Config {
    /// The logs link of one trace (`logsUrl` with `{traceId}` replaced), if configured.
    pub fn logs_link(&self, trace_id: &str) -> Option<String> {
        self.logs_url.as_deref().map(|template| fill_trace_id(template, trace_id))
    }

    /// Where one archived trace can be viewed (`archiveUrl` with `{traceId}` replaced), if configured.
    pub fn archive_link(&self, trace_id: &str) -> Option<String> {
        self.archive_url.as_deref().map(|template| fill_trace_id(template, trace_id))
    }
}

/// `{traceId}` in a configured link, replaced by the escaped id: a trace from a file may carry any
/// id, and it must not add a path segment or a query parameter to someone else's URL. `%20` for
/// a space reads right both in a path and in a query.
fn fill_trace_id(template: &str, trace_id: &str) -> String {
    template.replace("{traceId}", &spanscope_domain::search_url::percent_encode_path_segment(trace_id))
}

/// One thing wrong with `config.json`, named so a person can fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigProblem {
    /// The key at fault, dotted for nested keys (`dependency.lowErrorRate`); `None` for the file.
    pub key: Option<String>,
    pub message: String,
}

impl std::fmt::Display for ConfigProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.key {
            Some(key) => write!(f, "config.json key \"{key}\": {}", self.message),
            None => write!(f, "config.json: {}", self.message),
        }
    }
}

/// Parses `config.json`. Always returns a usable configuration: each wrong or unknown key is
/// reported and the default kept for it.
pub fn parse_config(text: &str) -> (Config, Vec<ConfigProblem>) {
    let mut config = Config::default();
    let mut problems = Vec::new();
    // A byte-order mark (Windows editors write one) is not part of the JSON, as trace files strip theirs.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // From bytes, as every JSON read in the app is: one copy of serde_json's parser in the wasm.
    let root = match serde_json::from_slice::<Value>(text.as_bytes()) {
        Ok(Value::Object(map)) => map,
        Ok(_) => {
            problems.push(ConfigProblem { key: None, message: "must be a JSON object; using defaults".into() });
            return (config, problems);
        }
        Err(e) => {
            problems.push(ConfigProblem { key: None, message: format!("is not valid JSON ({e}); using defaults") });
            return (config, problems);
        }
    };
    let mut reader = KeyReader { problems: &mut problems, prefix: "" };
    for (key, value) in &root {
        match key.as_str() {
            "environment" => reader.string(key, value, |v| config.environment = v),
            "queryLimit" => reader.positive_int(key, value, |v| config.query_limit = v as u32, MAX_QUERY_LIMIT),
            "defaultLookback" => reader.positive_int(key, value, |v| config.default_lookback = v, MAX_LOOKBACK_MS),
            "searchEnabled" => reader.bool(key, value, |v| config.search_enabled = v),
            "logsUrl" => reader.optional_url(key, value, |v| config.logs_url = v),
            "supportUrl" => reader.optional_url(key, value, |v| config.support_url = v),
            "archivePostUrl" => reader.optional_url(key, value, |v| config.archive_post_url = v),
            "archiveUrl" => reader.optional_url(key, value, |v| config.archive_url = v),
            "apiBaseUrl" => reader.optional_url(key, value, |v| {
                config.api_base_url = v.unwrap_or_default().trim_end_matches('/').to_string()
            }),
            "backend" => match value.as_str().and_then(BackendKind::from_config_value) {
                Some(kind) => config.backend = kind,
                None => reader.wrong(key, "must be \"zipkin\", \"jaeger\" (API v3) or \"jaeger-legacy\"; using zipkin"),
            },
            "allowedOrigins" => reader.string_list(key, value, |v| config.allowed_origins = v),
            "dependency" => match value {
                Value::Object(map) => read_dependency(map, &mut config.dependency, reader.problems),
                _ => reader.wrong(key, "must be an object like {\"enabled\": true}"),
            },
            _ => reader.wrong(key, "is not a Spanscope setting; it is ignored"),
        }
    }
    let dep = &config.dependency;
    if dep.low_error_rate > dep.high_error_rate {
        problems.push(ConfigProblem {
            key: Some("dependency.lowErrorRate".into()),
            message: "must not exceed dependency.highErrorRate; using 0.5 and 0.75".into(),
        });
        config.dependency.low_error_rate = 0.5;
        config.dependency.high_error_rate = 0.75;
    }
    (config, problems)
}

fn read_dependency(map: &Map<String, Value>, dep: &mut DependencyConfig, problems: &mut Vec<ConfigProblem>) {
    let mut reader = KeyReader { problems, prefix: "dependency." };
    for (key, value) in map {
        match key.as_str() {
            "enabled" => reader.bool(key, value, |v| dep.enabled = v),
            "lowErrorRate" => reader.rate(key, value, |v| dep.low_error_rate = v),
            "highErrorRate" => reader.rate(key, value, |v| dep.high_error_rate = v),
            _ => reader.wrong(key, "is not a Spanscope setting; it is ignored"),
        }
    }
}

/// Checks one value's type, applying it when right and recording a named problem when not.
struct KeyReader<'a> {
    problems: &'a mut Vec<ConfigProblem>,
    prefix: &'static str,
}

impl KeyReader<'_> {
    fn wrong(&mut self, key: &str, message: &str) {
        self.problems.push(ConfigProblem { key: Some(format!("{}{key}", self.prefix)), message: message.into() });
    }

    fn string(&mut self, key: &str, value: &Value, apply: impl FnOnce(String)) {
        match value {
            Value::String(s) => apply(s.clone()),
            _ => self.wrong(key, "must be a string; using the default"),
        }
    }

    fn bool(&mut self, key: &str, value: &Value, apply: impl FnOnce(bool)) {
        match value {
            Value::Bool(b) => apply(*b),
            _ => self.wrong(key, "must be true or false; using the default"),
        }
    }

    fn positive_int(&mut self, key: &str, value: &Value, apply: impl FnOnce(u64), max: u64) {
        match value.as_u64() {
            Some(n) if n > 0 && n <= max => apply(n),
            _ => self.wrong(key, &format!("must be a whole number from 1 to {max}; using the default")),
        }
    }

    fn rate(&mut self, key: &str, value: &Value, apply: impl FnOnce(f64)) {
        match value.as_f64() {
            Some(r) if (0.0..=1.0).contains(&r) => apply(r),
            _ => self.wrong(key, "must be a number from 0 to 1; using the default"),
        }
    }

    /// An http(s) URL, or empty/null for "not set". Anything else could become a
    /// `javascript:` link, so it is refused.
    fn optional_url(&mut self, key: &str, value: &Value, apply: impl FnOnce(Option<String>)) {
        match value {
            Value::Null => apply(None),
            Value::String(s) if s.trim().is_empty() => apply(None),
            Value::String(s) if is_http_url(s.trim()) || is_same_origin_path(s.trim()) => {
                apply(Some(s.trim().to_string()))
            }
            Value::String(_) => {
                self.wrong(key, "must be an http(s) URL or a path on this site (one / first, no \\); ignored")
            }
            _ => self.wrong(key, "must be a string URL; ignored"),
        }
    }

    fn string_list(&mut self, key: &str, value: &Value, apply: impl FnOnce(Vec<String>)) {
        match value {
            Value::Array(items) if items.iter().all(Value::is_string) => {
                apply(items.iter().filter_map(|v| v.as_str().map(str::to_string)).collect())
            }
            _ => self.wrong(key, "must be a list of strings; using the default"),
        }
    }
}

/// A path on this page's own site. `//host/…` is another site to a browser, and so are `/\\host/…` (a backslash
/// reads as a slash) and those with a tab or newline inside (browsers drop them): refused.
fn is_same_origin_path(s: &str) -> bool {
    s.starts_with('/') && !s.starts_with("//") && !s.contains(['\\', '\t', '\n', '\r'])
}

/// The largest `queryLimit`: more traces than a search page can list (the benchmarks list 1,000); a larger one
/// makes every search ask for what no backend answers.
const MAX_QUERY_LIMIT: u64 = 10_000;
/// The largest `defaultLookback`: ten years in milliseconds; a longer one starts searches before 1970.
const MAX_LOOKBACK_MS: u64 = 10 * 365 * 24 * 3_600_000;

/// True for `http://…` and `https://…`, the only links Spanscope ever makes from data.
pub fn is_http_url(s: &str) -> bool {
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trace_links_fill_in_the_escaped_id() {
        let (config, _) = parse_config(
            r#"{"logsUrl":"https://logs.example/?q={traceId}","archiveUrl":"https://archive.example/zipkin/traces/{traceId}"}"#,
        );
        assert_eq!(config.logs_link("a03ee8fff1dcd9b9").as_deref(), Some("https://logs.example/?q=a03ee8fff1dcd9b9"));
        assert_eq!(
            config.archive_link("x/../y&z").as_deref(),
            Some("https://archive.example/zipkin/traces/x%2F..%2Fy%26z")
        );
        assert_eq!(Config::default().logs_link("abc"), None);
        assert_eq!(Config::default().archive_link("abc"), None);
    }

    #[test]
    fn missing_keys_keep_lens_defaults() {
        let (config, problems) = parse_config("{}");
        assert_eq!(config, Config::default());
        assert!(problems.is_empty());
        assert_eq!(config.query_limit, 10);
        assert_eq!(config.dependency.low_error_rate, 0.5);
    }

    #[test]
    fn every_key_is_read() {
        let (config, problems) = parse_config(
            r#"{"environment":"prod","queryLimit":25,"defaultLookback":3600000,"searchEnabled":false,
               "logsUrl":"https://logs.example/?q={traceId}","supportUrl":"https://help.example",
               "archivePostUrl":"https://archive.example/api/v2/spans","archiveUrl":"https://archive.example/zipkin/traces/{traceId}",
               "dependency":{"enabled":false,"lowErrorRate":0.1,"highErrorRate":0.2},
               "apiBaseUrl":"http://zipkin:9411/","allowedOrigins":["https://grafana.example"]}"#,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(config.environment, "prod");
        assert_eq!(config.query_limit, 25);
        assert_eq!(config.default_lookback, 3_600_000);
        assert!(!config.search_enabled);
        assert_eq!(config.logs_url.as_deref(), Some("https://logs.example/?q={traceId}"));
        assert!(!config.dependency.enabled);
        assert_eq!(config.dependency.high_error_rate, 0.2);
        assert_eq!(config.api_base_url, "http://zipkin:9411");
        assert_eq!(config.allowed_origins, vec!["https://grafana.example".to_string()]);
    }

    #[test]
    fn a_wrong_key_is_named_and_the_rest_still_applies() {
        let (config, problems) = parse_config(r#"{"queryLimit":"lots","environment":"staging"}"#);
        assert_eq!(config.query_limit, 10);
        assert_eq!(config.environment, "staging");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].to_string().contains("\"queryLimit\""), "{}", problems[0]);
    }

    #[test]
    fn nested_and_unsafe_keys_are_named() {
        let (_, problems) = parse_config(r#"{"dependency":{"lowErrorRate":2},"logsUrl":"javascript:alert(1)"}"#);
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(text.iter().any(|p| p.contains("dependency.lowErrorRate")), "{text:?}");
        assert!(text.iter().any(|p| p.contains("logsUrl")), "{text:?}");
    }

    #[test]
    fn the_backend_is_named_and_an_unknown_one_is_reported() {
        assert_eq!(parse_config(r#"{"backend":"jaeger"}"#).0.backend, BackendKind::Jaeger);
        assert_eq!(parse_config(r#"{"backend":"jaeger-legacy"}"#).0.backend, BackendKind::JaegerLegacy);
        assert_eq!(parse_config(r#"{"backend":"zipkin"}"#).0.backend, BackendKind::Zipkin);
        let (config, problems) = parse_config(r#"{"backend":"tempo","environment":"x"}"#);
        assert_eq!((config.backend, config.environment.as_str()), (BackendKind::Zipkin, "x"));
        assert_eq!(
            problems[0].to_string(),
            "config.json key \"backend\": must be \"zipkin\", \"jaeger\" (API v3) or \"jaeger-legacy\"; using zipkin"
        );
        assert_eq!(parse_config(r#"{"backend":3}"#).1[0].key.as_deref(), Some("backend"));
    }

    #[test]
    fn malformed_json_gives_defaults_and_says_why() {
        let (config, problems) = parse_config("{ queryLimit: 5 ");
        assert_eq!(config, Config::default());
        assert!(problems[0].to_string().contains("not valid JSON"));
    }

    // Issue 25: what a hostile or careless config.json held.
    #[test]
    fn a_byte_order_mark_is_not_part_of_the_file() {
        let (config, problems) = parse_config("\u{feff}{\"queryLimit\": 25}");
        assert_eq!((config.query_limit, problems), (25, vec![]));
    }

    #[test]
    fn paths_to_another_site_are_refused() {
        for other_site in ["//evil.example/x", "/\\evil.example/x", "/\t/evil.example", "/a\\b"] {
            let (config, problems) = parse_config(&serde_json::json!({ "supportUrl": other_site }).to_string());
            assert_eq!(config.support_url, None, "{other_site:?}");
            assert_eq!(
                problems[0].to_string(),
                "config.json key \"supportUrl\": must be an http(s) URL or a path on this site (one / first, no \\); ignored"
            );
        }
        let (config, problems) = parse_config(r#"{"apiBaseUrl": "/zipkin-api/", "supportUrl": "/help#top"}"#);
        assert_eq!((config.api_base_url.as_str(), config.support_url.as_deref()), ("/zipkin-api", Some("/help#top")));
        assert_eq!(problems, vec![]);
    }

    #[test]
    fn limits_out_of_range_keep_the_default_and_say_the_range() {
        let (config, problems) = parse_config(r#"{"queryLimit": 4294967295, "defaultLookback": 18446744073709551615}"#);
        assert_eq!(
            (config.query_limit, config.default_lookback),
            (Config::default().query_limit, Config::default().default_lookback)
        );
        let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            said,
            [
                // Keys in the order serde_json's map keeps them (sorted).
                "config.json key \"defaultLookback\": must be a whole number from 1 to 315360000000; using the default",
                "config.json key \"queryLimit\": must be a whole number from 1 to 10000; using the default",
            ]
        );
        let (config, _) = parse_config(r#"{"queryLimit": 10000, "defaultLookback": 315360000000}"#);
        assert_eq!((config.query_limit, config.default_lookback), (10_000, 315_360_000_000));
    }
}
