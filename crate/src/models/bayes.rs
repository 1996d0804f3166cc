//! Gaussian naive Bayes, written here rather than taken from linfa-bayes: linfa's `GaussianNb`
//! keeps its per-class means and variances private (the view draws them) and predicts through
//! a `HashMap` of per-class temporary matrices, which made it the one linfa model no faster
//! than its JavaScript peer and breaks ties in an order that changes between runs. The maths
//! is scikit-learn's: variances are smoothed by `smoothing` × the largest feature variance.

use super::schema::{log_float, Setting};
use super::{param_error, Data, Model, ParamError};
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BayesParams {
    pub smoothing: f64,
}

impl Default for BayesParams {
    fn default() -> Self {
        BayesParams { smoothing: 1e-9 }
    }
}

pub const SETTINGS: &[Setting] = &[log_float(
    "smoothing",
    "Variance smoothing",
    1e-12,
    1.0,
    "Added to every variance (as a share of the largest) so a flat feature cannot divide by zero.",
)];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GaussianNb {
    /// Per class (rows) and feature (columns).
    pub means: Array2<f64>,
    pub variances: Array2<f64>,
    pub priors: Vec<f64>,
    /// log prior − ½ Σ log(2π σ²) per class, precomputed for prediction.
    log_norm: Vec<f64>,
}

pub fn fit(p: &BayesParams, data: &Data) -> Result<GaussianNb, ParamError> {
    let classes = data.classes();
    let (n, d) = data.x.dim();
    // Flat per-class sums (class-major): ndarray's 2-D indexing cost more than the arithmetic.
    let rows = super::flat_rows(data.x);
    let mut counts = vec![0usize; classes];
    let mut means = vec![0.0; classes * d];
    for &class in data.y.iter().take(n) {
        counts[class as usize] += 1;
    }
    // Rows of a width known when compiled for the common sizes (see `each_joint_of`).
    match d {
        2 => add_by_class::<2>(&rows, d, data.y, &mut means, |v, _| v),
        3 => add_by_class::<3>(&rows, d, data.y, &mut means, |v, _| v),
        4 => add_by_class::<4>(&rows, d, data.y, &mut means, |v, _| v),
        _ => add_by_class::<0>(&rows, d, data.y, &mut means, |v, _| v),
    }
    if counts.iter().filter(|&&c| c > 0).count() < 2 {
        return param_error("data", "naive Bayes needs at least two classes among the training rows");
    }
    for (c, &count) in counts.iter().enumerate() {
        let k = count.max(1) as f64;
        means[c * d..(c + 1) * d].iter_mut().for_each(|m| *m /= k);
    }
    let mut variances = vec![0.0; classes * d];
    let squared = |x: f64, m: f64| (x - m) * (x - m);
    match d {
        2 => add_by_class::<2>(&rows, d, data.y, &mut variances, |x, j| squared(x, means[j])),
        3 => add_by_class::<3>(&rows, d, data.y, &mut variances, |x, j| squared(x, means[j])),
        4 => add_by_class::<4>(&rows, d, data.y, &mut variances, |x, j| squared(x, means[j])),
        _ => add_by_class::<0>(&rows, d, data.y, &mut variances, |x, j| squared(x, means[j])),
    }
    for (c, &count) in counts.iter().enumerate() {
        let k = count.max(1) as f64;
        variances[c * d..(c + 1) * d].iter_mut().for_each(|v| *v /= k);
    }
    // The largest variance of any feature over all rows scales the smoothing.
    let mut largest: f64 = 0.0;
    for col in data.x.columns() {
        let mean = col.sum() / n as f64;
        largest = largest.max(col.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64);
    }
    let epsilon = p.smoothing * largest;
    variances.iter_mut().for_each(|v| *v += epsilon);
    if variances.iter().any(|&v| v <= 0.0) {
        return param_error("smoothing", "a class has a feature with zero variance; raise the smoothing");
    }
    let priors: Vec<f64> = counts.iter().map(|&c| c as f64 / n as f64).collect();
    let log_norm = (0..classes)
        .map(|c| {
            let spread: f64 =
                variances[c * d..(c + 1) * d].iter().map(|&v| libm::log(2.0 * std::f64::consts::PI * v)).sum();
            libm::log(priors[c]) - 0.5 * spread
        })
        .collect();
    let shape = |v: Vec<f64>| {
        Array2::from_shape_vec((classes, d), v).map_err(|e| ParamError { field: "data", message: e.to_string() })
    };
    Ok(GaussianNb { means: shape(means)?, variances: shape(variances)?, priors, log_norm })
}

