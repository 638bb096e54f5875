//! The in-memory span store, after Zipkin's `InMemoryStorage`: spans grouped by the low 64 bits of the trace
//! id, exact duplicates stored once, the oldest traces evicted past a span budget, name and autocomplete
//! indexes, and the `/traces` search of `QueryRequest.test`.
//!
//! Each span is kept as its compact JSON (what the API answers, so a 100,000-span trace is served by copying
//! bytes, never re-encoded) plus a few interned fields that searches read. That keeps 500,000 spans in a few
//! hundred megabytes where a tree of `String`s and maps per span would take about a gigabyte.
use crate::query::QueryRequest;
use serde::Deserialize;
use spanscope_domain::jaeger_search::{kind_name, service_name, TraceQuery};
use spanscope_domain::otel_translate::zipkin_span_kind;
use spanscope_domain::span::Span;
use spanscope_domain::span_detail::SpanKind;
use std::borrow::Cow;
use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

/// How the store behaves (Zipkin's `MEM_MAX_SPANS`, `STRICT_TRACE_ID`, `AUTOCOMPLETE_KEYS`).
#[derive(Debug, Clone)]
pub struct StoreSettings {
    pub max_spans: usize,
    pub strict_trace_id: bool,
    pub autocomplete_keys: Vec<String>,
}

impl Default for StoreSettings {
    fn default() -> Self {
        StoreSettings { max_spans: 500_000, strict_trace_id: true, autocomplete_keys: Vec::new() }
    }
}

/// An interned name; 0 is "none".
type Sym = u32;

#[derive(Default)]
struct Interner {
    ids: HashMap<Box<str>, Sym>,
    names: Vec<Box<str>>,
}

impl Interner {
    fn intern(&mut self, name: Option<&str>) -> Sym {
        let Some(name) = name else { return 0 };
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        if self.names.is_empty() {
            self.names.push("".into());
        }
        let id = self.names.len() as Sym;
        self.names.push(name.into());
        self.ids.insert(name.into(), id);
        id
    }

    /// The symbol of a name, if it was ever seen (an unseen name matches nothing).
    fn lookup(&self, name: &str) -> Option<Sym> {
        self.ids.get(name).copied()
    }

    fn name(&self, id: Sym) -> &str {
        &self.names[id as usize]
    }
}

/// A normalised span ready to store, prepared outside the store's lock.
#[derive(Debug, Clone)]
pub struct PreparedSpan {
    json: Box<str>,
    original: Option<Box<Span>>,
    hash: u64,
    low: u64,
    high: u64,
    timestamp: u64,
    duration: u64,
    parentless: bool,
    service: Option<String>,
    remote: Option<String>,
    name: Option<String>,
    autocomplete: Vec<(String, String)>,
    jaeger: JaegerNames,
}

/// A span's names as Jaeger's APIs list them: the service and operation as sent (Zipkin's API lower-cases
/// them), and the kind.
#[derive(Debug, Clone, PartialEq, Eq)]
struct JaegerNames {
    service: Option<String>,
    operation: Option<String>,
    kind: SpanKind,
}

/// The kinds by their index in the store (a byte per span): their OTLP numbers.
const KINDS: [SpanKind; 6] = SpanKind::ALL;

fn kind_index(kind: SpanKind) -> u8 {
    KINDS.iter().position(|k| *k == kind).unwrap_or(0) as u8
}

/// Splits a normalised (16 or 32 lower-hex) trace id into its (high, low) halves.
pub fn split_trace_id(trace_id: &str) -> (u64, u64) {
    let len = trace_id.len();
    let low = u64::from_str_radix(&trace_id[len.saturating_sub(16)..], 16).unwrap_or(0);
    let high = if len > 16 { u64::from_str_radix(&trace_id[..len - 16], 16).unwrap_or(0) } else { 0 };
    (high, low)
}

