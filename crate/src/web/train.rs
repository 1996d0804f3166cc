//! Training and its views: reset, training within a time budget, one epoch, the stats and
//! losses, the network's weights, and drawing the boundary, neurons, features, the model's own
//! chart and the loss curve.

use super::{charts, model_view, now_ms, session_for, to_js, Lab};
use crate::data::Task;
use crate::experiment::run::Fields;
use crate::experiment::{Session, Status};
use crate::lang::Lang;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

/// Grid resolution of the decision boundary and neuron fields.
const FIELD_RES: usize = 100;

/// Fields and point labels computed at one `Session::model_version`.
#[derive(Debug)]
pub(super) struct ViewCache {
    version: u64,
    fields: Fields,
    labels: Option<Vec<f64>>,
}

/// The session's status as `stats` reports it: its state, and its message in the page's
/// language (absent when ready, as `Status` serialises).
#[derive(Serialize)]
struct StatusView {
    state: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<String>,
}

impl StatusView {
    fn new(s: &Session, lang: Lang) -> StatusView {
        let state = match s.status() {
            Status::Ready => "ready",
            Status::Stopped(_) => "stopped",
            Status::Diverged(_) => "diverged",
            Status::Done(_) => "done",
            Status::Failed(_) => "failed",
        };
        StatusView { state, message: s.status_message(lang) }
    }
}

#[derive(Serialize)]
struct Stats<'a> {
    epoch: u32,
    train_loss: f64,
    test_loss: f64,
    train_accuracy: Option<f64>,
    test_accuracy: Option<f64>,
    status: StatusView,
    task: &'static str,
    classes: usize,
    train_size: usize,
    test_size: usize,
    batches_per_epoch: usize,
    parameters: usize,
    /// Points the data view draws (every point up to `charts::MAX_DRAWN_POINTS`).
    shown_points: usize,
    /// Points the data view would draw with test points on.
    total_points: usize,
    /// The data's link name, whether it is a table, and what the view's axes are.
    data: &'a str,
    tabular: bool,
    view_label: String,
    /// Class names of a table's target (generated data: none, the page says "class k").
    class_names: &'a [String],
    inputs: usize,
    /// Rows × columns when each row is an image (the digits).
    image: Option<(usize, usize)>,
    /// The model's link id and kind (classification, regression, clustering, reduction).
    model: &'static str,
    kind: crate::models::Kind,
    /// Iterations done and to do (classical models; the MLP counts epochs instead).
    iterations: Option<(usize, usize)>,
    /// Whether the model has a chart of its own (`draw_model`).
    model_chart: bool,
}

#[derive(Serialize)]
struct Network {
    /// Units per layer, inputs first.
    sizes: Vec<usize>,
    /// Key and label of each input.
    inputs: Vec<(String, String)>,
    /// weights[l][j][i]: from unit i of layer l to unit j of layer l + 1.
    weights: Vec<Vec<Vec<f64>>>,
    biases: Vec<Vec<f64>>,
}

#[wasm_bindgen]
impl Lab {
    /// Restarts training of the same experiment (same seeds: same initial weights).
    pub fn reset(&mut self) -> Result<(), JsValue> {
        let session =
            session_for(self.session.experiment().clone(), self.user.as_ref()).map_err(|m| JsValue::from_str(&m))?;
        self.replace_session(session);
        Ok(())
    }

    /// Trains mini-batches until `budget_ms` has passed, a stop is reached, or `max_epochs`
    /// more epochs are done (0: no limit). Returns the number of epochs completed. When
    /// epochs are shorter than the budget the slice ends on an epoch boundary, whose losses
    /// are recorded (one chart point per slice). Evaluating a large dataset is split across
    /// slices, so no call runs much past its budget; training resumes once it is done.
    pub fn train(&mut self, budget_ms: f64, max_epochs: u32) -> u32 {
        /// Rows evaluated between two looks at the clock.
        const EVAL_ROWS: usize = 512;
        // Training from here on is the person's: a replay under way ends where it is.
        self.replay = None;
        let start = now_ms();
        let mut epoch_start = start;
        let mut epochs = 0;
        let check_every = self.batches_per_clock_look();
        let mut last_epoch_of_slice = false;
        loop {
            while self.session.recording() {
                self.session.advance_record(EVAL_ROWS);
                if now_ms() - start >= budget_ms {
                    return epochs;
                }
            }
            if last_epoch_of_slice || !self.session.can_train() {
                return epochs;
            }
            for _ in 0..check_every {
                if self.session.step_batch() {
                    epochs += 1;
                    let now = now_ms();
                    let epoch_ms = now - epoch_start;
                    epoch_start = now;
                    // End on this boundary if another epoch of the same length would overrun.
                    let out_of_time = now + epoch_ms - start >= budget_ms;
                    // (A reached "stop after N" has begun its own record.)
                    let stop = self.session.recording() || !self.session.can_train();
                    if (max_epochs > 0 && epochs >= max_epochs) || stop || out_of_time {
                        self.session.begin_record();
                        last_epoch_of_slice = true;
                        break;
                    }
                }
            }
            if !last_epoch_of_slice && now_ms() - start >= budget_ms {
                return epochs;
            }
        }
    }

