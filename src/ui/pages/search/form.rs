//! The criteria form: every field labelled, Enter anywhere runs the search, which becomes the URL.
//! It edits a draft ([`SearchForm`], strings as typed) seeded from the URL's criteria; the draft is
//! rebuilt only when the URL changes from outside (back button, a pasted link), never after its
//! own submit, so focus and half-typed text survive a search.
use super::tag_input::TagInput;
use super::view_state::{search_href, ViewState};
use crate::api::backend::Backend;
use crate::api::backend_kind::BackendKind;
use crate::api::error::ApiError;
use crate::ui::browser::now_ms;
use crate::ui::time_zone::{offset_minutes, TimeZone};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use spanscope_domain::search_criteria::{lookback_label, FieldProblem, SearchForm, TagTerm, CUSTOM_RANGE};
use spanscope_domain::search_results::{view_query, ResultFilter};
use spanscope_domain::search_url::{to_query, Lookback, SearchCriteria, FIXED_LOOKBACKS};
use spanscope_domain::time_format::{format_datetime_local, format_offset, parse_datetime_local};
use std::sync::Arc;

#[component]
pub fn CriteriaForm(
    criteria: Memo<SearchCriteria>,
    services: LocalResource<Result<Vec<String>, ApiError>>,
    view_state: ViewState,
) -> impl IntoView {
    // The criteria this form last put in the URL: seeing them come back is no reason to rebuild.
    let submitted = StoredValue::new(None::<SearchCriteria>);
    let generation = Memo::new(move |previous: Option<&u32>| {
        let c = criteria.get();
        match previous {
            None => 0,
            Some(&g) if submitted.with_value(|s| s.as_ref() == Some(&c)) => g,
            Some(&g) => g + 1,
        }
    });
    move || {
        // `get`, not `track`: a memo nobody reads is never recomputed, so tracking alone misses changes.
        let _ = generation.get();
        view! { <FormFields initial=criteria.get_untracked() services view_state submitted/> }
    }
}

