//! Normalising and merging the spans of one trace before a tree is built: Lens's
//! `zipkin-lens/src/zipkin/span-cleaner.js` (`clean`, `mergeV2ById`) for the viewer, and the
//! server's `zipkin2/internal/Trace.java` (`merge`) for dependency linking.
//!
//! Both flavours sort spans by id (client half before its shared server half), merge fragments
//! of one span reported in pieces (same id, same `shared` flag, compatible local endpoint),
//! mark a SERVER that follows a CLIENT with its id as shared, and give a parentless shared
//! server its client's parent.
use super::span::{Endpoint, Kind, Span};
use std::cmp::Ordering;

/// Which Zipkin component's rules to follow where Lens and the server differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `span-cleaner.js`: names `""`/`unknown` are absent; final order puts roots first, then
    /// by timestamp.
    Lens,
    /// `Trace.java` plus the server's model (`Span.Builder`, `Endpoint.Builder`): service and
    /// span names lower-cased; order stays by id, which decides the root the linker sees.
    Server,
}

/// The cleaned spans of a trace and where each input span went.
#[derive(Debug, Clone, Default)]
pub struct Cleaned {
    pub spans: Vec<Span>,
    /// For each input span, the index of the cleaned span it was merged into.
    pub origin: Vec<u32>,
    /// Input spans that named themselves as parent (the link was dropped).
    pub self_parents: Vec<u32>,
}

/// Lens's `normalizeTraceId`: lower-case, left-padded to 16 or 32 hex, a zero high half dropped.
pub fn normalize_trace_id(id: &str) -> String {
    let id = id.to_ascii_lowercase();
    if id.len() > 16 {
        let padded = pad_left(&id, 32);
        match padded.strip_prefix("0000000000000000") {
            Some(low) => low.to_owned(),
            None => padded,
        }
    } else {
        pad_left(&id, 16)
    }
}

fn pad_left(id: &str, width: usize) -> String {
    if id.len() >= width {
        return id.to_owned();
    }
    let mut s = String::with_capacity(width);
    s.extend(std::iter::repeat_n('0', width - id.len()));
    s.push_str(id);
    s
}

fn normalize_span_id(id: &str) -> String {
    pad_left(&id.to_ascii_lowercase(), 16)
}

fn clean_endpoint(e: &Option<Endpoint>, flavor: Flavor) -> Option<Endpoint> {
    let mut e = e.clone()?;
    if e.service_name.as_deref() == Some("") {
        e.service_name = None;
    }
    if flavor == Flavor::Server {
        if let Some(s) = e.service_name.as_mut() {
            *s = s.to_lowercase();
        }
    }
    (e != Endpoint::default()).then_some(e)
}

/// `clean(span)` of span-cleaner.js (and the server model's equivalent checks).
fn clean_one(span: &Span, flavor: Flavor, self_parent: &mut bool) -> Span {
    let id = normalize_span_id(&span.id);
    let parent_id = span.parent_id.as_deref().filter(|p| !p.is_empty()).map(normalize_span_id);
    // An all-zero parent id means "none" in B3 and in Zipkin's model.
    let parent_id = parent_id.filter(|p| p.bytes().any(|b| b != b'0'));
    *self_parent = parent_id.as_deref() == Some(id.as_str());
    let parent_id = parent_id.filter(|p| *p != id);
    let name = span.name.as_deref().filter(|n| !n.is_empty());
    let name = match flavor {
        Flavor::Lens => name.filter(|n| *n != "unknown").map(str::to_owned),
        Flavor::Server => name.map(str::to_lowercase),
    };
    let mut annotations = span.annotations.clone();
    if annotations.len() > 1 {
        annotations.sort();
        annotations.dedup();
    }
    Span {
        trace_id: normalize_trace_id(&span.trace_id),
        id,
        parent_id,
        name,
        kind: span.kind,
        timestamp: span.timestamp.filter(|t| *t != 0),
        duration: span.duration.filter(|d| *d != 0),
        local_endpoint: clean_endpoint(&span.local_endpoint, flavor),
        remote_endpoint: clean_endpoint(&span.remote_endpoint, flavor),
        annotations,
        tags: span.tags.clone(),
        debug: span.debug.filter(|d| *d),
        // shared is for the server side: unset it if set on a client by mistake.
        shared: span.shared.filter(|s| *s && span.kind != Some(Kind::Client)),
    }
}

fn is_shared(s: &Span) -> bool {
    s.shared == Some(true)
}

/// Not shared before shared; among unshared, clients first (`compareShared`).
fn shared_rank(s: &Span) -> u8 {
    match (is_shared(s), s.kind == Some(Kind::Client)) {
        (false, true) => 0,
        (false, false) => 1,
        (true, _) => 2,
    }
}

fn cmp_opt_str(a: &Option<String>, b: &Option<String>, missing_first: bool) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) if missing_first => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) if missing_first => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => a.cmp(b),
    }
}

