//! Clock-skew correction as a pure pass over the span tree, following Lens's
//! `zipkin-lens/src/zipkin/clock-skew.js`: only a CLIENT parent and its SERVER child on
//! different IPs where the server starts before the client; the latency is split evenly and the
//! skew is subtracted from the server and the spans below it on the same host (annotations
//! included). Headless traces and traces with several roots are left alone, as Lens does.
//!
//! The result is a per-span offset; nothing is mutated, so the viewer can switch it on and off
//! and show which spans moved and by how much.
use super::span::{Endpoint, Kind, Span};
use super::tree::{SpanTree, NONE};

/// Why no correction was attempted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkewSkipped {
    /// No root span: Lens cannot tell which clock is the reference.
    Headless,
    /// More than one parentless span: Lens skips "redundant root spans".
    SeveralRoots,
}

/// One span moved by the correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkewMove {
    /// Cleaned span index.
    pub span: u32,
    /// Microseconds added to its timestamp and annotations (negative: moved earlier).
    pub delta: i64,
}

/// The outcome of the clock-skew pass.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkewCorrection {
    /// Offset of every cleaned span (0 when not moved).
    pub delta: Vec<i64>,
    /// The spans that moved, in cleaned-index order.
    pub moved: Vec<SkewMove>,
    pub skipped: Option<SkewSkipped>,
}

impl SkewCorrection {
    /// The offset of span `i`.
    pub fn delta_of(&self, i: u32) -> i64 {
        self.delta.get(i as usize).copied().unwrap_or(0)
    }
}

/// The addresses of a span's local endpoint, as clock skew compares hosts; `None` for a span
/// without one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Host<'a> {
    pub ipv4: Option<&'a str>,
    pub ipv6: Option<&'a str>,
}

impl<'a> Host<'a> {
    pub fn of(endpoint: Option<&'a Endpoint>) -> Option<Host<'a>> {
        endpoint.map(|e| Host { ipv4: e.ipv4.as_deref(), ipv6: e.ipv6.as_deref() })
    }
}

/// `ipsMatch`: the same host when the IPv6 or IPv4 addresses agree; no address, no match.
pub(crate) fn same_host(a: Option<Host>, b: Option<Host>) -> bool {
    let (Some(a), Some(b)) = (a, b) else {
        return false;
    };
    if let (Some(x), Some(y)) = (a.ipv6, b.ipv6) {
        if x == y {
            return true;
        }
    }
    if a.ipv4.is_none() && b.ipv4.is_none() {
        return false;
    }
    a.ipv4 == b.ipv4
}

fn ips_match(a: Option<&Endpoint>, b: Option<&Endpoint>) -> bool {
    same_host(Host::of(a), Host::of(b))
}

/// A detected skew: the endpoint whose clock is off, and by how much.
#[derive(Clone, Copy)]
struct Skew {
    /// The span whose local endpoint is the skewed host.
    endpoint_of: u32,
    skew: i64,
}

fn shifted(ts: Option<u64>, delta: i64) -> Option<i64> {
    ts.filter(|t| *t != 0).map(|t| i64::try_from(t).unwrap_or(i64::MAX).saturating_add(delta))
}

/// `getClockSkew` for a parent/child pair, on already corrected timestamps.
fn clock_skew(spans: &[Span], delta: &[i64], parent: u32, child: u32) -> Option<Skew> {
    let p = spans.get(parent as usize)?;
    let c = spans.get(child as usize)?;
    if p.kind != Some(Kind::Client) || c.kind != Some(Kind::Server) {
        return None;
    }
    let client_ts = shifted(p.timestamp, delta.get(parent as usize).copied().unwrap_or(0))?;
    let server_ts = shifted(c.timestamp, delta.get(child as usize).copied().unwrap_or(0))?;
    c.local_endpoint.as_ref()?;
    p.local_endpoint.as_ref()?;
    if ips_match(c.local_endpoint.as_ref(), p.local_endpoint.as_ref()) {
        return None; // an RPC to itself has no skew
    }
    let skew = server_skew(client_ts, p.duration.unwrap_or(0), server_ts, c.duration.unwrap_or(0))?;
    Some(Skew { endpoint_of: child, skew })
}

/// The correction `getClockSkew` makes to a server on another host, from its and its client's
/// start (µs, already corrected) and duration (0: none); `None` when it needs none. Only a server
/// that starts at or before its client is moved. Also the search summaries' test for "nothing
/// here moves" (`summary::quick`), so the two cannot disagree.
pub(crate) fn server_skew(client_ts: i64, client_dur: u64, server_ts: i64, server_dur: u64) -> Option<i64> {
    if server_ts > client_ts {
        return None;
    }
    if client_dur == 0 || server_dur == 0 {
        // One way: push client and server apart by the minimum duration (1 µs).
        return Some(server_ts.saturating_sub(client_ts).saturating_sub(1));
    }
    let client_dur = i64::try_from(client_dur).unwrap_or(i64::MAX);
    let server_dur = i64::try_from(server_dur).unwrap_or(i64::MAX);
    if client_dur < server_dur {
        // The client finished first (async): the server still happened after it, by 1 µs.
        return Some(server_ts.saturating_sub(client_ts).saturating_sub(1));
    }
    // Latency is half the difference of the durations (whole microseconds).
    let latency = client_dur.saturating_sub(server_dur) / 2;
    let skew = server_ts.saturating_sub(latency).saturating_sub(client_ts);
    (skew != 0).then_some(skew)
}

/// Computes the correction for a cleaned trace and its tree. Iterative, O(n).
pub fn correct_skew(spans: &[Span], tree: &SpanTree) -> SkewCorrection {
    let n = spans.len();
    let mut out = SkewCorrection { delta: vec![0; n], ..SkewCorrection::default() };
    let Some(root) = tree.root else {
        out.skipped = Some(SkewSkipped::Headless);
        return out;
    };
    let several_roots = tree
        .children(root)
        .iter()
        .any(|&c| spans.get(c as usize).is_some_and(|s| s.parent_id.is_none() && s.shared != Some(true)));
    if several_roots {
        out.skipped = Some(SkewSkipped::SeveralRoots);
        return out;
    }
    // The skew each span passes to its children, filled in pre-order.
    let mut passed: Vec<Option<Skew>> = vec![None; n];
    for i in tree.preorder() {
        let iu = i as usize;
        let p = tree.parent.get(iu).copied().unwrap_or(NONE);
        let from_parent = if p == NONE { None } else { passed.get(p as usize).copied().flatten() };
        let local = spans.get(iu).and_then(|s| s.local_endpoint.as_ref());
        if let Some(s) = from_parent {
            let host = spans.get(s.endpoint_of as usize).and_then(|s| s.local_endpoint.as_ref());
            if ips_match(host, local) {
                out.delta[iu] = out.delta[iu].saturating_sub(s.skew);
            }
        }
        let own = if p == NONE { None } else { clock_skew(spans, &out.delta, p, i) };
        if let Some(s) = own {
            // The skewed host is this span's own, so adjust again (when it has an address).
            if ips_match(local, local) {
                out.delta[iu] = out.delta[iu].saturating_sub(s.skew);
            }
        }
        if let Some(slot) = passed.get_mut(iu) {
            *slot = own.or(from_parent);
        }
    }
    out.moved = (0..n as u32)
        .filter_map(|i| {
            let d = out.delta[i as usize];
            (d != 0).then_some(SkewMove { span: i, delta: d })
        })
        .collect();
    out
}
