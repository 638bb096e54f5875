//! The trace view's state, provided as context by `TraceView` to its parts: the immutable model,
//! the URL-backed view parameters, the collapsed set, and the memos derived from them. Every
//! interaction goes through a method here, so the rules (reveal before select, replace the URL,
//! scroll to what was selected) live in one place.
use crate::ui::shared::Shared;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use spanscope_domain::critical_path::{critical_path, CriticalPath};
use spanscope_domain::find::find_rows;
use spanscope_domain::row_self_time::row_self_times;
use spanscope_domain::rows::{visible_rows, RowOptions, VisibleRows};
use spanscope_domain::search_url::percent_encode;
use spanscope_domain::sibling_runs::SiblingRuns;
use spanscope_domain::span_filter::{apply_filters, FilterMatches};
use spanscope_domain::span_links::SpanLinks;
use spanscope_domain::stats::self_times;
use spanscope_domain::trace_model::TraceModel;
use spanscope_domain::trace_url::{AnalysisView, TraceTab, TraceViewParams};
use spanscope_domain::waterfall_view::{error_rows, reveal};
use std::collections::HashSet;

/// Query keys the trace view owns; any other key (an embed flag, say) is kept as it is.
const OWN_KEYS: [&str; 12] =
    ["span", "skew", "find", "zoom", "focus", "critical", "view", "tab", "filter", "only", "fold", "flame"];

#[derive(Clone)]
pub struct TraceState {
    pub model: Shared<TraceModel>,
    pub params: Memo<TraceViewParams>,
    pub collapsed: RwSignal<HashSet<u32>>,
    pub skew: Memo<bool>,
    /// The find text, the critical-path switch, the open analysis panel and the zoom window,
    /// each its own memo so a change to one parameter wakes only what depends on it.
    pub find_text: Memo<String>,
    pub critical_on: Memo<bool>,
    pub analysis: Memo<AnalysisView>,
    pub zoom: Memo<Option<(f64, f64)>>,
    pub focus_row: Memo<Option<u32>>,
    pub visible: Memo<Shared<VisibleRows>>,
    pub selected_row: Memo<Option<u32>>,
    /// Rows matching the find text, ascending.
    pub matches: Memo<Shared<Vec<u32>>>,
    /// Rows with errors, ascending.
    pub errors: Shared<Vec<u32>>,
    pub critical: Memo<Option<Shared<CriticalPath>>>,
    /// Self time of every cleaned span (computed when first asked for, again when skew flips).
    pub self_times: Memo<Shared<Vec<u64>>>,
    /// Self time of every row (the flame graph and the span table measure rows).
    pub row_self_times: Memo<Shared<Vec<u64>>>,
    /// The open view (tab).
    pub tab: Memo<TraceTab>,
    /// The rows the span filters pass (inactive without filters).
    pub filtered: Memo<Shared<FilterMatches>>,
    /// Hide rather than dim what the filters leave out.
    pub only_matches: Memo<bool>,
    /// Fold runs of alike siblings, and the runs found once for the model.
    pub fold: Memo<bool>,
    pub runs: Shared<SiblingRuns>,
    /// Runs the user opened while folding is on (by first row).
    pub unfolded: RwSignal<HashSet<u32>>,
    pub flame_merged: Memo<bool>,
    /// A row the waterfall should scroll into view (set by selection, consumed by the waterfall).
    pub scroll_to: RwSignal<Option<u32>>,
    /// Every link between spans, resolved once (empty for a Zipkin trace).
    pub links: Shared<SpanLinks>,
    navigate: StoredValue<Box<dyn Fn(&str)>, LocalStorage>,
    query: Memo<leptos_router::params::ParamsMap>,
}

