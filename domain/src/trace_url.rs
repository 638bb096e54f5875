//! The trace view's shareable state as URL query parameters, so a copied link reopens the same
//! picture: `span` (the selected row's key), `skew=off`, `find`, `zoom=from-to` (fractions of
//! the trace), `focus` (the key of the row whose subtree is focused), `critical=1`,
//! `view=stats|graph`, and for the other views (issue 21) `tab=flame|table` (the waterfall is the
//! default tab), `filter=<text>` once per span filter pill (`span_filter`), `only=1` (hide rather
//! than dim what the filters leave out), `fold=1` (fold runs of alike siblings) and
//! `flame=merged` (the aggregated flame graph). A row key is a span id, `~n` added for the n-th row showing that id
//! (`row_address`), so a link names one row even where rows share an id.
use super::row_address::parse_row_key;
use super::span_filter::SpanFilter;

/// Which analysis panel is open below the waterfall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnalysisView {
    #[default]
    None,
    Statistics,
    ServiceGraph,
}

/// Which view of the trace is shown (the tabs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TraceTab {
    #[default]
    Waterfall,
    FlameGraph,
    SpanTable,
}

impl TraceTab {
    /// Every tab, in the order the tab list shows them.
    pub const ALL: [TraceTab; 3] = [TraceTab::Waterfall, TraceTab::FlameGraph, TraceTab::SpanTable];

    /// The tab's name in the URL.
    pub fn key(self) -> &'static str {
        match self {
            TraceTab::Waterfall => "waterfall",
            TraceTab::FlameGraph => "flame",
            TraceTab::SpanTable => "table",
        }
    }

    pub fn from_key(key: &str) -> Option<TraceTab> {
        TraceTab::ALL.into_iter().find(|t| t.key() == key)
    }

    /// The tab's label.
    pub fn title(self) -> &'static str {
        match self {
            TraceTab::Waterfall => "Timeline",
            TraceTab::FlameGraph => "Flame graph",
            TraceTab::SpanTable => "Span table",
        }
    }
}

/// The in-app path of one trace, `/traces/{id}`, the id escaped as one path segment so an id
/// from a server or a file can never add a segment or start the query.
pub fn trace_path(trace_id: &str) -> String {
    format!("/traces/{}", crate::search_url::percent_encode_path_segment(trace_id))
}

/// The trace view's URL state.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TraceViewParams {
    /// Row key of the selected row.
    pub span: Option<String>,
    pub skew_off: bool,
    pub find: String,
    /// Visible fraction of the trace window, `0 <= from < to <= 1`.
    pub zoom: Option<(f64, f64)>,
    /// Row key of the focused row.
    pub focus: Option<String>,
    pub critical: bool,
    pub view: AnalysisView,
    pub tab: TraceTab,
    /// The span filter pills, in order (unreadable ones are dropped).
    pub filters: Vec<SpanFilter>,
    /// Hide the rows the filters leave out instead of dimming them.
    pub only_matches: bool,
    pub fold: bool,
    /// The aggregated flame graph rather than the timeline one.
    pub flame_merged: bool,
}

impl TraceViewParams {
    /// Reads the parameters from query pairs; malformed values are ignored, never fatal.
    pub fn from_query<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> TraceViewParams {
        let mut p = TraceViewParams::default();
        for (key, value) in pairs {
            match key {
                "span" if is_row_key(value) => p.span = Some(value.to_ascii_lowercase()),
                "skew" => p.skew_off = value == "off",
                "find" => p.find = value.to_string(),
                "zoom" => p.zoom = parse_zoom(value),
                "focus" if is_row_key(value) => p.focus = Some(value.to_ascii_lowercase()),
                "critical" => p.critical = value == "1" || value == "true",
                "view" => {
                    p.view = match value {
                        "stats" => AnalysisView::Statistics,
                        "graph" => AnalysisView::ServiceGraph,
                        _ => AnalysisView::None,
                    }
                }
                "tab" => p.tab = TraceTab::from_key(value).unwrap_or_default(),
                "filter" => p.filters.extend(SpanFilter::parse(value).ok()),
                "only" => p.only_matches = value == "1",
                "fold" => p.fold = value == "1",
                "flame" => p.flame_merged = value == "merged",
                _ => {}
            }
        }
        p
    }

    /// The query pairs, omitting defaults so URLs stay short.
    pub fn to_query(&self) -> Vec<(&'static str, String)> {
        let mut q = Vec::new();
        if let Some(span) = &self.span {
            q.push(("span", span.clone()));
        }
        if self.skew_off {
            q.push(("skew", "off".to_string()));
        }
        if !self.find.is_empty() {
            q.push(("find", self.find.clone()));
        }
        if let Some((from, to)) = self.zoom {
            q.push(("zoom", format!("{}-{}", round4(from), round4(to))));
        }
        if let Some(focus) = &self.focus {
            q.push(("focus", focus.clone()));
        }
        if self.critical {
            q.push(("critical", "1".to_string()));
        }
        match self.view {
            AnalysisView::None => {}
            AnalysisView::Statistics => q.push(("view", "stats".to_string())),
            AnalysisView::ServiceGraph => q.push(("view", "graph".to_string())),
        }
        if self.tab != TraceTab::Waterfall {
            q.push(("tab", self.tab.key().to_string()));
        }
        q.extend(self.filters.iter().map(|f| ("filter", f.to_string())));
        if self.only_matches {
            q.push(("only", "1".to_string()));
        }
        if self.fold {
            q.push(("fold", "1".to_string()));
        }
        if self.flame_merged {
            q.push(("flame", "merged".to_string()));
        }
        q
    }
}

