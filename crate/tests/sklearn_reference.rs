//! Every model family checked against scikit-learn on fixed data and splits. The expected
//! numbers and the data come from `tests/reference/sklearn_reference.py` (see its README);
//! each check states its tolerance and why it is not tighter.

use latih::data::Task;
use latih::metrics::{accuracy, adjusted_rand_index, r2};
use latih::models::{Data, Fitted, ModelParams};
use ndarray::{Array2, Axis};
use serde_json::{Map, Value};
use std::path::PathBuf;

fn reference_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/reference")
}

struct Table {
    x: Array2<f64>,
    y: Vec<f64>,
    train: Vec<bool>,
}

impl Table {
    fn load(stem: &str) -> Table {
        let text = std::fs::read_to_string(reference_dir().join(format!("{stem}.csv"))).expect("reference csv");
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().expect("header").split(',').collect();
        let features = header.iter().filter(|h| h.starts_with('x')).count();
        let (mut xs, mut y, mut train) = (Vec::new(), Vec::new(), Vec::new());
        for line in lines.filter(|l| !l.is_empty()) {
            let v: Vec<f64> = line.split(',').map(|s| s.parse().expect("number")).collect();
            xs.extend_from_slice(&v[..features]);
            y.push(v[features]);
            train.push(v[features + 1] == 1.0);
        }
        let n = y.len();
        Table { x: Array2::from_shape_vec((n, features), xs).expect("shape"), y, train }
    }
    fn part(&self, train: bool) -> (Array2<f64>, Vec<f64>) {
        let rows: Vec<usize> = (0..self.y.len()).filter(|&i| self.train[i] == train).collect();
        (self.x.select(Axis(0), &rows), rows.iter().map(|&i| self.y[i]).collect())
    }
}

struct Case {
    name: String,
    expected: Map<String, Value>,
    fitted: Fitted,
    x_test: Array2<f64>,
    y_test: Vec<f64>,
    x_train: Array2<f64>,
    y_train: Vec<f64>,
}

fn task_of(stem: &str, y: &[f64]) -> Task {
    match stem {
        "diabetes" => Task::Regression,
        _ => Task::Classification { classes: y.iter().fold(0.0f64, |m, &v| m.max(v)) as usize + 1 },
    }
}

fn case(name: &str) -> Case {
    let all: Value =
        serde_json::from_str(&std::fs::read_to_string(reference_dir().join("expected.json")).expect("expected.json"))
            .expect("json");
    let expected = all[name].as_object().unwrap_or_else(|| panic!("case {name} missing")).clone();
    let stem = expected["data"].as_str().expect("data");
    let table = Table::load(stem);
    // PCA is fitted on every row, as the reference does.
    let (x_train, y_train) =
        if expected["model"] == "pca" { (table.x.clone(), table.y.clone()) } else { table.part(true) };
    let (x_test, y_test) = if stem == "blobs" { (x_train.clone(), y_train.clone()) } else { table.part(false) };
    let mut map = expected["params"].as_object().expect("params").clone();
    map.insert("model".into(), expected["model"].clone());
    let params = ModelParams::from_map(map).unwrap_or_else(|e| panic!("{name}: {e}"));
    let data = Data { x: x_train.view(), y: &y_train, task: task_of(stem, &y_train) };
    let fitted = params.fit(&data, 0).unwrap_or_else(|e| panic!("{name}: fit failed: {e}"));
    Case { name: name.into(), expected, fitted, x_test, y_test, x_train, y_train }
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("number")
}
fn nums(v: &Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(num).collect()
}
fn matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().expect("array").iter().map(nums).collect()
}

fn close(name: &str, what: &str, got: f64, want: f64, tol: f64) {
    let scale = want.abs().max(1.0);
    assert!((got - want).abs() <= tol * scale, "{name} {what}: got {got}, scikit-learn {want} (tolerance {tol})");
}
fn all_close(name: &str, what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{name} {what}: lengths");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        close(name, &format!("{what}[{i}]"), *g, *w, tol);
    }
}

