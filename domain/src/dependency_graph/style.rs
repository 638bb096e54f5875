//! How traffic and errors look: an edge's colour class from its error rate and the configured
//! thresholds (Lens's `dependency.lowErrorRate`/`highErrorRate`), node radius by traffic and edge
//! width by calls, on scales that keep a 50,000-call hub and a 1-call edge both visible.

/// Errors per call, in 0..=1 (0 without calls; more errors than calls counts as 1).
pub fn error_rate(calls: u64, errors: u64) -> f64 {
    if calls == 0 {
        0.0
    } else {
        (errors as f64 / calls as f64).min(1.0)
    }
}

/// An edge's colour class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorLevel {
    /// No errors, or fewer than `lowErrorRate`.
    Normal,
    /// At least `lowErrorRate` of the calls failed (Lens's "warning").
    Low,
    /// At least `highErrorRate` failed (Lens's "danger").
    High,
}

impl ErrorLevel {
    /// The CSS class suffix and legend word.
    pub fn name(self) -> &'static str {
        match self {
            ErrorLevel::Normal => "normal",
            ErrorLevel::Low => "warning",
            ErrorLevel::High => "danger",
        }
    }
}

/// The class of an edge, as Lens colours it: rate ≥ high is danger, ≥ low is warning. A link
/// without errors is always normal, even with a threshold of 0.
pub fn error_level(calls: u64, errors: u64, low: f64, high: f64) -> ErrorLevel {
    let rate = error_rate(calls, errors);
    if errors == 0 {
        ErrorLevel::Normal
    } else if rate >= high {
        ErrorLevel::High
    } else if rate >= low {
        ErrorLevel::Low
    } else {
        ErrorLevel::Normal
    }
}

/// Smallest and largest node radius, in layout units. The layout keeps 40 units between nodes
/// of a layer, so the largest circles just touch their neighbours' at most.
pub const NODE_RADIUS: (f64, f64) = (4.0, 16.0);

/// Thinnest and thickest edge, in layout units.
pub const EDGE_WIDTH: (f64, f64) = (1.0, 6.0);

/// Node radius by traffic (calls in plus out): area grows with traffic (square-root scale).
pub fn node_radius(traffic: u64, max_traffic: u64) -> f64 {
    let share = if max_traffic == 0 { 0.0 } else { (traffic as f64 / max_traffic as f64).clamp(0.0, 1.0) };
    NODE_RADIUS.0 + (NODE_RADIUS.1 - NODE_RADIUS.0) * share.sqrt()
}

/// Edge width by call count, on a log scale: call counts span five orders of magnitude.
pub fn edge_width(calls: u64, max_calls: u64) -> f64 {
    let share = if max_calls == 0 { 0.0 } else { (calls as f64).ln_1p() / (max_calls as f64).ln_1p() };
    EDGE_WIDTH.0 + (EDGE_WIDTH.1 - EDGE_WIDTH.0) * share.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_follow_the_thresholds() {
        assert_eq!(error_level(10, 0, 0.0, 0.0), ErrorLevel::Normal);
        assert_eq!(error_level(10, 4, 0.5, 0.75), ErrorLevel::Normal);
        assert_eq!(error_level(10, 5, 0.5, 0.75), ErrorLevel::Low);
        assert_eq!(error_level(10, 8, 0.5, 0.75), ErrorLevel::High);
        assert_eq!(error_level(0, 3, 0.5, 0.75), ErrorLevel::Normal);
        assert_eq!(error_level(2, 9, 0.5, 0.75), ErrorLevel::High);
    }

    #[test]
    fn sizes_are_monotonic_and_bounded() {
        assert_eq!(node_radius(0, 0), NODE_RADIUS.0);
        assert_eq!(node_radius(100, 100), NODE_RADIUS.1);
        assert!(node_radius(10, 100) < node_radius(50, 100));
        assert_eq!(edge_width(1_000, 1_000), EDGE_WIDTH.1);
        assert!(edge_width(1, 50_000) > EDGE_WIDTH.0 && edge_width(1, 50_000) < edge_width(100, 50_000));
    }
}
