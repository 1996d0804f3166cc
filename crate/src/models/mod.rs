//! Model families behind one interface.
//!
//! Every model is described by `ModelParams` (serde data with defaults, one variant per model,
//! so it goes into links and files), checked once by `check` with an error naming the field,
//! fitted on `Data` into a `Fitted` model, which predicts, gives class probabilities where the
//! model has them, and scores. Iterative models (logistic regression, random forest, k-means, the recommender)
//! are fitted through `Trainer`, which advances one iteration per `step` so the page can draw
//! progress. The MLP keeps its own mini-batch loop (`experiment::Session`) and joins the
//! interface through `Fitted::Mlp`.

pub mod als;
pub mod bayes;
pub mod cluster;
pub mod fastmath;
pub mod knn;
pub mod lbfgs;
pub mod learner;
pub mod linear;
pub mod logistic;
pub mod mlp;
pub mod pca;
pub mod schema;
pub mod svm;
pub mod tree;
pub mod words;

use crate::data::Task;
use crate::metrics::{accuracy, adjusted_rand_index, r2};
use crate::Only;
use ndarray::{Array2, ArrayView2};
use schema::Setting;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::fmt;

/// A hyperparameter that failed its check, or data a model cannot fit, naming the field and
/// what is accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError {
    pub field: &'static str,
    pub message: String,
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for ParamError {}

pub(crate) fn param_error<T>(field: &'static str, message: impl Into<String>) -> Result<T, ParamError> {
    Err(ParamError { field, message: message.into() })
}

/// A model file in the module's current form `C` or in the form `L` of the linfa crate it
/// replaced (converted by `upgrade`): the one reader behind each family's `read`, which then
/// checks the result.
pub(crate) fn read_current_or_linfa<'de, D, C, L>(
    d: D,
    upgrade: impl FnOnce(L) -> Result<C, String>,
) -> Result<C, D::Error>
where
    D: serde::Deserializer<'de>,
    C: Deserialize<'de>,
    L: Deserialize<'de>,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Stored<C, L> {
        Current(C),
        Linfa(L),
    }
    match Stored::<C, L>::deserialize(d)? {
        Stored::Current(m) => Ok(m),
        Stored::Linfa(old) => upgrade(old).map_err(serde::de::Error::custom),
    }
}

/// The rows of `x`, row after row, borrowed when the view is contiguous (it usually is):
/// flat slices cost less than ndarray's row views on small sets.
pub(crate) fn flat_rows(x: ArrayView2<'_, f64>) -> std::borrow::Cow<'_, [f64]> {
    x.to_slice().map_or_else(|| std::borrow::Cow::Owned(x.iter().copied().collect()), std::borrow::Cow::Borrowed)
}

/// What a model learns from: one row of features per sample and, for supervised tasks, one
/// target per row (class index 0..classes as f64, or a value). Clusterers and reducers ignore
/// the targets.
#[derive(Debug, Clone, Copy)]
pub struct Data<'a> {
    pub x: ArrayView2<'a, f64>,
    pub y: &'a [f64],
    pub task: Task,
}

impl Data<'_> {
    pub fn classes(&self) -> usize {
        match self.task {
            Task::Classification { classes } => classes,
            Task::Regression => 0,
        }
    }
    /// Class indices of the targets (classification only).
    pub fn labels(&self) -> Vec<usize> {
        self.y.iter().map(|&v| v as usize).collect()
    }
}

/// The kind of problem a model solves; the UI picks a kind, then a model of that kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Classification,
    Regression,
    Clustering,
    Reduction,
}

/// What every fitted model answers.
pub trait Model {
    /// One value per row: a class index (classifiers), a value (regressors), a cluster index
    /// (clusterers; −1 for noise), or the first component (reducers).
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64>;
    /// Probability of each class (rows × classes) where the model has them.
    fn predict_proba(&self, _x: ArrayView2<f64>) -> Option<Array2<f64>> {
        None
    }
    /// Both at once, for a caller that needs both (the boundary view): models whose
    /// prediction is the most probable class compute the probabilities only once.
    fn predict_with_proba(&self, x: ArrayView2<f64>) -> (Vec<f64>, Option<Array2<f64>>) {
        (self.predict(x), self.predict_proba(x))
    }
    /// What the fitted model is, in a few lines of words in `lang` (`names`: its inputs'),
    /// for the page's model panel; nothing by default.
    fn describe(&self, _names: &[&str], _lang: crate::lang::Lang) -> Vec<String> {
        Vec::new()
    }
}

