//! One request through the browser's `fetch`, cancellable and with a time limit, answering
//! bytes or an [`ApiError`]. Bodies are read as bytes (never as a JS string) so a 50 MB trace
//! is copied once into wasm memory and decoded there.
use super::answer_shape::{answer_shape, AnswerShape};
use super::body_size;
use super::error::{error_body_message, ApiError};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, RequestInit, Response};

/// How long a request may take before it is abandoned. Zipkin itself gives up after 11 s.
pub const DEFAULT_TIMEOUT_SECONDS: u32 = 30;

/// Keeps at most one request of a kind in flight: starting a new one aborts the previous,
/// so a slow old search can never overwrite a newer one's results.
#[derive(Default)]
pub struct LatestRequest {
    current: RefCell<Option<AbortController>>,
}

impl LatestRequest {
    /// Aborts the request in flight, if any, and returns the controller for the next one.
    pub fn replace(&self) -> Option<AbortController> {
        let next = AbortController::new().ok();
        if let Some(previous) = self.current.replace(next.clone()) {
            previous.abort();
        }
        next
    }
}

/// A GET (or a POST when `body` is given) answering the response body as bytes.
pub async fn fetch_bytes(
    url: &str,
    post: Option<(&[u8], &str)>,
    controller: Option<AbortController>,
) -> Result<Vec<u8>, ApiError> {
    let window = web_sys::window().ok_or(ApiError::Cancelled)?;
    let controller = controller.or_else(|| AbortController::new().ok());
    let init = RequestInit::new();
    if let Some((body, content_type)) = post {
        init.set_method("POST");
        init.set_body(&js_sys::Uint8Array::from(body));
        if let Ok(headers) = web_sys::Headers::new() {
            let _ = headers.set("Content-Type", content_type);
            init.set_headers(&headers);
        }
    }
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    let timer = controller.as_ref().map(|c| Timeout::start(c, DEFAULT_TIMEOUT_SECONDS));

    let answer = JsFuture::from(window.fetch_with_str_and_init(url, &init)).await;
    let response: Response = match answer {
        Ok(value) => value.unchecked_into(),
        Err(_) => return Err(failure_without_answer(url, &controller, &timer)),
    };
    let body = match response.array_buffer() {
        Ok(promise) => JsFuture::from(promise).await,
        Err(e) => Err(e),
    };
    let bytes = match body {
        Ok(buffer) => js_sys::Uint8Array::new(&buffer).to_vec(),
        Err(_) => return Err(failure_without_answer(url, &controller, &timer)),
    };
    drop(timer);
    checked_status(url, &response, bytes)
}

/// A GET whose body `decode` reads, as an answer of a `server` of this kind (`answer::decode_as`).
pub async fn get_decoded<T>(
    url: &str,
    controller: Option<AbortController>,
    server: super::backend_kind::BackendKind,
    decode: fn(&[u8]) -> Result<T, String>,
) -> Result<T, ApiError> {
    let bytes = fetch_bytes(url, None, controller).await?;
    super::answer::decode_as(server, url, &bytes, decode)
}

/// The body when the status is a success; otherwise the status with the body's message.
fn checked_status(url: &str, response: &Response, bytes: Vec<u8>) -> Result<Vec<u8>, ApiError> {
    if response.ok() {
        return Ok(bytes);
    }
    Err(ApiError::Status {
        url: url.to_string(),
        status: response.status(),
        status_text: response.status_text(),
        message: error_body_message(&String::from_utf8_lossy(&bytes)),
        looks_like: match answer_shape(&bytes) {
            AnswerShape::Api(kind) => Some(kind),
            _ => None,
        },
    })
}

/// Tells a timeout and a cancellation apart from a network failure.
fn failure_without_answer(url: &str, controller: &Option<AbortController>, timer: &Option<Timeout>) -> ApiError {
    let aborted = controller.as_ref().is_some_and(|c| c.signal().aborted());
    match timer {
        Some(t) if t.fired.get() => ApiError::TimedOut { url: url.to_string(), seconds: t.seconds },
        _ if aborted => ApiError::Cancelled,
        _ => ApiError::Unreachable { url: url.to_string(), cross_origin: is_cross_origin(url) },
    }
}

