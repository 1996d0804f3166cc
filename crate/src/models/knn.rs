//! k-nearest neighbours for classification and regression. linfa has the neighbour search
//! (linfa-nn's k-d tree) but no k-NN estimator, so the voting is written here: uniform or
//! inverse-distance weights, class shares as probabilities, ties to the lowest class index
//! (as scikit-learn).

use super::schema::{choice, int, Setting};
use super::{param_error, Data, Model, ParamError};
use crate::data::Task;
use linfa_nn::distance::{Distance, L1Dist, L2Dist, LInfDist};
use linfa_nn::{CommonNearestNeighbour, NearestNeighbour, NearestNeighbourIndex};
use ndarray::{Array2, ArrayView1, ArrayView2};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    Euclidean,
    Manhattan,
    Chebyshev,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weights {
    Uniform,
    Distance,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KnnParams {
    pub k: usize,
    pub dist: Metric,
    pub weights: Weights,
}

impl Default for KnnParams {
    fn default() -> Self {
        KnnParams { k: 5, dist: Metric::Euclidean, weights: Weights::Uniform }
    }
}

pub const SETTINGS: &[Setting] = &[
    int("k", "Neighbours (k)", 1, 200, "How many of the closest training points vote; small k follows noise."),
    choice("dist", "Distance", &["euclidean", "manhattan", "chebyshev"], "How closeness is measured."),
    choice("weights", "Weights", &["uniform", "distance"], "Equal votes, or closer points count more (1/distance)."),
];

/// The training rows themselves: k-NN keeps its data and searches it at prediction time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Knn {
    pub params: KnnParams,
    pub x: Array2<f64>,
    pub y: Vec<f64>,
    /// Number of classes, or 0 for regression.
    pub classes: usize,
}

pub fn fit(p: &KnnParams, data: &Data) -> Result<Knn, ParamError> {
    let n = data.x.nrows();
    if p.k > n {
        return param_error("k", format!("is {} but there are only {n} training rows; use k ≤ {n}", p.k));
    }
    let classes = match data.task {
        Task::Classification { classes } => classes,
        Task::Regression => 0,
    };
    Ok(Knn { params: p.clone(), x: data.x.to_owned(), y: data.y.to_vec(), classes })
}

impl Knn {
    fn index(&self) -> Option<Box<dyn NearestNeighbourIndex<f64> + Send + Sync + '_>> {
        let kd = CommonNearestNeighbour::KdTree;
        match self.params.dist {
            Metric::Euclidean => kd.from_batch(&self.x, L2Dist).ok(),
            Metric::Manhattan => kd.from_batch(&self.x, L1Dist).ok(),
            Metric::Chebyshev => kd.from_batch(&self.x, LInfDist).ok(),
        }
    }

    fn distance(&self, a: ArrayView1<f64>, b: ArrayView1<f64>) -> f64 {
        match self.params.dist {
            Metric::Euclidean => L2Dist.distance(a, b),
            Metric::Manhattan => L1Dist.distance(a, b),
            Metric::Chebyshev => LInfDist.distance(a, b),
        }
    }

    /// Calls `each(row, neighbours as (training index, weight))` for every row of `x`.
    fn neighbours(&self, x: ArrayView2<f64>, mut each: impl FnMut(usize, &[(usize, f64)])) {
        let Some(index) = self.index() else { return };
        let k = self.params.k.min(self.y.len()).max(1);
        let mut found: Vec<(usize, f64)> = Vec::with_capacity(k);
        for (i, row) in x.rows().into_iter().enumerate() {
            found.clear();
            let Ok(near) = index.k_nearest(row, k) else { continue };
            let exact = near.iter().any(|(p, _)| self.distance(p.view(), row) == 0.0);
            for (p, j) in near {
                let d = self.distance(p.view(), row);
                let w = match self.params.weights {
                    Weights::Uniform => 1.0,
                    // scikit-learn's rule: an exact match takes all the weight.
                    Weights::Distance if exact => (d == 0.0) as u8 as f64,
                    Weights::Distance => 1.0 / d,
                };
                found.push((j, w));
            }
            each(i, &found);
        }
    }
}

impl Model for Knn {
    fn describe(&self, _names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        let m = self;
        let id = lang == crate::lang::Lang::Id;
        let mut lines = Vec::new();
        lines.push(if id {
            format!("Setiap titik bertanya kepada {} tetangga terdekatnya dari {} titik latih.", m.params.k, m.y.len())
        } else {
            format!("Each point asks its {} nearest of {} training points.", m.params.k, m.y.len())
        });
        lines
    }
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        if self.classes > 0 {
            return self.predict_proba(x).map(|p| super::argmax_rows(&p)).unwrap_or_default();
        }
        let mut out = vec![f64::NAN; x.nrows()];
        self.neighbours(x, |i, near| {
            let total: f64 = near.iter().map(|&(_, w)| w).sum();
            out[i] = near.iter().map(|&(j, w)| w * self.y[j]).sum::<f64>() / total;
        });
        out
    }

    fn predict_proba(&self, x: ArrayView2<f64>) -> Option<Array2<f64>> {
        if self.classes == 0 {
            return None;
        }
        let mut out = Array2::zeros((x.nrows(), self.classes));
        self.neighbours(x, |i, near| {
            let total: f64 = near.iter().map(|&(_, w)| w).sum();
            for &(j, w) in near {
                out[[i, (self.y[j] as usize).min(self.classes - 1)]] += w / total;
            }
        });
        Some(out)
    }
    fn predict_with_proba(&self, x: ArrayView2<f64>) -> (Vec<f64>, Option<Array2<f64>>) {
        match self.predict_proba(x) {
            Some(p) => (super::argmax_rows(&p), Some(p)),
            None => (self.predict(x), None),
        }
    }
}
