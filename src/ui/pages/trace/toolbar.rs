//! The trace toolbar: collapse and expand (all, to a depth), jump between errors, find with
//! match count and next/previous, critical path, analysis panels, and the trace's actions
//! (download as Zipkin, OTLP or Jaeger JSON, view logs, archive).
use super::source::TraceSource;
use super::state::TraceState;
use crate::api::config::Config;
use crate::api::zipkin::post_spans;
use crate::ui::browser::save_file;
use leptos::prelude::*;
use spanscope_domain::error_tally::error_tally;
use spanscope_domain::rows::expandable_rows;
use spanscope_domain::span::Span;
use spanscope_domain::trace_download::{encode_trace, DownloadFormat};
use spanscope_domain::trace_url::AnalysisView;
use spanscope_domain::waterfall_view::{collapse_to_depth, step};
use std::collections::HashSet;
use std::sync::Arc;

#[component]
pub fn Toolbar(source: TraceSource) -> impl IntoView {
    let state = expect_context::<TraceState>();
    let find_input = expect_context::<NodeRef<leptos::html::Input>>();
    let depth = state.model.depth();

    let s = state.clone();
    let collapse_all = move |_| {
        let all = expandable_rows(&s.model);
        s.collapsed.set(all);
    };
    let s = state.clone();
    let expand_all = move |_| s.collapsed.set(HashSet::new());
    let s = state.clone();
    let to_depth = move |ev: leptos::ev::Event| {
        if let Ok(d) = event_target_value(&ev).parse::<u32>() {
            s.collapsed.set(collapse_to_depth(&s.model, d));
        }
    };
    let error_count = state.errors.len();
    let tally = error_tally(error_count);
    let s = state.clone();
    let find_text = s.find_text;
    let s = state.clone();
    let on_find = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        s.update(|p| p.find = text);
    };
    let s = state.clone();
    let match_status = move || {
        let find = find_text.get();
        if find.trim().is_empty() {
            return String::new();
        }
        let matches = s.matches.get();
        let current = s.selected_row.get().and_then(|r| matches.binary_search(&r).ok());
        match (matches.len(), current) {
            (0, _) => "No matches".to_string(),
            (n, Some(i)) => format!("{} of {n}", i + 1),
            (n, None) => format!("{n} match{}", if n == 1 { "" } else { "es" }),
        }
    };
    let s = state.clone();
    let on_find_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" {
            ev.prevent_default();
            jump(s.clone(), |s| s.matches.get_untracked(), !ev.shift_key())(());
        }
    };
    let s = state.clone();
    let critical_on = s.critical_on;
    let s = state.clone();
    let current_view = s.analysis;
    let pressed = move |v: AnalysisView| move || if current_view.get() == v { "true" } else { "false" };
    let s = state.clone();
    let toggle_view = move |v: AnalysisView| {
        let s = s.clone();
        move |_| s.update(|p| p.view = if p.view == v { AnalysisView::None } else { v })
    };
    let s = state.clone();
    let focused = Memo::new(move |_| s.focus_row.get().is_some());
    let fold_on = state.fold;

    view! {
        <div class="trace-toolbar" role="toolbar" aria-label="Trace tools">
            <div class="tool-group">
                <button type="button" on:click=collapse_all>"Collapse all"</button>
                <button type="button" on:click=expand_all>"Expand all"</button>
                <label class="inline-label">"Expand to depth "
                    <select on:change=to_depth>
                        <option value="" selected>"—"</option>
                        {(1..=depth.min(20)).map(|d| view! { <option value=d.to_string()>{d}</option> }).collect_view()}
                    </select>
                </label>
                {let s = state.clone(); move || focused.get().then(|| {
                    let s = s.clone();
                    view! { <button type="button" on:click=move |_| s.update(|p| p.focus = None)>"Show whole trace"</button> }
                })}
            </div>
            <div class="tool-group">
                <button type="button" disabled=error_count == 0 on:click=jump(state.clone(), |s| s.errors.clone(), false)
                    aria-label="Previous error">"◀ Error"</button>
                <span class="error-count" class:has-errors=tally.alarm>{tally.text}</span>
                <button type="button" disabled=error_count == 0 on:click=jump(state.clone(), |s| s.errors.clone(), true)
                    aria-label="Next error">"Error ▶"</button>
            </div>
            <div class="tool-group find-group" role="search" aria-label="Find in trace">
                <label for="trace-find" class="visually-hidden">"Find in trace"</label>
                <input id="trace-find" type="search" node_ref=find_input placeholder="Find: service, name, id, tag… ( / )"
                    prop:value=move || find_text.get() on:input=on_find on:keydown=on_find_key
                    aria-describedby="trace-find-status"/>
                <span id="trace-find-status" class="find-status" aria-live="polite">{match_status}</span>
                <button type="button" aria-label="Previous match" on:click=jump(state.clone(), |s| s.matches.get_untracked(), false)>"↑"</button>
                <button type="button" aria-label="Next match" on:click=jump(state.clone(), |s| s.matches.get_untracked(), true)>"↓"</button>
            </div>
            <div class="tool-group">
                <button type="button" aria-pressed=move || if critical_on.get() { "true" } else { "false" }
                    on:click={ let s = state.clone(); move |_| s.update(|p| p.critical = !p.critical) }>"Critical path"</button>
                <button type="button" aria-pressed=pressed(AnalysisView::Statistics)
                    on:click=toggle_view(AnalysisView::Statistics)>"Statistics"</button>
                <button type="button" aria-pressed=pressed(AnalysisView::ServiceGraph)
                    on:click=toggle_view(AnalysisView::ServiceGraph)>"Service graph"</button>
                <button type="button" aria-pressed=move || if fold_on.get() { "true" } else { "false" }
                    title="Fold runs of alike siblings (same service and span name) into one row"
                    on:click={ let s = state.clone(); move |_| s.update(|p| p.fold = !p.fold) }>"Fold repeats"</button>
            </div>
            <TraceActions source/>
        </div>
    }
}

