//! `/traceViewer`: a trace opened from a file (JSON v2 or v1), no backend needed. A file with
//! several traces lists them to choose from; the choice is kept in the URL (`?trace=<id>`).
use super::trace::loader::{LoadPhase, TraceLoadError};
use super::trace::source::TraceSource;
use super::trace::view::TraceView;
use super::trace::TraceLoadErrorView;
use crate::ui::browser::yield_to_paint;
use crate::ui::open_json::{OpenedFile, OpenedFileSlot};
use crate::ui::shared::Shared;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use spanscope_domain::decode::decode_file;
use spanscope_domain::span::Span;
use spanscope_domain::summary::summarize;
use spanscope_domain::time_scale::format_duration;
use spanscope_domain::trace_model::TraceModel;

#[component]
pub fn TraceViewerPage() -> impl IntoView {
    let slot = expect_context::<OpenedFileSlot>();
    let embedded = crate::ui::embed::embed_flags().embed;
    view! {
        <div class="trace-viewer">
            {move || match slot.0.get() {
                // Embedded, the header (and its Open JSON) is hidden: the trace comes from the host page.
                None if embedded => view! {
                    <section class="page">
                        <h1>"Trace"</h1>
                        <p role="status">"Waiting for the page around this one to send a trace."</p>
                    </section>
                }.into_any(),
                None => view! {
                    <section class="page">
                        <h1>"Trace from a file"</h1>
                        <p>"Choose a trace file (Zipkin JSON v2 or v1) with " <strong>"Open JSON"</strong>
                           " in the header, or drop one anywhere on this page. Nothing is uploaded."</p>
                    </section>
                }.into_any(),
                Some(Err(message)) => view! { <section class="page" role="alert"><p>{message}</p></section> }.into_any(),
                Some(Ok(file)) => view! { <OpenedTraces file/> }.into_any(),
            }}
        </div>
    }
}

/// The traces of one file: decoded once, then one shown or a list to choose from.
#[component]
fn OpenedTraces(file: OpenedFile) -> impl IntoView {
    let name = file.name.clone();
    let phase = RwSignal::new(LoadPhase::Decoding { bytes: file.bytes.len() as u64 });
    let decoded = LocalResource::new(move || {
        let bytes = file.bytes.clone();
        async move {
            yield_to_paint().await;
            decode_file(&bytes).map(Shared::new).map_err(|e| TraceLoadError::Decode(e.to_string()))
        }
    });
    let query = use_query_map();
    let chosen = Memo::new(move |_| query.with(|q| q.get("trace")));
    view! {
        {move || {
            let name = name.clone();
            match decoded.get() {
                None => view! { <p class="page" role="status">{phase.get().describe()}</p> }.into_any(),
                Some(Err(error)) => view! { <TraceLoadErrorView error on_retry=|| ()/> }.into_any(),
                Some(Ok(traces)) if traces.is_empty() => view! {
                    <section class="page" role="alert"><p>{format!("{name} holds no spans.")}</p></section>
                }.into_any(),
                Some(Ok(traces)) => {
                    let pick = chosen.get().and_then(|id| traces.iter().position(|t| t.first().is_some_and(|s| s.trace_id == id)));
                    match pick.or((traces.len() == 1).then_some(0)) {
                        Some(i) => {
                            let model = Shared::new(TraceModel::build(traces[i].clone()));
                            let nearby = traces.iter().filter_map(|t| t.first().map(|s| s.trace_id.clone())).collect();
                            view! { <TraceView model source=TraceSource::File { name, nearby }/> }.into_any()
                        }
                        None => view! { <TraceChooser name traces/> }.into_any(),
                    }
                }
            }
        }}
    }
}

/// A file with several traces: one row per trace, choosing puts it in the URL.
#[component]
fn TraceChooser(name: String, traces: Shared<Vec<Vec<Span>>>) -> impl IntoView {
    let navigate = use_navigate();
    let rows = traces
        .iter()
        .map(|spans| {
            let summary = summarize(spans);
            let id = spans.first().map(|s| s.trace_id.clone()).unwrap_or_default();
            let navigate = navigate.clone();
            let open_id = id.clone();
            view! {
                <tr>
                    <td><button type="button" class="link-button"
                        on:click=move |_| navigate(&format!("?trace={open_id}"), Default::default())>
                        {format!("{}: {}", summary.root_service, summary.root_name)}
                    </button></td>
                    <td><code>{id}</code></td>
                    <td>{summary.span_count}</td>
                    <td>{format_duration(summary.duration as f64)}</td>
                    <td>{summary.error_count}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="page">
            <h1>{format!("{} traces in {name}", traces.len())}</h1>
            <table class="stats-table" aria-label="Traces in the file">
                <thead><tr><th scope="col">"Root"</th><th scope="col">"Trace ID"</th><th scope="col">"Spans"</th>
                    <th scope="col">"Duration"</th><th scope="col">"Errors"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
