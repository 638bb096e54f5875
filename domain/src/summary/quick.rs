//! The trace page's figures of an ordinary trace, read straight from its spans. Most traces come
//! out of cleaning, linking and clock-skew correction as they went in: canonical ids, each id once
//! as a span and at most once more as the shared server beside it, one root, every parent
//! present, no cycle and no server that clock-skew correction would move. For those the model's figures are
//! plain functions of the spans (rows are the ids, the duration is raw last end − first start),
//! and reading them from borrowed fields costs no span, string or model: building 1,000 models
//! for a search answer took longer than scanning it. Any trace that is not provably ordinary gets
//! `None` and goes through the model. The differential property test (tests/summary_agreement.rs)
//! holds both paths to the same answers.
use super::trace_summary::{ServiceSummary, TraceSummary};
use crate::clock_skew::{same_host, server_skew, Host};
use crate::fast_hash::FastMap;
use crate::sorting;
use crate::span::{Kind, Span};
use crate::trace_model::{span_error, ErrorKind};
use crate::tree::span_ids::hex16;

/// What the shortcut reads of a span: [`Span`] has it, and so does the search page's answer
/// scanner, which borrows these fields from the answer instead of building spans.
pub trait SummarySpan {
    fn trace_id(&self) -> &str;
    fn id(&self) -> &str;
    fn parent_id(&self) -> Option<&str>;
    fn name(&self) -> Option<&str>;
    fn kind(&self) -> Option<Kind>;
    fn timestamp(&self) -> Option<u64>;
    fn duration(&self) -> Option<u64>;
    fn local_service(&self) -> Option<&str>;
    fn remote_service(&self) -> Option<&str>;
    /// The `shared` flag as sent.
    fn shared(&self) -> bool;
    fn error(&self) -> ErrorKind;
    /// The local endpoint's addresses (`None`: no local endpoint), for clock skew.
    fn local_host(&self) -> Option<Host<'_>>;
    /// Whether two spans have the same local endpoint (all of it), as the tree compares a span
    /// with the shared server of its parent id.
    fn same_local_endpoint(&self, other: &Self) -> bool;
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
    fn kind(&self) -> Option<Kind> {
        self.kind
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
    fn local_host(&self) -> Option<Host<'_>> {
        Host::of(self.local_endpoint.as_ref())
    }
    fn same_local_endpoint(&self, other: &Self) -> bool {
        self.local_endpoint == other.local_endpoint
    }
}

const NONE: u32 = u32::MAX;

/// A trace id cleaning leaves alone (`clean::needs_cleaning`): 16 or 32 lower-case hex digits,
/// a 32-digit one not starting with 16 zeros.
fn canonical_trace_id(t: &str) -> bool {
    match t.len() {
        16 => hex16(t).is_some(),
        32 => !t.starts_with("0000000000000000") && hex16(&t[..16]).is_some() && hex16(&t[16..]).is_some(),
        _ => false,
    }
}

/// Whether cleaning leaves every field the figures read as it is.
fn clean_already<S: SummarySpan>(s: &S, trace_id: &str) -> bool {
    s.trace_id() == trace_id
        && !matches!(s.name(), Some("" | "unknown"))
        && s.timestamp() != Some(0)
        && s.duration() != Some(0)
        && s.local_service() != Some("")
        && s.remote_service() != Some("")
        && !(s.shared() && s.kind() == Some(Kind::Client))
}

/// The spans of one id: the span itself and its shared server, as indices (`NONE`: absent).
#[derive(Clone, Copy)]
struct IdSpans {
    unshared: u32,
    shared: u32,
}

