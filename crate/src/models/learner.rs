//! One interface for what a session trains, whatever the family: `Learner`. The network
//! (`mlp::Network`: mini-batches in a seeded order, epochs evaluated in pieces) and every
//! classical family (`Classical`, a `Trainer`: one iteration per step, scored as it ends)
//! implement it, so the experiment's session holds one `Box<dyn Learner>` and never asks
//! which one it holds. A new family joins through `Trainer` (one `ModelParams` and `Fitted`
//! variant); a new kind of training (say, a network that trains differently) implements this
//! trait.

use super::mlp::{EvalSum, Mlp, OptimizerState};
use super::{Data, Fitted, Kind, ParamError, Trainer};
use crate::data::Task;
use crate::render::Field;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};
use std::ops::Range;

/// Most row-steps spent replaying training to restore a state the link only names.
pub const MAX_REPLAY_ROWS: u64 = 50_000_000;

/// Losses and accuracies after a completed epoch (epoch 0 is before training).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct EpochRecord {
    pub epoch: u32,
    pub train_loss: f64,
    pub test_loss: f64,
    pub train_accuracy: Option<f64>,
    pub test_accuracy: Option<f64>,
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

/// The output field and every hidden neuron's field ([layer][neuron]).
#[derive(Debug, Clone)]
pub struct Fields {
    pub output: Field,
    pub neurons: Vec<Vec<Field>>,
}

/// The training and test parts as a learner reads them: row-major inputs (`cols` per row)
/// and one target per row.
#[derive(Debug, Clone, Copy)]
pub struct Parts<'a> {
    pub x_train: &'a [f64],
    pub y_train: &'a [f64],
    pub x_test: &'a [f64],
    pub y_test: &'a [f64],
    pub cols: usize,
    pub task: Task,
}

impl<'a> Parts<'a> {
    fn matrix(&self, x: &'a [f64], rows: usize) -> ArrayView2<'a, f64> {
        ArrayView2::from_shape((rows, self.cols), x).expect("rows × features")
    }
    pub fn train(&self) -> Data<'a> {
        Data { x: self.matrix(self.x_train, self.y_train.len()), y: self.y_train, task: self.task }
    }
    pub fn test(&self) -> Data<'a> {
        Data { x: self.matrix(self.x_test, self.y_test.len()), y: self.y_test, task: self.task }
    }
}

/// What one training step did.
#[derive(Debug, Clone, PartialEq)]
pub enum Stepped {
    /// Part of an epoch (a mini-batch).
    Batch,
    /// An epoch ended; the session evaluates it (`Learner::evaluate_rows`, in pieces if it likes).
    Epoch,
    /// An iteration ended and was scored at once: where training now stands (an iteration
    /// counts as an epoch), its scores, and how the fit ended when nothing is left to do.
    Scored { epoch: u32, record: EpochRecord, finished: Option<Finished> },
}

/// How a model with a fixed number of iterations ended.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Finished {
    /// Iteration `at` moved nothing, or (`gradient`) the gradient was practically zero after it.
    Converged { at: usize, gradient: bool },
    /// All `total` iterations done (1: a one-shot fit).
    AllDone(usize),
}

/// How a trained state is reached (`Learner::restore`).
#[derive(Debug, Clone, PartialEq)]
pub enum Restored {
    /// The weights were taken as given; with what the person should know.
    Weights(Vec<String>),
    /// The state is reached by training again to its epoch (the same bits: every run is seeded).
    Replay,
}

/// Fills the model's inputs for one cell of the view's grid (cells row by row, top row first).
pub type CellInputs<'a> = &'a dyn Fn(usize, &mut [f64]);

/// What a session trains: it steps, predicts, scores, saves and restores any model.
pub trait Learner {
    /// Trains one step: a mini-batch of the network, or up to `iterations` iterations of a
    /// classical model. On error nothing changed.
    fn step(&mut self, parts: &Parts, iterations: usize) -> Result<Stepped, ParamError>;
    /// Whether the whole fit can be done in one step (classical models; a network trains
    /// epoch after epoch for as long as it is asked).
    fn fits_in_one_go(&self) -> bool;
    /// No partial epoch in progress.
    fn at_epoch_boundary(&self) -> bool;
    /// Changes whenever the model does, so views can cache what they computed from it.
    fn version(&self) -> u64;
    /// How far training has come, given the session's epoch count: what a trained state names.
    fn trained_to(&self, epoch: u32) -> u32;
    /// Whether the session evaluates each epoch's losses (in pieces, `evaluate_rows`) rather
    /// than taking the scores `step` gives.
    fn evaluates_epochs(&self) -> bool;
    /// Adds the losses of `rows` of `xs` to `sum`, row by row in order (same bits however split).
    fn evaluate_rows(&mut self, _xs: &[f64], _ys: &[f64], _rows: Range<usize>, _sum: &mut EvalSum) {}
    /// False once a weight is not a finite number (the training diverged).
    fn finite(&self) -> bool {
        true
    }
    /// One value per row (a class, a value or a cluster, in the model's units) and the class
    /// probabilities where the model has them.
    fn predict(&mut self, x: ArrayView2<f64>, task: Task) -> (Vec<f64>, Option<Array2<f64>>);
    /// Each class's probability for one row (a classifier without probabilities gives 1 to
    /// the class it predicts); None when the model gives none yet.
    fn class_probabilities(&mut self, x: &[f64], classes: usize) -> Option<Vec<f64>>;
    /// The one value the model predicts for one row (regression, cluster).
    fn predict_value(&mut self, x: &[f64]) -> Result<f64, String>;
    /// The model over a res × res grid drawn as `task` says, whose cells' inputs `cell`
    /// fills (`cols` of them), and each hidden neuron's field where the model has neurons.
    fn fields(&mut self, res: usize, task: Task, cols: usize, cell: CellInputs) -> Fields;
    /// The trained state at the session's `epoch` (with the optimiser's memory when asked).
    fn trained(&self, epoch: u32, with_optimizer: bool) -> Trained;
    /// Takes a trained state's weights (checked), or says it must be replayed; `rows` is the
    /// number of training rows (for the replay's cost). An unusable state is an error and
    /// changes nothing.
    fn restore(&mut self, t: &Trained, rows: u64) -> Result<Restored, String>;
    /// The network, for the views that draw one.
    fn network(&self) -> Option<&Mlp> {
        None
    }
    /// The classical model's trainer, for the views and files that show one.
    fn trainer(&self) -> Option<&Trainer> {
        None
    }
}

