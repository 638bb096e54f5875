//! "Open JSON": a trace file (Zipkin, OTLP or Jaeger JSON) chosen with the picker or dropped
//! anywhere on the page is read as bytes, kept in the app's [`OpenedFileSlot`] and shown by the `/traceViewer` page.
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A trace file the person opened, as read from disk.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenedFile {
    pub name: String,
    pub bytes: Arc<Vec<u8>>,
    /// Sent by the embedding page (`spanscope:showTrace`), which is told when it does not read.
    pub from_host: bool,
}

/// The most recently opened file, provided by the app shell for the trace viewer page.
#[derive(Debug, Clone, Copy)]
pub struct OpenedFileSlot(pub RwSignal<Option<Result<OpenedFile, String>>>);

/// Reads `file` and routes to the trace viewer, which decodes it (or shows why it cannot).
pub fn open_file(
    file: web_sys::File,
    slot: OpenedFileSlot,
    navigate: impl Fn(&str, leptos_router::NavigateOptions) + 'static,
) {
    let name = file.name();
    leptos::task::spawn_local(async move {
        let read = JsFuture::from(file.array_buffer()).await;
        let result = match read {
            Ok(buffer) => {
                Ok(OpenedFile { name, bytes: Arc::new(js_sys::Uint8Array::new(&buffer).to_vec()), from_host: false })
            }
            Err(_) => Err(format!("Could not read the file {name}.")),
        };
        slot.0.set(Some(result));
        navigate("/traceViewer", Default::default());
    });
}

/// The header's file picker, a real `<input type=file>` behind a visible label so it works
/// by keyboard and screen reader.
#[component]
pub fn OpenJsonButton() -> impl IntoView {
    let slot = expect_context::<OpenedFileSlot>();
    let navigate = use_navigate();
    let on_change = move |ev: leptos::ev::Event| {
        let input: Option<web_sys::HtmlInputElement> = ev.target().and_then(|t| t.dyn_into().ok());
        if let Some(file) = input.as_ref().and_then(|i| i.files()).and_then(|files| files.get(0)) {
            open_file(file, slot, navigate.clone());
        }
        if let Some(i) = input {
            i.set_value("");
        }
    };
    view! {
        <label class="open-json button-like" title="Open a Zipkin, OTLP or Jaeger JSON file">
            "Open JSON"
            <input type="file" accept=".json,.jsonl,.ndjson,.txt,application/json,application/x-ndjson"
                class="visually-hidden" on:change=on_change/>
        </label>
    }
}

/// The file dropped in a drag-and-drop event, if any.
pub fn dropped_file(ev: &web_sys::DragEvent) -> Option<web_sys::File> {
    ev.data_transfer()?.files()?.get(0)
}
