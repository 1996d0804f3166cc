//! Support vector machines (linfa-svm): C-SVC with Platt-scaled probabilities, one-vs-rest
//! for three or more classes, and epsilon-SVR. Kernels are scikit-learn's: linear x·x',
//! RBF exp(−γ‖x−x'‖²) (linfa's Gaussian(eps) with eps = 1/γ) and polynomial (γ x·x' + 1)^d
//! (linfa's (x·x' + c)^d on inputs scaled by √γ).

use super::schema::{choice, int, log_float, Setting};
use super::{param_error, Data, Model, ParamError};
use linfa::dataset::Pr;
use linfa::prelude::*;
use linfa_svm::Svm;
use ndarray::{Array1, Array2, ArrayView2};
use serde::{Deserialize, Serialize};

/// Most training rows a kernel machine takes: linfa holds the n × n kernel matrix in memory
/// (2,500 rows: 50 MB) and the solver's time grows faster than n².
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

/// Input scaling and kernel parameters shared by the classifier and the regressor.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct KernelSpec {
    kernel: Kernel,
    gamma: f64,
    degree: usize,
}

impl KernelSpec {
    /// Inputs as the kernel sees them (scaled by √γ for the polynomial kernel).
    fn inputs(&self, x: ArrayView2<f64>) -> Array2<f64> {
        match self.kernel {
            Kernel::Poly => x.mapv(|v| v * libm::sqrt(self.gamma)),
            _ => x.to_owned(),
        }
    }
    fn apply<L>(&self, p: linfa_svm::SvmParams<f64, L>) -> linfa_svm::SvmParams<f64, L> {
        match self.kernel {
            Kernel::Linear => p.linear_kernel(),
            Kernel::Rbf => p.gaussian_kernel(1.0 / self.gamma),
            Kernel::Poly => p.polynomial_kernel(1.0, self.degree as f64),
        }
    }
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

fn fit_error(e: linfa_svm::SvmError) -> ParamError {
    ParamError { field: "model", message: e.to_string() }
}

/// A fitted RBF machine's kernel sum Σ αᵢ·exp(−|sᵢ − x|²/ε), read once from linfa's serde form
/// (it keeps the support vectors private) and computed over flat rows: the same operations in
/// the same order as linfa's `weighted_sum`, so the same bits, without an ndarray view per
/// support vector per row (which cost more than the sum itself in the boundary view).
#[derive(Debug, Clone, PartialEq)]
struct GaussianSum {
    /// Support vectors, row after row, `d` numbers each.
    vectors: Vec<f64>,
    weights: Vec<f64>,
    eps: f64,
    d: usize,
}

impl GaussianSum {
    fn of<T>(m: &Svm<f64, T>) -> Option<GaussianSum>
    where
        Svm<f64, T>: Serialize,
    {
        let v = serde_json::to_value(m).ok()?;
        let eps = v.get("kernel_method")?.get("Gaussian")?.as_f64()?;
        let sv = v.get("sep_hyperplane")?.get("WeightedCombination")?;
        let dim = sv.get("dim")?.as_array()?;
        let (n, d) = (dim.first()?.as_u64()? as usize, dim.get(1)?.as_u64()? as usize);
        let vectors: Vec<f64> =
            sv.get("data")?.as_array()?.iter().map(serde_json::Value::as_f64).collect::<Option<_>>()?;
        if d == 0 || vectors.len() != n * d {
            return None;
        }
        // linfa pairs the support vectors with the weights above its threshold, in order.
        let weights: Vec<f64> = m.alpha.iter().copied().filter(|a| a.abs() > 100.0 * f64::EPSILON).take(n).collect();
        let vectors = vectors[..weights.len() * d].to_vec();
        Some(GaussianSum { vectors, weights, eps, d })
    }

    fn weighted_sum(&self, x: &[f64]) -> f64 {
        self.sum_with(x, f64::exp)
    }

    /// The sum with `fastmath::exp` (relative error below 1e-11, the same bits on every
    /// target): the regressor's predictions, which nothing ties to linfa's bits, and whose
    /// boundary view spends most of its time in `exp`.
    fn weighted_sum_fast(&self, x: &[f64]) -> f64 {
        self.sum_with(x, |e| super::fastmath::exp(if e < -700.0 { -700.0 } else { e }))
    }

    fn sum_with(&self, x: &[f64], exp: impl Fn(f64) -> f64) -> f64 {
        self.vectors
            .chunks_exact(self.d)
            .zip(&self.weights)
            .map(|(s, a)| {
                let distance = s.iter().zip(x).map(|(p, q)| (p - q) * (p - q)).sum::<f64>();
                exp(-distance / self.eps) * a
            })
            .sum()
    }
}

/// Something derived from a model on first use. Not saved and not compared: two models are
/// equal whether or not it was computed yet.
#[derive(Debug, Clone, Default)]
struct Derived<T>(std::sync::OnceLock<T>);

impl<T> PartialEq for Derived<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Each machine's kernel sum for RBF machines (None for the other kernels: linfa's is used).
fn gaussian_sums<T>(machines: &[Svm<f64, T>]) -> Option<Vec<GaussianSum>>
where
    Svm<f64, T>: Serialize,
{
    machines.iter().map(GaussianSum::of).collect()
}

