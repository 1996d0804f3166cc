//! What the model reads and what the views draw, for both kinds of data: generated points
//! (the chosen features of (x1, x2)) and tables (standardised columns, seen through a 2-D
//! plane: two chosen inputs, or the first two principal components of the training rows).

use crate::data::rng::{Purpose, Rng};
use crate::data::table::Table;
use crate::data::tabular::{select, Preprocess, TableSpec, ViewAxes};
use crate::data::{builtin, featurize, Dataset, Feature, DOMAIN};
use crate::models::ParamError;

/// The model's inputs.
#[derive(Debug, Clone)]
pub enum Inputs {
    Plane(Vec<Feature>),
    Table(Box<crate::Only<TableInputs>>),
}

/// A prepared table: every kept row's standardised inputs and how the view shows them.
#[derive(Debug, Clone)]
pub struct TableInputs {
    pub names: Vec<String>,
    pub class_names: Vec<String>,
    pub preprocess: Preprocess,
    pub view: ViewMap,
    /// Row-major inputs of every kept row (rows × names.len()).
    pub x: Vec<f64>,
    /// Rows of the table that were kept, in order.
    pub table_rows: Vec<usize>,
    /// Image shape when each row is a picture (the digits).
    pub image: Option<(usize, usize)>,
    /// What preparing the table reported (rows dropped, columns left out, spec repairs).
    pub notices: Vec<String>,
}

/// A plane through the standardised input space: view point (u, v) is the input
/// (u·axes[0] + v·axes[1]) / scale, every other direction at the training mean (0).
#[derive(Debug, Clone, PartialEq)]
pub struct ViewMap {
    pub axes: [Vec<f64>; 2],
    pub scale: f64,
    /// What the two view axes are, for the caption.
    pub label: String,
    pub axis_names: [String; 2],
}

/// The caption of a view of principal components (`ViewMap::label`).
const PCA_LABEL: &str = "→ principal component 1, ↑ component 2";

impl ViewMap {
    /// What the two view axes are, in the page's language (English: `label`).
    pub fn caption(&self, lang: crate::lang::Lang) -> String {
        let [a, b] = &self.axis_names;
        match lang {
            crate::lang::Lang::En => self.label.clone(),
            crate::lang::Lang::Id if self.label == PCA_LABEL => "→ komponen utama 1, ↑ komponen 2".into(),
            crate::lang::Lang::Id if b.is_empty() => format!("→ {a} (satu-satunya input)"),
            crate::lang::Lang::Id => format!("→ {a}, ↑ {b} (input lainnya pada rata-ratanya)"),
        }
    }

    pub fn point(&self, x: &[f64]) -> [f64; 2] {
        let dot = |a: &[f64]| a.iter().zip(x).map(|(a, b)| a * b).sum::<f64>() * self.scale;
        [dot(&self.axes[0]), dot(&self.axes[1])]
    }

    pub fn input(&self, p: [f64; 2], out: &mut [f64]) {
        let (u, v) = (p[0] / self.scale, p[1] / self.scale);
        for ((o, a), b) in out.iter_mut().zip(&self.axes[0]).zip(&self.axes[1]) {
            *o = u * a + v * b;
        }
    }
}

impl TableInputs {
    /// The model's (standardised) inputs for raw values given by column name (numbers only:
    /// the digits' pixels); a column not given counts as its training mean.
    pub fn from_raw(&self, raw: impl Fn(&str) -> Option<f64>) -> Vec<f64> {
        let p = &self.preprocess;
        self.names
            .iter()
            .enumerate()
            .map(|(j, name)| raw(name).map_or(0.0, |v| (v - p.means[j]) / p.scales[j]))
            .collect()
    }
}

impl Inputs {
    pub fn count(&self) -> usize {
        match self {
            Inputs::Plane(f) => f.len(),
            Inputs::Table(t) => t.names.len(),
        }
    }

    /// Input keys and labels (feature link names, or column names twice).
    pub fn labels(&self) -> Vec<(String, String)> {
        match self {
            Inputs::Plane(f) => f.iter().map(|f| (f.key().to_owned(), f.label().to_owned())).collect(),
            Inputs::Table(t) => t.names.iter().map(|n| (n.clone(), n.clone())).collect(),
        }
    }

    /// The model's input at view point `p`.
    pub fn at(&self, p: [f64; 2], out: &mut [f64]) {
        match self {
            Inputs::Plane(f) => featurize(f, p, out),
            Inputs::Table(t) => t.view.input(p, out),
        }
    }

    pub fn table(&self) -> Option<&TableInputs> {
        match self {
            Inputs::Table(t) => Some(t),
            Inputs::Plane(_) => None,
        }
    }
}

/// Seeded split of n rows: the first `train_percent` of a shuffle train, at least one each.
pub fn split(n: usize, train_percent: u32, seed: u64) -> (Vec<usize>, Vec<usize>) {
    let mut rows: Vec<usize> = (0..n).collect();
    if n < 2 {
        return (rows, Vec::new());
    }
    Rng::new(seed, Purpose::Split).shuffle(&mut rows);
    let n_train = ((n * train_percent as usize + 50) / 100).clamp(1, n.saturating_sub(1).max(1));
    let test = rows.split_off(n_train);
    (rows, test)
}

