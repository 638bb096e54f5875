//! `TraceModel`: one trace, built once from its spans and shared immutably (`Arc`) by every
//! view. It holds the raw spans (for the raw-JSON panel), the cleaned spans, the span tree, the
//! clock-skew correction, interned service names, and the waterfall rows in a flat arena in
//! depth-first order, so the subtree of row `i` is the range `i..subtree_end(i)`.
//!
//! A row is what Lens's `trace.js` (`detailedTraceSummary`) and `span-row.js` (`newSpanRow`)
//! show on one line: a span plus the shared server halves that reuse its id, their children
//! pulled up as the row's own.
use super::clean::{clean_owned_keyed, normalize_span_id, Flavor};
use super::clock_skew::{correct_skew, SkewCorrection};
use super::fast_hash::FastMap;
use super::row_address::{parse_row_key, row_key};
use super::sorting;
use super::span::{Kind, Span};
use super::tree::span_ids::SpanIds;
use super::tree::{build_tree_from, Duplicates, SpanTree, TreeReport, NONE};

/// "No service": a row or span without a service name.
pub const NO_SERVICE: u32 = u32::MAX;

/// How bad a row's error is (Lens `getErrorType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ErrorKind {
    #[default]
    None,
    /// An `error` annotation: a failure the span recovered from.
    Transient,
    /// An `error` tag, even with an empty value.
    Critical,
}

/// The error kind of one span.
pub fn span_error(span: &Span) -> ErrorKind {
    if has_error_tag(span) {
        ErrorKind::Critical
    } else if span.annotations.iter().any(|a| a.value == "error") {
        ErrorKind::Transient
    } else {
        ErrorKind::None
    }
}

/// Whether the span has an `error` tag. A tree search compares "error" with keys in order, and
/// each comparison reads a key's bytes from the heap (a cache miss when summarising 1,000
/// traces); a scan of a small map compares lengths first and reads only keys of length 5.
fn has_error_tag(span: &Span) -> bool {
    if span.tags.len() <= 16 {
        span.tags.keys().any(|k| k == "error")
    } else {
        span.tags.contains_key("error")
    }
}

/// One waterfall row in the arena.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Parent row, `NONE` at the top level.
    pub parent: u32,
    /// 0 for top-level rows.
    pub depth: u32,
    /// One past the last row of this row's subtree.
    pub subtree_end: u32,
    /// Number of child rows.
    pub child_count: u32,
    /// Whether this row is the last child of its parent (the connector's shape).
    pub is_last_child: bool,
    /// The row's first span (a client, or a span without shared halves).
    pub span: u32,
    /// Range of this row's spans in the model's row-span list.
    spans_start: u32,
    spans_end: u32,
    /// The span whose timestamp the row shows (its own, else a shared half's).
    pub timing_span: u32,
    /// Start in µs since epoch without and with skew correction; a row without any timestamp
    /// inherits its parent's start (or the trace start) so it is still drawn somewhere sensible.
    pub start: [u64; 2],
    /// Whether some span of the row had a timestamp.
    pub has_timestamp: bool,
    /// Duration in µs (0 when unknown, as Lens shows it).
    pub duration: u64,
    /// Index into `TraceModel::services`, `NO_SERVICE` if none.
    pub service: u32,
    pub error: ErrorKind,
}

impl Row {
    /// Start in µs since epoch with or without skew correction.
    pub fn start_us(&self, skew: bool) -> u64 {
        self.start[usize::from(skew)]
    }

    /// End in µs since epoch.
    pub fn end_us(&self, skew: bool) -> u64 {
        self.start_us(skew).saturating_add(self.duration)
    }
}

