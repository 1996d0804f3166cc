//! The run loop: builds the data and the network of an experiment and trains it one
//! mini-batch at a time, so a caller can train within a time budget and stop anywhere.
//! Epoch boundaries are the same however the work is sliced, so a link reproduces the same
//! losses after N epochs whether it ran in 1-ms slices in a browser or in one go natively.

use super::inputs::{self, Inputs, SplitPlan};
use super::Experiment;
use crate::data::rng::{Purpose, Rng};
use crate::data::table::Table;
use crate::data::{Dataset, Feature, Task, DOMAIN};
use crate::lang::Lang;
use crate::models::mlp::{argmax, EvalSum, Mlp, OptimizerState, CHUNK_ROWS};
use crate::models::{Data, Fitted, ModelParams, ParamError, Trainer};
use crate::render::Field;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// Losses and accuracies after a completed epoch (epoch 0 is before training).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    pub epoch: u32,
    pub train_loss: f64,
    pub test_loss: f64,
    pub train_accuracy: Option<f64>,
    pub test_accuracy: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "state", content = "message", rename_all = "lowercase")]
pub enum Status {
    /// Can train.
    Ready,
    /// Reached the experiment's "stop after N epochs".
    Stopped(String),
    /// The loss became NaN or infinite; training is paused with advice.
    Diverged(String),
    /// A model that fits in a fixed number of iterations has done them all.
    Done(String),
    /// The model cannot be fitted to this data (the message says why and what to change).
    Failed(String),
}

/// What a Done, Stopped or Diverged status says, so the page can write it in its language
/// (`Session::status_message`); the status itself carries the English text.
#[derive(Debug, Clone, PartialEq)]
enum StatusNote {
    /// A classical model converged: iteration `at` moved nothing, or (`gradient`) the
    /// gradient was practically zero after iteration `at`.
    Converged { at: usize, gradient: bool },
    /// A classical model did all its iterations (`total` > 1), or its single fit (1).
    AllDone(usize),
    /// "Stop after" reached at this epoch.
    Stopped(u32),
    /// The loss overflowed at `epoch`: NaN or infinite, with the settings to change.
    Diverged { epoch: u32, nan: bool, learning_rate: f64, reg_rate: Option<f64>, suggest_tanh: bool },
}

impl StatusNote {
    fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (StatusNote::Converged { at, gradient: true }, Lang::En) => {
                format!("Fitted: converged after {at} iterations (the gradient is practically zero).")
            }
            (StatusNote::Converged { at, gradient: true }, Lang::Id) => {
                format!("Selesai di-fit: konvergen setelah {at} iterasi (gradiennya praktis nol).")
            }
            (StatusNote::Converged { at, .. }, Lang::En) => {
                format!("Fitted: converged after {} iterations (nothing changed in the next).", at - 1)
            }
            (StatusNote::Converged { at, .. }, Lang::Id) => format!(
                "Selesai di-fit: konvergen setelah {} iterasi (iterasi berikutnya tidak mengubah apa pun).",
                at - 1
            ),
            (StatusNote::AllDone(total), Lang::En) if *total > 1 => format!("Fitted: all {total} iterations done."),
            (StatusNote::AllDone(total), Lang::Id) if *total > 1 => {
                format!("Selesai di-fit: semua {total} iterasi sudah dijalankan.")
            }
            (StatusNote::AllDone(_), _) => lang.pick("Fitted.", "Selesai di-fit.").into(),
            (StatusNote::Stopped(epoch), Lang::En) => format!("Stopped after {epoch} epochs, as the experiment asks."),
            (StatusNote::Stopped(epoch), Lang::Id) => {
                format!("Berhenti setelah {epoch} epoch, sesuai permintaan eksperimen.")
            }
            (StatusNote::Diverged { epoch, nan, learning_rate, reg_rate, suggest_tanh }, _) => {
                let mut advice = match lang {
                    Lang::En => format!("lower the learning rate (now {learning_rate})"),
                    Lang::Id => format!("turunkan laju pembelajaran (sekarang {learning_rate})"),
                };
                if let Some(r) = reg_rate {
                    advice.push_str(&match lang {
                        Lang::En => format!(", lower the regularisation rate (now {r})"),
                        Lang::Id => format!(", turunkan laju regularisasi (sekarang {r})"),
                    });
                }
                if *suggest_tanh {
                    advice.push_str(lang.pick(
                        ", or try tanh, whose outputs stay bounded",
                        ", atau coba tanh, yang keluarannya tetap terbatas",
                    ));
                }
                match lang {
                    Lang::En => format!(
                        "Training paused at epoch {epoch}: the loss became {} (the weights overflowed). Try to {advice}, then press Reset.",
                        if *nan { "NaN" } else { "infinite" },
                    ),
                    Lang::Id => format!(
                        "Pelatihan dijeda pada epoch {epoch}: loss menjadi {} (bobot meluap). Coba {advice}, lalu tekan Ulang.",
                        if *nan { "NaN" } else { "tak hingga" },
                    ),
                }
            }
        }
    }

    /// The status it belongs to, with the English text.
    fn status(&self) -> Status {
        let text = self.text(Lang::En);
        match self {
            StatusNote::Converged { .. } | StatusNote::AllDone(_) => Status::Done(text),
            StatusNote::Stopped(_) => Status::Stopped(text),
            StatusNote::Diverged { .. } => Status::Diverged(text),
        }
    }
}

/// What training produced, as a model file or a link carries it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Trained {
    /// Epochs trained (for a classical model: iterations done).
    pub epoch: u32,
    /// The fitted model: the network's weights, or a classical model (which is refitted on
    /// restore, from the same data and seed, and compared, never trusted as given).
    pub model: Option<Fitted>,
    /// The network optimiser's memory, so training goes on exactly.
    pub optimizer: Option<OptimizerState>,
}

/// A prediction for one new input row (`Session::predict_raw`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RawPrediction {
    /// The class (or cluster) predicted.
    pub class: Option<usize>,
    /// Each class's probability, where the model gives them.
    pub probabilities: Option<Vec<f64>>,
    /// The value predicted (regression), in the target's own units.
    pub value: Option<f64>,
    /// What was assumed for missing or unreadable inputs.
    pub notices: Vec<String>,
}

/// Most loss records a session keeps (160 KB); at it, every other one is dropped.
pub const MAX_HISTORY: usize = 4_096;

/// Most row-steps spent replaying training to restore a state the link only names.
pub const MAX_REPLAY_ROWS: u64 = 50_000_000;

/// A live experiment: data, split, network and training position.
#[derive(Debug)]
pub struct Session {
    experiment: Experiment,
    dataset: Dataset,
    train_rows: Vec<usize>,
    test_rows: Vec<usize>,
    x_train: Vec<f64>,
    y_train: Vec<f64>,
    x_test: Vec<f64>,
    y_test: Vec<f64>,
    net: Mlp,
    order: Vec<usize>,
    cursor: usize,
    shuffle_rng: Rng,
    epoch: u32,
    history: Vec<EpochRecord>,
    status: Status,
    /// What the status says when it is Done, Stopped or Diverged (set with it, `set_note`).
    note: Option<StatusNote>,
    /// Evaluate train and test loss after every epoch (the CLI, tests) or only when asked
    /// (`record`), as the page does once per animation frame.
    record_every_epoch: bool,
    /// An evaluation of the current weights under way (see `begin_record`).
    pending: Option<PendingEval>,
    /// The classical model being fitted, when the experiment's model is not the MLP.
    model: Option<Trainer>,
    /// Classification (with its classes) or regression, as the data says.
    task: Task,
    inputs: Inputs,
    /// What making the data fit the experiment changed or left out, for the person.
    notices: Vec<String>,
}

