//! From a table to model inputs: the person's choices (`TableSpec`: target column and framing,
//! missing values, encoding of text columns, columns left out, the 2-D view) checked against
//! the table, and the preprocessing that turns rows into standardised numeric inputs.
//!
//! Preprocessing is fitted on the training rows only (imputation values, means and standard
//! deviations), then applied to every row, so nothing about the test rows leaks into training.

use super::table::{Column, Table, Values, MISSING_CODE};
use super::Task;
use serde::{Deserialize, Serialize};

/// Most distinct values a numeric target may have to be framed as classes.
pub const MAX_CLASSES: usize = 50;
/// A text input with more distinct values than this is left out when one-hot encoded.
pub const MAX_ONE_HOT: usize = 30;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Framing {
    Classification,
    Regression,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Missing {
    /// Drop every row with a missing input.
    Drop,
    /// Numbers: the training mean; text: the most frequent training value.
    Mean,
    Median,
    /// The most frequent training value.
    Mode,
}

impl Missing {
    pub const ALL: [Missing; 4] = [Missing::Drop, Missing::Mean, Missing::Median, Missing::Mode];
    pub fn key(self) -> &'static str {
        match self {
            Missing::Drop => "drop",
            Missing::Mean => "mean",
            Missing::Median => "median",
            Missing::Mode => "mode",
        }
    }
    pub fn from_key(k: &str) -> Option<Missing> {
        Missing::ALL.into_iter().find(|m| m.key() == k)
    }
}

/// The 2-D plane the views draw for data with more than two inputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ViewAxes {
    /// The first two principal components of the training inputs.
    Pca,
    /// Two inputs by name (after encoding).
    Pair(String, String),
}

/// What the person chose about a table (all of it goes into the link).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableSpec {
    /// A built-in dataset's id, or "csv" for the person's own file.
    pub source: String,
    pub target: String,
    pub framing: Framing,
    pub missing: Missing,
    /// Text columns encoded as one number per level (0, 1, ...) instead of one-hot.
    pub label_encoded: Vec<String>,
    /// Columns left out of the inputs.
    pub exclude: Vec<String>,
    pub view: ViewAxes,
}

impl TableSpec {
    /// The spec a dataset starts with: its target (the last column if none is named), the
    /// framing that suits that target, missing values imputed with the mean, PCA view.
    pub fn for_table(source: &str, table: &Table, target: Option<&str>, exclude: &[&str]) -> TableSpec {
        let target = target
            .filter(|t| table.column(t).is_some())
            .map(str::to_owned)
            .or_else(|| table.columns.last().map(|c| c.name.clone()))
            .unwrap_or_default();
        let framing = table.column(&target).map_or(Framing::Classification, suggested_framing);
        TableSpec {
            source: source.into(),
            target,
            framing,
            missing: Missing::Mean,
            label_encoded: Vec::new(),
            exclude: exclude.iter().map(|s| s.to_string()).collect(),
            view: ViewAxes::Pca,
        }
    }

    /// Makes the spec fit the table, saying what changed: an unknown target, a text target
    /// framed as regression, a numeric target with too many values for classes, unknown
    /// columns in the lists.
    pub fn fit_to(&mut self, table: &Table) -> Vec<String> {
        let mut notes = Vec::new();
        if table.column(&self.target).is_none() {
            let fallback = table.columns.last().map(|c| c.name.clone()).unwrap_or_default();
            notes.push(format!("There is no column “{}”; the target is “{fallback}”.", self.target));
            self.target = fallback;
            if let Some(c) = table.column(&self.target) {
                self.framing = suggested_framing(c);
            }
        }
        let Some(target) = table.column(&self.target) else { return notes };
        match (&target.values, self.framing) {
            (Values::Text { .. }, Framing::Regression) => {
                notes.push(format!(
                    "Column “{}” holds text, so it cannot be a regression target (regression predicts a number); it was framed as classification.",
                    self.target
                ));
                self.framing = Framing::Classification;
            }
            (Values::Numeric(v), Framing::Classification) => {
                let distinct = distinct_numbers(v).len();
                if distinct > MAX_CLASSES {
                    notes.push(format!(
                        "Column “{}” has {distinct} different values, too many to be classes (at most {MAX_CLASSES}); it was framed as regression.",
                        self.target
                    ));
                    self.framing = Framing::Regression;
                }
            }
            _ => {}
        }
        for list in [&mut self.label_encoded, &mut self.exclude] {
            let unknown: Vec<String> = list.iter().filter(|n| table.column(n).is_none()).cloned().collect();
            if !unknown.is_empty() {
                notes.push(format!("No column is named {}; ignored.", quoted(&unknown)));
                list.retain(|n| table.column(n).is_some());
            }
        }
        notes
    }
}

