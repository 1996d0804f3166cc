//! Honest evaluation: the metrics of a session's predictions on either part, k-fold
//! cross-validation (every fold a fresh session whose preprocessing is fitted on that fold's
//! training rows only) and hyperparameter search (each candidate cross-validated), both run
//! in small steps so the page stays responsive and can show progress and cancel.

use crate::data::table::Table;
use crate::data::Task;
use crate::experiment::run::{Session, Status};
use crate::experiment::search::SearchSpec;
use crate::experiment::Experiment;
use crate::metrics::{self, ClassReport, RegressionReport};
use crate::models::Kind;
use serde::Serialize;

/// Epochs a network trains in each fold when the experiment does not say (`stop`).
pub const DEFAULT_FOLD_EPOCHS: u32 = 100;
/// Most rows the silhouette (quadratic) is computed on; a larger part uses its first rows.
pub const MAX_SILHOUETTE_ROWS: usize = 2_000;

/// The metrics of one part of the data.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Report {
    Classification(ClassReport),
    Regression {
        #[serde(flatten)]
        errors: RegressionReport,
        /// Truth and prediction of each row, for the residual plot.
        truth: Vec<f64>,
        predicted: Vec<f64>,
    },
    Clustering {
        silhouette: f64,
        /// When the data has labels.
        adjusted_rand: Option<f64>,
        rows: usize,
    },
    Projection,
}

/// The report of a session's current model on its test part (`test`) or training part.
pub fn report(session: &mut Session, test: bool) -> Report {
    let (predicted, proba) = session.predict_part(test);
    let truth = session.truth_part(test);
    match session.experiment().kind() {
        Kind::Classification => {
            let classes = session.task().classes();
            let flat: Option<Vec<f64>> = proba.map(|p| p.iter().copied().collect());
            Report::Classification(metrics::classification(&truth, &predicted, flat.as_deref(), classes))
        }
        Kind::Regression => Report::Regression { errors: metrics::regression(&truth, &predicted), truth, predicted },
        Kind::Clustering => {
            let x = if test { session.x_test() } else { session.x_train() };
            let rows = x.nrows().min(MAX_SILHOUETTE_ROWS);
            let flat: Vec<f64> = x.rows().into_iter().take(rows).flat_map(|r| r.to_vec()).collect();
            let silhouette = metrics::silhouette(&flat, x.ncols(), &predicted[..rows.min(predicted.len())]);
            let adjusted_rand = matches!(session.task(), Task::Classification { .. })
                .then(|| metrics::adjusted_rand_index(&predicted, &truth));
            Report::Clustering { silhouette, adjusted_rand, rows }
        }
        Kind::Reduction => Report::Projection,
    }
}

/// The single numbers a fold contributes, by name, the search's score first.
fn fold_scores(report: &Report) -> Vec<(&'static str, f64)> {
    match report {
        Report::Classification(r) => {
            let mut v = vec![
                ("accuracy", r.accuracy),
                ("balanced accuracy", r.balanced_accuracy),
                ("F1 (macro)", r.macro_avg.f1),
            ];
            if let Some(l) = r.log_loss {
                v.push(("log loss", l));
            }
            if let Some(a) = r.roc_auc {
                v.push(("ROC AUC", a));
            }
            v
        }
        Report::Regression { errors, .. } => {
            vec![("R²", errors.r2), ("RMSE", errors.rmse), ("MAE", errors.mae), ("MSE", errors.mse)]
        }
        _ => Vec::new(),
    }
}

/// One metric across folds: each fold's value, their mean and (population) standard deviation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    pub name: &'static str,
    pub folds: Vec<f64>,
    pub mean: f64,
    pub std: f64,
}

