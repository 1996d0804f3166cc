//! Support vector machines: C-SVC with Platt-scaled probabilities (one-vs-rest for three or
//! more classes) and epsilon-SVR, solved by libsvm's SMO. Kernels are scikit-learn's: linear
//! x·x', RBF exp(−γ‖x−x'‖²) and polynomial (γ x·x' + 1)^d.
//!
//! Written here rather than with linfa-svm: its kernel matrix and Platt scaling use the
//! platform's `exp` and `ln`, so the same link gave other last bits in wasm than natively.
//! The solver below is libsvm's (Fan, Chen & Lin 2005: second-order working-set selection,
//! no shrinking) with the portable `fastmath::exp` and libm, in a fixed order.

use super::fastmath;
use super::schema::{choice, int, log_float, Setting};
use super::{param_error, Data, Model, ParamError};
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// Most training rows a kernel machine takes: the solver holds the n × n kernel matrix in
/// memory (2,500 rows: 50 MB) and its time grows faster than n².
pub const MAX_ROWS: usize = 2_500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kernel {
    Linear,
    Rbf,
    Poly,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SvmParams {
    pub kernel: Kernel,
    pub c: f64,
    pub gamma: f64,
    pub degree: usize,
}

impl Default for SvmParams {
    fn default() -> Self {
        SvmParams { kernel: Kernel::Rbf, c: 1.0, gamma: 0.5, degree: 3 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SvrParams {
    pub kernel: Kernel,
    pub c: f64,
    pub gamma: f64,
    pub degree: usize,
    pub epsilon: f64,
}

impl Default for SvrParams {
    fn default() -> Self {
        SvrParams { kernel: Kernel::Rbf, c: 1.0, gamma: 0.5, degree: 3, epsilon: 0.1 }
    }
}

const KERNEL: Setting =
    choice("kernel", "Kernel", &["linear", "rbf", "poly"], "Linear: a straight boundary; RBF and poly bend it.");
const C: Setting = log_float("c", "C", 1e-3, 1e4, "Cost of a point on the wrong side: large C fits tighter.");
const GAMMA: Setting =
    log_float("gamma", "Gamma", 1e-3, 100.0, "Reach of one point (RBF, poly): large gamma gives wigglier shapes.");
const DEGREE: Setting = int("degree", "Degree", 1, 6, "Power of the polynomial kernel.");

pub const SVM_SETTINGS: &[Setting] = &[KERNEL, C, GAMMA, DEGREE];
pub const SVR_SETTINGS: &[Setting] = &[
    KERNEL,
    C,
    GAMMA,
    DEGREE,
    log_float("epsilon", "Epsilon", 1e-4, 10.0, "Half-width of the tube in which errors cost nothing."),
];

/// The kernel with its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KernelFn {
    kernel: Kernel,
    gamma: f64,
    degree: usize,
}

impl KernelFn {
    fn eval(&self, a: &[f64], b: &[f64]) -> f64 {
        match self.kernel {
            Kernel::Linear => dot(a, b),
            Kernel::Rbf => {
                let squared: f64 = a.iter().zip(b).map(|(p, q)| (p - q) * (p - q)).sum();
                fastmath::exp((-self.gamma * squared).max(-700.0))
            }
            // Repeated products rather than `powi`, whose rounding is the platform's.
            Kernel::Poly => (0..self.degree).fold(1.0, |power, _| power * (self.gamma * dot(a, b) + 1.0)),
        }
    }

    /// The n × n kernel matrix of the rows of `x` (row-major), the upper triangle mirrored.
    fn matrix(&self, x: &[f64], n: usize, d: usize) -> Vec<f64> {
        let mut k = vec![0.0; n * n];
        for i in 0..n {
            for j in i..n {
                let v = self.eval(&x[i * d..(i + 1) * d], &x[j * d..(j + 1) * d]);
                k[i * n + j] = v;
                k[j * n + i] = v;
            }
        }
        k
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(p, q)| p * q).sum()
}

fn check_rows(n: usize) -> Result<(), ParamError> {
    if n > MAX_ROWS {
        return param_error(
            "data",
            format!("kernel machines here take at most {MAX_ROWS} training rows (the kernel matrix grows with the square); got {n}: lower the samples or the train share"),
        );
    }
    Ok(())
}

/// libsvm's default stopping tolerance on the KKT gap (scikit-learn's `tol`).
const TOLERANCE: f64 = 1e-3;
/// Stands in for a non-positive curvature in the working-set choice (libsvm's TAU).
const TAU: f64 = 1e-12;
/// SMO iterations one Trainer iteration runs on each machine: about a frame's work on the
/// largest sets, so the page animates the fit and is never blocked for long.
pub const SMO_PER_STEP: usize = 1_000;
/// Trainer iterations of a fit: at most `STEPS × SMO_PER_STEP` SMO iterations per machine.
/// Each costs O(n); a problem that needs more (a huge C on overlapping classes) stops there
/// with a usable machine.
pub const STEPS: usize = 100;

/// The dual problem min ½αᵀQα + pᵀα subject to yᵀα = 0 and 0 ≤ α ≤ C, with
/// Q_ij = y_i·y_j·K(i mod n, j mod n) (C-SVC has one variable per row, epsilon-SVR two),
/// and the solver's state: α and the gradient G = Qα + p.
#[derive(Debug, Clone)]
struct Dual {
    y: Vec<f64>,
    c: f64,
    alpha: Vec<f64>,
    gradient: Vec<f64>,
    converged: bool,
}

impl Dual {
    /// The problem with linear term `p`, from α = 0 (where G = p).
    fn new(y: Vec<f64>, p: Vec<f64>, c: f64) -> Dual {
        Dual { alpha: vec![0.0; y.len()], gradient: p, y, c, converged: false }
    }

    /// Up to `iterations` SMO iterations (libsvm's): pick the pair that violates the
    /// optimality conditions most (second-order choice of the partner), solve for those two
    /// analytically, update the gradient; converged when the largest violation is under the
    /// tolerance. `kernel` is the n × n kernel matrix.
    fn run(&mut self, kernel: &[f64], n: usize, iterations: usize) {
        let (l, c) = (self.y.len(), self.c);
        let row = |i: usize| &kernel[(i % n) * n..(i % n + 1) * n];
        let diagonal = |t: usize| kernel[(t % n) * (n + 1)];
        let upper = |a: f64| a >= c;
        let lower = |a: f64| a <= 0.0;
        let (y, alpha, gradient) = (&self.y, &mut self.alpha, &mut self.gradient);
        for _ in 0..iterations {
            if self.converged {
                return;
            }
            // i: the largest −y·G among the variables that may move up.
            let (mut g_max, mut i) = (f64::NEG_INFINITY, usize::MAX);
            for t in 0..l {
                let candidate = if y[t] > 0.0 { !upper(alpha[t]) } else { !lower(alpha[t]) };
                if candidate && -y[t] * gradient[t] >= g_max {
                    g_max = -y[t] * gradient[t];
                    i = t;
                }
            }
            if i == usize::MAX {
                self.converged = true;
                return;
            }
            // j: among those that may move down, the one whose pairing with i lowers the
            // objective most (second-order); g_max2 measures the remaining violation.
            let row_i = row(i);
            let (mut g_max2, mut j, mut best) = (f64::NEG_INFINITY, usize::MAX, f64::INFINITY);
            for t in 0..l {
                let candidate = if y[t] > 0.0 { !lower(alpha[t]) } else { !upper(alpha[t]) };
                if !candidate {
                    continue;
                }
                let violation = y[t] * gradient[t];
                g_max2 = g_max2.max(violation);
                let difference = g_max + violation;
                if difference > 0.0 {
                    let curvature = diagonal(i) + diagonal(t) - 2.0 * row_i[t % n];
                    let gain = -(difference * difference) / if curvature > 0.0 { curvature } else { TAU };
                    if gain <= best {
                        best = gain;
                        j = t;
                    }
                }
            }
            if g_max + g_max2 < TOLERANCE || j == usize::MAX {
                self.converged = true;
                return;
            }
            let (old_i, old_j) = (alpha[i], alpha[j]);
            let q_ij = y[i] * y[j] * row_i[j % n];
            if y[i] != y[j] {
                let curvature = (diagonal(i) + diagonal(j) + 2.0 * q_ij).max(TAU);
                let delta = (-gradient[i] - gradient[j]) / curvature;
                let diff = alpha[i] - alpha[j];
                alpha[i] += delta;
                alpha[j] += delta;
                if diff > 0.0 {
                    if alpha[j] < 0.0 {
                        alpha[j] = 0.0;
                        alpha[i] = diff;
                    }
                } else if alpha[i] < 0.0 {
                    alpha[i] = 0.0;
                    alpha[j] = -diff;
                }
                if diff > 0.0 {
                    if alpha[i] > c {
                        alpha[i] = c;
                        alpha[j] = c - diff;
                    }
                } else if alpha[j] > c {
                    alpha[j] = c;
                    alpha[i] = c + diff;
                }
            } else {
                let curvature = (diagonal(i) + diagonal(j) - 2.0 * q_ij).max(TAU);
                let delta = (gradient[i] - gradient[j]) / curvature;
                let sum = alpha[i] + alpha[j];
                alpha[i] -= delta;
                alpha[j] += delta;
                if sum > c {
                    if alpha[i] > c {
                        alpha[i] = c;
                        alpha[j] = sum - c;
                    }
                } else if alpha[j] < 0.0 {
                    alpha[j] = 0.0;
                    alpha[i] = sum;
                }
                if sum > c {
                    if alpha[j] > c {
                        alpha[j] = c;
                        alpha[i] = sum - c;
                    }
                } else if alpha[i] < 0.0 {
                    alpha[i] = 0.0;
                    alpha[j] = sum;
                }
            }
            let (step_i, step_j) = ((alpha[i] - old_i) * y[i], (alpha[j] - old_j) * y[j]);
            let row_j = row(j);
            for t in 0..l {
                let k = t % n;
                gradient[t] += y[t] * (row_i[k] * step_i + row_j[k] * step_j);
            }
        }
    }

    /// ρ: the mean of y·G over the free variables, else the middle of its bounds (the
    /// decision is Σ y_i·α_i·K(x_i, x) − ρ).
    fn rho(&self) -> f64 {
        let (mut free, mut sum, mut ub, mut lb) = (0usize, 0.0, f64::INFINITY, f64::NEG_INFINITY);
        for t in 0..self.y.len() {
            let (y, a) = (self.y[t], self.alpha[t]);
            let yg = y * self.gradient[t];
            if a >= self.c {
                if y < 0.0 {
                    ub = ub.min(yg);
                } else {
                    lb = lb.max(yg);
                }
            } else if a <= 0.0 {
                if y > 0.0 {
                    ub = ub.min(yg);
                } else {
                    lb = lb.max(yg);
                }
            } else {
                free += 1;
                sum += yg;
            }
        }
        if free > 0 {
            sum / free as f64
        } else {
            (ub + lb) / 2.0
        }
    }
}

/// A fit in progress, resumable a Trainer iteration at a time: the kernel matrix (shared by
/// clones: 50 MB at the row cap) and each machine's dual problem.
#[derive(Debug, Clone)]
pub struct Solving {
    kernel: KernelFn,
    /// The training rows, row after row, and their count and width.
    x: Vec<f64>,
    n: usize,
    d: usize,
    matrix: std::sync::Arc<Vec<f64>>,
    duals: Vec<Dual>,
    /// The number of classes (0 for the regressor).
    classes: usize,
}

impl Solving {
    fn start(kernel: KernelFn, data: &Data) -> Result<Solving, ParamError> {
        let (n, d) = data.x.dim();
        check_rows(n)?;
        let x: Vec<f64> = data.x.iter().copied().collect();
        let matrix = std::sync::Arc::new(kernel.matrix(&x, n, d));
        Ok(Solving { kernel, x, n, d, matrix, duals: Vec::new(), classes: 0 })
    }

    /// C-SVC: one machine for "class 1" with two classes, else one per class ("this class").
    pub fn classifier(p: &SvmParams, data: &Data) -> Result<Solving, ParamError> {
        let mut s = Solving::start(KernelFn { kernel: p.kernel, gamma: p.gamma, degree: p.degree }, data)?;
        s.classes = data.classes();
        let labels = data.labels();
        let positives: Vec<usize> = if s.classes == 2 { vec![1] } else { (0..s.classes).collect() };
        for c in positives {
            let y: Vec<f64> = labels.iter().map(|&l| if l == c { 1.0 } else { -1.0 }).collect();
            if y.iter().all(|&v| v > 0.0) || y.iter().all(|&v| v < 0.0) {
                return param_error(
                    "data",
                    "every class needs training rows on both sides: some class is missing from the training rows",
                );
            }
            s.duals.push(Dual::new(y, vec![-1.0; s.n], p.c));
        }
        Ok(s)
    }

    /// Epsilon-SVR: two variables per row, α⁺ (y = +1, p = ε − target) and α⁻ (y = −1,
    /// p = ε + target).
    pub fn regressor(p: &SvrParams, data: &Data) -> Result<Solving, ParamError> {
        let mut s = Solving::start(KernelFn { kernel: p.kernel, gamma: p.gamma, degree: p.degree }, data)?;
        let n = s.n;
        let y: Vec<f64> = (0..2 * n).map(|t| if t < n { 1.0 } else { -1.0 }).collect();
        let linear: Vec<f64> =
            (0..2 * n).map(|t| if t < n { p.epsilon - data.y[t] } else { p.epsilon + data.y[t - n] }).collect();
        s.duals.push(Dual::new(y, linear, p.c));
        Ok(s)
    }

    /// `steps` more Trainer iterations: `SMO_PER_STEP` SMO iterations of each machine.
    pub fn run(&mut self, steps: usize) {
        for dual in &mut self.duals {
            dual.run(&self.matrix, self.n, steps.saturating_mul(SMO_PER_STEP));
        }
    }

    /// Whether every machine meets the optimality conditions (within the tolerance).
    pub fn converged(&self) -> bool {
        self.duals.iter().all(|d| d.converged)
    }

    /// The machines as they stand.
    pub fn classifier_now(&self) -> SvmClassifier {
        let machines = self
            .duals
            .iter()
            .map(|dual| {
                let rho = dual.rho();
                let coefficients: Vec<f64> = dual.alpha.iter().zip(&dual.y).map(|(a, y)| a * y).collect();
                let mut machine = Machine::new(&self.kernel, &self.x, self.d, &coefficients, rho);
                // Each training row's decision, read off the gradient: G = y·Σ coef·K − 1.
                let decisions: Vec<f64> = dual.gradient.iter().zip(&dual.y).map(|(g, y)| y * (g + 1.0) - rho).collect();
                let positive: Vec<bool> = dual.y.iter().map(|&y| y > 0.0).collect();
                machine.platt = Some(platt(&decisions, &positive));
                machine
            })
            .collect();
        SvmClassifier { kernel: self.kernel, features: self.d, machines, classes: self.classes }
    }

    /// The regressor as it stands.
    pub fn regressor_now(&self) -> SvmRegressor {
        let dual = &self.duals[0];
        let coefficients: Vec<f64> = (0..self.n).map(|i| dual.alpha[i] - dual.alpha[i + self.n]).collect();
        let machine = Machine::new(&self.kernel, &self.x, self.d, &coefficients, dual.rho());
        SvmRegressor { kernel: self.kernel, features: self.d, machine }
    }
}

/// One fitted machine: decision(x) = Σ wᵢ·K(sᵢ, x) − ρ over its support vectors sᵢ (for the
/// linear kernel the sum is folded into one vector w, with weight 1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// Support vectors (or w), row after row, one number per feature.
    vectors: Vec<f64>,
    weights: Vec<f64>,
    rho: f64,
    /// How many training rows are support vectors.
    support: usize,
    /// Platt's (a, b): P(positive) = 1 / (1 + exp(a·decision + b)). Classifiers only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    platt: Option<(f64, f64)>,
}

impl Machine {
    /// The machine of the training rows `x` (n × d, row-major) whose coefficients y·α are
    /// `coefficients` (zero for rows that are not support vectors).
    fn new(kernel: &KernelFn, x: &[f64], d: usize, coefficients: &[f64], rho: f64) -> Machine {
        let support: Vec<usize> = (0..coefficients.len()).filter(|&i| coefficients[i] != 0.0).collect();
        let (vectors, weights) = if kernel.kernel == Kernel::Linear {
            let mut w = vec![0.0; d];
            for &i in &support {
                w.iter_mut().zip(&x[i * d..(i + 1) * d]).for_each(|(w, v)| *w += coefficients[i] * v);
            }
            (w, vec![1.0])
        } else {
            (
                support.iter().flat_map(|&i| x[i * d..(i + 1) * d].iter().copied()).collect(),
                support.iter().map(|&i| coefficients[i]).collect(),
            )
        };
        Machine { vectors, weights, rho, support: support.len(), platt: None }
    }

    fn decision(&self, kernel: &KernelFn, row: &[f64]) -> f64 {
        let d = row.len();
        let sum: f64 =
            self.weights.iter().enumerate().map(|(i, w)| w * kernel.eval(&self.vectors[i * d..(i + 1) * d], row)).sum();
        sum - self.rho
    }

    /// Whether its arrays fit `features` (a hand-edited file must not make a prediction
    /// read past them).
    fn fits(&self, features: usize) -> bool {
        self.vectors.len() == self.weights.len() * features
            && self.vectors.iter().chain(&self.weights).chain([&self.rho]).all(|v| v.is_finite())
    }

    fn probability(&self, decision: f64) -> f64 {
        let (a, b) = self.platt.unwrap_or((-1.0, 0.0));
        let f = a * decision + b;
        if f >= 0.0 {
            let e = fastmath::exp((-f).max(-700.0));
            e / (1.0 + e)
        } else {
            1.0 / (1.0 + fastmath::exp(f.max(-700.0)))
        }
    }
}

/// Platt's sigmoid fitted to the decision values by Newton's method with backtracking (Lin,
/// Lin & Weng 2007), with the prior-corrected targets (N₊+1)/(N₊+2) and 1/(N₋+2).
fn platt(decisions: &[f64], positive: &[bool]) -> (f64, f64) {
    let pos = positive.iter().filter(|&&p| p).count() as f64;
    let neg = positive.len() as f64 - pos;
    let (hi, lo) = ((pos + 1.0) / (pos + 2.0), 1.0 / (neg + 2.0));
    let targets: Vec<f64> = positive.iter().map(|&p| if p { hi } else { lo }).collect();
    // −log-likelihood of (a, b), each term written so exp never overflows.
    let cost = |a: f64, b: f64| -> f64 {
        decisions
            .iter()
            .zip(&targets)
            .map(|(&f, &t)| {
                let z = f * a + b;
                if z >= 0.0 {
                    t * z + libm::log1p(fastmath::exp((-z).max(-700.0)))
                } else {
                    (t - 1.0) * z + libm::log1p(fastmath::exp(z.max(-700.0)))
                }
            })
            .sum()
    };
    let (mut a, mut b) = (0.0, libm::log((neg + 1.0) / (pos + 1.0)));
    let mut value = cost(a, b);
    let small = 1e-5 * decisions.len() as f64;
    for _ in 0..100 {
        let (mut h11, mut h22, mut h21, mut g1, mut g2) = (1e-12, 1e-12, 0.0, 0.0, 0.0);
        for (&f, &t) in decisions.iter().zip(&targets) {
            let z = f * a + b;
            let (p, q) = if z >= 0.0 {
                let e = fastmath::exp((-z).max(-700.0));
                (e / (1.0 + e), 1.0 / (1.0 + e))
            } else {
                let e = fastmath::exp(z.max(-700.0));
                (1.0 / (1.0 + e), e / (1.0 + e))
            };
            let d2 = p * q;
            h11 += f * f * d2;
            h22 += d2;
            h21 += f * d2;
            let d1 = t - p;
            g1 += f * d1;
            g2 += d1;
        }
        if g1.abs() < small && g2.abs() < small {
            break;
        }
        let det = h11 * h22 - h21 * h21;
        let (da, db) = (-(h22 * g1 - h21 * g2) / det, -(-h21 * g1 + h11 * g2) / det);
        let slope = g1 * da + g2 * db;
        let mut step = 1.0;
        while step >= 1e-10 {
            let (na, nb) = (a + step * da, b + step * db);
            let new_value = cost(na, nb);
            if new_value < value + 1e-4 * step * slope {
                (a, b, value) = (na, nb, new_value);
                break;
            }
            step /= 2.0;
        }
        if step < 1e-10 {
            break;
        }
    }
    (a, b)
}

/// One binary machine per class (or one for two classes), each with Platt probabilities.
/// Model files are read by `read_classifier`, which also takes linfa-era ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SvmClassifier {
    kernel: KernelFn,
    features: usize,
    /// For two classes, one machine for "class 1"; otherwise one per class ("this class").
    machines: Vec<Machine>,
    classes: usize,
}

/// The classifier after `steps` Trainer iterations (all of them: `STEPS`).
pub fn fit_svm(p: &SvmParams, data: &Data, steps: usize) -> Result<SvmClassifier, ParamError> {
    let mut s = Solving::classifier(p, data)?;
    s.run(steps);
    Ok(s.classifier_now())
}

impl SvmClassifier {
    pub fn support_vectors(&self) -> usize {
        self.machines.iter().map(|m| m.support).sum()
    }

    fn class_of(&self, d: &[f64]) -> f64 {
        if self.classes == 2 {
            (d[0] >= 0.0) as u8 as f64
        } else {
            super::mlp::argmax(d) as f64
        }
    }

    /// Row `i` of the probabilities from each machine's Platt probability.
    fn write_proba(&self, ps: &[f64], out: &mut Array2<f64>, i: usize) {
        if self.classes == 2 {
            out[[i, 1]] = ps[0];
            out[[i, 0]] = 1.0 - ps[0];
        } else {
            let total: f64 = ps.iter().sum::<f64>().max(f64::MIN_POSITIVE);
            for (c, p) in ps.iter().enumerate() {
                out[[i, c]] = p / total;
            }
        }
    }
}

/// The rows of `x` as one flat slice (copied only if the view is not contiguous), or None if
/// they have another number of features than the model was fitted on.
fn rows_of(x: ArrayView2<'_, f64>, features: usize) -> Option<std::borrow::Cow<'_, [f64]>> {
    (x.ncols() == features).then(|| super::flat_rows(x))
}

impl Model for SvmClassifier {
    fn describe(&self, _names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        let m = self;
        let id = lang == crate::lang::Lang::Id;
        let mut lines = Vec::new();
        lines.push(if id {
            format!("{} support vector menahan batas keputusan.", m.support_vectors())
        } else {
            format!("{} support vectors hold the boundary.", m.support_vectors())
        });
        lines
    }
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        self.predict_with_proba(x).0
    }

    fn predict_proba(&self, x: ArrayView2<f64>) -> Option<Array2<f64>> {
        self.predict_with_proba(x).1
    }

    fn predict_with_proba(&self, x: ArrayView2<f64>) -> (Vec<f64>, Option<Array2<f64>>) {
        let Some(rows) = rows_of(x, self.features) else {
            return (vec![0.0; x.nrows()], None);
        };
        let mut out = Array2::zeros((x.nrows(), self.classes));
        let mut predicted = Vec::with_capacity(x.nrows());
        for i in 0..x.nrows() {
            let r = &rows[i * self.features..(i + 1) * self.features];
            let d: Vec<f64> = self.machines.iter().map(|m| m.decision(&self.kernel, r)).collect();
            predicted.push(self.class_of(&d));
            let ps: Vec<f64> = d.iter().zip(&self.machines).map(|(&d, m)| m.probability(d)).collect();
            self.write_proba(&ps, &mut out, i);
        }
        (predicted, Some(out))
    }
}

/// Model files are read by `read_regressor`, which also takes linfa-era ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SvmRegressor {
    kernel: KernelFn,
    features: usize,
    machine: Machine,
}

