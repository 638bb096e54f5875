//! The waterfall: an ARIA treegrid of span rows on a time axis, virtualised so the DOM holds only
//! the rows in view (plus a small overscan) whatever the trace size. Rows are absolutely
//! positioned in a spacer as tall as all visible rows; scrolling changes which slice is drawn.
//! Keyboard: ↑/↓ move, ←/→ collapse/expand (or go to parent/child), Page Up/Down, Home/End.
//! Geometry and key handling are `domain::{waterfall_geometry, row_navigation}`; this draws them.
use super::state::TraceState;
use crate::ui::browser::{mark, on_next_frame};
use crate::ui::shared::Shared;
use leptos::prelude::*;
use leptos::tachys::html::attribute::custom::custom_attribute;
use leptos::tachys::view::add_attr::AddAnyAttr;
use spanscope_domain::annotation_markers::group_markers;
use spanscope_domain::row_navigation::{navigate, rows_per_page, NavKey, RowMove};
use spanscope_domain::rows::{Connector, VisibleRow};
use spanscope_domain::service_palette;
use spanscope_domain::span_events::bar_marks;
use spanscope_domain::time_scale::format_duration;
use spanscope_domain::trace_model::ErrorKind;
use spanscope_domain::waterfall_geometry::{indent_px, on_timeline, px_share, Timeline};
use spanscope_domain::waterfall_view::{position_of, scroll_to_show, slice_window};
use std::collections::HashMap;

/// Fixed row height in px (virtualisation needs it; matches `--row-height` in style/trace.css).
const ROW_PX: f64 = 24.0;
/// Rows drawn above and below the viewport.
const OVERSCAN: usize = 12;
/// Annotation markers closer than this many pixels are grouped.
const MARKER_GAP_PX: f64 = 6.0;

/// Everything one drawn row depends on; a change re-renders just that row.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct RowItem {
    pos: u32,
    row: VisibleRow,
    selected: bool,
    matched: bool,
    /// Left out by the span filters (drawn faded).
    dimmed: bool,
    /// The folded run's summary ("×500, total 1.2s, p50 2ms"), or, on an opened run's first row,
    /// `Some("")` so it offers to fold again.
    fold: Option<String>,
    /// The row's stretches of the critical path (none when it is off the path or the path is off).
    critical: Vec<(u64, u64)>,
    /// The zoom window as f64 bits, so a zoom redraws the bars.
    zoom: (u64, u64),
    /// Skew correction, which moves annotation markers even where the bar stays.
    skew: bool,
    /// The timeline column's width in px as f64 bits, which decides which markers are grouped.
    timeline_px: u64,
}

