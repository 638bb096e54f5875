//! The span-level parent/child structure of one cleaned trace, following Zipkin's
//! `zipkin-lens/src/zipkin/span-node.js` and `zipkin2/internal/SpanNode.java`:
//! a shared server is the child of the client with its id; a span's parent is a shared server
//! on its own endpoint when there is one, else the span with its parent id; the first parentless
//! span is the root; other roots and spans whose parent is missing hang under the root; with no
//! root the trace is "headless" and those spans are the top level; children are ordered by
//! timestamp (missing first, ties in cleaned order).
//!
//! Beyond Zipkin (whose builder silently loses such spans): every span is kept exactly once;
//! a duplicate id is a separate node; parent cycles are broken at their earliest member
//! (cleaned order) and that span hangs under the root; all of it is reported.
//! Everything is iterative and O(n log n).
pub(crate) mod span_ids;

use super::fast_hash::FastMap;
use super::sorting;
use super::span::{Endpoint, Span};
use span_ids::{SpanIds, MISSING, NO_PARENT};

/// "No index": the parent of a top-level span.
pub const NONE: u32 = u32::MAX;

/// What the tree builder had to repair, for the UI's "incomplete trace" warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TreeReport {
    /// No span qualified as root; a synthetic root holds the top level.
    pub headless: bool,
    /// Spans whose parent id names no span of the trace, each once (a shared server below its
    /// client is not one, even when both name a missing parent: the client is).
    pub missing_parents: Vec<u32>,
    /// Parentless spans after the first, hung under the root.
    pub extra_roots: Vec<u32>,
    /// Spans whose parent link was cut to break a cycle.
    pub cycles_broken: Vec<u32>,
    /// Spans sharing an id (and sharedness/endpoint) with an earlier span.
    pub duplicate_ids: Vec<u32>,
}

/// Parent links and ordered children of a cleaned trace, by cleaned span index.
#[derive(Debug, Clone, Default)]
pub struct SpanTree {
    /// Parent of each span, `NONE` at the top level.
    pub parent: Vec<u32>,
    /// The root span, when there is one (then it is the only top-level span).
    pub root: Option<u32>,
    /// Top-level spans in display order.
    pub top: Vec<u32>,
    child_start: Vec<u32>,
    child_list: Vec<u32>,
    /// Each span's id number (`span_ids`): equal exactly when the id strings are equal.
    span_id: Vec<u32>,
    pub report: TreeReport,
}

