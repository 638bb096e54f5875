//! The waterfall: an ARIA treegrid of span rows on a time axis, virtualised so the DOM holds only
//! the rows in view (plus a small overscan) whatever the trace size. Rows are absolutely
//! positioned in a spacer as tall as all visible rows; scrolling changes which slice is drawn.
//! Keyboard: ↑/↓ move, ←/→ collapse/expand (or go to parent/child), Home/End.
use super::state::TraceState;
use crate::ui::browser::{mark, on_next_frame};
use crate::ui::shared::Shared;
use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::custom_attribute;
use leptos::tachys::view::add_attr::AddAnyAttr;
use spanscope_domain::annotation_markers::group_markers;
use spanscope_domain::rows::{Connector, VisibleRow};
use spanscope_domain::time_scale::{format_duration, TimeScale};
use spanscope_domain::trace_model::ErrorKind;
use spanscope_domain::waterfall_view::{position_of, slice_window};
use std::collections::HashMap;

/// Fixed row height in px (virtualisation needs it; matches `--row-height` in style/trace.css).
const ROW_PX: f64 = 24.0;
/// Rows drawn above and below the viewport.
const OVERSCAN: usize = 12;
/// Annotation markers closer than this many pixels are grouped.
const MARKER_GAP_PX: f64 = 6.0;
/// Number of service colours in the palette (`--svc-0` … in style/trace.css).
const PALETTE: u32 = 12;

/// Everything one drawn row depends on; a change re-renders just that row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct RowItem {
    pos: u32,
    row: VisibleRow,
    selected: bool,
    matched: bool,
    critical: bool,
    /// The zoom window as f64 bits, so a zoom redraws the bars.
    zoom: (u64, u64),
}

/// Critical-path sections by row, built once per path for the rows to draw.
#[derive(Clone, Copy)]
struct CriticalSections(Memo<Option<Shared<HashMap<u32, Vec<(u64, u64)>>>>>);

/// The timeline column's width in px, measured by the waterfall for its rows.
#[derive(Clone, Copy)]
struct TimelineWidth(RwSignal<f64>);