#[component]
pub fn Waterfall() -> impl IntoView {
    let state = expect_context::<TraceState>();
    let scroller = NodeRef::<leptos::html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(600.0f64);
    let timeline_px = RwSignal::new(800.0f64);
    let axis = NodeRef::<leptos::html::Div>::new();

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
    let s = state.clone();
    let slice = Memo::new(move |_| {
        let visible = s.visible.get();
        let range = slice_window(scroll_top.get(), viewport.get(), ROW_PX, visible.rows.len(), OVERSCAN);
        let selected = s.selected_row.get();
        let matches = s.matches.get();
        let filtered = s.filtered.get();
        let fold_on = s.fold.get();
        let unfolded = s.unfolded.get();
        let critical = critical_sections.get();
        let (z0, z1) = zoom.get();
        let skew = s.skew.get();
        let timeline_px = timeline_px.get().to_bits();
        visible.rows[range.clone()]
            .iter()
            .enumerate()
            .map(|(k, row)| RowItem {
                pos: (range.start + k) as u32,
                row: *row,
                selected: selected == Some(row.row),
                matched: matches.binary_search(&row.row).is_ok(),
                dimmed: !filtered.is_match(row.row),
                fold: fold_on.then(|| s.runs.0.run_at(row.row)).flatten().map(|run| {
                    if unfolded.contains(&row.row) {
                        String::new()
                    } else {
                        run.label()
                    }
                }),
                critical: critical.as_ref().and_then(|c| c.get(&row.row).cloned()).unwrap_or_default(),
                zoom: (z0.to_bits(), z1.to_bits()),
                skew,
                timeline_px,
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
            if let Some(top) = scroll_to_show(pos, ROW_PX, el.scroll_top() as f64, el.client_height() as f64) {
                el.set_scroll_top(top as i32);
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
        let Some(key) = NavKey::from_key(&ev.key()) else { return };
        if visible.rows.is_empty() {
            return;
        }
        let current = s.selected_row.get_untracked().and_then(|r| position_of(&visible, r));
        let page = rows_per_page(viewport.get_untracked(), ROW_PX);
        ev.prevent_default();
        match navigate(&s.model, &visible.rows, current, key, page) {
            RowMove::Select(p) => s.select(visible.rows[p].row),
            RowMove::SetCollapsed(row, collapsed) => s.set_collapsed(row, collapsed),
            RowMove::Toggle(row) => s.toggle(row),
            RowMove::Stay => {}
        }
    };

    let s = state.clone();
    let ticks = move || {
        let timeline = s.visible.with(|v| Timeline::new(v.start, v.duration, zoom.get()));
        timeline
            .ticks(8)
            .into_iter()
            .map(|t| {
                let left = format!("{:.3}%", t.at * 100.0);
                view! { <span class="tick" style:left=left>{format_duration(t.offset_us)}</span> }
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
    let RowItem { pos, row: vr, selected, matched, dimmed, fold, critical: stretches, zoom, skew, timeline_px } = item;
    let critical = !stretches.is_empty();
    let zoom = (f64::from_bits(zoom.0), f64::from_bits(zoom.1));
    let timeline = state.visible.with_untracked(|v| Timeline::new(v.start, v.duration, zoom));
    let bar = timeline.bar(vr.offset, vr.duration);
    let service = model.row_service_name(vr.row).to_string();
    let name = model.row_name(vr.row).to_string();
    let duration = format_duration(vr.duration as f64);
    let error = match vr.error {
        ErrorKind::Critical => ", error",
        ErrorKind::Transient => ", recovered error",
        ErrorKind::None => "",
    };
    let on_path = if critical { ", on the critical path" } else { "" };
    let colour = service_palette::class(vr.color);

    // Annotation markers (an OTLP or Jaeger span's events) of the row's spans, grouped so they never
    // overlap; a group holding an exception is drawn as an error.
    let mut notes: Vec<(f64, String, bool)> = Vec::new();
    for &si in model.row_spans(vr.row) {
        if let Some(span) = model.span(si) {
            for mark in bar_marks(span) {
                let at = timeline.offset_of(model.annotation_time(si, mark.timestamp, skew));
                let note = format!("{} at +{}", mark.label, format_duration(at as f64));
                notes.push((timeline.at(at), note, mark.exception));
            }
        }
    }
    let positions: Vec<f64> = notes.iter().map(|(p, _, _)| *p).collect();
    let gap = px_share(MARKER_GAP_PX, f64::from_bits(timeline_px));
    let markers = group_markers(&positions, gap)
        .into_iter()
        .filter(|g| on_timeline(g.at))
        .map(|g| {
            let members: Vec<&(f64, String, bool)> = g.members.iter().filter_map(|&i| notes.get(i)).collect();
            let title = members.iter().map(|n| n.1.as_str()).collect::<Vec<_>>().join("\n");
            let exception = members.iter().any(|n| n.2);
            let class = match (g.members.len() > 1, exception) {
                (_, true) => "wf-marker exception",
                (true, false) => "wf-marker grouped",
                (false, false) => "wf-marker",
            };
            view! { <span class=class style:left=format!("{:.3}%", g.at * 100.0) title=title></span> }
        })
        .collect_view();
    // Spans that link to other spans carry a mark (its count in the row's name too).
    let link_count = state.links.count_of_row(model, vr.row);
    let links_text = match link_count {
        0 => String::new(),
        1 => ", 1 link".to_string(),
        n => format!(", {n} links"),
    };

    let folded_text = match &fold {
        Some(summary) if !summary.is_empty() => format!(", folded {summary}"),
        _ => String::new(),
    };
    let label = format!("{service}: {name}, {duration}{error}{on_path}{links_text}{folded_text}");

    // The row's stretches of the critical path, from the per-row index the waterfall built once.
    let critical_segments = critical.then(|| {
        stretches
            .into_iter()
            .map(|(start, end)| {
                let stretch = timeline.stretch(start, end);
                view! { <span class="wf-critical" style:left=format!("{:.3}%", stretch.left * 100.0)
                style:width=format!("{:.3}%", stretch.width * 100.0)></span> }
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
        (dimmed, " dimmed"),
        (vr.folded > 0, " folded"),
        (critical, " critical"),
        (vr.error == ErrorKind::Critical, " error"),
        (vr.error == ErrorKind::Transient, " recovered"),
        (!vr.has_timestamp, " untimed"),
    ];
    let row_class = flags.iter().filter(|(on, _)| *on).fold("wf-row".to_string(), |c, (_, name)| c + name);
    let at = bar.label.at * 100.0;
    let duration_left =
        if bar.label.before { format!("calc({at:.3}% - 4px)") } else { format!("calc({at:.3}% + 4px)") };
    view! {
        <div role="row" id=format!("wf-row-{row}") class=row_class
            style:top=format!("{}px", pos as f64 * ROW_PX)
            aria-rowindex=(pos + 1).to_string()
            aria-expanded=vr.has_children.then(|| if vr.collapsed { "false" } else { "true" })
            aria-selected=if selected { "true" } else { "false" }
            aria-label=label
            on:click=move |_| s.select(row)>
            <div role="gridcell" class=format!("wf-label {connector}") style:padding-left=format!("{}px", indent_px(vr.depth))>
                {vr.has_children.then(|| view! {
                    <button type="button" class="wf-toggle" tabindex="-1"
                        aria-label=if vr.collapsed { "Expand" } else { "Collapse" } on:click=toggle>
                        {if vr.collapsed { "▸" } else { "▾" }}
                    </button>
                })}
                <span class=format!("wf-swatch {colour}") aria-hidden="true"></span>
                <span class="wf-service">{service}</span>
                <span class="wf-name">{name}</span>
                {(link_count > 0).then(|| view! { <LinkMark count=link_count/> })}
                {fold.map(|summary| {
                    let s = state.clone();
                    let open = summary.is_empty();
                    view! {
                        {(!open).then(|| view! { <span class="wf-fold-summary">{summary}</span> })}
                        <button type="button" class="wf-fold-toggle small" tabindex="-1"
                            aria-label=if open { "Fold the run" } else { "Unfold the run" }
                            on:click=move |ev: leptos::ev::MouseEvent| { ev.stop_propagation(); s.toggle_fold(row) }>
                            {if open { "fold" } else { "unfold" }}
                        </button>
                    }
                })}
            </div>
            <div role="gridcell" class="wf-timeline">
                {bar.shown.then(|| view! {
                    <span class=format!("wf-bar {colour}") style:left=format!("{:.3}%", bar.left * 100.0)
                        style:width=format!("max({:.3}%, 2px)", bar.width() * 100.0)>{critical_segments}</span>
                })}
                {markers}
                <span class="wf-duration" class:left=bar.label.before style:left=duration_left>
                    {duration.clone()}
                </span>
            </div>
        </div>
    }
    // tachys has no typed `aria-level` attribute, so it is added as a custom one.
    .add_any_attr(custom_attribute("aria-level", (vr.depth + 1).to_string()))
}

/// The mark of a row whose spans link to other spans: a chain-link icon named for screen readers.
#[component]
fn LinkMark(count: usize) -> impl IntoView {
    let label = if count == 1 { "Links to 1 span".to_string() } else { format!("Links to {count} spans") };
    view! {
        <span class="wf-link-mark" role="img" aria-label=label.clone() title=label>
            <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
                <path d="M6.5 9.5l3-3M7 4.5l1.2-1.2a2.6 2.6 0 0 1 3.7 3.7L10.7 8.2M9 11.5l-1.2 1.2a2.6 2.6 0 0 1-3.7-3.7L5.3 7.8"
                    fill="none" stroke="currentColor" stroke-width="1.6" stroke-linecap="round"/>
            </svg>
        </span>
    }
}