impl SpanTree {
    /// Children of span `i` in timestamp order.
    pub fn children(&self, i: u32) -> &[u32] {
        let i = i as usize;
        match (self.child_start.get(i), self.child_start.get(i + 1)) {
            (Some(&a), Some(&b)) => self.child_list.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// Whether spans `a` and `b` have the same id, without reading the id strings.
    pub(crate) fn same_id(&self, a: u32, b: u32) -> bool {
        match (self.span_id.get(a as usize), self.span_id.get(b as usize)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        }
    }

    /// Span `i`'s id number: dense, below the span count, equal exactly when the ids are equal.
    pub(crate) fn id_number(&self, i: u32) -> Option<u32> {
        self.span_id.get(i as usize).copied()
    }

    /// Spans in depth-first pre-order (parents before children, siblings in order).
    pub fn preorder(&self) -> Vec<u32> {
        let mut out = Vec::with_capacity(self.parent.len());
        let mut stack: Vec<u32> = self.top.iter().rev().copied().collect();
        while let Some(i) = stack.pop() {
            out.push(i);
            stack.extend(self.children(i).iter().rev());
        }
        out
    }

    /// Spans in breadth-first order from the top level (as `SpanNode.traverse`).
    pub fn breadth_first(&self) -> Vec<u32> {
        let mut out: Vec<u32> = self.top.clone();
        let mut head = 0;
        while let Some(&i) = out.get(head) {
            head += 1;
            out.extend_from_slice(self.children(i));
        }
        out
    }
}

fn is_shared(s: &Span) -> bool {
    s.shared == Some(true)
}

/// Preference among unshared spans sharing an id: a client, then a span with a timestamp.
fn link_rank(s: &Span) -> u8 {
    u8::from(s.kind == Some(super::span::Kind::Client)) * 2 + u8::from(s.timestamp.is_some())
}

/// What to do with two spans that have the same key (id, and endpoint for shared servers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duplicates {
    /// The viewer's choice: the first span is the one others link to; later ones are kept as
    /// nodes of their own, so no span is ever lost.
    KeepAll,
    /// Zipkin's `SpanNode.Builder` (maps keyed by id): the last span wins and earlier ones are
    /// left out of the tree. The linker uses this to give the server's exact answer.
    LastWins,
}

/// Builds the tree of cleaned spans (see `clean::clean_trace`) with the viewer's rules;
/// order matters: the first parentless span is the root.
pub fn build_tree(spans: &[Span]) -> SpanTree {
    build_tree_with(spans, Duplicates::KeepAll)
}

/// Builds the tree, choosing how duplicate keys are treated.
pub fn build_tree_with(spans: &[Span], duplicates: Duplicates) -> SpanTree {
    build_tree_from(spans, SpanIds::of(spans), duplicates)
}

/// Shared servers by (id, local endpoint). Nearly every id has at most one shared server, so
/// the first endpoint seen for an id lives in a plain array indexed by id number; only other
/// endpoints for the same id go to a map (hashing endpoints is what is avoided).
struct SharedIndex<'a> {
    spans: &'a [Span],
    /// Per id number: the span stored for the first endpoint seen with that id, or `NONE`.
    first: Vec<u32>,
    /// Per id number: whether `others` holds keys with that id.
    several: Vec<bool>,
    others: FastMap<(u32, Option<&'a Endpoint>), u32>,
}

impl<'a> SharedIndex<'a> {
    fn new(spans: &'a [Span], ids: u32) -> Self {
        let n = ids as usize;
        SharedIndex { spans, first: vec![NONE; n], several: vec![false; n], others: FastMap::default() }
    }

    fn endpoint_of(&self, i: u32) -> Option<&'a Endpoint> {
        self.spans.get(i as usize).and_then(|s| s.local_endpoint.as_ref())
    }

    fn get(&self, id: u32, ep: Option<&Endpoint>) -> Option<u32> {
        let first = match self.first.get(id as usize).copied() {
            None => return self.others.get(&(id, ep)).copied(),
            Some(NONE) => return None,
            Some(f) => f,
        };
        if self.endpoint_of(first) == ep {
            Some(first)
        } else if self.several.get(id as usize).copied().unwrap_or(true) {
            self.others.get(&(id, ep)).copied()
        } else {
            None
        }
    }

    /// The slot of a key, for `insert` and `entry().or_insert()` alike (`NONE` when empty).
    fn slot(&mut self, id: u32, ep: Option<&'a Endpoint>) -> &mut u32 {
        let first = self.first.get(id as usize).copied();
        if first.is_some_and(|f| f == NONE || self.endpoint_of(f) == ep) {
            if let Some(slot) = self.first.get_mut(id as usize) {
                return slot;
            }
        }
        if let Some(several) = self.several.get_mut(id as usize) {
            *several = true;
        }
        self.others.entry((id, ep)).or_insert(NONE)
    }
}