/// True when `url` points at another origin than the page's (so CORS may be the cause).
pub fn is_cross_origin(url: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let Ok(page_origin) = window.location().origin() else {
        return false;
    };
    match web_sys::Url::new_with_base(url, &page_origin) {
        Ok(parsed) => parsed.origin() != page_origin,
        Err(_) => false,
    }
}

/// Aborts a request after a number of seconds; cleared when dropped.
struct Timeout {
    handle: i32,
    fired: Rc<Cell<bool>>,
    seconds: u32,
    _callback: Closure<dyn FnMut()>,
}

impl Timeout {
    fn start(controller: &AbortController, seconds: u32) -> Timeout {
        let fired = Rc::new(Cell::new(false));
        let (flag, target) = (fired.clone(), controller.clone());
        let callback = Closure::<dyn FnMut()>::new(move || {
            flag.set(true);
            target.abort();
        });
        let handle = web_sys::window()
            .and_then(|w| {
                w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    callback.as_ref().unchecked_ref(),
                    (seconds * 1000) as i32,
                )
                .ok()
            })
            .unwrap_or(0);
        Timeout { handle, fired, seconds, _callback: callback }
    }
}

impl Drop for Timeout {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            w.clear_timeout_with_handle(self.handle);
        }
    }
}

/// A GET whose body is read chunk by chunk, calling `on_progress` with the bytes received so far,
/// so a 50 MB trace shows how far its download is. Falls back to one read where the browser
/// gives no stream.
pub async fn fetch_bytes_with_progress(
    url: &str,
    controller: Option<AbortController>,
    on_progress: &dyn Fn(u64),
) -> Result<Vec<u8>, ApiError> {
    let window = web_sys::window().ok_or(ApiError::Cancelled)?;
    let init = RequestInit::new();
    if let Some(c) = &controller {
        init.set_signal(Some(&c.signal()));
    }
    let timer = controller.as_ref().map(|c| Timeout::start(c, DEFAULT_TIMEOUT_SECONDS * 4));
    let response: Response = match JsFuture::from(window.fetch_with_str_and_init(url, &init)).await {
        Ok(value) => value.unchecked_into(),
        Err(_) => return Err(failure_without_answer(url, &controller, &timer)),
    };
    // Reserve the announced size up front (body_size: believed only up to a cap, and a reservation that
    // cannot be had is skipped, not a panic).
    let announced = response.headers().get("content-length").ok().flatten();
    let mut bytes = Vec::new();
    let _ = bytes.try_reserve_exact(body_size::reservation(announced.as_deref()));
    match response.body().and_then(|b| b.get_reader().dyn_into::<web_sys::ReadableStreamDefaultReader>().ok()) {
        Some(reader) => loop {
            let chunk = match JsFuture::from(reader.read()).await {
                Ok(chunk) => chunk,
                Err(_) => {
                    return Err(match failure_without_answer(url, &controller, &timer) {
                        // The server had answered: it is not unreachable, its answer is cut.
                        ApiError::Unreachable { .. } => ApiError::BadBody {
                            url: url.to_string(),
                            message: body_size::broke_off(bytes.len(), announced.as_deref()),
                        },
                        failure => failure,
                    });
                }
            };
            let done = js_sys::Reflect::get(&chunk, &"done".into()).map(|d| d.is_truthy()).unwrap_or(true);
            if done {
                break;
            }
            if let Ok(value) = js_sys::Reflect::get(&chunk, &"value".into()) {
                let array: js_sys::Uint8Array = value.unchecked_into();
                let start = bytes.len();
                bytes.resize(start + array.length() as usize, 0);
                array.copy_to(&mut bytes[start..]);
                on_progress(bytes.len() as u64);
            }
        },
        None => match response.array_buffer() {
            Ok(promise) => match JsFuture::from(promise).await {
                Ok(buffer) => bytes = js_sys::Uint8Array::new(&buffer).to_vec(),
                Err(_) => return Err(failure_without_answer(url, &controller, &timer)),
            },
            Err(_) => return Err(failure_without_answer(url, &controller, &timer)),
        },
    }
    drop(timer);
    checked_status(url, &response, bytes)
}
