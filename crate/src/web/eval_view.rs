//! The evaluation panel's side of the `Lab`: metrics of the current model, the confusion
//! matrix's selection, cross-validation and hyperparameter search run in time slices (with
//! progress and cancel), and their charts: ROC and precision–recall curves, the search's
//! score heatmap, and pinned runs' losses overlaid.

use super::{now_ms, to_js, Lab};
use crate::eval::{self, CrossValidation, LearningCurve, LearningPoint, Report, Search};
use crate::experiment::search::{searchable, SearchKind, SearchSpec};
use crate::lang::Lang;
use crate::metrics::Curve;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// A named line of a chart, with its area (NaN: none to show).
type Line = (String, Vec<(f64, f64)>, f64);

/// Most values per axis of the search heatmap.
const MAX_HEATMAP_VALUES: usize = 12;

/// Points a drawn curve keeps (a test part of 100,000 rows has as many thresholds).
const MAX_CURVE_POINTS: usize = 400;

/// The reports of the model as it was at `version`.
#[derive(Debug)]
pub(super) struct Reports {
    version: u64,
    test: Report,
    train: Report,
}

/// A cross-validation or search in progress, with the time spent on it (for the time left).
#[derive(Debug)]
pub(super) struct Running<T> {
    run: T,
    spent: f64,
    cancelled: bool,
}

impl<T> Running<T> {
    fn new(run: T) -> Self {
        Running { run, spent: 0.0, cancelled: false }
    }

    /// Runs `advance` for about `budget_ms` (not at all once cancelled: then `stopped`) and
    /// adds the time to what was spent.
    fn slice<R>(
        &mut self,
        budget_ms: f64,
        stopped: impl FnOnce(&T) -> R,
        advance: impl FnOnce(&mut T, &mut dyn FnMut() -> bool) -> R,
    ) -> R {
        if self.cancelled {
            return stopped(&self.run);
        }
        let start = now_ms();
        let end = start + budget_ms.clamp(1.0, 200.0);
        let out = advance(&mut self.run, &mut || now_ms() < end);
        self.spent += now_ms() - start;
        out
    }

    /// What the page shows after a slice.
    fn progress<'a, R: Serialize>(
        &'a self,
        done: bool,
        (progress, count, total): (f64, usize, usize),
        results: &'a R,
    ) -> Progress<'a, R> {
        Progress {
            done,
            cancelled: self.cancelled,
            progress,
            spent_ms: self.spent,
            left_ms: left(progress, self.spent),
            count,
            total,
            results,
            best: None,
            notices: &[],
        }
    }
}

/// What the page shows of a cross-validation or search step.
#[derive(Serialize)]
struct Progress<'a, R: Serialize> {
    done: bool,
    cancelled: bool,
    /// Fraction of the work done, and milliseconds of work so far and estimated left.
    progress: f64,
    spent_ms: f64,
    left_ms: Option<f64>,
    count: usize,
    total: usize,
    results: &'a R,
    best: Option<usize>,
    notices: &'a [String],
}

fn left(progress: f64, spent: f64) -> Option<f64> {
    (progress > 0.02 && progress < 1.0).then(|| spent * (1.0 - progress) / progress)
}

/// A curve thinned to at most `MAX_CURVE_POINTS`, keeping both ends.
fn thin(c: &Curve) -> Vec<(f64, f64)> {
    let n = c.x.len();
    let stride = n.div_ceil(MAX_CURVE_POINTS).max(1);
    (0..n).filter(|i| i % stride == 0 || i + 1 == n).map(|i| (c.x[i], c.y[i])).collect()
}

/// A report for the page: the curves' points stay here (the charts draw them).
fn without_curves(r: &Report) -> Report {
    let mut r = r.clone();
    match &mut r {
        Report::Classification(c) => {
            for curve in c.roc.iter_mut().chain(c.pr.iter_mut()) {
                (curve.x, curve.y, curve.thresholds) = (Vec::new(), Vec::new(), Vec::new());
            }
        }
        Report::Regression { truth, predicted, .. } => (*truth, *predicted) = (Vec::new(), Vec::new()),
        _ => {}
    }
    r
}