/// The playground build's stand-in answers like any model (it has no values to answer with).
#[cfg(not(feature = "full"))]
impl<T: Model> Model for crate::absent::Absent<T> {
    fn predict(&self, _: ArrayView2<f64>) -> Vec<f64> {
        self.never()
    }
}

/// A model's hyperparameters. The tag is the link's `model=` value; the fields are the link
/// keys of that model's settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(tag = "model", rename_all = "lowercase")]
pub enum ModelParams {
    /// The neural network; its settings are the experiment's own (hidden, act, lr, ...).
    #[default]
    Mlp,
    Logistic(Only<logistic::LogisticParams>),
    Tree(Only<tree::TreeParams>),
    Forest(Only<tree::ForestParams>),
    Knn(Only<knn::KnnParams>),
    Bayes(Only<bayes::BayesParams>),
    Svm(Only<svm::SvmParams>),
    Linear(Only<linear::LinearParams>),
    Ridge(Only<linear::RidgeParams>),
    Lasso(Only<linear::LassoParams>),
    ElasticNet(Only<linear::ElasticNetParams>),
    KnnReg(Only<knn::KnnParams>),
    Svr(Only<svm::SvrParams>),
    Als(Only<als::AlsSettings>),
    KMeans(Only<cluster::KMeansParams>),
    Dbscan(Only<cluster::DbscanParams>),
    Gmm(Only<cluster::GmmParams>),
    Pca(Only<pca::PcaParams>),
}

/// What the UI and the docs say about a model.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct ModelInfo {
    pub id: &'static str,
    pub name: &'static str,
    pub kind: Kind,
    pub hint: &'static str,
    pub settings: &'static [Setting],
}

