//! What a hyperparameter search tries: grid or random, over values or ranges of any
//! searchable setting, as plain data that travels in the link (`search=grid&space=c:0.1,1,10`).
//! The runner (cross-validating each candidate) is `eval::Search`.

use super::Experiment;
use crate::data::rng::{Purpose, Rng};
use crate::models::schema::{self, Kind, Setting};
use crate::models::ModelParams;
use serde::{Deserialize, Serialize};
use std::fmt::Write as _;

/// Most candidates one search runs (a bigger grid is cut, with a notice).
pub const MAX_CANDIDATES: usize = 200;
/// Most settings searched at once.
pub const MAX_PARAMS: usize = 4;
pub const DEFAULT_TRIES: u32 = 20;
/// Points a range gives in a grid when the space does not say.
pub const DEFAULT_STEPS: u32 = 5;
pub const MAX_STEPS: u32 = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SearchKind {
    /// Every combination of the values (ranges give evenly spaced points).
    Grid,
    /// `tries` candidates drawn at random (ranges sampled uniformly, or log-uniformly).
    Random,
}

impl SearchKind {
    pub fn key(self) -> &'static str {
        match self {
            SearchKind::Grid => "grid",
            SearchKind::Random => "random",
        }
    }
}

/// The values one setting takes in a search.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum SearchValues {
    /// These values as written in a link.
    List(Vec<String>),
    /// Numbers from `lo` to `hi`; `steps` points in a grid; log spacing or sampling if `log`.
    Range { lo: f64, hi: f64, log: bool, steps: u32 },
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchParam {
    pub key: String,
    pub values: SearchValues,
}

