//! A session's data made ready before its model: generated, drawn or a table selected, split
//! and preprocessed, and the design matrices of its parts.

use super::super::inputs::{self, Inputs, SplitPlan};
use super::super::Experiment;
use crate::data::rng::{Purpose, Rng};
use crate::data::table::Table;
use crate::data::{Dataset, Task};
use crate::models::ParamError;

/// A session's data made ready (generated, drawn or a table selected, split and preprocessed),
/// before its model: the first of the two steps of `Session::with_split`.
#[derive(Debug)]
pub struct SessionData {
    pub(super) experiment: Experiment,
    pub(super) dataset: Dataset,
    pub(super) train_rows: Vec<usize>,
    pub(super) test_rows: Vec<usize>,
    pub(super) inputs: Inputs,
    pub(super) notices: Vec<String>,
}

impl SessionData {
    /// The data `Session::with_split` trains on (same arguments).
    pub fn new(
        mut experiment: Experiment,
        user: Option<&Table>,
        fold: Option<(usize, usize)>,
        train_share: u32,
    ) -> Result<SessionData, ParamError> {
        let mut notices = Vec::new();
        let plan = SplitPlan {
            train_percent: experiment.train_percent,
            stratify: experiment.stratify,
            fold,
            train_share: train_share.clamp(1, 100),
            seed: experiment.data_seed,
        };
        let class_labels = |d: &Dataset| matches!(d.task, Task::Classification { .. }).then(|| d.targets.clone());
        let (dataset, train_rows, test_rows, inputs) = match experiment.table.clone() {
            None if experiment.drawn.is_some() => {
                let dataset = experiment.drawn.as_ref().map(|d| d.dataset(experiment.classes)).unwrap_or_else(|| {
                    Dataset { points: Vec::new(), targets: Vec::new(), task: Task::Classification { classes: 2 } }
                });
                let (train_rows, test_rows) = plan.rows(dataset.len(), class_labels(&dataset).as_deref());
                (dataset, train_rows, test_rows, Inputs::Plane(experiment.features.clone()))
            }
            None => {
                let mut data_rng = Rng::new(experiment.data_seed, Purpose::Data);
                let dataset = experiment.data.generate(
                    experiment.samples,
                    experiment.noise as f64 / 100.0,
                    experiment.classes,
                    &mut data_rng,
                );
                let (train_rows, test_rows) = plan.rows(dataset.len(), class_labels(&dataset).as_deref());
                (dataset, train_rows, test_rows, Inputs::Plane(experiment.features.clone()))
            }
            #[cfg(not(feature = "full"))]
            Some(_) => return Err(ParamError { field: "data", message: crate::NEEDS_FULL.into() }),
            #[cfg(feature = "full")]
            Some(mut spec) => {
                let table = inputs::source_table(&spec, user).ok_or_else(|| ParamError {
                    field: "data",
                    message: if spec.source == "csv" {
                        "this experiment uses a CSV file that is not loaded; open it again".into()
                    } else {
                        format!("there is no dataset “{}”", spec.source)
                    },
                })?;
                notices.extend(spec.fit_to(table));
                experiment.table = Some(spec.clone());
                notices.extend(experiment.fit_model_to_task());
                let image = crate::data::builtin::find(&spec.source).and_then(|b| b.image);
                let p = inputs::prepare(table, &spec, &plan, image)?;
                notices.extend(p.inputs.notices.iter().cloned());
                (p.dataset, p.train_rows, p.test_rows, Inputs::Table(Box::new(p.inputs)))
            }
        };
        Ok(SessionData { experiment, dataset, train_rows, test_rows, inputs, notices })
    }
}

/// Row-major input matrix and targets for the given rows.
pub(super) fn design(d: &Dataset, inputs: &Inputs, rows: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let f = inputs.count();
    let mut x = vec![0.0; rows.len() * f];
    let mut y = Vec::with_capacity(rows.len());
    for (i, &r) in rows.iter().enumerate() {
        let out = &mut x[i * f..(i + 1) * f];
        match inputs {
            Inputs::Plane(features) => crate::data::featurize(features, d.points[r], out),
            Inputs::Table(t) => out.copy_from_slice(&t.x[r * f..(r + 1) * f]),
        }
        y.push(d.targets[r]);
    }
    (x, y)
}
