//! Paints a big scene on a canvas. The edges of each style become one `Path2D` per scene (built
//! once, in layout units), so a frame is a transform plus a few dozen strokes however many links
//! there are; labels are painted only when readable and in view. Repaints happen on the next
//! animation frame after something changed (scene, highlight, pan/zoom, size, theme), never more.
//! During a pan a frame only moves the last full picture (one blit); the full paint follows when
//! the pan pauses, so dragging stays within a frame's budget on a software-rendered canvas.
use super::dom::{css_var, theme_version, FrameScheduler};
use crate::ui::shared::Shared;
use leptos::html::Canvas;
use leptos::prelude::*;
use spanscope_domain::dependency_graph::scene::{
    node_label, Highlight, Hit, NodeMark, Scene, LABEL_GAP, LABEL_MIN_SCALE,
};
use spanscope_domain::dependency_graph::style::ErrorLevel;
use spanscope_domain::dependency_graph::viewport::Viewport;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, Path2d};

/// Past this many lit services, their labels are not painted while zoomed out (they would pile up).
const MAX_FLOATING_LABELS: usize = 300;
/// Below this zoom the graph is an overview: faint ordinary edges, services as dots.
const OVERVIEW_SCALE: f64 = 0.2;
const OVERVIEW_ALPHA: f64 = 0.35;
/// Screen size of a service's dot in the overview.
const MIN_DOT_PX: f64 = 3.0;
/// Opacity of everything unrelated to the hovered or selected service.
const DIM_ALPHA: f64 = 0.15;
/// While a pan goes on, frames move the last full picture; the full repaint follows this long
/// after the last move (a full paint of thousands of links costs more than a frame's budget).
const SETTLE_MS: i32 = 120;

/// Everything but the pan offset that goes into a picture: a change here needs a full paint.
type PictureKey = (usize, usize, Option<Hit>, (u32, u32), u32);

/// The last full picture, kept to move it around during a pan.
struct Snapshot {
    canvas: HtmlCanvasElement,
    view: Viewport,
    key: PictureKey,
}

/// The scene's static geometry as canvas paths.
struct ScenePaths {
    scene_id: usize,
    /// Per batch: colour class, width, the polylines and the arrowheads.
    batches: Vec<(ErrorLevel, f64, Path2d, Path2d)>,
    nodes: Path2d,
}

impl ScenePaths {
    fn build(scene: &Shared<Scene>) -> Option<ScenePaths> {
        let mut batches = Vec::with_capacity(scene.batches.len());
        for batch in &scene.batches {
            let (lines, arrows) = (Path2d::new().ok()?, Path2d::new().ok()?);
            for &e in &batch.edges {
                let Some(edge) = scene.edges.get(e as usize) else { continue };
                trace_edge(&lines, &arrows, &edge.path, &edge.arrow);
            }
            batches.push((batch.level, batch.width, lines, arrows));
        }
        let nodes = Path2d::new().ok()?;
        for (i, n) in scene.layout.nodes.iter().enumerate() {
            let r = scene.radius.get(i).copied().unwrap_or(4.0);
            nodes.move_to(n.x + r, n.y);
            let _ = nodes.arc(n.x, n.y, r, 0.0, std::f64::consts::TAU);
        }
        Some(ScenePaths { scene_id: scene.id(), batches, nodes })
    }
}

fn trace_edge(lines: &Path2d, arrows: &Path2d, path: &[(f64, f64)], arrow: &[(f64, f64); 3]) {
    if let Some((first, rest)) = path.split_first() {
        lines.move_to(first.0, first.1);
        for p in rest {
            lines.line_to(p.0, p.1);
        }
    }
    arrows.move_to(arrow[0].0, arrow[0].1);
    arrows.line_to(arrow[1].0, arrow[1].1);
    arrows.line_to(arrow[2].0, arrow[2].1);
    arrows.close_path();
}

/// Colours from the theme's CSS custom properties (see style/dependency.css).
struct Colours {
    edge: [String; 3],
    node: String,
    node_stroke: String,
    label: String,
    halo: String,
    focus: String,
    caller: String,
    callee: String,
}

