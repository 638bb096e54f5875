//! A fixed set of links drawn by the dependency page's own scene, layout and [`GraphView`], with
//! hover and selection kept in the component instead of the URL: how another page (the trace
//! page's service graph) shows calls between services without a second drawing of its own.
use super::graph_view::GraphView;
use crate::api::config::Config;
use crate::ui::shared::Shared;
use leptos::prelude::*;
use spanscope_domain::dependency_graph::scene::Scene;
use spanscope_domain::dependency_graph::view_state::Selection;
use spanscope_domain::dependency_links::DependencyLink;
use spanscope_domain::graph_layout::{layout_graph, LayoutOptions};
use std::sync::Arc;

/// `name` starts the graph frame's accessible name (the dependency page's says "Dependency graph").
#[component]
pub fn LinksGraph(links: Vec<DependencyLink>, name: &'static str) -> impl IntoView {
    let config = expect_context::<Arc<Config>>();
    let (low, high) = (config.dependency.low_error_rate, config.dependency.high_error_rate);
    // The links never change, so the scene is built once and every read hands out the same one.
    let built = Shared::new(Scene::build(layout_graph(&links, &LayoutOptions::default()), low, high));
    let scene = Memo::new(move |_| built.clone());
    let hover = RwSignal::new(Selection::None);
    let chosen = RwSignal::new(Selection::None);
    let selected = Memo::new(move |_| scene.with(|sc| chosen.with(|s| sc.find(s))));
    let select = Callback::new(move |selection: Selection| chosen.set(selection));
    let on_drawn = Callback::new(|_: ()| {});
    view! { <GraphView scene hover selected select on_drawn name/> }
}