/// How rows are divided between training and testing: a holdout (`train_percent` train),
/// stratified by class when asked, or fold `fold` of a k-fold cross-validation of the
/// holdout's training rows (that fold tests, the others train; the holdout's test rows are
/// left out). Every division is seeded by the data seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SplitPlan {
    pub train_percent: u32,
    pub stratify: bool,
    /// `(k, i)`: fold i of k tests.
    pub fold: Option<(usize, usize)>,
    /// Percent of the training rows kept (a learning curve's smaller training sets: each a
    /// prefix of one seeded shuffle, so a smaller set is inside every larger one).
    pub train_share: u32,
    pub seed: u64,
}

impl SplitPlan {
    pub fn holdout(train_percent: u32, stratify: bool, seed: u64) -> SplitPlan {
        SplitPlan { train_percent, stratify, fold: None, train_share: 100, seed }
    }

    /// Train and test rows of n rows; `classes` are the rows' class indices when the task is
    /// classification (stratification needs them).
    pub fn rows(&self, n: usize, classes: Option<&[f64]>) -> (Vec<usize>, Vec<usize>) {
        let (mut train, test) = self.split_rows(n, classes);
        if self.train_share < 100 {
            Rng::new(self.seed, Purpose::Subsample).shuffle(&mut train);
            let keep = (train.len() * self.train_share as usize).div_ceil(100).clamp(1.min(train.len()), train.len());
            train.truncate(keep);
            train.sort_unstable();
        }
        (train, test)
    }

    fn split_rows(&self, n: usize, classes: Option<&[f64]>) -> (Vec<usize>, Vec<usize>) {
        if let Some((k, i)) = self.fold {
            return self.fold_rows(n, classes, k, i);
        }
        let groups = match classes.filter(|c| self.stratify && c.len() == n) {
            // One shuffled group per class, in class order.
            Some(labels) => {
                let count = labels.iter().map(|&c| c as usize + 1).max().unwrap_or(0);
                let mut groups = vec![Vec::new(); count];
                for (row, &c) in labels.iter().enumerate() {
                    groups[c as usize].push(row);
                }
                let mut rng = Rng::new(self.seed, Purpose::Split);
                for g in &mut groups {
                    rng.shuffle(g);
                }
                groups
            }
            None => return split(n, self.train_percent, self.seed),
        };
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for g in groups {
            let n_train = (g.len() * self.train_percent as usize + 50) / 100;
            // A class with two rows or more has a row on each side.
            let n_train = if g.len() >= 2 { n_train.clamp(1, g.len() - 1) } else { g.len() };
            train.extend_from_slice(&g[..n_train]);
            test.extend_from_slice(&g[n_train..]);
        }
        train.sort_unstable();
        test.sort_unstable();
        (train, test)
    }

    /// Fold `i` of `k` of the holdout's training rows: the holdout's test rows are in no fold,
    /// so a cross-validation (and a search scored by one) never sees them and the test score
    /// stays an honest check. The training rows are shuffled (by class when stratified) and
    /// dealt to folds in turn, so folds differ in size by at most one row and each holds its
    /// share of every class.
    fn fold_rows(&self, n: usize, classes: Option<&[f64]>, k: usize, i: usize) -> (Vec<usize>, Vec<usize>) {
        let (mut pool, _) = SplitPlan { fold: None, train_share: 100, ..*self }.split_rows(n, classes);
        let mut rng = Rng::new(self.seed, Purpose::Folds);
        rng.shuffle(&mut pool);
        if let Some(labels) = classes.filter(|c| self.stratify && c.len() == n) {
            // Stable: rows keep their shuffled order within a class.
            pool.sort_by_key(|&r| labels[r] as usize);
        }
        let k = k.max(2);
        let (mut train, mut test) = (Vec::new(), Vec::new());
        for (position, row) in pool.into_iter().enumerate() {
            if position % k == i % k {
                test.push(row);
            } else {
                train.push(row);
            }
        }
        train.sort_unstable();
        test.sort_unstable();
        (train, test)
    }
}

/// The table a spec names: a shipped dataset, or the person's file.
pub fn source_table<'a>(spec: &TableSpec, user: Option<&'a Table>) -> Option<&'a Table> {
    match builtin::find(&spec.source) {
        Some(b) => Some(b.table()),
        None if spec.source == "csv" => user,
        None => None,
    }
}

/// A prepared table, its view dataset and its split.
#[derive(Debug)]
pub struct PreparedTable {
    pub inputs: TableInputs,
    pub dataset: Dataset,
    pub train_rows: Vec<usize>,
    pub test_rows: Vec<usize>,
}

