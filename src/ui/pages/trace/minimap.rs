//! The minimap: the whole trace drawn on a canvas (one thin bar per row, coloured by service),
//! with the zoom window over it. Drag across it to zoom the waterfall into a time window; the
//! zoom lives in the URL. Keyboard: `+`/`-` zoom around the centre, ←/→ pan, `0` resets.
use super::state::TraceState;
use leptos::prelude::*;
use spanscope_domain::trace_url::normalize_zoom;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

const HEIGHT_PX: f64 = 56.0;
const PALETTE: u32 = 12;

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
        Some(((ev.client_x() as f64 - rect.left()) / rect.width().max(1.0)).clamp(0.0, 1.0))
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
            if let Some(z) = normalize_zoom(a, b) {
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
        let (a, b) = zoom.get_untracked().unwrap_or((0.0, 1.0));
        let (centre, half) = ((a + b) / 2.0, (b - a) / 2.0);
        let next = match ev.key().as_str() {
            "+" | "=" => normalize_zoom(centre - half / 2.0, centre + half / 2.0),
            "-" => normalize_zoom(centre - half * 2.0, centre + half * 2.0),
            "ArrowLeft" => {
                let d = (b - a) * 0.1;
                normalize_zoom((a - d).max(0.0), (b - d).max(b - a))
            }
            "ArrowRight" => {
                let d = (b - a) * 0.1;
                normalize_zoom((a + d).min(1.0 - (b - a)), (b + d).min(1.0))
            }
            "0" => None,
            _ => return,
        };
        ev.prevent_default();
        s.update(|p| p.zoom = next);
    };
    let s = state.clone();
    let reset = move |_| s.update(|p| p.zoom = None);

    let window_box = move || {
        let (a, b) = match drag.get() {
            Some((a, b)) => (a.min(b), a.max(b)),
            None => zoom.get().unwrap_or((0.0, 1.0)),
        };
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
    let duration = end.saturating_sub(start).max(1) as f64;
    let rows = model.rows();
    let (w, h) = (width as f64, HEIGHT_PX);
    ctx.clear_rect(0.0, 0.0, w, h);
    let style =
        web_sys::window().and_then(|win| win.get_computed_style(&document().document_element()?).ok().flatten());
    let colours: Vec<String> = (0..PALETTE)
        .map(|i| style.as_ref().and_then(|s| s.get_property_value(&format!("--svc-{i}")).ok()).unwrap_or_default())
        .map(|c| if c.trim().is_empty() { "#888".to_string() } else { c.trim().to_string() })
        .collect();
    let row_h = (h / rows.len().max(1) as f64).max(0.5);
    for (i, row) in rows.iter().enumerate() {
        let x = (row.start_us(skew).saturating_sub(start)) as f64 / duration * w;
        let bw = (row.duration as f64 / duration * w).max(1.0);
        let y = i as f64 / rows.len().max(1) as f64 * h;
        let colour = if row.service == u32::MAX { "#888" } else { &colours[(row.service % PALETTE) as usize] };
        ctx.set_fill_style_str(colour);
        ctx.fill_rect(x, y, bw, row_h.max(1.0));
    }
}
