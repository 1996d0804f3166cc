#!/usr/bin/env python3
"""scikit-learn reference outputs for Latih's linfa-based models.

This script writes the data sets (``*.csv``) and the expected numbers
(``expected.json``) in ``tests/reference/``. A Rust test trains Latih's
models on the same CSV rows with the same hyper-parameters and compares
its results against these scikit-learn numbers.

Regenerate (from the repository root; keep the venv outside the repo):

    python3 -m venv /tmp/skl
    /tmp/skl/bin/pip install scikit-learn==1.9.1 numpy==2.4.6
    /tmp/skl/bin/python tests/reference/sklearn_reference.py

The committed output was produced with scikit-learn 1.9.1, numpy 2.4.6
and scipy 1.17.1 (Python 3.11). Other versions may change the last digits
of iterative solvers (and, in rare cases, tie-breaking); the versions
actually used are recorded in ``expected.json`` under ``"_meta"``.

CSV layout: header row ``x0,x1,...,y,train``; floats are written with
``repr`` (round-trip precision); ``y`` is the class index (integer) for
classification, the target (float) for regression, the true blob label for
clustering; ``train`` is 1 for a training row and 0 for a test row. Rows are
in the original data set order, and every per-test-row list in
``expected.json`` (``test_pred``, ``test_proba``) follows that file order.
Models are fitted on the train rows (in file order) and scored on the test
rows, except PCA, which is fitted on all iris rows, and the clustering
cases, whose data set has every row marked train=1.
"""

import json
import os
import platform
import sys

import numpy as np
import scipy
import sklearn
from sklearn.cluster import DBSCAN, KMeans
from sklearn.datasets import load_diabetes, load_iris, make_blobs, make_moons
from sklearn.decomposition import PCA
from sklearn.linear_model import (
    ElasticNet,
    Lasso,
    LinearRegression,
    LogisticRegression,
    Ridge,
)
from sklearn.metrics import accuracy_score, adjusted_rand_score, r2_score
from sklearn.mixture import GaussianMixture
from sklearn.model_selection import train_test_split
from sklearn.multiclass import OneVsRestClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, KNeighborsRegressor
from sklearn.svm import SVC, SVR
from sklearn.tree import DecisionTreeClassifier
from sklearn.ensemble import RandomForestClassifier

OUT_DIR = os.path.dirname(os.path.abspath(__file__))
REGEN_CMD = "python3 tests/reference/sklearn_reference.py"

# Names available to the estimator strings below: each case's "sklearn"
# string is evaluated here, so the recorded string is exactly what ran.
ESTIMATORS = {
    c.__name__: c
    for c in (
        DBSCAN, KMeans, PCA, ElasticNet, Lasso, LinearRegression,
        LogisticRegression, Ridge, GaussianMixture, OneVsRestClassifier,
        GaussianNB, KNeighborsClassifier, KNeighborsRegressor, SVC, SVR,
        DecisionTreeClassifier, RandomForestClassifier,
    )
}


def build(expr):
    return eval(expr, {"__builtins__": {}}, dict(ESTIMATORS))


# --------------------------------------------------------------------------
# Data sets


def make_datasets():
    """Return {stem: dict(X, y, train, kind)} with train a boolean mask."""
    out = {}

    def split_mask(n, y, stratify):
        idx = np.arange(n)
        tr, _te = train_test_split(
            idx, test_size=0.3, random_state=0, stratify=y if stratify else None
        )
        mask = np.zeros(n, dtype=bool)
        mask[tr] = True
        return mask

    iris = load_iris()
    X, y = iris.data.astype(float), iris.target.astype(int)
    out["iris"] = dict(X=X, y=y, train=split_mask(len(y), y, True), kind="class")

    X, y = make_moons(n_samples=200, noise=0.25, random_state=0)
    y = y.astype(int)
    out["moons"] = dict(X=X, y=y, train=split_mask(len(y), y, True), kind="class")

    diab = load_diabetes()  # raw sklearn scaling (scaled=True default)
    X, y = diab.data.astype(float), diab.target.astype(float)
    out["diabetes"] = dict(X=X, y=y, train=split_mask(len(y), y, False), kind="reg")

    X, y = make_blobs(n_samples=300, centers=3, cluster_std=1.0, random_state=1)
    y = y.astype(int)
    out["blobs"] = dict(X=X, y=y, train=np.ones(len(y), dtype=bool), kind="cluster")
    return out