impl PreparedSpan {
    /// Encodes a normalised span; `autocomplete_keys` picks the tags the autocomplete index keeps.
    pub fn new(span: &Span, autocomplete_keys: &[String]) -> PreparedSpan {
        let json = serde_json::to_string(span).expect("a span always encodes").into_boxed_str();
        let mut hasher = DefaultHasher::new();
        json.hash(&mut hasher);
        let (high, low) = split_trace_id(&span.trace_id);
        PreparedSpan {
            hash: hasher.finish(),
            json,
            original: None,
            low,
            high,
            timestamp: span.timestamp.unwrap_or(0),
            duration: span.duration.unwrap_or(0),
            parentless: span.parent_id.is_none(),
            service: span.local_service().map(str::to_string),
            remote: span.remote_service().map(str::to_string),
            name: span.name.clone(),
            jaeger: JaegerNames {
                service: span.local_service().map(str::to_string),
                operation: span.name.clone(),
                kind: zipkin_span_kind(span),
            },
            autocomplete: span
                .tags
                .iter()
                .filter(|(k, _)| autocomplete_keys.contains(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        }
    }

    /// Keeps `original`, the span as it was received (before Zipkin's normalisation lower-cased its name and
    /// service), so that what OTLP or Jaeger sent can be given back whole; the Zipkin API still answers with
    /// the normalised JSON.
    pub fn with_original(mut self, original: Span) -> PreparedSpan {
        if let Some(detail) = &original.detail {
            let service = service_name(detail);
            self.jaeger = JaegerNames {
                service: (!service.is_empty()).then(|| service.into_owned()),
                operation: original.name.clone(),
                kind: detail.kind,
            };
        }
        self.original = Some(Box::new(original));
        self
    }
}

struct StoredSpan {
    json: Box<str>,
    /// The span as received, with its `detail`, for spans that came with one (OTLP, Jaeger).
    original: Option<Box<Span>>,
    high: u64,
    timestamp: u64,
    duration: u64,
    parentless: bool,
    service: Sym,
    remote: Sym,
    name: Sym,
    jaeger_service: Sym,
    jaeger_operation: Sym,
    jaeger_kind: u8,
}

struct Trace {
    spans: Vec<StoredSpan>,
    /// JSON hash → index of the first span with that hash (exact duplicates are stored once).
    seen: HashMap<u64, u32>,
    /// The first parentless span's timestamp (µs), as `QueryRequest.test` reads it; 0 when none.
    root_ts: u64,
    /// The earliest span timestamp (µs); 0 when no span has one.
    min_ts: u64,
    /// Milliseconds of the oldest span (0 if a span has no timestamp): the eviction order of `InMemoryStorage`.
    min_ms: u64,
    max_ms: u64,
    /// Some span's trace id differs in its high 64 bits from the first one's.
    mixed_high: bool,
    /// Bumped on every change, so cached dependency links know when they are stale.
    pub version: u64,
}

impl Trace {
    /// The timestamp searches use: the root's, or the earliest if rootless; 0 means never searchable.
    fn search_ts(&self) -> u64 {
        if self.root_ts != 0 {
            self.root_ts
        } else {
            self.min_ts
        }
    }
}

/// The store. Readers take `&self`; ingest and eviction take `&mut self` (the server wraps it in a lock).
pub struct Store {
    settings: StoreSettings,
    traces: HashMap<u64, Trace>,
    /// (search timestamp µs, low id), for newest-first searches.
    by_search_ts: BTreeSet<(u64, u64)>,
    /// (oldest span ms, low id), for eviction.
    by_age: BTreeSet<(u64, u64)>,
    span_count: usize,
    syms: Interner,
    services: HashMap<Sym, usize>,
    span_names: HashMap<(Sym, Sym), usize>,
    remote_services: HashMap<(Sym, Sym), usize>,
    autocomplete: HashMap<(String, String), usize>,
    /// Jaeger's service names and (service, operation, kind) triples, with their span counts.
    jaeger_services: HashMap<Sym, usize>,
    jaeger_operations: HashMap<(Sym, Sym, u8), usize>,
    next_version: u64,
}

/// The fields of a span an `annotationQuery` reads, decoded from its JSON only when needed.
#[derive(Deserialize)]
struct Searchable<'a> {
    #[serde(default, borrow)]
    annotations: Vec<SearchableAnnotation<'a>>,
    #[serde(default, borrow)]
    tags: BTreeMap<Cow<'a, str>, Cow<'a, str>>,
}

#[derive(Deserialize)]
struct SearchableAnnotation<'a> {
    #[serde(borrow)]
    value: Cow<'a, str>,
}

/// One trace of a result: the JSON of its spans.
pub type TraceJson<'a> = Vec<&'a str>;

