//! The dependency page's controls: the time range (presets, or an absolute start and end), and
//! the focus (service filter with suggestions, 1 or 2 hops, graph or table) with a summary.
use super::go::Go;
use crate::ui::browser::now_ms;
use crate::ui::shared::Shared;
use crate::ui::time_zone::{offset_minutes, use_time_zone, TimeZone};
use leptos::prelude::*;
use spanscope_domain::dependency_graph::focus::Focused;
use spanscope_domain::dependency_graph::range::{format_local, parse_local, DependencyRange, PRESETS};
use spanscope_domain::dependency_graph::table::format_count;
use spanscope_domain::dependency_graph::view_state::{Selection, ViewMode, ViewState};

/// The value of the range `<select>` for a range.
fn range_value(range: &DependencyRange) -> &'static str {
    match range {
        DependencyRange::Preset { value, .. } => value,
        DependencyRange::Absolute { .. } => "custom",
    }
}

/// Minutes east of UTC of `zone` at `ms`. The range is typed and shown in the app-wide time zone
/// (the one search results and traces are shown in), with the offset of that instant.
pub(super) fn range_offset(zone: TimeZone, ms: u64) -> i64 {
    i64::from(offset_minutes(zone, ms))
}

/// A `datetime-local` value read in `zone` (the offset is taken at that instant).
fn read_in(zone: TimeZone, text: &str) -> Option<u64> {
    let civil = parse_local(text, 0)?;
    parse_local(text, range_offset(zone, civil))
}

/// `datetime-local` text of the instant `ms` in `zone`.
fn format_in(zone: TimeZone, ms: u64) -> String {
    format_local(ms, range_offset(zone, ms))
}

#[component]
pub fn RangeBar(state: Memo<ViewState>, go: Go, on_refresh: Callback<()>) -> impl IntoView {
    let range = Memo::new(move |_| state.with(|s| s.range.clone()));
    // "Custom range" picked but not applied yet: show the inputs without changing the URL.
    let editing_custom = RwSignal::new(false);
    let show_custom = move || editing_custom.get() || matches!(range.get(), DependencyRange::Absolute { .. });
    let window = Memo::new(move |_| range.get().window(now_ms()));
    let start_text = RwSignal::new(String::new());
    let end_text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let zone = use_time_zone();

    let on_select = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        problem.set(None);
        if value == "custom" {
            let w = window.get_untracked();
            start_text.set(format_in(zone.get_untracked(), w.start_ms));
            end_text.set(format_in(zone.get_untracked(), w.end_ms));
            editing_custom.set(true);
        } else if let Some(preset) = DependencyRange::preset(&value) {
            editing_custom.set(false);
            let mut next = state.get_untracked();
            next.range = preset;
            go.run((next, false));
        }
    };
    let apply = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let text = |s: RwSignal<String>| {
            let t = s.get_untracked();
            if t.is_empty() {
                None
            } else {
                Some(t)
            }
        };
        let w = window.get_untracked();
        let start = text(start_text).map_or(Some(w.start_ms), |t| read_in(zone.get_untracked(), &t));
        let end = text(end_text).map_or(Some(w.end_ms), |t| read_in(zone.get_untracked(), &t));
        match (start, end) {
            (Some(start_ms), Some(end_ms)) if start_ms < end_ms => {
                problem.set(None);
                editing_custom.set(false);
                let mut next = state.get_untracked();
                next.range = DependencyRange::Absolute { start_ms, end_ms };
                go.run((next, false));
            }
            (Some(_), Some(_)) => problem.set(Some("The start must be before the end.")),
            _ => problem.set(Some("Enter a start and an end date and time.")),
        }
    };
    // The inputs show the window in the URL until the person edits them.
    let shown = move |s: RwSignal<String>, pick: fn(&spanscope_domain::search_url::DependencyWindow) -> u64| {
        let typed = s.get();
        if typed.is_empty() {
            format_in(zone.get(), pick(&window.get()))
        } else {
            typed
        }
    };

    view! {
        <form class="dep-range" aria-label="Time range" on:submit=apply>
            <label for="dep-range-select">"Time range"</label>
            <select id="dep-range-select" on:change=on_select>
                {PRESETS
                    .iter()
                    .map(|(value, label, _)| {
                        let value: &'static str = value;
                        view! {
                            <option value=value selected=move || !show_custom() && range_value(&range.get()) == value>
                                {*label}
                            </option>
                        }
                    })
                    .collect_view()}
                <option value="custom" selected=show_custom>"Custom range…"</option>
            </select>
            <Show when=show_custom>
                <label for="dep-start">"From"</label>
                <input
                    id="dep-start"
                    type="datetime-local"
                    prop:value=move || shown(start_text, |w| w.start_ms)
                    on:input=move |ev| start_text.set(event_target_value(&ev))
                />
                <label for="dep-end">"To"</label>
                <input
                    id="dep-end"
                    type="datetime-local"
                    prop:value=move || shown(end_text, |w| w.end_ms)
                    on:input=move |ev| end_text.set(event_target_value(&ev))
                />
                <span class="dep-zone">{move || format!("({})", zone.get().label())}</span>
                <button type="submit">"Apply"</button>
            </Show>
            <button type="button" on:click=move |_| on_refresh.run(()) title="Fetch again (a preset moves to now)">
                "Refresh"
            </button>
            {move || problem.get().map(|p| view! { <span class="dep-problem" role="alert">{p}</span> })}
        </form>
    }
}

