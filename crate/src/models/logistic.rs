//! Logistic regression: binary for two classes, multinomial (softmax) for more. It minimises
//! the summed log-loss plus alpha/2·‖w‖² (intercepts not penalised) with L-BFGS, one iteration
//! per Trainer step; Latih exposes scikit-learn's C = 1/alpha, so the same C gives the same
//! model in both.
//!
//! Written here rather than with linfa-logistic, whose L-BFGS cannot be resumed (each frame of
//! the animation refitted from scratch), whose cost and gradient each recompute the
//! probabilities with the platform's `exp` and `ln` (so wasm and native could stop after
//! different iterations), and which spent most of its time in those calls. Here one pass over
//! the rows gives cost and gradient, with the portable `fastmath::exp` and libm's logarithms.

use super::fastmath;
use super::lbfgs::{Lbfgs, Outcome};
use super::schema::{int, log_float, Setting};
use super::{param_error, Data, Model, ParamError};
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogisticParams {
    /// Inverse regularisation strength (larger: weaker penalty on the weights).
    pub c: f64,
    /// L-BFGS iterations; each is one step of the animation.
    pub iters: usize,
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams { c: 1.0, iters: 100 }
    }
}

pub const SETTINGS: &[Setting] = &[
    log_float("c", "C", 1e-4, 1e4, "Inverse regularisation: small C keeps the weights small (smoother)."),
    int("iters", "Iterations", 1, 1000, "L-BFGS iterations; each frame of the animation is one."),
];

/// The fit has converged when no weight's gradient of the mean loss exceeds this: the weights
/// are then within about 1e-8 of the optimum, far below anything shown or compared.
const GRADIENT_TOLERANCE: f64 = 1e-9;

/// A fitted logistic regression. Model files are read by `read`, which checks them and also
/// takes linfa-era ones.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Logistic {
    /// Classes in the task (probabilities have this many columns).
    classes: usize,
    features: usize,
    /// The classes the weights speak for: the higher class of two (binary: one row of
    /// weights, its log-odds), or every class present in training (multinomial).
    modelled: Vec<usize>,
    /// The class a binary model's probability is the complement of.
    #[serde(default)]
    negative: Option<usize>,
    /// One row per modelled class, `features` weights then the intercept.
    weights: Vec<f64>,
    /// L-BFGS iterations done, and whether the last of them met the convergence test.
    #[serde(default)]
    iterations: usize,
    #[serde(default)]
    converged: bool,
    /// The minimiser, kept so that the next steps continue the same run. Not saved: a model
    /// read from a file that trains on starts a fresh history from its weights.
    #[serde(skip)]
    solver: Option<Box<Lbfgs>>,
}

/// Each modelled class's score w·x + b for one row (weights rows of `features` then the intercept).
fn scores(weights: &[f64], row: ndarray::ArrayView1<f64>, z: &mut [f64]) {
    let width = row.len() + 1;
    for (zk, wk) in z.iter_mut().zip(weights.chunks_exact(width)) {
        *zk = row.iter().zip(wk).fold(wk[width - 1], |s, (xv, wv)| s + xv * wv);
    }
}

/// Turns scores into e^(z − max z) in place and returns their sum (softmax = each ÷ the sum).
fn softmax_terms(z: &mut [f64]) -> f64 {
    let top = z.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
    z.iter_mut().for_each(|v| *v = fastmath::exp((*v - top).max(-700.0)));
    z.iter().sum()
}

/// The training rows as the cost function reads them.
struct Problem<'a> {
    x: ArrayView2<'a, f64>,
    /// Per row, the index of its class among `modelled` (binary: 1 for the higher class).
    target: Vec<usize>,
    rows: usize,
    alpha: f64,
}

impl Problem<'_> {
    fn width(&self) -> usize {
        self.x.ncols() + 1
    }

    /// log(1 + e^z), without overflow.
    fn softplus(z: f64) -> f64 {
        z.max(0.0) + libm::log1p(fastmath::exp(-z.abs().min(700.0)))
    }

    /// Cost and gradient in one pass over the rows (a fixed order: the same bits everywhere).
    fn eval(&self, w: &[f64], grad: &mut [f64], binary: bool) -> f64 {
        let width = self.width();
        let f = self.x.ncols();
        let outputs = w.len() / width;
        grad.iter_mut().for_each(|g| *g = 0.0);
        let mut cost = 0.0;
        let mut z = vec![0.0; outputs];
        for (i, row) in self.x.rows().into_iter().enumerate() {
            scores(w, row, &mut z);
            let y = self.target[i];
            if binary {
                // y = 1: −log σ(z) = log(1 + e^−z); y = 0: log(1 + e^z).
                let sign = if y == 1 { -1.0 } else { 1.0 };
                cost += Self::softplus(sign * z[0]);
                let residual = fastmath::sigmoid(z[0]) - y as f64;
                Self::accumulate(&mut grad[..width], row, residual);
            } else {
                let total = softmax_terms(&mut z);
                let zy = z[y];
                cost -= libm::log(zy / total);
                for (k, e) in z.iter().enumerate() {
                    let residual = e / total - if k == y { 1.0 } else { 0.0 };
                    Self::accumulate(&mut grad[k * width..(k + 1) * width], row, residual);
                }
            }
        }
        for k in 0..outputs {
            for j in 0..f {
                let v = w[k * width + j];
                cost += 0.5 * self.alpha * v * v;
                grad[k * width + j] += self.alpha * v;
            }
        }
        cost
    }

    fn accumulate(grad: &mut [f64], row: ndarray::ArrayView1<f64>, residual: f64) {
        let f = grad.len() - 1;
        grad[..f].iter_mut().zip(row).for_each(|(g, xv)| *g += residual * xv);
        grad[f] += residual;
    }
}

