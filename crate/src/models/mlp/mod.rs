//! The multilayer perceptron behind the playground.
//!
//! All weights and biases live in one flat `ndarray` vector (layer by layer: the weight matrix
//! stored input-major, in × out, then the biases), so every optimiser is a single loop over
//! it. Input-major storage turns the forward pass and the weight gradient into contiguous
//! `out += x_i · w_i` loops that compilers vectorise without reordering any sum, so each
//! output is still computed in one fixed order. The products are plain loops rather than
//! `ndarray::dot`: matrixmultiply picks FMA kernels at run time on native CPUs, which would
//! make the CLI and the browser disagree in the last bits, and these layers are too small for
//! a GEMM to pay off anyway. Transcendentals come from `fastmath`/`libm` for the same reason.
//! Nothing is allocated per step.

pub mod network;

use super::fastmath;
use super::ParamError;
use crate::data::rng::{Purpose, Rng};
use ndarray::{Array1, ArrayView2};
use serde::{Deserialize, Serialize};

/// Most hidden layers a network may have (TensorFlow Playground allows 6).
pub const MAX_HIDDEN_LAYERS: usize = 10;
/// Most neurons in one hidden layer (TensorFlow Playground allows 8).
pub const MAX_NEURONS: usize = 64;
pub const MAX_BATCH: usize = 1024;
/// Most inputs a network takes (a wide one-hot table stays far below; a forged model file
/// could otherwise ask for gigabytes of weights).
pub const MAX_INPUTS: usize = 100_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Activation {
    Relu,
    Tanh,
    Sigmoid,
    Linear,
}

impl Activation {
    pub const ALL: [Activation; 4] = [Activation::Relu, Activation::Tanh, Activation::Sigmoid, Activation::Linear];
    pub fn key(self) -> &'static str {
        match self {
            Activation::Relu => "relu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
            Activation::Linear => "linear",
        }
    }
    pub fn from_key(k: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key() == k)
    }
    /// Applies the activation to every value; one loop per kind keeps the loops tight.
    #[inline(always)]
    fn apply_all(self, values: &mut [f64]) {
        match self {
            // `if` rather than `max`, so a NaN stays NaN and divergence is seen.
            Activation::Relu => values.iter_mut().for_each(|v| *v = if *v < 0.0 { 0.0 } else { *v }),
            Activation::Tanh => values.iter_mut().for_each(|v| *v = fastmath::tanh(*v)),
            Activation::Sigmoid => values.iter_mut().for_each(|v| *v = fastmath::sigmoid(*v)),
            Activation::Linear => {}
        }
    }
    /// Derivative expressed through the activation's output `y`.
    #[inline(always)]
    fn derivative_from_output(self, y: f64) -> f64 {
        match self {
            Activation::Relu => {
                if y > 0.0 {
                    1.0
                } else {
                    0.0
                }
            }
            Activation::Tanh => 1.0 - y * y,
            Activation::Sigmoid => y * (1.0 - y),
            Activation::Linear => 1.0,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Regularization {
    None,
    L1,
    L2,
}

impl Regularization {
    pub const ALL: [Regularization; 3] = [Regularization::None, Regularization::L1, Regularization::L2];
    pub fn key(self) -> &'static str {
        match self {
            Regularization::None => "none",
            Regularization::L1 => "l1",
            Regularization::L2 => "l2",
        }
    }
    pub fn from_key(k: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key() == k)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Optimizer {
    Sgd,
    Momentum,
    Adam,
}

impl Optimizer {
    pub const ALL: [Optimizer; 3] = [Optimizer::Sgd, Optimizer::Momentum, Optimizer::Adam];
    pub fn key(self) -> &'static str {
        match self {
            Optimizer::Sgd => "sgd",
            Optimizer::Momentum => "momentum",
            Optimizer::Adam => "adam",
        }
    }
    pub fn from_key(k: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key() == k)
    }
}

/// What the last layer computes, and so which loss is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Output {
    /// Softmax over `classes` outputs with cross-entropy loss (any number of classes ≥ 2).
    Softmax { classes: usize },
    /// One linear output with mean squared error.
    Linear,
}

