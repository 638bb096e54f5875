//! Pan and zoom: the map from layout units to screen pixels (`screen = world · scale + offset`),
//! zooming about a point (wheel, keyboard), panning (drag, arrows) and fitting the graph.

use crate::rect::Rect;

/// The view transform.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub scale: f64,
    pub offset_x: f64,
    pub offset_y: f64,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport { scale: 1.0, offset_x: 0.0, offset_y: 0.0 }
    }
}

/// Zoom limits: far enough out for a 1,000-service graph on a phone, far enough in to read a label.
pub const MIN_SCALE: f64 = 0.005;
pub const MAX_SCALE: f64 = 8.0;

/// Zoom factor of one keyboard step or one wheel notch (100 px of `deltaY`).
pub const ZOOM_STEP: f64 = 1.25;

impl Viewport {
    /// Screen pixel of a layout point.
    pub fn to_screen(&self, x: f64, y: f64) -> (f64, f64) {
        (x * self.scale + self.offset_x, y * self.scale + self.offset_y)
    }

    /// Layout point under a screen pixel.
    pub fn to_world(&self, sx: f64, sy: f64) -> (f64, f64) {
        ((sx - self.offset_x) / self.scale, (sy - self.offset_y) / self.scale)
    }

    /// Zooms by `factor` keeping the layout point under `(sx, sy)` in place; the scale stays in
    /// [`MIN_SCALE`, `MAX_SCALE`].
    pub fn zoomed_at(&self, sx: f64, sy: f64, factor: f64) -> Viewport {
        if !factor.is_finite() || factor <= 0.0 {
            return *self;
        }
        let scale = (self.scale * factor).clamp(MIN_SCALE, MAX_SCALE);
        let (wx, wy) = self.to_world(sx, sy);
        Viewport { scale, offset_x: sx - wx * scale, offset_y: sy - wy * scale }
    }

    /// The zoom factor of a wheel event's `deltaY` in pixels (negative zooms in): smooth for
    /// trackpads, one [`ZOOM_STEP`] per 100 px notch for mice.
    pub fn wheel_factor(delta_y: f64) -> f64 {
        if !delta_y.is_finite() {
            return 1.0;
        }
        ZOOM_STEP.powf(-delta_y.clamp(-500.0, 500.0) / 100.0)
    }

    /// Moves the picture by screen pixels.
    pub fn panned(&self, dx: f64, dy: f64) -> Viewport {
        if !dx.is_finite() || !dy.is_finite() {
            return *self;
        }
        Viewport { offset_x: self.offset_x + dx, offset_y: self.offset_y + dy, ..*self }
    }

    /// The transform showing all of `bounds` centred in a `width` × `height` screen with
    /// `margin` pixels around, never zoomed in past 1 (a two-service graph stays life-size).
    pub fn fit(bounds: Rect, width: f64, height: f64, margin: f64) -> Viewport {
        let avail_w = (width - 2.0 * margin).max(1.0);
        let avail_h = (height - 2.0 * margin).max(1.0);
        let scale = if bounds.width <= 0.0 || bounds.height <= 0.0 {
            1.0
        } else {
            (avail_w / bounds.width).min(avail_h / bounds.height).min(1.0)
        };
        let scale = if scale.is_finite() { scale.clamp(MIN_SCALE, MAX_SCALE) } else { 1.0 };
        let cx = bounds.x + bounds.width / 2.0;
        let cy = bounds.y + bounds.height / 2.0;
        Viewport { scale, offset_x: width / 2.0 - cx * scale, offset_y: height / 2.0 - cy * scale }
    }

    /// The layout rectangle visible in a `width` × `height` screen (for culling labels).
    pub fn visible(&self, width: f64, height: f64) -> Rect {
        let (x, y) = self.to_world(0.0, 0.0);
        Rect { x, y, width: width / self.scale, height: height / self.scale }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_keeps_the_point_under_the_cursor() {
        let v = Viewport { scale: 0.5, offset_x: 10.0, offset_y: -20.0 };
        let before = v.to_world(300.0, 200.0);
        let z = v.zoomed_at(300.0, 200.0, 2.0);
        assert_eq!(z.scale, 1.0);
        let after = z.to_world(300.0, 200.0);
        assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
        assert_eq!(v.zoomed_at(0.0, 0.0, 1e9).scale, MAX_SCALE);
        assert_eq!(v.zoomed_at(0.0, 0.0, f64::NAN), v);
        assert!(Viewport::wheel_factor(-100.0) > 1.0 && Viewport::wheel_factor(100.0) < 1.0);
    }

    #[test]
    fn fit_centres_and_contains_everything() {
        let bounds = Rect { x: 0.0, y: 0.0, width: 2000.0, height: 1000.0 };
        let v = Viewport::fit(bounds, 1000.0, 800.0, 20.0);
        let (x0, y0) = v.to_screen(0.0, 0.0);
        let (x1, y1) = v.to_screen(2000.0, 1000.0);
        assert!(x0 >= 19.9 && x1 <= 980.1 && y0 >= 0.0 && y1 <= 800.0);
        assert!(((x0 + x1) / 2.0 - 500.0).abs() < 1e-9 && ((y0 + y1) / 2.0 - 400.0).abs() < 1e-9);
        let small = Viewport::fit(Rect { x: 0.0, y: 0.0, width: 10.0, height: 10.0 }, 1000.0, 800.0, 20.0);
        assert_eq!(small.scale, 1.0);
        assert!(v.visible(1000.0, 800.0).contains(1000.0, 500.0, 0.0));
    }
}
