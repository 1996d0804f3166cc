//! "Export notebook": the experiment as a Jupyter notebook that reproduces it with numpy and
//! scikit-learn: the same rows (embedded, as the experiment used them), the same split (the
//! row indices), the same preprocessing fitted on the training rows, the equivalent model with
//! the same settings, and the same metrics printed as JSON in its last cell.
//!
//! Classical models map to their scikit-learn twins (the reference test,
//! `crate/tests/sklearn_reference.rs`, shows they agree); the network maps to MLPClassifier or
//! MLPRegressor, whose initialisation and updates differ, so its numbers agree only roughly.

use crate::data::table::Table;
use crate::data::tabular::{InputColumn, Missing};
use crate::experiment::inputs::{source_table, Inputs};
use crate::experiment::Session;
use crate::models::{Kind, ModelParams};
use serde_json::{json, Value};
use std::fmt::Write as _;

/// A Python string literal holding `s` (a JSON string is one, for what serde_json escapes).
pub(super) fn py_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

fn py_list(v: &[usize]) -> String {
    let items: Vec<String> = v.iter().map(usize::to_string).collect();
    format!("[{}]", items.join(", "))
}

/// A Python number literal (floats keep every digit: Rust's shortest round-trip form).
pub(super) fn py_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}

/// A table's kept rows as CSV: the input columns, the target, then `extra` columns (named by
/// `extra_header`, valued per row position by `extra`); missing cells empty.
pub(super) fn rows_csv(
    table: &Table,
    target: &str,
    columns: &[InputColumn],
    rows: &[usize],
    extra_header: &[&str],
    extra: impl Fn(usize) -> Vec<String>,
) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = columns.iter().map(|c| c.name.clone()).collect();
    header.push(target.to_string());
    header.extend(extra_header.iter().map(|h| h.to_string()));
    w.write_record(&header).map_err(|e| e.to_string())?;
    let target = table.column(target).ok_or("the target column is missing")?;
    for (i, &r) in rows.iter().enumerate() {
        let mut record: Vec<String> =
            columns.iter().map(|c| table.column(&c.name).map(|col| super::cell(col, r)).unwrap_or_default()).collect();
        record.push(super::cell(target, r));
        record.extend(extra(i));
        w.write_record(&record).map_err(|e| e.to_string())?;
    }
    String::from_utf8(w.into_inner().map_err(|e| e.to_string())?).map_err(|e| e.to_string())
}

/// The input columns as a Python list of `(name, levels of a text column or None, one-hot?)`.
pub(super) fn py_inputs(columns: &[InputColumn]) -> String {
    let items: Vec<String> = columns
        .iter()
        .map(|c| match &c.levels {
            None => format!("({}, None, False)", py_str(&c.name)),
            Some(levels) => {
                let l: Vec<String> = levels.iter().map(|l| py_str(l)).collect();
                format!("({}, [{}], {})", py_str(&c.name), l.join(", "), if c.one_hot { "True" } else { "False" })
            }
        })
        .collect();
    items.join(", ")
}

