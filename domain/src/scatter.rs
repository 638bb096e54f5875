//! The duration-over-start-time scatter plot's geometry: its two scales (start time across, from
//! the earliest to the latest start; duration up, from 0 to the longest), their ticks (round
//! durations; round wall-clock times in the shown zone) and the dots' places. The search page
//! only writes the numbers into SVG.
use crate::search_results::{has_error, ResultSet};
use crate::sorting;
use crate::summary::TraceSummary;
use crate::time_scale::{format_duration, nice_step};

/// The drawing area of the scatter plot, in px: the whole box and the margins kept for axis labels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlotFrame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl PlotFrame {
    /// The width between the margins (at least 1 px, so scales stay finite).
    pub fn inner_width(&self) -> f64 {
        (self.width - self.left - self.right).max(1.0)
    }

    /// The height between the margins (at least 1 px).
    pub fn inner_height(&self) -> f64 {
        (self.height - self.top - self.bottom).max(1.0)
    }

    /// A point as shares (0..=1) of the whole box, e.g. to place a tooltip in percent over an SVG
    /// that scales to the page width.
    pub fn share(&self, x: f64, y: f64) -> (f64, f64) {
        (x / self.width.max(1.0), y / self.height.max(1.0))
    }
}

/// One trace in the scatter plot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScatterPoint {
    /// Index into the [`ResultSet`].
    pub index: u32,
    pub x: f64,
    pub y: f64,
    pub error: bool,
}

/// A labelled axis tick at `at` px.
#[derive(Debug, Clone, PartialEq)]
pub struct AxisTick<T> {
    pub at: f64,
    pub value: T,
}

/// Everything needed to draw the scatter plot.
#[derive(Debug, Clone, PartialEq)]
pub struct Scatter {
    /// In drawing order: failed traces after the others, each group in the order of `indices`.
    pub points: Vec<ScatterPoint>,
    /// Start-time ticks; `value` in ms since the epoch (the caller formats them in its time zone).
    pub x_ticks: Vec<AxisTick<u64>>,
    /// Duration ticks with their labels.
    pub y_ticks: Vec<AxisTick<String>>,
    /// The time the x axis spans, ms (for choosing a label precision).
    pub x_span_ms: u64,
}

/// The x scale: start times (µs since the epoch) from `lo` at the left margin to `lo + span_us`
/// at the right one. With a single start time (span 0) every dot sits in the middle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StartScale {
    lo_us: u64,
    span_us: u64,
    left: f64,
    width: f64,
}

impl StartScale {
    pub fn new(lo_us: u64, hi_us: u64, frame: &PlotFrame) -> StartScale {
        StartScale { lo_us, span_us: hi_us.saturating_sub(lo_us), left: frame.left, width: frame.inner_width() }
    }

    /// The x of a start time; earlier times count as the scale's start.
    pub fn x(&self, start_us: u64) -> f64 {
        if self.span_us == 0 {
            self.left + self.width / 2.0
        } else {
            self.left + start_us.saturating_sub(self.lo_us) as f64 / self.span_us as f64 * self.width
        }
    }
}

/// The y scale: durations (µs) from 0 at the bottom margin up to `max_us` at the top one (SVG's y
/// grows downwards). Longer durations stop at the top.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DurationScale {
    max_us: u64,
    top: f64,
    height: f64,
}

impl DurationScale {
    /// A scale up to `max_us` (0 is read as 1 µs, so an all-instant answer stays finite).
    pub fn new(max_us: u64, frame: &PlotFrame) -> DurationScale {
        DurationScale { max_us: max_us.max(1), top: frame.top, height: frame.inner_height() }
    }

    pub fn y(&self, duration_us: u64) -> f64 {
        self.top + self.height - (duration_us as f64 / self.max_us as f64).min(1.0) * self.height
    }

    /// Round durations from 0 up to the longest, about four intervals (1-2-5 × 10ⁿ µs).
    pub fn ticks(&self) -> Vec<AxisTick<String>> {
        let step = nice_step(self.max_us as f64, 4).max(1.0);
        (0..)
            .map(|k| k as f64 * step)
            .take_while(|v| *v <= self.max_us as f64)
            .map(|v| AxisTick { at: self.y(v as u64), value: format_duration(v) })
            .collect()
    }
}

