//! Where a waterfall row's pieces sit on the timeline column, as shares of its width (0 at the
//! zoom window's start, 1 at its end): the span bar, its duration label, annotation markers,
//! critical-path stretches and the axis ticks. Plain f64 arithmetic with no allocation (bar and
//! label run for every drawn row on every frame); the UI turns shares into CSS percentages.
use crate::time_scale::TimeScale;

/// A label goes before its bar once the bar starts past this share of the timeline, so it is
/// not pushed off the right-hand side.
const LABEL_BEFORE_FROM: f64 = 0.75;

/// Zoom widths below this are read as this, so positions stay finite.
const MIN_ZOOM_WIDTH: f64 = 1e-9;

/// Pixels of indentation per depth level in the label column, and the padding at depth 0.
const INDENT_PX: u32 = 14;
const INDENT_BASE_PX: u32 = 4;

/// The timeline column: the view window (µs since the epoch and its length) and the zoom window
/// within it (fractions of the view window; `(0.0, 1.0)` is all of it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timeline {
    start_us: u64,
    window_us: f64,
    zoom_start: f64,
    zoom_width: f64,
}

/// A span's bar. `left` and `right` are clamped to the timeline; `shown` says whether any of the
/// span is inside the zoom window (a zero-length span: whether its instant is).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bar {
    pub left: f64,
    pub right: f64,
    pub shown: bool,
    pub label: Label,
}

/// Where the duration label goes: `at` is the share it is anchored at; `before` says it ends
/// there (it sits left of the bar's start) rather than starting there (right of the bar's end).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Label {
    pub at: f64,
    pub before: bool,
}

/// A stretch of the timeline (a critical-path section), clamped to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stretch {
    pub left: f64,
    pub width: f64,
}

/// An axis tick: its share of the timeline and its time as an offset from the view window's start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AxisTick {
    pub at: f64,
    pub offset_us: f64,
}

impl Bar {
    /// The bar's width as a share of the timeline (never negative).
    pub fn width(&self) -> f64 {
        (self.right - self.left).max(0.0)
    }
}

impl Timeline {
    /// A timeline over `[start_us, start_us + window_us]` (a zero-length window is read as 1 µs)
    /// zoomed to `zoom`.
    pub fn new(start_us: u64, window_us: u64, zoom: (f64, f64)) -> Timeline {
        Timeline {
            start_us,
            window_us: window_us.max(1) as f64,
            zoom_start: zoom.0,
            zoom_width: (zoom.1 - zoom.0).max(MIN_ZOOM_WIDTH),
        }
    }

    /// The share of an offset (µs from the view window's start), not clamped: below 0 is before
    /// the zoom window, above 1 after it.
    pub fn at(&self, offset_us: u64) -> f64 {
        (offset_us as f64 / self.window_us - self.zoom_start) / self.zoom_width
    }

    /// The share of an absolute time (µs since the epoch); times before the window count as its start.
    pub fn at_time(&self, us: u64) -> f64 {
        self.at(self.offset_of(us))
    }

    /// An absolute time as an offset from the view window's start (0 for earlier times).
    pub fn offset_of(&self, us: u64) -> u64 {
        us.saturating_sub(self.start_us)
    }

    /// The bar of a span starting `offset_us` after the view window's start.
    pub fn bar(&self, offset_us: u64, duration_us: u64) -> Bar {
        let (from, to) = (self.at(offset_us), self.at(offset_us.saturating_add(duration_us)));
        let (left, right) = (from.clamp(0.0, 1.0), to.clamp(0.0, 1.0));
        let shown = if duration_us == 0 { (0.0..=1.0).contains(&from) } else { to > 0.0 && from < 1.0 };
        let before = left > LABEL_BEFORE_FROM;
        Bar { left, right, shown, label: Label { at: if before { left } else { right }, before } }
    }

