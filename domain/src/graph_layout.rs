//! A deterministic layered (Sugiyama-style) layout of the service dependency graph, flowing left
//! to right: cycle removal (DFS back edges reversed), layering (longest path, then sources pulled
//! next to their first callee), long edges split by dummy points, crossing reduction (barycentre
//! sweeps), and coordinates (layers as columns, nodes pulled towards their neighbours without
//! reordering). Replaces Lens's archived Vizceral graph; fast enough for thousands of links
//! (`dependencies-large.json`: 1,238 services, 4,271 links). Same links in, same picture out.
use super::dependency_links::DependencyLink;
use super::sorting;
use std::collections::{BTreeSet, HashMap};

/// Spacing of the layout, in abstract units (pixels at zoom 1).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LayoutOptions {
    /// Distance between layers (columns).
    pub layer_gap: f64,
    /// Minimum distance between nodes in one layer.
    pub node_gap: f64,
    /// Barycentre sweeps (down and up count as one).
    pub sweeps: usize,
    /// Above this many dummy points, long edges are drawn straight (keeps huge graphs fast).
    pub max_dummies: usize,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions { layer_gap: 220.0, node_gap: 40.0, sweeps: 6, max_dummies: 200_000 }
    }
}

/// A service placed on the canvas.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutNode {
    pub name: String,
    pub layer: u32,
    /// Position within its layer, top to bottom.
    pub order: u32,
    pub x: f64,
    pub y: f64,
    /// Calls into and out of this service (sums of `callCount`).
    pub calls_in: u64,
    pub calls_out: u64,
    pub errors_in: u64,
    /// The service calls itself (a self-link is not drawn as an edge).
    pub self_calls: u64,
}

/// A link drawn as a polyline from the parent to the child.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutEdge {
    /// Index of the link in the input.
    pub link: u32,
    pub from: u32,
    pub to: u32,
    /// Points from the parent to the child (node centres at both ends).
    pub points: Vec<(f64, f64)>,
    /// Drawn against the flow because it closed a cycle.
    pub reversed: bool,
    pub call_count: u64,
    pub error_count: u64,
}

/// The laid-out graph; nodes sorted by name, so an index is stable for the same links.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GraphLayout {
    pub nodes: Vec<LayoutNode>,
    pub edges: Vec<LayoutEdge>,
    pub width: f64,
    pub height: f64,
    pub layers: u32,
}

impl GraphLayout {
    /// Index of the node with this name.
    pub fn node_index(&self, name: &str) -> Option<u32> {
        self.nodes.binary_search_by(|n| n.name.as_str().cmp(name)).ok().map(|i| i as u32)
    }
}

