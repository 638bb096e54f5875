//! An axis-aligned rectangle, in whatever units its user draws in (canvas pixels for the trace
//! minimap's bars, layout units for the dependency graph's nodes).

#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    /// True when the point lies inside the rectangle grown by `pad` on every side.
    pub fn contains(&self, x: f64, y: f64, pad: f64) -> bool {
        x >= self.x - pad && x <= self.x + self.width + pad && y >= self.y - pad && y <= self.y + self.height + pad
    }
}
