//! Linear regression by least squares (linfa-linear) and its penalised forms, ridge, lasso
//! and elastic net (linfa-elasticnet's coordinate descent). Penalties follow scikit-learn:
//! lasso and elastic net minimise 1/(2n)·‖y − Xw‖² + α·r·‖w‖₁ + α(1−r)/2·‖w‖²; ridge minimises
//! ‖y − Xw‖² + α‖w‖², i.e. the elastic net with α/n and r = 0.

use super::schema::{float, log_float, Setting};
use super::{Data, Model, ParamError};
use linfa::prelude::*;
use linfa_elasticnet::ElasticNet;
use linfa_linear::LinearRegression;
use ndarray::{Array1, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct LinearParams {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RidgeParams {
    pub alpha: f64,
}
impl Default for RidgeParams {
    fn default() -> Self {
        RidgeParams { alpha: 1.0 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LassoParams {
    pub alpha: f64,
}
impl Default for LassoParams {
    fn default() -> Self {
        LassoParams { alpha: 0.001 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ElasticNetParams {
    pub alpha: f64,
    pub l1ratio: f64,
}
impl Default for ElasticNetParams {
    fn default() -> Self {
        ElasticNetParams { alpha: 0.001, l1ratio: 0.5 }
    }
}

const ALPHA_HINT: &str = "Strength of the penalty on the weights; 0 would be plain least squares.";
pub const RIDGE_SETTINGS: &[Setting] = &[log_float("alpha", "Alpha", 1e-6, 1e4, ALPHA_HINT)];
pub const LASSO_SETTINGS: &[Setting] = &[log_float("alpha", "Alpha", 1e-6, 1e3, ALPHA_HINT)];
pub const ELASTIC_NET_SETTINGS: &[Setting] = &[
    log_float("alpha", "Alpha", 1e-6, 1e3, ALPHA_HINT),
    float("l1ratio", "L1 ratio", 0.0, 1.0, "1: all lasso (sparse weights), 0: all ridge (small weights)."),
];

/// Coordinate descent runs until the duality gap is below this (scikit-learn's tol) or the cap.
const TOLERANCE: f64 = 1e-10;
const MAX_ITERATIONS: u32 = 100_000;

/// A fitted linear model: prediction = x · weights + intercept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinearModel {
    pub weights: Array1<f64>,
    pub intercept: f64,
}

fn fit_error(e: impl std::fmt::Display) -> ParamError {
    ParamError { field: "model", message: e.to_string() }
}

pub fn fit_ols(data: &Data) -> Result<LinearModel, ParamError> {
    let y = Array1::from(data.y.to_vec());
    let model = LinearRegression::new().fit(&DatasetBase::new(data.x, y.view())).map_err(fit_error)?;
    Ok(LinearModel { weights: model.params().clone(), intercept: model.intercept() })
}

pub fn fit_penalised(data: &Data, penalty: f64, l1_ratio: f64) -> Result<LinearModel, ParamError> {
    let y = Array1::from(data.y.to_vec());
    // linfa-elasticnet centres the targets but not the features, so its intercept is only
    // right for centred features: centre them here and move the intercept back after.
    let mean = data.x.mean_axis(Axis(0)).unwrap_or_else(|| Array1::zeros(data.x.ncols()));
    let centred = &data.x - &mean;
    let model = ElasticNet::params()
        .penalty(penalty)
        .l1_ratio(l1_ratio)
        .tolerance(TOLERANCE)
        .max_iterations(MAX_ITERATIONS)
        .fit(&DatasetBase::new(centred, y.view()))
        .map_err(fit_error)?;
    let weights = model.hyperplane().clone();
    let intercept = model.intercept() - mean.iter().zip(&weights).map(|(m, w)| m * w).sum::<f64>();
    Ok(LinearModel { weights, intercept })
}

impl Model for LinearModel {
    fn describe(&self, names: &[&str], _lang: crate::lang::Lang) -> Vec<String> {
        let m = self;
        let mut lines = Vec::new();
        lines.push(format!("ŷ = {}", super::words::equation(names, &m.weights.to_vec(), m.intercept)));
        lines
    }
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        // A plain loop in a fixed order (not `dot`, whose kernel differs between CPUs).
        x.rows().into_iter().map(|r| r.iter().zip(&self.weights).fold(self.intercept, |s, (a, b)| s + a * b)).collect()
    }
}
