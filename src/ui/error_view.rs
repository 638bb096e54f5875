//! How every page shows a failed request: the HTTP status, the server's own message, and a retry.
//! Worded for the backend the page talks to (its name, its CORS setting).
use crate::api::error::ApiError;
use crate::ui::backend_context::server_kind;
use leptos::prelude::*;

#[component]
pub fn ErrorView(error: ApiError, #[prop(optional, into)] on_retry: Option<Callback<()>>) -> impl IntoView {
    let server = server_kind();
    view! {
        <section class="error-view" role="alert" aria-live="assertive">
            <h2>{error.title(server)}</h2>
            <p class="error-detail">{error.detail(server)}</p>
            {on_retry.map(|retry| view! { <button type="button" on:click=move |_| retry.run(())>"Retry"</button> })}
        </section>
    }
}
