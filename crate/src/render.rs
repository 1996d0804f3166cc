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
/// Okabe–Ito's colour-blind-safe palette in its usual order, then vermillion, a dark grey, a
/// brown and a light grey so the ten digits each get their own colour.
pub const CLASS_COLORS: [[u8; 3]; 10] = [
    [230, 159, 0],
    [0, 114, 178],
    [0, 158, 115],
    [204, 121, 167],
    [86, 180, 233],
    [240, 228, 66],
    [213, 94, 0],
    [68, 68, 68],
    [140, 81, 10],
    [170, 170, 170],
];
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
    /// Every `stride`-th cell in both directions (a field for a small image: a 38-pixel
    /// thumbnail gains nothing from colouring all of a 100 × 100 grid).
    pub fn decimate(&self, stride: usize) -> Field {
        let stride = stride.max(1);
        if stride == 1 || self.res == 0 {
            return self.clone();
        }
        let res = self.res.div_ceil(stride);
        let mut class = Vec::with_capacity(if self.class.is_empty() { 0 } else { res * res });
        let mut value = Vec::with_capacity(res * res);
        for row in (0..self.res).step_by(stride) {
            for col in (0..self.res).step_by(stride) {
                let cell = row * self.res + col;
                if !self.class.is_empty() {
                    class.push(self.class[cell]);
                }
                value.push(self.value[cell]);
            }
        }
        Field { res, class, value }
    }

    pub fn new(res: usize, task: Task) -> Field {
        let cells = res * res;
        let class = match task {
            Task::Classification { .. } => vec![0; cells],
            Task::Regression => Vec::new(),
        };
        Field { res, class, value: vec![0.0; cells] }
    }

    /// Largest absolute value of the finite values (at least a tiny positive number).
    pub fn max_abs(&self) -> f32 {
        // Non-negative floats order like their bit patterns, and an integer max avoids the
        // NaN handling that makes `f32::max` slow in wasm (this runs for every thumbnail).
        let finite_bits = |v: &f32| {
            let bits = v.abs().to_bits();
            if bits < f32::INFINITY.to_bits() {
                bits
            } else {
                0
            }
        };
        let max_bits = self.value.iter().map(finite_bits).max().unwrap_or(0);
        f32::from_bits(max_bits).max(1e-6)
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

/// A cell's colour: `NEUTRAL` blended towards `target` by `strength` (clamped to [0, 1]).
#[derive(Debug, Clone, Copy)]
struct Tint {
    target: [u8; 3],
    strength: f32,
}

impl Tint {
    fn of_class(class: u8, confidence: f32, discrete: bool) -> Tint {
        let target = CLASS_COLORS[class as usize % CLASS_COLORS.len()];
        // Keep even a certain region light enough for points to stand out on it.
        let strength = if discrete { 0.6 } else { 0.15 + 0.55 * confidence.clamp(0.0, 1.0) };
        Tint { target, strength }
    }

    fn of_signed(v: f32, scale: f32, discrete: bool) -> Tint {
        // Dividing before the finiteness test (not inside it) lets loops of these vectorise.
        let scaled = (v / scale).clamp(-1.0, 1.0);
        let mut t = if v.is_finite() { scaled } else { 0.0 };
        if discrete {
            t = if t > 0.0 {
                0.7
            } else if t < 0.0 {
                -0.7
            } else {
                0.0
            };
        }
        // Chosen channel by channel rather than as whole arrays: plain selects let loops of
        // these be vectorised.
        let positive = t >= 0.0;
        let target = [0, 1, 2].map(|i| if positive { POSITIVE[i] } else { NEGATIVE[i] });
        Tint { target, strength: if positive { t * 0.85 } else { -t * 0.85 } }
    }

    fn color(self) -> [f32; 3] {
        mix(NEUTRAL, self.target, self.strength)
    }

    /// The colour in 1/256ths of a level, for interpolation: within one such step of
    /// `color()`, with one float to integer conversion per cell instead of three. A NaN
    /// strength (a diverged classifier) gives black, as `color()` does. Branch-free, so that
    /// a loop of these can run several cells per instruction when wasm SIMD is enabled.
    fn fixed(self) -> [i32; 3] {
        let nan = self.strength.is_nan();
        // Strengths are made in [0, 1]; clamping keeps the products below 2^24 regardless.
        let s16 = ((self.strength * 65536.0 + 0.5) as i32).clamp(0, 1 << 16);
        [0, 1, 2].map(|i| {
            let (from, to) = (NEUTRAL[i] as i32, self.target[i] as i32);
            let c = from * 256 + (((to - from) * s16 + 128) >> 8);
            if nan {
                0
            } else {
                c
            }
        })
    }
}

/// One grid row's colours in 1/256ths, one array per channel (so the loop that fills them
/// can be vectorised).
#[derive(Debug)]
struct FixedRow {
    r: Vec<i32>,
    g: Vec<i32>,
    b: Vec<i32>,
}

impl FixedRow {
    fn new(len: usize) -> FixedRow {
        FixedRow { r: vec![0; len], g: vec![0; len], b: vec![0; len] }
    }

    /// Fills the row with the fixed-point colours of `tints`.
    fn fill(&mut self, tints: impl ExactSizeIterator<Item = Tint>) {
        let n = tints.len().min(self.r.len());
        let (r, g, b) = (&mut self.r[..n], &mut self.g[..n], &mut self.b[..n]);
        for (i, tint) in tints.take(n).enumerate() {
            let [cr, cg, cb] = tint.fixed();
            (r[i], g[i], b[i]) = (cr, cg, cb);
        }
    }
}

/// Where one pixel column (or row) falls on the grid: the two cells either side of its centre
/// and the blend between them, plus the nearest cell for discrete shading.
#[derive(Debug, Clone, Copy)]
struct Sample {
    lo: usize,
    hi: usize,
    t: f32,
    nearest: usize,
}

/// Samples for `n` pixels spread over `res` cells. Pixel centres map onto cell centres and
/// clamp at the border, so the outermost half cell is flat.
fn samples(n: usize, res: usize) -> Vec<Sample> {
    let scale = res as f32 / n as f32;
    let last = (res - 1) as f32;
    (0..n)
        .map(|i| {
            let f = ((i as f32 + 0.5) * scale - 0.5).clamp(0.0, last);
            let lo = f.floor() as usize;
            Sample { lo, hi: (lo + 1).min(res - 1), t: f - lo as f32, nearest: f.round() as usize }
        })
        .collect()
}

/// Just under one half: adding it and truncating rounds a non-negative value half away from
/// zero exactly like `f32::round` (the libm trick), without the libm call that `round`
/// becomes in wasm.
const HALF_BELOW: f32 = 0.5 - f32::EPSILON / 4.0;

/// A colour channel (in 0..=255, or NaN for an undefined cell) rounded to a byte.
fn to_byte(v: f32) -> u8 {
    (v + HALF_BELOW) as u8
}

fn opaque(c: [u8; 3]) -> [u8; 4] {
    [c[0], c[1], c[2], 255]
}

/// An opaque pixel as one little-endian word, so a pixel is written with one store.
fn pack(c: [u8; 3]) -> u32 {
    u32::from_le_bytes(opaque(c))
}

/// Blends two packed pixels, `w`/256 of the way from `a` to `b` (w in 0..=256), rounding.
/// Red and blue are blended together in one multiply as they sit 16 bits apart, leaving
/// room for the 16-bit products; green goes separately. The result is opaque.
fn blend_packed(a: u32, b: u32, w: u32) -> u32 {
    const RB: u32 = 0x00ff_00ff;
    const G: u32 = 0x0000_ff00;
    let iw = 256 - w;
    let rb = (((a & RB) * iw + (b & RB) * w + 0x0080_0080) >> 8) & RB;
    let g = (((a & G) * iw + (b & G) * w + 0x0000_8000) >> 8) & G;
    rb | g | 0xff00_0000
}

/// Paints the field over the whole image, interpolating colours bilinearly between cell
/// centres (discrete shading keeps hard edges by taking the nearest cell).
pub fn paint_field(img: &mut Rgba, field: &Field, shading: Shading) {
    let res = field.res;
    if res == 0 || img.width == 0 || img.height == 0 {
        return;
    }
    // One copy of the painter per shading, so the colour formula is not dispatched per cell.
    let cells = |row: usize| row * res..(row + 1) * res;
    match shading {
        Shading::Classes { discrete: true } => {
            paint_nearest(img, res, |cell| Tint::of_class(field.class[cell], field.value[cell], true))
        }
        Shading::Signed { scale, discrete: true } => {
            paint_nearest(img, res, |cell| Tint::of_signed(field.value[cell], scale, true))
        }
        Shading::Classes { discrete: false } => paint_bilinear(img, res, |row, out| {
            let tints = field.class[cells(row)].iter().zip(&field.value[cells(row)]);
            out.fill(tints.map(|(&class, &v)| Tint::of_class(class, v, false)));
        }),
        Shading::Signed { scale, discrete: false } => paint_bilinear(img, res, |row, out| {
            out.fill(field.value[cells(row)].iter().map(|&v| Tint::of_signed(v, scale, false)));
        }),
    }
}

/// Each pixel takes the colour of the nearest cell, `tint(i)` for cell i (row-major).
fn paint_nearest(img: &mut Rgba, res: usize, tint: impl Fn(usize) -> Tint) {
    // Per-column and per-row grid positions are computed once, not once per pixel.
    let cols = samples(img.width, res);
    let rows = samples(img.height, res);
    // Only the cells pixels show are coloured: a thumbnail shows a fraction of the grid.
    let mut used: Vec<usize> = cols.iter().map(|c| c.nearest).collect();
    used.dedup(); // nearest cells grow left to right
    let stride = img.width * 4;
    let mut cells = vec![0u32; res];
    let mut prev_row = None;
    for (y, row) in rows.iter().enumerate() {
        let (above, rest) = img.pixels.split_at_mut(y * stride);
        let line = &mut rest[..stride];
        // Upscaled, several pixel rows show the same grid row: copy the one above.
        if prev_row == Some(row.nearest) {
            line.copy_from_slice(&above[above.len() - stride..]);
            continue;
        }
        prev_row = Some(row.nearest);
        for &c in &used {
            cells[c] = pack(tint(row.nearest * res + c).color().map(to_byte));
        }
        for (px, col) in line.chunks_exact_mut(4).zip(&cols) {
            px.copy_from_slice(&cells[col.nearest].to_le_bytes());
        }
    }
}

/// Bilinear interpolation between cell centres, in fixed point; `color_row(r, out)` writes
/// the colours of grid row r. It is separable: each grid row is blended along x once (`top`
/// and `bottom` hold the two grid rows the current pixel row lies between, rounded to
/// bytes), then each pixel is one blend along y. Every channel stays within 1 of blending in
/// floats: the rounding of `top`/`bottom` adds at most ½, and the 1/256 weights along y
/// less than ½ as neighbouring colours differ by under 256.
fn paint_bilinear(img: &mut Rgba, res: usize, mut color_row: impl FnMut(usize, &mut FixedRow)) {
    const X_ONE: i32 = 1 << 12; // weights along x are in 1/4096ths of a cell
                                // Per-column and per-row grid positions are computed once, not once per pixel.
    let cols = samples(img.width, res);
    let rows = samples(img.height, res);
    let x_weights: Vec<i32> = cols.iter().map(|c| (c.t * X_ONE as f32 + 0.5) as i32).collect();
    let mut cells = FixedRow::new(res);
    let mut blend_row = |out: &mut [u32], grid_row: usize| {
        color_row(grid_row, &mut cells);
        let FixedRow { r, g, b } = &cells;
        for ((o, col), &w) in out.iter_mut().zip(&cols).zip(&x_weights) {
            // At most 255 × 256 × 4096 + 2^19 < 2^31; rounds to the nearest byte.
            let blend = |c: &[i32]| ((c[col.lo] * (X_ONE - w) + c[col.hi] * w + (1 << 19)) >> 20) as u32;
            *o = blend(r) | blend(g) << 8 | blend(b) << 16;
        }
    };
    let width = img.width;
    let stride = width * 4;
    let mut top = vec![0u32; width];
    let mut bottom = vec![0u32; width];
    let mut blended: Option<(usize, usize)> = None;
    for (y, row) in rows.iter().enumerate() {
        match blended {
            Some(pair) if pair == (row.lo, row.hi) => {}
            // Moving down one grid row: the old bottom is the new top.
            Some((_, hi)) if hi == row.lo => {
                std::mem::swap(&mut top, &mut bottom);
                blend_row(&mut bottom, row.hi);
            }
            _ => {
                blend_row(&mut top, row.lo);
                blend_row(&mut bottom, row.hi);
            }
        }
        blended = Some((row.lo, row.hi));
        let w = (row.t * 256.0 + 0.5) as u32;
        let line = &mut img.pixels[y * stride..][..stride];
        for ((px, &a), &b) in line.chunks_exact_mut(4).zip(&top).zip(&bottom) {
            px.copy_from_slice(&blend_packed(a, b, w).to_le_bytes());
        }
    }
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
        // Negative labels are DBSCAN's noise points: grey, outside the class palette.
        Task::Classification { .. } if target < 0.0 => [140, 140, 140],
        Task::Classification { .. } => CLASS_COLORS[(target as usize) % CLASS_COLORS.len()],
        Task::Regression => {
            let t = target.clamp(-1.0, 1.0) as f32;
            let c = if t >= 0.0 { mix(NEUTRAL, POSITIVE, t) } else { mix(NEUTRAL, NEGATIVE, -t) };
            c.map(|v| v.round() as u8)
        }
    }
}