fn quoted(names: &[String]) -> String {
    names.iter().map(|n| format!("“{n}”")).collect::<Vec<_>>().join(", ")
}

/// Text, or a few whole numbers: classes; other numbers: regression.
pub fn suggested_framing(c: &Column) -> Framing {
    match &c.values {
        Values::Text { .. } => Framing::Classification,
        Values::Numeric(v) => {
            let d = distinct_numbers(v);
            if d.len() <= 10 && d.iter().all(|x| x.fract() == 0.0) {
                Framing::Classification
            } else {
                Framing::Regression
            }
        }
    }
}

fn distinct_numbers(v: &[f64]) -> Vec<f64> {
    let mut d: Vec<f64> = v.iter().copied().filter(|x| !x.is_nan()).collect();
    d.sort_by(f64::total_cmp);
    d.dedup();
    d
}

/// One input column before imputation and encoding.
#[derive(Debug, Clone)]
enum Source {
    Numeric { name: String, values: Vec<f64> },
    Text { name: String, codes: Vec<u32>, levels: Vec<String>, one_hot: bool },
}

/// The rows and inputs a spec selects, ready to be split.
#[derive(Debug, Clone)]
pub struct Selected {
    /// Table rows kept (rows without a target, or with a missing input under `Drop`, are not).
    pub rows: Vec<usize>,
    /// Targets of the kept rows: class index, or the value.
    pub targets: Vec<f64>,
    pub task: Task,
    /// Class names (classification), in class-index order.
    pub class_names: Vec<String>,
    sources: Vec<Source>,
    pub notices: Vec<String>,
}

