//! Search results as the page shows them: the summaries of one answer with a precomputed text
//! index, the client-side filters (a service, free text) and sort orders that need no new
//! request, and the duration bars.
//! Filtering and sorting 1,000 results is one pass plus a sort: well under a millisecond.
//! The answer itself is read by [`summarize_answer`] (`summary_decode`); the scatter plot's
//! scales, ticks and dots are `crate::scatter`'s.
mod summary_decode;

pub use summary_decode::summarize_answer;

use super::search_url::{percent_encode, query_pairs};
use super::sorting;
use super::summary::TraceSummary;
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
}