impl Store {
    pub fn new(settings: StoreSettings) -> Store {
        Store {
            settings,
            traces: HashMap::new(),
            by_search_ts: BTreeSet::new(),
            by_age: BTreeSet::new(),
            span_count: 0,
            syms: Interner::default(),
            services: HashMap::new(),
            span_names: HashMap::new(),
            remote_services: HashMap::new(),
            autocomplete: HashMap::new(),
            jaeger_services: HashMap::new(),
            jaeger_operations: HashMap::new(),
            next_version: 1,
        }
    }

    pub fn settings(&self) -> &StoreSettings {
        &self.settings
    }

    /// Spans stored now.
    pub fn span_count(&self) -> usize {
        self.span_count
    }

    pub fn trace_count(&self) -> usize {
        self.traces.len()
    }

    /// Stores a batch, first evicting the oldest traces so that the batch fits the budget
    /// (`InMemoryStorage.doAccept`: the whole batch counts, duplicates included). Zipkin then stores the whole
    /// batch even when it alone is past the budget; here the oldest traces keep being evicted, the batch's own
    /// included, until the store is within it again: one huge batch holds no more than `max_spans`, and what
    /// stays is what the same spans sent in budget-sized batches would leave (the newest traces).
    pub fn accept(&mut self, spans: Vec<PreparedSpan>) {
        let excess = (self.span_count + spans.len()).saturating_sub(self.settings.max_spans);
        self.evict(excess);
        for span in spans {
            self.insert(span);
        }
        self.evict(self.span_count.saturating_sub(self.settings.max_spans));
    }

    fn evict(&mut self, mut spans_to_recover: usize) {
        while spans_to_recover > 0 {
            let Some(&(_, low)) = self.by_age.iter().next() else { return };
            spans_to_recover = spans_to_recover.saturating_sub(self.remove_trace(low));
        }
    }

    /// Removes a trace and its index entries; returns how many spans it held.
    fn remove_trace(&mut self, low: u64) -> usize {
        let Some(trace) = self.traces.remove(&low) else { return 0 };
        self.by_age.remove(&(trace.min_ms, low));
        self.by_search_ts.remove(&(trace.search_ts(), low));
        for span in &trace.spans {
            self.unindex_names(span);
        }
        self.span_count -= trace.spans.len();
        trace.spans.len()
    }

    fn unindex_names(&mut self, span: &StoredSpan) {
        fn decrement<K: Eq + Hash>(map: &mut HashMap<K, usize>, key: K) {
            if let Some(count) = map.get_mut(&key) {
                *count -= 1;
                if *count == 0 {
                    map.remove(&key);
                }
            }
        }
        if span.jaeger_service != 0 {
            decrement(&mut self.jaeger_services, span.jaeger_service);
            decrement(&mut self.jaeger_operations, (span.jaeger_service, span.jaeger_operation, span.jaeger_kind));
        }
        if span.service != 0 {
            decrement(&mut self.services, span.service);
            if span.name != 0 {
                decrement(&mut self.span_names, (span.service, span.name));
            }
            if span.remote != 0 {
                decrement(&mut self.remote_services, (span.service, span.remote));
            }
        }
        if !self.settings.autocomplete_keys.is_empty() {
            if let Ok(fields) = serde_json::from_str::<Searchable>(&span.json) {
                for (k, v) in fields.tags {
                    if self.settings.autocomplete_keys.iter().any(|key| *key == k) {
                        decrement(&mut self.autocomplete, (k.into_owned(), v.into_owned()));
                    }
                }
            }
        }
    }

