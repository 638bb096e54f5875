//! Service dependency links derived from traces, as Zipkin's
//! `zipkin2/internal/DependencyLinker.java` derives them (ZIPKIN.md §4): merge each trace the
//! server's way (`Trace.merge`), build its span tree (`SpanNode`), walk it breadth first and
//! count one call (and maybe one error) per RPC or messaging hop.
use super::clean::{clean_trace, Flavor};
use super::sorting;
use super::span::{Kind, Span};
use super::tree::{build_tree_with, Duplicates, NONE};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// One edge of the service graph, in Zipkin's JSON (`errorCount` omitted when zero).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DependencyLink {
    pub parent: String,
    pub child: String,
    /// Counts a server got wrong (negative, text, missing) read as 0, so that one bad link does not fail the graph.
    #[serde(default, deserialize_with = "super::lenient::u64_or_zero")]
    pub call_count: u64,
    #[serde(default, skip_serializing_if = "is_zero", deserialize_with = "super::lenient::u64_or_zero")]
    pub error_count: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// Counts links in first-seen order, like the linker's `LinkedHashMap`s.
#[derive(Default)]
struct Counter {
    index: HashMap<(String, String), usize>,
    links: Vec<DependencyLink>,
}

impl Counter {
    fn add(&mut self, parent: &str, child: &str, error: bool, calls: u64, errors: u64) {
        let key = (parent.to_owned(), child.to_owned());
        let i = *self.index.entry(key).or_insert_with(|| {
            self.links.push(DependencyLink {
                parent: parent.to_owned(),
                child: child.to_owned(),
                call_count: 0,
                error_count: 0,
            });
            self.links.len() - 1
        });
        if let Some(link) = self.links.get_mut(i) {
            link.call_count = link.call_count.saturating_add(calls);
            link.error_count = link.error_count.saturating_add(errors).saturating_add(u64::from(error));
        }
    }
}

/// The links of one trace, in the order Zipkin's linker first meets them (so the result equals
/// the server's `/dependencies` answer for that trace, order included).
pub fn link_trace(spans: &[Span]) -> Vec<DependencyLink> {
    let mut counter = Counter::default();
    put_trace(spans, &mut counter);
    counter.links
}

/// The links of many traces, summed per (parent, child) and sorted by parent then child.
pub fn link_traces<'a>(traces: impl IntoIterator<Item = &'a [Span]>) -> Vec<DependencyLink> {
    let mut counter = Counter::default();
    for trace in traces {
        put_trace(trace, &mut counter);
    }
    let mut links = counter.links;
    sorting::sort_by(&mut links, by_parent_then_child);
    links
}

/// Sums links with the same parent and child (`DependencyLinker.merge`), sorted.
pub fn merge_links(links: impl IntoIterator<Item = DependencyLink>) -> Vec<DependencyLink> {
    let mut counter = Counter::default();
    for l in links {
        counter.add(&l.parent, &l.child, false, l.call_count, l.error_count);
    }
    let mut links = counter.links;
    sorting::sort_by(&mut links, by_parent_then_child);
    links
}

/// The links' order: by parent, then child. Also the dependency table's tie-break and its parent column.
pub(crate) fn by_parent_then_child(a: &DependencyLink, b: &DependencyLink) -> std::cmp::Ordering {
    (&a.parent, &a.child).cmp(&(&b.parent, &b.child))
}

fn put_trace(raw: &[Span], counter: &mut Counter) {
    if raw.is_empty() {
        return;
    }
    let spans = clean_trace(raw, Flavor::Server).spans;
    let tree = build_tree_with(&spans, Duplicates::LastWins);
    let order = tree.breadth_first();
    // The nearest ancestor with a kind, filled in breadth-first order so each lookup is O(1)
    // (a walk up per span would be quadratic on deep chains).
    let mut remote_ancestor = vec![NONE; spans.len()];
    for &i in &order {
        let Some(span) = spans.get(i as usize) else {
            continue;
        };
        let p = tree.parent.get(i as usize).copied().unwrap_or(NONE);
        if p != NONE {
            let pk = spans.get(p as usize).and_then(|s| s.kind);
            let ra = if pk.is_some() { p } else { remote_ancestor.get(p as usize).copied().unwrap_or(NONE) };
            if let Some(slot) = remote_ancestor.get_mut(i as usize) {
                *slot = ra;
            }
        }

        let kind = span.kind;
        // For a client with children, prefer the server's view (its child) of the same call.
        if kind == Some(Kind::Client) && !tree.children(i).is_empty() {
            continue;
        }
        let service = span.local_service();
        let remote = span.remote_service();
        let kind = match kind {
            Some(k) => k,
            // A span with no kind but both sides known is treated as a client.
            None if service.is_some() && remote.is_some() => Kind::Client,
            None => continue,
        };
        let (mut parent, child) = match kind {
            Kind::Server | Kind::Consumer => {
                if Some(i) == tree.root && remote.is_none() {
                    continue; // the root's caller is unknown
                }
                (remote, service)
            }
            Kind::Client | Kind::Producer => (service, remote),
        };
        let mut is_error = span.tags.contains_key("error");
        if matches!(kind, Kind::Producer | Kind::Consumer) {
            if let (Some(p), Some(c)) = (parent, child) {
                counter.add(p, c, is_error, 1, 0);
            }
            continue;
        }
        // Local spans may sit between this span and its remote parent.
        let ra = remote_ancestor.get(i as usize).copied().unwrap_or(NONE);
        if let Some(ancestor) = spans.get(ra as usize) {
            if let Some(ancestor_name) = ancestor.local_service() {
                // Some instrumentation puts the remote service name on client spans: backfill
                // the link from the nearest remote ancestor to this client's service.
                if kind == Kind::Client {
                    if let Some(s) = service {
                        if s != ancestor_name {
                            counter.add(ancestor_name, s, false, 1, 0);
                        }
                    }
                }
                if kind == Kind::Server || parent.is_none() {
                    parent = Some(ancestor_name);
                }
                // An RPC split into client and server spans with distinct ids: the client's
                // error counts for the server's link. A shared server (same id) does not match
                // its client's id as parent id, so it does not inherit the error.
                if !is_error
                    && ancestor.kind == Some(Kind::Client)
                    && span.parent_id.is_some()
                    && span.parent_id.as_deref() == Some(ancestor.id.as_str())
                {
                    is_error = ancestor.tags.contains_key("error");
                }
            }
        }
        if let (Some(p), Some(c)) = (parent, child) {
            counter.add(p, c, is_error, 1, 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_count_is_omitted_when_zero() {
        let l = DependencyLink { parent: "a".into(), child: "b".into(), call_count: 2, error_count: 0 };
        assert_eq!(serde_json::to_string(&l).unwrap(), r#"{"parent":"a","child":"b","callCount":2}"#);
    }
}