/// Progress of an evaluation split over several calls: rows done (train rows first, then
/// test rows) and the running sums.
#[derive(Debug, Clone, Copy, Default)]
struct PendingEval {
    done: usize,
    train: EvalSum,
    test: EvalSum,
}

/// A session's data made ready (generated, drawn or a table selected, split and preprocessed),
/// before its model: the first of the two steps of `Session::with_split`.
#[derive(Debug)]
pub struct SessionData {
    experiment: Experiment,
    dataset: Dataset,
    train_rows: Vec<usize>,
    test_rows: Vec<usize>,
    inputs: Inputs,
    notices: Vec<String>,
}

impl SessionData {
    /// The data `Session::with_split` trains on (same arguments).
    pub fn new(
        mut experiment: Experiment,
        user: Option<&Table>,
        fold: Option<(usize, usize)>,
        train_share: u32,
    ) -> Result<SessionData, ParamError> {
        let mut notices = Vec::new();
        let plan = SplitPlan {
            train_percent: experiment.train_percent,
            stratify: experiment.stratify,
            fold,
            train_share: train_share.clamp(1, 100),
            seed: experiment.data_seed,
        };
        let class_labels = |d: &Dataset| matches!(d.task, Task::Classification { .. }).then(|| d.targets.clone());
        let (dataset, train_rows, test_rows, inputs) = match experiment.table.clone() {
            None if experiment.drawn.is_some() => {
                let dataset = experiment.drawn.as_ref().map(|d| d.dataset(experiment.classes)).unwrap_or_else(|| {
                    Dataset { points: Vec::new(), targets: Vec::new(), task: Task::Classification { classes: 2 } }
                });
                let (train_rows, test_rows) = plan.rows(dataset.len(), class_labels(&dataset).as_deref());
                (dataset, train_rows, test_rows, Inputs::Plane(experiment.features.clone()))
            }
            None => {
                let mut data_rng = Rng::new(experiment.data_seed, Purpose::Data);
                let dataset = experiment.data.generate(
                    experiment.samples,
                    experiment.noise as f64 / 100.0,
                    experiment.classes,
                    &mut data_rng,
                );
                let (train_rows, test_rows) = plan.rows(dataset.len(), class_labels(&dataset).as_deref());
                (dataset, train_rows, test_rows, Inputs::Plane(experiment.features.clone()))
            }
            #[cfg(not(feature = "full"))]
            Some(_) => return Err(ParamError { field: "data", message: crate::NEEDS_FULL.into() }),
            #[cfg(feature = "full")]
            Some(mut spec) => {
                let table = inputs::source_table(&spec, user).ok_or_else(|| ParamError {
                    field: "data",
                    message: if spec.source == "csv" {
                        "this experiment uses a CSV file that is not loaded; open it again".into()
                    } else {
                        format!("there is no dataset “{}”", spec.source)
                    },
                })?;
                notices.extend(spec.fit_to(table));
                experiment.table = Some(spec.clone());
                notices.extend(experiment.fit_model_to_task());
                let image = crate::data::builtin::find(&spec.source).and_then(|b| b.image);
                let p = inputs::prepare(table, &spec, &plan, image)?;
                notices.extend(p.inputs.notices.iter().cloned());
                (p.dataset, p.train_rows, p.test_rows, Inputs::Table(Box::new(p.inputs)))
            }
        };
        Ok(SessionData { experiment, dataset, train_rows, test_rows, inputs, notices })
    }
}

impl Session {
    /// A session on generated data or a shipped dataset.
    pub fn new(experiment: Experiment) -> Result<Session, ParamError> {
        Session::with_table(experiment, None)
    }

    /// A session whose table, if the experiment names the person's file (`csv`), is `user`.
    pub fn with_table(experiment: Experiment, user: Option<&Table>) -> Result<Session, ParamError> {
        Session::with_split(experiment, user, None, 100)
    }

    /// A session whose split is fold `i` of a `k`-fold cross-validation (`fold = Some((k, i))`)
    /// instead of the experiment's holdout, training on `train_share` percent of its training
    /// rows (a learning curve's point). Preprocessing is fitted on the rows it trains on, as
    /// always.
    pub fn with_split(
        experiment: Experiment,
        user: Option<&Table>,
        fold: Option<(usize, usize)>,
        train_share: u32,
    ) -> Result<Session, ParamError> {
        Session::from_data(SessionData::new(experiment, user, fold, train_share)?)
    }

    /// The session on data made ready by `SessionData::new`: the network or model, the
    /// design matrices and the first loss. The page makes a large file's session in these two
    /// steps, in two tasks, so that neither blocks it for the time of both.
    pub fn from_data(data: SessionData) -> Result<Session, ParamError> {
        let SessionData { experiment, dataset, train_rows, test_rows, inputs, notices } = data;
        let task = dataset.task;
        let net = Mlp::new(experiment.mlp_params_for(inputs.count(), task).check()?);
        let (x_train, y_train) = design(&dataset, &inputs, &train_rows);
        let (x_test, y_test) = design(&dataset, &inputs, &test_rows);
        let mut s = Session {
            order: (0..train_rows.len()).collect(),
            shuffle_rng: Rng::new(experiment.seed, Purpose::Shuffle),
            experiment,
            dataset,
            train_rows,
            test_rows,
            x_train,
            y_train,
            x_test,
            y_test,
            net,
            cursor: 0,
            epoch: 0,
            history: Vec::new(),
            status: Status::Ready,
            note: None,
            record_every_epoch: true,
            pending: None,
            model: None,
            task,
            inputs,
            notices,
        };
        if s.experiment.model != ModelParams::Mlp {
            s.model = Some(Trainer::new(s.experiment.model.clone(), s.experiment.seed)?);
        }
        if let Some(why) = s.too_little_data() {
            s.status = Status::Failed(why);
            return Ok(s);
        }
        if s.model.is_none() {
            s.record();
        }
        Ok(s)
    }

    pub fn experiment(&self) -> &Experiment {
        &self.experiment
    }
    /// Class probabilities the model gives one input row (already standardised), or None for a
    /// model that does not classify. Classical models without probabilities give 1 to the class
    /// they predict.
    pub fn class_probabilities(&mut self, x: &[f64]) -> Option<Vec<f64>> {
        let classes = self.task.classes();
        if classes == 0
            || x.len() != self.inputs.count()
            || self.experiment.kind() != crate::models::Kind::Classification
        {
            return None;
        }
        if self.model.is_none() {
            self.net.forward_rows(x);
            return Some(self.net.layer_outputs(self.net.sizes().len() - 1, 1).to_vec());
        }
        let fitted = self.fitted()?;
        let row = ArrayView2::from_shape((1, x.len()), x).ok()?;
        match fitted.predict_proba(row) {
            Some(p) => Some(p.row(0).to_vec()),
            None => {
                let mut p = vec![0.0; classes];
                let c = fitted.predict(row)[0];
                if c >= 0.0 && (c as usize) < classes {
                    p[c as usize] = 1.0;
                }
                Some(p)
            }
        }
    }