/// The scikit-learn estimator for the experiment's model, as Python source, with a comment
/// on what differs.
fn estimator(session: &Session, classes: usize) -> (String, &'static str) {
    let e = session.experiment();
    let map = e.model.to_map();
    let num = |k: &str| map.get(k).and_then(Value::as_f64).unwrap_or(0.0);
    let int = |k: &str| map.get(k).and_then(Value::as_u64).unwrap_or(0);
    let text = |k: &str| map.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let seed = e.seed % (1 << 31);
    let p = |d: &str| match d {
        "manhattan" => "p=1, ".to_string(),
        "chebyshev" => "metric='chebyshev', ".to_string(),
        _ => String::new(),
    };
    let kernel = |k: &str| match k {
        "linear" => "kernel='linear'".to_string(),
        "poly" => format!("kernel='poly', gamma={}, degree={}, coef0=1", py_num(num("gamma")), int("degree")),
        _ => format!("kernel='rbf', gamma={}", py_num(num("gamma"))),
    };
    match &e.model {
        ModelParams::Mlp => {
            let regression = session.task().classes() == 0;
            let activation = match e.activation.key() {
                "sigmoid" => "logistic",
                "linear" => "identity",
                a => a,
            };
            let solver = match e.optimizer.key() {
                "adam" => "solver='adam'".to_string(),
                "momentum" => "solver='sgd', momentum=0.9, nesterovs_momentum=False".to_string(),
                _ => "solver='sgd', momentum=0.0".to_string(),
            };
            let alpha = if e.regularization.key() == "l2" { e.reg_rate } else { 0.0 };
            let epochs = session.epoch().max(1);
            let layers: Vec<String> = e.hidden.iter().map(usize::to_string).collect();
            (
                format!(
                    "{}(hidden_layer_sizes=({},), activation='{activation}', {solver}, learning_rate_init={}, batch_size={}, alpha={}, max_iter={epochs}, tol=0, n_iter_no_change={}, shuffle=True, random_state={seed})",
                    if regression { "MLPRegressor" } else { "MLPClassifier" },
                    layers.join(", "),
                    py_num(e.learning_rate),
                    e.batch_size,
                    py_num(alpha),
                    epochs + 1,
                ),
                "scikit-learn's network starts from other random weights and scales its L2 term differently (L1 has no equivalent): expect similar, not identical, numbers.",
            )
        }
        ModelParams::Logistic(_) => (
            format!("LogisticRegression(C={}, max_iter={})", py_num(num("c")), int("iters").max(1)),
            "The same model (L2-regularised, lbfgs); small differences come from the stopping rule.",
        ),
        ModelParams::Tree(_) => (
            format!(
                "DecisionTreeClassifier(criterion='{}', max_depth={}, min_samples_split={}, random_state={seed})",
                text("criterion"),
                int("depth"),
                int("minsplit")
            ),
            "The same algorithm (CART); ties between equally good splits may be broken differently.",
        ),
        ModelParams::Forest(_) => (
            format!(
                "RandomForestClassifier(n_estimators={}, max_depth={}, min_samples_split={}, max_features={}, bootstrap=True, random_state={seed})",
                int("trees"),
                int("depth"),
                int("minsplit"),
                py_num(num("featfrac"))
            ),
            "A random forest of the same shape; its random draws differ, so scores differ a little.",
        ),
        ModelParams::Knn(_) => (
            format!("KNeighborsClassifier({}, {}weights='{}')", int("k"), p(&text("dist")), text("weights")),
            "The same rule; ties at the k-th distance may be broken differently.",
        ),
        ModelParams::KnnReg(_) => (
            format!("KNeighborsRegressor({}, {}weights='{}')", int("k"), p(&text("dist")), text("weights")),
            "The same rule; ties at the k-th distance may be broken differently.",
        ),
        ModelParams::Bayes(_) => {
            (format!("GaussianNB(var_smoothing={})", py_num(num("smoothing"))), "The same model.")
        }
        ModelParams::Svm(_) => {
            let svc = format!("SVC({}, C={}, probability=True, random_state={seed})", kernel(&text("kernel")), py_num(num("c")));
            if classes > 2 {
                (format!("OneVsRestClassifier({svc})"), "One-vs-rest, as Latih trains several classes.")
            } else {
                (svc, "The same machine (libsvm).")
            }
        }
        ModelParams::Svr(_) => (
            format!("SVR({}, C={}, epsilon={})", kernel(&text("kernel")), py_num(num("c")), py_num(num("epsilon"))),
            "The same machine (libsvm).",
        ),
        ModelParams::Als(_) => (
            format!("LatihALS(factors={}, lam={}, iters={}, seed={seed})", int("factors"), py_num(num("lambda")), int("iters")),
            "The same model and sweeps (weighted-λ ALS, defined in the cell above); numpy draws other random starting factors, so the numbers are close, not identical.",
        ),
        ModelParams::Linear(_) => ("LinearRegression()".into(), "The same model."),
        ModelParams::Ridge(_) => (format!("Ridge(alpha={})", py_num(num("alpha"))), "The same model."),
        ModelParams::Lasso(_) => (
            format!("Lasso(alpha={}, max_iter=100000, tol=1e-10)", py_num(num("alpha"))),
            "The same model (coordinate descent).",
        ),
        ModelParams::ElasticNet(_) => (
            format!(
                "ElasticNet(alpha={}, l1_ratio={}, max_iter=100000, tol=1e-10)",
                py_num(num("alpha")),
                py_num(num("l1ratio"))
            ),
            "The same model (coordinate descent).",
        ),
        ModelParams::KMeans(_) => (
            format!(
                "KMeans({}, init='{}', max_iter={}, n_init=1, random_state={seed})",
                int("k"),
                if text("init") == "random" { "random" } else { "k-means++" },
                int("iters").max(1)
            ),
            "The same algorithm; its random start differs, so clusters may be numbered differently.",
        ),
        ModelParams::Dbscan(_) => (
            format!("DBSCAN(eps={}, min_samples={})", py_num(num("eps")), int("minpts")),
            "The same algorithm.",
        ),
        ModelParams::Gmm(_) => (
            format!("GaussianMixture({}, max_iter={}, random_state={seed})", int("k"), int("iters").max(1)),
            "The same model; its random start differs.",
        ),
        ModelParams::Pca(_) => (format!("PCA({})", int("components")), "The same projection."),
    }
}