fn summarise(folds: &[Vec<(&'static str, f64)>]) -> Vec<Summary> {
    let Some(first) = folds.first() else { return Vec::new() };
    first
        .iter()
        .enumerate()
        .map(|(i, (name, _))| {
            let values: Vec<f64> = folds.iter().filter_map(|f| f.get(i).map(|v| v.1)).collect();
            let n = values.len().max(1) as f64;
            let mean = values.iter().sum::<f64>() / n;
            let std = (values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n).sqrt();
            Summary { name, folds: values, mean, std }
        })
        .collect()
}

/// One model trained to the end on one split, a few steps per call.
#[derive(Debug)]
struct FitRun {
    session: Session,
    epochs: u32,
    steps: u64,
    steps_total: u64,
}

impl FitRun {
    fn new(
        experiment: &Experiment,
        user: Option<&Table>,
        fold: Option<(usize, usize)>,
        train_share: u32,
    ) -> Result<FitRun, String> {
        let mut s = Session::with_split(experiment.clone(), user, fold, train_share).map_err(|e| e.to_string())?;
        if let Status::Failed(why) = s.status() {
            return Err(why.clone());
        }
        s.set_record_every_epoch(false);
        let epochs = if experiment.stop_after > 0 { experiment.stop_after } else { DEFAULT_FOLD_EPOCHS };
        let steps_total = match s.trainer() {
            Some(_) => 1,
            None => u64::from(epochs) * s.batches_per_epoch() as u64,
        };
        Ok(FitRun { session: s, epochs, steps: 0, steps_total })
    }

    fn fraction(&self) -> f64 {
        (self.steps as f64 / self.steps_total.max(1) as f64).min(1.0)
    }

    /// Trains while `keep_going()` says so; true once the model is trained.
    fn advance(&mut self, keep_going: &mut dyn FnMut() -> bool) -> Result<bool, String> {
        loop {
            let s = &mut self.session;
            let done = if s.trainer().is_some() { !s.can_train() } else { s.epoch() >= self.epochs || !s.can_train() };
            if done {
                if let Status::Failed(why) | Status::Diverged(why) = s.status() {
                    return Err(why.clone());
                }
                return Ok(true);
            }
            if s.trainer().is_some() {
                // One fit to the end: stepping a classical model iteration by iteration
                // refits it each time (for the animation), which a fold does not need.
                s.fit_to_end();
            } else {
                s.step_batch();
            }
            self.steps += 1;
            if !keep_going() {
                return Ok(false);
            }
        }
    }
}

fn applies(experiment: &Experiment, what: &str) -> Result<(), String> {
    if matches!(experiment.kind(), Kind::Clustering | Kind::Reduction) {
        return Err(format!(
            "{what} scores predictions against targets; it applies to classification and regression models"
        ));
    }
    Ok(())
}

/// A k-fold cross-validation of an experiment, run a few training steps per call.
#[derive(Debug)]
pub struct CrossValidation {
    experiment: Experiment,
    k: usize,
    run: Option<FitRun>,
    folds: Vec<Vec<(&'static str, f64)>>,
}

impl CrossValidation {
    /// Cross-validation of a classifier or regressor in `k` folds (2 to 10; stratified when
    /// the experiment stratifies). A network trains `stop` epochs per fold (100 if unset).
    pub fn new(experiment: &Experiment, k: usize) -> Result<CrossValidation, String> {
        applies(experiment, "cross-validation")?;
        Ok(CrossValidation {
            experiment: experiment.clone(),
            k: k.clamp(2, crate::experiment::MAX_FOLDS as usize),
            run: None,
            folds: Vec::new(),
        })
    }

    pub fn folds(&self) -> usize {
        self.k
    }

    /// Folds done, and the fraction of all the work done (folds and the current fold's steps).
    pub fn progress(&self) -> (usize, f64) {
        let done = self.folds.len();
        let partial = self.run.as_ref().map_or(0.0, FitRun::fraction);
        (done, (done as f64 + partial) / self.k as f64)
    }

    pub fn finished(&self) -> bool {
        self.folds.len() >= self.k
    }

    /// Trains while `keep_going()` says so (it is asked after every step); returns whether
    /// every fold is done. A fold that cannot be trained is an error naming it.
    pub fn advance(&mut self, user: Option<&Table>, keep_going: &mut dyn FnMut() -> bool) -> Result<bool, String> {
        while !self.finished() {
            let fold = self.folds.len();
            let name = |why: String| format!("fold {}: {why}", fold + 1);
            if self.run.is_none() {
                self.run = Some(FitRun::new(&self.experiment, user, Some((self.k, fold)), 100).map_err(name)?);
            }
            let Some(run) = self.run.as_mut() else { break };
            if !run.advance(keep_going).map_err(name)? {
                break;
            }
            let r = report(&mut run.session, true);
            self.folds.push(fold_scores(&r));
            self.run = None;
            if !keep_going() {
                break;
            }
        }
        Ok(self.finished())
    }

    /// Every metric across the folds done so far.
    pub fn summary(&self) -> Vec<Summary> {
        summarise(&self.folds)
    }
}

/// Training-set shares (percent) a learning curve fits.
pub const LEARNING_SHARES: [u32; 6] = [10, 20, 40, 60, 80, 100];

/// One point of a learning curve: the main score on the rows trained on and on the test part.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LearningPoint {
    pub share: u32,
    pub rows: usize,
    pub train: f64,
    pub test: f64,
}

/// Score against training-set size: the model refitted on growing shares of the training
/// part (each inside the next), always tested on the same test part.
#[derive(Debug)]
pub struct LearningCurve {
    experiment: Experiment,
    run: Option<FitRun>,
    pub points: Vec<LearningPoint>,
    /// The score's name (accuracy or R²).
    pub score: &'static str,
}

impl LearningCurve {
    pub fn new(experiment: &Experiment) -> Result<LearningCurve, String> {
        applies(experiment, "a learning curve")?;
        let score = if experiment.kind() == Kind::Regression { "R²" } else { "accuracy" };
        Ok(LearningCurve { experiment: experiment.clone(), run: None, points: Vec::new(), score })
    }

    pub fn total(&self) -> usize {
        LEARNING_SHARES.len()
    }

    pub fn progress(&self) -> f64 {
        (self.points.len() as f64 + self.run.as_ref().map_or(0.0, FitRun::fraction)) / self.total() as f64
    }

    pub fn finished(&self) -> bool {
        self.points.len() >= self.total()
    }

    /// Trains while `keep_going()` says so; returns whether every point is done.
    pub fn advance(&mut self, user: Option<&Table>, keep_going: &mut dyn FnMut() -> bool) -> Result<bool, String> {
        while !self.finished() {
            let share = LEARNING_SHARES[self.points.len()];
            let name = |why: String| format!("{share}% of the training rows: {why}");
            if self.run.is_none() {
                self.run = Some(FitRun::new(&self.experiment, user, None, share).map_err(name)?);
            }
            let Some(run) = self.run.as_mut() else { break };
            if !run.advance(keep_going).map_err(name)? {
                break;
            }
            let main = |r: &Report| fold_scores(r).first().map_or(f64::NAN, |s| s.1);
            let test = main(&report(&mut run.session, true));
            let train = main(&report(&mut run.session, false));
            self.points.push(LearningPoint { share, rows: run.session.train_rows().len(), train, test });
            self.run = None;
            if !keep_going() {
                break;
            }
        }
        Ok(self.finished())
    }
}

/// One candidate of a search and its cross-validated scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Candidate {
    /// Its settings as link pairs.
    pub settings: Vec<(String, String)>,
    pub scores: Vec<Summary>,
    /// Why it could not be scored (its settings are refused, or training failed).
    pub error: Option<String>,
}

/// A hyperparameter search: each candidate cross-validated in turn, a few steps per call.
#[derive(Debug)]
pub struct Search {
    base: Experiment,
    k: usize,
    pending: Vec<Vec<(String, String)>>,
    cv: Option<CrossValidation>,
    pub results: Vec<Candidate>,
    pub notices: Vec<String>,
}

impl Search {
    pub fn new(experiment: &Experiment, spec: &SearchSpec) -> Result<Search, String> {
        if matches!(experiment.kind(), Kind::Clustering | Kind::Reduction) {
            return Err(
                "a search scores candidates by cross-validation, which needs a classification or regression model"
                    .into(),
            );
        }
        let (pending, note) = spec.candidates(&experiment.model, experiment.seed);
        if pending.is_empty() {
            return Err("the search space is empty: choose at least one setting and its values".into());
        }
        let mut base = experiment.clone();
        base.search = None;
        Ok(Search {
            k: experiment.cv_folds(),
            base,
            pending,
            cv: None,
            results: Vec::new(),
            notices: note.into_iter().collect(),
        })
    }

    pub fn total(&self) -> usize {
        self.pending.len()
    }

    /// Fraction of the work done.
    pub fn progress(&self) -> f64 {
        let within = self.cv.as_ref().map_or(0.0, |cv| cv.progress().1);
        (self.results.len() as f64 + within) / self.total().max(1) as f64
    }

    pub fn finished(&self) -> bool {
        self.results.len() >= self.total()
    }

    /// The experiment of candidate `i` (the base with its settings), with what had to change.
    pub fn candidate_experiment(&self, i: usize) -> Option<(Experiment, Vec<String>)> {
        self.pending.get(i).map(|pairs| crate::share::with_settings(&self.base, pairs))
    }

    /// Runs while `keep_going()` says so; returns whether every candidate is scored.
    pub fn advance(&mut self, user: Option<&Table>, keep_going: &mut dyn FnMut() -> bool) -> bool {
        while !self.finished() {
            let i = self.results.len();
            if self.cv.is_none() {
                let Some((experiment, notes)) = self.candidate_experiment(i) else { break };
                let settings = self.pending[i].clone();
                if let Some(why) = notes.first() {
                    self.results.push(Candidate { settings, scores: Vec::new(), error: Some(why.clone()) });
                    continue;
                }
                match CrossValidation::new(&experiment, self.k) {
                    Ok(cv) => self.cv = Some(cv),
                    Err(why) => {
                        self.results.push(Candidate { settings, scores: Vec::new(), error: Some(why) });
                        continue;
                    }
                }
            }
            let Some(cv) = self.cv.as_mut() else { break };
            let outcome = cv.advance(user, keep_going);
            let settings = self.pending[i].clone();
            match outcome {
                Ok(true) => {
                    self.results.push(Candidate { settings, scores: cv.summary(), error: None });
                    self.cv = None;
                }
                Ok(false) => return false,
                Err(why) => {
                    self.results.push(Candidate { settings, scores: Vec::new(), error: Some(why) });
                    self.cv = None;
                }
            }
            if !keep_going() {
                break;
            }
        }
        self.finished()
    }

    /// The scored candidate with the best mean score (the first on ties), by index.
    pub fn best(&self) -> Option<usize> {
        let score = |c: &Candidate| c.scores.first().map(|s| s.mean).filter(|m| m.is_finite());
        self.results
            .iter()
            .enumerate()
            .filter_map(|(i, c)| score(c).map(|s| (i, s)))
            .fold(None, |best: Option<(usize, f64)>, (i, s)| match best {
                Some((_, b)) if b >= s => best,
                _ => Some((i, s)),
            })
            .map(|(i, _)| i)
    }
}

#[cfg(test)]
mod tests;
