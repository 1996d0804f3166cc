//! Logistic regression (linfa-logistic): binary for two classes, multinomial (softmax) for
//! more. linfa minimises the summed log-loss plus alpha/2·‖w‖² with L-BFGS; Latih exposes
//! scikit-learn's C = 1/alpha, so the same C gives the same model in both.

use super::schema::{int, log_float, Setting};
use super::{param_error, Data, Model, ParamError};
use linfa::prelude::*;
use linfa_logistic::{
    FittedLogisticRegression, LogisticRegression, MultiFittedLogisticRegression, MultiLogisticRegression,
};
use ndarray::{Array1, Array2, ArrayView2};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogisticParams {
    /// Inverse regularisation strength (larger: weaker penalty on the weights).
    pub c: f64,
    /// L-BFGS iterations; each is one step of the animation.
    pub iters: usize,
}

impl Default for LogisticParams {
    fn default() -> Self {
        LogisticParams { c: 1.0, iters: 100 }
    }
}

pub const SETTINGS: &[Setting] = &[
    log_float("c", "C", 1e-4, 1e4, "Inverse regularisation: small C keeps the weights small (smoother)."),
    int("iters", "Iterations", 1, 1000, "L-BFGS iterations; each frame of the animation is one."),
];

/// Gradient tolerance: small, so the fit runs to the optimum (as scikit-learn's does) unless
/// the iteration cap stops it first.
const GRADIENT_TOLERANCE: f64 = 1e-8;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Logistic {
    /// Two classes present in training; `positive` is the class whose probability linfa models.
    Binary {
        model: FittedLogisticRegression<f64, usize>,
        positive: usize,
        classes: usize,
    },
    Multi {
        model: MultiFittedLogisticRegression<f64, usize>,
        classes: usize,
    },
}

pub fn fit(p: &LogisticParams, data: &Data, iterations: usize) -> Result<Logistic, ParamError> {
    let classes = data.classes();
    let labels = Array1::from(data.labels());
    let mut present: Vec<usize> = labels.to_vec();
    present.sort_unstable();
    present.dedup();
    if present.len() < 2 {
        return param_error("data", "logistic regression needs at least two classes among the training rows");
    }
    let dataset = DatasetView::new(data.x.reborrow(), labels.view());
    let alpha = 1.0 / p.c;
    let fit_error = |e: linfa_logistic::error::Error| ParamError { field: "model", message: e.to_string() };
    if present.len() == 2 {
        let model = LogisticRegression::default()
            .alpha(alpha)
            .max_iterations(iterations as u64)
            .gradient_tolerance(GRADIENT_TOLERANCE)
            .fit(&dataset)
            .map_err(fit_error)?;
        let positive = model.labels().pos.class;
        Ok(Logistic::Binary { model, positive, classes })
    } else {
        let model = MultiLogisticRegression::default()
            .alpha(alpha)
            .max_iterations(iterations as u64)
            .gradient_tolerance(GRADIENT_TOLERANCE)
            .fit(&dataset)
            .map_err(fit_error)?;
        Ok(Logistic::Multi { model, classes })
    }
}

impl Logistic {
    /// Weights per class (classes × features) and intercepts. Binary models have one row.
    pub fn coefficients(&self) -> (Array2<f64>, Array1<f64>) {
        match self {
            Logistic::Binary { model, positive, .. } => {
                // As scikit-learn reports them: for the log-odds of the higher class.
                let sign = if *positive == model.labels().neg.class.max(*positive) { 1.0 } else { -1.0 };
                let w = model.params().mapv(|v| v * sign);
                let n = w.len();
                let w = w.into_shape_with_order((1, n)).unwrap_or_else(|_| Array2::zeros((1, n)));
                (w, Array1::from(vec![model.intercept() * sign]))
            }
            Logistic::Multi { model, .. } => (model.params().t().to_owned(), model.intercept().clone()),
        }
    }
}

impl Model for Logistic {
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        self.predict_proba(x).map(|p| super::argmax_rows(&p)).unwrap_or_default()
    }

    fn predict_proba(&self, x: ArrayView2<f64>) -> Option<Array2<f64>> {
        match self {
            Logistic::Binary { model, positive, classes } => {
                let p = model.predict_probabilities(&x);
                let negative = model.labels().neg.class;
                let mut out = Array2::zeros((x.nrows(), *classes));
                for (i, &v) in p.iter().enumerate() {
                    out[[i, *positive]] = v;
                    out[[i, negative]] = 1.0 - v;
                }
                Some(out)
            }
            Logistic::Multi { model, classes } => {
                let p = model.predict_probabilities(&x);
                let mut out = Array2::zeros((x.nrows(), *classes));
                for (j, &c) in model.classes().iter().enumerate() {
                    out.column_mut(c).assign(&p.column(j));
                }
                Some(out)
            }
        }
    }
}
