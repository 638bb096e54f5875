//! The table view: the same links as the graph, as a semantic, sortable, filterable table for
//! people who would rather read than look, and for keyboard and screen-reader users.
use crate::api::config::Config;
use crate::ui::shared::Shared;
use leptos::prelude::*;
use spanscope_domain::dependency_graph::focus::Focused;
use spanscope_domain::dependency_graph::style::{error_level, error_rate};
use spanscope_domain::dependency_graph::table::{format_count, format_percent, table_rows, LinkColumn, LinkSort};
use spanscope_domain::dependency_graph::view_state::{Selection, ViewState};
use std::sync::Arc;

#[component]
pub fn LinkTable(focused: Memo<Shared<Focused>>, state: Memo<ViewState>, select: Callback<Selection>) -> impl IntoView {
    let config = expect_context::<Arc<Config>>();
    let (low, high) = (config.dependency.low_error_rate, config.dependency.high_error_rate);
    let sort = RwSignal::new(LinkSort::default());
    let row_filter = RwSignal::new(String::new());
    let rows = Memo::new(move |_| focused.with(|f| row_filter.with(|t| table_rows(&f.links, t, sort.get()))));
    let header = move |column: LinkColumn| {
        let aria_sort = move || {
            let s = sort.get();
            if s.column != column {
                "none"
            } else if s.descending {
                "descending"
            } else {
                "ascending"
            }
        };
        let arrow = move || {
            let s = sort.get();
            if s.column != column {
                ""
            } else if s.descending {
                " ▼"
            } else {
                " ▲"
            }
        };
        let numeric = !matches!(column, LinkColumn::Parent | LinkColumn::Child);
        view! {
            <th scope="col" aria-sort=aria_sort class:num=numeric>
                <button type="button" class="dep-sort" on:click=move |_| sort.update(|s| *s = s.toggled(column))>
                    {column.title()}
                    <span aria-hidden="true">{arrow}</span>
                </button>
            </th>
        }
    };
    let body = move || {
        let f = focused.get();
        let selection = state.with(|s| s.selection.clone());
        rows.get()
            .iter()
            .filter_map(|&i| f.links.get(i as usize).cloned())
            .map(|l| {
                let level = error_level(l.call_count, l.error_count, low, high).name();
                let chosen = match &selection {
                    Selection::Link { parent, child } => *parent == l.parent && *child == l.child,
                    Selection::Service(s) => *s == l.parent || *s == l.child,
                    Selection::None => false,
                };
                let (p, c) = (l.parent.clone(), l.child.clone());
                let link = Selection::Link { parent: l.parent.clone(), child: l.child.clone() };
                let details = format!("Details of {} → {}", l.parent, l.child);
                view! {
                    <tr class=format!("level-{level}") class:selected=chosen>
                        <td>
                            <button type="button" class="dep-name" on:click=move |_| select.run(Selection::Service(p.clone()))>
                                {l.parent.clone()}
                            </button>
                        </td>
                        <td>
                            <button type="button" class="dep-name" on:click=move |_| select.run(Selection::Service(c.clone()))>
                                {l.child.clone()}
                            </button>
                        </td>
                        <td class="num">{format_count(l.call_count)}</td>
                        <td class="num">{format_count(l.error_count)}</td>
                        <td class="num">{format_percent(error_rate(l.call_count, l.error_count))}</td>
                        <td>
                            <button type="button" aria-label=details on:click=move |_| select.run(link.clone())>
                                "Details"
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="dep-table-wrap">
            <label class="dep-row-filter">
                "Filter rows "
                <input
                    type="search"
                    placeholder="caller or callee"
                    prop:value=move || row_filter.get()
                    on:input=move |ev| row_filter.set(event_target_value(&ev))
                />
            </label>
            <table class="dep-table" aria-label="Dependency links">
                <caption>{move || format!("{} links", format_count(rows.with(|r| r.len()) as u64))}</caption>
                <thead>
                    <tr>
                        {LinkColumn::ALL.into_iter().map(header).collect_view()}
                        <th scope="col"><span class="visually-hidden">"Link"</span></th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
    }
}
