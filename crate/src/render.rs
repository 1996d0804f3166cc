//! Rasterisers for the dense views: a value field on a grid plus data points, written as RGBA
//! pixels (the decision boundary is one image, not thousands of rectangles). Plain Rust, so it
//! is unit-tested natively; `web` only hands the pixels to a canvas.
//!
//! Colours are the Okabe–Ito palette, chosen to stay distinguishable under the common forms of
//! colour blindness; two-class and signed views use its orange and blue as TensorFlow
//! Playground does.

use crate::data::{Task, DOMAIN};

/// Okabe–Ito colours for up to six classes: orange, blue, bluish green, reddish purple,
/// sky blue, yellow.
pub const CLASS_COLORS: [[u8; 3]; 6] =
    [[230, 159, 0], [0, 114, 178], [0, 158, 115], [204, 121, 167], [86, 180, 233], [240, 228, 66]];
/// Negative and positive ends of the signed scale, and its midpoint.
const NEGATIVE: [u8; 3] = [230, 159, 0];
const POSITIVE: [u8; 3] = [0, 114, 178];
const NEUTRAL: [u8; 3] = [247, 247, 247];

/// Values on a res × res grid over the domain, row 0 at the top.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    pub res: usize,
    /// Winning class per cell (classification fields only).
    pub class: Vec<u8>,
    /// Confidence in [0, 1] (classification) or a signed value.
    pub value: Vec<f32>,
}

impl Field {
    pub fn new(res: usize, task: Task) -> Field {
        let cells = res * res;
        let class = match task {
            Task::Classification { .. } => vec![0; cells],
            Task::Regression => Vec::new(),
        };
        Field { res, class, value: vec![0.0; cells] }
    }

    /// Largest absolute value (at least a tiny positive number).
    pub fn max_abs(&self) -> f32 {
        self.value.iter().fold(1e-6f32, |m, v| if v.is_finite() { m.max(v.abs()) } else { m })
    }
}

/// An RGBA image, row-major, 4 bytes a pixel.
#[derive(Debug, Clone, PartialEq)]
pub struct Rgba {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl Rgba {
    pub fn new(width: usize, height: usize) -> Rgba {
        Rgba { width, height, pixels: vec![255; width * height * 4] }
    }
    pub fn get(&self, x: usize, y: usize) -> [u8; 4] {
        let i = (y * self.width + x) * 4;
        [self.pixels[i], self.pixels[i + 1], self.pixels[i + 2], self.pixels[i + 3]]
    }
    fn put(&mut self, x: usize, y: usize, c: [u8; 3]) {
        let i = (y * self.width + x) * 4;
        self.pixels[i..i + 3].copy_from_slice(&c);
        self.pixels[i + 3] = 255;
    }
}

/// How to colour a field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Shading {
    /// Class colour faded towards white by (1 - confidence); `discrete` ignores confidence.
    Classes { discrete: bool },
    /// Orange (negative) to white to blue (positive), `value / scale` clamped to [-1, 1];
    /// `discrete` shows only the sign.
    Signed { scale: f32, discrete: bool },
}

fn mix(a: [u8; 3], b: [u8; 3], t: f32) -> [f32; 3] {
    let t = t.clamp(0.0, 1.0);
    [0, 1, 2].map(|i| a[i] as f32 + (b[i] as f32 - a[i] as f32) * t)
}

/// Colour of one field cell, as floats for interpolation.
fn cell_color(field: &Field, cell: usize, shading: Shading) -> [f32; 3] {
    let v = field.value[cell];
    match shading {
        Shading::Classes { discrete } => {
            let c = CLASS_COLORS[field.class[cell] as usize % CLASS_COLORS.len()];
            // Keep even a certain region light enough for points to stand out on it.
            let strength = if discrete { 0.6 } else { 0.15 + 0.55 * v.clamp(0.0, 1.0) };
            mix(NEUTRAL, c, strength)
        }
        Shading::Signed { scale, discrete } => {
            let mut t = if v.is_finite() { (v / scale).clamp(-1.0, 1.0) } else { 0.0 };
            if discrete {
                t = if t > 0.0 {
                    0.7
                } else if t < 0.0 {
                    -0.7
                } else {
                    0.0
                };
            }
            if t >= 0.0 {
                mix(NEUTRAL, POSITIVE, t * 0.85)
            } else {
                mix(NEUTRAL, NEGATIVE, -t * 0.85)
            }
        }
    }
}

/// Paints the field over the whole image, interpolating colours bilinearly between cell
/// centres (discrete shading keeps hard edges by taking the nearest cell).
pub fn paint_field(img: &mut Rgba, field: &Field, shading: Shading) {
    let res = field.res;
    if res == 0 || img.width == 0 || img.height == 0 {
        return;
    }
    let colors: Vec<[f32; 3]> = (0..res * res).map(|c| cell_color(field, c, shading)).collect();
    let discrete = matches!(shading, Shading::Classes { discrete: true } | Shading::Signed { discrete: true, .. });
    let sx = res as f32 / img.width as f32;
    let sy = res as f32 / img.height as f32;
    let last = (res - 1) as f32;
    for y in 0..img.height {
        let fy = ((y as f32 + 0.5) * sy - 0.5).clamp(0.0, last);
        for x in 0..img.width {
            let fx = ((x as f32 + 0.5) * sx - 0.5).clamp(0.0, last);
            let c = if discrete {
                colors[fy.round() as usize * res + fx.round() as usize]
            } else {
                let (x0, y0) = (fx.floor() as usize, fy.floor() as usize);
                let (x1, y1) = ((x0 + 1).min(res - 1), (y0 + 1).min(res - 1));
                let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
                let top = lerp3(colors[y0 * res + x0], colors[y0 * res + x1], tx);
                let bottom = lerp3(colors[y1 * res + x0], colors[y1 * res + x1], tx);
                lerp3(top, bottom, ty)
            };
            img.put(x, y, c.map(|v| v.round() as u8));
        }
    }
}

