//! Search results as the page shows them: the summaries of one answer with a precomputed text
//! index, the client-side filters (a service, free text) and sort orders that need no new
//! request, the duration bars, and the geometry of the duration-over-start-time scatter plot.
//! Filtering and sorting 1,000 results is one pass plus a sort: well under a millisecond.
//! The answer itself is read by [`summarize_answer`] (`summary_decode`).
mod summary_decode;

pub use summary_decode::summarize_answer;

use super::search_url::{percent_encode, query_pairs};
use super::sorting;
use super::summary::TraceSummary;
use super::time_scale::{format_duration, nice_step};
use super::trace_model::ErrorKind;

/// The orders a result list can be sorted in; newest first is Zipkin's own order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    Newest,
    Oldest,
    Longest,
    Shortest,
    MostSpans,
}

impl SortOrder {
    pub const ALL: [SortOrder; 5] =
        [SortOrder::Newest, SortOrder::Oldest, SortOrder::Longest, SortOrder::Shortest, SortOrder::MostSpans];

    /// The stable name (for a `<select>` value or a URL).
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Newest => "newest",
            SortOrder::Oldest => "oldest",
            SortOrder::Longest => "longest",
            SortOrder::Shortest => "shortest",
            SortOrder::MostSpans => "spans",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortOrder::Newest => "Newest first",
            SortOrder::Oldest => "Oldest first",
            SortOrder::Longest => "Longest first",
            SortOrder::Shortest => "Shortest first",
            SortOrder::MostSpans => "Most spans first",
        }
    }

    pub fn parse(text: &str) -> Option<SortOrder> {
        SortOrder::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// The client-side filters: both must match.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResultFilter {
    /// Only traces this service takes part in.
    pub service: Option<String>,
    /// Words that must all occur (case-insensitive) in the trace id, root service or span name, or a
    /// service name.
    pub text: String,
}

/// One search answer, summarised, ready to be filtered and sorted many times.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ResultSet {
    summaries: Vec<TraceSummary>,
    /// Lower-cased searchable text per result, built once so a keystroke costs no allocation per row.
    haystacks: Vec<String>,
    longest: u64,
    /// Every service in the results with the number of traces it appears in, by name.
    services: Vec<(String, u32)>,
}

impl ResultSet {
    pub fn new(summaries: Vec<TraceSummary>) -> ResultSet {
        let mut counts: std::collections::BTreeMap<&str, u32> = std::collections::BTreeMap::new();
        let haystacks = summaries
            .iter()
            .map(|s| {
                let mut h = format!("{} {} {}", s.trace_id, s.root_service, s.root_name);
                for service in &s.services {
                    h.push(' ');
                    h.push_str(&service.name);
                    *counts.entry(service.name.as_str()).or_default() += 1;
                }
                h.to_lowercase()
            })
            .collect();
        let services = counts.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        let longest = summaries.iter().map(|s| s.duration).max().unwrap_or(0);
        ResultSet { summaries, haystacks, longest, services }
    }

    pub fn len(&self) -> usize {
        self.summaries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.summaries.is_empty()
    }

    pub fn get(&self, index: u32) -> Option<&TraceSummary> {
        self.summaries.get(index as usize)
    }

    pub fn summaries(&self) -> &[TraceSummary] {
        &self.summaries
    }

    /// The longest trace duration in the whole answer, µs (duration bars are relative to it).
    pub fn longest(&self) -> u64 {
        self.longest
    }

    /// Services across the results and how many traces each appears in, by name.
    pub fn services(&self) -> &[(String, u32)] {
        &self.services
    }

