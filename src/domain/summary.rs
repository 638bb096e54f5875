//! Search-result summaries computed straight from a trace's spans, with no tree or cleaning
//! pass, so 1,000 results cost little (Lens's `zipkin-lens/src/zipkin/trace.js`,
//! `traceSummary`): duration is last end − first start over all spans (not the root's
//! duration); error when a span has an `error` tag (even empty) or an `error` annotation.
use super::fast_hash::FastMap;
use super::span::Span;
use super::trace_model::{span_error, ErrorKind};
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

/// Summarises one trace. O(n) with hashing; never panics.
pub fn summarize(spans: &[Span]) -> TraceSummary {
    let mut lo = u64::MAX;
    let mut hi = 0u64;
    let mut error = ErrorKind::None;
    let mut error_count = 0;
    let mut distinct: FastSet<(&str, bool, Option<&str>)> = FastSet::default();
    distinct.reserve(spans.len());
    let mut services: FastMap<&str, ServiceSummary> = FastMap::default();
    let mut parent_of: FastMap<&str, Option<&str>> = FastMap::default();
    parent_of.reserve(spans.len());
    let mut root: Option<&Span> = None;
    let mut earliest: Option<&Span> = None;
    for s in spans {
        let shared = s.shared == Some(true);
        if !distinct.insert((s.id.as_str(), shared, s.local_service())) {
            continue;
        }
        if let Some(ts) = s.timestamp.filter(|t| *t != 0) {
            lo = lo.min(ts);
            hi = hi.max(ts.saturating_add(s.duration.unwrap_or(0)));
        }
        let e = span_error(s);
        if e != ErrorKind::None {
            error_count += 1;
            error = error.max(e);
        }
        if let Some(name) = s.local_service() {
            let entry = services.entry(name).or_default();
            let d = s.duration.unwrap_or(0);
            entry.span_count += 1;
            entry.total_duration = entry.total_duration.saturating_add(d);
            entry.max_duration = entry.max_duration.max(d);
        }
        let parent = s.parent_id.as_deref().filter(|p| *p != s.id);
        if !shared {
            parent_of.entry(s.id.as_str()).or_insert(parent);
            if parent.is_none() && root.is_none_or(|r| ts_key(s) < ts_key(r)) {
                root = Some(s);
            }
        }
        if earliest.is_none_or(|r| ts_key(s) < ts_key(r)) {
            earliest = Some(s);
        }
    }
    let depth = max_depth(&parent_of);
    let mut services: Vec<ServiceSummary> = services
        .into_iter()
        .map(|(name, mut s)| {
            s.name = name.to_owned();
            s
        })
        .collect();
    services.sort_by(|a, b| b.max_duration.cmp(&a.max_duration).then_with(|| a.name.cmp(&b.name)));
    let head = root.or(earliest);
    let (start, duration) = if lo == u64::MAX { (0, 0) } else { (lo, hi.saturating_sub(lo)) };
    TraceSummary {
        trace_id: head.map(|s| s.trace_id.clone()).unwrap_or_default(),
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
        root_name: head.and_then(|s| s.name.as_deref()).filter(|s| !s.is_empty()).unwrap_or("unknown").to_owned(),
    }
}

/// Sort key putting spans without timestamp last when choosing the root.
fn ts_key(s: &Span) -> u64 {
    s.timestamp.filter(|t| *t != 0).unwrap_or(u64::MAX)
}

/// Longest chain of ids, walking parents iteratively with memoisation (cycles count once).
fn max_depth(parent_of: &FastMap<&str, Option<&str>>) -> u32 {
    let mut depth: FastMap<&str, u32> = FastMap::default();
    depth.reserve(parent_of.len());
    let mut path: Vec<&str> = Vec::new();
    let mut on_path: FastSet<&str> = FastSet::default();
    let mut best = 0;
    for &id in parent_of.keys() {
        path.clear();
        on_path.clear();
        let mut cur = Some(id);
        let mut base = 0;
        while let Some(c) = cur {
            if let Some(&d) = depth.get(c) {
                base = d;
                break;
            }
            if !on_path.insert(c) {
                break; // a cycle: each member counts once
            }
            path.push(c);
            cur = parent_of.get(c).copied().flatten().filter(|p| parent_of.contains_key(p));
        }
        for (k, &p) in path.iter().rev().enumerate() {
            depth.insert(p, base + k as u32 + 1);
        }
        best = best.max(base + path.len() as u32);
    }
    best
}