impl Output {
    fn units(self) -> usize {
        match self {
            Output::Softmax { classes } => classes,
            Output::Linear => 1,
        }
    }
}

/// Hyperparameters of the MLP, as data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MlpParams {
    pub inputs: usize,
    pub hidden: Vec<usize>,
    pub output: Output,
    pub activation: Activation,
    pub regularization: Regularization,
    pub reg_rate: f64,
    pub learning_rate: f64,
    pub batch_size: usize,
    pub optimizer: Optimizer,
    pub seed: u64,
}

impl Default for MlpParams {
    fn default() -> Self {
        MlpParams {
            inputs: 2,
            hidden: vec![4, 2],
            output: Output::Softmax { classes: 2 },
            activation: Activation::Tanh,
            regularization: Regularization::None,
            reg_rate: 0.0,
            learning_rate: 0.03,
            batch_size: 10,
            optimizer: Optimizer::Sgd,
            seed: 1,
        }
    }
}

/// Params that passed `check`; the only way to build an `Mlp`.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedMlpParams(MlpParams);

impl MlpParams {
    pub fn check(self) -> Result<CheckedMlpParams, ParamError> {
        let err = |field, message: String| Err(ParamError { field, message });
        if self.inputs == 0 {
            return err("inputs", "at least one input feature is needed".into());
        }
        if self.inputs > MAX_INPUTS {
            return err("inputs", format!("at most {MAX_INPUTS} inputs, got {}", self.inputs));
        }
        if self.hidden.len() > MAX_HIDDEN_LAYERS {
            return err("hidden", format!("at most {MAX_HIDDEN_LAYERS} hidden layers, got {}", self.hidden.len()));
        }
        if let Some(&n) = self.hidden.iter().find(|&&n| n == 0 || n > MAX_NEURONS) {
            return err("hidden", format!("each hidden layer needs 1 to {MAX_NEURONS} neurons, got {n}"));
        }
        if let Output::Softmax { classes } = self.output {
            if !(2..=64).contains(&classes) {
                return err("output", format!("softmax needs 2 to 64 classes, got {classes}"));
            }
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0 && self.learning_rate <= 10.0) {
            return err("learning_rate", format!("must be in (0, 10], got {}", self.learning_rate));
        }
        if !(self.reg_rate.is_finite() && (0.0..=10.0).contains(&self.reg_rate)) {
            return err("reg_rate", format!("must be in [0, 10], got {}", self.reg_rate));
        }
        if !(1..=MAX_BATCH).contains(&self.batch_size) {
            return err("batch_size", format!("must be 1 to {MAX_BATCH}, got {}", self.batch_size));
        }
        Ok(CheckedMlpParams(self))
    }
}

impl CheckedMlpParams {
    pub fn get(&self) -> &MlpParams {
        &self.0
    }
    /// Weights and biases of the network these settings build: Σ (n_{l−1} + 1) · n_l.
    pub fn parameter_count(&self) -> usize {
        let p = &self.0;
        let sizes: Vec<usize> =
            std::iter::once(p.inputs).chain(p.hidden.iter().copied()).chain([p.output.units()]).collect();
        sizes.windows(2).map(|w| (w[0] + 1) * w[1]).sum()
    }
}

const MOMENTUM: f64 = 0.9;
const ADAM_BETA1: f64 = 0.9;
const ADAM_BETA2: f64 = 0.999;
const ADAM_EPS: f64 = 1e-8;

/// Rows processed together in one pass through the layers. Working a chunk of rows layer by
/// layer pays each layer's set-up once per chunk instead of once per sample, which is most of
/// the cost for layers of a few neurons; 64 rows of 64 neurons stay inside L1 cache.
pub const CHUNK_ROWS: usize = 64;

