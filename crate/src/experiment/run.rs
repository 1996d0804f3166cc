//! The run loop: builds the data and the network of an experiment and trains it one
//! mini-batch at a time, so a caller can train within a time budget and stop anywhere.
//! Epoch boundaries are the same however the work is sliced, so a link reproduces the same
//! losses after N epochs whether it ran in 1-ms slices in a browser or in one go natively.

mod predict;
mod prepare;
mod status;
mod view;

pub use predict::RawPrediction;
use prepare::design;
pub use prepare::SessionData;
pub use status::Status;
use status::StatusNote;

use super::inputs::Inputs;
use super::Experiment;
use crate::data::table::Table;
use crate::data::{Dataset, Task};
use crate::lang::Lang;
pub use crate::models::learner::{EpochRecord, Fields, Trained, MAX_REPLAY_ROWS};
use crate::models::learner::{Learner, Parts, Restored, Stepped};
use crate::models::mlp::{EvalSum, Mlp};
use crate::models::{Fitted, ParamError, Trainer};
use ndarray::ArrayView2;

/// Most loss records a session keeps (160 KB); at it, every other one is dropped.
pub const MAX_HISTORY: usize = 4_096;

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
    /// What is trained: the network or a classical model, behind one interface.
    learner: Box<dyn Learner>,
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
        let learner = experiment.learner(inputs.count(), task, train_rows.len())?;
        let (x_train, y_train) = design(&dataset, &inputs, &train_rows);
        let (x_test, y_test) = design(&dataset, &inputs, &test_rows);
        let mut s = Session {
            learner,
            experiment,
            dataset,
            train_rows,
            test_rows,
            x_train,
            y_train,
            x_test,
            y_test,
            epoch: 0,
            history: Vec::new(),
            status: Status::Ready,
            note: None,
            record_every_epoch: true,
            pending: None,
            task,
            inputs,
            notices,
        };
        if let Some(why) = s.too_little_data() {
            s.status = Status::Failed(why);
            return Ok(s);
        }
        s.record();
        Ok(s)
    }

    pub fn experiment(&self) -> &Experiment {
        &self.experiment
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
    /// The network, when the experiment trains one.
    pub fn net(&self) -> Option<&Mlp> {
        self.learner.network()
    }
    /// The settings of the network the page's network view shows: the one training, or for a
    /// classical model the one the experiment's network settings describe (the view still
    /// lists the model's inputs). Checked when the session was made.
    fn shown_network_params(&self) -> Option<crate::models::mlp::CheckedMlpParams> {
        self.experiment.mlp_params_for(self.inputs.count(), self.task).check().ok()
    }
    /// The network the page's network view shows (see `shown_network_params`).
    pub fn shown_network(&self) -> Option<std::borrow::Cow<'_, Mlp>> {
        match self.net() {
            Some(net) => Some(std::borrow::Cow::Borrowed(net)),
            None => self.shown_network_params().map(|p| std::borrow::Cow::Owned(Mlp::new(p))),
        }
    }
    /// Weights and biases of the network the view shows, without building it.
    pub fn shown_parameter_count(&self) -> usize {
        match self.net() {
            Some(net) => net.parameter_count(),
            None => self.shown_network_params().map_or(0, |p| p.parameter_count()),
        }
    }
    /// Completed epochs.
    pub fn epoch(&self) -> u32 {
        self.epoch
    }
    /// How far training has come: the network's epochs, or the classical model's iterations
    /// (what a trained state names).
    pub fn trained_to(&self) -> u32 {
        self.learner.trained_to(self.epoch)
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
        while !self.at_epoch_boundary() && self.can_train() {
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
        let rows = self.train_rows.len();
        rows.div_ceil(self.experiment.batch_size.min(rows).max(1))
    }

    /// Trains one mini-batch (for a classical model: one iteration, which counts as an
    /// epoch). Returns true when it completed an epoch.
    pub fn step_batch(&mut self) -> bool {
        self.step_by(1)
    }

    /// Fits a classical model to the end in one go (no record per iteration: what a
    /// cross-validation fold wants). Returns false for the network or a finished model.
    pub fn fit_to_end(&mut self) -> bool {
        self.learner.fits_in_one_go() && self.step_by(usize::MAX)
    }

    /// One step of the learner (`iterations` at most, where it steps iterations), then what
    /// ends an epoch: its record and the status.
    fn step_by(&mut self, iterations: usize) -> bool {
        // Weights must not change under an evaluation: finish it first.
        if self.pending.is_some() {
            self.advance_record(usize::MAX);
        }
        if !self.can_train() {
            return false;
        }
        let parts = Parts {
            x_train: &self.x_train,
            y_train: &self.y_train,
            x_test: &self.x_test,
            y_test: &self.y_test,
            cols: self.inputs.count(),
            task: self.task,
        };
        match self.learner.step(&parts, iterations) {
            Err(e) => {
                self.status =
                    Status::Failed(format!("{} cannot be fitted: {e}.", self.experiment.model.info(false).name));
                false
            }
            Ok(Stepped::Batch) => false,
            Ok(Stepped::Epoch) => {
                self.epoch += 1;
                if self.record_every_epoch {
                    self.record();
                } else if self.stop_reached() {
                    // The page's slices evaluate in pieces; the stop epoch must be recorded too.
                    self.begin_record();
                }
                true
            }
            Ok(Stepped::Scored { epoch, record, finished }) => {
                self.epoch = epoch;
                self.history.push(record);
                if let Some(finished) = finished {
                    self.set_note(StatusNote::Fitted(finished));
                }
                true
            }
        }
    }

    /// Changes whenever the model does (a training step), so views can cache what they
    /// computed from it.
    pub fn model_version(&self) -> u64 {
        self.learner.version()
    }

    /// The classical model, if the experiment uses one.
    pub fn trainer(&self) -> Option<&Trainer> {
        // The playground build trains only the network: saying so where the compiler sees it
        // drops every classical model's summary, views and file code from that build.
        if cfg!(not(feature = "full")) {
            return None;
        }
        self.learner.trainer()
    }

    /// The fitted classical model so far.
    pub fn fitted(&self) -> Option<&Fitted> {
        self.trainer().and_then(Trainer::fitted)
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
        self.learner.trained(self.epoch, with_optimizer)
    }

    /// Brings a fresh session to a trained state. The network takes the weights as given
    /// (checked against its shape) and replays the shuffles of the epochs before, so training
    /// goes on as it would have; without weights it replays the training itself (the same
    /// bits, as every run is seeded). A classical model is refitted to the same iteration and
    /// compared with the given one. Returns notices; an unusable state is an error and leaves
    /// the session as it was.
    pub fn restore(&mut self, t: &Trained) -> Result<Vec<String>, String> {
        let rows = self.train_rows.len().max(1) as u64;
        if let Restored::Weights(notices) = self.learner.restore(t, rows)? {
            (self.epoch, self.pending) = (t.epoch, None);
            self.history.clear();
            self.status = Status::Ready;
            self.record();
            return Ok(notices);
        }
        // Replayed without a record per epoch, then recorded once, where it ended.
        let every = self.record_every_epoch;
        self.record_every_epoch = false;
        while self.trained_to() < t.epoch && self.can_train() {
            self.step_batch();
        }
        self.record_every_epoch = every;
        self.record();
        let mut notices = Vec::new();
        if let (Some(given), Some(refit)) = (&t.model, self.fitted()) {
            let same = serde_json::to_value(given).ok() == serde_json::to_value(refit).ok();
            if !same {
                notices.push("The model given differs from what this experiment fits (it was edited, or made by another version); the refitted model is shown.".into());
            }
        }
        Ok(notices)
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
        if !self.learner.evaluates_epochs() {
            return; // classical models are scored as each iteration ends
        }
        let recorded = self.history.last().map(|r| r.epoch) == Some(self.epoch);
        if self.at_epoch_boundary() && !recorded && self.pending.is_none() {
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
            self.learner.evaluate_rows(&self.x_train, &self.y_train, p.done..end, &mut p.train);
            budget -= end - p.done;
            p.done = end;
        }
        if p.done >= n_train && p.done < n_train + n_test && budget > 0 {
            let (start, end) = (p.done - n_train, n_test.min((p.done - n_train).saturating_add(budget)));
            self.learner.evaluate_rows(&self.x_test, &self.y_test, start..end, &mut p.test);
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
        self.learner.at_epoch_boundary()
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
        let finite = train_loss.is_finite() && self.learner.finite();
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
}

#[cfg(test)]
mod tests;