def write_csv(stem, d):
    X, y, train = d["X"], d["y"], d["train"]
    header = [f"x{j}" for j in range(X.shape[1])] + ["y", "train"]
    lines = [",".join(header)]
    for i in range(X.shape[0]):
        row = [repr(float(v)) for v in X[i]]
        row.append(repr(float(y[i])) if d["kind"] == "reg" else str(int(y[i])))
        row.append("1" if train[i] else "0")
        lines.append(",".join(row))
    with open(os.path.join(OUT_DIR, f"{stem}.csv"), "w", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


# --------------------------------------------------------------------------
# Helpers


def fl(a):
    """numpy -> plain Python (floats keep full precision in json)."""
    a = np.asarray(a)
    if a.ndim == 0:
        v = a.item()
        return float(v) if isinstance(v, float) else v
    if np.issubdtype(a.dtype, np.integer):
        return a.astype(int).tolist()
    return a.astype(float).tolist()


def sort_order(centers):
    """Indices sorting rows by first coordinate, then second."""
    c = np.asarray(centers)
    return np.lexsort((c[:, 1], c[:, 0]))


def relabel(labels, order):
    """Map original cluster ids to their rank in `order`."""
    rank = np.empty(len(order), dtype=int)
    rank[order] = np.arange(len(order))
    return rank[labels]


def knn_ties(Xtr, Xte, k, p):
    """Test rows whose k-th and (k+1)-th nearest train distances are equal
    (neighbour choice then depends on tie-breaking)."""
    d = np.sum(np.abs(Xte[:, None, :] - Xtr[None, :, :]) ** p, axis=2) ** (1.0 / p)
    d.sort(axis=1)
    return int(np.sum(np.isclose(d[:, k - 1], d[:, k], rtol=0, atol=1e-12)))


# --------------------------------------------------------------------------
# Cases


def run_cases(ds):
    cases = {}

    def parts(stem):
        d = ds[stem]
        m = d["train"]
        return d["X"][m], d["y"][m], d["X"][~m], d["y"][~m]

    def case(name, data, model, params, expr, **numbers):
        cases[name] = dict(data=data, model=model, params=params, sklearn=expr, **numbers)

    # ---- logistic regression (lbfgs; multinomial for >2 classes)
    for name, stem in (("logistic_moons", "moons"), ("logistic_iris", "iris")):
        Xtr, ytr, Xte, yte = parts(stem)
        expr = "LogisticRegression(C=1, max_iter=1000, tol=1e-10)"
        m = build(expr).fit(Xtr, ytr)
        proba = m.predict_proba(Xte)
        if stem == "moons":
            coef, icpt, proba = m.coef_[0], m.intercept_[0], proba[:, 1]
        else:
            coef, icpt = m.coef_, m.intercept_
        case(name, stem, "logistic", {"c": 1, "iters": 1000}, expr,
             coef=fl(coef), intercept=fl(icpt),
             test_accuracy=fl(accuracy_score(yte, m.predict(Xte))),
             test_proba=fl(proba), n_iter=int(np.max(m.n_iter_)))

    # ---- decision trees
    for name, stem, crit, depth in (
        ("tree_iris", "iris", "gini", 3),
        ("tree_moons_entropy", "moons", "entropy", 4),
    ):
        Xtr, ytr, Xte, yte = parts(stem)
        expr = (f"DecisionTreeClassifier(criterion='{crit}', max_depth={depth}, "
                "min_samples_split=2, random_state=0)")
        m = build(expr).fit(Xtr, ytr)
        case(name, stem, "tree", {"criterion": crit, "depth": depth, "minsplit": 2}, expr,
             test_accuracy=fl(accuracy_score(yte, m.predict(Xte))),
             train_accuracy=fl(accuracy_score(ytr, m.predict(Xtr))),
             n_leaves=int(m.get_n_leaves()), tree_depth=int(m.get_depth()))

    # ---- random forest
    Xtr, ytr, Xte, yte = parts("iris")
    expr = ("RandomForestClassifier(n_estimators=50, max_depth=10, min_samples_split=2, "
            "max_features=None, bootstrap=True, random_state=0)")
    m = build(expr).fit(Xtr, ytr)
    case("forest_iris", "iris", "forest",
         {"trees": 50, "depth": 10, "minsplit": 2, "featfrac": 1.0}, expr,
         test_accuracy=fl(accuracy_score(yte, m.predict(Xte))))

    # ---- k nearest neighbours
    Xtr, ytr, Xte, yte = parts("iris")
    expr = "KNeighborsClassifier(5)"
    m = build(expr).fit(Xtr, ytr)
    case("knn_iris", "iris", "knn", {"k": 5, "dist": "euclidean", "weights": "uniform"}, expr,
         test_accuracy=fl(accuracy_score(yte, m.predict(Xte))),
         test_pred=fl(m.predict(Xte)), test_proba=fl(m.predict_proba(Xte)),
         n_test_rows_with_kth_distance_tie=knn_ties(Xtr, Xte, 5, 2))

    Xtr, ytr, Xte, yte = parts("moons")
    expr = "KNeighborsClassifier(7, p=1, weights='distance')"
    m = build(expr).fit(Xtr, ytr)
    case("knn_moons_distance", "moons", "knn",
         {"k": 7, "dist": "manhattan", "weights": "distance"}, expr,
         test_accuracy=fl(accuracy_score(yte, m.predict(Xte))),
         test_pred=fl(m.predict(Xte)),
         n_test_rows_with_kth_distance_tie=knn_ties(Xtr, Xte, 7, 1))

    Xtr, ytr, Xte, yte = parts("diabetes")
    expr = "KNeighborsRegressor(5)"
    m = build(expr).fit(Xtr, ytr)
    pred = m.predict(Xte)
    case("knnreg_diabetes", "diabetes", "knnreg",
         {"k": 5, "dist": "euclidean", "weights": "uniform"}, expr,
         test_r2=fl(r2_score(yte, pred)), test_pred=fl(pred),
         n_test_rows_with_kth_distance_tie=knn_ties(Xtr, Xte, 5, 2))

    # ---- Gaussian naive Bayes
    Xtr, ytr, Xte, yte = parts("iris")
    expr = "GaussianNB(var_smoothing=1e-9)"
    m = build(expr).fit(Xtr, ytr)
    case("bayes_iris", "iris", "bayes", {"smoothing": 1e-9}, expr,
         test_accuracy=fl(accuracy_score(yte, m.predict(Xte))),
         theta=fl(m.theta_), var=fl(m.var_), class_prior=fl(m.class_prior_),
         test_proba=fl(m.predict_proba(Xte)),
         var_epsilon=fl(m.epsilon_))

    # ---- support vector classification
    Xtr, ytr, Xte, yte = parts("moons")
    expr = "SVC(kernel='rbf', C=1, gamma=0.5)"
    m = build(expr).fit(Xtr, ytr)
    case("svm_moons_rbf", "moons", "svm", {"kernel": "rbf", "c": 1, "gamma": 0.5}, expr,
         test_accuracy=fl(accuracy_score(yte, m.predict(Xte))),
         n_support_total=int(m.n_support_.sum()))

    expr = "SVC(kernel='linear', C=1)"
    m = build(expr).fit(Xtr, ytr)
    case("svm_moons_linear", "moons", "svm", {"kernel": "linear", "c": 1}, expr,
         test_accuracy=fl(accuracy_score(yte, m.predict(Xte))),
         coef=fl(m.coef_[0]), intercept=fl(m.intercept_[0]),
         n_support_total=int(m.n_support_.sum()))

    expr = "SVC(kernel='poly', C=1, gamma=1, degree=3, coef0=1)"
    m = build(expr).fit(Xtr, ytr)
    case("svm_moons_poly", "moons", "svm",
         {"kernel": "poly", "c": 1, "gamma": 1, "degree": 3}, expr,
         test_accuracy=fl(accuracy_score(yte, m.predict(Xte))),
         n_support_total=int(m.n_support_.sum()))

    Xtr, ytr, Xte, yte = parts("iris")
    expr = "SVC(kernel='rbf', C=1, gamma=0.5)"
    expr_ovr = "OneVsRestClassifier(SVC(kernel='rbf', C=1, gamma=0.5))"
    m = build(expr).fit(Xtr, ytr)
    m_ovr = build(expr_ovr).fit(Xtr, ytr)
    case("svm_iris_rbf", "iris", "svm", {"kernel": "rbf", "c": 1, "gamma": 0.5},
         expr + "  |  " + expr_ovr,
         test_accuracy=fl(accuracy_score(yte, m.predict(Xte))),
         test_accuracy_ovr=fl(accuracy_score(yte, m_ovr.predict(Xte))))

    # ---- linear regression family
    Xtr, ytr, Xte, yte = parts("diabetes")
    for name, model, params, expr in (
        ("linear_diabetes", "linear", {}, "LinearRegression()"),
        ("ridge_diabetes", "ridge", {"alpha": 1}, "Ridge(alpha=1)"),
        ("lasso_diabetes", "lasso", {"alpha": 0.1},
         "Lasso(alpha=0.1, tol=1e-10, max_iter=100000)"),
        ("elasticnet_diabetes", "elasticnet", {"alpha": 0.01, "l1ratio": 0.5},
         "ElasticNet(alpha=0.01, l1_ratio=0.5, tol=1e-10, max_iter=100000)"),
    ):
        m = build(expr).fit(Xtr, ytr)
        case(name, "diabetes", model, params, expr,
             coef=fl(m.coef_), intercept=fl(m.intercept_),
             test_r2=fl(r2_score(yte, m.predict(Xte))))

    # ---- support vector regression
    for name, params, expr in (
        ("svr_diabetes", {"kernel": "linear", "c": 100, "epsilon": 0.1},
         "SVR(kernel='linear', C=100, epsilon=0.1)"),
        ("svr_diabetes_rbf", {"kernel": "rbf", "c": 1000, "gamma": 0.5, "epsilon": 0.1},
         "SVR(kernel='rbf', C=1000, gamma=0.5, epsilon=0.1)"),
    ):
        m = build(expr).fit(Xtr, ytr)
        case(name, "diabetes", "svr", params, expr,
             test_r2=fl(r2_score(yte, m.predict(Xte))),
             n_support_total=int(len(m.support_)))

    # ---- clustering (all rows)
    d = ds["blobs"]
    X, y = d["X"], d["y"]
    expr = "KMeans(3, n_init=10, random_state=0)"
    m = build(expr).fit(X)
    order = sort_order(m.cluster_centers_)
    labels = relabel(m.labels_, order)
    case("kmeans_blobs", "blobs", "kmeans", {"k": 3, "init": "kmeans++", "iters": 300}, expr,
         labels=fl(labels), centers=fl(m.cluster_centers_[order]),
         inertia=fl(m.inertia_), ari_vs_truth=fl(adjusted_rand_score(y, labels)))

    for name, eps in (("dbscan_blobs", 0.8), ("dbscan_blobs_tight", 0.4)):
        expr = f"DBSCAN(eps={eps}, min_samples=5)"
        m = build(expr).fit(X)
        lab = m.labels_
        case(name, "blobs", "dbscan", {"eps": eps, "minpts": 5}, expr,
             labels=fl(lab), n_clusters=int(len(set(lab.tolist()) - {-1})),
             n_noise=int(np.sum(lab == -1)),
             ari_vs_truth=fl(adjusted_rand_score(y, lab)))

    expr = "GaussianMixture(3, covariance_type='full', max_iter=100, random_state=0, tol=1e-6)"
    m = build(expr).fit(X)
    order = sort_order(m.means_)
    labels = relabel(m.predict(X), order)
    case("gmm_blobs", "blobs", "gmm", {"k": 3, "iters": 100}, expr,
         labels=fl(labels), means=fl(m.means_[order]), weights=fl(m.weights_[order]),
         ari_vs_truth=fl(adjusted_rand_score(y, labels)),
         converged=bool(m.converged_), n_iter=int(m.n_iter_))

    # ---- PCA (fit on all iris rows)
    X = ds["iris"]["X"]
    expr = "PCA(2)"
    m = build(expr).fit(X)
    case("pca_iris", "iris", "pca", {"components": 2}, expr,
         explained_variance_ratio=fl(m.explained_variance_ratio_),
         explained_variance=fl(m.explained_variance_),
         components=fl(m.components_),
         projected_first5=fl(m.transform(X[:5])))

    return cases


# --------------------------------------------------------------------------
# JSON output: full-precision floats (json uses repr); lists of scalars on
# one line, matrices one row per line.


def dump(v, ind=0):
    pad, pad1 = " " * ind, " " * (ind + 2)
    if isinstance(v, dict):
        if not v:
            return "{}"
        items = [f"{pad1}{json.dumps(k)}: {dump(x, ind + 2)}" for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, list) and v and isinstance(v[0], list):
        return "[\n" + ",\n".join(pad1 + dump(x, ind + 2) for x in v) + "\n" + pad + "]"
    return json.dumps(v, allow_nan=False)


NOTES = {
    "split": "train_test_split(test_size=0.3, random_state=0, stratify=y) for iris and "
             "moons; no stratify for diabetes; blobs all train. Models fit on train rows "
             "in file order; metrics on test rows; test_pred/test_proba in file order.",
    "binary": "For binary cases (moons) coef/intercept are the single decision function "
              "(positive => class 1) and test_proba is P(class 1).",
    "clusters": "kmeans/gmm: centers/means sorted by first then second coordinate; "
                "labels are remapped to that order (label i = sorted centre i); weights "
                "follow the same order. dbscan labels are sklearn's raw ids (-1 = noise).",
    "bayes": "var includes var_epsilon = var_smoothing * max feature variance of the "
             "training rows.",
    "pca": "components and projections are defined up to sign per component "
           "(sklearn's svd_flip convention).",
    "knn": "n_test_rows_with_kth_distance_tie counts test rows whose k-th and (k+1)-th "
           "nearest train distances are equal, where neighbour choice is tie-broken.",
    "multinomial": "logistic_iris: sklearn's intercepts sum to 0 (softmax is shift invariant "
                   "and the intercept is unpenalised); centre another solver's intercepts "
                   "before comparing.",
    "ridge": "Ridge(alpha) minimises ||y-Xw||^2 + alpha||w||^2 (no 1/n); the ElasticNet/"
             "Lasso convention (1/(2n))||y-Xw||^2 + ... means Ridge(alpha=1) equals "
             "ElasticNet(alpha=1/n_train, l1_ratio=0).",
    "extras": "n_iter, n_leaves, tree_depth, n_support_total, converged, var_epsilon, "
              "ari_vs_truth on dbscan are diagnostic extras.",
}


def main():
    ds = make_datasets()
    for stem, d in ds.items():
        write_csv(stem, d)
    cases = run_cases(ds)
    meta = {
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "python": platform.python_version(),
        "regenerate": REGEN_CMD + " (with a venv that has scikit-learn==" +
                      sklearn.__version__ + " numpy==" + np.__version__ + ")",
        "notes": NOTES,
    }
    out = {"_meta": meta}
    out.update(cases)
    with open(os.path.join(OUT_DIR, "expected.json"), "w", newline="\n") as f:
        f.write(dump(out) + "\n")
    for name, c in cases.items():
        head = {k: c[k] for k in ("test_accuracy", "test_accuracy_ovr", "train_accuracy",
                                  "test_r2", "ari_vs_truth", "n_clusters", "n_noise")
                if k in c}
        print(f"{name:22s} {head}", file=sys.stderr)


if __name__ == "__main__":
    main()