/// The largest squared distance whose square root is at most `r`. Comparing squared
/// distances with it gives exactly the same answer as comparing `sqrt(d²) <= r`, which is
/// how the discs are defined, without a square root per pixel.
fn squared_limit(r: f64) -> f64 {
    if r.is_nan() || r < 0.0 {
        return -1.0; // no distance is within a negative (or NaN) radius
    }
    // r * r is within an ulp or two of the limit; step to it (sqrt is monotonic).
    let mut s = r * r;
    while s > 0.0 && s.sqrt() > r {
        s = f64::from_bits(s.to_bits() - 1);
    }
    while s < f64::INFINITY && f64::from_bits(s.to_bits() + 1).sqrt() <= r {
        s = f64::from_bits(s.to_bits() + 1);
    }
    s
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
    let ring = opaque(if test { [20, 20, 20] } else { [255, 255, 255] });
    let r_out = radius;
    let r_in = (radius - (radius * 0.22).max(1.0)).max(0.5);
    let (out_limit, in_limit) = (squared_limit(r_out), squared_limit(r_in));
    let reach = r_out.ceil() as i64;
    let (width, height) = (img.width as i64, img.height as i64);
    let stride = img.width * 4;
    let mut dx2 = Vec::new();
    for &row in rows {
        let (cx, cy) = to_pixel(img, points[row]);
        let fill = opaque(point_color(task, targets[row]));
        let (px, py) = (cx.floor() as i64, cy.floor() as i64);
        // The disc's bounding box, clipped to the image once so the loops need no checks.
        let (x0, x1) = (px.saturating_sub(reach).max(0), px.saturating_add(reach).min(width - 1));
        let (y0, y1) = (py.saturating_sub(reach).max(0), py.saturating_add(reach).min(height - 1));
        if x0 > x1 || y0 > y1 {
            continue;
        }
        // Squared horizontal distances from the centre, shared by every row of the box.
        dx2.clear();
        dx2.extend((x0..=x1).map(|x| {
            let dx = x as f64 + 0.5 - cx;
            dx * dx
        }));
        for y in y0..=y1 {
            let dy = y as f64 + 0.5 - cy;
            let dy2 = dy * dy;
            let line = &mut img.pixels[y as usize * stride..][x0 as usize * 4..(x1 as usize + 1) * 4];
            for (px, &dx2) in line.chunks_exact_mut(4).zip(&dx2) {
                let d2 = dx2 + dy2;
                if d2 <= in_limit {
                    px.copy_from_slice(&fill);
                } else if d2 <= out_limit {
                    px.copy_from_slice(&ring);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimate_keeps_every_stride_th_cell() {
        let mut f = Field::new(5, Task::Classification { classes: 3 });
        f.value = (0..25).map(|v| v as f32).collect();
        f.class = (0..25).map(|v| (v % 3) as u8).collect();
        let d = f.decimate(2);
        assert_eq!(d.res, 3);
        assert_eq!(d.value, vec![0.0, 2.0, 4.0, 10.0, 12.0, 14.0, 20.0, 22.0, 24.0]);
        assert_eq!(d.class, vec![0, 2, 1, 1, 0, 2, 2, 1, 0]);
        assert_eq!(f.decimate(1), f);
    }
    use rand::{Rng as _, SeedableRng};
    use rand_pcg::Pcg64Mcg;

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

    fn lerp3(a: [f32; 3], b: [f32; 3], t: f32) -> [f32; 3] {
        [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t]
    }

    /// The straightforward rasteriser this module used to be: per pixel, float bilinear
    /// interpolation with `f32::round`. The fast one must match it to within 1 per channel.
    fn reference_field(img: &mut Rgba, field: &Field, shading: Shading) {
        let res = field.res;
        let color = |cell: usize| match shading {
            Shading::Classes { discrete } => Tint::of_class(field.class[cell], field.value[cell], discrete).color(),
            Shading::Signed { scale, discrete } => Tint::of_signed(field.value[cell], scale, discrete).color(),
        };
        let discrete = matches!(shading, Shading::Classes { discrete: true } | Shading::Signed { discrete: true, .. });
        let (sx, sy) = (res as f32 / img.width as f32, res as f32 / img.height as f32);
        let last = (res - 1) as f32;
        for y in 0..img.height {
            let fy = ((y as f32 + 0.5) * sy - 0.5).clamp(0.0, last);
            for x in 0..img.width {
                let fx = ((x as f32 + 0.5) * sx - 0.5).clamp(0.0, last);
                let c = if discrete {
                    color(fy.round() as usize * res + fx.round() as usize)
                } else {
                    let (x0, y0) = (fx.floor() as usize, fy.floor() as usize);
                    let (x1, y1) = ((x0 + 1).min(res - 1), (y0 + 1).min(res - 1));
                    let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
                    let top = lerp3(color(y0 * res + x0), color(y0 * res + x1), tx);
                    let bottom = lerp3(color(y1 * res + x0), color(y1 * res + x1), tx);
                    lerp3(top, bottom, ty)
                };
                let i = (y * img.width + x) * 4;
                img.pixels[i..i + 4].copy_from_slice(&opaque(c.map(|v| v.round() as u8)));
            }
        }
    }

    /// The old per-pixel disc test, with a square root per pixel.
    fn reference_points(img: &mut Rgba, points: &[[f64; 2]], targets: &[f64], task: Task, test: bool, radius: f64) {
        let ring = if test { [20, 20, 20] } else { [255, 255, 255] };
        let r_in = (radius - (radius * 0.22).max(1.0)).max(0.5);
        let reach = radius.ceil() as i64;
        for (p, &target) in points.iter().zip(targets) {
            let (cx, cy) = to_pixel(img, *p);
            let (px, py) = (cx.floor() as i64, cy.floor() as i64);
            for y in py - reach..=py + reach {
                for x in px - reach..=px + reach {
                    if x < 0 || y < 0 || x >= img.width as i64 || y >= img.height as i64 {
                        continue;
                    }
                    let (dx, dy) = (x as f64 + 0.5 - cx, y as f64 + 0.5 - cy);
                    let d = (dx * dx + dy * dy).sqrt();
                    let c = if d <= r_in {
                        point_color(task, target)
                    } else if d <= radius {
                        ring
                    } else {
                        continue;
                    };
                    let i = (y as usize * img.width + x as usize) * 4;
                    img.pixels[i..i + 4].copy_from_slice(&opaque(c));
                }
            }
        }
    }

    /// A field with smooth regions and sharp class/sign changes; signed fields also get a few
    /// non-finite values (which shade as zero).
    fn test_field(res: usize, task: Task, rng: &mut Pcg64Mcg) -> Field {
        let mut f = Field::new(res, task);
        for i in 0..res * res {
            let (x, y) = ((i % res) as f32 / res as f32, (i / res) as f32 / res as f32);
            let v = (7.0 * x).sin() * (5.0 * y).cos() * 1.5 + rng.gen_range(-0.2..0.2);
            f.value[i] = v;
            if let Task::Classification { classes } = task {
                f.class[i] = ((v + 1.5) * classes as f32 / 3.0).clamp(0.0, classes as f32 - 1.0) as u8;
                f.value[i] = v.abs().min(1.0);
            }
        }
        if task == Task::Regression {
            f.value[res / 2] = f32::NAN;
            f.value[res * res - 1] = f32::INFINITY;
        }
        f
    }

    #[test]
    fn fast_field_matches_per_pixel_reference() {
        let mut rng = Pcg64Mcg::seed_from_u64(7);
        // Up- and downscaled, square and not, the sizes the app uses (300, 600, 38) and odd ones.
        let sizes = [(300, 300), (600, 600), (38, 38), (30, 30), (301, 157), (1, 1), (2, 5), (100, 100)];
        for res in [100, 30, 7, 1] {
            for task in [Task::Classification { classes: 3 }, Task::Regression] {
                let f = test_field(res, task, &mut rng);
                for discrete in [false, true] {
                    let shading = match task {
                        Task::Classification { .. } => Shading::Classes { discrete },
                        Task::Regression => Shading::Signed { scale: f.max_abs(), discrete },
                    };
                    for (w, h) in sizes {
                        let (mut fast, mut slow) = (Rgba::new(w, h), Rgba::new(w, h));
                        paint_field(&mut fast, &f, shading);
                        reference_field(&mut slow, &f, shading);
                        let worst = fast.pixels.iter().zip(&slow.pixels).map(|(a, b)| a.abs_diff(*b)).max();
                        // Nearest-cell shading is exact; interpolation rounds once more.
                        let allowed = if discrete { 0 } else { 1 };
                        assert!(worst <= Some(allowed), "{shading:?} res {res} at {w}×{h}: off by {worst:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn diverged_classifier_paints_black_as_before() {
        // A NaN confidence has no colour; a network that diverged shows as a black view.
        let mut f = Field::new(10, Task::Classification { classes: 2 });
        f.value.fill(f32::NAN);
        let mut img = Rgba::new(30, 30);
        paint_field(&mut img, &f, Shading::Classes { discrete: false });
        assert!(img.pixels.chunks(4).all(|p| p == [0, 0, 0, 255]));
    }

    #[test]
    fn fast_points_match_per_pixel_reference() {
        let mut rng = Pcg64Mcg::seed_from_u64(11);
        let task = Task::Classification { classes: 4 };
        // Some points well outside the domain, so discs are clipped at every edge.
        let mut points: Vec<[f64; 2]> =
            (0..400).map(|_| [rng.gen_range(-6.8..6.8), rng.gen_range(-6.8..6.8)]).collect();
        // On a 32×32 image this one sits exactly on the centre of pixel (16, 16), so with a
        // whole radius some pixels are exactly on the fill and ring edges (which count as in).
        points.push([0.1875, -0.1875]);
        let targets: Vec<f64> = (0..points.len()).map(|_| rng.gen_range(0..4) as f64).collect();
        let rows: Vec<usize> = (0..points.len()).collect();
        let sizes = [(300, 300, 3.75), (600, 600, 7.5), (97, 211, 1.5), (50, 50, 0.3), (40, 40, 10.0), (32, 32, 3.0)];
        for (w, h, radius) in sizes {
            for test in [false, true] {
                let (mut fast, mut slow) = (Rgba::new(w, h), Rgba::new(w, h));
                paint_points(&mut fast, &points, &targets, &rows, task, test, radius);
                reference_points(&mut slow, &points, &targets, task, test, radius);
                assert!(fast == slow, "{w}×{h}, radius {radius}, test {test}");
            }
        }
    }

    #[test]
    fn squared_limit_agrees_with_square_root() {
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        for r in [0.0, 0.5, 1.5, 2.2, 3.75, 7.5, 9.999, 1e-3] {
            let limit = squared_limit(r);
            let near = [limit, f64::from_bits(limit.to_bits() + 1), f64::from_bits(limit.to_bits().max(1) - 1)];
            let random = (0..1000).map(|_| rng.gen_range(0.0..=(2.0 * r * r + 1e-9)));
            for d2 in near.into_iter().chain(random) {
                assert_eq!(d2 <= limit, d2.sqrt() <= r, "r {r}, d² {d2}");
            }
        }
        // Nothing (not even a zero distance) is within a negative or NaN radius.
        assert!(squared_limit(-1.0) < 0.0 && squared_limit(f64::NAN) < 0.0);
    }

    #[test]
    fn to_byte_rounds_like_f32_round() {
        let edges = [0.0, 0.49999997, 0.5, 1.5, 2.5, 127.49999, 127.5, 254.5, 255.0, f32::NAN, -0.3];
        let steps = (0..=255 * 64).map(|i| i as f32 / 64.0);
        for v in edges.into_iter().chain(steps) {
            assert_eq!(to_byte(v), v.round() as u8, "{v}");
        }
    }

    #[test]
    fn max_abs_ignores_non_finite_values() {
        let mut f = Field::new(2, Task::Regression);
        f.value = vec![-3.0, f32::NAN, f32::NEG_INFINITY, 2.0];
        assert_eq!(f.max_abs(), 3.0);
        f.value = vec![0.0, f32::NAN, -0.0, f32::INFINITY];
        assert_eq!(f.max_abs(), 1e-6);
    }
}
