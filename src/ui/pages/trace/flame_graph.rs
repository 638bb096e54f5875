//! The flame graph tab: `domain::flame_graph`'s boxes drawn on a canvas (colour by service, a dark
//! strip at the bottom of each box for its self time, labels cut to fit, spans the filters leave
//! out dimmed, the selected span outlined). Hover names the box; a click selects the span and zooms
//! into its subtree (the page's `focus`, shared with the waterfall), breadcrumbs go back, Escape
//! goes up one level. A list under the canvas names the widest boxes below the top, for screen
//! readers (and for tests, which cannot read a canvas).
use super::palette::{colour_of, service_colours};
use super::state::TraceState;
use crate::ui::shared::Shared;
use leptos::prelude::*;
use spanscope_domain::flame_graph::{
    box_label, breadcrumbs, fit_label, flame_layout, widest_at_depth, FlameHits, FlameLayout, FlameMode, FlameOptions,
};
use spanscope_domain::time_format::format_duration;
use wasm_bindgen::JsCast;
use web_sys::CanvasRenderingContext2d;

const LEVEL_PX: f64 = 20.0;
/// The label font's average advance (12px sans-serif), a little generous so labels never overflow.
const CHAR_PX: f64 = 7.0;
const PAD_PX: f64 = 3.0;
const SELF_STRIP_PX: f64 = 3.0;
/// How many of the widest boxes under the top the list names.
const LISTED: usize = 10;

#[component]
pub fn FlameGraph() -> impl IntoView {
    let state = expect_context::<TraceState>();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    let wrap = NodeRef::<leptos::html::Div>::new();
    let width = RwSignal::new(800.0f64);
    let hover = RwSignal::new(None::<usize>);

    let s = state.clone();
    let layout = Memo::new(move |_| {
        let mode = if s.flame_merged.get() { FlameMode::Aggregated } else { FlameMode::Timeline };
        let opts = FlameOptions { mode, focus: s.focus_row.get(), skew: s.skew.get() };
        let selfs = s.row_self_times.get();
        Shared::new(flame_layout(&s.model, &selfs, &opts))
    });
    // The hit index is built when the pointer first moves over a new layout.
    let hits = StoredValue::new(None::<(Shared<FlameLayout>, FlameHits)>);
    let box_at = move |ev: &web_sys::MouseEvent| -> Option<usize> {
        let el = canvas.get_untracked()?;
        let rect = el.get_bounding_client_rect();
        let l = layout.get_untracked();
        if hits.with_value(|h| h.as_ref().is_none_or(|(old, _)| *old != l)) {
            hits.set_value(Some((l.clone(), FlameHits::new(&l))));
        }
        let (x, y) = (ev.client_x() as f64 - rect.left(), ev.client_y() as f64 - rect.top());
        hits.with_value(|h| h.as_ref().and_then(|(_, index)| index.box_at_px(&l, x, y, rect.width(), LEVEL_PX)))
    };

    let measure = move || {
        if let Some(el) = wrap.get_untracked() {
            width.set((el.client_width() as f64).max(200.0));
        }
    };
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());
    Effect::new(move |first: Option<()>| {
        if first.is_none() {
            measure();
        }
    });

    let s = state.clone();
    Effect::new(move |_| {
        let l = layout.get();
        let w = width.get();
        let selected = s.selected_row.get();
        let filtered = s.filtered.get();
        let Some(canvas) = canvas.get() else { return };
        draw(&s, &canvas, &l, w, selected, &filtered);
    });

    let s = state.clone();
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(i) = box_at(&ev) else { return };
        let Some(b) = layout.get_untracked().boxes.get(i).copied() else { return };
        let key = s.model.row_key(b.row);
        s.select_and(b.row, |p| p.focus = key);
    };
    let on_move = move |ev: web_sys::MouseEvent| hover.set(box_at(&ev));
    let s = state.clone();
    let on_key = move |ev: web_sys::KeyboardEvent| {
        if ev.key() == "Escape" {
            if let Some(f) = s.focus_row.get_untracked() {
                ev.prevent_default();
                ev.stop_propagation();
                let up = s.model.row(f).and_then(|r| s.model.row_key(r.parent));
                s.update(|p| p.focus = up);
            }
        }
    };
    let s = state.clone();
    let tooltip = move || {
        let i = hover.get()?;
        let l = layout.get();
        let b = l.boxes.get(i)?;
        let count = if b.count > 1 { format!(" ({} spans)", b.count) } else { String::new() };
        Some(format!(
            "{}: {}{count}, {} (self {})",
            s.model.row_service_name(b.row),
            box_label(&s.model, b),
            format_duration(b.total as f64),
            format_duration(b.self_time as f64)
        ))
    };
    let s = state.clone();
    let crumbs = move || {
        let path = breadcrumbs(&s.model, s.focus_row.get());
        (!path.is_empty()).then(|| {
            let whole = { let s = s.clone(); move |_| s.update(|p| p.focus = None) };
            let items = path
                .into_iter()
                .map(|r| {
                    let s = s.clone();
                    let label = format!("{}: {}", s.model.row_service_name(r), s.model.row_name(r));
                    view! { <li><button type="button" class="link-like" on:click=move |_| { let key = s.model.row_key(r); s.update(|p| p.focus = key) }>{label}</button></li> }
                })
                .collect_view();
            view! {
                <nav class="flame-crumbs" aria-label="Flame graph zoom">
                    <ol><li><button type="button" class="link-like" on:click=whole>"Whole trace"</button></li>{items}</ol>
                </nav>
            }
        })
    };
    let s = state.clone();
    let widest = move || {
        let l = layout.get();
        widest_at_depth(&l, 1, LISTED)
            .into_iter()
            .map(|i| {
                let b = &l.boxes[i];
                let text = format!(
                    "{}: {}, {}",
                    s.model.row_service_name(b.row),
                    box_label(&s.model, b),
                    format_duration(b.total as f64)
                );
                view! { <li>{text}</li> }
            })
            .collect_view()
    };
    let s = state.clone();
    let merged = s.flame_merged;
    let height = move || (layout.with(|l| l.levels.max(1)) as f64 * LEVEL_PX).to_string();
    let summary = move || layout.with(|l| format!("Flame graph: {} boxes on {} levels", l.boxes.len(), l.levels));
    view! {
        <section class="flame-graph" aria-label="Flame graph">
            <div class="flame-tools">
                <label class="inline-label">
                    <input type="checkbox" prop:checked=move || merged.get()
                        on:change={ let s = state.clone(); move |ev| { let on = event_target_checked(&ev); s.update(|p| p.flame_merged = on) } }/>
                    " Merge by service and span name"
                </label>
                {crumbs}
                <span class="flame-hover" aria-live="polite">{tooltip}</span>
            </div>
            <div class="flame-canvas-wrap" node_ref=wrap>
                <canvas node_ref=canvas role="img" tabindex="0" aria-label=summary height=height
                    aria-description="Click a box to zoom into it; Escape zooms out"
                    on:click=on_click on:mousemove=on_move on:mouseleave=move |_| hover.set(None) on:keydown=on_key></canvas>
            </div>
            <h3 class="visually-hidden" id="flame-widest-title">"Widest below the top"</h3>
            <ol class="visually-hidden flame-widest" aria-labelledby="flame-widest-title">{widest}</ol>
        </section>
    }
}

