#!/usr/bin/env python3
"""scikit-learn's side of tests/bench/search.mjs: GridSearchCV (n_jobs=1) of a standardised
logistic regression over the same C values and folds count as Latih's search, on the same CSV.

    python search_sklearn.py <csv> <target column> <folds> <C,C,...> <max_iter> <rounds>

Prints JSON: the median seconds of `rounds` fits of the whole search, the best C and its mean
cross-validated accuracy.
"""
import json
import warnings
import statistics
import sys
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore")  # lbfgs stops at max_iter on some C, as Latih does
path, target, folds, cs, max_iter, rounds = sys.argv[1:7]
header = open(path).readline().strip().split(",")
data = np.loadtxt(path, delimiter=",", skiprows=1)
column = header.index(target)
y = data[:, column]
x = np.delete(data, column, axis=1)
grid = {"logisticregression__C": [float(c) for c in cs.split(",")]}
times = []
for _ in range(int(rounds)):
    # Scaling inside the pipeline: fitted on each fold's training rows, as Latih does.
    search = GridSearchCV(
        make_pipeline(StandardScaler(), LogisticRegression(max_iter=int(max_iter), tol=1e-8)),
        grid,
        cv=StratifiedKFold(int(folds), shuffle=True, random_state=1),
        scoring="accuracy",
        n_jobs=1,
    )
    t0 = time.perf_counter()
    search.fit(x, y)
    times.append(time.perf_counter() - t0)
print(json.dumps({
    "seconds": statistics.median(times),
    "best_c": search.best_params_["logisticregression__C"],
    "best_score": search.best_score_,
    "candidates": len(grid["logisticregression__C"]),
    "n_iter": int(np.max(search.best_estimator_[-1].n_iter_)),
}))
