//! Focusing the graph: the services a filter names and their 1- or 2-hop neighbourhood, and
//! what the side panel says about a service (its callers and callees) or a link.
use super::style::error_rate;
use crate::dependency_links::DependencyLink;
use crate::sorting;
use std::collections::{HashMap, VecDeque};

/// The links to show for a filter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Focused {
    pub links: Vec<DependencyLink>,
    /// The services the filter matched (sorted); empty when the filter is empty or matched none.
    pub matched: Vec<String>,
}

/// Keeps the neighbourhood of the services the filter names. A filter equal to a service name
/// (ignoring case) names that service; otherwise every service whose name contains it. Within
/// `hops` (1 or 2) of those, links are kept when both ends are in the neighbourhood and one end
/// is nearer than `hops`, so the outer ring's links among themselves do not pull in clutter.
/// An empty filter keeps every link; a filter matching nothing keeps none. O(V + E).
pub fn focus_links(links: &[DependencyLink], filter: &str, hops: u32) -> Focused {
    let filter = filter.trim().to_lowercase();
    if filter.is_empty() {
        return Focused { links: links.to_vec(), matched: Vec::new() };
    }
    let mut names: Vec<&str> = links.iter().flat_map(|l| [l.parent.as_str(), l.child.as_str()]).collect();
    sorting::sort(&mut names);
    names.dedup();
    let exact: Vec<&str> = names.iter().copied().filter(|n| n.to_lowercase() == filter).collect();
    let matched: Vec<&str> = if exact.is_empty() {
        names.iter().copied().filter(|n| n.to_lowercase().contains(&filter)).collect()
    } else {
        exact
    };

    let mut neighbours: HashMap<&str, Vec<&str>> = HashMap::new();
    for l in links {
        neighbours.entry(l.parent.as_str()).or_default().push(l.child.as_str());
        neighbours.entry(l.child.as_str()).or_default().push(l.parent.as_str());
    }
    let hops = hops.clamp(1, 2);
    let mut distance: HashMap<&str, u32> = matched.iter().map(|n| (*n, 0)).collect();
    let mut queue: VecDeque<&str> = matched.iter().copied().collect();
    while let Some(v) = queue.pop_front() {
        let d = distance.get(v).copied().unwrap_or(0);
        if d >= hops {
            continue;
        }
        for &w in neighbours.get(v).map(Vec::as_slice).unwrap_or(&[]) {
            if !distance.contains_key(w) {
                distance.insert(w, d + 1);
                queue.push_back(w);
            }
        }
    }
    let kept = links
        .iter()
        .filter(|l| match (distance.get(l.parent.as_str()), distance.get(l.child.as_str())) {
            (Some(a), Some(b)) => (*a).min(*b) < hops,
            _ => false,
        })
        .cloned()
        .collect();
    Focused { links: kept, matched: matched.iter().map(|s| (*s).to_owned()).collect() }
}

/// A caller or callee of a service, with the calls and errors of the link between them.
#[derive(Debug, Clone, PartialEq)]
pub struct Peer {
    pub name: String,
    pub calls: u64,
    pub errors: u64,
}

impl Peer {
    /// Errors per call, 0..=1.
    pub fn error_rate(&self) -> f64 {
        error_rate(self.calls, self.errors)
    }
}

/// The side panel's account of one service.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceDetail {
    pub name: String,
    /// Services calling this one, busiest first.
    pub callers: Vec<Peer>,
    /// Services this one calls, busiest first.
    pub callees: Vec<Peer>,
    /// Calls into this service (from callers, and from itself when it calls itself).
    pub calls_in: u64,
    pub errors_in: u64,
    pub calls_out: u64,
    pub errors_out: u64,
}

/// Callers and callees of `service` among `links`; `None` when no link names it. Parallel links
/// (a list that was not merged) are summed per peer.
pub fn service_detail(links: &[DependencyLink], service: &str) -> Option<ServiceDetail> {
    let mut detail = ServiceDetail { name: service.to_owned(), ..ServiceDetail::default() };
    let mut found = false;
    // Index of each peer in its list, so parallel links add up in O(1).
    let mut caller_at: HashMap<&str, usize> = HashMap::new();
    let mut callee_at: HashMap<&str, usize> = HashMap::new();
    for l in links {
        if l.child == service {
            found = true;
            detail.calls_in = detail.calls_in.saturating_add(l.call_count);
            detail.errors_in = detail.errors_in.saturating_add(l.error_count);
            add_peer(&mut detail.callers, &mut caller_at, &l.parent, l);
        }
        if l.parent == service {
            found = true;
            detail.calls_out = detail.calls_out.saturating_add(l.call_count);
            detail.errors_out = detail.errors_out.saturating_add(l.error_count);
            add_peer(&mut detail.callees, &mut callee_at, &l.child, l);
        }
    }
    let busiest_first = |a: &Peer, b: &Peer| b.calls.cmp(&a.calls).then_with(|| a.name.cmp(&b.name));
    sorting::sort_by(&mut detail.callers, busiest_first);
    sorting::sort_by(&mut detail.callees, busiest_first);
    found.then_some(detail)
}