impl Case {
    fn test_accuracy(&self) -> f64 {
        accuracy(&self.fitted.predict(self.x_test.view()), &self.y_test)
    }
    fn test_r2(&self) -> f64 {
        r2(&self.fitted.predict(self.x_test.view()), &self.y_test)
    }
    fn want(&self, key: &str) -> f64 {
        num(&self.expected[key])
    }
    /// Accuracy equal within `rows` test rows.
    fn accuracy_within(&self, rows: usize) {
        let tol = rows as f64 / self.y_test.len() as f64 + 1e-12;
        close(&self.name, "test accuracy", self.test_accuracy(), self.want("test_accuracy"), tol);
    }
}

// Converged convex problems: the optimum is unique, so coefficients agree closely.
#[test]
fn logistic_binary_matches_coefficients_and_probabilities() {
    let c = case("logistic_moons");
    let Fitted::Logistic(m) = &c.fitted else { panic!("not logistic") };
    let (w, b) = m.coefficients();
    all_close(&c.name, "coef", &w.row(0).to_vec(), &nums(&c.expected["coef"]), 1e-4);
    close(&c.name, "intercept", b[0], c.want("intercept"), 1e-4);
    c.accuracy_within(0);
    let proba = c.fitted.predict_proba(c.x_test.view()).expect("proba");
    all_close(&c.name, "P(class 1)", &proba.column(1).to_vec(), &nums(&c.expected["test_proba"]), 1e-4);
}

#[test]
fn logistic_multinomial_matches_coefficients_and_probabilities() {
    let c = case("logistic_iris");
    let Fitted::Logistic(m) = &c.fitted else { panic!("not logistic") };
    let (w, b) = m.coefficients();
    for (k, row) in matrix(&c.expected["coef"]).iter().enumerate() {
        all_close(&c.name, &format!("coef class {k}"), &w.row(k).to_vec(), row, 2e-3);
    }
    // Intercepts are defined up to a common shift: compare them centred.
    let centre = |v: &[f64]| -> Vec<f64> {
        let m = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|x| x - m).collect()
    };
    all_close(&c.name, "intercepts", &centre(&b.to_vec()), &centre(&nums(&c.expected["intercept"])), 2e-3);
    c.accuracy_within(0);
    let proba = c.fitted.predict_proba(c.x_test.view()).expect("proba");
    for (i, row) in matrix(&c.expected["test_proba"]).iter().enumerate() {
        all_close(&c.name, &format!("proba row {i}"), &proba.row(i).to_vec(), row, 1e-3);
    }
}

// Greedy trees: split ties may be broken differently, so accuracy may differ by a row or two.
#[test]
fn decision_trees_match_accuracy() {
    for name in ["tree_iris", "tree_moons_entropy"] {
        let c = case(name);
        c.accuracy_within(2);
        let train = accuracy(&c.fitted.predict(c.x_train.view()), &c.y_train);
        close(name, "train accuracy", train, c.want("train_accuracy"), 2.0 / c.y_train.len() as f64 + 1e-12);
        let Fitted::Tree(t) = &c.fitted else { panic!("not a tree") };
        assert!(t.depth() <= c.want("tree_depth") as usize, "{name}: deeper than allowed");
    }
}

// A forest's bootstrap samples come from a different generator: same quality, not same trees.
#[test]
fn random_forest_matches_accuracy() {
    case("forest_iris").accuracy_within(3);
}

// k-NN is exact arithmetic on the same data: identical predictions.
#[test]
fn knn_matches_predictions_exactly() {
    for name in ["knn_iris", "knn_moons_distance", "knnreg_diabetes"] {
        let c = case(name);
        let pred = c.fitted.predict(c.x_test.view());
        all_close(name, "prediction", &pred, &nums(&c.expected["test_pred"]), 1e-12);
        if let Some(want) = c.expected.get("test_proba") {
            let proba = c.fitted.predict_proba(c.x_test.view()).expect("proba");
            for (i, row) in matrix(want).iter().enumerate() {
                all_close(name, &format!("proba row {i}"), &proba.row(i).to_vec(), row, 1e-12);
            }
        }
    }
    close("knnreg_diabetes", "R²", case("knnreg_diabetes").test_r2(), 0.2381231410602196, 1e-9);
}

