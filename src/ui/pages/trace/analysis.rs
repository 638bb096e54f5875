//! Analysis panels under the waterfall: statistics per service and per operation (a click finds
//! the matching spans), and this trace's own service graph (the dependency page's graph drawing
//! applied to the trace's calls alone).
use super::state::TraceState;
use crate::ui::pages::dependency::LinksGraph;
use crate::ui::shared::Shared;
use leptos::prelude::*;
use spanscope_domain::dependency_links::link_trace;
use spanscope_domain::stats::{trace_stats, SpanStats};
use spanscope_domain::time_scale::format_duration;
use spanscope_domain::trace_model::TraceModel;
use spanscope_domain::trace_url::AnalysisView;

#[component]
pub fn AnalysisPanel() -> impl IntoView {
    let state = expect_context::<TraceState>();
    let s = state.clone();
    move || match s.analysis.get() {
        AnalysisView::Statistics => view! { <StatisticsPanel/> }.into_any(),
        AnalysisView::ServiceGraph => view! { <TraceServiceGraph model=s.model.clone()/> }.into_any(),
        AnalysisView::None => ().into_any(),
    }
}

#[component]
fn StatisticsPanel() -> impl IntoView {
    let state = expect_context::<TraceState>();
    let (model, skew) = (state.model.clone(), state.skew);
    // Rebuilt when the skew switch flips: self times and totals move with the corrected clocks.
    let tables = move || {
        let stats = trace_stats(&model, skew.get());
        view! {
            <StatsTable caption="Per service" rows=stats.by_service by_operation=false/>
            <StatsTable caption="Per operation" rows=stats.by_operation by_operation=true/>
        }
    };
    view! {
        <section class="analysis-panel" aria-label="Statistics">
            <div class="stats-tables">{tables}</div>
        </section>
    }
}

#[component]
fn StatsTable(caption: &'static str, rows: Vec<SpanStats>, by_operation: bool) -> impl IntoView {
    let state = expect_context::<TraceState>();
    let body = rows
        .into_iter()
        .map(|r| {
            let s = state.clone();
            let find = if by_operation { r.operation.clone() } else { r.service.clone() };
            let label = if by_operation { format!("{}: {}", r.service, r.operation) } else { r.service.clone() };
            let select = move |_| {
                let find = find.clone();
                s.update(|p| p.find = find);
            };
            view! {
                <tr>
                    <th scope="row"><button type="button" class="link-button" on:click=select
                        title="Find these spans in the waterfall">{label}</button></th>
                    <td>{r.count}</td>
                    <td>{format_duration(r.total as f64)}</td>
                    <td>{format_duration(r.self_time as f64)}</td>
                    <td>{format_duration(r.avg())}</td>
                    <td>{format_duration(r.max as f64)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="stats-table">
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{if by_operation { "Operation" } else { "Service" }}</th>
                <th scope="col">"Spans"</th><th scope="col">"Total"</th><th scope="col">"Self time"</th>
                <th scope="col">"Average"</th><th scope="col">"Max"</th>
            </tr></thead>
            <tbody>{body}</tbody>
        </table>
    }
}

/// The services of this trace and their calls: the trace's links drawn by the dependency page's
/// graph (same scene, layout and renderer), with the calls listed under it.
#[component]
pub fn TraceServiceGraph(model: Shared<TraceModel>) -> impl IntoView {
    let links = link_trace(model.spans());
    let table = links
        .iter()
        .map(|l| view! { <tr><td>{l.parent.clone()}</td><td>{l.child.clone()}</td><td>{l.call_count}</td><td>{l.error_count}</td></tr> })
        .collect_view();
    view! {
        <section class="analysis-panel" aria-label="Service graph">
            {if links.is_empty() {
                view! { <p>"This trace has no calls between services."</p> }.into_any()
            } else {
                view! { <div class="trace-graph"><LinksGraph links=links.clone() name="Service graph of this trace"/></div> }.into_any()
            }}
            <table class="stats-table" aria-label="Calls between services in this trace">
                <thead><tr><th scope="col">"Caller"</th><th scope="col">"Callee"</th><th scope="col">"Calls"</th><th scope="col">"Errors"</th></tr></thead>
                <tbody>{table}</tbody>
            </table>
        </section>
    }
}