impl TraceState {
    /// Builds the state for `model` from the current URL. `nearby_traces` are the ids of the traces
    /// opened with it (a file's others), which its links open in place. Call inside the owning component.
    pub fn new(model: Shared<TraceModel>, nearby_traces: &[String]) -> TraceState {
        let query = use_query_map();
        let params = Memo::new(move |_| {
            // Every pair, in order: `filter` repeats, once per pill.
            let pairs: Vec<(String, String)> = query
                .get()
                .into_iter()
                .filter(|(k, _)| OWN_KEYS.contains(&k.as_ref()))
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            TraceViewParams::from_query(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        });
        // One memo per parameter: a selection must not recompute find matches, nor a zoom the
        // selected row (each of those is O(spans) on a big trace).
        let skew = Memo::new(move |_| !params.with(|p| p.skew_off));
        let span_param = Memo::new(move |_| params.with(|p| p.span.clone()));
        let focus_param = Memo::new(move |_| params.with(|p| p.focus.clone()));
        let find_text = Memo::new(move |_| params.with(|p| p.find.clone()));
        let critical_on = Memo::new(move |_| params.with(|p| p.critical));
        let analysis = Memo::new(move |_| params.with(|p| p.view));
        let zoom = Memo::new(move |_| params.with(|p| p.zoom));
        let tab = Memo::new(move |_| params.with(|p| p.tab));
        let filter_param = Memo::new(move |_| params.with(|p| p.filters.clone()));
        let only_matches = Memo::new(move |_| params.with(|p| p.only_matches));
        let fold = Memo::new(move |_| params.with(|p| p.fold));
        let flame_merged = Memo::new(move |_| params.with(|p| p.flame_merged));
        let m = model.clone();
        let filtered = Memo::new(move |_| filter_param.with(|f| Shared::new(apply_filters(&m, f))));
        let runs = Shared::new(SiblingRuns::new(&model));
        let unfolded = RwSignal::new(HashSet::new());
        let m = model.clone();
        let focus_row = Memo::new(move |_| focus_param.with(|key| key.as_deref().and_then(|key| m.row_of_key(key))));
        let m = model.clone();
        // Row keys, not span ids: rows that share an id must each be selectable (issue 17).
        let selected_row = Memo::new(move |_| span_param.with(|key| key.as_deref().and_then(|key| m.row_of_key(key))));

        // A deep link to a span opens with its ancestors expanded (nothing is collapsed yet).
        let collapsed = RwSignal::new(HashSet::new());
        let m = model.clone();
        let r = runs.clone();
        let visible = Memo::new(move |_| {
            let folding = fold.get().then_some(&*r.0);
            let mut rows = collapsed.with(|c| {
                unfolded.with(|u| {
                    visible_rows(
                        &m,
                        &RowOptions {
                            collapsed: Some(c),
                            focus: focus_row.get(),
                            skew: skew.get(),
                            fold: folding,
                            unfolded: Some(u),
                        },
                    )
                })
            });
            if only_matches.get() {
                filtered.with(|f| rows.rows.retain(|r| f.is_match(r.row)));
            }
            Shared::new(rows)
        });
        let m = model.clone();
        let matches = Memo::new(move |_| {
            find_text.with(|find| Shared::new(find_rows(&m, find).into_iter().map(|f| f.row).collect()))
        });
        let m = model.clone();
        let critical = Memo::new(move |_| critical_on.get().then(|| Shared::new(critical_path(&m, skew.get()))));
        let m = model.clone();
        let self_times = Memo::new(move |_| Shared::new(self_times(&m, skew.get())));
        let m = model.clone();
        let row_self_times = Memo::new(move |_| Shared::new(row_self_times(&m, skew.get())));
        let errors = Shared::new(error_rows(&model));
        let links = Shared::new(SpanLinks::resolve(&model, nearby_traces));
        let navigate = use_navigate();
        let navigate: Box<dyn Fn(&str)> = Box::new(move |url: &str| {
            navigate(url, NavigateOptions { replace: true, scroll: false, ..Default::default() })
        });
        TraceState {
            model,
            params,
            collapsed,
            skew,
            find_text,
            critical_on,
            analysis,
            zoom,
            focus_row,
            visible,
            selected_row,
            matches,
            errors,
            critical,
            self_times,
            row_self_times,
            tab,
            filtered,
            only_matches,
            fold,
            runs,
            unfolded,
            flame_merged,
            scroll_to: RwSignal::new(None),
            links,
            navigate: StoredValue::new_local(navigate),
            query,
        }
    }

    /// Changes the URL-backed parameters (replacing the history entry: view tweaks are not pages).
    pub fn update(&self, change: impl FnOnce(&mut TraceViewParams)) {
        let url = self.query_with(change);
        self.navigate.with_value(|navigate| navigate(&url));
    }

    /// The query (`?…`) of this page with `change` made to the view parameters, other keys kept.
    fn query_with(&self, change: impl FnOnce(&mut TraceViewParams)) -> String {
        let mut p = self.params.get_untracked();
        change(&mut p);
        let mut pairs: Vec<String> = Vec::new();
        for (key, value) in self.query.get_untracked().into_iter() {
            if !OWN_KEYS.contains(&key.as_ref()) {
                pairs.push(format!("{}={}", percent_encode(&key), percent_encode(&value)));
            }
        }
        for (key, value) in p.to_query() {
            pairs.push(format!("{key}={}", percent_encode(&value)));
        }
        format!("?{}", pairs.join("&"))
    }

    /// A real URL that selects row `row` on this page (what a link to it says it opens; clicking it
    /// goes through [`TraceState::select`]).
    pub fn href_selecting(&self, row: u32) -> String {
        let key = self.model.row_key(row);
        let path = window().location().pathname().unwrap_or_default();
        format!("{path}{}", self.query_with(|p| p.span = key))
    }

    /// Selects row `row`: expands its ancestors, puts its key in the URL, scrolls to it.
    pub fn select(&self, row: u32) {
        self.select_and(row, |_| {});
    }

    /// [`TraceState::select`] with another change to the parameters in the same URL update (one
    /// render, not two: the flame graph selects and zooms with one click).
    pub fn select_and(&self, row: u32, also: impl FnOnce(&mut TraceViewParams)) {
        let model = &self.model;
        let Some(key) = model.row_key(row) else { return };
        // Only touch the collapsed set when an ancestor is collapsed: an update recomputes the rows.
        if self.collapsed.with_untracked(|c| model.ancestors(row).any(|a| c.contains(&a))) {
            self.collapsed.update(|c| {
                reveal(model, c, row);
            });
        }
        if self.fold.get_untracked() {
            let hiding = self.runs.0.runs_hiding(row);
            if hiding.iter().any(|r| !self.unfolded.with_untracked(|u| u.contains(r))) {
                self.unfolded.update(|u| u.extend(hiding));
            }
        }
        self.update(|p| {
            p.span = Some(key);
            also(p);
        });
        self.scroll_to.set(Some(row));
    }

    pub fn clear_selection(&self) {
        self.update(|p| p.span = None);
    }

    /// Collapses or expands one row.
    pub fn toggle(&self, row: u32) {
        self.collapsed.update(|c| {
            if !c.remove(&row) {
                c.insert(row);
            }
        });
    }

    pub fn set_collapsed(&self, row: u32, collapsed: bool) {
        let has = self.collapsed.with_untracked(|c| c.contains(&row));
        if has != collapsed {
            self.toggle(row);
        }
    }

    /// Opens or closes the folded run starting at `row`.
    pub fn toggle_fold(&self, row: u32) {
        self.unfolded.update(|u| {
            if !u.remove(&row) {
                u.insert(row);
            }
        });
    }

    /// The key of a row (for links and the URL): unlike its span id, it names only this row.
    pub fn row_key(&self, row: u32) -> Option<String> {
        self.model.row_key(row)
    }
}
