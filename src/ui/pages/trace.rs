//! `/traces/{traceId}`: one trace from the backend, shown by [`view::TraceView`]. This module owns
//! loading (progress, cancel, not found, backend errors); the view's parts live in `trace/`.
pub mod analysis;
mod detail_parts;
mod details;
mod filter_bar;
mod flame_graph;
mod header;
pub mod loader;
mod minimap;
mod otel_details;
mod palette;
mod root_cause;
pub mod source;
mod span_link;
mod span_table;
mod state;
mod tabs;
mod toolbar;
pub mod view;
mod waterfall;

use crate::api::backend::Backend;
use crate::api::http::LatestRequest;
use crate::ui::error_view::ErrorView;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use loader::{load_trace, LoadPhase, TraceLoadError};
use source::TraceSource;
use spanscope_domain::trace_id::normalize_trace_id;
use view::TraceView;

#[component]
pub fn TracePage() -> impl IntoView {
    let params = use_params_map();
    let backend = expect_context::<Backend>();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let phase = RwSignal::new(LoadPhase::Downloading { bytes: 0 });
    let latest = StoredValue::new_local(LatestRequest::default());
    let cancelled = RwSignal::new(false);
    let trace = LocalResource::new(move || {
        let backend = backend.clone();
        let raw_id = id.get();
        cancelled.set(false);
        async move {
            let id = normalize_trace_id(&raw_id).map_err(|e| TraceLoadError::Decode(format!("{raw_id}: {e}")))?;
            let controller = latest.with_value(|l| l.replace());
            load_trace(&backend, &id, controller, phase).await
        }
    });
    let cancel = move |_| {
        latest.with_value(|l| {
            l.replace();
        });
        cancelled.set(true);
    };
    view! {
        {move || match trace.get() {
            None if cancelled.get() => view! {
                <section class="page"><p role="status">"Loading cancelled. "
                    <button type="button" on:click=move |_| trace.refetch()>"Load again"</button></p></section>
            }.into_any(),
            None => view! {
                <section class="page trace-loading" aria-busy="true">
                    <p role="status" class="progress-line"><span class="spinner" aria-hidden="true"></span>
                        {move || phase.get().describe()}</p>
                    <button type="button" on:click=cancel>"Cancel"</button>
                </section>
            }.into_any(),
            Some(Err(TraceLoadError::Api(crate::api::error::ApiError::Cancelled))) => view! {
                <section class="page"><p role="status">"Loading cancelled. "
                    <button type="button" on:click=move |_| trace.refetch()>"Load again"</button></p></section>
            }.into_any(),
            Some(Err(error)) => view! { <TraceLoadErrorView error on_retry=move || trace.refetch()/> }.into_any(),
            Some(Ok(model)) => view! { <TraceView model source=TraceSource::Server/> }.into_any(),
        }}
    }
}

/// A trace that could not be shown: not found (with its id), undecodable, or a backend error.
#[component]
pub fn TraceLoadErrorView(error: TraceLoadError, on_retry: impl Fn() + Send + Sync + 'static) -> impl IntoView {
    match error {
        TraceLoadError::NotFound { id } => {
            let server = use_context::<Backend>().map_or("The server", |b| b.name());
            view! {
                <section class="page" role="alert" aria-label="Trace not found">
                    <h1>"Trace not found"</h1>
                    <p>{format!("{server} has no trace ")} <code>{id}</code>
                       ". It may be older than the server keeps, or the id may be mistyped."</p>
                </section>
            }
            .into_any()
        }
        TraceLoadError::Decode(message) => view! {
            <section class="page" role="alert" aria-label="Trace could not be read">
                <h1>"This trace could not be read"</h1>
                <p class="error-detail">{message}</p>
            </section>
        }
        .into_any(),
        TraceLoadError::Api(error) => {
            view! { <section class="page"><ErrorView error on_retry=move |_| on_retry()/></section> }.into_any()
        }
    }
}