/// `compareEndpoint`: spans without an endpoint first, so their data joins the first span with
/// the same id; Lens orders missing fields first, the server last.
fn cmp_endpoint(a: &Option<Endpoint>, b: &Option<Endpoint>, flavor: Flavor) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => {
            let mf = flavor == Flavor::Lens;
            cmp_opt_str(&a.service_name, &b.service_name, mf)
                .then_with(|| cmp_opt_str(&a.ipv4, &b.ipv4, mf))
                .then_with(|| cmp_opt_str(&a.ipv6, &b.ipv6, mf))
        }
    }
}

/// `tryMerge` of both sources: an endpoint joins the tracked one unless a field conflicts.
#[derive(Default)]
struct EndpointTracker {
    service_name: Option<String>,
    ipv4: Option<String>,
    ipv6: Option<String>,
    port: Option<u16>,
}

impl EndpointTracker {
    fn try_merge(&mut self, e: &Option<Endpoint>) -> bool {
        let Some(e) = e else { return true };
        fn conflict<T: PartialEq>(a: &Option<T>, b: &Option<T>) -> bool {
            matches!((a, b), (Some(a), Some(b)) if a != b)
        }
        if conflict(&self.service_name, &e.service_name)
            || conflict(&self.ipv4, &e.ipv4)
            || conflict(&self.ipv6, &e.ipv6)
            || conflict(&self.port, &e.port)
        {
            return false;
        }
        fn fill<T: Clone>(a: &mut Option<T>, b: &Option<T>) {
            if a.is_none() {
                a.clone_from(b);
            }
        }
        fill(&mut self.service_name, &e.service_name);
        fill(&mut self.ipv4, &e.ipv4);
        fill(&mut self.ipv6, &e.ipv6);
        fill(&mut self.port, &e.port);
        true
    }
}

fn merge_endpoint(left: &mut Option<Endpoint>, right: &Option<Endpoint>) {
    match (left.as_mut(), right) {
        (_, None) => {}
        (None, Some(r)) => *left = Some(r.clone()),
        (Some(l), Some(r)) => {
            fn fill<T: Clone>(a: &mut Option<T>, b: &Option<T>) {
                if a.is_none() {
                    a.clone_from(b);
                }
            }
            fill(&mut l.service_name, &r.service_name);
            fill(&mut l.ipv4, &r.ipv4);
            fill(&mut l.ipv6, &r.ipv6);
            fill(&mut l.port, &r.port);
        }
    }
}

/// `merge(left, right)`: the left fragment wins a field it has; tags and annotations are united.
fn merge_into(left: &mut Span, right: Span) {
    if right.trace_id.len() > left.trace_id.len() {
        left.trace_id = right.trace_id;
    }
    if left.parent_id.is_none() {
        left.parent_id = right.parent_id;
    }
    if left.name.is_none() {
        left.name = right.name;
    }
    if left.kind.is_none() {
        left.kind = right.kind;
    }
    if left.timestamp.is_none() {
        left.timestamp = right.timestamp;
    }
    if left.duration.is_none() {
        left.duration = right.duration;
    }
    merge_endpoint(&mut left.local_endpoint, &right.local_endpoint);
    merge_endpoint(&mut left.remote_endpoint, &right.remote_endpoint);
    if !right.annotations.is_empty() {
        left.annotations.extend(right.annotations);
        left.annotations.sort();
        left.annotations.dedup();
    }
    left.tags.extend(right.tags);
    if right.debug == Some(true) {
        left.debug = Some(true);
    }
    if right.shared == Some(true) {
        left.shared = Some(true);
    }
}

