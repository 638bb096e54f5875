//! Everything the dependency page computes, apart from painting: the page's URL state (time
//! range, filter, selection), the focused sub-graph, callers and callees, edge and node styles,
//! the drawable scene built once per layout, hit-testing, pan/zoom maths and the table's order.
//! The UI (`src/ui/pages/dependency*`) only wires these to the DOM and a canvas.
//!
//! ```
//! use spanscope_domain::dependency_graph::{focus, scene, view_state};
//! use spanscope_domain::dependency_links::DependencyLink;
//! use spanscope_domain::graph_layout::{layout_graph, LayoutOptions};
//!
//! let link = |p: &str, c: &str, calls, errors| DependencyLink {
//!     parent: p.into(), child: c.into(), call_count: calls, error_count: errors,
//! };
//! let links = vec![link("web", "api", 10, 0), link("api", "db", 8, 6), link("batch", "db", 2, 0)];
//! let state = view_state::parse_view("filter=api&hops=1");
//! let shown = focus::focus_links(&links, &state.filter, state.hops);
//! assert_eq!(shown.links.len(), 2); // web -> api, api -> db
//! let layout = layout_graph(&shown.links, &LayoutOptions::default());
//! let scene = scene::Scene::build(layout, 0.5, 0.75);
//! let api = scene.layout.node_index("api").unwrap();
//! let hit = scene.hit_test(scene.layout.nodes[api as usize].x, scene.layout.nodes[api as usize].y, 4.0);
//! assert_eq!(hit, Some(scene::Hit::Node(api)));
//! ```
pub mod focus;
pub mod range;
pub mod scene;
pub mod style;
pub mod table;
pub mod view_state;
pub mod viewport;