    /// Indices of the results that pass `filter`, in `order` (ties keep Zipkin's order).
    pub fn select(&self, filter: &ResultFilter, order: SortOrder) -> Vec<u32> {
        let words: Vec<String> = filter.text.split_whitespace().map(str::to_lowercase).collect();
        let service = filter.service.as_deref().filter(|s| !s.is_empty());
        let mut picked: Vec<u32> = (0..self.summaries.len())
            .filter(|&i| {
                let s = &self.summaries[i];
                service.is_none_or(|name| s.services.iter().any(|x| x.name == name))
                    && words.iter().all(|w| self.haystacks[i].contains(w.as_str()))
            })
            .map(|i| i as u32)
            .collect();
        // One sort call with one u64 key for every order (each call site of `sorting` is a little generic
        // code in the wasm, issue 2). `!v` orders a u64 as `Reverse(v)` does.
        let s = &self.summaries;
        sorting::sort_by_key(&mut picked, |&i| {
            let t = &s[i as usize];
            match order {
                SortOrder::Newest => !t.start,
                SortOrder::Oldest => t.start,
                SortOrder::Longest => !t.duration,
                SortOrder::Shortest => t.duration,
                SortOrder::MostSpans => !u64::from(t.span_count),
            }
        });
        picked
    }
}

/// The result view's own URL parameters, beside the search's: `sort`, `filterService`, `filter`.
/// They never reach the server; a copied URL keeps the view.
pub fn parse_view(query: &str) -> (SortOrder, ResultFilter) {
    let mut sort = SortOrder::default();
    let mut filter = ResultFilter::default();
    for (k, v) in query_pairs(query) {
        match k.as_str() {
            "sort" => sort = SortOrder::parse(&v).unwrap_or_default(),
            "filterService" => filter.service = Some(v).filter(|v| !v.is_empty()),
            "filter" => filter.text = v,
            _ => {}
        }
    }
    (sort, filter)
}

/// The view parameters as a query fragment (without `?` or a leading `&`); defaults are left out.
pub fn view_query(sort: SortOrder, filter: &ResultFilter) -> String {
    let mut pairs = Vec::new();
    if sort != SortOrder::default() {
        pairs.push(format!("sort={}", sort.as_str()));
    }
    if let Some(s) = filter.service.as_deref().filter(|s| !s.is_empty()) {
        pairs.push(format!("filterService={}", percent_encode(s)));
    }
    if !filter.text.is_empty() {
        pairs.push(format!("filter={}", percent_encode(&filter.text)));
    }
    pairs.join("&")
}

/// Whether a summary counts as failed (an `error` tag or annotation on any span).
pub fn has_error(s: &TraceSummary) -> bool {
    s.error != ErrorKind::None
}

/// The share (0..=1) of the bar a duration fills next to the longest result.
pub fn bar_fraction(duration: u64, longest: u64) -> f64 {
    if longest == 0 {
        0.0
    } else {
        (duration as f64 / longest as f64).clamp(0.0, 1.0)
    }
}

/// The drawing area of the scatter plot, in px: the whole box and the margins kept for axis labels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotFrame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

/// One trace in the scatter plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScatterPoint {
    /// Index into the [`ResultSet`].
    pub index: u32,
    pub x: f64,
    pub y: f64,
    pub error: bool,
}

/// A labelled axis tick at `at` px.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisTick<T> {
    pub at: f64,
    pub value: T,
}

/// Everything needed to draw the scatter plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    pub points: Vec<ScatterPoint>,
    /// Start-time ticks; `value` in ms since the epoch (the caller formats them in its time zone).
    pub x_ticks: Vec<AxisTick<u64>>,
    /// Duration ticks with their labels.
    pub y_ticks: Vec<AxisTick<String>>,
    /// The time the x axis spans, ms (for choosing a label precision).
    pub x_span_ms: u64,
}