/// A fitted (or being fitted) multilayer perceptron.
#[derive(Debug, Clone)]
pub struct Mlp {
    params: MlpParams,
    /// Units per layer, inputs first, outputs last.
    sizes: Vec<usize>,
    /// Where each layer's weight matrix starts in `theta`; its biases follow it.
    offsets: Vec<usize>,
    theta: Array1<f64>,
    grad: Vec<f64>,
    /// First moment (momentum velocity or Adam's m) and Adam's second moment.
    moment1: Vec<f64>,
    moment2: Vec<f64>,
    beta1_power: f64,
    beta2_power: f64,
    /// Per-layer outputs of the chunk in flight, rows × units, row-major (scratch).
    acts: Vec<Vec<f64>>,
    /// Per-layer error terms of the chunk in flight (scratch).
    deltas: Vec<Vec<f64>>,
    /// Targets of the chunk in flight (scratch).
    chunk_targets: Vec<f64>,
    updates: u64,
}

impl Mlp {
    pub fn new(checked: CheckedMlpParams) -> Mlp {
        let params = checked.0;
        let mut sizes = vec![params.inputs];
        sizes.extend(&params.hidden);
        sizes.push(params.output.units());
        let mut offsets = Vec::with_capacity(sizes.len() - 1);
        let mut total = 0;
        for w in sizes.windows(2) {
            offsets.push(total);
            total += w[0] * w[1] + w[1];
        }
        let mut theta = Array1::<f64>::zeros(total);
        let mut rng = Rng::new(params.seed, Purpose::Init);
        {
            let t = theta.as_slice_mut().expect("fresh array is contiguous");
            for (l, w) in sizes.windows(2).enumerate() {
                let (fan_in, fan_out) = (w[0] as f64, w[1] as f64);
                let hidden_relu = l + 2 < sizes.len() && params.activation == Activation::Relu;
                // He for ReLU layers, Glorot otherwise; both uniform. Biases start at zero.
                let limit = if hidden_relu { libm::sqrt(6.0 / fan_in) } else { libm::sqrt(6.0 / (fan_in + fan_out)) };
                for v in &mut t[offsets[l]..offsets[l] + w[0] * w[1]] {
                    *v = rng.uniform(-limit, limit);
                }
            }
        }
        let acts = sizes.iter().map(|&n| vec![0.0; n * CHUNK_ROWS]).collect();
        let deltas = sizes.iter().map(|&n| vec![0.0; n * CHUNK_ROWS]).collect();
        Mlp {
            params,
            sizes,
            offsets,
            theta,
            grad: vec![0.0; total],
            moment1: vec![0.0; total],
            moment2: vec![0.0; total],
            beta1_power: 1.0,
            beta2_power: 1.0,
            acts,
            deltas,
            chunk_targets: vec![0.0; CHUNK_ROWS],
            updates: 0,
        }
    }

