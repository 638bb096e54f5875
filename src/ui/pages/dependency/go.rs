//! How the dependency page's parts change its URL: one callback taking the next view state, in a
//! file of its own so the toolbar and side panel import it without importing the page.
use leptos::prelude::*;
use spanscope_domain::dependency_graph::view_state::ViewState;

/// Changes the page's URL: `(next state, replace the history entry)`.
pub type Go = Callback<(ViewState, bool)>;
