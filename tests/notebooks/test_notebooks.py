"""The teaching and expert notebooks run top to bottom and their legal results are
unchanged (nbval --nbval-lax: cells marked ``# NBVAL_CHECK_OUTPUT`` are compared).

The project's addopts ignore ``notebooks/``, so each notebook is run by nbval in a
subprocess. Equivalent command:

    .venv/bin/python -m pytest --nbval-lax notebooks/0[1-5]-*.ipynb -p no:cacheprovider
"""
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ["01-quickstart", "02-expert-walkthrough", "03-training-cpas", "03-opleiding-ocmw",
             "04-rules-2026", "05-incomplete-data"]
LEARN = {"03-training-cpas": "Ce que vous allez apprendre", "03-opleiding-ocmw": "Wat u leert"}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_is_committed_clean(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and LEARN.get(name, "What you will learn") in first.source
    checked = 0
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        for o in c.get("outputs", []):
            assert "image/png" not in o.get("data", {}) and "application/vnd.jupyter.widget-view+json" not in o.get("data", {})
        if c.source.startswith("# NBVAL_CHECK_OUTPUT"):
            checked += 1
            assert c.outputs, f"{name}: a checked cell has no stored output"
        else:
            assert not c.get("outputs"), f"{name}: unchecked cells are committed without outputs"
    assert checked >= 3


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_checked_outputs_match(name):
    env = dict(os.environ, MPLBACKEND="Agg")
    r = subprocess.run([sys.executable, "-m", "pytest", "--nbval-lax", f"notebooks/{name}.ipynb",
                        "-p", "no:cacheprovider", "-q", "-o", "addopts="],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stdout[-4000:] + r.stderr[-2000:]