/// Selects, splits and preprocesses a table as its spec says (the spec must fit the table).
pub fn prepare(
    table: &Table,
    spec: &TableSpec,
    plan: &SplitPlan,
    image: Option<(usize, usize)>,
) -> Result<PreparedTable, ParamError> {
    let selected = select(table, spec).map_err(|message| ParamError { field: "target", message })?;
    let n = selected.rows.len();
    let classes = matches!(selected.task, crate::data::Task::Classification { .. }).then_some(&selected.targets[..]);
    let (train_rows, test_rows) = plan.rows(n, classes);
    let (preprocess, x, targets) = selected.preprocess(&train_rows, spec.missing);
    let d = preprocess.names.len();
    let mut notices = selected.notices.clone();
    let view = view_map(&preprocess.names, &x, &train_rows, &spec.view, &mut notices);
    let points = x.chunks_exact(d).map(|r| view.point(r)).collect();
    let dataset = Dataset { points, targets, task: selected.task };
    let inputs = TableInputs {
        names: preprocess.names.clone(),
        class_names: selected.class_names.clone(),
        preprocess,
        view,
        x,
        table_rows: selected.rows,
        image,
        notices,
    };
    Ok(PreparedTable { inputs, dataset, train_rows, test_rows })
}

/// The view's plane, scaled so every row lands inside the drawn square.
fn view_map(names: &[String], x: &[f64], train: &[usize], axes: &ViewAxes, notices: &mut Vec<String>) -> ViewMap {
    let d = names.len();
    let unit = |j: usize| {
        let mut a = vec![0.0; d];
        if j < d {
            a[j] = 1.0;
        }
        a
    };
    let (axes, label, axis_names) = match axes {
        ViewAxes::Pair(a, b) if names.contains(a) && names.contains(b) && a != b => {
            let (i, j) =
                (names.iter().position(|n| n == a).unwrap_or(0), names.iter().position(|n| n == b).unwrap_or(0));
            ([unit(i), unit(j)], format!("→ {a}, ↑ {b} (other inputs at their mean)"), [a.clone(), b.clone()])
        }
        _ if d == 1 => {
            ([unit(0), unit(1)], format!("→ {} (the only input)", names[0]), [names[0].clone(), String::new()])
        }
        other => {
            if let ViewAxes::Pair(a, b) = other {
                notices.push(format!(
                    "“{a}” and “{b}” are not two different inputs; the view shows the first two principal components."
                ));
            }
            let [p1, p2] = principal_axes(x, d, train);
            ([p1, p2], PCA_LABEL.into(), ["PC 1".into(), "PC 2".into()])
        }
    };
    let mut map = ViewMap { axes, scale: 1.0, label, axis_names };
    let extent = x.chunks_exact(d.max(1)).flat_map(|r| map.point(r)).fold(0.0f64, |m, v| m.max(v.abs()));
    map.scale = if extent > 1e-12 { DOMAIN * 0.95 / extent } else { 1.0 };
    map
}

/// The two leading eigenvectors of the training inputs' covariance (the inputs are centred
/// already), with PCA's Jacobi solver: the same bits everywhere and a fixed sign convention.
fn principal_axes(x: &[f64], d: usize, train: &[usize]) -> [Vec<f64>; 2] {
    let mut cov = vec![0.0; d * d];
    // The upper triangle only: the solver mirrors it.
    for &i in train {
        let r = &x[i * d..(i + 1) * d];
        for a in 0..d {
            for b in a..d {
                cov[a * d + b] += r[a] * r[b];
            }
        }
    }
    let (_, mut vectors) = crate::models::pca::symmetric_eigen(&mut cov, d);
    vectors.truncate(2);
    let second = vectors.pop().unwrap_or_else(|| vec![0.0; d]);
    let first = vectors.pop().unwrap_or_else(|| vec![0.0; d]);
    [first, second]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::tabular::TableSpec;
    use crate::data::Task;

    #[test]
    fn iris_prepares_with_a_pca_view_inside_the_domain() {
        let b = builtin::find("iris").expect("iris");
        let spec = TableSpec::for_table("iris", b.table(), Some(b.target), b.exclude);
        let p = prepare(b.table(), &spec, &SplitPlan::holdout(70, false, 1), None).expect("prepares");
        assert_eq!(p.inputs.names.len(), 4);
        assert_eq!(p.dataset.task, Task::Classification { classes: 3 });
        assert_eq!(p.train_rows.len() + p.test_rows.len(), 150);
        assert!(p.dataset.points.iter().all(|q| q[0].abs() <= DOMAIN && q[1].abs() <= DOMAIN));
        // PCA axes are unit length and orthogonal; the first explains the petal measurements.
        let [a, b2] = &p.inputs.view.axes;
        let dot = |u: &[f64], v: &[f64]| u.iter().zip(v).map(|(x, y)| x * y).sum::<f64>();
        assert!((dot(a, a) - 1.0).abs() < 1e-9 && (dot(b2, b2) - 1.0).abs() < 1e-9 && dot(a, b2).abs() < 1e-6);
        assert!(a[2] > 0.5, "{a:?}");
        // A view point maps to an input that maps back to the same point.
        let mut x = vec![0.0; 4];
        p.inputs.view.input([1.5, -2.0], &mut x);
        let q = p.inputs.view.point(&x);
        assert!((q[0] - 1.5).abs() < 1e-6 && (q[1] + 2.0).abs() < 1e-6, "{q:?}");
    }
}
