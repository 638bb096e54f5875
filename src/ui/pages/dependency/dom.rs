//! Browser glue the graph needs and Leptos does not give: an element's size as a signal, a
//! non-passive wheel listener (so the page does not scroll while zooming), theme changes as a
//! signal (a canvas cannot restyle itself from CSS) and animation frames (marks and the clock are
//! `ui::browser`'s).
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Coalesces redraw requests into one `requestAnimationFrame` callback: any number of
/// `request()` calls in one frame paint once.
#[derive(Clone)]
pub struct FrameScheduler {
    pending: Rc<Cell<bool>>,
    callback: Rc<Closure<dyn FnMut()>>,
}

impl FrameScheduler {
    pub fn new(mut paint: impl FnMut() + 'static) -> FrameScheduler {
        let pending = Rc::new(Cell::new(false));
        let flag = pending.clone();
        let callback = Closure::<dyn FnMut()>::new(move || {
            flag.set(false);
            paint();
        });
        FrameScheduler { pending, callback: Rc::new(callback) }
    }

    pub fn request(&self) {
        if self.pending.replace(true) {
            return;
        }
        if window().request_animation_frame(self.callback.as_ref().as_ref().unchecked_ref()).is_err() {
            self.pending.set(false);
        }
    }
}

/// The content-box size of the element behind `target`, updated by a `ResizeObserver`.
pub fn element_size(target: NodeRef<leptos::html::Div>) -> ReadSignal<(f64, f64)> {
    let (size, set_size) = signal((0.0, 0.0));
    let observer: StoredValue<Option<(web_sys::ResizeObserver, Closure<dyn FnMut(js_sys::Array)>)>, LocalStorage> =
        StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(el) = target.get() else { return };
        let callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            if let Some(entry) = entries.get(0).dyn_ref::<web_sys::ResizeObserverEntry>() {
                let rect = entry.content_rect();
                set_size.set((rect.width(), rect.height()));
            }
        });
        if let Ok(ro) = web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()) {
            ro.observe(&el);
            let rect = el.get_bounding_client_rect();
            set_size.set((rect.width(), rect.height()));
            observer.set_value(Some((ro, callback)));
        }
    });
    on_cleanup(move || {
        if let Some((ro, _)) = observer.try_update_value(Option::take).flatten() {
            ro.disconnect();
        }
    });
    size
}

/// Calls `handler` for wheel events on `target`, with `preventDefault` allowed (Chromium makes
/// delegated wheel listeners passive, which would scroll the page instead of zooming).
pub fn on_wheel(target: NodeRef<leptos::html::Div>, handler: impl Fn(web_sys::WheelEvent) + 'static) {
    let handler = Rc::new(handler);
    let listener: StoredValue<Option<(web_sys::Element, Closure<dyn FnMut(web_sys::WheelEvent)>)>, LocalStorage> =
        StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(el) = target.get() else { return };
        let h = handler.clone();
        let callback = Closure::<dyn FnMut(web_sys::WheelEvent)>::new(move |ev: web_sys::WheelEvent| h(ev));
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(false);
        let _ = el.add_event_listener_with_callback_and_add_event_listener_options(
            "wheel",
            callback.as_ref().unchecked_ref(),
            &options,
        );
        listener.set_value(Some((el.unchecked_into(), callback)));
    });
    on_cleanup(move || {
        if let Some((el, callback)) = listener.try_update_value(Option::take).flatten() {
            let _ = el.remove_event_listener_with_callback("wheel", callback.as_ref().unchecked_ref());
        }
    });
}

/// A counter that changes whenever the theme does (`data-theme` on `<html>`, or the system's
/// colour scheme), so a canvas can repaint with the new colours.
pub fn theme_version() -> ReadSignal<u32> {
    let (version, set_version) = signal(0u32);
    let bump = move || set_version.update(|v| *v = v.wrapping_add(1));
    let observer = Closure::<dyn FnMut()>::new(bump);
    let media_listener = Closure::<dyn FnMut()>::new(bump);
    let mo = web_sys::MutationObserver::new(observer.as_ref().unchecked_ref()).ok();
    if let (Some(mo), Some(root)) = (&mo, document().document_element()) {
        let init = web_sys::MutationObserverInit::new();
        init.set_attributes(true);
        init.set_attribute_filter(&js_sys::Array::of1(&JsValue::from_str("data-theme")));
        let _ = mo.observe_with_options(&root, &init);
    }
    let media = window().match_media("(prefers-color-scheme: dark)").ok().flatten();
    if let Some(m) = &media {
        let _ = m.add_event_listener_with_callback("change", media_listener.as_ref().unchecked_ref());
    }
    let kept = StoredValue::new_local(Some((mo, media, observer, media_listener)));
    on_cleanup(move || {
        if let Some((mo, media, _, listener)) = kept.try_update_value(Option::take).flatten() {
            if let Some(mo) = mo {
                mo.disconnect();
            }
            if let Some(m) = media {
                let _ = m.remove_event_listener_with_callback("change", listener.as_ref().unchecked_ref());
            }
        }
    });
    version
}

/// The value of a CSS custom property on `el` (`--dep-edge`), trimmed.
pub fn css_var(style: &web_sys::CssStyleDeclaration, name: &str) -> String {
    style.get_property_value(name).unwrap_or_default().trim().to_string()
}
