//! Clustering: k-means (written here, stepped one Lloyd iteration at a time so the page can
//! animate it), DBSCAN (linfa-clustering) and Gaussian mixtures fitted by
//! expectation-maximisation (written here).

use super::fastmath;
use super::schema::{choice, int, log_float, Setting};
use super::{param_error, Data, Model, ParamError};
use crate::data::rng::{Purpose, Rng};
use linfa::prelude::*;
use linfa_clustering::Dbscan;
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
    let (n, f) = data.x.dim();
    let flat = super::flat_rows(data.x);
    let x = &flat[..];
    let chosen: Vec<usize> = match p.init {
        Init::Random => {
            let mut rows: Vec<usize> = (0..n).collect();
            // A partial Fisher–Yates shuffle: k distinct rows.
            for i in 0..p.k {
                let j = i + rng.index(rows.len() - i);
                rows.swap(i, j);
            }
            rows.truncate(p.k);
            rows
        }
        Init::PlusPlus => plus_plus(x, n, f, p.k, &mut rng),
    };
    let centres: Vec<f64> = chosen.iter().flat_map(|&i| x[i * f..(i + 1) * f].iter().copied()).collect();
    let centroids = Array2::from_shape_vec((chosen.len(), f), centres).map_err(fit_error)?;
    Ok(continue_kmeans(KMeansModel { centroids, inertia: f64::NAN }, data, iterations))
}

/// k-means++: the first centre a random row, each next one a row drawn with probability
/// proportional to its squared distance to the nearest centre so far. `x` holds `n` rows of
/// `f` numbers, row after row.
fn plus_plus(x: &[f64], n: usize, f: usize, k: usize, rng: &mut Rng) -> Vec<usize> {
    let row = |i: usize| &x[i * f..(i + 1) * f];
    let mut chosen = vec![rng.index(n)];
    let mut nearest = vec![0.0; n];
    each_distance(x, f, row(chosen[0]), |i, d| nearest[i] = d);
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
        each_distance(x, f, row(next), |i, d| nearest[i] = nearest[i].min(d));
    }
    chosen
}

/// The row width of the loops below: `D` when they are compiled for a fixed width (2, 3, 4:
/// a short loop of known length unrolls, which matters in wasm, where V8 leaves a loop of
/// unknown length as it is), else `f`, read at run time (`D` = 0). The operations and their
/// order are the same either way, so are the bits.
const fn width<const D: usize>(f: usize) -> usize {
    if D > 0 {
        D
    } else {
        f
    }
}

/// Calls `visit(i, d)` with the squared distance `d` from each row `i` of `x` (rows of `f`
/// numbers) to `centre`, in row order.
fn each_distance(x: &[f64], f: usize, centre: &[f64], mut visit: impl FnMut(usize, f64)) {
    fn rows_of<const D: usize>(x: &[f64], f: usize, centre: &[f64], visit: &mut impl FnMut(usize, f64)) {
        let w = width::<D>(f);
        for (i, row) in x.chunks_exact(w.max(1)).enumerate() {
            let mut d = 0.0;
            for j in 0..w {
                d += (row[j] - centre[j]) * (row[j] - centre[j]);
            }
            visit(i, d);
        }
    }
    match f {
        2 => rows_of::<2>(x, f, centre, &mut visit),
        3 => rows_of::<3>(x, f, centre, &mut visit),
        4 => rows_of::<4>(x, f, centre, &mut visit),
        _ => rows_of::<0>(x, f, centre, &mut visit),
    }
}

/// Index of the nearest of the flat row-major `centres` (first on ties) and its squared
/// Euclidean distance.
fn nearest_flat(centres: &[f64], row: &[f64]) -> (usize, f64) {
    match row.len() {
        2 => nearest_of::<2>(centres, row),
        _ => nearest_of::<0>(centres, row),
    }
}

/// `nearest_flat` for rows of `width::<D>(row.len())` numbers.
fn nearest_of<const D: usize>(centres: &[f64], row: &[f64]) -> (usize, f64) {
    let w = width::<D>(row.len());
    let mut best = (0, f64::INFINITY);
    for (c, centre) in centres.chunks_exact(w.max(1)).enumerate() {
        let mut d = 0.0;
        for j in 0..w {
            d += (centre[j] - row[j]) * (centre[j] - row[j]);
        }
        if d < best.1 {
            best = (c, d);
        }
    }
    best
}