    /// Why a drawing cannot be trained on yet (too few points, one class), if so.
    fn too_little_data(&self) -> Option<String> {
        self.experiment.drawn.as_ref()?;
        let n = self.dataset.len();
        let mut classes: Vec<u64> = self.dataset.targets.iter().map(|t| t.to_bits()).collect();
        classes.sort_unstable();
        classes.dedup();
        if n < 4 {
            Some(format!("Click on the view to draw points: {n} so far, at least 4 are needed to train and test."))
        } else if !self.experiment.is_regression() && classes.len() < 2 {
            Some("All drawn points have one class; draw some of another class (pick it under the view).".into())
        } else {
            None
        }
    }

    /// Classification (with its class count) or regression, as the data says.
    pub fn task(&self) -> Task {
        self.task
    }
    pub fn inputs(&self) -> &Inputs {
        &self.inputs
    }
    /// What making the data fit the experiment changed or left out.
    pub fn notices(&self) -> &[String] {
        &self.notices
    }
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }
    pub fn train_rows(&self) -> &[usize] {
        &self.train_rows
    }
    pub fn test_rows(&self) -> &[usize] {
        &self.test_rows
    }
    pub fn net(&self) -> &Mlp {
        &self.net
    }
    /// Completed epochs.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }
    /// How far training has come: the network's epochs, or the classical model's iterations
    /// (what a trained state names).
    pub fn trained_to(&self) -> u32 {
        self.model.as_ref().map_or(self.epoch, |m| m.progress().0 as u32)
    }
    pub fn history(&self) -> &[EpochRecord] {
        &self.history
    }
    /// Takes the history of a run that reached this session's state elsewhere (the page
    /// moving to the full build), when it ends at or before this epoch (this session's own
    /// records after it stay); returns whether it was taken.
    pub fn take_history(&mut self, mut history: Vec<EpochRecord>) -> bool {
        let fits = history.last().is_some_and(|r| r.epoch <= self.epoch)
            && history.len() < MAX_HISTORY
            && history.windows(2).all(|w| w[0].epoch < w[1].epoch);
        if fits {
            let last = history.last().map_or(0, |r| r.epoch);
            history.extend(self.history.iter().filter(|r| r.epoch > last));
            self.history = history;
        }
        fits
    }

    /// Trains the rest of an epoch under way (a network's; a classical model steps whole
    /// iterations), so the state is one a link or file can hold and go on from exactly.
    pub fn finish_epoch(&mut self) {
        while self.model.is_none() && !self.at_epoch_boundary() && self.can_train() {
            self.step_batch();
        }
    }
    pub fn status(&self) -> &Status {
        &self.status
    }
    /// The status's message in `lang` (None when Ready); a failure's message is translated
    /// through the notices' catalogue.
    pub fn status_message(&self, lang: Lang) -> Option<String> {
        match (&self.status, &self.note) {
            (Status::Ready, _) => None,
            (Status::Done(_) | Status::Stopped(_) | Status::Diverged(_), Some(note)) => Some(note.text(lang)),
            (Status::Done(m) | Status::Stopped(m) | Status::Diverged(m) | Status::Failed(m), _) => Some(lang.notice(m)),
        }
    }
    /// Sets a Done, Stopped or Diverged status from what it says.
    fn set_note(&mut self, note: StatusNote) {
        self.status = note.status();
        self.note = Some(note);
    }
    pub fn can_train(&self) -> bool {
        self.status == Status::Ready
    }
    /// Batches per epoch (the last one may be smaller).
    pub fn batches_per_epoch(&self) -> usize {
        self.order.len().div_ceil(self.batch_size())
    }
    fn batch_size(&self) -> usize {
        self.experiment.batch_size.min(self.order.len()).max(1)
    }

    /// Trains one mini-batch (for a classical model: one iteration, which counts as an
    /// epoch). Returns true when it completed an epoch.
    pub fn step_batch(&mut self) -> bool {
        if self.model.is_some() {
            return self.step_model();
        }
        // Weights must not change under an evaluation: finish it first.
        if self.pending.is_some() {
            self.advance_record(usize::MAX);
        }
        if !self.can_train() {
            return false;
        }
        if self.cursor == 0 {
            self.shuffle_rng.shuffle(&mut self.order);
        }
        let end = (self.cursor + self.batch_size()).min(self.order.len());
        self.net.train_batch(&self.x_train, &self.y_train, &self.order[self.cursor..end]);
        self.cursor = end;
        if self.cursor < self.order.len() {
            return false;
        }
        self.cursor = 0;
        self.epoch += 1;
        if self.record_every_epoch {
            self.record();
        } else if self.stop_reached() {
            // The page's slices evaluate in pieces; the stop epoch must be recorded too.
            self.begin_record();
        }
        true
    }

    /// Changes whenever the model does (a training step), so views can cache what they
    /// computed from it.
    pub fn model_version(&self) -> u64 {
        match &self.model {
            Some(t) => t.progress().0 as u64,
            None => self.net.updates(),
        }
    }

    /// The classical model, if the experiment uses one.
    pub fn trainer(&self) -> Option<&Trainer> {
        self.model.as_ref()
    }

    /// The fitted classical model so far.
    pub fn fitted(&self) -> Option<&Fitted> {
        self.model.as_ref().and_then(Trainer::fitted)
    }

    pub fn x_train(&self) -> ArrayView2<'_, f64> {
        let f = self.inputs.count();
        ArrayView2::from_shape((self.y_train.len(), f), &self.x_train).expect("rows × features")
    }

    pub fn x_test(&self) -> ArrayView2<'_, f64> {
        let f = self.inputs.count();
        ArrayView2::from_shape((self.y_test.len(), f), &self.x_test).expect("rows × features")
    }

    pub fn y_train(&self) -> &[f64] {
        &self.y_train
    }

    pub fn y_test(&self) -> &[f64] {
        &self.y_test
    }

    /// The trained state (with the optimiser's memory when asked: files want it, links may
    /// not have room).
    pub fn trained(&self, with_optimizer: bool) -> Trained {
        match &self.model {
            None => Trained {
                epoch: self.epoch,
                model: Some(Fitted::Mlp(self.net.to_model())),
                optimizer: with_optimizer.then(|| self.net.optimizer_state()),
            },
            Some(t) => Trained { epoch: t.progress().0 as u32, model: t.fitted().cloned(), optimizer: None },
        }
    }

    /// Brings a fresh session to a trained state. The network takes the weights as given
    /// (checked against its shape) and replays the shuffles of the epochs before, so training
    /// goes on as it would have; without weights it replays the training itself (the same
    /// bits, as every run is seeded). A classical model is refitted to the same iteration and
    /// compared with the given one. Returns notices; an unusable state is an error and leaves
    /// the session as it was.
    pub fn restore(&mut self, t: &Trained) -> Result<Vec<String>, String> {
        let mut notices = Vec::new();
        let rows = self.order.len().max(1) as u64;
        if self.model.is_none() {
            match &t.model {
                Some(Fitted::Mlp(m)) => {
                    if m.params != *self.net.params() {
                        return Err("the weights are for another network than this experiment's (its layers, activation or seed differ)".into());
                    }
                    let mut net = Mlp::from_model(m).map_err(|e| e.to_string())?;
                    if let Some(o) = &t.optimizer {
                        net.set_optimizer_state(o).map_err(|e| e.to_string())?;
                    }
                    self.net = net;
                    if u64::from(t.epoch) * rows <= MAX_REPLAY_ROWS {
                        for _ in 0..t.epoch {
                            self.shuffle_rng.shuffle(&mut self.order);
                        }
                    } else {
                        notices.push("Training goes on from these weights with a fresh shuffle order.".into());
                    }
                    (self.epoch, self.cursor, self.pending) = (t.epoch, 0, None);
                    self.history.clear();
                    self.status = Status::Ready;
                    self.record();
                }
                Some(_) => return Err("the model is not a neural network, but the experiment's is".into()),
                None if u64::from(t.epoch) * rows > MAX_REPLAY_ROWS => {
                    return Err(format!(
                    "replaying {} epochs on {rows} rows would take too long; share the weights (a model file) instead",
                    t.epoch
                ))
                }
                None => {
                    let every = self.record_every_epoch;
                    self.record_every_epoch = false;
                    self.train_epochs(t.epoch.saturating_sub(self.epoch));
                    self.record_every_epoch = every;
                    self.record();
                }
            }
            return Ok(notices);
        }
        while self.model.as_ref().is_some_and(|m| (m.progress().0 as u32) < t.epoch) && self.can_train() {
            self.step_model();
        }
        if let (Some(given), Some(refit)) = (&t.model, self.fitted()) {
            let same = serde_json::to_value(given).ok() == serde_json::to_value(refit).ok();
            if !same {
                notices.push("The model given differs from what this experiment fits (it was edited, or made by another version); the refitted model is shown.".into());
            }
        }
        Ok(notices)
    }

    /// A regression prediction in the target's own units: a table's target is standardised on
    /// the training rows for training, generated data's is not.
    fn in_target_units(&self, v: f64) -> f64 {
        match &self.inputs {
            Inputs::Table(t) => v * t.preprocess.target_scale + t.preprocess.target_mean,
            Inputs::Plane(_) => v,
        }
    }

    /// The inputs a new row gives, in order: the generated data's x1 and x2, or a table's
    /// source columns (numbers with their training range, or text with its levels).
    pub fn input_columns(&self) -> Vec<crate::data::tabular::InputColumn> {
        match &self.inputs {
            Inputs::Table(t) => t.preprocess.columns.clone(),
            Inputs::Plane(_) => ["x1", "x2"]
                .iter()
                .map(|n| crate::data::tabular::InputColumn {
                    name: n.to_string(),
                    levels: None,
                    one_hot: false,
                    min: -DOMAIN,
                    max: DOMAIN,
                    fill: 0.0,
                })
                .collect(),
        }
    }

    /// Predicts one new row given as text per input (`input_columns`' order), as a deployed
    /// model does: missing or unreadable inputs take their training fill, with a notice.
    pub fn predict_raw(&mut self, raw: &[String]) -> Result<RawPrediction, String> {
        let (x, notices) = match &self.inputs {
            Inputs::Table(t) => t.preprocess.encode_row(raw),
            Inputs::Plane(features) => {
                let mut notices = Vec::new();
                let mut p = [0.0; 2];
                for (i, v) in p.iter_mut().enumerate() {
                    let cell = raw.get(i).map_or("", |s| s.trim());
                    match cell.parse::<f64>() {
                        Ok(n) if n.is_finite() => *v = n,
                        _ => notices.push(format!("x{} “{cell}” is not a number; 0 was used.", i + 1)),
                    }
                }
                let mut x = vec![0.0; features.len()];
                crate::data::featurize(features, p, &mut x);
                (x, notices)
            }
        };
        let mut out = RawPrediction { class: None, probabilities: None, value: None, notices };
        match self.experiment.kind() {
            crate::models::Kind::Reduction => return Err("PCA projects the data; it makes no predictions.".into()),
            crate::models::Kind::Classification => {
                let p = self.class_probabilities(&x).ok_or("the model gives no class for this input")?;
                out.class = Some(argmax(&p));
                out.probabilities = Some(p);
            }
            kind => {
                let v = if self.model.is_none() {
                    self.net.forward(&x)[0]
                } else {
                    let fitted = self.fitted().ok_or("the model is not fitted yet: train it first")?;
                    let row = ArrayView2::from_shape((1, x.len()), &x).map_err(|e| e.to_string())?;
                    fitted.predict(row)[0]
                };
                if kind == crate::models::Kind::Clustering {
                    out.class = (v >= 0.0).then_some(v as usize);
                } else {
                    out.value = Some(self.in_target_units(v));
                }
            }
        }
        Ok(out)
    }

    /// The model's predictions for the training part or the test part, in the order of
    /// `train_rows`/`test_rows`: a class index, a cluster, or a value in the target's own units
    /// (a table's standardised regression target is scaled back); with class probabilities
    /// where the model has them.
    pub fn predict_part(&mut self, test: bool) -> (Vec<f64>, Option<Array2<f64>>) {
        let x = if test { self.x_test() } else { self.x_train() }.to_owned();
        if x.nrows() == 0 {
            return (Vec::new(), None);
        }
        let (mut predicted, proba) = if self.model.is_none() {
            let out = self.net.outputs(x.view());
            match self.task {
                Task::Classification { .. } => (crate::models::argmax_rows(&out), Some(out)),
                Task::Regression => (out.column(0).to_vec(), None),
            }
        } else {
            match self.fitted() {
                Some(f) => (f.predict(x.view()), f.predict_proba(x.view())),
                None => (vec![f64::NAN; x.nrows()], None),
            }
        };
        if self.experiment.kind() == crate::models::Kind::Regression {
            predicted.iter_mut().for_each(|v| *v = self.in_target_units(*v));
        }
        (predicted, proba)
    }

    /// The targets of the test part (`test`) or the training part, in the units
    /// `predict_part` predicts in.
    pub fn truth_part(&self, test: bool) -> Vec<f64> {
        let y = if test { &self.y_test } else { &self.y_train };
        if self.experiment.kind() == crate::models::Kind::Regression {
            y.iter().map(|&v| self.in_target_units(v)).collect()
        } else {
            y.clone()
        }
    }

    /// One iteration of the classical model, then its scores on both parts.
    fn step_model(&mut self) -> bool {
        self.step_model_by(1)
    }

    /// Fits a classical model to the end in one go (no record per iteration: what a
    /// cross-validation fold wants). Returns false for the network or a finished model.
    pub fn fit_to_end(&mut self) -> bool {
        self.model.is_some() && self.step_model_by(usize::MAX)
    }

    fn step_model_by(&mut self, n: usize) -> bool {
        if !self.can_train() {
            return false;
        }
        let Some(mut trainer) = self.model.take() else { return false };
        let data = Data { x: self.x_train(), y: &self.y_train, task: self.task };
        let stepped = trainer.step(&data, n);
        let ((done, total), converged) = (trainer.progress(), trainer.converged_at());
        let by_gradient = trainer.converged_by_gradient();
        self.model = Some(trainer);
        if let Err(e) = stepped {
            self.status = Status::Failed(format!("{} cannot be fitted: {e}.", self.experiment.model.info(false).name));
            return false;
        }
        self.epoch = converged.unwrap_or(done) as u32;
        let record = self.model_record();
        self.history.push(record);
        if done >= total {
            self.set_note(match converged {
                Some(at) => StatusNote::Converged { at, gradient: by_gradient },
                None => StatusNote::AllDone(total),
            });
        }
        true
    }

    /// Scores of the fitted classical model: log-loss and accuracy (classifiers), mean squared
    /// error (regressors), mean squared distance to the centre (k-means); NaN where a loss has
    /// no meaning for the model.
    fn model_record(&self) -> EpochRecord {
        let Some(fitted) = self.fitted() else {
            return EpochRecord {
                epoch: self.epoch,
                train_loss: f64::NAN,
                test_loss: f64::NAN,
                train_accuracy: None,
                test_accuracy: None,
            };
        };
        let part = |x: ArrayView2<f64>, y: &[f64]| -> (f64, Option<f64>) {
            if y.is_empty() {
                return (f64::NAN, None);
            }
            let classify = matches!(self.experiment.kind(), crate::models::Kind::Classification);
            match fitted {
                Fitted::KMeans(m) => {
                    let labels = fitted.predict(x);
                    let d: f64 = x
                        .rows()
                        .into_iter()
                        .zip(&labels)
                        .map(|(r, &c)| {
                            r.iter().zip(m.centroids.row(c as usize)).map(|(a, b)| (a - b) * (a - b)).sum::<f64>()
                        })
                        .sum();
                    (d / y.len() as f64, None)
                }
                Fitted::Dbscan(_) | Fitted::Gmm(_) | Fitted::Pca(_) => (f64::NAN, None),
                _ if classify => {
                    let predicted = fitted.predict(x);
                    let loss = fitted.predict_proba(x).map_or(f64::NAN, |p| log_loss(&p, y));
                    (loss, Some(crate::models::accuracy(&predicted, y)))
                }
                _ => (crate::models::mse(&fitted.predict(x), y), None),
            }
        };
        let (train_loss, train_accuracy) = part(self.x_train(), &self.y_train);
        let (test_loss, test_accuracy) = part(self.x_test(), &self.y_test);
        EpochRecord { epoch: self.epoch, train_loss, test_loss, train_accuracy, test_accuracy }
    }

    /// Chooses whether every epoch is evaluated (the default) or only those `record` is
    /// called at. Either way a recorded epoch's losses are exact and the same.
    pub fn set_record_every_epoch(&mut self, every: bool) {
        self.record_every_epoch = every;
    }

    /// Evaluates the current epoch if it is not in the history yet (this also checks for
    /// divergence). Does nothing between epoch boundaries: losses are only ever recorded for
    /// the weights exactly at the end of an epoch.
    pub fn record(&mut self) {
        self.begin_record();
        self.advance_record(usize::MAX);
    }

    /// Starts evaluating the current epoch (if at a boundary and not recorded yet), to be
    /// finished by `advance_record` in as many pieces as the caller likes.
    pub fn begin_record(&mut self) {
        if self.model.is_some() {
            return; // classical models are scored as each iteration ends
        }
        let recorded = self.history.last().map(|r| r.epoch) == Some(self.epoch);
        if self.cursor == 0 && !recorded && self.pending.is_none() {
            self.pending = Some(PendingEval::default());
        }
    }

    /// Evaluates up to `max_rows` more rows of a pending evaluation; when it completes, the
    /// epoch's record is stored and the status updated. The sums run over rows in order, so
    /// the result has the same bits however it was split. Returns true when none is pending.
    pub fn advance_record(&mut self, max_rows: usize) -> bool {
        let Some(mut p) = self.pending.take() else { return true };
        let (n_train, n_test) = (self.y_train.len(), self.y_test.len());
        let mut budget = max_rows;
        if p.done < n_train && budget > 0 {
            let end = n_train.min(p.done.saturating_add(budget));
            self.net.evaluate_into(&self.x_train, &self.y_train, p.done..end, &mut p.train);
            budget -= end - p.done;
            p.done = end;
        }
        if p.done >= n_train && p.done < n_train + n_test && budget > 0 {
            let (start, end) = (p.done - n_train, n_test.min((p.done - n_train).saturating_add(budget)));
            self.net.evaluate_into(&self.x_test, &self.y_test, start..end, &mut p.test);
            p.done = n_train + end;
        }
        if p.done < n_train + n_test {
            self.pending = Some(p);
            return false;
        }
        let classification = matches!(self.task, Task::Classification { .. });
        let (train_loss, train_accuracy) = p.train.mean(n_train, classification);
        let (test_loss, test_accuracy) = p.test.mean(n_test, classification);
        self.finish_record(EpochRecord { epoch: self.epoch, train_loss, test_loss, train_accuracy, test_accuracy });
        true
    }

    /// True while an evaluation is under way.
    pub fn recording(&self) -> bool {
        self.pending.is_some()
    }

    /// True between epochs (no partial epoch in progress).
    pub fn at_epoch_boundary(&self) -> bool {
        self.cursor == 0
    }

    /// Trains whole epochs (stops early if the status leaves Ready). Returns epochs done.
    pub fn train_epochs(&mut self, epochs: u32) -> u32 {
        let mut done = 0;
        while done < epochs && self.can_train() {
            if self.step_batch() {
                done += 1;
            }
        }
        done
    }

    /// True at the epoch the experiment asks to stop after.
    fn stop_reached(&self) -> bool {
        self.experiment.stop_after > 0 && self.epoch == self.experiment.stop_after
    }

    /// Stores an epoch's record and updates the status: divergence, or the requested stop.
    fn finish_record(&mut self, record: EpochRecord) {
        let train_loss = record.train_loss;
        if self.history.len() >= MAX_HISTORY {
            // A tab left training for hours keeps a bounded history: every other record goes
            // (the first stays, the new one follows), so the chart still spans the whole run.
            // Thinned before the push, so the vector never grows past its cap.
            let mut i = 0;
            self.history.retain(|_| {
                i += 1;
                (i - 1) % 2 == 0
            });
        }
        self.history.push(record);
        let finite = train_loss.is_finite() && self.net.theta().iter().all(|w| w.is_finite());
        if !finite {
            let e = &self.experiment;
            let note = StatusNote::Diverged {
                epoch: self.epoch,
                nan: train_loss.is_nan(),
                learning_rate: e.learning_rate,
                reg_rate: (e.reg_rate > 1.0).then_some(e.reg_rate),
                suggest_tanh: e.activation == crate::models::mlp::Activation::Relu
                    || e.activation == crate::models::mlp::Activation::Linear,
            };
            self.set_note(note);
        } else if self.stop_reached() {
            self.set_note(StatusNote::Stopped(self.epoch));
        }
    }

    /// Changes settings that do not affect training: what the views show and where to stop.
    pub fn set_view_settings(&mut self, show_test: bool, discretize: bool, stop_after: u32) {
        self.experiment.show_test = show_test;
        self.experiment.discretize = discretize;
        self.experiment.stop_after = stop_after;
        if let Status::Stopped(_) = self.status {
            if stop_after == 0 || self.epoch < stop_after {
                self.status = Status::Ready;
            }
        }
    }

    /// Changes what the evaluation panel runs (cross-validation folds, the search), which
    /// leaves the session's own split and training alone.
    pub fn set_evaluation(&mut self, folds: u32, search: Option<super::search::SearchSpec>) {
        self.experiment.folds = folds;
        self.experiment.search = search;
    }

    /// Lets training go on past a reached "stop after" (the Play button after a stop).
    pub fn resume(&mut self) {
        if let Status::Stopped(_) = self.status {
            self.status = Status::Ready;
        }
    }

    /// The network's output over a res × res grid on the domain, plus each hidden neuron's.
    /// Row 0 is the top of the view (x2 = +6). For a classical model: its prediction (class
    /// and confidence, value, cluster or first component) over the grid, and no neurons.
    pub fn fields(&mut self, res: usize) -> Fields {
        if self.model.is_some() {
            return Fields { output: self.model_field(res), neurons: Vec::new() };
        }
        let sizes = self.net.sizes().to_vec();
        let hidden_layers = sizes.len() - 2;
        let units = sizes[sizes.len() - 1];
        let task = self.task;
        let mut output = Field::new(res, task);
        let mut neurons: Vec<Vec<Field>> =
            (1..=hidden_layers).map(|l| (0..sizes[l]).map(|_| Field::new(res, Task::Regression)).collect()).collect();
        let f = self.inputs.count();
        let cells = res * res;
        let mut xs = vec![0.0; CHUNK_ROWS * f];
        let mut first = 0;
        while first < cells {
            let rows = (cells - first).min(CHUNK_ROWS);
            for k in 0..rows {
                let cell = first + k;
                self.inputs.at(grid_point(res, cell / res, cell % res), &mut xs[k * f..(k + 1) * f]);
            }
            self.net.forward_rows(&xs[..rows * f]);
            let out = self.net.layer_outputs(sizes.len() - 1, rows);
            for (k, o) in out.chunks_exact(units).enumerate() {
                let cell = first + k;
                match task {
                    Task::Classification { .. } => {
                        let best = argmax(o);
                        let chance = 1.0 / units as f64;
                        output.class[cell] = best as u8;
                        output.value[cell] = ((o[best] - chance) / (1.0 - chance)) as f32;
                    }
                    Task::Regression => output.value[cell] = o[0] as f32,
                }
            }
            for (l, layer) in neurons.iter_mut().enumerate() {
                let n = sizes[l + 1];
                let acts = self.net.layer_outputs(l + 1, rows);
                for (k, row) in acts.chunks_exact(n).enumerate() {
                    for (fld, &a) in layer.iter_mut().zip(row) {
                        fld.value[first + k] = a as f32;
                    }
                }
            }
            first += rows;
        }
        Fields { output, neurons }
    }

    /// What the grid view shows for the classical model (an empty field before the first step).
    fn model_field(&self, res: usize) -> Field {
        let task = self.view_task();
        let mut field = Field::new(res, task);
        let Some(fitted) = self.fitted() else { return field };
        let f = self.inputs.count();
        let mut xs = vec![0.0; res * res * f];
        for cell in 0..res * res {
            self.inputs.at(grid_point(res, cell / res, cell % res), &mut xs[cell * f..(cell + 1) * f]);
        }
        let grid = ArrayView2::from_shape((res * res, f), &xs).expect("cells × features");
        // Probabilities only where they colour the view; one pass gives both where it can.
        let (predicted, proba) = match task {
            Task::Classification { .. } => fitted.predict_with_proba(grid),
            Task::Regression => (fitted.predict(grid), None),
        };
        match task {
            Task::Classification { classes } => {
                let chance = 1.0 / classes.max(2) as f64;
                for (cell, &p) in predicted.iter().enumerate() {
                    if p < 0.0 {
                        // DBSCAN noise: no cluster claims this point.
                        field.class[cell] = 0;
                        field.value[cell] = 0.0;
                        continue;
                    }
                    let c = p as usize;
                    field.class[cell] = (c % 255) as u8;
                    field.value[cell] = match &proba {
                        Some(pr) if c < pr.ncols() => {
                            ((pr[[cell, c]] - chance) / (1.0 - chance)).clamp(0.0, 1.0) as f32
                        }
                        _ => 1.0,
                    };
                }
            }
            Task::Regression => {
                for (v, p) in field.value.iter_mut().zip(&predicted) {
                    *v = *p as f32;
                }
            }
        }
        field
    }

    /// The task the views draw: clusterers colour by cluster (as classes), PCA draws its first
    /// component as a signed value.
    pub fn view_task(&self) -> Task {
        match (self.experiment.kind(), self.fitted()) {
            (crate::models::Kind::Clustering, Some(Fitted::KMeans(m))) => {
                Task::Classification { classes: m.centroids.nrows() }
            }
            (crate::models::Kind::Clustering, Some(Fitted::Gmm(m))) => {
                Task::Classification { classes: m.means.nrows() }
            }
            (crate::models::Kind::Clustering, Some(Fitted::Dbscan(m))) => {
                Task::Classification { classes: m.clusters.max(1) }
            }
            (crate::models::Kind::Clustering, _) => Task::Classification { classes: 2 },
            (crate::models::Kind::Reduction, _) => Task::Regression,
            _ => self.task,
        }
    }

    /// Whether the inputs are two label-encoded text columns, as a recommender reads them
    /// (a user and an item per row).
    pub fn reads_as_ratings(&self) -> bool {
        self.inputs.table().is_some_and(|t| {
            let c = &t.preprocess.columns;
            c.len() == 2 && c.iter().all(|c| c.levels.is_some() && !c.one_hot)
        })
    }

    /// The recommender's user × item table: predicted ratings and the rated cells of both
    /// parts, in stars. None unless the fitted model is the recommender reading two
    /// label-encoded text columns.
    pub fn rating_matrix(&self) -> Option<crate::models::als::RatingMatrix> {
        use crate::models::als::Coding;
        let Some(Fitted::Als(model)) = self.fitted() else { return None };
        let t = self.inputs.table()?;
        let p = &t.preprocess;
        let levels = |j: usize| p.columns.get(j).filter(|c| !c.one_hot).and_then(|c| c.levels.as_deref());
        if p.columns.len() != 2 || p.means.len() != 2 {
            return None;
        }
        let names = [levels(0)?, levels(1)?];
        let codes = [0, 1].map(|j| Coding { mean: p.means[j], scale: p.scales[j] });
        let unscale = |v: f64| v * p.target_scale + p.target_mean;
        let (xtr, xte) = (self.x_train(), self.x_test());
        let rows = xtr
            .rows()
            .into_iter()
            .zip(self.y_train().iter().map(|&y| (y, false)))
            .chain(xte.rows().into_iter().zip(self.y_test().iter().map(|&y| (y, true))))
            .map(|(x, (y, test))| (x, y, test));
        Some(model.rating_matrix(names, codes, unscale, rows))
    }

    /// Labels the data view colours points by: the true targets, or for a clusterer the
    /// cluster each point was put in (−1: noise).
    pub fn point_labels(&self) -> Option<Vec<f64>> {
        if self.experiment.kind() != crate::models::Kind::Clustering {
            return None;
        }
        let fitted = self.fitted()?;
        let mut labels = vec![-1.0; self.dataset.len()];
        // DBSCAN labelled its training rows itself; the nearest-member rule is for new points.
        let train = match fitted {
            Fitted::Dbscan(m) => m.labels.clone(),
            _ => fitted.predict(self.x_train()),
        };
        for (&row, l) in self.train_rows.iter().zip(train) {
            labels[row] = l;
        }
        for (&row, l) in self.test_rows.iter().zip(fitted.predict(self.x_test())) {
            labels[row] = l;
        }
        Some(labels)
    }

    /// An input's value over a res × res grid of the view: a feature of the plane (by link
    /// key, whether on or not), or a table input (by name).
    pub fn input_field(&self, res: usize, key: &str) -> Option<Field> {
        let mut f = Field::new(res, Task::Regression);
        match &self.inputs {
            Inputs::Plane(_) => {
                let feature = Feature::from_key(key)?;
                for row in 0..res {
                    for col in 0..res {
                        f.value[row * res + col] = feature.value(grid_point(res, row, col)) as f32;
                    }
                }
            }
            Inputs::Table(t) => {
                let j = t.names.iter().position(|n| n == key)?;
                let mut x = vec![0.0; t.names.len()];
                for row in 0..res {
                    for col in 0..res {
                        t.view.input(grid_point(res, row, col), &mut x);
                        f.value[row * res + col] = x[j] as f32;
                    }
                }
            }
        }
        Some(f)
    }
}

