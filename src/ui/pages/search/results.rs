//! The results of one search: a toolbar (count, sort, service and text filters, time zone), the
//! scatter plot, and a table with one row per trace. Filtering and sorting run on the summaries
//! in memory (no request). Rows are built a screenful at a time: more come as the end of the list
//! scrolls into view (or on "Show more"), so 1,000 results cost what 10 do, and a filter keystroke
//! only ever rebuilds the first screenful.
//!
//! Rows are static views but for their start time (time zone) and badges (service filter); their
//! clicks (open the trace, a service badge) are handled once for the whole table.
use super::scatter::ScatterPlot;
use super::view_state::ViewState;
use crate::ui::base_path::app_href;
use crate::ui::browser::{mark, on_any_scroll};
use crate::ui::time_zone::{offset_minutes, TimeZone, TimeZoneSwitch};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use spanscope_domain::search_results::{bar_fraction, has_error, ResultSet, SortOrder};
use spanscope_domain::summary::TraceSummary;
use spanscope_domain::time_format::{format_offset, format_relative, format_timestamp};
use spanscope_domain::time_scale::format_duration;
use spanscope_domain::trace_url::trace_path;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Rows shown when the list changes (a search, a filter keystroke, a new sort): about as many as fit
/// under the scatter plot on a 1440p screen (4-5 at 900 px). A keystroke that swaps every row shown
/// rebuilds these only, which keeps it well inside a frame (25 rows did not, always).
const FIRST_ROWS: usize = 10;
/// Rows added when the end of the list comes near the viewport, or on "Show more".
const MORE_ROWS: usize = 25;
/// How close (px) the end of the list gets to the bottom of the viewport before more rows come.
const MORE_MARGIN_PX: f64 = 300.0;
/// The duration bar's width (style/search.css sizes the same box). The bar is an SVG drawn by
/// attributes: a strict Content-Security-Policy refuses `style` attributes.
const BAR_PX: f64 = 160.0;