impl SearchParam {
    /// The values as the space writes them: `v1,v2` or `lo..hi[:log][:steps]`.
    pub fn values_text(&self) -> String {
        match &self.values {
            SearchValues::List(v) => v.join(","),
            SearchValues::Range { lo, hi, log, steps } => {
                let mut s = format!("{lo}..{hi}");
                if *log {
                    s.push_str(":log");
                }
                if *steps != DEFAULT_STEPS {
                    let _ = write!(s, ":{steps}");
                }
                s
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchSpec {
    pub kind: SearchKind,
    /// Candidates of a random search.
    pub tries: u32,
    pub params: Vec<SearchParam>,
}

/// The network's settings a search can vary (the experiment's keys; a classical model's
/// settings come from its schema).
pub const MLP_SEARCHABLE: [Setting; 6] = [
    schema::log_float("lr", "Learning rate", 1e-6, 10.0, "Step size of each update."),
    schema::float("rate", "Regularization rate", 0.0, 10.0, "Strength of the L1 or L2 penalty."),
    schema::int("batch", "Batch size", 1, crate::models::mlp::MAX_BATCH as i64, "Rows per update."),
    schema::choice("act", "Activation", &["relu", "tanh", "sigmoid", "linear"], "Function of each neuron."),
    schema::choice("opt", "Optimizer", &["sgd", "momentum", "adam"], "Update rule."),
    schema::choice("reg", "Regularization", &["none", "l1", "l2"], "Penalty on the weights."),
];

/// The settings a search can vary for this model.
pub fn searchable(model: &ModelParams) -> &'static [Setting] {
    match model {
        ModelParams::Mlp => &MLP_SEARCHABLE,
        m => m.settings(),
    }
}

/// `v` with 4 significant digits, so generated values read well in a link and a table.
fn round_sig(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    format!("{v:.3e}").parse().unwrap_or(v)
}

fn format_value(setting: &Setting, v: f64) -> String {
    match setting.kind {
        Kind::Int { min, max } => format!("{}", (v.round() as i64).clamp(min, max)),
        Kind::Float { min, max, .. } => format!("{}", round_sig(v).clamp(min, max)),
        Kind::Choice { .. } => String::new(),
    }
}

impl SearchSpec {
    /// The `space=` value: `key:v1,v2` or `key:lo..hi[:log][:steps]`, joined by `;`.
    pub fn space(&self) -> String {
        self.params.iter().map(|p| format!("{}:{}", p.key, p.values_text())).collect::<Vec<_>>().join(";")
    }

    /// Reads a `space=` value for `model`, keeping what is usable and saying what was not.
    pub fn parse_space(text: &str, model: &ModelParams) -> (Vec<SearchParam>, Vec<String>) {
        let mut params: Vec<SearchParam> = Vec::new();
        let mut notices = Vec::new();
        let settings = searchable(model);
        for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((key, rest)) = part.split_once(':') else {
                notices.push(format!("Search space “{}” has no values (write key:values); ignored.", short(part)));
                continue;
            };
            let key = key.trim();
            let Some(setting) = settings.iter().find(|s| s.key == key) else {
                let names: Vec<&str> = settings.iter().map(|s| s.key).collect();
                notices.push(format!(
                    "“{}” cannot be searched for this model (it has: {}); ignored.",
                    short(key),
                    names.join(", ")
                ));
                continue;
            };
            if params.iter().any(|p| p.key == key) {
                notices.push(format!("“{key}” is in the search space twice; the first was kept."));
                continue;
            }
            if params.len() >= MAX_PARAMS {
                notices.push(format!("A search varies at most {MAX_PARAMS} settings; “{key}” was left out."));
                continue;
            }
            match parse_values(setting, rest) {
                Ok((values, note)) => {
                    notices.extend(note.map(|n| format!("Search values of “{key}”: {n}.")));
                    params.push(SearchParam { key: key.to_string(), values });
                }
                Err(why) => notices.push(format!("Search values of “{key}”: {why}; ignored.")),
            }
        }
        (params, notices)
    }

    /// The settings of each candidate for `model` (whose schema says how a range's numbers
    /// are written), as link `(key, value)` pairs, in order; with a notice when the grid was
    /// cut.
    pub fn candidates(&self, model: &ModelParams, seed: u64) -> (Vec<Vec<(String, String)>>, Option<String>) {
        let settings = searchable(model);
        let range_value = |key: &str, v: f64| match settings.iter().find(|s| s.key == key) {
            Some(s) => format_value(s, v),
            None => format!("{}", round_sig(v)),
        };
        let lists: Vec<(String, Vec<String>)> = self
            .params
            .iter()
            .map(|p| {
                let values = match &p.values {
                    SearchValues::List(v) => v.clone(),
                    SearchValues::Range { lo, hi, log, steps } => {
                        let n = (*steps).max(2);
                        let mut out: Vec<String> = (0..n)
                            .map(|i| {
                                let t = f64::from(i) / f64::from(n - 1);
                                let v = if *log {
                                    libm::exp(libm::log(*lo) + t * (libm::log(*hi) - libm::log(*lo)))
                                } else {
                                    lo + t * (hi - lo)
                                };
                                range_value(&p.key, v)
                            })
                            .collect();
                        out.dedup();
                        out
                    }
                };
                (p.key.clone(), values)
            })
            .collect();
        if self.params.is_empty() {
            return (Vec::new(), None);
        }
        match self.kind {
            SearchKind::Grid => {
                let total: usize = lists.iter().map(|(_, v)| v.len().max(1)).product();
                let mut out = Vec::new();
                for index in 0..total.min(MAX_CANDIDATES) {
                    let mut rest = index;
                    let mut pairs = Vec::new();
                    // The last setting varies fastest.
                    for (key, values) in lists.iter().rev() {
                        pairs.push((key.clone(), values[rest % values.len()].clone()));
                        rest /= values.len();
                    }
                    pairs.reverse();
                    out.push(pairs);
                }
                let note = (total > MAX_CANDIDATES)
                    .then(|| format!("The grid has {total} combinations; the first {MAX_CANDIDATES} are tried."));
                (out, note)
            }
            SearchKind::Random => {
                let mut rng = Rng::new(seed, Purpose::Search);
                let out = (0..self.tries.clamp(1, MAX_CANDIDATES as u32))
                    .map(|_| {
                        self.params
                            .iter()
                            .zip(&lists)
                            .map(|(p, (key, _))| {
                                let value = match &p.values {
                                    SearchValues::List(v) => v[rng.index(v.len())].clone(),
                                    SearchValues::Range { lo, hi, log: true, .. } => {
                                        range_value(key, libm::exp(rng.uniform(libm::log(*lo), libm::log(*hi))))
                                    }
                                    SearchValues::Range { lo, hi, .. } => range_value(key, rng.uniform(*lo, *hi)),
                                };
                                (key.clone(), value)
                            })
                            .collect()
                    })
                    .collect();
                (out, None)
            }
        }
    }
}

/// The values, and a note when a range had to be clamped into the setting's bounds.
fn parse_values(setting: &Setting, text: &str) -> Result<(SearchValues, Option<String>), String> {
    let mut parts = text.split(':').map(str::trim);
    let first = parts.next().unwrap_or("");
    if let Some((lo, hi)) = first.split_once("..") {
        let (min, max) = match setting.kind {
            Kind::Int { min, max } => (min as f64, max as f64),
            Kind::Float { min, max, .. } => (min, max),
            Kind::Choice { .. } => return Err("a choice takes a list of options, not a range".into()),
        };
        let num = |s: &str| s.trim().parse::<f64>().ok().filter(|v| v.is_finite());
        let (Some(lo), Some(hi)) = (num(lo), num(hi)) else {
            return Err(format!("“{}” is not a range of two numbers", short(first)));
        };
        let (lo, hi) = (lo.min(hi), lo.max(hi));
        let clamped = (lo.clamp(min, max), hi.clamp(min, max));
        let note = (clamped != (lo, hi))
            .then(|| format!("{lo}..{hi} goes outside {min} to {max}; {}..{} was used", clamped.0, clamped.1));
        let (lo, hi) = clamped;
        let mut log = false;
        let mut steps = DEFAULT_STEPS;
        for extra in parts {
            match extra {
                "log" => log = true,
                n => match n.parse::<u32>() {
                    Ok(n) => steps = n.clamp(2, MAX_STEPS),
                    Err(_) => return Err(format!("“{}” is neither “log” nor a number of steps", short(n))),
                },
            }
        }
        if log && lo <= 0.0 {
            return Err("a log range must be above 0".into());
        }
        if lo == hi {
            return Ok((SearchValues::List(vec![format_value(setting, lo)]), note));
        }
        return Ok((SearchValues::Range { lo, hi, log, steps }, note));
    }
    if parts.next().is_some() {
        return Err("a list takes no options after it".into());
    }
    let mut values = Vec::new();
    for raw in first.split(',').map(str::trim).filter(|v| !v.is_empty()) {
        let value = match setting.kind {
            Kind::Choice { options } => match options.iter().find(|o| **o == raw) {
                Some(o) => o.to_string(),
                None => return Err(format!("“{}” is not one of {}", short(raw), options.join(", "))),
            },
            _ => match raw.parse::<f64>() {
                Ok(v) if v.is_finite() => {
                    let (value, note) = setting.parse(raw, &serde_json::Value::Null);
                    if let Some(n) = note {
                        return Err(n);
                    }
                    setting.format(&value)
                }
                _ => return Err(format!("“{}” is not a number", short(raw))),
            },
        };
        if !values.contains(&value) {
            values.push(value);
        }
    }
    if values.is_empty() {
        return Err("no values".into());
    }
    Ok((SearchValues::List(values), None))
}

fn short(s: &str) -> String {
    s.chars().take(40).collect()
}

impl Experiment {
    /// Folds a search or the evaluation panel cross-validates with: the experiment's, or 5.
    pub fn cv_folds(&self) -> usize {
        if self.folds >= 2 {
            self.folds as usize
        } else {
            5
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svm() -> ModelParams {
        ModelParams::default_for("svm").expect("svm")
    }

    #[test]
    fn a_space_round_trips_through_its_text() {
        let (params, notes) = SearchSpec::parse_space("c:0.01..100:log:3;kernel:rbf,linear", &svm());
        assert!(notes.is_empty(), "{notes:?}");
        let spec = SearchSpec { kind: SearchKind::Grid, tries: 20, params };
        assert_eq!(spec.space(), "c:0.01..100:log:3;kernel:rbf,linear");
        let (c, note) = spec.candidates(&svm(), 1);
        assert!(note.is_none());
        let c: Vec<String> = c.iter().map(|p| format!("{}={} {}={}", p[0].0, p[0].1, p[1].0, p[1].1)).collect();
        assert_eq!(
            c,
            [
                "c=0.01 kernel=rbf",
                "c=0.01 kernel=linear",
                "c=1 kernel=rbf",
                "c=1 kernel=linear",
                "c=100 kernel=rbf",
                "c=100 kernel=linear"
            ]
        );
    }

    #[test]
    fn bad_spaces_are_reported_and_the_rest_kept() {
        let (params, notes) =
            SearchSpec::parse_space("c:abc;bogus:1,2;kernel:rbf,cubic;gamma:-1..1:log;c:1,2;degree:2..4", &svm());
        let keys: Vec<&str> = params.iter().map(|p| p.key.as_str()).collect();
        // The unreadable c is dropped, so the second c is kept; gamma is clamped with a note.
        assert_eq!(keys, ["gamma", "c", "degree"]);
        assert_eq!(notes.len(), 4, "{notes:?}");
        assert!(notes.iter().any(|n| n.contains("gamma") && n.contains("was used")), "{notes:?}");
    }

    #[test]
    fn random_candidates_are_seeded_and_in_range() {
        let (params, _) = SearchSpec::parse_space("c:0.001..1000:log;degree:1..5", &svm());
        let spec = SearchSpec { kind: SearchKind::Random, tries: 30, params };
        let (a, _) = spec.candidates(&svm(), 7);
        assert_eq!(a, spec.candidates(&svm(), 7).0);
        assert_ne!(a, spec.candidates(&svm(), 8).0);
        assert_eq!(a.len(), 30);
        for pairs in &a {
            let c: f64 = pairs[0].1.parse().expect("number");
            assert!((0.001..=1000.0).contains(&c), "{c}");
            let d: i64 = pairs[1].1.parse().expect("whole");
            assert!((1..=5).contains(&d), "{d}");
        }
    }

    #[test]
    fn a_huge_grid_is_cut_with_a_notice() {
        let (params, _) = SearchSpec::parse_space("c:1..10:20;gamma:1..10:20;degree:1..5:5", &svm());
        let spec = SearchSpec { kind: SearchKind::Grid, tries: 0, params };
        let (c, note) = spec.candidates(&svm(), 1);
        assert_eq!(c.len(), MAX_CANDIDATES);
        assert!(note.is_some_and(|n| n.contains("2000")));
    }
}