#[derive(Deserialize)]
struct RunLosses {
    name: String,
    /// [epoch, train, test, epoch, ...] as `Lab::losses` gives.
    losses: Vec<f64>,
}

impl Lab {
    fn reports(&mut self) -> &Reports {
        let version = self.session.model_version() ^ (u64::from(self.session.epoch()) << 40);
        if self.reports.as_ref().is_none_or(|r| r.version != version) {
            let test = eval::report(&mut self.session, true);
            let train = eval::report(&mut self.session, false);
            self.reports = Some(Reports { version, test, train });
        }
        self.reports.as_ref().expect("just set")
    }

    /// The current model's metrics on the training rows and on the test part (cached).
    pub(super) fn report_pair(&mut self) -> (Report, Report) {
        let r = self.reports();
        (r.train.clone(), r.test.clone())
    }

    fn class_names(&self) -> Vec<String> {
        match self.session.inputs().table() {
            Some(t) if !t.class_names.is_empty() => t.class_names.clone(),
            _ => {
                let class = self.lang().pick("class", "kelas");
                (0..self.session.task().classes()).map(|k| format!("{class} {k}")).collect()
            }
        }
    }
}

#[wasm_bindgen]
impl Lab {
    /// The current model's metrics on both parts: `{test, train}` (the curves' areas only;
    /// `draw_curves` draws them).
    pub fn evaluation(&mut self) -> JsValue {
        #[derive(Serialize)]
        struct Both {
            test: Report,
            train: Report,
            class_names: Vec<String>,
            highlighted: usize,
        }
        // A classical model not fitted yet has nothing to score.
        if self.session.trainer().is_some() && self.session.fitted().is_none() {
            return JsValue::NULL;
        }
        let class_names = self.class_names();
        let highlighted = self.highlight.len();
        let r = self.reports();
        to_js(&Both { test: without_curves(&r.test), train: without_curves(&r.train), class_names, highlighted })
    }

    /// Selects the test rows whose truth is `truth` and prediction `predicted` (a confusion
    /// matrix cell) so the data view rings them and the image grid shows them; a negative
    /// `truth` clears the selection. Returns how many rows are selected.
    pub fn select_cell(&mut self, truth: i32, predicted: i32) -> usize {
        self.highlight.clear();
        if truth >= 0 && predicted >= 0 {
            let (pred, _) = self.session.predict_part(true);
            let y = self.session.truth_part(true);
            let rows = self.session.test_rows().to_vec();
            for (i, row) in rows.into_iter().enumerate() {
                if y[i] == f64::from(truth) && pred.get(i) == Some(&f64::from(predicted)) {
                    self.highlight.push(row);
                }
            }
        }
        self.fields = None;
        self.highlight.len()
    }

