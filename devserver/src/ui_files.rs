//! Serving a trunk-built single-page app under a base path, the way Zipkin serves Lens under `/zipkin/`.
//!
//! `index.html` is read per request (trunk may rebuild `dist/` while the server runs) and its `<base href>`
//! is rewritten to the configured base path, because the UI, like Lens, takes its base path from that tag.
//! Unknown paths fall back to `index.html` so that deep links (`/zipkin/traces/{id}`) load the app.
use axum::body::Body;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use std::path::{Component, Path, PathBuf};

/// Where the UI comes from and where it is mounted.
#[derive(Debug, Clone)]
pub struct UiFiles {
    /// The `dist/` folder trunk wrote.
    pub dist: PathBuf,
    /// The normalised base path: `/zipkin`, or empty for the root.
    pub base_path: String,
    /// The raw bytes of `config.json` (never parsed: the UI reports a malformed file itself).
    pub config_json: Bytes,
    /// The Content-Security-Policy sent with the page (`--csp`), if any.
    pub csp: Option<String>,
}

const NO_CACHE: &str = "no-cache";
// trunk names every asset after its content hash, so an asset never changes under its name.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Turns `zipkin`, `/zipkin/` or `/` into `/zipkin`, `/zipkin` and `` (the root).
pub fn normalize_base_path(raw: &str) -> String {
    let trimmed = raw.trim().trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("/{trimmed}")
    }
}

impl UiFiles {
    /// Answers a request for `rest`, the path below the base path (without its leading slash).
    pub async fn serve(&self, rest: &str) -> Response {
        if rest == "config.json" {
            return with_headers(StatusCode::OK, "application/json", NO_CACHE, Body::from(self.config_json.clone()));
        }
        if rest.is_empty() || rest == "index.html" {
            return self.index().await;
        }
        match self.asset_path(rest) {
            Some(path) => match tokio::fs::read(&path).await {
                Ok(bytes) => with_headers(StatusCode::OK, content_type(&path), IMMUTABLE, Body::from(bytes)),
                // Not a file: a route of the app (`traces/{id}`, `dependency`), so the app answers it.
                Err(_) => self.index().await,
            },
            None => self.index().await,
        }
    }

    /// Maps a request path onto a file inside `dist`, refusing anything that could leave it.
    fn asset_path(&self, rest: &str) -> Option<PathBuf> {
        let relative = Path::new(rest);
        if !relative.components().all(|c| matches!(c, Component::Normal(_))) {
            return None;
        }
        let path = self.dist.join(relative);
        path.is_file().then_some(path)
    }

    async fn index(&self) -> Response {
        match tokio::fs::read_to_string(self.dist.join("index.html")).await {
            Ok(html) => {
                let html = rewrite_base_href(&html, &format!("{}/", self.base_path));
                let mut response = with_headers(StatusCode::OK, "text/html; charset=utf-8", NO_CACHE, Body::from(html));
                // The policy governs documents; the page is the only one the UI has.
                if let Some(policy) = self.csp.as_deref().and_then(|p| HeaderValue::from_str(p).ok()) {
                    response.headers_mut().insert(header::CONTENT_SECURITY_POLICY, policy);
                }
                response
            }
            Err(e) => (
                StatusCode::NOT_FOUND,
                format!("no index.html in {}: {e} (build the UI with trunk first)", self.dist.display()),
            )
                .into_response(),
        }
    }
}

/// Replaces the `<base ...>` tag with one pointing at `href`, or adds one at the top of `<head>` when missing.
pub fn rewrite_base_href(html: &str, href: &str) -> String {
    let tag = format!("<base href=\"{href}\" />");
    let lower = html.to_ascii_lowercase();
    if let Some(start) = find_tag(&lower, "<base") {
        if let Some(len) = lower[start..].find('>') {
            return format!("{}{}{}", &html[..start], tag, &html[start + len + 1..]);
        }
    }
    if let Some(start) = find_tag(&lower, "<head") {
        if let Some(len) = lower[start..].find('>') {
            let at = start + len + 1;
            return format!("{}{}{}", &html[..at], tag, &html[at..]);
        }
    }
    html.to_string()
}

/// Finds `<name` followed by whitespace, `/` or `>` (so `<header` is not `<head`).
fn find_tag(lower: &str, name: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        match lower.as_bytes().get(at + name.len()) {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>') => return Some(at),
            _ => from = at + name.len(),
        }
    }
    None
}

fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        // Browsers refuse `WebAssembly.instantiateStreaming` unless the type is exactly this.
        "wasm" => "application/wasm",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "json" | "map" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "txt" => "text/plain; charset=utf-8",
        _ => mime_guess_static(path),
    }
}

fn mime_guess_static(path: &Path) -> &'static str {
    mime_guess::from_path(path).first_raw().unwrap_or("application/octet-stream")
}

fn with_headers(status: StatusCode, content_type: &'static str, cache: &'static str, body: Body) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_normalised() {
        assert_eq!(normalize_base_path("/zipkin/"), "/zipkin");
        assert_eq!(normalize_base_path("zipkin"), "/zipkin");
        assert_eq!(normalize_base_path("/"), "");
        assert_eq!(normalize_base_path("/a/b/"), "/a/b");
    }

    #[test]
    fn base_href_is_rewritten_or_added() {
        let html = r#"<html><head><base href="/zipkin/"/><link></head></html>"#;
        assert_eq!(
            rewrite_base_href(html, "/tracing/"),
            r#"<html><head><base href="/tracing/" /><link></head></html>"#
        );
        let html = "<html><head><header></header><title>x</title></head></html>";
        assert_eq!(
            rewrite_base_href(html, "/zipkin/"),
            r#"<html><head><base href="/zipkin/" /><header></header><title>x</title></head></html>"#
        );
    }
}