/// Adds `term(value, at)` of each row's values to its class's row of `sums` (class-major,
/// `at` the index in `sums`), rows in order. `D` > 0 is the row width when compiled (0: `d`).
fn add_by_class<const D: usize>(rows: &[f64], d: usize, y: &[f64], sums: &mut [f64], term: impl Fn(f64, usize) -> f64) {
    let d = if D > 0 { D } else { d };
    for (row, &class) in rows.chunks_exact(d.max(1)).zip(y) {
        let at = class as usize * d;
        for j in 0..d {
            sums[at + j] += term(row[j], at + j);
        }
    }
}

impl GaussianNb {
    /// The joint log-likelihood of each class for each row of `x`, handed to `f` row by row
    /// (−∞ for classes absent in training).
    fn each_joint(&self, x: ArrayView2<f64>, f: impl FnMut(usize, &[f64])) {
        let d = self.means.ncols();
        match (d, x.ncols() == d) {
            (2, true) => self.each_joint_of::<2>(x, f),
            (3, true) => self.each_joint_of::<3>(x, f),
            (4, true) => self.each_joint_of::<4>(x, f),
            _ => self.each_joint_of::<0>(x, f),
        }
    }

    /// `each_joint` with rows of `D` features when `D` > 0, known when compiled so the loop
    /// over a row unrolls (V8 leaves a short loop of unknown length as it is); 0 reads the
    /// widths at run time. The same operations in the same order either way.
    fn each_joint_of<const D: usize>(&self, x: ArrayView2<f64>, mut f: impl FnMut(usize, &[f64])) {
        let (means, variances) = (self.means.as_standard_layout(), self.variances.as_standard_layout());
        let (means, variances) = (means.as_slice().unwrap_or_default(), variances.as_slice().unwrap_or_default());
        let d = if D > 0 { D } else { self.means.ncols().max(1) };
        let width = if D > 0 { D } else { x.ncols() };
        let shared = d.min(width);
        let mut out = vec![0.0; self.log_norm.len()];
        let rows = super::flat_rows(x);
        for r in 0..x.nrows() {
            let row = &rows[r * width..(r + 1) * width];
            for (((o, m), v), norm) in
                out.iter_mut().zip(means.chunks_exact(d)).zip(variances.chunks_exact(d)).zip(&self.log_norm)
            {
                let mut s = 0.0;
                for j in 0..shared {
                    let dv = row[j] - m[j];
                    s += dv * dv / v[j];
                }
                *o = norm - 0.5 * s;
            }
            f(r, &out);
        }
    }
}

impl Model for GaussianNb {
    fn describe(&self, _names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        let m = self;
        let id = lang == crate::lang::Lang::Id;
        let mut lines = Vec::new();
        for c in 0..m.priors.len() {
            let means: Vec<String> = m.means.row(c).iter().map(|v| super::words::short_number(*v)).collect();
            let sds: Vec<String> = m.variances.row(c).iter().map(|v| super::words::short_number(v.sqrt())).collect();
            let (prior, means, sds) = (super::words::short_number(m.priors[c]), means.join(", "), sds.join(", "));
            lines.push(if id {
                format!("Kelas {c}: prior {prior}, rata-rata ({means}), simpangan baku ({sds})")
            } else {
                format!("Class {c}: prior {prior}, means ({means}), standard deviations ({sds})")
            });
        }
        lines
    }
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let mut predicted = Vec::with_capacity(x.nrows());
        self.each_joint(x, |_, jll| predicted.push(super::mlp::argmax(jll) as f64));
        predicted
    }

    fn predict_proba(&self, x: ArrayView2<f64>) -> Option<Array2<f64>> {
        let k = self.priors.len();
        let mut out = Array2::zeros((x.nrows(), k));
        self.each_joint(x, |r, jll| {
            let max = jll.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut sum = 0.0;
            for (c, &v) in jll.iter().enumerate() {
                let e = libm::exp(v - max);
                out[[r, c]] = e;
                sum += e;
            }
            out.row_mut(r).mapv_inplace(|v| v / sum);
        });
        Some(out)
    }
}
