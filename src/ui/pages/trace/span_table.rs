//! The span table tab: every span (row) of the trace with its service, name, kind, start, duration,
//! self time, status and the tag columns the user adds (kept in local storage), sorted by a
//! header click (again to reverse), or grouped by service or by span name with count, total, self
//! time, p50 and p99. Virtualised: only the rows in view are in the DOM. Sorting, grouping and cell
//! values are `domain::span_table`.
use super::state::TraceState;
use crate::ui::shared::Shared;
use leptos::prelude::*;
use spanscope_domain::span_table::{
    columns_text, group_rows, kind_text, parse_columns, row_kind, row_tag, sort_rows, status_text, Column, GroupBy,
};
use spanscope_domain::time_format::format_duration;
use spanscope_domain::waterfall_view::slice_window;

const ROW_PX: f64 = 24.0;
const OVERSCAN: usize = 10;
const VIEWPORT_PX: f64 = 480.0;
const STORAGE_KEY: &str = "spanscope.spanTable.columns";

fn saved_columns() -> Vec<Column> {
    let text = window().local_storage().ok().flatten().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten());
    parse_columns(&text.unwrap_or_default())
}

fn save_columns(columns: &[Column]) {
    if let Some(storage) = window().local_storage().ok().flatten() {
        let _ = storage.set_item(STORAGE_KEY, &columns_text(columns));
    }
}