/// The regressor after `steps` Trainer iterations (all of them: `STEPS`).
pub fn fit_svr(p: &SvrParams, data: &Data, steps: usize) -> Result<SvmRegressor, ParamError> {
    let mut s = Solving::regressor(p, data)?;
    s.run(steps);
    Ok(s.regressor_now())
}

impl SvmRegressor {
    pub fn support_vectors(&self) -> usize {
        self.machine.support
    }
}

impl Model for SvmRegressor {
    fn describe(&self, _names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        let m = self;
        let id = lang == crate::lang::Lang::Id;
        let mut lines = Vec::new();
        lines.push(if id {
            format!("{} support vector terletak pada atau di luar tabung.", m.support_vectors())
        } else {
            format!("{} support vectors lie on or outside the tube.", m.support_vectors())
        });
        lines
    }
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        match rows_of(x, self.features) {
            Some(rows) => (0..x.nrows())
                .map(|i| self.machine.decision(&self.kernel, &rows[i * self.features..(i + 1) * self.features]))
                .collect(),
            None => vec![0.0; x.nrows()],
        }
    }
}

/// A classifier's model file: this module's form or linfa-svm's, checked before use.
pub fn read_classifier<'de, D: serde::Deserializer<'de>>(d: D) -> Result<SvmClassifier, D::Error> {
    let m = super::read_current_or_linfa(d, legacy::Classifier::into_current)?;
    let machines = if m.classes == 2 { 1 } else { m.classes };
    if m.classes < 2 || m.machines.len() != machines || !m.machines.iter().all(|x| x.fits(m.features)) {
        return Err(serde::de::Error::custom(format!(
            "this support vector machine's file is inconsistent: {} classes, {} machines, or support vectors that do not have {} features",
            m.classes,
            m.machines.len(),
            m.features
        )));
    }
    Ok(m)
}