#[component]
pub fn ResultsView(set: Arc<ResultSet>, now_ms: u64, limit: u32, view_state: ViewState) -> impl IntoView {
    let (sort, filter, time_zone) = (view_state.sort, view_state.filter, view_state.time_zone);
    let selection = Memo::new({
        let set = set.clone();
        move |_| set.select(&filter.get(), sort.get())
    });
    // Rows shown: the first screenful of each new selection, plus what was asked for since. Counting
    // selections lets a new one start over at FIRST_ROWS in the same pass that renders it, rather
    // than rendering the old count first and trimming after.
    let generation = Memo::new(move |previous: Option<&u64>| {
        selection.track();
        previous.map_or(0, |g| g + 1)
    });
    let more = RwSignal::new((0u64, 0usize));
    let shown = Memo::new(move |_| {
        let (asked_for, extra) = more.get();
        FIRST_ROWS + if asked_for == generation.get() { extra } else { 0 }
    });
    let show_more = move || {
        let g = generation.get_untracked();
        more.update(|(asked_for, extra)| {
            *extra = if *asked_for == g { *extra + MORE_ROWS } else { MORE_ROWS };
            *asked_for = g;
        })
    };
    let rows_left = move || selection.with(Vec::len).saturating_sub(shown.get());
    // Endless scrolling: when "Show more" comes within reach of the viewport's bottom, press it.
    let more_button = NodeRef::<leptos::html::Button>::new();
    on_any_scroll(move || {
        // Once every row is shown the button is gone, but its NodeRef keeps the detached element,
        // whose rectangle (all zeros) would read as "in reach" on every scroll.
        if selection.with_untracked(Vec::len) <= shown.get_untracked() {
            return;
        }
        let Some(button) = more_button.get_untracked() else { return };
        let viewport = window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
        if button.get_bounding_client_rect().top() < viewport + MORE_MARGIN_PX {
            show_more();
        }
    });
    let total = set.len();
    // The service part of the filter on its own, so a keystroke in the text filter never reaches
    // the badges and options that only show which service is picked.
    let service_filter = Memo::new(move |_| filter.with(|f| f.service.clone()));

    // "On screen": after the frame that shows the rows has been painted.
    Effect::new(move |_| {
        request_animation_frame(move || {
            set_timeout(
                move || {
                    mark("spanscope:search:painted");
                    if let Some(p) = window().performance() {
                        let _ = p.measure_with_start_mark_and_end_mark(
                            "spanscope:search:render",
                            "spanscope:search:response",
                            "spanscope:search:painted",
                        );
                    }
                },
                std::time::Duration::ZERO,
            )
        });
    });

    let count_text = move || {
        let n = selection.with(Vec::len);
        let traces = |k: usize| if k == 1 { "1 trace".to_owned() } else { format!("{k} traces") };
        let mut text = if n == total { traces(total) } else { format!("{} of {}", traces(n), total) };
        if total as u64 >= u64::from(limit) {
            text.push_str(&format!(" (the limit of {limit}: raise it to see more)"));
        }
        text
    };
    let service_options = set.services().to_vec();
    let navigate = use_navigate();
    let on_table_click = {
        let set = set.clone();
        move |ev: leptos::ev::MouseEvent| {
            let Some(target) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
            let closest = |selector: &str| target.closest(selector).ok().flatten();
            if let Some(badge) = closest("button[data-service]") {
                let name = badge.get_attribute("data-service").unwrap_or_default();
                let picked = filter.with_untracked(|f| f.service.as_deref() == Some(name.as_str()));
                view_state.set_service((!picked).then_some(name));
            } else if closest("a, button").is_none() {
                // A click anywhere else on a row opens its trace, as its link does.
                let index = closest("tr[data-index]").and_then(|row| row.get_attribute("data-index"));
                if let Some(s) = index.and_then(|i| i.parse().ok()).and_then(|i| set.get(i)) {
                    navigate(&trace_path(&s.trace_id), Default::default());
                }
            }
        }
    };

    view! {
        <section class="search-results" aria-label="Search results">
            <div class="results-toolbar">
                <p class="results-count" role="status">{count_text}</p>
                <div class="field inline">
                    <label for="results-sort">"Sort"</label>
                    <select
                        id="results-sort"
                        on:change=move |ev| view_state.set_sort(SortOrder::parse(&event_target_value(&ev)).unwrap_or_default())
                        prop:value=move || sort.get().as_str()
                    >
                        {SortOrder::ALL
                            .into_iter()
                            .map(|o| view! { <option value=o.as_str() selected=move || sort.get() == o>{o.label()}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field inline">
                    <label for="results-service">"Only service"</label>
                    <select
                        id="results-service"
                        on:change=move |ev| view_state.set_service(Some(event_target_value(&ev)))
                        prop:value=move || service_filter.get().unwrap_or_default()
                    >
                        <option value="">"Any service"</option>
                        {service_options
                            .into_iter()
                            .map(|(name, count)| {
                                let value = name.clone();
                                let selected = move || service_filter.with(|f| f.as_deref() == Some(value.as_str()));
                                let label = format!("{name} ({count})");
                                view! { <option value=name selected=selected>{label}</option> }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field inline">
                    <label for="results-filter">"Filter results"</label>
                    <input
                        id="results-filter"
                        type="search"
                        placeholder="id, service, span name"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || filter.with(|f| f.text.clone())
                        on:input=move |ev| view_state.type_text(event_target_value(&ev))
                        on:change=move |_| view_state.save_text()
                    />
                </div>
                <TimeZoneSwitch zone=time_zone/>
            </div>
            <ScatterPlot set=set.clone() selection time_zone/>
            {move || selection.with(Vec::is_empty).then(|| view! {
                <p class="results-none" role="status">
                    "No result matches the filters. "
                    <button type="button" on:click=move |_| view_state.clear_filters()>"Clear filters"</button>
                </p>
            })}
            <table class="results-table" aria-label="Traces">
                <thead>
                    <tr>
                        <th scope="col">"Trace"</th>
                        <th scope="col">"Start"</th>
                        <th scope="col" class="duration-col">"Duration"</th>
                        <th scope="col" class="num">"Spans"</th>
                        <th scope="col">"Errors"</th>
                        <th scope="col">"Services"</th>
                    </tr>
                </thead>
                <tbody on:click=on_table_click>
                    // Rows hold no reactive parts, so a text-filter keystroke that brings rows into
                    // view only builds them; the rare time-zone or service-badge change rebuilds them.
                    {move || {
                        let (zone, picked) = (time_zone.get(), service_filter.get());
                        let set = set.clone();
                        view! {
                            <For
                                each=move || {
                                    let n = shown.get();
                                    selection.with(|s| s.iter().take(n).copied().collect::<Vec<u32>>())
                                }
                                key=|i| *i
                                children=move |i| {
                                    set.get(i)
                                        .map(|s| result_row(s, i, set.longest(), now_ms, zone, picked.as_deref()))
                                }
                            />
                        }
                    }}
                </tbody>
            </table>
            // Kept in place while its count changes, so a keyboard user who pressed it stays on it.
            <Show when=move || { rows_left() > 0 }>
                <button type="button" class="show-more" node_ref=more_button on:click=move |_| show_more()>
                    {move || {
                        let left = rows_left();
                        format!("Show {} more ({left} not shown)", left.min(MORE_ROWS))
                    }}
                </button>
            </Show>
        </section>
    }
}

/// One trace: a link to it, when it started (in `zone`), how long it took next to the `longest`
/// result, its size, errors, and a badge per service (pressed when it is the `picked` filter).
/// Clicks are the table's.
fn result_row(
    s: &TraceSummary,
    index: u32,
    longest: u64,
    now_ms: u64,
    zone: TimeZone,
    picked: Option<&str>,
) -> impl IntoView {
    let start_ms = s.start / 1_000;
    let offset = offset_minutes(zone, start_ms);
    let error_mark = match s.error_count {
        0 => None,
        1 => Some("1 error".to_owned()),
        n => Some(format!("{n} errors")),
    };
    // A 2 px stub at least, so a very short trace still shows a bar.
    let bar_width = format!("{:.1}", (bar_fraction(s.duration, longest) * BAR_PX).max(2.0));
    let badges = s
        .services
        .iter()
        .map(|svc| {
            let name = svc.name.clone();
            let pressed = if picked == Some(name.as_str()) { "true" } else { "false" };
            let label = format!("Only traces with {name} ({} spans here)", svc.span_count);
            let data_service = name.clone();
            view! {
                <li>
                    <button
                        type="button"
                        class="service-badge"
                        data-service=data_service
                        aria-label=label
                        aria-pressed=pressed
                    >
                        {name}
                        <span class="badge-count">{svc.span_count}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <tr class="result-row" class:errored=has_error(s) data-index=index>
            <td class="trace-cell">
                <a href=app_href(&trace_path(&s.trace_id)) class="trace-link">
                    <span class="root-service">{s.root_service.clone()}</span>
                    ": "
                    <span class="root-name">{s.root_name.clone()}</span>
                </a>
                <span class="trace-id mono">{s.trace_id.clone()}</span>
            </td>
            <td class="start-cell">
                <span class="relative">{format_relative(start_ms, now_ms)}</span>
                <span class="absolute mono" title=format_offset(offset)>{format_timestamp(start_ms, offset)}</span>
            </td>
            <td class="duration-cell">
                <span class="duration-text">{format_duration(s.duration as f64)}</span>
                <svg class="duration-bar" aria-hidden="true" width=BAR_PX height="6">
                    <rect class="duration-fill" width=bar_width height="6" rx="3"/>
                </svg>
            </td>
            <td class="num">{s.span_count}</td>
            <td class="errors-cell">{error_mark.map(|text| view! { <span class="error-mark">{text}</span> })}</td>
            <td class="services-cell">
                <ul class="service-badges" aria-label="Services">{badges}</ul>
            </td>
        </tr>
    }
}
