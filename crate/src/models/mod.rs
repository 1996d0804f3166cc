//! Model families. Each family has a `Params` type (serde data with defaults) that is checked
//! into validated params, and a fitted type built from them; iterative families add a step API.
//! The foundation ships the multilayer perceptron; the classical linfa families join here.

pub mod fastmath;
pub mod mlp;

use std::fmt;

/// A hyperparameter that failed its check, naming the field and the accepted range.
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
