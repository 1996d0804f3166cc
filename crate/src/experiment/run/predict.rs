//! A session's predictions: for its training and test parts (in the target's own units) and
//! for one new row given as text, as a deployed model reads it.

use super::Session;
use crate::data::DOMAIN;
use crate::experiment::inputs::Inputs;
use crate::models::mlp::argmax;
use ndarray::Array2;
use serde::Serialize;

/// A prediction for one new input row (`Session::predict_raw`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RawPrediction {
    /// The class (or cluster) predicted.
    pub class: Option<usize>,
    /// Each class's probability, where the model gives them.
    pub probabilities: Option<Vec<f64>>,
    /// The value predicted (regression), in the target's own units.
    pub value: Option<f64>,
    /// What was assumed for missing or unreadable inputs.
    pub notices: Vec<String>,
}

impl Session {
    /// Class probabilities the model gives one input row (already standardised), or None for a
    /// model that does not classify. Classical models without probabilities give 1 to the class
    /// they predict.
    pub fn class_probabilities(&mut self, x: &[f64]) -> Option<Vec<f64>> {
        let classes = self.task.classes();
        if classes == 0
            || x.len() != self.inputs.count()
            || self.experiment.kind() != crate::models::Kind::Classification
        {
            return None;
        }
        self.learner.class_probabilities(x, classes)
    }

    /// A regression prediction in the target's own units: a table's target is standardised on
    /// the training rows for training, generated data's is not.
    fn in_target_units(&self, v: f64) -> f64 {
        match &self.inputs {
            Inputs::Table(t) => v * t.preprocess.target_scale + t.preprocess.target_mean,
            Inputs::Plane(_) => v,
        }
    }

    /// The inputs a new row gives, in order: the generated data's x1 and x2, or a table's
    /// source columns (numbers with their training range, or text with its levels).
    pub fn input_columns(&self) -> Vec<crate::data::tabular::InputColumn> {
        match &self.inputs {
            Inputs::Table(t) => t.preprocess.columns.clone(),
            Inputs::Plane(_) => ["x1", "x2"]
                .iter()
                .map(|n| crate::data::tabular::InputColumn {
                    name: n.to_string(),
                    levels: None,
                    one_hot: false,
                    min: -DOMAIN,
                    max: DOMAIN,
                    fill: 0.0,
                })
                .collect(),
        }
    }

    /// Predicts one new row given as text per input (`input_columns`' order), as a deployed
    /// model does: missing or unreadable inputs take their training fill, with a notice.
    pub fn predict_raw(&mut self, raw: &[String]) -> Result<RawPrediction, String> {
        let (x, notices) = match &self.inputs {
            Inputs::Table(t) => t.preprocess.encode_row(raw),
            Inputs::Plane(features) => {
                let mut notices = Vec::new();
                let mut p = [0.0; 2];
                for (i, v) in p.iter_mut().enumerate() {
                    let cell = raw.get(i).map_or("", |s| s.trim());
                    match cell.parse::<f64>() {
                        Ok(n) if n.is_finite() => *v = n,
                        _ => notices.push(format!("x{} “{cell}” is not a number; 0 was used.", i + 1)),
                    }
                }
                let mut x = vec![0.0; features.len()];
                crate::data::featurize(features, p, &mut x);
                (x, notices)
            }
        };
        let mut out = RawPrediction { class: None, probabilities: None, value: None, notices };
        match self.experiment.kind() {
            crate::models::Kind::Reduction => return Err("PCA projects the data; it makes no predictions.".into()),
            crate::models::Kind::Classification => {
                let p = self.class_probabilities(&x).ok_or("the model gives no class for this input")?;
                out.class = Some(argmax(&p));
                out.probabilities = Some(p);
            }
            kind => {
                let v = self.learner.predict_value(&x)?;
                if kind == crate::models::Kind::Clustering {
                    out.class = (v >= 0.0).then_some(v as usize);
                } else {
                    out.value = Some(self.in_target_units(v));
                }
            }
        }
        Ok(out)
    }

    /// The model's predictions for the training part or the test part, in the order of
    /// `train_rows`/`test_rows`: a class index, a cluster, or a value in the target's own units
    /// (a table's standardised regression target is scaled back); with class probabilities
    /// where the model has them.
    pub fn predict_part(&mut self, test: bool) -> (Vec<f64>, Option<Array2<f64>>) {
        let x = if test { self.x_test() } else { self.x_train() }.to_owned();
        if x.nrows() == 0 {
            return (Vec::new(), None);
        }
        let (mut predicted, proba) = self.learner.predict(x.view(), self.task);
        if self.experiment.kind() == crate::models::Kind::Regression {
            predicted.iter_mut().for_each(|v| *v = self.in_target_units(*v));
        }
        (predicted, proba)
    }

    /// The targets of the test part (`test`) or the training part, in the units
    /// `predict_part` predicts in.
    pub fn truth_part(&self, test: bool) -> Vec<f64> {
        let y = if test { &self.y_test } else { &self.y_train };
        if self.experiment.kind() == crate::models::Kind::Regression {
            y.iter().map(|&v| self.in_target_units(v)).collect()
        } else {
            y.clone()
        }
    }
}
