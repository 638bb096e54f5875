//! `/dependencies` over the store (`InMemoryStorage.getDependencies`): the traces touching the window are
//! linked by the domain's port of Zipkin's `DependencyLinker`, one trace at a time, and merged.
//!
//! A trace's links only change when the trace does, so they are cached by (trace, version): a dashboard
//! polling the dependency page re-links only the traces that arrived since its last look.
use crate::store::Store;
use spanscope_domain::dependency_links::{link_trace, merge_links, DependencyLink};
use spanscope_domain::span::Span;
use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

/// Cached links per trace (low 64 bits of its id): (trace version, links).
pub type LinkCache = HashMap<u64, (u64, Vec<DependencyLink>)>;

/// The dependency links of every trace with a span in `[end_ts - lookback, end_ts]` (milliseconds).
pub fn dependencies(
    store: &RwLock<Store>,
    link_cache: &Mutex<LinkCache>,
    end_ts: i64,
    lookback: i64,
) -> Result<Vec<DependencyLink>, String> {
    let store = store.read().map_err(|_| "the store lock is poisoned".to_string())?;
    let touching = store.traces_touching(end_ts, lookback);
    let mut cache = link_cache.lock().map_err(|_| "the link cache lock is poisoned".to_string())?;
    let mut all = Vec::new();
    for (low, version, spans_json) in touching {
        match cache.get(&low) {
            Some((v, links)) if *v == version => all.extend(links.iter().cloned()),
            _ => {
                let spans: Vec<Span> = spans_json.iter().filter_map(|json| serde_json::from_str(json).ok()).collect();
                let links = link_trace(&spans);
                all.extend(links.iter().cloned());
                cache.insert(low, (version, links));
            }
        }
    }
    // Forget evicted traces once the cache outgrows the store.
    if cache.len() > store.trace_count() + 1024 {
        cache.retain(|low, _| store.contains(*low));
    }
    Ok(merge_links(all))
}
