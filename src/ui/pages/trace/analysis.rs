//! Analysis panels under the waterfall: statistics per service and per operation (a click finds
//! the matching spans), and this trace's own service graph (the dependency layout applied to
//! the trace alone).
use super::state::TraceState;
use spanscope_domain::dependency_links::link_trace;
use spanscope_domain::graph_layout::{layout_graph, LayoutOptions};
use spanscope_domain::stats::{trace_stats, SpanStats};
use spanscope_domain::time_scale::format_duration;
use spanscope_domain::trace_url::AnalysisView;
use leptos::prelude::*;

#[component]
pub fn AnalysisPanel() -> impl IntoView {
    let state = expect_context::<TraceState>();
    let s = state.clone();
    move || match s.analysis.get() {
        AnalysisView::Statistics => view! { <StatisticsPanel/> }.into_any(),
        AnalysisView::ServiceGraph => view! { <TraceServiceGraph/> }.into_any(),
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

/// The services of this trace and their calls, laid out by the domain's layered layout.
#[component]
fn TraceServiceGraph() -> impl IntoView {
    let state = expect_context::<TraceState>();
    let links = link_trace(state.model.spans());
    let layout = layout_graph(&links, &LayoutOptions { layer_gap: 200.0, node_gap: 56.0, ..LayoutOptions::default() });
    let pad = 40.0;
    let view_box = format!("{} {} {} {}", -pad * 2.0, -pad, layout.width + pad * 4.0, layout.height + pad * 2.0);
    let edges = layout
        .edges
        .iter()
        .map(|e| {
            let d = e
                .points
                .iter()
                .enumerate()
                .map(|(i, (x, y))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { " L" }))
                .collect::<String>();
            let title = format!(
                "{} → {}: {} call{}{}",
                layout.nodes.get(e.from as usize).map_or("", |n| n.name.as_str()),
                layout.nodes.get(e.to as usize).map_or("", |n| n.name.as_str()),
                e.call_count,
                if e.call_count == 1 { "" } else { "s" },
                if e.error_count > 0 { format!(", {} error(s)", e.error_count) } else { String::new() }
            );
            view! { <path d=d class="graph-edge" class:has-errors={e.error_count > 0} marker-end="url(#trace-graph-arrow)"><title>{title}</title></path> }
        })
        .collect_view();
    let nodes = layout
        .nodes
        .iter()
        .map(|n| {
            view! {
                <g class="graph-node" transform=format!("translate({:.1},{:.1})", n.x, n.y)>
                    <circle r="8"></circle>
                    <text y="-14" text-anchor="middle">{n.name.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let table = links
        .iter()
        .map(|l| view! { <tr><td>{l.parent.clone()}</td><td>{l.child.clone()}</td><td>{l.call_count}</td><td>{l.error_count}</td></tr> })
        .collect_view();
    view! {
        <section class="analysis-panel" aria-label="Service graph">
            {if links.is_empty() {
                view! { <p>"This trace has no calls between services."</p> }.into_any()
            } else {
                view! {
                    <svg class="trace-graph" viewBox=view_box role="img" aria-label="Service graph of this trace">
                        <defs>
                            <marker id="trace-graph-arrow" viewBox="0 0 10 10" refX="18" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
                                <path d="M 0 0 L 10 5 L 0 10 z" class="graph-arrow"></path>
                            </marker>
                        </defs>
                        {edges}
                        {nodes}
                    </svg>
                }.into_any()
            }}
            <table class="stats-table" aria-label="Calls between services in this trace">
                <thead><tr><th scope="col">"Caller"</th><th scope="col">"Callee"</th><th scope="col">"Calls"</th><th scope="col">"Errors"</th></tr></thead>
                <tbody>{table}</tbody>
            </table>
        </section>
    }
}