/// A handler that selects the next (or previous) row of a list after the selected one.
fn jump<E>(
    state: TraceState,
    rows: impl Fn(&TraceState) -> crate::ui::shared::Shared<Vec<u32>> + 'static,
    forward: bool,
) -> impl Fn(E) + 'static {
    move |_| {
        let list = rows(&state);
        if let Some(row) = step(&list, state.selected_row.get_untracked(), forward) {
            state.select(row);
        }
    }
}

/// Download (Zipkin v2, OTLP or Jaeger JSON); View logs and Archive when configured and the trace came from the server.
#[component]
fn TraceActions(source: TraceSource) -> impl IntoView {
    let state = expect_context::<TraceState>();
    let config = expect_context::<Arc<Config>>();
    let trace_id = state.model.trace_id().to_string();
    let server = crate::ui::backend_context::server_kind();
    let offered = DownloadFormat::offered(source.download_format(server));
    let model = state.model.clone();
    let id = trace_id.clone();
    let menu_open = RwSignal::new(false);
    let download = move |format: DownloadFormat| {
        let (model, id) = (model.clone(), id.clone());
        move |_| {
            // The spans exactly as received (before cleaning or merging).
            let spans: Vec<Span> = model.raw_spans().into_iter().cloned().collect();
            save_file(&format.file_name(&id), &encode_trace(&spans, format), "application/json");
            menu_open.set(false);
        }
    };
    let from_server = source == TraceSource::Server;
    let logs = config.logs_link(&trace_id).filter(|_| from_server);
    let archive = config.archive_post_url.clone().filter(|_| from_server);
    let archive_view = config.archive_link(&trace_id);
    let archive_status = RwSignal::new(None::<Result<(), String>>);
    let model = state.model.clone();
    let do_archive = move |_| {
        let Some(target) = archive.clone() else { return };
        let body = serde_json::to_vec(&model.raw_spans()).unwrap_or_default();
        leptos::task::spawn_local(async move {
            let result = post_spans(&target, &body).await;
            archive_status.set(Some(result.map_err(|e| e.to_string())));
        });
    };
    let has_archive = config.archive_post_url.is_some() && from_server;
    view! {
        <div class="tool-group actions">
            <div class="download-menu" on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" {
                ev.prevent_default();
                menu_open.set(false);
            }>
                <button type="button" aria-haspopup="true" aria-expanded=move || menu_open.get().to_string()
                    on:click=move |_| menu_open.update(|o| *o = !*o)>"Download ▾"</button>
                {move || menu_open.get().then(|| view! {
                    <div class="menu-items" role="group" aria-label="Download the trace as">
                        {offered.iter().enumerate().map(|(i, &format)| view! {
                            <button type="button" aria-label=format!("Download as {}", format.label()) on:click=download(format)>
                                {format.label()} {(i == 0).then_some(" (as it came)")}
                            </button>
                        }).collect_view()}
                    </div>
                })}
            </div>
            {logs.map(|href| view! { <a class="button-like" href=href target="_blank" rel="noopener noreferrer">"View logs"</a> })}
            {has_archive.then(|| view! { <button type="button" on:click=do_archive>"Archive"</button> })}
            {move || archive_status.get().map(|status| match status {
                Ok(()) => view! {
                    <span role="status" class="ok">"Archived. "
                        {archive_view.clone().map(|href| view! { <a href=href target="_blank" rel="noopener noreferrer">"Open the archived trace"</a> })}
                    </span>
                }.into_any(),
                Err(message) => view! { <span role="alert" class="error-text">{format!("Archiving failed: {message}")}</span> }.into_any(),
            })}
        </div>
    }
}
