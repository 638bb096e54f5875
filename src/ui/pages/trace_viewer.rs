//! `/traceViewer`: a trace opened from a file, no backend needed: Zipkin JSON (v2 or v1), OTLP JSON
//! or JSON Lines, or Jaeger JSON, told apart by content. A file with several traces lists them to
//! choose from; the choice is kept in the URL (`?trace=<id>`), and the view offers the way back to the
//! list. A file that cannot be read says which format it was read as and where it broke.
use super::trace::loader::LoadPhase;
use super::trace::source::TraceSource;
use super::trace::view::TraceView;
use crate::ui::browser::yield_to_paint;
use crate::ui::embed::bridge::report_unreadable_trace;
use crate::ui::open_json::{OpenedFile, OpenedFileSlot};
use crate::ui::shared::Shared;
use crate::ui::time_zone::{offset_minutes, use_time_zone};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use spanscope_domain::clean::normalize_trace_id;
use spanscope_domain::decode::{read_file, DecodedFile};
use spanscope_domain::decode_error::DecodeError;
use spanscope_domain::summary::summarize;
use spanscope_domain::time_format::format_timestamp;
use spanscope_domain::time_scale::format_duration;
use spanscope_domain::trace_model::TraceModel;

/// The formats the page opens, as its instructions name them.
const FORMATS: &str = "Zipkin JSON (v2 or v1), OTLP JSON or JSON Lines, or Jaeger JSON";

#[component]
pub fn TraceViewerPage() -> impl IntoView {
    let slot = expect_context::<OpenedFileSlot>();
    let embedded = crate::ui::embed::embed_flags().embed;
    view! {
        <div class="trace-viewer">
            {move || match slot.0.get() {
                // Embedded, the header (and its Open JSON) is hidden: the trace comes from the host page.
                None if embedded => view! {
                    <section class="page">
                        <h1>"Trace"</h1>
                        <p role="status">"Waiting for the page around this one to send a trace."</p>
                    </section>
                }.into_any(),
                None => view! {
                    <section class="page">
                        <h1>"Trace from a file"</h1>
                        <p>{format!("Choose a trace file ({FORMATS}) with ")} <strong>"Open JSON"</strong>
                           " in the header, or drop one anywhere on the page. Nothing is uploaded."</p>
                    </section>
                }.into_any(),
                Some(Err(message)) => view! { <section class="page" role="alert"><p>{message}</p></section> }.into_any(),
                Some(Ok(file)) => view! { <OpenedTraces file/> }.into_any(),
            }}
        </div>
    }
}

/// The traces of one file: decoded once, then one shown or a list to choose from.
#[component]
fn OpenedTraces(file: OpenedFile) -> impl IntoView {
    let name = file.name.clone();
    let from_host = file.from_host;
    let phase = RwSignal::new(LoadPhase::Decoding { bytes: file.bytes.len() as u64 });
    let decoded = LocalResource::new(move || {
        let bytes = file.bytes.clone();
        async move {
            yield_to_paint().await;
            read_file(&bytes).map(Shared::new)
        }
    });
    // A trace the embedding page sent that does not read: the page says why, and so is the host told.
    Effect::new(move |_| {
        if let (true, Some(Err(error))) = (from_host, decoded.get()) {
            report_unreadable_trace(&error.to_string());
        }
    });
    let query = use_query_map();
    let chosen = Memo::new(move |_| query.with(|q| q.get("trace")).map(|id| normalize_trace_id(id.trim())));
    view! {
        {move || {
            let name = name.clone();
            match decoded.get() {
                None => view! { <p class="page" role="status">{phase.get().describe()}</p> }.into_any(),
                Some(Err(error)) => view! { <FileProblem name error/> }.into_any(),
                Some(Ok(file)) if file.traces.is_empty() => view! {
                    <section class="page" role="alert" aria-label="The file holds no spans">
                        <p>{format!("{name} was read as {} and holds no spans.", file.format.name())}</p>
                    </section>
                }.into_any(),
                Some(Ok(file)) => {
                    let ids: Vec<String> = file.traces.iter().map(|t| trace_id_of(t)).collect();
                    let pick = chosen.get().and_then(|id| ids.iter().position(|t| *t == id));
                    match pick.or((file.traces.len() == 1).then_some(0)) {
                        Some(i) => {
                            let model = Shared::new(TraceModel::build(file.traces[i].clone()));
                            let several = file.traces.len() > 1;
                            let count = file.traces.len();
                            let source = TraceSource::File { name: name.clone(), nearby: ids, format: file.format };
                            view! {
                                {several.then(|| view! { <BackToList count name/> })}
                                <TraceView model source/>
                            }.into_any()
                        }
                        None => view! { <TraceChooser name file/> }.into_any(),
                    }
                }
            }
        }}
    }
}