/// Steps a time axis may use, ms: round wall-clock units.
const TIME_STEPS_MS: [u64; 27] = [
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
    900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/// Scatter geometry for the results at `indices` (the filtered, sorted selection): x is the start
/// time over the selection's span, y the duration from 0 (bottom) to the longest selected.
/// `offset_minutes` aligns time ticks with the shown zone's round minutes and hours.
pub fn scatter(set: &ResultSet, indices: &[u32], frame: PlotFrame, offset_minutes: i32) -> Scatter {
    let inner_w = (frame.width - frame.left - frame.right).max(1.0);
    let inner_h = (frame.height - frame.top - frame.bottom).max(1.0);
    let picked: Vec<(u32, &TraceSummary)> = indices.iter().filter_map(|&i| set.get(i).map(|s| (i, s))).collect();
    let timed = picked.iter().filter(|(_, s)| s.start > 0);
    let lo = timed.clone().map(|(_, s)| s.start).min().unwrap_or(0);
    let hi = timed.map(|(_, s)| s.start).max().unwrap_or(0);
    let max_d = picked.iter().map(|(_, s)| s.duration).max().unwrap_or(0).max(1);
    let span_us = hi.saturating_sub(lo);
    let x_of = |start: u64| {
        if span_us == 0 {
            frame.left + inner_w / 2.0
        } else {
            frame.left + start.saturating_sub(lo) as f64 / span_us as f64 * inner_w
        }
    };
    let y_of = |d: u64| frame.top + inner_h - (d as f64 / max_d as f64).min(1.0) * inner_h;
    let points = picked
        .iter()
        .map(|(i, s)| ScatterPoint { index: *i, x: x_of(s.start.max(lo)), y: y_of(s.duration), error: has_error(s) })
        .collect();

    let step_d = nice_step(max_d as f64, 4).max(1.0);
    let y_ticks = (0..)
        .map(|k| k as f64 * step_d)
        .take_while(|v| *v <= max_d as f64)
        .map(|v| AxisTick { at: y_of(v as u64), value: format_duration(v) })
        .collect();

    let span_ms = span_us / 1_000;
    let mut x_ticks = Vec::new();
    if span_us > 0 {
        let step = TIME_STEPS_MS
            .iter()
            .copied()
            .find(|s| span_ms / s <= 5)
            .unwrap_or(86_400_000 * (span_ms / 5 / 86_400_000 + 1));
        let offset_ms = i64::from(offset_minutes) * 60_000;
        let (lo_ms, hi_ms) = ((lo / 1_000) as i64, (hi / 1_000) as i64);
        // First multiple of `step` at or after `lo` in the shown zone's wall clock.
        let step_i = step as i64;
        let mut t = (lo_ms + offset_ms).div_euclid(step_i) * step_i - offset_ms;
        if t < lo_ms {
            t += step_i;
        }
        while t <= hi_ms && x_ticks.len() < 12 {
            x_ticks.push(AxisTick { at: x_of(t as u64 * 1_000), value: t as u64 });
            t += step_i;
        }
    }
    Scatter { points, x_ticks, y_ticks, x_span_ms: span_ms }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::summary::ServiceSummary;

    fn summary(id: &str, start: u64, duration: u64, spans: u32, services: &[&str], error: bool) -> TraceSummary {
        TraceSummary {
            trace_id: id.into(),
            start,
            duration,
            span_count: spans,
            services: services.iter().map(|n| ServiceSummary { name: (*n).into(), ..Default::default() }).collect(),
            error: if error { ErrorKind::Critical } else { ErrorKind::None },
            error_count: u32::from(error),
            root_service: services.first().map_or("unknown", |s| s).into(),
            root_name: format!("get /{id}"),
            ..Default::default()
        }
    }

    fn set() -> ResultSet {
        ResultSet::new(vec![
            summary("a1", 3_000_000, 500, 3, &["frontend", "db"], false),
            summary("b2", 1_000_000, 9_000, 10, &["frontend", "Payments"], true),
            summary("c3", 2_000_000, 100, 1, &["batch"], false),
        ])
    }

    #[test]
    fn sorts() {
        let s = set();
        let f = ResultFilter::default();
        assert_eq!(s.select(&f, SortOrder::Newest), vec![0, 2, 1]);
        assert_eq!(s.select(&f, SortOrder::Oldest), vec![1, 2, 0]);
        assert_eq!(s.select(&f, SortOrder::Longest), vec![1, 0, 2]);
        assert_eq!(s.select(&f, SortOrder::Shortest), vec![2, 0, 1]);
        assert_eq!(s.select(&f, SortOrder::MostSpans), vec![1, 0, 2]);
        for o in SortOrder::ALL {
            assert_eq!(SortOrder::parse(o.as_str()), Some(o));
        }
    }

    #[test]
    fn filters_by_service_and_by_all_words() {
        let s = set();
        let by_service = ResultFilter { service: Some("frontend".into()), text: String::new() };
        assert_eq!(s.select(&by_service, SortOrder::Newest), vec![0, 1]);
        let words = ResultFilter { service: None, text: "  PAYM  get ".into() };
        assert_eq!(s.select(&words, SortOrder::Newest), vec![1]);
        let both = ResultFilter { service: Some("batch".into()), text: "payments".into() };
        assert!(s.select(&both, SortOrder::Newest).is_empty());
        assert_eq!(s.select(&ResultFilter { service: None, text: "c3".into() }, SortOrder::Newest), vec![2]);
        assert_eq!(
            s.services(),
            &[("Payments".into(), 1), ("batch".into(), 1), ("db".into(), 1), ("frontend".into(), 2)]
        );
    }

    #[test]
    fn view_parameters_round_trip_and_defaults_are_omitted() {
        let filter = ResultFilter { service: Some("yelp-main".into()), text: "get /a b".into() };
        let q = view_query(SortOrder::Longest, &filter);
        assert_eq!(q, "sort=longest&filterService=yelp-main&filter=get+%2Fa+b");
        assert_eq!(parse_view(&format!("serviceName=x&{q}")), (SortOrder::Longest, filter));
        assert_eq!(view_query(SortOrder::Newest, &ResultFilter::default()), "");
        assert_eq!(parse_view("sort=bogus&filterService="), (SortOrder::Newest, ResultFilter::default()));
    }

    #[test]
    fn bars_are_relative_to_the_longest() {
        let s = set();
        assert_eq!(s.longest(), 9_000);
        assert_eq!(bar_fraction(4_500, s.longest()), 0.5);
        assert_eq!(bar_fraction(1, 0), 0.0);
        assert_eq!(bar_fraction(10, 5), 1.0);
    }

    #[test]
    fn scatter_places_points_inside_the_frame() {
        let s = set();
        let frame = PlotFrame { width: 220.0, height: 120.0, left: 10.0, right: 10.0, top: 10.0, bottom: 10.0 };
        let all = s.select(&ResultFilter::default(), SortOrder::Newest);
        let plot = scatter(&s, &all, frame, 0);
        assert_eq!(plot.points.len(), 3);
        let p = |id: u32| *plot.points.iter().find(|p| p.index == id).unwrap();
        assert_eq!((p(1).x, p(1).y, p(1).error), (10.0, 10.0, true)); // oldest, longest
        assert_eq!(p(0).x, 210.0); // newest at the right edge
        assert_eq!(p(2).x, 110.0);
        assert!(plot.points.iter().all(|p| p.y >= 10.0 && p.y <= 110.0));
        assert_eq!(plot.y_ticks[0].value, "0ms");
        assert_eq!(plot.y_ticks[0].at, 110.0);
        // 2 s of starts: ticks every 500 ms, on round times.
        assert_eq!(plot.x_ticks.iter().map(|t| t.value).collect::<Vec<_>>(), vec![1_000, 1_500, 2_000, 2_500, 3_000]);
        // Following a filter: one point, centred.
        let one = scatter(&s, &[2], frame, 0);
        assert_eq!((one.points.len(), one.points[0].x), (1, 110.0));
        assert!(scatter(&s, &[], frame, 0).points.is_empty());
    }

    #[test]
    fn time_ticks_align_to_the_shown_zone() {
        let hour = 3_600_000_000u64; // µs
        let s = ResultSet::new(vec![
            summary("a", 10 * hour, 1, 1, &["x"], false),
            summary("b", 14 * hour + hour / 2, 1, 1, &["x"], false),
        ]);
        let frame = PlotFrame { width: 100.0, height: 100.0, left: 0.0, right: 0.0, top: 0.0, bottom: 0.0 };
        let utc = scatter(&s, &[0, 1], frame, 0);
        assert_eq!(utc.x_ticks[0].value, 36_000_000);
        let half = scatter(&s, &[0, 1], frame, 30);
        // At UTC+00:30 the round hours fall on the half hours of UTC.
        assert_eq!(half.x_ticks[0].value, 36_000_000 + 1_800_000);
    }
}
