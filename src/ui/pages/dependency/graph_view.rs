//! The graph's frame and its interactions, shared by both renderers: drag to pan, wheel to zoom,
//! arrows / + / - / 0 on the keyboard, zoom and fit buttons, hover and click resolved by the
//! domain's hit-test. Small graphs paint as SVG, big ones on a canvas (`Scene::wants_canvas`).
use super::canvas_graph::CanvasGraph;
use super::dom::{element_size, on_wheel};
use super::svg_graph::SvgGraph;
use crate::api::config::Config;
use crate::ui::shared::Shared;
use leptos::html::Div;
use leptos::prelude::*;
use spanscope_domain::dependency_graph::scene::{Highlight, Hit, Scene};
use spanscope_domain::dependency_graph::table::format_percent;
use spanscope_domain::dependency_graph::view_state::Selection;
use spanscope_domain::dependency_graph::viewport::{Viewport, ZOOM_STEP};
use std::sync::Arc;

/// Pixels the pointer may move between press and release and still count as a click.
const CLICK_SLOP: f64 = 4.0;
/// Pixels around a node or edge that still hit it.
const HIT_SLOP: f64 = 4.0;
/// Pixels one arrow key pans.
const KEY_PAN: f64 = 60.0;
/// Pixels kept free around the graph when fitting.
const FIT_MARGIN: f64 = 24.0;

/// A press in progress: where it started and where the pointer last was.
#[derive(Clone, Copy)]
struct Drag {
    start: (f64, f64),
    last: (f64, f64),
    moved: bool,
}