/// One Lloyd assignment over rows of `width::<D>(f)` numbers: each row joins its nearest
/// centre, whose count and sums it adds to.
fn assign<const D: usize>(rows: &[f64], f: usize, centres: &[f64], sums: &mut [f64], counts: &mut [usize]) {
    let w = width::<D>(f);
    for row in rows.chunks_exact(w.max(1)) {
        let (c, _) = nearest_of::<D>(centres, row);
        counts[c] += 1;
        for j in 0..w {
            sums[c * w + j] += row[j];
        }
    }
}

/// Runs up to `iterations` more Lloyd iterations from the model's centres (fewer if one moves
/// no centre), then measures the inertia. A cluster left without rows keeps its centre.
pub fn continue_kmeans(mut model: KMeansModel, data: &Data, iterations: usize) -> KMeansModel {
    let (k, f) = model.centroids.dim();
    if f == 0 || data.x.ncols() != f {
        return model;
    }
    // Flat rows: ndarray's row views cost more than the arithmetic on small sets.
    let flat = super::flat_rows(data.x);
    let rows = &flat[..];
    let mut centres: Vec<f64> = model.centroids.iter().copied().collect();
    let mut sums = vec![0.0; k * f];
    let mut counts = vec![0usize; k];
    for _ in 0..iterations {
        sums.iter_mut().for_each(|s| *s = 0.0);
        counts.iter_mut().for_each(|c| *c = 0);
        match f {
            2 => assign::<2>(rows, f, &centres, &mut sums, &mut counts),
            3 => assign::<3>(rows, f, &centres, &mut sums, &mut counts),
            4 => assign::<4>(rows, f, &centres, &mut sums, &mut counts),
            _ => assign::<0>(rows, f, &centres, &mut sums, &mut counts),
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
    fn describe(&self, _names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        let m = self;
        let id = lang == crate::lang::Lang::Id;
        let mut lines = Vec::new();
        lines.push(if id {
            format!(
                "{} pusat; rata-rata kuadrat jarak ke pusat {}.",
                m.centroids.nrows(),
                super::words::short_number(m.inertia)
            )
        } else {
            format!(
                "{} centres; mean squared distance to the centre {}.",
                m.centroids.nrows(),
                super::words::short_number(m.inertia)
            )
        });
        lines
    }
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let centres: Vec<f64> = self.centroids.iter().copied().collect();
        let f = x.ncols();
        if f != self.centroids.ncols() || f == 0 {
            return vec![0.0; x.nrows()];
        }
        super::flat_rows(x).chunks_exact(f).map(|row| nearest_flat(&centres, row).0 as f64).collect()
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
    fn describe(&self, _names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        let m = self;
        let id = lang == crate::lang::Lang::Id;
        let mut lines = Vec::new();
        lines.push(if id {
            format!("{} klaster ditemukan; {} titik latih adalah noise (abu-abu).", m.clusters, m.noise())
        } else {
            format!("{} clusters found; {} training points are noise (grey).", m.clusters, m.noise())
        });
        lines
    }
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

/// A Gaussian mixture with full covariances. Saved as its weights, means and covariances;
/// model files written when linfa fitted it carry one more field, which is ignored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "GmmFile")]
pub struct GmmModel {
    pub weights: Array1<f64>,
    /// k × features.
    pub means: Array2<f64>,
    /// k × features × features.
    pub covariances: Array3<f64>,
    /// Each component's Cholesky factor and log normaliser, derived from the fields above.
    #[serde(skip)]
    factors: Vec<Factor>,
}

#[derive(Deserialize)]
struct GmmFile {
    weights: Array1<f64>,
    means: Array2<f64>,
    covariances: Array3<f64>,
}

impl TryFrom<GmmFile> for GmmModel {
    type Error = String;
    fn try_from(f: GmmFile) -> Result<Self, String> {
        let (k, d) = f.means.dim();
        if f.weights.len() != k || f.covariances.dim() != (k, d, d) || k == 0 {
            return Err(format!(
                "a Gaussian mixture needs as many weights and covariances as means; this one has {} weights, {k} means and {} covariances",
                f.weights.len(),
                f.covariances.dim().0
            ));
        }
        if f.weights.iter().any(|w| !(w.is_finite() && *w >= 0.0)) || f.means.iter().any(|v| !v.is_finite()) {
            return Err("a Gaussian mixture's weights must be non-negative and its means finite".into());
        }
        GmmModel::new(f.weights, f.means, f.covariances)
            .map_err(|c| format!("covariance {} of this Gaussian mixture is not positive definite", c + 1))
    }
}

#[derive(Debug, Clone, PartialEq)]
struct Factor {
    /// Lower triangle of Σ = L·Lᵀ, row-major d × d.
    chol: Vec<f64>,
    /// ln w − ½·d·ln 2π − ln det L: the log-density's constant part.
    log_norm: f64,
}

/// Regularisation added to each covariance's diagonal (scikit-learn's `reg_covar`): keeps a
/// component on a single point from collapsing to zero variance.
const REG_COVAR: f64 = 1e-6;
/// Convergence: the mean log-likelihood moved by less than this (scikit-learn's `tol`).
const TOLERANCE: f64 = 1e-3;

/// The lower Cholesky factor of the d × d row-major `a`, or None if it is not positive definite.
fn cholesky(a: &[f64], d: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; d * d];
    for i in 0..d {
        for j in 0..=i {
            let mut s = a[i * d + j];
            for m in 0..j {
                s -= l[i * d + m] * l[j * d + m];
            }
            if i == j {
                if !(s > 0.0 && s.is_finite()) {
                    return None;
                }
                l[i * d + i] = libm::sqrt(s);
            } else {
                l[i * d + j] = s / l[j * d + j];
            }
        }
    }
    Some(l)
}

impl GmmModel {
    /// Builds the model and its factors; Err(c) names the first covariance that is not
    /// positive definite.
    fn new(weights: Array1<f64>, means: Array2<f64>, covariances: Array3<f64>) -> Result<Self, usize> {
        let d = means.ncols();
        let half_log_two_pi = 0.5 * d as f64 * libm::log(2.0 * std::f64::consts::PI);
        let factors = (0..means.nrows())
            .map(|c| {
                let flat: Vec<f64> = covariances.index_axis(ndarray::Axis(0), c).iter().copied().collect();
                let chol = cholesky(&flat, d).ok_or(c)?;
                let log_det: f64 = (0..d).map(|i| libm::log(chol[i * d + i])).sum();
                Ok(Factor { log_norm: libm::log(weights[c]) - half_log_two_pi - log_det, chol })
            })
            .collect::<Result<_, usize>>()?;
        Ok(GmmModel { weights, means, covariances, factors })
    }

    /// ln(w_c · N(row | μ_c, Σ_c)) for each component, into `out`.
    fn weighted_log_densities(&self, row: &[f64], z: &mut [f64], out: &mut [f64]) {
        let d = row.len();
        for (c, f) in self.factors.iter().enumerate() {
            // Solve L·z = row − μ by forward substitution; the Mahalanobis term is |z|².
            let mean = self.means.row(c);
            let mut quad = 0.0;
            for i in 0..d {
                let mut s = row[i] - mean[i];
                for m in 0..i {
                    s -= f.chol[i * d + m] * z[m];
                }
                z[i] = s / f.chol[i * d + i];
                quad += z[i] * z[i];
            }
            out[c] = f.log_norm - 0.5 * quad;
        }
    }

    /// Each row's responsibilities (written over `resp`, rows × k) and the mean log-likelihood.
    fn expectation(&self, x: ArrayView2<f64>, resp: &mut [f64]) -> f64 {
        let (k, d) = self.means.dim();
        let mut z = vec![0.0; d];
        let mut row = vec![0.0; d];
        let mut total = 0.0;
        for (i, r) in x.rows().into_iter().enumerate() {
            row.iter_mut().zip(r).for_each(|(a, b)| *a = *b);
            let out = &mut resp[i * k..(i + 1) * k];
            self.weighted_log_densities(&row, &mut z, out);
            let top = out.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let mut sum = 0.0;
            for v in out.iter_mut() {
                *v = fastmath::exp((*v - top).max(-700.0));
                sum += *v;
            }
            out.iter_mut().for_each(|v| *v /= sum);
            total += top + libm::log(sum);
        }
        total / x.nrows().max(1) as f64
    }

    /// The weights, means and covariances that maximise the expected log-likelihood under
    /// `resp`; Err(c) if covariance c is not positive definite.
    fn maximisation(x: ArrayView2<f64>, resp: &[f64], k: usize) -> Result<Self, usize> {
        let (n, d) = x.dim();
        // scikit-learn's guard: an emptied component keeps a tiny mass instead of dividing by 0.
        let mut mass = vec![10.0 * f64::EPSILON; k];
        let mut means = Array2::zeros((k, d));
        for (i, r) in x.rows().into_iter().enumerate() {
            for c in 0..k {
                let w = resp[i * k + c];
                mass[c] += w;
                means.row_mut(c).iter_mut().zip(r).for_each(|(m, v)| *m += w * v);
            }
        }
        for c in 0..k {
            means.row_mut(c).iter_mut().for_each(|m| *m /= mass[c]);
        }
        let mut covariances = Array3::zeros((k, d, d));
        let mut diff = vec![0.0; d];
        for (i, r) in x.rows().into_iter().enumerate() {
            for c in 0..k {
                let w = resp[i * k + c];
                diff.iter_mut().zip(r).zip(means.row(c)).for_each(|((t, v), m)| *t = v - m);
                let mut cov = covariances.index_axis_mut(ndarray::Axis(0), c);
                for a in 0..d {
                    for b in a..d {
                        cov[[a, b]] += w * diff[a] * diff[b];
                    }
                }
            }
        }
        for c in 0..k {
            let mut cov = covariances.index_axis_mut(ndarray::Axis(0), c);
            for a in 0..d {
                for b in a..d {
                    cov[[a, b]] /= mass[c];
                    cov[[b, a]] = cov[[a, b]];
                }
                cov[[a, a]] += REG_COVAR;
            }
        }
        let weights = mass.iter().map(|m| m / n as f64).collect();
        GmmModel::new(weights, means, covariances)
    }
}

/// Expectation-maximisation as scikit-learn's `GaussianMixture` does it: responsibilities
/// from a seeded k-means++ run, then E and M steps until the mean log-likelihood settles.
///
/// Written here rather than with linfa-clustering's: that one sums exponentials with the
/// platform's `exp` and `ln` (other last bits in wasm) and without subtracting the largest
/// term first; these loops use the portable `fastmath::exp` and libm in a fixed order.
pub fn fit_gmm(p: &GmmParams, data: &Data, seed: u64) -> Result<GmmModel, ParamError> {
    check_k(p.k, data.x.nrows())?;
    if !data.x.iter().all(|v| v.is_finite()) {
        return param_error("data", "a Gaussian mixture needs finite inputs");
    }
    let k = p.k;
    let start = fit_kmeans(&KMeansParams { k, init: Init::PlusPlus, iters: 300 }, data, seed, 300)?;
    let mut resp = vec![0.0; data.x.nrows() * k];
    for (i, c) in start.predict(data.x).iter().enumerate() {
        resp[i * k + *c as usize] = 1.0;
    }
    let singular = |c: usize| ParamError {
        field: "k",
        message: format!(
            "component {} of the mixture collapsed (its points lie on a line or a single spot); try fewer components",
            c + 1
        ),
    };
    let mut model = GmmModel::maximisation(data.x, &resp, k).map_err(singular)?;
    let mut likelihood = f64::NEG_INFINITY;
    for _ in 0..p.iters {
        let previous = likelihood;
        likelihood = model.expectation(data.x, &mut resp);
        model = GmmModel::maximisation(data.x, &resp, k).map_err(singular)?;
        if (likelihood - previous).abs() < TOLERANCE {
            return Ok(model);
        }
    }
    param_error("iters", format!("expectation-maximisation did not settle within {} iterations; allow more", p.iters))
}

impl Model for GmmModel {
    fn describe(&self, _names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        let m = self;
        let id = lang == crate::lang::Lang::Id;
        let mut lines = Vec::new();
        let w: Vec<String> = m.weights.iter().map(|v| format!("{:.0} %", v * 100.0)).collect();
        lines.push(if id {
            format!("{} komponen dengan bobot {}; elips melingkupi 2 simpangan baku.", m.weights.len(), w.join(", "))
        } else {
            format!(
                "{} components with weights {}; ellipses enclose 2 standard deviations.",
                m.weights.len(),
                w.join(", ")
            )
        });
        lines
    }
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        match self.predict_proba(x) {
            Some(p) => super::argmax_rows(&p),
            None => vec![0.0; x.nrows()],
        }
    }
    fn predict_proba(&self, x: ArrayView2<f64>) -> Option<Array2<f64>> {
        let k = self.means.nrows();
        if x.ncols() != self.means.ncols() || k == 0 {
            return None;
        }
        let mut resp = vec![0.0; x.nrows() * k];
        self.expectation(x, &mut resp);
        Array2::from_shape_vec((x.nrows(), k), resp).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Task;

    /// Three separated clouds of 40 points each, spread by a fixed pattern.
    fn clouds() -> Array2<f64> {
        Array2::from_shape_fn((120, 2), |(i, j)| {
            let centre = [[0.0, 0.0], [5.0, 1.0], [1.0, 6.0]][i % 3];
            let wobble = ((i * 7 + j * 3) % 11) as f64 / 11.0 - 0.5;
            centre[j] + wobble * if j == 0 { 1.0 } else { 0.6 }
        })
    }

    #[test]
    fn em_never_lowers_the_likelihood_and_finds_the_clouds() {
        let x = clouds();
        let y = vec![0.0; x.nrows()];
        let data = Data { x: x.view(), y: &y, task: Task::Regression };
        let m = fit_gmm(&GmmParams { k: 3, iters: 200 }, &data, 7).expect("ok");
        let labels = m.predict(x.view());
        for i in 0..x.nrows() {
            assert_eq!(labels[i], labels[i % 3], "row {i} is in another cloud's component");
        }
        assert!((m.weights.sum() - 1.0).abs() < 1e-12);
        // EM's defining property, step by step from the k-means start.
        let k = 3;
        let mut resp = vec![0.0; x.nrows() * k];
        for (i, c) in fit_kmeans(&KMeansParams { k, init: Init::PlusPlus, iters: 300 }, &data, 7, 300)
            .expect("ok")
            .predict(x.view())
            .iter()
            .enumerate()
        {
            resp[i * k + *c as usize] = 1.0;
        }
        let mut model = GmmModel::maximisation(x.view(), &resp, k).expect("ok");
        let mut last = f64::NEG_INFINITY;
        for _ in 0..10 {
            let likelihood = model.expectation(x.view(), &mut resp);
            assert!(likelihood >= last - 1e-12, "{likelihood} after {last}");
            last = likelihood;
            model = GmmModel::maximisation(x.view(), &resp, k).expect("ok");
        }
    }

    #[test]
    fn model_files_round_trip_and_bad_ones_are_refused() {
        let x = clouds();
        let y = vec![0.0; x.nrows()];
        let m = fit_gmm(&GmmParams { k: 3, iters: 200 }, &Data { x: x.view(), y: &y, task: Task::Regression }, 1)
            .expect("ok");
        let mut saved = serde_json::to_value(&m).expect("ok");
        let back: GmmModel = serde_json::from_value(saved.clone()).expect("ok");
        assert_eq!(back, m);
        assert_eq!(back.predict_proba(x.view()), m.predict_proba(x.view()));
        // Files written when linfa fitted the mixture carry its model too: ignored.
        saved["model"] = serde_json::json!({"covar_type": "Full", "weights": [1.0]});
        assert_eq!(serde_json::from_value::<GmmModel>(saved.clone()).expect("ok"), m);
        // A covariance edited to a negative variance, and a missing weight, are refused by name.
        let mut bad = saved.clone();
        bad["covariances"]["data"][0] = serde_json::json!(-1.0);
        let e = serde_json::from_value::<GmmModel>(bad).expect_err("refused").to_string();
        assert!(e.contains("covariance 1") && e.contains("positive definite"), "{e}");
        let mut short = saved;
        short["weights"] = serde_json::json!({"v": 1, "dim": [2], "data": [0.5, 0.5]});
        let e = serde_json::from_value::<GmmModel>(short).expect_err("refused").to_string();
        assert!(e.contains("2 weights, 3 means"), "{e}");
    }
}
