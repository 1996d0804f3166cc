//! What the page shows about a classical model beside the boundary (its summary in words is
//! `experiment::summary`): the overlays drawn on the boundary view (k-means centres, mixture
//! ellipses), and the model's own chart (the tree, the residuals, the projection, the cluster
//! sizes). All from plain data in the fitted model.

use super::charts::ctx2d;
use crate::data::{Feature, DOMAIN};
use crate::experiment::inputs::Inputs;
use crate::experiment::Session;
use crate::lang::Lang;
use crate::models::als::RatingMatrix;
use crate::models::tree::Tree;
use crate::models::words::short_number as fmt;
use crate::models::{Fitted, Kind};
use crate::render::CLASS_COLORS;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::JsValue;
use web_sys::HtmlCanvasElement;

/// The linear map from the model's inputs to view coordinates (2 rows of input weights):
/// x1 and x2 for generated data (when both are inputs), the view's plane for a table.
fn view_projection(s: &Session) -> Option<[Vec<f64>; 2]> {
    match s.inputs() {
        Inputs::Plane(f) => {
            let unit = |feature| {
                let i = f.iter().position(|&x| x == feature)?;
                let mut a = vec![0.0; f.len()];
                a[i] = 1.0;
                Some(a)
            };
            Some([unit(Feature::X1)?, unit(Feature::X2)?])
        }
        Inputs::Table(t) => {
            let scaled = |a: &[f64]| a.iter().map(|v| v * t.view.scale).collect();
            Some([scaled(&t.view.axes[0]), scaled(&t.view.axes[1])])
        }
    }
}

