//! The drawable graph, built once per layout: node radii, edge paths trimmed to the circles with
//! an arrowhead at the callee, colour classes, edges grouped into batches of one style (a canvas
//! strokes each batch once per frame), the bounds to fit, hit-testing, and the highlight of a
//! hovered or selected service or link. Renderers (SVG or canvas) only paint what is here.
use super::style::{edge_width, error_level, node_radius, ErrorLevel};
use super::view_state::Selection;
use crate::graph_layout::GraphLayout;
use crate::rect::Rect;
use std::collections::{BTreeMap, HashSet};

/// One link ready to paint.
#[derive(Debug, Clone, PartialEq)]
pub struct SceneEdge {
    /// From the caller's circle to the base of the arrowhead.
    pub path: Vec<(f64, f64)>,
    /// Arrowhead triangle: tip (on the callee's circle), then the two base corners.
    pub arrow: [(f64, f64); 3],
    pub width: f64,
    pub level: ErrorLevel,
    /// Bounding box of path and arrow, for quick hit-test rejection.
    bbox: Rect,
}

/// Edges of one style, painted together.
#[derive(Debug, Clone, PartialEq)]
pub struct EdgeBatch {
    pub level: ErrorLevel,
    /// Width in layout units (edges are bucketed to quarter units).
    pub width: f64,
    pub edges: Vec<u32>,
}

/// What is under the pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Node(u32),
    Edge(u32),
}

/// How a node looks while something is highlighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeMark {
    /// Nothing is highlighted.
    Plain,
    /// Not related to the highlighted service or link.
    Dim,
    /// The hovered or selected service.
    Focus,
    /// Calls the focus.
    Caller,
    /// Is called by the focus.
    Callee,
    /// Both calls and is called by the focus.
    Both,
}

/// How an edge looks while something is highlighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeMark {
    Plain,
    Dim,
    /// Into the focused service (from a caller), or the selected link itself.
    Incoming,
    /// Out of the focused service (to a callee).
    Outgoing,
}

/// Marks for every node and edge; `active` is false when nothing is highlighted.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Highlight {
    pub active: bool,
    pub nodes: Vec<NodeMark>,
    pub edges: Vec<EdgeMark>,
}

impl Highlight {
    /// Edges not dimmed, for painting on top of the dimmed rest.
    pub fn lit_edges(&self) -> impl Iterator<Item = u32> + '_ {
        self.edges
            .iter()
            .enumerate()
            .filter(|(_, m)| !matches!(m, EdgeMark::Dim | EdgeMark::Plain))
            .map(|(i, _)| i as u32)
    }
}

/// The graph ready to paint.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scene {
    pub layout: GraphLayout,
    /// Per node, its radius.
    pub radius: Vec<f64>,
    /// Per layout edge.
    pub edges: Vec<SceneEdge>,
    pub batches: Vec<EdgeBatch>,
    /// Everything drawn, labels included (estimated), in layout units.
    pub bounds: Rect,
    /// Per node, the edges touching it.
    node_edges: Vec<Vec<u32>>,
}

/// Label font size in layout units, and the average glyph width used to estimate label extents.
pub const LABEL_SIZE: f64 = 12.0;
const GLYPH_WIDTH: f64 = 7.0;
/// The most characters a node's label draws: a 1,000-character service name otherwise widened the scene so much
/// that fitting it shrank every other label to 14% (issue 25). The full name stays in the node's accessible
/// name, its tooltip and the side panel.
pub const MAX_LABEL_CHARS: usize = 40;

/// What a node's label draws: its name, cut to `MAX_LABEL_CHARS` with an ellipsis.
pub fn node_label(name: &str) -> std::borrow::Cow<'_, str> {
    match name.char_indices().nth(MAX_LABEL_CHARS - 1) {
        Some((cut, _)) if name.chars().count() > MAX_LABEL_CHARS => format!("{}…", &name[..cut]).into(),
        _ => name.into(),
    }
}

/// Labels sit centred above their circle (edges leave nodes sideways, so a label beside a node
/// would sit on its edges), this far above the circle's top.
pub const LABEL_GAP: f64 = 3.0;

