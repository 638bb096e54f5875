//! Jaeger UI's paths (`/search`, `/trace/{id}`, `/dependencies`): links that Grafana, alerts and
//! runbooks hold for a Jaeger UI open the same page here, the URL replaced by Spanscope's own
//! (`domain::jaeger_ui_link`); embed flags such as `uiEmbed=v0` carry over (`ui::embed`). A
//! comparison of two traces, which Spanscope does not have yet, says so and offers both traces.
use super::not_found::NotFoundPage;
use crate::ui::base_path::{app_href, router_base};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use spanscope_domain::jaeger_ui_link::{jaeger_ui_target, JaegerUiTarget};
use spanscope_domain::trace_url::trace_path;

#[component]
pub fn JaegerLinkPage() -> impl IntoView {
    let location = use_location();
    let navigate = use_navigate();
    let target = Memo::new(move |_| {
        let path = location.pathname.get();
        let base = router_base();
        let path = path.strip_prefix(base.as_str()).unwrap_or(&path).to_string();
        jaeger_ui_target(&path, &location.search.get())
    });
    Effect::new(move |_| {
        if let Some(JaegerUiTarget::Page(to)) = target.get() {
            navigate(&app_href(&to), NavigateOptions { replace: true, resolve: false, ..Default::default() });
        }
    });
    move || {
        match target.get() {
        Some(JaegerUiTarget::Comparison { a, b }) => view! {
            <section class="page" role="alert" aria-label="Trace comparison">
                <h1>"Trace comparison is not available yet"</h1>
                <p>"This link asks Jaeger UI to compare two traces. Spanscope cannot compare traces yet; open them one at a time:"</p>
                <ul>
                    <li><a href=app_href(&trace_path(&a))><code>{a.clone()}</code></a></li>
                    <li><a href=app_href(&trace_path(&b))><code>{b.clone()}</code></a></li>
                </ul>
            </section>
        }
        .into_any(),
        Some(JaegerUiTarget::Page(_)) => view! { <p class="app-loading" role="status">"Opening…"</p> }.into_any(),
        None => view! { <NotFoundPage/> }.into_any(),
    }
    }
}