/// Starts a fit: the classes present, all weights zero (as scikit-learn starts).
pub fn fit(p: &LogisticParams, data: &Data, iterations: usize) -> Result<Logistic, ParamError> {
    let classes = data.classes();
    let labels = data.labels();
    let mut present = labels.clone();
    present.sort_unstable();
    present.dedup();
    if present.len() < 2 {
        return param_error("data", "logistic regression needs at least two classes among the training rows");
    }
    let features = data.x.ncols();
    let (modelled, negative) =
        if present.len() == 2 { (vec![present[1]], Some(present[0])) } else { (present.clone(), None) };
    let model = Logistic {
        classes,
        features,
        weights: vec![0.0; modelled.len() * (features + 1)],
        modelled,
        negative,
        iterations: 0,
        converged: false,
        solver: None,
    };
    continue_fit(model, p, data, iterations)
}

/// Runs L-BFGS iterations until `target` are done or the fit converges.
pub fn continue_fit(
    mut model: Logistic,
    p: &LogisticParams,
    data: &Data,
    target: usize,
) -> Result<Logistic, ParamError> {
    let binary = model.negative.is_some();
    let target_of = |label: usize| -> Option<usize> {
        if binary {
            Some(usize::from(label == model.modelled[0]))
        } else {
            model.modelled.iter().position(|&c| c == label)
        }
    };
    let labels = data.labels();
    let Some(target_rows) = labels.iter().map(|&l| target_of(l)).collect::<Option<Vec<usize>>>() else {
        return param_error("data", "the training rows changed classes since the fit began");
    };
    if data.x.ncols() != model.features {
        return param_error("data", "the training rows changed width since the fit began");
    }
    let problem = Problem { x: data.x, target: target_rows, rows: labels.len(), alpha: 1.0 / p.c };
    let mut eval = |w: &[f64], g: &mut [f64]| problem.eval(w, g, binary);
    let mut solver = match model.solver.take() {
        Some(s) => s,
        None => Box::new(Lbfgs::new(model.weights.clone(), &mut eval)),
    };
    let tolerance = GRADIENT_TOLERANCE * problem.rows as f64;
    model.converged = solver.gradient_max() <= tolerance;
    while model.iterations < target && !model.converged {
        let outcome = solver.step(&mut eval);
        model.iterations += 1;
        model.converged = outcome == Outcome::Stalled || solver.gradient_max() <= tolerance;
    }
    model.weights.clone_from(&solver.x);
    model.solver = Some(solver);
    Ok(model)
}

impl Logistic {
    /// Weights per class (classes × features) and intercepts. Binary models have one row,
    /// for the log-odds of the higher class, as scikit-learn reports them.
    pub fn coefficients(&self) -> (Array2<f64>, ndarray::Array1<f64>) {
        let width = self.features + 1;
        let rows = self.modelled.len();
        let w = Array2::from_shape_fn((rows, self.features), |(k, j)| self.weights[k * width + j]);
        let b = (0..rows).map(|k| self.weights[k * width + self.features]).collect();
        (w, b)
    }

    /// A fitted model read from a file: nothing left to iterate.
    fn from_parts(
        classes: usize,
        features: usize,
        modelled: Vec<usize>,
        negative: Option<usize>,
        weights: Vec<f64>,
    ) -> Logistic {
        Logistic { classes, features, modelled, negative, weights, iterations: 0, converged: true, solver: None }
    }

    /// L-BFGS iterations done.
    pub fn iterations(&self) -> usize {
        self.iterations
    }

    /// Whether the fit met its convergence test (so further iterations would change nothing).
    pub fn converged(&self) -> bool {
        self.converged
    }
}