    fn insert(&mut self, span: PreparedSpan) {
        let version = self.next_version;
        self.next_version += 1;
        let trace = self.traces.entry(span.low).or_insert_with(|| Trace {
            spans: Vec::new(),
            seen: HashMap::new(),
            root_ts: 0,
            min_ts: 0,
            min_ms: u64::MAX,
            max_ms: 0,
            mixed_high: false,
            version,
        });
        if let Some(&at) = trace.seen.get(&span.hash) {
            let first = &trace.spans[at as usize];
            if *first.json == *span.json && first.original == span.original {
                return; // an exact duplicate
            }
        } else {
            trace.seen.insert(span.hash, trace.spans.len() as u32);
        }

        let (old_search, old_age) = (trace.search_ts(), trace.min_ms);
        if span.timestamp != 0 {
            if span.parentless && trace.root_ts == 0 {
                trace.root_ts = span.timestamp;
            }
            if trace.min_ts == 0 || span.timestamp < trace.min_ts {
                trace.min_ts = span.timestamp;
            }
        }
        let ms = span.timestamp / 1000;
        trace.min_ms = trace.min_ms.min(ms);
        trace.max_ms = trace.max_ms.max(ms);
        if let Some(first) = trace.spans.first() {
            trace.mixed_high |= first.high != span.high;
        }
        trace.version = version;
        let (new_search, new_age) = (trace.search_ts(), trace.min_ms);

        let stored = StoredSpan {
            json: span.json,
            original: span.original,
            high: span.high,
            timestamp: span.timestamp,
            duration: span.duration,
            parentless: span.parentless,
            service: self.syms.intern(span.service.as_deref()),
            remote: self.syms.intern(span.remote.as_deref()),
            name: self.syms.intern(span.name.as_deref()),
            jaeger_service: self.syms.intern(span.jaeger.service.as_deref()),
            // An operation without a name is still listed, as "" (Jaeger keeps it).
            jaeger_operation: self.syms.intern(Some(span.jaeger.operation.as_deref().unwrap_or(""))),
            jaeger_kind: kind_index(span.jaeger.kind),
        };
        if stored.jaeger_service != 0 {
            *self.jaeger_services.entry(stored.jaeger_service).or_default() += 1;
            let operation = (stored.jaeger_service, stored.jaeger_operation, stored.jaeger_kind);
            *self.jaeger_operations.entry(operation).or_default() += 1;
        }
        if stored.service != 0 {
            *self.services.entry(stored.service).or_default() += 1;
            if stored.name != 0 {
                *self.span_names.entry((stored.service, stored.name)).or_default() += 1;
            }
            if stored.remote != 0 {
                *self.remote_services.entry((stored.service, stored.remote)).or_default() += 1;
            }
        }
        for pair in span.autocomplete {
            *self.autocomplete.entry(pair).or_default() += 1;
        }
        let trace = self.traces.get_mut(&span.low).expect("inserted above");
        trace.spans.push(stored);
        self.span_count += 1;

        if old_age != new_age || trace.spans.len() == 1 {
            self.by_age.remove(&(old_age, span.low));
            self.by_age.insert((new_age, span.low));
        }
        if old_search != new_search {
            self.by_search_ts.remove(&(old_search, span.low));
        }
        if new_search != 0 {
            self.by_search_ts.insert((new_search, span.low));
        }
    }

    fn sorted_names(&self, syms: impl Iterator<Item = Sym>) -> Vec<String> {
        let mut names: Vec<String> = syms.map(|s| self.syms.name(s).to_string()).collect();
        names.sort();
        names.dedup();
        names
    }

    /// `/services`: every local service name, sorted.
    pub fn service_names(&self) -> Vec<String> {
        self.sorted_names(self.services.keys().copied())
    }

    /// `/spans?serviceName=`: the span names of one service, sorted.
    pub fn span_names(&self, service: &str) -> Vec<String> {
        let Some(service) = self.syms.lookup(&service.to_lowercase()) else { return Vec::new() };
        self.sorted_names(self.span_names.keys().filter(|(s, _)| *s == service).map(|(_, n)| *n))
    }

    /// `/remoteServices?serviceName=`: the services one service called, sorted.
    pub fn remote_service_names(&self, service: &str) -> Vec<String> {
        let Some(service) = self.syms.lookup(&service.to_lowercase()) else { return Vec::new() };
        self.sorted_names(self.remote_services.keys().filter(|(s, _)| *s == service).map(|(_, n)| *n))
    }

    /// `/autocompleteValues?key=`: values seen for a configured key, sorted.
    pub fn autocomplete_values(&self, key: &str) -> Vec<String> {
        let mut values: Vec<String> =
            self.autocomplete.keys().filter(|(k, _)| k == key).map(|(_, v)| v.clone()).collect();
        values.sort();
        values
    }