#[component]
pub fn GraphView(
    scene: Memo<Shared<Scene>>,
    hover: RwSignal<Selection>,
    selected: Memo<Option<Hit>>,
    select: Callback<Selection>,
    on_drawn: Callback<()>,
    /// What the graph shows; the frame's accessible name starts with it.
    #[prop(default = "Dependency graph")]
    name: &'static str,
) -> impl IntoView {
    let config = expect_context::<Arc<Config>>();
    let (low, high) = (config.dependency.low_error_rate, config.dependency.high_error_rate);
    // What is lit: the hovered service or link, else the selected one. Hover is kept by name, so it stays
    // meaningful when the scene changes under the pointer.
    let highlight = Memo::new(move |_| {
        scene.with(|sc| {
            let hovered = hover.with(|h| sc.find(h));
            Shared::new(sc.highlight(hovered.or_else(|| selected.get())))
        })
    });
    let highlight: Memo<Shared<Highlight>> = highlight;
    let frame = NodeRef::<Div>::new();
    let size = element_size(frame);
    // The person's pan/zoom, for the scene it was made on; a new scene starts fitted.
    let moved_view = RwSignal::new(None::<(usize, Viewport)>);
    let viewport = Memo::new(move |_| {
        let id = scene.with(|s| s.id());
        match moved_view.get() {
            Some((for_scene, v)) if for_scene == id => v,
            _ => {
                let (w, h) = size.get();
                scene.with(|s| Viewport::fit(s.bounds, w, h, FIT_MARGIN))
            }
        }
    });
    let set_view = move |v: Viewport| moved_view.set(Some((scene.with_untracked(|s| s.id()), v)));
    let drag = StoredValue::new(None::<Drag>);
    let local_point = move |x: f64, y: f64| -> (f64, f64) {
        frame.get_untracked().map_or((x, y), |el| {
            let r = el.get_bounding_client_rect();
            (x - r.left(), y - r.top())
        })
    };
    let hit_at = move |sx: f64, sy: f64| -> Option<Hit> {
        let v = viewport.get_untracked();
        let (wx, wy) = v.to_world(sx, sy);
        scene.with_untracked(|s| s.hit_test(wx, wy, HIT_SLOP / v.scale))
    };
    let selection_at = move |sx: f64, sy: f64| -> Selection {
        hit_at(sx, sy).map_or(Selection::None, |hit| scene.with_untracked(|s| s.selection_of(hit)))
    };

    on_wheel(frame, move |ev| {
        ev.prevent_default();
        // Line- and page-based deltas (Firefox, some mice) in pixels, roughly.
        let unit = match ev.delta_mode() {
            1 => 33.0,
            2 => 400.0,
            _ => 1.0,
        };
        let (sx, sy) = local_point(ev.client_x() as f64, ev.client_y() as f64);
        set_view(viewport.get_untracked().zoomed_at(sx, sy, Viewport::wheel_factor(ev.delta_y() * unit)));
    });

    let on_pointerdown = move |ev: leptos::ev::PointerEvent| {
        if ev.button() != 0 {
            return;
        }
        let p = local_point(ev.client_x() as f64, ev.client_y() as f64);
        drag.set_value(Some(Drag { start: p, last: p, moved: false }));
        if let Some(el) = frame.get_untracked() {
            let _ = el.set_pointer_capture(ev.pointer_id());
        }
    };
    let on_pointermove = move |ev: leptos::ev::PointerEvent| {
        let p = local_point(ev.client_x() as f64, ev.client_y() as f64);
        match drag.get_value() {
            Some(mut d) => {
                let far = (p.0 - d.start.0).hypot(p.1 - d.start.1) > CLICK_SLOP;
                if d.moved || far {
                    set_view(viewport.get_untracked().panned(p.0 - d.last.0, p.1 - d.last.1));
                    d.moved = true;
                }
                d.last = p;
                drag.set_value(Some(d));
            }
            None => {
                let under = selection_at(p.0, p.1);
                if hover.with_untracked(|h| *h != under) {
                    hover.set(under);
                }
            }
        }
    };
    let on_pointerup = move |ev: leptos::ev::PointerEvent| {
        let Some(d) = drag.get_value() else { return };
        drag.set_value(None);
        if let Some(el) = frame.get_untracked() {
            let _ = el.release_pointer_capture(ev.pointer_id());
        }
        if !d.moved {
            let p = local_point(ev.client_x() as f64, ev.client_y() as f64);
            select.run(selection_at(p.0, p.1));
        }
    };
    let zoom_by = move |factor: f64| {
        let (w, h) = size.get_untracked();
        set_view(viewport.get_untracked().zoomed_at(w / 2.0, h / 2.0, factor));
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let v = viewport.get_untracked();
        let handled = match ev.key().as_str() {
            "ArrowLeft" => Some(v.panned(KEY_PAN, 0.0)),
            "ArrowRight" => Some(v.panned(-KEY_PAN, 0.0)),
            "ArrowUp" => Some(v.panned(0.0, KEY_PAN)),
            "ArrowDown" => Some(v.panned(0.0, -KEY_PAN)),
            "+" | "=" => {
                zoom_by(ZOOM_STEP);
                None
            }
            "-" | "_" => {
                zoom_by(1.0 / ZOOM_STEP);
                None
            }
            "0" | "f" => {
                moved_view.set(None);
                None
            }
            "Escape" => {
                select.run(Selection::None);
                None
            }
            _ => return,
        };
        ev.prevent_default();
        if let Some(v) = handled {
            set_view(v);
        }
    };
    let wants_canvas = Memo::new(move |_| scene.with(|s| s.wants_canvas()));
    let cursor = move || {
        if hover.with(|h| *h != Selection::None) {
            "dep-frame pointing"
        } else {
            "dep-frame"
        }
    };
    let zoom_text = move || format!("{:.0}%", viewport.get().scale * 100.0);

    view! {
        <div class="dep-graph">
            <div class="dep-graph-tools" role="toolbar" aria-label="Graph view">
                <button type="button" on:click=move |_| zoom_by(ZOOM_STEP) aria-label="Zoom in" title="Zoom in (+)">"+"</button>
                <button type="button" on:click=move |_| zoom_by(1.0 / ZOOM_STEP) aria-label="Zoom out" title="Zoom out (−)">"−"</button>
                <button type="button" on:click=move |_| moved_view.set(None) title="Fit to screen (0)">"Fit to screen"</button>
                <span class="dep-zoom" aria-label="Zoom level">{zoom_text}</span>
                <span class="dep-legend">
                    <span class="dep-key dep-key-normal"></span>
                    "calls"
                    <span class="dep-key dep-key-warning"></span>
                    {format!("≥ {} errors", format_percent(low))}
                    <span class="dep-key dep-key-danger"></span>
                    {format!("≥ {} errors", format_percent(high))}
                </span>
            </div>
            <div
                class=cursor
                node_ref=frame
                tabindex="0"
                role="application"
                aria-roledescription="dependency graph"
                aria-label=format!("{name}. Drag or arrow keys to pan, wheel or plus and minus to zoom, 0 to fit.")
                on:pointerdown=on_pointerdown
                on:pointermove=on_pointermove
                on:pointerup=on_pointerup
                on:pointercancel=move |_| drag.set_value(None)
                on:pointerleave=move |_| {
                    if drag.get_value().is_none() {
                        hover.set(Selection::None);
                    }
                }
                on:keydown=on_keydown
            >
                {move || {
                    if wants_canvas.get() {
                        view! { <CanvasGraph scene highlight viewport size selected on_drawn/> }.into_any()
                    } else {
                        view! { <SvgGraph scene highlight viewport size selected hover select on_drawn/> }.into_any()
                    }
                }}
            </div>
        </div>
    }
}