fn lerp3(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
    [0, 1, 2].map(|i| a[i] + (b[i] - a[i]) * t)
}

/// Pixel position of a data point.
pub fn to_pixel(img: &Rgba, p: [f64; 2]) -> (f64, f64) {
    let x = (p[0] + DOMAIN) / (2.0 * DOMAIN) * img.width as f64;
    let y = (DOMAIN - p[1]) / (2.0 * DOMAIN) * img.height as f64;
    (x, y)
}

/// Fill colour of a point of the given target.
pub fn point_color(task: Task, target: f64) -> [u8; 3] {
    match task {
        Task::Classification { .. } => CLASS_COLORS[(target.max(0.0) as usize) % CLASS_COLORS.len()],
        Task::Regression => {
            let t = target.clamp(-1.0, 1.0) as f32;
            let c = if t >= 0.0 { mix(NEUTRAL, POSITIVE, t) } else { mix(NEUTRAL, NEGATIVE, -t) };
            c.map(|v| v.round() as u8)
        }
    }
}

/// Draws points as discs of `radius` pixels with a ring: white for training points, near
/// black for test points, so the two read apart without relying on colour.
pub fn paint_points(
    img: &mut Rgba,
    points: &[[f64; 2]],
    targets: &[f64],
    rows: &[usize],
    task: Task,
    test: bool,
    radius: f64,
) {
    let ring = if test { [20, 20, 20] } else { [255, 255, 255] };
    let r_out = radius;
    let r_in = (radius - radius.max(2.0) * 0.3).max(0.5);
    let reach = r_out.ceil() as i64;
    for &row in rows {
        let (cx, cy) = to_pixel(img, points[row]);
        let fill = point_color(task, targets[row]);
        let (px, py) = (cx.floor() as i64, cy.floor() as i64);
        for dy in -reach..=reach {
            for dx in -reach..=reach {
                let (x, y) = (px + dx, py + dy);
                if x < 0 || y < 0 || x >= img.width as i64 || y >= img.height as i64 {
                    continue;
                }
                let (ddx, ddy) = (x as f64 + 0.5 - cx, y as f64 + 0.5 - cy);
                let d = (ddx * ddx + ddy * ddy).sqrt();
                if d <= r_in {
                    img.put(x as usize, y as usize, fill);
                } else if d <= r_out {
                    img.put(x as usize, y as usize, ring);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classification_field_paints_class_colours_faded_by_confidence() {
        let mut f = Field::new(2, Task::Classification { classes: 2 });
        f.class = vec![0, 1, 1, 0];
        f.value = vec![1.0, 1.0, 0.0, 0.0];
        let mut img = Rgba::new(2, 2);
        paint_field(&mut img, &f, Shading::Classes { discrete: true });
        // Discrete: same strength everywhere, hue by class.
        assert_eq!(img.get(0, 0), img.get(1, 1));
        assert_ne!(img.get(0, 0), img.get(1, 0));
        let mut smooth = Rgba::new(2, 2);
        paint_field(&mut smooth, &f, Shading::Classes { discrete: false });
        // A confident cell is more saturated (further from white) than an unsure one.
        let sat = |p: [u8; 4]| 765 - (p[0] as i32 + p[1] as i32 + p[2] as i32);
        assert!(sat(smooth.get(0, 0)) > sat(smooth.get(1, 1)));
    }

    #[test]
    fn signed_field_is_orange_below_zero_and_blue_above() {
        let mut f = Field::new(1, Task::Regression);
        f.value = vec![-2.0];
        let mut img = Rgba::new(1, 1);
        paint_field(&mut img, &f, Shading::Signed { scale: 1.0, discrete: false });
        let p = img.get(0, 0);
        assert!(p[0] > p[2], "orange has more red than blue: {p:?}");
        f.value = vec![2.0];
        paint_field(&mut img, &f, Shading::Signed { scale: 1.0, discrete: false });
        let p = img.get(0, 0);
        assert!(p[2] > p[0], "blue: {p:?}");
    }

    #[test]
    fn points_land_where_their_coordinates_say() {
        let mut img = Rgba::new(100, 100);
        let task = Task::Classification { classes: 2 };
        // (6, 6) is the top-right corner; (-3, -3) is at pixel (25, 75).
        paint_points(&mut img, &[[-3.0, -3.0]], &[1.0], &[0], task, false, 4.0);
        assert_eq!(img.get(25, 75)[..3], CLASS_COLORS[1]);
        assert_eq!(img.get(75, 25), [255, 255, 255, 255]);
        paint_points(&mut img, &[[3.0, 3.0]], &[0.0], &[0], task, true, 4.0);
        assert_eq!(img.get(75, 25)[..3], CLASS_COLORS[0]);
        // The test ring is dark.
        assert_eq!(img.get(75 + 3, 25)[..3], [20, 20, 20]);
    }
}
