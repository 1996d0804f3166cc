//! The network as a learner: an `Mlp` trained one mini-batch per step in a seeded shuffled
//! order, its epochs evaluated by the session in pieces (the same bits however the work is
//! sliced), its fields drawn for every hidden neuron, its weights saved and taken back.

use super::{argmax, CheckedMlpParams, EvalSum, Mlp, CHUNK_ROWS};
use crate::data::rng::{Purpose, Rng};
use crate::data::Task;
use crate::models::learner::{CellInputs, Fields, Learner, Parts, Restored, Stepped, Trained, MAX_REPLAY_ROWS};
use crate::models::{Fitted, ParamError};
use crate::render::Field;
use ndarray::{Array2, ArrayView2};
use std::ops::Range;

/// A network in training: its weights and where it is in the current epoch.
#[derive(Debug)]
pub struct Network {
    net: Mlp,
    /// The training rows in this epoch's shuffled order.
    order: Vec<usize>,
    /// Rows of `order` trained in this epoch.
    cursor: usize,
    shuffle_rng: Rng,
}

impl Network {
    /// A fresh network (its seeded initial weights) for `rows` training rows.
    pub fn new(params: CheckedMlpParams, rows: usize) -> Network {
        let seed = params.get().seed;
        Network {
            net: Mlp::new(params),
            order: (0..rows).collect(),
            cursor: 0,
            shuffle_rng: Rng::new(seed, Purpose::Shuffle),
        }
    }

    fn batch_size(&self) -> usize {
        self.net.params().batch_size.min(self.order.len()).max(1)
    }
}

impl Learner for Network {
    fn step(&mut self, parts: &Parts, _iterations: usize) -> Result<Stepped, ParamError> {
        if self.cursor == 0 {
            self.shuffle_rng.shuffle(&mut self.order);
        }
        let end = (self.cursor + self.batch_size()).min(self.order.len());
        self.net.train_batch(parts.x_train, parts.y_train, &self.order[self.cursor..end]);
        self.cursor = end;
        if self.cursor < self.order.len() {
            return Ok(Stepped::Batch);
        }
        self.cursor = 0;
        Ok(Stepped::Epoch)
    }
    fn fits_in_one_go(&self) -> bool {
        false
    }
    fn at_epoch_boundary(&self) -> bool {
        self.cursor == 0
    }
    fn version(&self) -> u64 {
        self.net.updates()
    }
    fn trained_to(&self, epoch: u32) -> u32 {
        epoch
    }
    fn evaluates_epochs(&self) -> bool {
        true
    }
    fn evaluate_rows(&mut self, xs: &[f64], ys: &[f64], rows: Range<usize>, sum: &mut EvalSum) {
        self.net.evaluate_into(xs, ys, rows, sum);
    }
    fn finite(&self) -> bool {
        self.net.theta().iter().all(|w| w.is_finite())
    }
    fn predict(&mut self, x: ArrayView2<f64>, task: Task) -> (Vec<f64>, Option<Array2<f64>>) {
        let out = self.net.outputs(x);
        match task {
            Task::Classification { .. } => (crate::models::argmax_rows(&out), Some(out)),
            Task::Regression => (out.column(0).to_vec(), None),
        }
    }
    fn class_probabilities(&mut self, x: &[f64], _classes: usize) -> Option<Vec<f64>> {
        self.net.forward_rows(x);
        Some(self.net.layer_outputs(self.net.sizes().len() - 1, 1).to_vec())
    }
    fn predict_value(&mut self, x: &[f64]) -> Result<f64, String> {
        Ok(self.net.forward(x)[0])
    }
    /// The network's output over the grid, plus each hidden neuron's, a chunk of cells at a time.
    fn fields(&mut self, res: usize, task: Task, cols: usize, cell: CellInputs) -> Fields {
        let sizes = self.net.sizes().to_vec();
        let hidden_layers = sizes.len() - 2;
        let units = sizes[sizes.len() - 1];
        let mut output = Field::new(res, task);
        let mut neurons: Vec<Vec<Field>> =
            (1..=hidden_layers).map(|l| (0..sizes[l]).map(|_| Field::new(res, Task::Regression)).collect()).collect();
        let f = cols;
        let cells = res * res;
        let mut xs = vec![0.0; CHUNK_ROWS * f];
        let mut first = 0;
        while first < cells {
            let rows = (cells - first).min(CHUNK_ROWS);
            for k in 0..rows {
                cell(first + k, &mut xs[k * f..(k + 1) * f]);
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
    fn trained(&self, epoch: u32, with_optimizer: bool) -> Trained {
        Trained {
            epoch,
            model: Some(Fitted::Mlp(self.net.to_model())),
            optimizer: with_optimizer.then(|| self.net.optimizer_state()),
        }
    }
    /// Takes the weights as given (checked against this network's shape) and replays the
    /// shuffles of the epochs before, so training goes on as it would have; a state without
    /// weights is replayed by training.
    fn restore(&mut self, t: &Trained, rows: u64) -> Result<Restored, String> {
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
                let mut notices = Vec::new();
                if u64::from(t.epoch) * rows <= MAX_REPLAY_ROWS {
                    for _ in 0..t.epoch {
                        self.shuffle_rng.shuffle(&mut self.order);
                    }
                } else {
                    notices.push("Training goes on from these weights with a fresh shuffle order.".into());
                }
                self.cursor = 0;
                Ok(Restored::Weights(notices))
            }
            Some(_) => Err("the model is not a neural network, but the experiment's is".into()),
            None if u64::from(t.epoch) * rows > MAX_REPLAY_ROWS => Err(format!(
                "replaying {} epochs on {rows} rows would take too long; share the weights (a model file) instead",
                t.epoch
            )),
            None => Ok(Restored::Replay),
        }
    }
    fn network(&self) -> Option<&Mlp> {
        Some(&self.net)
    }
}