/// One trace, analysed. See the module documentation.
#[derive(Debug, Clone, Default)]
pub struct TraceModel {
    trace_id: String,
    /// For each input span, the cleaned span it became part of.
    origin: Vec<u32>,
    /// Input spans that cleaning changed, as given: `(input index, span)`, by input index.
    originals: Vec<(u32, Span)>,
    spans: Vec<Span>,
    tree: SpanTree,
    report: TreeReport,
    self_parents: Vec<u32>,
    skew: SkewCorrection,
    services: Vec<String>,
    span_service: Vec<u32>,
    rows: Vec<Row>,
    row_spans: Vec<u32>,
    span_row: Vec<u32>,
    /// `(row, occurrence)` for every row that is not the first to show its span id, by row: its
    /// key is `id~occurrence` (`row_address`). Empty unless ids repeat across rows.
    repeats: Vec<(u32, u32)>,
    /// Trace bounds [start, end] in µs, without and with skew correction.
    bounds: [(u64, u64); 2],
}

impl TraceModel {
    /// Cleans, links and lays out a trace's spans. Never panics; an empty list gives an empty
    /// model. O(n log n), iterative.
    pub fn build(raw: Vec<Span>) -> TraceModel {
        // Cleaning reads every id once and hands the tree integer keys; while it has each span in
        // cache, the service names and error kind the rows need are read too (`SpanFacts`).
        let mut names = ServiceNames::default();
        let mut facts: Vec<SpanFacts> = Vec::with_capacity(raw.len());
        let (cleaned, keys) = clean_owned_keyed(raw, Flavor::Lens, |s| facts.push(SpanFacts::read(s, &mut names)));
        let spans = cleaned.spans;
        let facts = facts_of_cleaned(&spans, &cleaned.origin, &cleaned.originals, facts, &mut names);
        let tree = build_tree_from(&spans, SpanIds::from_keys(&spans, &keys), Duplicates::KeepAll);
        drop(keys);
        let skew = correct_skew(&spans, &tree);

        // Services sorted by name so colours are stable; only names a cleaned span still has
        // count (a merged-away fragment's remote service may not).
        let (services, rank) = names.sorted(&facts);
        let lookup = |num: u32| rank.get(num as usize).copied().unwrap_or(NO_SERVICE);
        let span_service: Vec<u32> = facts.iter().map(|f| lookup(f.local)).collect();

        let bounds = [trace_bounds(&spans, &skew, false), trace_bounds(&spans, &skew, true)];
        let (rows, row_spans, span_row) = build_rows(&facts, &tree, &skew, bounds, &lookup);
        let repeats = repeated_ids(&rows, &tree);
        let trace_id = spans.first().map(|s| s.trace_id.clone()).unwrap_or_default();
        let report = tree.report.clone();
        TraceModel {
            trace_id,
            origin: cleaned.origin,
            originals: cleaned.originals,
            spans,
            tree,
            report,
            self_parents: cleaned.self_parents,
            skew,
            services,
            span_service,
            rows,
            row_spans,
            span_row,
            repeats,
            bounds,
        }
    }

    pub fn trace_id(&self) -> &str {
        &self.trace_id
    }

