//! The span details panel: everything about the selected row's spans (a client and its shared
//! server half are both shown): ids with copy, timing (relative and absolute, self time),
//! endpoints, annotations, tags (http(s) values as links, everything else as text), raw JSON.
use super::state::TraceState;
use crate::api::config::is_http_url;
use crate::ui::browser::copy_text;
use crate::ui::time_zone::{offset_minutes, use_time_zone};
use leptos::prelude::*;
use leptos::text_prop::TextProp;
use spanscope_domain::span::{Endpoint, Kind, Span};
use spanscope_domain::time_format::format_timestamp;
use spanscope_domain::time_scale::format_duration;

#[component]
pub fn SpanDetails(row: u32) -> impl IntoView {
    let state = expect_context::<TraceState>();
    let model = state.model.clone();
    // Times follow the skew switch and the time-zone preference while the panel is open: each
    // figure that depends on them is a closure over those signals, the rest is built once.
    let skew = state.skew;
    let self_times = state.self_times;
    let zone = use_time_zone();
    let m = model.clone();
    let trace_start = Memo::new(move |_| m.bounds(skew.get()).0);
    let title = format!("{}: {}", model.row_service_name(row), model.row_name(row));
    let has_children = model.row(row).is_some_and(|r| r.child_count > 0);
    let s = state.clone();
    let close = move |_| s.clear_selection();
    let s = state.clone();
    let focus = move |_| {
        let key = s.row_key(row);
        s.update(|p| p.focus = key);
    };

    let sections = model
        .row_spans(row)
        .iter()
        .filter_map(|&si| model.span(si).map(|span| (si, span)))
        .map(|(si, span)| {
            let m = model.clone();
            let start = move || match m.span_start(si, skew.get()) {
                Some(ts) => format!(
                    "+{} ({})",
                    format_duration(ts.saturating_sub(trace_start.get()) as f64),
                    format_timestamp(ts / 1000, offset_minutes(zone.get(), ts / 1000))
                ),
                None => "no timestamp".to_string(),
            };
            let self_time =
                move || format_duration(self_times.with(|t| t.get(si as usize).copied().unwrap_or(0)) as f64);
            let raw: Vec<&Span> = model.raw_spans_of(si);
            let raw_json = match raw.as_slice() {
                [one] => serde_json::to_string_pretty(one).unwrap_or_default(),
                many => serde_json::to_string_pretty(many).unwrap_or_default(),
            };
            let annotations = span
                .annotations
                .iter()
                .map(|a| {
                    let (m, ts) = (model.clone(), a.timestamp);
                    let at = Memo::new(move |_| m.annotation_time(si, ts, skew.get()));
                    view! {
                        <tr>
                            <td>{move || format!("+{}", format_duration(at.get().saturating_sub(trace_start.get()) as f64))}</td>
                            <td>{move || format_timestamp(at.get() / 1000, offset_minutes(zone.get(), at.get() / 1000))}</td>
                            <td class="wrap">{a.value.clone()}</td>
                        </tr>
                    }
                })
                .collect_view();
            let tags = span
                .tags
                .iter()
                .map(|(k, v)| {
                    let label = format!("Copy {k}");
                    view! {
                        <tr>
                            <th scope="row" class="wrap">{k.clone()}</th>
                            <td class="wrap"><TagValue value=v.clone()/></td>
                            <td><CopyButton text=v.clone() label/></td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <section class="span-section" aria-label=format!("Span {}", span.id)>
                    <h3>{kind_label(span.kind)} " span"</h3>
                    <dl class="span-facts">
                        <Fact term="Service" value=span.local_service().unwrap_or("unknown").to_string()/>
                        <Fact term="Name" value=span.name.clone().unwrap_or_else(|| "unknown".into())/>
                        <Fact term="Kind" value=kind_label(span.kind).to_string()/>
                        <CopyFact term="Span ID" value=span.id.clone()/>
                        {span.parent_id.clone().map(|p| view! { <CopyFact term="Parent ID" value=p/> })}
                        <CopyFact term="Trace ID" value=span.trace_id.clone()/>
                        <Fact term="Start" value=start/>
                        <Fact term="Duration" value=span.duration.map_or("unknown".to_string(), |d| format_duration(d as f64))/>
                        <Fact term="Self time" value=self_time/>
                        {span.local_endpoint.as_ref().map(|e| view! { <Fact term="Local endpoint" value=endpoint_text(e)/> })}
                        {span.remote_endpoint.as_ref().map(|e| view! { <Fact term="Remote endpoint" value=endpoint_text(e)/> })}
                    </dl>
                    {(!span.annotations.is_empty()).then(|| view! {
                        <table class="kv-table" aria-label="Annotations">
                            <thead><tr><th scope="col">"Relative"</th><th scope="col">"Time"</th><th scope="col">"Annotation"</th></tr></thead>
                            <tbody>{annotations}</tbody>
                        </table>
                    })}
                    {(!span.tags.is_empty()).then(|| view! {
                        <table class="kv-table" aria-label="Tags">
                            <thead><tr><th scope="col">"Tag"</th><th scope="col">"Value"</th><th scope="col"><span class="visually-hidden">"Copy"</span></th></tr></thead>
                            <tbody>{tags}</tbody>
                        </table>
                    })}
                    <details class="raw-json">
                        <summary>"Raw JSON"</summary>
                        <CopyButton text=raw_json.clone() label="Copy raw JSON"/>
                        <pre>{raw_json}</pre>
                    </details>
                </section>
            }
        })
        .collect_view();

    view! {
        <section class="span-details" aria-label="Span details">
            <header class="span-details-head">
                <h2>{title}</h2>
                <div class="span-details-tools">
                    {has_children.then(|| view! { <button type="button" class="small" on:click=focus>"Focus on subtree"</button> })}
                    <button type="button" class="small" on:click=close aria-label="Close details">"✕"</button>
                </div>
            </header>
            {sections}
        </section>
    }
}

/// A term and its value; a value given as a closure stays live.
#[component]
fn Fact(term: &'static str, #[prop(into)] value: TextProp) -> impl IntoView {
    view! { <div><dt>{term}</dt><dd class="wrap">{move || value.get().to_string()}</dd></div> }
}

#[component]
fn CopyFact(term: &'static str, value: String) -> impl IntoView {
    let label = format!("Copy {term}");
    view! { <div><dt>{term}</dt><dd><code>{value.clone()}</code> <CopyButton text=value label/></dd></div> }
}

/// A copy button that confirms what happened.
#[component]
fn CopyButton(text: String, #[prop(into)] label: String) -> impl IntoView {
    let done = RwSignal::new(None::<bool>);
    let copy = move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move { done.set(Some(copy_text(&text).await)) });
    };
    view! {
        <button type="button" class="small" aria-label=label on:click=copy>
            {move || match done.get() { None => "Copy", Some(true) => "Copied", Some(false) => "Copy failed" }}
        </button>
    }
}

/// A tag value: a link only for http(s) URLs, text otherwise (never HTML).
#[component]
fn TagValue(value: String) -> impl IntoView {
    if is_http_url(value.trim()) {
        view! { <a href=value.trim().to_string() target="_blank" rel="noopener noreferrer">{value.clone()}</a> }
            .into_any()
    } else {
        view! { <span>{value}</span> }.into_any()
    }
}

fn kind_label(kind: Option<Kind>) -> &'static str {
    match kind {
        Some(Kind::Client) => "Client",
        Some(Kind::Server) => "Server",
        Some(Kind::Producer) => "Producer",
        Some(Kind::Consumer) => "Consumer",
        None => "Local",
    }
}

fn endpoint_text(e: &Endpoint) -> String {
    let host = e.ipv4.clone().or_else(|| e.ipv6.clone()).unwrap_or_default();
    let port = e.port.map(|p| format!(":{p}")).unwrap_or_default();
    match (&e.service_name, host.is_empty()) {
        (Some(name), false) => format!("{name} ({host}{port})"),
        (Some(name), true) => name.clone(),
        (None, _) => format!("{host}{port}"),
    }
}