    /// `/traces`: newest first, at most `limit` traces (`InMemoryStorage.getTraces`).
    pub fn search(&self, q: &QueryRequest) -> Vec<TraceJson<'_>> {
        let mut out = Vec::new();
        let Some(criteria) = Criteria::new(q, &self.syms) else { return out };
        let (begin, end) = q.window_micros();
        let begin = begin.clamp(0, u64::MAX as i128) as u64;
        if end < 0 {
            return out;
        }
        let end = end.min(u64::MAX as i128) as u64;
        for &(_, low) in self.by_search_ts.range((begin, 0)..=(end, u64::MAX)).rev() {
            if out.len() >= q.limit {
                break;
            }
            let trace = &self.traces[&low];
            let all: Vec<&StoredSpan> = trace.spans.iter().collect();
            if !criteria.test(&all, q) {
                continue;
            }
            if !self.settings.strict_trace_id || !trace.mixed_high {
                out.push(all.iter().map(|s| &*s.json).collect());
                continue;
            }
            // Re-run the query on the spans of each full trace id (`InMemoryStorage.strictByTraceId`).
            for group in group_by_high(&trace.spans) {
                if criteria.test(&group, q) {
                    out.push(group.iter().map(|s| &*s.json).collect());
                }
            }
        }
        out
    }

    /// Jaeger's `GetServices`: every service as sent, sorted (Jaeger's order is its map's).
    pub fn jaeger_service_names(&self) -> Vec<String> {
        self.sorted_names(self.jaeger_services.keys().copied())
    }

    /// Jaeger's `GetOperations`: a service's (operation, kind) pairs, sorted, only those of `kind` when it is
    /// given (a kind name as `kind_name` writes it; "" is unspecified).
    pub fn jaeger_operations(&self, service: &str, kind: Option<&str>) -> Vec<(String, &'static str)> {
        let Some(service) = self.syms.lookup(service) else { return Vec::new() };
        let mut out: Vec<(String, &'static str)> = self
            .jaeger_operations
            .keys()
            .filter(|(s, _, _)| *s == service)
            .map(|(_, name, k)| (self.syms.name(*name).to_string(), kind_name(KINDS[*k as usize])))
            .filter(|(_, k)| kind.is_none_or(|wanted| wanted == *k))
            .collect();
        out.sort();
        out
    }

    /// Jaeger's trace search (`jaeger_search`): at most `search_depth` traces, those that start latest first,
    /// each as its spans were received.
    pub fn jaeger_search(&self, q: &TraceQuery) -> Vec<Vec<Span>> {
        let mut out = Vec::new();
        let Some(could_match) = SpanPrefilter::new(q, &self.syms) else { return out };
        for &(_, low) in self.by_search_ts.iter().rev() {
            if out.len() >= q.search_depth {
                break;
            }
            let trace = &self.traces[&low];
            // A span is decided exactly only when its stored fields let it match; a trace is copied out only
            // when it matches.
            let matches = |span: &&StoredSpan| could_match.test(span) && span.jaeger_matches(q);
            if !trace.spans.iter().any(|span| matches(&span)) {
                continue;
            }
            let groups = if self.settings.strict_trace_id && trace.mixed_high {
                group_by_high(&trace.spans)
            } else {
                vec![trace.spans.iter().collect()]
            };
            for group in groups {
                if group.iter().any(matches) && out.len() < q.search_depth {
                    out.push(group.iter().map(|s| s.received()).collect());
                }
            }
        }
        out
    }

    /// Every trace that may lie wholly inside `(start, end)` (nanoseconds), as received: a cheap cut on the
    /// trace's span timestamps, for `jaeger_dependencies` to decide exactly.
    pub fn received_traces_within(&self, start: u64, end: u64) -> Vec<Vec<Span>> {
        let mut out = Vec::new();
        for trace in self.traces.values() {
            // Its first start is at most its earliest timestamp; its last end at least its latest start.
            if trace.min_ts == 0
                || trace.min_ts.saturating_mul(1000) <= start
                || trace.max_ms.saturating_mul(1_000_000) >= end
            {
                continue;
            }
            if self.settings.strict_trace_id && trace.mixed_high {
                out.extend(group_by_high(&trace.spans).iter().map(|g| g.iter().map(|s| s.received()).collect()));
            } else {
                out.push(trace.spans.iter().map(StoredSpan::received).collect());
            }
        }
        out
    }

    /// The stored spans of a trace by its normalised id, in stored order.
    fn spans_of(&self, trace_id: &str) -> impl Iterator<Item = &StoredSpan> {
        let (high, low) = split_trace_id(trace_id);
        let spans = self.traces.get(&low).map(|t| t.spans.as_slice()).unwrap_or_default();
        spans.iter().filter(move |s| !self.settings.strict_trace_id || s.high == high)
    }

    /// `/trace/{id}` with an already normalised id: the spans' JSON, empty when unknown.
    pub fn trace(&self, trace_id: &str) -> TraceJson<'_> {
        self.spans_of(trace_id).map(|s| &*s.json).collect()
    }

    /// A trace's spans as received: with their `detail` when they came with one (nothing OTLP sent is lost),
    /// else as Zipkin normalised them. Empty when unknown.
    pub fn trace_spans(&self, trace_id: &str) -> Vec<Span> {
        self.spans_of(trace_id).map(StoredSpan::received).collect()
    }

    /// `/traceMany` with normalised, distinct ids (`InMemoryStorage.getTraces(Iterable)`).
    pub fn traces(&self, trace_ids: &[String]) -> Vec<TraceJson<'_>> {
        let wanted: Vec<(u64, u64)> = trace_ids.iter().map(|id| split_trace_id(id)).collect();
        let mut lows: Vec<u64> = Vec::new();
        for &(_, low) in &wanted {
            if !lows.contains(&low) {
                lows.push(low);
            }
        }
        let mut out = Vec::new();
        for low in lows {
            let Some(trace) = self.traces.get(&low) else { continue };
            if !self.settings.strict_trace_id {
                out.push(trace.spans.iter().map(|s| &*s.json).collect());
                continue;
            }
            for group in group_by_high(&trace.spans) {
                if wanted.contains(&(group[0].high, low)) {
                    out.push(group.iter().map(|s| &*s.json).collect());
                }
            }
        }
        out
    }

    /// Traces with a span whose timestamp (ms, 0 when absent) lies in `[end_ts - lookback, end_ts]`, as
    /// `InMemoryStorage.getDependencies` selects them: (low id, version, spans' JSON).
    pub fn traces_touching(&self, end_ts: i64, lookback: i64) -> Vec<(u64, u64, Vec<&str>)> {
        let (begin, end) = (i128::from(end_ts) - i128::from(lookback), i128::from(end_ts));
        let inside = |ms: u64| (begin..=end).contains(&i128::from(ms));
        let mut out = Vec::new();
        for (&low, trace) in &self.traces {
            let (min, max) = (i128::from(trace.min_ms), i128::from(trace.max_ms));
            if max < begin || min > end {
                continue;
            }
            let touches = (min >= begin && max <= end) || trace.spans.iter().any(|s| inside(s.timestamp / 1000));
            if touches {
                out.push((low, trace.version, trace.spans.iter().map(|s| &*s.json).collect()));
            }
        }
        out
    }
}