fn draw(
    state: &TraceState,
    canvas: &web_sys::HtmlCanvasElement,
    layout: &FlameLayout,
    width: f64,
    selected: Option<u32>,
    filtered: &spanscope_domain::span_filter::FilterMatches,
) {
    let height = layout.levels.max(1) as f64 * LEVEL_PX;
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    let Ok(Some(ctx)) = canvas.get_context("2d") else { return };
    let Ok(ctx) = ctx.dyn_into::<CanvasRenderingContext2d>() else { return };
    ctx.clear_rect(0.0, 0.0, width, height);
    let colours = service_colours();
    ctx.set_font("12px sans-serif");
    ctx.set_text_baseline("middle");
    for b in &layout.boxes {
        let (x, w) = (b.x * width, (b.width * width).max(1.0));
        let y = b.depth as f64 * LEVEL_PX;
        ctx.set_global_alpha(if filtered.is_match(b.row) { 1.0 } else { 0.25 });
        ctx.set_fill_style_str(colour_of(&colours, b.service));
        ctx.fill_rect(x, y, w, LEVEL_PX - 1.0);
        if w > 2.0 {
            ctx.set_fill_style_str("rgba(0,0,0,0.45)");
            ctx.fill_rect(x, y + LEVEL_PX - 1.0 - SELF_STRIP_PX, w * b.self_share(), SELF_STRIP_PX);
        }
        // Only boxes with room for a char and `…` get a label (most of a big trace's boxes have none).
        let label = (w >= 2.0 * (PAD_PX + CHAR_PX)).then(|| fit_label(&box_label(&state.model, b), w, CHAR_PX, PAD_PX));
        if let Some(text) = label.flatten() {
            ctx.set_fill_style_str("#fff");
            let _ = ctx.fill_text(&text, x + PAD_PX, y + (LEVEL_PX - SELF_STRIP_PX) / 2.0);
        }
        if selected == Some(b.row) {
            ctx.set_stroke_style_str("#000");
            ctx.set_line_width(2.0);
            ctx.stroke_rect(x + 1.0, y + 1.0, (w - 2.0).max(1.0), LEVEL_PX - 3.0);
        }
    }
    ctx.set_global_alpha(1.0);
}
