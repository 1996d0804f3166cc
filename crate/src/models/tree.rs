//! Decision trees (CART, grown here) and random forests of them.
//!
//! A tree is a list of `Node`s with the class counts of the training rows that reach each
//! node: the counts give class probabilities and label the drawn tree. The forest is written
//! here because
//! linfa-ensemble's `EnsembleLearner` is not serde-serialisable and breaks vote ties through a
//! `HashMap`, whose order changes from run to run; here trees grow one per `Trainer` step from
//! seeded bootstrap samples and vote by averaged class shares, as scikit-learn's forest does.

use super::schema::{choice, float, int, Setting};
use super::{param_error, Data, Model, ParamError};
use crate::data::rng::{Purpose, Rng};
use ndarray::{Array2, ArrayView2, Axis};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Criterion {
    Gini,
    Entropy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TreeParams {
    pub criterion: Criterion,
    /// Maximum depth.
    pub depth: usize,
    /// Fewest training rows a node needs to be split.
    pub minsplit: usize,
}

impl Default for TreeParams {
    fn default() -> Self {
        TreeParams { criterion: Criterion::Gini, depth: 5, minsplit: 2 }
    }
}

pub const TREE_SETTINGS: &[Setting] = &[
    choice("criterion", "Split criterion", &["gini", "entropy"], "How impurity is measured when choosing a split."),
    int("depth", "Max depth", 1, 30, "Most questions on any path; deeper trees fit (and overfit) more."),
    int("minsplit", "Min samples to split", 2, 1000, "A node with fewer training rows becomes a leaf."),
];

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ForestParams {
    pub trees: usize,
    pub depth: usize,
    pub minsplit: usize,
    /// Share of the features each tree sees (drawn per tree).
    pub featfrac: f64,
}

impl Default for ForestParams {
    fn default() -> Self {
        ForestParams { trees: 50, depth: 10, minsplit: 2, featfrac: 1.0 }
    }
}

pub const FOREST_SETTINGS: &[Setting] = &[
    int("trees", "Trees", 1, 200, "Trees in the forest; each frame of the animation grows one."),
    int("depth", "Max depth", 1, 30, "Most questions on any path of each tree."),
    int("minsplit", "Min samples to split", 2, 1000, "A node with fewer training rows becomes a leaf."),
    float("featfrac", "Feature share", 0.1, 1.0, "Share of the features each tree may use (at least one)."),
];

/// One node of a fitted tree, in depth-first order (the root first).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Split feature and threshold (rows with `x[feature] < threshold` go left); None at leaves.
    pub split: Option<(usize, f64)>,
    pub left: usize,
    pub right: usize,
    /// Training rows of each class that reach this node.
    pub counts: Vec<usize>,
    /// The class predicted at a leaf (the most frequent; the lowest on ties).
    pub prediction: usize,
    pub depth: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub classes: usize,
}

impl Tree {
    /// The leaf a row ends in.
    pub fn leaf(&self, row: &[f64]) -> &Node {
        let mut i = 0;
        while let Some((f, th)) = self.nodes[i].split {
            i = if row[f] < th { self.nodes[i].left } else { self.nodes[i].right };
        }
        &self.nodes[i]
    }

    pub fn depth(&self) -> usize {
        self.nodes.iter().map(|n| n.depth).max().unwrap_or(0)
    }

    pub fn leaves(&self) -> usize {
        self.nodes.iter().filter(|n| n.split.is_none()).count()
    }

    /// Adds each row's leaf class shares to `out` (rows × classes), scaled by `weight`.
    fn add_proba(&self, x: ArrayView2<f64>, features: Option<&[usize]>, weight: f64, out: &mut Array2<f64>) {
        let mut row = Vec::new();
        for (i, r) in x.rows().into_iter().enumerate() {
            row.clear();
            match features {
                Some(fs) => row.extend(fs.iter().map(|&f| r[f])),
                None => row.extend(r.iter().copied()),
            }
            let leaf = self.leaf(&row);
            let total: usize = leaf.counts.iter().sum();
            if total == 0 {
                out[[i, leaf.prediction]] += weight;
                continue;
            }
            for (c, &n) in leaf.counts.iter().enumerate() {
                out[[i, c]] += weight * n as f64 / total as f64;
            }
        }
    }
}

