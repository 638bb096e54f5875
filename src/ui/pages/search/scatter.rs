//! The scatter plot above the results: one dot per trace, duration over start time, errors in their
//! own colour; it follows the filters. Hovering a dot shows the trace, clicking opens it. The dots
//! are out of the tab order on purpose: the result table below is the keyboard route to the same
//! traces. Scales, ticks and dots come from `domain::scatter`; this only draws them.
use crate::ui::time_zone::{offset_minutes, TimeZone};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use spanscope_domain::scatter::{scatter, PlotFrame, Scatter};
use spanscope_domain::search_results::ResultSet;
use spanscope_domain::time_format::{format_axis_time, format_timestamp};
use spanscope_domain::time_scale::format_duration;
use spanscope_domain::trace_url::trace_path;
use std::fmt::Write;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The SVG's own coordinate system; it scales to the page width.
const FRAME: PlotFrame = PlotFrame { width: 1200.0, height: 200.0, left: 70.0, right: 20.0, top: 12.0, bottom: 28.0 };

/// The result index of the dot an event happened on.
fn dot_index(ev: &leptos::ev::MouseEvent) -> Option<u32> {
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    el.get_attribute("data-index")?.parse().ok()
}

/// The dots as one piece of SVG markup, with the result index of each dot in document order.
/// A thousand dots parsed natively from one string cost a few milliseconds; built one element and
/// attribute at a time through the DOM API they cost tens (most of the search page's first paint).
/// The markup holds only numbers and fixed words: the names in each dot's label come from spans
/// and are set as attribute text afterwards (`label_dots`), never parsed as markup.
/// The dots come in the domain's drawing order (errors last, on top); dots `hidden` by the
/// filters start out hidden.
fn dots_markup(plot: &Scatter, hidden: impl Fn(u32) -> bool) -> (String, Vec<u32>) {
    let mut markup = String::with_capacity(plot.points.len() * 100);
    let mut order = Vec::with_capacity(plot.points.len());
    for p in &plot.points {
        let class = match (p.error, hidden(p.index)) {
            (false, false) => "dot",
            (true, false) => "dot error",
            (false, true) => "dot filtered-out",
            (true, true) => "dot error filtered-out",
        };
        let _ = write!(
            markup,
            r#"<circle class="{class}" cx="{:.1}" cy="{:.1}" r="5" role="link" tabindex="-1" data-index="{}"/>"#,
            p.x, p.y, p.index
        );
        order.push(p.index);
    }
    (markup, order)
}

/// Names each dot (`order`: result index per dot, in document order) for screen readers and tests.
fn label_dots(layer: &web_sys::Element, set: &ResultSet, order: &[u32]) {
    let children = layer.children();
    for (position, &index) in order.iter().enumerate() {
        if let (Some(dot), Some(s)) = (children.item(position as u32), set.get(index)) {
            let label = format!("Plot: {}: {}, {}", s.root_service, s.root_name, format_duration(s.duration as f64));
            let _ = dot.set_attribute("aria-label", &label);
        }
    }
}

