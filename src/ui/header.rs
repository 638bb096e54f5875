//! The header: product name and environment, navigation, trace-id box, Open JSON, theme switch.
use super::base_path::app_href;
use super::open_json::OpenJsonButton;
use super::theme::ThemeSwitch;
use super::trace_id_box::TraceIdBox;
use crate::api::config::Config;
use leptos::prelude::*;
use leptos_router::components::A;
use std::sync::Arc;

#[component]
pub fn Header() -> impl IntoView {
    let config = expect_context::<Arc<Config>>();
    let environment = (!config.environment.is_empty()).then(|| config.environment.clone());
    let support = config.support_url.clone();
    view! {
        <header class="topbar">
            <a class="brand" href=app_href("/")>"Spanscope"</a>
            {environment.map(|env| view! { <span class="environment" title="Environment">{env}</span> })}
            <nav aria-label="Main">
                <A href=app_href("/") exact=true>"Find a trace"</A>
                {config.dependency.enabled.then(|| view! { <A href=app_href("/dependency")>"Dependencies"</A> })}
            </nav>
            <div class="topbar-tools">
                <TraceIdBox/>
                <OpenJsonButton/>
                <ThemeSwitch/>
                {support.map(|url| view! { <a href=url target="_blank" rel="noopener noreferrer">"Support"</a> })}
            </div>
        </header>
    }
}