/// The tree from spans whose ids are already numbered.
pub(crate) fn build_tree_from(spans: &[Span], ids: SpanIds, duplicates: Duplicates) -> SpanTree {
    let n = spans.len();
    let mut report = TreeReport::default();
    let id_of = |i: usize| ids.id.get(i).copied().unwrap_or(MISSING);
    let parent_of = |i: usize| ids.parent.get(i).copied().unwrap_or(NO_PARENT);
    let count = ids.count as usize;
    // The span others link to, per id number (`NONE`: no unshared span has that id).
    let mut by_id = vec![NONE; count];
    let mut shared_by_key = SharedIndex::new(spans, ids.count);
    let mut excluded = vec![false; n];
    // The few span fields the passes below test, read once into compact arrays: each pass then
    // walks a few hundred kilobytes instead of every span struct again.
    let mut shared = Vec::with_capacity(n);
    let mut rank = Vec::with_capacity(n);
    let mut stamps: Vec<Option<u64>> = Vec::with_capacity(n);
    let mut has_shared = vec![false; count];
    for (i, s) in spans.iter().enumerate() {
        shared.push(is_shared(s));
        rank.push(link_rank(s));
        stamps.push(s.timestamp);
        if is_shared(s) {
            if let Some(h) = has_shared.get_mut(id_of(i) as usize) {
                *h = true;
            }
        }
    }
    let is_shared = |i: usize| shared.get(i).copied().unwrap_or(false);
    for (i, s) in spans.iter().enumerate() {
        let d = id_of(i);
        let iu = i;
        let i = i as u32;
        let previous = if is_shared(iu) {
            let slot = shared_by_key.slot(d, s.local_endpoint.as_ref());
            let prev = *slot;
            match duplicates {
                Duplicates::KeepAll if prev != NONE => Some(i),
                Duplicates::KeepAll => {
                    *slot = i;
                    None
                }
                Duplicates::LastWins => {
                    *slot = i;
                    (prev != NONE).then_some(prev)
                }
            }
        } else {
            let Some(slot) = by_id.get_mut(d as usize) else { continue };
            let prev = *slot;
            match duplicates {
                _ if prev == NONE => {
                    *slot = i;
                    None
                }
                // Among unshared spans with one id, a shared server belongs to the client, so
                // the client is the one others link to (then a timed span, then the first).
                Duplicates::KeepAll if rank.get(iu) > rank.get(prev as usize) => {
                    *slot = i;
                    Some(prev)
                }
                Duplicates::KeepAll => Some(i),
                Duplicates::LastWins => {
                    *slot = i;
                    Some(prev)
                }
            }
        };
        if let Some(dup) = previous {
            report.duplicate_ids.push(dup);
            if duplicates == Duplicates::LastWins {
                if let Some(e) = excluded.get_mut(dup as usize) {
                    *e = true;
                }
            }
        }
    }
    sorting::sort(&mut report.duplicate_ids);

    let root = (0..n).find(|&i| !excluded[i] && parent_of(i) == NO_PARENT && !is_shared(i)).map(|r| r as u32);
    let attach = root.unwrap_or(NONE);
    let lookup = |table: &[u32], d: u32| table.get(d as usize).copied().filter(|p| *p != NONE);
    // Zipkin keys the parent of an id, not of a span: any span with that id that finds a shared
    // server on its endpoint as parent sets it for the node that wins the id (the last write wins).
    let mut shared_parent_of_id: Vec<u32> = Vec::new();
    if duplicates == Duplicates::LastWins {
        shared_parent_of_id = vec![NONE; count];
        for (i, s) in spans.iter().enumerate().filter(|(i, _)| !is_shared(*i)) {
            if let Some(p) = shared_by_key.get(parent_of(i), s.local_endpoint.as_ref()) {
                if let Some(slot) = shared_parent_of_id.get_mut(id_of(i) as usize) {
                    *slot = p;
                }
            }
        }
    }
    let mut parent = vec![NONE; n];
    for (i, s) in spans.iter().enumerate() {
        let i32_ = i as u32;
        if Some(i32_) == root || excluded[i] {
            continue;
        }
        let pid = parent_of(i);
        let found = if is_shared(i) {
            lookup(&by_id, id_of(i))
        } else if pid != NO_PARENT {
            let via_shared = match duplicates {
                // Most parents are not shared servers: check the id before comparing endpoints.
                Duplicates::KeepAll if !has_shared.get(pid as usize).copied().unwrap_or(false) => None,
                Duplicates::KeepAll => shared_by_key.get(pid, s.local_endpoint.as_ref()),
                Duplicates::LastWins => lookup(&shared_parent_of_id, id_of(i)),
            };
            via_shared.or_else(|| lookup(&by_id, pid))
        } else {
            report.extra_roots.push(i32_);
            None
        };
        match found {
            Some(p) if p != i32_ => parent[i] = p,
            _ => {
                // Orphans are spans whose parent id names no span of the trace. A shared server
                // whose client was not reported hangs under the root as in Lens, but is no orphan
                // when its parent is there (issue 17: yelp without a client half said 1 missing
                // parent where none was), and a parentless one is one more root.
                if pid == MISSING {
                    report.missing_parents.push(i32_);
                } else if pid == NO_PARENT && is_shared(i) {
                    report.extra_roots.push(i32_);
                }
                parent[i] = attach;
            }
        }
    }
    report.headless = root.is_none();

    break_cycles(&mut parent, attach, &mut report.cycles_broken);

    // Children in cleaned order, then a stable sort by timestamp (missing first), as
    // `sortTreeByTimestamp` does.
    let mut counts = vec![0u32; n + 1];
    for &p in &parent {
        if p != NONE {
            counts[p as usize + 1] += 1;
        }
    }
    for i in 0..n {
        counts[i + 1] += counts[i];
    }
    let child_start = counts.clone();
    let mut fill = counts;
    let mut child_list = vec![0u32; child_start.last().copied().unwrap_or(0) as usize];
    let mut top = Vec::new();
    for (i, &p) in parent.iter().enumerate() {
        if p == NONE {
            if !excluded[i] {
                top.push(i as u32);
            }
        } else if let Some(slot) = fill.get_mut(p as usize) {
            if let Some(c) = child_list.get_mut(*slot as usize) {
                *c = i as u32;
            }
            *slot += 1;
        }
    }
    // Sorting children reads the compact timestamps.
    let ts = |i: &u32| stamps.get(*i as usize).copied().flatten();
    for w in child_start.windows(2) {
        if let Some(kids) = child_list.get_mut(w[0] as usize..w[1] as usize) {
            if kids.len() > 1 {
                sorting::sort_by_key(kids, ts);
            }
        }
    }
    sorting::sort_by_key(&mut top, ts);

    SpanTree { parent, root, top, child_start, child_list, span_id: ids.id, report }
}

