//! The groups of an OTLP or Jaeger span's details: status, span attributes, events (an exception as
//! an error with its stack trace), links (each a link to its span), resource, scope, what the SDK
//! dropped, Jaeger's warnings; one filter box narrows every attribute list. Values keep their types:
//! an array or key-value list is shown as the values it holds, each typed; each value can be copied.
//! The words and the layout of nested values come from the domain (`detail_groups`, `attribute_view`).
use super::detail_parts::{CopyButton, TagValue};
use super::span_link::SpanLink;
use super::state::TraceState;
use crate::ui::time_zone::{offset_minutes, use_time_zone};
use leptos::prelude::*;
use spanscope_domain::attribute_view::{filter_attributes, value_lines, value_text};
use spanscope_domain::detail_groups::{dropped_summary, link_type_label, resource_order, status_label};
use spanscope_domain::otel_translate::round_to_micros;
use spanscope_domain::span_detail::{AnyValue, Attribute, Event, SpanDetail, StatusCode};
use spanscope_domain::span_events::{event_name, exception_of, Exception};
use spanscope_domain::time_format::format_timestamp;
use spanscope_domain::time_scale::format_duration;

/// Every group of cleaned span `span`'s detail.
#[component]
pub fn OtelGroups(span: u32, detail: SpanDetail) -> impl IntoView {
    let state = expect_context::<TraceState>();
    let filter = RwSignal::new(String::new());
    let filter_id = format!("attr-filter-{span}");
    let total = detail.attributes.len()
        + detail.resource.attributes.len()
        + detail.scope.attributes.len()
        + detail.events.iter().map(|e| e.attributes.len()).sum::<usize>()
        + detail.links.iter().map(|l| l.attributes.len()).sum::<usize>();
    let all: Vec<Attribute> = detail
        .attributes
        .iter()
        .chain(&detail.resource.attributes)
        .chain(&detail.scope.attributes)
        .chain(detail.events.iter().flat_map(|e| &e.attributes))
        .chain(detail.links.iter().flat_map(|l| &l.attributes))
        .cloned()
        .collect();
    let shown = move || {
        let q = filter.get();
        (!q.trim().is_empty()).then(|| format!("{} of {total} attributes match", filter_attributes(&all, &q).len()))
    };
    let status = detail.status.clone();
    let resource: Vec<Attribute> = resource_order(&detail.resource.attributes).into_iter().cloned().collect();
    let scope = detail.scope.clone();
    let links = state.links.of_span(span).to_vec();
    let link_details = detail.links.clone();
    let events = detail.events.clone();
    let dropped = dropped_summary(&detail);
    let (resource_schema, scope_schema) = (detail.resource_schema_url.clone(), detail.scope_schema_url.clone());
    view! {
        <div class="otel-groups">
            {(total > 0).then(|| view! {
                <div class="attr-filter">
                    <label for=filter_id.clone() class="visually-hidden">"Filter attributes"</label>
                    <input id=filter_id type="search" placeholder="Filter attributes by key or value"
                        prop:value=move || filter.get() on:input=move |ev| filter.set(event_target_value(&ev))/>
                    <span class="find-status" aria-live="polite">{shown}</span>
                </div>
            })}
            {(status.code != StatusCode::Unset || !status.message.is_empty()).then(|| {
                let error = status.code == StatusCode::Error;
                view! {
                    <section class="detail-group status" class:status-error=error aria-label="Status">
                        <h4>"Status"</h4>
                        <p><strong>{status_label(status.code)}</strong>
                            {(!status.message.is_empty()).then(|| format!(": {}", status.message))}</p>
                    </section>
                }
            })}
            {(!detail.attributes.is_empty()).then(|| view! {
                <Group label="Attributes" count=detail.attributes.len()>
                    <AttributeTable label="Span attributes" attributes=detail.attributes.clone() filter/>
                </Group>
            })}
            {(!events.is_empty()).then(|| view! {
                <Group label="Events" count=events.len()>
                    <ol class="event-list">
                        {events.into_iter().map(|event| view! { <EventItem span event filter/> }).collect_view()}
                    </ol>
                </Group>
            })}
            {(!links.is_empty()).then(|| view! {
                <Group label="Links" count=links.len()>
                    <ol class="link-list">
                        {links.into_iter().filter_map(|resolved| {
                            let link = link_details.get(resolved.link as usize)?.clone();
                            Some(view! {
                                <li>
                                    <span class="link-type">{link_type_label(link.link_type)}</span> " "
                                    <SpanLink target=resolved.target/>
                                    {(!link.trace_state.is_empty()).then(|| view! {
                                        <p class="muted wrap">"Trace state: " <code>{link.trace_state.clone()}</code></p>
                                    })}
                                    {(!link.attributes.is_empty()).then(|| view! {
                                        <AttributeTable label="Link attributes" attributes=link.attributes.clone() filter/>
                                    })}
                                </li>
                            })
                        }).collect_view()}
                    </ol>
                </Group>
            })}
            {(!resource.is_empty() || !resource_schema.is_empty()).then(|| view! {
                <Group label="Resource" count=resource.len()>
                    <AttributeTable label="Resource attributes" attributes=resource filter/>
                    <SchemaUrl url=resource_schema/>
                </Group>
            })}
            {(!scope.name.is_empty() || !scope.version.is_empty() || !scope.attributes.is_empty()).then(|| view! {
                <Group label="Scope" count=scope.attributes.len()>
                    <dl class="span-facts">
                        <div><dt>"Name"</dt><dd class="wrap">{scope.name.clone()}</dd></div>
                        {(!scope.version.is_empty()).then(|| view! {
                            <div><dt>"Version"</dt><dd class="wrap">{scope.version.clone()}</dd></div>
                        })}
                    </dl>
                    {(!scope.attributes.is_empty()).then(|| view! {
                        <AttributeTable label="Scope attributes" attributes=scope.attributes.clone() filter/>
                    })}
                    <SchemaUrl url=scope_schema/>
                </Group>
            })}
            {dropped.map(|text| view! {
                <p class="dropped" role="note">"Dropped before sending: " {text}</p>
            })}
            {(!detail.warnings.is_empty()).then(|| view! {
                <section class="detail-group warnings" aria-label="Warnings">
                    <h4>"Warnings"</h4>
                    <ul>{detail.warnings.iter().map(|w| view! { <li class="wrap">{w.clone()}</li> }).collect_view()}</ul>
                </section>
            })}
        </div>
    }
}