/// A regressor's model file: this module's form or linfa-svm's, checked before use.
pub fn read_regressor<'de, D: serde::Deserializer<'de>>(d: D) -> Result<SvmRegressor, D::Error> {
    let m = super::read_current_or_linfa(d, legacy::Regressor::into_current)?;
    if !m.machine.fits(m.features) {
        return Err(serde::de::Error::custom(format!(
            "this support vector regressor's file is inconsistent: support vectors that do not have {} features",
            m.features
        )));
    }
    Ok(m)
}

/// Model files written when linfa-svm fitted the machines (before this module's solver):
/// the same kernels, its support vectors and coefficients in its own serde form.
mod legacy {
    use super::{Kernel, KernelFn, Machine, SvmClassifier, SvmRegressor};
    use serde::Deserialize;

    /// ndarray's serde form of an array: its shape and its elements in row-major order.
    #[derive(Deserialize)]
    struct Array {
        dim: Vec<usize>,
        data: Vec<f64>,
    }

    #[derive(Deserialize)]
    enum Hyperplane {
        Linear(Array),
        WeightedCombination(Array),
    }

    #[derive(Deserialize)]
    struct LinfaSvm {
        alpha: Vec<f64>,
        rho: f64,
        sep_hyperplane: Hyperplane,
        #[serde(default)]
        probability_coeffs: Option<(f64, f64)>,
    }