    /// The stretch between two absolute times (µs since the epoch), clamped to the timeline.
    pub fn stretch(&self, from_us: u64, to_us: u64) -> Stretch {
        let left = self.at_time(from_us).clamp(0.0, 1.0);
        let right = self.at_time(to_us).clamp(0.0, 1.0);
        Stretch { left, width: right - left }
    }

    /// Ticks at a readable step (1-2-5 × 10ⁿ µs from the zoom window's start), at most about
    /// `max_ticks` + 1 of them.
    pub fn ticks(&self, max_ticks: usize) -> Vec<AxisTick> {
        let shown_us = self.window_us * self.zoom_width;
        let from_us = self.window_us * self.zoom_start;
        TimeScale::new(from_us, shown_us, 1.0)
            .ticks(max_ticks)
            .into_iter()
            .map(|t| AxisTick { at: t.px, offset_us: from_us + t.offset_us })
            .collect()
    }
}

/// Whether a share lies on the timeline (markers outside the zoom window are not drawn).
pub fn on_timeline(at: f64) -> bool {
    (0.0..=1.0).contains(&at)
}

/// `px` pixels as a share of a timeline `width_px` wide (at least 1 px), e.g. the gap below
/// which annotation markers are grouped. Shares are of the zoomed timeline, so this does not
/// depend on the zoom.
pub fn px_share(px: f64, width_px: f64) -> f64 {
    px / width_px.max(1.0)
}