/// Selects rows and inputs; fails (with the reason) when nothing can be trained.
pub fn select(table: &Table, spec: &TableSpec) -> Result<Selected, String> {
    let mut notices = Vec::new();
    let target = table.column(&spec.target).ok_or_else(|| format!("There is no column “{}”.", spec.target))?;
    // Targets as class indices or values; rows without one are dropped.
    let (raw_targets, class_names): (Vec<f64>, Vec<String>) = match (&target.values, spec.framing) {
        (Values::Text { codes, levels }, _) => {
            (codes.iter().map(|&c| if c == MISSING_CODE { f64::NAN } else { c as f64 }).collect(), levels.clone())
        }
        (Values::Numeric(v), Framing::Classification) => {
            let d = distinct_numbers(v);
            let t = v.iter().map(|x| d.iter().position(|y| y == x).map_or(f64::NAN, |i| i as f64)).collect();
            (t, d.iter().map(|x| format!("{x}")).collect())
        }
        (Values::Numeric(v), Framing::Regression) => (v.clone(), Vec::new()),
    };
    let mut sources = Vec::new();
    let mut left_out = Vec::new();
    for c in &table.columns {
        if c.name == spec.target || spec.exclude.contains(&c.name) {
            continue;
        }
        if c.missing() == table.rows {
            left_out.push(format!("“{}” (no values)", c.name));
            continue;
        }
        match &c.values {
            Values::Numeric(v) => sources.push(Source::Numeric { name: c.name.clone(), values: v.clone() }),
            Values::Text { codes, levels } => {
                let one_hot = !spec.label_encoded.contains(&c.name);
                if one_hot && levels.len() > MAX_ONE_HOT {
                    left_out.push(format!(
                        "“{}” ({} different texts, too many to one-hot encode; label-encode it to use it)",
                        c.name,
                        levels.len()
                    ));
                    continue;
                }
                sources.push(Source::Text {
                    name: c.name.clone(),
                    codes: codes.clone(),
                    levels: levels.clone(),
                    one_hot,
                });
            }
        }
    }
    if !left_out.is_empty() {
        notices.push(format!("Left out of the inputs: {}.", left_out.join(", ")));
    }
    if sources.is_empty() {
        return Err("No column is left to learn from: choose a different target, or include some columns.".into());
    }
    let missing_input = |r: usize| {
        sources.iter().any(|s| match s {
            Source::Numeric { values, .. } => values[r].is_nan(),
            Source::Text { codes, .. } => codes[r] == MISSING_CODE,
        })
    };
    let mut rows = Vec::with_capacity(table.rows);
    let (mut no_target, mut dropped) = (0, 0);
    for r in 0..table.rows {
        if raw_targets[r].is_nan() {
            no_target += 1;
        } else if spec.missing == Missing::Drop && missing_input(r) {
            dropped += 1;
        } else {
            rows.push(r);
        }
    }
    if no_target > 0 {
        notices.push(format!(
            "{no_target} row{} without a “{}” value {} left out.",
            plural(no_target),
            spec.target,
            if no_target == 1 { "was" } else { "were" }
        ));
    }
    if dropped > 0 {
        notices.push(format!(
            "{dropped} row{} with a missing input {} dropped, as chosen.",
            plural(dropped),
            if dropped == 1 { "was" } else { "were" }
        ));
    }
    if rows.len() < 4 {
        return Err(format!(
            "Only {} usable row{} left; at least 4 are needed to train and test.",
            rows.len(),
            plural(rows.len())
        ));
    }
    let targets: Vec<f64> = rows.iter().map(|&r| raw_targets[r]).collect();
    let task = match spec.framing {
        Framing::Regression => Task::Regression,
        Framing::Classification => {
            let mut present: Vec<usize> = targets.iter().map(|&t| t as usize).collect();
            present.sort_unstable();
            present.dedup();
            if present.len() < 2 {
                let only = class_names.get(present[0]).cloned().unwrap_or_default();
                return Err(format!(
                    "The target “{}” has only one class (“{only}”); classification needs at least two. Choose another target column.",
                    spec.target
                ));
            }
            Task::Classification { classes: class_names.len() }
        }
    };
    Ok(Selected { rows, targets, task, class_names, sources, notices })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The fitted preprocessing: what replaces a missing cell and how each input is scaled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Preprocess {
    /// Names of the model's inputs after encoding (one per one-hot level).
    pub names: Vec<String>,
    /// Per source column: its fill value (a number, or a level index for text).
    fills: Vec<f64>,
    /// Per encoded input: the training mean and standard deviation (1 when constant).
    pub means: Vec<f64>,
    pub scales: Vec<f64>,
    /// For regression: the target's training mean and standard deviation.
    pub target_mean: f64,
    pub target_scale: f64,
    /// The source columns, in order, as a new row must give them (`encode_row`).
    pub columns: Vec<InputColumn>,
}

/// A source column of the model's inputs: numeric, or text with its levels and encoding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InputColumn {
    pub name: String,
    /// The levels of a text column (sorted, as codes index them); None for a number.
    pub levels: Option<Vec<String>>,
    pub one_hot: bool,
    /// A number's training range and the value a missing cell gets (its fill).
    pub min: f64,
    pub max: f64,
    pub fill: f64,
}

