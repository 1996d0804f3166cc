//! Drawers of the EDA panel: a histogram or bar chart per column and the correlation heatmap,
//! from the plain statistics `explore` computed. Drawn with the canvas API directly: a few
//! rectangles and labels each, which plotters would only wrap.

use super::charts::ctx2d;
use crate::explore::{ColumnSummary, Correlation};
use crate::lang::Lang;
use wasm_bindgen::JsValue;
use web_sys::HtmlCanvasElement;

const BAR: &str = "#0072b2";
const TEXT: &str = "#333333";

/// A number short enough for an axis label.
fn short(v: f64) -> String {
    let a = v.abs();
    if a != 0.0 && !(0.01..10_000.0).contains(&a) {
        format!("{v:.1e}")
    } else if a >= 100.0 {
        format!("{v:.0}")
    } else {
        format!("{:.3}", v).trim_end_matches('0').trim_end_matches('.').to_owned()
    }
}

/// Histogram of a numeric column, or the level counts of a text column (at most 12 bars; the
/// rest are summed into one "other" bar).
pub fn draw_column(canvas: &HtmlCanvasElement, c: &ColumnSummary, lang: Lang) -> Result<(), JsValue> {
    let ctx = ctx2d(canvas)?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    let font = (h / 9.0).clamp(9.0, 14.0);
    ctx.set_font(&format!("{font}px sans-serif"));
    let (counts, labels): (Vec<usize>, Vec<String>) = match &c.numbers {
        Some(n) => (n.histogram.counts.clone(), vec![short(n.min), short(n.max)]),
        None => {
            let mut levels = c.levels.clone();
            levels.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            if levels.len() > 12 {
                let other: usize = levels[11..].iter().map(|l| l.1).sum();
                levels.truncate(11);
                levels.push((format!("{} {}", c.levels.len() - 11, lang.pick("others", "lainnya")), other));
            }
            (levels.iter().map(|l| l.1).collect(), levels.into_iter().map(|l| l.0).collect())
        }
    };
    if counts.is_empty() {
        ctx.set_fill_style_str(TEXT);
        ctx.fill_text(lang.pick("no values", "tidak ada nilai"), 4.0, h / 2.0)?;
        return Ok(());
    }
    let max = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let (top, bottom) = (font * 1.2, font * 1.4);
    let plot_h = (h - top - bottom).max(1.0);
    let bw = w / counts.len() as f64;
    ctx.set_fill_style_str(BAR);
    for (i, &n) in counts.iter().enumerate() {
        let bh = n as f64 / max * plot_h;
        ctx.fill_rect(i as f64 * bw + 1.0, top + plot_h - bh, (bw - 2.0).max(1.0), bh);
    }
    ctx.set_fill_style_str(TEXT);
    ctx.fill_text(&format!("{} {}", lang.pick("max", "maks"), counts.iter().max().unwrap_or(&0)), 2.0, font)?;
    if c.numbers.is_some() {
        ctx.fill_text(&labels[0], 2.0, h - 3.0)?;
        ctx.set_text_align("right");
        ctx.fill_text(&labels[1], w - 2.0, h - 3.0)?;
        ctx.set_text_align("left");
    } else {
        // Level names under their bars, cut to the bar's width.
        for (i, l) in labels.iter().enumerate() {
            let mut t: String = l.chars().take(((bw / (font * 0.55)) as usize).max(1)).collect();
            if t.chars().count() < l.chars().count() {
                t.pop();
                t.push('…');
            }
            ctx.fill_text(&t, i as f64 * bw + 2.0, h - 3.0)?;
        }
    }
    Ok(())
}

/// The correlation matrix as a blue (positive) to orange (negative) heatmap with values.
pub fn draw_correlation(canvas: &HtmlCanvasElement, c: &Correlation, lang: Lang) -> Result<(), JsValue> {
    let ctx = ctx2d(canvas)?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    let k = c.names.len();
    let font = (h / 30.0).clamp(8.0, 13.0);
    ctx.set_font(&format!("{font}px sans-serif"));
    // One column correlates only with itself: a single giant cell says nothing.
    if k < 2 {
        ctx.set_fill_style_str(TEXT);
        let what = match (k == 0, lang) {
            (true, Lang::En) => "No numeric columns: correlations need two.",
            (false, Lang::En) => "Only one numeric column: correlations need two.",
            (true, Lang::Id) => "Tidak ada kolom numerik: korelasi membutuhkan dua.",
            (false, Lang::Id) => "Hanya satu kolom numerik: korelasi membutuhkan dua.",
        };
        ctx.fill_text(what, 4.0, h / 2.0)?;
        return Ok(());
    }
    // Room for row labels on the left; columns are numbered (their names are the row labels).
    let label_w = (w * 0.35).min(font * 12.0);
    let cell = ((w - label_w) / k as f64).min((h - font * 1.5) / k as f64);
    let top = font * 1.5;
    for i in 0..k {
        let mut name: String = c.names[i].chars().take((label_w / (font * 0.55)) as usize).collect();
        if name.chars().count() < c.names[i].chars().count() {
            name.pop();
            name.push('…');
        }
        ctx.set_fill_style_str(TEXT);
        ctx.fill_text(&format!("{} {name}", i + 1), 2.0, top + (i as f64 + 0.65) * cell)?;
        ctx.fill_text(&format!("{}", i + 1), label_w + (i as f64 + 0.3) * cell, font)?;
        for j in 0..k {
            let r = c.matrix[i * k + j];
            let colour = if r.is_nan() {
                "#dddddd".to_owned()
            } else {
                // White at 0, Okabe–Ito blue at +1, orange at −1.
                let (tr, tg, tb) = if r >= 0.0 { (0.0, 114.0, 178.0) } else { (230.0, 159.0, 0.0) };
                let a = r.abs();
                let mix = |t: f64| (255.0 + (t - 255.0) * a).round() as u8;
                format!("rgb({},{},{})", mix(tr), mix(tg), mix(tb))
            };
            ctx.set_fill_style_str(&colour);
            let (x, y) = (label_w + j as f64 * cell, top + i as f64 * cell);
            ctx.fill_rect(x, y, cell - 1.0, cell - 1.0);
            if cell > font * 2.2 && !r.is_nan() {
                ctx.set_fill_style_str(if r.abs() > 0.6 { "#ffffff" } else { TEXT });
                ctx.fill_text(&format!("{r:.2}"), x + 2.0, y + cell * 0.6)?;
            }
        }
    }
    Ok(())
}