impl StoredSpan {
    /// The span as received: with its `detail` when it came with one, else as Zipkin normalised it.
    fn received(&self) -> Span {
        match &self.original {
            Some(original) => (**original).clone(),
            None => serde_json::from_str(&self.json).expect("stored JSON is a span"),
        }
    }

    /// Whether this span meets a Jaeger search on its own (without copying a span that came with its detail).
    fn jaeger_matches(&self, q: &TraceQuery) -> bool {
        match self.original.as_deref() {
            Some(Span { name, detail: Some(detail), .. }) => q.span_matches(name.as_deref().unwrap_or(""), detail),
            _ => q.trace_matches(std::slice::from_ref(&self.received())),
        }
    }
}

/// Spans grouped by the high half of their trace id, in order of first appearance.
fn group_by_high(spans: &[StoredSpan]) -> Vec<Vec<&StoredSpan>> {
    let mut groups: Vec<Vec<&StoredSpan>> = Vec::new();
    for span in spans {
        match groups.iter_mut().find(|g| g[0].high == span.high) {
            Some(group) => group.push(span),
            None => groups.push(vec![span]),
        }
    }
    groups
}

/// What a span must have to possibly match a Jaeger search, read from the stored fields alone: the service
/// and operation symbols, and its start and duration within a microsecond or two of the bounds (stored µs are
/// rounded from the nanoseconds that `jaeger_search` decides on exactly).
struct SpanPrefilter {
    service: Option<Sym>,
    operation: Option<Sym>,
    /// µs bounds, widened by the rounding.
    start: (u64, u64),
    duration: (u64, u64),
}

