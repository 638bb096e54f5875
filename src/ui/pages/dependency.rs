//! `/dependency`: the service dependency graph.
use leptos::prelude::*;

#[component]
pub fn DependencyPage() -> impl IntoView {
    view! { <section class="page"><h1>"Dependencies"</h1></section> }
}
