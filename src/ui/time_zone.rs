//! The time zone times are shown in: the browser's local zone or UTC, remembered in localStorage.
//! One preference for the whole app ([`TimeZonePreference`], provided by the shell), so a switch
//! on any page changes every time shown; times are formatted with `spanscope_domain::time_format`,
//! passing [`offset_minutes`] for each instant (local offsets change with daylight saving, so the
//! offset is asked per time, never once for all). This is the only place that asks the browser
//! for a UTC offset.
use leptos::prelude::*;
use wasm_bindgen::JsValue;

const STORAGE_KEY: &str = "spanscope.timeZone";

/// Where wall-clock times are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TimeZone {
    #[default]
    Local,
    Utc,
}

impl TimeZone {
    pub const ALL: [TimeZone; 2] = [TimeZone::Local, TimeZone::Utc];

    pub fn as_str(self) -> &'static str {
        match self {
            TimeZone::Local => "local",
            TimeZone::Utc => "utc",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TimeZone::Local => "Local time",
            TimeZone::Utc => "UTC",
        }
    }

    pub fn parse(text: &str) -> Option<TimeZone> {
        TimeZone::ALL.into_iter().find(|z| z.as_str() == text)
    }
}

/// The app-wide choice, as context: one signal every page reads and every switch writes.
#[derive(Debug, Clone, Copy)]
pub struct TimeZonePreference(pub RwSignal<TimeZone>);

impl TimeZonePreference {
    /// Provides the remembered choice to everything below the caller (the shell calls it once).
    pub fn provide() -> RwSignal<TimeZone> {
        let zone = RwSignal::new(stored_time_zone());
        provide_context(TimeZonePreference(zone));
        zone
    }
}

/// The time-zone preference in effect. Outside the shell (a component mounted on its own) it
/// falls back to the remembered choice, unshared.
pub fn use_time_zone() -> RwSignal<TimeZone> {
    use_context::<TimeZonePreference>().map_or_else(|| RwSignal::new(stored_time_zone()), |p| p.0)
}

/// The remembered choice, local time when none.
pub fn stored_time_zone() -> TimeZone {
    storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten()).and_then(|z| TimeZone::parse(&z)).unwrap_or_default()
}

/// Remembers the choice for the next visit and the other pages.
pub fn remember_time_zone(zone: TimeZone) {
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, zone.as_str());
    }
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Minutes east of UTC of `zone` at the instant `ms` (ms since the epoch).
pub fn offset_minutes(zone: TimeZone, ms: u64) -> i32 {
    match zone {
        TimeZone::Utc => 0,
        // getTimezoneOffset is minutes *west* of UTC, for that instant's rules (DST included).
        TimeZone::Local => -(js_sys::Date::new(&JsValue::from_f64(ms as f64)).get_timezone_offset() as i32),
    }
}

/// A labelled select (Local time / UTC) that switches and remembers the zone.
#[component]
pub fn TimeZoneSwitch(zone: RwSignal<TimeZone>) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(z) = TimeZone::parse(&event_target_value(&ev)) {
            remember_time_zone(z);
            zone.set(z);
        }
    };
    view! {
        <label class="time-zone-switch">
            <span>"Times in"</span>
            <select on:change=on_change prop:value=move || zone.get().as_str()>
                {TimeZone::ALL
                    .into_iter()
                    .map(|z| view! { <option value=z.as_str() selected=move || zone.get() == z>{z.label()}</option> })
                    .collect_view()}
            </select>
        </label>
    }
}
