//! The minimap: the whole trace drawn on a canvas (one thin bar per row, coloured by service),
//! with the zoom window over it. Drag across it to zoom the waterfall into a time window; the
//! zoom lives in the URL. Keyboard: `+`/`-` zoom around the centre, ←/→ pan, `0` resets.
//! The window arithmetic and the bars' places are `domain::minimap_window`; this draws them.
use super::palette::{colour_of, service_colours};
use super::state::TraceState;
use leptos::prelude::*;
use spanscope_domain::minimap_window::{
    drag_zoom, pointer_fraction, shown_window, zoom_by_key, MinimapCanvas, ZoomKey,
};
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

const HEIGHT_PX: f64 = 56.0;

#[component]
pub fn Minimap() -> impl IntoView {
    let state = expect_context::<TraceState>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let drag = RwSignal::new(None::<(f64, f64)>);

    let s = state.clone();
    Effect::new(move |_| {
        let skew = s.skew.get();
        let Some(canvas) = canvas.get() else { return };
        draw(&s, &canvas, skew);
    });

    let s = state.clone();
    let zoom = s.zoom;
    let frac_at = move |ev: &web_sys::MouseEvent| -> Option<f64> {
        let el = canvas.get_untracked()?;
        let rect = el.get_bounding_client_rect();
        Some(pointer_fraction(ev.client_x() as f64, rect.left(), rect.width()))
    };
    let on_down = move |ev: web_sys::MouseEvent| {
        if let Some(f) = frac_at(&ev) {
            drag.set(Some((f, f)));
        }
    };
    let moved = window_event_listener(leptos::ev::mousemove, move |ev| {
        if let (Some((a, _)), Some(f)) = (drag.get_untracked(), frac_at(&ev)) {
            drag.set(Some((a, f)));
        }
    });
    let s = state.clone();
    let released = window_event_listener(leptos::ev::mouseup, move |_| {
        if let Some((a, b)) = drag.get_untracked() {
            drag.set(None);
            if let Some(z) = drag_zoom(a, b) {
                s.update(|p| p.zoom = Some(z));
            }
        }
    });
    on_cleanup(move || {
        moved.remove();
        released.remove();
    });
    let s = state.clone();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let Some(key) = ZoomKey::from_key(&ev.key()) else { return };
        ev.prevent_default();
        let next = zoom_by_key(zoom.get_untracked(), key);
        s.update(|p| p.zoom = next);
    };
    let s = state.clone();
    let reset = move |_| s.update(|p| p.zoom = None);

    let window_box = move || {
        let (a, b) = shown_window(drag.get(), zoom.get());
        (format!("{:.3}%", a * 100.0), format!("{:.3}%", (b - a) * 100.0))
    };
    view! {
        <div class="minimap">
            <div class="minimap-canvas-wrap">
                <canvas node_ref=canvas role="img" tabindex="0" height=HEIGHT_PX.to_string()
                    aria-label="Minimap" aria-description="Drag to zoom the waterfall; + and - zoom, arrows pan, 0 resets"
                    on:mousedown=on_down on:keydown=on_key></canvas>
                <div class="minimap-window" aria-hidden="true"
                    style:left=move || window_box().0 style:width=move || window_box().1></div>
            </div>
            <button type="button" class="small" on:click=reset disabled=move || zoom.get().is_none()>"Reset zoom"</button>
        </div>
    }
}

/// Draws every row of the model as a thin bar; rows are squeezed into the canvas height.
fn draw(state: &TraceState, canvas: &web_sys::HtmlCanvasElement, skew: bool) {
    let width = (canvas.client_width().max(200)) as u32;
    canvas.set_width(width);
    let Ok(Some(ctx)) = canvas.get_context("2d") else { return };
    let Ok(ctx) = ctx.dyn_into::<CanvasRenderingContext2d>() else { return };
    let model = &state.model;
    let (start, end) = model.bounds(skew);
    let rows = model.rows();
    let (w, h) = (width as f64, HEIGHT_PX);
    ctx.clear_rect(0.0, 0.0, w, h);
    let colours = service_colours();
    let canvas = MinimapCanvas::new(end.saturating_sub(start), rows.len(), w, h);
    for (i, row) in rows.iter().enumerate() {
        let bar = canvas.bar(i, row.start_us(skew).saturating_sub(start), row.duration);
        ctx.set_fill_style_str(colour_of(&colours, row.service));
        ctx.fill_rect(bar.x, bar.y, bar.width, bar.height);
    }
}