fn dot(a: &[f64], b: impl IntoIterator<Item = f64>) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Draws k-means centres and Gaussian-mixture ellipses over the boundary view.
pub fn draw_overlays(canvas: &HtmlCanvasElement, s: &Session) -> Result<(), JsValue> {
    let (Some(fitted), Some([pu, pv])) = (s.fitted(), view_projection(s)) else { return Ok(()) };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    let px = |x: f64, y: f64| ((x + DOMAIN) / (2.0 * DOMAIN) * w, (DOMAIN - y) / (2.0 * DOMAIN) * h);
    let ctx = ctx2d(canvas)?;
    let size = (w / 40.0).max(5.0);
    ctx.set_line_width((w / 150.0).max(2.0));
    match fitted {
        Fitted::KMeans(m) => {
            for (c, row) in m.centroids.rows().into_iter().enumerate() {
                let (x, y) = px(dot(&pu, row.iter().copied()), dot(&pv, row.iter().copied()));
                let [r, g, b] = CLASS_COLORS[c % CLASS_COLORS.len()];
                // A ringed cross, readable on any background.
                for (style, width) in [("#ffffff".to_string(), 3.0), (format!("rgb({r},{g},{b})"), 1.0)] {
                    ctx.set_stroke_style_str(&style);
                    ctx.set_line_width((w / 150.0).max(2.0) * width);
                    ctx.begin_path();
                    ctx.move_to(x - size, y - size);
                    ctx.line_to(x + size, y + size);
                    ctx.move_to(x + size, y - size);
                    ctx.line_to(x - size, y + size);
                    ctx.stroke();
                }
            }
        }
        Fitted::Gmm(m) => {
            for c in 0..m.means.nrows() {
                let mean = m.means.row(c);
                let (mx, my) = (dot(&pu, mean.iter().copied()), dot(&pv, mean.iter().copied()));
                // The covariance seen in the view: P Σ Pᵀ.
                let cov = m.covariances.index_axis(ndarray::Axis(0), c);
                let quad = |p: &[f64], q: &[f64]| dot(p, cov.rows().into_iter().map(|r| dot(q, r.iter().copied())));
                let (a, b, d) = (quad(&pu, &pu), quad(&pu, &pv), quad(&pv, &pv));
                // Eigen-decomposition of the 2 × 2 covariance: axes and angle of the ellipse.
                let tr = (a + d) / 2.0;
                let det = (((a - d) / 2.0).powi(2) + b * b).sqrt();
                let (l1, l2) = ((tr + det).max(0.0), (tr - det).max(0.0));
                let angle = 0.5 * (2.0 * b).atan2(a - d);
                let (x, y) = px(mx, my);
                let scale = w / (2.0 * DOMAIN);
                let [r, g, bl] = CLASS_COLORS[c % CLASS_COLORS.len()];
                ctx.set_stroke_style_str(&format!("rgb({r},{g},{bl})"));
                ctx.begin_path();
                ctx.ellipse(
                    x,
                    y,
                    2.0 * l1.sqrt() * scale,
                    2.0 * l2.sqrt() * scale,
                    -angle,
                    0.0,
                    std::f64::consts::TAU,
                )?;
                ctx.stroke();
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether the model has a chart of its own (the page hides the panel otherwise).
pub fn has_chart(s: &Session) -> bool {
    matches!(
        (s.experiment().kind(), s.fitted()),
        (Kind::Regression, Some(_))
            | (
                _,
                Some(
                    Fitted::Tree(_)
                        | Fitted::Forest(_)
                        | Fitted::Pca(_)
                        | Fitted::KMeans(_)
                        | Fitted::Gmm(_)
                        | Fitted::Dbscan(_)
                )
            )
    )
}

fn err(e: impl ToString) -> JsValue {
    JsValue::from_str(&format!("model chart: {}", e.to_string()))
}

/// A white plotting area over the whole canvas and a font size of 1/`per_font` of its height.
fn plot_root(canvas: &HtmlCanvasElement, per_font: f64) -> Result<(DrawingArea<CanvasBackend, Shift>, u32), JsValue> {
    let root = CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(|| err("no canvas"))?.into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    Ok((root, (canvas.height() as f64 / per_font).clamp(10.0, 20.0) as u32))
}

/// A chart builder with a caption and room for axis labels, in every model chart's proportions.
fn framed<'a, 'b>(
    area: &'a DrawingArea<CanvasBackend, Shift>,
    caption: &str,
    font: u32,
) -> ChartBuilder<'a, 'b, CanvasBackend> {
    let mut b = ChartBuilder::on(area);
    b.margin(font / 2).caption(caption, ("sans-serif", font)).x_label_area_size(font * 2).y_label_area_size(font * 3);
    b
}

/// The model's own chart.
pub fn draw_chart(canvas: &HtmlCanvasElement, s: &Session, lang: Lang) -> Result<(), JsValue> {
    let Some(fitted) = s.fitted() else { return Ok(()) };
    match fitted {
        Fitted::Tree(t) => draw_tree(canvas, t, s, lang),
        Fitted::Forest(f) => match f.trees.first() {
            Some(t) => draw_tree(canvas, t, s, lang),
            None => Ok(()),
        },
        Fitted::Pca(m) => {
            let proj = m.transform(s.x_train());
            let pts: Vec<(f64, f64, usize)> = proj
                .rows()
                .into_iter()
                .zip(s.y_train())
                .map(|(r, &y)| {
                    (
                        r[0],
                        if r.len() > 1 { r[1] } else { 0.0 },
                        if s.experiment().is_regression() { 0 } else { y as usize },
                    )
                })
                .collect();
            scatter_with_bars(
                canvas,
                &pts,
                ("PC1", "PC2"),
                &m.explained_variance_ratio,
                lang.pick("variance explained", "varians yang dijelaskan"),
                lang.pick("training points projected", "titik latih yang diproyeksikan"),
            )
        }
        Fitted::KMeans(_) | Fitted::Gmm(_) | Fitted::Dbscan(_) => {
            let labels = fitted.predict(s.x_train());
            let k = labels.iter().fold(0.0f64, |m, &v| m.max(v)) as usize + 1;
            let mut sizes = vec![0.0; k];
            let mut noise = 0.0;
            for l in labels {
                if l < 0.0 {
                    noise += 1.0;
                } else {
                    sizes[l as usize] += 1.0;
                }
            }
            if noise > 0.0 {
                sizes.push(noise);
            }
            bars(canvas, &sizes, lang.pick("training points per cluster", "titik latih per klaster"), noise > 0.0)
        }
        Fitted::Als(_) => match s.rating_matrix() {
            Some(m) => rating_matrix(canvas, &m, lang),
            None => residuals(canvas, s, fitted, lang),
        },
        _ if s.experiment().kind() == Kind::Regression => residuals(canvas, s, fitted, lang),
        _ => Ok(()),
    }
}

fn residuals(canvas: &HtmlCanvasElement, s: &Session, fitted: &Fitted, lang: Lang) -> Result<(), JsValue> {
    let train: Vec<(f64, f64)> =
        fitted.predict(s.x_train()).into_iter().zip(s.y_train()).map(|(p, &y)| (p, y - p)).collect();
    let test: Vec<(f64, f64)> =
        fitted.predict(s.x_test()).into_iter().zip(s.y_test()).map(|(p, &y)| (p, y - p)).collect();
    let all = train.iter().chain(&test).filter(|(a, b)| a.is_finite() && b.is_finite());
    let (mut x0, mut x1, mut r) = (f64::INFINITY, f64::NEG_INFINITY, 0.0f64);
    for &(p, e) in all {
        x0 = x0.min(p);
        x1 = x1.max(p);
        r = r.max(e.abs());
    }
    if !x0.is_finite() || x1 <= x0 {
        (x0, x1) = (-1.0, 1.0);
    }
    let r = if r > 0.0 { r * 1.1 } else { 1.0 };
    let (root, font) = plot_root(canvas, 14.0)?;
    let mut chart = framed(
        &root,
        lang.pick("residual (target − prediction) against prediction", "residu (target − prediksi) terhadap prediksi"),
        font,
    )
    .build_cartesian_2d(x0..x1, -r..r)
    .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| format!("{v:.2}"))
        .y_label_formatter(&|v| format!("{v:.2}"))
        .light_line_style(WHITE)
        .label_style(("sans-serif", font))
        .draw()
        .map_err(err)?;
    chart.draw_series(LineSeries::new([(x0, 0.0), (x1, 0.0)], BLACK.stroke_width(1))).map_err(err)?;
    let size = (font / 5).max(2);
    chart.draw_series(train.iter().map(|&p| Circle::new(p, size, RGBColor(40, 40, 40).filled()))).map_err(err)?;
    chart
        .draw_series(test.iter().map(|&p| Circle::new(p, size, RGBColor(0, 114, 178).stroke_width(1))))
        .map_err(err)?;
    root.present().map_err(err)
}

/// The user × item table: each cell coloured by the predicted rating (light: low, dark blue:
/// high), a dark dot where the rating was known in training, a ring where it was hidden (test).
fn rating_matrix(canvas: &HtmlCanvasElement, m: &RatingMatrix, lang: Lang) -> Result<(), JsValue> {
    let (root, font) = plot_root(canvas, 16.0)?;
    let (users, items) = (m.users.len().max(1) as f64, m.items.len().max(1) as f64);
    let (lo, hi) = m
        .predicted
        .iter()
        .flatten()
        .chain(m.rated.iter().map(|r| &r.2))
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let shade = |v: f64| {
        let t = ((v - lo) / span).clamp(0.0, 1.0);
        let c = [0, 1, 2].map(|k| {
            let (a, b) = ([250.0, 248.0, 240.0][k], [8.0, 69.0, 148.0][k]);
            (a + (b - a) * t).round() as u8
        });
        RGBColor(c[0], c[1], c[2])
    };
    let caption = match lang {
        Lang::En => format!("predicted rating, {lo:.1} (light) to {hi:.1} (dark)"),
        Lang::Id => format!("rating prediksi, {lo:.1} (terang) sampai {hi:.1} (gelap)"),
    };
    let mut chart = framed(&root, &caption, font).build_cartesian_2d(0.0..items, 0.0..users).map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(match lang {
            Lang::En => format!("{} items (● training, ○ test)", m.items.len()),
            Lang::Id => format!("{} item (● latih, ○ uji)", m.items.len()),
        })
        .y_desc(format!("{} {}", m.users.len(), lang.pick("users", "pengguna")))
        .x_labels(0)
        .y_labels(0)
        .label_style(("sans-serif", font))
        .draw()
        .map_err(err)?;
    // Row 0 (the first user) at the top, as a table reads.
    let cell = |u: usize, i: usize| (i as f64, users - 1.0 - u as f64);
    chart
        .draw_series(m.predicted.iter().enumerate().flat_map(|(u, row)| {
            row.iter().enumerate().map(move |(i, &p)| {
                let (x, y) = cell(u, i);
                Rectangle::new([(x, y), (x + 1.0, y + 1.0)], shade(p).filled())
            })
        }))
        .map_err(err)?;
    let px = (canvas.width() as f64 * 0.8 / items).min(canvas.height() as f64 * 0.7 / users);
    let size = ((px / 3.0) as u32).clamp(2, 6);
    chart
        .draw_series(m.rated.iter().map(|&(u, i, r, test)| {
            let (x, y) = cell(u, i);
            // The mark's colour is the true rating's, so a cell whose fill differs shows the error.
            let style = if test { shade(r).stroke_width(2) } else { shade(r).filled() };
            EmptyElement::at((x + 0.5, y + 0.5))
                + Circle::new((0, 0), size, style)
                + Circle::new((0, 0), size, BLACK.stroke_width(1))
        }))
        .map_err(err)?;
    root.present().map_err(err)
}

fn class_color(c: usize) -> RGBColor {
    let [r, g, b] = CLASS_COLORS[c % CLASS_COLORS.len()];
    RGBColor(r, g, b)
}

fn scatter_with_bars(
    canvas: &HtmlCanvasElement,
    pts: &[(f64, f64, usize)],
    axes: (&str, &str),
    shares: &[f64],
    bar_caption: &str,
    caption: &str,
) -> Result<(), JsValue> {
    let (root, font) = plot_root(canvas, 16.0)?;
    let (w, h) = (canvas.width(), canvas.height());
    // Side by side when there is room for a square scatter plus the bars (the desktop panel),
    // else stacked (a phone); either way both axes of the scatter get the same units, so the
    // first component's larger spread shows as a wider cloud.
    let (scatter_area, bars_area) =
        if w >= h * 3 / 2 { root.split_horizontally(h) } else { root.split_vertically(h * 60 / 100) };
    let (aw, ah) = scatter_area.dim_in_pixel();
    let (label_w, label_h) = (font * 3, font * 3);
    let plot_w = aw.saturating_sub(label_w + font).max(1) as f64;
    let plot_h = ah.saturating_sub(label_h + font * 2).max(1) as f64;
    let extent = pts.iter().fold(1e-9f64, |m, p| m.max(p.0.abs()).max(p.1.abs())) * 1.05;
    let (x_extent, y_extent) =
        if plot_w >= plot_h { (extent * plot_w / plot_h, extent) } else { (extent, extent * plot_h / plot_w) };
    let mut chart = framed(&scatter_area, caption, font)
        .x_label_area_size(label_h)
        .y_label_area_size(label_w)
        .build_cartesian_2d(-x_extent..x_extent, -y_extent..y_extent)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(axes.0)
        .y_desc(axes.1)
        .x_labels(5)
        .y_labels(5)
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .light_line_style(WHITE)
        .label_style(("sans-serif", font))
        .draw()
        .map_err(err)?;
    let size = (font / 5).max(2);
    chart.draw_series(pts.iter().map(|&(x, y, c)| Circle::new((x, y), size, class_color(c).filled()))).map_err(err)?;
    let labels: Vec<String> = (1..=shares.len()).map(|i| format!("PC{i}")).collect();
    let percent = |v: &f64| format!("{:.0} %", v * 100.0);
    draw_bars(&bars_area, font, bar_caption, &labels, shares, (1.0, 3, &percent), |_| RGBColor(0, 114, 178))?;
    root.present().map_err(err)
}

fn bars(canvas: &HtmlCanvasElement, values: &[f64], caption: &str, last_is_noise: bool) -> Result<(), JsValue> {
    let (root, font) = plot_root(canvas, 14.0)?;
    let max = values.iter().fold(1.0f64, |m, &v| m.max(v)) * 1.1;
    let n = values.len();
    let labels: Vec<String> =
        (0..n).map(|i| if last_is_noise && i + 1 == n { "noise".into() } else { format!("{}", i + 1) }).collect();
    let whole = |v: &f64| format!("{v:.0}");
    draw_bars(&root, font, caption, &labels, values, (max, 4, &whole), |i| {
        if last_is_noise && i + 1 == n {
            RGBColor(140, 140, 140)
        } else {
            class_color(i)
        }
    })?;
    root.present().map_err(err)
}

/// A bar chart's value axis: its top, how many ticks, how a tick reads.
type YAxis<'a> = (f64, usize, &'a dyn Fn(&f64) -> String);

/// One bar per value, each labelled under its centre: bar i is centred on x = i, so the
/// axis's whole-number ticks fall under the bars and any other tick is left blank.
fn draw_bars(
    area: &DrawingArea<CanvasBackend, Shift>,
    font: u32,
    caption: &str,
    labels: &[String],
    values: &[f64],
    (y_max, y_ticks, y_format): YAxis,
    colour: impl Fn(usize) -> RGBColor,
) -> Result<(), JsValue> {
    let n = values.len();
    let mut chart = framed(area, caption, font).build_cartesian_2d(-0.5..n as f64 - 0.5, 0.0..y_max).map_err(err)?;
    let label_of = |v: &f64| {
        let i = v.round();
        if (v - i).abs() < 1e-9 && i >= 0.0 {
            labels.get(i as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    chart
        .configure_mesh()
        .x_labels(n.max(1))
        .y_labels(y_ticks)
        .x_label_formatter(&label_of)
        .y_label_formatter(y_format)
        .light_line_style(WHITE)
        .label_style(("sans-serif", font))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(
            values
                .iter()
                .enumerate()
                .map(|(i, &v)| Rectangle::new([(i as f64 - 0.35, 0.0), (i as f64 + 0.35, v)], colour(i).filled())),
        )
        .map_err(err)?;
    Ok(())
}

/// Most tree levels drawn; deeper nodes are summarised by a "…" under their parent.
const MAX_DRAWN_DEPTH: usize = 5;

fn draw_tree(canvas: &HtmlCanvasElement, t: &Tree, s: &Session, lang: Lang) -> Result<(), JsValue> {
    let ctx = ctx2d(canvas)?;
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, w, h);
    let labels = s.inputs().labels();
    let names: Vec<&str> = labels.iter().map(|l| l.1.as_str()).collect();
    // x position: in-order index among the drawn leaves; y: depth.
    let mut slots = vec![0.0; t.nodes.len()];
    let mut next = 0.0;
    fn place(t: &Tree, i: usize, next: &mut f64, slots: &mut [f64]) {
        let n = &t.nodes[i];
        match n.split {
            Some(_) if n.depth < MAX_DRAWN_DEPTH => {
                place(t, n.left, next, slots);
                place(t, n.right, next, slots);
                slots[i] = (slots[n.left] + slots[n.right]) / 2.0;
            }
            _ => {
                slots[i] = *next;
                *next += 1.0;
            }
        }
    }
    place(t, 0, &mut next, &mut slots);
    let levels = t.depth().min(MAX_DRAWN_DEPTH) as f64 + 1.0;
    let font = (h / (levels * 4.2)).clamp(8.0, 16.0).min(w / (next.max(1.0) * 5.5)).max(7.0);
    let x_of = |i: usize| (slots[i] + 0.5) / next.max(1.0) * w;
    let y_of = |d: usize| (d as f64 + 0.5) / levels * h;
    ctx.set_font(&format!("{font:.0}px sans-serif"));
    ctx.set_text_align("center");
    ctx.set_text_baseline("middle");
    ctx.set_line_width(1.0);
    for (i, n) in t.nodes.iter().enumerate() {
        if n.depth > MAX_DRAWN_DEPTH {
            continue;
        }
        let (x, y) = (x_of(i), y_of(n.depth));
        if n.depth < MAX_DRAWN_DEPTH && n.split.is_some() {
            ctx.set_stroke_style_str("#888888");
            for c in [n.left, n.right] {
                ctx.begin_path();
                ctx.move_to(x, y);
                ctx.line_to(x_of(c), y_of(t.nodes[c].depth));
                ctx.stroke();
            }
        }
        let total: usize = n.counts.iter().sum();
        let majority = crate::models::mlp::argmax(&n.counts.iter().map(|&c| c as f64).collect::<Vec<_>>());
        let [r, g, b] = CLASS_COLORS[majority % CLASS_COLORS.len()];
        let label = match n.split {
            Some((f, th)) if n.depth < MAX_DRAWN_DEPTH => {
                format!("{} < {}", names.get(f).copied().unwrap_or("?"), fmt(th))
            }
            Some(_) => "…".to_string(),
            None => format!("{} {}", lang.pick("class", "kelas"), n.prediction),
        };
        let counts: Vec<String> = n.counts.iter().map(|c| c.to_string()).collect();
        let sub = format!("{} ({total})", counts.join("/"));
        let bw = (label.len().max(sub.len()) as f64 * font * 0.55 + 6.0).min(w / next.max(1.0) * 0.96).max(font * 2.0);
        let bh = font * 2.4;
        ctx.set_fill_style_str(&format!("rgba({r},{g},{b},0.35)"));
        ctx.fill_rect(x - bw / 2.0, y - bh / 2.0, bw, bh);
        ctx.set_stroke_style_str(&format!("rgb({r},{g},{b})"));
        ctx.stroke_rect(x - bw / 2.0, y - bh / 2.0, bw, bh);
        ctx.set_fill_style_str("#111111");
        ctx.fill_text_with_max_width(&label, x, y - font * 0.55, bw - 2.0)?;
        ctx.fill_text_with_max_width(&sub, x, y + font * 0.6, bw - 2.0)?;
    }
    Ok(())
}
