//! The strict Content-Security-Policy `--csp` sends with the UI's page: no inline script or style, only
//! `'wasm-unsafe-eval'` to compile the app, and exactly the origins the app's config.json makes it talk to
//! (`apiBaseUrl`, `archivePostUrl`) or be framed by (`allowedOrigins`). The README's nginx example sends the
//! same policy, so what the end-to-end tests run under is what is deployed.
use serde_json::Value;

/// The policy for a UI whose config.json holds `config_json`. A config that does not parse (the UI
/// reports it) gives the policy of the defaults: this origin only, framed by this origin only.
pub fn strict_policy(config_json: &[u8]) -> String {
    let config: Value = serde_json::from_slice(config_json).unwrap_or(Value::Null);
    let text = |key: &str| config.get(key).and_then(Value::as_str).and_then(origin_of);
    let mut connect = vec!["'self'".to_string()];
    for origin in [text("apiBaseUrl"), text("archivePostUrl")].into_iter().flatten() {
        if !connect.contains(&origin) {
            connect.push(origin);
        }
    }
    let embedders: Vec<&str> = config
        .get("allowedOrigins")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).map(str::trim).collect())
        .unwrap_or_default();
    // Pages allowed to drive an embedded Spanscope by postMessage are the ones that may frame it.
    let frame_ancestors = if embedders.contains(&"*") {
        "*".to_string()
    } else {
        let mut list = vec!["'self'".to_string()];
        list.extend(embedders.into_iter().filter_map(origin_of));
        list.join(" ")
    };
    [
        "default-src 'self'".to_string(),
        "script-src 'self' 'wasm-unsafe-eval'".to_string(),
        "style-src 'self'".to_string(),
        "img-src 'self' data:".to_string(),
        format!("connect-src {}", connect.join(" ")),
        format!("frame-ancestors {frame_ancestors}"),
        "base-uri 'self'".to_string(),
        "object-src 'none'".to_string(),
    ]
    .join("; ")
}

/// The origin (`https://host:port`) of an absolute http(s) URL; `None` for a path (same origin) or for
/// anything that could smuggle a directive into the header.
fn origin_of(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit('@').next().unwrap_or_default();
    let safe = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
    (!host_port.is_empty() && host_port.chars().all(safe))
        .then(|| format!("{scheme}://{}", host_port.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_allow_this_origin_only() {
        assert_eq!(
            strict_policy(b"{}"),
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; \
             connect-src 'self'; frame-ancestors 'self'; base-uri 'self'; object-src 'none'"
        );
        assert_eq!(strict_policy(b"not json"), strict_policy(b"{}"));
    }

    #[test]
    fn a_zipkin_elsewhere_and_an_archive_may_be_called() {
        let policy = strict_policy(
            br#"{"apiBaseUrl":"https://Zipkin.example:9411/zipkin/","archivePostUrl":"https://archive.example/api/v2/spans"}"#,
        );
        assert!(policy.contains("connect-src 'self' https://zipkin.example:9411 https://archive.example;"), "{policy}");
        // A path prefix is this origin.
        assert!(strict_policy(br#"{"apiBaseUrl":"/zipkin"}"#).contains("connect-src 'self';"));
    }

    #[test]
    fn embedders_are_the_allowed_origins() {
        let policy = strict_policy(br#"{"allowedOrigins":["https://grafana.example/","http://127.0.0.1:3000"]}"#);
        assert!(policy.contains("frame-ancestors 'self' https://grafana.example http://127.0.0.1:3000;"), "{policy}");
        assert!(strict_policy(br#"{"allowedOrigins":["*"]}"#).contains("frame-ancestors *;"));
    }

    #[test]
    fn nothing_can_inject_a_directive() {
        let policy = strict_policy(br#"{"apiBaseUrl":"https://a.example; script-src *","allowedOrigins":["javascript:x","https://b.example 'unsafe-inline'"]}"#);
        assert!(!policy.contains("unsafe-inline") && !policy.contains("script-src *"), "{policy}");
        assert!(policy.contains("connect-src 'self';") && policy.contains("frame-ancestors 'self';"), "{policy}");
    }
}
