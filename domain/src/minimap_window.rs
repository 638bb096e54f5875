//! The minimap's arithmetic: the zoom window (fractions of the trace, 0..1) that a drag across it
//! selects, keyboard zoom and pan that stay inside the trace and never shrink the window below a
//! minimum width, and where each row's thin bar goes on the canvas.
use crate::rect::Rect;
use crate::trace_url::normalize_zoom;

/// The narrowest window keyboard zoom reaches: twice the narrowest window `normalize_zoom`
/// accepts, so the window stays valid after the URL rounds it to four decimals.
pub const MIN_WIDTH: f64 = 0.001;

/// Share of the window's width an arrow key pans by.
const PAN_SHARE: f64 = 0.1;

/// The whole trace.
const FULL: (f64, f64) = (0.0, 1.0);

/// A keyboard command of the minimap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ZoomKey {
    /// `+` or `=`: halve the window around its centre.
    In,
    /// `-`: double it around its centre (cut at the trace's ends).
    Out,
    PanLeft,
    PanRight,
    /// `0`: the whole trace.
    Reset,
}

impl ZoomKey {
    /// The command for a DOM `KeyboardEvent.key`, or `None` when the minimap leaves it alone.
    pub fn from_key(key: &str) -> Option<ZoomKey> {
        Some(match key {
            "+" | "=" => ZoomKey::In,
            "-" => ZoomKey::Out,
            "ArrowLeft" => ZoomKey::PanLeft,
            "ArrowRight" => ZoomKey::PanRight,
            "0" => ZoomKey::Reset,
            _ => return None,
        })
    }
}

/// Where a pointer at `x` is across a minimap starting at `left` and `width` wide, as a fraction
/// clamped to 0..1: a drag past either end stops at that end.
pub fn pointer_fraction(x: f64, left: f64, width: f64) -> f64 {
    let f = (x - left) / width.max(1.0);
    if f.is_nan() {
        0.0
    } else {
        f.clamp(0.0, 1.0)
    }
}

/// The window box to draw: the stretch being dragged (from its anchor to the pointer, either
/// way), else the zoom, else the whole trace.
pub fn shown_window(drag: Option<(f64, f64)>, zoom: Option<(f64, f64)>) -> (f64, f64) {
    match drag {
        Some((a, b)) => (a.min(b), a.max(b)),
        None => zoom.unwrap_or(FULL),
    }
}

/// The zoom a finished drag from `anchor` to `pointer` sets, or `None` when it is too narrow to be
/// a zoom (a click) or covers the whole trace: the zoom then stays as it was.
pub fn drag_zoom(anchor: f64, pointer: f64) -> Option<(f64, f64)> {
    normalize_zoom(anchor, pointer)
}

/// The zoom after a key (`None`: the whole trace). Zooming in stops at [`MIN_WIDTH`]; panning
/// moves by a tenth of the window and stops at the trace's ends, keeping the width.
pub fn zoom_by_key(zoom: Option<(f64, f64)>, key: ZoomKey) -> Option<(f64, f64)> {
    let (a, b) = zoom.unwrap_or(FULL);
    let (centre, half) = ((a + b) / 2.0, (b - a) / 2.0);
    let width = b - a;
    match key {
        ZoomKey::In => {
            // Never below the minimum, nor wider than now when already below it.
            let half = (half / 2.0).max((MIN_WIDTH / 2.0).min(half));
            normalize_zoom(centre - half, centre + half)
        }
        ZoomKey::Out => normalize_zoom(centre - half * 2.0, centre + half * 2.0),
        ZoomKey::PanLeft => {
            let d = width * PAN_SHARE;
            normalize_zoom((a - d).max(0.0), (b - d).max(width))
        }
        ZoomKey::PanRight => {
            let d = width * PAN_SHARE;
            normalize_zoom((a + d).min(1.0 - width), (b + d).min(1.0))
        }
        ZoomKey::Reset => None,
    }
}

/// The minimap canvas: every row of the trace squeezed into its height, time across its width.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinimapCanvas {
    trace_us: f64,
    rows: f64,
    width: f64,
    height: f64,
}

impl MinimapCanvas {
    /// A canvas `width` × `height` px for `rows` rows of a trace `trace_us` long (0 is read as 1).
    pub fn new(trace_us: u64, rows: usize, width: f64, height: f64) -> MinimapCanvas {
        MinimapCanvas { trace_us: trace_us.max(1) as f64, rows: rows.max(1) as f64, width, height }
    }