/// Above this many edges the graph is painted on a canvas: an SVG element per edge and node
/// makes pan and zoom frames miss 16 ms somewhere past a few hundred links.
pub const SVG_MAX_EDGES: usize = 400;

/// Below this zoom labels would be under ~7 px and unreadable, so renderers leave them out.
pub const LABEL_MIN_SCALE: f64 = 0.55;

impl Scene {
    /// Styles a layout with the error-rate thresholds (0..1). O(V + E + points).
    pub fn build(layout: GraphLayout, low_error_rate: f64, high_error_rate: f64) -> Scene {
        let traffic = |n: &crate::graph_layout::LayoutNode| n.calls_in.saturating_add(n.calls_out);
        let max_traffic = layout.nodes.iter().map(traffic).max().unwrap_or(0);
        let radius: Vec<f64> = layout.nodes.iter().map(|n| node_radius(traffic(n), max_traffic)).collect();
        let max_calls = layout.edges.iter().map(|e| e.call_count).max().unwrap_or(0);
        let mut node_edges: Vec<Vec<u32>> = vec![Vec::new(); layout.nodes.len()];
        let mut groups: BTreeMap<(ErrorLevel, u32), Vec<u32>> = BTreeMap::new();
        let mut edges = Vec::with_capacity(layout.edges.len());
        let twins: HashSet<(u32, u32)> = layout.edges.iter().map(|e| (e.from, e.to)).collect();
        for (i, e) in layout.edges.iter().enumerate() {
            let width = edge_width(e.call_count, max_calls);
            let level = error_level(e.call_count, e.error_count, low_error_rate, high_error_rate);
            let r_from = radius.get(e.from as usize).copied().unwrap_or(0.0);
            let r_to = radius.get(e.to as usize).copied().unwrap_or(0.0);
            // A pair calling each other would draw two arrows on one line: each moves to its own right.
            let offset = if twins.contains(&(e.to, e.from)) { width / 2.0 + 2.0 } else { 0.0 };
            edges.push(shape_edge(&shifted(&e.points, offset), r_from, r_to, width, level));
            for end in [e.from, e.to] {
                if let Some(list) = node_edges.get_mut(end as usize) {
                    list.push(i as u32);
                }
            }
            let bucket = (width * 4.0).round() as u32;
            groups.entry((level, bucket)).or_default().push(i as u32);
        }
        // Normal edges first so the warning and danger ones are painted on top.
        let batches = groups
            .into_iter()
            .map(|((level, bucket), edges)| EdgeBatch { level, width: bucket as f64 / 4.0, edges })
            .collect();
        let bounds = scene_bounds(&layout, &radius);
        Scene { layout, radius, edges, batches, bounds, node_edges }
    }

    /// True when this graph is too big for SVG.
    pub fn wants_canvas(&self) -> bool {
        self.edges.len() > SVG_MAX_EDGES || self.layout.nodes.len() > SVG_MAX_EDGES
    }

