//! Normalising and merging the spans of one trace before a tree is built: Lens's
//! `zipkin-lens/src/zipkin/span-cleaner.js` (`clean`, `mergeV2ById`) for the viewer, and the
//! server's `zipkin2/internal/Trace.java` (`merge`) for dependency linking.
//!
//! Both flavours sort spans by id (client half before its shared server half), merge fragments
//! of one span reported in pieces (same id, same `shared` flag, compatible local endpoint),
//! mark a SERVER that follows a CLIENT with its id as shared, and give a parentless shared
//! server its client's parent.
use super::fast_hash::FastMap;
use super::sorting;
use super::span::{Endpoint, Kind, Span};
use super::tree::span_ids::IdKeys;
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
    /// `(input index, span as given)` for every input span that cleaning or merging changed,
    /// sorted by input index (empty from `clean_trace`, which copies its input anyway).
    pub originals: Vec<(u32, Span)>,
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

/// A span id as cleaning stores it: lower case, left-padded to 16.
pub(crate) fn normalize_span_id(id: &str) -> String {
    pad_left(&id.to_ascii_lowercase(), 16)
}

fn is_lower_hex(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn clean_endpoint_in_place(e: &mut Option<Endpoint>, flavor: Flavor) {
    let Some(ep) = e.as_mut() else { return };
    if ep.service_name.as_deref() == Some("") {
        ep.service_name = None;
    }
    if flavor == Flavor::Server {
        if let Some(s) = ep.service_name.as_mut() {
            if s.chars().any(char::is_uppercase) {
                *s = s.to_lowercase();
            }
        }
    }
    if *ep == Endpoint::default() {
        *e = None;
    }
}

fn endpoint_needs_cleaning(e: &Option<Endpoint>, flavor: Flavor) -> bool {
    e.as_ref().is_some_and(|e| {
        e.service_name.as_deref() == Some("")
            || *e == Endpoint::default()
            || (flavor == Flavor::Server
                && e.service_name.as_deref().is_some_and(|s| s.chars().any(char::is_uppercase)))
    })
}

/// Whether `clean_in_place` would change anything: most real spans are already clean, and
/// knowing it lets the caller keep the original only for the few that are not.
fn needs_cleaning(span: &Span, flavor: Flavor) -> bool {
    let t = &span.trace_id;
    let trace_ok = (t.len() == 16 || (t.len() == 32 && !t.starts_with("0000000000000000"))) && is_lower_hex(t);
    let id_ok = span.id.len() == 16 && is_lower_hex(&span.id);
    let parent_ok = span
        .parent_id
        .as_deref()
        .is_none_or(|p| p.len() == 16 && is_lower_hex(p) && p != span.id && p.bytes().any(|b| b != b'0'));
    let name_ok = match (flavor, span.name.as_deref()) {
        (_, None) => true,
        (_, Some("")) => false,
        (Flavor::Lens, Some(n)) => n != "unknown",
        (Flavor::Server, Some(n)) => !n.chars().any(char::is_uppercase),
    };
    let annotations_ok = span.annotations.windows(2).all(|w| w[0] < w[1]);
    !(trace_ok
        && id_ok
        && parent_ok
        && name_ok
        && span.timestamp != Some(0)
        && span.duration != Some(0)
        && !endpoint_needs_cleaning(&span.local_endpoint, flavor)
        && !endpoint_needs_cleaning(&span.remote_endpoint, flavor)
        && annotations_ok
        && span.debug != Some(false)
        && span.shared != Some(false)
        && !(span.shared == Some(true) && span.kind == Some(Kind::Client)))
}

/// `clean(span)` of span-cleaner.js (and the server model's equivalent checks), in place.
/// Returns whether the span named itself as parent.
fn clean_in_place(span: &mut Span, flavor: Flavor) -> bool {
    span.trace_id = normalize_trace_id(&span.trace_id);
    if !(span.id.len() == 16 && is_lower_hex(&span.id)) {
        span.id = normalize_span_id(&span.id);
    }
    let mut self_parent = false;
    if let Some(p) = span.parent_id.take() {
        let p = if p.len() == 16 && is_lower_hex(&p) { p } else { normalize_span_id(&p) };
        // An all-zero (or empty) parent id means "none" in B3 and in Zipkin's model.
        if p.bytes().any(|b| b != b'0') {
            self_parent = p == span.id;
            if !self_parent {
                span.parent_id = Some(p);
            }
        }
    }
    match (flavor, span.name.as_deref()) {
        (_, Some("")) => span.name = None,
        (Flavor::Lens, Some("unknown")) => span.name = None,
        (Flavor::Server, Some(n)) if n.chars().any(char::is_uppercase) => span.name = Some(n.to_lowercase()),
        _ => {}
    }
    if span.timestamp == Some(0) {
        span.timestamp = None;
    }
    if span.duration == Some(0) {
        span.duration = None;
    }
    clean_endpoint_in_place(&mut span.local_endpoint, flavor);
    clean_endpoint_in_place(&mut span.remote_endpoint, flavor);
    if span.annotations.len() > 1 {
        sorting::sort(&mut span.annotations);
        span.annotations.dedup();
    }
    if span.debug != Some(true) {
        span.debug = None;
    }
    // shared is for the server side: unset it if set on a client by mistake.
    if span.shared != Some(true) || span.kind == Some(Kind::Client) {
        span.shared = None;
    }
    self_parent
}

fn is_shared(s: &Span) -> bool {
    s.shared == Some(true)
}

/// Not shared before shared; among unshared, clients first (`compareShared`).
/// What Lens's order reads of a span besides its name and id.
fn order_fact(s: &Span) -> (bool, Option<u64>, u8) {
    (s.parent_id.is_some(), s.timestamp, shared_rank(s))
}

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
fn merge_into(left: &mut Span, right: &Span) {
    if right.trace_id.len() > left.trace_id.len() {
        left.trace_id.clone_from(&right.trace_id);
    }
    if left.parent_id.is_none() {
        left.parent_id.clone_from(&right.parent_id);
    }
    if left.name.is_none() {
        left.name.clone_from(&right.name);
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
        left.annotations.extend(right.annotations.iter().cloned());
        sorting::sort(&mut left.annotations);
        left.annotations.dedup();
    }
    left.tags.extend(right.tags.iter().map(|(k, v)| (k.clone(), v.clone())));
    if right.debug == Some(true) {
        left.debug = Some(true);
    }
    if right.shared == Some(true) {
        left.shared = Some(true);
    }
}

/// Cleans and merges one trace's spans (`mergeV2ById` / `Trace.merge`), copying them.
/// Never panics; an empty input gives an empty result.
pub fn clean_trace(raw: &[Span], flavor: Flavor) -> Cleaned {
    let mut cleaned = clean_owned(raw.to_vec(), flavor);
    cleaned.originals.clear();
    cleaned
}

/// Cleans and merges spans it owns, without copying them: only spans that cleaning or merging
/// changes are copied first, into `Cleaned::originals`, so the raw form stays available.
pub fn clean_owned(raw: Vec<Span>, flavor: Flavor) -> Cleaned {
    clean_owned_keyed(raw, flavor, |_| {}).0
}

/// `clean_owned`, also returning the cleaned spans' id keys for the tree (`SpanIds::from_keys`):
/// ids are read here, in input order while each span is in cache, and never again as strings.
/// `on_clean` sees each span, in input order, once it is cleaned but before fragments are merged
/// (spans merging changes are the cleaned spans `originals` points to): a caller can read what
/// it needs while the span is in cache.
pub(crate) fn clean_owned_keyed(raw: Vec<Span>, flavor: Flavor, mut on_clean: impl FnMut(&Span)) -> (Cleaned, IdKeys) {
    let n = raw.len();
    let mut self_parents = Vec::new();
    let mut originals: Vec<(u32, Span)> = Vec::new();
    let mut spans = raw;
    let mut id_key: Vec<Option<u64>> = Vec::with_capacity(n);
    let mut parent_key: Vec<Option<u64>> = Vec::with_capacity(n);
    // Lens's final order compares names, parents and timestamps; they are read here, while each
    // span is in cache, because the order is computed over spans in id order, a random walk
    // through the span vector. (Spans merging changes are read again: they are in `originals`.)
    let mut names = Names::default();
    let mut order_facts: Vec<(bool, Option<u64>, u8)> = Vec::with_capacity(if flavor == Flavor::Lens { n } else { 0 });
    for (i, span) in spans.iter_mut().enumerate() {
        if needs_cleaning(span, flavor) {
            originals.push((i as u32, span.clone()));
            if clean_in_place(span, flavor) {
                self_parents.push(i as u32);
            }
        }
        let (id, parent) = IdKeys::read(span);
        id_key.push(id);
        parent_key.push(parent);
        if flavor == Flavor::Lens {
            names.number_span(span.name.as_deref());
            order_facts.push(order_fact(span));
        }
        on_clean(span);
    }
    let same_id = |spans: &[Span], a: usize, b: usize| cmp_id(spans, &id_key, a, b) == Ordering::Equal;
    // The longest trace id wins (a 128-bit id over its 64-bit form).
    let trace_id = spans.iter().map(|s| &s.trace_id).max_by_key(|t| t.len()).cloned().unwrap_or_default();

    let order = id_order(&spans, &id_key, flavor);
    let has_original = |originals: &[(u32, Span)], i: u32| originals.iter().rev().take(4).any(|(r, _)| *r == i);

    // Merge runs of fragments into their first span, in place (spans are moved, not copied);
    // `leaders` are the surviving spans in id order, `origin` maps each input to its leader.
    let mut leaders: Vec<u32> = Vec::with_capacity(n);
    let mut origin = vec![0u32; n];
    let mut pos = 0;
    while let Some(&first) = order.get(pos) {
        pos += 1;
        let k = leaders.len() as u32;
        if let Some(o) = origin.get_mut(first as usize) {
            *o = k;
        }
        if spans.get(first as usize).is_some_and(|s| s.trace_id.len() != trace_id.len()) {
            if !has_original(&originals, first) {
                originals.push((first, spans[first as usize].clone()));
            }
            spans[first as usize].trace_id.clone_from(&trace_id);
        }
        // Built only when a candidate fragment shows up (it copies endpoint fields).
        let mut tracker: Option<EndpointTracker> = None;
        while let Some(&next) = order.get(pos) {
            let (span, cand) = (&spans[first as usize], &spans[next as usize]);
            if !same_id(&spans, first as usize, next as usize) || is_shared(cand) != is_shared(span) {
                break;
            }
            let t = tracker.get_or_insert_with(|| {
                let mut t = EndpointTracker::default();
                t.try_merge(&span.local_endpoint);
                t
            });
            if !t.try_merge(&cand.local_endpoint) {
                break;
            }
            pos += 1;
            if let Some(o) = origin.get_mut(next as usize) {
                *o = k;
            }
            if !has_original(&originals, first) {
                originals.push((first, spans[first as usize].clone()));
            }
            let fragment = std::mem::take(&mut spans[next as usize]);
            merge_into(&mut spans[first as usize], &fragment);
            if !has_original(&originals, next) {
                originals.push((next, fragment));
            }
        }
        // B3 shared spans: the list is ordered client first, so a SERVER right after a CLIENT
        // with its id is that client's server half, even without the flag.
        if let Some(&prev) = leaders.last() {
            let (last, span) = (&spans[prev as usize], &spans[first as usize]);
            if same_id(&spans, prev as usize, first as usize) {
                let mark_shared =
                    last.kind == Some(Kind::Client) && span.kind == Some(Kind::Server) && !is_shared(span);
                let adopt = if (mark_shared || is_shared(span)) && span.parent_id.is_none() {
                    last.parent_id.clone()
                } else {
                    None
                };
                if (mark_shared || adopt.is_some()) && !has_original(&originals, first) {
                    originals.push((first, spans[first as usize].clone()));
                }
                let span = &mut spans[first as usize];
                if mark_shared {
                    span.shared = Some(true);
                }
                if adopt.is_some() {
                    span.parent_id = adopt;
                }
            }
        }
        leaders.push(first);
    }
    if flavor == Flavor::Lens {
        absorb_server_pieces(&mut spans, &mut leaders, &mut origin, &mut originals, &same_id);
        // spanComparator: roots first, then by timestamp and name; spans sharing an id compare
        // by `compareShared` alone, so the unshared (client) span comes first whatever the
        // timestamps. A total order with both properties: the spans of one id sort together at
        // the timestamp and name of the id's first span in id order (its client, or another
        // unshared span), then by `shared_rank`.
        // Every key is copied into a compact array and the array is sorted as plain integers,
        // instead of chasing 100,000 spans and their name strings around the heap (ties on
        // timestamp are common: a client and its server half often start in the same µs).
        // Names compare by rank; ids by rank too: leaders are in id order already.
        for &(r, _) in &originals {
            // Merging may have given a span a name.
            names.renumber(r as usize, spans.get(r as usize).and_then(|s| s.name.as_deref()));
        }
        let name_rank = names.ranks();
        for &(r, _) in &originals {
            if let (Some(fact), Some(span)) = (order_facts.get_mut(r as usize), spans.get(r as usize)) {
                *fact = order_fact(span);
            }
        }
        let mut id_rank = 0u32;
        let mut keys: Vec<(bool, Option<u64>, u32, u32, u8, u32)> = Vec::with_capacity(leaders.len());
        // The timestamp and name rank of the current id's first span.
        let mut group: (Option<u64>, u32) = (None, 0);
        for (a, &i) in leaders.iter().enumerate() {
            let (has_parent, timestamp, shared) = order_facts.get(i as usize).copied().unwrap_or_default();
            let name = names.of_span.get(i as usize).and_then(|&k| name_rank.get(k as usize)).copied().unwrap_or(0);
            if a == 0 || !same_id(&spans, leaders[a - 1] as usize, i as usize) {
                id_rank += u32::from(a > 0);
                group = (timestamp, name);
            }
            keys.push((has_parent, group.0, group.1, id_rank, shared, a as u32));
        }
        sorting::sort(&mut keys);
        let by_lens: Vec<u32> = keys.iter().map(|k| k.5).collect();
        drop(keys);
        let mut new_pos = vec![0u32; leaders.len()];
        for (p, &old) in by_lens.iter().enumerate() {
            new_pos[old as usize] = p as u32;
        }
        for o in origin.iter_mut() {
            *o = new_pos.get(*o as usize).copied().unwrap_or(0);
        }
        leaders = by_lens.iter().map(|&k| leaders[k as usize]).collect();
        // A lone root marked shared is not a server half of anything here.
        let lone_root = leaders.len() == 1 || leaders.get(1).is_some_and(|&i| spans[i as usize].parent_id.is_some());
        if let Some(&root) = leaders.first() {
            let first = &spans[root as usize];
            if first.parent_id.is_none() && is_shared(first) && lone_root {
                if !originals.iter().any(|(r, _)| *r == root) {
                    originals.push((root, first.clone()));
                }
                spans[root as usize].shared = None;
            }
        }
    }
    // Put every surviving span in its final place by swaps, in the vector it already lives in
    // (a fresh 30-40 MB vector costs more in page faults than the moves themselves).
    let survivors = leaders.len();
    let mut keys = IdKeys {
        id: leaders.iter().map(|&i| id_key.get(i as usize).copied().flatten()).collect(),
        parent: leaders.iter().map(|&i| parent_key.get(i as usize).copied().flatten()).collect(),
    };
    drop((id_key, parent_key));
    let mut dest = vec![u32::MAX; n];
    for (k, &i) in leaders.iter().enumerate() {
        dest[i as usize] = k as u32;
    }
    // Merged-away fragments (now empty) go to the tail.
    for (spare, d) in (survivors as u32..).zip(dest.iter_mut().filter(|d| **d == u32::MAX)) {
        *d = spare;
    }
    for i in 0..n {
        while dest[i] as usize != i {
            let j = dest[i] as usize;
            spans.swap(i, j);
            dest.swap(i, j);
        }
    }
    spans.truncate(survivors);
    let out = spans;
    sorting::sort_by_key(&mut originals, |(r, _)| *r);
    originals.dedup_by_key(|(r, _)| *r);
    // Merging can fill in or adopt a parent id; every span it changed has its input recorded in
    // `originals`, so reading those few spans' keys again keeps the keys exact.
    for &(r, _) in &originals {
        let k = origin.get(r as usize).copied().unwrap_or(u32::MAX) as usize;
        if let (Some(span), Some(id), Some(parent)) = (out.get(k), keys.id.get_mut(k), keys.parent.get_mut(k)) {
            (*id, *parent) = IdKeys::read(span);
        }
    }

    (Cleaned { spans: out, origin, self_parents, originals }, keys)
}

/// A late piece of a shared server: no kind, no timestamp, not flagged shared, reported by the
/// server's service under the id it shares with its client. Sorted among the unshared spans, it
/// cannot join the client (another service), so it would stand alone as a 0 ms span; Lens's tree
/// keys unshared spans by id alone, so such a piece never gets a row of its own there (smartthings'
/// 84 pieces: 747 rows against Lens's 663). Here it is merged into the first shared server of its id
/// on a compatible endpoint of the same service, its tags and annotations kept. Runs on `leaders` in
/// id order (each id's unshared spans first, the first of them the one that stays), before the
/// final order, and keeps `origin` pointing at leader positions.
fn absorb_server_pieces(
    spans: &mut [Span],
    leaders: &mut Vec<u32>,
    origin: &mut [u32],
    originals: &mut Vec<(u32, Span)>,
    same_id: &dyn Fn(&[Span], usize, usize) -> bool,
) {
    let is_piece = |s: &Span| !is_shared(s) && s.kind.is_none() && s.timestamp.is_none() && s.local_service().is_some();
    // (piece position, server position) in `leaders`.
    let mut moves: Vec<(usize, usize)> = Vec::new();
    let mut a = 0;
    while a < leaders.len() {
        let mut b = a + 1;
        while b < leaders.len() && same_id(spans, leaders[a] as usize, leaders[b] as usize) {
            b += 1;
        }
        // Only ids with a second unshared span and a shared one; the first unshared span stays.
        let first_shared = (a..b).find(|&k| is_shared(&spans[leaders[k] as usize])).unwrap_or(b);
        for p in a + 1..first_shared {
            let piece = &spans[leaders[p] as usize];
            if !is_piece(piece) {
                continue;
            }
            let server = (first_shared..b).find(|&k| {
                let server = &spans[leaders[k] as usize];
                let mut t = EndpointTracker::default();
                server.local_service() == piece.local_service()
                    && t.try_merge(&server.local_endpoint)
                    && t.try_merge(&piece.local_endpoint)
            });
            if let Some(k) = server {
                moves.push((p, k));
            }
        }
        a = b;
    }
    if moves.is_empty() {
        return;
    }
    let mut target: Vec<usize> = (0..leaders.len()).collect();
    for &(p, k) in &moves {
        let (piece, server) = (leaders[p] as usize, leaders[k] as usize);
        for r in [server, piece] {
            if !originals.iter().rev().take(8).any(|(o, _)| *o as usize == r) {
                originals.push((r as u32, spans[r].clone()));
            }
        }
        let fragment = std::mem::take(&mut spans[piece]);
        merge_into(&mut spans[server], &fragment);
        target[p] = k;
    }
    // Drop the absorbed positions; every input points at its leader's new position.
    let mut new_pos = vec![0u32; leaders.len()];
    let mut kept = 0u32;
    for (old, slot) in new_pos.iter_mut().enumerate() {
        *slot = kept;
        kept += u32::from(target[old] == old);
    }
    let remap: Vec<u32> = (0..leaders.len()).map(|old| new_pos[target[old]]).collect();
    for o in origin.iter_mut() {
        *o = remap.get(*o as usize).copied().unwrap_or(0);
    }
    let mut old = 0;
    leaders.retain(|_| {
        old += 1;
        target[old - 1] == old - 1
    });
}

/// Span names numbered in the order they are first met (0: no name), to be ranked in string
/// order once all are known: a sort can then compare integers.
#[derive(Default)]
struct Names {
    index: FastMap<String, u32>,
    /// The number of each input span's name.
    of_span: Vec<u32>,
}

impl Names {
    fn number(&mut self, name: Option<&str>) -> u32 {
        let Some(name) = name else { return 0 };
        if let Some(&k) = self.index.get(name) {
            return k;
        }
        let k = self.index.len() as u32 + 1;
        self.index.insert(name.to_owned(), k);
        k
    }

    fn number_span(&mut self, name: Option<&str>) {
        let k = self.number(name);
        self.of_span.push(k);
    }

    fn renumber(&mut self, span: usize, name: Option<&str>) {
        let k = self.number(name);
        if let Some(slot) = self.of_span.get_mut(span) {
            *slot = k;
        }
    }

    /// For each name number, its rank in string order (no name first, as `Option` orders).
    fn ranks(&self) -> Vec<u32> {
        let mut sorted: Vec<(&str, u32)> = self.index.iter().map(|(n, &k)| (n.as_str(), k)).collect();
        sorting::sort(&mut sorted);
        let mut rank = vec![0u32; sorted.len() + 1];
        for (r, &(_, k)) in sorted.iter().enumerate() {
            if let Some(slot) = rank.get_mut(k as usize) {
                *slot = r as u32 + 1;
            }
        }
        rank
    }
}

/// Orders spans `a` and `b` by id: as integers when both ids are canonical (16 lower-case hex
/// digits, whose integer order is their string order, so mixing the two stays consistent).
fn cmp_id(spans: &[Span], id_key: &[Option<u64>], a: usize, b: usize) -> Ordering {
    match (id_key.get(a).copied().flatten(), id_key.get(b).copied().flatten()) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => spans.get(a).map(|s| &s.id).cmp(&spans.get(b).map(|s| &s.id)),
    }
}