/// Every registered model, in the order the UI lists them.
pub const MODELS: &[ModelInfo] = &[
    ModelInfo {
        id: "mlp",
        name: "Neural network (MLP)",
        kind: Kind::Classification,
        hint: "Layers of neurons trained by gradient descent; shape it in the network view.",
        settings: &[],
    },
    ModelInfo {
        id: "logistic",
        name: "Logistic regression",
        kind: Kind::Classification,
        hint: "A weighted sum of the features through a sigmoid (softmax for 3+ classes): straight boundaries.",
        settings: logistic::SETTINGS,
    },
    ModelInfo {
        id: "tree",
        name: "Decision tree",
        kind: Kind::Classification,
        hint: "Asks yes/no questions about one feature at a time: boxes aligned with the axes.",
        settings: tree::TREE_SETTINGS,
    },
    ModelInfo {
        id: "forest",
        name: "Random forest",
        kind: Kind::Classification,
        hint: "Many trees, each grown on a bootstrap sample; they vote (averaged class shares).",
        settings: tree::FOREST_SETTINGS,
    },
    ModelInfo {
        id: "knn",
        name: "k-nearest neighbours",
        kind: Kind::Classification,
        hint: "Each point takes the majority class of its k closest training points.",
        settings: knn::SETTINGS,
    },
    ModelInfo {
        id: "bayes",
        name: "Gaussian naive Bayes",
        kind: Kind::Classification,
        hint: "One bell curve per class and feature, features assumed independent.",
        settings: bayes::SETTINGS,
    },
    ModelInfo {
        id: "svm",
        name: "Support vector machine",
        kind: Kind::Classification,
        hint: "The widest margin between classes, curved by a kernel (one-vs-rest for 3+ classes).",
        settings: svm::SVM_SETTINGS,
    },
    ModelInfo {
        id: "linear",
        name: "Linear regression",
        kind: Kind::Regression,
        hint: "Least squares: the plane closest to the targets.",
        settings: &[],
    },
    ModelInfo {
        id: "ridge",
        name: "Ridge regression",
        kind: Kind::Regression,
        hint: "Least squares plus alpha times the squared weights: shrinks them.",
        settings: linear::RIDGE_SETTINGS,
    },
    ModelInfo {
        id: "lasso",
        name: "Lasso",
        kind: Kind::Regression,
        hint: "Least squares plus alpha times the absolute weights: sets some to exactly zero.",
        settings: linear::LASSO_SETTINGS,
    },
    ModelInfo {
        id: "elasticnet",
        name: "Elastic net",
        kind: Kind::Regression,
        hint: "A mix of the lasso and ridge penalties.",
        settings: linear::ELASTIC_NET_SETTINGS,
    },
    ModelInfo {
        id: "knnreg",
        name: "k-NN regression",
        kind: Kind::Regression,
        hint: "The mean target of the k closest training points.",
        settings: knn::SETTINGS,
    },
    ModelInfo {
        id: "svr",
        name: "Support vector regression",
        kind: Kind::Regression,
        hint: "A tube of half-width epsilon around the fit; only points outside it cost.",
        settings: svm::SVR_SETTINGS,
    },
    ModelInfo {
        id: "als",
        name: "Recommender (matrix factorisation)",
        kind: Kind::Regression,
        hint: "Predicts a user's rating of an item from a few learned taste numbers each (ALS); reads two inputs, user and item.",
        settings: als::SETTINGS,
    },
    ModelInfo {
        id: "mlp",
        name: "Neural network (MLP)",
        kind: Kind::Regression,
        hint: "Layers of neurons trained by gradient descent; shape it in the network view.",
        settings: &[],
    },
    ModelInfo {
        id: "kmeans",
        name: "k-means",
        kind: Kind::Clustering,
        hint: "k centres; each point joins the nearest, each centre moves to its points' mean.",
        settings: cluster::KMEANS_SETTINGS,
    },
    ModelInfo {
        id: "dbscan",
        name: "DBSCAN",
        kind: Kind::Clustering,
        hint: "Clusters are dense regions: points with enough neighbours within eps.",
        settings: cluster::DBSCAN_SETTINGS,
    },
    ModelInfo {
        id: "gmm",
        name: "Gaussian mixture",
        kind: Kind::Clustering,
        hint: "k bell-shaped clouds fitted by expectation-maximisation; soft memberships.",
        settings: cluster::GMM_SETTINGS,
    },
    ModelInfo {
        id: "pca",
        name: "PCA",
        kind: Kind::Reduction,
        hint: "The directions along which the features vary most.",
        settings: pca::SETTINGS,
    },
];