/// The label column's left padding for a row at `depth`, px.
pub fn indent_px(depth: u32) -> u32 {
    depth.saturating_mul(INDENT_PX).saturating_add(INDENT_BASE_PX)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: (f64, f64) = (0.0, 1.0);

    #[test]
    fn a_bar_spans_its_share_of_the_window() {
        // 1,000 µs window: a span from 250 µs lasting 500 µs covers 25%..75%.
        let bar = Timeline::new(5_000, 1_000, FULL).bar(250, 500);
        assert_eq!((bar.left, bar.right, bar.width(), bar.shown), (0.25, 0.75, 0.5, true));
        // On an 800 px column that is 200 px from the left and 400 px wide.
        assert_eq!((bar.left * 800.0, bar.width() * 800.0), (200.0, 400.0));
        assert_eq!(bar.label, Label { at: 0.75, before: false });
    }

    #[test]
    fn zooming_stretches_the_bar_and_clamps_it_to_the_column() {
        // Zoomed to the middle half (250..750 µs).
        let tl = Timeline::new(0, 1_000, (0.25, 0.75));
        let bar = tl.bar(500, 125);
        assert_eq!((bar.left, bar.right, bar.width()), (0.5, 0.75, 0.25));
        // A span across the whole zoom window fills the column.
        let wide = tl.bar(0, 1_000);
        assert_eq!((wide.left, wide.right, wide.shown), (0.0, 1.0, true));
        // Half in view on the left.
        let edge = tl.bar(125, 250);
        assert_eq!((edge.left, edge.right, edge.shown), (0.0, 0.25, true));
    }

    #[test]
    fn spans_outside_the_zoom_window_are_not_shown() {
        let tl = Timeline::new(0, 1_000, (0.25, 0.75));
        let before = tl.bar(0, 100);
        assert_eq!((before.left, before.right, before.shown), (0.0, 0.0, false));
        let after = tl.bar(900, 50);
        assert_eq!((after.left, after.right, after.shown), (1.0, 1.0, false));
        // Ending exactly where the window starts: nothing of it is inside.
        assert!(!tl.bar(0, 250).shown);
        assert!(!tl.bar(750, 100).shown);
        // The label still says how long it is, on the side that stays on screen.
        assert_eq!(before.label, Label { at: 0.0, before: false });
        assert_eq!(after.label, Label { at: 1.0, before: true });
    }

    #[test]
    fn zero_length_spans_show_only_inside_the_window() {
        let full = Timeline::new(0, 1_000, FULL);
        let at_start = full.bar(0, 0);
        assert_eq!((at_start.left, at_start.width(), at_start.shown), (0.0, 0.0, true));
        let at_end = full.bar(1_000, 0);
        assert_eq!((at_end.left, at_end.shown), (1.0, true));
        let zoomed = Timeline::new(0, 1_000, (0.25, 0.75));
        assert!(zoomed.bar(500, 0).shown);
        assert!(!zoomed.bar(100, 0).shown);
        assert!(!zoomed.bar(800, 0).shown);
        // A zero-length window (one instant trace) is read as 1 µs, so maths stays finite.
        let instant = Timeline::new(7, 0, FULL).bar(0, 0);
        assert_eq!((instant.left, instant.right, instant.shown), (0.0, 0.0, true));
    }

    #[test]
    fn the_label_moves_before_the_bar_near_the_right_edge() {
        let tl = Timeline::new(0, 1_000, FULL);
        // Starting at 75%: still after the bar (at its end).
        assert_eq!(tl.bar(750, 100).label, Label { at: 0.85, before: false });
        // Starting past 75%: before the bar (ending at its start).
        assert_eq!(tl.bar(760, 100).label, Label { at: 0.76, before: true });
        // A bar reaching the right edge from the left half keeps its label after it (the column
        // leaves room on its right).
        assert_eq!(tl.bar(100, 900).label, Label { at: 1.0, before: false });
        // Near the left edge the label is after the bar.
        assert_eq!(tl.bar(0, 10).label, Label { at: 0.01, before: false });
    }

    #[test]
    fn degenerate_zoom_widths_stay_finite() {
        let tl = Timeline::new(0, 1_000, (0.5, 0.5));
        let bar = tl.bar(400, 200);
        assert!(bar.left.is_finite() && bar.right.is_finite());
        assert_eq!((bar.left, bar.right, bar.shown), (0.0, 1.0, true));
        assert_eq!(Timeline::new(0, u64::MAX, FULL).bar(u64::MAX, u64::MAX).right, 1.0);
    }

    #[test]
    fn stretches_and_times_are_absolute() {
        let tl = Timeline::new(10_000, 1_000, (0.0, 0.5));
        assert_eq!(tl.stretch(10_100, 10_200), Stretch { left: 0.2, width: 0.2 });
        // Clamped at both ends, and times before the window count as its start.
        assert_eq!(tl.stretch(9_000, 10_900), Stretch { left: 0.0, width: 1.0 });
        assert_eq!(tl.at_time(9_000), 0.0);
        assert_eq!(tl.offset_of(10_250), 250);
        assert_eq!(tl.at_time(10_250), 0.5);
    }

    #[test]
    fn ticks_follow_the_zoom_window() {
        // 10 ms window, whole: ticks every 2 ms from 0 (at most ~5 intervals).
        let all = Timeline::new(0, 10_000, FULL).ticks(5);
        assert_eq!(
            all.iter().map(|t| t.offset_us).collect::<Vec<_>>(),
            vec![0.0, 2_000.0, 4_000.0, 6_000.0, 8_000.0, 10_000.0]
        );
        assert_eq!(all[1].at, 0.2);
        // Zoomed to 5..7.5 ms: 500 µs steps labelled from the zoom start.
        let zoomed = Timeline::new(0, 10_000, (0.5, 0.75)).ticks(5);
        assert_eq!(zoomed[0], AxisTick { at: 0.0, offset_us: 5_000.0 });
        assert_eq!(zoomed[1], AxisTick { at: 0.2, offset_us: 5_500.0 });
        assert_eq!(zoomed.len(), 6);
    }

    #[test]
    fn pixel_gaps_and_indentation() {
        assert_eq!(px_share(6.0, 600.0), 0.01);
        assert_eq!(px_share(6.0, 0.0), 6.0);
        assert!(on_timeline(0.0) && on_timeline(1.0) && !on_timeline(1.01) && !on_timeline(-0.01));
        assert_eq!((indent_px(0), indent_px(3)), (4, 46));
        assert_eq!(indent_px(u32::MAX), u32::MAX);
    }
}
