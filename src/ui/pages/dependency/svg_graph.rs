//! Paints a small scene as SVG: one element per edge and node, so services are focusable
//! buttons (Tab, Enter) and text is real text. Pan and zoom change one `transform`.
use super::dom::FrameScheduler;
use crate::ui::shared::Shared;
use leptos::prelude::*;
use spanscope_domain::dependency_graph::scene::{
    node_label, EdgeMark, Highlight, Hit, NodeMark, Scene, LABEL_GAP, LABEL_SIZE,
};
use spanscope_domain::dependency_graph::view_state::Selection;
use spanscope_domain::dependency_graph::viewport::Viewport;

/// SVG `points` of a polyline.
fn points(list: &[(f64, f64)]) -> String {
    list.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ")
}

fn node_class(mark: NodeMark, selected: bool) -> String {
    let mark = match mark {
        NodeMark::Plain => "",
        NodeMark::Dim => " dim",
        NodeMark::Focus => " focus",
        NodeMark::Caller => " caller",
        NodeMark::Callee => " callee",
        NodeMark::Both => " caller callee",
    };
    format!("dep-node{mark}{}", if selected { " selected" } else { "" })
}

fn edge_class(level: &str, mark: EdgeMark, selected: bool) -> String {
    let mark = match mark {
        EdgeMark::Plain => "",
        EdgeMark::Dim => " dim",
        EdgeMark::Incoming => " incoming",
        EdgeMark::Outgoing => " outgoing",
    };
    format!("dep-edge {level}{mark}{}", if selected { " selected" } else { "" })
}

#[component]
pub fn SvgGraph(
    scene: Memo<Shared<Scene>>,
    highlight: Memo<Shared<Highlight>>,
    viewport: Memo<Viewport>,
    size: ReadSignal<(f64, f64)>,
    selected: Memo<Option<Hit>>,
    hover: RwSignal<Selection>,
    select: Callback<Selection>,
    on_drawn: Callback<()>,
) -> impl IntoView {
    // Report the first paint once the browser has laid the elements out.
    let after_paint = StoredValue::new_local(FrameScheduler::new(move || on_drawn.run(())));
    Effect::new(move |_| {
        scene.track();
        after_paint.with_value(FrameScheduler::request);
    });
    let transform = move || {
        let v = viewport.get();
        format!("translate({:.2} {:.2}) scale({:.5})", v.offset_x, v.offset_y, v.scale)
    };
    let body = move || {
        let sc = scene.get();
        let edges = sc
            .edges
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let level = e.level.name();
                // The link's counts as a tooltip (and the edge's name to assistive technology).
                let label = sc.edge_label(i as u32).unwrap_or_default();
                let class = move || {
                    let mark = highlight.with(|h| h.edges.get(i).copied().unwrap_or(EdgeMark::Plain));
                    edge_class(level, mark, selected.get() == Some(Hit::Edge(i as u32)))
                };
                view! {
                    <g class=class>
                        <title>{label}</title>
                        <polyline points=points(&e.path) stroke-width=format!("{:.2}", e.width)></polyline>
                        <polygon points=points(&e.arrow)></polygon>
                    </g>
                }
            })
            .collect_view();
        let nodes = sc
            .layout
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let r = sc.radius.get(i).copied().unwrap_or(4.0);
                let name = n.name.clone();
                let class = move || {
                    let mark = highlight.with(|h| h.nodes.get(i).copied().unwrap_or(NodeMark::Plain));
                    node_class(mark, selected.get() == Some(Hit::Node(i as u32)))
                };
                let (for_key, for_focus) = (name.clone(), name.clone());
                view! {
                    <g
                        class=class
                        transform=format!("translate({:.1} {:.1})", n.x, n.y)
                        role="button"
                        tabindex="0"
                        aria-label=format!("Service {name}")
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                ev.stop_propagation();
                                select.run(Selection::Service(for_key.clone()));
                            }
                        }
                        on:focus=move |_| hover.set(Selection::Service(for_focus.clone()))
                        on:blur=move |_| hover.set(Selection::None)
                    >
                        <circle r=format!("{r:.1}")></circle>
                        <text y=format!("{:.1}", -(r + LABEL_GAP)) text-anchor="middle" font-size=LABEL_SIZE>
                            {node_label(&name).into_owned()}
                        </text>
                    </g>
                }
            })
            .collect_view();
        view! {
            <g class="dep-edges">{edges}</g>
            <g class="dep-nodes">{nodes}</g>
        }
    };
    view! {
        <svg
            class="dep-svg"
            width=move || size.get().0.max(1.0)
            height=move || size.get().1.max(1.0)
            role="group"
            aria-label="Services"
        >
            <g transform=transform>{body}</g>
        </svg>
    }
}