#[test]
fn gaussian_naive_bayes_matches_parameters_and_probabilities() {
    let c = case("bayes_iris");
    let Fitted::Bayes(m) = &c.fitted else { panic!("not naive Bayes") };
    for (k, row) in matrix(&c.expected["theta"]).iter().enumerate() {
        all_close(&c.name, "theta", &m.means.row(k).to_vec(), row, 1e-12);
    }
    for (k, row) in matrix(&c.expected["var"]).iter().enumerate() {
        all_close(&c.name, "var", &m.variances.row(k).to_vec(), row, 1e-12);
    }
    all_close(&c.name, "prior", &m.priors, &nums(&c.expected["class_prior"]), 1e-12);
    c.accuracy_within(0);
    let proba = c.fitted.predict_proba(c.x_test.view()).expect("proba");
    for (i, row) in matrix(&c.expected["test_proba"]).iter().enumerate() {
        all_close(&c.name, &format!("proba row {i}"), &proba.row(i).to_vec(), row, 1e-9);
    }
}

// The same SMO as libsvm (second-order working set, tolerance 1e-3): the binary machines
// classify the test rows as scikit-learn's do and keep as many support vectors; on iris,
// one-vs-rest is compared with scikit-learn's one-vs-rest.
#[test]
fn svm_matches_accuracy() {
    for name in ["svm_moons_rbf", "svm_moons_linear", "svm_moons_poly"] {
        let c = case(name);
        c.accuracy_within(0);
        let Fitted::Svm(m) = &c.fitted else { panic!("not an SVM") };
        let want = c.want("n_support_total");
        assert!(
            (m.support_vectors() as f64 - want).abs() <= 0.0,
            "{name}: {} support vectors, scikit-learn {want}",
            m.support_vectors()
        );
    }
    let c = case("svm_iris_rbf");
    close(&c.name, "one-vs-rest accuracy", c.test_accuracy(), c.want("test_accuracy_ovr"), 1e-12);
}

#[test]
fn linear_models_match_coefficients() {
    for (name, tol) in
        [("linear_diabetes", 1e-6), ("lasso_diabetes", 1e-4), ("elasticnet_diabetes", 1e-4), ("ridge_diabetes", 1e-6)]
    {
        let c = case(name);
        let Fitted::Linear(m) = &c.fitted else { panic!("not linear") };
        all_close(name, "coef", &m.weights.to_vec(), &nums(&c.expected["coef"]), tol);
        close(name, "intercept", m.intercept, c.want("intercept"), tol);
        close(name, "R²", c.test_r2(), c.want("test_r2"), tol);
    }
}

// Epsilon-SVR by the same SMO: R² within 1e-5 (linear: 6e-7 apart) and the same support vectors.
#[test]
fn svr_matches_r2() {
    for name in ["svr_diabetes", "svr_diabetes_rbf"] {
        let c = case(name);
        close(name, "R²", c.test_r2(), c.want("test_r2"), 1e-5);
        let Fitted::Svr(m) = &c.fitted else { panic!("not an SVR") };
        let want = c.want("n_support_total");
        assert!(
            (m.support_vectors() as f64 - want).abs() <= 0.0,
            "{name}: {} support vectors, scikit-learn {want}",
            m.support_vectors()
        );
    }
}

fn sorted_rows(m: &Array2<f64>) -> Vec<Vec<f64>> {
    let mut rows: Vec<Vec<f64>> = m.rows().into_iter().map(|r| r.to_vec()).collect();
    rows.sort_by(|a, b| a.partial_cmp(b).expect("finite"));
    rows
}