/// Input indices sorted by id, then `shared_rank`, then local endpoint, then input order.
/// With every id canonical (the usual case) the first two keys and the index are packed into
/// one integer per span and sorted as integers; only runs of equal id and rank (fragments of a
/// span) look at endpoints. Otherwise spans are compared directly.
fn id_order(spans: &[Span], id_key: &[Option<u64>], flavor: Flavor) -> Vec<u32> {
    let n = spans.len();
    let cmp_ep = |a: &u32, b: &u32| {
        let (sa, sb) = (&spans[*a as usize], &spans[*b as usize]);
        cmp_endpoint(&sa.local_endpoint, &sb.local_endpoint, flavor)
    };
    if id_key.len() != n || id_key.iter().any(Option::is_none) {
        let mut order: Vec<u32> = (0..n as u32).collect();
        sorting::sort_by(&mut order, |&ia, &ib| {
            let (a, b) = (&spans[ia as usize], &spans[ib as usize]);
            cmp_id(spans, id_key, ia as usize, ib as usize)
                .then_with(|| shared_rank(a).cmp(&shared_rank(b)))
                .then_with(|| cmp_endpoint(&a.local_endpoint, &b.local_endpoint, flavor))
                .then_with(|| ia.cmp(&ib))
        });
        return order;
    }
    let mut packed: Vec<u128> = spans
        .iter()
        .zip(id_key)
        .enumerate()
        .map(|(i, (s, k))| (u128::from(k.unwrap_or(0)) << 64) | (u128::from(shared_rank(s)) << 32) | i as u128)
        .collect();
    packed.sort_unstable();
    let mut order: Vec<u32> = packed.iter().map(|&k| k as u32).collect();
    let mut a = 0;
    while a < n {
        let head = packed[a] >> 32;
        let mut b = a + 1;
        while b < n && packed[b] >> 32 == head {
            b += 1;
        }
        if b - a > 1 {
            // Stable: equal endpoints stay in input order, as the index key wants.
            sorting::sort_by(&mut order[a..b], cmp_ep);
        }
        a = b;
    }
    order
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

    #[test]
    fn a_late_piece_of_a_shared_server_joins_that_server() {
        // smartthings' shape: client (web), the server's piece (db, no kind, no timestamp, a
        // tag) and the shared server (db). The piece cannot join the client (another service).
        let ep = |n: &str| Some(Endpoint { service_name: Some(n.into()), ..Endpoint::default() });
        let root = Span { kind: Some(Kind::Server), timestamp: Some(1), local_endpoint: ep("web"), ..span("1") };
        let call = |kind, shared, ts, service: &str| Span {
            parent_id: Some("1".into()),
            kind,
            shared,
            timestamp: ts,
            local_endpoint: ep(service),
            ..span("2")
        };
        let mut piece = call(None, None, None, "db");
        piece.tags.insert("sql".into(), "select 1".into());
        let raw = vec![
            root,
            call(Some(Kind::Client), None, Some(2), "web"),
            piece,
            call(Some(Kind::Server), Some(true), Some(3), "db"),
        ];
        let c = clean_owned(raw.clone(), Flavor::Lens);
        assert_eq!(c.spans.len(), 3);
        let server = c.spans.iter().position(|s| s.shared == Some(true)).unwrap() as u32;
        assert_eq!(c.spans[server as usize].tags.get("sql").map(String::as_str), Some("select 1"));
        assert_eq!((c.origin[2], c.origin[3]), (server, server));
        // The raw forms stay: the piece and the server as given.
        assert!(c.originals.iter().any(|(r, s)| *r == 2 && *s == raw[2]));
        assert!(c.originals.iter().any(|(r, s)| *r == 3 && *s == raw[3]));
        // The server's flavor keeps Zipkin's merge rules: the piece stays a span.
        assert_eq!(clean_trace(&raw, Flavor::Server).spans.len(), 4);
    }
}