/// Latih's recommender in numpy (scikit-learn has none): the same weighted-λ sweeps as
/// `recommend::Als`, on the two inputs (user, item) as `models::als` reads them.
const ALS_CLASS: &str = r#"class LatihALS:
    """Rating = mean + user factors . item factors, fitted by alternating least squares."""
    def __init__(self, factors, lam, iters, seed):
        self.factors, self.lam, self.iters, self.seed = factors, lam, iters, seed

    def _solve(self, A, B, rows, cols, r):
        # Each row of A: ridge regression of its residuals on the other side's factors,
        # penalty lambda times the row's number of ratings; a row without ratings gets zeros.
        for a in range(A.shape[0]):
            m = rows == a
            if not m.any():
                A[a] = 0.0
                continue
            Bm = B[cols[m]]
            A[a] = np.linalg.solve(Bm.T @ Bm + self.lam * m.sum() * np.eye(self.factors), Bm.T @ r[m])

    def fit(self, X, y):
        self.users_, self.items_ = np.unique(X[:, 0]), np.unique(X[:, 1])
        u, i = np.searchsorted(self.users_, X[:, 0]), np.searchsorted(self.items_, X[:, 1])
        self.mean_, self.lo_, self.hi_ = y.mean(), y.min(), y.max()
        rng = np.random.default_rng(self.seed)
        self.U_ = 0.1 * rng.standard_normal((len(self.users_), self.factors))
        self.V_ = 0.1 * rng.standard_normal((len(self.items_), self.factors))
        for _ in range(self.iters):
            self._solve(self.U_, self.V_, u, i, y - self.mean_)
            self._solve(self.V_, self.U_, i, u, y - self.mean_)
        return self

    def predict(self, X):
        def index(keys, v):
            j = np.minimum(np.searchsorted(keys, v), len(keys) - 1)
            return j, keys[j] == v
        u, ku = index(self.users_, X[:, 0])
        i, ki = index(self.items_, X[:, 1])
        known = ku & ki  # a user or item never seen in training gets the mean
        p = self.mean_ + np.where(known, (self.U_[u] * self.V_[i]).sum(axis=1), 0.0)
        return np.clip(p, self.lo_, self.hi_)
"#;

pub(super) fn markdown(lines: &str) -> Value {
    json!({"cell_type": "markdown", "metadata": {}, "source": lines})
}

pub(super) fn code(source: String) -> Value {
    json!({"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": source})
}

