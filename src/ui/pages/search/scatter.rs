//! The scatter plot above the results: one dot per trace, duration over start time, errors in their
//! own colour; it follows the filters. Hovering a dot shows the trace, clicking opens it. The dots
//! are out of the tab order on purpose: the result table below is the keyboard route to the same
//! traces. Geometry comes from `domain::search_results::scatter`; this only draws it.
use crate::domain::search_results::{scatter, PlotFrame, ResultSet};
use crate::domain::time_format::{format_axis_time, format_timestamp};
use crate::domain::time_scale::format_duration;
use crate::ui::time_zone::{offset_minutes, TimeZone};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The SVG's own coordinate system; it scales to the page width.
const FRAME: PlotFrame = PlotFrame { width: 1200.0, height: 200.0, left: 70.0, right: 20.0, top: 12.0, bottom: 28.0 };

/// The result index of the dot an event happened on.
fn dot_index(ev: &leptos::ev::MouseEvent) -> Option<u32> {
    let el = ev.target()?.dyn_into::<web_sys::Element>().ok()?;
    el.get_attribute("data-index")?.parse().ok()
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
    let shown =
        Memo::new(move |_| selection.with(|ids| ids.iter().copied().collect::<std::collections::HashSet<u32>>()));
    let hovered = RwSignal::new(None::<u32>);
    let navigate = use_navigate();
    let on_click = {
        let set = set.clone();
        move |ev: leptos::ev::MouseEvent| {
            if let Some(s) = dot_index(&ev).and_then(|i| set.get(i)) {
                navigate(&format!("/traces/{}", s.trace_id), Default::default());
            }
        }
    };
    let dots = {
        let set = set.clone();
        move || {
            geometry.with(|g| {
                // Errors drawn last so they stay visible on top of the others.
                let mut points = g.points.clone();
                points.sort_by_key(|p| p.error);
                points
                    .into_iter()
                    .filter_map(|p| {
                        let s = set.get(p.index)?;
                        let index = p.index;
                        let label = format!(
                            "Plot: {}: {}, {}",
                            s.root_service,
                            s.root_name,
                            format_duration(s.duration as f64)
                        );
                        Some(view! {
                            <circle
                                class="dot"
                                class:error=p.error
                                class:filtered-out=move || !shown.with(|v| v.contains(&index))
                                cx=format!("{:.1}", p.x)
                                cy=format!("{:.1}", p.y)
                                r="5"
                                role="link"
                                tabindex="-1"
                                aria-label=label
                                data-index=p.index
                            />
                        })
                    })
                    .collect_view()
            })
        }
    };
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
            let left = format!("{:.2}%", p.x / FRAME.width * 100.0);
            let top = format!("{:.2}%", p.y / FRAME.height * 100.0);
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
                {dots}
            </svg>
            {tip}
        </section>
    }
}