    /// The rows in depth-first order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn row(&self, i: u32) -> Option<&Row> {
        self.rows.get(i as usize)
    }

    pub fn row_count(&self) -> u32 {
        self.rows.len() as u32
    }

    /// One past the last row of `i`'s subtree.
    pub fn subtree_end(&self, i: u32) -> u32 {
        self.row(i).map_or(i, |r| r.subtree_end)
    }

    /// The cleaned spans (merged fragments, normalised ids).
    pub fn spans(&self) -> &[Span] {
        &self.spans
    }

    pub fn span(&self, i: u32) -> Option<&Span> {
        self.spans.get(i as usize)
    }

    /// How many spans the model was built from (before fragments were merged).
    pub fn raw_span_count(&self) -> usize {
        self.origin.len()
    }

    /// Every span as given, in input order (downloading or archiving a trace "as received").
    /// O(n log n).
    pub fn raw_spans(&self) -> Vec<&Span> {
        self.origin
            .iter()
            .enumerate()
            .filter_map(|(r, &o)| match self.originals.binary_search_by_key(&(r as u32), |(k, _)| *k) {
                Ok(at) => self.originals.get(at).map(|(_, s)| s),
                Err(_) => self.span(o),
            })
            .collect()
    }

    /// The spans as given that became cleaned span `i` (usually one; several for fragments),
    /// for the raw-JSON view. Spans cleaning left untouched are not copied: for them the
    /// cleaned span is the raw one. O(input spans), for a click, not for a frame.
    pub fn raw_spans_of(&self, i: u32) -> Vec<&Span> {
        self.origin
            .iter()
            .enumerate()
            .filter(|(_, &o)| o == i)
            .filter_map(|(r, _)| match self.originals.binary_search_by_key(&(r as u32), |(k, _)| *k) {
                Ok(at) => self.originals.get(at).map(|(_, s)| s),
                Err(_) => self.span(i),
            })
            .collect()
    }

    /// Cleaned span indices of row `i`: its span first, then any shared halves.
    pub fn row_spans(&self, i: u32) -> &[u32] {
        self.row(i).and_then(|r| self.row_spans.get(r.spans_start as usize..r.spans_end as usize)).unwrap_or(&[])
    }

    /// The row showing cleaned span `i`.
    pub fn row_of_span(&self, i: u32) -> Option<u32> {
        self.span_row.get(i as usize).copied().filter(|r| *r != NONE)
    }

    /// The first row whose span has this id (ids compare after left-padding to 16 hex).
    pub fn find_row_by_span_id(&self, id: &str) -> Option<u32> {
        self.nth_row_with_id(id.trim(), 1)
    }

    /// The span id row `i` shows (all of a row's spans share it).
    pub fn row_span_id(&self, i: u32) -> Option<&str> {
        self.row(i).and_then(|r| self.span(r.span)).map(|s| s.id.as_str())
    }

    /// Row `i`'s address in links: its span id, `id~n` for the n-th row showing that id
    /// (`row_address`). Unlike a span id, it never names two rows.
    pub fn row_key(&self, i: u32) -> Option<String> {
        let id = self.row_span_id(i)?;
        let occurrence = match self.repeats.binary_search_by_key(&i, |(r, _)| *r) {
            Ok(at) => self.repeats.get(at).map_or(1, |(_, n)| *n),
            Err(_) => 1,
        };
        Some(row_key(id, occurrence))
    }

    /// The row a key addresses (`row_key`); a bare span id is the first row showing it. O(rows):
    /// for reading a link, not for a frame.
    pub fn row_of_key(&self, key: &str) -> Option<u32> {
        let (id, occurrence) = parse_row_key(key)?;
        self.nth_row_with_id(id, occurrence)
    }

    /// The `n`-th row (from 1, in row order) whose span has this id.
    fn nth_row_with_id(&self, id: &str, n: u32) -> Option<u32> {
        let id = normalize_span_id(id);
        let skip = n.checked_sub(1)? as usize;
        (0..self.row_count()).filter(|&r| self.row_span_id(r) == Some(id.as_str())).nth(skip)
    }

    /// Ancestors of row `i`, nearest first (to expand a collapsed path to a match).
    pub fn ancestors(&self, i: u32) -> impl Iterator<Item = u32> + '_ {
        std::iter::successors(self.row(i).map(|r| r.parent), move |&p| self.row(p).map(|r| r.parent))
            .take_while(|&p| p != NONE)
    }

    /// The span tree (span-level parent/children, before shared halves are merged into rows).
    pub fn tree(&self) -> &SpanTree {
        &self.tree
    }

    /// What the tree builder repaired.
    pub fn report(&self) -> &TreeReport {
        &self.report
    }

    /// Input spans that named themselves as parent.
    pub fn self_parents(&self) -> &[u32] {
        &self.self_parents
    }

    /// The clock-skew correction (per-span offsets and the moved spans).
    pub fn skew(&self) -> &SkewCorrection {
        &self.skew
    }

    /// A span's timestamp with or without correction.
    pub fn span_start(&self, i: u32, skew: bool) -> Option<u64> {
        let ts = self.span(i)?.timestamp?;
        let d = if skew { self.skew.delta_of(i) } else { 0 };
        Some((ts as i64).saturating_add(d).max(0) as u64)
    }

    /// An annotation time with or without correction.
    pub fn annotation_time(&self, span: u32, ts: u64, skew: bool) -> u64 {
        let d = if skew { self.skew.delta_of(span) } else { 0 };
        (ts as i64).saturating_add(d).max(0) as u64
    }

    /// Sorted, distinct service names (local and remote); a row's `service` indexes this list,
    /// which makes it a stable colour index.
    pub fn services(&self) -> &[String] {
        &self.services
    }

    /// How many services the trace involves, as Lens's trace header counts them
    /// (`serviceNameAndSpanCounts`): distinct local and remote names, so a database or broker
    /// that records no spans of its own still counts.
    pub fn service_count(&self) -> usize {
        self.services.len()
    }

    pub fn service_name(&self, i: u32) -> Option<&str> {
        self.services.get(i as usize).map(String::as_str)
    }

    /// The local service index of cleaned span `i`.
    pub fn span_service(&self, i: u32) -> u32 {
        self.span_service.get(i as usize).copied().unwrap_or(NO_SERVICE)
    }

    /// The row's service name, `unknown` when none (as Lens shows it).
    pub fn row_service_name(&self, i: u32) -> &str {
        self.row(i).and_then(|r| self.service_name(r.service)).unwrap_or("unknown")
    }

    /// The row's span name, preferring the server's; `unknown` when none.
    pub fn row_name(&self, i: u32) -> &str {
        let mut name = None;
        for &s in self.row_spans(i) {
            if let Some(span) = self.span(s) {
                if let Some(n) = span.name.as_deref() {
                    if name.is_none() || span.kind == Some(Kind::Server) {
                        name = Some(n);
                    }
                }
            }
        }
        name.unwrap_or("unknown")
    }

    /// Trace start and end (µs since epoch) over all spans: last end − first start, as Lens.
    pub fn bounds(&self, skew: bool) -> (u64, u64) {
        self.bounds[usize::from(skew)]
    }

    /// Trace duration in µs.
    pub fn duration(&self, skew: bool) -> u64 {
        let (a, b) = self.bounds(skew);
        b.saturating_sub(a)
    }

    /// Deepest row depth + 1 (the number of levels), 0 for an empty trace.
    pub fn depth(&self) -> u32 {
        self.rows.iter().map(|r| r.depth + 1).max().unwrap_or(0)
    }
}