    /// Trains exactly one epoch (the Step button).
    pub fn step(&mut self) -> u32 {
        self.replay = None;
        self.session.resume();
        let done = self.session.train_epochs(1);
        self.session.record();
        done
    }

    /// Clears a reached "stop after" so Play can go on.
    pub fn resume(&mut self) {
        self.session.resume();
    }

    pub fn epoch(&self) -> u32 {
        self.session.epoch()
    }

    /// Epoch, losses, accuracies, status and sizes, as a plain object.
    pub fn stats(&self) -> JsValue {
        let last = self.session.history().last().copied();
        let s = &self.session;
        let task = s.task();
        let total_points = s.train_rows().len() + if s.experiment().show_test { s.test_rows().len() } else { 0 };
        to_js(&Stats {
            epoch: s.epoch(),
            train_loss: last.map_or(f64::NAN, |r| r.train_loss),
            test_loss: last.map_or(f64::NAN, |r| r.test_loss),
            train_accuracy: last.and_then(|r| r.train_accuracy),
            test_accuracy: last.and_then(|r| r.test_accuracy),
            status: StatusView::new(s, self.lang()),
            task: match task {
                Task::Classification { .. } => "classification",
                Task::Regression => "regression",
            },
            // Clusterers colour by cluster: the legend counts clusters.
            classes: if s.experiment().kind() == crate::models::Kind::Clustering {
                s.view_task().classes()
            } else {
                task.classes()
            },
            train_size: s.train_rows().len(),
            test_size: s.test_rows().len(),
            batches_per_epoch: s.batches_per_epoch(),
            parameters: s.shown_parameter_count(),
            shown_points: total_points.div_ceil(charts::point_stride(total_points)),
            total_points,
            data: s.experiment().data_name(),
            tabular: s.inputs().table().is_some(),
            view_label: s.inputs().table().map(|t| t.view.caption(self.lang())).unwrap_or_default(),
            class_names: s.inputs().table().map_or(&[][..], |t| &t.class_names),
            inputs: s.inputs().count(),
            image: s.inputs().table().and_then(|t| t.image),
            model: s.experiment().model.id(),
            kind: s.experiment().kind(),
            iterations: s.trainer().map(|t| t.progress()),
            model_chart: model_view::has_chart(s),
        })
    }

    /// Losses at every recorded epoch, flattened: [epoch, train, test, epoch, train, ...].
    /// The page records once per training slice; a recorded epoch's losses do not depend
    /// on which other epochs were recorded.
    pub fn losses(&self) -> Vec<f64> {
        self.session.history().iter().flat_map(|r| [r.epoch as f64, r.train_loss, r.test_loss]).collect()
    }

    /// Layer sizes, input labels, weights and biases, for the network view.
    pub fn network(&self) -> JsValue {
        let Some(net) = self.session.shown_network() else { return JsValue::NULL };
        let layers = net.sizes().len() - 1;
        to_js(&Network {
            sizes: net.sizes().to_vec(),
            inputs: self.session.inputs().labels(),
            weights: (0..layers).map(|l| net.weights(l).outer_iter().map(|r| r.to_vec()).collect()).collect(),
            biases: (0..layers).map(|l| net.biases(l).to_vec()).collect(),
        })
    }

    /// Forgets the computed view, so the next `draw` recomputes the model's output over the
    /// whole grid (the redraw benchmark times that).
    pub fn forget_view(&mut self) {
        self.fields = None;
    }

