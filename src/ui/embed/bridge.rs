//! The frame's side of the postMessage protocol: announces readiness to the parent page, obeys
//! `spanscope:showTrace`, `spanscope:selectSpan` and `spanscope:setTheme` from allowed origins, and
//! reports `spanscope:spanSelected`. Validation and the origin rules are `domain::embed_message`'s.
use crate::api::config::Config;
use crate::ui::open_json::{OpenedFile, OpenedFileSlot};
use crate::ui::theme::{Theme, ThemeState};
use leptos::prelude::*;
use spanscope_domain::embed_message::{
    error_message, origin_allowed, parse_host_message, ready_message, report_target, span_selected_message,
    HostMessage, MessageError,
};
use std::sync::Arc;
use wasm_bindgen::JsValue;

/// The name a trace sent without one is shown under.
const DEFAULT_TRACE_NAME: &str = "Trace from the host page";

/// The frame's link to its host page, provided by the shell.
#[derive(Debug, Clone, Copy)]
pub struct EmbedBridge {
    /// config.json's `allowedOrigins`.
    allowed: StoredValue<Vec<String>>,
    /// Where the frame's own messages go (`report_target`); `None`: nowhere (not framed, or the parent
    /// may not drive the frame).
    target: StoredValue<Option<String>>,
    /// A span the host asked to select, until a trace view takes it (the host may ask right after
    /// `showTrace`, before the trace is decoded and on screen).
    pending_select: RwSignal<Option<String>>,
}

impl EmbedBridge {
    /// Creates the bridge for this page and provides it to the pages.
    pub fn provide(config: &Config) -> EmbedBridge {
        let allowed = config.allowed_origins.clone();
        let target = parent_window().and_then(|_| report_target(parent_origin().as_deref(), &allowed));
        let bridge = EmbedBridge {
            allowed: StoredValue::new(allowed),
            target: StoredValue::new(target),
            pending_select: RwSignal::new(None),
        };
        provide_context(bridge);
        bridge
    }

    /// Posts a message (JSON text) to the parent page, if it may hear it.
    fn post(&self, text: &str) {
        let (Some(parent), Some(target)) = (parent_window(), self.target.get_value()) else {
            return;
        };
        // Posted as an object, not as text, so host code reads `event.data.type` directly.
        let message = js_sys::JSON::parse(text).unwrap_or_else(|_| JsValue::from_str(text));
        if parent.post_message(&message, &target).is_err() {
            debug(&format!("Spanscope could not post a message to {target}"));
        }
    }
}

/// The parent window when this page is in a frame.
fn parent_window() -> Option<web_sys::Window> {
    let this = window();
    let parent = this.parent().ok().flatten()?;
    (!js_sys::Object::is(&parent, &this)).then_some(parent)
}

/// The parent page's origin when the browser tells it: `location.ancestorOrigins` (Chromium, WebKit),
/// else the referrer's origin (the frame's first URL was requested by its parent page).
fn parent_origin() -> Option<String> {
    let location = window().location();
    let from_ancestors = js_sys::Reflect::get(&location, &JsValue::from_str("ancestorOrigins"))
        .ok()
        .filter(|list| !list.is_undefined() && !list.is_null())
        .and_then(|list| js_sys::Reflect::get(&list, &JsValue::from_f64(0.0)).ok())
        .and_then(|first| first.as_string());
    from_ancestors.or_else(|| {
        let referrer = document().referrer();
        (!referrer.is_empty()).then(|| web_sys::Url::new(&referrer).ok().map(|u| u.origin())).flatten()
    })
}

/// Logs at debug level only: a page full of other tools' messages must not fill the console.
fn debug(text: &str) {
    web_sys::console::debug_1(&JsValue::from_str(text));
}

/// The data of a message as JSON text (hosts post objects, or JSON as a string).
fn message_text(data: &JsValue) -> Option<String> {
    data.as_string().or_else(|| js_sys::JSON::stringify(data).ok().and_then(|s| s.as_string()))
}