impl ModelParams {
    pub fn id(&self) -> &'static str {
        match self {
            ModelParams::Mlp => "mlp",
            ModelParams::Logistic(_) => "logistic",
            ModelParams::Tree(_) => "tree",
            ModelParams::Forest(_) => "forest",
            ModelParams::Knn(_) => "knn",
            ModelParams::Bayes(_) => "bayes",
            ModelParams::Svm(_) => "svm",
            ModelParams::Linear(_) => "linear",
            ModelParams::Ridge(_) => "ridge",
            ModelParams::Lasso(_) => "lasso",
            ModelParams::ElasticNet(_) => "elasticnet",
            ModelParams::KnnReg(_) => "knnreg",
            ModelParams::Svr(_) => "svr",
            ModelParams::Als(_) => "als",
            ModelParams::KMeans(_) => "kmeans",
            ModelParams::Dbscan(_) => "dbscan",
            ModelParams::Gmm(_) => "gmm",
            ModelParams::Pca(_) => "pca",
        }
    }

    /// The defaults of the model with this id.
    pub fn default_for(id: &str) -> Option<ModelParams> {
        let mut map = Map::new();
        map.insert("model".into(), Value::from(id));
        serde_json::from_value(Value::Object(map)).ok()
    }

    /// The model's entry in `MODELS` (the MLP's regression entry when `regression`).
    pub fn info(&self, regression: bool) -> &'static ModelInfo {
        let id = self.id();
        let mut found = MODELS.iter().filter(|m| m.id == id);
        let first = found.next().unwrap_or(&MODELS[0]);
        match (regression, found.next()) {
            (true, Some(second)) if second.kind == Kind::Regression => second,
            _ => first,
        }
    }

    pub fn settings(&self) -> &'static [Setting] {
        self.info(false).settings
    }

    pub fn kind(&self, regression: bool) -> Kind {
        self.info(regression).kind
    }

    /// The params as a flat JSON object: `model` plus one entry per setting.
    pub fn to_map(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }

    /// Reads params from a flat JSON object (missing settings take their defaults), checked.
    pub fn from_map(map: Map<String, Value>) -> Result<ModelParams, ParamError> {
        let id = map.get("model").and_then(Value::as_str).unwrap_or("");
        let Some(info) = MODELS.iter().find(|m| m.id == id) else {
            let known: Vec<&str> = MODELS.iter().map(|m| m.id).collect();
            return param_error("model", format!("unknown model {id:?}; known: {}", known.join(", ")));
        };
        // The schema speaks first, so a bad value is reported against its own setting.
        for setting in info.settings {
            if let Some(v) = map.get(setting.key) {
                setting.check(v)?;
            }
        }
        let params: ModelParams = serde_json::from_value(Value::Object(map))
            .map_err(|e| ParamError { field: "model", message: e.to_string() })?;
        params.check()?;
        Ok(params)
    }

    /// Checks every setting against its declared range or options.
    pub fn check(&self) -> Result<(), ParamError> {
        schema::check_all(self.settings(), &self.to_map())
    }

    /// Iterations a `Trainer` takes to fit this model (1 for one-shot fits).
    pub fn iterations(&self) -> usize {
        match self {
            ModelParams::Logistic(p) => p.iters,
            ModelParams::Forest(p) => p.trees,
            ModelParams::KMeans(p) => p.iters,
            ModelParams::Als(p) => p.iters,
            ModelParams::Svm(_) | ModelParams::Svr(_) => svm::STEPS,
            _ => 1,
        }
    }

    /// Fits the model after `iterations` of its iterations (all of them if larger). The MLP
    /// is fitted through `experiment::Session` and is refused here.
    pub fn fit_partial(&self, data: &Data, seed: u64, iterations: usize) -> Result<Fitted, ParamError> {
        self.check()?;
        if data.x.nrows() == 0 {
            return param_error("data", "there are no training rows");
        }
        if data.x.iter().any(|v| !v.is_finite()) {
            return param_error("data", "the features contain a value that is not a finite number");
        }
        // Supervised models need targets of their own kind; the registry says which that is.
        let regression = data.task == Task::Regression;
        let info = self.info(regression);
        let wanted = match info.kind {
            Kind::Classification => Some((false, "classification")),
            Kind::Regression => Some((true, "regression")),
            Kind::Clustering | Kind::Reduction => None,
        };
        if let Some((needs_regression, kind)) = wanted {
            if needs_regression != regression {
                return param_error("model", format!("{} needs {kind} data", info.name));
            }
        }
        self.fit_family(data, seed, iterations.clamp(1, self.iterations()))
    }

    #[cfg(not(feature = "full"))]
    fn fit_family(&self, _data: &Data, _seed: u64, _iterations: usize) -> Result<Fitted, ParamError> {
        param_error("model", crate::NEEDS_FULL)
    }

    #[cfg(feature = "full")]
    fn fit_family(&self, data: &Data, seed: u64, iterations: usize) -> Result<Fitted, ParamError> {
        Ok(match self {
            ModelParams::Mlp => return param_error("model", "the MLP trains through the experiment session"),
            ModelParams::Logistic(p) => Fitted::Logistic(logistic::fit(p, data, iterations)?),
            ModelParams::Tree(p) => Fitted::Tree(tree::fit_tree(p, data)?),
            ModelParams::Forest(p) => Fitted::Forest(tree::fit_forest(p, data, seed, iterations)?),
            ModelParams::Knn(p) | ModelParams::KnnReg(p) => Fitted::Knn(knn::fit(p, data)?),
            ModelParams::Bayes(p) => Fitted::Bayes(bayes::fit(p, data)?),
            ModelParams::Svm(p) => Fitted::Svm(svm::fit_svm(p, data, iterations)?),
            ModelParams::Svr(p) => Fitted::Svr(svm::fit_svr(p, data, iterations)?),
            ModelParams::Als(p) => Fitted::Als(als::fit(p, data, seed, iterations)?),
            ModelParams::Linear(_) => Fitted::Linear(linear::fit_ols(data)?),
            ModelParams::Ridge(p) => Fitted::Linear(linear::fit_penalised(data, p.alpha / data.x.nrows() as f64, 0.0)?),
            ModelParams::Lasso(p) => Fitted::Linear(linear::fit_penalised(data, p.alpha, 1.0)?),
            ModelParams::ElasticNet(p) => Fitted::Linear(linear::fit_penalised(data, p.alpha, p.l1ratio)?),
            ModelParams::KMeans(p) => Fitted::KMeans(cluster::fit_kmeans(p, data, seed, iterations)?),
            ModelParams::Dbscan(p) => Fitted::Dbscan(cluster::fit_dbscan(p, data)?),
            ModelParams::Gmm(p) => Fitted::Gmm(Box::new(cluster::fit_gmm(p, data, seed)?)),
            ModelParams::Pca(p) => Fitted::Pca(pca::fit(p, data)?),
        })
    }

    /// Fits the model completely.
    pub fn fit(&self, data: &Data, seed: u64) -> Result<Fitted, ParamError> {
        self.fit_partial(data, seed, usize::MAX)
    }
}