/// One binary machine per class (or one for two classes), each with Platt probabilities.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SvmClassifier {
    spec: KernelSpec,
    /// For two classes, one machine for "class 1"; otherwise one per class ("this class").
    machines: Vec<Svm<f64, Pr>>,
    classes: usize,
    /// Each machine's Platt coefficients (a, b), read once after the fit, so the view gets
    /// the class and its probability from one kernel sum per row (linfa keeps them private;
    /// empty in a model saved before they were kept: then two sums, as before).
    #[serde(default)]
    platt: Vec<(f64, f64)>,
    /// The machines' RBF sums, read on first use (not saved: they repeat the machines).
    #[serde(skip)]
    sums: Derived<Option<Vec<GaussianSum>>>,
}

/// A fitted machine's Platt coefficients, from its serde form (linfa has no getter).
fn platt_of(m: &Svm<f64, Pr>) -> Option<(f64, f64)> {
    let v = serde_json::to_value(m).ok()?;
    let c = v.get("probability_coeffs")?.as_array()?;
    Some((c.first()?.as_f64()?, c.get(1)?.as_f64()?))
}

/// linfa's `platt_predict`, step for step (in f32, as it computes), so the probability is
/// the same bits `Svm::predict` gives.
fn platt_probability(decision: f64, (a, b): (f64, f64)) -> f64 {
    let f = (a * decision + b) as f32;
    let p = if f >= 0.0 { (-f).exp() / (1.0 + (-f).exp()) } else { 1.0 / (1.0 + f.exp()) };
    *Pr::new(p) as f64
}

pub fn fit_svm(p: &SvmParams, data: &Data) -> Result<SvmClassifier, ParamError> {
    let n = data.x.nrows();
    check_rows(n)?;
    let classes = data.classes();
    let spec = KernelSpec { kernel: p.kernel, gamma: p.gamma, degree: p.degree };
    let x = spec.inputs(data.x);
    let labels = data.labels();
    let positives: Vec<usize> = if classes == 2 { vec![1] } else { (0..classes).collect() };
    let mut machines = Vec::with_capacity(positives.len());
    for &c in &positives {
        let y = Array1::from_iter(labels.iter().map(|&l| l == c));
        if y.iter().all(|&b| b) || y.iter().all(|&b| !b) {
            return param_error(
                "data",
                "every class needs training rows on both sides: some class is missing from the training rows",
            );
        }
        let params = spec.apply(Svm::<f64, Pr>::params()).pos_neg_weights(p.c, p.c);
        machines.push(params.fit(&DatasetBase::new(x.view(), y.view())).map_err(fit_error)?);
    }
    let platt = machines.iter().map(platt_of).collect::<Option<Vec<_>>>().unwrap_or_default();
    Ok(SvmClassifier { spec, machines, classes, platt, sums: Derived::default() })
}

impl SvmClassifier {
    /// Signed distance-like score of each machine for one row.
    fn decisions(&self, row: ndarray::ArrayView1<f64>) -> Vec<f64> {
        let sums = self.sums.0.get_or_init(|| gaussian_sums(&self.machines));
        match (sums, row.as_slice()) {
            (Some(sums), Some(x)) => sums.iter().zip(&self.machines).map(|(g, m)| g.weighted_sum(x) - m.rho).collect(),
            _ => self.machines.iter().map(|m| m.weighted_sum(&row) - m.rho).collect(),
        }
    }

    pub fn support_vectors(&self) -> usize {
        self.machines.iter().map(|m| m.nsupport()).sum()
    }
}

impl Model for SvmClassifier {
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let x = self.spec.inputs(x);
        x.rows()
            .into_iter()
            .map(|r| {
                let d = self.decisions(r);
                self.class_of(&d)
            })
            .collect()
    }

    fn predict_proba(&self, x: ArrayView2<f64>) -> Option<Array2<f64>> {
        let x = self.spec.inputs(x);
        let mut out = Array2::zeros((x.nrows(), self.classes));
        for (i, r) in x.rows().into_iter().enumerate() {
            let ps: Vec<f64> = self.machines.iter().map(|m| *m.predict(r) as f64).collect();
            self.write_proba(&ps, &mut out, i);
        }
        Some(out)
    }

    fn predict_with_proba(&self, x: ArrayView2<f64>) -> (Vec<f64>, Option<Array2<f64>>) {
        if self.platt.len() != self.machines.len() {
            return (self.predict(x), self.predict_proba(x));
        }
        let x = self.spec.inputs(x);
        let mut out = Array2::zeros((x.nrows(), self.classes));
        let mut predicted = Vec::with_capacity(x.nrows());
        for (i, r) in x.rows().into_iter().enumerate() {
            let d = self.decisions(r);
            predicted.push(self.class_of(&d));
            let ps: Vec<f64> = d.iter().zip(&self.platt).map(|(&d, &ab)| platt_probability(d, ab)).collect();
            self.write_proba(&ps, &mut out, i);
        }
        (predicted, Some(out))
    }
}