impl Preprocess {
    /// One new row, given as text per source column (a number, or a level's name; empty for
    /// missing), as the model's standardised input. Missing or unreadable cells take the
    /// column's training fill, each with a notice naming the column.
    pub fn encode_row(&self, raw: &[String]) -> (Vec<f64>, Vec<String>) {
        let mut notices = Vec::new();
        let mut out = vec![0.0; self.names.len()];
        let mut k = 0;
        for (i, column) in self.columns.iter().enumerate() {
            let cell = raw.get(i).map_or("", |s| s.trim());
            let fill_text = |c: &InputColumn| match &c.levels {
                Some(levels) => levels.get(c.fill as usize).cloned().unwrap_or_default(),
                None => format!("{}", c.fill),
            };
            let value = match &column.levels {
                None => match cell.parse::<f64>() {
                    Ok(v) if v.is_finite() => v,
                    _ => {
                        if !cell.is_empty() {
                            notices.push(format!(
                                "“{}” is not a number for {}; {} was used.",
                                cell,
                                column.name,
                                fill_text(column)
                            ));
                        }
                        column.fill
                    }
                },
                Some(levels) => match levels.iter().position(|l| l == cell) {
                    Some(code) => code as f64,
                    None => {
                        if !cell.is_empty() {
                            notices.push(format!(
                                "“{}” is not a value {} had in the data; “{}” was used.",
                                cell,
                                column.name,
                                fill_text(column)
                            ));
                        }
                        column.fill
                    }
                },
            };
            match (&column.levels, column.one_hot) {
                (Some(levels), true) => {
                    if let Some(slot) = out.get_mut(k + value as usize) {
                        *slot = 1.0;
                    }
                    k += levels.len();
                }
                _ => {
                    out[k] = value;
                    k += 1;
                }
            }
        }
        for ((v, m), s) in out.iter_mut().zip(&self.means).zip(&self.scales) {
            *v = (*v - m) / s;
        }
        (out, notices)
    }
}