/// Cuts every parent cycle at its smallest member, re-attaching it to `attach` (the root, or the
/// top level). Each span has one parent, so following parents from any span either reaches the
/// top or loops; states: 0 unseen, 1 on the current walk, 2 known to reach the top.
fn break_cycles(parent: &mut [u32], attach: u32, broken: &mut Vec<u32>) {
    let n = parent.len();
    let mut state = vec![0u8; n];
    let mut path: Vec<u32> = Vec::new();
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        path.clear();
        let mut cur = start as u32;
        loop {
            if cur == NONE || state.get(cur as usize).copied() == Some(2) {
                break;
            }
            if state[cur as usize] == 1 {
                // `cur` is on this walk: the cycle is path[pos(cur)..].
                let pos = path.iter().position(|&x| x == cur).unwrap_or(0);
                let cut = path[pos..].iter().copied().min().unwrap_or(cur);
                parent[cut as usize] = attach;
                broken.push(cut);
                break;
            }
            state[cur as usize] = 1;
            path.push(cur);
            cur = parent[cur as usize];
        }
        for &p in &path {
            state[p as usize] = 2;
        }
    }
    sorting::sort(broken);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(id: &str, parent: Option<&str>) -> Span {
        Span { trace_id: "1".into(), id: id.into(), parent_id: parent.map(Into::into), ..Span::default() }
    }

    #[test]
    fn cycle_is_broken_and_reported() {
        let spans = vec![span("r", None), span("a", Some("b")), span("b", Some("a")), span("c", Some("a"))];
        let t = build_tree(&spans);
        assert_eq!(t.report.cycles_broken, vec![1]);
        assert_eq!(t.parent, vec![NONE, 0, 1, 1]);
        assert_eq!(t.preorder().len(), 4);
    }

    #[test]
    fn headless_trace_has_several_tops() {
        let spans = vec![span("a", Some("x")), span("b", Some("y"))];
        let t = build_tree(&spans);
        assert!(t.report.headless);
        assert_eq!(t.top, vec![0, 1]);
        assert_eq!(t.report.missing_parents, vec![0, 1]);
    }

    #[test]
    fn headless_cycle_becomes_top_level() {
        let spans = vec![span("a", Some("b")), span("b", Some("a"))];
        let t = build_tree(&spans);
        assert_eq!(t.top, vec![0]);
        assert_eq!(t.preorder(), vec![0, 1]);
    }
}