/// Impurity of a node with these class counts out of `n` rows.
fn impurity(criterion: Criterion, counts: &[usize], n: usize) -> f64 {
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    // In class order, so the sum has the same bits on every run and platform.
    match criterion {
        Criterion::Gini => 1.0 - counts.iter().map(|&c| (c as f64 / n) * (c as f64 / n)).sum::<f64>(),
        Criterion::Entropy => counts
            .iter()
            .filter(|&&c| c > 0)
            .map(|&c| {
                let p = c as f64 / n;
                -p * libm::log2(p)
            })
            .sum(),
    }
}

/// Grows a CART classification tree as scikit-learn's `DecisionTreeClassifier` does (best
/// split of any feature by weighted child impurity, thresholds midway between neighbouring
/// values, a leaf when pure, at the depth limit or under `minsplit` rows). Written here
/// because linfa-trees sums impurity and breaks class ties through a `HashMap`, whose order
/// changes from run to run, so the same link could grow different trees. Ties go to the
/// first feature, the first threshold and the lowest class.
fn grow(p: &TreeParams, x: ArrayView2<f64>, labels: &[usize], classes: usize) -> Result<Tree, ParamError> {
    if x.nrows() == 0 {
        return param_error("data", "a tree needs at least one training row");
    }
    let labels: Vec<usize> = labels.iter().map(|&l| l.min(classes - 1)).collect();
    let mut nodes = Vec::new();
    let rows: Vec<usize> = (0..x.nrows()).collect();
    grow_node(p, x, &labels, classes, rows, 0, &mut nodes);
    Ok(Tree { nodes, classes })
}

fn grow_node(
    p: &TreeParams,
    x: ArrayView2<f64>,
    labels: &[usize],
    classes: usize,
    rows: Vec<usize>,
    depth: usize,
    nodes: &mut Vec<Node>,
) -> usize {
    let mut counts = vec![0; classes];
    for &r in &rows {
        counts[labels[r]] += 1;
    }
    let prediction = super::mlp::argmax(&counts.iter().map(|&c| c as f64).collect::<Vec<_>>());
    let index = nodes.len();
    nodes.push(Node { split: None, left: 0, right: 0, counts: counts.clone(), prediction, depth });
    let n = rows.len();
    let pure = counts.iter().filter(|&&c| c > 0).count() <= 1;
    if pure || depth >= p.depth || n < p.minsplit.max(2) {
        return index;
    }
    // (weighted impurity, feature, threshold)
    let mut best: Option<(f64, usize, f64)> = None;
    let mut sorted = rows.clone();
    let mut left = vec![0usize; classes];
    let mut right = vec![0usize; classes];
    for f in 0..x.ncols() {
        let value = |r: usize| x[[r, f]];
        sorted.sort_by(|&a, &b| value(a).total_cmp(&value(b)).then(a.cmp(&b)));
        left.iter_mut().for_each(|c| *c = 0);
        right.clone_from(&counts);
        for i in 0..n - 1 {
            let r = sorted[i];
            left[labels[r]] += 1;
            right[labels[r]] -= 1;
            let (here, next) = (value(r), value(sorted[i + 1]));
            // Only between different values (NaN never splits).
            if here.partial_cmp(&next) != Some(std::cmp::Ordering::Less) {
                continue;
            }
            let (nl, nr) = (i + 1, n - i - 1);
            let score = (nl as f64 * impurity(p.criterion, &left, nl) + nr as f64 * impurity(p.criterion, &right, nr))
                / n as f64;
            if best.is_none_or(|b| score < b.0) {
                let mid = here + (next - here) / 2.0;
                // Rows below the threshold go left: it must lie above `here`, at most `next`.
                let threshold = if mid > here { mid } else { next };
                best = Some((score, f, threshold));
            }
        }
    }
    let Some((_, feature, threshold)) = best else { return index };
    let (l_rows, r_rows): (Vec<usize>, Vec<usize>) = rows.into_iter().partition(|&r| x[[r, feature]] < threshold);
    let l = grow_node(p, x, labels, classes, l_rows, depth + 1, nodes);
    let r = grow_node(p, x, labels, classes, r_rows, depth + 1, nodes);
    nodes[index].split = Some((feature, threshold));
    nodes[index].left = l;
    nodes[index].right = r;
    index
}

pub fn fit_tree(p: &TreeParams, data: &Data) -> Result<Tree, ParamError> {
    grow(p, data.x, &data.labels(), data.classes().max(1))
}