    /// Draws the big view (the output, or hidden neuron `focus_layer`/`focus_neuron` when
    /// focus_layer ≥ 1) and one thumbnail per hidden neuron into `thumbnails`, in order.
    pub fn draw(
        &mut self,
        view: &HtmlCanvasElement,
        thumbnails: &js_sys::Array,
        focus_layer: i32,
        focus_neuron: i32,
    ) -> Result<(), JsValue> {
        let version = self.session.model_version();
        if self.fields.as_ref().map(|c| c.version) != Some(version) {
            let fields = self.session.fields(FIELD_RES);
            // Clusterers colour each point by the cluster it joined, not by its true class.
            let labels = self.session.point_labels();
            self.fields = Some(ViewCache { version, fields, labels });
        }
        let Some(ViewCache { fields, labels, .. }) = &self.fields else { return Ok(()) };
        let (show_test, discretize) = (self.session.experiment().show_test, self.session.experiment().discretize);
        let focus = (focus_layer >= 1)
            .then(|| fields.neurons.get(focus_layer as usize - 1).and_then(|l| l.get(focus_neuron.max(0) as usize)))
            .flatten();
        let ds = self.session.dataset();
        let view_task = self.session.view_task();
        let points = charts::Points {
            points: &ds.points,
            targets: labels.as_deref().unwrap_or(&ds.targets),
            train: self.session.train_rows(),
            test: if show_test { self.session.test_rows() } else { &[] },
            task: if labels.is_some() { view_task } else { ds.task },
            highlight: &self.highlight,
        };
        let shading = match self.session.experiment().kind() {
            // PCA's first component is unbounded: scale the colours to it.
            crate::models::Kind::Reduction => charts::neuron_shading(&fields.output, discretize),
            _ => charts::output_shading(view_task, discretize),
        };
        match focus {
            Some(f) => charts::draw_heatmap(view, f, charts::neuron_shading(f, discretize), Some(&points))?,
            None => {
                charts::draw_heatmap(view, &fields.output, shading, Some(&points))?;
                model_view::draw_overlays(view, &self.session)?;
            }
        }
        let all: Vec<_> = fields.neurons.iter().flatten().collect();
        for (i, canvas) in thumbnails.iter().enumerate() {
            if let (Some(f), Ok(c)) = (all.get(i), canvas.dyn_into::<HtmlCanvasElement>()) {
                // About one grid cell per canvas pixel is all a thumbnail can show.
                let small = f.decimate(f.res / (c.width() as usize).max(1));
                charts::draw_heatmap(&c, &small, charts::neuron_shading(&small, discretize), None)?;
            }
        }
        Ok(())
    }

    /// Draws each input feature's values into `canvases`, matched by `keys` (link names).
    pub fn draw_features(&self, canvases: &js_sys::Array, keys: Vec<String>) -> Result<(), JsValue> {
        for (canvas, key) in canvases.iter().zip(keys) {
            if let (Some(field), Ok(c)) = (self.session.input_field(30, &key), canvas.dyn_into::<HtmlCanvasElement>()) {
                charts::draw_heatmap(&c, &field, charts::neuron_shading(&field, false), None)?;
            }
        }
        Ok(())
    }

    /// The generated data: `{points: [x1, x2, ...], targets, train, test}` (rows of the split).
    pub fn dataset(&self) -> JsValue {
        #[derive(Serialize)]
        struct Data<'a> {
            points: Vec<f64>,
            targets: &'a [f64],
            train: &'a [usize],
            test: &'a [usize],
        }
        let d = self.session.dataset();
        to_js(&Data {
            points: d.points.iter().flatten().copied().collect(),
            targets: &d.targets,
            train: self.session.train_rows(),
            test: self.session.test_rows(),
        })
    }

    /// A few lines describing the fitted classical model (empty for the MLP).
    pub fn model_summary(&self) -> Vec<String> {
        if self.session.trainer().is_none() {
            return Vec::new();
        }
        crate::experiment::summary::summary(&self.session, self.lang())
    }

    /// Draws the classical model's own chart (tree, residuals, projection, cluster sizes).
    pub fn draw_model(&self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        model_view::draw_chart(canvas, &self.session, self.lang())
    }

    /// Draws the train/test loss curve so far.
    pub fn draw_loss(&self, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
        charts::draw_loss(canvas, self.session.history())
    }
}

impl Lab {
    /// Batches trained between two looks at the clock: a clock call costs more than a small
    /// batch. A classical model's step is one look each.
    pub(super) fn batches_per_clock_look(&self) -> usize {
        if self.session.trainer().is_some() {
            return 1;
        }
        let work = self.session.experiment().batch_size * (self.session.shown_parameter_count() + 1);
        (2000 / work.max(1)).clamp(1, 64)
    }
}
