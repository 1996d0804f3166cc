//! Image datasets (the digits): a grid of test images with their true and predicted labels,
//! drawn from plain pixel values; wrong predictions get a vermillion frame.

use wasm_bindgen::JsValue;
use web_sys::HtmlCanvasElement;

/// One image to draw: grey levels in [0, 1] (row-major), its true and predicted labels.
pub struct Sample<'a> {
    pub pixels: Vec<f64>,
    pub truth: &'a str,
    pub predicted: Option<&'a str>,
}

pub fn draw_grid(canvas: &HtmlCanvasElement, shape: (usize, usize), samples: &[Sample]) -> Result<(), JsValue> {
    let ctx = super::charts::ctx2d(canvas)?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    if samples.is_empty() {
        return Ok(());
    }
    let cols = ((samples.len() as f64 * w / h).sqrt().ceil() as usize).clamp(1, samples.len());
    let rows = samples.len().div_ceil(cols);
    let cell_w = w / cols as f64;
    let font = (cell_w / 5.5).clamp(8.0, 13.0);
    let cell_h = (h / rows as f64).min(cell_w + font * 1.3);
    let side = (cell_w - 6.0).min(cell_h - font * 1.4 - 4.0).max(4.0);
    let px = side / shape.1.max(shape.0) as f64;
    ctx.set_font(&format!("{font}px sans-serif"));
    for (i, s) in samples.iter().enumerate() {
        let (x, y) = ((i % cols) as f64 * cell_w + 3.0, (i / cols) as f64 * cell_h + 2.0);
        for (k, &v) in s.pixels.iter().enumerate() {
            let g = (255.0 * (1.0 - v.clamp(0.0, 1.0))).round() as u8;
            ctx.set_fill_style_str(&format!("rgb({g},{g},{g})"));
            ctx.fill_rect(x + (k % shape.1) as f64 * px, y + (k / shape.1) as f64 * px, px.ceil(), px.ceil());
        }
        let wrong = s.predicted.is_some_and(|p| p != s.truth);
        ctx.set_stroke_style_str(if wrong { "#d55e00" } else { "#cccccc" });
        ctx.set_line_width(if wrong { 3.0 } else { 1.0 });
        ctx.stroke_rect(x, y, px * shape.1 as f64, px * shape.0 as f64);
        ctx.set_fill_style_str(if wrong { "#d55e00" } else { "#333333" });
        let label = match s.predicted {
            Some(p) => format!("{} → {p}", s.truth),
            None => s.truth.to_owned(),
        };
        ctx.fill_text(&label, x, y + side + font + 1.0)?;
    }
    Ok(())
}
