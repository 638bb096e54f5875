//! The base path the app is served under, read from `<base href>` (default `/zipkin/`), so the
//! same `dist/` works under any prefix a proxy gives it.

/// The router base: `<base href>`'s path without its trailing slash (`/zipkin`), or `""` at the root.
/// Read once: `<base>` does not change while the page lives, and every in-app link asks for it.
pub fn router_base() -> String {
    static BASE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    BASE.get_or_init(read_base).clone()
}

fn read_base() -> String {
    let href = leptos::prelude::document()
        .query_selector("base[href]")
        .ok()
        .flatten()
        .and_then(|base| base.get_attribute("href"));
    match href {
        // Resolve against the page so a relative or absolute href both give a path.
        Some(href) => {
            web_sys::Url::new_with_base(&href, &leptos::prelude::window().location().href().unwrap_or_default())
                .map(|url| url.pathname().trim_end_matches('/').to_string())
                .unwrap_or_default()
        }
        None => String::new(),
    }
}

/// A URL of a file beside `index.html` (such as `config.json`), honouring `<base href>`.
pub fn asset_url(file: &str) -> String {
    format!("{}/{file}", router_base())
}

/// An in-app link target: `/traces/abc` becomes `/zipkin/traces/abc`. The router's `<A>` does not
/// prefix its base to absolute paths, so every in-app href goes through here.
pub fn app_href(path: &str) -> String {
    format!("{}{}", router_base(), path)
}
