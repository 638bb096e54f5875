//! "Go to root cause" and "Slowest on the critical path": each selects the span `domain::root_cause`
//! picks, shows the chain from the root to it (each step selectable) and the sentence saying why.
use super::state::TraceState;
use leptos::prelude::*;
use spanscope_domain::root_cause::{error_root_cause, latency_root_cause, RootCause};

#[component]
pub fn RootCauseTools() -> impl IntoView {
    let state = expect_context::<TraceState>();
    let found = RwSignal::new(None::<(&'static str, Option<RootCause>)>);
    let has_errors = !state.errors.is_empty();
    let s = state.clone();
    let go = move |what: &'static str, cause: Option<RootCause>| {
        if let Some(c) = &cause {
            s.select(c.row);
        }
        found.set(Some((what, cause)));
    };
    let s = state.clone();
    let errors = {
        let go = go.clone();
        move |_| go("Root cause", error_root_cause(&s.model, s.skew.get_untracked()))
    };
    let s = state.clone();
    let latency = move |_| go("Slowest on the critical path", latency_root_cause(&s.model, s.skew.get_untracked()));
    let s = state.clone();
    let report = move || {
        let (what, cause) = found.get()?;
        let Some(cause) = cause else {
            return Some(view! { <p class="root-cause" role="status">{format!("{what}: nothing to point at in this trace.")}</p> }.into_any());
        };
        let chain = cause
            .chain
            .iter()
            .map(|&r| {
                let s = s.clone();
                let label = format!("{}: {}", s.model.row_service_name(r), s.model.row_name(r));
                view! { <li><button type="button" class="link-like" on:click=move |_| s.select(r)>{label}</button></li> }
            })
            .collect_view();
        let picked = format!("{what}: {}: {}", s.model.row_service_name(cause.row), s.model.row_name(cause.row));
        Some(
            view! {
                <div class="root-cause" role="status">
                    <p><strong>{picked}</strong>" — "{cause.reason.clone()}</p>
                    <nav aria-label="Chain from the root"><ol class="root-cause-chain">{chain}</ol></nav>
                    <button type="button" class="small" on:click=move |_| found.set(None)>"Close"</button>
                </div>
            }
            .into_any(),
        )
    };
    view! {
        <div class="tool-group root-cause-tools">
            <button type="button" disabled=!has_errors on:click=errors>"Go to root cause"</button>
            <button type="button" on:click=latency>"Slowest on critical path"</button>
        </div>
        {report}
    }
}
