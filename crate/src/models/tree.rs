//! Decision trees (linfa-trees) and random forests of them.
//!
//! A fitted linfa tree is flattened into `Node`s with the class counts of the training rows
//! that reach each node: the counts give class probabilities (linfa's tree only predicts a
//! label) and label the drawn tree. The forest is written here on top of linfa's trees because
//! linfa-ensemble's `EnsembleLearner` is not serde-serialisable and breaks vote ties through a
//! `HashMap`, whose order changes from run to run; here trees grow one per `Trainer` step from
//! seeded bootstrap samples and vote by averaged class shares, as scikit-learn's forest does.

use super::schema::{choice, float, int, Setting};
use super::{param_error, Data, Model, ParamError};
use crate::data::rng::{Purpose, Rng};
use linfa::prelude::*;
use linfa_trees::{DecisionTree, SplitQuality, TreeNode};
use ndarray::{Array1, Array2, ArrayView2, Axis};
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
    /// The class predicted at a leaf (linfa's choice).
    pub prediction: usize,
    pub depth: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tree {
    pub nodes: Vec<Node>,
    pub classes: usize,
}

fn flatten(node: &TreeNode<f64, usize>, depth: usize, classes: usize, out: &mut Vec<Node>) -> usize {
    let index = out.len();
    out.push(Node { split: None, left: 0, right: 0, counts: vec![0; classes], prediction: 0, depth });
    if let Some(label) = node.prediction() {
        out[index].prediction = label;
        return index;
    }
    let (feature, threshold, _) = node.split();
    let children = node.children();
    let (Some(left), Some(right)) = (children[0].as_deref(), children[1].as_deref()) else {
        return index;
    };
    let l = flatten(left, depth + 1, classes, out);
    let r = flatten(right, depth + 1, classes, out);
    out[index].split = Some((feature, threshold));
    out[index].left = l;
    out[index].right = r;
    index
}

impl Tree {
    fn from_linfa(tree: &DecisionTree<f64, usize>, classes: usize, data: ArrayView2<f64>, labels: &[usize]) -> Tree {
        let mut nodes = Vec::new();
        flatten(tree.root_node(), 0, classes, &mut nodes);
        let mut t = Tree { nodes, classes };
        for (row, &label) in data.rows().into_iter().zip(labels) {
            let mut i = 0;
            loop {
                t.nodes[i].counts[label.min(classes - 1)] += 1;
                match t.nodes[i].split {
                    Some((f, th)) => i = if row[f] < th { t.nodes[i].left } else { t.nodes[i].right },
                    None => break,
                }
            }
        }
        t
    }

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

fn grow(p: &TreeParams, x: ArrayView2<f64>, labels: &[usize], classes: usize) -> Result<Tree, ParamError> {
    let targets = Array1::from(labels.to_vec());
    let dataset = DatasetView::new(x.reborrow(), targets.view());
    let quality = match p.criterion {
        Criterion::Gini => SplitQuality::Gini,
        Criterion::Entropy => SplitQuality::Entropy,
    };
    let tree = DecisionTree::params()
        .split_quality(quality)
        .max_depth(Some(p.depth))
        .min_weight_split(p.minsplit as f32)
        .min_weight_leaf(1.0)
        .fit(&dataset)
        .map_err(|e| ParamError { field: "model", message: e.to_string() })?;
    Ok(Tree::from_linfa(&tree, classes, x, labels))
}

pub fn fit_tree(p: &TreeParams, data: &Data) -> Result<Tree, ParamError> {
    grow(p, data.x, &data.labels(), data.classes().max(1))
}

impl Model for Tree {
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
}
