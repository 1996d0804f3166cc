"""Runs exported Latih Spark scripts in one Python process (one Spark start-up for all of them)
in local[2] mode and prints a JSON list: each script's metrics (its last printed line) or its
error.

Usage: tests/.venv/bin/python tests/spark/run_scripts.py OUT_DIR [--parquet CSV DIR] 'SCRIPT.py [ARGS]'...

Each script argument is the script and, optionally, its own arguments (as a shell would split
them; `--out` is added). `--parquet CSV DIR` first writes the CSV file as Parquet to DIR.
"""
import contextlib
import io
import json
import os
import runpy
import shlex
import sys
import traceback

from pyspark.sql import SparkSession

out_dir, scripts = sys.argv[1], sys.argv[2:]
parquet = None
if scripts[:1] == ["--parquet"]:
    parquet, scripts = scripts[1:3], scripts[3:]
spark = (SparkSession.builder.master("local[2]").appName("latih-export-test")
         .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
if parquet:
    spark.read.csv(parquet[0], header=True).write.mode("overwrite").parquet(parquet[1])
results = []
for command in scripts:
    script, *options = shlex.split(command)
    name = os.path.splitext(os.path.basename(script))[0] + ("-" + str(len(results)) if options else "")
    # The script's own command line, and where to save its fitted pipeline.
    sys.argv = [script, *options, "--out", os.path.join(out_dir, name + "-pipeline")]
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            # Not "__main__": the script then leaves the shared session running.
            runpy.run_path(script, run_name="latih_export")
        results.append({"script": command, "metrics": json.loads(printed.getvalue().strip().splitlines()[-1])})
    except Exception:  # noqa: BLE001 - reported per script, the test fails on it
        results.append({"script": command, "error": traceback.format_exc()})
spark.stop()
print(json.dumps(results))
