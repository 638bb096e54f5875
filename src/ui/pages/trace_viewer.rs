//! `/traceViewer`: a trace opened from a file, no backend needed.
use crate::ui::open_json::OpenedFileSlot;
use leptos::prelude::*;

#[component]
pub fn TraceViewerPage() -> impl IntoView {
    let slot = expect_context::<OpenedFileSlot>();
    view! {
        <section class="page">
            <h1>"Trace from a file"</h1>
            {move || match slot.0.get() {
                None => view! { <p>"Choose a trace file with Open JSON, or drop one on this page."</p> }.into_any(),
                Some(Err(message)) => view! { <p role="alert">{message}</p> }.into_any(),
                Some(Ok(file)) => view! { <p>{format!("{} ({} bytes)", file.name, file.bytes.len())}</p> }.into_any(),
            }}
        </section>
    }
}
