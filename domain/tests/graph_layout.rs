#![cfg(not(target_arch = "wasm32"))]
//! The dependency graph layout on Jaeger's sample graphs and on links derived from the fixtures.
use spanscope_domain::dependency_links::DependencyLink;
use spanscope_domain::graph_layout::{layout_graph, GraphLayout, LayoutOptions};
use std::time::Instant;

fn links(name: &str) -> Vec<DependencyLink> {
    let path = format!("{}/../../shared/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Readability checks: every edge (not closing a cycle) flows left to right, nodes in a layer
/// keep the minimum gap, every service and link is placed once.
fn assert_readable(g: &GraphLayout, input: &[DependencyLink], opts: &LayoutOptions) {
    let names: std::collections::BTreeSet<&str> =
        input.iter().flat_map(|l| [l.parent.as_str(), l.child.as_str()]).collect();
    assert_eq!(g.nodes.len(), names.len());
    let drawn = input.iter().filter(|l| l.parent != l.child).count();
    assert_eq!(g.edges.len(), drawn);
    for e in &g.edges {
        let (a, b) = (&g.nodes[e.from as usize], &g.nodes[e.to as usize]);
        if e.reversed {
            assert!(a.layer > b.layer);
        } else {
            assert!(a.layer < b.layer, "{} -> {}", a.name, b.name);
        }
        assert_eq!(e.points.first(), Some(&(a.x, a.y)));
        assert_eq!(e.points.last(), Some(&(b.x, b.y)));
        assert!(e.points.windows(2).all(|w| if e.reversed { w[0].0 > w[1].0 } else { w[0].0 < w[1].0 }));
    }
    let mut by_layer: Vec<Vec<&spanscope_domain::graph_layout::LayoutNode>> = vec![Vec::new(); g.layers as usize];
    for n in &g.nodes {
        by_layer[n.layer as usize].push(n);
        assert!(n.x.is_finite() && n.y.is_finite() && n.y >= 0.0 && n.y <= g.height);
    }
    for layer in &mut by_layer {
        layer.sort_by_key(|n| n.order);
        for w in layer.windows(2) {
            assert!(w[1].y - w[0].y >= opts.node_gap - 1e-6, "overlap in a layer");
        }
    }
}

#[test]
fn small_graph() {
    let input = links("dependencies/dependencies-small.json");
    let opts = LayoutOptions::default();
    let g = layout_graph(&input, &opts);
    assert_readable(&g, &input, &opts);
    assert!(g.layers >= 2);
}

#[test]
fn large_graph_is_fast_deterministic_and_readable() {
    let input = links("dependencies/dependencies-large.json");
    assert_eq!(input.len(), 4271);
    let opts = LayoutOptions::default();
    let t = Instant::now();
    let g = layout_graph(&input, &opts);
    let took = t.elapsed();
    assert_readable(&g, &input, &opts);
    assert_eq!(g.nodes.len(), 1238);
    // Debug builds are ~10x slower than release; this still catches a quadratic blow-up.
    assert!(took.as_secs_f64() < 5.0, "layout took {took:?}");
    let mut shuffled = input.clone();
    shuffled.reverse();
    let again = layout_graph(&shuffled, &opts);
    assert!(again.nodes == g.nodes, "node placement must not depend on link order");
    eprintln!("large graph: {} layers, {:.0} x {:.0}, {took:?}", g.layers, g.width, g.height);
}
