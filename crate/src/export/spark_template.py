#!/usr/bin/env python3
# Latih experiment carried to Apache Spark: a pyspark.ml Pipeline that redoes
#     #@LINK@
# with the same preprocessing (fitted on the training rows only), the equivalent MLlib model,
# the same split (and cross-validation of the training rows) and the same metrics.
#
@MODEL_LINE@@SUBSTITUTE@#
# Run it as is (it carries the experiment's own rows and split):
#     spark-submit @FILE@
# or on the full data: a CSV file with a header row or Parquet, any path or URI Spark reads,
# with the same column names (the split is then a seeded random split):
#     spark-submit @FILE@ --data hdfs:///data/full.parquet --out hdfs:///models/latih
# It saves the fitted pipeline (--out) and prints the metrics as JSON on its last line.

# %%
import argparse
import csv
import io
import json
import math

from pyspark.ml import Pipeline
from pyspark.ml.classification import (DecisionTreeClassifier, LinearSVC, LogisticRegression,
                                       MultilayerPerceptronClassifier, NaiveBayes, OneVsRest,
                                       RandomForestClassifier)
from pyspark.ml.clustering import GaussianMixture, KMeans
from pyspark.ml.evaluation import (BinaryClassificationEvaluator, ClusteringEvaluator,
                                   MulticlassClassificationEvaluator, RegressionEvaluator)
from pyspark.ml.feature import (PCA, ElementwiseProduct, Imputer, SQLTransformer, StandardScaler,
                                VectorAssembler)
from pyspark.ml.linalg import Vectors
from pyspark.ml.regression import GBTRegressor, LinearRegression, RandomForestRegressor
from pyspark.sql import SparkSession
from pyspark.sql import functions as F

parser = argparse.ArgumentParser(description="A Latih experiment as a Spark MLlib pipeline.")
parser.add_argument("--data", help="a CSV file (with a header row) or Parquet, any path or URI Spark reads; "
                    "default: the experiment's own rows, embedded below")
parser.add_argument("--format", choices=["csv", "parquet"],
                    help="the data's format (default: parquet when the path ends in .parquet, else csv)")
parser.add_argument("--out", default="latih-pipeline", help="where the fitted pipeline is saved (default: %(default)s)")
parser.add_argument("--master", help="the Spark master when not started by spark-submit, e.g. local[2]")
# parse_known_args: inside Jupyter the kernel passes arguments of its own.
args, _ = parser.parse_known_args()

builder = SparkSession.builder.appName("latih")
if args.master:
    builder = builder.master(args.master)
spark = builder.getOrCreate()

# %%
# The experiment, as its link says.
@SETTINGS@

# %%
def quoted(name):
    """A column name for Spark SQL, whatever characters it holds."""
    return "`" + name.replace("`", "``") + "`"


