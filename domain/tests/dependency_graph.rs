#![cfg(not(target_arch = "wasm32"))]
//! The dependency page's model on real link sets: Jaeger's 4,271-link sample and the links
//! Zipkin derives from the fixture traces. Timings are printed, not asserted (`make bench` owns budgets).
use spanscope_domain::dependency_graph::focus::{focus_links, service_detail};
use spanscope_domain::dependency_graph::scene::{Hit, NodeMark, Scene};
use spanscope_domain::dependency_graph::table::{table_rows, LinkSort};
use spanscope_domain::dependency_graph::view_state::{parse_view, Selection};
use spanscope_domain::dependency_graph::viewport::Viewport;
use spanscope_domain::dependency_links::DependencyLink;
use spanscope_domain::graph_layout::{layout_graph, LayoutOptions};
use std::collections::BTreeSet;
use std::time::Instant;

fn links(name: &str) -> Vec<DependencyLink> {
    let path = format!("{}/../../shared/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_slice(&std::fs::read(path).expect("fixture")).expect("links")
}

#[test]
fn large_graph_scene_is_complete_deterministic_and_hit_testable() {
    let input = links("dependencies/dependencies-large.json");
    assert_eq!(input.len(), 4271);
    let started = Instant::now();
    let layout = layout_graph(&input, &LayoutOptions::default());
    let laid_out = started.elapsed();
    let scene = Scene::build(layout, 0.5, 0.75);
    let built = started.elapsed();
    eprintln!(
        "dependencies-large: {} services, {} edges, {} batches; layout {laid_out:?}, layout+scene {built:?} (debug build is ~10x slower)",
        scene.layout.nodes.len(),
        scene.edges.len(),
        scene.batches.len()
    );

    // Every service placed once, every drawn link in exactly one batch.
    let names: BTreeSet<&str> = input.iter().flat_map(|l| [l.parent.as_str(), l.child.as_str()]).collect();
    assert_eq!(scene.layout.nodes.len(), names.len());
    let drawn = input.iter().filter(|l| l.parent != l.child).count();
    assert_eq!(scene.edges.len(), drawn);
    assert_eq!(scene.batches.iter().map(|b| b.edges.len()).sum::<usize>(), drawn);

    // No two circles of one layer overlap, and every node is inside the bounds to fit.
    let mut by_layer: Vec<Vec<usize>> = vec![Vec::new(); scene.layout.layers as usize];
    for (i, n) in scene.layout.nodes.iter().enumerate() {
        by_layer[n.layer as usize].push(i);
        assert!(scene.bounds.contains(n.x, n.y, 0.0), "{} outside the bounds", n.name);
    }
    for layer in &mut by_layer {
        layer.sort_by(|&a, &b| scene.layout.nodes[a].y.total_cmp(&scene.layout.nodes[b].y));
        for w in layer.windows(2) {
            let (a, b) = (&scene.layout.nodes[w[0]], &scene.layout.nodes[w[1]]);
            assert!(b.y - a.y > scene.radius[w[0]] + scene.radius[w[1]], "{} overlaps {}", a.name, b.name);
        }
    }

    // Clicking a service's centre finds that service, at any zoom's tolerance.
    let started = Instant::now();
    for (i, n) in scene.layout.nodes.iter().enumerate() {
        assert_eq!(scene.hit_test(n.x, n.y, 4.0), Some(Hit::Node(i as u32)), "{}", n.name);
    }
    eprintln!("hit-test: {:?} per query", started.elapsed() / scene.layout.nodes.len() as u32);

    // The same links in another order give the same picture.
    let mut shuffled = input.clone();
    shuffled.reverse();
    let again = Scene::build(layout_graph(&shuffled, &LayoutOptions::default()), 0.5, 0.75);
    assert_eq!(again.layout.nodes, scene.layout.nodes);
    assert_eq!(again.bounds, scene.bounds);

    // Fit to a 1400 x 800 screen shows everything.
    let v = Viewport::fit(scene.bounds, 1400.0, 800.0, 24.0);
    let (x0, y0) = v.to_screen(scene.bounds.x, scene.bounds.y);
    let (x1, y1) = v.to_screen(scene.bounds.x + scene.bounds.width, scene.bounds.y + scene.bounds.height);
    assert!(x0 >= 0.0 && y0 >= 0.0 && x1 <= 1400.0 && y1 <= 800.0);
}

#[test]
fn focusing_the_large_graph_on_its_busiest_service() {
    let input = links("dependencies/dependencies-large.json");
    let detail = service_detail(&input, "Service50").expect("Service50 is in the sample");
    let one = focus_links(&input, "Service50", 1);
    assert_eq!(one.matched, vec!["Service50"]);
    // One hop: exactly the links into and out of the service.
    assert_eq!(one.links.len(), detail.callers.len() + detail.callees.len());
    let two = focus_links(&input, "Service50", 2);
    assert!(two.links.len() > one.links.len() && two.links.len() < input.len());
    let scene = Scene::build(layout_graph(&one.links, &LayoutOptions::default()), 0.5, 0.75);
    let focus = scene.find(&Selection::Service("Service50".into()));
    let h = scene.highlight(focus);
    let lit = h.nodes.iter().filter(|m| !matches!(m, NodeMark::Dim)).count();
    assert_eq!(lit, scene.layout.nodes.len(), "with one hop every shown service is a caller or callee");
}

#[test]
fn fixture_links_fill_the_table_in_calls_order() {
    for name in ["yelp", "messaging-kafka", "skew", "smartthings-mobile-web-install"] {
        let input = links(&format!("zipkin/derived/{name}.dependencies.json"));
        let rows = table_rows(&input, "", LinkSort::default());
        assert_eq!(rows.len(), input.len(), "{name}");
        assert!(rows.windows(2).all(|w| input[w[0] as usize].call_count >= input[w[1] as usize].call_count));
        let scene = Scene::build(layout_graph(&input, &LayoutOptions::default()), 0.5, 0.75);
        assert_eq!(scene.edges.len(), input.iter().filter(|l| l.parent != l.child).count(), "{name}");
    }
    // A Lens link to the dependency page keeps its window.
    let state = parse_view("startTime=1571800000000&endTime=1571896375322");
    let window = state.range.window(0);
    assert_eq!((window.start_ms, window.end_ms), (1571800000000, 1571896375322));
}
