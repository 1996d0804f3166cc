#!/usr/bin/env python3
"""Derive Latih's built-in data sets from PyPI wheels, once.

Downloads (no install) the scikit-learn and palmerpenguins wheels into a temp
dir with a throwaway venv's pip, reads the bundled data with zipfile and writes
crate/data/{digits,diabetes,penguins}.csv.gz plus crate/data/README.md.
Gzip output is deterministic (mtime 0, level 9, no file name), so a rerun
gives identical bytes.

Run from anywhere:  python3 scripts/datasets.py
Set LATIH_PY_VENV=/path/to/venv to reuse (or create and keep) a venv.
"""

import glob
import gzip
import io
import os
import subprocess
import sys
import tempfile
import venv
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "crate", "data")
SKLEARN, PENGUINS = "scikit-learn==1.9.1", "palmerpenguins==0.1.6"


def venv_python(tmp):
    path = os.environ.get("LATIH_PY_VENV") or os.path.join(tmp, "venv")
    py = os.path.join(path, "bin", "python")
    if not os.path.exists(py):
        venv.create(path, with_pip=True)
    return py


def download(py, spec, dest):
    """pip download one wheel for this Python; returns its path or None."""
    r = subprocess.run([py, "-m", "pip", "download", "-q", "--no-deps",
                        "--only-binary=:all:", "-d", dest, spec])
    name = spec.split("=")[0].replace("-", "_")
    found = glob.glob(os.path.join(dest, name + "-*.whl"))
    return found[0] if r.returncode == 0 and found else None


def num(text):
    """Shortest exact text of a number: ints without '.0', floats by repr."""
    x = float(text)
    return str(int(x)) if x.is_integer() else repr(x)


def write_gz(name, text):
    buf = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=buf, compresslevel=9, mtime=0) as f:
        f.write(text.encode("utf-8"))
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(buf.getvalue())


def main():
    os.makedirs(OUT, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        py = venv_python(tmp)
        skl = download(py, SKLEARN, tmp)
        if skl is None:  # fall back to the newest wheel for this Python
            skl = download(py, "scikit-learn", tmp)
            if skl is None:
                sys.exit("could not download a scikit-learn wheel")
        skl_version = os.path.basename(skl).split("-")[1]
        print(f"scikit-learn wheel: {os.path.basename(skl)} (version {skl_version})")
        pen = download(py, PENGUINS, tmp)
        if pen is None:
            sys.exit(f"could not download {PENGUINS}")
        print(f"palmerpenguins wheel: {os.path.basename(pen)}")

        with zipfile.ZipFile(skl) as z:
            def lines(name):
                raw = gzip.decompress(z.read("sklearn/datasets/data/" + name))
                return raw.decode("ascii").strip().splitlines()
            digits = [[int(v) for v in l.split(",")] for l in lines("digits.csv.gz")]
            diab_x = [l.split() for l in lines("diabetes_data_raw.csv.gz")]
            diab_y = [l.strip() for l in lines("diabetes_target.csv.gz")]
        with zipfile.ZipFile(pen) as z:
            penguins = z.read("palmerpenguins/data/penguins.csv").decode("utf-8")

    assert len(digits) == 1797 and all(len(r) == 65 for r in digits)
    head = ",".join([f"p{i}" for i in range(64)] + ["digit"])
    write_gz("digits.csv.gz", head + "\n" + "".join(",".join(map(str, r)) + "\n" for r in digits))
    print(f"digits.csv.gz: {len(digits)} rows x 65 columns")

    assert len(diab_x) == len(diab_y) == 442 and all(len(r) == 10 for r in diab_x)
    head = "age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,progression"
    rows = ("".join(",".join(num(v) for v in x + [y]) + "\n") for x, y in zip(diab_x, diab_y))
    write_gz("diabetes.csv.gz", head + "\n" + "".join(rows))
    print(f"diabetes.csv.gz: {len(diab_x)} rows x 11 columns")

    pen_lines = penguins.strip("\n").split("\n")
    assert len(pen_lines) == 345, len(pen_lines)
    write_gz("penguins.csv.gz", penguins)
    print(f"penguins.csv.gz: {len(pen_lines) - 1} rows x {len(pen_lines[0].split(','))} columns")

    with open(os.path.join(OUT, "README.md"), "w") as f:
        f.write(README.format(skl=skl_version))
    print("README.md written")


README = """\
# Built-in data sets

Regenerate with `python3 scripts/datasets.py`: it downloads the scikit-learn
{skl} and palmerpenguins 0.1.6 wheels from PyPI and rewrites these files;
a rerun gives the same bytes (gzip with mtime 0, level 9, no file name). All are
comma-separated with a header row.

## digits.csv.gz

- Source: scikit-learn's bundled copy (`sklearn/datasets/data/digits.csv.gz`)
  of the UCI Optical Recognition of Handwritten Digits data
  (E. Alpaydin & C. Kaynak, 1998): the 8x8 test set.
- Licence: BSD-3-Clause as distributed in scikit-learn; the data is also
  CC BY 4.0 at UCI.
- Shape: 1797 rows x 65 columns.
- Columns: `p0`..`p63`, pixel counts 0-16 in row-major order of the 8x8
  image; `digit`, the label 0-9. All integers.

## diabetes.csv.gz

- Source: the diabetes data of Efron, Hastie, Johnstone & Tibshirani (2004),
  "Least Angle Regression", Annals of Statistics, via scikit-learn's raw
  (unscaled) copy (`diabetes_data_raw.csv.gz`, `diabetes_target.csv.gz`).
- Licence: BSD-3-Clause as distributed in scikit-learn.
- Shape: 442 rows x 11 columns.
- Columns: `age`, `sex` (1 or 2), `bmi`, `bp` (mean blood pressure),
  `s1`..`s6` (serum measurements: tc, ldl, hdl, tch, ltg, glu),
  `progression` (disease progression one year after baseline, the target).

## penguins.csv.gz

- Source: Palmer Penguins by Gorman, Williams & Fraser (2014), Palmer Station
  LTER, via the palmerpenguins package's `penguins.csv` (the cleaned file),
  unchanged.
- Licence: CC0 1.0.
- Shape: 344 rows x 8 columns; missing values are written `NA`.
- Columns: `species`, `island`, `bill_length_mm`, `bill_depth_mm`,
  `flipper_length_mm`, `body_mass_g`, `sex`, `year`.

## iris, wine quality (red), linnerud

Not stored here: they come from the `linfa-datasets` crate
(MIT OR Apache-2.0). Original sources: Fisher (1936) iris via UCI;
Cortez et al. (2009) wine quality via UCI (CC BY 4.0); Tenenhaus (1998)
linnerud.
"""

if __name__ == "__main__":
    main()