/// The output field and every hidden neuron's field ([layer][neuron]).
#[derive(Debug, Clone)]
pub struct Fields {
    pub output: Field,
    pub neurons: Vec<Vec<Field>>,
}

/// Centre of grid cell (row, col) in data coordinates.
fn grid_point(res: usize, row: usize, col: usize) -> [f64; 2] {
    let step = 2.0 * DOMAIN / res as f64;
    [-DOMAIN + (col as f64 + 0.5) * step, DOMAIN - (row as f64 + 0.5) * step]
}

/// Mean cross-entropy of predicted class probabilities (clamped away from 0, as
/// scikit-learn's log_loss does).
pub fn log_loss(proba: &Array2<f64>, y: &[f64]) -> f64 {
    let total: f64 = y
        .iter()
        .enumerate()
        .map(|(i, &t)| {
            let p = proba.get([i, t as usize]).copied().unwrap_or(0.0).clamp(1e-15, 1.0);
            -libm::log(p)
        })
        .sum();
    total / y.len().max(1) as f64
}

/// Row-major input matrix and targets for the given rows.
fn design(d: &Dataset, inputs: &Inputs, rows: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let f = inputs.count();
    let mut x = vec![0.0; rows.len() * f];
    let mut y = Vec::with_capacity(rows.len());
    for (i, &r) in rows.iter().enumerate() {
        let out = &mut x[i * f..(i + 1) * f];
        match inputs {
            Inputs::Plane(features) => crate::data::featurize(features, d.points[r], out),
            Inputs::Table(t) => out.copy_from_slice(&t.x[r * f..(r + 1) * f]),
        }
        y.push(d.targets[r]);
    }
    (x, y)
}