/// The notebook (ipynb JSON) for a session; `link` is the experiment's link fragment.
pub fn notebook(session: &Session, user: Option<&crate::data::table::Table>, link: &str) -> Result<String, String> {
    let e = session.experiment();
    let kind = e.kind();
    let classes = session.task().classes();
    let (model, caveat) = estimator(session, classes);
    let train: Vec<usize> = session.train_rows().to_vec();
    let test: Vec<usize> = session.test_rows().to_vec();
    let mut data = String::new();
    let mut prep = String::new();
    match session.inputs() {
        Inputs::Table(t) => {
            let spec = e.table.as_ref().ok_or("the table's settings are missing")?;
            let table = source_table(spec, user).ok_or("the data file is not loaded")?;
            let columns = &t.preprocess.columns;
            let csv_text = rows_csv(table, &spec.target, columns, &t.table_rows, &[], |_| Vec::new())?;
            let strategy = match spec.missing {
                Missing::Median => "median",
                Missing::Mode => "most_frequent",
                Missing::Mean | Missing::Drop => "mean",
            };
            let inputs = py_inputs(columns);
            let class_names: Vec<String> = t.class_names.iter().map(|c| py_str(c)).collect();
            let _ = write!(
                data,
                "# The {n} rows the experiment used (rows without a target{dropped} left out), as CSV.\nDATA = {csv}\nrows = list(csv.reader(io.StringIO(DATA)))\nheader, rows = rows[0], rows[1:]\n# Inputs: (name, levels of a text column or None for a number, one-hot?), then the target.\nINPUTS = [{inputs}]\nTARGET = {target}\nCLASSES = [{classes}]  # empty for regression\nTRAIN = {train}\nTEST = {test}\n",
                n = t.table_rows.len(),
                dropped = if spec.missing == Missing::Drop { " or with a missing input" } else { "" },
                csv = py_str(&csv_text),
                target = py_str(&spec.target),
                classes = class_names.join(", "),
                train = py_list(&train),
                test = py_list(&test),
            );
            let _ = write!(
                prep,
                "# Each input as Latih prepares it, fitted on the training rows only: missing numbers\n# filled with the {strategy} (text: the most frequent value), text one-hot or label encoded,\n# then every input standardised.\nparts = []\nfor j, (name, levels, one_hot) in enumerate(INPUTS):\n    if levels is None:\n        col = np.array([float(r[j]) if r[j] != '' else np.nan for r in rows]).reshape(-1, 1)\n        parts.append(SimpleImputer(strategy='{strategy}').fit(col[TRAIN]).transform(col))\n    else:\n        col = np.array([r[j] if r[j] != '' else np.nan for r in rows], dtype=object).reshape(-1, 1)\n        col = SimpleImputer(strategy='most_frequent').fit(col[TRAIN]).transform(col)\n        if one_hot:\n            parts.append(OneHotEncoder(categories=[levels], sparse_output=False, handle_unknown='ignore').fit(col[TRAIN]).transform(col))\n        else:\n            parts.append(OrdinalEncoder(categories=[levels]).fit(col[TRAIN]).transform(col))\nX = np.hstack(parts).astype(float)\nX = StandardScaler().fit(X[TRAIN]).transform(X)\nif CLASSES:\n    y = np.array([CLASSES.index(r[-1]) for r in rows])\nelse:\n    y = np.array([float(r[-1]) for r in rows])\n    # Latih trains regression on the target standardised on the training rows.\n    y = (y - y[TRAIN].mean()) / (y[TRAIN].std() or 1.0)\n"
            );
        }
        Inputs::Plane(features) => {
            let d = session.dataset();
            let mut csv_text = String::from("x1,x2,target\n");
            for (p, t) in d.points.iter().zip(&d.targets) {
                let _ = writeln!(csv_text, "{},{},{}", p[0], p[1], t);
            }
            let names: Vec<String> = features.iter().map(|f| py_str(f.key())).collect();
            let _ = write!(
                data,
                "# The {n} points of the experiment ({name}, noise {noise}, data seed {dseed}), as CSV.\nDATA = {csv}\nrows = list(csv.reader(io.StringIO(DATA)))[1:]\nFEATURES = [{features}]\nCLASSES = {classes}  # 0 for regression\nTRAIN = {train}\nTEST = {test}\n",
                n = d.len(),
                name = e.data_name(),
                noise = e.noise,
                dseed = e.data_seed,
                csv = py_str(&csv_text),
                features = names.join(", "),
                train = py_list(&train),
                test = py_list(&test),
            );
            prep.push_str(
                "# The input features, computed from the two coordinates as Latih does.\nx1 = np.array([float(r[0]) for r in rows])\nx2 = np.array([float(r[1]) for r in rows])\nmake = {'x1': x1, 'x2': x2, 'x1sq': x1 ** 2, 'x2sq': x2 ** 2, 'x1x2': x1 * x2, 'sinx1': np.sin(x1), 'sinx2': np.sin(x2)}\nX = np.column_stack([make[f] for f in FEATURES])\ny = np.array([float(r[2]) for r in rows])\nif CLASSES:\n    y = y.astype(int)\n",
            );
        }
    }
    let metrics = match kind {
        Kind::Classification => "model.fit(X[TRAIN], y[TRAIN])\nresults = {\n    'train_accuracy': accuracy_score(y[TRAIN], model.predict(X[TRAIN])),\n    'test_accuracy': accuracy_score(y[TEST], model.predict(X[TEST])),\n}\n",
        Kind::Regression => "model.fit(X[TRAIN], y[TRAIN])\nresults = {\n    'train_mse': mean_squared_error(y[TRAIN], model.predict(X[TRAIN])),\n    'test_mse': mean_squared_error(y[TEST], model.predict(X[TEST])),\n    'test_r2': r2_score(y[TEST], model.predict(X[TEST])),\n}\n",
        Kind::Clustering => "labels = model.fit_predict(X[TRAIN])\nresults = {'clusters': int(len(set(labels.tolist()) - {-1}))}\nif len(set(labels.tolist())) > 1:\n    results['train_silhouette'] = silhouette_score(X[TRAIN], labels)\n",
        Kind::Reduction => "model.fit(X[TRAIN])\nresults = {'explained_variance_ratio': model.explained_variance_ratio_.tolist()}\n",
    };
    let cells = vec![
        markdown(&format!(
            "# Latih experiment, reproduced with scikit-learn\n\nThis notebook redoes the experiment `#{link}` with numpy and scikit-learn: the same rows, the same train/test split, the same preprocessing (fitted on the training rows only) and the equivalent model. Run all cells; the last prints the metrics as JSON.\n\n**Model:** `{model}`. {caveat}\n\nIn Latih it had reached epoch {epoch} when exported.",
            epoch = session.epoch()
        )),
        code("import csv, io, json\nimport numpy as np\nfrom sklearn.cluster import DBSCAN, KMeans\nfrom sklearn.decomposition import PCA\nfrom sklearn.ensemble import RandomForestClassifier\nfrom sklearn.impute import SimpleImputer\nfrom sklearn.linear_model import ElasticNet, Lasso, LinearRegression, LogisticRegression, Ridge\nfrom sklearn.metrics import accuracy_score, mean_squared_error, r2_score, silhouette_score\nfrom sklearn.mixture import GaussianMixture\nfrom sklearn.multiclass import OneVsRestClassifier\nfrom sklearn.naive_bayes import GaussianNB\nfrom sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor\nfrom sklearn.neural_network import MLPClassifier, MLPRegressor\nfrom sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler\nfrom sklearn.svm import SVC, SVR\nfrom sklearn.tree import DecisionTreeClassifier\n".into()),
        code(data),
        code(prep),
        code(format!("model = {model}\n{metrics}print(json.dumps(results))\n")),
    ];
    let mut cells = cells;
    if matches!(e.model, ModelParams::Als(_)) {
        cells.insert(cells.len() - 1, code(ALS_CLASS.into()));
    }
    envelope(cells, link)
}

