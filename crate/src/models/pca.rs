//! Principal component analysis: the eigenvectors of the inputs' covariance matrix, found by
//! Jacobi rotations. The fitted model keeps the components, the mean and the explained
//! variance; `predict` gives each row's first component, which the playground draws over the
//! plane, and `transform` the full projection.
//!
//! Written here rather than with linfa-reduction: its truncated SVD multiplies through
//! matrixmultiply, whose kernels differ by CPU, so the same link gave other last bits in wasm;
//! Jacobi's rotations are a fixed sequence of IEEE operations, and d × d is small here.

use super::schema::{int, Setting};
use super::{param_error, Data, Model, ParamError};
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
    if !data.x.iter().all(|v| v.is_finite()) {
        return param_error("data", "PCA needs finite inputs");
    }
    let mean: Array1<f64> = data.x.columns().into_iter().map(|c| c.sum() / n as f64).collect();
    // The upper triangle of Σ (x − mean)ᵀ(x − mean), row by row in order.
    let mut scatter = vec![0.0; d * d];
    let mut centred = vec![0.0; d];
    for row in data.x.rows() {
        centred.iter_mut().zip(row).zip(&mean).for_each(|((c, v), m)| *c = v - m);
        for a in 0..d {
            for b in a..d {
                scatter[a * d + b] += centred[a] * centred[b];
            }
        }
    }
    let total: f64 = (0..d).map(|a| scatter[a * d + a]).sum::<f64>() / (n as f64 - 1.0);
    let (values, vectors) = symmetric_eigen(&mut scatter, d);
    // scikit-learn's definitions: variance with n − 1, its ratio to all the inputs' variance.
    let explained_variance: Vec<f64> = values[..p.components].iter().map(|v| v.max(0.0) / (n as f64 - 1.0)).collect();
    let explained_variance_ratio =
        explained_variance.iter().map(|v| if total > 0.0 { v / total } else { 0.0 }).collect();
    let components = Array2::from_shape_fn((p.components, d), |(c, j)| vectors[c][j]);
    Ok(PcaModel { components, mean, explained_variance, explained_variance_ratio })
}

