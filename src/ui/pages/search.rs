//! `/`: find a trace. The URL is the search (Lens's parameter names, `domain::search_url`): the
//! form writes it, the results resource reads it, so back/forward and copied links just work.
//! The result view (sort, filters) also lives in the URL, under names the server never sees.
mod form;
mod request;
mod results;
mod scatter;
mod tag_input;
mod view_state;

use crate::api::backend::Backend;
use crate::api::config::Config;
use crate::api::http::LatestRequest;
use crate::ui::error_view::ErrorView;
use form::CriteriaForm;
use leptos::prelude::*;
use leptos_router::hooks::use_location;
use request::{run_search, Outcome};
use results::ResultsView;
use spanscope_domain::search_criteria::{empty_result_advice, is_search_query};
use spanscope_domain::search_url::{parse_search, to_query};
use std::sync::Arc;
use view_state::ViewState;

#[component]
pub fn SearchPage() -> impl IntoView {
    let config = expect_context::<Arc<Config>>();
    if !config.search_enabled {
        return view! {
            <section class="page search-page">
                <h1>"Find a trace"</h1>
                <section class="search-disabled" aria-label="Search is turned off">
                    <h2>"Search is turned off on this server"</h2>
                    <p>
                        "This Spanscope's configuration sets " <code>"searchEnabled: false"</code>
                        ". You can still open a trace by its ID: type or paste it into the Trace ID box above, "
                        "or open a trace file with Open JSON."
                    </p>
                </section>
            </section>
        }
        .into_any();
    }
    search_page(config).into_any()
}

fn search_page(config: Arc<Config>) -> impl IntoView {
    let client = expect_context::<Backend>();
    let location = use_location();
    let raw_query = location.search;
    // Keyed on the criteria only, so sort and filter changes in the URL never refetch.
    let search_key = Memo::new(move |_| to_query(&parse_search(&raw_query.get())));
    let criteria = Memo::new(move |_| parse_search(&search_key.get()));
    let retry = RwSignal::new(0u32);

    let view_state = ViewState::new(search_key);

    let latest = StoredValue::new_local(LatestRequest::default());
    let results = LocalResource::new({
        let client = client.clone();
        let config = config.clone();
        move || {
            let key = (search_key.get(), retry.get());
            let controller = is_search_query(&key.0).then(|| latest.with_value(LatestRequest::replace)).flatten();
            let (client, config) = (client.clone(), config.clone());
            async move {
                let outcome = run_search(&client, &config, &key.0, controller).await;
                (key, outcome)
            }
        }
    });
    // Derived, not a flag: the search shown is not the one the URL asks for.
    let pending = move || {
        let wanted = (search_key.get(), retry.get());
        is_search_query(&wanted.0) && results.with(|r| r.as_ref().map(|(k, _)| k) != Some(&wanted))
    };

    let services = LocalResource::new({
        let client = client.clone();
        move || {
            let client = client.clone();
            async move { client.services().await }
        }
    });

    let default_lookback = config.default_lookback;
    view! {
        <section class="page search-page">
            <h1>"Find a trace"</h1>
            {move || match services.get() {
                Some(Err(error)) => Some(view! { <ErrorView error on_retry=move |_| services.refetch()/> }),
                _ => None,
            }}
            // Embedded with hideSearchForm: results only, the host's URL is the search.
            {(!crate::ui::embed::embed_flags().hide_search_form).then(|| view! { <CriteriaForm criteria services view_state/> })}
            <div class="search-progress" role="status" aria-live="polite">
                {move || pending().then(|| view! {
                    <progress aria-label="Searching"></progress>
                    <span>"Searching…"</span>
                })}
            </div>
            <div class="search-outcome" class:stale=pending>
                {move || results.get().map(|(key, outcome)| match outcome {
                    Outcome::Idle => view! {
                        <p class="search-hint">
                            "Choose a service and other criteria, then press Search (or Enter). "
                            "Links from Zipkin Lens and Jaeger UI open here with the same search."
                        </p>
                    }.into_any(),
                    Outcome::Invalid(message) => view! {
                        <section class="error-view" role="alert" aria-label="This search cannot run">
                            <h2>"This search cannot run"</h2>
                            <p class="error-detail">{message}</p>
                        </section>
                    }.into_any(),
                    // A newer search replaced this one; its answer is on its way.
                    Outcome::Failed(crate::api::error::ApiError::Cancelled) => ().into_any(),
                    Outcome::Failed(error) => view! {
                        <ErrorView error on_retry=move |_| retry.update(|n| *n += 1)/>
                    }.into_any(),
                    Outcome::Found { set, .. } if set.is_empty() => {
                        let advice = empty_result_advice(&parse_search(&key.0), default_lookback);
                        view! {
                            <section class="search-empty" aria-label="No traces found">
                                <h2>"No traces found"</h2>
                                <p>"Nothing matched in this window. To find more:"</p>
                                <ul>{advice.into_iter().map(|a| view! { <li>{a}</li> }).collect_view()}</ul>
                            </section>
                        }.into_any()
                    }
                    Outcome::Found { set, now_ms, limit } => view! {
                        <ResultsView set now_ms limit view_state/>
                    }.into_any(),
                })}
            </div>
        </section>
    }
}