/// The figures `summarize_model` would give, when the trace is ordinary (see the module
/// documentation); `None` otherwise. O(n) with hashing; never panics.
pub(crate) fn quick_summary<S: SummarySpan>(spans: &[S]) -> Option<TraceSummary> {
    let first = spans.first()?;
    let trace_id = first.trace_id();
    if !canonical_trace_id(trace_id) || spans.len() >= NONE as usize {
        return None;
    }
    let mut by_id: FastMap<u64, IdSpans> = FastMap::default();
    by_id.reserve(spans.len());
    let mut ids = Vec::with_capacity(spans.len());
    // Everything that reads a span's strings and tags happens in this one pass: they live all
    // over the heap, and reading them a second time costs more than the arithmetic.
    let mut parent_ids: Vec<Option<u64>> = Vec::with_capacity(spans.len());
    let mut errors: Vec<ErrorKind> = Vec::with_capacity(spans.len());
    let mut services: Vec<ServiceSummary> = Vec::new();
    let mut service_of: FastMap<&str, u32> = FastMap::default();
    let mut root = NONE;
    for (i, s) in spans.iter().enumerate() {
        let id = hex16(s.id())?;
        let parent_id = match s.parent_id() {
            // A parent cleaning would drop (zero, itself) or rewrite (not canonical).
            Some(p) => Some(hex16(p).filter(|&p| p != 0 && p != id)?),
            None => None,
        };
        parent_ids.push(parent_id);
        if !clean_already(s, trace_id) {
            return None;
        }
        let entry = by_id.entry(id).or_insert(IdSpans { unshared: NONE, shared: NONE });
        let slot = if s.shared() { &mut entry.shared } else { &mut entry.unshared };
        if *slot != NONE {
            return None; // fragments or duplicates: cleaning merges or the tree keeps both
        }
        *slot = i as u32;
        if !s.shared() && parent_id.is_none() {
            if root != NONE {
                return None; // several roots
            }
            root = i as u32;
        }
        ids.push(id);
        errors.push(s.error());
        for name in [s.local_service(), s.remote_service()].into_iter().flatten() {
            let k = *service_of.entry(name).or_insert_with(|| {
                services.push(ServiceSummary { name: name.to_owned(), ..ServiceSummary::default() });
                services.len() as u32 - 1
            });
            if let Some(entry) = services.get_mut(k as usize) {
                let d = s.duration().unwrap_or(0);
                entry.span_count += 1;
                entry.total_duration = entry.total_duration.saturating_add(d);
                entry.max_duration = entry.max_duration.max(d);
            }
        }
    }
    if root == NONE {
        return None;
    }
    let unshared_of = |id: u64| by_id.get(&id).map_or(NONE, |e| e.unshared);
    // Each span's parent row (the unshared span of its parent id, or of its own id for a shared
    // server), which must exist; and the span the tree hangs it under, which clock skew walks
    // (`tree`: the shared server of its parent id when that server is on the span's own
    // endpoint, else the unshared span).
    let mut parent = vec![NONE; spans.len()];
    let mut tree_parent = vec![NONE; spans.len()];
    for (i, s) in spans.iter().enumerate() {
        let (p, tp) = if s.shared() {
            let p = unshared_of(ids[i]);
            (p, p)
        } else {
            match parent_ids[i] {
                Some(id) => {
                    let e = by_id.get(&id)?;
                    let on_its_endpoint =
                        spans.get(e.shared as usize).filter(|server| server.same_local_endpoint(s)).is_some();
                    (e.unshared, if on_its_endpoint { e.shared } else { e.unshared })
                }
                None => continue,
            }
        };
        spans.get(p as usize)?;
        parent[i] = p;
        tree_parent[i] = tp;
    }
    let depth = row_depth(spans, &parent, root)?;
    let delta = skew_deltas(spans, &tree_parent, root);
    let (mut lo, mut hi) = (u64::MAX, 0u64);
    for (s, d) in spans.iter().zip(&delta) {
        if let Some(ts) = s.timestamp() {
            let start = i64::try_from(ts).unwrap_or(i64::MAX).saturating_add(*d).max(0) as u64;
            lo = lo.min(start);
            hi = hi.max(start.saturating_add(s.duration().unwrap_or(0)));
        }
    }

    sorting::sort_by(&mut services, |a, b| b.max_duration.cmp(&a.max_duration).then_with(|| a.name.cmp(&b.name)));
    // A row per id: its span and shared server.
    let mut error = ErrorKind::None;
    let mut error_count = 0;
    for e in by_id.values() {
        let row_error = [e.unshared, e.shared]
            .iter()
            .filter_map(|&i| errors.get(i as usize).copied())
            .max()
            .unwrap_or(ErrorKind::None);
        if row_error != ErrorKind::None {
            error_count += 1;
            error = error.max(row_error);
        }
    }
    let (root_service, root_name) = root_row(spans, &by_id, root, ids[root as usize]);
    let (start, end) = if lo == u64::MAX { (0, 0) } else { (lo, hi.max(lo)) };
    Some(TraceSummary {
        trace_id: trace_id.to_owned(),
        start,
        duration: end - start,
        span_count: spans.len() as u32,
        depth,
        services,
        error,
        error_count,
        root_service: root_service.unwrap_or("unknown").to_owned(),
        root_name: root_name.unwrap_or("unknown").to_owned(),
    })
}