/// Cleans and merges one trace's spans (`mergeV2ById` / `Trace.merge`). Never panics; an
/// empty input gives an empty result.
pub fn clean_trace(raw: &[Span], flavor: Flavor) -> Cleaned {
    let mut self_parents = Vec::new();
    let mut items: Vec<(u32, Span)> = Vec::with_capacity(raw.len());
    for (i, span) in raw.iter().enumerate() {
        let mut sp = false;
        items.push((i as u32, clean_one(span, flavor, &mut sp)));
        if sp {
            self_parents.push(i as u32);
        }
    }
    // The longest trace id wins (a 128-bit id over its 64-bit form).
    let trace_id = items.iter().map(|(_, s)| &s.trace_id).max_by_key(|t| t.len()).cloned().unwrap_or_default();

    items.sort_by(|(ia, a), (ib, b)| {
        a.id.cmp(&b.id)
            .then_with(|| shared_rank(a).cmp(&shared_rank(b)))
            .then_with(|| cmp_endpoint(&a.local_endpoint, &b.local_endpoint, flavor))
            .then_with(|| ia.cmp(ib))
    });

    // Merge runs of fragments; `groups[k]` lists the input indices merged into output k.
    let mut out: Vec<Span> = Vec::with_capacity(items.len());
    let mut origin = vec![0u32; raw.len()];
    let mut iter = items.into_iter().peekable();
    while let Some((first_index, mut span)) = iter.next() {
        let k = out.len() as u32;
        if let Some(o) = origin.get_mut(first_index as usize) {
            *o = k;
        }
        if span.trace_id.len() != trace_id.len() {
            span.trace_id.clone_from(&trace_id);
        }
        let mut tracker = EndpointTracker::default();
        tracker.try_merge(&span.local_endpoint);
        while let Some((_, next)) = iter.peek() {
            if next.id != span.id || is_shared(next) != is_shared(&span) || !tracker.try_merge(&next.local_endpoint) {
                break;
            }
            if let Some((ni, next)) = iter.next() {
                if let Some(o) = origin.get_mut(ni as usize) {
                    *o = k;
                }
                merge_into(&mut span, next);
            }
        }
        // B3 shared spans: the list is ordered client first, so a SERVER right after a CLIENT
        // with its id is that client's server half, even without the flag.
        if let Some(last) = out.last() {
            if last.id == span.id {
                if last.kind == Some(Kind::Client) && span.kind == Some(Kind::Server) && !is_shared(&span) {
                    span.shared = Some(true);
                }
                if is_shared(&span) && span.parent_id.is_none() && last.parent_id.is_some() {
                    span.parent_id.clone_from(&last.parent_id);
                }
            }
        }
        out.push(span);
    }

    if flavor == Flavor::Lens && !out.is_empty() {
        // spanComparator: roots first, then by timestamp and name. Lens also puts a client before
        // its shared server; that is kept as the last key so the order stays total.
        let mut order: Vec<u32> = (0..out.len() as u32).collect();
        order.sort_by(|&a, &b| {
            let (sa, sb) = (&out[a as usize], &out[b as usize]);
            sa.parent_id
                .is_some()
                .cmp(&sb.parent_id.is_some())
                .then_with(|| sa.timestamp.cmp(&sb.timestamp))
                .then_with(|| sa.name.cmp(&sb.name))
                .then_with(|| sa.id.cmp(&sb.id))
                .then_with(|| shared_rank(sa).cmp(&shared_rank(sb)))
                .then_with(|| a.cmp(&b))
        });
        let mut new_pos = vec![0u32; out.len()];
        for (pos, &old) in order.iter().enumerate() {
            new_pos[old as usize] = pos as u32;
        }
        let mut slots: Vec<Option<Span>> = out.into_iter().map(Some).collect();
        out = order.iter().filter_map(|&old| slots.get_mut(old as usize).and_then(Option::take)).collect();
        for o in origin.iter_mut() {
            *o = new_pos.get(*o as usize).copied().unwrap_or(0);
        }
        // A lone root marked shared is not a server half of anything here.
        let lone_root = out.len() == 1 || out.get(1).is_some_and(|s| s.parent_id.is_some());
        if let Some(first) = out.first_mut() {
            if first.parent_id.is_none() && is_shared(first) && lone_root {
                first.shared = None;
            }
        }
    }

    Cleaned { spans: out, origin, self_parents }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(id: &str) -> Span {
        Span { trace_id: "1".into(), id: id.into(), ..Span::default() }
    }

    #[test]
    fn pads_and_normalises_ids() {
        assert_eq!(normalize_trace_id("ABC"), "0000000000000abc");
        assert_eq!(normalize_trace_id(&format!("{}{}", "0".repeat(16), "a".repeat(16))), "a".repeat(16));
        let c = clean_trace(&[Span { parent_id: Some("1".into()), ..span("1") }], Flavor::Lens);
        assert_eq!(c.spans[0].parent_id, None);
        assert_eq!(c.self_parents, vec![0]);
    }

    #[test]
    fn merges_fragments_and_marks_shared() {
        let a = Span { name: Some("get".into()), timestamp: Some(5), ..span("a") };
        let b = Span { duration: Some(3), ..span("a") };
        let ep = |n: &str| Some(Endpoint { service_name: Some(n.into()), ..Endpoint::default() });
        let client =
            Span { kind: Some(Kind::Client), parent_id: Some("p".into()), local_endpoint: ep("x"), ..span("c") };
        let server = Span { kind: Some(Kind::Server), local_endpoint: ep("y"), ..span("c") };
        let c = clean_trace(&[a, b, server, client], Flavor::Lens);
        assert_eq!(c.spans.len(), 3);
        let merged = c.spans.iter().find(|s| s.id.ends_with('a')).unwrap();
        assert_eq!((merged.timestamp, merged.duration), (Some(5), Some(3)));
        let srv = c.spans.iter().find(|s| s.kind == Some(Kind::Server)).unwrap();
        assert_eq!(srv.shared, Some(true));
        assert_eq!(srv.parent_id.as_deref(), Some("000000000000000p"));
        assert_eq!(c.origin[0], c.origin[1]);
    }
}