impl Selected {
    /// Fits the preprocessing on `train` (indices into `rows`) and returns it with every kept
    /// row's standardised inputs (row-major) and targets (standardised for regression).
    pub fn preprocess(&self, train: &[usize], missing: Missing) -> (Preprocess, Vec<f64>, Vec<f64>) {
        let row = |i: usize| self.rows[i];
        // A numeric column with no missing value in the kept rows never uses its fill, and its
        // mean fill is the standardising mean (the same sum in the same order): it is read
        // from the built rows below instead of by a pass jumping through the column.
        let complete: Vec<bool> = self
            .sources
            .iter()
            .map(|s| match s {
                Source::Numeric { values, .. } => {
                    matches!(missing, Missing::Mean | Missing::Drop)
                        && !train.is_empty()
                        && self.rows.iter().all(|&r| !values[r].is_nan())
                }
                Source::Text { .. } => false,
            })
            .collect();
        let mut fills: Vec<f64> = self
            .sources
            .iter()
            .zip(&complete)
            .map(|(s, &complete)| match s {
                Source::Numeric { .. } if complete => f64::NAN, // set from the means below
                Source::Numeric { values, .. } => {
                    let mut v: Vec<f64> = train.iter().map(|&i| values[row(i)]).filter(|x| !x.is_nan()).collect();
                    if v.is_empty() {
                        return 0.0;
                    }
                    match missing {
                        Missing::Mean | Missing::Drop => v.iter().sum::<f64>() / v.len() as f64,
                        Missing::Median => {
                            v.sort_by(f64::total_cmp);
                            quantile(&v, 0.5)
                        }
                        Missing::Mode => mode(v.iter().copied()),
                    }
                }
                Source::Text { codes, .. } => {
                    mode(train.iter().map(|&i| codes[row(i)]).filter(|&c| c != MISSING_CODE).map(f64::from))
                }
            })
            .collect();
        let names: Vec<String> = self
            .sources
            .iter()
            .flat_map(|s| match s {
                Source::Numeric { name, .. } => vec![name.clone()],
                Source::Text { name, levels, one_hot: true, .. } => {
                    levels.iter().map(|l| format!("{name} = {l}")).collect()
                }
                Source::Text { name, one_hot: false, .. } => vec![format!("{name} (code)")],
            })
            .collect();
        let d = names.len();
        let n = self.rows.len();
        let mut x = vec![0.0; n * d];
        // A column at a time: each source is read in order, and its match is decided once.
        let mut k = 0;
        for (s, &fill) in self.sources.iter().zip(&fills) {
            match s {
                Source::Numeric { values, .. } => {
                    for (out, &r) in x[k..].iter_mut().step_by(d.max(1)).zip(&self.rows) {
                        let v = values[r];
                        *out = if v.is_nan() { fill } else { v };
                    }
                    k += 1;
                }
                Source::Text { codes, levels, one_hot, .. } => {
                    for (out, &r) in x.chunks_exact_mut(d.max(1)).zip(&self.rows) {
                        let c = codes[r];
                        let c = if c == MISSING_CODE { fill } else { f64::from(c) };
                        if *one_hot {
                            out[k + c as usize] = 1.0;
                        } else {
                            out[k] = c;
                        }
                    }
                    k += if *one_hot { levels.len() } else { 1 };
                }
            }
        }
        let stats = column_mean_sd(&x, d, train);
        // Where each source's inputs start in a row.
        let starts: Vec<usize> = self
            .sources
            .iter()
            .scan(0, |k, s| {
                let start = *k;
                *k += match s {
                    Source::Text { levels, one_hot: true, .. } => levels.len(),
                    _ => 1,
                };
                Some(start)
            })
            .collect();
        let complete_at: Vec<usize> = starts.iter().zip(&complete).filter(|(_, &c)| c).map(|(&k, _)| k).collect();
        for ((fill, &complete), &k) in fills.iter_mut().zip(&complete).zip(&starts) {
            if complete {
                *fill = stats[k].0;
            }
        }
        // The complete columns' ranges over the training rows, read from the rows built above
        // (the same values in the same order as the column).
        let mut ranges = vec![(f64::INFINITY, f64::NEG_INFINITY); complete_at.len()];
        for &i in train {
            let r = &x[i * d..(i + 1) * d];
            for ((lo, hi), &k) in ranges.iter_mut().zip(&complete_at) {
                (*lo, *hi) = (lo.min(r[k]), hi.max(r[k]));
            }
        }
        let (mut means, mut scales) = (vec![0.0; d], vec![1.0; d]);
        for (j, (m, s)) in stats.into_iter().enumerate() {
            means[j] = m;
            scales[j] = if s > 1e-12 { s } else { 1.0 };
        }
        for r in x.chunks_exact_mut(d) {
            for ((v, m), s) in r.iter_mut().zip(&means).zip(&scales) {
                *v = (*v - m) / s;
            }
        }
        let mut y = self.targets.clone();
        let (mut target_mean, mut target_scale) = (0.0, 1.0);
        if self.task == Task::Regression {
            let (m, s) = mean_sd(train.iter().map(|&i| y[i]));
            target_mean = m;
            target_scale = if s > 1e-12 { s } else { 1.0 };
            for v in &mut y {
                *v = (*v - target_mean) / target_scale;
            }
        }
        let mut complete_ranges = ranges.into_iter();
        let columns = self
            .sources
            .iter()
            .zip(&fills)
            .zip(&complete)
            .map(|((s, &fill), &complete)| match s {
                Source::Numeric { name, .. } if complete => {
                    let (min, max) = complete_ranges.next().unwrap_or((f64::INFINITY, f64::NEG_INFINITY));
                    InputColumn { name: name.clone(), levels: None, one_hot: false, min, max, fill }
                }
                Source::Numeric { name, values } => {
                    let (min, max) = train
                        .iter()
                        .map(|&i| values[row(i)])
                        .filter(|v| !v.is_nan())
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
                    InputColumn { name: name.clone(), levels: None, one_hot: false, min, max, fill }
                }
                Source::Text { name, levels, one_hot, .. } => InputColumn {
                    name: name.clone(),
                    levels: Some(levels.clone()),
                    one_hot: *one_hot,
                    min: 0.0,
                    max: levels.len().saturating_sub(1) as f64,
                    fill,
                },
            })
            .collect();
        (Preprocess { names, fills, means, scales, target_mean, target_scale, columns }, x, y)
    }
}