#[component]
pub fn FocusBar(
    state: Memo<ViewState>,
    go: Go,
    names: Shared<Vec<String>>,
    focused: Memo<Shared<Focused>>,
    total: usize,
) -> impl IntoView {
    let set = move |edit: &dyn Fn(&mut ViewState), replace: bool| {
        let mut next = state.get_untracked();
        edit(&mut next);
        go.run((next, replace));
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        // Enter on a filter naming exactly one service selects it, so its panel opens.
        if ev.key() == "Enter" {
            ev.prevent_default();
            let matched = focused.with_untracked(|f| f.matched.clone());
            if let [only] = matched.as_slice() {
                let only = only.clone();
                set(&|s| s.selection = Selection::Service(only.clone()), true);
            }
        }
    };
    let services = names.len();
    let summary = move || {
        focused.with(|f| {
            let shown = f.links.len();
            if shown == total {
                format!("{} services · {} links", format_count(services as u64), format_count(total as u64))
            } else {
                format!(
                    "{} of {} links around {} matching service{}",
                    format_count(shown as u64),
                    format_count(total as u64),
                    format_count(f.matched.len() as u64),
                    if f.matched.len() == 1 { "" } else { "s" }
                )
            }
        })
    };
    let mode = move || state.with(|s| s.mode);

    view! {
        <div class="dep-focus" role="group" aria-label="Focus">
            <label for="dep-filter">"Service"</label>
            <input
                id="dep-filter"
                type="search"
                list="dep-services"
                placeholder="Filter services…"
                autocomplete="off"
                prop:value=move || state.with(|s| s.filter.clone())
                on:input=move |ev| {
                    let text = event_target_value(&ev);
                    set(&|s| s.filter = text.clone(), true);
                }
                on:keydown=on_keydown
            />
            <datalist id="dep-services">
                {names.iter().map(|n| view! { <option value=n.clone()></option> }).collect_view()}
            </datalist>
            <label for="dep-hops">"Neighbours"</label>
            <select
                id="dep-hops"
                on:change=move |ev| {
                    let hops = if event_target_value(&ev) == "2" { 2 } else { 1 };
                    set(&|s| s.hops = hops, true);
                }
            >
                <option value="1" selected=move || state.with(|s| s.hops != 2)>"1 hop"</option>
                <option value="2" selected=move || state.with(|s| s.hops == 2)>"2 hops"</option>
            </select>
            <div class="dep-mode" role="group" aria-label="View">
                <button
                    type="button"
                    aria-pressed=move || (mode() == ViewMode::Graph).to_string()
                    on:click=move |_| set(&|s| s.mode = ViewMode::Graph, true)
                >
                    "Graph"
                </button>
                <button
                    type="button"
                    aria-pressed=move || (mode() == ViewMode::Table).to_string()
                    on:click=move |_| set(&|s| s.mode = ViewMode::Table, true)
                >
                    "Table"
                </button>
            </div>
            <p class="dep-summary" aria-live="polite">{summary}</p>
        </div>
    }
}
