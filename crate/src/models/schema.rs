//! Hyperparameters described as data: for each model, its settings with their kind, range,
//! default and a one-line hint. The UI builds its controls from this, the link codec reads
//! and writes with it, and `check` validates with it, so a setting is declared once.

use super::ParamError;
use serde::Serialize;
use serde_json::{Map, Value};

/// What values a setting takes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Kind {
    Int {
        min: i64,
        max: i64,
    },
    /// `log`: the UI moves the value on a logarithmic scale (C, gamma, alpha...).
    Float {
        min: f64,
        max: f64,
        log: bool,
    },
    Choice {
        options: &'static [&'static str],
    },
}

/// One setting of a model.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Setting {
    /// Link key and serde field name.
    pub key: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    #[serde(flatten)]
    pub kind: Kind,
}

pub const fn int(key: &'static str, label: &'static str, min: i64, max: i64, hint: &'static str) -> Setting {
    Setting { key, label, hint, kind: Kind::Int { min, max } }
}
pub const fn float(key: &'static str, label: &'static str, min: f64, max: f64, hint: &'static str) -> Setting {
    Setting { key, label, hint, kind: Kind::Float { min, max, log: false } }
}
pub const fn log_float(key: &'static str, label: &'static str, min: f64, max: f64, hint: &'static str) -> Setting {
    Setting { key, label, hint, kind: Kind::Float { min, max, log: true } }
}
pub const fn choice(
    key: &'static str,
    label: &'static str,
    options: &'static [&'static str],
    hint: &'static str,
) -> Setting {
    Setting { key, label, hint, kind: Kind::Choice { options } }
}

impl Setting {
    /// Checks one value (as serde data) against the setting.
    pub fn check(&self, value: &Value) -> Result<(), ParamError> {
        let err = |message: String| Err(ParamError { field: self.key, message });
        match self.kind {
            Kind::Int { min, max } => match value.as_i64() {
                Some(v) if (min..=max).contains(&v) => Ok(()),
                _ => err(format!("must be a whole number from {min} to {max}, got {value}")),
            },
            Kind::Float { min, max, .. } => match value.as_f64() {
                Some(v) if v.is_finite() && v >= min && v <= max => Ok(()),
                _ => err(format!("must be a number from {min} to {max}, got {value}")),
            },
            Kind::Choice { options } => match value.as_str() {
                Some(v) if options.contains(&v) => Ok(()),
                _ => err(format!("must be one of {}, got {value}", options.join(", "))),
            },
        }
    }

    /// Reads a link value: parses, clamps numbers into range. Returns the value and, when
    /// it had to change what was written, a notice saying what was done.
    pub fn parse(&self, text: &str, default: &Value) -> (Value, Option<String>) {
        let fallback = |why: String| (default.clone(), Some(format!("{}: {why}; using {default}.", self.key)));
        match self.kind {
            Kind::Int { min, max } => match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    let r = v.round().clamp(min as f64, max as f64) as i64;
                    let note =
                        (r as f64 != v).then(|| format!("{}: {text} is outside {min} to {max}; using {r}.", self.key));
                    (Value::from(r), note)
                }
                _ => fallback(format!("{text:?} is not a number")),
            },
            Kind::Float { min, max, .. } => match text.trim().parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    let r = v.clamp(min, max);
                    let note = (r != v).then(|| format!("{}: {text} is outside {min} to {max}; using {r}.", self.key));
                    (Value::from(r), note)
                }
                _ => fallback(format!("{text:?} is not a number")),
            },
            Kind::Choice { options } => match options.iter().find(|o| **o == text.trim()) {
                Some(o) => (Value::from(*o), None),
                None => fallback(format!("{text:?} is not one of {}", options.join(", "))),
            },
        }
    }

    /// The value as written in a link.
    pub fn format(&self, value: &Value) -> String {
        match value {
            Value::String(s) => s.clone(),
            Value::Number(n) => match (self.kind, n.as_f64()) {
                (Kind::Int { .. }, Some(v)) => format!("{}", v as i64),
                (_, Some(v)) => format!("{v}"),
                _ => n.to_string(),
            },
            other => other.to_string(),
        }
    }
}

/// Checks every setting's value in a serialised params object.
pub fn check_all(settings: &[Setting], params: &Map<String, Value>) -> Result<(), ParamError> {
    for s in settings {
        match params.get(s.key) {
            Some(v) => s.check(v)?,
            None => return Err(ParamError { field: s.key, message: "is missing".into() }),
        }
    }
    Ok(())
}
