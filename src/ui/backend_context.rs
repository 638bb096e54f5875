//! The kind of backend the app shell provides, for wording and defaults that depend on it (an error's
//! CORS advice, the download format of a trace from the server); Zipkin outside the shell.
use crate::api::backend::Backend;
use crate::api::backend_kind::BackendKind;
use leptos::prelude::use_context;

pub fn server_kind() -> BackendKind {
    use_context::<Backend>().map_or(BackendKind::default(), |b| b.kind())
}
