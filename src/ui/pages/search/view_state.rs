//! The result view's state (sort, service and text filters, time zone), shared by the toolbar, the
//! plot and the list. Sort and filters are read from the URL, never kept beside it: back/forward and
//! a pasted link show what their URL says. Every change is a navigation (replacing the entry, so
//! back steps over searches, not over view tweaks).
//!
//! One exception keeps typing fast: a router navigation costs a few ms, so text typed into the
//! filter is held as a draft and written once typing pauses (or the box is left). The draft is
//! not a copy of the URL: it applies only while the URL is the one it was typed over, so a
//! back/forward in between shows the URL's own filter.
use crate::ui::base_path::app_href;
use crate::ui::time_zone::{use_time_zone, TimeZone};
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use spanscope_domain::search_results::{parse_view, view_query, ResultFilter, SortOrder};

/// The in-app URL of a search (`/zipkin/?serviceName=…`, Lens's shape, trailing slash kept) with the
/// result view's parameters after the search's.
pub(crate) fn search_href(search: &str, view: &str) -> String {
    let query = [search, view].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("&");
    if query.is_empty() {
        app_href("/")
    } else {
        app_href(&format!("/?{query}"))
    }
}

/// How long typing in the result filter pauses before the URL follows it.
const TYPING_PAUSE: std::time::Duration = std::time::Duration::from_millis(400);

/// Filter text not yet in the URL, and the URL query it was typed over.
#[derive(Debug, Clone, PartialEq)]
struct Draft {
    text: String,
    over: String,
}

#[derive(Clone, Copy)]
pub(crate) struct ViewState {
    pub sort: Memo<SortOrder>,
    /// The URL's filter, with the text being typed in place of its text.
    pub filter: Memo<ResultFilter>,
    /// The app-wide time-zone preference.
    pub time_zone: RwSignal<TimeZone>,
    query: Memo<String>,
    search_key: Memo<String>,
    draft: RwSignal<Option<Draft>>,
    pending_write: StoredValue<Option<TimeoutHandle>, LocalStorage>,
    navigate: StoredValue<Box<dyn Fn(&str)>, LocalStorage>,
}

impl ViewState {
    /// The view of the current URL; `search_key` is its search part (the criteria, normalised).
    /// Call inside the search page.
    pub fn new(search_key: Memo<String>) -> ViewState {
        let query = use_location().search;
        let draft = RwSignal::new(None::<Draft>);
        let url_view = Memo::new(move |_| query.with(|q| parse_view(q)));
        let sort = Memo::new(move |_| url_view.with(|v| v.0));
        let filter = Memo::new(move |_| {
            let mut filter = url_view.with(|v| v.1.clone());
            query.with(|q| {
                draft.with(|d| {
                    if let Some(d) = d.as_ref().filter(|d| d.over == *q) {
                        filter.text = d.text.clone();
                    }
                })
            });
            filter
        });
        let navigate = use_navigate();
        let navigate: Box<dyn Fn(&str)> = Box::new(move |to: &str| {
            navigate(to, NavigateOptions { replace: true, scroll: false, resolve: false, ..Default::default() })
        });
        let state = ViewState {
            sort,
            filter,
            time_zone: use_time_zone(),
            query,
            search_key,
            draft,
            pending_write: StoredValue::new_local(None),
            navigate: StoredValue::new_local(navigate),
        };
        on_cleanup(move || state.cancel_pending_write());
        state
    }

    pub fn set_sort(&self, sort: SortOrder) {
        self.write(sort, self.filter.get_untracked());
    }

    /// Shows only traces `service` takes part in (all, for `None`).
    pub fn set_service(&self, service: Option<String>) {
        let mut filter = self.filter.get_untracked();
        filter.service = service.filter(|s| !s.is_empty());
        self.write(self.sort.get_untracked(), filter);
    }

    pub fn clear_filters(&self) {
        self.write(self.sort.get_untracked(), ResultFilter::default());
    }

    /// Text typed into the result filter: shown at once, written to the URL when typing pauses.
    pub fn type_text(&self, text: String) {
        let q = self.query.get_untracked();
        self.draft.update(|d| match d {
            Some(d) if d.over == q => d.text = text,
            _ => *d = Some(Draft { text, over: q }),
        });
        self.cancel_pending_write();
        let state = *self;
        let timer = set_timeout_with_handle(move || state.save_text(), TYPING_PAUSE);
        self.pending_write.set_value(timer.ok());
    }

    /// Writes typed text to the URL now (the filter box was left).
    pub fn save_text(&self) {
        self.cancel_pending_write();
        let q = self.query.get_untracked();
        if self.draft.with_untracked(|d| d.as_ref().is_some_and(|d| d.over == q)) {
            // The router updates the location synchronously, so the URL holds the text as soon as
            // the draft is dropped.
            self.write(self.sort.get_untracked(), self.filter.get_untracked());
        }
    }

    fn write(&self, sort: SortOrder, filter: ResultFilter) {
        self.cancel_pending_write();
        let current = self.query.with_untracked(|q| {
            let (sort, filter) = parse_view(q);
            view_query(sort, &filter)
        });
        if view_query(sort, &filter) != current {
            let to = self.href(sort, &filter);
            self.navigate.with_value(|navigate| navigate(&to));
        }
        // After navigating: the URL now says what the draft said.
        if self.draft.with_untracked(Option::is_some) {
            self.draft.set(None);
        }
    }

    fn href(&self, sort: SortOrder, filter: &ResultFilter) -> String {
        search_href(&self.search_key.get_untracked(), &view_query(sort, filter))
    }

    fn cancel_pending_write(&self) {
        if let Some(timer) = self.pending_write.try_update_value(Option::take).flatten() {
            timer.clear();
        }
    }
}