/// Service names numbered as they are met (`NO_SERVICE`: none), to be sorted once at the end.
#[derive(Default)]
struct ServiceNames {
    index: FastMap<String, u32>,
    names: Vec<String>,
}

impl ServiceNames {
    fn number(&mut self, name: Option<&str>) -> u32 {
        let Some(name) = name else { return NO_SERVICE };
        if let Some(&k) = self.index.get(name) {
            return k;
        }
        let k = self.names.len() as u32;
        self.index.insert(name.to_owned(), k);
        self.names.push(name.to_owned());
        k
    }

    /// The names some span uses, sorted, and each number's index in that list.
    fn sorted(self, facts: &[SpanFacts]) -> (Vec<String>, Vec<u32>) {
        let mut used = vec![false; self.names.len()];
        for f in facts {
            for k in [f.local, f.remote] {
                if let Some(u) = used.get_mut(k as usize) {
                    *u = true;
                }
            }
        }
        let mut kept: Vec<(String, u32)> =
            self.names.into_iter().enumerate().filter(|(k, _)| used[*k]).map(|(k, n)| (n, k as u32)).collect();
        sorting::sort(&mut kept);
        let mut rank = vec![NO_SERVICE; used.len()];
        for (r, (_, k)) in kept.iter().enumerate() {
            if let Some(slot) = rank.get_mut(*k as usize) {
                *slot = r as u32;
            }
        }
        (kept.into_iter().map(|(n, _)| n).collect(), rank)
    }
}

/// What laying out rows needs of a span, in a compact array: rows are visited depth first, in
/// an order unrelated to where spans (and their tag maps) live in memory.
#[derive(Debug, Clone, Copy)]
struct SpanFacts {
    timestamp: Option<u64>,
    duration: Option<u64>,
    /// Service numbers (`ServiceNames`) of the local and remote endpoints.
    local: u32,
    remote: u32,
    kind: Option<Kind>,
    shared: bool,
    error: ErrorKind,
}

