//! The colour theme: light, dark or the system's, remembered in localStorage and applied
//! without a reload by setting `data-theme` on `<html>` (the CSS does the rest). An embedding page
//! may force a theme over the stored one.
use leptos::prelude::*;
use spanscope_domain::embed_flags::ThemeChoice;

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

/// Applies a theme to the document (the CSS reads `data-theme` on `<html>`).
pub fn apply_theme(theme: Theme) {
    let Some(root) = document().document_element() else {
        return;
    };
    let _ = match theme {
        Theme::System => root.remove_attribute("data-theme"),
        other => root.set_attribute("data-theme", other.as_str()),
    };
}

impl From<ThemeChoice> for Theme {
    fn from(choice: ThemeChoice) -> Theme {
        match choice {
            ThemeChoice::System => Theme::System,
            ThemeChoice::Light => Theme::Light,
            ThemeChoice::Dark => Theme::Dark,
        }
    }
}

/// The app's theme: the person's stored preference and, over it, a theme an embedding page forces
/// (`theme=` in the URL or a `spanscope:setTheme` message), which is never stored. Provided by the
/// shell, which applies it whether or not the header (and its switch) is shown.
#[derive(Debug, Clone, Copy)]
pub struct ThemeState {
    pub stored: RwSignal<Theme>,
    pub forced: RwSignal<Option<Theme>>,
}

impl ThemeState {
    /// Creates the state, provides it as context and keeps the document's theme in step with it.
    pub fn provide(forced: Option<Theme>) -> ThemeState {
        let state = ThemeState { stored: RwSignal::new(stored_theme()), forced: RwSignal::new(forced) };
        provide_context(state);
        Effect::new(move |_| apply_theme(state.current()));
        state
    }

    /// The theme in effect.
    pub fn current(&self) -> Theme {
        self.forced.get().unwrap_or_else(|| self.stored.get())
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// A labelled select: System / Light / Dark. Changing it remembers the theme; a person's choice
/// also ends a theme forced by a `theme=` link.
#[component]
pub fn ThemeSwitch() -> impl IntoView {
    // Standalone (a component test, a page without the shell) the switch keeps the theme itself.
    let theme = use_context::<ThemeState>().unwrap_or_else(|| ThemeState::provide(None));
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(t) = Theme::parse(&event_target_value(&ev)) {
            if let Some(s) = storage() {
                let _ = s.set_item(STORAGE_KEY, t.as_str());
            }
            theme.stored.set(t);
            theme.forced.set(None);
        }
    };
    view! {
        <label class="theme-switch">
            <span class="visually-hidden">"Theme"</span>
            <select on:change=on_change prop:value=move || theme.current().as_str()>
                {Theme::ALL
                    .into_iter()
                    .map(|t| view! { <option value=t.as_str() selected=move || theme.current() == t>{t.label()}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