/// Mean and population standard deviation (as scikit-learn's StandardScaler).
fn mean_sd(values: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = values.clone().count().max(1) as f64;
    let m = values.clone().sum::<f64>() / n;
    let var = values.map(|v| (v - m) * (v - m)).sum::<f64>() / n;
    (m, libm::sqrt(var))
}

/// `mean_sd` of every column of the row-major `x` (`d` wide) over the `train` rows: the same
/// sums in the same order, so the same bits, but read a row at a time (a column at a time
/// jumps across the whole table for every value, which is slow on large files).
fn column_mean_sd(x: &[f64], d: usize, train: &[usize]) -> Vec<(f64, f64)> {
    let n = train.len().max(1) as f64;
    // -0.0 is where f64's `sum` starts.
    let mut sums = vec![-0.0; d];
    for &i in train {
        for (s, v) in sums.iter_mut().zip(&x[i * d..(i + 1) * d]) {
            *s += v;
        }
    }
    let means: Vec<f64> = sums.iter().map(|s| s / n).collect();
    let mut squares = vec![-0.0; d];
    for &i in train {
        for ((s, v), m) in squares.iter_mut().zip(&x[i * d..(i + 1) * d]).zip(&means) {
            *s += (v - m) * (v - m);
        }
    }
    means.into_iter().zip(squares).map(|(m, s)| (m, libm::sqrt(s / n))).collect()
}

/// The most frequent value (the smallest among ties, so the result does not depend on order).
fn mode(values: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = values.collect();
    v.sort_by(f64::total_cmp);
    let (mut best, mut best_n, mut i) = (0.0, 0, 0);
    while i < v.len() {
        let j = v[i..].iter().position(|x| *x != v[i]).map_or(v.len(), |k| i + k);
        if j - i > best_n {
            (best, best_n) = (v[i], j - i);
        }
        i = j;
    }
    best
}