    #[derive(Deserialize)]
    struct Spec {
        kernel: Kernel,
        gamma: f64,
        degree: usize,
    }

    #[derive(Deserialize)]
    pub struct Classifier {
        spec: Spec,
        machines: Vec<LinfaSvm>,
        classes: usize,
    }

    #[derive(Deserialize)]
    pub struct Regressor {
        spec: Spec,
        machine: LinfaSvm,
    }

    impl Spec {
        fn kernel(&self) -> KernelFn {
            KernelFn { kernel: self.kernel, gamma: self.gamma, degree: self.degree }
        }
    }

    impl LinfaSvm {
        /// This machine in the current form, and its number of features.
        fn convert(self, spec: &Spec) -> Result<(Machine, usize), String> {
            // linfa pairs the support vectors with the coefficients above its threshold, in order.
            let kept: Vec<f64> = self.alpha.iter().copied().filter(|a| a.abs() > 100.0 * f64::EPSILON).collect();
            let (vectors, weights, features) = match self.sep_hyperplane {
                Hyperplane::Linear(w) if w.dim.len() == 1 && w.data.len() == w.dim[0] => {
                    let d = w.data.len();
                    (w.data, vec![1.0], d)
                }
                Hyperplane::WeightedCombination(sv) if sv.dim.len() == 2 && sv.data.len() == sv.dim[0] * sv.dim[1] => {
                    let (m, d) = (sv.dim[0].min(kept.len()), sv.dim[1]);
                    // linfa's polynomial machines saw inputs scaled by √γ; this kernel takes γ itself.
                    let scale = if spec.kernel == Kernel::Poly { 1.0 / libm::sqrt(spec.gamma) } else { 1.0 };
                    (sv.data[..m * d].iter().map(|v| v * scale).collect(), kept[..m].to_vec(), d)
                }
                _ => return Err("a linfa-era support vector machine whose arrays do not match their shapes".into()),
            };
            let machine =
                Machine { vectors, weights, rho: self.rho, support: kept.len(), platt: self.probability_coeffs };
            Ok((machine, features))
        }
    }

    impl Classifier {
        pub fn into_current(self) -> Result<SvmClassifier, String> {
            let mut features = 0;
            let mut machines = Vec::with_capacity(self.machines.len());
            for m in self.machines {
                let (machine, d) = m.convert(&self.spec)?;
                features = d;
                machines.push(machine);
            }
            Ok(SvmClassifier { kernel: self.spec.kernel(), features, machines, classes: self.classes })
        }
    }

    impl Regressor {
        pub fn into_current(self) -> Result<SvmRegressor, String> {
            let (machine, features) = self.machine.convert(&self.spec)?;
            Ok(SvmRegressor { kernel: self.spec.kernel(), features, machine })
        }
    }
}

#[cfg(test)]
mod tests;
