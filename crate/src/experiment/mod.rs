//! The experiment: everything needed to reproduce a run (data, features, network, training
//! settings, seeds, view toggles), and the `Session` that runs it.

pub mod inputs;
pub mod run;
pub mod search;
pub mod settings;
pub mod summary;

use crate::data::tabular::{Framing, TableSpec};
use crate::data::{Drawn, Feature, Generator, Task};
use crate::models::learner::{Classical, Learner};
use crate::models::mlp::network::Network;
use crate::models::mlp::{Activation, MlpParams, Optimizer, Output, Regularization};
use crate::models::{Kind, ModelParams, ParamError, Trainer};
use serde::{Deserialize, Serialize};

pub use run::{EpochRecord, Session, Status};

/// Most samples a generated dataset may have.
pub const MAX_SAMPLES: usize = 100_000;
pub const MIN_SAMPLES: usize = 10;
/// Most folds of a cross-validation.
pub const MAX_FOLDS: u32 = 10;

/// A whole reproducible experiment. Every field has a default (TensorFlow Playground's
/// default setup), so a partial link or file still describes one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Experiment {
    pub data: Generator,
    /// Classes for the blobs generator (3 to 6).
    pub classes: usize,
    pub samples: usize,
    /// Noise in percent, 0 to 50.
    pub noise: u32,
    /// Share of the data used for training, in percent (10 to 90).
    pub train_percent: u32,
    /// Whether the holdout split keeps each class's share on both sides.
    pub stratify: bool,
    /// Folds of the cross-validation the evaluation panel runs (2 to 10; 0: none).
    pub folds: u32,
    pub data_seed: u64,
    pub features: Vec<Feature>,
    pub hidden: Vec<usize>,
    pub activation: Activation,
    pub optimizer: Optimizer,
    pub learning_rate: f64,
    pub batch_size: usize,
    pub regularization: Regularization,
    pub reg_rate: f64,
    /// Seed of the weight initialisation and the shuffling.
    pub seed: u64,
    /// Pause after this many epochs (0: never).
    pub stop_after: u32,
    pub show_test: bool,
    pub discretize: bool,
    /// The model and its settings (the MLP's settings are the fields above).
    pub model: ModelParams,
    /// A table (a built-in real dataset or the person's CSV) instead of the generator, with
    /// the choices made about it; the generator's settings are then unused.
    pub table: Option<TableSpec>,
    /// Points the person drew, used instead of the generator (`classes` gives the class count).
    pub drawn: Option<Drawn>,
    /// A hyperparameter search to run on this experiment.
    pub search: Option<search::SearchSpec>,
}

impl Default for Experiment {
    fn default() -> Self {
        Experiment {
            data: Generator::Circle,
            classes: 3,
            samples: 500,
            noise: 0,
            train_percent: 50,
            stratify: false,
            folds: 0,
            data_seed: 1,
            features: vec![Feature::X1, Feature::X2],
            hidden: vec![4, 2],
            activation: Activation::Tanh,
            optimizer: Optimizer::Sgd,
            learning_rate: 0.03,
            batch_size: 10,
            regularization: Regularization::None,
            reg_rate: 0.0,
            seed: 1,
            stop_after: 0,
            show_test: false,
            discretize: false,
            model: ModelParams::Mlp,
            table: None,
            drawn: None,
            search: None,
        }
    }
}

impl Experiment {
    /// The task of generated data (a table's depends on its target: see `Session::task`).
    pub fn task(&self) -> Task {
        match &self.drawn {
            Some(d) => d.dataset(self.classes).task,
            None => self.data.task(self.classes),
        }
    }

    pub fn is_regression(&self) -> bool {
        match (&self.table, &self.drawn) {
            (Some(t), _) => t.framing == Framing::Regression,
            (None, Some(d)) => d.regression,
            (None, None) => self.data.is_regression(),
        }
    }

    /// The data's link name: a generator, a built-in dataset, `csv` or `drawn`.
    pub fn data_name(&self) -> &str {
        match (&self.table, &self.drawn) {
            (Some(t), _) => &t.source,
            (None, Some(_)) => "drawn",
            (None, None) => self.data.name(),
        }
    }

    /// What the model does with this data: classification or regression follows the data;
    /// clusterers and reducers work on any data.
    pub fn kind(&self) -> Kind {
        self.model.kind(self.is_regression())
    }

    /// A supervised model must match the data's task; if it does not, the model becomes the
    /// network (which does both) and the returned notice says so.
    pub fn fit_model_to_task(&mut self) -> Option<String> {
        let wanted = if self.is_regression() { Kind::Regression } else { Kind::Classification };
        let kind = self.model.info(self.is_regression()).kind;
        if matches!(kind, Kind::Classification | Kind::Regression) && kind != wanted {
            let name = self.model.info(false).name;
            self.model = ModelParams::Mlp;
            let task = if wanted == Kind::Regression { "regression" } else { "classification" };
            return Some(format!(
                "{name} does not fit {task} data ({}); the neural network was used.",
                self.data_name()
            ));
        }
        None
    }

    /// The network's hyperparameters for generated data.
    pub fn mlp_params(&self) -> MlpParams {
        self.mlp_params_for(self.features.len(), self.task())
    }

    /// The network's hyperparameters for `inputs` inputs and a task.
    /// What this experiment trains on `rows` training rows of `inputs` inputs: the network
    /// with its settings, or the classical model's trainer. The network's settings are checked
    /// whatever the model (a link's limits hold for every model, as they always have).
    pub fn learner(&self, inputs: usize, task: Task, rows: usize) -> Result<Box<dyn Learner>, ParamError> {
        let network = self.mlp_params_for(inputs, task).check()?;
        match &self.model {
            ModelParams::Mlp => Ok(Box::new(Network::new(network, rows))),
            #[cfg(feature = "full")]
            params => Ok(Box::new(Classical::new(Trainer::new(params.clone(), self.seed)?, self.kind()))),
            // The playground build makes no classical learner (so none of its code is in that
            // build): `Trainer::new` checks the params and refuses with `NEEDS_FULL`.
            #[cfg(not(feature = "full"))]
            params => Err(Trainer::new(params.clone(), self.seed)
                .err()
                .unwrap_or_else(|| ParamError { field: "model", message: crate::NEEDS_FULL.into() })),
        }
    }

    pub fn mlp_params_for(&self, inputs: usize, task: Task) -> MlpParams {
        MlpParams {
            inputs,
            hidden: self.hidden.clone(),
            output: match task {
                Task::Classification { classes } => Output::Softmax { classes },
                Task::Regression => Output::Linear,
            },
            activation: self.activation,
            regularization: self.regularization,
            reg_rate: self.reg_rate,
            learning_rate: self.learning_rate,
            batch_size: self.batch_size,
            optimizer: self.optimizer,
            seed: self.seed,
        }
    }
}