def sql_text(value):
    """A Spark SQL string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def read_data():
    """The rows as Latih reads them: numbers as doubles (unreadable cells are missing), text
    trimmed (empty is missing), inputs renamed in0, in1, ... and the target as `target`
    (a class index for classification); rows without a target are left out."""
    if args.data:
        fmt = args.format or ("parquet" if args.data.rstrip("/").endswith(".parquet") else "csv")
        raw = spark.read.parquet(args.data) if fmt == "parquet" else spark.read.csv(args.data, header=True)
    else:
        rows = list(csv.reader(io.StringIO(DATA)))
        raw = spark.createDataFrame(rows[1:], rows[0])
    columns = []
    for j, (name, levels, _) in enumerate(INPUTS):
        text = F.trim(F.col(quoted(name)).cast("string"))
        if levels is None:
            columns.append(F.expr(f"try_cast(trim(CAST({quoted(name)} AS STRING)) AS DOUBLE)").alias(f"in{j}"))
        else:
            columns.append(F.when(text != "", text).alias(f"in{j}"))
    if TARGET is not None:
        if CLASSES:
            text = F.trim(F.col(quoted(TARGET)).cast("string"))
            label = F.lit(None).cast("double")
            for k, name in reversed(list(enumerate(CLASSES))):
                label = F.when(text == name, float(k)).otherwise(label)
            columns.append(label.alias("target"))
        elif TASK == "regression":
            columns.append(F.expr(f"try_cast(trim(CAST({quoted(TARGET)} AS STRING)) AS DOUBLE)").alias("target"))
    columns += [F.col(c) for c in ("latih_part", "latih_fold") if c in raw.columns]
    df = raw.select(*columns)
    if "target" in df.columns:
        df = df.filter(F.col("target").isNotNull())
    if "latih_fold" in df.columns:
        df = df.withColumn("latih_fold", F.col("latih_fold").cast("int"))
    if MISSING == "drop":
        df = df.dropna(subset=[f"in{j}" for j in range(len(INPUTS))])
    return df.cache()


def preprocessing(n_train):
    """Latih's preprocessing as pipeline stages, fitted on the training rows: missing numbers
    filled (MISSING), a text column's level coded by Latih's (sorted) levels and its missing
    or unknown cells filled with the most frequent level, one-hot or label encoding, then
    every input standardised (tables) or the plane's features computed (2-D datasets)."""
    stages = []
    numbers = [j for j, (_, levels, _) in enumerate(INPUTS) if levels is None]
    texts = [j for j, (_, levels, _) in enumerate(INPUTS) if levels is not None]
    if texts:
        codes = []
        for j in texts:
            cases = " ".join(f"WHEN in{j} = {sql_text(level)} THEN {k}.0" for k, level in enumerate(INPUTS[j][1]))
            codes.append(f"CASE {cases} END AS code{j}")
        stages.append(SQLTransformer(statement=f"SELECT *, {', '.join(codes)} FROM __THIS__"))
        stages.append(Imputer(strategy="mode", inputCols=[f"code{j}" for j in texts],
                              outputCols=[f"fill{j}" for j in texts]))
    if numbers:
        strategy = {"mean": "mean", "median": "median", "mode": "mode"}.get(MISSING, "mean")
        stages.append(Imputer(strategy=strategy, relativeError=0.0, inputCols=[f"in{j}" for j in numbers],
                              outputCols=[f"fill{j}" for j in numbers]))
    names, hot = [], []
    for j, (_, levels, one_hot) in enumerate(INPUTS):
        if levels is not None and one_hot:
            for k in range(len(levels)):
                hot.append(f"CASE WHEN fill{j} = {k}.0 THEN 1.0 ELSE 0.0 END AS hot{j}_{k}")
                names.append(f"hot{j}_{k}")
        else:
            names.append(f"fill{j}")
    if FEATURES:
        make = {"x1": "fill0", "x2": "fill1", "x1sq": "fill0 * fill0", "x2sq": "fill1 * fill1",
                "x1x2": "fill0 * fill1", "sinx1": "sin(fill0)", "sinx2": "sin(fill1)"}
        hot += [f"{make[f]} AS feature_{f}" for f in FEATURES]
        names = [f"feature_{f}" for f in FEATURES]
    if hot:
        stages.append(SQLTransformer(statement=f"SELECT *, {', '.join(hot)} FROM __THIS__"))
    if not STANDARDISE:
        return stages + [VectorAssembler(inputCols=names, outputCol="features")]
    # Spark's StandardScaler divides by the sample standard deviation (n - 1), Latih and
    # scikit-learn by the population one (n): the constant factor makes them equal.
    factor = math.sqrt(n_train / (n_train - 1)) if n_train > 1 else 1.0
    return stages + [
        VectorAssembler(inputCols=names, outputCol="assembled"),
        StandardScaler(withMean=True, withStd=True, inputCol="assembled", outputCol="scaled"),
        ElementwiseProduct(scalingVec=Vectors.dense([factor] * len(names)), inputCol="scaled", outputCol="features"),
    ]


# %%
@MODEL@