    pub fn params(&self) -> &MlpParams {
        &self.params
    }
    /// Units per layer, inputs first.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }
    pub fn parameter_count(&self) -> usize {
        self.theta.len()
    }
    /// Weight matrix of layer `l` (0 = first hidden layer), shape out × in.
    pub fn weights(&self, l: usize) -> ArrayView2<'_, f64> {
        let (nin, nout) = (self.sizes[l], self.sizes[l + 1]);
        let start = self.offsets[l];
        ArrayView2::from_shape((nin, nout), &self.theta()[start..start + nin * nout])
            .expect("layer slice has in × out elements")
            .reversed_axes()
    }
    pub fn biases(&self, l: usize) -> &[f64] {
        let (nin, nout) = (self.sizes[l], self.sizes[l + 1]);
        let start = self.offsets[l] + nin * nout;
        &self.theta.as_slice().expect("contiguous")[start..start + nout]
    }
    pub fn theta(&self) -> &[f64] {
        self.theta.as_slice().expect("contiguous")
    }
    pub fn theta_mut(&mut self) -> &mut [f64] {
        self.theta.as_slice_mut().expect("contiguous")
    }

    /// Outputs of layer `l` (0 = inputs) for the rows of the last `forward_rows` call,
    /// rows × units, row-major.
    pub fn layer_outputs(&self, l: usize, rows: usize) -> &[f64] {
        &self.acts[l][..rows * self.sizes[l]]
    }

    /// Runs up to `CHUNK_ROWS` rows (row-major, `inputs` wide) through the network. Outputs
    /// (class probabilities for softmax, the prediction for a linear output) and every hidden
    /// layer's values stay readable through `layer_outputs` until the next pass.
    pub fn forward_rows(&mut self, xs: &[f64]) -> usize {
        let f = self.params.inputs;
        let rows = (xs.len() / f).min(CHUNK_ROWS);
        self.acts[0][..rows * f].copy_from_slice(&xs[..rows * f]);
        self.forward_chunk(rows);
        rows
    }

    /// Runs one sample through the network and returns the output layer.
    pub fn forward(&mut self, x: &[f64]) -> &[f64] {
        self.forward_rows(x);
        let last = self.sizes.len() - 1;
        &self.acts[last][..self.sizes[last]]
    }

    /// Forward pass of the first `rows` rows already in `acts[0]`.
    fn forward_chunk(&mut self, rows: usize) {
        let layers = self.sizes.len() - 1;
        let theta = self.theta.as_slice().expect("contiguous");
        for l in 0..layers {
            let (nin, nout) = (self.sizes[l], self.sizes[l + 1]);
            let (before, after) = self.acts.split_at_mut(l + 1);
            let input = &before[l][..rows * nin];
            let out = &mut after[0][..rows * nout];
            let off = self.offsets[l];
            let (w, b) = theta[off..off + nin * nout + nout].split_at(nin * nout);
            for (x_row, o_row) in input.chunks_exact(nin).zip(out.chunks_exact_mut(nout)) {
                // out_j = b_j + Σ_i x_i·w_ij, summed in order of i for every j.
                o_row.copy_from_slice(b);
                for (&x, w_row) in x_row.iter().zip(w.chunks_exact(nout)) {
                    for (o, &wv) in o_row.iter_mut().zip(w_row) {
                        *o += x * wv;
                    }
                }
            }
            if l + 1 < layers {
                self.params.activation.apply_all(out);
            }
        }
        if let Output::Softmax { classes } = self.params.output {
            for row in self.acts[layers][..rows * classes].chunks_exact_mut(classes) {
                softmax_in_place(row);
            }
        }
    }

    /// Loss of output row `r` of the chunk in flight.
    fn row_loss(&self, r: usize, target: f64) -> f64 {
        let last = self.sizes.len() - 1;
        let units = self.sizes[last];
        let out = &self.acts[last][r * units..(r + 1) * units];
        match self.params.output {
            Output::Softmax { .. } => -libm::log(out[target as usize].max(1e-300)),
            Output::Linear => (out[0] - target) * (out[0] - target),
        }
    }

    /// Backward pass of the chunk in flight (targets in `chunk_targets`), adding each row's
    /// share (weight `scale`) of the gradient of the mean loss. Rows are added in order, so
    /// every gradient entry is summed in the same order however the rows are chunked.
    fn backward_chunk(&mut self, rows: usize, scale: f64) {
        let layers = self.sizes.len() - 1;
        let units = self.sizes[layers];
        {
            let out = &self.acts[layers][..rows * units];
            let d = &mut self.deltas[layers][..rows * units];
            for ((d_row, o_row), &t) in d.chunks_exact_mut(units).zip(out.chunks_exact(units)).zip(&self.chunk_targets)
            {
                match self.params.output {
                    // d(-ln p_t)/dz = p - onehot(t)
                    Output::Softmax { .. } => {
                        for (k, (dk, &pk)) in d_row.iter_mut().zip(o_row).enumerate() {
                            *dk = scale * (pk - if k == t as usize { 1.0 } else { 0.0 });
                        }
                    }
                    // d(y - t)²/dy = 2(y - t)
                    Output::Linear => d_row[0] = scale * 2.0 * (o_row[0] - t),
                }
            }
        }
        let theta = self.theta.as_slice().expect("contiguous");
        let act = self.params.activation;
        for l in (0..layers).rev() {
            let (nin, nout) = (self.sizes[l], self.sizes[l + 1]);
            let off = self.offsets[l];
            let (dlo, dhi) = self.deltas.split_at_mut(l + 1);
            let delta = &dhi[0][..rows * nout];
            let input = &self.acts[l][..rows * nin];
            let (gw, gb) = self.grad[off..off + nin * nout + nout].split_at_mut(nin * nout);
            for (x_row, d_row) in input.chunks_exact(nin).zip(delta.chunks_exact(nout)) {
                // dL/dw_ij = x_i · δ_j
                for (&x, g_row) in x_row.iter().zip(gw.chunks_exact_mut(nout)) {
                    for (gv, &d) in g_row.iter_mut().zip(d_row) {
                        *gv += x * d;
                    }
                }
                for (gv, &d) in gb.iter_mut().zip(d_row) {
                    *gv += d;
                }
            }
            if l > 0 {
                // δ_prev_i = (Σ_j w_ij · δ_j) · f'(y_i)
                let w = &theta[off..off + nin * nout];
                let prev = &mut dlo[l][..rows * nin];
                for ((p_row, d_row), y_row) in
                    prev.chunks_exact_mut(nin).zip(delta.chunks_exact(nout)).zip(input.chunks_exact(nin))
                {
                    for ((p, w_row), &y) in p_row.iter_mut().zip(w.chunks_exact(nout)).zip(y_row) {
                        let mut sum = 0.0;
                        for (&wv, &d) in w_row.iter().zip(d_row) {
                            sum += wv * d;
                        }
                        *p = sum * act.derivative_from_output(y);
                    }
                }
            }
        }
    }

    /// Adds to the gradient the mean loss's gradient over the given rows of `xs`
    /// (row-major, `inputs` wide), each weighted `scale`.
    pub fn accumulate_rows(&mut self, xs: &[f64], targets: &[f64], rows: &[usize], scale: f64) {
        let f = self.params.inputs;
        for chunk in rows.chunks(CHUNK_ROWS) {
            for (k, &r) in chunk.iter().enumerate() {
                self.acts[0][k * f..(k + 1) * f].copy_from_slice(&xs[r * f..(r + 1) * f]);
                self.chunk_targets[k] = targets[r];
            }
            self.forward_chunk(chunk.len());
            self.backward_chunk(chunk.len(), scale);
        }
    }

    /// Adds the regulariser's gradient to the weights' (not the biases') gradient.
    fn add_regularization_gradient(&mut self) {
        let rate = self.params.reg_rate;
        if rate == 0.0 || self.params.regularization == Regularization::None {
            return;
        }
        let theta = self.theta.as_slice().expect("contiguous");
        for l in 0..self.offsets.len() {
            let start = self.offsets[l];
            let end = start + self.sizes[l] * self.sizes[l + 1];
            for (g, &w) in self.grad[start..end].iter_mut().zip(&theta[start..end]) {
                *g += match self.params.regularization {
                    Regularization::L2 => rate * w,
                    Regularization::L1 => rate * sign(w),
                    Regularization::None => 0.0,
                };
            }
        }
    }

    /// The regulariser's value: rate/2 · Σw² (L2) or rate · Σ|w| (L1), over weights only.
    pub fn regularization_penalty(&self) -> f64 {
        let rate = self.params.reg_rate;
        let theta = self.theta();
        let mut sum = 0.0;
        for l in 0..self.offsets.len() {
            let start = self.offsets[l];
            for &w in &theta[start..start + self.sizes[l] * self.sizes[l + 1]] {
                sum += match self.params.regularization {
                    Regularization::L2 => 0.5 * w * w,
                    Regularization::L1 => w.abs(),
                    Regularization::None => 0.0,
                };
            }
        }
        rate * sum
    }

    /// Applies the accumulated gradient with the chosen optimiser and clears it.
    pub fn apply_update(&mut self) {
        self.add_regularization_gradient();
        let lr = self.params.learning_rate;
        let theta = self.theta.as_slice_mut().expect("contiguous");
        match self.params.optimizer {
            Optimizer::Sgd => {
                for (w, g) in theta.iter_mut().zip(&self.grad) {
                    *w -= lr * g;
                }
            }
            Optimizer::Momentum => {
                for ((w, g), v) in theta.iter_mut().zip(&self.grad).zip(&mut self.moment1) {
                    *v = MOMENTUM * *v + g;
                    *w -= lr * *v;
                }
            }
            Optimizer::Adam => {
                self.beta1_power *= ADAM_BETA1;
                self.beta2_power *= ADAM_BETA2;
                let c1 = 1.0 / (1.0 - self.beta1_power);
                let c2 = 1.0 / (1.0 - self.beta2_power);
                for (((w, g), m), v) in theta.iter_mut().zip(&self.grad).zip(&mut self.moment1).zip(&mut self.moment2) {
                    *m = ADAM_BETA1 * *m + (1.0 - ADAM_BETA1) * g;
                    *v = ADAM_BETA2 * *v + (1.0 - ADAM_BETA2) * g * g;
                    *w -= lr * (*m * c1) / ((*v * c2).sqrt() + ADAM_EPS);
                }
            }
        }
        self.grad.fill(0.0);
        self.updates += 1;
    }

    /// One mini-batch step over the rows `batch` of `xs` (row-major, `inputs` wide).
    pub fn train_batch(&mut self, xs: &[f64], targets: &[f64], batch: &[usize]) {
        self.accumulate_rows(xs, targets, batch, 1.0 / batch.len() as f64);
        self.apply_update();
    }

    /// Mean loss (without the regulariser) and accuracy (classification only) over rows.
    pub fn evaluate(&mut self, xs: &[f64], targets: &[f64]) -> (f64, Option<f64>) {
        let n = targets.len();
        if n == 0 {
            return (f64::NAN, None);
        }
        let mut sum = EvalSum::default();
        self.evaluate_into(xs, targets, 0..n, &mut sum);
        sum.mean(n, matches!(self.params.output, Output::Softmax { .. }))
    }

    /// Adds the losses of `rows` (a range of rows of `xs`) to `sum`, row by row in order, so an
    /// evaluation split into several calls gives the same bits as one call.
    pub fn evaluate_into(&mut self, xs: &[f64], targets: &[f64], rows: std::ops::Range<usize>, sum: &mut EvalSum) {
        let f = self.params.inputs;
        let softmax = matches!(self.params.output, Output::Softmax { .. });
        let last = self.sizes.len() - 1;
        let units = self.sizes[last];
        let (xs, targets) = (&xs[rows.start * f..rows.end * f], &targets[rows]);
        for (x_chunk, t_chunk) in xs.chunks(CHUNK_ROWS * f).zip(targets.chunks(CHUNK_ROWS)) {
            let done = self.forward_rows(x_chunk);
            for (r, &t) in t_chunk.iter().enumerate().take(done) {
                if softmax && argmax(&self.acts[last][r * units..(r + 1) * units]) == t as usize {
                    sum.correct += 1;
                }
                sum.loss += self.row_loss(r, t);
            }
        }
    }

    pub fn updates(&self) -> u64 {
        self.updates
    }
}

