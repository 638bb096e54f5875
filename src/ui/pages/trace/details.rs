//! The span details panel: everything about the selected row's spans (a client and its shared
//! server half are both shown): ids with copy, timing (relative and absolute, self time),
//! endpoints, annotations, tags (http(s) values as links, everything else as text), raw JSON. A span
//! read from OTLP or Jaeger shows its groups instead of annotations and tags (`otel_details`), and
//! a row other spans link to lists them ("linked from 3 spans").
use super::detail_parts::{CopyButton, CopyFact, Fact, TagValue};
use super::otel_details::OtelGroups;
use super::span_link::SpanLink;
use super::state::TraceState;
use crate::ui::time_zone::{offset_minutes, use_time_zone};
use leptos::prelude::*;
use spanscope_domain::detail_groups;
use spanscope_domain::span::{Endpoint, Kind, Span};
use spanscope_domain::span_links::{linked_from_text, LinkTarget};
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
            // An OTLP or Jaeger span's annotations and tags are its Zipkin translation: its groups say it all.
            let otel = span.detail.is_some();
            let detail = span.detail.as_deref().cloned();
            let kind = match &detail {
                Some(d) => detail_groups::kind_label(d.kind),
                None => kind_label(span.kind),
            };
            let format = detail.as_ref().map(|d| detail_groups::format_label(d.format).to_string());
            view! {
                <section class="span-section" aria-label=format!("Span {}", span.id)>
                    <h3>{kind} " span"</h3>
                    <dl class="span-facts">
                        <Fact term="Service" value=span.local_service().unwrap_or("unknown").to_string()/>
                        <Fact term="Name" value=span.name.clone().unwrap_or_else(|| "unknown".into())/>
                        <Fact term="Kind" value=kind.to_string()/>
                        {format.map(|f| view! { <Fact term="Read from" value=f/> })}
                        <CopyFact term="Span ID" value=span.id.clone()/>
                        {span.parent_id.clone().map(|p| view! { <CopyFact term="Parent ID" value=p/> })}
                        <CopyFact term="Trace ID" value=span.trace_id.clone()/>
                        <Fact term="Start" value=start/>
                        <Fact term="Duration" value=span.duration.map_or("unknown".to_string(), |d| format_duration(d as f64))/>
                        <Fact term="Self time" value=self_time/>
                        {span.local_endpoint.as_ref().map(|e| view! { <Fact term="Local endpoint" value=endpoint_text(e)/> })}
                        {span.remote_endpoint.as_ref().map(|e| view! { <Fact term="Remote endpoint" value=endpoint_text(e)/> })}
                    </dl>
                    {detail.map(|detail| view! { <OtelGroups span=si detail/> })}
                    {(!otel && !span.annotations.is_empty()).then(|| view! {
                        <table class="kv-table" aria-label="Annotations">
                            <thead><tr><th scope="col">"Relative"</th><th scope="col">"Time"</th><th scope="col">"Annotation"</th></tr></thead>
                            <tbody>{annotations}</tbody>
                        </table>
                    })}
                    {(!otel && !span.tags.is_empty()).then(|| view! {
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
            <LinkedFrom row/>
        </section>
    }
}

/// The spans of this trace that link to row `row`, each a link back to it.
#[component]
fn LinkedFrom(row: u32) -> impl IntoView {
    let state = expect_context::<TraceState>();
    let from = state.links.linking_to(row).to_vec();
    (!from.is_empty()).then(|| {
        let heading = linked_from_text(from.len());
        view! {
            <section class="detail-group linked-from" aria-label="Linked from">
                <h4>{heading}</h4>
                <ul class="link-list">
                    {from.into_iter().map(|l| view! { <li><SpanLink target=LinkTarget::Row(l.from_row)/></li> }).collect_view()}
                </ul>
            </section>
        }
    })
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
