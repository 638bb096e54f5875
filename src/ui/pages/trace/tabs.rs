//! The trace's views as tabs (WAI-ARIA tabs pattern): a `tablist` of `tab`s, the open one in the
//! URL (`tab=`), ←/→ (and Home/End) moving between them with the focus, each tab controlling the
//! one `tabpanel` below.
use super::state::TraceState;
use leptos::prelude::*;
use spanscope_domain::trace_url::TraceTab;

/// The id of a tab's button, which the panel names as its label.
pub fn tab_id(tab: TraceTab) -> String {
    format!("trace-tab-{}", tab.key())
}

pub const PANEL_ID: &str = "trace-tabpanel";

#[component]
pub fn TraceTabs() -> impl IntoView {
    let state = expect_context::<TraceState>();
    let current = state.tab;
    let s = state.clone();
    let open = move |tab: TraceTab| {
        s.update(|p| p.tab = tab);
        if let Some(el) = document().get_element_by_id(&tab_id(tab)) {
            if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
                let _ = el.focus();
            }
        }
    };
    let on_key = {
        let open = open.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            let all = TraceTab::ALL;
            let at = all.iter().position(|t| *t == current.get_untracked()).unwrap_or(0);
            let to = match ev.key().as_str() {
                "ArrowRight" => (at + 1) % all.len(),
                "ArrowLeft" => (at + all.len() - 1) % all.len(),
                "Home" => 0,
                "End" => all.len() - 1,
                _ => return,
            };
            ev.prevent_default();
            open(all[to]);
        }
    };
    view! {
        <div class="trace-tabs" role="tablist" aria-label="Trace views" on:keydown=on_key>
            {TraceTab::ALL.into_iter().map(|tab| {
                let open = open.clone();
                let selected = move || current.get() == tab;
                view! {
                    <button type="button" role="tab" id=tab_id(tab) aria-controls=PANEL_ID
                        aria-selected=move || selected().to_string()
                        tabindex=move || if selected() { "0" } else { "-1" }
                        on:click=move |_| open(tab)>{tab.title()}</button>
                }
            }).collect_view()}
        </div>
    }
}
