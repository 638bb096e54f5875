//! The app shell: loads the runtime configuration, then provides it and mounts the router with
//! Lens's routes under the base path from `<base href>`.
use super::base_path::router_base;
use super::config_loader::{load_config, LoadedConfig};
use super::embed::bridge::EmbedBridge;
use super::embed::{provide_embed_flags, EmbedFrame};
use super::header::Header;
use super::open_json::{dropped_file, open_file, OpenedFileSlot};
use super::pages::{DependencyPage, NotFoundPage, SearchPage, TracePage, TraceViewerPage};
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
                    </Routes>
                </main>
            </DropZone>
        </Router>
    }
}

/// The whole page accepts a dropped trace file.
#[component]
fn DropZone(children: Children) -> impl IntoView {
    let slot = expect_context::<OpenedFileSlot>();
    let navigate = use_navigate();
    let dragging = RwSignal::new(false);
    view! {
        <div
            class="app"
            class:dragging=move || dragging.get()
            on:dragover=move |ev| {
                ev.prevent_default();
                dragging.set(true);
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev| {
                ev.prevent_default();
                dragging.set(false);
                if let Some(file) = dropped_file(&ev) {
                    open_file(file, slot, navigate.clone());
                }
            }
        >
            {children()}
        </div>
    }
}
