//! Clustering: k-means (written here, stepped one Lloyd iteration at a time so the page can
//! animate it), DBSCAN and Gaussian mixtures fitted by expectation-maximisation (linfa-clustering).

use super::schema::{choice, int, log_float, Setting};
use super::{param_error, Data, Model, ParamError};
use crate::data::rng::{Purpose, Rng};
use linfa::prelude::*;
use linfa_clustering::{Dbscan, GaussianMixtureModel};
use linfa_nn::distance::{Distance as _, L2Dist};
use linfa_nn::{CommonNearestNeighbour, NearestNeighbour};
use ndarray::{Array1, Array2, Array3, ArrayView2};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Init {
    #[serde(rename = "kmeans++")]
    PlusPlus,
    #[serde(rename = "random")]
    Random,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct KMeansParams {
    pub k: usize,
    pub init: Init,
    pub iters: usize,
}
impl Default for KMeansParams {
    fn default() -> Self {
        KMeansParams { k: 3, init: Init::PlusPlus, iters: 100 }
    }
}

pub const KMEANS_SETTINGS: &[Setting] = &[
    int("k", "Clusters (k)", 1, 20, "How many centres to place."),
    choice(
        "init",
        "Initialisation",
        &["kmeans++", "random"],
        "k-means++ spreads the first centres apart; random picks points.",
    ),
    int("iters", "Max iterations", 1, 500, "Assign-then-move rounds; the animation shows one per frame."),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DbscanParams {
    pub eps: f64,
    pub minpts: usize,
}
impl Default for DbscanParams {
    fn default() -> Self {
        DbscanParams { eps: 0.5, minpts: 5 }
    }
}

pub const DBSCAN_SETTINGS: &[Setting] = &[
    log_float("eps", "Radius (eps)", 0.01, 10.0, "How near two points must be to count as neighbours."),
    int("minpts", "Min points", 1, 100, "Neighbours (itself included) a point needs to be a core point."),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GmmParams {
    pub k: usize,
    pub iters: usize,
}
impl Default for GmmParams {
    fn default() -> Self {
        GmmParams { k: 3, iters: 100 }
    }
}

pub const GMM_SETTINGS: &[Setting] = &[
    int("k", "Components (k)", 1, 20, "How many Gaussian clouds."),
    int("iters", "Max iterations", 1, 1000, "Expectation-maximisation rounds before giving up."),
];

fn fit_error(e: impl std::fmt::Display) -> ParamError {
    ParamError { field: "model", message: e.to_string() }
}

fn check_k(k: usize, n: usize) -> Result<(), ParamError> {
    if k > n {
        return param_error("k", format!("is {k} but there are only {n} training rows; use k ≤ {n}"));
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KMeansModel {
    /// k × features.
    pub centroids: Array2<f64>,
    /// Mean squared distance of a training row to its centre.
    pub inertia: f64,
}

/// k-means after `iterations` Lloyd iterations from a seeded start (one run, so the animation
/// shows the very run that is kept).
///
/// Written here rather than with linfa-clustering's `KMeans`: that one cannot continue from
/// given centres (the animation refitted from the seed for every frame), and its setup cost
/// kept it under 3× ml-kmeans on small sets; Lloyd's iterations are a few lines, in a fixed
/// order of operations (the same bits on every target).
pub fn fit_kmeans(p: &KMeansParams, data: &Data, seed: u64, iterations: usize) -> Result<KMeansModel, ParamError> {
    check_k(p.k, data.x.nrows())?;
    let mut rng = Rng::new(seed, Purpose::Model);
    let x = data.x;
    let chosen: Vec<usize> = match p.init {
        Init::Random => {
            let mut rows: Vec<usize> = (0..x.nrows()).collect();
            // A partial Fisher–Yates shuffle: k distinct rows.
            for i in 0..p.k {
                let j = i + rng.index(rows.len() - i);
                rows.swap(i, j);
            }
            rows.truncate(p.k);
            rows
        }
        Init::PlusPlus => plus_plus(x, p.k, &mut rng),
    };
    let centroids = x.select(ndarray::Axis(0), &chosen);
    Ok(continue_kmeans(KMeansModel { centroids, inertia: f64::NAN }, data, iterations))
}

/// k-means++: the first centre a random row, each next one a row drawn with probability
/// proportional to its squared distance to the nearest centre so far.
fn plus_plus(x: ArrayView2<f64>, k: usize, rng: &mut Rng) -> Vec<usize> {
    let n = x.nrows();
    let mut chosen = vec![rng.index(n)];
    let squared = |a: ndarray::ArrayView1<f64>, b: ndarray::ArrayView1<f64>| -> f64 {
        a.iter().zip(b).map(|(u, v)| (u - v) * (u - v)).sum()
    };
    let mut nearest: Vec<f64> = x.rows().into_iter().map(|r| squared(r, x.row(chosen[0]))).collect();
    while chosen.len() < k {
        let total: f64 = nearest.iter().sum();
        let next = if total > 0.0 {
            let mut target = rng.unit() * total;
            let mut pick = n - 1;
            for (i, d) in nearest.iter().enumerate() {
                if *d > 0.0 && target < *d {
                    pick = i;
                    break;
                }
                target -= d;
            }
            pick
        } else {
            // Every row sits on a centre already (duplicates): any row will do.
            rng.index(n)
        };
        chosen.push(next);
        for (d, r) in nearest.iter_mut().zip(x.rows()) {
            *d = d.min(squared(r, x.row(next)));
        }
    }
    chosen
}

/// Index of the nearest of the flat row-major `centres` (first on ties) and its squared
/// Euclidean distance.
fn nearest_flat(centres: &[f64], row: &[f64]) -> (usize, f64) {
    let mut best = (0, f64::INFINITY);
    for (c, centre) in centres.chunks_exact(row.len()).enumerate() {
        let mut d = 0.0;
        for (a, b) in centre.iter().zip(row) {
            d += (a - b) * (a - b);
        }
        if d < best.1 {
            best = (c, d);
        }
    }
    best
}

/// Runs up to `iterations` more Lloyd iterations from the model's centres (fewer if one moves
/// no centre), then measures the inertia. A cluster left without rows keeps its centre.
pub fn continue_kmeans(mut model: KMeansModel, data: &Data, iterations: usize) -> KMeansModel {
    let (k, f) = model.centroids.dim();
    if f == 0 || data.x.ncols() != f {
        return model;
    }
    // Flat copies: ndarray's row views cost more than the arithmetic on small sets.
    let rows: Vec<f64> = data.x.iter().copied().collect();
    let mut centres: Vec<f64> = model.centroids.iter().copied().collect();
    let mut sums = vec![0.0; k * f];
    let mut counts = vec![0usize; k];
    for _ in 0..iterations {
        sums.iter_mut().for_each(|s| *s = 0.0);
        counts.iter_mut().for_each(|c| *c = 0);
        for row in rows.chunks_exact(f) {
            let (c, _) = nearest_flat(&centres, row);
            counts[c] += 1;
            sums[c * f..(c + 1) * f].iter_mut().zip(row).for_each(|(s, v)| *s += v);
        }
        let mut moved = false;
        for (c, count) in counts.iter().enumerate() {
            if *count == 0 {
                continue;
            }
            for j in 0..f {
                let mean = sums[c * f + j] / *count as f64;
                moved |= mean != centres[c * f + j];
                centres[c * f + j] = mean;
            }
        }
        if !moved {
            break;
        }
    }
    let mut total = 0.0;
    for row in rows.chunks_exact(f) {
        total += nearest_flat(&centres, row).1;
    }
    model.centroids = Array2::from_shape_vec((k, f), centres).unwrap_or(model.centroids);
    model.inertia = total / data.x.nrows().max(1) as f64;
    model
}

impl Model for KMeansModel {
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let centres: Vec<f64> = self.centroids.iter().copied().collect();
        if x.ncols() != self.centroids.ncols() || x.ncols() == 0 {
            return vec![0.0; x.nrows()];
        }
        x.rows()
            .into_iter()
            .map(|r| match r.as_slice() {
                Some(row) => nearest_flat(&centres, row).0,
                None => nearest_flat(&centres, &r.to_vec()).0,
            } as f64)
            .collect()
    }
}

/// DBSCAN's clusters of the training rows. New points (the drawn plane) join the cluster of
/// the nearest clustered training row within eps, else count as noise; DBSCAN itself has no
/// prediction for unseen points, this is the usual approximation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbscanModel {
    pub eps: f64,
    /// Cluster of each training row, −1 for noise.
    pub labels: Vec<f64>,
    /// The clustered training rows and their clusters.
    members: Array2<f64>,
    member_labels: Vec<f64>,
    pub clusters: usize,
}

pub fn fit_dbscan(p: &DbscanParams, data: &Data) -> Result<DbscanModel, ParamError> {
    let memberships =
        Dbscan::params(p.minpts).tolerance(p.eps).check().map_err(fit_error)?.transform(&data.x.to_owned());
    let labels: Vec<f64> = memberships.iter().map(|m| m.map_or(-1.0, |c| c as f64)).collect();
    let keep: Vec<usize> = (0..labels.len()).filter(|&i| labels[i] >= 0.0).collect();
    let members = data.x.select(ndarray::Axis(0), &keep);
    let member_labels = keep.iter().map(|&i| labels[i]).collect();
    let clusters = memberships.iter().flatten().max().map_or(0, |m| m + 1);
    Ok(DbscanModel { eps: p.eps, labels, members, member_labels, clusters })
}

impl DbscanModel {
    pub fn noise(&self) -> usize {
        self.labels.iter().filter(|&&l| l < 0.0).count()
    }
}

impl Model for DbscanModel {
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let Ok(index) = CommonNearestNeighbour::KdTree.from_batch(&self.members, L2Dist) else {
            return vec![-1.0; x.nrows()];
        };
        x.rows()
            .into_iter()
            .map(|r| match index.k_nearest(r, 1).ok().and_then(|v| v.into_iter().next()) {
                Some((p, j)) if L2Dist.distance(p, r) <= self.eps => self.member_labels[j],
                _ => -1.0,
            })
            .collect()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GmmModel {
    pub weights: Array1<f64>,
    /// k × features.
    pub means: Array2<f64>,
    /// k × features × features.
    pub covariances: Array3<f64>,
    model: GaussianMixtureModel<f64>,
}

pub fn fit_gmm(p: &GmmParams, data: &Data, seed: u64) -> Result<GmmModel, ParamError> {
    check_k(p.k, data.x.nrows())?;
    let rng = Rng::new(seed, Purpose::Model).into_rand();
    let model = GaussianMixtureModel::params_with_rng(p.k, rng)
        .n_runs(1)
        .max_n_iterations(p.iters as u64)
        .tolerance(1e-3)
        .fit(&DatasetBase::from(data.x.to_owned()))
        .map_err(|e| match e {
            linfa_clustering::GmmError::NotConverged(_) => ParamError {
                field: "iters",
                message: format!("expectation-maximisation did not settle within {} iterations; allow more", p.iters),
            },
            other => fit_error(other),
        })?;
    Ok(GmmModel {
        weights: model.weights().clone(),
        means: model.means().clone(),
        covariances: model.covariances().clone(),
        model,
    })
}

impl Model for GmmModel {
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        super::argmax_rows(&self.model.predict_proba(&x))
    }
    fn predict_proba(&self, x: ArrayView2<f64>) -> Option<Array2<f64>> {
        Some(self.model.predict_proba(&x))
    }
}