fn sign(w: f64) -> f64 {
    if w > 0.0 {
        1.0
    } else if w < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Running totals of an evaluation (see `Mlp::evaluate_into`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct EvalSum {
    pub loss: f64,
    pub correct: usize,
}

impl EvalSum {
    /// Mean loss and, for classification, accuracy over `n` rows.
    pub fn mean(&self, n: usize, classification: bool) -> (f64, Option<f64>) {
        if n == 0 {
            return (f64::NAN, None);
        }
        (self.loss / n as f64, classification.then(|| self.correct as f64 / n as f64))
    }
}

/// Index of the largest value (first on ties).
pub fn argmax(v: &[f64]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

fn softmax_in_place(z: &mut [f64]) {
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        let d = *v - max;
        // Below −700 the term is 0 to f64 precision; a comparison keeps NaN visible.
        *v = fastmath::exp(if d < -700.0 { -700.0 } else { d });
        sum += *v;
    }
    for v in z.iter_mut() {
        *v /= sum;
    }
}

/// A trained network as data (hyperparameters and weights): what files store and what the
/// common model interface (`super::Model`) predicts with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MlpModel {
    pub params: MlpParams,
    pub theta: Vec<f64>,
}

/// The optimiser's memory (momentum velocity, Adam's moments and bias corrections, the update
/// count): with it, training restored from a file goes on exactly as if never stopped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OptimizerState {
    pub moment1: Vec<f64>,
    pub moment2: Vec<f64>,
    pub beta1_power: f64,
    pub beta2_power: f64,
    pub updates: u64,
}