    /// The node or edge at a layout point, `tolerance` layout units around (a few pixels divided
    /// by the zoom). Nodes win over edges; among several, the nearest. O(V + E·points).
    pub fn hit_test(&self, x: f64, y: f64, tolerance: f64) -> Option<Hit> {
        let tolerance = if tolerance.is_finite() { tolerance.max(0.0) } else { 0.0 };
        let mut best: Option<(f64, u32)> = None;
        for (i, n) in self.layout.nodes.iter().enumerate() {
            let d = ((n.x - x).powi(2) + (n.y - y).powi(2)).sqrt() - self.radius.get(i).copied().unwrap_or(0.0);
            if d <= tolerance && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, i as u32));
            }
        }
        if let Some((_, i)) = best {
            return Some(Hit::Node(i));
        }
        let mut best: Option<(f64, u32)> = None;
        for (i, e) in self.edges.iter().enumerate() {
            let reach = tolerance + e.width / 2.0;
            if !e.bbox.contains(x, y, reach) {
                continue;
            }
            let tip = e.arrow[0];
            let d = e
                .path
                .windows(2)
                .map(|w| segment_distance((x, y), w[0], w[1]))
                .chain(e.path.last().map(|&end| segment_distance((x, y), end, tip)))
                .fold(f64::INFINITY, f64::min);
            if d <= reach && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, i as u32));
            }
        }
        best.map(|(_, i)| Hit::Edge(i))
    }

    /// The node or edge a URL selection names in this scene, if it is drawn.
    pub fn find(&self, selection: &Selection) -> Option<Hit> {
        match selection {
            Selection::None => None,
            Selection::Service(name) => self.layout.node_index(name).map(Hit::Node),
            Selection::Link { parent, child } => {
                let (from, to) = (self.layout.node_index(parent)?, self.layout.node_index(child)?);
                self.layout.edges.iter().position(|e| e.from == from && e.to == to).map(|i| Hit::Edge(i as u32))
            }
        }
    }

    /// The selection a hit stands for (what goes into the URL on a click).
    pub fn selection_of(&self, hit: Hit) -> Selection {
        match hit {
            Hit::Node(i) => {
                self.layout.nodes.get(i as usize).map_or(Selection::None, |n| Selection::Service(n.name.clone()))
            }
            Hit::Edge(i) => match self.layout.edges.get(i as usize) {
                Some(e) => match (self.layout.nodes.get(e.from as usize), self.layout.nodes.get(e.to as usize)) {
                    (Some(a), Some(b)) => Selection::Link { parent: a.name.clone(), child: b.name.clone() },
                    _ => Selection::None,
                },
                None => Selection::None,
            },
        }
    }

    /// Marks for a focused service (its callers and callees lit, the rest dimmed) or a focused
    /// link (it and its two ends lit). O(V + E).
    pub fn highlight(&self, focus: Option<Hit>) -> Highlight {
        let (nn, ne) = (self.layout.nodes.len(), self.edges.len());
        let Some(focus) = focus else {
            return Highlight { active: false, nodes: vec![NodeMark::Plain; nn], edges: vec![EdgeMark::Plain; ne] };
        };
        let mut nodes = vec![NodeMark::Dim; nn];
        let mut edges = vec![EdgeMark::Dim; ne];
        let mark = |nodes: &mut Vec<NodeMark>, i: u32, m: NodeMark| {
            if let Some(slot) = nodes.get_mut(i as usize) {
                *slot = match (*slot, m) {
                    (NodeMark::Focus, _) => NodeMark::Focus,
                    (NodeMark::Caller, NodeMark::Callee) | (NodeMark::Callee, NodeMark::Caller) => NodeMark::Both,
                    (NodeMark::Both, _) => NodeMark::Both,
                    (_, m) => m,
                };
            }
        };
        match focus {
            Hit::Node(i) => {
                mark(&mut nodes, i, NodeMark::Focus);
                for &e in self.node_edges.get(i as usize).map(Vec::as_slice).unwrap_or(&[]) {
                    let Some(edge) = self.layout.edges.get(e as usize) else { continue };
                    if edge.from == i {
                        edges[e as usize] = EdgeMark::Outgoing;
                        mark(&mut nodes, edge.to, NodeMark::Callee);
                    } else {
                        edges[e as usize] = EdgeMark::Incoming;
                        mark(&mut nodes, edge.from, NodeMark::Caller);
                    }
                }
            }
            Hit::Edge(e) => {
                if let (Some(edge), Some(slot)) = (self.layout.edges.get(e as usize), edges.get_mut(e as usize)) {
                    *slot = EdgeMark::Incoming;
                    mark(&mut nodes, edge.from, NodeMark::Caller);
                    mark(&mut nodes, edge.to, NodeMark::Callee);
                }
            }
        }
        Highlight { active: true, nodes, edges }
    }

    /// What an edge says to a reader (its tooltip and accessible name): caller, callee and the
    /// link's counts, e.g. `web → api: 2 calls, 1 error`. `None` for an index not in the scene.
    pub fn edge_label(&self, edge: u32) -> Option<String> {
        let e = self.layout.edges.get(edge as usize)?;
        let (from, to) = (self.layout.nodes.get(e.from as usize)?, self.layout.nodes.get(e.to as usize)?);
        let plural = |n: u64, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
        let errors = if e.error_count > 0 { format!(", {}", plural(e.error_count, "error")) } else { String::new() };
        Some(format!("{} → {}: {}{errors}", from.name, to.name, plural(e.call_count, "call")))
    }

    /// Indices of the nodes inside `area` (grown by a label's width), for label culling.
    pub fn nodes_in(&self, area: Rect) -> impl Iterator<Item = u32> + '_ {
        self.layout
            .nodes
            .iter()
            .enumerate()
            .filter(move |(_, n)| {
                area.contains(n.x, n.y, 40.0 + node_label(&n.name).chars().count() as f64 * GLYPH_WIDTH / 2.0)
            })
            .map(|(i, _)| i as u32)
    }
}

