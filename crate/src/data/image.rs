//! A drawing turned into a digits-dataset image, the way the UCI optical digits were made:
//! the ink is cropped, scaled to fill a 32 × 32 bitmap (keeping its aspect ratio) and centred,
//! then each 4 × 4 block's count of inked pixels (0 to 16) is one of the 8 × 8 values.

/// Side of the normalised bitmap and of the blocks counted.
const BITMAP: usize = 32;
const BLOCK: usize = 4;
/// Share of the bitmap the longer side of the ink fills (the dataset's digits touch both edges).
const FILL: f64 = 1.0;

/// 64 values from 0 to 16 for an RGBA drawing of `width` × `height` (ink = alpha > 0.5);
/// all zeros when nothing is drawn or the buffer does not match the size.
pub fn digit_pixels(rgba: &[u8], width: usize, height: usize) -> Vec<f64> {
    let mut out = vec![0.0; (BITMAP / BLOCK) * (BITMAP / BLOCK)];
    if width == 0 || height == 0 || rgba.len() != width * height * 4 {
        return out;
    }
    let ink = |x: usize, y: usize| rgba[(y * width + x) * 4 + 3] > 127;
    let (mut x0, mut y0, mut x1, mut y1) = (usize::MAX, usize::MAX, 0, 0);
    for y in 0..height {
        for x in 0..width {
            if ink(x, y) {
                (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
            }
        }
    }
    if x0 == usize::MAX {
        return out;
    }
    let (bw, bh) = ((x1 - x0 + 1) as f64, (y1 - y0 + 1) as f64);
    let scale = FILL * BITMAP as f64 / bw.max(bh);
    // Offsets that centre the scaled ink in the bitmap.
    let (ox, oy) = ((BITMAP as f64 - bw * scale) / 2.0, (BITMAP as f64 - bh * scale) / 2.0);
    for by in 0..BITMAP {
        for bx in 0..BITMAP {
            // The drawing pixel under the centre of bitmap pixel (bx, by).
            let sx = (bx as f64 + 0.5 - ox) / scale;
            let sy = (by as f64 + 0.5 - oy) / scale;
            if sx < 0.0 || sy < 0.0 || sx >= bw || sy >= bh {
                continue;
            }
            if ink(x0 + sx as usize, y0 + sy as usize) {
                out[(by / BLOCK) * (BITMAP / BLOCK) + bx / BLOCK] += 1.0;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canvas(w: usize, h: usize, inked: impl Fn(usize, usize) -> bool) -> Vec<u8> {
        let mut v = vec![0u8; w * h * 4];
        for y in 0..h {
            for x in 0..w {
                if inked(x, y) {
                    v[(y * w + x) * 4 + 3] = 255;
                }
            }
        }
        v
    }

    #[test]
    fn a_vertical_bar_anywhere_becomes_a_centred_full_height_bar() {
        // A "1": a 10-pixel-wide bar in the left part of a 100 × 100 drawing.
        let rgba = canvas(100, 100, |x, y| (10..20).contains(&x) && (20..80).contains(&y));
        let px = digit_pixels(&rgba, 100, 100);
        assert!(px.iter().all(|&v| (0.0..=16.0).contains(&v)));
        let column = |c: usize| (0..8).map(|r| px[r * 8 + c]).sum::<f64>();
        // Centred: the middle columns hold the ink, the edges none.
        assert!(column(3) + column(4) > 50.0, "{px:?}");
        assert_eq!(column(0) + column(7), 0.0);
        // Full height, as the dataset's digits: every row has ink.
        assert!((0..8).all(|r| (0..8).map(|c| px[r * 8 + c]).sum::<f64>() > 10.0), "{px:?}");
    }

    #[test]
    fn nothing_drawn_or_a_wrong_buffer_gives_zeros() {
        assert!(digit_pixels(&canvas(10, 10, |_, _| false), 10, 10).iter().all(|&v| v == 0.0));
        assert!(digit_pixels(&[0, 0, 0], 10, 10).iter().all(|&v| v == 0.0));
        let full = digit_pixels(&canvas(16, 16, |_, _| true), 16, 16);
        assert_eq!(full.iter().copied().fold(0.0, f64::max), 16.0);
    }
}
