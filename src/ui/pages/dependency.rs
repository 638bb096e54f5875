//! `/dependency`: the service dependency graph. The URL holds what is shown (range, filter, hops,
//! graph or table, selection; see `domain::dependency_graph::view_state`); the page fetches
//! the backend's dependency links once per range, lays the links out once per data set and focus, and
//! hands immutable scenes to the graph, table and side panel.
mod canvas_graph;
mod dom;
mod go;
mod graph_view;
mod link_table;
mod links_graph;
mod side_panel;
mod svg_graph;
mod toolbar;

use crate::api::backend::Backend;
use crate::api::config::Config;
use crate::api::error::ApiError;
use crate::api::http::LatestRequest;
use crate::ui::browser::{mark, now_ms};
use crate::ui::error_view::ErrorView;
use crate::ui::shared::Shared;
use go::Go;
use graph_view::GraphView;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use link_table::LinkTable;
use side_panel::SidePanel;
use spanscope_domain::dependency_graph::focus::{focus_links, service_names, Focused};
use spanscope_domain::dependency_graph::range::DependencyRange;
use spanscope_domain::dependency_graph::scene::Scene;
use spanscope_domain::dependency_graph::view_state::{parse_view, to_query, Selection, ViewMode, ViewState};
use spanscope_domain::dependency_links::{merge_links, DependencyLink};
use spanscope_domain::graph_layout::{layout_graph, LayoutOptions};
use std::sync::Arc;
use toolbar::{FocusBar, RangeBar};

pub use links_graph::LinksGraph;

/// Links of one range, as fetched.
#[derive(Clone)]
struct Fetched {
    links: Shared<Vec<DependencyLink>>,
    range: DependencyRange,
}

