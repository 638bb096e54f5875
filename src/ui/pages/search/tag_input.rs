//! Tag terms (`key=value`) as removable chips plus an ARIA combobox that suggests keys from
//! `/autocompleteKeys`, then values from `/autocompleteValues` once `key=` is typed. Keyboard:
//! arrows move through suggestions, Enter picks one (or adds the typed term), Escape closes the
//! list, Backspace in an empty box removes the last term, and Enter in an empty box runs the search.
use crate::api::zipkin::ZipkinClient;
use leptos::prelude::*;
use spanscope_domain::search_criteria::{matching_suggestions, tag_phase, SearchForm, TagPhase, TagTerm};

const MAX_SUGGESTIONS: usize = 12;
const LISTBOX_ID: &str = "search-tag-suggestions";

#[component]
pub fn TagInput(form: RwSignal<SearchForm>, text: RwSignal<String>) -> impl IntoView {
    let client = expect_context::<ZipkinClient>();
    let keys = LocalResource::new({
        let client = client.clone();
        move || {
            let client = client.clone();
            // No suggestions is a fine answer when the server indexes no keys or fails.
            async move { client.autocomplete_keys().await.unwrap_or_default() }
        }
    });
    let phase = Memo::new(move |_| tag_phase(&text.get()));
    let value_key = Memo::new(move |_| match phase.get() {
        TagPhase::Value { key, .. } => key,
        TagPhase::Key(_) => String::new(),
    });
    let values = LocalResource::new(move || {
        let (client, key) = (client.clone(), value_key.get());
        async move {
            if key.is_empty() {
                Vec::new()
            } else {
                client.autocomplete_values(&key).await.unwrap_or_default()
            }
        }
    });
    let suggestions = Memo::new(move |_| {
        match phase.get() {
            TagPhase::Key(prefix) => keys.get().map(|k| matching_suggestions(&k, &prefix, MAX_SUGGESTIONS)),
            TagPhase::Value { prefix, .. } => values.get().map(|v| matching_suggestions(&v, &prefix, MAX_SUGGESTIONS)),
        }
        .unwrap_or_default()
    });
    let active = RwSignal::new(None::<usize>);
    let focused = RwSignal::new(false);
    let dismissed = RwSignal::new(false);
    let problem = RwSignal::new(None::<&'static str>);
    let open = move || focused.get() && !dismissed.get() && suggestions.with(|s| !s.is_empty());

    let add_term = move |term: TagTerm| {
        form.update(|f| {
            if !f.tags.contains(&term) {
                f.tags.push(term);
            }
        });
        text.set(String::new());
        active.set(None);
    };
    let pick = move |choice: String| match phase.get_untracked() {
        TagPhase::Key(_) => {
            text.set(format!("{choice}="));
            active.set(None);
        }
        TagPhase::Value { key, .. } => add_term(TagTerm { key, value: choice }),
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        let count = suggestions.with(Vec::len);
        match ev.key().as_str() {
            "ArrowDown" | "ArrowUp" if count > 0 => {
                ev.prevent_default();
                dismissed.set(false);
                let down = ev.key() == "ArrowDown";
                active.update(|a| {
                    *a = Some(match (*a, down) {
                        (None, true) => 0,
                        (None, false) => count - 1,
                        (Some(i), true) => (i + 1) % count,
                        (Some(i), false) => (i + count - 1) % count,
                    })
                });
            }
            "Escape" if open() => {
                ev.prevent_default();
                dismissed.set(true);
                active.set(None);
            }
            "Enter" => {
                if let Some(choice) =
                    active.get_untracked().filter(|_| open()).and_then(|i| suggestions.with(|s| s.get(i).cloned()))
                {
                    ev.prevent_default();
                    pick(choice);
                } else if !text.with_untracked(|t| t.trim().is_empty()) {
                    ev.prevent_default();
                    match TagTerm::parse(&text.get_untracked()) {
                        Some(term) => add_term(term),
                        None => problem.set(Some("Write a tag as key=value; bare words go in Annotation query.")),
                    }
                }
                // An empty box lets Enter submit the form: the search runs.
            }
            "Backspace" if text.with_untracked(String::is_empty) => {
                form.update(|f| {
                    f.tags.pop();
                });
            }
            _ => {}
        }
    };
    let option_id = |i: usize| format!("{LISTBOX_ID}-{i}");

    view! {
        <div class="field tag-field">
            <label for="search-tags">"Tags"</label>
            <div class="tag-box">
                <ul class="tag-terms" aria-label="Tag terms">
                    <For
                        each=move || form.with(|f| f.tags.clone())
                        key=|t| t.clone()
                        let:term
                    >
                        {
                            let shown = term.to_query_term();
                            let label = format!("Remove tag {shown}");
                            let removed = term.clone();
                            view! {
                                <li class="tag-term">
                                    <span class="mono">{shown}</span>
                                    <button
                                        type="button"
                                        class="tag-remove"
                                        aria-label=label
                                        on:click=move |_| form.update(|f| f.tags.retain(|t| *t != removed))
                                    >
                                        "×"
                                    </button>
                                </li>
                            }
                        }
                    </For>
                </ul>
                <input
                    id="search-tags"
                    type="text"
                    role="combobox"
                    placeholder="key=value"
                    autocomplete="off"
                    spellcheck="false"
                    aria-autocomplete="list"
                    aria-controls=LISTBOX_ID
                    aria-expanded=move || if open() { "true" } else { "false" }
                    aria-activedescendant=move || active.get().filter(|_| open()).map(option_id)
                    aria-describedby="search-tags-problem"
                    prop:value=move || text.get()
                    on:input=move |ev| {
                        text.set(event_target_value(&ev));
                        active.set(None);
                        dismissed.set(false);
                        problem.set(None);
                    }
                    on:keydown=on_keydown
                    on:focus=move |_| focused.set(true)
                    on:blur=move |_| focused.set(false)
                />
            </div>
            <ul id=LISTBOX_ID class="suggestions" role="listbox" aria-label="Tag suggestions" hidden=move || !open()>
                {move || suggestions.get().into_iter().enumerate().map(|(i, s)| {
                    let choice = s.clone();
                    view! {
                        <li
                            id=option_id(i)
                            role="option"
                            aria-selected=move || if active.get() == Some(i) { "true" } else { "false" }
                            // mousedown, not click: picking must not blur the input first.
                            on:mousedown=move |ev| {
                                ev.prevent_default();
                                pick(choice.clone());
                            }
                        >
                            {s}
                        </li>
                    }
                }).collect_view()}
            </ul>
            <span id="search-tags-problem" class="field-problem">{move || problem.get()}</span>
        </div>
    }
}