impl Colours {
    fn read(canvas: &HtmlCanvasElement) -> Colours {
        let style = window().get_computed_style(canvas).ok().flatten();
        let get = |name: &str, fallback: &str| {
            let v = style.as_ref().map(|s| css_var(s, name)).unwrap_or_default();
            if v.is_empty() {
                fallback.to_string()
            } else {
                v
            }
        };
        Colours {
            edge: [
                get("--dep-edge", "#8a94a6"),
                get("--dep-edge-warning", "#d08700"),
                get("--dep-edge-danger", "#d32f2f"),
            ],
            node: get("--dep-node", "#0b62d6"),
            node_stroke: get("--dep-node-stroke", "#ffffff"),
            label: get("--fg", "#1b1f24"),
            halo: get("--bg", "#ffffff"),
            focus: get("--dep-focus", "#f59e0b"),
            caller: get("--dep-caller", "#7b3fe4"),
            callee: get("--dep-callee", "#1b7f3b"),
        }
    }

    fn edge(&self, level: ErrorLevel) -> &str {
        match level {
            ErrorLevel::Normal => &self.edge[0],
            ErrorLevel::Low => &self.edge[1],
            ErrorLevel::High => &self.edge[2],
        }
    }

    fn mark(&self, mark: NodeMark) -> Option<&str> {
        match mark {
            NodeMark::Plain | NodeMark::Dim => None,
            NodeMark::Focus => Some(&self.focus),
            NodeMark::Caller | NodeMark::Both => Some(&self.caller),
            NodeMark::Callee => Some(&self.callee),
        }
    }
}

/// What one frame paints.
struct Frame<'a> {
    ctx: &'a CanvasRenderingContext2d,
    scene: &'a Scene,
    paths: &'a ScenePaths,
    highlight: &'a Highlight,
    view: Viewport,
    size: (f64, f64),
    dpr: f64,
    selected: Option<Hit>,
    colours: Colours,
}