/// A fitted model of any family.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "model", content = "fitted", rename_all = "lowercase")]
pub enum Fitted {
    Mlp(mlp::MlpModel),
    #[cfg_attr(feature = "full", serde(deserialize_with = "logistic::read"))]
    Logistic(Only<logistic::Logistic>),
    Tree(Only<tree::Tree>),
    Forest(Only<tree::Forest>),
    Knn(Only<knn::Knn>),
    Bayes(Only<bayes::GaussianNb>),
    #[cfg_attr(feature = "full", serde(deserialize_with = "svm::read_classifier"))]
    Svm(Only<svm::SvmClassifier>),
    #[cfg_attr(feature = "full", serde(deserialize_with = "svm::read_regressor"))]
    Svr(Only<svm::SvmRegressor>),
    Linear(Only<linear::LinearModel>),
    Als(Only<als::AlsModel>),
    KMeans(Only<cluster::KMeansModel>),
    Dbscan(Only<cluster::DbscanModel>),
    Gmm(Box<Only<cluster::GmmModel>>),
    Pca(Only<pca::PcaModel>),
}

impl Fitted {
    pub fn model(&self) -> &dyn Model {
        match self {
            Fitted::Mlp(m) => m,
            Fitted::Logistic(m) => m,
            Fitted::Tree(m) => m,
            Fitted::Forest(m) => m,
            Fitted::Knn(m) => m,
            Fitted::Bayes(m) => m,
            Fitted::Svm(m) => m,
            Fitted::Svr(m) => m,
            Fitted::Linear(m) => m,
            Fitted::Als(m) => m,
            Fitted::KMeans(m) => m,
            Fitted::Dbscan(m) => m,
            Fitted::Gmm(m) => m.as_ref(),
            Fitted::Pca(m) => m,
        }
    }

