//! The trace header: what the trace is (root service and span, start, duration, services, depth,
//! spans, errors, id with copy) and what to be careful about (missing parents, clock skew).
use super::source::TraceSource;
use super::state::TraceState;
use crate::ui::browser::copy_text;
use crate::ui::time_zone::{offset_minutes, use_time_zone, TimeZoneSwitch};
use leptos::prelude::*;
use spanscope_domain::error_tally::error_tally;
use spanscope_domain::time_format::{format_offset, format_timestamp};
use spanscope_domain::time_scale::format_duration;

#[component]
pub fn TraceHeader(source: TraceSource) -> impl IntoView {
    let state = expect_context::<TraceState>();
    let model = state.model.clone();
    let root = 0u32;
    let title = format!("{}: {}", model.row_service_name(root), model.row_name(root));
    let trace_id = model.trace_id().to_string();
    let report = model.report();
    let orphans = report.missing_parents.len();
    let repaired = report.cycles_broken.len() + model.self_parents().len();
    let duplicates = report.duplicate_ids.len();
    let headless = report.headless;
    let moved = model.skew().moved.len();
    let error_count = state.errors.len();
    // Local and remote service names, as Lens counts them.
    let service_count = model.service_count();
    let zone = use_time_zone();
    let skew = state.skew;
    let m = model.clone();
    // The offset of the trace's own instant, not today's: a trace from before a daylight-saving
    // change shows the wall clock it ran under.
    let start = move || {
        let start_ms = m.bounds(skew.get()).0 / 1000;
        let offset = offset_minutes(zone.get(), start_ms);
        format!("{} ({})", format_timestamp(start_ms, offset), format_offset(offset))
    };
    let m = model.clone();
    let duration = move || format_duration(m.duration(skew.get()) as f64);
    let copied = RwSignal::new(false);
    let id_for_copy = trace_id.clone();
    let copy = move |_| {
        let id = id_for_copy.clone();
        leptos::task::spawn_local(async move { copied.set(copy_text(&id).await) });
    };
    let toggle_state = state.clone();
    let full_title = title.clone();
    view! {
        <section class="trace-header" aria-label="Trace summary">
            <h1 class="trace-title" title=full_title>{title}</h1>
            {match source {
                TraceSource::File { name, format, .. } => Some(view! {
                    <p class="muted">"From the file " {name} {format!(" (read as {})", format.name())}</p>
                }),
                TraceSource::Server => None,
            }}
            <dl class="trace-facts">
                <div><dt>"Start"</dt><dd>{start}</dd></div>
                <div><dt>"Duration"</dt><dd>{duration}</dd></div>
                <div><dt>"Services"</dt><dd>{service_count}</dd></div>
                <div><dt>"Depth"</dt><dd>{model.depth()}</dd></div>
                <div><dt>"Spans"</dt><dd>{model.spans().len()}</dd></div>
                <div class:has-errors=error_tally(error_count).alarm><dt>"Errors"</dt><dd>{error_count}</dd></div>
                <div class="trace-id">
                    <dt>"Trace ID"</dt>
                    <dd><code>{trace_id.clone()}</code>
                        <button type="button" class="small" on:click=copy aria-label="Copy trace ID">
                            {move || if copied.get() { "Copied" } else { "Copy" }}</button></dd>
                </div>
            </dl>
            <TimeZoneSwitch zone/>
            {(orphans > 0 || headless).then(|| view! {
                <p class="trace-warning" role="note">
                    {if headless { "Incomplete trace: no root span. ".to_string() } else { String::new() }}
                    {(orphans > 0).then(|| format!(
                        "Incomplete trace: {orphans} span{} reference a parent that is not in the trace; they are shown under the root.",
                        if orphans == 1 { "" } else { "s" }))}
                </p>
            })}
            {(repaired + duplicates > 0).then(|| view! {
                <p class="trace-warning" role="note">
                    {format!("Repaired: {repaired} parent link(s) that formed cycles or pointed at themselves, {duplicates} duplicate span id(s) merged.")}
                </p>
            })}
            <p class="skew-indicator">
                {if moved > 0 {
                    format!("Clock skew: {moved} span{} adjusted. ", if moved == 1 { "" } else { "s" })
                } else {
                    "Clock skew: no adjustment needed. ".to_string()
                }}
                {(moved > 0).then(|| view! {
                    <button type="button" class="small"
                        aria-pressed=move || if skew.get() { "true" } else { "false" }
                        on:click=move |_| toggle_state.update(|p| p.skew_off = !p.skew_off)>
                        "Clock-skew correction"
                    </button>
                })}
            </p>
        </section>
    }
}
