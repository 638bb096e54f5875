//! The trace view: header, toolbar, minimap, waterfall, span details and analysis panels over one
//! immutable model. Used for traces from the server and from files. Page-wide keyboard shortcuts
//! (`/` find, `n`/`N` next and previous match, Esc closes panels) are handled here.
use super::analysis::AnalysisPanel;
use super::details::SpanDetails;
use super::header::TraceHeader;
use super::minimap::Minimap;
use super::source::TraceSource;
use super::state::TraceState;
use super::toolbar::Toolbar;
use super::waterfall::Waterfall;
use crate::ui::browser::typing_in_field;
use crate::ui::shared::Shared;
use leptos::prelude::*;
use spanscope_domain::row_address::span_id_of_key;
use spanscope_domain::trace_model::TraceModel;
use spanscope_domain::trace_url::AnalysisView;
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
    let header_source = source.clone();
    view! {
        <div class="trace-view">
            {(!embed.hide_trace_header).then(|| view! { <TraceHeader source=header_source/> })}
            <Toolbar source/>
            {(!embed.hide_minimap).then(|| view! { <Minimap/> })}
            <div class="trace-body">
                <Waterfall/>
                {move || details_state.selected_row.get().map(|row| view! { <SpanDetails row/> })}
            </div>
            {move || (analysis_state.analysis.get() != AnalysisView::None).then(|| view! { <AnalysisPanel/> })}
        </div>
    }
}
