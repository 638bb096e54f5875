//! Embed mode in the UI: the URL flags as context for the pages, kept in every in-app URL, and the
//! frame's own chrome (an "Open in Spanscope" link) in place of the header. The postMessage protocol
//! lives in [`bridge`]; the rules of both live in `domain::embed_flags` and `domain::embed_message`.
pub mod bridge;

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use spanscope_domain::embed_flags::{keep_flags, strip_flags, EmbedFlags};

/// Reads the flags of this page load and provides them to every page. They are read once: pages build
/// their links from their own parameters and drop the flags, so after the first navigation the URL is
/// not where they live; [`EmbedFrame`] copies them back into it for reloads and copied links.
pub fn provide_embed_flags() -> EmbedFlags {
    let flags = EmbedFlags::from_query(&window().location().search().unwrap_or_default());
    provide_context(flags);
    flags
}

/// The embed flags in effect (none outside the shell, e.g. in a component test).
pub fn embed_flags() -> EmbedFlags {
    use_context::<EmbedFlags>().unwrap_or_default()
}

/// A path, query (without `?`) and hash as one in-app URL.
fn join_url(path: &str, query: &str, hash: &str) -> String {
    let query = if query.is_empty() { String::new() } else { format!("?{query}") };
    let hash = if hash.is_empty() || hash.starts_with('#') { hash.to_string() } else { format!("#{hash}") };
    format!("{path}{query}{hash}")
}

/// The frame's part of the shell, inside the router: keeps the flags in the URL after every
/// navigation, listens to the host page, and shows the "Open in Spanscope" link when embedded.
#[component]
pub fn EmbedFrame() -> impl IntoView {
    let flags = embed_flags();
    let location = use_location();
    let navigate = use_navigate();
    bridge::listen(navigate.clone());
    if !flags.is_empty() {
        // Replacing the entry keeps history as the person made it: one entry per page, each with the flags.
        Effect::new(move |_| {
            if let Some(query) = keep_flags(&location.search.get(), &flags) {
                let to = join_url(&location.pathname.get_untracked(), &query, &location.hash.get_untracked());
                navigate(&to, NavigateOptions { replace: true, scroll: false, resolve: false, ..Default::default() });
            }
        });
    }
    flags.embed.then(|| view! { <OpenInSpanscope/> })
}

/// A small link to this same page in a tab of its own, without the embed flags.
#[component]
fn OpenInSpanscope() -> impl IntoView {
    let location = use_location();
    let href = move || {
        let origin = window().location().origin().unwrap_or_default();
        let query = strip_flags(&location.search.get());
        format!("{origin}{}", join_url(&location.pathname.get(), &query, &location.hash.get()))
    };
    // A trace the host sent by message lives in this frame only: a new tab could not show it.
    let shareable = move || !location.pathname.get().ends_with("/traceViewer");
    view! {
        <div class="embed-bar">
            <Show when=shareable>
                <a class="embed-open" href=href target="_blank" rel="noopener noreferrer">"Open in Spanscope"</a>
            </Show>
        </div>
    }
}