/// Lays out dependency links. O((V + E + D) log V · sweeps), D = dummy points; never panics.
pub fn layout_graph(links: &[DependencyLink], opts: &LayoutOptions) -> GraphLayout {
    let names: BTreeSet<&str> = links.iter().flat_map(|l| [l.parent.as_str(), l.child.as_str()]).collect();
    let names: Vec<&str> = names.into_iter().collect();
    let index: HashMap<&str, u32> = names.iter().enumerate().map(|(i, n)| (*n, i as u32)).collect();
    let n = names.len();
    let mut nodes: Vec<LayoutNode> = names
        .iter()
        .map(|name| LayoutNode {
            name: (*name).to_owned(),
            layer: 0,
            order: 0,
            x: 0.0,
            y: 0.0,
            calls_in: 0,
            calls_out: 0,
            errors_in: 0,
            self_calls: 0,
        })
        .collect();

    // Distinct directed edges between different nodes (parallel links share one).
    let mut edge_of: HashMap<(u32, u32), usize> = HashMap::new();
    let mut dag_edges: Vec<(u32, u32)> = Vec::new();
    let mut link_ends: Vec<(u32, u32)> = Vec::with_capacity(links.len());
    for l in links {
        let (Some(&a), Some(&b)) = (index.get(l.parent.as_str()), index.get(l.child.as_str())) else {
            link_ends.push((0, 0));
            continue;
        };
        link_ends.push((a, b));
        if let Some(na) = nodes.get_mut(a as usize) {
            na.calls_out += l.call_count;
        }
        if let Some(nb) = nodes.get_mut(b as usize) {
            nb.calls_in += l.call_count;
            nb.errors_in += l.error_count;
            if a == b {
                nb.self_calls += l.call_count;
            }
        }
        if a != b {
            edge_of.entry((a, b)).or_insert_with(|| {
                dag_edges.push((a, b));
                dag_edges.len() - 1
            });
        }
    }

    // Edge order must not depend on link order (dummies and ties are created in this order).
    let mut sorted: Vec<(u32, u32)> = dag_edges.clone();
    sorting::sort(&mut sorted);
    for (k, &(a, b)) in sorted.iter().enumerate() {
        edge_of.insert((a, b), k);
    }
    dag_edges = sorted;
    let reversed = remove_cycles(n, &mut dag_edges);
    let layer = assign_layers(n, &dag_edges);
    let layers = layer.iter().copied().max().map_or(0, |m| m + 1);

    // Virtual graph: real nodes, then dummies; each DAG edge becomes a chain of segments.
    let mut vlayer: Vec<u32> = layer.clone();
    let mut chains: Vec<Vec<u32>> = Vec::with_capacity(dag_edges.len());
    let total_span: usize = dag_edges
        .iter()
        .map(|&(a, b)| (layer[b as usize].saturating_sub(layer[a as usize]) as usize).saturating_sub(1))
        .sum();
    let use_dummies = total_span <= opts.max_dummies;
    for &(a, b) in &dag_edges {
        let mut chain = vec![a];
        if use_dummies {
            for l in layer[a as usize] + 1..layer[b as usize] {
                vlayer.push(l);
                chain.push(vlayer.len() as u32 - 1);
            }
        }
        chain.push(b);
        chains.push(chain);
    }
    let vn = vlayer.len();
    let mut up: Vec<Vec<u32>> = vec![Vec::new(); vn];
    let mut down: Vec<Vec<u32>> = vec![Vec::new(); vn];
    for chain in &chains {
        for w in chain.windows(2) {
            down[w[0] as usize].push(w[1]);
            up[w[1] as usize].push(w[0]);
        }
    }

    // Initial order: layer by layer, nodes by name (dummies after, in creation order), then
    // barycentre sweeps; ties keep the previous order so the result is deterministic.
    let mut by_layer: Vec<Vec<u32>> = vec![Vec::new(); layers as usize];
    for v in 0..vn as u32 {
        if let Some(l) = by_layer.get_mut(vlayer[v as usize] as usize) {
            l.push(v);
        }
    }
    let mut pos = vec![0f64; vn];
    let set_pos = |by_layer: &Vec<Vec<u32>>, pos: &mut Vec<f64>| {
        for layer_nodes in by_layer {
            for (i, &v) in layer_nodes.iter().enumerate() {
                pos[v as usize] = i as f64;
            }
        }
    };
    set_pos(&by_layer, &mut pos);
    for sweep in 0..opts.sweeps {
        let downward = sweep % 2 == 0;
        let order: Vec<usize> = if downward {
            (1..by_layer.len()).collect()
        } else {
            (0..by_layer.len().saturating_sub(1)).rev().collect()
        };
        for li in order {
            let adj = if downward { &up } else { &down };
            let Some(layer_nodes) = by_layer.get_mut(li) else { continue };
            // By barycentre, ties by current place (a whole number, unique in the layer), packed
            // into one integer per node: this sort runs for every layer of every sweep.
            let mut keyed: Vec<u128> = layer_nodes
                .iter()
                .map(|&v| {
                    let ns = &adj[v as usize];
                    let own = pos[v as usize];
                    let bc = if ns.is_empty() {
                        own
                    } else {
                        ns.iter().map(|&u| pos[u as usize]).sum::<f64>() / ns.len() as f64
                    };
                    (u128::from(sorting::f64_key(bc)) << 64) | (u128::from(own as u32) << 32) | u128::from(v)
                })
                .collect();
            keyed.sort_unstable();
            for (i, &key) in keyed.iter().enumerate() {
                let v = key as u32;
                layer_nodes[i] = v;
                pos[v as usize] = i as f64;
            }
        }
    }

    // Coordinates: x by layer; y packed in order, pulled towards the neighbours' mean.
    // Dummy points (bends of long edges) need far less room than services.
    let size = |v: u32| if (v as usize) < n { opts.node_gap } else { opts.node_gap / 5.0 };
    let gap = |a: u32, b: u32| (size(a) + size(b)) / 2.0;
    let mut y = vec![0f64; vn];
    let extent = |l: &Vec<u32>| l.windows(2).map(|w| gap(w[0], w[1])).sum::<f64>();
    let tallest = by_layer.iter().map(extent).fold(0.0, f64::max);
    for layer_nodes in &by_layer {
        let mut at = (tallest - extent(layer_nodes)) / 2.0;
        for (i, &v) in layer_nodes.iter().enumerate() {
            if i > 0 {
                at += gap(layer_nodes[i - 1], v);
            }
            y[v as usize] = at;
        }
    }
    for pass in 0..4 {
        let adj = if pass % 2 == 0 { &up } else { &down };
        for layer_nodes in &by_layer {
            let want: Vec<f64> = layer_nodes
                .iter()
                .map(|&v| {
                    let ns = &adj[v as usize];
                    if ns.is_empty() {
                        y[v as usize]
                    } else {
                        ns.iter().map(|&u| y[u as usize]).sum::<f64>() / ns.len() as f64
                    }
                })
                .collect();
            // Keep the order and the gap: pack downwards and upwards from the wished positions and
            // take the mean of the two (both keep the gap, so their mean does).
            let mut down_pack = want.clone();
            for i in 1..down_pack.len() {
                down_pack[i] = down_pack[i].max(down_pack[i - 1] + gap(layer_nodes[i - 1], layer_nodes[i]));
            }
            let mut up_pack = want;
            for i in (0..up_pack.len().saturating_sub(1)).rev() {
                up_pack[i] = up_pack[i].min(up_pack[i + 1] - gap(layer_nodes[i], layer_nodes[i + 1]));
            }
            for (k, &v) in layer_nodes.iter().enumerate() {
                y[v as usize] = (down_pack[k] + up_pack[k]) / 2.0;
            }
        }
    }
    let min_y = y.iter().copied().fold(f64::INFINITY, f64::min);
    let shift = if min_y.is_finite() { opts.node_gap / 2.0 - min_y } else { 0.0 };
    for v in y.iter_mut() {
        *v += shift;
    }
    let xs = |v: u32| opts.layer_gap / 2.0 + vlayer[v as usize] as f64 * opts.layer_gap;

    for (li, layer_nodes) in by_layer.iter().enumerate() {
        for (k, &v) in layer_nodes.iter().enumerate() {
            if let Some(node) = nodes.get_mut(v as usize) {
                node.layer = li as u32;
                node.order = k as u32;
                node.x = xs(v);
                node.y = y[v as usize];
            }
        }
    }

    let mut edges = Vec::with_capacity(links.len());
    for (i, l) in links.iter().enumerate() {
        let (a, b) = link_ends[i];
        if a == b || index.get(l.parent.as_str()).is_none() {
            continue;
        }
        let Some(&e) = edge_of.get(&(a, b)) else { continue };
        let mut points: Vec<(f64, f64)> = chains[e].iter().map(|&v| (xs(v), y[v as usize])).collect();
        if reversed[e] {
            points.reverse();
        }
        edges.push(LayoutEdge {
            link: i as u32,
            from: a,
            to: b,
            points,
            reversed: reversed[e],
            call_count: l.call_count,
            error_count: l.error_count,
        });
    }
    let height = y.iter().copied().fold(0.0, f64::max) + opts.node_gap / 2.0;
    GraphLayout {
        nodes,
        edges,
        width: layers as f64 * opts.layer_gap,
        height: if vn == 0 { 0.0 } else { height },
        layers,
    }
}