impl Frame<'_> {
    fn paint(&self) {
        let (ctx, v, dpr) = (self.ctx, self.view, self.dpr);
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        ctx.clear_rect(0.0, 0.0, self.size.0, self.size.1);
        let _ = ctx.set_transform(dpr * v.scale, 0.0, 0.0, dpr * v.scale, dpr * v.offset_x, dpr * v.offset_y);
        ctx.set_line_join("round");
        // Never thinner than ~0.7 px on screen, or a zoomed-out graph disappears.
        let min_width = 0.7 / v.scale;
        let base_alpha = if self.highlight.active { DIM_ALPHA } else { 1.0 };
        // Zoomed far out, thousands of hairlines merge into a solid mass: ordinary edges go
        // translucent so density reads as shade and error edges stand out.
        let zoomed_out = v.scale < OVERVIEW_SCALE;
        for (level, width, lines, arrows) in &self.paths.batches {
            let faint = zoomed_out && *level == ErrorLevel::Normal;
            ctx.set_global_alpha(if faint { base_alpha * OVERVIEW_ALPHA } else { base_alpha });
            let colour = self.colours.edge(*level);
            ctx.set_stroke_style_str(colour);
            ctx.set_fill_style_str(colour);
            ctx.set_line_width(width.max(min_width));
            ctx.stroke_with_path(lines);
            ctx.fill_with_path_2d(arrows);
        }
        ctx.set_global_alpha(base_alpha);
        ctx.set_fill_style_str(&self.colours.node);
        if zoomed_out {
            // Circles would be under a pixel: a dot of fixed screen size keeps every service visible.
            let dot = MIN_DOT_PX / v.scale;
            for n in &self.scene.layout.nodes {
                ctx.fill_rect(n.x - dot / 2.0, n.y - dot / 2.0, dot, dot);
            }
        } else {
            ctx.fill_with_path_2d(&self.paths.nodes);
            // A thin outline in the background colour separates touching circles.
            ctx.set_stroke_style_str(&self.colours.node_stroke);
            ctx.set_line_width(1.5);
            ctx.stroke_with_path(&self.paths.nodes);
        }
        ctx.set_global_alpha(1.0);
        if self.highlight.active {
            self.paint_lit(min_width);
        }
        self.paint_labels();
    }

    /// The hovered or selected service's links and neighbours, on top at full strength.
    fn paint_lit(&self, min_width: f64) {
        let (ctx, scene) = (self.ctx, self.scene);
        for e in self.highlight.lit_edges() {
            let Some(edge) = scene.edges.get(e as usize) else { continue };
            let colour = self.colours.edge(edge.level);
            ctx.set_stroke_style_str(colour);
            ctx.set_fill_style_str(colour);
            let wide = if self.selected == Some(Hit::Edge(e)) { 2.0 } else { 1.0 };
            ctx.set_line_width((edge.width * wide).max(min_width * 2.0));
            ctx.begin_path();
            if let Some((first, rest)) = edge.path.split_first() {
                ctx.move_to(first.0, first.1);
                for p in rest {
                    ctx.line_to(p.0, p.1);
                }
            }
            ctx.stroke();
            ctx.begin_path();
            ctx.move_to(edge.arrow[0].0, edge.arrow[0].1);
            ctx.line_to(edge.arrow[1].0, edge.arrow[1].1);
            ctx.line_to(edge.arrow[2].0, edge.arrow[2].1);
            ctx.close_path();
            ctx.fill();
        }
        ctx.set_line_width((3.0 / self.view.scale).max(2.0));
        for (i, mark) in self.highlight.nodes.iter().enumerate() {
            let Some(ring) = self.colours.mark(*mark) else { continue };
            let (Some(n), Some(r)) = (scene.layout.nodes.get(i), scene.radius.get(i)) else { continue };
            ctx.begin_path();
            let _ = ctx.arc(n.x, n.y, *r, 0.0, std::f64::consts::TAU);
            ctx.set_fill_style_str(&self.colours.node);
            ctx.fill();
            ctx.set_stroke_style_str(ring);
            ctx.stroke();
        }
    }

    /// Labels in layout space when readable; otherwise only the lit services' names, at a
    /// fixed screen size, so hovering a zoomed-out graph still says who is who.
    fn paint_labels(&self) {
        let (ctx, scene, v) = (self.ctx, self.scene, self.view);
        ctx.set_text_baseline("alphabetic");
        ctx.set_text_align("center");
        ctx.set_line_join("round");
        ctx.set_fill_style_str(&self.colours.label);
        ctx.set_stroke_style_str(&self.colours.halo);
        let dimmed = |i: usize| self.highlight.active && self.highlight.nodes.get(i) == Some(&NodeMark::Dim);
        if v.scale >= LABEL_MIN_SCALE {
            ctx.set_font("12px system-ui, sans-serif");
            ctx.set_line_width(3.0);
            let area = v.visible(self.size.0, self.size.1);
            for i in scene.nodes_in(area) {
                let i = i as usize;
                let (Some(n), Some(r)) = (scene.layout.nodes.get(i), scene.radius.get(i)) else { continue };
                ctx.set_global_alpha(if dimmed(i) { 0.35 } else { 1.0 });
                let y = n.y - r - LABEL_GAP;
                let label = node_label(&n.name);
                let _ = ctx.stroke_text(&label, n.x, y);
                let _ = ctx.fill_text(&label, n.x, y);
            }
            ctx.set_global_alpha(1.0);
        } else if self.highlight.active {
            let lit: Vec<usize> = (0..scene.layout.nodes.len()).filter(|&i| !dimmed(i)).collect();
            if lit.len() > MAX_FLOATING_LABELS {
                return;
            }
            let _ = ctx.set_transform(self.dpr, 0.0, 0.0, self.dpr, 0.0, 0.0);
            ctx.set_font("12px system-ui, sans-serif");
            ctx.set_line_width(3.0);
            for i in lit {
                let (Some(n), Some(r)) = (scene.layout.nodes.get(i), scene.radius.get(i)) else { continue };
                let (sx, sy) = v.to_screen(n.x, n.y);
                let y = sy - r * v.scale - LABEL_GAP;
                let label = node_label(&n.name);
                let _ = ctx.stroke_text(&label, sx, y);
                let _ = ctx.fill_text(&label, sx, y);
            }
        }
    }
}