/// Listens to the host page for as long as the calling component lives, then says it is ready.
/// Call inside the router (a trace sent by the host is shown by navigating to the trace viewer).
pub fn listen(navigate: impl Fn(&str, leptos_router::NavigateOptions) + Clone + 'static) {
    let (Some(bridge), Some(slot)) = (use_context::<EmbedBridge>(), use_context::<OpenedFileSlot>()) else {
        return;
    };
    let theme = use_context::<ThemeState>();
    // An empty allowedOrigins turns the protocol off: nothing is heard or said.
    if bridge.allowed.with_value(Vec::is_empty) {
        return;
    }
    let handle = window_event_listener(leptos::ev::message, move |ev: web_sys::MessageEvent| {
        let origin = ev.origin();
        if !bridge.allowed.with_value(|allowed| origin_allowed(&origin, allowed)) {
            debug(&format!("Spanscope ignored a message from {origin}: not in config.json allowedOrigins"));
            return;
        }
        // An allowed parent that speaks has told us its origin for certain: answers go there.
        if let (Some(source), Some(parent)) = (ev.source(), parent_window()) {
            if js_sys::Object::is(&source, &parent) {
                bridge.target.set_value(Some(origin.clone()));
            }
        }
        let parsed = message_text(&ev.data()).map_or(Err(MessageError::NotOurs), |text| parse_host_message(&text));
        let message = match parsed {
            Ok(message) => message,
            Err(MessageError::NotOurs) => return,
            Err(error) => {
                debug(&format!("Spanscope ignored a message from {origin}: {error}"));
                bridge.post(&error_message(&error));
                return;
            }
        };
        match message {
            HostMessage::ShowTrace { json, name } => {
                let name = name.unwrap_or_else(|| DEFAULT_TRACE_NAME.to_string());
                slot.0.set(Some(Ok(OpenedFile { name, bytes: Arc::new(json.into_bytes()), from_host: true })));
                navigate("/traceViewer", Default::default());
            }
            HostMessage::SelectSpan { span_id } => bridge.pending_select.set(Some(span_id)),
            HostMessage::SetTheme { theme: choice } => {
                if let Some(theme) = theme {
                    theme.forced.set(Some(Theme::from(choice)));
                }
            }
        }
    });
    on_cleanup(move || handle.remove());
    bridge.post(&ready_message());
}

/// Tells the host page that a trace it sent (`spanscope:showTrace`) does not read, and why; the page shows the
/// same message.
pub fn report_unreadable_trace(why: &str) {
    if let Some(bridge) = use_context::<EmbedBridge>() {
        bridge.post(&error_message(&MessageError::Invalid(format!("spanscope:showTrace: {why}"))));
    }
}

/// Connects a trace view to the host page: reports its selection as it changes (`spanId: null` when
/// cleared) and selects what the host asks for. `select` answers whether the span is in the trace.
pub fn connect_trace_view(trace_id: String, selected: Signal<Option<String>>, select: impl Fn(&str) -> bool + 'static) {
    // Connected even while nobody listens: a parent whose origin was unknown may speak up later.
    let Some(bridge) = use_context::<EmbedBridge>() else {
        return;
    };
    Effect::new(move |previous: Option<Option<String>>| {
        let now = selected.get();
        // The selection a view opens with is reported too (unless there is none), then every change.
        let changed = match &previous {
            None => now.is_some(),
            Some(before) => *before != now,
        };
        if changed {
            bridge.post(&span_selected_message(&trace_id, now.as_deref()));
        }
        now
    });
    Effect::new(move |_| {
        let Some(span_id) = bridge.pending_select.get() else {
            return;
        };
        if !select(&span_id) {
            bridge.post(&error_message(&MessageError::Invalid(format!(
                "spanscope:selectSpan: this trace has no span {span_id}"
            ))));
        }
        bridge.pending_select.set(None);
    });
}