/// A zoom window from two fractions; too small, reversed or out-of-range windows are refused.
pub fn normalize_zoom(from: f64, to: f64) -> Option<(f64, f64)> {
    let (a, b) = if from <= to { (from, to) } else { (to, from) };
    let (a, b) = (a.clamp(0.0, 1.0), b.clamp(0.0, 1.0));
    if !(b - a > 0.0005) || (a <= 0.0 && b >= 1.0) {
        return None;
    }
    Some((a, b))
}

fn parse_zoom(value: &str) -> Option<(f64, f64)> {
    let (a, b) = value.split_once('-')?;
    normalize_zoom(a.parse().ok()?, b.parse().ok()?)
}

fn round4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn is_row_key(s: &str) -> bool {
    parse_row_key(s).is_some_and(|(id, _)| s.trim() == s && is_span_id(id))
}

/// Hex ids, and the opaque ones Jaeger keeps (`span-2_1` in Jaeger UI's own test traces): letters,
/// digits, `-`, `_` and `.`, nothing a URL or the page would read as more than text.
fn is_span_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trace_path_keeps_the_id_in_one_segment() {
        assert_eq!(trace_path("a03ee8fff1dcd9b9"), "/traces/a03ee8fff1dcd9b9");
        assert_eq!(trace_path("x/../dependency?y"), "/traces/x%2F..%2Fdependency%3Fy");
    }

    #[test]
    fn round_trips_every_parameter() {
        let p = TraceViewParams {
            span: Some("00000000000000ab".into()),
            skew_off: true,
            find: "db query".into(),
            zoom: Some((0.25, 0.5)),
            focus: Some("abc".into()),
            critical: true,
            view: AnalysisView::Statistics,
            tab: TraceTab::SpanTable,
            filters: ["service=frontend", "duration>=2ms", "http.status_code>=500", "name~/^get /"]
                .into_iter()
                .map(|f| SpanFilter::parse(f).expect("a valid filter"))
                .collect(),
            only_matches: true,
            fold: true,
            flame_merged: true,
        };
        let q = p.to_query();
        let back = TraceViewParams::from_query(q.iter().map(|(k, v)| (*k, v.as_str())));
        assert_eq!(back, p);
    }

    #[test]
    fn row_keys_of_later_rows_with_a_shared_id_survive_the_url() {
        // Issue 17: `span=<id>` alone named the first of several rows showing that id.
        let p = TraceViewParams::from_query([("span", "00000000000000AB~2"), ("focus", "ab~3")]);
        assert_eq!(p.span.as_deref(), Some("00000000000000ab~2"));
        assert_eq!(p.focus.as_deref(), Some("ab~3"));
        let q = p.to_query();
        assert_eq!(TraceViewParams::from_query(q.iter().map(|(k, v)| (*k, v.as_str()))), p);
        for bad in ["ab~", "ab~0", "~2", "ab~x", "z z~2", "ab/c~2", "ab~2~2"] {
            assert_eq!(TraceViewParams::from_query([("span", bad)]).span, None, "{bad:?}");
        }
    }

    #[test]
    fn opaque_jaeger_ids_are_row_keys_too() {
        let p = TraceViewParams::from_query([("span", "0000000000span-2_1"), ("focus", "span-1~2")]);
        assert_eq!(p.span.as_deref(), Some("0000000000span-2_1"));
        assert_eq!(p.focus.as_deref(), Some("span-1~2"));
    }

    #[test]
    fn filters_keep_their_order_and_unreadable_ones_are_dropped() {
        let p = TraceViewParams::from_query([
            ("filter", "error=true"),
            ("filter", "duration>fast"),
            ("filter", "service!=db"),
            ("tab", "flame"),
        ]);
        let texts: Vec<String> = p.filters.iter().map(|f| f.to_string()).collect();
        assert_eq!(texts, ["error=true", "service!=db"]);
        assert_eq!(p.tab, TraceTab::FlameGraph);
        assert_eq!(TraceViewParams::from_query([("tab", "pie")]).tab, TraceTab::Waterfall);
    }

    #[test]
    fn bad_values_are_ignored() {
        let p = TraceViewParams::from_query([("span", "<script>"), ("zoom", "0.9-0.1x"), ("zoom", "nan-1")]);
        assert_eq!(p, TraceViewParams::default());
        assert_eq!(normalize_zoom(0.6, 0.2), Some((0.2, 0.6)));
        assert_eq!(normalize_zoom(0.0, 1.0), None);
    }
}
