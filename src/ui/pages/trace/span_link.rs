//! A link to the span a span link points at, as a real `<a>`: a row of this trace selects it (its
//! key in the URL, as `?span=` does, its ancestors expanded), a trace of the same file opens from
//! the file, any other trace opens `/traces/{id}?span=…` from the server. A span of this trace that
//! no row shows is named, not linked.
use super::state::TraceState;
use crate::ui::base_path::app_href;
use leptos::prelude::*;
use spanscope_domain::search_url::percent_encode;
use spanscope_domain::span_links::LinkTarget;
use spanscope_domain::trace_url::trace_path;

#[component]
pub fn SpanLink(target: LinkTarget) -> impl IntoView {
    let state = expect_context::<TraceState>();
    match target {
        LinkTarget::Row(row) => {
            let model = &state.model;
            let text = format!("{}: {}", model.row_service_name(row), model.row_name(row));
            let title = format!("Span {} in this trace", model.row_span_id(row).unwrap_or_default());
            let href = state.href_selecting(row);
            let s = state.clone();
            let select = move |ev: leptos::ev::MouseEvent| {
                // A modified click opens a tab or window as links do; a plain one selects in place.
                if ev.button() == 0 && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key()) {
                    ev.prevent_default();
                    s.select(row);
                }
            };
            view! { <a class="span-link" href=href title=title on:click=select>{text}</a> }.into_any()
        }
        LinkTarget::OtherTrace { trace_id, span_id, nearby } => {
            let query = format!("span={}", percent_encode(&span_id));
            let href = if nearby {
                app_href(&format!("/traceViewer?trace={}&{query}", percent_encode(&trace_id)))
            } else {
                app_href(&format!("{}?{query}", trace_path(&trace_id)))
            };
            let whence = if nearby { "in this file" } else { "from the server" };
            view! {
                <a class="span-link" href=href title=format!("Opens trace {trace_id} {whence}")>
                    "span " <code>{span_id}</code> " of trace " <code>{trace_id.clone()}</code>
                </a>
            }
            .into_any()
        }
        LinkTarget::Absent { span_id } => view! {
            <span class="span-link absent">"span " <code>{span_id}</code> " (not in this trace)"</span>
        }
        .into_any(),
    }
}
