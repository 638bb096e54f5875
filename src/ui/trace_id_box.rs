//! The header's "go to trace" box: trims, lower-cases and accepts 16 or 32 hex digits;
//! anything else gets an inline message and no request.
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use spanscope_domain::trace_id::normalize_trace_id;

#[component]
pub fn TraceIdBox() -> impl IntoView {
    let text = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match normalize_trace_id(&text.get_untracked()) {
            Ok(id) => {
                problem.set(None);
                text.set(String::new());
                navigate(&format!("/traces/{id}"), Default::default());
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    view! {
        <form class="trace-id-box" role="search" aria-label="Go to trace" on:submit=on_submit>
            <label for="trace-id-input" class="visually-hidden">"Trace ID"</label>
            <input
                id="trace-id-input"
                type="text"
                placeholder="Trace ID"
                autocomplete="off"
                spellcheck="false"
                aria-invalid=move || if problem.get().is_some() { "true" } else { "false" }
                aria-describedby="trace-id-problem"
                prop:value=move || text.get()
                on:input=move |ev| {
                    text.set(event_target_value(&ev));
                    problem.set(None);
                }
            />
            <button type="submit">"Go"</button>
            <span id="trace-id-problem" class="inline-problem" role="alert">{move || problem.get()}</span>
        </form>
    }
}
