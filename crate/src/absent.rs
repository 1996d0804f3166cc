//! The playground build's stand-in for what only the full build has (see the `full` feature).
//!
//! `Absent<T>` has no values: a `Fitted` variant or a `Trainer` that holds one cannot exist in
//! that build, so the compiler drops every branch that handles one and the code behind it (the
//! classical families, linfa) leaves the bundle. Reading one from a file or link is refused
//! with `NEEDS_FULL`, which the page answers by loading the full build.

use crate::models::Model;
use ndarray::{Array2, ArrayView2};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

pub struct Absent<T>(Infallible, PhantomData<T>);

impl<T> Deref for Absent<T> {
    type Target = T;
    fn deref(&self) -> &T {
        match self.0 {}
    }
}

impl<T> Clone for Absent<T> {
    fn clone(&self) -> Self {
        match self.0 {}
    }
}

impl<T> PartialEq for Absent<T> {
    fn eq(&self, _: &Self) -> bool {
        match self.0 {}
    }
}

impl<T> fmt::Debug for Absent<T> {
    fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {}
    }
}

impl<T> Serialize for Absent<T> {
    fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
        match self.0 {}
    }
}

impl<'de, T> Deserialize<'de> for Absent<T> {
    fn deserialize<D: Deserializer<'de>>(_: D) -> Result<Self, D::Error> {
        Err(serde::de::Error::custom(crate::NEEDS_FULL))
    }
}

impl<T: Model> Model for Absent<T> {
    fn predict(&self, _: ArrayView2<f64>) -> Vec<f64> {
        match self.0 {}
    }
    fn predict_proba(&self, _: ArrayView2<f64>) -> Option<Array2<f64>> {
        match self.0 {}
    }
    fn predict_with_proba(&self, _: ArrayView2<f64>) -> (Vec<f64>, Option<Array2<f64>>) {
        match self.0 {}
    }
}
