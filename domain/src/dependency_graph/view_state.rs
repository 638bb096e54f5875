//! The dependency page's URL, the single source of truth for what it shows: time range, service
//! filter and hops, graph or table, and the selected service or link, so every view can be shared.
//!
//! `/dependency?lookback=1h&filter=api&hops=2&service=api&view=table`, or with Lens's
//! `startTime=&endTime=` (ms) instead of `lookback`; a link is selected by `parent=&child=`.
use super::range::DependencyRange;
use crate::search_url::{self, percent_encode, query_pairs, Lookback, SearchCriteria};

/// Graph or table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ViewMode {
    #[default]
    Graph,
    Table,
}

/// What is selected: a service or one link.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Selection {
    #[default]
    None,
    Service(String),
    Link {
        parent: String,
        child: String,
    },
}

/// Everything the page's URL says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ViewState {
    pub range: DependencyRange,
    /// Text naming the service(s) to focus on; empty shows every service.
    pub filter: String,
    /// Neighbourhood around the filtered services: 1 or 2 hops.
    pub hops: u32,
    pub mode: ViewMode,
    pub selection: Selection,
}

/// Reads the page state from a URL query (leading `?` optional). Never fails: unknown or
/// malformed values fall back to their defaults.
pub fn parse_view(query: &str) -> ViewState {
    let (mut start, mut end, mut lookback) = (None, None, None);
    let mut state = ViewState { hops: 1, ..ViewState::default() };
    let (mut service, mut parent, mut child) = (None, None, None);
    for (k, v) in query_pairs(query) {
        match k.as_str() {
            "startTime" => start = Some(v),
            "endTime" => end = Some(v),
            "lookback" => lookback = Some(v),
            // Kept as typed (the filter box shows it back); `focus_links` trims when matching.
            "filter" => state.filter = v,
            "hops" => state.hops = if v.trim() == "2" { 2 } else { 1 },
            "view" => state.mode = if v == "table" { ViewMode::Table } else { ViewMode::Graph },
            "service" => service = Some(v).filter(|s| !s.is_empty()),
            "parent" => parent = Some(v).filter(|s| !s.is_empty()),
            "child" => child = Some(v).filter(|s| !s.is_empty()),
            _ => {}
        }
    }
    state.range = DependencyRange::from_url(start.as_deref(), end.as_deref(), lookback.as_deref());
    state.selection = match (service, parent, child) {
        (_, Some(parent), Some(child)) => Selection::Link { parent, child },
        (Some(s), _, _) => Selection::Service(s),
        _ => Selection::None,
    };
    state
}

/// The URL query of a page state (no leading `?`); defaults are left out so links stay short.
pub fn to_query(state: &ViewState) -> String {
    let mut pairs: Vec<(&str, String)> = state.range.to_url();
    if !state.filter.trim().is_empty() {
        pairs.push(("filter", state.filter.clone()));
        if state.hops == 2 {
            pairs.push(("hops", "2".into()));
        }
    }
    if state.mode == ViewMode::Table {
        pairs.push(("view", "table".into()));
    }
    match &state.selection {
        Selection::None => {}
        Selection::Service(s) => pairs.push(("service", s.clone())),
        Selection::Link { parent, child } => {
            pairs.push(("parent", parent.clone()));
            pairs.push(("child", child.clone()));
        }
    }
    pairs.iter().map(|(k, v)| format!("{k}={}", percent_encode(v))).collect::<Vec<_>>().join("&")
}

/// The search page's query behind "Find traces": traces of `service` (calling `remote`, for a
/// link) in the page's window, in Lens's search URL form: a preset stays relative (`lookback=1h`),
/// an absolute window becomes `lookback=range&startTs=&endTs=`.
pub fn find_traces_query(service: &str, remote: Option<&str>, range: &DependencyRange) -> String {
    let (lookback, end_ts) = match *range {
        DependencyRange::Preset { value, ms } => (Lookback::fixed(value).unwrap_or(Lookback::Millis(ms)), None),
        DependencyRange::Absolute { start_ms, end_ms } => (Lookback::Range { start_ms }, Some(end_ms)),
    };
    let criteria = SearchCriteria {
        service_name: Some(service.to_owned()),
        remote_service_name: remote.map(str::to_owned),
        lookback: Some(lookback),
        end_ts,
        ..SearchCriteria::default()
    };
    search_url::to_query(&criteria)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_field() {
        let state = ViewState {
            range: DependencyRange::Absolute { start_ms: 1, end_ms: 2 },
            filter: "a b&c".into(),
            hops: 2,
            mode: ViewMode::Table,
            selection: Selection::Link { parent: "x/y".into(), child: "<z>".into() },
        };
        assert_eq!(parse_view(&to_query(&state)), state);
        let service = ViewState { selection: Selection::Service("svc".into()), hops: 1, ..ViewState::default() };
        assert_eq!(to_query(&service), "lookback=1d&service=svc");
        assert_eq!(parse_view(&to_query(&service)), service);
    }

    #[test]
    fn find_traces_keeps_the_window() {
        let hour = DependencyRange::preset("1h").unwrap_or_default();
        assert_eq!(find_traces_query("my svc", None, &hour), "serviceName=my+svc&lookback=1h");
        let month = DependencyRange::preset("30d").unwrap_or_default();
        assert_eq!(
            find_traces_query("a", Some("b"), &month),
            "serviceName=a&remoteServiceName=b&lookback=millis&millis=2592000000"
        );
        let abs = DependencyRange::Absolute { start_ms: 5, end_ms: 9 };
        assert_eq!(find_traces_query("a", None, &abs), "serviceName=a&lookback=range&startTs=5&endTs=9");
        assert_eq!(search_url::parse_search(&find_traces_query("a", None, &abs)).end_ts, Some(9));
    }

    #[test]
    fn lens_link_and_junk() {
        let s = parse_view("?startTime=1571800000000&endTime=1571896375322");
        assert_eq!(s.range, DependencyRange::Absolute { start_ms: 1_571_800_000_000, end_ms: 1_571_896_375_322 });
        let junk = parse_view("hops=9&view=pie&service=&lookback=3y");
        assert_eq!(junk, ViewState { hops: 1, ..ViewState::default() });
    }
}
