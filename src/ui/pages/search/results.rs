//! The results of one search: a toolbar (count, sort, service and text filters, time zone), the
//! scatter plot, and a table with one row per trace. Filtering and sorting run on the summaries
//! in memory (no request); rows are rendered a page at a time ("Show more") so 1,000 results
//! cost what 100 do, and a filter keystroke stays cheap.
use super::request::mark;
use super::scatter::ScatterPlot;
use super::ViewState;
use crate::domain::search_results::{bar_fraction, has_error, ResultFilter, ResultSet, SortOrder};
use crate::domain::time_format::{format_offset, format_relative, format_timestamp};
use crate::domain::time_scale::format_duration;
use crate::ui::base_path::app_href;
use crate::ui::time_zone::{offset_minutes, TimeZone, TimeZoneSwitch};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Rows added per "Show more".
const PAGE: usize = 50;

#[component]
pub fn ResultsView(set: Arc<ResultSet>, now_ms: u64, limit: u32, view_state: ViewState) -> impl IntoView {
    let ViewState { sort, filter, time_zone } = view_state;
    let selection = Memo::new({
        let set = set.clone();
        move |_| set.select(&filter.get(), sort.get())
    });
    let shown = RwSignal::new(PAGE);
    let total = set.len();

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

    view! {
        <section class="search-results" aria-label="Search results">
            <div class="results-toolbar">
                <p class="results-count" role="status">{count_text}</p>
                <div class="field inline">
                    <label for="results-sort">"Sort"</label>
                    <select
                        id="results-sort"
                        on:change=move |ev| sort.set(SortOrder::parse(&event_target_value(&ev)).unwrap_or_default())
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
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            filter.update(|f| f.service = Some(v).filter(|v| !v.is_empty()));
                        }
                        prop:value=move || filter.with(|f| f.service.clone().unwrap_or_default())
                    >
                        <option value="">"Any service"</option>
                        {service_options
                            .into_iter()
                            .map(|(name, count)| {
                                let value = name.clone();
                                let selected = move || filter.with(|f| f.service.as_deref() == Some(value.as_str()));
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
                        on:input=move |ev| {
                            let text = event_target_value(&ev);
                            filter.update(|f| f.text = text);
                        }
                    />
                </div>
                <TimeZoneSwitch zone=time_zone/>
            </div>
            <ScatterPlot set=set.clone() selection time_zone/>
            {move || selection.with(Vec::is_empty).then(|| view! {
                <p class="results-none" role="status">
                    "No result matches the filters. "
                    <button type="button" on:click=move |_| filter.set(ResultFilter::default())>"Clear filters"</button>
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
                <tbody>
                    <For
                        each=move || {
                            let n = shown.get();
                            selection.with(|s| s.iter().take(n).copied().collect::<Vec<u32>>())
                        }
                        key=|i| *i
                        children={
                            let set = set.clone();
                            move |i| view! { <ResultRow set=set.clone() index=i now_ms filter time_zone/> }
                        }
                    />
                </tbody>
            </table>
            {move || {
                let left = selection.with(Vec::len).saturating_sub(shown.get());
                (left > 0).then(|| view! {
                    <button type="button" class="show-more" on:click=move |_| shown.update(|n| *n += PAGE)>
                        {format!("Show {} more ({left} not shown)", left.min(PAGE))}
                    </button>
                })
            }}
        </section>
    }
}

/// One trace: a link to it, when it started, how long it took, its size, errors and services.
#[component]
fn ResultRow(
    set: Arc<ResultSet>,
    index: u32,
    now_ms: u64,
    filter: RwSignal<ResultFilter>,
    time_zone: RwSignal<TimeZone>,
) -> impl IntoView {
    let Some(s) = set.get(index) else {
        return ().into_any();
    };
    let navigate = use_navigate();
    let href = app_href(&format!("/traces/{}", s.trace_id));
    let route = format!("/traces/{}", s.trace_id);
    let start_ms = s.start / 1_000;
    let absolute = move || {
        let offset = offset_minutes(time_zone.get(), start_ms);
        (format_timestamp(start_ms, offset), format_offset(offset))
    };
    let error_count = s.error_count;
    let errored = has_error(s);
    let width = format!("{:.1}%", bar_fraction(s.duration, set.longest()) * 100.0);
    let duration_text = format_duration(s.duration as f64);
    // A click anywhere on the row opens the trace, except on its own link and buttons.
    let on_row_click = move |ev: leptos::ev::MouseEvent| {
        let inner_control = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a, button").ok().flatten())
            .is_some();
        if !inner_control {
            navigate(&route, Default::default());
        }
    };
    let badges = s
        .services
        .iter()
        .map(|svc| {
            let name = svc.name.clone();
            let pressed = {
                let name = name.clone();
                move || filter.with(|f| f.service.as_deref() == Some(name.as_str()))
            };
            let toggle = {
                let name = name.clone();
                move |_| {
                    filter.update(|f| {
                        f.service = if f.service.as_deref() == Some(name.as_str()) { None } else { Some(name.clone()) }
                    })
                }
            };
            let label = format!("Only traces with {name} ({} spans here)", svc.span_count);
            view! {
                <li>
                    <button
                        type="button"
                        class="service-badge"
                        aria-label=label
                        aria-pressed=move || if pressed() { "true" } else { "false" }
                        on:click=toggle
                    >
                        <span class="badge-name">{name}</span>
                        <span class="badge-count">{svc.span_count}</span>
                    </button>
                </li>
            }
        })
        .collect_view();
    view! {
        <tr class="result-row" class:errored=errored on:click=on_row_click>
            <td class="trace-cell">
                <a href=href class="trace-link">
                    <span class="root-service">{s.root_service.clone()}</span>
                    ": "
                    <span class="root-name">{s.root_name.clone()}</span>
                </a>
                <span class="trace-id mono">{s.trace_id.clone()}</span>
            </td>
            <td class="start-cell">
                <span class="relative">{format_relative(start_ms, now_ms)}</span>
                <span class="absolute mono" title=move || absolute().1>{move || absolute().0}</span>
            </td>
            <td class="duration-cell">
                <span class="duration-text">{duration_text}</span>
                <span class="duration-bar" aria-hidden="true">
                    <span class="duration-fill" style:width=width></span>
                </span>
            </td>
            <td class="num">{s.span_count}</td>
            <td class="errors-cell">
                {(error_count > 0).then(|| view! {
                    <span class="error-mark">
                        {if error_count == 1 { "1 error".to_owned() } else { format!("{error_count} errors") }}
                    </span>
                })}
            </td>
            <td class="services-cell">
                <ul class="service-badges" aria-label="Services">{badges}</ul>
            </td>
        </tr>
    }
    .into_any()
}