    pub fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        self.model().predict(x)
    }

    pub fn predict_proba(&self, x: ArrayView2<f64>) -> Option<Array2<f64>> {
        self.model().predict_proba(x)
    }

    pub fn predict_with_proba(&self, x: ArrayView2<f64>) -> (Vec<f64>, Option<Array2<f64>>) {
        self.model().predict_with_proba(x)
    }

    /// What the fitted model is, in a few lines of words (`Model::describe`, by its family).
    pub fn describe(&self, names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        self.model().describe(names, lang)
    }

    /// Accuracy (classification), R² (regression), adjusted Rand index against the true
    /// classes (clustering of labelled data), or the share of variance kept (PCA).
    pub fn score(&self, data: &Data) -> Option<f64> {
        let predicted = self.predict(data.x);
        match self {
            Fitted::Pca(m) => Some(m.explained_variance_ratio.iter().sum()),
            Fitted::KMeans(_) | Fitted::Dbscan(_) | Fitted::Gmm(_) => match data.task {
                Task::Classification { .. } => Some(adjusted_rand_index(&predicted, data.y)),
                Task::Regression => None,
            },
            _ => match data.task {
                Task::Classification { .. } => Some(accuracy(&predicted, data.y)),
                Task::Regression => Some(r2(&predicted, data.y)),
            },
        }
    }
}

/// Fits an iterative model one iteration at a time (one-shot models in a single step), so a
/// caller can spread the work over animation frames and draw the model as it forms. The model
/// after the last step is exactly the one `ModelParams::fit` gives.
#[derive(Debug, Clone)]
pub struct Trainer {
    params: ModelParams,
    seed: u64,
    done: usize,
    fitted: Option<Fitted>,
    /// The iteration after which nothing changed, when the fit converged early.
    converged_at: Option<usize>,
    /// A support vector fit between iterations (its kernel matrix and dual problems).
    solving: Option<svm::Solving>,
    /// The playground build has no trainer (its one model, the network, trains in the
    /// session), so none of the code that steps one is in it.
    #[cfg(not(feature = "full"))]
    absent: std::convert::Infallible,
}

impl Trainer {
    #[cfg(feature = "full")]
    pub fn new(params: ModelParams, seed: u64) -> Result<Trainer, ParamError> {
        params.check()?;
        Ok(Trainer { params, seed, done: 0, fitted: None, converged_at: None, solving: None })
    }
    #[cfg(not(feature = "full"))]
    pub fn new(params: ModelParams, _seed: u64) -> Result<Trainer, ParamError> {
        params.check()?;
        param_error("model", crate::NEEDS_FULL)
    }
    pub fn params(&self) -> &ModelParams {
        &self.params
    }
    /// Iterations done and to do.
    pub fn progress(&self) -> (usize, usize) {
        (self.done, self.params.iterations())
    }
    /// The iteration a fit converged at, if it stopped before its cap: for k-means the
    /// iteration that moved nothing, for logistic regression the last one run.
    pub fn converged_at(&self) -> Option<usize> {
        self.converged_at
    }
    /// Whether convergence is judged by a vanishing gradient (logistic regression; the
    /// support vector machines' projected gradient) rather than by an iteration that moved
    /// nothing (k-means).
    pub fn converged_by_gradient(&self) -> bool {
        matches!(self.fitted, Some(Fitted::Logistic(_) | Fitted::Svm(_) | Fitted::Svr(_)))
    }
    pub fn finished(&self) -> bool {
        self.done >= self.params.iterations()
    }
    pub fn fitted(&self) -> Option<&Fitted> {
        self.fitted.as_ref()
    }
    #[cfg(not(feature = "full"))]
    pub fn step(&mut self, _data: &Data, _n: usize) -> Result<(), ParamError> {
        match self.absent {}
    }
    /// Advances `n` iterations (at most to the end). On error the trainer stays where it was.
    #[cfg(feature = "full")]
    pub fn step(&mut self, data: &Data, n: usize) -> Result<(), ParamError> {
        if self.finished() {
            return Ok(());
        }
        let target = self.done.saturating_add(n.max(1)).min(self.params.iterations());
        let mut svm_converged = false;
        let fitted = match (&self.params, &self.fitted) {
            // A forest keeps its trees and grows the next ones.
            (ModelParams::Forest(p), Some(Fitted::Forest(f))) => {
                Fitted::Forest(tree::grow_forest(f.clone(), p, data, self.seed, target)?)
            }
            // So does the recommender: its next sweeps start from its current factors.
            (ModelParams::Als(_), Some(Fitted::Als(m))) => Fitted::Als(als::continue_fit(m.clone(), data, target)?),
            // k-means continues from its centres.
            (ModelParams::KMeans(_), Some(Fitted::KMeans(m))) => {
                Fitted::KMeans(cluster::continue_kmeans(m.clone(), data, target - self.done))
            }
            // And logistic regression: L-BFGS continues with its history.
            (ModelParams::Logistic(p), Some(Fitted::Logistic(m))) => {
                Fitted::Logistic(logistic::continue_fit(m.clone(), p, data, target)?)
            }
            // Support vector machines keep their dual problems and run more SMO iterations.
            (ModelParams::Svm(_) | ModelParams::Svr(_), _) => {
                let (fitted, converged) = self.step_svm(data, target)?;
                svm_converged = converged;
                fitted
            }
            _ => self.params.fit_partial(data, self.seed, target)?,
        };
        // Lloyd's iterations are deterministic: once one moves no centre, none after it will,
        // so k-means has converged and the remaining iterations are skipped. Logistic
        // regression says itself when its gradient has vanished.
        let converged_at = match (&self.fitted, &fitted) {
            (Some(Fitted::KMeans(a)), Fitted::KMeans(b)) if a == b => Some(target),
            (_, Fitted::Logistic(m)) if m.converged() => Some(m.iterations()),
            (_, Fitted::Svm(_) | Fitted::Svr(_)) if svm_converged => Some(target),
            _ => None,
        };
        self.fitted = Some(fitted);
        self.done = if converged_at.is_some() { self.params.iterations() } else { target };
        self.converged_at = converged_at;
        Ok(())
    }
    /// A support vector machine `target` iterations in, and whether it converged: its solver
    /// resumed (or started) and kept for the next step while there is more to do (the kernel
    /// matrix is large).
    #[cfg(feature = "full")]
    fn step_svm(&mut self, data: &Data, target: usize) -> Result<(Fitted, bool), ParamError> {
        let mut solving = match (self.solving.take(), &self.params) {
            (Some(s), _) => s,
            (None, ModelParams::Svm(p)) => svm::Solving::classifier(p, data)?,
            (None, ModelParams::Svr(p)) => svm::Solving::regressor(p, data)?,
            (None, other) => return Ok((other.fit_partial(data, self.seed, target)?, false)),
        };
        solving.run(target - self.done);
        let fitted = match self.params {
            ModelParams::Svr(_) => Fitted::Svr(solving.regressor_now()),
            _ => Fitted::Svm(solving.classifier_now()),
        };
        let converged = solving.converged();
        if !converged && target < self.params.iterations() {
            self.solving = Some(solving);
        }
        Ok((fitted, converged))
    }

