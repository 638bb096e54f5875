//! `/`: find a trace. The URL is the search (Lens's parameter names, `domain::search_url`): the
//! form writes it, the results resource reads it, so back/forward and copied links just work.
//! The result view (sort, filters) also lives in the URL, under names the server never sees.
mod form;
mod request;
mod results;
mod scatter;
mod tag_input;

use crate::api::config::Config;
use crate::api::http::LatestRequest;
use crate::api::zipkin::ZipkinClient;
use crate::ui::base_path::app_href;
use crate::ui::error_view::ErrorView;
use crate::ui::time_zone::{stored_time_zone, TimeZone};
use form::CriteriaForm;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use request::{run_search, Outcome};
use results::ResultsView;
use spanscope_domain::search_criteria::{empty_result_advice, is_search_query};
use spanscope_domain::search_results::{parse_view, view_query, ResultFilter, SortOrder};
use spanscope_domain::search_url::{parse_search, to_query};
use std::sync::Arc;

/// The result view's state, shared by the toolbar, the plot and the list.
#[derive(Clone, Copy)]
pub(crate) struct ViewState {
    pub sort: RwSignal<SortOrder>,
    pub filter: RwSignal<ResultFilter>,
    pub time_zone: RwSignal<TimeZone>,
    /// Writes the view into the URL now rather than when typing pauses (the filter box was left).
    pub save_now: Trigger,
}

/// How long typing in the result filter pauses before the URL follows it.
const TYPING_PAUSE: std::time::Duration = std::time::Duration::from_millis(400);

/// The in-app URL of a search (`/zipkin/?serviceName=…`, Lens's shape, trailing slash kept) with the
/// result view's parameters after the search's.
pub(crate) fn search_href(search: &str, view: &str) -> String {
    let query = [search, view].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("&");
    if query.is_empty() {
        app_href("/")
    } else {
        app_href(&format!("/?{query}"))
    }
}

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
                        "This Zipkin's configuration sets " <code>"searchEnabled: false"</code>
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
    let client = expect_context::<ZipkinClient>();
    let location = use_location();
    let navigate = use_navigate();
    let raw_query = location.search;
    // Keyed on the criteria only, so sort and filter changes in the URL never refetch.
    let search_key = Memo::new(move |_| to_query(&parse_search(&raw_query.get())));
    let criteria = Memo::new(move |_| parse_search(&search_key.get()));
    let retry = RwSignal::new(0u32);

    let (initial_sort, initial_filter) = parse_view(&raw_query.get_untracked());
    let view_state = ViewState {
        sort: RwSignal::new(initial_sort),
        filter: RwSignal::new(initial_filter),
        time_zone: RwSignal::new(stored_time_zone()),
        save_now: Trigger::new(),
    };
    // The result view is written back into the URL, replacing the entry so back steps over searches,
    // not keystrokes. A router navigation costs a few ms, so text typed into the filter is written
    // once typing pauses (or the box is left: `save_now`); every other change is written at once.
    // This syncs to an external system, not to another signal.
    let write_view = {
        let navigate = navigate.clone();
        move || {
            let view = view_query(view_state.sort.get_untracked(), &view_state.filter.read_untracked());
            let current = raw_query.with_untracked(|q| {
                let (sort, filter) = parse_view(q);
                view_query(sort, &filter)
            });
            if view != current {
                let to = search_href(&search_key.get_untracked(), &view);
                navigate(&to, NavigateOptions { replace: true, scroll: false, resolve: false, ..Default::default() });
            }
        }
    };
    let pending_write = StoredValue::new_local(None::<TimeoutHandle>);
    let cancel_pending_write = move || {
        if let Some(timer) = pending_write.try_update_value(Option::take).flatten() {
            timer.clear();
        }
    };
    Effect::new(move |previous: Option<(SortOrder, ResultFilter)>| {
        view_state.save_now.track();
        let now = (view_state.sort.get(), view_state.filter.get());
        let typing = previous.as_ref().is_some_and(|(sort, filter)| {
            *sort == now.0 && filter.service == now.1.service && filter.text != now.1.text
        });
        cancel_pending_write();
        if typing {
            let write_view = write_view.clone();
            let timer = set_timeout_with_handle(write_view, TYPING_PAUSE);
            pending_write.set_value(timer.ok());
        } else {
            write_view();
        }
        now
    });
    on_cleanup(cancel_pending_write);

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
                            "Links from Zipkin Lens open here with the same search."
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