// Clusterings are compared as partitions (cluster numbers are arbitrary).
#[test]
fn kmeans_matches_partition_and_centres() {
    let c = case("kmeans_blobs");
    let Fitted::KMeans(m) = &c.fitted else { panic!("not k-means") };
    let labels = c.fitted.predict(c.x_train.view());
    assert_eq!(adjusted_rand_index(&labels, &nums(&c.expected["labels"])), 1.0, "same partition as scikit-learn");
    for (got, want) in sorted_rows(&m.centroids).iter().zip(matrix(&c.expected["centers"])) {
        all_close(&c.name, "centre", got, &want, 1e-9);
    }
    // linfa reports the mean squared distance, scikit-learn the sum.
    close(&c.name, "inertia", m.inertia * c.y_train.len() as f64, c.want("inertia"), 1e-9);
    close(
        &c.name,
        "ARI vs truth",
        c.fitted
            .score(&Data { x: c.x_train.view(), y: &c.y_train, task: Task::Classification { classes: 3 } })
            .expect("score"),
        c.want("ari_vs_truth"),
        1e-12,
    );
}

#[test]
fn dbscan_matches_partition() {
    for name in ["dbscan_blobs", "dbscan_blobs_tight"] {
        let c = case(name);
        let Fitted::Dbscan(m) = &c.fitted else { panic!("not DBSCAN") };
        assert_eq!(m.clusters, c.want("n_clusters") as usize, "{name}: clusters");
        assert_eq!(m.noise(), c.want("n_noise") as usize, "{name}: noise points");
        let ari = adjusted_rand_index(&m.labels, &nums(&c.expected["labels"]));
        // One border point within eps of two clusters may join either (scikit-learn's note).
        assert!(ari > 0.99, "{name}: ARI against scikit-learn's labels {ari}");
    }
}

// The same EM (k-means start, reg_covar 1e-6, tol 1e-3) from another k-means run stops within
// the tolerance of the same optimum: means to 1e-3 (they differ by 7e-4), weights to 1e-3.
#[test]
fn gaussian_mixture_matches_means_and_partition() {
    let c = case("gmm_blobs");
    let Fitted::Gmm(m) = &c.fitted else { panic!("not a mixture") };
    for (got, want) in sorted_rows(&m.means).iter().zip(matrix(&c.expected["means"])) {
        all_close(&c.name, "mean", got, &want, 1e-3);
    }
    // Weights in the reference's order: components sorted by their means.
    let mut order: Vec<usize> = (0..m.means.nrows()).collect();
    order.sort_by(|&a, &b| m.means.row(a).to_vec().partial_cmp(&m.means.row(b).to_vec()).expect("finite"));
    let weights: Vec<f64> = order.iter().map(|&c| m.weights[c]).collect();
    all_close(&c.name, "weight", &weights, &nums(&c.expected["weights"]), 1e-3);
    let labels = c.fitted.predict(c.x_train.view());
    assert!(adjusted_rand_index(&labels, &nums(&c.expected["labels"])) > 0.99);
}

// PCA is an SVD: exact up to rounding, components up to sign.
#[test]
fn pca_matches_variances_and_components() {
    let c = case("pca_iris");
    let Fitted::Pca(m) = &c.fitted else { panic!("not PCA") };
    all_close(
        &c.name,
        "explained variance ratio",
        &m.explained_variance_ratio,
        &nums(&c.expected["explained_variance_ratio"]),
        1e-9,
    );
    all_close(&c.name, "explained variance", &m.explained_variance, &nums(&c.expected["explained_variance"]), 1e-9);
    let want = matrix(&c.expected["components"]);
    for (k, w) in want.iter().enumerate() {
        let got = m.components.row(k).to_vec();
        let sign = if got.iter().zip(w).map(|(a, b)| a * b).sum::<f64>() < 0.0 { -1.0 } else { 1.0 };
        all_close(&c.name, "component", &got.iter().map(|v| v * sign).collect::<Vec<_>>(), w, 1e-9);
    }
}