/// Reverses DFS back edges (nodes visited by name) so the graph is acyclic; returns, per edge,
/// whether it was reversed. Iterative.
fn remove_cycles(n: usize, edges: &mut [(u32, u32)]) -> Vec<bool> {
    let mut out: Vec<Vec<(u32, usize)>> = vec![Vec::new(); n];
    for (e, &(a, b)) in edges.iter().enumerate() {
        out[a as usize].push((b, e));
    }
    for list in out.iter_mut() {
        sorting::sort(list);
    }
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut reversed = vec![false; edges.len()];
    let mut stack: Vec<(u32, usize)> = Vec::new();
    for s in 0..n as u32 {
        if state[s as usize] != 0 {
            continue;
        }
        state[s as usize] = 1;
        stack.push((s, 0));
        while let Some(&mut (v, ref mut next)) = stack.last_mut() {
            if let Some(&(w, e)) = out[v as usize].get(*next) {
                *next += 1;
                match state[w as usize] {
                    0 => {
                        state[w as usize] = 1;
                        stack.push((w, 0));
                    }
                    1 => reversed[e] = true,
                    _ => {}
                }
            } else {
                state[v as usize] = 2;
                stack.pop();
            }
        }
    }
    for (e, r) in reversed.iter().enumerate() {
        if *r {
            let (a, b) = edges[e];
            edges[e] = (b, a);
        }
    }
    reversed
}

