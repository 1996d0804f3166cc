//! What a session's views draw: the model over the view's grid, the task the view colours by,
//! a clusterer's labels, the recommender's user × item table and an input's own field.

use super::{Fields, Session};
use crate::data::{Feature, Task, DOMAIN};
use crate::experiment::inputs::Inputs;
use crate::models::Fitted;
use crate::render::Field;

/// Centre of grid cell (row, col) in data coordinates.
fn grid_point(res: usize, row: usize, col: usize) -> [f64; 2] {
    let step = 2.0 * DOMAIN / res as f64;
    [-DOMAIN + (col as f64 + 0.5) * step, DOMAIN - (row as f64 + 0.5) * step]
}

impl Session {
    /// The network's output over a res × res grid on the domain, plus each hidden neuron's.
    /// Row 0 is the top of the view (x2 = +6). For a classical model: its prediction (class
    /// and confidence, value, cluster or first component) over the grid, and no neurons.
    pub fn fields(&mut self, res: usize) -> Fields {
        let task = self.view_task();
        let inputs = &self.inputs;
        let cell = |c: usize, out: &mut [f64]| inputs.at(grid_point(res, c / res, c % res), out);
        self.learner.fields(res, task, inputs.count(), &cell)
    }

    /// The task the views draw: clusterers colour by cluster (as classes), PCA draws its first
    /// component as a signed value.
    pub fn view_task(&self) -> Task {
        match (self.experiment.kind(), self.fitted()) {
            (crate::models::Kind::Clustering, Some(Fitted::KMeans(m))) => {
                Task::Classification { classes: m.centroids.nrows() }
            }
            (crate::models::Kind::Clustering, Some(Fitted::Gmm(m))) => {
                Task::Classification { classes: m.means.nrows() }
            }
            (crate::models::Kind::Clustering, Some(Fitted::Dbscan(m))) => {
                Task::Classification { classes: m.clusters.max(1) }
            }
            (crate::models::Kind::Clustering, _) => Task::Classification { classes: 2 },
            (crate::models::Kind::Reduction, _) => Task::Regression,
            _ => self.task,
        }
    }

    /// Whether the inputs are two label-encoded text columns, as a recommender reads them
    /// (a user and an item per row).
    pub fn reads_as_ratings(&self) -> bool {
        self.inputs.table().is_some_and(|t| {
            let c = &t.preprocess.columns;
            c.len() == 2 && c.iter().all(|c| c.levels.is_some() && !c.one_hot)
        })
    }

    /// The recommender's user × item table: predicted ratings and the rated cells of both
    /// parts, in stars. None unless the fitted model is the recommender reading two
    /// label-encoded text columns.
    pub fn rating_matrix(&self) -> Option<crate::models::als::RatingMatrix> {
        use crate::models::als::Coding;
        let Some(Fitted::Als(model)) = self.fitted() else { return None };
        let t = self.inputs.table()?;
        let p = &t.preprocess;
        let levels = |j: usize| p.columns.get(j).filter(|c| !c.one_hot).and_then(|c| c.levels.as_deref());
        if p.columns.len() != 2 || p.means.len() != 2 {
            return None;
        }
        let names = [levels(0)?, levels(1)?];
        let codes = [0, 1].map(|j| Coding { mean: p.means[j], scale: p.scales[j] });
        let unscale = |v: f64| v * p.target_scale + p.target_mean;
        let (xtr, xte) = (self.x_train(), self.x_test());
        let rows = xtr
            .rows()
            .into_iter()
            .zip(self.y_train().iter().map(|&y| (y, false)))
            .chain(xte.rows().into_iter().zip(self.y_test().iter().map(|&y| (y, true))))
            .map(|(x, (y, test))| (x, y, test));
        Some(model.rating_matrix(names, codes, unscale, rows))
    }

    /// Labels the data view colours points by: the true targets, or for a clusterer the
    /// cluster each point was put in (−1: noise).
    pub fn point_labels(&self) -> Option<Vec<f64>> {
        if self.experiment.kind() != crate::models::Kind::Clustering {
            return None;
        }
        let fitted = self.fitted()?;
        let mut labels = vec![-1.0; self.dataset.len()];
        // DBSCAN labelled its training rows itself; the nearest-member rule is for new points.
        let train = match fitted {
            Fitted::Dbscan(m) => m.labels.clone(),
            _ => fitted.predict(self.x_train()),
        };
        for (&row, l) in self.train_rows.iter().zip(train) {
            labels[row] = l;
        }
        for (&row, l) in self.test_rows.iter().zip(fitted.predict(self.x_test())) {
            labels[row] = l;
        }
        Some(labels)
    }

    /// An input's value over a res × res grid of the view: a feature of the plane (by link
    /// key, whether on or not), or a table input (by name).
    pub fn input_field(&self, res: usize, key: &str) -> Option<Field> {
        let mut f = Field::new(res, Task::Regression);
        match &self.inputs {
            Inputs::Plane(_) => {
                let feature = Feature::from_key(key)?;
                for row in 0..res {
                    for col in 0..res {
                        f.value[row * res + col] = feature.value(grid_point(res, row, col)) as f32;
                    }
                }
            }
            Inputs::Table(t) => {
                let j = t.names.iter().position(|n| n == key)?;
                let mut x = vec![0.0; t.names.len()];
                for row in 0..res {
                    for col in 0..res {
                        t.view.input(grid_point(res, row, col), &mut x);
                        f.value[row * res + col] = x[j] as f32;
                    }
                }
            }
        }
        Some(f)
    }
}
