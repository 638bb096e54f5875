//! The side panel: for a selected service, its callers and callees with calls, errors and error
//! rate, and "Find traces"; for a selected link, its calls and errors. Always from all fetched
//! links, so a filter never hides a caller from the numbers.
use super::go::Go;
use crate::api::config::Config;
use crate::ui::base_path::app_href;
use crate::ui::shared::Shared;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use spanscope_domain::dependency_graph::focus::{link_detail, service_detail, Peer};
use spanscope_domain::dependency_graph::style::{error_level, error_rate};
use spanscope_domain::dependency_graph::table::{format_count, format_percent};
use spanscope_domain::dependency_graph::view_state::{find_traces_query, Selection, ViewState};
use spanscope_domain::dependency_links::DependencyLink;
use std::sync::Arc;

#[component]
pub fn SidePanel(
    links: Shared<Vec<DependencyLink>>,
    state: Memo<ViewState>,
    select: Callback<Selection>,
    go: Go,
) -> impl IntoView {
    let selection = Memo::new(move |_| state.with(|s| s.selection.clone()));
    let navigate = use_navigate();
    // A backend that cannot search by remote service (Jaeger) finds the caller's traces instead.
    let by_remote =
        use_context::<crate::api::backend::Backend>().is_none_or(|b| b.capabilities().remote_service_filter);
    let find_traces = Callback::new(move |(service, remote): (String, Option<String>)| {
        let remote = remote.filter(|_| by_remote);
        let range = state.with_untracked(|s| s.range.clone());
        // Lens's search URL keeps the slash after the base (`/zipkin/?serviceName=`); the router
        // would drop it when resolving `/?…` against its base, so the full path is given as is.
        let href = app_href(&format!("/?{}", find_traces_query(&service, remote.as_deref(), &range)));
        navigate(&href, NavigateOptions { resolve: false, ..Default::default() });
    });
    let _ = go;
    view! {
        <aside class="dep-panel" role="complementary" aria-label="Details">
            {move || match selection.get() {
                Selection::None => view! {
                    <p class="muted">
                        "Select a service or a link (click it, or press Enter on it) to see its callers, callees, calls and errors."
                    </p>
                }
                    .into_any(),
                Selection::Service(name) => view! { <ServiceDetailView links=links.clone() name select find_traces/> }.into_any(),
                Selection::Link { parent, child } => {
                    view! { <LinkDetailView links=links.clone() parent child select find_traces/> }.into_any()
                }
            }}
        </aside>
    }
}

/// "12,345 calls, 12 errors (0.1%)".
fn calls_text(calls: u64, errors: u64) -> String {
    format!(
        "{} calls, {} errors ({})",
        format_count(calls),
        format_count(errors),
        format_percent(error_rate(calls, errors))
    )
}

#[component]
fn ServiceDetailView(
    links: Shared<Vec<DependencyLink>>,
    name: String,
    select: Callback<Selection>,
    find_traces: Callback<(String, Option<String>)>,
) -> impl IntoView {
    let Some(detail) = service_detail(&links, &name) else {
        return view! {
            <h2>{name.clone()}</h2>
            <p>"This service has no links in this range."</p>
            <button type="button" on:click=move |_| select.run(Selection::None)>"Clear selection"</button>
        }
        .into_any();
    };
    let service = name.clone();
    view! {
        <h2 class="dep-panel-title">{name.clone()}</h2>
        <p>{format!("In: {}", calls_text(detail.calls_in, detail.errors_in))}</p>
        <p>{format!("Out: {}", calls_text(detail.calls_out, detail.errors_out))}</p>
        <div class="dep-panel-actions">
            <button type="button" class="primary" on:click=move |_| find_traces.run((service.clone(), None))>
                "Find traces"
            </button>
            <button type="button" on:click=move |_| select.run(Selection::None)>"Clear selection"</button>
        </div>
        <PeerTable caption=format!("Callers of {name}") peers=detail.callers select/>
        <PeerTable caption=format!("Callees of {name}") peers=detail.callees select/>
    }
    .into_any()
}

#[component]
fn PeerTable(caption: String, peers: Vec<Peer>, select: Callback<Selection>) -> impl IntoView {
    let config = expect_context::<Arc<Config>>();
    let (low, high) = (config.dependency.low_error_rate, config.dependency.high_error_rate);
    let empty = peers.is_empty();
    view! {
        <table class="dep-peers" aria-label=caption.clone()>
            <caption>{format!("{caption} ({})", peers.len())}</caption>
            <thead>
                <tr>
                    <th scope="col">"Service"</th>
                    <th scope="col" class="num">"Calls"</th>
                    <th scope="col" class="num">"Errors"</th>
                    <th scope="col" class="num">"Error %"</th>
                </tr>
            </thead>
            <tbody>
                {empty.then(|| view! { <tr><td colspan="4" class="muted">"None"</td></tr> })}
                {peers
                    .into_iter()
                    .map(|p| {
                        let level = error_level(p.calls, p.errors, low, high).name();
                        let target = p.name.clone();
                        view! {
                            <tr class=format!("level-{level}")>
                                <th scope="row">
                                    <button
                                        type="button"
                                        class="dep-name"
                                        on:click=move |_| select.run(Selection::Service(target.clone()))
                                    >
                                        {p.name.clone()}
                                    </button>
                                </th>
                                <td class="num">{format_count(p.calls)}</td>
                                <td class="num">{format_count(p.errors)}</td>
                                <td class="num">{format_percent(p.error_rate())}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn LinkDetailView(
    links: Shared<Vec<DependencyLink>>,
    parent: String,
    child: String,
    select: Callback<Selection>,
    find_traces: Callback<(String, Option<String>)>,
) -> impl IntoView {
    let config = expect_context::<Arc<Config>>();
    let title = format!("{parent} → {child}");
    let Some(link) = link_detail(&links, &parent, &child) else {
        return view! {
            <h2>{title}</h2>
            <p>"This link has no calls in this range."</p>
            <button type="button" on:click=move |_| select.run(Selection::None)>"Clear selection"</button>
        }
        .into_any();
    };
    let level = error_level(
        link.call_count,
        link.error_count,
        config.dependency.low_error_rate,
        config.dependency.high_error_rate,
    );
    let (p1, p2, c1) = (parent.clone(), parent.clone(), child.clone());
    view! {
        <h2 class="dep-panel-title">{title}</h2>
        <dl class="dep-link-facts">
            <dt>"Calls"</dt>
            <dd>{format_count(link.call_count)}</dd>
            <dt>"Errors"</dt>
            <dd>{format_count(link.error_count)}</dd>
            <dt>"Error %"</dt>
            <dd class=format!("level-{}", level.name())>{format_percent(error_rate(link.call_count, link.error_count))}</dd>
        </dl>
        <div class="dep-panel-actions">
            <button type="button" class="primary" on:click=move |_| find_traces.run((p1.clone(), Some(child.clone())))>
                "Find traces"
            </button>
            <button type="button" on:click=move |_| select.run(Selection::Service(p2.clone()))>
                {format!("Show {parent}")}
            </button>
            <button type="button" on:click=move |_| select.run(Selection::Service(c1.clone()))>
                {format!("Show {}", c1)}
            </button>
        </div>
    }
    .into_any()
}