    /// Jumps to the end.
    pub fn finish(&mut self, data: &Data) -> Result<(), ParamError> {
        self.step(data, usize::MAX)
    }
}

/// The most probable class of each row of a probability matrix (first on ties), as f64.
pub fn argmax_rows(proba: &Array2<f64>) -> Vec<f64> {
    proba
        .rows()
        .into_iter()
        .map(|r| r.as_slice().map_or_else(|| mlp::argmax(&r.to_vec()), mlp::argmax) as f64)
        .collect()
}

#[cfg(test)]
mod tests;

/// Fits `params` on flat row-major data and predicts `predict_x`: the benchmarks' entry
/// point, shared by the wasm exports and the native CLI so both time the same work (the
/// query is read before, with `share::model_from_query`, and not timed).
pub fn fit_predict_params(
    params: &ModelParams,
    x: &[f64],
    y: &[f64],
    cols: usize,
    classes: usize,
    predict_x: &[f64],
    seed: u64,
) -> Result<Vec<f64>, String> {
    let cols = cols.max(1);
    let train = ArrayView2::from_shape((x.len() / cols, cols), x).map_err(|e| e.to_string())?;
    let test = ArrayView2::from_shape((predict_x.len() / cols, cols), predict_x).map_err(|e| e.to_string())?;
    let task = if classes > 0 { Task::Classification { classes } } else { Task::Regression };
    let data = Data { x: train, y, task };
    let fitted = params.fit(&data, seed).map_err(|e| e.to_string())?;
    Ok(fitted.predict(test))
}
