//! `/`: find a trace.
use crate::api::zipkin::ZipkinClient;
use crate::ui::error_view::ErrorView;
use leptos::prelude::*;

#[component]
pub fn SearchPage() -> impl IntoView {
    let client = expect_context::<ZipkinClient>();
    let services = LocalResource::new(move || {
        let client = client.clone();
        async move { client.services().await }
    });
    view! {
        <section class="page">
            <h1>"Find a trace"</h1>
            {move || match services.get() {
                None => view! { <p role="status">"Loading services…"</p> }.into_any(),
                Some(Err(error)) => view! { <ErrorView error on_retry=move |_| services.refetch()/> }.into_any(),
                Some(Ok(names)) => view! { <p>{format!("{} services", names.len())}</p> }.into_any(),
            }}
        </section>
    }
}
