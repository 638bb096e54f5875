//! Time ↔ pixel maths for the waterfall and minimap (the idea of Perfetto's
//! `base/time_scale.ts`): a linear map between a window of microseconds and a pixel span, both
//! ways, readable tick steps (1-2-5 × 10ⁿ µs) and compact duration labels.

/// A linear map from `[start_us, start_us + duration_us]` to `[0, width_px]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TimeScale {
    pub start_us: f64,
    pub duration_us: f64,
    pub width_px: f64,
}

/// One tick on the time axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Tick {
    /// Offset from the window start, µs.
    pub offset_us: f64,
    pub px: f64,
    pub label: String,
}

impl TimeScale {
    /// A scale; a zero or negative duration or width is widened to 1 so maths stays finite.
    pub fn new(start_us: f64, duration_us: f64, width_px: f64) -> Self {
        let fix = |v: f64| if v.is_finite() && v > 0.0 { v } else { 1.0 };
        TimeScale {
            start_us: if start_us.is_finite() { start_us } else { 0.0 },
            duration_us: fix(duration_us),
            width_px: fix(width_px),
        }
    }

    /// Pixel position of an absolute time (µs since epoch).
    pub fn to_px(&self, us: f64) -> f64 {
        (us - self.start_us) * self.width_px / self.duration_us
    }

    /// Pixel length of a duration.
    pub fn len_px(&self, duration_us: f64) -> f64 {
        duration_us * self.width_px / self.duration_us
    }

    /// Absolute time (µs since epoch) at a pixel position.
    pub fn to_us(&self, px: f64) -> f64 {
        self.start_us + px * self.duration_us / self.width_px
    }

    /// The scale showing `[from_px, to_px]` of this one across the same width (drag to zoom).
    pub fn zoomed(&self, from_px: f64, to_px: f64) -> TimeScale {
        let (a, b) = if from_px <= to_px { (from_px, to_px) } else { (to_px, from_px) };
        let start = self.to_us(a);
        TimeScale::new(start, self.to_us(b) - start, self.width_px)
    }

    /// Ticks at a readable step, at most about `max_ticks` of them, starting at 0.
    pub fn ticks(&self, max_ticks: usize) -> Vec<Tick> {
        let step = nice_step(self.duration_us, max_ticks.max(1));
        let count = (self.duration_us / step).floor() as usize;
        (0..=count.min(10_000))
            .map(|k| {
                let offset = k as f64 * step;
                Tick { offset_us: offset, px: self.len_px(offset), label: format_duration(offset) }
            })
            .collect()
    }
}

/// The smallest 1, 2 or 5 × 10ⁿ µs step that splits `range_us` into at most `max_ticks`
/// intervals (at least 1 µs).
pub fn nice_step(range_us: f64, max_ticks: usize) -> f64 {
    if !(range_us.is_finite() && range_us > 0.0) {
        return 1.0;
    }
    let raw = range_us / max_ticks.max(1) as f64;
    let mut magnitude = 10f64.powf(raw.log10().floor()).max(1.0);
    loop {
        for m in [1.0, 2.0, 5.0] {
            let step = m * magnitude;
            if step >= raw {
                return step;
            }
        }
        magnitude *= 10.0;
    }
}

/// Durations as text live with the other time formats; re-exported here, where the tick labels use it.
pub use super::time_format::format_duration;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_both_ways() {
        let s = TimeScale::new(1_000.0, 2_000.0, 400.0);
        assert_eq!(s.to_px(2_000.0), 200.0);
        assert_eq!(s.to_us(200.0), 2_000.0);
        assert_eq!(s.len_px(500.0), 100.0);
    }

    #[test]
    fn readable_steps() {
        assert_eq!(nice_step(1_000.0, 10), 100.0);
        assert_eq!(nice_step(1_300.0, 10), 200.0);
        assert_eq!(nice_step(4_100.0, 10), 500.0);
        assert_eq!(nice_step(3.0, 10), 1.0);
        let ticks = TimeScale::new(0.0, 93_577.0, 1000.0).ticks(5);
        assert_eq!(ticks[1].label, "20ms");
        assert!(ticks.len() <= 6);
    }
}