impl Task {
    pub fn classes(self) -> usize {
        match self {
            Task::Classification { classes } => classes,
            Task::Regression => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Generator;
    use crate::models::mlp::Optimizer;

    #[test]
    fn default_experiment_learns_the_circle() {
        let mut s = Session::new(Experiment::default()).expect("valid");
        assert_eq!(s.train_rows().len() + s.test_rows().len(), 500);
        assert_eq!(s.train_rows().len(), 250);
        let first = s.history()[0];
        s.train_epochs(300);
        let last = *s.history().last().expect("history");
        assert_eq!(last.epoch, 300);
        assert!(last.train_loss < first.train_loss * 0.3, "{first:?} -> {last:?}");
        assert!(last.test_accuracy.expect("classification") > 0.9, "{last:?}");
    }

    #[test]
    fn a_long_run_keeps_a_bounded_history_from_start_to_end() {
        let exp =
            Experiment { data: Generator::Xor, samples: 20, batch_size: 10, hidden: vec![2], ..Experiment::default() };
        let mut s = Session::new(exp).expect("valid");
        s.train_epochs(3 * MAX_HISTORY as u32);
        let h = s.history();
        assert!(h.len() <= MAX_HISTORY, "{}", h.len());
        assert_eq!(h[0].epoch, 0);
        assert_eq!(h.last().map(|r| r.epoch), Some(3 * MAX_HISTORY as u32));
        assert!(h.windows(2).all(|w| w[0].epoch < w[1].epoch));
    }

    #[test]
    fn same_experiment_same_losses_however_sliced() {
        let exp = Experiment { data: Generator::Spiral, hidden: vec![8, 8], ..Experiment::default() };
        let mut a = Session::new(exp.clone()).expect("valid");
        a.train_epochs(5);
        let mut b = Session::new(exp).expect("valid");
        let mut epochs = 0;
        while epochs < 5 {
            if b.step_batch() {
                epochs += 1;
            }
        }
        assert_eq!(a.history(), b.history());
    }

    #[test]
    fn sparse_recording_gives_the_same_losses_at_recorded_epochs() {
        let exp = Experiment { data: Generator::Xor, hidden: vec![5], ..Experiment::default() };
        let mut every = Session::new(exp.clone()).expect("valid");
        every.train_epochs(12);
        let mut sparse = Session::new(exp).expect("valid");
        sparse.set_record_every_epoch(false);
        sparse.train_epochs(5);
        sparse.record();
        sparse.step_batch();
        // Mid-epoch: nothing is recorded, since the weights are not those of any epoch's end.
        sparse.record();
        assert!(!sparse.at_epoch_boundary());
        sparse.train_epochs(7);
        sparse.record();
        let epochs: Vec<u32> = sparse.history().iter().map(|r| r.epoch).collect();
        assert_eq!(epochs, vec![0, 5, 12]);
        for r in sparse.history() {
            assert_eq!(r, &every.history()[r.epoch as usize]);
        }
    }

    #[test]
    fn an_evaluation_split_into_pieces_gives_the_same_record() {
        let exp = Experiment { data: Generator::Moons, samples: 777, ..Experiment::default() };
        let mut whole = Session::new(exp.clone()).expect("valid");
        whole.train_epochs(3);
        let mut pieces = Session::new(exp).expect("valid");
        pieces.set_record_every_epoch(false);
        pieces.train_epochs(3);
        pieces.begin_record();
        let mut calls = 0;
        while !pieces.advance_record(100) {
            calls += 1;
            assert!(pieces.recording());
        }
        // 777 rows in pieces of 100: 7 calls leave rows pending, the 8th completes.
        assert_eq!(calls, 7);
        assert_eq!(pieces.history().last(), whole.history().last());
        // An evaluation stopped inside the test rows, then finished in one go (budget usize::MAX,
        // as `record` and the Step button do), gives the same record too.
        let mut partial =
            Session::new(Experiment { data: Generator::Moons, samples: 777, ..Experiment::default() }).expect("valid");
        partial.set_record_every_epoch(false);
        partial.train_epochs(3);
        partial.begin_record();
        partial.advance_record(400); // the 389 training rows and 11 test rows
        assert!(partial.recording());
        partial.record();
        assert_eq!(partial.history().last(), whole.history().last());
        // A pending evaluation is finished before the weights change again.
        whole.train_epochs(1);
        pieces.train_epochs(1);
        pieces.begin_record();
        pieces.advance_record(10);
        pieces.step_batch();
        assert!(!pieces.recording());
        assert_eq!(pieces.history().last(), whole.history().last());
        assert_eq!(pieces.history().last().map(|r| r.epoch), Some(4));
    }

    #[test]
    fn four_blob_classes_train_with_softmax() {
        let exp = Experiment { data: Generator::Blobs, classes: 4, noise: 10, ..Experiment::default() };
        let mut s = Session::new(exp).expect("valid");
        assert_eq!(s.net().sizes().last(), Some(&4));
        s.train_epochs(60);
        let last = s.history().last().expect("history");
        assert!(last.test_accuracy.expect("classification") > 0.9, "{last:?}");
    }

    #[test]
    fn regression_uses_mse_and_learns_the_plane() {
        let exp = Experiment { data: Generator::Plane, ..Experiment::default() };
        let mut s = Session::new(exp).expect("valid");
        assert_eq!(s.net().sizes().last(), Some(&1));
        let first = s.history()[0].train_loss;
        s.train_epochs(100);
        let last = s.history().last().expect("history");
        assert!(last.train_accuracy.is_none());
        assert!(last.train_loss < first * 0.1 && last.train_loss < 0.01, "{first} -> {last:?}");
    }

    #[test]
    fn divergence_pauses_with_advice() {
        let exp = Experiment {
            data: Generator::Plane,
            activation: crate::models::mlp::Activation::Relu,
            learning_rate: 10.0,
            optimizer: Optimizer::Momentum,
            ..Experiment::default()
        };
        let mut s = Session::new(exp).expect("valid");
        s.train_epochs(50);
        match s.status() {
            Status::Diverged(msg) => assert!(msg.contains("learning rate"), "{msg}"),
            other => panic!("expected divergence, got {other:?}"),
        }
        let (en, id) = (s.status_message(Lang::En).expect("a message"), s.status_message(Lang::Id).expect("a message"));
        assert!(en.starts_with("Training paused at epoch ") && en.contains("or try tanh"), "{en}");
        assert!(
            id.starts_with("Pelatihan dijeda pada epoch ") && id.contains("laju pembelajaran (sekarang 10)"),
            "{id}"
        );
        let epoch = s.epoch();
        assert!(!s.step_batch());
        assert_eq!(s.epoch(), epoch);
    }

    #[test]
    fn stop_after_pauses_and_resume_continues() {
        let exp = Experiment { stop_after: 3, ..Experiment::default() };
        let mut s = Session::new(exp).expect("valid");
        assert_eq!(s.train_epochs(10), 3);
        assert!(matches!(s.status(), Status::Stopped(_)));
        s.resume();
        assert_eq!(s.train_epochs(2), 2);
        assert_eq!(s.epoch(), 5);
    }

    #[test]
    fn fields_cover_output_and_every_hidden_neuron() {
        let mut s = Session::new(Experiment { hidden: vec![3, 2], ..Experiment::default() }).expect("valid");
        let f = s.fields(20);
        assert_eq!(f.output.value.len(), 400);
        assert_eq!(f.neurons.len(), 2);
        assert_eq!(f.neurons[0].len(), 3);
        assert_eq!(f.neurons[1].len(), 2);
        assert!(f.output.value.iter().all(|v| (0.0..=1.0).contains(v)));
        assert!(f.neurons[0][0].value.iter().all(|v| (-1.0..=1.0).contains(v)));
    }

    fn on_table(link: &str) -> Session {
        let d = crate::share::decode(link);
        Session::new(d.experiment).expect("valid")
    }

    #[test]
    fn iris_learns_with_the_network_and_penguins_with_a_tree() {
        let mut s = on_table("v=1&data=iris&hidden=8&lr=0.1&train=70");
        assert_eq!((s.task(), s.inputs().count()), (Task::Classification { classes: 3 }, 4));
        s.train_epochs(100);
        let last = s.history().last().expect("history");
        assert!(last.test_accuracy.expect("accuracy") > 0.9, "{last:?}");
        // Penguins: text inputs one-hot encoded, missing values imputed, a tree fits well.
        let mut s = on_table("v=1&data=penguins&model=tree&train=70");
        assert!(s.inputs().labels().iter().any(|l| l.0 == "island = Biscoe"));
        s.train_epochs(1);
        let last = s.history().last().expect("history");
        assert!(last.test_accuracy.expect("accuracy") > 0.9, "{last:?}");
        let f = s.fields(10);
        assert_eq!(f.output.value.len(), 100);
    }

    #[test]
    fn diabetes_regression_on_standardised_targets_and_bad_targets_fail_clearly() {
        let mut s = on_table("v=1&data=diabetes&model=linear&train=70");
        assert_eq!(s.task(), Task::Regression);
        s.train_epochs(1);
        let r2 = crate::models::r2(&s.fitted().expect("fitted").predict(s.x_test()), s.y_test());
        assert!(r2 > 0.3, "{r2}");
        let d = crate::share::decode("v=1&data=linnerud&target=Waist&framing=classification&exclude=Weight,Pulse");
        // 20 men, waist sizes: few distinct whole numbers, so classes are allowed.
        assert!(Session::new(d.experiment).is_ok());
        let mut e = crate::share::decode("v=1&data=penguins").experiment;
        e.table.as_mut().expect("table").exclude =
            ["island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g", "sex", "year"]
                .map(String::from)
                .to_vec();
        let err = Session::new(e).expect_err("no inputs");
        assert!(err.message.contains("No column is left"), "{err:?}");
    }

    #[test]
    fn the_recommender_fills_the_user_by_film_table_in_stars() {
        let mut s = on_table("v=1&data=ratings&train=80&model=als&factors=3&lambda=0.1&iters=20");
        assert!(s.rating_matrix().is_none(), "nothing before the fit");
        assert!(s.fit_to_end());
        let m = s.rating_matrix().expect("a recommender on two label-encoded columns");
        let films = crate::recommend::films(1);
        assert_eq!((m.users.len(), m.items.len()), (films.users, films.items));
        assert_eq!(m.rated.len(), films.entries.len(), "every rating is a cell of one part");
        assert_eq!(m.rated.iter().filter(|r| r.3).count(), s.test_rows().len());
        // The cells hold the ratings of the table, in stars, and names line up with them.
        for &(u, i, r, _) in &m.rated {
            let (fu, fi) = (
                films.user_names.iter().position(|n| *n == m.users[u]).expect("user"),
                films.item_names.iter().position(|n| *n == m.items[i]).expect("film"),
            );
            let original = films.entries.iter().find(|e| (e.0, e.1) == (fu, fi)).expect("rated in the table");
            assert!((original.2 - r).abs() < 1e-9, "{} on {}: {r} vs {}", m.users[u], m.items[i], original.2);
        }
        // Predictions are stars within the training range, and follow the training ratings.
        assert!(m.predicted.iter().flatten().all(|&p| (1.0..=5.0).contains(&p)));
        let train: Vec<_> = m.rated.iter().filter(|r| !r.3).collect();
        let rmse = (train.iter().map(|&&(u, i, r, _)| (m.predicted[u][i] - r).powi(2)).sum::<f64>()
            / train.len() as f64)
            .sqrt();
        assert!(rmse < 0.5, "training RMSE in the table {rmse}");
    }
}
