//! The app shell: loads the runtime configuration, then provides it and mounts the router with
//! Lens's routes (and Jaeger UI's, which lead to them) under the base path from `<base href>`.
use super::base_path::router_base;
use super::config_loader::{load_config, LoadedConfig};
use super::embed::bridge::EmbedBridge;
use super::embed::{provide_embed_flags, EmbedFrame};
use super::header::Header;
use super::open_json::{dropped_file, open_file, OpenedFileSlot};
use super::pages::{DependencyPage, JaegerLinkPage, NotFoundPage, SearchPage, TracePage, TraceViewerPage};
use super::theme::{Theme, ThemeState};
use super::time_zone::TimeZonePreference;
use crate::api::backend::Backend;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_navigate;
use leptos_router::path;

#[component]
pub fn App() -> impl IntoView {
    let loaded = LocalResource::new(load_config);
    view! {
        {move || match loaded.get() {
            None => view! { <p class="app-loading" role="status">"Loading Spanscope…"</p> }.into_any(),
            Some(loaded) => view! { <Shell loaded/> }.into_any(),
        }}
    }
}

/// Everything below the configuration: context for the pages, header (or, embedded, the frame's
/// link), routes.
#[component]
fn Shell(loaded: LoadedConfig) -> impl IntoView {
    provide_context(loaded.config.clone());
    provide_context(Backend::from_config(&loaded.config));
    provide_context(OpenedFileSlot(RwSignal::new(None)));
    let embed = provide_embed_flags();
    ThemeState::provide(embed.theme.map(Theme::from));
    TimeZonePreference::provide();
    EmbedBridge::provide(&loaded.config);
    let problems = loaded.problems.clone();
    view! {
        <Router base=router_base()>
            <DropZone>
                <EmbedFrame/>
                {(!embed.embed).then(|| view! { <Header/> })}
                {(!problems.is_empty()).then(|| view! {
                    <section class="config-problems" role="alert" aria-label="Configuration problems">
                        <ul>{problems.iter().map(|p| view! { <li>{p.to_string()}</li> }).collect_view()}</ul>
                    </section>
                })}
                <main id="main">
                    <Routes fallback=NotFoundPage>
                        <Route path=path!("/") view=SearchPage/>
                        <Route path=path!("/traces/:id") view=TracePage/>
                        <Route path=path!("/dependency") view=DependencyPage/>
                        <Route path=path!("/traceViewer") view=TraceViewerPage/>
                        // Jaeger UI's URLs, read as Spanscope's.
                        <Route path=path!("/search") view=JaegerLinkPage/>
                        <Route path=path!("/trace/:id") view=JaegerLinkPage/>
                        <Route path=path!("/dependencies") view=JaegerLinkPage/>
                    </Routes>
                </main>
            </DropZone>
        </Router>
    }
}

/// The whole page accepts a dropped trace file: the listeners sit on the document, so a drop
/// anywhere (below a short page, on the header, over a dialog) opens the file in the trace viewer
/// instead of the browser navigating away to it.
#[component]
fn DropZone(children: Children) -> impl IntoView {
    let slot = expect_context::<OpenedFileSlot>();
    let navigate = use_navigate();
    let dragging = RwSignal::new(false);
    let carries_files =
        |ev: &web_sys::DragEvent| ev.data_transfer().is_some_and(|d| d.types().includes(&"Files".into(), 0));
    let over = window_event_listener(leptos::ev::dragover, move |ev| {
        if carries_files(&ev) {
            ev.prevent_default();
            dragging.set(true);
        }
    });
    // Leaving a child element fires dragleave too; only leaving the window has no element to go to.
    let leave = window_event_listener(leptos::ev::dragleave, move |ev| {
        if ev.related_target().is_none() {
            dragging.set(false);
        }
    });
    let drop = window_event_listener(leptos::ev::drop, move |ev| {
        dragging.set(false);
        if let Some(file) = dropped_file(&ev) {
            ev.prevent_default();
            open_file(file, slot, navigate.clone());
        }
    });
    on_cleanup(move || {
        over.remove();
        leave.remove();
        drop.remove();
    });
    view! { <div class="app" class:dragging=move || dragging.get()>{children()}</div> }
}