/// The q-quantile of sorted values by linear interpolation between closest ranks.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    let h = (sorted.len() - 1) as f64 * q;
    let (lo, frac) = (h.floor() as usize, h - h.floor());
    match sorted.get(lo + 1) {
        Some(&next) if frac > 0.0 => sorted[lo] + (next - sorted[lo]) * frac,
        _ => sorted[lo],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::table::{read_csv, CsvOptions};

    fn table(csv: &str) -> Table {
        read_csv(csv.as_bytes(), CsvOptions::default()).expect("reads").table
    }

    const MIXED: &str =
        "size,colour,price,kind\n1,red,10,a\n2,blue,NA,b\nNA,red,30,a\n4,,40,b\n5,blue,50,a\n6,red,60,b\n";

    #[test]
    fn a_complete_column_gets_the_fill_and_range_a_pass_over_its_training_values_gives() {
        let t = table("a,b,c,kind\n0.1,-0,x,p\n0.7,3,y,q\n-0,2.5,x,p\n1e-3,NA,y,q\n9.25,0,x,p\n0.3,7,y,q\n");
        let spec = TableSpec::for_table("csv", &t, Some("kind"), &[]);
        let sel = select(&t, &spec).expect("selects");
        let Values::Numeric(a) = &t.columns[0].values else { panic!("a is numeric") };
        for train in [vec![4, 0, 2, 5], vec![1, 3, 0, 2, 5, 4], vec![2]] {
            let (pre, _, _) = sel.preprocess(&train, Missing::Mean);
            let values: Vec<f64> = train.iter().map(|&i| a[sel.rows[i]]).collect();
            let mean = values.iter().sum::<f64>() / values.len() as f64;
            assert_eq!(pre.fills[0].to_bits(), mean.to_bits(), "train {train:?}");
            let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| (l.min(v), h.max(v)));
            assert_eq!((pre.columns[0].min.to_bits(), pre.columns[0].max.to_bits()), (lo.to_bits(), hi.to_bits()));
            // b has a missing cell, so it takes the column pass: the mean of its present values.
            let Values::Numeric(b) = &t.columns[1].values else { panic!("b is numeric") };
            let present: Vec<f64> = train.iter().map(|&i| b[sel.rows[i]]).filter(|v| !v.is_nan()).collect();
            if !present.is_empty() {
                let mean_b = present.iter().sum::<f64>() / present.len() as f64;
                assert_eq!(pre.fills[1].to_bits(), mean_b.to_bits(), "train {train:?}");
            }
        }
    }

    #[test]
    fn one_hot_and_label_encoding_with_train_only_imputation() {
        let t = table(MIXED);
        let mut spec = TableSpec::for_table("csv", &t, Some("kind"), &[]);
        assert!(spec.fit_to(&t).is_empty());
        assert_eq!(spec.framing, Framing::Classification);
        let sel = select(&t, &spec).expect("selects");
        assert_eq!((sel.rows.len(), sel.task), (6, Task::Classification { classes: 2 }));
        // Train on rows 0, 1, 3 only: the size fill is their mean (1 + 2 + 4) / 3.
        let (pre, x, _) = sel.preprocess(&[0, 1, 3], Missing::Mean);
        assert_eq!(pre.names, ["size", "colour = blue", "colour = red", "price"]);
        let d = pre.names.len();
        let raw = |i: usize, j: usize| x[i * d + j] * pre.scales[j] + pre.means[j];
        assert!((raw(2, 0) - 7.0 / 3.0).abs() < 1e-12, "imputed from the training rows only");
        // Missing colour (row 3) becomes the training mode: rows 0, 1, 3 have red, blue → blue (smallest code).
        assert_eq!((raw(3, 1), raw(3, 2)), (1.0, 0.0));
        // Standardised on the training rows: mean 0 there.
        let m: f64 = [0, 1, 3].iter().map(|&i| x[i * d]).sum::<f64>() / 3.0;
        assert!(m.abs() < 1e-12);
        spec.label_encoded = vec!["colour".into()];
        let (pre, _, _) = select(&t, &spec).expect("selects").preprocess(&[0, 1, 3], Missing::Median);
        assert_eq!(pre.names, ["size", "colour (code)", "price"]);
    }

    #[test]
    fn a_new_row_given_as_text_encodes_as_its_table_row_did() {
        let t = table(MIXED);
        for label in [false, true] {
            let mut spec = TableSpec::for_table("csv", &t, Some("kind"), &[]);
            if label {
                spec.label_encoded = vec!["colour".into()];
            }
            let sel = select(&t, &spec).expect("selects");
            let (pre, x, _) = sel.preprocess(&[0, 1, 3], Missing::Mean);
            let d = pre.names.len();
            let rows = [["1", "red", "10"], ["2", "blue", ""], ["", "red", "30"], ["4", "", "40"]];
            for (i, raw) in rows.iter().enumerate() {
                let raw: Vec<String> = raw.iter().map(|s| s.to_string()).collect();
                let (encoded, notices) = pre.encode_row(&raw);
                assert!(notices.is_empty(), "{notices:?}");
                assert_eq!(encoded, x[i * d..(i + 1) * d], "row {i}, label encoding {label}");
            }
            // Unknown values take the fill, and say so.
            let (encoded, notices) = pre.encode_row(&["abc".into(), "green".into(), "10".into()]);
            let (fill, _) = pre.encode_row(&["".into(), "".into(), "10".into()]);
            assert_eq!(encoded, fill);
            assert_eq!(notices.len(), 2, "{notices:?}");
            assert!(notices[0].contains("size") && notices[1].contains("green"), "{notices:?}");
            assert_eq!(pre.columns[1].levels.as_deref(), Some(&["blue".to_string(), "red".to_string()][..]));
            assert_eq!((pre.columns[0].min, pre.columns[0].max), (1.0, 4.0));
        }
    }

    #[test]
    fn the_test_rows_do_not_change_the_preprocessing() {
        let t = table(MIXED);
        let spec = TableSpec::for_table("csv", &t, Some("kind"), &[]);
        let sel = select(&t, &spec).expect("selects");
        let mut other = t.clone();
        // Change only rows outside the training part: the fitted preprocessing is identical.
        if let Values::Numeric(v) = &mut other.columns[0].values {
            v[4] = 1e6;
            v[5] = f64::NAN;
        }
        let sel2 = select(&other, &spec).expect("selects");
        assert_eq!(sel.preprocess(&[0, 1, 2, 3], Missing::Mean).0, sel2.preprocess(&[0, 1, 2, 3], Missing::Mean).0);
    }

    #[test]
    fn drop_removes_rows_with_missing_inputs_and_rows_without_target_always_go() {
        let t = table("a,b,y\n1,2,1\nNA,3,2\n4,5,NA\n6,7,1\n8,9,2\n1,1,1\n");
        let mut spec = TableSpec::for_table("csv", &t, Some("y"), &[]);
        spec.missing = Missing::Drop;
        let sel = select(&t, &spec).expect("selects");
        assert_eq!(sel.rows, [0, 3, 4, 5]);
        assert!(sel.notices.iter().any(|n| n.contains("1 row without")));
        assert!(sel.notices.iter().any(|n| n.contains("dropped")));
    }

    #[test]
    fn bad_targets_get_a_clear_message() {
        let t = table("x,name,one\n1,a,k\n2,b,k\n3,c,k\n4,d,k\n");
        let mut spec = TableSpec::for_table("csv", &t, Some("name"), &[]);
        spec.framing = Framing::Regression;
        let notes = spec.fit_to(&t);
        assert!(notes[0].contains("holds text") && spec.framing == Framing::Classification, "{notes:?}");
        spec.target = "one".into();
        let err = select(&t, &spec).expect_err("one class");
        assert!(err.contains("only one class") && err.contains("“k”"), "{err}");
        spec.target = "missing".into();
        assert!(spec.fit_to(&t)[0].contains("no column “missing”"));
    }

    #[test]
    fn regression_targets_are_standardised_and_framing_follows_the_values() {
        let t = table("x,y\n1,10.5\n2,20.5\n3,30.5\n4,40.5\n");
        let spec = TableSpec::for_table("csv", &t, None, &[]);
        assert_eq!((spec.target.as_str(), spec.framing), ("y", Framing::Regression));
        let sel = select(&t, &spec).expect("selects");
        let (pre, _, y) = sel.preprocess(&[0, 1, 2, 3], Missing::Mean);
        assert_eq!(pre.target_mean, 25.5);
        assert!((y.iter().sum::<f64>()).abs() < 1e-12);
    }

    #[test]
    fn column_means_and_deviations_read_by_rows_are_the_same_bits_as_by_columns() {
        let d = 5;
        let mut x = Vec::new();
        let mut state = 3u64;
        for k in 0..400 * d {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let r = (state >> 11) as f64 / (1u64 << 53) as f64;
            x.push(match k % d {
                0 => 0.0,
                1 => -0.0,
                2 => r * 1e6 - 3.0,
                _ => r - 0.5,
            });
        }
        let train: Vec<usize> = (0..400).rev().filter(|i| i % 3 != 0).collect();
        let by_rows = column_mean_sd(&x, d, &train);
        for (j, (m, s)) in by_rows.into_iter().enumerate() {
            let (em, es) = mean_sd(train.iter().map(|&i| x[i * d + j]));
            assert_eq!((m.to_bits(), s.to_bits()), (em.to_bits(), es.to_bits()), "column {j}");
        }
    }
}
