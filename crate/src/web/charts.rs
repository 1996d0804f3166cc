//! Chart drawers: each takes plain data (a field, points, a loss history) and a canvas.
//! Dense images go through `render` as pixels; the loss curve is drawn with plotters.

use crate::data::Task;
use crate::experiment::EpochRecord;
use crate::render::{paint_field, paint_points, Field, Rgba, Shading};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// Most points drawn in one view. More only overplot: the view shows every `stride`-th row of
/// the (already shuffled) split, an evenly spread sample, and the page says how many.
pub const MAX_DRAWN_POINTS: usize = 5_000;

/// The canvas's 2-D context (the drawers that use the canvas API directly share this).
pub(super) fn ctx2d(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("canvas has no 2d context"))?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| JsValue::from_str("not a 2d context"))
}

/// Draw every `point_stride(n)`-th of `n` points.
pub fn point_stride(n: usize) -> usize {
    n.div_ceil(MAX_DRAWN_POINTS).max(1)
}

/// The data points to draw over a heatmap.
#[derive(Debug)]
pub struct Points<'a> {
    pub points: &'a [[f64; 2]],
    pub targets: &'a [f64],
    pub train: &'a [usize],
    pub test: &'a [usize],
    pub task: Task,
    /// Rows picked out (the confusion matrix's selection): drawn larger, on top.
    pub highlight: &'a [usize],
}

pub fn output_shading(task: Task, discrete: bool) -> Shading {
    match task {
        Task::Classification { .. } => Shading::Classes { discrete },
        Task::Regression => Shading::Signed { scale: 1.0, discrete },
    }
}

pub fn neuron_shading(field: &Field, discrete: bool) -> Shading {
    Shading::Signed { scale: field.max_abs(), discrete }
}

/// The canvas's 2-D context, created CPU-backed (`willReadFrequently`): heatmaps are whole
/// images written with `putImageData`, which a GPU-backed canvas must upload every frame
/// (about 10× slower in headless Chromium here).
fn context(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"willReadFrequently".into(), &JsValue::TRUE)?;
    canvas
        .get_context_with_context_options("2d", &options)?
        .ok_or_else(|| JsValue::from_str("canvas has no 2d context"))?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| JsValue::from_str("not a 2d context"))
}

/// Paints `field` over the whole canvas and, if given, the points on top.
pub fn draw_heatmap(
    canvas: &HtmlCanvasElement,
    field: &Field,
    shading: Shading,
    points: Option<&Points>,
) -> Result<(), JsValue> {
    let (w, h) = (canvas.width() as usize, canvas.height() as usize);
    if w == 0 || h == 0 {
        return Ok(());
    }
    let mut img = Rgba::new(w, h);
    paint_field(&mut img, field, shading);
    if let Some(p) = points {
        // Radius scales with the canvas so points stay visible on high-DPI screens, and
        // shrinks for dense datasets so they do not hide the boundary.
        let base = (w as f64 / 80.0).clamp(3.0, 10.0);
        let n = (p.train.len() + p.test.len()).max(1) as f64;
        let radius = if n > 2000.0 { (base * (2000.0 / n).sqrt()).max(1.5) } else { base };
        let stride = point_stride(p.train.len() + p.test.len());
        let sample = |rows: &[usize]| -> Vec<usize> { rows.iter().step_by(stride).copied().collect() };
        paint_points(&mut img, p.points, p.targets, &sample(p.train), p.task, false, radius);
        paint_points(&mut img, p.points, p.targets, &sample(p.test), p.task, true, radius);
        paint_points(&mut img, p.points, p.targets, p.highlight, p.task, true, (radius * 1.9).max(5.0));
    }
    let data = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&img.pixels), w as u32, h as u32)?;
    context(canvas)?.put_image_data(&data, 0.0, 0.0)
}

const MAX_CHART_POINTS: usize = 300;

/// Line chart of train (solid) and test (dashed) loss against epochs.
pub fn draw_loss(canvas: &HtmlCanvasElement, history: &[EpochRecord]) -> Result<(), JsValue> {
    // A few hundred points are all a chart this size can show; drawing every epoch of a long
    // run would make each frame slower than the last.
    let stride = history.len().div_ceil(MAX_CHART_POINTS).max(1);
    let sampled: Vec<EpochRecord> = history
        .iter()
        .enumerate()
        .filter(|(i, _)| i % stride == 0 || *i + 1 == history.len())
        .map(|(_, r)| *r)
        .collect();
    let history = &sampled[..];
    let err = |e: String| JsValue::from_str(&format!("loss chart: {e}"));
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(|| err("no canvas backend".into()))?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(e.to_string()))?;
    let finite = |v: f64| if v.is_finite() { Some(v) } else { None };
    let max_loss =
        history.iter().flat_map(|r| [finite(r.train_loss), finite(r.test_loss)]).flatten().fold(0.0f64, f64::max);
    let y_max = if max_loss > 0.0 { max_loss * 1.05 } else { 1.0 };
    // Epochs are whole numbers: an integer axis never labels 0.5 as "0" next to a real 0.
    let x_max = history.last().map_or(1, |r| r.epoch.max(1));
    let font = (canvas.height() as f64 / 9.0).clamp(10.0, 22.0) as u32;
    let mut chart = ChartBuilder::on(&root)
        .margin(font / 2)
        .x_label_area_size(font * 2)
        .y_label_area_size(font * 3)
        .build_cartesian_2d(0..x_max, 0.0..y_max)
        .map_err(|e| err(e.to_string()))?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(4)
        .y_label_formatter(&|y| format!("{y:.2}"))
        .light_line_style(WHITE)
        .label_style(("sans-serif", font).into_font())
        .draw()
        .map_err(|e| err(e.to_string()))?;
    let train = RGBColor(40, 40, 40);
    let test = RGBColor(0, 114, 178);
    let width = (font / 6).max(1);
    chart
        .draw_series(LineSeries::new(
            history.iter().filter_map(|r| finite(r.train_loss).map(|v| (r.epoch, v))),
            train.stroke_width(width),
        ))
        .map_err(|e| err(e.to_string()))?;
    // Dashes keep train and test apart without relying on colour.
    let test_points: Vec<(u32, f64)> =
        history.iter().filter_map(|r| finite(r.test_loss).map(|v| (r.epoch, v))).collect();
    chart
        .draw_series(DashedLineSeries::new(test_points, font as i32 / 2, font as i32 / 3, test.stroke_width(width)))
        .map_err(|e| err(e.to_string()))?;
    root.present().map_err(|e| err(e.to_string()))?;
    Ok(())
}