impl SpanFacts {
    fn read(s: &Span, names: &mut ServiceNames) -> SpanFacts {
        SpanFacts {
            timestamp: s.timestamp,
            duration: s.duration,
            local: names.number(s.local_service()),
            remote: names.number(s.remote_service()),
            kind: s.kind,
            shared: s.shared == Some(true),
            error: span_error(s),
        }
    }
}

/// Facts read from input spans, moved to the cleaned span each became. A cleaned span that
/// merging or marking changed has an entry in `originals` (via `origin`) and is read again;
/// every other one is exactly its single input span.
fn facts_of_cleaned(
    spans: &[Span],
    origin: &[u32],
    originals: &[(u32, Span)],
    raw: Vec<SpanFacts>,
    names: &mut ServiceNames,
) -> Vec<SpanFacts> {
    let mut dirty = vec![false; spans.len()];
    for (r, _) in originals {
        if let Some(d) = origin.get(*r as usize).and_then(|&c| dirty.get_mut(c as usize)) {
            *d = true;
        }
    }
    let mut out: Vec<Option<SpanFacts>> = vec![None; spans.len()];
    for (f, &c) in raw.into_iter().zip(origin) {
        if let (Some(slot), Some(false)) = (out.get_mut(c as usize), dirty.get(c as usize)) {
            *slot = Some(f);
        }
    }
    out.into_iter().zip(spans).map(|(f, s)| f.unwrap_or_else(|| SpanFacts::read(s, names))).collect()
}

fn trace_bounds(spans: &[Span], skew: &SkewCorrection, on: bool) -> (u64, u64) {
    let mut lo = u64::MAX;
    let mut hi = 0u64;
    for (i, s) in spans.iter().enumerate() {
        let Some(ts) = s.timestamp else { continue };
        let d = if on { skew.delta_of(i as u32) } else { 0 };
        let start = (ts as i64).saturating_add(d).max(0) as u64;
        lo = lo.min(start);
        hi = hi.max(start.saturating_add(s.duration.unwrap_or(0)));
    }
    if lo == u64::MAX {
        (0, 0)
    } else {
        (lo, hi.max(lo))
    }
}

type Rows = (Vec<Row>, Vec<u32>, Vec<u32>);

/// Lays out rows depth first: a span absorbs children that share its id (shared server halves),
/// whose own children become the row's children, re-sorted by timestamp.
fn build_rows(
    spans: &[SpanFacts],
    tree: &SpanTree,
    skew: &SkewCorrection,
    bounds: [(u64, u64); 2],
    lookup: &dyn Fn(u32) -> u32,
) -> Rows {
    let n = spans.len();
    let mut rows: Vec<Row> = Vec::with_capacity(n);
    let mut row_spans: Vec<u32> = Vec::with_capacity(n);
    let mut span_row = vec![NONE; n];
    // (span, parent row, depth, is last child)
    let mut stack: Vec<(u32, u32, u32, bool)> = Vec::new();
    let top = &tree.top;
    for (k, &t) in top.iter().enumerate().rev() {
        stack.push((t, NONE, 0, k + 1 == top.len()));
    }
    let ts_of = |i: u32| spans.get(i as usize).and_then(|s| s.timestamp);
    let mut group: Vec<u32> = Vec::new();
    let mut kids: Vec<u32> = Vec::new();
    while let Some((s, parent, depth, is_last)) = stack.pop() {
        let r = rows.len() as u32;
        if s as usize >= spans.len() {
            continue;
        }
        group.clear();
        kids.clear();
        group.push(s);
        let mut g = 0;
        while let Some(&m) = group.get(g) {
            g += 1;
            for &c in tree.children(m) {
                if tree.same_id(c, s) {
                    group.push(c);
                } else {
                    kids.push(c);
                }
            }
        }
        if group.len() > 1 {
            sorting::sort_by_key(&mut kids, |&c| ts_of(c));
        }
        let spans_start = row_spans.len() as u32;
        row_spans.extend_from_slice(&group);
        for &m in &group {
            if let Some(slot) = span_row.get_mut(m as usize) {
                *slot = r;
            }
        }
        let row = make_row(spans, skew, &group, parent, depth, is_last, kids.is_empty(), lookup);
        let mut row = Row {
            spans_start,
            spans_end: row_spans.len() as u32,
            child_count: kids.len() as u32,
            subtree_end: r + 1,
            ..row
        };
        // A row without timestamp starts where its parent does (or at the trace start).
        if !row.has_timestamp {
            row.start = match rows.get(parent as usize) {
                Some(p) => p.start,
                None => [bounds[0].0, bounds[1].0],
            };
        }
        rows.push(row);
        for (k, &c) in kids.iter().enumerate().rev() {
            stack.push((c, r, depth + 1, k + 1 == kids.len()));
        }
    }
    // Pre-order: a row's subtree ends where its last descendant's does.
    for r in (0..rows.len()).rev() {
        let (p, end) = (rows[r].parent, rows[r].subtree_end);
        if let Some(parent) = rows.get_mut(p as usize) {
            parent.subtree_end = parent.subtree_end.max(end);
        }
    }
    (rows, row_spans, span_row)
}