/// Longest-path layering from the sources (Kahn's order), then each source moved right next to
/// its nearest callee so entry points do not dangle far to the left.
fn assign_layers(n: usize, edges: &[(u32, u32)]) -> Vec<u32> {
    let mut indeg = vec![0u32; n];
    let mut out: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(a, b) in edges {
        out[a as usize].push(b);
        indeg[b as usize] += 1;
    }
    let mut layer = vec![0u32; n];
    let mut queue: std::collections::VecDeque<u32> = (0..n as u32).filter(|&v| indeg[v as usize] == 0).collect();
    let mut remaining = indeg.clone();
    while let Some(v) = queue.pop_front() {
        for &w in &out[v as usize] {
            layer[w as usize] = layer[w as usize].max(layer[v as usize] + 1);
            remaining[w as usize] -= 1;
            if remaining[w as usize] == 0 {
                queue.push_back(w);
            }
        }
    }
    for v in 0..n {
        if indeg[v] == 0 {
            if let Some(min_child) = out[v].iter().map(|&w| layer[w as usize]).min() {
                layer[v] = min_child.saturating_sub(1);
            }
        }
    }
    layer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(a: &str, b: &str) -> DependencyLink {
        DependencyLink { parent: a.into(), child: b.into(), call_count: 1, error_count: 0 }
    }

    #[test]
    fn chain_flows_left_to_right_and_cycles_are_broken() {
        let g =
            layout_graph(&[link("a", "b"), link("b", "c"), link("c", "a"), link("a", "a")], &LayoutOptions::default());
        assert_eq!(g.nodes.len(), 3);
        assert_eq!(g.edges.len(), 3);
        assert_eq!(g.edges.iter().filter(|e| e.reversed).count(), 1);
        let a = g.node_index("a").unwrap() as usize;
        assert_eq!(g.nodes[a].self_calls, 1);
        for e in g.edges.iter().filter(|e| !e.reversed) {
            assert!(g.nodes[e.from as usize].layer < g.nodes[e.to as usize].layer);
        }
    }

    #[test]
    fn empty_input() {
        let g = layout_graph(&[], &LayoutOptions::default());
        assert!(g.nodes.is_empty() && g.edges.is_empty());
    }
}