impl SvmClassifier {
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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SvmRegressor {
    spec: KernelSpec,
    machine: Svm<f64, f64>,
    /// The machine's RBF sum, read on first use (not saved: it repeats the machine).
    #[serde(skip)]
    sum: Derived<Option<GaussianSum>>,
}

pub fn fit_svr(p: &SvrParams, data: &Data) -> Result<SvmRegressor, ParamError> {
    check_rows(data.x.nrows())?;
    let spec = KernelSpec { kernel: p.kernel, gamma: p.gamma, degree: p.degree };
    let x = spec.inputs(data.x);
    let y = Array1::from(data.y.to_vec());
    let params = spec.apply(Svm::<f64, f64>::params()).c_svr(p.c, Some(p.epsilon));
    let machine = params.fit(&DatasetBase::new(x, y)).map_err(fit_error)?;
    Ok(SvmRegressor { spec, machine, sum: Derived::default() })
}

impl SvmRegressor {
    pub fn support_vectors(&self) -> usize {
        self.machine.nsupport()
    }
}

impl Model for SvmRegressor {
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let x = self.spec.inputs(x);
        let sum = self.sum.0.get_or_init(|| GaussianSum::of(&self.machine));
        x.rows()
            .into_iter()
            .map(|r| match (sum, r.as_slice()) {
                (Some(g), Some(row)) => g.weighted_sum_fast(row),
                _ => self.machine.weighted_sum(&r),
            } - self.machine.rho)
            .collect()
    }
}

#[cfg(test)]
mod platt_tests {
    use super::*;
    use crate::data::rng::{Purpose, Rng};
    use crate::data::{Generator, Task};

    /// The one-pass view path is taken (the coefficients were read) and gives linfa's bits.
    #[test]
    fn the_platt_coefficients_are_kept_and_reproduce_linfas_probabilities() {
        for classes in [2, 3] {
            let g = if classes == 2 { Generator::Moons } else { Generator::Blobs };
            let d = g.generate(150, 0.1, classes, &mut Rng::new(4, Purpose::Data));
            let x = Array2::from_shape_fn((d.len(), 2), |(i, j)| d.points[i][j]);
            let data = Data { x: x.view(), y: &d.targets, task: Task::Classification { classes } };
            let m = fit_svm(&SvmParams::default(), &data).expect("fits");
            assert_eq!(m.platt.len(), m.machines.len(), "{classes} classes");
            let (predicted, proba) = m.predict_with_proba(x.view());
            assert_eq!(predicted, m.predict(x.view()));
            assert_eq!(proba, m.predict_proba(x.view()));
        }
    }

    /// The flat RBF sums are taken and give linfa's `weighted_sum`: exactly for the classifier
    /// (also after a serde round trip, which does not save them), within 1e-10 for the
    /// regressor, which sums with the fast exp.
    #[test]
    fn the_flat_rbf_sum_is_linfas_weighted_sum_to_the_bit() {
        let d = Generator::Moons.generate(160, 0.2, 2, &mut Rng::new(9, Purpose::Data));
        let x =
            Array2::from_shape_fn(
                (d.len(), 3),
                |(i, j)| if j < 2 { d.points[i][j] } else { d.points[i][0] * d.points[i][1] },
            );
        let grid = Array2::from_shape_fn((400, 3), |(i, j)| ((i * 7 + j * 13) % 41) as f64 / 10.0 - 2.0);
        let data = Data { x: x.view(), y: &d.targets, task: Task::Classification { classes: 2 } };
        for gamma in [0.05, 0.5, 4.0] {
            let m = fit_svm(&SvmParams { gamma, ..SvmParams::default() }, &data).expect("fits");
            let again: SvmClassifier = serde_json::from_str(&serde_json::to_string(&m).expect("saves")).expect("reads");
            for model in [&m, &again] {
                for r in grid.rows() {
                    let fast = model.decisions(r);
                    let linfa: Vec<f64> = model.machines.iter().map(|mm| mm.weighted_sum(&r) - mm.rho).collect();
                    assert_eq!(
                        fast.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                        linfa.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
                    );
                }
                assert!(model.sums.0.get().is_some_and(Option::is_some), "the flat sums were used (gamma {gamma})");
            }
            let y: Vec<f64> = (0..d.len()).map(|i| d.points[i][0] - d.points[i][1]).collect();
            let reg = Data { x: x.view(), y: &y, task: Task::Regression };
            let svr = fit_svr(&SvrParams { gamma, ..SvrParams::default() }, &reg).expect("fits");
            // The regressor sums with the portable fast exp: within 1e-10 of linfa's predictions.
            let fast = svr.predict(grid.view());
            let linfa: Vec<f64> =
                grid.rows().into_iter().map(|r| svr.machine.weighted_sum(&r) - svr.machine.rho).collect();
            for (f, l) in fast.iter().zip(&linfa) {
                assert!((f - l).abs() <= 1e-10 * l.abs().max(1.0), "{f} against linfa's {l} (gamma {gamma})");
            }
            assert!(svr.sum.0.get().is_some_and(Option::is_some), "the flat sum was used (gamma {gamma})");
        }
    }
}
