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
    let mut counts = vec![0usize; classes];
    let mut means = Array2::<f64>::zeros((classes, d));
    for (row, &y) in data.x.rows().into_iter().zip(data.y) {
        let c = y as usize;
        counts[c] += 1;
        for (m, &v) in means.row_mut(c).iter_mut().zip(row) {
            *m += v;
        }
    }
    if counts.iter().filter(|&&c| c > 0).count() < 2 {
        return param_error("data", "naive Bayes needs at least two classes among the training rows");
    }
    for c in 0..classes {
        let k = counts[c].max(1) as f64;
        means.row_mut(c).mapv_inplace(|m| m / k);
    }
    let mut variances = Array2::<f64>::zeros((classes, d));
    for (row, &y) in data.x.rows().into_iter().zip(data.y) {
        let c = y as usize;
        for j in 0..d {
            let dv = row[j] - means[[c, j]];
            variances[[c, j]] += dv * dv;
        }
    }
    for c in 0..classes {
        let k = counts[c].max(1) as f64;
        variances.row_mut(c).mapv_inplace(|v| v / k);
    }
    // The largest variance of any feature over all rows scales the smoothing.
    let mut largest: f64 = 0.0;
    for col in data.x.columns() {
        let mean = col.sum() / n as f64;
        largest = largest.max(col.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n as f64);
    }
    let epsilon = p.smoothing * largest;
    variances.mapv_inplace(|v| v + epsilon);
    if variances.iter().any(|&v| v <= 0.0) {
        return param_error("smoothing", "a class has a feature with zero variance; raise the smoothing");
    }
    let priors: Vec<f64> = counts.iter().map(|&c| c as f64 / n as f64).collect();
    let log_norm = (0..classes)
        .map(|c| {
            let spread: f64 = variances.row(c).iter().map(|&v| libm::log(2.0 * std::f64::consts::PI * v)).sum();
            libm::log(priors[c]) - 0.5 * spread
        })
        .collect();
    Ok(GaussianNb { means, variances, priors, log_norm })
}

impl GaussianNb {
    /// Joint log-likelihood of each class for one row (−∞ for classes absent in training).
    fn joint(&self, row: ArrayView2<f64>, r: usize, out: &mut [f64]) {
        let d = self.means.ncols();
        for (c, o) in out.iter_mut().enumerate() {
            let mut s = 0.0;
            for j in 0..d {
                let dv = row[[r, j]] - self.means[[c, j]];
                s += dv * dv / self.variances[[c, j]];
            }
            *o = self.log_norm[c] - 0.5 * s;
        }
    }
}

impl Model for GaussianNb {
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let mut jll = vec![0.0; self.priors.len()];
        (0..x.nrows())
            .map(|r| {
                self.joint(x, r, &mut jll);
                super::mlp::argmax(&jll) as f64
            })
            .collect()
    }

    fn predict_proba(&self, x: ArrayView2<f64>) -> Option<Array2<f64>> {
        let k = self.priors.len();
        let mut out = Array2::zeros((x.nrows(), k));
        let mut jll = vec![0.0; k];
        for r in 0..x.nrows() {
            self.joint(x, r, &mut jll);
            let max = jll.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut sum = 0.0;
            for (c, &v) in jll.iter().enumerate() {
                let e = libm::exp(v - max);
                out[[r, c]] = e;
                sum += e;
            }
            out.row_mut(r).mapv_inplace(|v| v / sum);
        }
        Some(out)
    }
}