/// `clock_skew::correct_skew` on the quick path's tree (`parent`: the span each hangs under,
/// `NONE` for the root), parents before children: each span's offset in µs. The tree has no
/// cycle here (`row_depth` said so) and one root.
fn skew_deltas<S: SummarySpan>(spans: &[S], parent: &[u32], root: u32) -> Vec<i64> {
    let n = spans.len();
    // Children in CSR form, then a walk from the root in breadth-first order.
    let mut start = vec![0u32; n + 1];
    // `NONE` (the root's parent) is u32::MAX: skipped before any arithmetic, which would overflow
    // a 32-bit usize (Wasm).
    for &p in parent.iter().filter(|&&p| p != NONE) {
        if let Some(c) = start.get_mut(p as usize + 1) {
            *c += 1;
        }
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut children = vec![0u32; start[n] as usize];
    for (i, &p) in parent.iter().enumerate().filter(|(_, &p)| p != NONE) {
        if let Some(at) = fill.get_mut(p as usize) {
            children[*at as usize] = i as u32;
            *at += 1;
        }
    }
    let mut delta = vec![0i64; n];
    // The skew each span passes to its children: (the span whose host is skewed, by how much).
    let mut passed: Vec<Option<(u32, i64)>> = vec![None; n];
    let mut queue = vec![root];
    let mut next = 0;
    while let Some(&i) = queue.get(next) {
        next += 1;
        let iu = i as usize;
        queue.extend_from_slice(&children[start[iu] as usize..start[iu + 1] as usize]);
        let p = parent[iu];
        if p == NONE {
            continue;
        }
        let (s, ps) = (&spans[iu], &spans[p as usize]);
        let from_parent = passed[p as usize];
        if let Some((host_of, skew)) = from_parent {
            if same_host(spans[host_of as usize].local_host(), s.local_host()) {
                delta[iu] = delta[iu].saturating_sub(skew);
            }
        }
        let own = (ps.kind() == Some(Kind::Client) && s.kind() == Some(Kind::Server))
            .then(|| {
                let shifted = |ts: Option<u64>, d: i64| {
                    ts.filter(|t| *t != 0).map(|t| i64::try_from(t).unwrap_or(i64::MAX).saturating_add(d))
                };
                let client = shifted(ps.timestamp(), delta[p as usize])?;
                let server = shifted(s.timestamp(), delta[iu])?;
                let (host, client_host) = (s.local_host()?, ps.local_host()?);
                if same_host(Some(host), Some(client_host)) {
                    return None; // an RPC to itself has no skew
                }
                server_skew(client, ps.duration().unwrap_or(0), server, s.duration().unwrap_or(0))
            })
            .flatten();
        if let Some(skew) = own {
            if same_host(s.local_host(), s.local_host()) {
                delta[iu] = delta[iu].saturating_sub(skew);
            }
        }
        passed[iu] = own.map(|skew| (i, skew)).or(from_parent);
    }
    delta
}

/// Levels of rows below the root (a shared server shares its client's row); `None` on a cycle,
/// which the tree would break and hang elsewhere. Iterative, memoised.
fn row_depth<S: SummarySpan>(spans: &[S], parent: &[u32], root: u32) -> Option<u32> {
    let n = spans.len();
    // Depth of each span's row, 0 while unknown.
    let mut depth = vec![0u32; n];
    *depth.get_mut(root as usize)? = 1;
    let mut on_path = vec![false; n];
    let mut path: Vec<u32> = Vec::new();
    let mut best = 1;
    for i in 0..n as u32 {
        path.clear();
        let mut cur = i;
        let base = loop {
            let d = *depth.get(cur as usize)?;
            if d != 0 {
                break d;
            }
            if std::mem::replace(on_path.get_mut(cur as usize)?, true) {
                return None;
            }
            path.push(cur);
            cur = *parent.get(cur as usize)?;
        };
        let mut d = base;
        for &p in path.iter().rev() {
            // A shared server is on its client's row; any other span one row further down.
            d += u32::from(!spans.get(p as usize)?.shared());
            depth[p as usize] = d;
            on_path[p as usize] = false;
            best = best.max(d);
        }
    }
    Some(best)
}

/// `make_row` and `row_name` for the root's row (the root, then its shared server): service
/// from a server, else (when the row has no children) a client's remote, else the first local
/// one; the name preferring the server's.
fn root_row<'a, S: SummarySpan>(
    spans: &'a [S],
    by_id: &FastMap<u64, IdSpans>,
    root: u32,
    root_id: u64,
) -> (Option<&'a str>, Option<&'a str>) {
    let shared = by_id.get(&root_id).map_or(NONE, |e| e.shared);
    let row: Vec<&S> = [root, shared].iter().filter_map(|&i| spans.get(i as usize)).collect();
    let is_leaf = spans.len() == row.len();
    let (mut service, mut name) = (None, None);
    for s in row {
        let (local, remote) = (s.local_service(), s.remote_service());
        if local.is_some() && s.kind() == Some(Kind::Server) {
            service = local;
        } else if is_leaf && s.kind() == Some(Kind::Client) && service.is_none() && remote.is_some() {
            service = remote;
        } else if service.is_none() {
            service = local;
        }
        if let Some(n) = s.name() {
            if name.is_none() || s.kind() == Some(Kind::Server) {
                name = Some(n);
            }
        }
    }
    (service, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Endpoint;
    use crate::summary::summarize_model;
    use crate::trace_model::TraceModel;

    fn span(id: u64, parent: Option<u64>, kind: Option<Kind>, ts: u64, dur: u64, service: &str) -> Span {
        Span {
            trace_id: "00000000000000ab".into(),
            id: format!("{id:016x}"),
            parent_id: parent.map(|p| format!("{p:016x}")),
            name: Some(format!("op{id}")),
            kind,
            timestamp: Some(ts),
            duration: Some(dur),
            local_endpoint: Some(Endpoint {
                service_name: Some(service.into()),
                ipv4: Some(format!("10.0.0.{}", service.len())),
                ..Endpoint::default()
            }),
            ..Span::default()
        }
    }

    /// A root, a client of it and the client's shared server, on time: ordinary.
    fn call(server_ts: u64) -> Vec<Span> {
        vec![
            span(1, None, Some(Kind::Server), 100, 100, "web"),
            span(2, Some(1), Some(Kind::Client), 110, 80, "web"),
            Span { shared: Some(true), ..span(2, Some(1), Some(Kind::Server), server_ts, 60, "db-main") },
        ]
    }

    #[test]
    fn an_ordinary_trace_is_read_without_a_model_and_gives_the_models_figures() {
        let spans = call(120);
        let quick = quick_summary(&spans).expect("ordinary");
        assert_eq!(quick, summarize_model(&TraceModel::build(spans)));
        assert_eq!((quick.span_count, quick.depth, quick.duration), (3, 2, 100));
    }

    #[test]
    fn a_skewed_server_is_corrected_on_the_quick_path_as_the_model_corrects_it() {
        // The server starts before its client (another host): the page moves it, and so must the list.
        let skewed = call(70);
        let quick = quick_summary(&skewed).expect("skew needs no model");
        assert_eq!(quick, summarize_model(&TraceModel::build(skewed)));
    }

    #[test]
    fn anything_the_pipeline_would_change_goes_to_the_model() {
        // A fragment, a second root, a missing parent, a short id, a cycle: each `None`.
        let mut fragment = call(120);
        fragment.push(Span { duration: Some(5), ..span(1, None, None, 100, 1, "web") });
        let mut roots = call(120);
        roots.push(span(9, None, None, 100, 1, "web"));
        let mut orphan = call(120);
        orphan.push(span(9, Some(8), None, 100, 1, "web"));
        let mut short = call(120);
        short[1].id = "2".into();
        let mut cycle = call(120);
        cycle.push(span(8, Some(9), None, 100, 1, "web"));
        cycle.push(span(9, Some(8), None, 100, 1, "web"));
        for spans in [fragment, roots, orphan, short, cycle] {
            assert_eq!(quick_summary(&spans), None);
        }
        assert_eq!(quick_summary::<Span>(&[]), None);
    }
}