#[component]
pub fn SpanTable() -> impl IntoView {
    let state = expect_context::<TraceState>();
    let columns = RwSignal::new(saved_columns());
    let sort = RwSignal::new((Column::SelfTime, true));
    let grouping = RwSignal::new(None::<GroupBy>);
    let scroll_top = RwSignal::new(0.0f64);
    let scroller = NodeRef::<leptos::html::Div>::new();
    let new_column = RwSignal::new(String::new());

    let s = state.clone();
    // The rows listed: all of them, or the filters' matches when non-matching ones are hidden.
    let listed =
        Memo::new(move |_| {
            let only = s.only_matches.get();
            s.filtered.with(|f| {
                if only && f.active {
                    f.rows.clone()
                } else {
                    (0..s.model.row_count()).collect::<Vec<u32>>()
                }
            })
        });
    let s = state.clone();
    let sorted = Memo::new(move |_| {
        let (column, descending) = sort.get();
        let mut rows = listed.get();
        let selfs = s.row_self_times.get();
        sort_rows(&s.model, &selfs, &mut rows, &column, descending, s.skew.get());
        Shared::new(rows)
    });
    let slice = Memo::new(move |_| {
        let rows = sorted.get();
        let range = slice_window(scroll_top.get(), VIEWPORT_PX, ROW_PX, rows.len(), OVERSCAN);
        range.clone().map(|p| (p, rows[p])).collect::<Vec<_>>()
    });

    let header = move || {
        columns
            .get()
            .into_iter()
            .map(|c| {
                let title = c.title();
                let c2 = c.clone();
                let aria_sort = {
                    let c = c.clone();
                    move || match sort.get() {
                        (s, true) if s == c => "descending",
                        (s, false) if s == c => "ascending",
                        _ => "none",
                    }
                };
                let remove = matches!(c, Column::Tag(_)).then(|| {
                    let c = c.clone();
                    view! { <button type="button" class="small" aria-label=format!("Remove column {}", c.title())
                        on:click=move |_| columns.update(|cols| { cols.retain(|x| *x != c); save_columns(cols); })>"×"</button> }
                });
                view! {
                    <div role="columnheader" class="st-cell" aria-sort=aria_sort>
                        <button type="button" class="link-like" on:click=move |_| sort.update(|(col, desc)| {
                            if *col == c2 { *desc = !*desc } else { *col = c2.clone(); *desc = true }
                        })>{title}</button>
                        {remove}
                    </div>
                }
            })
            .collect_view()
    };

    let s = state.clone();
    let body = move || {
        let cols = columns.get();
        let selected = s.selected_row.get();
        let filtered = s.filtered.get();
        let selfs = s.row_self_times.get();
        let skew = s.skew.get();
        let trace_start = s.model.bounds(skew).0;
        slice
            .get()
            .into_iter()
            .map(|(pos, row)| {
                let m = &s.model;
                let r = m.row(row);
                let cells = cols
                    .iter()
                    .map(|c| {
                        let text = match c {
                            Column::Service => m.row_service_name(row).to_owned(),
                            Column::Name => m.row_name(row).to_owned(),
                            Column::Kind => kind_text(row_kind(m, row)).to_owned(),
                            Column::Start => r.map_or(String::new(), |r| {
                                format!("+{}", format_duration(r.start_us(skew).saturating_sub(trace_start) as f64))
                            }),
                            Column::Duration => r.map_or(String::new(), |r| format_duration(r.duration as f64)),
                            Column::SelfTime => format_duration(selfs.get(row as usize).copied().unwrap_or(0) as f64),
                            Column::Status => r.map_or("", |r| status_text(r.error)).to_owned(),
                            Column::Tag(key) => row_tag(m, row, key).unwrap_or("").to_owned(),
                        };
                        view! { <div role="cell" class="st-cell">{text}</div> }
                    })
                    .collect_view();
                let s = s.clone();
                let class = match (selected == Some(row), filtered.is_match(row)) {
                    (true, _) => "st-row selected",
                    (false, false) => "st-row dimmed",
                    (false, true) => "st-row",
                };
                view! {
                    <div role="row" class=class aria-rowindex=(pos + 2).to_string()
                        aria-selected=(selected == Some(row)).to_string()
                        style:top=format!("{}px", pos as f64 * ROW_PX) on:click=move |_| s.select(row)>{cells}</div>
                }
            })
            .collect_view()
    };

    let s = state.clone();
    let groups = move || {
        let by = grouping.get()?;
        let rows = listed.get();
        let selfs = s.row_self_times.get();
        let groups = group_rows(&s.model, &selfs, &rows, by);
        let lines = groups
            .into_iter()
            .map(|g| {
                let name = if g.name.is_empty() { g.service.clone() } else { format!("{}: {}", g.service, g.name) };
                view! {
                    <tr><th scope="row">{name}</th><td>{g.count}</td><td>{format_duration(g.total as f64)}</td>
                    <td>{format_duration(g.self_time as f64)}</td><td>{format_duration(g.p50 as f64)}</td>
                    <td>{format_duration(g.p99 as f64)}</td></tr>
                }
            })
            .collect_view();
        Some(view! {
            <table class="st-groups" aria-label="Span groups">
                <thead><tr><th scope="col">"Group"</th><th scope="col">"Count"</th><th scope="col">"Total"</th>
                <th scope="col">"Self time"</th><th scope="col">"p50"</th><th scope="col">"p99"</th></tr></thead>
                <tbody>{lines}</tbody>
            </table>
        })
    };

    let add_column = move || {
        let key = new_column.get_untracked().trim().to_owned();
        if key.is_empty() {
            return;
        }
        columns.update(|cols| {
            let c = Column::Tag(key);
            if !cols.contains(&c) {
                cols.push(c);
            }
            save_columns(cols);
        });
        new_column.set(String::new());
    };
    let row_count = move || (sorted.with(|r| r.len()) + 1).to_string();
    let total_height = move || format!("{}px", sorted.with(|r| r.len()) as f64 * ROW_PX);
    let template = move || format!("repeat({}, minmax(6em, 1fr))", columns.with(|c| c.len()));
    view! {
        <section class="span-table" aria-label="Span table">
            <div class="st-tools">
                <label class="inline-label">"Group "
                    <select on:change=move |ev| grouping.set(match event_target_value(&ev).as_str() {
                        "service" => Some(GroupBy::Service),
                        "name" => Some(GroupBy::SpanName),
                        _ => None,
                    })>
                        <option value="" selected>"No grouping"</option>
                        <option value="service">"By service"</option>
                        <option value="name">"By span name"</option>
                    </select>
                </label>
                <label class="inline-label">"Add tag column "
                    <input type="text" placeholder="http.status_code" prop:value=move || new_column.get()
                        on:input=move |ev| new_column.set(event_target_value(&ev))
                        on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Enter" { ev.prevent_default(); add_column() }/>
                </label>
            </div>
            {groups}
            <div role="table" class="st-table" aria-label="Spans" aria-rowcount=row_count style:--st-columns=template>
                <div role="rowgroup"><div role="row" class="st-head" aria-rowindex="1">{header}</div></div>
                <div class="st-scroll" role="rowgroup" node_ref=scroller style:height=format!("{VIEWPORT_PX}px")
                    on:scroll=move |_| if let Some(el) = scroller.get_untracked() { scroll_top.set(el.scroll_top() as f64) }>
                    <div class="st-spacer" style:height=total_height>{body}</div>
                </div>
            </div>
        </section>
    }
}