/// A titled group of the details, its count beside the title.
#[component]
fn Group(label: &'static str, count: usize, children: Children) -> impl IntoView {
    view! {
        <section class="detail-group" aria-label=label>
            <h4>{label} " " <span class="count">{count}</span></h4>
            {children()}
        </section>
    }
}

#[component]
fn SchemaUrl(url: String) -> impl IntoView {
    (!url.is_empty()).then(|| view! { <p class="muted wrap">"Schema: " <TagValue value=url/></p> })
}

/// Attributes as a table of key, type and value (a composite value's members listed below it, each
/// typed), with a copy button per value; only those the filter lets through.
#[component]
fn AttributeTable(label: &'static str, attributes: Vec<Attribute>, filter: RwSignal<String>) -> impl IntoView {
    let rows = move || {
        let query = filter.get();
        let shown = filter_attributes(&attributes, &query);
        if shown.is_empty() {
            let text = if attributes.is_empty() { "No attributes" } else { "No attribute matches the filter" };
            return view! { <tr><td colspan="4" class="muted">{text}</td></tr> }.into_any();
        }
        shown.into_iter().map(|a| view! { <AttributeRow attribute=a.clone()/> }).collect_view().into_any()
    };
    view! {
        <table class="kv-table attr-table" aria-label=label>
            <thead><tr><th scope="col">"Key"</th><th scope="col">"Type"</th><th scope="col">"Value"</th>
                <th scope="col"><span class="visually-hidden">"Copy"</span></th></tr></thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

#[component]
fn AttributeRow(attribute: Attribute) -> impl IntoView {
    let Attribute { key, value } = attribute;
    let copy_label = format!("Copy {key}");
    view! {
        <tr>
            <th scope="row" class="wrap">{key}</th>
            <td><span class="value-type">{value.type_name()}</span></td>
            <td class="wrap"><TypedValue value=value.clone()/></td>
            <td><CopyButton text=value.to_display_string() label=copy_label/></td>
        </tr>
    }
}

/// One value: a scalar's text (a link for an http(s) string), or a composite's size and its
/// members, one per line, indented by depth, each with its type.
#[component]
fn TypedValue(value: AnyValue) -> impl IntoView {
    let lines = value_lines(&value);
    let head = match &value {
        AnyValue::String(s) if !s.is_empty() => view! { <TagValue value=s.clone()/> }.into_any(),
        other => view! { <span class="value-text">{value_text(other)}</span> }.into_any(),
    };
    view! {
        {head}
        {(!lines.is_empty()).then(|| view! {
            <ul class="value-members">
                {lines.into_iter().map(|line| view! {
                    <li style:padding-left=format!("{}em", f64::from(line.depth - 1) * 1.2)>
                        <span class="member-key">{line.label}</span>
                        " " <span class="value-type">{line.type_name}</span>
                        " " <span class="value-text">{line.text}</span>
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

/// One event: its name and time (relative to the trace, and absolute), an exception as an error
/// with its stack trace, the other attributes in a table.
#[component]
fn EventItem(span: u32, event: Event, filter: RwSignal<String>) -> impl IntoView {
    let state = expect_context::<TraceState>();
    let zone = use_time_zone();
    let (model, skew) = (state.model.clone(), state.skew);
    let at_us = round_to_micros(event.time_unix_nano);
    let m = model.clone();
    let at = Memo::new(move |_| m.annotation_time(span, at_us, skew.get()));
    let m = model.clone();
    let when = move || {
        let start = m.bounds(skew.get()).0;
        let t = at.get();
        format!(
            "+{} ({})",
            format_duration(t.saturating_sub(start) as f64),
            format_timestamp(t / 1000, offset_minutes(zone.get(), t / 1000))
        )
    };
    let exception = exception_of(&event);
    let rest: Vec<Attribute> = match &exception {
        Some(_) => event.attributes.iter().filter(|a| !Exception::is_own_key(&a.key)).cloned().collect(),
        None => event.attributes.clone(),
    };
    let name = event_name(&event).to_owned();
    let is_exception = exception.is_some();
    let dropped = event.dropped_attributes_count;
    view! {
        <li class="event" class:exception-event=is_exception>
            <p class="event-head"><strong class="wrap">{name}</strong> " " <span class="muted">{when}</span></p>
            {exception.map(|x| view! { <ExceptionView exception=x/> })}
            {(!rest.is_empty()).then(|| view! { <AttributeTable label="Event attributes" attributes=rest filter/> })}
            {(dropped > 0).then(|| view! { <p class="muted">{format!("{dropped} attributes dropped")}</p> })}
        </li>
    }
}

/// An exception, shown as an error: type and message, then the stack trace as preformatted text
/// that scrolls (never HTML), with a copy button.
#[component]
fn ExceptionView(exception: Exception) -> impl IntoView {
    let headline = exception.headline();
    let label = format!("Exception: {headline}");
    let stack = exception.stacktrace.clone();
    view! {
        <div class="exception" role="group" aria-label=label>
            <p class="exception-head">
                <span class="exception-badge">"Exception"</span> " "
                <strong class="wrap">{headline}</strong>
                {exception.escaped.filter(|e| *e).map(|_| view! { <span class="muted">" (escaped the span)"</span> })}
            </p>
            {(!stack.is_empty()).then(|| view! {
                <pre class="stacktrace" tabindex="0" aria-label="Stack trace">{stack.clone()}</pre>
                <CopyButton text=stack label="Copy stack trace"/>
            })}
        </div>
    }
}
