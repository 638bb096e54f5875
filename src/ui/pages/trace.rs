//! `/traces/{traceId}`: one trace.
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

#[component]
pub fn TracePage() -> impl IntoView {
    let params = use_params_map();
    view! {
        <section class="page">
            <h1>"Trace " {move || params.get().get("id").unwrap_or_default()}</h1>
        </section>
    }
}