/// Trims a parent-to-child polyline to the two circles and adds the arrowhead at the child.
fn shape_edge(points: &[(f64, f64)], r_from: f64, r_to: f64, width: f64, level: ErrorLevel) -> SceneEdge {
    let mut path: Vec<(f64, f64)> = points.to_vec();
    if path.len() < 2 {
        let p = path.first().copied().unwrap_or((0.0, 0.0));
        path = vec![p, p];
    }
    let n = path.len();
    let start_dir = direction(path[0], path[1]);
    path[0] = (path[0].0 + start_dir.0 * r_from, path[0].1 + start_dir.1 * r_from);
    let end_dir = direction(path[n - 2], path[n - 1]);
    let tip = (path[n - 1].0 - end_dir.0 * r_to, path[n - 1].1 - end_dir.1 * r_to);
    // Arrowheads grow a little with the line so a thick edge still shows its direction.
    let (length, half) = (7.0 + width, 3.5 + width * 0.75);
    let base = (tip.0 - end_dir.0 * length, tip.1 - end_dir.1 * length);
    let normal = (-end_dir.1, end_dir.0);
    let arrow = [
        tip,
        (base.0 + normal.0 * half, base.1 + normal.1 * half),
        (base.0 - normal.0 * half, base.1 - normal.1 * half),
    ];
    path[n - 1] = base;
    let (mut min_x, mut min_y, mut max_x, mut max_y) =
        (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for &(x, y) in path.iter().chain(arrow.iter()) {
        min_x = min_x.min(x);
        min_y = min_y.min(y);
        max_x = max_x.max(x);
        max_y = max_y.max(y);
    }
    SceneEdge {
        path,
        arrow,
        width,
        level,
        bbox: Rect { x: min_x, y: min_y, width: max_x - min_x, height: max_y - min_y },
    }
}

/// The polyline moved `by` units to the right of its overall direction (first to last point).
fn shifted(points: &[(f64, f64)], by: f64) -> Vec<(f64, f64)> {
    if by == 0.0 || points.len() < 2 {
        return points.to_vec();
    }
    let d = direction(points[0], points[points.len() - 1]);
    let (nx, ny) = (-d.1 * by, d.0 * by);
    points.iter().map(|&(x, y)| (x + nx, y + ny)).collect()
}

/// Unit vector from `a` to `b`; to the right when they coincide.
fn direction(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len = (dx * dx + dy * dy).sqrt();
    if len > 1e-9 && len.is_finite() {
        (dx / len, dy / len)
    } else {
        (1.0, 0.0)
    }
}

/// Distance from `p` to the segment `a`-`b`.
fn segment_distance(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 { (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0) } else { 0.0 };
    let (cx, cy) = (a.0 + t * dx, a.1 + t * dy);
    ((p.0 - cx).powi(2) + (p.1 - cy).powi(2)).sqrt()
}

/// Nodes with their circles and the labels centred above them, and every edge point.
fn scene_bounds(layout: &GraphLayout, radius: &[f64]) -> Rect {
    if layout.nodes.is_empty() {
        return Rect::default();
    }
    let (mut min_x, mut min_y, mut max_x, mut max_y) =
        (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for (i, n) in layout.nodes.iter().enumerate() {
        let r = radius.get(i).copied().unwrap_or(0.0);
        let half_label = node_label(&n.name).chars().count() as f64 * GLYPH_WIDTH / 2.0;
        min_x = min_x.min(n.x - r.max(half_label));
        max_x = max_x.max(n.x + r.max(half_label));
        min_y = min_y.min(n.y - r - LABEL_GAP - LABEL_SIZE);
        max_y = max_y.max(n.y + r);
    }
    for e in &layout.edges {
        for &(x, y) in &e.points {
            min_y = min_y.min(y);
            max_y = max_y.max(y);
            min_x = min_x.min(x);
            max_x = max_x.max(x);
        }
    }
    Rect { x: min_x, y: min_y, width: max_x - min_x, height: max_y - min_y }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dependency_links::DependencyLink;

    #[test]
    fn long_names_are_cut_for_drawing_only() {
        assert_eq!(node_label("checkout"), "checkout");
        let forty = "s".repeat(40);
        assert_eq!(node_label(&forty), forty);
        let long = "é".repeat(1_000);
        assert_eq!(node_label(&long), format!("{}…", "é".repeat(39)));
    }
    use crate::graph_layout::{layout_graph, LayoutOptions};

    fn scene() -> Scene {
        let link = |a: &str, b: &str, calls, errors| DependencyLink {
            parent: a.into(),
            child: b.into(),
            call_count: calls,
            error_count: errors,
        };
        let links = vec![link("web", "api", 100, 0), link("api", "db", 10, 9), link("cron", "db", 1, 0)];
        Scene::build(layout_graph(&links, &LayoutOptions::default()), 0.5, 0.75)
    }

    #[test]
    fn styles_batches_and_arrows() {
        let s = scene();
        assert_eq!(s.edges.len(), 3);
        let api_db = s.find(&Selection::Link { parent: "api".into(), child: "db".into() }).unwrap();
        let Hit::Edge(e) = api_db else { panic!("an edge") };
        assert_eq!(s.edges[e as usize].level, ErrorLevel::High);
        assert_eq!(s.batches.iter().map(|b| b.edges.len()).sum::<usize>(), 3);
        assert!(s.batches.windows(2).all(|w| w[0].level <= w[1].level));
        // The arrow's tip sits on the callee's circle.
        let db = s.layout.node_index("db").unwrap() as usize;
        let tip = s.edges[e as usize].arrow[0];
        let d = ((tip.0 - s.layout.nodes[db].x).powi(2) + (tip.1 - s.layout.nodes[db].y).powi(2)).sqrt();
        assert!((d - s.radius[db]).abs() < 1e-6);
        for n in &s.layout.nodes {
            assert!(s.bounds.contains(n.x, n.y, 0.0));
        }
    }

    #[test]
    fn hits_nodes_then_edges_and_nothing_elsewhere() {
        let s = scene();
        let api = s.layout.node_index("api").unwrap();
        let n = &s.layout.nodes[api as usize];
        assert_eq!(s.hit_test(n.x + 2.0, n.y, 3.0), Some(Hit::Node(api)));
        let e = &s.edges[0];
        let mid = ((e.path[0].0 + e.path[1].0) / 2.0, (e.path[0].1 + e.path[1].1) / 2.0);
        assert_eq!(s.hit_test(mid.0, mid.1 + 1.0, 3.0), Some(Hit::Edge(0)));
        assert_eq!(s.hit_test(-500.0, -500.0, 3.0), None);
        assert_eq!(s.selection_of(Hit::Node(api)), Selection::Service("api".into()));
    }

    #[test]
    fn edge_labels_name_both_ends_and_count_calls_and_errors() {
        let s = scene();
        let label = |parent: &str, child: &str| {
            let Some(Hit::Edge(e)) = s.find(&Selection::Link { parent: parent.into(), child: child.into() }) else {
                panic!("{parent} -> {child} is drawn")
            };
            s.edge_label(e).unwrap()
        };
        assert_eq!(label("web", "api"), "web → api: 100 calls");
        assert_eq!(label("api", "db"), "api → db: 10 calls, 9 errors");
        assert_eq!(label("cron", "db"), "cron → db: 1 call");
        assert_eq!(s.edge_label(3), None);
    }

    #[test]
    fn highlight_marks_callers_and_callees() {
        let s = scene();
        let api = s.layout.node_index("api").unwrap();
        let h = s.highlight(Some(Hit::Node(api)));
        let mark = |name: &str| h.nodes[s.layout.node_index(name).unwrap() as usize];
        assert_eq!(
            (mark("api"), mark("web"), mark("db"), mark("cron")),
            (NodeMark::Focus, NodeMark::Caller, NodeMark::Callee, NodeMark::Dim)
        );
        assert_eq!(h.lit_edges().count(), 2);
        assert!(!s.highlight(None).active);
    }
}
