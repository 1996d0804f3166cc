//! Principal component analysis (linfa-reduction). The fitted model keeps the components, the
//! mean and the explained variance; `predict` gives each row's first component, which the
//! playground draws over the plane, and `transform` the full projection.

use super::schema::{int, Setting};
use super::{param_error, Data, Model, ParamError};
use linfa::prelude::*;
use linfa_reduction::Pca;
use ndarray::{Array1, Array2, ArrayView2};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PcaParams {
    pub components: usize,
}
impl Default for PcaParams {
    fn default() -> Self {
        PcaParams { components: 2 }
    }
}

pub const SETTINGS: &[Setting] =
    &[int("components", "Components", 1, 16, "How many directions to keep (at most the number of features).")];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PcaModel {
    /// One component per row (components × features), unit length.
    pub components: Array2<f64>,
    pub mean: Array1<f64>,
    pub explained_variance: Vec<f64>,
    pub explained_variance_ratio: Vec<f64>,
}

pub fn fit(p: &PcaParams, data: &Data) -> Result<PcaModel, ParamError> {
    let (n, d) = data.x.dim();
    if p.components > d {
        return param_error("components", format!("is {} but there are only {d} features", p.components));
    }
    if n < 2 {
        return param_error("data", "PCA needs at least two rows");
    }
    let dataset = DatasetBase::from(data.x.to_owned());
    let pca =
        Pca::params(p.components).fit(&dataset).map_err(|e| ParamError { field: "model", message: e.to_string() })?;
    // linfa's own explained_variance divides by (components − 1) and its ratio by the kept
    // components' total; the usual definitions (scikit-learn's) use n − 1 and all the variance.
    let explained_variance: Vec<f64> = pca.singular_values().iter().map(|s| s * s / (n as f64 - 1.0)).collect();
    let total: f64 = data
        .x
        .columns()
        .into_iter()
        .map(|c| {
            let m = c.sum() / n as f64;
            c.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / (n as f64 - 1.0)
        })
        .sum();
    let explained_variance_ratio =
        explained_variance.iter().map(|v| if total > 0.0 { v / total } else { 0.0 }).collect();
    Ok(PcaModel {
        components: pca.components().clone(),
        mean: pca.mean().clone(),
        explained_variance,
        explained_variance_ratio,
    })
}

impl PcaModel {
    /// Coordinates of each row along the components (rows × components).
    pub fn transform(&self, x: ArrayView2<f64>) -> Array2<f64> {
        let k = self.components.nrows();
        let mut out = Array2::zeros((x.nrows(), k));
        for (i, r) in x.rows().into_iter().enumerate() {
            for c in 0..k {
                let mut s = 0.0;
                for (j, v) in r.iter().enumerate() {
                    s += (v - self.mean[j]) * self.components[[c, j]];
                }
                out[[i, c]] = s;
            }
        }
        out
    }
}

impl Model for PcaModel {
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        self.transform(x).column(0).to_vec()
    }
}
