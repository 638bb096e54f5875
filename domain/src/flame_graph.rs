//! The flame graph (an icicle: the root on top, width = time, depth = nesting), laid out from a
//! model's rows as shares of the view window so the canvas only scales: box `x` and `width` in
//! 0..=1, `depth` from the top. Two modes: `Timeline` puts each row at its own start (the waterfall
//! folded into levels, as Jaeger UI's trace flame graph draws it), and `Aggregated` merges rows by
//! their path of (service, span name) from the root, so a loop of 400 identical calls is one wide
//! box (a profiler's flame graph). Both follow the skew switch and can zoom into one row's subtree.
//! O(rows in view) for the layout, iterative; hit testing is a separate index built on demand.
use super::fast_hash::FastMap;
use super::rows::view_window;
use super::sorting;
use super::trace_model::TraceModel;
use super::tree::NONE;

/// How rows become boxes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FlameMode {
    #[default]
    Timeline,
    Aggregated,
}

/// What the view asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FlameOptions {
    pub mode: FlameMode,
    /// Lay out only this row's subtree, measured in its own window (the zoom).
    pub focus: Option<u32>,
    pub skew: bool,
}

/// One box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FlameBox {
    /// The row drawn; in aggregated mode the first row merged into the box.
    pub row: u32,
    /// Left edge and width as shares of the window.
    pub x: f64,
    pub width: f64,
    /// 0 for the top row (or the focused row).
    pub depth: u32,
    /// The enclosing box's index in `FlameLayout::boxes` (`u32::MAX` at the top).
    pub parent: u32,
    /// Rows merged into the box (1 in timeline mode).
    pub count: u32,
    /// Duration in µs (the sum when merged).
    pub total: u64,
    /// Self time in µs (the sum when merged).
    pub self_time: u64,
    /// Service index (`TraceModel::services`), the colour.
    pub service: u32,
}

impl FlameBox {
    /// The share of the box's time spent in the span itself, 0..=1 (the self-time shading).
    pub fn self_share(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            (self.self_time as f64 / self.total as f64).clamp(0.0, 1.0)
        }
    }
}

/// The boxes of one view, parents before children.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlameLayout {
    pub boxes: Vec<FlameBox>,
    /// Number of levels.
    pub levels: u32,
    /// The window in µs since epoch (timeline mode), and its length.
    pub start: u64,
    pub duration: u64,
}

/// Lays out the rows of the view. `self_times` is `row_self_times` for the same skew setting,
/// computed once per model rather than on every zoom.
pub fn flame_layout(model: &TraceModel, self_times: &[u64], opts: &FlameOptions) -> FlameLayout {
    let (first, end, base_depth) = match opts.focus.and_then(|f| model.row(f).map(|r| (f, r))) {
        Some((f, r)) => (f, r.subtree_end, r.depth),
        None => (0, model.row_count(), 0),
    };
    let (start, stop) = view_window(model, opts.focus, opts.skew);
    let duration = stop.saturating_sub(start);
    let self_of = |r: u32| self_times.get(r as usize).copied().unwrap_or(0);
    let boxes = match opts.mode {
        FlameMode::Timeline => timeline_boxes(model, first..end, base_depth, (start, duration), opts.skew, &self_of),
        FlameMode::Aggregated => aggregated_boxes(model, first..end, base_depth, &self_of),
    };
    let levels = boxes.iter().map(|b| b.depth + 1).max().unwrap_or(0);
    FlameLayout { boxes, levels, start, duration }
}

fn timeline_boxes(
    model: &TraceModel,
    range: std::ops::Range<u32>,
    base_depth: u32,
    (start, duration): (u64, u64),
    skew: bool,
    self_of: &dyn Fn(u32) -> u64,
) -> Vec<FlameBox> {
    let scale = 1.0 / duration.max(1) as f64;
    let first = range.start;
    let rows = model.rows().get(range.start as usize..range.end as usize).unwrap_or(&[]);
    rows.iter()
        .zip(range)
        .map(|(r, i)| {
            let x = (r.start_us(skew).saturating_sub(start) as f64 * scale).clamp(0.0, 1.0);
            FlameBox {
                row: i,
                x,
                width: (r.duration as f64 * scale).clamp(0.0, 1.0 - x),
                depth: r.depth.saturating_sub(base_depth),
                // Boxes are the rows of the range in order, so a parent's box is its row's offset.
                parent: if i == first { NONE } else { r.parent.checked_sub(first).unwrap_or(NONE) },
                count: 1,
                total: r.duration,
                self_time: self_of(i),
                service: r.service,
            }
        })
        .collect()
}