/// A notebook file (nbformat 4.5) of these cells, each given its id, with the experiment's
/// link in its metadata: the form both the scikit-learn and the Spark notebooks take.
pub(super) fn envelope(mut cells: Vec<Value>, link: &str) -> Result<String, String> {
    for (i, c) in cells.iter_mut().enumerate() {
        c["id"] = json!(format!("cell-{i}"));
    }
    let nb = json!({
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
            "latih": {"link": link},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    });
    serde_json::to_string_pretty(&nb).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::MODELS;
    use crate::share::decode;

    #[test]
    fn every_model_exports_a_notebook_with_its_estimator() {
        for m in MODELS {
            let data = match m.kind {
                Kind::Regression if m.id == "als" => "ratings",
                Kind::Regression => "diabetes",
                Kind::Classification => "penguins",
                _ => "iris",
            };
            let link = format!("v=1&data={data}&model={}", m.id);
            let mut s = Session::with_table(decode(&link).experiment, None).expect("opens");
            s.train_epochs(2);
            let text = notebook(&s, None, &link).expect("exports");
            let nb: Value = serde_json::from_str(&text).expect("JSON");
            let cells = nb["cells"].as_array().expect("cells");
            // The recommender's own Python class takes a cell of its own.
            assert_eq!(cells.len(), if m.id == "als" { 6 } else { 5 }, "{}", m.id);
            let last = cells[cells.len() - 1]["source"].as_str().expect("source");
            let (want, _) = estimator(&s, s.task().classes());
            assert!(last.starts_with(&format!("model = {want}")), "{}: {last}", m.id);
            assert!(last.contains("print(json.dumps(results))"));
            // The split is the session's, row for row.
            let data_cell = cells[2]["source"].as_str().expect("data");
            assert!(data_cell.contains(&format!("TRAIN = {}", py_list(s.train_rows()))), "{}", m.id);
        }
    }

    #[test]
    fn python_literals_survive_quotes_and_odd_names() {
        assert_eq!(py_str("a \"b\"\nc\\"), r#""a \"b\"\nc\\""#);
        assert_eq!(py_num(2.0), "2.0");
        assert_eq!(py_num(0.1), "0.1");
        assert_eq!(py_list(&[3, 1]), "[3, 1]");
    }
}