#[component]
fn FormFields(
    initial: SearchCriteria,
    services: LocalResource<Result<Vec<String>, ApiError>>,
    view_state: ViewState,
    submitted: StoredValue<Option<SearchCriteria>>,
) -> impl IntoView {
    let config = expect_context::<Arc<crate::api::config::Config>>();
    let client = expect_context::<Backend>();
    let navigate = use_navigate();
    let form = RwSignal::new(SearchForm {
        max_alone_allowed: client.capabilities().max_duration_alone,
        ..SearchForm::from_criteria(&initial, config.default_lookback, config.query_limit, now_ms())
    });
    let tag_text = RwSignal::new(String::new());
    let attempted = RwSignal::new(false);
    let time_zone = view_state.time_zone;

    let service = Memo::new(move |_| form.with(|f| f.service_name.clone()));
    let span_kind = Memo::new(move |_| form.with(|f| f.span_kind.clone()));
    let capabilities = client.capabilities();
    let server = client.kind();
    // Jaeger calls a span name an operation.
    let (span_name_label, any_span_name) = match client.kind() {
        BackendKind::Zipkin => ("Span name", "All span names"),
        BackendKind::Jaeger | BackendKind::JaegerLegacy => ("Operation", "All operations"),
    };
    let span_names = LocalResource::new({
        let client = client.clone();
        move || {
            let (client, service, kind) = (client.clone(), service.get(), span_kind.get());
            async move {
                // A list the backend cannot give is not asked for; a failed one leaves the field usable
                // with what the URL holds, and says so under it with a retry (issue 25).
                if service.is_empty() || !capabilities.span_names {
                    return Ok(Vec::new());
                }
                client.span_names(&service, &kind).await
            }
        }
    });
    let remote_services = LocalResource::new({
        let client = client.clone();
        move || {
            let (client, service) = (client.clone(), service.get());
            async move {
                if service.is_empty() || !capabilities.remote_service_filter {
                    return Ok(Vec::new());
                }
                client.remote_services(&service).await
            }
        }
    });

    let problems = move || if attempted.get() { form.with(SearchForm::problems) } else { Vec::new() };
    let problem_of = move |field: &'static str| {
        move || problems().into_iter().find(|p| p.field == field).map(|p: FieldProblem| p.message)
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // A complete `key=value` still in the tag box counts, as a person would expect.
        if let Some(term) = TagTerm::parse(&tag_text.get_untracked()) {
            form.update(|f| {
                if !f.tags.contains(&term) {
                    f.tags.push(term)
                }
            });
            tag_text.set(String::new());
        }
        match form.with_untracked(|f| f.to_criteria(now_ms())) {
            Ok(c) => {
                attempted.set(false);
                submitted.set_value(Some(c.clone()));
                // A new search starts unfiltered (an old filter could hide every new result); the sort stays.
                let view = view_query(view_state.sort.get_untracked(), &ResultFilter::default());
                navigate(&search_href(&to_query(&c), &view), NavigateOptions { resolve: false, ..Default::default() });
            }
            Err(_) => attempted.set(true),
        }
    };

    let text_field = move |id: &'static str,
                           label: &'static str,
                           placeholder: &'static str,
                           get: fn(&SearchForm) -> &String,
                           set: fn(&mut SearchForm, String),
                           field: &'static str| {
        let problem = problem_of(field);
        let problem_id = format!("{id}-problem");
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input
                    id=id
                    type="text"
                    placeholder=placeholder
                    autocomplete="off"
                    spellcheck="false"
                    aria-invalid=move || if problem().is_some() { "true" } else { "false" }
                    aria-describedby=problem_id.clone()
                    prop:value=move || form.with(|f| get(f).clone())
                    on:input=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                />
                <span id=problem_id class="field-problem">{problem}</span>
            </div>
        }
    };

    let name_select = move |id: &'static str,
                            label: &'static str,
                            any: &'static str,
                            names: LocalResource<Result<Vec<String>, ApiError>>,
                            get: fn(&SearchForm) -> &String,
                            set: fn(&mut SearchForm, String)| {
        let failure =
            move || names.get().and_then(Result::err).map(|e| format!("Could not list them: {}", e.title(server)));
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <select
                    id=id
                    prop:disabled=move || service.with(String::is_empty)
                    on:change=move |ev| form.update(|f| set(f, event_target_value(&ev)))
                    prop:value=move || form.with(|f| get(f).clone())
                >
                    <option value="">{any}</option>
                    {move || name_options(names.get().and_then(Result::ok).unwrap_or_default(), form.with(|f| get(f).clone()))}
                </select>
                {move || failure().map(|message| view! {
                    <span class="field-problem" role="alert">
                        {message} " "
                        <button type="button" on:click=move |_| names.refetch()>"Retry"</button>
                    </span>
                })}
            </div>
        }
    };

    let range_input = move |id: &'static str, label: &'static str, end: bool| {
        let value = move || {
            let ms = form.with(|f| if end { f.range_end_ms } else { f.range_start_ms });
            ms.map(|ms| format_datetime_local(ms, offset_minutes(time_zone.get(), ms))).unwrap_or_default()
        };
        let on_input = move |ev: leptos::ev::Event| {
            let text = event_target_value(&ev);
            let zone = time_zone.get_untracked();
            // The local offset depends on the date itself (daylight saving): read once at UTC to
            // find the day, then again with that day's offset.
            let ms = parse_datetime_local(&text, 0)
                .and_then(|guess| parse_datetime_local(&text, offset_minutes(zone, guess)));
            form.update(|f| if end { f.range_end_ms = ms } else { f.range_start_ms = ms });
        };
        let problem = problem_of(if end { "endTs" } else { "startTs" });
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input
                    id=id
                    type="datetime-local"
                    step="1"
                    aria-invalid=move || if problem().is_some() { "true" } else { "false" }
                    prop:value=value
                    on:change=on_input
                />
                <span class="field-problem">{problem}</span>
            </div>
        }
    };

    let on_lookback = move |ev: leptos::ev::Event| {
        let choice = event_target_value(&ev);
        form.update(|f| {
            if choice == CUSTOM_RANGE && f.range_end_ms.is_none() {
                // Start the custom range as the window the preset covered, ending now.
                let now = now_ms();
                let length = Lookback::fixed(&f.lookback).map_or(900_000, |l| l.length_ms(now));
                f.range_end_ms = Some(now);
                f.range_start_ms = Some(now.saturating_sub(length));
            }
            f.lookback = choice;
        });
    };
    let zone_note = move || match time_zone.get() {
        TimeZone::Utc => "UTC".to_owned(),
        TimeZone::Local => format!("local time, {}", format_offset(offset_minutes(TimeZone::Local, now_ms()))),
    };

    view! {
        <form class="search-form" role="search" aria-label="Search criteria" on:submit=on_submit novalidate=true>
            <div class="field">
                <label for="search-service">"Service"</label>
                <select
                    id="search-service"
                    on:change=move |ev| form.update(|f| {
                        f.service_name = event_target_value(&ev);
                        // Span names and remote services belong to a service.
                        f.span_name.clear();
                        f.remote_service_name.clear();
                    })
                    prop:value=move || service.get()
                >
                    <option value="">"All services"</option>
                    {move || {
                        let list = match services.get() {
                            Some(Ok(list)) => list,
                            _ => Vec::new(),
                        };
                        name_options(list, service.get())
                    }}
                </select>
            </div>
            // Only what the backend can search by is offered (`Capabilities`).
            {capabilities.span_kind_filter.then(|| view! {
                <div class="field">
                    <label for="search-span-kind">"Span kind"</label>
                    <select
                        id="search-span-kind"
                        title="Lists the operations of this kind"
                        on:change=move |ev| form.update(|f| {
                            f.span_kind = event_target_value(&ev);
                            // The operation list is of one kind.
                            f.span_name.clear();
                        })
                        prop:value=move || span_kind.get()
                    >
                        {SPAN_KINDS.iter().map(|(value, label)| {
                            let value = *value;
                            view! { <option value=value selected=move || span_kind.get() == value>{*label}</option> }
                        }).collect_view()}
                    </select>
                </div>
            })}
            {name_select("search-span-name", span_name_label, any_span_name, span_names,
                |f| &f.span_name, |f, v| f.span_name = v)}
            {capabilities.remote_service_filter.then(|| name_select("search-remote-service", "Remote service",
                "All remote services", remote_services, |f| &f.remote_service_name, |f, v| f.remote_service_name = v))}
            <TagInput form text=tag_text/>
            {capabilities.annotation_words.then(|| text_field("search-annotation-query", "Annotation query",
                "error and retry", |f| &f.raw_query, |f, v| f.raw_query = v, "annotationQuery"))}
            {text_field("search-min-duration", "Min duration", "e.g. 100ms",
                |f| &f.min_duration, |f, v| f.min_duration = v, "minDuration")}
            {text_field("search-max-duration", "Max duration", "e.g. 2s",
                |f| &f.max_duration, |f, v| f.max_duration = v, "maxDuration")}
            <div class="field">
                <label for="search-lookback">"Lookback"</label>
                <select id="search-lookback" on:change=on_lookback prop:value=move || form.with(|f| f.lookback.clone())>
                    {FIXED_LOOKBACKS
                        .iter()
                        .map(|(v, _)| {
                            let v = *v;
                            view! {
                                <option value=v selected=move || form.with(|f| f.lookback == v)>{lookback_label(v)}</option>
                            }
                        })
                        .collect_view()}
                    <option value=CUSTOM_RANGE selected=move || form.with(|f| f.lookback == CUSTOM_RANGE)>
                        "Custom range…"
                    </option>
                </select>
            </div>
            {move || form.with(|f| f.lookback == CUSTOM_RANGE).then(|| view! {
                <fieldset class="custom-range">
                    <legend>"Range (" {zone_note} ")"</legend>
                    {range_input("search-range-start", "From", false)}
                    {range_input("search-range-end", "To", true)}
                </fieldset>
            })}
            {text_field("search-limit", "Limit", "10", |f| &f.limit, |f, v| f.limit = v, "limit")}
            <div class="form-actions">
                <button type="submit" class="primary">"Search"</button>
            </div>
        </form>
    }
}

/// The span kinds Jaeger lists operations by (its `spanKind` values), "any" first.
const SPAN_KINDS: [(&str, &str); 6] = [
    ("", "Any"),
    ("server", "Server"),
    ("client", "Client"),
    ("producer", "Producer"),
    ("consumer", "Consumer"),
    ("internal", "Internal"),
];

/// The options of a name select, the current value selected; a value the server no longer lists
/// (from a link, say) is kept at the top so the form still shows what the URL asks for.
fn name_options(mut names: Vec<String>, current: String) -> impl IntoView {
    if !current.is_empty() && !names.contains(&current) {
        names.insert(0, current.clone());
    }
    names
        .into_iter()
        .map(|n| {
            let selected = n == current;
            view! { <option value=n.clone() selected=selected>{n.clone()}</option> }
        })
        .collect_view()
}
