#!/usr/bin/env python3
"""pandas/numpy reference statistics for Latih's exploratory data analysis.

Reads crate/data/penguins.csv.gz and crate/data/diabetes.csv.gz (missing
tokens: pandas defaults, e.g. `NA` and empty) and writes
tests/reference/eda_expected.json: per column count, missing, distinct, then
value counts (categorical) or mean, std (ddof=1), min, quartiles (linear),
max and a 10-bin numpy histogram (numeric), plus the Pearson correlation
matrix of the numeric columns (pairwise complete). NaN is written as null.
Levels are listed by count descending, then name.

Run from anywhere:  python3 tests/reference/eda_reference.py
If pandas is not importable it creates a venv (in a temp dir, or the one named
by LATIH_PY_VENV), installs the pinned versions below and reruns itself there.
"""

import json
import math
import os
import subprocess
import sys
import tempfile
import venv

PINS = ["pandas==3.1.1", "numpy==2.4.6"]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FILES = {"penguins": "crate/data/penguins.csv.gz", "diabetes": "crate/data/diabetes.csv.gz"}
OUT = os.path.join(ROOT, "tests", "reference", "eda_expected.json")


def rerun_in_venv():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.environ.get("LATIH_PY_VENV") or os.path.join(tmp, "venv")
        py = os.path.join(path, "bin", "python")
        if not os.path.exists(py):
            venv.create(path, with_pip=True)
        subprocess.run([py, "-m", "pip", "install", "-q", *PINS], check=True)
        sys.exit(subprocess.run([py, os.path.abspath(__file__)]).returncode)


def f(x):
    """Plain float for JSON, None for NaN."""
    x = float(x)
    return None if math.isnan(x) else x


def describe(df, np, pd):
    columns, numeric = [], []
    for name in df.columns:
        s = df[name]
        v = s.dropna()
        col = {"name": name, "count": int(v.size), "missing": int(s.isna().sum()),
               "distinct": int(s.nunique(dropna=True))}
        if pd.api.types.is_numeric_dtype(s):
            numeric.append(name)
            edges_counts = np.histogram(v.to_numpy(dtype=float), bins=10)
            col = {"name": name, "type": "numeric", **{k: col[k] for k in col if k != "name"},
                   "mean": f(v.mean()), "std": f(v.std(ddof=1)), "min": f(v.min()),
                   "q1": f(v.quantile(0.25)), "median": f(v.quantile(0.5)),
                   "q3": f(v.quantile(0.75)), "max": f(v.max()),
                   "histogram": {"edges": [f(e) for e in edges_counts[1]],
                                 "counts": [int(c) for c in edges_counts[0]]}}
        else:
            counts = sorted(v.value_counts().items(), key=lambda kv: (-kv[1], str(kv[0])))
            col = {"name": name, "type": "categorical", **{k: col[k] for k in col if k != "name"},
                   "levels": {str(k): int(c) for k, c in counts}}
        columns.append(col)
    corr = df[numeric].corr(method="pearson")
    return columns, {"names": numeric, "matrix": [[f(x) for x in row] for row in corr.to_numpy()]}


def main():
    try:
        import numpy as np
        import pandas as pd
    except ImportError:
        rerun_in_venv()
    out = {"generator": f"eda_reference.py, pandas {pd.__version__}, numpy {np.__version__}",
           "datasets": {}}
    for key, rel in FILES.items():
        df = pd.read_csv(os.path.join(ROOT, rel))
        columns, correlation = describe(df, np, pd)
        out["datasets"][key] = {"file": rel, "rows": int(len(df)), "columns": columns,
                                "correlation": correlation}
        print(f"{key}: {len(df)} rows x {df.shape[1]} columns")
    with open(OUT, "w") as fh:
        json.dump(out, fh, indent=1, allow_nan=False)
        fh.write("\n")
    print(f"wrote {os.path.relpath(OUT, ROOT)}")


if __name__ == "__main__":
    main()