/// Steps a time axis may use, ms: round wall-clock units.
const TIME_STEPS_MS: [u64; 27] = [
    1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000,
    900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

const DAY_MS: u64 = 86_400_000;

/// At most this many time ticks, whatever the step.
const MAX_TIME_TICKS: usize = 12;

/// The time axis step for `span_ms`: the smallest round unit giving at most five intervals; past
/// five days, whole days.
pub fn time_step_ms(span_ms: u64) -> u64 {
    TIME_STEPS_MS.iter().copied().find(|s| span_ms / s <= 5).unwrap_or(DAY_MS * (span_ms / 5 / DAY_MS + 1))
}

/// Tick times (ms since the epoch) from `lo_ms` to `hi_ms`: the multiples of the step in the
/// wall clock of a zone `offset_minutes` east of UTC, so ticks fall on that zone's round hours.
pub fn time_ticks_ms(lo_ms: u64, hi_ms: u64, offset_minutes: i32) -> Vec<u64> {
    if hi_ms < lo_ms {
        return Vec::new();
    }
    // i128: no start time or offset can overflow it, so the rounding below never wraps.
    let step = i128::from(time_step_ms(hi_ms - lo_ms));
    let offset = i128::from(offset_minutes) * 60_000;
    let (lo, hi) = (i128::from(lo_ms), i128::from(hi_ms));
    // First multiple of `step` at or after `lo` in the zone's wall clock.
    let mut t = (lo + offset).div_euclid(step) * step - offset;
    if t < lo {
        t += step;
    }
    let mut ticks = Vec::new();
    while t <= hi && ticks.len() < MAX_TIME_TICKS {
        ticks.push(t as u64);
        t += step;
    }
    ticks
}

/// Scatter geometry for the results at `indices` (the filtered, sorted selection): x is the start
/// time over the selection's span, y the duration from 0 (bottom) to the longest selected.
/// `offset_minutes` aligns time ticks with the shown zone's round minutes and hours.
pub fn scatter(set: &ResultSet, indices: &[u32], frame: PlotFrame, offset_minutes: i32) -> Scatter {
    let picked: Vec<(u32, &TraceSummary)> = indices.iter().filter_map(|&i| set.get(i).map(|s| (i, s))).collect();
    // Untimed traces (start 0) do not stretch the axis back to 1970; they sit at its start.
    let timed = picked.iter().filter(|(_, s)| s.start > 0);
    let lo = timed.clone().map(|(_, s)| s.start).min().unwrap_or(0);
    let hi = timed.map(|(_, s)| s.start).max().unwrap_or(0);
    let max_d = picked.iter().map(|(_, s)| s.duration).max().unwrap_or(0);
    let xs = StartScale::new(lo, hi, &frame);
    let ys = DurationScale::new(max_d, &frame);
    let mut points: Vec<ScatterPoint> = picked
        .iter()
        .map(|(i, s)| ScatterPoint { index: *i, x: xs.x(s.start.max(lo)), y: ys.y(s.duration), error: has_error(s) })
        .collect();
    // Failed traces last, so they are drawn over the others (SVG paints in document order).
    sorting::sort_by_key(&mut points, |p| p.error);
    // A single start time has no axis to label (its dots sit in the middle).
    let x_ticks = if hi > lo { time_ticks_ms(lo / 1_000, hi / 1_000, offset_minutes) } else { Vec::new() }
        .into_iter()
        .map(|t| AxisTick { at: xs.x(t.saturating_mul(1_000)), value: t })
        .collect();
    Scatter { points, x_ticks, y_ticks: ys.ticks(), x_span_ms: hi.saturating_sub(lo) / 1_000 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search_results::{ResultFilter, SortOrder};
    use crate::trace_model::ErrorKind;

    fn summary(id: &str, start: u64, duration: u64, error: bool) -> TraceSummary {
        TraceSummary {
            trace_id: id.into(),
            start,
            duration,
            error: if error { ErrorKind::Critical } else { ErrorKind::None },
            ..Default::default()
        }
    }

    /// Three results: starts at 3 s, 1 s and 2 s; the one at 1 s is the longest and failed.
    fn set() -> ResultSet {
        ResultSet::new(vec![
            summary("a1", 3_000_000, 500, false),
            summary("b2", 1_000_000, 9_000, true),
            summary("c3", 2_000_000, 100, false),
        ])
    }

    /// 200 × 120 px with 10 px margins: the plot is 180 × 100 px, from (10, 10) to (190, 110).
    const FRAME: PlotFrame =
        PlotFrame { width: 200.0, height: 120.0, left: 10.0, right: 10.0, top: 10.0, bottom: 10.0 };

    #[test]
    fn the_start_scale_maps_the_range_across_the_plot() {
        let xs = StartScale::new(1_000_000, 3_000_000, &FRAME);
        assert_eq!((xs.x(1_000_000), xs.x(1_500_000), xs.x(3_000_000)), (10.0, 55.0, 190.0));
        // Earlier than the range: its start.
        assert_eq!(xs.x(0), 10.0);
        // One start time: the middle.
        assert_eq!(StartScale::new(5, 5, &FRAME).x(5), 100.0);
    }

    #[test]
    fn the_duration_scale_grows_upwards_and_stops_at_the_top() {
        let ys = DurationScale::new(8_000, &FRAME);
        assert_eq!((ys.y(0), ys.y(2_000), ys.y(8_000), ys.y(20_000)), (110.0, 85.0, 10.0, 10.0));
        // Nothing but instants: finite, at the bottom.
        assert_eq!(DurationScale::new(0, &FRAME).y(0), 110.0);
    }

    #[test]
    fn duration_ticks_are_round_and_reach_the_longest() {
        // Up to 8 ms: a 2 ms step, 0 to 8 ms inclusive.
        let ticks = DurationScale::new(8_000, &FRAME).ticks();
        let labels: Vec<&str> = ticks.iter().map(|t| t.value.as_str()).collect();
        assert_eq!(labels, ["0ms", "2ms", "4ms", "6ms", "8ms"]);
        assert_eq!(ticks.iter().map(|t| t.at).collect::<Vec<_>>(), [110.0, 85.0, 60.0, 35.0, 10.0]);
        // Up to 9 ms: 2 ms would make five intervals, so 5 ms steps (0 and 5 ms, below the top).
        let nine = DurationScale::new(9_000, &FRAME).ticks();
        assert_eq!(nine.iter().map(|t| t.value.as_str()).collect::<Vec<_>>(), ["0ms", "5ms"]);
        // An empty or instant answer is read as up to 1 µs: ticks at 0 (the bottom) and 1 µs.
        let flat = DurationScale::new(0, &FRAME).ticks();
        assert_eq!(flat.iter().map(|t| (t.at, t.value.as_str())).collect::<Vec<_>>(), [(110.0, "0ms"), (10.0, "1μs")]);
    }

    #[test]
    fn time_steps_give_at_most_five_intervals() {
        assert_eq!(time_step_ms(4), 1);
        assert_eq!(time_step_ms(2_000), 500);
        assert_eq!(time_step_ms(60_000), 15_000);
        assert_eq!(time_step_ms(4 * 3_600_000), 3_600_000);
        assert_eq!(time_step_ms(5 * 86_400_000), 86_400_000);
        // A month of starts: whole days (7 of them), about five intervals.
        assert_eq!(time_step_ms(30 * 86_400_000), 7 * 86_400_000);
    }

    #[test]
    fn time_ticks_fall_on_round_times_of_the_zone() {
        // 1.2 s .. 3.1 s: 500 ms steps, from the first at or after the start.
        assert_eq!(time_ticks_ms(1_200, 3_100, 0), [1_500, 2_000, 2_500, 3_000]);
        // 10:00 to 14:30 UTC: hourly, on the hour in UTC and on the half hour at UTC+05:30.
        let hour = 3_600_000;
        assert_eq!(time_ticks_ms(10 * hour, 14 * hour + hour / 2, 0)[0], 10 * hour);
        assert_eq!(time_ticks_ms(10 * hour, 14 * hour + hour / 2, 330)[0], 10 * hour + hour / 2);
        // West of UTC rounds the same way (UTC-03:30).
        assert_eq!(time_ticks_ms(10 * hour, 14 * hour + hour / 2, -210)[0], 10 * hour + hour / 2);
        // Starts within one millisecond: that millisecond; a reversed range: nothing; a huge
        // span is cut at twelve.
        assert_eq!(time_ticks_ms(5_000, 5_000, 0), [5_000]);
        assert!(time_ticks_ms(5_001, 5_000, 0).is_empty());
        assert!(time_ticks_ms(0, u64::MAX / 1_000, 0).len() <= MAX_TIME_TICKS);
        assert!(time_ticks_ms(u64::MAX - 10, u64::MAX, -720).len() <= MAX_TIME_TICKS);
    }

    #[test]
    fn a_tooltip_is_placed_in_shares_of_the_box() {
        assert_eq!(FRAME.share(50.0, 60.0), (0.25, 0.5));
        assert_eq!((FRAME.inner_width(), FRAME.inner_height()), (180.0, 100.0));
        let tiny = PlotFrame { width: 0.0, height: 0.0, left: 10.0, right: 10.0, top: 0.0, bottom: 0.0 };
        assert_eq!((tiny.inner_width(), tiny.share(0.5, 0.0)), (1.0, (0.5, 0.0)));
    }

    #[test]
    fn scatter_places_points_inside_the_frame() {
        let s = set();
        let frame = PlotFrame { width: 220.0, height: 120.0, left: 10.0, right: 10.0, top: 10.0, bottom: 10.0 };
        let all = s.select(&ResultFilter::default(), SortOrder::Newest);
        let plot = scatter(&s, &all, frame, 0);
        assert_eq!(plot.points.len(), 3);
        let p = |id: u32| *plot.points.iter().find(|p| p.index == id).unwrap();
        assert_eq!((p(1).x, p(1).y, p(1).error), (10.0, 10.0, true)); // oldest, longest
        assert_eq!(p(0).x, 210.0); // newest at the right edge
        assert_eq!(p(2).x, 110.0);
        assert!(plot.points.iter().all(|p| p.y >= 10.0 && p.y <= 110.0));
        assert_eq!(plot.y_ticks[0].value, "0ms");
        assert_eq!(plot.y_ticks[0].at, 110.0);
        // 2 s of starts: ticks every 500 ms, on round times.
        assert_eq!(plot.x_ticks.iter().map(|t| t.value).collect::<Vec<_>>(), vec![1_000, 1_500, 2_000, 2_500, 3_000]);
        // Drawing order: the failed trace (1) last, the others as selected.
        assert_eq!(scatter(&s, &[1, 2, 0], frame, 0).points.iter().map(|p| p.index).collect::<Vec<_>>(), [2, 0, 1]);
        // Following a filter: one point, centred.
        let one = scatter(&s, &[2], frame, 0);
        assert_eq!((one.points.len(), one.points[0].x), (1, 110.0));
        assert!(scatter(&s, &[], frame, 0).points.is_empty());
    }

    #[test]
    fn time_ticks_align_to_the_shown_zone() {
        let hour = 3_600_000_000u64; // µs
        let s = ResultSet::new(vec![summary("a", 10 * hour, 1, false), summary("b", 14 * hour + hour / 2, 1, false)]);
        let frame = PlotFrame { width: 100.0, height: 100.0, left: 0.0, right: 0.0, top: 0.0, bottom: 0.0 };
        let utc = scatter(&s, &[0, 1], frame, 0);
        assert_eq!(utc.x_ticks[0].value, 36_000_000);
        let half = scatter(&s, &[0, 1], frame, 30);
        // At UTC+00:30 the round hours fall on the half hours of UTC.
        assert_eq!(half.x_ticks[0].value, 36_000_000 + 1_800_000);
    }
}