impl Model for Logistic {
    fn describe(&self, names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        let m = self;
        let id = lang == crate::lang::Lang::Id;
        let mut lines = Vec::new();
        let (w, b) = m.coefficients();
        for (k, row) in w.rows().into_iter().enumerate() {
            let who = match (w.nrows() == 1, id) {
                (true, false) => "log-odds of class 1".to_string(),
                (true, true) => "log-odds kelas 1".to_string(),
                (false, false) => format!("class {k} score"),
                (false, true) => format!("skor kelas {k}"),
            };
            lines.push(format!("{who} = {}", super::words::equation(names, &row.to_vec(), b[k])));
        }
        lines
    }
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        self.predict_proba(x).map(|p| super::argmax_rows(&p)).unwrap_or_default()
    }

    fn predict_proba(&self, x: ArrayView2<f64>) -> Option<Array2<f64>> {
        let mut out = Array2::zeros((x.nrows(), self.classes));
        if x.ncols() != self.features {
            return Some(out);
        }
        let mut z = vec![0.0; self.modelled.len()];
        for (row, mut p) in x.rows().into_iter().zip(out.rows_mut()) {
            scores(&self.weights, row, &mut z);
            if let Some(negative) = self.negative {
                let positive = fastmath::sigmoid(z[0]);
                p[self.modelled[0]] = positive;
                p[negative] = 1.0 - positive;
            } else {
                let total = softmax_terms(&mut z);
                for (&c, e) in self.modelled.iter().zip(&z) {
                    p[c] = e / total;
                }
            }
        }
        Some(out)
    }
}

/// A model file: this module's form or linfa-logistic's (files saved before this module
/// replaced it), checked before use.
pub fn read<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Logistic, D::Error> {
    let m = super::read_current_or_linfa(d, |old: legacy::LinfaLogistic| Ok(old.into_logistic()))?;
    // A hand-edited file may disagree with itself: refuse it here rather than fail later
    // inside a prediction.
    let in_range = m.modelled.iter().chain(&m.negative).all(|&c| c < m.classes);
    let binary_shape = m.negative.is_none() || m.modelled.len() == 1;
    let width = m.features.checked_add(1).and_then(|w| w.checked_mul(m.modelled.len()));
    if !in_range || !binary_shape || m.modelled.is_empty() || width != Some(m.weights.len()) {
        return Err(serde::de::Error::custom("the logistic regression's classes and weights do not fit together"));
    }
    Ok(m)
}

/// linfa-logistic 0.8's serde form, only read.
mod legacy {
    use super::Logistic;
    use serde::Deserialize;

    /// ndarray's serde form of an array: its shape and its elements in row-major order.
    #[derive(Deserialize)]
    pub struct Array {
        dim: Vec<usize>,
        data: Vec<f64>,
    }

    #[derive(Deserialize)]
    pub struct ClassLabel {
        class: usize,
    }

    #[derive(Deserialize)]
    pub struct Labels {
        pos: ClassLabel,
        neg: ClassLabel,
    }

    #[derive(Deserialize)]
    pub struct Binary {
        intercept: f64,
        params: Array,
        labels: Labels,
    }

    #[derive(Deserialize)]
    pub struct Multi {
        intercept: Array,
        /// features × classes
        params: Array,
        classes: Vec<usize>,
    }

    #[derive(Deserialize)]
    pub enum LinfaLogistic {
        Binary { model: Binary, classes: usize },
        Multi { model: Multi, classes: usize },
    }

    impl LinfaLogistic {
        pub fn into_logistic(self) -> Logistic {
            let (classes, features, modelled, negative, weights) = match self {
                LinfaLogistic::Binary { model, classes } => {
                    // linfa models P(pos); this module models the higher class.
                    let (pos, neg) = (model.labels.pos.class, model.labels.neg.class);
                    let sign = if pos > neg { 1.0 } else { -1.0 };
                    let mut weights: Vec<f64> = model.params.data.iter().map(|w| sign * w).collect();
                    let features = weights.len();
                    weights.push(sign * model.intercept);
                    (classes, features, vec![pos.max(neg)], Some(pos.min(neg)), weights)
                }
                LinfaLogistic::Multi { model, classes } => {
                    let k = model.classes.len();
                    let features = model.params.dim.first().copied().unwrap_or(0);
                    let consistent = model.params.dim == [features, k]
                        && features.checked_mul(k) == Some(model.params.data.len())
                        && model.intercept.data.len() == k;
                    if !consistent {
                        // An empty model, which the caller refuses.
                        return Logistic::from_parts(classes, 0, Vec::new(), None, Vec::new());
                    }
                    let mut weights = Vec::with_capacity(k * (features + 1));
                    for c in 0..k {
                        for j in 0..features {
                            weights.push(model.params.data[j * k + c]);
                        }
                        weights.push(model.intercept.data[c]);
                    }
                    (classes, features, model.classes, None, weights)
                }
            };
            Logistic::from_parts(classes, features, modelled, negative, weights)
        }
    }
}

#[cfg(test)]
mod tests;