#[component]
pub fn CanvasGraph(
    scene: Memo<Shared<Scene>>,
    highlight: Memo<Shared<Highlight>>,
    viewport: Memo<Viewport>,
    size: ReadSignal<(f64, f64)>,
    selected: Memo<Option<Hit>>,
    on_drawn: Callback<()>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let theme = theme_version();
    let paths = StoredValue::new_local(None::<ScenePaths>);
    let snapshot = StoredValue::new_local(None::<Snapshot>);
    let settle = StoredValue::new_local(Settle::default());
    let due = std::rc::Rc::new(std::cell::Cell::new(false));
    let owed = due.clone();
    let paint = move || {
        let Some(el) = canvas.get_untracked() else { return };
        let (w, h) = size.get_untracked();
        if w < 1.0 || h < 1.0 {
            return;
        }
        let dpr = window().device_pixel_ratio().max(1.0);
        let (pw, ph) = ((w * dpr).round() as u32, (h * dpr).round() as u32);
        if el.width() != pw || el.height() != ph {
            el.set_width(pw);
            el.set_height(ph);
        }
        let Some(ctx) = el.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        let sc = scene.get_untracked();
        let hl = highlight.get_untracked();
        let view = viewport.get_untracked();
        let key: PictureKey = (sc.id(), hl.id(), selected.get_untracked(), (pw, ph), theme.get_untracked());
        let full = owed.replace(false);
        let moved = snapshot.with_value(|snap| {
            snap.as_ref().filter(|snap| !full && snap.key == key && snap.view.scale == view.scale).map(|snap| {
                // A pan: move the last picture (one blit), and paint in full once the pan settles.
                let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
                ctx.clear_rect(0.0, 0.0, pw as f64, ph as f64);
                let (dx, dy) = ((view.offset_x - snap.view.offset_x) * dpr, (view.offset_y - snap.view.offset_y) * dpr);
                let _ = ctx.draw_image_with_html_canvas_element(&snap.canvas, dx, dy);
            })
        });
        if moved.is_some() {
            settle.with_value(|s| s.arm(SETTLE_MS));
            return;
        }
        let stale = paths.with_value(|p| p.as_ref().is_none_or(|p| p.scene_id != sc.id()));
        if stale {
            paths.set_value(ScenePaths::build(&sc));
        }
        paths.with_value(|p| {
            let Some(p) = p else { return };
            Frame {
                ctx: &ctx,
                scene: &sc,
                paths: p,
                highlight: &hl,
                view,
                size: (w, h),
                dpr,
                selected: selected.get_untracked(),
                colours: Colours::read(&el),
            }
            .paint();
        });
        snapshot.update_value(|slot| Snapshot::refresh(slot, &el, view, key));
        on_drawn.run(());
    };
    let frames = StoredValue::new_local(FrameScheduler::new(paint));
    settle.update_value(|s| s.on_due(move || frames.with_value(FrameScheduler::request), due));
    Effect::new(move |_| {
        scene.track();
        highlight.track();
        viewport.track();
        size.track();
        selected.track();
        theme.track();
        frames.with_value(FrameScheduler::request);
    });
    let label = move || {
        scene.with(|s| {
            format!(
                "Dependency graph of {} services and {} links, drawn on a canvas; the table view lists them.",
                s.layout.nodes.len(),
                s.edges.len()
            )
        })
    };
    view! {
        <canvas
            class="dep-canvas"
            node_ref=canvas
            role="img"
            aria-label=label
            style:width=move || format!("{}px", size.get().0)
            style:height=move || format!("{}px", size.get().1)
        ></canvas>
    }
}

impl Snapshot {
    /// Copies what `canvas` shows now into `slot`, reusing its bitmap when there is one.
    fn refresh(slot: &mut Option<Snapshot>, canvas: &HtmlCanvasElement, view: Viewport, key: PictureKey) {
        let copy = match slot.take() {
            Some(old) => old.canvas,
            None => match document().create_element("canvas").ok().and_then(|c| c.dyn_into().ok()) {
                Some(c) => c,
                None => return,
            },
        };
        if copy.width() != canvas.width() || copy.height() != canvas.height() {
            copy.set_width(canvas.width());
            copy.set_height(canvas.height());
        }
        let Some(ctx) =
            copy.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
        else {
            return;
        };
        ctx.clear_rect(0.0, 0.0, copy.width() as f64, copy.height() as f64);
        if ctx.draw_image_with_html_canvas_element(canvas, 0.0, 0.0).is_ok() {
            *slot = Some(Snapshot { canvas: copy, view, key });
        }
    }
}

/// A timer that asks for one full repaint after the last pan frame.
#[derive(Default)]
struct Settle {
    handle: std::cell::Cell<Option<i32>>,
    callback: Option<wasm_bindgen::closure::Closure<dyn FnMut()>>,
}

impl Settle {
    /// What the timer does when it fires: owe a full paint (`due`) and ask for a frame.
    fn on_due(&mut self, repaint: impl Fn() + 'static, due: std::rc::Rc<std::cell::Cell<bool>>) {
        self.callback = Some(wasm_bindgen::closure::Closure::new(move || {
            due.set(true);
            repaint();
        }));
    }

    /// (Re)starts the timer.
    fn arm(&self, ms: i32) {
        let w = window();
        if let Some(h) = self.handle.take() {
            w.clear_timeout_with_handle(h);
        }
        if let Some(cb) = &self.callback {
            self.handle
                .set(w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.as_ref().unchecked_ref(), ms).ok());
        }
    }
}