#[component]
pub fn Waterfall() -> impl IntoView {
    let state = expect_context::<TraceState>();
    let scroller = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(600.0f64);
    let timeline_px = RwSignal::new(800.0f64);
    let axis = NodeRef::<leptos::html::Div>::new();
    provide_context(TimelineWidth(timeline_px));

    let s = state.clone();
    let zoom = Memo::new(move |_| s.zoom.get().unwrap_or((0.0, 1.0)));
    let s = state.clone();
    let critical_sections = Memo::new(move |_| {
        s.critical.get().map(|c| {
            let mut by_row: HashMap<u32, Vec<(u64, u64)>> = HashMap::new();
            for sec in &c.sections {
                by_row.entry(sec.row).or_default().push((sec.start, sec.end));
            }
            Shared::new(by_row)
        })
    });
    provide_context(CriticalSections(critical_sections));
    let s = state.clone();
    let slice = Memo::new(move |_| {
        let visible = s.visible.get();
        let range = slice_window(scroll_top.get(), viewport.get(), ROW_PX, visible.rows.len(), OVERSCAN);
        let selected = s.selected_row.get();
        let matches = s.matches.get();
        let critical = critical_sections.get();
        let (z0, z1) = zoom.get();
        visible.rows[range.clone()]
            .iter()
            .enumerate()
            .map(|(k, row)| RowItem {
                pos: (range.start + k) as u32,
                row: *row,
                selected: selected == Some(row.row),
                matched: matches.binary_search(&row.row).is_ok(),
                critical: critical.as_ref().is_some_and(|c| c.contains_key(&row.row)),
                zoom: (z0.to_bits(), z1.to_bits()),
            })
            .collect::<Vec<_>>()
    });

    // Measure the viewport now and whenever the window resizes.
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            viewport.set(el.client_height() as f64);
        }
        if let Some(el) = axis.get_untracked() {
            timeline_px.set((el.client_width() as f64).max(1.0));
        }
    };
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    // Scroll a requested row into view (selection, find, errors, deep links).
    let s = state.clone();
    Effect::new(move |_| {
        let Some(row) = s.scroll_to.get() else { return };
        let Some(pos) = s.visible.with(|v| position_of(v, row)) else { return };
        if let Some(el) = scroller.get_untracked() {
            let top = pos as f64 * ROW_PX;
            let (view_top, view_h) = (el.scroll_top() as f64, el.client_height() as f64);
            if top < view_top || top + ROW_PX > view_top + view_h {
                el.set_scroll_top((top - view_h / 3.0).max(0.0) as i32);
                scroll_top.set(el.scroll_top() as f64);
            }
        }
        s.scroll_to.set(None);
    });

    // First paint: measure, honour a deep-linked span, and mark the moment rows are on screen.
    let s = state.clone();
    Effect::new(move |first: Option<()>| {
        if first.is_none() {
            measure();
            if let Some(row) = s.selected_row.get_untracked() {
                s.scroll_to.set(Some(row));
            }
            on_next_frame(|| mark("spanscope:trace:rows-painted"));
        }
    });

    let s = state.clone();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let visible = s.visible.get_untracked();
        let rows = &visible.rows;
        if rows.is_empty() {
            return;
        }
        let current = s.selected_row.get_untracked().and_then(|r| position_of(&visible, r));
        let last = rows.len() - 1;
        let target = match ev.key().as_str() {
            "ArrowDown" => Some(current.map_or(0, |p| (p + 1).min(last))),
            "ArrowUp" => Some(current.map_or(0, |p| p.saturating_sub(1))),
            "Home" => Some(0),
            "End" => Some(last),
            "ArrowRight" => current.and_then(|p| {
                let r = rows[p];
                if r.has_children && r.collapsed {
                    s.set_collapsed(r.row, false);
                    None
                } else if r.has_children {
                    Some((p + 1).min(last))
                } else {
                    None
                }
            }),
            "ArrowLeft" => current.and_then(|p| {
                let r = rows[p];
                if r.has_children && !r.collapsed {
                    s.set_collapsed(r.row, true);
                    None
                } else {
                    let parent = s.model.row(r.row).map(|m| m.parent)?;
                    position_of(&visible, parent)
                }
            }),
            "Enter" | " " => {
                if let Some(p) = current {
                    if rows[p].has_children {
                        s.toggle(rows[p].row);
                    }
                }
                None
            }
            _ => return,
        };
        ev.prevent_default();
        if let Some(p) = target {
            s.select(rows[p].row);
        }
    };

    let s = state.clone();
    let ticks = move || {
        let visible = s.visible.get();
        let (z0, z1) = zoom.get();
        let dur = visible.duration as f64;
        let scale = TimeScale::new(dur * z0, dur * (z1 - z0), timeline_px.get());
        scale
            .ticks(8)
            .into_iter()
            .map(|t| {
                let left = format!("{:.3}%", t.px / timeline_px.get_untracked().max(1.0) * 100.0);
                view! { <span class="tick" style:left=left>{format_duration(dur * z0 + t.offset_us)}</span> }
            })
            .collect_view()
    };
    let s = state.clone();
    let total_height = move || format!("{}px", s.visible.with(|v| v.rows.len()) as f64 * ROW_PX);
    let s = state.clone();
    let row_count = move || s.visible.with(|v| v.rows.len());
    let s = state.clone();
    let active = move || s.selected_row.get().map(|r| format!("wf-row-{r}"));

    view! {
        <div class="waterfall-wrap">
            <div class="waterfall-axis" aria-hidden="true">
                <div class="wf-label-col">"Service: span"</div>
                <div class="wf-ticks" node_ref=axis>{ticks}</div>
            </div>
            <div class="waterfall" role="treegrid" aria-label="Waterfall" tabindex="0"
                aria-rowcount=row_count aria-activedescendant=active
                node_ref=scroller
                on:scroll=move |_| if let Some(el) = scroller.get_untracked() { scroll_top.set(el.scroll_top() as f64) }
                on:keydown=on_key>
                <div class="wf-spacer" role="presentation" style:height=total_height>
                    <For each=move || slice.get() key=|item| item.clone() let:item>
                        <WaterfallRow item/>
                    </For>
                </div>
            </div>
        </div>
    }
}