    /// Draws the ROC (`kind` "roc") or precision–recall ("pr") curves of the test part, one
    /// line per class (binary: the positive class), with the chance line.
    pub fn draw_curves(&mut self, canvas: &HtmlCanvasElement, kind: &str) -> Result<(), JsValue> {
        let names = self.class_names();
        let roc = kind == "roc";
        let curves: Vec<Line> = match &self.reports().test {
            Report::Classification(r) => {
                let list = if roc { &r.roc } else { &r.pr };
                let binary = list.len() == 1;
                list.iter()
                    .enumerate()
                    .map(|(i, c)| {
                        let class = if binary { 1 } else { i };
                        (names.get(class).cloned().unwrap_or_default(), thin(c), c.area)
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let (x_label, y_label) = match (roc, self.lang()) {
            (true, Lang::En) => ("false positive rate", "true positive rate"),
            (true, Lang::Id) => ("laju positif palsu", "laju positif benar"),
            (false, _) => ("recall", "precision"),
        };
        line_chart(canvas, &curves, (0.0, 1.0), (0.0, 1.0), x_label, y_label, roc, if roc { "AUC" } else { "AP" })
    }

    /// Starts a k-fold cross-validation of the experiment (the experiment's folds, or 5).
    #[cfg(feature = "full")]
    pub fn cv_start(&mut self) -> Result<(), JsValue> {
        let e = self.session.experiment();
        let cv = CrossValidation::new(e, e.cv_folds()).map_err(|m| JsValue::from_str(&m))?;
        self.cv = Some(Running::new(cv));
        Ok(())
    }

    /// Runs the cross-validation for about `budget_ms`; returns its progress and the
    /// summary so far (`results`: one entry per metric with each fold, mean and std).
    #[cfg(feature = "full")]
    pub fn cv_step(&mut self, budget_ms: f64) -> Result<JsValue, JsValue> {
        let user = self.user.as_ref();
        let Some(r) = self.cv.as_mut() else { return Ok(JsValue::NULL) };
        let done = r
            .slice(budget_ms, |_| Ok(false), |cv, keep_going| cv.advance(user, keep_going))
            .map_err(|m| JsValue::from_str(&format!("Cross-validation stopped: {m}.")))?;
        let (count, progress) = r.run.progress();
        let summary = r.run.summary();
        Ok(to_js(&r.progress(done, (progress, count, r.run.folds()), &summary)))
    }

    /// Starts a learning curve: the model refitted on growing shares of the training part.
    #[cfg(feature = "full")]
    pub fn lc_start(&mut self) -> Result<(), JsValue> {
        let lc = LearningCurve::new(self.session.experiment()).map_err(|m| JsValue::from_str(&m))?;
        self.learning = Some(Running::new(lc));
        Ok(())
    }

    /// Runs the learning curve for about `budget_ms`; returns progress and its points
    /// (`{share, rows, train, test}`).
    #[cfg(feature = "full")]
    pub fn lc_step(&mut self, budget_ms: f64) -> Result<JsValue, JsValue> {
        let user = self.user.as_ref();
        let Some(r) = self.learning.as_mut() else { return Ok(JsValue::NULL) };
        let done = r
            .slice(budget_ms, |_| Ok(false), |lc, keep_going| lc.advance(user, keep_going))
            .map_err(|m| JsValue::from_str(&format!("The learning curve stopped: {m}.")))?;
        let lc = &r.run;
        Ok(to_js(&r.progress(done, (lc.progress(), lc.points.len(), lc.total()), &lc.points)))
    }

    /// Draws the learning curve so far: the score on the training rows and on the test part
    /// against the number of training rows.
    #[cfg(feature = "full")]
    pub fn draw_learning_curve(&self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        let Some(r) = self.learning.as_ref() else { return Ok(()) };
        let points = &r.run.points;
        let line = |name: &str, f: fn(&LearningPoint) -> f64| -> Line {
            (
                name.to_string(),
                points.iter().map(|p| (p.rows as f64, f(p))).filter(|p| p.1.is_finite()).collect(),
                f64::NAN,
            )
        };
        let lang = self.lang();
        let rows = lang.pick("training rows", "baris latih");
        let lines = vec![line(rows, |p| p.train), line(lang.pick("test part", "bagian uji"), |p| p.test)];
        let x_max = points.iter().map(|p| p.rows as f64).fold(1.0, f64::max);
        let (lo, hi) =
            lines.iter().flat_map(|l| l.1.iter().map(|p| p.1)).fold((0.0f64, 1.0f64), |(l, h), v| (l.min(v), h.max(v)));
        line_chart(canvas, &lines, (0.0, x_max * 1.02), (lo, hi), rows, r.run.score, false, "")
    }

    /// Stops a running cross-validation, learning curve or search (their results so far stay).
    pub fn eval_cancel(&mut self) {
        if let Some(r) = self.learning.as_mut() {
            r.cancelled = true;
        }
        if let Some(r) = self.cv.as_mut() {
            r.cancelled = true;
        }
        if let Some(r) = self.search.as_mut() {
            r.cancelled = true;
        }
    }

    /// The settings a search can vary for the current model: `[{key, label, type, ...}]`.
    pub fn searchable(&self) -> JsValue {
        to_js(&searchable(&self.session.experiment().model))
    }

    /// Sets (or, with an empty `space`, removes) the experiment's search, which the link
    /// carries; returns what had to change to read it.
    pub fn set_search(&mut self, kind: &str, tries: u32, space: &str) -> Vec<String> {
        let mut e = self.session.experiment().clone();
        let mut notices = Vec::new();
        if space.trim().is_empty() {
            e.search = None;
        } else {
            let kind = if kind == "random" { SearchKind::Random } else { SearchKind::Grid };
            let (params, mut notes) = SearchSpec::parse_space(space, &e.model);
            notices.append(&mut notes);
            let max = crate::experiment::search::MAX_CANDIDATES as u32;
            if !(1..=max).contains(&tries) && kind == SearchKind::Random {
                notices.push(format!("A random search tries 1 to {max} candidates; {} was used.", tries.clamp(1, max)));
            }
            e.search = (!params.is_empty()).then(|| SearchSpec { kind, tries: tries.clamp(1, max), params });
            if e.search.is_none() {
                notices.push("The search space has no usable setting; no search was set.".into());
            }
        }
        self.session.set_evaluation(e.folds, e.search);
        notices
    }

    /// The experiment's search as the page edits it: `{kind, tries, space}` or null.
    pub fn search_spec(&self) -> JsValue {
        #[derive(Serialize)]
        struct Spec {
            kind: &'static str,
            tries: u32,
            space: String,
            params: Vec<(String, String)>,
        }
        match &self.session.experiment().search {
            Some(s) => to_js(&Spec {
                kind: s.kind.key(),
                tries: s.tries,
                space: s.space(),
                params: s.params.iter().map(|p| (p.key.clone(), p.values_text())).collect(),
            }),
            None => JsValue::NULL,
        }
    }

    /// Starts the experiment's search (each candidate cross-validated).
    #[cfg(feature = "full")]
    pub fn search_start(&mut self) -> Result<usize, JsValue> {
        let e = self.session.experiment();
        let spec = e.search.clone().ok_or_else(|| JsValue::from_str("Set the settings to search first."))?;
        let search = Search::new(e, &spec).map_err(|m| JsValue::from_str(&m))?;
        let total = search.total();
        self.search = Some(Running::new(search));
        Ok(total)
    }

    /// Runs the search for about `budget_ms`; returns progress and every candidate scored.
    #[cfg(feature = "full")]
    pub fn search_step(&mut self, budget_ms: f64) -> JsValue {
        let user = self.user.as_ref();
        let Some(r) = self.search.as_mut() else { return JsValue::NULL };
        let done = r.slice(budget_ms, Search::finished, |search, keep_going| search.advance(user, keep_going));
        let search = &r.run;
        let progress = r.progress(done, (search.progress(), search.results.len(), search.total()), &search.results);
        to_js(&Progress { best: search.best(), notices: &search.notices, ..progress })
    }

    /// Makes candidate `index` of the last search the experiment (its settings applied; the
    /// search stays in the link). Returns notices.
    #[cfg(feature = "full")]
    pub fn search_apply(&mut self, index: usize) -> Result<Vec<String>, JsValue> {
        let Some(r) = self.search.as_ref() else { return Err(JsValue::from_str("No search has run.")) };
        let (mut e, notices) =
            r.run.candidate_experiment(index).ok_or_else(|| JsValue::from_str("There is no such candidate."))?;
        e.search = self.session.experiment().search.clone();
        let session = super::session_for(e, self.user.as_ref()).map_err(|m| JsValue::from_str(&m))?;
        self.replace_session(session);
        Ok(notices)
    }

    /// Draws the search's mean score over a grid of its first two settings (the other
    /// settings' best at each cell). Returns false when the search has not two settings.
    #[cfg(feature = "full")]
    pub fn draw_search_heatmap(&self, canvas: &HtmlCanvasElement) -> Result<bool, JsValue> {
        let Some(r) = self.search.as_ref() else { return Ok(false) };
        let results = &r.run.results;
        let mut xs: Vec<String> = Vec::new();
        let mut ys: Vec<String> = Vec::new();
        let mut cells: Vec<(usize, usize, f64)> = Vec::new();
        for c in results {
            let (Some(a), Some(b)) = (c.settings.first(), c.settings.get(1)) else { return Ok(false) };
            let xi = xs.iter().position(|v| *v == a.1).unwrap_or_else(|| {
                xs.push(a.1.clone());
                xs.len() - 1
            });
            let yi = ys.iter().position(|v| *v == b.1).unwrap_or_else(|| {
                ys.push(b.1.clone());
                ys.len() - 1
            });
            if let Some(score) = c.scores.first().map(|s| s.mean).filter(|m| m.is_finite()) {
                match cells.iter_mut().find(|(x, y, _)| *x == xi && *y == yi) {
                    Some(cell) => cell.2 = cell.2.max(score),
                    None => cells.push((xi, yi, score)),
                }
            }
        }
        if results.is_empty() {
            return Ok(false);
        }
        let (Some(a), Some(b)) = (results[0].settings.first(), results[0].settings.get(1)) else { return Ok(false) };
        // A random search's values are nearly all different: a grid of them would be unreadable.
        if xs.len() > MAX_HEATMAP_VALUES || ys.len() > MAX_HEATMAP_VALUES {
            return Ok(false);
        }
        heatmap(canvas, &a.0, &b.0, &xs, &ys, &cells)?;
        Ok(true)
    }
}

/// Draws the losses of pinned runs (`[{name, losses}]`, losses as `Lab::losses` gives)
/// overlaid: test loss per run, one colour each.
#[wasm_bindgen(js_name = drawRuns)]
pub fn draw_runs(canvas: &HtmlCanvasElement, runs: JsValue) -> Result<(), JsValue> {
    let runs: Vec<RunLosses> = serde_wasm_bindgen::from_value(runs)?;
    let mut x_max = 1.0f64;
    let mut y_max = 0.0f64;
    let curves: Vec<Line> = runs
        .iter()
        .map(|r| {
            let points: Vec<(f64, f64)> =
                r.losses.chunks_exact(3).filter(|c| c[2].is_finite()).map(|c| (c[0], c[2])).collect();
            for p in &points {
                x_max = x_max.max(p.0);
                y_max = y_max.max(p.1);
            }
            (r.name.clone(), points, f64::NAN)
        })
        .collect();
    let y_max = if y_max > 0.0 { y_max * 1.05 } else { 1.0 };
    line_chart(canvas, &curves, (0.0, x_max), (0.0, y_max), "epoch", "test loss", false, "")
}

const PALETTE: [RGBColor; 8] = [
    RGBColor(230, 159, 0),
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(68, 68, 68),
    RGBColor(240, 228, 66),
];

fn err(e: impl std::fmt::Display) -> JsValue {
    JsValue::from_str(&format!("chart: {e}"))
}

/// Lines with a legend (name and, when finite, `area_name` = area).
#[allow(clippy::too_many_arguments)]
fn line_chart(
    canvas: &HtmlCanvasElement,
    curves: &[Line],
    x: (f64, f64),
    y: (f64, f64),
    x_label: &str,
    y_label: &str,
    diagonal: bool,
    area_name: &str,
) -> Result<(), JsValue> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(|| err("no canvas"))?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let font = (canvas.height() as f64 / 16.0).clamp(10.0, 18.0) as u32;
    let mut chart = ChartBuilder::on(&root)
        .margin(font / 2)
        .margin_right(font * 3 / 2)
        .x_label_area_size(font * 3)
        .y_label_area_size(font * 4)
        .build_cartesian_2d(x.0..x.1, y.0..y.1)
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_labels(5)
        .y_labels(5)
        .x_desc(x_label)
        .y_desc(y_label)
        .x_label_formatter(&|v| if x.1 > 10.0 { format!("{v:.0}") } else { format!("{v:.1}") })
        .y_label_formatter(&|v| format!("{v:.2}"))
        .light_line_style(WHITE)
        .label_style(("sans-serif", font).into_font())
        .draw()
        .map_err(err)?;
    if diagonal {
        let grey = RGBColor(170, 170, 170);
        chart
            .draw_series(DashedLineSeries::new(vec![(x.0, y.0), (x.1, y.1)], 6, 4, grey.stroke_width(1)))
            .map_err(err)?;
    }
    let width = (font / 6).max(2);
    for (i, (name, points, area)) in curves.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let label = if area.is_finite() { format!("{name} ({area_name} {area:.3})") } else { name.clone() };
        chart
            .draw_series(LineSeries::new(points.iter().copied(), color.stroke_width(width)))
            .map_err(err)?
            .label(label)
            .legend(move |(lx, ly)| PathElement::new(vec![(lx, ly), (lx + 14, ly)], color.stroke_width(3)));
    }
    if !curves.is_empty() {
        chart
            .configure_series_labels()
            .position(if diagonal { SeriesLabelPosition::LowerRight } else { SeriesLabelPosition::UpperRight })
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(200, 200, 200))
            .label_font(("sans-serif", font).into_font())
            .draw()
            .map_err(err)?;
    }
    root.present().map_err(err)
}

/// Score per cell of a two-setting grid: darker is better, the value written in each cell.
fn heatmap(
    canvas: &HtmlCanvasElement,
    x_name: &str,
    y_name: &str,
    xs: &[String],
    ys: &[String],
    cells: &[(usize, usize, f64)],
) -> Result<(), JsValue> {
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(|| err("no canvas"))?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(err)?;
    let font = (canvas.height() as f64 / 18.0).clamp(10.0, 16.0) as u32;
    // Axes in numeric order when the values are numbers.
    let order = |values: &[String]| -> Vec<usize> {
        let mut idx: Vec<usize> = (0..values.len()).collect();
        if values.iter().all(|v| v.parse::<f64>().is_ok()) {
            idx.sort_by(|&a, &b| values[a].parse::<f64>().unwrap_or(0.0).total_cmp(&values[b].parse().unwrap_or(0.0)));
        }
        idx
    };
    let (ox, oy) = (order(xs), order(ys));
    let pos = |o: &[usize], i: usize| o.iter().position(|&v| v == i).unwrap_or(0);
    let (nx, ny) = (xs.len().max(1), ys.len().max(1));
    let mut chart = ChartBuilder::on(&root)
        .margin(font / 2)
        .x_label_area_size(font * 3)
        .y_label_area_size(font * 5)
        .build_cartesian_2d(0.0..nx as f64, 0.0..ny as f64)
        .map_err(err)?;
    let label = |o: Vec<usize>, values: Vec<String>| {
        move |v: &f64| -> String {
            let i = v.floor() as usize;
            if (v - v.floor() - 0.5).abs() < 1e-6 {
                o.get(i).and_then(|&k| values.get(k)).cloned().unwrap_or_default()
            } else {
                String::new()
            }
        }
    };
    let (fx, fy) = (label(ox.clone(), xs.to_vec()), label(oy.clone(), ys.to_vec()));
    chart
        .configure_mesh()
        .disable_mesh()
        .x_labels(nx * 2 + 1)
        .y_labels(ny * 2 + 1)
        .x_desc(x_name)
        .y_desc(y_name)
        .x_label_formatter(&fx)
        .y_label_formatter(&fy)
        .label_style(("sans-serif", font).into_font())
        .draw()
        .map_err(err)?;
    let (lo, hi) = cells.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), c| (l.min(c.2), h.max(c.2)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    for &(xi, yi, score) in cells {
        let t = (score - lo) / span;
        // Light to dark blue: the best cell is the darkest.
        let shade = |a: f64, b: f64| (a + (b - a) * t) as u8;
        let fill = RGBColor(shade(235.0, 8.0), shade(243.0, 69.0), shade(250.0, 148.0));
        let (x, y) = (pos(&ox, xi) as f64, pos(&oy, yi) as f64);
        chart.draw_series(std::iter::once(Rectangle::new([(x, y), (x + 1.0, y + 1.0)], fill.filled()))).map_err(err)?;
        let ink = if t > 0.55 { WHITE } else { BLACK };
        let style =
            TextStyle::from(("sans-serif", font).into_font()).color(&ink).pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Center,
                plotters::style::text_anchor::VPos::Center,
            ));
        chart.draw_series(std::iter::once(Text::new(format!("{score:.3}"), (x + 0.5, y + 0.5), style))).map_err(err)?;
    }
    root.present().map_err(err)
}