#[component]
pub fn ScatterPlot(set: Arc<ResultSet>, selection: Memo<Vec<u32>>, time_zone: RwSignal<TimeZone>) -> impl IntoView {
    // The plot is laid out once over every result, so its axes stay put while the filters change;
    // filtering only hides dots (a class toggle each), which keeps a filter keystroke cheap even
    // with 1,000 results.
    let geometry = Memo::new({
        let set = set.clone();
        move |_| {
            let zone = time_zone.get();
            let all: Vec<u32> = (0..set.len() as u32).collect();
            // Ticks align with the zone's round hours; the offset of the first start is close enough.
            let first = set.get(0).map_or(0, |s| s.start / 1_000);
            scatter(&set, &all, FRAME, offset_minutes(zone, first))
        }
    });
    let set_len = set.len();
    // Which results the filters keep, by result index.
    let kept = Memo::new(move |_| {
        selection.with(|ids| {
            let mut kept = vec![false; set_len];
            for &i in ids {
                if let Some(k) = kept.get_mut(i as usize) {
                    *k = true;
                }
            }
            kept
        })
    });
    let hovered = RwSignal::new(None::<u32>);
    let navigate = use_navigate();
    let on_click = {
        let set = set.clone();
        move |ev: leptos::ev::MouseEvent| {
            if let Some(s) = dot_index(&ev).and_then(|i| set.get(i)) {
                navigate(&trace_path(&s.trace_id), Default::default());
            }
        }
    };
    // Rebuilt only when the layout changes (time zone); the filters read at that moment decide
    // which dots start hidden, and the effect below keeps them in step afterwards.
    let dots = Memo::new(move |_| {
        geometry
            .with(|g| kept.with_untracked(|kept| dots_markup(g, |i| !kept.get(i as usize).copied().unwrap_or(false))))
    });
    let layer = NodeRef::<leptos::svg::G>::new();
    // Runs after the markup is in the page (effects follow rendering).
    Effect::new({
        let set = set.clone();
        move |_| {
            if let Some(layer) = layer.get() {
                dots.with(|(_, order)| label_dots(&layer, &set, order));
            }
        }
    });
    // A filter change toggles the class of the dots whose state changed, nothing else: a keystroke
    // costs a few DOM calls, not a thousand reactive updates.
    Effect::new(move |previous: Option<Vec<bool>>| {
        let now = kept.get();
        let Some(layer) = layer.get() else { return now };
        let Some(previous) = previous.filter(|p| p.len() == now.len()) else { return now };
        let children = layer.children();
        dots.with_untracked(|(_, order)| {
            for (position, &index) in order.iter().enumerate() {
                let (was, is) = (previous[index as usize], now[index as usize]);
                if was != is {
                    if let Some(dot) = children.item(position as u32) {
                        let _ = dot.class_list().toggle_with_force("filtered-out", !is);
                    }
                }
            }
        });
        now
    });
    let axes = move || {
        geometry.with(|g| {
            let zone = time_zone.get();
            let y = g
                .y_ticks
                .iter()
                .map(|t| {
                    let at = format!("{:.1}", t.at);
                    view! {
                        <line class="grid" x1=FRAME.left x2=FRAME.width - FRAME.right y1=at.clone() y2=at.clone()/>
                        <text class="tick" x=FRAME.left - 8.0 y=at text-anchor="end" dominant-baseline="middle">
                            {t.value.clone()}
                        </text>
                    }
                })
                .collect_view();
            let span = g.x_span_ms;
            let x = g
                .x_ticks
                .iter()
                .map(|t| {
                    let label = format_axis_time(t.value, offset_minutes(zone, t.value), span);
                    view! {
                        <text class="tick" x=format!("{:.1}", t.at) y=FRAME.height - 8.0 text-anchor="middle">{label}</text>
                    }
                })
                .collect_view();
            (y, x)
        })
    };
    let tip = {
        let set = set.clone();
        move || {
            let i = hovered.get()?;
            let s = set.get(i)?;
            let p = geometry.with(|g| g.points.iter().find(|p| p.index == i).copied())?;
            let start_ms = s.start / 1_000;
            let when = format_timestamp(start_ms, offset_minutes(time_zone.get(), start_ms));
            let (x, y) = FRAME.share(p.x, p.y);
            let (left, top) = (format!("{:.2}%", x * 100.0), format!("{:.2}%", y * 100.0));
            let errors = (s.error_count > 0).then(|| format!(", {} errors", s.error_count));
            Some(view! {
                <div class="scatter-tip" role="tooltip" style:left=left style:top=top>
                    <strong>{s.root_service.clone()} ": " {s.root_name.clone()}</strong>
                    <span>{format_duration(s.duration as f64)} " · " {s.span_count} " spans" {errors}</span>
                    <span class="mono">{when}</span>
                    <span class="mono muted">{s.trace_id.clone()}</span>
                </div>
            })
        }
    };
    let view_box = format!("0 0 {} {}", FRAME.width, FRAME.height);
    view! {
        <section class="scatter" aria-label="Duration over start time">
            <svg
                viewBox=view_box
                preserveAspectRatio="xMidYMid meet"
                class="scatter-svg"
                on:click=on_click
                on:mouseover=move |ev| hovered.set(dot_index(&ev))
                on:mouseleave=move |_| hovered.set(None)
            >
                <line class="axis" x1=FRAME.left x2=FRAME.left y1=FRAME.top y2=FRAME.height - FRAME.bottom/>
                <line
                    class="axis"
                    x1=FRAME.left
                    x2=FRAME.width - FRAME.right
                    y1=FRAME.height - FRAME.bottom
                    y2=FRAME.height - FRAME.bottom
                />
                {axes}
                <g class="dots" node_ref=layer inner_html=move || dots.with(|(markup, _)| markup.clone())></g>
            </svg>
            {tip}
        </section>
    }
}