    /// The bar of row `index`, starting `offset_us` after the trace and lasting `duration_us`.
    /// Bars are at least 1 px wide and tall, so short spans and crowded rows stay visible.
    pub fn bar(&self, index: usize, offset_us: u64, duration_us: u64) -> Rect {
        Rect {
            x: offset_us as f64 / self.trace_us * self.width,
            y: index as f64 / self.rows * self.height,
            width: (duration_us as f64 / self.trace_us * self.width).max(1.0),
            height: (self.height / self.rows).max(1.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(z: Option<(f64, f64)>, want: (f64, f64)) -> bool {
        z.is_some_and(|(a, b)| (a - want.0).abs() < 1e-12 && (b - want.1).abs() < 1e-12)
    }

    #[test]
    fn a_drag_clamps_at_both_ends_of_the_minimap() {
        // A 400 px minimap starting at x = 100.
        assert_eq!(pointer_fraction(200.0, 100.0, 400.0), 0.25);
        assert_eq!(pointer_fraction(20.0, 100.0, 400.0), 0.0);
        assert_eq!(pointer_fraction(900.0, 100.0, 400.0), 1.0);
        assert_eq!(pointer_fraction(f64::NAN, 100.0, 400.0), 0.0);
        // Dragged right to left past the start: the window runs from the start to the anchor.
        let (anchor, pointer) = (0.6, pointer_fraction(-50.0, 100.0, 400.0));
        assert_eq!(shown_window(Some((anchor, pointer)), None), (0.0, 0.6));
        assert_eq!(drag_zoom(anchor, pointer), Some((0.0, 0.6)));
        // Across the whole minimap, or a click: no zoom.
        assert_eq!(drag_zoom(0.0, 1.0), None);
        assert_eq!(drag_zoom(0.3, 0.3), None);
    }

    #[test]
    fn the_window_box_follows_the_drag_then_the_zoom() {
        assert_eq!(shown_window(None, None), (0.0, 1.0));
        assert_eq!(shown_window(None, Some((0.2, 0.4))), (0.2, 0.4));
        assert_eq!(shown_window(Some((0.7, 0.5)), Some((0.2, 0.4))), (0.5, 0.7));
    }

    #[test]
    fn zooming_in_halves_the_window_down_to_a_minimum_width() {
        assert_eq!(zoom_by_key(None, ZoomKey::In), Some((0.25, 0.75)));
        assert!(close(zoom_by_key(Some((0.2, 0.4)), ZoomKey::In), (0.25, 0.35)));
        // Pressed again and again, the window stops at the minimum width around its centre
        // rather than falling back to the whole trace.
        let mut z = None;
        for _ in 0..40 {
            z = zoom_by_key(z, ZoomKey::In);
        }
        assert!(close(z, (0.5 - MIN_WIDTH / 2.0, 0.5 + MIN_WIDTH / 2.0)), "{z:?}");
        // A window already narrower than the minimum (a fine drag) is kept, not widened.
        assert!(close(zoom_by_key(Some((0.1, 0.1008)), ZoomKey::In), (0.1, 0.1008)));
        // The minimum survives the URL's four decimals.
        let (a, b) = z.unwrap();
        let round4 = |x: f64| (x * 10_000.0).round() / 10_000.0;
        assert!(normalize_zoom(round4(a), round4(b)).is_some());
    }

    #[test]
    fn zooming_out_doubles_the_window_and_cuts_it_at_the_ends() {
        assert!(close(zoom_by_key(Some((0.4, 0.6)), ZoomKey::Out), (0.3, 0.7)));
        assert!(close(zoom_by_key(Some((0.0, 0.2)), ZoomKey::Out), (0.0, 0.3)));
        assert_eq!(zoom_by_key(Some((0.25, 0.75)), ZoomKey::Out), None);
        assert_eq!(zoom_by_key(None, ZoomKey::Out), None);
        assert_eq!(zoom_by_key(Some((0.2, 0.4)), ZoomKey::Reset), None);
    }

    #[test]
    fn panning_keeps_the_width_and_stops_at_both_ends() {
        assert!(close(zoom_by_key(Some((0.5, 0.7)), ZoomKey::PanLeft), (0.48, 0.68)));
        assert!(close(zoom_by_key(Some((0.5, 0.7)), ZoomKey::PanRight), (0.52, 0.72)));
        assert!(close(zoom_by_key(Some((0.01, 0.21)), ZoomKey::PanLeft), (0.0, 0.2)));
        assert_eq!(zoom_by_key(Some((0.0, 0.2)), ZoomKey::PanLeft), Some((0.0, 0.2)));
        assert!(close(zoom_by_key(Some((0.8, 1.0)), ZoomKey::PanRight), (0.8, 1.0)));
        assert!(close(zoom_by_key(Some((0.79, 0.99)), ZoomKey::PanRight), (0.8, 1.0)));
        // The whole trace has nowhere to pan.
        assert_eq!(zoom_by_key(None, ZoomKey::PanLeft), None);
    }

    #[test]
    fn dom_key_names() {
        assert_eq!(ZoomKey::from_key("="), Some(ZoomKey::In));
        assert_eq!(ZoomKey::from_key("+"), Some(ZoomKey::In));
        assert_eq!(ZoomKey::from_key("0"), Some(ZoomKey::Reset));
        assert_eq!(ZoomKey::from_key("ArrowUp"), None);
    }

    #[test]
    fn canvas_bars_squeeze_rows_into_the_height() {
        // A 1 ms trace of 4 rows on 200 × 56 px.
        let c = MinimapCanvas::new(1_000, 4, 200.0, 56.0);
        assert_eq!(c.bar(1, 250, 500), Rect { x: 50.0, y: 14.0, width: 100.0, height: 14.0 });
        // Short spans are still 1 px wide.
        assert_eq!(c.bar(3, 1_000, 0).width, 1.0);
        // 1,000 rows in 56 px: each 1 px tall, the last near the bottom.
        let crowded = MinimapCanvas::new(1_000, 1_000, 200.0, 56.0);
        let last = crowded.bar(999, 0, 1_000);
        assert_eq!((last.height, last.width), (1.0, 200.0));
        assert!((last.y - 55.944).abs() < 1e-9);
        // An empty or zero-length trace stays finite.
        let empty = MinimapCanvas::new(0, 0, 200.0, 56.0);
        assert_eq!(empty.bar(0, 0, 0), Rect { x: 0.0, y: 0.0, width: 1.0, height: 56.0 });
    }
}