/// Merges rows by (parent box, service, span name) in one pre-order pass, then places each box's
/// children side by side from its left edge. Children running in parallel can add up to more than
/// their parent; then they are scaled down together to fit inside it, so boxes always nest.
fn aggregated_boxes(
    model: &TraceModel,
    range: std::ops::Range<u32>,
    base_depth: u32,
    self_of: &dyn Fn(u32) -> u64,
) -> Vec<FlameBox> {
    let mut names: FastMap<&str, u32> = FastMap::default();
    let mut index: FastMap<(u32, u32, u32), u32> = FastMap::default();
    let mut boxes: Vec<FlameBox> = Vec::new();
    // The box each row went into, for the rows in range (offset by the range start).
    let mut box_of_row: Vec<u32> = Vec::with_capacity(range.len());
    let first = range.start;
    for i in range {
        let Some(r) = model.row(i) else { break };
        let up = if i == first {
            NONE
        } else {
            r.parent.checked_sub(first).and_then(|p| box_of_row.get(p as usize).copied()).unwrap_or(NONE)
        };
        let name = model.row_name(i);
        let next_name = names.len() as u32;
        let name_id = *names.entry(name).or_insert(next_name);
        let next_box = boxes.len() as u32;
        let b = *index.entry((up, r.service, name_id)).or_insert(next_box);
        if b == next_box {
            boxes.push(FlameBox {
                row: i,
                x: 0.0,
                width: 0.0,
                depth: r.depth.saturating_sub(base_depth),
                parent: up,
                count: 0,
                total: 0,
                self_time: 0,
                service: r.service,
            });
        }
        if let Some(fb) = boxes.get_mut(b as usize) {
            fb.count += 1;
            fb.total = fb.total.saturating_add(r.duration);
            fb.self_time = fb.self_time.saturating_add(self_of(i));
        }
        box_of_row.push(b);
    }
    // What each box's children add up to, and the whole of the top level.
    let mut children_total = vec![0u64; boxes.len()];
    let mut top_total = 0u64;
    for b in &boxes {
        match children_total.get_mut(b.parent as usize) {
            Some(t) => *t = t.saturating_add(b.total),
            None => top_total = top_total.saturating_add(b.total),
        }
    }
    // Boxes were created parents first, so one pass places every box after its parent.
    let mut cursor = vec![0.0f64; boxes.len()];
    let mut top_cursor = 0.0f64;
    let top_scale = 1.0 / top_total.max(1) as f64;
    for b in 0..boxes.len() {
        let up = boxes[b].parent as usize;
        let (x, width) = match boxes.get(up) {
            Some(p) => {
                let room = p.total.max(children_total[up]).max(1) as f64;
                let width = p.width * boxes[b].total as f64 / room;
                let x = cursor[up];
                cursor[up] += width;
                (x, width)
            }
            None => {
                let width = boxes[b].total as f64 * top_scale;
                let x = top_cursor;
                top_cursor += width;
                (x, width)
            }
        };
        boxes[b].x = x;
        boxes[b].width = width;
        cursor[b] = x;
    }
    boxes
}

/// The `n` widest boxes at `depth`, widest first (ties in layout order): the graph's gist as a list.
pub fn widest_at_depth(layout: &FlameLayout, depth: u32, n: usize) -> Vec<usize> {
    let mut at: Vec<usize> = (0..layout.boxes.len()).filter(|&i| layout.boxes[i].depth == depth).collect();
    sorting::sort_by(&mut at, |a, b| layout.boxes[*b].width.total_cmp(&layout.boxes[*a].width));
    at.truncate(n);
    at
}