# %%
def adjusted_rand(pred):
    """Adjusted Rand index of the clusters against the classes, from the (small) contingency
    table Spark counts."""
    table = pred.groupBy("target", "prediction").count().collect()
    pairs = lambda n: n * (n - 1) / 2
    by_class, by_cluster = {}, {}
    for r in table:
        by_class[r["target"]] = by_class.get(r["target"], 0) + r["count"]
        by_cluster[r["prediction"]] = by_cluster.get(r["prediction"], 0) + r["count"]
    n = sum(by_class.values())
    index = sum(pairs(r["count"]) for r in table)
    a = sum(pairs(v) for v in by_class.values())
    b = sum(pairs(v) for v in by_cluster.values())
    expected = a * b / pairs(n) if n > 1 else 0.0
    top = (a + b) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def scores(model, part, mu, sd):
    """The metrics Latih shows for one part of the rows."""
    pred = model.transform(part)
    if TASK == "classification":
        ev = MulticlassClassificationEvaluator(labelCol="target")
        out = {name: ev.evaluate(pred, {ev.metricName: metric}) for name, metric in [
            ("accuracy", "accuracy"), ("f1_weighted", "f1"), ("precision_weighted", "weightedPrecision"),
            ("recall_weighted", "weightedRecall")]}
        if "probability" in pred.columns:
            out["log_loss"] = ev.evaluate(pred, {ev.metricName: "logLoss"})
            if len(CLASSES) == 2:
                out["roc_auc"] = BinaryClassificationEvaluator(
                    labelCol="target", rawPredictionCol="probability").evaluate(pred)
        return out
    if TASK == "regression":
        # In the target's own units, as Latih's metrics are.
        pred = pred.withColumn("predicted", F.col("prediction") * sd + mu)
        ev = RegressionEvaluator(labelCol="target", predictionCol="predicted")
        return {m: ev.evaluate(pred, {ev.metricName: m}) for m in ["mse", "rmse", "mae", "r2"]}
    if TASK == "clustering":
        out = {"clusters": pred.select("prediction").distinct().count()}
        if out["clusters"] > 1:
            # MLlib's silhouette uses squared Euclidean distances (Latih's: Euclidean).
            out["silhouette_squared_euclidean"] = ClusteringEvaluator().evaluate(pred)
        if CLASSES:
            out["adjusted_rand"] = adjusted_rand(pred)
        return out
    return {"explained_variance_ratio": list(map(float, model.stages[-1].explainedVariance))}


def fit_and_score(train, test):
    """Fits the pipeline on `train` and scores both parts. A regression target is
    standardised on the training rows, as Latih trains on it."""
    n_train = train.count()
    mu, sd = 0.0, 1.0
    if TASK == "regression" and STANDARDISE:
        mu, sd = train.select(F.mean("target"), F.stddev_pop("target")).first()
        sd = sd if sd and sd > 1e-12 else 1.0
    if "target" in train.columns:
        train = train.withColumn("label", (F.col("target") - mu) / sd)
    model = Pipeline(stages=preprocessing(n_train) + [make_model(n_train)]).fit(train)
    parts = {"train": scores(model, train, mu, sd)}
    if TASK != "reduction" and test.count() > 0:
        parts["test"] = scores(model, test, mu, sd)
    return model, parts


# %%
df = read_data()
if "latih_part" in df.columns:
    # The experiment's own split, row for row.
    train, test = df.filter(F.col("latih_part") == "train"), df.filter(F.col("latih_part") == "test")
else:
    train, test = df.randomSplit([TRAIN_PERCENT / 100, 1 - TRAIN_PERCENT / 100], seed=SEED)
model, parts = fit_and_score(train, test)
model.write().overwrite().save(args.out)
results = {"model": MODEL_NAME, "substitute_for": SUBSTITUTE_FOR, "link": LINK,
           "rows": {"train": train.count(), "test": test.count()}, **parts}

if FOLDS >= 2:
    # k-fold cross-validation of the training rows (Latih's folds when its rows are embedded;
    # the test rows are in none), each fold's preprocessing fitted on its own training rows.
    pool = train if "latih_fold" in train.columns else train.withColumn(
        "latih_fold", F.floor(F.rand(SEED) * FOLDS).cast("int"))
    folds = [fit_and_score(pool.filter(F.col("latih_fold") != i), pool.filter(F.col("latih_fold") == i))[1]["test"]
             for i in range(FOLDS)]
    summary = {}
    for name in folds[0]:
        values = [f[name] for f in folds]
        mean = sum(values) / len(values)
        summary[name] = {"folds": values, "mean": mean,
                         "std": math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))}
    results["cross_validation"] = summary

print(json.dumps(results))
if __name__ == "__main__":
    spark.stop()
