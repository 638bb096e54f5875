//! The span filter bar every view shares: type a filter (`service=db`, `duration>2ms`,
//! `http.status_code>=500`, `name~/^get /`…) and press Enter to add it as a pill; each pill has a
//! remove button; the count says how many spans pass ("38 of 10,000 spans"); a switch hides the
//! others instead of dimming them; ◀/▶ (or `[` and `]` anywhere on the page) select the previous
//! and next match. The filters live in the URL; reading and matching them is `domain::span_filter`.
use super::state::TraceState;
use leptos::prelude::*;
use spanscope_domain::span_filter::SpanFilter;

/// Selects the next (or previous) filter match after the selected row.
pub fn step_filter_match(state: &TraceState, forward: bool) {
    let target = state.filtered.with_untracked(|f| f.step(state.selected_row.get_untracked(), forward));
    if let Some(row) = target {
        state.select(row);
    }
}

#[component]
pub fn FilterBar() -> impl IntoView {
    let state = expect_context::<TraceState>();
    let draft = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let s = state.clone();
    let add = move || {
        let text = draft.get_untracked();
        if text.trim().is_empty() {
            return;
        }
        match SpanFilter::parse(&text) {
            Ok(filter) => {
                s.update(|p| {
                    if !p.filters.contains(&filter) {
                        p.filters.push(filter);
                    }
                });
                draft.set(String::new());
                problem.set(None);
            }
            Err(e) => problem.set(Some(format!("{text}: {e}"))),
        }
    };
    let s = state.clone();
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() != "Enter" {
            return;
        }
        ev.prevent_default();
        if draft.get_untracked().trim().is_empty() {
            step_filter_match(&s, !ev.shift_key());
        } else {
            add();
        }
    };
    let s = state.clone();
    let filters = Memo::new(move |_| s.params.with(|p| p.filters.clone()));
    let s = state.clone();
    let pills = move || {
        filters
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let s = s.clone();
                let text = f.to_string();
                view! {
                    <li class="filter-pill">
                        <span class="filter-pill-text">{text.clone()}</span>
                        <button type="button" class="filter-pill-remove" aria-label=format!("Remove filter {text}")
                            on:click=move |_| s.update(|p| {
                                if i < p.filters.len() {
                                    p.filters.remove(i);
                                }
                            })>"×"</button>
                    </li>
                }
            })
            .collect_view()
    };
    let s = state.clone();
    let count = move || s.filtered.with(|f| f.count_label());
    let s = state.clone();
    let active = move || s.filtered.with(|f| f.active);
    let s = state.clone();
    let only = s.only_matches;
    view! {
        <div class="filter-bar" role="search" aria-label="Span filters">
            <label for="span-filter" class="visually-hidden">"Add a span filter"</label>
            <input id="span-filter" type="text" placeholder="Filter: service=db, duration>2ms, http.status_code>=500, error…"
                prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))
                on:keydown=on_key aria-describedby="span-filter-problem"/>
            <ul class="filter-pills" aria-label="Active filters">{pills}</ul>
            <span class="filter-count" role="status" aria-live="polite">{count}</span>
            <button type="button" aria-label="Previous filter match" disabled=move || !active()
                on:click={ let s = state.clone(); move |_| step_filter_match(&s, false) }>"◀"</button>
            <button type="button" aria-label="Next filter match" disabled=move || !active()
                on:click={ let s = state.clone(); move |_| step_filter_match(&s, true) }>"▶"</button>
            <label class="inline-label">
                <input type="checkbox" prop:checked=move || only.get()
                    on:change={ let s = state.clone(); move |ev| { let on = event_target_checked(&ev); s.update(|p| p.only_matches = on) } }/>
                " Hide non-matching"
            </label>
            <span id="span-filter-problem" class="filter-problem" role="alert">{move || problem.get()}</span>
        </div>
    }
}