#[component]
fn WaterfallRow(item: RowItem) -> impl IntoView {
    let state = expect_context::<TraceState>();
    let model = &state.model;
    let RowItem { pos, row: vr, selected, matched, critical, zoom } = item;
    let (z0, z1) = (f64::from_bits(zoom.0), f64::from_bits(zoom.1));
    let window = state.visible.with_untracked(|v| (v.start, v.duration.max(1)));
    let span_frac = |offset: u64| (offset as f64 / window.1 as f64 - z0) / (z1 - z0).max(1e-9);
    let left = span_frac(vr.offset).clamp(0.0, 1.0);
    let right = span_frac(vr.offset.saturating_add(vr.duration)).clamp(0.0, 1.0);
    let service = model.row_service_name(vr.row).to_string();
    let name = model.row_name(vr.row).to_string();
    let duration = format_duration(vr.duration as f64);
    let error = match vr.error {
        ErrorKind::Critical => ", error",
        ErrorKind::Transient => ", recovered error",
        ErrorKind::None => "",
    };
    let on_path = if critical { ", on the critical path" } else { "" };
    let label = format!("{service}: {name}, {duration}{error}{on_path}");
    let colour = if vr.color == u32::MAX { "svc-none".to_string() } else { format!("svc-{}", vr.color % PALETTE) };

    // Annotation markers of the row's spans, grouped so they never overlap.
    let skew = state.skew.get_untracked();
    let mut notes: Vec<(f64, String)> = Vec::new();
    for &si in model.row_spans(vr.row) {
        if let Some(span) = model.span(si) {
            for a in &span.annotations {
                let at = model.annotation_time(si, a.timestamp, skew).saturating_sub(window.0);
                notes.push((span_frac(at), format!("{} at +{}", a.value, format_duration(at as f64))));
            }
        }
    }
    let positions: Vec<f64> = notes.iter().map(|(p, _)| *p).collect();
    let gap = MARKER_GAP_PX / expect_context::<TimelineWidth>().0.get_untracked().max(1.0) * (z1 - z0);
    let markers = group_markers(&positions, gap)
        .into_iter()
        .filter(|g| (0.0..=1.0).contains(&g.at))
        .map(|g| {
            let title =
                g.members.iter().filter_map(|&i| notes.get(i).map(|n| n.1.clone())).collect::<Vec<_>>().join("\n");
            let class = if g.members.len() > 1 { "wf-marker grouped" } else { "wf-marker" };
            view! { <span class=class style:left=format!("{:.3}%", g.at * 100.0) title=title></span> }
        })
        .collect_view();

    // The row's stretches of the critical path, from the per-row index the waterfall built once.
    let critical_segments = critical.then(|| {
        let sections = expect_context::<CriticalSections>().0.get_untracked();
        sections
            .as_ref()
            .and_then(|by_row| by_row.get(&vr.row).cloned())
            .unwrap_or_default()
            .into_iter()
            .map(|(start, end)| {
                let a = span_frac(start.saturating_sub(window.0)).clamp(0.0, 1.0);
                let b = span_frac(end.saturating_sub(window.0)).clamp(0.0, 1.0);
                view! { <span class="wf-critical" style:left=format!("{:.3}%", a * 100.0)
                style:width=format!("{:.3}%", (b - a) * 100.0)></span> }
            })
            .collect_view()
    });

    let s = state.clone();
    let row = vr.row;
    let toggle = move |ev: leptos::ev::MouseEvent| {
        ev.stop_propagation();
        s.toggle(row);
    };
    let s = state.clone();
    let connector = match vr.connector {
        Connector::None => "",
        Connector::Tee => "conn-tee",
        Connector::Elbow => "conn-elbow",
    };
    let flags = [
        (selected, " selected"),
        (matched, " matched"),
        (critical, " critical"),
        (vr.error == ErrorKind::Critical, " error"),
        (vr.error == ErrorKind::Transient, " recovered"),
        (!vr.has_timestamp, " untimed"),
    ];
    let row_class = flags.iter().filter(|(on, _)| *on).fold("wf-row".to_string(), |c, (_, name)| c + name);
    let in_view = right > 0.0 && left < 1.0 || vr.duration == 0;
    let bar_width = ((right - left) * 100.0).max(0.0);
    let label_on_left = left > 0.75;
    view! {
        <div role="row" id=format!("wf-row-{row}") class=row_class
            style:top=format!("{}px", pos as f64 * ROW_PX)
            aria-rowindex=(pos + 1).to_string()
            aria-expanded=vr.has_children.then(|| if vr.collapsed { "false" } else { "true" })
            aria-selected=if selected { "true" } else { "false" }
            aria-label=label
            on:click=move |_| s.select(row)>
            <div role="gridcell" class=format!("wf-label {connector}") style:padding-left=format!("{}px", vr.depth * 14 + 4)>
                {vr.has_children.then(|| view! {
                    <button type="button" class="wf-toggle" tabindex="-1"
                        aria-label=if vr.collapsed { "Expand" } else { "Collapse" } on:click=toggle>
                        {if vr.collapsed { "▸" } else { "▾" }}
                    </button>
                })}
                <span class=format!("wf-swatch {colour}") aria-hidden="true"></span>
                <span class="wf-service">{service}</span>
                <span class="wf-name">{name}</span>
            </div>
            <div role="gridcell" class="wf-timeline">
                {in_view.then(|| view! {
                    <span class=format!("wf-bar {colour}") style:left=format!("{:.3}%", left * 100.0)
                        style:width=format!("max({:.3}%, 2px)", bar_width)>{critical_segments}</span>
                })}
                {markers}
                <span class="wf-duration" class:left=label_on_left
                    style:left=if label_on_left { format!("calc({:.3}% - 4px)", left * 100.0) } else { format!("calc({:.3}% + 4px)", right * 100.0) }>
                    {duration.clone()}
                </span>
            </div>
        </div>
    }
    // tachys has no typed `aria-level` attribute, so it is added as a custom one.
    .add_any_attr(custom_attribute("aria-level", (vr.depth + 1).to_string()))
}
