//! Search-result summaries computed straight from a trace's spans, with no tree or cleaning
//! pass, so 1,000 results cost little (Lens's `zipkin-lens/src/zipkin/trace.js`,
//! `traceSummary`): duration is last end − first start over all spans (not the root's
//! duration); error when a span has an `error` tag (even empty) or an `error` annotation.
use super::fast_hash::FastMap;
use super::sorting;
use super::span::Span;
use super::trace_model::{span_error, ErrorKind};
use super::tree::span_ids::hex16;
use std::collections::HashSet;
use std::hash::BuildHasherDefault;
type FastSet<K> = HashSet<K, BuildHasherDefault<super::fast_hash::FastHasher>>;

/// One service in a trace summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServiceSummary {
    pub name: String,
    pub span_count: u32,
    /// Sum of the service's span durations, µs.
    pub total_duration: u64,
    /// Its longest span, µs (Lens orders services by this).
    pub max_duration: u64,
}

/// What a search result shows about a trace.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TraceSummary {
    pub trace_id: String,
    /// First start, µs since epoch (0 when no span has a timestamp).
    pub start: u64,
    /// Last end − first start, µs.
    pub duration: u64,
    /// Distinct spans (fragments of one span count once; a client and its shared server twice).
    pub span_count: u32,
    /// Levels of distinct span ids from the root down (a shared server adds none).
    pub depth: u32,
    /// Local services, longest span first, then by name.
    pub services: Vec<ServiceSummary>,
    pub error: ErrorKind,
    /// Spans with an error tag or annotation.
    pub error_count: u32,
    pub root_service: String,
    pub root_name: String,
}

/// A span id as a hash key: the value of a canonical (16 lower-case hex) id, else the string.
/// Equal exactly when the strings are equal, and hashes one word instead of sixteen bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum IdKey<'a> {
    Hex(u64),
    Str(&'a str),
}

fn id_key(id: &str) -> IdKey<'_> {
    hex16(id).map_or(IdKey::Str(id), IdKey::Hex)
}

/// What a summary reads of a span. [`Span`] has it; so does the search page's summary-only
/// decoder (`search_results`), which borrows these fields from the answer instead of building
/// spans, the costliest part of reading 1,000 results.
pub trait SummarySpan {
    fn trace_id(&self) -> &str;
    fn id(&self) -> &str;
    fn parent_id(&self) -> Option<&str>;
    fn name(&self) -> Option<&str>;
    /// µs since epoch as sent (0 is treated as absent here).
    fn timestamp(&self) -> Option<u64>;
    fn duration(&self) -> Option<u64>;
    fn local_service(&self) -> Option<&str>;
    fn remote_service(&self) -> Option<&str>;
    fn shared(&self) -> bool;
    fn error(&self) -> ErrorKind;
}

impl SummarySpan for Span {
    fn trace_id(&self) -> &str {
        &self.trace_id
    }
    fn id(&self) -> &str {
        &self.id
    }
    fn parent_id(&self) -> Option<&str> {
        self.parent_id.as_deref()
    }
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }
    fn timestamp(&self) -> Option<u64> {
        self.timestamp
    }
    fn duration(&self) -> Option<u64> {
        self.duration
    }
    fn local_service(&self) -> Option<&str> {
        Span::local_service(self)
    }
    fn remote_service(&self) -> Option<&str> {
        Span::remote_service(self)
    }
    fn shared(&self) -> bool {
        self.shared == Some(true)
    }
    fn error(&self) -> ErrorKind {
        span_error(self)
    }
}

