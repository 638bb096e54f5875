//! The colour theme: light, dark or the system's, remembered in localStorage and applied
//! without a reload by setting `data-theme` on `<html>` (the CSS does the rest).
use leptos::prelude::*;

const STORAGE_KEY: &str = "spanscope.theme";

/// A person's theme preference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "System",
            Theme::Light => "Light",
            Theme::Dark => "Dark",
        }
    }

    pub fn parse(text: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.as_str() == text)
    }
}

/// The theme remembered in localStorage, or the system's.
pub fn stored_theme() -> Theme {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|t| Theme::parse(&t))
        .unwrap_or(Theme::System)
}

/// Applies a theme to the document. `forced` (an embedding page's `theme=`) wins and is not stored.
pub fn apply_theme(theme: Theme) {
    let Some(root) = document().document_element() else {
        return;
    };
    let _ = match theme {
        Theme::System => root.remove_attribute("data-theme"),
        other => root.set_attribute("data-theme", other.as_str()),
    };
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// A labelled select: System / Light / Dark. Changing it applies and remembers the theme.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    let theme = RwSignal::new(stored_theme());
    Effect::new(move |_| apply_theme(theme.get()));
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(t) = Theme::parse(&event_target_value(&ev)) {
            if let Some(s) = storage() {
                let _ = s.set_item(STORAGE_KEY, t.as_str());
            }
            theme.set(t);
        }
    };
    view! {
        <label class="theme-switch">
            <span class="visually-hidden">"Theme"</span>
            <select on:change=on_change prop:value=move || theme.get().as_str()>
                {Theme::ALL
                    .into_iter()
                    .map(|t| view! { <option value=t.as_str() selected=move || theme.get() == t>{t.label()}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
