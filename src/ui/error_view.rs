//! How every page shows a failed request: the HTTP status, the server's own message, and a retry.
use crate::api::error::ApiError;
use leptos::prelude::*;

#[component]
pub fn ErrorView(error: ApiError, #[prop(optional, into)] on_retry: Option<Callback<()>>) -> impl IntoView {
    view! {
        <section class="error-view" role="alert" aria-live="assertive">
            <h2>{error.title()}</h2>
            <p class="error-detail">{error.detail()}</p>
            {on_retry.map(|retry| view! { <button type="button" on:click=move |_| retry.run(())>"Retry"</button> })}
        </section>
    }
}
