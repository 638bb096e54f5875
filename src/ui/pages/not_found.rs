//! Any path the app does not know.
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    view! {
        <section class="page">
            <h1>"Page not found"</h1>
            <p>"Spanscope has no page at this address. " <A href=crate::ui::base_path::app_href("/")>"Find a trace"</A> " instead."</p>
        </section>
    }
}