/// Summarises one trace. O(n) with hashing; never panics.
pub fn summarize<S: SummarySpan>(spans: &[S]) -> TraceSummary {
    let mut lo = u64::MAX;
    let mut hi = 0u64;
    let mut error = ErrorKind::None;
    let mut error_count = 0;
    // Services are numbered first, so telling distinct spans apart hashes integers only.
    let mut service_index: FastMap<&str, u32> = FastMap::default();
    let mut services: Vec<(&str, ServiceSummary)> = Vec::new();
    let mut distinct: FastSet<(IdKey, bool, u32)> = FastSet::default();
    distinct.reserve(spans.len());
    // Keyed and filled exactly as before (same keys, same order), so `max_depth` walks ids in
    // the same order; the value also carries each id's number for array-based walking.
    let mut parent_of: FastMap<&str, (Option<&str>, u32)> = FastMap::default();
    parent_of.reserve(spans.len());
    let mut root: Option<&S> = None;
    let mut earliest: Option<&S> = None;
    for s in spans {
        let shared = s.shared();
        let service = s.local_service().map(|name| {
            *service_index.entry(name).or_insert_with(|| {
                services.push((name, ServiceSummary::default()));
                services.len() as u32 - 1
            })
        });
        if !distinct.insert((id_key(s.id()), shared, service.unwrap_or(u32::MAX))) {
            continue;
        }
        if let Some(ts) = s.timestamp().filter(|t| *t != 0) {
            lo = lo.min(ts);
            hi = hi.max(ts.saturating_add(s.duration().unwrap_or(0)));
        }
        let e = s.error();
        if e != ErrorKind::None {
            error_count += 1;
            error = error.max(e);
        }
        if let Some((_, entry)) = service.and_then(|k| services.get_mut(k as usize)) {
            let d = s.duration().unwrap_or(0);
            entry.span_count += 1;
            entry.total_duration = entry.total_duration.saturating_add(d);
            entry.max_duration = entry.max_duration.max(d);
        }
        let parent = s.parent_id().filter(|p| *p != s.id());
        if !shared {
            let next = parent_of.len() as u32;
            parent_of.entry(s.id()).or_insert((parent, next));
            if parent.is_none() && root.is_none_or(|r| ts_key(s) < ts_key(r)) {
                root = Some(s);
            }
        }
        if earliest.is_none_or(|r| ts_key(s) < ts_key(r)) {
            earliest = Some(s);
        }
    }
    let depth = max_depth(&parent_of);
    // A service seen only on a repeated span has no count and is not listed (as before).
    let mut services: Vec<ServiceSummary> = services
        .into_iter()
        .filter(|(_, s)| s.span_count > 0)
        .map(|(name, mut s)| {
            s.name = name.to_owned();
            s
        })
        .collect();
    sorting::sort_by(&mut services, |a, b| b.max_duration.cmp(&a.max_duration).then_with(|| a.name.cmp(&b.name)));
    let head = root.or(earliest);
    let (start, duration) = if lo == u64::MAX { (0, 0) } else { (lo, hi.saturating_sub(lo)) };
    TraceSummary {
        trace_id: head.map(|s| s.trace_id().to_owned()).unwrap_or_default(),
        start,
        duration,
        span_count: distinct.len() as u32,
        depth,
        services,
        error,
        error_count,
        root_service: head
            .and_then(|s| s.local_service().or(s.remote_service()))
            .filter(|s| !s.is_empty())
            .unwrap_or("unknown")
            .to_owned(),
        root_name: head.and_then(|s| s.name()).filter(|s| !s.is_empty()).unwrap_or("unknown").to_owned(),
    }
}

/// Sort key putting spans without timestamp last when choosing the root.
fn ts_key<S: SummarySpan>(s: &S) -> u64 {
    s.timestamp().filter(|t| *t != 0).unwrap_or(u64::MAX)
}

/// Longest chain of ids, walking parents iteratively with memoisation (cycles count once).
/// Ids are visited in the map's order (with a cycle, depths depend on where the walk enters
/// it); the walk itself runs on the ids' numbers, in arrays.
fn max_depth(parent_of: &FastMap<&str, (Option<&str>, u32)>) -> u32 {
    const NONE: u32 = u32::MAX;
    let m = parent_of.len();
    let mut parent = vec![NONE; m];
    for &(p, k) in parent_of.values() {
        if let Some(slot) = parent.get_mut(k as usize) {
            *slot = p.and_then(|p| parent_of.get(p)).map_or(NONE, |v| v.1);
        }
    }
    // 0: not known yet (every known depth is at least 1).
    let mut depth = vec![0u32; m];
    let mut on_path = vec![false; m];
    let mut path: Vec<u32> = Vec::new();
    let mut best = 0;
    for &(_, id) in parent_of.values() {
        path.clear();
        let mut cur = id;
        let mut base = 0;
        while let (Some(&d), Some(&seen)) = (depth.get(cur as usize), on_path.get(cur as usize)) {
            if d != 0 {
                base = d;
                break;
            }
            if seen {
                break; // a cycle: each member counts once
            }
            on_path[cur as usize] = true;
            path.push(cur);
            cur = parent[cur as usize];
        }
        for (k, &p) in path.iter().rev().enumerate() {
            depth[p as usize] = base + k as u32 + 1;
            on_path[p as usize] = false;
        }
        best = best.max(base + path.len() as u32);
    }
    best
}
