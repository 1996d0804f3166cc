"""Runs an exported Latih notebook with nbclient and prints the JSON its last cell printed.

Usage: tests/.venv/bin/python tests/e2e/run_notebook.py NOTEBOOK.ipynb
"""
import json
import sys

import nbformat
from nbclient import NotebookClient

nb = nbformat.read(sys.argv[1], as_version=4)
nbformat.validate(nb)
NotebookClient(nb, timeout=300, kernel_name="python3").execute()
outputs = [o for o in nb.cells[-1].outputs if o.get("name") == "stdout"]
print(json.dumps(json.loads(outputs[-1]["text"].strip().splitlines()[-1])))