impl SpanPrefilter {
    /// `None` when a named service or operation was never stored: nothing can match.
    fn new(q: &TraceQuery, syms: &Interner) -> Option<SpanPrefilter> {
        let resolve = |name: &str| if name.is_empty() { Some(None) } else { syms.lookup(name).map(Some) };
        let widen = |min: Option<u64>, max: Option<u64>| {
            (
                min.map_or(0, |ns| (ns / 1000).saturating_sub(2)),
                max.map_or(u64::MAX, |ns| (ns / 1000).saturating_add(2)),
            )
        };
        Some(SpanPrefilter {
            service: resolve(&q.service_name)?,
            operation: resolve(&q.operation_name)?,
            start: widen(q.start_time_min, q.start_time_max),
            duration: widen(q.duration_min, q.duration_max),
        })
    }

    fn test(&self, span: &StoredSpan) -> bool {
        self.service.is_none_or(|s| s == span.jaeger_service)
            && self.operation.is_none_or(|o| o == span.jaeger_operation)
            && (self.start.0..=self.start.1).contains(&span.timestamp)
            && (self.duration.0..=self.duration.1).contains(&span.duration)
    }
}

/// A query with its names resolved to symbols.
struct Criteria {
    service: Option<Sym>,
    remote: Option<Sym>,
    name: Option<Sym>,
}

impl Criteria {
    /// `None` when a named service, remote service or span name was never stored: nothing can match.
    fn new(q: &QueryRequest, syms: &Interner) -> Option<Criteria> {
        let resolve = |name: &Option<String>| match name {
            None => Some(None),
            Some(n) => syms.lookup(n).map(Some),
        };
        Some(Criteria {
            service: resolve(&q.service_name)?,
            remote: resolve(&q.remote_service_name)?,
            name: resolve(&q.span_name)?,
        })
    }

    /// Zipkin's `QueryRequest.test` over one trace's spans, in stored order.
    fn test(&self, spans: &[&StoredSpan], q: &QueryRequest) -> bool {
        let mut timestamp = 0u64;
        for span in spans {
            if span.timestamp == 0 {
                continue;
            }
            if span.parentless {
                timestamp = span.timestamp;
                break;
            }
            if timestamp == 0 || timestamp > span.timestamp {
                timestamp = span.timestamp;
            }
        }
        let (begin, end) = q.window_micros();
        if timestamp == 0 || i128::from(timestamp) < begin || i128::from(timestamp) > end {
            return false;
        }
        let mut tested_duration = q.min_duration.is_none() && q.max_duration.is_none();
        let mut service_matched = self.service.is_none();
        let mut remote_matched = self.remote.is_none();
        let mut name_matched = self.name.is_none();
        let mut remaining: Vec<(&str, &str)> =
            q.annotation_query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();

        for span in spans {
            // The service name, when given, constrains every other criterion to that service's spans.
            if self.service.is_some_and(|s| s != span.service) {
                continue;
            }
            service_matched = true;
            if !remaining.is_empty() {
                if let Ok(fields) = serde_json::from_str::<Searchable>(&span.json) {
                    for a in &fields.annotations {
                        remaining.retain(|(k, v)| !(v.is_empty() && *k == a.value));
                    }
                    for (key, value) in &fields.tags {
                        remaining.retain(|(k, v)| !(*k == key && (v.is_empty() || *v == value)));
                    }
                }
            }
            if self.remote.is_some_and(|r| r == span.remote) {
                remote_matched = true;
            }
            if self.name.is_some_and(|n| n == span.name) {
                name_matched = true;
            }
            if !tested_duration {
                let d = span.duration as i64;
                tested_duration = match (q.min_duration, q.max_duration) {
                    (Some(min), Some(max)) => d >= min && d <= max,
                    (Some(min), None) => d >= min,
                    _ => false,
                };
            }
        }
        service_matched && remote_matched && name_matched && remaining.is_empty() && tested_duration
    }
}

impl Store {
    /// Whether a trace with these low 64 bits is stored.
    pub fn contains(&self, low: u64) -> bool {
        self.traces.contains_key(&low)
    }
}
