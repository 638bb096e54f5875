//! The trace view: header, toolbar, minimap, waterfall, span details and analysis panels over one
//! immutable model. Used for traces from the server and from files. Page-wide keyboard shortcuts
//! (`/` find, `n`/`N` next and previous match, `[`/`]` previous and next filter match, Esc closes
//! panels) are handled here. The views (waterfall, flame graph, span table) are tabs under one
//! filter bar; the details panel follows the selection in each.
use super::analysis::AnalysisPanel;
use super::details::SpanDetails;
use super::filter_bar::{step_filter_match, FilterBar};
use super::flame_graph::FlameGraph;
use super::header::TraceHeader;
use super::minimap::Minimap;
use super::root_cause::RootCauseTools;
use super::source::TraceSource;
use super::span_table::SpanTable;
use super::state::TraceState;
use super::tabs::{tab_id, TraceTabs, PANEL_ID};
use super::toolbar::Toolbar;
use super::waterfall::Waterfall;
use crate::ui::browser::typing_in_field;
use crate::ui::shared::Shared;
use leptos::prelude::*;
use spanscope_domain::row_address::span_id_of_key;
use spanscope_domain::trace_model::TraceModel;
use spanscope_domain::trace_url::{AnalysisView, TraceTab};
use spanscope_domain::waterfall_view::step;

#[component]
pub fn TraceView(model: Shared<TraceModel>, source: TraceSource) -> impl IntoView {
    let nearby = match &source {
        TraceSource::File { nearby, .. } => nearby.as_slice(),
        TraceSource::Server => &[],
    };
    let state = TraceState::new(model, nearby);
    provide_context(state.clone());
    let find_input = NodeRef::<leptos::html::Input>::new();
    provide_context(find_input);

    let keys = state.clone();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.default_prevented() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        if ev.key() == "Escape" {
            if keys.params.with_untracked(|p| p.span.is_some()) {
                keys.clear_selection();
            } else if keys.params.with_untracked(|p| p.view != AnalysisView::None) {
                keys.update(|p| p.view = AnalysisView::None);
            }
            return;
        }
        if typing_in_field(&ev) {
            return;
        }
        match ev.key().as_str() {
            "/" => {
                ev.prevent_default();
                if let Some(input) = find_input.get_untracked() {
                    let _ = input.focus();
                    input.select();
                }
            }
            "[" | "]" => {
                ev.prevent_default();
                step_filter_match(&keys, ev.key() == "]");
            }
            "n" | "N" => {
                let forward = ev.key() == "n";
                let target = keys.matches.with_untracked(|m| step(m, keys.selected_row.get_untracked(), forward));
                if let Some(row) = target {
                    keys.select(row);
                }
            }
            _ => {}
        }
    });
    on_cleanup(move || handle.remove());

    // Embedded: hide what the host page asked to hide, and tell it what is selected.
    let embed = crate::ui::embed::embed_flags();
    let (params, picker) = (state.params, state.clone());
    crate::ui::embed::bridge::connect_trace_view(
        state.model.trace_id().to_string(),
        // The host speaks span ids: a later row's key (`id~2`) is reported as its span id.
        Signal::derive(move || params.with(|p| p.span.as_deref().map(|key| span_id_of_key(key).to_owned()))),
        move |span_id| picker.model.find_row_by_span_id(span_id).map(|row| picker.select(row)).is_some(),
    );

    let details_state = state.clone();
    let analysis_state = state.clone();
    let tab = state.tab;
    let fold_hint = {
        let s = state.clone();
        let longest = s.runs.0.longest();
        move || {
            (s.runs.0.suggest_folding() && !s.fold.get()).then(|| {
            let s = s.clone();
            view! {
                <p class="fold-hint" role="note">{format!("This trace repeats a call up to {longest} times in a row. ")}
                    <button type="button" class="link-like" on:click=move |_| s.update(|p| p.fold = true)>"Fold repeats"</button>
                </p>
            }
        })
        }
    };
    let header_source = source.clone();
    view! {
        <div class="trace-view">
            {(!embed.hide_trace_header).then(|| view! { <TraceHeader source=header_source/> })}
            <Toolbar source/>
            <FilterBar/>
            <RootCauseTools/>
            {fold_hint}
            <TraceTabs/>
            <div role="tabpanel" id=PANEL_ID aria-labelledby=move || tab_id(tab.get())>
                {move || (tab.get() == TraceTab::Waterfall && !embed.hide_minimap).then(|| view! { <Minimap/> })}
                <div class="trace-body">
                    {move || match tab.get() {
                        TraceTab::Waterfall => view! { <Waterfall/> }.into_any(),
                        TraceTab::FlameGraph => view! { <FlameGraph/> }.into_any(),
                        TraceTab::SpanTable => view! { <SpanTable/> }.into_any(),
                    }}
                    {move || details_state.selected_row.get().map(|row| view! { <SpanDetails row/> })}
                </div>
            </div>
            {move || (analysis_state.analysis.get() != AnalysisView::None).then(|| view! { <AnalysisPanel/> })}
        </div>
    }
}