#[component]
pub fn DependencyPage() -> impl IntoView {
    let client = expect_context::<Backend>();
    let location = use_location();
    let state = Memo::new(move |_| parse_view(&location.search.get()));
    let navigate = use_navigate();
    let go: Go = Callback::new(move |(next, replace): (ViewState, bool)| {
        navigate(&format!("/dependency?{}", to_query(&next)), NavigateOptions { replace, ..Default::default() });
    });
    // Only the range (and Refresh) refetches; filter and selection changes reuse the data.
    let range = Memo::new(move |_| state.with(|s| s.range.clone()));
    let refresh = RwSignal::new(0u32);
    let latest = StoredValue::new_local(LatestRequest::default());
    let data = LocalResource::new(move || {
        let range = range.get();
        refresh.track();
        let client = client.clone();
        let controller = latest.with_value(LatestRequest::replace);
        async move {
            let links = client.dependencies(range.window(now_ms()), controller).await?;
            mark("spanscope:dependency:fetched");
            // Zipkin answers one link per pair; merging makes a proxy's or an old server's duplicates harmless.
            Ok::<_, ApiError>(Fetched { links: Shared::new(merge_links(links)), range })
        }
    });
    let retry = Callback::new(move |_: ()| refresh.update(|n| *n = n.wrapping_add(1)));

    view! {
        <section class="page dependency-page" aria-labelledby="dependency-title">
            <div class="dep-head">
                <h1 id="dependency-title">"Dependencies"</h1>
                <RangeBar state go on_refresh=retry/>
            </div>
            <Suspense fallback=|| view! { <p class="dep-progress" role="status">"Loading dependencies…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Err(error) => view! { <ErrorView error on_retry=retry/> }.into_any(),
                        Ok(fetched) if fetched.links.is_empty() => view! { <EmptyRange range=fetched.range state go/> }.into_any(),
                        Ok(fetched) => view! { <DependencyContent fetched state go/> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Nothing was called in the range: say which range, why that happens, and offer a wider one.
#[component]
fn EmptyRange(range: DependencyRange, state: Memo<ViewState>, go: Go) -> impl IntoView {
    // In the app-wide time zone, with the offset of the range's own start, not today's.
    let zone = crate::ui::time_zone::use_time_zone().get_untracked();
    let label = range.label(toolbar::range_offset(zone, range.window(now_ms()).start_ms));
    let wider = range.wider();
    let server = use_context::<Backend>().map_or("The server", |b| b.name());
    view! {
        <section class="dep-empty" role="status" aria-label="No dependencies">
            <h2>"No calls between services in this range"</h2>
            <p>{format!("{server} found no service-to-service calls in: {label}.")}</p>
            <p class="muted">
                "Links come from the traces stored for that window. Traces may be older or newer than the range, \
                 or the server may keep them only for a while. Widen the range or pick another."
            </p>
            {wider.map(|wider| {
                let text = format!("Widen to {}", wider.label(0).to_lowercase());
                view! {
                    <button type="button" class="primary" on:click=move |_| {
                        let mut next = state.get_untracked();
                        next.range = wider.clone();
                        go.run((next, false));
                    }>{text}</button>
                }
            })}
        </section>
    }
}

/// The focus bar, the graph or table, and the side panel for one fetched data set.
#[component]
fn DependencyContent(fetched: Fetched, state: Memo<ViewState>, go: Go) -> impl IntoView {
    let config = expect_context::<Arc<Config>>();
    let (low, high) = (config.dependency.low_error_rate, config.dependency.high_error_rate);
    let links = fetched.links.clone();
    let names = Shared::new(service_names(&links));

    let focus_key = Memo::new(move |_| state.with(|s| (s.filter.clone(), s.hops)));
    let focused = {
        let links = links.clone();
        Memo::new(move |_| focus_key.with(|(filter, hops)| Shared::new(focus_links(&links, filter, *hops))))
    };
    // The full graph is laid out once per data set; a focus that keeps every link reuses it.
    let full_scene = {
        let links = links.clone();
        Memo::new(move |_| {
            let scene = Scene::build(layout_graph(&links, &LayoutOptions::default()), low, high);
            mark("spanscope:dependency:laid-out");
            Shared::new(scene)
        })
    };
    let total = links.len();
    let scene = Memo::new(move |_| {
        let f: Shared<Focused> = focused.get();
        if f.links.len() == total {
            full_scene.get()
        } else {
            Shared::new(Scene::build(layout_graph(&f.links, &LayoutOptions::default()), low, high))
        }
    });

    let hover = RwSignal::new(Selection::None);
    let selected = Memo::new(move |_| scene.with(|sc| state.with(|s| sc.find(&s.selection))));
    let select = Callback::new(move |selection: Selection| {
        let mut next = state.get_untracked();
        next.selection = selection;
        go.run((next, true));
    });
    let drawn_once = StoredValue::new(false);
    let on_drawn = Callback::new(move |_: ()| {
        if !drawn_once.get_value() {
            drawn_once.set_value(true);
            mark("spanscope:dependency:drawn");
        }
    });
    let mode = Memo::new(move |_| state.with(|s| s.mode));
    let nothing_matches = Memo::new(move |_| focused.with(|f| f.links.is_empty()));
    let all_links = links.clone();

    view! {
        <FocusBar state go names focused total/>
        <div class="dep-body">
            <div class="dep-main">
                {move || {
                    if nothing_matches.get() {
                        let filter = state.with(|s| s.filter.clone());
                        view! {
                            <section class="dep-empty" role="status" aria-label="No matching service">
                                <p>{format!("No service in this range matches “{}”.", filter.trim())}</p>
                                <button type="button" on:click=move |_| {
                                    let mut next = state.get_untracked();
                                    next.filter.clear();
                                    go.run((next, true));
                                }>"Clear filter"</button>
                            </section>
                        }
                            .into_any()
                    } else if mode.get() == ViewMode::Table {
                        view! { <LinkTable focused state select/> }.into_any()
                    } else {
                        view! { <GraphView scene hover selected select on_drawn/> }.into_any()
                    }
                }}
            </div>
            <SidePanel links=all_links.clone() state select go/>
        </div>
    }
}