impl Model for Tree {
    fn describe(&self, _names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        let t = self;
        let id = lang == crate::lang::Lang::Id;
        let mut lines = Vec::new();
        let (depth, leaves, questions) = (t.depth(), t.leaves(), t.nodes.len() - t.leaves());
        lines.push(if id {
            format!("Kedalaman {depth}, {leaves} daun, {questions} pertanyaan.")
        } else {
            format!("Depth {depth}, {leaves} leaves, {questions} questions.")
        });
        lines
    }
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        let mut row = Vec::new();
        x.rows()
            .into_iter()
            .map(|r| {
                row.clear();
                row.extend(r.iter().copied());
                self.leaf(&row).prediction as f64
            })
            .collect()
    }
    fn predict_proba(&self, x: ArrayView2<f64>) -> Option<Array2<f64>> {
        let mut out = Array2::zeros((x.nrows(), self.classes));
        self.add_proba(x, None, 1.0, &mut out);
        Some(out)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    pub trees: Vec<Tree>,
    /// Columns each tree was grown on.
    pub features: Vec<Vec<usize>>,
    pub classes: usize,
}

/// Grows the first `count` trees. Tree i uses its own generator (seed, i), so the forest after
/// n steps is the first n trees of the full forest.
pub fn fit_forest(p: &ForestParams, data: &Data, seed: u64, count: usize) -> Result<Forest, ParamError> {
    let empty = Forest { trees: Vec::new(), features: Vec::new(), classes: data.classes().max(1) };
    grow_forest(empty, p, data, seed, count)
}

/// Adds trees to `forest` until it has `count` (the same trees a fresh fit would grow).
pub fn grow_forest(
    forest: Forest,
    p: &ForestParams,
    data: &Data,
    seed: u64,
    count: usize,
) -> Result<Forest, ParamError> {
    let mut forest = forest;
    let classes = data.classes().max(1);
    let labels = data.labels();
    let (n, d) = data.x.dim();
    if n < 2 {
        return param_error("data", "a forest needs at least two training rows");
    }
    let per_tree = ((d as f64 * p.featfrac).round() as usize).clamp(1, d);
    let tree_params = TreeParams { criterion: Criterion::Gini, depth: p.depth, minsplit: p.minsplit };
    for t in forest.trees.len()..count.min(p.trees) {
        let mut rng = Rng::new(seed.wrapping_add((t as u64).wrapping_mul(0x9E37_79B9)), Purpose::Model);
        let rows: Vec<usize> = (0..n).map(|_| rng.index(n)).collect();
        let mut cols: Vec<usize> = (0..d).collect();
        if per_tree < d {
            rng.shuffle(&mut cols);
            cols.truncate(per_tree);
            cols.sort_unstable();
        }
        let x = data.x.select(Axis(0), &rows).select(Axis(1), &cols);
        let y: Vec<usize> = rows.iter().map(|&r| labels[r]).collect();
        forest.trees.push(grow(&tree_params, x.view(), &y, classes)?);
        forest.features.push(cols);
    }
    Ok(forest)
}

impl Model for Forest {
    fn describe(&self, _names: &[&str], lang: crate::lang::Lang) -> Vec<String> {
        let f = self;
        let id = lang == crate::lang::Lang::Id;
        let mut lines = Vec::new();
        let depth = f.trees.iter().map(Tree::depth).sum::<usize>() as f64 / f.trees.len().max(1) as f64;
        lines.push(if id {
            format!("{} pohon, kedalaman rata-rata {:.1}; grafik menampilkan pohon pertama.", f.trees.len(), depth)
        } else {
            format!("{} trees, mean depth {:.1}; the chart shows the first tree.", f.trees.len(), depth)
        });
        lines
    }
    fn predict(&self, x: ArrayView2<f64>) -> Vec<f64> {
        self.predict_proba(x).map(|p| super::argmax_rows(&p)).unwrap_or_default()
    }
    fn predict_proba(&self, x: ArrayView2<f64>) -> Option<Array2<f64>> {
        let mut out = Array2::zeros((x.nrows(), self.classes));
        let w = 1.0 / self.trees.len().max(1) as f64;
        for (tree, cols) in self.trees.iter().zip(&self.features) {
            tree.add_proba(x, Some(cols), w, &mut out);
        }
        Some(out)
    }
    fn predict_with_proba(&self, x: ArrayView2<f64>) -> (Vec<f64>, Option<Array2<f64>>) {
        match self.predict_proba(x) {
            Some(p) => (super::argmax_rows(&p), Some(p)),
            None => (self.predict(x), None),
        }
    }
}
