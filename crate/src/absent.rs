//! The playground build's stand-in for what only the full build has (see the `full` feature).
//!
//! `Absent<T>` has no values: a `Fitted` variant or a `Trainer` that holds one cannot exist in
//! that build, so the compiler drops every branch that handles one and the code behind it (the
//! classical families, linfa) leaves the bundle. Reading one from a file or link is refused
//! with `NEEDS_FULL`, which the page answers by loading the full build.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::convert::Infallible;
use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

pub struct Absent<T>(Infallible, PhantomData<T>);

impl<T> Absent<T> {
    /// What any use of a value that cannot exist returns (lets higher layers implement their
    /// traits for `Absent` without seeing its insides).
    pub fn never(&self) -> ! {
        match self.0 {}
    }
}

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