/// A learner is shown by its kind only: formatting its weights would pull ndarray's array
/// printer into every build for no reader.
impl std::fmt::Debug for dyn Learner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.network().is_some() { "Learner(network)" } else { "Learner(classical)" })
    }
}

/// A classical family's model as a learner: its `Trainer`, and the kind of problem it solves
/// here (which scores it is recorded with).
#[derive(Debug)]
pub struct Classical {
    trainer: Trainer,
    kind: Kind,
}

impl Classical {
    pub fn new(trainer: Trainer, kind: Kind) -> Classical {
        Classical { trainer, kind }
    }

    /// Scores of the fitted model on both parts: log-loss and accuracy (classifiers), mean
    /// squared error (regressors), mean squared distance to the centre (k-means); NaN where a
    /// loss has no meaning for the model.
    fn record(&self, parts: &Parts, epoch: u32) -> EpochRecord {
        let Some(fitted) = self.trainer.fitted() else {
            return EpochRecord {
                epoch,
                train_loss: f64::NAN,
                test_loss: f64::NAN,
                train_accuracy: None,
                test_accuracy: None,
            };
        };
        let part = |data: Data| -> (f64, Option<f64>) {
            let (x, y) = (data.x, data.y);
            if y.is_empty() {
                return (f64::NAN, None);
            }
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
                _ if self.kind == Kind::Classification => {
                    let predicted = fitted.predict(x);
                    let loss = fitted
                        .predict_proba(x)
                        .map_or(f64::NAN, |p| crate::metrics::log_loss(y, &super::flat_rows(p.view()), p.ncols()));
                    (loss, Some(crate::metrics::accuracy(&predicted, y)))
                }
                _ => (crate::metrics::mse(&fitted.predict(x), y), None),
            }
        };
        let (train_loss, train_accuracy) = part(parts.train());
        let (test_loss, test_accuracy) = part(parts.test());
        EpochRecord { epoch, train_loss, test_loss, train_accuracy, test_accuracy }
    }
}

impl Learner for Classical {
    fn step(&mut self, parts: &Parts, iterations: usize) -> Result<Stepped, ParamError> {
        self.trainer.step(&parts.train(), iterations)?;
        let ((done, total), converged) = (self.trainer.progress(), self.trainer.converged_at());
        let epoch = converged.unwrap_or(done) as u32;
        let finished = (done >= total).then(|| match converged {
            Some(at) => Finished::Converged { at, gradient: self.trainer.converged_by_gradient() },
            None => Finished::AllDone(total),
        });
        Ok(Stepped::Scored { epoch, record: self.record(parts, epoch), finished })
    }
    fn fits_in_one_go(&self) -> bool {
        true
    }
    fn at_epoch_boundary(&self) -> bool {
        true
    }
    fn version(&self) -> u64 {
        self.trainer.progress().0 as u64
    }
    fn trained_to(&self, _epoch: u32) -> u32 {
        self.trainer.progress().0 as u32
    }
    fn evaluates_epochs(&self) -> bool {
        false
    }
    fn predict(&mut self, x: ArrayView2<f64>, _task: Task) -> (Vec<f64>, Option<Array2<f64>>) {
        match self.trainer.fitted() {
            Some(f) => (f.predict(x), f.predict_proba(x)),
            None => (vec![f64::NAN; x.nrows()], None),
        }
    }
    fn class_probabilities(&mut self, x: &[f64], classes: usize) -> Option<Vec<f64>> {
        let fitted = self.trainer.fitted()?;
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
    fn predict_value(&mut self, x: &[f64]) -> Result<f64, String> {
        let fitted = self.trainer.fitted().ok_or("the model is not fitted yet: train it first")?;
        let row = ArrayView2::from_shape((1, x.len()), x).map_err(|e| e.to_string())?;
        Ok(fitted.predict(row)[0])
    }
    /// The model's prediction over the grid (class and confidence, value, cluster or first
    /// component); an empty field before the first step, and no neurons.
    fn fields(&mut self, res: usize, task: Task, cols: usize, cell: CellInputs) -> Fields {
        let mut field = Field::new(res, task);
        let Some(fitted) = self.trainer.fitted() else { return Fields { output: field, neurons: Vec::new() } };
        let f = cols;
        let mut xs = vec![0.0; res * res * f];
        for c in 0..res * res {
            cell(c, &mut xs[c * f..(c + 1) * f]);
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
        Fields { output: field, neurons: Vec::new() }
    }
    fn trained(&self, _epoch: u32, _with_optimizer: bool) -> Trained {
        Trained { epoch: self.trainer.progress().0 as u32, model: self.trainer.fitted().cloned(), optimizer: None }
    }
    /// A classical model is never taken as given: it is fitted again to the same iteration
    /// (and the session compares the two).
    fn restore(&mut self, _t: &Trained, _rows: u64) -> Result<Restored, String> {
        Ok(Restored::Replay)
    }
    fn trainer(&self) -> Option<&Trainer> {
        Some(&self.trainer)
    }
}