/// Eigenvalues (largest first) and unit eigenvectors of the symmetric `d × d` row-major
/// matrix whose upper triangle `upper` holds (the lower one is ignored and overwritten), by
/// cyclic Jacobi rotations. Each eigenvector's largest-magnitude entry (the first such) is
/// positive, scikit-learn's `svd_flip` convention, so a component never flips between runs.
///
/// Hand-written: the linear-algebra crates either call BLAS (not in wasm) or multiply with
/// CPU-dependent kernels; these few lines give the same bits on every target.
pub fn symmetric_eigen(upper: &mut [f64], d: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let a = upper;
    for p in 0..d {
        for q in 0..p {
            a[p * d + q] = a[q * d + p];
        }
    }
    let mut v = vec![0.0; d * d];
    (0..d).for_each(|i| v[i * d + i] = 1.0);
    // Jacobi converges quadratically: a handful of sweeps; the cap only guards against NaN.
    for sweep in 0..64 {
        let off: f64 = (0..d).flat_map(|p| (p + 1..d).map(move |q| (p, q))).map(|(p, q)| a[p * d + q].abs()).sum();
        if off == 0.0 || !off.is_finite() {
            break;
        }
        for p in 0..d {
            for q in p + 1..d {
                let apq = a[p * d + q];
                let (app, aqq) = (a[p * d + p], a[q * d + q]);
                // Past the first sweeps, an entry too small to change either diagonal is zero
                // (Numerical Recipes' rule): this is what ends the loop.
                if sweep > 3 && app.abs() + 100.0 * apq.abs() == app.abs() && aqq.abs() + 100.0 * apq.abs() == aqq.abs()
                {
                    a[p * d + q] = 0.0;
                    a[q * d + p] = 0.0;
                    continue;
                }
                if apq == 0.0 {
                    continue;
                }
                let theta = (aqq - app) / (2.0 * apq);
                // tan of the rotation angle, the smaller root (1/(2θ) where θ² would overflow).
                let t = if theta.abs() > 1e150 {
                    0.5 / theta
                } else {
                    let t = 1.0 / (theta.abs() + libm::sqrt(theta * theta + 1.0));
                    if theta < 0.0 {
                        -t
                    } else {
                        t
                    }
                };
                let c = 1.0 / libm::sqrt(t * t + 1.0);
                let s = t * c;
                a[p * d + p] = app - t * apq;
                a[q * d + q] = aqq + t * apq;
                a[p * d + q] = 0.0;
                a[q * d + p] = 0.0;
                for r in (0..d).filter(|&r| r != p && r != q) {
                    let (arp, arq) = (a[r * d + p], a[r * d + q]);
                    a[r * d + p] = c * arp - s * arq;
                    a[p * d + r] = a[r * d + p];
                    a[r * d + q] = c * arq + s * arp;
                    a[q * d + r] = a[r * d + q];
                }
                for r in 0..d {
                    let (vrp, vrq) = (v[r * d + p], v[r * d + q]);
                    v[r * d + p] = c * vrp - s * vrq;
                    v[r * d + q] = s * vrp + c * vrq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..d).collect();
    order.sort_by(|&i, &j| a[j * d + j].total_cmp(&a[i * d + i]));
    let values = order.iter().map(|&i| a[i * d + i]).collect();
    let vectors = order
        .iter()
        .map(|&i| {
            let mut e: Vec<f64> = (0..d).map(|r| v[r * d + i]).collect();
            let big = e.iter().copied().fold(0.0f64, |m, x| if x.abs() > m.abs() { x } else { m });
            if big < 0.0 {
                e.iter_mut().for_each(|x| *x = -*x);
            }
            e
        })
        .collect();
    (values, vectors)
}

impl PcaModel {
    /// Coordinates of each row along the components (rows × components).
    pub fn transform(&self, x: ArrayView2<f64>) -> Array2<f64> {
        self.project(x, self.components.nrows())
    }

    /// Each row's coordinates along the first `k` components, over flat rows (ndarray's 2-D
    /// indexing cost more than the arithmetic).
    fn project(&self, x: ArrayView2<f64>, k: usize) -> Array2<f64> {
        let components = self.components.as_standard_layout();
        let components = components.as_slice().unwrap_or_default();
        let d = self.components.ncols().max(1);
        let mean = self.mean.as_slice().map_or_else(|| self.mean.to_vec(), <[f64]>::to_vec);
        let mut out = Array2::zeros((x.nrows(), k));
        let mut centred = vec![0.0; x.ncols()];
        for (i, r) in x.rows().into_iter().enumerate() {
            centred.iter_mut().zip(r).zip(&mean).for_each(|((c, v), m)| *c = v - m);
            for (c, component) in components.chunks_exact(d).take(k).enumerate() {
                out[[i, c]] = centred.iter().zip(component).fold(0.0, |s, (v, w)| s + v * w);
            }
        }
        out
    }
}

impl Model for PcaModel {
    fn describe(&self, names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        let m = self;
        let mut lines = Vec::new();
        let parts: Vec<String> = m
            .explained_variance_ratio
            .iter()
            .enumerate()
            .map(|(i, r)| format!("PC{} {:.1} %", i + 1, r * 100.0))
            .collect();
        lines.push(format!("{}: {}.", lang.pick("Variance explained", "Varians yang dijelaskan"), parts.join(", ")));
        let c: Vec<String> = m
            .components
            .row(0)
            .iter()
            .zip(names)
            .map(|(v, n)| format!("{}·{n}", super::words::short_number(*v)))
            .collect();
        lines.push(format!("PC1 = {} ({})", c.join(" + "), lang.pick("the colour of the plane", "warna bidang")));
        lines
    }
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        self.project(x, 1).column(0).to_vec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Task;

    fn fitted(x: Array2<f64>, components: usize) -> PcaModel {
        let y = vec![0.0; x.nrows()];
        fit(&PcaParams { components }, &Data { x: x.view(), y: &y, task: Task::Regression }).expect("ok")
    }

    #[test]
    fn jacobi_diagonalises_a_symmetric_matrix() {
        // A·e = λ·e for each pair, the vectors orthonormal, the values summing to the trace.
        let m = [4.0, 1.0, 1.0, 1.0, 4.0, -1.0, 1.0, -1.0, 2.0];
        let (values, vectors) = symmetric_eigen(&mut m.clone(), 3);
        for (i, e) in vectors.iter().enumerate() {
            // A·e = λ·e, row by row.
            for r in 0..3 {
                let ae: f64 = (0..3).map(|c| m[r * 3 + c] * e[c]).sum();
                assert!((ae - values[i] * e[r]).abs() < 1e-12, "row {r} of eigenvector {i}");
            }
            for (j, f) in vectors.iter().enumerate() {
                let dot: f64 = e.iter().zip(f).map(|(a, b)| a * b).sum();
                assert!((dot - if i == j { 1.0 } else { 0.0 }).abs() < 1e-12);
            }
        }
        assert!(values.windows(2).all(|w| w[0] >= w[1]), "{values:?} not largest first");
        let trace: f64 = values.iter().sum();
        assert!((trace - 10.0).abs() < 1e-12);
    }

    #[test]
    fn a_line_of_points_has_one_component_with_all_the_variance() {
        // Points along (3, 4)/5 with a little spread across it.
        let x = Array2::from_shape_fn((50, 2), |(i, j)| {
            let t = i as f64 - 25.0;
            let across = if i % 2 == 0 { 0.01 } else { -0.01 };
            if j == 0 {
                0.6 * t - 0.8 * across
            } else {
                0.8 * t + 0.6 * across
            }
        });
        let m = fitted(x.clone(), 2);
        // (The spread alternates with the row, so it leans a hair along the line: 1e-4, not 1e-12.)
        let first = m.components.row(0);
        assert!((first[0] - 0.6).abs() < 1e-4 && (first[1] - 0.8).abs() < 1e-4, "{first}");
        assert!(m.explained_variance_ratio[0] > 0.9999 && m.explained_variance_ratio[0] < 1.0);
        let ratio_sum: f64 = m.explained_variance_ratio.iter().sum();
        assert!((ratio_sum - 1.0).abs() < 1e-12);
        // Projections are centred and their variance is the explained variance.
        let z = m.transform(x.view());
        let var: f64 = z.column(0).iter().map(|v| v * v).sum::<f64>() / 49.0;
        assert!((var - m.explained_variance[0]).abs() < 1e-9 * var);
    }

    #[test]
    fn constant_inputs_and_too_many_components_are_handled() {
        let m = fitted(Array2::from_elem((5, 3), 2.0), 3);
        assert_eq!(m.explained_variance_ratio, vec![0.0; 3]);
        let y = vec![0.0; 5];
        let x = Array2::zeros((5, 2));
        let e = fit(&PcaParams { components: 3 }, &Data { x: x.view(), y: &y, task: Task::Regression })
            .expect_err("refused");
        assert_eq!(e.field, "components");
    }
}