/// Most points drawn in each scatter of the matrix (an even sample of the rows).
const MATRIX_POINTS: usize = 1500;

/// A scatter matrix: for chosen numeric columns, every pair as a scatter coloured by the
/// target (classes: the palette; values: the signed scale), each column's histogram on the
/// diagonal. `colour[r]` is a class index (≥ 0) or NaN for "no class".
pub fn draw_scatter_matrix(
    canvas: &HtmlCanvasElement,
    names: &[&str],
    columns: &[&[f64]],
    histograms: &[&crate::explore::Histogram],
    colours: &[[u8; 3]],
    lang: Lang,
) -> Result<(), JsValue> {
    let ctx = ctx2d(canvas)?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    let k = columns.len();
    let font = (w / 60.0).clamp(9.0, 12.0);
    ctx.set_font(&format!("{font}px sans-serif"));
    if k == 0 {
        ctx.set_fill_style_str(TEXT);
        ctx.fill_text(
            lang.pick(
                "Tick up to 6 numeric columns under “Matrix”.",
                "Centang paling banyak 6 kolom numerik di bawah “Matriks”.",
            ),
            4.0,
            h / 2.0,
        )?;
        return Ok(());
    }
    let pad = font * 1.4;
    let cell = ((w - pad) / k as f64).min((h - pad) / k as f64);
    let rows = columns[0].len();
    let stride = rows.div_ceil(MATRIX_POINTS).max(1);
    let range = |c: &[f64]| {
        let (lo, hi) = c
            .iter()
            .filter(|v| !v.is_nan())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
        if lo.is_finite() && hi > lo {
            (lo, hi)
        } else {
            (lo - 0.5, lo + 0.5)
        }
    };
    let ranges: Vec<(f64, f64)> = columns.iter().map(|c| range(c)).collect();
    let dot = (cell / 60.0).clamp(1.0, 2.5);
    for i in 0..k {
        for j in 0..k {
            let (x0, y0) = (pad + j as f64 * cell, i as f64 * cell);
            ctx.set_stroke_style_str("#dddddd");
            ctx.set_line_width(1.0);
            ctx.stroke_rect(x0 + 1.0, y0 + 1.0, cell - 2.0, cell - 2.0);
            if i == j {
                let hist = histograms[i];
                let max = hist.counts.iter().copied().max().unwrap_or(1).max(1) as f64;
                let bw = (cell - 6.0) / hist.counts.len() as f64;
                ctx.set_fill_style_str(BAR);
                for (b, &n) in hist.counts.iter().enumerate() {
                    let bh = n as f64 / max * (cell - 8.0);
                    ctx.fill_rect(x0 + 3.0 + b as f64 * bw, y0 + cell - 4.0 - bh, (bw - 1.0).max(1.0), bh);
                }
                continue;
            }
            let ((xl, xh), (yl, yh)) = (ranges[j], ranges[i]);
            for r in (0..rows).step_by(stride) {
                let (vx, vy) = (columns[j][r], columns[i][r]);
                if vx.is_nan() || vy.is_nan() {
                    continue;
                }
                let [cr, cg, cb] = colours[r];
                ctx.set_fill_style_str(&format!("rgb({cr},{cg},{cb})"));
                let px = x0 + 3.0 + (vx - xl) / (xh - xl) * (cell - 6.0);
                let py = y0 + cell - 3.0 - (vy - yl) / (yh - yl) * (cell - 6.0);
                ctx.fill_rect(px - dot / 2.0, py - dot / 2.0, dot, dot);
            }
        }
        // Column names along the left (rotated) and the bottom.
        ctx.set_fill_style_str(TEXT);
        let name: String = names[i].chars().take((cell / (font * 0.6)) as usize).collect();
        ctx.fill_text(&name, pad + i as f64 * cell + 3.0, k as f64 * cell + font)?;
        ctx.save();
        ctx.translate(font, (i as f64 + 1.0) * cell - 3.0)?;
        ctx.rotate(-std::f64::consts::FRAC_PI_2)?;
        ctx.fill_text(&name, 0.0, 0.0)?;
        ctx.restore();
    }
    Ok(())
}