impl Mlp {
    pub fn optimizer_state(&self) -> OptimizerState {
        OptimizerState {
            moment1: self.moment1.clone(),
            moment2: self.moment2.clone(),
            beta1_power: self.beta1_power,
            beta2_power: self.beta2_power,
            updates: self.updates,
        }
    }

    /// Restores the optimiser's memory; refused (unchanged) when it is for another network.
    pub fn set_optimizer_state(&mut self, state: &OptimizerState) -> Result<(), ParamError> {
        let n = self.theta.len();
        if state.moment1.len() != n || state.moment2.len() != n {
            return Err(ParamError {
                field: "optimizer",
                message: format!("expected {n} optimiser values for this network, got {}", state.moment1.len()),
            });
        }
        self.moment1.copy_from_slice(&state.moment1);
        self.moment2.copy_from_slice(&state.moment2);
        (self.beta1_power, self.beta2_power, self.updates) = (state.beta1_power, state.beta2_power, state.updates);
        Ok(())
    }

    pub fn to_model(&self) -> MlpModel {
        MlpModel { params: self.params.clone(), theta: self.theta().to_vec() }
    }

    /// Rebuilds a network from stored weights (checked against the hyperparameters).
    pub fn from_model(model: &MlpModel) -> Result<Mlp, ParamError> {
        let mut net = Mlp::new(model.params.clone().check()?);
        if net.theta.len() != model.theta.len() {
            return Err(ParamError {
                field: "theta",
                message: format!("expected {} weights for this network, got {}", net.theta.len(), model.theta.len()),
            });
        }
        net.theta_mut().copy_from_slice(&model.theta);
        Ok(net)
    }