/// The rows from the top to `focus`, for the zoom's breadcrumbs (empty without a focus).
pub fn breadcrumbs(model: &TraceModel, focus: Option<u32>) -> Vec<u32> {
    let Some(f) = focus.filter(|&f| model.row(f).is_some()) else { return Vec::new() };
    let mut path: Vec<u32> = model.ancestors(f).collect();
    path.reverse();
    path.push(f);
    path
}

/// What a box says: the span name, `×n` when rows were merged.
pub fn box_label(model: &TraceModel, b: &FlameBox) -> String {
    let name = model.row_name(b.row);
    if b.count > 1 {
        format!("{name} ×{}", b.count)
    } else {
        name.to_owned()
    }
}

/// The part of `label` that fits in `box_px` pixels at `char_px` a char with `pad_px` on each side:
/// the whole label, or its start and `…`, or nothing when not even one char and `…` fit.
pub fn fit_label(label: &str, box_px: f64, char_px: f64, pad_px: f64) -> Option<String> {
    // NaN sizes (a canvas not laid out yet) fit nothing: both tests are false for NaN.
    let room = ((box_px - 2.0 * pad_px) / char_px).floor();
    let fits_one = char_px > 0.0 && room >= 1.0;
    if !fits_one {
        return None;
    }
    let room = room.min(usize::MAX as f64) as usize;
    let len = label.chars().count();
    if len <= room {
        Some(label.to_owned())
    } else if room >= 2 {
        let mut cut: String = label.chars().take(room - 1).collect();
        cut.push('…');
        Some(cut)
    } else {
        None
    }
}

/// Which box is where: the boxes of each level in order of their left edge, with the furthest
/// right edge so far, so a lookup is a binary search and a short walk back over overlapping boxes.
#[derive(Debug, Clone, Default)]
pub struct FlameHits {
    /// Per level: (box index, x, running max of x + width).
    levels: Vec<Vec<(u32, f64, f64)>>,
}

impl FlameHits {
    /// O(n log n); build it once per layout, when the pointer first moves over the graph.
    pub fn new(layout: &FlameLayout) -> FlameHits {
        let mut levels: Vec<Vec<(u32, f64, f64)>> = vec![Vec::new(); layout.levels as usize];
        for (i, b) in layout.boxes.iter().enumerate() {
            if let Some(level) = levels.get_mut(b.depth as usize) {
                level.push((i as u32, b.x, b.x + b.width));
            }
        }
        for level in &mut levels {
            sorting::sort_by(level, |a, b| a.1.total_cmp(&b.1));
            let mut reach = f64::NEG_INFINITY;
            for entry in level.iter_mut() {
                reach = reach.max(entry.2);
                entry.2 = reach;
            }
        }
        FlameHits { levels }
    }

    /// The box under the point (`x` a share of the width, `depth` a level): of overlapping boxes,
    /// the one drawn last. `min_width` (a share) widens boxes too thin to point at.
    pub fn box_at(&self, layout: &FlameLayout, x: f64, depth: u32, min_width: f64) -> Option<usize> {
        let level = self.levels.get(depth as usize)?;
        let upto = level.partition_point(|e| e.1 <= x);
        let mut best: Option<usize> = None;
        for &(i, _, reach) in level[..upto].iter().rev() {
            // Every box further left ends even earlier.
            if reach + min_width < x {
                break;
            }
            let Some(b) = layout.boxes.get(i as usize) else { continue };
            if x <= b.x + b.width.max(min_width) {
                best = Some(best.map_or(i as usize, |k| k.max(i as usize)));
            }
        }
        best
    }

    /// The box under a pixel of a canvas `width_px` wide with levels `level_px` high.
    pub fn box_at_px(&self, layout: &FlameLayout, px: f64, py: f64, width_px: f64, level_px: f64) -> Option<usize> {
        if !(width_px > 0.0 && level_px > 0.0 && px >= 0.0 && py >= 0.0) {
            return None;
        }
        let depth = (py / level_px).floor();
        if depth >= f64::from(u32::MAX) {
            return None;
        }
        self.box_at(layout, px / width_px, depth as u32, 1.0 / width_px)
    }
}
