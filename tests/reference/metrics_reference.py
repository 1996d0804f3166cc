#!/usr/bin/env python3
"""scikit-learn reference numbers for Latih's metrics (crate/src/eval/metrics.rs).

Writes ``tests/reference/metrics_expected.json``: fixed inputs (truth, predictions, class
probabilities, points) drawn from a seeded numpy generator, and what scikit-learn's metric
functions return for them. ``crate/tests/metrics_reference.rs`` computes the same metrics in
Latih and compares (absolute tolerance 1e-9).

Regenerate from the repository root (``scripts/setup.sh`` makes ``tests/.venv`` from
``tests/requirements.txt``):

    tests/.venv/bin/python tests/reference/metrics_reference.py
"""

import json
import os

import numpy as np
import sklearn
from sklearn import metrics

rng = np.random.default_rng(20261128)
out = {"_meta": {"sklearn": sklearn.__version__, "numpy": np.__version__}}


def classification_case(classes, n, rounding):
    truth = rng.integers(0, classes, n)
    logits = rng.normal(size=(n, classes))
    logits[np.arange(n), truth] += 1.2  # better than chance
    proba = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    # Rounded probabilities make ties, which the curves must handle as scikit-learn does.
    proba = np.round(proba, rounding)
    proba = proba / proba.sum(axis=1, keepdims=True)
    pred = proba.argmax(axis=1)
    labels = list(range(classes))
    p, r, f, s = metrics.precision_recall_fscore_support(truth, pred, labels=labels, zero_division=0)
    case = {
        "classes": classes,
        "truth": truth.tolist(),
        "pred": pred.tolist(),
        "proba": proba.tolist(),
        "accuracy": metrics.accuracy_score(truth, pred),
        "balanced_accuracy": metrics.balanced_accuracy_score(truth, pred),
        "precision": p.tolist(),
        "recall": r.tolist(),
        "f1": f.tolist(),
        "support": s.tolist(),
        "confusion": metrics.confusion_matrix(truth, pred, labels=labels).tolist(),
        "log_loss": metrics.log_loss(truth, proba, labels=labels),
    }
    for avg in ("macro", "weighted"):
        ap, ar, af, _ = metrics.precision_recall_fscore_support(truth, pred, average=avg, zero_division=0)
        case[avg] = [ap, ar, af]
    positives = [1] if classes == 2 else labels
    case["roc"], case["pr"] = [], []
    for c in positives:
        y = (truth == c).astype(int)
        fpr, tpr, th = metrics.roc_curve(y, proba[:, c], drop_intermediate=False)
        case["roc"].append({"x": fpr.tolist(), "y": tpr.tolist(), "area": metrics.roc_auc_score(y, proba[:, c])})
        prec, rec, _ = metrics.precision_recall_curve(y, proba[:, c])
        case["pr"].append({
            # scikit-learn lists from the lowest threshold up; Latih from the highest down.
            "x": rec[::-1].tolist(),
            "y": prec[::-1].tolist(),
            "area": metrics.average_precision_score(y, proba[:, c]),
        })
    if classes == 2:
        case["roc_auc"] = metrics.roc_auc_score(truth, proba[:, 1])
    else:
        case["roc_auc"] = metrics.roc_auc_score(truth, proba, multi_class="ovr", average="macro")
    return case


out["binary"] = classification_case(2, 120, 2)
out["multiclass"] = classification_case(4, 150, 2)

truth = rng.normal(10, 3, 80)
pred = truth + rng.normal(0, 1.5, 80)
out["regression"] = {
    "truth": truth.tolist(),
    "pred": pred.tolist(),
    "mse": metrics.mean_squared_error(truth, pred),
    "rmse": metrics.root_mean_squared_error(truth, pred),
    "mae": metrics.mean_absolute_error(truth, pred),
    "r2": metrics.r2_score(truth, pred),
}

centres = np.array([[0, 0], [4, 1], [1, 5]])
truth = rng.integers(0, 3, 90)
x = centres[truth] + rng.normal(0, 1.3, (90, 2))
# A clustering that mostly agrees, with a singleton cluster (silhouette 0 for it).
labels = truth.copy()
labels[:10] = rng.integers(0, 3, 10)
labels[17] = 3
out["clustering"] = {
    "x": x.tolist(),
    "labels": labels.tolist(),
    "truth": truth.tolist(),
    "silhouette": metrics.silhouette_score(x, labels),
    "adjusted_rand": metrics.adjusted_rand_score(truth, labels),
}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics_expected.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", path)