/// A trace's id as the model keeps it (so `?trace=` and links compare equal however it was written).
fn trace_id_of(spans: &[spanscope_domain::span::Span]) -> String {
    spans.first().map(|s| normalize_trace_id(&s.trace_id)).unwrap_or_default()
}

/// Over a trace chosen from a file of several: the way back to the list.
#[component]
fn BackToList(count: usize, name: String) -> impl IntoView {
    let navigate = use_navigate();
    view! {
        <nav class="file-traces" aria-label="Traces in the file">
            <button type="button" class="link-button" on:click=move |_| navigate("/traceViewer", Default::default())>
                {format!("← All {count} traces in {name}")}
            </button>
        </nav>
    }
}

/// A file that could not be read: the format it was read as, where it broke and why; the page
/// around it stays as it was.
#[component]
fn FileProblem(name: String, error: DecodeError) -> impl IntoView {
    let summary = match error.format {
        Some(format) => {
            format!("Read as {}, it broke at line {}, column {}:", format.name(), error.line, error.column)
        }
        None => "Its format could not be told from its content:".to_string(),
    };
    view! {
        <section class="page file-problem" role="alert" aria-label="The file could not be opened">
            <h1>{format!("{name} could not be opened")}</h1>
            <p>{summary}</p>
            <p class="error-detail">{error.message.clone()}</p>
            <p class="muted">{format!("Spanscope opens {FORMATS}. Choose another file with Open JSON, or drop one on the page.")}</p>
        </section>
    }
}

/// A file with several traces: one row per trace (its root, id, spans, duration, start, errors);
/// choosing one puts it in the URL.
#[component]
fn TraceChooser(name: String, file: Shared<DecodedFile>) -> impl IntoView {
    let navigate = use_navigate();
    let zone = use_time_zone();
    let rows = file
        .traces
        .iter()
        .map(|spans| {
            let summary = summarize(spans);
            let id = trace_id_of(spans);
            let navigate = navigate.clone();
            let open = format!("?trace={}", spanscope_domain::search_url::percent_encode(&id));
            let start_ms = summary.start / 1000;
            let start = move || format_timestamp(start_ms, offset_minutes(zone.get(), start_ms));
            view! {
                <tr>
                    <td><button type="button" class="link-button" on:click=move |_| navigate(&open, Default::default())>
                        {format!("{}: {}", summary.root_service, summary.root_name)}
                    </button></td>
                    <td><code>{id}</code></td>
                    <td>{summary.span_count}</td>
                    <td>{format_duration(summary.duration as f64)}</td>
                    <td>{start}</td>
                    <td>{summary.error_count}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="page">
            <h1>{format!("{} traces in {name}", file.traces.len())}</h1>
            <p class="muted">{format!("Read as {}. Choose one to open it.", file.format.name())}</p>
            <table class="stats-table trace-picker" aria-label="Traces in the file">
                <thead><tr><th scope="col">"Root"</th><th scope="col">"Trace ID"</th><th scope="col">"Spans"</th>
                    <th scope="col">"Duration"</th><th scope="col">"Start"</th><th scope="col">"Errors"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}