/// Adds a link's counts to the peer `name`, appending it on first sight.
fn add_peer<'a>(peers: &mut Vec<Peer>, at: &mut HashMap<&'a str, usize>, name: &'a str, l: &DependencyLink) {
    let i = *at.entry(name).or_insert_with(|| {
        peers.push(Peer { name: name.to_owned(), calls: 0, errors: 0 });
        peers.len() - 1
    });
    if let Some(p) = peers.get_mut(i) {
        p.calls = p.calls.saturating_add(l.call_count);
        p.errors = p.errors.saturating_add(l.error_count);
    }
}

/// The link from `parent` to `child` (parallel links summed), if there is one.
pub fn link_detail(links: &[DependencyLink], parent: &str, child: &str) -> Option<DependencyLink> {
    links.iter().filter(|l| l.parent == parent && l.child == child).fold(None, |acc, l| {
        let mut sum = acc.unwrap_or(DependencyLink {
            parent: parent.to_owned(),
            child: child.to_owned(),
            call_count: 0,
            error_count: 0,
        });
        sum.call_count = sum.call_count.saturating_add(l.call_count);
        sum.error_count = sum.error_count.saturating_add(l.error_count);
        Some(sum)
    })
}

/// Every service named by `links`, sorted (for the filter box's suggestions).
pub fn service_names(links: &[DependencyLink]) -> Vec<String> {
    let mut names: Vec<&str> = links.iter().flat_map(|l| [l.parent.as_str(), l.child.as_str()]).collect();
    sorting::sort(&mut names);
    names.dedup();
    names.into_iter().map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(a: &str, b: &str, calls: u64, errors: u64) -> DependencyLink {
        DependencyLink { parent: a.into(), child: b.into(), call_count: calls, error_count: errors }
    }

    fn chain() -> Vec<DependencyLink> {
        // a -> b -> c -> d -> e, plus x -> c and b -> x (a triangle at the 2-hop ring of a).
        vec![
            link("a", "b", 1, 0),
            link("b", "c", 1, 0),
            link("c", "d", 1, 0),
            link("d", "e", 1, 0),
            link("x", "c", 1, 0),
            link("b", "x", 1, 0),
        ]
    }

    #[test]
    fn one_and_two_hops() {
        let one = focus_links(&chain(), "B", 1);
        assert_eq!(one.matched, vec!["b"]);
        let pairs: Vec<(&str, &str)> = one.links.iter().map(|l| (l.parent.as_str(), l.child.as_str())).collect();
        assert_eq!(pairs, vec![("a", "b"), ("b", "c"), ("b", "x")]);
        let two = focus_links(&chain(), "b", 2);
        let pairs: Vec<(&str, &str)> = two.links.iter().map(|l| (l.parent.as_str(), l.child.as_str())).collect();
        // x -> c joins two 1-hop services, so it is kept; d -> e is 2 to 3 hops away.
        assert_eq!(pairs, vec![("a", "b"), ("b", "c"), ("c", "d"), ("x", "c"), ("b", "x")]);
    }

    #[test]
    fn substring_exact_empty_and_no_match() {
        let links = vec![link("api", "api-db", 1, 0), link("web", "api", 1, 0), link("batch", "db", 1, 0)];
        assert_eq!(focus_links(&links, "api", 1).matched, vec!["api"]);
        assert_eq!(focus_links(&links, "db", 1).matched, vec!["db"]);
        assert_eq!(focus_links(&links, "D", 1).matched, vec!["api-db", "db"]);
        assert_eq!(focus_links(&links, "", 1).links.len(), 3);
        assert!(focus_links(&links, "nope", 2).links.is_empty());
    }

    #[test]
    fn callers_and_callees() {
        let links = vec![
            link("web", "api", 10, 1),
            link("api", "db", 8, 6),
            link("cron", "api", 2, 0),
            link("api", "api", 3, 0),
        ];
        let d = service_detail(&links, "api").unwrap();
        let callers: Vec<&str> = d.callers.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(callers, vec!["web", "api", "cron"]);
        assert_eq!(d.callees[0], Peer { name: "db".into(), calls: 8, errors: 6 });
        assert_eq!((d.calls_in, d.errors_in, d.calls_out, d.errors_out), (15, 1, 11, 6));
        assert!((d.callees[0].error_rate() - 0.75).abs() < 1e-9);
        assert!(service_detail(&links, "nobody").is_none());
        assert_eq!(link_detail(&links, "api", "db").map(|l| l.error_count), Some(6));
    }
}
