//! Small browser services the pages share: yielding so progress paints, Performance API marks
//! (read by `make bench`), the clock, the clipboard, and saving bytes as a download. Pages use these
//! rather than their own copies.
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Resolves after the browser has had a chance to paint (a frame, then a task), so a status
/// set just before a long synchronous step is on screen while it runs. Hidden tabs get no
/// frames, so a timer resolves it too: loading never waits for the tab to be shown.
pub async fn yield_to_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let w = window();
        let fallback = resolve.clone();
        let after_frame = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), 0);
        });
        let _ = w.request_animation_frame(after_frame.unchecked_ref());
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(fallback.unchecked_ref(), 100);
    });
    let _ = JsFuture::from(promise).await;
}

/// `performance.mark(name)`, for benchmarks that read the app's phases.
pub fn mark(name: &str) {
    if let Some(p) = window().performance() {
        let _ = p.mark(name);
    }
}

/// Runs `f` on the next animation frame (after the DOM changes of this turn are painted).
pub fn on_next_frame(f: impl FnOnce() + 'static) {
    let cb = wasm_bindgen::closure::Closure::once_into_js(f);
    let _ = window().request_animation_frame(cb.unchecked_ref());
}

/// Copies text to the clipboard; answers whether the browser accepted it.
pub async fn copy_text(text: &str) -> bool {
    let clipboard = window().navigator().clipboard();
    JsFuture::from(clipboard.write_text(text)).await.is_ok()
}

/// Offers `bytes` as a file download named `file_name`.
pub fn save_file(file_name: &str, bytes: &[u8], mime: &str) {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    if let Ok(a) = document().create_element("a") {
        let a: web_sys::HtmlAnchorElement = a.unchecked_into();
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Milliseconds since the epoch, now.
pub fn now_ms() -> u64 {
    js_sys::Date::now().max(0.0) as u64
}

/// Whether a keyboard event comes from a text field (so page shortcuts leave it alone).
pub fn typing_in_field(ev: &web_sys::KeyboardEvent) -> bool {
    let Some(target) = ev.target() else { return false };
    let Ok(el) = target.dyn_into::<web_sys::Element>() else { return false };
    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT") || el.has_attribute("contenteditable")
}

/// Calls `handler` whenever anything on the page scrolls, for as long as the calling component
/// lives. Scroll events do not bubble, and the page scrolls inside `<main>` rather than the window,
/// so this listens in the capture phase, where every element's scroll passes by.
pub fn on_any_scroll(handler: impl Fn() + 'static) {
    let callback = wasm_bindgen::closure::Closure::<dyn FnMut()>::new(handler);
    let _ = window().add_event_listener_with_callback_and_bool("scroll", callback.as_ref().unchecked_ref(), true);
    let kept = StoredValue::new_local(Some(callback));
    on_cleanup(move || {
        if let Some(callback) = kept.try_update_value(Option::take).flatten() {
            let _ = window().remove_event_listener_with_callback_and_bool(
                "scroll",
                callback.as_ref().unchecked_ref(),
                true,
            );
        }
    });
}
