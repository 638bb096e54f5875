//! Items (spans, or references to them) grouped by trace id, normalised as Zipkin does, traces in the order
//! they first appear: what a file with several traces lists, and what a Jaeger download writes per trace.
use super::clean::normalize_trace_id;
use std::collections::HashMap;

/// Groups `items` by the normalised trace id `trace_id` gives each, keeping first-appearance order.
pub fn group_by_trace_id<T>(items: impl IntoIterator<Item = T>, trace_id: impl Fn(&T) -> &str) -> Vec<Vec<T>> {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut out: Vec<Vec<T>> = Vec::new();
    for item in items {
        let key = normalize_trace_id(trace_id(&item));
        let i = *index.entry(key).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        if let Some(group) = out.get_mut(i) {
            group.push(item);
        }
    }
    out
}