/// The rows that are not the first to show their span id, with their occurrence (2 for the
/// second row showing an id, ...), by row. Id numbers are below the span count.
fn repeated_ids(rows: &[Row], tree: &SpanTree) -> Vec<(u32, u32)> {
    let mut seen = vec![0u32; tree.parent.len()];
    let mut repeats = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let Some(count) = tree.id_number(row.span).and_then(|d| seen.get_mut(d as usize)) else { continue };
        *count += 1;
        if *count > 1 {
            repeats.push((r as u32, *count));
        }
    }
    repeats
}

/// `newSpanRow`: timing from the first unshared span with a timestamp, else a shared half;
/// service from the server, else (on a leaf) the client's remote, else the first local one.
#[allow(clippy::too_many_arguments)]
fn make_row(
    spans: &[SpanFacts],
    skew: &SkewCorrection,
    group: &[u32],
    parent: u32,
    depth: u32,
    is_last_child: bool,
    is_leaf: bool,
    lookup: &dyn Fn(u32) -> u32,
) -> Row {
    let mut timing: Option<u32> = None;
    let mut shared_timing: Option<u32> = None;
    let mut duration: Option<u64> = None;
    let mut shared_duration: Option<u64> = None;
    let mut service: Option<u32> = None;
    let mut error = ErrorKind::None;
    for &i in group {
        let Some(s) = spans.get(i as usize) else {
            continue;
        };
        if s.shared {
            if shared_timing.is_none() && s.timestamp.is_some() {
                shared_timing = Some(i);
            }
            shared_duration = shared_duration.or(s.duration);
        } else {
            if timing.is_none() && s.timestamp.is_some() {
                timing = Some(i);
            }
            duration = duration.or(s.duration);
        }
        let local = Some(s.local).filter(|k| *k != NO_SERVICE);
        let remote = Some(s.remote).filter(|k| *k != NO_SERVICE);
        if local.is_some() && s.kind == Some(Kind::Server) {
            service = local;
        } else if is_leaf && s.kind == Some(Kind::Client) && service.is_none() && remote.is_some() {
            service = remote;
        } else if service.is_none() {
            service = local;
        }
        error = error.max(s.error);
    }
    let timing_span = timing.or(shared_timing);
    let first = group.first().copied().unwrap_or(0);
    let start_of = |on: bool| {
        timing_span
            .and_then(|t| {
                let ts = spans.get(t as usize)?.timestamp?;
                let d = if on { skew.delta_of(t) } else { 0 };
                Some((ts as i64).saturating_add(d).max(0) as u64)
            })
            .unwrap_or(0)
    };
    Row {
        parent,
        depth,
        subtree_end: 0,
        child_count: 0,
        is_last_child,
        span: first,
        spans_start: 0,
        spans_end: 0,
        timing_span: timing_span.unwrap_or(first),
        start: [start_of(false), start_of(true)],
        has_timestamp: timing_span.is_some(),
        duration: duration.or(shared_duration).unwrap_or(0),
        service: service.map_or(NO_SERVICE, lookup),
        error,
    }
}
