//! The small parts every span-details section is made of: a term and its value, a value with a copy
//! button, the copy button itself (it says whether the copy worked), and a tag value that is a link
//! only for http(s) URLs.
use crate::api::config::is_http_url;
use crate::ui::browser::copy_text;
use leptos::prelude::*;
use leptos::text_prop::TextProp;

/// A term and its value; a value given as a closure stays live.
#[component]
pub fn Fact(term: &'static str, #[prop(into)] value: TextProp) -> impl IntoView {
    view! { <div><dt>{term}</dt><dd class="wrap">{move || value.get().to_string()}</dd></div> }
}

#[component]
pub fn CopyFact(term: &'static str, value: String) -> impl IntoView {
    let label = format!("Copy {term}");
    view! { <div><dt>{term}</dt><dd><code>{value.clone()}</code> <CopyButton text=value label/></dd></div> }
}

/// A copy button that confirms what happened.
#[component]
pub fn CopyButton(text: String, #[prop(into)] label: String) -> impl IntoView {
    let done = RwSignal::new(None::<bool>);
    let copy = move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move { done.set(Some(copy_text(&text).await)) });
    };
    view! {
        <button type="button" class="small" aria-label=label on:click=copy>
            {move || match done.get() { None => "Copy", Some(true) => "Copied", Some(false) => "Copy failed" }}
        </button>
    }
}

/// A tag value: a link only for http(s) URLs, text otherwise (never HTML).
#[component]
pub fn TagValue(value: String) -> impl IntoView {
    if is_http_url(value.trim()) {
        view! { <a href=value.trim().to_string() target="_blank" rel="noopener noreferrer">{value.clone()}</a> }
            .into_any()
    } else {
        view! { <span>{value}</span> }.into_any()
    }
}