    /// Output layer for every row of `x` (rows × outputs).
    pub fn outputs(&mut self, x: ArrayView2<f64>) -> ndarray::Array2<f64> {
        let units = *self.sizes.last().unwrap_or(&1);
        let rows: Vec<f64> = x.iter().copied().collect();
        let f = self.params.inputs.max(1);
        let mut out = ndarray::Array2::zeros((x.nrows(), units));
        let last = self.sizes.len() - 1;
        for (c, chunk) in rows.chunks(CHUNK_ROWS * f).enumerate() {
            let done = self.forward_rows(chunk);
            for r in 0..done {
                for u in 0..units {
                    out[[c * CHUNK_ROWS + r, u]] = self.acts[last][r * units + u];
                }
            }
        }
        out
    }
}

/// Trains a network on all rows of `data` for `epochs` epochs (mini-batches in a seeded
/// shuffled order), as the playground does without a test split.
pub fn fit(params: MlpParams, data: &super::Data, epochs: u32) -> Result<MlpModel, ParamError> {
    let mut params = params;
    params.inputs = data.x.ncols();
    params.output = match data.task {
        crate::data::Task::Classification { classes } => Output::Softmax { classes },
        crate::data::Task::Regression => Output::Linear,
    };
    let mut net = Mlp::new(params.check()?);
    let xs: Vec<f64> = data.x.iter().copied().collect();
    let mut order: Vec<usize> = (0..data.y.len()).collect();
    let mut rng = Rng::new(net.params.seed, Purpose::Shuffle);
    let batch = net.params.batch_size;
    for _ in 0..epochs {
        rng.shuffle(&mut order);
        for rows in order.chunks(batch) {
            net.train_batch(&xs, data.y, rows);
        }
    }
    Ok(net.to_model())
}

impl super::Model for MlpModel {
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let Ok(mut net) = Mlp::from_model(self) else { return vec![f64::NAN; x.nrows()] };
        let out = net.outputs(x);
        match self.params.output {
            Output::Softmax { .. } => super::argmax_rows(&out),
            Output::Linear => out.column(0).to_vec(),
        }
    }
    fn predict_proba(&self, x: ArrayView2<f64>) -> Option<ndarray::Array2<f64>> {
        match self.params.output {
            Output::Softmax { .. } => Mlp::from_model(self).ok().map(|mut net| net.outputs(x)),
            Output::Linear => None,
        }
    }
}

#[cfg(test)]
mod tests;
